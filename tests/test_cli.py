"""The command line, through typer's CliRunner: scan, tag, train, evaluate, agreement, convert."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from recordscan.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def scanned(sample_export, tmp_path_factory):
    out = tmp_path_factory.mktemp("scan")
    result = runner.invoke(app, ["scan", str(sample_export), "--out", str(out), "--rules-only"])
    assert result.exit_code == 0, result.output
    return out, result


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_scan_writes_every_table_and_balances_rows(scanned, sample_export):
    out, result = scanned
    for name in ("mentions.csv", "followups.csv", "cases.csv", "rejected.csv", "run.json", "cases.xlsx", "report.html"):
        assert (out / name).exists(), name
    run = json.loads((out / "run.json").read_text())
    assert run["rows_read"] == run["notes_scanned"] + run["rows_rejected"]
    assert run["rows_rejected"] == 3  # a blank note, an impossible date, a duplicated row (see make_sample.py)
    reasons = sorted(r["reason"].split(" (")[0].split(" of row")[0] for r in read_csv(out / "rejected.csv"))
    assert reasons == ["empty text", "exact duplicate", "unparseable date"]
    assert "notes scanned" in result.output
    for key in ("version", "lexicon_hash", "timings", "rows_read"):
        assert key in run


def test_mention_and_followup_offsets_index_the_original_text(scanned, sample_export):
    out, _ = scanned
    originals = {(r["case_id"], r["note_id"]): r["text"] for r in read_csv(sample_export)}
    for name in ("mentions.csv", "followups.csv"):
        rows = read_csv(out / name)
        assert rows
        for r in rows:
            text = originals[(r["case_id"], r["note_id"])]
            assert text[int(r["start"]):int(r["end"])] == r["text"]


def test_cases_table_has_one_row_per_case_and_concern_with_evidence(scanned):
    out, _ = scanned
    rows = read_csv(out / "cases.csv")
    assert list(rows[0]) == ["case_id", "concern", "mentioned", "followed_up", "flag", "score", "evidence_note_ids", "first_mention_note_id",
                             "first_mention_date", "first_mention_text", "reason", "decided_by"]
    cases = {r["case_id"] for r in rows}
    assert len(rows) == 4 * len(cases)
    for r in rows:
        if r["flag"] == "true":
            assert r["mentioned"] == "true" and r["followed_up"] == "false"
            assert r["first_mention_note_id"] and r["first_mention_text"] and r["reason"]


def test_output_files_are_private_by_default(scanned):
    out, _ = scanned
    assert out.stat().st_mode & 0o077 == 0
    for path in out.iterdir():
        assert path.stat().st_mode & 0o077 == 0, path


def test_scan_with_column_mapping_and_excel(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Person ID", "Case Note ID", "Event Date", "Case Note"])
    sheet.append(["P-1", 101, "03/04/2024", "Mum disclosed low mood. SW to refer her to Talking Therapies."])
    sheet.append(["P-1", 102, 45400, "Referral to Talking Therapies made with consent."])
    book.save(tmp_path / "export.xlsx")
    result = runner.invoke(app, ["scan", str(tmp_path / "export.xlsx"), "--out", str(tmp_path / "out"), "--case-col", "Person ID",
                                 "--note-col", "Case Note ID", "--date-col", "Event Date", "--text-col", "Case Note", "--rules-only", "--no-reports"])
    assert result.exit_code == 0, result.output
    run = json.loads((tmp_path / "out" / "run.json").read_text())
    assert (run["rows_read"], run["notes_scanned"], run["rows_rejected"]) == (2, 2, 0)
    mentions = read_csv(tmp_path / "out" / "mentions.csv")
    assert {m["note_id"] for m in mentions} == {"101", "102"}


def test_resume_finishes_an_interrupted_run_with_the_same_result(sample_export, tmp_path, scanned):
    from recordscan.pipeline import build_pipeline
    from recordscan.scan import ScanOptions, scan

    out = tmp_path / "resumed"
    nlp = build_pipeline()
    options = ScanOptions(reports=False, bucket_bytes=100_000, keep_work=True)
    first = scan(sample_export, out, nlp, None, options)
    assert first.run["buckets"] > 1
    state = json.loads((out / ".recordscan-work" / "state.json").read_text())
    state["done_buckets"] = state["done_buckets"][: len(state["done_buckets"]) // 2]  # as if interrupted half way
    (out / ".recordscan-work" / "state.json").write_text(json.dumps(state))
    resumed = scan(sample_export, out, nlp, None, ScanOptions(reports=False, bucket_bytes=100_000, resume=True))
    assert resumed.rows_read == first.rows_read and resumed.notes_scanned == first.notes_scanned
    key = lambda r: (r["case_id"], r["concern"])  # noqa: E731
    ref, again = sorted(read_csv(scanned[0] / "cases.csv"), key=key), sorted(read_csv(out / "cases.csv"), key=key)
    assert [(r["case_id"], r["concern"], r["flag"]) for r in ref] == [(r["case_id"], r["concern"], r["flag"]) for r in again]


def test_tag_prints_mentions_and_json(tmp_path):
    result = runner.invoke(app, ["tag", "Mum has low mood; MGM has depression. SW to contact GP."], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "low mood" in result.output and "other_experiencer" in result.output
    result = runner.invoke(app, ["tag", "--json", "Dad (Liam) seen."])
    data = json.loads(result.output)
    assert data["mentions"][0]["label"] == "FATHER_INVOLVEMENT"


def test_missing_column_is_one_line_exit_2(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("case,note_id,date,text\n1,n1,2024-01-01,hello\n", encoding="utf-8")
    result = runner.invoke(app, ["scan", str(path), "--out", str(tmp_path / "o"), "--rules-only"])
    assert result.exit_code == 2
    lines = [l for l in result.output.splitlines() if l.strip()]
    assert len(lines) == 1 and lines[0].startswith("recordscan: error:")
    assert "row 1" in lines[0] and "case_id" in lines[0] and str(path) in lines[0]


def test_evaluate_writes_metrics_report_and_errors(dev_corpus_dir, tmp_path):
    gold = dev_corpus_dir / "batch_A.json"
    result = runner.invoke(app, ["evaluate", "--gold", str(gold), "--out", str(tmp_path / "ev"), "--rules-only", "--bootstrap", "50"])
    assert result.exit_code == 0, result.output
    metrics = json.loads((tmp_path / "ev" / "metrics.json").read_text())
    assert metrics["cases"] == 12
    assert set(metrics["headline"]) == {"asserted_recall", "trap_reported_as_asserted", "mentioned_f1", "flag_f1"}
    assert metrics["confidence_intervals"]["cases"]
    assert (tmp_path / "ev" / "report.md").read_text().startswith("# recordscan evaluation")
    assert (tmp_path / "ev" / "errors_mentions.csv").exists()


def test_evaluate_a_previous_scan_and_compare_runs(dev_corpus_dir, tmp_path):
    from recordscan.evaluation.formats import export_cases
    from recordscan.evaluation.gold import load_gold

    gold = dev_corpus_dir / "batch_B.json"
    cases = load_gold(gold)
    export = tmp_path / "export.csv"
    with export.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["case_id", "note_id", "date", "author_role", "text"])
        for c in cases:
            for n in c.notes:
                writer.writerow([c.case_id, n.note_id, n.date.isoformat(), n.author_role, n.text])
    assert runner.invoke(app, ["scan", str(export), "--out", str(tmp_path / "a"), "--rules-only", "--no-reports"]).exit_code == 0
    result = runner.invoke(app, ["evaluate", "--gold", str(gold), "--pred", str(tmp_path / "a"), "--bootstrap", "0"])
    assert result.exit_code == 0, result.output
    assert "flag F1" in result.output
    # scoring the scan's tables gives the same figures as scoring the tool directly
    from recordscan.evaluation.evaluate import evaluate
    from recordscan.pipeline import build_pipeline

    from_tables = evaluate(cases, pred_dir=tmp_path / "a", n_resamples=0, errors=False)
    direct = evaluate(cases, nlp=build_pipeline(), n_resamples=0, errors=False)
    assert from_tables.flag.equals(direct.flag) and from_tables.mentioned.equals(direct.mentioned)
    assert from_tables.asserted_recall.equals(direct.asserted_recall)
    # the same run compared with itself changes nothing; a run with one flag flipped changes one row
    rows = read_csv(tmp_path / "a" / "cases.csv")
    rows[0]["flag"] = "false" if rows[0]["flag"] == "true" else "true"
    with (tmp_path / "b.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = runner.invoke(app, ["evaluate", "--compare", str(tmp_path / "a"), "--compare", str(tmp_path / "b.csv"), "--out", str(tmp_path / "cmp")])
    assert result.exit_code == 0, result.output
    assert len(read_csv(tmp_path / "cmp" / "changed_cases.csv")) == 1
    del export_cases


def test_agreement_and_convert(dev_corpus_dir, tmp_path):
    gold = dev_corpus_dir / "batch_C.json"
    result = runner.invoke(app, ["agreement", str(gold), str(gold), "--out", str(tmp_path / "agr")])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "agr" / "agreement.json").read_text())
    kappas = [r["kappa"] for r in report["cases"] if r["kappa"] is not None]
    assert kappas and all(k == 1.0 for k in kappas)
    for fmt, target in (("doccano", tmp_path / "c.jsonl"), ("brat", tmp_path / "brat"), ("docbin", tmp_path / "c.spacy")):
        result = runner.invoke(app, ["convert", str(gold), str(target), "--to", fmt])
        assert result.exit_code == 0, result.output
        assert target.exists()
