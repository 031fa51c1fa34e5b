"""Citations in free-text answers from any system, matched tolerantly against the catalog.

Used by `assistant eval` (via `evals.citations_parse`) and by the citation guard, which resolves
every reference an LLM writes in its text.

`parse_answer(text, catalog)` finds two citation styles and returns a `ParsedAnswer`:

- `[n]` markers in the text with a reference list, one entry a line: "[1] Title (2016)",
  "1. Title (2016)" or "1) Title, 2016" (numbered lines count as references only after a
  "Sources:" / "References:" heading, or when markers in the text point at them);
- inline "Title (Year)" mentions: the text before a "(2016)" / "(n.d.)" / "(s.f.)" is matched
  against the catalog's titles; when none matches, the quoted, italic or Title-Case words
  before the year are the title the answer claims, and the citation is fabricated;
- author-year citations, as language models often write them: "(Bigio & Vogelstein, 2019)",
  "(Cockayne et al., 2016; Walk Free Foundation, 2018)", "(Title, 2019)" and narrative "Bigio and
  Vogelstein (2019)": the names are matched against the catalog's authors (surnames, or an
  organisation's whole name); a year none of their records has is a wrong year, names no record
  has are fabricated.

Each citation gets a `status`:

    valid          a catalog record, its exact title (spacing and quote style aside) and year
    inexact_title  a catalog record named tolerantly (case, punctuation, accents, a typo)
    wrong_year     a catalog record cited with another year ("n.d." is the year of an undated
                   record)
    missing_year   a catalog record cited without any year
    fabricated     no catalog record has that title (or a marker points at no reference)

Tolerant matching: `normalize_title` keys first, then the similarity of the keys
(`kernel.text.similarity`, rapidfuzz) ≥ `FUZZY_RATIO`, then a title's main part (before its colon or
full stop), then a claimed title that is a word-prefix of one catalog title covering at least half
of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

from kernel.errors import ParseError
from kernel.models import Record
from kernel.text import closest, normalize_title

__all__ = [
    "FUZZY_RATIO",
    "MARKERS",
    "Reference",
    "find_references",
    "is_label",
    "statement_spans",
    "Catalog",
    "ParsedAnswer",
    "ParsedCitation",
    "expand_markers",
    "author_names",
    "judge_author_year",
    "judge_citation",
    "parse_answer",
    "parse_year",
]

FUZZY_RATIO = 0.88
"""Minimum similarity of normalised titles for a tolerant match."""

_YEAR_TOKEN = r"(?:1[89]\d\d|20\d\d)[a-z]?|n\.\s?d\.?|nd|no date|undated|s\.\s?f\.?|sin fecha"
_PAREN_YEAR = re.compile(rf"\(\s*(?:[^()]{{0,60}}?,\s*)?({_YEAR_TOKEN})\s*\)", re.I)
_REF_LINE = re.compile(r"^\s*(?:[-*•]\s*)?(?:\[(\d{1,3})\]|(\d{1,3})[.)])\s+(.+?)\s*$")
_REF_HEADING = re.compile(
    r"^\s*(?:#+\s*)?(?:\*\*)?(?:sources?|references?|bibliography|works cited|citations?|"
    r"fuentes|referencias)"
    r"(?:\*\*)?\s*:?\s*(?:\*\*)?\s*$",
    re.I,
)
_MARKER = re.compile(r"\[(\d{1,3}(?:\s*[,;–-]\s*\d{1,3})*)\]")
_TRAIL_YEAR = re.compile(rf"(?:[,.;]\s*|\s+)({_YEAR_TOKEN})\s*[.]?\s*$", re.I)
_SMALL = {
    "a",
    "an",
    "and",
    "as",
    "at",
    "by",
    "for",
    "from",
    "in",
    "into",
    "of",
    "on",
    "or",
    "the",
    "to",
    "upon",
    "with",
    "de",
    "del",
    "el",
    "la",
    "las",
    "los",
    "en",
    "y",
    "por",
    "para",
}
_PAREN = re.compile(r"\(([^()]{1,300})\)")
_WHO_YEAR = re.compile(rf"(.+?)[,\s]\s*({_YEAR_TOKEN})\.?", re.I)
_ET_AL = re.compile(r"\s*,?\s+et\s+al\.?", re.I)
_AUTHOR_SEP = re.compile(r"\s*(?:,|&|\band\b|\by\b)\s*")
_MONTHS = {
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
    "spring",
    "summer",
    "autumn",
    "fall",
    "winter",
}
_QUOTED = re.compile(r"[\"“«*_]{1,2}([^\"”»*_]{3,300})[\"”»*_]{1,2}\s*$")


def parse_year(token: str | None) -> tuple[bool, int | None]:
    """(a year was given, the year or None for "n.d."/"s.f.") from a year token."""
    if token is None:
        return False, None
    digits = re.match(r"\d{4}", token.strip())
    return True, (int(digits.group()) if digits else None)


def _clean(text: str) -> str:
    """Whitespace collapsed and quote styles unified: what "exact title" tolerates."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = text.replace("–", "-").replace("—", "-")
    return " ".join(text.split())


class Catalog:
    """The records an answer may cite, indexed by id and by normalised title."""

    def __init__(self, records: Iterable[Record]) -> None:
        self.records = list(records)
        self.by_id = {r.id: r for r in self.records}
        self.by_key: dict[str, Record] = {}
        for r in self.records:
            self.by_key.setdefault(normalize_title(r.title), r)
        self._keys = sorted(self.by_key, key=len, reverse=True)
        mains: dict[str, list[Record]] = {}
        for r in self.records:
            main = re.split(r":|\.\s|\s[-–—]\s", r.title, maxsplit=1)[0]
            if main != r.title and len(normalize_title(main).split()) >= 2:
                mains.setdefault(normalize_title(main), []).append(r)
        self.by_main = {k: v[0] for k, v in mains.items() if len(v) == 1 and k not in self.by_key}

    def __len__(self) -> int:
        return len(self.records)

    def get(self, record_id: str) -> Record | None:
        return self.by_id.get(record_id)

    def match_title(self, title: str) -> Record | None:
        """The record a claimed title names, tolerantly; None when no record fits."""
        key = normalize_title(title)
        if not key:
            return None
        if key in self.by_key:
            return self.by_key[key]
        best = closest(key, self._keys, FUZZY_RATIO)
        if best is not None:
            return self.by_key[best]
        if key in self.by_main:  # the main title, before its colon or full stop
            return self.by_main[key]
        # A shortened title: the claim is the first words of one title, and most of it.
        words = key.split()
        if len(words) >= 3:
            fits = [
                k
                for k in self._keys
                if (k + " ").startswith(key + " ") and len(key) >= 0.5 * len(k)
            ]
            if len(fits) == 1:
                return self.by_key[fits[0]]
        return None

    @cached_property
    def _by_author(self) -> dict[str, set[str]]:
        """author key (surname, whole name, organisation short name) -> ids of the records by
        them."""
        index: dict[str, set[str]] = {}
        for r in self.records:
            for key in _author_keys(r.authors):
                index.setdefault(key, set()).add(r.id)
        return index

    def by_authors(self, names: Sequence[str]) -> list[Record]:
        """Records whose authors include every one of `names` (a surname, a whole name, or an
        organisation's name with or without its last word: "Walk Free" for Walk Free Foundation),
        in catalog order."""
        sets = [self._by_author.get(_name_key(n), set()) for n in names]
        ids = set.intersection(*sets) if sets else set()
        return [r for r in self.records if r.id in ids] if ids else []

    def resolve(self, ref: str) -> Record | None:
        """A record id, or a title (tolerantly)."""
        return self.by_id.get(ref) or self.match_title(ref)

    def resolve_all(self, refs: Iterable[str], path: object, what: str) -> list[Record]:
        """The records `refs` (ids or titles) name; `ParseError` on `path` for the first that
        names none ("question q1: gold 'X' names no record of the catalog (35 records)")."""
        records = []
        for ref in refs:
            record = self.resolve(ref)
            if record is None:
                raise ParseError(
                    path, f"{what} {ref!r} names no record of the catalog ({len(self)} records)"
                )
            records.append(record)
        return records

    def title_at_end(self, text: str) -> tuple[Record, str] | None:
        """The catalog title that `text` ends with (normalised), and the raw words it spans."""
        key = normalize_title(text)
        for title_key in self._keys:  # longest first
            if key == title_key or key.endswith(" " + title_key):
                n_words = len(title_key.split())
                raw = _raw_suffix(text, n_words)
                return self.by_key[title_key], raw
        return None


def _name_key(name: str) -> str:
    return " ".join(normalize_title(name).split())


def _author_keys(authors: Sequence[str]) -> set[str]:
    from assistant.reading.question import short_name

    keys: set[str] = set()
    for author in authors:
        words = author.split()
        keys.add(_name_key(author))
        if words:
            keys.add(_name_key(words[-1]))  # the surname
        short = short_name(author)
        if short:
            keys.add(_name_key(short))
    keys.discard("")
    return keys


def author_names(who: str) -> list[str] | None:
    """["Bigio", "Vogelstein"] for "Bigio & Vogelstein", "Bigio and Vogelstein" or "Bigio et al."
    (only the first author is named then); None when `who` does not read as a list of names."""
    who = _ET_AL.sub("", who.strip(" ,;")).strip(" ,;")
    parts = [p for p in _AUTHOR_SEP.split(who) if p]
    if not parts or len(parts) > 8 or any(p.casefold().strip(".") in _MONTHS for p in parts):
        return None  # "(January 2019)" is a date
    if all(_is_place(p) for p in parts):
        return None  # "(Kosovo, 1999)" is a place and a year
    for part in parts:
        words = part.split()
        if (
            len(words) > 12
            or not words[0][:1].isupper()
            or not all(w[:1].isupper() or w.casefold() in _SMALL for w in words)
        ):
            return None
    return parts


def _is_place(name: str) -> bool:
    from assistant.places import places_in

    return any(written == name for written, _ in places_in(name))


def judge_author_year(
    catalog: Catalog,
    who: str,
    names: Sequence[str],
    year_token: str | None,
    marker: int | None = None,
) -> ParsedCitation:
    """An author-year citation: valid when a record by these authors has that year."""
    records = catalog.by_authors(names)
    if not records:
        return ParsedCitation(who.strip(), year_token, None, "fabricated", marker)
    given, year = parse_year(year_token)
    same = [r for r in records if r.year == year] if given else []
    if same:
        return ParsedCitation(who.strip(), year_token, same[0].id, "valid", marker)
    return ParsedCitation(
        who.strip(), year_token, records[0].id, "wrong_year" if given else "missing_year", marker
    )


def _narrative_authors(catalog: Catalog, window: str) -> tuple[str, list[str]] | None:
    """("Bigio and Vogelstein", names) when `window` ends with names of a catalog record's
    authors."""
    words = window.split()
    best = None
    for i in range(len(words) - 1, max(len(words) - 14, -1), -1):
        who = " ".join(words[i:]).strip("\"'“”«»([,;:")
        if not who[:1].isupper():
            continue
        names = author_names(who)
        if names and catalog.by_authors(names):
            best = (who, names)
    return best


def _raw_suffix(text: str, n_key_words: int) -> str:
    """The shortest tail of `text` whose normalised form has `n_key_words` words."""
    tokens = text.split()
    for i in range(len(tokens) - 1, -1, -1):
        tail = " ".join(tokens[i:])
        if len(normalize_title(tail).split()) >= n_key_words:
            return tail.lstrip('"“«*_(')
    return text


@dataclass(frozen=True)
class ParsedCitation:
    """One citation as an answer gave it, and what the catalog says about it."""

    claimed_title: str
    claimed_year: str | None  # the token as written ("2016", "n.d."), None when absent
    record_id: str | None
    status: str
    marker: int | None = None
    sentence_index: int | None = None

    @property
    def valid(self) -> bool:
        return self.status == "valid"

    def to_json(self) -> dict:
        return {
            "claimed_title": self.claimed_title,
            "claimed_year": self.claimed_year,
            "record_id": self.record_id,
            "status": self.status,
            "marker": self.marker,
        }


@dataclass
class ParsedAnswer:
    """The body sentences (reference list removed), the citations and which sentences cite what."""

    body: str
    citations: list[ParsedCitation] = field(default_factory=list)
    sentence_records: list[tuple[str, list[str]]] = field(default_factory=list)
    """(sentence, record ids it cites) for each body sentence."""


def judge_citation(
    catalog: Catalog,
    title: str,
    year_token: str | None,
    marker: int | None = None,
    record: Record | None = None,
) -> ParsedCitation:
    """The status of a citation that claims `title` and `year_token`."""
    record = record or catalog.match_title(title)
    if record is None:
        return ParsedCitation(title.strip(), year_token, None, "fabricated", marker)
    given, year = parse_year(year_token)
    if not given:
        status = "missing_year"
    elif year != record.year:
        status = "wrong_year"
    elif _clean(title).strip(" .,:;") != _clean(record.title).strip(" .,:;"):
        status = "inexact_title"
    else:
        status = "valid"
    return ParsedCitation(title.strip(), year_token, record.id, status, marker)


def split_entry(entry: str) -> tuple[str, str | None]:
    """A reference entry -> (title, year token): "Title (2016)", "Title, 2016.", "Title (n.d.)",
    and author-first "Author, A. (2016). Title." (the title after the year)."""
    entry = entry.strip()
    found = list(_PAREN_YEAR.finditer(entry))
    if found:
        last = found[-1]
        before, after = entry[: last.start()].strip(), entry[last.end() :].strip(" .")
        if after and len(after.split()) >= 2 and (not before or re.search(r",|\b[A-Z]\.$", before)):
            return after, last.group(1)
        if before:
            return before.rstrip(" ,.;"), last.group(1)
        if after:
            return after, last.group(1)
    m = _TRAIL_YEAR.search(entry)
    if m:
        return entry[: m.start()].rstrip(" ,.;"), m.group(1)
    return entry.rstrip(" ."), None


def _entry_citation(catalog: Catalog, entry: str, n: int) -> ParsedCitation:
    """A reference entry judged; when its title names no record, the whole entry is tried too."""
    title, year = split_entry(entry)
    citation = judge_citation(catalog, title, year, marker=n)
    if citation.status == "fabricated":
        found = list(_PAREN_YEAR.finditer(entry))
        for other in [entry[: found[-1].start()], entry[found[-1].end() :]] if found else []:
            if catalog.match_title(other.strip(" .,;")):
                return judge_citation(catalog, other.strip(" .,;"), year, marker=n)
    return citation


def _claimed_title(window: str) -> str:
    """The title an inline "... Title (Year)" claims when no catalog title matches."""
    window = window.rstrip(" ,:")
    quoted = _QUOTED.search(window)
    if quoted:
        return quoted.group(1).strip()
    words = window.split()
    run: list[str] = []
    for word in reversed(words):
        bare = word.strip("\"'“”«»()[],;:")
        if not bare:
            break
        if bare[0].isupper() or bare[0].isdigit() or bare.casefold() in _SMALL:
            run.insert(0, word)
            if word.endswith((".", "!", "?")) and len(run) > 1:
                run.pop(0)
                break
        else:
            break
    while run and run[0].strip("\"'“”«»(").casefold() in _SMALL:
        run.pop(0)
    return " ".join(run).strip(" \"'“”«»,;:")


def _expand(markers: str) -> list[int]:
    out: list[int] = []
    for part in re.split(r"\s*[,;]\s*", markers):
        if re.fullmatch(r"\d+\s*[–-]\s*\d+", part):
            a, b = map(int, re.split(r"\s*[–-]\s*", part))
            out.extend(range(a, b + 1) if 0 < b - a < 20 else [a, b])
        elif part.strip().isdigit():
            out.append(int(part))
    return out


def _split_references(text: str) -> tuple[str, dict[int, str]]:
    """(body, {n: entry}): the reference list is the trailing numbered lines (or a headed
    section)."""
    lines = text.splitlines()
    refs: dict[int, str] = {}
    heading = next((i for i, line in enumerate(lines) if _REF_HEADING.match(line)), None)
    markers_used = {n for m in _MARKER.finditer(text) for n in _expand(m.group(1))}
    if heading is not None:
        for line in lines[heading + 1 :]:
            m = _REF_LINE.match(line)
            if m:
                refs[int(m.group(1) or m.group(2))] = m.group(3)
        return "\n".join(lines[:heading]), refs
    # No heading: trailing "[n] ..." lines whose numbers the body's markers use.
    end = len(lines)
    while end > 0 and not lines[end - 1].strip():
        end -= 1
    start = end
    while start > 0:
        m = _REF_LINE.match(lines[start - 1])
        if not m or not m.group(1):
            break
        start -= 1
    body = "\n".join(lines[:start])
    for line in lines[start:end]:
        m = _REF_LINE.match(line)
        refs[int(m.group(1))] = m.group(3)
    body_markers = {n for m in _MARKER.finditer(body) for n in _expand(m.group(1))}
    if refs and not (body_markers & set(refs)) and markers_used:
        return text, {}
    return body, refs


_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*•]|\d{1,3}[.)])[ \t]+", re.M)


def statement_spans(text: str) -> list[tuple[int, int]]:
    """The statements of an answer: its sentences, except that a list item is one statement
    (a cited title with a full stop inside, "- Framework Document. Developing ... [5]", stays
    whole)."""
    from kernel.text import sentence_spans

    items = []
    for m in _LIST_ITEM.finditer(text):
        end = text.find("\n", m.start())
        items.append((m.start(), len(text) if end < 0 else end))
    out: list[tuple[int, int]] = []
    for a, b in sentence_spans(text):
        item = next(((s, e) for s, e in items if s <= a < e), None)
        if item and out and item[0] <= out[-1][0] < item[1]:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def is_label(statement: str) -> bool:
    """A statement that needs no source: the guard's labels and headings, and any lead-in ending
    with a colon ("The library holds 6 records matching year 2020:")."""
    from assistant.guard import MARKER_RE
    from assistant.guard import is_label as guard_label

    return guard_label(statement) or MARKER_RE.sub("", statement).rstrip().endswith(":")


def parse_answer(text: str, catalog: Catalog) -> ParsedAnswer:
    """Every citation of a free-text answer, matched against `catalog`."""
    body, refs = _split_references(text or "")
    by_marker = {n: _entry_citation(catalog, entry, n) for n, entry in refs.items()}
    parsed = ParsedAnswer(body=body)
    spans = statement_spans(body)
    cited: list[list[str]] = [[] for _ in spans]

    def sentence_of(pos: int) -> int:
        for i, (a, b) in enumerate(spans):
            if a <= pos < b:
                return i
        return max(len(spans) - 1, 0)

    def add(citation: ParsedCitation, index: int, key: Hashable, seen: set) -> None:
        """List `citation` once per `key`, and count its record as cited by sentence `index`."""
        if key not in seen:
            seen.add(key)
            parsed.citations.append(replace(citation, sentence_index=index))
        if citation.record_id and spans:
            cited[index].append(citation.record_id)

    seen_markers: set[int] = set()
    for m in _MARKER.finditer(body):
        index = sentence_of(m.start())
        for n in _expand(m.group(1)):
            citation = by_marker.get(n)
            if citation is None:
                citation = by_marker[n] = ParsedCitation(f"[{n}]", None, None, "fabricated", n)
            add(citation, index, n, seen_markers)
    seen_inline: set[tuple[str, str | None]] = set()
    for m in _PAREN.finditer(body):
        index = sentence_of(m.start())
        for citation in _inline_citations(catalog, body, m):
            if (
                spans
                and citation.record_id
                and citation.record_id in cited[index]
                and citation.valid
            ):
                continue  # "Title (Year) [n]": the marker already counts this citation
            key = (
                citation.record_id or normalize_title(citation.claimed_title),
                citation.claimed_year,
            )
            add(citation, index, key, seen_inline)
    for i, (a, b) in enumerate(spans):
        sentence = body[a:b]
        if not is_label(sentence):
            parsed.sentence_records.append((sentence, list(dict.fromkeys(cited[i]))))
    for n, citation in sorted(by_marker.items()):  # listed but never marked: still cited
        if n not in seen_markers:
            parsed.citations.append(citation)
    return parsed


def _inline_citations(catalog: Catalog, body: str, m: re.Match) -> list[ParsedCitation]:
    """The citations one parenthesis makes: "(2019)" after a title or authors, or
    "(Who, 2019; …)"."""
    inner = m.group(1).strip()
    if re.fullmatch(_YEAR_TOKEN, inner, re.I):  # narrative: the title or authors come before it
        line_start = body.rfind("\n", 0, m.start()) + 1
        window = _MARKER.sub("", body[max(line_start, m.start() - 400) : m.start()]).rstrip()
        if not window:
            return []
        found = catalog.title_at_end(window)
        if found:
            record, raw = found
            return [judge_citation(catalog, raw, inner, record=record)]
        authors = _narrative_authors(catalog, window)
        if authors:
            return [judge_author_year(catalog, authors[0], authors[1], inner)]
        claim = _claimed_title(window)
        if len(claim.split()) < 2:
            return []  # "in 2016 (2016)", "the report (2019)": no title claimed
        return [judge_citation(catalog, claim, inner)]
    out = []
    for part in inner.split(";"):
        found = _WHO_YEAR.fullmatch(part.strip())
        if not found:
            continue
        who, year = found.group(1).strip(" ,"), found.group(2)
        record = catalog.match_title(who)
        if record is not None:
            out.append(judge_citation(catalog, who, year, record=record))
            continue
        names = author_names(who)
        if names is not None:
            out.append(judge_author_year(catalog, who, names, year))
    return out


@dataclass(frozen=True)
class Reference:
    """A reference written in a text: where it is (start, end), the parenthesis it uses, and its
    citation."""

    start: int
    end: int
    paren: tuple[int, int]
    citation: ParsedCitation


def find_references(
    text: str, catalog: Catalog, skip: Callable[[re.Match], bool] | None = None
) -> list[Reference]:
    """Every inline reference of `text` ("Title (Year)", "Author (Year)",
    "(Author, Year; Title, Year)"), judged against `catalog` by the parser `parse_answer` uses. A
    narrative reference spans its title or names and the parenthesis; a parenthetical one spans
    the parenthesis. Parentheses for which `skip(match)` is true are not judged."""
    out = []
    for m in _PAREN.finditer(text):
        if skip is not None and skip(m):
            continue
        narrative = re.fullmatch(_YEAR_TOKEN, m.group(1).strip(), re.I) is not None
        for citation in _inline_citations(catalog, text, m):
            start = m.start()
            if narrative:
                found = text.rfind(citation.claimed_title, max(0, m.start() - 400), m.start())
                if found >= 0:
                    start = found
            out.append(Reference(start, m.end(), (m.start(), m.end()), citation))
    return out


MARKERS = _MARKER
expand_markers = _expand
