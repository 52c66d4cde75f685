"""Every error a user reads shares one base (campaign/errors.py): a Russian message, a reason
from a closed set, a detail for the log; and every reason the code raises is in that set."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from campaign.briefing import BriefingError
from campaign.errors import REASONS, SOURCE_REASONS, UserFacingError
from campaign.spec import CampaignFileError
from campaign.workbook import SourceError
from data_sources.limits import TOO_LARGE
from history.store import HistoryError
from service.mail import MailConfigError
from service.uploads import UploadRefused

REPO = Path(__file__).resolve().parents[2]
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


@pytest.mark.parametrize(("error", "reason"), [
    (SourceError("quota", "Источник данных просит подождать минуту."), "quota"),
    (CampaignFileError("в файле кампании нет обязательного ключа 'window'"), "campaign_file"),
    (HistoryError("История чтений недоступна.", detail="/var/lib/…"), "history"),
    (MailConfigError("[smtp] port: укажите число"), "mail_config"),
    (UploadRefused("Файл не принят."), "upload_refused"),
    (BriefingError("Слайд пишется в PNG или PDF."), "briefing"),
])
def test_every_error_a_user_reads_has_the_base_a_reason_and_a_russian_message(error, reason):
    assert isinstance(error, UserFacingError) and error.reason == reason and reason in REASONS
    assert CYRILLIC.search(error.message) and str(error) == error.message


def test_the_old_bases_still_catch_them():
    assert issubclass(CampaignFileError, ValueError) and issubclass(MailConfigError, ValueError)
    assert issubclass(BriefingError, ValueError)


def test_every_kind_of_source_error_the_code_raises_is_a_known_reason():
    raised = set()
    for path in [*REPO.glob("campaign/**/*.py"), *REPO.glob("data_sources/**/*.py"), *REPO.glob("service/**/*.py"),
                 *REPO.glob("components/**/*.py"), *REPO.glob("history/**/*.py")]:
        raised |= set(re.findall(r'SourceError\(\s*"([a-z_]+)"', path.read_text("utf-8")))
    assert raised and raised | {TOO_LARGE} <= SOURCE_REASONS, raised - SOURCE_REASONS
