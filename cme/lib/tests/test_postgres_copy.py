"""COPY's text format, for the bulk writes of a year's registers."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from cme.lib.postgres_copy import array_literal, copy_value


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


def test_an_array_is_written_in_postgresql_s_text_form() -> None:
    assert array_literal([3, 1, 2]) == "{3,1,2}"
    assert array_literal([]) == "{}"
    assert array_literal(["A800", 'say "hi"', "back\\slash"]) == (
        '{"A800","say \\"hi\\"","back\\\\slash"}'
    )


@pytest.mark.postgresql_only
@pytest.mark.django_db
@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.integers(-(2**62), 2**62))
    | st.lists(
        st.text(alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"))
    )
)
def test_postgresql_reads_back_the_array_it_was_given(values: list[int] | list[str]) -> None:
    sql_type = "bigint" if values and isinstance(values[0], int) else "text"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT %s::{sql_type}[]", [array_literal(values)])
        assert cursor.fetchone()[0] == values
