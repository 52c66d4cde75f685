"""Регионы: one campaign in every configured region, on the map of Russia against the targets
they share; a region's municipalities below."""

import streamlit as st

from campaign import russian
from campaign.federal import region_table, shared_targets
from components.data import load, selected_campaign, stale_banner
from components.entry import run_app_if_opened_directly
from components.municipality_map import legend, map_with_legend
from components.regions import ATTRIBUTION, family_campaigns, region_targets_table, russia_deck, clicked_region
from components.tables import show
from components.text import literal
from components.url_choice import url_selectbox

run_app_if_opened_directly()  # a bookmarked page opened on a fresh server

loaded_regions = [load(campaign_id) for campaign_id in family_campaigns(selected_campaign())]
for failed in [r for r in loaded_regions if r.error is not None]:
    st.warning(f"Регион не прочитан: {literal(failed.error.message)}", icon=":material/error:")
regions = [r for r in loaded_regions if r.report is not None]
if not regions:
    st.error("Ни одного региона прочитать не удалось.", icon=":material/error:")
    st.stop()
for region in regions:
    stale_banner(region)
reports = [r.report for r in regions]
campaign = reports[0].campaign
st.set_page_config(page_title=f"Регионы — {campaign.title}")
st.title(f"{campaign.title} — по регионам")
as_of = sorted({russian.day(r.as_of) for r in reports})
st.caption(f"Регионов с данными: {len(reports)} · по состоянию на {', '.join(as_of)} · "
           "цели — общие для всех регионов кампании")

table = region_table(reports)
targets = {t.id: t for t in campaign.targets if t.id in shared_targets(reports)}
if not targets:
    st.info("У регионов этой кампании нет общих целей.")
    st.stop()
target_id = st.selectbox("Раскрасить карту по цели", list(targets), format_func=lambda i: targets[i].label,
                         key="regions_target")
clicked, chart_key = clicked_region("regions_map", table)
if clicked:
    st.query_params["region"] = clicked
st.pydeck_chart(russia_deck(tuple(reports), target_id, selected=st.query_params.get("region"),
                            wheel_zoom=clicked is not None),
                on_select="rerun", selection_mode="single-object", key=chart_key, height=520)
st.caption("Доля цели в регионе; белым — регионы, таблица которых не подключена")
legend(True, ATTRIBUTION)

st.subheader("Регионы и цели")
show(region_targets_table(table, campaign, list(targets)))

names = dict(zip(table["iso"], table["region"]))
iso = url_selectbox("Муниципалитеты региона", ["", *names], param="region", key="regions_choice",
                    format_func=lambda key: names.get(key, "— выберите регион или нажмите на него на карте —"))
if iso:
    report = reports[list(table["iso"]).index(iso)]
    st.header(report.campaign.region_name)
    map_with_legend(report, key=f"regions_{iso}")
    st.page_link("pages/summary.py", label=f"Открыть сводку: {report.campaign.region_name}",
                 icon=":material/dashboard:", query_params={"campaign": report.campaign.id})
