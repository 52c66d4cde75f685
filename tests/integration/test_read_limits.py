"""Workbooks that claim more than they weigh are refused before a cell of them is read (issue 27):
a sheet of more rows than the campaign allows, an .xlsx that unzips to more than a gigabyte, a
folder of more files than allowed — each with a Russian message naming the file and the limit,
for a file, a folder of municipal workbooks (the other files still count), a Yandex Disk folder,
a WebDAV server and an upload (which then changes nothing)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from campaign.pipeline import run
from campaign.problem_codes import UNREADABLE_FILE
from campaign.spec import load_campaign
from campaign.workbook import SourceError
from data_sources.config import load_settings
from data_sources.limits import ReadLimits
from data_sources.local_file import LocalFileSource
from data_sources.webdav import WebDavSource
from data_sources.yandex_public import YandexPublicSource
from tests.bombs import claimed_rows, rows_bomb, zeros_bomb
from tests.cli_helpers import assert_no_traceback, cli
from tests.demo_figures import AMUR_JOINED, AMUR_XLSX
from tests.municipal_folder import split_by_municipality
from tests.webdav_server import WebDavServer
from tests.yandex_disk_standin import YandexDiskStandIn

AMUR = load_campaign("amur-2022")
GIGABYTE_OF_ZEROS = 1100  # MB: above the default limit of 1 GB, about 5 MB on disk


@pytest.fixture(scope="module")
def zeros(tmp_path_factory) -> Path:
    return zeros_bomb(tmp_path_factory.mktemp("bomb") / "нули.xlsx", GIGABYTE_OF_ZEROS)


def refusal(source) -> SourceError:
    """The refusal of `source.read()`, its message with ordinary spaces (numbers are «1 048 576»
    with no-break spaces)."""
    with pytest.raises(SourceError) as info:
        source.read()
    assert info.value.kind == "too_large"
    info.value.message = info.value.message.replace("\xa0", " ")
    return info.value


def test_a_sheet_of_more_rows_than_the_campaign_allows_is_refused_by_name_and_limit(tmp_path):
    bomb = rows_bomb(tmp_path / "миллион.xlsx", 120_000)
    error = refusal(LocalFileSource(bomb, ReadLimits(rows=100_000)))
    assert error.message == ("В файле миллион.xlsx на листе «Организации» 120 000 строк — больше предела 100 000 "
                             "(настройка max_rows): файл не прочитан.")
    assert len(LocalFileSource(bomb).read().tabs[0].rows) == 119_999  # within the default: read


def test_a_sheet_that_claims_more_rows_than_excel_has_is_refused_unread(tmp_path):
    error = refusal(LocalFileSource(claimed_rows(tmp_path / "заявка.xlsx", 2_000_000)))
    assert "2 000 000 строк — больше предела 1 048 576 (настройка max_rows)" in error.message
    error = refusal(LocalFileSource(claimed_rows(tmp_path / "широкая.xlsx", 1_000_000, columns="XFD")))
    assert "16 384 000 000 ячеек — больше предела 30 000 000 (настройка max_cells)" in error.message


def test_an_xlsx_that_unzips_to_more_than_a_gigabyte_is_refused(zeros):
    assert zeros.stat().st_size < 10 * 1024 * 1024
    error = refusal(LocalFileSource(zeros))
    assert error.message == ("Файл нули.xlsx распаковывается в 1,1 ГБ — больше предела 1 ГБ "
                             "(настройка max_unzipped_mb): файл не прочитан.")


def test_in_a_folder_the_bomb_is_that_file_s_problem_and_the_others_still_count(tmp_path, zeros):
    folder = tmp_path / "Отчёты МО"
    split_by_municipality(folder)
    shutil.copy(zeros, folder / "г. Райчихинск (нули).xlsx")
    claimed_rows(folder / "Зейский район (заявка).xlsx", 2_000_000)
    report = run(LocalFileSource(folder).read().tabs, AMUR, as_of=AMUR.demo_as_of)
    assert report.metrics["organisations_joined"] == AMUR_JOINED
    unreadable = report.problems[report.problems["code"] == UNREADABLE_FILE.code]
    texts = " ".join(unreadable["message"]).replace("\xa0", " ")
    assert "г. Райчихинск (нули).xlsx распаковывается в 1,1 ГБ" in texts
    assert "Зейский район (заявка).xlsx на листе «Организации» 2 000 000 строк" in texts


def test_a_folder_of_more_files_than_allowed_is_refused(tmp_path):
    folder = tmp_path / "Отчёты МО"
    files = len(split_by_municipality(folder)) + 1  # and the targets' workbook
    error = refusal(LocalFileSource(folder, ReadLimits(files=3)))
    assert error.message.startswith(f"В папке Отчёты МО {files} файл")
    assert "больше предела 3 (настройка max_files)" in error.message


def test_a_yandex_disk_folder_with_a_bomb_still_counts_its_other_workbooks(tmp_path, zeros):
    folder = tmp_path / "Отчёты МО"
    split_by_municipality(folder)
    shutil.copy(zeros, folder / "нули.xlsx")
    with YandexDiskStandIn() as disk:
        workbook = YandexPublicSource(disk.share_folder("Folder", folder)).read()
        one = refusal(YandexPublicSource(disk.share("One", zeros)))
    report = run(workbook.tabs, AMUR, as_of=AMUR.demo_as_of)
    assert report.metrics["organisations_joined"] == AMUR_JOINED
    assert "нули.xlsx распаковывается в 1,1 ГБ" in " ".join(report.problems["message"]).replace("\xa0", " ")
    assert "распаковывается в 1,1 ГБ — больше предела 1 ГБ" in one.message


def test_a_webdav_file_that_claims_too_much_is_refused(tmp_path):
    root = tmp_path / "диск"
    root.mkdir()
    claimed_rows(root / "amur-2022.xlsx", 2_000_000)
    server = WebDavServer(root, auth=False)
    try:
        error = refusal(WebDavSource(server.url("amur-2022.xlsx")))
        assert error.message.startswith("В файле amur-2022.xlsx на листе «Организации» 2 000 000 строк")
    finally:
        server.stop()


def test_an_upload_that_unzips_to_gigabytes_is_refused_and_changes_nothing(tmp_path, zeros):
    env = {"CAMPAIGN_ID": "amur-2022", "CAMPAIGN_SOURCE": "upload", "CAMPAIGN_AS_OF": "2022-02-22",
           "CAMPAIGN_CACHE_DIR": str(tmp_path / "кэш")}
    assert cli("upload", str(AMUR_XLSX), env=env).returncode == 0
    refused = cli("upload", str(zeros), env=env)
    assert_no_traceback(refused)
    assert refused.returncode == 2 and "нули.xlsx распаковывается в 1,1 ГБ — больше предела 1 ГБ" in refused.stderr
    assert json.loads(cli("summary", "--json", env=env).stdout)["organisations_joined"] == AMUR_JOINED


def test_a_google_sheet_whose_grid_is_beyond_the_limits_is_refused_before_its_values_are_asked(standin):
    """The API's metadata says each tab's grid (rows × columns): a sheet beyond the campaign's
    limits is refused by name and limit, and its values are never asked for."""
    from data_sources.google_sheet import GoogleSheetSource

    standin.add_spreadsheet("1" + "G" * 43, "Кампания 2024", {"Организации": [["Муниципальное образование"]],
                                                              "Мероприятия": [["Вид мероприятия"]]},
                            grid={"Организации": (250_000, 26), "Мероприятия": (1000, 26)})
    client = standin.client(timeout=10)
    standin.reset_requests()
    error = refusal(GoogleSheetSource("1" + "G" * 43, client=client, limits=ReadLimits(rows=200_000)))
    assert error.message == ("В таблице «Кампания 2024» на листе «Организации» 250 000 строк — больше предела "
                             "200 000 (настройка max_rows): таблица не прочитана.")
    error = refusal(GoogleSheetSource("1" + "G" * 43, client=client, limits=ReadLimits(cells=5_000_000)))
    assert error.message == ("В таблице «Кампания 2024» 6 526 000 ячеек — больше предела 5 000 000 "
                             "(настройка max_cells): таблица не прочитана.")
    assert not [path for _, path in standin.requests if "values" in path]  # only the metadata was asked
    assert len(GoogleSheetSource("1" + "G" * 43, client=client).read().tabs) == 2  # within the defaults: read


def test_a_campaign_sets_its_own_limits_and_a_wrong_one_is_said():
    settings = load_settings({}, {"campaigns": {"amur-2022": {"max_rows": "200000", "max_unzipped_mb": 50}}},
                             "amur-2022")
    assert settings.limits == ReadLimits(rows=200_000, unzipped_mb=50)
    assert load_settings({}, {}, "amur-2022").limits == ReadLimits()
    with pytest.raises(SourceError) as info:
        load_settings({}, {"campaigns": {"amur-2022": {"max_files": "много"}}}, "amur-2022")
    assert info.value.message == "Настройка [campaign] max_files: «много» — не целое число."


def test_the_banner_over_the_last_good_data_says_which_file_and_which_limit(zeros):
    from components.data import stale_reason

    settings = load_settings({"CAMPAIGN_SOURCE": str(zeros), "CAMPAIGN_SOURCE_KIND": "file"}, {}, "amur-2022")
    error = refusal(LocalFileSource(zeros))
    assert stale_reason(error, settings) == ("файл нули.xlsx распаковывается в 1,1 ГБ — больше предела 1 ГБ "
                                             "(настройка max_unzipped_mb): файл не прочитан")


def test_a_large_workbook_is_parsed_apart_and_reads_exactly_as_at_home(tmp_path):
    import io

    from data_sources.local_file import xlsx_tabs

    book = rows_bomb(tmp_path / "большая.xlsx", 30_000)
    at_home = xlsx_tabs(book)
    apart = ReadLimits(apart_mb=0)  # every workbook parsed in a process of its own
    assert xlsx_tabs(book, limits=apart) == at_home
    assert xlsx_tabs(io.BytesIO(book.read_bytes()), name="большая.xlsx", limits=apart) == at_home


def test_a_workbook_that_needs_more_memory_than_allowed_ends_its_own_process_not_the_server(tmp_path):
    """The Rust reader aborts when an allocation fails (exit 134 took the server down): parsed
    apart, within its bound, it is a refused file and this process goes on."""
    book = rows_bomb(tmp_path / "миллион.xlsx", 300_000)
    error = refusal(LocalFileSource(book, ReadLimits(apart_mb=0, memory_mb=60)))
    assert error.message == ("Файл миллион.xlsx не прочитан: на его чтение не хватило 60 МБ памяти "
                             "(настройка max_memory_mb).")
    assert error.detail.startswith("child ")
    assert len(LocalFileSource(book).read().tabs[0].rows) == 299_999  # and within the default, it is read
