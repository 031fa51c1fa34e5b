"""Places a question names: read from a built-in gazetteer, so the answer can say when none of its
records is about them."""

from assistant.places import broader, places_in, wider


def _names(question):
    return [name for name, _ in places_in(question)]


def test_places_in__reads_countries_and_regions_by_any_of_their_names():
    assert _names("Trafficking of women from Nigeria to Italy") == ["Nigeria", "Italy"]
    assert _names("refugees from Burma in the UK") == ["Burma", "UK"]  # as the user wrote them
    [(_, names)] = places_in("Burma")
    assert names[0] == "Myanmar" and {"Burma", "Birmania", "Birmanie"} <= set(names)
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


def test_places_in__reads_cldr_names_in_spanish_and_french_and_regions_people_name():
    assert _names("la trata en Estados Unidos") == ["Estados Unidos"]
    assert [n[0] for _, n in places_in("la traite au Royaume-Uni")] == ["United Kingdom"]
    assert _names("trafficking routes through West Africa") == ["West Africa"]
    assert _names("labour exploitation in the Gulf states") == ["Gulf states"]
    assert _names("human trafficking in the Caribbean") == ["Caribbean"]
    assert _names("cross-border cases in Albania and Bosnia") == ["Albania", "Bosnia"]


def test_places_in__a_name_that_is_no_place_phrase_names_no_place():
    assert _names("my colleague Chad asks for the first aid kit") == []
    assert _names("Victoria wants the facilitator's guide") == []
    assert _names("oil theft and armed groups in the Niger Delta") == []
    assert _names("New Mexico shelters for trafficking victims") == []
    assert _names("Jordan needs the Security Council paper") == []


def test_broader__a_compass_region_lies_in_its_region_and_a_country_in_none():
    assert broader("West Africa") == ["Africa"]  # a record on Sub-Saharan Africa is about it
    assert broader("Eastern Europe") == ["Europe"]
    assert broader("South Africa") == [] and broader("South Sudan") == []


def test_wider__a_city_lies_in_its_country_and_a_country_in_its_un_sub_region():
    assert wider("Pristina") == ("Kosovo", "Southern Europe")
    assert wider("Teknaf")[0] == "Bangladesh"  # GeoNames writes "Teknāf"
    assert wider("Cox's Bazar")[0] == "Bangladesh"  # and "Cox’s Bāzār"
    assert wider("Jamaica") == ("Caribbean",)
    assert wider("Trinidad") == ("Caribbean",)  # Trinidad and Tobago, not the Bolivian city
    assert wider("Fiji") == ("Melanesia", "Pacific", "Oceania")  # records say "the Pacific"
    assert wider("Libya") == ("Northern Africa",)  # never a continent: Africa says nothing of Libya


def test_places_in__qatar_is_a_place_though_its_code_starts_like_cldrs_private_ones():
    assert _names("migrant workers in Qatar") == ["Qatar"]
    assert wider("Qatar") == ("Western Asia",)


def test_wider__a_name_that_is_no_city_or_country_has_none():
    assert wider("Sahel") == () and wider("Kampala Convention") == () and wider("trafficking") == ()
