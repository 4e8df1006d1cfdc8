"""Moderation routes under /api/v1/."""
from django.urls import path

from . import api, findings_api

urlpatterns = [
    path("stores/<int:store_id>/draft/findings/", findings_api.DraftFindingsView.as_view(),
         name="store-draft-findings"),
    path("stores/<int:store_id>/submissions/", api.StoreSubmissionsView.as_view(),
         name="store-submissions"),
    path("stores/<int:store_id>/versions/<int:version_id>/rollback/",
         api.VersionRollbackView.as_view(), name="version-rollback"),
    path("stores/<int:store_id>/versions/<int:version_id>/schedule/",
         api.VersionScheduleView.as_view(), name="version-schedule"),
    path("moderation/submissions/", api.ModerationQueueView.as_view(),
         name="moderation-queue"),
    path("moderation/submissions/claim-next/", api.ClaimNextView.as_view(),
         name="moderation-claim-next"),
    path("moderation/submissions/<int:submission_id>/claim/", api.ClaimView.as_view(),
         name="moderation-claim"),
    path("moderation/submissions/<int:submission_id>/heartbeat/", api.HeartbeatView.as_view(),
         name="moderation-heartbeat"),
    path("moderation/submissions/<int:submission_id>/approve/", api.ApproveView.as_view(),
         name="moderation-approve"),
    path("moderation/submissions/<int:submission_id>/reject/", api.RejectView.as_view(),
         name="moderation-reject"),
]
