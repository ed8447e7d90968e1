"""Build the aptag sample corpus (corpus/samples/) from its sources in corpus/sample_sources/src/.

Every sample document is written once, as a YAML source (metadata plus a body in a small markdown
subset), and rendered here into the format it is distributed in: PDF, DOCX, HTML, EML, TXT or
Markdown. The outputs are committed because they are the corpus; this script records how they were
made and rebuilds them byte for byte: all metadata dates come from the document date, reportlab runs
with ``invariant=1``, ZIP members get fixed timestamps and MIME parts fixed boundaries.

Usage, from the repository root:
    .venv/bin/python corpus/sample_sources/build_samples.py          # write the outputs and README.md
    .venv/bin/python corpus/sample_sources/build_samples.py --check  # exit 1 if an output would change

Body markup (one block per blank-line-separated chunk):
    # Heading / ## Subheading      section headings (the title comes from the metadata)
    - item                         bullet list, one item per line
    | line                         line block, kept line by line (From/To/Date fields, addresses)
    anything else                  a paragraph; its lines are joined with spaces
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import io
import os
import re
import sys
import textwrap
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import yaml

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
OUT = HERE.parent / "samples"  # only the documents: `aptag ingest corpus/samples` takes the whole folder

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
}


@dataclass(frozen=True)
class Block:
    kind: str  # "heading" | "para" | "lines" | "bullets"
    items: tuple[str, ...]
    level: int = 0


def parse_body(text: str) -> list[Block]:
    """Split a source body into headings, paragraphs, line blocks and bullet lists."""
    blocks: list[Block] = []
    for chunk in text.strip().split("\n\n"):
        lines = [line.rstrip() for line in chunk.strip("\n").splitlines() if line.strip()]
        if not lines:
            continue
        first = lines[0]
        if first.startswith("#"):
            marks = len(first) - len(first.lstrip("#"))
            blocks.append(Block("heading", (first[marks:].strip(),), marks))
        elif all(line.startswith("|") for line in lines):
            blocks.append(Block("lines", tuple(line[1:].strip() for line in lines)))
        elif first.startswith("- "):
            items: list[str] = []
            for line in lines:
                if line.startswith("- "):
                    items.append(line[2:].strip())
                else:
                    items[-1] += " " + line.strip()
            blocks.append(Block("bullets", tuple(items)))
        else:
            blocks.append(Block("para", (" ".join(line.strip() for line in lines),)))
    return blocks


def long_date(date: dt.date, lang: str) -> str:
    day = "1er" if (lang == "fr" and date.day == 1) else str(date.day)
    return f"{day} {MONTHS[lang][date.month - 1]} {date.year}"


def fixed_datetime(date: dt.date) -> dt.datetime:
    """The one timestamp written into a document's metadata: 09:00 UTC on its date."""
    return dt.datetime(date.year, date.month, date.day, 9, 0, 0, tzinfo=dt.timezone.utc)


# ---------------------------------------------------------------- plain text and markdown

# Never wrap inside these: redaction tests look for phone and passport numbers and honorific + name
# in the raw text, and a line break inside them would hide them from a line-based reader.
UNBREAKABLE = re.compile(r"\+\d[\d ]*\d|\bNo\. [A-Z]{0,2}\d+|\b(?:Mr|Ms|Mrs|M|Mme)\.? [A-Z]\w+")


def wrap(text: str, width: int, **kwargs: str) -> list[str]:
    glued = UNBREAKABLE.sub(lambda m: m.group(0).replace(" ", "\0"), text)
    return [line.replace("\0", " ") for line in textwrap.wrap(glued, width, **kwargs)]


def render_txt(title: str, blocks: list[Block], width: int = 78) -> str:
    out = wrap(title, width)
    out += ["=" * max(len(line) for line in out), ""]
    for block in blocks:
        if block.kind == "heading":
            out.append(block.items[0])
            if block.level == 1:
                out.append("-" * len(block.items[0]))
        elif block.kind == "lines":
            out.extend(block.items)
        elif block.kind == "bullets":
            for item in block.items:
                out += wrap(item, width, initial_indent="  - ", subsequent_indent="    ")
        else:
            out += wrap(block.items[0], width)
        out.append("")
    return "\n".join(out)


def render_md(title: str, blocks: list[Block], width: int = 100) -> str:
    out = [f"# {title}", ""]
    for block in blocks:
        if block.kind == "heading":
            out.append("#" * (block.level + 1) + " " + block.items[0])
        elif block.kind == "lines":
            # two trailing spaces: a markdown hard line break that plain-text readers do not see
            out += [line + "  " for line in block.items[:-1]] + [block.items[-1]]
        elif block.kind == "bullets":
            for item in block.items:
                out += wrap(item, width, initial_indent="- ", subsequent_indent="  ")
        else:
            out += wrap(block.items[0], width)
        out.append("")
    return "\n".join(out)


# ---------------------------------------------------------------- HTML (a press page)

PAGE = {
    "en": {
        "site": "European External Action Service",
        "nav": ["Home", "Headquarters", "Delegations", "Press material", "Topics", "Careers"],
        "cookies": "This site uses cookies to offer you a better browsing experience. "
                   "Find out more on how we use cookies.",
        "accept": "Accept all cookies", "refuse": "Accept only essential cookies",
        "search": "Search", "home": "Home", "press": "Press material",
        "share": "Share this page:", "related": "Related topics",
        "footer": ["Contact", "Legal notice", "Cookies", "Privacy policy", "Accessibility"],
        "copyright": "© European Union", "statement": "Statement",
        "local": "Local statement", "team": "Press and information team",
        "topics": "Human rights, Democracy",
    },
    "fr": {
        "site": "Service européen pour l'action extérieure",
        "nav": ["Accueil", "Siège", "Délégations", "Espace presse", "Thèmes", "Carrières"],
        "cookies": "Ce site utilise des cookies pour améliorer votre expérience de navigation. "
                   "En savoir plus sur notre utilisation des cookies.",
        "accept": "Accepter tous les cookies", "refuse": "N'accepter que les cookies essentiels",
        "search": "Rechercher", "home": "Accueil", "press": "Espace presse",
        "share": "Partager cette page :", "related": "Thèmes associés",
        "footer": ["Contact", "Avis juridique", "Cookies", "Protection des données",
                   "Accessibilité"],
        "copyright": "© Union européenne", "statement": "Déclaration",
        "local": "Déclaration locale", "team": "Équipe de presse et d'information",
        "topics": "Droits de l'homme, Démocratie",
    },
}


def render_html_blocks(blocks: list[Block]) -> list[str]:
    out = []
    for block in blocks:
        esc = [html.escape(item, quote=False) for item in block.items]
        if block.kind == "heading":
            level = block.level + 1
            out.append(f"<h{level}>{esc[0]}</h{level}>")
        elif block.kind == "lines":
            out.append("<p>" + "<br>\n".join(esc) + "</p>")
        elif block.kind == "bullets":
            out.append("<ul>\n" + "\n".join(f"  <li>{item}</li>" for item in esc) + "\n</ul>")
        else:
            out.append(f"<p>{esc[0]}</p>")
    return out


def render_html(meta: dict[str, Any], blocks: list[Block]) -> str:
    lang, date = meta["language"], meta["date"]
    t = PAGE[lang]
    def esc(text: str) -> str:
        return html.escape(text, quote=False)

    is_local = meta["author"] != t["site"]
    label = t["local"] if is_local else t["statement"]
    publisher = meta["author"] if is_local else t["site"]
    nav = "\n".join(f'      <li><a href="#">{esc(item)}</a></li>' for item in t["nav"])
    footer = "\n".join(f'    <li><a href="#">{esc(item)}</a></li>' for item in t["footer"])
    body = "\n".join("      " + part for part in render_html_blocks(blocks))
    topics = f"{meta['country']}, {t['topics']}"
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{esc(meta["title"])} | {esc(t["site"])}</title>
  <meta name="description" content="{html.escape(meta["title"])}">
  <meta name="dcterms.date" content="{date.isoformat()}">
  <meta property="article:published_time" content="{date.isoformat()}T09:00:00+00:00">
  <meta property="og:type" content="article">
  <link rel="stylesheet" href="/themes/eeas/css/style.css">
</head>
<body>
  <div class="cookie-consent" role="dialog" aria-label="Cookies">
    <p>{esc(t["cookies"])}</p>
    <button type="button">{esc(t["accept"])}</button>
    <button type="button">{esc(t["refuse"])}</button>
  </div>
  <header class="site-header">
    <a class="logo" href="#">{esc(t["site"])}</a>
    <nav class="main-menu" aria-label="Main">
    <ul>
{nav}
    </ul>
    </nav>
    <form class="search" role="search"><input type="search" aria-label="{esc(t["search"])}">
    <button type="submit">{esc(t["search"])}</button></form>
  </header>
  <nav class="breadcrumb" aria-label="Breadcrumb">
    <a href="#">{esc(t["home"])}</a> &gt; <a href="#">{esc(publisher)}</a> &gt; <a href="#">{esc(t["press"])}</a>
  </nav>
  <main id="main-content">
    <article class="node-press-material">
      <p class="content-type">{esc(label)}</p>
      <h1>{esc(meta["title"])}</h1>
      <p class="meta"><time datetime="{date.isoformat()}">{esc(long_date(date, lang))}</time> | {esc(meta["place"])} | {esc(t["team"])}, {esc(publisher)}</p>
      <div class="field-body">
{body}
      </div>
      <div class="share">{esc(t["share"])} <a href="#">X</a> <a href="#">Facebook</a> <a href="#">LinkedIn</a> <a href="#">E-mail</a></div>
    </article>
    <aside class="related">
      <h2>{esc(t["related"])}</h2>
      <p>{esc(topics)}</p>
    </aside>
  </main>
  <footer class="site-footer">
    <ul>
{footer}
    </ul>
    <p>{esc(t["copyright"])}</p>
  </footer>
</body>
</html>
"""


# ---------------------------------------------------------------- DOCX

def normalise_zip(data: bytes, when: dt.datetime) -> bytes:
    """Rewrite a ZIP with fixed member timestamps, so that a rebuild gives the same bytes."""
    stamp = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()


def render_docx(meta: dict[str, Any], title: str, header: str, blocks: list[Block]) -> bytes:
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    when = fixed_datetime(meta["date"])
    document = Document()
    props = document.core_properties
    props.title = title
    props.author = meta["author"]
    props.last_modified_by = meta["author"]
    props.subject = meta["country"]
    props.keywords = f"{meta['doc_type']}; {meta['country']}"
    props.category = meta["doc_type"]
    props.language = {"en": "en-GB", "fr": "fr-FR"}[meta["language"]]
    props.created = when.replace(tzinfo=None)
    props.modified = when.replace(tzinfo=None)
    props.revision = 1

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.header.paragraphs[0].text = header
    # footer "Page N": a PAGE field, as Word writes it, so page numbers are real document furniture
    footer = section.footer.paragraphs[0]
    footer.add_run("Page ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    footer._p.append(field)

    document.add_paragraph(title, style="Title")
    for block in blocks:
        if block.kind == "heading":
            document.add_heading(block.items[0], level=block.level)
        elif block.kind == "lines":
            for line in block.items:
                paragraph = document.add_paragraph(line)
                paragraph.paragraph_format.space_after = Pt(0)
            document.add_paragraph()
        elif block.kind == "bullets":
            for item in block.items:
                document.add_paragraph(item, style="List Bullet")
        else:
            document.add_paragraph(block.items[0])
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_zip(buffer.getvalue(), when)


# ---------------------------------------------------------------- PDF

def render_pdf(meta: dict[str, Any], blocks: list[Block]) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer

    lang = meta["language"]
    header = meta["header"]
    page_of = {"en": "Page {n} of {total}", "fr": "Page {n} sur {total}"}[lang]
    width, height = A4

    class FurnishedCanvas(Canvas):
        """Draws the running header and 'Page n of N' on every page once the total is known."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont("Helvetica", 8)
                self.setFillColor(colors.HexColor("#555555"))
                self.drawString(20 * mm, height - 13 * mm, header)
                self.setStrokeColor(colors.HexColor("#999999"))
                self.setLineWidth(0.5)
                self.line(20 * mm, height - 15 * mm, width - 20 * mm, height - 15 * mm)
                self.drawCentredString(width / 2, 11 * mm,
                                       page_of.format(n=self._pageNumber, total=total))
                super().showPage()
            super().save()

    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13,
                          alignment=TA_JUSTIFY, spaceAfter=5)
    lines = ParagraphStyle("lines", parent=body, alignment=0, fontSize=9.5, leading=12.5)
    title = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=15, leading=19,
                           spaceAfter=10)
    heads = {
        1: ParagraphStyle("h1", fontName="Helvetica-Bold", fontSize=12, leading=15,
                          spaceBefore=8, spaceAfter=4, keepWithNext=1),
        2: ParagraphStyle("h2", fontName="Helvetica-BoldOblique", fontSize=10.5, leading=13,
                          spaceBefore=4, spaceAfter=3, keepWithNext=1),
    }
    story: list[Any] = [Paragraph(xml_escape(meta["title"]), title)]
    for block in blocks:
        esc = [xml_escape(item) for item in block.items]
        if block.kind == "heading":
            story.append(Paragraph(esc[0], heads[min(block.level, 2)]))
        elif block.kind == "lines":
            story += [Paragraph("<br/>".join(esc), lines), Spacer(1, 4)]
        elif block.kind == "bullets":
            items = [ListItem(Paragraph(item, body), leftIndent=14) for item in esc]
            # an en dash, not "•": reportlab writes the bullet as code 127, which text extractors
            # cannot map back to a character
            story.append(ListFlowable(items, bulletType="bullet", start="–", leftIndent=14,
                                      bulletFontSize=10))
        else:
            story.append(Paragraph(esc[0], body))

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=22 * mm,
        bottomMargin=20 * mm, title=meta["title"], author=meta["author"],
        subject=meta["country"], keywords=f"{meta['doc_type']}, {meta['country']}",
        creator="aptag corpus/sample_sources/build_samples.py", lang=lang, invariant=1,
    )
    # reportlab takes the metadata timestamp from SOURCE_DATE_EPOCH when it is set
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(fixed_datetime(meta["date"]).timestamp()))
    try:
        doc.build(story, canvasmaker=FurnishedCanvas)
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous
    return buffer.getvalue()


# ---------------------------------------------------------------- EML

def plain_to_html(text: str) -> str:
    paragraphs = []
    for chunk in text.strip().split("\n\n"):
        lines = [html.escape(line) for line in chunk.splitlines()]
        paragraphs.append('<p class="MsoNormal">' + "<br>\n".join(lines) + "</p>")
    return ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
            '</head>\n<body lang="EN-GB"><div class="WordSection1">\n'
            + "\n".join(paragraphs) + "\n</div></body></html>\n")


def render_eml(meta: dict[str, Any], attachment: bytes) -> bytes:
    from email import policy
    from email.message import EmailMessage
    from email.utils import format_datetime

    mail = meta["email"]
    msg = EmailMessage(policy=policy.default)
    msg["From"] = mail["from"]
    msg["To"] = mail["to"]
    msg["Cc"] = mail["cc"]
    msg["Subject"] = meta["title"]
    msg["Date"] = format_datetime(dt.datetime.fromisoformat(mail["datetime"]))
    msg["Message-ID"] = mail["message_id"]
    msg["Content-Language"] = "en-GB"
    msg.set_content(mail["body"], cte="quoted-printable")
    msg.add_alternative(plain_to_html(mail["body"]), subtype="html", cte="quoted-printable")
    msg.add_attachment(
        attachment, maintype="application",
        subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
        filename=meta["attachment"]["file"],
    )
    # fixed boundaries: the email package would otherwise draw random ones at each build
    msg.set_boundary("=_aptag_sample_mixed_1")
    for part in msg.iter_parts():
        if part.is_multipart():
            part.set_boundary("=_aptag_sample_alternative_1")
    return msg.as_bytes()


# ---------------------------------------------------------------- corpus

def load_sources() -> list[dict[str, Any]]:
    sources = []
    for path in sorted(SRC.glob("*.yaml")):
        meta = yaml.safe_load(path.read_text(encoding="utf-8"))
        meta["source"] = path.name
        sources.append(meta)
    return sources


def plain_words(meta: dict[str, Any]) -> int:
    """Word count of what a reader sees: title and body (and, for e-mail, the attachment)."""
    if meta["format"] == "eml":
        attachment = meta["attachment"]
        text = meta["title"] + " " + meta["email"]["body"] + " "
        text += render_txt(attachment["title"], parse_body(attachment["body"]))
    else:
        text = render_txt(meta["title"], parse_body(meta["body"]))
    return sum(1 for token in text.split() if any(ch.isalnum() for ch in token))


def render(meta: dict[str, Any]) -> bytes:
    fmt = meta["format"]
    if fmt == "eml":
        att = meta["attachment"]
        attachment = render_docx(meta, att["title"], att["header"], parse_body(att["body"]))
        return render_eml(meta, attachment)
    blocks = parse_body(meta["body"])
    if fmt == "txt":
        return render_txt(meta["title"], blocks).encode("utf-8")
    if fmt == "md":
        return render_md(meta["title"], blocks).encode("utf-8")
    if fmt == "html":
        return render_html(meta, blocks).encode("utf-8")
    if fmt == "docx":
        return render_docx(meta, meta["title"], meta["header"], blocks)
    if fmt == "pdf":
        return render_pdf(meta, blocks)
    raise ValueError(f"{meta['source']}: unknown format {fmt!r}; expected txt, md, html, docx, "
                     "pdf or eml")


README_HEAD = """\
# Sample corpus

Fourteen documents of the kinds an EU desk officer receives (human rights dialogue minutes, démarche
reports, a country update, a trial observation report, EU statements, an e-mail from a Delegation),
in English and French and in every format aptag ingests. They feed `make demo` (ingest, tag with
Action Plan items, coverage report) and the end-to-end tests. The documents are in `corpus/samples/`
(nothing else is there, so the whole folder can be ingested); their sources, the generator and this
README are here in `corpus/sample_sources/`.

**Everything here is fictional.** The Republic of Ostrana, the Republic of Valdoria, the Kingdom of
Meridia and the République du Sahelor do not exist; every person, organisation, company, place,
case, law, figure and event in these documents is invented. Any resemblance to real persons or
situations is coincidental. The EU institutions and international bodies named are real, but what
they are said to have done here is not.

Some documents deliberately carry personal data of the kind redaction must catch: names with
English and French honorifics (Mr./Ms./Mr, M./Mme), e-mail addresses (in the `.eml`), telephone
numbers (the `.eml` and the Ostrana démarche) and passport numbers (the Ostrana démarche and the
e-mail's attachment). All are invented; the e-mail domains use the reserved `.example` top-level
domain and the telephone numbers the +999 country code, which is assigned to no country.

## Documents

| File | Format | Type | Country | Date | Lang | Words | What it covers |
|---|---|---|---|---|---|---|---|
"""

README_TAIL = """
The `.eml` is a multipart message (text and HTML alternatives) with a DOCX attachment
(`{attachment}`); its word count includes the attachment. The PDFs have a text layer, a running
header and "Page n of N" footers on every page, so header and footer removal is exercised; the
DOCX files use Word's Title and Heading styles and carry a header and a page-number footer; the
HTML pages carry site navigation, a cookie banner and a footer around the article.

## Intended Action Plan items

What the author meant each document to touch, as item IDs of the EU Action Plan on Human Rights
and Democracy 2020-2024 (`corpus/reference/`). This is a guide for demos and smoke tests, not a
gold annotation: it is document-level, single-author and was not checked passage by passage.

{intended}

## Rebuilding

The sources are in `src/`, one YAML file per document (metadata and body). The generator renders
them into the formats above and rewrites this README:

    .venv/bin/python corpus/sample_sources/build_samples.py          # rebuild
    .venv/bin/python corpus/sample_sources/build_samples.py --check  # exit 1 if an output would change

Builds are deterministic (fixed metadata dates, reportlab `invariant=1`, fixed ZIP timestamps and
MIME boundaries); a different reportlab, python-docx or zlib version may still change bytes.
"""


def render_readme(sources: list[dict[str, Any]]) -> str:
    rows = []
    for meta in sources:
        rows.append("| " + " | ".join([
            f"`{meta['file']}`", meta["format"].upper(), meta["doc_type"], meta["country"],
            meta["date"].isoformat(), meta["language"], str(plain_words(meta)), meta["topics"],
        ]) + " |")
    intended = "\n".join(f"- `{meta['file']}`: {', '.join(meta['intended_items'])}"
                         for meta in sources)
    attachment = next(m["attachment"]["file"] for m in sources if m["format"] == "eml")
    return README_HEAD + "\n".join(rows) + "\n" + README_TAIL.format(
        intended=intended, attachment=attachment)


def build() -> dict[Path, bytes]:
    sources = load_sources()
    outputs = {OUT / meta["file"]: render(meta) for meta in sources}
    outputs[HERE / "README.md"] = render_readme(sources).encode("utf-8")
    return outputs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="compare with the files on disk instead of writing them")
    args = parser.parse_args(argv)
    outputs = build()
    if args.check:
        stale = [path.name for path, data in outputs.items()
                 if not path.exists() or path.read_bytes() != data]
        for name in stale:
            print(f"differs: {name}")
        print(f"{len(outputs) - len(stale)}/{len(outputs)} outputs up to date")
        return 1 if stale else 0
    for path, data in outputs.items():
        path.write_bytes(data)
        print(f"wrote {path.relative_to(HERE.parent)} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
