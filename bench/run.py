"""kgraph's speed and scale benchmark: one command, one table per part.

    python bench/run.py                         # every part, on generated articles
    python bench/run.py --folder PATH           # speed, workers and build on your own articles
    python bench/run.py --only speed,graph      # some parts: speed workers build memory graph

Parts (all on the same machine in one run; the machine is described first):

- speed:   words/s of plain spaCy (``spacy.load(model).pipe``) and of kgraph extraction
           (``Extractor.extract``) on the same texts, same model and batch size; interleaved,
           best of ``--repeat``, by process CPU time (the ratio does not depend on other load).
- workers: wall-clock throughput of extraction in this process, of ``--workers 2``
           (kgraph's process pool) and of spaCy's ``nlp.pipe(n_process=2)`` with the rules in
           the parent, on ``--parallel-articles`` articles.
- build:   ``kgraph build`` end to end (read, parse, store, write outputs) in a fresh process:
           wall and CPU time, peak memory (ru_maxrss).
- memory:  peak memory of a build into the store at N and 10 N articles (``--memory-articles``);
           with ``--stub`` (default for memory) the parse is replaced by a stub that makes
           events without spaCy, so 100,000 articles fit in minutes: it checks that reading and
           storing stream; the build part measures the real pipeline.
- graph:   a store of ``--events`` synthetic events (inserted with SQL), then the graph built
           from it and each export: GraphML, GEXF, JSON, CSV, HTML.
- ingest:  ``--records`` one-line records stored with the stub extraction: the rate at 1k, 10k
           and 100k records (:mod:`bench/ingest.py`).

Generated articles come from :mod:`kgraph.synthetic` (templates over the gazetteer, ``--seed``).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("speed", "workers", "build", "memory", "graph", "ingest")


# --- the machine -------------------------------------------------------------------------------


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{os.cpu_count()} CPUs ({cpu}), {ram:.1f} GiB RAM, Python {platform.python_version()}, load average {load}"


def peak_mib() -> float:
    """Peak resident memory of this process so far (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def table(headers: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def timed(run: Callable[[], object]) -> tuple[float, float]:
    """(process CPU seconds, wall seconds) of one call."""
    cpu, wall = time.process_time(), time.perf_counter()
    run()
    return time.process_time() - cpu, time.perf_counter() - wall


# --- the corpus --------------------------------------------------------------------------------


def corpus(n: int, seed: int, folder: Path | None) -> list[Any]:
    """``n`` articles: generated, or the folder's articles cycled to ``n`` (ids made unique)."""
    from kgraph import read_articles
    from kgraph.records import Article
    from kgraph.synthetic import articles

    if folder is None:
        return list(articles(n, seed))
    base = list(read_articles([folder]))
    if not base:
        raise SystemExit(f"no articles in {folder}")
    return [Article(id=f"{i}_{a.id}", text=a.text, title=a.title, date=a.date) for i, a in ((i, base[i % len(base)]) for i in range(n))]


def words(articles: Iterable[Any]) -> int:
    return sum(len(a.text.split()) for a in articles)


# --- speed: plain spaCy against kgraph ---------------------------------------------------------


def part_speed(args: argparse.Namespace) -> str:
    import spacy

    from kgraph import Extractor

    extractor = Extractor(model=args.model)
    model = args.model or f"{extractor.nlp.meta['lang']}_{extractor.nlp.meta['name']}"
    plain = spacy.load(model)
    arts = corpus(args.articles, args.seed, args.folder)
    texts = [a.text for a in arts]
    n_words = words(arts)
    events = 0

    def run_plain() -> None:
        for _ in plain.pipe(texts, batch_size=args.batch_size):
            pass

    def run_kgraph() -> None:
        nonlocal events
        events = sum(len(found) for _, found in extractor.extract(arts, batch_size=args.batch_size))

    list(plain.pipe(texts[:32]))  # warm up both
    list(extractor.extract(arts[:32]))
    best = {"plain": (float("inf"), float("inf")), "kgraph": (float("inf"), float("inf"))}
    for _ in range(args.repeat):
        for name, run in (("plain", run_plain), ("kgraph", run_kgraph)):
            cpu, wall = timed(run)
            best[name] = (min(best[name][0], cpu), min(best[name][1], wall))
    rows = []
    for name, nlp, what in (("plain spaCy nlp.pipe", plain, ""), ("kgraph extract", extractor.nlp, " + mentions and rules")):
        cpu, wall = best["plain" if name.startswith("plain") else "kgraph"]
        rows.append([name, ", ".join(nlp.pipe_names) + what, f"{cpu:.1f}", f"{wall:.1f}", f"{n_words / cpu:,.0f}"])
    ratio = best["plain"][0] / best["kgraph"][0]
    return (
        f"{len(arts)} articles, {n_words:,} words, model {model}, batch size {args.batch_size}, best of {args.repeat}\n\n"
        + table(["run", "components", "CPU s", "wall s", "words/s (CPU)"], rows)
        + f"\n\nkgraph / plain spaCy throughput = **{ratio:.2f}** (target >= 0.85); {events} events"
    )


# --- workers: one process, a pool of 2, spaCy's n_process=2 ------------------------------------


def part_workers(args: argparse.Namespace) -> str:
    from kgraph import Extractor
    from kgraph.extract import events as doc_events
    from kgraph.headlines import sentence_case
    from kgraph.parallel import ExtractorSpec, PoolExtractor

    arts = corpus(args.parallel_articles, args.seed, args.folder)
    n_words = words(arts)
    extractor = Extractor(model=args.model)
    list(extractor.extract(arts[:32]))
    counts: dict[str, int] = {}
    rows = []
    base_wall = 0.0

    def n_process_run(n: int) -> Iterator[tuple[Any, list[Any]]]:
        # spaCy's way: the children parse, Docs come back, the rules run here
        pairs = ((sentence_case(a.text, a.title, extractor.name_words), a) for a in arts)
        for doc, article in extractor.nlp.pipe(pairs, as_tuples=True, batch_size=args.batch_size, n_process=n):
            yield article, [e for e in doc_events(doc, article, extractor.gazetteer, extractor.lexicon) if not e.hypothetical]

    def measure(name: str, run: Callable[[], Iterable[tuple[Any, list[Any]]]]) -> None:
        nonlocal base_wall
        load = os.getloadavg()[0]
        events = 0

        def consume() -> None:
            nonlocal events
            events = sum(len(found) for _, found in run())

        cpu, wall = timed(consume)
        counts[name] = events
        base_wall = base_wall or wall
        rows.append([name, f"{wall:.1f}", f"{cpu:.1f}", f"{n_words / wall:,.0f}", f"{base_wall / wall:.2f}x", f"{load:.2f}", events])

    measure("1 process (in-process Extractor)", lambda: extractor.extract(arts, batch_size=args.batch_size))
    spec = ExtractorSpec(model=args.model)
    for n in args.workers:
        with PoolExtractor(spec, n) as pool:  # pipelines load before the clock starts
            measure(f"--workers {n} (kgraph process pool)", lambda pool=pool: pool.extract(arts, batch_size=args.batch_size))
    for n in args.workers:
        measure(f"nlp.pipe(n_process={n}), rules in parent", lambda n=n: n_process_run(n))
    same = len(set(counts.values())) == 1
    return (
        f"{len(arts)} articles, {n_words:,} words; wall-clock throughput (parallel speed-up is wall time); "
        f"load average at the start of each run shown (the machine is shared)\n\n"
        + table(["run", "wall s", "parent CPU s", "words/s (wall)", "speed-up", "load avg", "events"], rows)
        + f"\n\nsame number of events in every run: {same}"
    )


# --- build, memory: a fresh process each -------------------------------------------------------


def child(args: list[str]) -> dict[str, Any]:
    """Run ``bench/run.py _child ...`` in a fresh process; its JSON result."""
    out = subprocess.run([sys.executable, __file__, "_child", *args], check=True, capture_output=True, text=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


class StubExtractor:
    """Events without spaCy: for measuring the read-and-store stream alone (``--stub``)."""

    def __init__(self) -> None:
        from kgraph.gazetteer import Gazetteer

        self.gazetteer = Gazetteer.load()
        self.version = "stub"
        self.languages = frozenset({"en"})
        self.states = sorted(a for a, actor in self.gazetteer.actors.items() if actor.kind == "state")

    def extract(self, articles: Iterable[Any], batch_size: int = 8) -> Iterator[tuple[Any, list[Any]]]:
        from kgraph.records import Event

        for article in articles:
            rng = random.Random(article.id)
            found = []
            for n, sentence in enumerate(article.text.split(". ")[:4]):
                a, b = rng.sample(self.states, 2)
                found.append(Event(article.id, article.date, n, a, a, "criticizes", b, b, False, 0.8, sentence[:300]))
            yield article, found


def run_child(argv: list[str]) -> None:
    """In a fresh process: build N generated articles into a new store; print time and peak memory."""
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=("build", "store"))
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--folder", type=Path)
    ap.add_argument("--stub", action="store_true")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--model")
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        inputs = a.folder
        if inputs is None:
            from kgraph.synthetic import write

            inputs = write(Path(tmp) / "corpus", a.articles, a.seed)
        base = peak_mib()
        cpu, wall = time.process_time(), time.perf_counter()
        from kgraph.pipeline import build, update
        from kgraph.store import Store

        if a.what == "build":
            from kgraph.parallel import ExtractorSpec, PoolExtractor

            source: Any
            if a.stub:
                source = StubExtractor
            elif a.workers > 1:
                source = lambda: PoolExtractor(ExtractorSpec(model=a.model), a.workers)  # noqa: E731
            else:
                from kgraph import Extractor

                source = lambda: Extractor(model=a.model)  # noqa: E731
            result = build(source, [inputs], Path(tmp) / "out")
            n, events = result.articles, result.new_events
        else:
            with Store(Path(tmp) / "kgraph.db") as store:
                result = update(store, StubExtractor(), [inputs])
                n, events = result.articles, result.new_events
        print(
            json.dumps(
                {
                    "articles": n,
                    "events": events,
                    "wall": time.perf_counter() - wall,
                    "cpu": time.process_time() - cpu,
                    "peak_mib": peak_mib(),
                    "before_mib": base,
                }
            )
        )


def part_build(args: argparse.Namespace) -> str:
    rows = []
    for workers in (1, *[w for w in args.workers if w > 1]):
        extra = ["--folder", str(args.folder)] if args.folder else []
        r = child(["build", "--articles", str(args.build_articles), "--seed", str(args.seed), "--workers", str(workers), *extra])
        rows.append([f"build, {workers} worker(s)", r["articles"], r["events"], f"{r['wall']:.1f}", f"{r['cpu']:.1f}", f"{r['articles'] / r['wall']:.1f}", f"{r['peak_mib']:.0f}"])
    return (
        "`build()` end to end in a fresh process: read, parse, store, write events.jsonl, GraphML and HTML "
        "(CPU and peak memory of the parent process; pool workers not counted)\n\n"
        + table(["run", "articles", "events", "wall s", "CPU s", "articles/s", "peak MiB"], rows)
    )


def part_memory(args: argparse.Namespace) -> str:
    rows = []
    if args.stub:
        runs = [("store only (read, store)", ["store", "--stub"]), ("build (read, store, write every output)", ["build", "--stub"])]
    else:
        runs = [("build with the real pipeline", ["build"])]
    for name, what in runs:
        first = None
        for n in args.memory_articles:
            r = child([*what, "--articles", str(n), "--seed", str(args.seed)])
            first = first or r["peak_mib"]
            rows.append([name, n, r["events"], f"{r['wall']:.1f}", f"{r['peak_mib']:.0f}", f"{r['peak_mib'] / first:.2f}"])
    how = "stub extraction (events without spaCy, so 100,000 articles take minutes)" if args.stub else "real extraction"
    return f"peak memory of a fresh process building into a new store, {how}\n\n" + table(
        ["run", "articles", "events", "wall s", "peak MiB", "vs first"], rows
    )


# --- graph: a big store, the graph and every export ---------------------------------------------


def fill_store(path: Path, n_events: int, seed: int, per_article: int = 10) -> None:
    """A store of ``n_events`` synthetic events over the gazetteer's states, inserted with SQL."""
    from kgraph.gazetteer import Gazetteer
    from kgraph.records import RELATIONS, SYMMETRIC, Event
    from kgraph.store import EVENT_COLUMNS, Store

    gaz = Gazetteer.load()
    actors = sorted(gaz.actors)
    weights = [1.0 / (i + 1) ** 0.9 for i in range(len(actors))]  # a few actors carry most events, as in news
    rng = random.Random(seed)
    with Store(path) as store:
        db = store.db
        db.execute("BEGIN")
        db.executemany("INSERT OR REPLACE INTO actors (id, label, kind) VALUES (?, ?, ?)", [(a, gaz.label(a), gaz.kind(a)) for a in actors])
        n_articles = n_events // per_article
        for i in range(n_articles):
            day = f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}"
            db.execute(
                "INSERT INTO articles (rowid, id, hash, url, norm_url, site, title, date, origin, text, story, extractor) "
                "VALUES (?, ?, ?, NULL, NULL, ?, ?, ?, '', '', ?, 'bench')",
                (i + 1, f"a{i}", f"h{i}", f"site{i % 50}.example", f"Article {i}", day, 1 + i // 3),
            )
            rows = []
            for s in range(per_article):
                a, b = rng.choices(actors, weights, k=2)
                if a == b:
                    b = actors[(actors.index(a) + 1) % len(actors)]
                relation = RELATIONS[rng.randrange(len(RELATIONS))]
                u, v = (b, a) if relation in SYMMETRIC and b < a else (a, b)
                evidence = (  # about as long as a news sentence
                    f"{gaz.label(a)} {relation} {gaz.label(b)}, officials said on Tuesday in a statement issued after "
                    f"talks that ran late into the night (sentence {s} of article {i})."
                )
                event = Event(f"a{i}", day, s, a, gaz.label(a), relation, b, gaz.label(b), False, 0.8, evidence,
                              trigger=relation, source_text=gaz.label(a), target_text=gaz.label(b), title=f"Article {i}")
                record = json.dumps(event.to_dict(), ensure_ascii=False)  # as the store writes it
                rows.append((i + 1, s, a, relation, b, u, v, 0, 0.8, evidence, record, relation, gaz.label(a), gaz.label(b)))
            db.executemany(f"INSERT INTO events ({EVENT_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
        db.execute("COMMIT")


def write_lines(lines: Iterable[str], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.writelines(lines)


def part_graph(args: argparse.Namespace) -> str:
    from kgraph.export import write_csv, write_gexf, write_graphml, write_html, write_json
    from kgraph.graph import GraphFilter
    from kgraph.store import Store

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "kgraph.db"
        _, fill = timed(lambda: fill_store(db, args.events, args.seed))
        rows.append([f"insert {args.events:,} synthetic events (SQL)", f"{fill:.1f}", ""])
        with Store(db) as store:
            f = GraphFilter(include_negated=True)
            graph = None

            def make(limit: int | None) -> Callable[[], None]:
                def run() -> None:
                    nonlocal graph
                    graph = store.graph(f, evidence_limit=limit)

                return run

            # as `kgraph build` does it: the graph without sentences, each edge's fetched as it is written
            _, wall = timed(make(0))
            assert graph is not None
            size = f"{graph.number_of_nodes():,} actors, {graph.number_of_edges():,} edges"
            rows.append(["graph from the store (SQL aggregation, no sentences)", f"{wall:.1f}", size])
            total = wall
            out = Path(tmp)
            csv_dir = out / "csv"
            page_evidence = functools.partial(store.edge_evidence, f=f)  # the page asks by rank: a query per edge
            for name, write, paths in (
                ("GraphML", lambda: write_graphml(graph, out / "g.graphml", store.evidence_source(f)), [out / "g.graphml"]),
                ("GEXF", lambda: write_gexf(graph, out / "g.gexf", store.evidence_source(f)), [out / "g.gexf"]),
                ("CSV", lambda: write_csv(graph, csv_dir, store.evidence_source(f)), [csv_dir / "nodes.csv", csv_dir / "edges.csv"]),
                ("HTML", lambda: write_html(graph, out / "g.html", evidence=page_evidence), [out / "g.html"]),
                ("JSON (every sentence)", lambda: write_json(graph, out / "g.json", store.evidence_source(f)), [out / "g.json"]),
                ("events.jsonl (every event)", lambda: write_lines(store.event_lines(f), out / "events.jsonl"), [out / "events.jsonl"]),
            ):
                _, wall = timed(write)
                size = sum(p.stat().st_size for p in paths) / 2**20
                label = " (each edge's newest 50 sentences, one pass sorted by edge)" if name == "GraphML" else ""
                rows.append([f"write {name}{label}", f"{wall:.1f}", f"{size:.1f} MiB"])
                if name == "GraphML":
                    total += wall
            build_peak = peak_mib()
            _, wall = timed(make(50))
            rows.append(["graph with each edge's newest 50 sentences (notebooks, API)", f"{wall:.1f}", ""])
    return (
        f"store of {args.events:,} events; wall seconds; peak memory of the process {build_peak:.0f} MiB for every "
        f"output, {peak_mib():.0f} MiB with the graph holding 50 sentences per edge\n\n"
        + table(["step", "wall s", "size"], rows)
        + f"\n\ngraph from the store + GraphML = **{total:.1f} s** (target: well under 60 s)"
    )


def part_ingest(args: argparse.Namespace) -> str:
    from ingest import part_ingest as ingest  # bench/ingest.py, beside this file

    return str(ingest(args))


# --- main --------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_child"]:
        run_child(argv[1:])
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default=",".join(PARTS), help=f"comma-separated parts: {', '.join(PARTS)}")
    ap.add_argument("--folder", type=Path, help="your own articles (instead of generated ones) for speed, workers and build")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--model", help="spaCy pipeline name (default: kgraph's)")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--articles", type=int, default=1000, help="articles of the speed part")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--parallel-articles", type=int, default=2000, help="articles of the workers part")
    ap.add_argument("--workers", type=lambda s: [int(x) for x in s.split(",")], default=[2], help="pool sizes to try, e.g. 2,4")
    ap.add_argument("--build-articles", type=int, default=1000)
    ap.add_argument("--memory-articles", type=lambda s: [int(x) for x in s.split(",")], default=[10_000, 100_000])
    ap.add_argument("--real", dest="stub", action="store_false", help="memory part with the real pipeline (slow)")
    ap.add_argument("--events", type=int, default=1_000_000, help="events in the store of the graph part")
    ap.add_argument("--records", type=int, default=100_000, help="one-line records of the ingest part")
    args = ap.parse_args(argv)
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown:
        ap.error(f"unknown part(s): {', '.join(sorted(unknown))}")
    print(f"machine: {machine()}\n", flush=True)
    for part in parts:
        started = time.perf_counter()
        text = globals()[f"part_{part}"](args)
        print(f"## {part} ({time.perf_counter() - started:.0f} s)\n\n{text}\n", flush=True)
    print(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
