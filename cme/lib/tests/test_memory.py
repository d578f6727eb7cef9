"""Pausing the cyclic garbage collector for a batch."""

from __future__ import annotations

import gc

import pytest

from cme.lib.memory import cyclic_gc_paused


def test_the_collector_is_paused_in_the_block_and_as_it_was_after_it() -> None:
    assert gc.isenabled()
    with cyclic_gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_comes_back_after_an_error() -> None:
    with pytest.raises(ValueError, match="boom"), cyclic_gc_paused():
        raise ValueError("boom")
    assert gc.isenabled()


def test_a_collector_already_paused_stays_paused() -> None:
    gc.disable()
    try:
        with cyclic_gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
