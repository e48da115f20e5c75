"""Split the annotated corpus into dev and test, reproducibly.

Batches listed in HELD_OUT_BATCHES were written for the test split only (their authors'
styles are never seen in development). From every other batch, four cases drawn with a seeded generator go to
test. The test split is never used to write rules, choose features or train; `split.json` records the assignment.

Usage: python evaluation/make_split.py
It reads every batch from corpus/dev/ and corpus/test/ (or corpus/raw/ for newly written batches), and
writes the split again: running it twice gives the same files.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
HELD_OUT_BATCHES = {"K", "L", "AD", "AE", "AF", "AG", "AK", "AL", "AM", "AT", "AU", "AV", "BB", "BC", "BD", "BI", "BJ", "BK", "BL", "BR", "BS", "BT", "BZ", "CA", "CB", "CH", "CI", "CJ", "CP", "CQ", "CR", "CX", "CY", "CZ", "DF", "DG", "DH", "DN", "DO", "DP", "DV", "DW", "DX", "ED", "EE", "EF", "EL", "EM", "EN", "ET", "EU", "EV", "FB", "FC", "FD", "FJ", "FK", "FL", "FR", "FS", "FT", "FZ", "GA", "GB", "GH", "GI", "GJ", "GS", "GT", "GU", "HA", "HB", "HC", "HM", "HN", "HO", "HU", "HV", "HW", "IG", "IH", "II", "IS", "IT", "IU", "JE", "JF", "JG", "JM", "JN", "JO", "JU", "JV", "JW", "KC", "KD", "KE", "KK", "KL", "KM"}
TEST_PER_BATCH = 4


def main() -> None:
    batches: dict[str, list] = {}
    for folder in ("raw", "dev", "test"):
        for path in sorted((CORPUS / folder).glob("batch_*.json")):
            batches.setdefault(path.name, []).extend(json.loads(path.read_text(encoding="utf-8"))["cases"])
    assignment = {}
    for name, cases in sorted(batches.items()):
        letter = name.split("_")[1].split(".")[0]
        cases = sorted({c["case_id"]: c for c in cases}.values(), key=lambda c: c["case_id"])
        path = CORPUS / name
        ids = sorted(c["case_id"] for c in cases)
        if letter in HELD_OUT_BATCHES:
            test_ids = set(ids)
        else:
            test_ids = set(random.Random(f"recordscan-split-{letter}").sample(ids, TEST_PER_BATCH))
        for split in ("dev", "test"):
            chosen = [c for c in cases if (c["case_id"] in test_ids) == (split == "test")]
            out = CORPUS / split / name
            if chosen:
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_text(json.dumps({"cases": chosen}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            elif out.exists():
                out.unlink()
        for cid in ids:
            assignment[cid] = "test" if cid in test_ids else "dev"
    (CORPUS / "split.json").write_text(json.dumps(assignment, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    counts = {s: sum(1 for v in assignment.values() if v == s) for s in ("dev", "test")}
    print(f"split: {counts}")


if __name__ == "__main__":
    main()
