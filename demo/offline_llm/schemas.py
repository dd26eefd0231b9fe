"""The OpenAI chat-completion wire format: the parts of a request we read, and the reply."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

MODEL_ID = "offline-extractive"


class ContentPart(BaseModel):
    # Clients may send image or audio parts too; only text parts are read.
    model_config = ConfigDict(extra="allow")

    type: str
    text: str | None = None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: str
    content: str | list[ContentPart] | None = None

    def text(self) -> str:
        """The message's text, with multi-part content joined by newlines."""
        if isinstance(self.content, str):
            return self.content
        if not self.content:
            return ""
        return "\n".join(part.text for part in self.content if part.text is not None)


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="allow")

    # A last chunk with empty `choices` and the `usage` of the whole answer.
    include_usage: bool | None = False


class ChatCompletionRequest(BaseModel):
    # Sampling options (temperature, max_tokens, ...) are accepted and have no effect.
    model_config = ConfigDict(extra="allow")

    model: str = Field(min_length=1)
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool | None = False
    stream_options: StreamOptions | None = None

    @property
    def include_usage(self) -> bool:
        return bool(self.stream_options and self.stream_options.include_usage)


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class Choice(BaseModel):
    index: int = 0
    message: AssistantMessage
    finish_reason: Literal["stop"] = "stop"


class Usage(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[Choice]
    usage: Usage
    system_fingerprint: str = MODEL_ID
