"""Evaluation metrics on hand-computed examples."""

import math

import pytest

from assistant.models import Filters
from evals.citations_parse import ParsedCitation
from evals.metrics import aggregate, alce, ndcg_at_k, recall_at_k, reciprocal_rank, score_question
from evals.runner import check_gates, parse_gate
from kernel.errors import ConfigError
from kernel.models import Record

RANKED = ["a", "b", "c", "d"]
GOLD = ["b", "d"]


def test_recall_at_k__counts_gold_among_the_first_k():
    assert recall_at_k(RANKED, GOLD, 1) == 0.0
    assert recall_at_k(RANKED, GOLD, 3) == 0.5
    assert recall_at_k(RANKED, GOLD, 10) == 1.0


def test_mrr__is_one_over_the_rank_of_the_first_gold():
    assert reciprocal_rank(RANKED, GOLD) == 0.5
    assert reciprocal_rank(RANKED, ["z"]) == 0.0
    assert reciprocal_rank(RANKED, ["d"], k=3) == 0.0


def test_ndcg__matches_the_hand_computed_value():
    # gains at ranks 2 and 4; ideal puts them at ranks 1 and 2
    expected = (1 / math.log2(3) + 1 / math.log2(5)) / (1 + 1 / math.log2(3))
    assert ndcg_at_k(RANKED, GOLD, 10) == pytest.approx(expected)
    assert ndcg_at_k(["b", "d"], GOLD, 10) == pytest.approx(1.0)
    # graded judgments: gain 2^rel - 1
    assert ndcg_at_k(["x", "y"], {"x": 1, "y": 2}, 10) == pytest.approx(
        (1 + 3 / math.log2(3)) / (3 + 1 / math.log2(3))
    )


def _keyword_judge(items):
    """Supports a sentence when one of the texts contains the sentence's first word."""
    return [any(sentence.split()[0].strip(".") in t for t in texts) for sentence, texts in items]


def test_alce__recall_precision_and_support_as_in_gao_et_al():
    texts = {"A": "alpha facts", "B": "beta facts", "C": "gamma facts"}
    sentences = [
        (
            "alpha is true.",
            ["A", "B"],
        ),  # A supports; B is not needed (A alone suffices) -> imprecise
        ("delta is true.", ["C"]),  # C does not support it
        ("alpha again.", []),  # no citation: unsupported
    ]
    result = alce(sentences, texts, _keyword_judge)
    assert result.recall == pytest.approx(1 / 3)
    assert result.precision == pytest.approx(1 / 3)  # A counts; B and C do not
    assert result.support == pytest.approx(1 / 3)  # pairs: (1,A) yes, (1,B) no, (2,C) no


def test_alce__a_citation_needed_jointly_counts_as_precise():
    texts = {"A": "alpha", "B": "beta"}

    def both(items):  # supported only by A and B together
        return [len(texts_) == 2 for _, texts_ in items]

    result = alce([("alpha beta.", ["A", "B"])], texts, both)
    assert result.recall == 1.0 and result.precision == 1.0 and result.support == 0.0


def _c(rid, status="valid", title="T", year="2020"):
    return ParsedCitation(title, year, rid, status)


def _score(**kw):
    base = dict(
        qid="q",
        question="?",
        gold=["A"],
        answerable=True,
        abstained=False,
        citations=[_c("A")],
        sentence_records=[("alpha.", ["A"])],
        retrieved=["B", "A"],
        texts={"A": "alpha", "B": "beta"},
        judge=_keyword_judge,
    )
    base.update(kw)
    return score_question(**base)


def test_score_question__answered_with_the_gold_record():
    s = _score()
    assert s.metrics["gold_citation_recall"] == 1.0
    assert s.metrics["citation_validity"] == 1.0
    assert s.metrics["abstention"] == 1.0
    assert s.metrics["recall@1"] == 0.0 and s.metrics["mrr"] == 0.5
    assert s.metrics["citation_recall"] == 1.0
    assert s.problems == []


def test_score_question__counts_fabricated_and_wrong_year_separately():
    s = _score(
        citations=[_c("A"), _c(None, "fabricated", "Invented"), _c("A", "wrong_year", year="1999")]
    )
    assert s.counts["fabricated"] == 1 and s.counts["wrong_year"] == 1
    assert s.metrics["citation_validity"] == pytest.approx(1 / 3)
    assert any("fabricated: 'Invented'" in p for p in s.problems)


def test_score_question__unanswerable_is_correct_only_without_sources():
    kw = dict(gold=[], answerable=False, retrieved=None)
    assert (
        _score(citations=[], abstained=True, sentence_records=[], **kw).metrics["abstention"] == 1.0
    )
    cited = _score(**kw)
    assert cited.metrics["abstention"] == 0.0
    assert "unanswerable, but the answer cites sources" in cited.problems
    assert cited.metrics["gold_citation_recall"] is None and cited.metrics["recall@5"] is None


def test_score_question__a_refusal_of_an_answerable_question_is_wrong():
    s = _score(citations=[], abstained=True, sentence_records=[])
    assert s.metrics["abstention"] == 0.0 and s.metrics["gold_citation_recall"] == 0.0


def test_score_question__filter_compliance_checks_the_cited_records():
    records = {"A": Record("A", "a", year=2019), "B": Record("B", "b", year=2010)}
    f = Filters(year_from=2015)
    s = _score(
        citations=[_c("A"), _c("B")],
        matches_filters=lambda rid: f.matches(records[rid]),
        names={"B": "Old report (2010)"},
    )
    assert s.metrics["filter_compliance"] == 0.5
    assert "cited outside the filters: Old report (2010)" in s.problems


def test_aggregate__macro_averages_where_a_metric_applies_and_sums_counts():
    answered = _score()
    refused = _score(citations=[], abstained=True, sentence_records=[])
    unanswerable = _score(
        gold=[], answerable=False, citations=[], abstained=True, sentence_records=[], retrieved=None
    )
    overall = aggregate([answered, refused, unanswerable])
    assert overall["questions"] == 3 and overall["unanswerable"] == 1
    assert overall["abstention"] == pytest.approx(2 / 3, abs=1e-4)
    assert overall["gold_citation_recall"] == 0.5  # the unanswerable question does not count
    assert overall["citation_validity"] == 1.0  # only the answer with citations counts
    assert overall["citations"] == 1


def test_gates__name_the_metrics_that_fall_short():
    overall = {"citation_validity": 0.95, "abstention": 1.0, "citation_support": None}
    gates = [
        parse_gate("citation_validity=1.0"),
        parse_gate("abstention=1"),
        parse_gate("citation-support=0.9"),
    ]
    failed = check_gates(overall, gates)
    assert failed == ["citation_validity 0.95 < 1", "citation_support was not measured (needs 0.9)"]
    assert parse_gate("recall_at_5=0.8").metric == "recall@5"
    with pytest.raises(ConfigError, match="unknown metric 'precision'"):
        parse_gate("precision=1")
    with pytest.raises(ConfigError, match="METRIC=VALUE"):
        parse_gate("citation_validity")


def test_llm_judge__asks_about_each_claim_and_reads_yes_or_no():
    from types import SimpleNamespace

    from evals.judge import LLMJudge

    class FakeLLM:
        def __init__(self):
            self.prompts = []

        def chat(self, messages):
            prompt = messages[-1].content
            self.prompts.append(prompt)
            return SimpleNamespace(
                message=SimpleNamespace(
                    content="Yes." if "alpha" in prompt.split("Claim:")[1] else "no"
                )
            )

    llm = FakeLLM()
    judge = LLMJudge(llm)
    assert judge(
        [
            ("alpha holds.", ["Source text about alpha."]),
            ("beta holds.", ["Source text."]),
            ("alpha again.", []),
        ]
    ) == [True, False, False]
    assert len(llm.prompts) == 2  # no source, no call
    assert "<source>\nSource text about alpha.\n</source>" in llm.prompts[0]
