"""The «Отчёты и формы» page: the slide, the form and the contacts list, as a user gets them."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from PIL import Image
from streamlit.testing.v1 import AppTest

from campaign.access import hash_passcode

REPO = Path(__file__).resolve().parents[2]


PASSCODES = {"admin": hash_passcode("админ", iterations=1_000),
             "coordinator:RU-AMU:тында:go": hash_passcode("тында", iterations=1_000)}


def open_reports(new_app, passcode: str | None = None) -> AppTest:
    at = new_app(timeout=90)
    at.secrets["access"] = {"passcodes": PASSCODES}
    at.run()
    if passcode:
        at.sidebar.text_input(key="passcode").input(passcode)
        next(b for b in at.sidebar.button if b.label == "Войти").click().run()
    at.switch_page("pages/reports.py").run()
    assert not at.exception
    return at


@pytest.fixture
def reports(new_app):
    return open_reports(new_app)


def button_labels(at) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


def test_the_page_offers_the_slide_the_form_and_hides_the_contacts_by_default(reports):
    labels = button_labels(reports)
    assert labels == ["Скачать PNG", "Скачать PDF", "Скачать DOCX", "Скачать XLSX", "Скачать письмо DOCX"]
    info = " ".join(i.value for i in reports.info)
    assert "персональные данные" in info
    assert "Показать контакты" in info


def test_without_a_sign_in_the_page_does_not_send_anyone_to_sign_in(new_app):
    at = new_app(timeout=90)
    at.run()
    at.switch_page("pages/reports.py").run()
    info = " ".join(i.value for i in at.info)
    assert "вход в этом дашборде не настроен" in info
    assert "войдите" not in info and "Показать контакты" not in info  # neither exists here


def test_a_municipality_in_the_link_opens_its_form(new_app):
    at = new_app(timeout=90)
    at.query_params["mo"] = "RU-AMU:тында:go"
    at.run()
    at.switch_page("pages/reports.py").run()
    assert at.selectbox(key="form_municipality").value == "RU-AMU:тында:go"
    assert "Форма отчёта" in [s.value for s in at.subheader]  # its title under it, one colon in all
    assert any("г. Тында" in m.value for m in at.markdown)


def test_a_viewer_has_no_contacts_switch_and_no_contacts_list(reports):
    assert "show_contacts" not in [t.key for t in reports.sidebar.toggle]
    assert "Скачать XLSX с контактами" not in button_labels(reports)
    assert "Роль: наблюдатель" in [c.value for c in reports.sidebar.caption]


def test_an_administrator_gets_the_contacts_list_with_the_switch_on(new_app):
    at = open_reports(new_app, "админ")
    assert "Роль: администратор (код доступа)" in [c.value for c in at.sidebar.caption]
    assert "Скачать XLSX с контактами" not in button_labels(at)  # not until switched on
    at.toggle(key="show_contacts").set_value(True).run()
    assert "Скачать XLSX с контактами" in button_labels(at)
    assert any("персональные данные" in c.value for c in at.caption)


def test_a_coordinator_gets_the_contacts_of_their_own_municipality_only(new_app):
    at = open_reports(new_app, "тында")
    at.toggle(key="show_contacts").set_value(True).run()
    assert "Скачать XLSX с контактами" not in button_labels(at)  # the whole region: no
    assert any("только своего муниципалитета" in i.value for i in at.info)
    at.selectbox(key="form_municipality").set_value("RU-AMU:тында:go").run()
    assert "Скачать XLSX с контактами" in button_labels(at)


def test_a_wrong_passcode_keeps_the_viewer_role(reports):
    reports.sidebar.text_input(key="passcode").input("не тот код")
    next(b for b in reports.sidebar.button if b.label == "Войти").click().run()
    assert "Код доступа не подошёл." in [e.value for e in reports.sidebar.error]
    assert "show_contacts" not in [t.key for t in reports.sidebar.toggle]
    assert "Роль: наблюдатель" in [c.value for c in reports.sidebar.caption]


def test_the_form_can_be_made_for_one_municipality(reports):
    reports.selectbox(key="form_municipality").set_value("RU-AMU:тында:go").run()
    assert not reports.exception
    assert reports.selectbox(key="form_municipality").value == "RU-AMU:тында:go"
    assert button_labels(reports)[2:] == ["Скачать DOCX", "Скачать XLSX"]


def test_the_files_behind_the_buttons_are_what_the_form_and_slide_functions_make():
    """The page's files come from these functions; check them as a user would open them."""
    from datetime import date

    from campaign.briefing import briefing_png
    from campaign.exports import form_docx, form_xlsx
    from campaign.form import results_form
    from campaign.pipeline import run
    from campaign.spec import load_campaign
    from data_sources.local_file import LocalFileSource

    report = run(LocalFileSource(REPO / "data/demo/amur-2022.xlsx").read().tabs, load_campaign("amur-2022"),
                 as_of=date(2022, 2, 22))
    png = Image.open(io.BytesIO(briefing_png(report)))
    assert png.size == (1920, 1080)
    document = Document(io.BytesIO(form_docx(results_form(report))))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Итоги акции #МояХартия на территории Амурской области" in text
    sheet = load_workbook(io.BytesIO(form_xlsx(results_form(report, "RU-AMU:тында:go")))).active
    assert "г. Тында" in str(sheet["A1"].value)


def test_a_coordinator_sees_contacts_of_their_own_municipality_and_no_other(new_app):
    at = open_reports(new_app, "тында")
    at.toggle(key="show_contacts").set_value(True).run()
    at.switch_page("pages/municipalities.py").run()
    at.selectbox(key="municipality_choice").set_value("RU-AMU:тында:go").run()
    own = at.dataframe[1].value
    # «+7 …» after the invisible space that keeps a table's CSV download from reading a formula
    assert "скрыто" not in set(own["Телефон"]) and any(p.startswith("\u200b+7 ") for p in own["Телефон"])
    at.selectbox(key="municipality_choice").set_value("RU-AMU:благовещенск:go").run()
    other = at.dataframe[1].value  # another municipality's: one column says the contacts are there
    assert "Телефон" not in other and "ФИО контактного лица" not in other
    assert set(other["Персональные данные"]) <= {"скрыто", "—"} and "скрыто" in set(other["Персональные данные"])


def test_wrong_codes_pause_the_sign_in_even_for_the_right_code_and_are_logged(new_app, caplog):
    import logging

    from components.access import throttle

    throttle().__init__()  # a fresh server's record of attempts
    at = open_reports(new_app)
    with caplog.at_level(logging.WARNING, logger="campaign.access"):
        for _ in range(3):
            at.sidebar.text_input(key="passcode").input("неверный-код")
            next(b for b in at.sidebar.button if b.label == "Войти").click().run()
        at.sidebar.text_input(key="passcode").input("админ")
        next(b for b in at.sidebar.button if b.label == "Войти").click().run()
    errors = [e.value for e in at.sidebar.error]
    assert errors and errors[-1].startswith("Слишком много неверных кодов")
    assert "Роль: наблюдатель" in [c.value for c in at.sidebar.caption]  # the right code had to wait
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert logged.count("Неверный код доступа") == 3
    assert "неверный-код" not in logged and "админ" not in logged  # never the code itself
    throttle().__init__()


ZEYA = "RU-AMU:зейский:mr"


def reminder_table(at):
    return next(d.value for d in at.dataframe if "Что осталось сделать" in d.value.columns)


def test_the_reminder_lists_who_lags_and_what_each_owes_and_a_viewer_cannot_send(reports):
    assert "Напоминание отстающим" in [s.value for s in reports.subheader]
    assert any(m.value.startswith("Письмо 23 муниципалитетам на бланке (Минобрнауки Амурской области)")
               for m in reports.markdown)
    table = reminder_table(reports)
    assert table.iloc[0].tolist() == ["Архаринский район", "в таблице нет ни одной строки; ещё 2 организации", "нет"]
    assert "г. Белогорск" in table["Муниципалитет"].tolist()  # targets met, errors in its rows
    assert "Разослать координаторам по почте" not in [m.value.strip("*") for m in reports.markdown]
    assert not [b for b in reports.button if b.key == "send_reminders"]


def test_a_municipality_with_nothing_owed_is_told_so_and_one_that_lags_gets_its_own_letter(new_app):
    at = open_reports(new_app)
    at.selectbox(key="form_municipality").set_value("RU-AMU:тында:go").run()
    assert any("цели выполнены и ошибок в таблице нет: напоминать не о чем" in s.value for s in at.success)
    at.selectbox(key="form_municipality").set_value(ZEYA).run()
    assert any(m.value.startswith("Письмо муниципалитету «Зейский район» на бланке") for m in at.markdown)
    assert reminder_table(at)["Муниципалитет"].tolist() == ["Зейский район"]


def admin_with_mail(new_app, monkeypatch, tmp_path, smtp: dict | None, emails: dict):
    monkeypatch.setenv("CAMPAIGN_CACHE_DIR", str(tmp_path / "cache"))  # a history of its own: nothing sent yet
    at = new_app(timeout=90)
    at.secrets["access"] = {"passcodes": PASSCODES, "emails": emails}
    if smtp is not None:
        at.secrets["smtp"] = smtp
    at.secrets["app"] = {"url": "https://dash.example.ru"}
    at.run()
    at.sidebar.text_input(key="passcode").input("админ")
    next(b for b in at.sidebar.button if b.label == "Войти").click().run()
    at.switch_page("pages/reports.py").run()
    assert not at.exception
    return at


def test_an_administrator_previews_the_sending_then_sends_over_smtp_once(new_app, monkeypatch, tmp_path):
    from tests.smtp_standin import SmtpStandIn

    emails = {"zeya@example.ru": f"coordinator:{ZEYA}", "raichikhinsk@example.ru": "coordinator:RU-AMU:райчихинск:go"}
    with SmtpStandIn() as server:
        smtp = {"host": "127.0.0.1", "port": server.port, "security": "none", "from": "dashboard@obr.example.ru"}
        at = admin_with_mail(new_app, monkeypatch, tmp_path, smtp, emails)
        preview = next(d.value for d in at.dataframe if "Адрес координатора" in d.value.columns)
        rows = preview.values.tolist()
        assert ["Зейский район", "zeya@example.ru", "будет отправлено"] in rows
        assert ["г. Райчихинск", "raichikhinsk@example.ru", "будет отправлено"] in rows
        assert ["Архаринский район", "—", "нет адреса в [access.emails]"] in rows
        button = at.button(key="send_reminders")
        assert button.label == "Отправить 2 письма" and not button.disabled
        button.click().run()
        assert not at.exception
        until_sent(at)
        assert [m.recipients for m in server.received] == [["zeya@example.ru"], ["raichikhinsk@example.ru"]]
        assert "Отправлено: 2 письма." in [s.value for s in at.success]
        body = server.to("zeya@example.ru")[0].get_body(("plain",)).get_content()
        assert "https://dash.example.ru/problems?mo=RU-AMU:зейский:mr&campaign=amur-2022" in body
        after = next(d.value for d in at.dataframe if "Адрес координатора" in d.value.columns).values.tolist()
        assert ["Зейский район", "zeya@example.ru", "уже отправлено"] in after
        assert at.button(key="send_reminders").label == "Отправлять нечего" and at.button(key="send_reminders").disabled
        assert len(server.received) == 2


def until_sent(at, campaign: str = "amur-2022") -> None:
    """The sending runs in the background (service/sendings.py): wait until it has ended, then
    run the page again, as its progress fragment does by itself."""
    from service.sendings import sending_of

    sending = sending_of(campaign)
    assert sending is not None and sending.finished.wait(60), "the sending did not end"
    at.run()


def test_the_sending_runs_in_the_background_and_the_page_shows_its_progress(new_app, monkeypatch, tmp_path):
    """A slow mail server does not keep the page waiting: it shows how far the sending is, offers
    no second «Отправить» meanwhile, and says what happened once every letter went."""
    from tests.smtp_standin import SmtpStandIn

    emails = {"zeya@example.ru": f"coordinator:{ZEYA}", "raichikhinsk@example.ru": "coordinator:RU-AMU:райчихинск:go"}
    with SmtpStandIn() as server:
        server.held.add("raichikhinsk@example.ru")  # the second letter waits for the server
        smtp = {"host": "127.0.0.1", "port": server.port, "security": "none", "from": "dashboard@obr.example.ru"}
        at = admin_with_mail(new_app, monkeypatch, tmp_path, smtp, emails)
        at.button(key="send_reminders").click().run()
        assert not at.exception
        from service.sendings import sending_of

        sending, deadline = sending_of("amur-2022"), time.monotonic() + 30
        while sending.count("sent") < 1:  # the first letter goes; the second is held by the server
            assert sending.running and time.monotonic() < deadline
            sending.finished.wait(0.05)
        at.run()
        [bar] = at.get("progress")
        assert bar.proto.text == ("Идёт рассылка: отправлено 1 из 2 писем. "
                                  "Страницу можно закрыть — письма уйдут и без неё.")
        assert not [b for b in at.button if b.key == "send_reminders"]  # no second sending meanwhile
        server.release.set()
        until_sent(at)
        assert not at.get("progress")
        assert "Отправлено: 2 письма." in [s.value for s in at.success]
        assert at.button(key="send_reminders").label == "Отправлять нечего"


def test_an_administrator_without_a_mail_server_is_told_how_to_set_one_up(new_app, monkeypatch, tmp_path):
    at = admin_with_mail(new_app, monkeypatch, tmp_path, None, {})
    assert any("Почтовый сервер не настроен: добавьте [smtp]" in c.value for c in at.caption)
    broken = admin_with_mail(new_app, monkeypatch, tmp_path, {"host": "h", "security": "tls"}, {})
    assert any("Почта настроена неверно: [smtp] security = «tls»" in e.value for e in broken.error)


def test_a_coordinator_is_named_with_their_municipality_and_lands_on_it_in_the_problems(new_app):
    at = new_app(timeout=90)
    at.secrets["access"] = {"passcodes": PASSCODES}
    at.run()
    at.sidebar.text_input(key="passcode").input("тында")
    next(b for b in at.sidebar.button if b.label == "Войти").click().run()
    assert "Роль: координатор — г. Тында (код доступа)" in [c.value for c in at.sidebar.caption]
    at.switch_page("pages/problems.py").run()
    assert not at.exception
    assert at.selectbox(key="problems_municipality").value == "RU-AMU:тында:go"  # their own, not the region
    assert at.query_params["mo"] in ("RU-AMU:тында:go", ["RU-AMU:тында:go"])  # kept in the URL
    at.selectbox(key="problems_municipality").set_value("").run()  # and the whole region when they choose it
    assert at.selectbox(key="problems_municipality").value == ""


def test_a_coordinator_is_not_offered_the_ministrys_letter_to_the_municipalities(new_app):
    at = open_reports(new_app, "тында")
    assert "Скачать письмо DOCX" not in button_labels(at)
    assert "Напоминание отстающим" not in [s.value for s in at.subheader]
    assert "Скачать письмо DOCX" in button_labels(open_reports(new_app, "админ"))


def test_wrong_codes_from_fresh_sessions_without_a_known_address_are_counted_together(new_app):
    """12 wrong codes in 12 fresh sessions, then the right one signed in at once: a guesser whose
    address is not known (no proxy told it) is counted with every such client."""
    from components.access import throttle

    throttle().__init__()
    for _ in range(3):
        guess = open_reports(new_app)
        guess.sidebar.text_input(key="passcode").input("неверный-код")
        next(b for b in guess.sidebar.button if b.label == "Войти").click().run()
    at = open_reports(new_app)
    at.sidebar.text_input(key="passcode").input("админ")
    next(b for b in at.sidebar.button if b.label == "Войти").click().run()
    assert [e.value for e in at.sidebar.error][-1].startswith("Слишком много неверных кодов")
    assert "Роль: наблюдатель" in [c.value for c in at.sidebar.caption]
    throttle().__init__()
