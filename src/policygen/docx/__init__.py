"""Everything that touches WordprocessingML. Reading drafts: reader, with the
text a reader sees (deleted, moved-away and hidden text left out) in visible.
Writing documents: writer puts the document's text, written as
WordprocessingML by wordml, into a base that base prepares once per template
(python-docx helpers in ooxml, properties in package, template clean-up in
template_safety). The commented copy of a draft: comments, on the draft's raw
parts (raw_package, xml_part, comment_part). Raw XML appears nowhere else in
policygen; paragraph anchors are numbered and resolved by one function,
anchors.body_paragraphs."""
