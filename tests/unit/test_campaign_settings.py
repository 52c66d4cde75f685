"""Which campaigns the dashboard offers, and each one's source and «as of» (data_sources.config)."""

from __future__ import annotations

from datetime import date

from data_sources.config import DEMO_DIR, configured_campaigns, load_settings

SEVERAL = {"campaigns": {
    "amur-2022": {"source": "https://docs.google.com/spreadsheets/d/AMUR/edit", "as_of": "2022-03-01"},
    "primorye-2022": {"source": "data/demo/primorye-2022.xlsx"},
}}


def test_with_nothing_configured_every_bundled_demo_is_offered_the_default_first():
    assert configured_campaigns({}, {}) == ["amur-2022", "irkutsk-zastupnik-2024", "primorye-2022",
                                            "moyakhartiya-2022-rf"]  # the federal demo: the whole country


def test_each_demo_keeps_its_own_date():
    assert load_settings({}, {}).as_of == date(2022, 2, 22)
    zastupnik = load_settings({}, {}, "irkutsk-zastupnik-2024")
    assert zastupnik.as_of == date(2024, 6, 3) and zastupnik.is_demo
    assert zastupnik.source == str(DEMO_DIR / "irkutsk-zastupnik-2024.xlsx")


def test_campaign_id_in_the_environment_offers_that_campaign_alone():
    assert configured_campaigns({"CAMPAIGN_ID": "primorye-2022"}, SEVERAL) == ["primorye-2022"]


def test_campaign_tables_in_secrets_give_each_campaign_its_own_source():
    assert configured_campaigns({}, SEVERAL) == ["amur-2022", "primorye-2022"]
    amur = load_settings({}, SEVERAL, "amur-2022")
    assert (amur.source_kind, amur.as_of, amur.is_demo) == ("link", date(2022, 3, 1), False)
    primorye = load_settings({}, SEVERAL, "primorye-2022")
    assert (primorye.source_kind, primorye.as_of) == ("file", None)
    assert load_settings({}, SEVERAL).campaign_id == "amur-2022"  # the first is the default


def test_the_single_campaign_table_still_works():
    secrets = {"campaign": {"id": "primorye-2022", "source": "x.xlsx"}}
    assert configured_campaigns({}, secrets) == ["primorye-2022"]
    assert load_settings({}, secrets).source == "x.xlsx"


def test_the_environment_source_belongs_to_the_environment_campaign_only():
    env = {"CAMPAIGN_ID": "primorye-2022", "CAMPAIGN_SOURCE": "sheet.xlsx"}
    assert load_settings(env, {}).source == "sheet.xlsx"
    other = load_settings(env, {}, "amur-2022")
    assert other.is_demo and other.source.endswith("amur-2022.xlsx")


def test_the_google_reads_a_minute_are_a_whole_number_of_at_least_two():
    import pytest

    from campaign.workbook import SourceError
    from data_sources.config import google_reads_per_minute, load_settings

    assert google_reads_per_minute({}) is None and google_reads_per_minute({"google": {"reads_per_minute": 40}}) == 40
    with pytest.raises(SourceError, match=r"\[google\] reads_per_minute"):
        load_settings({}, {"google": {"reads_per_minute": "много"}}, "amur-2022")


def test_the_dashboards_address_is_read_alike_by_the_app_and_the_command_line(monkeypatch):
    """CAMPAIGN_APP_URL, else [app] url: one rule (data_sources.config.app_url) for the links in
    letters, whether the app or `remind` writes them; before, the app did not honour the variable."""
    from components.reminders import dashboard_url
    from data_sources.config import app_url

    assert app_url(env={}, secrets={"app": {"url": "https://dash.example.ru/"}}) == "https://dash.example.ru"
    assert app_url(env={"CAMPAIGN_APP_URL": "https://env.example.ru"},
                   secrets={"app": {"url": "https://dash.example.ru"}}) == "https://env.example.ru"
    assert app_url(env={}, secrets={}) == "" and app_url(env={}, secrets={"app": "x"}) == ""
    monkeypatch.setenv("CAMPAIGN_APP_URL", "https://дашборд.example.ru/amur/")
    assert dashboard_url() == "https://дашборд.example.ru/amur"
