"""Pages, URL lists and feeds from a local HTTP server on 127.0.0.1 (no other address is touched)."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from kgraph.fetch import USER_AGENT, Fetcher, FetchError, is_url
from kgraph.ingest import Problem, ReadOptions, read_articles
from kgraph.records import Article

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
PAGE = (FIXTURES / "page.html").read_bytes()
BIG = b"<html><body><p>" + b"word " * 40_000 + b"</p></body></html>"
PLAIN_PAGE = b"""<html><head><title>Turkey and Greece Meet in Athens</title></head><body>
<article><h1>Turkey and Greece Meet in Athens</h1>
<p>Turkey met Greece in Athens on Wednesday to ease tensions over maritime borders, officials said.</p>
<p>The talks lasted four hours and both sides agreed to meet again in the autumn.</p></article></body></html>"""
ROBOTS = b"User-agent: *\nDisallow: /private/\n"
FEED = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Example wire</title><link>http://HOST/</link><description>World news</description>
<item><title>Washington Sanctions Russian Banks</title><link>http://HOST/news/a.html</link>
  <pubDate>Tue, 18 Jun 2024 13:30:00 GMT</pubDate></item>
<item><title>Turkey and Greece Meet</title><link>http://HOST/news/b.html</link>
  <pubDate>Wed, 19 Jun 2024 07:00:00 +0000</pubDate></item>
<item><title>A story that was taken down</title><link>http://HOST/news/gone.html</link>
  <pubDate>Thu, 20 Jun 2024 07:00:00 GMT</pubDate></item>
</channel></rss>"""
LIMIT = 100_000


@dataclass
class Site:
    """What the test server serves, and what it was asked."""

    host: str = ""
    hits: Counter[str] = field(default_factory=Counter)
    agents: set[str] = field(default_factory=set)
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return f"http://{self.host}{path}"

    def reset(self) -> None:
        with self.lock:
            self.hits.clear()
            self.agents.clear()
            self.max_in_flight = 0


def _routes(site: Site) -> dict[str, tuple[int, str, bytes, float]]:
    """path -> (status, content type, body, delay in seconds)."""
    html = "text/html; charset=utf-8"
    return {
        "/robots.txt": (200, "text/plain", ROBOTS, 0),
        "/news/a.html": (200, html, PAGE, 0),
        "/news/b.html": (200, html, PLAIN_PAGE, 0),
        "/news/slow.html": (200, html, PLAIN_PAGE, 2.0),
        "/news/big.html": (200, html, BIG, 0),
        "/data.json": (200, "application/json", b'{"text": "China met Russia."}', 0),
        "/private/secret.html": (200, html, PLAIN_PAGE, 0),
        "/feed.xml": (200, "application/rss+xml", FEED.replace(b"HOST", site.host.encode()), 0),
        **{f"/paced/{i}.html": (200, html, PLAIN_PAGE, 0.2) for i in range(6)},
    }


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            path = self.path.split("?")[0]
            with state.lock:
                state.hits[path] += 1
                state.agents.add(self.headers.get("User-Agent", ""))
                flaky_first = path == "/news/flaky.html" and state.hits[path] == 1
            try:
                if flaky_first:
                    return self._send(503, "text/plain", b"busy")
                if path == "/news/flaky.html":
                    return self._send(200, "text/html", PLAIN_PAGE)
                if path == "/news/big-unsized.html":  # no Content-Length: the cap must hold while reading
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.end_headers()
                    self.wfile.write(b"<p>" + b"x" * (LIMIT * 2))
                    return None
                status, kind, body, delay = _routes(state).get(path, (404, "text/html", b"<h1>Not found</h1>", 0))
                self._wait(delay) if path.startswith("/paced/") else time.sleep(delay)
                return self._send(status, kind, body)
            except (BrokenPipeError, ConnectionResetError):
                return None  # the client gave up (timeout test)

        def _wait(self, delay: float) -> None:
            """Sleep, counting the paced requests served at once (before any answer can reach the client)."""
            with state.lock:
                state.in_flight += 1
                state.max_in_flight = max(state.max_in_flight, state.in_flight)
            time.sleep(delay)
            with state.lock:
                state.in_flight -= 1

        def _send(self, status: int, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.host = f"127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def fetcher(cache: Path, **kwargs: object) -> Fetcher:
    # the test server is on 127.0.0.1: these tests are about fetching, tests/test_network_limits.py about addresses
    settings: dict = {"timeout": 0.5, "retries": 1, "backoff": 0.01, "max_bytes": LIMIT, "concurrency": 4, "allow_private": True}
    settings.update(kwargs)
    return Fetcher(cache_dir=cache, **settings)


def read(inputs: list[str], fetch: Fetcher, feeds: tuple[str, ...] = ()) -> tuple[list[Article], dict[str, str]]:
    problems: list[Problem] = []
    articles = list(read_articles(inputs, problems.append, options=ReadOptions(feeds=feeds, fetcher=fetch)))
    return articles, {p.origin: p.message for p in problems}


def test_page_text_title_date_and_canonical_url(site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KGRAPH_USER_AGENT", raising=False)
    [a, b], problems = read([site.url("/news/a.html"), site.url("/news/b.html")], fetcher(tmp_path))
    assert not problems
    assert a.id == a.origin == site.url("/news/a.html")
    assert a.title == "Washington Sanctions Russian Banks as Beijing Protests"
    assert a.date == "2024-06-18"
    assert a.url == "https://news.example.org/world/2024/06/18/sanctions-russian-banks"  # the page's canonical link
    [same_as_text_file] = read_articles([FIXTURES / "news.txt"])
    assert a.text == same_as_text_file.text
    for debris in ("Share on Facebook", "Iranian and Venezuelan", "Reader42", "Germany", "Iran talks", "Japan", "Syria"):
        assert debris not in a.text  # share buttons, caption, comments, menu, related links, footer
    assert (b.title, b.url) == ("Turkey and Greece Meet in Athens", site.url("/news/b.html"))
    assert b.text.startswith("Turkey and Greece Meet in Athens\n\nTurkey met Greece in Athens on Wednesday")
    assert site.agents == {USER_AGENT} and USER_AGENT.startswith("kgraph/")


def test_the_user_agent_carries_the_users_contact(site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site.reset()
    monkeypatch.setenv("KGRAPH_USER_AGENT", "kgraph-research (mailto:desk@example.org)")
    [_], problems = read([site.url("/news/a.html")], fetcher(tmp_path))
    assert not problems
    assert site.agents == {"kgraph-research (mailto:desk@example.org)"}  # the page and robots.txt requests alike


def test_failed_fetches_are_reported_and_the_rest_read(site: Site, tmp_path: Path) -> None:
    site.reset()
    paths = ["/news/a.html", "/news/missing.html", "/news/slow.html", "/news/big.html", "/news/big-unsized.html", "/data.json", "/private/secret.html", "/news/b.html"]
    started = time.monotonic()
    articles, problems = read([site.url(p) for p in paths], fetcher(tmp_path))
    assert [a.id for a in articles] == [site.url("/news/a.html"), site.url("/news/b.html")]
    assert problems == {
        site.url("/news/missing.html"): "HTTP 404",
        site.url("/news/slow.html"): "timed out after 0.5s",
        site.url("/news/big.html"): f"page is {len(BIG):,} bytes, over the limit of 100,000",
        site.url("/news/big-unsized.html"): "page is over the limit of 100,000 bytes",
        site.url("/data.json"): "not an HTML page (application/json)",
        site.url("/private/secret.html"): "disallowed by the site's robots.txt",
    }
    assert site.hits["/private/secret.html"] == 0  # robots.txt is obeyed before any request
    assert site.hits["/robots.txt"] == 1  # asked once per host
    assert site.hits["/news/slow.html"] == 2  # a timeout is retried once, then given up
    assert site.hits["/news/missing.html"] == 1  # a 404 is not retried
    assert time.monotonic() - started < 10


def test_a_second_run_fetches_nothing(site: Site, tmp_path: Path) -> None:
    urls = [site.url("/news/a.html"), site.url("/news/b.html")]
    feed = (site.url("/feed.xml"),)
    site.reset()
    first, _ = read(urls, fetcher(tmp_path), feed)
    assert site.hits["/news/a.html"] == 1 and site.hits["/feed.xml"] == 1
    fetched = sum(site.hits.values())
    again = fetcher(tmp_path)
    second, _ = read(urls, again, feed)
    assert second == first
    # only the 404 of the feed is asked again (failures are not cached)
    assert sum(site.hits.values()) - fetched == 1 and site.hits["/news/gone.html"] == 2
    assert again.requests == 1


def test_offline_reads_the_cache_only(site: Site, tmp_path: Path) -> None:
    read([site.url("/news/a.html")], fetcher(tmp_path))
    site.reset()
    articles, problems = read([site.url("/news/a.html"), site.url("/news/b.html")], fetcher(tmp_path, offline=True))
    assert [a.id for a in articles] == [site.url("/news/a.html")]
    assert problems == {site.url("/news/b.html"): "not in the cache (--offline)"}
    assert sum(site.hits.values()) == 0


def test_feed_entries_are_read_with_the_feed_dates(site: Site, tmp_path: Path) -> None:
    articles, problems = read([], fetcher(tmp_path), (site.url("/feed.xml"),))
    assert [(a.id, a.date) for a in articles] == [(site.url("/news/a.html"), "2024-06-18"), (site.url("/news/b.html"), "2024-06-19")]
    assert problems == {site.url("/news/gone.html"): "HTTP 404"}


def test_a_saved_feed_file_and_a_broken_feed(site: Site, tmp_path: Path) -> None:
    saved = tmp_path / "feed.xml"
    saved.write_bytes(FEED.replace(b"HOST", site.host.encode()))
    articles, problems = read([], fetcher(tmp_path / "cache"), (str(saved), site.url("/news/b.html"), site.url("/data.json")))
    assert len(articles) == 2
    assert problems[site.url("/news/b.html")].startswith("not an RSS or Atom feed")
    assert problems[site.url("/data.json")].startswith("not an RSS or Atom feed")


def test_url_lists(site: Site, tmp_path: Path) -> None:
    (tmp_path / "reading.urls").write_text(f"# my reading list\n\n{site.url('/news/a.html')}\nftp://example.invalid/x\n")
    (tmp_path / "links.txt").write_text(f"{site.url('/news/b.html')}\n  {site.url('/news/a.html')}  \n")
    (tmp_path / "article.txt").write_text(f"A title\n\nRead more at {site.url('/news/b.html')}\n")
    articles, problems = read([str(tmp_path)], fetcher(tmp_path / "cache"))
    assert [a.id for a in articles] == [
        "article.txt",  # a .txt with a line that is not a URL is an article
        site.url("/news/b.html"),
        site.url("/news/a.html"),
    ]
    assert problems == {f"{tmp_path / 'reading.urls'}:4": "not an http(s) URL", site.url("/news/a.html"): "duplicate of an earlier URL, skipped"}


def test_retries_a_busy_server(site: Site, tmp_path: Path) -> None:
    site.reset()
    articles, problems = read([site.url("/news/flaky.html")], fetcher(tmp_path))
    assert not problems and len(articles) == 1
    assert site.hits["/news/flaky.html"] == 2


def test_concurrency_is_limited(site: Site, tmp_path: Path) -> None:
    site.reset()
    urls = [site.url(f"/paced/{i}.html") for i in range(6)]
    articles, _ = read(urls, fetcher(tmp_path, concurrency=2))
    assert [a.id for a in articles] == urls  # input order, whatever order they arrived in
    assert site.max_in_flight == 2


def test_fetch_errors_without_network(tmp_path: Path) -> None:
    fetch = fetcher(tmp_path, retries=0)
    with pytest.raises(FetchError, match="not an http"):
        fetch.fetch("file:///etc/passwd")
    with pytest.raises(FetchError, match="cannot connect"):
        fetch.fetch("http://127.0.0.1:9/nothing-listens-here")
    assert is_url("https://a.org/x?y=1") and not is_url("a.org/x") and not is_url("https://a b.org")


@pytest.mark.slow
def test_cli_build_from_urls_and_a_feed(site: Site, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kgraph.cli import app

    cache, out = tmp_path / "cache", tmp_path / "out"
    args = ["build", site.url("/news/a.html"), site.url("/news/missing.html"), "--feed", site.url("/feed.xml"), "--cache", str(cache), "-o", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert f"kgraph: skipped {site.url('/news/missing.html')}: HTTP 404" in result.output
    assert f"kgraph: skipped {site.url('/news/a.html')}: duplicate of an earlier URL, skipped" in result.output  # named by the feed too
    assert "2 articles read" in result.output  # a.html, then the feed's b.html (gone.html is a 404)
    events = (out / "events.jsonl").read_text()
    assert '"source": "USA", "source_label": "United States", "relation": "sanctions", "target": "RUS"' in events
    assert "https://news.example.org/world/2024/06/18/sanctions-russian-banks" in events
    site.reset()
    # a fresh store, so the page must be read again: from the cache, with no request
    offline = CliRunner().invoke(app, ["build", site.url("/news/a.html"), "--offline", "--cache", str(cache), "-o", str(tmp_path / "out2")])
    assert offline.exit_code == 0, offline.output
    assert "1 article read" in offline.output and sum(site.hits.values()) == 0
