"""A campaign whose personal columns are kept apart: the shared sheet (Google, say) and the
workbook of personal columns (hosted in Russia) read as one workbook. The personal workbook's tabs
are marked as such (`RawTab.personal`, in a file of their own); the pipeline joins them to the
shared sheet's rows (campaign/personal_join.py). Both are read at once; either failing fails the
read, so that the last good read of both is shown, never half of one."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from campaign.workbook import Source, SourceError, Workbook

PERSONAL_LABEL = "персональные данные"


class JoinedSource:
    def __init__(self, shared: Source, personal: Source) -> None:
        self.shared = shared
        self.personal = personal

    def read(self) -> Workbook:
        with ThreadPoolExecutor(2, thread_name_prefix="joined-read") as pool:
            personal_read = pool.submit(self.personal.read)
            shared = self.shared.read()
            try:
                personal = personal_read.result()
            except SourceError as error:
                raise SourceError(error.kind, f"Книга персональных данных: {error.message}",
                                  detail=error.detail) from None
        label = personal.source.label
        if label in {tab.file for tab in shared.tabs}:
            label = f"{label} ({PERSONAL_LABEL})"
        tabs = [*shared.tabs, *(replace(tab, personal=True, file=tab.file or label) for tab in personal.tabs)]
        return Workbook(
            tabs=tabs,
            source=replace(shared.source, personal_label=label),
            read_at=shared.read_at,
            requests_made=shared.requests_made + personal.requests_made,
            extra={**shared.extra, "personal": personal.extra},
        )
