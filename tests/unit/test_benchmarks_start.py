"""Every benchmark still starts: its imports resolve and it answers --help (no test runs the
benchmarks themselves, so a moved module would otherwise break them unnoticed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("script", sorted(p.name for p in (REPO / "benchmarks").glob("*.py") if p.name != "__init__.py"))
def test_a_benchmark_starts(script):
    done = subprocess.run([sys.executable, f"benchmarks/{script}", "--help"], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "usage:" in done.stdout


def test_the_pages_benchmark_takes_an_error_page_for_no_figure(benchmarks_importable):
    """It timed and weighed «Источник данных не ответил вовремя» as if it were the page."""
    from streamlit.testing.v1 import AppTest

    from pages import failure

    broken = AppTest.from_string('import streamlit as st\nst.error("Источник данных не ответил вовремя")').run()
    assert failure(broken) == "no data on the page: Источник данных не ответил вовремя"
    page = AppTest.from_string('import streamlit as st\nst.title("Сводка")\nst.write(1)').run()
    assert failure(page) is None
