"""Reminders by e-mail over real SMTP: a local aiosmtpd server on 127.0.0.1, the history store
recording every sending (SQLite and PostgreSQL), never a mocked client."""

from __future__ import annotations

import io
import threading

from docx import Document

from history.store import HistoryStore
from service.mail import mail_settings, plan, send
from tests.smtp_standin import SmtpStandIn, free_port

ZEYA = "RU-AMU:зейский:mr"
RAICHIKHINSK = "RU-AMU:райчихинск:go"
BELOGORSK = "RU-AMU:белогорск:go"
TYNDA = "RU-AMU:тында:go"  # met its targets, no errors: nothing to remind it of
EMAILS = {"zeya@example.ru": f"coordinator:{ZEYA}", "zeya-deputy@example.ru": f"coordinator:{ZEYA}",
          "raichikhinsk@example.ru": f"coordinator:{RAICHIKHINSK}", "belogorsk@example.ru": f"coordinator:{BELOGORSK}",
          "tynda@example.ru": f"coordinator:{TYNDA}", "boss@example.ru": "admin"}
WANTED = [ZEYA, RAICHIKHINSK, BELOGORSK, TYNDA]


def smtp(server: SmtpStandIn, **more) -> dict:
    return {"smtp": {"host": "127.0.0.1", "port": server.port, "security": "none",
                     "from": "Минобрнауки Амурской области <dashboard@obr.example.ru>", "timeout_seconds": 10, **more}}


def test_each_municipality_gets_its_own_letter_at_its_coordinators_addresses_only(demo_report, store):
    report = demo_report("amur-2022")
    planned = plan(report, EMAILS, uids=WANTED, base_url="https://dash.example.ru", store=store)
    assert [(p.municipality, p.recipients) for p in planned] == [
        ("Зейский район", ("zeya-deputy@example.ru", "zeya@example.ru")),
        ("г. Райчихинск", ("raichikhinsk@example.ru",)), ("г. Белогорск", ("belogorsk@example.ru",))]
    with SmtpStandIn() as server:
        outcomes = send(planned, mail_settings(smtp(server)), store, report)
        assert [o.status for o in outcomes] == ["sent"] * 4
        assert sorted(r for m in server.received for r in m.recipients) == [
            "belogorsk@example.ru", "raichikhinsk@example.ru", "zeya-deputy@example.ru", "zeya@example.ru"]
        assert all(len(m.recipients) == 1 for m in server.received)  # no one sees another's address
        mail = server.to("zeya@example.ru")[0]
    assert mail["Subject"] == "Напоминание о сроках: «Акция #МояХартия»"
    assert mail["From"] == "Минобрнауки Амурской области <dashboard@obr.example.ru>"
    text = mail.get_body(("plain",)).get_content()
    assert "• Зейский район: ещё 1 организация; проблемы в таблице: нет" in text
    assert "https://dash.example.ru/problems?mo=RU-AMU:зейский:mr&campaign=amur-2022" in text
    attachment = next(mail.iter_attachments())
    assert attachment.get_filename().endswith(".docx") and "Зейский" in attachment.get_filename()
    document = Document(io.BytesIO(attachment.get_content()))
    assert document.tables[1].rows[1].cells[1].text == "Зейский район"
    assert [s["status"] for s in store.sendings("amur-2022")] == ["sent"] * 4


def test_a_refused_recipient_is_reported_and_a_retry_sends_only_what_failed(demo_report, store):
    report = demo_report("amur-2022")
    planned = plan(report, EMAILS, uids=[ZEYA, RAICHIKHINSK], store=store)
    with SmtpStandIn() as server:
        server.refuse = {"zeya-deputy@example.ru"}
        first = send(planned, mail_settings(smtp(server)), store, report)
        assert [(o.recipient, o.status) for o in first] == [
            ("zeya-deputy@example.ru", "failed"), ("zeya@example.ru", "sent"), ("raichikhinsk@example.ru", "sent")]
        assert first[0].detail == "почтовый сервер отказался принять адрес (код 550)"
        assert first[0].line == ("Зейский район → zeya-deputy@example.ru: не отправлено "
                                 "(почтовый сервер отказался принять адрес (код 550))")
        server.refuse = set()
        again = plan(report, EMAILS, uids=[ZEYA, RAICHIKHINSK], store=store)
        assert again[0].already_sent == ("zeya@example.ru",) and again[0].to_send == ("zeya-deputy@example.ru",)
        second = send(again, mail_settings(smtp(server)), store, report)
        assert [(o.recipient, o.status) for o in second] == [
            ("zeya-deputy@example.ru", "sent"), ("zeya@example.ru", "skipped"), ("raichikhinsk@example.ru", "skipped")]
        assert sorted(r for m in server.received for r in m.recipients) == [
            "raichikhinsk@example.ru", "zeya-deputy@example.ru", "zeya@example.ru"]  # each once
    statuses = sorted((s["recipient"], s["status"]) for s in store.sendings("amur-2022"))
    assert statuses == [("raichikhinsk@example.ru", "sent"), ("zeya-deputy@example.ru", "failed"),
                        ("zeya-deputy@example.ru", "sent"), ("zeya@example.ru", "sent")]


def test_a_server_that_is_down_fails_every_recipient_at_once_and_later_they_go(demo_report, store):
    report = demo_report("amur-2022")
    planned = plan(report, EMAILS, uids=[ZEYA, RAICHIKHINSK], store=store)
    port = free_port()  # nothing listens there yet
    settings = mail_settings({"smtp": {"host": "127.0.0.1", "port": port, "security": "none",
                                       "from": "dashboard@obr.example.ru", "timeout_seconds": 5}})
    down = send(planned, settings, store, report)
    assert [o.status for o in down] == ["failed"] * 3
    assert {o.detail for o in down} == {f"не удалось соединиться с почтовым сервером 127.0.0.1:{port}"}
    with SmtpStandIn(port=port) as server:
        up = send(plan(report, EMAILS, uids=[ZEYA, RAICHIKHINSK], store=store), settings, store, report)
        assert [o.status for o in up] == ["sent"] * 3
        assert len(server.received) == 3


def test_a_dry_run_sends_nothing_and_says_what_would_go(demo_report, store):
    report = demo_report("amur-2022")
    with SmtpStandIn() as server:
        outcomes = send(plan(report, EMAILS, uids=[ZEYA], store=store), mail_settings(smtp(server)), store, report,
                        dry_run=True)
        assert [o.line for o in outcomes] == ["Зейский район → zeya-deputy@example.ru: будет отправлено",
                                              "Зейский район → zeya@example.ru: будет отправлено"]
        assert server.received == [] and store.sendings("amur-2022") == []


def test_two_administrators_pressing_send_at_once_send_each_letter_once(demo_report, store):
    report = demo_report("amur-2022")
    with SmtpStandIn() as server:
        settings = mail_settings(smtp(server))
        planned = plan(report, EMAILS, uids=WANTED, store=store)
        results: list = []
        threads = [threading.Thread(target=lambda: results.append(send(planned, settings, store, report)))
                   for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(o.status for r in results for o in r) == ["sent"] * 4 + ["skipped"] * 4
        assert len(server.received) == 4


def test_starttls_with_the_offices_own_authority_and_a_password(demo_report, tmp_path):
    report = demo_report("amur-2022")
    store = HistoryStore(folder=tmp_path / "history")
    with SmtpStandIn(user="dashboard", password="Mail-Pass-2026", tls_folder=tmp_path) as server:
        good = mail_settings(smtp(server, security="starttls", user="dashboard", password="Mail-Pass-2026",
                                  ca_file=str(server.ca_file)))
        planned = plan(report, EMAILS, uids=[RAICHIKHINSK], store=store)
        wrong = send(planned, mail_settings(smtp(server, security="starttls", user="dashboard", password="wrong",
                                                 ca_file=str(server.ca_file))), store, report)
        assert [(o.status, o.detail) for o in wrong] == [
            ("failed", "почтовый сервер не принял имя и пароль из [smtp] (код 535)")]
        untrusted = send(planned, mail_settings(smtp(server, security="starttls", user="dashboard",
                                                     password="Mail-Pass-2026")), store, report)
        assert untrusted[0].detail == f"не удалось установить защищённое соединение с 127.0.0.1:{server.port}"
        assert [o.status for o in send(planned, good, store, report)] == ["sent"]
        assert len(server.received) == 1
    details = " ".join(s["detail"] for s in store.sendings("amur-2022"))
    assert "Mail-Pass-2026" not in details


def test_a_letter_the_server_took_and_did_not_answer_is_unconfirmed_and_goes_again_only_when_allowed(
        demo_report, store):
    """Recorded as «не отправлено (разорвал соединение)» with «повторите команду», it could be
    delivered twice: a letter whose body the server took is «доставка не подтверждена»."""
    report = demo_report("amur-2022")
    address = "raichikhinsk@example.ru"
    with SmtpStandIn() as server:
        server.silent_after_data = {address}
        first = send(plan(report, EMAILS, uids=[RAICHIKHINSK], store=store),
                     mail_settings(smtp(server, timeout_seconds=2)), store, report)
        assert [(o.recipient, o.status) for o in first] == [(address, "unconfirmed")]
        assert first[0].line.startswith(f"г. Райчихинск → {address}: доставка не подтверждена, повторно не "
                                        "отправляется (сервер принял письмо, но не ответил: ")
        server.silent_after_data = set()
        again = plan(report, EMAILS, uids=[RAICHIKHINSK], store=store)
        assert again[0].unconfirmed == (address,) and again[0].to_send == ()
        assert [o.status for o in send(again, mail_settings(smtp(server)), store, report)] == ["skipped"]
        assert len(server.received) == 1  # it did arrive once: nothing sent it again by itself
        assert store.forget_unconfirmed("amur-2022") == 1  # an administrator's decision
        allowed = plan(report, EMAILS, uids=[RAICHIKHINSK], store=store)
        assert allowed[0].to_send == (address,)
        assert [o.status for o in send(allowed, mail_settings(smtp(server)), store, report)] == ["sent"]
