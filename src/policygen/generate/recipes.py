"""Document recipes: which documents a style yields, their sections and slots."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from policygen.errors import UserError
from policygen.generate.templating import TemplateSyntaxError, compile_template
from policygen.infra.resources import templates_dir
from policygen.infra.validation import load_validated
from policygen.infra.yamlio import locate
from policygen.vocabulary import DOC_TYPES, STYLES, TOPICS

_TEXT = {"type": "string", "minLength": 1}
_CONTENT_ITEM = {
    "type": "object", "additionalProperties": False, "minProperties": 1,
    "properties": {
        "topic": {"enum": list(TOPICS), "description": "Alla klausuler i ämnet som passar dokumentet."},
        "clause": {"type": "string", "description": "En namngiven klausul."},
        "commitments": {"type": "array", "items": {"enum": list(TOPICS)},
                        "description": "Åtagandena (commitment) från klausulerna i dessa ämnen som en punktlista."},
        "intro": _TEXT,
        "activities": {"const": True, "description": "Handlingsplanens aktivitetstabell."},
        "text": {**_TEXT, "description": "Ett eget stycke (Jinja2)."},
        "headings": {"type": "boolean", "description": "Visa klausulernas rubriker (standard: ja)."},
        "as_doc_type": {"enum": list(DOC_TYPES), "description": "Välj klausuler som för denna dokumenttyp."},
        "when": _TEXT,
    },
}
RECIPE_SCHEMA: dict[str, Any] = {
    "type": "object", "additionalProperties": False, "required": ["style", "label", "documents"],
    "properties": {
        "style": {"enum": list(STYLES)},
        "label": _TEXT,
        "description": _TEXT,
        "documents": {"type": "array", "minItems": 1, "items": {
            "type": "object", "additionalProperties": False,
            "required": ["key", "doc_type", "title", "file_name", "sections"],
            "properties": {
                "key": {"type": "string", "pattern": "^[a-z]+$"},
                "doc_type": {"enum": list(DOC_TYPES)},
                "title": _TEXT,
                "file_name": {"type": "string", "pattern": "^[a-z0-9-]+$"},
                "metadata_from": {"enum": list(DOC_TYPES)},
                "sections": {"type": "array", "minItems": 1, "items": {
                    "type": "object", "additionalProperties": False, "required": ["content"],
                    "properties": {
                        "heading": _TEXT,
                        "level": {"type": "integer", "minimum": 1, "maximum": 3},
                        "content": {"type": "array", "minItems": 1, "items": _CONTENT_ITEM},
                    }}},
            }}},
    },
}


@dataclass(frozen=True)
class Slot:
    topic: str | None = None
    clause: str | None = None
    commitments: tuple[str, ...] = ()
    intro: str | None = None
    activities: bool = False
    text: str | None = None
    headings: bool = True
    as_doc_type: str | None = None
    when: str | None = None


@dataclass(frozen=True)
class Section:
    heading: str | None
    level: int
    content: tuple[Slot, ...]


@dataclass(frozen=True)
class DocumentRecipe:
    key: str
    doc_type: str
    title: str
    file_name: str
    metadata_from: str
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class StyleRecipe:
    style: str
    label: str
    documents: tuple[DocumentRecipe, ...]
    path: Path

    def document(self, key: str) -> DocumentRecipe:
        for document in self.documents:
            if key in (document.key, document.doc_type):
                return document
        valid = ", ".join(d.key for d in self.documents)
        raise UserError(f"stilen {self.style} har inget dokument '{key}'", hint=f"välj något av: {valid}")


def load_recipe(path: Path) -> StyleRecipe:
    """A style's recipe file. A file that has passed its checks before and has
    not changed comes from the validated-data cache, without parsing YAML."""
    data, _ = load_validated(path, "receptfilen", RECIPE_SCHEMA, "jämför med templates/sv/ljungby/recipe.yaml",
                             check=_check_recipe)
    documents = []
    for doc in data["documents"]:
        sections = []
        for section in doc["sections"]:
            slots = tuple(Slot(item.get("topic"), item.get("clause"), tuple(item.get("commitments", ())),
                               item.get("intro"), bool(item.get("activities")), item.get("text"),
                               item.get("headings", True), item.get("as_doc_type"), item.get("when"))
                          for item in section["content"])
            sections.append(Section(section.get("heading"), section.get("level", 1), slots))
        documents.append(DocumentRecipe(doc["key"], doc["doc_type"], doc["title"], doc["file_name"],
                                        doc.get("metadata_from", doc["doc_type"]), tuple(sections)))
    return StyleRecipe(data["style"], data["label"], tuple(documents), path)


def _check_recipe(data: dict[str, Any], root: Any, path: Path) -> None:
    """What the schema cannot say: one kind of content per row, templates
    compile, and the style is the folder's name."""
    for d_index, doc in enumerate(data["documents"]):
        for s_index, section in enumerate(doc["sections"]):
            for c_index, item in enumerate(section["content"]):
                key_path = ["documents", d_index, "sections", s_index, "content", c_index]
                kinds = [k for k in ("topic", "clause", "commitments", "activities", "text") if k in item]
                if len(kinds) != 1:
                    line, column = locate(root, key_path)
                    raise UserError("varje innehållsrad ska ha exakt en av topic, clause, commitments, activities, text",
                                    file=path, line=line, column=column, hint="dela upp raden")
                for key in ("text", "intro"):
                    if key in item:
                        _check_template(item[key], path, root, key_path + [key])
            if "heading" in section:
                _check_template(section["heading"], path, root, ["documents", d_index, "sections", s_index, "heading"])
        _check_template(doc["title"], path, root, ["documents", d_index, "title"])
    if data["style"] != path.parent.name:
        line, column = locate(root, ["style"])
        raise UserError(f"receptet anger stilen '{data['style']}' men ligger i mappen '{path.parent.name}'",
                        file=path, line=line, column=column, hint="låt style: vara samma som mappens namn")


def _check_template(text: str, path: Path, root: Any, key_path: list[Any]) -> None:
    try:
        compile_template(text)
    except TemplateSyntaxError as exc:
        line, column = locate(root, key_path)
        raise UserError(f"fel i mallsyntaxen: {exc.message}", file=path, line=line, column=column,
                        hint="kontrollera {{ … }} och {% … %}") from None


@cache
def load_recipes(directory: Path | None = None) -> dict[str, StyleRecipe]:
    directory = directory or templates_dir()
    recipes = {}
    for recipe_path in sorted(directory.glob("*/recipe.yaml")):
        recipe = load_recipe(recipe_path)
        recipes[recipe.style] = recipe
    return recipes


def recipe_for(style: str) -> StyleRecipe:
    recipes = load_recipes()
    if style not in recipes:
        raise UserError(f"okänd stil: '{style}'", hint="giltiga stilar: " + ", ".join(sorted(recipes)))
    return recipes[style]
