"""Reading a question: filters it implies, whether it asks about the library, follow-ups.

`parse_question(question, facets)` returns the question to search with, the `Filters` the
question implies, and `QuestionFlags`. Values are only inferred when the catalog holds them
(`facets` is `Assistant.facets()`): "in Kosovo" becomes the country "Kosovo/UNSCR 1244", "in
Asia" every region value containing "Asia", "by Walk Free Foundation" that author. Places need
a preposition ("in", "from", "across", ...), so a title such as "Europe and Central Asia Report"
inside a question does not restrict the search. Years: "published in 2020", "from 2019" and
"2019 publications" are that year, but only in a question about the library's documents (rule
`about_documents` of `assistant.reading.rules`, or a listing): elsewhere a single year names an event
("the Haiti earthquake of 2010", "committed in 2019") and stays in the searched text; "since 2018" and "2018 onwards" from it; "before 2012" up to
2011; "between 2010 and 2015" both ends. A bare year ("Global Slavery Index 2018") is no filter.

`read_question(question, facets, history)` adds follow-ups: a short question starting with
"and", "what about", "how about"... is searched together with the previous user turn and
inherits that turn's filters (its own filters win); after a listing, "and which of those ..."
narrows that listing (a listing again, with the inherited filters).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .glossary import english_terms
from .models import Filters
from .reading.language import detect_language
from .reading.rules import fires
from .reading.wording import follow_up_query

_YEAR = r"((?:19|20)\d\d)"
_PREP = r"(?:in|from|across|within|throughout|inside|about|regarding|concerning|on|covers?|covering|en|sobre|desde)"
_NOT_PLACES = {"worldwide", "global", "international", "other", "all"}
_DIRECTIONS = {
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "middle",
    "sub",
    "saharan",
    "south-eastern",
    "the",
}


@dataclass(frozen=True)
class QuestionFlags:
    """What kind of question this is."""

    listing: bool = False
    """A question about the library itself ("what do you have from 2020?"): list every match."""
    follow_up: bool = False
    """Read together with the previous user turn."""


@dataclass(frozen=True)
class ReadQuestion:
    """A question as the assistant reads it."""

    question: str
    query: str
    """What retrieval searches for (the previous turn prepended for a follow-up)."""
    filters: Filters
    """Filters inferred from this question and, for a follow-up, the earlier turns."""
    flags: QuestionFlags
    topic: str = ""
    """The question without its listing and filter phrasing ("" when only filters remain)."""
    english: str = ""
    """For a Spanish question, the glossary's English for its domain words: BM25 searches them too
    (`Retriever.search(words=...)`); the model and the answerer read the question as asked."""
    spanish: bool = False
    """The question is in Spanish (`assistant.glossary.is_spanish`)."""

    @property
    def topic_english(self) -> str:
        """For a Spanish listing, the glossary's English for its topic ("matrimonio infantil": "child
        marriage"), so that it also names the English records on it; follows `topic` when that changes."""
        return english_terms(self.topic) if self.spanish and self.flags.listing else ""


# -- years -------------------------------------------------------------------------------------

_YEAR_RULES: list[tuple[re.Pattern, Any]] = [
    (re.compile(rf"\bbetween\s+{_YEAR}\s+and\s+{_YEAR}\b", re.I), lambda a, b: (int(a), int(b))),
    (
        re.compile(rf"\bfrom\s+{_YEAR}\s+(?:to|until|till|through)\s+{_YEAR}\b", re.I),
        lambda a, b: (int(a), int(b)),
    ),
    (re.compile(rf"\b{_YEAR}\s*(?:-|–|to)\s*{_YEAR}\b", re.I), lambda a, b: (int(a), int(b))),
    (re.compile(rf"\b(?:since|after)\s+{_YEAR}\b", re.I), None),  # handled below (after = +1)
    (
        re.compile(
            rf"\b(?:from\s+)?{_YEAR}\s+(?:on(?=\s*(?:[?.!,;]|$))|onwards?|and\s+later|or\s+later|and\s+after)\b",
            re.I,
        ),
        lambda a: (int(a), None),
    ),
    (
        re.compile(rf"\b(?:before|prior\s+to|earlier\s+than)\s+{_YEAR}\b", re.I),
        lambda a: (None, int(a) - 1),
    ),
    (
        re.compile(rf"\b(?:until|up\s+to|through|till|by\s+the\s+end\s+of)\s+{_YEAR}\b", re.I),
        lambda a: (None, int(a)),
    ),
    (
        re.compile(
            rf"\b(?:(?:published|released|written|issued|dated|produced)\s+)?(?:in|from|during|of)\s+{_YEAR}\b",
            re.I,
        ),
        lambda a: (int(a), int(a)),
    ),
    (re.compile(rf"\b(?:published|released|issued)\s+{_YEAR}\b", re.I), lambda a: (int(a), int(a))),
    (
        re.compile(
            rf"\b{_YEAR}\s+(?:publications?|reports?|documents?|records?|papers?|studies|items)\b",
            re.I,
        ),
        lambda a: (int(a), int(a)),
    ),
]
# The same in Spanish, for the library's Spanish records and their readers; tried after the English
# rules, as no English year phrase uses "desde", "hasta", "entre … y" or "en/de <year>".
_YEAR_RULES_ES: list[tuple[re.Pattern, Any]] = [
    (
        re.compile(rf"\bentre\s+(?:el\s+)?{_YEAR}\s+y\s+(?:el\s+)?{_YEAR}\b", re.I),
        lambda a, b: (int(a), int(b)),
    ),
    (
        re.compile(
            rf"\b(?:de|desde)\s+(?:el\s+)?{_YEAR}\s+(?:a|al|hasta)\s+(?:el\s+)?{_YEAR}\b", re.I
        ),
        lambda a, b: (int(a), int(b)),
    ),
    (
        re.compile(rf"\b(?:desde|a\s+partir\s+de)\s+(?:el\s+)?{_YEAR}\b", re.I),
        lambda a: (int(a), None),
    ),
    (
        re.compile(
            rf"\b(?:despu[eé]s\s+de(?:l)?|tras(?:\s+el)?|posteriores?\s+a(?:l)?)\s+{_YEAR}\b", re.I
        ),
        lambda a: (int(a) + 1, None),
    ),
    (
        re.compile(rf"\b(?:antes\s+de(?:l)?|anteriores?\s+a(?:l)?)\s+{_YEAR}\b", re.I),
        lambda a: (None, int(a) - 1),
    ),
    (re.compile(rf"\bhasta\s+(?:el\s+)?{_YEAR}\b", re.I), lambda a: (None, int(a))),
    (
        re.compile(
            rf"\b(?:publicad[oa]s?\s+)?(?:en|de|del|durante)\s+(?:el\s+)?(?:a[nñ]o\s+)?{_YEAR}\b",
            re.I,
        ),
        lambda a: (int(a), int(a)),
    ),
]


def _years(question: str) -> tuple[int | None, int | None, str]:
    """(year_from, year_to, question without the year phrase)."""
    for pattern, make in _YEAR_RULES + _YEAR_RULES_ES:
        m = pattern.search(question)
        if not m:
            continue
        if make is None:
            word = m.group(0).split()[0].lower()
            lo, hi = int(m.group(1)) + (1 if word == "after" else 0), None
        else:
            lo, hi = make(*m.groups())
        if lo is not None and hi is not None and lo > hi:
            lo, hi = hi, lo
        cleaned = (question[: m.start()] + " " + question[m.end() :]).strip()
        return lo, hi, re.sub(r"\s{2,}", " ", cleaned)
    return None, None, question


# -- catalog values ----------------------------------------------------------------------------


def _parts(value: str) -> list[str]:
    """ "Kosovo/UNSCR 1244" -> ["Kosovo/UNSCR 1244", "Kosovo", "UNSCR 1244"]."""
    parts = [value] + [p.strip() for p in re.split(r"[/(),;]", value) if p.strip()]
    return list(dict.fromkeys(p for p in parts if len(p) >= 3))


def _place_terms(values: Iterable[str]) -> dict[str, list[str]]:
    """term -> the catalog values it selects (every value containing the term as a word)."""
    values = [v for v in values if v and v.casefold() not in _NOT_PLACES]
    terms: set[str] = set()
    for v in values:
        terms.update(_parts(v))
        for word in re.findall(r"[A-Za-z][\w-]+", v):
            if len(word) >= 4 and word.casefold() not in _DIRECTIONS and word[0].isupper():
                terms.add(word)
    out: dict[str, list[str]] = {}
    for term in terms:
        pat = re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", re.I)
        out[term] = sorted(v for v in values if pat.search(v))
    return out


def _match_places(question: str, values: Iterable[str]) -> tuple[str, ...]:
    terms = _place_terms(values)
    found: list[tuple[int, int, str]] = []
    for term in sorted(terms, key=len, reverse=True):
        m = re.search(rf"\b{_PREP}\s+(?:the\s+)?({re.escape(term)})(?!\w)", question, re.I)
        if m and not any(s <= m.start(1) < e for s, e, _ in found):
            found.append((m.start(1), m.end(1), term))
    selected: list[str] = []
    for _, _, term in sorted(found):
        selected.extend(terms[term])
    return tuple(dict.fromkeys(selected))


ORGANISATION_WORDS = {
    "foundation",
    "institute",
    "organization",
    "organisation",
    "office",
    "centre",
    "center",
    "network",
    "council",
    "association",
    "society",
    "agency",
    "fund",
    "programme",
    "program",
    "committee",
    "commission",
    "group",
    "initiative",
    "trust",
    "project",
}


def short_name(author: str) -> str | None:
    """ "Walk Free" for "Walk Free Foundation": an organisation's name without its last, generic word
    (None for any other name). People write organisations so; the CLI, the UI and evals read them so."""
    words = author.split()
    return (
        " ".join(words[:-1])
        if len(words) >= 3 and words[-1].casefold() in ORGANISATION_WORDS
        else None
    )


def _match_authors(question: str, authors: Iterable[str]) -> tuple[str, ...]:
    out = []
    for author in authors:
        if not author or len(author) < 4:
            continue
        if re.search(rf"(?<!\w){re.escape(author)}(?!\w)", question, re.I):
            out.append(author)
            continue
        short = short_name(author)
        if short and re.search(rf"(?<!\w){re.escape(short)}(?!\w)", question):
            out.append(
                author
            )  # "Walk Free" for Walk Free Foundation, written as the catalog writes it
            continue
        surname = author.split()[-1]
        if (
            len(author.split()) > 1
            and len(surname) >= 4
            and re.search(rf"\bby\s+{re.escape(surname)}(?!\w)", question, re.I)
        ):
            out.append(author)
    return tuple(dict.fromkeys(out))


def _match_categories(question: str, categories: Iterable[str]) -> tuple[str, ...]:
    out = []
    for cat in sorted(categories, key=len, reverse=True):
        c = re.escape(cat)
        if re.search(
            rf"\bcategor(?:y|ies)\s*:?\s+(?:of\s+)?(?:the\s+)?[\"']?{c}(?!\w)|(?<!\w){c}[\"']?\s+categor(?:y|ies)\b",
            question,
            re.I,
        ):
            if not any(cat.casefold() in o.casefold() for o in out):
                out.append(cat)
    return tuple(out)


# -- kinds of question -------------------------------------------------------------------------

_LISTING = re.compile(
    r"^\s*(?:please\s+)?(?:list|enumerate|show\s+(?:me\s+)?(?:all|every|the\s+list)|give\s+me\s+(?:a\s+list|all))\b"
    r"|\bwhat\s+(?:do|does)\s+(?:you|the\s+library|the\s+collection|it)\s+(?:have|hold|contain)\b"
    r"|\bwhat(?:'s|\s+is)\s+in\s+the\s+(?:library|collection)\b"
    r"|\bwhat\s+(?:has|have|did)\s+.+?\s+(?:publish|published|write|written|wrote|produce|produced|released?)\b"
    r"|\b(?:which|what)\s+(?:[\w-]+\s+){0,2}?(?:records|documents|reports|publications|papers|items|titles)\s+"
    r"(?:do\s+you|does\s+the\s+library|are\s+(?:there|in|about|on)|did|were|have|has|from|by|in|on|about|"
    r"cover|deal\s+with|discuss|address|mention|concern)\b"
    r"|\bhow\s+many\s+(?:records|documents|reports|publications|papers|items)\b"
    r"|\b(?:all|every)\s+(?:the\s+)?(?:records|documents|reports|publications|papers)\b"
    # Spanish: "¿qué documentos hay sobre …?", "¿qué tiene la biblioteca de 2020?", "¿qué publicó …?"
    r"|\bqu[eé]\s+(?:documentos|informes|publicaciones|registros|estudios|textos)\s+(?:hay|tiene|tienes|contiene|existen)\b"
    r"|\bqu[eé]\s+(?:hay|tiene|tienes|contiene)\s+(?:la\s+(?:biblioteca|colecci[oó]n)\s+)?(?:de|del|sobre|acerca|desde|en)\b"
    r"|\bqu[eé]\s+(?:ha|han)\s+publicado\b|\bqu[eé]\s+(?:public[oó]|publicaron|escribi[oó])\b"
    r"|^\s*[¿¡]?\s*(?:lista|enumera|mu[eé]strame|muestra|dame)\b"
    r"|\bcu[aá]nt[oa]s\s+(?:documentos|informes|publicaciones|registros)\b",
    re.I,
)
_LISTING_WORDS = re.compile(
    r"\b(?:please|list|enumerate|show|give|me|all|every|what|which|do|does|did|you|have|has|hold|contain|is|are|"
    r"there|the|library|collection|records?|documents?|reports?|publications?|papers?|items|titles|published|"
    r"publish|wrote|written|write|produced?|released?|how|many|from|by|in|a|of|any|s|everything|anything|were|was|"
    r"got|please|"
    r"those|these|them|ones?|it|its|recent|latest|newest|"
    r"qu[eé]|hay|tiene|tienes|contiene|existen|la|el|los|las|biblioteca|colecci[oó]n|documentos?|informes?|"
    r"publicaciones?|registros?|estudios?|textos?|publicad[oa]s?|public[oó]|publicaron|ha|han|escribi[oó]|lista|"
    r"enumera|mu[eé]strame|muestra|dame|tod[oa]s?|cu[aá]nt[oa]s|de|del|en|y|"
    r"categor(?:y|ies))\b|[?.!,'¿¡]",
    re.I,
)
_SUBJECT_VERBS = re.compile(
    r"\b(?:deal(?:s|ing|t)?\s+with|cover(?:s|ed|ing)?|address(?:es|ed|ing)?|discuss(?:es|ed|ing)?|"
    r"concern(?:s|ed|ing)?|relat(?:e|es|ed|ing)\s+to|focus(?:es|ed|ing)?\s+on|talk(?:s|ed|ing)?\s+about|"
    r"mention(?:s|ed|ing)?|tackl(?:e|es|ed|ing)|regarding|about|on\s+the\s+(?:topic|subject)\s+of|"
    r"tratan?\s+(?:de|sobre)|sobre|acerca\s+de|relacionad[oa]s?\s+con)\b",
    re.I,
)
"""How a listing question says what its records are about ("which reports deal with ...")."""
_NARROWING = re.compile(r"\b(?:those|these|them|ones)\b", re.I)
"""A follow-up of a listing that says "which of those ..." narrows that listing."""
_FOLLOW_UP = re.compile(
    r"^\s*(?:and|also|but|plus|what\s+about|how\s+about|and\s+what|what\s+of|and\s+how|same\s+for|y|¿?y\s+qu[eé])\b",
    re.I,
)
_ANAPHORA = re.compile(
    r"\b(?:they|them|their|theirs|those|these|the\s+(?:same|former|latter))\b", re.I
)
"""Words that point back at an earlier turn's records ("what do they recommend?")."""


def parse_question(
    question: str, facets: Mapping[str, Sequence[Any]]
) -> tuple[str, Filters, QuestionFlags]:
    """(question to search with, inferred Filters, QuestionFlags) for one question alone."""
    year_from, year_to, cleaned = _years(question)
    listing = bool(_LISTING.search(question))
    if (
        year_from is not None
        and year_from == year_to
        and not (listing or fires("about_documents", question))
        and not re.search(rf"\b(?:from|desde)\s+{year_from}\b", question, re.I)
    ):
        # "the Haiti earthquake of 2010": a year of events is searched for, not a publication filter
        year_from, year_to, cleaned = None, None, question
    filters = Filters(
        year_from=year_from,
        year_to=year_to,
        regions=_match_places(question, facets.get("regions", ())),
        countries=_match_places(question, facets.get("countries", ())),
        categories=_match_categories(question, facets.get("categories", ())),
        authors=_match_authors(question, facets.get("authors", ())),
    )
    flags = QuestionFlags(listing=listing)
    return cleaned or question, filters, flags


def listing_topic(question: str, facets: Mapping[str, Sequence[Any]], filters: Filters) -> str:
    """The subject of a listing question once its phrasing and the values of `filters` are taken
    out; with fewer filters (places dropped because they matched nothing) more words stay."""
    return _topic(parse_question(question, facets)[0], filters)


def _topic(question: str, filters: Filters) -> str:
    """The question's subject once listing phrasing and filter values are taken out."""
    text = question
    shorts = [short for a in filters.authors if (short := short_name(a))]
    for value in (
        *filters.regions,
        *filters.countries,
        *filters.categories,
        *filters.authors,
        *shorts,
    ):
        for part in _parts(value):
            text = re.sub(rf"(?<!\w){re.escape(part)}(?!\w)", " ", text, flags=re.I)
    text = _SUBJECT_VERBS.sub(" ", text)
    text = _LISTING_WORDS.sub(" ", text)
    text = re.sub(
        rf"\b{_YEAR}\b|\b(?:since|before|after|between|and|onwards?|until|about|on|to|any|desde|antes|despu[eé]s|hasta|entre|tras)\b",
        " ",
        text,
        flags=re.I,
    )
    return re.sub(r"\s+", " ", text).strip()


def user_turns(history: Iterable[Any]) -> list[str]:
    """The user's earlier questions from a history of strings, (user, assistant) pairs or role dicts."""
    out: list[str] = []
    for turn in history or ():
        if isinstance(turn, str):
            out.append(turn)
        elif isinstance(turn, Mapping):
            if turn.get("role") == "user":
                content = turn.get("content")
                if isinstance(content, list):  # gradio parts
                    content = " ".join(p.get("text", "") for p in content if isinstance(p, Mapping))
                if isinstance(content, str):
                    out.append(content)
        elif isinstance(turn, (tuple, list)) and turn and isinstance(turn[0], str):
            out.append(turn[0])
    return [t.strip() for t in out if t and t.strip()]


def is_follow_up(question: str) -> bool:
    words = question.split()
    return bool(_FOLLOW_UP.search(question) or _ANAPHORA.search(question)) and len(words) <= 12


def read_question(
    question: str, facets: Mapping[str, Sequence[Any]], history: Iterable[Any] = ()
) -> ReadQuestion:
    """Read `question` in the context of the user's earlier turns."""
    cleaned, filters, flags = parse_question(question, facets)
    earlier = user_turns(history)
    follow_up = bool(earlier) and is_follow_up(question)
    query = cleaned
    if follow_up:
        context: list[str] = []
        inherited = Filters()
        listed = False
        # Walk back over a chain of follow-ups to the question that set the subject.
        for turn in reversed(earlier):
            turn_cleaned, turn_filters, turn_flags = parse_question(turn, facets)
            context.insert(0, turn_cleaned)
            inherited = turn_filters.merged(inherited)
            listed = turn_flags.listing
            if not is_follow_up(turn) or len(context) >= 3:
                break
        filters = inherited.merged(filters)
        query = follow_up_query(cleaned, context)
        if listed and _NARROWING.search(question):
            flags = QuestionFlags(listing=True)
    if (
        not follow_up
        and not flags.listing
        and not filters.is_empty()
        and not _topic(cleaned, filters)
    ):
        flags = QuestionFlags(
            listing=True
        )  # "anything after 2018?": nothing but filters, so list them
    topic = _topic(cleaned, filters) if flags.listing else cleaned
    spanish = detect_language(question) == "es"
    return ReadQuestion(
        question=question,
        query=query,
        filters=filters,
        flags=QuestionFlags(listing=flags.listing, follow_up=follow_up),
        topic=topic,
        english=english_terms(cleaned) if spanish else "",
        spanish=spanish,
    )
