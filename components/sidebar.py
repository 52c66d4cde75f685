"""The sidebar: where the data comes from, when it was read, refresh and the contacts switch."""

from __future__ import annotations

import streamlit as st

from campaign import russian
from campaign.spec import REGION_SEPARATOR, CampaignFileError, load_campaign
from components.access import current_access, sign_in_panel
from components.data import CAMPAIGN_KEY, Loaded, campaign_ids, refresh, selected_campaign
from components.text import CHOOSE, literal
from components.upload import upload_panel

# Static CSS only (no sheet data ever goes into it): less empty space above the title, so the
# first screen holds more of the answer.
SOURCE_KINDS = {"file": "файл", "folder": "папка", "google": "Google-таблица (сервисный аккаунт)",
                "link": "Google-таблица по ссылке",
                "webdav": "сервер WebDAV", "yandex": "Яндекс Диск по ссылке", "upload": "загруженный файл"}


# Up to this many campaigns are offered as a list whose lines wrap (the whole title is read); a
# longer list is a box with a search, whose one line a narrow sidebar cuts.
LISTED_UP_TO = 6


def source_words(source) -> str:
    """«файл «amur-2022.xlsx»»; a source whose answer gave no name by its kind alone («Google-таблица
    по ссылке», not «Google-таблица по ссылке «Google-таблица по ссылке»»)."""
    kind = SOURCE_KINDS.get(source.kind, source.kind)
    return f"{kind} «{literal(source.label)}»" if source.label else kind


def campaign_title(campaign_id: str) -> str:
    """«Амурская область: Акция #МояХартия» for the picker — the region first, so that a box cut
    by a narrow sidebar still tells the regions apart (the id when the file is wrong)."""
    try:
        campaign = load_campaign(campaign_id)
    except CampaignFileError:
        return campaign_id
    return f"{campaign.region_name}: {campaign.title}"


def _campaign_chosen() -> None:
    st.session_state[CAMPAIGN_KEY] = st.session_state["campaign_choice"]


def campaign_picker() -> str:
    """The campaign to show: a choice in the sidebar when several are configured, kept in the
    URL (`?campaign=…`) so the view can be bookmarked. Returns the campaign id."""
    ids = campaign_ids()
    chosen = selected_campaign()
    if chosen not in ids:  # a region of a federal campaign, opened from «Регионы»: beside its campaign
        base = chosen.partition(REGION_SEPARATOR)[0]
        ids = [*ids[: ids.index(base) + 1], chosen, *ids[ids.index(base) + 1:]]
    if len(ids) > 1:
        # CAMPAIGN_KEY is the truth: the box shows it and its callback changes it
        st.session_state["campaign_choice"] = chosen
        if len(ids) <= LISTED_UP_TO:
            st.sidebar.radio("Кампания", ids, key="campaign_choice", format_func=campaign_title,
                             on_change=_campaign_chosen)
        else:
            st.sidebar.selectbox("Кампания", ids, key="campaign_choice", placeholder=CHOOSE,
                                 format_func=campaign_title, on_change=_campaign_chosen)
        if st.query_params.get("campaign") != chosen:
            st.query_params["campaign"] = chosen
    st.session_state[CAMPAIGN_KEY] = st.session_state[f"{CAMPAIGN_KEY}_url"] = chosen
    return chosen


def sidebar(loaded: Loaded) -> bool:
    """Draws the sidebar; returns whether contacts (personal data) are switched on."""
    with st.sidebar:
        report = loaded.report
        if report is not None:
            st.markdown(f"**{literal(report.campaign.title)}**  \n{literal(report.campaign.region_name)}")
            source = report.source
            st.caption(f"Источник: {source_words(source)}")
            if source.personal_label:
                st.caption(f"Персональные данные: «{literal(source.personal_label)}» (хранятся отдельно)")
            if source.kind == "upload":
                by = f", {literal(source.by)}" if source.by and current_access().role == "admin" else ""
                st.caption(f"Загружен: {loaded.read_at_text()}{by}")
            # (when the sheet was read: in the page's header, which keeps itself up to date)
            if loaded.stale_error is not None:
                st.caption("Состояние: :orange[●] данные устарели — таблицу не удалось прочитать заново, "
                           "показано последнее успешное чтение")
            elif report.errors:
                st.caption(f"Состояние: :orange[●] {russian.problems_count(report.errors, report.warnings)}")
            else:
                st.caption("Состояние: :green[●] таблица прочитана, ошибок нет")
        upload_panel(loaded)
        if st.button("Обновить", icon=":material/refresh:",
                     help="Прочитать таблицу заново, не дожидаясь обновления кэша"):
            st.session_state["refresh_wait"] = refresh()
            st.rerun()
        wait = st.session_state.pop("refresh_wait", None)
        if wait == 0:  # several servers: the reader reads it, the page shows the read when it is made
            st.caption("Таблица будет прочитана в ближайшие секунды: новые данные появятся на странице сами.")
        elif wait:
            st.caption(f"Таблица прочитана только что: прочитать снова можно через "
                       f"{russian.count(wait, ('секунду', 'секунды', 'секунд'))}.")
        sign_in_panel({m.uid: m.name for m in report.registry.municipalities} if report is not None else None)
        access = current_access()
        if not access.may_see_personal:
            st.session_state["show_contacts"] = False  # a viewer never gets personal data
            return False
        scope = "всех муниципалитетов" if access.municipality_uid is None else "своего муниципалитета"
        return st.toggle("Показать контакты", value=False, key="show_contacts",
                         help=f"ФИО, телефоны и адреса контактных лиц, имена участников конкурса — {scope}")


def federal_sidebar(campaign) -> None:
    """The sidebar of a federal campaign (the whole country): what it is, who collects the
    regions' reports, and the sign-in."""
    with st.sidebar:
        st.markdown(f"**{literal(campaign.title)}**  \n{literal(campaign.region_name)}")
        st.caption(f"Регионов в кампании: {len(campaign.federal_regions)}. Каждый регион читается из своей таблицы; "
                   "выберите регион на карте или в таблице, чтобы открыть его страницы.")
        if campaign.federal_operator:
            st.caption(f"Итоги регионов собирает: {literal(campaign.federal_operator)}")
        sign_in_panel()
