"""fork_map: results in order from every core, closures allowed, a failing item raises its own error here;
weighted items are shared out so that the heavy ones do not land in one process."""

from __future__ import annotations

import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefing.parallel import cores, deal, fork_map


def test_results_come_back_in_item_order_from_several_processes() -> None:
    table = {i: i * i for i in range(200)}  # a closure over data the children inherit, never pickled in

    def work(i: int) -> tuple[int, int]:
        return table[i], os.getpid()

    results = fork_map(work, list(range(200)), minimum=2)
    assert [square for square, _ in results] == [i * i for i in range(200)]
    if cores() > 1:
        assert len({pid for _, pid in results}) > 1
        assert os.getpid() in {pid for _, pid in results}  # the parent does one chunk itself


def test_few_items_run_here() -> None:
    assert fork_map(lambda i: os.getpid(), [1, 2, 3], minimum=10) == [os.getpid()] * 3


def test_an_item_that_fails_in_a_child_raises_its_real_error_here() -> None:
    def work(i: int) -> int:
        if i == 3:
            raise KeyError("item three")
        return i

    with pytest.raises(KeyError, match="item three"):
        fork_map(work, list(range(60)), minimum=2)


@given(st.lists(st.integers(min_value=0, max_value=1000), max_size=60), st.integers(min_value=1, max_value=4))
def test_weighted_shares_cover_every_item_once_within_the_greedy_bound(weights: list[int], workers: int) -> None:
    shares = deal(len(weights), workers, weights)
    assert len(shares) == workers
    assert sorted(i for share in shares for i in share) == list(range(len(weights)))
    assert all(share == sorted(share) for share in shares)  # each process works in item order
    loads = [sum(weights[i] for i in share) for share in shares]
    # Heaviest first to the least loaded: no share exceeds the average by more than one item.
    assert max(loads) <= sum(weights) / workers + max(weights, default=0)


def test_two_heavy_items_go_to_two_processes_wherever_they_stand() -> None:
    weights = [1000, 1000] + [1] * 10  # round robin would put both in the first share
    first, second = deal(len(weights), 2, weights)
    assert (0 in first and 1 in second) or (1 in first and 0 in second)
    assert deal(len(weights), 2) == [list(range(0, 12, 2)), list(range(1, 12, 2))]

    def work(i: int) -> tuple[int, int]:
        return i, os.getpid()

    results = fork_map(work, list(range(12)), minimum=2, weights=weights)
    assert [i for i, _ in results] == list(range(12))
    if cores() > 1:
        assert results[0][1] != results[1][1]
