"""The `recordscan` command: parse arguments, wire library objects, render progress and results. No logic here.

Every anticipated failure (bad input, bad gold file, bad lexicon, tampered model) ends with one line on
stderr and exit code 2; nothing prints note text unless --log-text is given.
"""

from __future__ import annotations

import functools
import json
import logging
import sys
import traceback
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Find concerns in case notes that were mentioned but never followed up.")
log = logging.getLogger("recordscan")

EXIT_USAGE = 2


class _TextRedactingFilter(logging.Filter):
    """Drop any log record marked as carrying note text, unless --log-text was given."""

    def __init__(self, allow_text: bool):
        super().__init__()
        self.allow_text = allow_text

    def filter(self, record: logging.LogRecord) -> bool:
        return self.allow_text or not getattr(record, "note_text", False)


def _setup_logging(verbose: bool, log_text: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("recordscan: %(message)s"))
    handler.addFilter(_TextRedactingFilter(log_text))
    log.handlers[:] = [handler]
    log.setLevel(logging.DEBUG if verbose else logging.WARNING)
    log.propagate = False


@contextmanager
def _user_errors(debug: bool = False):
    """Turn the library's anticipated errors into one line and exit code 2."""
    from .evaluation.gold import GoldFormatError
    from .io.readers import InputError
    from .lexicons import LexiconError
    from .model import ModelIntegrityError

    try:
        yield
    except (InputError, GoldFormatError, LexiconError, ModelIntegrityError) as exc:
        if debug:
            raise
        typer.echo(f"recordscan: error: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    except OSError as exc:  # a path that is not usable: --out is a file, no permission, disk full
        if debug:
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        typer.echo(f"recordscan: error: {where}{exc.strerror or type(exc).__name__}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    except KeyboardInterrupt:
        typer.echo("recordscan: interrupted; run again with --resume to continue", err=True)
        raise typer.Exit(130) from None
    except (typer.Exit, typer.Abort, SystemExit):
        raise
    except Exception as exc:  # a bug, not bad input: say where, never what the data said
        if debug:
            raise
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        where = f"{Path(frame.filename).name}:{frame.lineno}"
        typer.echo(f"recordscan: internal error: {type(exc).__name__} at {where}; please report it (run with --debug for details)", err=True)
        raise typer.Exit(1) from None


class _RichObserver:
    """Progress bars on a terminal; silent when stderr is not one (pipes, CI, log files)."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.console = Console(stderr=True)
        self.enabled = self.console.is_terminal
        self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                 console=self.console, disable=not self.enabled)
        self.task = None

    def __enter__(self):
        self.progress.__enter__()
        return self

    def __exit__(self, *exc):
        self.progress.__exit__(*exc)

    def stage(self, name: str, total: int | None) -> None:
        if self.task is not None:
            self.progress.update(self.task, visible=False)
        self.task = self.progress.add_task(name, total=total)

    def advance(self, n: int = 1) -> None:
        if self.task is not None:
            self.progress.advance(self.task, n)

    def warn(self, message: str) -> None:
        log.warning(message)


def _print_table(console, title: str, columns, rows) -> None:
    """One rich table; floats shown to three decimals."""
    from rich.table import Table

    table = Table(title=title)
    for col in columns:
        table.add_column(str(col))
    for row in rows:
        table.add_row(*[f"{v:.3f}" if isinstance(v, float) else ("" if v is None else str(v)) for v in row])
    console.print(table)


@functools.lru_cache(maxsize=4)
def _load_nlp(lexicons: Optional[Path]):
    """Build the pipeline once per process (tests invoke the CLI many times in one process)."""
    from .pipeline import build_pipeline

    return build_pipeline(lexicons)


def _load_model(model: Optional[Path], rules_only: bool):
    """(model or None, description for run.json)."""
    from .model import MODEL_FILE, default_model_dir, load_model

    if rules_only:
        return None, {"decided_by": "rules"}
    directory = model or default_model_dir()
    if model is None and not (directory / MODEL_FILE).exists():
        log.warning("no trained model is installed; flags come from the transparent rules (train one with `recordscan train`)")
        return None, {"decided_by": "rules"}
    loaded = load_model(directory)
    return loaded, {"path": str(directory), "threshold": loaded.threshold, "trained": loaded.metadata.get("trained"),
                    "training_data_sha256": loaded.metadata.get("training_data_sha256")}


@app.command()
def scan(
    input: Path = typer.Argument(..., help="Record export: .csv, .tsv, .xlsx, .jsonl or .parquet"),
    out: Path = typer.Option(Path("scan-results"), "--out", "-o", help="Directory for the result tables"),
    case_col: str = typer.Option("case_id", help="Column holding the case (or person) id"),
    note_col: str = typer.Option("note_id", help="Column holding the note id"),
    date_col: str = typer.Option("date", help="Column holding the note date (ISO, dd/mm/yyyy or Excel serial)"),
    text_col: str = typer.Option("text", help="Column holding the note text"),
    author_col: str = typer.Option("author_role", help="Optional column with the author's role"),
    type_col: str = typer.Option("note_type", help="Optional column with the note type"),
    sheet: Optional[str] = typer.Option(None, help="Excel sheet to read (default: the first)"),
    model: Optional[Path] = typer.Option(None, help="Model directory (default: the model shipped with recordscan)"),
    rules_only: bool = typer.Option(False, "--rules-only", help="Decide flags with the transparent rules, not the model"),
    lexicons: Optional[Path] = typer.Option(None, help="Use rule files from this directory instead of the shipped lexicons"),
    resume: bool = typer.Option(False, help="Continue an interrupted run in the same --out directory"),
    chunk_rows: int = typer.Option(5000, min=1, help="Rows read at a time"),
    max_note_chars: int = typer.Option(1_000_000, min=1, help="Longer notes are rejected with a reason"),
    shared_perms: bool = typer.Option(False, "--shared-perms", help="Create output readable by others (default: owner only)"),
    no_reports: bool = typer.Option(False, "--no-reports", help="Skip cases.xlsx and report.html"),
    log_text: bool = typer.Option(False, "--log-text", help="Allow note text in log messages (off: ids and positions only)"),
    verbose: bool = typer.Option(False, "--verbose", "-v"),
    debug: bool = typer.Option(False, "--debug", hidden=True),
):
    """Scan an export and write mentions.csv, followups.csv, cases.csv, rejected.csv and run.json."""
    from .io.readers import ColumnMap
    from .scan import ScanOptions, scan as run_scan

    _setup_logging(verbose, log_text)
    with _user_errors(debug):
        columns = ColumnMap(case_col, note_col, date_col, text_col, author_col, type_col)
        options = ScanOptions(columns=columns, chunk_rows=chunk_rows, max_note_chars=max_note_chars, shared_perms=shared_perms,
                              resume=resume, sheet=sheet, reports=not no_reports)
        nlp = _load_nlp(lexicons)
        flag_model, info = _load_model(model, rules_only)
        with _RichObserver() as observer:
            summary = run_scan(input, out, nlp, flag_model, options, observer, info)
    flags = ", ".join(f"{k} {v}" for k, v in summary.flags.items())
    typer.echo(f"read {summary.rows_read} rows: {summary.notes_scanned} notes scanned, {summary.rows_rejected} rejected; "
               f"{summary.cases} cases; flags: {flags}")
    typer.echo(f"results in {summary.output_dir}/ (cases.csv, cases.xlsx, report.html, mentions.csv, followups.csv, rejected.csv, run.json)")


@app.command()
def tag(
    text: str = typer.Argument(..., help="One note's text (use - to read it from standard input)"),
    date: Optional[str] = typer.Option(None, help="Note date, for 'in 2019'-style history"),
    author_role: Optional[str] = typer.Option(None, help="Author role, e.g. GP"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table"),
    lexicons: Optional[Path] = typer.Option(None),
):
    """Tag one note and print its mentions and follow-up actions."""
    from rich.console import Console

    from .io.dates import DateError, parse_date
    from .tagging import Note, followup_records, make_doc, mention_records

    if text == "-":
        text = sys.stdin.read()
    with _user_errors():
        try:
            note_date = parse_date(date) if date else None
        except DateError as exc:
            typer.echo(f"recordscan: error: --date: {exc}", err=True)
            raise typer.Exit(EXIT_USAGE) from None
        nlp = _load_nlp(lexicons)
        note = Note("-", "-", note_date, text, author_role)
        doc = nlp(make_doc(nlp, note))
        mentions, followups = mention_records(note, doc), followup_records(note, doc)
    if as_json:
        typer.echo(json.dumps({"mentions": [m.as_dict() for m in mentions], "followups": [f.as_dict() for f in followups]}, indent=2))
        return
    console = Console()
    _print_table(console, "Mentions", ("label", "start", "end", "text", "status", "reason"),
                 [(m.label, m.start, m.end, m.text, m.status, m.reason) for m in mentions])
    if followups:
        _print_table(console, "Follow-up actions", ("concern", "start", "end", "text", "kind", "action"),
                     [(f.concern, f.start, f.end, f.text, f.kind, f.action) for f in followups])


@app.command()
def train(
    gold: list[Path] = typer.Option(..., "--gold", help="Annotated training cases (SCHEME.md JSON files or directories)"),
    out: Path = typer.Option(Path("models"), "--out", help="Directory for the model, metadata.json and manifest.json"),
    test: Optional[list[Path]] = typer.Option(None, "--test", help="Held-out gold, scored once after training (never used to fit)"),
    seed: int = typer.Option(0, help="Random seed (cross-validation folds, model)"),
    folds: int = typer.Option(5, min=2, help="Cross-validation folds"),
    lexicons: Optional[Path] = typer.Option(None),
    debug: bool = typer.Option(False, "--debug", hidden=True),
):
    """Train the flag classifier on annotated cases and save it with its metadata."""
    from .evaluation.gold import load_gold
    from .training import train_model

    _setup_logging(False, False)
    with _user_errors(debug):
        cases = load_gold(gold)
        test_cases = load_gold(test) if test else None
        nlp = _load_nlp(lexicons)
        result = train_model(nlp, cases, out, seed=seed, folds=folds, test_cases=test_cases, gold_paths=gold)
    typer.echo(json.dumps(result["summary"], indent=2))


@app.command()
def evaluate(
    gold: Optional[list[Path]] = typer.Option(None, "--gold", help="Gold cases (SCHEME.md JSON files or directories, or --gold-format files)"),
    pred: Optional[Path] = typer.Option(None, "--pred", help="A `recordscan scan` output directory to score instead of running the tool"),
    out: Optional[Path] = typer.Option(None, "--out", help="Write metrics.json, report.md and error tables here"),
    compare: Optional[list[Path]] = typer.Option(None, "--compare", help="Two run directories (or cases.csv files): list cases whose outcome changed"),
    gold_format: str = typer.Option("scheme", help="Format of --gold: scheme, doccano, labelstudio, brat, prodigy"),
    model: Optional[Path] = typer.Option(None, help="Model directory (default: the shipped model)"),
    rules_only: bool = typer.Option(False, "--rules-only", help="Score the transparent rules instead of the model"),
    bootstrap: int = typer.Option(1000, min=0, help="Bootstrap resamples for 95% confidence intervals (0: none)"),
    seed: int = typer.Option(0, help="Bootstrap seed"),
    lexicons: Optional[Path] = typer.Option(None),
):
    """Measure recordscan against gold annotations (or compare two runs) and explain every error."""
    from rich.console import Console

    _setup_logging(False, False)
    console = Console()
    with _user_errors():
        if compare:
            _compare(compare, out, console)
            return
        if not gold:
            typer.echo("recordscan: error: --gold is required (or --compare RUN_A --compare RUN_B)", err=True)
            raise typer.Exit(EXIT_USAGE)
        from .evaluation.evaluate import evaluate as run_evaluation, write_evaluation
        from .evaluation.formats import import_cases
        from .evaluation.gold import load_gold

        cases = load_gold(gold) if gold_format == "scheme" else [c for g in gold for c in import_cases(gold_format, g)]
        nlp = flag_model = None
        info = {"decided_by": "scan output"}
        if pred is None:
            nlp = _load_nlp(lexicons)
            flag_model, info = _load_model(model, rules_only)
        ev = run_evaluation(cases, nlp=nlp, model=flag_model, pred_dir=pred, n_resamples=bootstrap, seed=seed)
        if out is not None:
            write_evaluation(ev, out, extra={"gold": [str(g) for g in gold], "model": info, "bootstrap": {"resamples": bootstrap, "seed": seed}})
    ci = {(r["concern"], r["field"]): (r["ci_low"], r["ci_high"]) for _, r in ev.intervals.iterrows()} if not ev.intervals.empty else {}
    auroc = dict(zip(ev.scores.concern, ev.scores.auroc))
    rows = []
    for (_, m), (_, f) in zip(ev.mentioned.iterrows(), ev.flag.iterrows()):
        low_high = ci.get((f["concern"], "flag"))
        rows.append((f["concern"], m["f1"], f["precision"], f["recall"], f["f1"], f"{low_high[0]:.3f}-{low_high[1]:.3f}" if low_high else "",
                     auroc.get(f["concern"], float("nan"))))
    _print_table(console, f"Case level ({len(cases)} cases, predictions from {ev.source})",
                 ("concern", "mentioned F1", "flag P", "flag R", "flag F1", "flag F1 95% CI", "AUROC"), rows)
    traps = lambda t: f"{t['rate']:.3f} ({t['reported_asserted']}/{t['gold_traps']})"  # noqa: E731
    rows = [(r["label"], r["recall"], traps(t), l["f1"], st["f1"]) for (_, r), (_, t), (_, l), (_, st)
            in zip(ev.asserted_recall.iterrows(), ev.trap_rate.iterrows(), ev.mention_lenient.iterrows(), ev.mention_strict.iterrows())]
    rows.append(("ALL", None, traps(ev.trap_rate[ev.trap_rate.label == "ALL"].iloc[0]), None, None))
    _print_table(console, "Mention level", ("label", "asserted recall", "traps reported as asserted", "lenient F1", "strict F1"), rows)
    if not ev.baselines.empty:
        _print_table(console, "Flag F1 side by side", ev.baselines.columns, ev.baselines.itertuples(index=False))
    if out is not None:
        typer.echo(f"metrics.json, report.md, errors_mentions.csv and errors_cases.csv written to {out}/")


def _compare(runs: list[Path], out: Optional[Path], console) -> None:
    from .evaluation.errors import compare_runs, load_cases_csv

    if len(runs) != 2:
        typer.echo("recordscan: error: --compare takes exactly two runs (give it twice)", err=True)
        raise typer.Exit(EXIT_USAGE)
    tables = [load_cases_csv(r / "cases.csv" if r.is_dir() else r) for r in runs]
    changed = compare_runs(*tables)
    if out is not None:
        from .io.writers import make_dir, open_secure

        make_dir(out)
        with open_secure(out / "changed_cases.csv", "w") as fh:
            changed.to_csv(fh, index=False)
    _print_table(console, f"{len(changed)} case/concern outcomes changed between {runs[0]} and {runs[1]}", changed.columns,
                 changed.head(200).itertuples(index=False))


@app.command()
def agreement(
    a: Path = typer.Argument(..., help="Annotator A's gold file (SCHEME.md JSON)"),
    b: Path = typer.Argument(..., help="Annotator B's gold file, same cases"),
    out: Optional[Path] = typer.Option(None, "--out", help="Write agreement.json here"),
):
    """Inter-annotator agreement: Cohen's kappa on case labels and span F1, per concern and label."""
    from rich.console import Console

    from .evaluation.agreement import agreement_report
    from .evaluation.gold import load_gold

    with _user_errors():
        report = agreement_report(load_gold(a), load_gold(b))
    console = Console()
    for name, df in report.items():
        if hasattr(df, "columns"):
            _print_table(console, name, df.columns, df.itertuples(index=False))
    if out is not None:
        from .io.writers import make_dir, write_json

        make_dir(out)
        write_json(out / "agreement.json", {k: (json.loads(v.to_json(orient="records")) if hasattr(v, "to_json") else v) for k, v in report.items()})


@app.command()
def convert(
    input: Path = typer.Argument(..., help="Gold annotations to convert"),
    out: Path = typer.Argument(..., help="Output file (a directory for brat)"),
    from_format: str = typer.Option("scheme", "--from", help="scheme, doccano, labelstudio, brat, prodigy"),
    to_format: str = typer.Option(..., "--to", help="scheme, doccano, labelstudio, brat, prodigy, docbin"),
):
    """Convert gold annotations between SCHEME.md JSON and the formats annotation tools use."""
    from .evaluation.formats import export_cases, import_cases

    with _user_errors():
        cases = import_cases(from_format, input)
        export_cases(cases, to_format, out)
    typer.echo(f"converted {len(cases)} cases from {from_format} to {to_format}: {out}")


def main() -> None:  # the console-script entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
