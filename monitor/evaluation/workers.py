"""Where evaluation work runs: in this process, in a local process pool (`--jobs N`), or on an existing
Dask distributed cluster (`--cluster tcp://HOST:8786`, the optional `[cluster]` extra).

All three hand back results in the order of the items, so figures pooled from them are the same
however the work was spread. Work functions must be picklable (module-level functions, or
`functools.partial` of them) and should return plain counts, not whole recordings."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Protocol, TypeVar

from monitor.errors import InputError
from monitor.evaluation.cluster import connect

T = TypeVar("T")
R = TypeVar("R")


class Workers(Protocol):
    """Runs `fn` over `items`, results in item order."""

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]: ...


class Serial:
    """In this process, one item after another."""

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        return map(fn, items)


class Pool:
    """A local process pool (`--jobs N`)."""

    def __init__(self, executor: Executor) -> None:
        self.executor = executor

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        return self.executor.map(fn, items)


class Cluster:
    """A Dask distributed client; each item is its own task (`pure=False`: equal items still run).
    Results are yielded in item order as they arrive, so a progress bar can follow them."""

    def __init__(self, client: object) -> None:
        self.client = client

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        futures = self.client.map(fn, list(items), pure=False)  # type: ignore[attr-defined]
        return (future.result() for future in futures)


def check_jobs(jobs: int) -> int:
    if jobs < 1:
        raise InputError(f"--jobs {jobs}: at least 1")
    return jobs


@contextmanager
def open_workers(jobs: int = 1, cluster: str | None = None, n_items: int | None = None
                 ) -> Iterator[Workers]:
    """Serial for one job (or one item), a pool of `jobs` processes, or the cluster at `cluster`
    (which wins over `jobs`)."""
    if cluster is not None:
        with _client(cluster) as client:
            yield Cluster(client)
        return
    jobs = check_jobs(jobs)
    if jobs == 1 or (n_items is not None and n_items <= 1):
        yield Serial()
        return
    with ProcessPoolExecutor(max_workers=jobs if n_items is None else min(jobs, n_items)) as pool:
        yield Pool(pool)


@contextmanager
def _client(address: str) -> Iterator[object]:
    client = connect(address)
    try:
        yield client
    finally:
        client.close()
