"""The README documents what the code accepts (after datasette's test_docs.py): every key of a
campaign file and no key the loader would refuse, every problem code with its severity, every
column type."""

from __future__ import annotations

import re
from pathlib import Path

from campaign.problem_codes import CATALOGUE
from campaign.spec import CAMPAIGNS_DIR, COLUMN_TYPES, FILE_KEYS, load_campaign

README = Path(__file__).resolve().parents[2] / "README.md"


def documented_keys() -> dict[str, set[str]]:
    """The README's «The campaign file, key by key» table: table path -> keys."""
    text = README.read_text(encoding="utf-8")
    section = text.split("### The campaign file, key by key", 1)[1].split("\n#", 1)[0]
    found: dict[str, set[str]] = {}
    for table, keys in re.findall(r"^\| (top of the file|`\[\[?[\w.]+\]\]?`) \| (.+) \|$", section, re.M):
        path = "" if table == "top of the file" else table.strip("`[]")
        found[path] = set(re.findall(r"`(\w+)`", keys))
    return found


def test_every_key_of_a_campaign_file_is_documented_and_nothing_else():
    expected = {path: set(keys) for path, keys in FILE_KEYS.items() if keys is not None}
    assert documented_keys() == expected


def test_the_tables_of_free_keys_are_named_in_the_readme():
    section = README.read_text(encoding="utf-8").split("### The campaign file, key by key", 1)[1]
    for path in (p for p, keys in FILE_KEYS.items() if keys is None):
        assert f"`{path.rsplit('.', 1)[1]}`" in section, path


def documented_codes() -> dict[str, str]:
    """The README's «Problem codes» table: code -> severity."""
    section = README.read_text(encoding="utf-8").split("### Problem codes", 1)[1].split("\n#", 1)[0]
    return dict(re.findall(r"^\| `(\w+)` \| (error|warning) \|", section, re.M))


def bundled_codes() -> dict[str, str]:
    """Every code the bundled campaigns can report, with its severity."""
    found: dict[str, str] = {}
    for path in sorted(CAMPAIGNS_DIR.glob("[!_]*.toml")):
        found |= {code: problem.severity for code, problem in load_campaign(path.stem).problem_codes().items()}
    return found


def test_every_problem_code_is_documented_with_its_severity_and_nothing_else():
    assert documented_codes() == {code: problem.severity for code, problem in CATALOGUE.items()} | bundled_codes()


def test_every_column_type_is_named_in_the_readme():
    named = README.read_text(encoding="utf-8").split("Column types:", 1)[1].split("\n\n", 1)[0]
    assert {word for word in re.findall(r"`(\w+)`", named) if word in COLUMN_TYPES} == set(COLUMN_TYPES)


LAYOUT_FOLDERS = ("pages", "components", "campaign", "data_sources", "history", "service", "scripts", "benchmarks")


def layout() -> dict[str, str]:
    """The README's «Layout» block: folder -> what it says of it (its lines joined)."""
    block = README.read_text(encoding="utf-8").split("## Layout", 1)[1].split("```", 2)[1]
    said: dict[str, str] = {}
    folder = ""
    for line in block.splitlines():
        if line[:1].strip():
            folder, _, line = line.partition(" ")
            folder = folder.rstrip("/")
        said[folder] = said.get(folder, "") + " " + line.strip()
    return said


def test_the_readme_layout_names_every_module_and_only_folders_that_exist():
    repo = README.parent
    said = layout()
    for folder in LAYOUT_FOLDERS:
        modules = {p.stem for p in (repo / folder).glob("*.py")} - {"__init__", "__main__"}
        named = set(re.findall(r"\b[a-z_]+\b", said[folder]))
        assert modules <= named, (folder, sorted(modules - named))
    assert all((repo / folder.split()[0]).exists() for folder in said if folder), sorted(said)
