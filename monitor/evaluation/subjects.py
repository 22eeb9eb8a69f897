"""Recordings by subject: UCI HAPT names its files `subjectNN_expM`, and a subject's recordings are scored
together so one person's many files do not outweigh another's few."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol, TypeVar


class Named(Protocol):
    @property
    def subject(self) -> str: ...


T = TypeVar("T", bound=Named)


def subject_of(name: str) -> str:
    """`subjectNN` from a file name containing it (`subject07_exp2.csv.gz` -> `subject07`); any other
    recording is a subject of its own, named by the recording."""
    m = re.search(r"subject(\d+)", name)
    return f"subject{m.group(1)}" if m else name


def by_subject(items: Iterable[T]) -> dict[str, list[T]]:
    """Items grouped by their subject, subjects in name order, items in their given order."""
    groups: dict[str, list[T]] = {}
    for item in items:
        groups.setdefault(item.subject, []).append(item)
    return dict(sorted(groups.items()))
