"""Pages worked in other processes: the standard library's process pool, its workers forked
from the build's process so that each starts with the shared inputs already read (nothing of
them is sent). Each worker runs `pages.work.work` on the pages it is given and sends back
their results; the pages' order is kept."""

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


def work_all(pages: list, site, processes: int) -> list:
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(processes, mp_context=context, initializer=_start, initargs=(site,)) as pool:
        return list(pool.map(_work, pages, chunksize=max(1, len(pages) // (processes * 8))))
