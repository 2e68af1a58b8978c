"""Everything that touches WordprocessingML: reading drafts (reader), writing
documents (writer, with the raw OOXML helpers in ooxml and the package
clean-up in package) and the commented copy of a draft (comments). Raw XML
appears nowhere else in policygen; paragraph anchors are numbered and
resolved by one function, ooxml.body_paragraphs."""
