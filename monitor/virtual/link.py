"""The in-process radio: one bumble LocalLink per event loop, and devices attached to it."""

from __future__ import annotations

import asyncio
import weakref

from bumble.controller import Controller
from bumble.device import Device
from bumble.hci import Address
from bumble.host import Host
from bumble.link import LocalLink

_LINKS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, LocalLink] = weakref.WeakKeyDictionary()


def shared_link() -> LocalLink:
    """The link every virtual device and bumble-backed bleak client of this loop shares."""
    loop = asyncio.get_running_loop()
    if loop not in _LINKS:
        _LINKS[loop] = LocalLink()
    return _LINKS[loop]


def make_device(name: str, address: str, link: LocalLink | None = None) -> Device:
    """A bumble device with its own virtual controller on the link (not yet powered on)."""
    host = Host()
    host.controller = Controller(name, link=link or shared_link())
    return Device(name, address=Address(address), host=host)


def detach(device: Device) -> None:
    """Take a device's controller off the link (the sensor 'switched off')."""
    controller = getattr(device.host, "controller", None)
    link = getattr(controller, "link", None)
    if link is not None and controller in link.controllers:
        link.remove_controller(controller)
    if isinstance(controller, Controller):  # off the air for good: nothing it sends reaches anyone
        controller.le_legacy_advertiser.stop()
        controller.link = LocalLink()
