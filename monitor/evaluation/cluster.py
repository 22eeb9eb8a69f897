"""Connecting to a Dask distributed scheduler for `--cluster`, so that every way of getting it wrong ends
in one line: a malformed address, nothing listening, something else listening (a dashboard or a proxy
speaks HTTP, which Dask's client reads as a frame of absurd length or waits on forever).

The connect runs in a daemon thread with a deadline of its own: distributed's `timeout` covers reaching
the port, not a peer that accepts and then never answers."""

from __future__ import annotations

import sys
import threading
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from monitor.errors import InputError, MonitorError

if TYPE_CHECKING:
    from distributed import Client

SCHEMES = ("tcp", "tls")
CONNECT_TIMEOUT_S = 10.0  # distributed's own connect timeout; the whole attempt gets twice that


class ClusterError(MonitorError):
    """The Dask scheduler cannot be reached, or the `[cluster]` extra is not installed. Exit code 3."""

    exit_code = 3

    def __init__(self, address: str, reason: str) -> None:
        super().__init__(f"--cluster {address}: {reason}")
        self.address = address


def checked_address(address: str) -> str:
    """tcp://HOST:PORT (or tls://); a bare HOST:PORT means tcp://."""
    text = address if "://" in address else f"tcp://{address}"
    parts = urlsplit(text)
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.scheme not in SCHEMES or not parts.hostname or port is None or parts.path not in ("", "/"):
        raise InputError(f"--cluster {address}: expected tcp://HOST:PORT, the scheduler's address "
                         "(it listens on 8786 by default; 8787 is its dashboard)")
    return f"{parts.scheme}://{parts.netloc}"


def connect(address: str) -> Client:
    """A client of the scheduler at `address`, or ClusterError within 2 x CONNECT_TIMEOUT_S."""
    try:
        from distributed import Client
    except ImportError:
        raise ClusterError(address, "needs the [cluster] extra: pip install 'posture-monitor[cluster]'"
                           ) from None
    target = checked_address(address)
    _quiet_failed_clients()
    box: dict[str, Any] = {}

    def attempt() -> None:
        try:
            box["client"] = Client(target, timeout=f"{CONNECT_TIMEOUT_S:g}s", set_as_default=False)
        except BaseException as e:  # anything a wrong peer provokes, MemoryError included
            box["error"] = e

    thread = threading.Thread(target=attempt, name="dask-connect", daemon=True)
    thread.start()
    thread.join(2 * CONNECT_TIMEOUT_S)
    if thread.is_alive():
        raise ClusterError(address, f"no Dask scheduler answered within {2 * CONNECT_TIMEOUT_S:g} s "
                                    "(is it the dashboard's port? the scheduler listens on 8786)")
    if "error" in box:
        raise ClusterError(address, f"cannot reach a Dask scheduler there ({_short(box['error'])})")
    client: Client = box["client"]
    return client


def _short(e: BaseException) -> str:
    text = str(e).splitlines()[0] if str(e) else type(e).__name__
    return text[:160]


def _quiet_failed_clients() -> None:
    """A Client that failed half-way complains from its __del__ at exit: that is not for users."""
    previous = sys.unraisablehook
    if getattr(previous, "posture_monitor", False):
        return

    def hook(unraisable: Any) -> None:
        if getattr(unraisable.object, "__qualname__", "").startswith("Client."):
            return
        previous(unraisable)

    hook.posture_monitor = True  # type: ignore[attr-defined]
    sys.unraisablehook = hook
