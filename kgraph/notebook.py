"""Show the explorer inline in a Jupyter notebook."""

from __future__ import annotations

import html as html_lib
from typing import Any

import networkx as nx


def show(graph: nx.MultiDiGraph, height: int = 650, title: str = "kgraph") -> Any:
    """The explorer page of ``graph`` as an inline notebook display (an isolated iframe)."""
    from IPython.display import HTML

    from .html import render_html

    page = render_html(graph, title=title)
    # srcdoc keeps the page in its own document: its script and styles cannot touch the notebook
    return HTML(
        f'<iframe srcdoc="{html_lib.escape(page, quote=True)}" style="width:100%;height:{int(height)}px;border:1px solid #ddd" '
        'sandbox="allow-scripts"></iframe>'
    )
