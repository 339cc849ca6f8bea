"""The statutory periods and amounts of the penalty procedure, computed on the working-day calendar.

行政处罚法 (2021) counts its 五日 and 七日 in working days (第八十五条); the 15 days to pay (第六十七条), the
90 days to decide (第六十条), the 60 days for review and six months for a lawsuit run in calendar days. Every
period that concerns the party runs from the day a document reached them, not the day it was signed.
"""
from __future__ import annotations

from calendar import monthrange
from datetime import date, datetime, time, timedelta, timezone

from workflows.clock import OFFICE_UTC_OFFSET
from workflows.workdays.calendar import WorkdayCalendar

LOCAL = timezone(OFFICE_UTC_OFFSET)

FILING_WORKDAYS = 15          # 市场监督管理行政处罚程序规定: 立案 within 15 working days of discovery
FILING_EXTENSION_WORKDAYS = 15  # ... extended by 15 working days with the head's approval
REPLY_WORKDAYS = 5            # 行政处罚法 第六十四条第一项: a hearing asked for within 5 days of the 告知
HEARING_NOTICE_WORKDAYS = 7   # 第六十四条第二项: the hearing notified 7 days before it is held
SERVICE_WORKDAYS = 7          # 第六十一条: a decision not handed over on the spot is served within 7 days
DECISION_DAYS = 90            # 第六十条: decided within 90 days of 立案
DECISION_EXTENSION_DAYS = 30  # 市场监督管理行政处罚程序规定: extended by 30 days with approval
PAYMENT_DAYS = 15             # 第六十七条第三款: paid within 15 days of receiving the decision
SURCHARGE_PERCENT_PER_DAY = 3  # 第七十二条第一款第一项: 3% of the fine a day, never more than the fine
REVIEW_DAYS = 60              # 行政复议法: 60 days to apply for administrative review
LAWSUIT_MONTHS = 6            # 行政诉讼法 第四十六条: six months to sue
ENFORCEMENT_MONTHS = 3        # 行政强制法 第五十三条: the court is asked within 3 months after the periods end
SUMMARY_FINE_PERSON_MAX = 200  # 行政处罚法 第五十一条: on-the-spot fine of a person up to 200 yuan
PARTICIPANT_FINE_MAX = 2000   # 禁止传销条例 第二十四条第三款




def end_of_local_day_utc(day: date) -> datetime:
    """The last moment of `day` at the office, as naive UTC (deadlines fall due at the end of their day)."""
    return datetime.combine(day, time(23, 59, 59), LOCAL).astimezone(timezone.utc).replace(tzinfo=None)


def local_time_utc_iso(day: date, at: time) -> str:
    """`day` at local `at`, as an ISO instant in UTC (what a timer in the diagram waits for)."""
    return datetime.combine(day, at, LOCAL).astimezone(timezone.utc).isoformat()


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


class Terms:
    """The procedure's dates for one calendar (working days) and the configured hearing thresholds."""

    def __init__(self, calendar: WorkdayCalendar, settings):
        self.calendar, self.settings = calendar, settings

    def filing_due(self, discovered_on: date, extended: bool = False) -> date:
        days = FILING_WORKDAYS + (FILING_EXTENSION_WORKDAYS if extended else 0)
        return self.calendar.add_workdays(discovered_on, days)

    @staticmethod
    def decision_due(filed_on: date, extended: bool = False) -> date:
        return filed_on + timedelta(days=DECISION_DAYS + (DECISION_EXTENSION_DAYS if extended else 0))

    def reply_until(self, notified_on: date) -> date:
        return self.calendar.add_workdays(notified_on, REPLY_WORKDAYS)

    def earliest_hearing(self, hearing_notice_served_on: date) -> date:
        return self.calendar.add_workdays(hearing_notice_served_on, HEARING_NOTICE_WORKDAYS)

    def service_due(self, decided_on: date) -> date:
        return self.calendar.add_workdays(decided_on, SERVICE_WORKDAYS)

    def hearing_threshold(self, party_kind: str) -> int:
        return (self.settings.hearing_threshold_organisation if party_kind == "organisation"
                else self.settings.hearing_threshold_person)

    def hearing_right(self, party_kind: str, proposed_fine: int) -> bool:
        """第六十三条: a fine of a large amount (as the market-supervision hearing rules set it) may be heard."""
        return proposed_fine >= self.hearing_threshold(party_kind)


def payment_due(served_on: date) -> date:
    return served_on + timedelta(days=PAYMENT_DAYS)


def surcharge(fine: int, served_on: date, on: date) -> int:
    """第七十二条: 3% of the fine for each day past the 15 days to pay, in whole yuan, never more than the fine."""
    late_days = (on - payment_due(served_on)).days
    if late_days <= 0:
        return 0
    return min(fine, fine * SURCHARGE_PERCENT_PER_DAY * late_days // 100)


def appeal_periods_end(served_on: date) -> date:
    """The last day the party may still sue (the review period, 60 days, ends earlier)."""
    return add_months(served_on, LAWSUIT_MONTHS)


def enforcement_window(served_on: date) -> tuple[date, date]:
    """First and last day to ask the court to enforce (行政强制法 第五十三条)."""
    first = appeal_periods_end(served_on) + timedelta(days=1)
    return first, add_months(appeal_periods_end(served_on), ENFORCEMENT_MONTHS)
