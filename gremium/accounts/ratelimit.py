"""Login throttling: after too many failures a username, and separately an address, must
wait. Counting per username stops guessing one account's password from many addresses;
counting per address stops one address from trying many accounts."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _keys(username: str, ip: str) -> list[str]:
    name = hashlib.sha256(username.strip().lower().encode()).hexdigest()
    return [f"login-fail:user:{name}", f"login-fail:ip:{ip}"]


def login_blocked(username: str, ip: str) -> bool:
    limit = settings.GREMIUM_LOGIN_MAX_FAILURES
    return any((cache.get(key) or 0) >= limit for key in _keys(username, ip))


def login_failed(username: str, ip: str) -> None:
    window = settings.GREMIUM_LOGIN_WINDOW_MINUTES * 60
    for key in _keys(username, ip):
        # add() starts the window at the first failure; incr() keeps its expiry.
        cache.add(key, 0, window)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window)


def login_succeeded(username: str, ip: str) -> None:
    cache.delete(_keys(username, ip)[0])


def client_ip(meta: dict[str, object]) -> str:
    # REMOTE_ADDR only: a forwarded header is set by the client unless a trusted proxy
    # overwrites it, and the proxy setup is the operator's to configure.
    return str(meta.get("REMOTE_ADDR") or "unknown")
