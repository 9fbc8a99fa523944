"""A deployment with the province as the focal point for harmful content online, and its police contact;
and a local web server that counts every request, to show a reported link is never fetched."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bot.config import Settings
from bot.core import Core, build_core
from tests.conftest import DEPLOYMENT, PROVINCE_GROUP

POLICE_CHAT = -1001000000099  # the province police's contact group for online content

ONLINE_DEPLOYMENT = 'online_content_unit = "01"\n' + DEPLOYMENT.replace(
    f"telegram_chat_id = {PROVINCE_GROUP}\n",
    f'telegram_chat_id = {PROVINCE_GROUP}\npolice = {{ name = "Phòng An ninh mạng", telegram_chat_id = {POLICE_CHAT} }}\n',
    1,
)


@asynccontextmanager
async def online_core(
    make_settings: Callable[..., Settings], database_url: str, tmp_path: Path
) -> AsyncIterator[Core]:
    path = tmp_path / "online.toml"
    path.write_text(ONLINE_DEPLOYMENT, encoding="utf-8")
    built = await build_core(make_settings(database_url, deployment_file=path), demo=False)
    try:
        yield built
    finally:
        await built.db.dispose()


class _Counting(BaseHTTPRequestHandler):
    hits: list[str]

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    do_HEAD = do_GET

    def log_message(self, format: str, *args: object) -> None:
        return


@contextmanager
def watched_link() -> Iterator[tuple[str, list[str]]]:
    """A link to a real local server, and the list of every request it gets."""
    hits: list[str] = []
    handler = type("Handler", (_Counting,), {"hits": hits})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/video/abuse-123", hits
    finally:
        server.shutdown()
        server.server_close()
