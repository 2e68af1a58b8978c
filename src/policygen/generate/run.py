"""The generator's library entry point: profile → finished files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from policygen.errors import UserError
from policygen.generate.assemble import assemble
from policygen.generate.clauses import ClauseLibrary, load_library
from policygen.generate.recipes import recipe_for
from policygen.infra.output import (
    OutputPlan,
    Staged,
    stage_all,
    windows_safe_name,
    write_all,
)
from policygen.model import Document
from policygen.profile.load import Profile
from policygen.profile.readiness import OpenItem
from policygen.render.formats import extensions, render_formats


@dataclass(frozen=True)
class GeneratedFile:
    path: Path
    document: Document


class NotReadyError(UserError):
    """The profile still has open items and no draft was asked for."""

    def __init__(self, items: tuple[OpenItem, ...]) -> None:
        listing = "\n".join(f"  {item}" for item in items)
        super().__init__(
            f"profilen är inte klar för beslut – {len(items)} "
            f"{'sak' if len(items) == 1 else 'saker'} återstår:\n{listing}",
            hint="byt ut TODO-texterna mot det som gäller hos er (eller ta bort valfria fält), svara ja "
                 "eller nej på valen och rätta datumen; vill du se ett utkast först, lägg till --utkast")
        self.items = items

    def __reduce__(self):  # batch workers send errors between processes
        return NotReadyError, (self.items,)

    def __str__(self) -> str:  # the items carry their own places
        return f"{self.message}\n  Gör så här: {self.hint}"


def file_stem(profile: Profile, file_name: str) -> str:
    """The name a document's files get, before it is made safe (OutputPlan.add)."""
    # The kommun part is shortened first, so a very long name still leaves the
    # documents' own names, and so different file names, in place.
    kommun = windows_safe_name(profile.kommun_namn.lower().replace(' ', '-'), max_bytes=80)
    return f"{kommun}-{file_name}"


def plan_outputs(plan: OutputPlan, profile: Profile, doc_keys: list[str] | None, fmt: str,
                 style: str | None = None) -> list[list[Path]]:
    """Claim in `plan` every file the profile's documents will be written to;
    per document, its paths in the order of extensions(fmt)."""
    recipe = recipe_for(style or profile.style)
    recipes = [recipe.document(key) for key in doc_keys] if doc_keys else list(recipe.documents)
    return [[plan.add(file_stem(profile, doc_recipe.file_name), extension, owner=profile.kommun_namn)
             for extension in extensions(fmt)]
            for doc_recipe in recipes]


def build_documents(profile: Profile, doc_keys: list[str] | None = None, style: str | None = None,
                    library: ClauseLibrary | None = None, draft: bool = False) -> list[tuple[str, Document]]:
    """The profile's documents in memory, each with its file stem; for callers
    that write nothing to disk (the web page). Refuses a profile with open
    items unless `draft` is set, and then marks every document as a draft."""
    if profile.open_items and not draft:
        raise NotReadyError(profile.open_items)
    library = library or load_library()
    recipe = recipe_for(style or profile.style)
    recipes = [recipe.document(key) for key in doc_keys] if doc_keys else list(recipe.documents)
    built = []
    for doc_recipe in recipes:
        document = assemble(profile, doc_recipe.key, library, recipe)
        document.draft = bool(profile.open_items)
        built.append((file_stem(profile, doc_recipe.file_name), document))
    return built


def generate(profile: Profile, out_dir: Path, doc_keys: list[str] | None = None, fmt: str = "docx",
             reference_docx: Path | None = None, force: bool = False, style: str | None = None,
             library: ClauseLibrary | None = None, draft: bool = False,
             staged: list[Staged] | None = None) -> list[GeneratedFile]:
    """Assemble and write the profile's documents. Everything is built and every
    target checked before the first file is written, so an error leaves no
    partial set behind.

    A profile with open items (profile.open_items) is refused with all of them
    listed, unless `draft` is set: then the documents are written marked as
    drafts (Document.draft), and the caller shows the items as warnings."""
    built = build_documents(profile, doc_keys, style, library, draft)
    plan = OutputPlan(out_dir, force, inputs=(profile.source, reference_docx))
    paths = plan_outputs(plan, profile, doc_keys, fmt, style)
    documents = [document for _, document in built]
    planned = [(path, files[extension], document)
               for targets, document, files in zip(paths, documents, render_formats(documents, fmt, reference_docx))
               for extension, path in zip(extensions(fmt), targets)]
    files = [(path, content) for path, content, _ in planned]
    if staged is not None:
        # Written to temporaries only; the caller renames a whole run's files at once.
        staged += stage_all(files, force=force, inputs=(profile.source, reference_docx))
    else:
        write_all(files, force=force, inputs=(profile.source, reference_docx))
    return [GeneratedFile(path, document) for path, _, document in planned]
