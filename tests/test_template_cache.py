"""Templates and conditions compiled once are read back from the cache folder
and behave exactly as Jinja compiles them; syntax errors keep Jinja's message."""

from __future__ import annotations

import pytest

from policygen.generate.templating import (
    ENVIRONMENT,
    TemplateSyntaxError,
    compile_condition,
    compile_template,
    render,
)

CONTEXTS = [
    {"iop": {"anvands": True}, "upphandling": {"reserverade_kontrakt": False}, "namn": "Ljungby", "lista": ["a", "b"]},
    {"iop": {"anvands": False}, "upphandling": {"reserverade_kontrakt": True}, "namn": "Markaryd", "lista": []},
]
CONDITIONS = ["iop.anvands", "iop.anvands and not upphandling.reserverade_kontrakt",
              "namn == 'Ljungby'", "lista | length > 1", "upphandling.reserverade_kontrakt or iop.anvands"]
TEMPLATES = ["{{ namn }} kommun", "{% if iop.anvands %}IOP används{% else %}ingen IOP{% endif %}",
             "{{ lista | lista }}", "{{ namn | gemen }} och {{ 'abc' | versal }}"]


@pytest.mark.parametrize("source", CONDITIONS)
def test_a_cached_condition_answers_as_jinja_compiles_it(source: str) -> None:
    reference = ENVIRONMENT.compile_expression(source, undefined_to_none=False)
    for _attempt in range(2):  # compiled and stored, then read back from the cache folder
        compile_condition.cache_clear()
        condition = compile_condition(source)
        assert [condition(**context) for context in CONTEXTS] == [reference(**context) for context in CONTEXTS]


@pytest.mark.parametrize("source", TEMPLATES)
def test_a_cached_template_renders_as_jinja_compiles_it(source: str) -> None:
    expected = [ENVIRONMENT.from_string(source).render(context) for context in CONTEXTS]
    for _attempt in range(2):
        compile_template.cache_clear()
        assert [compile_template(source).render(context) for context in CONTEXTS] == expected
        assert render(source, CONTEXTS[0]) == " ".join(expected[0].split())


@pytest.mark.parametrize("source", ["iop anvands", "iop.anvands and", "{{ x }}"])
def test_a_broken_condition_keeps_jinjas_message(source: str) -> None:
    with pytest.raises(TemplateSyntaxError) as expected:
        ENVIRONMENT.compile_expression(source)
    compile_condition.cache_clear()
    with pytest.raises(TemplateSyntaxError) as raised:
        compile_condition(source)
    assert raised.value.message == expected.value.message


def test_a_broken_template_is_not_stored() -> None:
    for _attempt in range(2):
        compile_template.cache_clear()
        with pytest.raises(TemplateSyntaxError):
            compile_template("{% if namn %}utan slut")
