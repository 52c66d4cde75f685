"""A folder of workbooks, one per municipality (what municipalities send by e-mail): which
municipality a file is of, and what is wrong with the folder as a whole — a file that cannot be
read, two files of one municipality. The rows themselves are read tab by tab (campaign/reading.py),
each keeping its file."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pandas as pd

from campaign import problem_codes as catalogue
from campaign import problems
from campaign.registry import Registry
from campaign.spec import TabSpec
from campaign.text import clean, label_key
from campaign.workbook import RawTab


def file_municipality(file: str, registry: Registry) -> str | None:
    """The municipality (uid) a file's name names: «Тында.xlsx», «г_Тында.xlsx», «Зейский
    район (исправленный).xlsx» (text in parentheses left out); None when it names none, or several."""
    stem = file.rsplit(".", 1)[0] if "." in file else file
    return registry.resolve(clean(re.sub(r"\([^)]*\)", " ", stem).replace("_", " "))).uid or None


def folder_problems(tabs: Sequence[RawTab], specs: Sequence[TabSpec], frames: Mapping[str, pd.DataFrame],
                    registry: Registry) -> pd.DataFrame:
    """The problems of a folder of workbooks as a whole: each file that cannot be read, a file that
    lacks a required tab while it has one the campaign does not know (a renamed tab: its rows would
    be lost; a file without the tab and nothing else simply has nothing of it), and the files that
    are of one municipality (by the file's name, or else by the one municipality its rows name).
    `frames`: every tab read, with `_file` and `_uid` per row."""
    files = list(dict.fromkeys(tab.file for tab in tabs if tab.file and not tab.personal))
    if not files:
        return problems.empty()
    found = [_renamed_tabs(file, [t for t in tabs if t.file == file and not t.personal], specs) for file in files]
    for tab in tabs:
        for defect in tab.defects:
            if tab.file and defect.code == catalogue.UNREADABLE_FILE.code:
                problem = catalogue.UNREADABLE_FILE
                found.append(_whole_file(tab.file, problem, problem.message_for(value=defect.value), problem.fix_for()))
    of_municipality: dict[str, list[str]] = {}
    for file in files:
        uid = file_municipality(file, registry) or _named_by_rows(file, frames)
        if uid:
            of_municipality.setdefault(uid, []).append(file)
    problem = catalogue.MUNICIPALITY_IN_TWO_FILES
    for uid, named in of_municipality.items():
        if len(named) < 2:
            continue
        name = registry.name(uid)
        listed = ", ".join(f"«{file}»" for file in named)
        for file in named:
            found.append(_whole_file(file, problem, problem.message_for(municipality=name, files=listed),
                                     problem.fix_for(), uid, name))
    return problems.combine(found)


def _renamed_tabs(file: str, tabs: Sequence[RawTab], specs: Sequence[TabSpec]) -> pd.DataFrame:
    """`missing_tab` for the required tabs a readable file lacks while it has tabs of no known name."""
    unknown = [tab.title for tab in tabs if tab.title and not any(spec.is_named(tab.title) for spec in specs)]
    if not unknown:
        return problems.empty()
    titles = {label_key(tab.title) for tab in tabs}
    found = problems.Found(file)
    problem = catalogue.MISSING_TAB
    existing = " (есть: " + ", ".join(f"«{title}»" for title in unknown) + ")"
    for spec in specs:
        if spec.required and not titles & spec.keys:
            found.single(spec.name, None, "", problem, problem.message_for(tab=spec.name, existing=existing),
                         problem.fix_for(tab=spec.name))
    return found.table()


def _named_by_rows(file: str, frames: Mapping[str, pd.DataFrame]) -> str | None:
    """The one municipality the file's rows name (None: none, or several)."""
    named: set[str] = set()
    for frame in frames.values():
        if "_file" in frame and len(frame):
            uids = frame.loc[(frame["_file"] == file).to_numpy(), "_uid"]
            named |= set(uids[uids != ""].unique())
    return named.pop() if len(named) == 1 else None


def _whole_file(file: str, problem: catalogue.ProblemCode, message: str, fix: str, uid: str = "",
                municipality: str = problems.WHOLE_SHEET) -> pd.DataFrame:
    return pd.DataFrame({"file": [file], "tab": [""], "row": [0], "column": [""], "code": [problem.code],
                         "severity": [problem.severity], "message": [message], "fix": [fix],
                         "municipality_uid": [uid], "municipality": [municipality]}).astype(
        {c: "str" for c in problems.COLUMNS if c != "row"})
