"""Any region of Russia from its campaign file alone: for each of the 83 subjects with bundled
boundaries, a campaign file naming the subject by its ОКАТО code and a workbook with one
organisation in every municipality — typed as coordinators type (a «район» called by its
post-2025 name «муниципальный округ», a town as «ГО «Город …»») — is read from the .xlsx file
with every unit listed and counted. A subject without boundaries works from its own list."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from campaign.pipeline import run
from campaign.region_list import registry_for
from campaign.spec import load_campaign
from campaign.subjects import all_subjects, find_subject
from data_sources.local_file import LocalFileSource

REPO = Path(__file__).resolve().parents[2]
AS_OF = date(2022, 3, 1)
ORG_HEADER = ["Муниципальное образование", "Наименование организации", "Тип организации",
              "Дата присоединения", "Статус", "Телефон"]
WITH_BOUNDARIES = [s for s in all_subjects() if s.has_boundaries]


def campaign_file(folder: Path, campaign_id: str, region: str, extra: str = "") -> Path:
    """A region's #МояХартия file as a ministry writes it from the README's key reference."""
    path = folder / f"{campaign_id}.toml"
    path.write_text(f'extends = "_moyakhartiya-2022"\nid = "{campaign_id}"\n\n[region]\n{region}\n{extra}',
                    encoding="utf-8")
    return path


def as_typed(name: str, kind: str, number: int) -> str:
    """A municipality's name as a coordinator might type it today."""
    if name.endswith(" район") and number % 2:
        return name.removesuffix(" район") + " муниципальный округ"  # the post-2025 name
    if name.startswith("г. ") and number % 3 == 0:
        return f"ГО «Город {name.removeprefix('г. ')}»"
    return name


def workbook(path: Path, names: list[str], phone: str) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Организации"
    sheet.append(ORG_HEADER)
    for number, name in enumerate(names, 1):
        sheet.append([name, f"МБОУ «Школа № {number}»", "школа", "15.02.2022", "подписан", phone])
    events = book.create_sheet("Мероприятия")
    events.append(["Муниципальное образование", "Вид мероприятия", "Название", "Дата", "Ссылка", "Охват, чел."])
    book.save(path)
    return path


def read(campaign_path: Path, xlsx: Path):
    campaign = load_campaign(campaign_path)
    book = LocalFileSource(xlsx).read()
    return run(book.tabs, campaign, as_of=AS_OF, source=book.source, read_at=book.read_at)


@pytest.mark.parametrize("subject", WITH_BOUNDARIES, ids=lambda s: s.key)
def test_a_campaign_file_for_any_subject_reads_every_municipality(tmp_path, subject):
    path = campaign_file(tmp_path, "region-2022", f'code = "{subject.code}"')
    registry = registry_for(load_campaign(path))
    typed = [as_typed(m.name, m.kind, number) for number, m in enumerate(registry.municipalities)]
    report = read(path, workbook(tmp_path / "region.xlsx", typed, subject.phone_example))

    assert report.campaign.region_name == subject.name
    assert report.campaign.timezone == subject.timezone
    assert len(report.registry) == len(registry.municipalities) > 0
    wrong = report.problems[report.problems["code"].isin(["unknown_municipality", "ambiguous_municipality"])]
    assert list(wrong["message"]) == []
    assert report.metrics["organisations_joined"] == len(registry)
    counted = report.municipalities.set_index("uid")["organisations_joined"]
    assert sorted(counted.index) == sorted(m.uid for m in registry.municipalities)
    assert set(counted) == {1}
    assert report.silent_municipalities() == []
    assert not (report.problems["code"] == "invalid_phone").any()  # the subject's phone example is valid


def test_the_command_line_reads_a_khabarovsk_workbook_that_ended_in_a_traceback(tmp_path):
    """The issue's own case: `[region] iso = "RU-KHA"` and a workbook of its schools."""
    path = campaign_file(tmp_path, "khabarovsk-2022", 'iso = "RU-KHA"\nname = "Хабаровский край"')
    xlsx = workbook(tmp_path / "kha.xlsx", ["г. Хабаровск", "ГО «Город Комсомольск-на-Амуре»", "район имени Лазо",
                                            "р-н им. Полины Осипенко", "Хабаровский муниципальный округ",
                                            "Ванинский р-н"], "8 (4212) 22-33-44")
    done = subprocess.run([sys.executable, "-m", "campaign", "summary", "--source", str(xlsx), "--campaign",
                           str(path), "--as-of", "2022-03-01", "--json"],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["campaign"]["region"] == "Хабаровский край"
    assert (summary["campaign"]["region_code"], summary["campaign"]["region_iso"]) == ("08", "RU-KHA")
    assert summary["organisations_joined"] == 6
    assert len(summary["municipalities"]) == 19
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(("region", "message"), [
    ('iso = "RU-KHAB"', "[region] iso: нет такого субъекта Российской Федерации: «RU-KHAB»"),
    ('name = "Хабаровский крайй"', "[region] name: нет такого субъекта Российской Федерации: «Хабаровский крайй» — "
                                   "может быть, «Хабаровский край»?"),
    ('code = "08"\nname = "Амурская область"', "[region] называет разные субъекты: code — Хабаровский край, "
                                                "name — Амурская область"),
    ('code = "08"\ntimezone = "Asia/Vladivostock"', "[region] timezone: неизвестный часовой пояс «Asia/Vladivostock» — "
                                                     "может быть, «Asia/Vladivostok»?"),
])
def test_a_mistyped_region_is_refused_with_the_key_and_a_suggestion(tmp_path, region, message):
    path = campaign_file(tmp_path, "bad-2022", region)
    done = subprocess.run([sys.executable, "-m", "campaign", "summary", "--campaign", str(path)],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert message in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


# ----------------------------------------------------------------- a subject without boundaries

YAKUTIA_LIST = """
[[municipalities]]
name = "г. Якутск"

[[municipalities]]
name = "г. Жатай"

[[municipalities]]
name = "Алданский район"

[[municipalities]]
name = "Мирнинский район"

[[municipalities]]
name = "Нерюнгринский район"

[[municipalities]]
name = "Оймяконский улус"
kind = "муниципальный район"
aliases = ["Оймякон"]
"""


def test_a_subject_without_boundaries_counts_from_the_campaign_files_own_list(tmp_path):
    path = campaign_file(tmp_path, "yakutia-2022", 'name = "Якутия"', YAKUTIA_LIST)
    campaign = load_campaign(path)
    assert (campaign.region_name, campaign.region_code, campaign.timezone) == (
        "Якутия", "98", "Asia/Yakutsk")
    assert campaign.subject is find_subject("Республика Саха (Якутия)")
    typed = ["г. Якутск", "ГО «Город Якутск»", "Алданский муниципальный округ", "Мирнинский р-н", "Оймяконский район",
             "Нюрбинский район"]
    report = read(path, workbook(tmp_path / "ya.xlsx", typed, "8 (4112) 22-33-44"))
    assert not report.registry.has_boundaries
    assert [m.name for m in report.registry.municipalities] == [
        "г. Жатай", "г. Якутск", "Алданский район", "Мирнинский район", "Нерюнгринский район", "Оймяконский улус"]
    counted = report.municipalities.set_index("uid")["organisations_joined"].to_dict()
    assert counted == {"RU-SA:жатай:go": 0, "RU-SA:якутск:go": 2, "RU-SA:алданский:mr": 1,
                       "RU-SA:мирнинский:mr": 1, "RU-SA:нерюнгринский:mr": 0,
                       "RU-SA:оймяконский:mr": 1}
    assert report.metrics["organisations_joined"] == 6 and report.unassigned["organisations_joined"] == 1
    unknown = report.problems[report.problems["code"] == "unknown_municipality"]
    assert len(unknown) == 1 and "Нюрбинский" in unknown.iloc[0]["message"]


def test_a_subject_without_boundaries_or_a_list_takes_its_municipalities_from_the_quota_tab(tmp_path):
    path = campaign_file(tmp_path, "dnr-2022", 'code = "21"')
    xlsx = workbook(tmp_path / "dnr.xlsx", ["г. Донецк", "г. Мариуполь", "Волновахский район"], "8 (856) 222-33-44")
    book = openpyxl.load_workbook(xlsx)
    quotas = book.create_sheet("Цели")
    quotas.append(["Муниципальное образование", "Цель: организаций"])
    for name, goal in (("г. Донецк", 10), ("г. Мариуполь", 5), ("Волновахский район", 3), ("г. Горловка", 4)):
        quotas.append([name, goal])
    book.save(xlsx)
    report = read(path, xlsx)
    assert report.campaign.region_name == "Донецкая Народная Республика"
    assert [m.name for m in report.registry.municipalities] == [
        "г. Горловка", "г. Донецк", "г. Мариуполь", "Волновахский район"]
    table = report.municipalities.set_index("name")
    assert table.loc["г. Донецк", "organisations_joined"] == 1 and table.loc["г. Горловка", "organisations_joined"] == 0
    assert table.loc["г. Донецк", "quota"] == 10
    assert report.metrics["organisations_joined"] == 3
    assert report.silent_municipalities() == ["г. Горловка"]


# ----------------------------------------------------------------- the app on a new region

def _app_on(monkeypatch, tmp_path: Path, campaign_path: Path, xlsx: Path):
    from tests.integration.test_app_pages import PAGES, open_app

    env = {"CAMPAIGN_ID": str(campaign_path), "CAMPAIGN_SOURCE": str(xlsx), "CAMPAIGN_AS_OF": "2022-03-01"}
    return PAGES, lambda page: open_app(monkeypatch, page, env=env)


def test_every_page_works_for_a_region_without_boundaries_and_its_map_says_so(monkeypatch, tmp_path):
    path = campaign_file(tmp_path, "yakutia-2022", 'code = "98"', YAKUTIA_LIST)
    xlsx = workbook(tmp_path / "ya.xlsx", ["г. Якутск", "Алданский район", "Мирнинский р-н"], "8 (4112) 22-33-44")
    pages, open_page = _app_on(monkeypatch, tmp_path, path, xlsx)
    note = ("Границы муниципалитетов Республики Саха (Якутия) недоступны: карты нет. Цифры каждого муниципалитета — "
            "в таблице и в карточке муниципалитета.")
    for page in [p for p in pages if p != "Регионы"]:  # «Регионы» is offered to a family of several regions
        at = open_page(page)
        assert not at.exception and not at.error, (page, [e.value for e in at.exception], [e.value for e in at.error])
        if page == "Сводка":
            assert at.title[0].value == "Акция #МояХартия — Республика Саха (Якутия)"
            assert [i.value for i in at.info if i.value.startswith("Границы")] == [note]
            assert not at.get("deck_gl_json_chart")  # no empty map frame
            chooser = next(s for s in at.selectbox if s.label == "Муниципалитет")
            assert chooser.options[:4] == ["г. Якутск — 1", "Алданский район — 1", "Мирнинский район — 1", "г. Жатай — 0"]
            chooser.select("RU-SA:якутск:go").run()
            assert "#### г. Якутск" in [m.value for m in at.markdown]


def test_a_new_regions_summary_draws_its_municipal_map(monkeypatch, tmp_path):
    path = campaign_file(tmp_path, "khabarovsk-2022", 'code = "08"')
    xlsx = workbook(tmp_path / "kha.xlsx", ["г. Хабаровск", "район имени Лазо"], "8 (4212) 22-33-44")
    _pages, open_page = _app_on(monkeypatch, tmp_path, path, xlsx)
    at = open_page("Сводка")
    assert not at.exception and at.title[0].value == "Акция #МояХартия — Хабаровский край"
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    features = next(layer for layer in deck["layers"] if layer["id"] == "municipalities")["data"]["features"]
    assert len(features) == 19
    drawn = {f["properties"]["name"]: f["properties"]["m_organisations_joined"] for f in features}
    assert (drawn["г. Хабаровск"], drawn["Район Лазо"], drawn["Ванинский район"]) == ("1", "1", "0")


def test_the_slide_of_a_region_without_boundaries_ranks_its_municipalities_instead_of_a_map(tmp_path):
    import io

    from PIL import Image

    from campaign.briefing import briefing_png, briefing_spec

    path = campaign_file(tmp_path, "yakutia-2022", 'code = "98"', YAKUTIA_LIST)
    report = read(path, workbook(tmp_path / "ya.xlsx", ["г. Якутск", "г. Якутск", "Алданский район"],
                                 "8 (4112) 22-33-44"))
    spec = json.dumps(briefing_spec(report), ensure_ascii=False)
    assert "Границы муниципалитетов Республики Саха (Якутия) недоступны: карты нет." in spec
    assert "OpenStreetMap" not in spec and "geoshape" not in spec
    bars = next(d for d in briefing_spec(report)["datasets"].values() if d and "bin" in d[0])
    assert [(b["name"], b["text"]) for b in bars][:3] == [("Якутск", "2"), ("Алданский р-н", "1"), ("Жатай", "0")]
    assert Image.open(io.BytesIO(briefing_png(report))).size == (1920, 1080)
