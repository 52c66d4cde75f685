"""`python -m campaign remind`: the letter as DOCX or text, and sending over real SMTP (a local
aiosmtpd server) with the settings of a secrets.toml, recorded in a history on disk."""

from __future__ import annotations

import io

from docx import Document

from tests.cli_helpers import assert_no_traceback, cli
from tests.office import docx_to_pdf, pdf_text
from tests.smtp_standin import SmtpStandIn

ZEYA = "RU-AMU:зейский:mr"
RAICHIKHINSK = "RU-AMU:райчихинск:go"


def secrets_file(tmp_path, port: int, **smtp) -> str:
    lines = ["[app]", 'url = "https://dash.example.ru"', "", "[smtp]", 'host = "127.0.0.1"', f"port = {port}",
             'security = "none"', 'from = "dashboard@obr.example.ru"', "timeout_seconds = 10",
             *(f'{key} = "{value}"' for key, value in smtp.items()), "",
             "[access.emails]", f'"zeya@example.ru" = "coordinator:{ZEYA}"',
             f'"raichikhinsk@example.ru" = "coordinator:{RAICHIKHINSK}"', '"boss@example.ru" = "admin"']
    path = tmp_path / "secrets.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_the_letter_to_all_laggards_is_written_as_docx(tmp_path):
    out = tmp_path / "napominanie.docx"
    result = cli("remind", "--campaign", "amur-2022", "--out", str(out), "--base-url", "https://dash.example.ru")
    assert_no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Записано: {out} — напоминание 23 муниципалитетам."
    document = Document(io.BytesIO(out.read_bytes()))
    assert document.tables[0].cell(0, 0).text.startswith("МИНИСТЕРСТВО")
    assert document.tables[1].rows[1].cells[1].text == "Архаринский район"
    assert len(document.tables[1].columns) == 5  # with the links to «Проверка данных»


def test_the_letter_opens_in_libreoffice_as_an_a4_letter_of_the_ministry(tmp_path):
    out = tmp_path / "letter.docx"
    assert cli("remind", "--campaign", "amur-2022", "--municipality", "Зейский район", "--out", str(out)).returncode == 0
    pdf = docx_to_pdf(out, tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = pdf_text(pdf)
    if text is not None:
        words = " ".join(text.split())
        for expected in ("МИНИСТЕРСТВО", "(Минобрнауки Амурской области)", "22.02.2022 № ________",
                         "Уважаемый руководитель!", "Зейский район", "ещё 1 организация", "09.03.2022",
                         "Заместитель министра"):
            assert expected in words, expected


def test_one_municipality_by_name_and_the_text_on_screen():
    result = cli("remind", "--campaign", "amur-2022", "--municipality", "Зейский район")
    assert_no_traceback(result)
    assert result.stdout.startswith("Уважаемый руководитель!\n")
    assert "• Зейский район: ещё 1 организация; проблемы в таблице: нет" in result.stdout


def test_a_municipality_with_nothing_to_remind_of_and_a_mistyped_one():
    done = cli("remind", "--campaign", "amur-2022", "--municipality", "г. Тында")
    assert done.returncode == 0
    assert done.stdout.strip() == "Напоминать не о чем: у выбранных муниципалитетов цели выполнены и ошибок в таблице нет."
    wrong = cli("remind", "--campaign", "amur-2022", "--municipality", "Зейскй район")
    assert_no_traceback(wrong)
    assert wrong.returncode == 2 and "Возможно, вы имели в виду: «Зейский район»" in wrong.stderr
    docx_only = cli("remind", "--campaign", "amur-2022", "--out", "letter.pdf")
    assert docx_only.returncode == 2 and "письмо записывается в .docx" in docx_only.stderr


def test_send_goes_to_the_configured_coordinators_once_and_a_dry_run_sends_nothing(tmp_path):
    history = str(tmp_path / "history")
    with SmtpStandIn() as server:
        secrets = secrets_file(tmp_path, server.port)
        args = ("remind", "--campaign", "amur-2022", "--municipality", "Зейский район", "--municipality",
                "г. Райчихинск", "--secrets", secrets, "--history", history)
        dry = cli(*args, "--send", "--dry-run")
        assert_no_traceback(dry)
        assert dry.stdout.splitlines() == ["Зейский район → zeya@example.ru: будет отправлено",
                                           "г. Райчихинск → raichikhinsk@example.ru: будет отправлено",
                                           "Итого: будет отправлено 2 письма."]
        assert server.received == []
        sent = cli(*args, "--send")
        assert sent.returncode == 0, sent.stderr
        assert sent.stdout.splitlines()[-1] == "Итого: отправлено 2 письма."
        assert [m.recipients for m in server.received] == [["zeya@example.ru"], ["raichikhinsk@example.ru"]]
        body = server.to("zeya@example.ru")[0].get_body(("plain",)).get_content()
        assert "https://dash.example.ru/problems?mo=RU-AMU:зейский:mr&campaign=amur-2022" in body
        again = cli(*args, "--send")
        assert again.stdout.splitlines()[-1] == "Итого: уже были отправлены раньше: 2."
        assert len(server.received) == 2


def test_send_without_a_server_or_with_one_that_is_down_says_so(tmp_path):
    no_smtp = tmp_path / "empty.toml"
    no_smtp.write_text('[access.emails]\n"zeya@example.ru" = "coordinator:RU-AMU:зейский:mr"\n', encoding="utf-8")
    unset = cli("remind", "--campaign", "amur-2022", "--send", "--secrets", str(no_smtp),
                "--history", str(tmp_path / "h"))
    assert_no_traceback(unset)
    assert unset.returncode == 2 and "почтовый сервер не настроен: добавьте [smtp]" in unset.stderr
    from tests.smtp_standin import free_port

    port = free_port()
    down = cli("remind", "--campaign", "amur-2022", "--municipality", "Зейский район", "--send",
               "--secrets", secrets_file(tmp_path, port), "--history", str(tmp_path / "h"))
    assert_no_traceback(down)
    assert down.returncode == 1
    assert down.stdout.splitlines()[0] == (f"Зейский район → zeya@example.ru: не отправлено (не удалось соединиться "
                                           f"с почтовым сервером 127.0.0.1:{port})")
    broken = tmp_path / "broken.toml"
    broken.write_text("[smtp\nhost = 1\n", encoding="utf-8")
    bad = cli("remind", "--campaign", "amur-2022", "--send", "--secrets", str(broken))
    assert_no_traceback(bad)
    assert bad.returncode == 2 and "не читается как TOML" in bad.stderr
