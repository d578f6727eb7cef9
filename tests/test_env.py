"""Typed environment readers: a bad value stops start-up with a message naming the variable."""

from __future__ import annotations

import datetime
import importlib
import os

import pytest
from django.core.exceptions import ImproperlyConfigured

import config
from config.env import env_date_list, env_int_map


def test_key_number_pairs_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CME_X", "checking=3, locating = 15")
    assert env_int_map("CME_X", default={}) == {"checking": 3, "locating": 15}
    monkeypatch.setenv("CME_X", "")
    assert env_int_map("CME_X", default={"a": 1}) == {"a": 1}


def test_a_pair_without_a_number_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CME_X", "checking=three")
    with pytest.raises(ImproperlyConfigured, match="CME_X"):
        env_int_map("CME_X", default={})


def test_dates_are_read_and_a_bad_one_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CME_D", raising=False)
    assert env_date_list("CME_D") == []
    monkeypatch.setenv("CME_D", "2027-01-05,2027-04-19")
    assert env_date_list("CME_D") == [datetime.date(2027, 1, 5), datetime.date(2027, 4, 19)]
    monkeypatch.setenv("CME_D", "5/1/2027")
    with pytest.raises(ImproperlyConfigured, match="CME_D"):
        env_date_list("CME_D")


def test_numpy_s_huge_page_advice_is_off_unless_the_deployment_turns_it_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NUMPY_MADVISE_HUGEPAGE", raising=False)
    importlib.reload(config)
    assert os.environ["NUMPY_MADVISE_HUGEPAGE"] == "0"
    monkeypatch.setenv("NUMPY_MADVISE_HUGEPAGE", "1")
    importlib.reload(config)
    assert os.environ["NUMPY_MADVISE_HUGEPAGE"] == "1"
