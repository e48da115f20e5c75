"""spaCy components of the recordscan pipeline, one module per component."""
