"""Pages worked in other processes: the standard library's process pool, its workers forked
from the build's process so that each starts with the shared inputs already read (nothing of
them is sent). `Pool.map` runs `pages.work.work` on each page and gives the results in the
pages' order; with one process it works them here, with no pool at all."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

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
        self.used = 1  # processes that worked pages

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.executor is not None:
            self.executor.shutdown(cancel_futures=True)

    def map(self, pages: list) -> list:
        if self.processes <= 1 or len(pages) < 2:
            return [work.work(page, self.site) for page in pages]
        if self.executor is None:  # forked when first needed: a warm cache may need none
            self.executor = ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("fork"),
                                                initializer=_start, initargs=(self.site,))
            self.used = self.processes
        chunk = max(1, len(pages) // (self.processes * 4))
        return list(self.executor.map(_work, pages, chunksize=chunk))
