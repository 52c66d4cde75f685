"""The map's colour classes match its legend."""

import pytest

from components.map import COUNT_BINS, SHARE_BINS, bin_index, legend_items


@pytest.mark.parametrize("value, label", [
    (0, "нет"), (1, "1–2"), (2, "1–2"), (3, "3–5"), (5, "3–5"), (6, "6–10"), (10, "6–10"),
    (11, "11–20"), (20, "11–20"), (21, "более 20"), (250, "более 20"),
])
def test_organisation_counts_fall_into_the_class_their_legend_names(value, label):
    assert COUNT_BINS[bin_index(value, COUNT_BINS)][2] == label


@pytest.mark.parametrize("share, label", [
    (0, "0 %"), (0.1, "до 25 %"), (0.25, "25–50 %"), (0.5, "50–75 %"), (0.75, "75–100 %"),
    (0.99, "75–100 %"), (1.0, "цель выполнена"), (1.6, "цель выполнена"),
])
def test_quota_shares_fall_into_the_class_their_legend_names(share, label):
    assert SHARE_BINS[bin_index(share, SHARE_BINS)][2] == label


def test_the_legend_has_one_colour_per_class():
    assert len(legend_items(False)) == len(COUNT_BINS) == 6
