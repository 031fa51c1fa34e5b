"""English search terms for Spanish questions.

The embedding model and the BM25 stems are English, so a Spanish question finds English records
only through shared words ("COVID-19", "Caribe"). For the domain's own vocabulary a glossary closes
most of the gap: `english_terms("¿Hay informes sobre el reclutamiento de niños soldado?")` gives
"recruitment child soldiers", which `assistant.reading.question` adds to what a Spanish question
searches (never to what is shown or quoted). Longer phrases win over the words inside them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kernel.text import fold

_GLOSSARY = """
trata de personas|trata de seres humanos = human trafficking
trata = trafficking
tráfico ilícito de migrantes|tráfico de migrantes = migrant smuggling
contrabando|tráfico ilícito = smuggling
niños soldado|niños soldados|niñas soldado = child soldiers
matrimonio infantil|matrimonio precoz|matrimonio temprano = child marriage
matrimonio forzado|matrimonio forzoso = forced marriage
matrimonio = marriage
explotación sexual = sexual exploitation
explotación laboral = labour exploitation
explotación = exploitation
trabajo forzoso|trabajo forzado = forced labour
esclavitud moderna = modern slavery
esclavitud = slavery
violencia sexual = sexual violence
violencia de género = gender-based violence
violencia = violence
violaciones = violations
reclutamiento = recruitment
niños|niñas|niño|niña|infancia|menores = children
mujeres|mujer = women
víctimas|víctima = victims
sobrevivientes|supervivientes = survivors
refugiados|refugiadas = refugees
desplazados|desplazadas|desplazamiento = displaced displacement
migrantes|migración = migrants migration
solicitantes de asilo|asilo = asylum
conflictos armados|conflicto armado = armed conflict
posconflicto|post-conflicto|después del conflicto = post-conflict
conflictos|conflicto = conflict
guerra = war
crisis humanitarias|crisis humanitaria = humanitarian crisis
humanitario|humanitaria|humanitarios = humanitarian
desastres naturales|desastre natural = natural disasters
desastres|desastre = disasters
policías|policía|agentes del orden|fuerzas del orden = police law enforcement
primeros auxilios = first aid
identificación|identificar = identification
protección|proteger|protege|protegen|proteja|protegerlas|protegerlos = protection
índice global de esclavitud|índice de esclavitud|índice global = Global Slavery Index
respuesta|respuestas = response
países|país = countries
metas|meta = target
avances|avance|avanzan|avanza|progreso|progresos = progress
servicios sexuales|sexo comercial|comercio sexual|compra de sexo = sexual services
terremotos|terremoto|sismos|sismo = earthquake natural disasters
huracanes|huracán = hurricanes natural disasters
inundaciones|inundación = floods natural disasters
reducirla|reducirlo|reducir|reducción = reduce
recomendaciones|recomienda|recomiendan = recommendations
evaluación|evaluaciones|evalúa = assessment
albergues|albergue|refugios = shelters
personal de salud|trabajadores de salud|médicos|enfermeras|enfermeros = health care medical
salud = health
datos = data
casos|caso = cases
mendicidad forzada|mendicidad = forced begging
trabajo infantil = child labour
leyes|ley|legislación = law legislation
entrevistar = interviews
derechos humanos = human rights
pandemia = pandemic
crimen organizado|delincuencia organizada = organized crime
pandillas|maras = gangs
extracción de órganos|tráfico de órganos = organ removal organs
órganos = organs
capacitación|formación|entrenamiento = training
simulación|simulaciones = simulation
mecanismos de derivación|mecanismos de remisión = referral mechanisms
derivación|remisión = referral
demanda = demand
medios de comunicación|periodistas|prensa = media journalists
entrevistas|entrevista = interviews
denuncia obligatoria = mandatory reporting
consejo de seguridad = Security Council
consejo de derechos humanos = Human Rights Council
asamblea general = General Assembly
alto comisionado = High Commissioner
naciones unidas = United Nations
secretario general = Secretary-General
gobiernos|gobierno = government
prevención|prevenir = prevention
enjuiciamiento = prosecution
no acompañados|no acompañadas = unaccompanied
fronteras|frontera = borders
Centroamérica|América Central = Central America
Caribe = Caribbean
Europa = Europe
África = Africa
Pacífico = Pacific
Asia = Asia
OIM|Organización Internacional para las Migraciones = IOM
ACNUR = UNHCR
ONU = UN
ODS = SDG
OIT = ILO
"""


@lru_cache(maxsize=1)
def _entries() -> tuple[re.Pattern[str], dict[str, str]]:
    terms: dict[str, str] = {}
    for line in _GLOSSARY.strip().splitlines():
        spanish, english = (part.strip() for part in line.split("="))
        for phrase in spanish.split("|"):
            terms[fold(phrase.strip())] = english
    phrases = sorted(terms, key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(p) for p in phrases) + r")(?!\w)"), terms


_SPANISH_WORDS = frozenset(
    {
        "el",
        "la",
        "los",
        "las",
        "de",
        "del",
        "en",
        "que",
        "por",
        "para",
        "con",
        "una",
        "uno",
        "sobre",
        "hay",
        "como",
        "cual",
        "cuales",
        "se",
        "su",
        "sus",
        "y",
        "o",
        "es",
        "son",
    }
)
_ENGLISH_WORDS = frozenset(
    {"the", "of", "and", "in", "what", "is", "are", "to", "for", "on", "how", "with"}
)


def is_spanish(text: str) -> bool:
    """Spanish punctuation, or at least two Spanish function words and more of them than English
    ones."""
    if re.search(r"[¿¡ñ]", text):
        return True
    words = re.findall(r"\w+", fold(text))
    spanish = sum(w in _SPANISH_WORDS for w in words)
    english = sum(w in _ENGLISH_WORDS for w in words)
    return spanish >= 2 and spanish > english


def glossary_phrases(text: str) -> list[str]:
    """The Spanish domain phrases of `text` the glossary translates, in order (folded)."""
    pattern, _ = _entries()
    return [m.group(1) for m in pattern.finditer(fold(text))]


def spanish_names(term: str) -> tuple[str, ...]:
    """The glossary's Spanish for `term` when it is the English of a name ("Human Rights
    Council": "consejo de derechos humanos"), so that an English question's name is found in a
    record written in Spanish. Common words ("trafficking") are no name: a Spanish record's
    "trata" is no evidence an English question needs."""
    if not re.search(r"\b[A-Z]", term):
        return ()
    return _spanish_by_english().get(fold(term), ())


@lru_cache(maxsize=1)
def _spanish_by_english() -> dict[str, tuple[str, ...]]:
    """The glossary read backwards: folded English -> its Spanish phrases."""
    out: dict[str, tuple[str, ...]] = {}
    for spanish, english in _entries()[1].items():
        out[fold(english)] = (*out.get(fold(english), ()), spanish)
    return out


def english_terms(text: str) -> str:
    """The glossary's English for the Spanish domain phrases in `text` ("" when there are none);
    callers decide whether the text is Spanish (`is_spanish`)."""
    pattern, terms = _entries()
    found = [terms[m.group(1)] for m in pattern.finditer(fold(text))]
    return " ".join(dict.fromkeys(found))
