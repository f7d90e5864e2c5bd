"""Forms of the method-support pages: shape only; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nmt.accounts.models import Agency, Region, Role, User
from nmt.cases import codes
from nmt.methods.models import (
    REPORT_SECTIONS,
    GuidanceItem,
    LibraryCategory,
    LibraryKind,
    MeetingKind,
    Term,
)
from nmt.methods.policies import NETWORK_ROLES
from nmt.web.forms import DateInput

BLANK = [("", "—")]


def _purpose_choices():
    return [(p.value, p.label) for p in codes.Purpose if p != codes.Purpose.UNKNOWN]


class LibrarySearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    purpose = forms.ChoiceField(label=_("Purpose"), required=False)
    role = forms.ChoiceField(label=_("For"), required=False)
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=BLANK + list(LibraryCategory.choices)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"
        self.fields["purpose"].choices = BLANK + _purpose_choices()
        self.fields["role"].choices = BLANK + [
            (r.value, r.label) for r in Role if r.value in NETWORK_ROLES
        ]


class LibraryItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=LibraryKind.choices)
    category = forms.ChoiceField(label=_("Category"), choices=LibraryCategory.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    body = forms.CharField(
        label=_("Text of the page"), required=False, widget=forms.Textarea(attrs={"rows": 10})
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF or Word (DOCX)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
    )
    purposes = forms.MultipleChoiceField(
        label=_("Purposes"), required=False, widget=forms.CheckboxSelectMultiple
    )
    roles = forms.MultipleChoiceField(
        label=_("Only for these roles"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: everyone in the network."),
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Only for these regions"),
        queryset=Region.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: the whole country."),
    )
    change_note = forms.CharField(label=_("What changed"), required=False, max_length=300)

    def __init__(self, *args, new: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purposes"].choices = _purpose_choices()
        self.fields["roles"].choices = [
            (r.value, r.label) for r in Role if r.value in NETWORK_ROLES
        ]
        if not new:
            del self.fields["kind"]


class GuidanceItemForm(forms.ModelForm):
    class Meta:
        model = GuidanceItem
        fields = [
            "kind",
            "key",
            "purpose",
            "phase",
            "order",
            "measure_kind",
            "title_sv",
            "title_en",
            "text_sv",
            "text_en",
        ]
        widgets = {
            "text_sv": forms.Textarea(attrs={"rows": 4}),
            "text_en": forms.Textarea(attrs={"rows": 4}),
        }


class ReportCreateForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    term = forms.TypedChoiceField(label=_("Period"), choices=Term.choices, coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["term"].initial = 1 if today.month <= 6 else 2


class ReportForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    new_developments = forms.CharField(
        label=_("What is new"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("New forms of exploitation, new groups, new places or routes."),
    )
    trends = forms.CharField(
        label=_("Trends"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What is growing or declining, compared with earlier periods."),
    )
    methods_worked = forms.CharField(
        label=_("Methods that worked"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Ways of working and cooperation worth spreading."),
    )
    needs = forms.CharField(
        label=_("Needs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Support, training or resources the region needs."),
    )

    def sections(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in REPORT_SECTIONS}


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))


class NationalPictureForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    term = forms.TypedChoiceField(label=_("Period"), choices=Term.choices, coerce=int)
    summary = forms.CharField(
        label=_("National summary"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=120, required=False)
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("National"),
    )
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )


class ParticipantForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Organisation"), queryset=Agency.objects.all())
    name = forms.CharField(label=_("Name"), max_length=120)
    title = forms.CharField(label=_("Job title"), max_length=120, required=False)


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}))


class ActionForm(forms.Form):
    text = forms.CharField(label=_("Action"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    owner_agency = forms.ModelChoiceField(
        label=_("Owning organisation"), queryset=Agency.objects.all(), required=False
    )
    due_on = forms.DateField(label=_("Due"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(
            is_active=True, role__in=sorted(NETWORK_ROLES)
        ).order_by("first_name", "last_name")
