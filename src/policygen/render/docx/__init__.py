"""Document model -> DOCX: `writer` writes the text as WordprocessingML (`wordml`)
into a base that `base` prepares once per template (python-docx work in
`oxml_helpers`, document properties in `properties`, a kommun template cleaned
by `template_safety`)."""
