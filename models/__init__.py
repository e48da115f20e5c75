"""Data directory, importable so that importlib.resources finds it in editable and wheel installs alike."""
