"""Document work for the web page: the functions the workers run (web/pool.py).

Everything here calls the library; nothing is stored after the call returns:
an upload lies in the request's private folder, which the server removes."""

from __future__ import annotations

import base64
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from policygen.errors import LimitExceeded, UserError
from policygen.generate.assemble import clause_preview
from policygen.generate.clauses import load_library
from policygen.generate.recipes import load_recipes
from policygen.generate.run import build_documents
from policygen.generate.starter_profile import starter_profile
from policygen.infra.output import windows_safe_name
from policygen.infra.validation import schema_problems
from policygen.infra.yamlio import load_yaml, parse_yaml, to_plain
from policygen.kommuner import all_kommuner
from policygen.lint.catalog import rule_catalog
from policygen.lint.engine import lint_documents
from policygen.lint.many import preload as preload_linter
from policygen.profile.load import merge, profile_from_data, profile_schema
from policygen.read.draft import read_document
from policygen.render.docx.base import prepared_base
from policygen.render.formats import render_formats
from policygen.report.formats import MEDIA_TYPES, render_report
from policygen.report.revision import revise_draft
from policygen.report.word_comments import annotate_docx
from policygen.web.interview import kommun_of, style_of
from policygen.web.interview import steps as interview_steps
from policygen.web.pages import render_page
from policygen.web.views import document_view, review_view

log = logging.getLogger("policygen.web")


def preload() -> None:
    """Everything the linter needs (as for a batch lint), plus recipes, the kommun
    table, the schema validator and the built-in Word base, loaded once at
    start-up instead of on the first request; the forked workers share it."""

    preload_linter(workers=True)
    load_recipes()
    all_kommuner()
    rule_catalog()
    schema_problems({}, profile_schema())
    prepared_base(None)
    interview_steps()  # the interview's questions, checked against the schema at start


# -- review ------------------------------------------------------------------------

SAFE_SUFFIXES = (".docx", ".pdf", ".txt", ".md", ".markdown")


@dataclass
class Download:
    file_name: str
    media_type: str
    content: bytes
    label: str = ""      # what the link says, when more than the file name

    @property
    def data_url(self) -> str:
        return f"data:{self.media_type};base64,{base64.b64encode(self.content).decode('ascii')}"

    @property
    def size_text(self) -> str:
        size = len(self.content)
        return f"{size / 1024:.0f} kB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB".replace(".", ",")


@dataclass
class Review:
    result: Any                     # LintResult
    downloads: list[Download]
    clause_texts: dict[str, Any]    # clause id → rendered Document for this kommun


def draft_suffix(display_name: str) -> str:
    suffix = Path(display_name).suffix.lower()
    if suffix not in SAFE_SUFFIXES:
        raise UserError(f"filtypen '{suffix or '(ingen)'}' stöds inte", file=display_name,
                        hint="spara utkastet som .docx, .pdf, .txt eller .md och ladda upp det igen")
    return suffix


def review_upload(draft: Path, display_name: str, doc_type: str | None, kommun: str | None) -> Review:
    """Lint one uploaded draft (lying in the request's folder); the commented
    copy, HTML, JSON and SARIF reports are made at once, because nothing is
    kept for a later request."""

    suffix = draft_suffix(display_name)
    stem = _safe_stem(display_name)
    folder = draft.parent
    result = lint_upload(draft, display_name, doc_type, kommun)
    downloads = [Download(f"{stem}-granskning.{fmt}", MEDIA_TYPES[fmt],
                          render_report(fmt, [result], [], rule_catalog(), single=True).encode("utf-8"))
                 for fmt in ("html", "json", "sarif")]
    if suffix == ".docx":
        copy = folder / "granskad.docx"
        annotate_docx(draft, result, copy)
        downloads.insert(0, Download(f"{stem}-granskad.docx", DOCX_TYPE, copy.read_bytes()))
        revised = folder / "reviderad.docx"
        revise_draft(draft, result, revised)
        downloads.insert(1, Download(f"{stem}-reviderad.docx", DOCX_TYPE, revised.read_bytes(),
                                     "Ladda ner reviderat utkast (spårade ändringar)"))
    return Review(result, downloads, _clause_texts(result))


def lint_upload(draft: Path, display_name: str, doc_type: str | None, kommun: str | None) -> Any:
    """The LintResult of one uploaded draft, named by the name it was uploaded
    under; an unreadable file is a UserError naming that name, never the
    request folder's path."""

    draft_suffix(display_name)
    try:
        document = read_document(draft)
    except UserError as error:
        raise type(error)(error.message, file=display_name, hint=error.hint) from None
    except MemoryError:
        raise  # the worker reports it and is replaced
    except Exception as error:  # a corrupt or hostile file must never become a server error
        log.warning("utkast gick inte att läsa: %s", type(error).__name__)
        raise UserError("filen gick inte att läsa; den kan vara skadad eller inte vara det den heter",
                        file=display_name,
                        hint="öppna filen i Word eller en PDF-läsare, spara den på nytt och ladda upp igen") from None
    document.source = display_name
    return lint_documents([document], doc_type, kommun=kommun)[0]


def review_page(draft: Path, display_name: str, doc_type: str | None, kommun: str | None) -> str:
    """The review's whole result page, rendered in the worker: a page of
    hundreds of findings with its reports as downloads is megabytes, and
    building it in the server would hold up every other user."""
    review = review_upload(draft, display_name, doc_type, kommun)
    return render_page("granskning.html.j2", title=f"Granskning – {review.result.title or display_name}",
                       review=review_view(review))


def _clause_texts(result: Any) -> dict[str, Any]:
    """Each suggested clause rendered for the draft's kommun (its starter
    profile: values the kommun must still decide read as TODO)."""

    wanted = {s.id for f in result.findings for s in f.suggestions}
    kommun = next((k for k in all_kommuner() if k.officiellt_namn == result.kommun), None)
    if not wanted or kommun is None:
        return {}
    profile = starter_profile_for(kommun.namn, "markaryd")
    library = load_library()
    texts = {}
    for clause_id in sorted(wanted):
        try:
            texts[clause_id] = clause_preview(profile, library.get(clause_id), result.doc_type, library)
        except UserError:
            continue  # a clause that needs a value no starter profile has: the title is shown alone
    return texts


_TODO_VALUE = re.compile(r"^TODO:\s*(?P<what>.*?)(?:,\s*(?:t\.ex\.|en per rad).*)?$", re.S)


def starter_profile_for(kommun: str, style: str):
    """The kommun's starter profile for clause previews, each value still to
    decide written as a short [gap] a reviewer fills in when copying the text."""

    def gaps(node: Any) -> Any:
        if isinstance(node, dict):
            return {key: gaps(value) for key, value in node.items()}
        if isinstance(node, list):
            return [gaps(value) for value in node]
        if isinstance(node, str) and node.startswith("TODO:") and "ja eller nej" not in node:
            match = _TODO_VALUE.match(node)
            return f"[{match.group('what').strip()}]" if match else node
        return node

    return profile_from_data(gaps(starter_data(kommun, style)), Path("startprofil.yaml"))


def starter_data(kommun: str, style: str) -> dict[str, Any]:
    import copy

    return copy.deepcopy(_starter_data(kommun, style))


@lru_cache(maxsize=64)
def _starter_data(kommun: str, style: str) -> dict[str, Any]:
    # Parsing the starter YAML is the slow part of opening a form; colleagues
    # in one kommun open the same one.

    return to_plain(parse_yaml(starter_profile(kommun, style), "startprofil.yaml"))


def _safe_stem(name: str) -> str:
    stem = Path(name.replace("\\", "/")).name.rsplit(".", 1)[0] or "utkast"
    return windows_safe_name(stem)[:80] or "utkast"


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# -- profiles uploaded to continue ------------------------------------------------

MAX_PROFILE_BYTES = 1024 * 1024


# A profile has a few hundred values; a file with thousands is not one, and
# building a form of it would occupy a worker for seconds.
MAX_PROFILE_VALUES = 5_000


def profile_data_from_upload(path: Path, display_name: str) -> dict[str, Any]:
    """A saved profile (lying in the request's folder), read like the CLI
    reads one, without `arv:` (which would read other files on the server)."""

    if path.stat().st_size > MAX_PROFILE_BYTES:
        raise LimitExceeded("profilen är större än 1 MB", file=display_name,
                            hint="ladda upp profilfilen (.yaml) du sparade")
    not_a_profile(path, display_name)
    try:
        root = load_yaml(path, "profilen")
    except UserError as error:
        raise type(error)(error.message, file=display_name, line=error.line, column=error.column,
                          hint=error.hint) from None
    data = to_plain(root)
    if _count_values(data) > MAX_PROFILE_VALUES:
        raise LimitExceeded(f"profilen har fler än {MAX_PROFILE_VALUES:,} värden".replace(",", " "), file=display_name,
                            hint="ladda upp en profil som sparats från den här sidan")
    if not isinstance(data, dict):
        raise UserError("profilen ska vara en YAML-karta med fält som kommun:, stil: och ansvar:",
                        file=display_name, line=1, hint="ladda upp en profil som sparats från den här sidan")
    if "arv" in data:
        raise UserError("profiler med 'arv:' kan inte laddas upp här", file=display_name,
                        hint="ta bort raden 'arv:' och skriv in de gemensamma värdena i filen")
    if "kommun" in data and not isinstance(data["kommun"], dict):
        raise UserError("'kommun' ska ha namn: och kommunkod: på egna rader under sig", file=display_name,
                        hint="skriv till exempel kommun: och på nästa rad, indraget, namn: Kiruna")
    if "stil" in data and not isinstance(data["stil"], str):
        raise UserError("'stil' ska vara markaryd eller ljungby", file=display_name,
                        hint="skriv till exempel stil: markaryd")
    return data


def _count_values(node: Any) -> int:
    count, stack = 0, [node]
    while stack and count <= MAX_PROFILE_VALUES:
        item = stack.pop()
        count += 1
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return count


def profile_yaml(data: dict[str, Any], kommun: str) -> str:
    """The form's profile as a YAML file the CLI and this page both read."""
    import io

    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.allow_unicode = True
    yaml.default_flow_style = False
    yaml.width = 4096
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    # The kommun's name is a value from the form: in the comment it is one line
    # (a line break in it would start a YAML key of its own), and short.
    kommun = " ".join(str(kommun).split())[:80]
    return (f"# Kommunprofil för policygen – {kommun}, sparad från webbsidan.\n"
            "# Ladda upp filen på sidan för att fortsätta, eller kör: policygen generate profil.yaml\n\n"
            + buffer.getvalue())


def make_documents(data: dict[str, Any], doc_keys: list[str]) -> tuple[Any, list[tuple[str, Any]]]:
    """The profile and its documents in memory, marked UTKAST while open items remain."""

    profile = profile_from_data(data, Path("formuläret"))
    return profile, build_documents(profile, doc_keys or None, draft=True)


def document_file(data: dict[str, Any], doc_key: str, fmt: str) -> tuple[str, bytes]:
    """One document of the profile as a file (docx or pdf), in one worker call:
    (file name, content)."""

    _, built = make_documents(data, [doc_key])
    stem, document = built[0]
    content = render_formats([document], fmt)[0][fmt]
    if isinstance(content, str):  # Markdown comes as text; a download is bytes
        content = content.encode("utf-8")
    return f"{stem}.{fmt}", content


# -- the interview's live preview --------------------------------------------------

def preview_documents(data: dict[str, Any], doc_keys: list[str]) -> tuple[list[tuple[str, Any]], str]:
    """The documents of a profile being answered, for the preview beside a step:
    what is not answered yet reads as a short [gap] from the kommun's starter
    profile. Returns (document key, view) pairs, or a message when the answers
    cannot make a document yet."""
    kommun = kommun_of(data)
    if kommun is None:
        return [], "Välj kommunen i första steget, så visas dokumentet här."
    base = _preview_base(kommun.namn, style_of(data))
    try:
        profile = profile_from_data(merge(base, data), Path("formuläret"))
        built = build_documents(profile, doc_keys or None, draft=True)
    except UserError as error:
        return [], f"Förhandsvisningen kan inte visas just nu: {error.message}."
    return [(key, document_view(document, f"forhand-{key}")) for key, (_, document) in zip(doc_keys, built)], ""


def preview_fragment(data: dict[str, Any], doc_keys: list[str]) -> str:
    previews, message = preview_documents(data, doc_keys)
    return render_page("intervju-forhand.html.j2", previews=previews, message=message)


def final_documents(data: dict[str, Any], doc_keys: list[str]) -> tuple[list[tuple[str, Any]], list[str], str]:
    """The finished interview's documents (UTKAST while anything is open), the
    open items as messages, or why no document can be made."""
    try:
        profile, built = make_documents(data, doc_keys)
    except UserError as error:
        return [], [], error.message
    views = [(key, document_view(document, f"klar-{key}")) for key, (_, document) in zip(doc_keys, built)]
    return views, [item.field for item in profile.open_items], ""


@lru_cache(maxsize=64)
def _preview_base(kommun: str, style: str) -> dict[str, Any]:
    # Made once per kommun and style: the preview is asked for at every change.
    data = starter_profile_for(kommun, style).data
    return {key: value for key, value in data.items() if key != "kommun"}


# What a file that is not a profile is, by its first bytes, said the way an official knows it.
_FILE_KINDS = [(b"PK\x03\x04", {".docx": "en Word-fil (.docx)", ".xlsx": "en Excel-fil (.xlsx)",
                                 ".pptx": "en PowerPoint-fil (.pptx)", ".odt": "ett OpenDocument-dokument (.odt)"},
                "en zip-fil"),
               (b"%PDF", {}, "en PDF-fil"),
               (b"\xd0\xcf\x11\xe0", {".xls": "en äldre Excel-fil (.xls)"}, "en äldre Word-fil (.doc)"),
               (b"{\\rtf", {}, "ett RTF-dokument"),
               (b"\x89PNG", {}, "en bild (PNG)"), (b"\xff\xd8\xff", {}, "en bild (JPEG)")]


def uploaded_kind(head: bytes, display_name: str) -> str | None:
    """What an uploaded file is when it is clearly not a profile (a text file), or None."""
    suffix = Path(display_name.replace("\\", "/")).suffix.lower()
    for magic, by_suffix, default in _FILE_KINDS:
        if head.startswith(magic):
            return by_suffix.get(suffix, default)
    if b"\x00" in head[:4096]:
        return "en binär fil (inte text)"
    return None


def not_a_profile(path: Path, display_name: str) -> None:
    """Refuse a file that is not a profile, saying what it is and what is expected."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    kind = uploaded_kind(head, display_name)
    if kind is not None:
        raise UserError(f"filen är {kind}, inte en sparad profil", file=Path(display_name).name[:120],
                        hint="ladda upp profilfilen (.yaml) som du laddade ned från sidan med ”Spara profilen”")
