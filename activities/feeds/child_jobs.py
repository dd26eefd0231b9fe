"""The jobs a parsing child does with untrusted bytes: parse a feed, or extract a page's text.

Both run in the same pool of limited children (parser_pool.py), since hostile HTML is as
dangerous as hostile XML; a job's kind travels in its request header. Each kind says how its
messages name what it does: "feed refused: parsing URL …", "page refused: extracting the text
of URL …".
"""

from dataclasses import dataclass
from enum import StrEnum

from activities.errors import FeedError
from activities.feeds.child_limits import size_text
from activities.feeds.job_refusal import JobRefused
from activities.feeds.parsing import parse_feed


class ChildJob(StrEnum):
    FEED_PARSE = "feed"
    ARTICLE_EXTRACTION = "article"


@dataclass(frozen=True)
class JobWording:
    subject: str  # what the bytes are: "feed", "page"
    action: str  # what the child does to them: "parsing {url}"
    failure: str  # what a job that raised says: "{url} could not be parsed"

    def doing(self, url: str) -> str:
        return self.action.format(url=url)

    def failed(self, url: str) -> str:
        return self.failure.format(url=url)


WORDING = {
    ChildJob.FEED_PARSE: JobWording("feed", "parsing {url}", "{url} could not be parsed"),
    ChildJob.ARTICLE_EXTRACTION: JobWording(
        "page", "extracting the text of {url}", "the text of {url} could not be extracted"
    ),
}


def run_job(job: ChildJob, url: str, body: bytes) -> dict:
    """The job's result as JSON-ready data; raises what the parser or extractor raises."""
    if job is ChildJob.FEED_PARSE:
        return parse_feed(url, body).model_dump(mode="json")
    # trafilatura costs ~0.2 s of CPU and ~30 MB to import: only children that extract pay for it.
    from activities.articles.extraction import extract_article

    return extract_article(url, body).model_dump(mode="json")


def job_outcome(job: ChildJob, url: str, body: bytes, memory_bytes: int) -> dict:
    """The child's answer: {"result": …} or {"failure": {message, type, non_retryable}}."""
    wording = WORDING[job]
    try:
        return {"result": run_job(job, url, body)}
    except JobRefused as error:
        return _failure(error.message, error.kind, non_retryable=error.non_retryable)
    except MemoryError:
        message = (
            f"{wording.subject} refused: {wording.doing(url)} "
            f"needed more than {size_text(memory_bytes)}"
        )
        return _failure(message, FeedError.TOO_LARGE, non_retryable=True)
    except Exception as error:  # whatever the parser trips over, these bytes caused it
        message = f"{wording.failed(url)}: {type(error).__name__}: {error}"
        return _failure(message, FeedError.MALFORMED, non_retryable=True)


def _failure(message: str, kind: str, *, non_retryable: bool) -> dict:
    return {"failure": {"message": message, "type": str(kind), "non_retryable": non_retryable}}
