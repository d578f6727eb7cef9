"""Places for the synthetic register: localities, towns, postcode districts, streets and the
parts that school names are made from.

Owns the geography of the demo authority (modelled loosely on Bath and North East Somerset and
its neighbours) and the invented place-name stems that schools, streets and extra localities
are built from. Postcode districts are real outward codes; `cme.demo.generator` invents the
inward part, so an address here is never anyone's home.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Final


@dataclass(frozen=True, slots=True)
class Area:
    """A locality of the demo authority, or a neighbouring authority: its towns and districts."""

    name: str
    weight: float
    towns: tuple[str, ...]
    districts: tuple[str, ...]


# Data tables, kept several entries to a line so they read as lists: not formatted.
# fmt: off
# The authority's own localities, each with its Behaviour and Attendance Panel. Weights are the
# rough share of the authority's families living there.
BASE_LOCALITIES: Final = (
    Area("Bath City", 40, ("Bath",), ("BA1", "BA2")),
    Area("Keynsham", 14, ("Keynsham", "Saltford"), ("BS31",)),
    Area(
        "Midsomer Norton and Radstock", 16, ("Midsomer Norton", "Radstock", "Westfield"), ("BA3",)
    ),
    Area("Chew Valley", 8, ("Chew Magna", "Bishop Sutton", "Pensford", "Clutton"), ("BS39",)),
    Area("Bathavon", 11, ("Batheaston", "Bathampton", "Combe Down", "Freshford"), ("BA1", "BA2")),
    Area(
        "Somer Valley", 11, ("Paulton", "Peasedown St John", "Timsbury", "High Littleton"),
        ("BA2", "BS39"),
    ),
)

# Districts that extra localities (for authorities scaled past ~25,000 pupils) draw on.
AUTHORITY_DISTRICTS: Final = ("BA1", "BA2", "BA3", "BS31", "BS39")

# Neighbouring authorities by DfE LA code: where families moving in come from.
NEIGHBOURS: Final = MappingProxyType(
    {
        "801": Area("Bristol, City of", 1, ("Bristol",), ("BS3", "BS4", "BS5", "BS13", "BS14")),
        "802": Area(
            "North Somerset", 1, ("Weston-super-Mare", "Nailsea", "Clevedon", "Portishead"),
            ("BS20", "BS21", "BS23", "BS48"),
        ),
        "803": Area(
            "South Gloucestershire", 1, ("Yate", "Thornbury", "Kingswood", "Bradley Stoke"),
            ("BS15", "BS32", "BS35", "BS37"),
        ),
        "865": Area(
            "Wiltshire", 1, ("Trowbridge", "Bradford on Avon", "Melksham", "Chippenham"),
            ("BA14", "BA15", "SN12", "SN15"),
        ),
        "933": Area(
            "Somerset", 1, ("Frome", "Shepton Mallet", "Wells", "Street"),
            ("BA11", "BA4", "BA5", "BA16"),
        ),
    }
)

# Invented place names are a prefix and a suffix ("Ashcombe", "Larkmead"). Some combinations
# are real villages somewhere in England; that identifies nobody.
PLACE_PREFIXES: Final = (
    "Ash", "Alder", "Bram", "Brook", "Chalk", "Coom", "Elm", "Fern", "Fox", "Hazel", "Holly",
    "Kings", "Lark", "Lyn", "Marl", "Mill", "Oak", "Pen", "Quarry", "Rad", "Rush", "Sand",
    "Stan", "Thorn", "Wick", "Wil", "Yew", "Bar", "Char", "Dun", "Hart", "Lang", "Nor",
    "Red", "South", "West", "Wood", "Cleve", "Wel", "Glen",
)
PLACE_SUFFIXES: Final = (
    "combe", "field", "ford", "ley", "ton", "well", "bury", "dean", "hurst", "wick", "mead",
    "stone", "brook", "cote", "hay", "down", "gate", "moor", "vale", "worth",
)
# Variants that stretch the pool for very large authorities.
PLACE_VARIANTS: Final = ("{}", "Upper {}", "Lower {}", "{} Park", "{} Green", "North {}", "{} Hill")

LOCALITY_PATTERNS: Final = ("{} Vale", "{} and District", "{} Valley", "{} Downs")

SAINTS: Final = (
    "Andrew", "Anne", "Augustine", "Bede", "Benedict", "Brendan", "Catherine", "Chad",
    "Columba", "David", "Edmund", "Gregory", "Hilda", "John", "Joseph", "Julian", "Luke",
    "Mark", "Martin", "Mary", "Michael", "Nicholas", "Patrick", "Paul", "Peter", "Saviour",
    "Stephen", "Swithun", "Teresa", "Thomas", "Aldhelm", "Dunstan", "Keyna", "Vigor",
)

STREET_STEMS: Final = (
    "Church", "Mill", "Station", "Manor", "Orchard", "Beech", "Meadow", "Chapel", "Park",
    "Victoria", "Albert", "Queens", "Kings", "Avon", "Charlton", "Wellsway", "Quarry", "Rectory",
    "Vicarage", "School", "Bridge", "Forge", "Priory", "Abbey", "Elm", "Oak", "Ash", "Willow",
    "Hawthorn", "Rowan", "Sycamore", "Chestnut", "Cedar", "Laurel", "Lime", "Maple", "Poplar",
    "Hazel", "Holly", "Fern", "Heather", "Primrose", "Bluebell", "Clover", "Foxglove",
    "Lavender", "Jasmine", "Meadowsweet", "Kestrel", "Heron", "Kingfisher", "Wren", "Robin",
    "Swallow", "Linnet", "Lark", "Falcon", "Badger", "Otter", "Fox", "Coronation", "Jubilee",
    "Somerset", "Mendip", "Cotswold", "Severn", "Brunel", "Tyning", "Greenway", "Westfield",
    "Eastfield", "Northfield", "Southlands", "Highfield", "Hillside", "Riverside", "Brookside",
    "Woodside", "Fosse", "Roman", "Saxon", "Canal", "Wharf", "Lock", "Barton", "Grange",
    "Lansdown", "Combe", "Batch", "Paddock", "Tannery", "Ropewalk", "Pound", "Well",
)
STREET_SUFFIXES: Final = (
    "Road", "Street", "Lane", "Close", "Avenue", "Gardens", "Terrace", "Way", "Crescent",
    "Drive", "Place", "View", "Rise", "Walk", "Court", "Grove", "Mead", "Hill",
)
# Letters allowed in the inward part of a postcode (never C, I, K, M, O or V).
POSTCODE_INWARD_LETTERS: Final = "ABDEFGHJLNPQRSTUWXYZ"
# fmt: on
