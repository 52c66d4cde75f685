"""Altair charts with Russian number and date formats."""

from __future__ import annotations

from datetime import date, timedelta

import altair as alt
import pandas as pd

from campaign import russian
from campaign.russian import D3_LOCALE
from campaign.briefing import projection
from campaign.pipeline import Report

def russian_config(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return chart.configure(locale=D3_LOCALE).configure_axis(labelFontSize=12, titleFontSize=12) \
        .configure_legend(labelFontSize=12, titleFontSize=12, orient="bottom")


def burnup_frame(report: Report, metric_id: str | None = None) -> pd.DataFrame:
    series = report.series[metric_id or report.campaign.headline.id].copy()
    series["kind"] = "факт"
    return series


def burnup_chart(report: Report, metric_id: str | None = None, height: int = 320) -> alt.LayerChart:
    """The headline metric cumulative by day, the target lines, the deadlines and the pace to the end."""
    campaign = report.campaign
    metric_id = metric_id or campaign.headline.id
    metric = campaign.metric(metric_id)
    series = burnup_frame(report, metric_id)
    domain = [pd.Timestamp(campaign.start), pd.Timestamp(max(campaign.end, date(2000, 1, 1)) + timedelta(days=7))]
    x = alt.X("date:T", title=None, scale=alt.Scale(domain=domain),
              axis=alt.Axis(format="%-d %b", labelAngle=0, tickCount="day", labelOverlap=True))
    targets = [t for t in report.targets if t.metric == metric_id and t.goal is not None]
    pace = projection(report, metric_id)
    ends = [float(series["cumulative"].max() or 0), *(t.goal for t in targets)]
    if not pace.empty:
        ends.append(float(pace["cumulative"].max()))
    top = max(ends) * 1.1 + 1
    y_scale = alt.Scale(domain=[0, top])
    unit = metric.unit[2] if metric.unit else ""
    actual = alt.Chart(series).mark_line(point=True, strokeWidth=3, color="#2e7d32").encode(
        x=x,
        y=alt.Y("cumulative:Q", title=f"нарастающим итогом, {unit}", scale=y_scale),
        tooltip=[alt.Tooltip("date:T", title="дата", format="%d.%m.%Y"),
                 alt.Tooltip("value:Q", title="за день", format=",d"),
                 alt.Tooltip("cumulative:Q", title="всего", format=",d")],
    )
    layers: list[alt.Chart] = [actual]
    if not pace.empty:
        layers.append(alt.Chart(pace).mark_line(strokeDash=[6, 4], color="#2e7d32", opacity=0.7).encode(
            x=x, y=alt.Y("cumulative:Q", scale=y_scale),
            tooltip=[alt.Tooltip("cumulative:Q", title="прогноз при нынешнем темпе", format=",.0f")]))
    if targets:
        rules = pd.DataFrame({"value": [t.goal for t in targets],
                              "label": [f"цель: {russian.number(t.goal)}" for t in targets]})
        layers.append(alt.Chart(rules).mark_rule(color="#c62828", strokeDash=[2, 2]).encode(y="value:Q"))
        layers.append(alt.Chart(rules).mark_text(align="left", dx=4, dy=-7, color="#c62828", fontSize=12).encode(
            x=alt.value(4), y="value:Q", text="label:N"))
    deadlines = pd.DataFrame({
        "date": pd.to_datetime([d.date for d in report.deadlines]),
        "label": [russian.day(d.date)[:5] for d in report.deadlines],
        "what": [d.what for d in report.deadlines],
    }).drop_duplicates("date")
    if not deadlines.empty:
        layers.append(alt.Chart(deadlines).mark_rule(color="#6d4c41", strokeDash=[4, 3]).encode(
            x="date:T", tooltip=[alt.Tooltip("date:T", title="срок", format="%d.%m.%Y"),
                                 alt.Tooltip("what:N", title="что сдаётся")]))
        layers.append(alt.Chart(deadlines).mark_text(angle=270, align="left", dx=-4, dy=-6, fontSize=11,
                                                     color="#6d4c41").encode(
            x="date:T", y=alt.value(0), text="label:N"))
    as_of = pd.DataFrame({"date": [pd.Timestamp(report.as_of)]})
    if campaign.start <= report.as_of <= campaign.end + timedelta(days=7):
        layers.append(alt.Chart(as_of).mark_rule(color="#1565c0", strokeWidth=2).encode(x="date:T"))
    return alt.layer(*layers).properties(height=height)
