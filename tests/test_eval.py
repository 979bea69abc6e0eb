"""The eval script's arithmetic (precision, recall, F1 per topic) on a hand-made case."""

import importlib.util
import json

from conftest import REPO

spec = importlib.util.spec_from_file_location("run_eval", REPO / "eval" / "run_eval.py")
run_eval = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run_eval)


def test_scores_counts_tp_fp_fn_per_topic():
    labels = [
        {"title": "A", "topics": ["moe"]},
        {"title": "B", "topics": ["moe", "peft"]},
        {"title": "C", "topics": []},
        {"title": "D", "topics": ["peft"]},
    ]
    predicted = {"A": {"moe"}, "B": {"peft"}, "C": {"moe"}, "D": set()}
    s = run_eval.scores(labels, predicted, ["moe", "peft"])
    p, r, f, pos, tp, fp, fn = s["moe"]
    assert (tp, fp, fn, pos) == (1, 1, 1, 2) and p == 0.5 and r == 0.5 and f == 0.5
    p, r, f, pos, tp, fp, fn = s["peft"]
    assert (tp, fp, fn) == (1, 0, 1) and p == 1.0 and r == 0.5 and abs(f - 2 / 3) < 1e-9


def test_by_source_scores_each_sources_papers_alone():
    labels = [
        {"title": "A", "topics": ["moe"], "source": "hf"},
        {"title": "B", "topics": [], "source": "hf"},
        {"title": "C", "topics": ["moe"], "source": "arxiv"},
    ]
    predicted = {"A": {"moe"}, "B": {"moe"}, "C": set()}
    parts = run_eval.by_source(labels, predicted, ["moe"])
    assert parts["hf"]["moe"][4:] == (1, 1, 0) and parts["arxiv"]["moe"][4:] == (0, 0, 1)
    assert run_eval.by_source([r for r in labels if r["source"] == "hf"], predicted, ["moe"]) == {}


def test_clear_cut_leaves_out_the_close_calls():
    labels = [
        {"title": "A", "topics": ["moe"]},
        {"title": "B", "topics": ["moe"], "close": True},
        {"title": "C", "topics": []},
    ]
    predicted = {"A": {"moe"}, "B": set(), "C": {"moe"}}
    n, table = run_eval.clear_cut(labels, predicted, ["moe"])
    assert n == 2 and table["moe"][4:] == (1, 1, 0)  # B's miss is not counted; C's false positive is
    assert run_eval.scores(labels, predicted, ["moe"])["moe"][4:] == (1, 1, 1)


def test_label_files_cover_the_seeds():
    seeds = run_eval.load_labels(REPO / "eval" / "labels_seeds.jsonl")
    heldout = run_eval.load_labels(REPO / "eval" / "labels_heldout.jsonl")
    assert len(seeds) == 295 and len(heldout) >= 300
    topics = {t for row in seeds + heldout for t in row["topics"]}
    assert topics == {"moe", "kv-cache", "distributed-training", "peft"}
    assert all("abstract" not in row for row in heldout)  # corpus text is never committed


def test_second_reading_scores_reader_against_labels_and_model_against_reader(tmp_path, monkeypatch):
    (tmp_path / "eval").mkdir()
    second = [{"title": "A", "topics": ["moe"]}, {"title": "B", "topics": []}, {"title": "C", "topics": ["moe"]}]
    (tmp_path / "eval" / "labels_x_second.jsonl").write_text("\n".join(map(json.dumps, second)) + "\n")
    monkeypatch.setattr(run_eval, "REPO", tmp_path)
    labels = [{"title": "A", "topics": ["moe"]}, {"title": "B", "topics": ["moe"]}, {"title": "C", "topics": []},
              {"title": "D", "topics": ["moe"]}]  # D was not read again: left out of the agreement
    predicted = {"A": {"moe"}, "B": set(), "C": set(), "D": {"moe"}}
    head, reader, model = run_eval.second_reading("x", labels, predicted, ["moe"])
    assert "3 of 4 papers" in head
    assert "moe 0.50 (2)" in reader  # reader: A right, B missed, C extra -> tp 1, fp 1, fn 1
    assert "moe 0.67 (2)" in model  # model vs reader: A right, C missed -> tp 1, fn 1
    assert run_eval.second_reading("absent", labels, predicted, ["moe"]) == []
