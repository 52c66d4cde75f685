"""Регионы: one campaign in every region — the federal view. The next deadline first; the map of
Russia coloured by the share of a target the regions share; every region ranked, the furthest
behind first, those with nothing yet and those without a sheet after them; a region's
municipalities below, or its own pages."""

from datetime import date

import streamlit as st

from campaign import russian
from campaign.exports import federal_summary_docx, federal_summary_xlsx, reminder_docx
from campaign.federal import (
    NO_ROWS,
    NOT_CONNECTED,
    NOT_READ,
    REPORTED,
    RUSSIA_BOX,
    federal_campaign,
    federal_deadlines,
    federal_reminder,
    federal_table,
    federal_title,
    shared_targets,
    standing,
    status_counts,
)
from campaign.form import federal_summary
from campaign.reminders import email_text
from campaign.spec import load_campaign
from campaign.subjects import district_genitive
from components.charts import is_dark
from components.column_width import column_width
from components.data import load, selected_campaign, stale_banner
from components.entry import run_app_if_opened_directly
from components.live import live_regions
from components.map import ATTRIBUTION as MUNICIPAL_ATTRIBUTION
from components.map import box_height
from components.municipality_map import legend, map_with_legend
from components.regions import (
    ATTRIBUTION,
    RUSSIA_WIDTH,
    clicked_region,
    district_box,
    district_deck,
    no_data_word,
    region_reads,
    region_targets_table,
    rows_of_no_region,
    russia_deck,
    without_outline,
)
from components.reminders import dashboard_url
from components.tables import show
from components.text import CHOOSE, literal
from components.url_choice import url_selectbox

run_app_if_opened_directly()  # a bookmarked page opened on a fresh server

chosen = selected_campaign()
federal = federal_campaign(chosen)
campaign = federal or load_campaign(chosen)
regions = region_reads(chosen)
reports = [r.report for r in regions if r.report is not None]
st.set_page_config(page_title=f"Регионы — {campaign.title}")
st.title(f"{campaign.title} — по регионам")
if federal is None and len(regions) < 2:  # a link or a bookmark of another campaign's «Регионы»
    st.info(f"Сравнение по регионам — для кампаний, которые идут в нескольких регионах; эта кампания идёт в "
            f"одном: {literal(campaign.region_name)}.", icon=":material/info:")
    st.page_link("pages/summary.py", label="Сводка кампании", icon=":material/dashboard:")
    st.stop()
for region in regions:
    if region.status == NOT_READ and federal is None:
        st.warning(f"Регион не прочитан: {literal(region.subject.name)}. {literal(region.note)}",
                   icon=":material/error:")
if not reports and federal is None:
    st.error("Ни одного региона прочитать не удалось.", icon=":material/error:")
    st.stop()

table = federal_table(regions)
counts = status_counts(table)
as_of = max((r.as_of for r in reports), default=campaign.demo_as_of or date.today())
parts = [f"Регионов: {len(regions)}", f"отчёт есть у {counts[REPORTED]}"]
parts += [f"{label} — {counts[status]}" for status, label in (
    (NO_ROWS, "строк пока нет"), (NOT_READ, "таблица не прочитана"), (NOT_CONNECTED, "таблица не подключена"))
    if counts[status]]
live_regions(f"regions:{chosen}", regions,
             " · ".join(parts) + f" · по состоянию на {russian.day(as_of)} · цели — общие для всех регионов")

upcoming = federal_deadlines(campaign, as_of)  # the regions' own reports to the operator first
for number, deadline in enumerate(upcoming[:2]):
    what = f"{deadline.what[:1].lower()}{deadline.what[1:]} ({deadline.sender} → {deadline.recipient})"
    heading = "Ближайший срок" if number == 0 else "Раньше него" if deadline.date < upcoming[0].date else "Затем"
    line = f"**{heading}: {russian.day(deadline.date)}** ({russian.days_left(deadline.days_left)}) — {literal(what)}"
    st.markdown(line if number == 0 else f":gray[{line}]")

if lost := rows_of_no_region(regions):  # one workbook of the whole country: rows that count nowhere
    shown = "; ".join(f"лист «{u.tab}», строка {u.row} ({'«' + u.value + '»' if u.value else 'регион не указан'})"
                      for u in lost[:10]) + (f" и ещё {len(lost) - 10}" if len(lost) > 10 else "")
    st.warning(f"В общей таблице регионов {russian.count(len(lost), russian.ROW_FORMS)} без распознанного региона — "
               f"они не учтены ни в одном регионе: {literal(shown)}. Впишите в столбец «Регион» название субъекта "
               "или его код по ОКАТО.", icon=":material/warning:")

said = standing(table)
if "behind" in said:
    st.markdown(f"**Отстают сильнее всех:** {literal(said['behind'])}")
if "empty" in said:
    st.markdown(f"**Таблица подключена, строк пока нет:** {literal(said['empty'])}")
if "done" in said:
    st.markdown(f"**Выполнили все цели:** {literal(said['done'])}")

for region in regions:
    if region.report is not None:
        stale_banner(load(region.campaign_id))
targets = {t.id: t for t in campaign.targets if t.id in shared_targets(reports)} if reports else {}
colour_column, region_column, map_column = st.columns(3)
if targets:
    target_id = colour_column.selectbox("Раскрасить карту по цели", list(targets), placeholder=CHOOSE,
                                        format_func=lambda i: targets[i].label, key="regions_target")
else:
    target_id = next(iter(t.id for t in campaign.targets), "")
    st.info("Ни один регион ещё не прислал отчёт: карта раскрасится, когда появятся цифры.")

keys = dict(zip(table["key"], table["campaign_id"]))
with_figures = set(table.loc[table["status"].isin([REPORTED, NO_ROWS]), "key"])
names = {key: region for key, region in zip(table["key"], table["region"]) if key in with_figures}
clicked, chart_key = clicked_region("regions_map", with_figures)
if clicked:
    st.query_params["region"] = clicked
with region_column:
    chosen_key = url_selectbox("Муниципалитеты региона", ["", *names], param="region", key="regions_choice",
                               format_func=lambda k: names.get(k, "— выберите или нажмите на карте —"))


def _whole_country() -> None:
    st.query_params.pop("region", None)
    st.session_state["regions_choice"] = st.session_state["regions_choice_url"] = ""


if chosen_key:  # the region drills in: its municipal map takes the place of the map of Russia
    report = next(r.report for r in regions if r.subject.key == chosen_key and r.report is not None)
    st.header(report.campaign.region_name)
    back, summary = st.columns([1, 3])
    back.button("Вся Россия", icon=":material/arrow_back:", on_click=_whole_country, key="regions_back")
    summary.page_link("pages/summary.py", label=f"Открыть сводку: {report.campaign.region_name}",
                      icon=":material/dashboard:", query_params={"campaign": keys[chosen_key]})
    map_with_legend(report, key=f"regions_{chosen_key}")
else:
    states = tuple(zip(table["key"], table["status"]))
    districts = sorted(set(table["federal_district"]))
    whole = "Россия по регионам"
    shown_map = map_column.selectbox("Карта", [whole, *districts], key="regions_map_scope", placeholder=CHOOSE,
                         format_func=lambda d: d if d == whole else f"{d} ФО: муниципалитеты",
                         help="Муниципалитеты одного федерального округа сразу: страница передаёт только их")
    width = column_width("regions_map_column_width", RUSSIA_WIDTH)  # the map fitted into the page's width
    if shown_map == whole:
        height = box_height(RUSSIA_BOX, width, least=240, most=640)
        st.pydeck_chart(russia_deck(tuple(reports), target_id, states, width=width, height=height,
                                    wheel_zoom=clicked is not None, dark=is_dark()),
                        on_select="rerun", selection_mode="single-object", key=chart_key, height=height)
        missing = without_outline(table)
        st.caption(f"Доля цели в регионе; {no_data_word(is_dark())} — регионы без отчёта "
                   "(таблица не подключена или пуста); нажмите на "
                   "регион, чтобы открыть его муниципалитеты"
                   + (f". Нет контура на карте: {', '.join(missing)} — они в таблице ниже" if missing else ""))
        legend(True, ATTRIBUTION)
    else:
        district_clicked, district_key = clicked_region("district_map", with_figures)
        if district_clicked:
            st.query_params["region"] = district_clicked
            st.rerun()
        height = box_height(district_box(shown_map), width, least=300, most=640)
        st.pydeck_chart(district_deck(tuple(reports), shown_map, states, width=width, height=height, dark=is_dark()),
                        on_select="rerun", selection_mode="single-object", key=district_key, height=height)
        headline = campaign.headline
        st.caption(f"{headline.label} по муниципалитетам {district_genitive(shown_map).lower()}; "
                   f"{no_data_word(is_dark())} — "
                   "муниципалитеты регионов без отчёта; нажмите на муниципалитет, чтобы открыть его регион")
        legend(False, MUNICIPAL_ATTRIBUTION)

st.subheader("Регионы по выполнению целей")
st.caption("Сверху — кто отстаёт сильнее (доля первой цели, затем число выполненных целей); ниже — регионы "
           "без строк, с непрочитанной таблицей и без таблицы.")
show(region_targets_table(table, campaign, list(targets)))

if campaign.form is not None and reports:
    st.subheader("Итоги по регионам")
    with_figures_reports = [r.report for r in regions if r.status in (REPORTED, NO_ROWS)]
    without = [r.subject.name for r in regions if r.status not in (REPORTED, NO_ROWS)]
    summary = federal_summary(federal_title(campaign), with_figures_reports, without)
    st.write(f"Форма итогов каждого региона в одной таблице, с суммой и ссылками на видеоролики победителей: "
             f"{russian.count(len(summary.regions), russian.REGION_FORMS)} с отчётом"
             + (f", без отчёта — {len(without)}." if without else "."))
    stamp = as_of.strftime("%Y-%m-%d")
    name = ("итоги", campaign.of_what, "по регионам", stamp)
    docx_column, xlsx_column = st.columns(2)
    # made when clicked, not on every rerun of the page
    docx_column.download_button("Скачать DOCX", lambda: federal_summary_docx(summary),
                                file_name=russian.file_name(*name, extension="docx"),
                                mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                                icon=":material/description:", on_click="ignore")
    xlsx_column.download_button("Скачать XLSX", lambda: federal_summary_xlsx(summary),
                                file_name=russian.file_name(*name, extension="xlsx"),
                                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                icon=":material/table:", on_click="ignore")

if federal is not None and federal.federal_letter is not None:
    letter = federal_reminder(federal, table, as_of, dashboard_url())
    st.subheader("Напоминание регионам")
    if letter.rows:
        st.write(f"Письмо регионам, которые отстают или не представили данные "
                 f"({russian.count(len(letter.rows), russian.REGION_FORMS)}), от имени "
                 f"{literal(federal.federal_operator or 'оператора акции')}, в форме служебного письма.")
        st.download_button("Скачать письмо DOCX", lambda: reminder_docx(letter),
                           file_name=russian.file_name("напоминание", "регионам", as_of.strftime("%Y-%m-%d"),
                                                       extension="docx"),
                           mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                           icon=":material/mail:", on_click="ignore", key="federal_reminder")
        with st.expander("Текст для электронной почты"):
            st.code(email_text(letter), language=None)
    else:
        st.success("Все регионы выполнили цели: напоминать некому.", icon=":material/check_circle:")

