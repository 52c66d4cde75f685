"""The report as plain data (the CLI's JSON) and as text for a terminal."""

from __future__ import annotations

import math
import re
import string
from collections import defaultdict

from campaign import russian
from campaign.pipeline import Report
from campaign.problem_codes import SEVERITY_LABELS

# control characters (an ANSI escape clears a terminal or fakes text) never reach it from a cell
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    """Text for a terminal: control characters shown as «�», not obeyed."""
    return _CONTROL.sub("\ufffd", text)


def _plain(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def report_to_dict(report: Report) -> dict:
    campaign = report.campaign
    table = report.municipalities
    metric_ids = [m.id for m in campaign.metrics]
    municipalities = []
    for row in table.to_dict("records"):
        item = {"uid": row["uid"], "name": row["name"], "kind": row["kind"]}
        for metric_id in metric_ids:
            item[metric_id] = int(row[metric_id])
        for breakdown in campaign.breakdowns:
            prefix = f"{breakdown.id}:"
            item[breakdown.id] = {k[len(prefix):]: int(v) for k, v in row.items() if k.startswith(prefix)}
        if "quota" in row:
            quota = row["quota"]
            item["quota"] = None if quota is None or quota != quota else int(quota)
        item["problems"] = {"errors": int(row["errors"]), "warnings": int(row["warnings"])}
        municipalities.append(item)

    data = {
        "campaign": {"id": campaign.id, "title": campaign.title, "region": campaign.region_name,
                     "region_iso": campaign.subject.iso, "region_code": campaign.region_code,
                     "start": campaign.start.isoformat(), "end": campaign.end.isoformat()},
        "as_of": report.as_of.isoformat(),
        "source": None if report.source is None else {"kind": report.source.kind, "label": report.source.label},
        "read_at": report.read_at.isoformat(timespec="seconds") if report.read_at else None,
        "metrics": dict(report.metrics),
    }
    for metric_id, value in report.metrics.items():
        data[metric_id] = value
    for breakdown_id, counts in report.breakdowns.items():
        data[breakdown_id] = counts
    data["not_assigned_to_municipality"] = {k: v for k, v in report.unassigned.items() if v}
    data["targets"] = [
        {"id": t.id, "label": t.label, "metric": t.metric, "value": _plain(t.value), "min": _plain(t.min),
         "max": _plain(t.max), "met": t.met, "remaining": _plain(t.remaining), "source": t.source,
         **({"share_of": campaign.targets[i].share_of, "base": _plain(t.base), "share": t.share}
            if t.is_share else {})}
        for i, t in enumerate(report.targets)
    ]
    data["deadlines"] = [
        {"date": d.date.isoformat(), "what": d.what, "from": d.sender, "to": d.recipient,
         "days_left": d.days_left} for d in report.deadlines
    ]
    data["municipalities"] = municipalities
    data["series"] = {
        metric_id: [{"date": d.date().isoformat(), "value": int(v), "cumulative": int(c)}
                    for d, v, c in zip(frame["date"], frame["value"], frame["cumulative"])]
        for metric_id, frame in report.series.items()
    }
    data["problems"] = [
        {**({"file": p["file"]} if p["file"] else {}),
         "tab": p["tab"], "row": int(p["row"]) or None, "column": p["column"], "code": p["code"],
         "severity": p["severity"], "message": p["message"], "fix": p["fix"],
         "municipality": p["municipality"]}
        for p in report.problems.to_dict("records")
    ]
    data["problem_counts"] = {"errors": report.errors, "warnings": report.warnings}
    return data


def summary_text(report: Report) -> str:
    campaign = report.campaign
    lines = [
        f"{campaign.title} — {campaign.region_name}",
        f"Сроки {campaign.of_what}: {russian.day(campaign.start)}–{russian.day(campaign.end)}; "
        f"данные на {russian.day(report.as_of)}",
        "",
        "Цели:",
    ]
    for target in report.targets:
        mark = "выполнено" if target.met else f"не выполнено, осталось {russian.number(target.remaining)}"
        lines.append(f"  {target.label}: {target_figure(target)} — {mark}")
    lines.append("")
    for metric in campaign.metrics:
        value = report.metrics[metric.id]
        text = russian.count(value, metric.unit) if metric.unit else russian.number(value)
        lines.append(f"  {metric.label}: {text}")
    if report.deadlines:
        lines += ["", "Сроки:"]
        for deadline in report.deadlines:
            lines.append(f"  {russian.day(deadline.date)} ({russian.days_left(deadline.days_left)}): "
                         f"{deadline.what} — {deadline.sender} → {deadline.recipient}")
    silent = report.silent_municipalities()
    if silent:
        lines += ["", f"Нет ни одной строки ({len(silent)}): " + ", ".join(silent)]
    lines += ["", problems_headline(report)]
    return terminal_safe("\n".join(lines))


class _SummaryFormatter(string.Formatter):
    """{metric} is «7 организаций»; {metric:n} is «7»; bold for Markdown when asked."""

    def __init__(self, report: Report, bold: bool) -> None:
        self.report, self.mark = report, "**" if bold else ""

    def format_field(self, metric_id: str, spec: str) -> str:
        metric = self.report.campaign.metric(metric_id)
        value = self.report.metrics[metric_id]
        text = russian.count(value, metric.unit) if metric.unit and spec != "n" else russian.number(value)
        return f"{self.mark}{text}{self.mark}"

    def get_value(self, key, args, kwargs):
        return key


def summary_sentence(report: Report, bold: bool = False) -> str:
    """The line under the target cards: the file's `summary_text`, or its summary metrics."""
    dashboard = report.campaign.dashboard
    template = dashboard.summary_text if dashboard and dashboard.summary_text else "; ".join(
        f"{m.label}: {{{m.id}}}" for m in report.campaign.summary_metrics) + "."
    return _SummaryFormatter(report, bold).format(template)


def target_figure(target) -> str:
    """«7» for a count; «119 из 165 (72 %)» for a share of all."""
    return russian.out_of(target.value, target.base, with_share=True)


def remaining_text(target, unit: tuple[str, str, str] | None) -> str:
    """What is still missing: «ещё 7 организаций»; for a share of nothing, that nothing is listed."""
    if target.is_share and not target.base:
        return "в таблице пока нет ни одной строки"
    return "ещё " + (russian.count(target.remaining, unit) if unit else russian.number(target.remaining))


def problems_headline(report: Report) -> str:
    errors = russian.count(report.errors, russian.ERROR_FORMS)
    warnings = russian.count(report.warnings, russian.WARNING_FORMS)
    return f"Проблемы в таблице: {errors}, {warnings}"


def problems_text(report: Report) -> str:
    """Problems grouped by municipality, then tab and row."""
    if report.problems.empty:
        return "Проблем не найдено."
    groups: dict[str, list[dict]] = defaultdict(list)
    for problem in report.problems.to_dict("records"):
        groups[problem["municipality"]].append(problem)
    lines = [problems_headline(report), ""]
    for municipality, items in groups.items():
        lines.append(f"{municipality} ({len(items)}):")
        for p in items:
            where = (f"файл «{p['file']}», " if p["file"] else "") + f"лист «{p['tab']}»"
            where += f", строка {p['row']}" if p["row"] else ""
            where += f", столбец «{p['column']}»" if p["column"] else ""
            lines.append(f"  [{SEVERITY_LABELS[p['severity']]}] {where}: {p['message']}")
            lines.append(f"      Как исправить: {p['fix']}")
        lines.append("")
    return terminal_safe("\n".join(lines).rstrip()) + "\n"


def changes_to_dict(change) -> dict | None:
    """`summary --json`'s «changes»: against the last read of the previous day (campaign.changes.Changes)."""
    if change is None:
        return None
    return {
        "since": change.since.isoformat(timespec="seconds") if change.since else None,
        "targets": [{"id": t.id, "before": _plain(t.before), "now": _plain(t.now), "delta": _plain(t.delta)}
                    for t in change.targets],
        "municipalities": [{"uid": m.uid, **{f"{metric}_delta": delta for metric, delta in m.deltas.items()},
                            "problems_fixed": m.fixed, "problems_new": m.new} for m in change.municipalities],
        "problems_fixed": change.fixed,
        "problems_new": change.new,
    }


def lost_rows_to_list(lost) -> list[dict]:
    """`summary --json`'s «lost_rows» (no cells: they may hold personal data)."""
    return [{"tab": row.tab, "row": row.row, "municipality": row.municipality,
             "last_seen": row.last_seen.isoformat(timespec="seconds")} for row in lost]
