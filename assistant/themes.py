"""Themes that group a briefing note's key points: one table, each row with example sentences.

`theme_of(sentence)` names the row whose cue words the sentence holds most (cues are word
starts, case and accents aside: "recruit" matches "recruited" and "recruitment"); a sentence
with no cue goes under `OTHER`. Ties go to the earlier row. tests/test_briefing.py runs every
row's examples, so a change to the cues that moves one of them fails there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kernel.text import fold

__all__ = ["OTHER", "THEMES", "Theme", "theme_of"]


@dataclass(frozen=True)
class Theme:
    name: str
    cues: tuple[str, ...]
    """Word starts (or multi-word phrases) that put a sentence under this theme."""
    examples: tuple[str, ...]
    """Sentences from the sample library this theme must claim."""


THEMES: tuple[Theme, ...] = (
    Theme(
        "Children recruited and used by armed forces and groups",
        (
            "child soldier",
            "soldiering",
            "recruit",
            "armed group",
            "armed forces",
            "combatant",
            "abduct",
            "children and armed conflict",
            "violations against children",
            "niños soldado",
        ),
        (
            "Where possible, violations are attributed to parties to conflict and the annexes to "
            "the present report include a list of parties engaging in violations against "
            "children, namely the recruitment and use of children.",
        ),
    ),
    Theme(
        "Forms and patterns of exploitation",
        (
            "form of exploitation",
            "forms of exploitation",
            "forms of trafficking",
            "pattern",
            "sexual exploitation",
            "forced labo",
            "forced marriage",
            "enslave",
            "slavery",
            "organ",
            "child marriage",
            "servitude",
        ),
        (
            "The report identifies three patterns of human trafficking in armed conflict "
            "situations.",
            "Some forms of trafficking are particularly prevalent in the context of armed "
            "conflict, such as sexual exploitation, enslavement, and forced marriage.",
        ),
    ),
    Theme(
        "Who is at risk, and why",
        (
            "vulnerab",
            "risk",
            "displace",
            "refugee",
            "migrant",
            "migrat",
            "unaccompanied",
            "poverty",
            "on the move",
            "crisis",
            "crises",
            "civilian",
        ),
        (
            "Violent conflict greatly increases the vulnerability of civilian populations to "
            "human trafficking and slavery.",
            "Children and youth migrating – whether between or within countries – have become a "
            "recognized part of today’s global and mixed migration flows.",
        ),
    ),
    Theme(
        "Protecting and assisting victims",
        (
            "protect",
            "assist",
            "identif",
            "rehabilit",
            "reintegrat",
            "victim",
            "humanitarian",
            "shelter",
            "care",
        ),
        ("The project sought to enhance the identification and protection of victims.",),
    ),
    Theme(
        "Law, policy and the international response",
        (
            "security council",
            "united nations",
            "resolution",
            "law",
            "legal",
            "policy",
            "policies",
            "government",
            "state",
            "accountab",
            "prosecut",
            "recommend",
            "framework",
            "protocol",
            "convention",
            "response",
            "action",
        ),
        (
            "There are real practical and political limits to Security Council action on this "
            "issue.",
            "This report assesses the UN’s role in addressing trafficking in conflict and provides "
            "recommendations for strengthening its efforts.",
        ),
    ),
    Theme(
        "Evidence, data and training",
        (
            "data",
            "research",
            "study",
            "studies",
            "evidence",
            "estimate",
            "survey",
            "assessment",
            "train",
            "course",
            "manual",
            "handbook",
            "exercise",
            "knowledge",
            "learn",
        ),
        ("The course is structured to move from understanding and knowledge to action.",),
    ),
)

OTHER = "Other findings"


def _pattern(cue: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(fold(cue))}")


_CUES = [[_pattern(c) for c in theme.cues] for theme in THEMES]


def theme_of(sentence: str) -> str:
    """The name of the theme `sentence` belongs to (`OTHER` when it holds no theme's cue)."""
    text = fold(sentence)
    best, best_count = OTHER, 0
    for theme, patterns in zip(THEMES, _CUES, strict=True):
        count = sum(len(p.findall(text)) for p in patterns)
        if count > best_count:
            best, best_count = theme.name, count
    return best
