"""The front-end scripts, served from where `npm ci` put them: no CDN, works offline."""

import logging
from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

# Served name -> path under the assets dir (node_modules), pinned by package-lock.json.
VENDOR_SCRIPTS = {
    "htmx.min.js": Path("htmx.org/dist/htmx.min.js"),
    "sse.js": Path("htmx-ext-sse/dist/sse.js"),
}

log = logging.getLogger(__name__)


def missing_scripts(assets_dir: Path) -> list[Path]:
    return [
        assets_dir / path for path in VENDOR_SCRIPTS.values() if not (assets_dir / path).is_file()
    ]


def vendor_router(assets_dir: Path) -> APIRouter:
    """GET /static/vendor/{name}; pages still render without the scripts, just not live."""
    missing = missing_scripts(assets_dir)
    if missing:
        log.error(
            "front-end scripts missing (%s): run `make install` (it runs `npm ci`), "
            "or point BRIEFING_ASSETS_DIR at a node_modules folder that has them",
            ", ".join(str(path) for path in missing),
        )
    router = APIRouter(prefix="/static/vendor", include_in_schema=False)

    @router.get("/{name}")
    async def vendor_script(name: str) -> FileResponse:
        relative = VENDOR_SCRIPTS.get(name)
        if relative is None or not (assets_dir / relative).is_file():
            raise HTTPException(status_code=404)
        return FileResponse(assets_dir / relative, media_type="text/javascript")

    return router
