"""Plain-text views of the clause library for `policygen clauses`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from policygen.facts.listing import template_facts
from policygen.facts.registry import load_registry
from policygen.generate.clauses import FACT_REFERENCE, Clause


def clause_table(clauses: list[Clause]) -> str:
    rows = [("ID", "ÄMNE", "RUBRIK", "TÄCKER", "DOKUMENTTYPER", "STILAR")]
    for clause in clauses:
        rows.append((clause.id, clause.topic, clause.title, ", ".join(clause.covers) or "–",
                     ", ".join(clause.doc_types), ", ".join(clause.styles)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def clause_details(clause: Clause) -> str:
    lines = [
        f"{clause.id} (version {clause.version})",
        f"  Rubrik:        {clause.title}",
        f"  Ämne:          {clause.topic}",
        f"  Täcker:        {', '.join(clause.covers) or '–'}",
        f"  Dokumenttyper: {', '.join(clause.doc_types)}",
        f"  Stilar:        {', '.join(clause.styles)}",
        f"  Behöver:       {', '.join(clause.needs) or '–'}",
        f"  Villkor:       {clause.when or 'tas alltid med'}",
        f"  Fil:           {clause.path}",
    ]
    if clause.rests_on:
        lines.append(f"  Vilar på:      {', '.join(clause.rests_on)}")
    if clause.commitment:
        lines.append(f"  Åtagande:      … ska {clause.commitment}")
    lines.append("")
    lines.append("Text:")
    for block in clause.body:
        condition = _condition(block.when, block.rests_on)
        if block.paragraph:
            lines.append(f"  {block.paragraph}{condition}")
        else:
            if block.intro:
                lines.append(f"  {block.intro}{condition}")
            lines += [f"    • {item.text}" + _condition(item.when, item.rests_on) for item in block.bullets]
        lines.append("")
    if clause.sources:
        lines.append("Källor:")
        lines += [f"  [^{s.id}] {s.text}{' ' + s.url if s.url else ''} (kontrollerad {s.as_of})"
                  for s in clause.sources]
        lines.append("")
    lines += _fact_values(clause, lines)
    return "\n".join(lines).rstrip()


def _condition(when: str | None, rests_on: tuple[str, ...]) -> str:
    parts = ([when] if when else []) + list(rests_on)
    return f"   [bara om {' och '.join(parts)}]" if parts else ""


def _fact_values(clause: Clause, shown: list[str]) -> list[str]:
    """The registry values the clause's `{{ fakta.… }}` stand for today, so a
    reviewer sees what the generated text will say."""
    references = dict.fromkeys(FACT_REFERENCE.findall("\n".join(shown)))
    if not references:
        return []
    today = dt.date.today()
    facts: dict[str, Any] = template_facts(load_registry(), today)
    lines = [f"Uppgifter ur faktaregistret (värden som gäller {today.isoformat()}):"]
    for group, key, field in references:
        value = facts.get(group, {}).get(key, "saknas i registret")
        if field:
            value = value.get(field, "saknas i registret") if isinstance(value, dict) else "saknas i registret"
        name = ".".join(part for part in ("fakta", group, key, field) if part)
        lines.append(f"  {name} = {value}")
    return lines
