"""Briefing ids are workflow ids; an Idempotency-Key maps to one id forever."""

import hashlib
import json
import uuid

from workflows.models import BriefingRequest

ID_PREFIX = "briefing-"


def new_briefing_id() -> str:
    return f"{ID_PREFIX}{uuid.uuid4().hex[:12]}"


def idempotent_briefing_id(key: str) -> str:
    return idempotent_id(ID_PREFIX, key)


def idempotent_id(prefix: str, key: str) -> str:
    """The one id an Idempotency-Key names under `prefix`, forever."""
    return f"{prefix}key-{hashlib.sha256(key.encode()).hexdigest()[:20]}"


def request_fingerprint(request: BriefingRequest) -> str:
    # The model and the feed queue are our choice, not the caller's: a key stays valid across
    # changes of either.
    ours = {"model", "feed_task_queue"}
    canonical = json.dumps(request.model_dump(mode="json", exclude=ours), sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()
