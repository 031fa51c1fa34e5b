"""The citation guard: forged markers removed, markers renumbered, uncited and unsupported sentences
flagged."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from assistant.guard import (
    DEFAULT_THRESHOLD,
    SupportScorer,
    calibrate,
    check_citations,
)
from assistant.models import Hit
from kernel.models import Record
from kernel.text import split_sentences

PAIRS = Path(__file__).parent / "data" / "support_pairs.jsonl"

CONFLICT = Record(
    id="r-conflict",
    title="Modern Slavery and Trafficking in Conflict",
    year=2016,
    abstract="Violent conflict greatly increases the vulnerability of civilian populations to "
    "human trafficking "
    "and slavery. Refugees and other migrants displaced by conflict are particularly vulnerable.",
)
COVID = Record(
    id="r-covid",
    title="Smuggling in the Time of COVID-19",
    year=2020,
    abstract="Efforts to counter the COVID-19 pandemic have seen unprecedented restrictions on "
    "movement. "
    "Such measures are also likely to swell the profits of the smuggling industry in the medium "
    "term.",
)
MARRIAGE = Record(
    id="r-marriage",
    title="A Girl No More",
    year=None,
    abstract="Marriage often means the end of a girl's education and limits her vocational "
    "opportunities.",
)
HITS = [Hit(CONFLICT, 0.9, rank=0), Hit(COVID, 0.8, rank=1), Hit(MARRIAGE, 0.7, rank=2)]


class KeywordScorer:
    """A stand-in for SupportScorer: supported when the word 'penguins' is absent."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[str]]] = []

    def score(self, sentence: str, texts: Sequence[str]) -> float:
        self.calls.append((sentence, list(texts)))
        return 0.1 if "penguins" in sentence.lower() else 0.9


def test_guard__removes_a_marker_pointing_to_no_source_and_reports_it():
    result = check_citations(
        "Conflict increases vulnerability [1]. Smuggling profits grow [9].", HITS
    )

    assert "[9]" not in result.text
    assert result.text == "Conflict increases vulnerability [1]. Smuggling profits grow."
    assert result.removed_markers == (9,)
    assert "removed citation [9]: no such source" in result.warnings
    assert [v.problem for v in result.verdicts] == [None, "removed-marker"]


def test_guard__renumbers_markers_in_order_of_first_appearance_with_catalog_records():
    result = check_citations("Profits grow [2]. Vulnerability rises [1]. Both hold [2][1].", HITS)

    assert result.text == "Profits grow [1]. Vulnerability rises [2]. Both hold [1][2]."
    assert [(c.n, c.record.title, c.record.year) for c in result.citations] == [
        (1, COVID.title, 2020),
        (2, CONFLICT.title, 2016),
    ]


def test_guard__reads_grouped_and_adjacent_markers_and_leaves_bracketed_years_as_text():
    result = check_citations(
        "Both sources agree [1, 3]. Again [3][1]. In the report [2020] it is said [2].", HITS
    )

    assert [v.markers for v in result.verdicts] == [(1, 2), (2, 1), (3,)]
    assert "[2020]" in result.text
    assert [c.record.id for c in result.citations] == ["r-conflict", "r-marriage", "r-covid"]


def test_guard__reads_source_words_that_some_models_write_as_markers():
    result = check_citations("Vulnerability rises (Source 1). Profits grow [Source 2 and 1].", HITS)
    assert result.text == "Vulnerability rises [1]. Profits grow [2, 1]."


def test_guard__flags_uncited_sentences_but_not_connecting_labels():
    text = (
        "Quoted from the library's records:\n\nConflict increases vulnerability [1].\nPenguins "
        "are birds."
    )
    result = check_citations(text, HITS)

    problems = {v.sentence: v.problem for v in result.verdicts}
    assert problems["Quoted from the library's records:"] is None
    assert problems["Penguins are birds."] == "uncited"
    assert "1 sentence cites no source" in result.warnings


def test_guard__a_statement_that_the_sources_lack_something_needs_no_citation():
    result = check_citations("Vulnerability rises [1]. The sources do not mention penguins.", HITS)
    assert [v.problem for v in result.verdicts] == [None, None]
    spanish = check_citations(
        "Vulnerability rises [1]. Las fuentes no mencionan pingüinos. No hay datos de 2024.", HITS
    )
    assert [v.problem for v in spanish.verdicts] == [None, None, None]


def test_guard__flags_a_cited_sentence_its_sources_do_not_support():
    scorer = KeywordScorer()
    result = check_citations(
        "Vulnerability rises in conflict [1]. Penguins smuggle fish [2].", HITS, scorer=scorer
    )

    verdicts = {v.sentence: v for v in result.verdicts}
    assert verdicts["Vulnerability rises in conflict [1]."].supported is True
    flagged = verdicts["Penguins smuggle fish [2]."]
    assert (flagged.supported, flagged.problem) == (False, "unsupported")
    assert scorer.calls[1][1] == [COVID.abstract]  # judged against the cited abstract only
    assert (
        result.text == "Vulnerability rises in conflict [1]. Penguins smuggle fish [2]."
    )  # nothing hidden


def test_guard__quotation_counts_as_supported_without_a_model():
    result = check_citations(f"{COVID.abstract.split('. ')[1]} [2]", HITS)

    assert result.verdicts[0].supported is True
    assert result.verdicts[0].score == 1.0


def test_split_sentences__keeps_abbreviations_and_trailing_markers_together():
    text = "The U.S. President spoke, e.g. in 2016. [1] Violence rose [2]. Next line\nA list item."
    assert split_sentences(text) == [
        "The U.S. President spoke, e.g. in 2016. [1]",
        "Violence rose [2].",
        "Next line",
        "A list item.",
    ]


def test_split_sentences__parts_glued_listing_sentences_but_not_domains_or_initials():
    text = (
        "Officers stabilise victims as first aid providers do for experts.Law enforcement must act "
        "fast. "
        "See www.Example.org for the U.S.Army guidance."
    )
    assert split_sentences(text, lines=False) == [
        "Officers stabilise victims as first aid providers do for experts.",
        "Law enforcement must act fast.",
        "See www.Example.org for the U.S.Army guidance.",
    ]


def test_calibrate__picks_the_threshold_between_the_classes():
    threshold, accuracy = calibrate([0.2, 0.4, 0.7, 0.9], [False, False, True, True])
    assert (threshold, accuracy) == (0.55, 1.0)


@pytest.mark.slow
def test_default_threshold__is_the_accuracy_maximising_one_on_the_labelled_pairs(embedder):
    rows = [
        json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    assert len(rows) >= 40
    scores = SupportScorer(embedder).score_many([(r["sentence"], [r["abstract"]]) for r in rows])
    threshold, accuracy = calibrate(scores, [r["supported"] for r in rows])

    assert threshold == pytest.approx(DEFAULT_THRESHOLD, abs=0.02)
    assert accuracy >= 0.9


def _scripted_llm(text: str) -> Any:
    from llama_index.core.llms import CompletionResponse, CustomLLM, LLMMetadata
    from llama_index.core.llms.callbacks import llm_completion_callback

    class ScriptedLLM(CustomLLM):
        """Answers every prompt with the same scripted text, streamed word by word."""

        script: str = ""
        prompts: list = []

        @property
        def metadata(self) -> LLMMetadata:
            return LLMMetadata(model_name="scripted", is_chat_model=False)

        @llm_completion_callback()
        def complete(
            self, prompt: str, formatted: bool = False, **kwargs: Any
        ) -> CompletionResponse:
            self.prompts.append(prompt)
            return CompletionResponse(text=self.script)

        @llm_completion_callback()
        def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any):
            self.prompts.append(prompt)
            sent = ""
            for word in self.script.split(" "):
                piece = word if not sent else " " + word
                sent += piece
                yield CompletionResponse(text=sent, delta=piece)

    return ScriptedLLM(script=text, prompts=[])


@pytest.mark.slow
def test_guard__on_a_scripted_llm_answer_removes_the_forged_marker_and_flags_the_unsupported_claim(
    embedder,
):
    from assistant.llm import LLMAnswerer

    script = (
        "Violent conflict makes civilians far more vulnerable to trafficking and slavery [1]. "
        "Travel restrictions during COVID-19 are likely to raise smugglers' profits [2]. "
        "Penguins in Antarctica are trafficked for their eggs every winter [3]. "
        "The library also proves that trafficking ended in 2019 [9]."
    )
    llm = _scripted_llm(script)
    answerer = LLMAnswerer(llm)

    streamed = "".join(
        answerer.stream("What does the library say about conflict and smuggling?", HITS)
    )
    assert streamed == script
    assert "Source 1:" in llm.prompts[-1] and CONFLICT.abstract in llm.prompts[-1]

    result = check_citations(streamed, HITS, scorer=SupportScorer(embedder))

    assert "[9]" not in result.text and "removed citation [9]: no such source" in result.warnings
    problems = [v.problem for v in result.verdicts]
    assert problems == [None, None, "unsupported", "removed-marker"]
    assert [c.record.id for c in result.citations] == ["r-conflict", "r-covid", "r-marriage"]
    assert all(v.sentence.split(" [")[0].rstrip(".") in result.text for v in result.verdicts)
