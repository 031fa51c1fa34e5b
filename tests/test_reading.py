"""assistant.reading: the rules table (every row's examples), language identification, a question's
focus."""

import pytest

from assistant.reading import (
    RULES,
    catalog_names,
    detect_language,
    fires,
    focus_terms,
    person_names,
    unread_message,
)


def test_rules__every_row_carries_yes_and_no_examples():
    for rule in RULES:
        assert rule.yes and rule.no, f"rule {rule.name} needs both yes and no example questions"


@pytest.mark.parametrize("rule, question", [(r.name, q) for r in RULES for q in r.yes])
def test_rules__fire_on_their_yes_examples(rule, question):
    assert fires(rule, question)


@pytest.mark.parametrize("rule, question", [(r.name, q) for r in RULES for q in r.no])
def test_rules__stay_quiet_on_their_no_examples(rule, question):
    assert not fires(rule, question)


@pytest.mark.parametrize(
    "question, code",
    [
        ("Comment le conflit armé pousse-t-il au mariage des enfants ?", "fr"),
        ("Wie erhöht ein bewaffneter Konflikt das Risiko von Menschenhandel?", "de"),
        ("Como a pandemia de COVID-19 afetou o tráfico de pessoas?", "pt"),
        ("¿Qué riesgos corren los niños no acompañados que migran?", "es"),
        ("trata de niños con fines de explotación sexual en el Pacífico", "es"),
        ("ms13 and human traficking", "en"),
        ("DemandAT", "en"),  # one word carries no language: read as English
        ("SDG 8.7", "en"),
        # names carry no language: an English question on an author is English
        ("Do you have Rachel Vogelstein's work?", "en"),
        ("Has Jelia Sane written anything on Syria?", "en"),
        ("Is there anything by Anna De Courcy Wheeler?", "en"),
        ("Gibt es Berichte über Kinderhandel?", "de"),  # German nouns are capitalised too
    ],
)
def test_detect_language__tells_french_from_spanish_and_reads_short_labels_as_english(
    question, code
):
    assert detect_language(question) == code


def test_detect_language__the_catalogs_author_names_carry_no_language():
    names = catalog_names(("Jennifer Schlecht", "Walk Free Foundation"))
    assert detect_language("Schlecht's papers please") == "de"  # a German word, alone
    assert detect_language("Schlecht's papers please", names) == "en"
    assert detect_language("Gibt es Berichte über Kinderhandel?", names) == "de"


def test_unread_message__in_the_readers_language_and_in_english():
    text = unread_message("fr")
    assert "l'anglais et l'espagnol" in text and "English and Spanish" in text


@pytest.mark.parametrize(
    "question, focus",
    [
        ("What share of trafficking victims in Libya are men?", ["Libya"]),
        ("Why are countries unable to report progress on SDG 8.7 consistently?", ["SDG", "8.7"]),
        (
            "How does COVID-19 raise the risk of trafficking?",
            [],
        ),  # COVID-19 is the library's vocabulary, not a focus
        ("Chad asked whether we have the Security Council ideas paper", ["Security Council"]),
        ("What did Chad's government do in 2010 to stop child recruitment?", ["Chad"]),
        (
            "Rohingya trafficking in Bangladesh",
            ["Bangladesh"],
        ),  # a sentence's first word is no name by itself
    ],
)
def test_focus_terms__names_and_numbers_but_not_years_people_or_sentence_starts(question, focus):
    assert focus_terms(question) == focus


def test_person_names__a_name_that_asks_is_a_person():
    assert person_names("My colleague Victoria needs the first aid kit") == {"Victoria"}
    assert person_names("trafficking in Georgia and Armenia") == set()


def test_ask__answers_a_french_question_by_naming_the_languages_it_reads(sample_assistant):
    answer = sample_assistant.ask(
        "Que peut faire le Conseil de sécurité contre la traite des êtres humains ?"
    )
    assert answer.abstained and not answer.citations
    assert "l'anglais et l'espagnol" in answer.text and "English and Spanish" in answer.text


def test_ask__a_spanish_question_on_an_english_only_subject_cites_the_english_record(
    sample_assistant,
):
    answer = sample_assistant.ask(
        "¿Qué deben hacer los policías al encontrar a una posible víctima de trata?"
    )
    assert any(c.title.startswith("First Aid Kit") for c in answer.citations), answer.text
