"""What the model is told of a candidate: the parse read by the real pipeline."""

from __future__ import annotations

import pytest

from kgraph.extract import Reading, read
from kgraph.records import Article

pytestmark = pytest.mark.slow


def reading_of(extractor, text: str, date: str = "2023-10-20") -> Reading:  # type: ignore[no-untyped-def]
    """What the extractor reads in one article: its candidates with their features."""
    doc, article = next(iter(extractor.parse([Article(id="t.txt", text=text, date=date)])))
    return read(doc, article, extractor.gazetteer, extractor.lexicon)


def examples(extractor, text: str) -> dict[tuple[str, str], list[str]]:  # type: ignore[no-untyped-def]
    reading = reading_of(extractor, text)
    return {(ex.candidate.source.actor, ex.candidate.target.actor): ex.features for ex in reading.examples}


def test_a_planned_visit_is_hypothetical_and_a_refused_meeting_negated(extractor) -> None:  # type: ignore[no-untyped-def]
    planned = examples(extractor, "Biden had planned to visit Jordan on Wednesday.")
    assert "hyp" in planned[("USA", "JOR")]
    made = examples(extractor, "Biden visited Jordan on Wednesday.")
    assert "hyp" not in made[("USA", "JOR")]
    refused = examples(extractor, "Putin refused to meet Zelensky in Istanbul.")
    assert "neg" in refused[("RUS", "UKR")]


def test_a_reported_obligation_is_read_as_one(extractor) -> None:  # type: ignore[no-untyped-def]
    said = examples(extractor, "Russia said Israel must stop its strikes on Iran.")
    assert "cmood=deontic" in said[("RUS", "ISR")]
    urged = examples(extractor, "China urged Japan to show restraint.")
    assert "cmood=infinitive" in urged[("CHN", "JPN")]


def rule_findings(extractor, text: str) -> set[tuple[str, str, str, bool]]:  # type: ignore[no-untyped-def]
    """(source, relation, target, hypothetical) the hand-written rules find in one article."""
    from kgraph.extract import rules

    doc, article = next(iter(extractor.parse([Article(id="t.txt", text=text, date="2024-05-01")])))
    return {(e.source, e.relation, e.target, e.hypothetical) for e in rules.events(doc, article, extractor.gazetteer, extractor.lexicon)}


def test_who_feels_a_concern_holds_it_and_its_cause_is_criticized(extractor) -> None:  # type: ignore[no-untyped-def]
    passive = rule_findings(extractor, "The United States is deeply troubled by Russia's attacks on Ukrainian ports.")
    assert ("USA", "criticizes", "RUS", False) in passive
    active = rule_findings(extractor, "China's military drills worry Japan.")
    assert ("JPN", "criticizes", "CHN", False) in active
    assert ("CHN", "criticizes", "JPN", False) not in active
    clause = rule_findings(extractor, "Germany was disappointed to learn that Turkey had bought Russian missiles.")
    assert ("DEU", "criticizes", "TUR", False) in clause


def test_pushing_someone_out_is_no_demand_and_pushing_them_to_act_is(extractor) -> None:  # type: ignore[no-untyped-def]
    out = rule_findings(extractor, "Kenyan forces have pushed al-Shabab out of most Somali towns.")
    assert not any(r == "demands" for _, r, _, _ in out)
    urged = rule_findings(extractor, "France pushed Iran to return to the talks.")
    assert ("FRA", "demands", "IRN", False) in urged


def test_a_past_act_reported_beside_a_future_one_stays_a_fact(extractor) -> None:  # type: ignore[no-untyped-def]
    # "we will respond" governs the clause in the parse; "condemned" is still something that happened
    found = rule_findings(extractor, "First, Austin and I strongly condemned North Korea's missile launches, and we will respond to any further provocation.")
    assert ("USA", "criticizes", "PRK", False) in found
    planned = rule_findings(extractor, "Austin will condemn North Korea's missile launches.")
    assert ("USA", "criticizes", "PRK", True) in planned


def test_a_weighed_or_threatened_sanction_is_a_warning_and_a_hoped_for_one_is_not(extractor) -> None:  # type: ignore[no-untyped-def]
    considered = rule_findings(extractor, "The European Union is considering sanctions against Belarus.")
    assert ("EU", "warns", "BLR", False) in considered
    assert not any(r == "sanctions" and not hyp for _, r, _, hyp in considered)
    threatened = rule_findings(extractor, "Washington threatened to impose sanctions on Turkey.")
    assert ("USA", "warns", "TUR", False) in threatened
    imposed = rule_findings(extractor, "Washington imposed sanctions on Turkey.")
    assert ("USA", "sanctions", "TUR", False) in imposed and not any(r == "warns" for _, r, _, _ in imposed)
    refused = rule_findings(extractor, "Germany is not considering sanctions against Hungary.")
    assert not any(r == "warns" for _, r, _, _ in refused)


def test_a_call_for_others_to_act_demands_of_each_of_them(extractor) -> None:  # type: ignore[no-untyped-def]
    found = rule_findings(extractor, "Russia called for both Israel and Iran to show restraint.")
    assert {("RUS", "demands", "ISR", False), ("RUS", "demands", "IRN", False)} <= found


# One construction per case: the text, findings it must give, and findings it must not give.
# A finding is (source, relation, target, hypothetical); in ``absent`` a None matches anything.
Key = tuple[str | None, str | None, str | None, bool | None]
CONSTRUCTIONS = [
    pytest.param("Azerbaijan attacked Armenia on Saturday. Kerry urged restraint. Other demands for calm came from Putin.",
                 {("USA", "demands", "AZE", False), ("USA", "demands", "ARM", False), ("RUS", "demands", "AZE", False), ("RUS", "demands", "ARM", False)},
                 set(), id="a call for restraint is made of the parties of the fight told of before"),
    pytest.param("Kerry urged restraint. Azerbaijan attacked Armenia on Saturday.",
                 set(), {(None, "demands", None, None)}, id="with no fight told of before, restraint is asked of no one"),
    pytest.param("Al-Shabab militants attacked an African Union base on Friday. The U.N. Security Council deplored the raid.",
                 {("UNSC", "criticizes", "AL_SHABAAB", False)}, set(), id="condemning the attack criticizes whoever made it"),
    pytest.param("Al-Shabab attacked an African Union base. Ban condemned the Russian attack on Kyiv.",
                 set(), {(None, "criticizes", "AL_SHABAAB", None)}, id="an attack with a doer of its own is that doer's"),
    pytest.param("The U.N. Security Council deplored the raid.", set(), {(None, "criticizes", None, None)}, id="no attack told of before, no target"),
    pytest.param("Venezuela has broken diplomatic relations with the United States.",
                 {("VEN", "sanctions", "USA", False)}, {(None, "partners-with", None, None)}, id="breaking ties is a sanction and no partnership"),
    pytest.param("Pakistan downgraded its ties with India on Wednesday.", {("PAK", "sanctions", "IND", False)}, set(), id="downgrading ties is a sanction"),
    pytest.param("The dispute has strained ties between Japan and China.", set(),
                 {(None, "partners-with", None, None), (None, "sanctions", None, None)}, id="strained ties are neither"),
    pytest.param("India strengthened its ties with Japan.", set(), {(None, "sanctions", None, None)}, id="strengthened ties are no sanction"),
    pytest.param("Israel and Syria traded fire on Sunday. Officials at the White House said the U.S. supported Israel. "
                 "They condemned the missile attacks by Iranian forces.",
                 {("USA", "criticizes", "IRN", False)}, {("ISR", "criticizes", None, None), ("SYR", "criticizes", None, None)},
                 id="they after a plural subject stands for it"),
    pytest.param("Israel and Syria traded fire on Sunday. Witnesses said the planes flew low. They condemned Iran.",
                 set(), {(None, "criticizes", None, None)}, id="they after a subject of no known actor is no one known"),
    pytest.param("China and Russia held talks on Monday. They condemned NATO.",
                 {("CHN", "criticizes", "NATO", False), ("RUS", "criticizes", "NATO", False)}, set(), id="they after a coordinated subject is that group"),
    pytest.param("However, the United States was disappointed to learn that Turkey sent personnel to Russia.",
                 {("USA", "criticizes", "TUR", False)}, set(), id="a feeling adjective heading its clause holds its view"),
    pytest.param("Armenia and Azerbaijan clashed on Sunday. Ban said he was deeply disturbed by the fighting.",
                 {("ARM", "attacks", "AZE", False), ("AZE", "attacks", "ARM", False), ("UN", "criticizes", "ARM", False), ("UN", "criticizes", "AZE", False)},
                 set(), id="a clash is a fight both ways and the fighting stands for its parties"),
    pytest.param("India and Pakistan accused each other of violating the truce.",
                 {("IND", "criticizes", "PAK", False), ("PAK", "criticizes", "IND", False)}, set(), id="accused each other"),
    pytest.param("Armenia and Azerbaijan clashed on Sunday. Each side blamed the other for starting the fighting.",
                 {("ARM", "criticizes", "AZE", False), ("AZE", "criticizes", "ARM", False)}, set(), id="each side blamed the other"),
    pytest.param("Hamas said Israel was to blame for the blast.",
                 {("HAMAS", "criticizes", "ISR", False)}, {("ISR", "criticizes", None, None)}, id="X was to blame"),
    pytest.param("China held large-scale military drills around Taiwan on Monday.", {("CHN", "warns", "TWN", False)}, set(), id="drills around a state warn it"),
    pytest.param("Japan held joint exercises with Australia.",
                 {("JPN", "partners-with", "AUS", False)}, {(None, "warns", None, None)}, id="drills with a state are a partnership"),
    pytest.param("The United States will supply arms to Israel.", {("USA", "supports", "ISR", False)}, set(), id="help announced in the future is pledged now"),
    pytest.param("The United States would supply arms to Israel if asked.", {("USA", "supports", "ISR", True)}, set(), id="conditional help stays a plan"),
    pytest.param("The US will meet Iran next week.", {("USA", "meets", "IRN", True)}, set(), id="a future meeting stays a plan"),
    pytest.param("The United States will not supply arms to Israel.", set(), {("USA", "supports", "ISR", False)}, id="help refused in the future is no pledge"),
    pytest.param("The Iran-backed Houthi rebels fired missiles at Israel.", {("IRN", "supports", "HOUTHIS", False)}, set(), id="the Iran-backed Houthis"),
    pytest.param("Goma fell to the Rwandan-backed M23 armed group.", {("RWA", "supports", "M23", False)}, set(), id="the Rwandan-backed M23"),
    pytest.param("Russia-backed separatists attacked Ukraine.", set(), {(None, "supports", None, None)}, id="unnamed backed fighters are no actor"),
    pytest.param("Iran is a Syrian ally.", {("IRN", "partners-with", "SYR", False)}, set(), id="a relation noun said of an actor"),
    pytest.param("Russia, another Assad supporter, called for restraint.", {("RUS", "supports", "SYR", False)}, set(), id="a relation noun in apposition"),
    pytest.param("The U.S. is against China's encroachment on its neighbors.", {("USA", "opposes", "CHN", False)}, set(), id="X is against Y"),
    pytest.param("The Kenyans counterattacked, in support of the Somali troops.", {("KEN", "supports", "SOM", False)}, set(), id="an act in support of someone"),
    pytest.param("India acted in coordination with Japan.", {("IND", "partners-with", "JPN", False)}, set(), id="an act in coordination with someone"),
    pytest.param("Hamas launched at least 116 rockets from Gaza into Israel.", {("HAMAS", "attacks", "ISR", False)}, set(), id="rockets fired into a state"),
    pytest.param("Pakistan says that unprovoked overnight shelling by India across the disputed Kashmir frontier killed seven Pakistani troops.",
                 {("IND", "attacks", "PAK", False)}, set(), id="shelling parsed as a clause stands for its doer"),
    pytest.param("Trump gave Iran 60 days to reach a deal.", {("USA", "demands", "IRN", False)}, set(), id="a deadline given to act"),
    pytest.param("The EU gave Serbia a deadline to recognize Kosovo.", {("EU", "demands", "SRB", False)}, set(), id="a deadline to act"),
    pytest.param("Russia gave Syria two days of talks.", set(), {(None, "demands", None, None)}, id="days given without an act are no deadline"),
    pytest.param("The Saudi deputy defense minister accused rival Iran of ordering the attacks.",
                 {("SAU", "opposes", "IRN", False), ("IRN", "opposes", "SAU", False)}, set(), id="accused rival Iran"),
    pytest.param("India hosted rival Pakistan for talks.",
                 {("IND", "opposes", "PAK", False), ("PAK", "opposes", "IND", False)}, set(), id="hosted rival Pakistan"),
    pytest.param("Serbia and Kosovo have agreed to normalize economic relations, following U.S.-brokered talks.",
                 {("USA", "meets", "SRB", False), ("USA", "meets", "XKX", False)}, set(), id="a broker meets each party of the clause"),
    pytest.param("Following years of mediation by the United States, the Governments of Israel and Lebanon today announced an agreement.",
                 {("USA", "meets", "ISR", False), ("USA", "meets", "LBN", False)}, set(), id="a mediator meets each party of the clause"),
    pytest.param("Qatar-brokered talks collapsed.", set(), {(None, "meets", None, None)}, id="a broker with no parties named meets no one"),
    pytest.param("Secretary Blinken shared his deep concern over the events in Niger.", {("USA", "criticizes", "NER", False)}, set(), id="concern over the events in a state"),
    pytest.param("The US is alarmed by the situation in Sudan.", {("USA", "criticizes", "SDN", False)}, set(), id="alarm at the situation in a state"),
    pytest.param("Japan voiced concern about the weather in China.", set(), {(None, "criticizes", None, None)}, id="the weather in a state is not the state"),
    pytest.param("Russia condemned and sanctioned Ukraine.", {("RUS", "criticizes", "UKR", False)}, set(), id="coordinated verbs share the later object"),
    pytest.param("The Chinese navy identified the U.S. warship, warned and expelled it.", {("CHN", "warns", "USA", False)}, set(), id="warned and expelled it"),
    pytest.param("China warned and the US sanctioned Iran.", set(), {(None, "warns", None, None)}, id="a later verb with its own subject shares nothing"),
    pytest.param("China expelled the Philippine vessel.",
                 {("CHN", "warns", "PHL", False)}, {(None, "sanctions", None, None)}, id="expelling a ship is a show of force"),
    pytest.param("Russia expelled two British diplomats.", {("RUS", "sanctions", "GBR", False)}, set(), id="expelling diplomats is a sanction"),
    pytest.param("The Chinese navy tracked the U.S. destroyer, warned and expelled it.",
                 {("CHN", "warns", "USA", False)}, {(None, "sanctions", None, None)}, id="expelling it, the ship named before"),
    pytest.param("Egypt welcomed the Israeli prime minister Benjamin Netanyahu in Cairo.",
                 {("EGY", "meets", "ISR", False)}, {(None, "supports", None, None)}, id="welcoming a visitor is a meeting"),
    pytest.param("Egypt welcomed the Israeli decision.", {("EGY", "supports", "ISR", False)}, set(), id="welcoming a decision supports it"),
    pytest.param("Xi met Kenyan officials. After their talks, Xi and Putin signed a deal.",
                 {("CHN", "partners-with", "RUS", False)}, {("KEN", "partners-with", None, None), (None, "partners-with", "KEN", None)},
                 id="their in a fronted phrase points forward"),
    pytest.param("Al-Shabab attacked a base. The al-Qaida-linked group still launches attacks on AU targets.",
                 {("AL_SHABAAB", "attacks", "AU", False)}, {("AL_QAEDA", None, None, None)}, id="the X-linked group is not X"),
    pytest.param("Hezbollah fighters fought on the side of Syria.",
                 {("HEZBOLLAH", "supports", "SYR", False)}, {(None, "attacks", None, None)}, id="fighting on someone's side helps them"),
    pytest.param("Belarusian troops stood by Russia's side.", {("BLR", "supports", "RUS", False)}, set(), id="standing by someone's side"),
    pytest.param("Troops of both sides fought on the border.", set(), {(None, "supports", None, None)}, id="both sides take no side"),
    pytest.param("Germany gave Ukraine 3 billion euros in military aid.", {("DEU", "supports", "UKR", False)}, set(), id="a sum in aid to a second object"),
    pytest.param("Washington provided Taipei with anti-ship missiles.", {("USA", "supports", "TWN", False)}, set(), id="provided X with weapons"),
    pytest.param("Tokyo offered Manila a loan.", {("JPN", "supports", "PHL", False)}, set(), id="an offered loan"),
    pytest.param("Beijing restricted exports of rare earths to Japan.", {("CHN", "sanctions", "JPN", False)}, set(), id="cutting exports to a state sanctions it"),
    pytest.param("Ankara halted all trade with Israel.", {("TUR", "sanctions", "ISR", False)}, set(), id="halting trade with a state"),
    pytest.param("The EU banned imports from Belarus.",
                 {("EU", "sanctions", "BLR", False)}, {(None, "partners-with", None, None)}, id="banned imports are no trade partnership"),
    pytest.param("Pakistan lodged a protest with Afghanistan over the shelling.", {("PAK", "criticizes", "AFG", False)}, set(), id="a protest lodged with a state"),
    pytest.param("Tehran vowed revenge against Washington.", {("IRN", "warns", "USA", False)}, {(None, "attacks", None, None)}, id="vowed revenge is a threat"),
    pytest.param("The Pentagon did not rule out military action against North Korea.",
                 {("USA", "warns", "PRK", False)}, {(None, "attacks", None, None)}, id="not ruling out force is a threat"),
    pytest.param("Ankara is weighing sanctions on Stockholm.", {("TUR", "warns", "SWE", False)}, {(None, "sanctions", None, None)}, id="weighing sanctions is a threat"),
    pytest.param("Washington is mulling new tariffs on Beijing.", {("USA", "warns", "CHN", False)}, set(), id="mulling tariffs, the target on the verb"),
    pytest.param("The Pentagon ruled out military action against North Korea.", set(), {(None, "warns", None, None)}, id="ruling out force threatens nothing"),
    pytest.param("The G7 nations — Canada, France and Japan among them — condemned Russia.",
                 {("CAN", "criticizes", "RUS", False), ("FRA", "criticizes", "RUS", False), ("JPN", "criticizes", "RUS", False)}, set(),
                 id="the named members of an apposition act with their group"),
    pytest.param("Austin met Filipino, Korean and Japanese officials.",
                 {("USA", "meets", "PHL", False), ("USA", "meets", "JPN", False)}, set(), id="coordinated demonyms, one of them ambiguous"),
    pytest.param("Seoul said Pyongyang should halt its missile tests.", {("KOR", "demands", "PRK", False)}, set(), id="what another should do is a demand"),
    pytest.param("Seoul said Pyongyang must pay a price.",
                 {("KOR", "criticizes", "PRK", False)}, {(None, "demands", None, None), (None, "warns", None, None)},
                 id="must pay a price judges and asks nothing"),
    pytest.param("Seoul said Pyongyang will pay a price.", {("KOR", "warns", "PRK", False)}, set(), id="will pay a price threatens"),
    pytest.param("Israeli officials said Syria's government will be held responsible.", {("ISR", "warns", "SYR", False)}, set(), id="will be held responsible"),
    pytest.param("Manila said Beijing should be held accountable.",
                 {("PHL", "criticizes", "CHN", False)}, {(None, "demands", None, None)}, id="should be held accountable"),
    pytest.param("Netanyahu said Tehran made a grave mistake and will pay for it.",
                 {("ISR", "criticizes", "IRN", False), ("ISR", "warns", "IRN", False)}, set(), id="a mistake said and a price promised"),
    pytest.param('"Moscow is committing war crimes," Blinken told reporters.', {("USA", "criticizes", "RUS", False)}, set(), id="a wrong said of another"),
    pytest.param("Blinken said Ukraine will win.", set(), {(None, "warns", None, None), (None, "criticizes", None, None)}, id="a future said is no threat"),
    pytest.param("The EU imposed sanctions targeting Russian banks.", {("EU", "sanctions", "RUS", False)}, set(), id="sanctions targeting a state's banks"),
    pytest.param("Moscow and Kyiv are nearing a deal.", set(), {(None, "partners-with", None, False)}, id="nearing a deal is no deal yet"),
    pytest.param("Egypt signed an arms deal with France.", set(), {(None, "partners-with", None, None)}, id="an arms deal is a sale, not a partnership"),
    pytest.param("Manila called Beijing's maneuver dangerous.", {("PHL", "criticizes", "CHN", False)}, set(), id="calling an act dangerous criticizes its doer"),
    pytest.param("Seoul described the North Korean launch as a provocation.", {("KOR", "criticizes", "PRK", False)}, set(), id="described as a provocation"),
    pytest.param("Biden called the talks with Xi productive.", set(), {(None, "criticizes", None, None)}, id="calling something productive criticizes no one"),
    pytest.param("Iran tested a ballistic missile on Monday. Israel condemned the test.", {("ISR", "criticizes", "IRN", False)}, set(), id="condemning the act told of before"),
    pytest.param("Russia withdrew its troops. Ukraine welcomed the move.", {("UKR", "supports", "RUS", False)}, set(), id="welcoming the move told of before"),
    pytest.param("Ukraine welcomed the move.", set(), {(None, "supports", None, None)}, id="no act told of before, no one welcomed"),
    pytest.param("French troops deployed at the request of Mali's government.", {("MLI", "demands", "FRA", False)}, set(), id="at the request of"),
    pytest.param("Cuban advisers arrived at Maduro's request.", {("VEN", "demands", "CUB", False)}, set(), id="at X's request"),
    pytest.param('"We will not abandon Kyiv," the Polish president said.', {("POL", "supports", "UKR", False)}, set(), id="a pledge not to abandon is support"),
    pytest.param("Tokyo will never turn its back on Manila.", {("JPN", "supports", "PHL", False)}, set(), id="never turn its back on"),
    pytest.param("The US abandoned Afghanistan.", set(), {(None, "supports", None, None)}, id="abandoning is no support"),
    pytest.param("Washington, along with London and Paris, launched strikes on Syria.",
                 {("USA", "attacks", "SYR", False), ("GBR", "attacks", "SYR", False), ("FRA", "attacks", "SYR", False)}, set(), id="along with"),
    pytest.param("Canada, together with Australia, condemned Beijing.",
                 {("CAN", "criticizes", "CHN", False), ("AUS", "criticizes", "CHN", False)}, set(), id="together with"),
    pytest.param("Britain, alongside the US, struck the Houthis.", {("USA", "attacks", "HOUTHIS", False)}, set(), id="alongside, set off by commas"),
    pytest.param("Iran fought alongside Russia.", {("IRN", "supports", "RUS", False)}, {("RUS", None, None, None)}, id="fought alongside is help"),
    pytest.param("Austin discussed the threat posed by Moscow to Tbilisi.",
                 {("RUS", "opposes", "GEO", False)}, {(None, "warns", None, None)}, id="a threat posed is standing hostility"),
    pytest.param("Tokyo said Beijing poses a challenge to Japan and Australia.",
                 {("CHN", "opposes", "JPN", False), ("CHN", "opposes", "AUS", False)}, set(), id="poses a challenge to"),
    pytest.param("The European Union moved to toughen sanctions against Minsk.", {("EU", "sanctions", "BLR", False)}, set(), id="toughening sanctions"),
    pytest.param("Tensions rose after India shelled Pakistani posts.",
                 {("IND", "opposes", "PAK", False), ("PAK", "opposes", "IND", False)}, set(), id="tension between the two actors of its sentence"),
    pytest.param("Tensions rose in the region, Japan said.", set(), {(None, "opposes", None, None)}, id="tension with one actor in sight is no one's"),
    pytest.param("India respects Nepal's sovereignty.", {("IND", "supports", "NPL", False)}, set(), id="respecting a state's sovereignty"),
    pytest.param("Both sides should respect the ceasefire.", set(), {(None, "supports", None, None)}, id="respecting a ceasefire supports no one"),
    pytest.param("Guterres said that reports of abuses committed by the RSF are deeply troubling.",
                 {("UN", "criticizes", "RSF", False)}, set(), id="an evaluation of acts committed by someone"),
    pytest.param("The G7 leaders — Biden, Macron, Scholz and Kishida — met in Hiroshima.",
                 {("USA", "meets", "FRA", False), ("DEU", "meets", "JPN", False)}, {("G7", None, None, None), (None, None, "G7", None)},
                 id="leaders named in an apposition meet each other, not their group"),
    pytest.param("Blinken met his counterparts from Japan and Australia.",
                 {("USA", "meets", "JPN", False), ("USA", "meets", "AUS", False)}, set(), id="counterparts from states"),
    pytest.param("Russia's annexation of Crimea drew condemnation from the EU.", {("EU", "criticizes", "RUS", False)}, set(), id="an act drew condemnation from"),
    pytest.param("China's drills drew a warning from Washington.", {("USA", "warns", "CHN", False)}, set(), id="drills drew a warning from"),
    pytest.param("Moscow launched a barrage of missiles at Ukraine.", {("RUS", "attacks", "UKR", False)}, {(None, "supports", None, None)},
                 id="a barrage of missiles fired at a state"),
    pytest.param("Washington sent missiles to Kyiv.", {("USA", "supports", "UKR", False)}, {(None, "attacks", None, None)}, id="missiles sent to a state"),
    pytest.param("Israeli jets pounded Hezbollah positions.", {("ISR", "attacks", "HEZBOLLAH", False)}, set(), id="pounded positions"),
    pytest.param("Houthi rebels attacked a US warship.", {("HOUTHIS", "attacks", "USA", False)}, set(), id="named rebels are their group"),
    pytest.param("Syrian rebels attacked Turkish troops.", set(), {("SYR", None, None, None)}, id="unnamed rebels are not their state"),
    pytest.param("Turkey vetoed Sweden's NATO bid.", {("TUR", "opposes", "SWE", False)}, {(None, None, "NATO", None)}, id="X's NATO bid is X's"),
    pytest.param("Tehran and Jerusalem traded accusations.",
                 {("IRN", "criticizes", "ISR", False), ("ISR", "criticizes", "IRN", False)}, set(), id="traded accusations, both ways"),
    pytest.param("Armenia clashed with Azerbaijan.",
                 {("ARM", "attacks", "AZE", False), ("AZE", "attacks", "ARM", False)}, set(), id="a clash with another is mutual"),
    pytest.param("India competes for influence in Nepal with China.",
                 {("IND", "opposes", "CHN", False), ("CHN", "opposes", "IND", False)}, set(), id="competing with a rival, both ways"),
    pytest.param("Russia, China vying for influence in Africa with U.S.",
                 {("RUS", "opposes", "USA", False), ("CHN", "opposes", "USA", False), ("USA", "opposes", "RUS", False)}, set(),
                 id="a headline list vying with a rival"),
    pytest.param("Japan joined the US in condemning China.",
                 {("JPN", "criticizes", "CHN", False), ("USA", "criticizes", "CHN", False)}, set(), id="joined X in doing"),
]


@pytest.mark.parametrize(("text", "present", "absent"), CONSTRUCTIONS)
def test_a_construction_reads_as_english_says(extractor, text: str, present: set[Key], absent: set[Key]) -> None:  # type: ignore[no-untyped-def]
    found = rule_findings(extractor, text)
    assert present <= found, sorted(found)
    wrong = [f for f in found for pattern in absent if all(p is None or p == v for p, v in zip(pattern, f, strict=True))]
    assert not wrong, wrong


def test_the_parties_of_a_call_for_restraint_are_candidates_of_its_sentence(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "Azerbaijan attacked Armenia on Saturday. Kerry urged restraint."
    pairs = {(ex.candidate.source.actor, ex.candidate.target.actor) for ex in reading_of(extractor, text).examples}
    assert ("USA", "ARM") in pairs  # the model sees them in the sentence that names neither


def test_a_feeling_denied_is_read_as_negated(extractor) -> None:  # type: ignore[no-untyped-def]
    from kgraph.extract import rules

    doc, article = next(iter(extractor.parse([Article(id="t.txt", text="The United States was not disappointed by Turkey.", date="2024-05-01")])))
    calm = rules.events(doc, article, extractor.gazetteer, extractor.lexicon)
    assert [(e.source, e.relation, e.target, e.negated) for e in calm] == [("USA", "criticizes", "TUR", True)]


def test_a_denial_by_copula_or_neither_nor_is_read_as_negated(extractor) -> None:  # type: ignore[no-untyped-def]
    from kgraph.extract import rules

    def read(text: str) -> list[tuple[str, str, str, bool]]:
        doc, article = next(iter(extractor.parse([Article(id="t.txt", text=text, date="2024-05-01")])))
        return [(e.source, e.relation, e.target, e.negated) for e in rules.events(doc, article, extractor.gazetteer, extractor.lexicon)]

    assert read("Iran is not an ally of Israel.") == [("IRN", "partners-with", "ISR", True)]
    assert sorted(read("Neither Russia nor China condemned Iran.")) == [("CHN", "criticizes", "IRN", True), ("RUS", "criticizes", "IRN", True)]
    assert read("Iran is an ally of Syria.") == [("IRN", "partners-with", "SYR", False)]


def test_what_the_rules_read_as_asked_for_the_model_does_not_report_as_done(extractor) -> None:  # type: ignore[no-untyped-def]
    from kgraph.extract import events, facts

    def stated(text: str) -> set[tuple[str, str, str]]:
        doc, article = next(iter(extractor.parse([Article(id="t.txt", text=text, date="2024-05-01")])))
        found = events(doc, article, extractor.gazetteer, extractor.lexicon, extractor.relation_model)
        return {(e.source, e.relation, e.target) for e in facts(found)}

    assert ("USA", "supports", "IRN") not in stated("Congress is asking Obama to help Iran.")
    assert ("USA", "supports", "IRN") in stated("Obama helped Iran.")
