"""A campaign whose data is a workbook an administrator uploads in the app (or with `python -m
campaign upload`): the upload is kept in the history of reads, as the last good read is, and is
the campaign's data until the next upload. Here only the two ends of it: a file's bytes read as a
workbook, and the source that serves the latest upload."""

from __future__ import annotations

import io
from datetime import datetime, timezone
from pathlib import PurePath
from typing import Callable

from campaign.workbook import SourceError, SourceInfo, Workbook

from .limits import DEFAULT_LIMITS, ReadLimits
from .local_file import MSG_BAD_XLSX, MSG_OLD_XLS, XLSX_SUFFIXES, xlsx_tabs

MSG_NOTHING_UPLOADED = ("Данные кампании ещё не загружены: администратор загружает таблицу (.xlsx) на боковой панели "
                        "дашборда, «Загрузить таблицу».")
MSG_NOT_XLSX = "Файл «{name}» не подходит: нужна книга Excel (.xlsx)."
MSG_EMPTY = "Файл «{name}» пуст."


def uploaded_workbook(name: str, content: bytes, by: str, at: datetime | None = None,
                      limits: ReadLimits = DEFAULT_LIMITS) -> Workbook:
    """The tabs of an uploaded .xlsx, or a Russian SourceError («bad_file», «too_large») saying why not."""
    name = PurePath(name).name  # a browser may send a path
    suffix = PurePath(name).suffix.lower()
    if suffix == ".xls":
        raise SourceError("bad_file", MSG_OLD_XLS.format(name=name))
    if suffix not in XLSX_SUFFIXES:
        raise SourceError("bad_file", MSG_NOT_XLSX.format(name=name))
    if not content:
        raise SourceError("bad_file", MSG_EMPTY.format(name=name))
    try:
        tabs = xlsx_tabs(io.BytesIO(content), name=name, limits=limits)
    except SourceError:
        raise  # more than the limits allow: said as it is
    except Exception as error:  # noqa: BLE001 - a damaged file raises many kinds
        raise SourceError("bad_file", MSG_BAD_XLSX.format(name=name), detail=repr(error)) from None
    return Workbook(tabs=tabs, source=SourceInfo(kind="upload", label=name, url=None, by=by),
                    read_at=at or datetime.now(timezone.utc), requests_made=0)


class UploadedSource:
    """Serves the latest upload (`latest()`: from the history of reads)."""

    kind = "upload"
    waits_on_network = False  # the history is read, no sheet

    def __init__(self, latest: Callable[[], Workbook | None]) -> None:
        self.latest = latest

    def read(self) -> Workbook:
        workbook = self.latest()
        if workbook is None:
            raise SourceError("no_data", MSG_NOTHING_UPLOADED)
        return workbook
