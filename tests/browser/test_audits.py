"""Audits of what people see, on demo-like data: Lighthouse (accessibility, best practices
and SEO at 100 on a Store page and a product page, mobile) and axe-core (no serious or
critical violation on every kind of page: shoppers', the builder's, the moderators')."""
from __future__ import annotations

import json
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.test import Client

from tests.conftest import CHROMIUM, ON_CI

# The marker makes pytest-django set up the test database even when this module runs
# alone; each test then reads inside a transaction, the live server sees the demo.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

ROOT = Path(__file__).resolve().parents[2]
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# A small catalogue keeps seeding quick; every tile of the demo Stores still has products.
PER_LINE = {"acme-outdoor": 4, "nordic-home": 3, "summit-kids": 1}


def require(path: Path, what: str) -> None:
    """Skip locally with a clear message when a tool is missing; on CI, fail."""
    if path.exists():
        return
    message = f"{what} is missing at {path} (run `npm install`, and install Chromium)"
    if ON_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo Stores, catalogue, a waiting submission and insights, served by a live
    server of this module, with sessions of `seller` and `moderator`; seeded once (it takes
    a while) and flushed afterwards. Not the `live_server` fixture: that one empties the
    database after every test."""
    from django.core.management import call_command
    from django.db import connection
    from django.test import override_settings
    from pytest_django.live_server_helper import LiveServer

    from catalog import demo as catalog_demo
    from catalog import images
    from moderation import demo as moderation_demo
    from stores import demo as stores_demo
    from stores.insights import demo as insights_demo

    name = str(connection.settings_dict["NAME"])
    assert "test" in name or "memory" in name, f"not a test database: {name}"
    live_server = LiveServer("localhost")
    # Through override_settings, so that file storage follows MEDIA_ROOT; the same folder
    # as the per-test settings (tests.conftest._test_settings).
    overridden = override_settings(
        SITE_URL=live_server.url, MEDIA_ROOT=str(tmp_path_factory.getbasetemp() / "media"))
    overridden.enable()
    with django_db_blocker.unblock():
        images.renditions_forget()
        catalog_demo.seed(password="pw", per_line=PER_LINE)
        stores_demo.seed(password="pw")
        moderation_demo.seed(password="pw")
        insights_demo.seed(password="pw")
        sessions = {user: login_cookie(user) for user in ("seller", "moderator")}
    yield {"url": live_server.url, "sessions": sessions}
    live_server.stop()
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
    overridden.disable()


@pytest.fixture
def demo_db(demo, settings):
    settings.SITE_URL = demo["url"]  # the per-test settings fixture would reset it
    return demo


def lighthouse(url: str, output: Path) -> dict:
    """One mobile Lighthouse run of the three asserted categories (performance is not
    asserted, so it is not run). Throttling only shapes performance timings and the full
    page screenshot only illustrates a report: both are off, the audits are the same."""
    subprocess.run(
        [str(LIGHTHOUSE), url, f"--chrome-path={CHROMIUM}",
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
         "--only-categories=accessibility,best-practices,seo",
         "--throttling-method=provided", "--disable-full-page-screenshot",
         "--output=json", f"--output-path={output}", "--quiet"],
        check=True, timeout=240, cwd=output.parent)
    return json.loads(output.read_text())


def failing_audits(report: dict) -> list[str]:
    failing = []
    for name, category in report["categories"].items():
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                failing.append(f"{name}: {ref['id']} ({audit['title']})")
    return failing


def test_lighthouse_scores_a_store_page_and_a_product_page_100(demo_db, tmp_path,
                                                                 artifacts_dir):
    demo = demo_db["url"]
    require(Path(CHROMIUM), "Chromium")
    require(LIGHTHOUSE, "Lighthouse (npm)")
    pages = {"store": "/stores/acme-outdoor/", "product": "/dp/B0AC000001/"}
    # Both pages at once: each run mostly waits on its own Chromium.
    with ThreadPoolExecutor(max_workers=len(pages)) as pool:
        reports = dict(zip(pages, pool.map(
            lambda name: lighthouse(f"{demo}{pages[name]}", tmp_path / f"lighthouse-{name}.json"),
            pages), strict=True))
    for name, report in reports.items():
        scores = {key: category["score"] for key, category in report["categories"].items()}
        (artifacts_dir / f"lighthouse-{name}.json").write_text(json.dumps(scores))
        assert scores == {"accessibility": 1, "best-practices": 1, "seo": 1}, (
            name, failing_audits(report))


def login_cookie(username: str) -> str:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client.cookies["sessionid"].value


def axe_here(page) -> list[dict]:
    """axe on the page as it is now (a dialog or panel open), without navigating."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => ({id: v.id, impact: v.impact,
                        nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")


def axe_violations(page, url: str) -> list[dict]:
    page.goto(url)
    return axe_here(page)


def test_axe_finds_no_serious_violation_on_any_kind_of_page(demo_db, browser, artifacts_dir):
    demo = demo_db["url"]
    require(AXE, "axe-core (npm)")
    from moderation.models import Submission
    from stores.models import Store

    acme = Store.objects.get(slug="acme-outdoor")
    waiting = Submission.objects.filter(store=acme).order_by("-pk").first()
    pages = {
        "store home": ("", "/stores/acme-outdoor/"),
        "store sub-page": ("", "/stores/acme-outdoor/shoes/trail-running/"),
        "product page": ("", "/dp/B0AC000001/"),
        "404 in a Store": ("", "/stores/acme-outdoor/no-such-page/"),
        "404 elsewhere": ("", "/no-such-page/"),
        "builder": ("seller", f"/builder/stores/{acme.pk}/"),
        "insights": ("seller", f"/builder/stores/{acme.pk}/insights/"),
        "moderation queue": ("moderator", "/admin/moderation/submission/"),
        "review page": ("moderator", f"/admin/moderation/submission/{waiting.pk}/change/"),
    }
    found = {}
    # Phone width: where layouts are tightest. The CSP forbids inline scripts: axe is
    # injected past it, for the audit only.
    for user in ("", "seller", "moderator"):
        context = browser.new_context(bypass_csp=True, viewport={"width": 390, "height": 844})
        if user:
            context.add_cookies([{"name": "sessionid", "value": demo_db["sessions"][user],
                                  "url": demo}])
        page = context.new_page()
        for name, (who, path) in pages.items():
            if who == user:
                violations = axe_violations(page, f"{demo}{path}")
                if violations:
                    found[name] = violations
        if user == "moderator":  # the queue on a phone: the deadline is in view
            page.goto(f"{demo}/admin/moderation/submission/?queue=all&marketplace=all")
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            # Each row a card: nothing scrolls sideways inside the list either, and every
            # row's deadline and last column lie within the screen, labelled.
            assert page.evaluate("""() => {
                const box = document.querySelector('#changelist .results');
                return box.scrollWidth <= box.clientWidth;
            }""")
            cells = page.evaluate("""() => Array.from(
                document.querySelectorAll('#result_list tbody tr')).map((row) => {
                    const deadline = row.querySelector('.field-deadline');
                    const last = row.lastElementChild;
                    return {deadline: deadline.getBoundingClientRect().right,
                            last: last.getBoundingClientRect().right,
                            label: deadline.dataset.label,
                            header: getComputedStyle(
                                document.querySelector('#result_list thead')).position};
                })""")
            assert len(cells) >= 2
            assert all(cell["deadline"] <= 390 and cell["last"] <= 390 for cell in cells), cells
            assert {cell["label"] for cell in cells} == {"Deadline"}
            # The column headers stay for screen readers, out of sight.
            assert {cell["header"] for cell in cells} == {"absolute"}
            page.screenshot(path=str(artifacts_dir / "queue-390.png"), full_page=True)
            # A desktop beside the filters: the table, every column in view, none scrolled.
            page.set_viewport_size({"width": 1280, "height": 900})
            page.reload()
            assert page.evaluate("""() => {
                const box = document.querySelector('#changelist .results');
                const last = document.querySelector('#result_list tbody tr').lastElementChild;
                return box.scrollWidth <= box.clientWidth
                    && last.getBoundingClientRect().right <= box.getBoundingClientRect().right
                    && getComputedStyle(document.querySelector('#result_list thead')).position
                        !== 'absolute';
            }""")
            page.screenshot(path=str(artifacts_dir / "queue-1280.png"), full_page=True)
            page.set_viewport_size({"width": 390, "height": 844})
        if not user:  # screenshots of the shopper pages a person lands on
            for name, path in [("product", "/dp/B0AC000001/"),
                               ("404", "/stores/acme-outdoor/no-such-page/")]:
                for width in (390, 1280):
                    page.set_viewport_size({"width": width, "height": 900})
                    page.goto(f"{demo}{path}")
                    page.screenshot(path=str(artifacts_dir / f"{name}-{width}.png"),
                                    full_page=True)
        context.close()
    (artifacts_dir / "axe.json").write_text(json.dumps(found, indent=1))
    assert found == {}


def test_axe_finds_no_serious_violation_in_the_builder_with_each_panel_open(
        demo_db, browser, artifacts_dir):
    """The image library (focal point, replace everywhere), the share links and the version
    history with a schedule form: at phone and desktop width, each open in turn."""
    require(AXE, "axe-core (npm)")
    from stores.models import Store

    demo = demo_db["url"]
    acme = Store.objects.get(slug="acme-outdoor")
    found = {}
    for width in (390, 1280):
        context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 844})
        context.add_cookies([{"name": "sessionid", "value": demo_db["sessions"]["seller"],
                              "url": demo}])
        page = context.new_page()
        page.goto(f"{demo}/builder/stores/{acme.pk}/")
        page.wait_for_selector("#editor.is-ready")
        page.wait_for_selector("#canvas-frame[data-renders]")
        page.screenshot(path=str(artifacts_dir / f"builder-canvas-{width}.png"))

        if width < 900:
            page.click("#open-drawer")
        page.locator("#layers [data-type=image] .tile-name").first.click()
        if width < 900:
            page.wait_for_selector("#settings.is-open")
        page.locator("#settings .replace-box summary").first.click()
        page.locator("#settings .replace-box [data-replace-with]").first.wait_for()
        found[f"image library {width}"] = axe_here(page)
        page.screenshot(path=str(artifacts_dir / f"builder-image-{width}.png"))

        page.click("#share-link")
        page.fill("#share-label", "Agency review")
        page.click("#share-form button[type=submit]")
        page.wait_for_selector("#share-list .revoke-link")
        found[f"share links {width}"] = axe_here(page)
        page.screenshot(path=str(artifacts_dir / f"builder-share-{width}.png"))
        page.click("#close-share")

        page.click("#open-versions")
        page.locator("#versions-list .schedule-version").first.click()
        found[f"versions {width}"] = axe_here(page)
        page.screenshot(path=str(artifacts_dir / f"builder-versions-{width}.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        context.close()
    found = {name: violations for name, violations in found.items() if violations}
    (artifacts_dir / "axe-builder-panels.json").write_text(json.dumps(found, indent=1))
    assert found == {}


def test_the_audit_tools_are_pinned():
    package = json.loads((ROOT / "package.json").read_text())
    versions = {**package.get("dependencies", {}), **package.get("devDependencies", {})}
    assert versions["lighthouse"][0].isdigit() and versions["axe-core"][0].isdigit()
    assert shutil.which("node") or not ON_CI, "Node.js runs Lighthouse on CI"
