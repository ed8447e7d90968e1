"""English passages of the in-domain dev set (see build_indomain_dev.py for how it was made).

Each passage: (id, doc_type, items, [(actor, act, sentence), ...]). The passage text is its
sentences joined by a space; items are what the passage is *about*, not every word it brushes.
"""

PASSAGES = [
    ("en01", "minutes", ["1.1.a"], [
        ("eu", "raised", "The EU reiterated its strong and principled opposition to the death penalty in all circumstances."),
        ("eu", "raised", "It called on Kestrania to reinstate the de facto moratorium on executions that had held since 2009."),
        ("partner", "informed", "The Kestranian side explained that the two executions carried out in May concerned persons convicted of terrorist murders."),
        ("partner", "rejected", "It rejected the suggestion that the death penalty was applied in a discriminatory manner."),
    ]),
    ("en02", "minutes", ["1.1.b", "1.5.e"], [
        ("eu", "raised", "The EU expressed concern about continued reports of ill-treatment in police custody and about severe overcrowding in the Varsk remand prison."),
        ("partner", "committed", "The Ministry of Justice undertook to open a new detention facility in 2024 and to install video recording in all interrogation rooms."),
        ("eu", "raised", "The EU encouraged the authorities to give the national preventive mechanism unrestricted access to all places of detention."),
    ]),
    ("en03", "demarche", ["1.1.c"], [
        ("eu", "raised", "Under instruction, the Head of Delegation conveyed the EU's concern over the arrest of woman human rights defender Lina Sorrel on 3 April."),
        ("eu", "raised", "He urged her immediate release and asked that she be allowed to see her lawyer."),
        ("partner", "informed", "The Deputy Minister replied that Ms Sorrel was being investigated for financial offences unrelated to her activism."),
    ]),
    ("en04", "report", ["1.3.e", "1.3.d"], [
        ("none", "none", "Three journalists of the independent weekly Ostrov Voice were detained during the reporting period and one remains in pre-trial detention."),
        ("civil_society", "informed", "The national union of journalists documented 41 cases of harassment and threats against media workers in 2023."),
        ("none", "none", "The criminal defamation provisions of the Penal Code continue to be used against critical reporting."),
    ]),
    ("en05", "minutes", [], [
        ("partner", "informed", "The Minister of Finance presented the government's medium-term economic plan, which foresees annual growth of 4.5% driven by mining exports."),
        ("partner", "informed", "He noted that inflation had fallen to 6% and that a new port would open in Calder in 2025."),
        ("eu", "welcomed", "The EU thanked the Minister for the presentation."),
    ]),
    ("en06", "minutes", ["1.1.l"], [
        ("eu", "raised", "The EU raised the draft law criminalising the 'promotion of non-traditional relationships', which would expose LGBTI persons to fines and imprisonment."),
        ("eu", "raised", "It called on Parliament not to adopt the bill."),
        ("partner", "rejected", "The Meridian side stated that the bill reflected the values of the majority and that it would not withdraw it."),
    ]),
    ("en07", "report", ["1.1.j"], [
        ("none", "none", "Domestic violence remains widespread: the police registered 12,400 complaints in 2023, while shelters exist in only three of the twelve regions."),
        ("partner", "committed", "The government has pledged to ratify the Istanbul Convention before the end of 2024."),
        ("eu", "supported", "The Delegation funds a helpline for survivors of gender-based violence run by a local women's organisation."),
    ]),
    ("en08", "statement", ["2.1.c", "2.1.d"], [
        ("eu", "welcomed", "The European Union takes note of the peaceful conduct of the presidential election of 12 March."),
        ("eu", "raised", "It regrets that key recommendations of the 2019 EU Election Observation Mission, notably on the independence of the election commission, remain unaddressed."),
        ("eu", "raised", "The EU calls on the authorities to implement them before the legislative elections."),
    ]),
    ("en09", "minutes", ["2.1.i"], [
        ("partner", "informed", "The Anti-Corruption Agency presented its annual report, which recorded 230 indictments of public officials, including two deputy ministers."),
        ("eu", "welcomed", "The EU welcomed the progress and the adoption of the asset declaration law."),
        ("eu", "raised", "It asked how the Agency's independence would be guaranteed after the planned merger with the Ministry of Interior."),
    ]),
    ("en10", "minutes", ["1.1.m", "1.4.c"], [
        ("eu", "raised", "On the rights of the child, the EU raised the persistence of child labour on cocoa plantations, where an estimated 90,000 children work."),
        ("partner", "committed", "The Ministry of Labour agreed to extend labour inspections to the southern districts and to share the results at the next dialogue."),
    ]),
    ("en11", "report", ["1.3.c", "1.3.b"], [
        ("none", "none", "The law on foreign-funded organisations adopted in January requires NGOs receiving more than 20% of their income from abroad to register as 'foreign agents'."),
        ("civil_society", "informed", "Some 60 organisations told the Delegation that they would suspend their activities rather than register."),
        ("international", "raised", "The UN Special Rapporteur on freedom of association described the law as incompatible with international standards."),
    ]),
    ("en12", "minutes", ["3.6.b"], [
        ("eu", "raised", "The EU encouraged Norvalia to prepare its mid-term report on the implementation of the recommendations it accepted in its third UPR cycle."),
        ("partner", "informed", "The Norvalian side explained that an inter-ministerial committee tracks the 182 accepted recommendations."),
        ("partner", "committed", "It promised to publish the mid-term report by September."),
    ]),
    ("en13", "minutes", ["1.4.h"], [
        ("partner", "informed", "The Minister of Health reported that maternal mortality had fallen by a third since 2018 thanks to 40 new rural health centres."),
        ("eu", "welcomed", "The EU welcomed these results."),
        ("eu", "raised", "It asked about the availability of essential medicines in the northern provinces."),
    ]),
    ("en14", "demarche", ["1.6.f"], [
        ("eu", "raised", "The EU Ambassador, together with the Ambassadors of France, Germany and the Netherlands, raised the disappearance of four student leaders after the protests of 8 November."),
        ("eu", "raised", "They requested information on their whereabouts and an independent investigation."),
        ("partner", "rejected", "The Minister of Interior denied that the students were held by the security forces."),
    ]),
    ("en15", "report", ["1.1.o"], [
        ("none", "none", "Some 45,000 refugees from the neighbouring conflict are hosted in two camps near the border."),
        ("international", "informed", "UNHCR reports that access to asylum procedures remains limited and that pushbacks at the northern border have been documented."),
        ("partner", "committed", "The authorities have agreed to adopt a national asylum law with UNHCR's technical support."),
    ]),
    ("en16", "minutes", ["1.3.f", "1.3.g"], [
        ("eu", "raised", "The EU expressed concern about the disproportionate use of force against peaceful demonstrators in the capital in February, when two protesters died."),
        ("eu", "raised", "It recalled that the right of peaceful assembly must be respected and asked for the findings of the inquiry."),
        ("partner", "informed", "The Meridian delegation said that the police had acted against violent groups and that eleven officers had been injured."),
    ]),
    ("en17", "minutes", ["4.2.c", "4.2.e"], [
        ("eu", "raised", "The EU raised the draft cybersecurity law, which would allow the interception of communications without a court order."),
        ("eu", "raised", "It recalled that any surveillance must be necessary and proportionate and that a data protection authority should oversee it."),
        ("partner", "committed", "The Ministry of Digital Affairs accepted to submit the draft to the Venice Commission for an opinion."),
    ]),
    ("en18", "minutes", ["3.4.b"], [
        ("eu", "welcomed", "The EU welcomed the re-accreditation of the Ombudsperson's Office with A status by GANHRI."),
        ("eu", "raised", "It encouraged the government to increase the Office's budget so that it can open regional branches."),
    ]),
    ("en19", "report", ["1.2.d"], [
        ("none", "none", "Children with disabilities are largely excluded from mainstream schools and most public buildings remain inaccessible."),
        ("partner", "informed", "The government reported that a national disability strategy is being drafted with organisations of persons with disabilities."),
    ]),
    ("en20", "minutes", ["3.5.a", "1.4.i"], [
        ("eu", "raised", "The EU recalled the UN Guiding Principles on Business and Human Rights and asked whether a national action plan would be adopted."),
        ("partner", "informed", "The Ministry of Economy explained that consultations with employers and trade unions on the plan had started."),
        ("civil_society", "raised", "The Confederation of Trade Unions, consulted beforehand, had called for stronger protection of workers in the export processing zones."),
    ]),
    ("en21", "statement", ["1.1.h", "1.3.h"], [
        ("eu", "raised", "The European Union condemns the attack on the Church of St Mark in Tessaly on Sunday, which killed nine worshippers."),
        ("eu", "raised", "Freedom of religion or belief must be protected for all, and the perpetrators must be brought to justice."),
    ]),
    ("en22", "minutes", ["2.1.a", "1.5.a"], [
        ("eu", "raised", "The EU raised the dismissal of eight Supreme Court judges by presidential decree and the lack of a transparent procedure for appointing their successors."),
        ("partner", "informed", "The Minister of Justice explained that the judges had reached retirement age under the new law."),
        ("eu", "raised", "The EU recalled that judicial independence requires security of tenure."),
    ]),
    ("en23", "report", ["3.3.c"], [
        ("none", "none", "Kestrania benefits from GSP+ trade preferences, which require the effective implementation of 27 international conventions."),
        ("eu", "informed", "The GSP+ monitoring mission of October found progress on labour inspections but no progress on the death penalty moratorium."),
    ]),
    ("en24", "minutes", [], [
        ("none", "none", "The meeting opened at 10:00 with a welcome by the co-chairs."),
        ("none", "none", "The agenda was adopted without changes and the next session was scheduled for the spring in Brussels."),
    ]),
    ("en25", "minutes", ["1.2.a", "2.2.a"], [
        ("eu", "raised", "The EU asked about the implementation of the 30% quota for women on candidate lists."),
        ("partner", "informed", "The Meridian side reported that women now hold 24% of seats in Parliament and three ministerial posts."),
        ("partner", "committed", "It undertook to extend the quota to municipal elections."),
    ]),
    ("en26", "report", ["2.3.d"], [
        ("none", "none", "Mobile internet was shut down nationwide for six days during the January protests and social media platforms remain blocked."),
        ("civil_society", "informed", "Digital rights groups estimate that the shutdown cost small businesses USD 40 million."),
    ]),
    ("en27", "minutes", ["1.6.e", "1.6.b"], [
        ("eu", "raised", "The EU asked about progress in prosecuting those responsible for the 2017 massacre in Lanor, for which no one has yet been convicted."),
        ("partner", "informed", "The Prosecutor-General said that twelve suspects had been identified."),
        ("eu", "raised", "The EU stressed that victims and their families are entitled to truth, justice and reparation."),
    ]),
    ("en28", "minutes", ["1.1.f"], [
        ("eu", "raised", "The EU raised the situation of the Hadri minority, whose language has been removed from the school curriculum in the eastern region."),
        ("partner", "informed", "The Ministry of Education replied that Hadri remains available as an optional subject."),
    ]),
    ("en29", "demarche", ["3.1.b"], [
        ("eu", "raised", "The EU Delegation approached the Ministry of Foreign Affairs to seek Veloria's support for the EU-led resolution on the situation in Myanmar at the Human Rights Council."),
        ("partner", "informed", "The Director for Multilateral Affairs said that Veloria would consider the text once it was tabled."),
    ]),
    ("en30", "report", ["1.4.e", "1.2.e"], [
        ("none", "none", "Forced evictions of indigenous communities to make way for palm oil plantations continued in the western provinces."),
        ("civil_society", "informed", "Community leaders told the Delegation that no free, prior and informed consent had been sought."),
    ]),
    ("en31", "minutes", ["1.1.i"], [
        ("eu", "welcomed", "The EU welcomed the repeal of the provisions of the Family Code that required a married woman to obtain her husband's consent to work."),
        ("partner", "committed", "The Meridian side committed to review the remaining discriminatory provisions on inheritance."),
    ]),
    ("en32", "minutes", ["1.3.j"], [
        ("eu", "raised", "The EU expressed concern about the dismissal of university lecturers who had signed a petition for peace."),
        ("partner", "rejected", "The Norvalian delegation dismissed the concern, saying universities were free to manage their staff."),
    ]),
    ("en33", "report", ["3.4.d", "1.3.c"], [
        ("eu", "supported", "Under the EIDHR country-based support scheme, the Delegation awarded grants to nine civil society organisations working on civic space."),
        ("none", "none", "Two of the grantees have since been subject to tax inspections."),
    ]),
    ("en34", "minutes", ["1.5.b"], [
        ("partner", "informed", "The Ministry of Justice presented the new legal aid law, which will provide free lawyers to defendants who cannot afford one."),
        ("eu", "welcomed", "The EU welcomed the law."),
        ("eu", "supported", "It offered technical assistance for setting up legal aid offices in the regions."),
    ]),
]

# Sentences without a passage of their own: EU texts and third parties, to cover every actor and act.
SENTENCES = [
    ("eu", "raised", "We urged the authorities to lift the travel ban imposed on the editor of the Daily Herald."),
    ("eu", "raised", "The EU Special Representative for Human Rights raised the case of the detained blogger with the Foreign Minister."),
    ("eu", "raised", "EU Heads of Mission called for a fair and transparent trial for the opposition leader."),
    ("eu", "supported", "EU diplomats observed the hearing in the trial of the five activists on 14 June."),
    ("eu", "supported", "The EU will provide EUR 5 million to support the reform of the prison system over the next three years."),
    ("eu", "supported", "The Delegation organised a visit of the EU Ambassadors to the refugee camp in Dalla."),
    ("eu", "welcomed", "The EU welcomes the release of the fourteen political prisoners pardoned on Independence Day."),
    ("eu", "informed", "The EU side presented the new EU Action Plan on Human Rights and Democracy."),
    ("eu", "informed", "The EEAS briefed Member States on the outcome of the dialogue."),
    ("partner", "committed", "The Prime Minister pledged that the state of emergency would be lifted by the end of the month."),
    ("partner", "committed", "Norvalia accepted the recommendation to ratify the Optional Protocol to the Convention against Torture."),
    ("partner", "rejected", "The government refused to allow the Special Rapporteur to visit the country."),
    ("partner", "rejected", "The spokesperson of the Ministry of Foreign Affairs dismissed the report as interference in internal affairs."),
    ("partner", "informed", "The Interior Ministry stated that 312 persons had been released on bail since January."),
    ("partner", "welcomed", "The Kestranian side welcomed the EU's support for the electoral commission."),
    ("partner", "raised", "The Meridian delegation raised the treatment of Meridian nationals in EU asylum centres."),
    ("civil_society", "raised", "Human Rights Watch called on the authorities to drop all charges against the protesters."),
    ("civil_society", "informed", "The Bar Association reported that lawyers representing the detainees had been denied access to their clients."),
    ("civil_society", "raised", "Relatives of the disappeared urged the commission to open the mass grave site to forensic experts."),
    ("civil_society", "welcomed", "Women's rights organisations welcomed the new law on domestic violence."),
    ("civil_society", "informed", "The opposition party said that 40 of its members had been arrested before the vote."),
    ("international", "raised", "The UN High Commissioner for Human Rights urged the government to halt the executions."),
    ("international", "informed", "The ILO Committee of Experts noted that forced labour persisted in the cotton harvest."),
    ("international", "welcomed", "The Council of Europe welcomed the abolition of the death penalty for all crimes."),
    ("international", "supported", "UNDP is supporting the modernisation of the civil registry with a EUR 2 million project."),
    ("international", "raised", "The United States and the United Kingdom also expressed concern at the verdict."),
    ("international", "informed", "OHCHR documented 120 cases of arbitrary detention in the first half of the year."),
    ("none", "none", "Parliament adopted the new Criminal Procedure Code on 3 May with 98 votes in favour."),
    ("none", "none", "The hearing was postponed to 12 September."),
    ("none", "none", "According to the latest census, 14% of the population belongs to ethnic minorities."),
    ("none", "none", "The trial of the five activists continues."),
]
