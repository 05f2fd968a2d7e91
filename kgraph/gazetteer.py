"""The actor gazetteer and the officials file: data files a user can read and extend.

Built-in files live in ``data/gazetteer/`` (see its README): ``states.jsonl``,
``organizations.jsonl``, ``groups.jsonl`` (one actor per line: id, kind, label, names,
adjectives, people, capitals, institutions, ambiguous) and ``officials.jsonl`` (one person
per line and role term: name, aliases, actor, role, start, end). State names, official names
and ISO codes are merged in from pycountry, so the states file only holds what pycountry
lacks. A user file given with ``--actors FILE`` uses the same line shapes (actors and
officials may be mixed) and is merged over the built-ins: a known id gains the new forms.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .records import Actor

#: Fields of an actor line that hold surface forms, and how each form acts for the actor.
FORM_FIELDS: dict[str, str] = {
    "names": "name",
    "adjectives": "adjective",
    "people": "people",
    "capitals": "capital",
    "institutions": "institution",
}


def data_dir() -> Path:
    """The folder of built-in data: inside the installed package, or the repo's ``data/``."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "data", here.parent / "data"):
        if (candidate / "gazetteer").is_dir():
            return candidate
    raise FileNotFoundError("kgraph's data folder (data/gazetteer) is missing from the installation")


class GazetteerError(ValueError):
    """A user data file that cannot be read: the message names the file and line."""


@dataclass(frozen=True)
class Official:
    """A person who speaks for an actor during a term (dates ISO, ``end`` None if current)."""

    name: str
    actor: str
    role: str = ""
    start: str | None = None
    end: str | None = None
    aliases: tuple[str, ...] = ()
    ambiguous: tuple[str, ...] = ()

    def serves_on(self, date: str | None) -> bool:
        """Whether the term covers ``date`` (an unknown date matches every term)."""
        if date is None:
            return True
        return (self.start is None or self.start <= date) and (self.end is None or date <= self.end)


@dataclass
class Gazetteer:
    """Actors with their surface forms, and officials with their terms."""

    actors: dict[str, Actor] = field(default_factory=dict)
    forms: dict[str, dict[str, set[str]]] = field(default_factory=dict)  # id -> via -> forms
    ambiguous: set[str] = field(default_factory=set)  # forms that need NER to agree
    officials: list[Official] = field(default_factory=list)
    places: set[str] = field(default_factory=set)  # "South China Sea": never an actor
    sources: list[str] = field(default_factory=list)
    # name or alias -> officials: officials_named runs for every official mention of every article
    _named: dict[str, list[Official]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _indexed: int = field(default=0, init=False, repr=False, compare=False)  # officials indexed so far

    # --- loading ---------------------------------------------------------------------------

    @classmethod
    def load(cls, extra: Iterable[str | Path] = (), builtin: bool = True) -> Gazetteer:
        """The built-in gazetteer merged with the user's files, in order."""
        gaz = cls()
        if builtin:
            folder = data_dir() / "gazetteer"
            for name in ("states.jsonl", "organizations.jsonl", "groups.jsonl", "officials.jsonl", "places.jsonl"):
                if (folder / name).exists():
                    gaz.add_file(folder / name)
            gaz._add_pycountry()
        for path in extra:
            gaz.add_file(Path(path))
        return gaz

    def add_file(self, path: Path) -> None:
        """Merge one JSONL file of actor and/or official lines."""
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as err:
            raise GazetteerError(f"{path}: cannot read ({err})") from None
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("//"):
                continue
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise ValueError("a line must be a JSON object")
                if "actor" in record and "name" in record:
                    self.add_official(record)
                elif "place" in record:
                    self.places.add(str(record["place"]))
                else:
                    self.add_actor(record)
            except (ValueError, TypeError, KeyError) as err:
                raise GazetteerError(f"{path}:{n}: {err}") from None
        self.sources.append(str(path))

    def add_actor(self, record: dict) -> None:
        """Add an actor line, or merge its forms into a known actor with the same id."""
        actor_id = str(record["id"]).strip()
        if not re.fullmatch(r"[A-Z0-9_]+", actor_id):
            raise ValueError(f"actor id {actor_id!r} must be upper-case letters, digits or _")
        known = self.actors.get(actor_id)
        label = str(record.get("label") or (known.label if known else actor_id))
        kind = str(record.get("kind") or (known.kind if known else "other"))
        self.actors[actor_id] = Actor(actor_id, label, kind)
        forms = self.forms.setdefault(actor_id, {})
        forms.setdefault("name", set()).add(label)
        for key, via in FORM_FIELDS.items():
            values = record.get(key) or []
            if isinstance(values, str):
                values = [values]
            forms.setdefault(via, set()).update(str(v).strip() for v in values if str(v).strip())
        self.ambiguous.update(str(v) for v in record.get("ambiguous") or [])

    def add_official(self, record: dict) -> None:
        """Add one official's term."""
        aliases = record.get("aliases") or []
        self.officials.append(
            Official(
                name=str(record["name"]),
                actor=str(record["actor"]),
                role=str(record.get("role") or ""),
                start=record.get("start"),
                end=record.get("end"),
                aliases=tuple(str(a) for a in aliases),
                ambiguous=tuple(str(a) for a in record.get("ambiguous") or []),
            )
        )

    def _add_pycountry(self) -> None:
        """Names and official names of every known state, from pycountry."""
        try:
            import pycountry
        except ImportError:  # pragma: no cover - pycountry is a declared dependency
            return
        for country in pycountry.countries:
            actor_id = country.alpha_3
            if actor_id not in self.actors:
                continue  # territories stay out: only states of the states file are actors
            names = self.forms[actor_id].setdefault("name", set())
            for attr in ("name", "official_name", "common_name"):
                value = getattr(country, attr, None)
                if value and "," not in value and "(" not in value:
                    names.add(value.removeprefix("the "))  # "the State of Eritrea"

    # --- queries ---------------------------------------------------------------------------

    def label(self, actor_id: str) -> str:
        """Display name of an actor (its id when unknown)."""
        actor = self.actors.get(actor_id)
        return actor.label if actor else actor_id

    def kind(self, actor_id: str) -> str:
        actor = self.actors.get(actor_id)
        return actor.kind if actor else "other"

    def officials_named(self, name: str, date: str | None) -> set[str]:
        """Actors that a person called ``name`` spoke for on ``date``."""
        named = self._officials_by_name().get(name, [])
        found = {o.actor for o in named if o.serves_on(date)}
        if not found and date is not None:
            # outside every known term (a former leader): still theirs if only one actor fits
            found = {o.actor for o in named}
            if len(found) > 1:
                return set()
        return found

    def _officials_by_name(self) -> dict[str, list[Official]]:
        """The index of officials by name and alias, extended with officials added since the last call."""
        if self._indexed != len(self.officials):
            if self._indexed > len(self.officials):  # the list was replaced: index it again
                self._named, self._indexed = {}, 0
            for o in self.officials[self._indexed :]:
                for form in dict.fromkeys((o.name, *o.aliases)):
                    self._named.setdefault(form, []).append(o)
            self._indexed = len(self.officials)
        return self._named

    def patterns(self) -> list[dict]:
        """Phrase patterns for spaCy's SpanRuler; the pattern id is the actor id."""
        patterns: list[dict] = []
        claimed: dict[str, set[str]] = {}
        for actor_id, by_via in self.forms.items():
            for forms in by_via.values():
                for form in forms:
                    claimed.setdefault(form, set()).add(actor_id)
        for actor_id, by_via in sorted(self.forms.items()):
            for via, forms in sorted(by_via.items()):
                for form in sorted(forms):
                    if len(claimed[form]) > 1:
                        continue  # a form two actors claim names neither
                    label = via.upper() + ("?" if form in self.ambiguous else "")
                    patterns.append({"label": label, "pattern": form, "id": actor_id})
        for place in sorted(self.places):
            patterns.append({"label": "PLACE", "pattern": place, "id": ""})
        for official in self.officials:
            ambiguous = set(official.ambiguous)
            for form in sorted({official.name, *official.aliases}):
                label = "OFFICIAL" + ("?" if form in ambiguous or form in self.ambiguous else "")
                patterns.append({"label": label, "pattern": form, "id": "@" + form})
        return patterns

    def version(self) -> str:
        """A short hash of everything loaded, recorded with the events it produced."""
        digest = hashlib.sha256()
        for actor_id in sorted(self.forms):
            digest.update(actor_id.encode())
            for via in sorted(self.forms[actor_id]):
                digest.update(("|".join(sorted(self.forms[actor_id][via]))).encode())
        for o in self.officials:
            digest.update(f"{o.name}{o.actor}{o.start}{o.end}{o.aliases}".encode())
        return digest.hexdigest()[:12]
