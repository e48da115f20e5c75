"""Throughput and peak memory of recordscan, measured on the same notes in one run.

    python benchmarks/bench.py                 # 10,000 notes of ~100 words, 3 rounds, and a 10x export for the memory check
    python benchmarks/bench.py --notes 3000 --repeats 1    # quicker

Notes are built from sentences of the project's own fictional dev corpus, about 100 words each, grouped
into cases of 4-8 notes. Each measurement runs in a fresh Python process on one core, and that process
reports its own peak resident memory, so figures do not leak between measurements:

1. spaCy's blank English tokenizer alone (the floor);
2. the full recordscan tagging pipeline (`nlp.pipe`);
3. `scan` end to end on a CSV export of the notes, with the rules and with the shipped classifier;
4. `scan` on an export ten times larger, to show peak memory does not grow with the input;
5. paired: in one process, `nlp.pipe` and `scan` with the classifier on the same blocks of whole cases (about 500 notes),
   one right after the other in alternating order; the ratio of the summed times is issue 3's throughput target.

Measurements 1-3 are repeated in rounds (`--repeats`), each round running all of them one after the other, and
each figure is the median over the rounds. On a shared virtual machine the speed of the core drifts by a factor
of several over minutes; one measurement each, taken minutes apart, made the ratios between them (which the
issues' targets are) mostly noise. Rounds put every measurement under every state of the machine, and the
per-round ratios show how far the drift reaches. Even so, a round's measurements lie minutes apart; the paired
measurement (5) puts the two it compares seconds apart, many times over, and is the one to read for their ratio.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ONE_CORE = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def build_notes(n: int, seed: int = 0, words: int = 100) -> list[dict]:
    sentences = []
    for path in sorted((ROOT / "evaluation" / "corpus" / "dev").glob("batch_*.json")):
        for case in json.loads(path.read_text(encoding="utf-8"))["cases"]:
            for note in case["notes"]:
                sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+", note["text"]) if len(s.split()) >= 4]
    rng = random.Random(seed)
    notes, case_no, left = [], 0, 0
    day = dt.date(2023, 1, 1)
    for i in range(n):
        if left == 0:
            case_no += 1
            left = rng.randint(4, 8)
            day = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randint(0, 900))
        left -= 1
        day += dt.timedelta(days=rng.randint(3, 30))
        text, count = [], 0
        while count < words:
            s = rng.choice(sentences)
            text.append(s)
            count += len(s.split())
        notes.append({"case_id": f"B-{case_no:06d}", "note_id": f"B-{case_no:06d}-{i:07d}", "date": day.strftime("%d/%m/%Y"),
                      "author_role": rng.choice(["Social Worker", "Health Visitor", "School DSL", "GP", "Police", "Family Support Worker"]),
                      "note_type": "Case Note", "text": " ".join(text)})
    return notes


def write_export(notes: list[dict], path: Path, copies: int = 1) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(notes[0]))
        writer.writeheader()
        for k in range(copies):
            for note in notes:
                if k:
                    note = {**note, "case_id": f"{note['case_id']}-{k}", "note_id": f"{note['note_id']}-{k}"}
                writer.writerow(note)


_MEASURE = {
    "tokenizer": """
        import spacy
        nlp = spacy.blank("en")
        list(nlp.tokenizer.pipe(texts[:500]))  # warm-up
        start = time.perf_counter()
        for _ in nlp.tokenizer.pipe(texts, batch_size=256):
            pass
        elapsed = time.perf_counter() - start
    """,
    "pipeline": """
        from recordscan.pipeline import build_pipeline
        nlp = build_pipeline()
        list(nlp.pipe(texts[:500]))
        start = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=256):
            pass
        elapsed = time.perf_counter() - start
    """,
    "scan": """
        from recordscan.pipeline import build_pipeline
        from recordscan.scan import ScanOptions, scan
        model = None
        if MODEL:
            from recordscan.model import default_model_dir, load_model
            model = load_model(default_model_dir())
        nlp = build_pipeline()
        list(nlp.pipe(texts[:500]))
        start = time.perf_counter()
        summary = scan(EXPORT, OUT, nlp, model, ScanOptions(reports=False))
        elapsed = time.perf_counter() - start
        assert summary.rows_read == summary.notes_scanned + summary.rows_rejected
        n = summary.notes_scanned
    """,
}


def measure(kind: str, export: Path, out: Path | None = None, model: bool = False) -> dict:
    code = textwrap.dedent("""
        import csv, json, resource, sys, time
        from pathlib import Path
        EXPORT, OUT, MODEL = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "1"
        with EXPORT.open(encoding="utf-8", newline="") as fh:
            texts = [row["text"] for row in csv.DictReader(fh)]
        n = len(texts)
    """) + textwrap.dedent(_MEASURE[kind]) + textwrap.dedent("""
        if kind != "scan":
            del texts
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({"notes": n, "seconds": round(elapsed, 3), "notes_per_s": round(n / elapsed, 1), "peak_rss_mb": round(peak_mb, 1)}))
    """).replace("kind != \"scan\"", repr(kind) + " != \"scan\"")
    if kind == "scan":
        # The scan process must not hold the whole export in memory beyond the warm-up sample.
        code = code.replace('texts = [row["text"] for row in csv.DictReader(fh)]',
                            'texts = [row["text"] for _, row in zip(range(500), csv.DictReader(fh))]')
    return _run_on_one_core(kind, code, str(export), str(out or export.parent / "out"), "1" if model else "0")


def _run_on_one_core(what: str, code: str, *args: str) -> dict:
    """Run `code` in a fresh Python process pinned to one core and return the JSON it prints last."""
    cmd = [sys.executable, "-c", code, *args]
    if sys.platform.startswith("linux"):
        cmd = ["taskset", "-c", "0", *cmd]
    result = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **ONE_CORE}, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{what} measurement failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


_PAIRED = """
    import csv, json, sys, time
    from pathlib import Path
    from recordscan.model import default_model_dir, load_model
    from recordscan.pipeline import build_pipeline
    from recordscan.scan import ScanOptions, scan
    EXPORT, WORK, BLOCK = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    WORK.mkdir(parents=True, exist_ok=True)
    with EXPORT.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields, blocks, block = reader.fieldnames, [], []
        for row in reader:
            if len(block) >= BLOCK and row["case_id"] != block[-1]["case_id"]:  # blocks end between cases
                blocks.append(block)
                block = []
            block.append(row)
        blocks.append(block)
    paths = []
    for i, rows in enumerate(blocks):
        paths.append(WORK / f"block_{i}.csv")
        with paths[-1].open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
    model, nlp = load_model(default_model_dir()), build_pipeline()
    list(nlp.pipe([r["text"] for r in blocks[0][:500]]))  # warm-up
    pipe_s, scan_s, per_block = 0.0, 0.0, []
    for i, (rows, path) in enumerate(zip(blocks, paths)):
        texts, took = [r["text"] for r in rows], {}
        for step in (("pipe", "scan") if i % 2 == 0 else ("scan", "pipe")):  # alternate which goes first
            start = time.perf_counter()
            if step == "pipe":
                for _ in nlp.pipe(texts, batch_size=256):
                    pass
            else:
                summary = scan(path, WORK / "out", nlp, model, ScanOptions(reports=False))
                assert summary.notes_scanned == len(rows)
            took[step] = time.perf_counter() - start
        pipe_s += took["pipe"]
        scan_s += took["scan"]
        per_block.append(round(took["pipe"] / took["scan"], 3))
    n = sum(len(b) for b in blocks)
    print(json.dumps({"notes": n, "blocks": len(blocks), "pipeline_s": round(pipe_s, 2), "scan_model_s": round(scan_s, 2),
                      "pipeline_notes_per_s": round(n / pipe_s, 1), "scan_model_notes_per_s": round(n / scan_s, 1),
                      "scan_model_of_pipeline": round(pipe_s / scan_s, 3), "block_ratios": per_block}))
"""


def measure_paired(export: Path, work: Path, block: int = 500) -> dict:
    """Scan with the classifier against `nlp.pipe`, on the same notes, in one process: block by block (about `block`
    notes, whole cases), each measured right after the other and in alternating order, so that the core's drift falls
    on both alike. The ratio of the summed times is the figure issue 3's target is about."""
    return _run_on_one_core("paired", textwrap.dedent(_PAIRED), str(export), str(work), str(block))


SMALL_EXPORT_KINDS = [("tokenizer", "tokenizer", False), ("pipeline", "pipeline", False), ("scan_rules", "scan", False),
                      ("scan_model", "scan", True)]


def median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def summarise(runs: list[dict]) -> dict:
    """The median rate over the rounds, the largest peak memory, and each round's rate."""
    rate = median([r["notes_per_s"] for r in runs])
    return {"notes": runs[0]["notes"], "notes_per_s": round(rate, 1), "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
            "rounds_notes_per_s": [r["notes_per_s"] for r in runs]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3, help="rounds of the measurements on the small export (medians reported)")
    parser.add_argument("--scale", type=int, default=10, help="the larger export is this many times bigger")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    args = parser.parse_args()
    from recordscan.model import MODEL_FILE, default_model_dir

    has_model = (default_model_dir() / MODEL_FILE).exists()
    kinds = [k for k in SMALL_EXPORT_KINDS if has_model or k[0] != "scan_model"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        notes = build_notes(args.notes)
        words = sum(len(n["text"].split()) for n in notes) / len(notes)
        small, large = tmp / "export.csv", tmp / "export_x10.csv"
        write_export(notes, small)
        write_export(notes, large, copies=args.scale)
        results = {"notes": len(notes), "mean_words_per_note": round(words, 1), "cpu": _cpu(), "python": sys.version.split()[0],
                   "rounds": args.repeats}
        runs: dict[str, list[dict]] = {name: [] for name, _, _ in kinds}
        for _ in range(max(1, args.repeats)):
            for name, kind, model in kinds:
                runs[name].append(measure(kind, small, tmp / f"out_{name}", model=model))
        results.update({name: summarise(found) for name, found in runs.items()})
        if has_model:
            results["paired"] = measure_paired(small, tmp / "paired")
        results[f"scan_rules_x{args.scale}"] = measure("scan", large, tmp / "out_large")
    floor = results["tokenizer"]["notes_per_s"]
    print(f"{results['notes']} notes, {results['mean_words_per_note']} words on average, one core ({results['cpu']}), "
          f"median of {results['rounds']} round(s)")
    print(f"{'measurement':28s} {'notes/s':>10s} {'% of tokenizer':>15s} {'peak RSS MB':>12s}   rounds (notes/s)")
    for key in ["tokenizer", "pipeline", "scan_rules", "scan_model", f"scan_rules_x{args.scale}"]:
        if key in results:
            r = results[key]
            rounds = ", ".join(f"{v:.0f}" for v in r.get("rounds_notes_per_s", []))
            print(f"{key:28s} {r['notes_per_s']:10.1f} {100 * r['notes_per_s'] / floor:14.1f}% {r['peak_rss_mb']:12.1f}   {rounds}")
    base, big = results["scan_rules"]["peak_rss_mb"], results[f"scan_rules_x{args.scale}"]["peak_rss_mb"]
    print(f"scan peak memory, {args.scale}x larger export: {big:.1f} MB vs {base:.1f} MB ({100 * (big - base) / base:+.1f}%)")
    ratios = {}
    for name, over in [("pipeline_of_tokenizer", ("pipeline", "tokenizer")), ("scan_model_of_pipeline", ("scan_model", "pipeline")),
                       ("scan_model_of_scan_rules", ("scan_model", "scan_rules"))]:
        if all(k in runs for k in over):
            per_round = [a["notes_per_s"] / b["notes_per_s"] for a, b in zip(runs[over[0]], runs[over[1]])]
            ratios[name] = {"of_medians": round(results[over[0]]["notes_per_s"] / results[over[1]]["notes_per_s"], 3),
                            "rounds": [round(x, 3) for x in per_round]}
    results["ratios"] = ratios
    labels = {"pipeline_of_tokenizer": "tagging pipeline, share of the tokenizer's throughput",
              "scan_model_of_pipeline": "scan with the classifier, share of the tagging pipeline's (nlp.pipe) throughput",
              "scan_model_of_scan_rules": "scan with the classifier, share of scan with the rules only"}
    for name, found in ratios.items():
        rounds = ", ".join(f"{100 * x:.1f}%" for x in found["rounds"])
        print(f"{labels[name]}: {100 * found['of_medians']:.1f}% (rounds: {rounds})")
    if "paired" in results:
        p = results["paired"]
        spread = f"{100 * min(p['block_ratios']):.1f}% to {100 * max(p['block_ratios']):.1f}%"
        print(f"paired, one process, {p['blocks']} blocks alternating: scan with the classifier {p['scan_model_notes_per_s']:.1f} "
              f"notes/s against nlp.pipe {p['pipeline_notes_per_s']:.1f}: {100 * p['scan_model_of_pipeline']:.1f}% "
              f"(blocks: {spread})")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


if __name__ == "__main__":
    main()
