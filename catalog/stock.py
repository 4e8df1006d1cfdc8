"""Live stock and catalogue freshness: versions derived from the database, mirrored for speed.

The design (one design for "stock is never shown wrong" and "fast under write traffic"):

* **The truth is in the database.** Every brand has two counters, `Brand.stock_version`
  and `Brand.catalog_version`. A write of stock (quantity, is_active) bumps the brand's
  `stock_version` *in the same transaction* (`stock_changed`); a write of what a card shows
  or a tile ranks by (title, price, rating, images, deals, sales ranks, new products) bumps
  `catalog_version` and stamps each written product's `data_version` with the new value
  (`product_data_changed`). Brand rows are locked in id order after the product rows, so
  two writers of one brand serialise and every commit yields a larger number: what changed
  in a brand since version V is exactly `data_version > V`.
* **Readers compare numbers.** A page remembers the versions it was built from. One look
  per view answers "did anything of this brand change?" for every brand the view needs:
  with Redis, the values pushed to this process since it last looked (one non-blocking
  poll; a round trip only for keys not watched yet or trusted no longer: see
  catalog.pushed_versions), one small file read per brand (embedded: SQLite file, or any
  database with a per-process cache) or a dict (an in-memory test database). Other
  brands' writes never move this brand's numbers, so they cost a page nothing.
* **The mirror may be wrong for a moment, never for long.** Mirrored values are written
  after commit with a compare-and-raise (a number never goes down, so a slow writer or a
  reader refilling from the database cannot undo a newer value) and expire after
  VERSION_TTL seconds. A bump lost to a cache outage (the write committed, the mirror was
  unreachable) therefore lasts at most VERSION_TTL; the writer also retries its lost bumps
  on its next contact with the mirror, and a process that saw the mirror fail reads the
  database for VERSION_TTL after its last failure, then repairs the mirror.
* **An outage costs speed, not answers.** While Redis is down, readers take versions from
  the database (one primary-key query per view) and stock from process memory revalidated
  by them; writers commit and answer what happened (never a 500 after a commit).

Stock levels themselves are kept in process memory per brand, tagged with the brand's
`stock_version`: while it stands still, the page's stock costs nothing; when it moves,
the page's products are read again (one query), and a page whose products did not change
keeps its assembled bytes (see stores.rendering.live).
"""
from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import tempfile
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import OuterRef, Subquery

from .models import Brand, Product

logger = logging.getLogger(__name__)

# Seconds a mirrored version lives: the longest a bump lost to a cache outage can hide a
# change. Every expiry costs one primary-key query per brand, cluster-wide.
VERSION_TTL = 2.0
# While the mirror fails, how often a reader tries it again.
PROBE_EVERY = 0.5
_CHUNK = 2_000

_LOCAL_CACHE_BACKENDS = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@dataclass(frozen=True, slots=True)
class BrandVersions:
    stock: int
    catalog: int


# --- where shared values live --------------------------------------------------------

_home: tuple[object, str] | None = None


def _token_home() -> str:
    """'cache', 'memory' or the directory holding shared files (decided once per database).

    The Django cache when it is shared (Redis); small files when the cache is per process
    but the database is shared (SQLite file, PostgreSQL without Redis: gunicorn workers
    then still see each other's bumps); process memory when the database itself is in
    memory (tests), since nothing else can see that database anyway.
    """
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


class SharedToken:
    """A token that changes on every `bump()`, as seen by every process of this site
    (used for Store routes, which change rarely; catalogue freshness uses versions)."""

    _memory: dict[str, str] = {}  # noqa: RUF012 - process-wide on purpose

    def __init__(self, name: str):
        self.name = name

    def value(self) -> str:
        where = _token_home()
        if where == "memory":
            token = self._memory.get(self.name)
            if token is None:
                token = self._memory.setdefault(self.name, uuid.uuid4().hex)
            return token
        if where == "cache":
            # In Redis next to the brands' versions, so that a view reads both in one
            # round trip (`versions_and_tokens`).
            try:
                return _fresh.get().token_get(self.name)
            except MirrorDown:
                logger.warning("shared token %s unreadable: the cache is unreachable", self.name)
                return _unreachable()
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
            try:
                _fresh.get().token_set(self.name, token)
            except MirrorDown:  # readers meanwhile cannot trust the cache either
                logger.warning("shared token %s not bumped: the cache is unreachable", self.name)
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


def _unreachable() -> str:
    return f"unreachable-{uuid.uuid4().hex}"  # matches nothing held


def read_tokens(*tokens: SharedToken) -> list[str]:
    """The current values of several tokens at once: one round trip when they live in a
    shared cache, else one stat or dict read each."""
    return versions_and_tokens((), tokens)[1]


# --- the version mirror ---------------------------------------------------------------


class MirrorDown(Exception):
    """The shared mirror of versions could not be reached."""


# Raise each key to at least the given (stock, catalog) pair, (re)start its expiry and
# publish the value it now holds on the key's channel (catalog.pushed_versions).
# ARGV: the pairs, then the expiry in ms, then the channels' prefix.
_RAISE_LUA = """
local channels = ARGV[#ARGV]
local ttl = ARGV[#ARGV - 1]
local held = {}
for i, key in ipairs(KEYS) do
  local s = tonumber(ARGV[2 * i - 1])
  local c = tonumber(ARGV[2 * i])
  local current = redis.call('GET', key)
  if current then
    local cs, cc = string.match(current, '(%d+):(%d+)')
    if tonumber(cs) > s then s = tonumber(cs) end
    if tonumber(cc) > c then c = tonumber(cc) end
  end
  local value = string.format('%d:%d', s, c)
  redis.call('SET', key, value, 'PX', ttl)
  redis.call('PUBLISH', channels .. key, value)
  held[i] = value
end
return held
"""

# The keys' values and their remaining lives in ms (-1: none), as one flat list.
_READ_LUA = """
local out = {}
for i, key in ipairs(KEYS) do
  out[2 * i - 1] = redis.call('GET', key)
  out[2 * i] = redis.call('PTTL', key)
end
return out
"""

# A shared token's new value, published; with ARGV[2] == 'nx', only if it has none yet.
# Returns the value it holds.
_SHARED_VALUE_SET_LUA = """
if ARGV[2] == 'nx' then
  local current = redis.call('GET', KEYS[1])
  if current then return current end
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('PUBLISH', ARGV[3] .. KEYS[1], ARGV[1])
return ARGV[1]
"""


class _RedisMirror:
    def __init__(self) -> None:
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        from .pushed_versions import PushedVersions

        self._errors = (redis.exceptions.RedisError, OSError)
        self.client = redis.Redis.from_url(
            settings.REDIS_URL, socket_timeout=0.25, socket_connect_timeout=0.25,
            retry_on_timeout=False)
        self.prefix = f"{settings.CACHES['default'].get('KEY_PREFIX', '')}:bv:"
        self.token_prefix = f"{settings.CACHES['default'].get('KEY_PREFIX', '')}:token:"
        self._raise = self.client.register_script(_RAISE_LUA)
        self._read = self.client.register_script(_READ_LUA)
        self._shared_value_set = self.client.register_script(_SHARED_VALUE_SET_LUA)
        # Its own connection, never silently re-made: a reconnect could have missed pushes.
        self.pushes = PushedVersions(
            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=0.25,
                                 socket_connect_timeout=0.25, retry=Retry(NoBackoff(), 0)),
            ttl=lambda: VERSION_TTL)
        self.answered_locally = False

    def read(self, brand_ids: list[int], tokens: tuple[str, ...] = ()
             ) -> dict[int, tuple[int, int]]:
        """The brands' versions found; with `tokens` (names), also their values
        (`self.tokens_read`, None for a token never set). From pushes already received
        when they cover every key, else in one round trip (`self.answered_locally`)."""
        keys = [f"{self.prefix}{pk}" for pk in brand_ids]
        keys.extend(f"{self.token_prefix}{name}" for name in tokens)
        now = time.monotonic()
        values = self.pushes.lookup(keys, now)
        missing = [key for key in keys if key not in values]
        self.answered_locally = not missing
        if missing:
            watched = self.pushes.watch(missing)  # subscribed before the read is sent
            try:
                reply = self._read(keys=missing)
            except self._errors as exc:
                raise MirrorDown(str(exc)) from exc
            read = {key: (reply[2 * i], reply[2 * i + 1]) for i, key in enumerate(missing)}
            self.pushes.learn(read, watched, now)
            values.update((key, value) for key, (value, _) in read.items())
        found = {}
        for pk, key in zip(brand_ids, keys, strict=False):
            value = values.get(key)
            if value is not None:
                stock_v, _, catalog_v = value.partition(b":")
                found[pk] = (int(stock_v), int(catalog_v))
        self.tokens_read = [value.decode() if (value := values.get(key)) is not None else None
                            for key in keys[len(brand_ids):]]
        return found

    def _set_token(self, name: str, value: str, *, only_new: bool) -> str:
        key = f"{self.token_prefix}{name}"
        try:
            held = self._shared_value_set(keys=[key], args=[
                value, "nx" if only_new else "", self.pushes.channel_prefix])
            self.client.ping()  # the pushes are out before the caller goes on
        except self._errors as exc:
            raise MirrorDown(str(exc)) from exc
        self.pushes.wrote({key: held}, time.monotonic())
        return held.decode()

    def token_get(self, name: str) -> str:
        self.read([], (name,))
        value = self.tokens_read[0]
        if value is None:
            value = self._set_token(name, uuid.uuid4().hex, only_new=True)
        return value

    def token_set(self, name: str, value: str) -> None:
        self._set_token(name, value, only_new=False)

    def raise_to(self, values: dict[int, tuple[int, int]]) -> None:
        keys = [f"{self.prefix}{pk}" for pk in values]
        args: list[int | str] = [n for pair in values.values() for n in pair]
        try:
            held = self._raise(keys=keys, args=[*args, int(VERSION_TTL * 1000),
                                                self.pushes.channel_prefix])
            # Redis answers this in a later turn of its loop than the one that wrote the
            # pushes: once it returns, every subscriber's socket holds them.
            self.client.ping()
        except self._errors as exc:
            raise MirrorDown(str(exc)) from exc
        self.pushes.wrote(dict(zip(keys, held, strict=True)), time.monotonic())


class _FileMirror:
    """One small file per brand in a directory every process of this site shares."""

    def __init__(self, directory: str) -> None:
        self.directory = Path(directory) / "brand-versions"
        self.directory.mkdir(parents=True, exist_ok=True)
        self.base = str(self.directory)
        # What this process last read per brand, keyed by the file's identity: every
        # write replaces the file (a new inode), so one stat per view tells whether the
        # numbers moved, and the file is opened only when they did.
        self.seen: dict[int, tuple[int, int, tuple[int, int]]] = {}

    def read(self, brand_ids: list[int]) -> dict[int, tuple[int, int]]:
        found = {}
        oldest = time.time_ns() - int(VERSION_TTL * 1e9)
        for pk in brand_ids:
            path = f"{self.base}/{pk}.v"
            try:
                st = os.stat(path)
                if st.st_mtime_ns < oldest:
                    continue  # expired: the database answers
                seen = self.seen.get(pk)
                if seen is not None and seen[0] == st.st_ino and seen[1] == st.st_mtime_ns:
                    found[pk] = seen[2]
                    continue
                with open(path, "rb") as handle:
                    stock_v, _, catalog_v = handle.read().partition(b":")
                found[pk] = (int(stock_v), int(catalog_v))
                if len(self.seen) > 100_000:
                    self.seen.clear()
                self.seen[pk] = (st.st_ino, st.st_mtime_ns, found[pk])
            except (FileNotFoundError, ValueError):
                continue
        return found

    def raise_to(self, values: dict[int, tuple[int, int]]) -> None:
        for pk, (stock_v, catalog_v) in values.items():
            path = self.directory / f"{pk}.v"
            with open(self.directory / f"{pk}.lock", "a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)  # read-raise-write by one process at a time
                try:
                    with open(path, "rb") as handle:
                        old_s, _, old_c = handle.read().partition(b":")
                    stock_v, catalog_v = max(stock_v, int(old_s)), max(catalog_v, int(old_c))
                except (FileNotFoundError, ValueError):
                    pass
                tmp = path.with_suffix(f".{uuid.uuid4().hex}.tmp")
                tmp.write_bytes(f"{stock_v}:{catalog_v}".encode())
                os.replace(tmp, path)  # atomic for readers; a fresh mtime restarts expiry


class _MemoryMirror:
    """An in-memory database is seen by this process only: a dict is shared enough."""

    def __init__(self) -> None:
        self.values: dict[int, tuple[int, int, float]] = {}

    def read(self, brand_ids: list[int]) -> dict[int, tuple[int, int]]:
        oldest = time.monotonic() - VERSION_TTL
        return {pk: (v[0], v[1]) for pk in brand_ids
                if (v := self.values.get(pk)) is not None and v[2] >= oldest}

    def raise_to(self, values: dict[int, tuple[int, int]]) -> None:
        now = time.monotonic()
        for pk, (stock_v, catalog_v) in values.items():
            old = self.values.get(pk, (0, 0, 0.0))
            self.values[pk] = (max(stock_v, old[0]), max(catalog_v, old[1]), now)


class _Freshness:
    """This process's view of the mirror: the mirror itself, whether it failed lately,
    bumps it could not deliver yet."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.mirror = None
        self.key: tuple | None = None
        self.down_until = 0.0  # read the database, not the mirror, until then
        self.next_probe = 0.0
        self.pending: dict[int, tuple[int, int]] = {}
        self.counters = {"mirror_reads": 0, "pushed_reads": 0, "database_reads": 0,
                         "mirror_failures": 0}

    def get(self):
        where = _token_home()
        key = (where, os.getpid(), getattr(settings, "REDIS_URL", ""))
        if self.key != key:
            with self.lock:
                if where == "cache":
                    self.mirror = _RedisMirror()
                elif where == "memory":
                    self.mirror = _MemoryMirror()
                else:
                    self.mirror = _FileMirror(where)
                self.key = key
                self.pending.clear()
        return self.mirror

    def failed(self, exc: Exception) -> None:
        now = time.monotonic()
        if isinstance(self.mirror, _RedisMirror):
            self.mirror.pushes.reset()  # nothing learned through a failing Redis counts
        self.counters["mirror_failures"] += 1
        self.down_until = now + VERSION_TTL
        self.next_probe = now + PROBE_EVERY
        logger.warning("version mirror unreachable, reading versions from the database: %s",
                       exc)

    def deliver(self, values: dict[int, tuple[int, int]]) -> None:
        """Raise the mirror to `values` (plus anything still pending); never raises."""
        mirror = self.get()
        with self.lock:
            merged = dict(self.pending)
            self.pending.clear()
        for pk, (stock_v, catalog_v) in values.items():
            old = merged.get(pk, (0, 0))
            merged[pk] = (max(stock_v, old[0]), max(catalog_v, old[1]))
        if not merged:
            return
        try:
            mirror.raise_to(merged)
        except MirrorDown as exc:
            with self.lock:
                for pk, (stock_v, catalog_v) in merged.items():
                    old = self.pending.get(pk, (0, 0))
                    self.pending[pk] = (max(stock_v, old[0]), max(catalog_v, old[1]))
            self.failed(exc)


_fresh = _Freshness()


def freshness_counters() -> dict[str, int]:
    """How this process answered version reads (the mirror, the database) and how often the
    mirror failed: for tests and benchmarks."""
    return dict(_fresh.counters)


def forget_process_state() -> None:
    """Forget everything this process remembers (stock levels, mirror state): for tests,
    whose rolled-back transactions reuse row ids and version numbers."""
    global _home
    _levels.clear()
    _home = None
    if isinstance(_fresh.mirror, _RedisMirror):
        _fresh.mirror.pushes.reset()
    _fresh.key = None
    _fresh.pending.clear()
    _fresh.down_until = _fresh.next_probe = 0.0
    for name in _fresh.counters:
        _fresh.counters[name] = 0


def brand_versions(brand_ids: Iterable[int]) -> dict[int, BrandVersions]:
    """The current versions of these brands: one mirror read; the database answers for
    brands the mirror lacks (expired) and for all of them while the mirror fails. The
    mirror is read *before* what it guards, so a write committing meanwhile can only make
    what the caller builds look older than it is."""
    return versions_and_tokens(brand_ids, ())[0]


def versions_and_tokens(brand_ids: Iterable[int], tokens: Iterable[SharedToken]
                        ) -> tuple[dict[int, BrandVersions], list[str]]:
    """`brand_versions` and the values of shared tokens, in one look when both live in
    Redis (a shopper view's whole freshness check: what was pushed, or one round trip)."""
    ids = list(dict.fromkeys(brand_ids))
    tokens = tuple(tokens)
    if not ids and not tokens:
        return {}, []
    mirror = _fresh.get()
    found: dict[int, tuple[int, int]] = {}
    values: list[str | None] = [None] * len(tokens)
    now = time.monotonic()
    mirror_ok = now >= _fresh.down_until
    if isinstance(mirror, _RedisMirror) and not mirror_ok:
        values = [_unreachable() for _ in tokens]  # the mirror failed lately: trust none
    elif not isinstance(mirror, _RedisMirror):
        values = [token.value() for token in tokens]
    if mirror_ok and (ids or None in values):
        try:
            if isinstance(mirror, _RedisMirror):
                found = mirror.read(ids, tuple(token.name for token in tokens))
                values = mirror.tokens_read
                _fresh.counters["pushed_reads" if mirror.answered_locally
                                else "mirror_reads"] += 1
            else:
                found = mirror.read(ids)
                _fresh.counters["mirror_reads"] += 1
            if _fresh.pending:
                _fresh.deliver({})
        except MirrorDown as exc:
            _fresh.failed(exc)
            mirror_ok = False
            values = [_unreachable() for _ in tokens]
    # A token never set yet (or just evicted): set and read on its own, rarely.
    values = [value if value is not None else token.value()
              for token, value in zip(tokens, values, strict=True)]
    if not ids:
        return {}, values
    missing = [pk for pk in ids if pk not in found]
    if missing:
        _fresh.counters["database_reads"] += 1
        fresh = {pk: (stock_v, catalog_v) for pk, stock_v, catalog_v in
                 Brand.objects.filter(pk__in=missing).order_by()
                 .values_list("pk", "stock_version", "catalog_version")}
        found.update(fresh)
        if fresh and (mirror_ok or now >= _fresh.next_probe):
            _fresh.next_probe = now + PROBE_EVERY
            _fresh.deliver(fresh)  # refill (or repair after an outage) the mirror
    return {pk: BrandVersions(*found[pk]) for pk in ids if pk in found}, values


# --- bumping (writers) ----------------------------------------------------------------


def _after_commit(func) -> None:
    """Run `func` once the caller's transaction commits; at once outside a transaction
    (a test case's own wrapping transaction counts as outside, as for durable blocks)."""
    blocks = connection.atomic_blocks
    if not connection.in_atomic_block or all(b._from_testcase for b in blocks):
        func()
    else:
        transaction.on_commit(func, robust=True)


def _bump(product_ids: Iterable[int], *, stock: bool, catalog: bool,
          brand_ids: Iterable[int] | None = None) -> dict[int, tuple]:
    ids = sorted({int(pk) for pk in product_ids})
    if not ids:
        return {}
    if brand_ids is None:
        found: set[int] = set()
        for start in range(0, len(ids), _CHUNK):
            found.update(Product.objects.filter(pk__in=ids[start:start + _CHUNK])
                         .order_by().values_list("brand_id", flat=True).distinct())
        brand_ids = found
    brands = sorted({int(pk) for pk in brand_ids})
    if not brands:
        return {}
    with transaction.atomic(savepoint=False):
        values = _raise_brand_versions(brands, stock=stock, catalog=catalog)
        if catalog:
            version = Subquery(Brand.objects.filter(pk=OuterRef("brand_id"))
                               .values("catalog_version")[:1])
            for start in range(0, len(ids), _CHUNK):
                Product.objects.filter(pk__in=ids[start:start + _CHUNK]).update(
                    data_version=version)
    _after_commit(lambda: _fresh.deliver(values))
    return values


def _raise_brand_versions(brand_ids: list[int], *, stock: bool,
                          catalog: bool) -> dict[int, tuple[int, int]]:
    """+1 on the brands' counters, in one statement that returns the new values. On
    PostgreSQL the rows are locked in id order first (after the product rows the caller
    wrote), so two writers never deadlock; SQLite has one writer at a time."""
    table = Brand._meta.db_table
    sets = []
    if stock:
        sets.append("stock_version = stock_version + 1")
    if catalog:
        sets.append("catalog_version = catalog_version + 1")
    assignments = ", ".join(sets)
    placeholders = ", ".join(["%s"] * len(brand_ids))
    if connection.vendor == "postgresql":
        sql = (f'UPDATE "{table}" AS b SET {assignments.replace("= ", "= b.")} '  # noqa: S608
               f'FROM (SELECT id FROM "{table}" WHERE id IN ({placeholders}) '
               "ORDER BY id FOR UPDATE) AS locked WHERE b.id = locked.id "
               "RETURNING b.id, b.stock_version, b.catalog_version")
    else:
        sql = (f'UPDATE "{table}" SET {assignments} WHERE id IN ({placeholders}) '  # noqa: S608
               "RETURNING id, stock_version, catalog_version")
    with connection.cursor() as cursor:
        cursor.execute(sql, brand_ids)
        return {pk: (stock_v, catalog_v) for pk, stock_v, catalog_v in cursor.fetchall()}


def stock_changed(product_ids: Iterable[int], *, brand_ids: Iterable[int] | None = None) -> None:
    """Call in the transaction that wrote these products' stock (quantity, is_active), or
    right after a write made outside one: bumps their brands' `stock_version` in the same
    transaction and mirrors it after commit (a mirror failure is logged, never raised).
    `brand_ids`, when the caller knows them, saves a query."""
    _bump(product_ids, stock=True, catalog=False, brand_ids=brand_ids)


def product_data_changed(product_ids: Iterable[int] = (), *,
                         brand_ids: Iterable[int] | None = None) -> None:
    """Call in the transaction that wrote what these products' cards show or what tiles
    rank them by (title, price, Prime, rating, reviews, images, deals, sales, a new
    product): bumps their brands' `catalog_version` and stamps the products with it."""
    _bump(product_ids, stock=False, catalog=True, brand_ids=brand_ids)


def products_changed(product_ids: Iterable[int]) -> None:
    """Both at once, for writes of stock and card data together (imports)."""
    _bump(product_ids, stock=True, catalog=True)


# --- stock levels (readers) -------------------------------------------------------------

Level = tuple[bool, int]  # (is_active, quantity)
_levels: dict[int, tuple[int, dict[int, Level | None]]] = {}
_levels_lock = threading.Lock()
_LEVELS_MAX_BRANDS = 10_000


def _read_levels(ids: list[int]) -> dict[int, Level]:
    """One query. On PostgreSQL the ids go as one array parameter: a page's 150 ids as
    placeholders cost more to build and parse than the query takes to run."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT id, is_active, quantity FROM "{Product._meta.db_table}" '  # noqa: S608
                           "WHERE id = ANY(%s)", [ids])
            return {pk: (is_active, quantity) for pk, is_active, quantity in cursor.fetchall()}
    return {pk: (is_active, quantity) for pk, is_active, quantity in
            Product.objects.filter(pk__in=ids).order_by()
            .values_list("pk", "is_active", "quantity")}


def stock_levels(product_ids: Iterable[int], *, brand_id: int | None = None,
                 version: int | None = None) -> dict[int, Level]:
    """{product id: (is_active, quantity)} for the given products, as of now.

    Without `brand_id`/`version`: straight from the database (previews, builder hints).
    With them (the live page, which read the brand's `stock_version` first): from process
    memory while that version stands still; one query for products not read since it
    moved. Unknown ids are absent from the answer.
    """
    ids = product_ids if isinstance(product_ids, list | tuple | set | frozenset) else list(
        product_ids)
    if brand_id is None or version is None:
        return _read_levels(list(ids))
    entry = _levels.get(brand_id)
    if entry is None or entry[0] != version:
        with _levels_lock:
            entry = _levels.get(brand_id)
            if entry is None or entry[0] < version:
                if len(_levels) >= _LEVELS_MAX_BRANDS:
                    _levels.clear()
                entry = _levels[brand_id] = (version, {})
    levels = entry[1]
    missing = [pk for pk in ids if pk not in levels]
    if missing:
        fresh = _read_levels(missing)
        for pk in missing:  # unknown ids too, so they cost no query next time
            levels[pk] = fresh.get(pk)
    return {pk: level for pk in ids if (level := levels.get(pk)) is not None}
