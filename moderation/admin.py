"""The moderators' admin: the queue (earliest deadline first), the review page, a Store's
versions (roll back, schedule, cancel a schedule), the SLA report.

Every button posts to a small view here that calls the same service as the API.
Only moderators (moderation.decide_submission, staff) may act; others may at most look.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from catalog.marketplaces import marketplaces_all
from catalog.moments import moment_input, moment_label, moment_parse
from config.api import DomainError
from stores.models import Store, StoreVersion
from stores.selectors import live_version_for

from . import selectors, services, sla
from .models import OPEN_STATUSES, QUEUE_STATUSES, ReasonCode, Shift, Submission, Team
from .permissions import is_moderator
from .review import review_diff_context
from .sla import ShiftCalendar
from .triage import reasons_label

# The review page warns this long before the claim lapses when nobody is using the page.
LEASE_WARNING = timedelta(minutes=5)
MAX_REASON_ROWS = 50
REASON_FIELD = re.compile(r"^reason-(\d{1,3})-code$")
SLA_LABELS = sla.STATE_LABELS
time_left_label = sla.time_left_label


def escalation_reaches_nobody() -> bool:
    """True when an SLA alert would be e-mailed to no one."""
    from .notifications import lead_emails

    return not lead_emails()


class ShiftInline(admin.TabularInline):
    model = Shift
    extra = 1


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    """Moderator teams and their weekly shifts, in the team's time zone: the at-risk rule,
    the forecast and the alerts read them."""

    list_display = ["name", "time_zone", "member_count", "lead_names"]
    filter_horizontal = ["members", "leads"]
    inlines = [ShiftInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("members", "leads")

    @admin.display(description=_("members"))
    def member_count(self, obj: Team) -> int:
        return len(obj.members.all())

    @admin.display(description=_("leads"))
    def lead_names(self, obj: Team) -> str:
        return ", ".join(str(u) for u in obj.leads.all()) or "—"


class BulkActionForm(helpers.ActionForm):
    """The queue's action bar: a reason and note for bulk rejections."""

    reason = forms.ChoiceField(label=_("Reason"), required=False,
                               choices=[("", "—"), *ReasonCode.choices])
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class QueueFilter(admin.SimpleListFilter):
    title = _("queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [("waiting", _("Waiting for a moderator")),
                ("open", _("All open (incl. checks)")), ("decided", _("Decided")),
                ("audit", _("Automated approvals to audit")), ("all", _("Everything"))]

    def choices(self, changelist):
        # "Waiting" is the default view, so the plain "All" choice is left out.
        for lookup, title in self.lookup_choices:
            yield {
                "selected": (self.value() or "waiting") == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or "waiting"
        if value == "waiting":
            return queryset.filter(status__in=QUEUE_STATUSES)
        if value == "open":
            return queryset.filter(status__in=OPEN_STATUSES)
        if value == "decided":
            return queryset.exclude(status__in=OPEN_STATUSES).order_by("-decided_at")
        if value == "audit":
            return queryset.filter(audit_requested_at__isnull=False, audited_at__isnull=True)
        return queryset


class MarketplaceFilter(admin.SimpleListFilter):
    """The marketplaces a moderator is assigned to (their preferences) by default; any one
    marketplace, or all, on request."""

    title = _("marketplace")
    parameter_name = "marketplace"

    def lookups(self, request, model_admin):
        return [("mine", _("My marketplaces")), ("all", _("All marketplaces"))] + [
            (m.code, f"{m.domain} ({m.code})") for m in marketplaces_all().values()]

    def choices(self, changelist):
        current = self.value() or "mine"
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        return selectors.submissions_moderated_by(queryset, user=request.user,
                                                  marketplace=self.value() or "mine")


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    # Marker and time left first: on a phone the table scrolls sideways.
    list_display = ["store_name", "deadline", "sla_marker", "time_left", "risk_class",
                    "version_label", "status", "claim", "decided_how", "marketplace"]
    list_display_links = ["store_name"]
    list_filter = [QueueFilter, MarketplaceFilter, "status", "risk"]
    list_select_related = ["store", "version", "claimed_by"]
    search_fields = ["store__name", "store__slug"]
    # Deadline order, high-risk items earlier (moderation.triage.queue_at).
    ordering = ["queue_at", "id"]
    actions = ["bulk_approve", "bulk_reject", "mark_audited"]
    action_form = BulkActionForm
    list_per_page = 50
    change_list_template = "admin/moderation/submission/change_list.html"

    class Media:
        css = {"all": ["moderation/admin.css"]}

    # --- the queue ---------------------------------------------------------------------

    @admin.display(description=_("Store"), ordering="store__name")
    def store_name(self, obj: Submission) -> str:
        return obj.store.name

    @admin.display(description=_("Marketplace"), ordering="store__marketplace_id")
    def marketplace(self, obj: Submission) -> str:
        return obj.store.marketplace_id

    @admin.display(description=_("Version"))
    def version_label(self, obj: Submission) -> str:
        return f"v{obj.version.number}"

    @admin.display(description=_("SLA"))
    def sla_marker(self, obj: Submission) -> str:
        state = selectors.sla_state(submission=obj, calendar=self._calendar)
        return format_html('<span class="sla sla--{}">{}</span>', state, SLA_LABELS[state])

    @admin.display(description=_("Class"), ordering="risk")
    def risk_class(self, obj: Submission) -> str:
        if not obj.risk:
            return "—"
        return format_html('<span class="risk risk--{}" title="{}">{}</span>', obj.risk,
                           reasons_label(obj.risk_reasons), obj.get_risk_display())

    # --- bulk actions: each submission decided through its own service call ------------

    def _bulk_report(self, request, result, verb: str) -> None:
        if result.done:
            self.message_user(request, ngettext(
                "%(n)d submission %(verb)s.", "%(n)d submissions %(verb)s.", len(result.done))
                % {"n": len(result.done), "verb": verb}, messages.SUCCESS)
        for pk, why in result.refused:
            self.message_user(request, _("Submission %(pk)d not decided: %(why)s") % {
                "pk": pk, "why": why}, messages.ERROR)

    def _bulk_ready(self, request) -> bool:
        if not is_moderator(request.user):
            raise PermissionDenied
        return True

    @admin.action(description=_("Approve selected (trivial and standard only)"))
    def bulk_approve(self, request, queryset):
        self._bulk_ready(request)
        result = services.submissions_bulk_approve(
            submissions=list(queryset.select_related("version").order_by("queue_at", "id")),
            moderator=request.user, note=request.POST.get("note", ""))
        self._bulk_report(request, result, str(_("approved")))

    @admin.action(description=_("Reject selected with the reason below"))
    def bulk_reject(self, request, queryset):
        self._bulk_ready(request)
        code = request.POST.get("reason")
        if not code:
            self.message_user(request, _("Choose a reason for the rejection; nothing was "
                                         "rejected."), messages.ERROR)
            return
        result = services.submissions_bulk_reject(
            submissions=list(queryset.select_related("version").order_by("queue_at", "id")),
            moderator=request.user,
            reasons=[{"code": code, "tile": None, "note": request.POST.get("note", "")}])
        self._bulk_report(request, result, str(_("rejected")))

    @admin.action(description=_("Mark selected automated approvals as audited"))
    def mark_audited(self, request, queryset):
        self._bulk_ready(request)
        done = 0
        for submission in queryset:
            try:
                services.submission_audit_done(submission=submission, moderator=request.user)
            except DomainError as error:
                self.message_user(request, f"{submission}: {error.message}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, ngettext("%(n)d audit recorded.",
                                                "%(n)d audits recorded.", done) % {"n": done},
                              messages.SUCCESS)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not is_moderator(request.user):
            return {}
        return actions

    @admin.display(description=_("Deadline"), ordering="sla_deadline")
    def deadline(self, obj: Submission) -> str:
        return render_to_string("admin/moderation/_time.html", {"at": obj.sla_deadline})

    @admin.display(description=_("Time left"), ordering="sla_deadline")
    def time_left(self, obj: Submission) -> str:
        return time_left_label(obj)

    @admin.display(description=_("Decided by"), ordering="decided_how")
    def decided_how(self, obj: Submission) -> str:
        return obj.get_decided_how_display() or "—"

    @admin.display(description=_("Claimed by"))
    def claim(self, obj: Submission) -> str:
        if obj.status == "in_review" and obj.claimed_by_id:
            live = obj.claim_expires_at and obj.claim_expires_at > timezone.now()
            return f"{obj.claimed_by}" + ("" if live else " " + gettext("(lease expired)"))
        return "—"

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    _calendar: ShiftCalendar | None = None

    def changelist_view(self, request, extra_context=None):
        # One calendar per page: the at-risk marker of every row reads the same shifts.
        self._calendar = ShiftCalendar.load()
        extra_context = {**(extra_context or {}), "can_decide": is_moderator(request.user),
                         "sla_report_url": reverse("admin:moderation_sla_report"),
                         "claim_next_url": reverse("admin:moderation_claim_next"),
                         "escalation_nobody": escalation_reaches_nobody()}
        return super().changelist_view(request, extra_context)

    # --- the review page ---------------------------------------------------------------

    def get_urls(self):
        own = [
            path("sla-report/", self.admin_site.admin_view(self.sla_report_view),
                 name="moderation_sla_report"),
            path("claim-next/", self.admin_site.admin_view(self.claim_next_view),
                 name="moderation_claim_next"),
            path("<int:pk>/claim/", self.admin_site.admin_view(require_POST(self.claim_view)),
                 name="moderation_claim"),
            path("<int:pk>/release/",
                 self.admin_site.admin_view(require_POST(self.release_view)),
                 name="moderation_release"),
            path("<int:pk>/approve/",
                 self.admin_site.admin_view(require_POST(self.approve_view)),
                 name="moderation_approve"),
            path("<int:pk>/reject/", self.admin_site.admin_view(require_POST(self.reject_view)),
                 name="moderation_reject"),
            path("stores/<int:store_id>/versions/",
                 self.admin_site.admin_view(self.store_versions_view),
                 name="moderation_store_versions"),
            path("versions/<int:version_id>/rollback/",
                 self.admin_site.admin_view(require_POST(self.rollback_view)),
                 name="moderation_version_rollback"),
            path("versions/<int:version_id>/schedule/",
                 self.admin_site.admin_view(require_POST(self.schedule_view)),
                 name="moderation_version_schedule"),
            path("versions/<int:version_id>/unschedule/",
                 self.admin_site.admin_view(require_POST(self.unschedule_view)),
                 name="moderation_version_unschedule"),
        ]
        return own + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        submission = get_object_or_404(
            Submission.objects.select_related("store__brand", "version", "claimed_by",
                                              "submitted_by", "decided_by",
                                              "store__published_version"),
            pk=object_id,
        )
        return TemplateResponse(request, "admin/moderation/submission/review.html",
                                self.review_context(request, submission))

    def review_context(self, request: HttpRequest, submission: Submission) -> dict:
        store, version = submission.store, submission.version
        live = store.published_version
        review = review_diff_context(submission=submission, live=live)
        now = timezone.now()
        holder_live = (submission.status == "in_review" and submission.claim_expires_at
                       and submission.claim_expires_at > now)
        versions = selectors.store_versions(store=store, now=now)
        calendar = ShiftCalendar.load()
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Review: %(name)s v%(number)s") % {"name": store.name,
                                                                "number": version.number},
            "submission": submission,
            "store": store,
            "version": version,
            "live": live,
            "preview_url": _preview_url(store, version),
            "live_preview_url": _preview_url(store, live) if live else None,
            **review,
            "reasons": list(submission.reasons.all()),
            "events": list(submission.events.select_related("actor")),
            "sla_state": selectors.sla_state(submission=submission, now=now,
                                             calendar=calendar),
            "sla_label": SLA_LABELS[selectors.sla_state(submission=submission, now=now,
                                                        calendar=calendar)],
            "risk_why": reasons_label(submission.risk_reasons),
            "heartbeat_url": reverse("moderation-heartbeat", args=[submission.pk]),
            "claim_next_url": reverse("admin:moderation_claim_next"),
            "lease_warn_seconds": LEASE_WARNING.total_seconds(),
            "time_left": time_left_label(submission, now),
            "can_decide": is_moderator(request.user),
            "mine": holder_live and submission.claimed_by_id == request.user.pk,
            "held_by_other": holder_live and submission.claimed_by_id != request.user.pk,
            "decidable": submission.status in QUEUE_STATUSES,
            "reason_codes": ReasonCode.choices,
            "prefilled": _prefilled_reasons(submission),
            "version_row": next(row for row in versions if row.version.pk == version.pk),
            "version_count": len(versions),
            "schedule_min": _local_minute(now),
            "time_zone": timezone.get_current_timezone_name(),
        }

    # --- actions: each calls the service the API calls ---------------------------------

    def _run(self, request, action, *, back: str) -> HttpResponseRedirect:
        """Call `action` (a service call that returns the success message); report a refusal
        as an error message instead. Either way, back to the page the button was on."""
        try:
            message = action()
        except DomainError as error:
            details = error.details if isinstance(error.details, list) else []
            extra = "; ".join(d.get("message", "") for d in details if isinstance(d, dict))
            self.message_user(request, f"{error.message} {extra}".strip(), messages.ERROR)
            return HttpResponseRedirect(back)
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(back)

    def _act(self, request, pk: int, action) -> HttpResponseRedirect:
        if not is_moderator(request.user):
            raise PermissionDenied
        submission = get_object_or_404(Submission.objects.select_related("version"), pk=pk)
        review = reverse("admin:moderation_submission_change", args=[pk])
        return self._run(request, lambda: action(submission), back=review)

    def _act_on_version(self, request, version_id: int, action) -> HttpResponseRedirect:
        # Moderators only, whatever brand the Store belongs to: the services would also let
        # a brand's own users through, but brands do not work in the admin.
        if not is_moderator(request.user):
            raise PermissionDenied
        version = get_object_or_404(StoreVersion.objects.select_related("store"),
                                    pk=version_id)
        back = _next_url(request) or reverse("admin:moderation_store_versions",
                                             args=[version.store_id])
        return self._run(request, lambda: action(version), back=back)

    def claim_view(self, request, pk: int):
        def claim(submission):
            services.submission_claim(submission=submission, moderator=request.user)
            return gettext("Claimed for 30 minutes.")

        return self._act(request, pk, claim)

    def release_view(self, request, pk: int):
        def release(submission):
            services.submission_release(submission=submission, moderator=request.user)
            return gettext("Released back to the queue.")

        return self._act(request, pk, release)

    def approve_view(self, request, pk: int):
        def approve(submission):
            result = services.submission_approve(
                submission=submission, moderator=request.user,
                starts_at=_aware(request.POST.get("starts_at")),
                ends_at=_aware(request.POST.get("ends_at")),
                note=request.POST.get("note", ""))
            if result.status == "scheduled":
                return gettext("Approved and scheduled.")
            return gettext("Approved: this version is live now.")

        return self._act(request, pk, approve)

    def reject_view(self, request, pk: int):
        def reject(submission):
            # As many rows as the moderator added (the form grows one row at a time).
            rows = sorted({int(match[1]) for name in request.POST
                           if (match := REASON_FIELD.match(name))})[:MAX_REASON_ROWS]
            reasons = [
                {"code": request.POST[f"reason-{row}-code"],
                 "tile": request.POST.get(f"reason-{row}-tile") or None,
                 "note": request.POST.get(f"reason-{row}-note", "")}
                for row in rows if request.POST.get(f"reason-{row}-code")
            ]
            services.submission_reject(submission=submission, moderator=request.user,
                                       reasons=reasons, note=request.POST.get("note", ""))
            return gettext("Rejected; the brand has been told why.")

        return self._act(request, pk, reject)

    def rollback_view(self, request, version_id: int):
        def rollback(version):
            store = services.version_rollback(store=version.store, version=version,
                                              user=request.user)
            return (gettext("Version %(number)s is the live version again.") % {
                "number": version.number} + _window_note(store, version))

        return self._act_on_version(request, version_id, rollback)

    def schedule_view(self, request, version_id: int):
        def schedule(version):
            starts_at = _aware(request.POST.get("starts_at"))
            if starts_at is None:
                raise services.ScheduleRefused(
                    gettext("Give the date and time from which the version is live."),
                    details={"field": "starts_at"})
            ends_at = _aware(request.POST.get("ends_at"))
            services.version_schedule(version=version, starts_at=starts_at, ends_at=ends_at,
                                      user=request.user)
            return gettext("Version %(number)s scheduled: live %(window)s.") % {
                "number": version.number, "window": services.window_label(starts_at, ends_at)}

        return self._act_on_version(request, version_id, schedule)

    def unschedule_view(self, request, version_id: int):
        def unschedule(version):
            if version.schedule_starts_at is None:
                raise DomainError(gettext("Version %(number)s has no scheduled publication "
                                          "to cancel; nothing changed.") % {
                                              "number": version.number}, code="not_scheduled")
            services.version_unschedule(version=version, user=request.user)
            live = live_version_for(store=version.store)
            return (gettext("The schedule of version %(number)s is cancelled.") % {
                "number": version.number} + " "
                + (gettext("Shoppers see version %(number)s.") % {"number": live.number}
                   if live else gettext("Nothing is live.")))

        return self._act_on_version(request, version_id, unschedule)

    def store_versions_view(self, request, store_id: int):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        store = get_object_or_404(Store.objects.select_related("brand", "published_version"),
                                  pk=store_id)
        now = timezone.now()
        return TemplateResponse(request, "admin/moderation/submission/store_versions.html", {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Versions of %(name)s") % {"name": store.name},
            "store": store,
            "rows": selectors.store_versions(store=store, now=now),
            "can_decide": is_moderator(request.user),
            "schedule_min": _local_minute(now),
            "time_zone": timezone.get_current_timezone_name(),
        })

    def claim_next_view(self, request):
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:moderation_submission_changelist"))
        if not is_moderator(request.user):
            raise PermissionDenied
        submission = services.submission_claim_next(moderator=request.user)
        if submission is None:
            self.message_user(request, gettext("The queue is empty."), messages.INFO)
            return HttpResponseRedirect(reverse("admin:moderation_submission_changelist"))
        return HttpResponseRedirect(
            reverse("admin:moderation_submission_change", args=[submission.pk]))

    def sla_report_view(self, request):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        now = timezone.now()
        report = selectors.sla_report(now=now, since=now - timedelta(days=30))
        return TemplateResponse(request, "admin/moderation/submission/sla_report.html", {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Moderation SLA (last 30 days)"),
            "report": report,
            "within_sla_percent": round(report.within_sla_share * 100, 1),
            "automated_percent": round(report.automated_share * 100, 1),
            "sla_hours": settings.MODERATION_SLA_HOURS,
            "escalation_nobody": escalation_reaches_nobody(),
        })


def _aware(value: str | None) -> datetime | None:
    """A datetime-local form value, typed in the moderator's own time zone (the one its
    label names), as an aware datetime; None when empty."""
    try:
        return moment_parse(value)
    except ValueError:
        raise DomainError(gettext("%(value)r is not a date and time.") % {"value": value},
                          code="invalid_schedule") from None


def _local_minute(moment: datetime) -> str:
    """`moment` as a datetime-local value in the moderator's time zone (the earliest time
    a schedule may start)."""
    return moment_input(moment)


def _next_url(request: HttpRequest) -> str | None:
    """The page a version button was on (review page or versions page), if it is ours."""
    target = request.POST.get("next")
    if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return None


def _window_note(store: Store, version: StoreVersion) -> str:
    """After a rollback: say so when a scheduled window still hides the version."""
    live = live_version_for(store=store)
    if live is None or live.pk == version.pk:
        return " " + gettext("Shoppers see it now.")
    until = (moment_label(live.schedule_ends_at) if live.schedule_ends_at
             else gettext("its window is cancelled"))
    return " " + gettext("Shoppers see scheduled version %(live)s until %(until)s, then version "
                         "%(number)s.") % {"live": live.number, "until": until,
                                            "number": version.number}


def _preview_url(store, version) -> str | None:
    try:
        from stores.previews import preview_url
    except ImportError:  # the preview module is optional for the review page
        return None
    return preview_url(store=store, version=version, expires_in=timedelta(hours=2))


def _prefilled_reasons(submission: Submission) -> list[dict]:
    """Blocking findings (when a moderator reviews anyway) as suggested reason rows, and
    one empty row; the form adds more on request."""
    rows = [
        {"code": f.reason_code, "tile": f.tile, "note": f.shown_message}
        for f in submission.findings.all() if f.severity == "blocking"
    ][:MAX_REASON_ROWS - 1]
    return [*rows, {"code": "", "tile": "", "note": ""}]
