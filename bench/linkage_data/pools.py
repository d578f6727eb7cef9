"""Invented name and place pools for the synthetic UK-style linkage benchmark.

Owns who is called what, and how often: pools ordered commonest first (the generator turns rank
into a Zipf weight), a long tail of made-up rare surnames and forenames built from syllables,
and the spelling variants a referrer may write instead of the register's name. The variant table
here is written independently of `cme.linkage.names`, so the engine is not marked on its own
answer key: some variants below are unknown to the engine. No entry is a real child's details.
"""

from __future__ import annotations

from typing import Final


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


BOYS: Final = _words(
    """
    Oliver Muhammad George Noah Arthur Leo Harry Oscar Archie Henry Theodore Freddie Jack
    Charlie Theo Thomas Alfie Jacob William Lucas Isaac Tommy Joshua James Max Roman Arlo Ethan
    Mohammed Daniel Edward Finley Teddy Samuel Joseph Adam Sebastian Reggie Albie Elijah Logan
    Harrison Alexander Ronnie Luca Jaxon Hugo Rory Louie Dylan Benjamin Jude Ezra Toby Jayden
    Ibrahim Yusuf Ahmed Omar Ali Hassan Abdi Mohamud Jakub Szymon Kacper Filip Antoni Aleksander
    Wojciech Mateusz Levi Tyson Jimmy Johnny Patrick Michael Christopher Robert Kian Aarav Arjun
    Rayan Zayn Bilal Hamza Idris Osman Khalid Mustafa Ismail Said
    """
)
GIRLS: Final = _words(
    """
    Olivia Amelia Isla Lily Freya Ava Ivy Florence Willow Isabella Mia Sophia Elsie Grace Evie
    Poppy Sienna Ella Daisy Emily Evelyn Charlotte Rosie Ruby Matilda Harper Alice Phoebe Maya
    Ada Sofia Luna Eliza Hallie Millie Jessica Erin Penelope Margot Aurora Esme Maisie Violet
    Harriet Katherine Elizabeth Rebecca Victoria Abigail Hannah Sarah Emma Aisha Fatima Maryam
    Zainab Amina Khadija Halima Hodan Nasra Ayan Hibo Zuzanna Julia Maja Zofia Hanna Lena Oliwia
    Amelia Liberty Shannon Bridget Kathleen Siobhan Tiffany Priya Ananya Aaliyah Layla Inaya
    Safa Noor Zara Hafsa Mariam
    """
)
SURNAMES: Final = _words(
    """
    Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson
    Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson
    Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen
    James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook
    Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall Anderson
    Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Ali
    Hunt Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell
    Barker Fisher Stevens Jenkins Murray Dixon Harvey Ahmed Mohamed Hassan Abdi Omar Farah
    Warsame Osman Yusuf Ibrahim Mohamud Jama Nur Hussein Nowak Kowalski Wisniewski Wojcik
    Kowalczyk Kaminski Lewandowski Zielinski Szymanski Wozniak Dabrowski Kozlowski Boswell
    Lovell Doe Loveridge Ayres Smyth McDonagh Maughan Joyce Reilly Stokes Cash Gammell Ozturk
    Yilmaz Kaya Demir Rahman Miah Uddin Akhtar Chowdhury Islam Sharma Kaur Gill Sandhu Nguyen
    Tran Okafor Adeyemi Mensah Boateng
    """
)
# Syllables for the long tail of invented names: most families in a real register have a
# surname that few others share, which is what makes a surname match worth something.
SYLLABLES: Final = _words(
    """
    ab ad al am an ar as ba be bo bra ca ce cha co da de di do el en er fa fe fi ga ge go ha he
    hi ho ja je jo ka ke ki ko la le li lo lu ma me mi mo mu na ne ni no o pa pe po ra re ri ro
    ru sa se si so ta te ti to tu va ve vi wa we wi ya yo za ze zo
    """
)
ENDINGS: Final = _words(
    """
    son ton ley field wood well by more ford ham ski ova an ez is ey ett ard
    """
)
STREETS: Final = _words(
    """
    Acacia Albert Alexandra Alma Ash Beech Birch Cedar Chapel Church Clarence Elm Fir Garden
    George Grange Green Grove Hawthorn Highfield Holly Kings Laburnum Larch Lime Linden Manor
    Maple Meadow Mill Oak Orchard Park Queens Rectory Rose Station Sycamore Victoria Willow
    Windsor York Hillside Riverside Southfield Northgate Westbury Eastfield Foxhill Brook
    """
)
STREET_TYPES: Final = _words(
    """
    Road Street Avenue Close Lane Drive Way Crescent Gardens Court Terrace Grove
    """
)
# Postcode districts of an invented authority spread over three real-style areas.
DISTRICT_PREFIXES: Final = ("LS", "BD", "WF")

# What a referrer may write for a register name. Keys and values are as written (any case).
FORENAME_VARIANTS: Final = {
    "William": ("Bill", "Will", "Billy", "Liam"),
    "Katherine": ("Kate", "Katie", "Kathy", "Catherine", "Kat"),
    "Elizabeth": ("Liz", "Beth", "Lizzie", "Eliza"),
    "Robert": ("Rob", "Bob", "Robbie"),
    "James": ("Jim", "Jamie"),
    "Thomas": ("Tom", "Tommy"),
    "Samuel": ("Sam", "Sammy"),
    "Alexander": ("Alex", "Xander", "Aleksander"),
    "Aleksander": ("Alexander", "Olek", "Alek"),
    "Joseph": ("Joe", "Joey"),
    "Joshua": ("Josh",),
    "Daniel": ("Dan", "Danny"),
    "Benjamin": ("Ben", "Benji"),
    "Edward": ("Ed", "Eddie", "Ted"),
    "Harrison": ("Harry",),
    "Michael": ("Mike", "Mikey"),
    "Christopher": ("Chris",),
    "Patrick": ("Paddy", "Pat"),
    "Rebecca": ("Becky", "Becca"),
    "Victoria": ("Vicky", "Tori"),
    "Jessica": ("Jess",),
    "Abigail": ("Abbie", "Abby"),
    "Charlotte": ("Lottie", "Charlie"),
    "Isabella": ("Izzy", "Bella", "Isabel"),
    "Olivia": ("Liv", "Livvy"),
    "Oliver": ("Ollie",),
    "Theodore": ("Theo", "Teddy"),
    "Henry": ("Harry", "Hal"),
    "Emily": ("Em", "Emilia"),
    "Muhammad": ("Mohammed", "Mohamed", "Muhammed", "Mohammad", "Mohamad"),
    "Mohammed": ("Muhammad", "Mohamed", "Mohammad", "Maxamed"),
    "Ahmed": ("Ahmad", "Axmed"),
    "Hassan": ("Hasan", "Xasan"),
    "Abdi": ("Abdy", "Cabdi"),
    "Mohamud": ("Mahmoud", "Mahmud", "Maxamuud"),
    "Yusuf": ("Yousef", "Yusef", "Yousuf"),
    "Ibrahim": ("Ebrahim", "Ibraahim"),
    "Omar": ("Umar", "Cumar"),
    "Osman": ("Usman", "Cusmaan"),
    "Ali": ("Cali",),
    "Fatima": ("Fatuma", "Faadumo", "Fatma"),
    "Aisha": ("Ayesha", "Aishah", "Caasha"),
    "Maryam": ("Mariam", "Maryan"),
    "Zainab": ("Zeynab", "Saynab"),
    "Halima": ("Xaliimo", "Halimah"),
    "Khadija": ("Khadijah",),
    "Amina": ("Aminah", "Aamina"),
    "Jakub": ("Jacob", "Kuba"),
    "Szymon": ("Simon",),
    "Wojciech": ("Wojtek",),
    "Zuzanna": ("Zuza", "Susan"),
    "Katarzyna": ("Kasia", "Kate"),
    "Levi": ("Levy",),
    "Siobhan": ("Shivaun",),
    "Bridget": ("Bridgette", "Biddy"),
    "Kathleen": ("Cathleen",),
    "Hanna": ("Hannah",),
    "Hannah": ("Hanna",),
    "Julia": ("Julie",),
}
SURNAME_VARIANTS: Final = {
    "Smith": ("Smyth",),
    "Smyth": ("Smith",),
    "Mohamed": ("Mohammed", "Muhammad", "Maxamed"),
    "Mohamud": ("Mahmoud", "Mahmud"),
    "Ahmed": ("Ahmad",),
    "Hassan": ("Hasan", "Xasan"),
    "Hussein": ("Hussain", "Husein"),
    "Hussain": ("Hussein",),
    "Abdi": ("Abdy",),
    "Yusuf": ("Yousef", "Yusef"),
    "Ibrahim": ("Ebrahim",),
    "Osman": ("Usman",),
    "Omar": ("Umar",),
    "Kowalczyk": ("Kovalchik",),
    "Wojcik": ("Wójcik", "Voycik"),
    "Nowak": ("Novak",),
    "Wisniewski": ("Wiśniewski", "Visnevski"),
    "Lewandowski": ("Levandovski",),
    "Szymanski": ("Szymański", "Shimanski"),
    "Lovell": ("Lovel",),
    "Boswell": ("Boswel",),
    "Ayres": ("Ayers",),
    "McDonagh": ("McDonough", "MacDonagh"),
    "Reilly": ("O'Reilly", "Riley"),
    "Price": ("Pryce",),
    "Lee": ("Leigh",),
    "Zielinski": ("Zieliński",),
    "Dabrowski": ("Dąbrowski",),
    "Kozlowski": ("Kozłowski",),
}
