"""``make bench``: every benchmark, each in its own process so peak memory is its own."""

from __future__ import annotations

import argparse
import subprocess
import sys

BENCHMARKS = {
    "sample_city": ["-m", "bench.sample_city", "--orgs", "1000000"],
    "pipeline": ["-m", "bench.pipeline", "--orgs", "100000"],
    "analyses": ["-m", "bench.analyses", "--orgs", "100000"],
    "plan": ["-m", "bench.plan", "--orgs", "100000", "1000000"],
    "store_load": ["-m", "bench.store_load", "--orgs", "100000"],
    "maps": ["-m", "bench.maps", "--orgs", "100000"],
    "pages": ["-m", "bench.pages", "--orgs", "100000"],
    "reports": ["-m", "bench.reports", "--orgs", "100000"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "names", nargs="*", help=f"which to run (default all: {', '.join(BENCHMARKS)})"
    )
    args = parser.parse_args()
    failed = 0
    for name in args.names or list(BENCHMARKS):
        print(f"## {name}\n", flush=True)
        failed |= subprocess.call([sys.executable, *BENCHMARKS[name]])
    sys.exit(failed)


if __name__ == "__main__":
    main()
