"""Sign-in: expiring, revocable API tokens; lockout after repeated failures on every
sign-in door (API token, /accounts/login/, /admin/login/); throttled password resets."""
from __future__ import annotations

import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests import factories

TOKEN_URL = "/api/v1/auth/token/"
STORES_URL = "/api/v1/stores/"


@pytest.fixture(autouse=True)
def _lockout_settings(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    # The token endpoint's own rate is tested on its own below.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                                   "token": "1000/min"},
    }


def obtain(username: str, password: str, ip: str = "10.0.0.1"):
    return APIClient(REMOTE_ADDR=ip).post(
        TOKEN_URL, {"username": username, "password": password}, format="json")


def test_the_token_endpoint_gives_a_token_that_expires_and_works(seller):
    response = obtain("seller_owner", factories.PASSWORD)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expiry"}
    stored = AuthToken.objects.get(user=seller.user)
    assert stored.expiry > timezone.now() + timedelta(hours=23)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert client.get(STORES_URL).status_code == 200


def test_an_expired_token_is_refused(seller):
    token = obtain("seller_owner", factories.PASSWORD).json()["token"]
    AuthToken.objects.filter(user=seller.user).update(
        expiry=timezone.now() - timedelta(seconds=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    response = client.get(STORES_URL)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "authentication_failed"
    assert not AuthToken.objects.filter(user=seller.user).exists()


def test_a_revoked_token_is_refused_and_the_others_keep_working(seller):
    first = obtain("seller_owner", factories.PASSWORD).json()["token"]
    second = obtain("seller_owner", factories.PASSWORD).json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {first}")

    assert client.post("/api/v1/auth/token/revoke/", format="json").status_code == 204

    assert client.get(STORES_URL).status_code == 403
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert other.get(STORES_URL).status_code == 200


def test_revoking_all_tokens_signs_out_every_client(seller):
    tokens = [obtain("seller_owner", factories.PASSWORD).json()["token"] for _ in range(3)]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {tokens[0]}")

    response = client.post("/api/v1/auth/token/revoke/", {"all": True}, format="json")

    assert response.status_code == 204
    assert AuthToken.objects.filter(user=seller.user).count() == 0


def test_wrong_credentials_get_401_and_no_token(seller):
    response = obtain("seller_owner", "wrong")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_credentials"
    assert "token" not in response.json()
    assert not AuthToken.objects.exists()


def test_the_token_endpoint_locks_out_after_repeated_failures_even_the_right_password(seller):
    answers = [obtain("seller_owner", "wrong").status_code for _ in range(5)]
    assert answers == [401, 401, 401, 401, 429]  # the failure that reaches the limit locks

    locked = obtain("seller_owner", factories.PASSWORD)

    assert locked.status_code == 429
    assert locked.json()["error"]["code"] == "locked_out"
    assert int(locked["Retry-After"]) == 15 * 60
    assert not AuthToken.objects.exists()


def test_the_lockout_answer_is_the_same_for_a_real_and_an_unknown_account(seller):
    for username in ("seller_owner", "nobody_here"):
        for _ in range(5):
            obtain(username, "wrong", ip="10.0.0.9")
    real = obtain("seller_owner", factories.PASSWORD, ip="10.0.0.9")
    unknown = obtain("nobody_here", "whatever", ip="10.0.0.9")

    assert (real.status_code, real.json()) == (unknown.status_code, unknown.json())
    assert real.status_code == 429


def test_the_lockout_answer_takes_no_password_check(seller, settings):
    # The lockout is decided before any password is hashed: its time does not depend on
    # the account or the password (a slow hasher makes any hashing visible).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    for _ in range(5):
        obtain("seller_owner", "wrong")
    durations = []
    for username, password in [("seller_owner", factories.PASSWORD), ("nobody", "x")] * 3:
        started = time.perf_counter()
        assert obtain(username, password).status_code == 429
        durations.append(time.perf_counter() - started)
    hashing = time.perf_counter()
    seller.user.check_password("wrong")
    hashing = time.perf_counter() - hashing
    assert max(durations) < hashing


def test_an_attacker_does_not_lock_the_owner_out_from_elsewhere(seller):
    for _ in range(5):
        obtain("seller_owner", "wrong", ip="203.0.113.7")
    assert obtain("seller_owner", factories.PASSWORD, ip="203.0.113.7").status_code == 429

    assert obtain("seller_owner", factories.PASSWORD, ip="198.51.100.2").status_code == 200


def test_a_lockout_ends_after_the_cool_off(seller):
    for _ in range(5):
        obtain("seller_owner", "wrong")
    assert obtain("seller_owner", factories.PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    assert obtain("seller_owner", factories.PASSWORD).status_code == 200


def test_the_token_endpoint_is_rate_limited_per_client(seller, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                                   "token": "3/min"},
    }
    answers = [obtain("seller_owner", factories.PASSWORD, ip="10.1.1.1").status_code
               for _ in range(4)]

    assert answers == [200, 200, 200, 429]
    assert obtain("seller_owner", factories.PASSWORD, ip="10.1.1.2").status_code == 200


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_the_sign_in_pages_lock_out_after_repeated_failures(client, url, moderator):
    answers = [client.post(url, {"username": "mod_one", "password": "wrong"},
                           REMOTE_ADDR="10.2.0.1").status_code for _ in range(5)]
    assert answers == [200, 200, 200, 200, 429]  # the form again, with its error

    locked = client.post(url, {"username": "mod_one", "password": factories.PASSWORD},
                         REMOTE_ADDR="10.2.0.1")

    assert locked.status_code == 429
    assert b"Too many failed sign-in attempts" in locked.content
    assert "_auth_user_id" not in client.session


def test_a_successful_sign_in_still_works_below_the_limit(client, seller):
    for _ in range(4):
        client.post("/accounts/login/", {"username": "seller_owner", "password": "wrong"})

    response = client.post("/accounts/login/",
                           {"username": "seller_owner", "password": factories.PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(seller.user.pk)


def test_password_reset_requests_are_rate_limited_per_client(client, seller, mailoutbox,
                                                             settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                                   "password_reset": "2/hour"},
    }
    answers = [client.post("/accounts/password_reset/",
                           {"email": seller.user.email}).status_code for _ in range(3)]

    assert answers == [302, 302, 429]
    assert len(mailoutbox) == 2
