"""Fitting a relation model to gold annotations, and cross-validating it by article.

Labels come from the gold file: a candidate (sentence, source, target) is a positive example
of relation R when the gold has (article, source, R, target) and its evidence overlaps the
sentence; it is left out of R's training when the gold has the line but cites another
sentence (the sentence may or may not state it too), and it is a negative otherwise.

One L2-regularised logistic regression per relation (scikit-learn, liblinear: deterministic
for a given seed and data), then Platt scaling fitted on out-of-fold scores, so the
probability means what it says, and a decision threshold chosen on those same out-of-fold
predictions to maximise F1 over whole articles. Nothing here reads an evaluation sentence:
it learns whatever the gold file it is given says.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..records import RELATIONS, SYMMETRIC, Article, Event
from . import Reading, model_events, read
from .features import expand
from .model import RelationModel

if TYPE_CHECKING:
    from ..evaluate import GoldRelation
    from ..pipeline import Extractor

#: feature occurrences needed to enter the model (rarer ones are noise on a few dozen articles)
MIN_COUNT = 2
DEFAULT_C = 0.3
DEFAULT_SEED = 13
CLASS_WEIGHT: str | None = "balanced"
SPECIFIC = 0.5
BAGGED = True
MIN_PRECISION = 0.8


@dataclass
class ParsedArticle:
    """An article with its reading and the char ranges of its sentences (for matching evidence)."""

    article: Article
    reading: Reading
    source_text: str
    name: str


@dataclass
class Corpus:
    """Parsed articles and their gold lines, matched by article file name."""

    articles: list[ParsedArticle]
    gold: list[GoldRelation]
    problems: list[str] = field(default_factory=list)
    space: _Space = field(default_factory=lambda: _Space())

    def gold_of(self, name: str) -> list[GoldRelation]:
        return [g for g in self.gold if _name(g.article) == name]


def _name(article: str) -> str:
    from ..evaluate import article_name

    return article_name(article)


def parse_corpus(extractor: Extractor, articles: Iterable[Article], gold: Sequence[GoldRelation]) -> Corpus:
    """Parse every article once and read its candidates (the slow step; folds reuse it)."""
    from .rules import source_text_of

    parsed = []
    for doc, article in extractor.parse(articles):
        reading = read(doc, article, extractor.gazetteer, extractor.lexicon)
        parsed.append(ParsedArticle(article, reading, source_text_of(doc, article), _name(article.id)))
    return Corpus(parsed, list(gold))


# --- labels ----------------------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(text.split())


def _overlaps(sentence: str, evidence: str) -> bool:
    s, e = _norm(sentence), _norm(evidence)
    if not s or not e:
        return False
    return s in e or e in s or s[:40] in e or e[:40] in s


def labels(item: ParsedArticle, gold: list[GoldRelation]) -> list[dict[str, int | None]]:
    """Per example: relation -> 1 (stated here), 0 (not stated), None (stated elsewhere in the article)."""
    by_pair: dict[tuple[str, str], list[GoldRelation]] = {}
    for g in gold:
        by_pair.setdefault((g.source, g.target), []).append(g)
        if g.relation in SYMMETRIC:
            by_pair.setdefault((g.target, g.source), []).append(g)
    out = []
    for ex in item.reading.examples:
        c = ex.candidate
        row: dict[str, int | None] = dict.fromkeys(RELATIONS, 0)
        sent_text = item.source_text[c.sent.start_char : c.sent.end_char]
        for g in by_pair.get((c.source.actor, c.target.actor), []):
            if g.relation not in row:
                continue
            if _overlaps(sent_text, g.evidence):
                row[g.relation] = 1
            elif row[g.relation] != 1:
                row[g.relation] = None
        out.append(row)
    return out


def candidate_recall(corpus: Corpus) -> tuple[int, int]:
    """(gold keys some candidate of the article covers, gold keys): the ceiling of any model."""
    covered = total = 0
    for item in corpus.articles:
        pairs = {(ex.candidate.source.actor, ex.candidate.target.actor) for ex in item.reading.examples}
        keys = {(g.source, g.relation, g.target) for g in corpus.gold_of(item.name)}
        total += len(keys)
        covered += sum((s, t) in pairs for s, _, t in keys)
    return covered, total


# --- fitting ---------------------------------------------------------------------------------


class _Space:
    """Feature strings <-> column ids, and every example's expanded rows, made once per corpus."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.names: list[str] = []
        self.cache: dict[tuple[int, int, str], tuple[int, ...]] = {}

    def row(self, key: tuple[int, int], feats: list[str], relation: str) -> tuple[int, ...]:
        cached = self.cache.get((key[0], key[1], relation))
        if cached is None:
            ids = self.ids
            cols = set()
            for f in expand(feats, relation):
                i = ids.get(f)
                if i is None:
                    i = ids[f] = len(self.names)
                    self.names.append(f)
                cols.add(i)
            cached = self.cache[(key[0], key[1], relation)] = tuple(sorted(cols))
        return cached


def _matrix(rows: Sequence[tuple[int, ...]], columns: dict[int, int], values: dict[int, float]) -> Any:
    from scipy.sparse import csr_matrix

    indptr, indices, data = [0], [], []
    for cols in rows:
        kept = [i for i in cols if i in columns]
        indices += [columns[i] for i in kept]
        data += [values[i] for i in kept]
        indptr.append(len(indices))
    return csr_matrix((data, indices, indptr), shape=(len(rows), len(columns)))


def _fit_linear(x: Any, y: list[int], c: float, seed: int) -> tuple[list[float], float]:
    from sklearn.linear_model import LogisticRegression

    if len(set(y)) < 2:
        return [0.0] * x.shape[1], (-8.0 if not any(y) else 8.0)
    clf = LogisticRegression(C=c, solver="liblinear", class_weight=CLASS_WEIGHT, random_state=seed, max_iter=1000)
    clf.fit(x, y)
    return [float(w) for w in clf.coef_[0]], float(clf.intercept_[0])


def _platt(scores: list[float], y: list[int]) -> tuple[float, float]:
    """Platt scaling: a one-feature logistic regression of the labels on the scores."""
    from sklearn.linear_model import LogisticRegression

    if len(set(y)) < 2:
        return 1.0, 0.0
    lr = LogisticRegression(C=1e4, solver="lbfgs", max_iter=1000)
    lr.fit([[s] for s in scores], y)
    return float(lr.coef_[0][0]), float(lr.intercept_[0])


@dataclass
class _Data:
    rows: list[list[str]]
    labels: list[dict[str, int | None]]
    article: list[int]  # index of the example's article in the corpus
    keys: list[tuple[int, int]]  # (article index, example index)


def _data(corpus: Corpus, indexes: Sequence[int]) -> _Data:
    data = _Data([], [], [], [])
    for i in indexes:
        item = corpus.articles[i]
        gold = corpus.gold_of(item.name)
        for j, (ex, row) in enumerate(zip(item.reading.examples, labels(item, gold), strict=True)):
            data.rows.append(ex.features)
            data.labels.append(row)
            data.article.append(i)
            data.keys.append((i, j))
    return data


def _subset(data: _Data, keep: Sequence[int]) -> _Data:
    return _Data([data.rows[k] for k in keep], [data.labels[k] for k in keep], [data.article[k] for k in keep], [data.keys[k] for k in keep])


def _linear(data: _Data, space: _Space, c: float, seed: int, min_count: int) -> tuple[dict[int, float], float]:
    """Weights (by column id) and intercept of one logistic regression over every (candidate, relation) row."""
    rows, ys = [], []
    for key, feats, row in zip(data.keys, data.rows, data.labels, strict=True):
        for relation in RELATIONS:
            label = row[relation]
            if label is not None:
                rows.append(space.row(key, feats, relation))
                ys.append(label)
    counts: Counter[int] = Counter(i for cols in rows for i in cols)
    kept = sorted(i for i, n in counts.items() if n >= min_count)
    columns = {i: j for j, i in enumerate(kept)}
    # a feature's value scales its prior: shared and matched evidence counts in full, one relation's own
    # words only with SPECIFIC (a weight must be 1/SPECIFIC larger to say as much: it needs more data)
    values = {i: 1.0 if space.names[i].startswith(("M:", "*:")) else SPECIFIC for i in kept}
    coef, intercept = _fit_linear(_matrix(rows, columns, values), ys, c, seed)
    return {i: coef[columns[i]] * values[i] for i in kept if abs(coef[columns[i]]) >= 1e-5}, intercept


def _scores(weights: dict[int, float], intercept: float, space: _Space, key: tuple[int, int], feats: list[str]) -> dict[str, float]:
    return {r: intercept + sum(weights.get(i, 0.0) for i in space.row(key, feats, r)) for r in RELATIONS}


def _folds(n: int, k: int, seed: int) -> list[list[int]]:
    """Article indexes in ``k`` folds, shuffled by ``seed`` (folds by article, never by sentence)."""
    order = list(range(n))
    random.Random(seed).shuffle(order)
    return [sorted(order[f::k]) for f in range(k)]


def fit(
    corpus: Corpus,
    indexes: Sequence[int] | None = None,
    c: float = DEFAULT_C,
    seed: int = DEFAULT_SEED,
    min_count: int = MIN_COUNT,
    inner_folds: int = 4,
) -> RelationModel:
    """A calibrated model from the corpus articles ``indexes`` (default: all).

    Calibration and thresholds come from ``inner_folds`` folds over the same articles: each
    article's scores are those of a model that did not see it.
    """
    indexes = list(range(len(corpus.articles))) if indexes is None else list(indexes)
    data = _data(corpus, indexes)
    space = corpus.space
    weights, intercept = _linear(data, space, c, seed, min_count)
    # out-of-fold scores for calibration and thresholds
    oof: list[dict[str, float]] = [{} for _ in data.rows]
    members: list[tuple[dict[int, float], float]] = []
    if len(indexes) >= inner_folds >= 2:
        for fold in _folds(len(indexes), inner_folds, seed + 1):
            held = {indexes[j] for j in fold}
            w, b = _linear(_subset(data, [k for k, a in enumerate(data.article) if a not in held]), space, c, seed, min_count)
            members.append((w, b))
            for k, a in enumerate(data.article):
                if a in held:
                    oof[k] = _scores(w, b, space, data.keys[k], data.rows[k])
    else:
        oof = [_scores(weights, intercept, space, key, feats) for key, feats in zip(data.keys, data.rows, strict=True)]
    if members and BAGGED:
        # the shipped weights are the mean of the inner models': its scores are on the scale the
        # calibration and the threshold were fitted on (a model fitted to all articles is surer than that)
        weights = {}
        for w, _ in members:
            for i, v in w.items():
                weights[i] = weights.get(i, 0.0) + v / len(members)
        intercept = sum(b for _, b in members) / len(members)
    platt = {}
    for relation in RELATIONS:
        keep = [k for k, row in enumerate(data.labels) if row[relation] is not None]
        platt[relation] = _platt([oof[k][relation] for k in keep], [int(data.labels[k][relation] or 0) for k in keep])
    calibrated = [{r: _sigmoid(platt[r], s) for r, s in row.items()} for row in oof]
    threshold = best_threshold(corpus, indexes, data, calibrated)
    meta = {"seed": seed, "c": c, "min_count": min_count, "articles": len(indexes), "examples": len(data.rows), "threshold": threshold}
    named = {space.names[i]: w for i, w in weights.items()}
    model = RelationModel(named, intercept, platt, dict.fromkeys(RELATIONS, threshold), meta)
    model.meta["digest"] = _digest(model)
    return model


def _sigmoid(platt: tuple[float, float], score: float) -> float:
    z = platt[0] * score + platt[1]
    return 0.0 if z < -30 else 1.0 / (1.0 + math.exp(-z))


def best_threshold(corpus: Corpus, indexes: Sequence[int], data: _Data, probs: list[dict[str, float]]) -> float:
    """The probability cut that maximises typed F1 (article keys) of out-of-fold predictions, among
    the cuts whose precision is at least MIN_PRECISION: an analyst's graph is read edge by edge."""
    gold_keys = set()
    for i in indexes:
        gold_keys |= {_key(corpus.articles[i].name, g.source, g.relation, g.target) for g in corpus.gold_of(corpus.articles[i].name)}
    scored: dict[tuple[str, str, str, str], float] = {}
    for k, row in enumerate(probs):
        a, j = data.keys[k]
        item = corpus.articles[a]
        c = item.reading.examples[j].candidate
        for relation, p in row.items():
            key = _key(item.name, c.source.actor, relation, c.target.actor)
            scored[key] = max(p, scored.get(key, 0.0))
    best, best_f = 0.9, -1.0
    for step in range(10, 91, 2):
        t = step / 100
        pred = {k for k, p in scored.items() if p >= t}
        tp = len(pred & gold_keys)
        f = 2 * tp / (len(pred) + len(gold_keys)) if pred or gold_keys else 0.0
        if pred and tp / len(pred) >= MIN_PRECISION and f > best_f + 1e-9:
            best, best_f = t, f
    return best


def _key(article: str, source: str, relation: str, target: str) -> tuple[str, str, str, str]:
    if relation in SYMMETRIC:
        source, target = sorted((source, target))
    return (article, source, relation, target)


def _digest(model: RelationModel) -> str:
    record = model.to_json()
    payload = json.dumps([record["intercept"], record["relations"], record["weights"]], sort_keys=True).encode()
    return hashlib.sha256(payload).hexdigest()[:12]


# --- predicting and cross-validating ----------------------------------------------------------


def predict(corpus: Corpus, model: RelationModel, indexes: Sequence[int], extractor: Extractor) -> list[Event]:
    """Events of the corpus articles ``indexes`` under ``model`` (facts only)."""
    out: list[Event] = []
    for i in indexes:
        item = corpus.articles[i]
        out += [e for e in model_events(item.reading, item.article, extractor.gazetteer, model, item.source_text) if not e.hypothetical]
    return out


@dataclass
class FoldResult:
    fold: int
    articles: int
    evaluation: Any  # kgraph.evaluate.Evaluation
    events: list[Event]


def cross_validate(
    corpus: Corpus,
    extractor: Extractor,
    folds: int = 5,
    seed: int = DEFAULT_SEED,
    c: float = DEFAULT_C,
    on_fold: Callable[[FoldResult], None] | None = None,
) -> list[FoldResult]:
    """Train on all folds but one, score on that one, for each fold (folds by article)."""
    from ..evaluate import score

    results = []
    for f, held in enumerate(_folds(len(corpus.articles), folds, seed)):
        train = [i for i in range(len(corpus.articles)) if i not in set(held)]
        model = fit(corpus, train, c=c, seed=seed)
        events = predict(corpus, model, held, extractor)
        names = [corpus.articles[i].name for i in held]
        evaluation = score(corpus.gold, events, names)
        result = FoldResult(f + 1, len(held), evaluation, events)
        if on_fold:
            on_fold(result)
        results.append(result)
    return results


# --- gold files for training -------------------------------------------------------------------


def check_gold(path: str, articles: Sequence[Article]) -> tuple[list[GoldRelation], list[str]]:
    """The usable gold lines of ``path`` and one message per line left out (``file:line: why``).

    A line is left out when it is not a JSON object, lacks a field, names a relation outside the
    nine, names an article that is not among ``articles``, or cites evidence the article does not
    contain. The other lines train.
    """
    from ..evaluate import EvalError, GoldRelation, json_lines

    texts: dict[str, str] = {}
    for a in articles:
        texts.setdefault(_name(a.id), _norm(a.text))
    gold: list[GoldRelation] = []
    problems: list[str] = []
    try:
        for number, record in json_lines(path, problems):
            where = f"{path}:{number}"
            if not isinstance(record, dict):
                problems.append(f"{where}: not a JSON object; line skipped")
                continue
            missing = [k for k in ("article", "source", "relation", "target") if not record.get(k)]
            if missing:
                problems.append(f"{where}: missing {', '.join(missing)}; line skipped")
                continue
            relation = str(record["relation"])
            if relation not in RELATIONS:
                problems.append(f"{where}: unknown relation {relation!r} (one of {', '.join(RELATIONS)}); line skipped")
                continue
            name = _name(str(record["article"]))
            if name not in texts:
                problems.append(f"{where}: article {name!r} is not among the inputs; line skipped")
                continue
            evidence = str(record.get("evidence") or "")
            if evidence and not _cited(_norm(evidence), texts[name]):
                problems.append(f"{where}: evidence is not in article {name!r}; line skipped")
                continue
            gold.append(GoldRelation(name, str(record["source"]), relation, str(record["target"]), bool(record.get("negated", False)), evidence))
    except EvalError as err:
        problems.append(str(err))
    return gold, problems


def _cited(evidence: str, text: str) -> bool:
    """Whether the article holds the evidence, allowing for a dateline or a quote mark the reader cleaned."""
    return evidence in text or (len(evidence) > 60 and (evidence[:60] in text or evidence[-60:] in text))


# --- the library form of ``kgraph train`` and ``kgraph eval --folds`` ------------------------------


@dataclass
class TrainReport:
    articles: int
    gold_used: int
    gold_skipped: int
    examples: int
    problems: list[str]


def load_corpus(extractor: Extractor, gold_path: str | Path, inputs: Sequence[str | Path], on_problem: Callable[[Any], None] | None = None, max_bytes: int | None = None) -> tuple[Corpus, list[str]]:
    """Read the articles and the usable gold lines, and parse every article once."""
    from ..evaluate import EvalError
    from ..ingest import DEFAULT_MAX_BYTES, read_articles

    articles = list(read_articles(list(inputs), on_problem, max_bytes or DEFAULT_MAX_BYTES))
    if not articles:
        raise EvalError("no article could be read from the inputs")
    gold, problems = check_gold(str(gold_path), articles)
    return parse_corpus(extractor, articles, gold), problems


def train_files(
    extractor: Extractor,
    gold_path: str | Path,
    inputs: Sequence[str | Path],
    seed: int = DEFAULT_SEED,
    c: float = DEFAULT_C,
    on_problem: Callable[[Any], None] | None = None,
    max_bytes: int | None = None,
) -> tuple[RelationModel, TrainReport]:
    """A model fitted to a gold file and its articles (``kgraph train``)."""
    corpus, problems = load_corpus(extractor, gold_path, inputs, on_problem, max_bytes)
    model = fit(corpus, c=c, seed=seed) if corpus.gold else RelationModel({}, 0.0, {}, {})
    model.meta["gold"] = Path(gold_path).name
    report = TrainReport(len(corpus.articles), len(corpus.gold), len(problems), sum(len(a.reading.examples) for a in corpus.articles), problems)
    return model, report


@dataclass
class CrossValidation:
    """Per-fold figures, the pooled evaluation and the spread (``kgraph eval --folds``)."""

    folds: list[FoldResult]
    pooled: Any  # Evaluation over every fold's predictions
    seed: int
    problems: list[str] = field(default_factory=list)

    def spread(self, figure: str) -> tuple[float, float]:
        import statistics

        values = [getattr(f.evaluation.typed, figure) for f in self.folds]
        return statistics.mean(values), statistics.stdev(values) if len(values) > 1 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "folds": [{"fold": f.fold, "articles": f.articles, "typed": f.evaluation.typed.to_dict()} for f in self.folds],
            "mean": {name: self.spread(name)[0] for name in ("precision", "recall", "f1")},
            "sd": {name: self.spread(name)[1] for name in ("precision", "recall", "f1")},
            "seed": self.seed,
            "pooled": self.pooled.to_dict(),
        }


def cross_validate_files(
    extractor: Extractor,
    gold_path: str | Path,
    inputs: Sequence[str | Path],
    folds: int = 5,
    seed: int = DEFAULT_SEED,
    on_problem: Callable[[Any], None] | None = None,
    max_bytes: int | None = None,
) -> CrossValidation:
    from ..evaluate import EvalError, score

    corpus, problems = load_corpus(extractor, gold_path, inputs, on_problem, max_bytes)
    if len(corpus.articles) < folds:
        raise EvalError(f"{gold_path}: {len(corpus.articles)} articles cannot make {folds} folds")
    results = cross_validate(corpus, extractor, folds, seed)
    pooled = score(corpus.gold, [e for r in results for e in r.events], [a.name for a in corpus.articles])
    return CrossValidation(results, pooled, seed, problems)


def format_cross_validation(cv: CrossValidation) -> str:
    from ..evaluate import format_report

    lines = [f"{len(cv.folds)}-fold cross-validation by article (seed {cv.seed}): each fold scored by a model trained on the others", ""]
    lines.append(f"{'fold':>4} {'articles':>8} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}")
    for f in cv.folds:
        t = f.evaluation.typed
        lines.append(f"{f.fold:4} {f.articles:8} {t.precision:6.3f} {t.recall:6.3f} {t.f1:6.3f} {t.tp:4} {t.fp:4} {t.fn:4}")
    (mp, sp), (mr, sr), (mf, sf) = (cv.spread(n) for n in ("precision", "recall", "f1"))
    lines.append(f"{'mean':>4} {'':8} {mp:6.3f} {mr:6.3f} {mf:6.3f}")
    lines.append(f"{'sd':>4} {'':8} {sp:6.3f} {sr:6.3f} {sf:6.3f}")
    lines.append("")
    lines.append("all folds pooled:")
    lines.append(format_report(cv.pooled, errors=False))
    return "\n".join(lines)
