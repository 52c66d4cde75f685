"""Property-based tests (hypothesis): the pipeline survives hostile input (issue 5).

Whatever the coordinators type into the shared sheet — control characters, NUL, RTL marks,
emoji, 50 000-character cells, formulas, HTML, Markdown, ragged rows, thousands of columns,
odd headers — `run()` returns a report instead of raising, and every problem it reports points
at a real row of the sheet, with a known severity and a Russian message. Rows with exactly
one broken cell are always reported at that row, with the expected code. The cell readers
return a value or an "invalid" flag for any string.
"""

from __future__ import annotations

import random
import re

import pandas as pd
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from campaign import cells
from campaign.pipeline import run
from campaign.reading import read_tab
from campaign.registry import load_registry
from campaign.text import label_key
from campaign.workbook import RawTab
from tests.unit.conftest import (
    AS_OF,
    EVENT_DEFAULTS,
    EVENT_FIELDS,
    EVENT_HEADER,
    ORG_DEFAULTS,
    ORG_FIELDS,
    ORG_HEADER,
    SheetBuilder,
    campaign,
)

AMUR = campaign("amur-2022")
REGISTRY = load_registry(AMUR.region_key)
B = SheetBuilder()

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                        HealthCheck.data_too_large])
MEDIUM = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CHEAP = settings(max_examples=100, deadline=None)

CYRILLIC = re.compile("[а-яА-ЯёЁ]")
SEVERITIES = {"error", "warning"}

# ------------------------------------------------------------------------------ strategies

HOSTILE_LITERALS = [
    "", " ", "\u00a0", "\t", "\n", "\r\n", "\x00", "\x00\x00abc", "\u200f", "\u202eабв\u202c",
    "\u200b", "\ufeff", "🙂", "👨‍👩‍👧‍👦", "=HYPERLINK(\"http://evil.example\";\"клик\")",
    "=1+1", "+7", "-", "@SUM(A1)", "<script>alert(1)</script>", "<b>жирный</b>", "**x**",
    "[a](javascript:alert(1))", "javascript:alert(1)", "data:text/html,<script>", "NaN", "None",
    "null", "nan", "inf", "-1", "1e309", "0x10", "١٢٣", "１２３", "Ⅻ", "%s%n", "{0}", "'; DROP TABLE",
    "г. Благовещенск\x00", "(", ")", "((((", "«", "»", "ё", "Ё", "\\", "\u0301",
]

hostile_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=10),  # control characters
    st.sampled_from(HOSTILE_LITERALS),
    # very long cells: one random character (or a short chunk) repeated up to 50 000 chars
    st.builds(lambda chunk, n: (chunk * n)[:50_000],
              st.text(min_size=1, max_size=5), st.integers(1, 50_000)),
)


def row_numbers(n: int):
    """Increasing sheet row numbers ≥ 2 with gaps (blank rows left out by the source)."""
    return st.lists(st.integers(2, 100_000), min_size=n, max_size=n, unique=True).map(sorted)


@st.composite
def hostile_tab(draw, header: list[str], defaults: dict[str, str], fields: tuple[str, ...],
                max_rows: int = 8):
    """Rows of the real header where any cell may be replaced by hostile text."""
    n = draw(st.integers(0, max_rows))
    rows = []
    for _ in range(n):
        row = [draw(st.one_of(st.just(defaults[f]), hostile_text)) for f in fields]
        rows.append(row)
    numbers = draw(row_numbers(n))
    return rows, numbers


def check_problems(problems: pd.DataFrame, tabs: list[RawTab]) -> None:
    """Invariants every table of problems holds, whatever the input."""
    assert list(problems.columns)[:8] == ["file", "tab", "row", "column", "code", "severity", "message", "fix"]
    allowed_rows = {0, 1}
    for tab in tabs:
        allowed_rows.update(tab.row_numbers)
    for record in problems.to_dict("records"):
        assert int(record["row"]) in allowed_rows, record
        assert record["severity"] in SEVERITIES, record
        assert isinstance(record["message"], str) and record["message"].strip(), record
        assert CYRILLIC.search(record["message"]), record
        assert isinstance(record["code"], str) and record["code"], record


def check_report(report, tabs: list[RawTab]) -> None:
    """Invariants every report holds, whatever the input."""
    check_problems(report.problems, tabs)
    for metric_id, value in report.metrics.items():
        assert type(value) is int and value >= 0, (metric_id, value)
    for breakdown in report.breakdowns.values():
        assert all(type(v) is int and v >= 0 for v in breakdown.values())
    assert isinstance(report.municipalities, pd.DataFrame)


def run_tabs(tabs: list[RawTab]):
    """The whole pipeline: for properties of the report (its metrics, tabs read together)."""
    report = run(tabs, AMUR, as_of=AS_OF)
    check_report(report, tabs)
    return report


def read_one(tab_id: str, raw: RawTab) -> pd.DataFrame:
    """One tab's problems, the tab read alone by its spec (a quarter of the pipeline's cost): for
    properties of one tab."""
    return read_with_frame(tab_id, raw)[1]


def read_with_frame(tab_id: str, raw: RawTab) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the tab as read, its problems)."""
    data, problems = read_tab(AMUR.tab(tab_id), [raw], REGISTRY, (AMUR.start, AMUR.end), AMUR.of_what)
    check_problems(problems, [raw])
    return data.frame, problems


def org_tab(rows, numbers=None, header=ORG_HEADER, title="Организации"):
    return B.tab(title, header, rows, numbers)


def event_tab(rows, numbers=None, header=EVENT_HEADER, title="Мероприятия"):
    return B.tab(title, header, rows, numbers)


# ------------------------------------------------------------------------------ hostile cells


@FAST
@given(orgs=hostile_tab(ORG_HEADER, ORG_DEFAULTS, ORG_FIELDS),
       events=hostile_tab(EVENT_HEADER, EVENT_DEFAULTS, EVENT_FIELDS))
@example(orgs=([["\x00"] * 11, ["=HYPERLINK(\"x\")"] * 11, ["<script>"] * 11], [2, 3, 4]),
         events=([["**x**", "[a](javascript:alert(1))", "\u202e", "🙂", "javascript:x", "~-5"]], [2]))
def test_hostile_cells_never_break_the_pipeline(orgs, events):
    tabs = [org_tab(*orgs), event_tab(*events)]
    report = run_tabs(tabs)
    named = sum(1 for row in orgs[0] if row[1].strip())
    joined = report.metrics["organisations_joined"] + report.metrics["organisations_applied"]
    assert report.metrics["organisations_joined"] <= named
    assert joined <= named
    assert report.metrics["events_total"] <= len(events[0])


@FAST
@given(cell=hostile_text, column=st.integers(0, len(ORG_HEADER) - 1))
def test_one_hostile_org_cell_is_reported_at_its_row_or_accepted(cell, column):
    row = B.org()
    row[column] = cell
    problems = read_one("organisations", org_tab([B.org(name="Другая школа"), row], [2, 7]))
    # the untouched first row never collects an error because of its neighbour
    first = problems[(problems["row"] == 2) & (problems["severity"] == "error")]
    assert first.empty, first.to_dict("records")


# ------------------------------------------------------------------------------ shapes of tabs

ragged_cell = st.one_of(st.sampled_from(["", " ", "г. Благовещенск", "15.02.2022", "конференция",
                                         "8 (4162) 22-65-10", "100", "https://vk.com/x"]),
                        st.text(max_size=15))


@st.composite
def ragged_rows(draw, max_rows=10, max_len=30):
    n = draw(st.integers(0, max_rows))
    rows = [draw(st.lists(ragged_cell, min_size=0, max_size=max_len)) for _ in range(n)]
    return rows, draw(row_numbers(n))


header_choice = st.one_of(
    st.just(ORG_HEADER), st.just(EVENT_HEADER), st.just([]),
    st.lists(st.one_of(st.sampled_from(ORG_HEADER + EVENT_HEADER), st.text(max_size=12)), max_size=30),
)


@MEDIUM
@given(org_header=header_choice, orgs=ragged_rows(), event_header=header_choice, events=ragged_rows())
@example(org_header=[], orgs=([], []), event_header=[], events=([], []))
@example(org_header=ORG_HEADER, orgs=([], []), event_header=EVENT_HEADER, events=([], []))
@example(org_header=[], orgs=([["a"], [], ["b", "c"]], [2, 3, 4]), event_header=EVENT_HEADER,
         events=([[], [""] * 30], [5, 6]))
def test_ragged_rows_and_odd_headers_never_raise(org_header, orgs, event_header, events):
    tabs = [org_tab(orgs[0], orgs[1], header=org_header), event_tab(events[0], events[1], header=event_header)]
    run_tabs(tabs)


@MEDIUM
@given(titles=st.lists(st.one_of(st.sampled_from(["Организации", "Мероприятия", "Конкурс", "Цели",
                                                  " организации ", "МЕРОПРИЯТИЯ."]),
                                 st.text(max_size=10)), max_size=6))
def test_any_set_of_tabs_never_raises(titles):
    tabs = [RawTab(title, [], [], []) for title in titles]
    report = run_tabs(tabs)
    present = {label_key(t) for t in titles}
    missing_tabs = set(report.problems.loc[report.problems["code"] == "missing_tab", "tab"])
    assert ("Организации" in missing_tabs) == ("организации" not in present)
    assert ("Мероприятия" in missing_tabs) == ("мероприятия" not in present)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), before=st.booleans(), n_rows=st.integers(1, 4))
def test_thousands_of_columns(seed, before, n_rows):
    rnd = random.Random(seed)  # 2 000 headers drawn cheaply from a seed hypothesis picks
    extra = ["".join(rnd.choice("xyzабв0123 ()_") for _ in range(rnd.randint(0, 8))) for _ in range(2000)]
    # random headers from an alphabet that cannot spell a real column name
    header = extra + ORG_HEADER if before else ORG_HEADER + extra
    offset = len(extra) if before else 0
    rows = []
    for i in range(n_rows):
        row = [f"v{i}_{j}" for j in range(len(header))]
        row[offset:offset + len(ORG_HEADER)] = B.org(name=f"Школа № {i}")
        rows.append(row)
    report = run_tabs([org_tab(rows, header=header), event_tab([B.event()])])
    assert report.problems.empty, report.problems.to_dict("records")
    assert report.metrics["organisations_joined"] == n_rows


@MEDIUM
@given(dups=st.lists(st.integers(0, len(ORG_HEADER) - 1), min_size=1, max_size=5),
       junk=st.lists(st.text(max_size=10), min_size=5, max_size=5))
def test_duplicate_headers_first_one_wins(dups, junk):
    # the real columns first, then copies of some headers holding junk
    header = ORG_HEADER + [ORG_HEADER[i] for i in dups]
    row = B.org() + [junk[k] for k in range(len(dups))]
    frame, problems = read_with_frame("organisations", org_tab([row], header=header))
    # the first copy is read: the row as typed in the real columns
    assert frame["name"].tolist() == [ORG_DEFAULTS["name"]]
    assert frame["status"].tolist() == [ORG_DEFAULTS["status"]]
    # a second copy that holds data is reported (its data would be lost), an empty one is not
    with_data = {ORG_HEADER[i] for k, i in enumerate(dups) if junk[k].strip()}
    assert set(problems["code"]) <= {"duplicate_column"}, problems.to_dict("records")
    assert set(problems["column"]) == with_data
    assert set(problems["severity"]) <= {"warning"}


@st.composite
def header_variant(draw, name: str) -> str:
    """The same header as a coordinator might type it: case, ё, spaces, a note in parentheses,
    trailing punctuation."""
    out = []
    for ch in name:
        if ch == "е" and draw(st.booleans()):
            ch = "ё"
        elif ch == "Е" and draw(st.booleans()):
            ch = "Ё"
        if ch == " ":
            ch = draw(st.sampled_from([" ", "  ", "\u00a0", " \u00a0 ", "\t"]))
        out.append(ch.upper() if draw(st.booleans()) else ch.lower())
    text = "".join(out)
    if draw(st.booleans()):
        note = draw(st.text(alphabet="абв xyz0-9.,", max_size=12))
        text += draw(st.sampled_from([" ", ""])) + f"({note})"
    text += draw(st.sampled_from(["", ".", ":", " *", "?", "  ", ";"]))
    return draw(st.sampled_from(["", " ", "\u00a0"])) + text + draw(st.sampled_from(["", " ", "\n"]))


@st.composite
def varied_header(draw, header: list[str]):
    return [draw(header_variant(name)) for name in header]


@MEDIUM
@given(org_header=varied_header(ORG_HEADER), event_header=varied_header(EVENT_HEADER))
@example(org_header=[h.upper() for h in ORG_HEADER], event_header=[h + " (чел.)" for h in EVENT_HEADER])
def test_header_variants_of_real_names_are_recognised(org_header, event_header):
    tabs = [org_tab([B.org()], header=org_header), event_tab([B.event()], header=event_header)]
    report = run_tabs(tabs)
    assert report.problems.empty, report.problems.to_dict("records")
    assert report.metrics["organisations_joined"] == 1
    assert report.metrics["events_total"] == 1
    assert report.metrics["reach"] == 100


def _required(tab_id: str) -> list[str]:
    return [c.name for c in AMUR.tab(tab_id).columns if c.required]


@MEDIUM
@given(data=st.data(), which=st.sampled_from(["organisations", "events"]), n_rows=st.integers(0, 4),
       vary=st.booleans())
def test_a_missing_required_column_is_one_problem(data, which, n_rows, vary):
    header = ORG_HEADER if which == "organisations" else EVENT_HEADER
    make = B.org if which == "organisations" else B.event
    required = _required(which)
    dropped = data.draw(st.lists(st.sampled_from(required), min_size=1, max_size=len(required), unique=True))
    keep = [i for i, name in enumerate(header) if name not in dropped]
    new_header = [header[i] for i in keep]
    if vary:
        new_header = data.draw(varied_header(new_header))
    rows = [[make()[i] for i in keep] for _ in range(n_rows)]
    title = "Организации" if which == "organisations" else "Мероприятия"
    problems = read_one(which, B.tab(title, new_header, rows))
    missing = problems[problems["code"] == "missing_column"]
    assert set(missing["tab"]) <= {title}
    assert sorted(missing["column"]) == sorted(dropped)  # exactly one problem per dropped column
    assert set(missing["row"]) <= {1}


# ------------------------------------------------------------------------------ every bad row


def _inn10(digits9: str) -> str:
    weights = [2, 4, 10, 3, 5, 9, 4, 6, 8]
    check = sum(int(d) * w for d, w in zip(digits9, weights)) % 11 % 10
    return digits9 + str(check)


def _inn12(digits10: str) -> str:
    w1 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
    w2 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
    c1 = sum(int(d) * w for d, w in zip(digits10, w1)) % 11 % 10
    eleven = digits10 + str(c1)
    c2 = sum(int(d) * w for d, w in zip(eleven, w2)) % 11 % 10
    return eleven + str(c2)


latin_or_cyrillic_words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzабвгдежзиклмнопрстуфхцчшщэюя",
                                  min_size=1, max_size=12)
# not a date: letters only (no month name is made of Latin letters), or impossible numbers
bad_date = st.one_of(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12),
    st.sampled_from(["31.02.2022", "32.01.2022", "15.13.2022", "2022-02-30", "00.00.0000", "вчера",
                     "15 февраля", "15/02", "1", "12345", "99999"]),
)
bad_phone = st.text(alphabet="abcdefghijklmnopqrstuvwxyzабвгдежзиклмнопрстуфхцчшщэюя", min_size=1, max_size=12)
bad_inn = st.from_regex(r"\A[0-9]{9}\Z")
bad_link = st.one_of(st.sampled_from(["javascript:alert(1)", "не ссылка", "ftp://x.ru/a", "http://", "vk",
                                      "<a href=x>", "=HYPERLINK(\"https://x.ru\")"]),
                     st.text(alphabet="абвгд ", min_size=1, max_size=10).filter(lambda s: s.strip()))
bad_number = st.one_of(st.sampled_from(["-5", "много", "сто", "1.5", "½", "1e3", "~"]),
                       st.text(alphabet="абвгдxyz", min_size=1, max_size=8))

ORG_MUTATIONS = {
    # column id -> (strategy for the broken cell, expected code)
    **{c: (st.sampled_from(["", " ", "\u00a0"]), "missing_value")
       for c in ("municipality", "name", "joined_on", "contact", "position", "phone")},
    "joined_on_bad": (bad_date, "invalid_date"),
    "phone_bad": (bad_phone, "invalid_phone"),
    "inn_bad": (bad_inn, "invalid_inn"),
    "memorandum_bad": (bad_link, "invalid_link"),
    "status_bad": (st.sampled_from(["отказ", "???", "нет", "xyz"]), "unknown_status"),
    "municipality_bad": (st.sampled_from(["Атлантида", "Нарния", "zzz"]), "unknown_municipality"),
}
EVENT_MUTATIONS = {
    **{c: (st.sampled_from(["", " ", "\u00a0"]), "missing_value") for c in ("municipality", "kind", "title", "held_on")},
    "held_on_bad": (bad_date, "invalid_date"),
    "link_bad": (bad_link, "invalid_link"),
    "reach_bad": (bad_number, "invalid_number"),
    "kind_bad": (st.sampled_from(["пикник", "???", "xyz"]), "unknown_event_kind"),
}


def _field(mutation: str) -> str:
    return mutation.removesuffix("_bad")


@st.composite
def sheet_with_bad_rows(draw, fields, make, mutations, max_rows=12):
    n = draw(st.integers(1, max_rows))
    numbers = draw(row_numbers(n))
    rows, expected = [], {}
    for i in range(n):
        overrides = {}
        if "name" in fields:  # distinct organisations, so no duplicate warnings
            overrides["name"] = f"МАОУ «Школа № {i + 1}»"
            if draw(st.booleans()):
                overrides["inn"] = _inn10(f"{280000000 + i:09d}")
        else:
            overrides["title"] = f"Мероприятие {i + 1}"
        mutation = draw(st.one_of(st.none(), st.sampled_from(sorted(mutations))))
        if mutation is not None:
            strategy, code = mutations[mutation]
            overrides[_field(mutation)] = draw(strategy)
            expected[numbers[i]] = (code, _field(mutation))
        rows.append(make(**overrides))
    return rows, numbers, expected


def _column_name(tab_id: str, field: str) -> str:
    return AMUR.tab(tab_id).column(field).name


@MEDIUM
@given(sheet=sheet_with_bad_rows(ORG_FIELDS, B.org, ORG_MUTATIONS))
@example(sheet=([B.org(inn="123456789")], [2], {2: ("invalid_inn", "inn")}))
@example(sheet=([B.org(phone="телефон")], [2], {2: ("invalid_phone", "phone")}))
@example(sheet=([B.org(joined_on="abc")], [2], {2: ("invalid_date", "joined_on")}))
def test_every_bad_organisation_row_is_reported(sheet):
    rows, numbers, expected = sheet
    problems = read_one("organisations", org_tab(rows, numbers))
    for row, (code, field) in expected.items():
        at_row = problems[(problems["row"] == row) & (problems["code"] == code)]
        assert not at_row.empty, (row, code, rows[numbers.index(row)], problems.to_dict("records"))
        assert _column_name("organisations", field) in set(at_row["column"])
    good = set(numbers) - set(expected)
    assert problems[problems["row"].isin(good)].empty, problems[problems["row"].isin(good)].to_dict("records")


@MEDIUM
@given(sheet=sheet_with_bad_rows(EVENT_FIELDS, B.event, EVENT_MUTATIONS))
@example(sheet=([B.event(reach="-5")], [2], {2: ("invalid_number", "reach")}))
@example(sheet=([B.event(link="javascript:alert(1)")], [2], {2: ("invalid_link", "link")}))
def test_every_bad_event_row_is_reported(sheet):
    rows, numbers, expected = sheet
    problems = read_one("events", event_tab(rows, numbers))
    for row, (code, field) in expected.items():
        at_row = problems[(problems["row"] == row) & (problems["code"] == code)]
        assert not at_row.empty, (row, code, rows[numbers.index(row)], problems.to_dict("records"))
        assert _column_name("events", field) in set(at_row["column"])
    good = set(numbers) - set(expected)
    assert problems[problems["row"].isin(good)].empty, problems[problems["row"].isin(good)].to_dict("records")


# ------------------------------------------------------------------------------ cell readers

any_cells = st.lists(st.one_of(hostile_text.filter(lambda s: len(s) < 2000), st.text(max_size=30)),
                     max_size=12)
READERS = {
    "dates": cells.read_dates,
    "phones": cells.read_phones,
    "inns": cells.read_inns,
    "links": cells.read_links,
    "numbers": cells.read_numbers,
    "emails": cells.read_emails,
}


def _series(values: list[str]) -> pd.Series:
    return pd.Series(values, dtype="str")


@CHEAP
@given(values=any_cells, reader=st.sampled_from(sorted(READERS)), stripped=st.booleans())
def test_readers_return_a_value_or_an_invalid_flag(values, reader, stripped):
    if stripped:  # what the pipeline passes (cells are stripped first)
        values = [v.strip() for v in values]
    text = _series(values)
    parsed, invalid = READERS[reader](text)
    assert len(parsed) == len(text) == len(invalid)
    assert invalid.dtype == bool
    for i, raw in enumerate(values):
        empty_value = pd.isna(parsed.iloc[i]) or parsed.iloc[i] == ""
        if raw == "":
            assert not invalid.iloc[i]
            assert empty_value
        else:
            # either read, or flagged — never silently dropped
            assert bool(invalid.iloc[i]) == bool(empty_value), (reader, raw, parsed.iloc[i])


@CHEAP
@given(values=any_cells)
@example(values=["javascript:alert(1)", "JAVASCRIPT://x.ru", "https://", "vk.com/x", "data:text/html,x"])
def test_links_are_http_or_https(values):
    parsed, invalid = cells.read_links(_series([v.strip() for v in values]))
    for value in parsed:
        if value:
            assert value.lower().startswith(("http://", "https://")), value


@CHEAP
@given(values=any_cells)
@example(values=["-5", "~-5", "около -3", "-0", "1 200", "1e3", "١٢٣"])
def test_numbers_are_non_negative(values):
    parsed, invalid = cells.read_numbers(_series([v.strip() for v in values]))
    for value in parsed.dropna():
        assert int(value) >= 0


@CHEAP
@given(number=st.integers(0, 10**12 - 1), sep=st.sampled_from(["", " ", "\u00a0"]),
       unit=st.sampled_from(["", " чел.", " человек", "чел"]), approx=st.sampled_from(["", "~", "около "]))
def test_numbers_read_back(number, sep, unit, approx):
    digits = f"{number:,}".replace(",", sep)
    parsed, invalid = cells.read_numbers(_series([approx + digits + unit]))
    assert not invalid.iloc[0]
    assert int(parsed.iloc[0]) == number


@CHEAP
@given(body=st.from_regex(r"\A[0-9]{9}\Z"), delta=st.integers(1, 9))
def test_inn10_checksum(body, delta):
    inn = _inn10(body)
    wrong = inn[:-1] + str((int(inn[-1]) + delta) % 10)
    values, invalid = cells.read_inns(_series([inn, wrong, f"{inn[:4]} {inn[4:]}"]))
    assert values.tolist()[0] == inn and not invalid.iloc[0]
    assert values.tolist()[1] == "" and invalid.iloc[1]
    assert values.tolist()[2] == inn and not invalid.iloc[2]


@CHEAP
@given(body=st.from_regex(r"\A[0-9]{10}\Z"), delta=st.integers(1, 9), position=st.sampled_from([10, 11]))
def test_inn12_checksum(body, delta, position):
    inn = _inn12(body)
    digits = list(inn)
    digits[position] = str((int(digits[position]) + delta) % 10)
    wrong = "".join(digits)
    values, invalid = cells.read_inns(_series([inn, wrong]))
    assert values.tolist() == [inn, ""]
    assert invalid.tolist() == [False, True]


@CHEAP
@given(body=st.from_regex(r"\A[0-9]{9}\Z"), cut=st.integers(1, 9))
def test_inn_of_wrong_length_is_rejected(body, cut):
    values, invalid = cells.read_inns(_series([body[:cut], _inn10(body) + "0"]))
    assert invalid.tolist() == [True, True]


@st.composite
def phone_notation(draw, national: str) -> str:
    prefix = draw(st.sampled_from(["8", "+7", "7", "+ 7", "8 ", "+7 ", "+7-", "8-"]))
    code, rest = national[:3], national[3:]
    if draw(st.booleans()):
        code = "(" + code + ")"
    sep = st.sampled_from(["", " ", "-", "\u00a0"])
    groups = draw(st.sampled_from([[3, 2, 2], [3, 4], [7], [2, 2, 3], [1, 2, 2, 2]]))
    parts, start = [], 0
    for size in groups:
        parts.append(rest[start:start + size])
        start += size
    body = parts[0] + "".join(draw(sep) + p for p in parts[1:])
    return prefix + draw(sep) + code + draw(sep) + body


@CHEAP
@given(data=st.data(), national=st.from_regex(r"\A9[0-9]{9}\Z"))
@example(data=None, national="9141234567")
def test_any_notation_of_a_mobile_gives_the_same_e164(data, national):
    notations = [f"8{national}", f"+7{national}"]
    if data is not None:
        notations += [data.draw(phone_notation(national)) for _ in range(4)]
    values, invalid = cells.read_phones(_series(notations))
    assert not invalid.any(), list(zip(notations, values))
    assert set(values) == {"+7" + national}, list(zip(notations, values))


@CHEAP
@given(values=st.lists(st.text(max_size=25), max_size=10), column=st.sampled_from(
    [("organisations", "status"), ("organisations", "org_type"), ("events", "kind")]))
def test_choices_read_any_text(values, column):
    spec = AMUR.tab(column[0]).column(column[1])
    parsed, invalid = cells.read_choices(_series([v.strip() for v in values]), spec.choices, spec.default)
    allowed = {c.value for c in spec.choices} | {""}
    assert len(parsed) == len(values) == len(invalid)
    assert set(parsed) <= allowed
    for ok, flag in zip(parsed, invalid):
        if flag:
            assert ok == ""


@CHEAP
@given(values=any_cells)
@example(values=["https://x.ru\n<script>alert(1)</script>"])
@example(values=["https://x.ru\x00"])
def test_links_hold_no_control_characters_or_white_space(values):
    parsed, invalid = cells.read_links(_series([v.strip() for v in values]))
    for value in parsed:
        assert not re.search(r"[\x00-\x20\x7f\u00a0\u2000-\u200f\u2028\u2029\u202a-\u202f\ufeff]", value), repr(value)
