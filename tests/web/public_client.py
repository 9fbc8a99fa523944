"""A person at the public web chat over HTTP (the ASGI app in process): forms posted as a browser would."""

from __future__ import annotations

import html
import re

import httpx

PUBLIC = "http://127.0.0.1:8766"
_TOKEN = re.compile(r'name="form" value="([^"]+)"')
_PRESET = re.compile(r'name="xa" value="([^"]+)"')  # a hidden field every form of the page carries
_BUTTON = re.compile(r'<button name="choice" value="([^"]+)">([^<]+)</button>')


class WebChat:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self.page = ""

    async def load(self, path: str = "/") -> str:
        response = await self.http.get(path)
        assert response.status_code == 200, response.text
        self.page = response.text
        return self.page

    @property
    def token(self) -> str:
        found = _TOKEN.search(self.page)
        assert found, self.page
        return found.group(1)

    def text(self) -> str:
        """What a person reads: the page without its tags."""
        return html.unescape(re.sub(r"<[^>]+>", " ", self.page.split("<main>", 1)[1].split("</main>", 1)[0]))

    def value_of(self, label: str) -> str:
        for value, shown in reversed(_BUTTON.findall(self.page)):
            if html.unescape(shown).startswith(label):
                return html.unescape(value)
        raise AssertionError(f"no button {label!r} among {[html.unescape(s) for _, s in _BUTTON.findall(self.page)]}")

    async def post(self, data: dict[str, str], *, token: str | None = None) -> httpx.Response:
        hidden = {"xa": found.group(1)} if (found := _PRESET.search(self.page)) else {}
        response = await self.http.post("/say", data={"form": self.token if token is None else token, **hidden, **data})
        assert response.status_code == 303 and response.headers["location"].startswith("/"), response.text
        await self.load(response.headers["location"])
        return response

    async def send(self, text: str) -> str:
        await self.post({"text": text})
        return self.text()

    async def choose(self, label: str) -> str:
        await self.post({"choice": self.value_of(label)})
        return self.text()
