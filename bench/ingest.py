"""The ingest part of the benchmark: does storing stay as fast at the 100,000th record as at the first?

    python bench/ingest.py                      # 100,000 one-line records, rate at 1k, 10k, 100k
    python bench/ingest.py --records 20000      # a shorter run
    python bench/run.py --only ingest           # the same, as a part of the whole benchmark

One JSONL file of one-line records (near-duplicate lines that differ by a number, as a load
test writes them, mixed with generated news sentences), read and stored by ``update()`` into a
new store with the benchmark's stub extraction (events without spaCy), so the figures are the
cost of reading, deciding and storing alone. The rate at N is records/s over the window of
records that ends at the Nth: flat from the first record to the last means storing does not
slow down as the store grows.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
MARKS = (1_000, 10_000, 100_000)
EXTRA_MARKS = (25_000, 50_000, 75_000)  # between the marks, to see the trend
WINDOW = 1_000


def write_records(path: Path, n: int, seed: int = 0) -> None:
    """``n`` distinct one-line records: every other one a near duplicate of the others."""
    from kgraph.synthetic import articles

    with open(path, "w", encoding="utf-8") as handle:
        for i, article in enumerate(articles(n // 2 + 1, seed)):
            first = article.text.split("\n\n", 1)[-1].split(". ")[0].strip()
            for j, text in enumerate((f"Russia attacked Ukraine on day {i}, officials in Kyiv said.", f"{first} (item {i}).")):
                if 2 * i + j < n:
                    handle.write(json.dumps({"id": f"r{2 * i + j}", "text": text}) + "\n")


def measure(n: int, seed: int = 0) -> dict[str, tuple[float, float]]:
    """(records/s of wall time, records/s of this process's CPU time) over the WINDOW records ending
    at each mark, and over the whole run ("all"), into a new store. CPU time does not depend on
    what else the machine runs; wall time includes the disk."""
    from run import StubExtractor

    from kgraph.pipeline import update
    from kgraph.store import Store

    stamps: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        records = Path(tmp) / "records.jsonl"
        write_records(records, n + n // 20, seed)  # a few short lines are not detected as English and skipped
        start = (time.perf_counter(), time.process_time())
        with Store(Path(tmp) / "kgraph.db") as store:
            update(store, StubExtractor(), [records], on_article=lambda a, e: stamps.append((time.perf_counter(), time.process_time())))
    stamps = stamps[:n]

    def rate(first: int, last: int) -> tuple[float, float]:
        begin = stamps[first - 1] if first > 0 else start
        end = stamps[last - 1]
        return (last - first) / (end[0] - begin[0]), (last - first) / max(end[1] - begin[1], 1e-9)

    rates = {"all": rate(0, len(stamps))}
    for mark in sorted(m for m in (*MARKS, *EXTRA_MARKS) if m <= len(stamps)):
        rates[f"{mark:,}"] = rate(max(0, mark - WINDOW), mark)
    return rates


def part_ingest(args: argparse.Namespace) -> str:
    """The benchmark table (``bench/run.py --only ingest``)."""
    n = getattr(args, "records", MARKS[-1])
    rates = measure(n, getattr(args, "seed", 0))
    rows = "\n".join(f"| {k} | {wall:.0f} | {cpu:.0f} |" for k, (wall, cpu) in rates.items() if k != "all")
    wall, cpu = rates["all"]
    return (
        f"ingest of {n:,} one-line records into a new store (stub extraction): records/s over the {WINDOW:,} "
        f"records ending at each count, by wall time and by this process's CPU time; {wall:.0f} (wall), "
        f"{cpu:.0f} (CPU) records/s over the whole run\n\n"
        f"| records stored | records/s (wall) | records/s (CPU) |\n| --- | --- | --- |\n{rows}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=MARKS[-1])
    ap.add_argument("--seed", type=int, default=0)
    print(part_ingest(ap.parse_args(argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
