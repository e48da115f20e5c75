"""Privacy: no note text in logs, errors or the bookkeeping files; no network; owner-only output by default.

Every note below carries a unique canary string; wherever the canary turns up outside the result tables,
note text has leaked. All data is fictional.
"""

from __future__ import annotations

import contextlib
import csv
import json
import logging
import os
import socket
import stat
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from recordscan import cli
from recordscan.cli import app

CANARY = "ZEBRA-CANARY-42"
runner = CliRunner()


def stderr_of(result) -> str:
    try:
        return result.stderr
    except ValueError:  # pragma: no cover - click < 8.2 mixes stderr into output
        return result.output


@pytest.fixture
def captured_logs(monkeypatch, caplog):
    """Every log record of the run. The CLI replaces the "recordscan" logger's handlers and stops propagation,
    so caplog's handler is added back after the CLI sets logging up."""
    original = cli._setup_logging

    def setup(verbose: bool, log_text: bool) -> None:
        original(verbose, log_text)
        logging.getLogger("recordscan").addHandler(caplog.handler)

    monkeypatch.setattr(cli, "_setup_logging", setup)
    caplog.set_level(logging.DEBUG)
    return caplog


def _rows(text: str) -> list[list[str]]:
    c = CANARY
    return [
        ["C1", "N1", "2024-01-02", f"Mum has low mood. {c} Dad was not seen."],
        ["C1", "N2", c, f"Bad date row {c}"],  # the canary in the date column too
        ["C1", "N3", "2099-01-01", f"Future row {c}"],
        ["", "N4", "2024-01-02", f"No case id {c}"],
        ["C2", "", "2024-01-02", f"No note id {c}"],
        ["C2", "N5", "2024-01-02", f"{c} " * 100],  # too long for --max-note-chars below
        ["C1", "N1", "2024-01-02", f"Mum has low mood. {c} Dad was not seen."],  # exact duplicate
        ["C3", "N6", "31/02/2024", f"{c}"],
        ["C3", "N7"],  # truncated
        ["C3", "N8", "2024-01-02", text, "extra", f"{c}"],  # unquoted delimiter
    ]


def _write_csv(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["case_id", "note_id", "date", "text"])
        writer.writerows(_rows(f"Dad drinks {CANARY}"))
        fh.write(f'C4,N9,2024-01-02,Mum said\r{CANARY}\n')  # a bare CR: malformed row
        fh.write(f'C4,N10,2024-01-02,"the file was cut off {CANARY}')  # truncated inside a quote
    return path


def _assert_no_canary(result, caplog, out: Path | None) -> None:
    assert CANARY not in result.output
    assert CANARY not in stderr_of(result)
    assert CANARY not in result.stdout
    if result.exception is not None:
        assert CANARY not in repr(result.exception)
    for record in caplog.records:
        assert CANARY not in record.getMessage() and CANARY not in str(record.args)
    assert CANARY not in caplog.text
    if out is not None:
        for name in ("rejected.csv", "run.json"):
            assert CANARY not in (out / name).read_text(encoding="utf-8"), name
        assert not (out / ".recordscan-work").exists()


def test_no_note_text_in_logs_errors_or_bookkeeping(tmp_path, captured_logs):
    path = _write_csv(tmp_path / "export.csv")
    out = tmp_path / "out"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = runner.invoke(app, ["scan", str(path), "--out", str(out), "--verbose", "--max-note-chars", "1000"])
    assert result.exit_code == 0, (result.output, result.exception)
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["rows_read"] == run["notes_scanned"] + run["rows_rejected"]
    assert run["rows_rejected"] >= 10  # the bad rows really were bad
    _assert_no_canary(result, captured_logs, out)
    assert all(CANARY not in str(w.message) for w in caught)
    logging.getLogger("recordscan").debug("capture check")  # the capture really sees the CLI's logger
    assert "capture check" in captured_logs.text


@pytest.mark.parametrize("name, content", [
    ("headerless.csv", f"C1,N1,2024-01-02,Mum has low mood {CANARY}\n"),
    ("short_note_headerless.csv", f"C1,N1,2024-01-02,{CANARY}\n"),
    ("wrong_header.csv", f"case_id,note_id,when,text\nC1,N1,2024-01-02,{CANARY}\n"),
    ("broken_header.csv", f'case_id,"note_id,date,text\nC1,N1,2024-01-02,{CANARY}\n'),
    ("notes.jsonl", f'{{"case_id": "C1", "note_id": "N1", "text": "{CANARY}"}}\n'),
    ("notes.xlsx", None),
])
def test_no_note_text_in_error_messages(tmp_path, captured_logs, name, content):
    path = tmp_path / name
    if content is None:  # an xlsx file that is really text with the canary in it
        path.write_text(f"case_id,note_id,date,text\nC1,N1,2024-01-02,{CANARY}\n", encoding="utf-8")
    else:
        path.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["scan", str(path), "--out", str(tmp_path / "out"), "--rules-only", "--verbose"])
    assert result.exit_code == 2
    assert stderr_of(result).startswith("recordscan: error:")
    _assert_no_canary(result, captured_logs, None)


def test_no_note_text_from_other_formats(tmp_path, captured_logs):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["case_id", "note_id", "date", "text"])
    for row in _rows(f"Dad drinks {CANARY}"):
        workbook.active.append(row)
    workbook.save(tmp_path / "export.xlsx")
    lines = [json.dumps(dict(zip(["case_id", "note_id", "date", "text"], row))) for row in _rows(CANARY)]
    (tmp_path / "export.jsonl").write_text("\n".join(lines) + f'\n{{"case_id": "C9", "text": "{CANARY}\n', encoding="utf-8")
    for path in (tmp_path / "export.xlsx", tmp_path / "export.jsonl"):
        out = tmp_path / f"out_{path.suffix[1:]}"
        result = runner.invoke(app, ["scan", str(path), "--out", str(out), "--rules-only", "--verbose", "--max-note-chars", "1000"])
        assert result.exit_code == 0, (result.output, result.exception)
        _assert_no_canary(result, captured_logs, out)


# -- no network ---------------------------------------------------------------------------------------------
@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network access attempted during a test")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    cli._load_nlp.cache_clear()  # build the pipeline under the ban too
    yield
    cli._load_nlp.cache_clear()


def test_scan_and_tag_work_without_network(tmp_path, no_network):
    with pytest.raises(OSError):
        socket.create_connection(("example.invalid", 80))
    path = _write_csv(tmp_path / "export.csv")
    out = tmp_path / "out"
    result = runner.invoke(app, ["scan", str(path), "--out", str(out)])  # full scan: default model choice, reports
    assert result.exit_code == 0, (result.output, result.exception)
    assert (out / "cases.xlsx").exists() and (out / "report.html").exists()
    result = runner.invoke(app, ["tag", "Mum has low mood and Dad was not seen.", "--json"])
    assert result.exit_code == 0, (result.output, result.exception)
    assert "MATERNAL_MENTAL_HEALTH" in json.loads(result.stdout)["mentions"][0]["label"]


# -- permissions ----------------------------------------------------------------------------------------------
@contextlib.contextmanager
def umask(mask: int):
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def _modes(out: Path) -> tuple[int, dict[str, int]]:
    files = {str(p.relative_to(out)): stat.S_IMODE(p.stat().st_mode) for p in out.rglob("*")}
    return stat.S_IMODE(out.stat().st_mode), files


EXPECTED_FILES = {"cases.csv", "cases.xlsx", "followups.csv", "mentions.csv", "rejected.csv", "report.html", "run.json"}


def _scan(path: Path, out: Path, *extra: str):
    result = runner.invoke(app, ["scan", str(path), "--out", str(out), "--rules-only", *extra])
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def test_output_is_owner_only_by_default(tmp_path):
    path = _write_csv(tmp_path / "export.csv")
    out = tmp_path / "deep" / "out"
    with umask(0o022):
        _scan(path, out)
    directory, files = _modes(out)
    assert directory == 0o700
    assert set(files) == EXPECTED_FILES
    assert files == dict.fromkeys(EXPECTED_FILES, 0o600)


def test_shared_permissions(tmp_path):
    path = _write_csv(tmp_path / "export.csv")
    out = tmp_path / "out"
    with umask(0o022):
        _scan(path, out, "--shared-perms")
    directory, files = _modes(out)
    assert directory == 0o755
    assert files == dict.fromkeys(EXPECTED_FILES, 0o644)
    assert all(mode & stat.S_IRGRP and mode & stat.S_IROTH for mode in files.values())


def test_private_rerun_over_shared_output_locks_files_down(tmp_path):
    path = _write_csv(tmp_path / "export.csv")
    out = tmp_path / "out"
    with umask(0o022):
        _scan(path, out, "--shared-perms")
        _scan(path, out)
    assert _modes(out)[1] == dict.fromkeys(EXPECTED_FILES, 0o600)


def test_existing_directory_is_not_chmodded_but_files_are_private(tmp_path):
    """--out . or --out /tmp must not have their permissions changed; the files inside are still 0600."""
    path = _write_csv(tmp_path / "export.csv")
    out = tmp_path / "existing"
    out.mkdir()
    os.chmod(out, 0o755)
    with umask(0o022):
        _scan(path, out)
    directory, files = _modes(out)
    assert directory == 0o755
    assert files == dict.fromkeys(EXPECTED_FILES, 0o600)


def test_symlink_in_the_output_directory_is_replaced_not_followed(tmp_path):
    path = _write_csv(tmp_path / "export.csv")
    out = tmp_path / "out"
    out.mkdir(mode=0o700)
    victim = tmp_path / "victim.txt"
    victim.write_text("do not overwrite", encoding="utf-8")
    os.chmod(victim, 0o644)
    (out / "mentions.csv").symlink_to(victim)
    with umask(0o022):
        _scan(path, out)
    assert victim.read_text(encoding="utf-8") == "do not overwrite"
    assert stat.S_IMODE(victim.stat().st_mode) == 0o644
    assert not (out / "mentions.csv").is_symlink()
    assert stat.S_IMODE((out / "mentions.csv").stat().st_mode) == 0o600
