"""E-mails: decisions to the brand's owners, SLA alerts to moderator leads."""
from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string

from catalog.models import Membership
from catalog.preferences import recipients_by_locale, speaking

from .models import ForecastAlert, Submission


def brand_owner_emails(*, brand) -> list[str]:
    """E-mail addresses of the owners of the account the brand belongs to."""
    return sorted(
        {
            email
            for email in Membership.objects.filter(
                account_id=brand.account_id, role=Membership.Role.OWNER, user__is_active=True
            ).values_list("user__email", flat=True)
            if email
        }
    )


def decision_notify(*, submission_id: int) -> int:
    """Tell the brand's owners the decision, with reasons per tile and a builder link.
    Returns the number of e-mails sent (0 when there is nobody to tell)."""
    submission = (
        Submission.objects.select_related("store__brand", "version")
        .prefetch_related("reasons")
        .get(pk=submission_id)
    )
    owners = get_user_model().objects.filter(
        membership__account_id=submission.store.brand.account_id,
        membership__role=Membership.Role.OWNER, is_active=True).exclude(email="")
    groups = recipients_by_locale(owners)
    if not groups:
        return 0
    context = {
        "submission": submission,
        "store": submission.store,
        "version": submission.version,
        "reasons": list(submission.reasons.all()),
        "builder_url": f"{settings.SITE_URL}/builder/stores/{submission.store_id}/",
    }
    return _send_in_each_locale(groups, "decision", context)


def _send_in_each_locale(groups: dict, template: str, context: dict) -> int:
    """One e-mail per group of recipients sharing a language and a time zone, written in
    them (`moderation/email/<template>_subject.txt` and `<template>.txt`)."""
    sent = 0
    for (language, time_zone), recipients in groups.items():
        with speaking(language, time_zone):
            subject = render_to_string(f"moderation/email/{template}_subject.txt",
                                       context).strip()
            body = render_to_string(f"moderation/email/{template}.txt", context)
        sent += send_mail(subject, body, None, recipients)
    return sent


def _leads_by_locale(emails: list[str]) -> dict:
    """The leads' addresses grouped by their users' language and time zone (addresses of
    no user, e.g. from settings, in the site's defaults)."""
    users = get_user_model().objects.filter(is_active=True, email__in=emails)
    return recipients_by_locale(users, extra_emails=emails)


def lead_emails() -> list[str]:
    """settings.MODERATION_LEADS, the moderator teams' leads and active superusers."""
    users = get_user_model().objects.filter(
        Q(is_superuser=True) | Q(led_moderation_teams__isnull=False), is_active=True)
    emails = set(settings.MODERATION_LEADS)
    emails.update(email for email in users.values_list("email", flat=True) if email)
    return sorted(emails)


def forecast_notify(*, alert_id: int) -> int:
    """Tell the leads the forecast turned red: how many will miss, the first when."""
    recipients = lead_emails()
    if not recipients:
        return 0
    context = {"alert": ForecastAlert.objects.get(pk=alert_id),
               "report_url": f"{settings.SITE_URL}/admin/moderation/submission/sla-report/"}
    return _send_in_each_locale(_leads_by_locale(recipients), "forecast_alert", context)


def leads_notify(*, at_risk_ids: list[int], breached_ids: list[int]) -> int:
    recipients = lead_emails()
    if not recipients:
        return 0
    submissions = Submission.objects.select_related("store", "version")
    context = {
        "at_risk": list(submissions.filter(pk__in=at_risk_ids).order_by("sla_deadline")),
        "breached": list(submissions.filter(pk__in=breached_ids).order_by("sla_deadline")),
        "queue_url": f"{settings.SITE_URL}/admin/moderation/submission/",
        "sla_hours": settings.MODERATION_SLA_HOURS,
        "at_risk_hours": settings.MODERATION_AT_RISK_HOURS,
    }
    return _send_in_each_locale(_leads_by_locale(recipients), "sla_alert", context)

