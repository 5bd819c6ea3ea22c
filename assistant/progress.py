"""How long work reports progress: a callback taking (done, total, what is being worked on)."""

from collections.abc import Callable

ProgressFn = Callable[[int, int, str], None]
