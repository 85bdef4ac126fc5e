"""The engagement format: not-engagement, schema-required, schema-unknown-key,
schema-type and unknown-value, against the spec-derived model of the mini standards."""

from __future__ import annotations

import pytest
from conftest import MINI_ENGAGEMENT, findings_of, hits, messages, variants_of

BASE = MINI_ENGAGEMENT  # tests/data/mini-engagement.yaml; line numbers below refer to it


case = variants_of(BASE)



def test_base_is_clean():
    assert hits(BASE) == []


# not-engagement


def test_top_level_list():
    text = "- tacli: 1\n- id: elm-school\n"
    assert hits(text) == [("not-engagement", 1, 1)]
    assert messages(text) == ["the file holds a list, not an engagement: an engagement is a mapping that starts with `tacli: 1`"]


def test_top_level_scalar():
    text = "# a note\nJust some text\n"
    assert hits(text) == [("not-engagement", 2, 1)]
    assert "holds a single value" in messages(text)[0]


def test_mapping_without_tacli():
    text = "\nname: Elm School\nkind: school\n"
    assert hits(text) == [("not-engagement", 2, 1)]
    assert messages(text) == ["not an engagement file: add `tacli: 1` as its first line, or create one with `tacli new engagement`"]


# schema-required


def test_missing_top_level_key():
    text = case("title: Data use at Elm School\n", "")
    assert hits(text) == [("schema-required", 1, 1)]
    assert messages(text) == ["missing required key 'title': add it"]


def test_missing_nested_key_is_reported_at_its_mapping():
    text = case("  name: Elm School\n", "")
    assert hits(text) == [("schema-required", 6, 1)]
    assert messages(text) == ["missing required key 'name' in recipient: add it"]


def test_missing_key_of_a_service():
    text = case("    date: 2026-10-01\n", "")
    assert hits(text) == [("schema-required", 25, 5)]
    assert messages(text) == ["missing required key 'date' in service 'first-visit': add it"]


def test_missing_status_of_a_duty():
    text = case("{status: done, date: 2026-09-30, evidence: agenda.pdf}", "{date: 2026-09-30, evidence: agenda.pdf}")
    assert hits(text) == [("schema-required", 33, 7)]


# schema-unknown-key


def test_misspelt_top_level_key():
    text = case("title:", "titel:")
    assert hits(text) == [("schema-required", 1, 1), ("schema-unknown-key", 3, 1)]
    assert messages(text)[1] == "unknown key 'titel' in the top level: did you mean 'title'?"


def test_misspelt_nested_key():
    text = case("    hours: 3\n", "    hours: 3\n    hour: 3\n")
    assert hits(text) == [("schema-unknown-key", 30, 5)]
    assert messages(text) == ["unknown key 'hour' in service 'first-visit': did you mean 'hours'?"]


def test_misspelt_key_of_a_duty_record():
    text = case("evidence: agenda.pdf}", "evidense: agenda.pdf}")
    assert hits(text) == [("duty-evidence", 33, 7), ("schema-unknown-key", 33, 77)]  # checked without it: no evidence
    assert messages(text)[1].endswith(": did you mean 'evidence'?")


def test_unknown_key_without_a_close_match_lists_the_known_keys():
    text = case("  name: Elm School\n", "  name: Elm School\n  zzz: 1\n")
    assert hits(text) == [("schema-unknown-key", 9, 3)]
    assert messages(text) == ["unknown key 'zzz' in recipient: remove it, or use one of the known keys: kind, name, district, title_i, in_need_of_improvement, point_person."]


# schema-type


def test_text_where_a_number_belongs():
    text = case("hours: 3", "hours: three")
    assert hits(text) == [("schema-type", 29, 12)]
    assert messages(text) == ["the hours of service 'first-visit' should be a number of hours, not 'three': write it as in hours: 1.5"]


@pytest.mark.parametrize("written, number", [("1:30", "1.5"), ("2 hours", "2"), ("90 min", "1.5"), ("1h30", "1.5")])
def test_hours_written_as_a_person_says_them_are_given_as_the_number_to_write(written, number):
    """The command line and the prompts read 1:30 or 90 min; a file takes a number: the message gives it."""
    text = case("hours: 3", f"hours: {written}")
    assert messages(text) == [f"the hours of service 'first-visit' should be a number, not '{written}': write hours: {number}"]


def test_number_out_of_range():
    assert hits(case("hours: 3", "hours: 25")) == [("schema-type", 29, 12)]


def test_date_that_does_not_exist():
    text = case("start: 2026-09-01", "start: 2026-02-30")
    assert hits(text) == [("schema-type", 14, 8)]
    assert messages(text) == ["start is '2026-02-30', not a real date: give a day that exists, as YYYY-MM-DD"]


def test_date_written_without_hyphens():
    text = case("start: 2026-09-01", "start: 20260105")
    assert hits(text) == [("schema-type", 14, 8)]
    assert messages(text) == ["start should be a date written YYYY-MM-DD (found 20260105)"]


@pytest.mark.parametrize("written, said", [
    ("11/20/2026", "start should be a date written YYYY-MM-DD: write '11/20/2026' as 2026-11-20"),
    ("'20 November 2026'", "start should be a date written YYYY-MM-DD: write '20 November 2026' as 2026-11-20"),
    ("12/8/2026", "start should be a date written YYYY-MM-DD: '12/8/2026' reads as 2026-12-08 or 2026-08-12; write the one you mean"),
    ("yesterday", "start should be a date written YYYY-MM-DD (found 'yesterday')"),
    ("31/02/2026", "start should be a date written YYYY-MM-DD (found '31/02/2026')"),
])
def test_a_date_written_another_way_is_given_as_it_should_be(written, said):
    assert messages(case("start: 2026-09-01", f"start: {written}")) == [said]


def test_date_with_a_time():
    assert hits(case("date: 2026-10-01", "date: 2026-10-01 10:00:00")) == [("schema-type", 26, 11)]


def test_quoted_date_is_accepted():
    assert hits(case("start: 2026-09-01", "start: '2026-09-01'")) == []


def test_scalar_where_a_list_belongs():
    text = case("frameworks: [mini]", "frameworks: mini")
    assert hits(text) == [("schema-type", 5, 13)]
    assert messages(text) == ["frameworks should be a list (found 'mini')"]


def test_scalar_where_a_mapping_belongs():
    text = case("recipient:\n  kind: school\n  name: Elm School\n", "recipient: Elm School\n")
    assert hits(text) == [("schema-type", 6, 12)]
    assert messages(text) == ["recipient should be a mapping of keys and values (found 'Elm School')"]


def test_mapping_where_a_list_belongs():
    text = BASE[: BASE.index("services:")] + "services:\n  id: first-visit\n"
    assert hits(text) == [("schema-type", 24, 1)]
    assert messages(text) == ["services should be a list (found a mapping)"]


def test_id_that_is_not_a_slug():
    text = case("id: elm-school", "id: Elm_School")
    assert hits(text) == [("schema-type", 2, 5)]
    assert "lower-case letters and digits joined by hyphens" in messages(text)[0]


@pytest.mark.parametrize("written", ["0o17", "15", "1e3", "0x1f", "true"])
def test_an_id_written_as_a_number_is_not_read_as_one(written):
    """`id: 0o17` would be filed under 15/: an id is text, and a number is a finding."""
    text = case("id: elm-school", f"id: {written}")
    found = findings_of(text)
    assert [(f.rule, f.line, f.column) for f in found] == [("schema-type", 2, 5)]
    assert "write the id in quotes" in found[0].message or "should be text" in found[0].message


@pytest.mark.parametrize("reserved", ["con", "nul", "aux", "prn", "com1", "lpt9"])
def test_ids_that_windows_keeps_for_devices(reserved):
    engagement = case("id: elm-school", f"id: {reserved}")
    service = case("  - id: first-visit", f"  - id: {reserved}")
    assert hits(engagement) == [("schema-type", 2, 5)]
    assert messages(engagement) == [f"id '{reserved}' is a name Windows keeps for a device, and reports are filed under ids: choose another id"]
    assert [rule for rule, _, _ in hits(service)] == ["schema-type"]


def test_a_quoted_id_is_text():
    assert hits(case("id: elm-school", 'id: "elm-2026"')) == []


@pytest.mark.parametrize("old, new", [
    ("title: Data use at Elm School", "title: '   '"),
    ("  name: Elm School", "  name: ''"),
    ("  organization: The center", "  organization: ' '"),
    ("    name: Dana Ruiz\nstart", "    name: '  '\nstart"),
])
def test_blank_required_text_is_missing_text(old, new):
    found = findings_of(case(old, new))
    assert [f.rule for f in found] == ["schema-type"]
    assert "should not be blank: write it out" in found[0].message


NEWER_VERSION = "unsupported engagement format version 2, made by a newer tacli: upgrade tacli, or write `tacli: 1`"


def test_unsupported_format_version():
    text = case("tacli: 1", "tacli: 2")
    assert hits(text) == [("schema-type", 1, 8)]
    assert messages(text) == [NEWER_VERSION]


@pytest.mark.parametrize("text", [
    "tacli: 2\n",  # nothing else: no "missing required key" for the keys of a format this tacli does not know
    case("tacli: 1", "tacli: 2", case("tier: basic", "tier: basix", case("  name: Elm School", "  name: Elm School\n  size: 3"))),
], ids=["alone", "with-other-mistakes"])
def test_an_unsupported_format_version_is_the_only_finding(text):
    assert [(f.rule, f.message) for f in findings_of(text)] == [("schema-type", NEWER_VERSION)]


@pytest.mark.parametrize("value", ["'1'", "0", "one"])
def test_a_version_that_is_not_newer_says_what_to_write(value):
    text = case("tacli: 1", f"tacli: {value}")
    assert hits(text) == [("schema-type", 1, 8)]
    assert messages(text)[0].startswith("unsupported engagement format version ") and messages(text)[0].endswith(": write `tacli: 1`")
    assert "newer" not in messages(text)[0]


def test_duty_status_outside_its_values():
    text = case("{status: done, date: 2026-09-30, evidence: agenda.pdf}", "{status: finished}")
    assert hits(text) == [("schema-type", 33, 53)]
    assert "should be 'done', 'not-applicable' or 'open' (found 'finished')" in messages(text)[0]


# unknown-value, with a "did you mean"

UNKNOWN = [
    pytest.param("type: visit", "type: vist", (27, 11), "unknown support type 'vist' in the type of service 'first-visit': did you mean 'visit'?", id="support-type"),
    pytest.param("topics: [data]", "topics: [dta]", (30, 14), "unknown topic 'dta' in the topics of service 'first-visit': did you mean 'data'?", id="topic"),
    pytest.param("partner: center", "partner: centre", (11, 12), "unknown partner 'centre' in provider.partner: did you mean 'center'?", id="partner"),
    pytest.param("tier: basic", "tier: basc", (4, 7), "unknown tier 'basc' in tier: did you mean 'basic'?", id="tier"),
    pytest.param("frameworks: [mini]", "frameworks: [mni]", (5, 14), "unknown framework 'mni' in frameworks: did you mean 'mini'?", id="framework"),
    pytest.param("mode: on-site", "mode: onsite", (28, 11), "unknown delivery mode 'onsite' in the mode of service 'first-visit': did you mean 'on-site'?", id="mode"),
    pytest.param("kind: school", "kind: schol", (7, 9), "unknown recipient kind 'schol' in recipient.kind: did you mean 'school'?", id="recipient-kind"),
    pytest.param(
        "planning.facilitator.prepare-agenda:", "planning.facilitator.prepare-agend:", (33, 7),
        "unknown duty id 'planning.facilitator.prepare-agend' in the duties of service 'first-visit': did you mean 'planning.facilitator.prepare-agenda'?",
        id="duty",
    ),
    pytest.param("    internet:", "    internett:", (23, 5), "unknown readiness criterion 'internett' in coaching.readiness: did you mean 'internet'?", id="readiness"),
    pytest.param("  goals: [", "  goal: [", (17, 3), "unknown plan element 'goal' in plan: did you mean 'goals'?", id="plan-element"),
]


# An unknown value in its place (a support type, a tier) leaves nothing to check
# without guessing; an unknown key (a misspelled duty id) can be left out, and
# every other rule still runs, so the file shows all its findings at once.
LEFT_OUT_AND_CHECKED = {"duty": "duty-open", "readiness": "coaching-readiness", "plan-element": "plan-element"}


@pytest.mark.parametrize("old, new, position, message", UNKNOWN)
def test_unknown_value(old, new, position, message, request):
    text = case(old, new)
    name = request.node.callspec.id
    found = hits(text)
    assert ("unknown-value", *position) in found
    assert [m for m in messages(text) if m.startswith("unknown ")] == [message]
    if name in LEFT_OUT_AND_CHECKED:  # checked without it: the key it should have been is missing
        assert {rule for rule, *_ in found} == {"unknown-value", LEFT_OUT_AND_CHECKED[name]}
    else:
        assert found == [("unknown-value", *position)]


def test_a_file_with_a_misspelled_duty_id_shows_all_its_findings():
    from conftest import MINI_STANDARDS, checker_for
    from tacli.io.yamlsource import load_bytes

    text = case("planning.facilitator.prepare-agenda:", "planning.facilitator.prepare-agend:")
    text = text.replace("completed: 2026-10-05", "completed: 2026-09-01")  # before its service: tast-date
    rules = {rule for rule, *_ in hits(text)}
    assert {"unknown-value", "tast-date"} <= rules
    result = checker_for(MINI_STANDARDS).read_document(load_bytes(text.encode("utf-8"), "case.yaml"))
    assert not result.usable and result.checkable is not None  # never used by reports, edits or the site


def test_unknown_role_in_plan_staff_roles():
    # plan.team is the `people` element of the mini standards' second framework
    text = case("  goals: [Teachers use data]\n", "  goals: [Teachers use data]\n  team:\n    - {name: Dana Ruiz, role: facilitatr}\n")
    assert hits(text) == [("unknown-value", 19, 31)]
    assert messages(text) == ["unknown role 'facilitatr' in the role of plan.team item 1: did you mean 'facilitator'?"]


def test_known_role_in_plan_staff_roles():
    text = case("frameworks: [mini]", "frameworks: [mini, plain]")
    assert hits(case("  goals: [Teachers use data]\n", "  goals: [Teachers use data]\n  team:\n    - {name: Dana Ruiz, role: facilitator}\n", text)) == []


INTENSIVE_SECTION = "intensive:\n  features:\n    {feature}: {{{indicator}: Roles are in the plan}}\ncoaching:"


def test_unknown_feature():
    text = case("coaching:", INTENSIVE_SECTION.format(feature="clarty", indicator="roles"))
    assert hits(text) == [("unknown-value", 20, 5)]
    assert messages(text) == ["unknown feature 'clarty' in intensive.features: did you mean 'clarity'?"]


def test_unknown_indicator():
    text = case("coaching:", INTENSIVE_SECTION.format(feature="clarity", indicator="rolez"))
    assert hits(text) == [("unknown-value", 20, 15)]
    assert messages(text) == ["unknown indicator of clarity 'rolez' in intensive.features.clarity: did you mean 'roles'?"]


def test_unknown_value_without_a_close_match_lists_the_known_ones():
    text = case("topics: [data]", "topics: [mathematics]")
    assert hits(text) == [("unknown-value", 30, 14)]
    assert messages(text) == ["unknown topic 'mathematics' in the topics of service 'first-visit': known: data."]


def test_tier_alias_is_accepted():
    assert hits(case("tier: basic", "tier: universal")) == []


def test_framework_from_the_same_folder_is_accepted():
    # listing `plain` as well asks for its element: a rule, not a schema problem
    assert hits(case("frameworks: [mini]", "frameworks: [mini, plain]")) == [("plan-element", 16, 1)]


def test_numbers_and_booleans_are_not_read_from_text():
    """tacli agrees with the JSON Schema editors use: "3" is text, yes is text."""
    quoted_hours = BASE.replace("    hours: 3\n", '    hours: "3"\n')
    assert hits(quoted_hours) == [("schema-type", 29, 12)]
    yes = BASE.replace("internet: {met: true,", "internet: {met: yes,")
    assert hits(yes) == [("schema-type", 23, 21)]
    assert hits(BASE.replace("hours: 3", "hours: 2.5")) == []


# a place inside a service: the service by its id, else by its place counted from one


SECOND_SERVICE = """\
  - id: second-visit
    date: 2026-10-08
    type: visit
    mode: on-site
    duties:
      planning.facilitator.prepare-agendaa: {status: open}
"""


def test_a_place_in_the_second_service_names_it_by_its_id():
    text = BASE + SECOND_SERVICE
    assert [f.message for f in findings_of(text) if f.rule == "unknown-value"] == ["unknown duty id 'planning.facilitator.prepare-agendaa' in the duties of service 'second-visit': did you mean 'planning.facilitator.prepare-agenda'?"]


def test_a_service_without_an_id_is_named_by_its_place_from_one():
    text = BASE + SECOND_SERVICE.replace("  - id: second-visit\n    date:", "  - date:")
    assert messages(text) == [
        "missing required key 'id' in the 2nd service: add it",
        "unknown duty id 'planning.facilitator.prepare-agendaa' in the duties of the 2nd service: did you mean 'planning.facilitator.prepare-agenda'?",
    ]
    assert hits(text)[0][1:] == (BASE.count("\n") + 1, 5)  # the line and column stay those of the service


def test_an_item_of_a_list_inside_a_service_is_counted_from_one():
    text = case('agenda: [{time: "09:00", item: Data review}]', 'agenda: [{time: "09:00", item: Data review}, {time: "10:00", item: [Data]}]')
    assert messages(text) == ["the item of agenda item 2 of service 'first-visit' should be text (found a list)"]


# a file begun by hand, with most top-level keys missing


def test_a_file_missing_most_keys_says_once_that_new_engagement_writes_one():
    found = messages("tacli: 1\n")
    assert len(found) == 7
    assert found[0] == (
        "missing required key 'frameworks': add it; 7 of the 8 top-level keys an engagement needs are missing:"
        " `tacli new engagement TITLE` writes a complete file"
    )
    assert not any("tacli new engagement" in message for message in found[1:])


def test_a_file_missing_a_few_keys_is_told_only_what_to_add():
    text = case("title: Data use at Elm School\n", "").replace("tier: basic\n", "")
    assert messages(text) == ["missing required key 'tier': add it", "missing required key 'title': add it"]


def test_a_count_of_evaluation_forms_past_any_session_is_a_located_finding():
    """A slip of the keyboard (99999999999999999999 forms) went into the annual figures (and the dashboard's script, exact to 2**53)."""
    text = case("hours: 3", "hours: 3\n    evaluation_forms: {requested: 99999999999999999999, returned: 12}")
    assert [rule for rule, _, _ in hits(text)] == ["schema-type"]
    assert messages(text) == ["the evaluation_forms.requested of service 'first-visit' should be less than or equal to 100000 (found 99999999999999999999)"]
