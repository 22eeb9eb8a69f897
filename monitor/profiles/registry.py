"""All known profiles: the shipped ones plus the user's own folder (which may override by id)."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Iterator
from pathlib import Path

from monitor.errors import InputError
from monitor.paths import shipped
from monitor.profiles.loader import load_profile
from monitor.profiles.model import Profile


def profile_files(dirs: Iterable[Path]) -> list[Path]:
    return [f for d in dirs if d.is_dir() for f in sorted(d.glob("*.toml"))]


class Registry:
    """Profiles by id; later folders override earlier ones."""

    def __init__(self, profiles: Iterable[Profile]) -> None:
        self.by_id: dict[str, Profile] = {}
        for p in profiles:
            self.by_id[p.id] = p

    @classmethod
    def load(cls, extra_dir: Path | None = None) -> Registry:
        dirs = [shipped("device_profiles")] + ([extra_dir] if extra_dir else [])
        return cls(load_profile(f) for f in profile_files(dirs))

    def get(self, profile_id: str) -> Profile:
        try:
            return self.by_id[profile_id]
        except KeyError:
            known = ", ".join(sorted(self.by_id)) or "none"
            raise InputError(f"no device profile with id {profile_id!r} (known: {known})") from None

    def __iter__(self) -> Iterator[Profile]:
        return iter(sorted(self.by_id.values(), key=lambda p: p.id))

    def match(self, name: str | None, service_uuids: Iterable[str]) -> Profile | None:
        """The profile a scanned device belongs to: by advertised service, else by name pattern."""
        uuids = {u.lower() for u in service_uuids}
        for p in self:
            if uuids & set(p.service_uuids):
                return p
        for p in self:
            if name and any(fnmatch.fnmatchcase(name, pat) for pat in p.name_patterns):
                return p
        return None
