"""Hostile and malformed requests against a real server: a 4xx the OpenAPI schema declares, with a short
JSON message, never a 5xx, a reset connection or an echo of the whole input."""

import json
import socket
import subprocess
import sys
from urllib.parse import quote

import httpx
import pytest
from search_api.live_server import running_server

DECLARED = {200, 400, 404, 413, 414, 422, 431}
STRINGS = {"cjk": "行政机关负责人出庭应诉", "nul": "出庭\x00应诉", "emoji": "👩‍⚖️📜法治", "control": "\x1e",
           "long": "法" * 100_000}


@pytest.fixture(scope="module")
def server(real_corpus_index):
    with running_server(real_corpus_index[0]) as url:
        yield url


def raw_request(url: str, head: bytes, body: bytes = b"") -> tuple[int, bytes]:
    """Send bytes as they are (no client-side URL limits) and read the whole answer."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall(head + body)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    status = int(answer.split(b" ", 2)[1])
    return status, answer.split(b"\r\n\r\n", 1)[1]


def get(url: str, path: str, **params: str) -> tuple[int, bytes]:
    query = "&".join(f"{name}={quote(value)}" for name, value in params.items())
    return raw_request(url, f"GET {path}?{query} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n".encode())


@pytest.mark.parametrize("kind", STRINGS)
@pytest.mark.parametrize("path, parameter", [("/api/search", "q"), ("/api/search", "jurisdiction"),
                                             ("/api/search", "doc_type"), ("/api/search", "year"),
                                             ("/api/search", "mode"), ("/api/phrase", "q")])
def test_every_text_parameter_takes_hostile_strings(server, path, parameter, kind):
    params = {"q": "出庭应诉"} | {parameter: STRINGS[kind]}
    status, body = get(server, path, **params)
    assert status in DECLARED, (status, body[:200])
    answer = json.loads(body)
    if status >= 400:  # a short message, never the input echoed whole
        assert len(body) < 5_000 and answer["detail"]


@pytest.mark.parametrize("kind", STRINGS)
def test_answer_and_document_routes_take_hostile_strings(server, kind):
    response = httpx.post(f"{server}/api/answer", json={"question": STRINGS[kind]}, timeout=60)
    assert response.status_code in DECLARED and len(response.content) < 200_000
    status, body = raw_request(server, f"GET /api/documents/{quote(STRINGS[kind])} HTTP/1.1\r\nHost: t\r\n"
                                       "Connection: close\r\n\r\n".encode())
    assert status in (404, 414) and json.loads(body)["detail"]


def test_a_one_megabyte_query_string_gets_a_json_414(server):
    status, body = get(server, "/api/search", q="x" * 1_000_000)
    assert status == 414 and "request line" in json.loads(body)["detail"]


def test_a_chunked_body_is_held_to_the_limit(server):
    chunks = (b"{" + b" " * (1 << 20) for _ in range(20))  # 20 MB, no Content-Length
    response = httpx.post(f"{server}/api/answer", content=chunks, headers={"content-type": "application/json"},
                          timeout=60)
    assert response.status_code == 413 and "1,000,000 bytes" in response.json()["detail"]


def test_a_validation_error_echoes_a_short_prefix_only(server):
    response = httpx.post(f"{server}/api/answer", json={"question": "x" * 900_000}, timeout=60)
    assert response.status_code == 422 and len(response.content) < 1_000
    assert "900,000 characters" in response.json()["detail"][0]["input"]


def test_a_control_character_is_a_query_and_white_space_is_not(server):
    assert httpx.get(f"{server}/api/search", params={"q": "\x1e"}).status_code == 200
    blank = httpx.get(f"{server}/api/search", params={"q": " \u3000\t"})
    assert blank.status_code == 422 and blank.json()["detail"][0]["msg"] == "empty: only white space"


def test_schemathesis_finds_no_failure_with_every_check(server, tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "schemathesis.cli", "run", f"{server}/openapi.json", "--checks", "all",
         "--max-examples", "25", "--seed", "18", "--generation-database", "none", "--no-color",
         "--request-timeout", "60", "--workers", "1"],
        capture_output=True, text=True, timeout=900, cwd=tmp_path,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "passed" in run.stdout and "failed" not in run.stdout.split("SUMMARY")[-1]
