"""The relation model: one calibrated linear classifier per relation over candidate features.

A model file is plain JSON (never pickle: a model passed with ``--relation-model`` is data,
not code). For each relation it holds the weight of every feature, the intercept, the two
Platt-scaling parameters that turn a score into a calibrated probability, and the decision
threshold. Predicting needs no learning library: a sum of weights per candidate.
Training (:mod:`kgraph.extract.training`) uses scikit-learn.
"""

from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT = "kgraph-relation-model"
FORMAT_VERSION = 1


class ModelError(ValueError):
    """A relation model file that cannot be used; the message names the file."""


@dataclass
class RelationModel:
    """One linear model over (candidate, relation) features, calibrated per relation.

    ``weights`` are over the features of :func:`kgraph.extract.features.expand`; a relation's
    probability is ``sigmoid(a * score + b)`` with its Platt parameters ``(a, b)``, and the
    relation is predicted when it reaches the relation's threshold.
    """

    weights: dict[str, float]
    intercept: float
    platt: dict[str, tuple[float, float]]
    thresholds: dict[str, float]
    meta: dict[str, Any] = field(default_factory=dict)
    _table: dict[str, tuple[float, ...]] | None = field(default=None, init=False, repr=False, compare=False)
    _relations: list[str] = field(default_factory=list, init=False, repr=False, compare=False)

    @property
    def relations(self) -> list[str]:
        return sorted(self.platt)

    def score(self, feats: list[str], relation: str) -> float:
        return self.scores(feats)[relation]

    def scores(self, feats: list[str]) -> dict[str, float]:
        """Every relation's score: the intercept plus the weights of the candidate's expanded features.

        The weights are read through a table made once from them (base feature -> what it adds
        to each relation's score), so scoring a candidate is one lookup per distinct feature
        rather than building each relation's expanded feature strings. A feature present twice
        (two rule findings of one relation) counts twice here, while training counts it once: the
        rules' findings weigh more at prediction than the regularised fit gives them, which
        cross-validation measured better (typed F1 .550, against .540 when both count it twice
        and .518 when both count it once).
        """
        table = self._by_base()
        rows = [row for row in map(table.get, feats) if row is not None]
        if not rows:
            return dict.fromkeys(self._relations, self.intercept)
        # column sums in feature order, from the intercept: the same additions as one by one
        return dict(zip(self._relations, (sum(col, self.intercept) for col in zip(*rows, strict=True)), strict=True))

    def _by_base(self) -> dict[str, tuple[float, ...]]:
        if self._table is not None:
            return self._table
        from .features import WEAK_FAMILIES

        rels = self._relations = self.relations
        index = {r: i for i, r in enumerate(rels)}
        table: dict[str, list[float]] = {}

        def add(base: str, i: int | None, w: float) -> None:
            row = table.setdefault(base, [0.0] * len(rels))
            if i is None:
                row[:] = [v + w for v in row]
            else:
                row[i] += w

        for name, w in self.weights.items():
            prefix, _, base = name.partition(":")
            family, _, value = base.partition("=")
            if prefix == "*":
                add(base, None, w)
            elif prefix == "M":
                for r, i in index.items():  # M:family=rest is the base feature family=r|rest, for r
                    add(f"{family}={r}|{value}" if value else f"{family}={r}", i, w)
            elif prefix in index:
                if family in WEAK_FAMILIES and value.partition("|")[0] != prefix:
                    continue  # expand() never makes it (a weak class feature of another relation)
                add(base, index[prefix], w)
        self._table = {f: tuple(row) for f, row in table.items()}
        return self._table

    def probability(self, feats: list[str], relation: str) -> float:
        return self.probabilities(feats)[relation]

    def probabilities(self, feats: list[str]) -> dict[str, float]:
        out = {}
        for rel, score in self.scores(feats).items():
            a, b = self.platt[rel]
            z = a * score + b
            out[rel] = 0.0 if z < -30 else 1.0 / (1.0 + math.exp(-z))
        return out

    @property
    def digest(self) -> str:
        """Short content digest, part of the extractor's version (the store re-extracts when it changes)."""
        return str(self.meta.get("digest", "?"))

    # --- files -------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "meta": self.meta,
            "intercept": round(self.intercept, 6),
            "relations": {rel: {"platt": [round(a, 6), round(b, 6)], "threshold": round(self.thresholds[rel], 4)} for rel, (a, b) in sorted(self.platt.items())},
            "weights": {f: round(w, 5) for f, w in sorted(self.weights.items()) if abs(w) >= 1e-5},
        }

    def save(self, path: str | Path) -> None:
        """Write the model (gzip-compressed JSON when the name ends in ``.gz``)."""
        text = json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        data = text.encode("utf-8")
        path = Path(path)
        if path.suffix == ".gz":
            data = gzip.compress(data, mtime=0)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)

    @classmethod
    def from_json(cls, record: Any, where: str = "model") -> RelationModel:
        if not isinstance(record, dict) or record.get("format") != FORMAT:
            raise ModelError(f"{where}: not a kgraph relation model (no \"format\": \"{FORMAT}\")")
        if record.get("version") != FORMAT_VERSION:
            raise ModelError(f"{where}: relation model format version {record.get('version')!r}; this kgraph reads version {FORMAT_VERSION}")
        try:
            relations = record["relations"]
            platt = {str(rel): (float(spec["platt"][0]), float(spec["platt"][1])) for rel, spec in relations.items()}
            thresholds = {str(rel): float(spec["threshold"]) for rel, spec in relations.items()}
            weights = {str(f): float(w) for f, w in record["weights"].items()}
            intercept = float(record["intercept"])
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as err:
            raise ModelError(f"{where}: damaged relation model ({type(err).__name__}: {err})") from None
        from ..records import RELATIONS

        unknown = sorted(set(platt) - set(RELATIONS))
        if unknown:
            raise ModelError(f"{where}: unknown relation {unknown[0]!r} in the relation model")
        return cls(weights, intercept, platt, thresholds, dict(record.get("meta") or {}))

    @classmethod
    def load(cls, path: str | Path) -> RelationModel:
        path = Path(path)
        try:
            data = path.read_bytes()
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            record = json.loads(data.decode("utf-8"))
        except FileNotFoundError:
            raise ModelError(f"{path}: no such relation model file") from None
        except IsADirectoryError:
            raise ModelError(f"{path}: is a folder, not a relation model file") from None
        except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as err:
            raise ModelError(f"{path}: cannot read the relation model ({err})") from None
        return cls.from_json(record, str(path))


def default_path() -> Path:
    """The model shipped with kgraph (``data/model/``, trained by ``bench/train_model.py``)."""
    from ..gazetteer import data_dir

    return data_dir() / "model" / "relation_model.json.gz"


def load_default() -> RelationModel | None:
    """The shipped model, or None when this install has none."""
    path = default_path()
    return RelationModel.load(path) if path.is_file() else None
