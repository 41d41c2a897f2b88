import csv
import io
import json

import pytest

from typer.testing import CliRunner

from support import CORPUS, REPO, shared_path

from search_api.cli import app

runner = CliRunner()


def test_index_prints_a_summary_and_reindex_embeds_nothing(corpus_copy, tmp_path):
    index_dir = str(tmp_path / "index")
    first = runner.invoke(app, ["index", str(corpus_copy), "--index", index_dir, "--model", "fake"])
    assert first.exit_code == 0, first.output
    assert "gen-000001" in first.output and "vectors embedded" in first.output
    second = runner.invoke(app, ["index", str(corpus_copy), "--index", index_dir, "--model", "fake"])
    assert second.exit_code == 0
    assert "unchanged (skipped) │ 5" in second.output and "vectors embedded    │ 0" in second.output


def test_index_exits_non_zero_and_names_failed_files(corpus_copy, tmp_path):
    (corpus_copy / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    result = runner.invoke(app, ["index", str(corpus_copy), "--index", str(tmp_path / "i"), "--model", "fake"])
    assert result.exit_code == 1
    assert "broken.pdf" in result.output and "cannot parse PDF" in result.output


def test_index_environment_variable_sets_the_location(corpus_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("REPORTS_INDEX", str(tmp_path / "env-index"))
    result = runner.invoke(app, ["index", str(corpus_copy), "--model", "fake"])
    assert result.exit_code == 0
    assert (tmp_path / "env-index" / "CURRENT").exists()


def test_clean_shows_clean_text_and_removed_lines_with_reasons():
    result = runner.invoke(app, ["clean", str(CORPUS / "001_eed9f17129c08ac0.txt")], terminal_width=200)
    assert result.exit_code == 0
    assert "高新区(新市区)2017年法治政府建设" in result.output
    assert "visitor counter" in result.output and "您是本站第 03212644 位访客" in result.output


def test_clean_reports_an_unreadable_file(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(b"")
    result = runner.invoke(app, ["clean", str(path)])
    assert result.exit_code == 1 and "empty" in result.output


def test_eval_retrieval_scores_each_seed_file_as_a_dataset(tmp_path):
    translated = REPO / "benchmarks" / "data" / "seed_queries_translated_en.jsonl"
    result = runner.invoke(app, ["eval", "retrieval", "--seed", str(shared_path("eval", "seed_queries.jsonl")),
                                 "--seed", str(translated), "--corpus", str(CORPUS), "--modes", "keyword",
                                 "--model", "fake", "--work", str(tmp_path / "work"), "--out", str(tmp_path / "out")],
                           terminal_width=200)
    assert result.exit_code == 0, result.output
    datasets = {row["dataset"] for row in json.loads((tmp_path / "out" / "retrieval.json").read_text())}
    assert datasets == {"seed_queries", "seed_queries_translated_en"}


def test_answer_prints_a_cited_figures_table_and_exports_it_as_csv(real_corpus_index):
    index_dir = real_corpus_index[0]
    question = "各地行政机关负责人出庭应诉情况"
    markdown = runner.invoke(app, ["answer", question, "--figures", "--index", str(index_dir)])
    assert markdown.exit_code == 0, markdown.output
    row = next(line for line in markdown.output.splitlines() if "798 件" in line)
    number = row.rsplit("[", 1)[1].split("]")[0]
    assert f"[{number}] 关于乌鲁木齐市人民政府2017年度" in markdown.output

    exported = runner.invoke(app, ["answer", question, "--figures", "--format", "csv", "--index", str(index_dir)])
    rows = list(csv.DictReader(io.StringIO(exported.output.lstrip("\ufeff"))))
    assert {(r["jurisdiction"], r["value"], r["unit"]) for r in rows} >= {("乌鲁木齐市", "798", "件"), ("城东区", "78.9", "%")}
    assert all(r["quote"] and int(r["start"]) < int(r["end"]) for r in rows)


def test_search_prints_doc_ids_that_summarize_accepts_as_well_as_file_names(real_corpus_index):
    index_dir = str(real_corpus_index[0])
    found = runner.invoke(app, ["search", "出庭应诉", "-k", "1", "--index", index_dir])
    doc_id = found.output.split("doc ", 1)[1].split()[0]
    by_id = runner.invoke(app, ["summarize", doc_id, "--index", index_dir])
    source = by_id.output.splitlines()[0]
    assert by_id.exit_code == 0 and len(by_id.output.splitlines()) > 1
    by_name = runner.invoke(app, ["summarize", "001_eed9f17129c08ac0.txt", "--index", index_dir])
    assert by_name.exit_code == 0 and "高新区" in by_name.output.splitlines()[0], source
    missing = runner.invoke(app, ["summarize", "nope.txt", "--index", index_dir])
    assert missing.exit_code == 2 and "no report 'nope.txt'" in missing.output


@pytest.mark.parametrize("output, check", [
    ("json", lambda text: json.loads(text)["results"][0]["text"]),
    ("csv", lambda text: next(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))["passage"]),
    ("markdown", lambda text: text.startswith("# 出庭应诉") and "characters" in text),
])
def test_search_exports(real_corpus_index, output, check):
    result = runner.invoke(app, ["search", "出庭应诉", "-k", "2", "--format", output, "--index", str(real_corpus_index[0])])
    assert result.exit_code == 0 and check(result.output)


def test_an_unknown_format_is_a_user_error(real_corpus_index):
    result = runner.invoke(app, ["answer", "出庭", "--format", "xml", "--index", str(real_corpus_index[0])])
    assert result.exit_code == 2 and "--format must be one of" in result.output


def test_answer_compares_a_places_years_side_by_side(real_corpus_index):
    result = runner.invoke(app, ["answer", "how did each city handle administrative appearance in court",
                                 "--jurisdiction", "乌鲁木齐市", "--compare", "years", "--figures",
                                 "--index", str(real_corpus_index[0])])
    assert result.exit_code == 0, result.output
    table = result.output.split("## 乌鲁木齐市, year by year", 1)[1].split("\n\n")[1].splitlines()
    assert table[2].startswith("| 2017 |") and "798 件" in table[2]
    assert table[3].startswith("| 2021 |") and "silent" in table[3] and "2021年度" in table[3]
