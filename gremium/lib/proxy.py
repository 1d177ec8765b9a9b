"""X-Forwarded-* headers count only when a trusted proxy sent them.

Any client can send `X-Forwarded-For: 1.2.3.4` or `X-Forwarded-Proto: https`. Only a
request whose direct peer (REMOTE_ADDR) lies in GREMIUM_TRUSTED_PROXIES keeps them; from
anyone else they are removed before Django reads them, so SECURE_PROXY_SSL_HEADER,
USE_X_FORWARDED_HOST and the login throttle's client address cannot be forged. Behind a
trusted proxy REMOTE_ADDR becomes the client the proxy saw: the nearest address in
X-Forwarded-For that is not itself a trusted proxy.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from gremium.lib.env import IPNetwork

# Headers only a proxy may set; Django's META names.
_PROXY_HEADERS = ("HTTP_FORWARDED", "HTTP_X_REAL_IP")
_PROXY_PREFIX = "HTTP_X_FORWARDED_"
# Peers already reported for sending forwarded headers: once each, and a bounded number.
_REPORTED_LIMIT = 64
log = logging.getLogger(__name__)


def address_in(address: str, networks: Iterable[IPNetwork]) -> bool:
    """Whether `address` (as in REMOTE_ADDR) lies in any of `networks`; never for a value
    that is not an IP address."""
    try:
        parsed = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return False
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped:
        parsed = parsed.ipv4_mapped
    return any(parsed in network for network in networks)


def forwarded_client(chain: str, peer: str, trusted: list[IPNetwork]) -> str:
    """The client behind a chain of trusted proxies: walking X-Forwarded-For from the
    right (the hop nearest to us), the first address that is not a trusted proxy. An entry
    that is not an address ends the walk: what stands left of it cannot be trusted."""
    client = peer
    for hop in reversed([part.strip() for part in chain.split(",")]):
        if not _is_address(hop):
            break
        client = hop
        if not address_in(hop, trusted):
            break
    return client


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value.strip("[]"))
    except ValueError:
        return False
    return True


class TrustedProxyMiddleware:
    """First in MIDDLEWARE: every later middleware and view sees only honest headers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.trusted: list[IPNetwork] = list(settings.GREMIUM_TRUSTED_PROXIES)
        self.reported: set[str] = set()

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        meta = request.META
        peer = str(meta.get("REMOTE_ADDR") or "")
        if address_in(peer, self.trusted):
            chain = meta.get("HTTP_X_FORWARDED_FOR")
            if chain:
                meta["REMOTE_ADDR"] = forwarded_client(str(chain), peer, self.trusted)
        else:
            dropped = [key for key in meta if _is_proxy_header(key)]
            for name in dropped:
                del meta[name]
            if dropped:
                self.report(peer, dropped)
        return self.get_response(request)

    def report(self, peer: str, dropped: list[str]) -> None:
        """A proxy that is not trusted yet is a likely misconfiguration (HTTPS redirects
        that never end): say so once per address."""
        if peer in self.reported or len(self.reported) >= _REPORTED_LIMIT:
            return
        self.reported.add(peer)
        headers = ", ".join(name[5:].replace("_", "-").title() for name in sorted(dropped))
        log.warning(
            "%s from %s ignored: the address is not in GREMIUM_TRUSTED_PROXIES", headers, peer
        )


def _is_proxy_header(name: str) -> bool:
    return name.startswith(_PROXY_PREFIX) or name in _PROXY_HEADERS
