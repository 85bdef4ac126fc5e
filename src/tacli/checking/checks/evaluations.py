"""What the completed evaluation forms of a service said (CALI, Delivery,
Facilitator 12: "Request completed evaluation forms"): the counts must add up,
and ratings need the forms they are the mean of. The scale of the ratings is
the standards' (`rating_scale`), held by the engagement model itself."""

from __future__ import annotations

from tacli.core.findings import Level, Rule
from tacli.domain.evaluations import rated_forms
from tacli.standards.fields import field_value

EVALUATION_COUNT = Rule("evaluation-count", Level.ERROR, "A service's evaluation forms do not add up: more returned than requested, more rated than returned, or ratings without the forms they come from.")

RULES = (EVALUATION_COUNT,)


def check(context):
    for index, service in enumerate(context.engagement.services):
        forms = service.evaluation_forms
        if forms is None:
            continue
        loc = ("services", index, "evaluation_forms")
        where = f"the evaluation forms of service '{service.id}'"
        if forms.requested is not None and forms.returned is not None and forms.returned > forms.requested:
            yield context.at(EVALUATION_COUNT, loc + ("returned",), f"{where} say {forms.returned} returned of {forms.requested} requested: correct the counts (returned are at most those requested)")
        if forms.rated is not None and forms.returned is not None and forms.rated > forms.returned:
            yield context.at(EVALUATION_COUNT, loc + ("rated",), f"{where} say {forms.rated} rated of {forms.returned} returned: correct the counts (rated are at most those returned)")
        given = [rating.id for rating in context.spec.every("ratings") if field_value(forms.ratings, rating.id) is not None]
        if given and not rated_forms(forms):
            count = "no count of forms returned" if forms.rated is None and forms.returned is None else "no form returned"
            yield context.at(EVALUATION_COUNT, context.first_present(loc + ("ratings",), loc),
                             f"{where} give ratings ({', '.join(given)}) with {count}: add `returned:` (and `rated:` when fewer forms gave them), so that the means can be added up")
