"""«По дням отчётов» (campaign/daily.py): the last read of each of the region's days, the figures
of a report, what names the counting rules, the frame the chart draws."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone

from campaign.daily import ReportDay, campaign_digest, charted_metrics, day_ends, figures_of, report_days_frame
from campaign.spec import load_campaign
from tests.demo_figures import ZASTUPNIK


@dataclass(frozen=True)
class Read:
    read_at: datetime
    snapshot_id: int


def test_a_day_ends_with_its_last_read_in_the_region_s_own_time():
    # Amur is UTC+9: 14:30 UTC is 23:30 there, 15:10 UTC is already 00:10 of the next day
    reads = [Read(datetime(2022, 2, 21, 1, 0, tzinfo=timezone.utc), 1),
             Read(datetime(2022, 2, 21, 14, 30, tzinfo=timezone.utc), 2),
             Read(datetime(2022, 2, 21, 15, 10, tzinfo=timezone.utc), 3),
             Read(datetime(2022, 2, 22, 3, 0, tzinfo=timezone.utc), 4)]
    assert [r.snapshot_id for r in day_ends(reversed(reads), "Asia/Yakutsk")] == [2, 4]
    assert [r.snapshot_id for r in day_ends(reads, "UTC")] == [3, 4]  # the same reads by the days of UTC
    assert day_ends([], "Asia/Yakutsk") == []


def test_figures_are_each_target_s_value_and_goal(demo_report):
    report = demo_report("irkutsk-zastupnik-2024")
    figures = figures_of(report)
    assert set(figures) == {t.id for t in report.campaign.targets}
    value, goal = figures["responsible"]
    # a share target's goal is in organisations: all of them
    assert (value, goal) == (ZASTUPNIK["responsible_appointed"], ZASTUPNIK["organisations_total"])


def test_the_counting_rules_name_figures_and_change_with_the_campaign():
    amur = load_campaign("amur-2022")
    assert campaign_digest(amur) == campaign_digest(load_campaign("amur-2022"))  # stable between loads
    tighter = replace(amur, targets=(replace(amur.targets[0], min=25), *amur.targets[1:]))
    assert campaign_digest(tighter) != campaign_digest(amur)
    assert campaign_digest(load_campaign("primorye-2022")) != campaign_digest(amur)


def test_the_headline_is_charted_first_then_every_metric_with_a_target():
    amur = load_campaign("amur-2022")
    metrics = charted_metrics(amur)
    assert metrics[0] == amur.headline.id
    assert set(metrics) == {t.metric for t in amur.targets} and len(metrics) == len(set(metrics))


def test_the_frame_has_a_row_per_day_and_target_of_the_metric_in_russian():
    amur = load_campaign("amur-2022")
    metric = amur.headline.id
    targets = [t for t in amur.targets if t.metric == metric]
    at = datetime(2022, 2, 21, 9, 0, tzinfo=timezone.utc)
    days = [ReportDay(date(2022, 2, 21), at, {t.id: (1234.0, 20.0) for t in targets}),
            ReportDay(date(2022, 2, 22), at + timedelta(days=1), {t.id: (1300.0, 20.0) for t in targets})]
    frame = report_days_frame(days, amur, metric)
    assert len(frame) == 2 * len(targets)
    first = frame.iloc[0]
    assert (first["text"], first["goal_text"], first["read_at"]) == ("1\u00a0234 из 20", "цель: 20", "21.02.2022 18:00")
    assert list(frame["date"].dt.date.unique()) == [date(2022, 2, 21), date(2022, 2, 22)]
    other = next(m for m in charted_metrics(amur) if m != metric)
    assert report_days_frame(days, amur, other).empty  # the figures hold no target of that metric
