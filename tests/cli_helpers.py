"""Running `python -m campaign …` as a user would, for the CLI tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def cli(*args: str, timeout: int = 120, env: dict | None = None, stdin: str | None = None
        ) -> subprocess.CompletedProcess:
    """The command in the repo, with no CAMPAIGN_* settings or credentials from outside (but
    `env`), and `stdin` as its standard input."""
    environment = {name: value for name, value in os.environ.items()
                   if not name.startswith("CAMPAIGN_") and name != "GOOGLE_APPLICATION_CREDENTIALS"}
    environment["PYTHONIOENCODING"] = "utf-8"
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "campaign", *args], cwd=REPO, env=environment, input=stdin,
                          capture_output=True, text=True, encoding="utf-8", timeout=timeout)


def assert_no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout
