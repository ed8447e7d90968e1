"""Passages: exact offsets, headings as context, short paragraphs joined, long ones cut at sentences."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.config import SegmentConfig
from pipeline.ingest.common import Block, assemble
from pipeline.segment import PASSAGE_COLUMNS, segment, segment_document, split_sentences

CFG = SegmentConfig(max_chars=300, min_chars=40, heading_max_chars=120)
SENT = "The EU raised the case of Mr. Okoro under Art. 19 of the ICCPR and asked for his release."


def passages(text: str, cfg: SegmentConfig = CFG, lang: str = "en", **kw) -> list[dict]:
    return segment_document("doc1", text, lang, cfg, **kw)


def sentences(text: str, lang: str = "en") -> list[str]:
    return [text[s:e] for s, e in split_sentences(text, lang)]


@pytest.mark.parametrize("text", [
    "Summary\n\n" + SENT + "\n\n" + SENT,
    "  leading spaces\n\n\n\n" + SENT + "  \n \n" + (SENT + " ") * 12 + "\n",
    "1. Context\n\nÉté 2024 : la délégation a rencontré M. Dupont. " * 3 + "\f\nSecond page text about l'art. 5.",
    "\f\n\f\nText that starts on page three, after two empty pages, and is long enough to stand alone.",
    "emoji 🙂 and CJK 人权 text in one paragraph that is long enough to be a passage.\n\n" + SENT,
    (SENT + " ") * 40,
])
def test_every_passage_is_exactly_its_slice_of_the_document(text):
    rows = passages(text)
    assert rows
    for row in rows:
        assert text[row["char_start"]:row["char_end"]] == row["text"]
        assert row["text"] == row["text"].strip() and row["text"]
    starts = [row["char_start"] for row in rows]
    assert starts == sorted(starts) and all(a["char_end"] <= b["char_start"] for a, b in zip(rows, rows[1:]))


def test_headings_are_context_not_passages():
    text = "1. Summary\n\n" + SENT + "\n\n1.1 Freedom of expression\n\n" + SENT + "\n\n2. Follow-up\n\n" + SENT
    rows = passages(text)
    assert [r["heading"] for r in rows] == ["1. Summary", "1. Summary > 1.1 Freedom of expression", "2. Follow-up"]
    assert all(not r["text"].startswith(("1.", "2.")) for r in rows)


def test_reader_headings_use_their_levels():
    assembled = assemble([Block("Minutes", "heading", 1), Block("Opening", "heading", 2), Block(SENT),
                          Block("Death penalty", "heading", 2), Block(SENT)])
    rows = passages(assembled.text, heading_spans=assembled.heading_spans)
    assert [r["heading"] for r in rows] == ["Minutes > Opening", "Minutes > Death penalty"]


def test_a_short_field_line_is_text_not_a_heading():
    text = "Date and venue: 14 March 2024, Brussels\n\n" + SENT
    assert [r["heading"] for r in passages(text)] == [None]


def test_a_lone_short_line_is_text_not_a_heading():
    assert [r["text"] for r in passages("Support the recommendation (Kuwait)")] == ["Support the recommendation (Kuwait)"]


def test_short_paragraphs_join_their_neighbours_in_the_same_section():
    text = "Participants:\n\n- Mr. Keller (EEAS)\n\n- Ms. Varga (DG INTPA)\n\n" + SENT + "\n\nNext section\n\nShort one."
    rows = passages(text)
    assert [r["text"] for r in rows] == [text[:text.index("\n\n" + SENT)], SENT, "Short one."]
    assert rows[-1]["heading"] == "Next section"


def test_long_paragraph_is_cut_at_sentence_boundaries_within_max_chars():
    text = " ".join([SENT] * 12)
    rows = passages(text)
    assert len(rows) > 1
    assert all(len(r["text"]) <= CFG.max_chars for r in rows)
    assert all(r["text"].endswith("release.") and r["text"].startswith("The EU") for r in rows)


def test_a_sentence_longer_than_a_window_is_cut_at_spaces():
    text = "word " * 200
    rows = passages(text.strip())
    assert all(len(r["text"]) <= CFG.max_chars for r in rows)
    assert " ".join(r["text"] for r in rows) == text.strip()


def test_pages_come_from_form_feeds_only_for_paged_documents():
    assembled = assemble([Block(SENT, page=1), Block(SENT, page=3)])
    assert [r["page"] for r in passages(assembled.text, paged=True)] == [1, 3]
    assert [r["page"] for r in passages(SENT)] == [None]


def test_passage_language_is_detected_when_the_passage_is_long_enough():
    fr = "La délégation de l'Union européenne a rappelé que la peine de mort est contraire aux droits de l'homme."
    rows = passages(SENT + "\n\n" + fr + "\n\nOK fine.", lang="en")
    assert [r["language"] for r in rows] == ["en", "fr"]  # "OK fine." joins the French passage


def test_ids_are_content_hashes_and_stable():
    a, b = passages(SENT + "\n\n" + SENT), passages(SENT + "\n\n" + SENT)
    assert [r["passage_id"] for r in a] == [r["passage_id"] for r in b]
    assert len({r["passage_id"] for r in a}) == 2


def test_segment_dataframe_has_the_store_columns():
    docs = pd.DataFrame({"doc_id": ["a", "b"], "text": [SENT, "Titre\n\n" + SENT], "language": ["en", "fr"],
                         "n_pages": [None, 2]})
    out = segment(docs, CFG)
    assert list(out.columns) == PASSAGE_COLUMNS
    assert out["doc_id"].tolist() == ["a", "b"] and out["page"].tolist()[1] == 1
    assert out["heading"].tolist()[1] == "Titre"


# --- sentences ------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, lang, expected", [
    ("The EU recalled Art. 19 of the ICCPR. It asked for a reply.", "en",
     ["The EU recalled Art. 19 of the ICCPR.", "It asked for a reply."]),
    ("See para. 3 and No. 12 of the list. Done.", "en", ["See para. 3 and No. 12 of the list.", "Done."]),
    ("Mr. Keller met Ms. Varga. They agreed.", "en", ["Mr. Keller met Ms. Varga.", "They agreed."]),
    ("M. Dupont a rappelé l'art. 5 de la Constitution. La séance est levée.", "fr",
     ["M. Dupont a rappelé l'art. 5 de la Constitution.", "La séance est levée."]),
    ("As noted in UN Doc. A/HRC/44/12. The EU agreed.", "en", ["As noted in UN Doc. A/HRC/44/12.", "The EU agreed."]),
    ("Several rights, e.g. expression and assembly, i.e. civic space. Next.", "en",
     ["Several rights, e.g. expression and assembly, i.e. civic space.", "Next."]),
    ("1. The delegation noted concerns. 2. The EU asked for data. 3. Closing.", "en",
     ["1. The delegation noted concerns.", "2. The EU asked for data.", "3. Closing."]),
    ("Recommendations:\n1. Release Mr. X.\n2. Ensure a fair trial.", "en",
     ["Recommendations:", "1. Release Mr. X.", "2. Ensure a fair trial."]),
    ("The EU raised: (a) freedom of expression; (b) torture. It was agreed.", "en",
     ["The EU raised: (a) freedom of expression; (b) torture.", "It was agreed."]),
    ("Mr. J. Smith spoke. \"We disagree.\" Then he left.", "en", ["Mr. J. Smith spoke.", "\"We disagree.\"", "Then he left."]),
    ("96.44. Continue its reform of the education system, particularly in rural areas (Malaysia);", "en",
     ["96.44. Continue its reform of the education system, particularly in rural areas (Malaysia);"]),
    ("The delegation noted concerns. 2.3. The EU asked for data.", "en",
     ["The delegation noted concerns.", "2.3. The EU asked for data."]),
    ("It was set out in paragraph 12.3. The EU agreed.", "en", ["It was set out in paragraph 12.3.", "The EU agreed."]),
    ("No punctuation at all here", "en", ["No punctuation at all here"]),
    ("   ", "en", []),
])
def test_split_sentences_keeps_abbreviations_and_list_markers(text, lang, expected):
    assert sentences(text, lang) == expected


def test_split_sentences_spans_are_offsets_into_the_text():
    text = "  Première phrase. Deuxième phrase selon l'art. 5.  "
    spans = split_sentences(text, "fr")
    assert [text[s:e] for s, e in spans] == ["Première phrase.", "Deuxième phrase selon l'art. 5."]


def test_split_sentences_handles_other_languages():
    assert sentences("Der Botschafter sprach. Die Sitzung endete.", "other") == [
        "Der Botschafter sprach.", "Die Sitzung endete."]
