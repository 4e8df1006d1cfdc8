"""The date range every insights view reads (dashboard, CSV and API share it)."""
from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .selectors import MAX_RANGE_DAYS, default_range


class RangeForm(forms.Form):
    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        default_start, default_end = default_range(today=self.today)
        end = cleaned.get("end") or default_end
        # Without a start: the default length (28 days) ending on `end`.
        start = cleaned.get("start") or end - (default_end - default_start)
        if start > end:
            self.add_error("end", _("The end date must not be before the start date."))
        elif (end - start).days + 1 > MAX_RANGE_DAYS:
            self.add_error("start", ngettext("Choose at most %(days)d day.",
                                             "Choose at most %(days)d days.",
                                             MAX_RANGE_DAYS) % {"days": MAX_RANGE_DAYS})
        cleaned["start"], cleaned["end"] = start, end
        return cleaned


def range_from(data, *, today: date) -> tuple[RangeForm, date, date]:
    """The bound form and the range to show (the default range when the form is invalid);
    `today` is the Store's (its marketplace's time zone)."""
    if not data.get("start") and not data.get("end"):
        # Show the default range in the inputs rather than empty fields.
        start, end = default_range(today=today)
        data = {"start": start.isoformat(), "end": end.isoformat()}
    form = RangeForm(data, today=today)
    if form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    start, end = default_range(today=today)
    return form, start, end


