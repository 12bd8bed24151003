"""The per-user flood guard: a window per user, one warning per burst, idle users forgotten."""

from __future__ import annotations

from bot.core.flood import PRUNE_EVERY, FloodGuard


def test_burst_gets_one_warning_then_silence_and_recovers():
    clock = [0.0]
    guard = FloodGuard(3, 2.0, clock=lambda: clock[0])
    assert [guard.check(1) for _ in range(3)] == ["ok", "ok", "ok"]
    assert [guard.check(1) for _ in range(3)] == ["warn", "drop", "drop"]
    assert guard.check(2) == "ok"  # others are unaffected
    clock[0] = 10.0
    assert guard.check(1) == "ok"


def test_idle_users_are_forgotten():
    clock = [0.0]
    guard = FloodGuard(3, 1.0, clock=lambda: clock[0])
    for user in range(PRUNE_EVERY - 1):
        guard.check(user)
    clock[0] = 5.0
    guard.check(-1)  # the PRUNE_EVERY-th check sweeps
    assert set(guard._seen) == {-1}
