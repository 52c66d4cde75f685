"""Sheet data shown inside Markdown-rendering elements must stay literal text."""

import html
import re
from urllib.parse import urlencode

_INLINE = re.compile(r"([\\`*_\[\]<>|~$#&])")  # «\&»: a typed «&amp;» stays as typed
_DIRECTIVE = re.compile(r":(?=[A-Za-z_/])")  # «:red[…]», «:material/…:», emoji «:smile:»
_LINE_MARK = re.compile(r"^(\s*)([-+>=])", re.MULTILINE)  # lists, quotes, headings
_LINE_NUMBER = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)  # «1. …» would start a list
# Streamlit's Markdown turns «www.x.ru», «http://…» and «a@b.ru» into links by itself, in the text
# after escapes are read (so a backslash or a character reference does not stop it): an invisible
# word joiner breaks the pattern, and the text reads the same
_AUTOLINK = re.compile(r"(?i)(?<=\bwww)(?=\.)|(?=@)|(?<=[a-z])(?=\\?://)")
WORD_JOINER = "\u2060"
# text direction overrides and isolates would show «evil» as «live»: sheet text never needs them
_BIDI = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
BIDI_PATTERN = _BIDI.pattern  # for a table's text columns (components/tables.py)


CHOOSE = "Выберите…"  # every select box's placeholder (Streamlit's own is English: «Choose an option»)


def literal(text: object) -> str:
    """Escape what Streamlit's Markdown would render, so «**x**», «<script>» or «:red[x]»
    in a cell shows exactly as typed; ordinary punctuation is left alone."""
    escaped = _BIDI.sub("", str(text))
    escaped = _INLINE.sub(r"\\\1", escaped)
    escaped = _DIRECTIVE.sub(r"\\:", escaped)
    escaped = _AUTOLINK.sub(WORD_JOINER, escaped)
    escaped = _LINE_MARK.sub(r"\1\\\2", escaped)
    return _LINE_NUMBER.sub(r"\1\\\2", escaped)


def page_link_markdown(text: str, path: str, **params: str) -> str:
    """A link to another page of the app inside Markdown, that opens in the same tab: Streamlit
    gives every Markdown link `target="_blank"` — a new tab, a new session — unless the link names
    its target, which only HTML can; so the Markdown that holds it needs `unsafe_allow_html=True`.
    The link's text goes through `literal` here (its «<» escaped: never a tag), its address is
    URL-encoded and attribute-escaped; every other text of that Markdown goes through `literal`,
    and the whole through `only_app_links` (which leaves no other tag)."""
    query = urlencode(params, safe=":")
    href = html.escape(f"{path}?{query}" if query else path)
    return f'<a href="{href}" target="_self">{literal(text)}</a>'


# the only HTML a Markdown with `unsafe_allow_html=True` may hold: page_link_markdown's own tags,
# to a path of the app («/problems?…»): never «//host» or «/\host», which a browser opens elsewhere
_APP_LINK_TAGS = re.compile(r'(<a href="/(?![/\\])[^"<>\\]*" target="_self">|</a>)')
_BARE_ANGLE = re.compile(r"(?<!\\)([<>])")


def only_app_links(body: str) -> str:
    """Markdown for `st.markdown(..., unsafe_allow_html=True)` — always passed through this: every
    «<» or «>» that is not part of an app link's own tag is escaped, so no text, whoever forgot its
    `literal`, can become a tag there (a sheet's «<img onerror=…>» stays text)."""
    return "".join(part if _APP_LINK_TAGS.fullmatch(part) else _BARE_ANGLE.sub(r"\\\1", part)
                   for part in _APP_LINK_TAGS.split(body))
