"""`recordscan evaluate`: score recordscan (or a previous run's tables) against gold annotations.

Everything is returned as pandas DataFrames in an `Evaluation`, so a notebook can use the same numbers
the command prints; `write_evaluation` saves metrics.json, report.md, the error tables and the predictions.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..concepts import CONCERNS, LABELS
from . import metrics as M
from .gold import GoldCase
from .runner import MENTION_COLUMNS, Predictions, case_table, gold_mentions, predict


@dataclass
class Evaluation:
    cases: list[GoldCase]
    gold_mentions: pd.DataFrame
    pred_mentions: pd.DataFrame
    case_table: pd.DataFrame
    mention_lenient: pd.DataFrame
    mention_strict: pd.DataFrame
    asserted_recall: pd.DataFrame
    trap_rate: pd.DataFrame
    status_confusion: pd.DataFrame
    mentioned: pd.DataFrame
    flag: pd.DataFrame
    scores: pd.DataFrame
    intervals: pd.DataFrame = field(default_factory=pd.DataFrame)
    mention_intervals: pd.DataFrame = field(default_factory=pd.DataFrame)
    mention_errors: pd.DataFrame = field(default_factory=pd.DataFrame)
    case_errors: pd.DataFrame = field(default_factory=pd.DataFrame)
    error_summary: pd.DataFrame = field(default_factory=pd.DataFrame)
    baselines: pd.DataFrame = field(default_factory=pd.DataFrame)
    source: str = "recordscan"

    def headline(self) -> dict:
        """The figures issue 2 and 3 ask for, in one dictionary."""
        def rows(df: pd.DataFrame, key: str, value: str) -> dict:
            return {r[key]: _num(r[value]) for _, r in df.iterrows()}

        return {
            "asserted_recall": rows(self.asserted_recall, "label", "recall"),
            "trap_reported_as_asserted": rows(self.trap_rate, "label", "rate"),
            "mentioned_f1": rows(self.mentioned, "concern", "f1"),
            "flag_f1": rows(self.flag, "concern", "f1"),
        }


def _num(x) -> float | None:
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else round(x, 4)


def evaluate(cases: list[GoldCase], nlp=None, model=None, pred_dir: str | Path | None = None,
             n_resamples: int = 1000, seed: int = 0, errors: bool = True) -> Evaluation:
    """Score predictions against gold. Without `pred_dir` the pipeline (and model, if given) runs on the gold notes."""
    if pred_dir is None:
        if nlp is None:
            from ..pipeline import build_pipeline

            nlp = build_pipeline()
        predictions = predict(nlp, cases, model)
        gold_df, pred_df, table = predictions.gold_mentions, predictions.pred_mentions, predictions.case_table
        source = "model" if model is not None else "rules"
    else:
        gold_df = gold_mentions(cases)
        pred_df, table = read_predictions(cases, Path(pred_dir))
        source = str(pred_dir)
    result = Evaluation(
        cases=cases, gold_mentions=gold_df, pred_mentions=pred_df, case_table=table,
        mention_lenient=M.mention_prf(gold_df, pred_df, strict=False), mention_strict=M.mention_prf(gold_df, pred_df, strict=True),
        asserted_recall=M.asserted_recall(gold_df, pred_df), trap_rate=M.trap_rate(gold_df, pred_df),
        status_confusion=M.status_confusion(gold_df, pred_df), mentioned=M.case_prf(table, "mentioned"),
        flag=M.case_prf(table, "flag"), scores=M.score_metrics(table), source=source,
    )
    result.baselines = baseline_comparison(cases, table, nlp if pred_dir is None else None)
    if n_resamples:
        from .bootstrap import case_metric_cis, mention_metric_cis

        result.intervals = case_metric_cis(table, n_resamples=n_resamples, seed=seed)
        result.mention_intervals = mention_metric_cis(gold_df, pred_df, n_resamples=n_resamples, seed=seed)
    if errors:
        from .errors import case_errors, error_summary, mention_errors

        texts = {(n.case_id, n.note_id): n.text for c in cases for n in c.notes}
        result.mention_errors = mention_errors(gold_df, pred_df, texts)
        result.case_errors = case_errors(table)
        result.error_summary = error_summary(result.mention_errors, result.case_errors)
    return result


def baseline_comparison(cases: list[GoldCase], table: pd.DataFrame, nlp=None) -> pd.DataFrame:
    """Flag F1 per concern of the predictions scored, the transparent rules and a plain keyword search."""
    from ..baselines import keyword_flags

    rows = []
    keyword = {c.case_id: keyword_flags(c.notes) for c in cases}
    kw_table = table.copy()
    kw_table["pred_mentioned"] = [keyword[r.case_id][r.concern][0] for r in table.itertuples()]
    kw_table["pred_flag"] = [keyword[r.case_id][r.concern][1] for r in table.itertuples()]
    systems = {"evaluated": table, "keyword search": kw_table}
    if nlp is not None:
        rules = predict(nlp, cases, None).case_table
        systems["rules"] = rules
    for name, df in systems.items():
        f = M.case_prf(df, "flag")
        rows.append({"system": name, **{r["concern"]: r["f1"] for _, r in f.iterrows()}})
    return pd.DataFrame(rows)


def read_predictions(cases: list[GoldCase], pred_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Predicted mentions and case decisions from a `recordscan scan` output directory."""
    from .errors import load_cases_csv

    mentions_path, cases_path = pred_dir / "mentions.csv", pred_dir / "cases.csv"
    for path in (mentions_path, cases_path):
        if not path.is_file():
            raise FileNotFoundError(f"{path}: not found (--pred needs a directory written by `recordscan scan`)")
    pred = pd.read_csv(mentions_path, dtype={"case_id": str, "note_id": str}, keep_default_na=False)
    pred = pred[[c for c in MENTION_COLUMNS if c in pred.columns]]
    decided = load_cases_csv(cases_path)
    by_key = {(r.case_id, r.concern): r for r in decided.itertuples()}
    rows = []
    for c in cases:
        for concern in CONCERNS:
            g = c.gold[concern]
            d = by_key.get((c.case_id, concern))
            rows.append({
                "case_id": c.case_id, "concern": concern, "gold_mentioned": g.mentioned, "gold_followed_up": g.followed_up,
                "gold_flag": g.flag, "pred_mentioned": bool(d and d.mentioned), "pred_followed_up": bool(d and d.followed_up),
                "pred_flag": bool(d and d.flag), "score": float(d.score) if d is not None else 0.0,
                "gold_followup_note_ids": list(g.followup_note_ids),
                "pred_evidence_note_ids": [x for x in str(getattr(d, "evidence_note_ids", "") or "").split(";") if x] if d is not None else [],
            })
    return pred, pd.DataFrame(rows)


def metrics_dict(ev: Evaluation, extra: dict | None = None) -> dict:
    def records(df: pd.DataFrame) -> list[dict]:
        return json.loads(df.to_json(orient="records")) if not df.empty else []

    return {
        "evaluated": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "source": ev.source, "cases": len(ev.cases), "notes": sum(len(c.notes) for c in ev.cases),
        "gold_mentions": len(ev.gold_mentions), "predicted_mentions": len(ev.pred_mentions),
        "headline": ev.headline(),
        "mentions": {"lenient": records(ev.mention_lenient), "strict": records(ev.mention_strict),
                     "asserted_recall": records(ev.asserted_recall), "trap_rate": records(ev.trap_rate),
                     "status_confusion": json.loads(ev.status_confusion.to_json())},
        "cases_level": {"mentioned": records(ev.mentioned), "flag": records(ev.flag), "score": records(ev.scores)},
        "confidence_intervals": {"cases": records(ev.intervals), "mentions": records(ev.mention_intervals)},
        "errors": records(ev.error_summary),
        "flag_f1_baselines": records(ev.baselines),
        **(extra or {}),
    }


def markdown_report(ev: Evaluation, title: str = "recordscan evaluation") -> str:
    def table(df: pd.DataFrame, cols: list[str]) -> str:
        if df.empty:
            return "_none_\n"
        head = "| " + " | ".join(cols) + " |\n|" + "---|" * len(cols) + "\n"
        body = "".join("| " + " | ".join(_fmt(r[c]) for c in cols) + " |\n" for _, r in df[cols].iterrows())
        return head + body

    parts = [f"# {title}\n", f"Source of predictions: {ev.source}. Cases: {len(ev.cases)}, notes: {sum(len(c.notes) for c in ev.cases)}.\n",
             "## Case level: flags (mentioned and never followed up)\n", table(ev.flag, ["concern", "precision", "recall", "f1", "tp", "fp", "fn"]),
             "\n## Case level: concern mentioned\n", table(ev.mentioned, ["concern", "precision", "recall", "f1", "tp", "fp", "fn"]),
             "\n## Score ranking\n", table(ev.scores, ["concern", "auroc", "average_precision"])]
    if not ev.intervals.empty:
        parts += ["\n## 95% bootstrap confidence intervals (resampling cases)\n", table(ev.intervals, list(ev.intervals.columns))]
    parts += ["\n## Mentions: asserted recall (affirmed or historical, found with an asserted status)\n",
              table(ev.asserted_recall, ["label", "gold_asserted", "found_asserted", "recall"]),
              "\n## Mentions: traps (negated, hypothetical, other experiencer) reported as asserted\n",
              table(ev.trap_rate, ["label", "gold_traps", "reported_asserted", "rate"]),
              "\n## Mentions: spans, lenient (overlap) and strict (exact)\n",
              table(pd.concat([ev.mention_lenient, ev.mention_strict]), ["label", "matching", "precision", "recall", "f1"]),
              "\n## Status confusion (gold rows, predicted columns)\n",
              table(ev.status_confusion.reset_index().rename(columns={"status": "gold"}), ["gold", *ev.status_confusion.columns])]
    if not ev.baselines.empty:
        parts += ["\n## Flag F1 side by side (the predictions scored, the transparent rules, a keyword search)\n",
                  table(ev.baselines, list(ev.baselines.columns))]
    if not ev.error_summary.empty:
        parts += ["\n## Errors by kind\n", table(ev.error_summary, list(ev.error_summary.columns))]
    parts.append("\nEvery error is listed with its note and context in errors_mentions.csv and errors_cases.csv.\n")
    return "".join(parts)


def _fmt(v) -> str:
    if isinstance(v, float):
        return "" if math.isnan(v) else f"{v:.3f}"
    return str(v)


def write_evaluation(ev: Evaluation, out_dir: str | Path, extra: dict | None = None, shared: bool = False) -> Path:
    from ..io.writers import make_dir, open_secure, write_json

    out_dir = make_dir(out_dir, shared)
    write_json(out_dir / "metrics.json", metrics_dict(ev, extra), shared)
    with open_secure(out_dir / "report.md", "w", shared) as fh:
        fh.write(markdown_report(ev))
    for name, df in (("errors_mentions", ev.mention_errors), ("errors_cases", ev.case_errors), ("predicted_mentions", ev.pred_mentions),
                     ("case_decisions", ev.case_table)):
        with open_secure(out_dir / f"{name}.csv", "w", shared) as fh:
            df.to_csv(fh, index=False)
    return out_dir


__all__ = ["Evaluation", "evaluate", "write_evaluation", "metrics_dict", "markdown_report", "read_predictions", "LABELS", "Predictions", "case_table"]
