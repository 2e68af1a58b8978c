"""Document model -> files for people: DOCX (`docx/`, with the kommun's own Word
template when given), a Markdown preview (`markdown`) and a tagged PDF through
LibreOffice (`pdf`). `formats` turns a --format choice into files; `layout`
decides table column widths before anything is written."""
