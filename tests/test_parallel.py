"""The job runner that loads and renders big sites: this process works beside forked helpers,
every chunk is done once, and a failure anywhere stops the whole team."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn

import pytest

from generator.parallel import WorkerFailed, can_fork, run_jobs

pytestmark = pytest.mark.skipif(
    not can_fork() or not Path("/proc/self/task").is_dir(),
    reason="helpers are forked, and found in /proc; without fork the jobs run in this process",
)


def children() -> set[int]:
    """This process's children, reaped or not (other tests may leave some of their own)."""
    tasks = Path(f"/proc/{os.getpid()}/task")
    return {int(pid) for task in tasks.iterdir() for pid in (task / "children").read_text().split()}


@pytest.fixture(autouse=True)
def no_helper_left() -> Iterator[None]:
    """Every helper a test starts is gone, and reaped, when the test ends."""
    before = children()
    yield
    assert children() <= before


@pytest.mark.parametrize("workers", [2, 3])
def test_every_chunk_is_done_once_by_this_process_and_its_helpers(workers: int) -> None:
    def work(indexes: range) -> tuple[int, list[int]]:
        time.sleep(0.005)  # long enough that the helper gets chunks too
        return os.getpid(), [index * index for index in indexes]

    seen: list[int] = []
    processes: set[int] = set()
    for indexes, (pid, squares) in run_jobs(work, 1000, workers=workers, chunk=10):
        assert squares == [index * index for index in indexes]
        seen += indexes
        processes.add(pid)
    assert sorted(seen) == list(range(1000))
    assert os.getpid() in processes and len(processes) == workers


@pytest.mark.parametrize("workers", [2, 3])
def test_each_process_works_through_neighbouring_chunks(workers: int) -> None:
    """Rendering hands over pages in order of date so that one process meets a story's
    lists together: each process starts a run of its own and takes neighbours, and one
    that is done early helps from the end of a run that is not."""

    def work(indexes: range) -> int:
        time.sleep(0.005)
        return os.getpid()

    done_by: dict[int, list[int]] = {}
    for indexes, pid in run_jobs(work, 600, workers=workers, chunk=10):
        done_by.setdefault(pid, []).append(indexes.start // 10)
    assert sorted(number for numbers in done_by.values() for number in numbers) == list(range(60))
    starts = {60 * run // workers for run in range(workers)}
    for numbers in done_by.values():
        stretches = [number for number in sorted(numbers) if number - 1 not in numbers]
        assert len(stretches) <= 1 + workers  # its own run's start, and the ends it helped with
        assert starts & set(numbers)  # each process began at the start of a run
    assert 0 in done_by[os.getpid()]


def test_large_results_from_a_helper_all_arrive() -> None:
    """A helper's result can be far bigger than a pipe holds (a chunk of parsed items)."""

    def work(indexes: range) -> bytes:
        return bytes([indexes.start % 251]) * 2_000_000

    results = dict(run_jobs(work, 200, workers=2, chunk=10))
    assert sorted(r.start for r in results) == list(range(0, 200, 10))
    assert all(data == bytes([indexes.start % 251]) * 2_000_000 for indexes, data in results.items())


def fail(indexes: range) -> NoReturn:
    raise ValueError(f"bad chunk {indexes.start}")


def die(indexes: range) -> NoReturn:
    os._exit(3)


@pytest.mark.parametrize(
    ("in_a_helper", "raised", "message"),
    [(fail, ValueError, "bad chunk"), (die, WorkerFailed, "stopped before its work was done")],
)
def test_a_helper_that_fails_or_dies_stops_the_team(
    in_a_helper: Callable[[range], NoReturn], raised: type[Exception], message: str
) -> None:
    parent = os.getpid()

    def work(indexes: range) -> int:
        time.sleep(0.005)
        if os.getpid() != parent:
            in_a_helper(indexes)
        return 0

    with pytest.raises(raised, match=message):
        list(run_jobs(work, 1000, workers=2, chunk=10))


def test_an_error_here_stops_the_helpers() -> None:
    parent = os.getpid()

    def work(indexes: range) -> int:
        if os.getpid() == parent:
            raise KeyboardInterrupt
        time.sleep(0.5)  # a helper left alone takes every chunk: ten seconds in all
        return 0

    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        list(run_jobs(work, 200, workers=2, chunk=10))
    assert time.monotonic() - started < 3


def test_a_caller_that_stops_early_leaves_no_helper_behind() -> None:
    def work(indexes: range) -> int:
        time.sleep(0.01)
        return indexes.start

    jobs = run_jobs(work, 1000, workers=2, chunk=10)
    next(jobs)
    jobs.close()


def test_one_worker_or_few_jobs_run_here_alone() -> None:
    for workers, total in ((1, 1000), (2, 10)):
        pids = {pid for _, pid in run_jobs(lambda _: os.getpid(), total, workers=workers, chunk=5)}
        assert pids == {os.getpid()}
