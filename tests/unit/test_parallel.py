"""fork_map: results in order from every core, closures allowed, a failing item raises its own error here."""

from __future__ import annotations

import os

import pytest

from briefing.parallel import cores, fork_map


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
