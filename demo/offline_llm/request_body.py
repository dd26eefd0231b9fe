"""A chat completion's body, read strictly to answer it and leniently to name it in the log."""

import json

from pydantic import TypeAdapter, ValidationError

from demo.offline_llm.errors import invalid_fields, invalid_request
from demo.offline_llm.prompt import PromptError, article_count, first_article_title, last_user_text
from demo.offline_llm.request_log import fingerprint_messages
from demo.offline_llm.schemas import ChatCompletionRequest, ChatMessage

_MESSAGES = TypeAdapter(list[ChatMessage])


def parse_json(raw: bytes) -> object:
    try:
        return json.loads(raw)
    except ValueError:
        return None


def validate(body: object) -> ChatCompletionRequest:
    if not isinstance(body, dict):
        raise invalid_request("The request body must be a JSON object.")
    try:
        return ChatCompletionRequest.model_validate(body)
    except ValidationError as error:
        raise invalid_fields(error.errors()) from error


def fingerprint(body: object) -> str | None:
    if isinstance(body, dict) and "messages" in body:
        return fingerprint_messages(body["messages"])
    return None


def asks_for_stream(body: object) -> bool:
    return isinstance(body, dict) and body.get("stream") is True


def articles(body: object) -> tuple[str | None, int]:
    """The first article's title and how many articles the prompt holds."""
    # Read leniently: a request that fails validation is still worth naming in the log.
    if not isinstance(body, dict):
        return None, 0
    try:
        text = last_user_text(_MESSAGES.validate_python(body.get("messages")))
    except (ValidationError, PromptError):
        return None, 0
    return first_article_title(text), article_count(text)
