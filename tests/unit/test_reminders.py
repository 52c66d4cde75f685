"""Reminders to the municipalities that lag: the letter's words, its DOCX in the ministry's
layout, the e-mail text, and who may receive it."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn

from campaign.exports import reminder_docx
from campaign.reminders import as_uri, email_text, problems_link, reminder_deadline, reminder_letter, reminder_rows
from campaign.spec import CampaignFileError, parse_campaign, read_campaign_data
from service.mail import MailConfigError, mail_settings, recipients

ZEYA = "RU-AMU:зейский:mr"
BELOGORSK = "RU-AMU:белогорск:go"


def test_the_letter_to_all_lists_the_laggards_furthest_behind_first_then_those_with_errors(demo_report):
    report = demo_report("amur-2022")
    rows = reminder_rows(report)
    names = [r.municipality for r in rows]
    assert names[0] == "Архаринский район"  # silent ones first
    assert rows[0].owes == "в таблице нет ни одной строки; ещё 2 организации"
    assert names.index("Зейский район") < names.index("г. Белогорск")  # met its targets, has errors
    belogorsk = rows[names.index("г. Белогорск")]
    assert (belogorsk.owes, belogorsk.problems) == ("цели выполнены", "3 ошибки")
    assert len(rows) == 23 and all(r.needs_reminding for r in rows)


def test_the_letter_to_all_is_addressed_and_signed_as_the_ministry_writes(demo_report):
    letter = reminder_letter(demo_report("amur-2022"), base_url="https://dash.example.ru")
    assert letter.sender == ("МИНИСТЕРСТВО", "ОБРАЗОВАНИЯ И НАУКИ", "АМУРСКОЙ ОБЛАСТИ")
    assert letter.addressee[0] == "Руководителям"
    assert letter.salutation == "Уважаемые руководители!"
    assert letter.date_line == "22.02.2022 № ________"
    assert letter.paragraphs[0].startswith("По данным общей таблицы «Акция #МояХартия» на 22.02.2022 "
                                           "23 муниципальных образования ещё не выполнили показатели акции")
    # the deadline the municipalities report by to the ministry, not the ministry's own to the governor
    assert letter.closing[0].startswith("Напоминаем: срок «Итоги акции по прилагаемой форме» — 09.03.2022 "
                                        "(через 15 дней).")
    assert letter.signature == "Заместитель министра"


def test_a_letter_to_one_municipality_names_it(demo_report):
    letter = reminder_letter(demo_report("amur-2022"), [ZEYA])
    assert letter.addressee[-1] == "муниципального образования «Зейский район»"
    assert letter.salutation == "Уважаемый руководитель!"
    assert "муниципальным образованием «Зейский район» ещё не выполнено" in letter.paragraphs[0]
    assert [(r.municipality, r.owes) for r in letter.rows] == [("Зейский район", "ещё 1 организация")]
    assert len(letter.paragraphs) == 1  # no errors: no paragraph about them


def test_a_letter_about_errors_says_where_they_are_fixed(demo_report):
    letter = reminder_letter(demo_report("amur-2022"), [BELOGORSK], base_url="https://dash.example.ru/")
    assert "«Проверка данных»" in letter.paragraphs[1] and letter.paragraphs[1].endswith("по ссылке в таблице.")
    assert letter.rows[0].link == "https://dash.example.ru/problems?mo=RU-AMU:белогорск:go&campaign=amur-2022"


@pytest.mark.parametrize("kind, read_from, where, asked", [
    ("google", "По данным общей таблицы «Акция", "(лист, строка, столбец)",
     "внести недостающие сведения в общую таблицу и исправить ошибки."),
    ("folder", "По данным файлов муниципалитетов «Акция", "(файл, лист, строка, столбец)",
     "внести недостающие сведения в файл своего муниципалитета и исправить ошибки."),
    ("upload", "По данным таблицы «Акция", "(лист, строка, столбец)",
     "направить администратору дашборда недостающие сведения и исправленные строки."),
])
def test_the_letter_asks_for_the_data_where_the_municipalities_type_it(demo_report, kind, read_from, where, asked):
    """A folder of municipal files has no shared sheet to type into; an uploaded file is the
    administrator's to upload again."""
    from dataclasses import replace

    from campaign.workbook import SourceInfo

    report = replace(demo_report("amur-2022"), source=SourceInfo(kind=kind, label="amur"))
    letter = reminder_letter(report, [BELOGORSK])
    assert letter.paragraphs[0].startswith(read_from)
    assert where in letter.paragraphs[1]
    assert letter.closing[0].endswith("Просим до этого срока " + asked)
    assert ("общ" in letter.paragraphs[0] + letter.closing[0]) == (kind == "google")


def test_nested_titles_take_inner_quotes_and_another_region_its_own_letterhead(demo_report):
    report = demo_report("irkutsk-zastupnik-2024")
    letter = reminder_letter(report)
    assert letter.sender == ("МИНИСТЕРСТВО ОБРАЗОВАНИЯ", "ИРКУТСКОЙ ОБЛАСТИ")
    assert letter.subject == "Напоминание о сроках: «Социальный проект „Заступник“»"
    assert "срок «Ответственным вступить в рабочий чат „Заступник Иркутская область“» — 05.06.2024" \
        in letter.closing[0]
    assert letter.signature == "Министр образования Иркутской области"


def test_after_the_last_deadline_the_letter_asks_without_delay(demo_report):
    from dataclasses import replace

    report = demo_report("primorye-2022")
    late = replace(report, deadlines=[replace(d, days_left=-3) for d in report.deadlines])
    assert reminder_deadline(late) is None
    assert reminder_letter(late).closing[0].startswith("Сроки представления сведений прошли.")


def test_links_read_as_they_are_and_become_ascii_for_a_document():
    link = problems_link("https://d.example.ru", "amur-2022", "RU-AMU:зейский:mr")
    assert link == "https://d.example.ru/problems?mo=RU-AMU:зейский:mr&campaign=amur-2022"
    assert as_uri(link) == ("https://d.example.ru/problems?mo=RU-AMU:%D0%B7%D0%B5%D0%B9%D1%81%D0%BA%D0%B8%D0%B9:mr"
                            "&campaign=amur-2022")
    assert problems_link("https://d.example.ru", "x", "a&b=c#d") == "https://d.example.ru/problems?mo=a%26b%3Dc%23d&campaign=x"
    assert problems_link("", "amur-2022", ZEYA) == ""


def test_the_docx_has_the_letterhead_the_addressee_the_table_and_the_signature(demo_report):
    letter = reminder_letter(demo_report("amur-2022"), base_url="https://dash.example.ru")
    data = reminder_docx(letter)
    document = Document(io.BytesIO(data))
    head, table, signature = document.tables
    letterhead = head.cell(0, 0).text
    assert letterhead.startswith("МИНИСТЕРСТВО\nОБРАЗОВАНИЯ И НАУКИ\nАМУРСКОЙ ОБЛАСТИ\n(Минобрнауки Амурской области)")
    assert "22.02.2022 № ________" in letterhead and "На № _____ от _____" in letterhead
    assert head.cell(0, 1).text.startswith("Руководителям\nорганов местного самоуправления")
    assert [c.text for c in table.rows[0].cells] == ["№", "Муниципальное образование", "Что осталось сделать",
                                                    "Проблемы в таблице", "Где исправить"]
    assert len(table.rows) == 1 + len(letter.rows)
    assert [c.text for c in table.rows[1].cells[:4]] == ["1", "Архаринский район",
                                                        "в таблице нет ни одной строки; ещё 2 организации", "нет"]
    assert signature.cell(0, 0).text == "Заместитель министра"
    # a narrow column breaks a long name by the rules (optional hyphens), not «Константиновски / й»
    konstantinovsky = next(row.cells[1] for row in table.rows if row.cells[1].text == "Константиновский район")
    run = konstantinovsky.paragraphs[0].runs[0]._r
    assert [child.tag.rsplit("}", 1)[1] for child in run if child.tag.endswith(("}t", "}softHyphen"))] == [
        "t", "softHyphen", "t", "softHyphen", "t", "softHyphen", "t", "softHyphen", "t"]
    assert "".join(t.text for t in run.iter(qn("w:t"))) == "Константиновский район"
    body = [p.text for p in document.paragraphs]
    assert "Уважаемые руководители!" in body and letter.closing[0] in body
    # the links are real hyperlinks to the municipality's «Проверка данных»
    relations = zipfile.ZipFile(io.BytesIO(data)).read("word/_rels/document.xml.rels").decode()
    assert "problems?mo=RU-AMU:%D0%B0%D1%80%D1%85" in relations and 'TargetMode="External"' in relations
    assert document.core_properties.title == "Напоминание о сроках: «Акция #МояХартия»"


def test_a_docx_without_the_dashboards_address_has_no_link_column(demo_report):
    document = Document(io.BytesIO(reminder_docx(reminder_letter(demo_report("amur-2022"), [ZEYA]))))
    assert len(document.tables[1].columns) == 4


def test_the_email_text_is_the_letter_with_its_links(demo_report):
    letter = reminder_letter(demo_report("amur-2022"), [BELOGORSK], base_url="https://dash.example.ru")
    text = email_text(letter)
    assert text.startswith("Уважаемый руководитель!\n\nПо данным общей таблицы")
    assert "• г. Белогорск: цели выполнены; проблемы в таблице: 3 ошибки\n" \
           "  https://dash.example.ru/problems?mo=RU-AMU:белогорск:go&campaign=amur-2022" in text
    assert text.rstrip().endswith("Заместитель министра\nМинобрнауки Амурской области")
    assert "None" not in text


def test_the_same_letter_has_the_same_digest_and_another_day_another(demo_report):
    from dataclasses import replace
    from datetime import timedelta

    report = demo_report("amur-2022")
    assert reminder_letter(report, [ZEYA]).digest == reminder_letter(report, [ZEYA]).digest
    later = replace(report, as_of=report.as_of + timedelta(days=1))
    assert reminder_letter(later, [ZEYA]).digest != reminder_letter(report, [ZEYA]).digest


def test_only_configured_coordinators_of_the_municipality_receive_its_letter():
    emails = {"zeya@example.ru": f"coordinator:{ZEYA}", "Zeya2@Example.ru ": f"coordinator:{ZEYA}",
              "boss@example.ru": "admin", "tynda@example.ru": "coordinator:RU-AMU:тында:go",
              "a@example.ru, b@example.ru": f"coordinator:{ZEYA}", "Имя <c@example.ru>": f"coordinator:{ZEYA}",
              "x@example.ru\nBcc: y@example.ru": f"coordinator:{ZEYA}"}
    assert recipients(emails, ZEYA) == ("zeya2@example.ru", "zeya@example.ru")
    assert recipients(emails, "RU-AMU:прогресс:go") == ()


def test_the_smtp_settings_are_checked_with_a_message_that_says_what_to_write(tmp_path):
    assert mail_settings({}) is None
    settings = mail_settings({"smtp": {"host": "smtp.example.ru", "user": "d@example.ru", "password": "Secret-42x"}})
    assert (settings.port, settings.security, settings.sender_address) == (587, "starttls", "d@example.ru")
    assert "Secret-42x" not in repr(settings)  # the password is not in a repr (nor in a log line of one)
    assert mail_settings({"smtp": {"host": "h", "security": "ssl", "from": "d@example.ru"}}).port == 465
    for section, words in (({"port": 25}, "host"), ({"host": "h", "security": "tls"}, "starttls, ssl или none"),
                           ({"host": "h", "port": "двадцать"}, "числа"), ({"host": "h"}, "from"),
                           ({"host": "h", "from": "d@e.ru", "port": 70000}, "от 1 до 65535"),
                           ({"host": "h", "from": "d@e.ru", "user": "d", "password": "Пароль"}, "латиницей"),
                           ({"host": "h", "from": "d@e.ru", "ca_file": str(tmp_path / "no.pem")}, "ca_file")):
        with pytest.raises(MailConfigError, match=words):
            mail_settings({"smtp": section})


def test_a_campaign_file_whose_letter_names_no_deadline_recipient_is_refused():
    data = read_campaign_data("amur-2022")
    data["letter"]["reports_to"] = "Минобрнауки"
    with pytest.raises(CampaignFileError, match="reports_to"):
        parse_campaign(data)
    data["letter"]["signatory"] = "x"
    del data["letter"]["reports_to"]
    with pytest.raises(CampaignFileError):
        parse_campaign(data)


def test_a_campaign_without_a_letter_writes_to_the_heads_of_its_municipalities():
    data = read_campaign_data("amur-2022")
    del data["letter"]
    letter = parse_campaign(data).letter
    assert letter.addressee == ("Главам муниципальных образований", "Амурской области")
    assert letter.salutation == "Уважаемые коллеги!"
