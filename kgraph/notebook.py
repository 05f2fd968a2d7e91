"""Show the explorer inline in a Jupyter notebook."""

from __future__ import annotations

import html as html_lib
from typing import Any

import networkx as nx


def show(graph: nx.MultiDiGraph, height: int = 650, title: str = "kgraph", max_edges: int | None = None) -> Any:
    """The explorer page of ``graph`` as an inline notebook display (an isolated iframe)."""
    from IPython.display import HTML

    from .html import DEFAULT_MAX_EDGES, render_html

    page = render_html(graph, title=title, max_edges=max_edges or DEFAULT_MAX_EDGES)
    # srcdoc keeps the page in its own sandboxed document: its script cannot touch the notebook,
    # and popups may leave the sandbox so article links open normally
    # the wrapping div keeps IPython from suggesting IFrame, which cannot take a srcdoc
    return HTML(
        f'<div class="kgraph-explorer"><iframe srcdoc="{html_lib.escape(page, quote=True)}" title="{html_lib.escape(title, quote=True)}" '
        f'style="width:100%;height:{int(height)}px;border:1px solid #ddd" '
        'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox"></iframe></div>'
    )
