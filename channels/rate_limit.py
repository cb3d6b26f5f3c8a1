"""The per-sender rate limit's storage: Redis when it is configured (so all Rasa replicas share one bucket per
sender), this process's memory otherwise.

Why a fallback and not a refusal when Redis fails: the limit protects the service from scripts; a family
must never be turned away because our Redis is down. While Redis is unreachable each replica limits on its
own (so a sender may get up to one burst per replica), and Redis is tried again after a short pause.
The arithmetic is bot.conversation.input_guard's; this module is only the I/O.
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from typing import Any

from bot.conversation.input_guard import REDIS_TOKEN_BUCKET, Decision, MemoryRateLimiter, bucket_ttl_seconds

logger = logging.getLogger(__name__)

KEY_PREFIX = "local-offer:rate:"
RETRY_REDIS_AFTER = 10.0  # seconds to use memory only after a Redis error


class SenderRateLimiter:
    """`await allow(sender)` says whether this sender may send one more message now."""

    def __init__(self, per_minute: float, burst: int, redis_url: str | None = None) -> None:
        self.per_minute = per_minute
        self.burst = burst
        self.redis_url = redis_url or None
        self.memory = MemoryRateLimiter(per_minute, burst)
        self._redis: Any = None
        self._script: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._redis_down_until = 0.0

    @property
    def uses_redis(self) -> bool:
        return bool(self.redis_url)

    async def allow(self, sender: str) -> Decision:
        if self.per_minute <= 0:
            return Decision(True)
        key = KEY_PREFIX + hashlib.sha256(sender.encode("utf-8")).hexdigest()[:32]
        if self.redis_url and time.monotonic() >= self._redis_down_until:
            try:
                return await self._allow_redis(key)
            except Exception as error:  # connection refused, timeout, auth, script error: limit in memory
                self._redis_down_until = time.monotonic() + RETRY_REDIS_AFTER
                logger.warning("Rate limit: Redis unavailable (%s); limiting in this process for %.0f s",
                               type(error).__name__, RETRY_REDIS_AFTER)
        return self.memory.allow(key, time.monotonic())

    async def _allow_redis(self, key: str) -> Decision:
        loop = asyncio.get_running_loop()
        if self._script is None or self._loop is not loop:  # a client belongs to the loop that made it
            import redis.asyncio as redis_asyncio

            self._redis = redis_asyncio.from_url(self.redis_url, socket_connect_timeout=0.5, socket_timeout=0.5)
            self._script = self._redis.register_script(REDIS_TOKEN_BUCKET)
            self._loop = loop
        allowed, wait_ms = await self._script(
            keys=[key], args=[self.per_minute, self.burst, bucket_ttl_seconds(self.per_minute, self.burst)]
        )
        return Decision(bool(int(allowed)), int(wait_ms) / 1000.0)
