"""JSON over HTTPS with the standard library: one request, or every page of a listing by
its ``Link: <…>; rel="next"`` header. The token goes only to the API's own origin: a
redirect is refused, and a next page elsewhere is an error."""

from __future__ import annotations

import contextlib
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from typing import Any

from git_blueprint.errors import ForgeError

TIMEOUT = 30.0  # seconds, per request
_LINK = re.compile(r"<([^>]*)>([^,<]*)")
_REL = re.compile(r"""\brel\s*=\s*"?([^";]*)"?""")


class Refused(ForgeError):
    """The API answered with an HTTP error; ``status`` says which, ``detail`` its message."""

    def __init__(self, status: int, method: str, url: str, detail: str) -> None:
        super().__init__(f"{method} {url}: {status} {detail}".rstrip())
        self.status = status
        self.method = method
        self.url = url
        self.detail = detail


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # urllib would send the Authorization header on to wherever a redirect points.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Api:
    """A forge's REST API at ``base_url``, with the headers every request carries (the
    token among them)."""

    def __init__(self, base_url: str, headers: Mapping[str, str]) -> None:
        parts = urllib.parse.urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ForgeError(f"{base_url}: not an http(s) URL of an API")
        self.base = base_url.rstrip("/")
        self.origin = (parts.scheme, parts.netloc)
        self.headers = {"Accept": "application/json", "User-Agent": "git-blueprint", **headers}
        self._opener = urllib.request.build_opener(_NoRedirect)

    def call(self, method: str, path: str, body: Mapping[str, Any] | None = None) -> Any:
        return self._send(method, self.base + path, body)[0]

    def pages(self, path: str) -> Iterator[Any]:
        """The items of a paginated listing, page after page, fetched as they are read."""
        url: str | None = self.base + path
        seen: set[str] = set()
        while url is not None and url not in seen:
            seen.add(url)
            data, link = self._send("GET", url, None)
            if not isinstance(data, list):
                raise ForgeError(f"GET {url}: the answer is not a list")
            yield from data
            url = next_link(link)
            if url is not None and self._origin(url) != self.origin:
                raise ForgeError(f"GET {url}: the next page is on another host; not followed")

    @staticmethod
    def _origin(url: str) -> tuple[str, str]:
        parts = urllib.parse.urlsplit(url)
        return parts.scheme, parts.netloc

    def _send(self, method: str, url: str, body: Mapping[str, Any] | None) -> tuple[Any, str]:
        data = None
        headers = dict(self.headers)
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with self._opener.open(request, timeout=TIMEOUT) as response:
                raw = response.read()
                link = response.headers.get("Link", "")
        except urllib.error.HTTPError as exc:
            raise Refused(exc.code, method, url, _detail(exc)) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ForgeError(f"{method} {url}: cannot reach the API: {reason}") from None
        if not raw.strip():
            return None, link
        try:
            return json.loads(raw), link
        except ValueError:
            raise ForgeError(f"{method} {url}: the answer is not JSON") from None


def next_link(header: str) -> str | None:
    """The ``rel="next"`` URL of a ``Link`` header (RFC 8288), if there is one."""
    for url, params in _LINK.findall(header):
        rel = _REL.search(params)
        if rel and "next" in rel.group(1).split():
            return str(url)
    return None


def _detail(exc: urllib.error.HTTPError) -> str:
    """The forge's own one-line explanation of an error, as both put it in ``message``."""
    try:
        body = json.loads(exc.read() or b"null")
    except (ValueError, OSError):
        body = None
    message = body.get("message") if isinstance(body, dict) else None
    if isinstance(message, str) and message.strip():
        return " ".join(message.split())
    return str(exc.reason or "")


@contextlib.contextmanager
def explained(forge: str, doing: str, hints: Mapping[int, str]) -> Iterator[None]:
    """A refusal inside becomes one line: what was refused, the forge's reason, and, by
    the HTTP status, what the job lacks (``hints``)."""
    try:
        yield
    except Refused as exc:
        said = f" ({exc.detail})" if exc.detail else ""
        hint = hints.get(exc.status)
        tail = f"; {hint}" if hint else f" ({exc.method} {exc.url})"
        raise ForgeError(f"{forge} refused to {doing}: {exc.status}{said}{tail}") from None
