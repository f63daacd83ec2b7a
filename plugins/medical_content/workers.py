"""Pages worked in other processes: the standard library's process pool, its workers forked
from the build's process once the shared inputs are read, so that each starts with them
(nothing of them is sent). `Pool.submit` hands a page to a worker while Pelican goes on
reading the next; with one process it works the page here, at once, with no pool at all."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor

from .pages import work

# The build's shared inputs, in a worker process only: set once, by the pool's initializer,
# to the inputs the worker inherited when it was forked. The build's own process never sets it.
_worker_site = None


def _start(site) -> None:
    global _worker_site
    _worker_site = site


def _work(page: work.PageInput) -> work.PageResult:
    return work.work(page, _worker_site)


class Pool:
    def __init__(self, site, processes: int):
        self.site, self.processes = site, processes
        self.executor = None
        if processes > 1:
            self.executor = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"),
                                                initializer=_start, initargs=(site,))

    def submit(self, page: work.PageInput) -> work.PageResult | Future:
        if self.executor is None:
            return work.work(page, self.site)
        return self.executor.submit(_work, page)

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(cancel_futures=True)
            self.executor = None
