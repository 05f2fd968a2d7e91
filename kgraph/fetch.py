"""Fetch web pages and feeds politely, with a disk cache so that a rerun fetches nothing.

Every request carries a clear User-Agent, has a timeout per socket operation and a deadline
for the whole URL (connect, first byte, whole body, retries: a server that drips one byte a
second is abandoned when it passes), is retried with exponential backoff on timeouts,
connection errors, 429 and 5xx, and is cut off at a size cap. Every hop, redirects included,
must be http or https, and a host whose address (after resolving the name) is loopback,
private or link-local is refused unless the user named that host and port (``allowed_hosts``:
the URLs given on the command line) or allowed them all (``allow_private``), through a proxy
too: a link in a feed or page cannot make kgraph read the user's own machine or network. A redirect loop is reported as one. robots.txt is asked once per host (and cached like a page); a disallowed
URL is never fetched. Successful responses are cached on disk under a hash of the URL;
failures are not, so a rerun tries them again. ``offline=True`` answers from the cache only.

Limits: no JavaScript is run (pages that build their text in the browser come out empty); no
cookies or logins; gzip is not asked for, so pages arrive uncompressed; robots.txt
``Crawl-delay`` is not honoured beyond the concurrency limit.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import ipaddress
import json
import logging
import os
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import urllib.robotparser
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from . import __version__

#: What requests say they are; sites like a way to reach whoever crawls them, so set
#: ``KGRAPH_USER_AGENT`` (e.g. ``"kgraph (mailto:you@example.org)"``) to put your contact in it.
USER_AGENT = f"kgraph/{__version__} (geopolitical knowledge-graph builder)"
USER_AGENT_ENV = "KGRAPH_USER_AGENT"
ROBOTS_AGENT = "kgraph"  # the token robots.txt rules name
DEFAULT_TIMEOUT = 20.0
#: Seconds one URL may take in all (connect, first byte, whole body, retries).
DEFAULT_DEADLINE = 60.0
MAX_REDIRECTS = 10
DEFAULT_RETRIES = 2
DEFAULT_BACKOFF = 1.0
DEFAULT_MAX_PAGE_BYTES = 5_000_000
DEFAULT_CONCURRENCY = 4
_ROBOTS_MAX_BYTES = 500_000
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_CHUNK = 65536

log = logging.getLogger(__name__)


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/kgraph``, else ``~/.cache/kgraph``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kgraph"


def is_url(value: object) -> bool:
    """Whether ``value`` is an absolute http(s) URL."""
    if not isinstance(value, str) or any(c.isspace() for c in value.strip()):
        return False
    parts = urlsplit(value.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


class FetchError(Exception):
    """A URL that could not be fetched; the message is one line for the user."""


@dataclass(frozen=True)
class Response:
    """A fetched (or cached) response body with what is needed to read it."""

    url: str  # as asked
    final_url: str  # after redirects
    status: int
    content_type: str  # media type, lower case, without parameters
    charset: str | None
    body: bytes
    from_cache: bool = False


class Fetcher:
    """Fetches URLs with timeouts, retries, a size cap, robots.txt and a disk cache."""

    def __init__(
        self,
        cache_dir: str | Path | None = None,
        offline: bool = False,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        backoff: float = DEFAULT_BACKOFF,
        max_bytes: int = DEFAULT_MAX_PAGE_BYTES,
        concurrency: int = DEFAULT_CONCURRENCY,
        user_agent: str | None = None,
        allowed_hosts: Iterable[str] = (),
        allow_private: bool = False,
        deadline: float = DEFAULT_DEADLINE,
    ) -> None:
        self.cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        self.offline = offline
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoff = backoff
        self.max_bytes = max_bytes
        self.concurrency = max(1, concurrency)
        self.user_agent = user_agent or os.environ.get(USER_AGENT_ENV, "").strip() or USER_AGENT
        self.requests = 0  # network requests made (pages and robots.txt), for summaries and tests
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self._lock = threading.Lock()
        self._host_locks: dict[str, threading.Lock] = {}
        self.deadline = deadline
        self.allow_private = allow_private
        # (host, port) pairs the user named: their address is theirs to choose, whatever it is
        self.allowed_hosts = {_host_port(h) for h in allowed_hosts} | {_host_port(p) for p in urllib.request.getproxies().values()}
        self._request = threading.local()  # the sockets of this thread's request, for its deadline
        self._proxies = urllib.request.getproxies()
        self._opener = urllib.request.build_opener(
            urllib.request.ProxyHandler(self._proxies),
            _GuardedHTTPHandler(self._connect),
            _GuardedHTTPSHandler(self._connect),
            _Redirects(self._check_proxied),
        )

    # --- public -------------------------------------------------------------------------

    def fetch(self, url: str) -> Response:
        """The response for ``url`` (cache first); raises FetchError with a one-line reason."""
        if not is_url(url):
            raise FetchError("not an http(s) URL")
        cached = self._cached(url)
        if cached is not None:
            return cached
        if self.offline:
            raise FetchError("not in the cache (--offline)")
        if not self._allowed(url):
            raise FetchError("disallowed by the site's robots.txt")
        response = self._get(url, self.max_bytes)
        if response.status != 200:
            raise FetchError(f"HTTP {response.status}")
        self._store(response)
        return response

    def fetch_all(self, urls: Iterable[str]) -> Iterator[tuple[str, Response | FetchError]]:
        """(url, response or error) in input order; at most ``concurrency`` requests at once."""
        with ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="kgraph-fetch") as pool:
            pending: list[tuple[str, Future[Response]]] = []
            # a bounded window keeps memory flat on long URL lists while the parser is busy
            window = self.concurrency * 2
            for url in urls:
                pending.append((url, pool.submit(self.fetch, url)))
                if len(pending) >= window:
                    yield self._outcome(*pending.pop(0))
            while pending:
                yield self._outcome(*pending.pop(0))

    # --- internals ----------------------------------------------------------------------

    @staticmethod
    def _outcome(url: str, future: Future[Response]) -> tuple[str, Response | FetchError]:
        try:
            return url, future.result()
        except FetchError as err:
            return url, err

    def _cache_paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()
        folder = self.cache_dir / key[:2]
        return folder / f"{key}.json", folder / f"{key}.body"

    def _cached(self, url: str) -> Response | None:
        meta_path, body_path = self._cache_paths(url)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            body = body_path.read_bytes()
        except (OSError, ValueError):
            return None
        if not isinstance(meta, dict) or meta.get("url") != url:
            return None
        return Response(
            url=url,
            final_url=str(meta.get("final_url") or url),
            status=int(meta.get("status", 200)),
            content_type=str(meta.get("content_type", "")),
            charset=meta.get("charset"),
            body=body,
            from_cache=True,
        )

    def _store(self, response: Response) -> None:
        meta_path, body_path = self._cache_paths(response.url)
        meta = {
            "url": response.url,
            "final_url": response.final_url,
            "status": response.status,
            "content_type": response.content_type,
            "charset": response.charset,
            "fetched": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        try:
            meta_path.parent.mkdir(parents=True, exist_ok=True)
            _atomic_write(body_path, response.body)
            # the metadata goes last: a reader that finds it also finds the body
            _atomic_write(meta_path, json.dumps(meta).encode("utf-8"))
        except OSError as err:
            log.warning("cannot write the fetch cache in %s: %s", self.cache_dir, err.strerror or err)

    def _host_lock(self, origin: str) -> threading.Lock:
        with self._lock:
            return self._host_locks.setdefault(origin, threading.Lock())

    def _allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        with self._host_lock(origin):  # one robots.txt request per host, even with many threads
            parser = self._robots.get(origin)
            if parser is None:
                parser = self._robots_parser(origin + "/robots.txt")
                self._robots[origin] = parser
        return parser.can_fetch(ROBOTS_AGENT, url)

    def _robots_parser(self, robots_url: str) -> urllib.robotparser.RobotFileParser:
        parser = urllib.robotparser.RobotFileParser(robots_url)
        response = self._cached(robots_url)
        if response is None:
            try:
                response = self._get(robots_url, _ROBOTS_MAX_BYTES)
            except FetchError as err:
                # an unreachable robots.txt says nothing; the page fetch will report the real problem
                log.debug("robots.txt %s: %s", robots_url, err)
                parser.parse([])
                return parser
            if response.status == 200 or 400 <= response.status < 500:
                self._store(response)
        if response.status in (401, 403):
            parser.parse(["User-agent: *", "Disallow: /"])  # a robots.txt behind a login forbids all
        elif response.status == 200:
            parser.parse(response.body.decode("utf-8", errors="replace").splitlines())
        else:
            parser.parse([])  # 404 and the like: everything is allowed
        return parser

    def _get(self, url: str, max_bytes: int) -> Response:
        """One GET with retries, all within the deadline; non-200 statuses are returned, network failures raise."""
        attempt = 0
        end = time.monotonic() + self.deadline
        while True:
            try:
                return self._get_once(url, max_bytes, end)
            except _Retryable as err:
                delay = err.retry_after if err.retry_after is not None else self.backoff * (2**attempt)
                if attempt >= self.retries or time.monotonic() + min(delay, 60.0) >= end:
                    raise FetchError(err.message) from None
                log.debug("retrying %s in %.1fs: %s", url, delay, err.message)
                time.sleep(min(delay, 60.0))
                attempt += 1

    def _get_once(self, url: str, max_bytes: int, end: float) -> Response:
        request = urllib.request.Request(_quote_url(url), headers={"User-Agent": self.user_agent, "Accept": "*/*"})
        self._request.end = end
        self._check_proxied(request.full_url)
        with self._lock:
            self.requests += 1
        self._request.sockets = []
        expired = threading.Event()
        sockets = self._request.sockets
        timer = threading.Timer(max(0.0, end - time.monotonic()), _shutdown_all, (sockets, expired))
        timer.daemon = True
        timer.start()
        late = f"no complete answer within {self.deadline:g} s, given up"
        try:
            with self._opener.open(request, timeout=min(self.timeout, max(0.001, end - time.monotonic()))) as handle:
                headers: Message = handle.headers
                status = handle.status
                final_url = handle.geturl()
                body = _read_capped(handle, max_bytes, headers.get("Content-Length"), end, expired)
        except urllib.error.HTTPError as err:
            if 300 <= err.code < 400:  # urllib refused to follow it (a scheme it does not know)
                raise FetchError(f"redirect not followed (HTTP {err.code} to {err.headers.get('Location', '?') if err.headers else '?'}): only http and https are") from None
            retry_after = _retry_after(err.headers.get("Retry-After") if err.headers else None)
            if err.code in _RETRY_STATUS:
                raise _Retryable(f"HTTP {err.code}", retry_after) from None
            return Response(url, url, err.code, "", None, b"")
        except FetchError:
            raise
        except (TimeoutError, urllib.error.URLError, ConnectionError, http.client.HTTPException, OSError) as err:
            if expired.is_set() or time.monotonic() >= end:
                raise FetchError(late) from None
            reason = err.reason if isinstance(err, urllib.error.URLError) else err
            if isinstance(reason, FetchError):
                raise reason from None
            if isinstance(reason, TimeoutError):  # socket.timeout is TimeoutError since 3.10
                raise _Retryable(f"timed out after {self.timeout:g}s") from None
            if isinstance(err, urllib.error.URLError):
                raise _Retryable(f"cannot connect ({getattr(reason, 'strerror', None) or reason})") from None
            raise _Retryable(f"connection failed ({type(err).__name__})") from None
        except ValueError as err:  # urllib's own refusals (bad URL forms)
            raise FetchError(str(err)) from None
        finally:
            timer.cancel()
        if expired.is_set():
            raise FetchError(late)
        return Response(url, final_url, status, headers.get_content_type().lower(), headers.get_content_charset(), body)

    def _connect(self, address: tuple[str, int], timeout: float | None = None, source_address: object = None) -> socket.socket:
        """``socket.create_connection`` for every request and redirect: the name resolved, each of its
        addresses checked (loopback, private, link-local refused unless allowed), one connected."""
        host, port = address
        try:
            infos = self._resolve(host, port)
        except socket.gaierror as err:
            raise OSError(f"cannot resolve {host} ({err.strerror or err})") from None
        self._refuse_internal(host, port, [str(sockaddr[0]) for *_, sockaddr in infos])
        last: OSError | None = None
        for family, kind, proto, _, sockaddr in infos:
            sock = socket.socket(family, kind, proto)
            getattr(self._request, "sockets", []).append(sock)
            try:
                if timeout is not None:
                    sock.settimeout(timeout)
                sock.connect(sockaddr)
                return sock
            except OSError as err:
                last = err
                sock.close()
        raise last or OSError(f"cannot connect to {host}")

    def _resolve(self, host: str, port: int) -> list[Any]:
        """``socket.getaddrinfo``, within what is left of this request's deadline: a resolver that
        does not answer is waited for no longer than a server that does not."""
        end = getattr(self._request, "end", None)
        if end is None:
            return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        answer: list[Any] = []

        def resolve() -> None:
            try:
                answer.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
            except BaseException as err:  # noqa: BLE001 (handed to the waiting thread)
                answer.append(err)

        worker = threading.Thread(target=resolve, name="kgraph-resolve", daemon=True)
        worker.start()
        worker.join(max(0.0, end - time.monotonic()))
        if not answer:
            raise TimeoutError(f"cannot resolve {host} in time")
        if isinstance(answer[0], BaseException):
            raise answer[0]
        return list(answer[0])

    def _refuse_internal(self, host: str, port: int, addresses: Iterable[str]) -> None:
        """FetchError if one of ``host``'s addresses is loopback, private or link-local and the user
        did not name ``host:port`` nor pass allow_private."""
        if self.allow_private or (host.lower().strip("[]"), int(port)) in self.allowed_hosts:
            return
        for address in addresses:
            internal = _internal(address)
            if internal:
                raise FetchError(
                    f"refused: {host} is a {internal} address ({address}); name {host}:{port} on the command line "
                    "or pass --allow-private to read it"
                )

    def _check_proxied(self, url: str) -> None:
        """The address check of :meth:`_connect` for a URL that goes through a proxy (http_proxy,
        https_proxy): the connection is to the proxy, so the URL's own host is resolved here and
        checked (a name only the proxy can resolve is left to it)."""
        parts = urlsplit(url)
        host, port = _host_port(url)
        scheme = parts.scheme.lower()
        if self.allow_private or scheme not in self._proxies or not host or urllib.request.proxy_bypass(parts.netloc):
            return
        try:
            addresses = [str(info[4][0]) for info in self._resolve(host, port)]
        except TimeoutError:
            raise FetchError(f"no complete answer within {self.deadline:g} s, given up") from None
        except (OSError, UnicodeError):
            addresses = []
        self._refuse_internal(host, port, addresses)


def _shutdown_all(sockets: list[socket.socket], expired: threading.Event) -> None:
    """The deadline of a request passed: every socket it opened stops waiting (reads return)."""
    expired.set()
    for sock in list(sockets):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def _host_port(value: str) -> tuple[str, int]:
    """(host, port) of a URL or ``host:port``, lower case, with the scheme's default port."""
    parts = urlsplit(value if "://" in value else f"http://{value}")
    try:
        port = parts.port
    except ValueError:
        port = None
    return (parts.hostname or "").lower(), port or (443 if parts.scheme.lower() == "https" else 80)


def _internal(address: str) -> str | None:
    """What kind of internal address this is (loopback, private, link-local...), or None for a public one."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "malformed"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_private or ip.is_unspecified or ip.is_reserved or ip.is_multicast or ip in _SHARED:
        return "private"
    return None


_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT: a provider's internal network


def _guarded_connection(base: type[http.client.HTTPConnection], connect: object) -> type[http.client.HTTPConnection]:
    class Guarded(base):  # type: ignore[valid-type,misc]  # a class made at run time
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self._create_connection = connect  # what HTTPConnection.connect calls (HTTPS wraps what it gives)

    return Guarded


class _GuardedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, connect: object) -> None:
        super().__init__()
        self.connection = _guarded_connection(http.client.HTTPConnection, connect)

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self.connection, req)


class _GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, connect: object) -> None:
        super().__init__()
        self.connection = _guarded_connection(http.client.HTTPSConnection, connect)

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self.connection, req, context=self._context)  # type: ignore[attr-defined]


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Redirects followed to http(s) URLs only (each checked by ``check`` too); a URL met twice is a
    loop, reported as one."""

    def __init__(self, check: Callable[[str], None]) -> None:
        super().__init__()
        self.check = check

    def redirect_request(self, req: urllib.request.Request, fp: object, code: int, msg: str, headers: Message, newurl: str) -> urllib.request.Request | None:
        scheme = urlsplit(newurl).scheme.lower()
        if scheme not in ("http", "https"):
            raise FetchError(f"redirected to {newurl!r} (HTTP {code}), not followed: only http and https are")
        self.check(newurl)
        visited = getattr(req, "redirect_dict", {})
        chain = [getattr(req, "kgraph_first", req.full_url), *visited]
        if newurl in chain:
            raise FetchError(f"redirect loop ({' -> '.join([*chain[chain.index(newurl):], newurl])})")
        if len(visited) >= MAX_REDIRECTS:
            raise FetchError(f"more than {MAX_REDIRECTS} redirects, given up")
        new = super().redirect_request(req, fp, code, msg, headers, newurl)  # type: ignore[arg-type]
        if new is not None:
            new.kgraph_first = getattr(req, "kgraph_first", req.full_url)  # type: ignore[attr-defined]
        return new


class _Retryable(Exception):
    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


def _read_capped(handle: http.client.HTTPResponse, max_bytes: int, length: str | None, end: float, expired: threading.Event) -> bytes:
    """The body, refused past ``max_bytes`` (by Content-Length, or while reading); each read takes
    what has arrived (``read1``), so the deadline is checked however slowly the bytes come."""
    if length and length.isdigit() and int(length) > max_bytes:
        raise FetchError(f"page is {int(length):,} bytes, over the limit of {max_bytes:,}")
    chunks: list[bytes] = []
    size = 0
    while True:
        if expired.is_set() or time.monotonic() > end:
            raise TimeoutError("the deadline passed")  # the caller reports it
        chunk = handle.read1(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"page is over the limit of {max_bytes:,} bytes")
        chunks.append(chunk)


def _retry_after(value: str | None) -> float | None:
    if value and value.strip().isdigit():
        return float(value.strip())
    return None


def _quote_url(url: str) -> str:
    """The URL with spaces and non-ASCII characters escaped, as http.client needs."""
    parts = urlsplit(url.strip())
    netloc = parts.netloc
    if not netloc.isascii():
        with contextlib.suppress(UnicodeError):  # urllib will refuse it with its own message
            netloc = netloc.encode("idna").decode("ascii")
    quote = urllib.parse.quote
    return urlunsplit(
        (parts.scheme, netloc, quote(parts.path, safe="/%:@!$&'()*+,;=-._~"), quote(parts.query, safe="=&%+/:;,?@!$'()*-._~"), "")
    )


def _atomic_write(path: Path, data: bytes) -> None:
    from .outputs import alive as _alive

    if path.parent not in _SWEPT:  # once per cache folder and process: a killed write's leftovers go
        _SWEPT.add(path.parent)
        for name in os.listdir(path.parent):
            match = _TEMP.match(name)
            if match and int(match[1]) != os.getpid() and not _alive(int(match[1])):
                with contextlib.suppress(OSError):
                    (path.parent / name).unlink()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


_SWEPT: set[Path] = set()
_TEMP = re.compile(r"^\..+\.(\d+)\.\d+\.tmp$")  # what _atomic_write names: .NAME.PID.THREAD.tmp
