"""Files to download, made only when the user clicks (Streamlit calls these on its own thread)."""

from __future__ import annotations

import io
from collections.abc import Callable

import pandas as pd
import streamlit as st

from campaign import russian
from campaign.pipeline import Report
from components.per_read import per_read


def briefing_file(report: Report, kind: str) -> Callable[[], bytes]:
    def make() -> bytes:
        from campaign.briefing import briefing_pdf, briefing_png

        return briefing_png(report) if kind == "png" else briefing_pdf(report)

    return make


@per_read
def _slide(report: Report) -> bytes:
    from PIL import Image

    from campaign.briefing import briefing_png

    image = Image.open(io.BytesIO(briefing_png(report))).convert("RGB")
    buffer = io.BytesIO()  # few colours: 128 of them keep it sharp at a seventh of the size
    image.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def slide_on_screen(report: Report) -> bytes:
    """The slide as the PNG download draws it, made once per read for every session (and
    lighter to send)."""
    with st.spinner("Рисуем слайд…"):
        return _slide(report)


def form_file(report: Report, municipality_uid: str | None, kind: str) -> Callable[[], bytes]:
    def make() -> bytes:
        from campaign.exports import form_docx, form_xlsx
        from campaign.form import results_form

        form = results_form(report, municipality_uid)
        return form_docx(form) if kind == "docx" else form_xlsx(form)

    return make


def contacts_file(report: Report, municipality_uid: str | None) -> Callable[[], bytes]:
    """Personal data: made on request only, never cached on the server."""
    def make() -> bytes:
        from campaign.exports import contacts_xlsx
        from campaign.form import contacts_table

        return contacts_xlsx(contacts_table(report, municipality_uid), report.campaign.contacts.title)

    return make


def problems_file(report: Report, problems: pd.DataFrame, scope: str) -> Callable[[], bytes]:
    """The problems shown (no personal data: messages never quote it)."""
    def make() -> bytes:
        from campaign.exports import problems_xlsx

        title = (f"Проблемы в таблице: {report.campaign.title} — {report.campaign.region_name} "
                 f"({scope}; по состоянию на {russian.day(report.as_of)})")
        return problems_xlsx(problems, title, where_to_fix=report.where_to_fix())  # for the coordinators it is sent to

    return make


def lost_rows_file(report: Report, lost) -> Callable[[], bytes]:
    """Personal data: made on request only, for an administrator."""
    def make() -> bytes:
        from campaign.exports import lost_rows_xlsx

        return lost_rows_xlsx(lost, report.campaign.timezone)

    return make
