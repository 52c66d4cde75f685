"""The report of a read is one object for every session: no page changes it, and what pages draw
of it (the maps' decks) is drawn once for all sessions (components/per_read.py)."""

from __future__ import annotations

import gc

import pandas as pd
from streamlit.testing.v1 import AppTest

from components.page_list import NAMES
from tests.integration.conftest import REPO

PAGES = list(NAMES)


def fingerprint(report) -> dict:
    """Everything a page could change in a report, as hashes."""
    def of(frame):
        frame = frame.to_frame() if isinstance(frame, pd.Series) else frame
        return tuple(map(str, frame.columns)), frame.shape, int(pd.util.hash_pandas_object(frame, index=True).sum())

    return {
        "tabs": {k: of(t.frame) for k, t in report.tabs.items()},
        "masks": {k: of(m) for k, m in report.masks.items()},
        "series": {k: (of(s), dict(s.attrs)) for k, s in report.series.items()},
        "municipalities": of(report.municipalities),
        "problems": of(report.problems),
        "metrics": dict(report.metrics),
        "breakdowns": {k: dict(v) for k, v in report.breakdowns.items()},
        "targets": repr(report.targets),
        "deadlines": repr(report.deadlines),
        "unassigned": dict(report.unassigned),
    }


def shared_report():
    from components.data import current_settings, reads

    return reads().current(current_settings("amur-2022")).report


def session(page: str, **query) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    for name, value in query.items():
        at.query_params[name] = value
    if page != "summary":
        at.switch_page(f"pages/{page}.py")
    return at.run()


def test_no_page_changes_the_shared_report(new_app):
    new_app().run()
    report = shared_report()
    before = fingerprint(report)
    for page in PAGES:
        at = session(page)
        assert not at.exception, page
    at = session("summary")
    at.selectbox(key="summary_map_measure").set_value("count").run()  # the map coloured another way
    assert not at.exception
    session("municipalities", mo="RU-AMU:благовещенск:go")
    session("problems", mo="RU-AMU:благовещенск:go")
    assert shared_report() is report
    assert fingerprint(report) == before


def test_a_map_is_drawn_once_for_every_session(new_app, monkeypatch):
    import components.map as maps
    from components import per_read

    drawn = []
    real = maps.map_features

    def counting(*args, **kwargs):
        drawn.append(kwargs.get("selected"))
        return real(*args, **kwargs)

    monkeypatch.setattr(maps, "map_features", counting)
    new_app().run()
    first = len(drawn)
    for _ in range(3):  # three more sessions, and a rerun each
        at = new_app().run()
        at.run()
        assert not at.exception
    assert len(drawn) == first  # the same deck, drawn by the first session
    report = shared_report()
    kept = per_read.drawings()
    assert kept >= 1
    del report, at  # a session holds its run's report until its next run
    from components.data import reads

    reads().forget()  # the read is let go (as when the next read replaces it): so are its drawings
    gc.collect()
    assert per_read.drawings() < kept


def test_the_shared_report_refuses_any_change(new_app):
    """What every session is shown cannot be changed by one page by accident: the report the
    read service shares is frozen (campaign/frozen.py; every kind of change: tests/unit/test_frozen.py)."""
    import pytest

    from campaign.frozen import SharedReportError

    new_app().run()
    report = shared_report()
    first = report.municipalities.index[0]
    with pytest.raises(SharedReportError):
        report.municipalities.loc[first, "errors"] = 99
    with pytest.raises(SharedReportError):
        report.municipalities["extra"] = 1
    mask = report.masks["organisations_joined"]
    with pytest.raises(SharedReportError):
        mask.iloc[0] = not mask.iloc[0]
    frame = report.tabs["organisations"].frame
    with pytest.raises(SharedReportError):
        frame.drop(columns="_row", inplace=True)
    with pytest.raises(ValueError, match="read-only"):
        frame["_row"].to_numpy()[0] = 0
    with pytest.raises(TypeError):
        report.metrics["organisations_joined"] = 0
    copy = report.municipalities.copy()  # a page's own copy is its own
    copy.loc[first, "errors"] = 99
    assert copy.loc[first, "errors"] == 99 and report.municipalities.loc[first, "errors"] < 99
