"""The generator's library entry point: profile → finished files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from policygen.assemble import assemble
from policygen.clauses import ClauseLibrary, load_library
from policygen.errors import UserError
from policygen.model import Document
from policygen.output import check_writable, write_atomic
from policygen.profile import Profile
from policygen.recipes import recipe_for
from policygen.render.docx_writer import render_docx
from policygen.render.markdown import render_markdown

FORMATS = ("docx", "md")


@dataclass(frozen=True)
class GeneratedFile:
    path: Path
    document: Document


def file_stem(profile: Profile, file_name: str) -> str:
    return f"{profile.kommun_namn.lower().replace(' ', '-')}-{file_name}"


def generate(profile: Profile, out_dir: Path, doc_keys: list[str] | None = None, fmt: str = "docx",
             reference_docx: Path | None = None, force: bool = False, style: str | None = None,
             library: ClauseLibrary | None = None) -> list[GeneratedFile]:
    """Assemble and write the profile's documents. Everything is built and every
    target checked before the first file is written, so an error leaves no
    partial set behind."""
    if fmt not in FORMATS:
        raise UserError(f"okänt format: '{fmt}'", hint="välj docx eller md")
    library = library or load_library()
    recipe = recipe_for(style or profile.style)
    recipes = [recipe.document(key) for key in doc_keys] if doc_keys else list(recipe.documents)
    planned = []
    for doc_recipe in recipes:
        document = assemble(profile, doc_recipe.key, library, recipe)
        path = Path(out_dir) / f"{file_stem(profile, doc_recipe.file_name)}.{fmt}"
        check_writable(path, force)
        content = render_docx(document, reference_docx) if fmt == "docx" else render_markdown(document)
        planned.append((path, content, document))
    for path, content, _ in planned:
        write_atomic(path, content, force=force)
    return [GeneratedFile(path, document) for path, _, document in planned]
