"""The SSRF guard: a feed URL is resolved once and refused unless it points at a public address.

The caller connects to the address that was checked, not to the name: for http the request goes to
the IP with the original Host header; for https it goes to the IP too, with the hostname kept for
SNI and certificate checks (httpx's `sni_hostname` extension). Hosts named by configuration
(`host:port`) are trusted to be on private addresses; the scheme check still applies to them.

IPv6 forms that carry an IPv4 address (IPv4-mapped, 6to4, NAT64, Teredo) are judged by the
IPv4 address inside: 6to4 of 10.0.0.5 is as private as 10.0.0.5.

The refusal a visitor sees says only that the source is not allowed; which address it resolved
to and why that address is refused goes to the worker's log, so that internal addresses (a
container network's, say) are never shown on a page.
"""

import asyncio
import ipaddress
import logging
import socket
from collections.abc import Iterable
from dataclasses import dataclass

import httpx
from temporalio.exceptions import ApplicationError

from activities.errors import FeedError

ALLOWED_SCHEMES = {"http": 80, "https": 443}
SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")  # CGNAT, RFC 6598
PROTOCOL_ASSIGNMENTS = ipaddress.ip_network("192.0.0.0/24")  # RFC 6890: never a web server
UNIQUE_LOCAL = ipaddress.ip_network("fc00::/7")
SITE_LOCAL = ipaddress.ip_network("fec0::/10")  # deprecated (RFC 3879), still routed inside sites
# NAT64 prefixes (RFC 6052, RFC 8215): the last 32 bits are the IPv4 address reached.
NAT64_PREFIXES = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
log = logging.getLogger(__name__)

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
        return (url.host.lower(), port_of(url)) in self._trusted

    async def check(self, url: httpx.URL, subject: str = "feed") -> CheckedTarget:
        """`subject` names what is downloaded in a refusal: "feed", "page"."""
        if url.scheme not in ALLOWED_SCHEMES:
            raise refused(f"scheme {url.scheme or '(none)'!r} is not http or https", subject)
        if not url.host:
            raise refused(f"{url} has no host", subject)
        addresses = await _resolve(url.host, port_of(url))
        if not self.is_trusted(url):
            for address in addresses:
                if reason := refusal_reason(address):
                    log.warning("%s %s refused: address %s is %s", subject, url, address, reason)
                    raise refused(f"{url.host} is not an allowed source", subject)
        return CheckedTarget(url=url, address=str(addresses[0]))


def refusal_reason(address: IPAddress) -> str | None:
    """Why a feed may not be fetched from this address, or None for a public address."""
    if isinstance(address, ipaddress.IPv6Address) and (wrapped := _embedded_ipv4(address)):
        form, inner = wrapped
        reason = refusal_reason(inner)
        return f"{form} {reason}" if reason else None
    checks = [
        (address.is_loopback, "loopback"),
        (address.is_link_local, "link-local"),
        (address.is_multicast, "multicast"),
        (address.is_unspecified, "unspecified"),
        (address in SHARED_ADDRESS_SPACE, "shared (CGNAT)"),
        (address in PROTOCOL_ASSIGNMENTS, "an IETF protocol assignment"),
        (address in UNIQUE_LOCAL, "unique-local"),
        (address in SITE_LOCAL, "site-local"),
        (address.is_reserved, "reserved"),
        (address.is_private, "private"),
        (not address.is_global, "not publicly routable"),
    ]
    return next((reason for matches, reason in checks if matches), None)


def _embedded_ipv4(address: ipaddress.IPv6Address) -> tuple[str, ipaddress.IPv4Address] | None:
    """The IPv4 address an IPv6 address stands for, with the name of the form, if any."""
    if address.ipv4_mapped:
        return "IPv4-mapped", address.ipv4_mapped
    if address.sixtofour:
        return "6to4", address.sixtofour
    if address.teredo:
        return "Teredo", address.teredo[1]
    for prefix in NAT64_PREFIXES:
        if address in prefix:
            return "NAT64", ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def refused(reason: str, subject: str = "feed") -> ApplicationError:
    return ApplicationError(
        f"{subject} refused: {reason}", type=FeedError.REFUSED, non_retryable=True
    )


async def _resolve(host: str, port: int) -> list[IPAddress]:
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise ApplicationError(
            f"{host} does not resolve: {error}", type=FeedError.UNAVAILABLE
        ) from error
    # sockaddr[0] of an IPv6 link-local address may carry a "%scope" suffix. It is a str for
    # the AF_INET and AF_INET6 results asked for; the int of typeshed's union is raw sockets'.
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


def port_of(url: httpx.URL) -> int:
    return url.port or ALLOWED_SCHEMES.get(url.scheme, 0)


def _trust_keys(entry: str) -> set[tuple[str, int]]:
    """`http://host:port/path` trusts that host:port; `host` alone trusts its ports 80 and 443."""
    url = httpx.URL(entry if "://" in entry else f"http://{entry}")
    host = url.host.lower()
    if url.port is None and "://" not in entry:
        return {(host, port) for port in ALLOWED_SCHEMES.values()}
    return {(host, port_of(url))}
