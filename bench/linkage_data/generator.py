"""Synthetic UK-style register and referrals, with known truth, for the linkage benchmarks.

Owns the benchmark's world: households of children (twins, siblings, double-barrelled and
changed surnames, families that moved), a register of them, and referrals about them written
the way referrers write (nicknames, other spellings, swapped names, swapped day and month,
one-digit slips, old postcodes, missing fields, identifiers with bad check characters). At
least a quarter of the referrals are about children who are not on the register: new
arrivals, brothers and sisters of registered children, and twins of registered children.
Every rate is fixed in `CorruptionRates` and `WorldConfig`; the same seed gives the same world.
Entirely invented: no real person's details.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Final

from bench.linkage_data.pools import (
    BOYS,
    DISTRICT_PREFIXES,
    ENDINGS,
    FORENAME_VARIANTS,
    GIRLS,
    STREET_TYPES,
    STREETS,
    SURNAME_VARIANTS,
    SURNAMES,
    SYLLABLES,
)
from cme.standards.nhs_number import SYNTHETIC_CAPACITY, make_synthetic_nhs_number
from cme.standards.upn import make_upn

COLUMNS: Final = (
    "id",
    "forename",
    "middle_names",
    "surname",
    "former_surname",
    "dob",
    "sex",
    "postcode",
    "previous_postcodes",
    "address",
    "upn",
    "nhs_number",
)
Row = dict[str, str]
_LETTERS: Final = "abcdefghijklmnopqrstuvwxyz"
_POSTCODE_LETTERS: Final = "ABDEFGHJLNPQRSTUWXYZ"
_UNITS_PER_SECTOR: Final = 40
_UNITS: Final = tuple(a + b for a in _POSTCODE_LETTERS for b in _POSTCODE_LETTERS)[::7]
_FIRST_BIRTH: Final = date(2009, 9, 1)
_BIRTH_SPAN_DAYS: Final = 13 * 365


@dataclass(frozen=True)
class CorruptionRates:
    """Chance that a referral about a registered child differs from the register in each way.

    Fixed before any measurement; the benchmark reports on a seed never used for tuning.
    """

    forename_nickname: float = 0.10  # a short form or other spelling, where one exists
    forename_typo: float = 0.04
    forename_is_middle_name: float = 0.02  # the child goes by a middle name
    names_swapped: float = 0.02
    surname_variant: float = 0.30  # another spelling, where one exists
    surname_typo: float = 0.04
    double_barrel_in_part: float = 0.5  # of children whose surname has two parts
    surname_former: float = 0.5  # of children with a former surname, the referral uses it
    dob_day_month_swapped: float = 0.03
    dob_one_digit: float = 0.03
    dob_missing: float = 0.03
    sex_missing: float = 0.10
    sex_wrong: float = 0.005
    postcode_typo: float = 0.02
    postcode_missing: float = 0.05
    address_missing: float = 0.15
    address_variation: float = 0.20  # abbreviations, a flat number left out
    middle_names_missing: float = 0.50
    forename_missing: float = 0.005
    surname_missing: float = 0.005
    upn_given: float = 0.30
    upn_bad_check: float = 0.10  # of UPNs given, one digit wrong (check letter then fails)
    nhs_given: float = 0.20
    nhs_bad_check: float = 0.10


@dataclass(frozen=True)
class WorldConfig:
    """The shape of the register and of the referrals."""

    households: int = 40_000
    referrals: int = 10_000
    twin_birth_rate: float = 0.016  # per birth: about 3% of children are twins
    children_per_household: tuple[float, ...] = (0.45, 0.33, 0.15, 0.07)  # 1, 2, 3, 4
    # Families with an invented, rarely shared surname; the rest draw from SURNAMES with a
    # Zipf exponent chosen so that the commonest (Smith) is about 1.5% of children, as in the UK.
    rare_surname_share: float = 0.75
    surname_zipf: float = 0.6
    # Likewise the commonest first name is about 2% of children of its sex.
    rare_forename_share: float = 0.30
    forename_zipf: float = 0.3
    double_barrelled_share: float = 0.04
    former_surname_share: float = 0.03
    moved_share: float = 0.08  # family moved: the register has the new address
    moved_register_keeps_previous: float = 0.5  # of those, the register knows the old postcode
    referral_uses_old_address: float = 0.7  # of those, the referral gives the old address
    register_middle_names: float = 0.6
    register_nhs: float = 0.9
    unmatched_share: float = 0.30
    unmatched_siblings: float = 0.12  # of unmatched referrals
    unmatched_twins: float = 0.03  # of unmatched referrals
    rates: CorruptionRates = field(default_factory=CorruptionRates)


@dataclass
class Child:
    """One invented child in the world."""

    id: str
    forename: str
    middle_names: list[str]
    surname: str
    former_surname: str
    dob: date
    sex: str
    postcode: str
    previous_postcode: str
    address: str
    previous_address: str
    upn: str
    nhs_number: str
    household: int
    twin: bool = False


@dataclass(frozen=True)
class Referral:
    """A referral row, the register id of its child (None: not on the register), and its kind."""

    row: Row
    truth: str | None
    kind: str  # "match", "match_twin", "unrelated", "sibling", "twin_of_registered"


@dataclass(frozen=True)
class World:
    """A generated register and referrals."""

    register: list[Row]
    referrals: list[Referral]
    twin_ids: frozenset[str]


def _zipf_choice(
    rng: random.Random, pool: tuple[str, ...] | list[str], exponent: float = 1.0
) -> str:
    weights = _zipf_weights(len(pool), exponent)
    return rng.choices(pool, cum_weights=weights)[0]


_WEIGHT_CACHE: dict[tuple[int, float], list[float]] = {}


def _zipf_weights(size: int, exponent: float) -> list[float]:
    key = (size, exponent)
    if key not in _WEIGHT_CACHE:
        total = 0.0
        cumulative = []
        for rank in range(1, size + 1):
            total += 1.0 / rank**exponent
            cumulative.append(total)
        _WEIGHT_CACHE[key] = cumulative
    return _WEIGHT_CACHE[key]


def _with_variants(names: set[str]) -> set[str]:
    out = set(names)
    for name in names:
        out.update(FORENAME_VARIANTS.get(name, ()))
        out.update(k for k, variants in FORENAME_VARIANTS.items() if name in variants)
    return out


def _invented_name(rng: random.Random) -> str:
    parts = [rng.choice(SYLLABLES) for _ in range(rng.randint(1, 2))]
    return ("".join(parts) + rng.choice(ENDINGS)).capitalize()


def _postcode(rng: random.Random, district: int) -> str:
    prefix = DISTRICT_PREFIXES[district % len(DISTRICT_PREFIXES)]
    number = district // len(DISTRICT_PREFIXES) + 1
    # About 40 units per sector, as in a real district: several families share a postcode.
    unit = _UNITS[rng.randrange(_UNITS_PER_SECTOR)]
    return f"{prefix}{number} {rng.randint(1, 9)}{unit}"


def _address(rng: random.Random) -> str:
    house = rng.randint(1, 180)
    flat = f"Flat {rng.randint(1, 12)}, " if rng.random() < 0.15 else ""
    return f"{flat}{house} {rng.choice(STREETS)} {rng.choice(STREET_TYPES)}"


def typo(rng: random.Random, text: str) -> str:
    """One slip of the keyboard: a letter inserted, dropped, changed or two swapped."""
    if len(text) < 2:
        return text + rng.choice(_LETTERS)
    position = rng.randrange(1, len(text))
    kind = rng.randrange(4)
    letter = rng.choice(_LETTERS)
    if kind == 0:
        return text[:position] + letter + text[position:]
    if kind == 1 and len(text) > 3:
        return text[:position] + text[position + 1 :]
    if kind == 2 and position < len(text) - 1:
        return text[:position] + text[position + 1] + text[position] + text[position + 2 :]
    return text[:position] + letter + text[position + 1 :]


class _Builder:
    def __init__(self, config: WorldConfig, seed: int) -> None:
        self.config = config
        self.rng = random.Random(seed)
        self.serial = 0
        self.nhs_serial = seed * 7919 % 1000
        self.children: list[Child] = []
        self.households: list[list[Child]] = []

    def _surname(self) -> str:
        rng = self.rng
        if rng.random() < self.config.rare_surname_share:
            name = _invented_name(rng)
        else:
            name = _zipf_choice(rng, SURNAMES, self.config.surname_zipf)
        if rng.random() < self.config.double_barrelled_share:
            other = _zipf_choice(rng, SURNAMES, self.config.surname_zipf)
            if other != name:
                name = f"{name}-{other}"
        return name

    def _forename(self, sex: str) -> str:
        if self.rng.random() < self.config.rare_forename_share:
            return _invented_name(self.rng)
        return _zipf_choice(self.rng, BOYS if sex == "M" else GIRLS, self.config.forename_zipf)

    def _upn(self) -> str:
        n = self.serial
        return make_upn(
            "800", f"{(n // 1000) % 10000:04d}", f"{n // 10_000_000:02d}", f"{n % 1000:03d}"
        )

    def _nhs(self) -> str:
        if self.rng.random() >= self.config.register_nhs or self.nhs_serial >= SYNTHETIC_CAPACITY:
            return ""
        value = make_synthetic_nhs_number(self.nhs_serial)
        self.nhs_serial += 1
        return value

    def new_child(
        self,
        *,
        household: int,
        surname: str,
        home: tuple[str, str, str, str],
        dob: date | None = None,
        avoid: set[str] | None = None,
    ) -> Child:
        rng = self.rng
        sex = rng.choice("MF")
        forename = self._forename(sex)
        # Brothers and sisters (twins above all) are not given one name in two spellings.
        taken = _with_variants(avoid or set())
        while forename in taken:
            forename = self._forename(sex)
        middle = []
        if rng.random() < self.config.register_middle_names:
            middle = [self._forename(sex) for _ in range(rng.choice((1, 1, 1, 2)))]
        if dob is None:
            dob = _FIRST_BIRTH + timedelta(days=rng.randrange(_BIRTH_SPAN_DAYS))
        former = ""
        if rng.random() < self.config.former_surname_share:
            former = self._surname()
        postcode, address, previous_postcode, previous_address = home
        child = Child(
            id=f"R{self.serial:07d}",
            forename=forename,
            middle_names=middle,
            surname=surname,
            former_surname=former,
            dob=dob,
            sex=sex,
            postcode=postcode,
            previous_postcode=previous_postcode,
            address=address,
            previous_address=previous_address,
            upn=self._upn(),
            nhs_number=self._nhs(),
            household=household,
        )
        self.serial += 1
        return child

    def _home(self) -> tuple[str, str, str, str]:
        rng = self.rng
        districts = max(12, self.config.households // 1500)
        postcode = _postcode(rng, rng.randrange(districts))
        address = _address(rng)
        previous_postcode = previous_address = ""
        if rng.random() < self.config.moved_share:
            previous_postcode = _postcode(rng, rng.randrange(districts))
            previous_address = _address(rng)
        return postcode, address, previous_postcode, previous_address

    def household(self, number: int) -> list[Child]:
        rng = self.rng
        surname = self._surname()
        home = self._home()
        size = rng.choices((1, 2, 3, 4), weights=self.config.children_per_household)[0]
        children: list[Child] = []
        while len(children) < size:
            names = {c.forename for c in children}
            child = self.new_child(household=number, surname=surname, home=home, avoid=names)
            children.append(child)
            if rng.random() < self.config.twin_birth_rate:
                twin = self.new_child(
                    household=number,
                    surname=surname,
                    home=home,
                    dob=child.dob,
                    avoid=names | {child.forename},
                )
                child.twin = twin.twin = True
                children.append(twin)
        return children


def _register_row(child: Child, *, keeps_previous: bool) -> Row:
    return {
        "id": child.id,
        "forename": child.forename,
        "middle_names": " ".join(child.middle_names),
        "surname": child.surname,
        "former_surname": child.former_surname,
        "dob": child.dob.isoformat(),
        "sex": child.sex,
        "postcode": child.postcode,
        "previous_postcodes": child.previous_postcode if keeps_previous else "",
        "address": child.address,
        "upn": child.upn,
        "nhs_number": child.nhs_number,
    }


def _vary_address(rng: random.Random, address: str) -> str:
    if address.startswith("Flat ") and rng.random() < 0.5:
        address = address.split(", ", 1)[1]
    for long, short in (("Road", "Rd"), ("Street", "St"), ("Avenue", "Ave"), ("Close", "Cl")):
        address = address.replace(long, short)
    return address.upper() if rng.random() < 0.3 else address


def _bad_check(rng: random.Random, value: str) -> str:
    """Change one digit, so that the check character no longer fits."""
    digits = [i for i, c in enumerate(value) if c.isdigit()]
    position = rng.choice(digits)
    replacement = str((int(value[position]) + rng.randint(1, 9)) % 10)
    return value[:position] + replacement + value[position + 1 :]


def _swap_day_month(value: date) -> date:
    try:
        return date(value.year, value.day, value.month)
    except ValueError:
        return value


def _one_digit(rng: random.Random, value: date) -> date:
    for _ in range(20):
        text = value.strftime("%Y%m%d")
        position = rng.choice((3, 4, 5, 6, 7))
        candidate = text[:position] + str(rng.randrange(10)) + text[position + 1 :]
        try:
            changed = date(int(candidate[:4]), int(candidate[4:6]), int(candidate[6:]))
        except ValueError:
            continue
        if changed != value:
            return changed
    return value


def write_referral(  # noqa: PLR0912, PLR0915 - one branch per kind of corruption, in order
    rng: random.Random, child: Child, rates: CorruptionRates, config: WorldConfig, ref_id: str
) -> Row:
    """A referral about `child` as a referrer might write it, corrupted at the configured rates."""
    forename, surname = child.forename, child.surname
    if forename in FORENAME_VARIANTS and rng.random() < rates.forename_nickname:
        forename = rng.choice(FORENAME_VARIANTS[forename])
    elif child.middle_names and rng.random() < rates.forename_is_middle_name:
        forename = child.middle_names[0]
    elif rng.random() < rates.forename_typo:
        forename = typo(rng, forename)
    if "-" in surname and rng.random() < rates.double_barrel_in_part:
        surname = rng.choice(surname.split("-"))
    elif child.former_surname and rng.random() < rates.surname_former:
        surname = child.former_surname
    elif surname in SURNAME_VARIANTS and rng.random() < rates.surname_variant:
        surname = rng.choice(SURNAME_VARIANTS[surname])
    elif rng.random() < rates.surname_typo:
        surname = typo(rng, surname)
    if rng.random() < rates.names_swapped:
        forename, surname = surname, forename
    if rng.random() < rates.forename_missing:
        forename = ""
    if rng.random() < rates.surname_missing:
        surname = ""
    dob: date | None = child.dob
    roll = rng.random()
    if roll < rates.dob_day_month_swapped:
        dob = _swap_day_month(child.dob)
    elif roll < rates.dob_day_month_swapped + rates.dob_one_digit:
        dob = _one_digit(rng, child.dob)
    elif roll < rates.dob_day_month_swapped + rates.dob_one_digit + rates.dob_missing:
        dob = None
    sex = child.sex
    if rng.random() < rates.sex_missing:
        sex = ""
    elif rng.random() < rates.sex_wrong:
        sex = "F" if sex == "M" else "M"
    postcode, address = child.postcode, child.address
    if child.previous_postcode and rng.random() < config.referral_uses_old_address:
        postcode, address = child.previous_postcode, child.previous_address
    if rng.random() < rates.postcode_missing:
        postcode = ""
    elif rng.random() < rates.postcode_typo:
        compact = postcode.replace(" ", "")
        postcode = typo(rng, compact).upper()
    if rng.random() < rates.address_missing:
        address = ""
    elif rng.random() < rates.address_variation:
        address = _vary_address(rng, address)
    upn = ""
    if rng.random() < rates.upn_given:
        upn = _bad_check(rng, child.upn) if rng.random() < rates.upn_bad_check else child.upn
    nhs = ""
    if child.nhs_number and rng.random() < rates.nhs_given:
        nhs = (
            _bad_check(rng, child.nhs_number)
            if rng.random() < rates.nhs_bad_check
            else child.nhs_number
        )
    middle = "" if rng.random() < rates.middle_names_missing else " ".join(child.middle_names)
    return {
        "id": ref_id,
        "forename": forename,
        "middle_names": middle,
        "surname": surname,
        "former_surname": "",
        "dob": dob.strftime("%d/%m/%Y") if dob else "",
        "sex": sex,
        "postcode": postcode,
        "previous_postcodes": "",
        "address": address,
        "upn": upn,
        "nhs_number": nhs,
    }


def generate_world(config: WorldConfig, seed: int) -> World:
    """Build the register and the referrals for `seed` (same seed, same world)."""
    builder = _Builder(config, seed)
    rng = builder.rng
    register_children: list[Child] = []
    households: list[list[Child]] = []
    for number in range(config.households):
        children = builder.household(number)
        households.append(children)
        register_children.extend(children)
    register = [
        _register_row(child, keeps_previous=rng.random() < config.moved_register_keeps_previous)
        for child in register_children
    ]
    twin_ids = frozenset(child.id for child in register_children if child.twin)
    referrals: list[Referral] = []
    unmatched = round(config.referrals * config.unmatched_share)
    matched = config.referrals - unmatched
    for position, child in enumerate(rng.sample(register_children, matched)):
        row = write_referral(rng, child, config.rates, config, f"F{seed:03d}-{position:06d}")
        referrals.append(Referral(row, child.id, "match_twin" if child.twin else "match"))
    for position in range(matched, config.referrals):
        ref_id = f"F{seed:03d}-{position:06d}"
        roll = rng.random()
        if roll < config.unmatched_twins:
            anchor = rng.choice(register_children)
            family = households[anchor.household]
            outsider = builder.new_child(
                household=anchor.household,
                surname=anchor.surname,
                home=(
                    anchor.postcode,
                    anchor.address,
                    anchor.previous_postcode,
                    anchor.previous_address,
                ),
                dob=anchor.dob,
                avoid={c.forename for c in family},
            )
            kind = "twin_of_registered"
        elif roll < config.unmatched_twins + config.unmatched_siblings:
            anchor = rng.choice(register_children)
            family = households[anchor.household]
            outsider = builder.new_child(
                household=anchor.household,
                surname=anchor.surname,
                home=(
                    anchor.postcode,
                    anchor.address,
                    anchor.previous_postcode,
                    anchor.previous_address,
                ),
                avoid={c.forename for c in family},
            )
            kind = "sibling"
        else:
            outsider = builder.household(config.households + position)[0]
            kind = "unrelated"
        row = write_referral(rng, outsider, config.rates, config, ref_id)
        referrals.append(Referral(row, None, kind))
    rng.shuffle(referrals)
    return World(register=register, referrals=referrals, twin_ids=twin_ids)


def write_csv(path: str, rows: list[Row], columns: tuple[str, ...] = COLUMNS) -> None:
    """Write rows as a UTF-8 CSV with the given columns."""
    import csv

    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
