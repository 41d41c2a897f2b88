import json

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
