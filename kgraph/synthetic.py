"""A corpus of any size, generated from sentence templates over the gazetteer (for benchmarks and scale tests).

Deterministic: the same ``n`` and ``seed`` give the same articles, and article ``i`` does not
depend on ``n``. The sentences are news-like but made up; they exercise the parser and the
rules (relations, officials, pronouns, negation), not the accuracy of kgraph.

    python -m kgraph.synthetic 10000 corpus/   # writes corpus/part-00000.jsonl ... (seed 0)
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from .gazetteer import Gazetteer
from .records import Article

# {a}, {b}: actors; {p}: an official of {a}, {r} their role; {d}: a weekday
TEMPLATES = (
    "{a} condemned {b} on {d} over its military buildup near the border.",
    "{p}, the {r} of {a}, met {b}'s leaders in a two-day visit.",
    "{a} imposed new sanctions on {b}, officials said on {d}.",
    "{a} and {b} signed an agreement to expand trade and energy cooperation.",
    "{a} accused {b} of violating the ceasefire, and it threatened to respond.",
    "{b} rejected the accusation, saying it had not attacked any targets.",
    "{p} praised {b} for its support during the crisis.",
    "Forces of {a} attacked positions held by {b} on {d}, according to witnesses.",
    "{a} called on {b} to release the detained journalists.",
    "{a} did not criticize {b} in its statement on {d}.",
    "{p} said {a} would continue to provide military aid to {b}.",
    "Talks between {a} and {b} ended without an agreement on {d}.",
    "{a} expelled two diplomats of {b} after the incident.",
    "The {r} of {a}, {p}, warned {b} against any escalation.",
)
FILLERS = (
    "The meeting took place amid rising tensions in the region.",
    "Analysts said the move could reshape the balance of power.",
    "Markets reacted calmly to the news.",
    "The statement was published on the ministry's website.",
    "Further talks are expected next month.",
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def articles(n: int, seed: int = 0, sentences: tuple[int, int] = (3, 6), gazetteer: Gazetteer | None = None) -> Iterator[Article]:
    """``n`` articles of ``sentences`` (min, max) sentences each, streamed."""
    gaz = gazetteer or Gazetteer.load()
    states = sorted(a.label for a in gaz.actors.values() if a.kind == "state")
    others = sorted(a.label for a in gaz.actors.values() if a.kind != "state")
    officials = sorted((o for o in gaz.officials if o.end is None and o.actor in gaz.actors and o.role), key=lambda o: o.name)
    for i in range(n):
        rng = random.Random(f"{seed}:{i}")
        day = date(2023, 1, 1) + timedelta(days=rng.randrange(730))
        lines = []
        for _ in range(rng.randint(*sentences)):
            official = rng.choice(officials)
            a = gaz.label(official.actor) if rng.random() < 0.5 else rng.choice(states)
            b = rng.choice(others) if rng.random() < 0.2 else rng.choice(states)
            if b == a:
                b = rng.choice(states)
            template = rng.choice(TEMPLATES)
            if "{p}" in template:
                a = gaz.label(official.actor)
            sentence = template.format(a=a, b=b, p=official.name, r=official.role.replace("_", " "), d=rng.choice(DAYS))
            lines.append(sentence[0].upper() + sentence[1:])
            if rng.random() < 0.3:
                lines.append(rng.choice(FILLERS))
        title = lines[0].rstrip(".")
        yield Article(id=f"gen{seed}_{i:07d}", text=f"{title}\n\n{' '.join(lines[1:])}", title=title, date=day.isoformat())


def write(folder: str | Path, n: int, seed: int = 0, per_file: int = 1000) -> Path:
    """Write ``n`` generated articles into ``folder`` as JSONL files of ``per_file`` records (id, title, date, text)."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    handle = None
    try:
        for i, article in enumerate(articles(n, seed)):
            if i % per_file == 0:
                if handle:
                    handle.close()
                handle = (out / f"part-{i // per_file:05d}.jsonl").open("w", encoding="utf-8")
            body = article.text.split("\n\n", 1)[-1]
            record = {"id": article.id, "title": article.title, "date": article.date, "text": body}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")  # type: ignore[union-attr]
    finally:
        if handle:
            handle.close()
    return out


def main(argv: list[str] | None = None) -> None:
    """``python -m kgraph.synthetic N FOLDER [SEED]``: with ``--help``, usage; bad arguments are one line."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m kgraph.synthetic", description="Write N made-up news articles as JSONL files into FOLDER.")
    parser.add_argument("n", type=int, metavar="N", help="how many articles")
    parser.add_argument("folder", metavar="FOLDER", help="where part-00000.jsonl ... go (made if missing)")
    parser.add_argument("seed", type=int, nargs="?", default=0, metavar="SEED", help="random seed (default: 0)")
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("N must be 0 or more")
    write(args.folder, args.n, args.seed)


if __name__ == "__main__":  # pragma: no cover
    main()
