"""Which Google Sheets changed, for all of them in one request: Drive API v3 `files.list` of the
spreadsheets the service account can see, modified since a moment. Drive's quota is its own
(thousands of queries a minute), apart from the Sheets API's 60 reads a minute a user, so the
change check of 89 sheets costs the Sheets quota nothing; a sheet that did not change is then not
read at all.

Request shape (Drive API v3 reference, files.list): GET https://www.googleapis.com/drive/v3/files
with `q` («mimeType = 'application/vnd.google-apps.spreadsheet' and trashed = false and
modifiedTime > '2022-03-01T10:00:00.000Z'»), `fields` («nextPageToken,files(id,modifiedTime)»),
`pageSize` (at most 1000), `pageToken` for the next page, and `supportsAllDrives` /
`includeItemsFromAllDrives` so that sheets on a shared drive are seen too.
"""

from __future__ import annotations

from datetime import datetime, timezone

import requests

from campaign.workbook import SourceError

FILES_URL = "https://www.googleapis.com/drive/v3/files"
SPREADSHEET = "application/vnd.google-apps.spreadsheet"
DRIVE_SCOPE = "https://www.googleapis.com/auth/drive.metadata.readonly"
PAGE_SIZE = 1000
MAX_PAGES = 20  # 20 000 spreadsheets: far above any campaign; a runaway listing stops there
MSG_DRIVE = ("Не удалось узнать у Google Drive, какие таблицы изменились ({reason}): таблицы читаются "
             "по очереди, как без этой проверки.")


class DriveChanges:
    """`modified_since(moment)`: {spreadsheet key: its modifiedTime} of every spreadsheet the
    account sees that changed after `moment` (every one, when `moment` is None). `session` is
    an authorized requests session (google.auth's AuthorizedSession of the service account, with
    the Drive metadata read-only scope); `requests_made` counts the HTTP requests."""

    def __init__(self, session: requests.Session, *, timeout: float = 20.0) -> None:
        self._session = session
        self._timeout = timeout
        self.requests_made = 0

    @classmethod
    def for_service_account(cls, info: dict, *, timeout: float = 20.0) -> "DriveChanges":
        from google.auth.transport.requests import AuthorizedSession
        from google.oauth2.service_account import Credentials

        credentials = Credentials.from_service_account_info(info, scopes=[DRIVE_SCOPE])
        return cls(AuthorizedSession(credentials), timeout=timeout)

    def modified_since(self, moment: datetime | None) -> dict[str, datetime]:
        terms = [f"mimeType = '{SPREADSHEET}'", "trashed = false"]
        if moment is not None:
            terms.append(f"modifiedTime > '{rfc3339(moment)}'")
        params = {"q": " and ".join(terms), "fields": "nextPageToken,files(id,modifiedTime)",
                  "pageSize": str(PAGE_SIZE), "supportsAllDrives": "true", "includeItemsFromAllDrives": "true"}
        found: dict[str, datetime] = {}
        for _ in range(MAX_PAGES):
            reply = self._get(params)
            for item in reply.get("files") or []:
                try:
                    found[str(item["id"])] = parse_rfc3339(str(item["modifiedTime"]))
                except (KeyError, ValueError):
                    raise SourceError("bad_response", MSG_DRIVE.format(reason="непонятный ответ"),
                                      detail=f"a file without id or modifiedTime: {item!r}") from None
            token = reply.get("nextPageToken")
            if not token:
                break
            params = {**params, "pageToken": str(token)}
        return found

    def _get(self, params: dict) -> dict:
        self.requests_made += 1
        try:
            response = self._session.get(FILES_URL, params=params, timeout=self._timeout)
        except requests.exceptions.RequestException as error:
            raise SourceError("network", MSG_DRIVE.format(reason="нет связи"), detail=repr(error)) from None
        if response.status_code == 429:
            raise SourceError("quota", MSG_DRIVE.format(reason="лимит запросов"), detail=response.text[:300])
        if response.status_code >= 500:
            raise SourceError("server", MSG_DRIVE.format(reason=f"ошибка {response.status_code}"),
                              detail=response.text[:300])
        if response.status_code != 200:
            raise SourceError("no_access", MSG_DRIVE.format(reason=f"ошибка {response.status_code}"),
                              detail=response.text[:300])
        try:
            reply = response.json()
        except ValueError:
            raise SourceError("bad_response", MSG_DRIVE.format(reason="непонятный ответ"),
                              detail=response.text[:300]) from None
        if not isinstance(reply, dict):
            raise SourceError("bad_response", MSG_DRIVE.format(reason="непонятный ответ"), detail=repr(reply)[:300])
        return reply


def rfc3339(moment: datetime) -> str:
    """«2022-03-01T10:00:00.000Z»: UTC with milliseconds, as Drive writes modifiedTime."""
    utc = (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def parse_rfc3339(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
