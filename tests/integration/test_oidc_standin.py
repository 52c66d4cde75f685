"""The OpenID Connect stand-in (tests/oidc_standin.py) over real HTTP, checked the way Authlib
checks a provider for `st.login`; and the client side of `st.login` is installed."""

from __future__ import annotations

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tests.oidc_standin import OidcStandIn

REDIRECT = "http://localhost:8501/oauth2callback"


def test_the_client_side_of_st_login_is_installed():
    """Streamlit's /oauth2callback uses Authlib's Starlette client, which needs httpx."""
    from authlib.integrations import starlette_client

    assert starlette_client.StarletteOAuth2App


@pytest.fixture
def standin():
    with OidcStandIn(client_id="dashboard", client_secret="s3cret") as provider:
        yield provider


def authorize(standin: OidcStandIn, **extra: str) -> dict[str, str]:
    """The redirect back from /authorize, as its query."""
    query = {"response_type": "code", "client_id": "dashboard", "redirect_uri": REDIRECT,
             "scope": "openid email profile", "state": "state-1", "nonce": "nonce-1", **extra}
    reply = requests.get(f"{standin.issuer}/authorize", params=query, allow_redirects=False, timeout=5)
    assert reply.status_code == 302 and reply.headers["Location"].startswith(REDIRECT + "?")
    return {k: v[-1] for k, v in parse_qs(urlsplit(reply.headers["Location"]).query).items()}


def exchange(standin: OidcStandIn, code: str, secret: str = "s3cret", **extra: str) -> requests.Response:
    return requests.post(f"{standin.issuer}/token", auth=("dashboard", secret), timeout=5,
                         data={"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, **extra})


def test_the_code_flow_gives_an_id_token_that_authlib_accepts(standin):
    pytest.importorskip("joserfc")  # what Authlib 1.6+ verifies id_tokens with
    from authlib.oidc.core import CodeIDToken
    from joserfc import jwt
    from joserfc.jwk import KeySet

    metadata = requests.get(standin.metadata_url, timeout=5).json()
    assert metadata["issuer"] == standin.issuer and metadata["id_token_signing_alg_values_supported"] == ["RS256"]
    standin.sign_in_as("Admin@Example.org", name="Петрова Ольга")
    verifier = secrets.token_urlsafe(40)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    back = authorize(standin, code_challenge=challenge, code_challenge_method="S256")
    assert back["state"] == "state-1"
    assert exchange(standin, back["code"], code_verifier="wrong").json()["error"] == "invalid_grant"

    back = authorize(standin, code_challenge=challenge, code_challenge_method="S256")
    token = exchange(standin, back["code"], code_verifier=verifier).json()
    keys = KeySet.import_key_set(requests.get(metadata["jwks_uri"], timeout=5).json())
    decoded = jwt.decode(token["id_token"], keys, algorithms=["RS256"])
    claims = CodeIDToken(decoded.claims, decoded.header, {"iss": {"values": [standin.issuer]}},
                         {"nonce": "nonce-1", "client_id": "dashboard", "access_token": token["access_token"]})
    claims.validate()  # iss, aud, exp, iat, nonce, at_hash
    assert (claims["email"], claims["email_verified"], claims["name"]) == ("Admin@Example.org", True, "Петрова Ольга")
    assert exchange(standin, back["code"], code_verifier=verifier).json()["error"] == "invalid_grant"  # used once
    userinfo = requests.get(metadata["userinfo_endpoint"], timeout=5,
                            headers={"Authorization": f"Bearer {token['access_token']}"}).json()
    assert userinfo["email"] == "Admin@Example.org"
    assert [r.path for r in standin.requests] == [
        "/.well-known/openid-configuration", "/authorize", "/token", "/authorize", "/token", "/jwks", "/token",
        "/userinfo"]


def test_the_provider_refuses_a_wrong_secret_and_a_user_who_declines(standin):
    standin.sign_in_as("someone@example.org")
    assert exchange(standin, authorize(standin)["code"], secret="wrong").status_code == 401
    standin.sign_in_as(None)
    assert authorize(standin) == {"state": "state-1", "error": "access_denied"}
