"""A deterministic synthetic local authority: the demo register.

Owns the invention of a whole pupil register for demonstrations and load tests: localities,
schools (with a few in neighbouring authorities, for history, and academy conversions whose
closed predecessor shares the LAESTAB), households of one to four school-age children with
their carers, address histories and enrolments, valid UPNs and NHS numbers from the
never-issued 999 range. Everything comes from one `random.Random(seed)` and an explicit
`today`: the same seed, size and day give the same register, row for row. Nothing is a real
child's details.

It writes the pupil register's models directly with `bulk_create` rather than through
`cme.pupils.services`, on purpose. Those services record one audit event per change, which is
right for a real child and wrong here: this is a bulk load of invented children into an empty
register (up to a million rows in minutes), not a change to anyone's record. The run records
exactly one `FILE_IMPORTED` audit event instead, naming the seed and the size, so the audit
trail still says who loaded what and when.
"""

from __future__ import annotations

import bisect
import datetime
import enum
import itertools
import math
import random
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Generic, TypeVar

from django.db import connection, models, transaction
from django.db.models import Max

from cme.audit import services as audit
from cme.audit.models import AuditEvent
from cme.pupils.models import (
    Address,
    Child,
    Contact,
    DeletionGround,
    Enrolment,
    Household,
    LocalAuthority,
    Locality,
    School,
    SchoolPhase,
    SchoolStatus,
    SchoolType,
    SenStatus,
    Sex,
    VulnerabilityFlag,
)
from cme.standards.la_codes import load_la_codes
from cme.standards.nhs_number import SYNTHETIC_CAPACITY, make_synthetic_nhs_number
from cme.standards.upn import UPN_LETTERS, make_upn, upn_check_letter

from . import names, places

T = TypeVar("T")
Progress = Callable[[str], None]
Relationship = Contact.Relationship

# The size the authority's real figures describe: ~25,000 pupils in 62 primary, 13 secondary and
# 3 special schools (docs: domain.md, section d). Larger runs add schools and localities
# proportionally, keeping ~300 pupils a primary and ~1,000 a secondary.
BASE_PUPILS: Final = 25_000
BASE_PRIMARY: Final = 62
BASE_SECONDARY: Final = 13
BASE_SPECIAL: Final = 3
BASE_PRU: Final = 1
BASE_INDEPENDENT: Final = 1
BASE_NEIGHBOUR_SCHOOLS: Final = 6
BASE_CONVERSIONS: Final = 2
PUPILS_PER_PRIMARY: Final = 300
PUPILS_PER_SECONDARY: Final = 1_000
DEFAULT_CHUNK_SIZE: Final = 5_000
# Rows per INSERT: 2,000 rows of the widest model (Child, 17 columns) stay under PostgreSQL's
# 65,535 bind parameters; SQLite's own limit makes Django split further.
INSERT_BATCH_SIZE: Final = 2_000
# Beyond this the invented place names, establishment-number ranges and the 900,000 synthetic
# NHS numbers start to run out.
MAX_PUPILS: Final = 1_200_000

# Reception is year group 0, Year 11 is 11; Year 7 is the first secondary year.
YEAR_GROUPS: Final = 12
FIRST_SECONDARY_YEAR: Final = 7

# Establishment-number ranges by kind of school (the DfE convention this authority follows).
_ESTAB_RANGES: Final = {
    "primary": (2000, 4000),
    "secondary": (4000, 6000),
    "independent": (6000, 7000),
    "special": (7000, 8000),
    "pru": (1000, 2000),
}
_NEIGHBOUR_CODES: Final = tuple(places.NEIGHBOURS)
_DAY: Final = datetime.timedelta(days=1)

# Household make-up, per cent of households.
_HOUSEHOLD_KINDS: Final = (
    ("two_parents", 60.0),
    ("lone_mother", 22.0),
    ("lone_father", 3.0),
    ("step_family", 10.0),
    ("grandparents", 2.5),
    ("two_mothers", 1.0),
    ("two_fathers", 0.5),
)
_CHILDREN_PER_HOUSEHOLD: Final = ((1, 45.0), (2, 38.0), (3, 13.0), (4, 4.0))
# Twin maternities are about 1.5% of births in England, so about 3% of children are twins.
_TWIN_BIRTH_RATE: Final = 0.015
_FOSTER_HOUSEHOLD_RATE: Final = 0.009
_MOVED_HOUSEHOLD_RATE: Final = 0.15
_MIDDLE_NAME_RATE: Final = 0.40
_FORMER_SURNAME_RATE: Final = 0.03
_SPECIAL_SCHOOL_RATE: Final = 0.015
_INDEPENDENT_SCHOOL_RATE: Final = 0.015
_PRU_RATE_SECONDARY: Final = 0.004
_EHC_PLAN_RATE_MAINSTREAM: Final = 0.025
_SEN_SUPPORT_RATE: Final = 0.132
_NHS_MISSING_RATE: Final = 0.02

_STREET_ADDRESS_SOURCES: Final = (
    ("School census", 60.0),
    ("Admissions application", 25.0),
    ("Parent", 15.0),
)
_TRANSFER_REASONS: Final = (
    "Parental preference: moved to another school",
    "Moved to a school nearer home",
    "Managed move agreed by both schools",
)
# Letters NFKD leaves alone; the Turkish dotless i is meant.
_ASCII_FOLD: Final = str.maketrans({"ł": "l", "Ł": "L", "ı": "i", "ø": "o", "đ": "d"})  # noqa: RUF001


class RegisterNotEmptyError(Exception):
    """The demo register is only ever generated into a register with no children."""


class _Kind(enum.Enum):
    PRIMARY = "primary"
    SECONDARY = "secondary"
    SPECIAL = "special"
    PRU = "pru"
    INDEPENDENT = "independent"


@dataclass(frozen=True, slots=True)
class DemoAuthority:
    """What one run generated: counts, and the two schools the demo school users work at."""

    seed: int
    pupils: int
    today: datetime.date
    localities: int
    schools: int
    households: int
    addresses: int
    contacts: int
    enrolments: int
    demo_school: School
    other_school: School


@dataclass(frozen=True, slots=True)
class AuthoritySize:
    """How many of each kind of school, and how many localities, an authority of a given
    number of pupils gets."""

    primary: int
    secondary: int
    special: int
    pru: int
    independent: int
    neighbour_schools: int
    conversions: int
    localities: int


def authority_size(pupils: int) -> AuthoritySize:
    """The authority's real shape at ~25,000 pupils; proportionally more schools and
    localities above that, keeping ~300 pupils a primary and ~1,000 a secondary (capped by
    the establishment-number ranges: 2000-3999 primary, 4000-5999 secondary)."""
    scale = max(1.0, pupils / BASE_PUPILS)
    return AuthoritySize(
        primary=min(max(BASE_PRIMARY, round(pupils * 7 / YEAR_GROUPS / PUPILS_PER_PRIMARY)), 1990),
        secondary=min(
            max(BASE_SECONDARY, round(pupils * 5 / YEAR_GROUPS / PUPILS_PER_SECONDARY)), 1990
        ),
        special=min(max(BASE_SPECIAL, round(BASE_SPECIAL * scale)), 990),
        pru=min(max(BASE_PRU, round(BASE_PRU * scale)), 990),
        independent=min(max(BASE_INDEPENDENT, round(BASE_INDEPENDENT * scale)), 990),
        neighbour_schools=max(BASE_NEIGHBOUR_SCHOOLS, round(BASE_NEIGHBOUR_SCHOOLS * scale)),
        conversions=max(BASE_CONVERSIONS, round(BASE_CONVERSIONS * scale)),
        localities=max(len(places.BASE_LOCALITIES), round(len(places.BASE_LOCALITIES) * scale)),
    )


# -- School calendar -------------------------------------------------------------------------


def school_year_of(today: datetime.date) -> int:
    """The calendar year in which the current school year began (September to August)."""
    return today.year if today.month >= 9 else today.year - 1


def autumn_term_start(year: int) -> datetime.date:
    """A plausible first day of the autumn term: the first Wednesday from 2 September."""
    day = datetime.date(year, 9, 2)
    return day + datetime.timedelta(days=(2 - day.weekday()) % 7)


def year_group(date_of_birth: datetime.date, school_year: int) -> int:
    """Year group in the school year beginning in September of `school_year`: 0 is Reception,
    11 is Year 11. A cohort runs 1 September to 31 August, so this is the age on 31 August
    minus four."""
    cohort = date_of_birth.year + (1 if date_of_birth.month >= 9 else 0)
    return school_year - cohort - 4


def _phase_entry(year: int, school_year: int) -> datetime.date:
    """First day at the current phase: Reception for primary years, Year 7 for secondary."""
    years_in_phase = year if year < FIRST_SECONDARY_YEAR else year - FIRST_SECONDARY_YEAR
    return autumn_term_start(school_year - years_in_phase)


# -- Weighted choice -------------------------------------------------------------------------


class _Pool(Generic[T]):
    """Items with weights, drawn by bisecting the cumulative weights (cheaper than
    `random.choices` in the generator's inner loop)."""

    __slots__ = ("cumulative", "items", "total")

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        self.items = tuple(items)
        self.cumulative = tuple(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random) -> T:
        return self.items[bisect.bisect_right(self.cumulative, rng.random() * self.total)]

    @classmethod
    def weighted(cls, pairs: Sequence[tuple[T, float]]) -> _Pool[T]:
        return cls([item for item, _ in pairs], [weight for _, weight in pairs])

    @classmethod
    def ranked(cls, items: Sequence[T], *, flatness: float) -> _Pool[T]:
        """Commonest first: weight 1 / (rank + flatness), so a flatness of ~8 makes the first
        name a few per cent of draws and the last one rare but possible."""
        return cls(items, [1.0 / (rank + flatness) for rank in range(len(items))])


@dataclass(frozen=True, slots=True)
class _OriginPools:
    origin: names.Origin
    boys: _Pool[str]
    girls: _Pool[str]
    surnames: _Pool[str]
    men: _Pool[str]
    women: _Pool[str]

    @classmethod
    def of(cls, origin: names.Origin) -> _OriginPools:
        return cls(
            origin=origin,
            boys=_Pool.ranked(origin.boys, flatness=6),
            girls=_Pool.ranked(origin.girls, flatness=6),
            surnames=_Pool.ranked(origin.surnames, flatness=8),
            men=_Pool.ranked(origin.adult_names(female=False), flatness=6),
            women=_Pool.ranked(origin.adult_names(female=True), flatness=6),
        )


# -- Plans: the rows being built, with what the generator needs to know about them ----------


@dataclass(slots=True, eq=False)
class _SchoolPlan:
    school: School
    kind: _Kind
    la_code: str
    estab: str
    area: places.Area
    # An academy that replaced `predecessor` (same LAESTAB) on `converted_on`.
    converted_on: datetime.date | None = None
    predecessor: School | None = None


@dataclass(slots=True, eq=False)
class _LocalityPlan:
    locality: Locality
    area: places.Area
    primaries: list[_SchoolPlan] = field(default_factory=list)
    secondaries: list[_SchoolPlan] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class _Person:
    forename: str
    surname: str
    phone: str
    email: str

    @property
    def full_name(self) -> str:
        return f"{self.forename} {self.surname}"


@dataclass(slots=True, eq=False)
class _Carer:
    """A person linked to the household's children. `roles` maps the child's family set (0 or
    1: a step-family's two sets of children) to their relationship and parental
    responsibility; a set missing from it gets no contact row."""

    person: _Person
    roles: dict[int, tuple[Relationship, bool]]
    lives_with_child: bool
    emergency_contact: bool = False
    address: str = ""


@dataclass(slots=True, eq=False)
class _Move:
    """A household's move into its current home on `date`; `previous_school_area` is set when
    the move was far enough to change school (a neighbour's LA code or a locality index)."""

    date: datetime.date
    previous_line_1: str
    previous_line_2: str
    previous_town: str
    previous_postcode: str
    previous_moved_in: datetime.date
    previous_la: str | None
    previous_locality: int | None


@dataclass(slots=True)
class _Counts:
    households: int = 0
    children: int = 0
    addresses: int = 0
    contacts: int = 0
    enrolments: int = 0


# -- The generator ---------------------------------------------------------------------------


class _Generator:
    def __init__(
        self,
        *,
        seed: int,
        pupils: int,
        today: datetime.date,
        la_code: str,
        chunk_size: int,
        progress: Progress,
    ) -> None:
        # Reproducible on purpose: the same seed must give the same register (no secrecy here).
        self.rng = random.Random(seed)  # noqa: S311
        self.pupils = pupils
        self.today = today
        self.la_code = la_code
        self.chunk_size = chunk_size
        self.progress = progress
        self.school_year = school_year_of(today)
        self.counts = _Counts()

        self.origins = {key: _OriginPools.of(origin) for key, origin in names.ORIGINS.items()}
        self.ethnicities = _Pool.weighted(list(names.ETHNICITY_SHARES.items()))
        self.parent_origins = {
            code: _Pool.weighted(pairs) for code, pairs in names.ETHNICITY_PARENT_ORIGINS.items()
        }
        self.household_kinds = _Pool.weighted(_HOUSEHOLD_KINDS)
        self.children_per_household = _Pool.weighted(_CHILDREN_PER_HOUSEHOLD)
        self.address_sources = _Pool.weighted(_STREET_ADDRESS_SOURCES)
        self.grandfathers = _Pool.ranked(names.GRANDFATHERS, flatness=6)
        self.grandmothers = _Pool.ranked(names.GRANDMOTHERS, flatness=6)
        self.street_stems = _Pool.ranked(places.STREET_STEMS, flatness=20)

        self.localities: list[_LocalityPlan] = []
        self.locality_pool: _Pool[int] = _Pool([0], [1.0])
        self.la_schools: list[_SchoolPlan] = []
        self.special: list[_SchoolPlan] = []
        self.pru: list[_SchoolPlan] = []
        self.independent: list[_SchoolPlan] = []
        self.neighbour_primaries: dict[str, list[_SchoolPlan]] = {}
        self.neighbour_secondaries: dict[str, list[_SchoolPlan]] = {}
        self.place_names = self._place_names()

        self.upn_serials: dict[tuple[str, str], int] = {}
        self.temporary_upn_serials: dict[tuple[str, str], int] = {}
        self.upn_fallback = 0
        # NHS numbers: child k gets synthetic number (a * k + b) mod capacity, a bijection that
        # scatters siblings across the range. There are only 900,000 valid numbers in the 999
        # range, so above ~880,000 children more are left blank, as a real register would.
        self.nhs_index = 0
        self.nhs_multiplier = self._coprime_multiplier(SYNTHETIC_CAPACITY)
        self.nhs_offset = self.rng.randrange(SYNTHETIC_CAPACITY)
        self.nhs_missing_rate = max(_NHS_MISSING_RATE, 1 - 0.98 * SYNTHETIC_CAPACITY / pupils)

        self.returns_pks = connection.features.can_return_rows_from_bulk_insert
        self.next_pk: dict[type[models.Model], int] = {}
        self.pending: dict[type[models.Model], list[Any]] = {
            model: [] for model in (Household, Child, Address, Contact, Enrolment)
        }

    # -- helpers ---------------------------------------------------------------------------

    def _coprime_multiplier(self, modulus: int) -> int:
        while True:
            candidate = self.rng.randrange(2, modulus)
            if math.gcd(candidate, modulus) == 1:
                return candidate

    def _place_names(self) -> list[str]:
        stems = [
            prefix + suffix for prefix in places.PLACE_PREFIXES for suffix in places.PLACE_SUFFIXES
        ]
        self.rng.shuffle(stems)
        # Reversed so that popping from the end hands out plain names before "Upper ..." ones.
        return [variant.format(stem) for variant in places.PLACE_VARIANTS for stem in stems][::-1]

    def _next_place(self) -> str:
        return self.place_names.pop()

    def _postcode(self, district: str) -> str:
        letters = places.POSTCODE_INWARD_LETTERS
        rng = self.rng
        return f"{district} {rng.randrange(10)}{rng.choice(letters)}{rng.choice(letters)}"

    def _school_day(self, earliest: datetime.date, latest: datetime.date) -> datetime.date:
        """A term-time weekday in [earliest, latest] (or `latest` when there is none after the
        summer holiday and weekend are skipped)."""
        if latest <= earliest:
            return latest
        day = earliest + datetime.timedelta(days=self.rng.randrange((latest - earliest).days + 1))
        if day.month == 8:
            day = autumn_term_start(day.year)
        if day.weekday() >= 5:
            day += datetime.timedelta(days=7 - day.weekday())
        return min(day, latest)

    def _phone(self) -> str:
        # Ofcom's numbers reserved for drama: 07700 900000-900999 and 01632 960000-960999.
        if self.rng.random() < 0.8:
            return f"07700 900{self.rng.randrange(1000):03d}"
        return f"01632 960{self.rng.randrange(1000):03d}"

    def _email(self, forename: str, surname: str) -> str:
        if self.rng.random() >= 0.4:
            return ""
        local = ".".join(_ascii_word(part) for part in (forename, surname))
        if self.rng.random() < 0.5:
            local += str(self.rng.randrange(1, 100))
        return f"{local}@{self.rng.choice(('example.com', 'example.org', 'example.net'))}"

    def _insert(self, model: type[models.Model], objs: list[Any]) -> None:
        """Insert `objs`, leaving each with its primary key set so rows that point at it can be
        built before it is saved. PostgreSQL and SQLite 3.35+ return the keys; otherwise keys
        are assigned here from the table's current maximum (only ever on SQLite, so no
        sequence needs resetting)."""
        if not objs:
            return
        if not self.returns_pks:
            next_pk = self.next_pk.get(model)
            if next_pk is None:
                next_pk = (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1
            for obj in objs:
                obj.pk = next_pk
                next_pk += 1
            self.next_pk[model] = next_pk
        model._default_manager.bulk_create(objs, batch_size=INSERT_BATCH_SIZE)

    def _flush(self) -> None:
        # Parents first: each child row reads its household's new key, and so on down.
        for model, objs in self.pending.items():
            self._insert(model, objs)
            objs.clear()

    # -- reference data: authorities, localities, schools ----------------------------------

    def build_schools(self) -> None:
        rng = self.rng
        size = authority_size(self.pupils)
        authorities = self._authorities()
        self._build_localities(size.localities)
        n_primary, n_secondary, n_special = size.primary, size.secondary, size.special
        n_pru, n_independent = size.pru, size.independent
        n_neighbour, n_conversions = size.neighbour_schools, size.conversions
        total = n_primary + n_secondary + n_special + n_pru + n_independent
        total += n_neighbour + n_conversions

        taken_urns = set(School.objects.values_list("urn", flat=True))
        taken_laestabs = set(School.objects.values_list("laestab", flat=True))
        urns = iter(_sample_excluding(rng, 100_000, 160_000, total, taken_urns))

        weights = [plan.area.weight for plan in self.localities]
        la = authorities[self.la_code]
        estabs = {
            kind: iter(_estab_numbers(rng, self.la_code, kind, count, taken_laestabs))
            for kind, count in (
                ("primary", n_primary),
                ("secondary", n_secondary),
                ("special", n_special),
                ("pru", n_pru),
                ("independent", n_independent),
            )
        }

        for kind, count in ((_Kind.PRIMARY, n_primary), (_Kind.SECONDARY, n_secondary)):
            for index, share in enumerate(_allocate(count, weights)):
                locality = self.localities[index]
                for _ in range(share):
                    plan = self._school(
                        kind,
                        la,
                        estab=next(estabs[kind.value]),
                        urn=next(urns),
                        area=locality.area,
                        locality=locality.locality,
                    )
                    (locality.primaries if kind is _Kind.PRIMARY else locality.secondaries).append(
                        plan
                    )
                    self.la_schools.append(plan)
        for kind, count, bucket in (
            (_Kind.SPECIAL, n_special, self.special),
            (_Kind.PRU, n_pru, self.pru),
            (_Kind.INDEPENDENT, n_independent, self.independent),
        ):
            for _ in range(count):
                locality = self.localities[self.locality_pool.pick(rng)]
                plan = self._school(
                    kind,
                    la,
                    estab=next(estabs[kind.value]),
                    urn=next(urns),
                    area=locality.area,
                    locality=locality.locality,
                )
                bucket.append(plan)
                self.la_schools.append(plan)

        neighbour_estabs = {
            code: {
                "primary": iter(_estab_numbers(rng, code, "primary", n_neighbour, taken_laestabs)),
                "secondary": iter(
                    _estab_numbers(rng, code, "secondary", n_neighbour, taken_laestabs)
                ),
            }
            for code in _NEIGHBOUR_CODES
        }
        neighbours: list[_SchoolPlan] = []
        for index in range(n_neighbour):
            code = _NEIGHBOUR_CODES[index % len(_NEIGHBOUR_CODES)]
            # Two primaries to every secondary, as in the authority itself.
            kind = _Kind.SECONDARY if index % 3 == 1 else _Kind.PRIMARY
            plan = self._school(
                kind,
                authorities[code],
                estab=next(neighbour_estabs[code][kind.value]),
                urn=next(urns),
                area=places.NEIGHBOURS[code],
                locality=None,
            )
            target = (
                self.neighbour_primaries if kind is _Kind.PRIMARY else self.neighbour_secondaries
            )
            target.setdefault(code, []).append(plan)
            neighbours.append(plan)

        predecessors = self._convert_to_academies(n_conversions, urns)
        self._insert(
            School, [plan.school for plan in (*self.la_schools, *neighbours)] + predecessors
        )
        self.school_count = len(self.la_schools) + len(neighbours) + len(predecessors)

    def _authorities(self) -> dict[str, LocalAuthority]:
        codes = (self.la_code, *(code for code in _NEIGHBOUR_CODES if code != self.la_code))
        found = {la.code: la for la in LocalAuthority.objects.filter(code__in=codes)}
        known = load_la_codes()
        missing = [
            LocalAuthority(code=code, name=known[code].name, status=str(known[code].status))
            for code in codes
            if code not in found
        ]
        LocalAuthority.objects.bulk_create(missing)
        found.update({la.code: la for la in LocalAuthority.objects.filter(code__in=codes)})
        return found

    def _build_localities(self, count: int) -> None:
        areas = list(places.BASE_LOCALITIES)
        extra_weight = sum(area.weight for area in areas) / len(areas)
        while len(areas) < count:
            centre = self._next_place()
            pattern = self.rng.choice(places.LOCALITY_PATTERNS)
            towns = (centre, self._next_place(), self._next_place())
            district = self.rng.choice(places.AUTHORITY_DISTRICTS)
            areas.append(places.Area(pattern.format(centre), extra_weight, towns, (district,)))
        existing = {
            loc.name: loc for loc in Locality.objects.filter(name__in=[a.name for a in areas])
        }
        new = [Locality(name=area.name) for area in areas if area.name not in existing]
        self._insert(Locality, new)
        existing.update({loc.name: loc for loc in new})
        self.localities = [_LocalityPlan(existing[area.name], area) for area in areas]
        self.locality_pool = _Pool(range(len(areas)), [area.weight for area in areas])

    def _school(
        self,
        kind: _Kind,
        la: LocalAuthority,
        *,
        estab: str,
        urn: int,
        area: places.Area,
        locality: Locality | None,
    ) -> _SchoolPlan:
        school_type, type_name, name, phase = self._school_identity(kind)
        school = School(
            urn=str(urn),
            local_authority=la,
            establishment_number=estab,
            laestab=f"{la.code}{estab}",
            name=name,
            school_type=school_type,
            type_name=type_name,
            phase=phase,
            status=SchoolStatus.OPEN,
            locality=locality,
            postcode=self._postcode(self.rng.choice(area.districts)),
        )
        return _SchoolPlan(school=school, kind=kind, la_code=la.code, estab=estab, area=area)

    def _school_identity(  # noqa: PLR0911 - one return per kind of school reads as a table
        self, kind: _Kind
    ) -> tuple[SchoolType, str, str, SchoolPhase]:
        rng = self.rng
        place = self._next_place()
        saint = rng.choice(places.SAINTS)
        roll = rng.random()
        if kind is _Kind.PRIMARY:
            if roll < 0.50:
                name = rng.choice(
                    (
                        f"{place} Primary School",
                        f"{place} Primary Academy",
                        f"{place} Church of England Primary School",
                        f"{place} Primary School",
                    )
                )
                type_name = "Academy converter" if rng.random() < 0.8 else "Academy sponsor led"
                return SchoolType.ACADEMY, type_name, name, SchoolPhase.PRIMARY
            if roll < 0.95:
                type_name = rng.choice(
                    (
                        "Community school",
                        "Community school",
                        "Voluntary controlled school",
                        "Voluntary aided school",
                        "Foundation school",
                    )
                )
                if type_name == "Voluntary aided school":
                    name = rng.choice(
                        (
                            f"St {saint}'s Catholic Primary School",
                            f"St {saint}'s Church of England Primary School",
                        )
                    )
                elif type_name == "Voluntary controlled school":
                    name = rng.choice(
                        (f"{place} Church of England Primary School", f"{place} Church School")
                    )
                else:
                    name = rng.choice(
                        (f"{place} Primary School", f"{place} Community Primary School")
                    )
                return SchoolType.MAINTAINED, type_name, name, SchoolPhase.PRIMARY
            return SchoolType.FREE, "Free schools", f"{place} Free School", SchoolPhase.PRIMARY
        if kind is _Kind.SECONDARY:
            name = rng.choice(
                (
                    f"{place} School",
                    f"{place} Academy",
                    f"{place} Community School",
                    f"{place} College",
                    f"St {saint}'s Catholic College",
                    f"{place} Church of England School",
                )
            )
            if roll < 0.85:
                return SchoolType.ACADEMY, "Academy converter", name, SchoolPhase.SECONDARY
            if roll < 0.93:
                return SchoolType.MAINTAINED, "Community school", name, SchoolPhase.SECONDARY
            return SchoolType.FREE, "Free schools", name, SchoolPhase.SECONDARY
        if kind is _Kind.SPECIAL:
            name = rng.choice((f"{place} Park School", f"{place} House School", f"{place} School"))
            type_name = "Academy special converter" if roll < 0.6 else "Community special school"
            return SchoolType.SPECIAL, type_name, name, SchoolPhase.NOT_APPLICABLE
        if kind is _Kind.PRU:
            name = rng.choice((f"{place} Learning Centre", f"{place} Education Centre"))
            return (
                SchoolType.ALTERNATIVE_PROVISION,
                "Pupil referral unit",
                name,
                SchoolPhase.NOT_APPLICABLE,
            )
        name = rng.choice((f"{place} College", f"{place} Hall School", f"{place} House School"))
        return SchoolType.INDEPENDENT, "Other independent school", name, SchoolPhase.ALL_THROUGH

    def _convert_to_academies(self, count: int, urns: Iterator[int]) -> list[School]:
        """Turn `count` academies into conversions: a closed maintained predecessor with the
        same LAESTAB, replaced on 1 September of a recent year."""
        primaries = [
            p
            for p in self.la_schools
            if p.kind is _Kind.PRIMARY and p.school.school_type == SchoolType.ACADEMY
        ]
        secondaries = [
            p
            for p in self.la_schools
            if p.kind is _Kind.SECONDARY and p.school.school_type == SchoolType.ACADEMY
        ]
        # The demo school users' schools stay simple (no predecessor).
        candidates = [p for p in primaries if p is not self.localities[0].primaries[0]]
        chosen_secondaries = [p for p in secondaries if p is not self.localities[0].secondaries[0]]
        chosen: list[_SchoolPlan] = []
        for index in range(count):
            pool = chosen_secondaries if index % 2 else candidates
            pool = [p for p in pool if p not in chosen]
            if pool:
                chosen.append(self.rng.choice(pool))
        predecessors = []
        for plan in chosen:
            successor = plan.school
            successor.type_name = "Academy converter"
            old_name = successor.name.replace("Primary Academy", "Primary School")
            if old_name.endswith(" Academy"):
                old_name = old_name.removesuffix(" Academy") + " School"
            predecessor = School(
                urn=str(next(urns)),
                local_authority=successor.local_authority,
                establishment_number=successor.establishment_number,
                laestab=successor.laestab,
                name=old_name,
                school_type=SchoolType.MAINTAINED,
                type_name=self.rng.choice(("Community school", "Voluntary controlled school")),
                phase=successor.phase,
                status=SchoolStatus.CLOSED,
                locality=successor.locality,
                postcode=successor.postcode,
            )
            plan.predecessor = predecessor
            plan.converted_on = datetime.date(self.school_year - self.rng.randint(1, 6), 9, 1)
            predecessors.append(predecessor)
        return predecessors

    # -- households ------------------------------------------------------------------------

    def build_households(self) -> None:
        started = time.monotonic()
        report_every = max(self.pupils // 10, 50_000)
        next_report = report_every
        while self.counts.children < self.pupils:
            self._household()
            if len(self.pending[Child]) >= self.chunk_size:
                self._flush()
            if self.counts.children >= next_report and self.counts.children < self.pupils:
                self.progress(
                    f"  {self.counts.children:,} of {self.pupils:,} pupils "
                    f"({time.monotonic() - started:.0f} s)"
                )
                next_report += report_every
        self._flush()

    def _household(self) -> None:
        rng = self.rng
        locality_index = self.locality_pool.pick(rng)
        locality = self.localities[locality_index]
        ethnicity = self.ethnicities.pick(rng)
        father_key, mother_key = self.parent_origins[ethnicity].pick(rng)
        father_origin, mother_origin = self.origins[father_key], self.origins[mother_key]
        foster = rng.random() < _FOSTER_HOUSEHOLD_RATE
        kind = "foster" if foster else self.household_kinds.pick(rng)

        births = self._births(
            rng.choice((1, 1, 2)) if foster else self.children_per_household.pick(rng)
        )
        family_surname = self._surname(father_origin)

        household = Household()
        self.pending[Household].append(household)
        self.counts.households += 1

        home = self._street_address(locality.area)
        carers, sets, child_surnames = self._carers(
            kind=kind,
            births=len(births),
            father_origin=father_origin,
            mother_origin=mother_origin,
            family_surname=family_surname,
            area=locality.area,
        )

        # Household circumstances.
        household_flags: set[str] = set()
        if ethnicity in ("WIRT", "WROM"):
            household_flags.add(VulnerabilityFlag.GYPSY_ROMA_TRAVELLER)
        armed_forces_rate = 0.4 if father_key == "nepali" else 0.012
        if rng.random() < armed_forces_rate:
            household_flags.add(VulnerabilityFlag.ARMED_FORCES)
        if rng.random() < 0.005:
            household_flags.add(VulnerabilityFlag.TEMPORARY_ACCOMMODATION)
        if foster:
            household_flags.add(VulnerabilityFlag.LOOKED_AFTER_OR_FOSTERED)
        arrival: datetime.date | None = None
        if father_key not in ("british", "welsh") and rng.random() < 0.1:
            household_flags.add(VulnerabilityFlag.NEW_TO_COUNTRY)
            arrival = self.today - datetime.timedelta(days=rng.randrange(14, 2 * 365))

        move = (
            self._move(locality_index)
            if arrival is None and rng.random() < _MOVED_HOUSEHOLD_RATE
            else None
        )
        eldest_birth = self._date_of_birth(births[0][0])
        if move is not None:
            home_since: datetime.date | None = move.date
        elif arrival is not None:
            home_since = arrival
        elif rng.random() < 0.7:
            home_since = eldest_birth - datetime.timedelta(days=rng.randrange(0, 8 * 365))
        else:
            home_since = None
        home_source = self.address_sources.pick(rng)

        twin_names: list[str] = []
        for index, (year, twins) in enumerate(births):
            date_of_birth = eldest_birth if index == 0 else self._date_of_birth(year)
            for twin in range(2 if twins else 1):
                if self.counts.children >= self.pupils:
                    return
                child = self._child(
                    household=household,
                    year=year,
                    date_of_birth=date_of_birth,
                    surname=child_surnames[sets[index]],
                    parent_keys=(father_key, mother_key),
                    ethnicity=ethnicity,
                    avoid_forename=twin_names[-1] if twin else None,
                    household_flags=household_flags,
                    looked_after=foster,
                    locality_index=locality_index,
                    arrival=arrival,
                    move=move,
                    step_child=kind == "step_family" and sets[index] == 0,
                    step_surname=child_surnames[1],
                )
                twin_names.append(child.forename)
                self._addresses(child, home, home_since, home_source, move)
                self._contacts(child, carers, sets[index], home)

    def _carers(  # noqa: PLR0912, PLR0915 - one branch per kind of household, as a table
        self,
        *,
        kind: str,
        births: int,
        father_origin: _OriginPools,
        mother_origin: _OriginPools,
        family_surname: str,
        area: places.Area,
    ) -> tuple[list[_Carer], list[int], dict[int, str]]:
        """Who looks after the children, and the family set (0 or 1) and surname of each birth:
        in a step-family the older children are from the mother's earlier relationship."""
        rng = self.rng
        carers: list[_Carer] = []
        sets = [0] * births
        child_surnames = {0: family_surname, 1: family_surname}
        mother = self._adult(mother_origin, female=True, surname=family_surname)
        if mother_origin.origin.women_surnames and rng.random() < 0.4:
            mother.surname = rng.choice(mother_origin.origin.women_surnames)
        elif rng.random() < 0.25:
            mother.surname = self._surname(mother_origin)
        father = self._adult(father_origin, female=False, surname=family_surname)
        elsewhere = self._contact_address(area)

        if kind == "two_parents":
            carers = [
                _Carer(mother, {0: (Relationship.MOTHER, True)}, lives_with_child=True),
                _Carer(father, {0: (Relationship.FATHER, True)}, lives_with_child=True),
            ]
        elif kind == "lone_mother":
            carers = [_Carer(mother, {0: (Relationship.MOTHER, True)}, lives_with_child=True)]
            if rng.random() < 0.3:
                child_surnames[0] = mother.surname
            if rng.random() < 0.4:
                carers.append(
                    _Carer(
                        father,
                        {0: (Relationship.FATHER, True)},
                        lives_with_child=False,
                        address=elsewhere,
                    )
                )
        elif kind == "lone_father":
            carers = [_Carer(father, {0: (Relationship.FATHER, True)}, lives_with_child=True)]
            if rng.random() < 0.5:
                carers.append(
                    _Carer(
                        mother,
                        {0: (Relationship.MOTHER, True)},
                        lives_with_child=False,
                        address=elsewhere,
                    )
                )
        elif kind == "step_family":
            step_parent = self._adult(
                father_origin, female=False, surname=self._surname(father_origin)
            )
            # The older children are from the mother's earlier relationship; younger ones may be
            # the couple's own, with the step-parent's surname: step-siblings, two surnames.
            first_own = next((i for i in range(1, births) if rng.random() < 0.5), births)
            sets = [0 if i < first_own else 1 for i in range(births)]
            child_surnames[1] = step_parent.surname
            if rng.random() < 0.6:
                mother.surname = step_parent.surname
            carers = [
                _Carer(
                    mother,
                    {0: (Relationship.MOTHER, True), 1: (Relationship.MOTHER, True)},
                    lives_with_child=True,
                ),
                _Carer(
                    step_parent,
                    {0: (Relationship.STEP_PARENT, False), 1: (Relationship.FATHER, True)},
                    lives_with_child=True,
                ),
            ]
            if rng.random() < 0.5:
                carers.append(
                    _Carer(
                        father,
                        {0: (Relationship.FATHER, True)},
                        lives_with_child=False,
                        address=elsewhere,
                    )
                )
        elif kind == "grandparents":
            responsibility = rng.random() < 0.6  # e.g. under a special guardianship order
            grandmother = _Person(self.grandmothers.pick(rng), family_surname, self._phone(), "")
            carers = [
                _Carer(
                    grandmother,
                    {0: (Relationship.GRANDPARENT, responsibility)},
                    lives_with_child=True,
                )
            ]
            if rng.random() < 0.6:
                grandfather = _Person(
                    self.grandfathers.pick(rng), family_surname, self._phone(), ""
                )
                carers.append(
                    _Carer(
                        grandfather,
                        {0: (Relationship.GRANDPARENT, responsibility)},
                        lives_with_child=True,
                    )
                )
            if rng.random() < 0.3:
                carers.append(
                    _Carer(
                        mother,
                        {0: (Relationship.MOTHER, True)},
                        lives_with_child=False,
                        address=elsewhere,
                    )
                )
        elif kind in ("two_mothers", "two_fathers"):
            female = kind == "two_mothers"
            relationship = Relationship.MOTHER if female else Relationship.FATHER
            first = mother if female else father
            second = self._adult(
                mother_origin if female else father_origin, female=female, surname=family_surname
            )
            if rng.random() < 0.4:
                second.surname = self._surname(mother_origin if female else father_origin)
            carers = [
                _Carer(first, {0: (relationship, True)}, lives_with_child=True),
                _Carer(second, {0: (relationship, True)}, lives_with_child=True),
            ]
        else:  # foster: the children keep their birth family's surname
            carer_origin = self.origins["british"]
            carer_surname = self._surname(carer_origin)
            carers = [
                _Carer(
                    self._adult(carer_origin, female=True, surname=carer_surname),
                    {0: (Relationship.FOSTER_CARER, False)},
                    lives_with_child=True,
                ),
                _Carer(
                    self._adult(carer_origin, female=False, surname=carer_surname),
                    {0: (Relationship.FOSTER_CARER, False)},
                    lives_with_child=True,
                ),
            ]
            worker = self._adult(
                carer_origin, female=rng.random() < 0.8, surname=self._surname(carer_origin)
            )
            worker.phone = f"01632 960{rng.randrange(1000):03d}"
            worker.email = (
                f"{_ascii_word(worker.forename)}.{_ascii_word(worker.surname)}@example.org"
            )
            carers.append(
                _Carer(
                    worker,
                    {0: (Relationship.SOCIAL_WORKER, False)},
                    lives_with_child=False,
                    address="Children's Social Care, Council Offices, Bath BA1 0ZZ",
                )
            )
        carers[0].emergency_contact = True
        if rng.random() < 0.3:
            relative_female = rng.random() < 0.6
            relationship = rng.choice(
                (
                    Relationship.GRANDPARENT,
                    Relationship.GRANDPARENT,
                    Relationship.OTHER_RELATIVE,
                    Relationship.OTHER,
                )
            )
            relative_name = (
                (self.grandmothers if relative_female else self.grandfathers).pick(rng)
                if relationship == Relationship.GRANDPARENT
                else self._adult(mother_origin, female=relative_female, surname="").forename
            )
            relative = _Person(
                relative_name,
                rng.choice((family_surname, self._surname(mother_origin))),
                self._phone(),
                "",
            )
            carers.append(
                _Carer(
                    relative,
                    {0: (relationship, False), 1: (relationship, False)},
                    lives_with_child=False,
                    emergency_contact=True,
                    address=self._contact_address(area),
                )
            )

        return carers, sets, child_surnames

    def _births(self, count: int) -> list[tuple[int, bool]]:
        """Year groups of `count` births, eldest first, each a twin birth or not.

        Drawn uniformly without replacement, so every year group is about the same size
        (clustering siblings round one year would swell the middle years)."""
        rng = self.rng
        years = sorted(rng.sample(range(YEAR_GROUPS), count), reverse=True)
        return [(year, rng.random() < _TWIN_BIRTH_RATE) for year in years]

    def _date_of_birth(self, year: int) -> datetime.date:
        first = datetime.date(self.school_year - 5 - year, 9, 1)
        last = datetime.date(self.school_year - 4 - year, 8, 31)
        return first + datetime.timedelta(days=self.rng.randrange((last - first).days + 1))

    def _surname(self, pools: _OriginPools) -> str:
        surname = pools.surnames.pick(self.rng)
        if self.rng.random() < 0.02:
            other = self.origins["british"].surnames.pick(self.rng)
            if other != surname:
                surname = f"{surname}-{other}"
        return surname

    def _adult(self, pools: _OriginPools, *, female: bool, surname: str) -> _Person:
        forename = (pools.women if female else pools.men).pick(self.rng)
        surname = _feminine(pools.origin.key, surname) if female else surname
        return _Person(forename, surname, self._phone(), self._email(forename, surname))

    def _street_address(self, area: places.Area) -> tuple[str, str, str, str]:
        rng = self.rng
        street = f"{self.street_stems.pick(rng)} {rng.choice(places.STREET_SUFFIXES)}"
        number = rng.randrange(1, 120)
        if rng.random() < 0.12:
            line_1, line_2 = f"Flat {rng.randrange(1, 12)}", f"{number} {street}"
        else:
            line_1, line_2 = f"{number} {street}", ""
        return line_1, line_2, rng.choice(area.towns), self._postcode(rng.choice(area.districts))

    def _contact_address(self, area: places.Area) -> str:
        if self.rng.random() < 0.3:
            area = places.NEIGHBOURS[self.rng.choice(_NEIGHBOUR_CODES)]
        return ", ".join(part for part in self._street_address(area) if part)

    def _move(self, locality_index: int) -> _Move:
        rng = self.rng
        date = self.today - datetime.timedelta(days=rng.randrange(14, 8 * 365))
        previous_la: str | None = None
        previous_locality: int | None = None
        roll = rng.random()
        if roll < 0.39:  # from a neighbouring authority: a new school
            previous_la = rng.choice(_NEIGHBOUR_CODES)
            area = places.NEIGHBOURS[previous_la]
        elif roll < 0.60:  # across the authority: a new school
            previous_locality = self.locality_pool.pick(rng)
            area = self.localities[previous_locality].area
        else:  # round the corner: same school
            area = self.localities[locality_index].area
        line_1, line_2, town, postcode = self._street_address(area)
        return _Move(
            date=date,
            previous_line_1=line_1,
            previous_line_2=line_2,
            previous_town=town,
            previous_postcode=postcode,
            previous_moved_in=date - datetime.timedelta(days=rng.randrange(365, 10 * 365)),
            previous_la=previous_la,
            previous_locality=previous_locality,
        )

    # -- children --------------------------------------------------------------------------

    def _child(  # noqa: PLR0912, PLR0915 - every field of one child, in model order
        self,
        *,
        household: Household,
        year: int,
        date_of_birth: datetime.date,
        surname: str,
        parent_keys: tuple[str, str],
        ethnicity: str,
        avoid_forename: str | None,
        household_flags: set[str],
        looked_after: bool,
        locality_index: int,
        arrival: datetime.date | None,
        move: _Move | None,
        step_child: bool,
        step_surname: str,
    ) -> Child:
        rng = self.rng
        roll = rng.random()
        sex = Sex.UNKNOWN if roll < 0.002 else Sex.FEMALE if roll < 0.492 else Sex.MALE
        female = sex == Sex.FEMALE or (sex == Sex.UNKNOWN and rng.random() < 0.5)
        name_pools = self.origins[rng.choice(parent_keys)]
        forenames = name_pools.girls if female else name_pools.boys
        forename = forenames.pick(rng)
        for _ in range(5):
            if forename != avoid_forename:
                break
            forename = forenames.pick(rng)
        middle_names = ""
        if rng.random() < _MIDDLE_NAME_RATE:
            middle_pools = self.origins[rng.choice(parent_keys)]
            middle = [(middle_pools.girls if female else middle_pools.boys).pick(rng)]
            if rng.random() < 0.15:
                middle.append((middle_pools.girls if female else middle_pools.boys).pick(rng))
            middle_names = " ".join(name for name in middle if name != forename)
        former_surnames = ""
        if step_child and surname != step_surname and rng.random() < 0.3:
            former_surnames, surname = surname, step_surname
        elif rng.random() < _FORMER_SURNAME_RATE:
            former = self._surname(self.origins[parent_keys[1]])
            if former != surname:
                former_surnames = former
        if female:
            surname = _feminine(parent_keys[0], surname)
            former_surnames = _feminine(parent_keys[0], former_surnames)
        short = names.SHORT_FORMS.get(forename)
        preferred_name = short if short and rng.random() < 0.3 else ""

        # Where the child is on roll, and since when.
        place_roll = rng.random()
        locality = self.localities[
            locality_index if rng.random() < 0.92 else self.locality_pool.pick(rng)
        ]
        if place_roll < _SPECIAL_SCHOOL_RATE:
            current = rng.choice(self.special)
        elif place_roll < _SPECIAL_SCHOOL_RATE + _INDEPENDENT_SCHOOL_RATE:
            current = rng.choice(self.independent)
        elif year >= FIRST_SECONDARY_YEAR and rng.random() < _PRU_RATE_SECONDARY:
            current = rng.choice(self.pru)
        else:
            current = rng.choice(
                locality.secondaries if year >= FIRST_SECONDARY_YEAR else locality.primaries
            )

        if current.kind is _Kind.SPECIAL:
            sen_status = SenStatus.EHC_PLAN
        else:
            sen_roll = rng.random()
            sen_status = (
                SenStatus.EHC_PLAN
                if sen_roll < _EHC_PLAN_RATE_MAINSTREAM
                else SenStatus.SEN_SUPPORT
                if sen_roll < _EHC_PLAN_RATE_MAINSTREAM + _SEN_SUPPORT_RATE
                else SenStatus.NONE
            )

        entry = min(_phase_entry(year, self.school_year), self.today)
        start = entry
        history: list[
            tuple[_SchoolPlan, datetime.date, datetime.date, str, str, School | None]
        ] = []
        mainstream = locality.secondaries if year >= FIRST_SECONDARY_YEAR else locality.primaries
        history_roll = rng.random()
        late_enough = entry + datetime.timedelta(days=45) < self.today - datetime.timedelta(days=14)
        if arrival is not None:
            start = max(
                entry,
                self._school_day(arrival, min(arrival + datetime.timedelta(days=40), self.today)),
            )
        elif (
            move is not None
            and (move.previous_la or move.previous_locality is not None)
            and entry + datetime.timedelta(days=14) <= move.date <= self.today
        ):
            previous = self._previous_school(move, year, current)
            start = move.date
            if rng.random() < 0.5:
                ground, reason = DeletionGround.G, "Moved out of the area"
            else:
                ground, reason = DeletionGround.A, "Moved house"
            history.append(
                (previous, entry, max(entry, move.date - _DAY), ground, reason, current.school)
            )
        elif current.kind is _Kind.SPECIAL and history_roll < 0.4 and late_enough:
            start = self._school_day(
                entry + datetime.timedelta(days=30), self.today - datetime.timedelta(days=14)
            )
            history.append(
                (
                    rng.choice(mainstream),
                    entry,
                    start - _DAY,
                    DeletionGround.A,
                    "Moved to the special school named in the EHC plan",
                    current.school,
                )
            )
        elif current.kind is _Kind.PRU and history_roll < 0.6 and late_enough:
            start = self._school_day(
                entry + datetime.timedelta(days=30), self.today - datetime.timedelta(days=14)
            )
            history.append(
                (
                    rng.choice(locality.secondaries),
                    entry,
                    start - _DAY,
                    DeletionGround.O,
                    "Permanently excluded",
                    current.school,
                )
            )
        elif (
            current.kind in (_Kind.PRIMARY, _Kind.SECONDARY)
            and history_roll < 0.033
            and late_enough
        ):
            others = [plan for plan in mainstream if plan is not current] or mainstream
            start = self._school_day(
                entry + datetime.timedelta(days=30), self.today - datetime.timedelta(days=7)
            )
            history.append(
                (
                    rng.choice(others),
                    entry,
                    start - _DAY,
                    DeletionGround.A,
                    rng.choice(_TRANSFER_REASONS),
                    current.school,
                )
            )
        elif (
            current.kind in (_Kind.PRIMARY, _Kind.SECONDARY)
            and history_roll < 0.037
            and entry + datetime.timedelta(days=120) < self.today
        ):
            left = self._school_day(
                entry + datetime.timedelta(days=20), self.today - datetime.timedelta(days=100)
            )
            start = self._school_day(
                left + datetime.timedelta(days=40), self.today - datetime.timedelta(days=7)
            )
            history.append(
                (
                    rng.choice(mainstream),
                    entry,
                    max(entry, left),
                    DeletionGround.F,
                    "Parent chose elective home education",
                    None,
                )
            )
        start = max(start, entry)

        flags = set(household_flags)
        if year >= 3 and rng.random() < 0.008:
            flags.add(VulnerabilityFlag.YOUNG_CARER)
        if rng.random() < 0.002:
            flags.add(VulnerabilityFlag.RISK_OF_HARM)
        if year >= 8 and rng.random() < 0.0015:
            flags.add(VulnerabilityFlag.YOUTH_JUSTICE)
        if year >= 6 and rng.random() < 0.001:
            flags.add(VulnerabilityFlag.MISSING_FROM_HOME_OR_CARE)
        if year >= 10 and female and rng.random() < 0.0005:
            flags.add(VulnerabilityFlag.TEENAGE_PARENT)

        child = Child(
            forename=forename,
            middle_names=middle_names,
            surname=surname,
            former_surnames=former_surnames,
            preferred_name=preferred_name,
            date_of_birth=date_of_birth,
            sex=sex,
            ethnicity=ethnicity,
            upn=self._upn(year, current, history, locality, arrival),
            nhs_number=self._nhs_number(),
            sen_status=sen_status,
            looked_after=looked_after,
            vulnerability_flags=[flag.value for flag in VulnerabilityFlag if flag in flags],
            household=household,
        )
        self.pending[Child].append(child)
        self.counts.children += 1

        for plan, began, ended, deletion_ground, reason, destination in history:
            for school, span_start, span_end in _spans(plan, began, ended):
                is_last = span_end == ended
                self._enrol(
                    child,
                    school,
                    span_start,
                    span_end,
                    ground=deletion_ground if is_last else DeletionGround.A,
                    reason=reason if is_last else "School converted to an academy",
                    destination=destination if is_last else plan.school,
                )
        for school, span_start, span_end in _spans(current, start, None):
            if span_end is None:
                self._enrol(child, school, span_start, None)
            else:
                self._enrol(
                    child,
                    school,
                    span_start,
                    span_end,
                    ground=DeletionGround.A,
                    reason="School converted to an academy",
                    destination=current.school,
                )
        return child

    def _previous_school(self, move: _Move, year: int, current: _SchoolPlan) -> _SchoolPlan:
        secondary = year >= FIRST_SECONDARY_YEAR
        if move.previous_la is not None:
            by_la = self.neighbour_secondaries if secondary else self.neighbour_primaries
            options = by_la.get(move.previous_la) or [
                plan for plans in by_la.values() for plan in plans
            ]
        else:
            assert move.previous_locality is not None
            locality = self.localities[move.previous_locality]
            options = locality.secondaries if secondary else locality.primaries
        return self.rng.choice([plan for plan in options if plan is not current] or options)

    def _enrol(
        self,
        child: Child,
        school: School,
        start: datetime.date,
        end: datetime.date | None,
        *,
        ground: str = "",
        reason: str = "",
        destination: School | None = None,
    ) -> None:
        self.pending[Enrolment].append(
            Enrolment(
                child=child,
                school=school,
                start_date=start,
                end_date=end,
                deletion_ground=ground,
                leaving_reason=reason,
                destination=destination.name if destination is not None else "",
                destination_school=destination,
            )
        )
        self.counts.enrolments += 1

    def _upn(  # noqa: PLR0911 - one return per way a UPN comes about
        self,
        year: int,
        current: _SchoolPlan,
        history: list[tuple[_SchoolPlan, datetime.date, datetime.date, str, str, School | None]],
        locality: _LocalityPlan,
        arrival: datetime.date | None,
    ) -> str:
        """A UPN issued where the child was first registered: the Reception school (or one in
        the home locality), a neighbouring authority's school for children who moved in, the
        current school for children new to the country. About 3% have a temporary UPN or none
        yet."""
        rng = self.rng
        roll = rng.random()
        if arrival is not None:
            if roll < 0.45:
                return self._temporary_upn(current, arrival.year)
            if roll < 0.70:
                return ""
            return self._permanent_upn(current, arrival.year)
        if current.kind is _Kind.INDEPENDENT and roll < 0.35:
            return ""
        if roll < 0.009:
            return self._temporary_upn(current, self.school_year)
        if roll < 0.016:
            return ""
        reception_year = self.school_year - year
        first = history[0][0] if history else current
        moved_in_from_a_neighbour = bool(history) and first.la_code != self.la_code
        if moved_in_from_a_neighbour or (
            year < FIRST_SECONDARY_YEAR and first.kind is _Kind.PRIMARY
        ):
            issuer = first
        else:
            issuer = rng.choice(locality.primaries)
        return self._permanent_upn(issuer, reception_year)

    def _permanent_upn(self, issuer: _SchoolPlan, year: int) -> str:
        year2 = f"{year % 100:02d}"
        plan = issuer
        for _ in range(len(self.la_schools) + 1):
            key = (plan.school.laestab, year2)
            serial = self.upn_serials.get(key, 0)
            if serial < 1000:
                self.upn_serials[key] = serial + 1
                return make_upn(plan.la_code, plan.estab, year2, f"{serial:03d}")
            # This school issued 1,000 UPNs that year: the next school in turn issues it.
            plan = self.la_schools[self.upn_fallback % len(self.la_schools)]
            self.upn_fallback += 1
        msg = f"no UPN serials left for {year}"
        raise RuntimeError(msg)

    def _temporary_upn(self, issuer: _SchoolPlan, year: int) -> str:
        """A temporary UPN: the permanent form with a two-digit serial and a final letter."""
        year2 = f"{year % 100:02d}"
        plan = issuer
        for _ in range(len(self.la_schools) + 1):
            key = (plan.school.laestab, year2)
            serial = self.temporary_upn_serials.get(key, 0)
            if serial < 100 * len(UPN_LETTERS):
                self.temporary_upn_serials[key] = serial + 1
                letter = UPN_LETTERS[serial // 100]
                body = f"{plan.la_code}{plan.estab}{year2}{serial % 100:02d}{letter}"
                return upn_check_letter(body) + body
            plan = self.la_schools[self.upn_fallback % len(self.la_schools)]
            self.upn_fallback += 1
        msg = f"no temporary UPN serials left for {year}"
        raise RuntimeError(msg)

    def _nhs_number(self) -> str:
        if self.rng.random() < self.nhs_missing_rate or self.nhs_index >= SYNTHETIC_CAPACITY:
            return ""
        index = (self.nhs_multiplier * self.nhs_index + self.nhs_offset) % SYNTHETIC_CAPACITY
        self.nhs_index += 1
        return make_synthetic_nhs_number(index)

    def _addresses(
        self,
        child: Child,
        home: tuple[str, str, str, str],
        home_since: datetime.date | None,
        source: str,
        move: _Move | None,
    ) -> None:
        birth = child.date_of_birth
        assert birth is not None
        line_1, line_2, town, postcode = home
        self.pending[Address].append(
            Address(
                child=child,
                line_1=line_1,
                line_2=line_2,
                town=town,
                postcode=postcode,
                moved_in=max(home_since, birth) if home_since else None,
                source=source,
            )
        )
        self.counts.addresses += 1
        if move is not None and birth < move.date:
            self.pending[Address].append(
                Address(
                    child=child,
                    line_1=move.previous_line_1,
                    line_2=move.previous_line_2,
                    town=move.previous_town,
                    postcode=move.previous_postcode,
                    moved_in=max(move.previous_moved_in, birth),
                    moved_out=move.date,
                    source="School census",
                )
            )
            self.counts.addresses += 1

    def _contacts(
        self, child: Child, carers: list[_Carer], family_set: int, home: tuple[str, str, str, str]
    ) -> None:
        home_text = ", ".join(part for part in home if part)
        for carer in carers:
            role = carer.roles.get(family_set)
            if role is None:
                continue
            relationship, responsibility = role
            self.pending[Contact].append(
                Contact(
                    child=child,
                    full_name=carer.person.full_name,
                    relationship=relationship,
                    parental_responsibility=responsibility,
                    lives_with_child=carer.lives_with_child,
                    emergency_contact=carer.emergency_contact,
                    phone=carer.person.phone,
                    email=carer.person.email,
                    address=home_text if carer.lives_with_child else carer.address,
                )
            )
            self.counts.contacts += 1


# -- Small pure helpers ----------------------------------------------------------------------


def _spans(
    plan: _SchoolPlan, start: datetime.date, end: datetime.date | None
) -> list[tuple[School, datetime.date, datetime.date | None]]:
    """Split time on roll at an academy across its closed predecessor and itself."""
    converted = plan.converted_on
    if plan.predecessor is None or converted is None or start >= converted:
        return [(plan.school, start, end)]
    if end is not None and end < converted:
        return [(plan.predecessor, start, end)]
    return [(plan.predecessor, start, converted - _DAY), (plan.school, converted, end)]


def _allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Share `total` out by weight (largest remainder), at least one each when there are enough."""
    floor = 1 if total >= len(weights) else 0
    spare = total - floor * len(weights)
    whole = sum(weights)
    exact = [spare * weight / whole for weight in weights]
    shares = [floor + int(value) for value in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: exact[i] - int(exact[i]), reverse=True)
    for index in by_remainder[: total - sum(shares)]:
        shares[index] += 1
    return shares


def _sample_excluding(
    rng: random.Random, low: int, high: int, count: int, taken: set[str]
) -> list[int]:
    extra = sum(1 for value in taken if value.isdigit() and low <= int(value) < high)
    return [n for n in rng.sample(range(low, high), count + extra) if str(n) not in taken][:count]


def _estab_numbers(
    rng: random.Random, la_code: str, kind: str, count: int, taken: set[str]
) -> list[str]:
    low, high = _ESTAB_RANGES[kind]
    free = [n for n in range(low, high) if f"{la_code}{n:04d}" not in taken]
    return [f"{n:04d}" for n in sorted(rng.sample(free, count))]


def _feminine(origin_key: str, surname: str) -> str:
    """A woman's or girl's form of a surname where the tradition has one (Polish -ski/-ska)."""
    if origin_key == "polish" and surname.endswith("ki"):
        return surname[:-1] + "a"
    return surname


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.translate(_ASCII_FOLD))
    return "".join(char for char in folded.lower() if char.isascii() and char.isalnum())


# -- Entry point -----------------------------------------------------------------------------


def generate_demo_authority(
    *,
    seed: int,
    pupils: int,
    today: datetime.date,
    la_code: str,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: Progress | None = None,
) -> DemoAuthority:
    """Generate a synthetic authority of `pupils` children into an empty register.

    Deterministic: only `seed`, `pupils`, `today` and `la_code` decide what is written. Rows are
    built in memory `chunk_size` children at a time and bulk-inserted, so memory stays flat at
    any size. Records one `FILE_IMPORTED` audit event for the whole run (module docstring).
    Raises RegisterNotEmptyError if the register already has children.
    """
    if not 1 <= pupils <= MAX_PUPILS:
        msg = f"pupils must be between 1 and {MAX_PUPILS:,}"
        raise ValueError(msg)
    report = progress or (lambda _line: None)
    with transaction.atomic():
        if Child.objects.exists():
            msg = "The register already has children; demo data only goes into an empty register."
            raise RegisterNotEmptyError(msg)
        generator = _Generator(
            seed=seed,
            pupils=pupils,
            today=today,
            la_code=la_code,
            chunk_size=chunk_size,
            progress=report,
        )
        started = time.monotonic()
        generator.build_schools()
        report(
            f"Schools: {generator.school_count:,} schools in {len(generator.localities):,} "
            f"localities ({time.monotonic() - started:.1f} s)"
        )
        started = time.monotonic()
        generator.build_households()
        counts = generator.counts
        report(
            f"Pupils: {counts.children:,} children in {counts.households:,} households, "
            f"{counts.addresses:,} addresses, {counts.contacts:,} contacts, "
            f"{counts.enrolments:,} enrolments ({time.monotonic() - started:.1f} s)"
        )
        authority = LocalAuthority.objects.get(code=la_code)
        audit.record_event(
            kind=AuditEvent.Kind.FILE_IMPORTED,
            actor=None,
            subject=authority,
            summary=f"Synthetic demo data generated (seed {seed}, {pupils} pupils)",
            details={
                "seed": seed,
                "pupils": pupils,
                "today": today.isoformat(),
                "schools": generator.school_count,
                "households": counts.households,
                "addresses": counts.addresses,
                "contacts": counts.contacts,
                "enrolments": counts.enrolments,
            },
        )
    return DemoAuthority(
        seed=seed,
        pupils=counts.children,
        today=today,
        localities=len(generator.localities),
        schools=generator.school_count,
        households=counts.households,
        addresses=counts.addresses,
        contacts=counts.contacts,
        enrolments=counts.enrolments,
        demo_school=generator.localities[0].primaries[0].school,
        other_school=generator.localities[0].secondaries[0].school,
    )
