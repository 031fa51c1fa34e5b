"""Places a question names that the library never mentions.

A practitioner who asks about "trafficking in Syria" and gets sentences about trafficking in
conflict in general must be told that none of them is about Syria. Places the catalog holds as
country or region values become filters (`assistant.reading.question`); this module covers every other
country, and a few regions people name, from a small built-in gazetteer (no network, no extra
package). A place counts as mentioned when some record's title or abstract holds a word that
starts with the stem of each of its words ("Syria" is mentioned by "Syrian refugees"); the check
reads the BM25 index's vocabulary, so it costs a dictionary lookup per word, at any library size.
"""

from __future__ import annotations

import re
from functools import lru_cache

# One line per place: its names, separated by "|" (warnings use the name the question wrote).
_GAZETTEER = """
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
Trinidad and Tobago
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
Balkans
Sahel
Horn of Africa
Middle East
Latin America
Southeast Asia|South-East Asia
West Africa
East Africa
"""


@lru_cache(maxsize=1)
def _places() -> tuple[tuple[str, tuple[str, ...]], ...]:
    out = []
    for line in _GAZETTEER.strip().splitlines():
        names = tuple(n.strip() for n in line.split("|") if n.strip())
        out.append((names[0], names))
    return tuple(out)


@lru_cache(maxsize=1)
def _lookup() -> tuple[re.Pattern[str], dict[str, tuple[str, tuple[str, ...]]]]:
    """(the pattern of every name, name -> (place, every name for it)), built once."""
    by_name = {n: (canonical, names) for canonical, names in _places() for n in names}
    # Names as written, capitalised (so "chad" or "jordan" in lower case are not places); all-caps
    # abbreviations (UK, DRC) must be all caps.
    pattern = "|".join(re.escape(n) for n in sorted(by_name, key=len, reverse=True))
    return re.compile(r"(?<![\w-])(" + pattern + r")(?![\w-])"), by_name


def places_in(question: str) -> list[tuple[str, tuple[str, ...]]]:
    """(the name as the question writes it, every name for that place) for each gazetteer place the
    question names, in order, once each ("Burma" and "Myanmar" are one place)."""
    pattern, by_name = _lookup()
    found: dict[str, tuple[str, tuple[str, ...]]] = {}
    for m in pattern.finditer(question):
        canonical, names = by_name[m.group(1)]
        found.setdefault(canonical, (m.group(1), names))
    return list(found.values())
