"""Live stock: the one read path shopper pages use, and the hook every stock write calls.

Every write of Product.quantity or Product.is_active must call `stock_changed(ids)`
after it commits, so that cached stock is refreshed on the very next page view.
Writes of what a product card shows (title, price, Prime, rating, images, deals) call
`product_data_changed(ids)` so that cached pages are rebuilt (they also expire on their own).

How it stays fast: each process keeps an in-memory copy of the stock levels it has read,
tagged with a *generation token*. `stock_changed` replaces the token; a reader compares
the token it holds with the current one (one cache read, or one tiny file read when the
cache is local to each process) and re-reads the database only when it changed. The token
is read *before* the database, so a write that commits meanwhile always bumps a token the
reader has not seen yet: stale stock never survives the next view.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
import threading
import uuid
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connections

from .models import Product

_LOCAL_CACHE_BACKENDS = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


class SharedToken:
    """A token that changes on every `bump()`, as seen by every process of this site.

    Where it lives, in order: the Django cache when it is shared (Redis); a small file when
    the cache is per process but the database is shared (SQLite file, PostgreSQL without
    Redis: gunicorn workers then still see each other's bumps); process memory when the
    database itself is in memory (tests), since nothing else can see that database anyway.
    """

    _memory: dict[str, str] = {}  # noqa: RUF012 - process-wide on purpose

    def __init__(self, name: str):
        self.name = name
        self.cache_key = f"token:{name}"

    def value(self) -> str:
        where = _token_home()
        if where == "memory":
            token = self._memory.get(self.name)
            if token is None:
                token = self._memory.setdefault(self.name, uuid.uuid4().hex)
            return token
        if where == "cache":
            token = cache.get(self.cache_key)
            if token is None:
                cache.add(self.cache_key, uuid.uuid4().hex, timeout=None)
                token = cache.get(self.cache_key) or ""
            return token
        path = os.path.join(where, f"{self.name}.token")
        try:
            # One stat, no read: every bump replaces the file (a new inode, a new mtime
            # and a different size), so the triple changes whenever the token does.
            st = os.stat(path)
        except FileNotFoundError:
            self.bump()
            st = os.stat(path)
        return f"{st.st_ino}.{st.st_mtime_ns}.{st.st_size}"

    def bump(self) -> None:
        token = uuid.uuid4().hex  # random, not a counter: two racing bumps still differ
        where = _token_home()
        if where == "memory":
            self._memory[self.name] = token
        elif where == "cache":
            cache.set(self.cache_key, token, timeout=None)
        else:
            directory = Path(where)
            directory.mkdir(parents=True, exist_ok=True)
            target = directory / f"{self.name}.token"
            try:
                size = target.stat().st_size
            except FileNotFoundError:
                size = 0
            tmp = directory / f"{self.name}.{token}.tmp"
            tmp.write_text(token[: size % 32 + 1])  # size differs from the last one
            os.replace(tmp, target)  # atomic for readers


_home: tuple[object, str] | None = None


def _token_home() -> str:
    """'cache', 'memory' or the directory holding token files (decided once per database)."""
    global _home
    database = connections.settings["default"]  # the dict test set-up renames in place
    name = database.get("NAME")
    if _home is not None and _home[0] == name:
        return _home[1]
    name = str(name or "")
    backend = settings.CACHES["default"]["BACKEND"]
    if backend not in _LOCAL_CACHE_BACKENDS:
        where = "cache"
    elif database["ENGINE"].endswith("sqlite3") and (name == ":memory:" or "mode=memory" in name):
        where = "memory"
    else:
        state_dir = getattr(settings, "STOREFRONT_STATE_DIR", None)
        if state_dir:
            where = str(state_dir)
        else:
            ident = f"{database.get('HOST')}:{database.get('PORT')}/{name}"
            digest = hashlib.sha256(ident.encode()).hexdigest()[:16]
            where = str(Path(tempfile.gettempdir()) / f"storefront-tokens-{digest}")
    _home = (database.get("NAME"), where)
    return where


def read_tokens(*tokens: SharedToken) -> list[str]:
    """The current values of several tokens at once: one round trip when they live in a
    shared cache (what a page view needs), else one stat or dict read each."""
    if _token_home() != "cache":
        return [token.value() for token in tokens]
    found = cache.get_many([token.cache_key for token in tokens])
    return [found.get(token.cache_key) or token.value() for token in tokens]


STOCK = SharedToken("stock")
PRODUCT_DATA = SharedToken("product-data")


class _Levels:
    __slots__ = ("levels", "token")

    def __init__(self, token: str):
        self.token = token
        self.levels: dict[int, tuple[bool, int] | None] = {}


_current = _Levels("")
_lock = threading.Lock()


def stock_changed(product_ids: Iterable[int]) -> None:
    """Called after stock of these products changed (after commit)."""
    STOCK.bump()


def product_data_changed(product_ids: Iterable[int] = ()) -> None:
    """Called after what a product card shows changed (title, price, images, deals)."""
    PRODUCT_DATA.bump()


def product_data_token() -> str:
    """Changes whenever product data changed: part of the key of anything cached from it."""
    return PRODUCT_DATA.value()


def stock_levels(product_ids: Iterable[int]) -> dict[int, tuple[bool, int]]:
    """{product id: (is_active, quantity)} for the given products, as of now.

    Costs one token read; a database query only for products this process has not read
    since the last stock change. Unknown ids are absent from the answer.
    """
    global _current
    token = STOCK.value()
    current = _current
    if current.token != token:
        with _lock:
            if _current.token != token:
                _current = _Levels(token)
            current = _current
    ids = product_ids if isinstance(product_ids, list | tuple | set | frozenset) else list(
        product_ids)
    levels = current.levels
    missing = [pk for pk in ids if pk not in levels]
    if missing:
        fresh = {
            pk: (is_active, quantity)
            for pk, is_active, quantity in Product.objects.filter(pk__in=missing)
            .values_list("pk", "is_active", "quantity")
        }
        for pk in missing:  # remember unknown ids too, so they cost no query next time
            levels[pk] = fresh.get(pk)
    return {pk: level for pk in ids if (level := levels.get(pk)) is not None}
