"""Build the bundled fictional export `export.csv` from the dev corpus, the way real exports look.

Shuffled rows (exports are rarely sorted by case), UK day-first dates, Windows line endings inside quoted
cells, the optional author_role and note_type columns, and a few rows that must be rejected (blank text,
an impossible date) or deduplicated (a note exported twice). Run: python evaluation/sample/make_sample.py
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEV = HERE.parent / "corpus" / "dev"


def main() -> None:
    rows = []
    for path in sorted(DEV.glob("batch_*.json")):
        for case in json.loads(path.read_text(encoding="utf-8"))["cases"]:
            for note in case["notes"]:
                y, m, d = note["date"].split("-")
                rows.append({"case_id": case["case_id"], "note_id": note["note_id"], "date": f"{d}/{m}/{y}",
                             "author_role": note.get("author_role", ""), "note_type": note.get("note_type", ""),
                             "text": note["text"].replace("\r\n", "\n").replace("\n", "\r\n")})
    rng = random.Random(7)
    rng.shuffle(rows)
    rows.append({**rows[3]})  # the same note exported twice
    rows.append({"case_id": "X-900", "note_id": "X-900-01", "date": "14/02/2024", "author_role": "Social Worker",
                 "note_type": "Case Note", "text": "   "})
    rows.append({"case_id": "X-900", "note_id": "X-900-02", "date": "31/02/2024", "author_role": "Social Worker",
                 "note_type": "Case Note", "text": "Visit attempted, no answer at the door."})
    with (HERE / "export.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["case_id", "note_id", "date", "author_role", "note_type", "text"])
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {HERE / 'export.csv'}")


if __name__ == "__main__":
    main()
