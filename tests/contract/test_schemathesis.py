"""The API keeps its OpenAPI contract: schemathesis (every check) against the live test
server, signed in as a brand owner and as a moderator, finds no failure.

Examples are limited so that both runs stay within about a minute and a half on CI.
"""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from knox.models import AuthToken

from moderation.models import Submission, SubmissionStatus
from stores.models import StoreVersion
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "3"))

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(seller, moderator):
    """A Store with products, a draft, a version waiting in the queue."""
    products = [factories.ProductFactory(brand=seller.brand, asin=f"B0CONTRA0{n}", quantity=n)
                for n in range(3)]
    store = factories.StoreFactory(
        brand=seller.brand, slug="acme-outdoor", revision=1,
        draft={"name": "Acme Outdoor", "theme": {"accent_color": "#0a7d5a"}, "pages": [
            {"key": "home", "parent": None, "slug": "", "title": "Home", "sections": [
                {"key": "s1", "layout": "full", "tiles": [
                    {"key": "t1", "type": "product_grid", "config": {
                        "mode": "manual", "asins": [p.asin for p in products],
                        "hide_out_of_stock": False}}]}]}]},
    )
    version = StoreVersion.objects.create(store=store, number=1, document=store.draft,
                                          source_revision=1)
    now = timezone.now()
    Submission.objects.create(store=store, version=version, submitted_by=seller.user,
                              submitted_at=now, sla_deadline=now + timedelta(hours=72),
                              status=SubmissionStatus.QUEUED)
    return store


@pytest.fixture
def unthrottled(settings):
    # The run sends thousands of requests from one client: rates and lockouts are tested
    # on their own (tests/security), here they would only hide what the run looks for.
    rates = dict.fromkeys(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    settings.AXES_ENABLED = False


def run_schemathesis(live_server, token: str, tmp_path,
                     phases: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DJANGO_", "PYTEST_"))}
    # Given as the schema's own security scheme (not a fixed header), so that the checks
    # of authentication can replace or drop it.
    config = tmp_path / "schemathesis.toml"
    # NUL characters are refused by design on every text (400; tests/security): not
    # generated here, where they would only repeat that refusal on every operation.
    # Schema-valid data the API may still refuse, each documented on the operation:
    # - 400: a body naming a brand, ASIN, tile, version or page template that does not exist
    #   for this caller, or a window that overlaps another (the API checks references and
    #   answers with the field; the schema cannot list the ids that exist);
    # - 403: an operation of the other role (a moderator editing a Store, a brand owner
    #   deciding a submission);
    # - 404: a path id that is not one of this caller's objects (random ids are);
    # - 409: a state conflict (a second Store in a marketplace, a claimed submission).
    # Not 401 (the token stays valid: the run must not revoke it, see below), except from
    # the sign-in itself, whose generated credentials are wrong (401, documented); not 429
    # (throttles are off: `unthrottled`).
    config.write_text('[generation]\nallow-x00 = false\n\n'
                      '[checks.positive_data_acceptance]\n'
                      'expected-statuses = ["2xx", "400", "403", "404", "409"]\n\n'
                      f'[auth.openapi.knoxApiToken]\napi_key = "Token {token}"\n\n'
                      '[[operations]]\ninclude-path = "/api/v1/auth/token/"\n'
                      '[operations.checks.positive_data_acceptance]\n'
                      'expected-statuses = ["2xx", "400", "401"]\n')
    return subprocess.run(
        [str(Path(sys.executable).parent / "schemathesis"), "--config-file", str(config), "run",
         f"{live_server.url}/api/schema/",
         "--url", live_server.url,
         "--checks", "all",
         # Revoking would end the run's own token: every later answer a 401, which would
         # hide everything after it. Revocation is tested in tests/security/test_logins.py.
         "--exclude-path", "/api/v1/auth/token/revoke/",
         "--phases", phases,
         "--workers", "2",
         "--max-examples", str(MAX_EXAMPLES),
         "--seed", "1",
         "--generation-deterministic",
         "--request-timeout", "30",
         "--no-color",
         "--report", "junit", "--report-dir", str(tmp_path)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600, check=False,
    )


# The coverage phase (every boundary the schema defines, whoever asks) once, as the brand
# owner who reaches most operations; the moderator's run generates and chains requests.
@pytest.mark.parametrize("actor, phases", [
    ("seller", "examples,coverage,fuzzing,stateful"),
    ("moderator", "examples,fuzzing,stateful"),
])
def test_the_api_keeps_its_contract(request, actor, phases, world, unthrottled, live_server,
                                    tmp_path):
    user = request.getfixturevalue(actor).user
    _, token = AuthToken.objects.create(user=user, expiry=timedelta(hours=1))

    result = run_schemathesis(live_server, token, tmp_path, phases)

    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-3000:]
    # The whole run was made signed in: its token was never revoked nor expired.
    assert AuthToken.objects.filter(user=user).exists()
