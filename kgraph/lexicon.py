"""The trigger lexicon: which words state which relation, and the word lists the rules read.

The built-in lexicon is ``data/lexicon/lexicon.json``; a user file with ``--lexicon FILE``
has the same shape and is merged over it (see the file's ``about``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .gazetteer import data_dir
from .records import RELATIONS

LIST_KEYS = (
    "light_verbs",
    "roles",
    "non_actors",
    "modals",
    "hypothetical_governors",
    "negating_governors",
    "commitment_governors",
    "say_verbs",
    "evaluative",
    "intention_governors",
    "presupposing_verbs",
    "undoing_verbs",
    "belongings",
    "receiving_verbs",
    "de_escalation",
)


class LexiconError(ValueError):
    """A lexicon file that cannot be used: the message names the file and entry."""


@dataclass(frozen=True)
class Trigger:
    """A word that states a relation, with the prepositions that introduce its target."""

    lemma: str
    pos: str  # VERB | NOUN | ADJ
    relation: str
    preps: dict[str, str] = field(default_factory=dict)  # preposition -> relation
    particle: tuple[str, ...] = ()  # the trigger needs one of these preps ("call on")
    reciprocal: bool = False
    needs_modifier: tuple[str, ...] = ()  # the noun counts only with one of these modifiers
    needs_clause: bool = False  # counts only with a clause: "wants Putin to attack", "claimed that ..."
    object_is_target: bool = True  # False for "amassed troops along X": the object is the means
    experiencer: bool = False  # a feeling: "the US is troubled by X", "X's moves worry Japan" (who feels it acts)


@dataclass
class Lexicon:
    """Triggers by (lemma, pos) and the word lists of the rules."""

    triggers: dict[tuple[str, str], list[Trigger]] = field(default_factory=dict)
    target_preps: dict[str, set[str]] = field(default_factory=dict)
    lists: dict[str, set[str]] = field(default_factory=dict)
    digest: str = ""
    #: CAMEO verb classes (verb lemma -> relation, from PETRARCH2's dictionary): model features only
    cameo: dict[str, str] = field(default_factory=dict)
    _inflected: dict[str, frozenset[str]] = field(default_factory=dict, init=False, repr=False, compare=False)
    #: (lemma, form, part of speech) hashes -> relation classes, or the triggers when one needs a modifier (features.trigger_classes)
    class_cache: dict[tuple[int, int, int], frozenset[str] | tuple[Trigger, ...]] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def load(cls, extra: tuple[str | Path, ...] | list[str | Path] = ()) -> Lexicon:
        """The built-in lexicon merged with the user's files, in order."""
        lex = cls()
        lex.add_file(data_dir() / "lexicon" / "lexicon.json")
        lex.add_cameo(data_dir() / "lexicon" / "cameo_verbs.json")
        for path in extra:
            lex.add_file(Path(path))
        return lex

    def add_file(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError) as err:
            raise LexiconError(f"{path}: cannot read ({err})") from None
        except json.JSONDecodeError as err:
            raise LexiconError(f"{path}:{err.lineno}: broken JSON ({err.msg})") from None
        if not isinstance(data, dict):
            raise LexiconError(f"{path}: the lexicon must be a JSON object")
        for n, entry in enumerate(data.get("triggers") or [], 1):
            try:
                trigger = _trigger(entry)
            except (KeyError, TypeError, ValueError) as err:
                raise LexiconError(f"{path}: trigger {n}: {err}") from None
            same = self.triggers.setdefault((trigger.lemma, trigger.pos), [])
            same[:] = [t for t in same if t.particle != trigger.particle] + [trigger]
        for relation, preps in (data.get("target_preps") or {}).items():
            self.target_preps.setdefault(relation, set()).update(preps)
        for key in LIST_KEYS:
            self.lists.setdefault(key, set()).update(str(w).lower() for w in data.get(key) or [])
        self._inflected.clear()
        self.class_cache.clear()
        self.digest = hashlib.sha256((self.digest + path.read_text(encoding="utf-8-sig")).encode()).hexdigest()[:12]

    def add_cameo(self, path: Path) -> None:
        """The CAMEO verb classes of ``path`` (``bench/cameo_lexicon.py`` makes the file)."""
        if not path.is_file():
            return
        text = path.read_text(encoding="utf-8")
        self.cameo.update({str(k): str(v) for k, v in json.loads(text).get("verbs", {}).items() if v in RELATIONS})
        self.digest = hashlib.sha256((self.digest + text).encode()).hexdigest()[:12]

    def words(self, key: str) -> set[str]:
        return self.lists.get(key, set())

    def inflected(self, key: str) -> frozenset[str]:
        """The words of list ``key`` with their regular inflections (computed once per lexicon)."""
        forms = self._inflected.get(key)
        if forms is None:
            forms = self._inflected[key] = frozenset(inflections(self.words(key)))
        return forms

    def lookup(self, lemma: str, pos: str) -> list[Trigger]:
        return self.triggers.get((lemma.lower(), pos), [])


def _trigger(entry: dict) -> Trigger:
    relation = entry["relation"]
    if relation not in RELATIONS:
        raise ValueError(f"unknown relation {relation!r} (one of {', '.join(RELATIONS)})")
    pos = str(entry.get("pos", "VERB")).upper()
    if pos not in ("VERB", "NOUN", "ADJ"):
        raise ValueError(f"pos must be VERB, NOUN or ADJ, not {pos!r}")
    raw = entry.get("preps") or []
    preps = dict(raw) if isinstance(raw, dict) else {p: relation for p in raw}
    for prep_relation in preps.values():
        if prep_relation not in RELATIONS:
            raise ValueError(f"unknown relation {prep_relation!r}")
    particle = tuple(entry.get("particle") or ())
    for p in particle:
        preps.setdefault(p, relation)
    return Trigger(
        lemma=str(entry["lemma"]).lower(),
        pos=pos,
        relation=relation,
        preps=preps,
        particle=particle,
        reciprocal=bool(entry.get("reciprocal", False)),
        needs_modifier=tuple(entry.get("needs_modifier") or ()),
        object_is_target=bool(entry.get("object_is_target", True)),
        needs_clause=bool(entry.get("needs_clause", False)),
        experiencer=bool(entry.get("experiencer", False)),
    )


def inflections(words: Iterable[str]) -> set[str]:
    """The words with the regular English inflections (-s, -es, -ed, -ing ...).

    The lemmatizer sometimes misses ("hopes" -> "hop"); a rule that asks for a word of a
    list checks both the lemma and these forms.
    """
    out: set[str] = set()
    for word in words:
        w = word.lower()
        stem = w[:-1] if w.endswith("e") else w
        out.update({w, w + "s", w + "es", w + "d", w + "ed", stem + "ing", stem + "ed"})
        if w.endswith("y"):
            out.update({w[:-1] + "ies", w[:-1] + "ied"})
        if re.search(r"[^aeiou][aeiou][bdgmnprt]$", w):  # "stop" -> "stopped", "stopping"
            out.update({w + w[-1] + "ed", w + w[-1] + "ing"})
    return out
