"""The notebooks run top to bottom on the sample articles, and are committed without outputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_the_two_notebooks_are_there() -> None:
    assert [p.name for p in NOTEBOOKS] == ["01_quickstart.ipynb", "02_analysis.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    """As nbstripout leaves them: no outputs, no execution counts, no run metadata."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for i, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"{path.name} cell {i} has outputs: strip them (nbstripout)"
            assert cell["execution_count"] is None, f"{path.name} cell {i} has an execution count"
        assert not {"execution", "collapsed", "scrolled"} & set(cell["metadata"]), f"{path.name} cell {i} has run metadata"
    assert not {"widgets", "papermill"} & set(notebook["metadata"])


@pytest.mark.slow
@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_top_to_bottom(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every cell runs without error in a fresh kernel (a failing cell raises CellExecutionError)."""
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.setenv("KGRAPH_NOTEBOOK_OUT", str(tmp_path))  # the kernel inherits it: outputs go to tmp
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel then draws inline (image/png outputs)
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert (tmp_path / "kgraph.db").stat().st_size > 0
    text = json.dumps([o for o in outputs if o.output_type in ("stream", "execute_result", "display_data")])
    if path.name.startswith("01"):
        assert "kgraph-explorer" in text and "image/png" in text  # the explorer inline and the plots
        assert "RUS" in text and "attacks" in text
    else:
        assert "image/png" in text and "GraphML:" in text
        assert (tmp_path / "analysis.gexf").stat().st_size > 0
