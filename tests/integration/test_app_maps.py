"""The maps as the pages send them (AppTest, the bundled demos): the labels and markers of
campaign/map_view, no scroll trap, one legend without a header, and «Регионы» labelled by the
target chosen, ranges as ranges."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.demo_figures import AMUR_JOINED
from tests.integration.test_app_pages import built


def decks(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.json) for chart in at.get("deck_gl_json_chart")]


def layer(deck: dict, layer_id: str) -> dict:
    return next(item for item in deck["layers"] if item.get("id") == layer_id)


@pytest.fixture(scope="module")
def summary() -> AppTest:
    return built("Сводка")


def test_a_town_inside_its_district_is_drawn_as_a_marker_with_its_label_beside_it(summary):
    deck = decks(summary)[0]
    markers = {row["uid"]: row for row in layer(deck, "markers")["data"]}
    texts = {row["uid"]: row for row in layer(deck, "labels")["data"]}
    tynda = "RU-AMU:тында:go"
    assert tynda in markers and texts[tynda]["text"] == "Тында\n5 из 4"
    assert markers[tynda]["colour"][:3] == [0, 104, 55]  # «цель выполнена», not the grey district's
    assert texts[tynda]["position"] != markers[tynda]["point"]
    assert {row["uid"] for row in layer(deck, "leaders")["data"]} == set(markers)


def test_labels_and_markers_are_clickable_and_show_the_tooltip(summary):
    deck = decks(summary)[0]
    for layer_id in ("municipalities", "labels", "markers"):
        assert layer(deck, layer_id)["pickable"] is True
    label = layer(deck, "labels")["data"][0]
    assert {"name", "problems", "m_organisations_joined"} <= set(label)  # the tooltip's fields


def test_the_mouse_wheel_does_not_zoom_a_map_nobody_has_clicked(summary):
    [view] = decks(summary)[0]["views"]
    assert view["controller"]["scrollZoom"] is False and view["controller"]["dragPan"] is True


def test_the_legend_is_one_row_of_classes_without_a_header(summary):
    [legend] = [element.proto.body for element in summary.get("html") if "map-legend" in element.proto.body]
    assert "<th" not in legend and "<table" not in legend
    assert [label in legend for label in ("0 %", "до 25 %", "цель выполнена")] == [True] * 3


@pytest.fixture(scope="module")
def regions() -> AppTest:
    return built("Регионы")


def region_labels(at: AppTest) -> dict[str, str]:
    return {row["iso"]: row["text"] for row in layer(decks(at)[0], "region_labels")["data"]}


def test_region_labels_follow_the_target_chosen(regions):
    assert region_labels(regions) == {"RU-AMU": f"Амурская область\n{AMUR_JOINED} из 20", "RU-PRI": "Приморский край\n16 из 20"}
    box = next(s for s in regions.selectbox if s.label == "Раскрасить карту по цели")
    box.select("information_campaigns").run()
    assert region_labels(regions) == {"RU-AMU": "Амурская область\n4 из 3–5",
                                      "RU-PRI": "Приморский край\n2 из 3–5"}
    table = regions.dataframe[0].value.set_index("Регион")
    assert table.loc["Амурская область", "Конференции"] == "1 из 1–2"  # a range reads as one


def test_the_header_says_which_date_is_which_with_the_region_s_time(summary):
    header = summary.caption[0].value
    assert "цифры по состоянию на 22.02.2022" in header
    assert "таблица прочитана " in header and "(время Амурской области, UTC+9)" in header
