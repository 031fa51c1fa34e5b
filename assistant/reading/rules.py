"""The reading rules that decide what a phrase of a question means, in one table.

Each row names a rule, the pattern that fires it, and example questions on which it must fire
(`yes`) and must not (`no`); tests/test_reading_rules.py runs every example, and a row without
both kinds fails there. Rules were written on evals/questions/dev.jsonl and the sample set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    doc: str
    yes: tuple[str, ...]
    no: tuple[str, ...]

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text)


_DOC_WORDS = (
    r"records?|documents?|reports?|publications?|papers?|studies|items|titles?|materials?|resources?|"
    r"guides?|editions?|published|publish|released?|issued|written|dated|library|collection|"
    r"documentos?|informes?|publicaciones?|publicad[oa]s?|registros?|estudios?|biblioteca|colecci[oó]n"
)

RULES: tuple[Rule, ...] = (
    Rule(
        "about_documents",
        re.compile(
            rf"\b(?:{_DOC_WORDS})\b|\bwhat\s+(?:do|does)\s+(?:you|it)\s+(?:have|hold)\b|"
            r"\b(?:have|got)\s+you\s+got\b|\bwhat(?:'s|\s+have)\s+you\s+got\b|\banything\s+(?:from|since|before|after)\b|"
            r"\bqu[eé]\s+(?:tienes|tiene|hay)\b",
            re.I,
        ),
        "The question is about the library's documents, so a year in it filters publications; otherwise a "
        "year names an event and is searched for.",
        yes=(
            "What reports were published in 2020?",
            "What have you got from 2019?",
            "Anything published before 2010?",
            "documents from 2012 please",
            "¿Qué tienes de 2016?",
        ),
        no=(
            "What did the Haiti earthquake of 2010 teach about protecting people in disasters?",
            "Which violations against children were committed in 2019?",
            "What did the Human Rights Council adopt in June 2016 on trafficking in conflict?",
        ),
    ),
    Rule(
        "person_name",
        re.compile(
            r"(?:^|[.?!]\s+|\b(?:my|our)\s+(?:colleague|boss|manager|friend|client|supervisor)\s+|\bcolleague\s+)"
            r"([A-Z][a-z]+)(?=\s+(?:from\s+(?:our|my|the)\s+\w+\s+)?(?:asks?|asked|wants?|wanted|needs?|needed|says?|said|"
            r"told|wonders?|wondered|is\s+asking|would\s+like)\b)",
            re.M,
        ),
        "A capitalised name that asks, wants or needs something is a person, not a place ('Chad asked...', "
        "'my colleague Victoria needs...'): it raises no place warning and is no focus of the question.",
        yes=(
            "Chad asked whether we have the Security Council ideas paper",
            "My colleague Victoria needs the first aid kit",
            "Georgia from our team asks how to handle journalists",
            "Jordan wants a facilitator's guide",
        ),
        no=(
            "What did Chad's government do to stop child recruitment?",
            "trafficking in Georgia and Armenia",
            "Is there anything on refugees in Jordan?",
        ),
    ),
    Rule(
        "follow_up",
        re.compile(
            r"^\s*(?:and|also|but|plus|what\s+about|how\s+about|and\s+what|what\s+of|and\s+how|same\s+for|"
            r"y|¿?\s*y\s+qu[eé]|¿?\s*y\s+(?:sobre|en|de|para))\b",
            re.I,
        ),
        "A short question that opens like this continues the conversation: its own words lead the search and "
        "the earlier question fills in what it leaves out.",
        yes=(
            "and what about children?",
            "what about its recommendations for donors?",
            "¿y sobre los niños?",
            "And which of those is about Europe?",
        ),
        no=(
            "Butterfly effects of crises on trafficking",
            "Andorra trafficking",
            "Why do families marry girls off?",
        ),
    ),
)
PLACE_PHRASE = Rule(
    "place_phrase",
    re.compile(
        r"\b(?:in|from|across|through|throughout|within|around|to|into|of|out\s+of|inside|"
        r"en|de|del|desde|hacia|para|dans|au|aux|à|vers|du|des)\s+"
        r"(?:the\s+|la\s+|el\s+|le\s+|les\s+)?(?=(?-i:[A-ZÁÉÍÓÚÑ]))",
        re.I,
    ),
    "A capitalised name right after 'in', 'from', 'across', 'through', 'en', 'au'... is read as a "
    "place (`assistant.places`); a name elsewhere ('my colleague Chad asks', 'New Mexico "
    "shelters') is not.",
    yes=(
        "trafficking routes through West Africa",
        "labour exploitation in the Gulf states",
        "la trata en Estados Unidos",
        "la traite au Royaume-Uni",
    ),
    no=(
        "my colleague Chad asks for the first aid kit",
        "New Mexico shelters for trafficking victims",
        "what should a chad or a jordan do in that case?",
    ),
)
RULES = (*RULES, PLACE_PHRASE)
BY_NAME = {rule.name: rule for rule in RULES}


def fires(name: str, text: str) -> bool:
    return BY_NAME[name].search(text) is not None
