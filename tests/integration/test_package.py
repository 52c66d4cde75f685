"""The project installs as a package (pyproject.toml): `pip install -e .` in a fresh virtual
environment gives a `campaign` command that works from any folder, as `python -m campaign` does.
Built offline from what is installed already (no download in a test): the environment sees the
installed libraries (`--system-site-packages`) and the build uses the installed setuptools."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.demo_figures import AMUR_JOINED

REPO = Path(__file__).resolve().parents[2]


def test_an_editable_install_gives_a_working_campaign_command(tmp_path):
    environment = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", "--system-site-packages", str(environment)],
                   check=True, timeout=120)
    python = environment / "bin" / "python"
    outside = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "CAMPAIGN_ID")}
    assert subprocess.run([str(python), "-c", "import campaign"], cwd=tmp_path, env=outside,
                          capture_output=True, timeout=60).returncode == 1  # not importable before
    built = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                            "--no-build-isolation", "--no-index", "-e", str(REPO)],
                           capture_output=True, text=True, timeout=300, env=outside)
    shutil.rmtree(REPO / "campaign_dashboard.egg-info", ignore_errors=True)
    assert built.returncode == 0, built.stderr[-2000:]
    done = subprocess.run([str(environment / "bin" / "campaign"), "summary", "--json"], cwd=tmp_path, env=outside,
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout)["organisations_joined"] == AMUR_JOINED
    said = subprocess.run([str(environment / "bin" / "campaign"), "--help"], cwd=tmp_path, env=outside,
                          capture_output=True, text=True, timeout=60)
    assert said.returncode == 0 and "summary" in said.stdout
