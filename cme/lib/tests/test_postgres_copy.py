"""COPY's text format, for the bulk writes of a year's registers."""

from __future__ import annotations

import datetime

from cme.lib.postgres_copy import copy_value


def test_values_are_written_as_copy_reads_them() -> None:
    assert copy_value(None) == "\\N"
    assert copy_value(True) == "t"
    assert copy_value(7) == "7"
    assert copy_value(datetime.date(2025, 9, 3)) == "2025-09-03"
    assert copy_value("/\\/\\") == "/\\\\/\\\\"  # a present afternoon is a backslash
    assert copy_value("a\tb\nc\rd") == "a\\tb\\nc\\rd"
    assert (
        copy_value({"rule": "n", "dates": ["2025-09-03"]})
        == '{"rule": "n", "dates": ["2025-09-03"]}'
    )
