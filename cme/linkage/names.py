"""Personal names: normalisation, known variants (nicknames, transliterations) and phonetic keys.

Owns how a written name becomes the form the matcher compares: case, accents, apostrophes,
hyphens and punctuation; which names are the same name written differently (Bill/William,
Mohammed/Muhammad, Xasan/Hassan); and the phonetic key used for blocking and for the weakest
"sounds alike" agreement. Every function is pure and cached, because a register repeats the same
few thousand names a million times.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from types import MappingProxyType
from typing import Final

import jellyfish
from rapidfuzz.distance import JaroWinkler

# Letters that Unicode decomposition does not reduce to ASCII (Polish ł, Nordic ø, German ß ...).
_SPECIAL_LETTERS: Final = str.maketrans(
    {
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "þ": "th",
        "\u0131": "i",  # dotless i
        "ħ": "h",
    }
)
# Apostrophes (straight, curly, modifier letters, backtick) join the parts: O'Brien -> obrien.
_APOSTROPHES: Final = re.compile(r"['\u2018\u2019\u02bc\u02bb`\u00b4]")
_NOT_LETTERS: Final = re.compile(r"[^a-z]+")

# Groups of forenames that are the same person's name in everyday use: nicknames and short
# forms, and spellings of one name across alphabets. A name may sit in several groups (Alex is
# Alexander or Alexandra; Sam is Samuel or Samantha). Modest on purpose: a wrong "variant" is
# worth almost as much as an exact match, so only well-attested pairs are listed.
_FORENAME_GROUPS: Final[tuple[tuple[str, ...], ...]] = (
    # English nicknames and short forms.
    ("william", "bill", "billy", "will", "willy", "willie", "liam"),
    (
        "katherine",
        "catherine",
        "kathryn",
        "katharine",
        "kate",
        "katie",
        "kathy",
        "cathy",
        "kat",
        "katy",
        "kitty",
        "cath",
        "kath",
    ),
    ("elizabeth", "liz", "lizzie", "lizzy", "beth", "betty", "eliza", "libby", "elsie", "bess"),
    ("robert", "rob", "robbie", "bob", "bobby", "bert"),
    ("richard", "rich", "richie", "rick", "ricky", "dick"),
    ("james", "jim", "jimmy", "jamie", "jimi"),
    ("john", "jack", "johnny", "jon", "jonny"),
    ("jonathan", "jon", "jonny", "johnny"),
    ("thomas", "tom", "tommy"),
    ("michael", "mike", "mikey", "mick", "micky", "mickey"),
    ("daniel", "dan", "danny"),
    ("matthew", "matt", "matty"),
    ("joseph", "joe", "joey", "jo"),
    ("joshua", "josh"),
    ("samuel", "sam", "sammy"),
    ("samantha", "sam", "sammy", "sammie"),
    ("alexander", "alex", "alec", "sandy", "xander", "aleksander", "oleksandr", "aleksandr"),
    ("alexandra", "alex", "lexi", "lexie", "sandra", "aleksandra", "olexandra"),
    ("benjamin", "ben", "benny", "benji"),
    ("christopher", "chris", "kit", "krzysztof"),
    ("christina", "christine", "chris", "tina", "kristina", "krystyna"),
    ("nicholas", "nick", "nicky", "mikolaj", "nikolai", "nikola"),
    ("nicola", "nicole", "nicky", "nikki"),
    ("anthony", "tony", "antoni", "antonio"),
    ("edward", "ed", "eddie", "eddy", "ted", "teddy", "ned"),
    ("charles", "charlie", "chas", "chuck", "karol"),
    ("charlotte", "lottie", "charlie", "lotte"),
    ("henry", "harry", "hal", "hank", "henryk"),
    ("frederick", "fred", "freddie", "freddy"),
    ("margaret", "maggie", "meg", "peggy", "madge", "malgorzata", "gosia", "margo"),
    ("rebecca", "becky", "becca", "bex"),
    ("victoria", "vicky", "vikki", "tori", "wiktoria"),
    ("jessica", "jess", "jessie"),
    ("abigail", "abbie", "abby", "abi", "gail"),
    ("olivia", "liv", "livvy", "ollie"),
    ("oliver", "ollie", "olly"),
    ("isabella", "isabel", "izzy", "bella", "isobel", "izabela"),
    ("amelia", "millie", "amy"),
    ("emily", "em", "emmy", "milly", "emilia"),
    ("eleanor", "ellie", "nell", "nellie", "elena", "elinor"),
    ("gabriel", "gabe", "gabi"),
    ("gabriella", "gabby", "gabi", "gabriela"),
    ("jennifer", "jen", "jenny", "jenni"),
    ("susan", "sue", "susie", "suzy", "zuzanna", "zuza"),
    ("patrick", "pat", "paddy", "patryk"),
    ("patricia", "pat", "patty", "trish"),
    ("stephen", "steven", "steve", "stevie", "stefan", "szczepan"),
    ("theodore", "theo", "ted", "teddy"),
    ("zachary", "zac", "zack", "zak"),
    ("harrison", "harry"),
    ("frances", "fran", "frankie", "franciszka"),
    ("francis", "frank", "frankie", "franciszek"),
    ("lawrence", "laurence", "larry", "laurie", "wawrzyniec"),
    ("peter", "pete", "piotr", "petr", "pieter"),
    ("paul", "pawel", "pavel", "pablo"),
    ("jacob", "jake", "jakub", "kuba", "yakub", "yaqub", "yacob"),
    ("simon", "szymon", "si"),
    ("catherine", "katarzyna", "kasia", "ekaterina", "katerina"),
    ("maria", "marie", "mary", "marysia", "mariya"),
    ("anna", "ania", "anya", "hanna", "hannah", "ann", "anne", "annie"),
    ("david", "dave", "davey", "dawid", "daud", "dawud", "dawood"),
    ("adam", "adamu", "aadam"),
    ("martin", "marty", "marcin"),
    ("george", "georgie", "jerzy", "jurek", "gheorghe"),
    ("wojciech", "wojtek"),
    ("aleksander", "olek", "alek"),
    ("dorothy", "dot", "dotty", "dorota"),
    # Arabic and Somali names across common romanisations (Somali writes ħ as x and ʿ as c).
    (
        "mohammed",
        "muhammad",
        "mohamed",
        "mohamad",
        "muhammed",
        "mohammad",
        "muhamed",
        "mohammod",
        "mahamed",
        "maxamed",
        "mohamet",
        "mehmet",
        "mohd",
        "mo",
    ),
    ("ahmed", "ahmad", "axmed", "ahmet", "ahmid"),
    ("mahmoud", "mahmud", "mohamud", "maxamuud", "mahamud", "mahmood"),
    ("hassan", "hasan", "xasan", "hasen"),
    ("hussein", "husein", "hussain", "husayn", "xuseen", "hossein", "husain"),
    ("abdi", "abdy", "cabdi"),
    ("abdullahi", "abdullah", "abdulahi", "cabdullahi", "abdalla", "abdallah"),
    ("abdirahman", "abdurrahman", "abdulrahman", "abdurahman", "cabdiraxmaan", "abdirahmaan"),
    ("abdikarim", "abdulkarim", "cabdikariim", "abdikariim"),
    ("ali", "cali", "aly"),
    ("omar", "umar", "cumar", "omer"),
    ("osman", "uthman", "othman", "cusmaan", "usman", "osmaan"),
    ("yusuf", "yousef", "yusef", "yousuf", "yussuf", "yosef", "yousif", "yuusuf"),
    ("ibrahim", "ebrahim", "ibraahim", "ibrahiim"),
    ("ismail", "ismael", "ismaaciil", "ismaail"),
    ("mustafa", "mustapha", "mostafa", "mustafe"),
    ("said", "saeed", "saciid", "saied", "sayid"),
    ("khalid", "khaled", "khaalid", "kaled"),
    ("fatima", "fatuma", "faadumo", "fatma", "fatimah", "fatema"),
    ("aisha", "ayesha", "aishah", "ayisha", "caasha", "aysha"),
    ("asha", "aasha"),
    ("amina", "aminah", "aamina", "amena"),
    ("zainab", "zeynab", "saynab", "zaynab", "zenab"),
    ("maryam", "mariam", "maryan", "miriam", "maryama"),
    ("halima", "halimah", "xaliimo", "haleema"),
    ("khadija", "khadijah", "khadiija", "kadija", "hadiza"),
    ("hodan", "hodon"),
    ("nasra", "nasrah"),
    # Romani and Traveller forenames with settled alternative spellings.
    ("levi", "levy"),
    ("shannon", "shanon"),
    ("tyson", "tison"),
    ("mikey", "mikie"),
    ("kathleen", "cathleen", "kathline"),
    ("bridget", "bridgette", "brigid", "biddy"),
    ("siobhan", "shivaun", "shevaun"),
    ("sean", "shaun", "shawn"),
)

# Surname spellings that are one family's name in different hands; modest, as above.
_SURNAME_GROUPS: Final[tuple[tuple[str, ...], ...]] = (
    ("smith", "smyth", "smythe"),
    ("lee", "lea", "leigh"),
    ("price", "pryce"),
    ("lovell", "lovel", "lovall"),
    ("boswell", "boswel", "bozwell"),
    ("ayres", "ayers", "ayers"),
    ("mcdonagh", "mcdonough", "macdonagh", "mcdonogh"),
    ("reilly", "oreilly", "riley"),
    ("mohamud", "mahmoud", "mahmud", "maxamuud", "mohamoud"),
    ("mohamed", "mohammed", "muhammad", "maxamed", "mohamad", "mohammad"),
    ("ahmed", "ahmad", "axmed"),
    ("hassan", "hasan", "xasan"),
    ("hussein", "hussain", "husein", "xuseen"),
    ("abdi", "abdy", "cabdi"),
    ("ali", "cali"),
    ("osman", "cusmaan", "usman", "uthman"),
    ("yusuf", "yousef", "yusef", "yousuf"),
    ("ibrahim", "ibraahim", "ebrahim"),
    ("omar", "cumar", "umar"),
    ("kowalczyk", "kovalchik", "kowalczik"),
    ("wojcik", "wojick", "voycik"),
    ("nowak", "novak"),
    ("lewandowski", "levandovski"),
    ("szymanski", "shimanski", "szymansky"),
    ("wisniewski", "wisnewski", "visnevski"),
)


def _build_groups(groups: tuple[tuple[str, ...], ...]) -> MappingProxyType[str, frozenset[int]]:
    index: dict[str, set[int]] = {}
    for number, group in enumerate(groups):
        for name in group:
            index.setdefault(name, set()).add(number)
    return MappingProxyType({name: frozenset(ids) for name, ids in index.items()})


_FORENAME_INDEX: Final = _build_groups(_FORENAME_GROUPS)
_SURNAME_INDEX: Final = _build_groups(_SURNAME_GROUPS)
_NO_GROUPS: Final[frozenset[int]] = frozenset()


@lru_cache(maxsize=1 << 18)
def normalise_name(raw: str) -> str:
    """Lower-case ASCII words with single spaces: ` Zoë O'Brien-Łukasz ` -> `zoe obrien lukasz`.

    Accents are dropped, apostrophes join the letters either side, and hyphens and any other
    punctuation or digits separate words. Idempotent; never raises.
    """
    text = _APOSTROPHES.sub("", raw.translate(_SPECIAL_LETTERS))
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    return " ".join(_NOT_LETTERS.sub(" ", ascii_text).split())


def name_parts(name: str) -> tuple[str, ...]:
    """The words of a normalised name (a double-barrelled surname has two)."""
    return tuple(name.split())


@lru_cache(maxsize=1 << 18)
def skeleton(name: str) -> str:
    """A spelling-insensitive form: no spaces, doubled letters once, Mac as Mc, y as i.

    Two names with the same skeleton differ only in ways people write one name differently
    (Phillips/Philips, MacDonald/Mc Donald, Smyth/Smith are still told apart by `is_variant`).
    """
    text = name.replace(" ", "")
    if text.startswith("mac") and len(text) > 5:
        text = "mc" + text[3:]
    text = text.replace("ph", "f").replace("ck", "k").replace("y", "i")
    out: list[str] = []
    for char in text:
        if not out or out[-1] != char:
            out.append(char)
    return "".join(out)


@lru_cache(maxsize=1 << 18)
def phonetic_key(name: str) -> str:
    """Metaphone of the whole normalised name; empty for an empty name."""
    text = name.replace(" ", "")
    if not text:
        return ""
    return str(jellyfish.metaphone(text))


def forename_groups(name: str) -> frozenset[int]:
    """Ids of the nickname/transliteration groups a normalised forename belongs to."""
    return _FORENAME_INDEX.get(name, _NO_GROUPS)


def surname_groups(name: str) -> frozenset[int]:
    """Ids of the spelling-variant groups a normalised surname (or part) belongs to."""
    return _SURNAME_INDEX.get(name, _NO_GROUPS)


@lru_cache(maxsize=1 << 18)
def forename_key(name: str) -> str:
    """The blocking key of a forename: the first name in its first group, else its skeleton.

    Nicknames and transliterations of one name share a key (bill -> william), so a referral that
    uses a short form still finds the register entry.
    """
    groups = forename_groups(name)
    if groups:
        return _FORENAME_GROUPS[min(groups)][0]
    return skeleton(name)


@lru_cache(maxsize=1 << 18)
def surname_key(name: str) -> str:
    """The blocking key of a surname word: its variant group's first name, else its phonetic key."""
    groups = surname_groups(name)
    if groups:
        return phonetic_key(_SURNAME_GROUPS[min(groups)][0])
    return phonetic_key(name)


@lru_cache(maxsize=1 << 20)
def is_forename_variant(a: str, b: str) -> bool:
    """True if two different normalised forenames are known variants of one name."""
    if a == b or not a or not b:
        return False
    if forename_groups(a) & forename_groups(b):
        return True
    return skeleton(a) == skeleton(b)


@lru_cache(maxsize=1 << 20)
def is_surname_variant(a: str, b: str) -> bool:
    """True if two different normalised surnames are known spelling variants of one name."""
    if a == b or not a or not b:
        return False
    if surname_groups(a) & surname_groups(b):
        return True
    return skeleton(a) == skeleton(b)


@lru_cache(maxsize=1 << 20)
def similarity(a: str, b: str) -> float:
    """Jaro-Winkler similarity of two normalised names (spaces ignored), 0.0 to 1.0."""
    if not a or not b:
        return 0.0
    return float(JaroWinkler.similarity(a.replace(" ", ""), b.replace(" ", "")))
