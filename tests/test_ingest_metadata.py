"""Metadata from content: dates (EN/FR), language, type, partner country, title; unknown when unsure."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.errors import IngestError
from pipeline.ingest.metadata import (detect_country, detect_date, detect_doc_type, detect_language,
                                      detect_metadata, parse_date, validate_overrides)


@pytest.mark.parametrize("text, expected", [
    ("Brussels, 12 March 2024", dt.date(2024, 3, 12)),
    ("Tamberi, le 12 mars 2024", dt.date(2024, 3, 12)),
    ("Fait à Tamberi, le 1er février 2023", dt.date(2023, 2, 1)),
    ("Meeting of March 12, 2024", dt.date(2024, 3, 12)),
    ("Ref. 12/03/2024", dt.date(2024, 3, 12)),
    ("Ref. 12.03.2024", dt.date(2024, 3, 12)),
    ("Created 2024-03-12", dt.date(2024, 3, 12)),
    ("on the 3rd of September, 2022", dt.date(2022, 9, 3)),
    ("8 Sept 2023", dt.date(2023, 9, 8)),
    ("no date here, only 2024", None),
    ("31 February 2024 is not a date", None),
])
def test_dates_in_english_french_and_numeric_forms(text, expected):
    assert detect_date(text) == expected


def test_a_labelled_date_beats_the_first_date():
    text = "Report on the events of 2 January 2024\nDate: 15 février 2024\n\nOn 3 January 2024 ..."
    assert detect_date(text) == dt.date(2024, 2, 15)


def test_dates_far_down_the_text_are_events_not_the_document_date():
    assert detect_date("x " * 2000 + "On 3 January 2024 the court ruled.") is None


@pytest.mark.parametrize("text, expected", [
    ("The delegation raised the situation of human rights defenders and the authorities replied that it was "
     "being examined.", "en"),
    ("La délégation a soulevé la situation des défenseurs des droits de l'homme et les autorités ont répondu "
     "que la question était à l'étude.", "fr"),
    ("La delegación planteó la situación de los defensores de los derechos humanos y las autoridades "
     "respondieron que se estaba examinando.", "other"),
    ("Die Delegation sprach die Lage der Menschenrechtsverteidiger an und die Behörden antworteten, dass sie "
     "geprüft werde.", "other"),
    ("Okoro, Morozan", "unknown"),
])
def test_language(text, expected):
    assert detect_language(text) == expected


@pytest.mark.parametrize("title, text, expected", [
    ("EU-Ostrana Human Rights Dialogue, 7th round: minutes", "Participants: ... The dialogue took place in Brussels.",
     "minutes"),
    ("Démarche on the detention of Rafael Okoro", "Under instruction, the Head of Delegation met the Minister.",
     "demarche"),
    ("Rapport de démarche", "Sur instruction, le Chef de Délégation a effectué une démarche.", "demarche"),
    ("Human rights and democracy country update: Valdoria, 2023", "1. Overview\n2023 was a year of contrasts.",
     "report"),
    ("Ostrana: Statement by the Spokesperson on the death sentence", "The European Union condemns ...", "statement"),
    ("Déclaration de la porte-parole", "L'Union européenne condamne ...", "statement"),
    ("Notes", "Some text about the weather.", "unknown"),
])
def test_doc_type(title, text, expected):
    assert detect_doc_type(text, title) == expected


@pytest.mark.parametrize("title, text, expected", [
    ("", "EU Delegation to the Republic of Valdoria, Castelmar. Valdoria remains a democracy.", "Valdoria"),
    ("EU-Ostrana Human Rights Dialogue", "The dialogue took place in Brussels.", "Ostrana"),
    ("", "Délégation de l'Union européenne en République du Sahelor, Tamberi.", "Sahelor"),
    ("Meridia: Statement by the Spokesperson", "The Kingdom of Meridia adopted amendments.", "Meridia"),
    ("", "The EU-China Human Rights Dialogue. China agreed. Chine.", "China"),
    ("", "Les autorités de la Côte d'Ivoire ont répondu.", "Côte d'Ivoire"),
    ("", "The ambassadors of Germany, France and Italy attended.", "unknown"),
    ("", "A note about internal procedures.", "unknown"),
])
def test_country(title, text, expected):
    assert detect_country(text, title) == expected


def test_metadata_prefers_container_hints_and_falls_back_to_unknown():
    meta = detect_metadata("Short text.", [], {"title": "Subject line", "date": "2024-03-12"}, "file.eml")
    assert meta == {"title": "Subject line", "language": "unknown", "date": dt.date(2024, 3, 12),
                    "doc_type": "unknown", "country": "unknown"}
    assert detect_metadata("", [], {}, "scan.pdf")["title"] == "scan.pdf"


def test_overrides_are_validated_and_normalised():
    assert validate_overrides({"doc_type": "Démarche", "date": "12 mars 2024", "language": "FR", "country": " X "},
                              "cli") == {"doc_type": "demarche", "date": dt.date(2024, 3, 12), "language": "fr",
                                         "country": "X"}


@pytest.mark.parametrize("values, message", [
    ({"doc_type": "memo"}, "doc_type 'memo' is not one of minutes, demarche"),
    ({"language": "english"}, "language 'english' is not one of en, fr"),
    ({"date": "sometime"}, "Date 'sometime' not understood"),
    ({"type": "minutes"}, "unknown metadata field 'type'"),
])
def test_bad_overrides_say_what_is_expected(values, message):
    with pytest.raises(IngestError, match="side.yaml") as info:
        validate_overrides(values, "side.yaml")
    assert message in str(info.value)


def test_parse_date_accepts_date_objects():
    assert parse_date(dt.date(2024, 1, 2)) == dt.date(2024, 1, 2)


# --- ISO 3166 countries (pipeline/ingest/countries.py) -----------------------------------------
@pytest.mark.parametrize("name, canonical, code", [
    ("Kenya", "Kenya", "KEN"), ("Allemagne", "Germany", "DEU"), ("République de Corée", None, "KOR"),
    ("Republic of Korea", None, "KOR"), ("Ivory Coast", "Côte d'Ivoire", "CIV"), ("RDC", "Democratic Republic of the Congo", "COD"),
    ("Congo-Brazzaville", "Congo", "COG"), ("Kosovo", "Kosovo", "XKX"), ("Russie", "Russia", "RUS"),
    ("État plurinational de Bolivie", None, "BOL"),
])
def test_iso_names_in_english_and_french_map_to_one_country_and_its_alpha3(name, canonical, code):
    from pipeline.ingest.countries import country_code, country_names

    names = country_names()
    assert name in names
    if canonical:
        assert names[name] == canonical
    assert country_code(names[name]) == code and country_code(name) == code


def test_names_that_are_ordinary_words_or_fictional_have_no_code():
    from pipeline.ingest.countries import country_code, country_names

    names = country_names()
    assert "Réunion" not in names and "Jersey" not in names  # "Réunion du dialogue", "New Jersey"
    assert all(n[0].isupper() and ", " not in n for n in names)
    assert country_code("Meridia") is None and country_code(None) is None and country_code("unknown") is None
    assert country_code("KE") == country_code("KEN") == "KEN" and country_code("XKX") == "XKX"


def test_a_french_report_on_a_country_named_only_in_iso_french_is_found():
    text = ("Rapport de la délégation de l'UE. Les autorités de la République de Moldova ont été invitées à "
            "abolir la peine de mort. La République de Moldova a répondu.")
    assert detect_country(text) == "Moldova"
