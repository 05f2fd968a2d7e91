"""kgraph against the two baselines on the dev set and the PETRARCH GSR cases: one Markdown table.

usage: python bench/accuracy.py [--dev DIR] [--petrarch FILE] [--model NAME]

Every system is scored by kgraph.evaluate.score, which gives shared/eval/dev/score.py's
figures (typed = source, relation, target and negation right, per article).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from baselines import baseline_events

from kgraph import Extractor, read_articles
from kgraph.evaluate import Evaluation, load_eval_set, score
from kgraph.records import Article, Event

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"


def systems(extractor: Extractor, articles: list[Article]) -> dict[str, list[Event]]:
    """Events of kgraph (as ``kgraph extract`` gives them) and of both baselines, by system."""
    out = {"kgraph": [e for _, found in extractor.extract(articles) for e in found]}
    docs = extractor.nlp.pipe(((a.text, a) for a in articles), as_tuples=True)
    out.update(baseline_events(docs, extractor.gazetteer, extractor.lexicon))
    return out


def cell(ev: Evaluation) -> str:
    t = ev.typed
    return f"{t.precision:.2f} | {t.recall:.2f} | **{t.f1:.2f}** | {ev.untyped.f1:.2f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev", type=Path, default=SHARED / "dev", help="folder with gold.jsonl and articles/")
    ap.add_argument("--petrarch", type=Path, default=SHARED / "petrarch" / "cases_gsr_news.jsonl")
    ap.add_argument("--model", help="spaCy pipeline name (default: kgraph's)")
    args = ap.parse_args(argv)

    started = time.perf_counter()
    extractor = Extractor(model=args.model)
    dev_set = load_eval_set(args.dev / "gold.jsonl", [args.dev / "articles"])
    dev_articles = list(read_articles(dev_set.inputs))
    petrarch_set = load_eval_set(args.petrarch)
    sets = {"dev": (dev_set, dev_articles), "petrarch": (petrarch_set, petrarch_set.articles)}
    results: dict[str, dict[str, Evaluation]] = {}
    for name, (eval_set, articles) in sets.items():
        ids = [a.id for a in articles]
        for system, events in systems(extractor, articles).items():
            results.setdefault(system, {})[name] = score(eval_set.gold, events, ids, skipped_gold=eval_set.skipped)

    dev, pet = results["kgraph"]["dev"], results["kgraph"]["petrarch"]
    print(f"dev: {dev.articles} articles, {dev.gold_keys} gold relations; "
          f"PETRARCH GSR: {pet.articles} sentences, {pet.gold_keys} gold relations "
          f"({sum(pet.skipped_gold.values())} expectations not expressible in kgraph's terms skipped)\n")
    print("| system | dev typed P | dev typed R | dev typed F1 | dev untyped F1 | PETRARCH typed P | PETRARCH typed R | PETRARCH typed F1 | PETRARCH untyped F1 |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for system, by_set in results.items():
        print(f"| {system} | {cell(by_set['dev'])} | {cell(by_set['petrarch'])} |")
    for name, ev in (("dev", dev), ("PETRARCH", pet)):
        if ev.ranking:
            r = ev.ranking
            print(f"\nkgraph confidence ranking on {name}: top half precision {r.top.precision:.2f} "
                  f"({r.top.tp + r.top.fp} keys), bottom half {r.bottom.precision:.2f} ({r.bottom.tp + r.bottom.fp} keys)"
                  + (" [halves tied on confidence]" if r.tied else ""))
    print(f"\n({extractor.version}; {time.perf_counter() - started:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
