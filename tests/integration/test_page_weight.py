"""What a page sends to the browser stays small whatever the page: the maps' boundaries drawn for
the screen and serialized compactly, long listings a page at a time (issue: «Регионы» sent
5.6 MB, «Сводка» 624 KB of which 593 KB was the map's indented JSON)."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.integration.conftest import REPO, clear_campaign_settings

BUDGET = 300 * 1024  # bytes of a page's messages
PAGES = ["summary", "municipalities", "events", "problems", "reports", "regions", "briefing"]
CAMPAIGNS = ["amur-2022", "primorye-2022", "irkutsk-zastupnik-2024", "moyakhartiya-2022-rf@08"]


def deck_specs(at: AppTest) -> list[str]:
    return [element.proto.json for element in at.get("deck_gl_json_chart")]


@pytest.mark.parametrize("campaign", CAMPAIGNS)
def test_every_page_of_every_demo_sends_at_most_300_kb(campaign, sent, monkeypatch):
    clear_campaign_settings(monkeypatch)
    weights = {}
    for page in PAGES:
        if page == "regions" and campaign.startswith("irkutsk"):
            continue  # one region of its campaign: no federal view
        if page == "events" and campaign.startswith("irkutsk"):
            continue  # no events in this campaign
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
        at.query_params["campaign"] = campaign
        if page != "summary":
            at.switch_page(f"pages/{page}.py")
        at.run()
        assert not at.exception, (page, at.exception)
        weights[page] = sent[-1]
        for spec in deck_specs(at):  # compact JSON, Cyrillic as it is
            assert "\n" not in spec and "\\u04" not in spec
            json.loads(spec)
    assert max(weights.values()) <= BUDGET, weights
    assert weights["summary"] > 20 * 1024  # the count is of the real messages (the map is in them)
