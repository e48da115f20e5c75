"""recordscan: find concerns in children's social care case notes that were never followed up."""

from __future__ import annotations

__version__ = "0.1.0"

from .concepts import CONCERNS, LABELS, STATUSES  # noqa: E402

__all__ = ["__version__", "CONCERNS", "LABELS", "STATUSES"]
