"""Benchmark: how fast the explorer page of a large graph becomes interactive in headless Chromium.

Generates a graph of 2,000 actors and 10,000 relations (seeded, so every run is the same),
renders it, opens it from disk in Debian's Chromium with every non-file request aborted, and
times: rendering in Python, page load until the first layout is done and physics has stopped
(``window.kgraph.ready()``), a click on an actor, and "Show all" (every relation on screen).

    python bench/bench_html.py [--actors 2000] [--edges 10000] [--max-edges 400]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import networkx as nx

from kgraph import Event, build_graph
from kgraph.html import DEFAULT_MAX_EDGES, render_html
from kgraph.records import RELATIONS, SYMMETRIC

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]


def generated_graph(actors: int, edges: int, seed: int = 1) -> nx.MultiDiGraph:
    """A graph with ``edges`` distinct relations between ``actors`` actors; a few hubs, many leaves."""
    rng = random.Random(seed)
    ids = [f"A{i:04d}" for i in range(actors)]
    weights = [1.0 / (i + 1) ** 0.8 for i in range(actors)]  # a few actors carry most relations, as in news
    start = date(2023, 1, 1)
    seen: set[tuple[str, str, str, bool]] = set()
    events: list[Event] = []
    while len(seen) < edges:
        # the first relations give every actor one, so all of them are in the graph
        s = ids[len(seen)] if len(seen) < actors else rng.choices(ids, weights)[0]
        t, relation, negated = rng.choice(ids), rng.choice(RELATIONS), rng.random() < 0.05
        if s == t:
            continue
        if relation in SYMMETRIC and t < s:
            s, t = t, s
        if (s, relation, t, negated) in seen:
            continue
        seen.add((s, relation, t, negated))
        for k in range(1 + int(rng.paretovariate(1.6)) % 6):  # 1-6 articles per relation, most have 1
            day = (start + timedelta(days=rng.randrange(540))).isoformat()
            article = f"art{rng.randrange(20000)}"
            events.append(
                Event(
                    article=article, date=day, sentence=k, source=s, source_label=f"Actor {s}", relation=relation,
                    target=t, target_label=f"Actor {t}", negated=negated, confidence=0.8,
                    evidence=f"Actor {s} {relation} Actor {t}, the article said on {day}.", title=f"Headline {article}",
                    url=f"https://news.example/{article}",
                )
            )
    kinds = {a: rng.choice(["state", "organization", "group"]) for a in ids}
    return build_graph(events, kinds)


def watch(page: Any) -> tuple[list[str], list[str]]:
    """Abort every non-file request and collect them and the page's errors."""
    failed: list[str] = []
    errors: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            failed.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return failed, errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=2000)
    parser.add_argument("--edges", type=int, default=10000)
    parser.add_argument("--max-edges", type=int, default=DEFAULT_MAX_EDGES)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    t0 = time.perf_counter()
    graph = generated_graph(args.actors, args.edges)
    t_gen = time.perf_counter() - t0
    rows: list[tuple[str, str]] = [
        ("graph", f"{graph.number_of_nodes():,} actors, {graph.number_of_edges():,} relations ({graph.graph['events']:,} events)"),
        ("generate + build_graph", f"{t_gen:.2f} s"),
    ]
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for limit in (args.max_edges, graph.number_of_edges()):
            t0 = time.perf_counter()
            page_html = render_html(graph, title="benchmark", max_edges=limit)
            t_render = time.perf_counter() - t0
            path = Path(tmp) / f"bench-{limit}.html"
            path.write_text(page_html, encoding="utf-8")
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            failed, errors = watch(page)
            t0 = time.perf_counter()
            page.goto(path.as_uri())
            t_load = time.perf_counter() - t0
            page.wait_for_function("() => window.kgraph && window.kgraph.ready()", timeout=300_000, polling=50)
            t_ready = time.perf_counter() - t0
            counts = page.evaluate("window.kgraph.counts()")
            marks = page.evaluate("window.kgraph.timings()")
            hub = page.evaluate("window.kgraph.visibleNodes().sort()[0]")
            point = page.evaluate("id => window.kgraph.nodePoint(id)", hub)
            t0 = time.perf_counter()
            page.mouse.click(point["x"], point["y"])
            page.wait_for_function("() => window.kgraph.selected() !== null", polling=10)
            t_click = time.perf_counter() - t0
            label = f"open, max_edges={limit:,}"
            rows += [
                (f"{label}: render_html", f"{t_render:.2f} s, {len(page_html) / 1e6:.1f} MB"),
                (f"{label}: load (DOM ready)", f"{t_load:.2f} s"),
                (
                    f"{label}: in page: parse+data / network / layout",
                    f"{(marks['data'] - marks['start']) / 1000:.2f} / {(marks['network'] - marks['data']) / 1000:.2f} / "
                    f"{(marks['ready'] - marks['network']) / 1000:.2f} s",
                ),
                (f"{label}: interactive (layout done, physics off)", f"{t_ready:.2f} s, {counts['nodes']:,} actors / {counts['edges']:,} relations shown"),
                (f"{label}: click an actor -> panel", f"{t_click * 1000:.0f} ms"),
            ]
            if limit < graph.number_of_edges():
                t0 = time.perf_counter()
                page.click("#all")
                page.wait_for_function("() => document.getElementById('loading').hidden && window.kgraph.counts().edges === window.kgraph.counts().matching", timeout=300_000, polling=50)
                counts = page.evaluate("window.kgraph.counts()")
                rows.append((f"{label}: 'Show all' -> settled", f"{time.perf_counter() - t0:.2f} s, {counts['nodes']:,} actors / {counts['edges']:,} relations shown"))
            if failed or errors:
                rows.append((f"{label}: PROBLEMS", f"requests {failed[:3]}, errors {errors[:3]}"))
            page.close()
        browser.close()
    width = max(len(k) for k, _ in rows)
    print(f"{'measure'.ljust(width)}  value")
    print(f"{'-' * width}  {'-' * 40}")
    for key, value in rows:
        print(f"{key.ljust(width)}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
