"""The date range every insights view reads (dashboard, CSV and API share it)."""
from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone

from .selectors import MAX_RANGE_DAYS, default_range


class RangeForm(forms.Form):
    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        default_start, default_end = default_range(today=timezone.now().date())
        end = cleaned.get("end") or default_end
        # Without a start: the default length (28 days) ending on `end`.
        start = cleaned.get("start") or end - (default_end - default_start)
        if start > end:
            self.add_error("end", "The end date must not be before the start date.")
        elif (end - start).days + 1 > MAX_RANGE_DAYS:
            self.add_error("start", f"Choose at most {MAX_RANGE_DAYS} days.")
        cleaned["start"], cleaned["end"] = start, end
        return cleaned


def range_from(data) -> tuple[RangeForm, date, date]:
    """The bound form and the range to show (the default range when the form is invalid)."""
    if not data.get("start") and not data.get("end"):
        # Show the default range in the inputs rather than empty fields.
        start, end = default_range(today=timezone.now().date())
        data = {"start": start.isoformat(), "end": end.isoformat()}
    form = RangeForm(data)
    if form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    start, end = default_range(today=timezone.now().date())
    return form, start, end


