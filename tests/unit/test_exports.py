"""The results form and the contacts list as files (campaign/exports.py), opened back with
python-docx and openpyxl and checked against the demo workbook's known totals."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from docx.shared import Mm
from openpyxl import load_workbook

from campaign import exports, russian
from campaign.form import FilledForm, FilledRow, contacts_table, results_form
from campaign.pipeline import run
from campaign.problems import where_to_fix
from campaign.spec import load_campaign
from campaign.workbook import SourceInfo
from data_sources.local_file import LocalFileSource
from tests.demo_figures import AMUR_EVENTS, AMUR_EVENTS_TOTAL, AMUR_JOINED, AMUR_REACH

REPO = Path(__file__).resolve().parents[2]
NBSP = "\u00a0"
TITLE = "Итоги акции #МояХартия на территории Амурской области"
AS_OF = "по состоянию на 22.02.2022"

# The form's wording, word for word (the end of the Administration's letter), and the demo's
# totals (tests/demo_figures.py): people = reach + organisations; events by kind.
LABELS = [
    "Численность лиц и организаций, задействованных в акции",
    "Количество мероприятий, проведенных в поддержку Хартии, в том числе:",
    "- информационных кампаний и ссылки на них",
    "- конференций и ссылки на них",
    "- интервью / выступлений на радио или телевидении и ссылки на них",
    "- конкурсов на лучший видеоролик среди детей",
    "- иных мероприятий и ссылки на них",
    "Количество организаций, подписавших Хартию",
    "Ссылки на видеоролики победителей конкурса, иной контент",
]
VALUES = [AMUR_REACH + AMUR_JOINED, AMUR_EVENTS_TOTAL, *AMUR_EVENTS.values(), AMUR_JOINED, None]
LINK_COUNTS = [0, 0, 4, 1, 8, 0, 18, 0, 1]  # one «иное мероприятие» has no link in the sheet
CONFERENCE_LINKS = ["https://t.me/uo_blag/412"]
WINNER_LINKS = ["https://vk.com/clip-170388431_456239052"]
CONTACT_HEADERS = ["Муниципальное образование", "Наименование организации", "ФИО контактного лица",
                   "Должность", "Телефон"]
INJECTION = '=HYPERLINK("http://example.org","x")'


@pytest.fixture(scope="module")
def report():
    tabs = LocalFileSource(str(REPO / "data" / "demo" / "amur-2022.xlsx")).read().tabs
    return run(tabs, load_campaign("amur-2022"), as_of=date(2022, 2, 22))


@pytest.fixture(scope="module")
def form(report):
    return results_form(report)


@pytest.fixture(scope="module")
def tynda(report):
    resolution = report.registry.resolve("г. Тында")
    assert resolution.status == "ok"
    return resolution.uid


# -------------------------------------------------------------------------- readers


def docx_of(data: bytes):
    return Document(io.BytesIO(data))


def docx_rows(document) -> list[dict]:
    """The form's table: one dict per row after the header."""
    table = document.tables[0]
    rows = []
    for row in table.rows[1:]:
        label_cell, value_cell = row.cells
        paragraphs = [p for p in value_cell.paragraphs if p.text]
        links = [link.address for p in value_cell.paragraphs for link in p.hyperlinks]
        rows.append({
            "label": label_cell.text,
            "indent": label_cell.paragraphs[0].paragraph_format.left_indent,
            "first": paragraphs[0].text if paragraphs else "",
            "texts": [p.text for p in paragraphs],
            "links": links,
        })
    return rows


def xlsx_of(data: bytes):
    return load_workbook(io.BytesIO(data))


def xlsx_form_rows(sheet, header: int = 3) -> list[dict]:
    """Form rows from the sheet: a row with a label starts one, rows below add links."""
    rows: list[dict] = []
    for number in range(header + 1, sheet.max_row + 1):
        label, value, link = (sheet.cell(row=number, column=c) for c in (1, 2, 3))
        if label.value is not None:
            rows.append({"label": label.value, "value": value.value, "value_cell": value,
                         "label_cell": label, "links": [], "link_cells": []})
        if link.value is not None and link.value != exports.NO_LINKS:
            rows[-1]["links"].append(link.value)
            rows[-1]["link_cells"].append(link)
    return rows


def all_cells(workbook):
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            yield from row


def assert_no_formulas(data: bytes) -> None:
    """No formula in the workbook: neither in openpyxl's view nor in the sheet XML itself."""
    workbook = xlsx_of(data)
    for cell in all_cells(workbook):
        assert cell.data_type != "f", f"{cell.coordinate}: {cell.value!r}"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name), name


# ---------------------------------------------------------------------- the form itself


def test_form_rows_match_the_official_form(form):
    """The exporters' input: the form's rows, in order, with the demo's independent totals."""
    assert form.title == TITLE and form.as_of == AS_OF
    assert [row.label for row in form.rows] == LABELS
    assert [row.value for row in form.rows] == VALUES
    assert [len(row.links) for row in form.rows] == LINK_COUNTS


def test_thousands_separator_is_a_non_breaking_space():
    assert russian.number(37339) == f"37{NBSP}339"
    assert russian.number(34) == "34"
    assert russian.number(1234567) == f"1{NBSP}234{NBSP}567"


# ---------------------------------------------------------------------------- DOCX


@pytest.fixture(scope="module")
def docx_document(form):
    return docx_of(exports.form_docx(form))


def test_docx_title_and_date(docx_document):
    paragraphs = [p for p in docx_document.paragraphs if p.text]
    title, as_of = paragraphs[0], paragraphs[1]
    assert title.text == TITLE
    assert title.alignment == 1  # centred
    assert all(run.bold for run in title.runs)
    assert title.runs[0].font.size.pt == 14
    assert as_of.text == AS_OF and as_of.alignment == 1


def test_docx_page_is_a4_portrait_in_times_new_roman(docx_document):
    section = docx_document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1)
    assert abs(section.page_height - Mm(297)) < Mm(1)
    assert section.left_margin >= Mm(20) and section.right_margin >= Mm(10)
    normal = docx_document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size.pt == 12


def test_docx_table_has_every_row_in_order(docx_document):
    table = docx_document.tables[0]
    assert table.style.name == "Table Grid"  # borders on every cell
    assert [cell.text for cell in table.rows[0].cells] == ["Показатель", "Значение и ссылки"]
    rows = docx_rows(docx_document)
    assert [row["label"] for row in rows] == LABELS
    expected_first = [russian.number(v) if v is not None else None for v in VALUES]
    for row, value in zip(rows, expected_first):
        if value is not None:
            assert row["first"] == value, row
    assert rows[0]["first"] == f"37{NBSP}339"
    assert [len(row["links"]) for row in rows] == LINK_COUNTS


def test_docx_links_are_hyperlinks_one_per_line(docx_document):
    rows = docx_rows(docx_document)
    by_label = {row["label"]: row for row in rows}
    conferences = by_label["- конференций и ссылки на них"]
    assert conferences["links"] == CONFERENCE_LINKS
    assert conferences["texts"] == ["1", *CONFERENCE_LINKS]  # the number, then a line per link
    winners = by_label["Ссылки на видеоролики победителей конкурса, иной контент"]
    assert winners["links"] == WINNER_LINKS and winners["texts"] == WINNER_LINKS


def test_docx_sub_items_are_indented(docx_document):
    for row in docx_rows(docx_document):
        if row["label"].startswith("- "):
            assert row["indent"] is not None and row["indent"] > 0, row["label"]
        else:
            assert not row["indent"], row["label"]


def test_docx_for_one_municipality(report, tynda):
    form = results_form(report, tynda)
    expected = report.municipalities.set_index("uid").loc[tynda]
    document = docx_of(exports.form_docx(form))
    texts = [p.text for p in document.paragraphs if p.text]
    assert "г. Тында" in texts[0] and texts[1] == AS_OF
    rows = docx_rows(document)
    assert [row["label"] for row in rows] == LABELS
    numbers = [expected["reach"] + expected["organisations_joined"], expected["events_total"],
               expected["information_campaigns"], expected["conferences"], expected["interviews"],
               expected["video_contests"], expected["other_events"], expected["organisations_joined"]]
    assert [row["first"] for row in rows[:8]] == [russian.number(int(n)) for n in numbers]
    assert rows[0]["first"] == russian.number(2226 + 5)
    # no winner's video in Тында: the row says so instead of staying blank
    assert rows[8]["links"] == [] and rows[8]["texts"] == [exports.NO_LINKS]


# ---------------------------------------------------------------------------- XLSX


@pytest.fixture(scope="module")
def form_sheet(form):
    return xlsx_of(exports.form_xlsx(form)).active


def test_xlsx_title_date_header(form_sheet):
    assert form_sheet["A1"].value == TITLE and form_sheet["A1"].font.b
    assert form_sheet["A2"].value == AS_OF
    assert [form_sheet.cell(row=3, column=c).value for c in (1, 2, 3)] == ["Показатель", "Значение", "Ссылки"]
    assert form_sheet.freeze_panes == "A4"


def test_xlsx_rows_numbers_and_links(form_sheet):
    rows = xlsx_form_rows(form_sheet)
    assert [row["label"] for row in rows] == LABELS
    assert [row["value"] for row in rows] == VALUES
    for row in rows:
        if row["value"] is not None:
            assert type(row["value"]) is int and row["value_cell"].data_type == "n"
            assert row["value_cell"].number_format == exports.NUMBER_FORMAT
        assert row["label_cell"].data_type == "s"
    assert [len(row["links"]) for row in rows] == LINK_COUNTS
    by_label = {row["label"]: row for row in rows}
    assert by_label["- конференций и ссылки на них"]["links"] == CONFERENCE_LINKS
    winners = by_label["Ссылки на видеоролики победителей конкурса, иной контент"]
    assert winners["links"] == WINNER_LINKS
    for row in rows:
        for cell in row["link_cells"]:
            assert cell.hyperlink is not None and cell.hyperlink.target == cell.value


def test_xlsx_sub_items_are_indented_and_stay_text(form_sheet):
    for row in xlsx_form_rows(form_sheet):
        cell = row["label_cell"]
        assert cell.data_type == "s"
        if cell.value.startswith("- "):
            assert cell.alignment.indent > 0
            assert cell.quotePrefix  # «- …» would otherwise be taken for a formula when edited


def test_xlsx_prints_on_a4_fit_to_width(form_sheet):
    assert str(form_sheet.page_setup.paperSize) == form_sheet.PAPERSIZE_A4
    assert form_sheet.page_setup.orientation == "portrait"
    assert form_sheet.sheet_properties.pageSetUpPr.fitToPage
    assert form_sheet.page_setup.fitToWidth == 1 and form_sheet.page_setup.fitToHeight == 0
    assert form_sheet.column_dimensions["A"].width >= 40
    assert form_sheet.column_dimensions["C"].width >= 40


def test_xlsx_for_one_municipality(report, tynda):
    sheet = xlsx_of(exports.form_xlsx(results_form(report, tynda))).active
    expected = report.municipalities.set_index("uid").loc[tynda]
    rows = xlsx_form_rows(sheet)
    assert [row["label"] for row in rows] == LABELS
    assert [row["value"] for row in rows] == [
        int(expected["reach"] + expected["organisations_joined"]), int(expected["events_total"]),
        int(expected["information_campaigns"]), int(expected["conferences"]), int(expected["interviews"]),
        int(expected["video_contests"]), int(expected["other_events"]), int(expected["organisations_joined"]),
        None,
    ]
    assert [len(row["links"]) for row in rows] == [0, 0, 1, 0, 2, 0, 2, 0, 0]


# ------------------------------------------------------------------------ contacts


def test_contacts_xlsx(report):
    table = contacts_table(report)
    data = exports.contacts_xlsx(table, report.campaign.contacts.title)
    sheet = xlsx_of(data).active
    assert sheet["A1"].value == report.campaign.contacts.title
    assert "персональные данные" in sheet["A2"].value
    assert [sheet.cell(row=3, column=c).value for c in range(1, 6)] == CONTACT_HEADERS
    body = list(sheet.iter_rows(min_row=4, values_only=True))
    assert len(body) == AMUR_JOINED
    assert all(cell.data_type == "s" for row in sheet.iter_rows(min_row=4) for cell in row)
    assert body[0][4].startswith("+7 ")  # phones are text, not numbers nor formulas
    assert sheet.freeze_panes == "A4" and sheet.auto_filter.ref == "A3:E57"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert_no_formulas(data)


# ----------------------------------------------------------------- formula injection


def test_no_formula_from_the_sheet(sheet):
    """An organisation, a contact and an event link typed as formulas end up as literal text."""
    report = sheet.run(
        orgs=[sheet.org(name=INJECTION, contact="-Иванова Ирина", position="@директор"), sheet.org()],
        events=[sheet.event(link=INJECTION), sheet.event(kind="иное мероприятие")],
    )
    form_data = exports.form_xlsx(results_form(report))
    assert_no_formulas(form_data)
    contacts = exports.contacts_xlsx(contacts_table(report), "Контакты")
    assert_no_formulas(contacts)
    cells = {cell.value: cell for cell in all_cells(xlsx_of(contacts)) if cell.value is not None}
    for text in (INJECTION, "-Иванова Ирина", "@директор"):
        assert cells[text].data_type == "s" and cells[text].quotePrefix, text
    exports.form_docx(results_form(report))  # and the Word file is written too


def test_no_formula_whatever_the_exporters_get():
    """The exporters' own guard, for text that never passed the sheet's validation."""
    risky = [INJECTION, "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0"]
    form = FilledForm(
        title="=1+1",
        as_of="-по состоянию",
        rows=(FilledRow(risky[0], 5, tuple(risky[1:])), FilledRow("@x", None, (), note="=note")),
    )
    data = exports.form_xlsx(form)
    assert_no_formulas(data)
    values = {cell.value for cell in all_cells(xlsx_of(data))}
    assert set(risky) | {"=1+1", "-по состоянию", "@x", "=note"} <= values
    table = pd.DataFrame({"Наименование организации": risky, "Телефон": ["+7 914 123-45-67"] * len(risky)})
    contacts = exports.contacts_xlsx(table, "=title")
    assert_no_formulas(contacts)
    workbook = xlsx_of(contacts)
    assert [row[0] for row in workbook.active.iter_rows(min_row=4, values_only=True)] == risky
    for cell in all_cells(workbook):
        if isinstance(cell.value, str) and cell.value.startswith(exports.FORMULA_STARTS):
            assert cell.quotePrefix, cell.coordinate
    document = docx_of(exports.form_docx(form))
    assert docx_rows(document)[0]["label"] == INJECTION


def test_missing_and_control_characters_do_not_break_the_files():
    table = pd.DataFrame({"ФИО контактного лица": ["Иванова\x07 Ирина", None, float("nan")]})
    sheet = xlsx_of(exports.contacts_xlsx(table, "Контакты")).active
    assert [row[0] for row in sheet.iter_rows(min_row=4, values_only=True)] == ["Иванова Ирина", None, None]
    form = FilledForm("Итоги\x0b", "по состоянию на 01.03.2022", (FilledRow("Строка\x01", 0, ()),))
    assert docx_rows(docx_of(exports.form_docx(form)))[0]["label"] == "Строка"


def test_docx_hyperlinks_get_one_relationship_per_address_and_unique_ids():
    """Hyperlinks are related once per address, with ids that never clash with the document's
    own relationships (kept in a map: python-docx's search of every relationship per link was
    quadratic)."""
    import io

    from docx import Document

    from campaign import exports

    document = Document()
    own = set(document.part.rels)
    paragraph = document.add_paragraph()
    for url in ["https://a.ru/1", "https://a.ru/2", "https://a.ru/1", *[f"https://b.ru/{i}" for i in range(500)]]:
        exports._hyperlink(paragraph, url, size=10)
    buffer = io.BytesIO()
    document.save(buffer)
    again = Document(io.BytesIO(buffer.getvalue()))
    links = [r for r in again.part.rels.values() if r.is_external]
    assert len(links) == 502 and len({r.target_ref for r in links}) == 502
    assert not own & {r.rId for r in links}
    addresses = [link.address for p in again.paragraphs for link in p.hyperlinks]
    assert addresses[:3] == ["https://a.ru/1", "https://a.ru/2", "https://a.ru/1"] and len(addresses) == 503


@pytest.mark.parametrize("source, files, place", [
    (None, False, "Исправьте строки в общей таблице: через минуту"),
    (SourceInfo(kind="google", label="Хартия", personal_label="Контакты.xlsx"), False,
     "Исправьте строки в общей таблице, а персональные данные — в книге «Контакты.xlsx»"),
    (SourceInfo(kind="webdav", label="Папка"), True, "Исправьте строки в файлах муниципалитетов"),
    (SourceInfo(kind="upload", label="amur.xlsx"), False, "Исправьте строки в файле и передайте его администратору"),
])
def test_the_problems_list_says_where_to_correct_them_for_each_kind_of_source(report, source, files, place):
    said = where_to_fix(source, files=files)
    assert said.startswith(place)
    data = exports.problems_xlsx(report.problems, "Проблемы", where_to_fix=said)
    sheet = xlsx_of(data).active
    assert sheet["A2"].value == said
    assert_no_formulas(data)


def test_a_report_read_from_one_workbook_says_the_shared_sheet(report):
    assert not report.from_files
    assert report.where_to_fix() == where_to_fix(None)


def test_an_administrator_of_uploaded_data_is_told_to_upload_the_corrected_file():
    said = where_to_fix(SourceInfo(kind="upload", label="amur.xlsx"), uploads=True)
    assert said.startswith("Исправьте строки в файле и загрузите его снова («Загрузить таблицу» на боковой панели)")
    assert where_to_fix(None, uploads=True) == where_to_fix(None)  # nothing to upload elsewhere
