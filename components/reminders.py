"""«Напоминание»: the letter to the municipalities that lag (DOCX and the text for an e-mail),
and for an administrator the sending to their coordinators: a preview of who gets what, then
«Отправить», then what happened to each address."""

from __future__ import annotations

from urllib.parse import urlsplit

import pandas as pd
import streamlit as st

from campaign import russian
from campaign.access import ADMIN, email_roles
from campaign.pipeline import Report
from campaign.reminders import email_text, reminder_deadline, reminder_letter, reminder_rows
from components.access import current_access
from components.data import Loaded
from components.per_read import per_read
from components.secrets import app_secrets
from components.tables import show
from data_sources.config import app_url
from history.store import HistoryError

SENDING_KEY = "reminder_sending"  # the sending this session started (service/sendings.py)
PROGRESS_SECONDS = 1.0  # how often a page under way with a sending looks at its progress
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def dashboard_url() -> str:
    """Where the dashboard is for a link in a letter: CAMPAIGN_APP_URL or [app] url (as the command
    line reads it: data_sources.config.app_url), else the address this page was opened at (its
    scheme, host and base path)."""
    configured = app_url(secrets=app_secrets())
    if configured:
        return configured
    try:
        parts = urlsplit(st.context.url or "")
    except AttributeError:  # an older Streamlit, or no browser (AppTest)
        return ""
    if not parts.scheme or not parts.netloc:
        return ""
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"{parts.scheme}://{parts.netloc}" + (f"/{base}" if base else "")


@per_read
def _reminder_rows(report, uid: str | None, base_url: str) -> tuple:
    return tuple(r for r in reminder_rows(report, [uid] if uid else None, base_url) if r.needs_reminding)


@per_read
def _reminder_letter(report, uid: str | None, base_url: str):
    return reminder_letter(report, [uid] if uid else None, base_url)


def reminder_section(loaded: Loaded, uid: str | None, where: tuple[str, ...], stamp: str) -> None:
    """The letter to everyone who lags, or to the municipality `uid` (the page's choice)."""
    report = loaded.report
    base_url = dashboard_url()
    st.subheader("Напоминание отстающим")
    rows = _reminder_rows(report, uid, base_url)  # made once per read, for every session
    if not rows:
        st.success(("У этого муниципалитета" if uid else "У всех муниципалитетов") +
                   " цели выполнены и ошибок в таблице нет: напоминать не о чем.", icon=":material/task_alt:")
        return
    letter = _reminder_letter(report, uid, base_url)
    whom = (f"муниципалитету {russian.quoted(rows[0].municipality)}" if uid
            else russian.count(len(rows), ("муниципалитету", "муниципалитетам", "муниципалитетам")))
    sender = report.campaign.letter.reports_to
    st.write(f"Письмо {whom} на бланке" + (f" ({sender})" if sender else "") + ": что осталось сделать, проблемы "
             "в таблице, ближайший срок и ссылка на «Проверку данных». Без персональных данных.")
    columns = st.columns([1, 1, 2])
    columns[0].download_button("Скачать письмо DOCX", _letter_file(letter),
                               file_name=russian.file_name("напоминание", *where, stamp, extension="docx"),
                               mime=DOCX, icon=":material/mail:", on_click="ignore")
    with columns[1].popover("Текст для письма", icon=":material/content_copy:"):
        st.code(email_text(letter), language=None, wrap_lines=True)
    deadline = reminder_deadline(report)
    st.caption(f"Срок в письме: {russian.day(deadline.date)} ({russian.days_left(deadline.days_left)}) — "
               f"{deadline.what}." if deadline else "Все сроки прошли: письмо просит внести сведения незамедлительно.")
    show(pd.DataFrame({"Муниципалитет": [r.municipality for r in rows], "Что осталось сделать": [r.owes for r in rows],
                       "Проблемы в таблице": [r.problems for r in rows]}),
         height=min(36 * (len(rows) + 1) + 2, 260))
    if current_access().role == ADMIN:
        _sending(loaded, report, [r.uid for r in rows], base_url)


def _letter_file(letter):
    def make() -> bytes:
        from campaign.exports import reminder_docx

        return reminder_docx(letter)

    return make


def _sending(loaded: Loaded, report: Report, uids: list[str], base_url: str) -> None:
    """For an administrator: each municipality its own letter, to its coordinators' addresses."""
    from service.mail import MailConfigError, mail_settings, plan
    from service.reads import history_for
    from service.sendings import sending_of, start_sending

    st.markdown("**Разослать координаторам по почте**")
    secrets = app_secrets()
    try:
        mail = mail_settings(secrets)
    except MailConfigError as error:
        st.error(f"Почта настроена неверно: {error}", icon=":material/error:")
        return
    if mail is None:
        st.caption("Почтовый сервер не настроен: добавьте [smtp] в secrets.toml "
                   "(см. README, «History, changes and reminders»). "
                   "Письмо можно скачать и отправить самим.")
        return
    emails = email_roles(secrets)
    store = history_for(loaded.settings)
    try:
        planned = plan(report, emails, uids=uids, base_url=base_url, store=store)
    except HistoryError as error:
        st.warning(f"Рассылка недоступна: {error.message} Без истории письма могли бы уйти дважды.",
                   icon=":material/history:")
        return
    status = []
    for item in planned:
        if not item.recipients:
            status.append((item.municipality, "—", "нет адреса в [access.emails]"))
        for address in item.recipients:
            status.append((item.municipality, address,
                           "доставка не подтверждена" if address in item.unconfirmed else
                           "уже отправлено" if address in item.already_sent else "будет отправлено"))
    show(pd.DataFrame(status, columns=["Муниципалитет", "Адрес координатора", "Письмо"]),
         height=min(36 * (len(status) + 1) + 2, 260))
    unconfirmed = sum(len(item.unconfirmed) for item in planned)
    if unconfirmed and st.button(f"Разрешить отправить снова письма без подтверждения доставки: {unconfirmed}",
                                 help="Сервер принял их, но не ответил: они могли дойти. Проверьте у получателей — "
                                      "иначе письмо придёт дважды.", key="resend_unconfirmed"):
        store.forget_unconfirmed(report.campaign.id)
        st.rerun()
    waiting = sum(len(item.to_send) for item in planned)
    under_way = sending_of(report.campaign.id)
    if under_way is not None and under_way.running:  # this session's, or another administrator's
        _progress(under_way)
        return
    if st.button(f"Отправить {russian.count(waiting, LETTER_FORMS)}" if waiting else "Отправлять нечего",
                 disabled=not waiting, type="primary", icon=":material/send:", key="send_reminders"):
        st.session_state[SENDING_KEY] = start_sending([p for p in planned if p.to_send], mail, store, report)
        st.rerun()
    sending = st.session_state.get(SENDING_KEY)
    if sending is not None and sending.campaign == report.campaign.id:
        _results(sending)


LETTER_FORMS = ("письмо", "письма", "писем")
LETTERS_AFTER_OF = ("письма", "писем", "писем")  # «1 из 21 письма», «2 из 2 писем»


@st.fragment(run_every=PROGRESS_SECONDS)
def _progress(sending) -> None:
    """A sending under way: how far it is, looked at every second; the whole page again once it
    has ended (the list shows who has had the letter, the results what happened)."""
    if not sending.running:
        st.rerun()
    sent = sending.count("sent")
    st.progress(sending.done / sending.total if sending.total else 1.0,
                text=f"Идёт рассылка: отправлено {sent} из {russian.count(sending.letters, LETTERS_AFTER_OF)}. "
                     "Страницу можно закрыть — письма уйдут и без неё.")


def _results(sending) -> None:
    """What the sending did to each address."""
    outcomes = list(sending.outcomes)
    failed = [o.line for o in outcomes if o.status == "failed"]
    unconfirmed = [o.line for o in outcomes if o.status == "unconfirmed"]
    done = sum(o.status == "sent" for o in outcomes)
    if done:
        st.success(f"Отправлено: {russian.count(done, LETTER_FORMS)}.", icon=":material/done_all:")
    if sending.failure:
        st.error(f"Рассылка прервалась: {sending.failure}. Нажмите «Отправить» ещё раз — уже отправленные "
                 "второй раз не уйдут.", icon=":material/error:")
    if failed:
        st.error("Не отправлено — нажмите «Отправить» ещё раз, уже отправленные второй раз не уйдут:\n\n"
                 + "\n".join(f"- {line}" for line in failed), icon=":material/error:")
    if unconfirmed:
        st.warning("Сервер принял эти письма, но не подтвердил доставку: они могли дойти, и повторно сами не "
                   "отправляются — проверьте у получателей:\n\n" + "\n".join(f"- {line}" for line in unconfirmed),
                   icon=":material/help:")
