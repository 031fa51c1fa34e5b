"""The reading rules that decide what a phrase of a question means, in one table.

Each row names a rule, the pattern that fires it, and example questions on which it must fire
(`yes`) and must not (`no`); tests/test_reading_rules.py runs every example, and a row without
both kinds fails there. Rules were written on evals/questions/dev.jsonl and the sample set.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

YearRange = tuple[int | None, int | None]


@dataclass(frozen=True)
class Rule:
    """One reading rule. A rule over catalog values ("in <place>", "by <surname>") has a
    `template` whose `<value>` each catalog value fills (`for_value`); its `pattern` is the template
    filled with an example value, which the yes/no examples are run against. A year rule's `make`
    turns its match into (year_from, year_to)."""

    name: str
    pattern: re.Pattern[str]
    doc: str
    yes: tuple[str, ...]
    no: tuple[str, ...]
    make: Callable[[re.Match[str]], YearRange] | None = None
    template: str = ""

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text)

    def for_value(self, value: str) -> re.Pattern[str]:
        """The template filled with the catalog value `value` (escaped)."""
        return _filled(self.template, value, self.pattern.flags)


@lru_cache(maxsize=4096)
def _filled(template: str, value: str, flags: int) -> re.Pattern[str]:
    return re.compile(template.replace("<value>", re.escape(value)), flags)


def _templated(
    name: str,
    template: str,
    example: str,
    doc: str,
    yes: tuple[str, ...],
    no: tuple[str, ...],
    flags: int = 0,
) -> Rule:
    pattern = re.compile(template.replace("<value>", re.escape(example)), flags)
    return Rule(name, pattern, doc, yes, no, template=template)


_DOC_WORDS = (
    r"records?|documents?|reports?|publications?|papers?|studies|items|titles?|materials?|resources?|"
    r"guides?|editions?|published|publish|released?|issued|written|dated|library|collection|"
    r"documentos?|informes?|publicaciones?|publicad[oa]s?|registros?|estudios?|biblioteca|colecci[oó]n"
)
DOC_WORDS = re.compile(_DOC_WORDS, re.I)
"""One word that names the library's documents or their publishing ("reports", "published")."""

_QUESTION_RULES: tuple[Rule, ...] = (
    Rule(
        "about_documents",
        re.compile(
            rf"\b(?:{_DOC_WORDS})\b|\bwhat\s+(?:do|does)\s+(?:you|it)\s+(?:have|hold)\b|"
            r"\b(?:have|got)\s+you\s+got\b|\bwhat(?:'s|\s+have)\s+you\s+got\b|\banything\s+(?:from|since|before|after)\b|"
            r"\bqu[eé]\s+(?:tienes|tiene|hay)\b",
            re.I,
        ),
        "The question is about the library's documents, so a year in it filters publications; "
        "otherwise a year names an event and is searched for.",
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
            r"([A-Z][a-z]+)(?=\s+(?:(?:from|in|at)\s+(?:our|my|the)\s+(?:\w+\s+){1,2})?(?:asks?|asked|wants?|wanted|needs?|needed|says?|said|"
            r"told|wonders?|wondered|is\s+asking|would\s+like)\b)",
            re.M,
        ),
        "A capitalised name that asks, wants or needs something is a person, not a place "
        "('Chad asked...', 'my colleague Victoria needs...'): it raises no place warning and is "
        "no focus of the question.",
        yes=(
            "Chad asked whether we have the Security Council ideas paper",
            "My colleague Victoria needs the first aid kit",
            "Georgia from our team asks how to handle journalists",
            "Jordan wants a facilitator's guide",
            "Florence in our Geneva office wants the Kosovo paper",
        ),
        no=(
            "What did Chad's government do to stop child recruitment?",
            "trafficking in Georgia and Armenia",
            "Is there anything on refugees in Jordan?",
        ),
    ),
    Rule(
        "asker_organisation",
        re.compile(
            r"\b(?i:our|my|we\s+are\s+an?|i\s+work\s+(?:for|at|with)\s+an?)\s+"
            r"((?:[A-Z][\w-]*[A-Z][\w-]*|[A-Z]{2,}s?)(?:\s+(?:[A-Z]{2,}s?))*)(?:['’]s)?\b"
            r"|\b(?i:our|my)\s+((?:[\w'’&-]+\s+){1,4})(?=(?i:office|team|branch|unit|mission|"
            r"delegation|staff|colleagues|co-?workers)\b)"
        ),
        "An acronym naming the asker's own organisation, office or team ('our NGO works with...', "
        "'our IOM office supports...', 'I work for an INGO', 'my WASH colleagues') says who asks, "
        "not what the question is about: it is no focus the evidence must name.",
        yes=(
            "Our NGO works with displaced families: why do parents marry off their daughters?",
            "A TV crew wants to film a survivor our IOM office supports. Is there guidance?",
            "I work for an INGO in Cox's Bazar; what are the signs of trafficking?",
            "my UNHCR team meets unaccompanied children at the border",
            "Florence in our Geneva office wants whatever Peyroux wrote",
            "I need a primer for my logistics and WASH colleagues",
            "our field protection and GBV team asks what protection means",
        ),
        no=(
            "What does IOM recommend on media access to victims?",
            "Our staff need training on trafficking",
            "What did UNHCR and IOM agree on standard operating procedures?",
        ),
    ),
    Rule(
        "follow_up",
        re.compile(
            r"^\s*(?:and|also|but|plus|what\s+about|how\s+about|and\s+what|what\s+of|and\s+how|same\s+for|"
            r"y|¿?\s*y\s+qu[eé]|¿?\s*y\s+(?:sobre|en|de|para))\b",
            re.I,
        ),
        "A short question that opens like this continues the conversation: its own words lead the "
        "search and the earlier question fills in what it leaves out.",
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
    Rule(
        "asks_quantity",
        re.compile(
            r"\bhow\s+many\b|\bby\s+how\s+much\b"
            r"|\bwhat(?:['’]?s|\s+is|\s+was|\s+are|\s+were)?\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?"
            r"(?:share|proportion|percentage|per\s*cent|fraction|rate|number)\b(?!\s+(?:one|1)\b)"
            r"|\bcu[aá]nt[oa]s\b|\bqu[eé]\s+(?:porcentaje|proporci[oó]n|cantidad|n[uú]mero|tasa)\b",
            re.I,
        ),
        "The question asks for a figure (how many, what share, what rate): a relevant record must "
        "give one, a number other than a year or the question's own numbers, or the answer says "
        "the library does not give it.",
        yes=(
            "How many Rohingya victims did IOM assist in 2019?",
            "What share of trafficking victims in Libya are men?",
            "whats the child marriage rate among refugee girls",
            "What proportion of detected victims are women and girls?",
            "¿Cuántas víctimas identificó la OIM?",
        ),
        no=(
            "How much does the guidance say about consent?",
            "What is the main recommendation of the report?",
            "What are the number one risks for displaced girls?",
            "How do armed groups recruit children?",
        ),
    ),
    Rule(
        "asks_overview",
        re.compile(
            r"\b(?:anything|something)\b(?!\s+(?:else\s+)?(?:that\s+)?(?:says?|states?|gives?)\b)"
            r"|\bany\s+(?:\w+\s+)?(?:material|materials|resources?|research|literature|work|"
            r"evidence|info|information|documents?|reports?|records?|studies|guidance)\b"
            r"|\bwhat\s+(?:do|does|did)\s+(?:we|you|the\s+library|it)\s+(?:know|have|hold)\b"
            r"|\bwhat(?:['’]s|\s+has|\s+have|\s+is)\s+(?:been\s+)?(?:written|published|said|known|out\s+there)\b"
            r"|\bwhat\s+in\s+the\s+library\b|\b(?:that|this)\s+(?:part\s+of\s+the\s+world|region|area)\b"
            r"|\bhay\s+algo\b|\bqu[eé]\s+(?:hay|tenemos|tienes|sabemos|se\s+sabe)\b",
            re.I,
        ),
        "The question asks what the library holds on a subject or place, not for one detail: a "
        "place no record names is answered from records on the place that holds it (a city's "
        "country, a country's UN sub-region: Jamaica from records on the Caribbean), and the "
        "answer says so.",
        yes=(
            "Anything relevant to trafficking in Fiji?",
            "We're scoping a project in Jamaica. What in the library touches on that part of "
            "the world?",
            "I'm based in Pristina. What's been written about sex trafficking here?",
            "What do we know about trafficking among Rohingya families near Teknaf?",
            "Is there any research on organised crime in Honduras?",
            "¿Hay algo sobre la trata en Guatemala?",
        ),
        no=(
            "Is forced begging a crime in Italy?",
            "How many victims were identified in Mexico in 2012?",
            "What should a police officer do first?",
            "Which law punishes trafficking in Jamaica?",
        ),
    ),
)
GAZETTEER_PHRASE = Rule(
    "gazetteer_phrase",
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

# -- publication years ---------------------------------------------------------------------------
# Tried in this order; the first that fires decides. English first: no English year phrase uses
# "desde", "hasta", "entre … y" or "en/de <year>".
_YEAR = r"((?:19|20)\d\d)"


def _pair(m: re.Match[str]) -> YearRange:
    return int(m.group(1)), int(m.group(2))


def _one(m: re.Match[str]) -> YearRange:
    return int(m.group(1)), int(m.group(1))


def _from(m: re.Match[str]) -> YearRange:
    return int(m.group(1)), None


def _before(m: re.Match[str]) -> YearRange:
    return None, int(m.group(1)) - 1


def _until(m: re.Match[str]) -> YearRange:
    return None, int(m.group(1))


def _since_after(m: re.Match[str]) -> YearRange:
    after = m.group(0).split()[0].lower() == "after"
    return int(m.group(1)) + (1 if after else 0), None


def _after_es(m: re.Match[str]) -> YearRange:
    return int(m.group(1)) + 1, None


YEAR_RULES: tuple[Rule, ...] = (
    Rule(
        "year_between",
        re.compile(rf"\bbetween\s+{_YEAR}\s+and\s+{_YEAR}\b", re.I),
        "Publications of both years and those between.",
        yes=("reports published between 2010 and 2015",),
        no=("reports from 2010", "between the lines of 2010 and after"),
        make=_pair,
    ),
    Rule(
        "year_from_to",
        re.compile(rf"\bfrom\s+{_YEAR}\s+(?:to|until|till|through)\s+{_YEAR}\b", re.I),
        "Publications from one year to another.",
        yes=("documents from 2012 to 2014", "reports from 2015 through 2018"),
        no=("documents from 2012", "from 2012 and 2014"),
        make=_pair,
    ),
    Rule(
        "year_range",
        re.compile(rf"\b{_YEAR}\s*(?:-|–|to)\s*{_YEAR}\b", re.I),
        "A written range of years: 2010-2015, 2010 to 2015.",
        yes=("reports 2010-2015", "publications 2016 to 2019"),
        no=("reports of 2010 and 2015", "Global Slavery Index 2018"),
        make=_pair,
    ),
    Rule(
        "year_since",
        re.compile(rf"\b(?:since|after)\s+{_YEAR}\b", re.I),
        "Since a year (that year on), after a year (the next year on).",
        yes=("anything published since 2018?", "reports after 2015"),
        no=("reports before 2015", "after the 2015 elections"),
        make=_since_after,
    ),
    Rule(
        "year_onwards",
        re.compile(
            rf"\b(?:from\s+)?{_YEAR}\s+(?:on(?=\s*(?:[?.!,;]|$))|onwards?|and\s+later|or\s+later|"
            r"and\s+after)\b",
            re.I,
        ),
        "A year and the ones after it: 2018 onwards, 2018 or later, from 2018 on.",
        yes=("reports from 2018 on", "documents 2016 onwards", "2019 or later please"),
        no=("reports on 2018 on trafficking", "2016 reports"),
        make=_from,
    ),
    Rule(
        "year_before",
        re.compile(rf"\b(?:before|prior\s+to|earlier\s+than)\s+{_YEAR}\b", re.I),
        "Before a year: up to the year before it.",
        yes=("Anything published before 2010?", "reports prior to 2012"),
        no=("reports until 2012", "before the 2012 reform"),
        make=_before,
    ),
    Rule(
        "year_until",
        re.compile(rf"\b(?:until|up\s+to|through|till|by\s+the\s+end\s+of)\s+{_YEAR}\b", re.I),
        "Until a year: up to and including it.",
        yes=("reports up to 2014", "documents until 2016"),
        no=("reports before 2014", "until the end of the war"),
        make=_until,
    ),
    Rule(
        "year_in",
        re.compile(
            r"\b(?:(?:published|released|written|issued|dated|produced)\s+)?(?:in|from|during|of)"
            rf"\s+{_YEAR}\b",
            re.I,
        ),
        "One year: published in 2020, from 2019, of 2010 (in a question about the library's "
        "documents; elsewhere, rule `about_documents`, a year of events is searched for).",
        yes=("What reports were published in 2020?", "documents from 2012 please"),
        no=("2016 reports on Asia", "Global Slavery Index 2018"),
        make=_one,
    ),
    Rule(
        "year_published",
        re.compile(rf"\b(?:published|released|issued)\s+{_YEAR}\b", re.I),
        "One year written after the verb: published 2019.",
        yes=("reports published 2019",),
        no=("reports published in 2019", "what was published?"),
        make=_one,
    ),
    Rule(
        "year_publications",
        re.compile(
            rf"\b{_YEAR}\s+(?:publications?|reports?|documents?|records?|papers?|studies|items)\b",
            re.I,
        ),
        "One year written before the documents: 2019 publications.",
        yes=("Show me the 2019 publications", "any 2016 reports?"),
        no=("Global Slavery Index 2018", "the 2010 earthquake"),
        make=_one,
    ),
    Rule(
        "year_entre_es",
        re.compile(rf"\bentre\s+(?:el\s+)?{_YEAR}\s+y\s+(?:el\s+)?{_YEAR}\b", re.I),
        "Spanish: entre 2010 y 2015.",
        yes=("informes publicados entre 2010 y 2015", "entre el 2012 y el 2014"),
        no=("informes de 2010", "entre 2010 o 2015"),
        make=_pair,
    ),
    Rule(
        "year_de_a_es",
        re.compile(
            rf"\b(?:de|desde)\s+(?:el\s+)?{_YEAR}\s+(?:a|al|hasta)\s+(?:el\s+)?{_YEAR}\b", re.I
        ),
        "Spanish: de 2010 a 2015, desde 2010 hasta 2015.",
        yes=("informes de 2010 a 2015", "desde el 2012 hasta el 2016"),
        no=("informes de 2010", "desde 2012"),
        make=_pair,
    ),
    Rule(
        "year_desde_es",
        re.compile(rf"\b(?:desde|a\s+partir\s+de)\s+(?:el\s+)?{_YEAR}\b", re.I),
        "Spanish: desde 2018, a partir de 2018 (that year on).",
        yes=("¿Qué hay desde 2018?", "informes a partir de 2016"),
        no=("informes de 2018", "desde el principio"),
        make=_from,
    ),
    Rule(
        "year_despues_es",
        re.compile(
            rf"\b(?:despu[eé]s\s+de(?:l)?|tras(?:\s+el)?|posteriores?\s+a(?:l)?)\s+{_YEAR}\b", re.I
        ),
        "Spanish: después de 2015, tras 2015, posteriores a 2015 (the next year on).",
        yes=("informes posteriores a 2015", "¿Qué se publicó después de 2016?"),
        no=("informes anteriores a 2015", "después de la guerra"),
        make=_after_es,
    ),
    Rule(
        "year_antes_es",
        re.compile(rf"\b(?:antes\s+de(?:l)?|anteriores?\s+a(?:l)?)\s+{_YEAR}\b", re.I),
        "Spanish: antes de 2012, anteriores a 2012 (up to the year before).",
        yes=("informes anteriores a 2012", "¿Algo antes de 2010?"),
        no=("informes posteriores a 2012", "antes de la guerra"),
        make=_before,
    ),
    Rule(
        "year_hasta_es",
        re.compile(rf"\bhasta\s+(?:el\s+)?{_YEAR}\b", re.I),
        "Spanish: hasta 2014 (up to and including it).",
        yes=("informes hasta 2014", "hasta el 2016"),
        no=("informes de 2014", "hasta luego"),
        make=_until,
    ),
    Rule(
        "year_en_es",
        re.compile(
            rf"\b(?:publicad[oa]s?\s+)?(?:en|de|del|durante)\s+(?:el\s+)?(?:a[nñ]o\s+)?{_YEAR}\b",
            re.I,
        ),
        "Spanish: publicados en 2020, de 2019, del año 2016 (one year).",
        yes=("¿Qué tienes de 2016?", "informes publicados en el año 2020"),
        no=("informes 2016", "¿Qué tienes sobre trata?"),
        make=_one,
    ),
)

# -- kinds of question ---------------------------------------------------------------------------

LISTING = Rule(
    "listing",
    re.compile(
        r"^\s*(?:please\s+)?(?:list|enumerate|show\s+(?:me\s+)?(?:all|every|the\s+list)|"
        r"give\s+me\s+(?:a\s+list|all))\b"
        r"|\bwhat\s+(?:do|does)\s+(?:you|the\s+library|the\s+collection|it)\s+(?:have|hold|contain)\b"
        r"|\bwhat(?:'s|\s+is)\s+in\s+the\s+(?:library|collection)\b"
        r"|\bwhat\s+(?:has|have|did)\s+.+?\s+(?:publish|published|write|written|wrote|produce|"
        r"produced|released?)\b"
        r"|\b(?:which|what)\s+(?:[\w-]+\s+){0,2}?(?:records|documents|reports|publications|papers|"
        r"items|titles)\s+"
        r"(?:do\s+you|does\s+the\s+library|are\s+(?:there|in|about|on)|did|were|have|has|from|by|in|"
        r"on|about|cover|deal\s+with|discuss|address|mention|concern)\b"
        r"|\bhow\s+many\s+(?:records|documents|reports|publications|papers|items)\b"
        r"|\b(?:all|every)\s+(?:the\s+)?(?:records|documents|reports|publications|papers)\b"
        # Spanish: "¿qué documentos hay sobre …?", "¿qué tiene la biblioteca de 2020?",
        # "¿qué publicó …?"
        r"|\bqu[eé]\s+(?:documentos|informes|publicaciones|registros|estudios|textos)\s+"
        r"(?:hay|tiene|tienes|contiene|existen)\b"
        r"|\bqu[eé]\s+(?:hay|tiene|tienes|contiene)\s+(?:la\s+(?:biblioteca|colecci[oó]n)\s+)?"
        r"(?:de|del|sobre|acerca|desde|en)\b"
        r"|\bqu[eé]\s+(?:ha|han)\s+publicado\b|\bqu[eé]\s+(?:public[oó]|publicaron|escribi[oó])\b"
        r"|^\s*[¿¡]?\s*(?:lista|enumera|mu[eé]strame|muestra|dame)\b"
        r"|\bcu[aá]nt[oa]s\s+(?:documentos|informes|publicaciones|registros)\b",
        re.I,
    ),
    "A question about the library itself: every matching record is listed, each cited.",
    yes=(
        "List the reports about child marriage",
        "What do you have on smuggling?",
        "What recent reports deal with smuggling?",
        "What has Walk Free published?",
        "¿Qué documentos hay sobre la trata?",
        "¿Cuántos informes hay de 2020?",
    ),
    no=(
        "How do smugglers operate?",
        "What did the Haiti earthquake of 2010 teach about protection?",
        "Why do families marry girls off?",
    ),
)
LISTING_WORDS = Rule(
    "listing_words",
    re.compile(
        r"\b(?:please|list|enumerate|show|give|me|all|every|what|which|do|does|did|you|have|has|"
        r"hold|contain|is|are|"
        r"there|the|library|collection|records?|documents?|reports?|publications?|papers?|items|"
        r"titles|published|"
        r"publish|wrote|written|write|produced?|released?|came\s+out|come\s+out|appeared|how|many|"
        r"from|by|in|a|of|any|s|"
        r"everything|anything|were|was|"
        r"got|please|"
        r"those|these|them|ones?|it|its|recent|latest|newest|"
        r"qu[eé]|hay|tiene|tienes|contiene|existen|la|el|los|las|biblioteca|colecci[oó]n|"
        r"documentos?|informes?|"
        r"publicaciones?|registros?|estudios?|textos?|publicad[oa]s?|public[oó]|publicaron|ha|"
        r"han|escribi[oó]|lista|"
        r"enumera|mu[eé]strame|muestra|dame|tod[oa]s?|cu[aá]nt[oa]s|de|del|en|y|"
        r"categor(?:y|ies))\b|[?.!,'¿¡]",
        re.I,
    ),
    "The phrasing of a listing question, taken out of its topic ('List the reports about child "
    "marriage': 'child marriage').",
    yes=("List the reports", "¿Qué documentos hay?"),
    no=("child marriage", "smuggling routes"),
)
SUBJECT_VERBS = Rule(
    "subject_verbs",
    re.compile(
        r"\b(?:deal(?:s|ing|t)?\s+with|cover(?:s|ed|ing)?|address(?:es|ed|ing)?|"
        r"discuss(?:es|ed|ing)?|"
        r"concern(?:s|ed|ing)?|relat(?:e|es|ed|ing)\s+to|focus(?:es|ed|ing)?\s+on|"
        r"talk(?:s|ed|ing)?\s+about|"
        r"mention(?:s|ed|ing)?|tackl(?:e|es|ed|ing)|regarding|about|on\s+the\s+(?:topic|subject)\s+of|"
        r"tratan?\s+(?:de|sobre)|sobre|acerca\s+de|relacionad[oa]s?\s+con)\b",
        re.I,
    ),
    "How a listing question says what its records are about ('which reports deal with ...'): "
    "taken out of its topic.",
    yes=("which reports deal with smuggling", "informes que tratan de la trata"),
    no=("smuggling of migrants", "child soldiers"),
)
TOPIC_LEFTOVERS = Rule(
    "topic_leftovers",
    re.compile(
        rf"\b{_YEAR}\b|\b(?:since|before|after|between|and|onwards?|until|about|on|to|any|desde|"
        r"antes|despu[eé]s|hasta|entre|tras)\b",
        re.I,
    ),
    "Years and the words of year phrases, taken out of a listing's topic.",
    yes=("since 2018", "entre 2010"),
    no=("child marriage", "forced labour"),
)
NARROWING = Rule(
    "narrowing",
    re.compile(r"\b(?:those|these|them|ones)\b", re.I),
    "A follow-up of a listing that says 'which of those ...' narrows that listing.",
    yes=("And which of those is about Europe?", "which ones are from 2019?"),
    no=("and what about children?", "which is the latest?"),
)
FOLLOW_UP_OPENING = Rule(
    "follow_up_opening",
    re.compile(
        r"^\s*(?:and|also|but|plus|what\s+about|how\s+about|and\s+what|what\s+of|and\s+how|"
        r"same\s+for|y|¿?y\s+qu[eé])\b",
        re.I,
    ),
    "How a follow-up opens (with rule `anaphora`, in a question of at most 12 words): 'and ...', "
    "'what about ...', '¿y qué ...'.",
    yes=("and what about children?", "what about its recommendations?", "¿y qué dice de Asia?"),
    no=("Andorra trafficking", "Butterfly effects of crises on trafficking"),
)
ANAPHORA = Rule(
    "anaphora",
    re.compile(r"\b(?:they|them|their|theirs|those|these|the\s+(?:same|former|latter))\b", re.I),
    "Words that point back at an earlier turn's records ('what do they recommend?').",
    yes=("what do they recommend?", "is the latter about Asia?"),
    no=("what does the report recommend?", "theory of change"),
)
YEAR_FROM = Rule(
    "year_from",
    re.compile(rf"\b(?:from|desde)\s+{_YEAR}\b", re.I),
    "'from 2019' is a publication year even outside a question about documents ('trafficking "
    "reports... anything from 2019').",
    yes=("trafficking in Asia from 2019", "trata desde 2016"),
    no=("the Haiti earthquake of 2010", "what happened in 2019?"),
)

# -- catalog values ------------------------------------------------------------------------------
_PREP = (
    r"(?:in|from|across|within|throughout|inside|about|regarding|concerning|on|covers?|covering|"
    r"en|sobre|desde)"
)
PLACE_PHRASE = _templated(
    "place_phrase",
    rf"\b{_PREP}\s+(?:the\s+)?(<value>)(?!\w)",
    "Europe",
    "A catalog place after a preposition ('in Kosovo', 'across Europe') is read as that place; a "
    "title such as 'Europe and Central Asia Report' is not.",
    yes=("trafficking across Europe", "What is in the Europe report?", "trata en Europe"),
    no=("Europe and Central Asia Report", "European responses"),
    flags=re.I,
)
CATEGORY_PHRASE = _templated(
    "category_phrase",
    r"\bcategor(?:y|ies)\s*:?\s+(?:of\s+)?(?:the\s+)?[\"']?<value>(?!\w)|(?<!\w)<value>[\"']?\s+"
    r"categor(?:y|ies)\b",
    "Research",
    "A catalog category named as one: 'category Research', 'the Research category'.",
    yes=("records in the category Research", "anything in the Research category?"),
    no=("research on smuggling", "Research categorisation"),
    flags=re.I,
)
AUTHOR_NAME = _templated(
    "author_name",
    r"(?<!\w)<value>(?!\w)",
    "Walk Free Foundation",
    "A catalog author named in full, any case.",
    yes=("What has Walk Free Foundation published?", "reports by walk free foundation"),
    no=("What has Walk Free published?", "walk freely"),
    flags=re.I,
)
AUTHOR_SHORT = _templated(
    "author_short",
    r"(?<!\w)<value>(?!\w)",
    "Walk Free",
    "An organisation's name without its generic last word, as the catalog writes it ('Walk Free' "
    "for Walk Free Foundation; `short_name`).",
    yes=("What has Walk Free published?",),
    no=("walk free of charge", "Walk Freely"),
)
AUTHOR_SURNAME = _templated(
    "author_surname",
    r"\bby\s+<value>(?!\w)"
    r"|(?<![\w-])(?-i:<value>)(?=['’]s\s+(?:work|works|papers?|reports?|writings?|publications?|"
    r"articles?|books?|research)\b|\s+(?:has\s+|have\s+|had\s+)?(?:wrote|written|published|"
    r"authored)\b)"
    r"|\b(?:did|has|have)\s+(?-i:<value>)\s+(?:write|written|publish|published|author|authored)\b",
    "Hyland",
    "A person's surname after 'by' ('reports by Hyland'), or capitalised as the author of "
    "something ('Hyland's papers', 'what did Hyland write?', 'Hyland has written').",
    yes=(
        "reports by Hyland",
        "anything written by hyland?",
        "Hyland's papers please",
        "what did Hyland write?",
        "everything Hyland has published",
        "Hyland's reports",
    ),
    no=("Hyland's government", "by Hylands", "what did hyland say?", "a hyland wrote"),
    flags=re.I,
)
AUTHORS_WORK = Rule(
    "authors_work",
    re.compile(
        # not when it asks what the work says ("Summarise the work by ...")
        r"^(?!.*\b(?:summari[sz]e|summary|explain|describe|key\s+points|main\s+points|findings|"
        r"argues?|recommend\w*|resume|resumen)\b).*?(?:"
        r"\b(?:wrote|written|write|writes|authored|co-?authored|published|publish)\b"
        r"|['’]s\s+(?:work|works|papers?|reports?|writings?|publications?|articles?|books?)\b"
        r"|\b(?:anything|something|everything|work|works|papers?|writings?)\s+(?:by|from)\b"
        r"|\bescribi[oó]\b|\bpublic[oó]\b)",
        re.I | re.S,
    ),
    "A question naming a catalog author that asks for their work ('whatever Peyroux wrote', "
    "'Cockayne's papers', 'everything Summer Walker has published') lists the author's records.",
    yes=(
        "Is there something Jamille Bigio wrote?",
        "Do you have Rachel Vogelstein's work?",
        "I need everything Summer Walker has published",
        "anything by James Cockayne?",
    ),
    no=(
        "What does Cockayne argue about the Security Council?",
        "How does the Walk Free Foundation measure slavery?",
        "Summarise the work by Jamille Bigio and Rachel Vogelstein on trafficking in conflict.",
        "What are the key points of the paper Lucia Bird wrote?",
    ),
)
REQUEST_WORDS = Rule(
    "request_words",
    re.compile(
        r"\b(?:i|we|us|you|need|needs|want|wants|wanted|would\s+like|looking\s+for|whatever|"
        r"something|everything|anything|stuff|work|works|writings?|papers?|articles?|books?|pieces?|"
        r"please|thanks|can|"
        r"could|find|see|read|my|our|it|that|there|here|any|office|team|colleagues?|boss|"
        r"necesito|quiero|busco|algo|todo|lo|que)\b",
        re.I,
    ),
    "The words of a request, taken out of an author listing's topic ('I need everything Summer "
    "Walker has published': no topic).",
    yes=("I need everything", "whatever she wrote, please"),
    no=("child marriage", "smuggling routes"),
)

RULES: tuple[Rule, ...] = (
    *_QUESTION_RULES,
    *YEAR_RULES,
    LISTING,
    LISTING_WORDS,
    SUBJECT_VERBS,
    TOPIC_LEFTOVERS,
    NARROWING,
    FOLLOW_UP_OPENING,
    ANAPHORA,
    YEAR_FROM,
    PLACE_PHRASE,
    CATEGORY_PHRASE,
    AUTHOR_NAME,
    AUTHOR_SHORT,
    AUTHOR_SURNAME,
    AUTHORS_WORK,
    REQUEST_WORDS,
    GAZETTEER_PHRASE,
)
BY_NAME = {rule.name: rule for rule in RULES}


def fires(name: str, text: str) -> bool:
    return BY_NAME[name].search(text) is not None
