"""Content-Encoding decoded by us: one layer, each step within its byte budget, and the
encodings real servers send (gzip, zlib-wrapped and raw deflate) read as the feed they are."""

import gzip
import zlib

import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.errors import FeedError
from activities.feeds.content_decoding import EncodingRefused, MalformedEncoding, decoder_for
from activities.fetch import FeedFetcher
from activities.models import FetchFeedInput
from tests.activities.feeds.encoded_bodies import ENCODED_TITLE

TEXT = b"".join(b"<item><title>Story %d</title></item>" % number for number in range(20_000))


def decode_in_steps(content_encoding: str, chunks: list[bytes], budget: int) -> list[bytes]:
    decoder = decoder_for(content_encoding)
    steps = [decoder.decode(chunk, budget) for chunk in chunks]
    # Input held back by the budget comes out in later steps, fed nothing new.
    while not decoder.finished and (step := decoder.decode(b"", budget)):
        steps.append(step)
    decoder.check_complete()
    return steps


def test_one_step_of_a_gzip_bomb_decodes_no_more_than_its_budget() -> None:
    # 64 MiB of zeros gzips to 64 KB: one network read's worth, decoding to 1,000 times more.
    zeros_gzipped = gzip.compress(bytes(64 * 1024 * 1024))
    decoder = decoder_for("gzip")

    decoded = decoder.decode(zeros_gzipped, 2 * 1024 * 1024 + 1)

    assert len(decoded) == 2 * 1024 * 1024 + 1
    assert not decoder.finished


def test_what_a_budget_holds_back_comes_out_in_later_steps_unchanged() -> None:
    steps = decode_in_steps("gzip", [gzip.compress(TEXT)], budget=1000)

    assert max(len(step) for step in steps) == 1000
    assert b"".join(steps) == TEXT


@pytest.mark.parametrize(
    "compressed",
    [zlib.compress(TEXT), zlib.compress(TEXT, wbits=-zlib.MAX_WBITS)],
    ids=["zlib-wrapped", "raw"],
)
def test_deflate_is_read_zlib_wrapped_or_raw_even_a_byte_at_a_time(compressed: bytes) -> None:
    chunks = [compressed[index : index + 1] for index in range(len(compressed))]

    assert b"".join(decode_in_steps("deflate", chunks, budget=len(TEXT) + 1)) == TEXT


# mtime=0: the bytes are in the test's id, which both xdist workers of make test-fast must agree on.
@pytest.mark.parametrize(
    ("header", "body"),
    [("", b"abc"), ("identity", b"abc"), ("gzip, identity", gzip.compress(b"abc", mtime=0))],
)
def test_identity_is_no_layer_at_all(header: str, body: bytes) -> None:
    assert b"".join(decode_in_steps(header, [body], budget=10)) == b"abc"


def test_codings_are_read_case_insensitively() -> None:
    assert b"".join(decode_in_steps(" GZip ", [gzip.compress(b"abc")], budget=10)) == b"abc"


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("gzip, gzip", "uses stacked Content-Encoding gzip, gzip"),
        ("deflate,gzip", "uses stacked Content-Encoding deflate, gzip"),
        ("br", "uses an unsupported Content-Encoding: br"),
        ("xz", "uses an unsupported Content-Encoding: xz"),
        (", ".join(["gzip"] * 5000), "uses stacked Content-Encoding " + "gzip, " * 10 + "…"),
    ],
)
def test_stacked_and_unknown_codings_are_refused_with_their_reason(
    header: str, reason: str
) -> None:
    with pytest.raises(EncodingRefused) as refused:
        decoder_for(header)

    assert str(refused.value) == reason


def test_a_gzip_body_cut_short_is_malformed() -> None:
    decoder = decoder_for("gzip")
    decoder.decode(gzip.compress(TEXT)[:-100], len(TEXT) + 1)

    with pytest.raises(MalformedEncoding, match="ends inside its compressed stream"):
        decoder.check_complete()


@pytest.mark.parametrize("form", ["gzip", "zlib-deflate", "raw-deflate"])
async def test_a_feed_in_each_encoding_we_offer_is_read_as_the_feed_it_is(
    activity_environment: ActivityEnvironment, hostile_url: str, form: str
) -> None:
    fetcher = FeedFetcher([hostile_url])
    request = FetchFeedInput(url=f"{hostile_url}/encoded/{form}.xml")

    result = await activity_environment.run(fetcher.fetch_feed, request)

    assert [entry.title for entry in result.entries] == [ENCODED_TITLE]


async def test_we_offer_only_the_encodings_we_decode(
    activity_environment: ActivityEnvironment, hostile_url: str
) -> None:
    fetcher = FeedFetcher([hostile_url])
    request = FetchFeedInput(url=f"{hostile_url}/feeds/accept-encoding.xml")

    result = await activity_environment.run(fetcher.fetch_feed, request)

    assert [entry.title for entry in result.entries] == ["gzip, deflate"]


@pytest.mark.parametrize(
    ("form", "reason"),
    [
        ("not-gzip", "incorrect header check"),
        ("truncated-gzip", "the body ends inside its compressed stream"),
    ],
)
async def test_a_body_that_is_not_what_its_content_encoding_says_is_malformed(
    activity_environment: ActivityEnvironment, hostile_url: str, form: str, reason: str
) -> None:
    fetcher = FeedFetcher([hostile_url])
    request = FetchFeedInput(url=f"{hostile_url}/encoded/{form}.xml")

    with pytest.raises(ApplicationError) as raised:
        await activity_environment.run(fetcher.fetch_feed, request)

    assert raised.value.type == FeedError.MALFORMED
    assert raised.value.non_retryable
    assert raised.value.message.startswith(f"feed refused: {request.url} sent a body")
    assert reason in raised.value.message
