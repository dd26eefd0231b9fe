"""Reading a run on the plain agent, and remembering what was last seen of it.

The plain agent keeps its runs in memory, so when its process dies the web's own memory of what
it last saw is the only live record of how far a run got (the comparison workflow keeps its own
for good). That memory is this process's too: a web restart loses it, and the page says so.
"""

from collections import OrderedDict
from dataclasses import dataclass

import httpx

from plain_agent.views import PlainRunView

READ_TIMEOUT = httpx.Timeout(2.0)
REMEMBERED_RUNS = 500


@dataclass(frozen=True)
class PlainRead:
    """What the plain agent said: the run, or that it does not know it (None), or nothing."""

    reachable: bool
    view: PlainRunView | None = None


class PlainRunMemory:
    """The last view seen of each run, the oldest forgotten first."""

    def __init__(self, capacity: int = REMEMBERED_RUNS) -> None:
        self._views: OrderedDict[str, PlainRunView] = OrderedDict()
        self._capacity = capacity

    def remember(self, view: PlainRunView) -> None:
        self._views[view.run_id] = view
        self._views.move_to_end(view.run_id)
        while len(self._views) > self._capacity:
            self._views.popitem(last=False)

    def last_seen(self, run_id: str) -> PlainRunView | None:
        return self._views.get(run_id)


async def read_plain_run(
    http: httpx.AsyncClient, base_url: str, run_id: str, memory: PlainRunMemory
) -> PlainRead:
    try:
        response = await http.get(f"{base_url.rstrip('/')}/runs/{run_id}", timeout=READ_TIMEOUT)
    except httpx.TransportError:
        return PlainRead(reachable=False)
    if response.status_code == 404:
        return PlainRead(reachable=True)
    response.raise_for_status()
    view = PlainRunView.model_validate_json(response.content)
    memory.remember(view)
    return PlainRead(reachable=True, view=view)
