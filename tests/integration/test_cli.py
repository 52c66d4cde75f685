"""The command line, `python -m campaign summary|check`, run as a user runs it: a subprocess
from the repository's root with no CAMPAIGN_* settings in the environment."""

from __future__ import annotations

import json
import re
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from tests.cli_helpers import assert_no_traceback, cli
from tests.demo_figures import AMUR_EVENTS, AMUR_JOINED, AMUR_REACH, INTERVIEW

REPO = Path(__file__).resolve().parents[2]
AMUR = "data/demo/amur-2022.xlsx"
EVENT_KINDS = {
    "информационная кампания",
    "конференция",
    "интервью / выступление на радио или ТВ",
    "конкурс видеороликов",
    "иное мероприятие",
}


# ------------------------------------------------------------------------- summary


@pytest.fixture(scope="module")
def amur_json() -> dict:
    result = cli("summary", "--source", AMUR, "--campaign", "amur-2022", "--as-of", "2022-02-22", "--json")
    assert result.returncode == 0, result.stderr
    assert_no_traceback(result)
    return json.loads(result.stdout)


def test_summary_json_totals(amur_json):
    assert amur_json["organisations_joined"] == AMUR_JOINED and type(amur_json["organisations_joined"]) is int
    assert amur_json["events"] == AMUR_EVENTS
    assert set(amur_json["events"]) == EVENT_KINDS
    assert type(amur_json["reach"]) is int and amur_json["reach"] == AMUR_REACH
    assert amur_json["as_of"] == "2022-02-22"


def test_summary_json_has_the_same_keys_with_and_without_a_history():
    """The bundled demo (no history named): `changes` null and `lost_rows` empty, as with one."""
    result = cli("summary", "--campaign", "amur-2022", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["changes"] is None and data["lost_rows"] == []


def test_naming_a_demo_workbook_keeps_the_demo_s_own_day():
    """`summary --source data/demo/primorye-2022.xlsx` told deadlines «1 733 дня назад»: the demo's
    file named as the source still shows the day the demo shows."""
    named = cli("summary", "--campaign", "primorye-2022", "--source", "data/demo/primorye-2022.xlsx", "--json")
    plain = cli("summary", "--campaign", "primorye-2022", "--json")
    assert named.returncode == 0 and plain.returncode == 0, named.stderr + plain.stderr
    assert json.loads(named.stdout)["as_of"] == json.loads(plain.stdout)["as_of"] == "2022-02-22"


def test_summary_json_municipalities(amur_json):
    municipalities = amur_json["municipalities"]
    assert len(municipalities) == 29
    assert len({m["uid"] for m in municipalities}) == 29
    for item in municipalities:
        assert isinstance(item["uid"], str) and item["uid"].startswith("RU-AMU")
        assert isinstance(item["name"], str) and item["name"]
        assert type(item["organisations_joined"]) is int
    by_name = {m["name"]: m for m in municipalities}
    assert by_name["г. Благовещенск"]["organisations_joined"] == 16
    assert by_name["Архаринский район"]["organisations_joined"] == 0
    # 53 in municipalities, 1 (the unknown «Благовещенский городской район») in none
    assert sum(m["organisations_joined"] for m in municipalities) == 53


def test_summary_json_targets(amur_json):
    targets = {t["id"]: t for t in amur_json["targets"]}
    for target in targets.values():
        assert {"id", "label", "value", "min", "max", "met"} <= set(target)
        assert isinstance(target["met"], bool)
    assert targets["organisations_governor"]["min"] == 10 and targets["organisations_governor"]["met"] is True
    assert targets["organisations_memo"]["min"] == 20 and targets["organisations_memo"]["met"] is True
    interviews = targets["interviews"]
    assert (interviews["value"], interviews["min"], interviews["max"], interviews["met"]) == (8, 10, None, False)
    assert interviews["remaining"] == 2
    assert (targets["information_campaigns"]["min"], targets["information_campaigns"]["max"]) == (3, 5)


def test_summary_json_problems(amur_json):
    problems = amur_json["problems"]
    assert problems
    for problem in problems:
        assert {"tab", "row", "column", "code", "severity", "message"} <= set(problem)
        assert problem["severity"] in {"error", "warning"}
        assert isinstance(problem["message"], str) and problem["message"]
    where = {(p["tab"], p["row"], p["code"]) for p in problems}
    assert ("Организации", 27, "unknown_municipality") in where
    assert ("Мероприятия", 20, "unknown_event_kind") in where
    assert ("Конкурс", 9, "unknown_platform") in where
    row_27 = next(p for p in problems if p["row"] == 27)
    assert row_27["column"] == "Муниципальное образование"
    assert "Благовещенский городской район" in row_27["message"]


def test_summary_text_shows_the_targets_in_russian():
    result = cli("summary", "--source", AMUR, "--campaign", "amur-2022", "--as-of", "22.02.2022")
    assert result.returncode == 0, result.stderr
    assert_no_traceback(result)
    text = result.stdout
    assert "Акция #МояХартия — Амурская область" in text
    assert "данные на 22.02.2022" in text
    assert "Цели:" in text
    assert f"Присоединить к Хартии не менее 20 организаций: {AMUR_JOINED} — выполнено" in text
    assert f"Не менее 10 интервью / выступлений на радио или ТВ: {AMUR_EVENTS[INTERVIEW]} — не выполнено, осталось {10 - AMUR_EVENTS[INTERVIEW]}" in text
    assert not text.lstrip().startswith("{")


def test_summary_without_source_and_campaign_uses_the_demo():
    result = cli("summary", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["campaign"]["id"] == "amur-2022"
    assert data["source"] == {"kind": "file", "label": "amur-2022.xlsx"}
    assert data["as_of"] == "2022-02-22"  # the demo's own date
    assert data["organisations_joined"] == AMUR_JOINED


# --------------------------------------------------------------------------- check


def test_check_groups_problems_by_municipality_with_rows_and_exits_1():
    result = cli("check", "--source", AMUR, "--campaign", "amur-2022")
    assert result.returncode == 1, result.stderr
    assert_no_traceback(result)
    lines = result.stdout.splitlines()
    assert lines[0] == "Проблемы в таблице: 8 ошибок, 5 предупреждений"
    groups: dict[str, list[str]] = {}
    current = None
    for line in lines[1:]:
        if not line.strip():
            continue
        header = re.fullmatch(r"(\S.*) \((\d+)\):", line)
        if header:
            current = header.group(1)
            groups[current] = []
            continue
        assert current is not None and line.startswith("  "), line
        if not line.startswith("      "):  # an item, not its «Как исправить»
            groups[current].append(line)
    # the row with an unrecognised municipality is grouped under its own spelling
    unresolved = [name for name in groups if "Благовещенский городской район" in name]
    assert len(unresolved) == 1, list(groups)
    assert groups[unresolved[0]] == [
        "  [ошибка] лист «Организации», строка 27, столбец «Муниципальное образование»: "
        "Муниципалитет «Благовещенский городской район» не найден среди муниципалитетов Амурской области."
    ]
    city = groups["г. Благовещенск"]
    assert len(city) == 6
    for row in (3, 40, 41, 52, 62):
        assert any(f"лист «Организации», строка {row}," in item for item in city), row
    assert any("лист «Мероприятия», строка 20," in item and "«флешмоб»" in item for item in city)
    belogorsk = groups["г. Белогорск"]
    assert any("строка 29" in item and "«31.02.2022»" in item for item in belogorsk)
    assert any("лист «Конкурс», строка 9" in item for item in belogorsk)
    assert any(item.startswith("  [предупреждение]") and "строка 31" in item for item in groups["г. Свободный"])
    assert "Как исправить:" in result.stdout
    assert sum(len(items) for items in groups.values()) == 13


def make_clean_workbook(path: Path) -> None:
    book = Workbook()
    organisations = book.active
    organisations.title = "Организации"
    organisations.append(["Муниципальное образование", "Наименование организации", "ИНН", "Тип организации",
                          "Дата присоединения", "Статус", "ФИО контактного лица", "Должность", "Телефон",
                          "Email", "Ссылка на меморандум"])
    organisations.append(["г. Благовещенск", "МАОУ «Школа № 1 г. Благовещенска»", "", "образовательная организация",
                          datetime(2022, 2, 10), "меморандум подписан", "Петрова Анна Ивановна", "директор",
                          "+7 914 123-45-67", "school1@example.ru", "https://example.ru/memo1"])
    organisations.append(["г. Тында", "МАОУ СОШ № 2 г. Тынды", "", "образовательная организация",
                          "15.02.2022", "", "Иванов Олег Петрович", "заместитель директора",
                          "8 (41656) 4-12-34", "", ""])
    events = book.create_sheet("Мероприятия")
    events.append(["Муниципальное образование", "Вид мероприятия", "Название", "Дата", "Ссылка", "Охват, чел."])
    events.append(["г. Благовещенск", "конференция", "Городская конференция о Хартии", datetime(2022, 2, 12),
                   "https://example.ru/conf", 120])
    book.save(path)


def test_check_on_a_clean_workbook_says_so_and_exits_0(tmp_path):
    path = tmp_path / "чистая.xlsx"
    make_clean_workbook(path)
    result = cli("check", "--source", str(path), "--campaign", "amur-2022")
    assert_no_traceback(result)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "Проблем не найдено."


def test_campaign_given_as_a_path_to_a_toml_file(tmp_path):
    shutil.copy(REPO / "campaigns" / "_moyakhartiya-2022.toml", tmp_path)
    (tmp_path / "test-campaign.toml").write_text(
        'extends = "_moyakhartiya-2022"\n'
        'id = "test-campaign"\n'
        "\n[region]\n"
        'iso = "RU-AMU"\n'
        'name = "Амурская область"\n'
        'genitive = "Амурской области"\n'
        "\n[[targets]]\n"
        'id = "two_organisations"\n'
        'label = "Присоединить к Хартии не менее 2 организаций"\n'
        'metric = "organisations_joined"\n'
        "min = 2\n",
        encoding="utf-8",
    )
    workbook = tmp_path / "clean.xlsx"
    make_clean_workbook(workbook)
    result = cli("summary", "--source", str(workbook), "--campaign", str(tmp_path / "test-campaign.toml"),
                 "--as-of", "2022-02-22", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["campaign"]["id"] == "test-campaign"
    assert data["organisations_joined"] == 2
    targets = {t["id"]: t for t in data["targets"]}
    assert targets["two_organisations"]["met"] is True
    assert targets["organisations_memo"]["met"] is False
    assert data["events"]["конференция"] == 1
    assert data["problems"] == []


@pytest.mark.parametrize("command", ["check", "summary"])
def test_a_missing_source_file_is_a_russian_error_and_exit_2(tmp_path, command):
    missing = tmp_path / "нет-такого-файла.xlsx"
    result = cli(command, "--source", str(missing), "--campaign", "amur-2022")
    assert result.returncode == 2
    assert_no_traceback(result)
    assert result.stdout == ""
    assert result.stderr.startswith("Ошибка: Файл не найден")
    assert "нет-такого-файла.xlsx" in result.stderr


def test_an_unknown_campaign_is_a_russian_error_and_exit_2():
    result = cli("summary", "--campaign", "no-such-campaign")
    assert result.returncode == 2
    assert_no_traceback(result)
    assert result.stderr.startswith("Ошибка: Нет файла кампании")
    assert "amur-2022" in result.stderr  # the known campaigns are listed


def test_a_missing_file_with_an_upper_case_suffix_is_still_a_missing_file():
    result = cli("check", "--source", "Отчёт-нет-такого.XLSX", "--campaign", "amur-2022")
    assert result.returncode == 2
    assert_no_traceback(result)
    assert result.stderr.startswith("Ошибка: Файл не найден")


def test_check_on_a_workbook_without_the_events_tab_reports_it_without_a_traceback(tmp_path):
    path = tmp_path / "без-мероприятий.xlsx"
    make_clean_workbook(path)
    book = load_workbook(path)
    del book["Мероприятия"]
    book.save(path)
    result = cli("check", "--source", str(path), "--campaign", "amur-2022")
    assert_no_traceback(result)
    assert result.returncode == 1
    assert "лист «Мероприятия»" in result.stdout
    assert "В таблице нет листа «Мероприятия»" in result.stdout


# ------------------------------------------------------------------------- record and changes


def without_rows(source: Path, target: Path, names: set[str]) -> Path:
    book = load_workbook(source)
    sheet = book["Организации"]
    for index in range(sheet.max_row, 1, -1):
        if sheet.cell(index, 2).value in names:
            sheet.delete_rows(index)
    book.save(target)
    return target


def test_record_backfills_reads_and_summary_says_what_changed_since_yesterday(tmp_path):
    """Two days of reads by `record` (for cron), then `summary --json` with `changes` and
    `lost_rows`: the school deleted overnight is lost, the counts went down by it."""
    sheet = tmp_path / "кампания.xlsx"
    shutil.copy(REPO / AMUR, sheet)
    history = tmp_path / "история.sqlite3"
    yesterday = "2022-02-21T18:00+09:00"
    first = cli("record", "--campaign", "amur-2022", "--source", str(sheet), "--history", str(history),
                "--at", yesterday)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("Записано чтение 21.02.2022 18:00 (время Амурской области): ")
    without_rows(REPO / AMUR, sheet, {"МАОУ «Лицей № 11 г. Благовещенска»"})
    second = cli("record", "--campaign", "amur-2022", "--source", str(sheet), "--history", str(history),
                 "--at", "2022-02-22T09:00+09:00")
    assert second.returncode == 0 and "чтений в истории: 2" in second.stdout
    import sqlite3

    with sqlite3.connect(history) as db:  # each read's figures, for «по дням отчётов» without a recount
        assert db.execute("SELECT count(*) FROM figures").fetchone() == (2,)
    result = cli("summary", "--campaign", "amur-2022", "--source", str(sheet), "--history", str(history),
                 "--as-of", "2022-02-22", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["changes"]["since"] == "2022-02-22T00:00:00+00:00"  # the last read of the 22nd so far
    summary = cli("summary", "--campaign", "amur-2022", "--source", str(sheet), "--history", str(history),
                  "--as-of", "2022-02-22", "--json")
    [lost] = json.loads(summary.stdout)["lost_rows"]
    assert (lost["tab"], lost["municipality"]) == ("Организации", "г. Благовещенск")
    assert lost["last_seen"] == "2022-02-21T09:00:00+00:00"
    assert set(lost) == {"tab", "row", "municipality", "last_seen"}  # no cells: no personal data


def test_summary_with_a_history_names_a_row_lost_since_the_last_recorded_read_without_recording_first(tmp_path):
    """`summary` does not record its read; the rows the latest recorded read had and this one
    lacks are lost all the same, as the app (which records every read first) says them."""
    sheet = tmp_path / "кампания.xlsx"
    shutil.copy(REPO / AMUR, sheet)
    history = tmp_path / "история.sqlite3"
    assert cli("record", "--campaign", "amur-2022", "--source", str(sheet), "--history", str(history),
               "--at", "2022-02-21T18:00+09:00").returncode == 0
    without_rows(REPO / AMUR, sheet, {"МАОУ «Лицей № 11 г. Благовещенска»"})  # deleted, no `record` since
    result = cli("summary", "--campaign", "amur-2022", "--source", str(sheet), "--history", str(history),
                 "--as-of", "2022-02-22", "--json")
    assert result.returncode == 0, result.stderr
    [lost] = json.loads(result.stdout)["lost_rows"]
    assert (lost["tab"], lost["municipality"]) == ("Организации", "г. Благовещенск")
    assert lost["last_seen"] == "2022-02-21T09:00:00+00:00"
    import sqlite3

    with sqlite3.connect(history) as db:  # and the history is as it was: one read, nothing noted
        assert db.execute("SELECT count(*) FROM reads").fetchone() == (1,)
        assert db.execute("SELECT count(*) FROM gone_rows").fetchone() == (0,)


def test_summary_against_yesterday_counts_the_change_per_target_and_municipality(tmp_path):
    sheet = tmp_path / "кампания.xlsx"
    history = tmp_path / "история"
    without_rows(REPO / AMUR, sheet, {"МАОУ «Лицей № 11 г. Благовещенска»", "МОБУ «СОШ № 5 г. Благовещенска»"})
    assert cli("record", "--campaign", "amur-2022", "--source", str(sheet), "--history", str(history),
               "--at", "2022-02-21T12:00+09:00").returncode == 0
    before = json.loads(cli("summary", "--campaign", "amur-2022", "--source", str(sheet), "--json").stdout)
    shutil.copy(REPO / AMUR, sheet)  # both back the next day
    data = json.loads(cli("summary", "--campaign", "amur-2022", "--source", str(sheet), "--history", str(history),
                          "--as-of", "2022-02-22", "--json").stdout)
    changes = data["changes"]
    memo = next(t for t in changes["targets"] if t["id"] == "organisations_memo")
    joined_before = before["organisations_joined"]  # recounted from yesterday's sheet itself
    assert joined_before < AMUR_JOINED
    assert (memo["before"], memo["now"], memo["delta"]) == (joined_before, AMUR_JOINED, AMUR_JOINED - joined_before)
    [blg] = [m for m in changes["municipalities"] if m["uid"] == "RU-AMU:благовещенск:go"]
    assert blg["organisations_joined_delta"] == AMUR_JOINED - joined_before
    assert data["lost_rows"] == []
