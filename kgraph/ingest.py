"""Read articles from files, folders, web pages and feeds into :class:`Article` records.

Supported inputs:

- ``.txt``/``.md`` articles, and folders of inputs (searched recursively, hidden files and the
  ``NAME_files`` folders that browsers save beside ``NAME.html`` skipped);
- ``.jsonl``/``.json``/``.csv`` files of records with a ``text`` field and optional ``id``,
  ``title``, ``date``, ``url``;
- ``.html``/``.htm``/``.xhtml`` pages (saved from a browser or downloaded): the main text, title,
  publication date and canonical URL, extracted with trafilatura (menus, share buttons,
  captions and comments left out);
- ``http(s)://`` URLs of pages, and URL lists: a ``.urls`` file, or a ``.txt`` file whose every
  non-empty line (``#`` comment lines aside) is an http(s) URL; one URL per line;
- RSS/Atom feeds (``ReadOptions.feeds``: a URL or a saved feed file): every entry's page.

A ``.txt`` article: the first non-empty line is the title; ``Key: value`` header lines
(``Date``, ``Source``, ``URL``, ...) before the first blank line are metadata; a free-standing
date line near the top is the date; share-button debris and a leading dateline
("WASHINGTON:") are removed so that they never become actors or evidence.

Every text goes through :func:`normalize_text` (mojibake repaired, quotes straightened,
zero-width characters and soft hyphens dropped, spaces unified) before the parser sees it.
Files are read as UTF-8 (with or without BOM) or UTF-16 with a BOM; a file that is not valid
UTF-8 is read as Windows-1252/Latin-1 only when charset-normalizer names that encoding and the
result looks like text; anything else is refused with a one-line reason.

Problems with one input never stop the others: they are reported through ``on_problem`` as
:class:`Problem` records, one per file, record or URL, and reading goes on.
"""

from __future__ import annotations

import csv
import email.utils
import errno
import functools
import io
import json
import logging
import os
import re
import stat
import unicodedata
import warnings
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from .fetch import Fetcher, FetchError, Response, is_url
from .records import Article

TEXT_SUFFIXES = frozenset({".txt", ".md"})
RECORD_SUFFIXES = frozenset({".jsonl", ".json", ".csv"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
URL_LIST_SUFFIXES = frozenset({".urls"})
SUFFIXES = TEXT_SUFFIXES | RECORD_SUFFIXES | HTML_SUFFIXES | URL_LIST_SUFFIXES
DEFAULT_MAX_BYTES = 50_000_000
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
MIN_PAGE_WORDS = 5  # fewer is a menu or a "Home" link that the extractor fell back on, not an article
LANGUAGE_SAMPLE = 1000  # characters the language detector reads: enough to be sure, cheap next to parsing

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Problem:
    """An input that was skipped (or partly skipped), with a one-line reason."""

    origin: str  # "path", "path:line" or a URL
    message: str

    def __str__(self) -> str:
        return terminal_safe(f"{self.origin}: {self.message}")


_SURROGATE = re.compile("[\ud800-\udfff]")
# C0/C1 control characters but tab and newline: XML cannot hold them and no article needs them
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Text that any UTF-8 stream accepts: lone surrogates (undecodable file names) become U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


# what a terminal must not be sent raw: control characters (escape sequences start with ESC), the
# bidirectional overrides, and lone surrogates (the bytes of a file name that is not UTF-8)
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """Text fit for one line on a terminal: control characters, escape codes, bidirectional
    overrides and the undecodable bytes of file names written as ``\\x1b``, ``\\u202e``, ``\\xff``."""
    return _UNPRINTABLE.sub(_escape, text)


ProblemHandler = Callable[[Problem], None]


@dataclass(frozen=True)
class ReadOptions:
    """How to read the inputs besides the size cap.

    ``languages``: ISO 639-1 codes of the articles to keep (others are reported and skipped);
    None keeps every article without detecting its language. ``fetcher``: how URLs and feeds
    are fetched (a default :class:`~kgraph.fetch.Fetcher` with the user's cache when None).
    """

    dayfirst: bool = False
    languages: frozenset[str] | None = None
    feeds: tuple[str, ...] = ()
    fetcher: Fetcher | None = None


# --- dates ---------------------------------------------------------------------------------

_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y%m%d",
    "%Y/%m/%d",
    "%a %b %d %Y",  # Tue Jun 18 2024
    "%A %B %d %Y",
    "%a, %b %d, %Y",
    "%A, %B %d, %Y",  # Tuesday, June 18, 2024
    "%B %d, %Y",  # June 18, 2024
    "%b %d, %Y",
    "%b. %d, %Y",
    "%B %d %Y",
    "%d %B %Y",  # 18 June 2024
    "%d %b %Y",
    "%a, %d %b %Y",
    "%A, %d %B %Y",
)
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?$", re.I)
_RFC822 = re.compile(r"^(?:[A-Za-z]{3},\s*)?\d{1,2} [A-Za-z]{3} \d{2,4} \d{2}:\d{2}")
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_YEAR = re.compile(r"\b(1[89]\d\d|2[01]\d\d)\b")
_MONTH_WORD = re.compile(r"(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?![a-z])")
_TIME_TAIL = re.compile(r"(?i)(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*\(?[A-Z]{2,5}\)?|\s*[+-]\d{2}:?\d{2})?)$")


def parse_date(value: object, dayfirst: bool = False) -> str | None:
    """An ISO ``YYYY-MM-DD`` date from the forms news uses, or None when it is not one.

    Accepted: ISO 8601 (with a time and zone: the date as written), RFC 822 feed and HTTP
    dates, "Tue Jun 18 2024", "June 18, 2024", "18 June 2024" and similar with an optional
    time, and numeric ``06/18/2024`` (month first unless ``dayfirst``; unambiguous when one
    part is over 12).
    """
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        return None
    text = re.sub(r"\s+", " ", str(value)).strip().rstrip(".")
    if not text or len(text) > 60:
        return None
    iso = _ISO.match(text)
    if iso:
        return _valid_date(int(iso[1]), int(iso[2]), int(iso[3]))
    if _RFC822.match(text):
        try:
            return email.utils.parsedate_to_datetime(text).date().isoformat()
        except (TypeError, ValueError, IndexError):
            pass
    numeric = _NUMERIC.match(text)
    if numeric:
        first, second, year = int(numeric[1]), int(numeric[2]), int(numeric[3])
        day_first = dayfirst if first <= 12 and second <= 12 else first > 12
        return _valid_date(year, second, first) if day_first else _valid_date(year, first, second)
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text)
    text = text.replace("Sept ", "Sep ").replace("Sept. ", "Sep. ")
    bare = _TIME_TAIL.sub("", text).strip().rstrip(",")
    for candidate in (text, bare):
        for fmt in _DATE_FORMATS:
            try:
                return datetime.strptime(candidate, fmt).date().isoformat()
            except ValueError:
                continue
    return _fuzzy_date(text, dayfirst)


def _valid_date(year: int, month: int, day: int) -> str | None:
    try:
        return datetime(year, month, day).date().isoformat()
    except ValueError:
        return None


def _fuzzy_date(text: str, dayfirst: bool) -> str | None:
    """dateutil for the remaining forms, only when a year and a month name are written out."""
    year = _YEAR.search(text)
    if not year or not _MONTH_WORD.search(text) or sum(c.isalpha() for c in text) > 30:
        return None
    from dateutil import parser as dateparser

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # unknown zone names ("BST") do not change the date
            found = dateparser.parse(text, dayfirst=dayfirst, ignoretz=True, default=datetime(1, 1, 1))
    except (ValueError, OverflowError, TypeError):
        return None
    # dateutil fills a missing day from the default: "June 2024" is a month, not a date
    if found.year != int(year[1]) or found.day == 1 and not re.search(r"\b0?1\b", text):
        return None
    return found.date().isoformat()


# --- decoding and normalization ------------------------------------------------------------

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_LEGACY = frozenset({"cp1252", "latin_1", "iso8859_15", "windows-1252", "iso-8859-1", "iso-8859-15"})
# a valid multi-byte UTF-8 sequence: a file holding one is broken UTF-8, not a legacy file
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
# characters a Western legacy text uses beyond ASCII: Latin letters and typographic signs
_LONE_ACCENTED = frozenset({"à", "À", "é", "É", "ó", "ò", "è"})  # one-letter words of French, Portuguese, Italian
_LEGACY_SIGNS = frozenset("‘’‚“”„–—…•€£¥©®°±·§¶«»¿¡ ×÷½¼¾²³´¨¸ºª")


# file signatures of what scrapers save under a text extension, for a message that says what it is
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive or an Office document"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh91AY", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "a program (ELF)"),
    (b"SQLite format 3\x00", "an SQLite database"),
)


def _binary_kind(data: bytes) -> str | None:
    """What a binary file is, from its first bytes (None when no known signature)."""
    return next((kind for magic, kind in _MAGIC if data.startswith(magic)), None)


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """The text of ``data``; raises ValueError with a one-line, user-facing reason.

    UTF-8 (BOM or not) and UTF-16 with a BOM are read as such; a ``declared`` charset (HTTP
    header or HTML meta) is tried next; then Windows-1252/Latin-1 when charset-normalizer
    names it and the text looks like text. Binary data and garbage are refused.
    """
    kind = _binary_kind(data)
    if kind:
        raise ValueError(f"looks like a binary file ({kind}), not text")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                raise ValueError(f"starts with a {codec.upper()} byte order mark but is not valid {codec.upper()}") from None
            if not _looks_like_text(text):
                raise ValueError("looks like a binary file, not text")
            log.debug("decoded as %s", codec)
            return text
    if b"\x00" in data[:8192]:
        raise ValueError("looks like a binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        utf8_error = err
    if declared:
        named = _codec(declared)
        if named and named != "utf-8":
            try:
                text = data.decode(named)
            except (UnicodeDecodeError, LookupError):
                text = ""
            if text and _looks_like_text(text):
                log.debug("decoded as declared %s", named)
                return text
    legacy = _legacy_text(data)
    if legacy is not None:
        return legacy
    line = data[: utf8_error.start].count(b"\n") + 1
    raise ValueError(f"line {line}: not valid UTF-8 (byte {utf8_error.start})")


def _codec(name: str) -> str | None:
    """Python's codec for a declared charset; Latin-1 and ASCII read as Windows-1252, as browsers do."""
    import codecs

    try:
        codec = codecs.lookup(name.strip().strip("'\"")).name
    except LookupError:
        return None
    return "cp1252" if codec in ("latin-1", "iso8859-1", "ascii") else codec


def _legacy_text(data: bytes) -> str | None:
    """Windows-1252/Latin-1 text, when that is confidently what ``data`` is."""
    if _UTF8_SEQUENCE.search(data):
        return None
    high = sum(1 for b in data if b >= 0x80)
    if high > len(data) * 0.3:
        return None  # a Western text is mostly ASCII; this is something else
    from charset_normalizer import from_bytes

    # single-byte Latin code pages are near twins on short texts (cp1250 ranks first as often as
    # cp1252): accept when charset-normalizer finds Windows-1252/Latin-1 a clean reading at all
    found = [m for m in from_bytes(data[:200_000]) if _LEGACY & {m.encoding, *m.could_be_from_charset} and m.chaos <= 0.1]
    if not found:
        return None
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    if not _looks_like_text(text):
        return None
    extra = [c for c in text if ord(c) >= 0x80]
    if any(not (c.isalpha() and unicodedata.name(c, "").startswith("LATIN")) and c not in _LEGACY_SIGNS for c in extra):
        return None
    # accented letters sit inside words with plain letters ("café", "Zürich"); "ÿþ" or "Ã(" alone are garbage
    if any(not word.isascii() and word not in _LONE_ACCENTED for word in re.findall(r"(?<![A-Za-z])[^\x00-\x7f\W]+(?![A-Za-z])", text)):
        return None
    log.debug("decoded as cp1252 (charset-normalizer: %s, chaos %.2f)", found[0].encoding, found[0].chaos)
    return text


def _looks_like_text(text: str) -> bool:
    """No control characters but whitespace, no unassigned or private-use code points."""
    for c in text[:100_000]:
        if c in "\t\n\r\f":
            continue
        if unicodedata.category(c) in ("Cc", "Cn", "Co", "Cs"):
            return False
    return True


_DROP = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e"), None)  # soft hyphen, zero-width
# odd quotes become the usual curly ones; those are kept so that evidence quotes the article verbatim
_QUOTES = str.maketrans({"‚": "‘", "‛": "‘", "′": "’", "‹": "‘", "›": "’", "„": "“", "‟": "“", "″": "”", "«": "“", "»": "”"})
_SPACE = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")


def normalize_text(text: str) -> str:
    """Text as the parser should see it: mojibake repaired, usual quotes, one kind of space.

    Used by every reader. Soft hyphens and zero-width characters are dropped; low, reversed
    and angle quotes and primes become curly quotes; Unicode spaces become one space; line
    structure is kept (headers and paragraphs depend on it).
    """
    if not text.isascii() or "&" in text or "\x1b" in text:
        import ftfy

        text = ftfy.fix_text(text, unescape_html="auto", uncurl_quotes=False, fix_line_breaks=True, normalization="NFC")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\v", "\n").translate(_DROP).translate(_QUOTES)
    # records may carry what no file decoder lets through: NULs, escapes, lone surrogates ("\\ud800")
    text = _SURROGATE.sub("\ufffd", _CONTROL.sub("", text))
    return "\n".join(_SPACE.sub(" ", line).strip() for line in text.split("\n"))


# --- text cleaning -------------------------------------------------------------------------

# Page debris: share buttons, icon classes and navigation words standing on their own line.
_DEBRIS_WORD = re.compile(
    r"(?i)^(icon-[\w-]+|share|tweet|print|email|e-mail|whatsapp|facebook|twitter|linkedin|"
    r"telegram|reddit|pinterest|copy link|advertisement|comments?|read more|related|follow us)$"
)
# A dateline opening the body: "WASHINGTON:", "SEOUL, South Korea (AP) —", "KYIV -".
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z.'’\-]+(?: [A-Z][A-Z.'’\-]+){0,3})(?:, [A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+){0,2})?"
    r"(?: \([^)]{1,30}\))?\s*(?::|—|–|--| - )\s*"
)
_HEADER = re.compile(r"^(?P<key>[A-Za-z][A-Za-z -]{0,20}):\s*(?P<value>.+)$")
_BYLINE = re.compile(r"^By [A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3}(?:,? .{0,40})?$")


def _is_debris(line: str) -> bool:
    words = re.split(r"[\s|·•]+", line.strip())
    return bool(words) and all(_DEBRIS_WORD.match(w) for w in words if w)


def clean_body(text: str) -> str:
    """Body text without debris lines, bylines and a leading dateline; paragraphs kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00ad", "")
    text = text.replace("\u00a0", " ").replace("\ufeff", "")
    lines = []
    for raw in text.split("\n"):
        line = raw.strip()
        if line and (_is_debris(line) or _BYLINE.match(line)):
            continue
        # debris glued to the end of a line ("...norms. icon-facebook icon-twitter")
        line = re.sub(r"(\s*\bicon-[\w-]+)+\s*$", "", line)
        lines.append(line)
    paragraphs = [re.sub(r"[ \t]+", " ", p).strip() for p in "\n".join(lines).split("\n\n")]
    paragraphs = [p for p in paragraphs if p]
    if paragraphs:
        paragraphs[0] = _DATELINE.sub("", paragraphs[0], count=1)
    return "\n\n".join(paragraphs)


def compose_text(title: str, body: str) -> str:
    """The text the parser sees: the title as its own paragraph, then the body."""
    title = re.sub(r"\s+", " ", title).strip()
    return f"{title}\n\n{body}" if title else body


def parse_text_article(raw: str, article_id: str, origin: str = "", dayfirst: bool = False) -> Article:
    """An Article from the text of a ``.txt``/``.md`` file (see the module docstring)."""
    lines = normalize_text(raw).split("\n")
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    title = lines[i].strip().lstrip("#").strip() if i < len(lines) else ""
    i += 1
    meta: dict[str, str] = {}
    # header lines right after the title, up to the first blank line
    while i < len(lines) and lines[i].strip():
        match = _HEADER.match(lines[i].strip())
        if not match:
            break
        meta[match["key"].strip().lower()] = match["value"].strip()
        i += 1
    body_lines = lines[i:]
    date = parse_date(meta.get("date") or meta.get("published") or "", dayfirst)
    # a free-standing date line among the first few non-empty lines ("Tue Jun 18 2024")
    seen = 0
    for j, line in enumerate(body_lines):
        if not line.strip():
            continue
        seen += 1
        if seen > 4:
            break
        found = parse_date(line, dayfirst)
        if found:
            date = date or found
            body_lines[j] = ""
            break
    url = meta.get("url") or meta.get("source") or meta.get("link")
    if url and not re.match(r"(?i)^https?://", url):
        url = None
    return Article(
        id=article_id,
        text=compose_text(title, clean_body("\n".join(body_lines))),
        title=title,
        date=date,
        url=url,
        origin=origin or article_id,
    )


def _json_kind(value: object) -> str:
    """How a user calls a JSON value's type: "a number", "a list", "an object"."""
    names = {bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "an object", str: "a string"}
    return names.get(type(value), f"a {type(value).__name__}")


def _one_line(value: str) -> str:
    """An id or URL from a record: one line, no control characters or lone surrogates."""
    return re.sub(r"\s+", " ", _SURROGATE.sub("\ufffd", _CONTROL.sub("", value))).strip()


def article_from_record(record: object, default_id: str, origin: str, dayfirst: bool = False) -> Article:
    """An Article from a JSON/CSV record; raises ValueError with a user-facing reason."""
    if not isinstance(record, dict):
        raise ValueError(f"record is {_json_kind(record)}, not an object with a 'text' field")
    text = record.get("text")
    if text is None:
        raise ValueError("record has no 'text' field")
    if not isinstance(text, str):
        raise ValueError(f"'text' is {_json_kind(text)}, not a string")
    text = clean_body(normalize_text(text))
    if not text.strip():
        raise ValueError("'text' is empty")  # also when only page debris or control characters were there
    title = record.get("title") or ""
    title = normalize_text(title if isinstance(title, str) else str(title))
    rid = record.get("id")
    rid = _one_line(str(rid)) if isinstance(rid, (str, int)) else ""
    article_id = rid or default_id
    url = _one_line(record["url"]) if isinstance(record.get("url"), str) else None
    return Article(
        id=article_id,
        text=compose_text(title, text),
        title=title.strip(),
        date=parse_date(record.get("date"), dayfirst),
        url=url or None,
        origin=origin,
    )


# --- HTML pages ----------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(https?://[^\s>]+?)\s*-->", re.I)


def decode_html(data: bytes, charset: str | None = None) -> str:
    """The page's text: its HTTP charset, else its ``<meta charset>``, else as any text file."""
    declared: str | None = charset
    if not declared:
        meta = _META_CHARSET.search(data[:4096])
        declared = meta.group(1).decode("ascii", "replace") if meta else None
    return decode_bytes(data, declared)


def parse_html_article(html: str, article_id: str, origin: str = "", url: str | None = None, dayfirst: bool = False) -> Article:
    """An Article from a news page: main text, title, date and canonical URL (trafilatura).

    Raises ValueError when the page has no article text.
    """
    import trafilatura

    saved = _SAVED_FROM.search(html[:4096])
    page_url = url or (saved.group(1) if saved else None)
    doc: Any = trafilatura.bare_extraction(
        html,
        url=page_url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        favor_precision=True,
        deduplicate=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = normalize_text(getattr(doc, "text", None) or "") if doc is not None else ""
    if not text.strip():
        raise ValueError("no article text found in the page")
    title = normalize_text(getattr(doc, "title", None) or "").replace("\n", " ").strip()
    paragraphs = [p for p in text.split("\n") if p.strip()]
    if paragraphs and title and paragraphs[0].strip() == title:
        paragraphs = paragraphs[1:]  # the headline repeated at the top of the body
    body = clean_body("\n\n".join(paragraphs))
    if len(body.split()) < MIN_PAGE_WORDS:
        raise ValueError("no article text found in the page")
    canonical = getattr(doc, "url", None)
    return Article(
        id=article_id,
        text=compose_text(title, body),
        title=title,
        date=parse_date(getattr(doc, "date", None), dayfirst),
        url=canonical if is_url(canonical) else page_url,
        origin=origin or article_id,
    )


# --- URL lists and feeds -------------------------------------------------------------------


def url_lines(text: str) -> list[tuple[int, str]] | None:
    """(line number, line) of a URL list: the non-empty lines that are not ``#`` comments.

    None when the text is not a URL list (some line is not an http(s) URL).
    """
    lines = [(n, line.strip()) for n, line in enumerate(text.split("\n"), 1) if line.strip() and not line.lstrip().startswith("#")]
    if not lines or not all(is_url(line) for _, line in lines):
        return None
    return lines


@dataclass(frozen=True)
class FeedEntry:
    """One entry of an RSS/Atom feed: the page it links to and what the feed says of it."""

    link: str
    title: str = ""
    date: str | None = None


def feed_entries(data: bytes, dayfirst: bool = False) -> list[FeedEntry]:
    """The entries of an RSS/Atom document; raises ValueError when it is not a feed."""
    import feedparser

    parsed = feedparser.parse(data)  # bytes: feedparser never fetches anything itself
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        raise ValueError(f"not an RSS or Atom feed{f' ({str(reason).splitlines()[0]})' if reason else ''}")
    entries = []
    for entry in parsed.entries:
        link = entry.get("link") or ""
        published = entry.get("published") or entry.get("updated") or ""
        entries.append(FeedEntry(link=link.strip(), title=normalize_text(entry.get("title") or "").strip(), date=parse_date(published, dayfirst)))
    return entries


# --- languages -----------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _language_detector() -> Any:
    from lingua import LanguageDetectorBuilder

    # low-accuracy mode reads trigrams only: ~3 ms per article, plenty on a 1,000-character sample
    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


@functools.lru_cache(maxsize=512)
def _detect_sample(sample: str) -> str | None:
    values = _language_detector().compute_language_confidence_values(sample)
    if not values or values[0].value < 0.5:
        return None
    return str(values[0].language.iso_code_639_1.name).lower()


# Common English words that are not words of another language written in Latin letters (no "in",
# "a", "was", "on", "die"): a tenth or more of any English news text, next to none of another's.
_ENGLISH_WORDS = frozenset(
    ["the", "of", "and", "to", "that", "for", "with", "by", "it", "from", "has", "have", "are", "be", "its", "not", "were", "said"]
    + ["which", "this", "his", "their", "at"]
)
_WORD = re.compile(r"[^\W\d_]+")


def _plainly_english(sample: str) -> bool:
    """Whether the sample is English beyond doubt: 20 words or more, a twelfth of them (and three
    different ones) common English words, or a sixth (two different ones). Lingua's detector
    costs ~3.5 ms an article, and 0.3 s to load its models on the first; it says "en" of such
    texts anyway (checked on the eval, data and generated articles). This check costs 0.03 ms."""
    words = _WORD.findall(sample.lower())
    if len(words) < 20:
        return False
    common = [w for w in words if w in _ENGLISH_WORDS]
    kinds = len(set(common))
    return (len(common) >= len(words) / 12 and kinds >= 3) or (len(common) >= len(words) / 6 and kinds >= 2)


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the text's language, or None when too short or unsure."""
    sample = text[:LANGUAGE_SAMPLE]
    if sum(c.isalpha() for c in sample) < 40:
        return None
    if _plainly_english(sample):
        return "en"
    return _detect_sample(sample)


def language_name(code: str) -> str:
    """"German" for "de" (the code itself when unknown)."""
    import pycountry

    found = pycountry.languages.get(alpha_2=code)
    return str(found.name) if found else code


# --- files ---------------------------------------------------------------------------------


_FILE_TYPES = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, never more than ``max_bytes``; raises ValueError with a user-facing reason."""
    # non-blocking: opening a named pipe for reading would otherwise wait for a writer forever
    with open(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb", buffering=0) as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            kind = next((name for test, name in _FILE_TYPES if test(info.st_mode)), "not a file")
            raise ValueError(f"is {kind}, not a regular file")
        if info.st_size > max_bytes:
            raise ValueError(f"file is {info.st_size:,} bytes, over the limit of {max_bytes:,} (see --max-bytes)")
        data = handle.read(max_bytes + 1)  # the size may lie (a file still being written, /proc)
    if len(data) > max_bytes:
        raise ValueError(f"file is over the limit of {max_bytes:,} bytes (see --max-bytes)")
    return data


def _read_text(path: Path, max_bytes: int) -> str:
    """The file's text; raises ValueError with a user-facing reason."""
    return decode_bytes(_read_bytes(path, max_bytes))


def _json(text: str) -> object:
    """Parsed JSON; every way it can fail is a ValueError with a one-line reason."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise ValueError(f"broken JSON ({err.msg})") from None
    except RecursionError:
        raise ValueError("broken JSON (nested too deeply)") from None
    except ValueError:  # Python refuses integers of thousands of digits
        raise ValueError("broken JSON (a number with too many digits)") from None


def _records(path: Path, text: str) -> Iterator[tuple[int, object]]:
    """(line number, record) pairs; a record that cannot be parsed is a ValueError."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        for n, line in enumerate(text.split("\n"), 1):
            if line.strip():
                try:
                    yield n, _json(line)
                except ValueError as err:
                    yield n, err
    elif suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise ValueError(f"line {err.lineno}: broken JSON ({err.msg})") from None
        except (RecursionError, ValueError):
            data = _json(text)  # raises the one-line reason
        if isinstance(data, dict) and isinstance(data.get("articles"), list):
            data = data["articles"]
        items = data if isinstance(data, list) else [data]
        for n, item in enumerate(items, 1):
            yield n, item
    else:  # .csv
        yield from _csv_records(text)


def _csv_records(text: str) -> Iterator[tuple[int, object]]:
    # newline="": quoted fields keep their line breaks; the whole file is in memory, so no field can exceed it
    reader = csv.reader(io.StringIO(text, newline=""))
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(text) + 1))
    try:
        try:
            header = next(reader, None)
        except csv.Error as err:
            raise ValueError(f"broken CSV header ({err})") from None
        if not header or "text" not in [h.strip().lower() for h in header]:
            raise ValueError("CSV has no 'text' column")
        names = [h.strip().lower() for h in header]
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                yield reader.line_num, ValueError(f"broken CSV row ({err})")
                continue
            n = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(names):
                yield n, ValueError(f"row has {len(row)} fields, the header has {len(names)}")
                continue
            yield n, dict(zip(names, row, strict=True))
    finally:
        csv.field_size_limit(limit)


def _reason(err: BaseException) -> str:
    if isinstance(err, PermissionError):
        return "permission denied"
    if isinstance(err, FileNotFoundError):
        return "no such file or folder"
    if isinstance(err, OSError) and err.errno == errno.ELOOP:
        return "symlink loop (a link that points back to itself)"
    if isinstance(err, OSError):
        return err.strerror or str(err)
    return str(err)


def input_files(path: Path, on_problem: ProblemHandler) -> Iterator[tuple[Path, str]]:
    """The readable files under ``path`` with their article ids (paths relative to it).

    Symlinked folders are followed once: a link back to a folder being read is a loop and is
    reported, a second link to a folder already read is skipped silently.
    """
    try:
        mode = path.stat().st_mode
    except OSError as err:
        on_problem(Problem(str(path), "broken symlink" if isinstance(err, FileNotFoundError) and path.is_symlink() else _reason(err)))
        return
    if not stat.S_ISDIR(mode):
        yield path, printable(path.name)  # a file, or a pipe or device that reading reports
        return

    def walk_error(err: OSError) -> None:
        on_problem(Problem(str(err.filename or path), _reason(err)))

    found = False
    seen: set[str] = set()
    for folder, dirs, files in os.walk(path, onerror=walk_error, followlinks=True):
        real = os.path.realpath(folder)
        seen.add(real)
        pages = {Path(f).stem for f in files if Path(f).suffix.lower() in HTML_SUFFIXES}
        kept = []
        # "Save page, complete" puts scripts, frames and ads in NAME_files beside NAME.html
        for d in sorted(d for d in dirs if not d.startswith(".") and not (d.endswith("_files") and d[: -len("_files")] in pages)):
            target = os.path.realpath(os.path.join(folder, d))
            if target == real or real.startswith(target.rstrip(os.sep) + os.sep):
                on_problem(Problem(os.path.join(folder, d), f"symlink loop (points back to {target}), not followed"))
            elif target not in seen:
                seen.add(target)
                kept.append(d)
        dirs[:] = kept
        for name in sorted(files):
            if name.startswith(".") or Path(name).suffix.lower() not in SUFFIXES:
                continue
            found = True
            file = Path(folder) / name
            yield file, printable(file.relative_to(path).as_posix())
    if not found:
        on_problem(Problem(str(path), f"no readable files ({', '.join(sorted(SUFFIXES))}) in this folder"))


class _Reader:
    """Reads every kind of input with one set of options; problems go to ``report``."""

    def __init__(self, report: ProblemHandler, max_bytes: int, options: ReadOptions) -> None:
        self.report = report
        self.max_bytes = max_bytes
        self.options = options
        self._fetcher = options.fetcher
        self._urls: set[str] = set()  # one article per URL per run, however many lists and feeds name it

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = Fetcher()
        return self._fetcher

    def file(self, path: Path, article_id: str) -> Iterator[Article]:
        suffix = path.suffix.lower()
        try:
            data = _read_bytes(path, self.max_bytes)
            text = decode_html(data) if suffix in HTML_SUFFIXES else decode_bytes(data)
        except (OSError, ValueError) as err:
            self.report(Problem(str(path), _reason(err)))
            return
        if suffix in HTML_SUFFIXES:
            try:
                yield parse_html_article(text, article_id, str(path), dayfirst=self.options.dayfirst)
            except ValueError as err:
                self.report(Problem(str(path), str(err)))
            return
        if suffix in URL_LIST_SUFFIXES or suffix == ".txt" and url_lines(text) is not None:
            yield from self.url_list(path, text)
            return
        if suffix in TEXT_SUFFIXES:
            yield from self.text_file(path, article_id, text)
            return
        yield from self.record_file(path, article_id, text)

    def text_file(self, path: Path, article_id: str, text: str) -> Iterator[Article]:
        if not text.strip():
            self.report(Problem(str(path), "file is empty" if not text else "file is empty (whitespace only)"))
            return
        article = parse_text_article(text, article_id, str(path), self.options.dayfirst)
        if not article.text.strip():
            self.report(Problem(str(path), "no article text after the title and headers"))
            return
        yield article

    def record_file(self, path: Path, article_id: str, text: str) -> Iterator[Article]:
        seen: set[str] = set()
        try:
            for n, record in _records(path, text):
                origin = f"{path}:{n}"
                if isinstance(record, ValueError):
                    self.report(Problem(origin, str(record)))
                    continue
                try:
                    article = article_from_record(record, f"{article_id}:{n}", origin, self.options.dayfirst)
                except ValueError as err:
                    self.report(Problem(origin, str(err)))
                    continue
                if article.id in seen:
                    self.report(Problem(origin, f"duplicate id {article.id!r}, record skipped"))
                    continue
                seen.add(article.id)
                yield article
        except ValueError as err:
            self.report(Problem(str(path), str(err)))
            return
        if not seen:
            self.report(Problem(str(path), "no records with text"))

    def url_list(self, path: Path, text: str) -> Iterator[Article]:
        urls = []
        for n, line in enumerate(text.split("\n"), 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if is_url(line):
                urls.append(line)
            else:
                self.report(Problem(f"{path}:{n}", "not an http(s) URL"))
        if not urls:
            self.report(Problem(str(path), "no URLs in this list"))
        yield from self.pages([(url, None) for url in urls])

    def pages(self, items: Iterable[tuple[str, FeedEntry | None]]) -> Iterator[Article]:
        """The articles of web pages, fetched concurrently, in the order given."""
        entries: dict[str, FeedEntry | None] = {}
        for url, entry in items:
            if url in self._urls:
                self.report(Problem(url, "duplicate of an earlier URL, skipped"))
                continue
            self._urls.add(url)
            entries[url] = entry
        for url, result in self.fetcher.fetch_all(list(entries)):
            if isinstance(result, FetchError):
                self.report(Problem(url, str(result)))
                continue
            try:
                article = self.page_article(result)
            except ValueError as err:
                self.report(Problem(url, str(err)))
                continue
            entry = entries[url]
            if entry is not None:  # the feed's own date and title are metadata, not guesses
                article = replace(article, date=entry.date or article.date, title=article.title or entry.title)
            yield article

    def page_article(self, response: Response) -> Article:
        kind = response.content_type
        if kind not in HTML_TYPES and not (kind in ("", "application/octet-stream") and b"<html" in response.body[:4096].lower()):
            raise ValueError(f"not an HTML page ({kind or 'no content type'})")
        html = decode_html(response.body, response.charset)
        return parse_html_article(html, response.url, response.url, url=response.final_url, dayfirst=self.options.dayfirst)

    def feed(self, source: str) -> Iterator[Article]:
        try:
            data = self.fetcher.fetch(source).body if is_url(source) else _read_bytes(Path(source), self.max_bytes)
            entries = feed_entries(data, self.options.dayfirst)
        except FetchError as err:
            self.report(Problem(source, str(err)))
            return
        except (OSError, ValueError) as err:
            self.report(Problem(source, _reason(err)))
            return
        if not entries:
            self.report(Problem(source, "the feed has no entries"))
            return
        items: list[tuple[str, FeedEntry | None]] = []
        for n, entry in enumerate(entries, 1):
            if is_url(entry.link):
                items.append((entry.link, entry))
            else:
                self.report(Problem(f"{source}#{n}", "feed entry has no http(s) link"))
        yield from self.pages(items)

    def language_ok(self, article: Article) -> bool:
        languages = self.options.languages
        if languages is None:
            return True
        code = detect_language(article.text)
        if code is None or code in languages:
            return True
        self.report(Problem(article.origin, f"not in {_names(languages)} ({language_name(code)}, {code}; see --lang-model)"))
        return False


def _names(codes: Collection[str]) -> str:
    return " or ".join(language_name(c) for c in sorted(codes))


def read_articles(
    paths: Iterable[str | Path],
    on_problem: ProblemHandler | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    options: ReadOptions | None = None,
) -> Iterator[Article]:
    """Articles from files, folders, URLs and feeds, streamed; problems go to ``on_problem``."""
    reader = _Reader(on_problem or (lambda problem: None), max_bytes, options or ReadOptions())
    # two texts read under one id (two folders with the same file names) both come out: the store
    # (and ``run``) keep them apart by where each was found
    yield from filter(reader.language_ok, _articles(reader, paths))


def _articles(reader: _Reader, paths: Iterable[str | Path]) -> Iterator[Article]:
    urls: list[str] = []  # consecutive URL arguments are fetched together
    for path in paths:
        if isinstance(path, str) and is_url(path):
            urls.append(path.strip())
            continue
        if urls:
            yield from reader.pages([(url, None) for url in urls])
            urls = []
        for file, article_id in input_files(Path(path), reader.report):
            yield from reader.file(file, article_id)
    if urls:
        yield from reader.pages([(url, None) for url in urls])
    for feed in reader.options.feeds:
        yield from reader.feed(feed)
