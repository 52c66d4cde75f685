"""The pages «Муниципалитеты», «Мероприятия», «Проверка данных» and «Сводка» through Streamlit's
AppTest: the numbers and the Russian words a coordinator sees, on the bundled demo workbooks
(Амурская область and Приморский край as of 22.02.2022), on a workbook with hostile text and on
a source that cannot be read.

About navigation in AppTest. The app keeps its page scripts in `pages/` and dispatches them with
`st.navigation` from app.py, which also draws the sidebar («Обновить», «Показать контакты»).
Streamlit treats a `pages/` folder as a legacy (v1) multipage app until `st.navigation` has run
once in the server process, and AppTest resets that flag before every run: `at.switch_page(...)`
therefore opens a page the way a bookmarked link does on a fresh server (the page file first,
which hands over to app.py — components/entry.py). `steady=True` switches the flag off as a
warmed-up server has it, so both ways in are covered (`test_every_page_has_the_sidebar…`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from streamlit.proto.Metric_pb2 import Metric as MetricProto
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from campaign.access import hash_passcode
from components import page_list
from tests.demo_figures import AMUR_EVENTS_TOTAL, AMUR_JOINED, AMUR_REACH, AMUR_SILENT, thousands
from tests.integration.conftest import clear_campaign_settings
from tests.unit.conftest import EVENT_HEADER, ORG_HEADER, SheetBuilder

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "app.py"
# «Сводка» -> "pages/summary.py", … as app.py registers them (components/page_list.py)
PAGES = {entry.title: entry.path for entry in page_list.PAGES}
DEFAULT_PAGE = "Сводка"

BLAGOVESHCHENSK = "RU-AMU:благовещенск:go"
BELOGORSK = "RU-AMU:белогорск:go"
SVOBODNY = "RU-AMU:свободный:go"
PERSONAL = ["ФИО контактного лица", "Должность", "Телефон", "Email"]
HIDDEN = "скрыто"
EMPTY = "—"  # an empty cell as a table shows it


def steady_navigation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Streamlit's legacy `pages/` mode off, as on a server where st.navigation has run once."""
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


PASSCODE = "код-для-тестов"
PASSCODES = {"admin": hash_passcode(PASSCODE, iterations=1_000)}


def sign_in(at: AppTest) -> AppTest:
    """Sign in with the administrator's passcode, as a user types it in the sidebar."""
    at.sidebar.text_input(key="passcode").input(PASSCODE)
    next(b for b in at.sidebar.button if b.label == "Войти").click().run()
    assert not at.exception
    return at


def open_app(monkeypatch: pytest.MonkeyPatch, page: str = DEFAULT_PAGE, *, env: dict | None = None,
             query: dict | None = None, steady: bool = False, admin: bool = False,
             secrets: dict | None = None) -> AppTest:
    """The app on `page`, configured only by `env` and `secrets` (no CAMPAIGN_* from outside) and
    URL `query`; `admin` signs in with a passcode (contacts can be shown)."""
    clear_campaign_settings(monkeypatch)
    for name, value in (env or {}).items():
        monkeypatch.setenv(name, value)
    if steady:
        steady_navigation(monkeypatch)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.secrets["access"] = {"passcodes": PASSCODES}
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if admin:
        sign_in(at)
    if page != DEFAULT_PAGE:
        at.switch_page(PAGES[page]).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def built(page: str, **kwargs) -> AppTest:
    """For module-scoped fixtures that are only looked at, not clicked."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        return open_app(monkeypatch, page, **kwargs)


def markdown_texts(at: AppTest) -> list[str]:
    """The Markdown source of every element whose text Streamlit renders as Markdown
    (st.table renders its cells as Markdown too; st.dataframe does not)."""
    texts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption",
                                  "error", "warning", "info", "success") for e in getattr(at, kind)]
    texts += [m.label for m in at.metric]
    texts += [e.label for e in at.expander]
    texts += [w.label for kind in ("toggle", "selectbox", "button") for w in getattr(at, kind)]
    texts += [str(cell) for table in at.table for cell in table.value.to_numpy().ravel()]
    texts += [str(column) for table in at.table for column in table.value.columns]
    return texts


def as_shown(markdown: str) -> str:
    """What a reader sees of Markdown text escaped with backslashes (CommonMark: any ASCII
    punctuation after a backslash is literal), of bold and of Streamlit's coloured backgrounds."""
    markdown = re.sub(r"^:[a-z]+-background\[\*\*(.*)\*\*\]$", lambda m: m.group(1).replace("\u00a0", " "), markdown)
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("\u2060", "")  # and the invisible joiner


def problem_rows(at: AppTest) -> pd.DataFrame:
    """The per-municipality problem tables of «Проверка данных» as a reader sees them."""
    return pd.concat([t.value for t in at.table], ignore_index=True).map(as_shown)


def column_config(element) -> dict:
    return json.loads(element.proto.columns or "{}")


def cards(at: AppTest) -> dict[str, tuple[str, str, int]]:
    return {m.label: (m.value, m.delta, m.proto.color) for m in at.metric}


def without_bold(text: str) -> str:
    return text.replace("**", "")


# ------------------------------------------------------------------------------ Муниципалитеты

SILENT = AMUR_SILENT


@pytest.fixture(scope="module")
def municipalities() -> AppTest:
    return built("Муниципалитеты")


@pytest.fixture(scope="module")
def blagoveshchensk() -> AppTest:
    """«Муниципалитеты» opened from a link with ?mo=<uid>."""
    return built("Муниципалитеты", query={"mo": BLAGOVESHCHENSK})


def test_the_municipality_table_has_every_municipality_with_russian_columns(municipalities):
    element = municipalities.dataframe[0]
    table = element.value
    assert len(table) == 29
    # no «за сутки» column: no municipality's count moved since yesterday (a column of «+0» said nothing)
    assert list(table.columns[:5]) == ["Муниципалитет", "uid", "Организаций", "Цель", "Доля цели"]
    # those who lag first, as «Кто отстаёт» ranks them: the silent ones, then the furthest behind
    assert set(table["Муниципалитет"][:len(SILENT)]) == SILENT
    assert list(table["Муниципалитет"][len(SILENT):len(SILENT) + 2]) == ["Завитинский район", "Серышевский район"]
    # the event kinds under the short headings of the campaign file, so that the table fits 1366 px
    assert {"Инф. кампании", "Конференции", "Конкурсы роликов", "Иные",
            "Мероприятий всего", "Охват, чел.", "Ошибок", "Предупреждений"} <= set(table.columns)
    config = column_config(element)
    assert config["Интервью, радио, ТВ"]["help"] == "Интервью / выступление на радио или ТВ"
    assert config["Муниципалитет"]["pinned"] is True  # the names stay when the table scrolls right
    assert column_config(element)["uid"] == {"hidden": True}  # the key is there for the URL, not shown
    shown = [c for c in table.columns if c != "uid"]
    assert all(re.search("[А-Яа-яЁё]", c) for c in shown), shown
    assert "ЗАТО Циолковский" in set(table["Муниципалитет"]) and "Шимановский район" in set(table["Муниципалитет"])


def test_blagoveshchensk_has_16_organisations_against_a_quota_of_12(municipalities):
    table = municipalities.dataframe[0].value.set_index("Муниципалитет")
    row = table.loc["г. Благовещенск"]
    assert row["uid"] == BLAGOVESHCHENSK
    assert (row["Организаций"], row["Цель"], row["Доля цели"]) == (16, 12, 133)
    assert (row["Мероприятий всего"], row["Охват, чел."]) == (11, 28_872)
    assert (row["Ошибок"], row["Предупреждений"]) == (4, 2)


def test_municipalities_that_sent_nothing_are_listed_with_zeros(municipalities):
    table = municipalities.dataframe[0].value
    zero = table[(table["Организаций"] == 0) & (table["Мероприятий всего"] == 0) & (table["Охват, чел."] == 0)
                 & (table["Ошибок"] == 0) & (table["Предупреждений"] == 0)]
    assert set(zero["Муниципалитет"]) == SILENT
    assert zero["Цель"].notna().all()  # they still have a quota to meet


def test_the_organisation_without_a_recognised_municipality_is_explained(municipalities):
    table = municipalities.dataframe[0].value
    assert table["Организаций"].sum() == AMUR_JOINED - 1  # one has no recognised municipality
    [info] = [i.value for i in municipalities.info]
    assert info.startswith("Ещё 1 организация")
    assert "муниципалитет в таблице не распознан — см. «Проверка данных»" in info


def test_a_breakdown_column_keeps_the_case_of_its_event_kind(municipalities):
    assert "Интервью, радио, ТВ" in municipalities.dataframe[0].value.columns


def test_the_unrecognised_organisations_note_agrees_in_number(municipalities):
    [info] = [i.value for i in municipalities.info]
    assert info.startswith("Ещё 1 организация учтена в итоге по региону")


def test_nothing_is_chosen_until_a_municipality_is_picked(municipalities):
    assert not municipalities.header
    assert not municipalities.subheader
    select = municipalities.selectbox[0]
    assert select.label == "Муниципалитет"
    assert select.value == "" and select.options[0] == "Выберите муниципалитет"
    assert "mo" not in municipalities.query_params


def test_a_link_with_mo_opens_that_municipality_with_its_counts(blagoveshchensk):
    at = blagoveshchensk
    assert [h.value for h in at.header] == ["г. Благовещенск"]
    # what each number counts: the rows of each tab, and those that count (no duplicates, no mere applications)
    assert [s.value for s in at.subheader] == ["Организации: 22 строки в таблице, учтено 16",
                                               "Мероприятия: 12 строк в таблице, учтено 11",
                                               "Проблемы в таблице: 4 ошибки, 2 предупреждения"]
    assert at.selectbox[0].value == BLAGOVESHCHENSK
    assert at.query_params["mo"] in (BLAGOVESHCHENSK, [BLAGOVESHCHENSK])  # the link stays shareable


def test_the_chosen_municipality_lists_its_rows_and_what_counted(blagoveshchensk):
    table, organisations, events = (d.value for d in blagoveshchensk.dataframe)
    problems = blagoveshchensk.table[0].value  # as on «Проверка данных»: wrapped, with the kind, a list on a phone
    assert len(organisations) == 22 and set(organisations["Муниципальное образование"]) == {"г. Благовещенск"}
    counted = table.set_index("Муниципалитет").loc["г. Благовещенск", "Организаций"]
    assert (organisations["Учтено"] == "да").sum() == counted == 16
    assert len(events) == 12 and (events["Учтено"] == "да").sum() == 11
    flashmob = events[events["Строка"] == 20].iloc[0]
    assert flashmob["Учтено"] == "нет"
    assert list(problems.columns) == ["Вид", "Лист", "Строка", "Столбец", "Что не так", "Как исправить"]
    assert len(problems) == 6
    assert set(problems["Вид"]) == {":red-background[**✖\u00a0ошибка**]", ":orange-background[**⚠\u00a0предупреждение**]"}
    assert "Значение «флешмоб» в столбце «Вид мероприятия» не распознано." in set(problems["Что не так"])


def test_the_linked_municipality_is_the_tables_first_and_selected_row(blagoveshchensk):
    element = blagoveshchensk.dataframe[0]
    assert element.value.iloc[0]["Муниципалитет"] == "г. Благовещенск"
    assert json.loads(element.proto.selection_default)["selection"]["rows"] == [0]  # its row ticked


def test_the_chosen_municipality_links_to_its_problems(blagoveshchensk):
    [link] = blagoveshchensk.get("page_link")
    assert link.proto.label == "Все проблемы муниципалитета на странице «Проверка данных»"
    assert link.proto.page == "problems"
    assert "mo=RU-AMU%3A" in link.proto.query_string


def test_contacts_are_hidden_by_default(blagoveshchensk):
    """One column says the rows hold contacts; the four personal columns of «скрыто» took the room
    of «Ссылка» and the rest."""
    organisations = blagoveshchensk.dataframe[1].value
    assert not set(PERSONAL) & set(organisations.columns)
    assert set(organisations["Персональные данные"]) <= {HIDDEN, EMPTY} and HIDDEN in set(organisations["Персональные данные"])
    assert "Ссылка на меморандум" in organisations
    assert "МОБУ «СОШ № 5 г. Благовещенска»" in set(organisations["Наименование организации"])


@pytest.fixture
def blagoveshchensk_live(monkeypatch) -> AppTest:
    return open_app(monkeypatch, "Муниципалитеты", query={"mo": BLAGOVESHCHENSK}, admin=True)


def test_the_contacts_switch_shows_names_phones_and_emails(blagoveshchensk_live):
    at = blagoveshchensk_live
    switch = at.toggle(key="show_contacts")
    assert switch.label == "Показать контакты" and switch.value is False
    assert "show_contacts" in [t.key for t in at.sidebar.toggle]
    switch.set_value(True).run()
    assert not at.exception
    assert [h.value for h in at.header] == ["г. Благовещенск"]  # the choice survives the rerun
    organisations = at.dataframe[1].value
    for column in PERSONAL:
        assert HIDDEN not in set(organisations[column]), column
    first = organisations[organisations["Строка"] == 2].iloc[0]
    assert first["ФИО контактного лица"] == "Матвеева Екатерина Александровна"
    assert first["Должность"] == "начальник управления"
    assert first["Email"] == "obr58@mail.ru"
    # «+7 …» as a reader sees it: an invisible space first keeps a table's CSV download from
    # reading it as a formula
    assert all(p.startswith("\u200b+7") for p in organisations["Телефон"] if p != EMPTY)
    phones = [p.removeprefix("\u200b") for p in organisations["Телефон"] if p != EMPTY]
    # a mobile by its operator's code, a landline by its city's (the numbering plan): «+7 4162 57-11-34»
    assert phones and all(re.fullmatch(r"\+7 \d{3} \d{3}-\d{2}-\d{2}|\+7 4162 \d{2}-\d{2}-\d{2}", p)
                          for p in phones), phones
    assert "+7 4162 57-11-34" in phones
    assert "+7 914 559-17-64" in phones

    at.toggle(key="show_contacts").set_value(False).run()
    assert set(at.dataframe[1].value["Персональные данные"]) <= {HIDDEN, EMPTY}


def test_choosing_in_the_list_opens_the_municipality_and_puts_it_in_the_url(monkeypatch):
    at = open_app(monkeypatch, "Муниципалитеты")
    at.selectbox[0].set_value(BELOGORSK).run()
    assert [h.value for h in at.header] == ["г. Белогорск"]
    assert [s.value for s in at.subheader] == ["Организации: 8 строк в таблице, учтено 6",
                                               "Мероприятия: 5 строк в таблице, учтено 5",
                                               "Проблемы в таблице: 3 ошибки"]
    assert at.query_params["mo"] in (BELOGORSK, [BELOGORSK])
    at.run()  # a later rerun keeps the choice
    assert [h.value for h in at.header] == ["г. Белогорск"]


SECOND_CHOICE_LOST = (
    "the «Муниципалитет» list gets a new widget identity once its own choice is in the URL "
    "(municipalities.py: key=f'municipality_{wanted}'; problems.py: no key, so `index` is part of the id): "
    "the browser still sends the choice for the old widget, the new one starts at the URL's municipality, "
    "so the second choice in a row is ignored and the list snaps back; the third works. Seen in Chromium too.")


def test_a_second_choice_in_a_row_opens_that_municipality(monkeypatch):
    at = open_app(monkeypatch, "Муниципалитеты")
    at.selectbox[0].set_value(BELOGORSK).run()
    at.selectbox[0].set_value("RU-AMU:зея:go").run()
    assert [h.value for h in at.header] == ["г. Зея"]
    assert at.query_params["mo"] in ("RU-AMU:зея:go", ["RU-AMU:зея:go"])


# ------------------------------------------------------------------------------ Мероприятия

@pytest.fixture(scope="module")
def events() -> AppTest:
    return built("Мероприятия")


def test_a_card_for_each_event_target_with_what_remains(events):
    green, red = MetricProto.MetricColor.GREEN, MetricProto.MetricColor.RED
    assert cards(events) == {
        "Провести 3–5 информационных кампаний": ("4", "выполнено", green),
        "Провести 1–2 конференции": ("1", "выполнено", green),
        "Не менее 10 интервью / выступлений на радио или ТВ": ("8", "ещё 2 интервью / выступления", red),
        "Провести не менее 1 конкурса видеороликов среди детей": ("2", "выполнено", green),
    }
    captions = [c.value for c in events.caption]
    assert any(c.startswith("цель 3–5 · ") for c in captions)
    assert any(c.startswith("цель не менее 10 · ") for c in captions)


def test_the_totals_line_counts_events_and_people(events):
    assert (f"Всего мероприятий: {AMUR_EVENTS_TOTAL}; охват: {thousands(AMUR_REACH)} человек."
            in [m.value for m in events.markdown])


def test_the_list_has_every_row_and_says_which_counted(events):
    element = events.dataframe[0]
    listing = element.value
    assert list(listing.columns) == ["Строка", "Муниципалитет", "Вид мероприятия", "Название", "Дата", "Ссылка",
                                     "Охват, чел.", "Учтено"]
    assert len(listing) == 35
    assert listing["Учтено"].value_counts().to_dict() == {"да": 34, "нет": 1}
    not_counted = listing[listing["Учтено"] == "нет"].iloc[0]
    assert (not_counted["Строка"], not_counted["Муниципалитет"]) == (20, "г. Благовещенск")
    assert not_counted["Название"].startswith("Флешмоб")
    assert column_config(element)["Название"]["width"] == "large"  # titles whole, not cut at 20 letters
    counted = listing[listing["Учтено"] == "да"]
    kinds = counted["Вид мероприятия"].astype(str).value_counts()
    assert kinds.to_dict() == {
        "иное мероприятие": 19, "интервью / выступление на радио или ТВ": 8, "информационная кампания": 4,
        "конкурс видеороликов": 2, "конференция": 1}
    assert listing["Дата"].str.fullmatch(r"\d\d\.\d\d\.2022").all()
    assert column_config(element)["Ссылка"]["type_config"]["display_text"] == "открыть"


def test_contest_entries_are_counted_with_names_hidden(events):
    assert "Работ: 15; победителей: 1." in [m.value for m in events.markdown]
    entries = events.dataframe[1].value
    assert len(entries) == 15
    assert set(entries["Персональные данные"]) == {HIDDEN} and "Участник" not in entries
    assert any(c.value.startswith("Имена участников скрыты") for c in events.caption)


def test_the_contacts_switch_shows_the_participants(monkeypatch):
    at = open_app(monkeypatch, "Мероприятия", admin=True)
    at.toggle(key="show_contacts").set_value(True).run()
    entries = at.dataframe[1].value
    assert HIDDEN not in set(entries["Участник"])
    assert entries.iloc[0]["Участник"] == "Анастасия К., 12 лет"
    assert not any("Имена участников скрыты" in c.value for c in at.caption)


# ------------------------------------------------------------------------------ Проверка данных

PROBLEM_COLUMNS = {"Вид", "Лист", "Строка", "Столбец", "Что не так", "Как исправить"}


@pytest.fixture(scope="module")
def problems() -> AppTest:
    return built("Проверка данных")


@pytest.fixture(scope="module")
def belogorsk_problems() -> AppTest:
    return built("Проверка данных", query={"mo": BELOGORSK})


def test_the_headline_counts_errors_and_warnings_in_russian(problems):
    assert "8 ошибок, 5 предупреждений по всей таблице." in [without_bold(m.value) for m in problems.markdown]


def test_problems_are_grouped_by_municipality_with_counts(problems):
    assert [s.value for s in problems.subheader] == [
        "Благовещенский район — 2 предупреждения",
        "г. Белогорск — 3 ошибки",
        "г. Благовещенск — 4 ошибки, 2 предупреждения",
        "г. Свободный — 1 предупреждение",
        "Не распознан: «Благовещенский городской район» — 1 ошибка",  # the unrecognised names last
    ]
    [counts] = [d.value for d in problems.dataframe if "Ошибок" in d.value.columns]
    assert list(counts.columns) == ["Муниципалитет", "Ошибок", "Предупреждений"]
    assert (counts["Ошибок"].sum(), counts["Предупреждений"].sum()) == (8, 5)
    [counts_box] = [e for e in problems.expander if e.label == "Сколько проблем у каждого муниципалитета"]
    assert counts_box.proto.expanded is False  # the list itself comes first
    assert list(counts["Муниципалитет"])[-1] == "Не распознан: «Благовещенский городской район»"


def test_a_known_mistake_says_what_is_wrong_and_how_to_fix_it(problems):
    rows = problem_rows(problems)
    flashmob = rows[(rows["Лист"] == "Мероприятия") & (rows["Строка"] == "20")]
    assert len(flashmob) == 1
    row = flashmob.iloc[0]
    assert row["Столбец"] == "Вид мероприятия"
    assert row["Что не так"] == "Значение «флешмоб» в столбце «Вид мероприятия» не распознано."
    assert row["Как исправить"] == ("Выберите одно из значений: информационная кампания, конференция, "
                                    "интервью / выступление на радио или ТВ, конкурс видеороликов или иное мероприятие.")
    assert row["Вид"] == "✖ ошибка"
    assert len(rows) == 13


def test_a_file_source_has_no_cell_links(problems):
    assert len(problems.table) == 5
    for table in problems.table:
        assert set(table.value.columns) == PROBLEM_COLUMNS  # no «Ячейка»: a file has no cells to open
    assert not any("docs.google.com" in text for text in markdown_texts(problems))


def test_a_link_with_mo_shows_only_that_municipality(belogorsk_problems):
    at = belogorsk_problems
    assert [s.value for s in at.subheader] == ["г. Белогорск — 3 ошибки"]
    assert at.selectbox[0].value == BELOGORSK
    assert at.query_params["mo"] in (BELOGORSK, [BELOGORSK])
    assert len(at.table) == 1
    shown = problem_rows(at)
    assert sorted(zip(shown["Лист"], shown["Строка"], shown["Столбец"])) == [
        ("Конкурс", "9", "Площадка"), ("Мероприятия", "25", "Охват, чел."),
        ("Организации", "29", "Дата присоединения")]
    assert set(shown["Вид"]) == {"✖ ошибка"}
    assert [e for e in at.expander if e.label.startswith("Сколько")][0].proto.expanded is False
    # the headline still speaks of the whole sheet
    assert "8 ошибок, 5 предупреждений по всей таблице." in [without_bold(m.value) for m in at.markdown]


def test_choosing_a_municipality_writes_it_to_the_url_and_all_removes_it(monkeypatch):
    at = open_app(monkeypatch, "Проверка данных")
    select = at.selectbox[0]
    assert select.label == "Муниципалитет" and select.options[0] == "Все муниципалитеты"
    select.set_value(SVOBODNY).run()
    assert at.query_params["mo"] in (SVOBODNY, [SVOBODNY])
    assert [s.value for s in at.subheader] == ["г. Свободный — 1 предупреждение"]


def test_going_back_to_all_municipalities_removes_the_filter(monkeypatch):
    at = open_app(monkeypatch, "Проверка данных")
    at.selectbox[0].set_value(SVOBODNY).run()
    at.selectbox[0].set_value("").run()  # «Все муниципалитеты»
    assert "mo" not in at.query_params
    assert len(at.subheader) == 5


def test_the_search_is_kept_in_the_url_and_a_link_opens_it(monkeypatch):
    at = open_app(monkeypatch, "Проверка данных")
    at.text_input(key="problems_search").input("31.02").run()
    assert at.query_params["q"] in ("31.02", ["31.02"])  # a bookmark keeps it
    assert [s.value for s in at.subheader] == ["г. Белогорск — 1 ошибка"]

    linked = open_app(monkeypatch, "Проверка данных", query={"q": "31.02"})
    assert linked.text_input(key="problems_search").value == "31.02"
    assert [s.value for s in linked.subheader] == ["г. Белогорск — 1 ошибка"]
    linked.text_input(key="problems_search").input("").run()
    assert "q" not in linked.query_params and len(linked.subheader) == 5


def test_nothing_found_is_said_plainly_not_as_a_success(monkeypatch):
    at = open_app(monkeypatch, "Проверка данных", query={"q": "нет такого слова"})
    assert [i.value for i in at.info] == ["По запросу «нет такого слова» проблем не найдено."]
    assert not at.success


def test_a_municipality_of_the_link_that_does_not_exist_is_said(monkeypatch):
    at = open_app(monkeypatch, "Проверка данных", query={"mo": "nonsense"})
    assert [w.value for w in at.warning] == ["В ссылке выбрано «nonsense», а здесь такого нет: показано всё."]
    assert "mo" not in at.query_params and len(at.subheader) == 5


# ------------------------------------------------------------------------------ Сводка, Приморье

@pytest.fixture(scope="module")
def primorye() -> AppTest:
    return built("Сводка", env={"CAMPAIGN_ID": "primorye-2022"})


def test_primorye_has_not_met_its_20_organisations(primorye):
    assert primorye.title[0].value == "Акция #МояХартия — Приморский край"
    value, delta, color = cards(primorye)["Присоединить к Хартии не менее 20 организаций"]
    assert (value, delta, color) == ("16", "ещё 4 организации", MetricProto.MetricColor.RED)
    assert "Присоединить к Хартии не менее 10 организаций" not in cards(primorye)  # Amur's letter only
    assert any(m.value.startswith("Присоединились: **16 организаций**") for m in primorye.markdown)
    assert primorye.caption[0].value.endswith("источник: primorye-2022.xlsx")


# ------------------------------------------------------------------------------ hostile text

HOSTILE = "**жирный** <script>alert(1)</script>"
HOSTILE_FILE = "__x__.xlsx"
REVERSED = "\u202eлив"  # a right-to-left override: «лив» would show as «вил»
DIRECTION_MARKS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
ESCAPED_FILE = "\\_\\_x\\_\\_.xlsx"  # what components.text.literal makes of it


@pytest.fixture(scope="module")
def hostile_source(tmp_path_factory) -> str:
    """A workbook named like Markdown whose cells hold Markdown and HTML."""
    book = openpyxl.Workbook()
    organisations = book.active
    organisations.title = "Организации"
    organisations.append(ORG_HEADER)
    organisations.append(SheetBuilder.org(name=HOSTILE))
    organisations.append(SheetBuilder.org(name="МАОУ «Школа № 2»", municipality=HOSTILE))
    organisations.append(SheetBuilder.org(name=f"Школа {REVERSED}"))
    events_tab = book.create_sheet("Мероприятия")
    events_tab.append(EVENT_HEADER)
    events_tab.append(SheetBuilder.event(title=HOSTILE))
    events_tab.append(SheetBuilder.event(title=REVERSED))
    path = tmp_path_factory.mktemp("hostile") / HOSTILE_FILE
    book.save(path)
    return str(path)


def hostile_page(source: str, page: str) -> AppTest:
    # «Проверка данных»: the hostile municipality name is not recognised, so its problems are in
    # the group of rows without a municipality; the other pages open Благовещенск
    scope = "unresolved" if page == "Проверка данных" else BLAGOVESHCHENSK
    return built(page, env={"CAMPAIGN_SOURCE": source, "CAMPAIGN_AS_OF": "2022-02-22"}, query={"mo": scope})


def assert_literal(at: AppTest) -> None:
    """AppTest gives the Markdown source of an element (the browser renders it), so "not bold" is
    checked as: the markup characters of sheet text and file name reach Markdown only escaped; and
    Markdown that may hold HTML (`unsafe_allow_html`) holds no tag but the app's own same-tab links."""
    for text in markdown_texts(at):
        assert "**жирный**" not in text, text
        assert "<script>" not in text, text
        assert "__x__" not in text, text
    for element in [*at.markdown, *at.caption]:
        if element.proto.allow_html:
            tags = re.findall(r"(?<!\\)<[^>]*>", element.value)
            assert set(tags) <= {"</a>"} | {t for t in tags if re.fullmatch(r'<a href="/[^"<>]*" target="_self">', t)}, tags


@pytest.mark.parametrize("page", ["Сводка", "Муниципалитеты", "Мероприятия", "Проверка данных"])
def test_a_markdown_like_file_name_is_escaped_in_the_header_and_sidebar(hostile_source, page):
    at = hostile_page(hostile_source, page)
    assert at.caption[0].value.startswith(f"{page} · ")
    assert at.caption[0].value.endswith(f"источник: {ESCAPED_FILE}")
    assert f"Источник: файл «{ESCAPED_FILE}»" in [c.value for c in at.sidebar.caption]


@pytest.mark.parametrize("page", [
    "Сводка",
    "Муниципалитеты",
    "Мероприятия",
    "Проверка данных",
])
def test_sheet_text_never_reaches_markdown_unescaped(hostile_source, page):
    assert_literal(hostile_page(hostile_source, page))


def test_sheet_text_is_shown_as_typed_in_tables(hostile_source):
    municipality = hostile_page(hostile_source, "Муниципалитеты")
    assert HOSTILE in set(municipality.dataframe[1].value["Наименование организации"])
    events_page = hostile_page(hostile_source, "Мероприятия")
    assert HOSTILE in set(events_page.dataframe[0].value["Название"])
    # a direction override reaches no table cell (it reached 5 on «Муниципалитеты», 4 on «Мероприятия»)
    for table in [*municipality.dataframe, *events_page.dataframe]:
        cells = table.value.astype(str).to_numpy().ravel()
        assert not [cell for cell in cells if DIRECTION_MARKS.search(cell)]
    assert "Школа лив" in set(municipality.dataframe[1].value["Наименование организации"])
    assert "лив" in set(events_page.dataframe[0].value["Название"])
    problems_page = hostile_page(hostile_source, "Проверка данных")
    messages = problem_rows(problems_page)["Что не так"]  # st.table: escaped Markdown, read as shown
    assert f"Муниципалитет «{HOSTILE}» не найден среди муниципалитетов Амурской области." in set(messages)


# ------------------------------------------------------------------------------ unreadable source

@pytest.mark.parametrize("page", ["Сводка", "Муниципалитеты", "Мероприятия", "Проверка данных"])
def test_an_unreadable_source_shows_a_russian_banner_on_every_page(monkeypatch, page):
    missing = REPO / "data" / "demo" / "no-such-file.xlsx"
    at = open_app(monkeypatch, page, env={"CAMPAIGN_SOURCE": str(missing)})
    assert not at.exception
    [banner] = [e.value for e in at.error]
    assert banner.startswith("Не удалось прочитать таблицу. Файл не найден:")
    assert "no\\-such\\-file" in banner or "no-such-file" in banner
    assert not at.title and not at.dataframe and not at.metric  # the page stops after the banner
    assert [b.label for b in at.sidebar.button][0] == "Обновить"  # the sidebar still lets one retry


def test_the_banner_shows_a_markdown_like_file_name_literally(monkeypatch, tmp_path):
    at = open_app(monkeypatch, "Мероприятия", env={"CAMPAIGN_SOURCE": str(tmp_path / HOSTILE_FILE)})
    [banner] = [e.value for e in at.error]
    assert "Файл не найден" in banner
    assert "__x__" not in banner


# ------------------------------------------------------------------------------ deep links

@pytest.mark.parametrize("steady", [False, True], ids=["fresh server", "warmed-up server"])
@pytest.mark.parametrize("page", ["Муниципалитеты", "Мероприятия", "Проверка данных"])
def test_every_page_has_the_sidebar_and_the_app_navigation(monkeypatch, page, steady):
    """A bookmarked page must not fall back to Streamlit's `pages/` mode (no sidebar, file names
    as the menu) on a fresh server, nor lose anything on a warmed-up one."""
    at = open_app(monkeypatch, page, steady=steady)
    assert [b.label for b in at.sidebar.button] == ["Обновить", "Войти"]
    assert "Роль: наблюдатель" in [c.value for c in at.sidebar.caption]
    assert at.caption[0].value.startswith(f"{page} · ")
    assert len(at.title) == 1  # the page ran once, not once by itself and again through app.py


FORMULAS = ["=cmd|' /C calc'!A0", "=HYPERLINK(\"https://evil.example\",\"x\")", "+1+1", "@SUM(1)", "-2+3"]


def test_no_shown_cell_starts_a_formula_for_the_table_s_own_csv_download(tmp_path):
    """Streamlit's «Скачать CSV» writes the cells as they are: none may start like a formula."""
    builder = SheetBuilder()
    orgs = [builder.org(name=text, inn="") for text in FORMULAS]
    path = tmp_path / "формулы.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Организации"
    for row in [ORG_HEADER, *orgs]:
        book.active.append(row)
    events = book.create_sheet("Мероприятия")
    for row in [EVENT_HEADER, builder.event(title="=1+1")]:
        events.append(row)
    for cell in [c for row in book.active.iter_rows() for c in row] + [c for row in events.iter_rows() for c in row]:
        cell.data_type = "s"  # as typed text, not formulas
    book.save(path)
    for page in ("Муниципалитеты", "Мероприятия"):
        at = built(page, env={"CAMPAIGN_SOURCE": str(path), "CAMPAIGN_AS_OF": "2022-02-22"},
                   query={"mo": BLAGOVESHCHENSK})
        for frame in (d.value for d in at.dataframe):
            for value in frame.astype("str").to_numpy().ravel():
                assert not value.startswith(("=", "+", "-", "@")), (page, value)
        if page == "Муниципалитеты":  # shown as typed, after an invisible space
            names = set(at.dataframe[1].value["Наименование организации"])
            assert "\u200b=HYPERLINK(\"https://evil.example\",\"x\")" in names


def test_thousands_of_problems_open_a_page_at_a_time(tmp_path, monkeypatch):
    """7 600 problems: the page shows a hundred of them, with the counts of all."""
    builder = SheetBuilder()
    folder = tmp_path / "много"
    folder.mkdir()
    rows = [builder.org(name=f"Школа № {i}", phone="12-34", inn="") for i in range(7600)]
    (folder / "Организации.csv").write_text("\n".join(";".join(r) for r in [ORG_HEADER, *rows]) + "\n",
                                            encoding="utf-8")
    (folder / "Мероприятия.csv").write_text(";".join(EVENT_HEADER) + "\n" + ";".join(builder.event()) + "\n",
                                            encoding="utf-8")
    at = open_app(monkeypatch, "Проверка данных", env={"CAMPAIGN_SOURCE": str(folder), "CAMPAIGN_AS_OF": "2022-02-20"})
    assert "7 600 ошибок по всей таблице." in [without_bold(m.value).replace("\u00a0", " ") for m in at.markdown]
    assert sum(len(t.value) for t in at.table) == 100
    assert [s.value for s in at.subheader] == ["г. Благовещенск — 7\u00a0600 ошибок"]  # the group's whole count
    assert any("Показаны проблемы 1–100 из 7\u00a0600" in c.value for c in at.caption)
    at.number_input(key="problems_page").set_value(76).run()
    assert sum(len(t.value) for t in at.table) == 100 and not at.exception



def many_rows_sheet(tmp_path, organisations: int, events: int) -> Path:
    """A CSV sheet of one municipality with many valid rows."""
    folder = tmp_path / "большой"
    folder.mkdir()
    orgs = [SheetBuilder.org(name=f"Школа № {i}", inn="") for i in range(organisations)]
    evs = [SheetBuilder.event(title=f"Конференция {i}") for i in range(events)]
    (folder / "Организации.csv").write_text("\n".join(";".join(r) for r in [ORG_HEADER, *orgs]) + "\n", encoding="utf-8")
    (folder / "Мероприятия.csv").write_text("\n".join(";".join(r) for r in [EVENT_HEADER, *evs]) + "\n",
                                            encoding="utf-8")
    return folder


def test_long_listings_are_sent_a_page_at_a_time(tmp_path, monkeypatch):
    """«Мероприятия» and a municipality's rows send a hundred rows at a time (what a page sends
    must not grow with the sheet: 33 000 events once broke the page), with the totals of all."""
    folder = many_rows_sheet(tmp_path, organisations=250, events=230)
    env = {"CAMPAIGN_SOURCE": str(folder), "CAMPAIGN_AS_OF": "2022-02-20"}
    at = open_app(monkeypatch, "Мероприятия", env=env)
    [element] = [d for d in at.dataframe if "Название" in d.value.columns]
    listing = element.value
    assert len(listing) == 100 and listing["Название"].iloc[0] == "Конференция 0"
    row_column = column_config(element)["Строка"]  # pinned, «1 200» by Streamlit itself (no Styler)
    assert row_column["pinned"] is True and row_column["type_config"]["format"] == "%'\u00a0,d"
    assert any("Показаны мероприятия 1–100 из 230." in c.value for c in at.caption)
    at.number_input(key="events_page").set_value(3).run()
    [listing] = [d.value for d in at.dataframe if "Название" in d.value.columns]
    assert list(listing["Название"]) == [f"Конференция {i}" for i in range(200, 230)]
    assert any("Показаны мероприятия 201–230 из 230." in c.value for c in at.caption) and not at.exception

    at = open_app(monkeypatch, "Муниципалитеты", env=env, query={"mo": BLAGOVESHCHENSK})
    assert any(s.value.startswith("Организации: 250 строк в таблице, учтено 250") for s in at.subheader)
    [rows] = [d.value for d in at.dataframe if "Наименование организации" in d.value.columns]
    assert len(rows) == 100
    at.number_input(key="municipality_rows_organisations").set_value(3).run()
    [rows] = [d.value for d in at.dataframe if "Наименование организации" in d.value.columns]
    assert list(rows["Наименование организации"])[-1] == "Школа № 249" and len(rows) == 50 and not at.exception


def test_rows_gone_from_the_sheet_are_listed_where_they_were(problems):
    """The demo's history has a school that is no longer in the workbook."""
    [lost] = [e for e in problems.expander if "пропала" in e.label]
    assert lost.label.endswith("Из таблицы пропала 1 строка, которая была в ней " + lost.label.split("в ней ")[1])
    [table] = [d.value for d in problems.dataframe if "Строка, где была" in d.value.columns]
    assert list(table["Лист"]) == ["Организации"] and list(table["Муниципалитет"]) == ["г. Благовещенск"]
    assert not [b for b in problems.get("download_button") if "пропавшие" in b.proto.label]  # a viewer: no rows


def test_an_administrator_downloads_the_gone_rows_with_the_sheet_s_own_headers(monkeypatch):
    import io

    from campaign.exports import lost_rows_xlsx
    from components.data import reads
    from data_sources.config import load_settings

    at = open_app(monkeypatch, "Проверка данных", admin=True, query={"lost": "1"})
    [lost] = [e for e in at.expander if "пропала" in e.label]
    assert lost.proto.expanded is True
    assert any("Из таблицы пропала 1 строка" in w.value for w in at.warning)  # the banner on every page
    assert [b.proto.label for b in at.get("download_button") if "пропавшие" in b.proto.label]
    # what the button gives: the sheet's own header, the school, where and when it was last seen
    gone = reads().hindsight(load_settings(campaign_id="amur-2022")).lost
    sheet = openpyxl.load_workbook(io.BytesIO(lost_rows_xlsx(gone, "Asia/Yakutsk")))["Организации"]
    assert [c.value for c in sheet[1]][:2] == ["Муниципальное образование", "Наименование организации"]
    assert sheet["B2"].value == "МОБУ «Средняя школа № 99» (удалена из таблицы)"
    assert [c.value for c in sheet[1]][-2:] == ["Строка, где была", "Последний раз в таблице"]


@pytest.mark.parametrize("said, shown", [("failed", "Код доступа не подошёл."),
                                         ("wait-9", "Слишком много неверных кодов. Попробуйте снова через 9 секунд.")])
def test_served_by_serve_py_the_passcode_form_posts_to_its_route_and_says_what_the_route_said(
        monkeypatch, said, shown):
    at = open_app(monkeypatch, env={"CAMPAIGN_SIGN_IN_ROUTES": "1"}, query={"sign_in": said, "mo": "x"})
    forms = [html.value for html in at.sidebar.get("html")]
    form = next(f for f in forms if 'action="/sign-in"' in f)
    assert 'type="password" name="passcode"' in form and ">Войти</button>" in form
    back = form.split('name="next" value="', 1)[1].split('"', 1)[0]
    assert back.startswith("/?mo=x") and "sign_in" not in back  # to this page, without what the route said
    assert [error.value for error in at.sidebar.error] == [shown]
    assert not at.sidebar.text_input  # no session-bound form beside it


def test_a_link_to_a_municipality_that_is_not_here_says_so_and_shows_the_whole_region(monkeypatch):
    at = open_app(monkeypatch, "Проверка данных", query={"mo": "RU-AMU:нарния:go"})
    # (the link's text is shown literally: Markdown's escapes are not seen on the page)
    assert [w.value.replace("\\", "") for w in at.warning if "В ссылке" in w.value] == [
        "В ссылке выбрано «RU-AMU:нарния:go», а здесь такого нет: показано всё."]
    assert at.selectbox(key="problems_municipality").value == ""
