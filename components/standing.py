"""The first screen's answers: the next deadline, who lags, what changed since yesterday."""

from __future__ import annotations

import streamlit as st

from campaign import russian
from campaign.changes import change_line, lost_headline, signed
from campaign.lagging import deadlines_due_together, laggards, passed_deadlines, pending
from campaign.pipeline import Report
from components.text import literal, only_app_links, page_link_markdown
from service.reads import Hindsight

SILENT_SHOWN = 6  # names of silent municipalities listed on the first screen; the rest are counted


def next_deadline_panel(report: Report) -> None:
    """The next deadline with its countdown, what is due, from whom to whom; the past ones in a line."""
    due = deadlines_due_together(report)
    lines = ["**Ближайший срок**"]
    if not due:
        lines.append("Все сроки прошли.")
    else:
        first = due[0]
        colour = "red" if first.days_left <= 3 else "blue"
        lines.append(f":{colour}[**{russian.day(first.date)}** — {russian.days_left(first.days_left)}]")
        for deadline in due:
            lines.append(f"{literal(deadline.what)}  \n:gray[{literal(deadline.sender)} → "
                         f"{literal(deadline.recipient)}]")
    passed = passed_deadlines(report)
    if passed:
        days = sorted({d.date for d in passed})
        lines.append(f":gray[Прошли: {', '.join(russian.day_month(day) for day in days)} "
                     f"({russian.count(len(passed), ('срок', 'срока', 'сроков'))})]")
    st.markdown("  \n".join(lines))


def laggards_panel(report: Report, limit: int = 4, *, letter: bool = True) -> None:
    """Silent municipalities first (as one line), then those furthest behind their target, each
    with what it still owes, linked to its rows and its «Проверка данных»; `letter`: the link to
    the ministry's reminder letter (not for a coordinator, who would receive it)."""
    ranked = laggards(report, limit=None)
    silent = [m for m in ranked if m.silent]
    behind = [m for m in ranked if not m.silent][:limit]
    lines = ["**Кто отстаёт**"]
    if silent:
        names = ", ".join(literal(m.name) for m in silent[:SILENT_SHOWN])
        more = f" и ещё {russian.number(len(silent) - SILENT_SHOWN)}" if len(silent) > SILENT_SHOWN else ""
        lines.append(f":red[Ничего не прислали: {russian.out_of(len(silent), len(report.registry))}] — "
                     f"{names}{more}.")
    if not ranked:
        lines.append(":green[Все муниципалитеты выполнили свои цели.]")
    campaign = report.campaign.id
    for place, laggard in enumerate(behind, start=1):
        rows = page_link_markdown(laggard.name, "/municipalities", mo=laggard.uid, campaign=campaign)
        check = "проверка данных" + (f": {russian.count(laggard.errors, russian.ERROR_FORMS)}"
                                     if laggard.errors else "")
        problems = page_link_markdown(check, "/problems", mo=laggard.uid, campaign=campaign)
        lines.append(f"{place}\\. {rows} — {literal('; '.join(laggard.owes))} · {problems}")
    if ranked and letter:
        reports = page_link_markdown("«Отчёты и формы»", "/reports", campaign=campaign)
        lines.append(f":gray[Письмо с напоминанием: {reports}]")
    st.markdown(only_app_links("  \n".join(lines)), unsafe_allow_html=True)  # one block: no gaps between lines


def change_panel(report: Report, hindsight: Hindsight, *, admin: bool) -> None:
    """The change since yesterday in a line, what does not count yet, and the rows that
    disappeared from the sheet (for administrators, a link to them)."""
    lines = ["**Что изменилось**"]
    yesterday = hindsight.yesterday
    if yesterday is not None and yesterday.since is not None:
        since = yesterday.since.astimezone(_zone(report))
        lines.append(f"За сутки: {change_line(report, yesterday)}  \n:gray[с чтения {russian.moment(since)}, "
                     "последнего за прошлый день]")
    elif hindsight.previous is not None:
        lines.append(f"С прошлого чтения: {change_line(report, hindsight.previous)}")
    elif hindsight.error:
        lines.append(f":gray[История чтений недоступна: {literal(hindsight.error)}]")
    else:
        lines.append(":gray[Сравнивать пока не с чем: это первое чтение таблицы.]")
    for item in pending(report):
        lines.append(f"Ещё не учтены: «{literal(item.value)}» — {russian.number(item.rows)}")
    if hindsight.lost and not admin:
        lines.append(f":orange[{lost_headline(hindsight.lost, report.campaign.timezone)}] — см. «Проверка данных»")
    st.markdown("  \n".join(lines))
    if hindsight.lost and admin:
        st.page_link("pages/problems.py", label=f"{lost_headline(hindsight.lost, report.campaign.timezone)}: "
                     "какие и где", icon=":material/warning:", query_params={"lost": "1"})


def _zone(report: Report):
    from zoneinfo import ZoneInfo

    return ZoneInfo(report.campaign.timezone)


def changes_section(report: Report, hindsight: Hindsight) -> None:
    """«Что изменилось»: since the last read of the previous day, by target and by municipality."""
    change = hindsight.yesterday or hindsight.previous
    st.subheader("Что изменилось")
    if change is None or change.since is None:
        st.caption("Сравнивать пока не с чем: история чтений начинается с этого чтения.")
        return
    since = russian.moment(change.since.astimezone(_zone(report)))
    which = "последнего чтения прошлого дня" if hindsight.yesterday is not None else "прошлого чтения"
    st.caption(f"С {which} ({since}) до этого.")
    if change.empty:
        st.write("Без изменений.")
        return
    # one line per metric: two targets of one metric («не менее 20», «не менее 10») moved together
    moved = {t.metric: t for t in change.targets if t.delta}
    if moved:
        st.markdown("  \n".join(f"{literal(report.campaign.metric(metric).label)}: {russian.number(t.before)} → "
                                f"**{russian.number(t.now)}** ({signed(int(t.delta))})" for metric, t in moved.items()))
    import pandas as pd

    from components.tables import show

    metrics = report.campaign.summary_metrics
    rows = []
    for item in change.municipalities:
        row = {"Муниципалитет": item.name}
        for metric in metrics:
            delta = item.deltas.get(metric.id, 0)
            row[metric.heading] = signed(delta) if delta else ""
        row["Исправлено проблем"] = item.fixed
        row["Новых проблем"] = item.new
        rows.append(row)
    if rows:
        show(pd.DataFrame(rows))
