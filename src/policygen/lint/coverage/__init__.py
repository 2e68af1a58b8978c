"""Coverage of the twelve parts: `rules` (lint_rules/skr.yaml) and `judge`
(present, partial or missing from the draft's statements)."""
