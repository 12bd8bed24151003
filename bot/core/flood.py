"""Per-user flood guard: a sliding window of message times, one warning per burst."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field

PRUNE_EVERY = 1000  # checks between sweeps of idle users


@dataclass
class FloodGuard:
    max_messages: int
    window_seconds: float
    clock: callable = time.monotonic  # type: ignore[valid-type]
    _seen: dict[int, deque] = field(default_factory=dict)
    _warned: dict[int, float] = field(default_factory=dict)
    _checks: int = 0

    def check(self, user_id: int) -> str:
        """'ok' to serve, 'warn' for the first message over the limit, 'drop' for the rest."""
        self._checks += 1
        if self._checks % PRUNE_EVERY == 0:
            self.prune()
        now = self.clock()
        times = self._seen.setdefault(user_id, deque())
        while times and now - times[0] > self.window_seconds:
            times.popleft()
        times.append(now)
        if len(times) <= self.max_messages:
            self._warned.pop(user_id, None)
            return "ok"
        if now - self._warned.get(user_id, -1e18) > self.window_seconds:
            self._warned[user_id] = now
            return "warn"
        return "drop"

    def prune(self) -> None:
        """Forget users idle for a whole window (keeps memory flat with many users)."""
        now = self.clock()
        for user_id in [
            u for u, t in self._seen.items() if not t or now - t[-1] > self.window_seconds
        ]:
            self._seen.pop(user_id, None)
            self._warned.pop(user_id, None)
