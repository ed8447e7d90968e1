"""The cues that mark a capitalised word sequence as a person's name, in English and French.

Written from the way human rights reporting names people (honorifics, role nouns such as "human
rights defender", appositions such as ", a journalist", arrest verbs, lists of detainees, e-mail
headers, salutations and signatures), not from any test set. Patterns that end in ``$`` are matched
against the text just before a candidate name; those that start with ``^`` against the text after.
"""

from __future__ import annotations

import regex

# A name word: capitalised, with accents, inner apostrophes (O'Brien, N'Guessan), hyphens
# (Okonkwo-Bello) and Arabic or Irish prefixes (al-Harbi, d'Estaing).
WORD = (r"(?:(?:[Aa]l|[Ee]l|[Aa]d|[Aa]sh|[Aa]bu|[Ii]bn|[Bb]in|[Bb]en|[Oo]uld|[Dd]|[Oo]|Mc)['’\-])?"
        r"\p{Lu}[\p{Ll}\p{Lu}\p{M}]*(?:['’]\p{Lu}[\p{L}\p{M}]*)?(?:-\p{L}[\p{L}\p{M}]*)*")
INITIAL = r"\p{Lu}\.(?:-\p{Lu}\.)?"
PARTICLES = ("de la", "de", "du", "des", "del", "della", "der", "den", "van", "von", "da", "das", "do", "dos",
             "di", "le", "la", "bin", "ben", "ibn", "bint", "al", "el", "ould", "ter", "ten", "y", "zu", "af", "av")
PARTICLE = "(?:" + "|".join(p.replace(" ", r"\s+") for p in PARTICLES) + ")"
_SP = r"[ \t\u00a0]+"
# A run of name words on one line; particles only between words.
RUN = regex.compile(
    rf"(?<![\p{{L}}\p{{M}}\d'’\-])(?:{INITIAL}{_SP})*{WORD}"
    rf"(?:(?:{_SP}{PARTICLE})*{_SP}(?:{INITIAL}|{WORD}))*"
    rf"(?![\p{{L}}\p{{M}}\d])"
)
TOKEN = regex.compile(rf"(?P<initial>{INITIAL})|(?P<particle>(?<!\S){PARTICLE}(?!\S))|(?P<word>{WORD})")

HONORIFIC = (r"(?:Mr|Mrs|Ms|Mx|Miss|Messrs|Dr|Drs|Prof|Professor|Sir|Dame|Lady|Lord|Rev|Revd|Reverend|Fr|"
             r"Father|Sister|Sheikh|Cheikh|Imam|Pastor|Pasteur|Bishop|Mgr|Monseigneur|"
             r"Hon|Senator|M\.|MM|Mme|Mmes|Mlle|Mlles|Me|Maître|Maitre|Docteur|Pr|Professeur|Monsieur|"
             r"Messieurs|Madame|Mesdames|Mademoiselle|Père|Sœur|Soeur|Abbé|Juge)")

_ROLE_EN = (r"(?:women|woman)\s+human\s+rights\s+defenders?|human\s+rights\s+(?:defenders?|activists?|lawyers?)|"
            r"(?:environmental|land|indigenous)\s+(?:rights\s+)?(?:defenders?|activists?|leaders?)|defenders?|"
            r"activists?|(?:photo)?journalists?|reporters?|editors?(?:-in-chief)?|correspondents?|bloggers?|"
            r"lawyers?|attorneys?|advocates?|counsel|barristers?|judges?|trade\s+unionists?|unionists?|"
            r"(?:union|student|community|religious|opposition|party)\s+leaders?|students?|teachers?|"
            r"professors?|academics?|researchers?|scholars?|writers?|poets?|artists?|musicians?|rappers?|"
            r"cartoonists?|film-?makers?|doctors?|nurses?|medics?|detainees?|(?:political\s+)?prisoners?"
            r"(?:\s+of\s+conscience)?|dissidents?|opponents?|opposition\s+(?:figure|politician|MP)s?|MPs?|"
            r"members?\s+of\s+parliament|politicians?|whistle-?blowers?|environmentalists?|pastors?|priests?|"
            r"imams?|monks?|nuns?|farmers?|protesters?|demonstrators?|witness(?:es)?|victims?|survivors?|"
            r"plaintiffs?|applicants?|complainants?|the\s+accused|defendants?|suspects?|relatives?|colleagues?|"
            r"clients?|refugees?|migrants?|asylum\s+seekers?|(?:co-)?founders?|directors?|"
            r"coordinators?|spokes(?:person|man|woman)|chair(?:person|man|woman)?|members?|"
            r"(?:his|her|their|the)\s+(?:wife|husband|son|daughter|brother|sister|mother|father|cousin|uncle|"
            r"aunt|partner|fianc[ée]e?|widow|lawyer|colleague|client)|widow|"
            r"named|called|known\s+as|identified\s+as|alias|a\.?k\.?a\.?|n[ée]e|the\s+late|"
            r"the\s+(?:arrest|detention|killing|murder|disappearance|abduction|trial|sentencing|"
            r"conviction|prosecution)\s+of")
_ROLE_FR = (r"d[ée]fen(?:seur|seure|seuse)s?\s+des\s+droits\s+(?:humains|de\s+l['’]homme|de\s+la\s+personne|"
            r"des\s+femmes)|d[ée]fen(?:seur|seure|seuse)s?|militante?s?|activistes?|(?:photo)?journalistes?|"
            r"reporters?|r[ée]dact(?:eur|rice)s?(?:\s+en\s+chef)?|correspondante?s?|blogu?eu(?:r|se)s?|"
            r"avocate?s?|syndicalistes?|dirigeante?s?\s+syndica(?:l|le|ux|les)|[ée]tudiante?s?|"
            r"enseignante?s?|professeure?s?|chercheu(?:r|se)s?|universitaires?|[ée]crivaine?s?|"
            r"po[èe]te(?:sse)?s?|artistes?|musicien(?:ne)?s?|rappeu(?:r|se)s?|caricaturistes?|cin[ée]astes?|"
            r"m[ée]decins?|infirmi(?:er|[èe]re)s?|d[ée]tenue?s?|prisonni(?:er|[èe]re)s?(?:\s+politiques?|"
            r"\s+d['’]opinion)?|dissidente?s?|opposante?s?|d[ée]put[ée]e?s?|parlementaires?|"
            r"(?:homme|femme)s?\s+politiques?|lanceu(?:r|se)s?\s+d['’]alerte|[ée]cologistes?|leaders?|"
            r"chefs?\s+coutumiers?|pasteurs?|pr[êe]tres?|imams?|agriculteurs?|agricultrices?|manifestante?s?|"
            r"t[ée]moins?|victimes?|plaignante?s?|requ[ée]rante?s?|pr[ée]venue?s?|accus[ée]e?s?|suspecte?s?|"
            r"(?:son|sa|leur|l['’])\s*(?:[ée]pouse|[ée]poux|mari|femme|fils|fille|fr[èe]re|s(?:œ|oe)ur|m[èe]re|"
            r"p[èe]re|cousine?|oncle|tante|avocate?|coll[èe]gue|cliente?|compagnon|compagne|veuve)|"
            r"coll[èe]gues?|ressortissante?s?|r[ée]fugi[ée]e?s?|migrante?s?|fondat(?:eur|rice)s?|"
            r"cofondat(?:eur|rice)s?|coordinat(?:eur|rice)s?|direct(?:eur|rice)s?|pr[ée]sidente?s?|"
            r"porte-parole|membres?|(?:d[ée])?nomm[ée]e?|dite?|alias|n[ée]e|feue?|"
            r"l['’](?:arrestation|enl[èe]vement|assassinat|interpellation)\s+de|"
            r"la\s+(?:d[ée]tention|lib[ée]ration|disparition|condamnation)\s+de|"
            r"le\s+(?:meurtre|proc[èe]s)\s+de")
# Role nouns are lower case in running text: a capitalised "National" or "Student" is part of an
# institution's name ("National Education Law", "Student Assessment"), not a cue. Only at the start
# of a sentence or line may a role be capitalised ("Journalist Pedro Ríos ...").
ROLE = rf"(?:{_ROLE_EN}|{_ROLE_FR})"
ROLE_CUE = (rf"(?:(?<![\p{{L}}\-]){ROLE}"
            rf"|(?<=(?:^|[.!?]|\n)[ \t\u00a0\"“«(]*)(?i:{ROLE}))")
# Phrases that also introduce places and institutions ("in the case of Africa"): a weak cue.
_CASES = r"(?:individual\s+)?cases(?:\s+raised)?"
ROLE_WEAK = (rf"(?i:(?<!\p{{L}})(?:the\s+)?cases?\s+of|{_CASES}|the\s+(?:situation|release)\s+of|"
             r"l[ea]s?\s+cas\s+de|l['’]affaire|la\s+(?:situation|lib[ée]ration)\s+de)")
HONORIFIC_WORD = regex.compile(HONORIFIC + r"\.?")
ROLE_WORD = regex.compile(rf"(?i:{ROLE}|{ROLE_WEAK})")

# French puts adjectives after the noun ("militante féministe X", "journaliste d'investigation X",
# "avocat congolais X"): one such word, by its ending, may sit between the role and the name.
_POSTMOD = (r"(?!(?:receive|give|live|have|arrive|leave|drive|strive|derive|survive|gave)[sdn]?(?!\p{L}))"
            r"(?:d['’]\p{Ll}{4,}|\p{Ll}[\p{Ll}\-]{2,}(?:iste|ienne?|aise?|aine?|ique|elle?|ive|if|ante?|"
            r"ée?|aire)s?)(?!\p{L})")

# Cues before a name. "strong" cues accept a single word ("Mr Oduya"); "weak" ones need two.
# Matched in reverse ((?r)): the search starts from the end, where every cue must end.
LEFT_STRONG = regex.compile(
    rf"(?r)(?:(?<![\p{{L}}.])(?:{HONORIFIC})\.?[ \t\u00a0]+"
    rf"|{ROLE_CUE}(?:[ \t]+{_POSTMOD}[ \t]+|[ \t\u00a0]*[,:]?[ \t\u00a0]+)(?:(?:{HONORIFIC})\.?[ \t]+)?"
    rf"|(?<!\p{{L}})(?:Dear|Cher|Chère|Chers|Chères|Bonjour|Hello|Hi)[ \t]+(?:(?:{HONORIFIC})\.?[ \t]+)?)$"
)
LEFT_WEAK = regex.compile(
    r"(?r)(?:(?i:(?<!\p{L})(?:met|met\s+with|meeting\s+with|meetings\s+with|spoke\s+(?:to|with)|visited|"
    r"according\s+to|rencontr[ée]e?s?|s['’]est\s+entretenue?\s+avec|entretien\s+avec|selon|d['’]apr[èe]s))"
    rf"[ \t\u00a0]+|{ROLE_WEAK}[ \t\u00a0]+"
    r"|(?i:(?:regards|sincerely|best\s+wishes|yours(?:\s+\w+)?|cordialement|bien\s+[àa]\s+vous|"
    r"salutations|respectueusement|amitiés)[ \t]*,?[ \t]*\n[ \t]*)"
    rf"|(?:{ROLE_CUE}|(?i:{_CASES}))\b[^.:\n]{{0,40}}:[ \t]*)$"
)
# A list item: a weak cue only in a text that speaks of people (a list of detainees, not of laws).
BULLET = regex.compile(r"(?r)(?m:^[ \t]*(?:[-•*–·▪]|\d{1,3}[.)]|\(?[a-z]\))[ \t]+)$")
# Cues after a name.
_VERB_EN = (r"arrested|detained|abducted|kidnapped|killed|murdered|shot|sentenced|convicted|charged|released|"
            r"summoned|questioned|interrogated|tortured|beaten|assaulted|threatened|harassed|disappeared|"
            r"missing|held|imprisoned|jailed|prosecuted|indicted|acquitted|deported|expelled|banned|barred|"
            r"placed|transferred|freed|pardoned|sued|fined|attacked|raided|searched|stopped|prevented|"
            r"denied|forced|injured|hospitali[sz]ed")
_VERB_FR = (r"arr[êe]t[ée]e?s?|d[ée]tenue?s?|enlev[ée]e?s?|tu[ée]e?s?|assassin[ée]e?s?|condamn[ée]e?s?|"
            r"inculp[ée]e?s?|lib[ée]r[ée]e?s?|convoqu[ée]e?s?|interpell[ée]e?s?|tortur[ée]e?s?|menac[ée]e?s?|"
            r"disparue?s?|emprisonn[ée]e?s?|poursuivie?s?|expuls[ée]e?s?|plac[ée]e?s?|transf[ée]r[ée]e?s?|"
            r"agress[ée]e?s?|frapp[ée]e?s?|port[ée]e?s?\s+disparue?s?|interrog[ée]e?s?|entendue?s?|"
            r"bless[ée]e?s?|emp[êe]ch[ée]e?s?|accus[ée]e?s?|jug[ée]e?s?")
_SPEECH = (r"said|told|stated|explained|added|reported|noted|claimed|argued|confirmed|denied|declared|"
           r"testified|recalled|insisted|believes|fears|asked|urged|described|a\s+d[ée]clar[ée]|"
           r"a\s+affirm[ée]|a\s+indiqu[ée]|a\s+expliqu[ée]|a\s+pr[ée]cis[ée]|a\s+d[ée]nonc[ée]|"
           r"a\s+rappel[ée]|a\s+t[ée]moign[ée]|a\s+inform[ée]|estime|craint|affirme|explique|d[ée]nonce")
RIGHT_STRONG = regex.compile(
    rf"^(?:[ \t]*,[ \t]*(?:(?:a|an|the|une?|la|le|l['’]|les|des|both|all|two|three|tous|toutes|deux|trois)"
    rf"[ \t]+)+(?:(?!(?:of|de|du|des|d)(?!\p{{L}}))[\p{{Ll}}\-]+[ \t]+){{0,2}}{ROLE}\b"
    rf"|[ \t]*\([ \t]*(?:\d{{1,3}}(?:[ \t]*(?:years?|ans|y\.?o\.?))?[ \t]*\)"
    rf"|(?!known|named|called|alias|dite?|n[ée]e)(?:{ROLE})\b)"
    rf"|[ \t]*,[ \t]*(?:aged[ \t]+|âgée?[ \t]+de[ \t]+)?\d{{1,3}}(?:[ \t]*(?:ans|years?(?:[ \t]+old)?))?[ \t]*,"
    rf"|'s[ \t]+(?:wife|husband|son|daughter|brother|sister|mother|father|lawyer|family|relatives|trial|"
    rf"arrest|detention|release|case))"
)
RIGHT_WEAK = regex.compile(
    rf"^(?:[ \t]*,[ \t]*{ROLE}\b"  # ", journalist": weak, since ", teachers are ..." is not about a name
    rf"|[ \t]+(?:was|were|has\s+been|had\s+been|have\s+been|is|are|remains?|remained|has|had|a|ont|avait|"
    rf"avaient|est|sont|était|étaient|reste|demeure|a\s+été|ont\s+été|avait\s+été|aurait\s+été)"
    rf"(?:[ \t]+\p{{Ll}}+){{0,2}}?[ \t]+(?:{_VERB_EN}|{_VERB_FR})\b"
    rf"|[ \t]+(?:{_SPEECH})\b"
    rf"|[ \t]*,[ \t]*(?:who|qui)\b)"
)
PEOPLE = regex.compile(rf"(?i:{ROLE}|{ROLE_WEAK}|persons?|people|individuals?|names?|personnes?|noms?|"
                       rf"individus|{_VERB_EN}|{_VERB_FR})")
# Between two names of one list: "X, Y and Z", "X et Y", "X ; Y".
JOIN = regex.compile(r"^[ \t]*(?:,|;|&|and|et|or|ou|as\s+well\s+as|ainsi\s+que|,[ \t]*and|,[ \t]*et)[ \t]*"
                     rf"(?:(?:{HONORIFIC})\.?[ \t]+)?$")
# E-mail header lines (English and French mail clients).
HEADER = regex.compile(r"(?m)^[ \t]*(?:From|To|Cc|CC|Bcc|BCC|Reply-To|Sender|De|À|A|Cci|Expéditeur|"
                       r"Destinataire|Destinataires|Envoyé\s+par)[ \t]*:[ \t]*(?P<value>[^\n]+)$")

# Capitalised words that are not names: sentence openers, institutions, places-in-general,
# English calendar words (French ones are lower-case, so a capitalised "Mai" is a name), mail-client
# words. A run is cut at them.
STOP = frozenset("""
the a an this that these those it its he she they we i you his her their our my in on at of for from to by
with without and or but if as after before during since until following according despite although while
when where whereas which who whom what how why also however moreover furthermore nevertheless meanwhile
yesterday today tomorrow last next later earlier recently finally first second third then thus therefore
both all each every some several many most no not none other another such there here please note see cf
ref re fw fwd tr urgent subject objet sent envoyé date thank thanks merci best kind regards sincerely yours
cordialement dear cher chère chers chères bonjour hello hi concerns interview contact whatsapp signal tel
tél phone email e-mail passport passeport id numéro number list liste individual those
le la les l un une des du de d au aux ce cet cette ces il elle ils elles on nous vous je son sa ses leur
leurs notre nos votre vos dans sur sous pour par avec sans entre vers chez et ou mais donc car ni si selon
depuis pendant après avant lors malgré comme quand où qui que quoi dont aussi toutefois cependant
néanmoins ensuite enfin hier aujourd'hui demain tous toutes chaque plusieurs aucun aucune autre autres voir
government gouvernement ministry ministère minister ministre president présidente présidence court cour
tribunal council conseil commission committee comité union nations united unies european européenne
européen african africaine africain republic république assembly assemblée parliament parlement senate sénat
police gendarmerie army armée military militaire delegation délégation embassy ambassade office bureau
agency agence authority autorité association foundation fondation fund fonds institute institut
university université school école party parti movement mouvement coalition network réseau forum centre
center watch international internationale national nationale human humains humain rights droits droit
amnesty defenders reporters journalists borders frontières law loi act decree décret code article
constitution convention protocol protocole declaration déclaration plan action strategy stratégie
programme program project projet report rapport resolution résolution statement dialogue summit sommet
conference conférence session meeting réunion item section annex annexe chapter chapitre page radio
television télévision tv news press presse times post journal monde media médias prison hospital hôpital
church église mosque mosquée street rue avenue road square place north south east west nord sud est ouest
central centrale region région province district city ville kingdom royaume state states état etats états
federal fédéral fédérale supreme suprême constitutional constitutionnel constitutionnelle high haut haute
special spécial spéciale rapporteur rapporteuse secretary secrétaire general général générale head chef
director directeur directrice ambassador ambassadeur ambassadrice deputy member members membre membres eu ue
un onu ngo ngos ong osc cso csos eeas seae ohchr hcdh undp pnud unicef icc cpi hrc upr epu covid focal
point team unit division department département service services task force group groupe working club
company ltd inc sa sarl bank banque commissariat oecd ocde unesco unhcr hcr ilo oit unodc wfp pam iom oim
osce ecowas cedeao sadc igad icrc cicr nato otan imf fmi africa afrique america americas amérique amériques asia
asie europe caribbean caraïbes pacific pacifique latin latine middle sahel maghreb balkans gulf golfe
non-governmental governmental islamic catholic christian muslim orthodox protestant muslims christians
monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december
""".split())
