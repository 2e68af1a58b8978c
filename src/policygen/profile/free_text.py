"""Free text in a profile checked against its yes/no choices.

An activity "Utbilda beställare i sociala hänsyn" beside
`upphandling.sociala_hansyn: nej` would put a promise in the plan that the
policy denies. The text is read with the linter's own concept lexicon
(lint_rules/concepts.yaml, the `val_…` concepts and `iop`); a sentence with a
negation ("ingen reserverad upphandling") agrees with a no and is left alone.
Each conflict is an open item naming both places: it keeps the profile from
being a decision and is a warning in a draft (UTKAST)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from policygen.nlp.concepts import concept_positions, load_lexicon
from policygen.profile.readiness import OpenItem, dotted, exact_position

# Concept in the lexicon → the yes/no choice it belongs to.
CHOICE_CONCEPTS: dict[str, tuple[str, ...]] = {
    "val_sociala_hansyn": ("upphandling", "sociala_hansyn"),
    "val_reserverad_upphandling": ("upphandling", "reserverade_kontrakt"),
    "val_direktupphandling": ("upphandling", "direktupphandling"),
    "iop": ("iop", "anvands"),
    "val_ekonomiskt_stod": ("stod", "bidrag"),
    "val_lokaler": ("stod", "lokaler"),
    "val_arbetstraningsplatser": ("stod", "arbetstraningsplatser"),
    "val_esf": ("extern_samverkan", "esf"),
    "val_skoopi": ("extern_samverkan", "skoopi"),
}


def free_text_fields(data: dict[str, Any]) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every free-text value the documents print as the organisation's own
    plan: activities and indicators, measures, other förvaltningar's tasks,
    the alternative to IOP."""
    plan = data.get("handlingsplan")
    if isinstance(plan, dict):
        for index, activity in enumerate(plan.get("aktiviteter") or []):
            if isinstance(activity, dict):
                for key in ("aktivitet", "indikator"):
                    if isinstance(activity.get(key), str):
                        yield ("handlingsplan", "aktiviteter", index, key), activity[key]
    follow_up = data.get("uppfoljning")
    if isinstance(follow_up, dict):
        for index, measure in enumerate(follow_up.get("matt") or []):
            if isinstance(measure, str):
                yield ("uppfoljning", "matt", index), measure
    responsibility = data.get("ansvar")
    if isinstance(responsibility, dict):
        for index, role in enumerate(responsibility.get("ovriga") or []):
            if isinstance(role, dict) and isinstance(role.get("uppgift"), str):
                yield ("ansvar", "ovriga", index, "uppgift"), role["uppgift"]
    iop = data.get("iop")
    if isinstance(iop, dict) and isinstance(iop.get("alternativ"), str):
        yield ("iop", "alternativ"), iop["alternativ"]


def free_text_conflicts(data: dict[str, Any], source: Path, root: Any = None,
                        unconfirmed: frozenset[tuple[Any, ...]] = frozenset()) -> list[OpenItem]:
    """`unconfirmed` choices are open items already (a TODO answered by its
    suggestion): the text is checked against them once they are answered."""
    fields = [(path, text) for path, text in free_text_fields(data) if "TODO" not in text]
    choices_off = {concept: choice for concept, choice in CHOICE_CONCEPTS.items()
                   if isinstance(data.get(choice[0]), dict) and data[choice[0]].get(choice[1]) is False
                   and choice not in unconfirmed}
    if not fields or not choices_off:
        return []
    # Start-up time: the tokenizer and lemma table load only for a profile that can conflict.
    from policygen.nlp.sentences import sentences_of

    lexicon = load_lexicon()
    items: list[OpenItem] = []
    for (path, text), sentences in zip(fields, sentences_of([text for _, text in fields])):
        for sentence in sentences:
            found = concept_positions(lexicon, sentence.words, sentence.lemmas)
            if "negation" in found:
                continue
            for concept, choice in choices_off.items():
                if concept not in found:
                    continue
                if concept == "iop" and path == ("iop", "alternativ"):
                    continue  # the alternative to IOP may name what it replaces
                start, end = found[concept][0]
                said = " ".join(sentence.words[start:end])
                line, column = exact_position(root, path) if root is not None else (None, None)
                choice_line, _ = exact_position(root, choice) if root is not None else (None, None)
                where = f" (rad {choice_line})" if choice_line else ""
                items.append(OpenItem(
                    dotted(path),
                    f"'{dotted(path)}' talar om ”{said}” (”{text.strip()}”), men {dotted(choice)} är "
                    f"nej{where}; ändra valet till ja eller skriv om texten så att den inte lovar det",
                    source, line, column))
    return items
