"""The event store: articles and their events in one SQLite file, the source of the graph.

Each article is one row keyed by its id (file name or record id), its content hash and its
normalized URL; it is written with all its events in one transaction, so a build stopped at
any point (Ctrl-C, ``kill -9``) leaves whole articles or none, and the next build resumes.
Every article records the extractor version (model + gazetteer + lexicon) that produced its
events, so ``--reprocess`` can re-extract exactly what an older extractor produced.

Republished wires are recognised as *reports* of one *story*: first by normalized URL, then
by text similarity (MinHash signatures from datasketch, indexed by LSH bands in a table, so
a lookup is one indexed query and nothing is held in memory between builds). Edges count
distinct stories (their ``weight``), reports and sources (URL hosts) apart.

The graph is computed by SQL aggregation per (source, relation, target, negated): counts,
dates and weights come out of GROUP BY. Edges' evidence (each edge's newest N sentences) comes
from one pass over the events sorted by edge (:meth:`Store.evidence_source`), which writers read
edge by edge as they stream a file out: memory holds the graph, never the events. Whole-store
reads are plain sequential scans through SQLite's small page cache (a memory-mapped file was no
faster and made the process's resident memory grow with the file).
The schema is versioned (``PRAGMA user_version``) and migrates forward on open.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from .graph import DENIED_LEFT_OUT, Counts, GraphFilter, count_attributes, filter_graph, ordered_edges
from .records import _LABEL_CONTROL, QUAD_CLASS, SYMMETRIC, Article, Event, clean_label

if TYPE_CHECKING:
    import networkx as nx

#: Evidence sentences kept per edge in :meth:`Store.graph` unless asked otherwise.
EVIDENCE_LIMIT = 50
#: MinHash: permutations, word-shingle size, and the Jaccard similarity that makes one story.
NUM_PERM = 128
SHINGLE = 3
SIMILARITY = 0.6
#: Stored articles compared with an incoming one per matching LSH band (the newest): a bound, so
#: that storing an article takes the same time however many similar ones the store holds.
CANDIDATES_PER_BAND = 8

_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|ref_src|cmpid|smid|ocid|output|amp)$", re.I)
_WORD = re.compile(r"\w+")
_SURROGATE = re.compile("[\ud800-\udfff]")
_LINE_SUFFIX = re.compile(r":\d+$")
_RECORD_SUFFIXES = (".jsonl", ".json", ".csv")


class StoreError(ValueError):
    """A store that cannot be used (missing, newer schema, not a kgraph database)."""


# --- schema and migrations ------------------------------------------------------------------

#: Forward migrations: MIGRATIONS[n] takes a database from user_version n to n + 1.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE articles (
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        hash TEXT NOT NULL,
        url TEXT,
        norm_url TEXT,
        site TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL DEFAULT '',
        date TEXT,
        origin TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL,
        story INTEGER NOT NULL,
        extractor TEXT NOT NULL,
        signature BLOB
    );
    CREATE INDEX articles_hash ON articles(hash);
    CREATE INDEX articles_norm_url ON articles(norm_url);
    CREATE INDEX articles_extractor ON articles(extractor);
    CREATE TABLE events (
        article INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
        sentence INTEGER NOT NULL,
        source TEXT NOT NULL,
        relation TEXT NOT NULL,
        target TEXT NOT NULL,
        u TEXT NOT NULL,
        v TEXT NOT NULL,
        negated INTEGER NOT NULL,
        confidence REAL NOT NULL,
        evidence TEXT NOT NULL,
        record TEXT NOT NULL
    );
    CREATE INDEX events_edge ON events(u, relation, v, negated);
    CREATE INDEX events_v ON events(v);
    CREATE INDEX events_article ON events(article);
    CREATE TABLE bands (
        band INTEGER NOT NULL,
        key INTEGER NOT NULL,
        article INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE
    );
    CREATE INDEX bands_key ON bands(band, key);
    CREATE INDEX bands_article ON bands(article);
    CREATE TABLE actors (id TEXT PRIMARY KEY, label TEXT NOT NULL, kind TEXT NOT NULL);
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 1 -> 2: the evidence fields as columns, so the graph reads them without parsing a JSON record per row
    """
    ALTER TABLE events ADD COLUMN trigger TEXT NOT NULL DEFAULT '';
    ALTER TABLE events ADD COLUMN source_text TEXT NOT NULL DEFAULT '';
    ALTER TABLE events ADD COLUMN target_text TEXT NOT NULL DEFAULT '';
    UPDATE events SET trigger = COALESCE(json_extract(record, '$.trigger'), ''),
                      source_text = COALESCE(json_extract(record, '$.source_text'), ''),
                      target_text = COALESCE(json_extract(record, '$.target_text'), '');
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)
#: The columns of an event row, in the order writers give them.
EVENT_COLUMNS = (
    "article, sentence, source, relation, target, u, v, negated, confidence, evidence, record, trigger, source_text, target_text"
)
_ARTICLE_COLUMNS = "id, hash, url, norm_url, site, title, date, origin, text, extractor, signature, story"


def content_hash(text: str) -> str:
    """The article's identity by content: sha256 of its text with whitespace normalized."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def safe_text(text: str) -> str:
    """Text SQLite and UTF-8 files take: the lone surrogates of an undecodable file name become
    backslash escapes of its bytes (``\\xff``), so two such names stay apart."""
    if not _SURROGATE.search(text):
        return text
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # surrogates that no file name decoding makes (records, code)
        raw = text.encode("utf-8", "surrogatepass")
    return raw.decode("utf-8", "backslashreplace")


def _split_line(origin: str) -> tuple[str, str]:
    """``("records.jsonl", ":12")`` for a record's origin, ``(origin, "")`` otherwise."""
    match = _LINE_SUFFIX.search(origin)
    if match and Path(origin[: match.start()]).suffix.lower() in _RECORD_SUFFIXES:
        return origin[: match.start()], match.group()
    return origin, ""


def stored_origin(origin: str) -> str:
    """What the store keeps of where an article was read: a file's absolute path (so that a build
    run from another folder finds the same place), a URL as it is."""
    if not origin or "://" in origin:
        return safe_text(origin)
    path, line = _split_line(origin)
    return safe_text(os.path.abspath(path) + line)


def article_place(origin: str) -> str:
    """Where an article was found, for telling two texts with one id apart: the absolute path of
    its file (a record's file, whatever its line), or its URL; '' when unknown."""
    if not origin or "://" in origin:
        return safe_text(origin)
    return safe_text(os.path.abspath(_split_line(origin)[0]))


def candidate_ids(article_id: str, place: str, digest: str) -> tuple[str, str, str]:
    """The ids an article may be stored under, in the order tried: its own, then qualified by its
    place (``article1.txt@1f3a9c0e``: stable, so a rerun or an edit finds it again), then by
    its content."""
    where = hashlib.sha256(place.encode("utf-8")).hexdigest()[:8]
    return article_id, f"{article_id}@{where}", f"{article_id}@{digest[:12]}"


def normalize_url(url: str | None) -> str | None:
    """A URL without scheme, ``www.``, fragment, tracking parameters and trailing slash."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    if not host:
        return None
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k))
    path = re.sub(r"/(amp/?)?$", "", parts.path) or ""
    return host + path + (f"?{urlencode(query)}" if query else "")


def site(url: str | None) -> str:
    """The publisher of a URL (its host without ``www.``); '' when unknown."""
    norm = normalize_url(url)
    return norm.split("/", 1)[0].split("?", 1)[0] if norm else ""


def shingles(text: str, size: int = SHINGLE) -> set[bytes]:
    """Word ``size``-grams of the lowercased text (what MinHash compares)."""
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return {" ".join(words).encode()}
    return {" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)}


def _lsh_shape() -> tuple[int, int]:
    """(bands, rows) that datasketch's LSH picks for SIMILARITY and NUM_PERM."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=SIMILARITY, num_perm=NUM_PERM)
    return lsh.b, lsh.r


def signature(text: str) -> bytes:
    """The MinHash signature of a text, as bytes (NUM_PERM unsigned 64-bit values)."""
    from datasketch import MinHash

    minhash = MinHash(num_perm=NUM_PERM)
    minhash.update_batch(list(shingles(text)))
    return bytes(minhash.hashvalues.astype("<u8").tobytes())


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures (share of equal values)."""
    import numpy as np

    x, y = np.frombuffer(a, dtype="<u8"), np.frombuffer(b, dtype="<u8")
    return float((x == y).mean())


def band_keys(sig: bytes, bands: int, rows: int) -> list[tuple[int, int]]:
    """(band, key) pairs for the LSH index: equal keys in one band make candidates."""
    keys = []
    for band in range(bands):
        chunk = sig[band * rows * 8 : (band + 1) * rows * 8]
        keys.append((band, int.from_bytes(hashlib.blake2b(chunk, digest_size=7).digest(), "big")))
    return keys


# --- records read back -----------------------------------------------------------------------


@dataclass(frozen=True)
class Edge:
    """One aggregated edge: a (source, relation, target, negated) with its counts and dates."""

    source: str
    relation: str
    target: str
    negated: bool
    stories: int
    reports: int
    sources: int
    mentions: int
    confidence: float
    first_date: str | None
    last_date: str | None

    @property
    def weight(self) -> int:
        """Distinct stories: re-reports of one story do not add weight."""
        return self.stories


@dataclass(frozen=True)
class ActorCount:
    """An actor found in the store, with how often it appears."""

    id: str
    label: str
    kind: str
    events: int
    stories: int
    edges: int


@dataclass(frozen=True)
class Evidence:
    """One sentence behind an edge, with its article's metadata."""

    article: str
    title: str
    date: str | None
    url: str | None
    site: str
    story: int
    sentence: int
    source: str
    relation: str
    target: str
    negated: bool
    confidence: float
    text: str
    record: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The evidence entry of a graph edge (what HTML, JSON and GraphML show)."""
        return {
            "article": self.article,
            "date": self.date,
            "sentence": self.sentence,
            "text": self.text,
            "title": self.title,
            "url": self.url,
            "site": self.site,
            "story": self.story,
            "source_text": self.record.get("source_text", ""),
            "target_text": self.record.get("target_text", ""),
            "trigger": self.record.get("trigger", ""),
            "confidence": self.confidence,
        }


@dataclass(frozen=True)
class Stats:
    """Counts over the store (with the filters applied)."""

    articles: int
    stories: int
    events: int
    actors: int
    edges: int
    first_date: str | None
    last_date: str | None
    per_month: list[tuple[str, int]]
    extractors: list[tuple[str, int]]
    denied_events: int = 0  # events and edges the texts deny, counted apart whatever the filter says
    denied_edges: int = 0

    @property
    def counts(self) -> Counts:
        """The counts in the words every output uses."""
        return Counts(self.events, self.edges, self.denied_events, self.denied_edges)


@dataclass(frozen=True)
class Decision:
    """What a build does with an incoming article: skip, copy events, or extract."""

    action: str  # stored | copy | new | changed
    hash: str
    rowid: int | None = None  # the stored article it matches
    id: str = ""  # the id to store it under: the article's own, or qualified to keep two texts apart


# --- the store -------------------------------------------------------------------------------


class Store:
    """An SQLite file of articles and events (see the module docstring)."""

    def __init__(self, path: str | Path, create: bool = True, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        if not create and not self.path.is_file():
            what = "a folder, not a store file" if self.path.is_dir() else "no kgraph store here"
            raise StoreError(f"{self.path}: {what} (run `kgraph build ... -o DIR` first, or pass --db)")
        if create and not readonly:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise StoreError(f"{self.path.parent}: cannot make the store's folder ({err.strerror or err}); choose another --db or -o") from None
        _refuse_foreign(self.path)  # before anything is written: another program's file is never touched
        try:
            self.db = _connect_readonly(self.path) if readonly else self._connect_writable()
        except sqlite3.DatabaseError as err:
            raise store_problem(self.path, err) from None
        self._lsh: tuple[int, int] | None = None

    def _connect_writable(self) -> sqlite3.Connection:
        self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        try:
            self._wal()
            self.db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across process kills
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
            with self._transaction():  # a read-only file or folder is found now, before any work
                pass
        except BaseException:
            self.db.close()
            raise
        return self.db

    def _wal(self) -> None:
        """Switch the file to WAL. Two first builds at once both ask: SQLite answers "locked" at
        once (no busy wait: each holds the lock the other needs), so ask again until it is done."""
        for attempt in range(600):
            try:
                self.db.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as err:
                if "locked" not in str(err) or attempt == 599:
                    raise
                time.sleep(0.05)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the database (pending work is already committed)."""
        self.db.close()

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: store schema {version} is newer than this kgraph ({SCHEMA_VERSION}); upgrade kgraph")
        while version < SCHEMA_VERSION:
            with self._transaction():
                # read again under the write lock: a build that started at the same time may have migrated it
                version = self.db.execute("PRAGMA user_version").fetchone()[0]
                if version >= SCHEMA_VERSION:
                    break
                if version == 0 and self.db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]:
                    raise StoreError(f"{self.path}: not a kgraph store (another program's SQLite database); left untouched, give another --db")
                for statement in MIGRATIONS[version].split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {version + 1}")
                version += 1

    def _transaction(self) -> _Transaction:
        return _Transaction(self.db)

    @property
    def schema_version(self) -> int:
        """The schema version of the file."""
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    # --- writing ---------------------------------------------------------------------------

    def decide(self, article: Article, claimed: Mapping[str, tuple[str, str]] | None = None) -> Decision:
        """Whether ``article`` is already stored, a copy of a stored one, changed, or new, and the id
        it is stored under (:attr:`Decision.id`).

        An id names one text from one place: the same id from the same place with another text
        is that article edited (``changed``: it replaces the stored one); the same id from
        another place with another text is another article, stored under the id qualified by
        its place (see :func:`candidate_ids`), so that neither replaces the other. ``claimed``:
        ids given out in this run but not stored yet, with their (hash, place).
        """
        digest = content_hash(article.text)
        place = article_place(article.origin)
        candidates = candidate_ids(article.id, place, digest)
        article_id = candidates[-1]
        for candidate in candidates:
            row = self.db.execute("SELECT rowid, hash, origin FROM articles WHERE id = ?", (candidate,)).fetchone()
            taken = (row[1], article_place(row[2])) if row else (claimed or {}).get(candidate)
            if taken is None:
                article_id = candidate
                break
            if taken[0] == digest:
                return Decision("stored", digest, row[0] if row else None, candidate)
            if not place or not taken[1] or taken[1] == place:  # edited where it was found
                if row:
                    return Decision("changed", digest, row[0], candidate)
                article_id = candidate
                break
        norm = normalize_url(article.url)
        same = self.db.execute("SELECT rowid, norm_url FROM articles WHERE hash = ? ORDER BY rowid", (digest,)).fetchall()
        for rowid, stored_url in same:
            if stored_url == norm or norm is None:
                return Decision("stored", digest, rowid, article_id)  # the same text from the same place under another name
        if same:
            return Decision("copy", digest, same[0][0], article_id)  # the same text republished under another URL
        return Decision("new", digest, None, article_id)

    def add(
        self, article: Article, events: Sequence[Event], extractor: str, actors: dict[str, tuple[str, str]] | None = None
    ) -> int:
        """Store one article with its events in one transaction (replacing an older version).

        ``actors`` maps actor ids to (label, kind) for the actors table.
        """
        digest = content_hash(article.text)
        sig = signature(article.text)
        norm = normalize_url(article.url)
        with self._transaction():
            old = self.db.execute("SELECT rowid FROM articles WHERE id = ?", (article.id,)).fetchone()
            if old:
                self.db.execute("DELETE FROM events WHERE article = ?", (old[0],))
                self.db.execute("DELETE FROM bands WHERE article = ?", (old[0],))
            story = self._story(norm, sig, exclude=old[0] if old else None)
            values = (
                article.id,
                digest,
                article.url,
                norm,
                site(article.url),
                article.title,
                article.date,
                stored_origin(article.origin),
                article.text,
                extractor,
                sig,
            )
            if old:
                rowid = old[0]
                self.db.execute(
                    "UPDATE articles SET id=?, hash=?, url=?, norm_url=?, site=?, title=?, date=?, origin=?, text=?, "
                    "extractor=?, signature=?, story=? WHERE rowid=?",
                    (*values, story if story is not None else rowid, rowid),
                )
            else:
                cursor = self.db.execute(
                    f"INSERT INTO articles ({_ARTICLE_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?, COALESCE(?, 0))",
                    (*values, story),
                )
                rowid = int(cursor.lastrowid or 0)
                if story is None:  # a story of its own: named after its first report
                    self.db.execute("UPDATE articles SET story = rowid WHERE rowid = ?", (rowid,))
            bands, rows = self._shape()
            self.db.executemany(
                "INSERT INTO bands (band, key, article) VALUES (?, ?, ?)", [(b, k, rowid) for b, k in band_keys(sig, bands, rows)]
            )
            self._insert_events(rowid, events, article)
            for actor, (label, kind) in (actors or {}).items():
                self.db.execute("INSERT OR REPLACE INTO actors (id, label, kind) VALUES (?, ?, ?)", (actor, clean_label(label), kind))
            self._bump()
        return rowid

    def add_copy(self, article: Article, of: int) -> int:
        """Store a republished copy of stored article ``of``: same events, no parsing."""
        row = self.db.execute("SELECT extractor, signature, story FROM articles WHERE rowid = ?", (of,)).fetchone()
        events = [
            Event.from_dict(json.loads(r[0]))
            for r in self.db.execute("SELECT record FROM events WHERE article = ? ORDER BY rowid", (of,))
        ]
        events = [_rebase(e, article) for e in events]
        with self._transaction():
            cursor = self.db.execute(
                f"INSERT INTO articles ({_ARTICLE_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    article.id,
                    content_hash(article.text),
                    article.url,
                    normalize_url(article.url),
                    site(article.url),
                    article.title,
                    article.date,
                    stored_origin(article.origin),
                    article.text,
                    row[0],
                    row[1],
                    row[2],
                ),
            )
            rowid = int(cursor.lastrowid or 0)
            self._insert_events(rowid, events, article)
            self._bump()
        return rowid

    def _insert_events(self, rowid: int, events: Sequence[Event], article: Article) -> None:
        rows = []
        for e in events:
            u, v = (e.target, e.source) if e.relation in SYMMETRIC and e.target < e.source else (e.source, e.target)
            rows.append(
                (
                    rowid,
                    e.sentence,
                    e.source,
                    e.relation,
                    e.target,
                    u,
                    v,
                    int(e.negated),
                    e.confidence,
                    e.evidence,
                    json.dumps(e.to_dict(), ensure_ascii=False),
                    e.trigger,
                    e.source_text,
                    e.target_text,
                )
            )
        self.db.executemany(
            f"INSERT INTO events ({EVENT_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
        labels = {(e.source, e.source_label) for e in events} | {(e.target, e.target_label) for e in events}
        self.db.executemany(
            "INSERT OR IGNORE INTO actors (id, label, kind) VALUES (?, ?, 'other')", [(a, clean_label(label or a)) for a, label in labels]
        )

    def _shape(self) -> tuple[int, int]:
        if self._lsh is None:
            self._lsh = _lsh_shape()
        return self._lsh

    def _story(self, norm: str | None, sig: bytes, exclude: int | None) -> int | None:
        """The story an incoming text belongs to: same normalized URL, else the most similar text."""
        if norm:
            row = self.db.execute(
                "SELECT story FROM articles WHERE norm_url = ? AND rowid IS NOT ? ORDER BY rowid LIMIT 1", (norm, exclude)
            ).fetchone()
            if row:
                return int(row[0])
        bands, rows = self._shape()
        keys = band_keys(sig, bands, rows)
        # the newest CANDIDATES_PER_BAND articles of each matching band (a backwards range of the
        # band index): near-duplicate one-liners all share bands, and comparing a new text with every
        # earlier one made each insert slower than the last; the newest of a story carry its id
        each = f"SELECT article FROM bands WHERE band = ? AND key = ? ORDER BY rowid DESC LIMIT {CANDIDATES_PER_BAND}"
        candidates = self.db.execute(
            "SELECT a.rowid, a.story, a.signature FROM articles a "
            f"WHERE a.rowid IN ({' UNION '.join(f'SELECT * FROM ({each})' for _ in keys)}) AND a.rowid IS NOT ?",
            [x for pair in keys for x in pair] + [exclude],
        ).fetchall()
        best, best_story = SIMILARITY, None
        for _, story, other in sorted(candidates):
            score = similarity(sig, other)
            if score >= best and (best_story is None or score > best):
                best, best_story = score, int(story)
        return best_story

    def _bump(self) -> None:
        self.db.execute(
            "INSERT INTO meta (key, value) VALUES ('generation', '1') "
            "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )

    @property
    def generation(self) -> int:
        """A counter raised by every change: outputs built from an equal generation are current."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else 0

    def get_meta(self, key: str) -> str | None:
        """A value of the meta table (kgraph's bookkeeping)."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Set a value of the meta table."""
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def stale(self, extractor: str) -> Iterator[Article]:
        """The stored articles an extractor other than ``extractor`` produced (for ``--reprocess``)."""
        rows = self.db.execute(
            "SELECT id, text, title, date, url, origin FROM articles WHERE extractor != ? ORDER BY rowid", (extractor,)
        ).fetchall()
        for article_id, text, title, date, url, origin in rows:
            yield Article(id=article_id, text=text, title=title, date=date, url=url, origin=origin)

    def stale_count(self, extractor: str) -> int:
        """How many stored articles an extractor other than ``extractor`` produced."""
        return int(self.db.execute("SELECT COUNT(*) FROM articles WHERE extractor != ?", (extractor,)).fetchone()[0])

    # --- reading ---------------------------------------------------------------------------

    def article_count(self) -> int:
        """How many articles (reports) are stored."""
        return int(self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def article_ids(self) -> list[str]:
        """The ids of the stored articles, sorted."""
        return [r[0] for r in self.db.execute("SELECT id FROM articles ORDER BY id")]

    def stories(self) -> dict[int, list[str]]:
        """Each story with the ids of its reports."""
        found: dict[int, list[str]] = {}
        for story, article in self.db.execute("SELECT story, id FROM articles ORDER BY story, id"):
            found.setdefault(story, []).append(article)
        return found

    def events(self, f: GraphFilter | None = None) -> Iterator[Event]:
        """The stored events (filtered), streamed in article order."""
        where, params = _where(f or GraphFilter())
        for (record,) in self.db.execute(
            f"SELECT e.record FROM events e JOIN articles a ON a.rowid = e.article WHERE {where} ORDER BY a.rowid, e.rowid",
            params,
        ):
            yield Event.from_dict(json.loads(record))

    def event_lines(self, f: GraphFilter | None = None) -> Iterator[str]:
        """The stored events (filtered) as JSON lines, in article order: what ``write_events(self.events(f))``
        writes, without parsing and re-serializing each record (a record is stored as ``Event.to_dict()``)."""
        where, params = _where(f or GraphFilter())
        for (record,) in self.db.execute(
            f"SELECT e.record FROM events e JOIN articles a ON a.rowid = e.article WHERE {where} ORDER BY a.rowid, e.rowid",
            params,
        ):
            if "\\u00" in record or _LABEL_CONTROL.search(record):  # a label stored before labels were cleaned
                record = json.dumps(Event.from_dict(json.loads(record)).to_dict(), ensure_ascii=False)
            yield record + "\n"

    def edges(self, f: GraphFilter | None = None, actor: str | None = None, limit: int | None = None) -> list[Edge]:
        """Every edge passing the SQL filters (dates, relations, negation), strongest first (the
        strongest ``limit``); with ``actor``, only the edges that touch it (read through the
        indexes, not a full scan)."""
        order = "ORDER BY 5 DESC, 6 DESC, 8 DESC, e.u, e.relation, e.v, e.negated" + (f" LIMIT {int(limit)}" if limit is not None else "")
        return [Edge(r[0], r[1], r[2], bool(r[3]), *r[4:]) for r in self._aggregate(f or GraphFilter(), actor, order)]

    def _aggregate(self, f: GraphFilter, actor: str | None = None, order: str = "") -> sqlite3.Cursor:
        """Rows (u, relation, v, negated, stories, reports, sources, mentions, confidence, first
        date, last date), one per edge, as SQLite computes them (a cursor: nothing is held)."""
        where, params = _where(f)
        scan = "NOT INDEXED"  # a sequential scan beats index-order random reads when every event counts
        if actor is not None:
            where, params, scan = f"({where}) AND (e.u = ? OR e.v = ?)", [*params, actor, actor], ""
        return self.db.execute(
            f"""SELECT e.u, e.relation, e.v, e.negated, COUNT(DISTINCT a.story), COUNT(DISTINCT e.article),
                   COUNT(DISTINCT a.site), COUNT(*), MAX(e.confidence), MIN(a.date), MAX(a.date)
            FROM events e {scan} JOIN articles a ON a.rowid = e.article
            WHERE {where}
            GROUP BY e.u, e.relation, e.v, e.negated {order}""",
            params,
        )

    def evidence(
        self,
        source: str,
        relation: str,
        target: str,
        include_negated: bool = False,
        limit: int | None = None,
        f: GraphFilter | None = None,
    ) -> list[Evidence]:
        """The sentences behind an edge, newest first (symmetric relations in either order)."""
        u, v = (target, source) if relation in SYMMETRIC and target < source else (source, target)
        base = f or GraphFilter()
        where, params = _where(GraphFilter(since=base.since, until=base.until, include_negated=include_negated))
        sql = f"""SELECT a.id, a.title, a.date, a.url, a.site, a.story, e.sentence, e.source, e.relation, e.target, e.negated,
                         e.confidence, e.evidence, e.record
                  FROM events e JOIN articles a ON a.rowid = e.article
                  WHERE e.u = ? AND e.relation = ? AND e.v = ? AND {where} ORDER BY {_EVIDENCE_ORDER}"""
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [_evidence(r) for r in self.db.execute(sql, [u, relation, v, *params])]

    def actors(self, query: str | None = None) -> list[ActorCount]:
        """Actors found in the store (matching ``query`` in id or label), most events first."""
        rows = self.db.execute(
            """SELECT x.actor, COALESCE(ac.label, x.actor), COALESCE(ac.kind, 'other'), COUNT(*), COUNT(DISTINCT a.story),
                      COUNT(DISTINCT x.edge)
               FROM (SELECT article, u AS actor, u || ' ' || relation || ' ' || v || negated AS edge FROM events
                     UNION ALL SELECT article, v, u || ' ' || relation || ' ' || v || negated FROM events) x
               JOIN articles a ON a.rowid = x.article LEFT JOIN actors ac ON ac.id = x.actor
               GROUP BY x.actor"""
        ).fetchall()
        found = [ActorCount(r[0], clean_label(r[1]), *r[2:]) for r in rows]
        if query:
            q = query.casefold()
            found = [a for a in found if q in a.id.casefold() or q in a.label.casefold()]
        found.sort(key=lambda a: (-a.events, a.id))
        return found

    def resolve(self, actor: str) -> str | None:
        """The actor id for an id or label typed by a user (case-insensitive), or None."""
        row = self.db.execute(
            "SELECT id FROM actors WHERE id = ? COLLATE NOCASE OR label = ? COLLATE NOCASE ORDER BY id = ? DESC LIMIT 1",
            (actor, actor, actor),
        ).fetchone()
        return str(row[0]) if row else None

    def show(self, actor: str, f: GraphFilter | None = None) -> tuple[list[Edge], list[Edge]]:
        """The edges out of and into ``actor`` (symmetric ones in both lists), strongest first."""
        edges = self.edges(f, actor=actor)
        out = [e for e in edges if e.source == actor or (e.target == actor and e.relation in SYMMETRIC)]
        into = [e for e in edges if e.target == actor or (e.source == actor and e.relation in SYMMETRIC)]
        return out, into

    def labels(self) -> dict[str, tuple[str, str]]:
        """Actor id -> (label, kind)."""
        return {r[0]: (clean_label(r[1]), r[2]) for r in self.db.execute("SELECT id, label, kind FROM actors")}

    def stats(self, f: GraphFilter | None = None) -> Stats:
        """Counts, date range, events per month and extractor versions (filters applied)."""
        return self._stats(f or GraphFilter())

    def _stats(self, f: GraphFilter) -> Stats:
        where, params = _where(f)
        stated = _where(replace(f, include_negated=False))[0]
        row = self.db.execute(
            f"""SELECT COUNT(DISTINCT e.article), COUNT(DISTINCT a.story), COUNT(*), MIN(a.date), MAX(a.date)
                FROM events e NOT INDEXED JOIN articles a ON a.rowid = e.article WHERE {where}""",
            params,
        ).fetchone()
        everything, all_params = _where(replace(f, include_negated=True))
        split = self.db.execute(
            f"""SELECT COALESCE(SUM(n * (1 - negated)), 0), COALESCE(SUM(1 - negated), 0), COALESCE(SUM(n * negated), 0),
                       COALESCE(SUM(negated), 0)
                FROM (SELECT e.negated AS negated, COUNT(*) AS n FROM events e NOT INDEXED JOIN articles a ON a.rowid = e.article
                      WHERE {everything} GROUP BY e.u, e.relation, e.v, e.negated)""",
            all_params,
        ).fetchone()
        actors = self.db.execute(
            f"SELECT COUNT(*) FROM (SELECT e.u FROM events e NOT INDEXED JOIN articles a ON a.rowid = e.article WHERE {where} "
            f"UNION SELECT e.v FROM events e NOT INDEXED JOIN articles a ON a.rowid = e.article WHERE {where})",
            params + params,
        ).fetchone()[0]
        per_month = self.db.execute(
            f"""SELECT COALESCE(substr(a.date, 1, 7), 'undated'), COUNT(*) FROM events e NOT INDEXED JOIN articles a ON a.rowid = e.article
                WHERE {stated} GROUP BY 1 ORDER BY 1""",
            params,
        ).fetchall()
        extractors = self.db.execute("SELECT extractor, COUNT(*) FROM articles GROUP BY 1 ORDER BY 2 DESC").fetchall()
        return Stats(
            articles=row[0],
            stories=row[1],
            events=split[0],  # stated events and edges; the denied ones apart
            actors=actors,
            edges=split[1],
            first_date=row[3],
            last_date=row[4],
            per_month=[tuple(r) for r in per_month],
            extractors=[tuple(r) for r in extractors],
            denied_events=split[2],
            denied_edges=split[3],
        )

    def graph(self, f: GraphFilter | None = None, evidence_limit: int | None = EVIDENCE_LIMIT) -> nx.MultiDiGraph:
        """The graph of the store: one node per actor, one edge per (source, relation, target, negated).

        Edge attributes: ``relation``, ``negated``, ``directed``, ``quad_class``, ``weight``
        (= ``stories``), ``stories``, ``reports``, ``sources``, ``mentions``, ``confidence``,
        ``first_date``, ``last_date`` and ``evidence`` (the newest ``evidence_limit`` sentences;
        all with None). Node attributes: ``label``, ``kind``, ``mentions``, ``weight`` (stories).
        """
        return self._graph(f or GraphFilter(), evidence_limit)

    def _graph(self, f: GraphFilter, evidence_limit: int | None) -> nx.MultiDiGraph:
        import networkx as nx

        labels = self.labels()
        graph = nx.MultiDiGraph()
        # straight from the SQL cursor, the strings that repeat on every edge shared (relation, key,
        # dates): the graph is what a build holds in memory, so an edge costs as little as it can
        share = sys.intern
        for u, relation, v, negated, stories, reports, sources, mentions, confidence, first, last in self._aggregate(f):
            for actor in (u, v):
                if actor not in graph:
                    label, kind = labels.get(actor, (actor, "other"))
                    graph.add_node(actor, label=label, kind=kind, mentions=0, weight=0)
            relation = share(relation)
            graph.add_edge(
                u,
                v,
                key=share(f"{relation}|negated") if negated else relation,
                relation=relation,
                negated=bool(negated),
                directed=relation not in SYMMETRIC,
                quad_class=QUAD_CLASS[relation],
                weight=stories,
                stories=stories,
                reports=reports,
                sources=sources,
                mentions=mentions,
                confidence=round(confidence, 4),
                first_date=first and share(first),
                last_date=last and share(last),
                evidence=[],
            )
        if f.actor is not None or f.top is not None or f.min_weight:  # the filters SQL cannot apply
            graph = filter_graph(graph, f)
        if evidence_limit != 0:
            source = self.evidence_source(f)
            for u, v, _, data in ordered_edges(graph):
                data["evidence"] = source(u, data["relation"], v, data["negated"], evidence_limit)
        self._fill_nodes(graph, f)
        stats = self.db.execute(
            "SELECT COUNT(DISTINCT e.article), COUNT(DISTINCT a.story), MIN(a.date), MAX(a.date) "
            f"FROM events e NOT INDEXED JOIN articles a ON a.rowid = e.article WHERE {_where(f)[0]}",
            _where(f)[1],
        ).fetchone()
        graph.graph.update(
            articles=stats[0],
            stories=stats[1],
            **count_attributes(graph),
            first_date=stats[2],
            last_date=stats[3],
            filters=f.describe(),
        )
        if not f.include_negated:  # denied relations left out: still counted apart, as `kgraph stats` counts them
            everything, params = _where(replace(f, include_negated=True))
            denied = self.db.execute(
                f"""SELECT COALESCE(SUM(n), 0), COUNT(*) FROM (SELECT COUNT(*) AS n FROM events e NOT INDEXED
                      JOIN articles a ON a.rowid = e.article WHERE {everything} AND e.negated = 1 GROUP BY e.u, e.relation, e.v)""",
                params,
            ).fetchone()
            if denied[1]:
                graph.graph.update(denied_events=denied[0], denied_relations=denied[1])
                graph.graph["filters"] = "; ".join(p for p in (graph.graph["filters"], DENIED_LEFT_OUT) if p)
        return graph

    def edge_evidence(
        self,
        u: str,
        relation: str,
        v: str,
        negated: bool = False,
        limit: int | None = EVIDENCE_LIMIT,
        f: GraphFilter | None = None,
    ) -> list[dict[str, Any]]:
        """The ``evidence`` list :meth:`graph` puts on the edge ``u -relation-> v`` (its newest ``limit``
        sentences, all with None; ``u``, ``v`` as the graph has them), in one query through the edge
        index: a writer streaming a big graph fetches each edge's sentences as it writes the edge."""
        where, params = _where(f or GraphFilter(include_negated=True))
        sql = f"""SELECT {_EVIDENCE_SELECT} FROM events e JOIN articles a ON a.rowid = e.article
                  WHERE e.u = ? AND e.relation = ? AND e.v = ? AND e.negated = ? AND {where} ORDER BY {_EVIDENCE_ORDER}"""
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [dict(zip(_EVIDENCE_FIELDS, row, strict=True)) for row in self.db.execute(sql, [u, relation, v, int(negated), *params])]

    def evidence_source(self, f: GraphFilter | None = None) -> EvidenceCursor:
        """:meth:`edge_evidence` for many edges (a :data:`kgraph.export.EvidenceSource`): asked in
        :func:`kgraph.graph.edge_order`, as the file writers ask, it reads one pass over the events sorted by edge
        instead of a query per edge (an edge asked out of that order gets its own query)."""
        return EvidenceCursor(self, f or GraphFilter(include_negated=True))

    def _fill_nodes(self, graph: nx.MultiDiGraph, f: GraphFilter) -> None:
        # an actor's mentions and weight count what the texts state, as every output's counts do
        where, params = _where(replace(f, include_negated=False))
        rows = self.db.execute(
            f"""SELECT x.actor, COUNT(*), COUNT(DISTINCT x.story) FROM (
                    SELECT e.u AS actor, a.story AS story FROM events e NOT INDEXED JOIN articles a ON a.rowid = e.article WHERE {where}
                    UNION ALL SELECT e.v, a.story FROM events e NOT INDEXED JOIN articles a ON a.rowid = e.article WHERE {where}) x
                GROUP BY x.actor""",
            params + params,
        )
        for actor, mentions, stories in rows:
            if actor in graph:
                graph.nodes[actor].update(mentions=mentions, weight=stories)


class EvidenceCursor:
    """Each edge's newest evidence, read in one pass over the events sorted by edge (see
    :meth:`Store.evidence_source`); called like :meth:`Store.edge_evidence` without the filter."""

    def __init__(self, store: Store, f: GraphFilter) -> None:
        self.store, self.f = store, f
        self.rows: Iterator[tuple[Any, ...]] | None = None  # the sorted pass, started by the first call
        self.row: tuple[Any, ...] | None = None  # its next row
        self.last: tuple[str, str, str, bool] | None = None  # the edge asked last

    def __call__(self, u: str, relation: str, v: str, negated: bool = False, limit: int | None = EVIDENCE_LIMIT) -> list[dict[str, Any]]:
        edge = (u, v, relation, bool(negated))
        if self.last is not None and edge <= self.last:  # out of order: the pass has gone by
            return self.store.edge_evidence(u, relation, v, negated, limit, self.f)
        self.last = edge
        if self.rows is None:
            where, params = _where(self.f)
            self.rows = iter(self.store.db.execute(
                f"""SELECT e.u, e.v, e.relation, e.negated, {_EVIDENCE_SELECT}
                    FROM events e NOT INDEXED JOIN articles a ON a.rowid = e.article WHERE {where}
                    ORDER BY e.u, e.v, e.relation, e.negated, {_EVIDENCE_ORDER}""",
                params,
            ))  # fmt: skip
            self.row = next(self.rows, None)
        found: list[dict[str, Any]] = []
        cap = float("inf") if limit is None else limit
        while self.row is not None:
            at = (self.row[0], self.row[1], self.row[2], bool(self.row[3]))
            if at > edge:
                break
            if at == edge and len(found) < cap:  # rows before it: edges nobody asked for (filtered out)
                found.append(dict(zip(_EVIDENCE_FIELDS, self.row[4:], strict=True)))
            self.row = next(self.rows, None)
        return found


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception (the connection is in autocommit mode)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is None:
            self.db.execute("COMMIT")
        elif self.db.in_transaction:  # SQLite itself rolls back on some errors (a full disk): the error is what matters
            self.db.execute("ROLLBACK")


#: The fields of one graph evidence entry, in the order :meth:`Store.edge_evidence` selects them.
_EVIDENCE_FIELDS = ("article", "date", "title", "url", "site", "story", "sentence", "text", "source_text", "target_text", "trigger", "confidence")
_EVIDENCE_SELECT = "a.id, a.date, a.title, a.url, a.site, a.story, e.sentence, e.evidence, e.source_text, e.target_text, e.trigger, e.confidence"
#: Newest first; undated last; ties in article id and sentence order.
_EVIDENCE_ORDER = "a.date IS NULL, a.date DESC, a.id, e.sentence"


def _where(f: GraphFilter) -> tuple[str, list[Any]]:
    """The SQL condition (over ``e`` events and ``a`` articles) of the filters SQL can apply."""
    clauses, params = ["1"], []
    if not f.include_negated:
        clauses.append("e.negated = 0")
    if f.since:
        clauses.append("a.date >= ?")
        params.append(f.since)
    if f.until:
        clauses.append("a.date <= ?")
        params.append(f.until)
    if f.relations:
        clauses.append(f"e.relation IN ({','.join('?' for _ in f.relations)})")
        params.extend(f.relations)
    return " AND ".join(clauses), params


def _evidence(row: Sequence[Any]) -> Evidence:
    (article, title, date, url, site_, story, sentence, source, relation, target, negated, confidence, text, record) = row
    return Evidence(
        article,
        title,
        date,
        url,
        site_,
        story,
        sentence,
        source,
        relation,
        target,
        bool(negated),
        confidence,
        text,
        json.loads(record),
    )


def _rebase(event: Event, article: Article) -> Event:
    """An event of one report restated for a copy of it (its id, date, title and URL)."""
    from dataclasses import replace

    return replace(event, article=article.id, date=article.date, title=article.title, url=article.url)


def open_store(path: str | Path) -> Store:
    """An existing store opened for reading only (raises StoreError with a one-line reason when
    there is none): nothing is written to the file, so a read-only one (a read-only folder, a CD,
    a shared mount) can be read and a file that is not a kgraph store is refused untouched.
    A kgraph store of an older schema is migrated first when it can be written."""
    store = Store(path, create=False, readonly=True)
    if store.schema_version < SCHEMA_VERSION and os.access(store.path, os.W_OK) and os.access(store.path.parent, os.W_OK):
        store.close()
        store = Store(path, create=False)
    return store


_SQLITE_MAGIC = b"SQLite format 3\x00"


def _refuse_foreign(path: Path) -> None:
    """StoreError for a file that is not a kgraph store, read from its header without SQLite
    (which would switch the file to WAL or create tables): no byte of it is changed."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(108)
    except FileNotFoundError:
        return
    except IsADirectoryError:
        raise StoreError(f"{path}: is a folder, not a store file; give --db a file name") from None
    except OSError as err:
        raise StoreError(f"{path}: cannot read the store ({err.strerror or err})") from None
    if len(head) < 100:  # empty (new) or being created by another build this very moment
        if head and not _SQLITE_MAGIC.startswith(head[: len(_SQLITE_MAGIC)]):
            raise StoreError(f"{path}: not a kgraph store (not an SQLite database); give another --db")
        return
    if not head.startswith(_SQLITE_MAGIC):
        raise StoreError(f"{path}: not a kgraph store (not an SQLite database); give another --db")
    user_version = int.from_bytes(head[60:64], "big")
    schema_cells = int.from_bytes(head[103:105], "big") if len(head) >= 105 else 0
    if user_version == 0 and (head[100] != 0x0D or schema_cells > 0):  # tables, none of them kgraph's
        raise StoreError(f"{path}: not a kgraph store (another program's SQLite database); left untouched, give another --db")


def _connect_readonly(path: Path) -> sqlite3.Connection:
    """A connection that cannot write: ``mode=ro``; for a WAL store in a folder that cannot be
    written (no -shm file can be made), ``immutable=1``, which reads the file as it is."""
    from urllib.parse import quote

    base = f"file:{quote(str(path.absolute()))}?mode=ro"
    db = sqlite3.connect(base, uri=True, isolation_level=None, timeout=30)
    try:
        db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        db.close()
        db = sqlite3.connect(base + "&immutable=1", uri=True, isolation_level=None, timeout=30)
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if version > SCHEMA_VERSION:
            raise StoreError(f"{path}: store schema {version} is newer than this kgraph ({SCHEMA_VERSION}); upgrade kgraph")
        if version == 0 and not tables:  # a first build stopped before it wrote its schema
            raise StoreError(f"{path}: the store is empty (its first build stopped before writing anything); run `kgraph build` again")
        if version < 1 or not {"articles", "events", "bands", "actors", "meta"} <= tables:
            raise StoreError(f"{path}: not a kgraph store (no kgraph tables); left untouched, give another --db")
        db.execute("PRAGMA query_only = ON")
    except BaseException:
        db.close()
        raise
    return db


def store_problem(path: str | Path, err: BaseException) -> StoreError:
    """A StoreError that says what happened to the store and what to do, for an SQLite error."""
    message = str(err)
    name = getattr(err, "sqlite_errorname", "") or ""
    if isinstance(err, StoreError):
        return err
    if "full" in message or name.startswith("SQLITE_FULL"):
        return StoreError(f"{path}: the disk is full ({message}); free some space and run again (every article stored so far is kept)")
    if "readonly" in message or "read-only" in message or name.startswith("SQLITE_READONLY") or name.startswith("SQLITE_CANTOPEN"):
        return StoreError(
            f"{path}: the store cannot be written ({message}); make it and its folder writable, or build into another --db or -o"
        )
    if "locked" in message or name.startswith("SQLITE_BUSY"):
        return StoreError(f"{path}: the store is busy ({message}): another kgraph is writing it; run again when it is done")
    if "malformed" in message or "not a database" in message or name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return StoreError(
            f"{path}: the store is damaged ({message}); recover it with `sqlite3 {path} .recover | sqlite3 recovered.db` "
            "and use --db recovered.db, or restore a copy"
        )
    if "disk I/O" in message or name.startswith("SQLITE_IOERR"):
        return StoreError(f"{path}: cannot read or write the store ({message}); check the disk and free space, then run again")
    return StoreError(f"{path}: not a kgraph store ({message})")


__all__ = [
    "EVIDENCE_LIMIT",
    "ActorCount",
    "Decision",
    "Edge",
    "Evidence",
    "Stats",
    "Store",
    "StoreError",
    "article_place",
    "candidate_ids",
    "content_hash",
    "normalize_url",
    "open_store",
    "store_problem",
]
