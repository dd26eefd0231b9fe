"""The SSRF guard: a feed URL is resolved once and refused unless it points at a public address.

The caller connects to the address that was checked, not to the name: for http the request goes to
the IP with the original Host header; for https it goes to the IP too, with the hostname kept for
SNI and certificate checks (httpx's `sni_hostname` extension). Hosts named by configuration
(`host:port`) are trusted to be on private addresses; the scheme check still applies to them.

Not guarded here: IPv6 addresses embedding an IPv4 address other than IPv4-mapped ones are not
unwrapped; 6to4 (2002::/16) counts as public even when it wraps 10.0.0.5.
"""

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass

import httpx
from temporalio.exceptions import ApplicationError

from activities.errors import FeedError

ALLOWED_SCHEMES = {"http": 80, "https": 443}
SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")  # CGNAT, RFC 6598
UNIQUE_LOCAL = ipaddress.ip_network("fc00::/7")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class CheckedTarget:
    """A URL whose host resolved to `address`, which passed the guard."""

    url: httpx.URL
    address: str

    @property
    def pinned_url(self) -> httpx.URL:
        """The same URL with the checked IP in place of the host: no second DNS lookup."""
        return self.url.copy_with(host=self.address)

    @property
    def host_header(self) -> str:
        return self.url.netloc.decode("ascii")


class AddressGuard:
    def __init__(self, trusted_hosts: Iterable[str] = ()) -> None:
        self._trusted = frozenset(key for entry in trusted_hosts for key in _trust_keys(entry))

    def is_trusted(self, url: httpx.URL) -> bool:
        return (url.host.lower(), _port_of(url)) in self._trusted

    async def check(self, url: httpx.URL) -> CheckedTarget:
        if url.scheme not in ALLOWED_SCHEMES:
            raise refused(f"scheme {url.scheme or '(none)'!r} is not http or https")
        if not url.host:
            raise refused(f"{url} has no host")
        addresses = await _resolve(url.host, _port_of(url))
        if not self.is_trusted(url):
            for address in addresses:
                if reason := refusal_reason(address):
                    raise refused(f"address {address} is {reason}")
        return CheckedTarget(url=url, address=str(addresses[0]))


def refusal_reason(address: IPAddress) -> str | None:
    """Why a feed may not be fetched from this address, or None for a public address."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        inner = refusal_reason(address.ipv4_mapped)
        return f"IPv4-mapped {inner}" if inner else None
    checks = [
        (address.is_loopback, "loopback"),
        (address.is_link_local, "link-local"),
        (address.is_multicast, "multicast"),
        (address.is_unspecified, "unspecified"),
        (address in SHARED_ADDRESS_SPACE, "shared (CGNAT)"),
        (address in UNIQUE_LOCAL, "unique-local"),
        (address.is_reserved, "reserved"),
        (address.is_private, "private"),
        (not address.is_global, "not publicly routable"),
    ]
    return next((reason for matches, reason in checks if matches), None)


def refused(reason: str) -> ApplicationError:
    return ApplicationError(f"feed refused: {reason}", type=FeedError.REFUSED, non_retryable=True)


async def _resolve(host: str, port: int) -> list[IPAddress]:
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise ApplicationError(
            f"{host} does not resolve: {error}", type=FeedError.UNAVAILABLE
        ) from error
    # sockaddr[0] of an IPv6 link-local address may carry a "%scope" suffix.
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def _port_of(url: httpx.URL) -> int:
    return url.port or ALLOWED_SCHEMES.get(url.scheme, 0)


def _trust_keys(entry: str) -> set[tuple[str, int]]:
    """`http://host:port/path` trusts that host:port; `host` alone trusts its ports 80 and 443."""
    url = httpx.URL(entry if "://" in entry else f"http://{entry}")
    host = url.host.lower()
    if url.port is None and "://" not in entry:
        return {(host, port) for port in ALLOWED_SCHEMES.values()}
    return {(host, _port_of(url))}
