"""What each spaCy component costs kgraph and what it buys: CPU time and typed F1 (issue 16).

usage: python bench/components.py [--repeat R] [--model NAME]

On the articles of ``../shared/eval/train`` and ``dev`` (as kgraph feeds them: headlines in
sentence case), each component of the pipeline is timed on its own (the Docs go through the
pipeline one component at a time; best of R, process CPU time), once with every component of
the model run as spaCy runs it and once as :data:`kgraph.nlp.COMPONENTS` says. Typed F1 is
``kgraph eval``'s on each set, with the full pipeline, with each model component switched off
in turn, and with kgraph's setting. Re-run it when the extractor changes what it reads.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"
SETS = ("train", "dev")
FULL = {"ner": "all", "attribute_ruler": "all"}
READS = {
    "tok2vec": "nothing directly: the tagger's and parser's features",
    "tagger": "`tag_` (and, through attribute_ruler, `pos_`)",
    "parser": "dependencies and sentences",
    "attribute_ruler": "`pos_`, `morph` and some `lemma_` from `tag_`",
    "lemmatizer": "`lemma_` (trigger words)",
    "ner": "entity types: ambiguous gazetteer forms, persons beside a title (mentions.py)",
}


def extractor(components: Mapping[str, str], model: str | None):  # type: ignore[no-untyped-def]
    """An Extractor whose pipeline runs as ``components`` says (the setting is read as the pipeline loads)."""
    import kgraph.nlp
    from kgraph import Extractor

    saved = kgraph.nlp.COMPONENTS
    kgraph.nlp.COMPONENTS = components  # type: ignore[misc]
    try:
        return Extractor(model=model)
    finally:
        kgraph.nlp.COMPONENTS = saved  # type: ignore[misc]


def costs(nlp, texts: list[str], repeat: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """CPU seconds of each enabled component (and the tokenizer) over the texts, best of ``repeat``."""
    best: dict[str, float] = {}
    for _ in range(repeat):
        start = time.process_time()
        docs = [nlp.make_doc(t) for t in texts]
        best["tokenizer"] = min(best.get("tokenizer", float("inf")), time.process_time() - start)
        for name, proc in nlp.pipeline:
            start = time.process_time()
            docs = list(proc.pipe(docs, batch_size=64)) if hasattr(proc, "pipe") else [proc(d) for d in docs]
            best[name] = min(best.get(name, float("inf")), time.process_time() - start)
    return best


def f1s(ex, eval_sets: dict, disable: tuple[str, ...] = ()) -> tuple[float, float] | str:  # type: ignore[no-untyped-def]
    from kgraph.evaluate import evaluate

    try:
        with ex.nlp.select_pipes(disable=[d for d in disable if d in ex.nlp.pipe_names]):
            scores = [evaluate(ex, eval_sets[s]).typed.f1 for s in SETS]
        return scores[0], scores[1]
    except Exception as err:  # a component the others need: the run fails
        return f"fails ({type(err).__name__})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--model", help="spaCy pipeline name (default: kgraph's)")
    args = ap.parse_args(argv)

    from kgraph import read_articles
    from kgraph.evaluate import load_eval_set
    from kgraph.headlines import sentence_case
    from kgraph.nlp import COMPONENTS

    eval_sets = {s: load_eval_set(SHARED / s / "gold.jsonl", [SHARED / s / "articles"]) for s in SETS}
    full = extractor(FULL, args.model)
    ours = extractor(COMPONENTS, args.model)
    articles = [a for s in SETS for a in read_articles([SHARED / s / "articles"])]
    texts = [sentence_case(a.text, a.title, full.name_words) for a in articles]
    words = sum(len(t.split()) for t in texts)

    full_cost, our_cost = costs(full.nlp, texts, args.repeat), costs(ours.nlp, texts, args.repeat)
    full_total, our_total = sum(full_cost.values()), sum(our_cost.values())
    base = f1s(full, eval_sets)
    assert isinstance(base, tuple)
    kgraph = f1s(ours, eval_sets)
    assert isinstance(kgraph, tuple)
    replaced = {"ner": "kgraph_entities", "attribute_ruler": "kgraph_attributes"}

    def f1_cell(score: tuple[float, float] | str) -> str:
        if isinstance(score, str):
            return score
        return f"{score[0]:.3f} / {score[1]:.3f} ({score[0] - base[0]:+.3f} / {score[1] - base[1]:+.3f})"

    print(
        f"{len(articles)} articles ({' + '.join(SETS)}), {words:,} words; model {full.nlp.meta['lang']}_{full.nlp.meta['name']}; "
        f"CPU s best of {args.repeat}; typed F1 train / dev (change from the full pipeline)\n"
    )
    print("| component | what kgraph reads from it | CPU s, full pipeline | typed F1 without it | kgraph runs it | CPU s as kgraph runs it |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name in full.nlp.pipe_names:
        if name.startswith("kgraph_"):
            continue
        mode = COMPONENTS.get(name, "all")
        ours_name = replaced.get(name, name) if mode in ("needed", "tables") else name
        cost = our_cost.get(ours_name, 0.0) if mode != "off" else 0.0
        how = {"all": "on every sentence", "needed": "only on the sentences that need it", "tables": "as table look-ups (same output)", "off": "not at all"}[mode]
        without = "not measured: the rules need its parse (spaCy crashes without it)" if name == "parser" else f1_cell(f1s(full, eval_sets, (name,)))
        print(
            f"| {name} | {READS.get(name, '')} | {full_cost[name]:.2f} ({full_cost[name] / full_total:.0%}) | {without} "
            f"| {how} | {cost:.2f} |"
        )
    own = sum(v for k, v in our_cost.items() if k.startswith("kgraph_") and k not in replaced.values()) + our_cost["tokenizer"]
    print(f"| tokenizer, kgraph's paragraphs and actor ruler | | {full_cost['tokenizer'] + sum(v for k, v in full_cost.items() if k.startswith('kgraph_')):.2f} | | | {own:.2f} |")
    print(f"| **pipeline** | | **{full_total:.2f}** | {base[0]:.3f} / {base[1]:.3f} (full) | | **{our_total:.2f}** |")
    print(
        f"\nkgraph's setting {dict(COMPONENTS)}: typed F1 {kgraph[0]:.3f} / {kgraph[1]:.3f} "
        f"({kgraph[0] - base[0]:+.3f} / {kgraph[1] - base[1]:+.3f} from the full pipeline); "
        f"pipeline CPU {our_total:.2f} s vs {full_total:.2f} s ({full_total / our_total:.2f}x faster)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
