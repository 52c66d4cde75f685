"""File formats of the results form and the contacts list: pure functions that return bytes.

- `form_docx`: the form as an official document (A4, Times New Roman), a table in the form's
  own two columns «Показатель» | «Значение и ссылки», so the filled form can be sent back as it is;
- `form_xlsx`: the same content as a worksheet: numbers as numbers, one link per row (each a
  clickable hyperlink), printable on A4;
- `contacts_xlsx`: the organisations that joined and their contact persons (personal data).

Nothing here starts a formula: every text cell is written as text, and text that a spreadsheet
would read as a formula (`=`, `+`, `-`, `@`, a tab or a carriage return first) also gets the
quote prefix, so Excel and LibreOffice show it literally (see `put_text`).
"""

from __future__ import annotations

import io
import math
import re
import weakref

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from campaign import russian
from campaign.form import FederalSummary, FilledForm, FilledRow
from campaign.problem_codes import SEVERITY_LABELS

FONT = "Times New Roman"
NBSP = "\u00a0"
NO_LINKS = "нет"  # a row of links only, with none in the sheet
LINK_COLOUR = "0563C1"  # Word's and Excel's own hyperlink blue
# Excel's built-in «# ##0» (numFmtId 3): a file stores number formats in the invariant syntax,
# where «,» is the grouping separator; Russian Excel and LibreOffice show it as «# ##0» and
# print 37339 as «37 339». A literal «# ##0» in the file would print 34 as « 34».
NUMBER_FORMAT = "#,##0"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot hold (python-docx and openpyxl refuse them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def is_sub_item(label: str) -> bool:
    """«- информационных кампаний…»: an item of the row above."""
    return label.lstrip().startswith(("- ", "– ", "— "))


def _plain(value: object) -> str:
    """A table cell as text: missing values are empty, characters XML cannot hold are dropped."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return _NOT_XML.sub("", str(value))


# ==================================================================================== DOCX


def _hyphenated_run(paragraph, text: str, size: float):
    """A run of `text` whose long words Word may break by the rules (optional hyphens,
    `<w:softHyphen/>`), not «Константиновски / й» at the edge of a narrow column."""
    run = paragraph.add_run()
    for number, piece in enumerate(russian.hyphenated(text).split(russian.SOFT_HYPHEN)):
        if number:
            run._r.append(OxmlElement("w:softHyphen"))
        run._r.add_t(piece)
    run.font.size = Pt(size)
    return run


def _set_fonts(r_pr, size: float) -> None:
    """Times New Roman for every script (Cyrillic is hAnsi), no theme fonts, Russian language."""
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    for tag in ("w:sz", "w:szCs"):
        element = r_pr.find(qn(tag))
        if element is None:
            element = OxmlElement(tag)
            r_pr.append(element)
        element.set(qn("w:val"), str(int(size * 2)))
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), "ru-RU")
    lang.set(qn("w:eastAsia"), "ru-RU")


def _setup_document(document) -> None:
    styles_element = document.styles.element
    defaults = styles_element.find(qn("w:docDefaults"))
    if defaults is not None:
        r_pr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if r_pr is not None:
            _set_fonts(r_pr, 12)
        p_pr = defaults.find(qn("w:pPrDefault") + "/" + qn("w:pPr"))
        if p_pr is not None:
            spacing = p_pr.find(qn("w:spacing"))
            if spacing is not None:
                p_pr.remove(spacing)
    normal = document.styles["Normal"]
    _set_fonts(normal.element.get_or_add_rPr(), 12)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0

    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    # The usual margins of Russian official documents (GOST R 7.0.97: left 20-30, right 10-15).
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)


def _paragraph(container, text: str = "", *, size: float = 12, bold: bool = False, italic: bool = False,
               align=WD_ALIGN_PARAGRAPH.LEFT, indent_cm: float = 0.0, space_after: float = 0):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(space_after)
    if indent_cm:
        paragraph.paragraph_format.left_indent = Cm(indent_cm)
    if text:
        run = paragraph.add_run(_plain(text))
        run.font.size = Pt(size)
        run.bold = bold
        run.italic = italic
    return paragraph


class _LinkIds:
    """The relationship ids of a document part's hyperlinks, one per address. python-docx's own
    `relate_to` looks through every relationship for each new link (and again for a free id):
    quadratic, 34 s for the 8 611 links of a 30 000-row form; this is linear."""

    def __init__(self, part) -> None:
        self.part = part
        self.ids = {rel.target_ref: rel.rId for rel in part.rels.values()
                    if rel.is_external and rel.reltype == RELATIONSHIP_TYPE.HYPERLINK}
        taken = [int(r_id[3:]) for r_id in part.rels if r_id.startswith("rId") and r_id[3:].isdigit()]
        self.next = max(taken, default=0) + 1

    def of(self, url: str) -> str:
        r_id = self.ids.get(url)
        if r_id is None:
            r_id = self.ids[url] = f"rId{self.next}"
            self.next += 1
            self.part.rels.add_relationship(RELATIONSHIP_TYPE.HYPERLINK, url, r_id, is_external=True)
        return r_id


_LINKS: "weakref.WeakKeyDictionary[object, _LinkIds]" = weakref.WeakKeyDictionary()


def _hyperlink(paragraph, url: str, size: float) -> None:
    """A real, clickable hyperlink (python-docx has no API for one: a w:hyperlink element)."""
    part = paragraph.part
    links = _LINKS.get(part)
    if links is None:
        links = _LINKS[part] = _LinkIds(part)
    r_id = links.of(url)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    link.set(qn("w:history"), "1")
    run = OxmlElement("w:r")
    r_pr = OxmlElement("w:rPr")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), LINK_COLOUR)
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), str(int(size * 2)))
    r_pr.extend([colour, underline, sz])
    text = OxmlElement("w:t")
    text.text = _plain(url)
    text.set(qn("xml:space"), "preserve")
    run.extend([r_pr, text])
    link.append(run)
    paragraph._p.append(link)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _no_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def _fill_value_cell(cell, row: FilledRow) -> None:
    """The number (with a non-breaking thousands space), a note, then the links one per line."""
    cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    if row.value is not None:
        _paragraph(cell, russian.number(row.value), bold=True)
    if row.note and row.value is not None:
        _paragraph(cell, row.note, size=10, italic=True)
    for link in row.links:
        _hyperlink(_paragraph(cell), link, size=10)
    if row.value is None and not row.links:
        _paragraph(cell, NO_LINKS)


def form_docx(form: FilledForm) -> bytes:
    """The filled form as a Word document: A4 portrait, Times New Roman 12, title 14 bold."""
    document = Document()
    _setup_document(document)
    document.core_properties.title = _plain(form.title)
    document.core_properties.subject = _plain(form.as_of)
    document.core_properties.language = "ru-RU"

    _paragraph(document, form.title, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, form.as_of, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)

    label_width, value_width = Mm(95), Mm(70)  # 165 mm: the page's width between the margins
    table = document.add_table(rows=1, cols=2)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    table.columns[0].width, table.columns[1].width = label_width, value_width

    header = table.rows[0]
    _repeat_header(header)
    _no_split(header)
    names = ("Показатель", "Значение и ссылки")
    for cell, text, width in zip(header.cells, names, (label_width, value_width)):
        cell.width = width
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = cell.paragraphs[0].add_run(text)
        run.bold = True

    for row in form.rows:
        cells = table.add_row().cells
        cells[0].width = label_width
        cells[1].width = value_width
        label = cells[0].paragraphs[0]
        label.add_run(_plain(row.label))
        if is_sub_item(row.label):
            label.paragraph_format.left_indent = Cm(0.75)
        _fill_value_cell(cells[1], row)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _no_borders(table) -> None:
    """A layout table (letterhead beside the addressee, position beside the name): no lines."""
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _widths(table, widths) -> None:
    """Column widths that hold in Word and LibreOffice alike: the grid's and every cell's."""
    for column, width in zip(table.columns, widths):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width


def _cell_lines(cell, lines, *, size: float = 12, bold: bool = False, align=WD_ALIGN_PARAGRAPH.LEFT,
                space_after: float = 0) -> None:
    for index, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 and not cell.paragraphs[0].text else cell.add_paragraph()
        paragraph.alignment = align
        paragraph.paragraph_format.space_after = Pt(space_after)
        run = paragraph.add_run(_plain(line))
        run.font.size = Pt(size)
        run.bold = bold


def _body(document, text: str, *, space_after: float = 0):
    """A paragraph of a letter's body: justified, the first line indented 1.25 cm (GOST R 7.0.97)."""
    paragraph = _paragraph(document, text, size=14, align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=space_after)
    paragraph.paragraph_format.first_line_indent = Cm(1.25)
    paragraph.paragraph_format.line_spacing = 1.0
    return paragraph


def reminder_docx(letter) -> bytes:
    """A reminder in the layout of the ministry's letters: the letterhead on the left with the
    date and number line and the subject under it, the addressee on the right, the salutation
    centred, the body in 14 pt, a table of the municipalities, the deadline, the signatory's
    position with a line for the name."""
    from campaign.reminders import as_uri

    document = Document()
    _setup_document(document)
    document.core_properties.title = _plain(letter.subject)
    document.core_properties.language = "ru-RU"

    head = document.add_table(rows=1, cols=2)
    _no_borders(head)
    head.autofit = False
    _widths(head, (Mm(82), Mm(83)))
    left, right = head.rows[0].cells
    _cell_lines(left, letter.sender, size=12, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell_lines(left, letter.details, size=9, align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell_lines(left, ["", letter.date_line, "На № _____ от _____", "", letter.subject], size=12,
                align=WD_ALIGN_PARAGRAPH.LEFT)
    _cell_lines(right, letter.addressee, size=14)
    for paragraph in right.paragraphs:
        paragraph.paragraph_format.left_indent = Cm(0.5)

    _paragraph(document, "")
    _paragraph(document, letter.salutation, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    for text in letter.paragraphs:
        _body(document, text, space_after=6)

    widths = (Mm(10), Mm(42), Mm(55), Mm(30), Mm(28))
    names = ("№", letter.unit_heading, "Что осталось сделать", "Проблемы в таблице", "Где исправить")
    has_links = any(row.link for row in letter.rows)
    if not has_links:
        widths, names = (Mm(10), Mm(50), Mm(75), Mm(30)), names[:4]
    table = document.add_table(rows=1, cols=len(names))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    header = table.rows[0]
    _repeat_header(header)
    _no_split(header)
    for cell, text in zip(header.cells, names):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(11)
    for number, row in enumerate(letter.rows, start=1):
        record = table.add_row()
        _no_split(record)
        cells = record.cells
        for cell, text in zip(cells, (str(number), row.municipality, row.owes, row.problems)):
            _hyphenated_run(cell.paragraphs[0], _plain(text), size=11)  # narrow columns: «Констан-тиновский»
        if has_links and row.link:
            _hyperlink_text(cells[4].paragraphs[0], as_uri(row.link), "Проверка данных", size=11)
    _widths(table, widths)

    _paragraph(document, "", space_after=6)
    for text in letter.closing:
        _body(document, text, space_after=6)

    _paragraph(document, "", space_after=12)
    signature = document.add_table(rows=1, cols=2)
    _no_borders(signature)
    signature.autofit = False
    _widths(signature, (Mm(100), Mm(65)))
    position, name = signature.rows[0].cells
    _cell_lines(position, [letter.signature], size=14)  # the letterhead names the sender
    _cell_lines(name, ["____________________"], size=14, align=WD_ALIGN_PARAGRAPH.RIGHT)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _hyperlink_text(paragraph, url: str, text: str, size: float) -> None:
    """A hyperlink to `url` that reads `text`."""
    _hyperlink(paragraph, url, size)
    paragraph._p[-1].find(qn("w:r")).find(qn("w:t")).text = _plain(text)


# ==================================================================================== XLSX

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TOP_WRAP = Alignment(vertical="top", wrap_text=True)


def put_text(cell, value: object) -> None:
    """Text as text: never a formula, whatever it starts with.

    openpyxl turns any string that starts with «=» into a formula; a string cell whose text
    starts with «=», «+», «-» or «@» is still taken for a formula when someone edits or
    re-enters it, so such cells also get the quote prefix (Excel's leading apostrophe).
    """
    text = ILLEGAL_CHARACTERS_RE.sub("", _plain(value))
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True


def _put_number(cell, value: int) -> None:
    cell.value = int(value)
    cell.number_format = NUMBER_FORMAT


def _print_setup(sheet: Worksheet, *, landscape: bool, title_rows: str) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left, sheet.page_margins.right = 0.8, 0.4  # inches: about 2 cm and 1 cm
    sheet.page_margins.top, sheet.page_margins.bottom = 0.6, 0.6
    sheet.print_title_rows = title_rows


def _title_rows(sheet: Worksheet, lines: list[tuple[str, Font]], width: int) -> None:
    for number, (text, font) in enumerate(lines, start=1):
        cell = sheet.cell(row=number, column=1)
        put_text(cell, text)
        cell.font = font
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if width > 1:
            sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=width)


def _header_row(sheet: Worksheet, row: int, names: list[str]) -> None:
    for column, name in enumerate(names, start=1):
        cell = sheet.cell(row=row, column=column)
        put_text(cell, name)
        cell.font = Font(name=FONT, size=12, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BORDER


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def form_xlsx(form: FilledForm) -> bytes:
    """The filled form as a worksheet.

    Title and date on top, then «Показатель» | «Значение» | «Ссылки» (| «Примечание» when a row
    has one). A row with several links takes one sheet row per link, each a clickable hyperlink;
    its label and value cells are merged down over those rows.
    """
    has_notes = any(row.note for row in form.rows)
    names = ["Показатель", "Значение", "Ссылки"] + (["Примечание"] if has_notes else [])
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Итоги акции"
    workbook.properties.title = _plain(form.title)
    workbook.properties.subject = _plain(form.as_of)
    workbook.properties.language = "ru-RU"

    _title_rows(sheet, [(form.title, Font(name=FONT, size=14, bold=True)),
                        (form.as_of, Font(name=FONT, size=12))], len(names))
    header = 3
    _header_row(sheet, header, names)

    body_font = Font(name=FONT, size=12)
    link_font = Font(name=FONT, size=11, color=LINK_COLOUR, underline="single")
    number = header + 1
    for row in form.rows:
        height = max(1, len(row.links))
        for offset in range(height):
            for column in range(1, len(names) + 1):
                cell = sheet.cell(row=number + offset, column=column)
                cell.border = BORDER
                cell.font = body_font
                cell.alignment = TOP_WRAP
        label = sheet.cell(row=number, column=1)
        put_text(label, row.label)
        if is_sub_item(row.label):
            label.alignment = Alignment(vertical="top", wrap_text=True, indent=2)
        value = sheet.cell(row=number, column=2)
        if row.value is not None:
            _put_number(value, row.value)
            value.alignment = Alignment(horizontal="right", vertical="top")
        for offset, link in enumerate(row.links):
            cell = sheet.cell(row=number + offset, column=3)
            put_text(cell, link)
            if link.startswith(("http://", "https://")):
                cell.hyperlink = link
                cell.font = link_font
        if row.value is None and not row.links:
            put_text(sheet.cell(row=number, column=3), NO_LINKS)
        if has_notes and row.note:
            put_text(sheet.cell(row=number, column=4), row.note)
        if height > 1:
            merged = [1, 2] + ([4] if has_notes else [])
            for column in merged:
                sheet.merge_cells(start_row=number, start_column=column,
                                  end_row=number + height - 1, end_column=column)
        number += height

    for column, width in zip("ABCD", (62, 14, 58, 40)):
        sheet.column_dimensions[column].width = width
    sheet.row_dimensions[1].height = 36
    sheet.freeze_panes = sheet.cell(row=header + 1, column=1)
    _print_setup(sheet, landscape=False, title_rows=f"{header}:{header}")
    return _save(workbook)


CONTACTS_NOTE = ("Содержит персональные данные контактных лиц: только для служебного использования, "
                 "не публикуйте и не пересылайте без необходимости.")


def contacts_xlsx(table: pd.DataFrame, title: str) -> bytes:
    """The contacts list: a title row, a personal-data note, the header, one row per organisation.

    Every cell is text (phones such as «+7 914 …» included), with a filter on the header.
    """
    return table_xlsx(table, title, note=CONTACTS_NOTE, sheet_title="Контактные лица", numbers=False)


def problems_table(problems: pd.DataFrame) -> pd.DataFrame:
    """The problems as the download lists them: what a coordinator needs to find each cell (the
    file too, for a workbook made of several files)."""
    files = {"Файл": problems["file"].to_numpy()} if (problems["file"] != "").any() else {}
    return pd.DataFrame({
        "Муниципалитет": problems["municipality"].to_numpy(),
        "Вид": problems["severity"].map(SEVERITY_LABELS).to_numpy(),
        **files,
        "Лист": problems["tab"].to_numpy(),
        "Строка": [int(row) if row else "" for row in problems["row"]],
        "Столбец": problems["column"].to_numpy(),
        "Что не так": problems["message"].to_numpy(),
        "Как исправить": problems["fix"].to_numpy(),
    })


def problems_xlsx(problems: pd.DataFrame, title: str, *, where_to_fix: str) -> bytes:
    """The problems of the sheet as the page lists them (no personal data: messages never quote it),
    under what to do about them (`Report.where_to_fix()`)."""
    return table_xlsx(problems_table(problems), title, note=where_to_fix, sheet_title="Проблемы")


def table_xlsx(table: pd.DataFrame, title: str, *, note: str, sheet_title: str, numbers: bool = True) -> bytes:
    """A table as a worksheet: a title row, a note, the header with a filter, one row per row.

    Text is written as text (never a formula); whole numbers as numbers when `numbers`."""
    names = [str(name) for name in table.columns]
    width = max(1, len(names))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    workbook.properties.title = _plain(title)
    _title_rows(sheet, [(title, Font(name=FONT, size=14, bold=True)),
                        (note, Font(name=FONT, size=10, italic=True, color="C00000"))], width)
    header = 3
    _header_row(sheet, header, names)

    font = Font(name=FONT, size=12)
    widths = [len(name) for name in names]
    for number, values in enumerate(table.itertuples(index=False, name=None), start=header + 1):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=number, column=column)
            if numbers and isinstance(value, (int,)) and not isinstance(value, bool):
                _put_number(cell, value)
            elif numbers and hasattr(value, "dtype") and getattr(value.dtype, "kind", "") in "iu":
                _put_number(cell, int(value))
            else:
                put_text(cell, value)
            cell.font = font
            cell.border = BORDER
            cell.alignment = TOP_WRAP
            widths[column - 1] = max(widths[column - 1], len(str(cell.value)))

    for column, longest in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(max(12, longest + 2), 60)
    sheet.row_dimensions[1].height = 36
    sheet.row_dimensions[2].height = 28
    sheet.freeze_panes = sheet.cell(row=header + 1, column=1)
    if names:
        last = header + len(table)
        sheet.auto_filter.ref = f"A{header}:{get_column_letter(width)}{last}"
    _print_setup(sheet, landscape=True, title_rows=f"{header}:{header}")
    return _save(workbook)


def lost_rows_xlsx(lost, zone: str) -> bytes:
    """The rows that disappeared from the sheet, to paste back: a worksheet per tab with that
    tab's own header (as the read that last had them), then where and when each was last seen.
    Personal data: for administrators only."""
    from zoneinfo import ZoneInfo

    workbook = Workbook()
    workbook.remove(workbook.active)
    by_tab: dict[str, list] = {}
    for row in lost:
        by_tab.setdefault(row.tab, []).append(row)
    for title, rows in by_tab.items():
        sheet = workbook.create_sheet(_NOT_XML.sub("", title)[:31] or "Лист")
        header = list(rows[0].header)
        names = header + ["Строка, где была", "Последний раз в таблице"]
        _header_row(sheet, 1, names)
        font = Font(name=FONT, size=11)
        for number, row in enumerate(rows, start=2):
            values = [row.cells[i] if i < len(row.cells) else "" for i in range(len(header))]
            seen = russian.moment(row.last_seen.astimezone(ZoneInfo(zone)))
            for column, value in enumerate([*values, str(row.row), seen], start=1):
                cell = sheet.cell(row=number, column=column)
                put_text(cell, value)
                cell.font = font
                cell.border = BORDER
        for column in range(1, len(names) + 1):
            sheet.column_dimensions[get_column_letter(column)].width = 22
        sheet.freeze_panes = "A2"
    if not by_tab:
        workbook.create_sheet("Пропавшие строки")
    return _save(workbook)


def _summary_frame(summary: FederalSummary) -> pd.DataFrame:
    """The regions' rows, then «Итого»: «№», «Субъект РФ», each numbered row of the form, the links."""
    rows = [[number, region.region, *region.values, "\n".join(region.links) or NO_LINKS]
            for number, region in enumerate(summary.regions, start=1)]
    rows.append(["", "Итого", *summary.total, ""])
    names = ["№", "Субъект Российской Федерации", *(_plain(c).lstrip("-–— ") for c in summary.columns),
             summary.links_label or "Ссылки"]
    return pd.DataFrame(rows, columns=names)


def _without_report(summary: FederalSummary) -> str:
    return ("Нет отчёта: " + ", ".join(summary.without_report) + ".") if summary.without_report else ""


def federal_summary_xlsx(summary: FederalSummary) -> bytes:
    """The regions' results in one worksheet: numbers as numbers, the winners' links one per line."""
    note = " ".join(part for part in (summary.as_of, _without_report(summary)) if part)
    return table_xlsx(_summary_frame(summary), summary.title, note=note, sheet_title="Итоги по регионам")


def federal_summary_docx(summary: FederalSummary) -> bytes:
    """The regions' results as an official document: A4 landscape, Times New Roman, one table."""
    document = Document()
    _setup_document(document)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin, section.right_margin = Mm(20), Mm(15)
    document.core_properties.title = _plain(summary.title)
    document.core_properties.language = "ru-RU"
    _paragraph(document, summary.title, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, summary.as_of, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)

    frame = _summary_frame(summary)
    table = document.add_table(rows=1, cols=len(frame.columns))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    _repeat_header(header)
    _no_split(header)
    for cell, name in zip(header.cells, frame.columns):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = cell.paragraphs[0].add_run(_plain(name))
        run.bold = True
        run.font.size = Pt(10)
    for values in frame.itertuples(index=False, name=None):
        row = table.add_row()
        _no_split(row)
        for column, (cell, value) in enumerate(zip(row.cells, values)):
            paragraph = cell.paragraphs[0]
            if column == len(values) - 1 and value not in ("", NO_LINKS):
                paragraph._p.getparent().remove(paragraph._p)
                for link in str(value).split("\n"):
                    _hyperlink(_paragraph(cell, size=9), link, size=9)
                continue
            text = russian.number(value) if isinstance(value, int) else _plain(value)
            run = paragraph.add_run(text)
            run.font.size = Pt(10)
            run.bold = values[1] == "Итого"
            if isinstance(value, int):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if summary.without_report:
        _paragraph(document, "", space_after=6)
        _paragraph(document, _without_report(summary), size=11, italic=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

