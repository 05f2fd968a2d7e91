"""Every ``--help`` read the way a user reads it: on an 80-column terminal, each in its own process."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import typer

from kgraph import __version__
from kgraph.cli import PANELS, app
from kgraph.docs import command_tree, help_text

COMMANDS = list(command_tree())


def _params(command: str) -> list:
    root = typer.main.get_command(app)
    return list((root.commands[command] if command else root).params)  # type: ignore[attr-defined]


def _shown_default(param: object) -> str | None:
    """How ``[default: ...]`` names the default of an option, None when it has none to show."""
    default = getattr(param, "default", None)
    if getattr(param, "param_type_name", "") != "option" or getattr(param, "hidden", False) or default in (None, False, (), []):
        return None
    if getattr(param, "is_flag", False):
        secondary = getattr(param, "secondary_opts", [])
        if not secondary:
            return None
        return [o for o in param.opts if o.startswith("--")][0].lstrip("-") if default else secondary[0].lstrip("-")  # type: ignore[attr-defined]
    return str(default)


@pytest.fixture(scope="module")
def helps() -> dict[str, str]:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        return dict(zip(COMMANDS, pool.map(lambda c: help_text(c, width=80), COMMANDS), strict=True))


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c or "kgraph")
def test_help_fits_80_columns_uncut_and_shows_every_default(helps: dict[str, str], command: str) -> None:
    text = helps[command]
    for line in text.splitlines():
        assert len(line) <= 80, line
        assert "…" not in line, line
        assert not re.match(r"^  \w+\s{2,}.*\.\.\.$", line), f"a command summary is cut: {line}"
    flat = " ".join(re.sub(r"-\n\s+", "-", text).split())  # wrapped lines joined back
    for param in _params(command):
        shown = _shown_default(param)
        if shown is not None:
            # click appends a range to the default: [default: 0.3; x>=1e-06]
            assert re.search(rf"\[default: {re.escape(shown)}[];]", flat), f"{param.opts[0]}: default {shown!r} not shown"  # type: ignore[attr-defined]
    assert "<bool>" not in text and "BOOLEAN" not in text  # flags take no value


@pytest.mark.parametrize("command", ["build", "extract"])
def test_options_are_grouped_in_panels(helps: dict[str, str], command: str) -> None:
    sections = [line[:-1] for line in helps[command].splitlines() if line and not line.startswith(" ") and line.endswith(":")]
    assert [s for s in sections if s in PANELS] == [p for p in PANELS if p != "Graph filters" or command == "build"]
    assert {"Input", "Extraction", "Speed"} <= set(sections)


def test_brackets_in_help_are_text_not_markup(helps: dict[str, str]) -> None:
    flat = " ".join(helps["build"].split())
    assert "(default: 1; with --engine dask and no --scheduler: one per core)" in flat
    assert "[env var: KGRAPH_DB]" in flat


def test_short_help_and_version_options() -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "kgraph", *args], capture_output=True, text=True, check=False)

    assert run("build", "-h").stdout == run("build", "--help").stdout != ""
    assert run("-V").stdout == run("--version").stdout == f"kgraph {__version__}\n"
    top = run("--help")
    assert "--install-completion" not in top.stdout and "--show-completion" not in top.stdout  # not offered: nothing to fail
    flag = run("stats", "--include-negated", "true", "--db", "missing.db")
    assert flag.returncode == 2 and "unexpected extra argument" in flag.stderr.lower()


def test_the_synthetic_corpus_script_has_help() -> None:
    done = subprocess.run([sys.executable, "-m", "kgraph.synthetic", "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout.startswith("usage: python -m kgraph.synthetic") and "N FOLDER [SEED]" in done.stdout
    bad = subprocess.run([sys.executable, "-m", "kgraph.synthetic"], capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "required: N, FOLDER" in bad.stderr


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c or "kgraph")
def test_arguments_read_as_names_not_python_types(helps: dict[str, str], command: str) -> None:
    text = helps[command]
    assert "[[" not in text.splitlines()[0], text.splitlines()[0]  # `[[INPUT]...]...` was the usage line
    assert not re.search(r"<(str|path|int|list\[[^]]*\])>", text)  # `[INPUT]... <list[str]>` was the argument
    if command in ("build", "extract"):
        assert text.splitlines()[0].endswith("[OPTIONS] [INPUT]...")
