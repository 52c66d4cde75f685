"""The counting rules: what counts as joined, events by kind, reach, targets, per municipality,
the daily series and the deadlines."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from campaign.progress import deadline_statuses, target_progress
from campaign.spec import TargetSpec
from campaign.summary import report_to_dict, summary_text

BLG, ZEYA = "RU-AMU:благовещенск:go", "RU-AMU:зея:go"
INFO, CONF = "информационная кампания", "конференция"
INTERVIEW, CONTEST, OTHER = "интервью / выступление на радио или ТВ", "конкурс видеороликов", "иное мероприятие"

# «Организации», rows 2…11 (as_of 20.02.2022)
ORGS = [
    dict(name="Школа 2", status="", joined_on="08.02.2022"),                       # 2 joined (empty status)
    dict(name="Школа 3", status="меморандум подписан", joined_on="10.02.2022"),    # 3 joined
    dict(name="Школа 4", status="в реестре Альянса", joined_on="10.02.2022",
         municipality="г. Зея"),                                                    # 4 joined
    dict(name="Школа 5", status="заявка подана", municipality="г. Зея"),          # 5 applied only
    dict(name="", status="меморандум подписан"),                                  # 6 no name: not counted
    dict(name="школа  2", status="подписан"),                                     # 7 repeats row 2
    dict(name="Школа 8", municipality="Неизвестный район", joined_on="15.02.2022"),  # 8 joined, no MO
    dict(name="Школа 9", joined_on="вчера"),                                      # 9 joined, no date
    dict(name="Школа 10", joined_on="01.02.2022"),                                # 10 joined before window
    dict(name="Школа 11", joined_on="25.02.2022"),                                # 11 joined after as_of
]
JOINED_ROWS = [2, 3, 4, 8, 9, 10, 11]

# «Мероприятия», rows 2…10
EVENTS = [
    dict(kind="информационная кампания", reach="~300"),                       # 2
    dict(kind="Информационная кампания в соцсетях", reach="1 200"),           # 3
    dict(kind="информационная", reach="много"),                               # 4 reach unreadable
    dict(kind="конференция", reach="150 чел."),                               # 5
    dict(kind="интервью", reach="", municipality="г. Зея"),                  # 6
    dict(kind="конкурс", reach="50", municipality="г. Зея"),                 # 7
    dict(kind="круглый стол", reach="10"),                                    # 8
    dict(kind="флешмоб", reach="1000"),                                       # 9 unknown kind
    dict(kind="конференция", reach="5", municipality="Непонятный"),           # 10 no MO
]

CONTEST_ENTRIES = [
    dict(participant="Участник 2", result="1 место"),
    dict(participant="Участник 3", result="", platform="ВК клипы", municipality="г. Зея"),
    dict(participant="Участник 4", result="призёр"),
    dict(participant="", result="победитель"),  # no participant: not an entry
]

QUOTAS = [["г. Благовещенск", "4"], ["Зея", "~5"], ["Тындинский район", "2"]]


@pytest.fixture(scope="module")
def report(sheet):
    return sheet.run(
        orgs=[sheet.org(**cells) for cells in ORGS],
        events=[sheet.event(title=f"Событие {n}", **cells) for n, cells in enumerate(EVENTS, start=2)],
        contest=[sheet.entry(**cells) for cells in CONTEST_ENTRIES],
        quotas=QUOTAS,
    )


def counted_rows(report, metric):
    return sorted(report.counted(metric)["_row"].tolist())


# ----------------------------------------------------------------- organisations


def test_joined_counts_signed_registered_and_empty_statuses_once_each(report):
    assert counted_rows(report, "organisations_joined") == JOINED_ROWS
    assert report.metrics["organisations_joined"] == 7


@pytest.mark.parametrize(("row", "why"), [
    (5, "«заявка подана» is not joined"),
    (6, "a row without an organisation name is not counted"),
    (7, "a repeat of row 2 counts once, at row 2"),
])
def test_rows_that_do_not_count_as_joined(report, row, why):
    assert row not in counted_rows(report, "organisations_joined"), why


def test_an_application_without_a_memorandum_counts_as_applied_only(report):
    assert counted_rows(report, "organisations_applied") == [5]


def test_an_organisation_of_an_unresolved_municipality_counts_to_the_region_but_no_municipality(report):
    table = report.municipalities.set_index("uid")
    assert report.unassigned["organisations_joined"] == 1
    assert table["organisations_joined"].sum() == report.metrics["organisations_joined"] - 1
    assert table.loc[BLG, "organisations_joined"] == 5  # rows 2, 3, 9, 10, 11
    assert table.loc[ZEYA, "organisations_joined"] == 1  # row 4


@pytest.mark.parametrize("row", [9, 10, 11])
def test_rows_with_an_unreadable_or_outside_date_still_count(report, row):
    assert row in counted_rows(report, "organisations_joined")


# ----------------------------------------------------------------- events and reach


def test_events_breakdown_has_exactly_the_five_kinds_of_the_results_form(report):
    assert report.breakdowns["events"] == {INFO: 3, CONF: 2, INTERVIEW: 1, CONTEST: 1, OTHER: 1}
    assert list(report.breakdowns["events"]) == [INFO, CONF, INTERVIEW, CONTEST, OTHER]


@pytest.mark.parametrize(("metric", "value"), [
    ("events_total", 8),
    ("information_campaigns", 3),
    ("conferences", 2),
    ("interviews", 1),
    ("video_contests", 1),
    ("other_events", 1),
])
def test_each_event_metric_counts_its_kind_and_an_unknown_kind_counts_nowhere(report, metric, value):
    assert report.metrics[metric] == value
    assert 9 not in counted_rows(report, metric)


def test_reach_is_summed_over_counted_events_ignoring_unreadable_numbers(report):
    assert report.metrics["reach"] == 300 + 1200 + 150 + 50 + 10 + 5  # not «много», not the unknown kind
    assert report.unassigned["reach"] == 5
    assert report.municipalities.set_index("uid").loc[BLG, "reach"] == 300 + 1200 + 150 + 10


def test_contest_entries_need_a_participant_and_winners_need_the_winning_result(report):
    assert report.metrics["contest_entries"] == 3
    assert report.metrics["contest_winners"] == 1


# ----------------------------------------------------------------- targets


def target(minimum, maximum=None):
    return TargetSpec("t", "цель", "m", min=minimum, max=maximum)


@pytest.mark.parametrize(("minimum", "maximum", "value", "met", "remaining", "above_max"), [
    (10, None, 3, False, 7, False),
    (10, None, 10, True, 0, False),
    (10, None, 12, True, 0, False),
    (20, None, 0, False, 20, False),
    (3, 5, 2, False, 1, False),
    (3, 5, 3, True, 0, False),
    (3, 5, 5, True, 0, False),
    (3, 5, 6, True, 0, True),
    (1, 2, 3, True, 0, True),
    (None, None, 0, True, 0, False),
])
def test_a_target_is_met_at_its_minimum_and_says_how_much_is_missing(minimum, maximum, value, met, remaining, above_max):
    progress = target_progress(target(minimum, maximum), value)
    assert (progress.met, progress.remaining, progress.above_max) == (met, remaining, above_max)
    assert progress.value == value


@pytest.mark.parametrize(("target_id", "value", "met", "remaining", "above_max"), [
    ("organisations_governor", 7, False, 3, False),
    ("organisations_memo", 7, False, 13, False),
    ("information_campaigns", 3, True, 0, False),
    ("conferences", 2, True, 0, False),
    ("interviews", 1, False, 9, False),
    ("video_contests", 1, True, 0, False),
])
def test_the_reports_targets_follow_its_metrics(report, target_id, value, met, remaining, above_max):
    progress = next(t for t in report.targets if t.id == target_id)
    assert (progress.value, progress.met, progress.remaining, progress.above_max) == (value, met, remaining, above_max)


def test_three_organisations_leave_seven_to_the_governors_target(sheet):
    report = sheet.run(orgs=[sheet.org(name=f"Школа {n}") for n in range(3)],
                       events=[sheet.event(kind="информационная кампания", title=f"Кампания {n}") for n in range(6)])
    governor = next(t for t in report.targets if t.id == "organisations_governor")
    assert (governor.value, governor.min, governor.met, governor.remaining) == (3, 10, False, 7)
    campaigns = next(t for t in report.targets if t.id == "information_campaigns")
    assert (campaigns.value, campaigns.met, campaigns.above_max) == (6, True, True)


# ----------------------------------------------------------------- per municipality


def test_the_municipality_table_lists_all_29_amur_municipalities_even_silent_ones(report):
    table = report.municipalities
    assert len(table) == 29
    assert table["uid"].tolist() == [m.uid for m in report.registry.municipalities]
    assert table["name"].tolist() == [m.name for m in report.registry.municipalities]
    silent = report.silent_municipalities()
    assert "г. Тында" in silent and "Тындинский район" in silent
    assert "г. Благовещенск" not in silent and "г. Зея" not in silent
    assert table.set_index("uid").loc["RU-AMU:тында:go", ["organisations_joined", "events_total", "rows"]].tolist() == [0, 0, 0]


def test_the_municipality_table_breaks_events_down_by_kind(report):
    row = report.municipalities.set_index("uid").loc[ZEYA]
    assert (row[f"events:{INTERVIEW}"], row[f"events:{CONTEST}"], row[f"events:{INFO}"]) == (1, 1, 0)


@pytest.mark.parametrize(("uid", "quota", "share"), [
    (BLG, 4, 5 / 4),
    (ZEYA, 5, 1 / 5),  # «~5» reads as 5
    ("RU-AMU:тындинский:mr", 2, 0.0),
])
def test_a_quota_from_the_goals_tab_gives_each_municipality_its_share(report, uid, quota, share):
    row = report.municipalities.set_index("uid").loc[uid]
    assert row["quota"] == quota
    assert row["quota_share"] == pytest.approx(share)


def test_a_municipality_without_a_quota_has_none(report):
    row = report.municipalities.set_index("uid").loc["RU-AMU:тында:go"]
    assert pd.isna(row["quota"]) and pd.isna(row["quota_share"])


def test_problems_are_counted_per_municipality(report):
    table = report.municipalities.set_index("uid")
    problems = report.problems
    for uid in (BLG, ZEYA):
        mine = problems[problems["municipality_uid"] == uid]
        assert table.loc[uid, "errors"] == (mine["severity"] == "error").sum()
        assert table.loc[uid, "warnings"] == (mine["severity"] == "warning").sum()


# ----------------------------------------------------------------- daily series


def test_the_daily_series_runs_from_the_first_day_to_as_of(report):
    series = report.series["organisations_joined"]
    assert series["date"].iloc[0] == pd.Timestamp("2022-02-08")
    assert series["date"].iloc[-1] == pd.Timestamp("2022-02-20")
    assert len(series) == 13


@pytest.mark.parametrize(("day", "value", "cumulative"), [
    ("2022-02-08", 2, 2),  # row 2, and row 10 dated before the window
    ("2022-02-09", 0, 2),
    ("2022-02-10", 2, 4),  # rows 3 and 4
    ("2022-02-14", 0, 4),
    ("2022-02-15", 1, 5),  # row 8, whose municipality is unknown
    ("2022-02-20", 1, 6),  # row 11, dated after as_of, on the last day
])
def test_the_daily_series_accumulates_counted_rows_by_date(report, day, value, cumulative):
    series = report.series["organisations_joined"].set_index("date")
    assert (series.loc[pd.Timestamp(day), "value"], series.loc[pd.Timestamp(day), "cumulative"]) == (value, cumulative)


def test_rows_without_a_date_in_the_series_are_kept_aside_not_lost(report):
    series = report.series["organisations_joined"]
    assert series.attrs["undated"] == 1  # row 9 (unreadable); only an unreadable date is left out
    assert series["cumulative"].iloc[-1] + series.attrs["undated"] == report.metrics["organisations_joined"]


def test_the_series_stops_at_the_campaign_end_when_as_of_is_later(sheet):
    report = sheet.run(orgs=[sheet.org(joined_on="09.03.2022")], as_of=date(2022, 4, 1))
    series = report.series["organisations_joined"]
    assert series["date"].iloc[-1] == pd.Timestamp("2022-03-08")
    # a row dated after the window counts on its last day, as one dated before counts on its first
    assert series["cumulative"].iloc[-1] == 1 and series.attrs["undated"] == 0


# ----------------------------------------------------------------- deadlines

AMUR_DEADLINES = [date(2022, 2, 15), date(2022, 2, 15), date(2022, 3, 9), date(2022, 3, 10), date(2022, 3, 15)]


@pytest.mark.parametrize(("as_of", "days_left"), [
    (date(2022, 2, 8), [7, 7, 29, 30, 35]),
    (date(2022, 2, 15), [0, 0, 22, 23, 28]),
    (date(2022, 2, 20), [-5, -5, 17, 18, 23]),
    (date(2022, 3, 9), [-22, -22, 0, 1, 6]),
    (date(2022, 3, 20), [-33, -33, -11, -10, -5]),
])
def test_deadlines_count_days_left_from_as_of(amur, as_of, days_left):
    statuses = deadline_statuses(amur, as_of)
    assert [s.date for s in statuses] == AMUR_DEADLINES
    assert [s.days_left for s in statuses] == days_left


def test_the_report_carries_deadlines_as_of_its_date(report):
    assert [d.days_left for d in report.deadlines] == [-5, -5, 17, 18, 23]
    assert report.deadlines[-1].recipient == "Управление Президента РФ по развитию ИКТ и инфраструктуры связи"


# ----------------------------------------------------------------- the report as data


def test_the_report_as_a_dict_is_json_with_plain_numbers(report):
    data = report_to_dict(report)
    json.dumps(data, ensure_ascii=False)
    assert data["metrics"]["organisations_joined"] == 7
    assert data["events"] == report.breakdowns["events"]
    assert data["not_assigned_to_municipality"] == {"organisations_joined": 1, "events_total": 1, "conferences": 1,
                                                    "reach": 5}
    governor = next(t for t in data["targets"] if t["id"] == "organisations_governor")
    assert governor == {"id": "organisations_governor", "label": "Присоединить к Хартии не менее 10 организаций",
                        "metric": "organisations_joined", "value": 7, "min": 10, "max": None, "met": False,
                        "remaining": 3, "source": governor["source"]}
    assert len(data["municipalities"]) == 29
    assert data["series"]["organisations_joined"][0] == {"date": "2022-02-08", "value": 2, "cumulative": 2}
    assert data["problem_counts"] == {"errors": report.errors, "warnings": report.warnings}


def test_the_text_summary_speaks_russian_with_plural_units(report):
    text = summary_text(report)
    assert "Организации, присоединившиеся к Хартии: 7 организаций" in text
    assert "Информационные кампании: 3 информационные кампании" in text
    assert "Присоединить к Хартии не менее 10 организаций: 7 — не выполнено, осталось 3" in text
    assert "15.02.2022 (5 дней назад)" in text
    assert "09.03.2022 (через 17 дней)" in text
