"""Issue 18: nothing lost, nothing touched that should not be, every OS error as one line.

Builds run through the real CLI with a stub extraction (``tests/stub_kgraph.py``: no spaCy), in
this process or, where real permissions, kills or a full disk are needed, in a subprocess. Each
test checks what a user would: the stories in the store, the bytes of a file, the one line on
stderr, ``PRAGMA integrity_check``.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kgraph import cli
from kgraph.pipeline import update
from kgraph.store import CANDIDATES_PER_BAND, Store

sys.path.insert(0, str(Path(__file__).parent))
from stub_kgraph import StubExtractor, engine, story  # noqa: E402

STUB = Path(__file__).parent / "stub_kgraph.py"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
runner = CliRunner()


@pytest.fixture(autouse=True)
def stub(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_engine", engine)


def kgraph(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(cli.app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def subprocess_kgraph(*args: str | Path, drop_root: bool = False, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The stub CLI in a fresh process; with ``drop_root`` as root, without the capabilities that
    bypass file modes (so that a read-only folder is read-only to it, as to any user)."""
    prefix: list[str] = []
    if drop_root and IS_ROOT:
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: file modes cannot be enforced")
        prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"]
    return subprocess.run([*prefix, sys.executable, str(STUB), *map(str, args)], capture_output=True, text=True, timeout=300, cwd=cwd)


#: The progress lines a command writes on stderr while it runs (kgraph.progress), not messages.
PROGRESS = re.compile(r"kgraph: (loading the spaCy pipeline|starting the extraction workers)( \.\.\.|: done in .+)|kgraph: [\d,/]+ articles? read, .+ elapsed.*")


def summary(stderr: str) -> str:
    """The human summary of a command (on stderr, with issue 17's rule that stdout holds only
    what the command outputs), without its progress lines."""
    return "\n".join(line for line in stderr.splitlines() if not PROGRESS.fullmatch(line))


def one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip() and not PROGRESS.fullmatch(line)]
    assert "Traceback" not in stderr
    assert len(lines) == 1 and lines[0].startswith("kgraph: error: "), stderr
    return lines[0]


def stored(db: Path) -> dict[str, str]:
    """Article id -> text, read with plain sqlite3."""
    con = sqlite3.connect(db)
    try:
        return dict(con.execute("SELECT id, text FROM articles"))
    finally:
        con.close()


def intact(db: Path) -> bool:
    con = sqlite3.connect(db)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- 1. article identity ------------------------------------------------------------------------


def test_two_folders_holding_article1_txt_keep_both_stories(tmp_path: Path) -> None:
    write(tmp_path / "a" / "article1.txt", story("USA CHN", 1))
    write(tmp_path / "b" / "article1.txt", story("RUS UKR", 2))
    out = tmp_path / "out"
    assert kgraph("build", tmp_path / "a", "-o", out)[0] == 0
    code, _, stderr = kgraph("build", tmp_path / "b", "-o", out)
    assert code == 0
    said = summary(stderr)
    assert said.startswith("1 article read, 0 already stored")
    assert "\n1 id qualified to keep two different texts apart:\n" in said  # right after the summary line
    assert f"{tmp_path / 'b' / 'article1.txt'}: article1.txt -> article1.txt@" in said
    texts = stored(out / "kgraph.db")
    assert sorted(texts.values()) == sorted([story("USA CHN", 1), story("RUS UKR", 2)])  # both stories are in the store
    events = [json.loads(line) for line in (out / "events.jsonl").read_text().splitlines()]
    assert {(e["source"], e["target"]) for e in events} == {("USA", "CHN"), ("RUS", "UKR")}
    # a rerun of either folder finds its story stored; an edit where the file was found replaces it
    assert summary(kgraph("build", tmp_path / "a", tmp_path / "b", "-o", out)[2]).startswith("0 articles read, 2 already stored")
    write(tmp_path / "b" / "article1.txt", story("RUS UKR", 2) + " The story was corrected on Tuesday.")
    code, _, stderr = kgraph("build", tmp_path / "b", "-o", out)
    assert code == 0 and summary(stderr).startswith("1 article read, 0 already stored")
    texts = stored(out / "kgraph.db")
    assert len(texts) == 2 and story("USA CHN", 1) in texts.values()
    assert any(t.endswith("corrected on Tuesday.") for t in texts.values())


def test_one_build_of_two_folders_with_the_same_names_keeps_both(tmp_path: Path) -> None:
    write(tmp_path / "a" / "x.txt", story("USA CHN", 1))
    write(tmp_path / "b" / "x.txt", story("RUS UKR", 2))
    code, stdout, stderr = kgraph("build", tmp_path / "a", tmp_path / "b", "-o", tmp_path / "out")
    assert code == 0, stderr
    assert summary(stderr).startswith("2 articles read")
    assert sorted(stored(tmp_path / "out" / "kgraph.db").values()) == sorted([story("USA CHN", 1), story("RUS UKR", 2)])
    code, _, stderr = kgraph("extract", tmp_path / "a", tmp_path / "b", "-o", tmp_path / "events.jsonl")
    ids = {json.loads(line)["article"] for line in (tmp_path / "events.jsonl").read_text().splitlines()}
    assert code == 0 and len(ids) == 2 and "x.txt" in ids  # extract keeps them apart too
    assert "1 id qualified" in stderr


def test_the_same_story_saved_twice_with_edits_in_two_folders_is_two_reports_of_one_story(tmp_path: Path) -> None:
    """Both files are kept (they are different texts), and the "same story saved twice with edits"
    rule still makes them one story: the edge counts one story, two reports."""
    text = story("USA CHN", 1) + " Officials said more talks would follow in the spring, after the summit in Geneva."
    edited = text.replace("Officials said", "Officials told reporters", 1) + " This story has been corrected."
    write(tmp_path / "a" / "article1.txt", text)
    write(tmp_path / "b" / "article1.txt", edited)
    out = tmp_path / "out"
    assert kgraph("build", tmp_path / "a", "-o", out)[0] == 0
    code, _, stderr = kgraph("build", tmp_path / "b", "-o", out)
    assert code == 0 and "1 id qualified" in stderr
    assert sorted(stored(out / "kgraph.db").values()) == sorted([text, edited])  # both texts kept
    con = sqlite3.connect(out / "kgraph.db")
    stories = {s for (s,) in con.execute("SELECT story FROM articles")}
    con.close()
    assert len(stories) == 1  # one story
    code, stdout, _ = kgraph("show", "USA", "--db", out / "kgraph.db")
    assert code == 0 and "USA -warns-> CHN  stories 1, reports 2" in stdout


TEXTS = [story(pair, n) for n, pair in enumerate(["USA CHN", "RUS UKR", "IRN ISR", "IND PAK", "FRA DEU", "JPN KOR"])]
NAMES = st.sampled_from(["article1.txt", "a.txt", "news.md"])  # few names: folders share them often
FOLDERS = st.lists(st.sampled_from(["left", "right", "deep"]), max_size=2).map(lambda parts: "/".join(["in", *parts]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(files={("in/left", "article1.txt"): 0, ("in/right", "article1.txt"): 1}, runs=["in/left", "in/right"])  # the report
@given(
    files=st.dictionaries(st.tuples(FOLDERS, NAMES), st.integers(0, len(TEXTS) - 1), min_size=1, max_size=8),
    runs=st.lists(st.sampled_from(["in", "in/left", "in/right", "in/deep", "in/left/deep", "in/right/left"]), min_size=1, max_size=4),
)
def test_any_files_under_any_folders_give_one_article_per_distinct_text(files: dict[tuple[str, str], int], runs: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for (folder, name), text in files.items():
            path = root / folder / name
            if path.parent.is_file() or path.is_dir():
                continue
            write(path, TEXTS[text])
        read: set[str] = set()
        with Store(root / "kgraph.db") as store:
            for run in runs:  # builds of some folders, in any order, each with ids relative to its folder
                if (root / run).is_dir():
                    update(store, StubExtractor(), [root / run])  # type: ignore[arg-type]
                    read |= {p.read_text(encoding="utf-8") for p in (root / run).rglob("*") if p.is_file()}
            texts = [t for (t,) in store.db.execute("SELECT text FROM articles")]
        assert len(texts) == len(set(texts)) == len(read)  # one article per distinct text, none lost
        assert set(texts) == read


# --- 2. read commands read --------------------------------------------------------------------


def foreign_database(path: Path, wal: bool = False) -> Path:
    con = sqlite3.connect(path)
    if wal:
        con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    con.executemany("INSERT INTO photos (name) VALUES (?)", [(f"p{i}.jpg",) for i in range(100)])
    con.commit()
    con.close()
    return path


@pytest.mark.parametrize("wal", [False, True])
def test_read_commands_leave_another_programs_sqlite_file_byte_identical(tmp_path: Path, wal: bool) -> None:
    db = foreign_database(tmp_path / "photos.sqlite", wal)
    before, files = digest(db), sorted(os.listdir(tmp_path))
    for args in (["stats"], ["actors"], ["show", "USA"], ["evidence", "USA", "warns", "CHN"], ["export", "-f", "json", "-o", tmp_path / "x.json"]):
        code, _, stderr = kgraph(*args, "--db", db)
        assert code == 1
        assert "not a kgraph store" in one_error_line(stderr)
        assert digest(db) == before and sorted(os.listdir(tmp_path)) == files  # not a byte changed, nothing added
    write(tmp_path / "in" / "a.txt", story("USA CHN"))
    code, _, stderr = kgraph("build", tmp_path / "in", "--db", db, "-o", tmp_path / "out")
    assert code == 1 and "not a kgraph store" in one_error_line(stderr)
    assert digest(db) == before  # a build refuses it too, untouched


def test_a_store_in_a_read_only_folder_can_be_read(tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.txt", story("USA CHN"))
    shelf = tmp_path / "shelf"
    assert kgraph("build", tmp_path / "in", "-o", shelf)[0] == 0
    before = digest(shelf / "kgraph.db")
    (shelf / "kgraph.db").chmod(0o444)
    shelf.chmod(0o555)  # a CD, a shared mount: no -wal or -shm file can be made beside the store
    try:
        result = subprocess_kgraph("stats", "--db", shelf / "kgraph.db", drop_root=True)
        actors = subprocess_kgraph("actors", "--db", shelf / "kgraph.db", drop_root=True)
    finally:
        shelf.chmod(0o755)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("1 articles, 1 stories, 2 actors; 2 events")
    assert actors.returncode == 0 and "USA" in actors.stdout
    assert digest(shelf / "kgraph.db") == before


# --- 3. ingest rate ------------------------------------------------------------------------------


def test_storing_a_record_costs_the_same_however_many_similar_ones_are_stored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Near-duplicate one-liners (a load test's records) all share LSH bands: each insert compared
    itself with every earlier one, so the rate fell as the store grew. The work per insert is
    bounded now: count the signature comparisons."""
    import kgraph.store

    compared: list[int] = []
    real = kgraph.store.similarity

    def counting(a: bytes, b: bytes) -> float:
        compared[-1] += 1
        return real(a, b)

    monkeypatch.setattr(kgraph.store, "similarity", counting)
    with Store(tmp_path / "kgraph.db") as s:
        bands = s._shape()[0]
        for i in range(1200):
            compared.append(0)
            s.add(kgraph.store.Article(id=f"r{i}", text=f"Russia attacked Ukraine on day {i}, officials in Kyiv said.", origin=f"r{i}"), [], "v")
    early, late = sum(compared[100:200]) / 100, sum(compared[1100:1200]) / 100
    assert max(compared) <= bands * CANDIDATES_PER_BAND
    assert late <= early * 1.2 + 1  # flat: the 1,100th record is no more work than the 100th


# --- 7. undecodable file names -----------------------------------------------------------------


def test_file_names_that_are_not_utf8_are_stored_and_kept_apart(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write(folder / os.fsdecode(b"caf\xe9 \xff.txt"), story("USA CHN", 1))
    write(folder / os.fsdecode(b"caf\xe9 \xfe.txt"), story("RUS UKR", 2))  # the same printable id: caf\ufffd \ufffd.txt
    write(folder / "plain.txt", story("IRN ISR", 3))
    for _ in range(2):  # the rerun too
        code, stdout, stderr = kgraph("build", folder, "-o", tmp_path / "out")
        assert code == 0 and "Traceback" not in stderr, stderr
    assert summary(stderr).startswith("0 articles read, 3 already stored")
    con = sqlite3.connect(tmp_path / "out" / "kgraph.db")
    origins = sorted(o for (o,) in con.execute("SELECT origin FROM articles"))
    con.close()
    assert [Path(o).name for o in origins] == ["caf\\xe9 \\xfe.txt", "caf\\xe9 \\xff.txt", "plain.txt"]  # the bytes, escaped


# --- 8. concurrent first builds ----------------------------------------------------------------


def _open_at_once(path: str, barrier: multiprocessing.synchronize.Barrier, errors: multiprocessing.Queue) -> None:  # type: ignore[name-defined]
    barrier.wait()
    try:
        Store(path).close()
    except Exception as err:  # noqa: BLE001 (reported to the test)
        errors.put(f"{type(err).__name__}: {err}")


def test_first_builds_started_together_all_open_the_new_store(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    errors = context.Queue()
    for round_ in range(12):
        path = str(tmp_path / f"new{round_}.db")
        barrier = context.Barrier(4)
        procs = [context.Process(target=_open_at_once, args=(path, barrier, errors)) for _ in range(4)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
        with Store(path) as s:
            assert s.article_count() == 0
    found = []
    while not errors.empty():
        found.append(errors.get())
    assert found == []


def test_two_first_builds_at_once_through_the_cli_both_succeed(tmp_path: Path) -> None:
    write(tmp_path / "a" / "a.txt", story("USA CHN", 1))
    write(tmp_path / "b" / "b.txt", story("RUS UKR", 2))
    for round_ in range(4):
        db = tmp_path / f"new{round_}.db"
        builds = [
            subprocess.Popen([sys.executable, str(STUB), "build", str(tmp_path / name), "-o", str(tmp_path / f"out-{name}{round_}"), "--db", str(db)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for name in ("a", "b")
        ]  # fmt: skip
        for build in builds:
            _, stderr = build.communicate(timeout=300)
            assert build.returncode == 0, stderr
        assert sorted(stored(db).values()) == sorted([story("USA CHN", 1), story("RUS UKR", 2)]) and intact(db)


# --- 9. full disk, read-only outputs, damaged stores -------------------------------------------


def test_a_full_disk_during_a_build_is_one_line_and_the_store_keeps_what_it_had(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for n, pair in enumerate(["USA CHN", "RUS UKR"]):
        write(tmp_path / "first" / f"{n}.txt", story(pair, n))
    out = tmp_path / "out"
    assert kgraph("build", tmp_path / "first", "-o", out)[0] == 0
    for n in range(40):
        write(tmp_path / "more" / f"{n}.txt", story("IND PAK", 100 + n) + " More words to fill the pages of the store. " * 40)
    real = sqlite3.connect

    def almost_full(*args: object, **kwargs: object) -> sqlite3.Connection:
        con = real(*args, **kwargs)  # type: ignore[arg-type]
        pages = con.execute("PRAGMA page_count").fetchone()[0]
        con.execute(f"PRAGMA max_page_count = {pages + 8}")  # what SQLite says on a full disk: database or disk is full
        return con

    monkeypatch.setattr(sqlite3, "connect", almost_full)
    code, _, stderr = kgraph("build", tmp_path / "first", tmp_path / "more", "-o", out)
    monkeypatch.undo()
    assert code == 1
    line = one_error_line(stderr)
    assert "disk is full" in line and "free some space" in line and str(out / "kgraph.db") in line
    assert intact(out / "kgraph.db")
    texts = stored(out / "kgraph.db")
    assert story("USA CHN", 0) in texts.values() and story("RUS UKR", 1) in texts.values()


def test_a_full_disk_while_writing_the_page_is_one_line_naming_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from kgraph import html as page

    write(tmp_path / "in" / "a.txt", story("USA CHN"))

    def full(*args: object, **kwargs: object) -> object:
        yield "<html>"
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(page, "html_chunks", full)
    code, _, stderr = kgraph("build", tmp_path / "in", "-o", tmp_path / "out")
    assert code == 1
    assert one_error_line(stderr) == (
        f"kgraph: error: {tmp_path / 'out' / 'graph.html'}: the disk is full: free some space and run again (No space left on device)"
    )
    assert intact(tmp_path / "out" / "kgraph.db") and len(stored(tmp_path / "out" / "kgraph.db")) == 1
    assert not [p for p in os.listdir(tmp_path / "out") if p.endswith(".tmp")]  # no half-written page left


@pytest.mark.skipif(not (IS_ROOT and shutil.which("unshare")), reason="a real full disk needs a tmpfs mounted in a private namespace (root)")
def test_a_real_full_disk_is_one_line_checked_before_the_work(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    for n in range(3):
        write(tmp_path / "in" / f"{n}.txt", story("USA CHN", n))
    script = (
        f"mount -t tmpfs -o size=4m tmpfs {disk} && "
        f"{sys.executable} {STUB} build {tmp_path / 'in'} -o {disk / 'out'} >/dev/null 2>&1 && "
        f"(dd if=/dev/zero of={disk / 'filler'} bs=64k 2>/dev/null; true) && "
        f"{sys.executable} {STUB} build {tmp_path / 'in'} -o {disk / 'out2'} --db {disk / 'out' / 'kgraph.db'}; "
        # the check reads the file as it is (immutable): on a full disk no -shm file can be made
        f"echo exit=$?; {sys.executable} -c \"import sqlite3; print('check', sqlite3.connect('file:{disk / 'out' / 'kgraph.db'}?immutable=1', uri=True)"
        ".execute('pragma integrity_check').fetchone()[0])\""
    )
    result = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=300)
    if "exit=" not in result.stdout:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
    assert "exit=1" in result.stdout and "check ok" in result.stdout, result.stdout + result.stderr
    assert one_error_line(result.stderr) == f"kgraph: error: {disk / 'out2'}: the disk is full: free some space and run again (No space left on device)"


def test_a_read_only_output_folder_is_refused_before_the_store_is_updated(tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.txt", story("USA CHN", 1))
    out = tmp_path / "out"
    assert kgraph("build", tmp_path / "in", "-o", out, "--db", tmp_path / "k.db")[0] == 0
    write(tmp_path / "in" / "b.txt", story("RUS UKR", 2))
    before = digest(tmp_path / "k.db")
    out.chmod(0o555)
    try:
        result = subprocess_kgraph("build", tmp_path / "in", "-o", out, "--db", tmp_path / "k.db", drop_root=True)
        extracted = subprocess_kgraph("extract", tmp_path / "in", "-o", out / "events2.jsonl", drop_root=True)
    finally:
        out.chmod(0o755)
    assert extracted.returncode == 1 and one_error_line(extracted.stderr).startswith(f"kgraph: error: {out / 'events2.jsonl'}: permission denied")
    assert result.returncode == 1
    assert one_error_line(result.stderr) == (
        f"kgraph: error: {out}: permission denied: choose another -o (or --db, --cache) that you can write (Permission denied)"
    )
    assert digest(tmp_path / "k.db") == before and intact(tmp_path / "k.db")  # the store was not updated


def test_a_read_only_store_is_named_so_for_a_build(tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.txt", story("USA CHN", 1))
    shelf = tmp_path / "shelf"
    assert kgraph("build", tmp_path / "in", "-o", shelf)[0] == 0
    write(tmp_path / "in" / "b.txt", story("RUS UKR", 2))
    (shelf / "kgraph.db").chmod(0o444)
    shelf.chmod(0o555)
    try:
        result = subprocess_kgraph("build", tmp_path / "in", "-o", tmp_path / "out", "--db", shelf / "kgraph.db", drop_root=True)
    finally:
        shelf.chmod(0o755)
    line = one_error_line(result.stderr)
    assert result.returncode == 1 and "cannot be written" in line and "not a kgraph store" not in line


def damage(db: Path) -> None:
    """Garbage over one page in the middle of the file (a bad sector, a torn copy)."""
    size = db.stat().st_size
    with open(db, "r+b") as handle:
        handle.seek((size // 4096 // 2) * 4096)
        handle.write(b"\xde\xad\xbe\xef" * 1024)


def test_a_damaged_store_is_one_line_from_every_command(tmp_path: Path) -> None:
    for n in range(30):
        write(tmp_path / "in" / f"{n}.txt", story(["USA CHN", "RUS UKR", "IND PAK"][n % 3], n) + " Filler words for more pages. " * 30)
    out = tmp_path / "out"
    assert kgraph("build", tmp_path / "in", "-o", out)[0] == 0
    damage(out / "kgraph.db")
    before = digest(out / "kgraph.db")
    failed = []
    for args in (["stats"], ["actors"], ["show", "USA"], ["evidence", "USA", "warns", "CHN"], ["export", "-f", "csv", "-o", tmp_path / "csv"]):
        code, _, stderr = kgraph(*args, "--db", out / "kgraph.db")
        assert "Traceback" not in stderr
        if code != 0:  # a command whose pages are all sound may still answer
            line = one_error_line(stderr)
            assert "damaged" in line and ".recover" in line and "not a kgraph store" not in line
            failed.append(args[0])
        assert digest(out / "kgraph.db") == before
    assert {"stats", "export"} <= set(failed)  # these read every page
    write(tmp_path / "in" / "new.txt", story("FRA DEU", 99))
    code, _, stderr = kgraph("build", tmp_path / "in", "-o", out)
    assert code == 1 and "damaged" in one_error_line(stderr)


# --- 10. -o naming something that is there -----------------------------------------------------


def test_o_naming_an_existing_file_or_folder_is_one_line(tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.txt", story("USA CHN"))
    write(tmp_path / "taken.txt", "mine")
    (tmp_path / "folder").mkdir()
    assert kgraph("build", tmp_path / "in", "-o", tmp_path / "store")[0] == 0
    db = tmp_path / "store" / "kgraph.db"
    cases = [
        ["build", tmp_path / "in", "-o", tmp_path / "taken.txt"],  # a file where the output folder should be
        ["export", "-f", "json", "-o", tmp_path / "folder", "--db", db],  # a folder where the file should be
        ["export", "-f", "csv", "-o", tmp_path / "taken.txt", "--db", db],
        ["extract", tmp_path / "in", "-o", tmp_path / "folder"],
    ]
    for args in cases:
        code, _, stderr = kgraph(*args)
        assert code == 1, args
        assert one_error_line(stderr).startswith(f"kgraph: error: {tmp_path}"), args
    assert (tmp_path / "taken.txt").read_text() == "mine" and os.listdir(tmp_path / "folder") == []


# --- 11. empty strings and negative numbers ----------------------------------------------------


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["build", ""], "argument"),
        (["build", "in", "-o", ""], "-o"),
        (["build", "in", "--cache", ""], "--cache"),
        (["build", "in", "--cache="], "--cache"),
        (["build", "in", "--db", ""], "--db"),
        (["extract", "in", "-o", ""], "-o"),
        (["stats", "--actor", ""], "--actor"),
        (["export", "-f", "json", "-o", "", "--db", "x.db"], "-o"),
        (["show", "USA", "--limit", "-1"], "--limit"),
        (["stats", "-n", "-5"], "-n"),
        (["build", "in", "--max-bytes", "-1"], "--max-bytes"),
        (["extract", "in", "--max-bytes", "0"], "--max-bytes"),
    ],
)
def test_empty_strings_and_negative_numbers_are_refused_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], named: str
) -> None:
    write(tmp_path / "in" / "a.txt", story("USA CHN"))
    monkeypatch.chdir(tmp_path)
    code, stdout, stderr = kgraph(*args)
    assert code == 1
    assert named in one_error_line(stderr)
    assert sorted(os.listdir(tmp_path)) == ["in"]  # nothing read or written: the current folder untouched


# --- 12. temporary files of killed writes ------------------------------------------------------


def test_the_temporary_file_of_a_killed_write_is_removed_by_the_next_run(tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.txt", story("USA CHN"))
    out = tmp_path / "out"
    assert kgraph("build", tmp_path / "in", "-o", out)[0] == 0
    writer = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom kgraph.export import atomic_write\n"
         f"cm = atomic_write({str(out / 'graph.html')!r})\nh = cm.__enter__()\nh.write('<html>' * 1000)\nh.flush()\nprint('writing', flush=True)\ntime.sleep(120)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert writer.stdout is not None and writer.stdout.readline().strip() == "writing"
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    live_temp = out / f".graph.html.{alive.pid}.inprogress.tmp"  # another build writing right now: left alone
    live_temp.write_text("...")
    try:
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(30)
        left = [p for p in os.listdir(out) if p.startswith(f".graph.html.{writer.pid}.")]
        assert len(left) == 1  # what the kill left behind
        write(tmp_path / "in" / "b.txt", story("RUS UKR", 2))  # something new, so the page is written again
        assert kgraph("build", tmp_path / "in", "-o", out)[0] == 0
        assert [p for p in os.listdir(out) if p.endswith(".tmp")] == [live_temp.name]
    finally:
        alive.kill()
        alive.wait(30)
    time.sleep(0)
