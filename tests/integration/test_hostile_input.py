"""What an independent probe broke, each reproduced: damaged files, a stray quote in a CSV,
settings that cannot be used, the passcode tool, control characters and links that hide their
host. Every failure of a source is a Russian error with exit status 2, never a traceback."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

from tests.cli_helpers import assert_no_traceback, cli
from tests.unit.conftest import EVENT_HEADER, ORG_HEADER, SheetBuilder

REPO = Path(__file__).resolve().parents[2]
B = SheetBuilder()


def check(source: Path, *extra: str, env: dict | None = None, file_modes_bind_root: bool = False):
    return cli("check", "--source", str(source), "--campaign", "amur-2022", "--as-of", "2022-02-22", *extra, env=env,
               file_modes_bind_root=file_modes_bind_root)


def assert_source_error(result, *words: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert_no_traceback(result)
    assert result.stderr.startswith("Ошибка: ")
    for word in words:
        assert word in result.stderr, result.stderr


# ---------------------------------------------------------------- damaged files


def junk_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("junk.bin", os.urandom(2048))
    return path


def bad_workbook_xml(path: Path) -> Path:
    demo = REPO / "data" / "demo" / "amur-2022.xlsx"
    with zipfile.ZipFile(demo) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = data[: len(data) // 2]  # cut in the middle of a tag
            target.writestr(item, data)
    return path


def random_bytes(path: Path) -> Path:
    path.write_bytes(os.urandom(5000))
    return path


@pytest.mark.parametrize("make", [junk_zip, bad_workbook_xml, random_bytes], ids=["zip of junk", "workbook.xml cut",
                                                                                     "random bytes"])
def test_a_damaged_xlsx_is_a_russian_error_with_status_2(tmp_path, make):
    result = check(make(tmp_path / "кампания.xlsx"))
    assert_source_error(result, "кампания.xlsx", "повреждён")


def test_a_csv_cell_longer_than_python_s_limit_is_read(tmp_path):
    folder = tmp_path / "csv"
    folder.mkdir()
    long_name = "Школа " + "я" * 140_000
    (folder / "Организации.csv").write_text(";".join(ORG_HEADER) + "\n" + ";".join(B.org(name=long_name)) + "\n",
                                            encoding="utf-8")
    (folder / "Мероприятия.csv").write_text(";".join(EVENT_HEADER) + "\n" + ";".join(B.event()) + "\n",
                                            encoding="utf-8")
    result = cli("summary", "--source", str(folder), "--campaign", "amur-2022", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["organisations_joined"] == 1


def test_an_unreadable_folder_is_a_russian_error(tmp_path):
    """Also as root (CI): the command runs without root's right to read any folder."""
    folder = tmp_path / "закрытая"
    folder.mkdir()
    (folder / "Организации.csv").write_text("x", encoding="utf-8")
    folder.chmod(0)
    try:
        assert_source_error(check(folder, file_modes_bind_root=True), "Нет прав на чтение папки")
    finally:
        folder.chmod(0o700)


def test_an_unreadable_folder_is_a_source_error_in_the_reader(tmp_path, monkeypatch):
    """As root the folder above is readable: the reader's own handling is checked directly."""
    from campaign.workbook import SourceError
    from data_sources.local_file import LocalFileSource

    folder = tmp_path / "закрытая"
    folder.mkdir()

    def refuse(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "iterdir", refuse)
    with pytest.raises(SourceError) as info:
        LocalFileSource(folder).read()
    assert info.value.kind == "bad_file" and info.value.message == "Нет прав на чтение папки закрытая."


# ---------------------------------------------------------------- a stray quote


def test_a_stray_quote_in_a_csv_is_reported_at_its_row_and_the_rows_after_it_are_read(tmp_path):
    folder = tmp_path / "csv"
    folder.mkdir()
    rows = [B.org(name=f"Школа № {i}", inn="") for i in range(2, 12)]
    rows[2][1] = '"Гимназия № 4'  # row 4: an opening quote never closed
    lines = [";".join(ORG_HEADER)] + [";".join(row) for row in rows]
    (folder / "Организации.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "Мероприятия.csv").write_text(";".join(EVENT_HEADER) + "\n" + ";".join(B.event()) + "\n",
                                            encoding="utf-8")
    result = cli("summary", "--source", str(folder), "--campaign", "amur-2022", "--as-of", "2022-02-20", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["organisations_joined"] == 10  # not 2: the rows after the quote are all read
    [problem] = [p for p in data["problems"] if p["code"] == "unclosed_quote"]
    assert (problem["tab"], problem["row"], problem["column"]) == ("Организации", 4, "Наименование организации")
    assert problem["severity"] == "error" and "Незакрытая кавычка" in problem["message"]
    assert "«Гимназия № 4…»" in problem["message"]


# ---------------------------------------------------------------- settings


@pytest.mark.parametrize(("env", "words"), [
    ({"CAMPAIGN_TTL_SECONDS": "abc"}, ["CAMPAIGN_TTL_SECONDS", "не целое число"]),
    ({"CAMPAIGN_TTL_SECONDS": "-5"}, ["CAMPAIGN_TTL_SECONDS", "не меньше 5"]),
    ({"CAMPAIGN_HISTORY_DAYS": "0"}, ["CAMPAIGN_HISTORY_DAYS"]),
    ({"CAMPAIGN_HISTORY_URL": "mysql://x"}, ["postgresql"]),
])
def test_a_setting_that_cannot_be_used_is_refused_by_name(env, words):
    assert_source_error(cli("summary", env=env), *words)


def test_a_credentials_file_that_is_no_service_account_key_is_refused(tmp_path):
    key = tmp_path / "key.json"
    key.write_text("[1, 2, 3]", encoding="utf-8")
    assert_source_error(cli("summary", env={"GOOGLE_APPLICATION_CREDENTIALS": str(key)}), "key.json",
                        "client_email")


def test_a_campaign_file_that_is_not_toml_is_refused(tmp_path):
    broken = tmp_path / "сломанная.toml"
    broken.write_text("id = \"x\"\n[window\nstart = 1\n", encoding="utf-8")
    assert_source_error(cli("summary", "--campaign", str(broken)), "сломанная.toml", "не в формате TOML")


def test_a_shared_part_is_not_a_campaign():
    assert_source_error(cli("summary", "--campaign", "_moyakhartiya-2022"), "общая часть", "amur-2022")


# ---------------------------------------------------------------- the passcode tool


def test_the_passcode_tool_ignores_a_windows_line_end_and_can_share_a_salt():
    from campaign.access import access_for_passcode, hash_count

    first = cli("passcode", "--salt", "abc123", stdin="код-координатора\r\n")
    second = cli("passcode", "--salt", "abc123", stdin="код-администратора\n")
    assert first.returncode == second.returncode == 0, (first.stderr, second.stderr)
    codes = {"coordinator:RU-AMU:зея:go": first.stdout.strip(), "admin": second.stdout.strip()}
    assert access_for_passcode("код-координатора", codes).role == "coordinator"  # no «\r» in the code
    assert access_for_passcode("код-координатора\r", codes) is None
    assert hash_count(codes) == 1  # one shared salt: a guess costs one hash


@pytest.mark.parametrize("code", ["1", "короткий", " с пробелом в начале"])
def test_the_passcode_tool_refuses_a_short_or_padded_code(code):
    result = cli("passcode", stdin=code + "\n")
    if len(code) >= 8 and code.strip() == code:
        assert result.returncode == 0
    else:
        assert result.returncode == 2 and "не короче 8 символов" in result.stderr


# ---------------------------------------------------------------- control characters and links


def test_control_characters_in_a_cell_are_not_obeyed_by_the_terminal(tmp_path):
    folder = tmp_path / "csv"
    folder.mkdir()
    sneaky = "\x1b[2J\x1b[31mВсё в порядке\x1b[0m"
    (folder / "Организации.csv").write_text(
        ";".join(ORG_HEADER) + "\n" + ";".join(B.org(municipality=sneaky)) + "\n", encoding="utf-8")
    (folder / "Мероприятия.csv").write_text(";".join(EVENT_HEADER) + "\n" + ";".join(B.event()) + "\n",
                                            encoding="utf-8")
    result = cli("check", "--source", str(folder), "--campaign", "amur-2022")
    assert "\x1b" not in result.stdout and "\ufffd[2J" in result.stdout


@pytest.mark.parametrize("link", ["https://user:secret@school.example.ru/hartiya",
                                  "https://www.gosuslugi.ru@evil.example/hartiya"])
def test_a_link_with_a_name_and_password_or_a_hidden_host_is_invalid(link):
    from campaign.pipeline import run
    from tests.unit.conftest import campaign

    report = run(B.workbook(orgs=[B.org(memorandum=link)]), campaign("amur-2022"))
    assert [p["code"] for p in B.problems(report)] == ["invalid_link"]
    assert report.tabs["organisations"].frame["memorandum"].tolist() == [""]  # never written into a form


@pytest.mark.parametrize("twin", ["МАОУ «Школа\u200b № 1»", "\ufeffМАОУ «Школа № 1»", "MAOУ «Школа № 1»",
                                  "МАОУ «Шкoла № 1»", "МАОУ «Школа № 1\u200d»"])
def test_invisible_characters_and_latin_look_alikes_do_not_make_a_second_organisation(twin):
    """«Шкoла» with a Latin «o», a zero-width space or a byte-order mark is the same name."""
    from campaign.pipeline import run
    from tests.unit.conftest import campaign

    report = run(B.workbook(orgs=[B.org(name="МАОУ «Школа № 1»"), B.org(name=twin)]), campaign("amur-2022"))
    assert report.metrics["organisations_joined"] == 1
    assert [p["code"] for p in B.problems(report)] == ["duplicate_organisation"] * 2


def test_an_inn_with_a_zero_width_space_is_the_same_inn():
    from campaign.pipeline import run
    from tests.unit.conftest import campaign

    report = run(B.workbook(orgs=[B.org(name="Школа А", inn="2801156557"),
                                  B.org(name="Школа Б", inn="2801\u200b156557")]), campaign("amur-2022"))
    assert report.metrics["organisations_joined"] == 1
