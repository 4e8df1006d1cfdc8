"""What this process knows of the Redis mirror without asking: values pushed to it.

Every raise of a brand's versions (and every new value of a shared token) is published by
the same Lua call that writes it, on a channel named after the key. A process that reads a
key subscribes to its channel first (and waits for Redis to confirm), then reads it once;
from then on every change reaches it as a push, and a view answers from process memory
after one non-blocking look at the subscription's socket: no round trip while nothing
changed, which on a busy machine is most of what a view costs (the round trip waits for
the Redis process to be scheduled).

Why this stays exact:

* **Subscribed before read.** A key is learned only from a read sent after its channel's
  subscription was confirmed, so any change after that read arrives as a push.
* **Pushes before the writer goes on.** The writer follows its Lua call with a PING:
  Redis answers it in a later turn of its event loop than the one that wrote the pushes
  to the subscribers' sockets, so a change is in every subscriber's socket before the
  writer's request returns, and a view that starts after it sees the push on its look.
* **Numbers only go up.** Brand versions merge by maximum, so a push and a read that
  cross cannot move a value back.
* **Trust expires with the key.** A value is trusted only as long as Redis keeps the key
  (VERSION_TTL from its last raise, the key's own PTTL for a read): a bump lost to an
  outage, or a push lost with a dead connection, hides a change no longer than it does
  without pushes. A subscription that fails, or that was not looked at for VERSION_TTL
  (its backlog could be stale), is dropped with everything learned through it; the next
  read subscribes afresh.
"""
from __future__ import annotations

import logging
import select
import threading
import time

logger = logging.getLogger(__name__)

_MAX_KEYS = 50_000  # subscriptions per process before starting over
RETRY_AFTER = 1.0  # seconds before subscribing again after a failure to


class PushedVersions:
    """Values of mirror keys kept current by Redis pub/sub, for one process."""

    def __init__(self, client, *, ttl) -> None:
        self.client = client
        self.ttl = ttl  # a callable: VERSION_TTL as the caller sees it now (tests change it)
        db = client.connection_pool.connection_kwargs.get("db", 0)
        self.channel_prefix = f"{db}/"  # channels span all databases: name ours
        self.lock = threading.RLock()
        self.pubsub = None
        self.poller = None  # the subscription's socket, once drained: one poll() per look
        self.known: dict[str, tuple[bytes, float]] = {}  # key -> (value, trusted until)
        self.subscribed: set[str] = set()
        self.last_look = 0.0
        self.failed_at = -1e9  # the last failure to subscribe: not retried on every view
        self.errors = (OSError,)
        try:
            import redis

            self.errors = (redis.exceptions.RedisError, OSError, ValueError)
        except ImportError:  # pragma: no cover - Redis is installed wherever this runs
            pass

    def channel(self, key: str) -> str:
        return f"{self.channel_prefix}{key}"

    # --- reading ---------------------------------------------------------------------

    def lookup(self, keys: list[str], now: float) -> dict[str, bytes]:
        """The keys' values this process can trust now (after applying every push that
        arrived); keys absent from the answer must be read from Redis."""
        with self.lock:
            if self.pubsub is None:
                return {}
            if now - self.last_look > self.ttl():
                self.reset("idle")  # a backlog this old may be stale: start over
                return {}
            self.last_look = now
            try:
                # Nothing waits in the parser's buffer once drained, so a socket with
                # nothing to read means no push arrived (a closed one reads as ready).
                if self.poller is None or self.poller.poll(0):
                    self._drain(now)
            except self.errors as exc:
                self.reset(f"subscription failed: {exc}")
                return {}
            if self.pubsub is None:
                return {}
            found = {}
            for key in keys:
                entry = self.known.get(key)
                if entry is not None and entry[1] > now:
                    found[key] = entry[0]
            return found

    def watch(self, keys: list[str]) -> set[str]:
        """Subscribe to these keys' channels and wait for Redis to confirm; the keys now
        watched (empty when the subscription cannot be made: then nothing is learned)."""
        with self.lock:
            wanted = [key for key in keys if key not in self.subscribed]
            if not wanted:
                return set(keys)
            if time.monotonic() - self.failed_at < RETRY_AFTER:
                return set()  # a hanging Redis must not cost every view a second timeout
            if len(self.subscribed) + len(wanted) > _MAX_KEYS:
                self.reset("too many keys")
            try:
                if self.pubsub is None:
                    self.pubsub = self.client.pubsub()
                    self.last_look = time.monotonic()
                channels = {self.channel(key): key for key in wanted}
                self.pubsub.subscribe(*channels)
                pending = set(channels)
                deadline = time.monotonic() + 0.25
                while pending:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise TimeoutError("no confirmation of the subscription")
                    message = self.pubsub.get_message(timeout=left)
                    if message is None:
                        continue
                    channel = message["channel"].decode()
                    if message["type"] == "subscribe":
                        pending.discard(channel)
                    elif message["type"] == "message":
                        self._apply(channel, message["data"], time.monotonic())
                self.subscribed.update(wanted)
                self._drain(time.monotonic())  # leaves nothing in the parser's buffer
            except self.errors as exc:
                self.reset(f"subscription failed: {exc}")
                self.failed_at = time.monotonic()
                return set()
            return set(keys)

    def learn(self, values: dict[str, tuple[bytes, int]], watched: set[str],
              now: float) -> None:
        """Remember values read (with their keys' PTTL in ms, -1 for none) for the keys
        that were watched before the read was sent."""
        with self.lock:
            if self.pubsub is None:
                return
            for key, (value, pttl) in values.items():
                if key not in watched or value is None:
                    continue
                trust = self.ttl() if pttl < 0 else min(self.ttl(), pttl / 1000)
                self._merge(key, value, now + trust)

    def wrote(self, values: dict[str, bytes], now: float) -> None:
        """This process wrote these values (already published): know them at once."""
        with self.lock:
            if self.pubsub is None:
                return
            for key, value in values.items():
                if key in self.subscribed:
                    self._merge(key, value, now + self.ttl())

    # --- state -------------------------------------------------------------------------

    def _drain(self, now: float) -> None:
        while True:
            message = self.pubsub.get_message(timeout=0)
            if message is None:
                break
            if message["type"] == "message":
                self._apply(message["channel"].decode(), message["data"], now)
            elif message["type"] == "unsubscribe":
                self.reset("unsubscribed")
                return
        if self.poller is None:
            self.poller = select.poll()
            self.poller.register(self.pubsub.connection._sock, select.POLLIN)

    def _apply(self, channel: str, value: bytes, now: float) -> None:
        key = channel.removeprefix(self.channel_prefix)
        if key in self.subscribed:
            # The writer set the key's expiry to VERSION_TTL from now (tokens never expire).
            self._merge(key, value, now + self.ttl())

    def _merge(self, key: str, value: bytes, until: float) -> None:
        held = self.known.get(key)
        if held is not None and b":" in value and b":" in held[0]:
            # Brand versions "stock:catalog" only go up: a crossing read cannot undo a push.
            new_s, _, new_c = value.partition(b":")
            old_s, _, old_c = held[0].partition(b":")
            value = b"%d:%d" % (max(int(new_s), int(old_s)), max(int(new_c), int(old_c)))
        self.known[key] = (value, until)

    def reset(self, why: str = "") -> None:
        """Forget everything learned and drop the subscription (made again on demand)."""
        with self.lock:
            if why and why != "idle":
                logger.info("version pushes restarted: %s", why)
            pubsub, self.pubsub = self.pubsub, None
            self.poller = None
            self.known.clear()
            self.subscribed.clear()
            if pubsub is not None:
                try:
                    pubsub.close()
                except self.errors:
                    pass
