"""The read step: a story's page downloaded (through the SSRF guard, as feeds are) and its main
text extracted in a parsing child, or the reason the summary keeps to the feed's text.

A page that is not HTML, is paywalled, empty, or gives less text than the feed did is not an
error: the result says FEED and why. A download or extraction that fails raises, typed and
retryable or not as a feed's would; the workflow then keeps the feed's text too.
"""

from collections.abc import Iterable, Mapping
from typing import TypedDict

from temporalio import activity

from activities.articles.limits import DEFAULT_ARTICLE_LIMITS, ArticleLimits
from activities.articles.page_types import looks_like_html, may_be_web_page, not_a_page_reason
from activities.feeds.address_guard import AddressGuard
from activities.feeds.child_jobs import ChildJob
from activities.feeds.download import DownloadKind, download
from activities.feeds.host_slots import HostSlots
from activities.feeds.parser_pool import current_pool
from activities.heartbeats import heartbeating
from activities.metrics import ARTICLE_READ_FAILED, count_article_read
from activities.models import ArticleRead, ReadArticleInput, TextSource

PAGE_DOWNLOAD = DownloadKind("page", reads_body_of=may_be_web_page)


class ExtractedText(TypedDict):
    """What the child's extraction answers (extraction.Extraction, which imports trafilatura)."""

    text: str
    paywalled: bool


class ArticleReader:
    def __init__(
        self,
        trusted_hosts: Iterable[str] = (),
        limits: ArticleLimits = DEFAULT_ARTICLE_LIMITS,
        hosts: HostSlots | None = None,
        aliases: Mapping[str, str] | None = None,
    ) -> None:
        """`aliases`: public origins (scheme://host:port) this worker reaches at another, e.g.
        the demo newsroom's links, made for browsers (localhost), read from its container."""
        # Entries are URLs or host[:port]: those hosts may be on private addresses.
        self._guard = AddressGuard(trusted_hosts)
        self._aliases = {
            public.rstrip("/"): inner.rstrip("/") for public, inner in (aliases or {}).items()
        }
        self._limits = limits
        # Pass the feed fetcher's to count pages and feeds of one host together.
        self._hosts = hosts or HostSlots(limits.downloads_per_host)

    @activity.defn(name="read_article")
    async def read_article(self, request: ReadArticleInput) -> ArticleRead:
        try:
            read = await heartbeating(self._read(request))
        except Exception:
            count_article_read(ARTICLE_READ_FAILED)
            raise
        count_article_read(read.source.value)
        return read.model_copy(update={"attempt": activity.info().attempt})

    async def _read(self, request: ReadArticleInput) -> ArticleRead:
        url = fetched_from(request.url, self._aliases)
        page = await download(url, self._guard, self._limits, self._hosts, PAGE_DOWNLOAD)
        if not page.body_read:
            return _feed_text(request, not_a_page_reason(page.content_type))
        if not page.body.strip():
            return _feed_text(request, "the page was empty")
        if not page.content_type.strip() and not looks_like_html(page.body):
            return _feed_text(request, not_a_page_reason(page.content_type))
        extracted = await _extract_in_child(page.final_url, page.body, self._limits)
        return _chosen_text(request, extracted)


def fetched_from(url: str, aliases: Mapping[str, str]) -> str:
    """Where a page is downloaded from: its own address, or its origin's alias. The story keeps
    its public link; only this worker's download goes elsewhere."""
    for public, inner in aliases.items():
        if url == public or url.startswith(public + "/"):
            return inner + url[len(public) :]
    return url


async def _extract_in_child(url: str, html: bytes, limits: ArticleLimits) -> ExtractedText:
    """Untrusted HTML extracted by a child under the kernel's CPU and memory limits."""
    result = await current_pool().run(ChildJob.ARTICLE_EXTRACTION, url, html, limits.child_job)
    return ExtractedText(text=str(result["text"]), paywalled=bool(result["paywalled"]))


def _chosen_text(request: ReadArticleInput, extracted: ExtractedText) -> ArticleRead:
    text = extracted["text"]
    if extracted["paywalled"]:
        return _feed_text(request, "the page is behind a paywall")
    if not text:
        return _feed_text(request, "the page had no article text")
    if len(text) < request.feed_chars:
        return _feed_text(
            request,
            f"the article text ({len(text):,} characters) is shorter than the feed's "
            f"({request.feed_chars:,})",
        )
    return ArticleRead(url=request.url, source=TextSource.ARTICLE, text=text)


def _feed_text(request: ReadArticleInput, reason: str) -> ArticleRead:
    return ArticleRead(url=request.url, source=TextSource.FEED, reason=reason)
