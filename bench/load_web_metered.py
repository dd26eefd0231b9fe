"""`briefing web` whose metrics are on a port of the benchmark's choosing, so a benchmark can count
every call the web process makes to Temporal (the SDK's `temporal_request` counters, per
operation).

`python -m bench.load_web_metered --metrics-port PORT`; everything else as `briefing web`.
"""

import argparse
import os

from web.app import run_web


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--metrics-port", type=int, required=True)
    args = parser.parse_args()
    # Read by the app's settings: its Runtime serves the SDK's metrics there (core/metrics.py).
    os.environ["BRIEFING_WEB_METRICS_PORT"] = str(args.metrics_port)
    run_web(processes=1)


if __name__ == "__main__":
    main()
