"""The Store admin pages: readable by staff, not editable."""
from __future__ import annotations

from tests import factories
from tests.documents import home_document, publish


def test_an_admin_sees_stores_and_versions_but_cannot_edit_them(client, make_store):
    store = make_store(home_document())
    admin = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    listing = client.get("/admin/stores/store/")
    assert listing.status_code == 200
    assert "acme-outdoor" in listing.content.decode()
    detail = client.get(f"/admin/stores/store/{store.pk}/change/").content.decode()
    assert "/stores/acme-outdoor/" in detail
    assert 'name="_save"' not in detail
    version = publish(store, home_document(name="Second"))
    page = client.get(f"/admin/stores/storeversion/{version.pk}/change/")
    assert page.status_code == 200
    assert "Second" in page.content.decode()
    assert client.get("/admin/stores/store/add/").status_code == 403
