from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
DEV = SHARED / "eval" / "dev"


@pytest.fixture(scope="session")
def extractor():  # type: ignore[no-untyped-def]
    """The real pipeline, loaded once for the whole session."""
    from kgraph import Extractor

    return Extractor()
