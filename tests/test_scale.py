"""Scale: the generated corpus, the rules' indexes, and extraction on a process pool and on Dask.

The parallel engines must give exactly what one process gives: the same events in the same
order, and the same store. Dask runs on a real LocalCluster of two worker processes; one test
kills a worker in the middle of the run.
"""

from __future__ import annotations

import os
import signal
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgraph.cli import app
from kgraph.gazetteer import Gazetteer, Official
from kgraph.lexicon import LIST_KEYS, Lexicon, inflections
from kgraph.synthetic import articles, write

# --- the generated corpus ------------------------------------------------------------------------


def test_generated_corpus_is_deterministic_and_prefix_stable() -> None:
    first = list(articles(30, seed=1))
    assert first == list(articles(30, seed=1))
    assert list(articles(10, seed=1)) == first[:10]  # article i does not depend on n
    assert first != list(articles(30, seed=2))
    assert len({a.id for a in first}) == 30 and all(a.text and a.date for a in first)


def test_written_corpus_reads_back_as_the_generated_articles(tmp_path: Path) -> None:
    from kgraph import read_articles

    folder = write(tmp_path / "corpus", 25, seed=3, per_file=10)
    assert sorted(p.name for p in folder.iterdir()) == ["part-00000.jsonl", "part-00001.jsonl", "part-00002.jsonl"]
    read = [replace(a, origin="") for a in read_articles([folder])]
    assert read == list(articles(25, seed=3))


# --- indexes of the rules: same answers as the scans they replace ---------------------------------


def _scan(gaz: Gazetteer, name: str, date: str | None) -> set[str]:
    found = {o.actor for o in gaz.officials if (name == o.name or name in o.aliases) and o.serves_on(date)}
    if not found and date is not None:
        found = {o.actor for o in gaz.officials if name == o.name or name in o.aliases}
        if len(found) > 1:
            return set()
    return found


def test_officials_index_answers_as_the_scan_over_every_official() -> None:
    gaz = Gazetteer.load()
    names = sorted({form for o in gaz.officials for form in (o.name, *o.aliases)}) + ["Nobody Known"]
    for date in (None, "1995-06-01", "2016-03-01", "2022-02-24", "2025-01-01"):
        for name in names:
            assert gaz.officials_named(name, date) == _scan(gaz, name, date), (name, date)


def test_officials_added_after_a_lookup_are_found() -> None:
    gaz = Gazetteer.load(builtin=False)
    gaz.add_official({"name": "Jane Roe", "actor": "AAA", "start": "2020-01-01"})
    assert gaz.officials_named("Jane Roe", "2021-01-01") == {"AAA"}
    gaz.add_official({"name": "John Doe", "actor": "BBB", "aliases": ["Doe"]})
    gaz.officials.append(Official("Jane Roe", "CCC", start="2010-01-01", end="2019-12-31"))
    assert gaz.officials_named("Doe", None) == {"BBB"}
    assert gaz.officials_named("Jane Roe", "2015-01-01") == {"CCC"}
    gaz.officials = gaz.officials[:1]  # replaced: indexed again
    assert gaz.officials_named("Doe", None) == set()


def test_inflected_lists_are_the_inflections_and_follow_new_files(tmp_path: Path) -> None:
    lex = Lexicon.load()
    for key in LIST_KEYS:
        assert lex.inflected(key) == frozenset(inflections(lex.words(key)))
    extra = tmp_path / "lex.json"
    extra.write_text('{"say_verbs": ["opine"]}', encoding="utf-8")
    lex.add_file(extra)
    assert {"opine", "opines", "opined"} <= lex.inflected("say_verbs")


# --- the CLI options ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--scheduler", "tcp://localhost:8786"], "--scheduler needs --engine dask"),
        (["--workers", "0"], "--workers takes a number >= 1"),
        (["--engine", "spark"], "--engine 'spark' is not one of: local, dask"),
    ],
)
def test_bad_engine_options_end_with_one_line(tmp_path: Path, options: list[str], message: str) -> None:
    (tmp_path / "a.txt").write_text("France criticized Germany.", encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(tmp_path / "a.txt"), *options])
    assert result.exit_code == 1
    assert result.output.strip() == f"kgraph: error: {message}"


# --- the engines (real model) -----------------------------------------------------------------------

N_ARTICLES = 40


@pytest.fixture(scope="module")
def corpus() -> list:
    return list(articles(N_ARTICLES, seed=7))


@pytest.fixture(scope="module")
def reference(extractor, corpus) -> list[dict]:  # type: ignore[no-untyped-def]
    """The events of one in-process extractor: what every engine must give."""
    return [e.to_dict() for _, found in extractor.extract(corpus) for e in found]


def _events(pairs) -> list[dict]:  # type: ignore[no-untyped-def]
    return [e.to_dict() for _, found in pairs for e in found]


def _store_rows(db: Path) -> tuple[list, list]:
    from kgraph.store import Store

    with Store(db) as store:
        arts = store.db.execute("SELECT id, hash, story, extractor FROM articles ORDER BY rowid").fetchall()
        evs = store.db.execute("SELECT a.id, e.sentence, e.source, e.relation, e.target, e.record FROM events e "
                               "JOIN articles a ON a.rowid = e.article ORDER BY e.rowid").fetchall()
    return arts, evs


@pytest.fixture(scope="module")
def local_store(extractor, corpus, tmp_path_factory) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    """(the store a one-process build makes of the generated corpus, the corpus folder)."""
    from kgraph.pipeline import update
    from kgraph.store import Store

    folder = write(tmp_path_factory.mktemp("corpus") / "articles", N_ARTICLES, seed=7, per_file=10)
    db = tmp_path_factory.mktemp("local") / "kgraph.db"
    with Store(db) as store:
        update(store, extractor, [folder])
    return db, folder


@pytest.mark.slow
def test_process_pool_gives_the_events_of_one_process(corpus, reference) -> None:  # type: ignore[no-untyped-def]
    from kgraph.parallel import ExtractorSpec, PoolExtractor

    with PoolExtractor(ExtractorSpec(), workers=2, chunk_size=3) as pool:
        assert [a.id for a, _ in pool.extract(corpus)] == [a.id for a in corpus]
        assert _events(pool.extract(corpus)) == reference
        # an article the parser refuses is reported from the worker and left out, as in one process
        huge = replace(corpus[0], id="huge", origin="huge.txt", text="Word " * 250_000)
        problems: list = []
        kept = [a.id for a, _ in pool.extract([corpus[1], huge, corpus[2]], on_problem=problems.append)]
        assert kept == [corpus[1].id, corpus[2].id]
        assert [p.origin for p in problems] == ["huge.txt"] and "parser's limit" in problems[0].message
    assert len(reference) > N_ARTICLES  # the corpus does exercise the rules


def _dask_build(folder: Path, tmp_path: Path, kill: bool) -> Path:
    from kgraph.dask_engine import DaskExtractor
    from kgraph.parallel import ExtractorSpec
    from kgraph.pipeline import update
    from kgraph.store import Store

    db = tmp_path / "kgraph.db"
    killed: list[int] = []
    with DaskExtractor(ExtractorSpec(), workers=2, chunk_size=2) as engine, Store(db) as store:

        def on_article(article, found) -> None:  # type: ignore[no-untyped-def]
            if kill and not killed:
                pids = engine.client.run(os.getpid)  # worker address -> process id
                victim = sorted(pids.values())[0]
                os.kill(victim, signal.SIGKILL)  # mid-run: its tasks in flight are lost
                killed.append(victim)

        result = update(store, engine, [folder], on_article=on_article)
        assert result.articles == N_ARTICLES
        if kill:
            assert killed and killed[0] not in engine.client.run(os.getpid).values()
    return db


@pytest.mark.slow
def test_dask_local_cluster_gives_the_store_of_the_local_engine(local_store: tuple[Path, Path], tmp_path: Path) -> None:
    db, folder = local_store
    assert _store_rows(_dask_build(folder, tmp_path, kill=False)) == _store_rows(db)


@pytest.mark.slow
def test_dask_run_survives_a_killed_worker(local_store: tuple[Path, Path], tmp_path: Path) -> None:
    db, folder = local_store
    arts, evs = _store_rows(_dask_build(folder, tmp_path, kill=True))
    assert len({a[0] for a in arts}) == len(arts) == N_ARTICLES  # none lost, none twice
    assert (arts, evs) == _store_rows(db)
