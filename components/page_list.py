"""The app's pages, once: what `app.py` registers with `st.navigation`, and what the benchmarks
and the tests open (by name, file, address or title). A new page is a file in `pages/` and a line
here."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    name: str  # «summary»: the file pages/<name>.py
    title: str  # the menu's word
    icon: str  # a Material icon (drawn by Streamlit from its own bundle)
    url_path: str  # the page's address after the app's: "" for the default page

    @property
    def path(self) -> str:
        return f"pages/{self.name}.py"


PAGES = (
    Page("summary", "Сводка", ":material/dashboard:", ""),
    Page("municipalities", "Муниципалитеты", ":material/map:", "municipalities"),
    Page("events", "Мероприятия", ":material/event:", "events"),
    Page("problems", "Проверка данных", ":material/fact_check:", "problems"),
    Page("reports", "Отчёты и формы", ":material/download:", "reports"),
    Page("regions", "Регионы", ":material/public:", "regions"),
    Page("briefing", "Брифинг (слайд)", ":material/slideshow:", "briefing"),
)
NAMES = tuple(page.name for page in PAGES)
DEFAULT = PAGES[0]


def page(name: str) -> Page:
    """The page of that name («summary», «regions», …)."""
    return next(candidate for candidate in PAGES if candidate.name == name)
