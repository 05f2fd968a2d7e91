"""Derive kgraph's CAMEO verb classes (data/lexicon/cameo_verbs.json) from PETRARCH2's verb dictionary.

    python bench/cameo_lexicon.py CAMEO.2.0.txt [-o data/lexicon/cameo_verbs.json]

The source is the CAMEO verb pattern dictionary of the Open Event Data Alliance's PETRARCH2
coder (``petrarch2/data/dictionaries/CAMEO.2.0.txt``, MIT licence), itself built from the
TABARI CAMEO dictionaries and WordNet synonym sets: some 4,000 English verbs, each under a
CAMEO event code. Each verb gets the kgraph relation of its code by the contract's mapping of
CAMEO roots (docs/ONTOLOGY.md); verbs whose code has no relation (statements, yielding,
investigating) or no code are left out. The verb's own code wins over its block's; a block with
no code gives its verbs the relation most of its patterns carry, when at least two thirds do.

kgraph reads the result as features only (the model learns how far to trust it); the rules keep
reading the hand-made lexicon.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = "openeventdata/petrarch2 petrarch2/data/dictionaries/CAMEO.2.0.txt at 676801cd9cb2924bbbad09f86d15c9323e7097bf (MIT, Copyright (c) 2015 Open Event Data Alliance)"


def relation_of(code: str) -> str | None:
    """The contract's relation for a CAMEO event code (docs/ONTOLOGY.md, 'CAMEO roots')."""
    code = code.strip()
    if not code.isdigit() or len(code) < 2:
        return None
    root = code[:2]
    if code.startswith("051"):
        return "supports"
    if code.startswith("036"):
        return "meets"
    return {
        "07": "supports", "04": "meets", "03": "partners-with", "05": "partners-with", "06": "partners-with",
        "13": "warns", "15": "warns", "02": "demands", "10": "demands", "11": "criticizes", "12": "criticizes",
        "14": "criticizes", "16": "sanctions", "17": "sanctions", "18": "attacks", "19": "attacks", "20": "attacks",
    }.get(root)


_HEADER = re.compile(r"^---\s+(\S.*?)\s+\[([^\]]*)\]\s+---")
_CODE = re.compile(r"\[([0-9]{2,4})[^\]]*\]")


def parse(text: str) -> dict[str, str]:
    """verb (lower case, '_' joining a multi-word verb's words) -> relation."""
    lines = text.splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if "VERB PATTERNS" in line)
    except StopIteration:
        raise SystemExit("cameo_lexicon: no 'VERB PATTERNS' section: not a PETRARCH verb dictionary") from None
    out: dict[str, str] = {}
    block_code: str | None = None
    verbs: list[tuple[str, str | None]] = []
    patterns: Counter[str] = Counter()

    def close() -> None:
        default = relation_of(block_code) if block_code and block_code != "---" else None
        if default is None and patterns:
            rel, n = patterns.most_common(1)[0]
            if n * 3 >= 2 * sum(patterns.values()):
                default = rel
        for verb, own in verbs:
            rel = relation_of(own) if own else default
            if rel and verb not in out:
                out[verb] = rel

    for raw in lines[start + 1 :]:
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        header = _HEADER.match(line)
        if header:
            close()
            block_code, verbs, patterns = header.group(2).strip(), [], Counter()
            continue
        if line.startswith("-"):
            code = _CODE.search(line)
            rel = relation_of(code.group(1)) if code else None
            if rel:
                patterns[rel] += 1
            continue
        if line[0] in "&+~":
            continue
        word = line.split("{", 1)[0].split("[", 1)[0].strip()
        if not word or not re.fullmatch(r"[A-Z][A-Z_'-]*", word):
            continue
        own = _CODE.search(line)
        verbs.append((word.lower(), own.group(1) if own else None))
    close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dictionary", type=Path, help="PETRARCH2's CAMEO.2.0.txt")
    parser.add_argument("-o", "--out", type=Path, default=ROOT / "data" / "lexicon" / "cameo_verbs.json")
    args = parser.parse_args()
    verbs = parse(args.dictionary.read_text(encoding="utf-8", errors="replace"))
    record = {
        "about": "CAMEO verb classes: verb lemma -> kgraph relation, derived by bench/cameo_lexicon.py from " + SOURCE
        + ". Read as model features only. The MIT licence of the source: permission is granted, free of charge, to deal in the software without restriction,"
        " provided the copyright notice and permission notice are included; THE SOFTWARE IS PROVIDED 'AS IS', WITHOUT WARRANTY OF ANY KIND.",
        "source": SOURCE,
        "verbs": dict(sorted(verbs.items())),
    }
    args.out.write_text(json.dumps(record, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    counts = Counter(verbs.values())
    print(f"cameo_lexicon: {len(verbs)} verbs -> {args.out} ({', '.join(f'{r} {n}' for r, n in counts.most_common())})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
