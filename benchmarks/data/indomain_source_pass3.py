"""Passages of the in-domain dev set's third pass (see build_indomain_dev.py for how it was made).

Written on 4 December 2026, after the sentence support and the card fixes of that day had been
chosen on the first two passes, and scored once with those settings before anything else was
changed (the README's "pass 3, first score"): the honest estimate of the tagger after that work.
The passages cover items the first passes touch little (older persons, disability, water, birth
registration, juvenile justice, trafficking, party financing, privacy, GSP+, business and human
rights, Women, Peace and Security) beside the frequent ones, in minutes, démarches, country
reports and statements, and five paragraphs with no item.

Each passage: (id, lang, doc_type, items, text).
"""

PASSAGES = [
    ("p3en01", "en", "minutes", ["1.1.n"],
     "The EU asked about the situation of older persons living alone in rural Tavaria, where the "
     "pension covers less than half of basic needs. The Ministry of Social Affairs said that a national "
     "strategy on ageing would be adopted next year and that home-care services would be extended to "
     "four more regions. The EU offered to share the experience of Member States with long-term care."),
    ("p3en02", "en", "report", ["1.2.d"],
     "Persons with disabilities remain largely excluded from mainstream schools and the labour market. "
     "Tavaria ratified the Convention on the Rights of Persons with Disabilities in 2019, but the "
     "guardianship law still deprives some 9,000 adults of their legal capacity, and public buildings "
     "and transport are rarely accessible."),
    ("p3en03", "en", "minutes", ["1.4.f"],
     "On economic and social rights, the EU raised the access of informal settlements around the capital "
     "to safe drinking water: according to UNICEF, one household in four relies on water trucks and "
     "pays up to ten times the tariff of the public network. The Water Authority presented its plan to "
     "connect 60,000 households by 2026, co-financed by the EU."),
    ("p3en04", "en", "report", ["1.2.b"],
     "Birth registration stands at 61% nationally and at 38% in the northern provinces. Children without "
     "a birth certificate cannot sit school examinations or obtain an identity card later in life. The "
     "civil registry has opened mobile offices with EU support, and late registration has been made free "
     "of charge."),
    ("p3en05", "en", "minutes", ["1.5.d"],
     "The EU welcomed the adoption of the Juvenile Justice Code, which raises the minimum age of criminal "
     "responsibility from 12 to 14 and provides for diversion and alternatives to detention for children "
     "in conflict with the law. It asked when the separate detention facilities for minors foreseen by "
     "the Code would open. The Ministry of Justice said the first centre would open in March."),
    ("p3en06", "en", "demarche", ["1.6.h"],
     "The Delegation, with the embassies of four Member States, raised with the Ministry of Interior the "
     "case of 140 women from neighbouring countries found in a raid on a logging camp, where they had been "
     "forced into prostitution. The Delegation asked that the victims be identified as victims of "
     "trafficking, given shelter and not prosecuted for immigration offences, and that the network "
     "behind the camp be prosecuted."),
    ("p3en07", "en", "report", [],
     "The new government took office in September after a coalition agreement between the three largest "
     "parties. Its programme prioritises infrastructure, the digitalisation of public services and the "
     "reduction of the budget deficit to 3% of GDP by 2026. The EU-Quellen Association Council is "
     "scheduled for June."),
    ("p3en08", "en", "minutes", ["2.2.b", "2.2.e"],
     "The EU asked about the draft law on political parties, which would lower the number of signatures "
     "needed to register a party and require parties to publish audited accounts and the names of donors "
     "above EUR 1,000. The Quellen side explained that the electoral commission would be given powers to "
     "sanction parties that fail to report on their campaign spending."),
    ("p3en09", "en", "minutes", ["4.2.c"],
     "The EU raised the draft data protection law and recalled that an independent supervisory authority "
     "and clear limits on access by the security services to personal data were essential. The Ministry of "
     "Digital Development said that the draft was inspired by the GDPR and that it hoped to obtain an "
     "adequacy decision in the future."),
    ("p3en10", "en", "report", ["3.3.c", "1.4.i"],
     "As a GSP+ beneficiary, Borovia must effectively implement 27 core conventions. The last GSP+ "
     "monitoring mission noted the labour code reform but found that labour inspection remains weak and "
     "that the right to collective bargaining is not respected in the export processing zones, where "
     "workers report unpaid overtime and unsafe working conditions."),
    ("p3en11", "en", "minutes", ["3.5.a"],
     "The EU presented the Corporate Sustainability Due Diligence Directive and encouraged Borovia to "
     "adopt its national action plan on business and human rights, drafted in 2022. The Ministry of "
     "Economy said that the plan had been delayed by consultations with the chambers of commerce, and "
     "that it would be submitted to the Cabinet before the end of the year."),
    ("p3en12", "en", "statement", ["2.4.d"],
     "On the anniversary of UN Security Council resolution 1325, the EU reaffirms its commitment to the "
     "Women, Peace and Security agenda. Women must take part in the peace negotiations on the eastern "
     "provinces at every level, and the EU calls on all parties to include women's organisations in the "
     "monitoring of the ceasefire."),
    ("p3en13", "en", "minutes", ["1.1.c", "1.4.a"],
     "The EU raised the killing of two environmental defenders who had opposed a mining project in the "
     "Kaldor valley, and the threats received by members of their community. It asked that those "
     "responsible be brought to justice and that the national protection mechanism for human rights "
     "defenders cover land and environmental defenders. The Prosecutor-General's Office said that one "
     "suspect had been arrested."),
    ("p3en14", "en", "minutes", ["2.1.i"],
     "The Head of the Anti-Corruption Bureau presented the results of the past year: 212 investigations "
     "opened, including against two deputy ministers, and 38 convictions. The EU welcomed these results "
     "but expressed concern about the draft amendment that would make the Bureau's director appointed "
     "by the President, and asked that asset declarations of senior officials be published online."),
    ("p3en15", "en", "minutes", [],
     "The agenda was adopted without changes. The EU side proposed to hold the next subcommittee meeting "
     "by videoconference if travel restrictions remained in place, and the Borovian side agreed to send "
     "written replies to the questions that could not be answered during the meeting."),
    ("p3en16", "en", "demarche", ["1.1.o"],
     "Following reports that 300 asylum seekers had been pushed back across the border without an "
     "assessment of their claims, the Delegation conveyed the EU's concern to the Ministry of Interior. It "
     "recalled the principle of non-refoulement and asked for access for UNHCR to the border area. The "
     "Director-General said that the persons concerned were economic migrants."),
    ("p3en17", "en", "report", ["1.4.h", "1.1.k"],
     "Maternal mortality remains among the highest in the region, at 410 deaths per 100,000 live births, "
     "and only half of births are attended by skilled personnel. Abortion is prohibited in all "
     "circumstances, and unsafe abortions account for an estimated 13% of maternal deaths. Health "
     "spending represents 1.9% of GDP."),
    ("p3en18", "en", "minutes", ["3.2.a", "2.1.a"],
     "The EU encouraged Estmark to follow the opinion of the Venice Commission on the constitutional "
     "amendments concerning the judiciary, in particular on the composition of the High Judicial Council "
     "and the procedure for dismissing judges. The Estmark side said that most of the recommendations of "
     "the Commission had been taken into account in the final text."),
    ("p3en19", "en", "minutes", ["1.3.j"],
     "The EU raised the dismissal of 60 professors from the State University after they signed an open "
     "letter criticising the government's handling of the floods, and the new rule that makes "
     "international academic conferences subject to prior authorisation. The Ministry of Education "
     "answered that universities were autonomous in their staffing decisions."),
    ("p3en20", "en", "statement", ["1.1.a"],
     "The European Union deplores the execution of four persons in Namaru on 3 October, the first since "
     "2009. It reiterates its firm opposition to the death penalty in all circumstances and calls on "
     "Namaru to reinstate the moratorium on executions as a first step towards abolition."),
    ("p3fr01", "fr", "minutes", ["1.1.n", "1.4.g"],
     "L'UE a salué l'extension de la pension sociale non contributive à toutes les personnes âgées de "
     "plus de 70 ans sans revenu. Le ministère de la Solidarité a indiqué que 180 000 personnes en "
     "bénéficient désormais et que le montant serait indexé sur l'inflation. L'UE a demandé des données "
     "sur la pauvreté des personnes âgées en milieu rural."),
    ("p3fr02", "fr", "report", ["1.2.d"],
     "Les personnes handicapées restent largement exclues de l'emploi et des services sociaux. La loi "
     "d'orientation de 2018 prévoit un quota de 5 % dans la fonction publique, mais ses décrets "
     "d'application n'ont pas été adoptés, et moins de 2 % des écoles sont accessibles aux élèves en "
     "fauteuil roulant."),
    ("p3fr03", "fr", "minutes", ["1.1.j"],
     "L'UE a interrogé la partie ilvanienne sur la mise en œuvre de la loi interdisant les mutilations "
     "génitales féminines, adoptée en 2020. Le ministère de la Femme a indiqué que 14 exciseuses avaient "
     "été condamnées et que des campagnes de sensibilisation avaient été menées dans 300 villages avec les "
     "chefs religieux."),
    ("p3fr04", "fr", "demarche", ["1.3.e", "1.3.d"],
     "Sur instruction, la Délégation a fait part aux autorités de la préoccupation de l'UE après la "
     "suspension pour trois mois de la radio indépendante Radio Horizon et l'interpellation de deux de ses "
     "journalistes pour « atteinte au moral des troupes ». Elle a demandé leur libération et la levée de "
     "la suspension. Le ministre de la Communication a répondu que la radio avait diffusé des informations "
     "mettant en danger la sécurité nationale."),
    ("p3fr05", "fr", "report", [],
     "La croissance devrait atteindre 5,2 % en 2024, portée par la production d'or et l'agriculture. "
     "L'inflation a ralenti à 3 %, mais la dette publique dépasse 60 % du PIB. Un nouveau programme avec "
     "le Fonds monétaire international est en cours de négociation."),
    ("p3fr06", "fr", "minutes", ["1.5.e"],
     "L'UE a évoqué la surpopulation carcérale : la prison centrale accueille 2 400 détenus pour 600 "
     "places, et plusieurs décès liés au manque de soins ont été signalés en 2023. Le ministre de la "
     "Justice a annoncé la construction de deux nouveaux établissements et un programme de libération "
     "conditionnelle pour les courtes peines."),
    ("p3fr07", "fr", "minutes", ["2.1.c", "2.2.a"],
     "L'UE a demandé où en était la révision du fichier électoral avant les législatives de juin. La "
     "Commission électorale nationale indépendante a indiqué que 1,2 million de nouveaux électeurs avaient "
     "été inscrits. L'UE a encouragé les partis à présenter davantage de femmes en position éligible, "
     "la loi sur la parité n'ayant pas été appliquée lors du dernier scrutin."),
    ("p3fr08", "fr", "statement", ["1.6.f"],
     "L'Union européenne est vivement préoccupée par la disparition forcée de l'opposant Issa Konaté, "
     "enlevé à son domicile par des hommes armés le 12 avril. Elle appelle les autorités à révéler sans "
     "délai le sort et le lieu où il se trouve et à mener une enquête indépendante."),
    ("p3fr09", "fr", "minutes", ["3.4.d", "1.1.c"],
     "La Délégation a présenté son nouvel appel à propositions de 3 millions d'euros pour le soutien aux "
     "défenseurs des droits humains, y compris un mécanisme d'aide d'urgence en cas de menaces. Les "
     "organisations de la société civile ont souligné l'importance de financements pluriannuels et de "
     "procédures simplifiées pour les petites associations."),
    ("p3fr10", "fr", "minutes", [],
     "La partie namaruise a remercié l'UE pour l'organisation de la réunion et a proposé que le prochain "
     "dialogue se tienne dans la capitale au premier trimestre. Les deux parties ont convenu d'échanger "
     "d'ici là la liste de leurs points d'action prioritaires par la voie diplomatique."),
    ("p3fr11", "fr", "report", ["1.4.c"],
     "Selon l'enquête nationale de 2022, 28 % des enfants de 5 à 17 ans travaillent, dont la moitié dans "
     "des conditions dangereuses, notamment dans les mines artisanales d'or. Le plan d'action national de "
     "lutte contre le travail des enfants n'est pas financé, et l'inspection du travail ne dispose que de "
     "40 inspecteurs pour tout le pays."),
    ("p3fr12", "fr", "minutes", ["2.3.d", "4.2.e"],
     "L'UE a soulevé les coupures répétées de l'internet mobile dans les régions de l'Ouest depuis janvier "
     "et l'acquisition par les services de renseignement d'un logiciel espion capable d'intercepter les "
     "messageries chiffrées. La partie ilvanienne a invoqué la lutte contre le terrorisme."),
    ("p3en21", "en", "report", [],
     "Tourism arrivals recovered to 2019 levels, and the new airport terminal opened in May. The "
     "government has announced a public-private partnership for the construction of a toll motorway "
     "between the capital and the main port."),
]
