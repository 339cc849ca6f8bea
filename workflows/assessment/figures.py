"""The figures the assessment scores and the statistics page draws, from the same queries: each takes
(session, area_path, start, end) (period inclusive) and returns plain dicts and lists, never ORM objects.

They count in SQL (GROUP BY, COUNT DISTINCT, EXISTS) rather than loading a district's rows into Python, and read an
area's subtree as an index range (workflows.statistics.periods.under): SQLite cannot use an index for LIKE."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows.cases.models import CasePerson
from workflows.clock import OFFICE_UTC_OFFSET
from workflows.clock import office_bounds as bounds  # noqa: F401  (the rules' name for it)
from workflows.complaints.models import Complaint
from workflows.engine.models import HumanTask, ProcessInstance
from workflows.ledgers.models import BlacklistEntry, HouseCatch, RentalHouse
from workflows.online_clues.models import OnlineClue, OnlineClueLink
from workflows.org.areas import under
from workflows.org.models import Area
from workflows.penalties.models import PenaltyCase
from workflows.sweeps.models import Sweep
from workflows.vocabulary import PenaltyOutcome, SweepStatus, TaskState

CASE_PROCESS = "six_step_case"
COMPLAINT_PROCESS = "complaint_intake"
RESULT_TASKS = ("result_market", "result_police")
REPLY_TASK = "reply"
# Administrative penalties for the rate and the repeat rows: a decision after the ordinary procedure or a fine on
# the spot; a warning only when the setting says so.
PENALTIES = (PenaltyOutcome.DECIDED, PenaltyOutcome.SUMMARY_FINE)


def penalty_outcomes(warning_counts: bool = False) -> tuple[str, ...]:
    return PENALTIES + ((PenaltyOutcome.WARNING,) if warning_counts else ())


def months(start: date, end: date) -> list[str]:
    """"YYYY-MM" of every month the period touches, in order."""
    out, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def office_month(session: Session, column, timestamp: bool = True):
    """"YYYY-MM" of `column` in SQL: the office (Beijing) month of a naive UTC timestamp, or a date's month."""
    hours = int(OFFICE_UTC_OFFSET.total_seconds() // 3600)
    if session.get_bind().dialect.name == "postgresql":
        shifted = column + sa.literal_column(f"interval '{hours} hours'") if timestamp else column
        return sa.func.to_char(shifted, "YYYY-MM")
    if timestamp:
        return sa.func.strftime("%Y-%m", column, f"+{hours} hours")
    return sa.func.strftime("%Y-%m", column)


# ---------------------------------------------------------------- complaints
def complaint_rows(session: Session, area_path: str, start: date, end: date) -> list[tuple[int, datetime]]:
    """(id, received_at) of the complaints received in the area and period."""
    first, after = bounds(start, end)
    return list(session.execute(sa.select(Complaint.id, Complaint.received_at).where(
        under(session, Complaint.area_path, area_path), Complaint.received_at >= first, Complaint.received_at < after)
        .order_by(Complaint.id)).all())


def clue_complaint_days(session: Session, area_path: str, start: date, end: date) -> list[tuple[int, date]]:
    """Online MLM reports that came in as clues (source 投诉举报) without a complaint in the ledger: they are
    reports too (含网络传销), and are not counted twice when a complaint is linked."""
    linked = sa.select(OnlineClueLink.clue_id).where(OnlineClueLink.kind == "complaint")
    return list(session.execute(sa.select(OnlineClue.id, OnlineClue.received_on).where(
        under(session, OnlineClue.area_path, area_path), OnlineClue.source == "complaint",
        OnlineClue.received_on >= start, OnlineClue.received_on <= end, OnlineClue.id.not_in(linked))
        .order_by(OnlineClue.id)).all())


def complaints_per_month(session: Session, area_path: str, start: date, end: date) -> dict[str, int]:
    """"2026-03" -> reports received that month (complaints and online MLM reports), every month of the period."""
    counts = {key: 0 for key in months(start, end)}
    first, after = bounds(start, end)
    month = office_month(session, Complaint.received_at)
    for key, n in session.execute(sa.select(month, sa.func.count()).where(
            under(session, Complaint.area_path, area_path), Complaint.received_at >= first,
            Complaint.received_at < after).group_by(month)):
        counts[key] += n
    linked = sa.select(OnlineClueLink.clue_id).where(OnlineClueLink.kind == "complaint")
    month = office_month(session, OnlineClue.received_on, timestamp=False)
    for key, n in session.execute(sa.select(month, sa.func.count()).where(
            under(session, OnlineClue.area_path, area_path), OnlineClue.source == "complaint",
            OnlineClue.received_on >= start, OnlineClue.received_on <= end, OnlineClue.id.not_in(linked))
            .group_by(month)):
        counts[key] += n
    return counts


def late(state: str, due: datetime | None, done: datetime | None, cutoff: datetime) -> bool:
    """A step done after its time limit, or still open when its limit passed before `cutoff` (the period's end)."""
    if due is None or state == TaskState.CANCELLED:
        return False
    if done is not None:
        return done > due
    return state == TaskState.READY and due < cutoff


def complaint_handling(session: Session, area_path: str, start: date, end: date) -> dict:
    """{accepted, handled_in_time, replied, no_result} for the complaints received in the area and period:
    accepted ones, those whose every step was done within its time limit, those replied to, and those without a
    result (查必有果) yet."""
    first, cutoff = bounds(start, end)

    def step(*conditions):
        return sa.exists().where(HumanTask.instance_id == instances.c.instance_id, *conditions)

    # Each complaint's workflow once (a workflow is one complaint's), as `late` reads a step, in SQL.
    instances = sa.select(Complaint.instance_id).where(
        under(session, Complaint.area_path, area_path), Complaint.received_at >= first,
        Complaint.received_at < cutoff, Complaint.instance_id.is_not(None)).distinct().subquery()
    done = HumanTask.state == TaskState.COMPLETED
    accepted = step(HumanTask.task_name == "accept", done)
    overdue = step(HumanTask.due_at.is_not(None), HumanTask.state != TaskState.CANCELLED, sa.or_(
        sa.and_(HumanTask.completed_at.is_not(None), HumanTask.completed_at > HumanTask.due_at),
        sa.and_(HumanTask.completed_at.is_(None), HumanTask.state == TaskState.READY, HumanTask.due_at < cutoff)))
    replied = step(HumanTask.task_name == REPLY_TASK, done)
    resulted = step(HumanTask.task_name.in_(RESULT_TASKS), done)

    def count(condition):
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    total, n_accepted, in_time, n_replied, n_resulted = session.execute(sa.select(
        sa.func.count(), count(accepted), count(sa.and_(accepted, ~overdue)), count(replied), count(resulted))
        .select_from(instances)).one()
    return {"accepted": int(n_accepted), "handled_in_time": int(in_time), "replied": int(n_replied),
            "no_result": int(total) - int(n_resulted)}


# ---------------------------------------------------------------- sweeps
def sweeps_per_month(session: Session, area_path: str, start: date, end: date) -> list[dict]:
    """Finished sweeps per month and swept area: {month, area_path, area_name, key_area, count}."""
    month = office_month(session, Sweep.planned_on, timestamp=False)
    rows = session.execute(sa.select(month, Sweep.area_path, Area.full_name, Sweep.key_area, sa.func.count())
                           .join(Area, Area.id == Sweep.area_id).where(
        under(session, Sweep.area_path, area_path), Sweep.status == SweepStatus.DONE,
        Sweep.planned_on >= start, Sweep.planned_on <= end)
        .group_by(month, Sweep.area_path, Area.full_name, Sweep.key_area)).all()
    counts: dict[tuple, int] = {}
    for key, path, name, key_area, n in rows:
        slot = (key, path, name, bool(key_area))
        counts[slot] = counts.get(slot, 0) + n
    return [{"month": m, "area_path": p, "area_name": n, "key_area": k, "count": c}
            for (m, p, n, k), c in sorted(counts.items())]


# ---------------------------------------------------------------- persons and houses caught
def caught_persons(session: Session, area_path: str, start: date, end: date) -> list:
    """The persons found by the six-step cases opened in the area and period, oldest case first: rows with id,
    instance_id, name, id_number, phone, bank_card (plain rows, not ORM objects: a street's year has thousands)."""
    first, after = bounds(start, end)
    return list(session.execute(sa.select(
        CasePerson.id, CasePerson.instance_id, CasePerson.name, CasePerson.id_number, CasePerson.phone,
        CasePerson.bank_card).join(ProcessInstance, ProcessInstance.id == CasePerson.instance_id).where(
        ProcessInstance.process_id == CASE_PROCESS, under(session, ProcessInstance.area_path, area_path),
        ProcessInstance.created_at >= first, ProcessInstance.created_at < after).order_by(CasePerson.id)).all())


def person_key(person) -> str:
    return person.id_number or f"{person.instance_id}:{person.name}"


def penalised_id_numbers(session: Session, id_numbers, outcomes=PENALTIES, ordinary_only: bool = False) -> set[str]:
    """Which of `id_numbers` a penalty case ended with one of `outcomes` for (any time: a penalty decided after
    the period still answers for a catch in it)."""
    wanted = sorted({n for n in id_numbers if n})
    if ordinary_only:
        outcomes = (PenaltyOutcome.DECIDED,)
    found: set[str] = set()
    for i in range(0, len(wanted), 500):
        found |= set(session.scalars(sa.select(PenaltyCase.party_id_number).where(
            PenaltyCase.party_id_number.in_(wanted[i:i + 500]), PenaltyCase.outcome.in_(outcomes))))
    return found


def persons_caught(session: Session, area_path: str, start: date, end: date, warning_counts: bool = False) -> dict:
    """{caught, penalised, rate}: persons caught (each once), how many an administrative penalty answered, and the
    rate in percent (0 when nobody was caught)."""
    caught = _caught(session, area_path, start, end)
    # person_key in SQL: the ID number, or the case and the name for a person without one.
    key = sa.case((caught.c.id_number != "", caught.c.id_number),
                  else_=sa.cast(caught.c.instance_id, sa.String) + ":" + caught.c.name)
    penalties = sa.select(PenaltyCase.party_id_number).where(
        PenaltyCase.outcome.in_(penalty_outcomes(warning_counts)))
    penalised = sa.case((sa.and_(caught.c.id_number != "", caught.c.id_number.in_(penalties)),
                         caught.c.id_number), else_=None)
    persons, done = session.execute(sa.select(sa.func.count(sa.distinct(key)),
                                              sa.func.count(sa.distinct(penalised)))).one()
    return {"caught": persons, "penalised": done, "rate": round(done * 100 / persons, 1) if persons else 0.0}


def _caught(session: Session, area_path: str, start: date, end: date):
    """caught_persons' rows (instance_id, name, id_number) as a subquery to count in SQL."""
    first, after = bounds(start, end)
    return sa.select(CasePerson.instance_id, CasePerson.name, CasePerson.id_number).join(
        ProcessInstance, ProcessInstance.id == CasePerson.instance_id).where(
        ProcessInstance.process_id == CASE_PROCESS, under(session, ProcessInstance.area_path, area_path),
        ProcessInstance.created_at >= first, ProcessInstance.created_at < after).subquery()


def reflux(session: Session, area_path: str, start: date, end: date, threshold: int = 2) -> dict:
    """{persons, houses}: persons caught in the period who have been caught `threshold` times or more (blacklist),
    and houses caught in the period with `threshold` catches or more in all."""
    caught = _caught(session, area_path, start, end)
    numbers = sa.select(caught.c.id_number).where(caught.c.id_number != "")
    persons = session.scalar(sa.select(sa.func.count()).select_from(BlacklistEntry).where(
        BlacklistEntry.id_number.in_(numbers), BlacklistEntry.catch_count >= threshold)) or 0
    return {"persons": persons, "houses": len(repeat_houses(session, area_path, start, end, threshold))}


def repeat_houses(session: Session, area_path: str, start: date, end: date, threshold: int = 2) -> list[int]:
    """Ids of the rental houses caught in the period that have `threshold` catches or more (up to the period's
    end), in id order."""
    first, after = bounds(start, end)
    in_period = (sa.select(HouseCatch.house_id).join(RentalHouse, RentalHouse.id == HouseCatch.house_id)
                 .where(under(session, RentalHouse.area_path, area_path), HouseCatch.caught_at >= first,
                        HouseCatch.caught_at < after))
    counted = session.execute(sa.select(HouseCatch.house_id, sa.func.count()).where(
        HouseCatch.house_id.in_(in_period), HouseCatch.caught_at < after).group_by(HouseCatch.house_id)).all()
    return sorted(house for house, n in counted if n >= threshold)
