"""Synthetic distractor entities: an alias table's worth of realistic near neighbours.

    python bench/distractors.py 5000 [--seed 7] > distractors.jsonl
    python bench/distractors.py 20000 --stats [--compare GALLERY]

A big real table has many entries that share a given name, a surname or organization words
with any one entry. The dev gallery alone has few; these distractors pad it to a realistic
size (bench/scale_eval.py). Persons come from many naming traditions in Latin script, as an
English-language sanctions list or knowledge base writes them ("Given [Middle] Surname",
Arabic chains with Al-, Spanish double surnames, Russian patronymics, Korean and Chinese
surname-first...). Organizations are upper case, with activity words, legal forms and
places. Given names, surnames and organization words are drawn Zipf-like, so that common
ones (Mohammed, Ali, Ivan, Maria, Kim; Trading, Bank, Co. Ltd) repeat as they do in real
lists. Some entities get aliases: respellings, shorter or longer forms, acronyms, other
legal forms, unrelated names and nicknames.

Name material: Faker's locale person providers (their word lists, romanized where the
locale writes another script: Cyrillic and Georgian by the tables below, Chinese by
pypinyin, Hangul and others by unidecode) and hand-written lists of very common names and
organization words (general knowledge). Nothing comes from the benchmark's sources or from
the dev set, whose type mix and alias-count shares alone (counts, as statistics) set the
proportions below. Deterministic for a seed and the pinned Faker and pypinyin versions, and
prefix-stable: the first N entities of a longer run are the N of a shorter one.
"""

from __future__ import annotations

import argparse
import bisect
import importlib
import itertools
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any

from pypinyin import lazy_pinyin
from unidecode import unidecode

PREFIX = "synth-"
Entity = dict[str, Any]

# Shares measured on the dev gallery (counts only, no names): 777 persons, 355 organizations;
# of the persons 567 have no alias, 100 one, 50 two, 30 three, 14 four, 6 five, 10 six or
# more; of the organizations 212, 73, 31, 12, 9, 9 and 9.
PERSON_SHARE = 777 / 1132
PERSON_ALIAS_COUNTS = (567, 100, 50, 30, 14, 6, 10)
ORG_ALIAS_COUNTS = (212, 73, 31, 12, 9, 9, 9)


# --- word pools -------------------------------------------------------------------------


class Pool:
    """Words drawn Zipf-like (weight 1/rank^exponent): ``head`` in its order (most common
    first), then ``tail`` in a fixed shuffle, so the head's names repeat most."""

    def __init__(self, head: Iterable[str], tail: Iterable[str] = (), exponent: float = 0.9):
        words = list(dict.fromkeys(w for w in map(_usable, head) if w))
        rest = sorted(set(w for w in map(_usable, tail) if w) - set(words))
        random.Random(len(rest)).shuffle(rest)
        self.words = words + rest
        self.cumulative = list(
            itertools.accumulate(1.0 / (rank + 1) ** exponent for rank in range(len(self.words)))
        )

    def draw(self, rng: random.Random) -> str:
        index = bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])
        return self.words[min(index, len(self.words) - 1)]


# Letters, joined by one hyphen, apostrophe or space: a few of Faker's words hold stray marks.
_WORD = re.compile(r"[^\W\d_]+(?:[-' ][^\W\d_]+)*")


def _usable(word: str) -> str:
    word = word.replace("\u2019", "'").strip()
    return word if _WORD.fullmatch(word) else ""


def _faker(locale: str, *attributes: str, by_weight: bool = False) -> list[str]:
    """Words of Faker's person provider for ``locale``; Faker keeps some lists as weights
    (en_US), most frequent first when ``by_weight``."""
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    words: list[str] = []
    for attribute in attributes:
        value = getattr(provider, attribute, ())
        if by_weight and isinstance(value, dict):
            value = sorted(value, key=lambda word: -value[word])
        words += [str(word) for word in value]
    return words


# Cyrillic (Russian, Ukrainian, Bulgarian) and Georgian letters to Latin, as English-language
# lists write names (BGN/PCGN-like; soft and hard signs dropped).
CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
        (
            "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya i yi ye g"
        ).split(),
        strict=True,
    )
)
GEORGIAN = dict(
    zip(
        "აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ",
        "a b g d e v z t i k l m n o p zh r s t u p k gh q sh ch ts dz ts ch kh j h".split(),
        strict=True,
    )
)


def _table(text: str, table: dict[str, str]) -> str:
    out: list[str] = []
    for char in text:
        latin = table.get(char.lower(), char)
        latin = "" if latin == "-" else latin
        out.append(latin.capitalize() if char.isupper() or (not out and latin) else latin)
    return "".join(out)


def cyrillic(text: str) -> str:
    return " ".join(_table(word, CYRILLIC).capitalize() for word in text.split())


def georgian(text: str) -> str:
    return " ".join(_table(word, GEORGIAN).capitalize() for word in text.split())


def pinyin(text: str) -> str:
    """Hanzi as one pinyin word without tones (a given name written "Xiuying")."""
    return unidecode("".join(lazy_pinyin(text, v_to_u=True))).capitalize()


def hangul(text: str) -> str:
    """A Korean given name as two romanized syllables joined by a hyphen ("Min-jun")."""
    return "-".join(unidecode(s).strip().lower() for s in text).capitalize()


def latin(text: str) -> str:
    # Azerbaijani's schwa is written "a" in English; unidecode would give "@".
    text = text.replace("ə", "a").replace("Ə", "A")
    # unidecode writes Armenian's aspiration marks as backquotes.
    text = unidecode(text).replace("'", "").replace("`", "")
    return " ".join(w.capitalize() for w in text.split())


# Hand-written heads: the most common names of each tradition as English-language lists
# romanize them, roughly most common first (general knowledge, not from any data set).
ARABIC_MALE = (
    "Muhammad Mohammed Ali Ahmad Ahmed Mohamed Mahmoud Hassan Hussein Abdullah Omar Ibrahim "
    "Khalid Youssef Mustafa Abdul Yusuf Said Saleh Salem Hamid Abdel Jamal Karim Nasser Tariq "
    "Walid Adel Samir Faisal Majid Rashid Hamza Bilal Osama Ismail Khaled Anas Ayman Imad "
    "Jaber Fadi Nabil Ziad Hani Bashir Amin Munir Fouad Kamal Jihad Mazen Sami Raed Issa Musa "
    "Abdulaziz Abdulrahman Abdallah Sulayman Othman Uthman Yasser Ammar Tamer Hisham Husam"
).split()
ARABIC_FEMALE = (
    "Fatima Aisha Maryam Zainab Khadija Amina Nour Layla Huda Salma Rania Hana Samira Yasmin "
    "Noor Sara Rim Dalia Mona Iman"
).split()
# Family names: nisbas with Al-, patronymic names, trades.
ARABIC_FAMILY = (
    "Al-Masri Hassan Ali Hussein Mahmoud Ibrahim Abdullah Saleh Khalil Haddad Nasser Mansour "
    "Hamdan Al-Ahmad Al-Hashimi Al-Shami Al-Tamimi Al-Qahtani Al-Otaibi Al-Zahrani Al-Ghamdi "
    "Al-Harbi Al-Dosari Al-Shehri Al-Maliki Al-Jaber Al-Khatib Al-Najjar Al-Sayed Al-Amin "
    "Al-Rashid Al-Hassan Al-Obaidi Al-Jubouri Al-Dulaimi Al-Tikriti Al-Baghdadi Al-Halabi "
    "Al-Ansari Al-Kuwari Al-Thani Al-Mahdi Al-Bakri Darwish Khoury Saad Aziz Suleiman Qasim "
    "Yassin Taha Hijazi Barakat Mustafa Issa Omar Youssef Nasrallah Haidar Shaaban Zaki"
).split()
PERSIAN_MALE = (
    "Mohammad Ali Hossein Reza Mehdi Hassan Ahmad Mohsen Hamid Majid Saeed Abbas Mahmoud "
    "Javad Morteza Mostafa Amir Masoud Ebrahim Alireza Mohammadreza Hamidreza Gholamreza "
    "Jafar Kazem Nasser Behzad Farhad Davood Rasoul Yousef Akbar Asghar Ghasem Karim Hadi "
    "Mojtaba Omid Babak Kourosh Dariush Bijan Siamak Shahram Parviz Mansour Nader Jamshid "
    "Esmaeil Hojatollah Ruhollah Heshmat Abolfazl Mehran Peyman Kamran Arash Vahid Ehsan"
).split()
PERSIAN_FEMALE = (
    "Fatemeh Zahra Maryam Masoumeh Sakineh Zeinab Mahsa Shirin Leila Parisa Nasrin Azadeh "
    "Mina Narges Soheila Roya Niloufar Elham"
).split()
PERSIAN_FAMILY = (
    "Ahmadi Hosseini Mohammadi Rezaei Karimi Jafari Rahimi Moradi Sadeghi Hashemi Mousavi "
    "Ghasemi Kazemi Ebrahimi Najafi Rostami Shirazi Tehrani Esfahani Salehi Akbari Bagheri "
    "Heidari Abbasi Amini Hosseinzadeh Alizadeh Rahmani Ghorbani Safavi Nouri Soleimani "
    "Jalali Mirzaei Hashemian Khosravi Taheri Yazdani Zamani Farahani Kermani Tabrizi Ansari "
    "Navabi Rafsanjani Shariati Motahari Larijani Kashani Golpayegani Dolatabadi Ardakani"
).split()
# Persian surnames built the usual ways: a given name or place plus -i, -zadeh, -pour...
PERSIAN_SUFFIXES = ("i", "zadeh", "pour", "nejad", "far", "abadi", "ian", "khani")
RUSSIAN_MALE_HEAD = (
    "Aleksandr Sergey Dmitry Andrey Alexey Vladimir Ivan Mikhail Nikolai Yevgeny Igor Oleg "
    "Viktor Yuri Pavel Roman Maxim Denis Anatoly Konstantin Vladislav Boris Gennady Vyacheslav"
).split()
RUSSIAN_FEMALE_HEAD = (
    "Elena Olga Tatiana Natalia Irina Svetlana Maria Anna Yekaterina Galina Lyudmila Marina"
).split()
SPANISH_MALE_HEAD = (
    "Jose Juan Luis Carlos Jorge Miguel Jesus Francisco Antonio Manuel Pedro Alejandro Rafael "
    "Fernando Ricardo Roberto Javier Eduardo Mario Hector Oscar Sergio Raul Victor Ramon"
).split()
SPANISH_FEMALE_HEAD = (
    "Maria Guadalupe Ana Rosa Carmen Patricia Laura Martha Gabriela Claudia Veronica Leticia"
).split()
SPANISH_FAMILY_HEAD = (
    "Garcia Rodriguez Hernandez Lopez Martinez Gonzalez Perez Sanchez Ramirez Torres Flores "
    "Rivera Gomez Diaz Cruz Morales Reyes Gutierrez Ortiz Jimenez Ruiz Vargas Castillo Mendoza"
).split()
KOREAN_FAMILY = (
    "Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Oh Seo Shin Kwon Hwang Ahn Song Ryu "
    "Jeon Hong Ko Moon Yang Son Bae Baek Heo Yoo Nam Sim Noh Ha Kwak Sung Cha Joo Woo Koo "
    "Min Ri Pak Choe Jong Ro Yun Chon Ju Ryang"
).split()
HEBREW_MALE = (
    "David Moshe Yosef Avraham Yitzhak Yaakov Shlomo Daniel Michael Eliyahu Shmuel Ariel Yonatan "
    "Noam Itai Omer Eitan Amir Uri Gideon Ehud Benjamin Menachem Meir Aharon Yehuda Zvi Haim"
).split()
HEBREW_FEMALE = "Sarah Rachel Miriam Rivka Leah Tamar Noa Yael Shira Michal Esther Hadas".split()
HEBREW_FAMILY = (
    "Cohen Levi Mizrahi Peretz Biton Dahan Avraham Friedman Azoulay Malka Katz Goldberg "
    "Shapiro Rosenberg Ben-David Hadad Amar Gabay Ohana Levy Segal Weiss Klein Stern "
    "Ashkenazi Shalom Mor Ben-Ami Golan Barak Shamir Peled Eshel Navon Ben-Haim Yosef Oren"
).split()
TURKIC_MALE_HEAD = (
    "Mehmet Mustafa Ahmet Ali Huseyin Hasan Ibrahim Ismail Osman Yusuf Murat Omer Ramazan "
    "Halil Suleyman Abdullah Mahmut Salih Recep Kemal Rustam Rashid Farhod Bakhtiyor"
).split()
SOUTH_ASIAN_MALE_HEAD = (
    "Muhammad Mohammad Abdul Syed Ali Ahmed Rahul Amit Rajesh Sanjay Imran Tariq Zahid Asif "
    "Shahid Nadeem Arshad Javed Khalid Raj Vijay Sunil Anil Ramesh Mohan Hafiz Mian Malik"
).split()
SOUTH_ASIAN_FAMILY_HEAD = (
    "Khan Ahmed Ali Hussain Shah Sharma Singh Kumar Patel Malik Qureshi Chaudhry Butt Sheikh "
    "Iqbal Rehman Akhtar Siddiqui Mirza Hashmi Gupta Verma Reddy Rao Das Bhatti Awan Raza"
).split()
WESTERN_MALE_HEAD = (
    "John Michael David James Robert Peter Thomas Paul Daniel Mark Richard William Joseph "
    "Hans Klaus Jean Pierre Marco Giuseppe Jan Piotr Andrzej Stefan Johann Francois Luca"
).split()
# Titles as lists print them before a name (an alias kind: "Dr. X", "Haji X").
TITLES = {
    "arabic": ("Dr.", "Sheikh", "Haji", "Doctor", "Imam"),
    "persian": ("Dr.", "Haj", "Seyed", "Mullah", "Hojatoleslam"),
    "south_asian": ("Dr.", "Maulana", "Hafiz", "Mufti", "Haji"),
}


@cache
def _coined(rng_seed: int, rank: int, flavour: str) -> str:
    """The ``rank``-th coined word of a flavour: a pronounceable root, the same for a seed
    whatever else was drawn (so a longer run repeats a shorter one)."""
    rng = random.Random(f"{rng_seed}:{flavour}:{rank}")
    onsets, vowels, codas = SYLLABLES.get(flavour, SYLLABLES["generic"])
    word = "".join(
        rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas)
        # Korean and Chinese brand names are two syllables, mostly.
        for _ in range(rng.choice((2, 2, 2, 3, 3) if flavour == "generic" else (2, 2, 2, 2, 3)))
    )
    return word.capitalize()


SYLLABLES: dict[str, tuple[Sequence[str], Sequence[str], Sequence[str]]] = {
    "generic": (
        "b c d f g h j k l m n p r s t v z br tr st gr pr kr".split(),
        "a e i o u a e i o ai ou".split(),
        ["", "", "", "n", "r", "l", "s", "k", "m", "t", "x"],
    ),
    "korean": (
        "k g n d r m b s j ch h p t ry ky hy".split(),
        "a o u i e yo yu ae eo".split(),
        ["", "", "n", "ng", "k", "l", "m"],
    ),
    "chinese": (
        "b p m f d t n l g k h j q x zh ch sh r z c s y w".split(),
        "a ai ao an ang e ei en eng i ia ian iang iao ing iu o ong ou u ua uan ui un uo".split(),
        [""],
    ),
}


class CoinedPool:
    """Coined words of one flavour drawn Zipf-like over an unbounded rank: a few recur, most
    are rare, as brand words and rare surnames are."""

    def __init__(self, seed: int, flavour: str, size: int = 200_000, exponent: float = 0.6):
        self.seed, self.flavour = seed, flavour
        self.cumulative = list(
            itertools.accumulate(1.0 / (rank + 1) ** exponent for rank in range(size))
        )

    def draw(self, rng: random.Random) -> str:
        rank = bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])
        return _coined(self.seed, rank, self.flavour)


# --- persons ----------------------------------------------------------------------------


@dataclass
class Tradition:
    """One naming tradition: its pools, how a full name is put together and respelled."""

    name: str
    weight: float
    male: Pool
    female: Pool
    family: Pool
    shape: Callable[[Tradition, random.Random, bool], list[str]]
    respellings: Sequence[tuple[str, str]]
    female_share: float = 0.25
    female_family: Callable[[str], str] | None = None  # the family name a woman bears
    patronymic: Callable[[str, bool], str] | None = None


def _given_family(t: Tradition, rng: random.Random, female: bool) -> list[str]:
    given = (t.female if female else t.male).draw(rng)
    tokens = [given]
    if rng.random() < 0.2:  # a second given name
        tokens.append(t.male.draw(rng) if not female else t.female.draw(rng))
    family = t.family.draw(rng)
    return tokens + [t.female_family(family) if female and t.female_family else family]


def _arabic(t: Tradition, rng: random.Random, female: bool) -> list[str]:
    # Given name, then father's and grandfather's names, then the family or tribe name.
    tokens = [(t.female if female else t.male).draw(rng)]
    for _ in range(rng.choices((0, 1, 2, 3), (0.42, 0.36, 0.18, 0.04))[0]):
        tokens.append(t.male.draw(rng))
    if rng.random() < 0.06:
        tokens.append(rng.choice(("bin", "Bin", "ibn")))
        tokens.append(t.male.draw(rng))
    family = t.family.draw(rng)
    if rng.random() < 0.1:
        family = family.replace("Al-", rng.choice(("Al ", "al-", "El-")))
    return tokens + [family]


def _russian(t: Tradition, rng: random.Random, female: bool) -> list[str]:
    given = (t.female if female else t.male).draw(rng)
    family = t.family.draw(rng)
    if female and t.female_family:
        family = t.female_family(family)
    if t.patronymic is not None and rng.random() < 0.5:
        return [given, t.patronymic(t.male.draw(rng), female), family]
    return [given, family]


def _spanish(t: Tradition, rng: random.Random, female: bool) -> list[str]:
    pool = t.female if female else t.male
    given = [pool.draw(rng)] + ([pool.draw(rng)] if rng.random() < 0.4 else [])
    family = [t.family.draw(rng)] + ([t.family.draw(rng)] if rng.random() < 0.65 else [])
    if rng.random() < 0.05:
        family[-1] = rng.choice(("de ", "de la ", "del ")) + family[-1]
    name = given + family
    # Official lists drop the accents; a knowledge base keeps them.
    return [unidecode(w) for w in name] if rng.random() < 0.7 else name


def _surname_first(t: Tradition, rng: random.Random, female: bool) -> list[str]:
    """Korean and Chinese names: family name first, then the given name, most often."""
    given = (t.female if female else t.male).draw(rng)
    family = t.family.draw(rng)
    if t.name == "korean" and rng.random() < 0.3:
        given = given.replace("-", " " if rng.random() < 0.5 else "").title()
    return [given, family] if rng.random() < 0.25 else [family, given]


def _given_surname(t: Tradition, rng: random.Random, female: bool) -> list[str]:
    return [(t.female if female else t.male).draw(rng), t.family.draw(rng)]


def _russian_patronymic(father: str, female: bool) -> str:
    stem = father[:-1] if father.endswith(("y", "i", "a")) else father
    if father.endswith(("y", "i")):
        return stem + ("yevna" if female else "yevich")
    return stem + ("ovna" if female else "ovich")


def _russian_female(family: str) -> str:
    if family.endswith(("ov", "ev", "in", "yn")):
        return family + "a"
    if family.endswith("sky") or family.endswith("skiy"):
        return family.rsplit("sk", 1)[0] + "skaya"
    return family


# Respellings an alias may show, by tradition (lower case; applied at one or two places).
COMMON_RESPELLINGS = (
    ("ou", "u"), ("y", "i"), ("i", "y"), ("kh", "h"), ("ph", "f"), ("f", "ph"), ("v", "w"),
    ("z", "s"), ("s", "z"), ("c", "k"), ("k", "c"), ("ee", "i"), ("oo", "u"), ("e", "a"),
)  # fmt: skip
RESPELLINGS = {
    "arabic": (
        ("mohammed", "muhammad"), ("mohammed", "mohamed"), ("muhammad", "mohammad"),
        ("ahmed", "ahmad"), ("hussein", "husayn"), ("hussein", "hussain"), ("hassan", "hasan"),
        ("abdul ", "abd al-"), ("abdel", "abd al-"), ("al-", "al "), ("al-", "el-"),
        ("ou", "u"), ("ee", "i"), ("q", "k"), ("dh", "z"), ("th", "s"), ("e", "i"), ("o", "u"),
        ("ss", "s"), ("mm", "m"), ("y", "i"), ("aa", "a"), ("kh", "h"), ("sh", "ch"),
    ),
    "persian": (
        ("ou", "u"), ("ee", "i"), ("ei", "ey"), ("gh", "q"), ("kh", "h"), ("mohammad", "mohammed"),
        ("hossein", "hosein"), ("hossein", "husayn"), ("zadeh", "zade"), ("e", "a"), ("ss", "s"),
        ("y", "i"), ("a", "e"), ("v", "w"), ("ebrahim", "ibrahim"), ("esmaeil", "ismail"),
    ),
    "russian": (
        ("y", "i"), ("iy", "y"), ("ks", "x"), ("kh", "h"), ("ts", "tz"), ("ov", "off"),
        ("ev", "yev"), ("ev", "iev"), ("ye", "e"), ("yu", "iu"), ("ya", "ia"), ("zh", "j"),
        ("i", "y"), ("e", "ye"), ("sky", "ski"),
    ),
    "spanish": (
        ("z", "s"), ("s", "z"), ("v", "b"), ("b", "v"), ("ll", "y"), ("y", "i"), ("j", "h"),
        ("c", "k"), ("qu", "k"), ("n", "nn"),
    ),
    "korean": (
        ("eo", "o"), ("o", "eo"), ("u", "oo"), ("ch", "j"), ("j", "ch"), ("k", "g"),
        ("g", "k"), ("b", "p"), ("p", "b"), ("r", "l"), ("lee", "yi"), ("lee", "ri"),
        ("park", "pak"), ("choi", "choe"), ("jung", "chung"), ("-", " "), ("-", ""),
    ),
    "chinese": (
        ("x", "hs"), ("zh", "ch"), ("q", "ch"), ("z", "ts"), ("ong", "ung"), ("ui", "uei"),
        ("ie", "ieh"), ("i", "ee"), ("j", "ch"),
    ),
    "japanese": (("ou", "o"), ("o", "ou"), ("uu", "u"), ("shi", "si"), ("tsu", "tu"), ("ji", "zi")),
}  # fmt: skip


def _traditions() -> list[Tradition]:
    ru_male = [cyrillic(w) for w in _faker("ru_RU", "first_names_male")]
    ru_female = [cyrillic(w) for w in _faker("ru_RU", "first_names_female")]
    ru_family = [cyrillic(w) for w in _faker("ru_RU", "last_names_male")]  # by frequency
    uk_male = [cyrillic(w) for w in _faker("uk_UA", "first_names_male")]
    uk_family = [cyrillic(w) for w in _faker("uk_UA", "last_names_common")]
    bg_family = [cyrillic(w) for w in _faker("bg_BG", "last_names_male")]
    dz_male = _faker("fr_DZ", "first_names_male")
    dz_family = _faker("fr_DZ", "last_names")
    pk_names = _faker("en_PK", "first_names")
    pk_family = _faker("en_PK", "last_names")
    arabic_al = ["Al-" + w for w in ARABIC_MALE + dz_male[:60]]
    persian_derived = [
        p.rstrip("e") + s for p in PERSIAN_MALE[:40] for s in PERSIAN_SUFFIXES if len(p) <= 7
    ]
    zh = importlib.import_module("faker.providers.person.zh_CN").Provider
    zh_syllables = [pinyin(c) for c in zh.first_names if len(c) == 1]
    zh_given = list(
        dict.fromkeys(a + b.lower() for a, b in itertools.product(zh_syllables[:40], repeat=2))
    )
    zh_family = [pinyin(c) for c in zh.last_names]
    ko = importlib.import_module("faker.providers.person.ko_KR").Provider
    western_male = (
        _faker("en_US", "first_names_male", by_weight=True)
        + _faker("de_DE", "first_names_male")
        + _faker("fr_FR", "first_names_male")
        + _faker("it_IT", "first_names_male")
        + _faker("nl_NL", "first_names_male")
        + _faker("pt_BR", "first_names_male")
    )
    western_female = (
        _faker("en_US", "first_names_female", by_weight=True)
        + _faker("de_DE", "first_names_female")
        + _faker("fr_FR", "first_names_female")
        + _faker("it_IT", "first_names_female")
    )
    western_family = (
        _faker("en_US", "last_names", by_weight=True)
        + _faker("de_DE", "last_names")
        + _faker("fr_FR", "last_names")
        + _faker("it_IT", "last_names")
        + _faker("nl_NL", "last_names")
        + _faker("pt_BR", "last_names")
    )
    common = COMMON_RESPELLINGS
    return [
        Tradition(
            "arabic", 0.20,
            Pool(ARABIC_MALE, dz_male + pk_names),
            Pool(ARABIC_FEMALE, _faker("fr_DZ", "first_names_female")),
            Pool(ARABIC_FAMILY, dz_family + pk_family + arabic_al, exponent=0.8),
            _arabic, RESPELLINGS["arabic"], female_share=0.1,
        ),
        Tradition(
            "persian", 0.08,
            Pool(PERSIAN_MALE), Pool(PERSIAN_FEMALE),
            Pool(PERSIAN_FAMILY, persian_derived, exponent=0.8),
            _given_family, RESPELLINGS["persian"], female_share=0.1,
        ),
        Tradition(
            "russian", 0.12,
            Pool(RUSSIAN_MALE_HEAD, ru_male + uk_male),
            Pool(RUSSIAN_FEMALE_HEAD, ru_female),
            Pool(ru_family, uk_family + bg_family, exponent=0.8),
            _russian, RESPELLINGS["russian"],
            female_family=_russian_female, patronymic=_russian_patronymic,
        ),
        Tradition(
            "central_asian", 0.05,
            Pool(TURKIC_MALE_HEAD[-4:], _faker("uz_UZ", "first_names_male")
                 + [latin(w) for w in _faker("az_AZ", "first_names_male")]
                 + [georgian(w) for w in _faker("ka_GE", "first_names_male")]),
            Pool(
                [latin(w) for w in _faker("uz_UZ", "first_names_female")]
                + [georgian(w) for w in _faker("ka_GE", "first_names_female")]
            ),
            Pool(
                _faker("uz_UZ", "last_names_male")
                + [latin(w) for w in _faker("az_AZ", "last_names_male", "last_names_unisex")]
                + [georgian(w) for w in _faker("ka_GE", "last_names")]
                + [latin(w).replace("w", "v") for w in _faker("hy_AM", "last_names")],
                exponent=0.7,
            ),
            _russian, RESPELLINGS["russian"], female_family=_russian_female,
        ),
        Tradition(
            "spanish", 0.13,
            Pool(SPANISH_MALE_HEAD, _faker("es_MX", "first_names_male")
                 + _faker("es_CO", "first_names_male") + _faker("es_ES", "first_names_male")),
            Pool(SPANISH_FEMALE_HEAD, _faker("es_MX", "first_names_female")
                 + _faker("es_CO", "first_names_female")),
            Pool(SPANISH_FAMILY_HEAD, _faker("es_MX", "last_names") + _faker("es_CO", "last_names")
                 + _faker("es_ES", "last_names"), exponent=0.9),
            _spanish, RESPELLINGS["spanish"],
        ),
        Tradition(
            "chinese", 0.05,
            Pool(zh_syllables[:25], zh_given), Pool(zh_given[::-1]),
            Pool(zh_family, exponent=1.1),
            _surname_first, RESPELLINGS["chinese"],
        ),
        Tradition(
            "korean", 0.05,
            Pool([hangul(w) for w in ko.first_names_male]),
            Pool([hangul(w) for w in ko.first_names_female]),
            Pool(KOREAN_FAMILY, exponent=1.2),
            _surname_first, RESPELLINGS["korean"],
        ),
        Tradition(
            "japanese", 0.02,
            Pool(_faker("ja_JP", "first_romanized_names_male")),
            Pool(_faker("ja_JP", "first_romanized_names_female")),
            Pool(_faker("ja_JP", "last_romanized_names")),  # by frequency
            _given_surname, RESPELLINGS["japanese"],
        ),
        Tradition(
            "hebrew", 0.03,
            Pool(HEBREW_MALE), Pool(HEBREW_FEMALE), Pool(HEBREW_FAMILY, exponent=0.8),
            _given_family, common,
        ),
        Tradition(
            "turkish", 0.03,
            Pool(TURKIC_MALE_HEAD[:-4], [latin(w) for w in _faker("tr_TR", "first_names_male")]),
            Pool([latin(w) for w in _faker("tr_TR", "first_names_female")]),
            Pool([latin(w) for w in _faker("tr_TR", "last_names")]
                 + [latin(w) for w in _faker("az_AZ", "last_names_unisex")], exponent=0.8),
            _given_family, common,
        ),
        Tradition(
            "western", 0.13,
            Pool(WESTERN_MALE_HEAD, western_male), Pool(western_female),
            Pool(western_family, exponent=0.7),
            _given_family, common, female_share=0.3,
        ),
        Tradition(
            "east_european", 0.03,
            Pool(_faker("hr_HR", "first_names_male") + _faker("cs_CZ", "first_names_male")
                 + _faker("ro_RO", "first_names_male") + _faker("pl_PL", "first_names_male")),
            Pool(_faker("hr_HR", "first_names_female") + _faker("ro_RO", "first_names_female")),
            Pool(_faker("hr_HR", "last_names") + _faker("cs_CZ", "last_names")
                 + _faker("ro_RO", "last_names") + bg_family, exponent=0.6),
            _given_surname, common,
        ),
        Tradition(
            "south_asian", 0.04,
            Pool(SOUTH_ASIAN_MALE_HEAD, _faker("en_IN", "first_names_male") + pk_names),
            Pool(_faker("en_IN", "first_names_female")),
            Pool(SOUTH_ASIAN_FAMILY_HEAD, _faker("en_IN", "last_names") + pk_family),
            _given_family, RESPELLINGS["arabic"], female_share=0.15,
        ),
        Tradition(
            "african", 0.02,
            Pool(_faker("yo_NG", "first_names_male") + _faker("ha_NG", "first_names_male")
                 + _faker("sw", "first_names_male") + _faker("zu_ZA", "first_names_male")),
            Pool(_faker("yo_NG", "first_names_female") + _faker("sw", "first_names_female")),
            Pool(_faker("yo_NG", "last_names") + _faker("ha_NG", "last_names")
                 + _faker("sw", "last_names") + _faker("zu_ZA", "last_names")),
            _given_family, common,
        ),
        Tradition(
            "southeast_asian", 0.02,
            Pool([latin(w) for w in _faker("vi_VN", "first_names_male")]
                 + _faker("id_ID", "first_names_male")),
            Pool([latin(w) for w in _faker("vi_VN", "first_names_female")]
                 + _faker("id_ID", "first_names_female")),
            Pool([latin(w) for w in _faker("vi_VN", "last_names")]
                 + _faker("id_ID", "last_names"), exponent=1.2),
            _given_family, common,
        ),
    ]  # fmt: skip


def respell(name: str, rules: Sequence[tuple[str, str]], rng: random.Random) -> str | None:
    """``name`` with one or two of ``rules`` applied where they fit, case kept; None when
    none fits."""
    low = name.lower()
    spots = [(m.start(), a, b) for a, b in rules for m in re.finditer(re.escape(a), low)]
    if not spots:
        return None
    out = name
    for start, old, new in sorted(rng.sample(spots, min(len(spots), rng.choice((1, 1, 2)))))[::-1]:
        written = out[start : start + len(old)]
        if written.lower() != old:  # overlapped by the other change
            continue
        if written.isupper() and len(written) > 1:
            new = new.upper()
        elif written[:1].isupper():
            new = new[:1].upper() + new[1:]
        out = out[:start] + new + out[start + len(old) :]
    out = " ".join(out.split())
    return out if out != name and len(out) > 2 else None


def _person_alias(t: Tradition, tokens: list[str], rng: random.Random, female: bool) -> str:
    name = " ".join(tokens)
    kind = rng.choices(
        ("respell", "shorter", "longer", "unrelated", "nickname", "title", "initial"),
        (40, 15, 8, 15, 8, 5, 9),
    )[0]
    if kind == "shorter" and len(tokens) >= 3:
        return f"{tokens[0]} {tokens[-1]}"
    if kind == "longer":
        return " ".join(tokens[:-1] + [t.male.draw(rng), tokens[-1]])
    if kind == "unrelated":
        return " ".join(t.shape(t, rng, female))
    if kind == "nickname":
        if t.name in ("arabic", "persian", "south_asian") and rng.random() < 0.5:
            return "Abu " + t.male.draw(rng)  # a kunya: "father of ..."
        return GENERIC_WORDS.draw(rng).upper()
    if kind == "title" and t.name in TITLES:
        return f"{rng.choice(TITLES[t.name])} {name}"
    if kind == "initial" and len(tokens) >= 3:
        middle = rng.randrange(1, len(tokens) - 1)
        return " ".join(tokens[:middle] + [tokens[middle][0] + "."] + tokens[middle + 1 :])
    return respell(name, t.respellings, rng) or respell(name, COMMON_RESPELLINGS, rng) or name


def _alias_count(rng: random.Random, counts: Sequence[int]) -> int:
    drawn = rng.choices(range(len(counts)), counts)[0]
    # The last share is "that many or more": a few entities have many names.
    return drawn if drawn < len(counts) - 1 else drawn + int(rng.expovariate(1 / 2.5))


def _aliases(name: str, count: int, make: Callable[[], str]) -> list[str]:
    """Up to ``count`` distinct aliases from ``make``, none written like the name."""
    seen = {name.casefold()}
    aliases: list[str] = []
    for _ in range(count * 3):
        if len(aliases) == count:
            break
        alias = make()
        if alias.casefold() not in seen and len(alias.strip()) > 1:
            seen.add(alias.casefold())
            aliases.append(alias)
    return aliases


# --- organizations ----------------------------------------------------------------------

# Organization words, most common first (general knowledge of company registers and lists).
ACTIVITIES = Pool(
    (
        "TRADING INTERNATIONAL GENERAL INDUSTRIAL SHIPPING INVESTMENT TECHNOLOGY ENGINEERING "
        "CONSTRUCTION DEVELOPMENT PETROLEUM OIL ENERGY ELECTRONICS SERVICES LOGISTICS "
        "COMMERCIAL MARITIME CHEMICAL MINING METALS STEEL AVIATION TRANSPORT FINANCIAL "
        "EXCHANGE SECURITY POWER MACHINERY EQUIPMENT PHARMACEUTICAL MEDICAL TEXTILE "
        "AGRICULTURAL FOOD TRAVEL TOURISM CONSULTING MANAGEMENT SUPPLY MARINE TANKER "
        "NAVIGATION AIR ELECTRIC SCIENCE TECH SYSTEMS SOLUTIONS RESOURCES PROPERTIES "
        "CAPITAL INSURANCE COMMUNICATIONS TELECOM MEDIA PRINTING FISHERIES GOLD DIAMOND "
        "CEMENT RUBBER TIMBER AUTOMOTIVE PLASTICS PAPER IMPORT EXPORT BUSINESS GAS "
        "PETROCHEMICAL REFINING ELECTRICITY GENERATION WATER CARGO FREIGHT AIRLINES "
        "MANUFACTURING PRODUCTION RESEARCH SOFTWARE DEFENSE AEROSPACE NUCLEAR"
    ).split(),
    exponent=0.8,
)
ACTIVITY_WORDS = frozenset(ACTIVITIES.words)
DESCRIPTIVE = Pool(
    (
        "GOLDEN UNITED GLOBAL NEW GREAT EASTERN WESTERN NORTHERN SOUTHERN CENTRAL ROYAL "
        "NATIONAL ISLAMIC ARAB ASIA EURO PACIFIC ATLANTIC ORIENT STAR SUN CRESCENT PEARL "
        "SILVER GREEN BLUE RED WHITE BLACK FIRST ALLIED MODERN SUPREME DELTA ALPHA OMEGA "
        "NOBLE PRIME OCEAN SKY EAGLE LION FALCON PHOENIX"
    ).split()
)
KINDS = Pool(
    (
        "COMPANY GROUP CORPORATION CO ENTERPRISES INDUSTRIES HOLDING BANK FOUNDATION "
        "ORGANIZATION AGENCY ESTABLISHMENT FIRM BROTHERS ASSOCIATION CENTER INSTITUTE "
        "COMPLEX FACTORY PLANT BUREAU OFFICE UNION COOPERATIVE TRUST FUND AUTHORITY "
        "COMMITTEE COUNCIL PARTNERS VENTURES HOLDINGS ENTERPRISE"
    ).split()
)
LEGAL_FORMS = Pool(
    (
        "LTD|LLC|LIMITED|CO. LTD.|CO.|CO., LTD|INC|S.A.|JSC|CORP|GMBH|FZE|FZCO|S.A. DE C.V.|"
        "PJSC|OJSC|CJSC|LLP|PLC|S.R.L.|SDN BHD|PTE LTD|PVT LTD|B.V.|SARL|LTDA|A.S.|S.P.A.|AG|"
        "S.A.S.|DMCC|W.L.L.|FZ-LLC|PTY LTD|KFT|SP. Z O.O."
    ).split("|")
)
PLACES = Pool(
    (
        "DUBAI|IRAN|CHINA|HONG KONG|KOREA|SYRIA|RUSSIA|SHANGHAI|SHENZHEN|TEHRAN|MOSCOW|BEIJING|"
        "PERSIA|EMIRATES|GULF|LEBANON|BEIRUT|DAMASCUS|BAGHDAD|IRAQ|YEMEN|SUDAN|LIBYA|TRIPOLI|"
        "CAIRO|TURKEY|ISTANBUL|PANAMA|VENEZUELA|CARACAS|MEXICO|SINALOA|COLOMBIA|CUBA|HAVANA|"
        "PYONGYANG|SINGAPORE|MALAYSIA|CYPRUS|LIMASSOL|MALTA|LATVIA|RIGA|UKRAINE|CRIMEA|"
        "BELARUS|MINSK|KAZAKHSTAN|TASHKENT|BAKU|TBILISI|YEREVAN|KABUL|KARACHI|LAHORE|DELHI|"
        "MUMBAI|DHAKA|BANGKOK|YANGON|BURMA|HANOI|JAKARTA|MANILA|TAIPEI|TOKYO|VLADIVOSTOK|"
        "ST. PETERSBURG|ISFAHAN|SHIRAZ|TABRIZ|MASHHAD|BANDAR ABBAS|KISH|ASIA|EUROPE|AFRICA|"
        "MIDDLE EAST|LONDON|GENEVA|ZURICH|VIENNA|HAMBURG|ROTTERDAM|ATHENS|PIRAEUS|SOFIA|"
        "BELGRADE|AMMAN|DOHA|QATAR|KUWAIT|BAHRAIN|MUSCAT|JEDDAH|RIYADH|SHARJAH|AJMAN|"
        "ABU DHABI|KHARTOUM|MOGADISHU|NAIROBI|KAMPALA|KINSHASA|LAGOS|HARARE|MANAGUA|"
        "GUATEMALA|BOGOTA|MEDELLIN|LIMA|QUITO|GUADALAJARA|TIJUANA|MONTERREY|CULIACAN|"
        "DALIAN|TIANJIN|GUANGZHOU|XIAMEN|NINGBO|QINGDAO|NAMPO|CHONGJIN|SINUIJU|LATAKIA"
    ).split("|"),
    exponent=0.7,
)
# Words of company names in other languages, in Latin letters (general knowledge).
LOCAL_WORDS = {
    "spanish": Pool(
        "COMERCIALIZADORA INVERSIONES CONSTRUCTORA GRUPO DISTRIBUIDORA SERVICIOS INMOBILIARIA "
        "AGROPECUARIA TRANSPORTES EXPORTADORA IMPORTADORA DESARROLLOS CASA DE CAMBIO "
        "PROMOTORA OPERADORA SOCIEDAD COMERCIAL INDUSTRIAS".split()
    ),
    "russian": Pool(
        "STROI PROM NEFT GAZ TRANS BANK TEKH ENERGO INVEST SNAB TORG MASH AVIA KHIM MET "
        "SERVIS LES AGRO TELEKOM".split()
    ),
    "persian": Pool(
        "SANAT TEJARAT GOSTAR PARS SAZEH NAFT KHODRO BARGH PETRO MOHANDESI BAZARGANI SAZAN "
        "NAVGAN SANAYE TOSEE ARYA NOVIN PAYA KAVOSH".split()
    ),
    "russian_forms": Pool("OOO AO ZAO OAO PAO NPO TORGOVY DOM NPP GUP FGUP".split("|")[0].split()),
}
MINISTRY_OF = Pool(
    "DEFENSE|INTERIOR|FINANCE|INTELLIGENCE|OIL|PETROLEUM|ENERGY|INDUSTRY|FOREIGN AFFAIRS|"
    "ECONOMY|STATE SECURITY|AGRICULTURE|TRANSPORT|COMMUNICATIONS|HEALTH|JUSTICE|"
    "DEFENSE AND ARMED FORCES LOGISTICS|INDUSTRY AND MINES".split("|")
)
GROUP_WORDS = Pool(
    "FRONT BRIGADE MOVEMENT ARMY BATTALION PARTY CARTEL ORGANIZATION NETWORK FORCES".split()
)
GROUP_CAUSES = Pool(
    "LIBERATION RESISTANCE MARTYRS REVOLUTIONARY ISLAMIC POPULAR NATIONAL DEMOCRATIC "
    "PATRIOTIC UNITY JUSTICE VICTORY".split()
)
ORDINALS = ("1ST", "2ND", "3RD") + tuple(f"{n}TH" for n in range(4, 120))
GENERIC_WORDS = CoinedPool(0, "generic")
CONNECTORS = frozenset({"OF", "AND", "&", "THE", "DE", "FOR", "-", "E"})


@dataclass
class OrgName:
    """An organization's name in parts, so that aliases can drop or change one."""

    words: list[str]  # the name without its legal form
    legal: str = ""  # the legal form, written after the name
    place: str = ""  # a place word in ``words``, which a short form may drop
    # The style that made it: an unrelated alias (a former name) is of the same style.
    style: Callable[[random.Random], OrgName] | None = None

    def text(self, legal_first: bool = False) -> str:
        if legal_first and self.legal:
            return f"{self.legal} {' '.join(self.words)}"
        return " ".join(self.words + ([self.legal] if self.legal else []))


class Organizations:
    """Organization names of several styles, from the pools above and coined brand words."""

    def __init__(self, seed: int, traditions: Sequence[Tradition]) -> None:
        self.brands = {
            flavour: CoinedPool(seed, flavour) for flavour in ("generic", "chinese", "korean")
        }
        self.families = {t.name: t.family for t in traditions}
        self.styles: list[tuple[Callable[[random.Random], OrgName], float]] = [
            (self._international, 30),
            (self._family_firm, 10),
            (self._arabic, 8),
            (self._persian, 8),
            (self._russian, 9),
            (self._chinese, 9),
            (self._spanish, 7),
            (self._korean, 4),
            (self._bank, 5),
            (self._ministry, 2),
            (self._foundation, 3),
            (self._armed_group, 3),
            (self._numbered_unit, 2),
        ]

    def brand(self, rng: random.Random, flavour: str = "generic") -> str:
        roll = rng.random()
        if roll < 0.6 or flavour != "generic":
            return self.brands[flavour].draw(rng).upper()
        if roll < 0.75:
            return DESCRIPTIVE.draw(rng)
        if roll < 0.9:
            return self.families[rng.choice(list(self.families))].draw(rng).upper()
        return PLACES.draw(rng)

    def make(self, rng: random.Random) -> OrgName:
        style = rng.choices([s for s, _ in self.styles], [w for _, w in self.styles])[0]
        org = style(rng)
        org.style = style
        return org

    def _activities(self, rng: random.Random, most: int = 2) -> list[str]:
        return [ACTIVITIES.draw(rng) for _ in range(rng.choice((0, 1, 1, 1, 2, 2)[: most * 3]))]

    def _legal(self, rng: random.Random, share: float = 0.55) -> str:
        return LEGAL_FORMS.draw(rng) if rng.random() < share else ""

    def _international(self, rng: random.Random) -> OrgName:
        if rng.random() < 0.08:  # a brand alone, as many firms are listed
            return OrgName([self.brand(rng)])
        place = PLACES.draw(rng) if rng.random() < 0.25 else ""
        words = ([place] if place else []) + [self.brand(rng)]
        if rng.random() < 0.2:
            words.append(self.brand(rng))
        words += self._activities(rng)
        legal = self._legal(rng)
        if not legal or rng.random() < 0.5:
            words.append(KINDS.draw(rng))
        return OrgName(words, legal, place)

    def _family_firm(self, rng: random.Random) -> OrgName:
        family = self.families[rng.choice(list(self.families))].draw(rng).upper()
        words = (
            [family]
            + self._activities(rng, 1)
            + [rng.choice(("GROUP", "& SONS", "BROTHERS", "COMPANY", "HOLDING"))]
        )
        return OrgName(words, self._legal(rng, 0.4))

    def _arabic(self, rng: random.Random) -> OrgName:
        name = (
            "AL-" + self.brand(rng)
            if rng.random() < 0.6
            else self.families["arabic"].draw(rng).upper()
        )
        lead = rng.choice(("", "", "", "SHARIKAT", "MUASSASAT", "DAR"))
        words = ([lead] if lead else []) + [name] + self._activities(rng)
        words.append(rng.choice(("COMPANY", "EST.", "ESTABLISHMENT", "GROUP", "EXCHANGE", "")))
        return OrgName([w for w in words if w], self._legal(rng, 0.35))

    def _persian(self, rng: random.Random) -> OrgName:
        words = [self.brand(rng), LOCAL_WORDS["persian"].draw(rng)]
        if rng.random() < 0.4:
            words.append(LOCAL_WORDS["persian"].draw(rng))
        if rng.random() < 0.3:
            words = ["SHERKAT-E"] + words
        else:
            words += self._activities(rng, 1) + [
                rng.choice(("COMPANY", "CO", "INDUSTRIES", "GROUP"))
            ]
        place = PLACES.draw(rng) if rng.random() < 0.15 else ""
        return OrgName(([place] if place else []) + words, self._legal(rng, 0.2), place)

    def _russian(self, rng: random.Random) -> OrgName:
        stem = self.brand(rng)
        if rng.random() < 0.5:
            stem += LOCAL_WORDS["russian"].draw(rng)
        words = [stem] + (self._activities(rng, 1) if rng.random() < 0.4 else [])
        if rng.random() < 0.3:
            words.append(rng.choice(("ZAVOD", "KOMBINAT", "KONTSERN", "HOLDING")))
        legal = LOCAL_WORDS["russian_forms"].draw(rng) if rng.random() < 0.6 else self._legal(rng)
        return OrgName(words, legal)

    def _chinese(self, rng: random.Random) -> OrgName:
        place = PLACES.draw(rng) if rng.random() < 0.6 else ""
        words = ([place] if place else []) + [self.brand(rng, "chinese")]
        if rng.random() < 0.3:
            words.append("(HK)")
        words += self._activities(rng)
        legal = rng.choice(("CO., LTD.", "CO., LIMITED", "CO. LTD", "LIMITED", "CORPORATION"))
        return OrgName(words, legal, place)

    def _spanish(self, rng: random.Random) -> OrgName:
        words = [LOCAL_WORDS["spanish"].draw(rng), self.brand(rng)]
        if rng.random() < 0.3:
            words += ["DEL", PLACES.draw(rng)]
        legal = rng.choice(("S.A. DE C.V.", "S.A.", "LTDA", "S.A.S.", "S. DE R.L. DE C.V.", ""))
        return OrgName(words, legal)

    def _korean(self, rng: random.Random) -> OrgName:
        words = ["KOREA"] if rng.random() < 0.5 else []
        words += [self.brand(rng, "korean")] + self._activities(rng)
        words.append(rng.choice(("CORPORATION", "COMPANY", "GENERAL CORPORATION", "BANK")))
        return OrgName(words, "", "KOREA" if words[0] == "KOREA" else "")

    def _bank(self, rng: random.Random) -> OrgName:
        brand = self.brand(rng)
        bank = rng.choice(
            (
                [brand, "BANK"],
                ["BANK", brand],
                [brand, "ISLAMIC", "BANK"],
                [brand, "COMMERCIAL", "BANK"],
            )
        )
        place = PLACES.draw(rng)
        if rng.random() < 0.4:
            return OrgName(bank + [place, "BRANCH"], "", place)
        return OrgName(bank, self._legal(rng, 0.3))

    def _ministry(self, rng: random.Random) -> OrgName:
        words = ["MINISTRY", "OF", MINISTRY_OF.draw(rng)]
        return OrgName(words + (["OF", PLACES.draw(rng)] if rng.random() < 0.3 else []))

    def _foundation(self, rng: random.Random) -> OrgName:
        name = self.brand(rng)
        return OrgName(
            rng.choice(
                (
                    [name, "FOUNDATION"],
                    [name, "CHARITABLE", "FOUNDATION"],
                    ["FOUNDATION", "FOR", "THE", ACTIVITIES.draw(rng), "OF", PLACES.draw(rng)],
                    [name, rng.choice(("RELIEF", "CHARITY", "WELFARE")), "ORGANIZATION"],
                )
            )
        )

    def _armed_group(self, rng: random.Random) -> OrgName:
        place = PLACES.draw(rng)
        words = rng.choice(
            (
                [place, GROUP_CAUSES.draw(rng), GROUP_WORDS.draw(rng)],
                [GROUP_CAUSES.draw(rng), GROUP_WORDS.draw(rng), "OF", place],
                [self.brand(rng), GROUP_WORDS.draw(rng)],
                ["AL-" + self.brand(rng), GROUP_CAUSES.draw(rng), GROUP_WORDS.draw(rng)],
            )
        )
        return OrgName(words, "", place if place in words else "")

    def _numbered_unit(self, rng: random.Random) -> OrgName:
        unit = rng.choice(("CENTER", "INSTITUTE", "DIVISION", "REGIMENT", "PLANT", "DEPARTMENT"))
        return OrgName([rng.choice(ORDINALS), ACTIVITIES.draw(rng), unit])


LEGAL_VARIANTS = {
    "LTD": "LIMITED", "LIMITED": "LTD", "CO. LTD.": "COMPANY LIMITED", "CO., LTD": "CO LTD",
    "CO.": "COMPANY", "CORP": "CORPORATION", "INC": "INCORPORATED", "S.A.": "SA",
    "JSC": "OJSC", "CJSC": "ZAO", "OOO": "LLC", "ZAO": "CJSC", "AO": "JSC", "OAO": "OJSC",
    "PJSC": "PAO", "GMBH": "GESELLSCHAFT MBH", "CO., LTD.": "COMPANY LIMITED",
    "CO., LIMITED": "CO LTD", "S.A. DE C.V.": "SA DE CV", "FZE": "FZCO", "LLC": "L.L.C.",
}  # fmt: skip
WORD_VARIANTS = (
    ("COMPANY", "CO"), ("CORPORATION", "CORP"), ("INTERNATIONAL", "INTL"), (" AND ", " & "),
    ("CENTER", "CENTRE"), ("ORGANIZATION", "ORGANISATION"), ("TRADING", "TRADE"),
    ("INDUSTRIAL", "INDUSTRY"), ("ENGINEERING", "ENG."), ("TECHNOLOGY", "TECH"),
    ("ESTABLISHMENT", "EST."), ("GENERAL", "GEN."), ("PETROLEUM", "PETROL"), ("AL-", "AL "),
    ("AL-", "EL-"), ("K", "Q"), ("OU", "U"), ("Y", "I"), ("I", "Y"), ("KH", "H"),
)  # fmt: skip


def acronym(words: Sequence[str]) -> str:
    return "".join(w[0] for w in words if w not in CONNECTORS and w[:1].isalnum())


def _org_alias(org: OrgName, orgs: Organizations, rng: random.Random) -> str:
    kind = rng.choices(
        ("acronym", "no_legal", "other_legal", "legal_first", "partial", "variant", "unrelated"),
        (16, 12, 10, 6, 12, 22, 22),
    )[0]
    if kind == "acronym" and len(acronym(org.words)) >= 2:
        return acronym(org.words)
    if kind == "no_legal" and org.legal:
        return " ".join(org.words)
    if kind == "other_legal" and org.legal:
        return OrgName(org.words, LEGAL_VARIANTS.get(org.legal, LEGAL_FORMS.draw(rng))).text()
    if kind == "legal_first" and org.legal:
        return org.text(legal_first=True)
    if kind == "partial" and len(org.words) >= 3:
        # Without its place or one activity word; never without the distinctive word, as an
        # alias of only generic words ("TRADING COMPANY") is no one's.
        generic = [i for i, w in enumerate(org.words) if w in ACTIVITY_WORDS]
        if org.place:
            return OrgName([w for w in org.words if w != org.place], org.legal).text()
        if generic:
            cut = rng.choice(generic)
            return OrgName(org.words[:cut] + org.words[cut + 1 :], org.legal).text()
    other = (org.style or orgs.make)(rng).text()
    if kind == "unrelated":
        return other
    return respell(org.text(), WORD_VARIANTS, rng) or other


# --- the table --------------------------------------------------------------------------


def generate(count: int, seed: int = 7) -> Iterator[Entity]:
    """``count`` distractor entities, ids ``synth-<n>``, the same for a seed."""
    rng = random.Random(seed)
    traditions = _traditions()
    weights = [t.weight for t in traditions]
    orgs = Organizations(seed, traditions)
    for index in range(count):
        entity_id = f"{PREFIX}{index:07d}"
        if rng.random() < PERSON_SHARE:
            t = rng.choices(traditions, weights)[0]
            female = rng.random() < t.female_share
            tokens = t.shape(t, rng, female)
            name = " ".join(tokens)
            count_ = _alias_count(rng, PERSON_ALIAS_COUNTS)
            aliases = _aliases(name, count_, partial(_person_alias, t, tokens, rng, female))
            yield {"id": entity_id, "name": name, "type": "person", "aliases": aliases}
        else:
            org = orgs.make(rng)
            name = org.text()
            count_ = _alias_count(rng, ORG_ALIAS_COUNTS)
            aliases = _aliases(name, count_, partial(_org_alias, org, orgs, rng))
            yield {"id": entity_id, "name": name, "type": "organization", "aliases": aliases}


def stats(entities: Iterable[Entity]) -> dict[str, Any]:
    """Shape statistics of a table: type mix, share with aliases, mean aliases, tokens per
    name, and the most common tokens (how much names share)."""
    by_type: dict[str, list[Entity]] = {}
    for entity in entities:
        by_type.setdefault(entity["type"], []).append(entity)
    total = sum(len(v) for v in by_type.values())
    out: dict[str, Any] = {"entities": total}
    for kind, group in sorted(by_type.items()):
        lengths = Counter(min(len(e["name"].split()), 8) for e in group)
        tokens = Counter(w.casefold() for e in group for w in e["name"].split())
        out[kind] = {
            "share": round(len(group) / total, 3),
            "with aliases": round(sum(bool(e["aliases"]) for e in group) / len(group), 3),
            "mean aliases": round(sum(len(e["aliases"]) for e in group) / len(group), 2),
            "tokens": {n: round(lengths[n] / len(group), 3) for n in sorted(lengths)},
            "distinct tokens per name": round(len(tokens) / len(group), 2),
            "top token shares": [(w, round(c / len(group), 3)) for w, c in tokens.most_common(12)],
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("count", type=int, help="how many distractor entities")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--stats", action="store_true", help="print shape statistics instead")
    parser.add_argument("--compare", type=Path, help="with --stats: also this table's")
    args = parser.parse_args()
    entities = generate(args.count, args.seed)
    if not args.stats:
        for entity in entities:
            sys.stdout.write(json.dumps(entity, ensure_ascii=False) + "\n")
        return
    print(json.dumps({"distractors": stats(entities)}, ensure_ascii=False))
    if args.compare:
        with args.compare.open(encoding="utf-8") as lines:
            table = [json.loads(line) for line in lines if line.strip()]
        print(json.dumps({str(args.compare): stats(table)}, ensure_ascii=False))


if __name__ == "__main__":
    main()
