"""fork_map: results in order from every core, closures allowed, a failing item raises its own error here;
items are taken one at a time (heaviest first when weighted), so a slow item holds up only its process."""

from __future__ import annotations

import itertools
import multiprocessing
import os
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefing.parallel import claim_order, cores, fork_map, fork_start


def test_results_come_back_in_item_order_from_several_processes() -> None:
    table = {i: i * i for i in range(200)}  # a closure over data the children inherit, never pickled in

    def work(i: int) -> tuple[int, int]:
        time.sleep(0.001)  # long enough that every process takes some items
        return table[i], os.getpid()

    results = fork_map(work, list(range(200)), minimum=2)
    assert [square for square, _ in results] == [i * i for i in range(200)]
    if cores() > 1:
        assert len({pid for _, pid in results}) > 1
        assert os.getpid() in {pid for _, pid in results}  # the parent works too


def test_few_items_run_here() -> None:
    assert fork_map(lambda i: os.getpid(), [1, 2, 3], minimum=10) == [os.getpid()] * 3


def test_an_item_that_fails_in_a_child_raises_its_real_error_here() -> None:
    def work(i: int) -> int:
        if i == 3:
            raise KeyError("item three")
        return i

    with pytest.raises(KeyError, match="item three"):
        fork_map(work, list(range(60)), minimum=2)


@given(st.lists(st.integers(min_value=0, max_value=1000), max_size=60))
def test_weighted_items_are_taken_heaviest_first_ties_in_item_order(weights: list[int]) -> None:
    order = claim_order(len(weights), weights)
    assert sorted(order) == list(range(len(weights)))
    assert all((-weights[a], a) < (-weights[b], b) for a, b in itertools.pairwise(order))
    assert claim_order(len(weights)) == list(range(len(weights)))


@pytest.mark.skipif(cores() < 2, reason="needs two processes")
def test_while_one_process_is_held_up_by_an_item_the_others_do_the_rest() -> None:
    """Item 0 waits until every other item is done. With the items dealt out in advance, the process
    holding item 0 would hold others too, and the wait would time out."""
    done = multiprocessing.get_context("fork").Value("q", 0)
    count = 40

    def work(i: int) -> str:
        if i == 0:
            deadline = time.monotonic() + 20
            while done.value < count - 1:
                if time.monotonic() > deadline:
                    return "timed out"
                time.sleep(0.002)
            return "waited"
        with done.get_lock():
            done.value += 1
        return "done"

    results = fork_map(work, list(range(count)), minimum=2)
    assert results == ["waited"] + ["done"] * (count - 1)


@pytest.mark.skipif(cores() < 2, reason="needs two processes")
def test_two_heavy_items_go_to_two_processes_wherever_they_stand() -> None:
    weights = [1.0] * 10 + [1000.0, 1000.0]  # in item order, both would come last, after the light ones

    def work(i: int) -> tuple[int, int]:
        time.sleep(0.2 if weights[i] > 1 else 0.001)
        return i, os.getpid()

    results = fork_map(work, list(range(12)), minimum=2, weights=weights)
    assert [i for i, _ in results] == list(range(12))
    assert results[10][1] != results[11][1]  # taken first, one by each process


@pytest.mark.skipif(cores() < 2, reason="needs two processes")
def test_fork_start_lets_a_child_work_while_this_process_goes_on() -> None:
    started = multiprocessing.get_context("fork").Value("q", 0)

    def work(i: int) -> int:
        with started.get_lock():
            started.value += 1
        return os.getpid()

    finish = fork_start(work, [0], minimum=1)  # one item is enough for a child
    deadline = time.monotonic() + 20
    while started.value == 0 and time.monotonic() < deadline:  # this process does something else meanwhile
        time.sleep(0.002)
    assert finish() != [os.getpid()]
    assert fork_start(lambda i: os.getpid(), [0])() == [os.getpid()]  # below ``minimum``: done by ``finish``
