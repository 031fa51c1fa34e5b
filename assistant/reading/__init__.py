"""Reading a question: its language, its focus, and the table of reading rules.

- `detect_language(text)`: "en", "es", or another language the assistant does not answer
  (`unread_message(code)` says so in that language and in English);
- `focus_terms(question)`: the names and numbers a question turns on ("Libya", "Kevin Hyland",
  "8.7"), which the evidence quoted in an answer must cover (`missing_focus`);
- `RULES`: the rules that decide what a phrase means, each with yes/no example questions.

`assistant.query.read_question` still reads filters and follow-ups; it uses these rules.
"""

from .focus import (
    RareWords,
    acronyms,
    focus_terms,
    mentions_term,
    missing_focus,
    person_names,
    rare_words,
    record_text,
    title_words,
)
from .language import ANSWERED, NAMES, detect_language, unread_message
from .rules import RULES, Rule, fires

__all__ = [
    "ANSWERED",
    "NAMES",
    "RULES",
    "RareWords",
    "Rule",
    "acronyms",
    "detect_language",
    "fires",
    "focus_terms",
    "mentions_term",
    "missing_focus",
    "person_names",
    "rare_words",
    "record_text",
    "title_words",
    "unread_message",
]
