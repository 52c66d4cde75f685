"""Command line: `python -m campaign summary|check|form|briefing|init-sheet|record|remind|passcode …`.

`form` writes the official results form (.docx or .xlsx) or, with --contacts, the contacts
list (.xlsx, personal data) to --out. `init-sheet` makes a new, empty sheet for a campaign:
an .xlsx file (--xlsx) or the tabs of an empty Google Sheet (--sheet, a service account with
edit rights); it never touches a file or a sheet that already holds anything.

An entry point: it parses arguments, fetches through data_sources and calls the pipeline.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from campaign import russian
from campaign.pipeline import Report, run
from campaign.spec import CampaignFileError, load_campaign, require_region
from campaign.summary import problems_text, report_to_dict, summary_text
from campaign.workbook import SourceError
from data_sources.config import KINDS, demo_as_of, load_settings, parse_date, source_kind_for, source_of


def _with_source(command: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The options every command that reads a sheet has: which sheet, which campaign, «as of»."""
    command.add_argument("--source", help="путь к .xlsx или папке .csv, адрес или ключ Google-таблицы "
                                          "(по умолчанию — демонстрационная таблица кампании)")
    command.add_argument("--campaign", default=None, help="id кампании из campaigns/ или путь к .toml")
    command.add_argument("--source-kind", choices=["auto", *KINDS], default="auto")
    command.add_argument("--personal-source", help="книга персональных столбцов, хранимая отдельно от общей "
                                                   "таблицы (в России): путь, адрес WebDAV или публичная ссылка "
                                                   "Яндекс Диска; соединяется со строками таблицы по ключам листов")
    command.add_argument("--personal-source-kind", choices=["auto", *KINDS], default="auto")
    command.add_argument("--as-of", help="дата «по состоянию на» (ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)")
    return command


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m campaign", description="Итоги акции по общей таблице.")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (("summary", "итоги по целям, муниципалитетам и срокам"),
                            ("check", "только проблемы в таблице, по муниципалитетам")):
        command = _with_source(commands.add_parser(name, help=help_text))
        command.add_argument("--json", action="store_true", help="вывести JSON")
        command.add_argument("--history", metavar="DB", help="история чтений: папка, файл .sqlite3 или адрес "
                                                              "PostgreSQL (по умолчанию — из настроек); с ней "
                                                              "summary --json говорит, что изменилось за сутки")
    form = _with_source(commands.add_parser("form", help="форма «Итоги акции» в .docx или .xlsx, "
                                                         "или список контактов (--contacts)"))
    form.add_argument("--municipality", metavar="NAME",
                      help="форма одного муниципалитета, например «г. Тында»")
    form.add_argument("--contacts", action="store_true",
                      help="вместо формы — список присоединившихся организаций и контактных лиц "
                           "(.xlsx; персональные данные)")
    form.add_argument("--out", required=True, metavar="FILE", help="куда записать: FILE.docx или FILE.xlsx")
    briefing = _with_source(commands.add_parser("briefing", help="слайд 16:9 (1920×1080) для доклада: цели, "
                                                                 "карта, динамика"))
    briefing.add_argument("--out", required=True, metavar="FILE", help="куда записать: FILE.png или FILE.pdf")
    upload = commands.add_parser("upload", help="загрузить таблицу .xlsx как данные кампании, которая читает "
                                                 "загруженные файлы (source = \"upload\"): до следующей загрузки")
    upload.add_argument("file", metavar="FILE.xlsx")
    upload.add_argument("--campaign", default=None, help="id кампании из campaigns/")
    upload.add_argument("--by", default="", help="кто загружает (видно администраторам)")
    upload.add_argument("--history", metavar="DB", help="история чтений: папка, файл .sqlite3 или адрес PostgreSQL")
    init = commands.add_parser("init-sheet", help="новая пустая таблица кампании: листы с заголовками, "
                                                   "списки, проверка ввода и «Инструкция»")
    init.add_argument("--campaign", required=True, help="id кампании из campaigns/ или путь к .toml")
    target = init.add_mutually_exclusive_group(required=True)
    target.add_argument("--sheet", metavar="KEY", help="адрес или ключ новой пустой Google-таблицы "
                                                       "(нужен сервисный аккаунт с правом «Редактор»)")
    target.add_argument("--xlsx", metavar="FILE", help="записать новый файл .xlsx (существующий не перезаписывается)")
    init.add_argument("--personal-xlsx", metavar="FILE", help="персональные данные хранятся отдельно: общая таблица "
                                                              "(--sheet или --xlsx) — без персональных столбцов, а "
                                                              "книга персональных столбцов — в этот новый файл .xlsx")
    record = _with_source(commands.add_parser("record", help="прочитать таблицу и записать чтение в историю "
                                                             "(для cron или таймера systemd: «за сутки» без "
                                                             "пропусков)"))
    record.add_argument("--history", metavar="DB", help="история чтений: папка, файл .sqlite3 или адрес PostgreSQL")
    record.add_argument("--at", metavar="ISO_TIME", help="записать чтение на это время (2022-02-21T10:00+09:00): "
                                                         "для тестов и переноса прошлых чтений")
    remind = _with_source(commands.add_parser("remind", help="напоминание отстающим муниципалитетам: письмо "
                                                             ".docx в форме писем министерства, или рассылка "
                                                             "координаторам (--send)"))
    remind.add_argument("--municipality", metavar="NAME", action="append",
                        help="письмо одному муниципалитету (можно повторить); по умолчанию — всем отстающим")
    remind.add_argument("--out", metavar="FILE.docx", help="записать письмо в .docx (без --out и --send — "
                                                           "текст письма на экран)")
    remind.add_argument("--send", action="store_true", help="разослать каждому муниципалитету его письмо "
                                                             "на адреса координаторов из [access.emails]")
    remind.add_argument("--dry-run", action="store_true", help="с --send: показать, кому что уйдёт, не отправляя")
    remind.add_argument("--resend-unconfirmed", action="store_true",
                        help="с --send: отправить снова письма, доставку которых сервер не подтвердил (могут прийти "
                             "дважды: сначала проверьте у получателей)")
    remind.add_argument("--secrets", metavar="FILE", default=".streamlit/secrets.toml",
                        help="настройки [smtp], [access.emails], [app] url (по умолчанию .streamlit/secrets.toml)")
    remind.add_argument("--base-url", metavar="URL", help="адрес дашборда для ссылок на «Проверку данных» "
                                                         "(по умолчанию [app] url из настроек)")
    remind.add_argument("--history", metavar="DB", help="история чтений (где отмечаются отправленные письма)")
    passcode = commands.add_parser("passcode", help="хэш кода доступа для [access.passcodes] в secrets.toml "
                                                    "(код читается со стандартного ввода)")
    passcode.add_argument("--salt", help="одна соль для всех кодов (буквы и цифры): тогда каждая попытка "
                                         "входа стоит одного вычисления хэша, а не одного на каждую роль")
    return parser


FORM_FORMATS = (".docx", ".xlsx")
PERSONAL_DATA_WARNING = ("Внимание: файл содержит персональные данные (ФИО и телефоны контактных лиц). "
                         "Храните и передавайте его только по служебной необходимости, не публикуйте.")


def _out_error(args: argparse.Namespace) -> str | None:
    """A Russian error for an --out the command cannot write, None when it is fine."""
    suffix = Path(args.out).suffix.lower()
    if args.contacts and suffix != ".xlsx":
        return f"Список контактов записывается только в .xlsx, а не в «{Path(args.out).name}»."
    if suffix not in FORM_FORMATS:
        return (f"Не знаю, в каком формате записать «{Path(args.out).name}»: "
                f"укажите файл .docx (Word) или .xlsx (Excel).")
    return None


def _municipality_uid(report: Report, name: str) -> tuple[str | None, str | None]:
    """(uid, None) for a name the region's registry knows, (None, a Russian error) otherwise."""
    registry = report.registry
    resolution = registry.resolve(name)
    if resolution.status == "ok" and resolution.uid:
        return resolution.uid, None
    suggestions = list(resolution.suggestions)
    if not suggestions:
        names = [m.name for m in registry.municipalities]
        suggestions = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    region = report.campaign.region_name_genitive
    if resolution.status == "ambiguous":
        message = f"Название «{name}» подходит к нескольким муниципалитетам {region}."
    else:
        message = f"Муниципалитет «{name}» не найден на территории {region}."
    if suggestions:
        message += " Возможно, вы имели в виду: " + "; ".join(f"«{s}»" for s in suggestions) + "."
    else:
        message += " Муниципалитеты: " + "; ".join(m.name for m in registry.municipalities) + "."
    return None, message


def _form_command(args: argparse.Namespace, report: Report) -> int:
    from campaign import exports
    from campaign.form import contacts_table, results_form

    uid = None
    if args.municipality is not None:
        uid, error = _municipality_uid(report, args.municipality)
        if error:
            print(f"Ошибка: {error}", file=sys.stderr)
            return 2
    out = Path(args.out)
    try:
        if args.contacts:
            table = contacts_table(report, uid)
            title = report.campaign.contacts.title
            if uid:
                title += f" — {report.registry.name(uid)}"
            title += f" (по состоянию на {russian.day(report.as_of)})"
            data = exports.contacts_xlsx(table, title)
        else:
            form = results_form(report, uid)
            data = exports.form_docx(form) if out.suffix.lower() == ".docx" else exports.form_xlsx(form)
    except ValueError:  # the campaign has no form / no contacts list
        what = "списка контактов" if args.contacts else "формы итогов"
        print(f"Ошибка: в кампании {report.campaign.id} нет {what}.", file=sys.stderr)
        return 2
    try:
        out.write_bytes(data)
    except OSError as error:
        print(f"Ошибка: не удалось записать «{out}»: {error.strerror or error}.", file=sys.stderr)
        return 2
    if args.contacts:
        print(PERSONAL_DATA_WARNING, file=sys.stderr)
    if report.errors:
        print(f"В таблице есть ошибки ({report.errors}): итоги могут быть неполными. "
              f"Подробно: python -m campaign check.", file=sys.stderr)
    print(f"Записано: {out}")
    return 0


MSG_NO_EDITOR = ("Для создания листов в Google-таблице нужен сервисный аккаунт с правом редактирования: "
                 "укажите путь к его JSON-ключу в переменной окружения GOOGLE_APPLICATION_CREDENTIALS "
                 "и откройте таблицу для его client_email с ролью «Редактор».")


def _init_sheet_command(args: argparse.Namespace) -> int:
    from campaign.sheet_layout import PERSONAL, SHARED, WHOLE, plan_sheet

    try:
        campaign = load_campaign(args.campaign)
        layout = plan_sheet(campaign, part=SHARED if args.personal_xlsx else WHOLE)
        personal = plan_sheet(campaign, part=PERSONAL) if args.personal_xlsx else None
    except CampaignFileError as error:
        print(f"Ошибка: {error}", file=sys.stderr)
        return 2
    if personal is not None:
        if not personal.tabs:
            print(f"Ошибка: в кампании «{campaign.id}» нет персональных столбцов: отдельная книга не нужна.",
                  file=sys.stderr)
            return 2
        for path in filter(None, (args.personal_xlsx, args.xlsx)):  # refused before anything is written
            if error := _new_xlsx_error(Path(path)):
                print(f"Ошибка: {error}", file=sys.stderr)
                return 2
    if args.xlsx is not None:
        status = _write_new_xlsx(layout, Path(args.xlsx))
    else:
        status = _write_google_sheet(args, layout)
    if status == 0 and personal is not None:
        status = _write_new_xlsx(personal, Path(args.personal_xlsx))
    return status


def _new_xlsx_error(out: Path) -> str | None:
    if out.suffix.lower() != ".xlsx":
        return f"таблица записывается только в .xlsx, а не в «{out.name}»."
    if out.exists():
        return f"файл «{out}» уже существует. Генератор не перезаписывает файлы: укажите имя нового файла."
    return None


def _write_new_xlsx(layout, out: Path) -> int:
    from campaign.sheet_layout import summary_text
    from campaign.sheet_xlsx import layout_xlsx

    if error := _new_xlsx_error(out):
        print(f"Ошибка: {error}", file=sys.stderr)
        return 2
    try:
        with out.open("xb") as handle:  # "x": never over a file that exists
            handle.write(layout_xlsx(layout))
    except FileExistsError:
        print(f"Ошибка: {_new_xlsx_error(out)}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"Ошибка: не удалось записать «{out}»: {error.strerror or error}.", file=sys.stderr)
        return 2
    print(summary_text(layout, str(out)))
    return 0


def _write_google_sheet(args: argparse.Namespace, layout) -> int:
    from campaign.sheet_layout import summary_text
    from data_sources.sheet_setup import SheetSetup

    try:
        service_account = load_settings().service_account
        if not service_account:
            print(f"Ошибка: {MSG_NO_EDITOR}", file=sys.stderr)
            return 2
        result = SheetSetup(args.sheet, credentials=service_account).create(layout)
    except SourceError as error:
        print(f"Ошибка: {error}", file=sys.stderr)
        return 2
    print(summary_text(layout, result.url))
    if result.deleted:
        print("Удалены пустые листы, которые были в таблице: " + ", ".join(f"«{t}»" for t in result.deleted) + ".")
    if result.locale and not result.locale.lower().startswith("ru"):
        print(f"Внимание: региональные настройки таблицы — {result.locale}, даты ДД.ММ.ГГГГ могут не "
              f"распознаваться как даты. Выберите «Россия»: Файл → Настройки → Региональные настройки.")
    return 0


def _passcode_command(args: argparse.Namespace) -> int:
    from campaign.access import MIN_PASSCODE_LENGTH, hash_passcode

    passcode = sys.stdin.readline().rstrip("\r\n")  # a Windows line end is not part of the code
    if not passcode:
        print("Ошибка: введите код доступа (одной строкой на стандартный ввод).", file=sys.stderr)
        return 2
    if len(passcode) < MIN_PASSCODE_LENGTH or passcode.strip() != passcode:
        print(f"Ошибка: код доступа должен быть не короче {MIN_PASSCODE_LENGTH} символов, без пробелов в "
              "начале и в конце.", file=sys.stderr)
        return 2
    if args.salt is not None and not args.salt.isalnum():
        print("Ошибка: соль — только латинские буквы и цифры.", file=sys.stderr)
        return 2
    print(hash_passcode(passcode, salt=args.salt))
    return 0


def _history(args: argparse.Namespace, settings):
    """The history `--history` names (a folder, a .sqlite3 file, a PostgreSQL URL), else the
    configured one; None for the bundled demo without --history."""
    from history.store import HistoryStore

    if getattr(args, "history", None):
        text = args.history
        if "://" in text:
            return HistoryStore(text)
        path = Path(text)
        if path.suffix in (".sqlite3", ".sqlite", ".db"):
            return HistoryStore(f"sqlite:///{path.resolve()}")
        return HistoryStore(folder=path)
    if settings.is_demo and not getattr(args, "source", None):
        return None
    from service.reads import history_for

    return history_for(settings)


def _latest_upload(args, settings):
    """For a campaign whose data is uploaded: its latest upload, from the history of reads."""
    if settings.source_kind != "upload":
        return None
    from history.store import source_key
    from service.reads import history_for, latest_upload

    store = _history(args, settings) or history_for(settings)
    return lambda: latest_upload(store, source_key(*settings.history_key))


def _upload_command(args: argparse.Namespace) -> int:
    from service.uploads import UploadRefused, accept_upload

    path = Path(args.file)
    try:
        settings = load_settings()
        settings = load_settings(campaign_id=args.campaign) if args.campaign else settings
        content = path.read_bytes()
    except SourceError as error:
        print(f"Ошибка: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"Ошибка: не удалось прочитать «{path.name}»: {error.strerror or error}.", file=sys.stderr)
        return 2
    store = _history(args, settings)
    try:
        uploaded = accept_upload(settings, path.name, content, args.by, store=store)
    except UploadRefused as refused:
        print(f"Ошибка: файл не принят. {refused.message}", file=sys.stderr)
        return 2
    print(uploaded.said())
    return 0


def _is_demo_workbook(source: str, campaign_id: str) -> bool:
    """Whether `source` is the campaign's bundled demo workbook (data/demo/<id>.xlsx)."""
    from data_sources.config import demo_workbook

    try:
        return Path(source).resolve() == demo_workbook(campaign_id).resolve()
    except OSError:
        return False


def _with_source_arguments(args, settings):
    """The settings with the sheet (and the workbook of personal columns) the arguments name."""
    changed = {}
    if args.source:
        changed["source"] = args.source
    source = changed.get("source", settings.source)
    if args.source or args.source_kind != "auto":
        changed["source_kind"] = (args.source_kind if args.source_kind != "auto"
                                  else source_kind_for(source, settings.service_account))
    if args.personal_source:
        changed["personal_source"] = args.personal_source
        changed["personal_source_kind"] = (args.personal_source_kind if args.personal_source_kind != "auto"
                                           else source_kind_for(args.personal_source, None))
    return replace(settings, **changed) if changed else settings


def _record_command(args, settings, workbook, report) -> int:
    from campaign.daily import campaign_digest, figures_of
    from history.store import HistoryError, source_key

    store = _history(args, settings)
    if store is None:
        from service.reads import history_for

        store = history_for(settings)
    try:
        record = store.record(source_key(*settings.history_key), workbook)
        store.note_figures(record.snapshot_id, campaign_digest(report.campaign),  # for «по дням отчётов»
                           figures_of(report))
        count = len(store.reads(source_key(*settings.history_key)))
    except HistoryError as error:
        print(f"Ошибка: {error.message}", file=sys.stderr)
        return 2
    from history.shared import SharedHistory, is_shared

    if is_shared(store.url):  # the app servers of a shared history load it at once
        SharedHistory(store.url).announce(source_key(*settings.history_key))

    rows = sum(len(tab.rows) for tab in workbook.tabs)
    local = workbook.read_at.astimezone(ZoneInfo(report.campaign.timezone))
    print(f"Записано чтение {russian.moment(local)} (время {report.campaign.region_name_genitive}): "
          f"{russian.count(rows, ('строка', 'строки', 'строк'))}; чтений в истории: {russian.number(count)}.")
    return 0


def _secrets_file(path: str) -> dict:
    """The settings of a secrets.toml (as the app reads them); {} when there is none."""
    import tomllib

    file = Path(path)
    if not file.is_file():
        return {}
    try:
        return tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SourceError("config", f"Файл настроек «{file}» не читается как TOML: {error}.") from None
    except OSError as error:
        raise SourceError("config", f"Файл настроек «{file}» не открылся: {error.strerror or error}.") from None


def _remind_command(args: argparse.Namespace, settings, secrets: dict, report: Report) -> int:
    from campaign import exports, russian
    from campaign.reminders import email_text, reminder_letter, reminder_rows

    uids = None
    if args.municipality:
        uids = []
        for name in args.municipality:
            uid, error = _municipality_uid(report, name)
            if error:
                print(f"Ошибка: {error}", file=sys.stderr)
                return 2
            uids.append(uid)
    from data_sources.config import app_url

    base_url = str(args.base_url or "").rstrip("/") or app_url(secrets=secrets)
    rows = [r for r in reminder_rows(report, uids, base_url) if r.needs_reminding]
    if not rows:
        who = "у выбранных муниципалитетов" if uids else "у муниципалитетов"
        print(f"Напоминать не о чем: {who} цели выполнены и ошибок в таблице нет.")
        return 0
    if args.send or args.dry_run:
        return _send_reminders(args, settings, secrets, report, [r.uid for r in rows], base_url)
    letter = reminder_letter(report, [r.uid for r in rows] if uids else None, base_url)
    if not args.out:
        sys.stdout.write(email_text(letter))
        return 0
    out = Path(args.out)
    if out.suffix.lower() != ".docx":
        print(f"Ошибка: письмо записывается в .docx, а не в «{out.name}».", file=sys.stderr)
        return 2
    try:
        out.write_bytes(exports.reminder_docx(letter))
    except OSError as error:
        print(f"Ошибка: не удалось записать «{out}»: {error.strerror or error}.", file=sys.stderr)
        return 2
    print(f"Записано: {out} — напоминание {russian.count(len(letter.rows), MUNICIPALITY_DATIVE)}.")
    return 0


MUNICIPALITY_DATIVE = ("муниципалитету", "муниципалитетам", "муниципалитетам")


def _send_reminders(args, settings, secrets: dict, report: Report, uids: list[str], base_url: str) -> int:
    from campaign.access import email_roles
    from history.store import HistoryError
    from service.mail import MailConfigError, mail_settings, plan, send

    try:
        mail = mail_settings(secrets)
    except MailConfigError as error:
        print(f"Ошибка: {error}", file=sys.stderr)
        return 2
    if mail is None and not args.dry_run:
        print(f"Ошибка: почтовый сервер не настроен: добавьте [smtp] в «{args.secrets}» (host, port, security, "
              "user, password, from — см. README, «History, changes and reminders»).", file=sys.stderr)
        return 2
    emails = email_roles(secrets)
    store = _history(args, settings)
    if store is None:
        from service.reads import history_for

        store = history_for(settings)
    try:
        if args.resend_unconfirmed and not args.dry_run:
            forgotten = store.forget_unconfirmed(report.campaign.id)
            print(f"Снова отправляются письма без подтверждения доставки: {forgotten}.")
        planned = plan(report, emails, uids=uids, base_url=base_url, store=store)
    except HistoryError as error:
        print(f"Ошибка: история чтений недоступна, без неё письма могли бы уйти дважды: {error.message}",
              file=sys.stderr)
        return 2
    without = [p.municipality for p in planned if not p.recipients]
    if without:
        print("Нет адресов координаторов в [access.emails] — не отправляется: " + ", ".join(without) + ".",
              file=sys.stderr)
    outcomes = send([p for p in planned if p.recipients], mail, store, report, dry_run=args.dry_run) \
        if mail is not None else [o for p in planned for o in _dry(p)]
    for outcome in outcomes:
        print(outcome.line)
    print(_sending_total(outcomes))
    return 1 if any(o.status in ("failed", "unconfirmed") for o in outcomes) else 0


LETTER_FORMS = ("письмо", "письма", "писем")


def _sending_total(outcomes) -> str:

    if not outcomes:
        return "Отправлять некому: ни у одного из этих муниципалитетов нет адресов координаторов."
    counts = {status: sum(o.status == status for o in outcomes)
              for status in ("sent", "failed", "unconfirmed", "skipped", "dry-run")}
    parts = []
    if counts["dry-run"]:
        parts.append(f"будет отправлено {russian.count(counts['dry-run'], LETTER_FORMS)}")
    if counts["sent"]:
        parts.append(f"отправлено {russian.count(counts['sent'], LETTER_FORMS)}")
    if counts["failed"]:
        parts.append(f"не отправлено {russian.count(counts['failed'], LETTER_FORMS)} (повторите команду: "
                     "уже отправленные второй раз не уйдут)")
    if counts["unconfirmed"]:
        parts.append(f"доставка не подтверждена: {russian.count(counts['unconfirmed'], LETTER_FORMS)} (сервер "
                     "принял их, но не ответил; повторно они не отправляются — проверьте у получателей, а "
                     "отправить снова можно с --resend-unconfirmed)")
    if counts["skipped"]:
        parts.append(f"уже были отправлены раньше: {russian.number(counts['skipped'])}")
    return "Итого: " + "; ".join(parts) + "."


def _dry(planned):
    from service.mail import Outcome

    return [Outcome(planned.municipality, r, "skipped" if r in planned.already_sent else "dry-run")
            for r in planned.recipients]


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "init-sheet":
        return _init_sheet_command(args)
    if args.command == "upload":
        return _upload_command(args)
    if args.command == "passcode":
        return _passcode_command(args)
    if args.command == "form" and (error := _out_error(args)):
        print(f"Ошибка: {error}", file=sys.stderr)
        return 2
    if args.command == "briefing":
        from campaign.briefing import out_error as briefing_out_error

        if error := briefing_out_error(args.out):
            print(f"Ошибка: {error}", file=sys.stderr)
            return 2
    try:
        secrets = _secrets_file(args.secrets) if args.command == "remind" else {}
        settings = load_settings(secrets=secrets)
        campaign = require_region(load_campaign(args.campaign or settings.campaign_id))
        if campaign.id != settings.campaign_id:  # its own source, or its demo workbook, and its «as of»
            settings = load_settings(secrets=secrets, campaign_id=campaign.id)
        settings = _with_source_arguments(args, settings)
        as_of = parse_date(args.as_of) if args.as_of else (settings.as_of if not args.source else None)
        if as_of is None and args.source and _is_demo_workbook(args.source, campaign.id):
            as_of = demo_as_of(campaign.id)  # the demo names its own day, whoever names its file
        workbook = source_of(settings, _latest_upload(args, settings)).read()
    except (SourceError, CampaignFileError) as error:
        print(f"Ошибка: {error}", file=sys.stderr)
        return 2
    if getattr(args, "at", None):
        try:
            moment = datetime.fromisoformat(args.at)
        except ValueError:
            print(f"Ошибка: время «{args.at}» не распознано: нужно 2022-02-21T10:00+09:00.", file=sys.stderr)
            return 2
        workbook = replace(workbook, read_at=moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc))
    report = run(workbook.tabs, campaign, as_of=as_of, source=workbook.source, read_at=workbook.read_at)
    if args.command == "record":
        return _record_command(args, settings, workbook, report)
    if args.command == "remind":
        return _remind_command(args, settings, secrets, report)
    if args.command == "form":
        return _form_command(args, report)
    if args.command == "briefing":
        from campaign.briefing import write_briefing

        try:
            out = write_briefing(report, args.out)
        except OSError as error:
            print(f"Ошибка: не удалось записать «{args.out}»: {error.strerror or error}.", file=sys.stderr)
            return 2
        print(f"Записано: {out}")
        return 0
    if args.command == "summary":
        if args.json:
            data = {**report_to_dict(report), "changes": None, "lost_rows": []}  # the same keys without a history
            store = _history(args, settings)
            if store is not None:
                from campaign.summary import changes_to_dict, lost_rows_to_list
                from history.store import HistoryError, source_key
                from service.reads import look_back

                try:
                    back = look_back(store, source_key(*settings.history_key), workbook, report, lambda record: run(
                        store.workbook(record.id).tabs, campaign, as_of=as_of, read_at=record.read_at),
                        recorded=False)
                except HistoryError as error:
                    print(f"Внимание: история чтений недоступна: {error.message}", file=sys.stderr)
                else:
                    data["changes"] = changes_to_dict(back.yesterday)
                    data["lost_rows"] = lost_rows_to_list(back.lost)
            json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
        else:
            print(summary_text(report))
        return 0
    if args.json:
        json.dump(report_to_dict(report)["problems"], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(problems_text(report))
    return 1 if report.errors else 0
