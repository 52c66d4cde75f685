"""The briefing slide (campaign/briefing.py) over the Amur demo workbook: its size, its text, no
personal data, clockwise polygons, and a comparison with a stored reference rendering.

Refresh the reference after an intended change of the layout:

    UPDATE_REFERENCE=1 python -m pytest tests/unit/test_briefing.py -k reference

then look at tests/reference/briefing-amur-2022.png before committing it.
"""

from __future__ import annotations

import io
import json
import os
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from campaign import briefing
from campaign.map_view import COUNT_BINS, SHARE_BINS
from campaign.pipeline import run
from campaign.spec import load_campaign
from data_sources.local_file import LocalFileSource
from tests.demo_figures import AMUR_JOINED, AMUR_MUNICIPALITIES, AMUR_SILENT

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO / "tests" / "reference" / "briefing-amur-2022.png"
REFERENCE_SIZE = (480, 270)  # a quarter of the slide each way: small in the repo, enough for the layout
MEAN_TOLERANCE = 4.0  # mean absolute difference, of 255, over the whole downscaled image
TILE_TOLERANCE = 16.0  # … and over each of 8 × 4 tiles, so one broken panel cannot hide in the mean

GREENS = [(120, 198, 121), (0, 104, 55)]  # «50–75 %» and «цель выполнена» of the palette


@pytest.fixture(scope="module")
def report():
    tabs = LocalFileSource(str(REPO / "data" / "demo" / "amur-2022.xlsx")).read().tabs
    return run(tabs, load_campaign("amur-2022"), as_of=date(2022, 2, 22))


@pytest.fixture(scope="module")
def spec(report) -> dict:
    return briefing.briefing_spec(report)


@pytest.fixture(scope="module")
def png(spec) -> Image.Image:
    data = briefing.vl_convert.vegalite_to_png(spec, format_locale="ru-RU", time_format_locale="ru-RU")
    return Image.open(io.BytesIO(data)).convert("RGB")


def spec_texts(spec: dict) -> set[str]:
    """Every string value in the spec's data and titles, line breaks read as spaces."""
    found: set[str] = set()

    def walk(value) -> None:
        if isinstance(value, str):
            found.add(value.replace("\n", " "))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(spec)
    return found


def kpi_rows(spec: dict) -> list[dict]:
    for rows in spec["datasets"].values():
        if rows and isinstance(rows[0], dict) and {"value", "label", "status"} <= set(rows[0]):
            return rows
    raise AssertionError("no KPI dataset in the spec")


# ---------------------------------------------------------------- the picture


def test_png_is_a_full_hd_slide(report, png):
    assert png.size == (1920, 1080)
    assert briefing.briefing_png(report)[:8] == b"\x89PNG\r\n\x1a\n"


def test_png_is_not_blank(png):
    pixels = np.asarray(png).reshape(-1, 3)
    colours = np.unique(pixels.astype(np.int32) @ np.array([1 << 16, 1 << 8, 1], dtype=np.int32))
    assert len(colours) > 500, len(colours)
    assert (pixels.min(axis=1) < 100).mean() > 0.005  # some dark ink (text), not only pale fills


def test_map_is_drawn_in_greens(png):
    pixels = np.asarray(png)[380:1000, 0:860].reshape(-1, 3)  # the lower left: the map
    for green in GREENS:
        hits = (np.abs(pixels.astype(int) - green).sum(axis=1) <= 6).sum()
        assert hits > 500, (green, hits)
    grey = (np.abs(pixels.astype(int) - (224, 224, 224)).sum(axis=1) <= 6).sum()
    assert grey > 5000  # municipalities with no organisations yet


# ---------------------------------------------------------------- the text


def test_title_and_date(spec):
    title = spec["title"]
    assert title["text"] == "Акция #МояХартия — Амурская область"
    # and the next deadline: a slide pasted into a briefing answers «what is due next» too
    assert title["subtitle"] == ("по состоянию на 22.02.2022 · ближайший срок 09.03.2022 (через 15 дней): "
                                 "итоги акции по прилагаемой форме")
    assert title["fontSize"] >= 48


def test_kpi_cards(report, spec):
    rows = kpi_rows(spec)
    assert len(rows) == len(report.targets) == 6
    assert rows[0]["value"] == str(AMUR_JOINED)
    statuses = [row["status"].replace("\n", " ") for row in rows]
    assert "ещё 2 интервью / выступления" in statuses
    assert statuses.count("выполнено") == 5
    assert "Не менее 10 интервью / выступлений на радио или ТВ" in {row["label"].replace("\n", " ") for row in rows}


def test_kpi_status_plurals(sheet):
    nothing = sheet.run(orgs=[], events=[])
    statuses = {row["status"].replace("\n", " ") for row in briefing.kpi_frame(nothing).to_dict("records")}
    assert {"ещё 20 организаций", "ещё 10 организаций", "ещё 3 информационные кампании", "ещё 1 конференция",
            "ещё 10 интервью / выступлений", "ещё 1 конкурс"} <= statuses


def test_burnup_labels(spec):
    texts = spec_texts(spec)
    assert {"цель: 20", "цель: 10", "15 февраля", "9–10 марта", "15 марта",
            "54", "из них 1 без даты — не на графике"} <= texts  # the cards' figure, and why the line ends at 53
    # four days with nothing added: no «прогноз: 71» from the growth days before them, and the reason
    assert not any(text.startswith("прогноз:") for text in texts)
    assert any("прогноза нет: 4 дня ничего не добавлялось" in text for text in texts)
    assert spec["config"]["locale"]["time"]["months"][1] == "февраля"
    assert '"%-d %B"' in json.dumps(spec)  # «8 февраля» on the date axis, not «8 фев» or «30 май»


def font_sizes(value) -> list[float]:
    """Every font size set anywhere in the spec (marks, titles, axes, legends)."""
    if isinstance(value, dict):
        own = [size for key, size in value.items() if key.endswith("FontSize") or key == "fontSize"]
        return own + [size for item in value.values() for size in font_sizes(item)]
    if isinstance(value, list):
        return [size for item in value for size in font_sizes(item)]
    return []


def test_fonts_are_large(spec):
    sizes = font_sizes(spec)
    assert len(sizes) > 15  # set on every text: titles, axes, legend, cards, labels
    assert sorted(sizes)[:2] == [16, 20]  # 16 only for the credit line
    assert spec["title"]["fontSize"] >= 48
    assert max(sizes) >= 52


def test_credit(spec):
    assert any("© OpenStreetMap contributors" in text for text in spec_texts(spec))


def test_no_personal_data(report, spec):
    frame = report.tabs["organisations"].frame[["contact", "phone", "email"]]
    values = {str(value).strip() for value in frame.to_numpy().ravel() if str(value).strip()}
    surnames = {str(value).split()[0] for value in frame["contact"] if str(value).split()}
    assert len(values) > 50 and surnames
    text = json.dumps(spec, ensure_ascii=False)
    assert [value for value in values if value in text] == []
    assert [name for name in surnames if name in text] == []
    assert "@" not in text


# ---------------------------------------------------------------- the map data


def ring_area(ring: list) -> float:
    """Shoelace over lon/lat: negative for a clockwise ring."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1])) / 2


def test_polygon_rings_are_clockwise(report, spec):
    features = spec["datasets"][briefing.MAP_DATASET]
    assert len(features) == len(report.registry) == 29
    holes = 0
    for feature in features:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        for exterior, *interiors in polygons:
            assert ring_area(exterior) < 0, feature["properties"]
            for hole in interiors:  # holes wind the other way, as d3 expects
                assert ring_area(hole) > 0
                holes += 1
    assert holes >= 1  # the Amur data has districts with a town cut out
    assert set(features[0]["properties"]) == {"bin"}  # nothing but the colour class


def test_map_bins_by_share_of_quota(spec):
    bins = {feature["properties"]["bin"] for feature in spec["datasets"][briefing.MAP_DATASET]}
    assert "0 %" in bins and "цель выполнена" in bins
    assert bins <= set(SHARE_BINS.labels)


def test_count_bins_are_inclusive():
    labels = [COUNT_BINS.label(value) for value in (0, 1, 2, 3, 5, 6, 21)]
    assert labels == ["нет", "1–2", "1–2", "3–5", "3–5", "6–10", "более 20"]


# ---------------------------------------------------------------- the reference rendering


def small(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("RGB").resize(REFERENCE_SIZE, Image.Resampling.BOX), dtype=np.float64)


def test_matches_reference(png):
    if os.environ.get("UPDATE_REFERENCE") == "1":
        REFERENCE.parent.mkdir(parents=True, exist_ok=True)
        png.convert("RGB").resize(REFERENCE_SIZE, Image.Resampling.BOX).save(REFERENCE, optimize=True)
        pytest.skip(f"reference written to {REFERENCE.relative_to(REPO)}: look at it before committing")
    assert REFERENCE.exists(), "no reference: run with UPDATE_REFERENCE=1"
    new, old = small(png), np.asarray(Image.open(REFERENCE).convert("RGB"), dtype=np.float64)
    assert new.shape == old.shape
    difference = np.abs(new - old).mean(axis=2)
    mean = difference.mean()
    rows, columns = 4, 8
    height, width = difference.shape[0] // rows, difference.shape[1] // columns
    tiles = difference[: rows * height, : columns * width].reshape(rows, height, columns, width).mean(axis=(1, 3))
    hint = "if the change is intended, refresh it: UPDATE_REFERENCE=1 python -m pytest tests/unit/test_briefing.py"
    assert mean < MEAN_TOLERANCE, f"mean difference {mean:.2f} from the reference; {hint}"
    assert tiles.max() < TILE_TOLERANCE, f"tile differences {np.round(tiles, 1).tolist()}; {hint}"


def test_the_slide_names_who_lags(spec):
    texts = spec_texts(spec)
    # by the names the page gives them (the map's labels are the short ones)
    assert any(text.startswith(f"Ничего не прислали: {len(AMUR_SILENT)} из {AMUR_MUNICIPALITIES} — Архаринский район, Бурейский район") for text in texts)
    assert any(text.startswith("Отстают: Завитинский район (ещё 1 организация)") for text in texts)
    # whole names and how many more, never one cut with «…» («Шимановск (ещё 1…»)
    [silent] = [t for t in texts if t.startswith("Ничего не прислали")]
    [behind] = [t for t in texts if t.startswith("Отстают")]
    assert silent.endswith("Мазановский район и ещё 7") and behind.endswith("(ещё 1 организация) и ещё 1")
    assert "…" not in silent + behind


def test_a_large_sheet_still_fits_the_slide(benchmarks_importable):
    """Six-digit figures (a sheet of 100 000 rows) take the room of two-digit ones: the y axis of
    the burn-up keeps its width, so the PNG and PDF of a large region still fit 1920 × 1080."""
    from pipeline import build_tabs

    large = run(build_tabs(100_000), load_campaign("amur-2022"), as_of=date(2022, 2, 22))
    assert large.metrics["organisations_joined"] > 80_000
    image = Image.open(io.BytesIO(briefing.briefing_png(large))).convert("RGB")
    assert image.size == (briefing.WIDTH, briefing.HEIGHT)
    assert briefing.briefing_pdf(large).startswith(b"%PDF")
