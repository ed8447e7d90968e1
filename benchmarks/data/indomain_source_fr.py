"""French passages of the in-domain dev set (see build_indomain_dev.py for how it was made).

Each passage: (id, doc_type, items, [(actor, act, sentence), ...]), as in indomain_source_en.py.
"""

PASSAGES = [
    ("fr01", "minutes", ["1.1.a"], [
        ("eu", "raised", "L'UE a rappelé son opposition ferme à la peine de mort en toutes circonstances."),
        ("eu", "raised", "Elle a appelé le Sahelistan à maintenir le moratoire sur les exécutions et à commuer les 48 condamnations à mort prononcées depuis 2020."),
        ("partner", "informed", "La partie sahelistanaise a indiqué qu'aucune exécution n'avait eu lieu depuis 1998."),
    ]),
    ("fr02", "minutes", ["1.5.e", "1.1.b"], [
        ("eu", "raised", "L'UE s'est inquiétée de la surpopulation carcérale, le taux d'occupation de la maison d'arrêt centrale atteignant 340 %."),
        ("partner", "committed", "Le ministre de la Justice s'est engagé à accélérer le traitement des dossiers de détention préventive prolongée."),
        ("eu", "raised", "L'UE a également demandé que les allégations de mauvais traitements par la gendarmerie fassent l'objet d'enquêtes."),
    ]),
    ("fr03", "demarche", ["1.1.c", "1.3.e"], [
        ("eu", "raised", "Sur instruction, le chef de délégation a fait part de la préoccupation de l'UE concernant l'arrestation du journaliste et défenseur des droits humains Idrissa Mbaye."),
        ("eu", "raised", "Il a demandé sa libération et le respect de son droit à un avocat."),
        ("partner", "informed", "Le secrétaire général du ministère a répondu que M. Mbaye était poursuivi pour diffusion de fausses nouvelles."),
    ]),
    ("fr04", "report", ["1.3.d", "2.3.a"], [
        ("none", "none", "Le nouveau code du numérique punit de deux ans de prison la publication de « fausses nouvelles » sur les réseaux sociaux."),
        ("civil_society", "informed", "Les associations de presse estiment que ce texte servira à poursuivre les médias critiques."),
        ("none", "none", "Trois sites d'information ont été suspendus par l'autorité de régulation depuis son adoption."),
    ]),
    ("fr05", "minutes", [], [
        ("partner", "informed", "Le ministre de l'Économie a présenté les résultats du plan de relance, avec une croissance de 5,2 % en 2023."),
        ("partner", "informed", "Il a souligné l'augmentation des investissements étrangers dans le secteur minier et la construction du nouveau barrage."),
    ]),
    ("fr06", "minutes", ["1.1.j", "1.1.m"], [
        ("eu", "raised", "L'UE a soulevé la question des mariages précoces, qui concernent encore près d'une fille sur trois dans les régions du nord."),
        ("partner", "committed", "La ministre de la Femme et de l'Enfant s'est engagée à relever l'âge légal du mariage à 18 ans pour les filles."),
        ("eu", "welcomed", "L'UE a salué cet engagement."),
    ]),
    ("fr07", "report", ["2.1.c"], [
        ("none", "none", "Les élections législatives de juin se sont déroulées dans le calme, mais la participation n'a pas dépassé 34 %."),
        ("civil_society", "informed", "La coalition d'observateurs nationaux a relevé des irrégularités dans 12 % des bureaux de vote observés."),
        ("partner", "rejected", "La commission électorale a rejeté les recours de l'opposition."),
    ]),
    ("fr08", "minutes", ["1.3.f"], [
        ("eu", "raised", "L'UE a exprimé sa préoccupation face à l'interdiction de toutes les manifestations dans la capitale depuis mars."),
        ("partner", "informed", "La partie lorvanienne a expliqué que cette mesure répondait à des menaces terroristes."),
        ("eu", "raised", "L'UE a rappelé que les restrictions à la liberté de réunion pacifique doivent être nécessaires et proportionnées."),
    ]),
    ("fr09", "minutes", ["2.1.i", "2.1.j"], [
        ("partner", "informed", "Le ministre des Finances a présenté la réforme de l'administration fiscale et la nouvelle loi sur la déclaration de patrimoine des hauts fonctionnaires."),
        ("eu", "welcomed", "L'UE a salué ces réformes."),
        ("eu", "supported", "Elle a rappelé son appui budgétaire à la mobilisation des recettes intérieures."),
    ]),
    ("fr10", "report", ["1.1.o", "1.6.h"], [
        ("none", "none", "Le pays reste un point de transit pour les migrants se dirigeant vers l'Europe."),
        ("international", "informed", "L'OIM a recensé 2 300 victimes de la traite des êtres humains en 2023, dont une majorité de femmes exploitées dans la prostitution."),
        ("partner", "committed", "Le gouvernement a promis d'adopter un plan national de lutte contre la traite."),
    ]),
    ("fr11", "minutes", ["1.6.c", "3.6.d"], [
        ("eu", "raised", "L'UE a encouragé la Norvalie à ratifier le Statut de Rome de la Cour pénale internationale."),
        ("partner", "informed", "La partie norvalienne a indiqué que la question était à l'étude au Parlement."),
    ]),
    ("fr12", "minutes", ["1.4.f"], [
        ("partner", "informed", "Le ministre de l'Hydraulique a indiqué que 62 % de la population rurale a désormais accès à l'eau potable."),
        ("eu", "welcomed", "L'UE a salué ces progrès."),
        ("eu", "supported", "Elle a rappelé qu'elle finance 200 forages dans la région du Sud."),
    ]),
    ("fr13", "report", ["1.3.c"], [
        ("none", "none", "L'état d'urgence, prolongé pour la cinquième fois en janvier, permet toujours d'interdire les réunions et de perquisitionner sans mandat."),
        ("civil_society", "informed", "Plusieurs ONG ont signalé que ces pouvoirs servent à surveiller les militants et les opposants."),
    ]),
    ("fr14", "minutes", ["1.1.l"], [
        ("eu", "raised", "L'UE a demandé la dépénalisation des relations entre personnes de même sexe."),
        ("partner", "rejected", "La délégation sahelistanaise a refusé d'aborder ce sujet, qu'elle a qualifié de contraire aux valeurs nationales."),
    ]),
    ("fr15", "minutes", ["2.1.a"], [
        ("eu", "raised", "L'UE s'est interrogée sur la réforme du Conseil supérieur de la magistrature, qui donnerait au ministre de la Justice la majorité des sièges."),
        ("partner", "committed", "Le ministre a accepté de soumettre le projet à la Commission de Venise."),
    ]),
    ("fr16", "statement", ["1.6.f", "1.6.e"], [
        ("eu", "raised", "L'Union européenne condamne les exécutions extrajudiciaires de civils commises à Tamba le 4 mai."),
        ("eu", "raised", "Elle appelle les autorités à mener une enquête indépendante et à traduire les responsables en justice, afin que ces crimes ne restent pas impunis."),
    ]),
    ("fr17", "minutes", ["1.4.i"], [
        ("eu", "raised", "L'UE a interrogé les autorités sur l'application du nouveau salaire minimum et sur les conditions de travail dans les zones franches."),
        ("partner", "informed", "La ministre du Travail a répondu que 60 nouveaux inspecteurs du travail avaient été recrutés."),
    ]),
    ("fr18", "report", ["3.4.a", "5.2.h"], [
        ("eu", "supported", "La délégation a organisé en mars sa consultation annuelle de la société civile avant le dialogue sur les droits de l'homme."),
        ("civil_society", "raised", "Les organisations présentes ont demandé que la situation des défenseurs des droits environnementaux soit abordée."),
    ]),
    ("fr19", "minutes", ["1.2.b"], [
        ("partner", "informed", "Le ministère de l'Intérieur a présenté la campagne d'enregistrement des naissances, qui a permis de délivrer 400 000 actes de naissance."),
        ("eu", "welcomed", "L'UE a salué cette campagne."),
        ("eu", "raised", "Elle a demandé comment les enfants nés de parents apatrides y avaient accès."),
    ]),
    ("fr20", "minutes", ["4.1.d", "1.3.d"], [
        ("eu", "raised", "L'UE a soulevé le projet de loi obligeant les plateformes à retirer en 24 heures tout contenu jugé « offensant » par le gouvernement."),
        ("partner", "informed", "La partie lorvanienne a expliqué que le texte visait les discours de haine en ligne."),
    ]),
    ("fr21", "minutes", [], [
        ("none", "none", "La séance a été ouverte par les coprésidents, qui ont rappelé l'ordre du jour."),
        ("none", "none", "Les deux parties sont convenues de tenir la prochaine session à Bruxelles au premier semestre."),
    ]),
    ("fr22", "report", ["1.4.h", "1.1.k"], [
        ("none", "none", "La mortalité maternelle reste élevée et l'accès à la contraception est limité dans les zones rurales."),
        ("international", "informed", "Selon le FNUAP, seules 18 % des femmes mariées utilisent une méthode de contraception moderne."),
    ]),
    ("fr23", "demarche", ["1.1.a"], [
        ("eu", "raised", "Les ambassadeurs de l'UE ont effectué une démarche auprès du ministre des Affaires étrangères pour demander la commutation de la peine de mort prononcée contre trois jeunes hommes."),
        ("partner", "informed", "Le ministre a indiqué que la grâce présidentielle restait possible."),
    ]),
    ("fr24", "minutes", ["1.1.e", "1.1.g"], [
        ("eu", "raised", "L'UE a demandé des informations sur la mise en œuvre de la loi contre la discrimination raciale adoptée en 2022."),
        ("partner", "informed", "La partie norvalienne a expliqué que l'organe de promotion de l'égalité avait reçu 85 plaintes, dont une majorité pour des propos racistes."),
    ]),
    ("fr25", "report", ["1.2.e", "1.4.a"], [
        ("none", "none", "Les peuples autochtones de la forêt du Nord dénoncent l'octroi de concessions forestières sur leurs terres ancestrales."),
        ("civil_society", "informed", "Une coalition d'ONG environnementales a documenté la destruction de 12 000 hectares de forêt en deux ans."),
    ]),
    ("fr26", "minutes", ["3.3.b"], [
        ("eu", "informed", "L'UE a fait le point sur le suivi des engagements pris lors du précédent dialogue sur les droits de l'homme."),
        ("partner", "committed", "Les deux parties sont convenues d'établir une matrice de suivi commune avant la prochaine session."),
    ]),
    ("fr27", "minutes", ["1.4.g"], [
        ("partner", "informed", "Le ministre des Affaires sociales a présenté le programme de transferts monétaires, qui touche désormais 600 000 ménages pauvres."),
        ("eu", "welcomed", "L'UE a salué l'extension du programme."),
        ("eu", "supported", "Elle a rappelé qu'elle cofinance le registre social unifié."),
    ]),
    ("fr28", "minutes", ["1.5.d"], [
        ("eu", "raised", "L'UE a demandé que les mineurs en conflit avec la loi ne soient plus détenus avec les adultes."),
        ("partner", "committed", "Le ministère de la Justice s'est engagé à ouvrir un centre de rééducation pour mineurs à Kadoro."),
    ]),
    ("fr29", "report", ["1.6.d", "2.4.b"], [
        ("international", "informed", "La commission d'enquête des Nations unies a recueilli plus de 900 témoignages sur les violations commises dans l'Est du pays."),
        ("none", "none", "Son mandat a été renouvelé par le Conseil des droits de l'homme en octobre."),
    ]),
    ("fr30", "minutes", ["1.3.h"], [
        ("eu", "raised", "L'UE a exprimé sa préoccupation concernant les restrictions imposées à l'enregistrement des communautés religieuses minoritaires."),
        ("partner", "informed", "La partie lorvanienne a indiqué que toutes les confessions enregistrées pouvaient pratiquer leur culte librement."),
    ]),
    ("fr31", "minutes", ["4.1.c", "4.2.d"], [
        ("eu", "informed", "L'UE a présenté le règlement européen sur l'intelligence artificielle."),
        ("eu", "raised", "Elle a demandé des garanties quant à l'utilisation de la reconnaissance faciale par la police dans les lieux publics."),
    ]),
    ("fr32", "report", ["1.2.d"], [
        ("none", "none", "Les personnes handicapées restent largement exclues du marché du travail, malgré le quota d'emploi de 5 % prévu par la loi."),
        ("partner", "committed", "Le gouvernement a annoncé qu'il ratifierait la Convention relative aux droits des personnes handicapées."),
    ]),
]

SENTENCES = [
    ("eu", "raised", "Nous avons exhorté les autorités à lever l'interdiction de voyager visant les dirigeants syndicaux."),
    ("eu", "raised", "Le représentant spécial de l'UE pour les droits de l'homme a évoqué le cas des opposants détenus."),
    ("eu", "raised", "Les États membres de l'UE ont condamné la condamnation à mort du militant."),
    ("eu", "supported", "Des diplomates de l'UE ont assisté à l'audience du procès des huit étudiants."),
    ("eu", "supported", "L'UE consacrera 8 millions d'euros au renforcement de l'état civil."),
    ("eu", "welcomed", "L'UE se félicite de la libération des journalistes détenus."),
    ("eu", "informed", "Le SEAE a informé les États membres des résultats de la mission."),
    ("partner", "committed", "Le Premier ministre a promis une enquête indépendante sur les violences du 12 mars."),
    ("partner", "committed", "La Norvalie a accepté la recommandation relative à l'abolition de la peine de mort."),
    ("partner", "rejected", "Le gouvernement a démenti toute implication des forces de sécurité dans les disparitions."),
    ("partner", "rejected", "Les autorités ont refusé l'accès des observateurs aux centres de détention."),
    ("partner", "informed", "Le ministère de l'Intérieur a déclaré que 200 personnes avaient été libérées."),
    ("partner", "welcomed", "La partie sahelistanaise s'est félicitée de l'appui de l'UE au processus électoral."),
    ("civil_society", "raised", "Amnesty International a appelé à la libération immédiate des manifestants."),
    ("civil_society", "informed", "L'Ordre des avocats a signalé que plusieurs avocats avaient été menacés."),
    ("civil_society", "raised", "Les familles des victimes ont demandé l'ouverture d'un procès."),
    ("civil_society", "welcomed", "Les syndicats ont salué la hausse du salaire minimum."),
    ("international", "raised", "Le Haut-Commissaire des Nations unies aux droits de l'homme a exhorté le gouvernement à suspendre les exécutions."),
    ("international", "informed", "Le Comité des droits de l'enfant a noté la persistance du travail des enfants dans les mines d'or."),
    ("international", "welcomed", "Le Conseil de l'Europe a salué l'adoption de la nouvelle loi électorale."),
    ("international", "supported", "Le PNUD appuie la réforme de la justice avec un projet de 3 millions de dollars."),
    ("international", "raised", "Les États-Unis et le Canada ont également exprimé leur préoccupation."),
    ("none", "none", "Le Parlement a adopté le nouveau code pénal le 3 mai."),
    ("none", "none", "L'audience a été reportée au 15 octobre."),
    ("none", "none", "Le procès des militants se poursuit."),
]
