"""A campaign whose data an administrator uploads (source = "upload"): the .xlsx is checked,
kept in the history of reads with who uploaded it and when, and is the campaign's data until the
next upload; a file that cannot be read, or holds no tab of the campaign, is refused with the
reason and changes nothing. End to end: the command line and the app (AppTest); the browser test
is tests/browser/test_upload_in_chromium.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from tests.cli_helpers import assert_no_traceback, cli
from tests.demo_figures import AMUR_JOINED, AMUR_XLSX
from tests.integration.test_app_pages import open_app

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def env(tmp_path) -> dict:
    return {"CAMPAIGN_ID": "amur-2022", "CAMPAIGN_SOURCE": "upload", "CAMPAIGN_AS_OF": "2022-02-22",
            "CAMPAIGN_CACHE_DIR": str(tmp_path / "кэш")}


def without_first_organisation(tmp_path: Path) -> Path:
    book = load_workbook(AMUR_XLSX)
    book["Организации"].delete_rows(2)
    path = tmp_path / "amur-исправленная.xlsx"
    book.save(path)
    return path


def no_campaign_tab(tmp_path: Path) -> Path:
    book = Workbook()
    book.active.title = "Лист1"
    book.active.append(["что-то"])
    path = tmp_path / "чужая.xlsx"
    book.save(path)
    return path


def summary(env: dict):
    return cli("summary", "--json", env=env)


def test_the_command_line_uploads_refuses_and_reads_the_latest_upload(env, tmp_path):
    before = summary(env)
    assert_no_traceback(before)
    assert before.returncode == 2 and "Данные кампании ещё не загружены" in before.stderr

    taken = cli("upload", str(AMUR_XLSX), "--by", "Иванов И. И.", env=env)
    assert taken.returncode == 0, taken.stderr
    assert taken.stdout.startswith("Таблица «amur-2022.xlsx» загружена: ")
    data = json.loads(summary(env).stdout)
    assert data["organisations_joined"] == AMUR_JOINED and data["source"]["kind"] == "upload"

    junk = tmp_path / "повреждённая.xlsx"
    junk.write_bytes(b"PK\x03\x04 nothing")
    for path, words in ((junk, "повреждён"), (no_campaign_tab(tmp_path), "нет ни одного листа кампании"),
                        (tmp_path / "нет.xlsx", "не удалось прочитать")):
        refused = cli("upload", str(path), env=env)
        assert_no_traceback(refused)
        assert refused.returncode == 2 and "Ошибка: " in refused.stderr and words in refused.stderr, refused.stderr
    assert json.loads(summary(env).stdout)["organisations_joined"] == AMUR_JOINED  # nothing changed

    assert cli("upload", str(without_first_organisation(tmp_path)), env=env).returncode == 0
    after = json.loads(summary(env).stdout)
    assert after["organisations_joined"] == AMUR_JOINED - 1


def test_an_upload_refused_for_a_campaign_that_reads_its_own_source(tmp_path):
    result = cli("upload", str(AMUR_XLSX), "--campaign", "amur-2022",
                 env={"CAMPAIGN_CACHE_DIR": str(tmp_path)})
    assert result.returncode == 2 and "читает данные из своего источника" in result.stderr
    assert 'source = "upload" в разделе [campaigns.amur-2022]' in result.stderr  # what to do instead


def uploader(at):
    return next(iter(at.sidebar.get("file_uploader")), None)


def test_an_administrator_uploads_in_the_app_and_every_page_shows_it(env, monkeypatch):
    viewer = open_app(monkeypatch, env=env)
    assert uploader(viewer) is None  # only an administrator uploads
    assert [e.value for e in viewer.error] == ["Данные ещё не загружены: их загружает администратор."]

    at = open_app(monkeypatch, env=env, admin=True)
    box = uploader(at)
    assert box is not None and box.allowed_type == [".xlsx"]
    box.set_value(("amur-2022.xlsx", AMUR_XLSX.read_bytes(), XLSX_TYPE))
    at.run()
    assert not at.exception
    assert any(s.value.startswith("Таблица «amur-2022.xlsx» загружена") for s in at.sidebar.success)
    cards = {m.label: m.value for m in at.metric}
    assert cards["Присоединить к Хартии не менее 10 организаций"] == str(AMUR_JOINED)
    captions = [c.value for c in at.sidebar.caption]
    assert any("загруженный файл «amur-2022.xlsx»" in c for c in captions)
    assert any(c.startswith("Загружен: ") and "администратор" in c for c in captions)

    uploader(at).set_value(("чужая.xlsx", b"not a workbook", XLSX_TYPE))
    at.run()
    [refused] = [e.value for e in at.sidebar.error]
    assert refused.startswith("Файл не принят.") and "повреждён" in refused
    assert {m.label: m.value for m in at.metric}["Присоединить к Хартии не менее 10 организаций"] == str(AMUR_JOINED)


def test_the_problems_page_says_to_correct_the_file_and_upload_it_again(env, monkeypatch, tmp_path):
    cli("upload", str(AMUR_XLSX), "--by", "Иванова", env=env)
    for admin, expected in (
            (True, "Исправьте строки в файле и загрузите его снова («Загрузить таблицу» на боковой панели): "
                   "проблема исчезнет, как только файл будет принят."),
            (False, "Исправьте строки в файле и передайте его администратору дашборда: проблема исчезнет, как "
                    "только он загрузит исправленный файл.")):  # a viewer has nothing to upload with
        at = open_app(monkeypatch, "Проверка данных", env=env, admin=admin)
        assert not at.exception
        said = [m.value for m in at.main.markdown if "Исправьте строки" in m.value]
        assert said == [f"Здесь — всё, что дашборд не смог прочитать или посчитать. {expected}"], admin
