"""The WebDAV source against a real WebDAV server on 127.0.0.1 (WsgiDAV, tests/webdav_server.py):
a workbook or a folder of municipal workbooks, credentials from secrets (a Cyrillic password
too), one request per refresh when nothing changed, wrong credentials, a missing file, a file
replaced while it was read, a server that hangs — each a Russian error or the right data."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from campaign.pipeline import run
from campaign.spec import load_campaign
from campaign.workbook import SourceError
from data_sources.config import load_settings, source_kind_for, source_of
from data_sources.resilient import ResilientSource
from data_sources.webdav import WebDavSource
from tests.demo_figures import AMUR_JOINED, AMUR_XLSX, ZASTUPNIK_XLSX
from tests.municipal_folder import split_by_municipality
from tests.webdav_server import PASSWORD, USER, WebDavServer

ACCOUNT = (USER, PASSWORD)
AMUR = load_campaign("amur-2022")


@pytest.fixture
def server(tmp_path):
    root = tmp_path / "диск"
    root.mkdir()
    shutil.copy(AMUR_XLSX, root / "amur-2022.xlsx")
    webdav = WebDavServer(root)
    yield webdav
    webdav.stop()


def replace_file(path: Path, source: Path) -> None:
    """As an editor saves: a new file put in the old one's place (a new ETag)."""
    temporary = path.with_name(path.name + ".tmp")
    shutil.copy(source, temporary)
    os.replace(temporary, path)


def joined_count(workbook) -> int:
    return run(workbook.tabs, AMUR, as_of=AMUR.demo_as_of).metrics["organisations_joined"]


def test_a_workbook_is_read_and_an_unchanged_one_costs_one_request_that_brings_no_file(server):
    source = WebDavSource(server.url("amur-2022.xlsx"), credentials=ACCOUNT)
    first = source.read()
    assert first.source.kind == "webdav" and first.source.label == "amur-2022.xlsx"
    assert joined_count(first) == AMUR_JOINED
    server.forget()
    again = source.read()
    [seen] = server.requests()
    assert (seen.method, seen.status) == ("GET", "304 Not Modified")
    assert seen.headers["If-None-Match"]
    assert again.requests_made == 1 and again.tabs == first.tabs and again.read_at > first.read_at


def test_a_changed_workbook_is_downloaded_again(server):
    source = WebDavSource(server.url("amur-2022.xlsx"), credentials=ACCOUNT)
    source.read()
    replace_file(server.root / "amur-2022.xlsx", ZASTUPNIK_XLSX)
    server.forget()
    changed = source.read()
    assert [s.status for s in server.requests()] == ["200 OK"]
    assert "Образовательные организации" in changed.tab_titles()


def test_a_folder_of_municipal_workbooks_reads_only_what_changed(server):
    folder = server.root / "Отчёты МО"
    split_by_municipality(folder)
    files = sorted(p.name for p in folder.iterdir())
    source = WebDavSource(server.url("Отчёты МО/"), credentials=ACCOUNT)
    first = source.read()
    assert first.source.label == "Отчёты МО"
    assert {tab.file for tab in first.tabs} == set(files)
    assert joined_count(first) == AMUR_JOINED  # the same as the one workbook
    assert first.requests_made == 1 + len(files)

    server.forget()
    unchanged = source.read()
    assert [s.method for s in server.requests()] == ["PROPFIND"] and unchanged.requests_made == 1
    assert unchanged.tabs == first.tabs

    replace_file(folder / "г. Тында.xlsx", folder / "г. Зея.xlsx")
    (folder / "Тамбовский район.xlsx").unlink()
    server.forget()
    after = source.read()
    assert [(s.method, s.path) for s in server.requests()] == [("PROPFIND", "/Отчёты МО/"),
                                                                ("GET", "/Отчёты МО/г. Тында.xlsx")]
    assert "Тамбовский район.xlsx" not in {tab.file for tab in after.tabs}


def test_wrong_or_missing_credentials_and_a_missing_file_are_russian_errors(server):
    with pytest.raises(SourceError) as wrong:
        WebDavSource(server.url("amur-2022.xlsx"), credentials=(USER, "неверный")).read()
    assert wrong.value.kind == "no_access"
    assert "не принял имя пользователя или пароль" in wrong.value.message and "пароль приложения" in wrong.value.message
    assert PASSWORD not in wrong.value.message + wrong.value.detail
    with pytest.raises(SourceError) as none:
        WebDavSource(server.url("amur-2022.xlsx")).read()
    assert none.value.kind == "no_access" and '[webdav."127.0.0.1"]' in none.value.message
    with pytest.raises(SourceError) as missing:
        WebDavSource(server.url("нет-такого.xlsx"), credentials=ACCOUNT).read()
    assert missing.value.kind == "not_found" and "«нет-такого.xlsx»" in missing.value.message
    with pytest.raises(SourceError) as in_url:
        WebDavSource(f"http://{USER}:tainyi-parol@127.0.0.1:{server.port}/amur-2022.xlsx")
    assert in_url.value.kind == "config" and "tainyi-parol" not in in_url.value.message


def test_a_file_replaced_while_it_is_read_is_read_again_never_half(server):
    path = server.root / "amur-2022.xlsx"
    big = server.root / "big.xlsx"  # the new version: another workbook, written over the old in place
    shutil.copy(ZASTUPNIK_XLSX, big)

    def overwrite_in_place():
        path.write_bytes(big.read_bytes())

    server.faults.during_get["/amur-2022.xlsx"] = overwrite_in_place
    resilient = ResilientSource(WebDavSource(server.url("amur-2022.xlsx"), credentials=ACCOUNT), base_delay=0.05)
    fetched = resilient.read()
    assert not fetched.stale
    assert "Образовательные организации" in fetched.workbook.tab_titles()  # the new file, whole
    assert len(server.requests("GET")) >= 2


def test_a_server_that_hangs_is_given_up_on_and_the_last_good_data_is_served(server):
    resilient = ResilientSource(WebDavSource(server.url("amur-2022.xlsx"), credentials=ACCOUNT, timeout=2),
                                max_total_seconds=3, base_delay=0.05)
    good = resilient.read()
    server.faults.hang = threading.Event()
    stale = resilient.read()
    assert stale.stale and stale.workbook is good.workbook
    assert stale.error.kind == "network" and "не ответил вовремя" in stale.error.message


def test_settings_send_the_account_to_its_own_host_only(server, tmp_path):
    url = server.url("amur-2022.xlsx")
    assert source_kind_for(url, None) == "webdav"
    assert source_kind_for(url.replace("http://", "webdav://"), None) == "webdav"
    secrets = {"campaign": {"source": url}, "webdav": {"127.0.0.1": {"user": USER, "password": PASSWORD}}}
    settings = load_settings(env={}, secrets=secrets, campaign_id="amur-2022")
    assert settings.source_kind == "webdav"
    assert joined_count(source_of(settings).read()) == AMUR_JOINED
    elsewhere = {**secrets, "webdav": {"localhost": {"user": USER, "password": PASSWORD}}}
    server.forget()
    with pytest.raises(SourceError) as refused:
        source_of(load_settings(env={}, secrets=elsewhere, campaign_id="amur-2022")).read()
    assert refused.value.kind == "no_access"
    assert "Authorization" not in server.requests()[0].headers  # localhost's password never went to 127.0.0.1
    with pytest.raises(SourceError, match="нужны user и password"):
        load_settings(env={}, secrets={"webdav": {"disk.example.ru": {"user": USER}}}, campaign_id="amur-2022")
