"""Text rules (klarspråk and facts): `rules` loads the rule files, `checks` runs
them over a draft, `kinds/` holds one module per kind of rule, `examples` runs
the rules' own examples."""
