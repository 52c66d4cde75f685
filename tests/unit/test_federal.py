"""The federal view's numbers: one campaign across regions against the targets they share."""

from __future__ import annotations

import pytest

from campaign.federal import family_members, load_regions_geojson, region_table, shared_targets, target_cells
from campaign.subjects import all_subjects


@pytest.fixture(scope="module")
def reports(sheet):
    amur = sheet.run(orgs=[sheet.org(name=f"Школа № {n}") for n in range(12)],
                     events=[sheet.event(kind="конференция")])
    primorye = sheet.run(campaign_id="primorye-2022",
                         orgs=[sheet.org(municipality="Находкинский городской округ", name=f"Школа № {n}")
                               for n in range(25)],
                         events=[sheet.event(municipality="Находкинский городской округ", kind="интервью")])
    return [amur, primorye]


def test_only_the_targets_every_region_has_are_compared(reports):
    assert "organisations_governor" in [t.id for t in reports[0].campaign.targets]  # Amur's own letter
    assert shared_targets(reports) == ["organisations_memo", "information_campaigns", "conferences", "interviews",
                                       "video_contests"]


def test_each_region_gets_its_values_goals_shares_and_targets_met(reports):
    table = region_table(reports).set_index("iso")
    assert table.loc["RU-AMU", "organisations_memo:value"] == 12
    assert table.loc["RU-AMU", "organisations_memo:goal"] == 20
    assert table.loc["RU-AMU", "organisations_memo:share"] == pytest.approx(0.6)
    assert table.loc["RU-PRI", "organisations_memo:share"] == 1.0  # 25 of 20: capped at the goal
    assert (table.loc["RU-AMU", "targets_met"], table.loc["RU-PRI", "targets_met"]) == (1, 1)
    assert table.loc["RU-AMU", "targets"] == 5
    assert table.loc["RU-AMU", "region"] == "Амурская область"
    assert table.loc["RU-AMU", "silent"] == 28 and table.loc["RU-AMU", "municipalities"] == 29


def test_the_map_of_russia_outlines_85_of_the_89_subjects_under_their_keys():
    codes = {f["properties"]["iso_3166_2"] for f in load_regions_geojson()["features"]}
    subjects = all_subjects()
    assert len(subjects) == 89 and len(codes) == 85 and codes <= {s.key for s in subjects}
    assert sorted(s.name for s in subjects if s.key not in codes) == [
        "Донецкая Народная Республика", "Запорожская область", "Луганская Народная Республика", "Херсонская область"]


def test_the_family_of_a_campaign_is_its_regions_in_the_configured_order():
    configured = ["primorye-2022", "irkutsk-zastupnik-2024", "amur-2022"]
    assert family_members("amur-2022", configured) == ["primorye-2022", "amur-2022"]
    assert family_members("irkutsk-zastupnik-2024", configured) == ["irkutsk-zastupnik-2024"]
    assert family_members("moscow-2022", configured) == ["moscow-2022"]  # no such file: alone


def test_target_cells_read_value_of_goal(reports):
    assert target_cells(region_table(reports), "organisations_memo") == ["12 из 20", "25 из 20"]
