"""`briefing web` whose Temporal client publishes its metrics, so a benchmark can count every
call the web process makes to Temporal (the SDK's `temporal_request` counters, per operation).

`python -m bench.load_web_metered --metrics-port PORT`; everything else as `briefing web`.
"""

import argparse

from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig

from web.app import run_web


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--metrics-port", type=int, required=True)
    args = parser.parse_args()
    metrics = PrometheusConfig(bind_address=f"127.0.0.1:{args.metrics_port}")
    # The web connects with the default runtime: set it before the app makes its client.
    Runtime.set_default(Runtime(telemetry=TelemetryConfig(metrics=metrics)))
    run_web(processes=1)  # the runtime set here is this process's only


if __name__ == "__main__":
    main()
