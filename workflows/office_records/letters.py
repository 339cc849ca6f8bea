"""致传销人员户籍地基层组织一封信 (seed 000, 二(五)): one letter per person caught, found by ID number, with the
day it was sent, the registration place and the letter's number; and the persons caught in a period still
without one (the assessment samples them)."""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows.cases.models import CasePerson
from workflows.clock import office_bounds, office_date
from workflows.engine.models import ProcessInstance
from workflows.exceptions import ValidationFailed
from workflows.idnumbers import clean_digits, id_number_problem, registration_place
from workflows.ledgers.models import BlacklistEntry
from workflows.notices.models import Notice
from workflows.office_records.common import RecordKind, case_in_area, day, fail, text
from workflows.office_records.models import RegistrationLetterSent
from workflows.org import access, areas
from workflows.org.models import Area
from workflows.vocabulary import NoticeStatus

CASE_PROCESS = "six_step_case"
LETTER_NOTICE = "registration_letter"  # the notice type the six-step case issues for each participant


def clean(s: Session, data: dict, today: date, area: Area | None) -> dict:
    errors: dict[str, list[str]] = {}
    id_number = clean_digits(data.get("id_number")).upper()
    problem = id_number_problem(id_number, today) if id_number else "请填写公民身份号码。"
    if problem:
        fail(errors, "id_number", problem)
    values = {"id_number": id_number,
              "person_name": text(data, "person_name", errors, "姓名", 64),
              "sent_on": day(data, "sent_on", errors, "寄送日期", today, not_future=True),
              "letter_number": text(data, "letter_number", errors, "信函编号", 64),
              "note": text(data, "note", errors, "说明", 500, required=False)}
    place = (data.get("registration_place") or "").strip()
    if not place and not problem:
        place = registration_place(id_number)
    if not place and not problem:  # a wrong ID number is the one thing to correct first
        fail(errors, "registration_place", "请填写户籍地。")
    elif len(place) > 120:
        fail(errors, "registration_place", "户籍地不超过120个字。")
    values["registration_place"] = place
    # A letter may name a case of the street it was sent for, or of an area above its own.
    values["case_instance_id"] = case_in_area(s, data, "case_reference", errors, "案件编号", area, above=True)
    if errors:
        raise ValidationFailed(errors)
    values["blacklist_entry_id"] = s.scalar(sa.select(BlacklistEntry.id).where(BlacklistEntry.id_number == id_number))
    return values


KIND = RecordKind(key="letters", model=RegistrationLetterSent, title="致户籍地一封信", clean=clean,
                  date_column="sent_on",
                  label=lambda row: f"{row.person_name}（{row.id_number}）致{row.registration_place} {row.letter_number}")


@dataclass(frozen=True)
class Caught:
    """One person found in a case (`id` is the case person's row), and whether their letter went."""

    id: int
    name: str
    id_number: str
    instance_id: int
    reference: str
    caught_on: date
    has_letter: bool
    notice_number: str = ""   # the letter issued in the case for this person (签发), whether or not sent yet


def caught_persons(s: Session, area_path: str, start: date, end: date) -> list[Caught]:
    """Everyone found in a six-step case opened inside `area_path` between `start` and `end` (office days,
    inclusive), oldest first, each with whether a letter went to their registration place for that catch: a
    letter naming the case, or one for the same ID number sent on or after the day the case was opened."""
    first, after = office_bounds(start, end)
    rows = s.execute(
        sa.select(CasePerson.id, CasePerson.name, CasePerson.id_number, ProcessInstance.id,
                  ProcessInstance.reference, ProcessInstance.created_at)
        .join(ProcessInstance, ProcessInstance.id == CasePerson.instance_id)
        .where(ProcessInstance.process_id == CASE_PROCESS, areas.under(s, ProcessInstance.area_path, area_path),
               ProcessInstance.created_at >= first, ProcessInstance.created_at < after,
               CasePerson.id_number != "")
        .order_by(CasePerson.id)).all()
    catches = [(number, inst_id, office_date(created_at)) for _id, _name, number, inst_id, _ref, created_at in rows]
    sent = letters_went(s, catches)
    return [Caught(person_id, name, number, inst_id, reference, caught_on, went)
            for (person_id, name, number, inst_id, reference, _created), (_n, _i, caught_on), went
            in zip(rows, catches, sent)]


def letters_went(s: Session, catches: list[tuple[str, int, date]]) -> list[bool]:
    """For each catch (ID number, case, office day caught): whether a letter went to the registration place for
    it: a letter naming the case, or one for the same ID number sent on or after the day the case was opened."""
    numbers = {number for number, _inst, _day in catches}
    letters: dict[str, list[tuple[date, int | None]]] = {}
    if numbers:
        for number, sent_on, inst_id in s.execute(
                sa.select(RegistrationLetterSent.id_number, RegistrationLetterSent.sent_on,
                          RegistrationLetterSent.case_instance_id)
                .where(RegistrationLetterSent.id_number.in_(numbers))):
            letters.setdefault(number, []).append((sent_on, inst_id))
    return [any(i == inst_id or (i is None and d >= caught_on) for d, i in letters.get(number, []))
            for number, inst_id, caught_on in catches]


def issued_letters(s: Session, instance_ids) -> dict[tuple[int, str], str]:
    """(case, ID number) -> the number of the registration-place letter issued in that case (not voided)."""
    out: dict[tuple[int, str], str] = {}
    ids = sorted(set(instance_ids))
    for i in range(0, len(ids), 500):
        for inst_id, number, content in s.execute(sa.select(Notice.instance_id, Notice.number, Notice.content).where(
                Notice.notice_type == LETTER_NOTICE, Notice.status == NoticeStatus.ISSUED,
                Notice.instance_id.in_(ids[i:i + 500])).order_by(Notice.id)):
            fields = json.loads(content).get("fields") or {}
            out[(inst_id, fields.get("id_number", ""))] = number
    return out


def persons_without_letter(services, viewer_id: int, start: date, end: date) -> list[Caught]:
    """The persons caught inside the viewer's area in the period whose letter is not recorded as sent, each with
    the number of the letter issued for them in the case, if one was."""
    with services.db.read() as s:
        user = access.active_user(s, viewer_id)
        owed = [p for p in caught_persons(s, access.visible_prefix(user, "涉传人员"), start, end) if not p.has_letter]
        issued = issued_letters(s, [p.instance_id for p in owed])
        return [replace(p, notice_number=issued.get((p.instance_id, p.id_number), "")) for p in owed]
