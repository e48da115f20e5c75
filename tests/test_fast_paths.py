"""The shortcuts case assembly takes for speed give what the plain way gives, and leave the process as they found it."""

from __future__ import annotations

import csv
import gc

import pytest
from spacy.tokens import Doc

from recordscan.extensions import _DOC_EXTENSIONS, doc_value
from recordscan.io.writers import CsvTable
from recordscan.scan import BATCH_GC_THRESHOLD, FOLLOWUP_COLUMNS, MENTION_COLUMNS, batch_garbage_collection
from recordscan.tagging import FollowupRecord, MentionRecord


@pytest.mark.parametrize("text", ["Mum\u2019s GP&amp;HV<br>visit", "plain text", ""])
def test_doc_value_reads_what_doc_underscore_reads(nlp, text):
    doc = nlp(text)
    blank = Doc(nlp.vocab, words=["x"])  # nothing set: every attribute has its default
    for name in _DOC_EXTENSIONS:
        assert doc_value(doc, name) is doc._.get(name)
        assert doc_value(blank, name) is blank._.get(name)


def test_records_are_written_in_the_tables_column_order(tmp_path):
    mention = MentionRecord("C-1", "N-1", "GP_CONTACT", 3, 5, "GP", "affirmed", None)
    followup = FollowupRecord("C-1", "N-1", "gp_contact", 0, 9, "GP called", "completed", "contact", "GP, \"Dr\" Shah")
    for record, columns in ((mention, MENTION_COLUMNS), (followup, FOLLOWUP_COLUMNS)):
        path = tmp_path / "t.csv"
        table = CsvTable(path, columns)
        table.write_values(record.values())
        table.write(record.as_dict())  # the dictionary route gives the same row
        table.close()
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        expected = {k: "" if v is None else str(v) for k, v in record.as_dict().items()}
        assert rows == [expected, expected]


def test_batch_garbage_collection_restores_the_collector_even_after_an_error():
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    with pytest.raises(RuntimeError):
        with batch_garbage_collection():
            assert gc.get_threshold()[0] >= BATCH_GC_THRESHOLD
            assert gc.get_freeze_count() > 0
            raise RuntimeError("stop")
    assert gc.get_threshold() == before and gc.get_freeze_count() == frozen


def test_batch_garbage_collection_leaves_a_callers_settings_alone():
    before = gc.get_threshold()
    try:
        gc.set_threshold(0)  # the caller turned collection off
        gc.freeze()  # and froze its own objects
        frozen = gc.get_freeze_count()
        with batch_garbage_collection():
            assert gc.get_threshold()[0] == 0
        assert gc.get_threshold()[0] == 0 and gc.get_freeze_count() == frozen  # not unfrozen
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
