"""Plumbing with no domain knowledge: reading user files, safe output, YAML,
schema validation, the cache, bundled data, the terminal, signals and batch runs."""
