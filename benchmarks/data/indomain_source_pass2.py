"""Passages of the in-domain dev set's second pass (see build_indomain_dev.py for how it was made).

Written on 4 December 2026, after the first pass had been used for tuning, and scored once with the
settings of that day before anything was changed (the README's "pass 2, first score"), so that the
first figure on them is an honest estimate of how the tagger does on prose it was not tuned on.
Longer and more mixed than the first pass: minutes that move between topics, reports that name
several issues in passing, statements, démarches, and procedural or economic paragraphs with no item.

Each passage: (id, lang, doc_type, items, text).
"""

PASSAGES = [
    ("p2en01", "en", "minutes", ["1.5.e", "1.5.a"],
     "On detention, the EU referred to the report of the Public Defender, which found that 41% of the "
     "prison population in Dravenia is held in pre-trial detention, some for more than three years. The "
     "EU asked what steps were being taken to use alternatives to detention and to ensure that detainees "
     "are brought promptly before a judge. The Dravenian side replied that a new Code of Criminal "
     "Procedure, to be adopted next year, would set a maximum length for pre-trial detention."),
    ("p2en02", "en", "minutes", [],
     "The Dravenian delegation was led by the Deputy Minister of Foreign Affairs and included "
     "representatives of eight ministries. The EU delegation was led by the Deputy Managing Director for "
     "the region. Both sides thanked each other for the constructive atmosphere and agreed that the next "
     "round would take place in Brussels in the second half of the year."),
    ("p2en03", "en", "minutes", ["1.3.e"],
     "The EU raised the murder of the investigative journalist Anton Rusu, shot outside his home in "
     "February after publishing a series of articles on the illegal logging trade. It called for a "
     "prompt, independent investigation into the killing, including into who ordered it, and asked "
     "whether the protection measures requested by Mr Rusu in 2022 had been granted. The Dravenian side "
     "said that two suspects had been arrested and that the investigation was ongoing."),
    ("p2en04", "en", "report", ["1.1.j", "1.1.i"],
     "Gender equality remains a challenge. Women hold 19% of managerial positions and the gender pay gap "
     "is estimated at 27%. Violence against women is widespread: a survey by the National Statistics "
     "Office found that one in three women had experienced physical or sexual violence by a partner. The "
     "law on domestic violence adopted in 2021 introduced protection orders, but courts rarely issue them "
     "and there are only two shelters in the country."),
    ("p2en05", "en", "report", [],
     "Economic growth slowed to 1.8% in 2023, mainly because of lower remittances and a poor harvest. "
     "The government negotiated a new programme with the International Monetary Fund, which foresees the "
     "gradual removal of energy subsidies. Unemployment stands at 11%, and at 24% among young people. "
     "The EU remains the country's first trading partner, accounting for 38% of its exports."),
    ("p2en06", "en", "demarche", ["1.1.a"],
     "Following the confirmation by the Supreme Court of the death sentences against three men convicted "
     "of drug trafficking, the EU Delegation, together with the embassies of Member States, conveyed a "
     "démarche to the Ministry of Foreign Affairs. The Delegation recalled the EU's opposition to capital "
     "punishment in all circumstances and urged the authorities to commute the sentences. The Director "
     "for Europe took note and said that the President had the power to grant clemency."),
    ("p2en07", "en", "minutes", ["1.1.l"],
     "The EU expressed concern about the ban on the Pride march in the capital for the third consecutive "
     "year and about attacks on LGBTI activists by counter-protesters, which the police did not prevent. "
     "It called on the authorities to protect LGBTI persons from violence and discrimination. The "
     "Ulmerian side said that the ban had been imposed for security reasons."),
    ("p2en08", "en", "report", ["1.3.b", "3.4.d"],
     "Civil society organisations face growing administrative pressure. Since the amendments to the Law "
     "on Associations, NGOs must obtain the approval of the Ministry of Interior for every foreign grant, "
     "and several organisations have had their bank accounts frozen pending checks. In 2023 the EU "
     "provided EUR 4 million to local civil society through the thematic programme on human rights and "
     "democracy, including core funding for 22 organisations working in the regions."),
    ("p2en09", "en", "minutes", ["1.4.h"],
     "Under the item on economic and social rights, the Ministry of Health presented the reform of "
     "primary health care, which will make consultations free for children under five and for pregnant "
     "women. The EU welcomed the reform and asked how the government would address the shortage of "
     "doctors in rural areas, where one in four posts is vacant."),
    ("p2en10", "en", "statement", ["2.1.c"],
     "The European Union welcomes the peaceful and orderly conduct of the parliamentary elections held on "
     "15 October. Turnout was high and voters were able to choose between a range of political options. "
     "The EU encourages the Central Electoral Commission to publish the results by polling station and to "
     "address the complaints submitted by candidates in a transparent manner."),
    ("p2en11", "en", "minutes", ["1.1.o"],
     "The EU thanked Tarsia for hosting more than 300,000 refugees from the neighbouring country and "
     "welcomed the decision to allow refugee children to enrol in public schools. It raised reports of "
     "pushbacks at the eastern border and stressed the principle of non-refoulement. The Tarsian side "
     "said that it faced a disproportionate burden and called for more international support."),
    ("p2en12", "en", "minutes", ["2.3.a"],
     "The EU raised the draft media law, which would require all online news portals to register with the "
     "media regulator and allow the regulator to suspend them without a court order. The EU noted that "
     "the Venice Commission had been asked for an opinion and encouraged the authorities to wait for it "
     "before the second reading. The Tarsian side stated that the law aimed to fight fake news."),
    ("p2en13", "en", "report", ["1.1.f", "1.1.e"],
     "The Roma community, estimated at 150,000 people, continues to face discrimination in access to "
     "housing, employment and education. Roma children are over-represented in special schools. The "
     "anti-discrimination law adopted in 2019 has rarely been applied, and the equality body received "
     "only 43 complaints last year."),
    ("p2en14", "en", "minutes", ["1.2.d"],
     "The Ulmerian side informed about the ratification of the Convention on the Rights of Persons with "
     "Disabilities and the adoption of an action plan on deinstitutionalisation, which foresees the "
     "closure of the four largest residential institutions by 2027. The EU welcomed these steps and asked "
     "about the accessibility of public buildings and transport."),
    ("p2en15", "en", "report", ["2.1.i"],
     "Corruption is perceived as widespread, in particular in public procurement and in the customs "
     "service. The Anti-Corruption Bureau opened 312 investigations in 2023, but only a handful led to "
     "convictions of senior officials. Asset declarations of members of parliament are published, but "
     "the agency in charge of checking them lacks staff."),
    ("p2en16", "en", "minutes", ["3.1.b", "3.1.a"],
     "Both sides exchanged views on cooperation in multilateral fora. The EU thanked Marovia for its "
     "co-sponsorship of the resolution on the rights of the child at the Human Rights Council and invited "
     "it to join the cross-regional statement on the safety of journalists. The Marovian side said that "
     "it would examine the text, but that it could not support country-specific resolutions."),
    ("p2en17", "en", "demarche", ["1.1.c", "1.3.c"],
     "The Head of Delegation met the Minister of Justice to express the EU's concern over the conviction "
     "of the human rights lawyer Mirela Stan to six years in prison for 'undermining state security'. He "
     "asked for her release and stressed that the case was part of a wider pattern of pressure on "
     "lawyers, journalists and activists who criticise the government. The Minister said that the courts "
     "were independent."),
    ("p2en18", "en", "report", ["1.4.i", "1.4.j"],
     "Labour rights remain weak, particularly for the estimated 400,000 migrant workers employed in "
     "construction and domestic work, who are tied to their employers under the sponsorship system. "
     "Workers cannot form independent trade unions, and labour inspections are rare. The government has "
     "announced a minimum wage for domestic workers from next year."),
    ("p2en19", "en", "minutes", ["3.6.b"],
     "The EU encouraged Marovia to submit its overdue reports to the Committee against Torture and the "
     "Committee on the Elimination of Discrimination against Women, and to extend a standing invitation "
     "to the special procedures. The Marovian side said that a national mechanism for reporting and "
     "follow-up had been set up in 2023 and that both reports would be submitted this year."),
    ("p2en20", "en", "statement", ["1.6.b", "1.1.d"],
     "The EU strongly condemns the shelling of the market in Kessa on 3 May, which killed 21 civilians, "
     "including six children. Attacks against civilians are a grave violation of international "
     "humanitarian law. Those responsible must be held to account. The EU calls on all parties to the "
     "conflict to agree to an immediate ceasefire and allow unimpeded humanitarian access."),
    ("p2en21", "en", "minutes", ["1.3.d", "4.2.e"],
     "The EU raised the case of the blogger Dan Irimia, sentenced to two years in prison for posts "
     "criticising the president, and the new law that criminalises 'insulting state institutions' "
     "online. It also asked about reports that the security services had used spyware against opposition "
     "politicians and journalists. The Kessarian side denied any unlawful surveillance."),
    ("p2en22", "en", "report", ["3.5.a"],
     "The government adopted a National Action Plan on Business and Human Rights in March, the first in "
     "the region. It commits state-owned enterprises to conduct human rights due diligence and sets up a "
     "grievance mechanism at the Ombudsperson's office. The Delegation supported the consultations on the "
     "plan with business associations and trade unions."),
    ("p2en23", "en", "minutes", ["1.2.e", "1.4.d"],
     "The EU raised the situation of indigenous communities affected by the planned hydroelectric dam on "
     "the Tala river, and asked whether the environmental impact assessment had been made public and "
     "whether the communities' free, prior and informed consent had been sought. The Kessarian side "
     "explained that consultations had been held in 14 villages."),
    ("p2en24", "en", "minutes", [],
     "The EU presented the new Multiannual Indicative Programme for 2021-2027, with a total envelope of "
     "EUR 180 million, focusing on the green transition, digital connectivity and vocational training. "
     "The Kessarian side welcomed the programme and asked for additional support for the modernisation of "
     "its railway network."),
    ("p2fr01", "fr", "minutes", ["1.1.b", "1.5.e"],
     "L'UE a évoqué les informations faisant état de mauvais traitements infligés à des détenus de la "
     "prison centrale de Bamara et a demandé que des enquêtes indépendantes soient ouvertes. Elle a "
     "encouragé les autorités à garantir au mécanisme national de prévention un accès sans restriction à "
     "tous les lieux de privation de liberté. La partie bamaraise a reconnu des problèmes de surpopulation "
     "et a annoncé la construction de deux nouveaux établissements."),
    ("p2fr02", "fr", "minutes", [],
     "La réunion s'est ouverte par des remarques introductives des deux coprésidents. L'ordre du jour a "
     "été adopté sans modification. Les deux parties ont convenu de publier un communiqué de presse "
     "conjoint à l'issue de la réunion et de tenir la prochaine session à Bamara au printemps."),
    ("p2fr03", "fr", "statement", ["1.3.e", "1.3.d"],
     "L'Union européenne est profondément préoccupée par l'arrestation de trois journalistes de la radio "
     "indépendante Horizon FM, accusés de diffusion de fausses nouvelles après un reportage sur la "
     "situation sécuritaire dans le nord. L'UE rappelle que la liberté d'expression et la liberté de la "
     "presse sont essentielles et appelle à leur libération."),
    ("p2fr04", "fr", "report", ["1.2.b", "1.4.c", "1.4.g"],
     "Près de 40 % des enfants de moins de cinq ans ne sont pas enregistrés à la naissance dans les "
     "régions rurales et le travail domestique des fillettes reste répandu. Le taux de pauvreté atteint "
     "45 % dans les zones rurales, contre 18 % dans la capitale. Le gouvernement a lancé un programme de "
     "transferts monétaires en faveur des ménages les plus pauvres, avec l'appui de l'UE."),
    ("p2fr05", "fr", "minutes", ["1.1.j"],
     "L'UE a salué l'adoption de la loi contre les violences faites aux femmes et a demandé des "
     "informations sur sa mise en œuvre, notamment sur les centres d'accueil pour les survivantes. La "
     "ministre de la Promotion de la femme a indiqué que 1 200 plaintes avaient été enregistrées en 2023 et "
     "que trois centres intégrés de prise en charge avaient ouvert."),
    ("p2fr06", "fr", "report", [],
     "La production agricole a progressé de 4 % grâce à une bonne saison des pluies. Le déficit "
     "budgétaire a été ramené à 3,5 % du PIB et le gouvernement a procédé à un remaniement ministériel en "
     "septembre. La dette publique reste élevée, à 58 % du PIB."),
    ("p2fr07", "fr", "minutes", ["2.1.a"],
     "L'UE a soulevé la question de la réforme du Conseil supérieur de la magistrature, dont la majorité "
     "des membres serait désormais nommée par le Président. Elle a rappelé l'importance de l'indépendance "
     "de la justice et de la séparation des pouvoirs. La partie zanorienne a répondu que la réforme "
     "visait à lutter contre les lenteurs de la justice."),
    ("p2fr08", "fr", "demarche", ["1.3.f", "1.3.g"],
     "Sur instruction, la Délégation a effectué une démarche auprès du ministère des Affaires étrangères "
     "au sujet de l'interdiction de toute manifestation dans la capitale et des arrestations de plus de "
     "200 manifestants lors des rassemblements de l'opposition en juin. La Délégation a appelé au respect "
     "de la liberté de réunion pacifique et à la libération des personnes détenues."),
    ("p2fr09", "fr", "minutes", ["1.6.e"],
     "La partie zanorienne a présenté les travaux de la Commission vérité, justice et réconciliation, qui "
     "a recueilli plus de 15 000 témoignages de victimes du conflit. L'UE a encouragé les autorités à "
     "mettre en œuvre ses recommandations, en particulier la création d'un fonds de réparation pour les "
     "victimes, et à veiller à ce que les auteurs des crimes les plus graves ne bénéficient pas "
     "d'amnistie."),
    ("p2fr10", "fr", "report", ["1.3.h", "1.3.i"],
     "Les tensions entre communautés religieuses se sont accrues dans la région de l'Est, où deux églises "
     "et une mosquée ont été incendiées. Le gouvernement a réuni un forum national du dialogue "
     "interreligieux en novembre, avec l'appui de la Délégation, afin de promouvoir la tolérance et la "
     "coexistence pacifique."),
    ("p2fr11", "fr", "minutes", ["2.4.d"],
     "L'UE a salué l'adoption du deuxième plan d'action national sur la résolution 1325 du Conseil de "
     "sécurité relative aux femmes, à la paix et à la sécurité. Elle a demandé comment les femmes "
     "seraient associées aux pourparlers de paix avec les groupes armés. La partie zanorienne a indiqué "
     "que trois femmes faisaient partie de la délégation gouvernementale."),
    ("p2fr12", "fr", "minutes", ["3.3.c", "1.4.i"],
     "L'UE a rappelé que le bénéfice des préférences commerciales du SPG+ est lié à la mise en œuvre "
     "effective de 27 conventions internationales. Elle a évoqué les conclusions de la dernière mission "
     "de suivi, notamment sur le droit syndical et l'inspection du travail. La partie zanorienne s'est "
     "engagée à présenter un plan d'action avant la fin de l'année."),
    ("p2fr13", "fr", "report", ["1.4.e"],
     "Les expulsions forcées se multiplient dans la périphérie de la capitale, où plus de 3 000 familles "
     "ont été délogées depuis janvier pour des projets immobiliers, sans relogement ni indemnisation. La "
     "loi foncière de 2019 ne reconnaît pas les droits coutumiers sur la terre."),
    ("p2fr14", "fr", "minutes", ["1.3.j"],
     "L'UE a exprimé sa préoccupation au sujet du renvoi de quatre enseignants de l'université publique "
     "après la publication d'une tribune critiquant la réforme de l'enseignement supérieur. Elle a "
     "rappelé l'importance de la liberté académique. La partie ivaloise a indiqué que ces renvois "
     "relevaient de procédures disciplinaires internes."),
    ("p2fr15", "fr", "statement", ["1.6.f"],
     "L'Union européenne est vivement préoccupée par la disparition de l'opposant politique Moussa Diallo, "
     "enlevé à son domicile le 12 août par des hommes armés. Elle demande aux autorités de tout mettre en "
     "œuvre pour faire la lumière sur son sort et le lieu où il se trouve, et de ratifier la Convention "
     "internationale pour la protection de toutes les personnes contre les disparitions forcées."),
    ("p2fr16", "fr", "minutes", ["2.3.d", "2.1.c"],
     "L'UE a évoqué la coupure de l'internet mobile pendant une semaine au lendemain de l'élection "
     "présidentielle et a souligné que de telles mesures portent atteinte à l'accès à l'information. Elle "
     "a également demandé que la liste électorale soit auditée avant les élections locales. La partie "
     "ivaloise a justifié la coupure par des risques de troubles."),
]
