"""The constructions: one named ``*_case`` method per way English states a relation.

``findings(sent)`` walks a sentence's tokens and hands each trigger word (and each word that
opens a construction of its own: "at X's request", "poses a threat", "called the move
reckless") to its case. A new construction goes here as a method of its own, named after what
it reads, with a comment giving its sentences and a test in ``tests/test_reading.py``.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

from ...lexicon import Trigger
from ...records import SYMMETRIC
from .actors import ActorReader
from .words import (
    APPROACHING,
    DANGERS,
    DEADLINES,
    DRAWING,
    EXCHANGING,
    FORSAKING,
    FUTURE_AUX,
    HYPOTHETICAL_CONFIDENCE,
    MEDIATING,
    NAMING,
    OBJECT,
    OBLIGING,
    PASSIVE_SUBJECT,
    PENALTIES,
    PERSON_VIAS,
    PREDICATED,
    PROVIDING,
    RELATIONAL_NOUNS,
    REQUESTS,
    SUBJECT,
    THREATENED,
    UNNAMED_TENSIONS,
    VESSELS,
    VISITORS,
    WRONGDOING_VERBS,
    WRONGS,
    Arg,
    Finding,
    _adjust,
    _arms_deal,
    _called_for,
    _is_each_other,
    _measured,
    pair_relation,
)


class _Reader(ActorReader):
    """The rules over one parsed article: ``ActorReader``'s questions and the constructions that ask them."""

    # --- the cases -----------------------------------------------------------------------

    def findings(self, sent: Span) -> Iterator[Finding]:
        for token in sent:
            pos = "VERB" if token.pos_ in ("VERB", "AUX") else token.pos_
            if pos == "PROPN":
                pos = "NOUN"
            candidates = self.lex.lookup(token.lemma_, pos)
            if not candidates and pos == "NOUN" and token.lower_ != token.lemma_.lower():
                candidates = self.lex.lookup(token.lower_, pos)
            if token.lemma_.lower() in self.evaluative or token.lower_ in self.evaluative:
                yield from self.evaluation_case(token)
            if pos == "VERB" and token.lemma_.lower() in ("give", "grant"):
                yield from self.deadline_case(token)
            if pos == "VERB" and token.lemma_.lower() in self.say:
                yield from self.speech_content_case(token)
            if pos == "VERB" and token.lemma_.lower() in NAMING:
                yield from self.naming_case(token)
            if pos == "VERB" and token.lemma_.lower() in DRAWING:
                yield from self.drawn_response_case(token)
            if pos == "VERB" and token.lemma_.lower() == "pose":
                yield from self.posed_threat_case(token)
            if pos == "VERB" and token.lemma_.lower() in FORSAKING:
                yield from self.forsake_case(token)
            if token.lemma_.lower() in REQUESTS and token.dep_ == "pobj" and token.head.lower_ in ("at", "upon", "on"):
                yield from self.request_case(token)
            if token.lower_ == "against" and token.dep_ == "prep" and token.head.lemma_ == "be":
                yield from self.against_case(token)
            if pos == "VERB":
                # phrasal senses first: "hit out at" criticizes, plain "hit" attacks
                for trigger in sorted(candidates, key=lambda t: not t.particle):
                    if self.has_particle(token, trigger):
                        yield from self.verb_case(token, trigger)
                        break
                if token.lemma_.lower() in self.light:
                    yield from self.light_verb_case(token)
            elif pos == "NOUN" and candidates:
                yield from self.noun_case(token, candidates[0])
            elif pos == "ADJ" and candidates:
                yield from self.adjective_case(token, candidates[0])

    def evaluation_case(self, word: Token) -> Iterator[Finding]:
        # case EVALUATION IN SPEECH: '"China's coercive actions ... are destabilizing," he said'
        speaker_verb = next((a for a in word.ancestors if a.lemma_.lower() in self.say and a.pos_ == "VERB"), None)
        if speaker_verb is None:
            return
        if word.dep_ == "amod":
            agents, compounds = self.noun_agents(word.head)
            judged = agents or compounds
        elif word.pos_ == "VERB":
            judged = [a for c in word.children if c.dep_ in SUBJECT for a in self.group(c)]  # "Putin is miscalculating"
        elif word.dep_ in ("acomp", "attr") or word.head.dep_ in ("acomp", "attr"):
            clause = word.head if word.dep_ in ("acomp", "attr") else word.head.head
            subjects = [c for c in clause.children if c.dep_ in SUBJECT]
            judged = [a for c in subjects for a in self.group(c)]
            if not judged:
                # "reports of atrocities committed by the Taliban are deeply troubling": whoever did what is judged
                judged = [a for c in subjects for t in c.subtree if t.dep_ == "agent" for p in t.children if p.dep_ == "pobj" for a in self.group(p)]
        else:
            return
        negated, hypo, _, _ = self.modality(word.head if word.dep_ != "amod" else word)
        if negated:
            return
        speakers, conf = self.agents(speaker_verb)
        yield from self.combine(speakers, [(a, "criticizes") for a in judged], "criticizes", False, word, False, hypo, 0.7 * conf)

    def verb_case(self, verb: Token, trigger: Trigger) -> Iterator[Finding]:
        # case VERB: "China supports Russia", "Russia was condemned by the UN", "met with"
        if trigger.experiencer:
            yield from self.experiencer_case(verb, trigger)
            return
        if trigger.relation == "criticizes" and verb.dep_ == "xcomp" and verb.head.lemma_ == "be":
            yield from self.to_blame_case(verb)
            return
        if verb.dep_ == "amod" and verb.tag_ == "VBN":
            hyphened = [a for c in verb.children if c.i < verb.i and c.dep_ in ("npadvmod", "compound", "nmod", "amod") for a in self.group(c)]
            if hyphened:
                # "the Iran-backed Houthis", "the Rwandan-backed M23 group": the first part did it to the noun
                noun = verb.head
                backed = self.head_actors(noun) or [a for c in noun.children if c.i > verb.i and c.dep_ in ("compound", "nmod") for a in self.group(c)]
                targets = [(a, trigger.relation) for a in backed if a.actor not in {h.actor for h in hyphened}]
                if not targets and verb.lemma_.lower() in MEDIATING:
                    targets = [(a, trigger.relation) for a in self.clause_parties(verb, hyphened)]  # "after U.S.-brokered talks"
                yield from self.combine(hyphened, targets, trigger.relation, False, verb, False, False, 0.85)
                return
        agents, conf = self.agents(verb)
        targets = self.verb_targets(verb, trigger)
        if not targets and len(agents) >= 2 and any(_is_each_other(c) for c in verb.children if c.dep_ in OBJECT):
            # "each side blamed the other", "the two accused each other"
            negated, hypo, _, factor = self.modality(verb)
            yield from self.combine(agents, [], trigger.relation, True, verb, negated, hypo, 0.85 * conf * factor)
            return
        negated, hypo, commit, factor = self.modality(verb)
        relation = trigger.relation
        if relation == "sanctions" and any(c.dep_ in OBJECT and (c.lemma_.lower() in VESSELS or (c.lower_ == "it" and self.vessel_before(verb)))
                                           for c in verb.children):
            # "expelled the U.S. warship", "identified the warship, warned and expelled it": driving off a
            # ship is a show of force, not a sanction
            relation = "warns"
        visitor = (targets and all(a.via in PERSON_VIAS for a, _ in targets)) or any(c.dep_ in OBJECT and c.lemma_.lower() in VISITORS for c in verb.children)
        if trigger.lemma == "welcome" and visitor:
            relation = "meets"  # "Castro welcomed Obama at the airport" receives a visitor; "welcomed the move" supports
        if commit in ("commit", "intent") and relation in THREATENED and not negated:
            relation, hypo = "warns", False  # "vowed to strike Israel", "wants to attack", "threatened to sanction" is a threat
        elif commit in ("commit", "pledge") and relation == "supports" and not negated:
            hypo = False  # "pledged to defend Taiwan", "the US will sell tanks to Poland" is support
        targets = [(a, relation if r == trigger.relation else r) for a, r in targets]
        if not targets and relation == "demands":
            targets = [(a, relation) for w in _called_for(verb) for a in self.addressees(w, agents)]
        if not targets and trigger.reciprocal:
            # "vying for influence with the US", "competing for markets with China": the rival hangs on the object
            targets = [(a, relation) for c in verb.children if c.dep_ in ("prep", "dobj")
                       for p2 in c.subtree if p2 is not c and p2.dep_ == "prep" and p2.lower_ in trigger.preps
                       for p in p2.children if p.dep_ == "pobj" for a in self.group(p)]
        yield from self.combine(agents, targets, relation, trigger.reciprocal, verb, negated, hypo, 0.9 * conf * factor)
        if trigger.reciprocal and relation in ("attacks", "opposes"):
            # "Russia clashed with Ukraine", "China is vying with the US": a clash or a rivalry is mutual
            for target, rel in targets:
                if rel == relation:
                    yield from self.combine([target], [(a, rel) for a in agents], rel, False, verb, negated, hypo, 0.85 * conf * factor)

    def vessel_before(self, verb: Token) -> bool:
        """Whether a verb coordinated before this one has a ship or aircraft as object ("identified the warship, ... expelled it")."""
        return any(c.dep_ in OBJECT and c.lemma_.lower() in VESSELS for v in verb.conjuncts if v.i < verb.i for c in v.children)

    def deadline_case(self, verb: Token) -> Iterator[Finding]:
        # case DEADLINE: "Trump gave Iran 60 days to reach a deal", "gave Serbia a deadline to ...": a demand
        spans = [c for c in verb.children if c.lemma_.lower() in DEADLINES and c.dep_ in ("dobj", "npadvmod", "conj")]
        if not spans:
            return
        acts = [c for t in (verb, *spans) for c in t.children if c.dep_ in ("acl", "relcl", "advcl", "xcomp")
                and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)]
        if not acts:
            return
        given = [a for c in verb.children if c.dep_ in ("dative", "dobj") and c not in spans for a in self.group(c)]
        agents, conf = self.agents(verb)
        negated, hypo, _, factor = self.modality(verb)
        yield from self.combine(agents, [(a, "demands") for a in given], "demands", False, verb, negated, hypo, 0.8 * conf * factor)

    def speech_content_case(self, verb: Token) -> Iterator[Finding]:
        # case SPEECH CONTENT: what a speaker says another should do, will suffer or has done wrong is their
        # own act towards them: "Japan said China should stop its drills" (a demand), "Iran will pay a heavy
        # price," Netanyahu said (a warning), "Russia is committing war crimes," Blinken said (criticism)
        clauses = [c for c in verb.children if c.dep_ == "ccomp"]
        clauses += [c for cl in clauses for c in cl.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")]
        speakers: list[Arg] | None = None
        for clause in clauses:
            subjects = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")] or (
                [c for c in clause.head.children if c.dep_ == "nsubj"] if clause.dep_ == "conj" else [])
            auxes = {c.lower_ for c in clause.children if c.dep_ == "aux"}
            passive = any(c.dep_ == "auxpass" or (c.lemma_.lower() == "be" and c.dep_ == "aux") for c in clause.children)
            lemma = clause.lemma_.lower()
            objects = {c.lemma_.lower() for c in clause.children if c.dep_ == "dobj"}
            held = lemma == "hold" and passive and any(c.lower_ in ("responsible", "accountable") for c in clause.children)
            if held:
                # "Syria's government will be held responsible": a threat; "should be held accountable": a judgement
                relation = "warns" if auxes & FUTURE_AUX else "criticizes"
            elif passive and not any(c.dep_ == "nsubj" for c in clause.children):
                continue
            elif lemma in PENALTIES and auxes & FUTURE_AUX:
                relation = "warns"  # "Iran will pay for it": a threat
            elif lemma in PENALTIES and auxes & OBLIGING:
                relation = "criticizes"  # "Russia must pay a price": a judgement that it deserves punishment
            elif auxes & OBLIGING and not passive:
                relation = "demands"  # "China should be held accountable" is no demand on China
            elif lemma in WRONGDOING_VERBS or (lemma in ("commit", "make") and objects & WRONGS):
                relation = "criticizes"  # "Russia was lying", "is committing war crimes", "made a big mistake"
            else:
                continue
            if clause.dep_ == "conj" and lemma not in PENALTIES:
                continue  # a second clause only for "made a mistake and will pay for it"
            targets = [(a, relation) for c in subjects for a in self.group(c)]
            if speakers is None:
                speakers, conf = self.agents(verb)
                negated, hypo, _, factor = self.modality(verb)
            yield from self.combine(speakers, targets, relation, False, clause, negated, hypo, 0.75 * conf * factor)

    def naming_case(self, verb: Token) -> Iterator[Finding]:
        # case NAMING: "Japan called China's move reckless", "described the strikes as illegal": to call
        # someone's act by an evaluative word criticizes them
        objects = [c for c in verb.children if c.dep_ == "dobj"]
        if not objects:
            return
        words = [t for c in verb.children if c.dep_ not in SUBJECT | {"aux", "neg"} for t in c.subtree]
        if not any(t.lemma_.lower() in self.evaluative or t.lower_ in self.evaluative for t in words):
            return
        judged = [a for o in objects for a in self.group(o) or self.attack_referred(o) or self.act_referred(o)]
        judged += [a for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj" for a in self.group(p)]
        speakers, conf = self.agents(verb)
        negated, hypo, _, factor = self.modality(verb)
        yield from self.combine(speakers, [(a, "criticizes") for a in judged], "criticizes", False, verb, negated, hypo, 0.75 * conf * factor)

    def drawn_response_case(self, verb: Token) -> Iterator[Finding]:
        # case DRAWN RESPONSE: "Russia's takeover of Crimea drew condemnation from the EU", "the move
        # won praise from Japan": the one it came from responds to whoever the subject stands for
        for noun in [c for c in verb.children if c.dep_ == "dobj"]:
            trigger = next(iter(self.lex.lookup(noun.lemma_, "NOUN")), None)
            if trigger is None or trigger.relation not in ("criticizes", "supports", "warns"):
                continue
            responders = [a for h in (noun, verb) for c in h.children if c.dep_ == "prep" and c.lower_ == "from"
                          for p in c.children if p.dep_ == "pobj" for a in self.group(p)]
            targets = [(a, trigger.relation) for c in verb.children if c.dep_ in SUBJECT for a in self.group(c) or self.act_referred(c)]
            negated, hypo, _, factor = self.modality(verb)
            yield from self.combine(responders, targets, trigger.relation, False, noun, negated, hypo, 0.75 * factor)

    def posed_threat_case(self, verb: Token) -> Iterator[Finding]:
        # case POSED THREAT: "China poses a threat to the US", "the threat posed by Russia to Georgia": a
        # standing hostility (opposes), not a threat made (warns)
        danger: Token | None
        if verb.dep_ == "acl" and verb.head.lemma_.lower() in DANGERS:
            danger = verb.head
            holders = [a for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj" for a in self.group(p)]
            negated, hypo, _, factor = False, False, "", 1.0
            conf = 1.0
        else:
            danger = next((c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in DANGERS), None)
            if danger is None:
                return
            holders, conf = self.agents(verb)
            negated, hypo, _, factor = self.modality(verb)
        targets = [(a, "opposes") for h in (verb, danger) for c in h.children if c.dep_ == "prep" and c.lower_ in ("to", "for")
                   for p in c.children if p.dep_ == "pobj" for a in self.group(p)]
        yield from self.combine(holders, targets, "opposes", False, danger, negated, hypo, 0.75 * conf * factor)

    def forsake_case(self, verb: Token) -> Iterator[Finding]:
        # case NOT FORSAKEN: "we will not abandon Ukraine", "never turned its back on": a pledge of support
        negated, hypo, commit, factor = self.modality(verb)
        if not negated:
            return
        backs = [c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() == "back"]
        if verb.lemma_.lower() == "turn" and not backs:
            return
        objects = [c for c in verb.children if c.dep_ == "dobj" and c not in backs]
        objects += [p for h in (verb, *backs) for c in h.children if c.dep_ == "prep" and c.lower_ == "on" for p in c.children if p.dep_ == "pobj"]
        agents, conf = self.agents(verb)
        targets = [(a, "supports") for o in objects for a in self.group(o)]
        yield from self.combine(agents, targets, "supports", False, verb, False, hypo and commit != "pledge", 0.8 * conf * factor)

    def request_case(self, noun: Token) -> Iterator[Finding]:
        # case AT THE REQUEST: "Russian troops entered Syria at Assad's request", "at the request of Mali's
        # junta": the one who asked demanded it of whoever did it
        verb = noun.head.head
        if verb.pos_ not in ("VERB", "AUX"):
            return
        askers = [a for c in noun.children if c.dep_ == "poss" for a in self.group(c)]
        askers += [a for c in noun.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children if p.dep_ == "pobj" for a in self.group(p)]
        doers, conf = self.agents(verb)
        negated, hypo, _, factor = self.modality(verb)
        yield from self.combine(askers, [(a, "demands") for a in doers], "demands", False, noun, negated, hypo, 0.7 * conf * factor)

    def against_case(self, prep: Token) -> Iterator[Finding]:
        # case AGAINST: "the U.S. is against China's encroachment": being against someone opposes them
        copula = prep.head
        agents = [a for c in copula.children if c.dep_ in SUBJECT for a in self.group(c)]
        targets = [(a, "opposes") for p in prep.children if p.dep_ == "pobj" for a in self.group(p)]
        negated, hypo, _, factor = self.modality(copula)
        yield from self.combine(agents, targets, "opposes", False, prep, negated, hypo, 0.75 * factor)

    def to_blame_case(self, verb: Token) -> Iterator[Finding]:
        # case TO BLAME: "Hamas said Israel was to blame for the blast": the speaker blames the subject
        blamed = [a for c in verb.head.children if c.dep_ in SUBJECT for a in self.group(c)]
        speaker_verb = next((a for a in verb.head.ancestors if a.lemma_.lower() in self.say and a.pos_ == "VERB"), None)
        if speaker_verb is None or not blamed:
            return
        speakers, conf = self.agents(speaker_verb)
        negated, hypo, _, factor = self.modality(verb.head)
        yield from self.combine(speakers, [(a, "criticizes") for a in blamed], "criticizes", False, verb, negated, hypo, 0.8 * conf * factor)

    def experiencer_case(self, verb: Token, trigger: Trigger) -> Iterator[Finding]:
        # case FEELING: "the US is deeply troubled by the M23's advance", "was disappointed to learn that
        # Turkey ...", "China's moves worry Japan": the one who feels it holds the view, the cause is its target
        if self.is_passive(verb):
            feelers = [a for c in verb.children if c.dep_ in PASSIVE_SUBJECT for a in self.group(c)]
            causes = [c for c in verb.children if c.dep_ in ("agent", "prep") and (c.lower_ in trigger.preps or c.dep_ == "agent")]
            targets = [a for c in causes for p in c.children if p.dep_ == "pobj" for a in self.group(p) or self.attack_referred(p) or self.situation(p, "criticizes")]
            targets += self.clause_subjects(verb)
        else:
            feelers = [a for c in verb.children if c.dep_ == "dobj" for a in self.group(c)]
            targets = [a for c in verb.children if c.dep_ in SUBJECT for a in self.group(c)]
        negated, hypo, _, factor = self.modality(verb)
        yield from self.combine(feelers, [(a, trigger.relation) for a in targets], trigger.relation, False, verb, negated, hypo, 0.8 * factor)

    def clause_subjects(self, word: Token) -> list[Arg]:
        """Subjects of the clause a word governs: "concerned that China ...", "disappointed to learn that Turkey ..." """
        out: list[Arg] = []
        for clause in [c for c in word.children if c.dep_ in ("ccomp", "xcomp")]:
            for inner in [clause, *[c for c in clause.children if c.dep_ == "ccomp"]]:
                if inner.dep_ == "ccomp":
                    out += [a for s in inner.children if s.dep_ in SUBJECT | PASSIVE_SUBJECT for a in self.group(s)]
        return out

    def light_verb_case(self, verb: Token) -> Iterator[Finding]:
        # case LIGHT VERB: "imposed sanctions on Iran", "held talks with", "provided aid to"
        objects = [c for c in verb.children if c.dep_ in OBJECT | PASSIVE_SUBJECT]
        receivers: list[Arg] = []
        if verb.lemma_.lower() in PROVIDING:
            # "provided Ukraine with weapons": the thing given hangs on "with", the object receives it
            given = [p for c in verb.children if c.dep_ == "prep" and c.lower_ == "with" for p in c.children if p.dep_ == "pobj"]
            if given:
                receivers = [a for c in objects for a in self.group(c)]
                objects = [g for g in given if receivers]
        # "gave Ukraine $60 billion in aid", "sent Kyiv a warning": a bare second object receives it
        receivers += [a for c in verb.children if c.dep_ == "dative" and c.pos_ in ("NOUN", "PROPN") for a in self.group(c)]
        for obj in objects:
            obj = _measured(obj)  # "gave Ukraine $60 billion in aid": the aid, not the sum
            trigger = next(iter(self.lex.lookup(obj.lemma_, "NOUN")), None)
            if trigger is None or not self.noun_ok(obj, trigger) or _arms_deal(obj, trigger):
                continue
            own_agents, compounds = self.noun_agents(obj)
            if own_agents:
                continue  # "backed Russia's invasion": the noun speaks for itself
            agents, conf = self.agents(verb)
            targets, pair = self.noun_targets(obj, trigger)
            if self.is_word(verb, "receiving_verbs"):
                # "Ukraine has received weapons from the EU": the giver acts, the receiver is the target
                givers = [a for p in verb.children if p.dep_ == "prep" and p.lower_ == "from" for c in p.children if c.dep_ == "pobj" for a in self.group(c)]
                givers += [a for p in obj.children if p.dep_ == "prep" and p.lower_ == "from" for c in p.children if c.dep_ == "pobj" for a in self.group(c)]
                agents, targets = givers, [(a, trigger.relation) for a in agents]
            for child in verb.children:
                if child.dep_ in ("prep", "dative") and child.lower_ in trigger.preps:
                    targets += [(a, trigger.preps[child.lower_]) for p in child.children if p.dep_ == "pobj" for a in self.group(p)]
            targets += [(a, trigger.relation) for a in receivers]
            if compounds and not targets:
                targets = [(a, trigger.relation) for a in compounds]  # "imposed Iran sanctions"
            negated, hypo, commit, factor = self.modality(verb)
            negated = negated or self.noun_negated(obj)
            if hypo and trigger.relation == "partners-with" and verb.lemma_.lower() in self.lex.words("presupposing_verbs"):
                hypo = False  # "seeking to deepen a partnership": the partnership exists already
            relation = trigger.relation
            if commit in ("commit", "intent") and relation in THREATENED and not negated:
                # "threatened to impose sanctions on Iran", "plans to cut ties with": a threat made now
                relation, hypo = "warns", False
                targets = [(a, relation if r in THREATENED else r) for a, r in targets]
            if commit in ("commit", "pledge") and relation == "supports" and not negated:
                hypo = False  # "vowed to provide aid", "will provide $50 million in aid"
            if pair:
                yield from self.combine(pair, [], pair_relation(trigger), True, obj, negated, hypo, 0.85 * factor)
            # "Erdogan and Putin reached an agreement": the agents are each other's partners
            reciprocal = (relation in SYMMETRIC or verb.lemma_.lower() in EXCHANGING) and not targets and not pair
            # "India and Pakistan exchanged fire", "the two traded accusations": each did it to the other
            yield from self.combine(agents, targets, relation, reciprocal, obj, negated, hypo, 0.85 * conf * factor)

    def noun_negated(self, noun: Token) -> bool:
        """ "made no demand", not "no limit friendship" (there "no" belongs to the compound)."""
        compounds = [c.i for c in noun.children if c.dep_ == "compound"]
        return any(
            c.dep_ in ("det", "neg") and c.lower_ in ("no", "not", "never") and not any(c.i < i for i in compounds)
            for c in noun.children
        )

    def noun_case(self, noun: Token, trigger: Trigger) -> Iterator[Finding]:
        # case NOUN: "Russia's invasion of Ukraine", "US sanctions on Iran", "talks between A and B"
        if not self.noun_ok(noun, trigger):
            return
        if trigger.relation == "opposes" and noun.i + 1 in self.found and noun.doc[noun.i + 1].head == noun.head and not any(c.dep_ == "det" for c in noun.children):
            yield from self.rival_case(noun, noun.doc[noun.i + 1])  # "accused rival Iran", parsed as two objects
            return
        relation = trigger.relation
        if _arms_deal(noun, trigger):
            return
        agents, compounds = self.noun_agents(noun)
        targets, pair = self.noun_targets(noun, trigger)
        if not agents and noun.dep_ in SUBJECT and noun.head.lemma_.lower() == "come":
            # "other demands for restraint came from Putin": who it came from made it
            agents = [a for c in noun.head.children if c.dep_ == "prep" and c.lower_ == "from"
                      for p in c.children if p.dep_ == "pobj" for a in self.group(p)]
        if not targets and relation == "demands":
            targets = [(a, relation) for w in _called_for(noun) for a in self.addressees(w, agents or compounds)]
        if noun.lemma_.lower() in RELATIONAL_NOUNS:
            targets += [(a, relation) for c in noun.children if c.dep_ == "appos" for a in self.group(c)]
        symmetric = relation in SYMMETRIC or relation == "opposes"
        negated = self.noun_negated(noun)
        hypo = False
        if not agents and any(c.dep_ == "amod" and c.lower_ in ("mutual", "joint", "shared", "common") for c in noun.children):
            agents = self.named_group(noun)  # "amid mutual concerns about China's influence"
        if noun.dep_ in OBJECT | PASSIVE_SUBJECT and noun.head.lemma_.lower() in self.light and not agents:
            return  # the light verb case reads it with the verb's subject
        verb = self.governing_verb(noun)
        confidence = 0.8
        # "they are nearing a trade deal", "close to an agreement": not reached yet
        pending = (verb is not None and verb.lemma_.lower() in APPROACHING) or (
            noun.dep_ == "pobj" and noun.head.lower_ in ("to", "toward", "towards") and noun.head.head.lemma_.lower() in ("close", "closer", "near", "nearer", "edge", "inch", "move", "work")
        )
        if relation in ("partners-with", "meets") and verb is not None and verb.lemma_.lower() in self.lex.words("undoing_verbs"):
            # "disputes that have worsened ties between A and B" is no statement of partnership, and
            # "broke diplomatic relations with the US", "downgrades ties with India" is a sanction
            if relation == "partners-with" and noun.head == verb and noun.dep_ in OBJECT and targets:
                yield from self.ties_cut_case(verb, targets)
            return
        if verb is not None and not agents and not compounds:
            _, hypo_gov, _, _ = self.modality(verb)
            # a planned or wished-for meeting or deal is not a fact; "Russia's war" is
            hypo = hypo_gov and relation in ("meets", "partners-with", "sanctions", "demands", "supports")
            manner = noun.dep_ == "pobj" and noun.head.lower_ == "in" and noun.head.head == verb  # "counterattacked, in support of"
            if verb.lemma_.lower() in self.say or verb.lemma_.lower() in self.light or (symmetric and targets) or (manner and targets):
                # "stressed the need for consequences", "is in contact with", "support cooperation with X",
                # "the Kenyans counterattacked, in support of the Somali troops"
                agents, conf = self.agents(verb)
                confidence *= conf * 0.9
                if noun.dep_ == "attr" and noun.head == verb:
                    # "Iran is not an ally of Israel": the copula's own "not" denies it
                    negated = negated or self.modality(verb)[0]
        hypo = hypo or (pending and relation in ("partners-with", "meets"))
        if verb is not None and not agents and not compounds and relation in THREATENED and noun.dep_ == "dobj" and noun.head == verb:
            yield from self.threat_case(noun, verb, targets)
            return
        if relation == "warns" and not targets:
            # "consequences if Beijing continues ...": the threat is to the condition's subject
            targets = [(a, relation) for a in self.conditional_subjects(noun, verb)]
        if not agents and not compounds and not pair and symmetric and verb is not None:
            # "Moscow and Ankara are on a collision course", "the US and Poland are firm partners"
            subjects = [a for c in verb.children if c.dep_ in SUBJECT | PASSIVE_SUBJECT for a in self.group(c)]
            if len(subjects) >= 2:
                pair = subjects
        if not agents and not compounds and not pair and not targets and noun.lemma_.lower() in UNNAMED_TENSIONS:
            # "Pakistan downgrades ties with India, tensions rise": tension with no parties named is between
            # the two actors of its sentence, when there are exactly two
            named = list(dict.fromkeys(m.actor for i, m in self.found.items() if noun.sent.start <= i < noun.sent.end and m.via != "pronoun"))
            if len(named) == 2:
                pair = [Arg(a, noun.text, "context") for a in named]
        if pair:
            # "talks between China and Russia", "tensions between Serbia and Kosovo"
            yield from self.combine(pair, [], pair_relation(trigger), True, noun, negated, hypo, 0.8)
        if not agents and len(compounds) >= 2 and symmetric:
            # "US-China talks", "the China-Russia partnership"
            yield from self.combine(compounds, [], relation, True, noun, negated, hypo, 0.75)
            return
        if not agents and noun.lemma_.lower() in MEDIATING and noun.dep_ == "pobj" and noun.head.lower_ == "of":
            # "years of mediation by the United States": the parser hangs "by" on "years"
            agents = [a for c in noun.head.head.children if c.dep_ == "prep" and c.lower_ == "by"
                      for p in c.children if p.dep_ == "pobj" for a in self.group(p)]
        if not targets and not pair and agents and noun.lemma_.lower() in MEDIATING:
            # "following years of mediation by the United States, Israel and Lebanon announced ...": the mediator meets each party
            targets = [(a, relation) for a in self.clause_parties(noun, agents)]
        if not targets and relation in PREDICATED and noun.dep_ in ("attr", "appos") and (agents or compounds):
            # "Iran is a Syrian ally", "Russia, another Assad supporter": the one the noun is said of holds the relation
            holders = [a for c in noun.head.children if c.dep_ in SUBJECT for a in self.group(c)] if noun.dep_ == "attr" else self.head_actors(noun.head)
            held = {a.actor for a in holders}
            targets = [(a, relation) for a in agents or compounds if a.actor not in held]
            if holders and targets:
                negated, hypo, _, factor = self.modality(noun.head) if noun.dep_ == "attr" else (negated, hypo, "", 1.0)
                yield from self.combine(holders, targets, relation, False, noun, negated, hypo, 0.8 * factor)
                return
        if not agents and compounds and targets:
            agents = compounds  # "US sanctions on Iran"
        if agents and len(agents) >= 2 and not targets and symmetric:
            # "China and Russia's strategic partnership"
            yield from self.combine(agents, [], relation, True, noun, negated, hypo, 0.75)
            return
        yield from self.combine(agents, targets, relation, False, noun, negated, hypo, confidence)

    def ties_cut_case(self, verb: Token, targets: list[tuple[Arg, str]]) -> Iterator[Finding]:
        # case TIES CUT: "Venezuela has broken diplomatic relations with the US": the verb's subject sanctions
        if not any(t.relation == "sanctions" for t in self.lex.lookup(verb.lemma_.lower(), "VERB")):
            return
        agents, conf = self.agents(verb)
        negated, hypo, _, factor = self.modality(verb)
        yield from self.combine(agents, [(a, "sanctions") for a, _ in targets], "sanctions", False, verb, negated, hypo, 0.85 * conf * factor)

    def threat_case(self, noun: Token, verb: Token, targets: list[tuple[Arg, str]]) -> Iterator[Finding]:
        # case THREAT: "the EU is considering sanctions against Juba", "threatens military action against":
        # an act its subject weighs, plans or threatens is a warning made now (an act merely hoped for is not)
        # "did not rule out military action against Iran" keeps the threat open: a threat
        ruled_out = verb.lemma_.lower() == "rule" and any(c.dep_ == "prt" and c.lower_ == "out" for c in verb.children)
        if not (self.is_word(verb, "intention_governors") or self.is_word(verb, "commitment_governors") or ruled_out):
            return  # "vowed revenge against Israel", "plans sanctions on Iran"
        negated, hypo, _, factor = self.modality(verb)
        if ruled_out:
            if not negated:
                return  # "ruled out sanctions" threatens nothing
            negated = hypo = False  # "would not rule out": a refusal made now
        if negated or hypo:
            return
        agents, conf = self.agents(verb)
        if not targets:
            # "mulling new tariffs on China": the parser may hang the target on the verb
            preps = {p for t in self.lex.lookup(noun.lemma_, "NOUN") for p in t.preps}
            targets = [(a, "sanctions") for c in verb.children if c.dep_ == "prep" and c.lower_ in preps
                       for p in c.children if p.dep_ == "pobj" for a in self.group(p)]
        warned = [(a, "warns") for a, r in targets if r in THREATENED]
        yield from self.combine(agents, warned, "warns", False, noun, False, False, 0.75 * conf * factor)

    def governing_verb(self, noun: Token) -> Token | None:
        """The verb whose object (directly or through prepositions) the noun is."""
        cur = noun
        for _ in range(4):
            if cur.dep_ not in ("dobj", "pobj", "prep", "nsubjpass", "attr", "appos", "conj") or cur.head is cur:
                return None
            cur = cur.head
            if cur.pos_ in ("VERB", "AUX"):
                return cur
        return None

    def conditional_subjects(self, noun: Token, verb: Token | None) -> list[Arg]:
        """Subjects of an if/unless clause attached to the noun or its verb."""
        for holder in [noun, noun.head, *([verb] if verb is not None else [])]:
            for clause in holder.children:
                if clause.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in clause.children):
                    for sub in clause.children:
                        if sub.dep_ in SUBJECT:
                            return self.group(sub)
        return []

    def clause_parties(self, word: Token, mediators: list[Arg]) -> list[Arg]:
        """The subjects of the clause a phrase hangs on ("following U.S.-brokered talks, Serbia and Kosovo agreed")."""
        known = {a.actor for a in mediators}
        cur = word
        for _ in range(8):
            if cur.head is cur:
                break
            cur = cur.head
            if cur.pos_ in ("VERB", "AUX") and cur.dep_ != "prep":
                subjects = [a for c in cur.children if c.dep_ in SUBJECT | PASSIVE_SUBJECT for a in self.group(c) if a.actor not in known]
                if subjects or cur.dep_ not in ("xcomp", "advcl", "conj"):
                    return subjects
        return []

    def rival_case(self, word: Token, name: Token) -> Iterator[Finding]:
        # case RIVAL: "Saudi Arabia accused rival Iran": the clause's subject and the named rival oppose each other
        named = self.head_actors(name)
        verb = name.head
        while verb.dep_ in ("prep", "conj", "appos") and verb.head is not verb:
            verb = verb.head
        subjects = [a for c in verb.children if c.dep_ in SUBJECT for a in self.group(c)] if verb.pos_ in ("VERB", "AUX") else []
        subjects = [a for a in subjects if a.actor not in {n.actor for n in named}]
        if not subjects or not named:
            return
        negated, hypo, _, factor = self.modality(verb)
        yield from self.combine(subjects + named, [], "opposes", True, word, negated, hypo, 0.7 * factor)

    def adjective_case(self, adj: Token, trigger: Trigger) -> Iterator[Finding]:
        # case ADJECTIVE: "Hungary is critical of the EU", "allied with Russia"
        # the adjective heads its own clause when the parser gives it the subject: "the US was disappointed to learn ..."
        own = [c for c in adj.children if c.dep_ in SUBJECT | PASSIVE_SUBJECT]
        if adj.dep_ not in ("acomp", "amod", "oprd") and not own:
            return
        if adj.dep_ == "amod" and adj.head.i in self.found and trigger.relation == "opposes":
            yield from self.rival_case(adj, adj.head)
            return
        head = adj.head
        if own:
            agents = [a for c in own for a in self.group(c)]
        else:
            agents = self.head_actors(head) if adj.dep_ == "amod" else self.agents(head)[0]
        targets: list[tuple[Arg, str]] = []
        for child in adj.children:
            if child.dep_ in ("prep", "agent") and child.lower_ in trigger.preps:
                for p in [p for p in child.children if p.dep_ == "pobj"]:
                    found = self.group(p) or (self.attack_referred(p) or self.situation(p, "criticizes") if trigger.relation == "criticizes" else [])
                    targets += [(a, trigger.preps[child.lower_]) for a in found]
        if trigger.experiencer:
            targets += [(a, trigger.relation) for a in self.clause_subjects(adj)]  # "concerned that Russia ..."
        negated, hypo, _, factor = self.modality(head if adj.dep_ == "acomp" and not own else adj)
        yield from self.combine(agents, targets, trigger.relation, False, adj, negated, hypo, 0.8 * factor)

    def combine(
        self,
        agents: list[Arg],
        targets: list[tuple[Arg, str]],
        relation: str,
        reciprocal: bool,
        trigger: Token,
        negated: bool,
        hypothetical: bool,
        confidence: float,
    ) -> Iterator[Finding]:
        """Findings for every agent x target; coordinated agents pair up when reciprocal."""
        if hypothetical:
            confidence = min(confidence, HYPOTHETICAL_CONFIDENCE)
        for source in agents:
            for target, rel in targets:
                if source.actor != target.actor:
                    if rel in ("attacks", "opposes") and not hypothetical and not negated:
                        self.conflicts.append((source.actor, target.actor))
                        self.fights.append((trigger.i, source.actor, rel, target.actor))
                    yield Finding(source, rel, target, trigger, negated, hypothetical, _adjust(confidence, source, target))
        if reciprocal and len(agents) >= 2 and (not targets or relation in SYMMETRIC):
            # "China and Russia signed a deal", "Serbia and Kosovo clashed"
            both_ways = relation not in SYMMETRIC
            for i, a in enumerate(agents):
                for b in agents[i + 1 :]:
                    if a.actor == b.actor:
                        continue
                    yield Finding(a, relation, b, trigger, negated, hypothetical, _adjust(confidence, a, b))
                    if relation in ("attacks", "opposes") and not hypothetical and not negated:
                        self.conflicts.append((a.actor, b.actor))
                        self.fights.append((trigger.i, a.actor, relation, b.actor))
                    if both_ways:
                        yield Finding(b, relation, a, trigger, negated, hypothetical, _adjust(confidence, b, a))
