"""The demos' figures every other test asserts (tests/demo_figures.py) agree with an independent
recount of the workbooks, and with what the pipeline reports."""

from __future__ import annotations

from campaign.pipeline import run
from campaign.spec import load_campaign
from data_sources.local_file import LocalFileSource
from tests.demo_figures import (
    AMUR_EVENTS,
    AMUR_JOINED,
    AMUR_MUNICIPALITIES,
    AMUR_REACH,
    AMUR_SILENT,
    BLAGOVESHCHENSK,
    ZASTUPNIK,
    ZASTUPNIK_MUNICIPALITIES,
    ZASTUPNIK_SILENT,
    ZASTUPNIK_XLSX,
    independent_amur_counts,
    independent_zastupnik_counts,
)


def test_the_amur_figures_agree_with_an_independent_count_of_the_workbook():
    counts = independent_amur_counts()
    assert sum(counts["joined"].values()) == AMUR_JOINED
    assert counts["joined"][None] == 1  # row 27, the unknown municipality
    assert counts["events"] == AMUR_EVENTS
    assert sum(counts["reach_by_mo"].values()) == AMUR_REACH
    city = "г. Благовещенск"
    assert counts["joined"][city] == BLAGOVESHCHENSK["organisations_joined"]
    assert counts["applied"][city] == BLAGOVESHCHENSK["organisations_applied"]
    assert counts["events_by_mo"][city] == BLAGOVESHCHENSK["events_total"]
    assert counts["reach_by_mo"][city] == BLAGOVESHCHENSK["reach"]
    assert counts["entries"][city] == BLAGOVESHCHENSK["contest_entries"]
    assert counts["winners"][city] == BLAGOVESHCHENSK["contest_winners"]
    assert counts["quotas"]["городской округ город Благовещенск"] == BLAGOVESHCHENSK["quota"]
    assert counts["municipalities"] == AMUR_MUNICIPALITIES
    assert counts["silent"] == len(AMUR_SILENT)


def test_the_zastupnik_figures_agree_with_an_independent_count_of_the_workbook():
    counts = independent_zastupnik_counts()
    assert {metric: counts[metric] for metric in ZASTUPNIK} == ZASTUPNIK
    assert counts["municipalities"] == ZASTUPNIK_MUNICIPALITIES
    assert counts["silent"] == ZASTUPNIK_SILENT


def test_the_pipeline_reports_the_zastupnik_figures():
    campaign = load_campaign("irkutsk-zastupnik-2024")
    report = run(LocalFileSource(ZASTUPNIK_XLSX).read().tabs, campaign, as_of=campaign.demo_as_of)
    assert {metric: report.metrics[metric] for metric in ZASTUPNIK} == ZASTUPNIK
    table = report.municipalities
    assert len(table) == ZASTUPNIK_MUNICIPALITIES
    assert int((table["organisations_total"] == 0).sum()) == ZASTUPNIK_SILENT
