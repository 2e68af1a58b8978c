"""Everything that touches WordprocessingML: reading drafts (reader), writing
documents (writer: the document's text as WordprocessingML from wordml, put
into a base prepared once per template by base, with python-docx helpers in
ooxml and the properties in package) and the commented copy of a draft
(comments). Raw XML appears nowhere else in policygen; paragraph anchors are
numbered and resolved by one function, anchors.body_paragraphs."""
