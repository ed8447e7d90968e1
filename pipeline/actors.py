"""Who said it: an ``actor`` and an ``act`` for each sentence, in English and French.

- ``actor``: ``eu``, ``partner`` (the partner's government side and state bodies), ``civil_society``,
  ``international`` (UN and other international bodies, third states), ``none`` (a narrative or
  factual sentence with no speaking party).
- ``act``: ``raised``, ``welcomed``, ``committed``, ``informed``, ``rejected``, ``supported``, ``none``.

Rules, not a model: the speaking party is the earliest actor mention before the sentence's first
act verb (its grammatical subject in the reporting style of minutes and démarches); a sentence
opening with a pronoun ("It", "He", "Elle") takes the actor of the sentence before it, "we" in an
EU text is the EU, and a "Meridian side:" line of minutes sets the speaker of what follows. The
act is that first act verb's class; EU or international funding, assistance, trial observation and
visits are ``supported`` wherever they appear in the first clause. Emphasis ("stressed", "a
souligné") raises a point when the EU or an international body makes it and informs when the
partner or civil society does. A second clause with its own act verb ("... and offered technical
assistance") gives a second pair. A sentence without any act verb is a factual one: ``none`` /
``none``. Everything is regular expressions over the lower-cased sentence, so it
costs a small fraction of the encoder's time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.classify.text import guess_language
from pipeline.segment import split_sentences

ACTORS = ("eu", "partner", "civil_society", "international", "none")
ACTS = ("raised", "welcomed", "committed", "informed", "rejected", "supported", "none")


def _rx(*alternatives: str) -> re.Pattern:
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])")


_EU_STATES = ("austria|belgium|bulgaria|croatia|cyprus|czechia|the czech republic|denmark|estonia|finland|france|"
              "germany|greece|hungary|ireland|italy|latvia|lithuania|luxembourg|malta|the netherlands|poland|"
              "portugal|romania|slovakia|slovenia|spain|sweden|l'autriche|la belgique|l'allemagne|la grèce|"
              "l'irlande|l'italie|les pays-bas|la pologne|l'espagne|la suède|la finlande|le danemark")

# actor mentions, lower-cased text; order matters only for ties at the same position
ACTOR_PATTERNS: dict[str, re.Pattern] = {
    "eu": _rx(r"eu", r"the eu's", r"european union", r"union européenne", r"l'union(?! des | de | du | d')", r"ue",
              r"l'ue", r"eeas", r"seae", r"eusr", r"(?:eu |european )commissioner", r"commissioner for (?:international "
              r"partnerships|neighbourhood|enlargement|equality|home affairs|justice|trade|democracy)",
              r"commissaire européenne?", r"high representative", r"haut représentant", r"head of delegation",
              r"heads? of mission", r"chefs? de (?:délégation|mission)", r"member states", r"états membres",
              r"(?:the|la) (?:eu |european )?d[ée]l[ée]gation(?= (?:has |have |had |will |a |ont |is |was |s'|se |"
              r"est |organi|funds|awarded|approached|conveyed|raised|observed|visited|met|urged|asked|welcomed|"
              r"encouraged)|[,.;])",
              r"eu (?:delegation|ambassadors?|diplomats?|side|heads of mission|member states)",
              r"ambassadors? of (?:" + _EU_STATES + r")", r"ambassadeurs? (?:de l'ue|de l'union)",
              r"diplomates de l'ue", r"partie européenne", r"european commission", r"commission européenne",
              r"we", r"nous", r"european parliament", r"parlement européen"),
    "international": _rx(r"un", r"united nations", r"nations unies", r"onu", r"ohchr", r"hcdh", r"unhcr", r"hcr",
                         r"unicef", r"undp", r"pnud", r"unfpa", r"fnuap", r"ilo", r"oit", r"iom", r"oim", r"unesco",
                         r"unodc", r"osce", r"odihr", r"bidddh", r"icc", r"high commissioner", r"haut-commissaire",
                         r"special rapporteurs?", r"rapporteurs? spéciale?s?", r"(?:un |the )?committee (?:of experts|"
                         r"against|on the|on economic)", r"human rights committee", r"comité (?:des|contre|pour)",
                         r"council of europe", r"conseil de l'europe", r"venice commission(?= (?:found|said|stated|"
                         r"noted|recommended|welcomed|called|urged|concluded))", r"commission of inquiry",
                         r"commission d'enquête", r"fact-finding mission", r"world bank", r"banque mondiale", r"imf",
                         r"fmi", r"african union", r"union africaine", r"secretary-general", r"secrétaire général des "
                         r"nations unies", r"the united states", r"united states", r"the us", r"the united kingdom",
                         r"united kingdom", r"the uk", r"canada", r"norway", r"switzerland", r"japan", r"australia",
                         r"china", r"russia", r"les états-unis", r"états-unis", r"le royaume-uni", r"royaume-uni",
                         r"le canada", r"la norvège", r"la suisse", r"le japon", r"la chine", r"la russie",
                         r"third states", r"états tiers", r"treaty bodies", r"organes conventionnels", r"upr working group"),
    "civil_society": _rx(r"ngos?", r"ongs?", r"civil society(?: organi[sz]ations)?", r"(?:la )?société civile",
                         r"csos?", r"osc", r"(?:\w+ )?organi[sz]ations?", r"(?:les |des )?associations?(?: \w+)?",
                         r"(?:women )?human rights defenders?", r"defenders?", r"défenseur(?:e|s|es)?(?: des droits)?",
                         r"activists?", r"militants?", r"militantes?", r"journalists?", r"journalistes?",
                         r"(?:trade |the )?unions?", r"confederation of trade unions", r"syndicats?", r"bar association",
                         r"ordre des avocats", r"barreau", r"lawyers?", r"avocats?", r"victims?", r"victimes?",
                         r"families", r"relatives", r"familles", r"opposition(?: party| parties| leaders?)?",
                         r"l'opposition", r"partis? d'opposition", r"amnesty(?: international)?", r"human rights watch",
                         r"hrw", r"fidh", r"reporters without borders", r"reporters sans frontières", r"rsf",
                         r"community leaders", r"leaders communautaires", r"(?:digital rights |rights |women's |"
                         r"advocacy )?groups", r"coalition(?: d'ong| of ngos| d'observateurs| of observers)?",
                         r"(?:domestic|citizen|national) observers", r"observateurs nationaux", r"think tanks?",
                         r"academics", r"universitaires", r"students?", r"étudiants?", r"protesters", r"manifestants",
                         r"peuples autochtones(?= (?:dénoncent|demandent|réclament))",
                         r"indigenous (?:leaders|communities)(?= (?:denounced|said|called|told))"),
    "partner": _rx(r"(?:the )?(?!eu |european )[a-z]+ side", r"la partie (?!européenne)[a-zàâçéèêëîïôûùüÿ]+",
                   r"(?:the )?(?!eu |european )[a-z]+(?:ian|an|ese|ish|i) delegation",
                   r"la délégation (?!de l'ue|européenne)[a-zàâçéèêëîïôûùüÿ]+(?:aise|ais|ienne|ien|ane|an|e|ique)",
                   r"(?:the )?(?:deputy |vice[- ])?(?:prime )?minist(?:er|ers|ry|ries)(?: of [a-z ]+?)?",
                   r"(?:the )?[a-z]+ ministry", r"(?:le |la |les )?(?:vice-)?(?:premier )?ministres?",
                   r"(?:le |la )?minist[èe]re", r"secrétaire d'état", r"(?:the )?government", r"(?:le )?gouvernement",
                   r"(?:the )?authorities", r"(?:les )?autorités", r"(?:the )?president(?: of the republic)?",
                   r"(?:le )?président de la république", r"(?:the )?(?:state )?prosecutor(?:-general| general)?",
                   r"(?:le )?procureur(?: général)?", r"(?:the )?public prosecution(?: service)?",
                   r"(?:the )?prosecution service", r"(?:le )?parquet(?: général)?", r"(?:le )?ministère public", r"(?:the )?police", r"(?:la )?police", r"gendarmerie",
                   r"(?:the )?security forces", r"forces de sécurité", r"spokesperson", r"porte-parole",
                   r"(?:the )?(?:anti-corruption )?agency", r"(?:the )?(?:director|directeur|directrice)(?: [a-z]+)*",
                   r"secretary-general of the ministry", r"secrétaire général du ministère",
                   r"(?:the )?(?:electoral|election) commission", r"commission électorale(?: nationale)?",
                   r"(?:the )?(?:supreme|constitutional) court", r"cour (?:suprême|constitutionnelle)",
                   r"(?:the )?national assembly", r"(?:the )?parliament", r"(?:le )?parlement",
                   r"assemblée nationale", r"officials", r"responsables", r"(?:the )?interior ministry",
                   r"the state party", r"l'état partie", r"(?:the )?ombudsperson(?:'s office)?", r"(?:le )?médiateur"),
}

EMPHASIS = "emphasis"
# act verbs, lower-cased text
ACT_PATTERNS: dict[str, re.Pattern] = {
    "supported": _rx(r"funds", r"funded", r"finances", r"financed", r"co-?finances", r"co-?financed", r"is financing",
                     r"is funding", r"(?:will )?provide[sd]? (?:eur|usd|€|\$|funding|financial|technical|support|"
                     r"assistance|grants)", r"will provide", r"awarded (?:\w+ )?grants", r"grants? to",
                     r"technical assistance", r"offered (?:technical |its )?(?:assistance|support|expertise)",
                     r"observed the (?:\w+ )?(?:trial|hearing|proceedings)", r"trial observation", r"attended the (?:trial|hearing)",
                     r"organi[sz]ed a visit", r"visited", r"is supporting", r"supports", r"support(?:ed)? (?:the|a|for) "
                     r"(?:project|programme|reform|civil)", r"finance", r"financent", r"cofinance", r"consacrera",
                     r"appui(?:e|ent|era)?(?: budgétaire| financier| technique)?(?= (?:à|au|la|le|les|des|l'))",
                     r"son appui", r"soutient(?! que)", r"soutiennent(?! que)", r"a soutenu(?! que)",
                     r"apporte(?:nt)? (?:un |une |son |leur )?(?:appui|soutien|assistance)", r"a financé", r"a octroyé",
                     r"subventions?", r"assistance technique",
                     r"a offert (?:son|une) (?:appui|assistance)", r"ont assisté à l'audience",
                     r"a assisté (?:au procès|à l'audience)", r"a organisé (?:une|la|en \w+ sa) (?:visite|consultation)",
                     r"a organisé", r"organised (?:its|a|the) (?:annual )?consultation"),
    "committed": _rx(r"undert(?:ook|akes)", r"promised?", r"promises", r"pledged?", r"pledges", r"committed (?:itself )?to",
                     r"commits? to", r"has committed", r"agreed (?:to|that)", r"agrees to", r"have agreed", r"has agreed",
                     r"accepted", r"accepts", r"announced (?:that )?it would", r"assured (?:the eu |the delegation )?that",
                     r"(?:s'est|se sont) engagée?s?", r"a promis", r"ont promis", r"a accepté", r"ont accepté",
                     r"sont convenues?", r"est convenu", r"a annoncé qu'il (?:ratifierait|adopterait|créerait)",
                     r"a assuré que", r"s'engage", r"(?:gave|give|gives|provided) (?:its |his |her |their |firm |an )?"
                     r"assurances?", r"a donné (?:l'|des |son |sa )assurances?",
                     r"will (?:ratify|adopt|repeal|amend|establish|set up|abolish)"),
    "rejected": _rx(r"rejected", r"rejects", r"denied", r"denies", r"refused", r"refuses", r"dismissed", r"dismisses",
                    r"declined", r"declines", r"refuted", r"did not accept", r"would not", r"a rejeté", r"ont rejeté",
                    r"a démenti", r"ont démenti", r"a refusé", r"ont refusé", r"a nié", r"ont nié", r"a écarté",
                    r"a récusé", r"a contesté", r"a réfuté", r"rejette", r"refuse"),
    "welcomed": _rx(r"welcomed?", r"welcomes", r"commended", r"commends", r"praised", r"appreciated", r"thanked",
                    r"congratulated", r"takes? note", r"took note", r"not(?:ed|es?) with (?:satisfaction|appreciation)",
                    r"expressed (?:its |their |his |her )?appreciation", r"a not[ée] avec satisfaction",
                    r"prend note avec satisfaction",
                    r"a pris note avec satisfaction", r"a exprimé (?:sa|leur) satisfaction", r"a salué", r"ont salué", r"salue",
                    r"(?:se|s'est|s'était|se sont) félicitée?s?", r"se félicite(?:nt)?", r"a remercié", r"a félicité", r"a pris note",
                    r"prend note"),
    "raised": _rx(r"raised?", r"raises", r"expressed (?:its |their |his |her |the eu's )?(?:serious |deep |grave |"
                  r"strong )?(?:concerns?|regret|alarm|disappointment)", r"(?:voiced|conveyed|shared) (?:its |their |"
                  r"the eu's )?(?:serious |deep )?concerns?", r"called (?:on|for|upon)", r"calls (?:on|for|upon)",
                  r"urged?", r"urges", r"requested", r"requests", r"asked", r"asks", r"recalled", r"recalls",
                  r"reminded", r"condemned", r"condemns", r"reiterated", r"reiterates", r"recommended", r"recommends",
                  r"appeal(?:ed|s)? to", r"(?:stress|underlin|emphasi[sz]|highlight)(?:ed|es) the (?:need|importance)",
                  r"encouraged", r"encourages", r"regretted", r"regrets", r"deplored", r"deplores", r"insisted",
                  r"demanded", r"questioned", r"pressed", r"(?:is|are|was|were|remains?|remained) (?:deeply |gravely |"
                  r"seriously |particularly |very |also )?(?:concerned|alarmed|troubled)", r"notes? with (?:concern|regret)",
                  r"noted with (?:concern|regret)", r"(?:est|sont|reste|restent) (?:profondément |vivement )?"
                  r"(?:préoccupée?s?|inquiète?s?)", r"prend note avec (?:préoccupation|regret)", r"approached", r"sought", r"described (?:the|it) \w+ as",
                  r"a soulevé", r"ont soulevé", r"soulever", r"évoquer", r"a recommandé", r"recommande", r"a lancé un appel",
                  r"a souligné l'importance", r"(?:s'est|se sont) (?:inquiétée?s?|interrogée?s?)",
                  r"a exprimé (?:sa|leur|ses) (?:vive |profonde )?(?:préoccupation|inquiétude|regret)s?",
                  r"ont exprimé (?:leur|leurs) (?:vive |profonde )?(?:préoccupation|inquiétude)s?",
                  r"exprime (?:sa|leur) préoccupation", r"a fait part de (?:la |sa )?(?:préoccupation|inquiétude)",
                  r"a appelé", r"ont appelé", r"appelle", r"a demandé", r"ont demandé", r"demande", r"demandent",
                  r"a exhorté", r"ont exhorté", r"exhorte", r"a rappelé", r"rappelle", r"a condamné", r"ont condamné",
                  r"condamne", r"a encouragé", r"encourage", r"a interrogé", r"a évoqué", r"a réitéré", r"a insisté",
                  r"regrette", r"déplore", r"dénoncent", r"dénonce", r"a dénoncé", r"réclament", r"ont effectué une "
                  r"démarche", r"a effectué une démarche", r"a plaidé", r"a souligné la nécessité"),
    "informed": _rx(r"presented", r"presents", r"explained", r"explains", r"reported", r"reports", r"replied",
                    r"replies", r"responded", r"said", r"says", r"stated", r"states that", r"noted", r"notes",
                    r"indicated", r"informed", r"briefed", r"told", r"documented", r"recorded", r"estimated?",
                    r"estimates", r"announced", r"confirmed", r"clarified", r"argued", r"claimed", r"maintained",
                    r"pointed out", r"outlined", r"(?:gave|provided) an overview", r"a fait valoir", r"a fait état",
                    r"a fait savoir", r"soutient que", r"a soutenu que", r"described", r"mentioned", r"gave an update",
                    r"provided information", r"according to", r"a présenté", r"ont présenté", r"a expliqué",
                    r"ont expliqué", r"a indiqué", r"ont indiqué", r"a répondu", r"ont répondu", r"a déclaré",
                    r"ont déclaré", r"a signalé", r"ont signalé", r"a noté", r"a relevé",
                    r"a recensé", r"a documenté", r"a recueilli", r"estiment", r"estime", r"a fait le point",
                    r"selon", r"a informé", r"a annoncé", r"a précisé", r"a affirmé", r"a confirmé", r"a mentionné",
                    r"a rapporté", r"ont rapporté", r"a décrit", r"a assuré"),
    # emphasis: the EU or an international body stressing a point raises it; a partner or civil
    # society stressing that something is so informs (resolved by _act_of)
    EMPHASIS: _rx(r"stressed", r"stresses", r"underlined", r"underlines", r"emphasi[sz]ed", r"emphasi[sz]es",
                  r"highlighted", r"highlights", r"a souligné", r"souligne", r"a mis l'accent sur"),
}

_PRONOUN = re.compile(r"^\W*(?:it|he|she|they|il|elle|ils|elles|celle-ci|celui-ci|the latter|ce dernier|cette dernière)\b")
_SPEAKER = re.compile(r"^\s*(?P<who>[A-ZÀ-Þ][\w'’ -]{0,40}?)\s+(?:side|delegation)\s*:|^\s*(?:partie|délégation)\s+"
                      r"(?P<fr>[\w'’ -]{1,40}?)\s*:", re.I | re.M)
# French auxiliaries and the adverbs that sit between them and the participle, folded so that one
# pattern ("a demandé") covers "ont également demandé", "avons demandé", "se sont félicités"
_FR_AUX = [(re.compile(r"(?<![\w-])(?:ont|avons|avez|ai|as)(?= )"), "a"),
           (re.compile(r"(?<![\w-])(?:se sont|nous sommes|me suis|s'étaient|s'était)(?= )"), "s'est"),
           (re.compile(r"(?:(?<=\ba )|(?<=s'est ))(?:(?:également|aussi|déjà|encore|de nouveau|à nouveau|vivement|fermement|"
                       r"notamment|alors|ensuite|enfin|par ailleurs|toutefois|cependant),? )+"), "")]
_COUNTRY_ARTICLE = re.compile(r"^\s*(?:La |Le |L')(?=[A-ZÀ-Þ])")  # "La Norvalie a accepté ..."
_CLAUSE = re.compile(r",? (?:and|but|while|whereas|et|mais|tandis que|alors que) |; ")


@dataclass(frozen=True)
class Attribution:
    """The actor and act of one sentence (``start``/``end`` into the text it came from), with a
    second pair when a second clause has an act of its own."""

    start: int
    end: int
    actor: str
    act: str
    actor2: str | None = None
    act2: str | None = None

    def as_dict(self) -> dict:
        out = {"start": self.start, "end": self.end, "actor": self.actor, "act": self.act}
        if self.actor2:
            out.update(actor2=self.actor2, act2=self.act2)
        return out


def _first(patterns: dict[str, re.Pattern], text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """(position, end, class) of every match of every class, in order of position."""
    found = []
    for name, pattern in patterns.items():
        for m in pattern.finditer(text, start, len(text) if end is None else end):
            found.append((m.start(), m.end(), name))
    return sorted(found, key=lambda f: (f[0], -(f[1] - f[0])))


def _resolved(act: str, actor: str) -> str:
    """An act class, with emphasis read by who stresses the point."""
    if act != EMPHASIS:
        return act
    return "raised" if actor in ("eu", "international") else "informed"


def _act_of(acts: list[tuple[int, int, str]], actor: str) -> tuple[int, str] | None:
    """The position and class of the sentence's act: funding and assistance by the EU or an
    international body wherever it appears, else the first act verb."""
    if not acts:
        return None
    acts = [(pos, end, _resolved(name, actor)) for pos, end, name in acts]
    if actor in ("eu", "international"):
        for pos, _, name in acts:
            if name == "supported":
                return pos, name
    for pos, _, name in acts:
        if name != "supported" or actor in ("eu", "international", "none"):
            return pos, name
    return acts[0][0], acts[0][2]


def _speaker_class(name: str) -> str:
    low = name.lower().strip()
    if re.search(r"\b(?:eu|ue|european|européenne|union)\b", low):
        return "eu"
    return "partner"


def attribute(sentence: str, previous: str | None = None, speaker: str | None = None) -> tuple[str, str, str | None, str | None]:
    """(actor, act, actor2, act2) of one sentence. ``previous`` is the actor of the sentence
    before it (for "It ...", "Elle ..."), ``speaker`` the party a "X side:" line gave the floor to."""
    low = sentence.lower().replace("’", "'")
    for pattern, repl in _FR_AUX:
        low = pattern.sub(repl, low)
    acts = _first(ACT_PATTERNS, low)
    if not acts:
        return "none", "none", None, None
    mentions = _first(ACTOR_PATTERNS, low)
    first_act = acts[0][0]
    before = [m for m in mentions if m[0] < first_act]
    if _PRONOUN.match(low) and previous and (not before or before[0][0] > 3):
        actor = previous
    elif before:
        actor = before[0][2]
    elif _PRONOUN.match(low):
        actor = speaker or "none"
    elif low.lstrip().startswith(("according to", "selon")) and mentions and mentions[0][0] < 30:
        actor = mentions[0][2]
    elif speaker:
        actor = speaker
    elif re.match(r"^\s*[A-ZÀ-Þ][a-zà-ÿ]+\s+(?:has |have |had |will |a |ont )?[a-zà-ÿ]+", named := _COUNTRY_ARTICLE.sub("", sentence)) \
            and not re.match(r"^\s*(?:the|le|la|les|this|these|ce|cette|ces|in|on|at|en|au|dans|after|après|since|"
                             r"depuis|during|pendant|some|several|plusieurs|three|two|four|trois|deux)\b", named.lower()):
        actor = "partner"  # "Norvalia accepted ...": the partner country named as subject
    else:
        actor = "none"
    boundary = _CLAUSE.search(low, first_act + 1)
    found = _act_of([a for a in acts if boundary is None or a[0] < boundary.start()], actor)
    act_pos, act = found if found else (first_act, "none")
    if actor == "none" and act in ("raised", "welcomed", "committed", "rejected", "supported") and not _PRONOUN.match(low):
        act = "none" if not mentions else act
    # a second clause with an act of its own
    actor2 = act2 = None
    for clause in _CLAUSE.finditer(low, act_pos + 1):
        later = [a for a in acts if a[0] > clause.end() - 1]
        if not later:
            break
        own = [m for m in mentions if clause.end() - 1 <= m[0] < later[0][0]]
        cand_actor = own[0][2] if own else actor
        later_act = _resolved(later[0][2], cand_actor)
        if later_act != act or cand_actor != actor:
            actor2, act2 = cand_actor, later_act
        break
    return actor, act, actor2, act2


def may_have(text: str, acts: tuple[str, ...]) -> bool:
    """False only when no sentence of ``text`` can have one of ``acts`` (none of their verbs occurs
    in it): a cheap test before :func:`attribute_text`, which splits sentences."""
    low = text.lower().replace("’", "'")
    folded = low
    for pattern, repl in _FR_AUX:
        folded = pattern.sub(repl, folded)
    wanted = set(acts) | ({EMPHASIS} if {"raised", "informed"} & set(acts) else set())
    return any(ACT_PATTERNS[a].search(t) for a in wanted for t in (low, folded))


def attribute_text(text: str, language: str | None = None) -> list[Attribution]:
    """One :class:`Attribution` per sentence of a passage, resolving pronouns to the sentence
    before and following "X side:" speaker lines."""
    lang = language or guess_language(text)
    spans = split_sentences(text, "fr" if lang == "fr" else "en") or [(0, len(text))]
    out: list[Attribution] = []
    previous: str | None = None
    speaker: str | None = None
    for start, end in spans:
        sentence = text[start:end]
        head = _SPEAKER.match(sentence)
        if head:
            speaker = _speaker_class(head.group("who") or head.group("fr") or "")
        actor, act, actor2, act2 = attribute(sentence, previous, speaker)
        out.append(Attribution(start, end, actor, act, actor2, act2))
        if actor != "none":
            previous = actor
    return out


@lru_cache(maxsize=256)
def _attributed(context: str) -> tuple[Attribution, ...]:
    """:func:`attribute_text` of a passage, kept: gold files list each of its sentences in turn."""
    return tuple(attribute_text(context))


def attribute_in_context(sentence: str, context: str | None = None) -> tuple[str, str]:
    """(actor, act) of ``sentence``, read in its passage when one is given (for pronouns and
    speaker lines); the sentence alone otherwise."""
    if context:
        pos = context.find(sentence)
        if pos >= 0:
            for a in _attributed(context):
                if a.start <= pos < a.end or (pos <= a.start < pos + len(sentence)):
                    return a.actor, a.act
            # the sentencizer split differently: resolve with the passage before it as context
            before = attribute_text(context[:pos]) if pos else []
            previous = next((a.actor for a in reversed(before) if a.actor != "none"), None)
            return attribute(sentence, previous)[:2]
    return attribute(sentence)[:2]
