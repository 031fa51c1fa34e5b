"""A synthetic catalog for scale tests: plausible anti-trafficking records, deterministic from a seed.

    python -m benchmarks.synth --records 100000 --seed 7 --out data/bench/catalog-100000.jsonl

Each record is one JSONL object with the keys the catalog parser knows (title, abstract, year,
authors, country, region, category) plus `topic`, which the parser keeps in the record's metadata.
Abstracts (80–400 words) are written from one main topic's vocabulary with a little of a second
topic mixed in, so records cluster by topic the way a real library does; countries always lie in
the record's region; about 6% of the years are missing (null). Titles are unique after
`normalize_title`, so N generated rows ingest as N records.

`hashed_vector(text)` / `ClusteredEmbedder` give the matching "synthetic-clustered" dense vectors:
a fixed random projection of the text's words, so texts sharing vocabulary lie close together.
"""

from __future__ import annotations

import json
import random
import re
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from kernel.text import normalize_title, stop_words


def _v(text: str) -> tuple[str, ...]:
    """The vocabulary is stored as "|"-separated strings to keep this module short."""
    return tuple(part.strip() for part in text.split("|") if part.strip())


@dataclass(frozen=True)
class Topic:
    """One theme of the library: its category, title heads and the phrases its abstracts use."""

    key: str
    category: str
    heads: tuple[str, ...]  # title-case noun phrases for titles
    phrases: tuple[str, ...]  # lower-case noun phrases for abstracts
    groups: tuple[str, ...]  # affected people
    actors: tuple[str, ...]  # who acts
    responses: tuple[str, ...]  # what is done about it


TOPICS: tuple[Topic, ...] = (
    Topic(
        "child-soldiers",
        "Child Soldiers",
        _v(
            "Child Soldiers|Recruitment of Children by Armed Groups|Children Associated with Armed Forces|"
            "Demobilisation of Child Combatants|Grave Violations Against Children"
        ),
        _v(
            "recruitment and use of children|child combatants|armed groups|abduction of children|"
            "demobilisation, disarmament and reintegration|attacks on schools|grave violations against children|"
            "militia recruitment|children associated with armed forces|release of children from armed groups"
        ),
        _v("boys and girls under 18|former child soldiers|displaced children|orphaned adolescents"),
        _v(
            "the Security Council|UNICEF|child protection officers|the Monitoring and Reporting Mechanism"
        ),
        _v(
            "community-based reintegration|action plans signed with armed groups|age verification|"
            "psychosocial support for returning children"
        ),
    ),
    Topic(
        "sexual-exploitation",
        "Sexual Exploitation",
        _v(
            "Sexual Exploitation|Conflict-Related Sexual Violence|Trafficking for Sexual Exploitation|"
            "Forced Prostitution|Sexual Slavery in Armed Conflict"
        ),
        _v(
            "trafficking for sexual exploitation|conflict-related sexual violence|sexual slavery|"
            "forced prostitution|brothel networks|survivors of sexual violence|commercial sexual exploitation|"
            "gender-based violence|exploitation by peacekeepers|online sexual exploitation of children"
        ),
        _v("women and girls|adolescent girls|survivors|refugee women"),
        _v(
            "specialised police units|women's organisations|the Special Representative on Sexual Violence in Conflict"
        ),
        _v(
            "survivor-centred services|safe houses|prosecution of traffickers|clinical management of rape"
        ),
    ),
    Topic(
        "forced-labour",
        "Forced Labour",
        _v(
            "Forced Labour|Debt Bondage|Labour Exploitation|Forced Labour in Supply Chains|Bonded Labour"
        ),
        _v(
            "forced labour|debt bondage|recruitment fees|passport confiscation|wage theft|"
            "labour exploitation in agriculture|forced labour in fishing|brick kilns|domestic servitude|"
            "exploitation in construction|supply chain due diligence"
        ),
        _v("migrant workers|domestic workers|seasonal farm workers|fishers at sea"),
        _v(
            "labour inspectors|the International Labour Organization|employers and recruiters|trade unions"
        ),
        _v("labour inspection|ethical recruitment|supply chain audits|remediation for workers"),
    ),
    Topic(
        "displacement",
        "Refugees and Displacement",
        _v(
            "Refugees and Trafficking|Displacement and Exploitation|Trafficking in Refugee Camps|"
            "Protection of Internally Displaced Persons|Mixed Migration Flows"
        ),
        _v(
            "displacement|refugee camps|internally displaced persons|mixed migration flows|"
            "irregular border crossings|asylum procedures|protection gaps|humanitarian corridors|"
            "exploitation along migration routes|camp management"
        ),
        _v("refugees|internally displaced persons|unaccompanied minors|asylum seekers"),
        _v(
            "UNHCR|the International Organization for Migration|humanitarian agencies|border officials"
        ),
        _v(
            "identification of victims at borders|referral mechanisms|registration of displaced people|"
            "protection monitoring"
        ),
    ),
    Topic(
        "smuggling",
        "Migrant Smuggling",
        _v(
            "Migrant Smuggling|Smuggling Networks|Smuggling and Trafficking at Sea|Organised Crime and Migration"
        ),
        _v(
            "migrant smuggling|smuggling networks|maritime routes|organised criminal groups|"
            "facilitation fees|kidnapping for ransom|desert crossings|document fraud|"
            "the smuggling-trafficking nexus|detention centres"
        ),
        _v("migrants in transit|stranded migrants|smuggled persons|migrants rescued at sea"),
        _v("coast guards|Europol|transnational criminal networks|prosecutors"),
        _v(
            "joint investigation teams|financial investigations|search and rescue|disruption of smuggling routes"
        ),
    ),
    Topic(
        "technology",
        "Technology",
        _v(
            "Technology and Trafficking|Online Recruitment|Digital Evidence in Trafficking Cases|"
            "Social Media and Exploitation|Data for Counter-Trafficking"
        ),
        _v(
            "online recruitment|social media advertisements|encrypted messaging|cryptocurrency payments|"
            "digital evidence|data sharing|fake job offers|online grooming|machine learning for detection|"
            "open-source intelligence"
        ),
        _v("jobseekers online|young people|platform users|victims recruited online"),
        _v("technology companies|cybercrime units|data scientists|financial intelligence units"),
        _v(
            "content moderation|victim identification tools|public-private partnerships|data protection safeguards"
        ),
    ),
    Topic(
        "justice",
        "Law and Justice",
        _v(
            "Prosecuting Human Trafficking|Criminal Justice Responses|The Palermo Protocol|"
            "Accountability for Trafficking Crimes|Non-Punishment of Victims"
        ),
        _v(
            "prosecution of traffickers|criminal justice responses|the Palermo Protocol|conviction rates|"
            "victim testimony|non-punishment of victims|anti-trafficking legislation|mutual legal assistance|"
            "asset confiscation|impunity"
        ),
        _v("victims testifying in court|defendants|identified victims|witnesses"),
        _v("prosecutors|judges|national rapporteurs|law enforcement agencies"),
        _v("specialised courts|witness protection|training for judges|compensation for victims"),
    ),
    Topic(
        "humanitarian",
        "Humanitarian Response",
        _v(
            "Humanitarian Action Against Trafficking|Trafficking in Humanitarian Crises|"
            "Protection in Emergencies|Anti-Trafficking in Humanitarian Settings"
        ),
        _v(
            "humanitarian crises|protection clusters|emergency response|humanitarian access|"
            "cash assistance|natural disasters|trafficking risk assessments|humanitarian coordination|"
            "early warning|protection mainstreaming"
        ),
        _v(
            "crisis-affected populations|host communities|disaster survivors|households in emergencies"
        ),
        _v(
            "humanitarian workers|the Global Protection Cluster|non-governmental organisations|donors"
        ),
        _v(
            "trafficking risk screening|safe referral pathways|inter-agency coordination|community outreach"
        ),
    ),
    Topic(
        "armed-conflict",
        "Conflict",
        _v(
            "Trafficking in Armed Conflict|Modern Slavery in Conflict|Conflict and Exploitation|"
            "Non-State Armed Groups and Trafficking|War Economies"
        ),
        _v(
            "armed conflict|non-state armed groups|war economies|terrorist groups|"
            "slavery as a tactic of war|conflict financing|ceasefire negotiations|post-conflict recovery|"
            "peace operations|the rule of law in conflict"
        ),
        _v(
            "civilians in conflict zones|ethnic and religious minorities|captives|conflict-affected communities"
        ),
        _v("peacekeeping missions|the United Nations|sanctions committees|Member States"),
        _v(
            "sanctions against traffickers|peacekeeping mandates|transitional justice|conflict analysis"
        ),
    ),
    Topic(
        "victim-support",
        "Victim Support",
        _v(
            "Victim Assistance|Recovery and Reintegration|Support for Trafficking Survivors|"
            "Shelters and Services|Survivor Leadership"
        ),
        _v(
            "victim assistance|shelter services|reintegration programmes|mental health support|"
            "legal aid|return and repatriation|survivor leadership|re-trafficking|livelihood support|"
            "trauma-informed care"
        ),
        _v("survivors of trafficking|returning victims|children in care|families of victims"),
        _v("social workers|case managers|survivor networks|shelter staff"),
        _v(
            "long-term case management|vocational training|family tracing|residence permits for victims"
        ),
    ),
    Topic(
        "forced-marriage",
        "Forced Marriage",
        _v("Forced Marriage|Child Marriage in Crisis|Marriage and Trafficking|Bride Trafficking"),
        _v(
            "forced marriage|child marriage|bride price|marriage brokers|early marriage in displacement|"
            "domestic servitude in marriage|dowry|exploitation through marriage"
        ),
        _v("girls under 18|young brides|families in poverty|displaced girls"),
        _v("religious leaders|community leaders|child protection services|women's shelters"),
        _v(
            "keeping girls in school|legal minimum age of marriage|community dialogues|cash transfers to families"
        ),
    ),
    Topic(
        "organ-trafficking",
        "Organ Trafficking",
        _v("Trafficking in Organs|Organ Removal|Transplant Tourism|The Illicit Organ Trade"),
        _v(
            "trafficking for organ removal|transplant tourism|kidney sales|organ brokers|"
            "illicit transplant networks|medical professionals' complicity|the Declaration of Istanbul"
        ),
        _v("organ sellers|vulnerable donors|patients abroad|people in debt"),
        _v("transplant surgeons|health ministries|medical associations|investigators"),
        _v(
            "transplant registries|ethical oversight of transplantation|criminalisation of organ trade|"
            "care for donors"
        ),
    ),
)

REGIONS: dict[str, tuple[str, ...]] = {
    "Africa": _v(
        "Nigeria|Democratic Republic of the Congo|South Sudan|Sudan|Libya|Mali|Niger|Ethiopia|Eritrea|"
        "Somalia|Uganda|Kenya|Central African Republic|Burkina Faso|Cameroon|Ghana|Chad|Mozambique"
    ),
    "Middle East": _v("Syria|Iraq|Yemen|Lebanon|Jordan|Turkey|Israel|Palestine|Saudi Arabia|Qatar"),
    "Asia": _v(
        "Myanmar|Bangladesh|Afghanistan|Pakistan|India|Nepal|Cambodia|Thailand|Philippines|Indonesia|"
        "Viet Nam|Malaysia|Sri Lanka|China"
    ),
    "Europe": _v(
        "Ukraine|Italy|Greece|Germany|United Kingdom|France|Spain|Albania|Serbia|Moldova|Romania|"
        "Bosnia and Herzegovina|Poland"
    ),
    "Americas": _v(
        "Colombia|Mexico|Venezuela|Honduras|Guatemala|El Salvador|Haiti|Brazil|Peru|"
        "United States|Canada|Ecuador"
    ),
    "Oceania": _v("Papua New Guinea|Australia|Fiji|Solomon Islands"),
}
REGION_WEIGHTS = {
    "Africa": 26,
    "Middle East": 18,
    "Asia": 22,
    "Europe": 16,
    "Americas": 14,
    "Oceania": 4,
}
CROSS_CATEGORIES = _v("Policy|Research|Gender|Children|Migration|Data and Evidence")

DOCTYPES = _v(
    "report|study|policy brief|working paper|article|assessment|review|briefing note|evaluation|handbook"
)
METHODS = _v(
    "interviews with survivors|a household survey|court records|case file analysis|a desk review of "
    "published literature|focus group discussions|key informant interviews|administrative data|"
    "field research in three provinces|a mixed-methods design|a systematic review|"
    "monitoring data collected by partners|a longitudinal panel|a legal analysis"
)
TRENDS = _v(
    "increased sharply|remained widespread|declined only slightly|became more hidden|spread to new areas|"
    "was consistently under-reported|shifted towards online channels|grew with the escalation of fighting"
)
PERIODS = _v(
    "over the past decade|during the conflict|after the ceasefire|in the years studied|since the crisis began|"
    "between the two survey rounds|in the first year of displacement"
)
FINDINGS = _v(
    "weak coordination between agencies|limited funding for services|poor data on victims|"
    "low rates of victim identification|corruption among officials|the absence of legal status|"
    "restrictions on humanitarian access|stigma faced by survivors|gaps in national legislation"
)
TITLE_PATTERNS = (
    "{head} in {country}",
    "{head} in {country}: {sub}",
    "{head}: Evidence from {country}",
    "{head} in {region}: {sub}",
    "{sub}: {head} and {head2}",
    "{head} and {head2} in {country}",
    "Understanding {head} in {country}",
    "{head}: A {doctype_t} on {country}",
    "Responding to {head} in {region}",
    "{head} Among {group_t} in {country}",
    "{head} in {country} and {region}: {sub}",
    "{head} in {country}, {y1}–{y2}",
    "{doctype_t} on {head} in {country}: {sub}",
    "{head} and {head2}: {sub} from {country}",
)
SUBTITLES = _v(
    "Lessons Learned|A Call to Action|Gaps and Opportunities|Emerging Trends|Field Evidence|"
    "Policy Options|Risks and Responses|What Works|A Baseline Assessment|Practice and Challenges|"
    "The Case for Reform|Voices of Survivors|Mapping the Response|Ten Ideas for Action|Priorities for Donors"
)
FIRST = _v(
    "Amina|Sarah|John|Maria|Ahmed|Fatima|David|Grace|Luis|Olga|Ravi|Mei|Samuel|Leila|Peter|Ana|Yusuf|Chloe|"
    "Daniel|Nadia|Tomás|Hannah|Kofi|Irina|Omar|Elena|Joseph|Priya|Marco|Aisha|Michael|Zainab|Lucas|Sofia"
)
LAST = _v(
    "Okafor|Smith|Haddad|García|Nguyen|Mensah|Müller|Kovač|Rahman|Silva|Johnson|Ibrahim|Rossi|Petrov|"
    "Khan|Martin|Dubois|Chen|Mwangi|Hassan|Brown|Fernández|Ali|Novak|Wheeler|Kim|Park|Osei|Costa|Lopez"
)
ORGS = _v(
    "UNODC|International Labour Organization|UNICEF|UNHCR|International Organization for Migration|"
    "Human Rights Watch|Amnesty International|Walk Free|United Nations University Centre for Policy Research|"
    "OSCE|Council of Europe GRETA|Freedom Fund|Anti-Slavery International|U.S. Department of State"
)

_SENTENCES = (
    "This {doctype} examines {p1} in {place}, drawing on {method}.",
    "Based on {method}, it documents {p1} and its links to {p2}.",
    "Findings indicate that {p1} {trend} {period}, particularly among {group}.",
    "The authors highlight {finding} and the role of {actor} in addressing {p2}.",
    "Reports from {place} show that {group} face a high risk of {p1}.",
    "{actor_c} have responded with {response}, but {finding} limits their effect.",
    "The {doctype} argues that {p1} cannot be separated from {p2}.",
    "It recommends {response} and closer cooperation between {actor} and {actor2}.",
    "Evidence on {p2} remains scarce, a gap compounded by {finding}.",
    "Case studies from {country2} illustrate how {p1} {trend} {period}.",
    "The analysis situates {p1} within a wider pattern of {p2}.",
    "Interviews with {group} describe {p1}, {p2} and {finding}.",
)
_SENTENCE_SLOTS = tuple(tuple(re.findall(r"{(\w+)}", s)) for s in _SENTENCES)


def _where(region: str) -> str:
    """A region as it reads after "in": "the Middle East", "Africa"."""
    return f"the {region}" if region in ("Middle East", "Americas") else region


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _year(rng: random.Random) -> int | None:
    if rng.random() < 0.06:
        return None
    # More publications in recent years, as in real libraries.
    return 1995 + min(30, int(31 * (rng.random() ** 0.55)))


def _authors(rng: random.Random) -> list[str]:
    roll = rng.random()
    if roll < 0.12:
        return []
    if roll < 0.35:
        return [rng.choice(ORGS)]
    return [
        f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.choice((1, 1, 2, 2, 3, 4)))
    ]


def _abstract(
    rng: random.Random, main: Topic, other: Topic, region: str, countries: list[str]
) -> str:
    target = rng.randint(90, 380)
    words = 0
    sentences: list[str] = []
    region_countries = REGIONS[region]
    while words < target:
        index = rng.randrange(len(_SENTENCES))
        values: dict[str, str] = {}
        for slot in _SENTENCE_SLOTS[index]:
            topic = other if rng.random() < 0.15 else main
            if slot in ("p1", "p2"):
                values[slot] = rng.choice(topic.phrases)
                if slot == "p2" and values[slot] == values.get("p1"):
                    values[slot] = rng.choice(other.phrases if topic is main else main.phrases)
            elif slot == "group":
                values[slot] = rng.choice(topic.groups)
            elif slot in ("actor", "actor2", "actor_c"):
                actor = rng.choice(topic.actors)
                values[slot] = _cap(actor) if slot == "actor_c" else actor
            elif slot == "response":
                values[slot] = rng.choice(topic.responses)
            elif slot == "place":
                values[slot] = rng.choice(countries) if rng.random() < 0.7 else _where(region)
            elif slot == "country2":
                values[slot] = rng.choice(region_countries)
            else:
                values[slot] = rng.choice(_VOCAB[slot])
        sentence = _SENTENCES[index].format(**values)
        sentences.append(sentence)
        words += sentence.count(" ") + 1
        if words > 400:
            words -= sentences.pop().count(" ") + 1
            break
    return " ".join(sentences)


_VOCAB = {
    "doctype": DOCTYPES,
    "method": METHODS,
    "trend": TRENDS,
    "period": PERIODS,
    "finding": FINDINGS,
}


def _title(rng: random.Random, main: Topic, other: Topic, region: str, country: str) -> str:
    pattern = rng.choice(TITLE_PATTERNS)
    return pattern.format(
        head=rng.choice(main.heads),
        head2=rng.choice(other.heads),
        country=country,
        region=_where(region),
        sub=rng.choice(SUBTITLES),
        doctype_t=rng.choice(DOCTYPES).title(),
        group_t=rng.choice(main.groups).title(),
        y1=(y1 := rng.randint(1990, 2020)),
        y2=y1 + rng.randint(1, 5),
    )


def generate(n: int, seed: int = 0) -> Iterator[dict[str, Any]]:
    """`n` catalog rows (dicts), the same for the same seed; titles unique after normalisation."""
    rng = random.Random(seed)
    regions = list(REGION_WEIGHTS)
    weights = [REGION_WEIGHTS[r] for r in regions]
    seen: set[str] = set()
    for number in range(1, n + 1):
        main = rng.choice(TOPICS)
        other = rng.choice(TOPICS)
        worldwide = rng.random() < 0.04
        region = rng.choices(regions, weights)[0]
        countries = rng.sample(REGIONS[region], rng.choice((1, 1, 1, 2, 3)))
        for _attempt in range(6):  # re-draw on a clash; past that, number it as series do
            title = _title(
                rng, main, other, "Worldwide" if worldwide else region, rng.choice(countries)
            )
            key = normalize_title(title)
            if key not in seen:
                break
        else:
            title = f"{title}, Working Paper {number}"
            key = normalize_title(title)
        seen.add(key)
        categories = [main.category]
        if other.category != main.category and rng.random() < 0.3:
            categories.append(other.category)
        if rng.random() < 0.25:
            categories.append(rng.choice(CROSS_CATEGORIES))
        yield {
            "title": title,
            "abstract": _abstract(rng, main, other, region, countries),
            "year": _year(rng),
            "authors": _authors(rng),
            "country": ["Worldwide"] if worldwide else countries,
            "region": ["Worldwide"] if worldwide else [region],
            "category": categories,
            "topic": main.key,
        }


def write_catalog(path: Path | str, n: int, seed: int = 0) -> Path:
    """Write `n` rows as JSONL to `path` (parents created); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for row in generate(n, seed):
            out.write(json.dumps(row, ensure_ascii=False))
            out.write("\n")
    return path


# ---- synthetic-clustered dense vectors -------------------------------------------------------

_WORD = re.compile(r"\w+", re.UNICODE)


class HashedVectors:
    """A fixed random projection of a text's words: texts sharing vocabulary get close vectors.

    Word -> one of `buckets` rows of a seeded Gaussian matrix; a text's vector is the
    L2-normalised sum of its words' rows. Deterministic across processes (crc32, not hash()).
    """

    def __init__(self, dimension: int = 384, buckets: int = 1 << 14, seed: int = 0) -> None:
        self.dimension = dimension
        self.buckets = buckets
        self.matrix = np.random.default_rng(seed).standard_normal(
            (buckets, dimension), dtype=np.float32
        )
        self._cache: dict[str, int] = {}

    def _index(self, word: str) -> int:
        index = self._cache.get(word)
        if index is None:
            index = zlib.crc32(word.encode("utf-8")) % self.buckets
            self._cache[word] = index
        return index

    def vector(self, text: str) -> np.ndarray:
        words = [w for w in _WORD.findall(text.casefold()) if w not in stop_words()]
        if not words:
            return np.zeros(self.dimension, dtype=np.float32)
        vec = self.matrix[[self._index(w) for w in words]].sum(axis=0)
        norm = float(np.linalg.norm(vec))
        return vec / norm if norm else vec

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self.vector(t) for t in texts]).astype(np.float32, copy=False)


class ClusteredEmbedder:
    """Stands in for `vectorstore.embedding.Embedder` with synthetic-clustered vectors.

    Same interface (encode, encode_query, count_tokens, max_tokens, dimension, name);
    word pieces are estimated as 1.3 per word, which is close for English prose.
    """

    kind = "synthetic-clustered"

    def __init__(
        self,
        name: str = "bundled:all-MiniLM-L6-v2",
        dimension: int = 384,
        max_tokens: int = 256,
        seed: int = 0,
    ) -> None:
        self.name = name
        self.dimension = dimension
        self.max_tokens = max_tokens
        self._vectors = HashedVectors(dimension=dimension, seed=seed)

    def encode(
        self, texts: Sequence[str], batch_size: int = 32, progress: bool = False
    ) -> np.ndarray:
        return self._vectors.vectors(list(texts))

    def encode_query(self, text: str) -> np.ndarray:
        return self._vectors.vector(text)

    def count_tokens(self, text: str) -> int:
        return (len(_WORD.findall(text)) * 13 + 9) // 10


def main(argv: list[str] | None = None) -> None:
    import argparse
    import sys
    import time

    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.synth", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--records", type=int, required=True, help="how many records to write")
    parser.add_argument("--seed", type=int, default=0, help="the same seed gives the same catalog")
    parser.add_argument("--out", type=Path, required=True, help="the JSONL file to write")
    args = parser.parse_args(argv)
    if args.records < 1:
        parser.error(f"--records must be at least 1, found {args.records}")
    started = time.perf_counter()
    write_catalog(args.out, args.records, args.seed)
    print(
        f"wrote {args.records} records to {args.out} in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
