"""Отчёты: the briefing slide as PNG/PDF, the official results form as DOCX/XLSX, the reminder
to the municipalities that lag (DOCX, e-mail), the contacts list."""

import streamlit as st

from campaign import russian
from campaign.access import COORDINATOR
from campaign.form import form_title
from components.access import current_access, how_to_see_personal, may_show_personal
from components.downloads import briefing_file, contacts_file, form_file
from components.header import page_start
from components.reminders import reminder_section
from components.text import literal
from components.url_choice import url_selectbox

loaded = page_start("reports")
report = loaded.report
campaign = report.campaign
access = current_access() if may_show_personal() else None  # None: no personal data
stamp = report.as_of.strftime("%Y-%m-%d")
region = campaign.region_name

st.subheader("Слайд для брифинга")
st.write("Один экран 16:9 (1920×1080): цели, карта и динамика — без персональных данных.")
columns = st.columns(3)
columns[0].download_button("Скачать PNG", briefing_file(report, "png"),
                           file_name=russian.file_name("брифинг", region, stamp, extension="png"),
                           mime="image/png", icon=":material/image:", on_click="ignore")
columns[1].download_button("Скачать PDF", briefing_file(report, "pdf"),
                           file_name=russian.file_name("брифинг", region, stamp, extension="pdf"),
                           mime="application/pdf", icon=":material/picture_as_pdf:", on_click="ignore")
columns[2].page_link("pages/briefing.py", label="Открыть слайд в браузере", icon=":material/slideshow:")

names = {m.uid: m.name for m in report.registry.municipalities}
uid = url_selectbox("По региону или по муниципалитету", ["", *names], param="mo", key="form_municipality",
                    format_func=lambda key: names.get(key, f"Весь регион: {region}"))
scope = uid or None
where = (region,) if not scope else (region, report.registry.by_uid[uid].short_name)
if campaign.form is None:
    st.write("Формы отчёта у этой кампании нет.")
else:
    title = form_title(report, scope)
    st.subheader("Форма отчёта")  # its title under it: «Форма: Социальный проект «Заступник»: …» had two colons
    st.markdown(f"**{literal(title)}**")
    columns = st.columns(3)
    form_name = ("итоги", campaign.of_what, *where, stamp)  # «итоги-акции-…», «итоги-проекта-…»
    columns[0].download_button("Скачать DOCX", form_file(report, scope, "docx"),
                               file_name=russian.file_name(*form_name, extension="docx"),
                               mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                               icon=":material/description:", on_click="ignore")
    columns[1].download_button("Скачать XLSX", form_file(report, scope, "xlsx"),
                               file_name=russian.file_name(*form_name, extension="xlsx"),
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                               icon=":material/table:", on_click="ignore")
    due = [d for d in report.deadlines if "итог" in d.what.lower()]
    if due:
        st.caption("Сроки сдачи: " + "; ".join(f"{russian.day(d.date)} — {d.sender} → {d.recipient}" for d in due))

if current_access().role != COORDINATOR:  # the ministry's letter to the municipalities: a coordinator gets it
    reminder_section(loaded, scope, where, stamp)

st.subheader(campaign.contacts.title if campaign.contacts else "Список контактов")
role = current_access()
if campaign.contacts is None:
    st.write("В этой кампании списка контактов нет.")
elif access is None or not role.may_export_contacts(scope):
    if access is not None and role.municipality_uid and scope != role.municipality_uid:
        st.info("Координатор может скачать контакты только своего муниципалитета: выберите его выше.",
                icon=":material/lock:")
    else:
        st.info("Список содержит персональные данные (ФИО, телефоны). " + how_to_see_personal(),
                icon=":material/lock:")
else:
    st.download_button("Скачать XLSX с контактами", contacts_file(report, scope),
                       file_name=russian.file_name("контакты", *where, stamp, extension="xlsx"),
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/contacts:", on_click="ignore")
    st.caption("Файл содержит персональные данные: передавайте его только адресатам письма.")
