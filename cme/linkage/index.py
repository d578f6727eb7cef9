"""The in-memory register: compact columns, blocking keys, term frequencies and households.

Owns how a register of up to millions of children is held and searched. Each field is one
Python list of shared, normalised values (a name used by ten thousand children is stored once);
UPN and NHS number are packed int64 arrays. Candidate search uses several blocking keys, each a
sorted int64 array searched with `numpy.searchsorted`, so that a referral with a typo, a swapped
date, a nickname, a changed surname or a new postcode is still found by some key. A block bigger
than `max_block` is too common to tell anyone apart and is skipped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final, TypeVar

import numpy as np
import numpy.typing as npt

from cme.linkage.comparisons import (
    I_ADDRESS,
    I_FORENAME,
    I_SURNAME,
    address_similarity,
    household_key,
)
from cme.linkage.identifiers import (
    nhs_codes,
    nhs_from_code,
    upn_codes,
    upn_from_code,
)
from cme.linkage.names import forename_key, normalise_name, surname_key
from cme.linkage.records import (
    FieldWarning,
    PersonRecord,
    _split_list,
    _split_postcodes,
    normalise_address,
    normalise_postcode,
    normalise_sex,
    parse_dob,
    parse_nhs_number,
    parse_upn,
    postcode_district,
)

Rows = npt.NDArray[np.int64]
T = TypeVar("T")
V = TypeVar("V")

MAX_BLOCK: Final = 400
_DOB_SCALE: Final = 10**8  # dates as YYYYMMDD fit below this
_CODE_SCALE: Final = 1 << 24
_YEAR_BASE: Final = 1850
_YEAR_SPAN: Final = 256
_HOUSEHOLD_ADDRESS_SAME: Final = 90.0
_MIN_OTHERS: Final = 0.05
# Street types and the like: too common to find anyone by.
_COMMON_ADDRESS_WORDS: Final = frozenset(
    (
        "street road place crescent avenue close drive lane court circuit terrace gardens grove "
        "house flat village park square walk view hill mews parade rise green estate way "
        "north south east west upper lower little great farm cottage cottages lodge manor"
    ).split()
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
        {
            w
            for w in address.split()
            if len(w) >= 4 and not w.isdigit() and w not in _COMMON_ADDRESS_WORDS
        },
        key=lambda w: (-len(w), w),
    )
    return tuple(words[:2])


def _initial_code(name: str) -> int:
    return ord(name[0]) - ord("a") if name and "a" <= name[0] <= "z" else -1


def _map_distinct(values: Sequence[V], convert: Callable[[V], T]) -> list[T]:
    # dict.fromkeys keeps first-seen order, so codes handed out by `convert` are deterministic.
    cache = {value: convert(value) for value in dict.fromkeys(values)}
    return [cache[value] for value in values]


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
        forenames: list[str],
        middle_names: list[tuple[str, ...]],
        surnames: list[str],
        former_surnames: list[tuple[str, ...]],
        dobs: list[date | None],
        sexes: list[str],
        postcodes: list[str],
        previous_postcodes: list[tuple[str, ...]],
        addresses: list[str],
        upns: npt.NDArray[np.int64],
        nhs_numbers: npt.NDArray[np.int64],
        max_block: int = MAX_BLOCK,
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
        self.max_block = max_block
        self.size = len(ids)
        self._forename_vocab = _Vocabulary()
        self._surname_vocab = _Vocabulary()
        self._postcode_vocab = _Vocabulary()
        self._area_vocab = _Vocabulary()
        self._house_vocab = _Vocabulary()
        self._street_vocab = _Vocabulary()
        self._word_vocab = _Vocabulary()
        self._blocks: dict[str, _Block] = {}
        self._build_blocks()
        self._frequencies = self._count_frequencies()

    # ---- construction -------------------------------------------------------------------

    @classmethod
    def from_records(cls, records: Sequence[PersonRecord], *, max_block: int = MAX_BLOCK) -> RegisterIndex:
        """Index already parsed records (tests, small registers, the Django wiring)."""
        return cls(
            ids=[r.id for r in records],
            forenames=[r.forename for r in records],
            middle_names=[r.middle_names for r in records],
            surnames=[r.surname for r in records],
            former_surnames=[r.former_surnames for r in records],
            dobs=[r.dob for r in records],
            sexes=[r.sex for r in records],
            postcodes=[r.postcode for r in records],
            previous_postcodes=[r.previous_postcodes for r in records],
            addresses=[r.address for r in records],
            upns=upn_codes([r.upn for r in records]),
            nhs_numbers=nhs_codes([r.nhs_number for r in records]),
            max_block=max_block,
        )

    @classmethod
    def from_columns(
        cls,
        columns: Mapping[str, Sequence[str]],
        *,
        first_line: int = 2,
        max_block: int = MAX_BLOCK,
    ) -> tuple[RegisterIndex, list[FieldWarning]]:
        """Index raw text columns (as read from a CSV), normalising each distinct value once.

        Gives the same records as `parse_record` row by row, far faster on a large register.
        Warnings name the line as `first_line + row`.
        """
        size = len(columns["id"])
        blank = [""] * size

        def column(name: str) -> Sequence[str]:
            return columns.get(name) or blank

        warnings: list[FieldWarning] = []
        dob_raw = column("dob")
        dobs = _map_distinct(dob_raw, parse_dob)
        for row, (raw, parsed) in enumerate(zip(dob_raw, dobs, strict=True)):
            if parsed is None and raw.strip():
                warnings.append(
                    FieldWarning(
                        "dob",
                        f"malformed date {raw.strip()[:20]!r}, treated as missing",
                        first_line + row,
                    )
                )
        upns = upn_codes(column("upn"))
        nhs = nhs_codes(column("nhs_number"))
        for name, codes, parse in (
            ("upn", upns, parse_upn),
            ("nhs_number", nhs, parse_nhs_number),
        ):
            raw_values = column(name)
            for row in np.flatnonzero(codes == 0).tolist():
                if raw_values[row].strip():
                    _, reason = parse(raw_values[row])
                    warnings.append(FieldWarning(name, reason or "invalid", first_line + row))
        warnings.sort(key=lambda w: (w.line or 0, w.column))
        index = cls(
            ids=[value.strip() for value in columns["id"]],
            forenames=_map_distinct(column("forename"), normalise_name),
            middle_names=_map_distinct(
                column("middle_names"), lambda v: tuple(normalise_name(v).split())
            ),
            surnames=_map_distinct(column("surname"), normalise_name),
            former_surnames=_map_distinct(column("former_surname"), _split_list),
            dobs=dobs,
            sexes=_map_distinct(column("sex"), normalise_sex),
            postcodes=_map_distinct(column("postcode"), normalise_postcode),
            previous_postcodes=_map_distinct(column("previous_postcodes"), _split_postcodes),
            addresses=_map_distinct(column("address"), normalise_address),
            upns=upns,
            nhs_numbers=nhs,
            max_block=max_block,
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
            {
                c
                for c in (_initial_code(record.forename), _initial_code(record.surname))
                if c >= 0
            }
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
        """Build every key's sorted array with numpy, from per-row codes of distinct values."""
        fvocab, svocab = self._forename_vocab, self._surname_vocab
        forename = np.asarray(
            _map_distinct(
                self.forenames, lambda v: fvocab.add(forename_key(v.split(" ", 1)[0])) if v else -1
            ),
            dtype=np.int64,
        )
        surname_main = _map_distinct(
            self.surnames, lambda v: svocab.add(surname_key(v.split(" ", 1)[0])) if v else -1
        )
        # Rows with more than one surname key: other parts of a double-barrelled name, the whole
        # of it, and former surnames. Few rows, so a loop is cheap.
        extra_rows: list[int] = []
        extra_codes: list[int] = []
        for row, (name, former) in enumerate(zip(self.surnames, self.former_surnames, strict=True)):
            if " " in name or former:
                names = [*name.split()[1:], name] if " " in name else []
                names.extend(former)
                for code in sorted({svocab.add(surname_key(n)) for n in names if n}):
                    if code != surname_main[row]:
                        extra_rows.append(row)
                        extra_codes.append(code)
        surname_rows = np.concatenate(
            (np.arange(self.size, dtype=np.int64), np.asarray(extra_rows, dtype=np.int64))
        )
        surname = np.concatenate(
            (np.asarray(surname_main, dtype=np.int64), np.asarray(extra_codes, dtype=np.int64))
        )
        dob = np.asarray(_map_distinct(self.dobs, _dob_int), dtype=np.int64)
        year = np.where(dob > 0, dob // 10000 - _YEAR_BASE, -1)
        year = np.where((year >= 0) & (year < _YEAR_SPAN), year, -1)
        postcode = np.asarray(
            _map_distinct(self.postcodes, self._postcode_vocab.add), dtype=np.int64
        )
        area = np.asarray(
            _map_distinct(self.postcodes, lambda p: self._area_vocab.add(_area(p))),
            dtype=np.int64,
        )
        all_rows = np.arange(self.size, dtype=np.int64)
        house = np.asarray(
            _map_distinct(self.addresses, lambda a: self._house_vocab.add(_house(a))),
            dtype=np.int64,
        )
        street = np.asarray(
            _map_distinct(self.addresses, lambda a: self._street_vocab.add(_street(a))),
            dtype=np.int64,
        )
        s_dob = dob[surname_rows]
        s_forename = forename[surname_rows]
        s_year = year[surname_rows]
        s_postcode = postcode[surname_rows]
        built: dict[str, tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.bool_]]]
        built = {
            "surname+dob": (surname * _DOB_SCALE + s_dob, surname_rows, (surname >= 0) & (s_dob > 0)),
            "forename+dob": (forename * _DOB_SCALE + dob, all_rows, (forename >= 0) & (dob > 0)),
            "dob+area": (dob * _CODE_SCALE + area, all_rows, (dob > 0) & (area >= 0)),
            "upn": (self.upns, all_rows, self.upns != 0),
            "nhs_number": (self.nhs_numbers, all_rows, self.nhs_numbers != 0),
            "forename+surname+birth_year": (
                (s_forename * _CODE_SCALE + surname) * _YEAR_SPAN + s_year,
                surname_rows,
                (s_forename >= 0) & (surname >= 0) & (s_year >= 0),
            ),
            "postcode+forename": (postcode * _CODE_SCALE + forename, all_rows, (postcode >= 0) & (forename >= 0)),
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
        }
        built["postcode+house"] = (
            postcode * _CODE_SCALE + house, all_rows, (postcode >= 0) & (house >= 0)
        )
        built["street"] = (street, all_rows, street >= 0)
        initial_f = np.asarray(_map_distinct(self.forenames, _initial_code), dtype=np.int64)
        initial_s = np.asarray(_map_distinct(self.surnames, _initial_code), dtype=np.int64)
        both_rows = np.concatenate((all_rows, all_rows))
        both_initials = np.concatenate((initial_f, initial_s))
        both_dob = np.concatenate((dob, dob))
        built["dob+initial"] = (
            both_dob * 32 + both_initials,
            both_rows,
            (both_dob > 0) & (both_initials >= 0),
        )
        word_codes = _map_distinct(
            self.addresses, lambda a: [self._word_vocab.add(w) for w in _address_words(a)]
        )
        word_rows = [row for row, codes in enumerate(word_codes) for _ in codes]
        word_keys = [code for codes in word_codes for code in codes]
        built["address_word"] = (
            np.asarray(word_keys, dtype=np.int64),
            np.asarray(word_rows, dtype=np.int64),
            np.ones(len(word_keys), dtype=bool),
        )
        for name, (keys, rows, valid) in built.items():
            keys_valid = keys[valid]
            order = np.argsort(keys_valid, kind="stable")
            self._blocks[name] = _Block(
                keys=keys_valid[order], rows=rows[valid][order].astype(np.int32)
            )

    def _count_frequencies(self) -> dict[int, dict[str, float]]:
        """Share of records per first name, surname (and surname part), postcode and home.

        For a postcode or a home the share counts only the *other* records there, since the
        candidate itself is the one being judged; a home with no other record gets the average
        number of other children per home instead (never less than `_MIN_OTHERS`), because a
        brother or sister who is not yet on the register may still live there.
        """
        size = max(self.size, 1)
        forename_counts = Counter(f.split(" ", 1)[0] for f in self.forenames if f)
        surname_counts = Counter(s for s in self.surnames if s)
        for surname in list(surname_counts):
            if " " in surname:
                for part in surname.split():
                    surname_counts[part] += surname_counts[surname]
        homes = Counter(
            f"{p}|{a}" for p, a in zip(self.postcodes, self.addresses, strict=True) if p
        )
        postcode_counts = Counter(p for p in self.postcodes if p)
        with_home = sum(homes.values())
        others = sum(c * (c - 1) for c in homes.values()) / with_home if with_home else 0.0
        floor = max(others, _MIN_OTHERS)
        address = {k: max(c - 1, floor) / size for k, c in homes.items()}
        address.update({k: max(c - 1, floor) / size for k, c in postcode_counts.items()})
        return {
            I_FORENAME: {k: v / size for k, v in forename_counts.items()},
            I_SURNAME: {k: v / size for k, v in surname_counts.items()},
            I_ADDRESS: address,
        }

    # ---- reading --------------------------------------------------------------------------

    def record(self, row: int) -> PersonRecord:
        """The register record at `row`."""
        upn = int(self.upns[row])
        nhs = int(self.nhs_numbers[row])
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
            upn=upn_from_code(upn) if upn else "",
            nhs_number=nhs_from_code(nhs) if nhs else "",
        )

    def frequency(self, comparison: int, value: str) -> float | None:
        """Share of register records with `value` (first name, surname or part, postcode, home)."""
        table = self._frequencies.get(comparison)
        if table is None or not value:
            return None
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
        result: list[list[int]] = [[] for _ in queries]
        if not found_rows:
            return result
        pairs = np.unique(np.concatenate(found_owners) * (self.size + 1) + np.concatenate(found_rows))
        owners_all, rows_all = np.divmod(pairs, self.size + 1)
        boundaries = np.searchsorted(owners_all, np.arange(len(queries) + 1))
        rows_list = rows_all.tolist()
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
            same_postcode = bool(self.postcodes[row]) and self.postcodes[other] == self.postcodes[row]
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


def index_records(records: Iterable[PersonRecord]) -> RegisterIndex:
    """Convenience: `RegisterIndex.from_records` over any iterable."""
    return RegisterIndex.from_records(list(records))
