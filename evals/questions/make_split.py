"""Draft of the new question set (issue 10); written by hand, gold read from the abstracts."""

import json
import random
import sys

T = dict(
    GIRL="A Girl No More: The Changing Norms of Child Marriage in Conflict",
    CRISIS="Addressing Human Trafficking and Exploitation in Times of Crisis- Evidence and Recommendations for Further Action to Protect Vulnerable and Mobile Populations. December 2015",
    KOSOVO="Between Rhetoric and Reality: Exploring the Impact of Military Humanitarian Intervention Upon Sexual Violence – Post-Conflict Sex Trafficking in Kosovo",
    NUTSHELL="Commercial Sexual Exploitation and Trafficking of Children “In a Nutshell”",
    FACT="COVID-19 Impact on Trafficking in Persons - A Protection, Gender & Inclusion (PGI) Factsheet",
    TGN="COVID-19 Impact on Trafficking in Persons - A Protection, Gender & Inclusion (PGI) Technical Guidance Note",
    UNSC="Fighting Human Trafficking in Conflict: 10 Ideas for Action by the United Nations Security Council",
    FIRSTAID="First Aid Kit for Use by Law Enforcement First Responders in Addressing Human Trafficking",
    FORCED="Forced to Report",
    SOP="Framework Document. Developing Standard Operating Procedures to Facilitate the Identificaction and Protection of Victims of Trafficking",
    ACP="Global Phenomenon, Invisible Cases: Human Trafficking in Sub-Saharan Africa, the Caribbean and the Pacific",
    MAINSTREAM="Guidance Note on How to Mainstream Protection Across IOM Crisis Response (or the Migration Crisis Operational Framework Sectors of Assistance)",
    CRSV="Implications of COVID-19 for the Prevention of and Response to Conflict-Related Sexual Violence",
    IASC="Inter-Agency Standing Committee (IASC) Operational Guidelines on the Protection of Persons in Situations of Natural Disasters",
    COX="IOM Case Data Analysis Human Trafficking",
    MAF="Measurement Action Freedom. An Independent Assessment of Government Progress Towards Achieving UN Sustainable Development Goal 8.7",
    MEDIA="Media Access to IOM Beneficiaries Who Have Been Traficked",
    UNRESP="Modern Slavery and Trafficking in Conflict: The UN's Response",
    BALI="Policy Guide on Protecting Victims of Trafficking",
    PROT="Protection: What is it Anyway?",
    CAAC="Report of the Secretary General on Children and Armed Conflict",
    RES="Resolución Aprobada por el Consejo de Derechos Humanos el 30 de junio de 2016",
    SIM="Simulation-Based Training Exercises to Combat Human Trafficking. A Practical Handbook",
    SMUG="Smuggling in the Time of COVID-19",
    MS13="The Connection Between the Mara Salvatrucha (MS-13) and Human Trafficking",
    DEMAND="The Demand-Side in Anti-Trafficking: Current Measures and Ways Forward",
    GSI="The Global Slavery Index 2018. Europe and Central Asia Report",
    TRM="The Way Forward in Establishing Effective Transnational Referral Mechanisms. A Report Based on Experiences in Cases of Human Trafficking in South-Eastern Europe",
    THB="Trafficking in Human Beings in Conflict and Post-Conflict Situation",
    TIP="Trafficking in Persons Report 20th Edition",
    TRAIN="Training Manual to Fight Trafficking in Children for Labour, Sexual and Other Forms of Exploitation Facilitator's Guide",
    TOC="Transnational Organized Crime in Central America and The Caribbean. A Threat Assessment",
    UAC="Unaccompanied Children on the Move",
    UHTC="Understanding Human Trafficking In Conflict",
    UNSEEN="Unseen, Unheard: Gender-Based Violence in Disasters Global Study",
)
# (group, kind, question, gold keys or None for unanswerable, follow-up parent index within group or None)
Q = []


def a(kind, q, *gold):
    Q.append([(kind, q, list(gold))])


def u(kind, q):
    Q.append([(kind, q, None)])


def pair(kind, q1, g1, q2, g2):
    Q.append([(kind, q1, g1), (kind + " follow-up", q2, g2)])


# paraphrase / varied wording
a("paraphrase", "Why do families in war zones marry their girls off so young?", "GIRL")
a("paraphrase", "Is child marriage more common in fragile states?", "GIRL")
a(
    "paraphrase",
    "Why isn't counter-trafficking treated as life-saving work in emergencies?",
    "CRISIS",
)
a(
    "paraphrase",
    "Is human trafficking a consequence of humanitarian crises, according to IOM?",
    "CRISIS",
)
a("paraphrase", "Did military intervention in Kosovo help or harm women?", "KOSOVO")
a(
    "paraphrase",
    "What is the feminist critique of humanitarian intervention against sexual violence?",
    "KOSOVO",
)
a(
    "paraphrase",
    "Which ILO resource explains the worst forms of child labour to Pacific communities?",
    "NUTSHELL",
)
a(
    "paraphrase",
    "What practical actions can National Societies take to reduce trafficking risk during the pandemic?",
    "FACT",
)
a(
    "paraphrase",
    "What advocacy messages does the Red Cross suggest for governments and donors on trafficking during Covid-19?",
    "TGN",
)
a("paraphrase", "Who is most affected by trafficking during the Covid-19 pandemic?", "TGN")
a(
    "paraphrase",
    "What are the political limits of what the Security Council can do on trafficking in conflict?",
    "UNSC",
)
a(
    "paraphrase",
    "How are law enforcement officers like first-aid givers when they meet trafficking cases?",
    "FIRSTAID",
)
a(
    "paraphrase",
    "What happens to survivors of sexual violence when health workers are obliged to report them to the police?",
    "FORCED",
)
a(
    "paraphrase",
    "How do IOM and UNHCR share out the job of protecting trafficked persons at field level?",
    "SOP",
)
a("paraphrase", "Why is there so little data on trafficking in ACP countries?", "ACP")
a("paraphrase", "Are people trafficked out of refugee camps and shelters after disasters?", "ACP")
a(
    "paraphrase",
    "Who has to approve a deviation from IOM's protection mainstreaming guidance?",
    "MAINSTREAM",
)
a(
    "paraphrase",
    "How has the coronavirus affected UN work against conflict-related sexual violence?",
    "CRSV",
)
a("paraphrase", "What is a rights-based approach to disaster relief?", "IASC")
a(
    "paraphrase",
    "What trends did IOM find among the trafficking victims it assisted in Cox's Bazar?",
    "COX",
)
a("paraphrase", "How many governments were assessed on their response to modern slavery?", "MAF")
a("paraphrase", "Why are countries unable to report progress on SDG 8.7 consistently?", "MAF")
a(
    "paraphrase",
    "What rules apply when the media wants access to trafficked IOM beneficiaries?",
    "MEDIA",
)
a("paraphrase", "Has the UN's response to slavery in conflict been coordinated?", "UNRESP")
a(
    "paraphrase",
    "What international standards exist for identifying and protecting trafficking victims in the Bali Process countries?",
    "BALI",
)
a(
    "paraphrase",
    "What should people in need of protection be able to expect from humanitarians?",
    "PROT",
)
a(
    "paraphrase",
    "Which violations against children in armed conflict does the Secretary-General report on?",
    "CAAC",
)
a(
    "paraphrase",
    "How does a week-long simulation with live actors train prosecutors and police on trafficking?",
    "SIM",
)
a(
    "paraphrase",
    "Why might the smuggling business become more profitable after the pandemic restrictions?",
    "SMUG",
)
a("paraphrase", "What crimes is the Mara Salvatrucha gang known for?", "MS13")
a(
    "paraphrase",
    "What did the anti-trafficking protocol end up saying about discouraging demand?",
    "DEMAND",
)
a(
    "paraphrase",
    "Which country has the strongest government response to modern slavery in Europe?",
    "GSI",
)
a(
    "paraphrase",
    "What tools of transnational cooperation are used to refer trafficking victims between countries?",
    "TRM",
)
a(
    "paraphrase",
    "Are recruitment methods for trafficking different depending on the region of a conflict?",
    "THB",
)
a("paraphrase", "How has the TIP Report changed over its 20 years?", "TIP")
a("paraphrase", "How is the child trafficking facilitator's course structured?", "TRAIN")
a("paraphrase", "What does UNODC know about illicit flows through Central America?", "TOC")
a("paraphrase", "Is independent child migration always harmful?", "UAC")
a("paraphrase", "What share of detected trafficking victims are women and girls?", "UHTC")
a("paraphrase", "What forms of trafficking are especially common in armed conflict?", "UHTC")
a(
    "paraphrase",
    "How should National Societies address gender-based violence in disasters?",
    "UNSEEN",
)
a("paraphrase", "What did Pope Francis and other leaders say about ending slavery?", "UNRESP")
a("paraphrase", "What did Theresa May call the great human rights issue of our time?", "UNRESP")

# short / acronyms / title words
a("short", "SDG 8.7", "MAF")
a("short", "MS-13 trafficking", "MS13")
a("short", "PGI factsheet covid", "FACT")
a("short", "CRSV and COVID-19", "CRSV")
a("short", "IASC guidelines natural disasters", "IASC")
a("short", "TIP report 20th edition", "TIP")
a("short", "Bali Process victim protection", "BALI")
a("short", "MCOF sectors of assistance", "MAINSTREAM")
a("short", "DemandAT", "DEMAND")
a("short", "OSCE simulation handbook", "SIM")
a("short", "Forced to Report", "FORCED")
a("short", "GBV in disasters", "UNSEEN")

# vague practitioner questions
a("vague", "how do armed groups recruit kids", "CAAC")
a("vague", "can a journalist interview one of our trafficked clients?", "MEDIA")
a("vague", "we're a red cross society - covid and trafficking, where do we start?", "FACT")
a("vague", "does a rape survivor have to report to the police before getting treated?", "FORCED")
a("vague", "girls getting married young in war", "GIRL")
a("vague", "is the UN doing enough about slavery in wars", "UNRESP")
a("vague", "police training with actors playing victims", "SIM")
a("vague", "why does nobody report trafficking cases", "ACP")
a("vague", "protection - what does it actually mean for aid workers?", "PROT")
a("vague", "kids crossing borders on their own", "UAC")
a("vague", "gangs and sex trafficking", "MS13")
a("vague", "what about the buyers - does reducing demand work?", "DEMAND")
a("vague", "covid and rape in war", "CRSV")
a("vague", "are women less safe after a disaster?", "UNSEEN")
a("vague", "how do we know if countries are making progress on modern slavery", "MAF")
a("vague", "getting victims home across borders safely - who works with whom?", "TRM")
a("vague", "drugs and people trafficking in central america", "TOC")
a("vague", "people trafficked for their organs in war", "THB", "UHTC")
a("vague", "keeping people's rights safe after hurricanes and earthquakes", "IASC")
a("vague", "rohingya trafficking", "COX")
a("vague", "who did best in europe on slavery", "GSI")
a("vague", "migrants stuck because of covid border closures", "SMUG")

# misspelt
a("misspelt", "how does armed conflit afect child mariage", "GIRL")
a("misspelt", "traficking of childern for sexual explotation in the pacfic", "NUTSHELL")
a("misspelt", "what shuold police do first with a trafiking victim", "FIRSTAID")
a("misspelt", "mandatroy reportng of sexual violnce in health care", "FORCED")
a("misspelt", "smugling of migrants durng covid", "SMUG")
a("misspelt", "securty council action on human trafficing in conflict", "UNSC")
a("misspelt", "ms13 and human traficking", "MS13")
a("misspelt", "demand side anti-trafficing mesures", "DEMAND")
a("misspelt", "unacompanied childen migrating alone", "UAC")
a("misspelt", "gender based violance in disasterss", "UNSEEN")
a("misspelt", "IOM UNHCR standart operating procedures for victms", "SOP")
a("misspelt", "simmulation training excercises against trafficking", "SIM")
a("misspelt", "global slavry index europe and central asia", "GSI")
a("misspelt", "sustainable developement goal 8.7 progres", "MAF")
a("misspelt", "rohinga traficking coxs bazar", "COX")
a("misspelt", "protection mainstreeming in IOM crisis responce", "MAINSTREAM")

# years of events (search terms, not publication filters)
a(
    "event year",
    "What did the Haiti earthquake of 2010 teach about protecting people in disasters?",
    "IASC",
)
a("event year", "what did the 2004 tsunami teach about protecting people's rights?", "IASC")
a(
    "event year",
    "What happened at the Security Council's December 2015 debate on trafficking in conflict?",
    "UNSC",
)
a("event year", "How has the TIP report evolved since the TVPA was passed in 2000?", "TIP")
a("event year", "What did the OSCE project launched in 2016 on migration routes produce?", "SIM")
a("event year", "Which violations against children were committed in 2019?", "CAAC")
a("event year", "How did the 2005 Council of Europe Convention deal with demand?", "DEMAND")
a("event year", "What has changed in Europe since the 2016 Global Slavery Index?", "GSI")
a(
    "event year",
    "What did the Human Rights Council adopt in June 2016 on trafficking in conflict?",
    "RES",
)
a("event year", "What did Theresa May say in July 2016 about modern slavery?", "UNRESP")
a("event year", "How are governments tracking the 2030 target on modern slavery?", "MAF")
a("event year", "What did the 2013 Bali Process ministerial conference recommend?", "BALI")

# places in Worldwide-tagged records / places that should rank, not exclude
a(
    "place",
    "How do countries in South-Eastern Europe refer trafficking victims to each other?",
    "TRM",
)
a("place", "What is the response to modern slavery in Europe?", "GSI")
a("place", "How does the Netherlands respond to modern slavery?", "GSI")
a("place", "Why are trafficking cases invisible in sub-Saharan Africa?", "ACP")
a("place", "human trafficking in the Caribbean", "ACP", "TOC")
a("place", "Rohingya trafficking in Bangladesh", "COX")
a("place", "cross-border cooperation on trafficking cases in Albania and Bosnia", "TRM")
a("place", "child sexual exploitation in Pacific island communities", "NUTSHELL")
a("place", "protecting trafficking victims in Asia and the Pacific", "BALI")
a("place", "organized crime threats in Central America", "TOC")
a(
    "place",
    "What did the United Kingdom and Liechtenstein organise on trafficking in conflict?",
    "UNSC",
)
a("place", "Did NATO make trafficking worse in the Balkans?", "KOSOVO")

# names that look like places
a(
    "name",
    "Chad asked whether we have the Security Council ideas paper on trafficking in conflict",
    "UNSC",
)
a(
    "name",
    "My colleague Victoria needs the first aid kit for police who meet trafficking victims",
    "FIRSTAID",
)
a(
    "name",
    "Georgia from our team asks how to handle journalists who want to film trafficked beneficiaries",
    "MEDIA",
)
a("name", "Jordan wants a facilitator's guide for training on child trafficking", "TRAIN")
a("name", "Is there anything by Jennifer Schlecht on child marriage?", "GIRL")
a("name", "Samantha Godec's paper on Kosovo", "KOSOVO")

# listings in other words
a("listing", "Got anything on smuggling?", "SMUG", "BALI")
a("listing", "Which of your documents are about COVID?", "FACT", "TGN", "CRSV", "SMUG")
a("listing", "What have you got from 2019?", "COX", "MAF", "SIM", "UHTC")
a("listing", "Anything published before 2010?", "FIRSTAID", "TRAIN")
a("listing", "Which titles deal with natural disasters?", "IASC", "UNSEEN")
a("listing", "List the reports on Kosovo", "KOSOVO")
a("listing", "what's there on gangs?", "MS13")
a("listing", "Which papers cover child marriage?", "GIRL")
a("listing", "Show me all the documents on referral mechanisms", "TRM", "SOP")
a("listing", "What reports were published in 2020?", "FACT", "TGN", "FORCED", "SOP", "CRSV", "SMUG")
a("listing", "documents from 2012 please", "MEDIA", "TRM", "TOC")
a("listing", "¿Qué documentos hay sobre la COVID-19?", "FACT", "TGN", "CRSV", "SMUG")
a("listing", "¿Qué tienes sobre matrimonio infantil?", "GIRL")

# Spanish
a("spanish", "¿Cómo afecta el conflicto armado al matrimonio infantil?", "GIRL")
a(
    "spanish",
    "¿Qué puede hacer el Consejo de Seguridad de la ONU contra la trata en los conflictos?",
    "UNSC",
)
a(
    "spanish",
    "¿Qué deben hacer los policías al encontrar a una posible víctima de trata?",
    "FIRSTAID",
)
a(
    "spanish",
    "¿La notificación obligatoria de la violencia sexual aleja a las sobrevivientes de la atención médica?",
    "FORCED",
)
a("spanish", "¿Qué relación hay entre la MS-13 y la trata de personas?", "MS13")
a(
    "spanish",
    "¿Qué resolución aprobó el Consejo de Derechos Humanos sobre la trata en situaciones de conflicto?",
    "RES",
)
a("spanish", "¿Cómo se protegen los derechos humanos después de un terremoto o un huracán?", "IASC")
a("spanish", "¿Qué significa la protección humanitaria en la práctica?", "PROT")
a("spanish", "¿Cómo cambió el tráfico ilícito de migrantes con la COVID-19?", "SMUG")
a("spanish", "¿Qué país de Europa tiene la mejor respuesta a la esclavitud moderna?", "GSI")
a(
    "spanish",
    "¿Cómo se usan ejercicios de simulación para formar a fiscales y policías contra la trata?",
    "SIM",
)
a("spanish", "¿Qué se hace para reducir la demanda en la lucha contra la trata?", "DEMAND")
a("spanish", "¿Qué riesgos corren los niños no acompañados que migran?", "UAC")
a("spanish", "¿Qué violaciones sufren los niños en los conflictos armados?", "CAAC")
a("spanish", "¿Cómo cooperan la OIM y el ACNUR para identificar a las víctimas de trata?", "SOP")
a("spanish", "¿Qué es la violencia de género en los desastres?", "UNSEEN")
a("spanish", "¿Cómo se mide el progreso hacia el ODS 8.7?", "MAF")
a("spanish", "trata de niños con fines de explotación sexual en el Pacífico", "NUTSHELL")

# other languages: the assistant should say which languages it reads, citing nothing
for q in [
    "Comment le conflit armé pousse-t-il au mariage des enfants ?",
    "Que peut faire le Conseil de sécurité contre la traite des êtres humains dans les conflits ?",
    "Quelles sont les premières mesures qu'un policier doit prendre face à une victime de traite ?",
    "La pandémie de COVID-19 a-t-elle augmenté le risque de traite des personnes ?",
    "Quel est le lien entre le gang MS-13 et la traite des êtres humains ?",
    "Comment protéger les enfants non accompagnés qui migrent ?",
    "Wie erhöht ein bewaffneter Konflikt das Risiko von Menschenhandel?",
    "Como a pandemia de COVID-19 afetou o tráfico de pessoas?",
    "Che cosa può fare il Consiglio di sicurezza contro la tratta di esseri umani?",
    "Welche Rolle spielt die Nachfrage im Kampf gegen Menschenhandel?",
]:
    u("other language", q)

# on-topic but unanswerable
for q in [
    "Is forced begging a crime in Italy?",
    "What share of trafficking victims in Libya are men?",
    "What is the maximum prison sentence for human trafficking in France?",
    "How do I apply for a T visa in the United States?",
    "How many trafficking victims were identified in Nigeria in 2021?",
    "What is the timeline for a reasonable grounds decision under the UK National Referral Mechanism?",
    "How many people live in modern slavery in India according to the Global Slavery Index?",
    "What tier does the TIP Report give Thailand?",
    "What did Kevin Hyland do as UK Independent Anti-Slavery Commissioner?",
    "How much does a kidney sell for on the black market in Egypt?",
    "What is the penalty for buying sex in Sweden?",
    "How do I get a residence permit for a trafficking victim in Germany?",
    "How does the kafala system in Saudi Arabia tie domestic workers to their employers?",
    "How many child soldiers are there in South Sudan today?",
    "Which NGOs run shelters for trafficking survivors in New Mexico?",
    "What does the UK Modern Slavery Act 2015 require companies to publish?",
    "How many migrants died crossing the Mediterranean in 2016?",
    "What is the national human trafficking hotline number in Canada?",
    "What did the ECOWAS plan of action against trafficking commit member states to?",
    "How can blockchain make supply chains free of forced labour?",
    "How many fishermen are trafficked onto Thai fishing boats each year?",
    "How did Brexit affect support for trafficking victims in the UK?",
    "What does Nepal's Foreign Employment Act say about recruitment agencies?",
    "How much profit does forced labour generate each year according to the ILO?",
    "At what age can former child soldiers be prosecuted in Colombia?",
    "What did Nadia Murad tell the Security Council about Yazidi women?",
    "How many trafficking prosecutions were there in the Philippines in 2018?",
    "What are the visa rules for au pairs in Ireland?",
    "How many T visas can be issued each year under the Trafficking Victims Protection Act?",
    "How do traffickers launder their profits through cryptocurrency?",
    "What are the sentencing guidelines for pimping in Spain?",
    "How many Rohingya women were trafficked to Malaysia in 2015?",
    "What is the prevalence of forced marriage in Niger?",
    "What compensation can trafficking victims claim in Dutch courts?",
    "Who has to report under Australia's Modern Slavery Act?",
    "Who is the current UN Special Rapporteur on trafficking in persons?",
    "How many trafficking convictions were there in the EU in 2019?",
    "Is EMDR therapy effective for trafficking survivors with PTSD?",
    "What percentage of Nigerian women arriving in Italy by sea are trafficked?",
    "What did the Polaris Project hotline record in 2020?",
    "How do I report a suspected trafficking case in Kenya?",
    "How were migrant workers exploited building the stadiums for the 2022 World Cup in Qatar?",
    "What is the legal minimum age of marriage in Bangladesh?",
    "How did the Ebola outbreak in West Africa affect trafficking?",
    "Who is the Director General of IOM?",
    "How many Ukrainian refugees have been trafficked since 2022?",
    "What sentence did MS-13 leaders receive in the 2017 Boston trial?",
    "How does Brazil's 'dirty list' of employers using slave labour work?",
    "How much did the US government spend on anti-trafficking grants in 2020?",
    "What was Interpol's Operation Liberterra?",
    "How does Switzerland regulate sex work?",
    "What is the trafficking situation in the Niger Delta?",
    "What did the 2023 TIP Report say about Mexico?",
    "What is the Global Slavery Index 2023 estimate for North Korea?",
    "labour exploitation in the Gulf states",
    "New Mexico shelters for trafficking victims",
    "Can a trafficking victim get asylum in Japan?",
    "What did Chad's government do in 2010 to stop children being recruited into its army?",
]:
    u("on-topic unanswerable", q)
# Spanish on-topic unanswerable
for q in [
    "¿Cuál es la pena por trata de personas en México?",
    "¿Cuántas víctimas de trata hubo en Argentina en 2020?",
    "¿Cómo solicito una visa T en Estados Unidos?",
    "¿Es delito la mendicidad forzada en Italia?",
    "¿Qué porcentaje de las víctimas de trata en Colombia son hombres?",
]:
    u("on-topic unanswerable (es)", q)
# off-topic
for q in [
    "What's the weather like in Geneva tomorrow?",
    "How do I make a good risotto?",
    "Who won the Champions League in 2019?",
    "How do I sort a list in Python?",
    "¿Cómo preparo una paella valenciana?",
    "Quelle est la capitale de l'Australie ?",
]:
    u("off-topic", q)

# follow-up pairs
pair(
    "follow",
    "How does COVID-19 raise the risk of trafficking?",
    ["FACT", "TGN"],
    "and what about migrant smuggling?",
    ["SMUG"],
)
pair(
    "follow",
    "How does armed conflict make people vulnerable to trafficking?",
    ["UNRESP", "UHTC"],
    "and what about children?",
    ["CAAC"],
)
pair(
    "follow",
    "What does the Global Slavery Index say about Europe?",
    ["GSI"],
    "which country came top?",
    ["GSI"],
)
pair(
    "follow",
    "What is the Bali Process policy guide on protecting victims about?",
    ["BALI"],
    "does it give examples of good practice?",
    ["BALI"],
)
pair(
    "follow",
    "What is the IOM-UNHCR framework document on standard operating procedures for?",
    ["SOP"],
    "and what did it replace?",
    ["SOP"],
)
pair(
    "follow",
    "What does Forced to Report say about mandatory reporting?",
    ["FORCED"],
    "in how many countries was the research done?",
    ["FORCED"],
)
pair(
    "follow",
    "Tell me about gender-based violence in disasters",
    ["UNSEEN"],
    "and sexual violence in conflict during the COVID pandemic?",
    ["CRSV"],
)
pair(
    "follow",
    "What does the MS-13 paper cover?",
    ["MS13"],
    "and organized crime in Central America more broadly?",
    ["TOC"],
)
pair(
    "follow",
    "What do you have on child marriage?",
    ["GIRL"],
    "and on child soldiers?",
    ["CAAC", "THB"],
)
pair(
    "follow",
    "How should IOM staff handle journalists who want to interview trafficked people?",
    ["MEDIA"],
    "what about mainstreaming protection in crisis response?",
    ["MAINSTREAM"],
)
pair(
    "follow",
    "What does the TIP Report 20th edition look back on?",
    ["TIP"],
    "which law started it?",
    ["TIP"],
)
pair(
    "follow",
    "What is Measurement Action Freedom about?",
    ["MAF"],
    "how many governments did it assess?",
    ["MAF"],
)
pair(
    "follow",
    "¿Qué propone el informe sobre el Consejo de Seguridad y la trata en conflictos?",
    ["UNSC"],
    "¿y sobre los niños en los conflictos armados?",
    ["CAAC"],
)
pair(
    "follow",
    "What is the DemandAT project about?",
    ["DEMAND"],
    "and what is the fine for buying sex in France?",
    None,
)
pair(
    "follow",
    "What does the first aid kit for police cover?",
    ["FIRSTAID"],
    "and what does it say about sentencing traffickers in Germany?",
    None,
)
pair(
    "follow",
    "What do the IASC guidelines on natural disasters say?",
    ["IASC"],
    "and what about floods in Pakistan in 2022?",
    None,
)

random.seed(10)
random.shuffle(Q)
dev, test = [], []
for i, group in enumerate(Q):
    (dev if i % 2 == 0 else test).append(group)


def emit(groups, prefix):
    out, n = [], 0
    for group in groups:
        parent = None
        for kind, q, gold in group:
            n += 1
            qid = f"{prefix}{n:03d}"
            item = {"id": qid, "question": q}
            if gold is None:
                item["gold"] = []
                item["unanswerable"] = True
            else:
                item["gold"] = [T[g] for g in gold]
            if parent:
                item["follow_up_of"] = parent
            item["notes"] = kind
            out.append(item)
            parent = qid
    return out


for name, groups, prefix in (("dev", dev, "d"), ("test", test, "t")):
    items = emit(groups, prefix)
    with open(f"{sys.argv[1]}/{name}.jsonl", "w", encoding="utf-8") as f:
        for it in items:
            f.write(json.dumps(it, ensure_ascii=False) + "\n")
    print(name, len(items), sum(1 for i in items if i.get("unanswerable")))
