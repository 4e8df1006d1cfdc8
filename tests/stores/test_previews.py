"""Preview links: signed, expiring, never cached as the live page, never counted."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import signing

from catalog.models import Product
from stores.previews import SALT, preview_url
from tests.documents import (
    card_html,
    home_document,
    published_document,
    section,
    tile,
)

SUB_PAGE = [{"key": "tents", "parent": "home", "slug": "tents", "title": "Tents",
             "sections": [{"key": "ts1", "layout": "full", "tiles": [
                 {"key": "tt1", "type": "text", "config": {"html": "<p>Tent page</p>"}}]}]}]


@pytest.fixture
def store(make_store, seller, products):
    live = published_document(seller.brand, home_document(
        section("s1", tile("t1", "text", html="<p>Live text</p>"))))
    made = make_store(live)
    made.draft = published_document(seller.brand, home_document(
        section("s1", tile("t1", "text", html="<p>Draft text</p>"),
                tile("t2", "product_grid", mode="manual", asins=[products[0].asin])),
        pages=SUB_PAGE))
    made.save()
    return made


def test_a_draft_preview_renders_the_draft_without_login(client, store):
    response = client.get(preview_url(store=store))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Draft text" in html and "Live text" not in html
    assert "Preview: this is how the Store will look" in html
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "sf_vid" not in response.cookies
    # The live page is untouched by the preview (and vice versa).
    assert "Live text" in client.get("/stores/acme-outdoor/").content.decode()


def test_a_preview_of_a_version_renders_that_version(client, store):
    version = store.published_version
    html = client.get(preview_url(store=store, version=version)).content.decode()
    assert "Live text" in html and "Draft text" not in html


def test_preview_navigation_stays_inside_the_preview(client, store):
    html = client.get(preview_url(store=store)).content.decode()
    links = re.findall(r'href="(/stores/_preview/[^"]+)"', html)
    assert len(links) >= 2
    tents = [link for link in links if client.get(link).status_code == 200
             and "Tent page" in client.get(link).content.decode()]
    assert tents


def test_a_page_of_the_preview_can_be_chosen(client, store):
    html = client.get(preview_url(store=store, page_key="tents")).content.decode()
    assert "Tent page" in html


@pytest.mark.parametrize(("mode", "priced"), [("all_in_stock", True), ("all_out_of_stock", False)])
def test_a_preview_can_pretend_every_product_is_in_or_out_of_stock(client, store, products,
                                                                  mode, priced):
    Product.objects.filter(pk=products[0].pk).update(quantity=0 if priced else 5)
    html = client.get(preview_url(store=store, stock_mode=mode)).content.decode()
    card = card_html(html, products[0].asin)
    assert ("data-price" in card) is priced


def test_an_expired_link_is_refused(client, store):
    response = client.get(preview_url(store=store, expires_in=timedelta(seconds=-1)))
    assert response.status_code == 410
    assert "This preview link has expired" in response.content.decode()
    assert "Draft text" not in response.content.decode()


def test_a_tampered_link_is_refused(client, store):
    url = preview_url(store=store)
    token = url.split("/")[3]
    forged = signing.dumps({**signing.loads(token, salt=SALT), "s": store.pk + 1}, salt="x")
    assert client.get(f"/stores/_preview/{forged}/").status_code == 403
    assert client.get(f"/stores/_preview/{token[:-2]}xx/").status_code == 403


def test_a_preview_is_compiled_afresh_each_time(client, store, seller):
    url = preview_url(store=store)
    assert "Draft text" in client.get(url).content.decode()
    store.draft["pages"][0]["sections"][0]["tiles"][0]["config"]["html"] = "<p>Edited</p>"
    store.save()
    assert "Edited" in client.get(url).content.decode()


def test_previews_are_not_recorded_as_page_views(client, store, monkeypatch):
    calls = []
    monkeypatch.setattr("stores.views.page_view_record", lambda **kw: calls.append(kw))
    client.get(preview_url(store=store))
    assert calls == []
