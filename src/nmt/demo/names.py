"""Names by country, and the ways one name gets written differently by different agencies.

Framework-free. Given and family names are common ones of each country, combined at random, so a
generated person is plausible for the country and corresponds to nobody in particular. The spelling
variants are the kinds met when lists are linked: other romanisations of Cyrillic, Thai, Arabic or
Somali names (a passport, an interpreter and a Swedish caseworker may each write a name their own
way), dropped diacritics, given and family name swapped, a dropped middle name, and typing slips.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class NameBook:
    country: str
    female: tuple[str, ...]
    male: tuple[str, ...]
    family: tuple[str, ...] = ()
    # (masculine, feminine) forms, for countries whose family names take the sex of the bearer.
    family_pairs: tuple[tuple[str, str], ...] = ()
    languages: tuple[str, ...] = ()
    # The "family name" is the father's given name (Mongolia, Eritrea, Somalia).
    patronymic: bool = False
    # Share of persons known by one name only (common in Afghanistan).
    single_name_share: float = 0.0
    # Spellings of the same name, any of which an agency may use.
    equivalents: tuple[tuple[str, ...], ...] = ()
    # Substring substitutions that give another common romanisation.
    rules: tuple[tuple[str, str], ...] = ()


def _t(text: str) -> tuple[str, ...]:
    return tuple(text.split(","))


# Rules shared by names romanised from Cyrillic: national, English, German and Swedish styles.
_CYRILLIC_RULES = (
    ("kh", "h"),
    ("Kh", "H"),
    ("zh", "j"),
    ("Zh", "Zj"),
    ("ch", "tj"),
    ("Ch", "Tj"),
    ("sh", "sj"),
    ("shch", "sjtj"),
    ("ts", "c"),
    ("Ts", "Z"),
    ("ya", "ja"),
    ("Ya", "Ja"),
    ("yu", "ju"),
    ("Yu", "Ju"),
    ("Yo", "Jo"),
    ("iy", "ij"),
    ("ii", "ij"),
    ("ov", "off"),
    ("ev", "ew"),
    ("yi", "ji"),
)
_ARABIC_RULES = (
    ("ou", "u"),
    ("ee", "i"),
    ("oo", "u"),
    ("ei", "ey"),
    ("El ", "Al-"),
    ("Al-", "El "),
    ("q", "k"),
    ("dh", "z"),
    ("ah", "a"),
    ("i", "y"),
    ("Abdel", "Abdul "),
    ("Abdul ", "Abdul"),
)

BOOKS: dict[str, NameBook] = {
    "RO": NameBook(
        "RO",
        female=_t(
            "Ioana,Maria,Elena,Andreea,Alexandra,Mihaela,Georgiana,Florentina,Nicoleta,Ramona,"
            "Daniela,Roxana,Cristina,Larisa,Bianca,Denisa,Alina,Gabriela,Loredana,Ionela,Adriana,"
            "Simona,Violeta,Marinela,Ana-Maria,Ștefania"
        ),
        male=_t(
            "Ion,Gheorghe,Constantin,Mihai,Florin,Marian,Adrian,Ionuț,Costel,Vasile,Nicolae,"
            "Cătălin,Daniel,Alexandru,Dumitru,Sorin,Viorel,Petru,Ștefan,Cristian,Marius,Gabriel"
        ),
        family=_t(
            "Popescu,Popa,Ionescu,Stan,Dumitru,Stoica,Gheorghe,Munteanu,Rusu,Matei,Lungu,Marin,"
            "Dinu,Ciobanu,Sârbu,Preda,Radu,Tudor,Moldovan,Bălan,Lupu,Căldăraru,Stănescu,Mocanu,"
            "Zamfir,Anghel,Enache,Toma,Oprea,Neagu,Ursu,Dobre,Nistor,Florea,Pîrvu,Țurcanu"
        ),
        languages=("ro",),
        equivalents=(("Ionuț", "Ionut", "Ionutz"), ("Pîrvu", "Pârvu", "Pirvu")),
        rules=(("ț", "ţ"), ("ș", "ş"), ("Ș", "Ş"), ("ia", "ya"), ("nn", "n"), ("ea", "ia")),
    ),
    "NG": NameBook(
        "NG",
        female=_t(
            "Blessing,Joy,Precious,Gift,Favour,Mercy,Faith,Peace,Osasere,Osaretin,Efe,Ivie,"
            "Omosede,Chiamaka,Ngozi,Adaeze,Chioma,Folake,Funmilayo,Esther,Patience,Success,"
            "Vivian,Princess,Itohan,Eghosa"
        ),
        male=_t(
            "Osagie,Efosa,Osaro,Emeka,Chinedu,Obinna,Tunde,Segun,Adebayo,Oluwaseun,Ibrahim,Musa,"
            "Godwin,Friday,Sunday,Samuel,Daniel,Uche,Ikenna,Kelechi,Babatunde,Nosakhare"
        ),
        family=_t(
            "Osagie,Omoregie,Osaghae,Ehigie,Igbinosa,Aigbe,Edobor,Okonkwo,Okafor,Eze,Nwosu,Obi,"
            "Chukwu,Adeyemi,Ogunleye,Balogun,Olawale,Bello,Okoro,Uwaifo,Imafidon,Ekhator,Iyamu,"
            "Osayande,Nwachukwu,Onyeka,Ibe,Akpan,Erhunmwunse,Ogbebor"
        ),
        languages=("en", "bin"),
        equivalents=(("Favour", "Favor"), ("Oluwaseun", "Seun"), ("Omoregie", "Omorogie")),
        rules=(("gh", "g"), ("ss", "s"), ("oo", "o"), ("ie", "ei"), ("kh", "k")),
    ),
    "TH": NameBook(
        "TH",
        female=_t(
            "Siriporn,Supaporn,Wanida,Nittaya,Kanya,Ratana,Pornthip,Malee,Naree,Jintana,Sunisa,"
            "Kanokwan,Lamai,Pranee,Sasithorn,Duangjai,Warunee,Arunee,Chanida,Patcharee,Orawan,"
            "Nongluck,Buppha,Ampai"
        ),
        male=_t(
            "Somchai,Somsak,Prasert,Wichai,Surachai,Anan,Boonmee,Sombat,Chaiwat,Thanakorn,"
            "Nattapong,Kittisak,Sakda,Suchart,Wirat,Prayoon,Somboon,Thawatchai,Pichit,Manop"
        ),
        # Thai family names are long and nearly unique: built from common parts.
        family=tuple(
            a + b
            for a in _t("Sri,Wong,Chai,Boon,Kaew,Thong,Saeng,Rattana,Suwan,Intha,Phet,Chan,Som")
            for b in _t("sawat,suk,siri,prasert,wong,phan,rak,ngam,thong,kaew,porn,sri,mee,chai")
            if a.lower() != b
        ),
        languages=("th",),
        rules=(
            ("ph", "p"),
            ("th", "t"),
            ("Th", "T"),
            ("ch", "j"),
            ("Ch", "J"),
            ("ee", "i"),
            ("oo", "u"),
            ("ai", "ay"),
            ("w", "v"),
            ("k", "g"),
            ("porn", "pon"),
        ),
    ),
    "UA": NameBook(
        "UA",
        female=_t(
            "Olena,Oksana,Iryna,Nataliia,Tetiana,Yuliia,Kateryna,Anastasiia,Olha,Svitlana,"
            "Viktoriia,Mariia,Halyna,Liudmyla,Khrystyna,Daryna,Alina,Valentyna"
        ),
        male=_t(
            "Oleksandr,Serhii,Andrii,Volodymyr,Dmytro,Mykola,Yurii,Vasyl,Ivan,Oleh,Viktor,"
            "Bohdan,Taras,Maksym,Artem,Roman,Petro,Ihor"
        ),
        family=_t(
            "Kovalenko,Shevchenko,Bondarenko,Tkachenko,Kravchenko,Melnyk,Boiko,Koval,Oliinyk,"
            "Shevchuk,Polishchuk,Lysenko,Rudenko,Savchenko,Marchenko,Moroz,Kovalchuk,Tkachuk,"
            "Honchar,Pavlenko,Klymenko,Levchenko,Zinchenko,Hrytsenko"
        ),
        family_pairs=(("Savytskyi", "Savytska"), ("Kovalskyi", "Kovalska")),
        languages=("uk", "ru"),
        equivalents=(
            ("Oleksandr", "Aleksandr", "Alexander", "Oleksander"),
            ("Serhii", "Sergey", "Sergej", "Serhiy"),
            ("Andrii", "Andriy", "Andrej", "Andrei"),
            ("Iryna", "Irina"),
            ("Tetiana", "Tatiana", "Tatjana", "Tetyana"),
            ("Olha", "Olga", "Olga"),
            ("Yuliia", "Yulia", "Julija", "Julia"),
            ("Nataliia", "Natalia", "Natalija", "Natalya"),
            ("Dmytro", "Dmitry", "Dmitrij"),
            ("Mykola", "Nikolai", "Nikolaj"),
            ("Halyna", "Galina"),
            ("Oleh", "Oleg"),
            ("Ihor", "Igor"),
            ("Vasyl", "Vasily", "Vasilij"),
            ("Kateryna", "Ekaterina", "Katerina", "Jekaterina"),
            ("Khrystyna", "Kristina", "Christina"),
            ("Honchar", "Gonchar"),
            ("Hrytsenko", "Gritsenko", "Hrycenko"),
            ("Boiko", "Boyko", "Bojko"),
            ("Oliinyk", "Oleinik", "Olijnyk"),
        ),
        rules=(*_CYRILLIC_RULES, ("H", "G"), ("y", "i")),
    ),
    "BG": NameBook(
        "BG",
        female=_t(
            "Maria,Ivanka,Elena,Yordanka,Petya,Desislava,Gergana,Tsvetelina,Radka,Silviya,"
            "Violeta,Stefka,Nikoleta,Daniela,Vanya,Rumyana,Emine,Fatme"
        ),
        male=_t(
            "Georgi,Ivan,Dimitar,Nikolay,Petar,Hristo,Stoyan,Angel,Todor,Atanas,Krasimir,Asen,"
            "Yordan,Stefan,Lyubomir,Mitko,Ahmed,Sevdalin"
        ),
        family_pairs=tuple(
            (stem, stem + "a")
            for stem in _t(
                "Ivanov,Georgiev,Dimitrov,Petrov,Nikolov,Hristov,Stoyanov,Todorov,Iliev,Angelov,"
                "Kolev,Yordanov,Atanasov,Marinov,Asenov,Mihaylov,Kostov,Yankov,Mehmedov,Salimov"
            )
        ),
        languages=("bg", "rom"),
        equivalents=(
            ("Hristo", "Christo", "Khristo", "Risto"),
            ("Georgi", "Gueorgui", "Georgij"),
            ("Yordan", "Jordan"),
            ("Yordanka", "Jordanka"),
            ("Tsvetelina", "Cvetelina", "Zwetelina"),
            ("Petya", "Petja", "Petia"),
        ),
        rules=(*_CYRILLIC_RULES, ("ay", "ai"), ("y", "j")),
    ),
    "SE": NameBook(
        "SE",
        female=_t(
            "Emma,Maja,Elin,Wilma,Julia,Ella,Ebba,Alva,Linnéa,Moa,Felicia,Amanda,Hanna,Matilda,"
            "Sara,Johanna,Jessica,Sofia,Lovisa,Tilda,Nora,Klara"
        ),
        male=_t(
            "Erik,Lucas,Oscar,William,Liam,Elias,Hugo,Viktor,Filip,Anton,Alexander,Johan,Simon,"
            "Emil,Adam,Albin,Rasmus,Jonathan"
        ),
        family=_t(
            "Andersson,Johansson,Karlsson,Nilsson,Eriksson,Larsson,Olsson,Persson,Svensson,"
            "Gustafsson,Pettersson,Jonsson,Jansson,Hansson,Bengtsson,Jönsson,Lindberg,Lindqvist,"
            "Lindström,Berglund,Axelsson,Lundgren,Sandberg,Forsberg,Sjöberg,Wallin,Engström,"
            "Danielsson,Håkansson,Holm,Bergström,Fredriksson,Sundberg"
        ),
        languages=("sv",),
        equivalents=(
            ("Karlsson", "Carlsson"),
            ("Oscar", "Oskar"),
            ("Linnéa", "Linnea"),
            ("Lindqvist", "Lindkvist"),
            ("Pettersson", "Petersson"),
            ("Viktor", "Victor"),
        ),
        rules=(("ss", "s"), ("ö", "o"), ("å", "a"), ("é", "e")),
    ),
    "VN": NameBook(
        "VN",
        # Written as Vietnamese order puts it, family name first; ``full_name`` files the parts.
        female=tuple(
            f"Thị {n}"
            for n in _t("Lan,Hương,Mai,Linh,Trang,Thảo,Hà,Ngọc,Hoa,Nga,Phương,Thu,Hằng,Yến,Nhung")
        )
        + _t("Ngọc Anh,Thu Trang,Minh Châu"),
        male=tuple(
            f"{m} {n}"
            for m, n in zip(
                _t("Văn,Văn,Đức,Minh,Quang,Hữu,Văn,Đức,Minh,Văn,Quang,Hữu,Văn,Thanh,Văn,Đình"),
                _t("Hùng,Dũng,Minh,Tuấn,Nam,Long,Quân,Hải,Sơn,Đức,Cường,Thắng,Phúc,Khánh,Tùng,Huy"),
                strict=True,
            )
        ),
        family=_t(
            "Nguyễn,Nguyễn,Nguyễn,Nguyễn,Trần,Trần,Lê,Lê,Phạm,Hoàng,Huỳnh,Phan,Vũ,Võ,Đặng,Bùi,Đỗ,"
            "Hồ,Ngô,Dương,Lý"
        ),
        languages=("vi",),
        equivalents=(("Nguyễn", "Nguyen", "Nguyên", "Ngyen"), ("Huỳnh", "Huynh", "Hoynh")),
        rules=(("Đ", "D"), ("Thị ", ""), ("Văn ", "Van "), ("ư", "u"), ("ơ", "o")),
    ),
    "MA": NameBook(
        "MA",
        female=_t(
            "Fatima,Khadija,Aicha,Nadia,Samira,Hanane,Meryem,Salma,Imane,Zineb,Houda,Naima,"
            "Soukaina,Latifa"
        ),
        male=_t(
            "Mohamed,Youssef,Ahmed,Hamza,Ayoub,Said,Mustapha,Abdelkader,Rachid,Karim,Omar,Anas,"
            "Bilal,Hicham,Mehdi,Yassine,Ismail,Adil"
        ),
        family=_t(
            "El Amrani,Benali,Bennani,Alaoui,El Idrissi,Tazi,Berrada,Chraibi,El Fassi,Ouazzani,"
            "Bouzid,Lahlou,Ziani,Haddad,Mansouri,El Khatib,Belkadi,Benjelloun,Hamdaoui,Ait Ali,"
            "Ouali,Zerouali,Naciri"
        ),
        languages=("ar", "fr"),
        equivalents=(
            ("Mohamed", "Mohammed", "Muhammad", "Mohammad"),
            ("Youssef", "Yousef", "Yusuf", "Youssouf"),
            ("Aicha", "Aisha", "Aïcha"),
            ("El Amrani", "Elamrani", "Al-Amrani", "Amrani"),
            ("Meryem", "Maryam", "Mariam"),
            ("Mustapha", "Mustafa"),
            ("Abdelkader", "Abdul Kader", "Abdelkadir"),
        ),
        rules=_ARABIC_RULES,
    ),
    "AF": NameBook(
        "AF",
        female=_t(
            "Fatima,Zahra,Maryam,Marzia,Parisa,Farzana,Nargis,Shabnam,Mahbooba,Sima,Zainab,Roya,"
            "Freshta,Laila,Sakina,Hakima"
        ),
        male=_t(
            "Mohammad,Ahmad,Ali,Reza,Hamid,Nasir,Jawad,Mustafa,Farid,Rahim,Karim,Naveed,Sayed,"
            "Hussain,Zabiullah,Abdul Rahman,Abdullah,Mahdi,Sohrab,Wahid"
        ),
        family=_t(
            "Ahmadi,Rahimi,Hakimi,Mohammadi,Hussaini,Karimi,Noori,Sultani,Azizi,Haidari,Jafari,"
            "Rezaei,Sadat,Popal,Stanikzai,Amiri,Habibi,Nazari,Safi,Wardak,Akbari,Yousufzai,"
            "Rasuli,Hashimi"
        ),
        languages=("fa", "ps"),
        single_name_share=0.25,
        equivalents=(
            ("Mohammad", "Mohammed", "Muhammad", "Mohamad"),
            ("Ahmad", "Ahmed"),
            ("Hussain", "Hussein", "Husain"),
            ("Zahra", "Sahra", "Zahraa"),
            ("Noori", "Nouri", "Nuri"),
            ("Maryam", "Mariam"),
            ("Abdul Rahman", "Abdulrahman", "Abdurrahman"),
            ("Yousufzai", "Yousafzai", "Yusufzai"),
        ),
        rules=(*_ARABIC_RULES, ("i", "y"), ("oo", "u")),
    ),
    "UG": NameBook(
        "UG",
        female=_t(
            "Grace,Prossy,Florence,Sarah,Harriet,Esther,Sharon,Brenda,Winnie,Juliet,Nakato,"
            "Babirye,Akello,Atim"
        ),
        male=_t(
            "Moses,Isaac,Ronald,Godfrey,Emmanuel,Joseph,Brian,Patrick,Denis,Kato,Wasswa,Okello"
        ),
        family=_t(
            "Nakato,Namubiru,Nabirye,Nansubuga,Nalwoga,Mukasa,Ssemakula,Okello,Opio,Akello,"
            "Kiggundu,Nsubuga,Lubega,Musoke,Kasozi,Ssali,Tumusiime,Byaruhanga,Mugisha,"
            "Ainembabazi,Atuhaire,Nankya,Kyomuhendo,Auma"
        ),
        languages=("en", "lg"),
        rules=(("Ss", "S"), ("mb", "nb"), ("ll", "l"), ("y", "i"), ("ii", "i")),
    ),
    "MN": NameBook(
        "MN",
        female=_t(
            "Oyunchimeg,Enkhjargal,Sarangerel,Bolormaa,Tsetsegmaa,Altantsetseg,Narantuya,"
            "Uranchimeg,Munkhtuya,Bayarmaa,Solongo,Odgerel,Nomin,Anujin"
        ),
        male=_t(
            "Batbayar,Ganbaatar,Enkhbold,Bat-Erdene,Munkh-Orgil,Tömörbaatar,Erdenebat,Bold,"
            "Ganzorig,Otgonbayar,Gantulga,Byambadorj,Naranbaatar,Khürelbaatar,Dorjsüren"
        ),
        languages=("mn",),
        patronymic=True,
        equivalents=(("Bat-Erdene", "Baterdene", "Bat Erdene"),),
        rules=(
            ("Kh", "H"),
            ("kh", "h"),
            ("ö", "o"),
            ("ö", "u"),
            ("ü", "u"),
            ("ü", "ue"),
            ("ts", "c"),
            ("Ts", "C"),
            ("j", "zh"),
            ("maa", "ma"),
            ("-", ""),
        ),
    ),
    "CN": NameBook(
        "CN",
        female=_t("Xiaoyan,Mei,Hui,Jing,Yan,Fang,Xiuying,Lan,Yun,Min,Xiaoli,Ling"),
        male=_t("Wei,Jun,Lei,Qiang,Hao,Tao,Jian,Peng,Yong,Gang"),
        family=_t("Wang,Li,Zhang,Liu,Chen,Yang,Huang,Zhao,Wu,Zhou,Lin,Xu,Sun,Zheng"),
        languages=("zh",),
        equivalents=(("Zhang", "Chang"), ("Zhou", "Chou"), ("Xu", "Hsu"), ("Xiaoyan", "Xiao-Yan")),
        rules=(("Xiao", "Xiao "), ("ui", "uei"), ("x", "hs")),
    ),
    "AL": NameBook(
        "AL",
        female=_t("Elira,Ardita,Blerta,Anisa,Klea,Ermira,Jonida,Valbona,Mirela,Arjola,Eglantina"),
        male=_t("Arben,Besnik,Ilir,Gentian,Erion,Klodian,Artan,Fatmir,Dritan,Ermal,Altin"),
        family=_t(
            "Shehu,Kola,Gjoka,Leka,Cela,Duka,Marku,Prifti,Hysa,Dervishi,Kryeziu,Gashi,Krasniqi,"
            "Hasani,Muçaj,Lleshi"
        ),
        languages=("sq",),
        rules=(("ë", "e"), ("ç", "c"), ("q", "ch"), ("Gj", "Dj"), ("ll", "l")),
    ),
    "ER": NameBook(
        "ER",
        female=_t("Helen,Selam,Tsega,Yordanos,Senait,Feven,Rahel,Mebrat,Almaz,Saba,Luwam"),
        male=_t("Yonas,Tesfay,Mehari,Kidane,Filmon,Dawit,Abraham,Berhane,Henok,Samuel,Amanuel"),
        languages=("ti",),
        patronymic=True,
        equivalents=(
            ("Tesfay", "Tesfai", "Tesfaye"),
            ("Dawit", "Dawitt", "David"),
            ("Yonas", "Jonas"),
            ("Senait", "Senayt"),
        ),
        rules=(("Gh", "G"), ("ai", "ay"), ("ay", "ai"), ("y", "j")),
    ),
    "SO": NameBook(
        "SO",
        female=_t("Hodan,Fadumo,Amina,Sahra,Hawa,Ifrah,Ayan,Nimco,Sagal,Hibo,Deqa,Ubah"),
        male=_t("Abdirahman,Mohamed,Ahmed,Abdullahi,Hassan,Liban,Mahad,Abdikarim,Yusuf,Omar,Guled"),
        languages=("so",),
        patronymic=True,
        # Somali orthography (x for the Arabic h, c for the ain, doubled vowels) against the
        # English-style spelling of many passports.
        equivalents=(
            ("Mohamed", "Maxamed", "Mohammed"),
            ("Abdirahman", "Cabdiraxmaan", "Abdulrahman"),
            ("Fadumo", "Faadumo", "Fatuma"),
            ("Hawa", "Xaawo"),
            ("Ismail", "Ismaaciil"),
            ("Hassan", "Xasan"),
            ("Abdullahi", "Cabdullaahi"),
            ("Nimco", "Nimo"),
        ),
        rules=(("aa", "a"), ("uu", "u"), ("ii", "i"), ("x", "h"), ("c", "")),
    ),
    "SY": NameBook(
        "SY",
        female=_t("Rasha,Hala,Rania,Lina,Nour,Reem,Dima,Yasmin,Amal,Hiba,Rawan"),
        male=_t("Ahmad,Mohammad,Omar,Khaled,Mahmoud,Hassan,Yousef,Ali,Abdullah,Firas,Tarek"),
        family=_t(
            "Al-Ahmad,Al-Hassan,Haddad,Khalil,Suleiman,Darwish,Kurdi,Hamdan,Najjar,Al-Masri,"
            "Sabbagh,Aziz,Shami,Othman"
        ),
        languages=("ar", "ku"),
        equivalents=(
            ("Mohammad", "Mohammed", "Muhammad"),
            ("Khaled", "Khalid", "Chaled"),
            ("Nour", "Nur", "Noor"),
            ("Suleiman", "Sulaiman", "Sleiman"),
            ("Tarek", "Tariq", "Tarik"),
        ),
        rules=_ARABIC_RULES,
    ),
    "PH": NameBook(
        "PH",
        female=_t(
            "Maria Cristina,Jocelyn,Rowena,Marites,Lorna,Analyn,Joy,Rosalie,Mary Ann,Liezel,Jonalyn"
        ),
        male=_t("Jose,Juan Carlos,Ramon,Mark Anthony,Jayson,Rommel,Arnel,Noel,Reynaldo"),
        family=_t(
            "Santos,Reyes,Cruz,Bautista,Ocampo,Garcia,Mendoza,Dela Cruz,Villanueva,Ramos,Castillo,"
            "Flores,Domingo,Manalo"
        ),
        languages=("tl", "en"),
        equivalents=(("Dela Cruz", "De la Cruz", "Delacruz"), ("Maria Cristina", "Ma. Cristina")),
        rules=(("y", "i"), ("Mary ", "Mary-")),
    ),
    "PL": NameBook(
        "PL",
        female=_t("Anna,Katarzyna,Małgorzata,Agnieszka,Joanna,Magdalena,Ewa,Monika,Karolina"),
        male=_t("Piotr,Krzysztof,Tomasz,Paweł,Marcin,Łukasz,Grzegorz,Michał,Dariusz,Adam"),
        family=_t("Nowak,Wójcik,Kowalczyk,Woźniak,Mazur,Krawczyk,Kaczmarek,Zając,Wróbel"),
        family_pairs=(
            ("Kowalski", "Kowalska"),
            ("Wiśniewski", "Wiśniewska"),
            ("Kamiński", "Kamińska"),
            ("Lewandowski", "Lewandowska"),
            ("Zieliński", "Zielińska"),
            ("Szymański", "Szymańska"),
            ("Dąbrowski", "Dąbrowska"),
        ),
        languages=("pl",),
        rules=(("ł", "l"), ("Ł", "L"), ("ś", "s"), ("ń", "n"), ("ż", "z"), ("ski", "sky")),
    ),
}

# Nicknames under which persons exploited for sexual purposes are advertised; recorded as aliases.
WORKING_NAMES = _t(
    "Bella,Lily,Vanessa,Candy,Sabrina,Nikki,Angel,Luna,Diamond,Kitty,Jasmine,Sweety,Roxy,Mia"
)


def fold(text: str) -> str:
    """Drop diacritics (as a form, a database or a keyboard without them does)."""
    text = text.replace("ł", "l").replace("Ł", "L").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def full_name(book: NameBook, sex: str, rng: random.Random) -> tuple[str, str]:
    """(given names, family name) for a person of ``sex`` ("female"/"male"/other)."""
    female = sex == "female" or (sex not in {"male", "female"} and rng.random() < 0.5)
    given = rng.choice(book.female if female else book.male)
    if book.patronymic:
        return given, rng.choice(book.male)
    if rng.random() < book.single_name_share:
        return given, ""
    families: list[str] = list(book.family)
    families += [pair[1] if female else pair[0] for pair in book.family_pairs]
    return given, rng.choice(families)


def _typo(name: str, rng: random.Random) -> str:
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    if len(letters) < 4:
        return name
    kind = rng.randrange(4)
    i = rng.choice(letters[1:-1])
    if kind == 0 and name[i] == name[i - 1]:  # a double letter written once
        return name[:i] + name[i + 1 :]
    if kind == 1:  # a letter doubled
        return name[:i] + name[i] + name[i:]
    if kind == 2 and name[i + 1].isalpha():  # two letters swapped
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    vowels = "aeiou"
    if name[i].lower() in vowels:  # a vowel heard differently
        other = rng.choice([v for v in vowels if v != name[i].lower()])
        return name[:i] + other + name[i + 1 :]
    return name[:i] + name[i + 1 :]


def spelling_variant(name: str, book: NameBook, rng: random.Random) -> str:
    """Another way ``name`` is plausibly written: a known equivalent spelling, another
    romanisation, the name without diacritics, or a typing slip. Never returns ``name`` unchanged
    unless the name is too short to vary."""
    if not name:
        return name
    for group in book.equivalents:
        if name in group:
            others = [g for g in group if g != name]
            if others and rng.random() < 0.85:
                return rng.choice(others)
    applicable = [(a, b) for a, b in book.rules if a in name]
    rng.shuffle(applicable)
    for a, b in applicable[:1]:
        variant = name.replace(a, b, 1)
        if variant.strip() and variant != name:
            return " ".join(variant.split())
    folded = fold(name)
    if folded != name and rng.random() < 0.7:
        return folded
    for _attempt in range(4):
        variant = _typo(name, rng)
        if variant != name:
            return variant
    return name
