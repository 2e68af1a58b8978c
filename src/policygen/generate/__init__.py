"""The generator: profile + clause library (`clauses`) + recipe (`recipes`) ->
Document (`assemble`, with Jinja2 in `templating`); `run` is the entry point that
turns a profile into finished files; `clause_listing` shows the library."""
