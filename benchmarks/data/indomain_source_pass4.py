"""Passages of the in-domain dev set's fourth pass (see build_indomain_dev.py for how it was made).

Written on 5 December 2026, after every setting and card fix of the earlier passes had been chosen,
and scored once before anything else was changed: the honest estimate of the tagger after that work.
Styles the earlier passes use little: an agenda item that lists topics before one is discussed,
e-mail-like démarche reports, a statement that names several issues in one sentence, country-report
paragraphs with figures, and paragraphs about procedure or the economy (no item). The topics mix
frequent items with the ones whose words are also everyday words (children, women, courts).

Each passage: (id, lang, doc_type, items, text).
"""

PASSAGES = [
    ("p4en01", "en", "minutes", ["1.5.e"],
     "Item 4 of the agenda covered the justice sector, prisons and the rights of the child; the "
     "discussion focused on prisons. The EU raised overcrowding in the central prison of Vartan, which "
     "holds 3,100 detainees for 1,200 places, and the lack of medical care. The Director of the Prison "
     "Service said that a new facility would open in 2025 and that the number of doctors had doubled."),
    ("p4en02", "en", "demarche", ["1.1.c"],
     "Subject: demarche on the case of Ms Arlen Toss. The Delegation, together with the Ambassadors of "
     "three Member States, met the Deputy Foreign Minister on 14 May to convey the EU's concern at the "
     "arrest of the human rights defender, held since April on charges of 'spreading false information' "
     "after she documented evictions. We asked for her release and for access for her lawyers. The "
     "Deputy Minister took note and promised a reply."),
    ("p4en03", "en", "statement", ["1.3.e", "1.6.e"],
     "The European Union is deeply concerned by the killing of journalist Petr Ruval in Dorsk on 2 June, "
     "the third journalist killed in the country this year. We call on the authorities to conduct a "
     "prompt, thorough and independent investigation, to bring all those responsible to justice, and to "
     "end the impunity that has surrounded attacks on media workers."),
    ("p4en04", "en", "report", ["1.1.j"],
     "Gender-based violence remains widespread. The national survey of 2023 found that 41 per cent of "
     "women had experienced physical or sexual violence by a partner, yet only 6 per cent of cases were "
     "reported to the police. Marital rape is not criminalised, and there are two shelters for a "
     "population of nine million."),
    ("p4en05", "en", "minutes", ["2.1.a"],
     "The EU asked about the reform of the High Judicial Council. The Minister of Justice explained that "
     "under the new law half of its members would be elected by judges and that the President would no "
     "longer chair it. The EU welcomed the direction of the reform but stressed that the appointment and "
     "dismissal of judges must be insulated from political influence, in line with the Venice "
     "Commission's opinion."),
    ("p4en06", "en", "report", [],
     "Growth slowed to 2.1 per cent in 2023, as remittances fell and the drought reduced the harvest. "
     "The government's budget for 2024 foresees a deficit of 4 per cent of GDP, financed largely by "
     "domestic borrowing."),
    ("p4en07", "en", "minutes", ["1.1.o"],
     "On migration, the EU raised the situation of some 20,000 refugees from the neighbouring conflict "
     "living in informal camps along the border without registration. The Ostrovian side said that it "
     "could not register them without international support. The EU encouraged the government to work "
     "with UNHCR on registration and to grant them access to asylum procedures."),
    ("p4en08", "en", "minutes", ["1.1.l"],
     "The EU raised the draft law banning 'propaganda of non-traditional relationships', which would "
     "criminalise any public mention of same-sex relationships, and the attack on an LGBTI community "
     "centre in March. The Deputy Minister said the draft was a private member's bill without government "
     "support."),
    ("p4en09", "en", "report", ["1.3.h"],
     "Religious minorities face growing restrictions. A 2022 law requires every religious community to "
     "re-register with at least 500 members, and eleven Protestant churches and two mosques were closed "
     "after their registration was refused. Members of Jehovah's Witnesses were fined for holding "
     "services in private homes."),
    ("p4en10", "en", "minutes", [],
     "The two sides agreed on the agenda and reviewed the follow-up to the conclusions of the last "
     "Cooperation Council. The next meeting of the Subcommittee on Justice, Freedom and Security will "
     "take place in Brussels in the autumn; the date will be set through diplomatic channels."),
    ("p4en11", "en", "statement", ["1.1.a"],
     "On the World Day against the Death Penalty, the EU recalls its opposition to capital punishment "
     "in all cases and circumstances. We are alarmed by the resumption of executions in Kestrania after "
     "a twelve-year moratorium, and call on the authorities to commute all death sentences."),
    ("p4en12", "en", "report", ["1.4.c"],
     "An estimated 230,000 children aged 5 to 14 work, most of them in agriculture and in the informal "
     "brick kilns around the capital, where whole families are bound by debts to the kiln owners. The "
     "labour inspectorate has 40 inspectors for the whole country and carried out no inspection in the "
     "brick sector in 2023."),
    ("p4fr01", "fr", "minutes", ["1.1.b"],
     "Au titre du point 2 de l'ordre du jour (état de droit, justice, détention), l'UE a concentré ses "
     "questions sur les allégations de torture en garde à vue, documentées par l'OMCT dans 45 cas en "
     "2023. Le ministre de l'Intérieur a indiqué que trois policiers avaient été suspendus et que des "
     "caméras seraient installées dans les commissariats. L'UE a rappelé l'obligation d'enquêter sur "
     "toute allégation et d'exclure les aveux obtenus sous la contrainte."),
    ("p4fr02", "fr", "demarche", ["1.3.f"],
     "Objet : démarche sur l'interdiction des manifestations. Le chef de délégation, accompagné des "
     "ambassadeurs des États membres présents, a été reçu le 3 mars par le secrétaire général du "
     "ministère des Affaires étrangères. Il a exprimé la préoccupation de l'UE face à l'interdiction "
     "générale des rassemblements dans la capitale depuis janvier et à l'arrestation de 80 manifestants "
     "pacifiques. Le secrétaire général a invoqué des raisons de sécurité."),
    ("p4fr03", "fr", "report", ["2.1.c"],
     "Le processus électoral reste marqué par de fortes tensions. La révision du fichier électoral a "
     "exclu près de 300 000 électeurs dépourvus de carte nationale d'identité, et la commission "
     "électorale, dont les membres sont nommés par le président, a rejeté la candidature de deux "
     "opposants pour des motifs de procédure."),
    ("p4fr04", "fr", "minutes", ["1.5.d"],
     "La partie européenne a abordé la situation des enfants en conflit avec la loi : 600 mineurs sont "
     "détenus, souvent avec des adultes, et la majorité attend son jugement depuis plus d'un an. La "
     "partie malienne a indiqué qu'un tribunal pour enfants serait ouvert à Ségou et que le code de "
     "protection de l'enfant était en cours de révision."),
    ("p4fr05", "fr", "statement", ["1.3.b"],
     "L'Union européenne regrette l'adoption de la loi sur les associations, qui soumet tout "
     "financement étranger à une autorisation préalable et permet la dissolution d'une association par "
     "simple décision administrative. Une société civile libre et indépendante est indispensable ; l'UE "
     "appelle les autorités à réviser ce texte en concertation avec les organisations concernées."),
    ("p4fr06", "fr", "report", ["1.4.h"],
     "L'accès aux soins reste très inégal. Le pays compte un médecin pour 12 000 habitants, et les "
     "centres de santé ruraux manquent de médicaments essentiels. La mortalité maternelle, de 480 pour "
     "100 000 naissances vivantes, est l'une des plus élevées de la région."),
    ("p4fr07", "fr", "minutes", [],
     "Les deux parties ont adopté l'ordre du jour et rappelé les conclusions de la dernière session du "
     "dialogue politique. Le compte rendu sera transmis par voie diplomatique, et la prochaine réunion "
     "se tiendra à Bruxelles au premier semestre."),
    ("p4fr08", "fr", "minutes", ["2.3.d", "4.2.e"],
     "L'UE a évoqué les coupures de l'accès à l'internet mobile pendant les examens nationaux et lors des "
     "manifestations de juin, ainsi que le blocage de trois sites d'information indépendants. La partie "
     "togolaise a justifié ces mesures par la lutte contre la fraude et la désinformation."),
    ("p4fr09", "fr", "report", ["1.2.a"],
     "Les femmes restent sous-représentées dans la vie économique : leur taux d'activité est de 28 %, "
     "contre 71 % pour les hommes, et le code de la famille exige encore l'autorisation du mari pour "
     "ouvrir un commerce. Une stratégie nationale pour l'autonomisation économique des femmes a été "
     "adoptée en 2023, sans budget propre."),
    ("p4fr10", "fr", "demarche", ["1.1.a"],
     "L'ambassadeur de l'UE a effectué une démarche auprès du ministre de la Justice pour demander "
     "qu'il soit sursis à l'exécution de deux personnes condamnées à mort pour trafic de stupéfiants, "
     "dont la grâce a été refusée en mai. Le ministre a rappelé que la peine capitale était prévue par "
     "la loi mais s'est engagé à transmettre la demande au président."),
    ("p4fr11", "fr", "report", ["1.6.h"],
     "Le pays reste un pays d'origine et de transit de la traite des êtres humains. Selon l'OIM, plus de "
     "1 500 victimes, principalement des jeunes femmes recrutées pour un travail domestique à "
     "l'étranger, ont été identifiées en 2023, mais seules neuf condamnations ont été prononcées."),
    ("p4fr12", "fr", "minutes", ["1.5.b"],
     "L'UE a demandé où en était le projet de loi sur l'aide juridictionnelle. La partie ivoirienne a "
     "indiqué que le texte prévoyait un avocat commis d'office pour toute personne démunie et des "
     "bureaux d'aide juridique dans chaque tribunal de première instance, avec l'appui du programme "
     "financé par l'UE."),
]
