"""API of method support under /api/v1/ (the conventions of ``nmt.api``: JSON only, the same
policies and audit as the web pages, a 404 for what the caller may not see)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from nmt.api.base import ApiView, query, validated
from nmt.api.schema import responses
from nmt.api.serializers import StrictSerializer
from nmt.cases import codes
from nmt.cases.selectors import access_case
from nmt.methods import selectors, services
from nmt.methods.models import LibraryCategory, TagKind
from nmt.methods.policies import guidance_policy
from nmt.methods.signals import signal_board

# ---------------------------------------------------------------- serializers


class GuidanceItemSerializer(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.CharField()
    purpose = serializers.CharField(help_text="Empty: every purpose.")
    phase = serializers.CharField()
    measure_kind = serializers.CharField()
    title_sv = serializers.CharField()
    title_en = serializers.CharField()
    text_sv = serializers.CharField()
    text_en = serializers.CharField()


class GuidanceVersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    status = serializers.CharField()
    title_sv = serializers.CharField()
    title_en = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)
    items = GuidanceItemSerializer(many=True, source="items.all")


class WorkflowEntrySerializer(serializers.Serializer):
    key = serializers.CharField(source="item.key")
    title = serializers.CharField(source="item.title")
    done = serializers.BooleanField()
    ticked_by = serializers.CharField()
    ticked_at = serializers.DateTimeField(allow_null=True)
    measure_ends_on = serializers.SerializerMethodField()

    def get_measure_ends_on(self, entry: Any) -> str | None:
        measure = entry.measure
        return measure.ends_on.isoformat() if measure and measure.ends_on else None


class WorkflowSerializer(serializers.Serializer):
    case_number = serializers.CharField(source="case.case_number")
    version = serializers.IntegerField(source="version.number", allow_null=True)
    started = serializers.BooleanField()
    can_tick = serializers.BooleanField()
    indicators = WorkflowEntrySerializer(many=True)
    steps = WorkflowEntrySerializer(many=True)
    next_steps = serializers.ListField(child=serializers.CharField())

    def to_representation(self, workflow: Any) -> dict[str, Any]:
        data = super().to_representation(workflow)
        data["next_steps"] = [e.item.key for e in workflow.next_steps]
        return data


class WorkflowUpdateSerializer(StrictSerializer):
    tick = serializers.ListField(child=serializers.CharField(max_length=60), default=list)
    untick = serializers.ListField(child=serializers.CharField(max_length=60), default=list)


class LibraryVersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    filename = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    change_note = serializers.CharField()
    created_at = serializers.DateTimeField()
    download = serializers.SerializerMethodField()

    def get_download(self, version: Any) -> str | None:
        if not version.file:
            return None
        return f"/library/{version.item_id}/versions/{version.number}/download/"


class LibraryItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    category = serializers.CharField()
    title = serializers.CharField(source="current.title")
    summary = serializers.CharField(source="current.summary")
    version = serializers.IntegerField(source="current.number")
    purposes = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()
    regions = serializers.SerializerMethodField()

    def _tags(self, item: Any, kind: str) -> list[str]:
        return sorted(t.value for t in item.tags.all() if t.kind == kind)

    def get_purposes(self, item: Any) -> list[str]:
        return self._tags(item, TagKind.PURPOSE)

    def get_roles(self, item: Any) -> list[str]:
        return self._tags(item, TagKind.ROLE)

    def get_regions(self, item: Any) -> list[str]:
        return self._tags(item, TagKind.REGION)


class LibraryItemDetailSerializer(LibraryItemSerializer):
    body = serializers.CharField(source="current.body")
    versions = LibraryVersionSerializer(many=True, source="versions.all")


class LibraryHitSerializer(serializers.Serializer):
    item = LibraryItemSerializer()
    snippet = serializers.SerializerMethodField()

    def get_snippet(self, hit: Any) -> str:
        return "".join(f"[{t}]" if marked else t for t, marked in hit.snippet)


class LibraryQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200)
    purpose = serializers.ChoiceField(choices=codes.Purpose.choices, required=False)
    role = serializers.CharField(required=False, max_length=20)
    region = serializers.CharField(required=False, max_length=20)
    category = serializers.ChoiceField(choices=LibraryCategory.choices, required=False)


class FigureSerializer(serializers.Serializer):
    code = serializers.CharField()
    value = serializers.IntegerField(allow_null=True)
    flags = serializers.ListField(child=serializers.CharField())


class FiguresSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    method = serializers.CharField()
    total = serializers.DictField()
    purpose = FigureSerializer(many=True)
    category = FigureSerializer(many=True)
    citizenship = FigureSerializer(many=True)


class SituationReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    region = serializers.CharField(source="region.code")
    year = serializers.IntegerField()
    term = serializers.IntegerField()
    status = serializers.CharField()
    version = serializers.IntegerField()
    submitted_at = serializers.DateTimeField(allow_null=True)


class SituationReportDetailSerializer(SituationReportSerializer):
    new_developments = serializers.CharField()
    trends = serializers.CharField()
    methods_worked = serializers.CharField()
    needs = serializers.CharField()
    figures = FiguresSerializer()


class MeetingActionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    meeting = serializers.IntegerField(source="meeting_id")
    text = serializers.CharField()
    owner = serializers.CharField(source="owner.username", allow_null=True, default=None)
    owner_agency = serializers.CharField(source="owner_agency.code", allow_null=True, default=None)
    due_on = serializers.DateField()
    done_on = serializers.DateField(allow_null=True)


class MeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    held_on = serializers.DateField()
    place = serializers.CharField()
    region = serializers.CharField(source="region.code", allow_null=True, default=None)


class ActionQuerySerializer(serializers.Serializer):
    overdue = serializers.BooleanField(required=False, default=False)
    mine = serializers.BooleanField(required=False, default=False)


class SignalPointSerializer(serializers.Serializer):
    month = serializers.CharField()
    published = serializers.IntegerField(allow_null=True, help_text="Protected (CKM) count.")
    expected = serializers.FloatField(allow_null=True)
    upper = serializers.FloatField(allow_null=True)
    alarm = serializers.BooleanField()


class SignalSeriesSerializer(serializers.Serializer):
    dimension = serializers.CharField()
    category = serializers.CharField()
    signalling = serializers.BooleanField()
    points = SignalPointSerializer(many=True)


class SignalBoardSerializer(serializers.Serializer):
    last_month = serializers.CharField()
    alpha = serializers.FloatField(source="settings.alpha")
    min_count = serializers.IntegerField(source="settings.min_count")
    series = SignalSeriesSerializer(many=True)


# ---------------------------------------------------------------- views


class GuidanceView(ApiView):
    @extend_schema(
        summary="The published guidance (indicators and steps)",
        responses=responses({200: GuidanceVersionSerializer}, 404),
    )
    def get(self, request: Request) -> Response:
        if not guidance_policy.can_read(request.user):
            raise NotFound
        version = services.published_guidance()
        if version is None:
            raise NotFound
        return Response(GuidanceVersionSerializer(version).data)


class WorkflowView(ApiView):
    @extend_schema(
        summary="The case's guided workflow",
        responses=responses({200: WorkflowSerializer}, 404),
    )
    def get(self, request: Request, case_number: str) -> Response:
        workflow = selectors.workflow_get(actor=request.user, case_number=case_number)
        return Response(WorkflowSerializer(workflow).data)

    @extend_schema(
        summary="Tick and untick indicators and steps (case owners)",
        request=WorkflowUpdateSerializer,
        responses=responses({200: WorkflowSerializer}, 400, 404, 415),
    )
    def post(self, request: Request, case_number: str) -> Response:
        values = validated(WorkflowUpdateSerializer, request.data)
        with transaction.atomic():
            case = access_case(request.user, case_number)
            # A service's PermissionDenied and ValidationError become 403 and 400 in
            # nmt.api.errors, like everywhere else in the API.
            services.workflow_update(actor=request.user, case=case, **values)
            workflow = selectors.workflow_get(actor=request.user, case_number=case_number)
        return Response(WorkflowSerializer(workflow).data)


class LibraryListView(ApiView):
    @extend_schema(
        summary="Search the methods library (full text in the database's own engine)",
        parameters=[LibraryQuerySerializer],
        responses=responses({200: LibraryHitSerializer(many=True)}, 400),
    )
    def get(self, request: Request) -> Response:
        values = query(LibraryQuerySerializer, request)
        filters = selectors.LibraryFilters(**{k: v or "" for k, v in values.items()})
        hits = selectors.library_search(actor=request.user, filters=filters)
        return Response(LibraryHitSerializer(hits, many=True).data)


class LibraryItemView(ApiView):
    @extend_schema(
        summary="A library item with its history",
        responses=responses({200: LibraryItemDetailSerializer}, 404),
    )
    def get(self, request: Request, item_id: int) -> Response:
        item = selectors.access_library_item(request.user, item_id)
        return Response(LibraryItemDetailSerializer(item).data)


class SituationReportListView(ApiView):
    @extend_schema(
        summary="Situation reports you may see",
        responses=responses({200: SituationReportSerializer(many=True)}),
    )
    def get(self, request: Request) -> Response:
        reports = selectors.report_list(actor=request.user)
        return Response(SituationReportSerializer(reports, many=True).data)


class SituationReportDetailView(ApiView):
    @extend_schema(
        summary="A situation report with its protected figures",
        responses=responses({200: SituationReportDetailSerializer}, 404),
    )
    def get(self, request: Request, report_id: int) -> Response:
        detail = selectors.report_get(actor=request.user, report_id=report_id)
        data = SituationReportSerializer(detail.report).data
        for name in ("new_developments", "trends", "methods_worked", "needs"):
            data[name] = getattr(detail.report, name)
        data["figures"] = FiguresSerializer(detail.figures).data
        return Response(data)


class MeetingListView(ApiView):
    @extend_schema(
        summary="Meetings and workshops you may see",
        responses=responses({200: MeetingSerializer(many=True)}),
    )
    def get(self, request: Request) -> Response:
        return Response(
            MeetingSerializer(selectors.meeting_list(actor=request.user), many=True).data
        )


class MeetingActionListView(ApiView):
    @extend_schema(
        summary="Open actions of your meetings (overdue=true: past due; mine=true: yours)",
        parameters=[ActionQuerySerializer],
        responses=responses({200: MeetingActionSerializer(many=True)}, 400),
    )
    def get(self, request: Request) -> Response:
        values = query(ActionQuerySerializer, request)
        actions = selectors.action_list(actor=request.user, **values)
        return Response(MeetingActionSerializer(actions, many=True).data)


class SignalListView(ApiView):
    @extend_schema(
        summary="Early signals: monthly series with expected bands (national team)",
        responses=responses({200: SignalBoardSerializer}, 404),
    )
    def get(self, request: Request) -> Response:
        try:
            board = signal_board(actor=request.user)
        except DjangoPermissionDenied:
            raise NotFound from None
        return Response(SignalBoardSerializer(board).data)
