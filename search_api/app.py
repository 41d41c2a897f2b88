"""The HTTP API and the web page. Routes validate, call the library, and return its JSON."""


import json
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Literal

import anyio
from fastapi import Body, FastAPI, HTTPException, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from swagger_ui_bundle import swagger_ui_path

from indexer.records import Answer
from search_api.body_limit import BodyLimitMiddleware
from search_api.exports import answer_csv, search_csv
from search_api.facets import facets
from search_api.render import print_answer, search_markdown
from search_api.search import Filters, SearchRequest, parse_years
from search_api.search.query_text import NON_BLANK_PATTERN
from search_api.service import SearchService
from search_api.settings import Settings
from summarizer import AnswerSettings, answer

WEB = Path(__file__).parent / "web"
YEARS = r"^\d{4}(-\d{4})?$|^\d{4}-$|^-\d{4}$"
MAX_ECHOED_INPUT = 100  # characters of an invalid input repeated in a 422


class ErrorMessage(BaseModel):
    detail: str


ERROR_RESPONSES = {
    400: {"model": ErrorMessage, "description": "A value the library refuses (e.g. an empty query)"},
    404: {"model": ErrorMessage, "description": "No such document"},
    413: {"model": ErrorMessage, "description": "Request body over the limit"},
    414: {"model": ErrorMessage, "description": "Request line (URL) too long"},
    431: {"model": ErrorMessage, "description": "Request headers too long"},
}


def short_input(error: dict) -> dict:
    """A validation error with at most a short prefix of the input it refused (and words, not the
    regular expression, for a blank query)."""
    if error.get("ctx", {}).get("pattern") == NON_BLANK_PATTERN:
        error = error | {"msg": "empty: only white space"}
    if "input" not in error:
        return error
    value = error["input"]
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if len(text) <= MAX_ECHOED_INPUT:
        return error
    return error | {"input": text[:MAX_ECHOED_INPUT] + f"… ({len(text):,} characters)"}


class AnswerRequest(BaseModel):
    question: str = Field(min_length=1, max_length=2000, pattern=NON_BLANK_PATTERN,
                          examples=["各地如何落实行政机关负责人出庭应诉"])
    group_by: Literal["jurisdiction", "document", "year"] = "jurisdiction"
    k: int = Field(3, ge=1, le=10, description="Passages per group")
    jurisdiction: str | None = Field(None, max_length=100)
    year: str | None = Field(None, pattern=YEARS)
    compare: Literal["years"] | None = Field(
        None, description="years: each place with reports of several years, year by year (needs group_by jurisdiction)")


Output = Annotated[Literal["json", "csv", "markdown"], Query(alias="format", description="json, or an export: csv, markdown")]
EXPORT_RESPONSES = {200: {"content": {"application/json": {}, "text/csv": {}, "text/markdown": {}}}}


def respond(result, reports, output: str, figures: bool = False) -> Response:
    """JSON, or a download: CSV (an answer's figures with ``figures``) or Markdown."""
    if output == "json":
        return JSONResponse(result.to_json())
    kind = "answer" if isinstance(result, Answer) else "search"
    if output == "csv":
        body = answer_csv(result, reports, figures) if kind == "answer" else search_csv(result)
        media, name = "text/csv", f"{kind}{'-figures' if figures and kind == 'answer' else ''}.csv"
    else:
        body = print_answer(result, reports, figures) if kind == "answer" else search_markdown(result)
        media, name = "text/markdown", f"{kind}.md"
    return Response(body, media_type=f"{media}; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        service = SearchService(settings.index, settings.reload_seconds, settings.embed_threads, settings.database_url)
        service.start_watching()
        app.state.service = service
        app.state.workers = anyio.CapacityLimiter(settings.workers)
        yield
        service.stop()

    # /docs is served from swagger-ui-bundle's files: FastAPI's default loads Swagger UI from a CDN.
    app = FastAPI(title="Report archive search", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Search Chinese government reports and answer questions per jurisdiction, with citations.",
                  responses=ERROR_RESPONSES)
    app.state.settings = settings
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)

    @app.middleware("http")
    async def name_generation(request: Request, call_next):
        service = getattr(request.app.state, "service", None)
        if service is None:
            return await call_next(request)
        # The request keeps the searcher current at its start, so its body and this header name the
        # same generation even when a new one is switched in meanwhile.
        request.state.searcher = service.searcher
        response = await call_next(request)
        response.headers["X-Index-Generation"] = request.state.searcher.index.generation
        return response

    @app.exception_handler(ValueError)
    async def bad_value(request: Request, error: ValueError):
        return JSONResponse({"detail": str(error)}, status_code=400)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError):
        # FastAPI's own handler repeats each invalid input whole: a 1 MB question made a 1 MB answer.
        return JSONResponse({"detail": [short_input(e) for e in jsonable_encoder(error.errors())]}, status_code=422)

    def searcher(request: Request):
        return request.state.searcher

    async def compute(request: Request, function, *args, output: str = "json", figures: bool = False) -> Response:
        """Run a search or an answer off the event loop, in turn; its JSON as is, or an export."""
        result = await anyio.to_thread.run_sync(function, *args, limiter=request.app.state.workers)
        return respond(result, searcher(request).index.reports, output, figures)

    def filters(jurisdiction: str | None, year: str | None, doc_type: str | None = None) -> Filters:
        year_from, year_to = parse_years(year)
        return Filters(jurisdiction, year_from, year_to, doc_type)

    @app.get("/api/search", responses=EXPORT_RESPONSES)
    async def search(
        request: Request,
        q: Annotated[str, Query(min_length=1, max_length=settings.max_query_chars, pattern=NON_BLANK_PATTERN,
                                examples=["行政复议案件"])],
        k: Annotated[int, Query(ge=1, le=settings.max_k)] = 10,
        mode: Literal["hybrid", "dense", "keyword", "phrase"] = "hybrid",
        jurisdiction: Annotated[str | None, Query(max_length=100, examples=["乌鲁木齐市"])] = None,
        year: Annotated[str | None, Query(pattern=YEARS, examples=["2017", "2015-2018"])] = None,
        doc_type: Annotated[str | None, Query(max_length=40)] = None,
        output: Output = "json",
    ):
        request_ = SearchRequest(q, k, mode, filters(jurisdiction, year, doc_type))
        return await compute(request, searcher(request).search, request_, output=output)

    @app.get("/api/phrase", responses=EXPORT_RESPONSES)
    async def phrase(
        request: Request,
        q: Annotated[str, Query(min_length=1, max_length=settings.max_query_chars, pattern=NON_BLANK_PATTERN,
                                examples=["有件必备、有备必审"])],
        jurisdiction: Annotated[str | None, Query(max_length=100)] = None,
        year: Annotated[str | None, Query(pattern=YEARS)] = None,
        output: Output = "json",
    ):
        """Every occurrence of a wording in the archive, with jurisdiction, year, document number and sentence."""
        return await compute(request, searcher(request).search, SearchRequest(q, 1, "phrase", filters(jurisdiction, year)),
                             output=output)

    @app.post("/api/answer", responses=EXPORT_RESPONSES)
    async def answer_question(request: Request, body: Annotated[AnswerRequest, Body()], output: Output = "json",
                              figures: Annotated[bool, Query(description="CSV: the figures; Markdown: add them")] = False):
        return await compute(request, answer, searcher(request), body.question, body.group_by,
                             filters(body.jurisdiction, body.year), AnswerSettings(passages_per_group=body.k),
                             body.compare, output=output, figures=figures)

    @app.get("/api/documents/{doc_id}")
    async def document(request: Request, doc_id: str, raw: bool = False):
        index = searcher(request).index
        report = index.reports.get(doc_id)
        if report is None:
            raise HTTPException(404, f"no document {doc_id}")
        data = {
            "doc_id": report.doc_id, "source": report.source, "title": report.title,
            "jurisdiction": report.jurisdiction, "jurisdiction_parent": report.jurisdiction_parent,
            "province": report.province, "year": report.year, "publish_date": report.publish_date,
            "doc_number": report.doc_number, "issuer": report.issuer, "doc_type": report.doc_type,
            "also_published_at": list(report.also_published_at), "clean_text": report.text,
            "generation": index.generation,
        }
        if raw:
            data["raw_text"] = index.catalog.raw_document(report.source).text  # not kept in memory
            data["removed_lines"] = [{"start": r.raw_start, "end": r.raw_end, "text": r.text, "reason": r.reason}
                                     for r in report.clean.removed]
        return data

    @app.get("/api/facets")
    async def get_facets(request: Request):
        current = searcher(request)
        return facets(current.index.reports.values()) | {"generation": current.index.generation}

    @app.get("/api/health")
    async def health(request: Request):
        """``degraded`` when a newer generation is damaged and the last good one is served (``problem``)."""
        problem = request.app.state.service.problem
        return {"status": "degraded" if problem else "ok", "generation": searcher(request).index.generation,
                "problem": problem or None}

    @app.get("/api/stats")
    async def stats(request: Request):
        index = searcher(request).index
        manifest = index.manifest
        return {"generation": manifest.generation, "created_at": manifest.created_at, "model": manifest.model,
                "counts": manifest.counts, "store": manifest.store, "keyword": manifest.keyword}

    app.mount("/static", StaticFiles(directory=WEB), name="static")
    app.mount("/docs-assets", StaticFiles(directory=swagger_ui_path), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def docs():
        return get_swagger_ui_html(openapi_url="/openapi.json", title="Report archive search API",
                                   swagger_js_url="/docs-assets/swagger-ui-bundle.js",
                                   swagger_css_url="/docs-assets/swagger-ui.css",
                                   swagger_favicon_url="/docs-assets/favicon-32x32.png")

    @app.get("/", include_in_schema=False)
    async def page():
        return FileResponse(WEB / "index.html")

    return app
