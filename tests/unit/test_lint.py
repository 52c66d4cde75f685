"""ruff, as pyproject.toml configures it (pycodestyle, pyflakes, import order, bugbear, a blind
`except` said on purpose, builtins shadowed, every `# noqa` naming a checked rule), finds nothing:
the README's one test command also lints."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_ruff_finds_nothing():
    command = [shutil.which("ruff")] if shutil.which("ruff") else [sys.executable, "-m", "ruff"]
    done = subprocess.run([*command, "check", "--no-cache", "."], cwd=REPO, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def test_every_noqa_says_why():
    import re

    bare = [f"{path.relative_to(REPO)}:{number}" for path in REPO.rglob("*.py")
            if "artifacts" not in path.parts and ".venv" not in path.parts
            for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
            if re.search(r"# noqa: [A-Z0-9, ]+$", line)]
    assert bare == []
