"""The app's landing page on the demo data, through Streamlit's AppTest."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote_plus

import pytest
from streamlit.testing.v1 import AppTest

from tests.demo_figures import (
    AMUR_EVENTS,
    AMUR_JOINED,
    AMUR_MUNICIPALITIES,
    AMUR_REACH,
    AMUR_SILENT,
    INTERVIEW,
    thousands,
)

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def summary_page(new_app):
    at = new_app()
    at.secrets["campaign"] = {"id": "amur-2022"}
    return at.run()


def test_the_summary_page_renders_the_demo_without_an_exception(summary_page):
    assert not summary_page.exception
    assert summary_page.title[0].value == "Акция #МояХартия — Амурская область"


def test_every_target_of_the_campaign_has_a_card_with_its_value(summary_page):
    cards = {metric.label: metric.value for metric in summary_page.metric}
    assert cards["Присоединить к Хартии не менее 10 организаций"] == str(AMUR_JOINED)
    assert cards["Присоединить к Хартии не менее 20 организаций"] == str(AMUR_JOINED)
    assert cards["Не менее 10 интервью / выступлений на радио или ТВ"] == str(AMUR_EVENTS[INTERVIEW])
    assert len(cards) == 6


def test_a_target_not_met_says_what_remains_in_correct_russian(summary_page):
    interviews = next(m for m in summary_page.metric if m.label.startswith("Не менее 10 интервью"))
    assert interviews.delta == "ещё 2 интервью / выступления"
    organisations = next(m for m in summary_page.metric if m.label.endswith("10 организаций"))
    assert organisations.delta == "выполнено"


def test_the_header_says_as_of_which_date_and_where_the_data_comes_from(summary_page):
    header = summary_page.caption[0].value
    assert "по состоянию на 22.02.2022" in header
    assert "08.02.2022–08.03.2022" in header
    assert "amur" in header and "xlsx" in header


def test_the_totals_use_russian_plurals_and_thousands(summary_page):
    text = " ".join(m.value for m in summary_page.markdown)
    assert f"Присоединились: **{AMUR_JOINED} организации**" in text
    assert f"охват: **{thousands(AMUR_REACH)} человек**" in text
    assert f"Нет ни одной строки в таблице ({len(AMUR_SILENT)} из {AMUR_MUNICIPALITIES})" in text


def test_an_unreadable_source_shows_a_clear_russian_banner(monkeypatch):
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("CAMPAIGN_SOURCE", str(REPO / "data" / "demo" / "no-such-file.xlsx"))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert "Не удалось прочитать таблицу" in at.error[0].value
    assert "Файл не найден" in at.error[0].value


def markdown_of(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_the_first_screen_names_the_next_deadline_with_its_countdown(summary_page):
    text = markdown_of(summary_page)
    assert "**Ближайший срок**" in text
    assert "**09.03.2022** — через 15 дней" in text
    assert "Итоги акции по прилагаемой форме" in text and "Муниципалитеты → Минобрнауки Амурской области" in text
    assert "Прошли: 15 февраля (2 срока)" in text  # the past ones in one line


def test_the_first_screen_ranks_who_lags_silent_ones_first_with_what_they_owe(summary_page):
    [block] = [m.value for m in summary_page.markdown if m.value.startswith("**Кто отстаёт**")]
    lines = block.split("  \n")
    assert lines[1].startswith(f":red[Ничего не прислали: {len(AMUR_SILENT)} из {AMUR_MUNICIPALITIES}] — Архаринский район, Бурейский район")
    # in-page links open in the same tab (a Markdown link would open a new tab: a new session)
    zavitinsky = "RU-AMU:" + quote_plus("завитинский") + ":mr"
    assert lines[2].startswith(f'1\\. <a href="/municipalities?mo={zavitinsky}&amp;campaign=amur-2022" '
                               'target="_self">Завитинский район</a>')
    assert '— ещё 1 организация; нет мероприятий · <a href="/problems?mo=' in lines[2]
    assert lines[2].endswith('campaign=amur-2022" target="_self">проверка данных</a>')
    assert lines[-1] == (':gray[Письмо с напоминанием: <a href="/reports?campaign=amur-2022" target="_self">'
                         '«Отчёты и формы»</a>]')


def test_the_first_screen_says_what_changed_since_yesterday_from_the_demo_s_history(summary_page):
    [block] = [m.value for m in summary_page.markdown if m.value.startswith("**Что изменилось**")]
    assert "За сутки: −1 организация, +2 мероприятия, +71 человек; исправлено проблем: 3" in block
    assert "последнего за прошлый день" in block
    assert "Ещё не учтены: «заявка подана» — 13" in block
    assert "Из таблицы пропала 1 строка, которая была в ней" in block  # the demo's deleted school


def test_the_cards_say_how_each_target_moved_since_yesterday(summary_page):
    captions = [c.value for c in summary_page.caption]
    # long words carry soft hyphens (a narrow card breaks them by the rules), invisible when read
    # long words carry soft hyphens (a narrow card breaks them by the rules), invisible when read;
    # two cards of one metric (54 and 54) say whose target each is
    read = [c.replace("\u00ad", "") for c in captions]
    assert "При\u00adсо\u00adеди\u00adнить к Хартии не менее 20 орга\u00adни\u00adза\u00adций  \nПамятка  \n−1 за сутки" in captions
    assert ("Присоединить к Хартии не менее 10 организаций  \nПисьмо заместителя председателя Правительства области"
            "  \n−1 за сутки") in read
    assert "Провести 1–2 конференции" in read  # one target of its metric: no document named


def chart_data(chart) -> list:
    """The tables a Vega-Lite chart was sent with, as DataFrames."""
    import pyarrow as pa

    return [pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in chart.proto.datasets]


def test_the_chart_ends_at_the_cards_figure_and_says_why_its_line_ends_lower(summary_page):
    """The cards say 54; the line by typed dates ends at 53, a row's date being unreadable
    («31.02.2022»): the figure at the line's end is the cards' one, with the row it leaves out,
    and the caption under the chart says so with the way to fix it."""
    by_dates = summary_page.tabs[0]
    [chart] = [c for c in by_dates.children.values() if type(c).__name__ == "UnknownElement"]
    frames = chart_data(chart)
    fact = next(f for f in frames if set(f.get("kind", [])) == {"факт по датам в таблице"})
    assert fact["cumulative"].max() == AMUR_JOINED - 1
    end = next(f for f in frames if "note" in f)
    assert end[["text", "note"]].values.tolist() == [[str(AMUR_JOINED), "из них 1 без даты — не на графике"]]
    assert any(c.value == f"Всего {AMUR_JOINED}, на графике {AMUR_JOINED - 1}: у 1 строки дата не читается — "
                          'исправить: <a href="/problems?campaign=amur-2022" target="_self">«Проверка данных»</a>.'
               for c in by_dates.caption)


def test_beside_the_chart_by_typed_dates_the_targets_by_day_of_reports(summary_page):
    """«По дням отчётов»: the headline as the dashboard saw it at the end of each day of the demo's
    history (three days before today and today); the school «deleted» overnight counts until then."""
    assert [t.label for t in summary_page.tabs] == ["По датам в таблице", "По дням отчётов"]
    assert not summary_page.tabs[1].children  # a tab that is not open does not run
    summary_page.session_state["summary_chart_tab"] = "По дням отчётов"  # the user opens it
    summary_page.run()
    assert not summary_page.tabs[0].children
    by_reports = summary_page.tabs[1]
    [metric] = [s for s in by_reports.selectbox if s.label == "Показатель"]
    assert metric.value == "organisations_joined"
    assert metric.format_func(metric.value) == "Организации, присоединившиеся к Хартии"
    [chart] = [c for c in by_reports.children.values() if type(c).__name__ == "UnknownElement"]
    frames = chart_data(chart)
    fact = next(f for f in frames if set(f["kind"]) == {"по последнему чтению за день"})
    assert fact.sort_values("date")["value"].tolist() == [55, 55, 55, 54]
    assert fact["read_at"].str.endswith("10:00").sum() == 3  # the demo's earlier reads, at 10:00 there
    goals = next(f for f in frames if set(f.get("kind", [])) == {"цель"})
    assert set(goals["goal_text"]) == {"цель: 20", "цель: 10"}
    assert any("Как видел таблицу дашборд в конце каждого дня (время Амурской области)" in c.value
               for c in by_reports.caption)
    metric.select(metric.options[1]).run()  # another metric with a target
    assert not summary_page.exception
    [chart] = [c for c in summary_page.tabs[1].children.values() if type(c).__name__ == "UnknownElement"]
    assert len(next(f for f in chart_data(chart) if "value" in f)) == 4


def test_a_passed_deadline_of_the_municipalities_says_how_many_had_reported_by_then(summary_page):
    captions = [c.value for c in summary_page.caption]
    assert ("Муниципалитеты и подведомственные школы → Минобрнауки Амурской области · к сроку строки были "
            f"у 16 из {AMUR_MUNICIPALITIES} муниципалитетов") in captions
    # the ministry's own deadline: the sheet does not say what it sent, so nothing is claimed
    assert "Минобрнауки Амурской области → Управление внутренней политики аппарата губернатора области" in captions


def test_what_changed_names_each_metric_once(summary_page):
    """Two targets of one metric moved together: «55 → 54 (−1)» was said twice."""
    [block] = [m.value for m in summary_page.markdown if "→ **" in m.value]
    lines = block.split("  \n")
    assert lines.count("Организации, присоединившиеся к Хартии: 55 → **54** (−1)") == 1
    assert len(lines) == len({line.split(":")[0] for line in lines})
