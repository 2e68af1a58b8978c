"""Jinja2 for clause and recipe text.

Profile values are inserted as data and never rendered again, so a value that
contains "{{ ... }}" reaches the document literally. The sandbox keeps clause
files (which experts edit) from reaching Python internals.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import jinja2
from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from policygen.infra.cache import cached, decode_code, store


def swedish_list(items: Iterable[Any], conjunction: str = "och") -> str:
    """'a', 'a och b', 'a, b och c'."""
    values = [str(item) for item in items if item not in (None, "")]
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + f" {conjunction} " + values[-1]


def lower_first(text: str) -> str:
    # Keep acronyms such as "IOP" or "ASF" intact.
    if len(text) > 1 and text[:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


_MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
           "oktober", "november", "december")


def is_iso_date(value: Any) -> bool:
    """True for a real date written YYYY-MM-DD."""
    import datetime as dt

    try:
        return isinstance(value, str) and len(value) == 10 and bool(dt.date.fromisoformat(value))
    except ValueError:
        return False


def date_in_words(value: Any) -> str:
    """'2030-12-31' → '31 december 2030': running text writes dates in words
    (Myndigheternas skrivregler); other text is returned as it is."""
    if not is_iso_date(value):
        return str(value)
    year, month, day = (int(part) for part in value.split("-"))
    return f"{day} {_MONTHS[month - 1]} {year}"


_WHEN_NEEDED = ("vid behov", "när det behövs", "efter behov", "när behov finns", "när behov uppstår")


def when_needed(frequency: Any) -> bool:
    """True for a frequency that is no schedule ("vid behov"): the text then
    promises no regular meetings."""
    text = " ".join(str(frequency).casefold().split())
    return any(phrase in text for phrase in _WHEN_NEEDED)


def _make_environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False,
                               trim_blocks=True, lstrip_blocks=True)
    env.filters["lista"] = swedish_list
    env.filters["gemen"] = lower_first
    env.filters["versal"] = upper_first
    env.filters["utan_punkt"] = lambda text: str(text).rstrip().rstrip(".")
    env.filters["ar_datum"] = is_iso_date
    env.filters["datum_text"] = date_in_words
    env.filters["vid_behov"] = when_needed
    return env


ENVIRONMENT = _make_environment()


def _stored_code(kind: str, source: str, compile_code):
    """Jinja's compiled code for `source`, from the cache folder or compiled by
    compile_code() (which raises TemplateSyntaxError; nothing is stored then)."""
    import marshal


    identity = (kind, jinja2.__version__, sys.version, source)
    stored = cached("templates", identity, decode_code)  # a damaged or foreign entry reads as None
    if stored is not None:
        return stored
    code = compile_code()
    store("templates", identity, marshal.dumps(code))
    return code


def _template_from_code(code):
    return ENVIRONMENT.template_class.from_code(ENVIRONMENT, code, ENVIRONMENT.make_globals(None), None)


@lru_cache(maxsize=4096)
def compile_template(source: str):
    """The template for `source`. Compiling the library's templates was a third
    of a generate run, so the compiled code is kept in the cache folder."""
    return _template_from_code(_stored_code("mall", source, lambda: ENVIRONMENT.compile(source)))


@lru_cache(maxsize=1024)
def compile_condition(source: str):
    """A condition such as `iop.anvands`, as Environment.compile_expression
    builds it (an assignment of the expression to `result`), with the compiled
    code kept in the cache folder like a template's."""
    from jinja2 import nodes
    from jinja2.environment import TemplateExpression

    def compile_code():
        ENVIRONMENT.compile_expression(source)  # Jinja's own checks and error messages
        from jinja2.parser import Parser

        expression = Parser(ENVIRONMENT, source, state="variable").parse_expression()
        expression.set_environment(ENVIRONMENT)
        body = [nodes.Assign(nodes.Name("result", "store"), expression, lineno=1)]
        return ENVIRONMENT.compile(nodes.Template(body, lineno=1))

    return TemplateExpression(_template_from_code(_stored_code("villkor", source, compile_code)),
                              undefined_to_none=False)


def render(source: str, context: dict[str, Any]) -> str:
    return " ".join(compile_template(source).render(context).split())


__all__ = ["render", "compile_template", "compile_condition", "swedish_list",
           "TemplateSyntaxError", "UndefinedError"]
