"""The health check a process manager, a reverse proxy or a monitoring system
asks: GET /halsa answers 200 with a small JSON when the service can take
work (the models are loaded and the workers are running), 503 otherwise.
It needs no API key and says nothing about anyone's documents."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from policygen import __version__
from policygen.render.pdf import soffice_command


async def health(request: Request) -> JSONResponse:
    pool = request.app.state.pool
    workers = len(pool.worker_pids())
    ready = pool.ready()
    body = {"status": "ok" if ready else "startar", "version": __version__, "arbetsprocesser": workers,
            "pdf": soffice_command() is not None}
    return JSONResponse(body, status_code=200 if ready else 503, headers={"cache-control": "no-store"})
