"""Spread a list of independent jobs over worker processes, keeping the big data at home.

Workers are forked after the parent has built whatever the jobs read (the loaded items,
the page plan), so they inherit it for free instead of receiving it pickled; a job is
only a range of indexes into that shared data, and what comes back is small (a parsed
item, the hashes of written files). Where `fork` does not exist (Windows, and macOS by
default) or only one worker is asked for, the jobs simply run in this process.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

Result = TypeVar("Result")

# Below this many jobs, starting processes costs more than it saves.
MIN_PARALLEL_JOBS = 64
_state: dict[str, object] = {}


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _worker_start(parent: int) -> None:
    # Ctrl-C reaches the whole process group; only the parent decides what happens then.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _state["parent"] = parent
    # A build pauses the collector (see `pipeline`), and the worker inherits the pause; it
    # turns it back on for the cycles its own work leaves (parsing leaves some). The
    # parent's objects are frozen (see `run_jobs`), so the collector never walks them.
    gc.enable()


def parent_is_gone() -> bool:
    """True in a worker whose parent was killed: it must stop writing at once."""
    parent = _state.get("parent")
    return parent is not None and os.getppid() != parent


def _run(numbered: tuple[int, range]) -> tuple[int, object]:
    number, indexes = numbered
    function = _state["function"]
    return number, function(indexes)  # type: ignore[operator]


def ranges(total: int, size: int) -> list[range]:
    return [range(start, min(start + size, total)) for start in range(0, total, size)]


def run_jobs(
    function: Callable[[range], Result],
    total: int,
    *,
    workers: int,
    chunk: int,
    before_fork: Callable[[], object] | None = None,
) -> Iterator[tuple[range, Result]]:
    """`function` over `range(total)` cut into chunks, in worker processes when worthwhile.

    Results arrive as each chunk finishes (not in order), with the chunk they belong to.
    `function` may be any callable, closures included: it is never pickled, because the
    forked workers find it in the memory they share with the parent at the time of the fork.
    `before_fork` runs in this process just before workers start, and only if they do: work
    that every worker would otherwise repeat for itself.
    """
    jobs = ranges(total, chunk)
    if workers <= 1 or total < MIN_PARALLEL_JOBS or not can_fork() or len(jobs) < 2:
        for indexes in jobs:
            yield indexes, function(indexes)
        return
    import multiprocessing

    if before_fork is not None:
        before_fork()

    # Workers share the parent's memory until they write to it; the garbage collector
    # would write to every object it visits, so the objects made so far are set aside.
    gc.freeze()
    _state["function"] = function
    context = multiprocessing.get_context("fork")
    pool = context.Pool(min(workers, len(jobs)), initializer=_worker_start, initargs=(os.getpid(),))
    try:
        for number, result in pool.imap_unordered(_run, list(enumerate(jobs))):
            yield jobs[number], result  # type: ignore[misc]
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
        _state.pop("function", None)
        gc.unfreeze()


class Background(Generic[Result]):
    """`function()` worked out in a forked process while this one goes on; `result()` waits
    for it. Where `fork` does not exist, or the child fails, it runs in this process when
    the result is asked for. The child only reads: whatever it finds is handed back, and
    this process acts on it.
    """

    def __init__(self, function: Callable[[], Result]) -> None:
        self._function = function
        self._owner = os.getpid()
        self._child: int | None = None
        self._pipe: int | None = None
        if not can_fork():
            return
        read, write = os.pipe()
        child = os.fork()
        if child == 0:  # pragma: no cover (the child's coverage is not collected)
            os.close(read)
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C does
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            try:
                data = pickle.dumps((True, function()), pickle.HIGHEST_PROTOCOL)
            except BaseException:
                data = pickle.dumps((False, None))
            try:
                with os.fdopen(write, "wb") as stream:
                    stream.write(data)
            finally:
                os._exit(0)
        os.close(write)
        self._child, self._pipe = child, read

    def result(self) -> Result:
        if os.getpid() != self._owner:
            raise RuntimeError("a background result is read in the process that started it")
        if self._child is None or self._pipe is None:
            return self._function()
        pipe, self._pipe = self._pipe, None
        with os.fdopen(pipe, "rb") as stream:
            data = stream.read()
        self._reap()
        try:
            done, value = pickle.loads(data)
        except Exception:  # cut short: the child was killed
            done, value = False, None
        return value if done else self._function()

    def cancel(self) -> None:
        """Stop the child, if it still runs, and forget it."""
        if self._child is not None and os.getpid() == self._owner:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._child, signal.SIGKILL)
            self._reap()
        if self._pipe is not None:
            os.close(self._pipe)
            self._pipe = None

    def _reap(self) -> None:
        if self._child is not None:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self._child, 0)
            self._child = None
