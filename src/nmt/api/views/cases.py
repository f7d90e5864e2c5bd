"""Cases (identifications), their person, status and timeline; the national index; deadlines."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from nmt.accounts.models import User
from nmt.api.base import (
    ApiView,
    Pagination,
    check_page,
    expected_version,
    filtered_list,
    page_query,
    paginated,
    query,
    validated,
)
from nmt.api.errors import django_error_detail
from nmt.api.schema import IF_MATCH, responses
from nmt.api.selectors import (
    PersonView,
    location_visible,
    person_get,
    timeline_entry_get,
    timeline_page,
)
from nmt.api.serializers import (
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseFilterSerializer,
    CaseIndexQuerySerializer,
    CaseRowSerializer,
    CaseStatusSerializer,
    CaseUpdateSerializer,
    DeadlineQuerySerializer,
    DeadlineSerializer,
    IndexEntrySerializer,
    NoteInSerializer,
    PersonInSerializer,
    PersonSerializer,
    PersonUpdateSerializer,
    TimelineEntrySerializer,
)
from nmt.cases.concurrency import lock_at_version
from nmt.cases.models import Person
from nmt.cases.selectors import (
    CaseDetail,
    CaseFilters,
    access_case,
    case_get,
    case_index_search,
    case_list,
    deadline_list,
)
from nmt.cases.services import (
    DocumentInput,
    PersonInput,
    case_register,
    case_set_status,
    case_update,
    note_add,
    person_update,
)

# Keys of a service's person errors, which sit under "person." in a registration's body.
PERSON_KEYS = frozenset(PersonInSerializer().fields)


def case_detail_data(request: Request, detail: CaseDetail) -> dict[str, Any]:
    show_location = location_visible(request.user, detail.case, detail.person)
    return CaseDetailSerializer(detail, context={"show_location": show_location}).data


def case_detail_or_gone(
    request: Request, case_number: str, status_code: int = status.HTTP_200_OK
) -> Response:
    """The case as saved, through the audited selector. A writer who can no longer see it (e.g.
    after moving it to another region) gets 204: the change is saved, there is nothing to show."""
    try:
        detail = case_get(actor=request.user, case_number=case_number)
    except Http404:
        return Response(status=status.HTTP_204_NO_CONTENT)
    return Response(case_detail_data(request, detail), status=status_code)


def person_data(view: PersonView) -> dict[str, Any]:
    return PersonSerializer(view.person, context={"show_location": view.show_location}).data


def person_input_from(person: Person) -> PersonInput:
    return PersonInput(
        given_name=person.given_name,
        family_name=person.family_name,
        aliases=person.aliases,
        birth_date=person.birth_date,
        sex=person.sex,
        citizenships=[c.country for c in person.citizenships.all()],
        languages=list(person.languages),
        protected_identity=person.protected_identity,
        address=person.address,
        whereabouts=person.whereabouts,
        documents=[
            DocumentInput(kind=d.kind, number=d.number, issuing_country=d.issuing_country)
            for d in person.documents.all()
        ],
    )


def with_person_changes(base: PersonInput, values: Mapping[str, Any]) -> PersonInput:
    """``base`` with the fields of an API person body applied (names as in the API)."""
    changes: dict[str, Any] = {}
    for name, value in values.items():
        if name == "aliases":
            changes["aliases"] = "\n".join(value)
        elif name == "protected":
            changes["protected_identity"] = value
        elif name == "documents":
            changes["documents"] = [DocumentInput(**document) for document in value]
        else:
            changes[name] = value
    return dataclasses.replace(base, **changes)


def _registration_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    return {
        (f"person.{key}" if key.split(".")[0] in PERSON_KEYS else key): messages
        for key, messages in django_error_detail(exc).items()
    }


def _same_person(actor: User, case_number: str | None, person: Any) -> Person | None:
    if case_number is None:
        return None
    if person is not None:
        raise ValidationError(
            {"same_person_as": [_("Give either the person or same_person_as, not both.")]}
        )
    try:
        return access_case(actor, case_number).person
    except Http404:
        raise ValidationError(
            {"same_person_as": [_("There is no case with this number that you can see.")]}
        ) from None


class CaseListView(ApiView):
    pagination_class = Pagination

    @extend_schema(
        summary="List and search the cases you may see",
        parameters=[CaseFilterSerializer],
        responses=responses({200: CaseRowSerializer(many=True)}, 400, 404),
    )
    def get(self, request: Request) -> Response:
        return filtered_list(
            request,
            filter_serializer=CaseFilterSerializer,
            filters_class=CaseFilters,
            lister=case_list,
            row_serializer=CaseRowSerializer,
        )

    @extend_schema(
        summary="Register a suspected victim: a new case",
        request=CaseCreateSerializer,
        responses=responses({201: CaseDetailSerializer, 204: None}, 400, 415),
    )
    def post(self, request: Request) -> Response:
        values = validated(CaseCreateSerializer, request.data)
        person = values.pop("person", None)
        same_as = values.pop("same_person_as", None)
        with transaction.atomic():
            existing = _same_person(request.user, same_as, person)
            try:
                case = case_register(
                    actor=request.user,
                    person=with_person_changes(PersonInput(), person) if person else None,
                    existing_person=existing,
                    **values,
                )
            except DjangoValidationError as exc:
                raise ValidationError(_registration_errors(exc)) from exc
            response = case_detail_or_gone(request, case.case_number, status.HTTP_201_CREATED)
        if response.status_code == status.HTTP_201_CREATED:
            response["Location"] = reverse("api-v1:case-detail", args=[case.case_number])
        return response


class CaseDetailView(ApiView):
    @extend_schema(
        summary="A case with its person, measures and referrals",
        responses=responses({200: CaseDetailSerializer}, 404),
    )
    def get(self, request: Request, case_number: str) -> Response:
        detail = case_get(actor=request.user, case_number=case_number)
        return Response(case_detail_data(request, detail))

    @extend_schema(
        summary="Change a case's details (owners)",
        request=CaseUpdateSerializer,
        parameters=[IF_MATCH],
        responses=responses(
            {200: CaseDetailSerializer, 204: None}, 400, 404, 415, conflict=CaseDetailSerializer
        ),
    )
    def patch(self, request: Request, case_number: str) -> Response:
        values = validated(CaseUpdateSerializer, request.data)
        version = expected_version(request, values.pop("version", None))
        with transaction.atomic():
            case = access_case(request.user, case_number)
            case_update(actor=request.user, case=case, expected_version=version, **values)
            return case_detail_or_gone(request, case_number)

    def conflict_current(self) -> Any:
        detail = case_get(actor=self.request.user, case_number=self.kwargs["case_number"])
        return case_detail_data(self.request, detail)


class CaseStatusView(ApiView):
    @extend_schema(
        summary="Move a case between open, support and closed (owners)",
        request=CaseStatusSerializer,
        parameters=[IF_MATCH],
        responses=responses(
            {200: CaseDetailSerializer}, 400, 404, 415, conflict=CaseDetailSerializer
        ),
    )
    def post(self, request: Request, case_number: str) -> Response:
        values = validated(CaseStatusSerializer, request.data)
        version = expected_version(request, values.pop("version", None))
        with transaction.atomic():
            case = access_case(request.user, case_number)
            case_set_status(actor=request.user, case=case, expected_version=version, **values)
            return case_detail_or_gone(request, case_number)

    def conflict_current(self) -> Any:
        detail = case_get(actor=self.request.user, case_number=self.kwargs["case_number"])
        return case_detail_data(self.request, detail)


class PersonDetailView(ApiView):
    @extend_schema(
        summary="The person of a case",
        responses=responses({200: PersonSerializer}, 404),
    )
    def get(self, request: Request, case_number: str) -> Response:
        return Response(person_data(person_get(actor=request.user, case_number=case_number)))

    @extend_schema(
        summary="Change the person's identity (owners); version is the person's",
        request=PersonUpdateSerializer,
        parameters=[IF_MATCH],
        responses=responses({200: PersonSerializer}, 400, 404, 415, conflict=PersonSerializer),
    )
    def patch(self, request: Request, case_number: str) -> Response:
        values = validated(PersonUpdateSerializer, request.data)
        version = expected_version(request, values.pop("version", None))
        with transaction.atomic():
            case = access_case(request.user, case_number)
            # Lock first, then read what the body leaves unchanged: read before the lock, a
            # concurrent save of other fields could be overwritten with the old values.
            person = lock_at_version(Person, case.person_id, version)
            data = with_person_changes(person_input_from(person), values)
            person_update(actor=request.user, case=case, expected_version=version, data=data)
            view = person_get(actor=request.user, case_number=case_number)
        return Response(person_data(view))

    def conflict_current(self) -> Any:
        view = person_get(actor=self.request.user, case_number=self.kwargs["case_number"])
        return person_data(view)


class TimelineView(ApiView):
    pagination_class = Pagination

    @extend_schema(
        summary="The case's timeline: notes and events, newest first",
        responses=responses({200: TimelineEntrySerializer(many=True)}, 400, 404),
    )
    def get(self, request: Request, case_number: str) -> Response:
        page_number, page_size = page_query(request)
        with transaction.atomic():
            page = timeline_page(
                actor=request.user, case_number=case_number, page=page_number, page_size=page_size
            )
            check_page(page, page_number)
        return paginated(request, page, TimelineEntrySerializer(page.object_list, many=True).data)

    @extend_schema(
        summary="Add a note to the timeline (owners and receivers of an accepted referral)",
        request=NoteInSerializer,
        responses=responses({201: TimelineEntrySerializer}, 400, 404, 415),
    )
    def post(self, request: Request, case_number: str) -> Response:
        values = validated(NoteInSerializer, request.data)
        with transaction.atomic():
            case = access_case(request.user, case_number)
            entry = note_add(actor=request.user, case=case, text=values["text"])
            entry = timeline_entry_get(
                actor=request.user, case_number=case_number, entry_id=entry.pk
            )
        return Response(TimelineEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class CaseIndexView(ApiView):
    @extend_schema(
        summary="Search all cases nationally, without identities (coordinators, support line)",
        parameters=[CaseIndexQuerySerializer],
        responses=responses({200: IndexEntrySerializer(many=True)}, 400),
    )
    def get(self, request: Request) -> Response:
        values = query(CaseIndexQuerySerializer, request)
        entries = case_index_search(actor=request.user, q=values["q"])
        return Response(IndexEntrySerializer(entries, many=True).data)


class DeadlineListView(ApiView):
    @extend_schema(
        summary="Measures of your cases that end soon or are overdue, most urgent first",
        parameters=[DeadlineQuerySerializer],
        responses=responses({200: DeadlineSerializer(many=True)}, 400),
    )
    def get(self, request: Request) -> Response:
        values = query(DeadlineQuerySerializer, request)
        deadlines = deadline_list(actor=request.user, horizon_days=values["days"])
        return Response(DeadlineSerializer(deadlines, many=True).data)
