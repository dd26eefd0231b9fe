"""Host names our servers answer, read the way a rebinding attacker would try to bend them."""

import pytest

from app.host_check import allowed_host_names, is_allowed_host

ALLOWED = allowed_host_names("127.0.0.1", ["briefing.example.org", "newsroom"])


@pytest.mark.parametrize(
    "host",
    [
        "localhost",
        "localhost:8000",
        "127.0.0.1:8000",
        "[::1]:8000",
        "[::1]",
        "::1",
        "Briefing.Example.Org",
        "briefing.example.org.:443",
        "newsroom:8100",
    ],
)
def test_loopback_and_configured_names_are_answered(host: str) -> None:
    assert is_allowed_host(host, ALLOWED)


@pytest.mark.parametrize(
    "host",
    [
        None,
        "",
        "attacker.test",
        "attacker.test:8000",
        "localhost.attacker.test",
        "127.0.0.1.nip.io",
        "[::1",
        "evil.example.org:80",
        "127.0.0.2",
    ],
)
def test_any_other_name_is_refused(host: str | None) -> None:
    assert not is_allowed_host(host, ALLOWED)


def test_a_wildcard_bind_adds_no_name() -> None:
    assert allowed_host_names("0.0.0.0") == allowed_host_names()
