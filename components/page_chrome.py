"""What every page carries around its content: the page's CSS, and Streamlit's own words in Russian.

Streamlit's frontend speaks English and has no option for another language: «Skip to main
content», «Main menu», «Fullscreen», «Help for …», «Page not found», and the names of Material
icons («fact_check») that a screen reader reads aloud and a copy takes with the text. A small
script, run once per browser tab, says them in Russian as they appear (the document says it is
Russian: `lang="ru"`), and hides the icons' names from screen readers and from a copy.
"""

from __future__ import annotations

import json

import streamlit as st

PAGE_CSS = (
    # the page starts below Streamlit's header (3.75rem high: a banner drawn first was cut under
    # it); the title's own space above it goes instead, so the title stays where it was
    "<style>[data-testid='stMainBlockContainer'] { padding-top: 3.75rem; }"
    "[data-testid='stMainBlockContainer'] h1 { font-size: 2.1rem; padding-top: 0; padding-bottom: 0.25rem; }"
    # a caption is the text colour at 60 % opacity: 3.8:1 on white, below the 4.5:1 ГОСТ Р 52872
    # (WCAG 2.1 AA) asks; at 80 % it is 6.5:1 on white and on the sidebar, light or dark
    "[data-testid='stCaptionContainer'] { opacity: 0.8; }"
    # an icon's name («fact_check») is a ligature: not text to select and copy
    "[data-testid='stIconMaterial'], [data-testid='stAlertDynamicIcon'], .ru-icon { user-select: none; }"
    # a phone: a table (st.table) becomes a list, a row a card of «column: value» lines (the script
    # below gives each cell its column's name)
    "@media (max-width: 640px) {"
    " [data-testid='stTableStyledTable'], [data-testid='stTableStyledTable'] tbody,"
    " [data-testid='stTableStyledTable'] tr, [data-testid='stTableStyledTable'] td { display: block; width: 100%; }"
    " [data-testid='stTableStyledTable'] thead { display: none; }"
    " [data-testid='stTableStyledTable'] tr { padding: 0.5rem 0; border-bottom: 1px solid rgba(128, 128, 128, 0.4); }"
    " [data-testid='stTableStyledTable'] td { border: none; padding: 0.1rem 0.25rem; }"
    " [data-testid='stTableStyledTable'] td[data-label]::before { content: attr(data-label) ': ';"
    "   font-weight: 600; }"
    " [data-testid='stTableStyledTable'] td[data-label] > div { display: inline; }"
    " [data-testid='stTableStyledTable'] td[data-label] > div p { display: inline; }"
    "}"
    # the element that holds the script below takes no room
    ".stElementContainer:has(.ru-chrome) { display: none; }"
    # nor does a column's width probe (components/column_width.py): no gap of its own (1rem)
    "[class*='_column_width'].stElementContainer { margin-bottom: -1rem; }"
    # the file uploader's own words are English and have no option: said in Russian instead
    "[data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer'] p { font-size: 0; }"
    "[data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer'] p::after"
    " { content: 'Выбрать файл'; font-size: 0.875rem; }"
    "[data-testid='stFileUploaderDropzoneInstructions'] span { font-size: 0; }"
    "[data-testid='stFileUploaderDropzoneInstructions'] span::after"
    " { content: 'или перетащите сюда'; font-size: 0.75rem; }</style>"
)

# Streamlit's labels (aria-label, title, placeholder, text) → what a Russian user reads
RUSSIAN = {
    "Skip to main content": "Перейти к содержимому",
    "Sidebar": "Боковая панель",
    "Collapse sidebar": "Свернуть боковую панель",
    "Expand sidebar": "Развернуть боковую панель",
    "App pages": "Страницы",
    "Main menu": "Главное меню",
    "Open": "Открыть список",
    "Close": "Закрыть",
    "Clear": "Очистить",
    "Clear all": "Очистить всё",
    "Help": "Подсказка",
    "Link to heading": "Ссылка на заголовок",
    "Show data": "Показать данные",
    "Download as PNG": "Скачать PNG",
    "Download as SVG": "Скачать SVG",
    "Copy Vega-Lite spec": "Скопировать описание графика",
    "Fullscreen": "Во весь экран",
    "Close fullscreen": "Закрыть полноэкранный режим",
    "Exit fullscreen": "Закрыть полноэкранный режим",
    "Vega visualization": "График",
    "Show/hide columns": "Показать или скрыть столбцы",
    "Download as CSV": "Скачать CSV",
    "Search": "Поиск",
    "Clear search": "Очистить поиск",
    "Rerun": "Обновить страницу",
    "Settings": "Настройки",
    "Print": "Печать",
    "About": "О приложении",
    "Stop": "Остановить",
    "Running...": "Выполняется…",
    "Connecting": "Подключение",
    "Page not found": "Страница не найдена",
    "Connection error": "Нет связи с сервером",
    "Choose an option": "Выберите…",
    "No results": "Ничего не найдено",
    "Copy to clipboard": "Скопировать",
}
# the same with a part that varies: (a JavaScript regular expression, its replacement)
RUSSIAN_PATTERNS = [
    (r"^Help for (.+)$", "Подсказка: $1"),
    (r"^You have requested page (.+), but no corresponding file was found in the app's pages/ directory"
     r"\. Running the app's main page\.$", "Страницы $1 нет: открыта главная страница."),
    (r"^The page that you have requested does not seem to exist\. Running the app's main page\.$",
     "Такой страницы нет: открыта главная страница."),
    (r"^Is Streamlit still running\?.*$", "Сервер не отвечает. Страница подключится сама, когда он ответит."),
]

_SCRIPT = """
(() => {
  if (window.__ruChrome) return;
  window.__ruChrome = true;
  const words = %(words)s;
  const patterns = %(patterns)s.map(([source, text]) => [new RegExp(source, "s"), text]);
  const say = (text) => {
    const trimmed = text.trim();
    if (Object.prototype.hasOwnProperty.call(words, trimmed)) return text.replace(trimmed, words[trimmed]);
    for (const [pattern, replacement] of patterns) if (pattern.test(trimmed)) return trimmed.replace(pattern, replacement);
    return null;
  };
  const ICON = /^[a-z0-9_]+ icon$/;
  const ICONS = new Set(["stIconMaterial", "stAlertDynamicIcon"]);
  const fix = (element) => {
    for (const name of ["aria-label", "title", "placeholder"]) {
      const value = element.getAttribute(name);
      if (!value) continue;
      if (name === "aria-label" && ICON.test(value)) {  // «fact_check icon»: the icon is decoration
        element.removeAttribute(name);
        element.setAttribute("aria-hidden", "true");
        element.classList.add("ru-icon");
        continue;
      }
      const russian = say(value);
      if (russian !== null) element.setAttribute(name, russian);
    }
    if (element.dataset && ICONS.has(element.dataset.testid)) element.setAttribute("aria-hidden", "true");
    if (element.hasAttribute("aria-roledescription") && !/[а-яё]/i.test(element.getAttribute("aria-roledescription"))) {
      element.removeAttribute("aria-roledescription");  // Vega's «line mark», «axis»: roles are enough
    }
  };
  const fixText = (node) => {
    const parent = node.parentElement;
    if (!parent || parent.closest("[data-testid=stMain] .stMarkdown, [data-testid=stSidebarUserContent] .stMarkdown, .stDataFrame, [contenteditable]")) return;
    const russian = say(node.nodeValue);
    if (russian !== null && russian !== node.nodeValue) node.nodeValue = russian;
  };
  const walk = (root) => {
    if (root.nodeType === Node.TEXT_NODE) { fixText(root); return; }
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    fix(root);
    for (const element of root.querySelectorAll("[aria-label], [title], [placeholder], [aria-roledescription], [data-testid=stIconMaterial], [data-testid=stAlertDynamicIcon]")) fix(element);
    const texts = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = texts.nextNode(); node; node = texts.nextNode()) fixText(node);
  };
  // a table's cells carry their column's name (a phone shows each row as a list of «name: value»),
  // a table wider than its frame and the map can be reached with the keyboard
  const reachable = () => {
    for (const table of document.querySelectorAll("table[data-testid=stTableStyledTable]")) {
      const names = [...table.querySelectorAll("thead th")].map((th) => th.innerText.trim());
      for (const row of table.querySelectorAll("tbody tr")) {
        [...row.children].forEach((cell, index) => {
          if (names[index] && cell.getAttribute("data-label") !== names[index]) cell.setAttribute("data-label", names[index]);
        });
      }
      const frame = table.parentElement;
      if (frame && !frame.hasAttribute("tabindex")) {
        frame.setAttribute("tabindex", "0");
        frame.setAttribute("role", "region");
        frame.setAttribute("aria-label", "Таблица: " + names.filter(Boolean).join(", "));
      }
    }
    for (const canvas of document.querySelectorAll("[data-testid=stDeckGlJsonChart] canvas")) {
      if (canvas.hasAttribute("tabindex")) continue;
      canvas.setAttribute("tabindex", "0");
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", "Карта муниципалитетов: стрелки сдвигают её, «+» и «−» меняют масштаб; "
                                        + "цифры карты — в таблице на странице «Муниципалитеты»");
    }
  };
  let pending = false;
  const soon = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; reachable(); });
  };
  document.documentElement.lang = "ru";
  walk(document.body);
  reachable();
  new MutationObserver((changes) => {
    for (const change of changes) {
      if (change.type === "attributes") fix(change.target);
      else if (change.type === "characterData") fixText(change.target);
      else for (const node of change.addedNodes) walk(node);
    }
    soon();
  }).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true,
                             attributeFilter: ["aria-label", "title", "placeholder", "aria-roledescription"]});
})();
"""


def russian_chrome_script() -> str:
    return _SCRIPT % {"words": json.dumps(RUSSIAN, ensure_ascii=False),
                      "patterns": json.dumps(RUSSIAN_PATTERNS, ensure_ascii=False)}


def page_chrome() -> None:
    """The page's CSS and the script that says Streamlit's words in Russian (once per tab); the
    session's runs counted (`components.charts.is_dark` trusts the browser's theme after the first)."""
    from components.charts import SESSION_RUNS

    st.session_state[SESSION_RUNS] = st.session_state.get(SESSION_RUNS, 0) + 1
    st.html(PAGE_CSS)
    st.html(f'<span class="ru-chrome" hidden></span><script>{russian_chrome_script()}</script>',
            unsafe_allow_javascript=True)
