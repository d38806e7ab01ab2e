"""A mailed-in opportunity read from its raw MIME: sender, title, description, attachments.

The standard library's parser (`email` with `policy.default`) reads the structure; it copes
with every mail of the test corpus, is maintained with Python and costs nothing at cold start.
What it does not do is done here: charset fallbacks (a wrong label silently gives U+FFFD, an
unknown one raises), HTML-only mail as text, forwarded mail (an attached `message/rfc822` or
an inline "Forwarded message" block) yielding the forwarded content, and trimming quoted
replies and signatures where a marker makes that safe. Pure: no AWS, no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from email import errors, policy
from email.header import decode_header
from email.message import EmailMessage, Message, MIMEPart
from email.parser import BytesParser
from email.utils import getaddresses

from chalicelib.domain.html_text import html_to_text
from chalicelib.domain.membership import normalise_email

TITLE_MAX = 200
DESCRIPTION_MAX = 10_000
MAX_ATTACHMENTS = 20
MAX_SKIPPED_LISTED = 100  # files beyond the limit named on the record (a hostile mail: more)
_MAX_FORWARD_DEPTH = 3


class UnparseableMail(Exception):
    """The MIME structure cannot be read (no headers, broken multipart)."""


@dataclass(frozen=True)
class AttachmentPart:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class SkippedPart:
    """A file of the mail that is not kept, and why (see domain/intake.py NOT_KEPT)."""

    filename: str
    content_type: str
    size: int
    reason: str


@dataclass(frozen=True)
class ParsedMail:
    from_address: str | None  # the addr-spec of the (first) From, lowercased
    title: str
    description: str
    attachments: tuple[AttachmentPart, ...]
    forwarded: bool
    message_id: str | None = None  # the (outer) mail's Message-ID header, without <>
    dkim_domains: tuple[str, ...] = ()  # the d= of each DKIM-Signature, lowercased
    skipped: tuple[SkippedPart, ...] = ()  # files beyond the limit


# Defects after which the parts cannot be trusted to be what the mail says.
_FATAL = (
    errors.NoBoundaryInMultipartDefect,
    errors.StartBoundaryNotFoundDefect,
    errors.MultipartInvariantViolationDefect,
)
_FORWARD_SUBJECT = re.compile(r"^\s*(fwd?|fw|doorst|wg|tr|wtr)\s*[.:]", re.IGNORECASE)
_PREFIXES = re.compile(
    r"^\s*((re|fwd?|aw|wg|tr|antw|doorst|sv|vs|wtr)\s*(\[\d+\])?\s*\.?\s*:\s*)+", re.IGNORECASE
)


def parse_mail(raw: bytes) -> ParsedMail:
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
        _require_readable(message)
        assert isinstance(message, EmailMessage)  # what policy.default builds
        return _read(message)
    except UnparseableMail:
        raise
    except Exception as error:  # the parser's own failures on hostile input
        raise UnparseableMail(type(error).__name__) from error


def _require_readable(message: Message) -> None:
    if not message.keys():
        raise UnparseableMail("no headers")
    for part in message.walk():
        if any(isinstance(d, _FATAL) for d in part.defects):
            raise UnparseableMail("broken multipart structure")


def _read(message: EmailMessage) -> ParsedMail:
    from_address = sender_address(message)
    subject = header_text(message, "subject")
    content, depth = message, 0
    while depth < _MAX_FORWARD_DEPTH and (inner := _attached_message(content)) is not None:
        content, depth = inner, depth + 1
    if depth:
        subject = header_text(content, "subject") or subject
    text = body_text(content)
    forwarded = depth > 0
    if not forwarded:
        inline = inline_forward(text, subject)
        if inline is not None:
            text, subject, forwarded = inline.text, inline.subject or subject, True
    text = trim_quotes(text) if forwarded else trim_signature(trim_quotes(text))
    description = clean_paragraphs(text)[:DESCRIPTION_MAX].strip()
    title = clean_line(_PREFIXES.sub("", subject))
    if not title:
        title = clean_line(description.split("\n", 1)[0])
    kept, skipped = files(message)
    return ParsedMail(
        from_address,
        _shorten(title, TITLE_MAX),
        description,
        tuple(kept),
        forwarded,
        message_id_of(message),
        dkim_domains(message),
        tuple(skipped),
    )


# Headers -------------------------------------------------------------------------------------


def header_text(message: Message, name: str) -> str:
    """A header's decoded text (RFC 2047 words, raw 8-bit bytes), with charset fallbacks."""
    raw = _raw_header(message, name)
    if raw is None:
        return ""
    pieces = []
    for chunk, charset in decode_header(raw):
        if isinstance(chunk, str):
            chunk = chunk.encode("utf-8", "surrogateescape")
        pieces.append(decode_bytes(chunk, charset))
    return clean_line("".join(pieces))


def _raw_header(message: Message, name: str) -> str | None:
    for key, value in message.raw_items():
        if key.lower() == name:
            return re.sub(r"\r?\n[ \t]", " ", str(value))
    return None


def message_id_of(message: Message) -> str | None:
    """The Message-ID header's id (without the angle brackets), or None."""
    raw = _raw_header(message, "message-id")
    if raw is None:
        return None
    found = re.search(r"<([^<>\s]{1,500})>", raw)
    value = found.group(1) if found else raw.strip()
    value = clean_line(value)[:500]
    return value or None


def dkim_domains(message: Message) -> tuple[str, ...]:
    """The signing domain (d=) of each DKIM-Signature header, lowercased, in order."""
    domains: list[str] = []
    for key, value in message.raw_items():
        if key.lower() != "dkim-signature":
            continue
        found = re.search(
            r"(?:^|;)\s*d\s*=\s*([A-Za-z0-9.-]{1,253})", re.sub(r"\s+", " ", str(value))
        )
        if found and found.group(1).lower().strip(".") not in domains:
            domains.append(found.group(1).lower().strip("."))
    return tuple(domains)


def sender_address(message: Message) -> str | None:
    raw = _raw_header(message, "from")
    if raw is None:
        return None
    text = raw.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    for _name, address in getaddresses([text]):
        address = normalise_email(address)
        if len(address) <= 254 and re.fullmatch(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+", address):
            return address if address.isprintable() else None
    return None


# Bodies --------------------------------------------------------------------------------------


def _attached_message(message: EmailMessage) -> EmailMessage | None:
    """The first forwarded mail attached as message/rfc822, if any."""
    for part in message.walk():
        if part is not message and part.get_content_type() == "message/rfc822":
            payload = part.get_payload()
            inner = payload[0] if isinstance(payload, list) and payload else None
            if isinstance(inner, EmailMessage):
                return inner
    return None


def _chosen_body(message: EmailMessage) -> MIMEPart | None:
    plain = message.get_body(preferencelist=("plain",))
    if plain is not None and _part_text(plain).strip():
        return plain
    return message.get_body(preferencelist=("html", "plain"))


def body_text(message: EmailMessage) -> str:
    part = _chosen_body(message)
    if part is None:
        if message.get_content_maintype() == "text":  # e.g. inline with a name
            part = message
        else:
            return ""
    text = _part_text(part)
    if part.get_content_subtype() == "html":
        return html_to_text(text)
    return text


def _part_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    text = decode_bytes(payload, part.get_content_charset())
    if str(part.get_param("format", "")).lower() == "flowed":
        text = _unflow(text, str(part.get_param("delsp", "")).lower() == "yes")
    return text


def _unflow(text: str, delsp: bool) -> str:
    """RFC 3676: a line ending in a space continues on the next one."""
    out: list[str] = []
    joining = False
    for line in text.splitlines():
        if line.startswith(" "):
            line = line[1:]  # space-stuffing
        if joining:
            out[-1] += line
        else:
            out.append(line)
        joining = line.endswith(" ") and line != "-- "
        if joining and delsp:
            out[-1] = out[-1][:-1]
    return "\n".join(out)


# Charsets: a label that says Latin-1 or ASCII is often UTF-8 in fact (valid UTF-8 is a strong
# signal), and Windows-1252 is what Latin-1 labels mean in practice (WHATWG does the same).
_WESTERN = {"us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1", "iso-8859-15", "windows-1252"}


def decode_bytes(data: bytes, charset: str | None) -> str:
    label = (charset or "").strip().lower().strip("\"'")
    candidates = ["utf-8", "cp1252"] if not label or label in _WESTERN else [label, "utf-8"]
    for candidate in candidates:
        try:
            return data.decode(candidate)
        except (LookupError, UnicodeDecodeError, ValueError):
            continue
    return data.decode("cp1252", errors="replace")


# Forwards, quotes and signatures ------------------------------------------------------------


@dataclass(frozen=True)
class InlineForward:
    text: str
    subject: str


_FORWARD_MARKERS = re.compile(
    r"^\s*(-{3,}\s*(forwarded message|doorgestuurd( mail)?bericht|weitergeleitete nachricht|"
    r"message transféré)\s*-{3,}|(begin forwarded message|begin doorgestuurd bericht|"
    r"doorgestuurd bericht begint hier)\s*:)\s*$",
    re.IGNORECASE,
)
_ORIGINAL = re.compile(
    r"^\s*-{2,}\s*(original message|oorspronkelijk bericht|origineel bericht)\s*-{2,}\s*$",
    re.IGNORECASE,
)
_HEADER_LINE = re.compile(r"^\s*\*?([A-Za-z][A-Za-z -]{0,20}):\*?\s*(.*)$")
_SUBJECT_NAMES = {"subject", "onderwerp", "betreff", "objet"}
_FROM_NAMES = {"from", "van", "von", "de"}
_SENT_NAMES = {"sent", "verzonden", "date", "datum", "gesendet"}


def inline_forward(text: str, subject: str) -> InlineForward | None:
    """The forwarded mail inside a forwarder's text: after a forward marker, or (with a
    forward subject) after an "Original Message" line or an Outlook header block."""
    lines = text.splitlines()
    looks_forwarded = bool(_FORWARD_SUBJECT.match(subject))
    for index, line in enumerate(lines):
        if _FORWARD_MARKERS.match(line) or (
            looks_forwarded and (_ORIGINAL.match(line) or _outlook_block_at(lines, index))
        ):
            start = index + 1 if not _outlook_block_at(lines, index) else index
            return _after_headers(lines[start:])
    return None


def _after_headers(lines: list[str]) -> InlineForward | None:
    """The forwarded body after its header block (From/Date/Subject/To, in English or Dutch);
    the Subject line is the forwarded mail's title."""
    index = 0
    while index < len(lines) and set(lines[index].strip()) <= {"_", "-"}:
        index += 1  # blank lines and Outlook's line of underscores
    subject = ""
    while index < len(lines):
        match = _HEADER_LINE.match(lines[index])
        if not match or match.group(1).strip().lower() not in _HEADER_NAMES:
            break
        if match.group(1).strip().lower() in _SUBJECT_NAMES:
            subject = match.group(2)
        index += 1
    body = "\n".join(lines[index:]).strip()
    if not body:
        return None
    return InlineForward(body, clean_line(subject))


_HEADER_NAMES = (
    _SUBJECT_NAMES | _FROM_NAMES | _SENT_NAMES | {"to", "aan", "an", "cc", "bcc", "reply-to"}
)


def _outlook_block_at(lines: list[str], index: int) -> bool:
    """`From: ...` followed within a few lines by `Sent:`/`Date:` (Outlook's quoted header)."""
    match = _HEADER_LINE.match(lines[index])
    if not match or match.group(1).strip().lower() not in _FROM_NAMES:
        return False
    for following in lines[index + 1 : index + 5]:
        nxt = _HEADER_LINE.match(following)
        if nxt and nxt.group(1).strip().lower() in _SENT_NAMES:
            return True
    return False


_ATTRIBUTION = re.compile(
    r"^\s*((on|am|le)\s.{4,300}\s(wrote|schrieb|a écrit)\s*:|"
    r"op\s.{4,300}\s(schreef|het volgende geschreven)[^:]{0,80}:)\s*$",
    re.IGNORECASE,
)


def trim_quotes(text: str) -> str:
    """Cuts quoted history: from an attribution ("On ... wrote:", "Op ... schreef ...:"), an
    "Original Message" line, an Outlook header block, or a trailing block of `>` lines.
    Never cuts everything: a text that would be left empty is kept whole."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        joined = line + " " + lines[index + 1] if index + 1 < len(lines) else line
        if (
            _ATTRIBUTION.match(line)
            or (_ATTRIBUTION.match(joined) and not line.rstrip().endswith(":"))
            or _ORIGINAL.match(line)
            or _outlook_block_at(lines, index)
            or _starts_trailing_quote(lines, index)
        ):
            kept = "\n".join(lines[:index]).rstrip().rstrip("_").rstrip()
            return kept if kept.strip() else text
    return text


def _starts_trailing_quote(lines: list[str], index: int) -> bool:
    rest = [line for line in lines[index:] if line.strip()]
    return bool(rest) and lines[index].startswith(">") and all(r.startswith(">") for r in rest)


_MOBILE_FOOTER = re.compile(
    r"^\s*(sent from my \w+|verzonden (vanaf|met) mijn \w+|verstuurd (vanaf|met) mijn \w+|"
    r"get outlook for \w+|outlook voor \w+ downloaden)\b.*$",
    re.IGNORECASE,
)


def trim_signature(text: str) -> str:
    """Cuts the signature after the standard `-- ` delimiter, and a mobile client's footer."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line in ("-- ", "--") or _MOBILE_FOOTER.match(line):
            kept = "\n".join(lines[:index]).rstrip()
            return kept if kept.strip() else text
    return text


# Attachments ---------------------------------------------------------------------------------


def attachments(message: EmailMessage) -> list[AttachmentPart]:
    """Every file in the mail that is kept (see `files`)."""
    return files(message)[0]


def files(message: EmailMessage) -> tuple[list[AttachmentPart], list[SkippedPart]]:
    """Every file in the mail: attachments, inline images (also inside multipart/related and
    forwarded mails); not the text parts that make up a body. The first MAX_ATTACHMENTS are
    kept; the others are named with their size and why they were not kept."""
    found: list[AttachmentPart] = []
    skipped: list[SkippedPart] = []
    for part in message.walk():
        if part.is_multipart() or part.get_content_type() == "message/rfc822":
            continue
        if not _is_file(part):
            continue
        data = part.get_payload(decode=True)
        if isinstance(data, bytes) and data:
            name = _filename(part, len(found) + len(skipped) + 1)
            if len(found) < MAX_ATTACHMENTS:
                found.append(AttachmentPart(name, part.get_content_type(), data))
            elif len(skipped) < MAX_SKIPPED_LISTED:
                skipped.append(SkippedPart(name, part.get_content_type(), len(data), "too_many"))
    return found, skipped


def _is_file(part: Message) -> bool:
    disposition = (part.get_content_disposition() or "").lower()
    if disposition == "attachment" or part.get_param("name") or _safe_filename(part):
        return True
    return part.get_content_maintype() not in ("text", "multipart", "message")


def _safe_filename(part: Message) -> str | None:
    try:
        return part.get_filename()
    except Exception:
        return None


def _filename(part: Message, number: int) -> str:
    name = _safe_filename(part) or str(part.get_param("name") or "")
    name = clean_line(re.split(r"[\\/]", name)[-1]).strip(". ")
    if not name:
        extension = part.get_content_subtype() if part.get_content_maintype() != "text" else "txt"
        name = f"attachment-{number}.{re.sub(r'[^a-z0-9]', '', extension)[:10] or 'bin'}"
    return _shorten(name, 120)


# Text hygiene --------------------------------------------------------------------------------

# The API refuses these in text fields (control and bidirectional-override characters); mail
# text is cleaned of them instead of being refused.
_NOT_IN_A_LINE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NOT_IN_A_PARAGRAPH = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def clean_line(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\t", " "))
    return " ".join(_NOT_IN_A_LINE.sub(" ", text).split())


def clean_paragraphs(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _NOT_IN_A_PARAGRAPH.sub("", text.replace("\u00a0", " "))
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
