"""Unsubscribe links for the mails about new opportunities (announcements and the digest).

A member's link carries a token signed for them (purpose `unsubscribe`), so it works without
signing in and cannot be made for someone else. Two ways in:
- the link in the mail body opens the web app's `#/unsubscribe?token=...` page, which asks
  for a click and then POSTs to the API (a page, not a GET that unsubscribes: mail scanners
  follow links);
- the `List-Unsubscribe` header is the API's `POST /unsubscribe?token=...`, and
  `List-Unsubscribe-Post: List-Unsubscribe=One-Click` lets a mail client unsubscribe in one
  click (RFC 8058). Without a configured API URL (COOP_API_URL empty) the header falls back to
  the web app's page and leaves out List-Unsubscribe-Post (a web page cannot take the POST).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from chalicelib.mail.links import Links, Signer

PURPOSE = "unsubscribe"


@dataclass(frozen=True)
class UnsubscribeLink:
    page_url: str
    headers: dict[str, str]


@dataclass(frozen=True)
class Unsubscribes:
    links: Links
    signer: Signer
    api_url: str

    def token(self, member_id: str) -> str:
        return self.signer.sign(PURPOSE, member_id)

    def member_of(self, token: str) -> str | None:
        return self.signer.verify(PURPOSE, token)

    def link(self, member_id: str) -> UnsubscribeLink:
        token = quote(self.token(member_id), safe="")
        page = self.links.unsubscribe(token)
        if not self.api_url:
            return UnsubscribeLink(page, {"List-Unsubscribe": f"<{page}>"})
        one_click = f"{self.api_url.rstrip('/')}/unsubscribe?token={token}"
        return UnsubscribeLink(
            page,
            {
                "List-Unsubscribe": f"<{one_click}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
