"""Each reader on tiny documents built here: text, structure (headings, pages), and what must not leak in."""

from __future__ import annotations

import pytest

from ingest_fixtures import PARA, docx_bytes, eml_bytes, encrypted_pdf_bytes, pdf_bytes
from pipeline.config import IngestConfig
from pipeline.ingest import detect_format, read_document
from pipeline.ingest.common import assemble

CFG = IngestConfig()


def blocks_of(data: bytes, name: str) -> list[tuple[str, str]]:
    return [(b.kind, b.text) for b in read_document(data, name, CFG).blocks]


# --- PDF ------------------------------------------------------------------------------------------
def test_pdf_keeps_pages_and_headings_and_drops_running_header_and_page_numbers():
    data = pdf_bytes([[("h", "1. Introduction"), ("p", PARA)], [("h", "2. Follow-up"), ("p", PARA)],
                      [("p", "Closing remarks were made by the chair.")]])
    extracted = read_document(data, "report.pdf", CFG)
    assert extracted.format == "pdf" and extracted.n_pages == 3
    assert [(b.kind, b.page) for b in extracted.blocks] == [
        ("heading", 1), ("para", 1), ("heading", 2), ("para", 2), ("para", 3)]
    text = assemble(extracted.blocks).text
    assert "EU RESTRICTED" not in text and "Page " not in text
    assert text.count("\f") == 2
    assert extracted.blocks[1].text == PARA  # wrapped lines joined back into one paragraph


def test_pdf_paragraph_cut_by_a_page_break_is_joined_on_its_first_page():
    data = pdf_bytes([[("p", PARA + " The delegation also noted that")], [("p", "the trial had been postponed.")]])
    blocks = read_document(data, "cut.pdf", CFG).blocks
    assert len(blocks) == 1 and blocks[0].page == 1
    assert blocks[0].text.endswith("noted that the trial had been postponed.")


def test_pdf_title_comes_from_its_metadata():
    data = pdf_bytes([[("p", PARA)]], title="Country update: Valdoria")
    assert read_document(data, "x.pdf", CFG).hints["title"] == "Country update: Valdoria"


def test_pdf_encrypted_with_an_empty_user_password_is_read():
    assert ("para", PARA) in blocks_of(encrypted_pdf_bytes(""), "open.pdf")


# --- DOCX -----------------------------------------------------------------------------------------
def test_docx_headings_by_style_tables_by_row_and_no_running_header():
    data = docx_bytes([("h1", "Summary"), ("p", PARA), ("h2", "Participants"), ("p", "See the table below.")],
                      table=[["Name", "Role"], ["Mr. Keller", "Chair"]], header="RESTRICTED - header text",
                      title="Dialogue minutes")
    extracted = read_document(data, "minutes.docx", CFG)
    assert [(b.kind, b.level, b.text) for b in extracted.blocks] == [
        ("heading", 1, "Summary"), ("para", None, PARA), ("heading", 2, "Participants"),
        ("para", None, "See the table below."), ("para", None, "Name | Role"), ("para", None, "Mr. Keller | Chair")]
    assert extracted.hints["title"] == "Dialogue minutes"


# --- HTML -----------------------------------------------------------------------------------------
HTML = """<!DOCTYPE html><html lang="en"><head><title>Statement on Valdoria</title>
<style>p { color: red } .secret { display: none }</style>
<script>var tracking = "SCRIPT-TEXT"; document.write("<p>INJECTED</p>");</script></head>
<body><nav><a href="/">Home</a> | <a href="/news">News</a></nav>
<main><h1>Statement by the Spokesperson</h1>
<p>The EU <b>condemns</b> the sentence<br>handed down to Mr. Daranyi.</p>
<noscript>NOSCRIPT-TEXT</noscript><template><p>TEMPLATE-TEXT</p></template>
<ul><li>First point.</li><li>Second point.</li></ul><!-- COMMENT-TEXT -->
<p hidden>HIDDEN-TEXT</p><table><tr><td>Cell A</td><td>Cell B</td></tr></table></main>
<footer>Footer links</footer><script>alert("SCRIPT-2")</script></body></html>"""


def test_html_keeps_visible_main_text_with_headings_and_never_script_or_style():
    extracted = read_document(HTML.encode(), "statement.html", CFG)
    assert [(b.kind, b.text) for b in extracted.blocks] == [
        ("heading", "Statement by the Spokesperson"),
        ("para", "The EU condemns the sentence handed down to Mr. Daranyi."),
        ("para", "First point."), ("para", "Second point."), ("para", "Cell A | Cell B")]
    text = assemble(extracted.blocks).text
    for leaked in ("SCRIPT", "INJECTED", "color: red", "NOSCRIPT", "TEMPLATE", "COMMENT", "HIDDEN", "Home", "Footer"):
        assert leaked not in text
    assert extracted.hints == {"title": "Statement by the Spokesperson", "language": "en"}  # the one <h1>


def test_html_title_without_a_single_h1_is_the_title_element_without_the_site_name():
    data = b"<html><head><title>Statement on Valdoria | EEAS</title></head><body><p>Text.</p></body></html>"
    assert read_document(data, "s.html", CFG).hints["title"] == "Statement on Valdoria"


def test_html_without_main_reads_the_whole_body():
    data = b"<html><body><h2>Title</h2><div>First block<p>Inner paragraph.</p>tail text</div></body></html>"
    assert blocks_of(data, "page.htm") == [("heading", "Title"), ("para", "First block"),
                                           ("para", "Inner paragraph."), ("para", "tail text")]


# --- EML ------------------------------------------------------------------------------------------
def test_eml_plain_body_subject_as_heading_and_date_from_headers():
    extracted = read_document(eml_bytes("Under instruction, the Head of Delegation met the Minister.\n\n"
                                        "The EU raised concerns."), "msg.eml", CFG)
    assert [(b.kind, b.text) for b in extracted.blocks] == [
        ("heading", "Démarche on the detention of journalists"),
        ("para", "Under instruction, the Head of Delegation met the Minister."), ("para", "The EU raised concerns.")]
    assert extracted.hints["date"] == "2024-03-12"
    assert extracted.hints["title"] == "Démarche on the detention of journalists"


def test_eml_html_only_body_is_read_as_html():
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"], msg["Subject"] = "a@example.eu", "Note"
    msg.set_content("<html><body><p>Visible text.</p><script>bad()</script></body></html>", subtype="html")
    assert blocks_of(bytes(msg), "note.eml") == [("heading", "Note"), ("para", "Visible text.")]


def test_eml_multipart_hands_back_its_attachments():
    pdf = pdf_bytes([[("p", PARA)]])
    data = eml_bytes("See the attached report.", html="<p>See the attached report.</p>",
                     attachments=[("report.pdf", pdf, "application/pdf"), ("logo.png", b"\x89PNG....", "image/png")])
    extracted = read_document(data, "msg.eml", CFG)
    assert [(b.kind, b.text) for b in extracted.blocks][1:] == [("para", "See the attached report.")]
    assert [(name, content) for name, content in extracted.attachments] == [
        ("report.pdf", pdf), ("logo.png", b"\x89PNG....")]


# --- TXT / MD -------------------------------------------------------------------------------------
def test_txt_paragraphs_heading_lines_and_hard_wrapped_lines():
    text = ("SUMMARY\n\nThe EU raised the case of Mr. Okoro and asked for\nhis immediate release on health grounds.\n\n"
            "Participants\nThe EU side was led by the Head of Delegation, who opened\nthe meeting with a statement.\n")
    assert blocks_of(text.encode(), "notes.txt") == [
        ("para", "SUMMARY"),
        ("para", "The EU raised the case of Mr. Okoro and asked for\nhis immediate release on health grounds."),
        ("heading", "Participants"),
        ("para", "The EU side was led by the Head of Delegation, who opened\nthe meeting with a statement.")]


def test_txt_underlined_title_over_two_lines_is_one_heading():
    text = "EU-Meridia Subcommittee on Human Rights, 4th\nmeeting: minutes\n=============\n\nDate: 21 June 2023\n"
    assert blocks_of(text.encode(), "m.txt") == [("heading", "EU-Meridia Subcommittee on Human Rights, 4th meeting: minutes"),
                                                 ("para", "Date: 21 June 2023")]


def test_txt_one_paragraph_per_line_without_blank_lines():
    lines = [f"Paragraph {i}: " + PARA + " " + PARA for i in range(3)]
    assert blocks_of("\n".join(lines).encode(), "flat.txt") == [("para", line) for line in lines]


def test_markdown_headings_with_levels():
    extracted = read_document("# Title\n\nIntro text here.\n\n## 1. Section\nBody of the section.\n".encode(),
                              "doc.md", CFG)
    assert [(b.kind, b.level, b.text) for b in extracted.blocks] == [
        ("heading", 1, "Title"), ("para", None, "Intro text here."), ("heading", 2, "1. Section"),
        ("para", None, "Body of the section.")]


@pytest.mark.parametrize("encoded, note", [
    ("Démarche sur la détention de journalistes.".encode("utf-8"), None),
    ("Démarche sur la détention de journalistes.".encode("utf-8-sig"), None),
    ("Démarche sur la détention de journalistes.".encode("utf-16"), None),
    ("Démarche sur la détention de journalistes – “quoted”.".encode("cp1252"), "cp1252"),
])
def test_text_encodings_are_detected(encoded, note):
    extracted = read_document(encoded, "fr.txt", CFG)
    assert extracted.blocks[0].text.startswith("Démarche sur la détention de journalistes")
    assert (note in "; ".join(extracted.notes)) if note else not extracted.notes


# --- format detection -----------------------------------------------------------------------------
@pytest.mark.parametrize("data, name, expected", [
    (b"%PDF-1.7 ...", "report.txt", "pdf"),
    (b"PK\x03\x04 ... word/document.xml", "minutes.pdf.bin", "docx"),
    (b"<!DOCTYPE html><html><body>x</body></html>", "page.txt", "html"),
    (b"From: a@example.eu\nSubject: hi\nDate: Tue, 12 Mar 2024 10:00:00 +0100\n\nbody", "message", "eml"),
    (b"Plain words.", "notes", "txt"),
    (b"# Title", "notes.md", "md"),
])
def test_format_is_sniffed_from_the_bytes_not_the_extension(data, name, expected):
    assert detect_format(data, name) == expected
