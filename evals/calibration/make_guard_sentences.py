"""Writes guard_sentences.jsonl: hand-written, hand-labelled LLM-style sentences over the sample library.

Each row: (sources as title prefixes in [n] order, sentence, label, kind). Labels:
supported     the cited source says it (quotation or paraphrase) and any reference is right
fabricated    it names a source the library lacks or gives a wrong year, or makes a claim with no marker
contradicted  it cites a source that says the opposite, or other numbers or names
unsupported   it cites a source about something else
The split alternates dev/test within each kind, so both splits hold every kind. Run it again after
editing the rows: `python evals/calibration/make_guard_sentences.py`.
"""

import json
from pathlib import Path

GIRL, CRISIS, KOSOVO, CSEC = (
    "A Girl No More",
    "Addressing Human Trafficking",
    "Between Rhetoric",
    "Commercial Sexual",
)
PGI, IDEAS, FIRSTAID, FORCED = (
    "COVID-19 Impact on Trafficking in Persons - A Protection, Gender & Inclusion (PGI) Technical",
    "Fighting Human Trafficking",
    "First Aid Kit",
    "Forced to Report",
)
FRAME, ACP, CRSV, IASC = (
    "Framework Document",
    "Global Phenomenon",
    "Implications of COVID-19",
    "Inter-Agency Standing",
)
IOMCASE, MAF, MEDIA, MODERN = (
    "IOM Case Data",
    "Measurement Action Freedom",
    "Media Access",
    "Modern Slavery and Trafficking",
)
BALI, SG, SIM, SMUG = (
    "Policy Guide",
    "Report of the Secretary General",
    "Simulation-Based",
    "Smuggling in the Time",
)
MS13, DEMAND, GSI, WAY = (
    "The Connection Between",
    "The Demand-Side",
    "The Global Slavery Index",
    "The Way Forward",
)
PEYROUX, TIP, UNODC, UAC = (
    "Trafficking in Human Beings in Conflict",
    "Trafficking in Persons Report",
    "Transnational Organized",
    "Unaccompanied Children",
)
BIGIO, UNSEEN = "Understanding Human Trafficking", "Unseen, Unheard"

S, F, C, U = "supported", "fabricated", "contradicted", "unsupported"

ROWS = [
    # ---- supported: paraphrases and quotations, plain and in Markdown
    (
        [MODERN],
        "Violent conflict greatly increases the vulnerability of civilian populations to human trafficking and slavery [1].",
        S,
        "quotation",
    ),
    (
        [MODERN],
        "Armed conflict makes civilians much more vulnerable to trafficking and slavery [1].",
        S,
        "paraphrase",
    ),
    (
        [MODERN],
        "Refugees and migrants displaced by conflict are especially exposed to this form of exploitation [1].",
        S,
        "paraphrase",
    ),
    (
        [MODERN],
        "- The UN's response to modern slavery has been fragmented and uncoordinated [1].",
        S,
        "paraphrase-list",
    ),
    (
        [GIRL],
        "Ninety percent of early first births happen within the context of child marriage [1].",
        S,
        "quotation",
    ),
    (
        [GIRL],
        "**Most countries with the highest child marriage rates are fragile states** [1].",
        S,
        "paraphrase-bold",
    ),
    (
        [GIRL],
        "Poverty made worse by displacement pushes parents to marry daughters early to secure their future [1].",
        S,
        "paraphrase",
    ),
    (
        [GIRL],
        "> Marriage often ends a girl's education and limits her vocational opportunities [1].",
        S,
        "paraphrase-quote",
    ),
    (
        [SMUG],
        "Movement restrictions imposed against COVID-19 are likely to swell the profits of the smuggling industry in the medium term [1].",
        S,
        "paraphrase",
    ),
    (
        [SMUG],
        "In the short term these measures are reducing migration and the smuggling business in many regions [1].",
        S,
        "paraphrase",
    ),
    (
        [SMUG],
        "Some communities have grown hostile towards migrants, whom they see as contagion risks [1].",
        S,
        "paraphrase",
    ),
    (
        [SMUG],
        "1. As migration policy becomes more hostile, the risks and prices of smuggling look set to rise [1].",
        S,
        "paraphrase-list",
    ),
    (
        [FORCED],
        "Mandatory reporting of sexual violence can obstruct victims' access to health care [1].",
        S,
        "paraphrase",
    ),
    (
        [FORCED],
        "Mandatory reporting obliges health-care personnel to report suspected cases of sexual or gender-based violence to the authorities [1].",
        S,
        "paraphrase",
    ),
    (
        [FORCED],
        "In some contexts survivors must report as a precondition for accessing care [1].",
        S,
        "paraphrase",
    ),
    ([BIGIO], "More than 72 percent of detected victims are women and girls [1].", S, "quotation"),
    ([BIGIO], "Traffickers also target forcibly displaced populations [1].", S, "quotation"),
    (
        [BIGIO],
        "Refugee women and girls face a particular risk of sex trafficking and forced marriage [1].",
        S,
        "paraphrase",
    ),
    (
        [BIGIO],
        "## Trafficking in conflict\nHuman trafficking takes on particularly abhorrent dimensions during and after conflict [1].",
        S,
        "heading-then-claim",
    ),
    (
        [IDEAS],
        "In December 2015 the United Nations Security Council held its first-ever thematic debate on trafficking in persons in situations of conflict [1].",
        S,
        "paraphrase",
    ),
    (
        [IDEAS],
        "The workshop brought together 100 expert participants from missions, UN entities, law enforcement and civil society [1].",
        S,
        "paraphrase",
    ),
    (
        [IDEAS],
        "There are real practical and political limits to Security Council action on this issue [1].",
        S,
        "quotation",
    ),
    (
        [KOSOVO],
        "The paper argues that military intervention against systematic sexual violence would be counterproductive for women's rights [1].",
        S,
        "paraphrase",
    ),
    (
        [KOSOVO],
        "It analyses post-conflict trafficking in Kosovo after the NATO intervention [1].",
        S,
        "paraphrase",
    ),
    (
        [GSI],
        "The Netherlands has the world's strongest response to modern slavery according to the index [1].",
        S,
        "paraphrase",
    ),
    (
        [GSI],
        "| Netherlands | strongest government response to modern slavery [1] |",
        S,
        "paraphrase-table",
    ),
    (
        [GSI],
        "No government has a fully comprehensive response to modern slavery [1].",
        S,
        "paraphrase-negation-kept",
    ),
    (
        [TIP],
        "Traffickers did not shut down during the COVID-19 pandemic [1].",
        S,
        "paraphrase-negation-kept",
    ),
    (
        [TIP],
        "The report looks back at the evolution of the TIP Report over the past 20 years [1].",
        S,
        "paraphrase",
    ),
    (
        [MS13],
        "MS-13 is one of the largest and most violent transnational criminal organizations in the world [1].",
        S,
        "paraphrase",
    ),
    (
        [MS13],
        "More recently MS-13 members have increasingly engaged in human trafficking [1].",
        S,
        "paraphrase",
    ),
    (
        [PEYROUX],
        "Recruitment methods and psychological control techniques do not depend on particular geographic zones [1].",
        S,
        "paraphrase-negation-kept",
    ),
    (
        [UAC],
        "Independent child migration is not necessarily an exploitative or damaging experience for children [1].",
        S,
        "paraphrase-negation-kept",
    ),
    (
        [UAC],
        "Policy responses for unaccompanied migrant children are fragmented and inconsistent [1].",
        S,
        "paraphrase",
    ),
    (
        [MAF],
        "The report independently assesses 183 governments and their responses to modern slavery [1].",
        S,
        "paraphrase",
    ),
    (
        [MAF],
        "Progress is hampered by the lack of indicators on all forms of modern slavery under SDG 8.7 [1].",
        S,
        "paraphrase",
    ),
    (
        [ACP],
        "Many cases go unreported because victims are too afraid to testify [1].",
        S,
        "paraphrase",
    ),
    (
        [ACP],
        "Trafficking happens within countries as well as across international borders [1].",
        S,
        "paraphrase",
    ),
    (
        [IASC],
        "People are at their most vulnerable in times of crisis, so preventing discrimination and abuse is vital [1].",
        S,
        "paraphrase",
    ),
    (
        [IASC],
        "The IASC adopted Operational Guidelines on Human Rights and Natural Disasters in 2006 [1].",
        S,
        "paraphrase",
    ),
    (
        [CRISIS],
        "Human trafficking is typically not considered a direct consequence of crisis [1].",
        S,
        "paraphrase-negation-kept",
    ),
    (
        [CRISIS],
        "Trafficking remains a serious crime that is largely overlooked in crisis situations [1].",
        S,
        "paraphrase",
    ),
    (
        [UNSEEN],
        "Gender-based violence is a major feature of many conflicts, but its occurrence during disasters is less well understood [1].",
        S,
        "paraphrase",
    ),
    (
        [UNSEEN],
        "The study was commissioned by the International Federation of Red Cross and Red Crescent Societies [1].",
        S,
        "paraphrase",
    ),
    (
        [BALI],
        "The Bali Process has raised regional awareness of people smuggling and trafficking since 2002 [1].",
        S,
        "paraphrase",
    ),
    (
        [SIM],
        "The OSCE training exercises use live actors to simulate real trafficking cases [1].",
        S,
        "paraphrase",
    ),
    (
        [DEMAND],
        "The UN Protocol asks signatory states to discourage the demand that fosters exploitation [1].",
        S,
        "paraphrase",
    ),
    (
        [FIRSTAID],
        "Law enforcement first responders take first steps to identify human trafficking and stabilise the situation [1].",
        S,
        "paraphrase",
    ),
    (
        [FRAME],
        "The framework aims to strengthen cooperation between IOM and UNHCR on identifying and protecting victims of trafficking [1].",
        S,
        "paraphrase",
    ),
    (
        [WAY],
        "Transnational cooperation is a fundamental component of any successful strategy against human trafficking [1].",
        S,
        "paraphrase",
    ),
    (
        [MODERN, SMUG],
        "Conflict increases vulnerability to trafficking [1], and pandemic restrictions are likely to swell smugglers' profits [2].",
        S,
        "two-sources",
    ),
    (
        [MODERN],
        "As Modern Slavery and Trafficking in Conflict: The UN's Response (2016) notes, displaced refugees are particularly vulnerable [1].",
        S,
        "right-title-year",
    ),
    (
        [BIGIO],
        "Bigio and Vogelstein (2019) find that traffickers target forcibly displaced populations [1].",
        S,
        "right-author-year",
    ),
    (
        [GIRL],
        "Child marriage is both worsened by barriers to education and an obstacle to schooling for girls (Schlecht, 2016) [1].",
        S,
        "right-author-year",
    ),
    (
        [SMUG],
        "Smuggling in the Time of COVID-19 (2020) expects the profits of smugglers to swell [1].",
        S,
        "right-title-year",
    ),
    (
        [FORCED],
        "The sources do not mention how mandatory reporting works in Europe.",
        S,
        "lack-statement",
    ),
    (
        [MODERN],
        "The library holds no information on trafficking in Antarctica.",
        S,
        "lack-statement",
    ),
    ([GIRL], "### Child marriage", S, "short-heading"),
    ([BIGIO], "Key findings:", S, "label"),
    ([KOSOVO], "| Source | Finding |", S, "table-header"),
    # ---- fabricated: sources the library lacks, wrong years, claims without a marker
    (
        [MODERN],
        "According to The Secret Report (1999), traffickers recruit children in conflict zones [1].",
        F,
        "fake-title",
    ),
    (
        [MODERN],
        "The Global Trafficking Review (2021) confirms that conflict increases trafficking [1].",
        F,
        "fake-title",
    ),
    (
        [SMUG],
        "As the Migrant Smuggling Atlas (2020) shows, restrictions swell smugglers' profits [1].",
        F,
        "fake-title",
    ),
    ([GIRL], "Child marriage rises in conflict (Smith & Jones, 2018) [1].", F, "fake-author"),
    (
        [FORCED],
        "Mandatory reporting harms survivors, as Johnson et al. (2017) argue [1].",
        F,
        "fake-author",
    ),
    (
        [BIGIO],
        "The UNODC Global Report on Trafficking in Persons (2018) finds most detected victims are women [1].",
        F,
        "fake-title",
    ),
    (
        [IDEAS],
        '"Ending Slavery in War" (2016) lists ten ideas for the Security Council [1].',
        F,
        "fake-title",
    ),
    (
        [MEDIA],
        "As Media Access to IOM Beneficiaries Who Have Been Traficked (2004) shows, media access needs care [1].",
        F,
        "wrong-year",
    ),
    (
        [MODERN],
        "Modern Slavery and Trafficking in Conflict: The UN's Response (2012) calls for UN leadership [1].",
        F,
        "wrong-year",
    ),
    (
        [BIGIO],
        "Bigio and Vogelstein (2015) describe trafficking as abhorrent in conflict [1].",
        F,
        "wrong-year",
    ),
    (
        [GIRL],
        "Girls in displacement are married early out of poverty (Schlecht, 2010) [1].",
        F,
        "wrong-year",
    ),
    (
        [SMUG],
        "Smuggling in the Time of COVID-19 (2019) predicts higher smuggling prices [1].",
        F,
        "wrong-year",
    ),
    (
        [GSI],
        "The Global Slavery Index 2018. Europe and Central Asia Report (2016) ranks the Netherlands first [1].",
        F,
        "wrong-year",
    ),
    (
        [MODERN],
        "# The Secret Report (1999) proves that conflict drives trafficking.",
        F,
        "fake-title-heading",
    ),
    (
        [MODERN],
        "**The Hidden Files (2003) show that traffickers recruit children online.**",
        F,
        "fake-title-bold",
    ),
    (
        [MODERN],
        "There is no evidence against it: The Secret Report (1999) shows that children are recruited.",
        F,
        "lack-abuse",
    ),
    ([MODERN], "There is no evidence that conflict reduces trafficking.", F, "lack-abuse"),
    ([SMUG], "The sources do not mention it, but smuggling doubled in 2021.", F, "lack-abuse"),
    ([SMUG], "Smugglers earned three billion dollars in 2020.", F, "uncited-claim"),
    (
        [BIGIO],
        "- Traffickers increasingly recruit victims through social media.",
        F,
        "uncited-list",
    ),
    (
        [GIRL],
        "> Child marriage is the leading cause of school dropout worldwide.",
        F,
        "uncited-quote",
    ),
    ([FORCED], "| 2020 | Mandatory reporting is banned in most countries |", F, "uncited-table"),
    ([MS13], "**MS-13 controls most trafficking routes in Central America.**", F, "uncited-bold"),
    ([KOSOVO], "```\nNATO troops ran the trafficking networks in Kosovo.\n```", F, "uncited-code"),
    (
        [TIP],
        "## Traffickers shut down their operations during the pandemic and victims were freed.",
        F,
        "uncited-heading",
    ),
    (
        [MODERN],
        "Researchers at Oxford University (2017) link conflict to trafficking [1].",
        F,
        "fake-title",
    ),
    # ---- contradicted: negation, opposite, number, name
    (
        [MODERN],
        "Armed conflict does not increase the risk of trafficking for civilians [1].",
        C,
        "negation",
    ),
    (
        [MODERN],
        "Refugees displaced by conflict are not particularly vulnerable to exploitation [1].",
        C,
        "negation",
    ),
    (
        [FORCED],
        "Mandatory reporting of sexual violence never obstructs access to health care [1].",
        C,
        "negation",
    ),
    ([BIGIO], "Traffickers do not target forcibly displaced populations [1].", C, "negation"),
    (
        [CRISIS],
        "Human trafficking is widely considered a direct consequence of crisis [1].",
        C,
        "negation-dropped",
    ),
    (
        [KOSOVO],
        "The paper argues that military intervention against sexual violence would not be counterproductive for women's rights [1].",
        C,
        "negation",
    ),
    ([TIP], "Traffickers shut down during the COVID-19 pandemic [1].", C, "negation-dropped"),
    (
        [UAC],
        "Independent child migration is necessarily an exploitative and damaging experience for children [1].",
        C,
        "negation-dropped",
    ),
    (
        [MODERN],
        "The UN's response to modern slavery has been coordinated and coherent [1].",
        C,
        "opposite",
    ),
    (
        [SMUG],
        "Movement restrictions are likely to reduce the profits of the smuggling industry in the medium term [1].",
        C,
        "opposite",
    ),
    (
        [MODERN],
        "Violent conflict greatly decreases the vulnerability of civilian populations to trafficking [1].",
        C,
        "opposite",
    ),
    (
        [SMUG],
        "As migration policy becomes more hostile, the prices of smuggling look set to fall [1].",
        C,
        "opposite",
    ),
    (
        [GIRL],
        "Forty percent of early first births happen within the context of child marriage [1].",
        C,
        "number",
    ),
    ([BIGIO], "More than 45 percent of detected victims are women and girls [1].", C, "number"),
    (
        [IDEAS],
        "The workshop brought together 250 expert participants from missions and UN entities [1].",
        C,
        "number",
    ),
    (
        [MAF],
        "The report independently assesses 95 governments and their responses to modern slavery [1].",
        C,
        "number",
    ),
    (
        [IDEAS],
        "In December 2012 the Security Council held its first thematic debate on trafficking in conflict [1].",
        C,
        "number",
    ),
    (
        [GIRL],
        "Five of the top 10 countries with the highest rates of child marriage are fragile states [1].",
        C,
        "number",
    ),
    (
        [IASC],
        "The IASC adopted Operational Guidelines on Human Rights and Natural Disasters in 2011 [1].",
        C,
        "number",
    ),
    (
        [WAY],
        "The report draws on interviews with 40 representatives of governmental institutions [1].",
        C,
        "number",
    ),
    (
        [KOSOVO],
        "It analyses post-conflict trafficking in Bosnia after the NATO intervention [1].",
        C,
        "name",
    ),
    (
        [GSI],
        "Germany has the world's strongest response to modern slavery according to the index [1].",
        C,
        "name",
    ),
    (
        [IDEAS],
        "In December 2015 the African Union held its first-ever thematic debate on trafficking in conflict [1].",
        C,
        "name",
    ),
    (
        [SIM],
        "The Interpol training exercises use live actors to simulate real trafficking cases [1].",
        C,
        "name",
    ),
    (
        [FRAME],
        "The framework aims to strengthen cooperation between UNICEF and UNHCR on protecting victims of trafficking [1].",
        C,
        "name",
    ),
    (
        [BALI],
        "The Colombo Process has raised regional awareness of people smuggling and trafficking since 2002 [1].",
        C,
        "name",
    ),
    # ---- unsupported: cites a source about something else
    (
        [MEDIA],
        "Penguins in Antarctica are trafficked for their eggs every winter [1].",
        U,
        "other-topic",
    ),
    (
        [FIRSTAID],
        "Child marriage rates fall sharply in conflict because families delay weddings [1].",
        U,
        "other-topic",
    ),
    (
        [SIM],
        "Mandatory reporting obstructs survivors' access to health care [1].",
        U,
        "other-topic",
    ),
    (
        [PGI],
        "MS-13 is one of the most violent criminal organizations in the world [1].",
        U,
        "other-topic",
    ),
]


def main() -> None:
    from evals.runner import catalog_from_paths

    root = Path(__file__).resolve().parents[2]
    catalog = catalog_from_paths([root / "data" / "library"])
    titles = [r.title for r in catalog.records]
    counts: dict[str, int] = {}
    lines = []
    for i, (sources, text, label, kind) in enumerate(ROWS, start=1):
        full = []
        for prefix in sources:
            found = [t for t in titles if t.startswith(prefix)]
            assert len(found) == 1, (prefix, found)
            full.append(found[0])
        group = kind.split("-")[0] if label != S else label
        n = counts[(label, group)] = counts.get((label, group), 0) + 1
        split = "dev" if n % 2 else "test"
        lines.append(
            json.dumps(
                {
                    "id": f"g{i:03d}",
                    "split": split,
                    "text": text,
                    "sources": full,
                    "label": label,
                    "kind": kind,
                },
                ensure_ascii=False,
            )
        )
    (Path(__file__).parent / "guard_sentences.jsonl").write_text(
        "\n".join(lines) + "\n", encoding="utf-8"
    )
    print(len(lines), "sentences")


if __name__ == "__main__":
    main()
