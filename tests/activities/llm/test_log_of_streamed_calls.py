"""The LLM's log as the ledgers read it: an answer cut mid-stream is billed, not had."""

import httpx
import pytest
from openai import AsyncOpenAI
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.llm.client import complete
from activities.llm.prompts import story_summary_messages
from activities.llm_log import read_llm_calls
from tests.activities.stories import CHIP_PLANT, MODEL

MESSAGES = story_summary_messages(
    topic="technology", title=CHIP_PLANT.title, text=CHIP_PLANT.excerpt
)


async def test_a_cut_answer_is_billed_but_not_delivered_and_its_retry_is_both(
    activity_environment: ActivityEnvironment,
    llm_client: AsyncOpenAI,
    llm_admin: httpx.Client,
    llm_url: str,
) -> None:
    llm_admin.post("/faults", json={"mode": "cut", "count": 1, "words": 4}).raise_for_status()

    async def summarise() -> None:
        await complete(llm_client, model=MODEL, messages=MESSAGES)

    with pytest.raises(ApplicationError):
        await activity_environment.run(summarise)
    await activity_environment.run(summarise)

    [run] = {record["run"] for record in llm_admin.get("/requests").json()}
    async with httpx.AsyncClient() as http:
        log = await read_llm_calls(http, llm_url, [run])
    cut, retried = log.calls
    assert (cut.answered, cut.delivered) == (True, False)
    assert (retried.answered, retried.delivered) == (True, True)
    assert 0 < cut.tokens < retried.tokens
