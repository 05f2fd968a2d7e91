"""Read articles from files, folders and record files into :class:`Article` records.

Supported inputs: ``.txt``/``.md`` articles, folders of them (searched recursively, hidden
files skipped), and ``.jsonl``/``.json``/``.csv`` files of records with a ``text`` field and
optional ``id``, ``title``, ``date``, ``url``.

A ``.txt`` article: the first non-empty line is the title; ``Key: value`` header lines
(``Date``, ``Source``, ``URL``, ...) before the first blank line are metadata; a free-standing
date line near the top is the date; share-button debris and a leading dateline
("WASHINGTON:") are removed so that they never become actors or evidence.

Problems with one input never stop the others: they are reported through ``on_problem`` as
:class:`Problem` records, one per file or record, and reading goes on.
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .records import Article

TEXT_SUFFIXES = frozenset({".txt", ".md"})
RECORD_SUFFIXES = frozenset({".jsonl", ".json", ".csv"})
SUFFIXES = TEXT_SUFFIXES | RECORD_SUFFIXES
DEFAULT_MAX_BYTES = 50_000_000


@dataclass(frozen=True)
class Problem:
    """An input that was skipped (or partly skipped), with a one-line reason."""

    origin: str  # "path" or "path:line"
    message: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.message}"


ProblemHandler = Callable[[Problem], None]

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
_ISO_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")


def parse_date(value: object) -> str | None:
    """An ISO ``YYYY-MM-DD`` date from the forms news uses, or None when it is not one."""
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        return None
    text = re.sub(r"\s+", " ", str(value)).strip().rstrip(".")
    if not text or len(text) > 40:
        return None
    match = _ISO_PREFIX.match(text)
    if match:
        text = match.group(1)
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text)
    text = text.replace("Sept ", "Sep ").replace("Sept. ", "Sep. ")
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


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


def parse_text_article(raw: str, article_id: str, origin: str = "") -> Article:
    """An Article from the text of a ``.txt``/``.md`` file (see the module docstring)."""
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "").split("\n")
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
    date = parse_date(meta.get("date") or meta.get("published") or "")
    # a free-standing date line among the first few non-empty lines ("Tue Jun 18 2024")
    seen = 0
    for j, line in enumerate(body_lines):
        if not line.strip():
            continue
        seen += 1
        if seen > 4:
            break
        found = parse_date(line)
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


def article_from_record(record: object, default_id: str, origin: str) -> Article:
    """An Article from a JSON/CSV record; raises ValueError with a user-facing reason."""
    if not isinstance(record, dict):
        raise ValueError(f"record is a {type(record).__name__}, not an object with a 'text' field")
    text = record.get("text")
    if text is None:
        raise ValueError("record has no 'text' field")
    if not isinstance(text, str):
        raise ValueError(f"'text' is a {type(text).__name__}, not a string")
    if not text.strip():
        raise ValueError("'text' is empty")
    title = record.get("title") or ""
    if not isinstance(title, str):
        title = str(title)
    rid = record.get("id")
    article_id = str(rid) if isinstance(rid, (str, int)) and str(rid).strip() else default_id
    url = record.get("url")
    return Article(
        id=article_id,
        text=compose_text(title, clean_body(text)),
        title=title.strip(),
        date=parse_date(record.get("date")),
        url=url if isinstance(url, str) and url.strip() else None,
        origin=origin,
    )


# --- files ---------------------------------------------------------------------------------


def _read_text(path: Path, max_bytes: int) -> str:
    """The file's text; raises ValueError with a user-facing reason."""
    size = path.stat().st_size
    if size > max_bytes:
        raise ValueError(f"file is {size:,} bytes, over the limit of {max_bytes:,} (see --max-bytes)")
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise ValueError("looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise ValueError(f"line {line}: not valid UTF-8 (byte {err.start})") from None


def _records(path: Path, text: str) -> Iterator[tuple[int, object]]:
    """(line number, record) pairs; a record that cannot be parsed is a ValueError."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        for n, line in enumerate(text.split("\n"), 1):
            if line.strip():
                try:
                    yield n, json.loads(line)
                except json.JSONDecodeError as err:
                    yield n, ValueError(f"broken JSON ({err.msg})")
    elif suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise ValueError(f"line {err.lineno}: broken JSON ({err.msg})") from None
        if isinstance(data, dict) and isinstance(data.get("articles"), list):
            data = data["articles"]
        items = data if isinstance(data, list) else [data]
        for n, item in enumerate(items, 1):
            yield n, item
    else:  # .csv
        reader = csv.reader(text.splitlines())
        header = next(reader, None)
        if not header or "text" not in [h.strip().lower() for h in header]:
            raise ValueError("CSV has no 'text' column")
        names = [h.strip().lower() for h in header]
        for row in reader:
            n = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(names):
                yield n, ValueError(f"row has {len(row)} fields, the header has {len(names)}")
                continue
            yield n, dict(zip(names, row, strict=True))


def _read_file(path: Path, article_id: str, max_bytes: int, on_problem: ProblemHandler) -> Iterator[Article]:
    try:
        text = _read_text(path, max_bytes)
    except (OSError, ValueError) as err:
        on_problem(Problem(str(path), _reason(err)))
        return
    if path.suffix.lower() in TEXT_SUFFIXES:
        if not text.strip():
            on_problem(Problem(str(path), "file is empty"))
            return
        article = parse_text_article(text, article_id, str(path))
        if not article.text.strip():
            on_problem(Problem(str(path), "no article text after the title and headers"))
            return
        yield article
        return
    seen: set[str] = set()
    found = 0
    try:
        for n, record in _records(path, text):
            origin = f"{path}:{n}"
            if isinstance(record, ValueError):
                on_problem(Problem(origin, str(record)))
                continue
            try:
                article = article_from_record(record, f"{article_id}:{n}", origin)
            except ValueError as err:
                on_problem(Problem(origin, str(err)))
                continue
            if article.id in seen:
                on_problem(Problem(origin, f"duplicate id {article.id!r}, record skipped"))
                continue
            seen.add(article.id)
            found += 1
            yield article
    except ValueError as err:
        on_problem(Problem(str(path), str(err)))
        return
    if not found and not seen:
        on_problem(Problem(str(path), "no records with text"))


def _reason(err: BaseException) -> str:
    if isinstance(err, PermissionError):
        return "permission denied"
    if isinstance(err, FileNotFoundError):
        return "no such file or folder"
    if isinstance(err, OSError):
        return err.strerror or str(err)
    return str(err)


def input_files(path: Path, on_problem: ProblemHandler) -> Iterator[tuple[Path, str]]:
    """The readable files under ``path`` with their article ids (paths relative to it)."""
    if path.is_file():
        yield path, path.name
        return
    if not path.is_dir():
        on_problem(Problem(str(path), "no such file or folder"))
        return

    def walk_error(err: OSError) -> None:
        on_problem(Problem(str(err.filename or path), _reason(err)))

    found = False
    for folder, dirs, files in os.walk(path, onerror=walk_error):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or Path(name).suffix.lower() not in SUFFIXES:
                continue
            found = True
            file = Path(folder) / name
            yield file, file.relative_to(path).as_posix()
    if not found:
        on_problem(Problem(str(path), f"no readable files ({', '.join(sorted(SUFFIXES))}) in this folder"))


def read_articles(
    paths: Iterable[str | Path],
    on_problem: ProblemHandler | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Article]:
    """Articles from files and folders, streamed; problems go to ``on_problem``."""
    report: ProblemHandler = on_problem or (lambda problem: None)
    for path in paths:
        for file, article_id in input_files(Path(path), report):
            yield from _read_file(file, article_id, max_bytes, report)
