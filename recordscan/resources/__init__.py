"""Data shipped with recordscan: the repository's `lexicons/` and `models/` are installed as
`recordscan.resources.lexicons` and `recordscan.resources.models` (see pyproject.toml's package-dir)."""
