"""Generate the sample city and write it as a CSV folder: wall time and peak memory.

    python -m bench.sample_city --orgs 1000000 [--seed 2022] [--out DIR] [--encoding gb18030]

Prints a Markdown block (machine, seconds per step, rows per second, peak RSS) to paste into
docs/benchmarks.md. The CSV folder goes to a temporary directory unless ``--out`` is given.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench.machine import Timer
from loaders.sample import generate_city
from loaders.writer import CSV_ENCODINGS, write_csv_folder


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.sample_city", description=__doc__)
    parser.add_argument("--orgs", type=int, default=100_000, help="organizations (default 100000)")
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--out", type=Path, help="CSV folder to write (default: a temporary one)")
    parser.add_argument("--encoding", choices=CSV_ENCODINGS, default="utf-8-sig")
    args = parser.parse_args(argv)

    timer = Timer()
    with timer.step("generate_city", args.orgs, "orgs"):
        ledger = generate_city(args.orgs, args.seed)
    rows = sum(ledger.counts().values())
    with tempfile.TemporaryDirectory(prefix="liangxin-bench-") as tmp:
        folder = args.out or Path(tmp) / "city"
        with timer.step(f"write_csv_folder ({args.encoding})", rows, "rows"):
            write_csv_folder(ledger, folder, encoding=args.encoding)
        size = sum(p.stat().st_size for p in folder.iterdir()) / 2**20
    counts = ", ".join(f"{k} {v:,}" for k, v in ledger.counts().items() if v)
    print(timer.report(f"Sample city, {args.orgs:,} organizations (seed {args.seed})"))
    print(f"Tables: {counts}.")
    print(f"CSV folder: {size:,.0f} MiB.")
    print(f"Wall time: {timer.seconds:.1f} s.")


if __name__ == "__main__":
    main()
