"""Shapes of requests and responses.

Serializers check shape only: types, lengths, code lists, references to regions and agencies.
Every rule about content and every permission belongs to the services and the access policy.
Regions, municipalities and agencies are named by their codes (``stockholm``, ``0180``,
``migrationsverket``) in both directions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from nmt.accounts.models import Agency, AgencyKind, Municipality, Region
from nmt.cases import codes
from nmt.cases.selectors import CaseDetail
from nmt.supportline.models import CallerType, Topic

# Imported for its side effect: registers the schema extension for StrictSerializer.
from . import schema  # noqa: F401

TEXT_MAX = 10_000


def choice(choices: type[models.TextChoices], **kwargs: Any) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=choices.choices, **kwargs)


def region_field(**kwargs: Any) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all(), **kwargs)


EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2100, 12, 31)


def _plausible(day: dt.date) -> None:
    # Years far off are typing errors, and the services' date arithmetic (reflection periods,
    # permit lengths) would overflow near year 9999.
    if not EARLIEST <= day <= LATEST:
        raise serializers.ValidationError(_("Give a date between 1900 and 2100."))


class DateField(serializers.DateField):
    def to_internal_value(self, value: Any) -> dt.date:
        day = super().to_internal_value(value)
        _plausible(day)
        return day


class DateTimeField(serializers.DateTimeField):
    def to_internal_value(self, value: Any) -> dt.datetime:
        moment = super().to_internal_value(value)
        _plausible(moment.date())
        return moment


class StrictSerializer(serializers.Serializer):
    """A request body. Unknown fields are an error: a misspelt or misplaced field (``status`` in a
    case edit) would otherwise be dropped without a word."""

    def to_internal_value(self, data: Any) -> Any:
        unknown = sorted(set(data) - set(self.fields)) if isinstance(data, Mapping) else []
        errors = {name: [_("Unknown field.")] for name in unknown}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            # Report unknown fields together with the other problems, not one round later.
            if errors and isinstance(exc.detail, dict):
                raise serializers.ValidationError({**exc.detail, **errors}) from exc
            raise
        if errors:
            raise serializers.ValidationError(errors)
        return value


class RelatedValuesField(serializers.ListField):
    """One attribute of each related row, e.g. the countries of a person's citizenships."""

    def __init__(self, *, attr: str, **kwargs: Any):
        self.attr = attr
        super().__init__(**kwargs)

    def to_representation(self, data: Any) -> list[Any]:
        return [getattr(row, self.attr) for row in data.all()]


class LinesField(serializers.ListField):
    """Text stored one item per line (aliases), as a list."""

    def to_representation(self, data: str) -> list[str]:
        return [line.strip() for line in data.splitlines() if line.strip()]


# ---------------------------------------------------------------- requests


class DocumentInSerializer(StrictSerializer):
    kind = choice(codes.DocumentKind)
    number = serializers.CharField(max_length=40)
    issuing_country = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default=""
    )


class PersonInSerializer(StrictSerializer):
    """The identity of a person; every field may be left out ("unknown")."""

    given_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    family_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=200), max_length=20, required=False
    )
    birth_date = serializers.CharField(
        max_length=10,
        required=False,
        allow_blank=True,
        help_text=_("YYYY-MM-DD, or YYYY-MM or YYYY if partial."),
    )
    sex = choice(codes.Sex, required=False)
    citizenships = serializers.ListField(
        child=serializers.CharField(max_length=60),
        max_length=10,
        required=False,
        help_text=_("ISO 3166 country codes."),
    )
    languages = serializers.ListField(
        child=serializers.CharField(max_length=60), max_length=20, required=False
    )
    protected = serializers.BooleanField(
        required=False,
        help_text=_("Protected personal data: address and whereabouts are never returned."),
    )
    address = serializers.CharField(max_length=500, required=False, allow_blank=True)
    whereabouts = serializers.CharField(max_length=500, required=False, allow_blank=True)
    documents = DocumentInSerializer(many=True, required=False, max_length=10)


class CaseFieldsInSerializer(StrictSerializer):
    identified_on = DateField(required=False)
    channel = choice(codes.Channel, required=False)
    region = region_field(required=False)
    municipality = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Municipality.objects.select_related("county"),
        required=False,
        allow_null=True,
    )
    estimated_age = serializers.IntegerField(
        min_value=0, max_value=120, required=False, allow_null=True
    )
    purposes = serializers.ListField(child=choice(codes.Purpose), max_length=20, required=False)
    offence = choice(codes.Offence, required=False)
    exploitation_place = choice(codes.ExploitationPlace, required=False)
    industry = choice(codes.Industry, required=False, allow_blank=True)
    indicators = serializers.ListField(child=choice(codes.Indicator), max_length=50, required=False)


class CaseCreateSerializer(CaseFieldsInSerializer):
    """Registration: only the channel, the date and the region are required."""

    identified_on = DateField()
    channel = choice(codes.Channel)
    region = region_field()
    note = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    person = PersonInSerializer(required=False)
    same_person_as = serializers.CharField(
        max_length=20,
        required=False,
        help_text=_(
            "Case number of a case you can see: the new identification is of the same person. "
            "Leave out person then."
        ),
    )


class CaseUpdateSerializer(CaseFieldsInSerializer):
    version = serializers.IntegerField(min_value=1, required=False)


class CaseStatusSerializer(StrictSerializer):
    version = serializers.IntegerField(min_value=1, required=False)
    status = choice(codes.CaseStatus)
    closed_reason = choice(codes.ClosedReason, required=False, allow_blank=True)
    note = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)


class PersonUpdateSerializer(PersonInSerializer):
    version = serializers.IntegerField(
        min_value=1, required=False, help_text=_("The person's version (not the case's).")
    )


class NoteInSerializer(StrictSerializer):
    text = serializers.CharField(max_length=TEXT_MAX, allow_blank=True)


class MeasureFieldsInSerializer(StrictSerializer):
    status = choice(codes.MeasureStatus, required=False)
    applied_on = DateField(required=False, allow_null=True)
    applied_by = serializers.CharField(max_length=120, required=False, allow_blank=True)
    decided_on = DateField(required=False, allow_null=True)
    starts_on = DateField(required=False, allow_null=True)
    ends_on = DateField(
        required=False,
        allow_null=True,
        help_text=_("A reflection period without an end date gets the statutory 30 days."),
    )
    notes = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)


class MeasureCreateSerializer(MeasureFieldsInSerializer):
    kind = choice(codes.MeasureKind)


class MeasureUpdateSerializer(MeasureFieldsInSerializer):
    version = serializers.IntegerField(min_value=1, required=False)


class ReferralCreateSerializer(StrictSerializer):
    to_agency = serializers.SlugRelatedField(slug_field="code", queryset=Agency.objects.all())
    to_region = region_field(
        required=False,
        allow_null=True,
        help_text=_("For regional receivers such as social services."),
    )
    legal_ground = choice(codes.LegalGround)
    legal_ground_detail = serializers.CharField(max_length=200, required=False, allow_blank=True)
    consent = choice(codes.Consent)
    message = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)


class ReferralActionSerializer(StrictSerializer):
    version = serializers.IntegerField(min_value=1, required=False)


class ReferralDeclineSerializer(ReferralActionSerializer):
    decline_reason = serializers.CharField(max_length=300, allow_blank=True)


class ContactFieldsInSerializer(StrictSerializer):
    occurred_at = DateTimeField(required=False)
    duration_minutes = serializers.IntegerField(
        min_value=0, max_value=32767, required=False, allow_null=True
    )
    caller_type = serializers.ChoiceField(choices=CallerType.choices, required=False)
    region = region_field(required=False, allow_null=True)
    topic = serializers.ChoiceField(choices=Topic.choices, required=False)
    purposes = serializers.ListField(child=choice(codes.Purpose), max_length=20, required=False)
    summary = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    advice = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    follow_up = serializers.CharField(max_length=300, required=False, allow_blank=True)
    follow_up_due = DateField(required=False, allow_null=True)
    follow_up_done = serializers.BooleanField(required=False)


class ContactCreateSerializer(ContactFieldsInSerializer):
    occurred_at = DateTimeField()
    topic = serializers.ChoiceField(choices=Topic.choices)


class ContactUpdateSerializer(ContactFieldsInSerializer):
    version = serializers.IntegerField(min_value=1, required=False)


class OpenCaseSerializer(StrictSerializer):
    region = region_field(
        required=False,
        allow_null=True,
        help_text=_("Region of the case; the call's region if left out."),
    )


class CredentialsSerializer(StrictSerializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=1024, trim_whitespace=False)
    otp = serializers.CharField(
        max_length=16,
        required=False,
        allow_blank=True,
        help_text="The code of the second factor (authenticator app or a recovery code); "
        "required unless the installation has switched the second factor off.",
    )


# ---------------------------------------------------------------- query parameters


class CaseFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text=_("Name, identity number or case number."),
    )
    year = serializers.IntegerField(min_value=1900, max_value=2100, required=False)
    purpose = choice(codes.Purpose, required=False)
    status = choice(codes.CaseStatus, required=False)
    region = region_field(required=False)
    channel = choice(codes.Channel, required=False)


class ContactFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text=_("Text of the follow-up.")
    )
    topic = serializers.ChoiceField(choices=Topic.choices, required=False)
    caller_type = serializers.ChoiceField(choices=CallerType.choices, required=False)
    region = region_field(required=False)
    year = serializers.IntegerField(min_value=1900, max_value=2100, required=False)
    follow_up_open = serializers.BooleanField(required=False)


class CaseIndexQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=200, help_text=_("Name, identity number or case number."))


class DeadlineQuerySerializer(serializers.Serializer):
    days = serializers.IntegerField(
        min_value=0, max_value=60, default=7, help_text=_("How many days ahead (default 7).")
    )


# ---------------------------------------------------------------- responses


class PersonSummarySerializer(serializers.Serializer):
    given_name = serializers.CharField()
    family_name = serializers.CharField()
    birth_year = serializers.IntegerField(allow_null=True)
    sex = choice(codes.Sex)


class CaseRowSerializer(serializers.Serializer):
    """A case in a list."""

    case_number = serializers.CharField()
    version = serializers.IntegerField()
    identified_on = serializers.DateField()
    channel = choice(codes.Channel)
    agency = serializers.CharField(source="agency.code")
    region = serializers.CharField(source="region.code")
    municipality = serializers.CharField(source="municipality.code", allow_null=True)
    status = choice(codes.CaseStatus)
    age_group = choice(codes.AgeGroup)
    purposes = RelatedValuesField(
        attr="purpose", source="purpose_rows", child=choice(codes.Purpose)
    )
    person = PersonSummarySerializer()


class CaseRefSerializer(serializers.Serializer):
    """Another identification of the same person."""

    case_number = serializers.CharField()
    identified_on = serializers.DateField()
    agency = serializers.CharField(source="agency.code")
    region = serializers.CharField(source="region.code")
    status = choice(codes.CaseStatus)


class DocumentSerializer(serializers.Serializer):
    kind = choice(codes.DocumentKind)
    number = serializers.CharField()
    issuing_country = serializers.CharField()


class PersonSerializer(serializers.Serializer):
    """A person's identity. Address and whereabouts are null unless the reader owns the case and
    the person is not protected (``protected``)."""

    version = serializers.IntegerField()
    given_name = serializers.CharField()
    family_name = serializers.CharField()
    aliases = LinesField(child=serializers.CharField())
    birth_date = serializers.CharField()
    birth_year = serializers.IntegerField(allow_null=True)
    sex = choice(codes.Sex)
    citizenships = RelatedValuesField(attr="country", child=serializers.CharField())
    languages = serializers.ListField(child=serializers.CharField())
    documents = DocumentSerializer(many=True)
    protected = serializers.BooleanField(source="protected_identity")
    address = serializers.CharField(allow_null=True)
    whereabouts = serializers.CharField(allow_null=True)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        # Deny by default: the view must say that this reader may see where the person is.
        if not self.context.get("show_location", False):
            data["address"] = None
            data["whereabouts"] = None
        return data


class MeasureSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    case_number = serializers.CharField(source="identification.case_number")
    kind = choice(codes.MeasureKind)
    status = choice(codes.MeasureStatus)
    applied_on = serializers.DateField(allow_null=True)
    applied_by = serializers.CharField()
    decided_on = serializers.DateField(allow_null=True)
    starts_on = serializers.DateField(allow_null=True)
    ends_on = serializers.DateField(allow_null=True)
    notes = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class ReferralSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    case_number = serializers.CharField(source="identification.case_number")
    from_agency = serializers.CharField(source="from_agency.code")
    to_agency = serializers.CharField(source="to_agency.code")
    to_region = serializers.CharField(source="to_region.code", allow_null=True)
    legal_ground = choice(codes.LegalGround)
    legal_ground_detail = serializers.CharField()
    consent = choice(codes.Consent)
    message = serializers.CharField()
    status = choice(codes.ReferralStatus)
    decline_reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    responded_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)


class TimelineEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = choice(codes.TimelineKind)
    text = serializers.CharField()
    data = serializers.DictField(help_text=_("Details of an event, e.g. the fields changed."))
    created_by = serializers.CharField(source="created_by.username")
    created_at = serializers.DateTimeField()


class PermissionsSerializer(serializers.Serializer):
    edit = serializers.BooleanField(help_text=_("May change the case, its person and status."))
    contribute = serializers.BooleanField(help_text=_("May add notes and measures."))
    refer = serializers.BooleanField(help_text=_("May refer the case to another agency."))


class CaseSerializer(CaseRowSerializer):
    estimated_age = serializers.IntegerField(allow_null=True)
    offence = choice(codes.Offence)
    exploitation_place = choice(codes.ExploitationPlace)
    industry = choice(codes.Industry, allow_blank=True)
    indicators = serializers.ListField(child=choice(codes.Indicator))
    closed_reason = choice(codes.ClosedReason, allow_blank=True)
    closed_on = serializers.DateField(allow_null=True)
    registered_by = serializers.CharField(source="registered_by.username")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class _DetailSource:
    """The case's attributes, with the parts the selector read beside it (the person with its
    documents, other cases, measures, referrals, permissions) taking precedence."""

    def __init__(self, detail: CaseDetail):
        self.case = detail.case
        self.person = detail.person
        self.other_cases = detail.other_cases
        self.measures = detail.measures
        self.referrals = detail.referrals
        self.permissions = detail.permissions

    def __getattr__(self, name: str) -> Any:
        return getattr(self.case, name)


class CaseDetailSerializer(CaseSerializer):
    """A case with its person, the person's other cases you can see, measures and referrals.
    The timeline is at .../timeline/."""

    person = PersonSerializer()
    other_cases = CaseRefSerializer(many=True)
    measures = MeasureSerializer(many=True)
    referrals = ReferralSerializer(many=True)
    permissions = PermissionsSerializer()

    def to_representation(self, instance: Any) -> dict[str, Any]:
        if isinstance(instance, CaseDetail):
            instance = _DetailSource(instance)
        return super().to_representation(instance)


class IndexEntrySerializer(serializers.Serializer):
    """A case in the national index: no identity, no free text."""

    case_number = serializers.CharField()
    year = serializers.IntegerField()
    region_name = serializers.CharField(source="region")
    status = choice(codes.CaseStatus)
    channel = choice(codes.Channel)
    purposes = serializers.ListField(child=choice(codes.Purpose))


class DeadlineSerializer(serializers.Serializer):
    case_number = serializers.CharField(source="case.case_number")
    region = serializers.CharField(source="case.region.code")
    measure_id = serializers.IntegerField(source="measure.id")
    kind = choice(codes.MeasureKind, source="measure.kind")
    status = choice(codes.MeasureStatus, source="measure.status")
    ends_on = serializers.DateField(source="measure.ends_on")
    days_left = serializers.IntegerField(help_text=_("Negative when overdue."))
    urgency = serializers.ChoiceField(choices=["overdue", "urgent", "soon"])


class ContactSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    occurred_at = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField(allow_null=True)
    caller_type = serializers.ChoiceField(choices=CallerType.choices)
    region = serializers.CharField(source="region.code", allow_null=True)
    topic = serializers.ChoiceField(choices=Topic.choices)
    purposes = serializers.ListField(child=choice(codes.Purpose))
    summary = serializers.CharField()
    advice = serializers.CharField()
    follow_up = serializers.CharField()
    follow_up_due = serializers.DateField(allow_null=True)
    follow_up_done = serializers.BooleanField()
    created_by = serializers.CharField(source="created_by.username")
    created_at = serializers.DateTimeField()


class MunicipalitySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class MunicipalitiesField(serializers.ListField):
    def to_representation(self, region: Region) -> list[Any]:
        return [
            self.child.to_representation(municipality)
            for county in region.counties.all()
            for municipality in county.municipalities.all()
        ]


class RegionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    municipalities = MunicipalitiesField(source="*", child=MunicipalitySerializer())


class AgencySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    kind = serializers.ChoiceField(choices=AgencyKind.choices)
    receives_referrals = serializers.BooleanField()


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
