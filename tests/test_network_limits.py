"""Issue 18: fetching stays on the web the user asked for, and a slow server cannot stall a build.

Two servers on 127.0.0.1: the one the user names on the command line, and another one that a
feed, a page or a redirect points to. Each server counts its requests and stops itself (a timer)
even if a test fails before stopping it. The CLI runs in this process with the stub extraction.
"""

from __future__ import annotations

import contextlib
import functools
import re
import socket
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgraph import cli
from kgraph.fetch import DEFAULT_DEADLINE, Fetcher, FetchError

sys.path.insert(0, str(Path(__file__).parent))
from stub_kgraph import engine  # noqa: E402

PAGE = (
    "<html><head><title>Turkey and Greece Meet in Athens</title></head><body><article><h1>Turkey and Greece Meet</h1>"
    "<p>Turkey met Greece in Athens on Wednesday to ease tensions over maritime borders, officials said.</p>"
    "<p>The talks lasted four hours and both sides agreed to meet again in the autumn, {who} reported.</p></article></body></html>"
)


class Server:
    """A 127.0.0.1 server of ``routes`` (path -> handler) that counts what it is asked."""

    def __init__(self, routes: dict[str, Callable[[BaseHTTPRequestHandler], None]], lifetime: float = 120.0) -> None:
        self.hits: Counter[str] = Counter()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                server.hits[self.path] += 1
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up: what a deadline does
                    routes.get(self.path, lambda h: send(h, 404, b"not found"))(self)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.stopper = threading.Timer(lifetime, self.stop)  # stops itself whatever the test does
        self.stopper.daemon = True
        self.stopper.start()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def stop(self) -> None:
        self.stopper.cancel()
        self.httpd.shutdown()
        self.httpd.server_close()


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes, kind: str = "text/html; charset=utf-8", **headers: str) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", kind)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


def redirect(to: str) -> Callable[[BaseHTTPRequestHandler], None]:
    return lambda h: send(h, 302, b"", Location=to)


def feed(*links: str) -> bytes:
    items = "".join(f"<item><title>Story {n}</title><link>{link}</link></item>" for n, link in enumerate(links))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>wire</title>{items}</channel></rss>'.encode()


@pytest.fixture
def servers() -> Iterator[tuple[Server, Server]]:
    """(named, other): the feed on ``named`` links to ``other``, to itself, to ftp and in a loop."""
    other = Server({"/secret.html": lambda h: send(h, 200, PAGE.format(who="the other server").encode()), "/robots.txt": lambda h: send(h, 404, b"")})
    named: Server
    routes: dict[str, Callable[[BaseHTTPRequestHandler], None]] = {
        "/robots.txt": lambda h: send(h, 404, b""),
        "/page.html": lambda h: send(h, 200, PAGE.format(who="the named server").encode()),
        "/to-other.html": redirect(other.url("/secret.html")),
        "/to-ftp.html": redirect("ftp://127.0.0.1/pub/file.html"),
        "/loop-a.html": lambda h: send(h, 302, b"", Location=named.url("/loop-b.html")),
        "/loop-b.html": lambda h: send(h, 302, b"", Location=named.url("/loop-a.html")),
        "/feed.xml": lambda h: send(
            h, 200,
            feed(named.url("/page.html"), other.url("/secret.html"), other.url("/secret.html", host="localhost"),
                 named.url("/to-other.html"), named.url("/to-ftp.html"), named.url("/loop-a.html")),
            "application/rss+xml",
        ),
    }  # fmt: skip
    named = Server(routes)
    yield named, other
    named.stop()
    other.stop()


@pytest.fixture(autouse=True)
def stub(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_engine", engine)


def extract(tmp_path: Path, *args: str) -> tuple[int, str, list[dict]]:
    import json

    result = CliRunner().invoke(cli.app, ["extract", *args, "--cache", str(tmp_path / "cache"), "-o", str(tmp_path / "events.jsonl")])
    lines = (tmp_path / "events.jsonl").read_text().splitlines() if (tmp_path / "events.jsonl").exists() else []
    return result.exit_code, result.stderr, [json.loads(line) for line in lines]


def test_no_request_reaches_a_server_the_user_did_not_name(servers: tuple[Server, Server], tmp_path: Path) -> None:
    named, other = servers
    code, stderr, _ = extract(tmp_path, "--feed", named.url("/feed.xml"))
    assert "Traceback" not in stderr
    assert other.hits == Counter()  # not one request: not the page, not its robots.txt
    assert named.hits[named.url("/page.html").split(str(named.port))[1]] == 1  # the named host is read
    assert f"kgraph: skipped {other.url('/secret.html')}: refused: 127.0.0.1 is a loopback address (127.0.0.1)" in stderr
    # a name that resolves to 127.0.0.1 is loopback all the same
    assert f"kgraph: skipped {other.url('/secret.html', host='localhost')}: refused: localhost is a loopback address" in stderr
    assert f"kgraph: skipped {named.url('/to-other.html')}: refused: 127.0.0.1 is a loopback address" in stderr  # a redirect too
    assert f"kgraph: skipped {named.url('/to-ftp.html')}: redirected to 'ftp://127.0.0.1/pub/file.html' (HTTP 302), not followed: only http and https are" in stderr
    loop = f"{named.url('/loop-a.html')} -> {named.url('/loop-b.html')} -> {named.url('/loop-a.html')}"
    assert f"kgraph: skipped {named.url('/loop-a.html')}: redirect loop ({loop})" in stderr
    assert "HTTP 302" not in stderr.replace("(HTTP 302), not followed", "")
    assert code == 0  # the build goes on with what it could read


def test_allow_private_reads_them_all(servers: tuple[Server, Server], tmp_path: Path) -> None:
    named, other = servers
    code, stderr, _ = extract(tmp_path, "--feed", named.url("/feed.xml"), "--allow-private")
    assert code == 0 and "refused" not in stderr
    assert other.hits["/secret.html"] >= 1


def test_naming_the_other_server_allows_it(servers: tuple[Server, Server], tmp_path: Path) -> None:
    named, other = servers
    code, stderr, _ = extract(tmp_path, other.url("/secret.html"), "--feed", named.url("/feed.xml"))
    assert code == 0
    assert other.hits["/secret.html"] == 2  # named on the command line: read, and reached by the redirect to it
    assert "refused: localhost" in stderr  # localhost:PORT is another name, not the one given


def drip(handler: BaseHTTPRequestHandler, headers_first: bool = True) -> None:
    """One byte a second, for two minutes: a size cap or a per-read timeout never ends it."""
    body = PAGE.format(who="the slow server").encode()
    if headers_first:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.flush()
        data = body
    else:  # even the status line comes a byte at a time
        data = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
    for byte in data[:120]:
        handler.wfile.write(bytes([byte]))
        handler.wfile.flush()
        time.sleep(1)


@pytest.mark.parametrize("headers_first", [True, False])
def test_a_server_sending_one_byte_a_second_is_abandoned_within_the_deadline(tmp_path: Path, headers_first: bool) -> None:
    slow = Server({"/robots.txt": lambda h: send(h, 404, b""), "/slow.html": functools.partial(drip, headers_first=headers_first)})
    try:
        fetcher = Fetcher(cache_dir=tmp_path, timeout=5.0, deadline=3.0, allowed_hosts=[slow.url("/")])
        started = time.monotonic()
        with pytest.raises(FetchError, match=r"no complete answer within 3 s, given up"):
            fetcher.fetch(slow.url("/slow.html"))
        assert time.monotonic() - started < 10.0  # the deadline (3 s, a busy host may add some), not the 120 s the server would take
    finally:
        slow.stop()


def test_the_default_deadline_gives_up_within_a_minute_and_the_build_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert Fetcher().deadline == DEFAULT_DEADLINE <= 60
    good = Server({"/robots.txt": lambda h: send(h, 404, b""), "/page.html": lambda h: send(h, 200, PAGE.format(who="a fast server").encode())})
    slow = Server({"/robots.txt": lambda h: send(h, 404, b""), "/slow.html": drip})
    monkeypatch.setattr(cli, "Fetcher", functools.partial(Fetcher, deadline=2.0))  # the same rule, quicker
    try:
        started = time.monotonic()
        code, stderr, events = extract(tmp_path, slow.url("/slow.html"), good.url("/page.html"))
        assert time.monotonic() - started < 20
    finally:
        slow.stop()
        good.stop()
    assert code == 0
    assert f"kgraph: skipped {slow.url('/slow.html')}: no complete answer within 2 s, given up" in stderr
    assert re.search(r"^1 article, \d+ events? -> ", stderr, re.M), stderr  # the other input was read


def test_a_refused_address_is_refused_before_any_connection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Private and link-local addresses are refused from their address alone (nothing listens there)."""
    connected: list[object] = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: connected.append(address))
    fetcher = Fetcher(cache_dir=tmp_path, retries=0)
    for url, kind in [
        ("http://10.1.2.3/", "private"),
        ("http://192.168.1.1/", "private"),
        ("http://172.16.0.9/", "private"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[::1]/", "loopback"),
        ("http://[fc00::1]/", "private"),
        ("http://127.8.8.8/", "loopback"),
    ]:
        with pytest.raises(FetchError, match=f"is a {kind} address"):
            fetcher.fetch(url)
    assert connected == []


class Proxy:
    """An HTTP proxy on 127.0.0.1 (what http_proxy names) that forwards GETs and counts the URLs it is asked for."""

    def __init__(self, lifetime: float = 120.0) -> None:
        import http.client
        import urllib.parse

        self.asked: Counter[str] = Counter()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                proxy.asked[self.path] += 1
                parts = urllib.parse.urlsplit(self.path)
                upstream = http.client.HTTPConnection(parts.hostname or "", parts.port or 80, timeout=10)
                try:
                    upstream.request("GET", parts.path or "/")
                    answer = upstream.getresponse()
                    body = answer.read()
                    headers = {k: v for k, v in answer.getheaders() if k.lower() in ("content-type", "location")}
                    send(self, answer.status, body, headers.pop("Content-Type", "text/html"), **headers)
                finally:
                    upstream.close()

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.stopper = threading.Timer(lifetime, self.stop)
        self.stopper.daemon = True
        self.stopper.start()

    def stop(self) -> None:
        self.stopper.cancel()
        self.httpd.shutdown()
        self.httpd.server_close()


def test_through_a_proxy_no_request_reaches_a_server_the_user_did_not_name(
    servers: tuple[Server, Server], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With http_proxy set, kgraph connects to the proxy, not to the link's host: the link's host is
    checked all the same, or the proxy would fetch the user's own machine for a feed."""
    named, other = servers
    proxy = Proxy()
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "no_proxy", "NO_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("http_proxy", proxy.url)
    try:
        code, stderr, _ = extract(tmp_path, "--feed", named.url("/feed.xml"))
    finally:
        proxy.stop()
    assert proxy.asked[named.url("/feed.xml")] == 1 and proxy.asked[named.url("/page.html")] == 1  # the proxy is used
    assert other.hits == Counter()  # not one request, neither straight nor through the proxy
    assert not [url for url in proxy.asked if f":{other.port}/" in url]
    assert f"kgraph: skipped {other.url('/secret.html')}: refused: 127.0.0.1 is a loopback address (127.0.0.1)" in stderr
    assert f"kgraph: skipped {other.url('/secret.html', host='localhost')}: refused: localhost is a loopback address" in stderr
    assert f"kgraph: skipped {named.url('/to-other.html')}: refused: 127.0.0.1 is a loopback address" in stderr  # a redirect too
    assert code == 0 and re.search(r"^1 article, ", stderr, re.M), stderr  # the named server's page was read


def test_a_name_that_does_not_resolve_in_time_is_given_up_within_the_deadline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The deadline counts from the name's look-up: a resolver that never answers (a dead DNS
    server) stalls the URL no longer than a server that never answers."""
    real = socket.getaddrinfo

    def stuck(host: object, *args: object, **kwargs: object) -> object:
        if host == "stuck.example":
            time.sleep(30)
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", stuck)
    fetcher = Fetcher(cache_dir=tmp_path, deadline=2.0, retries=0)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"no complete answer within 2 s, given up"):
        fetcher.fetch("http://stuck.example/page.html")
    assert time.monotonic() - started < 8.0  # robots.txt and the page share nothing but the deadline rule: 2 s each at most
