"""`python -m campaign briefing`, run as a user runs it: a subprocess from the repository's root
with no CAMPAIGN_* settings in the environment."""

from __future__ import annotations

import struct
import subprocess
from pathlib import Path

import pytest

from tests.cli_helpers import cli

REPO = Path(__file__).resolve().parents[2]
AMUR = "data/demo/amur-2022.xlsx"


def briefing(out: Path, *extra: str) -> subprocess.CompletedProcess:
    return cli("briefing", "--source", AMUR, "--campaign", "amur-2022", "--as-of", "2022-02-22",
               "--out", str(out), *extra)


def test_writes_png(tmp_path):
    out = tmp_path / "briefing.png"
    result = briefing(out)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert f"Записано: {out}" in result.stdout
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    assert struct.unpack(">II", data[16:24]) == (1920, 1080)


def test_writes_pdf(tmp_path):
    out = tmp_path / "Briefing.PDF"  # the extension in any case
    result = briefing(out)
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert b"/MediaBox [0 0 1920 1080]" in data


@pytest.mark.parametrize("name", ["briefing.svg", "briefing", "briefing.png.txt"])
def test_unknown_extension_exits_2(tmp_path, name):
    out = tmp_path / name
    result = briefing(out)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Ошибка: ")
    assert ".png" in result.stderr and ".pdf" in result.stderr
    assert not out.exists()


def test_unwritable_place_exits_2(tmp_path):
    result = briefing(tmp_path / "no-such-folder" / "briefing.png")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "не удалось записать" in result.stderr


def test_out_is_required():
    result = cli("briefing", "--source", AMUR, "--campaign", "amur-2022")
    assert result.returncode == 2
    assert "--out" in result.stderr
