"""Lint result -> reports: Swedish text (`text`), a self-contained HTML page
(`html`), SARIF 2.1.0 (`sarif`), JSON, all through `formats.render_report`; a
copy of the Word draft with a comment per finding (`word_comments`); the
rules reference generated from the rule files (`rules_reference`); and the
notice of what a configuration changed (`config_notice`)."""
