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

    @property
    def relations(self) -> list[str]:
        return sorted(self.platt)

    def score(self, feats: list[str], relation: str) -> float:
        from .features import expand

        w = self.weights
        return self.intercept + sum(w.get(f, 0.0) for f in expand(feats, relation))

    def probability(self, feats: list[str], relation: str) -> float:
        a, b = self.platt[relation]
        z = a * self.score(feats, relation) + b
        return 0.0 if z < -30 else 1.0 / (1.0 + math.exp(-z))

    def probabilities(self, feats: list[str]) -> dict[str, float]:
        return {rel: self.probability(feats, rel) for rel in self.platt}

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
