"""Date ranges that reports count over: the fiscal year and a period the user chooses."""

import datetime
from dataclasses import dataclass

from django import forms

from accountwise.core.forms import DateInput, StyledFormMixin


@dataclass(frozen=True)
class Period:
    """A range of days, both ends included."""

    start: datetime.date
    end: datetime.date

    def __str__(self) -> str:
        return f"{self.start:%d %b %Y} – {self.end:%d %b %Y}"


def fiscal_year(day: datetime.date, start_month: int) -> Period:
    """Return the fiscal year that contains `day`, for a year starting on the 1st of `start_month`."""
    year = day.year if day.month >= start_month else day.year - 1
    start = datetime.date(year, start_month, 1)
    next_start = datetime.date(year + 1, start_month, 1)
    return Period(start, next_start - datetime.timedelta(days=1))


def fiscal_year_label(period: Period) -> str:
    """Name a fiscal year "FY 2026" when it is a calendar year, else "FY 2026/27"."""
    if period.start.year == period.end.year:
        return f"FY {period.start.year}"
    return f"FY {period.start.year}/{period.end.year % 100:02d}"


class PeriodForm(StyledFormMixin, forms.Form):
    """The period of the win rate and of the close dates pushed back; both ends included."""

    start = forms.DateField(label="From", required=False, widget=DateInput())
    end = forms.DateField(label="To", required=False, widget=DateInput())

    def __init__(self, *args, default: Period, **kwargs):
        super().__init__(*args, **kwargs)
        self.default = default

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        start = cleaned.get("start") or self.default.start
        end = cleaned.get("end") or self.default.end
        if end < start:
            field = "end" if cleaned.get("end") else "start"
            self.add_error(
                field, f"The period ends on {end:%d %b %Y}, before it starts on {start:%d %b %Y}; "
                "choose a start on or before the end."
            )
        return cleaned

    def period(self) -> Period:
        """Return the chosen period, filling a missing end from the default; the default when invalid."""
        if not self.is_valid():
            return self.default
        return Period(
            self.cleaned_data["start"] or self.default.start,
            self.cleaned_data["end"] or self.default.end,
        )
