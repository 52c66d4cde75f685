"""A new campaign sheet's plan (campaign/sheet_layout.py) as an .xlsx workbook: «Инструкция»
first, the campaign's tabs with their header notes and input checks, the hidden «Списки»."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from campaign.exports import put_text
from campaign.sheet_layout import (
    INSTRUCTION_TAB,
    INSTRUCTION_WIDTHS,
    LISTS_TAB,
    OFF_LIST_MESSAGE,
    OFF_LIST_TITLE,
    InputCheck,
    SheetLayout,
)

_BOLD = Font(bold=True)
_STYLE_FONTS = {"title": Font(bold=True, size=14), "heading": Font(bold=True, size=12), "header": _BOLD}
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_COMMENT_AUTHOR = "Шаблон таблицы"


def layout_xlsx(layout: SheetLayout) -> bytes:
    """The plan as an .xlsx workbook: «Инструкция» first, the campaign's tabs, hidden «Списки»."""
    workbook = Workbook()
    workbook.properties.title = layout.title
    workbook.properties.language = "ru-RU"
    instruction = workbook.active
    instruction.title = INSTRUCTION_TAB
    for number, row in enumerate(layout.instruction, start=1):
        for column, text in enumerate(row.cells, start=1):
            cell = instruction.cell(row=number, column=column)
            put_text(cell, text)
            if row.style in _STYLE_FONTS:
                cell.font = _STYLE_FONTS[row.style]
            if row.style in ("header", "row"):
                cell.alignment = _WRAP_TOP
    for column, width in enumerate(INSTRUCTION_WIDTHS, start=1):
        instruction.column_dimensions[get_column_letter(column)].width = width

    for tab in layout.tabs:
        sheet = workbook.create_sheet(tab.title)
        for column, (name, note, width) in enumerate(zip(tab.header, tab.notes, tab.widths), start=1):
            cell = sheet.cell(row=1, column=column)
            put_text(cell, name)
            cell.font = _BOLD
            cell.comment = Comment(note, _COMMENT_AUTHOR, width=300, height=120)
            sheet.column_dimensions[get_column_letter(column)].width = width
        sheet.freeze_panes = "A2"
        for check in tab.checks:
            sheet.add_data_validation(_xlsx_validation(check))

    lists = workbook.create_sheet(LISTS_TAB)
    for value_list in layout.lists:
        column = value_list.column + 1
        put_text(lists.cell(row=1, column=column), value_list.title)
        lists.cell(row=1, column=column).font = _BOLD
        for number, value in enumerate(value_list.values, start=2):
            put_text(lists.cell(row=number, column=column), value)
        lists.column_dimensions[get_column_letter(column)].width = max(len(v) for v in value_list.values) + 4
    lists.freeze_panes = "A2"
    lists.sheet_state = "hidden"
    workbook.active = 0

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_validation(check: InputCheck) -> DataValidation:
    if check.kind == "list":
        rule = {"type": "list", "formula1": check.values.reference}
    elif check.kind == "date":
        rule = {"type": "date", "operator": "greaterThanOrEqual", "formula1": "1"}  # any real date
    else:
        rule = {"type": "whole", "operator": "greaterThanOrEqual", "formula1": "0"}
    validation = DataValidation(**rule, allow_blank=True, showInputMessage=True, promptTitle=None,
                                prompt=check.message, showErrorMessage=True, errorStyle="warning",
                                errorTitle=OFF_LIST_TITLE if check.kind == "list" else "Проверьте значение",
                                error=OFF_LIST_MESSAGE if check.kind == "list" else check.message + ".")
    validation.add(check.cells)
    return validation
