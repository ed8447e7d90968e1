"""Country names in English and French, for partner-country detection.

Each line: the English short name used as the canonical value, then other names (French, long
forms) that mean the same country. EU member states are marked: the EU is rarely the subject of
its own reports, so they count for less when choosing the partner country.
"""

from __future__ import annotations

EU_MEMBERS = {
    "Austria", "Belgium", "Bulgaria", "Croatia", "Cyprus", "Czechia", "Denmark", "Estonia", "Finland", "France",
    "Germany", "Greece", "Hungary", "Ireland", "Italy", "Latvia", "Lithuania", "Luxembourg", "Malta",
    "Netherlands", "Poland", "Portugal", "Romania", "Slovakia", "Slovenia", "Spain", "Sweden",
}

_TABLE = """
Afghanistan
Albania|Albanie
Algeria|Algérie
Andorra|Andorre
Angola
Antigua and Barbuda|Antigua-et-Barbuda
Argentina|Argentine
Armenia|Arménie
Australia|Australie
Austria|Autriche
Azerbaijan|Azerbaïdjan
Bahamas
Bahrain|Bahreïn
Bangladesh
Barbados|Barbade
Belarus|Bélarus|Biélorussie
Belgium|Belgique
Belize
Benin|Bénin
Bhutan|Bhoutan
Bolivia|Bolivie
Bosnia and Herzegovina|Bosnie-Herzégovine
Botswana
Brazil|Brésil
Brunei|Brunéi Darussalam|Brunei Darussalam
Bulgaria|Bulgarie
Burkina Faso
Burundi
Cabo Verde|Cape Verde|Cap-Vert
Cambodia|Cambodge
Cameroon|Cameroun
Canada
Central African Republic|République centrafricaine|Centrafrique
Chad|Tchad
Chile|Chili
China|Chine
Colombia|Colombie
Comoros|Comores
Congo|Republic of the Congo|Congo-Brazzaville
Democratic Republic of the Congo|DRC|République démocratique du Congo|RDC
Costa Rica
Côte d'Ivoire|Ivory Coast
Croatia|Croatie
Cuba
Cyprus|Chypre
Czechia|Czech Republic|Tchéquie|République tchèque
Denmark|Danemark
Djibouti
Dominica|Dominique
Dominican Republic|République dominicaine
Ecuador|Équateur
Egypt|Égypte
El Salvador|Salvador
Equatorial Guinea|Guinée équatoriale
Eritrea|Érythrée
Estonia|Estonie
Eswatini|Swaziland
Ethiopia|Éthiopie
Fiji|Fidji
Finland|Finlande
France
Gabon
Gambia|Gambie
Georgia|Géorgie
Germany|Allemagne
Ghana
Greece|Grèce
Grenada|Grenade
Guatemala
Guinea|Guinée
Guinea-Bissau|Guinée-Bissau
Guyana
Haiti|Haïti
Honduras
Hungary|Hongrie
Iceland|Islande
India|Inde
Indonesia|Indonésie
Iran
Iraq|Irak
Ireland|Irlande
Israel|Israël
Italy|Italie
Jamaica|Jamaïque
Japan|Japon
Jordan|Jordanie
Kazakhstan
Kenya
Kiribati
Kosovo
Kuwait|Koweït
Kyrgyzstan|Kirghizistan|Kyrgyz Republic
Laos|Lao People's Democratic Republic
Latvia|Lettonie
Lebanon|Liban
Lesotho
Liberia|Libéria
Libya|Libye
Liechtenstein
Lithuania|Lituanie
Luxembourg
Madagascar
Malawi
Malaysia|Malaisie
Maldives
Mali
Malta|Malte
Marshall Islands|Îles Marshall
Mauritania|Mauritanie
Mauritius|Maurice
Mexico|Mexique
Micronesia|Micronésie
Moldova|Moldavie|Republic of Moldova
Monaco
Mongolia|Mongolie
Montenegro|Monténégro
Morocco|Maroc
Mozambique
Myanmar|Burma|Birmanie
Namibia|Namibie
Nauru
Nepal|Népal
Netherlands|Pays-Bas
New Zealand|Nouvelle-Zélande
Nicaragua
Niger
Nigeria|Nigéria
North Korea|Democratic People's Republic of Korea|DPRK|Corée du Nord
North Macedonia|Macédoine du Nord
Norway|Norvège
Oman
Pakistan
Palau|Palaos
Palestine|State of Palestine|Occupied Palestinian Territory
Panama
Papua New Guinea|Papouasie-Nouvelle-Guinée
Paraguay
Peru|Pérou
Philippines
Poland|Pologne
Portugal
Qatar
Romania|Roumanie
Russia|Russian Federation|Fédération de Russie|Russie
Rwanda
Saint Kitts and Nevis|Saint-Kitts-et-Nevis
Saint Lucia|Sainte-Lucie
Saint Vincent and the Grenadines|Saint-Vincent-et-les-Grenadines
Samoa
San Marino|Saint-Marin
Sao Tome and Principe|Sao Tomé-et-Principe
Saudi Arabia|Arabie saoudite
Senegal|Sénégal
Serbia|Serbie
Seychelles
Sierra Leone
Singapore|Singapour
Slovakia|Slovaquie
Slovenia|Slovénie
Solomon Islands|Îles Salomon
Somalia|Somalie
South Africa|Afrique du Sud
South Korea|Republic of Korea|Corée du Sud
South Sudan|Soudan du Sud
Spain|Espagne
Sri Lanka
Sudan|Soudan
Suriname
Sweden|Suède
Switzerland|Suisse
Syria|Syrian Arab Republic|Syrie
Taiwan
Tajikistan|Tadjikistan
Tanzania|United Republic of Tanzania|Tanzanie
Thailand|Thaïlande
Timor-Leste|East Timor
Togo
Tonga
Trinidad and Tobago|Trinité-et-Tobago
Tunisia|Tunisie
Türkiye|Turkey|Turquie
Turkmenistan|Turkménistan
Tuvalu
Uganda|Ouganda
Ukraine
United Arab Emirates|Émirats arabes unis|UAE
United Kingdom|UK|Royaume-Uni
United States|United States of America|USA|États-Unis
Uruguay
Uzbekistan|Ouzbékistan
Vanuatu
Venezuela
Viet Nam|Vietnam
Western Sahara|Sahara occidental
Yemen|Yémen
Zambia|Zambie
Zimbabwe
"""


def country_names() -> dict[str, str]:
    """Every known name (as written) -> the canonical English name."""
    names: dict[str, str] = {}
    for line in _TABLE.strip().splitlines():
        forms = [form.strip() for form in line.split("|")]
        for form in forms:
            names[form] = forms[0]
    return names
