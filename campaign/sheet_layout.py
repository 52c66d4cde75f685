"""The plan of a new, empty campaign sheet, made from the campaign file.

`plan_sheet` says what the sheet holds: the «Инструкция» tab first, then every tab of the
campaign with its header row (bold, frozen, a note on each header), the drop-down lists on a
hidden tab «Списки» and the input checks (lists, dates, whole numbers). For a deployment that
keeps personal data apart (campaign/personal_join.py), `part` plans either the shared sheet
without any personal column or the workbook of the personal columns: each tab that has them,
with the key columns that join its rows to the shared sheet's, the same lists and checks. campaign/sheet_xlsx.py
renders the plan as an .xlsx workbook; data_sources/sheet_setup.py writes it to a Google Sheet.

Lists live on «Списки» and checks refer to its ranges: Excel keeps an inline list to 255
characters, and a region's municipalities take more. No check is strict: the reader accepts
variants («город Благовещенск», «15 февраля 2022», «~150»), so a value off the list is only
flagged in the sheet, never refused.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from openpyxl.utils import get_column_letter

from campaign import column_types
from campaign.column_types import NO, YES, Window
from campaign.region_list import registry_for
from campaign.registry import Registry
from campaign.russian import MUNICIPALITY_FORMS, count, day, one
from campaign.spec import Campaign, ColumnSpec, TabSpec

WHOLE, SHARED, PERSONAL = "whole", "shared", "personal"  # what a plan is of

INSTRUCTION_TAB = "Инструкция"
LISTS_TAB = "Списки"
DATA_ROWS = 1000  # the rows of a new Google sheet: checks cover rows 2..DATA_ROWS
INSTRUCTION_WIDTHS = (32, 14, 52, 52, 16)  # characters: Столбец | Обязательный | … | Персональные данные

REQUIRED_NOTE = "Обязательный столбец"
PERSONAL_NOTE = "Персональные данные"
LIST_PROMPT = "Выберите значение из списка"
OFF_LIST_TITLE = "Значения нет в списке"
OFF_LIST_MESSAGE = ("Проверьте написание или выберите значение из списка. "
                    "Если значение верное, его можно оставить.")



@dataclass(frozen=True)
class ValueList:
    """One drop-down list: a column of «Списки» (its title in row 1, the values below)."""

    title: str
    values: tuple[str, ...]
    column: int  # 0-based column of «Списки»

    @property
    def letter(self) -> str:
        return get_column_letter(self.column + 1)

    @property
    def reference(self) -> str:
        """The list's cells as a range a check refers to: «'Списки'!$A$2:$A$30»."""
        return f"'{LISTS_TAB}'!${self.letter}$2:${self.letter}${len(self.values) + 1}"


@dataclass(frozen=True)
class InputCheck:
    """A check of one column's cells (rows 2..DATA_ROWS): a list, a date or a whole number ≥ 0."""

    column: int  # 0-based column of its tab
    kind: str  # "list", "date", "number"
    message: str  # shown when a cell is selected
    values: ValueList | None = None  # for "list"

    @property
    def cells(self) -> str:
        letter = get_column_letter(self.column + 1)
        return f"{letter}2:{letter}{DATA_ROWS}"


@dataclass(frozen=True)
class TabLayout:
    title: str
    header: tuple[str, ...]
    notes: tuple[str, ...]  # the note of each header cell
    checks: tuple[InputCheck, ...]
    widths: tuple[int, ...]  # characters
    required: tuple[bool, ...]


@dataclass(frozen=True)
class InstructionRow:
    cells: tuple[str, ...]
    style: str = "text"  # "title", "heading", "header" (of a table), "row" (of a table), "text"


@dataclass(frozen=True)
class SheetLayout:
    title: str  # «Акция #МояХартия — Амурская область»
    instruction: tuple[InstructionRow, ...]
    tabs: tuple[TabLayout, ...]
    lists: tuple[ValueList, ...]

    @property
    def lists_rows(self) -> int:
        """Rows of «Списки»: the titles and the longest list."""
        return 1 + max((len(v.values) for v in self.lists), default=0)

    def checks_of(self, kind: str) -> int:
        return sum(1 for tab in self.tabs for check in tab.checks if check.kind == kind)

    @property
    def required_columns(self) -> int:
        return sum(sum(tab.required) for tab in self.tabs)


# ============================================================================ the plan


def campaign_part(campaign: Campaign, part: str) -> Campaign:
    """The campaign as one part of a split deployment shows it: the shared sheet's tabs without
    their personal columns, or the personal workbook's tabs (keys first, then personal columns)."""
    if part == SHARED:
        return replace(campaign, tabs=tuple(replace(tab, columns=tuple(c for c in tab.columns if not c.personal))
                                            for tab in campaign.tabs))
    if part == PERSONAL:
        tabs = []
        for tab in campaign.tabs:
            if any(c.personal for c in tab.columns):
                keys = {c for key in tab.join_keys for c in key}
                tabs.append(replace(tab, columns=tuple(c for c in tab.columns if c.id in keys or c.personal)))
        return replace(campaign, tabs=tuple(tabs))
    return campaign


def plan_sheet(campaign: Campaign, registry: Registry | None = None, part: str = WHOLE) -> SheetLayout:
    """The sheet a campaign's coordinators fill in, empty: tabs, lists, checks, instruction (of
    the whole sheet, or of one part of a deployment that keeps personal data apart)."""
    whole = campaign
    campaign = campaign_part(campaign, part)
    registry = registry or registry_for(campaign)
    municipalities = tuple(m.name for m in registry.municipalities)
    lists: dict[tuple[str, ...], ValueList] = {}

    def value_list(column: ColumnSpec, tab: TabSpec) -> ValueList:
        values = municipalities if column.type == "municipality" else tuple(c.value for c in column.choices)
        if values not in lists:
            title = "Да или нет" if column.yes_no else column.name
            if any(v.title == title for v in lists.values()):
                title = f"{column.name} ({tab.name})"
            lists[values] = ValueList(title, values, len(lists))
        return lists[values]

    window = typing_window(campaign, len(municipalities))
    tabs = []
    for tab in campaign.tabs:
        checks = []
        for index, column in enumerate(tab.columns):
            check = column_types.of(column).check
            if check == "list":
                checks.append(InputCheck(index, check, LIST_PROMPT, value_list(column, tab)))
            elif check is not None:
                checks.append(InputCheck(index, check, what_to_type(column, window)))
        tabs.append(TabLayout(
            title=tab.name,
            header=tuple(c.name for c in tab.columns),
            notes=tuple(_header_note(c, window) for c in tab.columns),
            checks=tuple(checks),
            widths=tuple(_width(c) for c in tab.columns),
            required=tuple(c.required for c in tab.columns),
        ))
    title = f"{campaign.title} — {campaign.region_name}" + (f": {PERSONAL_TITLE}" if part == PERSONAL else "")
    return SheetLayout(title, _instruction(campaign, window, _part_rules(whole, part)), tuple(tabs),
                       tuple(lists.values()))


PERSONAL_TITLE = "персональные данные"


def _part_rules(whole: Campaign, part: str) -> list[str]:
    """What the instruction of one part of a split deployment adds to the rules."""
    personal = list(dict.fromkeys(c.name for tab in whole.tabs for c in tab.columns if c.personal))
    said = ", ".join(f"«{name}»" for name in personal)
    if part == SHARED and personal:
        return [f"Персональные данные ({said}) в эту таблицу не вносятся: они ведутся в отдельной книге "
                f"«{PERSONAL_TITLE}», которая хранится на сервере в России "
                "(152-ФЗ «О персональных данных», ст. 18, ч. 5)."]
    if part == PERSONAL:
        rules = []
        for tab in whole.tabs:
            if any(c.personal for c in tab.columns):
                keys = tab.join_keys
                named = " или ".join(" и ".join(f"«{tab.column(c).name}»" for c in key) for key in keys)
                columns = "столбцу" if len(keys) == 1 and len(keys[0]) == 1 else "столбцам"
                rules.append(f"Строка листа «{tab.name}» связывается со строкой одноимённого листа общей таблицы по "
                             f"{columns} {named}: пишите эти значения точно так же, как в общей таблице, по одной "
                             "строке на запись.")
        return rules + ["Эта книга хранится только на сервере в России; не копируйте её в Google-таблицы и "
                        "другие сервисы за рубежом."]
    return []


def typing_window(campaign: Campaign, municipalities: int) -> Window:
    return Window(campaign.start, campaign.end, campaign.region_name_genitive, municipalities)


def _width(column: ColumnSpec) -> int:
    return column_types.of(column).width or min(40, max(14, len(column.name) + 4))


def what_to_type(column: ColumnSpec, window: Window) -> str:
    """What a coordinator types into a column, in a few words."""
    return column_types.of(column).to_type(column, window)


def allowed_values(column: ColumnSpec, window: Window) -> str:
    return column_types.of(column).allowed(column, window)


def _header_note(column: ColumnSpec, window: Window) -> str:
    lines = [REQUIRED_NOTE] if column.required else []
    if column.personal:
        lines.append(PERSONAL_NOTE)
    if column.type != "text" or column.hint:
        lines.append(what_to_type(column, window))
    return "\n".join(lines)


def row_is(campaign: Campaign, tab: TabSpec) -> str | None:
    """What one row of a tab is («одна организация»), from the unit of the metric counting it."""
    counting = [m for m in campaign.metrics if m.tab == tab.id and m.aggregate == "count" and m.unit]
    counting.sort(key=lambda m: bool(m.where))  # a metric counting every row first
    if counting:
        return one(counting[0].unit[0])
    if campaign.quota is not None and campaign.quota.tab == tab.id:
        return one(MUNICIPALITY_FORMS[0])
    return None


def _tab_purpose(campaign: Campaign, tab: TabSpec) -> str:
    parts = [f"Лист «{tab.name}»: одна строка — {row_is(campaign, tab) or 'одна запись'}."]
    labels = [m.label.rstrip(".") for m in campaign.metrics if m.tab == tab.id]
    if labels:
        parts.append("По нему считаются: " + "; ".join(labels) + ".")
    if campaign.quota is not None and campaign.quota.tab == tab.id:
        metric = campaign.metric(campaign.quota.metric)
        parts.append(f"Цели муниципальных образований по показателю «{metric.label}».")
    if not tab.required:
        parts.append("Необязательный лист.")
    return " ".join(parts)


def _instruction(campaign: Campaign, window: Window, more_rules: list[str]) -> tuple[InstructionRow, ...]:
    rows = [
        InstructionRow((f"Как заполнять таблицу: {campaign.title}",), "title"),
        InstructionRow((f"Регион: {campaign.region_name}",)),
        InstructionRow((f"Период: с {day(campaign.start)} по {day(campaign.end)}",)),
    ]
    if campaign.description:
        rows.append(InstructionRow((campaign.description,)))
    rows += [InstructionRow(()), InstructionRow(("Листы таблицы",), "heading")]
    rows += [InstructionRow((_tab_purpose(campaign, tab),)) for tab in campaign.tabs]

    for tab in campaign.tabs:
        rows += [InstructionRow(()), InstructionRow((f"Столбцы листа «{tab.name}»",), "heading"),
                 InstructionRow(("Столбец", "Обязательный", "Что вписывать", "Допустимые значения",
                                 "Персональные данные"), "header")]
        rows += [InstructionRow((column.name, YES if column.required else NO, what_to_type(column, window),
                                 allowed_values(column, window),
                                 YES if column.personal else NO), "row")
                 for column in tab.columns]

    rows += [InstructionRow(()), InstructionRow(("Сроки",), "heading")]
    if campaign.deadlines:
        rows.append(InstructionRow(("Срок", "Что направить", "Кто направляет", "Кому"), "header"))
        rows += [InstructionRow((day(d.date), d.what, d.sender, d.recipient), "row") for d in campaign.deadlines]
    else:
        rows.append(InstructionRow(("Сроки в кампании не заданы.",)))

    rows += [InstructionRow(()), InstructionRow(("Правила заполнения",), "heading")]
    rules = _rules(campaign) + more_rules
    rows += [InstructionRow((f"{number}. {rule}",)) for number, rule in enumerate(rules, start=1)]
    return tuple(rows)


def _rules(campaign: Campaign) -> list[str]:
    examples = [f"на листе «{tab.name}» — {what}" for tab in campaign.tabs if (what := row_is(campaign, tab))]
    one_row = "Одна строка — одна запись"
    one_row += f" ({'; '.join(examples)})" if examples else ""
    personal = list(dict.fromkeys(c.name for tab in campaign.tabs for c in tab.columns if c.personal))
    rules = [
        f"{one_row}. Не объединяйте ячейки и не пишите несколько записей в одной строке.",
        f"Даты пишите в виде ДД.ММ.ГГГГ, например {day(campaign.start)}.",
        "Не переименовывайте и не удаляйте листы и заголовки столбцов в строке 1: по ним данные "
        "находятся автоматически. Свои столбцы можно добавлять справа.",
        "Обязательные столбцы заполняйте в каждой строке; они отмечены в примечании к заголовку.",
        "В столбцах со списком выбирайте значение из раскрывающегося списка в ячейке. "
        f"Лист «{LISTS_TAB}» скрыт: на нём хранятся эти списки, не меняйте его.",
    ]
    if personal:
        rules.append("Персональные данные (" + ", ".join(f"«{name}»" for name in personal) + ") видят только "
                     "координаторы и администраторы; остальным пользователям дашборда они не показываются.")
    return rules


# ============================================================================ summary


def summary_text(layout: SheetLayout, where: str) -> str:
    """What was created, for the command line."""
    tabs = ", ".join(f"«{tab.title}» ({count(len(tab.header), ('столбец', 'столбца', 'столбцов'))})"
                     for tab in layout.tabs)
    lists = count(len(layout.lists), ("список", "списка", "списков"))
    checks = [count(layout.checks_of("list"), ("столбец", "столбца", "столбцов")) + " со списком"]
    if layout.checks_of("date"):
        checks.append(f"{layout.checks_of('date')} с датой")
    if layout.checks_of("number"):
        checks.append(f"{layout.checks_of('number')} с числом")
    required = count(layout.required_columns, ("обязательный столбец отмечен", "обязательных столбца отмечены",
                                               "обязательных столбцов отмечены"))
    return "\n".join([
        f"Создана таблица «{layout.title}»: {where}",
        f"Листы: «{INSTRUCTION_TAB}», {tabs}; скрытый лист «{LISTS_TAB}» ({lists}).",
        f"Проверка ввода: {', '.join(checks)}; {required} примечанием.",
    ])
