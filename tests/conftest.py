from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEV = SHARED / "eval" / "dev"
#: The seed article (the README's first example), in the repository's sample articles.
SEED = ROOT / "data" / "articles" / "00_blinken-warns-china.txt"
#: A small real corpus in the repository: nine public-domain news leads.
VOA = ROOT / "tests" / "fixtures" / "voa"

#: Tests that measure against the shared evaluation sets (``../shared/eval``) need them beside the
#: repository; CI has them, a clone alone skips these tests with this one reason.
SHARED_REASON = "needs the shared evaluation sets beside the repository (shared/eval; CI has them)"
needs_shared = pytest.mark.skipif(not DEV.is_dir(), reason=SHARED_REASON)


@pytest.fixture(scope="session")
def extractor():  # type: ignore[no-untyped-def]
    """The real pipeline, loaded once for the whole session."""
    from kgraph import Extractor

    return Extractor()
