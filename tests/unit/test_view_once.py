"""The views an engagement's pages share are made once for it (Lookups.view_once),
and never shown for another engagement: not after it, and not when threads
sharing one Lookups (tacli serve) ask for two engagements at once."""

from __future__ import annotations

import pickle

from tacli.output.views.common import Lookups


class NoVocabularies:
    def every(self, name):
        return []


def test_a_view_is_made_once_for_its_engagement_and_again_for_the_next():
    lookups, made = Lookups(NoVocabularies()), []
    first, second = object(), object()

    def make(engagement):
        made.append(engagement)
        return {"of": engagement}

    assert lookups.view_once(first, ("engagement",), lambda: make(first))["of"] is first
    assert lookups.view_once(first, ("engagement",), lambda: make(first))["of"] is first
    assert lookups.view_once(second, ("engagement",), lambda: make(second))["of"] is second
    assert lookups.view_once(first, ("engagement",), lambda: make(first))["of"] is first
    assert made == [first, second, first]


def test_an_engagement_asked_for_while_another_s_view_is_made_gets_its_own():
    lookups = Lookups(NoVocabularies())
    first, second = object(), object()

    def make_first():  # another thread asks for the second engagement meanwhile
        assert lookups.view_once(second, ("engagement",), lambda: {"of": "second"}) == {"of": "second"}
        return {"of": "first"}

    assert lookups.view_once(first, ("engagement",), make_first) == {"of": "first"}
    assert lookups.view_once(second, ("engagement",), lambda: {"of": "second, again"})["of"].startswith("second")
    assert lookups.view_once(first, ("engagement",), lambda: {"of": "first, again"})["of"].startswith("first")


def test_lookups_travel_to_a_worker_without_the_views():
    lookups = Lookups(NoVocabularies())
    engagement = object()
    lookups.view_once(engagement, ("engagement",), lambda: {"of": "it"})
    copy = pickle.loads(pickle.dumps(lookups))
    assert copy.view_once(engagement, ("engagement",), lambda: {"of": "made again"}) == {"of": "made again"}


def test_a_part_made_after_another_was_freed_is_not_taken_for_it():
    lookups = Lookups(NoVocabularies())
    engagement = object()

    class Service:
        pass

    first = Service()
    key = ("service", id(first))
    assert lookups.view_once(engagement, key, lambda: {"name": "first"}, of=first) == {"name": "first"}
    second = Service()  # as if made where the first was, after it was freed: the same id
    assert lookups.view_once(engagement, key, lambda: {"name": "second"}, of=second) == {"name": "second"}
    assert lookups.view_once(engagement, key, lambda: {"name": "second, again"}, of=second) == {"name": "second"}
