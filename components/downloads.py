"""Files to download, made once per read of the sheet (cached by what and when was read)."""

from __future__ import annotations

import streamlit as st

from campaign.pipeline import Report


def _key(report: Report) -> tuple:
    return report.campaign.id, report.as_of, report.read_at, report.source.label if report.source else ""


@st.cache_data(show_spinner="Готовим слайд…", max_entries=8)
def _briefing(key: tuple, kind: str, _report: Report) -> bytes:
    from campaign.briefing import briefing_pdf, briefing_png

    return briefing_png(_report) if kind == "png" else briefing_pdf(_report)


@st.cache_data(show_spinner=False, max_entries=64)
def _form(key: tuple, municipality_uid: str | None, kind: str, _report: Report) -> bytes:
    from campaign.exports import form_docx, form_xlsx
    from campaign.form import results_form

    form = results_form(_report, municipality_uid)
    return form_docx(form) if kind == "docx" else form_xlsx(form)


def briefing_file(report: Report, kind: str) -> bytes:
    return _briefing(_key(report), kind, report)


def form_file(report: Report, municipality_uid: str | None, kind: str) -> bytes:
    return _form(_key(report), municipality_uid, kind, report)


def contacts_file(report: Report, municipality_uid: str | None) -> bytes:
    """Not cached: personal data is made only on request and not kept in the server's cache."""
    from campaign.exports import contacts_xlsx
    from campaign.form import contacts_table

    return contacts_xlsx(contacts_table(report, municipality_uid), report.campaign.contacts.title)
