"""E-mail messages (.eml, RFC 5322), plain or multipart.

The body is the text/plain part, else the text/html part read as HTML. The headers are metadata,
not text: Subject gives the title, Date the date. Attachments are handed back as bytes so the
batch ingests each supported one as a document of its own, pointing to the message.
"""

from __future__ import annotations

import email
import email.policy
import email.utils

from pipeline.errors import IngestError
from pipeline.ingest.common import Block, Extracted, clean_inline
from pipeline.ingest.html import read_html
from pipeline.ingest.text import read_text


def read_eml(data: bytes, name: str) -> Extracted:
    try:
        msg = email.message_from_bytes(data, policy=email.policy.default)
    except Exception as exc:  # the parser is lenient; this is a last resort
        raise IngestError(f"{name}: cannot parse the e-mail: {exc}") from exc
    hints: dict[str, str] = {}
    subject = _header(msg, "subject")
    if subject:
        hints["title"] = subject
    sent = _header(msg, "date")
    if sent:
        try:
            hints["date"] = email.utils.parsedate_to_datetime(sent).date().isoformat()
        except (TypeError, ValueError):
            pass  # a malformed Date header: leave the date to detection from the body
    sender = _header(msg, "from")
    if sender:
        hints["from"] = sender

    body = msg.get_body(preferencelist=("plain", "html"))
    blocks: list[Block] = []
    notes: list[str] = []
    if body is not None:
        payload = body.get_payload(decode=True) or b""
        charset = body.get_content_charset()
        if charset:
            try:  # re-encode as UTF-8 so the text reader's own decoding sees the declared charset
                payload = payload.decode(charset).encode("utf-8")
            except (LookupError, UnicodeDecodeError):
                notes.append(f"declared charset {charset!r} does not fit the body; guessed instead")
        inner = read_html(payload, name) if body.get_content_type() == "text/html" else read_text(payload, name)
        blocks = inner.blocks
        notes += inner.notes
    if subject:
        blocks.insert(0, Block(subject, "heading", 1))

    attachments: list[tuple[str, bytes]] = []
    for i, part in enumerate(msg.iter_attachments(), start=1):
        if part.get_content_type() == "message/rfc822":
            inner_msg = part.get_payload()[0] if part.is_multipart() else part.get_payload()
            content = inner_msg.as_bytes() if hasattr(inner_msg, "as_bytes") else bytes(inner_msg)
            filename = part.get_filename() or f"attachment-{i}.eml"
        else:
            content = part.get_payload(decode=True) or b""
            filename = part.get_filename() or f"attachment-{i}"
        attachments.append((filename, content))
    return Extracted(format="eml", blocks=blocks, hints=hints, attachments=attachments, notes=notes)


def _header(msg, key: str) -> str:
    try:
        value = msg.get(key)
    except Exception:  # a malformed header can raise on access with the modern policy
        return ""
    return clean_inline(str(value)) if value else ""
