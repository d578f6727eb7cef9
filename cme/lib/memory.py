"""Running a large batch without the cyclic garbage collector.

An import of an authority's registers creates hundreds of thousands of small objects
(rows, tuples, model instances). Each allocation past a threshold makes Python's cyclic
collector walk every live object, the whole of Django's included: a quarter of a daily
increment's time. The batch makes no reference cycles it needs collected, so the collector
is paused for it; reference counting still frees everything as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (as it was before, after it)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
