"""Places a question names: read from a built-in gazetteer, so the answer can say when none of its
records is about them."""

from assistant.places import places_in


def _names(question):
    return [name for name, _ in places_in(question)]


def test_places_in__reads_countries_and_regions_by_any_of_their_names():
    assert _names("Trafficking of women from Nigeria to Italy") == ["Nigeria", "Italy"]
    assert _names("refugees from Burma in the UK") == ["Burma", "UK"]  # as the user wrote them
    assert [names for _, names in places_in("Burma")] == [("Myanmar", "Burma")]
    assert _names("Myanmar or Burma?") == ["Myanmar"]  # one place
    assert _names("armed groups in the Horn of Africa and South Sudan") == [
        "Horn of Africa",
        "South Sudan",
    ]


def test_places_in__does_not_read_a_country_inside_another_or_in_ordinary_words():
    assert _names("Nigeria and Papua New Guinea") == [
        "Nigeria",
        "Papua New Guinea",
    ]  # not Niger, not Guinea
    assert _names("what should a chad or a jordan do? tell us, uk") == []  # lower case: not places
    assert _names("Syria, Syria and Syria") == ["Syria"]
