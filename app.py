"""Entry point: page setup, the campaign picker, the shared sidebar and navigation. Run: streamlit run app.py"""

from pathlib import Path

import streamlit as st

from campaign.federal import federal_campaign
from components.data import background_reads, begin_run, load
from components.page_chrome import page_chrome
from components.page_list import DEFAULT, NAMES, PAGES
from components.regions import family_campaigns
from components.screen import is_wall_screen, wall_screen
from components.sidebar import campaign_picker, federal_sidebar, sidebar

FAVICON = Path(__file__).resolve().parent / "assets" / "favicon.png"

# the icon is a file of ours: a Material icon would be fetched from fonts.gstatic.com on every load
st.set_page_config(page_title="Ход акции", page_icon=str(FAVICON), layout="wide")
page_chrome()  # the page's CSS, Streamlit's own words in Russian
begin_run()  # the pages of this run share its loads
background_reads()  # started once for the server

campaign = campaign_picker()
country = federal_campaign(campaign)
whole_country = country is not None and country.id == campaign  # the federal view: its regions only
loaded = None if whole_country else load(campaign)
spec = loaded.report.campaign if loaded and loaded.report else None
hidden = set()  # pages this campaign has not: out of the menu, but a link to one opens it in Russian
if spec is not None and (spec.dashboard is None or spec.dashboard.events is None):
    hidden.add("events")  # a campaign without events (the file has no [dashboard.events])
if len(family_campaigns(campaign)) < 2:
    hidden.add("regions")  # the federal view needs several regions of one campaign
# The whole country of a federal campaign lands on «Регионы» (at /regions, as a bookmark keeps it);
# a region's pages are there, hidden, for the links that open them with the region's campaign.


def visibility(url_path: str) -> str:
    return "hidden" if (whole_country and url_path != "regions") or url_path in hidden else "visible"


pages = [st.Page(entry.path, title=entry.title, icon=entry.icon, url_path=entry.url_path or None,
                 default=entry is DEFAULT, visibility=visibility(entry.url_path)) for entry in PAGES]
regions_page = pages[NAMES.index("regions")]
navigation = st.navigation(pages)
if whole_country and navigation.url_path != regions_page.url_path:
    # a region's page needs a region: the whole country is seen on «Регионы» (the URL's choices kept)
    st.switch_page(regions_page, query_params=st.query_params.to_dict())
if st.query_params.get("briefing") == "1" and navigation.url_path != "briefing":
    st.switch_page(pages[NAMES.index("briefing")])  # «?briefing=1» on any page opens the one-screen briefing
if is_wall_screen():  # a situation centre's wall: «Сводка» and «Регионы» in turn, no sidebar
    wall_screen([shown for shown in (pages[0], regions_page) if shown.url_path not in hidden and
                 (shown is regions_page or not whole_country)], navigation)
elif whole_country:
    federal_sidebar(country)
elif navigation.url_path != "briefing":
    sidebar(loaded)
navigation.run()
