"""The rules API: one `Rule` per row (or per separate deduction line) of Annex 3, what a rule is given (`Scope`)
and what it returns (`Outcome` with the `Finding`s behind its deduction)."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Callable, Iterator, Sequence, TypeVar

from sqlalchemy.orm import Session

from workflows.org.models import Area

if TYPE_CHECKING:
    from workflows.assessment.settings import AssessmentSettings

T = TypeVar("T")
ZERO = Decimal("0")


@dataclass(frozen=True)
class Finding:
    """One record behind a deduction: the drill-down lists these."""

    kind: str
    record_id: int | None
    label: str
    deduction: Decimal
    url: str = ""


class Findings(Sequence[Finding]):
    """A rule's findings whose blameless records (deduction 0) are labelled only when somebody reads them.

    A street's year has thousands of persons a rule looks at without a deduction of their own; a stored run keeps
    only the records that cost points (`costly`), so labelling the others on every run cost more than the rule's
    SQL. Reading the sequence gives the costly findings first, then the others, as a tuple would."""

    def __init__(self, costly: Sequence[Finding], others: Callable[[], Sequence[Finding]]):
        self.costly = tuple(costly)
        self._others = others
        self._all: tuple[Finding, ...] | None = None

    def _every(self) -> tuple[Finding, ...]:
        if self._all is None:
            self._all = self.costly + tuple(self._others())
        return self._all

    def __getitem__(self, index):
        return self._every()[index]

    def __len__(self) -> int:
        return len(self._every())

    def __iter__(self) -> Iterator[Finding]:
        return iter(self._every())

    def __eq__(self, other) -> bool:
        return isinstance(other, (tuple, Findings)) and tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(self._every())

    def __repr__(self) -> str:
        return f"Findings({self._every()!r})"


def costly(findings: Sequence[Finding]) -> list[Finding]:
    """The findings that cost points: the ones a run stores and the drill-down lists."""
    if isinstance(findings, Findings):
        return [f for f in findings.costly if f.deduction > 0]
    return [f for f in findings if f.deduction > 0]


@dataclass(frozen=True)
class Outcome:
    """What a rule found: the deduction before the cap, how many records it looked at, and the offending ones."""

    deduction: Decimal
    count: int
    findings: Sequence[Finding] = ()   # a tuple, or Findings when the blameless records are labelled on demand
    note: str = ""
    no_data: bool = False


@dataclass
class Lot:
    """Seeded sampling: the same run seed, key and population give the same draw, so a sample can be checked.

    Every draw is remembered (`draws`) so the run can list what it sampled."""

    seed: int
    draws: dict[str, list] = field(default_factory=dict)

    def sample(self, key: str, population: Sequence[T], n: int) -> list[T]:
        """`n` of `population` (all of it when smaller), in population order; deterministic for (seed, key, order)."""
        items = list(population)
        if len(items) <= n:
            picked = items
        else:
            chosen = set(random.Random(f"{self.seed}:{key}").sample(range(len(items)), n))
            picked = [item for index, item in enumerate(items) if index in chosen]
        self.draws[key] = picked
        return picked


@dataclass(frozen=True)
class Scope:
    """What a rule gets, read-only: the unit (any area; rules scope by its path prefix), the period (inclusive),
    the settings for the table's ambiguous rows and the seeded lot."""

    session: Session
    area: Area
    start: date
    end: date
    settings: "AssessmentSettings"
    lot: Lot
    # The office day the run is made: months and quarters that have not begun yet are not counted against a street.
    today: date | None = None
    # What several rules of one run read (the persons caught, the period's complaints): read once per run.
    memo: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def last(self) -> date:
        """The period's end, or `today` when the period runs on past it."""
        return min(self.end, self.today) if self.today else self.end

    def remembered(self, key: str, read: Callable[[], T]) -> T:
        """`read()` once per scope under `key`."""
        if key not in self.memo:
            self.memo[key] = read()
        return self.memo[key]


class Method(StrEnum):
    COMPUTED = "computed"
    MANUAL = "manual"
    BOTH = "both"


METHOD_LABELS = {Method.COMPUTED: "系统计算", Method.MANUAL: "人工录入", Method.BOTH: "系统计算+人工录入"}


@dataclass(frozen=True)
class Rule:
    """One deduction line of Annex 3. `id` is group.second-level.row in Annex order; several deduction lines of
    one printed row get suffixes ("4.1.4a", "4.1.4b"). The rows of one second level together never lose more than
    `second_weight`; one rule never more than `cap`."""

    id: str
    group: str
    second: str
    second_weight: Decimal
    text: str
    scoring: str
    check: str
    cap: Decimal
    method: Method
    compute: Callable[[Scope], Outcome] | None = None
    sample: int | None = None

    @property
    def group_number(self) -> int:
        return int(self.id.split(".")[0])

    @property
    def second_key(self) -> str:
        """"3.1" for rule "3.1.2": the second level the rule's deduction counts against."""
        return ".".join(self.id.split(".")[:2])


def manual(id: str, group: str, second: str, second_weight: str, text: str, scoring: str, check: str,
           cap: str | None = None, sample: int | None = None) -> Rule:
    """A row an inspector scores by hand (with evidence)."""
    return Rule(id=id, group=group, second=second, second_weight=Decimal(second_weight), text=text,
                scoring=scoring, check=check, cap=Decimal(cap if cap is not None else second_weight),
                method=Method.MANUAL, sample=sample)


def computed(id: str, group: str, second: str, second_weight: str, text: str, scoring: str, check: str,
             compute: Callable[[Scope], Outcome] | None, cap: str | None = None, sample: int | None = None,
             method: Method = Method.COMPUTED) -> Rule:
    """A row the system scores from its own records."""
    return Rule(id=id, group=group, second=second, second_weight=Decimal(second_weight), text=text,
                scoring=scoring, check=check, cap=Decimal(cap if cap is not None else second_weight),
                method=method, compute=compute, sample=sample)
