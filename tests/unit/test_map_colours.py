"""What a map shows (campaign/map_view.py): the colour classes match the legend, and labels are
placed so that they do not mislead — the same way on the dashboard's map and on the slide."""

import pytest

from campaign import briefing
from campaign.map_view import (
    COUNT_BINS,
    PALETTE,
    SHARE_BINS,
    SLIDE_LABELS,
    legend_items,
    map_measures,
    page_labels,
    place_labels,
)
from components.map import page_frame


@pytest.mark.parametrize("value, label", [
    (0, "нет"), (1, "1–2"), (2, "1–2"), (3, "3–5"), (5, "3–5"), (6, "6–10"), (10, "6–10"),
    (11, "11–20"), (20, "11–20"), (21, "более 20"), (250, "более 20"),
])
def test_organisation_counts_fall_into_the_class_their_legend_names(value, label):
    assert COUNT_BINS.label(value) == label


@pytest.mark.parametrize("share, label", [
    (0, "0 %"), (0.1, "до 25 %"), (0.25, "25–50 %"), (0.5, "50–75 %"), (0.75, "75–100 %"),
    (0.99, "75–100 %"), (1.0, "цель выполнена"), (1.6, "цель выполнена"), (0.00005, "до 25 %"),
])
def test_quota_shares_fall_into_the_class_their_legend_names(share, label):
    assert SHARE_BINS.label(share) == label


def test_the_legend_has_one_colour_per_class():
    assert len(legend_items(False)) == len(COUNT_BINS.labels) == 6
    assert [colour for _, colour in legend_items(True)] == list(PALETTE)


def test_the_slide_and_the_page_colour_a_municipality_alike(demo_report):
    report = demo_report("amur-2022")
    measure = map_measures(report)[0]
    classes = {f["properties"]["bin"] for f in briefing.map_features(report)}
    assert classes <= set(measure.bins.labels) and "цель выполнена" in classes


# ---------------------------------------------------------------- labels

TYNDA, TYNDA_DISTRICT = "RU-AMU:тында:go", "RU-AMU:тындинский:mr"




@pytest.fixture(scope="module", params=["amur-2022", "primorye-2022", "irkutsk-zastupnik-2024"])
def placed(request, demo_report):
    report = demo_report(request.param)
    measure = map_measures(report)[0]
    return report, measure, page_labels(report, measure, page_frame(620, 560)), \
        place_labels(report, measure, SLIDE_LABELS)


def test_a_town_inside_its_district_is_a_marker_in_its_own_colour(demo_report):
    report = demo_report("amur-2022")
    measure = map_measures(report)[0]
    for frame in (page_frame(620, 560), SLIDE_LABELS):
        tynda = next(label for label in place_labels(report, measure, frame) if label.uid == TYNDA)
        assert tynda.marker and tynda.text == "Тында\n5 из 4"
        assert tynda.colour == measure.colour(TYNDA) == SHARE_BINS.colour(5 / 4)
        assert tynda.colour != measure.colour(TYNDA_DISTRICT)  # the grey district around it
        assert (tynda.point_lon, tynda.point_lat) != (tynda.lon, tynda.lat)  # the text beside the dot


def test_labels_carrying_data_come_first_and_the_slide_shows_only_those(placed):
    report, measure, page, slide = placed
    assert slide and all(measure.informative(label.uid) for label in slide)
    figures = [measure.of(label.uid)[0] for label in page]
    informative = [measure.informative(label.uid) for label in page]
    assert informative == sorted(informative, reverse=True)  # none with data after one without
    assert figures[0] == max(measure.of(m.uid)[0] for m in report.registry.municipalities)


def test_the_slide_labels_what_the_page_labels_first(placed):
    _report, _measure, page, slide = placed
    page_uids = [label.uid for label in page]
    assert {label.uid for label in slide} <= set(page_uids)
    markers = {label.uid: label.marker for label in page}
    assert all(markers[label.uid] == label.marker for label in slide)  # a town is a marker on both


def test_primorye_labels_its_towns_with_data_not_empty_districts(demo_report):
    report = demo_report("primorye-2022")
    measure = map_measures(report)[0]
    texts = [label.text.split("\n")[0] for label in place_labels(report, measure, SLIDE_LABELS)]
    assert {"Владивосток", "Уссурийск", "Находка"} <= set(texts)
    assert all(not text.endswith("\n0") for text in texts)


def test_a_map_is_as_tall_as_its_region_needs_at_the_width_of_its_column():
    from components.map import frame_height

    # the Amur region is about as tall as wide: a phone's 360 px column gets a map of about that height
    assert 300 <= frame_height("RU-AMU", 360) <= 380
    assert frame_height("RU-AMU", 860, most=560) == 560  # a wide column: as tall as allowed
    assert frame_height("RU-AMU", 100) == 300  # never lower than its labels need


def _lab(colour: tuple[int, int, int]) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of an sRGB colour."""
    def linear(value: int) -> float:
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = map(linear, colour)
    x, y, z = ((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b,
               (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883)
    f = lambda t: t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116  # noqa: E731 - the formula as CIELAB defines it
    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def test_every_colour_class_is_told_from_its_neighbour_and_the_first_from_nothing():
    import math

    distances = [math.dist(_lab(a), _lab(b)) for a, b in zip(PALETTE, PALETTE[1:])]
    # «1–2» beside «нет» (a small district of Primorye): as far apart as two colours of a printed map
    assert distances[0] >= 35, distances
    assert min(distances) >= 12, distances
    assert [_lab(c)[0] for c in PALETTE[1:]] == sorted((_lab(c)[0] for c in PALETTE[1:]), reverse=True)  # light to dark


def test_a_label_at_the_edge_of_the_map_is_moved_in_whole_and_one_that_would_cover_another_is_left_out():
    from campaign.map_view import LabelFrame, fit_scale, labels_that_fit, mercator

    box = (19.6, 180.0, 39.0, 77.8)  # the map of Russia, fitted to the frame's width
    frame = LabelFrame(700, 480, fill=0.93, char_px=8.0, line_px=17.0, marker_px=6.0)
    text = "Чукотский автономный округ\n0 из 20"
    kept = labels_that_fit([("RU-CHU", 176.0, 66.0, text), ("RU-KAM", 175.0, 66.2, "Камчатский край\n1 из 20"),
                            ("RU-MOW", 37.6, 55.7, "Москва\n20 из 20")], box, frame)
    assert set(kept) == {"RU-CHU", "RU-MOW"}  # Kamchatka's would lie on Chukotka's: its tooltip tells
    assert kept["RU-MOW"] == (37.6, 55.7)  # inside the frame: where it was
    scale = fit_scale(*box, frame.width, frame.height) * frame.fill
    right = (mercator(180.0, 60)[0] + mercator(19.6, 60)[0]) / 2 * scale + frame.width / 2
    label_right = mercator(*kept["RU-CHU"])[0] * scale + len("Чукотский автономный округ") * frame.char_px / 2
    assert kept["RU-CHU"][0] < 176.0 and label_right <= right  # moved west until its end is on the map


def test_a_label_does_not_hide_a_region_that_lags_more_but_may_cover_one_that_lags_less():
    from campaign.map_view import LabelFrame, labels_that_fit

    box = (19.6, 180.0, 39.0, 77.8)
    frame = LabelFrame(860, 460, fill=0.93, char_px=8.0, line_px=17.0, marker_px=6.0)
    primorye = ("RU-PRI", 135.14, 45.38, "Приморский край\n2 из 20")
    khabarovsk = ("RU-KHA", 135.0, 46.2, "Хабаровский край\n16 из 20")  # its label's box over Primorye's point
    assert set(labels_that_fit([primorye, khabarovsk], box, frame)) == {"RU-PRI"}
    # were Khabarovsk the one that lags more, its label would come first and lie over Primorye's point
    assert set(labels_that_fit([khabarovsk, primorye], box, frame)) == {"RU-KHA"}
