"""Sheet data shown inside Markdown-rendering elements must stay literal text."""

import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$])")


def literal(text: object) -> str:
    """Escape Markdown and HTML so a cell like «**x**» or «<script>» shows as typed."""
    return _MARKDOWN.sub(r"\\\1", str(text))
