"""/healthz, /readyz and /metrics on the console's port (Starlette), as bot/probes.py serves them on the
webhook site; here so that a process without the console does not import Starlette."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.metrics import CONTENT_TYPE
from bot.probes import check_readiness, metrics_allowed

if TYPE_CHECKING:
    from bot.core import Core

__all__ = ["probe_routes"]


def probe_routes(core: Core) -> list[Route]:
    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(_: Request) -> Response:
        found = await check_readiness(core.db, core.metrics, core.settings)
        return JSONResponse(found.body(), status_code=200 if found.ready else 503)

    async def metrics(request: Request) -> Response:
        if not metrics_allowed(core.settings, request.headers.get("authorization", "")):
            return Response(status_code=401)
        return Response(await core.metrics.render(core.db), media_type=CONTENT_TYPE)

    return [Route("/healthz", healthz), Route("/readyz", readyz), Route("/metrics", metrics)]
