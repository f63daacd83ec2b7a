"""Pages worked in other processes: the standard library's process pool, its workers forked
from the build's process once the shared inputs are read, so that each starts with them
(nothing of them is sent). `Pool.submit` hands a page to a worker while Pelican goes on
reading the next; with one process it works the page here, at once, with no pool at all.

With a cache, the process that works a page keeps its result there, HTML and all, and hands
back the result without its HTML: the build's process reads the HTML only when it draws the
page, so it never holds every page's HTML at once."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor

from .pages import work

# The build's shared inputs and cache, in a worker process only: set once, by the pool's
# initializer, to what the worker inherited when it was forked. The build's own process never
# sets it.
_worker_inputs = None


def _start(site, cache) -> None:
    global _worker_inputs
    _worker_inputs = (site, cache)


def _work(page: work.PageInput, key: str | None) -> work.PageResult:
    return worked_and_kept(page, key, *_worker_inputs)


def _grid_reading() -> list[str]:
    return _worker_inputs[0].grid_reading_problems()


def worked_and_kept(page: work.PageInput, key: str | None, site, cache) -> work.PageResult:
    result = work.work(page, site)
    if cache is not None and key and cache.keep_result(key, result):
        return work.for_site_checks(result)  # the build reads the rest from the cache when it draws the page
    return result


class Pool:
    def __init__(self, site, cache, processes: int):
        self.site, self.cache, self.processes = site, cache, processes
        self.executor = None
        if processes > 1:
            self.executor = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"),
                                                initializer=_start, initargs=(site, cache))

    def submit(self, page: work.PageInput, key: str | None) -> work.PageResult | Future:
        if self.executor is None:
            return worked_and_kept(page, key, self.site, self.cache)
        return self.executor.submit(_work, page, key)

    def grid_reading(self) -> list[str] | Future:
        """The option grids' reading checks (SiteInputs.grid_reading_problems), in a worker
        when there are workers: the build's own process then never loads the pronouncing
        dictionary or the hyphenation patterns."""
        if self.executor is None:
            return self.site.grid_reading_problems()
        return self.executor.submit(_grid_reading)

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(cancel_futures=True)
            self.executor = None
