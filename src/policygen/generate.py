"""The generator's library entry point: profile → finished files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from policygen.assemble import assemble
from policygen.clauses import ClauseLibrary, load_library
from policygen.errors import UserError
from policygen.model import Document
from policygen.output import OutputPlan, Staged, commit_staged, discard_staged, stage_all, windows_safe_name, write_all
from policygen.profile import Profile
from policygen.readiness import OpenItem
from policygen.recipes import recipe_for
from policygen.render.formats import extensions, render_formats

if TYPE_CHECKING:  # the batch machinery is imported only when --all-kommuner runs
    from policygen.batch import BatchReport


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


# -- every kommun in one run ------------------------------------------------------

def _override_files(folder: Path | None) -> dict[str, Path]:
    """Per-kommun profile files in `folder`, keyed by kommunkod; named by code or name."""
    from policygen.kommuner import find_kommun

    if folder is None:
        return {}
    if not folder.is_dir():
        raise UserError("mappen med kommunprofiler finns inte", file=folder,
                        hint="ange en mapp med filer som 0781.yaml eller ljungby.yaml")
    found: dict[str, Path] = {}
    for path in sorted(folder.glob("*.yaml")):
        kommun = find_kommun(path.stem.replace("-", " ")) or find_kommun(path.stem)
        if kommun is None:
            raise UserError(f"filnamnet '{path.name}' är ingen kommun i kommunlistan", file=path,
                            hint="döp filen efter kommunkoden (0781.yaml) eller namnet (ljungby.yaml)")
        if kommun.kod in found:
            raise UserError(f"{kommun.namn} har två profiler: {found[kommun.kod].name} och {path.name}",
                            file=path, hint="slå ihop dem till en fil")
        found[kommun.kod] = path
    return found


def kommun_profiles(defaults: Path, overrides: Path | None = None) -> list[tuple[str, Profile | UserError]]:
    """One profile per kommun in the bundled table: the shared defaults, the
    kommun's identity, then the kommun's own file if there is one. A kommun whose
    profile is wrong gets its error instead, so the batch can go on."""
    from policygen.kommuner import all_kommuner
    from policygen.profile import merge, profile_from_data, read_profile_data

    shared = read_profile_data(defaults)
    files = _override_files(overrides)
    profiles: list[tuple[str, Profile | UserError]] = []
    for kommun in all_kommuner():
        identity = {"kommun": {"namn": kommun.namn, "kommunkod": kommun.kod}}
        profile: Profile | UserError
        try:
            if kommun.kod in files:
                own = read_profile_data(files[kommun.kod])
                profile = profile_from_data(merge(merge(shared, identity), own), files[kommun.kod])
            else:
                profile = profile_from_data(merge(shared, identity), defaults)
        except UserError as error:
            profile = error
        profiles.append((kommun.namn, profile))
    return profiles


def _generate_task(task: tuple[Profile, Path, list[str] | None, str, bool, bool]) -> list[Staged]:
    profile, out_dir, doc_keys, fmt, force, draft = task
    staged: list[Staged] = []
    generate(profile, out_dir, doc_keys, fmt, force=force, draft=draft, staged=staged)
    return staged


def generate_all_kommuner(defaults: Path, out_dir: Path, overrides: Path | None = None,
                          doc_keys: list[str] | None = None, fmt: str = "docx", force: bool = False,
                          jobs: int | None = None, show_progress: bool | None = None,
                          draft: bool = False) -> BatchReport[list[Path]]:
    """Every kommun's documents, in parallel. Existing files are found before
    anything is written, so a second run without --force stops at once."""
    from policygen.batch import Outcome, run_batch

    load_library()  # loaded before the workers fork, so they share it
    profiles = kommun_profiles(defaults, overrides)
    tasks: list[tuple[Profile, Path, list[str] | None, str, bool, bool]] = []
    names: list[str] = []
    early: list[Outcome[list[Path]]] = []
    # One plan for the whole run: two kommuner never share a file, and no
    # profile is written over.
    plan = OutputPlan(out_dir, force, inputs=[defaults, *_override_files(overrides).values()])
    for name, profile in profiles:
        if isinstance(profile, UserError):
            early.append(Outcome(name, error=str(profile)))
            continue
        plan_outputs(plan, profile, doc_keys, fmt)
        tasks.append((profile, Path(out_dir), doc_keys, fmt, force, draft))
        names.append(name)
    report = run_batch(_generate_task, tasks, names, jobs, show_progress, "Skapar")
    committed = _commit_run(report, force)
    committed.outcomes = early + committed.outcomes
    committed.total += len(early)
    return committed


def _commit_run(report: BatchReport[list[Staged]], force: bool) -> BatchReport[list[Path]]:
    """All or nothing: every kommun's files were written to temporaries; they
    are renamed into place only if no job failed (a full disk, a read-only
    folder, a document that could not be built). After Ctrl-C the finished
    kommuner are kept, so the count printed is the count on disk. The report
    returned holds the final paths."""
    staged = [pair for outcome in report.succeeded for pair in outcome.value or []]
    try:
        if report.failed and not report.interrupted:
            first = (report.failed[0].error or "").splitlines()[0]
            raise UserError(f"{len(report.failed)} av {report.total} kommuner kunde inte skapas, och därför har "
                            f"inga filer skrivits. Första felet: {first}",
                            hint="rätta felet och kör igen; de andra kommunernas filer skrivs då också")
        commit_staged(staged, force)
    finally:
        discard_staged(staged)
    from policygen.batch import BatchReport, Outcome

    outcomes = [Outcome(o.name, None if o.error is not None else [path for _, path in o.value or []], o.error)
                for o in report.outcomes]
    return BatchReport(outcomes, report.total, report.interrupted)
