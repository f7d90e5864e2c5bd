"""Forms of the web UI. They check shape and turn input into service arguments; the rules live in
the services, whose ValidationErrors are put back on the fields (see ``apply_errors``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from nmt.accounts.models import Agency, Municipality, Region
from nmt.cases import codes
from nmt.cases.services import DocumentInput, PersonInput
from nmt.countries import country_choices
from nmt.supportline.models import CallerType, Topic
from nmt.web.conflicts import baseline_token

BLANK = [("", "—")]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any):
        super().__init__(format="%Y-%m-%d", **kwargs)


# Citizenships most often seen in Swedish trafficking cases come first in the lists.
COMMON_COUNTRIES = ("RO", "NG", "TH", "UA", "SE", "VN", "BG", "MA", "AF", "UG", "MN", "SY", "IQ")


def grouped_countries() -> list[tuple[str, Any]]:
    everything = country_choices("en" if (get_language() or "sv").startswith("en") else "sv")
    names = dict(everything)
    return [
        *BLANK,
        (_("Common"), [(code, names[code]) for code in COMMON_COUNTRIES]),
        (_("All countries"), everything),
    ]


def grouped_municipalities() -> list[tuple[str, Any]]:
    groups: dict[str, list[tuple[int, str]]] = {}
    for municipality in Municipality.objects.select_related("county").order_by(
        "county__name", "name"
    ):
        groups.setdefault(municipality.county.name, []).append((municipality.pk, municipality.name))
    return [*BLANK, *groups.items()]


class MunicipalityField(forms.ModelChoiceField):
    def __init__(self, **kwargs: Any):
        super().__init__(queryset=Municipality.objects.select_related("county"), **kwargs)

    def group(self) -> None:
        self.widget.choices = grouped_municipalities()


def apply_errors(form: forms.Form, error: ValidationError, mapping: dict[str, str] | None = None):
    """Attach a service's ValidationError to the form's fields (or to the form as a whole)."""
    mapping = mapping or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        target = mapping.get(name, name)
        form.add_error(target if target in form.fields else None, messages)


class PersonForm(forms.Form):
    """Identity of the person. Every field may be left empty: unknown is a valid answer."""

    given_name = forms.CharField(label=_("Given names"), required=False, max_length=200)
    family_name = forms.CharField(label=_("Family name"), required=False, max_length=200)
    aliases = forms.CharField(
        label=_("Aliases and other spellings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line."),
    )
    birth_date = forms.CharField(
        label=_("Date of birth"),
        required=False,
        max_length=10,
        help_text=_("YYYY-MM-DD, or YYYY-MM or YYYY if only partly known."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": _("YYYY-MM-DD")}),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=codes.Sex.choices, initial=codes.Sex.UNKNOWN)
    citizenship = forms.ChoiceField(label=_("Citizenship"), choices=[], required=False)
    citizenship_2 = forms.ChoiceField(label=_("Second citizenship"), choices=[], required=False)
    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        max_length=200,
        help_text=_("Separate with commas, e.g. Romanian, English."),
    )
    protected_identity = forms.BooleanField(
        label=_("Protected personal data"),
        required=False,
        help_text=_("Address and whereabouts are then hidden in every page, export and report."),
    )
    address = forms.CharField(
        label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    whereabouts = forms.CharField(label=_("Current whereabouts"), required=False, max_length=300)
    document_kind = forms.ChoiceField(
        label=_("Identity document"), choices=BLANK + codes.DocumentKind.choices, required=False
    )
    document_number = forms.CharField(
        label=_("Document number"),
        required=False,
        max_length=40,
        help_text=_("Swedish numbers are checked against their check digit."),
    )
    document_country = forms.ChoiceField(label=_("Issued by"), choices=[], required=False)
    document_kind_2 = forms.ChoiceField(
        label=_("Another document"), choices=BLANK + codes.DocumentKind.choices, required=False
    )
    document_number_2 = forms.CharField(label=_("Document number"), required=False, max_length=40)
    document_country_2 = forms.ChoiceField(label=_("Issued by"), choices=[], required=False)

    error_mapping = {
        "documents.0.number": "document_number",
        "documents.1.number": "document_number_2",
        "citizenships": "citizenship",
    }

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        countries = grouped_countries()
        for name in ("citizenship", "citizenship_2", "document_country", "document_country_2"):
            self.fields[name].choices = countries

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for suffix in ("", "_2"):
            kind, number = data.get(f"document_kind{suffix}"), data.get(f"document_number{suffix}")
            if number and not kind:
                self.add_error(f"document_kind{suffix}", _("Choose the kind of document."))
            if kind and not number:
                self.add_error(f"document_number{suffix}", _("Give the number of the document."))
        return data

    def person_input(self) -> PersonInput:
        data = self.cleaned_data
        documents = [
            DocumentInput(
                kind=data[f"document_kind{suffix}"],
                number=data[f"document_number{suffix}"],
                issuing_country=data.get(f"document_country{suffix}") or "",
            )
            for suffix in ("", "_2")
            if data.get(f"document_kind{suffix}")
        ]
        return PersonInput(
            given_name=data["given_name"].strip(),
            family_name=data["family_name"].strip(),
            aliases="\n".join(
                line.strip() for line in data["aliases"].splitlines() if line.strip()
            ),
            birth_date=data["birth_date"].strip(),
            sex=data["sex"],
            citizenships=[c for c in (data["citizenship"], data["citizenship_2"]) if c],
            languages=[x.strip() for x in data["languages"].split(",") if x.strip()],
            protected_identity=data["protected_identity"],
            address=data["address"].strip(),
            whereabouts=data["whereabouts"].strip(),
            documents=documents,
        )

    @classmethod
    def initial_from(cls, person: Any) -> dict[str, Any]:
        documents = list(person.documents.all())
        initial = {
            "given_name": person.given_name,
            "family_name": person.family_name,
            "aliases": person.aliases,
            "birth_date": person.birth_date,
            "sex": person.sex,
            "languages": ", ".join(person.languages),
            "protected_identity": person.protected_identity,
            "address": person.address,
            "whereabouts": person.whereabouts,
        }
        citizenships = [c.country for c in person.citizenships.all()]
        for country, name in zip(citizenships[:2], ("citizenship", "citizenship_2"), strict=False):
            initial[name] = country
        for document, suffix in zip(documents[:2], ("", "_2"), strict=False):
            initial[f"document_kind{suffix}"] = document.kind
            initial[f"document_number{suffix}"] = document.number
            initial[f"document_country{suffix}"] = document.issuing_country
        return initial


class CaseForm(forms.Form):
    """The identification: only channel, date and region are required."""

    identified_on = forms.DateField(
        label=_("Date of identification"), widget=DateInput(), initial=timezone.localdate
    )
    channel = forms.ChoiceField(label=_("Identified by"), choices=codes.Channel.choices)
    region = forms.ModelChoiceField(
        empty_label="—", label=_("Region"), queryset=Region.objects.all()
    )
    municipality = MunicipalityField(label=_("Municipality"), required=False, empty_label="—")
    estimated_age = forms.IntegerField(
        label=_("Estimated age"),
        min_value=0,
        max_value=120,
        required=False,
        help_text=_("If the date of birth is unknown."),
    )
    purposes = forms.MultipleChoiceField(
        label=_("Purposes of exploitation"),
        choices=codes.Purpose.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    offence = forms.ChoiceField(
        label=_("Offence"), choices=codes.Offence.choices, initial=codes.Offence.UNKNOWN
    )
    exploitation_place = forms.ChoiceField(
        label=_("Place of exploitation"),
        choices=codes.ExploitationPlace.choices,
        initial=codes.ExploitationPlace.UNKNOWN,
    )
    industry = forms.ChoiceField(
        label=_("Industry (labour exploitation)"),
        choices=BLANK + codes.Industry.choices,
        required=False,
    )
    indicators = forms.MultipleChoiceField(
        label=_("Observed indicators"),
        choices=codes.Indicator.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].group()

    def case_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "identified_on": data["identified_on"],
            "channel": data["channel"],
            "region": data["region"],
            "municipality": data["municipality"],
            "estimated_age": data["estimated_age"],
            "purposes": data["purposes"],
            "offence": data["offence"],
            "exploitation_place": data["exploitation_place"],
            "industry": data["industry"],
            "indicators": data["indicators"],
        }

    @classmethod
    def initial_from(cls, case: Any) -> dict[str, Any]:
        return {
            "identified_on": case.identified_on,
            "channel": case.channel,
            "region": case.region_id,
            "municipality": case.municipality_id,
            "estimated_age": case.estimated_age,
            "purposes": [p.purpose for p in case.purpose_rows.all()],
            "offence": case.offence,
            "exploitation_place": case.exploitation_place,
            "industry": case.industry,
            "indicators": case.indicators,
        }


class RegisterForm(CaseForm):
    note = forms.CharField(
        label=_("First note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What happened, who made contact, what is planned."),
    )


class VersionedForm(forms.Form):
    """Carries the version the user started from, and the values they saw (signed), for
    optimistic concurrency with a three-way merge (see nmt.web.conflicts)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    baseline = forms.CharField(widget=forms.HiddenInput, required=False)

    def seal_baseline(self) -> None:
        self.initial["baseline"] = baseline_token(self.initial)


class PersonEditForm(PersonForm, VersionedForm):
    def hide_protected(self) -> None:
        """For protected persons the address is never sent to the browser, even to the owner."""
        for name in ("address", "whereabouts"):
            self.initial[name] = ""
            self.fields[name].help_text = _(
                "Protected: the saved value is hidden. Type a new value to replace it, or leave "
                "empty to keep it."
            )


class CaseEditForm(CaseForm, VersionedForm):
    pass


class StatusForm(VersionedForm):
    status = forms.ChoiceField(label=_("Status"), choices=codes.CaseStatus.choices)
    closed_reason = forms.ChoiceField(
        label=_("Reason for closing"), choices=BLANK + codes.ClosedReason.choices, required=False
    )
    note = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class MeasureForm(forms.Form):
    kind = forms.ChoiceField(label=_("Measure"), choices=codes.MeasureKind.choices)
    status = forms.ChoiceField(
        label=_("Status"), choices=codes.MeasureStatus.choices, initial=codes.MeasureStatus.PLANNED
    )
    applied_on = forms.DateField(label=_("Applied on"), required=False, widget=DateInput())
    applied_by = forms.CharField(
        label=_("Applied for by"),
        required=False,
        max_length=120,
        help_text=_(
            "Reflection period: the social services. Residence permit: the preliminary "
            "investigation leader."
        ),
    )
    decided_on = forms.DateField(label=_("Decided on"), required=False, widget=DateInput())
    starts_on = forms.DateField(label=_("Starts"), required=False, widget=DateInput())
    ends_on = forms.DateField(
        label=_("Ends"),
        required=False,
        widget=DateInput(),
        help_text=_("A reflection period without an end date gets 30 days."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def measure_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for name in ("kind", "version", "baseline"):
            data.pop(name, None)
        return data


class MeasureEditForm(MeasureForm, VersionedForm):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["kind"].disabled = True
        self.fields["kind"].required = False


class ReferralForm(forms.Form):
    to_agency = forms.ModelChoiceField(
        empty_label="—", label=_("To"), queryset=Agency.objects.filter(receives_referrals=True)
    )
    to_region = forms.ModelChoiceField(
        empty_label="—",
        label=_("Region of the receiver"),
        queryset=Region.objects.all(),
        required=False,
        help_text=_("For the social services of another region."),
    )
    legal_ground = forms.ChoiceField(
        label=_("Legal ground"), choices=codes.LegalGround.choices, widget=forms.RadioSelect
    )
    legal_ground_detail = forms.CharField(
        label=_("Provision or statute"),
        required=False,
        max_length=200,
        help_text=_("E.g. OSL 10 kap. 2 §, or the statute that requires the disclosure."),
    )
    consent = forms.ChoiceField(label=_("The person's consent"), choices=codes.Consent.choices)
    message = forms.CharField(
        label=_("Message to the receiver"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DeclineForm(VersionedForm):
    reason = forms.CharField(
        label=_("Reason for declining"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need the protected details?"),
        max_length=200,
        help_text=_("Recorded in the audit log."),
    )


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, identity number or case number")}
        ),
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    purpose = forms.ChoiceField(
        label=_("Purpose"), choices=BLANK + codes.Purpose.choices, required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=BLANK + codes.CaseStatus.choices, required=False
    )
    region = forms.ModelChoiceField(
        empty_label="—", label=_("Region"), queryset=Region.objects.all(), required=False
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=BLANK + codes.Channel.choices, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = BLANK + [(str(y), str(y)) for y in range(this_year, 2009, -1)]


class ContactForm(forms.Form):
    occurred_at = forms.DateTimeField(
        label=_("Time of call"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        initial=lambda: timezone.localtime().replace(second=0, microsecond=0),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=0, max_value=600, required=False
    )
    caller_type = forms.ChoiceField(
        label=_("Caller's organisation"), choices=CallerType.choices, initial=CallerType.UNKNOWN
    )
    region = forms.ModelChoiceField(
        empty_label="—", label=_("Region"), queryset=Region.objects.all(), required=False
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    purposes = forms.MultipleChoiceField(
        label=_("Purposes discussed"),
        choices=codes.Purpose.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("No names or other identifying details of the person concerned."),
    )
    advice = forms.CharField(
        label=_("Advice given"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    follow_up = forms.CharField(label=_("Follow-up"), required=False, max_length=300)
    follow_up_due = forms.DateField(label=_("Follow up by"), required=False, widget=DateInput())
    follow_up_done = forms.BooleanField(label=_("Follow-up done"), required=False)

    def contact_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.pop("baseline", None)
        return data


class ContactEditForm(ContactForm, VersionedForm):
    pass


class ContactFilterForm(forms.Form):
    q = forms.CharField(label=_("Search follow-ups"), required=False, max_length=100)
    topic = forms.ChoiceField(label=_("Topic"), choices=BLANK + Topic.choices, required=False)
    caller_type = forms.ChoiceField(
        label=_("Caller"), choices=BLANK + CallerType.choices, required=False
    )
    region = forms.ModelChoiceField(
        empty_label="—", label=_("Region"), queryset=Region.objects.all(), required=False
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    follow_up_open = forms.BooleanField(label=_("Open follow-ups only"), required=False)
