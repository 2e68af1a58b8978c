"""Document work for the web page, run in a bounded pool of worker threads so
a large upload occupies one worker and the page keeps answering others.

Everything here calls the library; nothing is stored after the call returns:
uploads are written to a private temporary folder that is removed at once."""

from __future__ import annotations

import asyncio
import base64
import logging
import multiprocessing
import re
import tempfile
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from policygen.errors import UserError
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
from policygen.profile.load import profile_from_data, profile_schema
from policygen.read.draft import read_document
from policygen.render.docx.base import prepared_base
from policygen.render.formats import render_formats
from policygen.report.formats import MEDIA_TYPES, render_report
from policygen.report.revision import revise_draft
from policygen.report.word_comments import annotate_docx

log = logging.getLogger("policygen.web")
T = TypeVar("T")


class WorkPool:
    """Document work in worker processes (forked after the models are loaded,
    so they share them), one pool for generating and one for reviewing: a
    queue of large uploads never delays a colleague's generated document.
    Where processes cannot be forked (Windows, macOS) threads do the work."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pools: dict[str, Executor] = {}

    def _pool(self, kind: str) -> Executor:
        if kind not in self._pools:
            if "fork" in multiprocessing.get_all_start_methods():
                self._pools[kind] = ProcessPoolExecutor(max_workers=self.workers,
                                                        mp_context=multiprocessing.get_context("fork"))
            else:
                self._pools[kind] = ThreadPoolExecutor(max_workers=self.workers,
                                                       thread_name_prefix=f"policygen-{kind}")
        return self._pools[kind]

    async def run(self, kind: str, function: Callable[..., T], *args: Any) -> T:
        pool = self._pool(kind)
        try:
            return await asyncio.get_running_loop().run_in_executor(pool, function, *args)
        except BrokenProcessPool:
            # A worker died (out of memory, a crash in a native library on a
            # hostile file): start new workers for the next request, and tell
            # this user what happened instead of failing every later request.
            if self._pools.get(kind) is pool:
                del self._pools[kind]
            pool.shutdown(wait=False, cancel_futures=True)
            log.warning("en arbetsprocess avslutades oväntat (%s)", kind)
            raise UserError("arbetet kunde inte slutföras; filen eller uppgifterna tog mer resurser än servern tillåter",
                            hint="försök igen; gäller det en uppladdad fil, spara den på nytt eller dela upp den") from None

    def start(self) -> None:
        """Start the workers now (after preload), not while a request waits."""
        for kind in ("generate", "review"):
            for _ in range(self.workers):
                self._pool(kind).submit(_warm)

    def close(self) -> None:
        for pool in self._pools.values():
            pool.shutdown(wait=False, cancel_futures=True)


def _warm() -> None:
    return None


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


def review_upload(content: bytes, display_name: str, doc_type: str | None, kommun: str | None) -> Review:
    """Lint one uploaded draft; the commented copy, HTML, JSON and SARIF
    reports are made at once, because nothing is kept for a later request."""

    suffix = Path(display_name).suffix.lower()
    if suffix not in SAFE_SUFFIXES:
        raise UserError(f"filtypen '{suffix or '(ingen)'}' stöds inte", file=display_name,
                        hint="spara utkastet som .docx, .pdf, .txt eller .md och ladda upp det igen")
    stem = _safe_stem(display_name)
    with tempfile.TemporaryDirectory(prefix="policygen-web-") as folder:
        draft = Path(folder) / f"utkast{suffix}"
        draft.write_bytes(content)
        try:
            document = read_document(draft)
        except UserError as error:
            raise UserError(error.message, file=display_name, hint=error.hint) from None
        except Exception as error:  # a corrupt or hostile file must never become a server error
            log.warning("utkast gick inte att läsa: %s", type(error).__name__)
            raise UserError("filen gick inte att läsa; den kan vara skadad eller inte vara det den heter",
                            file=display_name,
                            hint="öppna filen i Word eller en PDF-läsare, spara den på nytt och ladda upp igen") from None
        document.source = display_name
        result = lint_documents([document], doc_type, kommun=kommun)[0]
        downloads = [Download(f"{stem}-granskning.{fmt}", MEDIA_TYPES[fmt],
                              render_report(fmt, [result], [], rule_catalog(), single=True).encode("utf-8"))
                     for fmt in ("html", "json", "sarif")]
        if suffix == ".docx":

            copy = Path(folder) / "granskad.docx"
            annotate_docx(draft, result, copy)
            downloads.insert(0, Download(f"{stem}-granskad.docx", DOCX_TYPE, copy.read_bytes()))
            revised = Path(folder) / "reviderad.docx"
            revise_draft(draft, result, revised)
            downloads.insert(1, Download(f"{stem}-reviderad.docx", DOCX_TYPE, revised.read_bytes(),
                                         "Ladda ner reviderat utkast (spårade ändringar)"))
    return Review(result, downloads, _clause_texts(result))


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


def profile_data_from_upload(content: bytes, display_name: str) -> dict[str, Any]:
    """A saved profile, read like the CLI reads one, without `arv:` (which
    would read other files on the server)."""

    if len(content) > MAX_PROFILE_BYTES:
        raise UserError("profilen är större än 1 MB", file=display_name, hint="ladda upp profilfilen (.yaml) du sparade")
    with tempfile.TemporaryDirectory(prefix="policygen-web-") as folder:
        path = Path(folder) / "profil.yaml"
        path.write_bytes(content)
        try:
            root = load_yaml(path, "profilen")
        except UserError as error:
            raise UserError(error.message, file=display_name, line=error.line, column=error.column,
                            hint=error.hint) from None
    data = to_plain(root)
    if not isinstance(data, dict):
        raise UserError("profilen ska vara en YAML-karta med fält som kommun:, stil: och ansvar:",
                        file=display_name, line=1, hint="ladda upp en profil som sparats från den här sidan")
    if "arv" in data:
        raise UserError("profiler med 'arv:' kan inte laddas upp här", file=display_name,
                        hint="ta bort raden 'arv:' och skriv in de gemensamma värdena i filen")
    return data


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
