"""Spread a list of independent jobs over worker processes, keeping the big data at home.

Helpers are forked after the parent has built whatever the jobs read (the loaded items,
the page plan), so they inherit it for free instead of receiving it pickled; a job is
only a range of indexes into that shared data, and what comes back is small (a parsed
item, the hashes of written files). The parent is one of the workers: with N workers it
forks N - 1 helpers and takes jobs beside them. Where `fork` does not exist (Windows, and
macOS by default) or only one worker is asked for, the jobs simply run in this process.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import queue
import signal
import struct
import threading
from collections.abc import Callable, Iterator
from typing import Generic, NoReturn, TypeVar

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
    """`function` over `range(total)` cut into chunks, in `workers` processes when worthwhile:
    this one and `workers - 1` forked helpers.

    Results arrive as each chunk finishes (not in order), with the chunk they belong to.
    `function` may be any callable, closures included: it is never pickled, because the
    forked helpers find it in the memory they share with this process at the time of the
    fork. `before_fork` runs in this process just before helpers start, and only if they
    do: work that every helper would otherwise repeat for itself.

    This process takes chunks too, rather than only handing them out: each helper grows a
    copy of every page of the parent's memory it touches (a reference count changed is a
    page copied), so at 100,000 items two helpers beside an idle parent held three copies
    of the plan, and the parent and one helper hold two, on the same two cores.
    """
    jobs = ranges(total, chunk)
    if workers <= 1 or total < MIN_PARALLEL_JOBS or not can_fork() or len(jobs) < 2:
        for indexes in jobs:
            yield indexes, function(indexes)
        return
    if before_fork is not None:
        before_fork()
    yield from _Team(function, jobs, min(workers, len(jobs)) - 1).run()


class WorkerFailed(RuntimeError):
    """A helper process stopped before its work was done, or failed with an error that
    could not be sent back."""


# A helper's message: its length (8 bytes), its kind, then the pickled value.
_LENGTH = struct.Struct("<Q")
_RESULT, _FAILURE, _DONE = b"R", b"F", b"D"


def _message(kind: bytes, value: object) -> bytes:
    data = kind + pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    return _LENGTH.pack(len(data)) + data


def _failure(exc: BaseException) -> bytes:
    try:
        return _message(_FAILURE, exc)
    except Exception:  # an error that cannot be pickled is sent as its text
        return _message(_FAILURE, WorkerFailed(f"{type(exc).__name__}: {exc}"))


class _Team(Generic[Result]):
    """This process and forked helpers taking chunks until none are left. Each helper sends
    its results back through a pipe of its own, which a thread of this process reads as they
    come: a helper never waits for this process to finish a chunk of its own before it can
    send one (a chunk of parsed items is about a MB).

    The chunks are cut into one run per process, in order, and each process takes the
    chunks of its own run from its start; one that has finished its run takes the last
    chunk of the run with the most left. So each process works through neighbouring jobs,
    which is what the callers' order is for: rendering takes pages by date (see
    `plan.pages.render_order`), and a process that renders the pages of one stretch of
    time writes each story's entries once and touches, of the parent's memory, mostly the
    stories of that stretch (each page it touches, it copies). Taking from one shared
    counter instead, both processes met nearly every story."""

    def __init__(self, function: Callable[[range], Result], jobs: list[range], helpers: int) -> None:
        import multiprocessing

        self.function = function
        self.jobs = jobs
        self.helpers = helpers
        # Run i is chunks [runs[2i], runs[2i + 1]); this process has run 0, helper k run k + 1.
        workers = helpers + 1
        bounds = [len(jobs) * i // workers for i in range(workers + 1)]
        self.runs = multiprocessing.get_context("fork").Array(
            "q", [bound for i in range(workers) for bound in (bounds[i], bounds[i + 1])]
        )
        self.arrived: queue.SimpleQueue[tuple[int, bytes | None]] = queue.SimpleQueue()
        self.children: list[int] = []
        self.readers: list[threading.Thread] = []

    def take(self, run: int) -> int | None:
        """The number of the next chunk of this process's run, else the last one of the run
        with the most left; None when all are taken."""
        with self.runs.get_lock():
            runs = self.runs
            start, stop = runs[2 * run], runs[2 * run + 1]
            if start < stop:
                runs[2 * run] = start + 1
                return start
            left, other = max((runs[2 * i + 1] - runs[2 * i], i) for i in range(len(runs) // 2))
            if left <= 0:
                return None
            runs[2 * other + 1] -= 1
            return runs[2 * other + 1]

    def run(self) -> Iterator[tuple[range, Result]]:
        # Helpers share this process's memory until they write to it; the garbage collector
        # would write to every object it visits, so the objects made so far are set aside.
        # This process turns the collector on for its own chunks, as helpers do (see
        # `_worker_start`): it then walks only what the chunks make.
        was_enabled = gc.isenabled()
        gc.freeze()
        done = False
        try:
            # Every helper is forked before any reader thread starts: a process forked
            # while another thread runs may inherit a lock that thread held.
            pipes = [self._start(helper + 1) for helper in range(self.helpers)]
            for helper, pipe in enumerate(pipes):
                reader = threading.Thread(target=self._read, args=(helper, pipe), daemon=True)
                reader.start()
                self.readers.append(reader)
            gc.enable()
            working = self.helpers
            while True:
                working -= yield from self._received(block=False)
                number = self.take(0)
                if number is None:
                    break
                yield self.jobs[number], self.function(self.jobs[number])
            while working:
                working -= yield from self._received(block=True)
            done = True
        finally:
            if not was_enabled:
                gc.disable()
            self._stop(kill=not done)
            gc.unfreeze()

    def _received(self, *, block: bool) -> Iterator[tuple[range, Result]]:
        """Yield what helpers have sent (waiting for one message if `block`); return how
        many helpers finished meanwhile. A helper's failure is raised here."""
        finished = 0
        while True:
            try:
                helper, data = self.arrived.get(block=block)
            except queue.Empty:
                return finished
            block = False
            if data is None:
                raise WorkerFailed(f"worker process {self.children[helper]} stopped before its work was done")
            kind, value = data[:1], pickle.loads(memoryview(data)[1:])
            if kind == _FAILURE:
                raise value
            if kind == _DONE:
                finished += 1
                continue
            number, result = value
            yield self.jobs[number], result

    def _start(self, run: int) -> int:
        """Fork a helper that takes chunks from `run` on; return the pipe its results come through."""
        read, write = os.pipe()
        parent = os.getpid()
        child = os.fork()
        if child == 0:  # pragma: no cover (the child's coverage is not collected)
            os.close(read)
            self._serve(parent, write, run)
        os.close(write)
        self.children.append(child)
        return read

    def _serve(self, parent: int, pipe: int, run: int) -> NoReturn:  # pragma: no cover (runs in the child)
        """A helper's life: chunks until none are left, each result sent as it is made."""
        try:
            _worker_start(parent)
            with os.fdopen(pipe, "wb") as stream:
                while (number := self.take(run)) is not None:
                    try:
                        message = _message(_RESULT, (number, self.function(self.jobs[number])))
                    except BaseException as exc:  # the parent raises it
                        stream.write(_failure(exc))
                        break
                    stream.write(message)
                else:
                    stream.write(_message(_DONE, None))
        finally:
            os._exit(0)

    def _read(self, helper: int, pipe: int) -> None:
        """In a thread: each message of one helper, whole, into `arrived`, until its last;
        None when the pipe closes before that (the helper was killed)."""
        with os.fdopen(pipe, "rb") as stream:
            while True:
                head = stream.read(_LENGTH.size)
                length = _LENGTH.unpack(head)[0] if len(head) == _LENGTH.size else 0
                data = stream.read(length) if length else b""
                if not data or len(data) < length:
                    self.arrived.put((helper, None))
                    return
                self.arrived.put((helper, data))
                if data[:1] != _RESULT:
                    return

    def _stop(self, *, kill: bool) -> None:
        """Reap every helper; first stop those that still run when this process failed or
        was interrupted."""
        if kill:
            for child in self.children:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child, signal.SIGKILL)
        for child in self.children:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(child, 0)
        for reader in self.readers:
            reader.join()
        self.children, self.readers = [], []


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
