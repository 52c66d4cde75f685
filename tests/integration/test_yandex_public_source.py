"""A workbook shared on Yandex Disk «по ссылке», read with no account through the public
resources API, against the local stand-in (tests/yandex_disk_standin.py) — itself checked against
the shapes the API's documentation gives (tests/reference/yandex-disk-api)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from campaign.pipeline import run
from campaign.spec import load_campaign
from campaign.workbook import SourceError
from data_sources.config import load_settings, source_kind_for, source_of
from data_sources.resilient import ResilientSource
from data_sources.yandex_public import YandexPublicSource, is_public_link
from tests.demo_figures import AMUR_JOINED, AMUR_XLSX
from tests.municipal_folder import split_by_municipality
from tests.yandex_disk_standin import LIMIT, NOT_FOUND, YandexDiskStandIn

REFERENCE = Path(__file__).resolve().parents[1] / "reference" / "yandex-disk-api"
AMUR = load_campaign("amur-2022")


@pytest.fixture
def disk():
    with YandexDiskStandIn() as server:
        yield server


def shape(value):
    """Keys and value types, recursively: what the documentation fixes of an answer."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    return type(value).__name__


def test_the_stand_in_answers_in_the_documented_shapes(disk):
    link = disk.share("AmurKey", AMUR_XLSX)
    answer = requests.get(f"{disk.base_url}/v1/disk/public/resources/download", params={"public_key": link}, timeout=5)
    assert answer.status_code == 200
    assert shape(answer.json()) == shape(json.loads((REFERENCE / "link.json").read_text(encoding="utf-8")))
    missing = requests.get(f"{disk.base_url}/v1/disk/public/resources/download",
                           params={"public_key": disk.link("Нет")}, timeout=5)
    assert missing.status_code == 404
    documented = json.loads((REFERENCE / "error.json").read_text(encoding="utf-8"))
    assert shape(missing.json()) == shape(documented) and missing.json()["error"] == documented["error"]
    assert shape(LIMIT) == shape(documented)


def test_a_shared_workbook_takes_two_requests_and_counts_as_the_file(disk):
    link = disk.share("AmurKey", AMUR_XLSX)
    assert is_public_link(link) and source_kind_for(link, None) == "yandex"
    assert source_kind_for("https://disk.yandex.ru/d/AbCdEf123", None) == "yandex"
    workbook = YandexPublicSource(link).read()
    assert workbook.source.kind == "yandex" and workbook.source.label == "amur-2022"
    assert disk.requests[0] == "/v1/disk/public/resources/download" and workbook.requests_made == 3  # + a redirect
    assert run(workbook.tabs, AMUR, as_of=AMUR.demo_as_of).metrics["organisations_joined"] == AMUR_JOINED


def test_a_shared_folder_is_a_folder_of_municipal_workbooks(disk, tmp_path):
    folder = tmp_path / "Отчёты МО"
    split_by_municipality(folder)
    workbook = YandexPublicSource(disk.share_folder("Folder", folder)).read()
    assert workbook.source.label == "Отчёты МО"
    assert {tab.file for tab in workbook.tabs} == {p.name for p in folder.iterdir()}
    assert run(workbook.tabs, AMUR, as_of=AMUR.demo_as_of).metrics["organisations_joined"] == AMUR_JOINED


def test_the_same_file_again_is_not_parsed_again(disk):
    source = YandexPublicSource(disk.share("AmurKey", AMUR_XLSX))
    first, again = source.read(), source.read()
    assert again.tabs == first.tabs and all(a is b for a, b in zip(again.tabs, first.tabs))


@pytest.mark.parametrize(("status", "error", "kind", "words"), [
    (404, NOT_FOUND, "not_found", "не найден"),
    (403, {"message": "Доступ запрещён.", "description": "Forbidden.", "error": "DiskForbiddenError"}, "no_access",
     "запретил скачивать"),
    (403, LIMIT, "quota", "лимит скачиваний"),
    (503, {"message": "Сервис недоступен.", "description": "Service unavailable.", "error": "DiskServiceUnavailable"},
     "server", "ошибка 503"),
])
def test_errors_of_the_api_are_russian_errors(disk, status, error, kind, words):
    disk.fail_next(status, error)
    with pytest.raises(SourceError) as raised:
        YandexPublicSource(disk.share("AmurKey", AMUR_XLSX)).read()
    assert raised.value.kind == kind and words in raised.value.message


def test_an_unshared_link_and_a_stopped_server_keep_the_last_good_data(disk):
    link = disk.share("AmurKey", AMUR_XLSX)
    resilient = ResilientSource(YandexPublicSource(link, timeout=2), base_delay=0.01, max_total_seconds=5)
    good = resilient.read()
    disk.unshare("AmurKey")
    stale = resilient.read()
    assert stale.stale and stale.workbook is good.workbook and stale.error.kind == "not_found"
    disk.stop()
    down = resilient.read()
    assert down.stale and down.error.kind == "network" and "Нет связи с Яндекс Диском" in down.error.message


def test_settings_pick_the_kind_from_the_link(disk):
    link = disk.share("AmurKey", AMUR_XLSX)
    settings = load_settings(env={"CAMPAIGN_SOURCE": link}, secrets={}, campaign_id="amur-2022")
    assert settings.source_kind == "yandex"
    assert run(source_of(settings).read().tabs, AMUR).metrics["organisations_joined"] == AMUR_JOINED
