"""Actor mentions in a parsed Doc: names, demonyms, capitals, officials, titles, pronouns.

``mentions(doc, gazetteer, lexicon, date)`` maps token indices to :class:`Mention`. It reads
the gazetteer spans that the ``kgraph_actors`` SpanRuler left in ``doc.spans`` and the
parse, and adds people: an official known to the officials file, a person introduced with
a title ("US Secretary of State Antony Blinken", "Wang Yi, China's top diplomat"), that
person's later mentions ("Blinken") and pronouns whose antecedent is clear ("he", "its").
Pure: nothing but the Doc is read, nothing is written.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from .gazetteer import Gazetteer
from .lexicon import Lexicon
from .records import Mention

SPANS_KEY = "kgraph_actors"

# Prepositions after which a capital is a place ("talks in Moscow"), not a government.
_LOCATIVE = frozenset({"in", "at", "near", "outside", "around", "across", "inside", "into", "within", "over"})
_MODIFIER_DEPS = frozenset({"compound", "nmod", "amod", "poss", "npadvmod"})
_PERSON_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "himself", "herself"})
_THING_PRONOUNS = frozenset({"it", "its", "itself"})
_GOVERNMENTS = frozenset({"regime", "government", "administration", "cabinet", "junta"})  # "the Putin regime"
# proper nouns that never name a person or an actor ("May" can: Theresa May): no reason to run NER for them
_CALENDAR = frozenset(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april"]
    + ["june", "july", "august", "september", "october", "november", "december"]
)


def mentions(doc: Doc, gazetteer: Gazetteer, lexicon: Lexicon, date: str | None = None) -> dict[int, Mention]:
    """Token index -> the actor mention covering that token."""
    found: dict[int, Mention] = {}
    people: dict[int, Mention] = {}  # token index -> mention, for persons only

    def mark(span: Span, actor: str, via: str, person: bool = False) -> None:
        mention = Mention(span.start, span.end, actor, via, span.text)
        for i in range(span.start, span.end):
            found[i] = mention
            if person:
                people[i] = mention

    # 1. gazetteer forms (names, demonyms, capitals, institutions, officials)
    actor: str | None
    spans = filter_spans(doc.spans[SPANS_KEY]) if SPANS_KEY in doc.spans else []
    sure: set[str] = set()  # actors named by a form that is not ambiguous
    doubtful: list[Span] = []  # ambiguous forms the model gave no place or organization tag
    for span in spans:
        label, actor_id = span.label_, str(span.id_)
        if label == "PLACE":
            continue  # "South China Sea", "Korean Peninsula": the longest match is a place
        ambiguous = label.endswith("?")
        ents = {t.ent_type_ for t in span}
        if label.startswith("OFFICIAL"):
            if ambiguous and "PERSON" not in ents:
                continue
            if span.end < len(doc) and doc[span.end].ent_iob_ == "I" and doc[span.end].ent_type_ == "PERSON":
                continue  # "Michel" in "Michel Suleiman" is a first name, not Charles Michel
            actors = gazetteer.officials_named(span.text, date)
            if len(actors) == 1:
                mark(span, actors.pop(), "official", person=True)
            continue
        if ambiguous and not ents & {"GPE", "NORP", "LOC", "ORG", "FAC"}:
            doubtful.append(span)
            continue
        if "PERSON" in ents and label.startswith(("NAME", "CAPITAL")) and _inside_person(span):
            continue  # part of a person's name ("Jordan" in "Michael Jordan")
        if label.startswith(("ADJECTIVE", "PEOPLE")) and span.start > 0 and doc[span.start - 1].lower_ == "ethnic":
            continue  # "ethnic Albanians" are a population, not Albania
        if label.startswith("ADJECTIVE") and _people_word(span.root.head) and span.root.head.i > span.root.i:
            continue  # "Syrian Kurds", "Iraqi Christians": a people of the country, not its state
        if label.startswith("CAPITAL") and span.root.dep_ == "pobj" and span.root.head.lower_ in _LOCATIVE:
            continue
        mark(span, actor_id, label.rstrip("?").lower())
        if not ambiguous:
            sure.add(actor_id)
    # an ambiguous form ("RSF", "Georgia") the model did not tag, of an actor the text names plainly elsewhere
    for span in doubtful:
        if str(span.id_) in sure and "PERSON" not in {t.ent_type_ for t in span} and not any(i in found for i in range(span.start, span.end)):
            mark(span, str(span.id_), span.label_.rstrip("?").lower())

    # 2. persons: by title or apposition, then by an earlier mention of the same name
    known_names: dict[str, set[str]] = {}
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        if any(i in people for i in range(ent.start, ent.end)):
            person = people[next(i for i in range(ent.start, ent.end) if i in people)]
            _remember(known_names, ent, person.actor)
            continue
        if any(i in found for i in range(ent.start, ent.end)):
            continue  # a gazetteer form tagged as a person by the model
        actor = _titled(ent, found, lexicon)
        if actor:
            mark(ent, actor, "title", person=True)
            _remember(known_names, ent, actor)
            continue
        candidates = known_names.get(ent.text, set()) | known_names.get(ent[-1].text, set())
        if len(candidates) == 1:
            mark(ent, next(iter(candidates)), "alias", person=True)

    # later mentions the model did not tag as a person ("Blinken reiterated ...")
    for token in doc:
        if token.i not in found and token.is_title and token.ent_type_ != "ORG":
            candidates = known_names.get(token.text, set())
            if len(candidates) == 1:
                mark(doc[token.i : token.i + 1], next(iter(candidates)), "alias", person=True)

    # 3. a title standing for the person named with it before: "the Secretary urged", "the minister said"
    for token in doc:
        if token.i in found or token.lemma_.lower() not in _PERSON_TITLES or token.tag_ not in ("NN", "NNP"):
            continue
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in token.children):
            continue
        if any(t.i in found for t in token.subtree) or (token.i + 1 < len(doc) and doc[token.i + 1].i in found):
            continue  # "the Secretary of State Antony Blinken", "the president of Nigeria": named in the phrase
        actor = _titled_antecedent(token, people)
        if actor:
            mark(doc[token.i : token.i + 1], actor, "description", person=True)

    # 4. pronouns whose antecedent is clear
    for token in doc:
        lower = token.lower_
        if token.i in found or token.pos_ != "PRON":
            continue
        if lower in _PERSON_PRONOUNS:
            actor = _person_antecedent(token, people)
        elif lower in _THING_PRONOUNS:
            actor = _thing_antecedent(token, found, people)
        else:
            continue
        if actor:
            found[token.i] = Mention(token.i, token.i + 1, actor, "pronoun", token.text)

    # 5. descriptions of an actor named before: "the island nation", "the Jewish state", "the militant group"
    for token in doc:
        kind = _DESCRIPTIONS.get(token.lemma_.lower())
        plural_ok = token.lemma_.lower() in _GROUP_MEMBERS
        if kind is None or token.i in found or not (token.tag_ == "NN" or (plural_ok and token.tag_ == "NNS")) or not any(c.dep_ == "det" and c.lower_ == "the" for c in token.children):
            continue
        if any(c.i in found for c in token.children) or any(c.dep_ == "prep" and c.lower_ == "of" for c in token.children):
            continue  # "the Chinese state", "the state of Israel": named in the phrase itself
        actor = _described(token, found, gazetteer, kind)
        if actor:
            found[token.i] = Mention(token.i, token.i + 1, actor, "description", f"the {token.text}")
    return found


#: nouns that, after "the", describe an actor named shortly before, and the kind that actor must be
_DESCRIPTIONS = {
    "nation": "state", "country": "state", "kingdom": "state", "republic": "state", "state": "state", "island": "state",
    "group": "group", "militia": "group", "movement": "group", "organization": "group", "organisation": "group",
    "alliance": "organization", "bloc": "organization",
    "militant": "group", "insurgent": "group", "rebel": "group", "extremist": "group", "jihadist": "group",
}
#: members' nouns that stand for their group in the plural: "the militants", "the rebels"
_GROUP_MEMBERS = frozenset({"militant", "insurgent", "rebel", "extremist", "jihadist"})


#: peoples and faiths a demonym can qualify without naming the state ("Syrian Kurds", "Pakistani Pashtuns")
_PEOPLES = frozenset({
    "kurd", "arab", "albanian", "serb", "uyghur", "uighur", "tamil", "pashtun", "baluch", "rohingya", "tutsi", "hutu",
    "druze", "alawite", "shiite", "shia", "sunni", "muslim", "christian", "jew", "turkmen", "yazidi", "copt", "tatar",
    "hazara", "armenian", "azeri", "russian",
})
def _people_word(token: Token) -> bool:
    lower = token.lower_
    return token.lemma_.lower() in _PEOPLES or lower in _PEOPLES or (lower.endswith("s") and lower[:-1] in _PEOPLES)


#: titles that, after "the", stand for the person last named with that title ("the Secretary", "the minister")
_PERSON_TITLES = frozenset({
    "secretary", "minister", "president", "premier", "chancellor", "spokesman", "spokeswoman", "spokesperson",
    "ambassador", "envoy", "secretary-general", "king", "emir", "prince",
})
#: sentences back that a title looks for its person
_TITLE_REACH = 12


def _titled_antecedent(token: Token, people: dict[int, Mention]) -> str | None:
    """The actor of the nearest person before ``token`` introduced with the same title word.

    "Secretary Blinken spoke with ... The Secretary urged ...": the title is looked for among
    the words just before the person's name and in an apposition ("Ali, the foreign minister").
    Several people with that title in the reach and different actors: none.
    """
    doc = token.doc
    title = token.lemma_.lower()
    sent = token.sent
    start = sent.start
    for _ in range(_TITLE_REACH):
        if start == 0:
            break
        start = doc[start - 1].sent.start
    seen: list[Mention] = []
    for i in range(token.i - 1, start - 1, -1):
        m = people.get(i)
        if m is None or m.start != i or m.via == "description":
            continue
        window = doc[max(m.start - 6, doc[m.start].sent.start) : m.start]
        appos = [c for c in doc[m.start : m.end].root.children if c.dep_ == "appos"]
        words = {t.lemma_.lower() for t in window} | {t.lemma_.lower() for a in appos for t in a.subtree}
        if title in words:
            seen.append(m)
    actors = {m.actor for m in seen}
    return actors.pop() if len(actors) == 1 else None


def _inside_person(span: Span) -> bool:
    """Whether the span is part of a longer person's name: "Jordan" in "Michael Jordan", not
    a whole name the model took for a person ("Tren de Aragua")."""
    for token in span:
        if token.ent_type_ == "PERSON":
            start = token.i
            while start > 0 and span.doc[start].ent_iob_ == "I":
                start -= 1
            end = token.i + 1
            while end < len(span.doc) and span.doc[end].ent_iob_ == "I":
                end += 1
            outside = [t for t in span.doc[start:end] if not span.start <= t.i < span.end]
            if any(t.is_title or t.pos_ == "PROPN" for t in outside):
                return True  # "al-Shabab militia" the model took for a person is no person's name
    return False


def _described(token: Token, found: dict[int, Mention], gazetteer: Gazetteer, kind: str) -> str | None:
    """The last actor of ``kind`` named in this sentence before ``token`` or in the two sentences before."""
    doc = token.doc
    sent = token.sent
    start = sent.start
    for _ in range(2):
        if start == 0:
            break
        start = doc[start - 1].sent.start
    # "the al-Qaida-linked group", "the Iran-backed militants" are not al-Qaida or Iran ("the Saudi-led coalition" is)
    other = {t.i for c in token.children if c.dep_ == "amod" and c.tag_ == "VBN" and c.lemma_.lower() != "lead" for t in c.subtree}
    for i in range(token.i - 1, start - 1, -1):
        m = found.get(i)
        if m is not None and i not in other and m.via not in ("pronoun", "description") and gazetteer.kind(m.actor) == kind:
            return m.actor
    return None


def gazetteer_labels(doc: Doc) -> dict[int, str]:
    """Token index -> the label of the gazetteer span covering it (the spans the ruler left)."""
    labels: dict[int, str] = {}
    for span in doc.spans.get(SPANS_KEY, []):
        for i in range(span.start, span.end):
            labels.setdefault(i, span.label_)
    return labels


def needs_entities(sent: Span, labels: dict[int, str]) -> bool:
    """Whether :func:`mentions` reads NER labels in this sentence, so the model's NER must run on it.

    The labels are read for an ambiguous gazetteer form ("Jordan", "Georgia") and for persons:
    a name introduced by a title, a first name before an official's or a country's name
    ("Michel Suleiman", "Michael Jordan"). A person's name is a proper noun outside the
    gazetteer, so a sentence whose every proper noun is a gazetteer form (or a day or month
    name) needs no NER.
    ``labels`` is :func:`gazetteer_labels` of the sentence's Doc.
    """
    for token in sent:
        label = labels.get(token.i)
        if label is None:
            if token.pos_ == "PROPN" and token.lower_ not in _CALENDAR:
                return True
        elif label.endswith("?"):
            return True
    return False


def _remember(known: dict[str, set[str]], ent: Span, actor: str) -> None:
    """A person's full name and each part of it ("Blinken"; "Kim" of "Kim Jong Un") for later mentions."""
    known.setdefault(ent.text, set()).add(actor)
    for token in ent:
        if len(ent) > 1 and token.is_title and len(token.text) > 2 and not token.text.endswith("."):
            known.setdefault(token.text, set()).add(actor)


def _modifier_actor(token: Token, found: dict[int, Mention], depth: int = 0) -> str | None:
    """An actor among the left modifiers of ``token`` ("US Secretary of State ...")."""
    if depth > 3:
        return None
    for child in token.children:
        if child.i in found and child.dep_ in _MODIFIER_DEPS | {"pobj"}:
            return found[child.i].actor
    for child in token.children:
        if child.dep_ in _MODIFIER_DEPS or (child.dep_ == "prep" and child.lower_ == "of"):
            actor = _modifier_actor(child, found, depth + 1)
            if actor:
                return actor
    return None


def _titled(ent: Span, found: dict[int, Mention], lexicon: Lexicon) -> str | None:
    """The actor a person speaks for, from a title before the name or an apposition."""
    root = ent.root
    outside = [c for c in root.children if not ent.start <= c.i < ent.end]
    for child in outside:
        if child.i < ent.start and child.dep_ in _MODIFIER_DEPS:
            actor = found[child.i].actor if child.i in found else _modifier_actor(child, found)
            if actor:
                return actor
    roles = lexicon.words("roles")
    # "Wang Yi, China's top diplomat" / "China's top diplomat, Wang Yi"
    for other in [c for c in outside if c.dep_ == "appos"] + ([root.head] if root.dep_ == "appos" else []):
        if other.i in found and found[other.i].via != "pronoun":
            return found[other.i].actor
        if other.lemma_.lower() in roles:
            actor = _modifier_actor(other, found)
            if actor:
                return actor
    return None


def _person_antecedent(token: Token, people: dict[int, Mention]) -> str | None:
    """The person a he/she refers to, when the sentence so far or the one before has one."""
    sent = token.sent
    before = {people[i].actor for i in range(sent.start, token.i) if i in people}
    if len(before) == 1:
        return before.pop()
    if before:
        return None
    doc = token.doc
    previous = doc[sent.start - 1].sent if sent.start > 0 else None
    for _ in range(2):  # this sentence's predecessor, then one more
        if previous is None:
            return None
        actors = {people[i].actor for i in range(previous.start, previous.end) if i in people}
        if len(actors) == 1:
            return actors.pop()
        if actors:
            subjects = {people[t.i].actor for t in previous if t.i in people and t.dep_ in ("nsubj", "nsubjpass")}
            return subjects.pop() if len(subjects) == 1 else None
        previous = doc[previous.start - 1].sent if previous.start > 0 else None
    return None


def _thing_antecedent(token: Token, found: dict[int, Mention], people: dict[int, Mention]) -> str | None:
    """The state or organization an it/its refers to, from the same sentence or the one before."""
    # "Beijing ... says it is not sending ...": the subject of the saying verb
    head = token.head
    if token.dep_ == "nsubj" and head.dep_ == "ccomp":
        for subject in _subjects(head.head):
            if subject.i in found and subject.i not in people:
                return found[subject.i].actor
    sent = token.sent
    doc = token.doc
    nouns = [
        found[i]
        for i in range(sent.start, token.i)
        if i in found
        and (found[i].via in ("name", "capital", "institution") or (i in people and doc[i].head.lemma_.lower() in _GOVERNMENTS))
    ]
    if nouns:
        return nouns[-1].actor if len({m.actor for m in nouns}) == 1 or token.lower_ != "it" else None
    if sent.start == 0:
        return None
    if token.lower_ == "it" and (token.dep_ != "nsubj" or token.head.lemma_.lower() in ("be", "seem", "appear", "remain", "take")):
        return None  # only a subject "it" that acts ("It imported ...") continues the last subject
    previous = token.doc[sent.start - 1].sent
    subjects = [t for t in previous if t.dep_ in ("nsubj", "nsubjpass") and t.i in found and t.i not in people]
    actors = {found[t.i].actor for t in subjects if found[t.i].via in ("name", "capital", "institution")}
    return actors.pop() if len(actors) == 1 else None


def _subjects(verb: Token) -> list[Token]:
    """The subjects of a verb, inherited from the first conjunct when it has none."""
    while True:
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects or verb.dep_ != "conj":
            return subjects
        verb = verb.head
