"""Absolute links in exports (Atom, standalone HTML) built from the configured public address.

Never from the request's Host header: a feed reader or a cache would otherwise keep links to
whatever host a client claimed (BRIEFING_PUBLIC_URL, else the web's own address).
"""

from starlette.requests import Request

from core.settings import Settings


def public_link(settings: Settings, path: str) -> str:
    return settings.public_base_url + path


def public_route_link(settings: Settings, request: Request, route: str, **params: str) -> str:
    return public_link(settings, request.app.url_path_for(route, **params))
