"""A review and a job-description match as `Block`s: a short verdict first, then notes
section by section, each quoting the résumé line it is about and citing its source.

Adapters render blocks their own way (plain text in the terminal, escaped HTML in Telegram);
Telegram shows the match summary and puts the per-requirement details behind a button.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.resume.conditions import TITLES
from bot.core.resume.jd import JDMatch
from bot.core.resume.review import ResumeReview
from bot.core.resume.rubric import Tip, load_rubric

NO_ASKS = (
    "I couldn't find any requirements in that text (skills, a degree, years of experience). "
    "Please paste the full job description, including its requirements."
)
KIND_LABELS = {
    "phd": "A PhD researcher's résumé",
    "engineer": "An engineer's résumé",
    "bootcamp": "A boot camp graduate's résumé",
    "self_taught": "A self-taught engineer's résumé",
    "related_degree": "A résumé built on a degree close to ML",
    "other_field": "A résumé coming from another field",
    "unknown": "Your résumé",
}
# Where notes go, in this order; "" holds notes about the whole résumé.
NOTE_GROUPS = ("summary", "experience", "projects", "education", "skills", "headings", "jd", "")
GROUP_TITLES = {**TITLES, "headings": "Headings", "jd": "For this posting", "": "Next step"}
EVIDENCE_CHARS = 90
MOVE_RULES = frozenset(
    {"summary_not_first", "projects_above_experience", "experience_above_projects",
     "education_bottom", "phd_education_high", "education_high"}
)  # fmt: skip
_GAPS_RULE = "job_description_gaps"


@dataclass(frozen=True)
class Block:
    """One self-contained piece of a reply (messages are split between blocks)."""

    title: str | None = None
    lines: tuple[str, ...] = ()
    source: str | None = None

    def plain(self) -> str:
        parts = [f"{self.title}:"] if self.title else []
        parts.extend(self.lines)
        if self.source:
            parts.append(f"   — Source: {self.source}")
        return "\n".join(parts)


def section_title(name: str) -> str:
    return TITLES.get(name, name.title())


def order_text(names: list[str]) -> str:
    return " → ".join(section_title(name) for name in names)


def tip_blocks(tips: list[Tip], title: str | None = "Tips") -> list[Block]:
    """One block per tip, each citing its source; the first carries the title."""
    return [
        Block(title if index == 0 else None, (f"💡 {tip.text}",), tip.source)
        for index, tip in enumerate(tips)
    ]


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def order_follows(review: ResumeReview) -> bool:
    present = [name for name in review.recommended_order if name in review.sections]
    main = [name for name in review.sections if name in review.recommended_order]
    return main == present


def verdict_block(review: ResumeReview) -> Block:
    """Three lines: who this is, whether the order is right, how much there is to fix."""
    background = review.background
    who = KIND_LABELS.get(background.kind if background else "unknown", KIND_LABELS["unknown"])
    counts = f"{_plural(background.jobs, 'job')}, {_plural(background.projects, 'project')}"
    lines = [f"{who}: {counts}, {_plural(len(review.sections), 'section')} found."]
    moves = [tip for tip in review.tips if tip.rule_id in MOVE_RULES]
    if order_follows(review) or not moves:
        lines.append("Order: right for your background.")
    else:
        lines.append(f"Order: {_plural(len(moves), 'move')} to make (below, with the reason).")
    if review.jd_match is not None:
        met = sum(1 for r in review.jd_match.results if r.met)
        lines.append(
            f"Match with the posting: {review.jd_match.score}% "
            f"({met} of {len(review.jd_match.results)} requirements shown)."
        )
    fixes = len(review.tips)
    lines.append(
        f"{_plural(fixes, 'note')} below, section by section." if fixes else "Nothing to fix."
    )
    return Block("Verdict", tuple(lines))


def _sections_block(review: ResumeReview) -> Block:
    lines = [f"Found: {', '.join(section_title(n) for n in review.sections) or 'none'}"]
    if review.missing:
        lines.append(f"Missing: {', '.join(section_title(n) for n in review.missing)}")
    if review.unplaced:
        lines.append(f"Not placed: {', '.join(f'“{h}”' for h in review.unplaced)}")
    return Block("Sections", tuple(lines))


def _order_block(review: ResumeReview) -> Block:
    lines = [
        f"Yours: {order_text(review.sections)}",
        f"Recommended: {order_text(review.recommended_order)}",
    ]
    if order_follows(review):
        lines.append("Your sections already follow the recommended order.")
    return Block("Section order", tuple(lines))


def _group_of(tip: Tip) -> str:
    if tip.rule_id == "unplaced_heading":
        return "headings"
    return tip.section if tip.section in NOTE_GROUPS else ""


def note_blocks(tips: list[Tip]) -> list[Block]:
    """Tips grouped by the résumé section they are about, each block citing its source."""
    blocks = []
    for group in NOTE_GROUPS:
        tips_here = [tip for tip in tips if _group_of(tip) == group]
        for index, tip in enumerate(tips_here):
            title = GROUP_TITLES[group] if index == 0 else None
            blocks.append(Block(title, (f"💡 {tip.text}",), tip.source))
    return blocks


def review_blocks(review: ResumeReview, *, match_details: bool = True) -> list[Block]:
    """The review: verdict, sections, order, then notes by section (and the JD match)."""
    if review.error is not None:
        return [Block(None, (review.error,))]
    blocks = [verdict_block(review), _sections_block(review), _order_block(review)]
    blocks.extend(note_blocks(review.tips))
    if review.jd_match is not None and match_details:
        blocks.extend(match_detail_blocks(review.jd_match))
    return blocks


def _evidence(text: str | None) -> str:
    text = " ".join((text or "").split()).lstrip("-•*·▪ ")
    return text if len(text) <= EVIDENCE_CHARS else text[: EVIDENCE_CHARS - 1] + "…"


def match_summary_block(match: JDMatch) -> Block:
    """The score and the counts of requirements met, in three lines at most."""
    required = [r for r in match.results if r.requirement.required]
    met_required = sum(1 for r in required if r.met)
    met = sum(1 for r in match.results if r.met)
    lines = [
        f"{match.score}% match: {met} of {len(match.results)} requirements shown "
        f"({met_required} of {len(required)} required ones).",
    ]
    missing_required = [r.requirement.text for r in required if not r.met]
    if missing_required:
        lines.append(f"Missing: {'; '.join(_evidence(t) for t in missing_required[:4])}.")
    if match.keyword_stuffing:
        lines.append(
            "Your skills list is long but your jobs and projects show almost none of it: "
            "listed-only skills count for little (keyword stuffing)."
        )
    return Block("Job description match", tuple(lines))


def match_detail_blocks(match: JDMatch) -> list[Block]:
    """Per requirement: met with the résumé line as evidence, or missing."""
    blocks = []
    for required in (True, False):
        results = [r for r in match.results if r.requirement.required == required]
        if not results:
            continue
        lines = []
        for result in sorted(results, key=lambda r: (not r.met, -r.requirement.weight)):
            label = _evidence(result.requirement.text)
            if result.met:
                listed = (
                    "" if result.strength >= 1
                    else " (summary only)" if result.strength >= 0.75
                    else " (listed only)"
                )  # fmt: skip
                lines.append(f"✅ {label}{listed}: “{_evidence(result.evidence)}”")
            else:
                lines.append(f"❌ {label}")
        blocks.append(Block("Required" if required else "Nice to have", tuple(lines)))
    return blocks


def _gaps_tip() -> Tip:
    rubric = load_rubric()
    rule = next(rule for rule in rubric.rules if rule.id == _GAPS_RULE)
    return Tip(rule.id, rule.tip, rubric.source(rule), rule.quote)


def match_blocks(match: JDMatch, details: bool = True) -> list[Block]:
    """The match summary, each requirement (unless `details` is False), the article's tip."""
    if not match.results:
        return [Block(None, (NO_ASKS,))]
    blocks = [match_summary_block(match)]
    if details:
        blocks.extend(match_detail_blocks(match))
    if match.missing:
        blocks.extend(tip_blocks([_gaps_tip()], None))
    return blocks
