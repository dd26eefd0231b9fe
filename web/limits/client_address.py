"""Who a request comes from, for per-client limits: the TCP peer, or what a trusted proxy says.

X-Forwarded-For is believed only from the proxies listed in BRIEFING_TRUSTED_PROXIES: from
anyone else it is whatever the visitor chose to write, and would let one visitor pose as many.
"""

import ipaddress
from collections.abc import Iterable

from starlette.datastructures import Headers
from starlette.types import Scope

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
UNKNOWN_CLIENT = "unknown"


class ClientAddresses:
    def __init__(self, trusted_proxies: Iterable[str] = ()) -> None:
        # A bad entry fails the web's start, not the first request from behind the proxy.
        self._trusted: list[Network] = [
            ipaddress.ip_network(entry, strict=False) for entry in trusted_proxies
        ]

    def of(self, scope: Scope) -> str:
        peer = scope.get("client")
        address = peer[0] if peer else UNKNOWN_CLIENT
        if not self._trusted or not self._is_trusted(address):
            return address
        forwarded = Headers(scope=scope).getlist("x-forwarded-for")
        hops = [hop.strip() for header in forwarded for hop in header.split(",") if hop.strip()]
        # Each proxy appends the address it saw: the rightmost untrusted one is the client.
        for hop in reversed(hops):
            if not self._is_trusted(hop):
                return hop
        return hops[0] if hops else address

    def _is_trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self._trusted)
