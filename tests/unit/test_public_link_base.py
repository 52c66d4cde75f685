"""A sheet shared by link is read from Google, or from this machine only when the URL says so."""

import pytest

from data_sources.public_link import PublicLinkSource

KEY = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcd"


@pytest.mark.parametrize("given, export", [
    (KEY, f"https://docs.google.com/spreadsheets/d/{KEY}/export?format=xlsx"),
    (f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=0",
     f"https://docs.google.com/spreadsheets/d/{KEY}/export?format=xlsx"),
    (f"http://127.0.0.1:8765/spreadsheets/d/{KEY}/edit", f"http://127.0.0.1:8765/spreadsheets/d/{KEY}/export?format=xlsx"),
    (f"http://localhost:9000/spreadsheets/d/{KEY}/edit", f"http://localhost:9000/spreadsheets/d/{KEY}/export?format=xlsx"),
    # any other host is never contacted: the key goes to Google
    (f"https://evil.example/spreadsheets/d/{KEY}/edit", f"https://docs.google.com/spreadsheets/d/{KEY}/export?format=xlsx"),
    (f"http://10.0.0.5/spreadsheets/d/{KEY}/edit", f"https://docs.google.com/spreadsheets/d/{KEY}/export?format=xlsx"),
])
def test_the_export_is_fetched_from_google_or_from_this_machine_only(given, export):
    assert PublicLinkSource(given).export_url == export
