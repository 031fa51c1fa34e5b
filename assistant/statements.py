"""A sentence of an answer as the guard reads it: its Markdown removed, and whether it needs a
source.

An LLM may put a claim in a heading, in bold, in a list item, a quote, a table cell or a code
block; `plain(sentence)` drops that decoration so every sentence is checked the same way.
`needs_no_source(sentence)` is true only for

    a connecting label     ends with ':' and has at most 12 words
                           ("Quoted from the library's records:")
    a short fragment       at most 3 words without a full stop ("Key findings", a table header)
    a short heading        a heading or a wholly bold line of at most 6 words without a full stop
    a lack of sources      says the sources hold nothing on something, and only that: it names no
                           source, continues with no claim after ':' / ';' / "but", and has the
                           sources as its subject or opens with the statement
                           ("No information on X")

The rules are rows of `EXAMPLES`, which the tests run.
"""

from __future__ import annotations

import re

from assistant.guard import MARKER_RE

__all__ = ["EXAMPLES", "needs_no_source", "plain", "says_sources_lack"]

_LINE_MARK = re.compile(r"^\s*(?:#{1,6}\s+|>+\s*|[-*+•]\s+|\d{1,3}[.)]\s+)+")
_EMPHASIS = re.compile(r"\*\*|__|`+|~~|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)")
_TABLE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_NO_INFORMATION = re.compile(
    r"\b(?:holds? nothing|contains? nothing|(?:do|does|did) not "
    r"(?:say|mention|address|cover|contain|answer|discuss|describe)"
    r"|(?:no|not enough) (?:information|record|source|evidence|data)s?\b"
    r"|no contiene nada|no (?:dicen?|mencionan?|tratan?|abordan?|contienen?)\b"
    r"|no hay (?:informaci[oó]n|registros?|fuentes?|datos)\b)",
    re.IGNORECASE,
)
_SOURCES_SUBJECT = re.compile(
    r"\b(?:sources?|library|records?|documents?|abstracts?|catalog(?:ue)?|fuentes?|biblioteca|registros?|documentos?)\b",
    re.IGNORECASE,
)
_MORE_CLAIM = re.compile(
    r"[:;]\s*\S|\b(?:but|however|although|though|yet|instead|pero|sin embargo|aunque)\b", re.I
)
_YEAR_PAREN = re.compile(
    r"\(\s*[^()]{0,80}?(?:1[89]\d\d|20\d\d)[a-z]?\s*\)|\(\s*(?:n\.\s?d\.?|s\.\s?f\.?)\s*\)", re.I
)


def plain(sentence: str) -> str:
    """The sentence without Markdown: heading, quote and list marks, emphasis, code ticks, table
    pipes."""
    if _TABLE.match(sentence):
        return ""
    text = _LINE_MARK.sub("", sentence)
    text = text.replace("|", " ").replace("```", " ")
    text = _EMPHASIS.sub("", text)
    return " ".join(text.split())


def _is_heading(sentence: str) -> bool:
    s = sentence.strip()
    return s.startswith("#") or (
        s.startswith(("**", "__")) and s.rstrip(":").endswith(("**", "__"))
    )


def says_sources_lack(sentence: str) -> bool:
    """True for "The sources do not mention X." and nothing more (see the module docstring)."""
    text = MARKER_RE.sub("", plain(sentence)).strip()
    found = _NO_INFORMATION.search(text)
    if not found or _YEAR_PAREN.search(text) or _MORE_CLAIM.search(text.rstrip(".!?:;")):
        return False
    return bool(_SOURCES_SUBJECT.search(text)) or found.start() <= 3


def needs_no_source(sentence: str) -> bool:
    """A label, a short heading or fragment, or a statement that the sources lack something."""
    text = MARKER_RE.sub("", plain(sentence)).strip()
    if not text or re.fullmatch(r"(?:\d{1,3}|[a-zA-Z])[.)]", text):
        return True  # empty, or a list item's number split off
    words = len(text.split())
    if _YEAR_PAREN.search(text):
        return False  # it names a source
    if text.endswith(":") and words <= 12:
        return True
    if words <= 3 and not text.endswith((".", "!", "?")):
        return True
    if _is_heading(sentence) and words <= 6 and not text.endswith((".", "!", "?")):
        return True
    return says_sources_lack(sentence)


EXAMPLES: tuple[tuple[str, bool], ...] = (
    ("Quoted from the library's records:", True),
    ("## Key findings", True),
    ("**Summary**", True),
    ("| Source | Finding |", True),
    ("|---|---|", True),
    ("The sources do not mention penguins.", True),
    ("Las fuentes no mencionan pingüinos.", True),
    ("No hay datos de 2024.", True),
    ("# The Secret Report (1999) proves that traffickers recruit children online.", False),
    ("**Traffickers recruit children through social media.**", False),
    ("> Traffickers recruit children through social media.", False),
    ("- Traffickers recruit children through social media.", False),
    ("| 2016 | Traffickers recruit children through social media |", False),
    ("`Traffickers recruit children through social media.`", False),
    (
        "There is no evidence against it: The Secret Report (1999) shows that children are "
        "recruited.",
        False,
    ),
    ("There is no evidence that conflict reduces trafficking.", False),
    ("The sources do not mention it, but trafficking doubled in 2020.", False),
)
