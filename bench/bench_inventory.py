"""POST /api/v1/inventory/ with 10,000 items, against the bare SQL it boils down to.

Baselines, measured in the same run on the same rows: the 10,000 quantity UPDATEs sent
straight through the database cursor (`executemany`, one transaction), and the set-based
UPDATE the service issues, alone; i.e. what the endpoint costs without HTTP, JSON,
authentication, validation and ownership checks.
"""
from __future__ import annotations

import json
import secrets
from decimal import Decimal

from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from bench.common import Row, best_of
from catalog.services import _quantities_write

N = 10_000


def _setup():
    from django.contrib.auth import get_user_model
    from knox.models import AuthToken

    from catalog.models import Account, Brand, Membership, Product

    account = Account.objects.create(name=f"Bench Vendor {secrets.token_hex(4)}", kind="vendor")
    user = get_user_model().objects.create_user(f"bench-{secrets.token_hex(4)}")
    Membership.objects.create(user=user, account=account)
    brand = Brand.objects.create(account=account, name=account.name,
                                 slug=f"bench-{account.pk}")
    Product.objects.bulk_create(
        [Product(asin=f"BB{account.pk:02d}{n:06d}"[:10], brand=brand, title=f"Bench {n}",
                 price=Decimal("9.99"), quantity=1) for n in range(N)],
        batch_size=2_000,
    )
    _, token = AuthToken.objects.create(user=user)
    rows = list(Product.objects.filter(brand=brand).order_by("id").values_list("id", "asin"))
    return token, rows


def run() -> list[Row]:
    token, rows = _setup()
    client = Client()
    round_ = {"n": 0}

    def body() -> str:
        round_["n"] += 1  # new quantities every run: every row really changes
        return json.dumps([{"asin": asin, "quantity": (i + round_["n"]) % 500}
                           for i, (_pk, asin) in enumerate(rows)])

    payloads = [body() for _ in range(5)]

    def post():
        response = client.post("/api/v1/inventory/", payloads.pop(),
                               content_type="application/json",
                               HTTP_AUTHORIZATION=f"Token {token}", secure=True)
        assert response.status_code == 200, (response.status_code, response.content[:500])
        assert response.json() == {"updated": N}

    def bare_sql():
        round_["n"] += 1
        now = timezone.now()
        params = [((i + round_["n"]) % 500, now, pk) for i, (pk, _asin) in enumerate(rows)]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE catalog_product SET quantity = %s, stock_updated_at = %s WHERE id = %s",
                params,
            )

    def set_based_sql():
        round_["n"] += 1
        quantities = {pk: (i + round_["n"]) % 500 for i, (pk, _asin) in enumerate(rows)}
        with transaction.atomic():
            _quantities_write(quantities, at=timezone.now())

    endpoint = best_of(post, repeat=5)
    baseline = best_of(bare_sql, repeat=5)
    set_based = best_of(set_based_sql, repeat=5)
    return [
        Row("inventory", f"POST /api/v1/inventory/, {N:,} items", endpoint, "s",
            ratio=endpoint / baseline, baseline="executemany of the same UPDATEs"),
        Row("inventory", "  same, against the bare set-based UPDATE", endpoint, "s",
            ratio=endpoint / set_based, baseline="UPDATE … FROM (VALUES …) alone"),
        Row("inventory", f"baseline: executemany {N:,} UPDATEs", baseline, "s"),
        Row("inventory", f"baseline: set-based UPDATE of {N:,} rows", set_based, "s"),
        Row("inventory", "items per second through the API", N / endpoint, "items/s"),
    ]
