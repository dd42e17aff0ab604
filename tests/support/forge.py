"""A fake forge for the comment poster: GitHub's and GitLab's comment endpoints served by
``http.server`` on 127.0.0.1, with their pagination (a ``Link`` header, ``page=N``), every
request recorded, and refusals on demand."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

GITHUB_LIST = re.compile(r"/repos/([^/]+/[^/]+)/issues/(\d+)/comments")
GITHUB_ONE = re.compile(r"/repos/([^/]+/[^/]+)/issues/comments/(\d+)")
GITLAB_LIST = re.compile(r"/api/v4/projects/([^/]+)/merge_requests/(\d+)/notes")
GITLAB_ONE = re.compile(r"/api/v4/projects/([^/]+)/merge_requests/(\d+)/notes/(\d+)")


@dataclass
class Request:
    method: str
    path: str  # with the query
    headers: dict[str, str]  # names in lower case
    body: Any


@dataclass
class Forge:
    """What the fake holds: comments by thread (``"owner/name#12"``, ``"42!7"``), the
    requests it was sent, and what it should refuse (``refuse[METHOD] = status``)."""

    url: str = ""
    page_size: int = 2
    threads: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    refuse: dict[str, int] = field(default_factory=dict)
    next_host: str | None = None  # a next-page link pointing elsewhere
    _next_id: int = 100

    @property
    def github_url(self) -> str:
        return self.url

    @property
    def gitlab_url(self) -> str:
        return self.url + "/api/v4"

    def seed(self, thread: str, *bodies: str, **extra: Any) -> list[int]:
        ids = []
        for body in bodies:
            ids.append(self._add(thread, body, **extra))
        return ids

    def _add(self, thread: str, body: str, **extra: Any) -> int:
        self._next_id += 1
        self.threads.setdefault(thread, []).append({"id": self._next_id, "body": body, **extra})
        return self._next_id

    def writes(self) -> list[Request]:
        return [r for r in self.requests if r.method != "GET"]


def _handler(forge: Forge) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _answer(self, status: int, data: Any, headers: dict[str, str] | None = None) -> None:
            raw = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(raw)

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else None
            headers = {k.lower(): v for k, v in self.headers.items()}
            forge.requests.append(Request(self.command, self.path, headers, body))
            if self.command in forge.refuse:
                status = forge.refuse[self.command]
                return self._answer(status, {"message": "Resource not accessible by integration"})
            split = urlsplit(self.path)
            path, query = split.path, parse_qs(split.query)
            for pattern in (GITHUB_ONE, GITLAB_ONE):
                m = pattern.fullmatch(path)
                if m and self.command in ("PATCH", "PUT"):
                    wanted = int(m.groups()[-1])
                    for notes in forge.threads.values():
                        for note in notes:
                            if note["id"] == wanted:
                                note["body"] = body["body"]
                                return self._answer(200, note)
                    return self._answer(404, {"message": "Not Found"})
            for pattern, fmt in ((GITHUB_LIST, "{0}#{1}"), (GITLAB_LIST, "{0}!{1}")):
                m = pattern.fullmatch(path)
                if not m:
                    continue
                thread = fmt.format(*m.groups())
                if self.command == "POST":
                    note_id = forge._add(thread, body["body"])
                    return self._answer(201, {"id": note_id, "body": body["body"]})
                if self.command == "GET":
                    if thread not in forge.threads:
                        return self._answer(404, {"message": "Not Found"})
                    return self._page(thread, split.path, query)
            return self._answer(404, {"message": "Not Found"})

        def _page(self, thread: str, path: str, query: dict[str, list[str]]) -> None:
            page = int(query.get("page", ["1"])[0])
            notes = forge.threads[thread]
            size = forge.page_size
            chunk = notes[(page - 1) * size : page * size]
            headers = {}
            if page * size < len(notes):
                rest = {k: v[0] for k, v in query.items() if k != "page"}
                args = "&".join(f"{k}={v}" for k, v in rest.items())
                host = forge.next_host or forge.url
                last = (len(notes) + size - 1) // size
                headers["Link"] = (
                    f'<{host}{path}?{args}&page={page + 1}>; rel="next", '
                    f'<{host}{path}?{args}&page={last}>; rel="last"'
                )
            self._answer(200, chunk, headers)

        do_GET = do_POST = do_PATCH = do_PUT = _serve

    return Handler


@contextmanager
def fake_forge() -> Iterator[Forge]:
    forge = Forge()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(forge))
    forge.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield forge
    finally:
        server.shutdown()
        server.server_close()
