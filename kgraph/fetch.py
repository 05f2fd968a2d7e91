"""Fetch web pages and feeds politely, with a disk cache so that a rerun fetches nothing.

Every request carries a clear User-Agent, has a timeout (per socket operation and in total),
is retried with exponential backoff on timeouts, connection errors, 429 and 5xx, and is cut
off at a size cap. robots.txt is asked once per host (and cached like a page); a disallowed
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
import json
import logging
import os
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import urllib.robotparser
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from . import __version__

#: What requests say they are; sites like a way to reach whoever crawls them, so set
#: ``KGRAPH_USER_AGENT`` (e.g. ``"kgraph (mailto:you@example.org)"``) to put your contact in it.
USER_AGENT = f"kgraph/{__version__} (geopolitical knowledge-graph builder)"
USER_AGENT_ENV = "KGRAPH_USER_AGENT"
ROBOTS_AGENT = "kgraph"  # the token robots.txt rules name
DEFAULT_TIMEOUT = 20.0
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
        """One GET with retries; non-200 statuses are returned, network failures raise."""
        attempt = 0
        while True:
            try:
                return self._get_once(url, max_bytes)
            except _Retryable as err:
                if attempt >= self.retries:
                    raise FetchError(err.message) from None
                delay = err.retry_after if err.retry_after is not None else self.backoff * (2**attempt)
                log.debug("retrying %s in %.1fs: %s", url, delay, err.message)
                time.sleep(min(delay, 60.0))
                attempt += 1

    def _get_once(self, url: str, max_bytes: int) -> Response:
        request = urllib.request.Request(_quote_url(url), headers={"User-Agent": self.user_agent, "Accept": "*/*"})
        with self._lock:
            self.requests += 1
        deadline = time.monotonic() + self.timeout * 3  # a slow drip must end too, not only a silent socket
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as handle:
                headers: Message = handle.headers
                status = handle.status
                final_url = handle.geturl()
                body = _read_capped(handle, max_bytes, headers.get("Content-Length"), deadline)
        except urllib.error.HTTPError as err:
            retry_after = _retry_after(err.headers.get("Retry-After") if err.headers else None)
            if err.code in _RETRY_STATUS:
                raise _Retryable(f"HTTP {err.code}", retry_after) from None
            return Response(url, url, err.code, "", None, b"")
        except TimeoutError:  # socket.timeout is TimeoutError since 3.10
            raise _Retryable(f"timed out after {self.timeout:g}s") from None
        except urllib.error.URLError as err:
            reason = err.reason
            if isinstance(reason, TimeoutError):
                raise _Retryable(f"timed out after {self.timeout:g}s") from None
            raise _Retryable(f"cannot connect ({getattr(reason, 'strerror', None) or reason})") from None
        except (ConnectionError, http.client.HTTPException) as err:
            raise _Retryable(f"connection failed ({type(err).__name__})") from None
        except ValueError as err:  # urllib's own refusals (bad URL forms)
            raise FetchError(str(err)) from None
        return Response(url, final_url, status, headers.get_content_type().lower(), headers.get_content_charset(), body)


class _Retryable(Exception):
    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


def _read_capped(handle: http.client.HTTPResponse, max_bytes: int, length: str | None, deadline: float) -> bytes:
    """The body, refused past ``max_bytes`` (by Content-Length, or while reading)."""
    if length and length.isdigit() and int(length) > max_bytes:
        raise FetchError(f"page is {int(length):,} bytes, over the limit of {max_bytes:,}")
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = handle.read(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"page is over the limit of {max_bytes:,} bytes")
        if time.monotonic() > deadline:
            raise _Retryable("timed out while reading the page")
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
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
