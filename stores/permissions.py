"""Who may see and change a Store through the builder and its API.

Two rules, each decided in one place elsewhere and only applied here:
- *Seeing* a Store: its brand is one the user acts for (`catalog.selectors.brands_for_user`);
  anyone else gets 404, so another brand's Stores are not even confirmed to exist.
  Moderators are not brand members: they work through the moderation endpoints.
- *Changing* a Store (draft, assets, previews, submissions): `store_eligibility` must allow
  it right now. A seller whose trademark is no longer approved or active keeps read access
  to its Stores (draft, versions, insights) but every write is refused with 403 and the
  reason, until the trademark is approved again.
"""
from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from catalog.selectors import store_eligibility
from config.api import Forbidden

from .models import Store
from .selectors import stores_for_user


def visible_stores(*, user) -> QuerySet[Store]:
    """Stores of the brands the user acts for (stores.selectors.stores_for_user)."""
    return stores_for_user(user=user)


def store_for_user(*, user, store_id: int) -> Store:
    """The Store if the user acts for its brand; Http404 otherwise."""
    store = visible_stores(user=user).filter(pk=store_id).first()
    if store is None:
        raise Http404("No such Store.")
    return store


def require_store_write(*, user, store: Store) -> None:
    """Raises config.api.Forbidden (403, with the eligibility code and reason) unless the
    user may change this Store now."""
    eligibility = store_eligibility(user=user, brand=store.brand)
    if not eligibility.allowed:
        raise Forbidden(eligibility.reason, code=eligibility.code)
