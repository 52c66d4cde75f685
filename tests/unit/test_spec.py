"""Campaign files (campaigns/*.toml): what the two regions' files say, and how bad files fail."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

import pytest

from campaign.spec import (
    CampaignFileError,
    available_campaigns,
    load_campaign,
    merge,
    parse_campaign,
    read_campaign_data,
)


def targets_by_metric_and_min(campaign):
    return {(t.metric, t.min, t.max) for t in campaign.targets}


def test_every_campaign_file_is_available_and_the_shared_part_is_not():
    assert available_campaigns() == ["amur-2022", "irkutsk-zastupnik-2024", "moyakhartiya-2022-rf", "primorye-2022"]


@pytest.mark.parametrize(("campaign_id", "iso", "region", "genitive"), [
    ("amur-2022", "RU-AMU", "Амурская область", "Амурской области"),
    ("primorye-2022", "RU-PRI", "Приморский край", "Приморского края"),
])
def test_a_region_campaign_loads_with_the_shared_window_tabs_and_metrics(campaign_id, iso, region, genitive):
    campaign = load_campaign(campaign_id)
    assert (campaign.id, campaign.region_key, campaign.region_name, campaign.region_name_genitive) == (
        campaign_id, iso, region, genitive)
    assert (campaign.start, campaign.end) == (date(2022, 2, 8), date(2022, 3, 8))
    assert campaign.title == "Акция #МояХартия" and campaign.hashtag == "#МояХартия"
    assert [t.id for t in campaign.tabs] == ["organisations", "events", "contest", "quotas"]
    assert [t.required for t in campaign.tabs] == [True, True, False, False]
    assert campaign.tab("organisations").name == "Организации"
    assert campaign.tab("events").name == "Мероприятия"
    assert campaign.metric("organisations_joined").where == {"status": ("меморандум подписан", "в реестре Альянса")}
    assert campaign.metric("organisations_joined").unit == ("организация", "организации", "организаций")


MEMO_TARGETS = {
    ("organisations_joined", 20, None),
    ("information_campaigns", 3, 5),
    ("conferences", 1, 2),
    ("interviews", 10, None),
    ("video_contests", 1, None),
}


def test_amur_has_the_memo_targets_and_the_governors_ten_organisations():
    campaign = load_campaign("amur-2022")
    assert targets_by_metric_and_min(campaign) == MEMO_TARGETS | {("organisations_joined", 10, None)}
    governor = next(t for t in campaign.targets if t.id == "organisations_governor")
    assert governor.min == 10
    assert governor.label == "Присоединить к Хартии не менее 10 организаций"
    assert "09.02.2022" in governor.source and "01-18-911" in governor.source


def test_amur_has_its_four_deadline_dates():
    campaign = load_campaign("amur-2022")
    assert sorted({d.date for d in campaign.deadlines}) == [
        date(2022, 2, 15), date(2022, 3, 9), date(2022, 3, 10), date(2022, 3, 15)]


def test_primorye_has_the_memo_targets_the_10_march_deadline_and_no_governors_target():
    campaign = load_campaign("primorye-2022")
    assert targets_by_metric_and_min(campaign) == MEMO_TARGETS
    assert ("organisations_joined", 10, None) not in targets_by_metric_and_min(campaign)
    assert "organisations_governor" not in {t.id for t in campaign.targets}
    assert [d.date for d in campaign.deadlines] == [date(2022, 3, 10)]
    assert campaign.deadlines[0].recipient == "Департамент внутренней политики Приморского края"


@pytest.mark.parametrize(("tab_id", "column_id", "column_type", "required"), [
    ("organisations", "municipality", "municipality", True),
    ("organisations", "name", "text", True),
    ("organisations", "inn", "inn", False),
    ("organisations", "joined_on", "date", True),
    ("organisations", "status", "choice", False),
    ("organisations", "contact", "text", True),
    ("organisations", "position", "text", True),
    ("organisations", "phone", "phone", True),
    ("organisations", "memorandum", "link", False),
    ("events", "kind", "choice", True),
    ("events", "held_on", "date", True),
    ("events", "link", "link", False),
    ("events", "reach", "number", False),
    ("contest", "platform", "choice", True),
    ("contest", "video", "link", True),
])
def test_columns_have_the_type_and_requiredness_of_the_sheet_template(amur, tab_id, column_id, column_type, required):
    column = amur.tab(tab_id).column(column_id)
    assert (column.type, column.required) == (column_type, required)


@pytest.mark.parametrize(("tab_id", "column_id"), [
    ("organisations", "contact"), ("organisations", "position"), ("organisations", "phone"),
    ("organisations", "email"), ("contest", "participant"),
])
def test_contact_details_and_children_are_marked_personal(amur, tab_id, column_id):
    assert amur.tab(tab_id).column(column_id).personal


# ----------------------------------------------------------------- bad campaign files


def amur_data() -> dict:
    return copy.deepcopy(read_campaign_data("amur-2022"))


def _set_column_type(data):
    data["tabs"][0]["columns"][0]["type"] = "datetime"


def _metric_where_unknown_column(data):
    data["metrics"][0]["where"] = {"statuz": ["меморандум подписан"]}


def _metric_present_unknown_column(data):
    data["metrics"][0]["present"] = ["nmae"]


def _metric_sums_unknown_column(data):
    next(m for m in data["metrics"] if m["id"] == "reach")["column"] = "rech"


def _metric_unknown_tab(data):
    data["metrics"][0]["tab"] = "orgs"


def _target_unknown_metric(data):
    data["targets"][0]["metric"] = "nope"


def _breakdown_unknown_metric(data):
    data["breakdowns"][0]["metric"] = "nope"


def _choice_without_choices(data):
    org_type = next(c for c in data["tabs"][0]["columns"] if c["id"] == "org_type")
    del org_type["choices"]


def _metric_aggregate_misspelt(data):
    next(m for m in data["metrics"] if m["id"] == "reach")["aggregate"] = "summ"


def _metric_sum_without_column(data):
    del next(m for m in data["metrics"] if m["id"] == "reach")["column"]


def _metric_where_value_misspelt(data):
    data["metrics"][0]["where"] = {"status": ["меморандум подписн"]}


def _no_window(data):
    del data["window"]


def _no_region(data):
    del data["region"]


@pytest.mark.parametrize(("break_it", "words"), [
    (_set_column_type, "столбец «municipality»: неизвестный тип «datetime» — может быть, «date»\\?"),
    (_metric_where_unknown_column, "statuz"),
    (_metric_present_unknown_column, "nmae"),
    (_metric_sums_unknown_column, "rech"),
    (_metric_unknown_tab, "показатель «organisations_joined» называет неизвестный лист «orgs»"),
    (_target_unknown_metric, "цель «organisations_memo» называет неизвестный показатель «nope»; возможные: «conferences»"),
    (_breakdown_unknown_metric, "разбивка «events» называет неизвестный показатель «nope»"),
    (_choice_without_choices, "столбец «org_type» \\(type = «choice»\\) без вариантов: укажите choices"),
    (_metric_aggregate_misspelt, "показатель «reach»: aggregate = «summ» — ни «count», ни «sum» — может быть, «sum»\\?"),
    (_metric_sum_without_column, "показатель «reach»: aggregate = «sum» без column"),
    (_metric_where_value_misspelt, "показатель «organisations_joined»: where status = «меморандум подписн» — "
                                   "не вариант столбца «status» — может быть, «меморандум подписан»\\?"),
    (_no_window, "нет обязательного ключа 'window'"),
    (_no_region, "нет обязательного ключа 'region'"),
])
def test_a_wrong_campaign_file_raises_a_campaign_file_error(break_it, words):
    data = amur_data()
    break_it(data)
    with pytest.raises(CampaignFileError, match=words):
        parse_campaign(data)


def _breakdown_by_unknown_column(data):
    data["breakdowns"][0]["by"] = "kindd"


def _quota_unknown_tab(data):
    data["quota"]["tab"] = "nope"


def _unique_key_unknown_column(data):
    data["tabs"][0]["unique"]["keys"] = [["innn"]]


def _target_unknown_field(data):
    data["targets"][0]["maximum"] = 30


@pytest.mark.parametrize("break_it", [
    _breakdown_by_unknown_column, _quota_unknown_tab, _unique_key_unknown_column, _target_unknown_field,
])
def test_a_campaign_file_naming_an_unknown_column_tab_or_field_anywhere_is_refused_on_load(break_it):
    data = amur_data()
    break_it(data)
    with pytest.raises(CampaignFileError):
        parse_campaign(data)


def test_a_campaign_file_with_a_bad_column_type_is_refused_when_loaded_by_path(tmp_path: Path):
    path = tmp_path / "bad.toml"
    path.write_text(
        'id = "bad"\ntitle = "t"\n[region]\niso = "RU-AMU"\nname = "Амурская область"\n'
        "[window]\nstart = 2022-02-08\nend = 2022-03-08\n"
        '[[tabs]]\nid = "t"\nname = "Т"\n[[tabs.columns]]\nid = "c"\nname = "C"\ntype = "money"\n',
        encoding="utf-8",
    )
    with pytest.raises(CampaignFileError, match="money"):
        load_campaign(path)


def test_an_unknown_campaign_id_is_refused_naming_the_known_ones():
    with pytest.raises(CampaignFileError, match="Нет файла кампании .*Известные кампании: amur-2022, irkutsk-zastupnik-2024, moyakhartiya-2022-rf, "
                                                      "primorye-2022"):
        load_campaign("moscow-2022")


# ----------------------------------------------------------------- extends and merging

PARENT = """
title = "Общая акция"
hashtag = "#Общая"

[window]
start = 2022-02-08
end = 2022-03-08

[region]
iso = "RU-AMU"
name = "Амурская область"

[[tabs]]
id = "organisations"
name = "Организации"

[[tabs.columns]]
id = "name"
name = "Наименование организации"
required = true

[[metrics]]
id = "joined"
label = "Присоединились"
tab = "organisations"

[[targets]]
id = "memo"
label = "Не менее 20"
metric = "joined"
min = 20
source = "Памятка"

[[targets]]
id = "keep"
label = "Не менее 1"
metric = "joined"
min = 1
"""

CHILD = """
extends = "parent"
id = "child-2022"

[region]
genitive = "Амурской области"

[[targets]]
id = "memo"
min = 25

[[targets]]
id = "governor"
label = "Не менее 10"
metric = "joined"
min = 10
"""


@pytest.fixture
def child_campaign(tmp_path: Path):
    (tmp_path / "parent.toml").write_text(PARENT, encoding="utf-8")
    (tmp_path / "child.toml").write_text(CHILD, encoding="utf-8")
    return load_campaign(tmp_path / "child.toml")


def test_a_child_file_overrides_a_parents_target_by_id_keeping_its_other_fields(child_campaign):
    memo = next(t for t in child_campaign.targets if t.id == "memo")
    assert (memo.min, memo.label, memo.source) == (25, "Не менее 20", "Памятка")


def test_a_child_file_keeps_the_parents_other_targets_and_appends_its_own(child_campaign):
    assert [t.id for t in child_campaign.targets] == ["memo", "keep", "governor"]


def test_a_child_file_merges_tables_deeply_and_sets_its_own_scalars(child_campaign):
    assert child_campaign.id == "child-2022"
    assert child_campaign.title == "Общая акция"
    assert (child_campaign.region_key, child_campaign.region_name, child_campaign.region_name_genitive) == (
        "RU-AMU", "Амурская область", "Амурской области")


@pytest.mark.parametrize(("base", "child", "merged"), [
    ({"a": 1, "b": 2}, {"b": 3}, {"a": 1, "b": 3}),
    ({"t": {"x": 1, "y": 2}}, {"t": {"y": 3}}, {"t": {"x": 1, "y": 3}}),
    ({"l": [{"id": "a", "v": 1}, {"id": "b", "v": 2}]}, {"l": [{"id": "b", "v": 3}, {"id": "c", "v": 4}]},
     {"l": [{"id": "a", "v": 1}, {"id": "b", "v": 3}, {"id": "c", "v": 4}]}),
    ({"l": [1, 2]}, {"l": [3]}, {"l": [3]}),  # plain lists are replaced, not merged
])
def test_merging_goes_deep_into_tables_and_by_id_into_lists_of_tables(base, child, merged):
    assert merge(base, child) == merged


# ----------------------------------------------------------------- a federal campaign

def test_a_federal_campaign_names_every_subject_and_is_no_region_itself():
    federal = load_campaign("moyakhartiya-2022-rf")
    assert federal.is_federal and len(federal.federal_regions) == 89
    assert (federal.region_name, federal.region_name_genitive) == ("Российская Федерация", "Российской Федерации")
    assert federal.federal_operator == "Управление Президента РФ по развитию ИКТ и инфраструктуры связи"


def test_a_region_of_a_federal_campaign_is_the_federal_file_in_that_subject():
    region = load_campaign("moyakhartiya-2022-rf@08")
    assert (region.id, region.region_name, region.region_name_genitive, region.region_code, region.timezone) == (
        "moyakhartiya-2022-rf@08", "Хабаровский край", "Хабаровского края", "08", "Asia/Vladivostok")
    assert not region.is_federal and region.family == "moyakhartiya-2022-rf"
    assert [t.id for t in region.targets] == [t.id for t in load_campaign("moyakhartiya-2022-rf").targets]
    assert load_campaign("moyakhartiya-2022-rf@08") is region  # parsed once


@pytest.mark.parametrize(("campaign_id", "message"), [
    ("moyakhartiya-2022-rf@02", "Региона с кодом «02» нет в федеральной кампании «moyakhartiya-2022-rf»"),
    ("amur-2022@08", "Кампания «amur-2022» не федеральная"),
])
def test_a_region_a_campaign_does_not_have_is_refused(campaign_id, message):
    with pytest.raises(CampaignFileError, match=message):
        load_campaign(campaign_id)


def test_a_federal_campaign_of_some_regions_names_them_by_code_or_name(tmp_path):
    path = tmp_path / "dfo.toml"
    path.write_text('extends = "_moyakhartiya-2022"\nid = "dfo"\n[federal]\nregions = ["10", "Приморский край", '
                    '"Якутия"]\n', encoding="utf-8")
    assert load_campaign(path).federal_regions == ("10", "05", "98")
    path.write_text('extends = "_moyakhartiya-2022"\nid = "dfo"\n[federal]\nregions = ["Приморскй край"]\n',
                    encoding="utf-8")
    with pytest.raises(CampaignFileError, match="\\[federal\\] regions: нет такого субъекта .*«Приморский край»"):
        load_campaign(path)

