"""The README documents every command and option, and its CLI reference is the current --help."""

from __future__ import annotations

import re

import pytest

from kgraph.docs import START, cli_reference, command_tree, current_section

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
# the prose: the README without the generated reference, so each command and option is explained by hand too
PROSE = README.replace(current_section(README), "")
TREE = command_tree()


def test_readme_opens_with_the_two_commands() -> None:
    blocks = re.findall(r"```(?:bash|sh|console)?\n(.*?)```", README, re.S)
    assert blocks[0].strip().splitlines() == [
        'pip install -e ".[dev]" && kgraph build data/articles -o out',
        "python -m pytest",
    ]


def test_ci_runs_the_readmes_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^python -m pytest\b", ci, re.M)


@pytest.mark.parametrize("command", [c for c in TREE if c])
def test_every_command_is_documented(command: str) -> None:
    assert f"kgraph {command}" in PROSE, f"`kgraph {command}` is not described in the README (outside the CLI reference)"


@pytest.mark.parametrize(
    ("command", "option"), [(c, o) for c, options in TREE.items() for o in options if o != "--help"], ids=lambda x: x or "kgraph"
)
def test_every_option_is_documented(command: str, option: str) -> None:
    assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", PROSE), (
        f"option {option} of `kgraph {command}` is not described in the README (outside the CLI reference)"
    )


def test_cli_reference_matches_the_current_help() -> None:
    assert START in README
    assert current_section(README) == cli_reference(), "the README's CLI reference is out of date: run `python -m kgraph.docs`"
