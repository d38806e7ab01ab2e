"""Reading mailed-in opportunities (pure: no AWS): charsets, HTML, forwards, trimming."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain.html_text import html_to_text
from chalicelib.domain.inbound_mail import (
    UnparseableMail,
    decode_bytes,
    parse_mail,
    trim_quotes,
    trim_signature,
)


def mail(body: str, subject: str = "Kans", headers: str = "") -> bytes:
    return (
        f"From: Mieke <mieke@example.nl>\nSubject: {subject}\n{headers}"
        f"Content-Type: text/plain; charset=utf-8\n\n{body}"
    ).encode()


@pytest.mark.parametrize(
    ("data", "label", "text"),
    [
        ("café".encode(), "iso-8859-1", "café"),  # UTF-8 labelled Latin-1
        ("café".encode("latin-1"), "utf-8", "café"),  # Latin-1 labelled UTF-8
        (b"\x93quoted\x94 \x80 5", "iso-8859-1", "\u201cquoted\u201d \u20ac 5"),  # cp1252
        ("café".encode("latin-1"), "no-such-charset", "café"),
        ("Привет".encode("koi8-r"), "koi8-r", "Привет"),
    ],
)
def test_charsets_fall_back_to_what_the_bytes_are(data: bytes, label: str, text: str) -> None:
    assert decode_bytes(data, label) == text


def test_a_subject_in_raw_utf8_bytes_is_read() -> None:
    raw = "From: a@example.nl\nSubject: Één kans\n\nData engineering".encode()
    assert parse_mail(raw).title == "Één kans"


def test_reply_prefixes_leave_the_title() -> None:
    assert parse_mail(mail("x", "RE: Fwd: Antw: Interim CFO")).title == "Interim CFO"


def test_without_a_subject_the_first_line_is_the_title() -> None:
    parsed = parse_mail(mail("Interim CFO gezocht\n\nDrie maanden.", subject=""))
    assert parsed.title == "Interim CFO gezocht"


def test_html_becomes_readable_text() -> None:
    html = (
        "<html><head><style>p{color:red}</style></head><body><h1>Kans</h1>"
        "<p>Een <b>interim</b>&nbsp;manager.</p><ul><li>4 dagen</li><li>Utrecht</li></ul>"
        "<blockquote>oude mail</blockquote><p>Zie <a href='https://x.nl/v'>hier</a></p></body>"
    )
    assert html_to_text(html) == (
        "Kans\n\nEen interim manager.\n\n- 4 dagen\n- Utrecht\n\n> oude mail\n\n"
        "Zie hier (https://x.nl/v)"
    )


@pytest.mark.parametrize(
    "attribution",
    [
        "On Mon, 4 May 2026 at 10:00, Ton <ton@example.nl> wrote:",
        "Op ma 4 mei 2026 om 10:00 schreef Ton <ton@example.nl>:",
        "-----Original Message-----",
        "From: Ton\nSent: Monday\nTo: Mieke",
    ],
)
def test_quoted_history_is_cut(attribution: str) -> None:
    text = f"Nieuwe kans.\n\n{attribution}\n> oud\n> ouder"
    assert trim_quotes(text) == "Nieuwe kans."


def test_nothing_is_cut_when_nothing_would_be_left() -> None:
    only_quote = "> alles is citaat\n> nog meer"
    assert trim_quotes(only_quote) == only_quote
    assert trim_signature("-- \nMieke") == "-- \nMieke"


def test_the_signature_after_the_delimiter_is_cut() -> None:
    assert trim_signature("Kans!\n\n-- \nMieke\n06-123") == "Kans!"
    assert trim_signature("Kans!\n\nSent from my iPhone") == "Kans!"


def test_the_forwarded_mail_is_the_content() -> None:
    body = (
        "FYI\n\nBegin forwarded message:\n\nFrom: Klant <k@klant.nl>\nSubject: Data engineer"
        " gezocht\nDate: 4 May 2026\nTo: Mieke\n\nWij zoeken een data engineer."
    )
    parsed = parse_mail(mail(body, "Fwd: Data engineer gezocht"))
    assert parsed.forwarded
    assert (parsed.title, parsed.description) == (
        "Data engineer gezocht",
        "Wij zoeken een data engineer.",
    )


def test_a_mail_without_headers_or_with_a_broken_multipart_is_unparseable() -> None:
    with pytest.raises(UnparseableMail):
        parse_mail(b"\x00\x01 random")
    broken = b"From: a@b.nl\nContent-Type: multipart/mixed; boundary=x\n\n--y\n\nhi\n"
    with pytest.raises(UnparseableMail):
        parse_mail(broken)


def test_control_and_bidi_characters_never_reach_the_text() -> None:
    parsed = parse_mail(mail("Kans\u202e gnirts\x07\x1b[0m ok", "Titel\u2066 \x00x"))
    for text in (parsed.title, parsed.description):
        assert not any(ch in text for ch in "\u202e\u2066\x00\x07\x1b")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000))
def test_any_bytes_parse_or_are_unparseable_and_nothing_else(raw: bytes) -> None:
    try:
        parsed = parse_mail(raw)
    except UnparseableMail:
        return
    assert len(parsed.title) <= 200 and len(parsed.description) <= 10_000
    assert parsed.from_address is None or parsed.from_address.isprintable()


def test_the_message_id_and_the_dkim_signing_domains_are_read() -> None:
    headers = (
        "Message-ID: <CAH8=abc@mail.gmail.com>\n"
        "DKIM-Signature: v=1; a=rsa-sha256;\n d=Example.NL; s=s1; b=x\n"
        "DKIM-Signature: v=1; d=mailer.example; s=s2; b=y\n"
    )

    parsed = parse_mail(mail("Een data engineer gezocht.", headers=headers))

    assert parsed.message_id == "CAH8=abc@mail.gmail.com"
    assert parsed.dkim_domains == ("example.nl", "mailer.example")
    assert parse_mail(mail("Geen kop.")).message_id is None


def test_files_beyond_the_limit_are_named_with_their_size_not_dropped() -> None:
    boundary = "b1"
    parts = "".join(
        f"--{boundary}\nContent-Type: application/pdf\n"
        f'Content-Disposition: attachment; filename="f{n}.pdf"\n\n{"x" * n}\n'
        for n in range(1, 23)
    )
    raw = (
        "From: Mieke <mieke@example.nl>\nSubject: Veel\n"
        f'Content-Type: multipart/mixed; boundary="{boundary}"\n\n'
        f"--{boundary}\nContent-Type: text/plain\n\nZie bijlagen.\n{parts}--{boundary}--\n"
    ).encode()

    parsed = parse_mail(raw)

    assert len(parsed.attachments) == 20
    assert [(s.filename, s.reason) for s in parsed.skipped] == [
        ("f21.pdf", "too_many"),
        ("f22.pdf", "too_many"),
    ]
    assert parsed.skipped[0].size >= 21
