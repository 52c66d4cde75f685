"""Altair charts for the pages, with Russian number and date formats and the theme's colours."""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from campaign.burnup import Burnup, burnup
from campaign.pipeline import Report
from campaign.russian import D3_LOCALE

DATE_TOOLTIP = "%d.%m.%Y"  # «03.06.2024»
AXIS_DATE = "%-d %B"  # «3 июня»: the locale's months are in the genitive
NUMBER = ",d"  # «1 200»: the locale groups with a non-breaking space

# (light, dark) colours of the burn-up's lines, readable on either background
COLOURS = {
    "fact": ("#2e7d32", "#66bb6a"),
    "goal": ("#c62828", "#ef5350"),
    "deadline": ("#6d4c41", "#bcaaa4"),
    "as_of": ("#1565c0", "#64b5f6"),
}


def is_dark() -> bool:
    try:
        return st.context.theme.type == "dark"
    except AttributeError:  # a Streamlit without st.context.theme
        return False


def colour(name: str) -> str:
    return COLOURS[name][1 if is_dark() else 0]


def russian_config(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return chart.configure(locale=D3_LOCALE).configure_axis(labelFontSize=12, titleFontSize=12) \
        .configure_legend(labelFontSize=12, titleFontSize=12, orient="bottom", labelLimit=0)


def _datetime(value: date) -> alt.DateTime:
    return alt.DateTime(year=value.year, month=value.month, date=value.day)


def date_axis(chart: Burnup) -> alt.X:
    start, end = chart.domain
    return alt.X("date:T", title=None, scale=alt.Scale(domain=[_datetime(start), _datetime(end)]),
                 axis=alt.Axis(format=AXIS_DATE, labelAngle=0, values=[_datetime(t) for t in chart.ticks],
                               labelOverlap=True))


def burnup_chart(report: Report, metric_id: str | None = None, height: int = 320) -> alt.LayerChart:
    """The metric cumulative by day, its targets, the deadlines, the «as of» day and the
    projection at the recent pace; every line named in the legend, every tooltip in Russian."""
    chart = burnup(report, metric_id)
    unit = chart.metric.unit[2] if chart.metric.unit else ""
    x = date_axis(chart)
    y_scale = alt.Scale(domain=[0, chart.top * 1.1 + 1], nice=False)
    y = alt.Y("cumulative:Q", title=f"нарастающим итогом, {unit}" if unit else "нарастающим итогом",
              scale=y_scale, axis=alt.Axis(format=NUMBER, tickMinStep=1))
    names = {"fact": "факт по датам в таблице", "goal": "цель", "deadline": "срок отчёта",
             "as_of": "дата сводки"}
    if chart.pace is not None:
        names["pace"] = chart.pace.description
    palette = {**{key: colour(key) for key in COLOURS}, "pace": colour("fact")}
    dashes = {"fact": [1, 0], "goal": [2, 2], "deadline": [4, 3], "as_of": [1, 0], "pace": [6, 4]}
    shown = [key for key in names if key != "as_of" or chart.as_of is not None]
    legend = dict(
        color=alt.Color("kind:N", title=None, scale=alt.Scale(domain=[names[k] for k in shown],
                                                              range=[palette[k] for k in shown]),
                        legend=alt.Legend(orient="bottom", symbolType="stroke", columns=2)),
        strokeDash=alt.StrokeDash("kind:N", title=None, scale=alt.Scale(domain=[names[k] for k in shown],
                                                                        range=[dashes[k] for k in shown]),
                                  legend=None),
    )
    series = chart.series.assign(kind=names["fact"])
    layers: list[alt.Chart] = [
        alt.Chart(series).mark_line(point=True, strokeWidth=3).encode(
            x=x, y=y, **legend,
            tooltip=[alt.Tooltip("date:T", title="дата", format=DATE_TOOLTIP),
                     alt.Tooltip("value:Q", title="за день", format=NUMBER),
                     alt.Tooltip("cumulative:Q", title="всего", format=NUMBER)]),
    ]
    if chart.pace is not None:
        pace = chart.pace.line.assign(kind=names["pace"])
        layers.append(alt.Chart(pace).mark_line(strokeWidth=2, opacity=0.8).encode(
            x=x, y=alt.Y("cumulative:Q", scale=y_scale), **legend,
            tooltip=[alt.Tooltip("date:T", title="дата", format=DATE_TOOLTIP),
                     alt.Tooltip("cumulative:Q", title="прогноз", format=NUMBER)]))
    if chart.goals:
        goals = pd.DataFrame({"value": [g for g, _ in chart.goals], "label": [t for _, t in chart.goals],
                              "kind": names["goal"]})
        layers.append(alt.Chart(goals).mark_rule(strokeWidth=1.5).encode(
            y=alt.Y("value:Q", scale=y_scale), **legend,
            tooltip=[alt.Tooltip("label:N", title="цель")]))
        layers.append(alt.Chart(goals).mark_text(align="left", dx=4, dy=-7, fontSize=12, tooltip=None).encode(
            x=alt.value(4), y=alt.Y("value:Q", scale=y_scale), text="label:N",
            color=alt.value(palette["goal"])))
    if not chart.deadlines.empty:
        deadlines = chart.deadlines.assign(kind=names["deadline"])
        layers.append(alt.Chart(deadlines).mark_rule(strokeWidth=1.5).encode(
            x="date:T", **legend,
            tooltip=[alt.Tooltip("text:N", title="срок"), alt.Tooltip("what:N", title="что сдаётся")]))
        layers.append(alt.Chart(deadlines).mark_text(angle=270, align="left", dx=-4, dy=-6, fontSize=11,
                                                     tooltip=None).encode(
            x="date:T", y=alt.value(0), text="text:N", color=alt.value(palette["deadline"])))
    if chart.as_of is not None:
        as_of = pd.DataFrame({"date": [pd.Timestamp(chart.as_of)], "kind": [names["as_of"]],
                              "text": [chart.as_of.strftime("%d.%m.%Y")]})
        layers.append(alt.Chart(as_of).mark_rule(strokeWidth=2).encode(
            x="date:T", **legend, tooltip=[alt.Tooltip("text:N", title="по состоянию на")]))
    return alt.layer(*layers).properties(height=height)
