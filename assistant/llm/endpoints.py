"""Where requests may go: loopback detection and the PREPRO_LOCAL_ONLY guard for every endpoint."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlparse

from assistant.config import Settings
from assistant.errors import PrivacyError

OPENAI_URL = "https://api.openai.com/v1"


def is_loopback(url: str) -> bool:
    """True when the URL's host is this machine (localhost, 127.0.0.0/8, ::1)."""
    host = urlparse(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        try:
            return all(ipaddress.ip_address(info[4][0]).is_loopback for info in socket.getaddrinfo(host, None))
        except OSError:
            return False


def guard_endpoint(url: str, settings: Settings, what: str) -> str:
    """Refuse a non-loopback endpoint, before any data is sent, when PREPRO_LOCAL_ONLY is set."""
    if settings.local_only and not is_loopback(url):
        raise PrivacyError(
            f"{what} endpoint {url} is not on this machine and PREPRO_LOCAL_ONLY=true forbids it; "
            "point it at a loopback server (e.g. http://127.0.0.1:8080/v1) or unset PREPRO_LOCAL_ONLY"
        )
    return url
