"""Files to download, made only when the user clicks (Streamlit calls these on its own thread)."""

from __future__ import annotations

from collections.abc import Callable

from campaign.pipeline import Report


def briefing_file(report: Report, kind: str) -> Callable[[], bytes]:
    def make() -> bytes:
        from campaign.briefing import briefing_pdf, briefing_png

        return briefing_png(report) if kind == "png" else briefing_pdf(report)

    return make


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
