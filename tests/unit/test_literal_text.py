"""Sheet text shown in Markdown-rendering elements stays literal."""

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
