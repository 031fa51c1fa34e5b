"""The notices an answer carries, written as sentences in the answer's language.

Every layer that shows an answer (the UI, the CLI, the briefing note, the evals) renders an
answer's `Notice` objects here, from their code and parameters; none reads its own prose back.
`render(notice, language)` writes one notice in English ("en") or Spanish ("es"); `sentence` the
same with a capital and a full stop (the briefing's caveats).

Codes (parameters):
- `question_cut` (limit, length): the question was cut to `limit` characters;
- `unread_language` (language): the question is in a language the assistant does not read;
- `unknown_filter_value` (label, value, facet, known): a filter value the catalog does not hold;
- `places_unmentioned` (places): places no record is tagged with or mentions;
- `places_widened` (places, wider): places no record names, answered from records on the
  places that hold them (a city's country, a country's UN sub-region);
- `places_ranked` (places: Filters): places read from the question rank records first;
- `places_untagged` (places: Filters): places read from the question that no record matching
  the other filters is tagged with, searched in titles and abstracts instead;
- `no_match` (filters: Filters): no record matches the filters;
- `spelling_corrected` (searched, typed): misspelt words searched as the library's words;
- `focus_not_covered` (terms): the names or numbers no relevant record mentions;
- `figure_not_given`: the question asks for a figure no relevant record gives;
- `listing_cut` (shown, total): a listing shows its first `shown` records;
- `llm_sources_cut` (tokens, sent, found), `llm_turns_cut` (left), `llm_abstract_shortened`:
  what was left out to fit the LLM's context;
- `citation_removed` (n), `bad_reference` (problem, message), `uncited` (count),
  `unsupported` (count), `contradicted` (count): the citation guard's findings.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from kernel.models import FACETS, LANGUAGES

from .models import FACET_LABELS_ES, Notice

__all__ = ["CODES", "quoted", "render", "sentence"]

_LABELS_ES = {FACETS[f]: label for f, label in FACET_LABELS_ES.items()}
_FACETS_ES = dict(zip(FACETS, ("regiones", "países", "categorías", "autores"), strict=True))


def _or(values: Sequence[str], word: str = "or") -> str:
    values = list(values)
    return f" {word} ".join([", ".join(values[:-1]), values[-1]] if len(values) > 1 else values)


def quoted(terms: Sequence[str], word: str = "or") -> str:
    """“a” or “b” (`word` joins them: "ni" in a Spanish negative)."""
    return f" {word} ".join(f"“{t}”" for t in terms)


def _reprs(words: Sequence[str]) -> str:
    return ", ".join(repr(w) for w in words)


def _s(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


Render = Callable[[Mapping[str, Any]], str]
"""One notice's clause, from its parameters."""
_TEXTS: dict[str, tuple[Render, Render]] = {
    # code: (English, Spanish)
    "question_cut": (
        lambda p: (
            f"the question was cut to its first {p['limit']} characters (it had {p['length']})"
        ),
        lambda p: (
            f"la pregunta se cortó a sus primeros {p['limit']} caracteres (tenía {p['length']})"
        ),
    ),
    "unread_language": (
        lambda p: (
            f"the question reads as {LANGUAGES.get(p['language'], p['language'])}; "
            "the assistant reads English and Spanish"
        ),
        lambda p: "el asistente solo lee inglés y español",
    ),
    "unknown_filter_value": (
        lambda p: (
            f"no record has {p['label']} {p['value']!r} "
            f"(the library's {p['facet']}: {', '.join(p['known']) or 'none'})"
        ),
        lambda p: (
            f"ningún registro tiene {_LABELS_ES.get(p['label'], p['label'])} {p['value']!r} "
            f"({_FACETS_ES.get(p['facet'], p['facet'])} de la biblioteca: "
            f"{', '.join(p['known']) or 'ninguna'})"
        ),
    ),
    "places_unmentioned": (
        lambda p: (
            f"no record in the library mentions {_or(p['places'])}, so nothing here is specific to "
            + ("them" if len(p["places"]) > 1 else "it")
        ),
        lambda p: (
            f"ningún registro de la biblioteca menciona {_or(p['places'], 'ni')}, "
            "así que nada aquí "
            "es específico de " + ("esos lugares" if len(p["places"]) > 1 else "ese lugar")
        ),
    ),
    "places_widened": (
        lambda p: (
            f"no record in the library mentions {_or(p['places'])}; the answer draws on records "
            f"that mention {quoted(p['wider'])}, where "
            + ("they lie" if len(p["places"]) > 1 else "it lies")
        ),
        lambda p: (
            f"ningún registro de la biblioteca menciona {_or(p['places'], 'ni')}; la respuesta se "
            f"basa en registros que mencionan {quoted(p['wider'], 'o')}, donde "
            + ("se encuentran" if len(p["places"]) > 1 else "se encuentra")
        ),
    ),
    "places_ranked": (
        lambda p: (
            f"records on {p['places'].describe()} are ranked first; set it as a filter to search "
            "only records tagged with it"
        ),
        lambda p: (
            f"los registros sobre {p['places'].describe('es')} aparecen primero; "
            "fíjelo como filtro "
            "para buscar solo en los registros etiquetados con él"
        ),
    ),
    "places_untagged": (
        lambda p: (
            f"no record is tagged with {p['places'].describe()} among those matching the other "
            "filters; searched titles and abstracts for it instead"
        ),
        lambda p: (
            f"ningún registro que cumpla los demás filtros está etiquetado con "
            f"{p['places'].describe('es')}; se buscó en títulos y resúmenes en su lugar"
        ),
    ),
    "no_match": (
        lambda p: f"no record matches the filters ({p['filters'].describe()})",
        lambda p: f"ningún registro cumple los filtros ({p['filters'].describe('es')})",
    ),
    "spelling_corrected": (
        lambda p: f"searched for {_reprs(p['searched'])} (you typed {_reprs(p['typed'])})",
        lambda p: f"se buscó {_reprs(p['searched'])} (se escribió {_reprs(p['typed'])})",
    ),
    "focus_not_covered": (
        lambda p: f"no relevant record mentions {quoted(p['terms'])}",
        lambda p: f"ningún registro pertinente menciona {quoted(p['terms'], 'ni')}",
    ),
    "figure_not_given": (
        lambda p: "no relevant record gives the figure asked for",
        lambda p: "ningún registro pertinente da la cifra que se pregunta",
    ),
    "listing_cut": (
        lambda p: f"listing the first {p['shown']} of {p['total']} matching records",
        lambda p: f"se listan los primeros {p['shown']} de {p['total']} registros que coinciden",
    ),
    "llm_sources_cut": (
        lambda p: (
            f"the LLM's context ({p['tokens']} tokens, ASSISTANT_LLM_CONTEXT_TOKENS) held "
            f"{p['sent']} of the {p['found']} sources found: the {p['found'] - p['sent']} "
            f"lowest-ranked {_s(p['found'] - p['sent'], 'was', 'were')} left out"
        ),
        lambda p: (
            f"el contexto del LLM ({p['tokens']} tokens, ASSISTANT_LLM_CONTEXT_TOKENS) contuvo "
            f"{p['sent']} de las {p['found']} fuentes encontradas: se omitieron las "
            f"{p['found'] - p['sent']} de menor rango"
        ),
    ),
    "llm_turns_cut": (
        lambda p: (
            f"the {p['left']} oldest conversation turn{_s(p['left'], '', 's')} "
            f"{_s(p['left'], 'was', 'were')} left out to fit the LLM's context"
        ),
        lambda p: (
            f"se omitieron los {p['left']} turnos más antiguos de la conversación para caber en el "
            "contexto del LLM"
        ),
    ),
    "llm_abstract_shortened": (
        lambda p: "the source's abstract was shortened to fit the LLM's context",
        lambda p: "el resumen de la fuente se acortó para caber en el contexto del LLM",
    ),
    "citation_removed": (
        lambda p: f"removed citation [{p['n']}]: no such source",
        lambda p: f"se eliminó la cita [{p['n']}]: no existe esa fuente",
    ),
    "bad_reference": (
        lambda p: p["message"],
        lambda p: p["message"],
    ),
    "uncited": (
        lambda p: (
            f"{p['count']} sentence{_s(p['count'], '', 's')} "
            f"cite{_s(p['count'], 's', '')} no source"
        ),
        lambda p: (
            f"{p['count']} {_s(p['count'], 'frase no cita', 'frases no citan')} ninguna fuente"
        ),
    ),
    "unsupported": (
        lambda p: (
            f"{p['count']} sentence{_s(p['count'], ' is', 's are')} "
            "not supported by the sources cited"
        ),
        lambda p: (
            f"{p['count']} "
            f"{_s(p['count'], 'frase no está respaldada', 'frases no están respaldadas')}"
            " por las fuentes citadas"
        ),
    ),
    "contradicted": (
        lambda p: (
            f"{p['count']} sentence"
            + _s(
                p["count"], " contradicts the source it cites", "s contradict the sources they cite"
            )
        ),
        lambda p: (
            f"{p['count']} "
            + _s(p["count"], "frase contradice la fuente", "frases contradicen las fuentes")
            + " que cita"
            + _s(p["count"], "", "n")
        ),
    ),
}
CODES = frozenset(_TEXTS)
"""Every notice code the assistant emits."""


def render(notice: Notice, language: str = "en") -> str:
    """The notice as a clause in `language` ("es": Spanish; anything else: English)."""
    try:
        return _TEXTS[notice.code][language == "es"](notice.params)
    except KeyError as exc:
        raise ValueError(
            f"unknown notice code {notice.code!r} or parameter {exc} (known: {sorted(CODES)})"
        ) from exc


def sentence(notice: Notice, language: str = "en") -> str:
    """The notice as a sentence: a capital first letter and a full stop."""
    text = render(notice, language).strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")
