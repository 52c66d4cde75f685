"""A mistyped campaign file is refused where it is used, with the file, the table, the key and the
closest known key: the command line exits with status 2, the app shows an error box for that
campaign and the other campaigns still work."""

from __future__ import annotations

import shutil

import pytest

from campaign.spec import CAMPAIGNS_DIR
from tests.cli_helpers import assert_no_traceback, cli
from tests.integration.test_app_pages import open_app

REFUSAL = ("campaigns/irkutsk-zastupnik-2024.toml: [dashboard]: неизвестный ключ «headlin» — "
           "может быть, «headline»?")


@pytest.fixture
def campaigns(tmp_path, monkeypatch):
    """The project's campaign files with «headline» of «Заступник» misspelt."""
    import campaign.spec as spec

    folder = tmp_path / "campaigns"
    shutil.copytree(CAMPAIGNS_DIR, folder)
    path = folder / "irkutsk-zastupnik-2024.toml"
    text = path.read_text(encoding="utf-8")
    assert "\nheadline =" in text
    path.write_text(text.replace("\nheadline =", "\nheadlin =", 1), encoding="utf-8")
    monkeypatch.setattr(spec, "CAMPAIGNS_DIR", folder)
    return folder


def test_the_command_line_refuses_it_with_status_2(tmp_path, campaigns):
    result = cli("summary", "--campaign", str(campaigns / "irkutsk-zastupnik-2024.toml"))
    assert result.returncode == 2
    assert_no_traceback(result)
    assert result.stderr.strip().endswith("[dashboard]: неизвестный ключ «headlin» — может быть, «headline»?")
    assert cli("summary", "--campaign", str(campaigns / "amur-2022.toml")).returncode == 0


def test_the_app_shows_an_error_box_and_the_other_campaigns_still_work(monkeypatch, campaigns):
    at = open_app(monkeypatch, query={"campaign": "irkutsk-zastupnik-2024"})
    [error] = [e.value.replace("\\", "") for e in at.error]  # as shown: Markdown's escapes dropped
    assert error == f"Кампания «irkutsk-zastupnik-2024» не открыта: в её файле ошибка. {REFUSAL}"
    assert not at.metric  # nothing of the campaign is shown
    picker = at.sidebar.radio(key="campaign_choice")
    assert "irkutsk-zastupnik-2024" in picker.options  # still listed, by its id
    picker.set_value("amur-2022").run()
    assert not at.exception and not at.error
    assert at.metric  # the Amur campaign's cards
