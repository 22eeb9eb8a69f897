"""All known profiles: the shipped ones plus the user's own folder (which may override by id)."""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from monitor.errors import InputError
from monitor.paths import shipped
from monitor.profiles.loader import load_profile
from monitor.profiles.model import Profile


def _say_stderr(text: str) -> None:
    from monitor.cli.common import say_stderr  # the command's one-line notice (journald-aware)

    say_stderr(text)


def profile_files(dirs: Iterable[Path]) -> list[Path]:
    return [f for d in dirs if d.is_dir() for f in sorted(d.glob("*.toml"))]


class Registry:
    """Profiles by id; later folders override earlier ones, and each replacement is a line in
    `notices` (a user adapting a shipped profile is meant, but must never be a surprise)."""

    def __init__(self, profiles: Iterable[Profile]) -> None:
        self.by_id: dict[str, Profile] = {}
        self.notices: list[str] = []
        for p in profiles:
            old = self.by_id.get(p.id)
            if old is not None:
                self.notices.append(f"notice: device profile {p.id!r} from {p.path} replaces the one "
                                    f"in {old.path}")
            self.by_id[p.id] = p

    @classmethod
    def load(cls, extra_dir: Path | None = None, say: Callable[[str], None] | None = None) -> Registry:
        """The shipped profiles, then `extra_dir`'s (which must be a folder); each replaced profile is
        said with `say` (default: a line on stderr)."""
        if extra_dir is not None and not extra_dir.is_dir():
            what = "is not a directory" if extra_dir.exists() else "no such directory"
            raise InputError(f"paths.profiles_dir = {str(extra_dir)!r}: {what}")
        dirs = [shipped("device_profiles")] + ([extra_dir] if extra_dir else [])
        registry = cls(load_profile(f) for f in profile_files(dirs))
        for line in registry.notices:
            (say or _say_stderr)(line)
        return registry

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
