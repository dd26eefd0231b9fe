"""How the JSON API answers a start, for briefings and comparisons alike."""

from fastapi import Response, status

from web.limits.visitors import StartCharge


def answer_start(response: Response, charge: StartCharge, *, is_new: bool, url: str) -> None:
    """A new run: 202 with its Location. A repeat of its Idempotency-Key started nothing: 200,
    marked as replayed, and the start token goes back."""
    if not is_new:
        charge.refund()
        response.status_code = status.HTTP_200_OK
        response.headers["Idempotent-Replayed"] = "true"
    response.headers["Location"] = url
