"""The figures the assessment scores and the statistics page draws, from the same queries: each takes
(session, area_path, start, end) (period inclusive) and returns plain dicts and lists, never ORM objects."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows.cases.models import CasePerson
from workflows.clock import OFFICE_UTC_OFFSET, office_date
from workflows.complaints.models import Complaint
from workflows.engine.models import HumanTask, ProcessInstance
from workflows.ledgers.models import BlacklistEntry, HouseCatch, RentalHouse
from workflows.online_clues.models import OnlineClue, OnlineClueLink
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


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The period's first moment and the moment after its last day (office days), as the naive UTC times the
    timestamp columns hold."""
    return (datetime.combine(start, time.min) - OFFICE_UTC_OFFSET,
            datetime.combine(end + timedelta(days=1), time.min) - OFFICE_UTC_OFFSET)


def month_key(day: date | datetime) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def months(start: date, end: date) -> list[str]:
    """"YYYY-MM" of every month the period touches, in order."""
    out, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


# ---------------------------------------------------------------- complaints
def complaint_rows(session: Session, area_path: str, start: date, end: date) -> list[tuple[int, datetime]]:
    """(id, received_at) of the complaints received in the area and period."""
    first, after = bounds(start, end)
    return list(session.execute(sa.select(Complaint.id, Complaint.received_at).where(
        Complaint.area_path.startswith(area_path), Complaint.received_at >= first, Complaint.received_at < after)
        .order_by(Complaint.id)).all())


def clue_complaint_days(session: Session, area_path: str, start: date, end: date) -> list[tuple[int, date]]:
    """Online MLM reports that came in as clues (source 投诉举报) without a complaint in the ledger: they are
    reports too (含网络传销), and are not counted twice when a complaint is linked."""
    linked = sa.select(OnlineClueLink.clue_id).where(OnlineClueLink.kind == "complaint")
    return list(session.execute(sa.select(OnlineClue.id, OnlineClue.received_on).where(
        OnlineClue.area_path.startswith(area_path), OnlineClue.source == "complaint",
        OnlineClue.received_on >= start, OnlineClue.received_on <= end, OnlineClue.id.not_in(linked))
        .order_by(OnlineClue.id)).all())


def complaints_per_month(session: Session, area_path: str, start: date, end: date) -> dict[str, int]:
    """"2026-03" -> reports received that month (complaints and online MLM reports), every month of the period."""
    counts = {key: 0 for key in months(start, end)}
    for _id, at in complaint_rows(session, area_path, start, end):
        counts[month_key(office_date(at))] += 1
    for _id, day in clue_complaint_days(session, area_path, start, end):
        counts[month_key(day)] += 1
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
    ids = [cid for cid, _at in complaint_rows(session, area_path, start, end)]
    _first, cutoff = bounds(start, end)
    figures = {"accepted": 0, "handled_in_time": 0, "replied": 0, "no_result": 0}
    for chunk_start in range(0, len(ids), 500):
        chunk = ids[chunk_start:chunk_start + 500]
        instances = dict(session.execute(sa.select(Complaint.instance_id, Complaint.id).where(
            Complaint.id.in_(chunk), Complaint.instance_id.is_not(None))).all())
        tasks = session.execute(sa.select(HumanTask.instance_id, HumanTask.task_name, HumanTask.state,
                                          HumanTask.due_at, HumanTask.completed_at).where(
            HumanTask.instance_id.in_(list(instances)))).all()
        overdue, replied, resulted, accepted = set(), set(), set(), set()
        for instance_id, name, state, due, done in tasks:
            if name == "accept" and state == TaskState.COMPLETED:
                accepted.add(instance_id)
            if late(state, due, done, cutoff):
                overdue.add(instance_id)
            if name == REPLY_TASK and state == TaskState.COMPLETED:
                replied.add(instance_id)
            if name in RESULT_TASKS and state == TaskState.COMPLETED:
                resulted.add(instance_id)
        figures["accepted"] += len(accepted)
        figures["handled_in_time"] += len([i for i in accepted if i not in overdue])
        figures["replied"] += len(replied)
        figures["no_result"] += len(instances) - len(resulted)
    return figures


# ---------------------------------------------------------------- sweeps
def sweeps_per_month(session: Session, area_path: str, start: date, end: date) -> list[dict]:
    """Finished sweeps per month and swept area: {month, area_path, area_name, key_area, count}."""
    rows = session.execute(sa.select(Sweep.planned_on, Sweep.area_path, Sweep.key_area, Area.full_name)
                           .join(Area, Area.id == Sweep.area_id).where(
        Sweep.area_path.startswith(area_path), Sweep.status == SweepStatus.DONE,
        Sweep.planned_on >= start, Sweep.planned_on <= end)).all()
    counts: dict[tuple, int] = {}
    for day, path, key, name in rows:
        slot = (month_key(day), path, name, bool(key))
        counts[slot] = counts.get(slot, 0) + 1
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
        ProcessInstance.process_id == CASE_PROCESS, ProcessInstance.area_path.startswith(area_path),
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
    keys = {person_key(p): p.id_number for p in caught_persons(session, area_path, start, end)}
    penalised = penalised_id_numbers(session, keys.values(), penalty_outcomes(warning_counts))
    done = len([k for k, number in keys.items() if number and number in penalised])
    return {"caught": len(keys), "penalised": done, "rate": round(done * 100 / len(keys), 1) if keys else 0.0}


def reflux(session: Session, area_path: str, start: date, end: date, threshold: int = 2) -> dict:
    """{persons, houses}: persons caught in the period who have been caught `threshold` times or more (blacklist),
    and houses caught in the period with `threshold` catches or more in all."""
    numbers = {p.id_number for p in caught_persons(session, area_path, start, end) if p.id_number}
    persons = 0
    wanted = sorted(numbers)
    for i in range(0, len(wanted), 500):
        persons += session.scalar(sa.select(sa.func.count()).select_from(BlacklistEntry).where(
            BlacklistEntry.id_number.in_(wanted[i:i + 500]), BlacklistEntry.catch_count >= threshold)) or 0
    return {"persons": persons, "houses": len(repeat_houses(session, area_path, start, end, threshold))}


def repeat_houses(session: Session, area_path: str, start: date, end: date, threshold: int = 2) -> list[int]:
    """Ids of the rental houses caught in the period that have `threshold` catches or more (up to the period's
    end), in id order."""
    first, after = bounds(start, end)
    in_period = (sa.select(HouseCatch.house_id).join(RentalHouse, RentalHouse.id == HouseCatch.house_id)
                 .where(RentalHouse.area_path.startswith(area_path), HouseCatch.caught_at >= first,
                        HouseCatch.caught_at < after))
    counted = session.execute(sa.select(HouseCatch.house_id, sa.func.count()).where(
        HouseCatch.house_id.in_(in_period), HouseCatch.caught_at < after).group_by(HouseCatch.house_id)).all()
    return sorted(house for house, n in counted if n >= threshold)
