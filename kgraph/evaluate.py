"""Measuring extraction against hand-made gold: set-based precision, recall and F1.

Both sides are reduced to sets of keys, one per distinct relation per article, exactly as the
dev scorer (``shared/eval/dev/score.py``) does:

- typed:   (article file name, source, relation, target, negated); ``partners-with`` and
  ``meets`` compare their two actors unordered;
- untyped: (article file name, unordered actor pair, negated): relation and direction ignored.

Only articles that were read count; an article with no gold line still counts, so whatever is
predicted for it is a false positive. A relation stated several times counts once.

A PETRARCH validation cases file (``{"id", "text", "expected": [...]}`` per line) is gold too:
each case is one one-sentence article, CAMEO codes become relations by the ontology table,
PETRARCH actor codes become kgraph ids where the mapping is certain, and expectations that
cannot be expressed in kgraph's terms are skipped and counted (see :func:`read_petrarch_cases`).
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .ingest import DEFAULT_MAX_BYTES, Problem, parse_date
from .records import RELATIONS, SYMMETRIC, Article, Event

if TYPE_CHECKING:
    from .pipeline import Extractor

Key = tuple[str, str, str, str, bool]  # (article, source, relation, target, negated)


class EvalError(ValueError):
    """A gold file or an input that cannot be scored; the message names the file and line."""


class Relational(Protocol):
    """Anything with the five fields of a key (a gold line or an :class:`Event`)."""

    @property
    def article(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def relation(self) -> str: ...
    @property
    def target(self) -> str: ...
    @property
    def negated(self) -> bool: ...


@dataclass(frozen=True)
class GoldRelation:
    """One line of a gold file: a relation an annotator found in an article."""

    article: str
    source: str
    relation: str
    target: str
    negated: bool = False
    evidence: str = ""


@dataclass(frozen=True)
class Counts:
    """True positives, false positives and misses, with the figures they give."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, float | int]:
        return {"p": self.precision, "r": self.recall, "f": self.f1, "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass(frozen=True)
class ScoredRelation:
    """A false positive (with the evidence kgraph used) or a miss (with the gold evidence)."""

    article: str
    source: str
    relation: str
    target: str
    negated: bool
    evidence: str
    confidence: float | None = None  # predictions only
    sentence: int | None = None  # predictions only


@dataclass(frozen=True)
class RankingCheck:
    """Precision of the top-confidence half of predicted keys against the bottom half."""

    top: Counts  # tp and fp of the top half (fn unused)
    bottom: Counts
    top_min_confidence: float
    bottom_max_confidence: float

    @property
    def tied(self) -> bool:
        """The halves share a confidence value, so the split inside it is by key order."""
        return self.top_min_confidence <= self.bottom_max_confidence


@dataclass(frozen=True)
class ReliabilityBin:
    """Predicted relations whose confidence lies in ``[low, high)``, and how many of them the gold has."""

    low: float
    high: float
    predicted: int
    correct: int
    mean_confidence: float

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0


#: bin edges of the reliability table
RELIABILITY_EDGES = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)


def reliability(confidence: dict[Key, float], gold: set[Key], edges: Sequence[float] = RELIABILITY_EDGES) -> list[ReliabilityBin]:
    """Predicted against observed precision, per confidence bin: calibrated confidences lie on the diagonal."""
    bins = []
    for low, high in zip(edges, edges[1:], strict=False):
        keys = [k for k, c in confidence.items() if low <= c < high or (high == edges[-1] and c == high)]
        hits = sum(k in gold for k in keys)
        mean = sum(confidence[k] for k in keys) / len(keys) if keys else 0.0
        bins.append(ReliabilityBin(low, high, len(keys), hits, mean))
    return bins


def format_reliability(bins: Sequence[ReliabilityBin]) -> list[str]:
    lines = ["reliability (confidence bin: relations, mean confidence, observed precision):"]
    for b in bins:
        if b.predicted:
            lines.append(f"  {b.low:.1f}-{b.high:.1f}  {b.predicted:4}  {b.mean_confidence:.2f}  {b.precision:.2f}")
    return lines


@dataclass(frozen=True)
class Evaluation:
    """Everything one scoring run found."""

    articles: int
    gold_keys: int
    pred_keys: int
    typed: Counts
    untyped: Counts
    per_relation: dict[str, Counts]
    false_positives: list[ScoredRelation]
    misses: list[ScoredRelation]
    ranking: RankingCheck | None
    min_confidence: float = 0.0
    gold_outside_articles: int = 0  # gold lines for articles that were not among the inputs
    skipped_gold: dict[str, int] = field(default_factory=dict)  # reason -> expectations skipped
    reliability: list[ReliabilityBin] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``kgraph eval --json``); figure names follow score.py's."""
        ranking = None
        if self.ranking:
            r = self.ranking
            ranking = {
                "top_precision": r.top.precision,
                "bottom_precision": r.bottom.precision,
                "top_keys": r.top.tp + r.top.fp,
                "bottom_keys": r.bottom.tp + r.bottom.fp,
                "top_min_confidence": r.top_min_confidence,
                "bottom_max_confidence": r.bottom_max_confidence,
                "tied": r.tied,
            }
        return {
            "articles": self.articles,
            "gold_keys": self.gold_keys,
            "pred_keys": self.pred_keys,
            "min_confidence": self.min_confidence,
            "typed": self.typed.to_dict(),
            "untyped": self.untyped.to_dict(),
            "per_relation": {name: c.to_dict() for name, c in self.per_relation.items()},
            "ranking": ranking,
            "gold_outside_articles": self.gold_outside_articles,
            "skipped_gold": dict(self.skipped_gold),
            "reliability": [{**asdict(b), "precision": b.precision} for b in self.reliability],
            "false_positives": [asdict(e) for e in self.false_positives],
            "misses": [asdict(e) for e in self.misses],
        }


# --- keys and scoring (pure) ---------------------------------------------------------------


def article_name(article: str) -> str:
    """The article's file name: gold and events may give a path or a bare name."""
    return os.path.basename(str(article))


def typed_key(record: Relational) -> Key:
    source, target = str(record.source), str(record.target)
    if record.relation in SYMMETRIC:
        source, target = sorted((source, target))
    return (article_name(record.article), source, str(record.relation), target, bool(record.negated))


def untyped_key(record: Relational) -> Key:
    # without the relation, symmetric and directed cannot be told apart: the pair is unordered
    source, target = sorted((str(record.source), str(record.target)))
    return (article_name(record.article), source, "*", target, bool(record.negated))


def _compare(gold: set[Key], pred: set[Key]) -> Counts:
    return Counts(len(gold & pred), len(pred - gold), len(gold - pred))


def ranking_check(confidence: dict[Key, float], gold: set[Key]) -> RankingCheck | None:
    """Split the predicted keys by confidence (highest first, the middle one on top) and score each half."""
    if len(confidence) < 2:
        return None
    ranked = sorted(confidence, key=lambda k: (-confidence[k], k))
    half = (len(ranked) + 1) // 2
    top, bottom = ranked[:half], ranked[half:]

    def counts(keys: list[Key]) -> Counts:
        hits = sum(k in gold for k in keys)
        return Counts(hits, len(keys) - hits, 0)

    return RankingCheck(counts(top), counts(bottom), confidence[top[-1]], confidence[bottom[0]])


def score(
    gold: Iterable[GoldRelation],
    events: Iterable[Event],
    articles: Iterable[str] | None = None,
    min_confidence: float = 0.0,
    skipped_gold: dict[str, int] | None = None,
) -> Evaluation:
    """Score events against gold relations, over ``articles`` (default: the articles the gold names)."""
    gold_lines = list(gold)
    names = {article_name(a) for a in articles} if articles is not None else {article_name(g.article) for g in gold_lines}
    kept_gold = [g for g in gold_lines if article_name(g.article) in names]
    kept = [e for e in events if article_name(e.article) in names and e.confidence >= min_confidence]

    gold_typed: dict[Key, GoldRelation] = {}
    for g in kept_gold:
        gold_typed.setdefault(typed_key(g), g)
    best: dict[Key, Event] = {}  # key -> its most confident event
    for e in kept:
        key = typed_key(e)
        if key not in best or e.confidence > best[key].confidence:
            best[key] = e
    gold_keys, pred_keys = set(gold_typed), set(best)

    per_relation: dict[str, Counts] = {}
    for name in list(RELATIONS) + sorted({k[2] for k in pred_keys | gold_keys} - set(RELATIONS)):
        gold_of = {k for k in gold_keys if k[2] == name}
        pred_of = {k for k in pred_keys if k[2] == name}
        if gold_of or pred_of:
            per_relation[name] = _compare(gold_of, pred_of)

    false_positives = [
        ScoredRelation(*key, evidence=best[key].evidence, confidence=best[key].confidence, sentence=best[key].sentence)
        for key in sorted(pred_keys - gold_keys)
    ]
    misses = [ScoredRelation(*key, evidence=gold_typed[key].evidence) for key in sorted(gold_keys - pred_keys)]
    return Evaluation(
        articles=len(names),
        gold_keys=len(gold_keys),
        pred_keys=len(pred_keys),
        typed=_compare(gold_keys, pred_keys),
        untyped=_compare({untyped_key(g) for g in kept_gold}, {untyped_key(e) for e in kept}),
        per_relation=per_relation,
        false_positives=false_positives,
        misses=misses,
        ranking=ranking_check({k: e.confidence for k, e in best.items()}, gold_keys),
        reliability=reliability({k: e.confidence for k, e in best.items()}, gold_keys),
        min_confidence=min_confidence,
        gold_outside_articles=len(gold_lines) - len(kept_gold),
        skipped_gold=dict(skipped_gold or {}),
    )


# --- gold files ----------------------------------------------------------------------------


def json_lines(path: str | Path, problems: list[str] | None = None) -> Iterable[tuple[int, Any]]:
    """(line number, decoded object) of a JSONL file.

    A line that is not JSON raises EvalError naming it, or, given a ``problems`` list, is
    reported there (``file:line: not JSON (...); line skipped``) and the reading goes on.
    """
    try:
        with open(path, encoding="utf-8-sig") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    yield number, json.loads(line)
                except json.JSONDecodeError as err:
                    if problems is None:
                        raise EvalError(f"{path}:{number}: not JSON ({err.msg})") from None
                    problems.append(f"{path}:{number}: not JSON ({err.msg}); line skipped")
    except (OSError, UnicodeDecodeError) as err:
        raise EvalError(f"{path}: cannot read ({err})") from None


def read_gold(path: str | Path) -> list[GoldRelation]:
    """Gold relations of a ``gold.jsonl`` file (the format of ``shared/eval/dev/gold.jsonl``)."""
    gold = []
    for number, record in json_lines(Path(path)):
        if not isinstance(record, dict):
            raise EvalError(f"{path}:{number}: not a JSON object")
        missing = [k for k in ("article", "source", "relation", "target") if not record.get(k)]
        if missing:
            raise EvalError(f"{path}:{number}: missing {', '.join(missing)}")
        gold.append(
            GoldRelation(
                article=str(record["article"]),
                source=str(record["source"]),
                relation=str(record["relation"]),
                target=str(record["target"]),
                negated=bool(record.get("negated", False)),
                evidence=str(record.get("evidence") or ""),
            )
        )
    return gold


# --- PETRARCH validation cases -------------------------------------------------------------

#: CAMEO two-digit roots -> relation, from the ontology table; 01, 08 and 09 have none.
CAMEO_ROOT_RELATIONS: dict[str, str] = {
    "02": "demands",
    "03": "partners-with",
    "04": "meets",
    "05": "partners-with",
    "06": "partners-with",
    "07": "supports",
    "10": "demands",
    "11": "criticizes",
    "12": "criticizes",
    "13": "warns",
    "14": "criticizes",
    "15": "warns",
    "16": "sanctions",
    "17": "sanctions",
    "18": "attacks",
    "19": "attacks",
    "20": "attacks",
}
#: The table's exceptions below the root: 036 (express intent to meet) and 051 (praise or endorse).
CAMEO_CODE_RELATIONS: dict[str, str] = {"036": "meets", "051": "supports"}

#: PETRARCH organisation codes (kept whole as roots) -> kgraph ids, by prefix; only certain ones.
PETRARCH_ORGANIZATIONS: dict[str, str] = {
    "IGOUNO": "UN",  # United Nations, also its agents (IGOUNOMIL: UN troops)
    "IGOEUREEC": "EU",  # European Union
    "IGOCOPITP": "INTERPOL",
    "IMGMUSISI": "ISIS",  # Islamic State
}
#: Old TABARI state codes of the PETRARCH unit tests -> ISO 3166-1 alpha-3.
PETRARCH_LEGACY_STATES: dict[str, str] = {"KUW": "KWT", "NZE": "NZL", "ZBW": "ZWE"}
_ORGANIZATION_PREFIXES = ("IGO", "NGO", "IMG", "NGM", "MNC", "UIS")


def cameo_relation(code: str) -> str | None:
    """The relation a CAMEO event code maps to, or None (roots 01, 08, 09 and non-CAMEO codes)."""
    return CAMEO_CODE_RELATIONS.get(code[:3]) or CAMEO_ROOT_RELATIONS.get(code[:2])


def petrarch_actor(root: str) -> str | None:
    """The kgraph id of a PETRARCH actor root, or None when there is no certain one (``---``, text codes)."""
    if root in PETRARCH_LEGACY_STATES:
        return PETRARCH_LEGACY_STATES[root]
    if root.startswith(_ORGANIZATION_PREFIXES):
        return next((aid for prefix, aid in PETRARCH_ORGANIZATIONS.items() if root.startswith(prefix)), None)
    return root if re.fullmatch(r"[A-Z]{3}", root) else None


@dataclass(frozen=True)
class PetrarchSet:
    """PETRARCH cases as kgraph gold: one article per sentence, and what could not be used."""

    articles: list[Article]
    gold: list[GoldRelation]
    skipped: dict[str, int]  # reason -> expectations (or cases) skipped


def is_petrarch_cases(path: str | Path) -> bool:
    """Whether the file's first record looks like a PETRARCH case (``text`` and ``expected``)."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            first = next((line for line in handle if line.strip()), "")
        record = json.loads(first)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return isinstance(record, dict) and "expected" in record and "text" in record


def read_petrarch_cases(path: str | Path) -> PetrarchSet:
    """The cases of a PETRARCH cases JSONL file (``shared/eval/petrarch``) as articles and gold.

    Each case becomes an article with the case id as its id. An expected event becomes the gold
    relation (source root, relation, target root, not negated) unless its CAMEO code has no
    relation, an actor root has no certain kgraph id (``---``, quoted text codes, unlisted
    organisation codes), or both roots are the same actor (kgraph never relates an actor to
    itself). Cases the file marks ``evaluate: false`` or ``fictional`` are left out.
    A case with no usable expectation still counts: any relation predicted for it is wrong.
    """
    articles: list[Article] = []
    gold: list[GoldRelation] = []
    skipped: Counter[str] = Counter()
    for number, case in json_lines(Path(path)):
        if not isinstance(case, dict) or not isinstance(case.get("text"), str) or not isinstance(case.get("expected"), list):
            raise EvalError(f"{path}:{number}: not a PETRARCH case (needs 'text' and 'expected')")
        if case.get("evaluate") is False or case.get("fictional"):
            skipped["case marked not evaluated or fictional"] += 1
            continue
        case_id = str(case.get("id") or f"line{number}")
        articles.append(Article(id=case_id, text=case["text"], date=parse_date(case.get("date"))))
        for expected in case["expected"]:
            code = str(expected.get("cameo", ""))
            relation = cameo_relation(code)
            source, target = (petrarch_actor(str(expected.get(k, ""))) for k in ("source_root", "target_root"))
            if relation is None:
                skipped[f"CAMEO root {code[:2]} has no relation"] += 1
            elif source is None or target is None:
                unmapped = [str(expected.get(k)) for k, a in (("source_root", source), ("target_root", target)) if a is None]
                skipped[f"no kgraph actor for {'/'.join(unmapped)}"] += 1
            elif source == target:
                skipped["same actor on both sides"] += 1
            else:
                gold.append(GoldRelation(case_id, source, relation, target, False, case["text"]))
    return PetrarchSet(articles, gold, dict(skipped))


# --- running the extraction (IO) -----------------------------------------------------------


@dataclass(frozen=True)
class EvalSet:
    """What to score against: gold relations and where the articles come from."""

    gold: list[GoldRelation]
    inputs: list[str | Path] = field(default_factory=list)  # article files and folders (gold.jsonl)
    articles: list[Article] = field(default_factory=list)  # the sentences themselves (PETRARCH cases)
    skipped: dict[str, int] = field(default_factory=dict)


def load_eval_set(gold_path: str | Path, inputs: Sequence[str | Path] = ()) -> EvalSet:
    """Read a gold file (gold.jsonl with its INPUTs, or a PETRARCH cases file alone); bad input raises EvalError."""
    if is_petrarch_cases(gold_path):
        if inputs:
            raise EvalError(f"{gold_path}: a PETRARCH cases file holds its own sentences; give no INPUT")
        cases = read_petrarch_cases(gold_path)
        return EvalSet(cases.gold, articles=cases.articles, skipped=cases.skipped)
    if not inputs:
        raise EvalError(f"{gold_path}: give the articles the gold file annotates (INPUT...)")
    return EvalSet(read_gold(gold_path), inputs=list(inputs))


def evaluate(
    extractor: Extractor,
    eval_set: EvalSet,
    min_confidence: float = 0.0,
    on_problem: Callable[[Problem], None] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Evaluation:
    """Extract events from the set's articles and score them against its gold."""
    if eval_set.articles:
        events = [e for _, found in extractor.extract(eval_set.articles) for e in found]
        return score(eval_set.gold, events, [a.id for a in eval_set.articles], min_confidence, eval_set.skipped)
    from .pipeline import run  # here, not at the top: pipeline imports spaCy

    read: list[str] = []
    result = run(extractor, eval_set.inputs, on_problem, lambda article, _: read.append(article.id), max_bytes)
    if not read:
        raise EvalError("no article could be read from the inputs")
    return score(eval_set.gold, result.events, read, min_confidence)


def evaluate_files(extractor: Extractor, gold_path: str | Path, inputs: Sequence[str | Path] = (), min_confidence: float = 0.0) -> Evaluation:
    """:func:`evaluate` on :func:`load_eval_set` (the library form of ``kgraph eval``)."""
    return evaluate(extractor, load_eval_set(gold_path, inputs), min_confidence)


# --- the report ----------------------------------------------------------------------------


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def format_report(evaluation: Evaluation, errors: bool = True) -> str:
    """The table ``kgraph eval`` prints, then the false positives and misses grouped by article."""
    ev = evaluation
    lines = [
        f"articles {ev.articles}  gold relations {ev.gold_keys}  predicted relations {ev.pred_keys}"
        + (f"  (events with confidence >= {ev.min_confidence:g})" if ev.min_confidence > 0 else ""),
        f"{'relation':14} {'P':>5} {'R':>5} {'F1':>5} {'tp':>4} {'fp':>4} {'fn':>4}",
    ]
    for name, c in ev.per_relation.items():
        lines.append(f"{name:14} {c.precision:5.2f} {c.recall:5.2f} {c.f1:5.2f} {c.tp:4} {c.fp:4} {c.fn:4}")
    for label, c in (("typed", ev.typed), ("untyped", ev.untyped)):
        lines.append(f"{label:14} {c.precision:5.3f} {c.recall:5.3f} {c.f1:5.3f} {c.tp:4} {c.fp:4} {c.fn:4}")
    if ev.ranking:
        r = ev.ranking
        lines.append(
            f"confidence ranking: top half precision {r.top.precision:.3f} ({r.top.tp}/{r.top.tp + r.top.fp}, confidence >= {r.top_min_confidence:.2f}), "
            f"bottom half {r.bottom.precision:.3f} ({r.bottom.tp}/{r.bottom.tp + r.bottom.fp}, <= {r.bottom_max_confidence:.2f})"
            + ("  [halves tied on confidence]" if r.tied else "")
        )
    if ev.reliability:
        lines += format_reliability(ev.reliability)
    if ev.gold_outside_articles:
        lines.append(f"note: {ev.gold_outside_articles} gold lines are for articles not among the inputs (not scored)")
    if ev.skipped_gold:
        lines.append("gold expectations skipped: " + "; ".join(f"{n} {reason}" for reason, n in sorted(ev.skipped_gold.items())))
    if errors:
        for title, items in (("false positives", ev.false_positives), ("misses", ev.misses)):
            lines.append(f"\n{title} ({len(items)}):")
            article = None
            for item in items:
                if item.article != article:
                    article = item.article
                    lines.append(f"  {article}")
                neg = " [negated]" if item.negated else ""
                where = f"  conf {item.confidence:.2f} s{item.sentence}" if item.confidence is not None else ""
                lines.append(f"    {item.source} {item.relation} {item.target}{neg}{where}: {_one_line(item.evidence)}")
    return "\n".join(lines)
