"""Spanish questions search English records too, through a glossary of the domain's words."""

from assistant.glossary import english_terms, is_spanish
from assistant.reading.question import read_question


def test_is_spanish__by_punctuation_or_function_words_not_by_one_name():
    assert is_spanish("¿Qué hay sobre la trata?") and is_spanish(
        "trata de personas en los campos de refugiados"
    )
    assert not is_spanish("What should a police officer do first?")
    assert not is_spanish("Trafficking in Los Angeles and the role of the police")


def test_english_terms__longest_phrase_wins_and_accents_do_not_matter():
    assert (
        english_terms("reclutamiento de niños soldado en conflictos armados")
        == "recruitment child soldiers armed conflict"
    )
    assert english_terms("trata de personas") == "human trafficking"  # not "trafficking" as well
    assert english_terms("ninos y matrimonio infantil") == "children child marriage"
    assert english_terms("receta de paella") == ""


def test_spanish_names__an_english_name_is_found_in_a_record_written_in_spanish():
    """ "Human Rights Council" is named by the Spanish record's "Consejo de Derechos Humanos"; a
    common word ("trafficking") is no name, so a record's "trata" is no evidence for it."""
    from assistant.glossary import spanish_names
    from assistant.reading import mentions, term_readings
    from kernel.text import fold

    assert spanish_names("Human Rights Council") == ("consejo de derechos humanos",)
    assert spanish_names("trafficking") == ()
    title = fold("Resolución Aprobada por el Consejo de Derechos Humanos el 30 de junio de 2016")
    assert mentions(term_readings("Human Rights Council"), title)
    assert not mentions(term_readings("General Assembly"), title)


def test_read_question__a_spanish_question_carries_its_english_terms_beside_the_question_as_asked():
    read = read_question("¿Hay informes sobre el reclutamiento de niños soldado?", {})
    assert read.spanish and read.query == "¿Hay informes sobre el reclutamiento de niños soldado?"
    assert read.english == "recruitment child soldiers"
    english = read_question("What about child soldiers?", {})
    assert not english.spanish and english.english == ""
