"""A learner's progress: accuracy per topic, streak, cards due, and a 30-day activity chart."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from bot.core.store import DayActivity, Store, TopicAccuracy
from bot.core.store.base import as_utc
from bot.knowledge.banks import TOPICS

ACTIVITY_DAYS = 30


@dataclass(frozen=True)
class UserStats:
    accuracy: tuple[TopicAccuracy, ...]  # per topic, sorted by topic
    streak: int  # daily-quiz streak in days
    due: int  # Leitner cards due now
    total_answered: int
    total_correct: int
    activity: tuple[DayActivity, ...]  # last 30 local days, oldest first, today last

    @property
    def overall_accuracy(self) -> float:
        return self.total_correct / self.total_answered if self.total_answered else 0.0


def user_stats(store: Store, user_id: int, now: datetime | None = None) -> UserStats:
    now = as_utc(now)
    accuracy = tuple(store.quiz.accuracy_by_topic(user_id))
    return UserStats(
        accuracy=accuracy,
        streak=store.quiz.daily_streak(user_id, now=now),
        due=len(store.cards.due_cards(user_id, now=now)),
        total_answered=sum(t.attempts for t in accuracy),
        total_correct=sum(t.correct for t in accuracy),
        activity=tuple(store.quiz.daily_activity(user_id, days=ACTIVITY_DAYS, now=now)),
    )


def render_stats_text(stats: UserStats) -> str:
    """Plain text (the Telegram adapter escapes it for HTML)."""
    if not stats.total_answered:
        return "No quiz answers yet. Try /quiz for five questions, or /daily for one quiz a day."
    lines = [
        f"Answered: {stats.total_answered} questions, "
        f"{stats.total_correct} correct ({stats.overall_accuracy:.0%})."
    ]
    lines.append(f"Daily streak: {stats.streak} day{'s' if stats.streak != 1 else ''}.")
    lines.append(
        f"Due for review now: {stats.due}." if stats.due else "Nothing due for review now."
    )
    lines.append("")
    lines.append("Accuracy by topic:")
    for topic in sorted(stats.accuracy, key=lambda t: (t.accuracy, t.topic)):
        lines.append(f"  • {topic.topic}: {topic.correct}/{topic.attempts} ({topic.accuracy:.0%})")
    active_days = sum(1 for day in stats.activity if day.attempts)
    lines.append("")
    lines.append(f"Active on {active_days} of the last {len(stats.activity)} days.")
    weakest = min(stats.accuracy, key=lambda t: (t.accuracy, -t.attempts, t.topic))
    if weakest.correct < weakest.attempts:
        lines.append(
            f"Weakest topic: {TOPICS.get(weakest.topic, weakest.topic)} (/quiz {weakest.topic})."
        )
    return "\n".join(lines)


def render_stats_chart(stats: UserStats) -> bytes:
    """A PNG bar chart of answered and correct questions per day over the last 30 days."""
    # Imported here: matplotlib is slow to import and only this chart needs it. An Agg canvas
    # on a bare Figure (no pyplot) leaves the global backend and pyplot's state alone.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    days = [a.day for a in stats.activity]
    answered = [a.attempts for a in stats.activity]
    correct = [a.correct for a in stats.activity]
    positions = list(range(len(days)))

    figure = Figure(figsize=(8, 3.6), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot(1, 1, 1)
    axes.bar(positions, answered, width=0.8, color="#c7d7ee", label="answered")
    axes.bar(positions, correct, width=0.5, color="#2f6db5", label="correct")
    step = max(1, len(days) // 6)
    ticks = positions[::-1][::step][::-1]  # always label today
    axes.set_xticks(ticks)
    axes.set_xticklabels([days[i].strftime("%d %b") for i in ticks])
    axes.set_xlim(-0.6, max(len(days), 1) - 0.4)
    axes.set_ylim(0, max(answered + [1]) * 1.15)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.set_ylabel("questions")
    title = f"Quiz answers, last {len(days)} days"
    if stats.total_answered:
        title += f" — {stats.overall_accuracy:.0%} correct overall"
    if stats.streak:
        title += f", {stats.streak}-day streak"
    axes.set_title(title)
    axes.legend(loc="upper left", frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
