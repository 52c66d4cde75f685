"""Reading the sheet by the campaign file: columns, rows, and every problem a coordinator sees.

Each problem is checked for where it points (tab, sheet row, column as typed), its severity, and
the Russian message and fix shown to the coordinator (shared/sheet-template.md).
"""

from __future__ import annotations

from datetime import date

import pytest

from campaign import problem_codes
from campaign import problems as problem_table
from campaign.reading import find_columns, find_tab
from campaign.spec import load_campaign

NBSP = "\u00a0"
BLG = "г. Благовещенск"

# ----------------------------------------------------------------- one sheet with every problem

# «Организации»: row 4 is a blank row (spaces and a non-breaking space) the source passed on.
ORG_ROWS = {
    2: dict(name="Школа 2", inn="2801012347"),
    3: dict(name="Школа 3", contact=""),
    4: None,
    5: dict(name="Школа 5", municipality="Белогорскй р-н"),
    6: dict(name="Школа 6", joined_on="вчера"),
    7: dict(name="Школа 7", joined_on="01.02.2022"),
    8: dict(name="Школа 8", phone="12-34"),
    9: dict(name="Школа 9", inn="7707083894"),
    10: dict(name="Школа 10", memorandum="см. сайт школы"),
    11: dict(name="Школа 11", status="отказ"),
    12: dict(name="Школа 12", email="school12@"),
    13: dict(name="Школа 13", org_type="частное лицо"),
}
# «Мероприятия»: the source left out blank row 4, so the rows are numbered 2, 3, 5, 6.
EVENT_ROWS = {
    2: dict(),
    3: dict(kind="флешмоб"),
    5: dict(reach="много"),
    6: dict(link="javascript:alert(1)"),
}
CONTEST_ROWS = {
    2: dict(),
    3: dict(platform="YouTube"),
    4: dict(result="дипломант"),
}

ORG, EVENTS, CONTEST = "Организации", "Мероприятия", "Конкурс"

EXPECTED_PROBLEMS = [
    # (tab, row, column, code, severity, message, fix, municipality)
    (ORG, 3, "ФИО контактного лица", "missing_value", "error",
     "Не заполнено обязательное поле «ФИО контактного лица».",
     "Заполните «ФИО контактного лица».", BLG),
    (ORG, 5, "Муниципальное образование", "unknown_municipality", "error",
     "Муниципалитет «Белогорскй р-н» не найден среди муниципалитетов Амурской области.",
     "Возможно, имелось в виду: Белогорский район; г. Белогорск.", "Белогорскй р-н"),
    (ORG, 6, "Дата присоединения", "invalid_date", "error",
     "Не удалось прочитать дату «вчера» в столбце «Дата присоединения».",
     "Введите дату в виде ДД.ММ.ГГГГ, например 08.02.2022.", BLG),
    (ORG, 7, "Дата присоединения", "date_outside_campaign", "warning",
     "Дата 01.02.2022 вне сроков акции (08.02.2022–08.03.2022); строка всё равно учтена.",
     "Проверьте дату: возможно, опечатка в дне, месяце или годе.", BLG),
    (ORG, 8, "Телефон", "invalid_phone", "error",
     "Не удалось прочитать телефон в столбце «Телефон».",
     "Введите телефон с кодом города или оператора, например 8 (4162) 22-65-10 или +7 900 123-45-67.", BLG),
    (ORG, 9, "ИНН", "invalid_inn", "error",
     "Не удалось прочитать ИНН «7707083894» в столбце «ИНН».",
     "Проверьте ИНН: 10 цифр для организации или 12 для ИП; контрольная сумма не сходится.", BLG),
    (ORG, 10, "Ссылка на меморандум", "invalid_link", "error",
     "Не удалось прочитать ссылку «см. сайт школы» в столбце «Ссылка на меморандум».",
     "Вставьте полную ссылку, начинающуюся с https://", BLG),
    (ORG, 11, "Статус", "unknown_status", "error",
     "Значение «отказ» в столбце «Статус» не распознано.",
     "Выберите одно из значений: заявка подана, меморандум подписан или в реестре Альянса.", BLG),
    (ORG, 12, "Email", "invalid_email", "warning",
     "Не удалось прочитать адрес электронной почты в столбце «Email».",
     "Проверьте адрес: он должен быть вида name@example.ru.", BLG),
    (ORG, 13, "Тип организации", "unknown_org_type", "warning",
     "Значение «частное лицо» в столбце «Тип организации» не распознано.",
     "Выберите одно из значений: образовательная организация, НКО, СМИ, коммерческая организация, "
     "орган власти, иное.", BLG),
    (EVENTS, 3, "Вид мероприятия", "unknown_event_kind", "error",
     "Значение «флешмоб» в столбце «Вид мероприятия» не распознано.",
     "Выберите одно из значений: информационная кампания, конференция, интервью / выступление на радио "
     "или ТВ, конкурс видеороликов или иное мероприятие.", BLG),
    (EVENTS, 5, "Охват, чел.", "invalid_number", "error",
     "Не удалось прочитать число «много» в столбце «Охват, чел.».",
     "Введите целое число без текста, например 150; если данных нет — оставьте ячейку пустой.", BLG),
    (EVENTS, 6, "Ссылка", "invalid_link", "error",
     "Не удалось прочитать ссылку «javascript:alert(1)» в столбце «Ссылка».",
     "Вставьте полную ссылку, начинающуюся с https://", BLG),
    (CONTEST, 3, "Площадка", "unknown_platform", "error",
     "Значение «YouTube» в столбце «Площадка» не распознано.",
     "Выберите одно из значений: TikTok, VK Клипы или Yappy.", BLG),
    (CONTEST, 4, "Итог", "unknown_result", "warning",
     "Значение «дипломант» в столбце «Итог» не распознано.",
     "Выберите одно из значений: победитель, призёр или участник.", BLG),
]


@pytest.fixture(scope="module")
def report(sheet):
    blank = ["", "   ", NBSP, "", f" {NBSP} "]
    orgs = sheet.tab(ORG, sheet.ORG_HEADER,
                     [sheet.org(**cells) if cells is not None else blank for cells in ORG_ROWS.values()],
                     list(ORG_ROWS))
    events = sheet.tab(EVENTS, sheet.EVENT_HEADER,
                       [sheet.event(title=f"Событие {n}", **cells) for n, cells in EVENT_ROWS.items()],
                       list(EVENT_ROWS))
    contest = sheet.tab(CONTEST, sheet.CONTEST_HEADER,
                        [sheet.entry(participant=f"Участник {n}", **cells) for n, cells in CONTEST_ROWS.items()],
                        list(CONTEST_ROWS))
    return sheet.run([orgs, events, contest])


def _problem(report, tab, row, code):
    table = report.problems
    found = table[(table["tab"] == tab) & (table["row"] == row) & (table["code"] == code)]
    assert len(found) == 1, f"expected one {code} at {tab}:{row}, got\n{table[['tab', 'row', 'code']]}"
    return found.iloc[0]


@pytest.mark.parametrize(
    ("tab", "row", "column", "code", "severity", "message", "fix", "municipality"),
    EXPECTED_PROBLEMS,
    ids=[f"{p[3]}@{p[0]}:{p[1]}" for p in EXPECTED_PROBLEMS],
)
def test_each_problem_points_at_its_tab_row_and_column_with_a_russian_message_and_fix(
    report, tab, row, column, code, severity, message, fix, municipality
):
    problem = _problem(report, tab, row, code)
    assert problem["column"] == column
    assert problem["severity"] == severity == _severity(code)
    assert problem["message"] == message
    assert problem["fix"] == fix
    assert municipality in problem["municipality"]  # an unresolved row is grouped under its typed name


def test_the_sheet_has_exactly_the_expected_problems_and_none_for_blank_or_valid_rows(report):
    found = sorted(zip(report.problems["tab"], report.problems["row"], report.problems["code"]))
    assert found == sorted((p[0], p[1], p[3]) for p in EXPECTED_PROBLEMS)


def test_problems_have_the_documented_columns(report):
    assert list(report.problems.columns) == [
        "file", "tab", "row", "column", "code", "severity", "message", "fix", "municipality_uid", "municipality"]
    assert (report.problems["file"] == "").all()  # a workbook of one file


def test_a_problem_of_a_resolved_row_carries_its_municipality_uid(report):
    assert _problem(report, ORG, 8, "invalid_phone")["municipality_uid"] == "RU-AMU:благовещенск:go"
    assert _problem(report, ORG, 5, "unknown_municipality")["municipality_uid"] == ""


@pytest.mark.parametrize("secret", ["12-34", "1234", "Иванова", "school12@", "8 (4162)"])
def test_no_problem_message_or_fix_quotes_personal_data(report, secret):
    for text in (*report.problems["message"], *report.problems["fix"]):
        if secret == "8 (4162)":  # the fix's own example number is no personal data
            text = text.replace("например 8 (4162) 22-65-10", "")
        assert secret not in text


def test_a_blank_row_of_spaces_and_non_breaking_spaces_is_skipped_silently(report):
    rows = report.tabs["organisations"].frame["_row"].tolist()
    assert 4 not in rows
    assert rows == [2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13]


@pytest.mark.parametrize("row", [3, 5, 6, 7, 8, 9, 10, 12, 13])
def test_a_row_with_a_problem_is_reported_not_dropped_and_still_counts(report, row):
    counted = report.counted("organisations_joined")["_row"].tolist()
    assert row in counted


def test_a_row_with_an_unknown_status_is_not_counted_as_joined(report):
    assert 11 not in report.counted("organisations_joined")["_row"].tolist()
    assert report.metrics["organisations_joined"] == 10


def test_an_event_of_unknown_kind_is_reported_and_not_counted(report):
    assert 3 not in report.counted("events_total")["_row"].tolist()
    assert report.metrics["events_total"] == 3


def test_an_unreadable_reach_is_reported_and_adds_nothing(report):
    assert report.metrics["reach"] == 200  # rows 2 and 6: 100 each; row 3 is not counted


def test_a_contest_entry_on_an_unknown_platform_is_reported_and_still_an_entry(report):
    assert report.metrics["contest_entries"] == 3


def _campaign_codes() -> dict[str, str]:
    """The severity of every code the Amur campaign can report: the catalogue's, and the file's own."""
    return {code: problem.severity for code, problem in load_campaign("amur-2022").problem_codes().items()}


def _severity(code: str) -> str:
    return _campaign_codes()[code]


@pytest.mark.parametrize(("code", "severity"), sorted(_campaign_codes().items()))
def test_every_documented_problem_code_has_its_severity(code, severity):
    errors = {"missing_tab", "missing_column", "missing_value", "unknown_municipality",
              "ambiguous_municipality", "invalid_date", "invalid_phone", "invalid_inn", "invalid_link",
              "invalid_number", "unknown_event_kind", "unknown_status", "unknown_platform", "unclosed_quote",
              "unreadable_file", "municipality_in_two_files", "personal_row_missing", "personal_in_shared_sheet"}
    assert severity == ("error" if code in errors else "warning")
    assert problem_codes.SEVERITY_LABELS[severity] in ("ошибка", "предупреждение")


def test_a_campaign_files_own_choice_code_is_a_warning_unless_the_file_says_error():
    assert _severity("unknown_result") == "warning"
    assert _severity("unknown_status") == "error"


# ----------------------------------------------------------------- missing tabs and columns

MISSING_COLUMN_CASES = [
    # (tab, the required column left out, its labels as the fix lists them)
    (ORG, "Телефон", "«Телефон», «Телефон контактного лица», «Контактный телефон», «Тел»"),
    (EVENTS, "Дата", "«Дата», «Дата проведения», «Дата публикации»"),
    (CONTEST, "Площадка", "«Площадка», «Платформа», «Соцсеть»"),
]


@pytest.mark.parametrize(("tab", "column", "labels"), MISSING_COLUMN_CASES, ids=[c[1] for c in MISSING_COLUMN_CASES])
def test_a_missing_required_column_is_one_problem_for_the_whole_tab_at_row_1(sheet, tab, column, labels):
    headers = {ORG: sheet.ORG_HEADER, EVENTS: sheet.EVENT_HEADER, CONTEST: sheet.CONTEST_HEADER}
    builders = {  # three distinct rows, one of them in another municipality
        ORG: lambda n, mo: sheet.org(name=f"Школа {n}", municipality=mo),
        EVENTS: lambda n, mo: sheet.event(title=f"Событие {n}", municipality=mo),
        CONTEST: lambda n, mo: sheet.entry(participant=f"Участник {n}", municipality=mo),
    }
    header = headers[tab]
    index = header.index(column)
    rows = [builders[tab](n, mo) for n, mo in enumerate(["г. Благовещенск", "г. Зея", "Зея"])]
    broken = sheet.tab(tab, header[:index] + header[index + 1:], [r[:index] + r[index + 1:] for r in rows])
    tabs = [t for t in sheet.workbook(contest=[sheet.entry()]) if t.title != tab] + [broken]

    report = sheet.run(tabs)

    problems = report.problems[report.problems["tab"] == tab]
    assert problems[["row", "column", "code", "severity"]].values.tolist() == [
        [1, column, "missing_column", "error"]]
    problem = problems.iloc[0]
    assert problem["message"] == f"На листе «{tab}» нет обязательного столбца «{column}»."
    assert problem["fix"] == f"Добавьте в строку 1 столбец с одним из заголовков: {labels}."
    assert problem["municipality"] == problem_table.WHOLE_SHEET
    assert len(report.tabs[{ORG: "organisations", EVENTS: "events", CONTEST: "contest"}[tab]].frame) == 3


def test_rows_of_a_tab_missing_a_required_column_still_count(sheet):
    header = [h for h in sheet.ORG_HEADER if h != "Телефон"]
    rows = [[c for h, c in zip(sheet.ORG_HEADER, sheet.org(name=f"Школа {n}")) if h != "Телефон"] for n in (1, 2)]
    report = sheet.run([sheet.tab(ORG, header, rows), *sheet.workbook()[1:]])
    assert report.metrics["organisations_joined"] == 2


def test_an_optional_tab_that_is_missing_is_no_problem(sheet):
    report = sheet.run()  # no «Конкурс», no «Цели»
    assert report.problems.empty
    assert report.metrics["contest_entries"] == 0


EMPTY_TAB_CASES = [
    # (case, problems as (tab, code), organisations joined, events counted)
    pytest.param("no_events_tab", [(EVENTS, "missing_tab")], 1, 0, id="the «Мероприятия» tab is missing"),
    pytest.param("no_orgs_tab", [(ORG, "missing_tab")], 0, 1, id="the «Организации» tab is missing"),
    pytest.param("no_tabs", [(EVENTS, "missing_tab"), (ORG, "missing_tab")], 0, 0, id="the workbook has no tabs"),
    pytest.param("events_header_only", [], 1, 0, id="«Мероприятия» has only its header row"),
    pytest.param("orgs_header_only", [], 0, 1, id="«Организации» has only its header row"),
    pytest.param("orgs_unknown_header", [(ORG, "missing_column")] * 6, 0, 1,
                 id="«Организации» has rows but none of the known headers"),
]


def _broken_workbook(sheet, case):
    orgs, events = sheet.workbook()
    return {
        "no_events_tab": [orgs],
        "no_orgs_tab": [events],
        "no_tabs": [],
        "events_header_only": [orgs, sheet.tab(EVENTS, sheet.EVENT_HEADER, [])],
        "orgs_header_only": [sheet.tab(ORG, sheet.ORG_HEADER, []), events],
        "orgs_unknown_header": [sheet.tab(ORG, ["Примечание", "Ещё"], [["a", "b"]]), events],
    }[case]


@pytest.mark.parametrize(("case", "expected", "joined", "events"), EMPTY_TAB_CASES)
def test_a_missing_or_empty_tab_is_reported_and_the_rest_still_counts(sheet, case, expected, joined, events):
    report = sheet.run(_broken_workbook(sheet, case))
    assert sorted(zip(report.problems["tab"], report.problems["code"])) == sorted(expected)
    assert (report.metrics["organisations_joined"], report.metrics["events_total"]) == (joined, events)
    assert len(report.municipalities) == 29
    assert len(report.series["organisations_joined"]) == 13


@pytest.mark.parametrize(("present", "missing"), [(ORG, EVENTS), (EVENTS, ORG)])
def test_a_missing_required_tab_is_one_error_naming_the_tabs_that_exist(sheet, present, missing):
    tabs = [t for t in sheet.workbook() if t.title == present]
    report = sheet.run(tabs)
    assert len(report.problems) == 1
    problem = report.problems.iloc[0]
    assert (problem["tab"], problem["code"], problem["severity"]) == (missing, "missing_tab", "error")
    assert problem["message"] == f"В таблице нет листа «{missing}» (есть: «{present}»)."
    assert problem["fix"] == f"Добавьте лист «{missing}» или переименуйте существующий."
    assert problem["municipality"] == problem_table.WHOLE_SHEET


# ----------------------------------------------------------------- tab and header matching


@pytest.mark.parametrize("title", ["Организации", "организации ", "ОРГАНИЗАЦИИ", "  Организации  ",
                                   "Организации (2022)", "Организации.", "Участники Хартии", "организации-участники"])
def test_the_organisations_tab_is_found_by_a_tolerant_name(amur, sheet, title):
    tab = sheet.tab(title, sheet.ORG_HEADER, [])
    assert find_tab(amur.tab("organisations"), [sheet.tab("Лист1", [], []), tab]) is tab


@pytest.mark.parametrize("title", ["Мероприятия", "МЕРОПРИЯТИЯ", "мероприятия и публикации", "Мероприятия (февраль)"])
def test_the_events_tab_is_found_by_a_tolerant_name(amur, sheet, title):
    tab = sheet.tab(title, sheet.EVENT_HEADER, [])
    assert find_tab(amur.tab("events"), [tab]) is tab


def test_a_tab_with_an_unrelated_name_is_not_taken_for_a_required_one(amur, sheet):
    assert find_tab(amur.tab("organisations"), [sheet.tab("Организации 2021", [], [])]) is None


HEADER_VARIANTS = [
    # (tab id, typed header, column id)
    ("organisations", "Муниципалитет", "municipality"),
    ("organisations", "МО", "municipality"),
    ("organisations", "Район / округ", "municipality"),
    ("organisations", "  муниципальное   ОБРАЗОВАНИЕ ", "municipality"),
    ("organisations", "Организация", "name"),
    ("organisations", "Название организации", "name"),
    ("organisations", f"Наименование{NBSP}организации", "name"),
    ("organisations", "Тип", "org_type"),
    ("organisations", "Дата подписания меморандума", "joined_on"),
    ("organisations", "Дата", "joined_on"),
    ("organisations", "Контактное лицо", "contact"),
    ("organisations", "Контактное лицо (ФИО)", "contact"),
    ("organisations", "ФИО", "contact"),
    ("organisations", "ФИО:", "contact"),
    ("organisations", "Должность контактного лица", "position"),
    ("organisations", "Телефон контактного лица", "phone"),
    ("organisations", "Контактный телефон", "phone"),
    ("organisations", "Телефон (с кодом)", "phone"),
    ("organisations", "Электронная почта", "email"),
    ("organisations", "E-mail", "email"),
    ("organisations", "Меморандум", "memorandum"),
    ("organisations", "Статус", "status"),
    ("events", "Вид", "kind"),
    ("events", "Тип мероприятия", "kind"),
    ("events", "Наименование", "title"),
    ("events", "Тема", "title"),
    ("events", "Дата проведения", "held_on"),
    ("events", "Ссылка на публикацию", "link"),
    ("events", "URL", "link"),
    ("events", "Охват", "reach"),
    ("events", "Охват (чел.)", "reach"),
    ("events", "Количество участников", "reach"),
    ("events", "Участников", "reach"),
    ("contest", "Автор", "participant"),
    ("contest", "ФИО участника", "participant"),
    ("contest", "Платформа", "platform"),
    ("contest", "Соцсеть", "platform"),
    ("contest", "Ссылка", "video"),
    ("contest", "Результат", "result"),
]


@pytest.mark.parametrize(("tab_id", "typed", "column_id"), HEADER_VARIANTS)
def test_a_column_is_found_by_its_name_or_alias_ignoring_case_spaces_and_parentheses(amur, tab_id, typed, column_id):
    header = ["Примечание", typed, "Лишний столбец"]
    assert find_columns(amur.tab(tab_id), header).get(column_id) == 1


def test_the_first_of_duplicate_headers_wins(amur):
    header = ["Телефон", "Наименование организации", "телефон ", "Контактный телефон"]
    found = find_columns(amur.tab("organisations"), header)
    assert found["phone"] == 0 and found["name"] == 1


def test_a_header_spelt_with_ё_matches_the_name_spelt_with_е(amur):
    assert find_columns(amur.tab("organisations"), ["Наимёнование организации"]) == {"name": 0}


ALIAS_HEADER = ["  МО ", "Организация", "ИНН организации", "Тип", "Дата подписания меморандума", "статус",
                "Контактное лицо (ФИО)", "Должность контактного лица", "Контактный  телефон", "E-mail",
                "Меморандум", "Примечание", "Контактный телефон"]


@pytest.fixture(scope="module")
def alias_report(sheet):
    rows = [
        # a full row; the unknown «Примечание» and the duplicate phone column are ignored
        ["Благовещенск", "Школа 1", "2801012347", "школа", "15.02.22", "", "Иванова И. И.", "директор",
         "89141234567", "a@b.ru", "vk.com/doc1", "позвонить", "8 (4162) 00-00-00"],
        # ragged: the row ends after the date, as sources drop trailing empty cells
        ["г. Зея", "Школа 2", "", "", "16.02.2022"],
        ["Белогорскй р-н", "Школа 3", "", "", "17.02.2022", "", "Петров", "завуч", "89141234567"],
        ["Благовещенск", "школа 1.", "", "", "18.02.2022", "", "Сидоров", "завуч", "89141234567"],
    ]
    events = sheet.tab("МЕРОПРИЯТИЯ", ["Муниципалитет", "ВИД", "Тема", "Дата проведения", "URL", "Охват (чел.)"],
                       [["Зея", "интервью", "Эфир", "44608", "t.me/zeya", "1 200 чел."]])
    return sheet.run([sheet.tab("организации ", ALIAS_HEADER, rows), events])


def test_cells_under_alias_headers_are_read_into_their_columns(alias_report):
    frame = alias_report.tabs["organisations"].frame.set_index("_row")
    first = frame.loc[2]
    assert first["name"] == "Школа 1"
    assert first["_uid"] == "RU-AMU:благовещенск:go" and first["municipality"] == BLG
    assert first["inn"] == "2801012347"
    assert str(first["org_type"]) == "образовательная организация"
    assert first["joined_on"].strftime("%d.%m.%Y") == "15.02.2022"
    assert str(first["status"]) == "меморандум подписан"
    assert first["phone"] == "+79141234567"  # the first «Контактный телефон» column wins
    assert first["memorandum"] == "https://vk.com/doc1"
    assert "Примечание" not in frame.columns


def test_an_events_tab_under_alias_headers_reads_kind_date_link_and_reach(alias_report):
    event = alias_report.tabs["events"].frame.iloc[0]
    assert str(event["kind"]) == "интервью / выступление на радио или ТВ"
    assert event["held_on"].strftime("%d.%m.%Y") == "16.02.2022"
    assert event["link"] == "https://t.me/zeya"
    assert event["reach"] == 1200
    assert alias_report.metrics["interviews"] == 1


def test_problems_name_the_tab_as_typed_without_surrounding_spaces(alias_report):
    assert set(alias_report.problems["tab"]) == {"организации"}


def test_a_ragged_row_reports_its_missing_required_cells_under_the_headers_as_typed(alias_report):
    missing = alias_report.problems[(alias_report.problems["row"] == 3)
                                    & (alias_report.problems["code"] == "missing_value")]
    assert sorted(missing["column"]) == ["Должность контактного лица", "Контактное лицо (ФИО)", "Контактный телефон"]
    assert "Не заполнено обязательное поле «Контактный телефон»." in set(missing["message"])
    assert alias_report.tabs["organisations"].frame.set_index("_row").loc[3, "name"] == "Школа 2"


def test_an_unknown_municipality_names_the_column_as_typed(alias_report):
    problem = alias_report.problems[alias_report.problems["code"] == "unknown_municipality"].iloc[0]
    assert problem["column"] == "МО"


def test_a_duplicate_names_the_column_as_typed(alias_report):
    problem = alias_report.problems[alias_report.problems["code"] == "duplicate_organisation"].iloc[0]
    assert problem["column"] == "Организация"


# ----------------------------------------------------------------- ambiguous municipality


def test_an_ambiguous_municipality_is_an_error_naming_both_candidates(sheet):
    report = sheet.run(campaign_id="primorye-2022",
                       orgs=[sheet.org(municipality="Партизанский"), sheet.org(municipality="г. Партизанск", name="Б")],
                       events=[sheet.event(municipality="Партизанский район")])
    problems = report.problems
    assert problems[["tab", "row", "column", "code", "severity"]].values.tolist() == [
        [ORG, 2, "Муниципальное образование", "ambiguous_municipality", "error"]]
    problem = problems.iloc[0]
    assert problem["message"].startswith("Название «Партизанский» подходит к нескольким муниципалитетам: ")
    assert "г. Партизанск" in problem["message"] and "Партизанский район" in problem["message"]
    assert problem["fix"] == "Уточните, город это или район: например, «г. …» или «… район»."
    assert "«Партизанский»" in problem["municipality"] and problem["municipality_uid"] == ""


def test_an_unknown_municipality_without_close_names_asks_to_pick_from_the_list(sheet):
    report = sheet.run(orgs=[sheet.org(municipality="Москва")])
    problem = report.problems.iloc[0]
    assert problem["code"] == "unknown_municipality"
    assert problem["message"] == "Муниципалитет «Москва» не найден среди муниципалитетов Амурской области."
    assert problem["fix"] == ("Ни одно из названий муниципалитетов Амурской области не похоже на «Москва»: "
                              "выберите муниципалитет из выпадающего списка столбца (все названия — на странице "
                              "«Муниципалитеты»).")


def test_an_empty_municipality_is_a_missing_value_not_an_unknown_one(sheet):
    report = sheet.run(orgs=[sheet.org(municipality="")])
    assert report.problems[["row", "column", "code"]].values.tolist() == [
        [2, "Муниципальное образование", "missing_value"]]
    assert report.problems.iloc[0]["municipality"] == problem_table.NO_MUNICIPALITY


# ----------------------------------------------------------------- duplicates

DUPLICATE_ROWS = [
    dict(name="Гимназия № 1", inn="2801012347"),                      # 2
    dict(name="МБОУ Гимназия 1", inn="2801012347", municipality="г. Зея"),  # 3: same ИНН
    dict(name="МАОУ «Школа № 5»"),                                    # 4
    dict(name="маоу школа №5.", municipality="Благовещенск"),         # 5: same name, same MO
    dict(name="МАОУ «Школа № 5»", municipality="г. Зея"),             # 6: same name, other MO
    dict(name="МАОУ «Школа № 5»", municipality="Зейский район"),      # 7: same name, other MO
]


@pytest.fixture(scope="module")
def duplicate_report(sheet):
    return sheet.run(orgs=[sheet.org(**cells) for cells in DUPLICATE_ROWS])


@pytest.mark.parametrize(("row", "partner"), [(2, 3), (3, 2), (4, 5), (5, 4)])
def test_both_rows_of_a_duplicate_get_a_warning_naming_the_other_row(duplicate_report, row, partner):
    problem = _problem(duplicate_report, ORG, row, "duplicate_organisation")
    assert problem["severity"] == "warning"
    assert problem["column"] == "Наименование организации"
    assert problem["message"] == (
        f"Повтор: эта организация уже есть в строке {partner} (совпадает ИНН или название в том же "
        "муниципалитете). Учитывается один раз, по первой строке.")
    assert problem["fix"] == "Удалите повторную строку или исправьте ИНН / название, если это разные организации."


def test_the_same_name_in_different_municipalities_is_no_duplicate(duplicate_report):
    duplicates = duplicate_report.problems[duplicate_report.problems["code"] == "duplicate_organisation"]
    assert sorted(duplicates["row"]) == [2, 3, 4, 5]


def test_a_duplicate_is_counted_once_at_its_first_row(duplicate_report):
    assert duplicate_report.metrics["organisations_joined"] == 4
    assert sorted(duplicate_report.counted("organisations_joined")["_row"]) == [2, 4, 6, 7]
    table = duplicate_report.municipalities.set_index("uid")["organisations_joined"]
    assert table["RU-AMU:благовещенск:go"] == 2
    assert table["RU-AMU:зея:go"] == 1  # row 6 only: row 3 repeats row 2 of Благовещенск
    assert table["RU-AMU:зейский:mr"] == 1


def test_a_duplicate_warning_goes_to_each_rows_own_municipality(duplicate_report):
    assert _problem(duplicate_report, ORG, 3, "duplicate_organisation")["municipality"] == "г. Зея"
    assert _problem(duplicate_report, ORG, 2, "duplicate_organisation")["municipality"] == BLG


def test_the_same_inn_typed_with_hyphens_is_a_duplicate(sheet):
    report = sheet.run(orgs=[sheet.org(name="А", inn="2801-012-347"),
                             sheet.org(name="Б", inn="2801012347", municipality="г. Зея")])
    assert sorted(report.problems.loc[report.problems["code"] == "duplicate_organisation", "row"]) == [2, 3]
    assert report.metrics["organisations_joined"] == 1


def test_the_same_inn_typed_with_spaces_is_a_duplicate(sheet):
    report = sheet.run(orgs=[sheet.org(name="А", inn="2801 012 347"),
                             sheet.org(name="Б", inn="2801012347", municipality="г. Зея")])
    assert sorted(report.problems.loc[report.problems["code"] == "duplicate_organisation", "row"]) == [2, 3]
    assert report.metrics["organisations_joined"] == 1


# ----------------------------------------------------------------- dates at the window's edges


WINDOW_EDGES = [("07.02.2022", True), ("08.02.2022", False), ("08.03.2022", False), ("09.03.2022", True),
                ("15.02.2021", True)]


@pytest.fixture(scope="module")
def edge_report(sheet):
    return sheet.run(events=[sheet.event(title=f"Событие {typed}", held_on=typed) for typed, _ in WINDOW_EDGES])


@pytest.mark.parametrize(("row", "typed", "outside"), [(n, *edge) for n, edge in enumerate(WINDOW_EDGES, start=2)])
def test_only_dates_outside_08_02_to_08_03_2022_are_warned_about(edge_report, row, typed, outside):
    problems = edge_report.problems[edge_report.problems["row"] == row]
    assert problems["code"].tolist() == (["date_outside_campaign"] if outside else [])
    assert row in edge_report.counted("events_total")["_row"].tolist()


@pytest.mark.parametrize("dash", ["—", "-", "–", " — "])
def test_a_dash_in_a_number_column_means_no_figure_not_a_mistake(sheet, dash):
    report = sheet.run(events=[sheet.event(reach=dash), sheet.event(reach="120")])
    assert sheet.problems(report, "invalid_number") == []
    assert report.metrics["reach"] == 120


def test_fix_hints_use_the_campaign_s_own_dates_and_the_region_s_phone_code(sheet):
    from campaign.pipeline import run
    from tests.unit.conftest import campaign as load

    zastupnik = load("irkutsk-zastupnik-2024")
    header = ["Муниципальное образование", "Наименование организации", "ФИО ответственного",
              "Телефон ответственного", "Вступил в рабочий чат", "Дата вступления в чат"]
    tab = sheet.tab("Образовательные организации", header,
                    [["г. Иркутск", "МБОУ СОШ № 1", "Иванова И. И.", "12-34", "да", "вчера"]])
    report = run([tab], zastupnik, as_of=date(2024, 6, 3))
    fixes = {p["code"]: p["fix"] for p in report.problems.to_dict("records")}
    assert fixes["invalid_date"] == "Введите дату в виде ДД.ММ.ГГГГ, например 30.05.2024."
    assert fixes["invalid_phone"].startswith("Введите телефон с кодом города или оператора, например 8 (3952) ")
    assert "15.02.2022" not in " ".join(fixes.values()) and "4162" not in " ".join(fixes.values())
