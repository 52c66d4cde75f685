"""The federal view on the federal demo (AppTest): one campaign file for the whole country, each
region read from its own workbook (data/demo/moyakhartiya-2022-rf/<ОКАТО code>.xlsx); «Регионы»
lists all 89 subjects, ranks them, says the next federal deadline first and drills into a region.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest

from campaign.spec import load_campaign
from data_sources.config import DEMO_DIR, load_settings
from tests.integration.conftest import REPO
from tests.integration.test_app_pages import as_shown, open_app

FEDERAL = "moyakhartiya-2022-rf"
BUDGET = 300 * 1024


@pytest.fixture(scope="module")
def country() -> AppTest:
    with pytest.MonkeyPatch.context() as monkeypatch:
        return open_app(monkeypatch, query={"campaign": FEDERAL})


def table(at: AppTest):
    return at.dataframe[-1].value


def test_the_federal_demo_is_offered_beside_the_regional_ones(monkeypatch):
    at = open_app(monkeypatch)
    box = next(s for s in at.sidebar.radio if s.label == "Кампания")
    assert box.options[-1] == "Российская Федерация: Акция #МояХартия"
    assert box.options[:3] == ["Амурская область: Акция #МояХартия",
                               "Иркутская область: Социальный проект «Заступник»", "Приморский край: Акция #МояХартия"]


def test_the_whole_country_lands_on_regions_with_every_subject(country):
    assert not country.exception
    assert country.title[0].value == "Акция #МояХартия — по регионам"
    assert country.caption[0].value == ("Регионов: 89 · отчёт есть у 16 · строк пока нет — 3 · таблица не подключена "
                                        "— 70 · по состоянию на 01.03.2022 · цели — общие для всех регионов")
    shown = table(country)
    assert len(shown) == 89 and list(shown["Место"]) == list(range(1, 90))
    assert shown["Регион"].is_unique


def test_the_next_federal_deadline_comes_first(country):
    texts = [m.value for m in country.markdown]
    assert texts[0] == ("**Ближайший срок: 15.03.2022** (через 14 дней) — итоги акции со ссылками на видеоролики "
                        "победителей конкурса (Субъекты Российской Федерации → Управление Президента РФ по развитию "
                        "ИКТ и инфраструктуры связи)")
    assert texts[1].startswith(":gray[**Раньше него: 09.03.2022** (через 8 дней) — итоги акции по форме")


def test_the_regions_are_ranked_who_lags_first_and_those_without_figures_last(country):
    shown = table(country).set_index("Место")
    assert (shown.loc[1, "Регион"], shown.loc[1, "Организаций"], shown.loc[1, "Ещё нужно"]) == (
        "Республика Саха (Якутия)", "3 из 20", "ещё 17 организаций")
    reported = shown[shown["Состояние"] == "отчёт есть"]
    joined = [int(cell.split()[0]) for cell in reported["Организаций"]]
    assert len(reported) == 16 and joined[:5] == sorted(joined[:5])
    assert list(shown.loc[17:19, "Состояние"]) == ["таблица подключена, строк пока нет"] * 3
    assert list(shown.loc[17:19, "Организаций"]) == ["0 из 20"] * 3
    assert set(shown.loc[20:, "Состояние"]) == {"таблица не подключена"} and set(shown.loc[20:, "Организаций"]) == {"—"}
    moscow_oblast = shown[shown["Регион"] == "Московская область"].iloc[0]
    assert (moscow_oblast["Ещё нужно"], moscow_oblast["Целей выполнено"]) == ("выполнено", "5 из 5")
    assert moscow_oblast["Федеральный округ"] == "Центральный"


def test_the_first_screen_says_who_lags_who_has_nothing_and_who_is_done(country):
    texts = [as_shown(m.value) for m in country.markdown]
    assert ("**Отстают сильнее всех:** 1. Республика Саха (Якутия) — 3 из 20 (ещё 17 организаций); 2. Республика "
            "Дагестан — 4 из 20 (ещё 16 организаций)") in texts[2]
    assert "**Таблица подключена, строк пока нет:** Курская область, Республика Калмыкия, Чукотский автономный округ" \
        in texts
    assert "**Выполнили все цели:** Московская область" in texts


def test_the_map_of_russia_draws_85_subjects_and_names_those_it_cannot(country):
    deck = json.loads(country.get("deck_gl_json_chart")[0].proto.json)
    regions = next(layer for layer in deck["layers"] if layer["id"] == "regions")["data"]["features"]
    assert len(regions) == 85
    by_key = {f["properties"]["iso"]: f["properties"] for f in regions}
    assert by_key["RU-SA"]["figure"] == "3 из 20" and by_key["RU-SA"]["fill"][:3] != [255, 255, 255]
    assert by_key["RU-KRS"]["figure"] == "0 из 20"  # connected, nothing typed: 0 %, grey
    assert by_key["RU-AMU"]["figure"] == "таблица не подключена" and by_key["RU-AMU"]["fill"][:3] == [255, 255, 255]
    labels = next(layer for layer in deck["layers"] if layer["id"] == "region_labels")["data"]
    assert 0 < len(labels) < 19 and labels[0]["text"] == "Республика Саха (Якутия)\n3 из 20"  # who lags first
    caption = next(c.value for c in country.caption if c.value.startswith("Доля цели в регионе"))
    assert caption.endswith("Нет контура на карте: Донецкая Народная Республика, Запорожская область, Луганская "
                            "Народная Республика, Херсонская область — они в таблице ниже")


def test_the_federal_page_and_a_drilled_region_each_send_at_most_300_kb(monkeypatch, sent):
    at = open_app(monkeypatch, query={"campaign": FEDERAL})
    assert BUDGET >= sent[-1] > 100 * 1024
    at.query_params["region"] = "RU-KHA"
    at.run()
    assert not at.exception
    assert sent[-1] <= BUDGET


def test_clicking_a_region_drills_into_its_municipal_map_and_its_pages(monkeypatch):
    at = open_app(monkeypatch, query={"campaign": FEDERAL, "region": "RU-KHA"})
    assert [h.value for h in at.header] == ["Хабаровский край"]
    decks = at.get("deck_gl_json_chart")
    assert len(decks) == 1  # the region's map takes the place of Russia's
    features = next(layer for layer in json.loads(decks[0].proto.json)["layers"]
                    if layer["id"] == "municipalities")["data"]["features"]
    assert len(features) == 19
    link = next(p for p in at.get("page_link") if p.proto.label == "Открыть сводку: Хабаровский край")
    assert "campaign=moyakhartiya-2022-rf%4008" in link.proto.query_string or \
        "campaign=moyakhartiya-2022-rf@08" in link.proto.query_string
    at.button(key="regions_back").click().run()
    assert not at.header and "region" not in at.query_params
    assert len(json.loads(at.get("deck_gl_json_chart")[0].proto.json)["layers"][0]["data"]["features"]) == 85


def test_a_region_without_boundaries_drills_into_its_list(monkeypatch):
    at = open_app(monkeypatch, query={"campaign": FEDERAL, "region": "RU-SA"})
    assert [h.value for h in at.header] == ["Республика Саха (Якутия)"]
    assert not at.get("deck_gl_json_chart")
    assert any(i.value.startswith("Границы муниципалитетов Республики Саха (Якутия) недоступны") for i in at.info)


def test_a_regions_own_pages_open_with_the_region_beside_its_federal_campaign(monkeypatch):
    at = open_app(monkeypatch, query={"campaign": f"{FEDERAL}@08"})
    assert at.title[0].value == "Акция #МояХартия — Хабаровский край"
    box = next(s for s in at.sidebar.radio if s.label == "Кампания")
    assert box.value == f"{FEDERAL}@08"
    assert box.options[-2:] == ["Российская Федерация: Акция #МояХартия", "Хабаровский край: Акция #МояХартия"]
    assert "по состоянию на 01.03.2022" in at.caption[0].value


def test_a_regions_page_opened_for_the_whole_country_goes_to_regions(monkeypatch):
    at = open_app(monkeypatch, "Муниципалитеты", query={"campaign": FEDERAL})
    assert at.title[0].value == "Акция #МояХартия — по регионам"


def test_each_region_reads_its_own_source_from_the_federal_settings():
    secrets = {"campaigns": {FEDERAL: {"ttl_seconds": 300, "sources": {"08": "https://example.ru/kha.xlsx"}}}}
    khabarovsk = load_settings({}, secrets, f"{FEDERAL}@08")
    assert (khabarovsk.source, khabarovsk.ttl_seconds, khabarovsk.is_demo) == ("https://example.ru/kha.xlsx", 300, False)
    crimea = load_settings({}, secrets, f"{FEDERAL}@35")  # no source of its own: its demo workbook, if any
    assert crimea.is_demo and crimea.source == str(DEMO_DIR / FEDERAL / "35.xlsx")
    assert load_campaign(f"{FEDERAL}@35").region_name == "Республика Крым"


def test_the_federal_demo_is_made_again_byte_for_byte(tmp_path):
    done = subprocess.run([sys.executable, "scripts/make_demo_federal.py", "--out-dir", str(tmp_path)], cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    made = sorted(p.name for p in tmp_path.glob("*.xlsx"))
    assert made == sorted(p.name for p in (DEMO_DIR / FEDERAL).glob("*.xlsx")) and len(made) == 19
    assert all((tmp_path / name).read_bytes() == (DEMO_DIR / FEDERAL / name).read_bytes() for name in made)


@pytest.mark.parametrize("command", [["summary"], ["check"], ["init-sheet", "--xlsx", "new.xlsx"]])
def test_the_command_line_asks_for_a_region_of_a_federal_campaign(tmp_path, command):
    done = subprocess.run([sys.executable, "-m", "campaign", *command, "--campaign", FEDERAL], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, env={**__import__("os").environ,
                                                                           "PYTHONPATH": str(REPO)})
    assert done.returncode == 2
    assert ("«moyakhartiya-2022-rf» — федеральная кампания: у каждого региона своя таблица. Укажите регион: "
            "moyakhartiya-2022-rf@<код по ОКАТО>, например moyakhartiya-2022-rf@01.") in done.stderr
    assert not (tmp_path / "new.xlsx").exists()


def test_the_regions_results_are_one_form_as_docx_and_xlsx(country, tmp_path):
    import io

    import openpyxl
    from docx import Document

    downloads = {b.proto.label: b for b in country.get("download_button")}
    assert {"Скачать DOCX", "Скачать XLSX"} <= set(downloads)
    from campaign.exports import federal_summary_docx, federal_summary_xlsx
    from campaign.federal import federal_title
    from campaign.form import federal_summary
    from campaign.pipeline import run
    from data_sources.local_file import LocalFileSource

    federal = load_campaign(FEDERAL)
    reports = []
    for path in sorted((DEMO_DIR / FEDERAL).glob("*.xlsx")):
        region = load_campaign(federal.region_campaign_id(path.stem))
        reports.append(run(LocalFileSource(path).read().tabs, region, as_of=region.demo_as_of))
    summary = federal_summary(federal_title(federal), reports, ["Амурская область"])
    assert summary.title == "Итоги акции #МояХартия на территории Российской Федерации"
    sheet = openpyxl.load_workbook(io.BytesIO(federal_summary_xlsx(summary))).active
    assert sheet["A1"].value == summary.title and "Нет отчёта: Амурская область." in sheet["A2"].value
    header = [c.value for c in sheet[3]]
    assert header[:3] == ["№", "Субъект Российской Федерации", "Численность лиц и организаций, задействованных в акции"]
    assert header[-1] == "Ссылки на видеоролики победителей конкурса, иной контент"
    body = list(sheet.iter_rows(min_row=4, values_only=True))
    assert len(body) == 20 and body[-1][1] == "Итого"
    joined = header.index("Количество организаций, подписавших Хартию")
    assert body[-1][joined] == sum(r.metrics["organisations_joined"] for r in reports) == sum(
        row[joined] for row in body[:-1])
    moscow = next(row for row in body if row[1] == "Московская область")
    assert moscow[-1].startswith("https://vk.com/clip-")  # the winner's video
    text = "\n".join(p.text for p in Document(io.BytesIO(federal_summary_docx(summary))).paragraphs)
    assert summary.title in text and "Нет отчёта: Амурская область." in text
    table = Document(io.BytesIO(federal_summary_docx(summary))).tables[0]
    assert len(table.rows) == 21 and table.rows[-1].cells[1].text == "Итого"


def test_the_operators_reminder_goes_to_the_regions_that_lag(country):


    downloads = {b.proto.label: b for b in country.get("download_button")}
    assert "Скачать письмо DOCX" in downloads
    texts = [w.value for w in country.markdown]
    assert any(t.startswith("Письмо регионам, которые отстают или не представили данные (88 регионов), от имени "
                            "Управление Президента РФ") for t in texts)
    code = next(c.value for c in country.code)
    assert code.startswith("Уважаемые коллеги!")
    assert "• Республика Саха (Якутия): ещё 17 организаций; не выполнено целей: 5 из 5; проблемы в таблице: нет" in code
    assert "• Курская область: в таблице пока нет ни одной строки" in code
    assert "Московская область" not in code  # every target met: not reminded
    assert "Напоминаем: срок «Итоги акции со ссылками на видеоролики победителей конкурса» — 15.03.2022" in code


def test_the_reminder_letter_is_in_the_layout_of_an_official_letter():
    import io
    from datetime import date

    from docx import Document

    from campaign.exports import reminder_docx
    from campaign.federal import RegionRead, federal_reminder, federal_table
    from campaign.pipeline import run
    from campaign.subjects import find_subject
    from data_sources.local_file import LocalFileSource

    federal = load_campaign(FEDERAL)
    regions = []
    for code in ("98", "46", "38"):
        region = load_campaign(federal.region_campaign_id(code))
        report = run(LocalFileSource(DEMO_DIR / FEDERAL / f"{code}.xlsx").read().tabs, region, as_of=region.demo_as_of)
        regions.append(RegionRead.of(region.id, find_subject(code), report))
    regions.append(RegionRead.of(f"{FEDERAL}@08", find_subject("08"), None, connected=False))
    letter = federal_reminder(federal, federal_table(regions), date(2022, 3, 1), "https://dash.example.ru")
    assert [row.municipality for row in letter.rows] == ["Республика Саха (Якутия)", "Курская область",
                                                         "Хабаровский край"]
    assert letter.rows[0].link == "https://dash.example.ru/problems?campaign=moyakhartiya-2022-rf%4098"
    assert letter.rows[2].link == "" and letter.rows[2].owes == "данные не представлены: таблица не подключена"
    assert letter.paragraphs[0].startswith("По данным дашборда «Акция #МояХартия» на 01.03.2022 3 субъекта "
                                           "Российской Федерации ещё не выполнили показатели акции")
    document = Document(io.BytesIO(reminder_docx(letter)))
    head = document.tables[0].rows[0].cells
    assert head[0].paragraphs[0].text == "УПРАВЛЕНИЕ ПРЕЗИДЕНТА"
    assert "Руководителям органов" in head[1].text
    assert [c.text for c in document.tables[1].rows[0].cells][:3] == ["№", "Субъект Российской Федерации",
                                                                      "Что осталось сделать"]
    assert document.tables[2].rows[0].cells[0].text == "Начальник управления"


def test_a_bookmarked_regions_address_of_the_whole_country_opens_without_a_page_not_found(monkeypatch):
    at = open_app(monkeypatch, "Регионы", query={"campaign": FEDERAL, "region": "RU-KHA"})
    assert at.title[0].value == "Акция #МояХартия — по регионам"
    assert [h.value for h in at.header] == ["Хабаровский край"]


def test_a_federal_districts_municipalities_at_once_within_the_page_budget(monkeypatch, sent):
    at = open_app(monkeypatch, query={"campaign": FEDERAL})
    box = next(s for s in at.selectbox if s.label == "Карта")
    assert box.options[0] == "Россия по регионам" and "Центральный ФО: муниципалитеты" in box.options
    box.select("Центральный").run()
    assert not at.exception and sent[-1] <= BUDGET
    features = json.loads(at.get("deck_gl_json_chart")[0].proto.json)["layers"][0]["data"]["features"]
    by_region: dict[str, list] = {}
    for feature in features:
        by_region.setdefault(feature["properties"]["iso"], []).append(feature["properties"])
    assert len(by_region["RU-MOS"]) == 60 and len(by_region["RU-TUL"]) == 26  # the reporting regions' units
    assert by_region["RU-BEL"] == [{"iso": "RU-BEL", "name": "Белгородская область", "region": "",
                                    "figure": "таблица не подключена", "fill": [255, 255, 255, 255]}]
    assert sum(int(p["figure"]) for p in by_region["RU-MOS"]) == 23  # Moscow Oblast's organisations
    caption = next(c.value for c in at.caption if "по муниципалитетам" in c.value)
    assert caption.startswith("Организации, присоединившиеся к Хартии по муниципалитетам центрального федерального "
                              "округа")


def test_a_district_with_every_region_reporting_still_fits_the_budget():
    from campaign.pipeline import run
    from campaign.subjects import all_subjects
    from components.regions import _draw_district

    federal = load_campaign(FEDERAL)
    central = [s for s in all_subjects() if s.federal_district == "Центральный"]
    reports = tuple(run([], load_campaign(federal.region_campaign_id(s.code)), as_of=federal.demo_as_of)
                    for s in central)
    deck = _draw_district(reports, "Центральный", tuple((s.key, "reported") for s in central), width=860, height=520)
    features = json.loads(deck.to_json())["layers"][0]["data"]["features"]
    assert len(features) == 633 and len(deck.to_json().encode()) <= 250 * 1024


def test_a_region_without_a_report_is_not_a_white_block_in_the_dark_theme():
    """The map of Russia on a dark page was a white block: regions without a report are dark grey
    there (and white on a light page), and the caption names the colour."""
    from components.regions import NO_DATA, no_data_word, russia_deck

    fills = {dark: {tuple(f["properties"]["fill"][:3]) for f in russia_deck((), "x", (), dark=dark).layers[0].data["features"]}
             for dark in (False, True)}
    assert fills[False] == {NO_DATA[False]} == {(255, 255, 255)}
    assert fills[True] == {NO_DATA[True]} and max(NO_DATA[True]) < 100
    assert (no_data_word(False), no_data_word(True)) == ("белым", "тёмно-серым")
