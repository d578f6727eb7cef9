"""The in-memory register: compact columns, blocking keys, term frequencies and households.

Owns how a register of up to millions of children is held and searched. Each field is one
Python list of shared, normalised values (a name used by ten thousand children is stored once);
UPN and NHS number are packed int64 arrays. Candidate search uses several blocking keys, each a
sorted int64 array searched with `numpy.searchsorted`, so that a referral with a typo, a swapped
date, a nickname, a changed surname or a new postcode is still found by some key. A block bigger
than `max_block` is too common to tell anyone apart and is skipped.
"""

from __future__ import annotations

import multiprocessing
from array import array
from collections import Counter
from collections.abc import Callable, Hashable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import Any, Final, Generic, TypeVar

import numpy as np
import numpy.typing as npt

from cme.linkage.bulk import collector_paused
from cme.linkage.comparisons import (
    I_ADDRESS,
    I_FORENAME,
    I_SURNAME,
    address_similarity,
    household_key,
)
from cme.linkage.identifiers import (
    nhs_codes,
    nhs_codes_and_text,
    nhs_from_code,
    upn_codes,
    upn_codes_and_text,
    upn_from_code,
)
from cme.linkage.names import forename_key, normalise_name, surname_key
from cme.linkage.records import (
    FieldWarning,
    PersonRecord,
    normalise_address,
    normalise_postcode,
    normalise_sex,
    parse_dob,
    parse_nhs_number,
    parse_upn,
    postcode_district,
    split_names,
    split_postcodes,
)

Rows = npt.NDArray[np.int64]
T = TypeVar("T", bound=Hashable)
H = TypeVar("H", bound=Hashable)

MAX_BLOCK: Final = 400
# Candidates kept per query, those sharing the most selective keys first.
MAX_CANDIDATES: Final = 16
_DOB_SCALE: Final = 10**8  # dates as YYYYMMDD fit below this
_CODE_SCALE: Final = 1 << 24
_YEAR_BASE: Final = 1850
_YEAR_SPAN: Final = 256
_HOUSEHOLD_ADDRESS_SAME: Final = 90.0
_MIN_OTHERS: Final = 0.05
# Street types and the like: too common to find anyone by.
_COMMON_ADDRESS_WORDS: Final = frozenset(
    [
        "street",
        "road",
        "place",
        "crescent",
        "avenue",
        "close",
        "drive",
        "lane",
        "court",
        "circuit",
        "terrace",
        "gardens",
        "grove",
        "house",
        "flat",
        "village",
        "park",
        "square",
        "walk",
        "view",
        "hill",
        "mews",
        "parade",
        "rise",
        "green",
        "estate",
        "way",
        "north",
        "south",
        "east",
        "west",
        "upper",
        "lower",
        "little",
        "great",
        "farm",
        "cottage",
        "cottages",
        "lodge",
        "manor",
    ]
)

# The blocking keys; each turns a record into zero or more integers.
KEY_NAMES: Final = (
    "surname+dob",
    "forename+dob",
    "dob+area",
    "upn",
    "nhs_number",
    "forename+surname+birth_year",
    "postcode+forename",
    "postcode+surname",
    "forename+surname",
    "postcode+house",
    "street",
    "dob+initial",
    "address_word",
)


@dataclass(frozen=True, slots=True)
class _Block:
    keys: npt.NDArray[np.int64]
    rows: npt.NDArray[np.int32]


def _dob_int(value: date | None) -> int:
    return value.year * 10000 + value.month * 100 + value.day if value else 0


def _swapped_dob(value: date | None) -> date | None:
    if value is None or value.day > 12 or value.day == value.month:
        return None
    try:
        return date(value.year, value.day, value.month)
    except ValueError:
        return None


def _area(postcode: str) -> str:
    """The postcode district of a UK postcode; the whole code for any other (e.g. Australian)."""
    return postcode_district(postcode) or postcode


def _house(address: str) -> str:
    """The first word of an address: usually the house number or name."""
    return address.split(" ", 1)[0]


def _street(address: str) -> str:
    """The first three words of an address (number and street), if it has that many."""
    words = address.split()
    return " ".join(words[:3]) if len(words) >= 3 else ""


def _address_words(address: str) -> tuple[str, ...]:
    """The two longest words of an address that are not street types: its most telling words."""
    words = sorted(
        {w for w in address.split() if len(w) >= 4} - _COMMON_ADDRESS_WORDS,
        key=lambda w: (-len(w), w),
    )
    return tuple(w for w in words if not w.isdigit())[:2]


def _initial_code(name: str) -> int:
    return ord(name[0]) - ord("a") if name and "a" <= name[0] <= "z" else -1


class _Column(Generic[T]):
    """One field of the register: a code per row into a list of distinct normalised values."""

    __slots__ = ("codes", "row_codes", "values")

    def __init__(self, codes: npt.NDArray[np.int32], values: list[T]) -> None:
        self.codes = codes
        # The same codes as a stdlib array: indexing it gives a Python int, far faster than a
        # numpy scalar when one record at a time is read.
        self.row_codes = array("i", codes.astype(np.int32).tobytes())
        self.values = values

    @classmethod
    def encode(cls, raw: Sequence[H], convert: Callable[[H], T]) -> _Column[T]:
        """Normalise each distinct raw value once; rows with equal normalised values share a code.

        Codes follow first sight, so the same input always gives the same codes.
        """
        distinct = list(dict.fromkeys(raw))
        raw_index = {value: position for position, value in enumerate(distinct)}
        raw_codes = np.fromiter(map(raw_index.__getitem__, raw), dtype=np.int64, count=len(raw))
        values: list[T] = []
        value_index: dict[T, int] = {}
        remap = np.empty(len(distinct), dtype=np.int32)
        for position, value in enumerate(distinct):
            normalised = convert(value)
            code = value_index.get(normalised)
            if code is None:
                code = value_index[normalised] = len(values)
                values.append(normalised)
            remap[position] = code
        codes = remap[raw_codes]
        return cls(codes.astype(np.int32), values)

    def __getitem__(self, row: int) -> T:
        return self.values[self.row_codes[row]]

    def derive(self, convert: Callable[[T], int]) -> npt.NDArray[np.int64]:
        """An int64 per row, computed once per distinct value."""
        table = np.asarray([convert(value) for value in self.values], dtype=np.int64)
        return table[self.codes] if len(table) else np.zeros(len(self.codes), dtype=np.int64)

    def counts(self) -> npt.NDArray[np.int64]:
        """How many rows hold each distinct value."""
        return np.bincount(self.codes, minlength=len(self.values)).astype(np.int64)


def _sorted_block(
    built: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.bool_]],
) -> _Block:
    keys, rows, valid = built
    keys_valid = keys[valid]
    # Order within a block does not matter (candidates are sorted later), so the faster
    # unstable sort is fine; it is still deterministic.
    order = np.argsort(keys_valid)
    return _Block(keys=keys_valid[order], rows=rows[valid][order].astype(np.int32))


# How each input column is normalised into the index.
_NORMALISERS: Final[dict[str, Callable[[str], Hashable]]] = {
    "forename": normalise_name,
    "middle_names": lambda value: tuple(normalise_name(value).split()),
    "surname": normalise_name,
    "former_surname": split_names,
    "dob": parse_dob,
    "sex": normalise_sex,
    "postcode": normalise_postcode,
    "previous_postcodes": split_postcodes,
    "address": normalise_address,
}
_PARALLEL_WORKERS: Final = 2
_PARALLEL_MIN_ROWS: Final = 50_000
# What a forked child reads: set just before the fork, inherited by the child.
_FORKED: dict[str, Callable[[str], Sequence[str]]] = {}


def _encode_named(
    column: Callable[[str], Sequence[str]], names: Sequence[str]
) -> dict[str, _Column[Any]]:
    return {name: _Column.encode(column(name), _NORMALISERS[name]) for name in names}


def _encode_in_child(names: Sequence[str]) -> dict[str, tuple[npt.NDArray[np.int32], list[Any]]]:
    with collector_paused():
        encoded = _encode_named(_FORKED["column"], names)
        return {name: (col.codes, col.values) for name, col in encoded.items()}


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class _Vocabulary:
    """Strings to small integer codes, assigned in order of first sight (deterministic)."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}

    def add(self, value: str) -> int:
        if not value:
            return -1
        code = self.codes.get(value)
        if code is None:
            code = self.codes[value] = len(self.codes)
        return code

    def get(self, value: str) -> int:
        return self.codes.get(value, -1) if value else -1


@dataclass(frozen=True, slots=True)
class IndexStats:
    """Figures about a built index, for benchmarks and operators."""

    records: int
    keys: dict[str, int]
    array_bytes: int


class RegisterIndex:
    """A register of children held for fast candidate search and term-frequency lookups."""

    def __init__(
        self,
        *,
        ids: list[str],
        forenames: _Column[str],
        middle_names: _Column[tuple[str, ...]],
        surnames: _Column[str],
        former_surnames: _Column[tuple[str, ...]],
        dobs: _Column[date | None],
        sexes: _Column[str],
        postcodes: _Column[str],
        previous_postcodes: _Column[tuple[str, ...]],
        addresses: _Column[str],
        upns: npt.NDArray[np.int64],
        nhs_numbers: npt.NDArray[np.int64],
        max_block: int = MAX_BLOCK,
        max_candidates: int = MAX_CANDIDATES,
        upn_text: list[str] | None = None,
        nhs_text: list[str] | None = None,
    ) -> None:
        self.ids = ids
        self.forenames = forenames
        self.middle_names = middle_names
        self.surnames = surnames
        self.former_surnames = former_surnames
        self.dobs = dobs
        self.sexes = sexes
        self.postcodes = postcodes
        self.previous_postcodes = previous_postcodes
        self.addresses = addresses
        self.upns = upns
        self.nhs_numbers = nhs_numbers
        # Read back as text for every candidate, so decoded once here (unless given).
        self._upn_text = upn_text or [upn_from_code(c) if c else "" for c in upns.tolist()]
        self._nhs_text = nhs_text or [nhs_from_code(c) if c else "" for c in nhs_numbers.tolist()]
        self.max_block = max_block
        self.max_candidates = max_candidates
        self.size = len(ids)
        self._forename_vocab = _Vocabulary()
        self._surname_vocab = _Vocabulary()
        self._postcode_vocab = _Vocabulary()
        self._area_vocab = _Vocabulary()
        self._house_vocab = _Vocabulary()
        self._street_vocab = _Vocabulary()
        self._word_vocab = _Vocabulary()
        self._blocks: dict[str, _Block] = {}
        with collector_paused():
            self._build_blocks()
            self._frequencies = self._count_frequencies()

    # ---- construction -------------------------------------------------------------------

    @classmethod
    def from_records(
        cls,
        records: Sequence[PersonRecord],
        *,
        max_block: int = MAX_BLOCK,
        max_candidates: int = MAX_CANDIDATES,
    ) -> RegisterIndex:
        """Index already parsed records (tests, small registers, the Django wiring)."""

        def same(value: T) -> T:
            return value

        return cls(
            ids=[r.id for r in records],
            forenames=_Column.encode([r.forename for r in records], same),
            middle_names=_Column.encode([r.middle_names for r in records], same),
            surnames=_Column.encode([r.surname for r in records], same),
            former_surnames=_Column.encode([r.former_surnames for r in records], same),
            dobs=_Column.encode([r.dob for r in records], same),
            sexes=_Column.encode([r.sex for r in records], same),
            postcodes=_Column.encode([r.postcode for r in records], same),
            previous_postcodes=_Column.encode([r.previous_postcodes for r in records], same),
            addresses=_Column.encode([r.address for r in records], same),
            upns=upn_codes([r.upn for r in records]),
            nhs_numbers=nhs_codes([r.nhs_number for r in records]),
            max_block=max_block,
            max_candidates=max_candidates,
        )

    @classmethod
    def from_columns(
        cls,
        columns: Mapping[str, Sequence[str]],
        *,
        lines: Sequence[int] | None = None,
        max_block: int = MAX_BLOCK,
        max_candidates: int = MAX_CANDIDATES,
        workers: int = 1,
    ) -> tuple[RegisterIndex, list[FieldWarning]]:
        """Index raw text columns (as read from a CSV), normalising each distinct value once.

        Gives the same records as `parse_record` row by row, far faster on a large register.
        Warnings name `lines[row]` as the line (default: row + 2, after a header line).
        `workers=2` normalises half the columns in a forked process (same result).
        """
        size = len(columns["id"])
        blank = [""] * size

        def line_of(row: int) -> int:
            return lines[row] if lines is not None else row + 2

        def column(name: str) -> Sequence[str]:
            return columns.get(name) or blank

        with collector_paused():
            return cls._from_columns(
                columns,
                column,
                line_of,
                max_block=max_block,
                max_candidates=max_candidates,
                workers=workers,
            )

    @classmethod
    def _from_columns(
        cls,
        columns: Mapping[str, Sequence[str]],
        column: Callable[[str], Sequence[str]],
        line_of: Callable[[int], int],
        *,
        max_block: int,
        max_candidates: int,
        workers: int,
    ) -> tuple[RegisterIndex, list[FieldWarning]]:
        warnings: list[FieldWarning] = []
        dob_raw = column("dob")
        # Half the columns are normalised in a forked child while this process does the rest.
        in_child = ("middle_names", "address", "postcode", "previous_postcodes", "dob", "sex")
        child_columns: dict[str, _Column[Any]] = {}
        pool = None
        future = None
        if workers >= _PARALLEL_WORKERS and len(dob_raw) >= _PARALLEL_MIN_ROWS and _can_fork():
            _FORKED["column"] = column
            pool = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("fork")
            )
            future = pool.submit(_encode_in_child, in_child)
        else:
            child_columns = _encode_named(column, in_child)
        bad_dates = {
            value: parse_dob(value) is None and bool(value.strip()) for value in set(dob_raw)
        }
        if any(bad_dates.values()):
            for row, raw in enumerate(dob_raw):
                if bad_dates[raw]:
                    warnings.append(
                        FieldWarning(
                            "dob",
                            f"malformed date {raw.strip()[:20]!r}, treated as missing",
                            line_of(row),
                        )
                    )
        upns, upn_text = upn_codes_and_text(column("upn"))
        nhs, nhs_text = nhs_codes_and_text(column("nhs_number"))
        for name, codes, parse in (
            ("upn", upns, parse_upn),
            ("nhs_number", nhs, parse_nhs_number),
        ):
            raw_values = column(name)
            for row in np.flatnonzero(codes == 0).tolist():
                if raw_values[row].strip():
                    _, reason = parse(raw_values[row])
                    warnings.append(FieldWarning(name, reason or "invalid", line_of(row)))
        warnings.sort(key=lambda w: (w.line or 0, w.column))
        here = _encode_named(column, ("forename", "surname", "former_surname"))
        if future is not None and pool is not None:
            try:
                child_columns = {
                    name: _Column(codes, values)
                    for name, (codes, values) in future.result().items()
                }
            finally:
                pool.shutdown()
                _FORKED.clear()
        index = cls(
            ids=[value.strip() for value in columns["id"]],
            forenames=here["forename"],
            middle_names=child_columns["middle_names"],
            surnames=here["surname"],
            former_surnames=here["former_surname"],
            dobs=child_columns["dob"],
            sexes=child_columns["sex"],
            postcodes=child_columns["postcode"],
            previous_postcodes=child_columns["previous_postcodes"],
            addresses=child_columns["address"],
            upns=upns,
            nhs_numbers=nhs,
            max_block=max_block,
            max_candidates=max_candidates,
            upn_text=upn_text,
            nhs_text=nhs_text,
        )
        return index, warnings

    def _query_record_keys(self, record: PersonRecord) -> dict[str, list[int]]:
        """Blocking-key integers a query is looked up by.

        Besides the record as written, it is looked up as if its day and month, or its first
        name and surname, had been swapped, by its middle names, by every part of its surname,
        by its former surnames and by its previous postcodes.
        """
        code_f, code_s = self._forename_vocab.get, self._surname_vocab.get
        code_p, code_a = self._postcode_vocab.get, self._area_vocab.get
        forenames = record.forename.split() + list(record.middle_names)
        surnames = record.surname.split()
        if len(surnames) > 1:
            surnames.append(record.surname)
        surnames.extend(record.former_surnames)
        # A swapped first name and surname: look the surname up as a forename and back.
        forenames.extend(record.surname.split()[:1])
        surnames.extend(record.forename.split()[:1])
        dobs = [record.dob, _swapped_dob(record.dob)]
        f_codes = sorted({c for c in (code_f(forename_key(f)) for f in forenames) if c >= 0})
        s_codes = sorted({c for c in (code_s(surname_key(s)) for s in surnames) if c >= 0})
        dob_ints = sorted({_dob_int(d) for d in dobs if d is not None})
        years = sorted(
            {y for y in (d // 10000 - _YEAR_BASE for d in dob_ints) if 0 <= y < _YEAR_SPAN}
        )
        postcodes = [p for p in (record.postcode, *record.previous_postcodes) if p]
        p_codes = sorted({c for c in (code_p(p) for p in postcodes) if c >= 0})
        a_codes = sorted({c for c in (code_a(_area(p)) for p in postcodes) if c >= 0})
        house = self._house_vocab.get(_house(record.address))
        h_codes = [house] if house >= 0 else []
        street = self._street_vocab.get(_street(record.address))
        s_codes_street = [street] if street >= 0 else []
        initials = sorted(
            {c for c in (_initial_code(record.forename), _initial_code(record.surname)) if c >= 0}
        )
        words = [self._word_vocab.get(w) for w in _address_words(record.address)]
        return {
            "dob+initial": [d * 32 + i for d in dob_ints for i in initials],
            "address_word": [w for w in words if w >= 0],
            "surname+dob": [s * _DOB_SCALE + d for s in s_codes for d in dob_ints],
            "forename+dob": [f * _DOB_SCALE + d for f in f_codes for d in dob_ints],
            "dob+area": [d * _CODE_SCALE + a for d in dob_ints for a in a_codes],
            "forename+surname+birth_year": [
                (f * _CODE_SCALE + s) * _YEAR_SPAN + y
                for f in f_codes
                for s in s_codes
                for y in years
            ],
            "postcode+forename": [p * _CODE_SCALE + f for p in p_codes for f in f_codes],
            "postcode+surname": [p * _CODE_SCALE + s for p in p_codes for s in s_codes],
            "forename+surname": [f * _CODE_SCALE + s for f in f_codes for s in s_codes],
            "postcode+house": [p * _CODE_SCALE + h for p in p_codes for h in h_codes],
            "street": s_codes_street,
            "upn": upn_codes([record.upn]).tolist() if record.upn else [],
            "nhs_number": nhs_codes([record.nhs_number]).tolist() if record.nhs_number else [],
        }

    def _build_blocks(self) -> None:
        """Build every key's sorted array with numpy, from codes computed per distinct value."""
        fvocab, svocab = self._forename_vocab, self._surname_vocab
        forename = self.forenames.derive(
            lambda v: fvocab.add(forename_key(v.split(" ", 1)[0])) if v else -1
        )
        surname_main = self.surnames.derive(
            lambda v: svocab.add(surname_key(v.split(" ", 1)[0])) if v else -1
        )
        # Rows with more than one surname key: other parts of a double-barrelled name, the whole
        # of it, and former surnames.
        extra_of_surname = [
            sorted({svocab.add(surname_key(n)) for n in [*v.split()[1:], v]} - {-1})
            if " " in v
            else []
            for v in self.surnames.values
        ]
        extra_of_former = [
            sorted({svocab.add(surname_key(n)) for n in v if n} - {-1})
            for v in self.former_surnames.values
        ]
        extra_rows: list[int] = []
        extra_codes: list[int] = []
        has_extra_surname = np.asarray([bool(x) for x in extra_of_surname], dtype=bool)
        has_extra_former = np.asarray([bool(x) for x in extra_of_former], dtype=bool)
        rows_with_extra = np.flatnonzero(
            (has_extra_surname[self.surnames.codes] if len(has_extra_surname) else False)
            | (has_extra_former[self.former_surnames.codes] if len(has_extra_former) else False)
        )
        for row in rows_with_extra.tolist():
            codes = set(extra_of_surname[self.surnames.codes[row]])
            codes.update(extra_of_former[self.former_surnames.codes[row]])
            codes.discard(int(surname_main[row]))
            for code in sorted(codes):
                extra_rows.append(row)
                extra_codes.append(code)
        all_rows = np.arange(self.size, dtype=np.int64)
        surname_rows = np.concatenate((all_rows, np.asarray(extra_rows, dtype=np.int64)))
        surname = np.concatenate((surname_main, np.asarray(extra_codes, dtype=np.int64)))
        dob = self.dobs.derive(_dob_int)
        year = np.where(dob > 0, dob // 10000 - _YEAR_BASE, -1)
        year = np.where((year >= 0) & (year < _YEAR_SPAN), year, -1)
        postcode = self.postcodes.derive(self._postcode_vocab.add)
        area = self.postcodes.derive(lambda p: self._area_vocab.add(_area(p)))
        house = self.addresses.derive(lambda a: self._house_vocab.add(_house(a)))
        street = self.addresses.derive(lambda a: self._street_vocab.add(_street(a)))
        initial_f = self.forenames.derive(_initial_code)
        initial_s = self.surnames.derive(_initial_code)
        s_dob = dob[surname_rows]
        s_forename = forename[surname_rows]
        s_year = year[surname_rows]
        s_postcode = postcode[surname_rows]
        both_rows = np.concatenate((all_rows, all_rows))
        both_initials = np.concatenate((initial_f, initial_s))
        both_dob = np.concatenate((dob, dob))
        word_lists = [
            [self._word_vocab.add(w) for w in _address_words(a)] for a in self.addresses.values
        ]
        first_word = np.asarray([w[0] if w else -1 for w in word_lists], dtype=np.int64)
        second_word = np.asarray([w[1] if len(w) > 1 else -1 for w in word_lists], dtype=np.int64)
        words = np.concatenate(
            (
                first_word[self.addresses.codes] if len(first_word) else all_rows * 0 - 1,
                second_word[self.addresses.codes] if len(second_word) else all_rows * 0 - 1,
            )
        )
        built: dict[str, tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.bool_]]]
        built = {
            "surname+dob": (
                surname * _DOB_SCALE + s_dob,
                surname_rows,
                (surname >= 0) & (s_dob > 0),
            ),
            "forename+dob": (forename * _DOB_SCALE + dob, all_rows, (forename >= 0) & (dob > 0)),
            "dob+area": (dob * _CODE_SCALE + area, all_rows, (dob > 0) & (area >= 0)),
            "upn": (self.upns, all_rows, self.upns != 0),
            "nhs_number": (self.nhs_numbers, all_rows, self.nhs_numbers != 0),
            "forename+surname+birth_year": (
                (s_forename * _CODE_SCALE + surname) * _YEAR_SPAN + s_year,
                surname_rows,
                (s_forename >= 0) & (surname >= 0) & (s_year >= 0),
            ),
            "postcode+forename": (
                postcode * _CODE_SCALE + forename,
                all_rows,
                (postcode >= 0) & (forename >= 0),
            ),
            "postcode+surname": (
                s_postcode * _CODE_SCALE + surname,
                surname_rows,
                (s_postcode >= 0) & (surname >= 0),
            ),
            "forename+surname": (
                s_forename * _CODE_SCALE + surname,
                surname_rows,
                (s_forename >= 0) & (surname >= 0),
            ),
            "postcode+house": (
                postcode * _CODE_SCALE + house,
                all_rows,
                (postcode >= 0) & (house >= 0),
            ),
            "street": (street, all_rows, street >= 0),
            "dob+initial": (
                both_dob * 32 + both_initials,
                both_rows,
                (both_dob > 0) & (both_initials >= 0),
            ),
            "address_word": (words, both_rows, words >= 0),
        }
        # numpy sorts without holding the GIL, so two threads sort two keys at once.
        with ThreadPoolExecutor(max_workers=2) as pool:
            blocks = pool.map(_sorted_block, built.values())
            self._blocks = dict(zip(built, blocks, strict=True))

    def _count_frequencies(self) -> dict[int, dict[str, float]]:
        """Share of records per first name, surname (and surname part), postcode and home.

        For a postcode or a home the share counts only the *other* records there, since the
        candidate itself is the one being judged; a home with no other record gets the average
        number of other children per home instead (never less than `_MIN_OTHERS`), because a
        brother or sister who is not yet on the register may still live there.
        """
        size = max(self.size, 1)
        forename_counts: Counter[str] = Counter()
        for value, count in zip(
            self.forenames.values, self.forenames.counts().tolist(), strict=True
        ):
            if value:
                forename_counts[value.split(" ", 1)[0]] += count
        surname_counts: Counter[str] = Counter()
        for value, count in zip(self.surnames.values, self.surnames.counts().tolist(), strict=True):
            if value:
                surname_counts[value] += count
                if " " in value:
                    for part in value.split():
                        surname_counts[part] += count
        postcode_counts = self.postcodes.counts()
        home_codes = self.postcodes.codes.astype(np.int64) * (len(self.addresses.values) + 1) + (
            self.addresses.codes
        )
        homes, home_counts = np.unique(home_codes, return_counts=True)
        has_postcode = np.asarray([bool(p) for p in self.postcodes.values], dtype=bool)
        home_postcode, home_address = np.divmod(homes, len(self.addresses.values) + 1)
        real_homes = has_postcode[home_postcode] if len(has_postcode) else np.zeros(0, dtype=bool)
        with_home = int(home_counts[real_homes].sum())
        squares = float((home_counts[real_homes] * (home_counts[real_homes] - 1)).sum())
        floor = max(squares / with_home if with_home else 0.0, _MIN_OTHERS)
        address: dict[str, float] = {}
        for value, count in zip(self.postcodes.values, postcode_counts.tolist(), strict=True):
            if value:
                address[value] = max(count - 1, floor) / size
        # A home with one record gets the floor, which `frequency` gives for any home not listed.
        shared = real_homes & (home_counts > 1)
        self._home_floor = floor / size
        for p_code, a_code, count in zip(
            home_postcode[shared].tolist(),
            home_address[shared].tolist(),
            home_counts[shared].tolist(),
            strict=True,
        ):
            key = f"{self.postcodes.values[p_code]}|{self.addresses.values[a_code]}"
            address[key] = max(count - 1, floor) / size
        return {
            I_FORENAME: {k: v / size for k, v in forename_counts.items()},
            I_SURNAME: {k: v / size for k, v in surname_counts.items()},
            I_ADDRESS: address,
        }

    # ---- reading --------------------------------------------------------------------------

    def record(self, row: int) -> PersonRecord:
        """The register record at `row`."""
        return PersonRecord(
            id=self.ids[row],
            forename=self.forenames[row],
            middle_names=self.middle_names[row],
            surname=self.surnames[row],
            former_surnames=self.former_surnames[row],
            dob=self.dobs[row],
            sex=self.sexes[row],
            postcode=self.postcodes[row],
            previous_postcodes=self.previous_postcodes[row],
            address=self.addresses[row],
            upn=self._upn_text[row],
            nhs_number=self._nhs_text[row],
        )

    def frequency(self, comparison: int, value: str) -> float | None:
        """Share of register records with `value` (first name, surname or part, postcode, home)."""
        table = self._frequencies.get(comparison)
        if table is None or not value:
            return None
        if comparison == I_ADDRESS and "|" in value:
            return table.get(value, self._home_floor)
        return table.get(value)

    def query_keys(self, query: PersonRecord) -> dict[str, list[int]]:
        """The blocking-key integers a query record is looked up by."""
        return self._query_record_keys(query)

    def candidates(self, query: PersonRecord) -> list[int]:
        """Rows that share at least one blocking key with `query` (ascending)."""
        return self.candidates_many([query])[0]

    def candidates_many(self, queries: Sequence[PersonRecord]) -> list[list[int]]:
        """`candidates` for many queries at once, searching each key's array in one call."""
        per_key: dict[str, tuple[list[int], list[int]]] = {name: ([], []) for name in KEY_NAMES}
        for position, query in enumerate(queries):
            for name, values in self.query_keys(query).items():
                if values:
                    owners, keys = per_key[name]
                    owners.extend([position] * len(values))
                    keys.extend(values)
        found_owners: list[npt.NDArray[np.int64]] = []
        found_rows: list[npt.NDArray[np.int64]] = []
        found_scores: list[npt.NDArray[np.float64]] = []
        log_size = np.log2(max(self.size, 2))
        for name, (owners, keys) in per_key.items():
            if not keys:
                continue
            block = self._blocks[name]
            wanted = np.asarray(keys, dtype=np.int64)
            low = np.searchsorted(block.keys, wanted, side="left")
            high = np.searchsorted(block.keys, wanted, side="right")
            sizes = high - low
            keep = (sizes > 0) & (sizes <= self.max_block)
            if not keep.any():
                continue
            low, sizes = low[keep], sizes[keep]
            owner_array = np.asarray(owners, dtype=np.int64)[keep]
            total = int(sizes.sum())
            starts = np.repeat(low - np.concatenate(([0], np.cumsum(sizes)[:-1])), sizes)
            positions = starts + np.arange(total)
            found_rows.append(block.rows[positions].astype(np.int64))
            found_owners.append(np.repeat(owner_array, sizes))
            # A shared key from a small block says more than one from a big block.
            found_scores.append(np.repeat(log_size - np.log2(sizes), sizes))
        result: list[list[int]] = [[] for _ in queries]
        if not found_rows:
            return result
        combined = np.concatenate(found_owners) * (self.size + 1) + np.concatenate(found_rows)
        pairs, inverse = np.unique(combined, return_inverse=True)
        scores = np.bincount(inverse, weights=np.concatenate(found_scores))
        owners_all, rows_all = np.divmod(pairs, self.size + 1)
        # Keep each query's `max_candidates` best-supported rows; order: owner, score, row.
        order = np.lexsort((rows_all, -scores, owners_all))
        owners_sorted = owners_all[order]
        first_of_owner = np.searchsorted(owners_sorted, owners_sorted, side="left")
        rank = np.arange(len(order)) - first_of_owner
        chosen = order[rank < self.max_candidates]
        chosen.sort()
        owners_kept, rows_kept = owners_all[chosen], rows_all[chosen]
        boundaries = np.searchsorted(owners_kept, np.arange(len(queries) + 1))
        rows_list = rows_kept.tolist()
        for position in range(len(queries)):
            result[position] = rows_list[boundaries[position] : boundaries[position + 1]]
        return result

    def household_twins(self, row: int) -> list[int]:
        """Other records with the same surname and date of birth in the same home as `row`.

        Twins (or a duplicate entry) in one household: records that shared family fields alone
        cannot tell apart.
        """
        dob = self.dobs[row]
        surname = self.surnames[row]
        if dob is None or not surname:
            return []
        code = self._surname_vocab.get(surname_key(surname.split()[0]))
        if code < 0:
            return []
        block = self._blocks["surname+dob"]
        key = code * _DOB_SCALE + _dob_int(dob)
        low = int(np.searchsorted(block.keys, key, side="left"))
        high = int(np.searchsorted(block.keys, key, side="right"))
        twins = []
        home = household_key(self.record(row))
        for other in sorted(set(block.rows[low:high].tolist())):
            if other == row or self.surnames[other] != surname:
                continue
            same_postcode = (
                bool(self.postcodes[row]) and self.postcodes[other] == self.postcodes[row]
            )
            same_address = bool(self.addresses[row]) and (
                address_similarity(self.addresses[row], self.addresses[other])
                >= _HOUSEHOLD_ADDRESS_SAME
            )
            if same_postcode or same_address or household_key(self.record(other)) == home:
                twins.append(other)
        return twins

    def stats(self) -> IndexStats:
        """Sizes of the blocking arrays."""
        array_bytes = sum(b.keys.nbytes + b.rows.nbytes for b in self._blocks.values())
        array_bytes += self.upns.nbytes + self.nhs_numbers.nbytes
        return IndexStats(
            records=self.size,
            keys={name: len(block.keys) for name, block in self._blocks.items()},
            array_bytes=array_bytes,
        )
