"""Reading drafts: a DOCX, PDF, TXT or Markdown file -> the shared Document model.

`draft` chooses the reader by the file kind; `docx`, `text` and `pdf/` read each kind;
`structure` and `headings` say what a line of text is (metadata, heading, list item)."""
