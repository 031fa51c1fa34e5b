"""Which language a question is written in, and what to say when the assistant does not read it.

The assistant answers English and Spanish (the library's languages and the glossary's). A
maintained detector, lingua-language-detector, decides among those two and the languages people
most often try instead (French, German, Portuguese, Italian), so that "Comment le conflit armé..."
is no longer read as Spanish. A question only counts as another language when the detector is
confident and the question has a few words: "SDG 8.7" or "DemandAT" carry no language, and are
read as English. The detector is built once, on first use (its models load lazily), never at import.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kernel.models import LANGUAGES

ANSWERED = ("en", "es")
"""The languages the assistant reads and answers in."""
OTHER_CONFIDENCE = 0.4
"""The detector's confidence a question of at least `OTHER_MIN_WORDS` words needs to be read as a
language the assistant does not answer (chosen on evals/questions/dev.jsonl: its French, German,
Italian and Portuguese questions reach 0.45 to 1.0; no English or Spanish question of four words or
more is put first in another language; "DemandAT", one word, is 0.41 French)."""
OTHER_MIN_WORDS = 4

NAMES = LANGUAGES
"""A language's code -> its English name."""
_CODES = {name.upper(): code for code, name in NAMES.items()}
"""lingua's name of a language -> its code."""
_UNREAD = {
    "fr": (
        "Je ne lis que l'anglais et l'espagnol : posez votre question dans l'une de ces deux "
        "langues."
    ),
    "de": (
        "Ich lese nur Englisch und Spanisch: Bitte stellen Sie Ihre Frage in einer dieser beiden "
        "Sprachen."
    ),
    "pt": "Só leio inglês e espanhol: faça a sua pergunta numa dessas duas línguas.",
    "it": "Leggo solo l'inglese e lo spagnolo: ponga la sua domanda in una di queste due lingue.",
}
_ENGLISH_UNREAD = "I read questions in English and Spanish only: please ask in one of them."


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(
        *(getattr(Language, name) for name in _CODES)
    ).build()


def _without_names(text: str) -> str:
    """`text` without its capitalised words after the first: names carry no language ("Do you
    have Rachel Vogelstein's work?" reads as German with them)."""
    words = text.split()
    return " ".join(w for i, w in enumerate(words) if i == 0 or not w[:1].isupper())


@lru_cache(maxsize=8)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for `names` and their possessives, built once per catalog."""
    if not names:
        return None
    alternatives = "|".join(re.escape(n) for n in names)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?:['’]s)?(?!\w)")


def detect_language(text: str, names: tuple[str, ...] = ()) -> str:
    """ "en", "es", or the code of another language the detector knows ("fr", "de", "pt", "it").
    `names` (the catalog's authors) are taken out first. The question is read without its other
    capitalised words when at least `OTHER_MIN_WORDS` words remain (a German
    question keeps its function words when its capitalised nouns go)."""
    if re.search(r"[¿¡ñ]", text):
        return "es"
    if pattern := _names_pattern(names):  # the catalog's authors and surnames ("Schlecht's papers")
        text = pattern.sub(" ", text)
    plain = _without_names(text)
    if len(re.findall(r"\w+", plain)) >= OTHER_MIN_WORDS:
        text = plain
    values = _detector().compute_language_confidence_values(text)
    if not values:
        return "en"
    best = values[0]
    code = _CODES[best.language.name]
    if code in ANSWERED:
        return code
    if best.value >= OTHER_CONFIDENCE and len(re.findall(r"\w+", text)) >= OTHER_MIN_WORDS:
        return code
    # Not confident enough for a language it does not answer: the likelier of the two it reads.
    answered = [v for v in values if _CODES[v.language.name] in ANSWERED]
    return _CODES[answered[0].language.name] if answered else "en"


def unread_message(code: str) -> str:
    """What to tell a reader of `code` (a language not answered): in their language where one is
    written, and in English."""
    own = _UNREAD.get(code)
    return f"{own}\n\n{_ENGLISH_UNREAD}" if own else _ENGLISH_UNREAD
