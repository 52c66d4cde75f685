"""A campaign file is the single truth of a campaign and is read strictly: a key it may not hold,
anywhere in it, is refused with the file, the table, the key and the closest known key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from campaign.spec import CAMPAIGNS_DIR, CampaignFileError, load_campaign, parse_campaign, read_campaign_data

ZASTUPNIK = CAMPAIGNS_DIR / "irkutsk-zastupnik-2024.toml"


def misspelt(tmp_path: Path, old: str, new: str, source: Path = ZASTUPNIK) -> Path:
    text = source.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / source.name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("old, new, message", [
    ("personal = true", "requried = true\npersonal = true",
     "[[tabs]] 1 (Образовательные организации), [[tabs.columns]] 5 (ФИО ответственного): "
     "неизвестный ключ «requried» — может быть, «required»?"),
    ("headline =", "headlin =", "[dashboard]: неизвестный ключ «headlin» — может быть, «headline»?"),
    ("\ntitle =", "\ntitel =", ": неизвестный ключ «titel» — может быть, «title»?"),
    ("[window]\n", "[window]\nstrat = 2024-06-01\n", "[window]: неизвестный ключ «strat» — может быть, «start»?"),
])
def test_an_unknown_key_is_refused_with_the_file_the_table_and_the_closest_key(tmp_path, old, new, message):
    path = misspelt(tmp_path, old, new)
    with pytest.raises(CampaignFileError) as refused:
        load_campaign(path)
    assert str(refused.value) == f"{path}{'' if message.startswith(':') else ': '}{message}"


def test_a_key_like_no_known_one_lists_the_known_keys(tmp_path):
    path = misspelt(tmp_path, "[window]\n", "[window]\nzzz = 1\n")
    with pytest.raises(CampaignFileError, match=r"\[window\]: неизвестный ключ «zzz»; известные ключи: end, start\."):
        load_campaign(path)


def test_a_file_of_the_project_is_named_from_the_project(tmp_path, monkeypatch):
    import campaign.spec as spec

    folder = tmp_path / "campaigns"
    folder.mkdir()
    for name in ("amur-2022.toml", "_moyakhartiya-2022.toml"):
        shutil.copy(CAMPAIGNS_DIR / name, folder / name)
    parent = folder / "_moyakhartiya-2022.toml"
    text = parent.read_text(encoding="utf-8")
    assert "[[metrics]]\n" in text
    parent.write_text(text.replace("[[metrics]]\n", "[[metrics]]\nlabell = 1\n", 1), encoding="utf-8")
    monkeypatch.setattr(spec, "CAMPAIGNS_DIR", folder)
    with pytest.raises(CampaignFileError) as refused:
        load_campaign("amur-2022")
    # the file that holds the key, though it was loaded through the one that extends it
    assert str(refused.value).startswith(
        "campaigns/_moyakhartiya-2022.toml: [[metrics]] 1 (Организации, присоединившиеся к Хартии): "
        "неизвестный ключ «labell» — может быть, «label»?")


@pytest.mark.parametrize("table, entry", [
    ("metrics", 0), ("targets", 0), ("breakdowns", 0), ("deadlines", 0), ("tabs", 0),
])
def test_every_list_of_tables_refuses_unknown_keys(table, entry):
    data = read_campaign_data("amur-2022")
    data[table][entry]["extra_key"] = 1
    with pytest.raises(CampaignFileError, match=rf"\[\[{table}\]\] {entry + 1}\b.*неизвестный ключ «extra_key»"):
        parse_campaign(data)


@pytest.mark.parametrize("path", [("region",), ("form",), ("contacts",), ("dashboard",), ("dashboard", "events"),
                                  ("letter",), ("quota",)])
def test_every_table_refuses_unknown_keys(path):
    data = read_campaign_data("amur-2022")
    table = data
    for key in path:
        table = table[key]
    table["extra_key"] = 1
    with pytest.raises(CampaignFileError, match=rf"\[{'.'.join(path)}\]: неизвестный ключ «extra_key»"):
        parse_campaign(data)


def test_tables_of_the_file_s_own_keys_take_any_key():
    data = read_campaign_data("amur-2022")
    column = next(c for tab in data["tabs"] for c in tab["columns"] if c.get("choices"))
    column["choices"]["новое значение"] = ["вариант"]
    assert any(choice.value == "новое значение"
               for tab in parse_campaign(data).tabs for c in tab.columns for choice in c.choices)


def test_a_severity_that_is_neither_error_nor_warning_is_refused_with_the_closest(tmp_path):
    path = misspelt(tmp_path, 'unknown_code = "unknown_org_type"',
                    'unknown_code = "unknown_org_type"\nunknown_severity = "eror"')
    with pytest.raises(CampaignFileError, match=r"столбец «org_type»: важность «eror» — ни «error», ни «warning» — "
                                                 r"может быть, «error»\?"):
        load_campaign(path)


def test_one_problem_code_with_two_severities_is_refused(tmp_path):
    path = misspelt(tmp_path, 'unknown_code = "unknown_org_type"',
                    'unknown_code = "invalid_date"\nunknown_severity = "warning"')
    with pytest.raises(CampaignFileError, match=r"код проблемы «invalid_date» здесь — предупреждение, а в другом месте — ошибка; у кода одна важность"):
        load_campaign(path)


def test_a_campaign_files_own_severity_reaches_the_problem(tmp_path):
    path = misspelt(tmp_path, 'unknown_code = "unknown_org_type"',
                    'unknown_code = "unknown_org_type"\nunknown_severity = "error"')
    assert load_campaign(path).problem_codes()["unknown_org_type"].severity == "error"
    assert load_campaign(ZASTUPNIK).problem_codes()["unknown_org_type"].severity == "warning"
