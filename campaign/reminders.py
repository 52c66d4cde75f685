"""Reminders to the municipalities that lag: a letter in the layout of the ministry's own letters
(letterhead, number line, addressee, salutation, body, a table of what each still owes, the
deadline, the signatory's position), and the same text for e-mail. Content only: the DOCX is
made in exports.py, sending is in service/mail.py.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from urllib.parse import quote

from campaign import russian
from campaign.lagging import Laggard, laggards
from campaign.pipeline import Report
from campaign.progress import DeadlineStatus

NOTHING_OWED = "цели выполнены"


@dataclass(frozen=True)
class ReminderRow:
    uid: str
    municipality: str
    owes: str  # «ещё 2 организации; нет мероприятий», or NOTHING_OWED
    problems: str  # «3 ошибки, 1 предупреждение» or «нет»
    errors: int
    link: str  # its «Проверка данных» view, or "" without the dashboard's address

    @property
    def needs_reminding(self) -> bool:
        return self.owes != NOTHING_OWED or self.errors > 0


@dataclass(frozen=True)
class Letter:
    sender: tuple[str, ...]  # the letterhead's bold lines
    details: tuple[str, ...]  # the sender's short name, address and contacts
    date_line: str  # «04.03.2022 № ________»
    addressee: tuple[str, ...]
    subject: str
    salutation: str
    paragraphs: tuple[str, ...]
    rows: tuple[ReminderRow, ...]
    closing: tuple[str, ...]  # the deadline and what to do
    signature: str  # the signatory's position; the name is left for the one who signs
    sender_name: str = ""  # «Минобрнауки Амурской области», under the position in an e-mail
    unit_heading: str = "Муниципальное образование"  # the table's column of whom the letter reminds

    @property
    def signed_for(self) -> tuple[str, ...]:
        """The sender's name under the position, unless the position names it already."""
        if not self.sender_name or self.sender_name.split()[-2:] == self.signature.split()[-2:]:
            return ()
        return (self.sender_name,)

    @property
    def digest(self) -> str:
        """Tells two letters apart: the same letter is not sent twice to one address."""
        text = "\n".join([*self.addressee, self.subject, *self.paragraphs, *self.closing,
                          *(f"{r.uid}|{r.owes}|{r.problems}" for r in self.rows)])
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def problems_link(base_url: str, campaign_id: str, uid: str) -> str:
    """The municipality's view of «Проверка данных» on the dashboard at `base_url`."""
    if not base_url:
        return ""
    query = "&".join(f"{name}={_query_value(value)}" for name, value in (("mo", uid), ("campaign", campaign_id)))
    return f"{base_url.rstrip('/')}/problems?{query}"


def _query_value(text: str) -> str:
    """A query value readable in a letter: letters (Cyrillic too) as they are, ASCII punctuation
    that means something in a query encoded. Mail clients and Word open such links (IRIs);
    `as_uri` gives the all-ASCII form where one is required."""
    return "".join(c if not c.isascii() or c.isalnum() or c in "-._~:" else quote(c, safe="") for c in text)


def as_uri(link: str) -> str:
    """The all-ASCII form of a readable link (a hyperlink's target in a document)."""
    return quote(link, safe=":/?&=%#~-._")


def reminder_rows(report: Report, uids: list[str] | None = None, base_url: str = "") -> list[ReminderRow]:
    """What each lagging municipality (or each of `uids`, in that order) still owes, its open
    problems and the link to them: the furthest behind first, then those whose targets are met
    but whose rows have errors (they do not count until fixed)."""
    table = report.municipalities.set_index("uid")
    ranked: dict[str, Laggard] = {m.uid: m for m in laggards(report, limit=None)}
    with_errors = table[(table["errors"] > 0) & ~table.index.isin(list(ranked))].sort_values("name").index
    wanted = uids if uids is not None else [*ranked, *with_errors]
    rows = []
    for uid in wanted:
        if uid not in table.index:
            continue
        laggard = ranked.get(uid)
        errors, warnings = int(table.at[uid, "errors"]), int(table.at[uid, "warnings"])
        rows.append(ReminderRow(uid, str(table.at[uid, "name"]), "; ".join(laggard.owes) if laggard else NOTHING_OWED,
                                russian.problems_count(errors, warnings), errors,
                                problems_link(base_url, report.campaign.id, uid)))
    return rows


def reminder_deadline(report: Report) -> DeadlineStatus | None:
    """The next deadline the municipalities report by: the first from «as of» on whose recipient
    is the letter's sender (`[letter] reports_to`), else the first of all."""
    upcoming = [d for d in report.deadlines if d.days_left >= 0]
    reports_to = report.campaign.letter.reports_to
    own = [d for d in upcoming if d.recipient == reports_to] if reports_to else []
    return (own or upcoming or [None])[0]


def reminder_letter(report: Report, uids: list[str] | None = None, base_url: str = "") -> Letter:
    """The letter to the lagging municipalities, or to those of `uids` (one uid: a letter to that
    municipality alone, addressed to it)."""
    campaign = report.campaign
    spec = campaign.letter
    rows = tuple(reminder_rows(report, uids, base_url))
    # «г. Ангарск» is not broken after «г.» (a non-breaking space, as Russian typesetting does)
    single = rows[0].municipality.replace(". ", ".\u00a0") if uids is not None and len(rows) == 1 else None
    of_what = campaign.of_what
    as_of = russian.day(report.as_of)
    place = report.data_place
    if single is None:
        addressee = spec.addressee
        salutation = spec.salutation
        ending = "о" if singular(len(rows)) else "и"
        opening = (f"По данным {place.of} {russian.quoted(campaign.title)} на {as_of} "
                   f"{russian.count(len(rows), russian.MUNICIPALITY_FORMS)} ещё не выполнил{ending} показатели "
                   f"{of_what} или не исправил{ending} ошибки в таблице. Что осталось сделать каждому — "
                   "в таблице ниже.")
    else:
        addressee = (*spec.addressee_one, f"муниципального образования {russian.quoted(single)}")
        salutation = spec.salutation_one or spec.salutation
        opening = (f"По данным {place.of} {russian.quoted(campaign.title)} на {as_of} "
                   f"муниципальным образованием {russian.quoted(single)} ещё не выполнено то, что указано "
                   "в таблице ниже.")
    paragraphs = [opening]
    if any(r.errors for r in rows):
        paragraphs.append("Строки таблицы с ошибками не учитываются в итогах, пока ошибки не исправлены. "
                          f"Где именно ошибка и как её исправить ({place.where}) — на странице "
                          "«Проверка данных» дашборда"
                          + (" по ссылке в таблице." if any(r.link for r in rows) else "."))
    deadline = reminder_deadline(report)
    if deadline is not None:
        closing = (f"Напоминаем: срок {russian.quoted(deadline.what)} — {russian.day(deadline.date)} "
                   f"({russian.days_left(deadline.days_left)}). Просим до этого срока {place.asked}.",)
    else:
        closing = f"Сроки представления сведений прошли. Просим незамедлительно {place.asked}.",
    return Letter(spec.sender, spec.details, f"{as_of} № ________", tuple(addressee),
                  f"Напоминание о сроках: {russian.quoted(campaign.title)}", salutation, tuple(paragraphs), rows,
                  closing, spec.signature, spec.reports_to)




def singular(count: int) -> bool:
    """«21 муниципальное образование … выполнило», «3 … выполнили»."""
    return count % 10 == 1 and count % 100 != 11


def email_subject(letter: Letter) -> str:
    return letter.subject


def email_text(letter: Letter) -> str:
    """The letter as the plain text of an e-mail (the DOCX goes with it as an attachment)."""
    lines = [letter.salutation, "", *letter.paragraphs, ""]
    for row in letter.rows:
        lines.append(f"• {row.municipality}: {row.owes}; проблемы в таблице: {row.problems}"
                     + (f"\n  {row.link}" if row.link else ""))
    lines += ["", *letter.closing, "", letter.signature, *letter.signed_for]
    return "\n".join(lines).rstrip() + "\n"
