"""The HTTP API on a real index of corpus/ (real model), through a real server on 127.0.0.1."""

import concurrent.futures
import shutil

import httpx
import pytest
from search_api.live_server import running_server

from indexer.embedding.fake import FakeEmbedder
from indexer.pipeline import build_index
from support import CORPUS


@pytest.fixture(scope="module")
def api(real_corpus_index):
    with running_server(real_corpus_index[0]) as url:
        with httpx.Client(base_url=url, timeout=60) as client:
            yield client


def test_search_returns_passages_and_names_the_generation(api):
    response = api.get("/api/search", params={"q": "行政复议案件", "k": 3})
    assert response.status_code == 200
    body = response.json()
    assert body["generation"] == response.headers["x-index-generation"]
    assert len(body["results"]) == 3 and body["mode"] == "hybrid" and body["took_ms"] >= 0
    passage = body["results"][0]
    assert set(passage) >= {"doc_id", "source", "title", "jurisdiction", "year", "chunk_id", "start", "end", "text",
                            "score", "highlights"}
    document = api.get(f"/api/documents/{passage['doc_id']}").json()
    assert document["clean_text"][passage["start"] : passage["end"]] == passage["text"]
    assert "raw_text" not in document
    # The server keeps no raw text in memory; asked for, it is the file's own (a .txt of corpus/).
    raw = api.get(f"/api/documents/{passage['doc_id']}?raw=true").json()["raw_text"]
    assert raw == (CORPUS / passage["source"]).read_text(encoding="utf-8")


def test_docs_and_page_work_offline(api):
    docs = api.get("/docs").text
    assert "/docs-assets/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()
    assert api.get("/docs-assets/swagger-ui-bundle.js").status_code == 200
    assert "/api/search" in api.get("/openapi.json").json()["paths"]
    page = api.get("/").text
    assert "/static/app.js" in page and "http" not in page.replace("http-equiv", "")


def test_filters_phrase_facets_health_and_stats(api):
    urumqi = api.get("/api/search", params={"q": "出庭应诉", "jurisdiction": "乌鲁木齐市", "year": "2017"}).json()
    assert urumqi["results"] and {p["year"] for p in urumqi["results"]} == {2017}
    phrase = api.get("/api/phrase", params={"q": "有件必备,有备必审"}).json()["results"]
    assert len(phrase) == 3
    facets = api.get("/api/facets").json()
    urumqi_facet = next(j for j in facets["jurisdictions"] if j["name"] == "乌鲁木齐市")
    assert urumqi_facet["districts"] == [{"name": "高新区(新市区)", "count": 1}]
    assert api.get("/api/health").json()["status"] == "ok"
    assert api.get("/api/stats").json()["counts"]["reports"] == 5


def test_answer_groups_by_jurisdiction_with_exact_citations(api):
    body = api.post("/api/answer", json={"question": "各地如何落实行政机关负责人出庭应诉"}).json()
    assert len(body["groups"]) >= 3
    for group in body["groups"]:
        for sentence in group["summary"]:
            text = api.get(f"/api/documents/{sentence['doc_id']}").json()["clean_text"]
            assert text[sentence["start"] : sentence["end"]] == sentence["text"]


def test_answer_carries_cited_figures_and_compares_years(api):
    body = api.post("/api/answer", json={"question": "各地行政机关负责人出庭应诉情况", "compare": "years"}).json()
    figures = [f for group in body["groups"] for f in group["figures"]]
    assert {(f["jurisdiction"], f["value"], f["unit"]) for f in figures} >= {("乌鲁木齐市", 798, "件")}
    for figure in figures:
        text = api.get(f"/api/documents/{figure['doc_id']}").json()["clean_text"]
        assert text[figure["start"] : figure["end"]] == figure["text"]
    [urumqi] = body["comparison"]
    assert [(y["year"], y["silent"]) for y in urumqi["years"]] == [(2017, False), (2021, True)]
    assert urumqi["years"][0]["group"] in {g["key"] for g in body["groups"]}
    refused = api.post("/api/answer", json={"question": "出庭", "compare": "years", "group_by": "year"})
    assert refused.status_code == 400 and "jurisdiction" in refused.json()["detail"]


@pytest.mark.parametrize(
    "method, path, kwargs, status, field",
    [
        ("get", "/api/search", {"params": {"q": ""}}, 422, "q"),
        ("get", "/api/search", {"params": {"q": "x" * 2001}}, 422, "q"),
        ("get", "/api/search", {"params": {"q": "出庭", "k": 101}}, 422, "k"),
        ("get", "/api/search", {"params": {"q": "出庭", "k": "ten"}}, 422, "k"),
        ("get", "/api/search", {"params": {"q": "出庭", "mode": "fuzzy"}}, 422, "mode"),
        ("get", "/api/search", {"params": {"q": "出庭", "year": "last year"}}, 422, "year"),
        ("get", "/api/search", {"params": {"q": "   "}}, 422, "q"),
        ("post", "/api/answer", {"json": {"question": ""}}, 422, "question"),
        ("post", "/api/answer", {"json": {"question": "出庭", "group_by": "planet"}}, 422, "group_by"),
        ("post", "/api/answer", {"json": {"question": "出庭", "compare": "decades"}}, 422, "compare"),
        ("post", "/api/answer", {"content": b"{not json", "headers": {"content-type": "application/json"}}, 422, None),
        ("post", "/api/answer", {"content": b"x" * 1_000_001, "headers": {"content-type": "application/json"}}, 413, None),
        ("get", "/api/documents/no-such-id", {}, 404, None),
    ],
)
def test_bad_requests_get_a_4xx_that_names_the_problem(api, method, path, kwargs, status, field):
    response = getattr(api, method)(path, **kwargs)
    assert response.status_code == status, response.text
    detail = response.json()["detail"]
    if field:
        assert any(field in error["loc"] for error in detail)
    assert detail


def test_a_new_generation_is_served_without_failing_requests(tmp_path, corpus_copy):
    index_dir = tmp_path / "index"
    embedder = FakeEmbedder()
    build_index([corpus_copy], index_dir, embedder)
    with running_server(index_dir, reload_seconds=0.1) as url:
        def ask(_):
            response = httpx.get(f"{url}/api/search", params={"q": "行政复议"}, timeout=30)
            return response.status_code, response.headers["x-index-generation"], response.json()["generation"]

        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            before = list(pool.map(ask, range(20)))
            shutil.copy(corpus_copy / "000_1b3becc2b1274469.txt", corpus_copy / "copy.txt")
            building = pool.submit(build_index, [corpus_copy], index_dir, embedder)
            during = list(pool.map(ask, range(40)))
            building.result()
            deadline = __import__("time").monotonic() + 10
            while ask(0)[1] != "gen-000002" and __import__("time").monotonic() < deadline:
                pass
            after = list(pool.map(ask, range(20)))
    assert all(status == 200 and header == body for status, header, body in before + during + after)
    assert {g for _, g, _ in before} == {"gen-000001"} and {g for _, g, _ in after} == {"gen-000002"}


def test_an_off_topic_question_is_not_covered_and_its_matches_are_weak(api):
    answer = api.post("/api/answer", json={"question": "which districts built new subway lines"}).json()
    assert answer["covered"] is False and answer["groups"] == [] and len(answer["without_evidence"]) == 5
    search = api.get("/api/search", params={"q": "各市疫苗接种了多少剂次"}).json()
    assert search["covered"] is False and search["strong_matches"] == 0
    assert {p["match"] for p in search["results"]} == {"weak"}
    on_topic = api.get("/api/search", params={"q": "行政机关负责人出庭应诉"}).json()
    assert on_topic["covered"] and on_topic["results"][0]["match"] == "strong"


@pytest.mark.parametrize("path, kwargs, media, expected", [
    ("/api/search", {"params": {"q": "出庭应诉", "k": 3, "format": "csv"}}, "text/csv", "rank,jurisdiction"),
    ("/api/search", {"params": {"q": "出庭应诉", "format": "markdown"}}, "text/markdown", "# 出庭应诉"),
    ("/api/phrase", {"params": {"q": "出庭应诉", "format": "csv"}}, "text/csv", "rank,jurisdiction"),
    ("/api/answer?format=csv&figures=true", {"json": {"question": "各地行政机关负责人出庭应诉情况"}}, "text/csv",
     "group,jurisdiction,year,what,value"),
    ("/api/answer?format=markdown&figures=true", {"json": {"question": "各地行政机关负责人出庭应诉情况"}},
     "text/markdown", "## Figures"),
])
def test_searches_and_answers_export_as_csv_and_markdown(api, path, kwargs, media, expected):
    method = api.post if path.startswith("/api/answer") else api.get
    response = method(path, **kwargs)
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    assert "attachment" in response.headers["content-disposition"] and expected in response.text


def test_a_filter_that_matches_nothing_says_why(api):
    body = api.get("/api/search", params={"q": "出庭", "jurisdiction": "北京市"}).json()
    assert body["results"] == [] and body["notice"] == "北京市 is not in this archive"
    body = api.post("/api/answer", json={"question": "出庭", "year": "2030"}).json()
    assert body["groups"] == [] and body["notice"] == "no report from 2030 in this archive"
    assert api.get("/api/search", params={"q": "出庭"}).json()["notice"] == ""
