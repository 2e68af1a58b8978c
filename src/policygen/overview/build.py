"""Building an overview: every draft in a folder linted on all cores (with
the batch's progress bar), attributed to its kommun or region, and each
kommun's documents combined into one status per SKR part."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from pathlib import Path, PurePath

from policygen.errors import UserError
from policygen.lint.config import LintConfig
from policygen.lint.coverage.rules import load_rules
from policygen.lint.results import LintResult
from policygen.lint.run import lint_files
from policygen.overview.attribution import Owner, attribute
from policygen.overview.model import STATUS_RANK, DocumentRef, Entity, Overview, Part, PartStatus


class Interrupted(Exception):
    """Ctrl-C during the lint: the caller says how far it got and writes nothing."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__(f"{done} av {total}")
        self.done, self.total = done, total


def all_parts() -> list[Part]:
    return [Part(rule.coverage_id, rule.name) for rule in load_rules()]


def build_overview(paths: Iterable[Path], mapping: dict[str, Owner] | None = None, jobs: int | None = None,
                   show_progress: bool | None = False, created: str | None = None,
                   source: str | None = None) -> Overview:
    """Lint everything under `paths` and combine it per kommun."""

    paths = list(paths)
    run = lint_files(paths, None, LintConfig(), None, jobs, show_progress)
    if run.interrupted:
        raise Interrupted(len(run.results) + len(run.errors), len(run.files))
    roots = [p for p in paths if p.is_dir()]
    return combine(run.results, [(_relative(Path(f), roots), m) for f, m in run.errors], mapping or {}, roots,
                   created or now(), source or ", ".join(p.name or str(p) for p in paths))


def check_not_empty(overview: Overview) -> None:
    """Nothing to show: say why, instead of drawing an empty map."""
    if overview.entities:
        return
    if overview.errors and not overview.unattributed:
        file, message = overview.errors[0]
        raise UserError(f"inget dokument kunde läsas; det första: {file}: {message}",
                        hint="kontrollera sökvägen och att mappen innehåller .docx-, .pdf-, .txt- eller .md-filer")
    raise UserError("inget dokument kunde knytas till en kommun",
                    hint="döp filerna efter kommunen (ljungby-policy.docx), lägg dem i en mapp per kommun "
                         "eller ge en kommunlista (en CSV med kolumnerna fil och kommun)")


def now() -> str:
    return datetime.datetime.now().astimezone().strftime("%Y-%m-%dT%H:%M")


def _relative(path: Path, roots: list[Path]) -> PurePath:
    """The file's path within the folder the user gave: what the page and the
    open data show, never the absolute path of someone's disk."""
    return _within(path, roots)[1]


def _within(path: Path, roots: list[Path]) -> tuple[str, PurePath]:
    """(the name of the folder given, the path within it)."""
    for root in roots:
        try:
            return root.resolve().name, PurePath(path.resolve().relative_to(root.resolve()).as_posix())
        except ValueError:
            continue
    return "", PurePath(path.name)


def combine(results: list[LintResult], errors: list[tuple[PurePath, str]], mapping: dict[str, Owner],
            roots: list[Path], created: str, source: str) -> Overview:
    parts = all_parts()
    overview = Overview(created, source, parts, {}, errors=[(str(f), m) for f, m in errors])
    for result in sorted(results, key=lambda r: _relative(Path(r.file), roots).as_posix()):
        root, relative = _within(Path(result.file), roots)
        # The folder given counts as a folder too: `policygen oversikt Ljungby/`.
        owner, how = attribute(relative, result.kommun, mapping, root)
        if owner is None:
            overview.unattributed.append((relative.as_posix(), "varken kommunlistan, filnamnet, mappen eller "
                                                               "texten säger vilken kommun dokumentet gäller"))
            continue
        entity = overview.entities.get(owner.kod)
        if entity is None:
            entity = Entity(owner.kod, owner.namn, owner.kind, owner.lanskod, owner.lan)
            overview.entities[owner.kod] = entity
        name = relative.as_posix()
        entity.documents.append(DocumentRef(name, result.title, result.doc_type, how))
        for part in parts:
            coverage = result.coverage.get(part.id)
            if coverage is None:
                continue
            # The best status over the kommun's documents decides; on a tie the
            # first document (in path order) keeps it, so reruns agree.
            current = entity.parts.get(part.id)
            if current is not None and STATUS_RANK[coverage.status] <= STATUS_RANK[current.status]:
                continue
            evidence = coverage.evidence[0] if coverage.evidence else None
            entity.parts[part.id] = PartStatus(
                coverage.status, name if coverage.status != "missing" else "",
                evidence.text if evidence else "", (evidence.location.section or "") if evidence else "")
    for entity in overview.entities.values():
        for part in parts:
            entity.parts.setdefault(part.id, PartStatus("missing"))
    return overview
