"""GET /api/v1/stores/{id}/draft/findings/: the automated checks on the current draft."""
from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors
from .readiness import draft_readiness


class DraftFindingSerializer(serializers.Serializer):
    severity = serializers.ChoiceField(choices=["blocking", "warning"])
    code = serializers.CharField(help_text="The check, e.g. outside_link, image_resolution.")
    reason = serializers.CharField(help_text="The rejection reason it would give.")
    page = serializers.CharField(allow_null=True)
    section = serializers.CharField(allow_null=True)
    tile = serializers.CharField(allow_null=True)
    message = serializers.CharField()
    source = serializers.CharField(help_text='Always "automated": no person judged this yet.')


class DraftFindingsSerializer(serializers.Serializer):
    findings = DraftFindingSerializer(many=True)
    incomplete = serializers.ListField(
        child=serializers.DictField(),
        help_text="Required values not given yet, each with its place like an error.")
    ready = serializers.BooleanField(help_text="Whether the draft may be submitted now.")


class DraftFindingsView(APIView):
    """The automated moderation checks run on the current draft, before any submission.
    Images are judged from their stored size (not decoded): QR codes and compression are
    found after submitting."""

    @extend_schema(responses=DraftFindingsSerializer)
    def get(self, request, store_id: int):
        # Stores of other brands are not found, not forbidden: their ids stay private.
        store = get_object_or_404(selectors.stores_visible_to(user=request.user), pk=store_id)
        readiness = draft_readiness(store=store)
        return Response({"findings": readiness.findings, "incomplete": readiness.incomplete,
                         "ready": readiness.ready})
