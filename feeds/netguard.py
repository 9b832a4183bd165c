"""SSRF guard: every outgoing connection goes only to a vetted public address.

The check sits in the connection layer, not before the request: each new TCP
connection (first hop, every redirect hop, every reconnect) resolves the host
with `loop.getaddrinfo`, refuses the lot if any address is not allowed, and
then connects to the vetted address itself. Connecting to the checked address
closes the DNS-rebinding gap between "check" and "connect". TLS is unaffected:
httpcore still passes the origin host name for SNI and certificate checks.
"""
from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable, Iterable
from ipaddress import IPv4Address, IPv6Address, IPv6Network, ip_address

import httpcore
import httpx

from feeds.errors import FeedError

IPAddress = IPv4Address | IPv6Address
AddressCheck = Callable[[IPAddress], bool]

_NAT64_PREFIX = IPv6Network("64:ff9b::/96")


def is_public_address(address: IPAddress) -> bool:
    """Whether the address is public unicast internet, the only kind a fetch may reach."""
    address = embedded_ipv4(address) or address
    # is_global already excludes private, loopback, link-local, unspecified,
    # documentation and 100.64/10 ranges; multicast and reserved slip through it.
    return address.is_global and not address.is_multicast and not address.is_reserved


def any_address(address: IPAddress) -> bool:
    """Allow every address (the `allow_private_networks` setting)."""
    return True


def embedded_ipv4(address: IPAddress) -> IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, 6to4, NAT64), if any."""
    if isinstance(address, IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64_PREFIX:
        return IPv4Address(int(address) & 0xFFFFFFFF)
    return None


async def resolve(host: str, port: int) -> list[IPAddress]:
    """The distinct addresses of a host, in resolver order; `fetch.dns` if there are none."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FeedError("fetch.dns", f"cannot resolve host {host}: {exc}") from exc
    addresses = [ip_address(info[4][0].split("%")[0]) for info in infos]
    if not addresses:
        raise FeedError("fetch.dns", f"host {host} has no address")
    return list(dict.fromkeys(addresses))


def vetted(host: str, addresses: Iterable[IPAddress], is_allowed: AddressCheck) -> list[IPAddress]:
    """The addresses, unless one of them is refused (`fetch.private_address`)."""
    addresses = list(addresses)
    for address in addresses:
        if not is_allowed(address):
            raise FeedError(
                "fetch.private_address",
                f"refused to connect to {host} ({address}): not a public internet address",
            )
    return addresses


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend that connects only to addresses passing `is_allowed`."""

    def __init__(self, is_allowed: AddressCheck) -> None:
        self._is_allowed = is_allowed
        self._backend = httpcore.AnyIOBackend()

    async def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        """Resolve, vet, then connect to the first vetted address that answers."""
        failure: httpcore.ConnectError | None = None
        for address in vetted(host, await resolve(host, port), self._is_allowed):
            try:
                return await self._backend.connect_tcp(
                    str(address), port, timeout=timeout,
                    local_address=local_address, socket_options=socket_options,
                )
            except httpcore.ConnectError as exc:
                failure = exc
        raise failure

    async def connect_unix_socket(self, path, timeout=None, socket_options=None):
        """Unix sockets are never a fetch target."""
        raise FeedError("fetch.bad_url", f"refused to connect to unix socket {path}")

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


def guarded_transport(is_allowed: AddressCheck, limits: httpx.Limits) -> httpx.AsyncHTTPTransport:
    """An httpx transport whose connections all go through `GuardedBackend`."""
    ssl_context = httpx.create_ssl_context()
    transport = httpx.AsyncHTTPTransport(verify=ssl_context, limits=limits, trust_env=False)
    # httpx exposes no network_backend option, so swap in a pool that has one.
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=ssl_context,
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=GuardedBackend(is_allowed),
    )
    return transport
