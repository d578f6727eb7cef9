"""Input for the provision pages: validation and cleaning only. A form that changes a case
carries the case version its page showed, so a change made on an out-of-date page is refused.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django import forms

from .dates import GovukDateField
from .models import HomeEducationRecord
from .rules import PanelOutcome, PlacementOutcome, ProvisionRoute

Choices = Sequence[tuple[str, str]]
NEED_MAX = 4000
NOTE_MAX = 2000
NAME_MAX = 200


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def _school_field(label: str, *, required: bool, schools: Choices) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=required,
        choices=[("", "Choose a school"), *schools],
        error_messages={"required": "Select the school", "invalid_choice": "Select a school"},
    )


class DecideProvisionForm(VersionedForm):
    replacing = forms.IntegerField(widget=forms.HiddenInput, required=False)
    route = forms.ChoiceField(
        label="How will the child get back into education?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the route to education"},
    )
    need = forms.CharField(
        label="What does the child need?",
        help_text="Their needs as assessed with the family, and any support to access education",
        max_length=NEED_MAX,
        widget=_textarea(5),
        error_messages={"required": "Enter what the child needs"},
    )
    involved = forms.CharField(
        label="Who took part in the decision?",
        help_text="For example, the parent, the referrer and the child's social worker",
        max_length=1000,
        error_messages={"required": "Enter who took part in the decision"},
    )
    additional_support = forms.CharField(
        label="Additional support needed (optional)",
        help_text="For example, reintegration or behaviour support",
        required=False,
        max_length=NOTE_MAX,
        widget=_textarea(3),
    )
    locality = forms.ChoiceField(
        label="Locality whose panel considers the case (Fair Access only)",
        required=False,
        error_messages={"invalid_choice": "Select a locality"},
    )
    preferred_schools = forms.CharField(
        label="Schools the family would like (school admission only, optional)",
        required=False,
        max_length=1000,
    )
    applied_on = GovukDateField(
        label="Date of the in-year application (school admission only, optional)",
        error_name="The date of the application",
        hint="Leave blank for today. For example, 27 3 2026",
        required=False,
        latest="today",
    )

    def __init__(
        self,
        *args: Any,
        routes: Sequence[ProvisionRoute],
        localities: Choices,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["route"].choices = [(r.value, r.label) for r in routes]  # type: ignore[attr-defined]
        self.fields["locality"].choices = [("", "Choose a locality"), *localities]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if (
            cleaned is not None
            and cleaned.get("route") == ProvisionRoute.FAIR_ACCESS
            and not cleaned.get("locality")
        ):
            self.add_error("locality", "Select the locality whose panel will consider the case")
        return cleaned


class PlacementForm(VersionedForm):
    school = forms.ChoiceField(label="School", required=False)
    provision_name = forms.CharField(
        label="Or the provision, if not a school",
        help_text="For example, an alternative provision or tuition service",
        required=False,
        max_length=NAME_MAX,
    )
    start_date = GovukDateField(label="Start date", error_name="The start date")
    support = forms.CharField(
        label="Support with the placement (optional)",
        required=False,
        max_length=NOTE_MAX,
        widget=_textarea(3),
    )

    def __init__(self, *args: Any, schools: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"] = _school_field("School", required=False, schools=schools)

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if cleaned is not None:
            has_school = bool(cleaned.get("school"))
            has_provision = bool(cleaned.get("provision_name", "").strip())
            if not has_school and not has_provision:
                self.add_error("school", "Select the school, or enter the name of the provision")
            elif has_school and has_provision:
                self.add_error("provision_name", "Select a school or enter a provision, not both")
        return cleaned


class StartForm(VersionedForm):
    started_on = GovukDateField(
        label="When did the child start?", error_name="The date the child started", latest="today"
    )


class EndPlacementForm(VersionedForm):
    outcome = forms.ChoiceField(
        label="How did the placement go?",
        choices=PlacementOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the placement went"},
    )
    ended_on = GovukDateField(
        label="Date monitoring ended", error_name="The date monitoring ended", latest="today"
    )
    note = forms.CharField(
        label="What happened",
        help_text="Needed if the placement did not work out",
        required=False,
        max_length=NOTE_MAX,
        widget=_textarea(3),
    )
    manager_approved = forms.BooleanField(
        label="As a CME manager, I approve closing with enquiries outstanding", required=False
    )

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if (
            cleaned is not None
            and cleaned.get("outcome") == PlacementOutcome.BROKE_DOWN
            and not cleaned.get("note", "").strip()
        ):
            self.add_error("note", "Enter why the placement did not work out")
        return cleaned


class OfferForm(VersionedForm):
    school = forms.ChoiceField(label="School offering the place")
    offered_on = GovukDateField(
        label="Date of the offer", error_name="The date of the offer", latest="today"
    )
    start_date = GovukDateField(label="Start date", error_name="The start date")

    def __init__(self, *args: Any, schools: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"] = _school_field(
            "School offering the place", required=True, schools=schools
        )

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if cleaned is not None:
            offered: datetime.date | None = cleaned.get("offered_on")
            start: datetime.date | None = cleaned.get("start_date")
            if offered and start and start < offered:
                self.add_error("start_date", "The start date must be on or after the offer")
        return cleaned


class NoPlaceForm(forms.Form):
    note = forms.CharField(
        label="Why can no place be offered?",
        max_length=NOTE_MAX,
        widget=_textarea(3),
        error_messages={"required": "Enter why no place can be offered"},
    )


YEAR_LABELS = ["Reception", *(f"Year {n}" for n in range(1, 12))]


class PlacesForm(forms.Form):
    """Places free at one school, one box per year group (blank: not known)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for year, label in enumerate(YEAR_LABELS):
            self.fields[f"year_{year}"] = forms.IntegerField(
                label=label,
                required=False,
                min_value=0,
                max_value=999,
                error_messages={
                    "invalid": f"Places in {label} must be a whole number, like 2",
                    "min_value": f"Places in {label} must be 0 or more",
                    "max_value": f"Places in {label} must be 999 or fewer",
                },
            )

    def places(self) -> dict[int, int | None]:
        return {year: self.cleaned_data.get(f"year_{year}") for year in range(len(YEAR_LABELS))}


class MeetingForm(forms.Form):
    locality = forms.ChoiceField(
        label="Locality",
        error_messages={"required": "Select the locality", "invalid_choice": "Select a locality"},
    )
    meets_on = GovukDateField(label="Date of the meeting", error_name="The date of the meeting")
    starts_at = forms.TimeField(
        label="Start time (optional)",
        help_text="For example, 09:30",
        required=False,
        input_formats=["%H:%M", "%H.%M", "%H:%M:%S"],
        error_messages={"invalid": "Enter the start time like 09:30"},
    )
    location = forms.CharField(label="Where (optional)", required=False, max_length=NAME_MAX)

    def __init__(self, *args: Any, localities: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["locality"].choices = [("", "Choose a locality"), *localities]  # type: ignore[attr-defined]


class AddToAgendaForm(forms.Form):
    items = forms.MultipleChoiceField(
        label="Cases waiting for this panel",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the cases to put on the agenda"},
    )

    def __init__(self, *args: Any, waiting: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = list(waiting)  # type: ignore[attr-defined]


class RemoveFromAgendaForm(forms.Form):
    item = forms.ChoiceField(error_messages={"required": "Select the case to take off"})

    def __init__(self, *args: Any, on_agenda: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = list(on_agenda)  # type: ignore[attr-defined]


class PanelDecisionForm(VersionedForm):
    outcome = forms.ChoiceField(
        label="What did the panel decide?",
        choices=PanelOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the panel decided"},
    )
    school = forms.ChoiceField(label="School named by the panel", required=False)
    provision_name = forms.CharField(
        label="Or the provision named, if not a school", required=False, max_length=NAME_MAX
    )
    extra_support = forms.CharField(
        label="Additional support agreed (optional)",
        help_text="For example, a reintegration mentor or behaviour support",
        required=False,
        max_length=NOTE_MAX,
        widget=_textarea(3),
    )
    start_date = GovukDateField(
        label="Start date agreed", error_name="The start date", required=False
    )
    panel_notes = forms.CharField(
        label="Notes of the panel's discussion",
        help_text="Needed when the case is returned to the officer",
        required=False,
        max_length=4000,
        widget=_textarea(4),
    )

    def __init__(self, *args: Any, schools: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"] = _school_field(
            "School named by the panel", required=False, schools=schools
        )

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if cleaned is None:
            return cleaned
        outcome = cleaned.get("outcome")
        if outcome == PanelOutcome.AGREED:
            has_school = bool(cleaned.get("school"))
            has_provision = bool(cleaned.get("provision_name", "").strip())
            if not has_school and not has_provision:
                self.add_error("school", "Select the school, or enter the provision named")
            elif has_school and has_provision:
                self.add_error("provision_name", "Select a school or enter a provision, not both")
            if cleaned.get("start_date") is None and "start_date" not in self.errors:
                self.add_error("start_date", "Enter the start date agreed")
        if outcome == PanelOutcome.RETURNED and not cleaned.get("panel_notes", "").strip():
            self.add_error("panel_notes", "Enter why the panel returned the case")
        return cleaned


class HomeEducationForm(forms.Form):
    status = forms.ChoiceField(
        label="What is the child's home education now?",
        widget=forms.RadioSelect,
        choices=HomeEducationRecord.Status.choices,
        error_messages={"required": "Select where the child's home education stands"},
    )
    on = GovukDateField(
        label="From when",
        error_name="The date",
        hint="The day the authority was told, or the day of the assessment. For example, 27 3 2026",
        latest="today",
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
