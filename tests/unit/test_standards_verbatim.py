"""The shipped standards hold their sources' words, word for word.

Every `text`, `definition`, `illustration`, `quote`, `citation` and item
`title` in `standards/*.yaml` must appear in the copy of its source document in
`tests/data/seeds/`, once runs of white space are folded to one space (and, in
the source, bullets "•" and HTML tags such as <p> are left out). The few
values that are not the source's words by design are listed in NOT_VERBATIM.

A framework whose source is not held here (`source.words: published-names`:
Guskey's levels, OSEP's levels of TA and rated qualities) quotes nothing: it
has no `text`, `definition`, `illustration` or `quote`, and its titles are the
commonly published names listed in PUBLISHED_NAMES, with where they were found.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from ruamel.yaml import YAML

TESTS = Path(__file__).resolve().parents[1]
STANDARDS = TESTS.parent / "standards"
SEEDS = TESTS / "data" / "seeds"

SEED_OF = {
    "cali": "cali-ta-standards.txt",
    "dunst": "dunst-planning.txt",
    "csde": "csde-addendum.txt",
    "oec": "oec-coaching.txt",
    "fixsen": "fixsen-intensive-ta.txt",
}

# Frameworks whose source is not held in tests/data/seeds (source.words:
# published-names): each item title, and where that published name was found.
PUBLISHED_NAMES = {
    "guskey": {
        "Participants' Reactions": "Guskey (2002), Educational Leadership 59(6), level 1",
        "Participants' Learning": "Guskey (2002), level 2",
        "Organization Support and Change": "Guskey (2002), level 3",
        "Participants' Use of New Knowledge and Skills": "Guskey (2002), level 4",
        "Student Learning Outcomes": "Guskey (2002), level 5",
    },
    "osep": {
        "Universal / General TA": "ed.gov, OSEP TA&D program: general/universal; ECPC and the PELE Center: universal or general",
        "Targeted / Specialized TA": "OSEP TA&D conceptual model: targeted/specific; the PELE Center: targeted or specialized",
        "Intensive / Sustained TA": "ed.gov, OSEP TA&D program: intensive/sustained; Fixsen et al. (2009): Intensive/ Sustained TA",
        "Quality": "OSEP TA&D logic model and performance measures: quality, relevance, and usefulness",
        "Relevance": "the same",
        "Usefulness": "the same",
    },
}

# Keys whose values must be the source's words.
VERBATIM_KEYS = {"text", "title", "definition", "illustration", "quote", "citation"}

# (framework id, value): values that are not in the source by design.
NOT_VERBATIM = {
    ("dunst", "Technical Assistance: Plan (Dunst et al., 2018)"),  # framework title
    ("csde", "CSDE Addendum to School and District Improvement Plans (NCLB Sec. 1116)"),  # framework title
    ("oec", "CT Office of Early Childhood: Technical Assistance Opportunity"),  # framework title
    ("fixsen", "Intensive Technical Assistance (Fixsen et al., 2009)"),  # framework title
    ("fixsen", "Targeted TA"),  # the federal TA&D tier name; the brief has no words for it
}

# Keys under which nothing is checked (the source block names the document, not its words).
SKIP_UNDER = {"source"}


def fold(text: str) -> str:
    return " ".join(text.split())


def seed_text(path: Path) -> str:
    raw = path.read_text(encoding="utf-8")
    raw = re.sub(r"<[^>]*>", " ", raw)
    raw = raw.replace("\u2022", " ")
    return fold(raw)


def load(path: Path) -> dict:
    return YAML(typ="safe").load(path)


def standards_files() -> list[Path]:
    return sorted(STANDARDS.glob("*.yaml"))


def walk(node, where=()):
    """(path, key, value) for every string value of a verbatim key."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in SKIP_UNDER and not where:
                if isinstance(value, dict) and "citation" in value:
                    yield (*where, key, "citation"), "citation", value["citation"]
                continue
            if key in VERBATIM_KEYS and isinstance(value, str):
                yield (*where, key), key, value
            else:
                yield from walk(value, (*where, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, (*where, index))


FILES = standards_files()
DATA = {path.stem: load(path) for path in FILES}


def published_names(data: dict) -> bool:
    return data.get("source", {}).get("words") == "published-names"


QUOTED = [path for path in FILES if not published_names(DATA[path.stem])]


def test_every_standards_file_has_its_seed():
    assert FILES, f"no standards files in {STANDARDS}"
    for path in QUOTED:
        fid = DATA[path.stem]["id"]
        assert fid in SEED_OF, f"{path.name}: no seed copy is known for framework '{fid}'"
        assert (SEEDS / SEED_OF[fid]).is_file(), f"missing seed copy {SEED_OF[fid]}"
    assert sorted(SEED_OF) == sorted(DATA[p.stem]["id"] for p in QUOTED)
    assert sorted(PUBLISHED_NAMES) == sorted(DATA[p.stem]["id"] for p in FILES if p not in QUOTED)


@pytest.mark.parametrize("path", [p for p in FILES if p not in QUOTED], ids=lambda p: p.stem)
def test_a_framework_without_its_source_quotes_nothing(path):
    """Its titles are the published names, each found where PUBLISHED_NAMES says; nothing else claims to be the source's words."""
    data = DATA[path.stem]
    found = [(where, key, value) for where, key, value in walk(data)]
    assert not [(where, key) for where, key, _ in found if key not in ("title", "citation")]
    titles = {value for where, key, value in found if key == "title" and len(where) > 1}
    assert titles == set(PUBLISHED_NAMES[data["id"]])
    assert data["source"].get("note"), "say which words are whose"


def verbatim_cases():
    for path in QUOTED:
        data = DATA[path.stem]
        for where, key, value in walk(data):
            yield pytest.param(data["id"], where, value, id=f"{path.stem}:{'.'.join(map(str, where))}")


@pytest.fixture(scope="module")
def seeds() -> dict[str, str]:
    return {fid: seed_text(SEEDS / name) for fid, name in SEED_OF.items()}


@pytest.mark.parametrize("framework, where, value", list(verbatim_cases()))
def test_words_are_the_sources(seeds, framework, where, value):
    if (framework, value) in NOT_VERBATIM:
        return
    assert value == fold(value), f"{where}: white space is not folded"
    assert value, f"{where}: empty"
    assert fold(value) in seeds[framework], f"{framework} {'.'.join(map(str, where))}: not in the source: {value!r}"


def test_allow_list_is_used():
    """Every allow-listed value still occurs in the standards (no stale exemptions)."""
    used = {(DATA[p.stem]["id"], value) for p in QUOTED for _, _, value in walk(DATA[p.stem])}
    assert NOT_VERBATIM <= used, NOT_VERBATIM - used


def all_ids():
    """(section, id) of every item with an id, across the folder."""
    for data in DATA.values():
        for section, items in data.items():
            if isinstance(items, list):
                for item in items:
                    if isinstance(item, dict) and "id" in item:
                        yield section, item["id"]
                        for indicator in item.get("indicators", []):
                            yield "indicators", indicator["id"]
        report = data.get("report")
        if report:
            yield "report", report["id"]
            for section in report["sections"]:
                yield "report.sections", section["id"]


def test_ids_are_unique():
    counts = Counter(all_ids())
    assert not [key for key, n in counts.items() if n > 1]
    frameworks = Counter(data["id"] for data in DATA.values())
    assert all(n == 1 for n in frameworks.values()), frameworks


def test_ids_never_hold_the_source_number():
    for data in DATA.values():
        for duty in data.get("duties", []):
            short = duty["id"].split(".")[-1]
            assert not re.search(r"\d", short), duty["id"]


CALI_COUNTS = {
    ("planning", "facilitator"): 5, ("planning", "leadership"): 5, ("planning", "participants"): 3,
    ("delivery", "facilitator"): 12, ("delivery", "leadership"): 5, ("delivery", "participants"): 4,
    ("follow-up", "facilitator"): 5, ("follow-up", "leadership"): 4, ("follow-up", "participants"): 6,
}


def test_cali_duty_matrix():
    duties = DATA["cali"]["duties"]
    assert len(duties) == 49
    assert Counter((d["stage"], d["role"]) for d in duties) == CALI_COUNTS
    for duty in duties:
        assert duty["id"].startswith(f"{duty['stage']}.{duty['role']}."), duty["id"]
        assert isinstance(duty["number"], str)
        assert duty.get("ref"), duty["id"]
        if duty.get("condition"):
            assert duty["condition"] in duty["text"], duty["id"]


def test_cali_numbers_are_as_printed(seeds):
    """Each duty's number and text stand together in the source ("5  Engage" has no dot)."""
    for duty in DATA["cali"]["duties"]:
        printed = (f"{duty['number']}. {duty['text']}", f"{duty['number']} {duty['text']}")
        assert any(p in seeds["cali"] for p in printed), duty["id"]


def test_cali_conditions():
    conditional = {d["id"]: d["condition"] for d in DATA["cali"]["duties"] if d.get("condition")}
    texts = [d["text"] for d in DATA["cali"]["duties"]]
    for words in ("if applicable", "if needed", "as appropriate"):
        assert sum(words in t for t in texts) == sum(c == words for c in conditional.values()), words


def test_cali_follow_up_participants_keep_the_printed_numbers():
    duties = [d for d in DATA["cali"]["duties"] if d["stage"] == "follow-up" and d["role"] == "participants"]
    assert [d["number"] for d in duties] == ["1", "2", "3", "3", "4", "5"]
    assert len({d["ref"] for d in duties}) == 6


def test_cali_report():
    report = DATA["cali"]["report"]
    assert (report["id"], report["due_days"], report["due_soon_days"]) == ("tast", 7, 2)
    assert [s["id"] for s in report["sections"]] == ["commendations", "recommendations", "next_steps"]


def test_section_counts():
    fixsen = DATA["fixsen"]
    assert len(fixsen["features"]) == 6
    assert sum(len(f["indicators"]) for f in fixsen["features"]) == 16
    assert [len(f["indicators"]) for f in fixsen["features"]] == [3, 2, 3, 2, 3, 3]
    assert len(fixsen["assumptions"]) == 7
    assert len(DATA["dunst"]["elements"]) == 6
    assert len(DATA["csde"]["support_types"]) == 6
    assert len(DATA["csde"]["topics"]) == 7
    assert len(DATA["csde"]["partners"]) == 6
    assert len(DATA["csde"]["aims"]) == 4
    assert len(DATA["oec"]["readiness"]) == 4
    assert len(DATA["oec"]["terms"]) == 2


def test_limits():
    limits = {name: limit["value"] for data in DATA.values() for name, limit in data.get("limits", {}).items()}
    assert limits == {
        "hours_cap": 21,
        "duration_min_years": 2,
        "duration_max_years": 5,
        "reach_min_percent": 60,
        "contact_max_days": 35,
        "fidelity_review_max_days": 35,
        "outcome_evidence_days": 180,
    }
    for data in DATA.values():
        for name, limit in data.get("limits", {}).items():
            assert limit.get("quote") and limit.get("ref") and limit.get("unit"), name
