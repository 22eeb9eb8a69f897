"""MQTT settings: the broker URL, credentials (password from the config file or the environment, never
the command line), TLS, protocol, topic names, rate limits and the outbox bound."""

from __future__ import annotations

import os
import re
import socket
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from monitor.config import Config
from monitor.errors import ConfigError

PASSWORD_ENV = "POSTURE_MONITOR_MQTT_PASSWORD"
ID_RE = re.compile(r"^[A-Za-z0-9_-]+$")  # Home Assistant discovery ids
DEMO_SUFFIX = "_demo"  # a demo's device id: the real one with this suffix


@dataclass(frozen=True)
class MqttSettings:
    host: str
    port: int = 1883
    tls: bool = False
    username: str | None = None
    password: str | None = None
    ca_file: Path | None = None
    protocol: str = "5"  # or "3.1.1"
    prefix: str = "posture-monitor"
    device_id: str = "posture_monitor"
    device_name: str = "Posture monitor"  # the app device's name in Home Assistant
    discovery_prefix: str = "homeassistant"
    tilt_rate_hz: float = 0.2  # small tilt changes: at most one state per 5 s
    tilt_min_change_deg: float = 0.5
    tilt_jump_deg: float = 2.0  # a change this big goes out at once (at most once a second)
    outbox_max: int = 10_000
    keepalive_s: int = 30
    backoff_min_s: float = 0.5
    backoff_max_s: float = 30.0
    announce_delay_max_s: float = 5.0  # random delay before re-announcing to a restarted Home Assistant

    def __repr__(self) -> str:  # the password never reaches a log line
        return f"MqttSettings({self.describe()})"

    def describe(self) -> str:
        user = f"{self.username}@" if self.username else ""
        return f"mqtt{'s' if self.tls else ''}://{user}{self.host}:{self.port} (MQTT {self.protocol})"

    @property
    def outbox_key(self) -> str:
        """Which broker and device queued messages are for (a file name part): host_port_device."""
        host = re.sub(r"[^A-Za-z0-9.-]", "_", self.host)
        return f"{host}_{self.port}_{self.device_id}"


def parse_url(url: str) -> tuple[str, int, bool, str | None]:
    """mqtt[s]://[user@]host[:port] -> host, port, tls, user. A password in the URL is refused."""
    parts = urlsplit(url if "://" in url else f"mqtt://{url}")
    if parts.scheme not in ("mqtt", "mqtts"):
        raise ConfigError("mqtt.url", url, "scheme must be mqtt:// or mqtts://")
    if parts.password is not None:
        raise ConfigError("mqtt.url", hide_password(url), "no password in the URL (it would show in the "
                          "shell history and process list): set mqtt.password in the config file or "
                          f"${PASSWORD_ENV}")
    try:
        port = parts.port
    except ValueError:
        raise ConfigError("mqtt.url", url, "the port must be a number from 1 to 65535") from None
    if not parts.hostname:
        raise ConfigError("mqtt.url", url, "no host name")
    tls = parts.scheme == "mqtts"
    return parts.hostname, port or (8883 if tls else 1883), tls, parts.username


def hide_password(url: str) -> str:
    """The URL with any password in it masked (for every message that shows a URL)."""
    return re.sub(r"(//[^:/@]*):[^@]*@", r"\1:***@", url)


def _host() -> str:
    return socket.gethostname().split(".")[0] or "host"


def default_device_id() -> str:
    host = re.sub(r"[^A-Za-z0-9_-]", "_", _host())
    return f"posture_monitor_{host}".lower()


def default_device_name() -> str:
    """Named after the host, so two installs on one Home Assistant get distinct entity ids."""
    return f"Posture monitor ({_host()})"


def from_config(cfg: Config, demo: bool = False) -> MqttSettings | None:
    """None when no broker is configured. A demo (simulated sensors) publishes as its own device,
    `<device_id>_demo` named "... (demo)", so Home Assistant never takes it for the real one."""
    url = cfg["mqtt.url"]
    if not url:
        return None
    host, port, tls, user = parse_url(url)
    device_id = cfg["mqtt.device_id"] or default_device_id()
    for key, value in (("mqtt.device_id", device_id), ("mqtt.prefix", cfg["mqtt.prefix"])):
        if not ID_RE.match(value.replace("/", "")):
            raise ConfigError(key, value, "only letters, digits, _ and - are allowed")
    ca = cfg["mqtt.ca_file"]
    if ca is not None and not Path(ca).is_file():
        raise ConfigError("mqtt.ca_file", str(ca), "no such file")
    password = cfg["mqtt.password"] or os.environ.get(PASSWORD_ENV) or None
    name = cfg["mqtt.device_name"] or default_device_name()
    if demo:
        device_id, name = f"{device_id}{DEMO_SUFFIX}", f"{name} (demo)"
    return MqttSettings(host, port, tls, user or cfg["mqtt.username"], password, ca, cfg["mqtt.protocol"],
                        cfg["mqtt.prefix"], device_id, name, cfg["mqtt.discovery_prefix"],
                        cfg["mqtt.tilt_rate_hz"], cfg["mqtt.tilt_min_change_deg"],
                        cfg["mqtt.tilt_jump_deg"], int(cfg["mqtt.outbox_max"]))
