"""LibreOffice as a reader would open our DOCX: converted to PDF, the PDF's text read back."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


def docx_to_pdf(docx: Path, folder: Path) -> Path:
    """The PDF LibreOffice makes of `docx` (skips the test where LibreOffice is not installed)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer")
    profile = folder / "lo-profile"
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(folder), str(docx)],
        capture_output=True, text=True, timeout=120,
    )
    pdf = folder / f"{docx.stem}.pdf"
    assert pdf.exists(), result.stdout + result.stderr
    return pdf


def pdf_text(pdf: Path) -> str | None:
    """The PDF's text laid out (non-breaking spaces as spaces); None without pdftotext."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        return None
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True,
                          encoding="utf-8", timeout=60).stdout
    return text.replace("\u00a0", " ")
