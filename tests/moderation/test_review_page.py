"""The review page shows each change before and after: text with word-level marks, images
side by side, products added by name, a new sub-page with its own previews; findings are
labelled as automated and linked to their tile; reason rows grow as needed."""
from __future__ import annotations

import copy
import re

import pytest
from django.utils import timezone

from moderation.models import CheckFinding, RejectionReason, SubmissionStatus
from stores.models import StoreVersion
from tests import factories

QUEUE = "/admin/moderation/submission/"


@pytest.fixture
def mod_client(client, moderator):
    client.force_login(moderator.user)
    return client


def image_asset(seller, color):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from stores.assets import asset_create

    buffer = io.BytesIO()
    Image.new("RGB", (1200, 600), color).save(buffer, "PNG")
    return asset_create(brand=seller.brand, user=seller.user, upload=SimpleUploadedFile(
        f"banner-{color[0]}.png", buffer.getvalue(), content_type="image/png"))


def test_the_review_page_shows_each_change_before_and_after(
        mod_client, store, seller, products, make_submission):
    old_image, new_image = image_asset(seller, (200, 40, 40)), image_asset(seller, (40, 40, 200))
    extra = factories.ProductFactory(brand=seller.brand, title="Storm shelter 2")
    live_document = copy.deepcopy(store.draft)
    live_document["pages"][0]["sections"][0]["tiles"].append(
        {"key": "t9", "type": "image", "config": {"asset": old_image.pk, "alt": "Red banner"}})
    live = StoreVersion.objects.create(store=store, number=1, document=live_document,
                                       source_revision=1, approved_at=timezone.now())
    store.published_version = live
    store.save()
    submitted = copy.deepcopy(live_document)
    tiles = submitted["pages"][0]["sections"][0]["tiles"]
    tiles[1]["config"]["html"] = "<p>Built for the mountain trail.</p>"
    tiles[2]["config"]["asset"] = new_image.pk
    tiles[0]["config"]["asins"].append(extra.asin)
    submitted["pages"].append({"key": "p3", "parent": "home", "slug": "sale", "title": "Sale",
                               "sections": [{"key": "s9", "layout": "full", "tiles": [
                                   {"key": "t10", "type": "text",
                                    "config": {"html": "<h2>Winter sale</h2>"
                                                       "<p>Warm layers</p>"}}]}]})
    submission = make_submission(SubmissionStatus.QUEUED, document=submitted,
                                 checks_finished_at=timezone.now())
    CheckFinding.objects.create(submission=submission, check_name="typos", severity="warning",
                                page="home", tile="t2", message="Possible typo")

    page = mod_client.get(f"{QUEUE}{submission.pk}/change/").content.decode()

    text = re.search(r'data-diff-tile="t2".*?</article>', page, re.S).group(0)
    assert "Text" in text and "<ins>mountain</ins>" in text
    assert "Built for the" in text and "<del>" not in text  # nothing was removed
    image = re.search(r'data-diff-tile="t9".*?</article>', page, re.S).group(0)
    assert image.count('class="diff-image"') == 2  # before and after, side by side
    assert old_image.file.url in image and new_image.file.url in image
    assert image.index(old_image.file.url) < image.index(new_image.file.url)
    grid = re.search(r'data-diff-tile="t1".*?</article>', page, re.S).group(0)
    assert "data-products-added" in grid and "Storm shelter 2" in grid
    assert "data-products-removed" not in grid
    # The new sub-page: named by its title, previewed, its tile listed as added.
    assert 'data-diff-page="p3"' in page and "Page “Sale”" in page
    added = re.search(r'data-diff-tile="t10".*?</article>', page, re.S).group(0)
    assert "<ins>Winter sale Warm layers</ins>" in added  # a heading and its paragraph apart
    assert 'data-preview-page="p3"' in page and 'data-preview-page="home"' in page
    assert 'data-preview-page="p2"' not in page  # unchanged pages are not previewed
    assert re.search(r'data-changed-tiles="t1 t2 t9"', page)
    # Findings are labelled as automated and lead to their tile.
    finding = re.search(r'data-finding="typos".*?</li>', page, re.S).group(0)
    assert "Automated" in finding and 'href="#diff-tile-t2"' in finding
    # Deadlines carry their zone (and are rewritten in the reader's own by the script).
    assert re.search(r'<time class="mod-time" datetime="[^"]+">[^<]+ UTC</time>', page)
    # One empty reason row to start with; the tile list names tiles by page, type, heading.
    assert 'name="reason-0-code"' in page and 'name="reason-1-code"' not in page
    assert "Sale · Text “Winter sale”" in page


def test_a_rejection_takes_as_many_reason_rows_as_were_added(mod_client, make_submission):
    submission = make_submission(SubmissionStatus.QUEUED)

    mod_client.post(f"{QUEUE}{submission.pk}/reject/", {
        **{f"reason-{i}-code": "typos" for i in range(6)},
        **{f"reason-{i}-tile": "t2" for i in range(6)},
        **{f"reason-{i}-note": f"typo {i}" for i in range(6)}, "note": ""})

    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.REJECTED
    assert RejectionReason.objects.filter(submission=submission).count() == 6
