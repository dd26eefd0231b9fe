"""The real read_article activity in an ActivityEnvironment, with the trust the worker gives:
only the hosts named are reachable on loopback, which is private to the SSRF guard."""

import httpx
import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.articles.limits import ArticleLimits
from activities.articles.reader import ArticleReader
from activities.models import ArticleRead, ReadArticleInput


async def read(
    url: str, trusted: list[str], feed_chars: int = 0, limits: ArticleLimits | None = None
) -> ArticleRead:
    reader = ArticleReader(trusted, limits or ArticleLimits())
    request = ReadArticleInput(url=url, feed_chars=feed_chars)
    return await ActivityEnvironment().run(reader.read_article, request)


async def failure(
    url: str, trusted: list[str], limits: ArticleLimits | None = None
) -> ApplicationError:
    with pytest.raises(ApplicationError) as raised:
        await read(url, trusted, limits=limits)
    return raised.value


def hits(base_url: str, name: str) -> int:
    return int(httpx.get(f"{base_url}/hits/{name}").text)
