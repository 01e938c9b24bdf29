"""Small HTML inspection helpers for tests (standard library parser, no browser)."""

from __future__ import annotations

from html.parser import HTMLParser


class Page(HTMLParser):
    """Collects elements (tag, attrs), text outside <script>/<style>, and script bodies."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.texts: list[str] = []
        self.scripts: list[str] = []
        self.tds: list[str] = []
        self._stack: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag in ("br", "img", "meta", "link", "input", "hr"):
            return
        self._stack.append(tag)
        if tag == "td":
            self.tds.append("")

    def handle_endtag(self, tag):
        if tag in self._stack:
            while self._stack and self._stack.pop() != tag:
                pass

    def handle_data(self, data):
        inside = self._stack[-1] if self._stack else ""
        if inside == "script":
            self.scripts.append(data)
        elif inside not in ("style", "title"):
            self.texts.append(data)
        if "td" in self._stack and self.tds:
            self.tds[-1] += data

    @property
    def text(self) -> str:
        return "".join(self.texts)
