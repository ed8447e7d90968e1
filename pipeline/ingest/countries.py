"""Country names in English and French, with their ISO 3166-1 alpha-3 codes, for partner-country
detection.

The names come from ISO 3166 as ``pycountry`` keeps it: each entry's name, common name and
official name, their French translations from pycountry's locales, and the plain order of
inverted names ("Korea, Republic of" is written "Republic of Korea"). The canonical value stored
for a document is the short English name reports use (pycountry's common name, else its name),
except the few in CANONICAL; ALIASES holds the other names reports use that ISO does not.
EU member states are marked: the EU is rarely the subject of its own reports, so they count for
less when choosing the partner country.
"""

from __future__ import annotations

import gettext
from functools import lru_cache

EU_MEMBERS = {
    "Austria", "Belgium", "Bulgaria", "Croatia", "Cyprus", "Czechia", "Denmark", "Estonia", "Finland", "France",
    "Germany", "Greece", "Hungary", "Ireland", "Italy", "Latvia", "Lithuania", "Luxembourg", "Malta",
    "Netherlands", "Poland", "Portugal", "Romania", "Slovakia", "Slovenia", "Spain", "Sweden",
}

# The canonical name where reports (and workspaces made before ISO names) write it otherwise.
CANONICAL = {"BRN": "Brunei", "COD": "Democratic Republic of the Congo", "FSM": "Micronesia", "PSE": "Palestine",
             "RUS": "Russia", "VNM": "Viet Nam"}
# Names reports use that ISO 3166 and its French translation do not hold.
ALIASES = {
    "BLR": ["Biélorussie"], "CPV": ["Cape Verde"], "CAF": ["Centrafrique"], "COG": ["Congo-Brazzaville"],
    "COD": ["DRC", "RDC"], "CIV": ["Ivory Coast"], "GNQ": ["Guinée équatoriale"], "SWZ": ["Swaziland"],
    "MMR": ["Burma"], "NGA": ["Nigéria"], "PRK": ["DPRK", "North Korea"], "KOR": ["South Korea"],
    "RUS": ["Fédération de Russie", "Russie"], "KNA": ["Saint-Kitts-et-Nevis"], "SLB": ["Îles Salomon"],
    "TLS": ["East Timor"], "TUR": ["Turkey"], "ARE": ["UAE"], "GBR": ["UK"], "USA": ["USA"], "FSM": ["Micronésie"],
    "PSE": ["Occupied Palestinian Territory"],
}
# Outside ISO 3166-1: the code the EU and the IMF use.
EXTRA = {"XKX": ["Kosovo"]}
# ISO entries whose names are ordinary words in reports ("Réunion du dialogue", "New Jersey").
EXCLUDED = {"REU", "JEY"}


def _uninverted(name: str) -> str | None:
    """"Korea, Republic of" -> "Republic of Korea"; "Virgin Islands, British" -> "British Virgin
    Islands"; None for a name without a comma."""
    head, sep, tail = name.partition(", ")
    if not sep:
        return None
    tail = tail.strip()
    if tail.lower().startswith("the "):
        tail = tail[4:]
    out = f"{tail} {head}"
    return out[0].upper() + out[1:]


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, str], dict[str, str]]:
    """(every known name -> canonical name, canonical name -> alpha-3 code)."""
    import pycountry

    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"], fallback=True).gettext
    names: dict[str, str] = {}
    codes: dict[str, str] = {}
    for entry in pycountry.countries:
        if entry.alpha_3 in EXCLUDED:
            continue
        iso = [v for v in (getattr(entry, "common_name", None), entry.name, getattr(entry, "official_name", None)) if v]
        canonical = CANONICAL.get(entry.alpha_3) or _uninverted(iso[0]) or iso[0]
        forms = [canonical, *ALIASES.get(entry.alpha_3, [])]
        for name in iso:
            for form in (name, french(name)):
                forms += [form, _uninverted(form)]
        for form in forms:
            if form and form.lower().startswith("the "):  # "the State of Eritrea": reports write "Eritrea"
                form = form[4:]
            if form and form[0].isupper() and ", " not in form:
                names.setdefault(form, canonical)  # a form two entries share keeps the first
        codes[canonical] = entry.alpha_3
        codes[entry.alpha_2] = codes[entry.alpha_3] = entry.alpha_3  # --country KE works too
    for code, forms in EXTRA.items():
        for form in forms:
            names.setdefault(form, forms[0])
        codes[forms[0]] = codes[code] = code
    return names, codes


def country_names() -> dict[str, str]:
    """Every known name (as written) -> the canonical English name."""
    return dict(_table()[0])


def country_code(name: str | None) -> str | None:
    """The ISO 3166-1 alpha-3 code of a canonical (or any known) country name, or of an alpha-2 /
    alpha-3 code given as the country; None outside ISO 3166 (a fictional partner, "unknown")."""
    if not name:
        return None
    names, codes = _table()
    return codes.get(names.get(name, name))
