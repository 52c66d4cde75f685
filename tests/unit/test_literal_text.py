"""Sheet text shown in Markdown-rendering elements stays literal."""

import re

import pytest

from components.text import literal


@pytest.mark.parametrize(
    "typed, shown",
    [
        ("г. Благовещенск", "г. Благовещенск"),
        ("МОБУ СОШ № 5 (корпус 2): кабинет 1-3", "МОБУ СОШ № 5 (корпус 2): кабинет 1-3"),
        ("**жирный**", "\\*\\*жирный\\*\\*"),
        ("__x__.xlsx", "\\_\\_x\\_\\_.xlsx"),
        ("<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>"),
        ("[ссылка](javascript:alert(1))", "\\[ссылка\\](javascript\\:alert(1))"),
        (":red[тревога]", "\\:red\\[тревога\\]"),
        ("- пункт", "\\- пункт"),
        ("1. пункт", "1\\. пункт"),
        ("# заголовок", "\\# заголовок"),
        ("`код`", "\\`код\\`"),
        ("$x$", "\\$x\\$"),
    ],
)
def test_markdown_in_a_cell_is_escaped_and_plain_text_is_left_alone(typed, shown):
    assert literal(typed) == shown


def test_a_page_link_in_html_enabled_markdown_can_carry_no_tag_of_a_cell():
    """The one piece of HTML the pages write (`unsafe_allow_html=True`): its text is literal, its
    address encoded and attribute-escaped — a cell's «<img onerror=…>» or «"><script>» is text."""
    from components.text import page_link_markdown

    link = page_link_markdown('<img src=x onerror=alert(1)> **жирный**', "/municipalities", mo='a"><script>x')
    assert link == ('<a href="/municipalities?mo=a%22%3E%3Cscript%3Ex" target="_self">'
                    '\\<img src=x onerror=alert(1)\\> \\*\\*жирный\\*\\*</a>')
    assert re.findall(r"<(?!\\)[a-z/]", link.replace("\\<", "")) == ["<a", "</"]  # only its own tag


def test_html_enabled_markdown_keeps_no_tag_but_the_app_s_own_links_even_where_literal_was_forgotten():
    from components.text import only_app_links, page_link_markdown

    link = page_link_markdown("Зейский район", "/problems", mo="RU-AMU:зейский:mr")
    body = f'{link} — <img src=x onerror=alert(1)> «<script>»{link} \\<уже\\> a > b'
    shown = only_app_links(body)
    assert shown == (f'{link} — \\<img src=x onerror=alert(1)\\> «\\<script\\>»{link} \\<уже\\> a \\> b')
    assert re.findall(r"(?<!\\)<[^>]*>", shown) == re.findall(r"<[^>]*>", link) * 2  # its own tags only
    assert only_app_links(link) == link
    for elsewhere in ('<a href="//evil.example/x" target="_self">', '<a href="/\\evil.example" target="_self">'):
        assert only_app_links(f"{elsewhere}вход</a>").startswith("\\<a href=")  # a cell's link to another host


def test_every_html_enabled_markdown_goes_through_only_app_links():
    """No sheet cell can reach `unsafe_allow_html=True`: each such call takes `only_app_links(…)`."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    calls = 0
    for path in [*root.glob("components/*.py"), *root.glob("pages/*.py"), root / "app.py", root / "serve.py"]:
        source = path.read_text(encoding="utf-8")
        for call in re.finditer(r"st\.(?:markdown|caption|write|html)\((?:[^()]|\([^()]*(?:\([^()]*\))*[^()]*\))*?"
                                r"unsafe_allow_html=True", source):
            if "(..." in call.group(0):  # a docstring speaking of it
                continue
            calls += 1
            assert "only_app_links(" in call.group(0), (path.name, call.group(0)[:120])
    assert calls >= 2  # «Кто отстаёт» and the chart's caption
