"""Sheet data shown inside Markdown-rendering elements must stay literal text."""

import re

_INLINE = re.compile(r"([\\`*_\[\]<>|~$#])")
_DIRECTIVE = re.compile(r":(?=[A-Za-z_/])")  # «:red[…]», «:material/…:», emoji «:smile:»
_LINE_MARK = re.compile(r"^(\s*)([-+>=])", re.MULTILINE)  # lists, quotes, headings
_LINE_NUMBER = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)  # «1. …» would start a list


def literal(text: object) -> str:
    """Escape what Streamlit's Markdown would render, so «**x**», «<script>» or «:red[x]»
    in a cell shows exactly as typed; ordinary punctuation is left alone."""
    escaped = _INLINE.sub(r"\\\1", str(text))
    escaped = _DIRECTIVE.sub(r"\\:", escaped)
    escaped = _LINE_MARK.sub(r"\1\\\2", escaped)
    return _LINE_NUMBER.sub(r"\1\\\2", escaped)
