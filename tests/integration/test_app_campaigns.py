"""Several campaigns in one app (AppTest, the bundled demos): the picker, «Заступник» on every
page from its campaign file alone, and the federal view «Регионы» of #МояХартия."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.demo_figures import AMUR_JOINED, ZASTUPNIK_MUNICIPALITIES, ZASTUPNIK_SILENT
from tests.demo_figures import ZASTUPNIK as FIGURES
from tests.integration.test_app_pages import PAGES, built, cards, open_app

ZASTUPNIK = "irkutsk-zastupnik-2024"


def campaign_box(at: AppTest):
    return next(s for s in at.sidebar.radio if s.label == "Кампания")


@pytest.fixture(scope="module")
def zastupnik() -> AppTest:
    return built("Сводка", query={"campaign": ZASTUPNIK})


def test_the_sidebar_offers_every_configured_campaign_by_its_title_and_region(monkeypatch):
    at = open_app(monkeypatch)
    box = campaign_box(at)
    assert box.value == "amur-2022"
    assert box.options == ["Амурская область: Акция #МояХартия", "Иркутская область: Социальный проект «Заступник»",
                           "Приморский край: Акция #МояХартия", "Российская Федерация: Акция #МояХартия"]
    box.set_value(ZASTUPNIK).run()
    assert not at.exception
    assert at.title[0].value == "Социальный проект «Заступник» — Иркутская область"
    assert at.query_params["campaign"] in (ZASTUPNIK, [ZASTUPNIK])  # the choice can be bookmarked


def test_a_link_with_campaign_opens_that_campaign(zastupnik):
    assert campaign_box(zastupnik).value == ZASTUPNIK
    assert zastupnik.title[0].value == "Социальный проект «Заступник» — Иркутская область"
    assert "по состоянию на 03.06.2024" in zastupnik.caption[0].value


def test_zastupnik_cards_show_shares_of_all_organisations(zastupnik):
    shown = cards(zastupnik)
    total = FIGURES["organisations_total"]
    for label, metric, share, rest in (
            ("Ответственный назначен во всех организациях", "responsible_appointed", 72, "организаций"),
            ("Баннер размещён на сайтах всех организаций", "banner_placed", 55, "организации"),
            ("Все ответственные вступили в рабочий чат", "chat_joined", 45, "организация")):
        value = FIGURES[metric]
        assert shown[label][:2] == (f"{value} из {total} ({share}\u00a0%)", f"ещё {total - value} {rest}")
    # the document a target comes from, in the card's tooltip (the first screen keeps the cards small)
    helps = [c.proto.help for c in zastupnik.caption]
    assert any(h.startswith("цель — все · Письмо министерства образования Иркутской области") for h in helps)


def test_zastupnik_summary_line_deadline_and_silent_municipalities(zastupnik):
    texts = [m.value for m in zastupnik.markdown]
    z = FIGURES
    assert (f"В таблице **{z['organisations_total']} организаций**; назначили ответственного: "
            f"**{z['responsible_appointed']}**; разместили баннер: **{z['banner_placed']}**; "
            f"вступили в рабочий чат: **{z['chat_joined']}**; всё сделали: **{z['all_done']}**.") in texts
    assert any("**05.06.2024** (через 2 дня)" in t for t in texts)
    assert [s.value for s in zastupnik.subheader][0] == "Ответственный вступил в рабочий чат — по дням"
    silent = f"Нет ни одной строки в таблице ({ZASTUPNIK_SILENT} из {ZASTUPNIK_MUNICIPALITIES})"
    assert any(silent in t.value for t in zastupnik.markdown)


def test_zastupnik_map_is_coloured_by_a_share_target_by_default(zastupnik):
    box = next(s for s in zastupnik.selectbox if s.label == "Раскрасить карту")
    assert box.value == "responsible"
    # a share told from a count (two near-identical «…вступили в рабочий чат» choices were offered)
    assert box.options == ["Доля, %: ответственный назначен", "Доля, %: баннер размещён",
                                                         "Доля, %: в рабочем чате", "Число: ответственный вступил в рабочий чат"]
    assert any(c.value == "Доля, %: ответственный назначен" for c in zastupnik.caption)


def test_zastupnik_has_no_events_page_and_no_federal_view_and_a_link_to_one_says_so_in_russian(zastupnik):
    at = zastupnik
    at.switch_page(PAGES["Мероприятия"]).run()  # a colleague's link: no «Page not found» in English
    assert not at.exception
    assert [info.value for info in at.info] == ["В этой кампании мероприятий нет."]
    at.switch_page(PAGES["Регионы"]).run()
    assert not at.exception
    assert [info.value for info in at.info] == [
        "Сравнение по регионам — для кампаний, которые идут в нескольких регионах; эта кампания идёт в одном: "
        "Иркутская область."]


def test_zastupnik_municipality_table_has_shares_per_municipality(monkeypatch):
    at = open_app(monkeypatch, "Муниципалитеты", query={"campaign": ZASTUPNIK, "mo": "RU-IRK:шелеховский:mr"})
    table = at.dataframe[0].value.set_index("Муниципалитет")
    # the headline's change since yesterday follows it (the demo's own history has a yesterday)
    assert list(table.columns[:9]) == ["uid", "Организаций", "Ответственный назначен", "Ответственный назначен, %",
                                       "Баннер размещён", "Баннер размещён, %", "В рабочем чате",
                                       "В рабочем чате: за сутки", "В рабочем чате, %"]
    moved = table["В рабочем чате: за сутки"]
    changed = moved.str.fullmatch("\u200b?[+−]\\d+")  # (the invisible space keeps a CSV's «+2» from being a formula)
    assert changed.any()  # «+2», «−1» where it moved …
    assert set(moved[~changed]) == {"—"}  # … and nothing where it did not (no «+0»)
    assert table.loc["Шелеховский район", "Ответственный назначен, %"] == 100
    assert table.loc["Катангский район", "Организаций"] == 0
    assert [s.value for s in at.subheader][:1] == ["Образовательные организации: 6 строк в таблице, учтено 6"]
    rows = at.dataframe[1].value
    # a viewer gets no personal data: one column says it is there, not one «скрыто» column each
    assert set(rows["Персональные данные"]) == {"скрыто"} and "ФИО ответственного" not in rows
    assert set(rows["Учтено"]) == {"да"}


def test_zastupnik_problems_page_names_tab_row_and_column(monkeypatch):
    at = open_app(monkeypatch, "Проверка данных", query={"campaign": ZASTUPNIK})
    rows = pd.concat([t.value for t in at.table], ignore_index=True)
    found = set(zip(rows["Строка"], rows["Столбец"].str.replace("\\", "", regex=False)))
    assert {("5", "Баннер размещён"), ("9", "Телефон ответственного"), ("16", "Ссылка на страницу с баннером"),
            ("22", "Дата вступления в чат"), ("25", "Ссылка на страницу с баннером"), ("30", "Дата вступления в чат"), ("33", "Наименование организации"),
            ("34", "Наименование организации"), ("40", "Муниципальное образование"),
            ("44", "Наименование организации")} == found


def test_zastupnik_reports_offer_its_own_form(monkeypatch):
    at = open_app(monkeypatch, "Отчёты и формы", query={"campaign": ZASTUPNIK})
    assert [b.label for b in at.get("download_button")][:4] == ["Скачать PNG", "Скачать PDF", "Скачать DOCX",
                                                                  "Скачать XLSX"]


# ------------------------------------------------------------------------------ Регионы

@pytest.fixture(scope="module")
def regions() -> AppTest:
    return built("Регионы")


def test_the_federal_view_compares_the_regions_of_one_campaign(regions):
    assert regions.title[0].value == "Акция #МояХартия — по регионам"
    table = regions.dataframe[-1].value.set_index("Регион")
    assert list(table.index) == ["Приморский край", "Амурская область"]  # who lags first
    assert list(table["Место"]) == [1, 2] and list(table["Состояние"]) == ["отчёт есть", "отчёт есть"]
    assert table.loc["Амурская область", "Организаций"] == f"{AMUR_JOINED} из 20"
    assert table.loc["Приморский край", "Организаций"] == "16 из 20"
    assert table.loc["Амурская область", "Целей выполнено"].endswith("из 5")
    box = next(s for s in regions.selectbox if s.label == "Раскрасить карту по цели")
    assert box.value == "organisations_memo"
    assert len(regions.get("deck_gl_json_chart")) == 1  # the map of Russia


def test_choosing_a_region_drills_into_its_municipalities(monkeypatch):
    at = open_app(monkeypatch, "Регионы", query={"region": "RU-PRI"})
    assert [h.value for h in at.header] == ["Приморский край"]
    assert len(at.get("deck_gl_json_chart")) == 1  # the region's municipalities in the place of Russia


@pytest.mark.parametrize(("page", "key"), [("Отчёты и формы", "form_municipality"),
                                           ("Муниципалитеты", "municipality_choice"),
                                           ("Проверка данных", "problems_municipality")])
def test_switching_the_campaign_after_choosing_a_municipality_does_not_crash(monkeypatch, page, key):
    """«г. Тында» chosen for Amur, then the sidebar switched to Primorye: the choice is Amur's."""
    at = open_app(monkeypatch, page)
    at.selectbox(key=key).set_value("RU-AMU:тында:go").run()
    assert not at.exception
    campaign_box(at).set_value("primorye-2022").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Акция #МояХартия — Приморский край"
    assert at.selectbox(key=key).value == ""
    assert "mo" not in at.query_params


def test_a_link_with_a_municipality_of_another_region_opens_the_region(monkeypatch):
    at = open_app(monkeypatch, "Муниципалитеты", query={"campaign": "primorye-2022", "mo": "RU-AMU:тында:go"})
    assert not at.exception
    assert at.selectbox(key="municipality_choice").value == "" and not at.header
