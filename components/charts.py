"""Altair charts for the pages, with Russian number and date formats and the theme's colours."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Callable

import altair as alt
import pandas as pd
import streamlit as st

from campaign import russian
from campaign.burnup import PAD_DAYS, Burnup, burnup
from campaign.pipeline import Report
from campaign.russian import D3_LOCALE
from campaign.spec import MetricSpec
from components.per_read import per_read
from components.text import CHOOSE

PAD = timedelta(days=PAD_DAYS)
DATE_TOOLTIP = russian.DAY_FORMAT  # «03.06.2024» (d3 reads the format as Python does)
AXIS_DATE = "%-d %B"  # «3 июня»: the locale's months are in the genitive
NUMBER = ",d"  # «1 200»: the locale groups with a non-breaking space

# (light, dark) colours of the burn-up's lines, readable on either background
COLOURS = {
    "fact": ("#2e7d32", "#66bb6a"),
    "goal": ("#c62828", "#ef5350"),
    "deadline": ("#6d4c41", "#bcaaa4"),
    "as_of": ("#1565c0", "#64b5f6"),
}


SESSION_RUNS = "_session_runs"  # counted by components.page_chrome, first thing in every run


def is_dark() -> bool:
    """Whether the page is dark. `st.context.theme` says «light» on a session's first run whatever
    the theme (Streamlit #11920: a dark server drew its maps white and its charts in the light
    palette until a click): until the browser has told, the server's configured theme stands."""
    configured = st.get_option("theme.base") == "dark"
    if st.session_state.get(SESSION_RUNS, 0) <= 1:
        return configured
    try:
        told = st.context.theme.type
    except AttributeError:  # a Streamlit without st.context.theme
        return configured
    return told == "dark" if told in ("dark", "light") else configured


def colour(name: str) -> str:
    return COLOURS[name][1 if is_dark() else 0]


class _ValidatedOnce:
    """Mixed into a chart drawn once per read: altair checked it against the Vega-Lite schema
    when it was drawn, so the `to_dict` Streamlit calls on every rerun skips that (it was half
    of a chart's time)."""

    def to_dict(self, validate: bool = True, **options):
        return super().to_dict(validate=False, **options)


_VALIDATED: dict[type, type] = {}


def _validated_once(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    chart.to_dict()  # checks the chart now: a mistake shows when it is drawn
    kind = type(chart)
    drawn = _VALIDATED.setdefault(kind, type(f"Drawn{kind.__name__}", (_ValidatedOnce, kind), {}))
    object.__setattr__(chart, "__class__", drawn)  # altair's own __setattr__ would keep it as a property
    return chart


@per_read
def drawn_chart(report: Report, draw: Callable, dark: bool, *choices) -> alt.TopLevelMixin:
    """`draw(report, *choices)` with the Russian configuration, drawn once per read, choices
    and theme (`dark`: the colours follow it) for every session."""
    return _validated_once(russian_config(draw(report, *choices)))


def show_chart(report: Report, draw: Callable, *choices) -> None:
    """The chart `draw(report, *choices)` (drawn once per read: `drawn_chart`) across its column."""
    st.altair_chart(drawn_chart(report, draw, is_dark(), *choices), width="stretch")


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
                        # one column: two overflow a phone's narrow chart
                        legend=alt.Legend(orient="bottom", symbolType="stroke", columns=1)),
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
    if not chart.series.empty:  # the cards' figure at the line's end (the caption under the chart
        # says which rows the line leaves out: a note here would be cut on a phone's narrow chart)
        end = chart.series.iloc[[-1]].assign(text=chart.end_figure, note=chart.end_note or "")
        layers.append(alt.Chart(end).mark_text(align="right", baseline="bottom", dx=-8, dy=-8, fontSize=15,
                                               fontWeight="bold").encode(
            x="date:T", y=alt.Y("cumulative:Q", scale=y_scale), text="text:N", color=alt.value(palette["fact"]),
            tooltip=[alt.Tooltip("text:N", title="всего"), alt.Tooltip("note:N", title="на графике")]
            if chart.end_note else alt.Tooltip("text:N", title="всего")))
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
                              "text": [russian.day(chart.as_of)]})
        layers.append(alt.Chart(as_of).mark_rule(strokeWidth=2).encode(
            x="date:T", **legend, tooltip=[alt.Tooltip("text:N", title="по состоянию на")]))
    return alt.layer(*layers).properties(height=height)


def report_days_chart(frame: pd.DataFrame, metric: MetricSpec, height: int = 320) -> alt.LayerChart:
    """A metric's value at the end of each day (campaign/daily.py) and its targets' goals (a
    share target's goal moves with the number of organisations); the tooltip says «37 из 40» and
    which read the day's figure is."""
    unit = metric.unit[2] if metric.unit else ""
    values = frame.drop_duplicates("date")
    goals = frame.dropna(subset=["goal"])
    top = max([float(frame["value"].max()), *(goals["goal"].astype(float).tolist())])
    y_scale = alt.Scale(domain=[0, top * 1.1 + 1], nice=False)
    days = values["date"].dt.date.tolist()
    x = alt.X("date:T", title=None, scale=alt.Scale(domain=[_datetime(days[0]), _datetime(days[-1] + PAD)]),
              axis=alt.Axis(format=AXIS_DATE, labelAngle=0,
                            values=[_datetime(d) for d in days[:: max(1, len(days) // 8)]], labelOverlap=True))
    names = {"fact": "по последнему чтению за день", "goal": "цель"}
    shown = ["fact", "goal"] if not goals.empty else ["fact"]
    legend = dict(
        color=alt.Color("kind:N", title=None, scale=alt.Scale(domain=[names[k] for k in shown],
                                                              range=[colour(k) for k in shown]),
                        legend=alt.Legend(orient="bottom", symbolType="stroke")),
        strokeDash=alt.StrokeDash("kind:N", title=None, scale=alt.Scale(domain=[names[k] for k in shown],
                                                                        range=[[1, 0], [2, 2]][:len(shown)]),
                                  legend=None),
    )
    y = alt.Y("value:Q", title=f"всего, {unit}" if unit else "всего", scale=y_scale,
              axis=alt.Axis(format=NUMBER, tickMinStep=1))
    layers = [alt.Chart(values.assign(kind=names["fact"])).mark_line(point=True, strokeWidth=3).encode(
        x=x, y=y, **legend,
        tooltip=[alt.Tooltip("date:T", title="день", format=DATE_TOOLTIP), alt.Tooltip("value:Q", title="всего",
                                                                                      format=NUMBER),
                 alt.Tooltip("read_at:N", title="последнее чтение дня")])]
    if not goals.empty:
        goal_lines = goals.assign(kind=names["goal"])
        layers.append(alt.Chart(goal_lines).mark_line(strokeWidth=1.5, interpolate="step-after").encode(
            x=x, y=alt.Y("goal:Q", scale=y_scale), detail="target:N", **legend,
            tooltip=[alt.Tooltip("target:N", title="цель"), alt.Tooltip("text:N", title="было")]))
        ends = goal_lines.sort_values("date").groupby("target", as_index=False).last()
        layers.append(alt.Chart(ends).mark_text(align="right", dy=-7, fontSize=12, tooltip=None).encode(
            x="date:T", y=alt.Y("goal:Q", scale=y_scale), text="goal_text:N", color=alt.value(colour("goal"))))
    return alt.layer(*layers).properties(height=height)


def events_by_day_chart(report: Report, metric_id: str, by: str | None) -> alt.Chart:
    """The rows a metric counts, by their date (and by the column `by`, stacked)."""
    metric = report.campaign.metric(metric_id)
    events = report.counted(metric_id)
    grouped = [by] if by else []
    by_day = events.dropna(subset=[metric.date_column]).groupby([metric.date_column, *grouped], observed=True) \
        .size().reset_index(name="n")
    tooltip = [alt.Tooltip(f"{metric.date_column}:T", title="дата", format=DATE_TOOLTIP),
               *(alt.Tooltip(f"{by}:N", title="вид") for _ in grouped),
               alt.Tooltip("n:Q", title="мероприятий", format=NUMBER)]
    return alt.Chart(by_day).mark_bar().encode(
        x=alt.X(f"{metric.date_column}:T", title=None, timeUnit="yearmonthdate",
                axis=alt.Axis(format=AXIS_DATE, labelAngle=0, tickCount="day", labelOverlap=True)),
        y=alt.Y("n:Q", title="мероприятий", axis=alt.Axis(tickMinStep=1, format=NUMBER)),
        color=alt.Color(f"{by}:N", title="Вид") if by else alt.value("#1565c0"),
        tooltip=tooltip,
    ).properties(height=260)


def _report_days_drawing(report: Report, days, metric_id: str) -> alt.LayerChart:
    from campaign.daily import report_days_frame

    campaign = report.campaign
    return report_days_chart(report_days_frame(days.days, campaign, metric_id), campaign.metric(metric_id))


def report_days_panel(report: Report, days, key: str = "report_days_metric") -> None:
    """«По дням отчётов» (service.reads.ReportDays): from the second day of the history on, the
    chosen metric's value at the end of each day; before that, or without a history, why not."""
    from campaign.daily import charted_metrics

    if days.error:
        st.caption(f"История чтений недоступна: {days.error}")
        return
    if len(days.days) < 2:
        first = f" с {russian.day(days.days[0].day)}" if days.days else ""
        st.caption(f"Дашборд помнит чтения таблицы{first}: график по дням появится со второго дня.")
        return
    campaign = report.campaign
    metrics = charted_metrics(campaign)
    if not metrics:
        st.caption("У кампании нет целей, которые можно показать по дням.")
        return
    if st.session_state.get(key) not in metrics:  # another campaign's choice
        st.session_state.pop(key, None)
    metric_id = st.selectbox("Показатель", metrics, key=key, placeholder=CHOOSE,
                             format_func=lambda m: campaign.metric(m).label,
                             label_visibility="collapsed") if len(metrics) > 1 else metrics[0]
    show_chart(report, _report_days_drawing, days, metric_id)
    st.caption(f"Как видел таблицу дашборд в конце каждого дня (время {campaign.region_name_genitive}): "
               "строка, внесённая сегодня задним числом, прибавляется сегодня, а не в день, указанный в ней.")
