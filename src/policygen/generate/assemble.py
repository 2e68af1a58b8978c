"""Profile + clause library + recipe → Document (the shared model)."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Callable
from functools import partial
from typing import Any

from policygen.errors import UserError
from policygen.facts.listing import template_facts
from policygen.facts.registry import load_registry
from policygen.generate.clauses import (
    FACT_REFERENCE,
    FOOTNOTE_MARK,
    Clause,
    ClauseLibrary,
    load_library,
)
from policygen.generate.recipes import DocumentRecipe, Slot, StyleRecipe, recipe_for
from policygen.generate.templating import UndefinedError, compile_condition, render
from policygen.model import (
    Document,
    DocumentBuilder,
    Footnote,
    Inline,
    MetadataField,
    Text,
)
from policygen.profile.load import Profile
from policygen.profile.organisation import FULLMAKTIGE, body_of
from policygen.vocabulary import DOC_TYPE_NAMES

ACTIVITY_COLUMNS = ("Aktivitet", "Ansvarig", "Tidpunkt", "Indikator")
VERSION_COLUMNS = ("Version", "Datum", "Beslut/ändring")
RELATED_HEADING = "Relaterade styrdokument"
# How running text names the document it stands in.
_DOCUMENT_WORDS = {
    ("markaryd", "policy"): "policyn och riktlinjerna", ("markaryd", "riktlinje"): "riktlinjerna",
    ("markaryd", "handlingsplan"): "handlingsplanen", ("ljungby", "policy"): "policyn",
    ("ljungby", "riktlinje"): "riktlinjerna", ("ljungby", "handlingsplan"): "verksamhetsplanen",
}
VERSIONS_HEADING = "Versionshistorik"


def assemble_all(profile: Profile, library: ClauseLibrary | None = None,
                 style: str | None = None) -> list[Document]:
    recipe = recipe_for(style or profile.style)
    return [assemble(profile, doc.key, library, recipe) for doc in recipe.documents]


def assemble(profile: Profile, doc_key: str, library: ClauseLibrary | None = None,
             recipe: StyleRecipe | None = None) -> Document:
    library = library or load_library()
    recipe = recipe or recipe_for(profile.style)
    doc_recipe = recipe.document(doc_key)
    return _Assembler(profile, library, recipe, doc_recipe).build()


# A marker no profile value can hold: private-use characters around a nonce of this process.
_NONCE = secrets.token_hex(4)
_SENTINEL = "\ue000" + _NONCE + ":{}\ue001"
_SENTINEL_MARK = re.compile("\ue000" + _NONCE + ":([a-z0-9-]+)\ue001")


class _Assembler:
    def __init__(self, profile: Profile, library: ClauseLibrary, recipe: StyleRecipe,
                 doc_recipe: DocumentRecipe) -> None:
        self.profile = profile
        self.library = library
        self.recipe = recipe
        self.doc = doc_recipe
        self.context: dict[str, Any] = dict(profile.data)
        self.context["dokumenttyp"] = DOC_TYPE_NAMES[doc_recipe.doc_type]
        # For clause text: this document's decision data, the word the text
        # uses for it, and the title of the policy a plan refers to.
        self.context["beslut"] = profile.get(f"dokument.{doc_recipe.metadata_from}") or {}
        self.context["dokumentord"] = _DOCUMENT_WORDS[(recipe.style, doc_recipe.doc_type)]
        # Amounts, law names and paragraph numbers as the fact registry states
        # them today: the same values the linter checks a draft against.
        self.context["fakta"] = template_facts(load_registry(), dt.date.today())
        self.context.update(_organisation_context(profile))
        self.context.update(_decision_context(profile, doc_recipe.metadata_from))
        policy = next((d for d in recipe.documents if d.doc_type == "policy"), None)
        plan = next((d for d in recipe.documents if d.doc_type == "handlingsplan"), None)
        self.context["policytitel"] = self._render(policy.title, "titeln i receptet") if policy else "policyn"
        self.context["plantitel"] = self._render(plan.title, "titeln i receptet") if plan else "handlingsplanen"
        self.context["planord"] = _DOCUMENT_WORDS[(recipe.style, "handlingsplan")]
        self.titles = {d.doc_type: self._render(d.title, "titeln i receptet") for d in recipe.documents}
        self.title = self._render(doc_recipe.title, "titeln i receptet")
        self.context["dokumenttitel"] = self.title
        self.builder = DocumentBuilder(
            self.title, doc_type=doc_recipe.doc_type, kommun=profile.officiellt_namn,
            subject="Samverkan med sociala företag", author=profile.officiellt_namn,
            keywords=("sociala företag", "socialt entreprenörskap", DOC_TYPE_NAMES[doc_recipe.doc_type].lower(),
                      profile.kommun_namn),
        )

    def build(self) -> Document:
        self.builder.document.metadata = self._metadata()
        self.builder.heading(self.title, 0)
        for section in self.doc.sections:
            pending_heading = section.heading
            clause_level = section.level + 1 if section.heading else section.level
            for slot in section.content:
                if slot.when and not self._condition(slot.when):
                    continue
                blocks = self._slot_blocks(slot, clause_level)
                if not blocks:
                    continue
                if pending_heading:
                    self.builder.heading(self._render(pending_heading, "en rubrik i receptet"), section.level)
                    pending_heading = None
                for emit in blocks:
                    emit()
        self._related_documents()
        self._version_history()
        return self.builder.document

    def _decision(self) -> dict[str, Any]:
        return self.profile.get(f"dokument.{self.doc.metadata_from}") or {}

    def _related_documents(self) -> None:
        related = self._decision().get("relaterade_styrdokument")
        if not related:
            return
        items = []
        for index, entry in enumerate(related):
            entry = self._related_from_set(entry, index)
            decided = ", ".join(part for part in (entry.get("beslutad_av"), _iso_date(entry.get("datum")) if
                                                  entry.get("datum") else None) if part)
            items.append(f"{entry['namn']}" + (f" ({decided})" if decided else ""))
        self.builder.heading(RELATED_HEADING, 1)
        self.builder.bullet_list(items)

    def _related_from_set(self, entry: dict[str, Any], index: int) -> dict[str, Any]:
        """A related document that is one of this set takes its decision data
        from the profile's own decision for it; a profile that says otherwise
        in the list contradicts itself."""
        for doc_type, title in self.titles.items():
            if doc_type == self.doc.doc_type or entry["namn"].casefold() != title.casefold():
                continue
            decision = self.profile.get(f"dokument.{doc_type}") or {}
            for key in ("beslutad_av", "datum"):
                given, actual = entry.get(key), decision.get(key)
                if given and actual and _iso_date(given).casefold() != _iso_date(actual).casefold():
                    raise UserError(
                        f"relaterade_styrdokument säger att {entry['namn']} har {key} {_iso_date(given)}, men "
                        f"dokument.{doc_type}.{key} är {_iso_date(actual)}",
                        file=self.profile.source,
                        hint=f"ta bort {key} i dokument.{self.doc.metadata_from}.relaterade_styrdokument[{index + 1}] "
                             "så hämtas uppgiften från dokumentets eget beslut")
            return {**entry, **{key: decision[key] for key in ("beslutad_av", "datum") if decision.get(key)}}
        return entry

    def _version_history(self) -> None:
        versions = self._decision().get("versioner")
        if not versions:
            return
        rows = [[str(v["version"]), str(v["datum"]), str(v["andring"])] for v in versions]
        self.builder.heading(VERSIONS_HEADING, 1)
        self.builder.table(list(VERSION_COLUMNS), rows, kind="versioner")

    # -- slots -------------------------------------------------------------

    def _slot_blocks(self, slot: Slot, level: int) -> list[Callable[[], object]]:
        """Deferred emitters, so an empty slot adds no heading."""
        doc_type = slot.as_doc_type or self.doc.doc_type
        if slot.text:
            text = self._render(slot.text, "ett textstycke i receptet")
            return [lambda: self.builder.paragraph(text)]
        if slot.activities:
            return self._activities()
        if slot.commitments:
            return self._commitments(slot, doc_type)
        if slot.clause:
            clauses = [self.library.get(slot.clause)]
        else:
            clauses = self.library.by_topic(slot.topic) if slot.topic else []
        emitters: list[Callable[[], object]] = []
        for clause in clauses:
            # A clause named in the recipe is wanted there whatever its doc types say.
            if self._applies(clause, doc_type, named=bool(slot.clause)):
                emitters += self._clause_blocks(clause, level if slot.headings else None)
        return emitters

    def _applies(self, clause: Clause, doc_type: str, named: bool = False) -> bool:
        fits = named or clause.fits(doc_type, self.recipe.style)
        return fits and self._holds(clause.when, clause.rests_on)

    def _holds(self, when: str | None, rests_on: tuple[str, ...]) -> bool:
        """A condition and the choices a text rests on: each choice must be
        yes (or a value that is filled in)."""
        if not all(self.profile.get(choice) not in (None, False, "", []) for choice in rests_on):
            return False
        return not when or self._condition(when)

    def _clause_blocks(self, clause: Clause, heading_level: int | None) -> list[Callable[[], object]]:
        self._check_needs(clause)
        emitters: list[Callable[[], object]] = []
        if heading_level is not None:
            title = self._render(clause.title, clause)
            emitters.append(lambda: self.builder.heading(title, heading_level))
        for block in clause.body:
            if not self._holds(block.when, block.rests_on):
                continue
            if block.paragraph is not None:
                runs = self._runs(block.paragraph, clause)
                emitters.append(partial(self.builder.paragraph, runs))
            else:
                items = [self._runs(item.text, clause) for item in block.bullets
                         if self._holds(item.when, item.rests_on)]
                intro = self._runs(block.intro, clause) if block.intro else None
                emitters += self._list_emitters(items, intro)
        return emitters

    def _list_emitters(self, items: list[tuple[Inline, ...]],
                       intro: tuple[Inline, ...] | None) -> list[Callable[[], object]]:
        """A list of one item is a sentence, not a list: "intro item." as a paragraph."""
        if not items:
            return []
        if len(items) > 1 or intro is None:
            return [partial(self.builder.bullet_list, items, intro)]
        joined = _join_runs(intro, items[0])
        return [partial(self.builder.paragraph, joined)]

    def _commitments(self, slot: Slot, doc_type: str) -> list:
        items = []
        for topic in slot.commitments:
            for clause in self.library.by_topic(topic):
                if clause.commitment and self._applies(clause, doc_type):
                    self._check_needs(clause)
                    items.append(self._runs(clause.commitment, clause))
        if not items:
            return []
        intro = self._render(slot.intro, "inledningen till åtagandena") if slot.intro else None
        return self._list_emitters(items, (Text(intro),) if intro else None)

    def _activities(self) -> list:
        activities = self.profile.get("handlingsplan.aktiviteter")
        if not activities:
            raise UserError("handlingsplanen behöver aktiviteter, men profilen har inga",
                            file=self.profile.source,
                            hint="lägg till handlingsplan: aktiviteter: med aktivitet, ansvarig, tidpunkt och indikator")
        rows = [[str(a[key]) for key in ("aktivitet", "ansvarig", "tidpunkt", "indikator")] for a in activities]
        return [lambda: self.builder.table(list(ACTIVITY_COLUMNS), rows, kind="activities")]

    # -- text ----------------------------------------------------------------

    def _runs(self, template: str, clause: Clause) -> tuple[Inline, ...]:
        # The clause's own markers become a sentinel before the profile's values
        # are put in, so a value that reads "[^vision]" stays text (issue 24).
        own = {s.id for s in clause.sources}
        template = FOOTNOTE_MARK.sub(lambda m: _SENTINEL.format(m.group(1)) if m.group(1) in own else m.group(0),
                                     template)
        text = self._render(template, clause)
        runs: list[Inline] = []
        position = 0
        for match in _SENTINEL_MARK.finditer(text):
            source_id = match.group(1)
            before = text[position:match.start()].rstrip()
            if before:
                runs.append(Text(before))
            source = clause.source(source_id)
            note_text = self._render(source.text, clause)
            runs.append(self.builder.footnote(Footnote(f"{clause.id}-{source.id}", note_text, source.url)))
            position = match.end()
        rest = text[position:]
        if rest:
            runs.append(Text(rest))
        return tuple(runs)

    def _render(self, template: str, owner: Clause | str) -> str:
        try:
            return render(template, self.context)
        except UndefinedError as exc:
            where = f"klausulen '{owner.id}'" if isinstance(owner, Clause) else owner
            missing = [f"fakta.{group}.{key}" for group, key, _ in FACT_REFERENCE.findall(template)
                       if key not in self.context["fakta"].get(group, {})]
            if missing:
                raise UserError(f"{where} använder {missing[0]}, som faktaregistret inte har för i dag",
                                file=load_registry().path,
                                hint="kör policygen fakta och rätta namnet i klausulen eller lägg till uppgiften") from None
            raise UserError(f"{where} använder ett fält som saknas i profilen ({exc.message})",
                            file=self.profile.source,
                            hint="fyll i fältet i profilen eller välj en annan stil") from None

    def _condition(self, expression: str) -> bool:
        try:
            return bool(compile_condition(expression)(self.context))
        except UndefinedError:
            return False

    def _check_needs(self, clause: Clause) -> None:
        for field in clause.needs:
            if self.profile.get(field) in (None, "", []):
                raise UserError(
                    f"klausulen '{clause.id}' ({clause.path.name}) behöver fältet '{field}', som saknas i profilen",
                    file=self.profile.source,
                    hint=f"lägg till {field} i profilen (se profile.schema.json för vad fältet ska innehålla)")

    # -- metadata ------------------------------------------------------------

    def _metadata(self) -> tuple[MetadataField, ...]:
        """The styrdokument block, in the order the renderer and the case-system
        properties expect; optional fields the profile leaves out are left out."""
        key = self.doc.metadata_from
        info = self.profile.get(f"dokument.{key}")
        if not info:
            raise UserError(f"profilen saknar dokument.{key} (beslutsuppgifter för {DOC_TYPE_NAMES[key].lower()})",
                            file=self.profile.source,
                            hint=f"lägg till dokument: {key}: med beslutad_av, datum, diarienummer och dokumentansvarig")
        fields = [
            ("Dokumentnamn", self.title),
            ("Dokumenttyp", DOC_TYPE_NAMES[self.doc.doc_type]),
            ("Beslutad av", info["beslutad_av"]),
            ("Beslutsdatum", _iso_date(info["datum"])),
            ("Paragraf", info.get("paragraf")),
            ("Diarienummer", info["diarienummer"]),
            ("Dokumentansvarig", info["dokumentansvarig"]),
            ("Gäller för", info.get("galler_for")),
            ("Giltig till", info.get("giltig_till")),
            ("Version", info.get("version")),
        ]
        return tuple(MetadataField(label, str(value)) for label, value in fields if value not in (None, ""))


def _join_runs(intro: tuple[Inline, ...], item: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """One sentence from a list's intro and its only item: "X ska:" + "göra Y" → "X ska göra Y."."""
    runs: list[Inline] = list(intro)
    if runs and isinstance(runs[-1], Text):
        runs[-1] = Text(runs[-1].text.rstrip().rstrip(":") + " ")
    else:
        runs.append(Text(" "))
    body = list(item)
    if body and isinstance(body[-1], Text):
        body[-1] = Text(body[-1].text.rstrip().rstrip(",.;") + ".")
    elif body:
        body.append(Text("."))
    return tuple(runs + body)


def _organisation_context(profile: Profile) -> dict[str, Any]:
    return {"org": profile.organisation.context()}


def _decision_context(profile: Profile, key: str) -> dict[str, Any]:
    """What this document's adopter may decide, for the clause text: whether it
    can give the political responsibility itself (fullmäktige, or the
    responsible body deciding for itself), whether the plan is decided by a
    higher body (then the policy proposes it), and who may revise it."""
    def adopter(doc_key: str):
        name = profile.get(f"dokument.{doc_key}.beslutad_av")
        return body_of(name) if isinstance(name, str) else None

    this, policy, plan = adopter(key), adopter("policy"), adopter("handlingsplan")
    responsible = profile.get("ansvar.namnd")
    return {
        "beslutsorgan": this.name if this else None,
        "av_fullmaktige": bool(this and this.kind == FULLMAKTIGE),
        # A lower body states the responsibility the policy gave; it does not give it.
        "ger_ansvar": bool(this and (this.kind == FULLMAKTIGE or
                                     (isinstance(responsible, str) and this.same_as(responsible)))),
        "ansvar_av_namnden": bool(this and isinstance(responsible, str) and this.same_as(responsible)),
        "plan_foreslas": bool(policy and plan and policy.kind != FULLMAKTIGE and not plan.same_as(policy)
                              and plan.rank > policy.rank),
    }


def _iso_date(value: Any) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%Y-%m-%d")
    return str(value)


def clause_preview(profile: Profile, clause: Clause, doc_type: str,
                   library: ClauseLibrary | None = None) -> Document:
    """One clause rendered with this profile's values, as a small document of
    its own (paragraphs, lists, footnotes): a reviewer sees the text the
    generator would write for this kommun, not the template behind it."""
    library = library or load_library()
    recipe = recipe_for(profile.style)
    doc_recipe = next((d for d in recipe.documents if d.doc_type == doc_type), recipe.documents[0])
    assembler = _Assembler(profile, library, recipe, doc_recipe)
    assembler.builder = DocumentBuilder(assembler._render(clause.title, clause), doc_type=doc_type,
                                        kommun=profile.officiellt_namn)
    for emit in assembler._clause_blocks(clause, None):
        emit()
    if clause.commitment:
        assembler.builder.bullet_list([assembler._runs(clause.commitment, clause)])
    return assembler.builder.document
