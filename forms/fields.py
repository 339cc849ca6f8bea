"""Fields the task forms share."""
from __future__ import annotations

from datetime import date

import wtforms

ISO_DATE = "%Y-%m-%d"


class DateField(wtforms.DateField):
    """WTForms' DateField, reading the date a browser's date input sends (YYYY-MM-DD, ASCII digits) without
    `strptime`, which in a request costs as much as the rest of the form's reading together. Whatever else
    was submitted (another spelling, a date that does not exist) goes to WTForms as before, so the data and
    the message are WTForms' own."""

    def process_formdata(self, valuelist):
        if len(valuelist) == 1 and self.strptime_format == [ISO_DATE]:
            parsed = _iso_date(valuelist[0])
            if parsed is not None:
                self.data = parsed
                return
        super().process_formdata(valuelist)


def _iso_date(text) -> date | None:
    if not (isinstance(text, str) and len(text) == 10 and text.isascii()
            and text[4] == "-" and text[7] == "-"):
        return None
    year, month, day = text[:4], text[5:7], text[8:]
    if not (year.isdigit() and month.isdigit() and day.isdigit()):
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None
