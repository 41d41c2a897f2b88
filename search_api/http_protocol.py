"""uvicorn's HTTP/1.1 protocol (h11) with JSON errors for requests the app never sees.

A request whose line or headers are too long is refused by the HTTP parser before any route runs.
uvicorn answers with a plain-text "400 Invalid HTTP request received." and closes at once, so a client
still sending a long URL gets a reset connection and no status at all. Here the answer is 414 (request
line too long, e.g. a huge query string) or 431 (headers too long) with a JSON ``detail`` like every
other error of the API; the rest of the request is read and dropped for a moment before the connection
closes ("lingering close"), so the client can read the answer.
"""

from __future__ import annotations

import json
from http import HTTPStatus

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

MAX_HEAD_BYTES = 64 * 1024  # request line and headers: a 2,000-character CJK query is about 18 KB encoded
LINGER_SECONDS = 2.0


class JsonErrorH11Protocol(H11Protocol):
    def __init__(self, config, *args, **kwargs) -> None:
        config.h11_max_incomplete_event_size = MAX_HEAD_BYTES
        super().__init__(config, *args, **kwargs)
        self._lingering = False

    def data_received(self, data: bytes) -> None:
        if not self._lingering:
            super().data_received(data)

    def send_400_response(self, msg: str) -> None:
        status, detail = head_error(self.conn)
        body = json.dumps({"detail": detail}).encode("utf-8")
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                   (b"connection", b"close")]
        try:
            for event in (h11.Response(status_code=status, headers=headers, reason=HTTPStatus(status).phrase), h11.Data(data=body), h11.EndOfMessage()):
                self.transport.write(self.conn.send(event))
        except h11.LocalProtocolError:  # too broken for h11 to answer
            self.transport.close()
            return
        self._lingering = True
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.loop.call_later(LINGER_SECONDS, self.transport.close)


def head_error(connection: h11.Connection) -> tuple[int, str]:
    """Status and message for a request h11 refused, judged from what it had buffered."""
    buffered, _ = connection.trailing_data
    if len(buffered) > MAX_HEAD_BYTES:
        if b"\n" not in buffered[:MAX_HEAD_BYTES]:
            return 414, f"request line over {MAX_HEAD_BYTES:,} bytes: shorten the URL (queries: 2,000 characters at most)"
        return 431, f"request headers over {MAX_HEAD_BYTES:,} bytes"
    return 400, "malformed HTTP request"
