"""From review to revision: a draft's findings made as changes the reviewer
accepts or rejects. The one function the command line and the web page call.

- DOCX: a new DOCX with every safe fix as a Word tracked change by
  "policygen", a comment beside each, and the other findings as comments.
- TXT and Markdown: a revised copy and a diff that says what changed and why.
- PDF: refused with a message; a revision needs the Word file.

The draft itself is never written."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from policygen.errors import UserError
from policygen.infra.output import write_all
from policygen.lint.results import LintResult
from policygen.profile.load import Profile
from policygen.read.draft import read_document
from policygen.read.text import decode
from policygen.report.revision_docx import write_revised_docx
from policygen.report.revision_plan import plan_revision
from policygen.report.revision_text import revise_text

TEXT_SUFFIXES = (".txt", ".md", ".markdown")


@dataclass(frozen=True)
class Revision:
    """What was written: the revised copy (and for text drafts the diff), with counts."""
    copy: Path
    diff: Path | None
    changes: int          # replacements made as tracked changes (or in the text)
    insertions: int       # clauses inserted for missing or partial parts
    comments: int         # findings left as comments (or, for text, not changed)

    def sentence(self) -> str:
        """One Swedish line for the terminal and the web page."""
        made = f"{self.changes} ändringar och {self.insertions} infogade avsnitt"
        if self.diff is None:
            return (f"Skapade {self.copy} med {made} som spårade ändringar och {self.comments} kommentarer.")
        return f"Skapade {self.copy} med {made}, och ändringslistan {self.diff}."


def diff_path(target: Path) -> Path:
    """Where the diff of a revised text draft goes: beside the copy, ending in .diff."""
    return target.with_name(target.name + ".diff")


def revise_draft(source: Path, result: LintResult, target: Path, profile: Profile | None = None,
                 force: bool = False) -> Revision:
    """Write the revised copy of `source` (linted as `result`) to `target`."""
    check_revisable(source, target)
    suffix = source.suffix.lower()
    if suffix == ".docx":
        document = read_document(source)
        plan = plan_revision(result, document, profile)
        data, made = write_revised_docx(source, result, document, plan)
        write_all([(target, data)], force=force, inputs=[source])
        return Revision(target, None, made.changes, made.insertions, made.comments)
    document = read_document(source)
    plan = plan_revision(result, document, profile)
    original = decode(source.read_bytes(), source)
    revised = revise_text(original, source.name, document, plan, markdown=suffix != ".txt")
    diff = diff_path(target)
    write_all([(target, revised.text), (diff, revised.diff)], force=force, inputs=[source])
    return Revision(target, diff, revised.changes, revised.insertions, revised.left)


def check_revisable(source: Path, target: Path) -> None:
    """Refuse, before any work, a draft that cannot be revised or a copy that would overwrite it."""
    suffix = source.suffix.lower()
    if suffix == ".pdf":
        raise UserError("en reviderad version med spårade ändringar kan inte göras av en PDF", file=source,
                        hint="granska Word-filen (.docx) som PDF:en gjordes av; den kan få ändringarna som "
                             "spårade ändringar, eller använd --annotate för en kopia med kommentarer")
    if target.resolve() == source.resolve():
        raise UserError("den reviderade kopian kan inte skrivas över originalet", file=target,
                        hint="ange ett annat filnamn, t.ex. utkast-reviderat" + suffix)
    if suffix == ".docx" and target.suffix.lower() != ".docx":
        raise UserError("den reviderade kopian av ett Word-dokument ska sluta på .docx", file=target,
                        hint="t.ex. utkast-reviderat.docx")
    if suffix in TEXT_SUFFIXES and target.suffix.lower() != suffix:
        raise UserError(f"den reviderade kopian ska ha samma filändelse som utkastet ({suffix})", file=target,
                        hint=f"t.ex. utkast-reviderat{suffix}")
    if suffix in (".docx", *TEXT_SUFFIXES):
        return
    raise UserError(f"filtypen '{source.suffix or '(ingen)'}' kan inte revideras", file=source,
                    hint="revidera en .docx-, .txt- eller .md-fil")

