"""Typed readers for settings taken from the environment; a bad value stops start-up loudly."""

from __future__ import annotations

import ipaddress
import os

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
# The key DEBUG and the tests fall back to; the deploy check refuses it (gremium.E002).
DEVELOPMENT_SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class SettingError(RuntimeError):
    """An environment variable holds a value gremium cannot use."""


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise SettingError(f"{name}={raw!r} is not a boolean: use 1/0, true/false, yes/no or on/off")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SettingError(f"{name}={raw!r} is not a whole number") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def env_networks(name: str, default: list[str]) -> list[IPNetwork]:
    """Comma-separated addresses or CIDR networks (`10.0.0.0/8, ::1`); a bare address is a
    network of one. A value that is neither stops start-up, naming the variable."""
    networks = []
    for part in env_list(name, default):
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError as exc:
            raise SettingError(
                f"{name}: {part!r} is not an IP address or network (e.g. 10.0.0.0/8)"
            ) from exc
    return networks
