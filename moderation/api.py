"""The moderation API: brands submit and read decisions; moderators claim and decide.

Thin: every action calls a service in moderation.services.
"""
from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.marketplaces import marketplaces_all
from stores.models import Store, StoreVersion

from . import selectors, services
from .models import CheckFinding, RejectionReason, Submission
from .permissions import IsModerator, is_moderator


class ReasonSerializer(serializers.ModelSerializer):
    # An automated rejection's note in the reader's language; a moderator's as written.
    note = serializers.CharField(source="shown_note", read_only=True)

    class Meta:
        model = RejectionReason
        fields = ["code", "tile", "note"]


class FindingSerializer(serializers.ModelSerializer):
    check = serializers.CharField(source="check_name")
    message = serializers.CharField(source="shown_message", read_only=True,
                                    help_text="In the caller's language.")

    class Meta:
        model = CheckFinding
        fields = ["check", "severity", "reason_code", "page", "section", "tile", "message"]


class SubmissionSerializer(serializers.ModelSerializer):
    # `version` is the number people see ("version 3"); `version_id` the StoreVersion's id.
    version = serializers.IntegerField(source="version.number")
    version_id = serializers.IntegerField()
    version_number = serializers.IntegerField(source="version.number")
    reasons = serializers.SerializerMethodField()
    findings = FindingSerializer(many=True, read_only=True)
    decided_by = serializers.SerializerMethodField(
        help_text="How it was decided, once decided: `moderator` or `automated`.")

    class Meta:
        model = Submission
        fields = ["id", "store", "status", "version", "version_id", "version_number",
                  "submitted_at", "wait_started_at", "sla_deadline", "decided_at",
                  "decided_by", "reasons", "findings"]

    def get_decided_by(self, submission) -> str | None:
        return submission.decided_how or None

    def get_reasons(self, submission) -> list[dict]:
        if submission.status != "rejected":
            return []
        return ReasonSerializer(submission.reasons.all(), many=True).data


class QueueItemSerializer(serializers.ModelSerializer):
    store_name = serializers.CharField(source="store.name")
    version_number = serializers.IntegerField(source="version.number")
    claimed_by = serializers.CharField(source="claimed_by.username", default=None,
                                       allow_null=True)
    sla_state = serializers.SerializerMethodField()
    risk_reasons = serializers.ListField(child=serializers.DictField(), read_only=True)

    class Meta:
        model = Submission
        fields = ["id", "store", "store_name", "version", "version_number", "status",
                  "submitted_at", "wait_started_at", "sla_deadline", "queue_at", "sla_state",
                  "risk", "risk_reasons", "claimed_by", "claim_expires_at"]

    def get_sla_state(self, submission) -> str:
        return selectors.sla_state(submission=submission)


class ApproveSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField(required=False, allow_null=True)
    ends_at = serializers.DateTimeField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class RejectSerializer(serializers.Serializer):
    reasons = serializers.ListField(child=serializers.JSONField(), allow_empty=False,
                                    min_length=1, max_length=services.MAX_REASONS)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class StoreSubmissionsView(APIView):
    """A brand's submissions of one Store; POST submits the current draft."""

    def _store(self, request, store_id: int):
        # Stores of other brands are not found, not forbidden: their ids stay private.
        return get_object_or_404(selectors.stores_visible_to(user=request.user), pk=store_id)

    @extend_schema(responses=SubmissionSerializer(many=True))
    def get(self, request, store_id: int):
        store = self._store(request, store_id)
        submissions = selectors.submissions_for_store(store=store)
        return Response(SubmissionSerializer(submissions, many=True).data)

    @extend_schema(request=None, responses={201: SubmissionSerializer})
    def post(self, request, store_id: int):
        store = self._store(request, store_id)
        submission = services.submission_create(store=store, user=request.user)
        submission = selectors.submissions_for_store(store=store).get(pk=submission.pk)
        return Response(SubmissionSerializer(submission).data, status=status.HTTP_201_CREATED)


class MarketplaceQuerySerializer(serializers.Serializer):
    marketplace = serializers.CharField(
        required=False, default="mine", max_length=16,
        help_text="`mine` (the caller's marketplaces, all when none is assigned), `all`, or "
                  "a marketplace code.")

    def validate_marketplace(self, value: str) -> str:
        # Codes are reference data read when a request asks, never when the class is built:
        # the API schema is generated without a database.
        if value in ("mine", "all") or value in marketplaces_all():
            return value
        message = serializers.ChoiceField.default_error_messages["invalid_choice"]
        raise serializers.ValidationError(str(message).format(input=value))


@extend_schema_view(get=extend_schema(parameters=[MarketplaceQuerySerializer]))
class ModerationQueueView(generics.ListAPIView):
    """Submissions waiting for a moderator in queue order (paginated): by default those of
    the caller's marketplaces (all when none is assigned); `?marketplace=all` or a code."""

    permission_classes = [IsModerator]
    serializer_class = QueueItemSerializer

    def get_queryset(self):
        query = MarketplaceQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.submissions_moderated_by(
            selectors.submission_queue(), user=self.request.user,
            marketplace=query.validated_data["marketplace"])


@extend_schema_view(post=extend_schema(request=None, responses={
    200: QueueItemSerializer, 204: None}))
class ClaimNextView(APIView):
    """Claim the first waiting submission of the caller's marketplaces (all when none is
    assigned), as the admin's "Claim next" does; 204 when there is none."""

    permission_classes = [IsModerator]

    def post(self, request):
        submission = services.submission_claim_next(moderator=request.user)
        if submission is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        submission = Submission.objects.select_related("store", "version", "claimed_by").get(
            pk=submission.pk)
        return Response(QueueItemSerializer(submission).data)


class _ModeratorAction(APIView):
    # The set-up every decision shares (a comment, not a docstring: the OpenAPI document
    # would show it): validate the body when `body` names a serializer, find the
    # submission, `act` through a service, answer with the submission as the queue shows it.

    permission_classes = [IsModerator]
    body: type[serializers.Serializer] | None = None

    def act(self, request, submission: Submission, data: dict) -> Submission:
        raise NotImplementedError

    def post(self, request, submission_id: int):
        data = {}
        if self.body is not None:
            serializer = self.body(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        submission = get_object_or_404(Submission.objects.select_related("version"),
                                       pk=submission_id)
        submission = self.act(request, submission, data)
        submission = Submission.objects.select_related("store", "version", "claimed_by").get(
            pk=submission.pk)
        return Response(QueueItemSerializer(submission).data)


@extend_schema_view(post=extend_schema(request=None, responses=QueueItemSerializer))
class ClaimView(_ModeratorAction):
    def act(self, request, submission, data):
        return services.submission_claim(submission=submission, moderator=request.user)


@extend_schema_view(post=extend_schema(request=None, responses=QueueItemSerializer))
class HeartbeatView(_ModeratorAction):
    """Renew one's own claim while the review page is open and in use (409 when another
    moderator holds it)."""

    def act(self, request, submission, data):
        return services.submission_claim_renew(submission=submission, moderator=request.user)


@extend_schema_view(post=extend_schema(request=ApproveSerializer, responses=QueueItemSerializer))
class ApproveView(_ModeratorAction):
    body = ApproveSerializer

    def act(self, request, submission, data):
        return services.submission_approve(
            submission=submission, moderator=request.user, starts_at=data.get("starts_at"),
            ends_at=data.get("ends_at"), note=data.get("note", ""))


@extend_schema_view(post=extend_schema(request=RejectSerializer, responses=QueueItemSerializer))
class RejectView(_ModeratorAction):
    body = RejectSerializer

    def act(self, request, submission, data):
        return services.submission_reject(
            submission=submission, moderator=request.user, reasons=data["reasons"],
            note=data.get("note", ""))


class ScheduleSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(required=False, allow_null=True)


class VersionStateSerializer(serializers.ModelSerializer):
    class Meta:
        model = StoreVersion
        fields = ["id", "number", "approved_at", "schedule_starts_at", "schedule_ends_at"]


class _VersionAction(APIView):
    """Versions of a Store the caller may see (its brand's users; moderators: any)."""

    def _version(self, request, store_id: int, version_id: int) -> StoreVersion:
        stores = (Store.objects.all() if is_moderator(request.user)
                  else selectors.stores_visible_to(user=request.user))
        store = get_object_or_404(stores, pk=store_id)
        return get_object_or_404(StoreVersion.objects.select_related("store__brand"),
                                 pk=version_id, store=store)


class VersionRollbackView(_VersionAction):
    @extend_schema(request=None, responses=VersionStateSerializer)
    def post(self, request, store_id: int, version_id: int):
        version = self._version(request, store_id, version_id)
        services.version_rollback(store=version.store, version=version, user=request.user)
        return Response(VersionStateSerializer(version).data)


class VersionScheduleView(_VersionAction):
    @extend_schema(request=ScheduleSerializer, responses=VersionStateSerializer)
    def post(self, request, store_id: int, version_id: int):
        version = self._version(request, store_id, version_id)
        data = ScheduleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        version = services.version_schedule(
            version=version, starts_at=data.validated_data["starts_at"],
            ends_at=data.validated_data.get("ends_at"), user=request.user)
        return Response(VersionStateSerializer(version).data)

    @extend_schema(request=None, responses={200: VersionStateSerializer})
    def delete(self, request, store_id: int, version_id: int):
        version = self._version(request, store_id, version_id)
        version = services.version_unschedule(version=version, user=request.user)
        return Response(VersionStateSerializer(version).data)
