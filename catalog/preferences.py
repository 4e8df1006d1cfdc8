"""Each user's language and time zone for the builder, the admin and e-mails.

The choice is stored in UserPreferences and copied into the session at sign-in, so the
middleware activates it without a query per request. Without a choice, Django's
LocaleMiddleware has already picked a language from the cookie or Accept-Language.
"""
from __future__ import annotations

import zoneinfo
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .models import UserPreferences

SESSION_LANGUAGE = "sf_language"
SESSION_TIME_ZONE = "sf_time_zone"
LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)
# Whoever chose no time zone reads times in the site's (UTC); Dutch speakers start with
# Amsterdam time, the product's first market.
DEFAULT_TIME_ZONE = settings.TIME_ZONE
TIME_ZONE_FOR_LANGUAGE = {"nl": "Europe/Amsterdam"}


class PreferenceError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def time_zone_valid(name: str) -> bool:
    return name in zoneinfo.available_timezones()


def preferences_set(*, user, language: str | None = None,
                    time_zone: str | None = None) -> UserPreferences:
    """Store a user's language and/or time zone. Raises PreferenceError (nothing saved)
    for a language we do not speak or an unknown time zone."""
    if language is not None and language not in LANGUAGE_CODES:
        raise PreferenceError("language", f"{language!r} is not one of {sorted(LANGUAGE_CODES)}")
    if time_zone is not None and not time_zone_valid(time_zone):
        raise PreferenceError("time_zone", f"{time_zone!r} is not a known time zone")
    first_language = language or settings.LANGUAGE_CODE
    prefs, _created = UserPreferences.objects.get_or_create(
        user=user, defaults={"language": first_language, "time_zone": time_zone or (
            TIME_ZONE_FOR_LANGUAGE.get(first_language, DEFAULT_TIME_ZONE))})
    if language is not None:
        prefs.language = language
    if time_zone is not None:
        prefs.time_zone = time_zone
    prefs.save()
    return prefs


def user_language(user, default: str | None = None) -> str:
    """The language to write to `user` in (e-mails): their choice, else `default`."""
    prefs = UserPreferences.objects.filter(user=user).only("language").first() if (
        user is not None and user.pk) else None
    if prefs and prefs.language in LANGUAGE_CODES:
        return prefs.language
    return default or settings.LANGUAGE_CODE


def user_time_zone(user) -> str:
    prefs = UserPreferences.objects.filter(user=user).only("time_zone").first() if (
        user is not None and user.pk) else None
    return prefs.time_zone if prefs and time_zone_valid(prefs.time_zone) else DEFAULT_TIME_ZONE


@contextmanager
def speaking(language: str, time_zone: str) -> Iterator[None]:
    """Render (e-mails) in `language`, with times in `time_zone`."""
    with translation.override(language), timezone.override(zoneinfo.ZoneInfo(time_zone)):
        yield


def recipients_by_locale(users: Iterable, *, extra_emails: Iterable[str] = ()
                         ) -> dict[tuple[str, str], list[str]]:
    """E-mail addresses grouped by their owner's (language, time zone), one query for the
    preferences. Addresses of no user (or users with no choice) get the site's defaults."""
    users = [user for user in users if user.email]
    prefs = {p.user_id: p for p in UserPreferences.objects.filter(
        user_id__in=[user.pk for user in users])}
    default = (settings.LANGUAGE_CODE, DEFAULT_TIME_ZONE)
    groups: dict[tuple[str, str], set[str]] = {}
    known = set()
    for user in users:
        p = prefs.get(user.pk)
        key = (p.language, p.time_zone) if p and p.language in LANGUAGE_CODES and (
            time_zone_valid(p.time_zone)) else default
        groups.setdefault(key, set()).add(user.email)
        known.add(user.email)
    for email in extra_emails:
        if email and email not in known:
            groups.setdefault(default, set()).add(email)
    return {key: sorted(emails) for key, emails in sorted(groups.items())}


@receiver(user_logged_in, dispatch_uid="catalog.preferences_to_session")
def _preferences_to_session(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    prefs = UserPreferences.objects.filter(user=user).first()
    if prefs is None:
        # First sign-in: keep the language the browser asked for, as the user's choice.
        language = translation.get_language_from_request(request)
        language = language if language in LANGUAGE_CODES else settings.LANGUAGE_CODE
        prefs = UserPreferences.objects.create(
            user=user, language=language,
            time_zone=TIME_ZONE_FOR_LANGUAGE.get(language, DEFAULT_TIME_ZONE))
    request.session[SESSION_LANGUAGE] = prefs.language
    request.session[SESSION_TIME_ZONE] = prefs.time_zone


class UserPreferencesMiddleware:
    """Activates a signed-in user's language and time zone for the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        language = time_zone = None
        # Only when the session was read anyway (a signed-in user): no query for shoppers.
        if session is not None and settings.SESSION_COOKIE_NAME in request.COOKIES:
            language = session.get(SESSION_LANGUAGE)
            time_zone = session.get(SESSION_TIME_ZONE)
        if language in LANGUAGE_CODES:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        if time_zone and time_zone_valid(time_zone):
            timezone.activate(zoneinfo.ZoneInfo(time_zone))
        try:
            return self.get_response(request)
        finally:
            if time_zone:
                timezone.deactivate()


@require_POST
def preferences_view(request: HttpRequest) -> HttpResponse:
    """The language (and time zone) switch of the builder and the admin."""
    language = request.POST.get("language") or None
    time_zone = request.POST.get("time_zone") or None
    if language not in LANGUAGE_CODES:
        language = None
    if time_zone and not time_zone_valid(time_zone):
        time_zone = None
    if request.user.is_authenticated and (language or time_zone):
        prefs = preferences_set(user=request.user, language=language, time_zone=time_zone)
        request.session[SESSION_LANGUAGE] = prefs.language
        request.session[SESSION_TIME_ZONE] = prefs.time_zone
    target = request.POST.get("next") or request.headers.get("referer") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    if language:
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language,
                            max_age=365 * 24 * 3600, samesite="Lax",
                            secure=request.is_secure())
    return response
