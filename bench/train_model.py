"""Train the relation model that ships with kgraph (data/model/relation_model.json.gz).

    python bench/train_model.py [--shared ../shared] [--out data/model/relation_model.json.gz]

It fits ``kgraph train`` to the union of the annotated evaluation sets ``eval/train`` and
``eval/dev`` (90 articles); the seed is fixed, so the same data gives the same file. The
figures that say how well this generalizes are not measured on these articles with this model
(it has seen them): they are cross-validated (``kgraph eval --folds 5``) and measured on dev
with a model trained on train alone; see the README, "Accuracy".
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared folder holding eval/train and eval/dev")
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "model" / "relation_model.json.gz")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    sets = [args.shared / "eval" / name for name in ("train", "dev")]
    missing = [s for s in sets if not (s / "gold.jsonl").is_file()]
    if missing:
        print(f"train_model: no gold.jsonl in {', '.join(map(str, missing))}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        gold = Path(tmp) / "gold.jsonl"
        gold.write_text("".join((s / "gold.jsonl").read_text(encoding="utf-8") for s in sets), encoding="utf-8")
        args.out.parent.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        cmd = [sys.executable, "-m", "kgraph", "train", str(gold), *(str(s / "articles") for s in sets), "-o", str(args.out), "--seed", str(args.seed)]
        code = subprocess.call(cmd, cwd=ROOT)
        print(f"train_model: {time.perf_counter() - start:.0f} s, exit {code}", file=sys.stderr)
        return code


if __name__ == "__main__":
    sys.exit(main())
