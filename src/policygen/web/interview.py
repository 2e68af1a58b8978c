"""The guided interview: the profile asked step by step.

The steps are data (templates/sv/web/intervju.yaml), checked against the
profile's JSON Schema when loaded, so a question can never point at a field
the library does not know. The library validates the profile; this module
only decides which questions a step shows, reads the answers back and says
what is missing by the question's visible label.

No state is kept on the server: the answers so far travel in the page as a
hidden field (JSON), and every post carries them back."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from policygen.errors import UserError
from policygen.generate.recipes import recipe_for
from policygen.infra.resources import templates_dir
from policygen.infra.yamlio import load_yaml, locate, to_plain
from policygen.kommuner import Kommun, find_kommun
from policygen.profile.load import profile_schema
from policygen.profile.readiness import parse_date
from policygen.vocabulary import STYLES

MAX_ROWS = 50            # rows a list may have in the interview
MAX_STATE_CHARS = 200_000
_STYLE_LABELS = {"markaryd": "En policy med riktlinjer i samma dokument, och en handlingsplan",
                 "ljungby": "En kort policy och en separat verksamhetsplan"}


# -- the step definitions --------------------------------------------------------

@dataclass(frozen=True)
class Question:
    path: tuple[str, ...]          # the field in the profile
    label: str
    help: str
    example: str = ""
    suggestion: str = ""            # "ja"/"nej" for a yes/no question
    when: tuple[tuple[str, ...], bool] | None = None
    kind: str = "text"              # text, date, yesno, choice, list, table
    required: bool = False
    options: tuple[tuple[str, str], ...] = ()
    columns: tuple[Question, ...] = ()


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    intro: str
    preview: str
    questions: tuple[Question, ...] = ()
    per_document: tuple[Question, ...] = ()   # asked once per document of the style


def _interview_file() -> Path:
    return templates_dir() / "web" / "intervju.yaml"


@cache
def steps() -> tuple[Step, ...]:
    return load_steps(_interview_file())


def load_steps(path: Path) -> tuple[Step, ...]:
    """The steps of `path`, every field checked against the profile schema."""
    root = load_yaml(path, "intervjun")
    data = to_plain(root)
    schema = profile_schema()

    def fail(where: list[Any], message: str, hint: str) -> UserError:
        line, column = locate(root, where)
        return UserError(message, file=path, line=line, column=column, hint=hint)

    if not isinstance(data, dict) or not isinstance(data.get("steg"), list):
        raise fail([], "intervjun ska ha en lista 'steg:'", "se kommentaren överst i filen")
    result = []
    asked: set[tuple[str, ...]] = set()
    for index, raw in enumerate(data["steg"]):
        where = ["steg", index]
        if not isinstance(raw, dict) or not all(isinstance(raw.get(k), str) for k in ("id", "rubrik")):
            raise fail(where, "varje steg ska ha id: och rubrik:", "skriv t.ex. id: ansvar och rubrik: Ansvar")
        questions = tuple(_question(entry, (), schema, fail, where + ["falt", n])
                          for n, entry in enumerate(raw.get("falt") or []))
        per_document = tuple(_question(entry, ("dokument", "policy"), schema, fail, where + ["per_dokument", n])
                             for n, entry in enumerate(raw.get("per_dokument") or []))
        asked.update(q.path for q in questions)
        result.append(Step(raw["id"], raw["rubrik"], str(raw.get("inledning") or ""),
                           str(raw.get("forhandsvisning") or "policy"), questions, per_document))
    # Every field the schema requires in a section must be asked somewhere, or
    # the interview could never finish a valid profile.
    for section in schema["required"]:
        sub = schema["properties"][section]
        if section in ("kommun", "stil", "dokument"):
            continue
        for key in sub.get("required", ()):
            if (section, key) not in asked:
                raise fail(["steg"], f"intervjun frågar inte efter {section}.{key}, som profilen kräver",
                           "lägg till fältet i något steg")
    return tuple(result)


def _schema_at(schema: Mapping[str, Any], path: tuple[str, ...]) -> Mapping[str, Any] | None:
    node: Mapping[str, Any] | None = schema
    for part in path:
        if node is None or node.get("type") != "object":
            return None
        node = node.get("properties", {}).get(part)
    return node


def _is_required(schema: Mapping[str, Any], path: tuple[str, ...]) -> bool:
    parent = _schema_at(schema, path[:-1])
    return parent is not None and path[-1] in parent.get("required", ())


def _question(entry: Any, prefix: tuple[str, ...], schema: Mapping[str, Any], fail, where: list[Any]) -> Question:
    if not isinstance(entry, dict) or not isinstance(entry.get("falt"), str):
        raise fail(where, "varje fråga ska ha falt: med ett fält i profilen", "skriv t.ex. falt: ansvar.namnd")
    path = prefix + tuple(entry["falt"].split("."))
    sub = _schema_at(schema, path)
    if sub is None:
        raise fail(where + ["falt"], f"fältet {entry['falt']} finns inte i profilens schema",
                   "kontrollera stavningen mot profile.schema.json")
    kind = {"boolean": "yesno", "array": "list", "object": None}.get(sub.get("type", ""), "text")
    if kind is None:
        raise fail(where + ["falt"], f"{entry['falt']} är en hel grupp; fråga efter fälten i den",
                   "skriv ett fält per fråga")
    columns: tuple[Question, ...] = ()
    if kind == "list" and sub.get("items", {}).get("type") == "object":
        kind = "table"
        item = sub["items"]
        columns = tuple(Question((key,), str(col.get("title") or key), str(col.get("description") or ""),
                                 required=key in item.get("required", ()))
                        for key, col in item.get("properties", {}).items())
    options: tuple[tuple[str, str], ...] = ()
    if "enum" in sub:
        kind = "choice"
        options = tuple((str(o), _STYLE_LABELS.get(str(o), str(o))) for o in sub["enum"])
    if entry.get("typ") == "datum":
        if kind != "text":
            raise fail(where + ["typ"], "typ: datum passar bara ett textfält", "ta bort typ:")
        kind = "date"
    suggestion = str(entry.get("forslag") or "")
    if suggestion and (kind != "yesno" or suggestion not in ("ja", "nej")):
        raise fail(where + ["forslag"], "forslag: ska vara ja eller nej och står bara vid en ja/nej-fråga",
                   "ta bort forslag: eller skriv ja eller nej")
    when = None
    if entry.get("nar") is not None:
        condition = entry["nar"]
        target = tuple(str(condition.get("falt", "")).split(".")) if isinstance(condition, dict) else ()
        target_schema = _schema_at(schema, target) if target else None
        if target_schema is None or target_schema.get("type") != "boolean" or condition.get("ar") not in ("ja", "nej"):
            raise fail(where + ["nar"], "nar: ska peka på en ja/nej-fråga och ett svar",
                       "skriv t.ex. nar: {falt: iop.anvands, ar: ja}")
        when = (target, condition["ar"] == "ja")
    help_text = entry["hjalp"] if "hjalp" in entry else str(sub.get("description") or "")
    if "hjalp" not in entry and entry.get("exempel"):
        # The schema's own "t.ex. …" would repeat the example shown under it.
        help_text = re.sub(r",?\s*t\.ex\.[^.]*(\.[^.]*)?$", ".", help_text).replace("..", ".")
    return Question(path, str(entry.get("etikett") or sub.get("title") or path[-1]), str(help_text or ""),
                    str(entry.get("exempel") or ""), suggestion, when, kind, _is_required(schema, path),
                    options, columns)


# -- the organisation's words -------------------------------------------------------

def organisation_words(kommun: Kommun | None) -> dict[str, str]:
    """The words examples use for the organisation's bodies: Region Gotland has
    regionfullmäktige and regionstyrelsen, every kommun (and stad) the kommun ones."""
    region = kommun is not None and kommun.officiellt_namn.startswith("Region ")
    prefix = "Region" if region else "Kommun"
    lan = kommun.lan.removesuffix(" län") if kommun else ""
    if lan.endswith("s"):
        lan = lan[:-1]
    return {"fullmaktige": f"{prefix}fullmäktige", "styrelse": f"{prefix}styrelsen",
            "direktor": f"{prefix}direktör", "diarium": "RS" if region else "KS",
            "ordet": "regionen" if region else "kommunen", "lan_kort": lan or "i ert län"}


def example_text(question: Question, words: Mapping[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: words.get(m.group(1), m.group(0)), question.example)


# -- answers --------------------------------------------------------------------------

def clean(node: Any) -> Any:
    """Profile data without empty values: None, blank text and empty lists or
    groups are left out (as lines removed from the file), numbers become text.
    Nothing empty or None ever reaches the profile."""
    if isinstance(node, dict):
        result = {str(k): v for k, v in ((k, clean(v)) for k, v in node.items()) if v is not None}
        return result or None
    if isinstance(node, list):
        items = [v for v in (clean(item) for item in node) if v is not None]
        return items or None
    if node is None:
        return None
    if isinstance(node, bool):
        return node
    text = str(node).strip()
    return text or None


def state_from_text(text: str) -> dict[str, Any]:
    """The answers carried in the page. Anything that is not a map of answers
    (edited by hand, cut off) counts as no answers, never as an error page."""
    if not text or len(text) > MAX_STATE_CHARS:
        return {}
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return {}
    return clean(data) or {} if isinstance(data, dict) else {}


def state_text(data: Mapping[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def get(data: Mapping[str, Any], path: tuple[Any, ...]) -> Any:
    node: Any = data
    for part in path:
        if isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return None
    return node


def put(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    """Set (or, for None, remove) the value at `path`, removing groups left empty."""
    node = data
    for part in path[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            if value is None:
                return
            child = node[part] = {}
        node = child
    if value is None:
        node.pop(path[-1], None)
    else:
        node[path[-1]] = value
    cleaned = clean(data) or {}
    data.clear()
    data.update(cleaned)


def yes_no(value: Any) -> bool | None:
    if value is True or value is False:
        return value
    word = str(value or "").strip().lower()
    return True if word == "ja" else False if word == "nej" else None


def style_of(data: Mapping[str, Any]) -> str:
    style = data.get("stil")
    return style if style in STYLES else "markaryd"


def kommun_of(data: Mapping[str, Any]) -> Kommun | None:
    kommun = data.get("kommun")
    if not isinstance(kommun, dict):
        return None
    code = kommun.get("kommunkod")
    found = find_kommun(str(kommun.get("namn") or ""))
    if code and (found is None or found.kod != str(code)):
        return None  # a code that belongs to no kommun, or to another one
    return found


def decision_blocks(style: str) -> list[tuple[str, str]]:
    """(dokument key, document title) for each document the style makes."""
    seen: dict[str, str] = {}
    for document in recipe_for(style).documents:
        seen.setdefault(document.doc_type, document.title)
    return list(seen.items())


# -- one step as the page shows it -------------------------------------------------------

@dataclass
class Shown:
    """A question as the page shows it, with its value and problems."""
    question: Question
    id: str
    name: str
    value: Any                      # text; "ja"/"nej"/""; list of texts; list of row dicts
    example: str = ""
    hidden: bool = False            # its condition is not met (JS shows it when the answer changes)
    errors: list[str] = field(default_factory=list)
    heading: str = ""               # a block heading before it (decision blocks)
    when_id: str = ""               # the id of the yes/no question it depends on
    when_value: str = ""

    @property
    def label(self) -> str:
        return self.question.label


def field_name(path: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in path)


def field_id(path: tuple[Any, ...]) -> str:
    return "f-" + "-".join(str(p) for p in path)


def questions_of(step: Step, data: Mapping[str, Any]) -> list[tuple[Question, str]]:
    """The step's questions for this profile (decision blocks for the style's
    documents), each with the heading it starts, if any."""
    result: list[tuple[Question, str]] = [(q, "") for q in step.questions]
    for key, title in decision_blocks(style_of(data)) if step.per_document else []:
        for n, template in enumerate(step.per_document):
            question = Question(("dokument", key) + template.path[2:], template.label, template.help,
                                template.example, template.suggestion, None, template.kind, template.required,
                                template.options, template.columns)
            result.append((question, title if n == 0 else ""))
    return result


def applies(question: Question, data: Mapping[str, Any]) -> bool:
    if question.when is None:
        return True
    target, wanted = question.when
    answer = yes_no(get(data, target))
    # Unanswered: the question is shown, so a page without JavaScript asks it.
    return answer is None or answer == wanted


def shown_step(step: Step, data: Mapping[str, Any], extra_row: str = "") -> list[Shown]:
    words = organisation_words(kommun_of(data))
    shown = []
    for question, heading in questions_of(step, data):
        value = get(data, question.path)
        if question.kind in ("list", "table"):
            rows = [row for row in (value if isinstance(value, list) else [])][:MAX_ROWS]
            if question.kind == "list":
                rows = [str(r) for r in rows if not isinstance(r, (dict, list))]
            else:
                rows = [r for r in rows if isinstance(r, dict)]
            if extra_row == field_name(question.path) and len(rows) < MAX_ROWS:
                rows.append("" if question.kind == "list" else {})
            if not rows:  # one empty row to start with; an empty row never reaches the profile
                rows.append("" if question.kind == "list" else {})
            value = rows
        elif question.kind == "yesno":
            answer = yes_no(value)
            value = "" if answer is None else "ja" if answer else "nej"
        elif question.path == ("kommun", "namn"):
            value = str(value or "")
        else:
            value = "" if value is None or isinstance(value, (dict, list)) else str(value)
        when_id = when_value = ""
        if question.when:
            when_id, when_value = field_name(question.when[0]), "ja" if question.when[1] else "nej"
        shown.append(Shown(question, field_id(question.path), field_name(question.path), value,
                           example_text(question, words), not applies(question, data), heading=heading,
                           when_id=when_id, when_value=when_value))
    return shown


# -- answers posted from one step ----------------------------------------------------------

def read_step(step: Step, data: dict[str, Any], form: Mapping[str, str]) -> dict[str, Any]:
    """The profile with this step's posted answers put in. A question whose
    condition is not met is removed (it does not apply), and so are empty
    values and rows."""
    data = copy.deepcopy(data)
    for question, _ in questions_of(step, data):
        name = field_name(question.path)
        if question.path == ("kommun", "namn"):
            continue  # chosen by choose_organisation
        if question.kind == "list":
            texts = (form.get(f"{name}.{index}", "").strip() for index in _row_indexes(name, form))
            value: Any = [text for text in texts if text][:MAX_ROWS] or None
        elif question.kind == "table":
            rows = []
            for index in _row_indexes(name, form):
                row = {c.path[0]: form.get(f"{name}.{index}.{c.path[0]}", "").strip() for c in question.columns}
                row = {k: v for k, v in row.items() if v}
                if row:
                    rows.append(row)
            value = rows or None
        elif question.kind == "yesno":
            answer = yes_no(form.get(name))
            value = None if answer is None else answer
        else:
            value = form.get(name, "").strip() or None
        put(data, question.path, value)
    for question, _ in questions_of(step, data):
        if not applies(question, data) or (question.when and yes_no(get(data, question.when[0])) is None):
            if question.when and yes_no(get(data, question.when[0])) is None:
                continue  # asked but the answer it depends on is still open: keep what was written
            put(data, question.path, None)
    return data


def _row_indexes(name: str, form: Mapping[str, str]) -> list[int]:
    prefix = name + "."
    found = set()
    for key in form:
        if key.startswith(prefix):
            head = key[len(prefix):].split(".", 1)[0]
            if head.isascii() and head.isdigit() and int(head) < MAX_ROWS:
                found.add(int(head))
    return sorted(found)


def choose_organisation(data: dict[str, Any], typed: str) -> tuple[dict[str, Any], str | None]:
    """The organisation typed (name or code) and what the kommun table knows
    about it, or a message saying what to do."""
    typed = " ".join(typed.split())
    if not typed:
        return data, ("Skriv kommunens namn eller kommunkod och välj i listan, t.ex. Ljungby eller 0781.")
    found = find_kommun(typed)
    if found is None:
        what = "kommunkoden" if typed.isdigit() else "namnet"
        return data, (f"Hittar inte {what} ”{typed[:60]}” bland Sveriges 290 kommuner. Välj kommunen i listan, "
                      "eller skriv den fyrsiffriga koden, t.ex. 0781 för Ljungby eller 0980 för Region Gotland.")
    data = copy.deepcopy(data)
    old: dict[str, Any] = data["kommun"] if isinstance(data.get("kommun"), dict) else {}
    kommun = {"namn": found.namn, "kommunkod": found.kod, "lan": found.lan, "region": found.region}
    if old.get("namn") == found.namn and old.get("officiellt_namn"):
        kommun["officiellt_namn"] = old["officiellt_namn"]
    data["kommun"] = kommun
    return data, None


def organisation_problem(data: Mapping[str, Any]) -> str | None:
    """A kommun in the profile (an uploaded one) that the table does not know."""
    kommun = data.get("kommun")
    if not isinstance(kommun, dict) or not kommun.get("namn"):
        return "Välj kommunen eller regionen först."
    if kommun_of(data) is None:
        code = kommun.get("kommunkod")
        if code and find_kommun(str(code)) is None:
            return (f"Kommunkoden {str(code)[:10]} hör inte till någon kommun. Välj kommunen i listan, så fylls "
                    "rätt kod i.")
        if code:
            return (f"Kommunkoden {str(code)[:10]} hör inte till {str(kommun['namn'])[:60]}. Välj kommunen i "
                    "listan, så fylls rätt kod i.")
        return f"”{str(kommun['namn'])[:60]}” finns inte bland Sveriges 290 kommuner. Välj kommunen i listan."
    return None


def step_problems(step: Step, data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Every problem on the step at once, as (field id, message by its label)."""
    problems: list[tuple[str, str]] = []
    if step.id == "organisation":
        problem = organisation_problem(data)
        if problem:
            problems.append((field_id(("kommun", "namn")), problem))
    for question, _ in questions_of(step, data):
        if not applies(question, data) or question.path == ("kommun", "namn"):
            continue
        value = get(data, question.path)
        fid, label = field_id(question.path), question.label
        if value is None:
            if _needed(question, data) and question.kind == "yesno":
                problems.append((fid, f"{label} Välj ja eller nej." if label.endswith("?")
                                 else f"Välj ja eller nej vid ”{label}”."))
            elif _needed(question, data) and question.kind in ("list", "table"):
                problems.append((fid + "-0" + ("-" + question.columns[0].path[0] if question.columns else ""),
                                 f"”{label}” behöver minst en rad. Fyll i den första raden."))
            elif _needed(question, data):
                example = example_text(question, organisation_words(kommun_of(data))).rstrip(".")
                hint = f" Skriv t.ex. {example}." if question.example else ""
                problems.append((fid, f"Fyll i ”{label}”.{hint}"))
            continue
        if question.kind == "date" and parse_date(value) is None:
            problems.append((fid, f"”{label}” är inget datum som finns. Välj ett datum i kalendern eller "
                                  "skriv det som ÅÅÅÅ-MM-DD, t.ex. 2027-02-22."))
        if question.kind == "table" and isinstance(value, list):
            for index, row in enumerate(value):
                for column in question.columns:
                    if column.required and not (isinstance(row, dict) and row.get(column.path[0])):
                        problems.append((f"{fid}-{index}-{column.path[0]}",
                                         f"”{column.label}” saknas i rad {index + 1} av ”{label}”. Fyll i "
                                         "rutan, eller töm hela raden för att ta bort den."))
    return problems


def _needed(question: Question, data: Mapping[str, Any]) -> bool:
    """A field the profile must have: required all the way up from the top, or
    required in an optional group that has other answers (a vision's name
    without its text)."""
    if not question.required:
        return False
    schema = profile_schema()
    if all(_is_required(schema, question.path[:n]) for n in range(1, len(question.path))):
        return True
    return isinstance(get(data, question.path[:-1]), dict)


def first_open_step(data: Mapping[str, Any]) -> int:
    """Where an uploaded profile continues: the first step with something missing."""
    for index, step in enumerate(steps()):
        if step_problems(step, data):
            return index
    return len(steps())
