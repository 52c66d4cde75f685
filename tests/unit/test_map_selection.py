"""Which feature a click on a pydeck map chose (the selection state Streamlit hands back)."""

import pytest

from components.map import clicked_property


@pytest.mark.parametrize(("state", "expected"), [
    (None, None),
    ({}, None),
    ({"selection": {"objects": {}}}, None),
    ({"selection": {"objects": {"regions": []}}}, None),
    ({"selection": {"objects": {"labels": [{"properties": {"iso": "RU-AMU"}}]}}}, None),
    ({"selection": {"objects": {"regions": [{"properties": {"iso": "RU-AMU"}}]}}}, "RU-AMU"),
    ({"selection": {"objects": {"regions": [{"iso": "RU-PRI"}]}}}, "RU-PRI"),
    ({"selection": {"objects": {"regions": [{"properties": {"iso": "RU-IRK"}}, {"iso": "RU-AMU"}]}}}, "RU-IRK"),
])
def test_the_clicked_feature_property_is_read_from_the_selection_state(state, expected):
    assert clicked_property(state, "regions", "iso") == expected
