"""PDF drafts: `reader` opens the file and picks `tagged` (the structure tree of a
PDF/UA export) or `layout` (ruled tables and heading fonts of an untagged PDF)."""
