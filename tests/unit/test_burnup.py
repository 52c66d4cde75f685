"""The burn-up chart's content (campaign/burnup.py), the same on the page and the slide: an
honest projection, the deadlines grouped with Russian dates, and the x axis of the campaign."""

from __future__ import annotations

from datetime import date

import pytest

from campaign.burnup import burnup, no_pace_text


def joined_on(*days: str) -> list[dict]:
    return [dict(name=f"Школа {i}", joined_on=day, inn="") for i, day in enumerate(days)]


def test_the_projection_continues_the_pace_of_the_last_seven_days(sheet):
    # 10 organisations in the first week, 7 in the last seven days up to 22.02
    days = ["09.02.2022"] * 10 + ["16.02.2022", "17.02.2022", "18.02.2022", "19.02.2022", "20.02.2022",
                                  "21.02.2022", "22.02.2022"]
    report = sheet.run(orgs=[sheet.org(**row) for row in joined_on(*days)], as_of=date(2022, 2, 22))
    chart = burnup(report)
    assert chart.pace is not None and chart.pace.days == 7
    assert chart.pace.per_day == pytest.approx(1.0)
    assert chart.pace.end_total == pytest.approx(17 + 14)  # 14 days to 08.03 at one a day
    assert chart.pace.description == "прогноз при темпе последних 7 дней (1 в день)"


def test_no_projection_when_nothing_was_added_for_a_week(sheet):
    report = sheet.run(orgs=[sheet.org(**row) for row in joined_on(*["09.02.2022"] * 30)], as_of=date(2022, 2, 22))
    assert burnup(report).pace is None  # the average since the start would still promise 60 by the end


def test_the_amur_demo_after_four_quiet_days_has_no_projection_and_says_why(demo_report):
    """«прогноз: 71» after days with nothing added counted the growth days before them: not the
    pace now (the average since 08.02 would even have said 102)."""
    report = demo_report("amur-2022")
    chart = burnup(report)
    assert chart.pace is None and chart.quiet_days == 4
    assert no_pace_text(chart, report.as_of, report.campaign.end) == "прогноза нет: 4 дня ничего не добавлялось"


def test_a_day_with_something_added_after_quiet_days_brings_the_projection_back(sheet):
    days = ["09.02.2022"] * 5 + ["15.02.2022", "16.02.2022", "22.02.2022"]
    report = sheet.run(orgs=[sheet.org(**row) for row in joined_on(*days)], as_of=date(2022, 2, 22))
    chart = burnup(report)
    assert chart.quiet_days == 0 and chart.pace is not None and chart.pace.days == 7


def test_deadlines_two_days_apart_are_one_label_with_russian_month_names(demo_report):
    labels = list(burnup(demo_report("amur-2022")).deadlines["text"])
    assert labels == ["15 февраля", "9–10 марта", "15 марта"]


def test_a_short_project_s_chart_ends_at_its_last_day_not_a_week_later(demo_report):
    chart = burnup(demo_report("irkutsk-zastupnik-2024"))
    assert chart.domain == (date(2024, 5, 30), date(2024, 6, 7))  # 05.06 and room for its label
    assert chart.ticks[0] == date(2024, 5, 30) and chart.ticks[-1] == date(2024, 6, 5)
    assert len(chart.ticks) == 7  # a tick a day for a week-long project


def test_the_charter_s_chart_runs_to_its_last_deadline_after_the_window(demo_report):
    chart = burnup(demo_report("amur-2022"))
    assert chart.end == date(2022, 3, 15) and chart.as_of == date(2022, 2, 22)
    assert [(goal, text) for goal, text in chart.goals] == [(20.0, "цель: 20"), (10.0, "цель: 10")]
