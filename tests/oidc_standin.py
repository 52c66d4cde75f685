"""A small local stand-in of an OpenID Connect identity provider, for testing `st.login`.

It is a real HTTP server on 127.0.0.1 (a free port), so Streamlit and Authlib run unmodified
against it: the browser is sent to `/authorize`, which signs in at once as the user the test
chose and redirects back with a code; the app's server exchanges the code at `/token` for an
RS256-signed id_token and checks it with the key from `/jwks`.

    with OidcStandIn(client_id="dashboard", client_secret="s3cret") as standin:
        standin.sign_in_as("admin@example.org", name="Иванова Анна")
        # [auth] server_metadata_url = standin.metadata_url
        ...
        assert [r.path for r in standin.requests] == ["/.well-known/openid-configuration", "/authorize", ...]

What it serves:
- `/.well-known/openid-configuration`   the discovery document
- `/authorize`                          authorization code flow (state, nonce, PKCE S256)
- `/token`                              POST: the code for an access_token and an id_token
                                        (client_secret_basic or client_secret_post)
- `/jwks`                               the public RSA key
- `/userinfo`                           GET with the access token as a bearer token
- `/logout`                             end_session_endpoint: back to post_logout_redirect_uri

Signing uses `cryptography` directly (a dependency of Authlib), no JWT library of its own.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlencode, urlsplit

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from tests.loopback import LoopbackServer

JSON_MIME = "application/json; charset=UTF-8"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _int_bytes(number: int) -> bytes:
    return number.to_bytes((number.bit_length() + 7) // 8, "big")


@dataclass(frozen=True)
class Recorded:
    """One request the stand-in answered."""

    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str] = field(default_factory=dict)
    status: int = 200


@dataclass
class _Grant:
    client_id: str
    redirect_uri: str
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    user: dict


class OidcStandIn(LoopbackServer):
    """An OpenID Connect provider on 127.0.0.1 that signs in whoever the test names."""

    def __init__(self, client_id: str = "dashboard", client_secret: str = "client-secret-for-tests",
                 *, token_lifetime: int = 3600) -> None:
        super().__init__()
        self.client_id = client_id
        self.client_secret = client_secret
        self.token_lifetime = token_lifetime
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.key_id = "standin-" + secrets.token_hex(4)
        self._lock = threading.Lock()
        self._user: dict | None = None
        self._grants: dict[str, _Grant] = {}
        self._access_tokens: dict[str, dict] = {}
        self._requests: list[Recorded] = []


    @property
    def issuer(self) -> str:
        return self.base_url

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    # -- what the test controls and sees

    def sign_in_as(self, email: str | None, name: str = "", *, email_verified: bool = True) -> None:
        """Who the next `/authorize` signs in (None: the user refuses, `error=access_denied`)."""
        with self._lock:
            if email is None:
                self._user = None
            else:
                self._user = {"sub": "sub-" + hashlib.sha256(email.lower().encode()).hexdigest()[:16],
                              "email": email, "email_verified": email_verified, "name": name or email}

    @property
    def requests(self) -> list[Recorded]:
        with self._lock:
            return list(self._requests)

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    # -- the provider

    def metadata(self) -> dict:
        issuer = self.issuer
        return {
            "issuer": issuer,
            "authorization_endpoint": f"{issuer}/authorize",
            "token_endpoint": f"{issuer}/token",
            "jwks_uri": f"{issuer}/jwks",
            "userinfo_endpoint": f"{issuer}/userinfo",
            "end_session_endpoint": f"{issuer}/logout",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "claims_supported": ["sub", "iss", "aud", "exp", "iat", "nonce", "email", "email_verified", "name"],
            "code_challenge_methods_supported": ["S256"],
        }

    def jwks(self) -> dict:
        numbers = self._key.public_key().public_numbers()
        return {"keys": [{"kty": "RSA", "use": "sig", "alg": "RS256", "kid": self.key_id,
                          "n": b64url(_int_bytes(numbers.n)), "e": b64url(_int_bytes(numbers.e))}]}

    def sign(self, claims: dict) -> str:
        """A compact JWS, RS256, with this stand-in's key."""
        header = {"alg": "RS256", "typ": "JWT", "kid": self.key_id}
        signing_input = (b64url(json.dumps(header, separators=(",", ":")).encode()) + "."
                         + b64url(json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode("utf-8")))
        signature = self._key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
        return signing_input + "." + b64url(signature)

    def authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        """The redirect back to the client, or an error page when the request is not acceptable."""
        redirect_uri = query.get("redirect_uri", "")
        if query.get("client_id") != self.client_id or not redirect_uri:
            return 400, {"Content-Type": "text/plain; charset=utf-8"}, b"unknown client or no redirect_uri"
        back = {"state": query["state"]} if "state" in query else {}
        with self._lock:
            user = self._user
        if query.get("response_type") != "code" or "openid" not in query.get("scope", "").split():
            back["error"] = "unsupported_response_type" if query.get("response_type") != "code" else "invalid_scope"
        elif user is None:
            back["error"] = "access_denied"
        else:
            code = secrets.token_urlsafe(24)
            with self._lock:
                self._grants[code] = _Grant(self.client_id, redirect_uri, query.get("nonce"),
                                            query.get("code_challenge"), query.get("code_challenge_method"), dict(user))
            back["code"] = code
        separator = "&" if urlsplit(redirect_uri).query else "?"
        return 302, {"Location": redirect_uri + separator + urlencode(back)}, b""

    def token(self, form: dict[str, str], authorization: str | None) -> tuple[int, dict]:
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        if authorization and authorization.lower().startswith("basic "):
            decoded = base64.b64decode(authorization[6:]).decode("utf-8")
            client_id, _, client_secret = decoded.partition(":")
        if client_id != self.client_id or client_secret != self.client_secret:
            return 401, {"error": "invalid_client"}
        if form.get("grant_type") != "authorization_code":
            return 400, {"error": "unsupported_grant_type"}
        with self._lock:
            grant = self._grants.pop(form.get("code", ""), None)  # a code is good once
        if grant is None or grant.redirect_uri != form.get("redirect_uri"):
            return 400, {"error": "invalid_grant"}
        if grant.code_challenge:
            verifier = form.get("code_verifier", "")
            if grant.code_challenge_method != "S256" or b64url(hashlib.sha256(verifier.encode()).digest()) != grant.code_challenge:
                return 400, {"error": "invalid_grant", "error_description": "PKCE verification failed"}
        access_token = secrets.token_urlsafe(32)
        now = int(time.time())
        claims = {"iss": self.issuer, "sub": grant.user["sub"], "aud": self.client_id, "iat": now,
                  "exp": now + self.token_lifetime, "auth_time": now,
                  "at_hash": b64url(hashlib.sha256(access_token.encode()).digest()[:16]),
                  "email": grant.user["email"], "email_verified": grant.user["email_verified"],
                  "name": grant.user["name"]}
        if grant.nonce:
            claims["nonce"] = grant.nonce
        with self._lock:
            self._access_tokens[access_token] = grant.user
        return 200, {"access_token": access_token, "token_type": "Bearer", "expires_in": self.token_lifetime,
                     "scope": "openid email profile", "id_token": self.sign(claims)}

    def userinfo(self, authorization: str | None) -> tuple[int, dict]:
        token = authorization[7:] if authorization and authorization.lower().startswith("bearer ") else ""
        with self._lock:
            user = self._access_tokens.get(token)
        if user is None:
            return 401, {"error": "invalid_token"}
        return 200, dict(user)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet in tests
        pass

    @property
    def standin(self) -> OidcStandIn:
        return self.server.standin  # type: ignore[attr-defined]

    def _record(self, path: str, query: dict, form: dict, status: int) -> None:
        with self.standin._lock:
            self.standin._requests.append(Recorded(self.command, path, query, form, status))

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data: dict) -> tuple[int, dict[str, str], bytes]:
        return status, {"Content-Type": JSON_MIME}, json.dumps(data, ensure_ascii=False).encode("utf-8")

    def _answer(self, form: dict[str, str]) -> None:
        parts = urlsplit(self.path)
        path = parts.path
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        standin = self.standin
        authorization = self.headers.get("Authorization")
        if path == "/.well-known/openid-configuration" and self.command == "GET":
            status, headers, body = self._json(200, standin.metadata())
        elif path == "/jwks" and self.command == "GET":
            status, headers, body = self._json(200, standin.jwks())
        elif path == "/authorize" and self.command == "GET":
            status, headers, body = standin.authorize(query)
        elif path == "/token" and self.command == "POST":
            status, headers, body = self._json(*standin.token(form, authorization))
        elif path == "/userinfo":
            status, headers, body = self._json(*standin.userinfo(authorization))
        elif path == "/logout" and self.command == "GET":
            back = query.get("post_logout_redirect_uri")
            status, headers, body = (302, {"Location": back}, b"") if back else (200, {"Content-Type": "text/plain"}, b"signed out")
        else:
            status, headers, body = 404, {"Content-Type": "text/plain"}, b"not found"
        self._record(path, query, form, status)
        self._send(status, headers, body)

    def do_GET(self) -> None:
        self._answer({})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8") if length else ""
        self._answer({k: v[-1] for k, v in parse_qs(raw, keep_blank_values=True).items()})


OidcStandIn.handler = _Handler
