"""Builders for hand-made workbooks of the #МояХартия sheet (see shared/sheet-template.md).

Tests get them through the `sheet` fixture:

    report = sheet.run(orgs=[sheet.org(name="МАОУ СОШ № 1")], events=[sheet.event()])

A pipeline run costs tens of milliseconds, so tests that only look at a report share one run
through module-scoped fixtures wherever they can.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import pytest

from campaign.pipeline import Report, run
from campaign.spec import Campaign, load_campaign
from campaign.workbook import RawTab

ORG_HEADER = [
    "Муниципальное образование", "Наименование организации", "ИНН", "Тип организации",
    "Дата присоединения", "Статус", "ФИО контактного лица", "Должность", "Телефон", "Email",
    "Ссылка на меморандум",
]
ORG_FIELDS = ("municipality", "name", "inn", "org_type", "joined_on", "status", "contact",
              "position", "phone", "email", "memorandum")
ORG_DEFAULTS = {
    "municipality": "г. Благовещенск",
    "name": "МАОУ «Школа № 1»",
    "inn": "",
    "org_type": "образовательная организация",
    "joined_on": "15.02.2022",
    "status": "меморандум подписан",
    "contact": "Иванова Ирина Ивановна",
    "position": "директор",
    "phone": "8 (4162) 22-65-10",
    "email": "school1@example.ru",
    "memorandum": "https://school1.example.ru/hartiya",
}

EVENT_HEADER = ["Муниципальное образование", "Вид мероприятия", "Название", "Дата", "Ссылка", "Охват, чел."]
EVENT_FIELDS = ("municipality", "kind", "title", "held_on", "link", "reach")
EVENT_DEFAULTS = {
    "municipality": "г. Благовещенск",
    "kind": "конференция",
    "title": "Цифровая этика детства",
    "held_on": "15.02.2022",
    "link": "https://vk.com/wall-1_1",
    "reach": "100",
}

CONTEST_HEADER = ["Муниципальное образование", "Участник", "Площадка", "Ссылка на видеоролик", "Итог"]
CONTEST_FIELDS = ("municipality", "participant", "platform", "video", "result")
CONTEST_DEFAULTS = {
    "municipality": "г. Благовещенск",
    "participant": "Петров Пётр",
    "platform": "TikTok",
    "video": "https://www.tiktok.com/@school1/video/1",
    "result": "участник",
}

QUOTA_HEADER = ["Муниципальное образование", "Цель: организаций"]

AS_OF = date(2022, 2, 20)


@lru_cache(maxsize=None)
def campaign(campaign_id: str) -> Campaign:
    return load_campaign(campaign_id)


def _row(fields: tuple[str, ...], defaults: dict[str, str], overrides: dict[str, str]) -> list[str]:
    unknown = set(overrides) - set(fields)
    assert not unknown, f"no such column: {unknown}"
    values = {**defaults, **overrides}
    return [values[field] for field in fields]


class SheetBuilder:
    ORG_HEADER = ORG_HEADER
    EVENT_HEADER = EVENT_HEADER
    CONTEST_HEADER = CONTEST_HEADER
    QUOTA_HEADER = QUOTA_HEADER
    AS_OF = AS_OF

    @staticmethod
    def org(**overrides: str) -> list[str]:
        """One row of «Организации» in ORG_HEADER's order: a valid, joined school by default."""
        return _row(ORG_FIELDS, ORG_DEFAULTS, overrides)

    @staticmethod
    def event(**overrides: str) -> list[str]:
        """One row of «Мероприятия» in EVENT_HEADER's order: a valid conference by default."""
        return _row(EVENT_FIELDS, EVENT_DEFAULTS, overrides)

    @staticmethod
    def entry(**overrides: str) -> list[str]:
        """One row of «Конкурс» in CONTEST_HEADER's order."""
        return _row(CONTEST_FIELDS, CONTEST_DEFAULTS, overrides)

    @staticmethod
    def tab(title: str, header: list[str], rows: list[list[str]], row_numbers: list[int] | None = None) -> RawTab:
        """A tab whose data rows are sheet rows 2, 3, … unless numbered explicitly."""
        numbers = row_numbers if row_numbers is not None else list(range(2, 2 + len(rows)))
        return RawTab(title, list(header), [list(row) for row in rows], numbers)

    def workbook(
        self,
        orgs: list[list[str]] | None = None,
        events: list[list[str]] | None = None,
        contest: list[list[str]] | None = None,
        quotas: list[list[str]] | None = None,
    ) -> list[RawTab]:
        """The usual tabs; «Организации» and «Мероприятия» always get one valid row at least."""
        tabs = [
            self.tab("Организации", ORG_HEADER, orgs if orgs is not None else [self.org()]),
            self.tab("Мероприятия", EVENT_HEADER, events if events is not None else [self.event()]),
        ]
        if contest is not None:
            tabs.append(self.tab("Конкурс", CONTEST_HEADER, contest))
        if quotas is not None:
            tabs.append(self.tab("Цели", QUOTA_HEADER, quotas))
        return tabs

    def run(self, tabs: list[RawTab] | None = None, *, campaign_id: str = "amur-2022",
            as_of: date = AS_OF, **tab_rows) -> Report:
        """The pipeline over `tabs`, or over `workbook(**tab_rows)`."""
        if tabs is None:
            tabs = self.workbook(**tab_rows)
        return run(tabs, campaign(campaign_id), as_of=as_of)

    @staticmethod
    def problems(report: Report, code: str | None = None) -> list[dict]:
        table = report.problems
        if code is not None:
            table = table[table["code"] == code]
        return table.to_dict("records")


@pytest.fixture(scope="session")
def sheet() -> SheetBuilder:
    return SheetBuilder()


@pytest.fixture(scope="session")
def amur() -> Campaign:
    return campaign("amur-2022")


@pytest.fixture(scope="session")
def primorye() -> Campaign:
    return campaign("primorye-2022")


@pytest.fixture
def benchmarks_importable(monkeypatch):
    """The benchmarks' folder on sys.path for one test, and gone after it with what was imported
    from it (its `pages` and `history` would hide the app's own for the tests that follow)."""
    import sys
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "benchmarks"
    monkeypatch.setattr(sys, "path", [str(folder), *sys.path])
    before = set(sys.modules)
    yield
    for name in set(sys.modules) - before:
        if str(getattr(sys.modules[name], "__file__", "") or "").startswith(str(folder)):
            del sys.modules[name]
