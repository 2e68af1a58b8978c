"""Renderers from the shared Document model to DOCX and Markdown."""
