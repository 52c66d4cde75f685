"""Shared test setup: the repo on sys.path, and markers by speed."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # so plain `pytest` finds the packages, as `python -m pytest` does
    sys.path.insert(0, str(REPO))
