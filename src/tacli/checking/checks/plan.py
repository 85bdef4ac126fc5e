"""Planning elements (Dunst et al., 2018): every element of the plan written down.

Blank text is missing text: an element of white space, or of empty entries,
is missing. A person under an element of people is "roles and
responsibilities of individual staff": one with neither is incomplete.
"""

from __future__ import annotations

from pydantic import BaseModel

from tacli.domain.frameworks import element_frameworks, missing_elements
from tacli.domain.records import present
from tacli.core.findings import Level, Rule
from tacli.standards.fields import field_value

PLAN_ELEMENT = Rule("plan-element", Level.ERROR, "A planning element (objectives and goals, logic model, ...) is missing or empty, or a person in it has no role or responsibilities.")

RULES = (PLAN_ELEMENT,)


def check(context):
    plan = context.engagement.plan
    missing_ids = {element.id for element in missing_elements(context.spec, context.engagement)}  # what `tacli due` asks to write
    for framework in element_frameworks(context.spec, context.engagement):
        for element in framework.elements:
            value = field_value(plan, element.id)
            loc = context.first_present(("plan", element.id), ("plan",), ())
            if element.id not in missing_ids:  # written: complete, or a record or people in part
                if element.value == "record" and isinstance(value, BaseModel):
                    missing = [f for f in element.fields if not present(field_value(value, f))]
                    if missing:
                        yield context.at(PLAN_ELEMENT, loc, f"plan.{element.id} ({element.title}) lacks {_join(missing)}: add {'them' if len(missing) > 1 else 'it'}")
                elif element.value == "people":
                    yield from _people(context, element, value)
                continue
            shape = _shape(element)
            yield context.at(
                PLAN_ELEMENT, loc, f"plan element '{element.id}' ({element.title}) is missing: add plan.{element.id} {shape}",
                group="plan elements missing", short=f"{element.title}: add plan.{element.id} {shape}",
                hint="write them in the file, or in the plan form of: tacli serve {file}",
            )


def _people(context, element, people):
    for index, person in enumerate(people):
        if not present(person.role) and not present(person.responsibilities):
            yield context.at(
                PLAN_ELEMENT, ("plan", element.id, index),
                f"person {index + 1} of plan.{element.id} ({person.name}) has no role and no responsibilities: add what this person does and how it contributes ({element.title})",
            )


def _shape(element) -> str:
    if element.value == "record":
        return "with " + _join(element.fields)
    return {"text": "as a paragraph", "text-list": "as a list", "people": "as a list of people with name, role and responsibilities"}[element.value]


def _join(words) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
