"""Write the plan of a new campaign sheet (campaign/sheet_layout.py) into an empty Google Sheet.

Three HTTP requests whatever the campaign: the metadata, one `values:batchGet` of every tab to
make sure the sheet holds no data, then one `spreadsheets.batchUpdate` that adds the tabs (with
their ids, the frozen header row, «Списки» hidden), writes headers, notes, lists and the
instruction (`updateCells`), sets the checks (`setDataValidation`), the date format and the
column widths, and deletes the empty tabs the sheet had (a new sheet's «Лист1»). Google applies
a batchUpdate atomically: either all of it or nothing.

The service account needs edit rights (the read-write scope `spreadsheets`; the sheet shared
with its client_email as «Редактор»). Failures are the reader's SourceErrors.
"""

from __future__ import annotations

from dataclasses import dataclass

import gspread
from google.auth import exceptions as google_auth_errors
from openpyxl.utils import get_column_letter

from campaign.sheet_layout import DATA_ROWS, INSTRUCTION_TAB, INSTRUCTION_WIDTHS, LISTS_TAB, SheetLayout
from campaign.workbook import SourceError
from data_sources.google_sheet import (
    DEFAULT_TIMEOUT,
    MSG_BAD_CREDENTIALS,
    MSG_NO_CREDENTIALS,
    GoogleSheetSource,
    _parse_metadata,
    _parse_value_ranges,
    range_for_title,
    tab_key,
)

READ_WRITE_SCOPES = ["https://www.googleapis.com/auth/spreadsheets"]
PIXELS_PER_CHARACTER = 7  # Arial 10, as Google draws a new sheet
DATE_PATTERN = "dd.mm.yyyy"

MSG_HAS_DATA = (
    "Таблица уже заполнена: на листе «{tab}» есть данные (ячейка {cell}). Генератор создаёт листы "
    "только в новой пустой таблице и ничего не перезаписывает. Создайте новую Google-таблицу "
    "(sheets.new) и укажите её адрес."
)
MSG_NOT_A_GRID = (
    "В таблице уже есть лист «{tab}» (диаграмма или подключённые данные). Генератор создаёт листы "
    "только в новой пустой таблице. Создайте новую Google-таблицу и укажите её адрес."
)
MSG_TITLE_TAKEN = (
    "В таблице уже есть лист «{tab}». Генератор создаёт листы только в новой пустой таблице. "
    "Удалите этот лист или создайте новую Google-таблицу."
)
MSG_NO_EDIT_ACCESS = (
    "Нет права на редактирование таблицы. Откройте доступ для адреса {email} с ролью «Редактор» "
    "(кнопка «Настройки доступа» в таблице)."
)
MSG_NO_EDIT_ACCESS_UNKNOWN = (
    "Нет права на редактирование таблицы. Откройте доступ для сервисного аккаунта приложения с ролью "
    "«Редактор» (кнопка «Настройки доступа» в таблице; адрес аккаунта — поле client_email в его JSON-ключе)."
)


@dataclass(frozen=True)
class SetupResult:
    url: str
    created: tuple[str, ...]  # tab titles, in order
    deleted: tuple[str, ...]  # the empty tabs the sheet had
    requests_made: int
    locale: str | None


class SheetSetup:
    """Fills an empty Google Sheet with a campaign's tabs. Give `credentials` (the service
    account's JSON key as a dict) or a ready `client` (gspread.Client), as for GoogleSheetSource.

    `create()` raises only SourceError; kind "not_empty" when the sheet already holds data."""

    def __init__(self, key_or_url: str, *, credentials: dict | None = None,
                 client: gspread.Client | None = None, timeout: float = DEFAULT_TIMEOUT) -> None:
        if client is None and credentials:
            try:
                client = gspread.service_account_from_dict(credentials, scopes=READ_WRITE_SCOPES)
            except (ValueError, KeyError, TypeError, google_auth_errors.GoogleAuthError) as err:
                raise SourceError("config", MSG_BAD_CREDENTIALS, detail=repr(err)) from None
        if client is None:
            raise SourceError("config", MSG_NO_CREDENTIALS)
        self._sheet = GoogleSheetSource(key_or_url, credentials=credentials, client=client, timeout=timeout)

    @property
    def url(self) -> str:
        return self._sheet.url

    def create(self, layout: SheetLayout) -> SetupResult:
        sheet = self._sheet
        http = sheet._http_client()
        try:
            with sheet.translated_errors():
                metadata = http.fetch_sheet_metadata(sheet.key)
                existing = _existing_tabs(metadata)
                requests_made = 1
                if existing:
                    ranges = [range_for_title(title) for _, title in existing]
                    reply = http.values_batch_get(sheet.key, ranges, params={"valueRenderOption": "FORMATTED_VALUE"})
                    requests_made += 1
                    _refuse_if_not_empty(existing, _parse_value_ranges(reply, len(existing)), layout)
                http.batch_update(sheet.key, setup_requests(layout, [sheet_id for sheet_id, _ in existing]))
                requests_made += 1
        except SourceError as error:
            if error.kind == "no_access":
                email = sheet.client_email
                text = MSG_NO_EDIT_ACCESS.format(email=email) if email else MSG_NO_EDIT_ACCESS_UNKNOWN
                raise SourceError("no_access", text, detail=error.detail) from None
            raise
        created = (INSTRUCTION_TAB, *(tab.title for tab in layout.tabs), LISTS_TAB)
        locale = (metadata.get("properties") or {}).get("locale")
        return SetupResult(sheet.url, created, tuple(title for _, title in existing), requests_made, locale)


def _existing_tabs(metadata: dict) -> list[tuple[int, str]]:
    """(sheetId, title) of every tab; a chart or data-source sheet counts as content."""
    grids = _parse_metadata(metadata)[1]
    for sheet in metadata.get("sheets") or []:
        if sheet["properties"].get("sheetType", "GRID") != "GRID":
            raise SourceError("not_empty", MSG_NOT_A_GRID.format(tab=sheet["properties"].get("title", "")))
    return grids


def _refuse_if_not_empty(existing: list[tuple[int, str]], value_ranges: list[dict], layout: SheetLayout) -> None:
    for (_, title), value_range in zip(existing, value_ranges):
        for row_number, row in enumerate(value_range.get("values") or [], start=1):
            for column, value in enumerate(row, start=1):
                if str(value).strip():
                    cell = f"{get_column_letter(column)}{row_number}"
                    raise SourceError("not_empty", MSG_HAS_DATA.format(tab=title, cell=cell))
    new_titles = {tab_key(t) for t in (INSTRUCTION_TAB, LISTS_TAB, *(tab.title for tab in layout.tabs))}
    for _, title in existing:
        if tab_key(title) in new_titles:
            raise SourceError("not_empty", MSG_TITLE_TAKEN.format(tab=title))


# ============================================================================ the requests


def _text(value: str, *, bold: bool = False, note: str = "", wrap: bool = False) -> dict:
    cell: dict = {"userEnteredValue": {"stringValue": value}} if value else {}
    text_format = {"textFormat": {"bold": True}} if bold else {}
    wrapping = {"wrapStrategy": "WRAP", "verticalAlignment": "TOP"} if wrap else {}
    if text_format or wrapping:
        cell["userEnteredFormat"] = {**text_format, **wrapping}
    if note:
        cell["note"] = note
    return cell


def _cells(sheet_id: int, rows: list[list[dict]]) -> dict:
    return {"updateCells": {
        "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0},
        "rows": [{"values": row} for row in rows],
        "fields": "userEnteredValue,userEnteredFormat.textFormat.bold,userEnteredFormat.wrapStrategy,"
                  "userEnteredFormat.verticalAlignment,note",
    }}


def _add_sheet(sheet_id: int, title: str, index: int, rows: int, columns: int, *,
               frozen: bool = True, hidden: bool = False) -> dict:
    grid = {"rowCount": rows, "columnCount": columns}
    if frozen:
        grid["frozenRowCount"] = 1
    properties = {"sheetId": sheet_id, "title": title, "index": index, "sheetType": "GRID", "gridProperties": grid}
    if hidden:
        properties["hidden"] = True
    return {"addSheet": {"properties": properties}}


def _widths(sheet_id: int, widths: tuple[int, ...]) -> list[dict]:
    return [{"updateDimensionProperties": {
        "range": {"sheetId": sheet_id, "dimension": "COLUMNS", "startIndex": index, "endIndex": index + 1},
        "properties": {"pixelSize": width * PIXELS_PER_CHARACTER},
        "fields": "pixelSize",
    }} for index, width in enumerate(widths)]


def _column_range(sheet_id: int, column: int) -> dict:
    return {"sheetId": sheet_id, "startRowIndex": 1, "endRowIndex": DATA_ROWS,
            "startColumnIndex": column, "endColumnIndex": column + 1}


def _validation(sheet_id: int, check) -> dict:
    if check.kind == "list":
        condition = {"type": "ONE_OF_RANGE", "values": [{"userEnteredValue": "=" + check.values.reference}]}
    elif check.kind == "date":
        condition = {"type": "DATE_IS_VALID"}
    else:  # Google has no "whole number" condition; the input message asks for one
        condition = {"type": "NUMBER_GREATER_THAN_EQ", "values": [{"userEnteredValue": "0"}]}
    rule = {"condition": condition, "inputMessage": check.message, "strict": False,
            "showCustomUi": check.kind == "list"}
    return {"setDataValidation": {"range": _column_range(sheet_id, check.column), "rule": rule}}


def setup_requests(layout: SheetLayout, existing_ids: list[int]) -> dict:
    """The one batchUpdate body: add the tabs with ids of our own (so the same batch can write
    into them), fill them, set the checks, then delete the sheet's old, empty tabs."""
    taken = set(existing_ids)
    ids = []
    candidate = 1
    while len(ids) < len(layout.tabs) + 2:
        if candidate not in taken:
            ids.append(candidate)
        candidate += 1
    instruction_id, lists_id, tab_ids = ids[0], ids[-1], ids[1:-1]

    adds = [_add_sheet(instruction_id, INSTRUCTION_TAB, 0, max(len(layout.instruction), 1) + 20,
                       len(INSTRUCTION_WIDTHS), frozen=False)]
    adds += [_add_sheet(sheet_id, tab.title, index, DATA_ROWS, max(26, len(tab.header)))
             for index, (sheet_id, tab) in enumerate(zip(tab_ids, layout.tabs), start=1)]
    adds.append(_add_sheet(lists_id, LISTS_TAB, len(layout.tabs) + 1, max(layout.lists_rows, 2),
                           max(len(layout.lists), 1), hidden=True))

    fills = [_cells(instruction_id, [
        [_text(text, bold=row.style in ("title", "heading", "header"), wrap=row.style in ("header", "row"))
         for text in row.cells] for row in layout.instruction])]
    fills += _widths(instruction_id, INSTRUCTION_WIDTHS)
    for sheet_id, tab in zip(tab_ids, layout.tabs):
        header = [_text(name, bold=True, note=note) for name, note in zip(tab.header, tab.notes)]
        fills.append(_cells(sheet_id, [header]))
        fills += _widths(sheet_id, tab.widths)
        for check in tab.checks:
            fills.append(_validation(sheet_id, check))
            if check.kind == "date":
                fills.append({"repeatCell": {
                    "range": _column_range(sheet_id, check.column),
                    "cell": {"userEnteredFormat": {"numberFormat": {"type": "DATE", "pattern": DATE_PATTERN}}},
                    "fields": "userEnteredFormat.numberFormat",
                }})
    columns = [[_text(v.title, bold=True) for v in layout.lists]]
    for row in range(1, layout.lists_rows):
        columns.append([_text(v.values[row - 1] if row <= len(v.values) else "") for v in layout.lists])
    fills.append(_cells(lists_id, columns))

    deletes = [{"deleteSheet": {"sheetId": sheet_id}} for sheet_id in existing_ids]
    return {"requests": adds + fills + deletes}
