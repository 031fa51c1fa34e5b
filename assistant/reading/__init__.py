"""Reading a question: `read(question, history, facets) -> QueryPlan`, and its parts.

- `read`: the whole plan (`assistant.reading.plan`): intent, language, search text, focus, filters
  with the span and rule behind each, soft places, topic;
- `read_question` / `parse_question` (`assistant.reading.question`): filters, listings, follow-ups;

- `detect_language(text)`: "en", "es", or another language the assistant does not answer
  (`unread_message(code)` says so in that language and in English);
- `focus_terms(question)`: the names and numbers a question turns on ("Libya", "Kevin Hyland",
  "8.7"), which the evidence quoted in an answer must cover (`missing_focus`);
- `RULES`: the rules that decide what a phrase means, each with yes/no example questions.
"""

from .focus import (
    ASKING,
    RARE_SHARE,
    RareWords,
    acronyms,
    focus_terms,
    gives_figure,
    mentions,
    missing_focus,
    person_names,
    rare_words,
    record_text,
    term_readings,
    title_words,
)
from .language import ANSWERED, NAMES, detect_language, unread_message
from .plan import Intent, QueryPlan, read
from .question import (
    FilterReading,
    catalog_names,
    parse_question,
    read_question,
    short_name,
    user_turns,
)
from .rules import RULES, Rule, fires

__all__ = [
    "ANSWERED",
    "ASKING",
    "RARE_SHARE",
    "FilterReading",
    "Intent",
    "QueryPlan",
    "NAMES",
    "RULES",
    "RareWords",
    "Rule",
    "acronyms",
    "catalog_names",
    "detect_language",
    "fires",
    "focus_terms",
    "gives_figure",
    "mentions",
    "missing_focus",
    "parse_question",
    "person_names",
    "rare_words",
    "read",
    "read_question",
    "record_text",
    "short_name",
    "term_readings",
    "title_words",
    "unread_message",
    "user_turns",
]
