"""The review of a service's report: who reviews it (the engagement's
`reviewers`), what each decided (a reviewer's latest decision counts), whether
it is approved (every reviewer approved), which reviews are waiting and by when.

A report is reviewed once it is completed; a review is due by the day the
report's review duty is due (CALI's "Review TAST report": by the next
service, else by the engagement's end), or, with no such day, a report's
own due days after it was completed. `tacli tast --review`, `tacli check`
(tast-review, tast-review-overdue), `tacli due`, the summary, the site and
the annual figures all ask here.

Who holds a completed report that is not approved: a reviewer with no
decision yet, or whose latest entry is `resubmitted`, is to review it
(`to_review`); a reviewer whose latest decision asks for changes has handed it
back to the service's facilitator, who revises it as asked and resubmits it
(`tacli tast --resubmit` adds a dated `resubmitted` entry for that reviewer),
which hands it back to the reviewer (`revising`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any, Optional

if TYPE_CHECKING:  # pragma: no cover
    from tacli.standards.spec import Report, Spec

from tacli.core.dates import add_days
from tacli.domain.duties import duty_due
from tacli.domain.services import folded, names_person
from tacli.standards.vocabulary import APPROVED, CHANGES_REQUESTED, RESUBMITTED


def reviewer_names(engagement: Any) -> list[str]:
    """The engagement's reviewers' names, as written, each once."""
    seen, names = set(), []
    for person in engagement.reviewers:
        if folded(person.name) not in seen:
            seen.add(folded(person.name))
            names.append(" ".join(person.name.split()))
    return names


def find_reviewer(engagement: Any, name: str) -> Optional[str]:
    """The reviewer `name` stands for: the whole name, or whole words of it, in
    any case ("Maria", "lopez"), when it names exactly one; else None."""
    exact = [person for person in reviewer_names(engagement) if folded(person) == folded(name)]
    if exact:
        return exact[0]
    found = [person for person in reviewer_names(engagement) if names_person(person, name)]
    return found[0] if len(found) == 1 else None


@dataclass(frozen=True)
class ReviewState:
    """Where a report's review stands, as of a day."""

    reviewers: tuple[str, ...]  # the engagement's reviewers
    latest: tuple[tuple[str, Any], ...]  # (reviewer, their latest Review), the engagement's reviewers first, in their order
    completed: Optional[date]  # the day the report was completed
    due: Optional[date]  # the day the reviews are due (None while the report is not completed)

    @property
    def decisions(self) -> dict[str, Any]:
        return dict(self.latest)

    @property
    def approved(self) -> bool:
        """Completed, with reviewers, and every one's latest decision an approval."""
        decisions = {folded(name): review for name, review in self.latest}
        return self.completed is not None and bool(self.reviewers) and all(
            folded(name) in decisions and decisions[folded(name)].decision == APPROVED for name in self.reviewers)

    @property
    def approved_on(self) -> Optional[date]:
        """The day the last reviewer approved, once every one has."""
        if not self.approved:
            return None
        decisions = {folded(name): review for name, review in self.latest}
        return max(decisions[folded(name)].date for name in self.reviewers)

    @property
    def waiting(self) -> tuple[str, ...]:
        """The reviewers whose approval is still to come, once the report is completed."""
        if self.completed is None:
            return ()
        decisions = {folded(name): review for name, review in self.latest}
        return tuple(name for name in self.reviewers if folded(name) not in decisions or decisions[folded(name)].decision != APPROVED)

    @property
    def changes_requested(self) -> tuple[str, ...]:
        """The reviewers whose latest decision asks for changes."""
        return tuple(name for name, review in self.latest if review.decision == CHANGES_REQUESTED)

    @property
    def revising(self) -> tuple[str, ...]:
        """The reviewers waiting for the facilitator: they asked for changes,
        and the report was not resubmitted to them since (the facilitator's to do)."""
        return tuple(name for name in self.waiting if folded(name) in {folded(n) for n in self.changes_requested})

    @property
    def to_review(self) -> tuple[str, ...]:
        """The reviewers the completed report waits for: no decision yet, or
        resubmitted to them since they asked for changes (theirs to do)."""
        return tuple(name for name in self.waiting if name not in self.revising)

    @property
    def notes_of_revising(self) -> tuple[tuple[str, str], ...]:
        """(reviewer, the changes they asked for) of each reviewer in `revising`."""
        return tuple((name, (self.latest_of(name).note or "").strip()) for name in self.revising)

    def overdue(self, today: date) -> bool:
        return bool(self.waiting) and self.due is not None and self.due < today

    def latest_of(self, name: str) -> Optional[Any]:
        """The reviewer's latest decision (None: none yet)."""
        return next((review for reviewer, review in self.latest if folded(reviewer) == folded(name)), None)

    def with_decision(self, name: str, review: Any) -> "ReviewState":
        """The state once `review` is the reviewer's latest decision (what
        `tacli tast --review` is about to record)."""
        latest = [(reviewer, old) for reviewer, old in self.latest if folded(reviewer) != folded(name)]
        return replace(self, latest=tuple(latest + [(" ".join(name.split()), review)]))


@dataclass(frozen=True)
class Decision:
    """A reviewer's decision as a command records it (the file's Review has the same fields)."""

    reviewer: str
    decision: str
    date: date
    note: Optional[str] = None

    def same_as(self, review: Any) -> bool:
        """The same decision with the same note (whatever its day): recording it again adds nothing."""
        return review is not None and review.decision == self.decision and (review.note or "").strip() == (self.note or "").strip()


def reviews_of(service: Any) -> list:
    """The service's report's reviews, as written."""
    return list(service.tast_report.reviews) if service.tast_report is not None else []


def review_state(spec: "Spec", engagement: Any, service: Any, report: "Report") -> ReviewState:
    """The review of the service's report: each reviewer's latest decision (by
    date, the later one in the file on a day), and when the reviews are due."""
    latest: dict[str, tuple[str, Any]] = {}
    for position, review in sorted(enumerate(reviews_of(service)), key=lambda pair: (pair[1].date, pair[0])):
        latest[folded(review.reviewer)] = (" ".join(review.reviewer.split()), review)
    names = reviewer_names(engagement)
    order = [folded(name) for name in names] + sorted(key for key in latest if key not in {folded(name) for name in names})
    completed = service.tast_report.completed if service.tast_report is not None else None
    return ReviewState(
        reviewers=tuple(names),
        latest=tuple(latest[key] for key in order if key in latest),
        completed=completed,
        due=review_due(spec, engagement, service, report) if completed is not None else None,
    )


def review_state_on(spec: "Spec", engagement: Any, service: Any, report: "Report", today: date) -> ReviewState:
    """review_state as of `today`: a decision dated after it is not made yet, a
    report completed after it is not completed (`tacli check` reports either
    date). What is due, the summary and the figures all count so."""
    tast = service.tast_report
    if tast is not None:
        made = [review for review in tast.reviews if review.date <= today]
        completed = tast.completed if tast.completed is None or tast.completed <= today else None
        if len(made) != len(tast.reviews) or completed != tast.completed:
            service = service.model_copy(update={"tast_report": tast.model_copy(update={"reviews": made, "completed": completed})})
    return review_state(spec, engagement, service, report)


def review_due(spec: "Spec", engagement: Any, service: Any, report: "Report") -> Optional[date]:
    """The day a completed report's reviews are due: when its review duty is due
    (CALI: by the next service, else the engagement's end), never before the
    report was completed; without such a day, the report's due days after it
    was completed."""
    completed = service.tast_report.completed if service.tast_report is not None else None
    if completed is None:
        return None
    duty = spec.duty_by_id.get(report.review_duty) if report.review_duty else None
    deadline = None
    if duty is not None:
        deadline = duty_due(duty, spec.stage_by_id[duty.stage], service, engagement, report).deadline
    if deadline is None:
        return add_days(completed, report.due_days)
    return max(deadline, completed)


@dataclass(frozen=True)
class ReviewCounts:
    """Reviews counted over reports: reports completed that have reviewers, of
    them approved by every reviewer, waiting for a reviewer, with changes asked
    for (the facilitator's to make), overdue, and decisions recorded (a
    `resubmitted` entry is not a reviewer's decision)."""

    reviewed: int = 0  # completed reports with reviewers
    approved: int = 0
    waiting: int = 0  # waiting for a reviewer (none of its reviewers asked for changes not yet made)
    overdue: int = 0
    decisions: int = 0
    revising: int = 0  # changes asked for: waiting for the facilitator to revise and resubmit it

    def __add__(self, other: "ReviewCounts") -> "ReviewCounts":
        return ReviewCounts(self.reviewed + other.reviewed, self.approved + other.approved, self.waiting + other.waiting,
                            self.overdue + other.overdue, self.decisions + other.decisions, self.revising + other.revising)


def count_reviews(spec: "Spec", engagement: Any, services: Any, report: Optional["Report"], today: date) -> ReviewCounts:
    """The reviews of these services' reports, counted as of `today`: a decision
    dated after it is not made yet, a report completed after it not completed."""
    total = ReviewCounts()
    if report is None:
        return total
    for service in services:
        decisions = sum(review.decision != RESUBMITTED and review.date <= today for review in reviews_of(service))
        state = review_state_on(spec, engagement, service, report, today)
        if state.completed is None or not state.reviewers:
            total = total + ReviewCounts(decisions=decisions)
            continue
        revising = bool(state.revising)
        total = total + ReviewCounts(1, int(state.approved), int(bool(state.waiting) and not revising), int(state.overdue(today)), decisions, int(revising))
    return total
