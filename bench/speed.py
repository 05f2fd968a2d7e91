"""Extraction speed against the plain spaCy pipeline on the same texts (issue 3: within 20%).

usage: python bench/speed.py [--articles N] [--batch-size B] [--repeat R] [--model NAME] [--profile FILE]

The texts are the dev articles repeated to N articles (default 2000). "plain spaCy" is the
stock pipeline of the same model (``spacy.load``) run with ``nlp.pipe`` at the same batch
size; "kgraph" is ``Extractor.extract`` (kgraph's pipeline plus mentions and relation rules).
A third row runs kgraph's spaCy pipeline alone (its actor SpanRuler included, no rules), so the
cost of the ruler and of the rules can be told apart. Words are whitespace-separated tokens.
Each is run R times, interleaved, and the least process CPU time is kept: CPU time, not wall
time, because the machine may be shared (wall time is shown too). ``--profile FILE`` writes a
cProfile of one kgraph run (read it with ``python -m pstats FILE``).
"""

from __future__ import annotations

import argparse
import cProfile
import sys
import time
from collections.abc import Callable
from pathlib import Path

import spacy

from kgraph import Extractor, read_articles
from kgraph.pipeline import DEFAULT_BATCH_SIZE
from kgraph.records import Article

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "eval" / "dev" / "articles"


def corpus(n: int, folder: Path) -> list[Article]:
    """``n`` articles cycling through the articles of ``folder`` (ids made unique)."""
    base = list(read_articles([folder]))
    if not base:
        raise SystemExit(f"no articles in {folder}")
    return [Article(id=f"{i}_{a.id}", text=a.text, date=a.date) for i, a in ((i, base[i % len(base)]) for i in range(n))]


def timed(run: Callable[[], object]) -> tuple[float, float]:
    """(process CPU seconds, wall seconds) of one call."""
    cpu, wall = time.process_time(), time.perf_counter()
    run()
    return time.process_time() - cpu, time.perf_counter() - wall


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--model", help="spaCy pipeline name (default: kgraph's)")
    ap.add_argument("--texts", type=Path, default=DEV, help="folder of articles to repeat")
    ap.add_argument("--profile", type=Path, help="write a cProfile of one kgraph run to this file")
    args = ap.parse_args(argv)

    extractor = Extractor(model=args.model)
    model = args.model or extractor.nlp.meta["lang"] + "_" + extractor.nlp.meta["name"]
    plain = spacy.load(model)
    articles = corpus(args.articles, args.texts)
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)

    def run_plain() -> None:
        for _ in plain.pipe(texts, batch_size=args.batch_size):
            pass

    events = 0

    def run_kgraph() -> None:
        nonlocal events
        events = sum(len(found) for _, found in extractor.extract(articles, batch_size=args.batch_size))

    def run_kgraph_nlp() -> None:
        for _ in extractor.nlp.pipe(texts, batch_size=args.batch_size):
            pass

    # warm up (first-batch allocations, lazy loading)
    list(plain.pipe(texts[:32]))
    list(extractor.extract(articles[:32]))
    runs = {"plain spaCy": run_plain, "kgraph spaCy pipeline only": run_kgraph_nlp, "kgraph": run_kgraph}
    best = {name: (float("inf"), float("inf")) for name in runs}
    for _ in range(args.repeat):
        for name, run in runs.items():
            best[name] = min(best[name], timed(run))
    if args.profile:
        cProfile.runctx("run_kgraph()", globals(), {"run_kgraph": run_kgraph}, str(args.profile))

    print(f"{len(articles)} articles, {words} words, model {model}, batch size {args.batch_size}, best of {args.repeat}\n")
    print("| run | components | CPU s | wall s | words/s (CPU) |")
    print("| --- | --- | --- | --- | --- |")
    for name, nlp in (("plain spaCy", plain), ("kgraph spaCy pipeline only", extractor.nlp), ("kgraph", extractor.nlp)):
        extra = " + mentions and relation rules" if name == "kgraph" else ""
        cpu, wall = best[name]
        print(f"| {name} | {', '.join(nlp.pipe_names)}{extra} | {cpu:.1f} | {wall:.1f} | {words / cpu:,.0f} |")
    ratio = best["plain spaCy"][0] / best["kgraph"][0]
    print(f"\nkgraph speed / plain spaCy speed = {ratio:.2f} (target >= 0.80); {events} events")
    return 0


if __name__ == "__main__":
    sys.exit(main())
