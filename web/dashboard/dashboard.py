"""The dashboard's parts, made once per web process in the lifespan."""

from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
from temporalio.client import Client

from core.keep_alive import CLIENT_LIMITS
from core.settings import Settings
from stack.control_client import StackAction, StackControl, StackControlError
from web.comparisons.service import Comparisons
from web.dashboard.comparison_scenario import ComparisonScenario
from web.dashboard.fault_controls import FaultControls
from web.dashboard.monitor import DashboardMonitor
from web.dashboard.scenario import Scenario
from web.dashboard.snapshot import SnapshotCollector

PROBE_TIMEOUT = httpx.Timeout(2.0)


@dataclass
class Dashboard:
    settings: Settings
    http: httpx.AsyncClient
    control: StackControl | None
    faults: FaultControls
    collector: SnapshotCollector
    monitor: DashboardMonitor
    scenario: Scenario | None = field(default=None)
    comparison_scenario: ComparisonScenario | None = field(default=None)

    @classmethod
    def build(
        cls, client: Client, settings: Settings, comparisons: Comparisons | None = None
    ) -> "Dashboard":
        """`comparisons` is the web's own (app.state.comparisons); without it, no comparison
        scenario."""
        http = httpx.AsyncClient(timeout=PROBE_TIMEOUT, limits=CLIENT_LIMITS)
        control = StackControl.from_settings(settings)
        faults = FaultControls(http, settings)
        collector = SnapshotCollector(client, settings, control, http)
        dashboard = cls(settings, http, control, faults, collector, DashboardMonitor(collector))
        if control is not None:
            dashboard.scenario = Scenario(client, settings, control, faults, dashboard.log)
        if control is not None and comparisons is not None:
            dashboard.comparison_scenario = ComparisonScenario(
                comparisons, control, faults, dashboard.log
            )
        return dashboard

    @property
    def demo_running(self) -> bool:
        """One demo at a time: two would fight over the LLM's faults and the processes."""
        return any(
            demo is not None and demo.running for demo in (self.scenario, self.comparison_scenario)
        )

    async def log(self, text: str) -> None:
        """Chaos actions go to the supervisor's log, which outlives a killed web server."""
        if self.control is not None:
            try:
                await self.control.log_action("dashboard", text)
                return
            except StackControlError:
                pass
        self.collector.local_actions.append(
            StackAction(at=datetime.now(UTC), source="dashboard", text=text)
        )

    async def close(self) -> None:
        self.monitor.close()
        await self.http.aclose()
        if self.control is not None:
            await self.control.aclose()
