"""The fetch step: one feed downloaded and parsed."""

from temporalio import activity

from activities.feed_download import download_feed
from activities.feed_parsing import parse_feed
from activities.models import FetchFeedInput, FetchFeedResult


@activity.defn
async def fetch_feed(request: FetchFeedInput) -> FetchFeedResult:
    body = await download_feed(request.url)
    result = parse_feed(request.url, body)
    return result.model_copy(update={"attempt": activity.info().attempt})
