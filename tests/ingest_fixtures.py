"""Tiny documents built in the tests themselves: PDF (reportlab), DOCX (python-docx), EML (stdlib)."""

from __future__ import annotations

import io
from email.message import EmailMessage
from pathlib import Path

PARA = ("The EU raised the detention of human rights defenders and journalists, recalling Art. 19 of the "
        "ICCPR. The authorities said that a reply would follow within a month.")


def pdf_bytes(pages: list[list[tuple[str, str]]], header: str | None = "EU RESTRICTED - Delegation report",
              page_numbers: bool = True, title: str | None = None) -> bytes:
    """One PDF page per list of (kind, text) blocks, kind "h" (heading) or "p"; a running header and
    "Page n" footer on every page unless switched off."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()

    def decorate(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        if header:
            canvas.drawString(72, 810, header)
        if page_numbers:
            canvas.drawString(500, 30, f"Page {doc.page}")
        canvas.restoreState()

    story = []
    for i, blocks in enumerate(pages):
        if i:
            story.append(PageBreak())
        for kind, text in blocks:
            story.append(Paragraph(text, styles["Heading2" if kind == "h" else "BodyText"]))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, title=title or "").build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buf.getvalue()


def scanned_pdf_bytes(n_pages: int = 2) -> bytes:
    """Pages with drawings and no text at all, like a scan without OCR."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for _ in range(n_pages):
        c.rect(50, 50, 400, 600, fill=1)
        c.showPage()
    c.save()
    return buf.getvalue()


def encrypted_pdf_bytes(user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes([[("p", PARA)]]))))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def docx_bytes(blocks: list[tuple[str, str]], table: list[list[str]] | None = None, header: str | None = None,
               title: str | None = None) -> bytes:
    """A Word document: (kind, text) with kind "h1"/"h2" (heading styles) or "p"."""
    import docx

    document = docx.Document()
    if header:
        document.sections[0].header.paragraphs[0].text = header
    if title:
        document.core_properties.title = title
    for kind, text in blocks:
        if kind.startswith("h"):
            document.add_heading(text, level=int(kind[1:]))
        else:
            document.add_paragraph(text)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def eml_bytes(body: str, subject: str = "Démarche on the detention of journalists",
              date: str = "Tue, 12 Mar 2024 10:00:00 +0100", html: str | None = None,
              attachments: list[tuple[str, bytes, str]] | None = None) -> bytes:
    """A message with a plain body (and an HTML alternative), and (name, bytes, mime type) attachments."""
    msg = EmailMessage()
    msg["From"] = "EU Delegation <delegation@example.eu>"
    msg["To"] = "Human Rights Division <hr@example.eu>"
    msg["Subject"] = subject
    msg["Date"] = date
    msg.set_content(body)
    if html:
        msg.add_alternative(html, subtype="html")
    for name, content, mime in attachments or []:
        maintype, subtype = mime.split("/")
        msg.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return bytes(msg)


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path
