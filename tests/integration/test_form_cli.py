"""`python -m campaign form`, run as a user runs it: the files it writes open in python-docx and
openpyxl, and the Word file converts to PDF in LibreOffice (what an official does to send it)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.cli_helpers import assert_no_traceback, cli
from tests.demo_figures import AMUR_JOINED, AMUR_REACH, thousands
from tests.office import docx_to_pdf, pdf_text

REPO = Path(__file__).resolve().parents[2]
AMUR = "data/demo/amur-2022.xlsx"
TITLE = "Итоги акции #МояХартия на территории Амурской области"
AS_OF = "по состоянию на 22.02.2022"


def form(out: Path, *extra: str) -> subprocess.CompletedProcess:
    return cli("form", "--source", AMUR, "--campaign", "amur-2022", "--as-of", "2022-02-22",
               "--out", str(out), *extra)


@pytest.fixture(scope="module")
def region_docx(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("form") / "itogi.docx"
    result = form(out)
    assert result.returncode == 0, result.stderr
    assert_no_traceback(result)
    assert str(out) in result.stdout
    return out


def test_writes_a_docx_that_opens(region_docx):
    document = Document(str(region_docx))
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[:2] == [TITLE, AS_OF]
    table = document.tables[0]
    assert len(table.rows) == 1 + 9
    assert table.rows[1].cells[1].paragraphs[0].text == thousands(AMUR_REACH + AMUR_JOINED)
    assert table.rows[8].cells[0].text == "Количество организаций, подписавших Хартию"
    assert table.rows[8].cells[1].text == str(AMUR_JOINED)


def test_writes_an_xlsx_that_opens(tmp_path):
    out = tmp_path / "itogi.xlsx"
    result = form(out)
    assert result.returncode == 0, result.stderr
    assert_no_traceback(result)
    sheet = load_workbook(out).active
    assert sheet["A1"].value == TITLE and sheet["A2"].value == AS_OF
    values = {sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=2).value
              for r in range(4, sheet.max_row + 1) if sheet.cell(row=r, column=1).value}
    assert values["Численность лиц и организаций, задействованных в акции"] == AMUR_REACH + AMUR_JOINED
    assert values["Количество организаций, подписавших Хартию"] == AMUR_JOINED


def test_one_municipality(tmp_path):
    out = tmp_path / "tynda.docx"
    result = form(out, "--municipality", "г. Тында")
    assert result.returncode == 0, result.stderr
    document = Document(str(out))
    assert "г. Тында" in document.paragraphs[0].text
    rows = document.tables[0].rows
    assert rows[1].cells[1].paragraphs[0].text == "2\u00a0231"  # reach 2 226 + 5 organisations
    assert rows[8].cells[1].text == "5"


def test_unknown_municipality_exits_2_with_suggestions(tmp_path):
    out = tmp_path / "x.docx"
    result = form(out, "--municipality", "Тынды")
    assert result.returncode == 2
    assert_no_traceback(result)
    assert "Ошибка" in result.stderr and "не найден" in result.stderr
    assert "«г. Тында»" in result.stderr and "«Тындинский район»" in result.stderr
    assert not out.exists()


def test_unknown_extension_exits_2(tmp_path):
    result = form(tmp_path / "itogi.pdf")
    assert result.returncode == 2
    assert_no_traceback(result)
    assert "Ошибка" in result.stderr and ".docx" in result.stderr and ".xlsx" in result.stderr


def test_contacts_list_warns_about_personal_data(tmp_path):
    out = tmp_path / "contacts.xlsx"
    result = form(out, "--contacts")
    assert result.returncode == 0, result.stderr
    assert "персональные данные" in result.stderr
    sheet = load_workbook(out).active
    assert sheet.cell(row=3, column=1).value == "Муниципальное образование"
    assert sheet.max_row == 3 + 54
    bad = form(tmp_path / "contacts.docx", "--contacts")
    assert bad.returncode == 2 and "только в .xlsx" in bad.stderr


def test_docx_converts_to_pdf_in_libreoffice(region_docx, tmp_path):
    pdf = docx_to_pdf(region_docx, tmp_path)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert re.search(rb"/MediaBox\s*\[\s*0 0 595\.\d* 841\.\d*", data)  # A4: 595 x 842 pt
    assert len(re.findall(rb"/Type\s*/Page(?!s)", data)) >= 1
    text = pdf_text(pdf)
    if text is not None:
        assert "Итоги акции" in text
        assert "37 339" in text
