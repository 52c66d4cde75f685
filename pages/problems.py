"""Проверка данных: what is wrong in the sheet, by municipality, tab and row, with the fix."""

import streamlit as st

from campaign import russian
from campaign.cell_links import problem_cell_urls
from campaign.problem_codes import ERROR, WARNING
from campaign.problems import all_of_it
from components.access import current_access, how_to_see_personal
from components.data import hindsight
from components.downloads import problems_file
from components.header import page_start
from components.problem_list import ALL, in_page_order, in_scope, lost_section, matching, problem_groups, scopes
from components.tables import page_of, show
from components.text import literal
from components.url_choice import url_selectbox, url_text_input

loaded = page_start("problems")
report = loaded.report
problems = report.problems

access = current_access()
admin = access.role == "admin"
if access.municipality_uid and "mo" not in st.query_params and "problems_municipality" not in st.session_state:
    st.query_params["mo"] = access.municipality_uid  # a coordinator lands on their own municipality
st.write(f"Здесь — всё, что дашборд не смог прочитать или посчитать. {report.where_to_fix(uploads=admin)}")

options, names = scopes(report)
left, right = st.columns(2)
with left:
    choice = url_selectbox("Муниципалитет", options, param="mo", key="problems_municipality", format_func=names.get)
with right:
    query = url_text_input("Найти в списке", param="q", key="problems_search",
                           placeholder="слово из описания, название листа или столбца, номер строки")
shown = in_page_order(matching(in_scope(problems, choice), query))

lost_section(report, hindsight(loaded).lost, choice, admin=admin,
             expanded=st.query_params.get("lost") == "1")
if problems.empty:
    st.markdown("В таблице **проблем нет**.")
else:
    st.markdown(f"**{russian.problems_count(report.errors, report.warnings)}** {all_of_it(report.from_files)}.")
with st.expander("Сколько проблем у каждого муниципалитета"):
    counts = (in_page_order(problems).assign(n=1)
              .pivot_table(index="municipality", columns="severity", values="n", aggfunc="sum", fill_value=0,
                           sort=False)
              .reindex(columns=[ERROR, WARNING], fill_value=0)
              .rename(columns={ERROR: "Ошибок", WARNING: "Предупреждений"}))
    show(counts.reset_index().rename(columns={"municipality": "Муниципалитет"}))

access = current_access()
source = report.source
sheet_url = source.url if source is not None and source.kind in ("google", "link") else None
columns = st.columns([1, 1, 2])
columns[0].download_button(
    "Скачать список (XLSX)", problems_file(report, shown, names[choice]), icon=":material/download:",
    file_name=f"проблемы-{report.campaign.region_name}-{report.as_of:%Y-%m-%d}.xlsx".replace(" ", "-"),
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore",
    disabled=shown.empty)
# the sheet's address opens all of it, personal data included: only for the roles that may see that
links = None
if sheet_url and access.may_see_personal:
    columns[1].link_button("Открыть таблицу", sheet_url, icon=":material/open_in_new:")
    links = problem_cell_urls(report, shown)
elif sheet_url:
    columns[2].caption("Ссылки на таблицу и её ячейки скрыты: в таблице есть персональные данные. "
                       + how_to_see_personal())

if shown.empty:
    where = "" if choice == ALL else f" ({names[choice]})"
    st.info(f"Проблем не найдено{where}." if not query  # a plain statement, not a green «well done»
            else f"По запросу «{literal(query)}» проблем не найдено{where}.", icon=":material/search_off:")
else:
    problem_groups(page_of(shown, "problems_page", "проблемы"), links, shown)
