"""Shared fixtures: a private cache folder for the whole run, the corridor graph and the default events."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

_CACHE = tempfile.mkdtemp(prefix="routes-test-cache-")
os.environ.setdefault("ROUTES_CACHE_DIR", _CACHE)

DATA = Path(__file__).parent / "data"
SHARED_SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def corridor():
    from routes.network import load_graph

    return load_graph(None)


@pytest.fixture(scope="session")
def default_events():
    from routes.scenario import default_events

    return default_events()


@pytest.fixture(scope="session")
def gazetteer():
    from gazetteer.store import default_gazetteer

    return default_gazetteer()
