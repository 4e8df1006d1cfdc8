"""The Dutch translation cannot rot: every marked string has a Dutch translation, the
committed catalogues are what `make messages` would write, and Dutch pages carry no
English UI text."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.conf import settings

from tests.conftest import ON_CI

ROOT = Path(settings.BASE_DIR)
LC_MESSAGES = ROOT / "locale" / "nl" / "LC_MESSAGES"
DOMAINS = ("django", "djangojs")
# What `make messages` skips (the same --ignore list).
IGNORED = {".venv", "node_modules", "staticfiles", "media", "bench", "tests", "build", ".git",
           "test-artifacts", "__pycache__", ".pytest_cache", ".ruff_cache"}


def require_gettext() -> None:
    if shutil.which("xgettext") and shutil.which("msgfmt"):
        return
    if ON_CI:
        pytest.fail("GNU gettext (xgettext, msgfmt) is missing: CI installs it")
    pytest.skip("GNU gettext is not installed")


def catalog(path: Path):
    with path.open("rb") as handle:
        return read_po(handle, locale="nl")


def msgids(cat) -> set:
    return {(message.context, tuple(message.id) if isinstance(message.id, list | tuple)
             else message.id) for message in cat if message.id}


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_marked_string_has_a_dutch_translation(domain):
    cat = catalog(LC_MESSAGES / f"{domain}.po")

    missing = sorted(str(message.id) for message in cat if message.id and (
        message.fuzzy or not all(message.string if isinstance(message.string, tuple)
                                 else [message.string])))

    assert missing == [], f"untranslated or fuzzy in {domain}.po"


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_compiled_catalogues_match_the_po_files(domain):
    po = catalog(LC_MESSAGES / f"{domain}.po")
    with (LC_MESSAGES / f"{domain}.mo").open("rb") as handle:
        mo = read_mo(handle)

    def plain(value):
        return tuple(value) if isinstance(value, list | tuple) else value

    def table(cat):
        # Babel reads a .mo file's message contexts as bytes.
        return {(m.context.decode() if isinstance(m.context, bytes) else m.context,
                 plain(m.id)): plain(m.string) for m in cat if m.id and not m.fuzzy}

    assert table(mo) == table(po), f"{domain}.mo is stale: run `make messages`"


def test_the_po_files_hold_exactly_the_strings_marked_in_the_code(tmp_path):
    require_gettext()
    copy = tmp_path / "src"
    shutil.copytree(ROOT, copy, symlinks=True,
                    ignore=lambda folder, names: [n for n in names if n in IGNORED
                                                  or n.endswith((".sqlite3", ".pyc"))])
    for domain in DOMAINS:
        subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", "makemessages", "-l", "nl", "-d", domain,
             "--add-location=file", "--no-obsolete", *(f"--ignore={n}" for n in IGNORED)],
            # Extracting strings needs no production SECRET_KEY: run as `make messages` does.
            cwd=copy, check=True, capture_output=True,
            env={**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings"})

    for domain in DOMAINS:
        fresh = msgids(catalog(copy / "locale" / "nl" / "LC_MESSAGES" / f"{domain}.po"))
        committed = msgids(catalog(LC_MESSAGES / f"{domain}.po"))
        assert sorted(fresh - committed, key=str) == [], (
            f"strings marked in the code but not in {domain}.po: run `make messages`")
        assert sorted(committed - fresh, key=str) == [], (
            f"strings in {domain}.po that the code no longer has: run `make messages`")


# English UI text that must never show on a Dutch page (text the product writes itself,
# not what brands write).
ENGLISH_UI = (
    "Share this page", "Currently unavailable", "Skip to", "opens in a new tab",
    "a brand Store on Storefront", "out of 5", "See details", "Deal</span>", "was </span>",
    "My Stores", "Create a Store", "Submit for review", "Sign out", "Share link",
    "Add a section", "Tile settings", "Claim for review", "Automated checks",
    "The submitted version", "Rejection reasons", "Note to the brand", "Changes against",
    "Loading…", "Select a tile",
    # Insights, the diff's change badges, system notes and the queue.
    "Daily visitors", "By traffic source", "Download CSV", "Views per visitor", "UTC days",
    ">changed<", ">added<", ">removed<", "Automated checks passed", "(queued)", "Time left",
    "Claim next", "<td>under ", "<td>breached<", "Model name",
)


def english_left(html: str) -> list[str]:
    return [text for text in ENGLISH_UI if text in html]


def test_dutch_pages_carry_no_english_ui_text(seller, moderator):
    from decimal import Decimal

    from catalog.preferences import preferences_set
    from tests import factories
    from tests.documents import home_document, publish, published_document, section, tile
    from tests.i18n.test_languages import queued_submission, set_password, signed_in

    in_stock = factories.ProductFactory(brand=seller.brand, price=Decimal("89.99"),
                                        quantity=3, is_active=True, review_count=12)
    sold_out = factories.ProductFactory(brand=seller.brand, quantity=0, is_active=True)
    document = published_document(seller.brand, home_document(
        section("s1", tile("t1", "product_grid", mode="manual", hide_out_of_stock=False,
                           asins=[in_stock.asin, sold_out.asin])),
        section("s2", tile("t2", "product", asin=in_stock.asin, layout="product_details",
                           hide_out_of_stock=False))))
    store = factories.StoreFactory(brand=seller.brand, slug="acme-nl", marketplace_id="nl",
                                   draft=document)
    publish(store, document)
    submission = queued_submission(store, seller)
    for actor in (seller, moderator):
        set_password(actor.user)
        preferences_set(user=actor.user, language="nl")
    brand_user, moderator_client = signed_in(seller.user), signed_in(moderator.user)

    pages = {
        "store": signed_in(moderator.user).get("/stores/acme-nl/"),
        "builder home": brand_user.get("/builder/"),
        "builder": brand_user.get(f"/builder/stores/{store.pk}/"),
        "review": moderator_client.get(f"/admin/moderation/submission/{submission.pk}/change/"),
        "insights": brand_user.get(f"/builder/stores/{store.pk}/insights/"),
        "queue": moderator_client.get("/admin/moderation/submission/?marketplace=all"),
        "sla report": moderator_client.get("/admin/moderation/submission/sla-report/"),
    }

    assert {name: response.status_code for name, response in pages.items()} == dict.fromkeys(
        pages, 200)
    assert {name: english_left(response.content.decode())
            for name, response in pages.items()} == dict.fromkeys(pages, [])
    assert "€\xa089,99" in pages["store"].content.decode()
    # Numbers are the locale's, but SVG coordinates are not numbers for people.
    chart = pages["insights"].content.decode()
    assert re.search(r'\b(x|y|x1|x2|y1|y2|width|height)="-?\d+,\d', chart) is None
    assert 'class="ins-chart"' in chart
