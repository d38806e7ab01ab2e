"""A letter: the content of one mail, rendered once as plain text and once as HTML.

Mails are written as content (greeting, paragraphs, a link to act on, a signature, a footer)
rather than as two templates, so the text part and the HTML part always say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from chalicelib.mail.message import OutgoingMail


@dataclass(frozen=True)
class Action:
    label: str
    url: str


@dataclass(frozen=True)
class Letter:
    subject: str
    greeting: str
    paragraphs: tuple[str, ...]
    signature: str
    action: Action | None = None
    footer: tuple[str, ...] = ()
    headers: dict[str, str] = field(default_factory=dict)
    items: tuple[Action, ...] = ()  # a list of links after the paragraphs (a digest)
    footer_link: Action | None = None  # e.g. unsubscribe, under the footer lines

    def to(self, address: str) -> OutgoingMail:
        return OutgoingMail(address, self.subject, self.text(), self.html(), dict(self.headers))

    def text(self) -> str:
        blocks = [self.greeting, *self.paragraphs]
        blocks += [f"- {item.label}\n  {item.url}" for item in self.items]
        if self.action is not None:
            blocks.append(f"{self.action.label}: {self.action.url}")
        blocks.append(self.signature)
        footer = [*self.footer]
        if self.footer_link is not None:
            footer.append(f"{self.footer_link.label}: {self.footer_link.url}")
        if footer:
            blocks.append("-- \n" + "\n".join(footer))
        return "\n\n".join(blocks) + "\n"

    def html(self) -> str:
        parts = [f"<p>{_lines(self.greeting)}</p>"]
        parts += [f"<p>{_lines(p)}</p>" for p in self.paragraphs]
        if self.items:
            links = "".join(
                f'<li><a href="{escape(i.url, quote=True)}">{escape(i.label)}</a></li>'
                for i in self.items
            )
            parts.append(f"<ul>{links}</ul>")
        if self.action is not None:
            url = escape(self.action.url, quote=True)
            parts.append(
                f'<p><a href="{url}" style="{_BUTTON}">{escape(self.action.label)}</a></p>'
            )
        parts.append(f"<p>{_lines(self.signature)}</p>")
        footer = [escape(line) for line in self.footer]
        if self.footer_link is not None:
            url = escape(self.footer_link.url, quote=True)
            footer.append(f'<a href="{url}">{escape(self.footer_link.label)}</a>')
        if footer:
            parts.append(f'<p style="{_FOOTER}">{"<br>".join(footer)}</p>')
        body = "\n".join(parts)
        return (
            '<!doctype html><html><head><meta charset="utf-8">'
            f"<title>{escape(self.subject)}</title></head>"
            f'<body style="{_BODY}">\n{body}\n</body></html>\n'
        )


_BODY = "font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1c2b39"
_BUTTON = (
    "display:inline-block;padding:10px 16px;background:#0b5d4b;color:#ffffff;"
    "text-decoration:none;border-radius:4px"
)
_FOOTER = "font-size:12px;color:#5b6770"


def _lines(text: str) -> str:
    return "<br>".join(escape(line) for line in text.split("\n"))
