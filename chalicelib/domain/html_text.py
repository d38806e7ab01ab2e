"""HTML mail as readable plain text: paragraphs and line breaks kept, lists as dashes, links
with their address, quoted blocks as `> ` lines (so reply trimming treats them like plain
text quotes), scripts, styles and the head dropped."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = {
    "address", "article", "aside", "blockquote", "div", "dl", "dt", "dd", "fieldset",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
    "main", "nav", "ol", "p", "pre", "section", "table", "tr", "ul",
}  # fmt: skip
_SKIPPED = {"script", "style", "head", "title", "template", "noscript"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr"}


class _TextBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skipping: list[str] = []
        self.quote_depth = 0
        self.link: str | None = None
        self.link_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping.append(tag)
        elif self.skipping:
            return
        elif tag == "br":
            self._end_line(always=True)
        elif tag in _BLOCKS:
            self._end_line()
            if tag == "blockquote":
                self.quote_depth += 1
            elif tag == "li":
                self.current.append("- ")
            elif tag in ("td", "th"):
                self.current.append(" ")
        elif tag == "a":
            self.link = dict(attrs).get("href")
            self.link_text = []
        elif tag in ("td", "th"):
            self.current.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            if self.skipping:
                self.skipping.pop()
        elif self.skipping:
            return
        elif tag in _BLOCKS:
            self._end_line()
            if tag == "blockquote" and self.quote_depth:
                self.quote_depth -= 1
            if tag in ("p", "div", "table", "ul", "ol", "h1", "h2", "h3", "blockquote"):
                self.lines.append(self._prefix())
        elif tag == "a":
            self._end_link()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            self.handle_starttag(tag, attrs)
        else:
            self.handle_starttag(tag, attrs)
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        text = re.sub(r"\s+", " ", data)
        self.current.append(text)
        if self.link is not None:
            self.link_text.append(text)

    def _end_link(self) -> None:
        href, label = self.link, "".join(self.link_text).strip()
        self.link = None
        if href and re.match(r"https?://", href) and href.rstrip("/") != label.rstrip("/"):
            self.current.append(f" ({href})")

    def _prefix(self) -> str:
        return "> " * self.quote_depth

    def _end_line(self, always: bool = False) -> None:
        line = "".join(self.current).strip()
        self.current = []
        if line or always:
            self.lines.append((self._prefix() + line).rstrip())

    def text(self) -> str:
        self._end_line()
        return "\n".join(self.lines)


def html_to_text(html: str) -> str:
    builder = _TextBuilder()
    builder.feed(html)
    builder.close()
    text = builder.text()
    return re.sub(r"\n{3,}", "\n\n", re.sub(r"(\n>?\s*)+\Z", "", text)).strip()
