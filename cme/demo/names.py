"""Name pools for the synthetic register: who is called what, and how often.

Owns the invented-but-plausible first names and surnames of the demo authority's families, by
naming tradition, and the mapping from DfE ethnicity main codes to those traditions. Every pool
is ordered commonest first; `cme.demo.generator` turns rank into weight, so the first names of a
pool are drawn far more often than the last (many Smiths, few Vranches). Common names identify
nobody; no entry here is a real child's details.
"""

# Names keep their own letters, among them the Turkish dotless i, which ruff's RUF001 takes
# for a confusable: matching has to cope with such names, so they stay as written.
# ruff: noqa: RUF001

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Final


@dataclass(frozen=True, slots=True)
class Origin:
    """One naming tradition. Adults' pools fall back to the children's when empty."""

    key: str
    boys: tuple[str, ...]
    girls: tuple[str, ...]
    surnames: tuple[str, ...]
    men: tuple[str, ...] = ()
    women: tuple[str, ...] = ()
    # Surnames only women carry in this tradition (a mother's, never her son's).
    women_surnames: tuple[str, ...] = ()

    def adult_names(self, *, female: bool) -> tuple[str, ...]:
        if female:
            return self.women or self.girls
        return self.men or self.boys


# Data tables, kept several entries to a line so they read as lists: not formatted.
# fmt: off
BRITISH: Final = Origin(
    key="british",
    boys=(
        "Oliver", "Harry", "George", "Jack", "Noah", "Charlie", "Jacob", "Alfie", "Freddie",
        "Oscar", "Leo", "Archie", "Thomas", "Joshua", "William", "James", "Henry", "Theo",
        "Arthur", "Max", "Isaac", "Ethan", "Lucas", "Finley", "Mason", "Logan", "Harrison",
        "Dylan", "Riley", "Alexander", "Samuel", "Daniel", "Joseph", "Edward", "Toby",
        "Sebastian", "Reuben", "Jude", "Elliot", "Tommy", "Ronnie", "Albie", "Frankie", "Louie",
        "Teddy", "Rory", "Jenson", "Kai", "Tyler", "Luke", "Callum", "Ryan", "Owen", "Benjamin",
        "Matthew", "Lewis", "Adam", "Jake", "Zachary", "Hugo", "Stanley", "Austin", "Bobby",
        "Ollie", "Caleb", "Felix", "Jaxon", "Harley", "Ellis", "Ezra", "Billy", "Harvey",
        "Connor", "Nathan", "Kian", "Aaron", "Liam", "Jamie", "Cameron", "Ruben", "Aiden",
        "Kyle", "Brandon", "Alex", "Bradley", "Morgan", "Rhys", "Ashton", "Blake", "Jasper",
        "Barnaby", "Rufus", "Wilfred", "Ralph", "Fraser", "Angus", "Ewan", "Hamish",
    ),
    girls=(
        "Olivia", "Amelia", "Isla", "Ava", "Emily", "Sophia", "Grace", "Mia", "Poppy", "Ella",
        "Lily", "Evie", "Isabella", "Sophie", "Ivy", "Freya", "Harper", "Willow", "Isabelle",
        "Rosie", "Daisy", "Florence", "Jessica", "Chloe", "Phoebe", "Matilda", "Elsie",
        "Sienna", "Ruby", "Millie", "Erin", "Evelyn", "Scarlett", "Imogen", "Charlotte",
        "Alice", "Hannah", "Holly", "Lucy", "Maisie", "Megan", "Eleanor", "Layla", "Eva",
        "Esme", "Harriet", "Lola", "Bella", "Maya", "Thea", "Lottie", "Darcie", "Summer",
        "Lexi", "Amber", "Lacey", "Eliza", "Aria", "Georgia", "Emma", "Abigail", "Martha",
        "Gracie", "Isabel", "Katie", "Ellie", "Molly", "Zara", "Heidi", "Tilly", "Hollie",
        "Jasmine", "Paige", "Leah", "Bethany", "Keira", "Courtney", "Elizabeth", "Alexandra",
        "Beatrice", "Clementine", "Orla", "Iona", "Kirsty", "Morven",
    ),
    surnames=(
        "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
        "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards",
        "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Jackson", "Wood", "Turner",
        "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker",
        "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis",
        "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook",
        "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox",
        "Richards", "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Wilkinson", "Foster",
        "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Hunt", "Campbell", "Matthews",
        "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight", "Lloyd", "Butler", "Russell",
        "Barker", "Fisher", "Stevens", "Jenkins", "Dixon", "Fletcher", "Howard", "Pearce",
        "Reynolds", "Harvey", "Graham", "Stewart", "Gibson", "Berry", "Elliott", "Andrews",
        "Lawrence", "Ford", "Burton", "Dean", "Hudson", "Grant", "Stone", "Payne", "Kennedy",
        "Spencer", "Hart", "Lane", "Webster", "Rose", "Saunders", "Gardner", "Hamilton",
        "Holland", "Fox", "Ross", "Reid", "Murray", "Hayes", "Wells", "Newman", "Sutton",
        "Bishop", "Chambers", "Dawson", "Hunter", "Robertson", "Fraser", "Gordon", "Cameron",
        "Paterson", "Barrett", "Warren", "Hopkins", "Hawkins", "Bradley", "Tucker", "Stokes",
        "Pearson", "Lucas", "Frost", "Gill", "Lambert", "Day", "Porter", "Francis", "Norman",
        "Hicks", "Pope", "Cole", "Nash", "Dyer", "Fry", "Maggs", "Vowles", "Parfitt", "Pople",
        "Loxton", "Chivers", "Gulliver", "Tovey", "Sperring", "Coles", "Bendall", "Hillier",
        "Tapp", "Brimble", "Heal", "Keel", "Iles", "Weeks", "Chard", "Bryant", "Hoskins", "Gane",
        "Ashman", "Blackmore", "Chubb", "Counsell", "Filer", "Gerrish", "Lockyer", "Millard",
        "Nurse", "Padfield", "Rawlings", "Sage", "Tanner", "Uphill", "Wyatt", "Yeo", "Vranch",
    ),
    men=(
        "David", "Paul", "Mark", "Daniel", "Matthew", "Andrew", "James", "Michael",
        "Christopher", "Richard", "Lee", "Craig", "Stephen", "Jason", "Darren", "Ryan", "Scott",
        "Jamie", "Adam", "Thomas", "Ben", "Carl", "Gareth", "Dean", "Wayne", "Simon", "Robert",
        "Jonathan", "Martin", "Neil", "Steven", "Anthony", "Kevin", "Gary", "Peter", "Ian",
        "Sean", "Liam", "Luke", "Nicholas", "Philip", "Tom", "Joe", "Dan", "Chris", "Kieran",
        "Aaron", "Shaun", "Ashley", "Rob",
    ),
    women=(
        "Sarah", "Emma", "Laura", "Rebecca", "Claire", "Gemma", "Kelly", "Hayley", "Lisa",
        "Nicola", "Louise", "Stacey", "Amy", "Rachel", "Jessica", "Samantha", "Victoria",
        "Charlotte", "Katie", "Natalie", "Zoe", "Jodie", "Lauren", "Helen", "Joanne", "Kerry",
        "Michelle", "Donna", "Emily", "Hannah", "Sophie", "Kirsty", "Leanne", "Danielle",
        "Jennifer", "Catherine", "Elizabeth", "Amanda", "Kate", "Lucy", "Jade", "Carly", "Anna",
        "Jenny", "Becky", "Fiona", "Alison", "Tracey", "Sharon", "Ruth",
    ),
)

# Grandparents: the names of people born in the 1950s and 1960s.
GRANDFATHERS: Final = (
    "John", "Peter", "Robert", "Keith", "Brian", "Alan", "Colin", "Graham", "Michael", "David",
    "Roger", "Trevor", "Barry", "Malcolm", "Derek", "Terry", "Geoffrey", "Kenneth", "Raymond",
    "Philip",
)
GRANDMOTHERS: Final = (
    "Susan", "Linda", "Julie", "Karen", "Carol", "Jean", "Margaret", "Patricia", "Christine",
    "Janet", "Elaine", "Diane", "Sandra", "Pauline", "Gillian", "Wendy", "Jacqueline",
    "Lorraine", "Brenda", "Sheila",
)

WELSH: Final = Origin(
    key="welsh",
    boys=(
        "Rhys", "Dylan", "Osian", "Ioan", "Gethin", "Cai", "Morgan", "Tomos", "Owain", "Evan",
        "Gruffydd", "Iwan", "Harri", "Elis", "Macsen", "Jac", "Guto", "Deio", "Aled", "Steffan",
        "Rhodri", "Siôn", "Ifan", "Llŷr",
    ),
    girls=(
        "Ffion", "Seren", "Megan", "Cerys", "Lowri", "Alys", "Mali", "Nia", "Eira", "Carys",
        "Elin", "Gwen", "Manon", "Sioned", "Catrin", "Angharad", "Bethan", "Non", "Llinos",
        "Heledd", "Efa", "Lili", "Anwen", "Tegan",
    ),
    surnames=(
        "Jones", "Davies", "Williams", "Evans", "Thomas", "Roberts", "Lewis", "Hughes", "Morgan",
        "Griffiths", "Edwards", "Owen", "Price", "Jenkins", "Rees", "Powell", "Phillips",
        "Lloyd", "Pritchard", "Parry", "Pugh", "Bowen", "Howells", "Vaughan", "Llewellyn",
        "Prosser", "Gwynne", "Bevan", "Probert", "Meredith",
    ),
    men=BRITISH.men,
    women=BRITISH.women,
)

IRISH: Final = Origin(
    key="irish",
    boys=(
        "Conor", "Seán", "Cian", "Oisín", "Darragh", "Liam", "Jack", "Cillian", "Ronan", "Eoin",
        "Fionn", "Tadhg", "Pádraig", "Ciarán", "Aidan", "Shane", "Niall", "Declan", "Finn",
        "Rían", "Dara",
    ),
    girls=(
        "Aoife", "Niamh", "Saoirse", "Ciara", "Siobhán", "Róisín", "Orla", "Caoimhe", "Clodagh",
        "Sinéad", "Aisling", "Gráinne", "Éabha", "Fiadh", "Maeve", "Ailbhe", "Erin", "Sorcha",
        "Méabh", "Nuala",
    ),
    surnames=(
        "Murphy", "Kelly", "O'Sullivan", "Walsh", "O'Brien", "Byrne", "Ryan", "O'Connor",
        "O'Neill", "O'Reilly", "Doyle", "McCarthy", "Gallagher", "Doherty", "Kennedy", "Lynch",
        "Murray", "Quinn", "Moore", "McLoughlin", "Carroll", "Connolly", "Daly", "Connell",
        "Dunne", "Brennan", "Burke", "Collins", "Nolan", "Fitzgerald", "Keane", "Hennessy",
        "Mulligan",
    ),
)

IRISH_TRAVELLER: Final = Origin(
    key="irish_traveller",
    boys=(
        "John", "Patrick", "Michael", "Martin", "Johnny", "Paddy", "Thomas", "Jimmy", "Christy",
        "Willie", "Joe", "Mikey", "Tom", "Bernard", "Francie", "John-Joe",
    ),
    girls=(
        "Mary", "Bridget", "Margaret", "Kathleen", "Nora", "Winnie", "Ellen", "Josie", "Teresa",
        "Anne-Marie", "Shannon", "Chelsea", "Kayleigh", "Bridie",
    ),
    surnames=(
        "Ward", "McDonagh", "Connors", "Maughan", "Joyce", "McGinley", "Sweeney", "Stokes",
        "Delaney", "Cash", "Collins", "Mongan", "McCann", "Keenan", "O'Donnell", "Furey",
        "Gavin", "Reilly", "Quilligan", "Doran",
    ),
)

# English Romany (Romanichal) families and Roma families from central and eastern Europe.
ROMANI: Final = Origin(
    key="romani",
    boys=(
        "Levi", "Elijah", "Jimmy", "Henry", "Tom", "Noah", "Marius", "Denis", "Robert",
        "Dominik", "Patrik", "Ionuț", "Gabriel", "Samuel", "Lukáš", "Alex", "Silas", "Nelson",
    ),
    girls=(
        "Lavinia", "Caroline", "Amber", "Bianca", "Andreea", "Denisa", "Nikola", "Vanesa",
        "Sabina", "Roxana", "Esmeralda", "Patricia", "Maria", "Tina", "Vashti", "Dolly",
    ),
    surnames=(
        "Boswell", "Lee", "Smith", "Price", "Lock", "Loveridge", "Buckland", "Penfold", "Ayres",
        "Hearne", "Lakatoš", "Baláž", "Horváth", "Oláh", "Rostaș", "Lingurar", "Kaleja", "Dudi",
        "Stoica", "Mirga", "Ferko", "Scamp", "Wenman",
    ),
)

POLISH: Final = Origin(
    key="polish",
    boys=(
        "Jakub", "Kacper", "Szymon", "Filip", "Antoni", "Jan", "Mikołaj", "Wojciech",
        "Aleksander", "Bartosz", "Mateusz", "Michał", "Adam", "Oskar", "Igor", "Dawid", "Piotr",
        "Krzysztof", "Tomasz", "Łukasz", "Paweł", "Marcin",
    ),
    girls=(
        "Zuzanna", "Julia", "Maja", "Zofia", "Hanna", "Lena", "Alicja", "Maria", "Amelia",
        "Oliwia", "Wiktoria", "Natalia", "Aleksandra", "Gabriela", "Emilia", "Magdalena",
        "Katarzyna", "Joanna", "Anna", "Agnieszka", "Małgorzata",
    ),
    surnames=(
        "Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski",
        "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur",
        "Kwiatkowski", "Krawczyk", "Piotrowski", "Grabowski", "Nowakowski", "Pawłowski",
        "Michalski", "Adamczyk", "Dudek", "Zając", "Wieczorek", "Jabłoński", "Król",
        "Majewski", "Olszewski", "Jaworski", "Wróbel", "Sikora", "Baran",
    ),
)

ROMANIAN: Final = Origin(
    key="romanian",
    boys=(
        "Andrei", "Alexandru", "David", "Luca", "Matei", "Ștefan", "Mihai", "Ionuț", "Gabriel",
        "Darius", "Răzvan", "Florin", "Cristian", "Adrian", "Bogdan", "Vlad", "Tudor", "Eduard",
    ),
    girls=(
        "Maria", "Ioana", "Elena", "Andreea", "Alexandra", "Sofia", "Daria", "Bianca",
        "Antonia", "Ana", "Irina", "Alina", "Roxana", "Larisa", "Denisa", "Diana", "Gabriela",
        "Teodora",
    ),
    surnames=(
        "Popescu", "Ionescu", "Popa", "Pop", "Radu", "Dumitru", "Stan", "Stoica", "Gheorghe",
        "Matei", "Ciobanu", "Ene", "Constantin", "Moldovan", "Munteanu", "Rusu", "Lungu",
        "Marin", "Dinu", "Florea", "Tudor", "Ilie", "Dobre", "Barbu", "Nistor", "Cristea",
        "Toma", "Mocanu",
    ),
)

PORTUGUESE: Final = Origin(
    key="portuguese",
    boys=(
        "Rodrigo", "Tiago", "Afonso", "Tomás", "Duarte", "Gonçalo", "João", "Diogo", "Martim",
        "Miguel", "Rafael", "Gabriel", "Lucas", "Santiago",
    ),
    girls=(
        "Beatriz", "Matilde", "Leonor", "Carolina", "Mariana", "Inês", "Ana", "Lara",
        "Francisca", "Sofia", "Margarida", "Mafalda",
    ),
    surnames=(
        "Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Martins",
        "Jesus", "Sousa", "Fernandes", "Gonçalves", "Gomes", "Lopes", "Marques", "Alves",
        "Almeida", "Ribeiro", "Pinto", "Carvalho",
    ),
)

# Other white European families: Lithuanian, Italian, Spanish, Bulgarian, Hungarian, German.
OTHER_EUROPEAN: Final = Origin(
    key="other_european",
    boys=(
        "Lukas", "Matteo", "Leonardo", "Nikolai", "Dominik", "Martin", "Ivan", "Georgi",
        "Marco", "Pablo", "Hugo", "Mattia", "Jonas", "Mantas", "Dovydas", "Bence", "Levente",
        "Emil",
    ),
    girls=(
        "Emilija", "Sofia", "Giulia", "Aurora", "Lucía", "Martina", "Viktoria", "Nikol",
        "Gabija", "Ugnė", "Lilla", "Hanna", "Elena", "Chiara", "Paula", "Mia",
    ),
    surnames=(
        "Kazlauskas", "Petrauskas", "Jankauskas", "Rossi", "Russo", "Ferrari", "Esposito",
        "Bianchi", "García", "Fernández", "López", "Martínez", "Ivanov", "Georgiev", "Dimitrov",
        "Nagy", "Kovács", "Tóth", "Szabó", "Müller", "Schmidt", "Novák", "Horvat",
    ),
)

SOMALI: Final = Origin(
    key="somali",
    boys=(
        "Mohamed", "Abdirahman", "Abdullahi", "Ahmed", "Yusuf", "Ibrahim", "Hassan", "Abdi",
        "Omar", "Ali", "Bilal", "Hamza", "Mustafa", "Zakaria", "Ayub", "Liban", "Guled",
        "Hamse",
    ),
    girls=(
        "Fatima", "Hodan", "Ayaan", "Sagal", "Amina", "Hibo", "Ikran", "Ifrah", "Najma",
        "Nasra", "Sumaya", "Asma", "Hafsa", "Khadija", "Maryan", "Deeqa", "Muna", "Leyla",
    ),
    # A Somali surname is usually the father's or grandfather's first name.
    surnames=(
        "Mohamed", "Ahmed", "Ali", "Hassan", "Hussein", "Abdi", "Omar", "Farah", "Warsame",
        "Osman", "Ibrahim", "Jama", "Yusuf", "Nur", "Aden", "Mohamud", "Abdullahi", "Egal",
        "Dualeh", "Hersi", "Elmi",
    ),
)

PAKISTANI: Final = Origin(
    key="pakistani",
    boys=(
        "Muhammad", "Ayaan", "Ibrahim", "Yusuf", "Zayn", "Hamza", "Ali", "Adam", "Rayyan",
        "Haris", "Umar", "Abdullah", "Zakariya", "Hassan", "Bilal", "Arham", "Musa", "Ismail",
        "Faizan", "Imran",
    ),
    girls=(
        "Aisha", "Maryam", "Fatima", "Hafsa", "Khadija", "Zainab", "Inaaya", "Hania", "Anaya",
        "Iqra", "Laiba", "Sana", "Mahnoor", "Aleena", "Amna", "Hira", "Eman", "Zara", "Alishba",
    ),
    surnames=(
        "Khan", "Hussain", "Ahmed", "Ali", "Akhtar", "Iqbal", "Mahmood", "Shah", "Rehman",
        "Malik", "Butt", "Aslam", "Riaz", "Ashraf", "Mirza", "Chaudhry", "Qureshi", "Raza",
        "Javed", "Anwar", "Sadiq", "Bashir", "Rafiq", "Nawaz", "Arshad", "Abbasi",
    ),
    women_surnames=("Bibi", "Begum", "Kausar"),
)

BANGLADESHI: Final = Origin(
    key="bangladeshi",
    boys=(
        "Mohammed", "Abdul", "Rahim", "Tanvir", "Rayhan", "Sami", "Ayaan", "Ismail", "Mahir",
        "Arif", "Shafiq", "Nabil", "Tahmid", "Fahim", "Rafi", "Zakir", "Imran", "Habib",
    ),
    girls=(
        "Fatema", "Ayesha", "Nusrat", "Tasnim", "Sumaiya", "Jannat", "Maliha", "Farhana",
        "Sadia", "Nadia", "Rumana", "Tahmina", "Shirin", "Anika", "Lamia", "Raisa", "Humaira",
    ),
    surnames=(
        "Miah", "Uddin", "Rahman", "Ahmed", "Ali", "Islam", "Hussain", "Hoque", "Chowdhury",
        "Khan", "Alam", "Hossain", "Karim", "Sarker", "Haque", "Ullah",
    ),
    women_surnames=("Begum", "Khatun", "Akhter"),
)

INDIAN: Final = Origin(
    key="indian",
    boys=(
        "Arjun", "Aarav", "Vihaan", "Rohan", "Krish", "Dev", "Aryan", "Ishaan", "Kabir",
        "Reyansh", "Harjot", "Manveer", "Jaskaran", "Arjan", "Sai", "Aditya", "Neel", "Rahul",
        "Siddharth", "Vivaan", "Ravi", "Anand",
    ),
    girls=(
        "Anaya", "Diya", "Priya", "Aanya", "Saanvi", "Isha", "Kavya", "Riya", "Navya", "Meera",
        "Simran", "Jasleen", "Harleen", "Anika", "Pooja", "Nisha", "Shreya", "Tara", "Amrit",
        "Kiran",
    ),
    surnames=(
        "Patel", "Singh", "Sharma", "Kumar", "Shah", "Gupta", "Mistry", "Joshi", "Desai",
        "Mehta", "Sandhu", "Gill", "Sidhu", "Bains", "Dhillon", "Chauhan", "Nair", "Pillai",
        "Reddy", "Iyer", "Rao", "Menon", "Das", "Verma", "Malhotra", "Kapoor", "Bhatt", "Parmar",
        "Lad",
    ),
)

NIGERIAN: Final = Origin(
    key="nigerian",
    boys=(
        "David", "Daniel", "Samuel", "Emmanuel", "Joshua", "Michael", "Tobi", "Tomiwa",
        "Ayomide", "Oluwaseun", "Chidi", "Chinedu", "Ifeanyi", "Obinna", "Tunde", "Femi",
        "Kelechi", "Segun", "Ebuka", "Dami",
    ),
    girls=(
        "Esther", "Grace", "Favour", "Precious", "Blessing", "Deborah", "Adaeze", "Chiamaka",
        "Ngozi", "Folake", "Funmilayo", "Ifeoma", "Temitope", "Oluwatoyin", "Chioma", "Nneka",
        "Amara", "Adaora",
    ),
    surnames=(
        "Okafor", "Adeyemi", "Okonkwo", "Balogun", "Eze", "Oladipo", "Nwosu", "Adebayo",
        "Okoro", "Afolabi", "Ogunleye", "Obi", "Nwachukwu", "Akinola", "Olawale", "Bello",
        "Onyeka", "Ogundipe", "Adewale", "Chukwu", "Olaniyan", "Uche",
    ),
)

GHANAIAN: Final = Origin(
    key="ghanaian",
    boys=(
        "Kwame", "Kofi", "Kwabena", "Yaw", "Kwesi", "Kojo", "Nana", "Emmanuel", "Prince",
        "Nathaniel", "Ebenezer", "Kweku",
    ),
    girls=(
        "Ama", "Akosua", "Abena", "Adwoa", "Efua", "Esi", "Yaa", "Afua", "Akua", "Nana",
        "Comfort", "Grace",
    ),
    surnames=(
        "Mensah", "Boateng", "Owusu", "Asante", "Osei", "Agyeman", "Addo", "Appiah", "Ofori",
        "Darko", "Amoah", "Acheampong", "Bonsu", "Ansah", "Danquah", "Quaye", "Tetteh", "Annan",
    ),
)

CARIBBEAN: Final = Origin(
    key="caribbean",
    boys=(
        "Jayden", "Tyrese", "Malachi", "Kyron", "Marcus", "Andre", "Jermaine", "Isaiah",
        "Elijah", "Josiah", "Reuben", "Nathan", "Dwayne", "Tyrone", "Kemar", "Darnell",
    ),
    girls=(
        "Aaliyah", "Jada", "Kiara", "Shanice", "Tia", "Nia", "Maya", "Imani", "Simone",
        "Chantelle", "Keisha", "Renee", "Jasmine", "Alicia", "Kayla", "Tianna",
    ),
    surnames=(
        "Campbell", "Brown", "Williams", "Clarke", "Thompson", "Johnson", "Francis", "Bailey",
        "Grant", "Reid", "Henry", "Lewis", "Morgan", "Gordon", "Samuels", "Forbes", "Douglas",
        "Wright", "Hinds", "Gayle", "Blake", "Richards", "McKenzie", "Ellis",
    ),
)

CHINESE: Final = Origin(
    key="chinese",
    boys=(
        "Hao", "Jun", "Wei", "Zhi", "Yi", "Ming", "Kai", "Ethan", "Ryan", "Jason", "Lucas",
        "Tian", "Yu", "Jie", "Hong", "Zihan",
    ),
    girls=(
        "Mei", "Lin", "Xin", "Jia", "Yan", "Hui", "Ling", "Yuxi", "Zi", "Qi", "Chloe", "Emily",
        "Grace", "Ying", "Xiaoyu",
    ),
    surnames=(
        "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu",
        "Sun", "Ma", "Zhu", "Hu", "Guo", "Lin", "He", "Wong", "Chan", "Lam", "Cheung", "Ng",
        "Leung", "Lau", "Ho", "Tang", "Yip",
    ),
)

ARABIC: Final = Origin(
    key="arabic",
    boys=(
        "Omar", "Yousef", "Ahmad", "Mohammad", "Ali", "Kareem", "Hassan", "Ibrahim", "Adam",
        "Zain", "Khalid", "Tariq", "Rami", "Sami", "Fadi", "Mahmoud", "Abdullah", "Anas",
        "Hamza", "Yahya",
    ),
    girls=(
        "Layla", "Noor", "Mariam", "Sara", "Lina", "Jana", "Rania", "Huda", "Yasmin", "Salma",
        "Hala", "Dana", "Rahaf", "Aya", "Malak", "Reem", "Leen", "Zeina", "Fatima", "Amal",
    ),
    surnames=(
        "Al-Ahmad", "Haddad", "Khalil", "Mansour", "Nasser", "Hassan", "Saleh", "Ibrahim",
        "Abdallah", "Al-Sayed", "Yousef", "Aziz", "Hamdan", "Rahman", "Karim", "Suleiman",
        "Darwish", "Al-Khatib", "Habib", "Najjar", "Awad", "Jaber", "Said",
    ),
)

TURKISH_KURDISH: Final = Origin(
    key="turkish_kurdish",
    boys=(
        "Yusuf", "Mustafa", "Emir", "Mehmet", "Ömer", "Ali", "Eymen", "Kerem", "Berat", "Arda",
        "Baran", "Deniz", "Rojhat",
    ),
    girls=(
        "Zeynep", "Elif", "Ecrin", "Defne", "Azra", "Eylül", "Nehir", "Ela", "Asya", "Rojin",
        "Hazal", "Dilan",
    ),
    surnames=(
        "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk", "Aydın",
        "Özdemir", "Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Kurt", "Koç", "Polat",
    ),
)

# Many Nepali families in the south west are Gurkha (armed forces) families.
NEPALI: Final = Origin(
    key="nepali",
    boys=(
        "Aarav", "Sujan", "Bibek", "Prabin", "Roshan", "Suman", "Anish", "Bishal", "Kiran",
        "Sagar", "Nabin", "Dipesh",
    ),
    girls=(
        "Aasha", "Sita", "Puja", "Sarita", "Anjali", "Sunita", "Nisha", "Srijana", "Rojina",
        "Sabina", "Laxmi", "Manisha",
    ),
    surnames=(
        "Gurung", "Rai", "Limbu", "Thapa", "Magar", "Tamang", "Shrestha", "Pun", "Ghale",
        "Sherpa", "Ale", "Subba", "Chhetri", "Bhandari",
    ),
)

TAMIL: Final = Origin(
    key="tamil",
    boys=(
        "Arun", "Kajan", "Tharun", "Sajeevan", "Niroshan", "Pirashanth", "Vithushan", "Kavin",
        "Abinash", "Thivyan",
    ),
    girls=(
        "Tharshika", "Kavya", "Nivetha", "Thanushi", "Abirami", "Mathumitha", "Sharmila",
        "Vaishnavi", "Keerthana",
    ),
    surnames=(
        "Sivakumar", "Rajendran", "Thevarajah", "Balasubramaniam", "Kanagaratnam",
        "Selvarajah", "Nadarajah", "Ratnam", "Jeyakumar", "Suresh", "Yogarajah",
    ),
)

FILIPINO: Final = Origin(
    key="filipino",
    boys=(
        "John Paul", "Jerome", "Mark", "Carlo", "Miguel", "Angelo", "Rafael", "Nathaniel",
        "Joshua", "Christian", "Jericho", "Paolo",
    ),
    girls=(
        "Angel", "Maria Clara", "Princess", "Kristine", "Joy", "Mary Grace", "Jasmine", "Nicole",
        "Andrea", "Bea", "Camille", "Althea",
    ),
    surnames=(
        "Santos", "Reyes", "Cruz", "Bautista", "Garcia", "Mendoza", "Del Rosario", "De Leon",
        "Villanueva", "Ramos", "Aquino", "Castillo", "Dela Cruz", "Soriano", "Pascual",
        "Manalo",
    ),
)

ORIGINS: Final = MappingProxyType(
    {
        origin.key: origin
        for origin in (
            BRITISH, WELSH, IRISH, IRISH_TRAVELLER, ROMANI, POLISH, ROMANIAN, PORTUGUESE,
            OTHER_EUROPEAN, SOMALI, PAKISTANI, BANGLADESHI, INDIAN, NIGERIAN, GHANAIAN,
            CARIBBEAN, CHINESE, ARABIC, TURKISH_KURDISH, NEPALI, TAMIL, FILIPINO,
        )
    }
)

# Share of pupils per DfE ethnicity main code, per cent: a mostly White British authority in
# the south west with growing Eastern European, South Asian and African communities [U:
# invented to look plausible, not any authority's census].
ETHNICITY_SHARES: Final = MappingProxyType(
    {
        "WBRI": 80.0, "WIRI": 0.4, "WIRT": 0.15, "WROM": 0.25, "WOTH": 5.5,
        "MWBC": 1.3, "MWBA": 0.5, "MWAS": 1.6, "MOTH": 2.0,
        "AIND": 1.2, "APKN": 0.3, "ABAN": 0.7, "AOTH": 0.9,
        "BCRB": 0.2, "BAFR": 0.9, "BOTH": 0.2, "CHNE": 0.7, "OOTH": 0.9,
        "REFU": 1.0, "NOBT": 1.3,
    }
)

# For each ethnicity code: the parents' naming traditions (father's, mother's) and their weight.
# Children take their surname from the first tradition and first names from either.
ETHNICITY_PARENT_ORIGINS: Final = MappingProxyType(
    {
        "WBRI": ((("british", "british"), 90), (("welsh", "welsh"), 6), (("british", "welsh"), 4)),
        "WIRI": ((("irish", "irish"), 80), (("irish", "british"), 20)),
        "WIRT": ((("irish_traveller", "irish_traveller"), 1),),
        "WROM": ((("romani", "romani"), 1),),
        "WOTH": (
            (("polish", "polish"), 40), (("romanian", "romanian"), 20),
            (("portuguese", "portuguese"), 12), (("other_european", "other_european"), 20),
            (("british", "polish"), 4), (("other_european", "british"), 4),
        ),
        "MWBC": ((("caribbean", "british"), 55), (("british", "caribbean"), 45)),
        "MWBA": (
            (("nigerian", "british"), 35), (("ghanaian", "british"), 20),
            (("british", "nigerian"), 25), (("somali", "british"), 20),
        ),
        "MWAS": (
            (("indian", "british"), 30), (("british", "indian"), 20),
            (("pakistani", "british"), 15), (("british", "chinese"), 20),
            (("bangladeshi", "british"), 15),
        ),
        "MOTH": (
            (("british", "arabic"), 20), (("arabic", "british"), 15),
            (("british", "filipino"), 20), (("british", "portuguese"), 15),
            (("turkish_kurdish", "british"), 15), (("british", "romanian"), 15),
        ),
        "AIND": ((("indian", "indian"), 1),),
        "APKN": ((("pakistani", "pakistani"), 1),),
        "ABAN": ((("bangladeshi", "bangladeshi"), 1),),
        "AOTH": (
            (("nepali", "nepali"), 35), (("tamil", "tamil"), 30), (("filipino", "filipino"), 35),
        ),
        "BCRB": ((("caribbean", "caribbean"), 1),),
        "BAFR": (
            (("nigerian", "nigerian"), 45), (("somali", "somali"), 30),
            (("ghanaian", "ghanaian"), 25),
        ),
        "BOTH": ((("caribbean", "nigerian"), 50), (("nigerian", "caribbean"), 50)),
        "CHNE": ((("chinese", "chinese"), 1),),
        "OOTH": ((("arabic", "arabic"), 70), (("turkish_kurdish", "turkish_kurdish"), 30)),
        "REFU": (
            (("british", "british"), 85), (("polish", "polish"), 5), (("indian", "indian"), 5),
            (("arabic", "arabic"), 5),
        ),
        "NOBT": (
            (("british", "british"), 90), (("romanian", "romanian"), 5),
            (("nigerian", "nigerian"), 5),
        ),
    }
)

# Everyday short forms, used as a preferred name for some children.
SHORT_FORMS: Final = MappingProxyType(
    {
        "Alexander": "Alex", "Alexandra": "Alex", "Benjamin": "Ben", "Thomas": "Tom",
        "William": "Will", "Joshua": "Josh", "Samuel": "Sam", "Matthew": "Matt",
        "Oliver": "Ollie", "Charlotte": "Lottie", "Elizabeth": "Beth", "Isabella": "Bella",
        "Zachary": "Zach", "Sebastian": "Seb", "Nathaniel": "Nat", "Abigail": "Abi",
        "Eleanor": "Ellie", "Katarzyna": "Kasia", "Małgorzata": "Gosia", "Aleksandra": "Ola",
        "Oluwaseun": "Seun", "Oluwatoyin": "Toyin", "Temitope": "Tope", "Muhammad": "Mo",
        "Mohammed": "Mo", "Mohamed": "Mo", "Abdirahman": "Abdi", "Ștefan": "Stefan",
        "Siddharth": "Sid", "Mikołaj": "Mikey", "Wojciech": "Voytek",
    }
)
# fmt: on
