"""Messy files: encodings, text debris, HTML pages, dates, languages, and a mixed folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgraph.cli import app
from kgraph.export import read_graphml
from kgraph.ingest import (
    Problem,
    ReadOptions,
    decode_bytes,
    detect_language,
    normalize_text,
    parse_date,
    parse_html_article,
    read_articles,
)
from kgraph.records import Article

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
ENCODED = ["news-utf8-bom.txt", "news-utf16.txt", "news-cp1252.txt", "news-latin1.txt", "news-mojibake.txt"]
GERMAN = (
    "Berlin kritisiert Moskau\n\nDie Bundesregierung hat am Dienstag Russland scharf kritisiert und neue Sanktionen "
    "der Europäischen Union gefordert. Der Außenminister traf seinen französischen Kollegen in Paris."
)
runner = CliRunner()
STRAIGHT = str.maketrans("‘’“”", "''\"\"")


def straight(text: str) -> str:
    return text.translate(STRAIGHT)


def read(paths: list, options: ReadOptions | None = None) -> tuple[list[Article], dict[str, str]]:
    problems: list[Problem] = []
    articles = list(read_articles(paths, problems.append, options=options))
    return articles, {Path(p.origin).name: p.message for p in problems}


# --- encodings -----------------------------------------------------------------------------


def test_fixture_files_really_are_in_their_encodings() -> None:
    raw = {name: (FIXTURES / name).read_bytes() for name in ENCODED}
    assert raw["news-utf8-bom.txt"].startswith(b"\xef\xbb\xbf")
    assert raw["news-utf16.txt"][:2] in (b"\xff\xfe", b"\xfe\xff")
    for legacy in ("news-cp1252.txt", "news-latin1.txt"):
        with pytest.raises(UnicodeDecodeError):
            raw[legacy].decode("utf-8")
    assert "Ã©" in raw["news-mojibake.txt"].decode("utf-8")  # valid UTF-8 carrying mojibake


@pytest.mark.parametrize("name", ENCODED)
def test_each_encoding_reads_as_the_utf8_original(name: str) -> None:
    [original], _ = read([FIXTURES / "news.txt"])
    [article], problems = read([FIXTURES / name])
    assert not problems
    assert (straight(article.text), article.title, article.date) == (straight(original.text), original.title, original.date)
    assert "café in Zürich" in article.text and "résumé" in article.text
    if name != "news-latin1.txt":  # Latin-1 has no curly quotes: that file has straight ones
        assert article.text == original.text


@pytest.mark.parametrize(
    "data,message",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks like a binary file (a PNG image), not text"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "looks like a binary file (a ZIP archive or an Office document), not text"),
        (b"Hello \xff\xfe world \xc3\x28 text", "line 1: not valid UTF-8 (byte 6)"),
        (b"ok line\nSome text \xa4\xa6\xac more", "line 2: not valid UTF-8 (byte 18)"),
        (b"caf\xc3\xa9 and a stray \xe9 byte", "line 1: not valid UTF-8 (byte 18)"),  # broken UTF-8, not Latin-1
        (b"\xff\xfe\x00\xd8\x41\x00", "starts with a UTF-16 byte order mark but is not valid UTF-16"),
        (bytes(range(1, 256)) * 4, "line 2: not valid UTF-8 (byte 127)"),
    ],
)
def test_binary_and_garbage_are_refused_with_one_line(data: bytes, message: str) -> None:
    with pytest.raises(ValueError) as err:
        decode_bytes(data)
    assert str(err.value) == message


def test_a_refused_file_is_reported_and_the_rest_read(tmp_path: Path) -> None:
    (tmp_path / "garbage.txt").write_bytes(b"Title\n\nSome text \xff\xfe\xfd more")
    shutil.copy(FIXTURES / "news-cp1252.txt", tmp_path / "windows.txt")
    articles, problems = read([tmp_path])
    assert [a.id for a in articles] == ["windows.txt"]
    assert problems == {"garbage.txt": "line 3: not valid UTF-8 (byte 17)"}


def test_normalization_of_debris_characters() -> None:
    text = "The minister\u2019s \u201eplan\u201c \u2014 sanc\u00adtions\u200b on\u00a0Russia\u2009now.\r\nItâ€™s «done».  Caf\u0065\u0301."
    assert normalize_text(text) == "The minister\u2019s \u201cplan\u201c \u2014 sanctions on Russia now.\nIt\u2019s \u201cdone\u201d. Café."


# --- HTML pages ----------------------------------------------------------------------------


def test_html_page_gives_the_article_only() -> None:
    [page], problems = read([FIXTURES / "page.html"])
    [text_file], _ = read([FIXTURES / "news.txt"])
    assert not problems
    assert page.text == text_file.text  # same article as the plain text: no menu, share, caption, comments
    assert (page.title, page.date) == ("Washington Sanctions Russian Banks as Beijing Protests", "2024-06-18")
    assert page.url == "https://news.example.org/world/2024/06/18/sanctions-russian-banks"


def test_saved_page_in_windows_1252_and_its_files_folder() -> None:
    articles, problems = read([FIXTURES / "mixed"])
    assert not problems
    page = next(a for a in articles if a.id == "saved-page.html")
    assert page.url == "https://wire.example.net/middle-east/iran-warns-israel"  # from "saved from url="
    assert page.date == "2024-06-21"
    assert "a “clear violation” of international law" in page.text and "Tehran’s response" in page.text
    assert not any("Cuba" in a.text for a in articles)  # saved-page_files/ad.htm is not an article
    assert "Share" not in page.text and "Home" not in page.text


def test_page_without_article_text_is_reported(tmp_path: Path) -> None:
    (tmp_path / "empty.html").write_text("<html><head><title>Nothing</title></head><body><nav>Home</nav></body></html>")
    articles, problems = read([tmp_path])
    assert not articles
    assert problems == {"empty.html": "no article text found in the page"}


def test_parse_html_article_uses_the_given_url_without_canonical() -> None:
    html = "<html><head><title>T</title></head><body><article><p>" + "Turkey met Greece in Athens on Wednesday. " * 5 + "</p></article></body></html>"
    article = parse_html_article(html, "x", url="http://127.0.0.1/x.html")
    assert article.url == "http://127.0.0.1/x.html" and article.text.startswith("T\n\nTurkey met Greece")


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,iso,dayfirst_iso",
    [
        ("Tue Jun 18 2024", "2024-06-18", "2024-06-18"),
        ("June 18, 2024", "2024-06-18", "2024-06-18"),
        ("18 June 2024", "2024-06-18", "2024-06-18"),
        ("Tuesday 18 June 2024", "2024-06-18", "2024-06-18"),
        ("Sept. 3, 2024", "2024-09-03", "2024-09-03"),
        ("June 18, 2024 9:30 AM EDT", "2024-06-18", "2024-06-18"),
        ("18 June 2024 at 10:00 BST", "2024-06-18", "2024-06-18"),
        ("Jun 18, 2024, 10:05 AM ET", "2024-06-18", "2024-06-18"),
        ("2024-06-18T23:30:00-05:00", "2024-06-18", "2024-06-18"),  # the date as the publisher wrote it
        ("2024-06-18T10:00:00Z", "2024-06-18", "2024-06-18"),
        ("2024-06-18 10:00:00.123+0200", "2024-06-18", "2024-06-18"),
        ("Tue, 18 Jun 2024 14:00:00 GMT", "2024-06-18", "2024-06-18"),  # RFC 822: feeds and HTTP
        ("18 Jun 2024 14:00:00 +0000", "2024-06-18", "2024-06-18"),
        ("03/04/2024", "2024-03-04", "2024-04-03"),  # ambiguous: --dayfirst decides
        ("18/06/2024", "2024-06-18", "2024-06-18"),  # unambiguous either way
        ("06/18/2024", "2024-06-18", "2024-06-18"),
        ("18.06.2024", "2024-06-18", "2024-06-18"),
        ("2024-02-30", None, None),
        ("June 2024", None, None),
        ("Updated 3:45 PM", None, None),
        ("The talks in May 2024 were hard", None, None),
        ("2024", None, None),
    ],
)
def test_parse_date_forms(text: str, iso: str | None, dayfirst_iso: str | None) -> None:
    assert (parse_date(text), parse_date(text, dayfirst=True)) == (iso, dayfirst_iso)


def test_dayfirst_reaches_records(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("id,date,text\nx,03/04/2024,China met Russia.\n")
    [us], _ = read([tmp_path])
    [eu], _ = read([tmp_path], ReadOptions(dayfirst=True))
    assert (us.date, eu.date) == ("2024-03-04", "2024-04-03")


# --- languages -----------------------------------------------------------------------------


def test_detect_language() -> None:
    [news], _ = read([FIXTURES / "news.txt"])
    assert detect_language(news.text) == "en"
    assert detect_language(GERMAN) == "de"
    assert detect_language("Russia warned NATO.") is None  # too short to be sure


def test_other_languages_are_skipped_and_counted(tmp_path: Path) -> None:
    (tmp_path / "de.txt").write_text(GERMAN)
    shutil.copy(FIXTURES / "news.txt", tmp_path / "en.txt")
    articles, problems = read([tmp_path], ReadOptions(languages=frozenset({"en"})))
    assert [a.id for a in articles] == ["en.txt"]
    assert problems == {"de.txt": "not in English (German, de; see --lang-model)"}
    kept, none = read([tmp_path], ReadOptions(languages=frozenset({"en", "de"})))
    assert len(kept) == 2 and not none
    assert len(read([tmp_path])[0]) == 2  # no language filter unless asked


# --- with the real model (slow) ------------------------------------------------------------


def _events(extractor, paths: list) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [
        (e.sentence, e.source, e.relation, e.target, e.negated, straight(e.evidence))
        for _, found in extractor.extract(read_articles(paths))
        for e in found
    ]


@pytest.mark.slow
@pytest.mark.parametrize("name", [*ENCODED, "page.html"])
def test_same_events_as_the_utf8_original(extractor, name: str) -> None:  # type: ignore[no-untyped-def]
    original = _events(extractor, [FIXTURES / "news.txt"])
    assert {(s, r, t) for _, s, r, t, _, _ in original} >= {("USA", "sanctions", "RUS"), ("NATO", "supports", "UKR")}
    assert _events(extractor, [FIXTURES / name]) == original


@pytest.mark.slow
def test_build_on_a_mixed_folder_gives_one_graph(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", str(FIXTURES / "mixed"), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "5 articles" in result.output
    graph = read_graphml(tmp_path / "graph.graphml")
    edges = {(u, d["relation"], v) for u, v, d in graph.edges(data=True)}
    assert {("IRN", "warns", "ISR"), ("IND", "criticizes", "PAK"), ("FRA", "supports", "DEU")} <= edges  # .html, .jsonl, .csv
    assert {"JPN", "KOR", "TUR", "GRC"} <= set(graph.nodes)  # .txt and the second record
    articles = {json.loads(line)["article"] for line in (tmp_path / "events.jsonl").read_text().splitlines()}
    assert articles == {"report.txt", "saved-page.html", "wire-1", "wire-2", "csv-1"}


@pytest.mark.slow
def test_cli_skips_other_languages_with_a_count(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "de.txt").write_text(GERMAN)
    shutil.copy(FIXTURES / "news.txt", tmp_path / "in" / "en.txt")
    result = runner.invoke(app, ["build", str(tmp_path / "in"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "1 article read" in result.output
    assert "kgraph: skipped 1 input: 1 not in English" in result.output


@pytest.mark.slow
def test_lang_model_that_is_not_installed_is_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", str(FIXTURES / "news.txt"), "--lang-model", "de=de_core_news_sm", "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].startswith("kgraph: error: spaCy model 'de_core_news_sm' is not installed")
    bad = runner.invoke(app, ["build", str(FIXTURES / "news.txt"), "--lang-model", "german", "-o", str(tmp_path)])
    assert bad.exit_code == 1 and "expected LANG=MODEL" in bad.output


@pytest.mark.slow
def test_articles_go_to_the_pipeline_of_their_language(extractor) -> None:  # type: ignore[no-untyped-def]
    """Routing only: no German model is installable here, so the English one stands in for it."""
    import copy

    calls: list[str] = []
    stand_in = copy.copy(extractor.nlp)
    original_pipe = extractor.nlp.pipe

    def pipe(texts, **kwargs):  # type: ignore[no-untyped-def]
        texts = list(texts)
        calls.extend(t.split("\n")[0] for t in texts)
        return original_pipe(texts, **kwargs)

    stand_in.pipe = pipe
    routed = copy.copy(extractor)
    routed.other_nlp = {"de": stand_in}
    articles = [Article("de", GERMAN), *read([FIXTURES / "news.txt"])[0], Article("de2", GERMAN.replace("Berlin", "Bonn"))]
    out = [a.id for a, _ in routed.extract(articles, batch_size=2)]
    assert out == ["de", "news.txt", "de2"]  # input order kept across pipelines
    assert calls == ["Berlin kritisiert Moskau", "Bonn kritisiert Moskau"]
    assert routed.languages == {"en", "de"}
