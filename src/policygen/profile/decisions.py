"""Who may decide what: a profile that asks a body to decide beyond its power
is refused with the field to change.

Only the body that adopts a document may revise it; a nämnd or the styrelse
can propose a change to a fullmäktige decision but not make it. A document
adopted by the styrelse or a nämnd binds that body's own work: it cannot give
another nämnd political responsibility (fullmäktige does that in the
nämndernas reglementen), cannot bind fullmäktige, and cannot apply to all
nämnder or to the bolag. The metadata (Gäller för, version history) must say
the same as the decision it describes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from policygen.errors import UserError
from policygen.infra.yamlio import locate
from policygen.profile.organisation import (
    FULLMAKTIGE,
    TJANSTEPERSON,
    Body,
    Organisation,
    body_of,
    foreign_body_word,
    own_body_word,
)
from policygen.profile.readiness import parse_date

# A scope only fullmäktige can give a document.
_WIDE_SCOPE = re.compile(r"\b(alla|samtliga) (nämnder|förvaltningar|verksamheter)\b|\bhela (kommunen|staden|"
                         r"regionen|organisationen)\b|\bbolag", re.IGNORECASE)
_BODY_IN_TEXT = re.compile(r"\b[\wåäö]*(fullmäktige|styrelsen|nämnden)\b", re.IGNORECASE)
_UNFILLED = ("TODO", "ÅÅÅÅ")


def _filled(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip()) and not any(mark in value for mark in _UNFILLED)


class _Checker:
    def __init__(self, data: dict[str, Any], organisation: Organisation, source: Path, root: Any) -> None:
        self.data = data
        self.organisation = organisation
        self.source = source
        self.root = root

    def fail(self, path: list[Any], message: str, hint: str) -> UserError:
        line, column = locate(self.root, path) if self.root is not None else (None, None)
        return UserError(message, file=self.source, line=line, column=column, hint=hint)

    def documents(self) -> dict[str, dict[str, Any]]:
        documents = self.data.get("dokument") or {}
        return {key: info for key, info in documents.items() if isinstance(info, dict)}

    def adopter(self, key: str) -> Body | None:
        info = self.documents().get(key)
        if info is None or not _filled(info.get("beslutad_av")):
            return None
        return body_of(info["beslutad_av"])

    def run(self) -> None:
        self.bodies_of_this_organisation()
        self.political_responsibility()
        self.plan_decision()
        for key, info in self.documents().items():
            self.scope(key, info)
            self.version_history(key, info)

    def bodies_of_this_organisation(self) -> None:
        org = self.organisation
        paths: list[list[Any]] = [["ansvar", "namnd"], ["uppfoljning", "rapporteras_till"]]
        for key, info in self.documents().items():
            paths += [["dokument", key, field] for field in ("beslutad_av", "galler_for", "dokumentansvarig")]
            paths += [["dokument", key, "versioner", i, "andring"] for i in range(len(info.get("versioner") or []))]
            paths += [["dokument", key, "relaterade_styrdokument", i, "beslutad_av"]
                      for i in range(len(info.get("relaterade_styrdokument") or []))]
        for path in paths:
            value = _value(self.data, path)
            if not _filled(value):
                continue
            word = foreign_body_word(value, org)
            if word is not None:
                raise self.fail(path, f"'{word}' finns inte i {org.namn}: där heter organet "
                                      f"{own_body_word(word, org)}",
                                f"skriv {own_body_word(word, org)} i stället för {word}")

    def political_responsibility(self) -> None:
        namnd_value = self.data.get("ansvar", {}).get("namnd")
        if not _filled(namnd_value):
            return
        responsible = body_of(namnd_value)
        if responsible.kind == TJANSTEPERSON:
            raise self.fail(["ansvar", "namnd"],
                            f"'{namnd_value}' är ingen nämnd eller styrelse: det politiska ansvaret ligger hos "
                            "förtroendevalda",
                            f"skriv nämnden eller styrelsen, t.ex. {self.organisation.styrelse}, och förvaltningen "
                            "under ansvar.forvaltning")
        # The policy gives the responsibility; without a policy in the profile, the plan does.
        key = "policy" if self.adopter("policy") is not None else "handlingsplan"
        adopter = self.adopter(key)
        if adopter is None or adopter.kind == FULLMAKTIGE or adopter.same_as(responsible):
            return
        raise self.fail(["dokument", key, "beslutad_av"],
                        f"{adopter.name} kan inte ge {responsible.name} det politiska ansvaret för arbetet med "
                        f"sociala företag: det bestämmer {self.organisation.fullmaktige.lower()} i nämndernas "
                        "reglementen",
                        f"låt {self.organisation.fullmaktige} anta dokumentet (dokument.{key}.beslutad_av), eller "
                        f"skriv {adopter.name} under ansvar.namnd")

    def plan_decision(self) -> None:
        policy, plan = self.adopter("policy"), self.adopter("handlingsplan")
        if policy is None or plan is None or policy.kind == FULLMAKTIGE or plan.same_as(policy):
            return
        if plan.kind == TJANSTEPERSON or plan.rank > policy.rank:
            return  # delegation to an official, or a proposal to a higher body: both within its power
        raise self.fail(["dokument", "handlingsplan", "beslutad_av"],
                        f"policyn är beslutad av {policy.name}, som inte kan bestämma att {plan.name} ska anta "
                        "handlingsplanen",
                        f"låt {policy.name} anta handlingsplanen också, eller låt "
                        f"{self.organisation.fullmaktige} anta policyn")

    def scope(self, key: str, info: dict[str, Any]) -> None:
        adopter = self.adopter(key)
        scope = info.get("galler_for")
        if adopter is None or adopter.kind == FULLMAKTIGE or not isinstance(scope, str) or not _filled(scope):
            return
        match = _WIDE_SCOPE.search(scope)
        if match is None:
            return
        raise self.fail(["dokument", key, "galler_for"],
                        f"ett dokument som {adopter.name} beslutar kan inte gälla för '{match.group(0)}': "
                        f"det gäller de verksamheter som {adopter.name} själv ansvarar för",
                        f"skriv t.ex. '{genitive(adopter.name)} verksamheter' under galler_for, eller låt "
                        f"{self.organisation.fullmaktige} anta dokumentet")

    def version_history(self, key: str, info: dict[str, Any]) -> None:
        adopter = self.adopter(key)
        versions = info.get("versioner") or []
        if adopter is None or not versions:
            return
        current = info.get("version")
        index = next((i for i, v in enumerate(versions) if isinstance(v, dict) and str(v.get("version")) == str(current)),
                     len(versions) - 1)
        entry = versions[index]
        if not isinstance(entry, dict):
            return
        change = entry.get("andring")
        if isinstance(change, str) and _filled(change):
            named = [m.group(0) for m in _BODY_IN_TEXT.finditer(change)]
            if named and not any(adopter.same_as(name) for name in named):
                raise self.fail(["dokument", key, "versioner", index, "andring"],
                                f"versionshistoriken säger '{change}', men dokumentet är beslutat av {adopter.name}",
                                "skriv samma organ i versionshistoriken som under beslutad_av")
        date, decided = entry.get("datum"), info.get("datum")
        # A date that is no real date is reported as an open item of its own.
        if parse_date(date) and parse_date(decided) and str(date) != str(decided):
            raise self.fail(["dokument", key, "versioner", index, "datum"],
                            f"versionshistoriken anger {date} för version {entry.get('version')}, men "
                            f"beslutsdatumet är {decided}",
                            "skriv samma datum i versionshistoriken som under datum")


def genitive(name: str) -> str:
    return name if name[-1:].lower() in "sxz" else name + "s"


def _value(data: Any, path: list[Any]) -> Any:
    node = data
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def check_decisions(data: dict[str, Any], organisation: Organisation, source: Path, root: Any = None) -> None:
    """Raise a UserError naming the field when the profile asks a body to decide
    what it may not, or when its decision data disagree."""
    _Checker(data, organisation, source, root).run()
