"""Every setting of every process, read once from the environment (and `.env`)."""

import os
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated

import httpx
from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from core.host_check import allowed_host_names
from core.logs import LogFormat
from demo.newsroom.outlets import OUTLETS, feed_path

OFFLINE_MODEL = "offline-extractive"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env(name: str) -> AliasChoices:
    return AliasChoices(name, name.lower())


class PromoteBuild(StrEnum):
    """Whether a starting worker makes its build the deployment's current version."""

    FIRST = "first"  # only when the deployment has none yet (a first deploy)
    ALWAYS = "always"  # every start (`briefing up`: the code on disk is the code to run)
    NEVER = "never"  # an operator promotes (`temporal worker deployment set-current-version`)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    temporal_address: str = Field("localhost:7233", validation_alias=_env("TEMPORAL_ADDRESS"))
    temporal_namespace: str = Field("default", validation_alias=_env("TEMPORAL_NAMESPACE"))
    temporal_ui_url: str = Field("http://localhost:8233", validation_alias=_env("TEMPORAL_UI_URL"))
    task_queue: str = Field("briefing", validation_alias=_env("BRIEFING_TASK_QUEUE"))
    # One JSON object per line for a log shipper; text for a person at a terminal.
    log_format: LogFormat = Field("text", validation_alias=_env("BRIEFING_LOG_FORMAT"))
    # On SIGTERM, how long the worker's activities in flight get to finish before they are
    # handed back for another worker to retry (compose's stop_grace_period must outlast it).
    worker_shutdown_grace_seconds: float = Field(
        10.0, ge=0, validation_alias=_env("BRIEFING_WORKER_SHUTDOWN_GRACE")
    )
    # After a kill -9 a briefing's next workflow task waits this long on the dead worker's
    # sticky queue before any worker may take it (Temporal's default is 10 s); on a live worker
    # a task waits here only while its workflow slots are all busy (docs/benchmarks.md §3).
    sticky_queue_timeout_seconds: float = Field(
        1.0, gt=0, le=60, validation_alias=_env("BRIEFING_STICKY_QUEUE_TIMEOUT")
    )
    # Worker Deployment Versioning (docs/workflow-versioning.md): a briefing stays on the build
    # that started it. No build id: a digest of workflows/*.py (worker/deployment.py).
    worker_versioning: bool = Field(True, validation_alias=_env("BRIEFING_WORKER_VERSIONING"))
    deployment_name: str = Field("briefing", validation_alias=_env("BRIEFING_DEPLOYMENT_NAME"))
    build_id: str | None = Field(None, validation_alias=_env("BRIEFING_BUILD_ID"))
    promote_build: PromoteBuild = Field(
        PromoteBuild.FIRST, validation_alias=_env("BRIEFING_PROMOTE_BUILD")
    )
    # Feed downloads run on a queue of their own (`feed_task_queue`), in this many slots per
    # worker process, so slow feeds never hold the slots the LLM calls need. A slot costs a
    # coroutine and a socket: 32 lets five briefings fetch their six default sources at once, or
    # two briefings of slow feeds hold their 6 each (FETCH_CONCURRENCY) while others still fetch.
    feed_fetch_slots: int = Field(32, ge=1, validation_alias=_env("BRIEFING_FEED_FETCH_SLOTS"))
    # A story's page, decoded: real article pages run to a few hundred KiB with their markup.
    article_max_bytes: int = Field(
        5 * 1024 * 1024, ge=64 * 1024, validation_alias=_env("BRIEFING_ARTICLE_MAX_BYTES")
    )
    # Temporal Cloud or any TLS frontend: an API key, or mTLS with a client certificate and key
    # (PEM files). TLS is on whenever one of them is set, or when asked for.
    temporal_api_key: SecretStr | None = Field(None, validation_alias=_env("TEMPORAL_API_KEY"))
    temporal_tls: bool = Field(False, validation_alias=_env("TEMPORAL_TLS"))
    temporal_tls_cert: Path | None = Field(None, validation_alias=_env("TEMPORAL_TLS_CERT"))
    temporal_tls_key: Path | None = Field(None, validation_alias=_env("TEMPORAL_TLS_KEY"))

    openai_api_key: SecretStr | None = Field(None, validation_alias=_env("OPENAI_API_KEY"))
    openai_base_url: str | None = Field(None, validation_alias=_env("OPENAI_BASE_URL"))
    model: str | None = Field(None, validation_alias=_env("BRIEFING_MODEL"))
    # Whether the LLM is our offline one; unset: it is when there is no OPENAI_API_KEY. `up` sets
    # it for every part, because only the worker is given the key.
    offline_llm: bool | None = Field(None, validation_alias=_env("BRIEFING_OFFLINE_LLM"))
    # Used for a story when the first model refuses it (content filter, model unavailable).
    fallback_model: str | None = Field(None, validation_alias=_env("BRIEFING_FALLBACK_MODEL"))
    # How long a briefing waits for the editor's review before going ahead on its own.
    review_timeout_seconds: int = Field(
        3600, ge=10, le=7 * 24 * 3600, validation_alias=_env("BRIEFING_REVIEW_TIMEOUT")
    )
    llm_timeout_seconds: float = Field(60.0, gt=0, validation_alias=_env("BRIEFING_LLM_TIMEOUT"))
    # Traces (core/tracing.py): the OTLP/HTTP collector's base URL; unset: no traces. The
    # standard OpenTelemetry names, so a collector's usual setup works as it is.
    otlp_endpoint: str | None = Field(None, validation_alias=_env("OTEL_EXPORTER_OTLP_ENDPOINT"))
    # Unset: each process names itself, briefing-web or briefing-worker.
    otel_service_name: str | None = Field(None, validation_alias=_env("OTEL_SERVICE_NAME"))

    data_dir: Path = Field(Path(".briefing"), validation_alias=_env("BRIEFING_DATA_DIR"))
    feeds: Annotated[list[str], NoDecode] = Field(
        default_factory=list, validation_alias=_env("BRIEFING_FEEDS")
    )
    # Feed hosts (host[:port]) allowed on private addresses, besides those of the default sources.
    trusted_feed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list, validation_alias=_env("BRIEFING_TRUSTED_FEED_HOSTS")
    )

    host: str = Field("127.0.0.1", validation_alias=_env("BRIEFING_HOST"))
    # Host names (besides loopback and `host`) that our servers answer; any other Host is 400.
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list, validation_alias=_env("BRIEFING_ALLOWED_HOSTS")
    )
    # The web's address as its readers see it, for absolute links (Atom, exports); unset: its own.
    public_url: str | None = Field(None, validation_alias=_env("BRIEFING_PUBLIC_URL"))
    web_port: int = Field(8000, validation_alias=_env("BRIEFING_WEB_PORT"))
    # `briefing web` processes sharing its port, for more cores (with the chaos panel on: one).
    # Each keeps its own per-address limits and stream caps: N processes admit N times as much.
    web_processes: int = Field(1, ge=1, le=64, validation_alias=_env("BRIEFING_WEB_PROCESSES"))
    # Prometheus endpoints (`/metrics`), on `host`; 0 turns one off. Web process i of N takes the
    # first free port of web_metrics_port .. web_metrics_port + N - 1 (core/metrics.py).
    worker_metrics_port: int = Field(
        8500, ge=0, le=65535, validation_alias=_env("BRIEFING_WORKER_METRICS_PORT")
    )
    web_metrics_port: int = Field(
        8600, ge=0, le=65535, validation_alias=_env("BRIEFING_WEB_METRICS_PORT")
    )
    temporal_port: int = Field(7233, validation_alias=_env("BRIEFING_TEMPORAL_PORT"))
    temporal_ui_port: int = Field(8233, validation_alias=_env("BRIEFING_TEMPORAL_UI_PORT"))
    # The dev server's Web UI (`briefing server`); `briefing up --no-ui` turns it off for its parts.
    temporal_ui: bool = Field(True, validation_alias=_env("BRIEFING_TEMPORAL_UI"))
    newsroom_port: int = Field(8100, validation_alias=_env("BRIEFING_NEWSROOM_PORT"))
    llm_port: int = Field(8200, validation_alias=_env("BRIEFING_LLM_PORT"))
    control_port: int = Field(8300, validation_alias=_env("BRIEFING_CONTROL_PORT"))
    # The plain agent (`briefing plain`): the same briefing without Temporal, for comparisons.
    plain_port: int = Field(8400, validation_alias=_env("BRIEFING_PLAIN_PORT"))
    plain_url: str | None = Field(None, validation_alias=_env("BRIEFING_PLAIN_URL"))
    newsroom_url: str | None = Field(None, validation_alias=_env("BRIEFING_NEWSROOM_URL"))
    # The newsroom's address as browsers see it, for its story links (containers: localhost).
    newsroom_public_url: str | None = Field(
        None, validation_alias=_env("BRIEFING_NEWSROOM_PUBLIC_URL")
    )
    # Offline LLM pacing: makes local summaries take visible time, like a real model.
    llm_tokens_per_second: float = Field(
        40.0, ge=0, validation_alias=_env("BRIEFING_LLM_TOKENS_PER_SECOND")
    )

    # Set by `briefing up` for its parts: its control API, and the token it takes (per run).
    control_url: str | None = Field(None, validation_alias=_env("BRIEFING_CONTROL_URL"))
    control_token: SecretStr | None = Field(None, validation_alias=_env("BRIEFING_CONTROL_TOKEN"))

    # Signs the web's CSRF tokens; unset: a random key per web process.
    secret_key: SecretStr | None = Field(None, validation_alias=_env("BRIEFING_SECRET_KEY"))
    # The dashboard's chaos panel: on in the local stack (`briefing up`), off unless asked for.
    chaos_enabled: bool = Field(False, validation_alias=_env("BRIEFING_CHAOS_ENABLED"))
    # Per client address of each web process; 0 turns that limit off (benchmarks, soaks).
    start_rate_per_minute: int = Field(
        30, ge=0, validation_alias=_env("BRIEFING_START_RATE_PER_MINUTE")
    )
    # Streams that make the web read Temporal: a briefing it follows for no one yet, a comparison.
    sse_rate_per_minute: int = Field(
        120, ge=0, validation_alias=_env("BRIEFING_SSE_RATE_PER_MINUTE")
    )
    # Streams that cost a viewer Temporal reads or rendering of its own (comparisons, dashboard).
    sse_max_streams_per_client: int = Field(
        20, ge=0, validation_alias=_env("BRIEFING_SSE_MAX_STREAMS_PER_CLIENT")
    )
    # Every stream opened, watching a briefing included: a room behind one NAT address gets in.
    sse_view_rate_per_minute: int = Field(
        3000, ge=0, validation_alias=_env("BRIEFING_SSE_VIEW_RATE_PER_MINUTE")
    )
    # What one web process holds, whoever asks (0: no cap): viewers of one briefing, all streams.
    sse_max_viewers_per_briefing: int = Field(
        2000, ge=0, validation_alias=_env("BRIEFING_SSE_MAX_VIEWERS_PER_BRIEFING")
    )
    sse_max_streams: int = Field(5000, ge=0, validation_alias=_env("BRIEFING_SSE_MAX_STREAMS"))
    # How often the text an LLM is writing travels: at most one heartbeat per LLM call on the
    # worker, and one describe per watched briefing on the web, per interval.
    live_text_interval_seconds: float = Field(
        0.1, gt=0, le=5, validation_alias=_env("BRIEFING_LIVE_TEXT_INTERVAL")
    )
    max_request_bytes: int = Field(65536, ge=0, validation_alias=_env("BRIEFING_MAX_REQUEST_BYTES"))
    # How long a request (headers and body) may take to arrive at the web before it is dropped:
    # ample for a form on a slow link, short for a client holding connections open on purpose.
    request_read_timeout_seconds: float = Field(
        20.0, gt=0, validation_alias=_env("BRIEFING_REQUEST_READ_TIMEOUT")
    )
    # Proxies (addresses or networks) whose X-Forwarded-For names the client; none by default.
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list, validation_alias=_env("BRIEFING_TRUSTED_PROXIES")
    )
    # Where `npm ci` put the front-end scripts the web serves.
    assets_dir: Path = Field(
        PROJECT_ROOT / "node_modules", validation_alias=_env("BRIEFING_ASSETS_DIR")
    )

    @field_validator(
        "feeds", "trusted_feed_hosts", "trusted_proxies", "allowed_hosts", mode="before"
    )
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @field_validator(
        "openai_api_key",
        "offline_llm",
        "secret_key",
        "public_url",
        "control_url",
        "control_token",
        "temporal_api_key",
        "temporal_tls_cert",
        "temporal_tls_key",
        "build_id",
        "otlp_endpoint",
        "otel_service_name",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("worker_metrics_port", "web_metrics_port", mode="before")
    @classmethod
    def _blank_port_is_off(cls, value: object) -> object:
        return 0 if isinstance(value, str) and not value.strip() else value

    @property
    def uses_offline_llm(self) -> bool:
        if self.offline_llm is not None:
            return self.offline_llm
        return self.openai_api_key is None

    @property
    def llm_api_key(self) -> str:
        """The key the LLM client sends; our offline LLM takes any, the openai client needs one."""
        return self.openai_api_key.get_secret_value() if self.openai_api_key else "offline"

    @property
    def llm_base_url(self) -> str | None:
        if self.openai_base_url:
            return self.openai_base_url
        if self.uses_offline_llm:
            return f"http://{self.host}:{self.llm_port}/v1"
        return None

    @property
    def offline_llm_url(self) -> str | None:
        """The root of our offline LLM (health, faults), when that is the LLM in use."""
        if not self.uses_offline_llm or self.llm_base_url is None:
            return None
        return self.llm_base_url.removesuffix("/").removesuffix("/v1")

    @property
    def llm_model(self) -> str:
        if self.model:
            return self.model
        return OFFLINE_MODEL if self.uses_offline_llm else "gpt-4o-mini"

    @property
    def host_names(self) -> frozenset[str]:
        """The Host names every server of ours answers (core/host_check.py)."""
        return allowed_host_names(self.host, [*self.allowed_hosts, _host_of(self.public_url)])

    @property
    def newsroom_host_names(self) -> frozenset[str]:
        """The newsroom answers the name its story links give readers too."""
        return self.host_names | allowed_host_names(extra=[_host_of(self.newsroom_public_url)])

    @property
    def public_base_url(self) -> str:
        """Where readers reach the web, without a trailing slash: never taken from a request."""
        if self.public_url:
            return self.public_url.rstrip("/")
        return f"http://{_url_host(self.host)}:{self.web_port}"

    @property
    def plain_agent_url(self) -> str:
        return self.plain_url or f"http://{_url_host(self.host)}:{self.plain_port}"

    @property
    def default_newsroom_url(self) -> str:
        return self.newsroom_url or f"http://{self.host}:{self.newsroom_port}"

    @property
    def default_sources(self) -> list[str]:
        if self.feeds:
            return list(self.feeds)
        return [self.default_newsroom_url + feed_path(outlet) for outlet in OUTLETS]

    @property
    def feed_task_queue(self) -> str:
        """Where the briefings started now fetch their feeds, served by every worker process."""
        return f"{self.task_queue}-feeds"

    @property
    def page_aliases(self) -> dict[str, str]:
        """Story pages this process reads at another address than their links give: the demo
        newsroom links to its public URL (browsers' localhost) and is read at its own."""
        public, inner = self.newsroom_public_url, self.newsroom_url
        return {public: inner} if public and inner and public != inner else {}

    @property
    def feed_hosts_to_trust(self) -> list[str]:
        """The default sources (URLs) and the configured trusted hosts (host[:port])."""
        return [*self.default_sources, *self.trusted_feed_hosts]


def _host_of(url: str | None) -> str:
    return httpx.URL(url).host if url else ""


def _url_host(host: str) -> str:
    if host in ("0.0.0.0", "::", ""):
        return "localhost"  # bound to every interface: loopback is one of them
    return f"[{host}]" if ":" in host else host


# The `.env` file to read; empty: none. `up` reads `.env` once and gives each part its settings
# in its environment, so that a key in `.env` reaches only the parts that need it.
ENV_FILE_VARIABLE = "BRIEFING_ENV_FILE"


@lru_cache
def get_settings() -> Settings:
    return Settings(_env_file=os.environ.get(ENV_FILE_VARIABLE, ".env") or None)
