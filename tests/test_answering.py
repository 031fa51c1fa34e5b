"""Both answerers share one protocol, and the assistant answers with any answerer that keeps it:
the sources the answerer writes from are the only ones the answer cites."""

import pytest

from assistant.answer import ExtractiveAnswerer
from assistant.answering import Answerer, Composition
from assistant.llm import LLMAnswerer
from assistant.models import Notice


def test_answerers__both_keep_the_answerer_protocol():
    assert isinstance(ExtractiveAnswerer(embedder=None), Answerer)
    assert isinstance(LLMAnswerer(llm=object()), Answerer)


class OneSourceAnswerer:
    """Writes from the first hit only and says it left the others out."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def compose(self, plan, query, hits, history=()) -> Composition:
        self.asked.append(plan.question)
        first = hits[0]
        pieces = ("From the first source: ", f"{first.record.title} [1]")
        notice = Notice("llm_sources_cut", {"tokens": 512, "sent": 1, "found": len(hits)})
        return Composition((first,), pieces, (notice,))


@pytest.mark.slow
def test_ask__any_answerer_of_the_protocol_answers_and_cites_only_what_it_wrote_from(
    sample_assistant,
):
    question = "How did COVID-19 change the risk of trafficking?"
    original = sample_assistant.answerer
    sample_assistant.answerer = fake = OneSourceAnswerer()
    try:
        items = list(sample_assistant.ask_stream(question))
    finally:
        sample_assistant.answerer = original
    answer = items[-1]
    assert fake.asked == [question]
    title = answer.hits[0].record.title
    assert items[:-1] == ["From the first source: ", f"From the first source: {title} [1]"]
    assert len(answer.hits) == 1 and [c.record.id for c in answer.citations] == [
        answer.hits[0].record.id
    ]
    assert any(n.code == "llm_sources_cut" for n in answer.notices)
