"""The auditor's outputs: a spreadsheet of flagged cases and a readable HTML summary, built from cases.csv."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .concepts import CONCERNS
from .io.writers import write_html_report, write_xlsx

FLAG_COLUMNS = ["case_id", "concern", "score", "first_mention_note_id", "first_mention_date", "first_mention_text", "reason", "evidence_note_ids"]


def write_reports(out_dir: str | Path, run: dict, shared: bool = False) -> None:
    out_dir = Path(out_dir)
    cases = pd.read_csv(out_dir / "cases.csv", dtype={"case_id": str, "evidence_note_ids": str, "first_mention_note_id": str},
                        keep_default_na=False)
    for col in ("mentioned", "followed_up", "flag"):
        cases[col] = cases[col].astype(str).str.lower() == "true"
    flagged = cases[cases.flag].sort_values(["score", "case_id"], ascending=[False, True])
    per_case = (cases.groupby("case_id").flag.sum().reset_index(name="flags").sort_values(["flags", "case_id"], ascending=[False, True])
                if not cases.empty else pd.DataFrame(columns=["case_id", "flags"]))
    write_xlsx(out_dir / "cases.xlsx", {
        "Flags to review": (FLAG_COLUMNS, flagged[FLAG_COLUMNS].itertuples(index=False, name=None)),
        "Cases": (["case_id", "flags"], per_case.itertuples(index=False, name=None)),
        "All concerns": (list(cases.columns), cases.itertuples(index=False, name=None)),
        "Run": (["item", "value"], [(k, str(v)) for k, v in run.items() if k not in ("timings", "model")]),
    }, shared=shared)
    summary = {
        "Input": run.get("input"), "Rows read": run.get("rows_read"), "Notes scanned": run.get("notes_scanned"),
        "Rows rejected (see rejected.csv)": run.get("rows_rejected"), "Cases": run.get("cases"),
        "Decided by": run.get("decided_by"), "recordscan version": run.get("version"),
    }
    counts = [(c, int(cases[(cases.concern == c)].mentioned.sum()), int(cases[(cases.concern == c)].flag.sum())) for c in CONCERNS]
    sections = [
        ("Flags by concern", ["concern", "cases mentioning it", "cases flagged"], counts),
        ("Flagged concerns, highest score first", FLAG_COLUMNS, list(flagged[FLAG_COLUMNS].itertuples(index=False, name=None))),
    ]
    notes = ["A flag means the concern is mentioned in the case notes and no follow-up was found: a prompt to pull and read the "
             "case, never a finding about a family. Every row names the note and the words that support it."]
    write_html_report(out_dir / "report.html", "recordscan: cases to review", summary, sections, notes, shared=shared)
