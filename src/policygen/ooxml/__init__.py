"""Raw WordprocessingML shared by the readers, the writers and the reports:
namespaces (`names`), one XML part parsed safely (`xml_part`), a package as its
raw parts (`raw_package`), paragraph anchors, the visible text of a paragraph
and the Word comments part. No other package parses or edits OOXML directly."""
