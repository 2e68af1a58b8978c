"""What the fact registry holds, for people and for templates: the table
`policygen fakta` prints (each fact, its value today, its period, when it was
last checked and its source), and the values clause templates read as
`{{ fakta.… }}`, so a generated document states exactly what the linter checks."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from policygen.facts.registry import Fact, Law, LegalRule, Limit, Paragraph, Registry

# A fact that can change must have been checked against its source within this time.
CHECK_INTERVAL = timedelta(days=365)


def overdue(registry: Registry, today: date) -> list[Fact]:
    """Facts that can change and have not been checked for a year."""
    return registry.not_checked_since(today - CHECK_INTERVAL)


def _key(fact_id: str) -> str:
    return fact_id.replace("-", "_")


def template_facts(registry: Registry, today: date) -> dict[str, Any]:
    """The registry as template values, valid on `today`:
    fakta.lag.lou.citat → "lagen (2016:1145) om offentlig upphandling", fakta.lag.kl.citat →
    "kommunallagen (2017:725)", fakta.lag.lou.kort → "LOU", fakta.grans.direktupphandling_lou →
    "700 000 kronor", fakta.grans_sedan.direktupphandling_lou → "2022-02-01", fakta.lag.lou.i_kraft →
    "2017-01-01", fakta.paragraf_sedan.reserverad_ideburna → "2023-01-01",
    fakta.paragraf.reserverade_kontrakt → "4 kap. 18 §", fakta.regel.reserverade_kontrakt_andel.share_percent
    → 30, fakta.regel.dokumentationsplikt.belopp → "100 000 kronor", fakta.kalla.um_reserverad → the
    source's name. A law or limit not in force on `today` is left out, so a clause
    that cites it fails to render instead of stating what no longer applies."""
    laws = {_key(law.id): {"citat": _definite(law), "sfs": law.sfs, "titel": law.title, "kort": law.short or "",
                           "i_kraft": law.period.start.isoformat() if law.period.start else ""}
            for law in registry.laws if law.period.end is None or law.period.end >= today}
    limits, since = {}, {}
    for limit in registry.limits:
        amount = limit.at(today)
        if amount is not None and amount.amount is not None:
            limits[_key(limit.id)] = amount.shown()
            since[_key(limit.id)] = amount.period.start.isoformat() if amount.period.start else ""
    paragraphs = {_key(p.id): p.ref.text() for p in registry.paragraphs if p.period.covers(today)}
    paragraphs_since = {_key(p.id): p.period.start.isoformat() for p in registry.paragraphs
                        if p.period.covers(today) and p.period.start}
    rules = {}
    for rule in registry.rules:
        values = dict(rule.values)
        if "amount" in values:
            values["belopp"] = f"{values['amount']:,} kronor".replace(",", " ")
        rules[_key(rule.id)] = values
    sources = {_key(source.id): source.name for source in registry.sources.values()}
    return {"lag": laws, "grans": limits, "grans_sedan": since, "paragraf": paragraphs,
            "paragraf_sedan": paragraphs_since, "regel": rules, "kalla": sources}


def _definite(law: Law) -> str:
    """The law as running text cites it: "lagen (2016:1145) om offentlig upphandling",
    and a one-word title in its definite form: "kommunallagen (2017:725)"."""
    if " " not in law.title and law.title.endswith("lag"):
        return f"{law.title}en ({law.sfs})"
    return law.citation()


def _value(fact: Fact, today: date) -> tuple[str, str]:
    """What the fact says today, and the period it has said so."""
    if isinstance(fact, Law):
        state = "gäller" if fact.period.end is None or fact.period.end >= today else "upphävd"
        short = f" ({fact.short})" if fact.short else ""
        return f"{fact.citation()}{short}, {state}", fact.period.describe()
    if isinstance(fact, Limit):
        amount = fact.at(today)
        if amount is None:
            return "inget belopp för i dag", ""
        return amount.shown() + ("" if amount.amount is not None else " (kronor inte bekräftat)"), amount.period.describe()
    if isinstance(fact, Paragraph):
        return f"{fact.subject}: {fact.ref.text()}" + (f" ({fact.modal})" if fact.modal else ""), fact.period.describe()
    if isinstance(fact, LegalRule):
        return fact.name, fact.period.describe()
    return "", ""


def registry_table(registry: Registry, today: date, history: bool = False) -> str:
    """Every fact with its value today, its period, the check date and its sources, in Swedish."""
    late = {fact.id for fact in overdue(registry, today)}
    lines = [f"Faktaregistret ({registry.path}), värden som gäller {today.isoformat()}:", ""]
    sections = (("Lagar", registry.laws), ("Beloppsgränser", registry.limits), ("Paragrafer", registry.paragraphs),
                ("Regler", registry.rules))
    for title, facts in sections:
        lines.append(title)
        for fact in facts:
            value, period = _value(fact, today)
            checked = fact.checked.isoformat() + (" – KONTROLLERA, mer än ett år sedan" if fact.id in late else "")
            lines.append(f"  {fact.id}: {value}" + (f" [{period}]" if period else ""))
            lines.append(f"      kontrollerad {checked}; källa: {fact.source_names()}")
            if history and isinstance(fact, Limit):
                lines += [f"      {a.shown()} ({a.period.describe()})" for a in fact.amounts]
            if history and isinstance(fact, LegalRule):
                lines.append(f"      {fact.statement}")
        lines.append("")
    lines.append(f"{len(registry.facts())} uppgifter, {len(late)} behöver kontrolleras. Så uppdaterar du en uppgift: "
                 f"ändra {registry.path.name} (ny period, källa och checked:) och kör 'policygen rules test'.")
    return "\n".join(lines)
