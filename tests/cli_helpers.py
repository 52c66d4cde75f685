"""Running `python -m campaign …` as a user would, for the CLI tests."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 1, 2


def _without_root_reading() -> None:
    """In the child before exec: root loses the capabilities that let it read any file, so file
    modes count for it as for anybody (a no-op for another user, who never had them)."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) refused")


def cli(*args: str, timeout: int = 120, env: dict | None = None, stdin: str | None = None,
        file_modes_bind_root: bool = False) -> subprocess.CompletedProcess:
    """The command in the repo, with no CAMPAIGN_* settings or credentials from outside (but
    `env`), and `stdin` as its standard input; with `file_modes_bind_root`, run as root it cannot
    read what its mode forbids (as the app's own user could not)."""
    environment = {name: value for name, value in os.environ.items()
                   if not name.startswith("CAMPAIGN_") and name != "GOOGLE_APPLICATION_CREDENTIALS"}
    environment["PYTHONIOENCODING"] = "utf-8"
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "campaign", *args], cwd=REPO, env=environment, input=stdin,
                          preexec_fn=_without_root_reading if file_modes_bind_root else None,
                          capture_output=True, text=True, encoding="utf-8", timeout=timeout)


def assert_no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout
