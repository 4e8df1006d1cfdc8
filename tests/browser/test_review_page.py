"""The review page in Chromium: a click on a change scrolls the preview to its tile, the
changed tiles are outlined, reason rows are added as needed and a rejection is confirmed;
nothing is cut off or broken at 390 px."""
from __future__ import annotations

import copy
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from moderation.models import CheckFinding, RejectionReason, Submission, SubmissionStatus
from stores.assets import asset_create
from stores.models import StoreVersion
from tests import factories

pytestmark = pytest.mark.browser


def banner(seller, color):
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 600), color).save(buffer, "PNG")
    return asset_create(brand=seller.brand, user=seller.user, upload=SimpleUploadedFile(
        f"banner-{color[0]}.png", buffer.getvalue(), content_type="image/png"))


@pytest.fixture
def review(transactional_db, seller, live_server):
    """A live version and a submission that changes a text, swaps an image, adds a product
    and adds a sub-page; a finding on the text; a moderator who has claimed it."""
    products = [factories.ProductFactory(brand=seller.brand, title=f"Ridge tent {i}",
                                         asin=f"B7{i:08d}", quantity=5) for i in range(4)]
    red, blue = banner(seller, (190, 40, 40)), banner(seller, (30, 60, 170))
    live = {"name": "Acme Outdoor", "theme": {"accent_color": "#0a7d5a"}, "pages": [
        {"key": "home", "parent": None, "slug": "", "title": "Home", "sections": [
            {"key": "s1", "layout": "full", "tiles": [
                {"key": "hero", "type": "image",
                 "config": {"asset": red.pk, "alt": "Tents at dusk"}}]},
            {"key": "s2", "layout": "full", "tiles": [
                {"key": "intro", "type": "text", "config": {
                    "html": "<h2>Built for the trail</h2><p>Light tents for long walks in "
                            "every season of the year.</p>"}}]},
            {"key": "s3", "layout": "full", "tiles": [
                {"key": "grid", "type": "product_grid", "config": {
                    "mode": "manual", "title": "Staff picks",
                    "asins": [p.asin for p in products[:3]], "hide_out_of_stock": False}}]},
        ]}]}
    submitted = copy.deepcopy(live)
    home = submitted["pages"][0]["sections"]
    home[0]["tiles"][0]["config"]["asset"] = blue.pk
    home[1]["tiles"][0]["config"]["html"] = (
        "<h2>Built for the trail</h2><p>Light, storm-proof tents for long walks in every "
        "season.</p>")
    home[2]["tiles"][0]["config"]["asins"].append(products[3].asin)
    submitted["pages"].append({"key": "sale", "parent": "home", "slug": "sale",
                               "title": "Autumn sale", "sections": [
                                   {"key": "s9", "layout": "full", "tiles": [
                                       {"key": "sale-text", "type": "text", "config": {
                                           "html": "<h2>Up to 30% off</h2>"}}]}]})
    store = factories.StoreFactory(brand=seller.brand, name="Acme Outdoor", slug="acme-outdoor",
                                   draft=submitted, revision=2)
    live_version = StoreVersion.objects.create(store=store, number=1, document=live,
                                               source_revision=1, approved_at=timezone.now())
    store.published_version = live_version
    store.save()
    version = StoreVersion.objects.create(store=store, number=2, document=submitted,
                                          source_revision=2, created_by=seller.user)
    moderator = factories.UserFactory(username="mod_browser", is_staff=True)
    moderator.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    now = timezone.now()
    submission = Submission.objects.create(
        store=store, version=version, submitted_by=seller.user, submitted_at=now,
        wait_started_at=now, queue_at=now + timedelta(hours=72),
        sla_deadline=now + timedelta(hours=72), status=SubmissionStatus.IN_REVIEW,
        claimed_by=moderator, claim_expires_at=now + timedelta(minutes=30),
        checks_started_at=now, checks_finished_at=now)
    CheckFinding.objects.create(submission=submission, check_name="typos", severity="warning",
                                page="home", tile="intro", message="Possible typo: “storm-proof”")
    client = Client()
    client.force_login(moderator)
    return submission, client.cookies["sessionid"].value


def open_review(browser, live_server, review, width):
    submission, session = review
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/moderation/submission/{submission.pk}/change/")
    return context, page


def test_a_click_on_a_change_scrolls_its_preview_to_the_outlined_tile(
        browser, live_server, review, artifacts_dir):
    context, page = open_review(browser, live_server, review, 1280)
    # Every changed page has its previews: the home page and the new sub-page.
    assert page.locator('[data-preview-page="home"] iframe').count() == 2
    assert page.locator('[data-preview-page="sale"] iframe').count() == 2
    phone = page.frame_locator('[data-preview-page="home"] iframe[data-frame="phone"]')
    page.locator('[data-preview-page="home"]').scroll_into_view_if_needed()
    outlined = phone.locator('[data-tile="grid"]')
    outlined.wait_for()
    page.wait_for_function("""() => {
        const f = document.querySelector('[data-preview-page="home"] iframe[data-frame="phone"]');
        return f.contentDocument && f.contentDocument.querySelector(
            '[data-tile="grid"].sf-review-changed');
    }""")

    page.locator('[data-diff-tile="grid"] [data-show-tile]').click()

    # The phone preview scrolled inside its frame so the product grid is in view.
    page.wait_for_function("""() => {
        const f = document.querySelector('[data-preview-page="home"] iframe[data-frame="phone"]');
        const tile = f.contentDocument.querySelector('[data-tile="grid"]');
        const box = tile.getBoundingClientRect();
        return box.top < f.clientHeight && box.bottom > 0 && f.contentWindow.scrollY > 0;
    }""")
    page.screenshot(path=str(artifacts_dir / "review-1280.png"), full_page=True)
    context.close()


def test_reason_rows_are_added_as_needed_and_a_rejection_is_confirmed(
        browser, live_server, review):
    submission, _session = review
    context, page = open_review(browser, live_server, review, 1280)
    form = page.locator("form.mod-reject")
    assert form.locator("fieldset").count() == 1
    form.locator("[data-add-reason]").click()
    form.locator("[data-add-reason]").click()
    assert form.locator("fieldset").count() == 3
    # The tile is picked from a list naming page, type and heading.
    options = form.locator('select[name="reason-2-tile"] option').all_inner_texts()
    assert "Autumn sale · Text “Up to 30% off” (added)" in options
    form.locator('select[name="reason-0-code"]').select_option("typos")
    form.locator('select[name="reason-0-tile"]').select_option("intro")
    form.locator('select[name="reason-2-code"]').select_option("low_quality_image")
    form.locator('select[name="reason-2-tile"]').select_option("hero")

    # Dismissing the confirmation sends nothing.
    page.once("dialog", lambda dialog: dialog.dismiss())
    form.locator('button[type="submit"]').click()
    page.wait_for_timeout(300)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.IN_REVIEW

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        form.locator('button[type="submit"]').click()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.REJECTED
    assert sorted(RejectionReason.objects.filter(submission=submission)
                  .values_list("code", "tile")) == [("low_quality_image", "hero"),
                                                     ("typos", "intro")]
    context.close()


def test_the_review_page_fits_a_phone(browser, live_server, review, artifacts_dir):
    context, page = open_review(browser, live_server, review, 390)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The deadline is shown in the reader's own time zone, with the zone named.
    # (The moderator chose no zone: the site's, UTC.)
    deadline = page.locator(".mod-summary time.mod-time").nth(1)
    assert deadline.is_visible() and deadline.inner_text().endswith(" UTC")
    assert deadline.bounding_box()["x"] + deadline.bounding_box()["width"] <= 390
    # Changes and their before/after columns are not cut off.
    for selector in ["[data-diff-tile]", ".diff-side", ".diff-item__title"]:
        for box in page.eval_on_selector_all(
                selector, "els => els.map(e => e.getBoundingClientRect().right)"):
            assert box <= 390
    page.screenshot(path=str(artifacts_dir / "review-390.png"), full_page=True)
    context.close()
