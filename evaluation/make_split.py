"""Split the annotated corpus into dev and test, reproducibly.

Batches K and L were written for the test split only (their authors' styles are never seen in
development). From every other batch, four cases drawn with a seeded generator go to test. The test split
is never used to write rules, choose features or train; `split.json` records the assignment.

Usage: python evaluation/make_split.py   (reads evaluation/corpus/raw/, writes corpus/dev/ and corpus/test/)
"""

from __future__ import annotations

import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
RAW = HERE / "corpus" / "raw"
HELD_OUT_BATCHES = {"K", "L"}
TEST_PER_BATCH = 4


def main() -> None:
    assignment = {}
    for path in sorted(RAW.glob("batch_*.json")):
        letter = path.stem.split("_")[1]
        cases = json.loads(path.read_text(encoding="utf-8"))["cases"]
        ids = sorted(c["case_id"] for c in cases)
        if letter in HELD_OUT_BATCHES:
            test_ids = set(ids)
        else:
            test_ids = set(random.Random(f"recordscan-split-{letter}").sample(ids, TEST_PER_BATCH))
        for split in ("dev", "test"):
            chosen = [c for c in cases if (c["case_id"] in test_ids) == (split == "test")]
            out = HERE / "corpus" / split / path.name
            if chosen:
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_text(json.dumps({"cases": chosen}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            elif out.exists():
                out.unlink()
        for cid in ids:
            assignment[cid] = "test" if cid in test_ids else "dev"
    (HERE / "corpus" / "split.json").write_text(json.dumps(assignment, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    counts = {s: sum(1 for v in assignment.values() if v == s) for s in ("dev", "test")}
    print(f"split: {counts}")


if __name__ == "__main__":
    main()
