"""Read the fields of an HTML form the way a browser would submit them, so the
web tests post exactly what the page offers."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._select_value: str | None = None
        self._first_option: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.inside = attributes.get("action") == self.action and attributes.get("method") == "post"
            return
        if not self.inside:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in attributes:
                    self.fields.append((name, attributes.get("value", "on")))
            elif kind not in ("file", "submit"):
                self.fields.append((name, attributes.get("value") or ""))
        elif tag == "select" and name:
            self._select, self._select_value, self._first_option = name, None, None
        elif tag == "option" and self._select is not None:
            value = attributes.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in attributes:
                self._select_value = value

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select is not None:
            chosen = self._select_value if self._select_value is not None else self._first_option or ""
            self.fields.append((self._select, chosen))
            self._select = None


def form_fields(html: str, action: str) -> list[tuple[str, str]]:
    reader = _FormReader(action)
    reader.feed(html)
    return reader.fields


def replace(fields: list[tuple[str, str]], **values: str) -> list[tuple[str, str]]:
    """Set fields by name (dots written as __), adding those not in the form."""
    wanted = {name.replace("__", "."): value for name, value in values.items()}
    result = [(name, wanted.pop(name)) if name in wanted else (name, value) for name, value in fields]
    return result + list(wanted.items())
