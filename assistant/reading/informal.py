"""The library's words for what practitioners type: informal words, abbreviations, other spellings.

The library's records say "children", "law enforcement", "internally displaced", "sexual
violence"; practitioners type "kids", "cops", "IDPs", "raped". The embedding model bridges some
of that and BM25 none of it, and a question's own acronym ("IDPs") is a focus term that the
quoted evidence must mention. Each row of `ROWS` names the phrases people type and the library's
words for them, with example questions on which a phrase must be read (`yes`) and must not
(`no`); tests/test_reading_informal.py runs every example, checks that a row has both kinds, and
that every library word is one the sample library holds. This is the English counterpart of the
Spanish glossary (`assistant.glossary`): the library's words replace the phrases in what a
question searches (`in_library_words`), never in what is shown or quoted. Rows were written on
evals/questions/dev.jsonl and evals/questions/dev_wording.jsonl.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kernel.text import fold


@dataclass(frozen=True)
class Informal:
    phrases: tuple[str, ...]
    """What people type: regular expressions over the question (whole words, any case)."""
    library: str
    """The library's words for it; a focus term that a phrase reads counts as mentioned when a
    record holds all of these words."""
    yes: tuple[str, ...]
    no: tuple[str, ...]


ROWS: tuple[Informal, ...] = (
    Informal(
        ("kids?", "kiddies", "minors", "youngsters?", "teens?", "teenagers?", "under-?18s?"),
        "children",
        yes=("how do armed groups recruit kids", "unaccompanied minors travelling alone"),
        no=("kidnapping by gangs", "a minor point about the index"),
    ),
    Informal(
        (r"(?:child|kid|boy|girl) soldiers?", r"(?:used|recruited|serving|serve) as soldiers"),
        "recruitment use children soldiering",
        yes=("and child soldiers?", "kids used as soldiers by armed groups"),
        no=("peacekeeping troops and sexual abuse",),
    ),
    Informal(
        ("cops?", "coppers?", "the police", "police(?:men|women|man|woman)?", "policing"),
        "law enforcement",
        yes=("what should cops do first?", "what if a victim won't talk to the police?"),
        no=("copies of the handbook", "a policy guide for governments"),
    ),
    Informal(
        ("doctors?", "nurses?", "medics?", "clinicians?", "hospital staff"),
        "health care medical",
        yes=("do doctors have to report rape?", "what must nurses tell the authorities?"),
        no=("documents from 2012", "doctrine of humanitarian intervention"),
    ),
    Informal(
        ("refos", "refugs", "asylum seekers?"),
        "refugees",
        yes=("refos and trafficking",),
        no=("refugees in camps", "refer a victim"),
    ),
    Informal(
        ("idps?", "internally displaced people", "displaced people"),
        "displaced",
        yes=("IDPs in camps and trafficking", "trafficking risks for idps"),
        no=("identification of victims", "ideas for the Security Council"),
    ),
    Informal(
        (
            "johns",
            r"(?:sex|punters?) buyers?",
            "buyers? of sex",
            "punters?",
            "buying sex",
            "paying for sex",
            r"clients of (?:sex workers|prostitutes)",
        ),
        "demand purchase sexual services",
        yes=("going after the johns", "does targeting sex buyers reduce trafficking?"),
        no=("buyers of cocoa", "trafficked clients and the media"),
    ),
    Informal(
        (r"sex work(?:ers?)?", r"sex trade", r"sex industry", r"selling sex"),
        "prostitution sexual exploitation",
        yes=("is sex work the same as trafficking?", "the sex trade in Kosovo"),
        no=("sexual violence in conflict", "forced labour at work"),
    ),
    Informal(
        (
            r"(?:our |trafficked |the )?clients?",
            r"service users?",
            r"caseload",
            r"(?:people|persons|survivors|victims|those|women|children|kids) (?:we|you|they) "
            r"(?:help|assist|support|serve|work with)",
        ),
        "beneficiaries",
        yes=(
            "can a journalist interview one of our trafficked clients?",
            "can reporters film trafficking survivors we help?",
        ),
        no=("clients of sex workers", "client-side encryption"),
    ),
    Informal(
        ("journalists?", "reporters?", "the press", "tv crews?", "camera crews?", "film(?:ing)?"),
        "media",
        yes=("can reporters film trafficking survivors?", "a journalist wants an interview"),
        no=("social media campaigns",),
    ),
    Informal(
        ("lockdowns?", "locked down", "border closures?", "travel bans?"),
        "restrictions movement pandemic",
        yes=("are smugglers making more money because of covid lockdowns?",),
        no=("locked doors and forced labour",),
    ),
    Informal(
        ("smugglers?",),
        "smuggling",
        yes=("how much do smugglers charge?",),
        no=("smuggling routes in Africa",),
    ),
    Informal(
        ("wars?", "war zones?", "warzones?", "wartime"),
        "conflict",
        yes=("kids used in war", "trafficking in war zones"),
        no=("a warning about disasters", "fighting human trafficking"),
    ),
    Informal(
        ("sg", "unsg", "sec-?gen", "secretary-general"),
        "secretary general",
        yes=("SG annual report children armed conflict 2019", "what does the UNSG say about kids?"),
        no=("SGBV in camps", "SDG 8.7 progress"),
    ),
    Informal(
        ("unsc", "sec council", "the council"),
        "security council",
        yes=("what can the UNSC do about trafficking?", "ideas for the council on trafficking"),
        no=("the Human Rights Council resolution", "UNSCR 1325 and women"),
    ),
    Informal(
        ("hrc", "unhrc"),
        "consejo derechos humanos",
        yes=("HRC resolution on trafficking in conflict",),
        no=("HR policies for NGOs",),
    ),
    Informal(
        ("gbv", "sgbv"),
        "gender-based violence",
        yes=("gbv after hurricanes", "SGBV in camps"),
        no=("gender equality",),
    ),
    Informal(
        ("raped?", "rapes", "raping"),
        "sexual violence",
        yes=("do doctors have to tell the cops when a patient was raped?",),
        no=("rapeseed oil prices", "rapid assessment"),
    ),
    Informal(
        ("govt?s?", "gov", "govs", "gvt"),
        "government",
        yes=("how do govts in europe score?",),
        no=("governance of migration",),
    ),
    Informal(
        ("labor",),
        "labour",
        yes=("child labor trafficking course",),
        no=("labour exploitation in farms",),
    ),
    Informal(
        ("role-?plays?", "role plays?", "roleplaying", "drills?", "mock cases?", "mock trials?"),
        "simulation exercises",
        yes=("roleplay drills with actors to train prosecutors",),
        no=("the role of demand",),
    ),
    Informal(
        (
            "hurricanes?",
            "floods?",
            "flooding",
            "typhoons?",
            "cyclones?",
            "earthquakes?",
            "tsunamis?",
            "droughts?",
        ),
        "natural disasters",
        yes=("gbv after hurricanes and floods", "what did the 2004 tsunami teach?"),
        no=("disaster risk management",),
    ),
    Informal(
        (
            r"won'?t (?:talk|speak|testify|cooperate)",
            r"(?:will not|refuses? to|don'?t want to|doesn'?t want to) "
            r"(?:talk|speak|testify|cooperate|report)",
            r"(?:scared|afraid|too scared|too afraid) to (?:talk|report|testify|speak)",
        ),
        "afraid testify unreported",
        yes=("what if a victim wont talk to the police?", "victims too scared to report"),
        no=("how do police talk to victims?",),
    ),
    Informal(
        (r"(?:send|sending|sent|get|getting|go|going|bring|bringing)(?: \w+)? home",),
        "transnational referral",
        yes=("getting victims home across borders safely",),
        no=("home invasions by gangs",),
    ),
    Informal(
        ("across borders", "cross-?border", "between countries", "who works with whom"),
        "transnational cooperation",
        yes=("getting victims home across borders safely - who works with whom?",),
        no=("border closures during covid",),
    ),
    Informal(
        ("married off", "marry(?:ing)? (?:them |girls |her )?off", "child brides?", "kid marriage"),
        "child marriage",
        yes=("why do families marry girls off in wartime?", "child brides in camps"),
        no=("marriage registration",),
    ),
    Informal(
        (r"organ (?:harvesting|trade|selling|sales?)", "selling organs", "kidney sales?"),
        "organ trafficking",
        yes=("organ harvesting from wounded fighters",),
        no=("organised crime in the Caribbean",),
    ),
    Informal(
        ("sops?",),
        "standard operating procedures",
        yes=("SOPs for referring trafficked refugees", "iom unhcr sops"),
        no=("soap and hygiene kits",),
    ),
    Informal(
        ("vots?", "pvots?"),
        "victims trafficking",
        yes=("VoTs in shelters",),
        no=("votes on the resolution",),
    ),
    Informal(
        ("unsc", "sec council"),
        "security council",
        yes=("what can the UNSC do about trafficking in conflict?",),
        no=("national security",),
    ),
    Informal(
        ("uasc", "uams?", "separated children"),
        "unaccompanied children",
        yes=("UASC at borders",),
        no=("unaccompanied children on the move",),
    ),
)


@lru_cache(maxsize=1)
def _compiled() -> tuple[re.Pattern[str], list[tuple[re.Pattern[str], str]]]:
    """One pattern for every phrase (longest alternatives first) and, per phrase, its words."""
    phrases = [(phrase, row.library) for row in ROWS for phrase in row.phrases]
    phrases.sort(key=lambda p: len(p[0]), reverse=True)
    alternation = "|".join(f"(?:{p})" for p, _ in phrases)
    whole = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.I)
    each = [(re.compile(rf"^(?:{p})$", re.I), words) for p, words in phrases]
    return whole, each


def readings(text: str) -> list[tuple[str, str]]:
    """(phrase as typed, the library's words) for each informal phrase of `text`, in order."""
    whole, each = _compiled()
    folded = fold(text)
    found = []
    for m in whole.finditer(folded):
        words = next((w for pattern, w in each if pattern.match(m.group(0))), "")
        found.append((m.group(0), words))
    return found


def typed_words(text: str) -> frozenset[str]:
    """The folded words of the informal phrases of `text` as typed ("a TV crew": tv, crew): words
    the library's own words stand for, so no name, rare word or misspelling of the question."""
    return frozenset(w for phrase, _ in readings(text) for w in phrase.split())


def library_words(text: str) -> str:
    """The library's words for the informal phrases of `text` ("" when it has none)."""
    words = [w for _, w in readings(text)]
    return " ".join(dict.fromkeys(words))


def in_library_words(text: str) -> str:
    """`text` with each informal phrase replaced by the library's words ("how do armed groups
    recruit kids": "how do armed groups recruit children"), which both the embedding model and
    BM25 then read as the library's records say it."""
    whole, each = _compiled()

    def library(m: re.Match[str]) -> str:
        return next((w for pattern, w in each if pattern.match(m.group(0))), m.group(0))

    return whole.sub(library, text)


def fires(row: Informal, text: str) -> bool:
    """Whether `row` reads a phrase of `text` (the tests' view of one row)."""
    return any(words == row.library for _, words in readings(text))
