#!/usr/bin/env python3
"""Deterministic multi-source synthetic customer data with exact ground truth.

Usage:
    python3 tools/gen_customers.py N [--seed 1] [--out FILE.csv]

Writes N records to FILE.csv (default ``customers_N_seedS.csv`` in the current
directory), the same summary to ``FILE.meta.json`` and one JSON summary line
to stdout. Python 3.11 standard library only; the output depends on N and
--seed alone (every random draw comes from one ``random.Random(seed)``; no set
or hash order is ever iterated).

Model
-----
*Persons.* The generator draws "units" until it has N records. A unit is
one person (most of them) or a group of distinct persons that a matcher must
keep apart (hard negatives):

- household: 2-4 people sharing surname, address and home phone (sometimes a
  family e-mail such as familie.mueller@web.de), with different given names
  and birth dates; in Spanish, Persian and Chinese households a spouse keeps
  his or her own surname, children take the father's;
- twins: same surname, birth date, address and home phone, different (often
  similar) given names: Ali / Alp, Hasan / Hüseyin, Max / Moritz;
- father and son (English, Spanish, German): same full name and address,
  birth dates 22-38 years apart, the son sometimes "Jr" / "jun.";
- common name: a person whose name is one of the culture's most common
  (Mehmet Yılmaz, Mohammad Hosseini, Wang Wei, María García, Michael Müller,
  John Smith) with independent birth date, city and e-mail.

Each unit belongs to one of six cultures, in roughly equal shares: Turkish
(TR), Persian (IR), German (DE), Spanish (ES), Chinese (CN, pinyin) and English
(US or GB). Names are drawn from frequency-ordered lists (Zipf weights), so
ordinary name collisions between distinct people happen too.

*Records.* A person has 1-4 records (P = .65/.20/.10/.05, so about 35% of
persons have more than one). Each record comes from a source system
(billing, crm, support, newsletter, survey) with its own habits: how often it
keeps only a full name, knows the birth date, the address, the phone, the
national id, the employer. The first record of a person (``rec-<e>-org``) is
rendered from the person's canonical data; every other record
(``rec-<e>-dup-<k>``) additionally gets 1-4 corruption kinds:

  typo_name        insert / delete / substitute (keyboard neighbour) / transpose
  typo_street      the same in the street name
  nickname         Robert -> Bob, Francisco -> Paco, Johannes -> Hannes
  name_swap        given and family name exchanged (fields, or full-name order)
  translit         script, transliteration and case: Şükrü Yılmaz / Sukru
                   Yilmaz / YILMAZ; محمد حسینی / Mohammad Hosseini / Muhammad
                   Husseini, ي/ك for ی/ک; Müller / Mueller / MULLER; José /
                   Jose; Xiaoming / Xiao Ming / Xiao-Ming, Lü / Lv
  surname_variant  García López -> García; Schmidt-Hoffmann -> Schmidt;
                   Hosseinzadeh -> Hossein Zadeh; maiden + married surname
  middle_name      second given name dropped or added; "Mª José"; "Seyed"
  missing_fields   1-3 more fields left empty
  moved_address    an earlier address of the same person
  address_abbrev   Caddesi/Cad., Straße/Str., Calle/C/, Lu/Road, Street/St,
                   Khiaban-e Valiasr / Valiasr St., city and state spellings
  email_variant    case, +tag, gmail dots, googlemail.com
  email_other      another address of the person: work, second or family
  phone_other      the person's other number (home vs mobile, or an old one)
  dob_swap         day and month exchanged (only when both are <= 12)
  dob_digit        one digit of the birth date changed (still a valid date)
  ssn_digit        one digit of the national id changed

Independently of corruptions every record picks its own phone format
(E.164, national, with brackets ...), national-id and postcode format, and
the source decides whether given_name + surname or only full_name is filled
("Wang Wei", "Wei Wang", "Yılmaz, Mehmet", "WANG Xiaoming").

Ground truth: two records are the same person iff their rec_ids share the
entity number. The summary counts records, entities, true pairs, records per
culture / country / source, corruption kinds applied and hard-negative groups.

Columns: rec_id, source, given_name, surname, full_name, email, phone,
street_number, address_1, address_2, suburb (city), postcode, state (region),
country (ISO 3166 alpha-2), date_of_birth (YYYY-MM-DD or empty), soc_sec_id,
company. Empty string = missing. Phone numbers, national ids (TC Kimlik,
kodmelli, Sozialversicherungsnummer, DNI, resident id, SSN, NINO) and postcodes
follow each country's real structure and check digits, before corruption.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import time
import unicodedata
from datetime import date

REF_DATE = date(2024, 6, 30)

COLUMNS = [
    "rec_id", "source", "given_name", "surname", "full_name", "email", "phone",
    "street_number", "address_1", "address_2", "suburb", "postcode", "state",
    "country", "date_of_birth", "soc_sec_id", "company",
]

CULTURES = ["TR", "IR", "DE", "ES", "CN", "EN"]

# Source systems: weight, P(full name only), P(birth date), P(email),
# P(phone), (P(full address), P(city + postcode only)), P(national id),
# P(company, when the person has one).
SOURCES = ["billing", "crm", "support", "newsletter", "survey"]
SOURCE_WEIGHTS = [25, 30, 20, 12, 13]
PROFILE = {
    "billing":    dict(full_only=0.10, dob=0.08, email=0.85, phone=0.85, addr=(0.95, 0.03), ssn=0.40, company=0.60),
    "crm":        dict(full_only=0.05, dob=0.80, email=0.90, phone=0.85, addr=(0.85, 0.10), ssn=0.45, company=0.80),
    "support":    dict(full_only=0.65, dob=0.25, email=0.92, phone=0.75, addr=(0.40, 0.15), ssn=0.10, company=0.40),
    "newsletter": dict(full_only=0.60, dob=0.04, email=1.00, phone=0.12, addr=(0.05, 0.25), ssn=0.00, company=0.15),
    "survey":     dict(full_only=0.20, dob=0.60, email=0.85, phone=0.40, addr=(0.30, 0.40), ssn=0.05, company=0.30),
}

RECORDS_PER_PERSON = [1, 2, 3, 4]
RECORDS_PER_PERSON_W = [65, 20, 10, 5]
CORRUPTION_COUNT = [1, 2, 3, 4]
CORRUPTION_COUNT_W = [40, 35, 18, 7]

KINDS = [
    ("typo_name", 14), ("typo_street", 5), ("nickname", 9), ("name_swap", 5),
    ("translit", 16), ("surname_variant", 6), ("middle_name", 5),
    ("missing_fields", 9), ("moved_address", 6), ("address_abbrev", 8),
    ("email_variant", 10), ("email_other", 5), ("phone_other", 5),
    ("dob_swap", 3), ("dob_digit", 4), ("ssn_digit", 3),
]

UNIT_TYPES = ["single", "household", "twins", "father_son", "common"]
UNIT_WEIGHTS = [80, 7, 3, 3, 7]


def cum(n: int, s: float = 0.9) -> list[float]:
    """Cumulative Zipf weights for a frequency-ordered list of length n."""
    out, total = [], 0.0
    for i in range(n):
        total += 1.0 / (i + 1) ** s
        out.append(total)
    return out


def words(text: str) -> list[str]:
    return text.split()


# ---------------------------------------------------------------------------
# Text helpers
# ---------------------------------------------------------------------------

TR_ASCII = str.maketrans({
    "ç": "c", "ğ": "g", "ı": "i", "İ": "I", "ö": "o", "ş": "s", "ü": "u",
    "Ç": "C", "Ğ": "G", "Ö": "O", "Ş": "S", "Ü": "U", "â": "a", "Â": "A",
    "î": "i", "û": "u",
})
DE_EXPAND = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})
DE_STRIP = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "Ä": "A", "Ö": "O", "Ü": "U", "ß": "ss"})
AR_VARIANT = str.maketrans({"ی": "ي", "ک": "ك"})
FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ZWNJ = "\u200c"


def tr_ascii(s: str) -> str:
    return s.translate(TR_ASCII)


def tr_upper(s: str) -> str:
    return s.replace("i", "İ").replace("ı", "I").upper()


def strip_accents(s: str) -> str:
    if s.isascii():
        return s
    s = s.replace("ß", "ss").replace("ı", "i")
    d = unicodedata.normalize("NFD", s)
    return unicodedata.normalize("NFC", "".join(c for c in d if not unicodedata.combining(c)))


def ascii_key(s: str) -> str:
    """Lower-case ASCII letters and digits only (for e-mail local parts)."""
    s = strip_accents(s).lower()
    return "".join(c for c in s if c.isascii() and c.isalnum())


KEYBOARD = {
    "q": "wa", "w": "qes", "e": "wrd", "r": "etf", "t": "ryg", "y": "tuh", "u": "yij", "i": "uok",
    "o": "ipl", "p": "ol", "a": "qsz", "s": "awdz", "d": "sefx", "f": "drgc", "g": "fthv",
    "h": "gyjb", "j": "hukn", "k": "jilm", "l": "kop", "z": "asx", "x": "zsdc", "c": "xdfv",
    "v": "cfgb", "b": "vghn", "n": "bhjm", "m": "njk",
}
LATIN = "abcdefghijklmnopqrstuvwxyz"
PERSIAN_LETTERS = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"


def typo(rng: random.Random, s: str, alphabet: str = LATIN) -> str:
    """One keyboard-style error: insert, delete, substitute or transpose."""
    pos_all = [i for i, c in enumerate(s) if c.isalpha()]
    if len(pos_all) < 3:
        return s
    for _ in range(6):
        op = rng.choices(("ins", "del", "sub", "tra"), (2, 2, 3, 2))[0]
        pos = rng.choice(pos_all[1:]) if rng.random() < 0.85 else pos_all[0]
        c = s[pos]
        low = c.lower()
        if low in KEYBOARD and rng.random() < 0.7:
            new = rng.choice(KEYBOARD[low])
        else:
            new = rng.choice(alphabet)
        if c.isupper():
            new = new.upper()
        if op == "ins":
            out = s[:pos] + new + s[pos:]
        elif op == "del":
            out = s[:pos] + s[pos + 1:]
        elif op == "sub":
            out = s[:pos] + new + s[pos + 1:]
        else:
            if pos + 1 >= len(s) or not s[pos + 1].isalpha():
                continue
            x, y = s[pos + 1], s[pos]
            # keep the capitalisation where it was: "Sattar" -> "aSttar" is no typist's error
            x = x.upper() if s[pos].isupper() else ("i" if x == "İ" else x.lower())
            y = y.upper() if s[pos + 1].isupper() else ("i" if y == "İ" else y.lower())
            out = s[:pos] + x + y + s[pos + 2:]
        if out != s:
            return out
    return s


def digits(rng: random.Random, n: int, first: str = "0123456789") -> str:
    return rng.choice(first) + "".join(rng.choice("0123456789") for _ in range(n - 1))


# ---------------------------------------------------------------------------
# Culture data: names
# ---------------------------------------------------------------------------

TR_MALE = words("""Mehmet Mustafa Ahmet Ali Hüseyin Hasan İbrahim İsmail Osman Yusuf Murat Ömer
Ramazan Halil Süleyman Abdullah Mahmut Recep Salih Fatih Kadir Emre Hakan Burak Serkan Şükrü
Gökhan Uğur Erdoğan Çağlar Barış Oğuz Tuncay Volkan Kemal Cem Alp Doğan Yiğit Eren Emir Çetin
Ümit Ercan Sinan Tolga Orhan Selim Kerem Berk Fikret İlker""")
TR_FEMALE = words("""Fatma Ayşe Emine Hatice Zeynep Elif Meryem Şerife Zehra Sultan Hanife Merve
Özlem Esra Büşra Gülsüm Hülya Yasemin Derya Gül Sevgi Ebru Şule Tuğba Dilek Gülşen Nur Çiğdem
Songül Aslı İrem Ceren Damla Gizem Öykü Şeyma Kübra Nazlı Pınar Sibel""")
TR_SURNAMES = words("""Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan
Doğan Kılıç Aslan Çetin Kara Koç Kurt Özkan Şimşek Polat Özcan Korkmaz Çakır Erdoğan Yavuz Can
Acar Şen Aktaş Güler Yalçın Güneş Bozkurt Bulut Keskin Ünal Turan Gül Özer İnce Uçar Tekin
Kahraman Sarı Işık Güven Akın Tuncer Ateş Karakaya Erdem Kocabaş Altın Bayram Türkmen Özgür
Uysal Işıkdoğan Çiftçi""")
TR_TWINS = [("Hasan", "Hüseyin"), ("Ahmet", "Mehmet"), ("Ali", "Alp"), ("Ayşe", "Fatma"),
            ("Elif", "Eda"), ("Emre", "Eren"), ("Ece", "Ela")]
TR_COMMON = [("Mehmet", "Yılmaz"), ("Ahmet", "Kaya"), ("Mustafa", "Demir"), ("Ayşe", "Yılmaz"),
             ("Fatma", "Kaya"), ("Mehmet", "Demir")]

# Persian: (Arabic-script spelling, Latin transliterations, most usual first)
IR_MALE = [
    ("محمد", ["Mohammad", "Mohammed", "Muhammad", "Mohamad", "Mohamed"]),
    ("علی", ["Ali"]),
    ("حسین", ["Hossein", "Hosein", "Hussein", "Husain"]),
    ("رضا", ["Reza", "Rezā"]),
    ("مهدی", ["Mehdi", "Mahdi"]),
    ("حسن", ["Hassan", "Hasan"]),
    ("امیر", ["Amir"]),
    ("احمد", ["Ahmad", "Ahmed"]),
    ("مصطفی", ["Mostafa", "Mustafa", "Moustafa"]),
    ("سعید", ["Saeed", "Saeid", "Said"]),
    ("حمید", ["Hamid"]),
    ("مجید", ["Majid", "Majeed"]),
    ("جواد", ["Javad", "Jawad"]),
    ("عباس", ["Abbas"]),
    ("مرتضی", ["Morteza", "Mortaza"]),
    ("ابراهیم", ["Ebrahim", "Ibrahim"]),
    ("اسماعیل", ["Esmaeil", "Esmail", "Ismail"]),
    ("یوسف", ["Yousef", "Yusef", "Yousof"]),
    ("کاظم", ["Kazem", "Kazim"]),
    ("مجتبی", ["Mojtaba", "Mujtaba"]),
    ("هادی", ["Hadi"]),
    ("نوید", ["Navid", "Naveed"]),
    ("فرهاد", ["Farhad"]),
    ("بابک", ["Babak"]),
    ("آرش", ["Arash"]),
    ("داریوش", ["Dariush", "Daryoush", "Daryush"]),
    ("کوروش", ["Kourosh", "Kurosh", "Koorosh"]),
    ("سیاوش", ["Siavash", "Siavosh", "Siyavash"]),
    ("مسعود", ["Masoud", "Masood", "Masud"]),
    ("منصور", ["Mansour", "Mansur"]),
    ("بهزاد", ["Behzad"]),
    ("پیام", ["Payam"]),
    ("امید", ["Omid"]),
    ("کریم", ["Karim"]),
    ("امین", ["Amin"]),
    ("مهران", ["Mehran"]),
    ("احسان", ["Ehsan"]),
    ("میلاد", ["Milad"]),
    ("سینا", ["Sina"]),
    ("پویا", ["Pouya", "Pooya", "Puya"]),
    ("پارسا", ["Parsa"]),
    ("پرهام", ["Parham"]),
    ("نیما", ["Nima"]),
]
IR_FEMALE = [
    ("فاطمه", ["Fatemeh", "Fatima", "Fateme", "Fatemah"]),
    ("زهرا", ["Zahra"]),
    ("مریم", ["Maryam", "Mariam"]),
    ("زینب", ["Zeinab", "Zeynab", "Zainab"]),
    ("معصومه", ["Masoumeh", "Masumeh", "Masoume"]),
    ("نرگس", ["Narges", "Nargis"]),
    ("لیلا", ["Leila", "Leyla", "Layla"]),
    ("سمیه", ["Somayeh", "Somaye", "Sumayeh"]),
    ("فرشته", ["Fereshteh", "Fereshte"]),
    ("شیرین", ["Shirin"]),
    ("نسرین", ["Nasrin", "Nasreen"]),
    ("پریسا", ["Parisa"]),
    ("مهسا", ["Mahsa"]),
    ("سارا", ["Sara", "Sarah"]),
    ("نیلوفر", ["Niloufar", "Niloofar", "Nilufar"]),
    ("آزاده", ["Azadeh", "Azade"]),
    ("الهام", ["Elham"]),
    ("مینا", ["Mina"]),
    ("رویا", ["Roya"]),
    ("شبنم", ["Shabnam"]),
    ("گلناز", ["Golnaz"]),
    ("پروانه", ["Parvaneh", "Parvane"]),
    ("مهناز", ["Mahnaz"]),
    ("سمیرا", ["Samira"]),
    ("هدی", ["Hoda"]),
    ("یاسمن", ["Yasaman", "Yasamin"]),
    ("نگین", ["Negin"]),
    ("عاطفه", ["Atefeh", "Atefe"]),
    ("مرضیه", ["Marzieh", "Marziyeh"]),
    ("طاهره", ["Tahereh", "Tahere"]),
    ("مونا", ["Mona"]),
    ("سحر", ["Sahar"]),
]
# Compound male given names, written joined in Persian script (محمدرضا).
IR_COMPOUNDS = [("Mohammad", "Reza"), ("Ali", "Reza"), ("Mohammad", "Ali"), ("Amir", "Hossein"),
                ("Mohammad", "Hossein"), ("Mohammad", "Mehdi")]
IR_SURNAMES = [
    ("حسینی", ["Hosseini", "Hoseini", "Husseini", "Hosseyni"]),
    ("محمدی", ["Mohammadi", "Mohamadi", "Muhammadi"]),
    ("احمدی", ["Ahmadi"]),
    ("رضایی", ["Rezaei", "Rezaee", "Rezai", "Rezayi"]),
    ("موسوی", ["Mousavi", "Musavi", "Moosavi"]),
    ("کریمی", ["Karimi"]),
    ("جعفری", ["Jafari", "Jaafari", "Ja'fari"]),
    ("قاسمی", ["Ghasemi", "Qasemi", "Ghassemi"]),
    ("صادقی", ["Sadeghi", "Sadeqi"]),
    ("کاظمی", ["Kazemi"]),
    ("حیدری", ["Heidari", "Heydari", "Haidari"]),
    ("هاشمی", ["Hashemi"]),
    ("ابراهیمی", ["Ebrahimi", "Ibrahimi"]),
    ("باقری", ["Bagheri", "Baqeri"]),
    ("یوسفی", ["Yousefi", "Yusefi", "Yousofi"]),
    ("حسین" + ZWNJ + "زاده", ["Hosseinzadeh", "Hoseinzadeh", "Husseinzadeh"]),
    ("نجفی", ["Najafi"]),
    ("اکبری", ["Akbari"]),
    ("مرادی", ["Moradi", "Muradi"]),
    ("رحیمی", ["Rahimi"]),
    ("عباسی", ["Abbasi", "Abasi"]),
    ("امینی", ["Amini"]),
    ("نوری", ["Nouri", "Noori", "Nuri"]),
    ("صالحی", ["Salehi"]),
    ("محمدزاده", ["Mohammadzadeh", "Mohamadzadeh"]),
    ("تهرانی", ["Tehrani", "Teherani"]),
    ("علوی", ["Alavi"]),
    ("زمانی", ["Zamani"]),
    ("سلطانی", ["Soltani", "Sultani"]),
    ("عزیزی", ["Azizi"]),
    ("رستمی", ["Rostami"]),
    ("شیرازی", ["Shirazi"]),
    ("اصفهانی", ["Esfahani", "Isfahani"]),
    ("قربانی", ["Ghorbani", "Qorbani"]),
    ("اسدی", ["Asadi"]),
    ("میرزایی", ["Mirzaei", "Mirzaee", "Mirzai"]),
    ("شریفی", ["Sharifi"]),
    ("بهرامی", ["Bahrami"]),
    ("فراهانی", ["Farahani"]),
    ("کریم" + ZWNJ + "پور", ["Karimpour", "Karimpur"]),
    ("علی" + ZWNJ + "پور", ["Alipour", "Alipur"]),
    ("رحیم" + ZWNJ + "نژاد", ["Rahimnejad", "Rahimnezhad"]),
]
IR_TWINS = [("Hassan", "Hossein"), ("Amir", "Amin"), ("Mina", "Mona"), ("Sara", "Sahar"),
            ("Parsa", "Parham"), ("Ali", "Reza")]
IR_COMMON = [("Mohammad", "Hosseini"), ("Ali", "Mohammadi"), ("Fatemeh", "Ahmadi"),
             ("Zahra", "Hosseini"), ("Mohammad", "Rezaei"), ("Ali", "Ahmadi")]
IR_BY_LATIN = {e[1][0]: e for e in IR_MALE + IR_FEMALE}
IR_SUR_BY_LATIN = {e[1][0]: e for e in IR_SURNAMES}

DE_MALE = words("""Michael Thomas Andreas Stefan Peter Klaus Wolfgang Jürgen Frank Uwe Bernd
Christian Matthias Markus Sebastian Alexander Tobias Jan Lukas Jonas Maximilian Felix Johannes
Friedrich Josef Heinrich Wilhelm Günther Dieter Hans Karl Ulrich Gerhard Björn Jörg Sören
Florian Tim Niklas Leon Moritz Paul Ralf Dirk Holger Rüdiger Joachim Horst Manfred""")
DE_FEMALE = words("""Sabine Petra Monika Ursula Andrea Claudia Susanne Stefanie Katharina Julia
Anna Lena Laura Sarah Lea Hanna Sophie Marie Elisabeth Margarete Gabriele Birgit Karin Renate
Ingrid Brigitte Jutta Heike Martina Gisela Käthe Bärbel Franziska Johanna Charlotte Nicole
Simone Tanja Christiane Dörte Ute Jana Paula""")
DE_COMPOUND_M = ["Hans-Peter", "Karl-Heinz", "Hans-Jürgen", "Klaus-Dieter", "Hans-Georg"]
DE_COMPOUND_F = ["Anna-Lena", "Marie-Luise", "Eva-Maria", "Ann-Kathrin", "Anne-Sophie"]
DE_SURNAMES = words("""Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann
Schäfer Koch Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann
Hartmann Lange Schmitt Werner Schmitz Krause Meier Lehmann Schmid Schulze Maier Köhler Herrmann
König Walter Mayer Huber Kaiser Fuchs Peters Lang Scholz Möller Weiß Jung Hahn Schubert Vogel
Friedrich Keller Günther Frank Berger Winkler Roth Beck Lorenz Baumann Franke Albrecht Schuster
Simon Ludwig Böhm Winter Kraus Martin Schumacher Krämer Vogt Stein Jäger Otto Sommer Groß Seidel
Heinrich Brandt Haas Schreiber Graf Schulte Dietrich Ziegler Kuhn Kühn Pohl Engel Horn Busch
Bergmann Voigt Sauer Arnold Wolff Pfeiffer""")
DE_TWINS = [("Max", "Moritz"), ("Lukas", "Lena"), ("Jonas", "Jana"), ("Paul", "Paula"),
            ("Tim", "Tom"), ("Hanna", "Lena")]
DE_COMMON = [("Michael", "Müller"), ("Thomas", "Schmidt"), ("Andreas", "Schneider"),
             ("Sabine", "Müller"), ("Stefan", "Fischer")]
DE_NICK = {
    "Johannes": ["Hannes", "Hans"], "Friedrich": ["Fritz"], "Wolfgang": ["Wolf", "Wolfi"],
    "Josef": ["Sepp", "Jupp"], "Margarete": ["Grete", "Gretel"], "Elisabeth": ["Lisa", "Liesel"],
    "Heinrich": ["Heinz"], "Wilhelm": ["Willi"], "Katharina": ["Kathi", "Katja"],
    "Andreas": ["Andi"], "Matthias": ["Matze"], "Sebastian": ["Basti"], "Alexander": ["Alex"],
    "Michael": ["Michi"], "Ulrich": ["Uli"], "Gerhard": ["Gerd"], "Franziska": ["Franzi"],
    "Susanne": ["Susi"], "Gabriele": ["Gabi"], "Ursula": ["Uschi"], "Maximilian": ["Max"],
    "Johanna": ["Hanna"], "Christian": ["Chris"], "Stefanie": ["Steffi"], "Christiane": ["Christel"],
    "Joachim": ["Achim", "Jochen"], "Karl": ["Kalle"], "Tobias": ["Tobi"], "Florian": ["Flo"],
    "Sabine": ["Bine"], "Monika": ["Moni"], "Charlotte": ["Lotte"], "Ingrid": ["Inge"],
    "Thomas": ["Tom"], "Julia": ["Jule"],
}

ES_MALE = ["José", "Antonio", "Manuel", "Francisco", "Juan", "David", "Javier", "Jesús", "Daniel",
           "Carlos", "Miguel", "Alejandro", "Rafael", "Pedro", "Ángel", "Pablo", "Fernando", "Sergio",
           "Luis", "Jorge", "Alberto", "Álvaro", "Diego", "Adrián", "Raúl", "Enrique", "Ramón",
           "Vicente", "Ignacio", "Joaquín", "Andrés", "Eduardo", "Guillermo", "Santiago", "Salvador",
           "Rubén", "Óscar", "Iván", "Hugo", "Gonzalo", "Roberto", "Rodrigo", "Sebastián"]
ES_MALE_COMPOUND = ["José Luis", "José Antonio", "Juan Carlos", "José Manuel", "Francisco Javier",
                    "Juan José", "José María", "Miguel Ángel", "Juan Antonio"]
ES_FEMALE = ["María", "Carmen", "Ana", "Isabel", "Laura", "Cristina", "Marta", "Dolores", "Pilar",
             "Lucía", "Paula", "Elena", "Raquel", "Sara", "Manuela", "Mercedes", "Rosario",
             "Concepción", "Teresa", "Francisca", "Josefa", "Guadalupe", "Montserrat", "Inmaculada",
             "Encarnación", "Consuelo", "Sofía", "Marina", "Beatriz", "Nuria", "Silvia", "Patricia",
             "Rocío", "Alba", "Irene", "Andrea", "Inés", "Julia"]
ES_FEMALE_COMPOUND = ["María José", "María del Carmen", "María Dolores", "María Isabel",
                      "María Teresa", "María Luisa", "Ana Isabel", "María Pilar", "María Ángeles"]
ES_SURNAMES = ["García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez",
               "Pérez", "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz",
               "Álvarez", "Romero", "Alonso", "Gutiérrez", "Navarro", "Torres", "Domínguez",
               "Vázquez", "Ramos", "Gil", "Ramírez", "Serrano", "Blanco", "Molina", "Morales",
               "Suárez", "Ortega", "Delgado", "Castro", "Ortiz", "Rubio", "Marín", "Sanz", "Núñez",
               "Iglesias", "Medina", "Garrido", "Cortés", "Castillo", "Santos", "Lozano", "Guerrero",
               "Cano", "Prieto", "Méndez", "Cruz", "Calvo", "Gallego", "Vidal", "León", "Márquez",
               "Herrera", "Peña", "Flores", "Cabrera", "Campos", "Vega", "Fuentes", "Carrasco",
               "Díez", "Caballero", "Reyes", "Nieto", "Aguilar", "Pascual", "Santana", "Herrero",
               "Lorenzo", "Montero", "Hidalgo", "Giménez", "Ibáñez", "Ferrer", "Durán", "Benítez",
               "Mora", "Vargas", "Arias", "Carmona", "Crespo", "Román", "Pastor", "Soto", "Sáez",
               "Velasco", "Moya", "Soler", "Parra", "Esteban", "Bravo", "Gallardo", "Rojas"]
ES_TWINS = [("Juan", "Juana"), ("Francisco", "Francisca"), ("Pablo", "Paula"), ("Marta", "María"),
            ("Daniel", "David"), ("Javier", "Jorge")]
ES_COMMON = [("María", "García"), ("José", "García"), ("Antonio", "Fernández"), ("Carmen", "López"),
             ("Manuel", "González")]
ES_NICK = {
    "Francisco": ["Paco", "Pancho", "Curro", "Fran"], "José": ["Pepe"], "Dolores": ["Lola"],
    "Guadalupe": ["Lupe"], "Ignacio": ["Nacho"], "Enrique": ["Quique"],
    "Concepción": ["Concha", "Conchita"], "Manuel": ["Manolo"], "Jesús": ["Chus", "Chucho"],
    "Rosario": ["Charo"], "Mercedes": ["Merche"], "Montserrat": ["Montse"], "Pilar": ["Pili"],
    "Antonio": ["Toni", "Toño"], "Alejandro": ["Álex"], "Guillermo": ["Guille"],
    "Fernando": ["Nando", "Fer"], "Eduardo": ["Edu"], "Rafael": ["Rafa"], "Santiago": ["Santi"],
    "Joaquín": ["Quino"], "Salvador": ["Salva"], "Francisca": ["Paqui", "Paca"], "Josefa": ["Pepa"],
    "Inmaculada": ["Inma"], "Encarnación": ["Encarna"], "Consuelo": ["Chelo"], "Teresa": ["Tere"],
    "Daniel": ["Dani"], "Beatriz": ["Bea"], "Cristina": ["Cris"], "Isabel": ["Isa", "Chabela"],
    "Gonzalo": ["Gonza"], "Vicente": ["Chente"], "Rodrigo": ["Rodri"], "Pedro": ["Perico"],
    "Javier": ["Javi"], "Sebastián": ["Sebas"], "Alberto": ["Beto"], "Ramón": ["Moncho"],
    "José María": ["Chema"], "María Isabel": ["Maribel"], "María Teresa": ["Maite"],
    "María Luisa": ["Marisa"], "José Luis": ["Joselu"],
    "María del Carmen": ["Mari Carmen", "Maricarmen", "Mamen"],
}

CN_SURNAMES = [["Wang"], ["Li"], ["Zhang"], ["Liu"], ["Chen"], ["Yang"], ["Huang"], ["Zhao"], ["Wu"],
               ["Zhou"], ["Xu"], ["Sun"], ["Ma"], ["Zhu"], ["Hu"], ["Guo"], ["He"], ["Gao"], ["Lin"],
               ["Luo"], ["Zheng"], ["Liang"], ["Xie"], ["Song"], ["Tang"], ["Han"], ["Feng"], ["Deng"],
               ["Cao"], ["Peng"], ["Zeng"], ["Xiao"], ["Tian"], ["Dong"], ["Pan"], ["Yuan"], ["Cai"],
               ["Jiang"], ["Yu"], ["Du"], ["Ye"], ["Cheng"], ["Wei"], ["Su"], ["Lü", "Lv", "Lyu", "Lu"],
               ["Ding"], ["Ren"], ["Shen"], ["Yao"], ["Lu"], ["Cui"], ["Zhong"], ["Tan"], ["Fan"],
               ["Jin"], ["Shi"], ["Ouyang", "Ou-Yang", "Ou Yang"]]
CN_MALE = ["Wei", "Jie", "Tao", "Lei", "Qiang", "Jun", "Yong", "Jian", "Gang", "Hao", "Bin", "Chao",
           "Ming", "Peng", "Hui", "Feng", "Long", "Bo", "Xiao ming", "Jian guo", "Zhi qiang",
           "Jian hua", "Guo qiang", "Hai tao", "Jun jie", "Zi hao", "Yu xuan", "Hao ran", "Yi chen",
           "Zhi wei", "Wen bo", "Jia hao", "Tian yu", "Hao yu", "Zi xuan", "Jun hao", "Wei dong",
           "Xiao long"]
CN_FEMALE = ["Na", "Fang", "Min", "Jing", "Li", "Yan", "Juan", "Xia", "Ying", "Hong", "Ping", "Lan",
             "Xiao hong", "Li hua", "Mei ling", "Xiu ying", "Yu ting", "Xin yi", "Zi han", "Yu tong",
             "Jing jing", "Li li", "Yan yan", "Xiao yan", "Hui min", "Qiu yue", "Yu han", "Shu fen",
             "Xiao li", "Ya ting", "Jing yi"]
CN_TWINS = [("Xiao ming", "Xiao hong"), ("Wei", "Wen"), ("Hao ran", "Hao yu"), ("Jing jing", "Jing yi"),
            ("Yu xuan", "Yu han")]
CN_COMMON = [("Wei", "Wang"), ("Na", "Li"), ("Wei", "Zhang"), ("Fang", "Wang"), ("Jing", "Li"),
             ("Yang", "Liu")]

EN_MALE = words("""James John Robert Michael William David Richard Joseph Thomas Charles Christopher
Daniel Matthew Anthony Mark Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy
Ronald Edward Jason Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin Scott
Brandon Benjamin Samuel Gregory Alexander Patrick Frank Raymond Jack Dennis Oliver Harry Henry
Peter Alfred Frederick Albert Theodore Gerald Walter Leonard Lawrence""")
EN_FEMALE = words("""Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Nancy
Margaret Lisa Betty Dorothy Sandra Ashley Kimberly Donna Emily Michelle Carol Amanda Melissa
Deborah Stephanie Rebecca Laura Sharon Cynthia Kathleen Amy Shirley Angela Helen Anna Brenda
Pamela Nicole Katherine Catherine Samantha Christine Victoria Rachel Olivia Charlotte Abigail
Alexandra Jacqueline Judith Frances Theresa Virginia Josephine Eleanor Penelope Harriet Matilda
Isabella""")
EN_SURNAMES = words("""Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas
Moore Jackson Martin Lee Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright
Scott Hill Green Adams Baker Nelson Carter Mitchell Roberts Turner Phillips Campbell Parker Evans
Edwards Collins Stewart Morris Murphy Cook Rogers Morgan Cooper Peterson Reed Bailey Bell Kelly
Howard Ward Cox Richardson Wood Watson Brooks Bennett Gray Hughes Price Sanders Patel Walsh
O'Brien O'Connor O'Neill McDonald MacLeod Fitzgerald Davies Jenkins Lloyd Owen Hall Knight""")
EN_TWINS = [("Daniel", "Danielle"), ("John", "Joan"), ("Michael", "Michelle"), ("Ethan", "Evan"),
            ("Emma", "Ella"), ("Olivia", "Sophia")]
EN_COMMON = [("John", "Smith"), ("Michael", "Smith"), ("Mary", "Johnson"), ("James", "Williams"),
             ("David", "Jones")]
EN_NICK = {
    "Robert": ["Bob", "Bobby", "Rob", "Robbie"], "William": ["Bill", "Billy", "Will", "Liam"],
    "Elizabeth": ["Liz", "Beth", "Betty", "Lizzie", "Eliza"], "Katherine": ["Kate", "Kathy", "Katie", "Kat"],
    "Catherine": ["Cathy", "Kate", "Katie"], "James": ["Jim", "Jimmy", "Jamie"], "John": ["Jack", "Johnny"],
    "Richard": ["Rick", "Dick", "Rich", "Ricky"], "Michael": ["Mike", "Mick", "Mikey"],
    "Joseph": ["Joe", "Joey"], "Thomas": ["Tom", "Tommy"], "Charles": ["Charlie", "Chuck"],
    "Christopher": ["Chris", "Kit"], "Daniel": ["Dan", "Danny"], "Matthew": ["Matt"],
    "Anthony": ["Tony"], "Donald": ["Don", "Donnie"], "Steven": ["Steve"], "Stephen": ["Steve"],
    "Andrew": ["Andy", "Drew"], "Joshua": ["Josh"], "Kenneth": ["Ken", "Kenny"],
    "Edward": ["Ed", "Eddie", "Ted", "Ned"], "Jeffrey": ["Jeff"], "Timothy": ["Tim"],
    "Ronald": ["Ron", "Ronnie"], "Nicholas": ["Nick", "Nicky"], "Jonathan": ["Jon", "Jonny"],
    "Lawrence": ["Larry"], "Benjamin": ["Ben", "Benny"], "Samuel": ["Sam", "Sammy"],
    "Gregory": ["Greg"], "Alexander": ["Alex", "Sandy"], "Patrick": ["Pat", "Paddy"],
    "Raymond": ["Ray"], "Gerald": ["Gerry", "Jerry"], "Frederick": ["Fred", "Freddie"],
    "Albert": ["Al", "Bert"], "Alfred": ["Alf", "Alfie", "Fred"], "Theodore": ["Ted", "Theo"],
    "Walter": ["Walt", "Wally"], "Leonard": ["Len", "Lenny"], "Henry": ["Harry", "Hank"],
    "Peter": ["Pete"], "Oliver": ["Ollie"], "Margaret": ["Maggie", "Peggy", "Meg", "Madge"],
    "Patricia": ["Pat", "Patty", "Trish"], "Jennifer": ["Jen", "Jenny"], "Susan": ["Sue", "Susie"],
    "Jessica": ["Jess", "Jessie"], "Deborah": ["Deb", "Debbie"], "Rebecca": ["Becky", "Becca"],
    "Dorothy": ["Dot", "Dottie"], "Kimberly": ["Kim"], "Pamela": ["Pam"], "Nicole": ["Nikki"],
    "Samantha": ["Sam"], "Christine": ["Chris", "Chrissy", "Tina"], "Victoria": ["Vicky", "Tori"],
    "Abigail": ["Abby"], "Alexandra": ["Alex", "Lexi", "Sandy"], "Jacqueline": ["Jackie"],
    "Judith": ["Judy"], "Frances": ["Fran", "Fanny"], "Theresa": ["Tess", "Terri"],
    "Virginia": ["Ginny"], "Josephine": ["Jo", "Josie"], "Eleanor": ["Ellie", "Nell", "Nora"],
    "Penelope": ["Penny"], "Harriet": ["Hattie"], "Matilda": ["Tilly"], "Isabella": ["Izzy", "Bella"],
    "Mary": ["Molly", "Polly"], "Barbara": ["Barb", "Babs"], "Cynthia": ["Cindy"],
    "Kathleen": ["Kathy", "Kate"], "Angela": ["Angie"], "Helen": ["Nell"], "Amanda": ["Mandy"],
    "Melissa": ["Mel", "Missy"], "Stephanie": ["Steph"], "Sandra": ["Sandy"],
    "Charlotte": ["Lottie", "Charlie"], "Olivia": ["Liv"], "Emily": ["Emmie"],
}

# ---------------------------------------------------------------------------
# Culture data: places. Cities are frequency-ordered.
# ---------------------------------------------------------------------------

# (city, province, plate code for postcodes, landline area codes)
TR_CITIES = [
    ("İstanbul", "İstanbul", "34", ["212", "216"]), ("Ankara", "Ankara", "06", ["312"]),
    ("İzmir", "İzmir", "35", ["232"]), ("Bursa", "Bursa", "16", ["224"]),
    ("Antalya", "Antalya", "07", ["242"]), ("Adana", "Adana", "01", ["322"]),
    ("Konya", "Konya", "42", ["332"]), ("Gaziantep", "Gaziantep", "27", ["342"]),
    ("Kayseri", "Kayseri", "38", ["352"]), ("Eskişehir", "Eskişehir", "26", ["222"]),
    ("Mersin", "Mersin", "33", ["324"]), ("Diyarbakır", "Diyarbakır", "21", ["412"]),
    ("Samsun", "Samsun", "55", ["362"]), ("Trabzon", "Trabzon", "61", ["462"]),
    ("Gebze", "Kocaeli", "41", ["262"]), ("İzmit", "Kocaeli", "41", ["262"]),
    ("Denizli", "Denizli", "20", ["258"]), ("Şanlıurfa", "Şanlıurfa", "63", ["414"]),
    ("Malatya", "Malatya", "44", ["422"]), ("Erzurum", "Erzurum", "25", ["442"]),
    ("Alanya", "Antalya", "07", ["242"]), ("Bodrum", "Muğla", "48", ["252"]),
    ("Çorlu", "Tekirdağ", "59", ["282"]),
]
TR_STREETS = [("Atatürk", "C"), ("Cumhuriyet", "C"), ("İstiklal", "C"), ("Bağdat", "C"),
              ("Gazi Mustafa Kemal", "B"), ("Fevzi Çakmak", "C"), ("İnönü", "C"), ("Menderes", "C"),
              ("Kıbrıs Şehitleri", "C"), ("Cengiz Topel", "C"), ("Barbaros", "B"), ("Halaskargazi", "C"),
              ("Gül", "S"), ("Lale", "S"), ("Papatya", "S"), ("Menekşe", "S"), ("Çınar", "S"),
              ("Okul", "S"), ("Camii", "S"), ("Değirmen", "S"), ("Yıldız", "S"), ("Şehit Er Ali Çelik", "S"),
              ("Ziya Gökalp", "C"), ("Mithatpaşa", "C")]
TR_TYPE = {"C": ("Caddesi", ["Cad.", "Cd."]), "S": ("Sokak", ["Sk.", "Sok."]), "B": ("Bulvarı", ["Bulv.", "Blv."])}
TR_MAHALLE = ["Cumhuriyet", "Atatürk", "Fatih", "Merkez", "Bahçelievler", "Yenişehir", "Kızılay",
              "Osmangazi", "Hürriyet", "Mimar Sinan", "Esentepe", "Çamlıca", "Barbaros", "Güzelyalı",
              "Yeni", "İstiklal", "Gültepe", "Karşıyaka"]

# (city Arabic script, Latin spellings, province Arabic, province Latin spellings,
#  postcode prefixes, landline area code)
IR_CITIES = [
    ("تهران", ["Tehran", "Teheran"], "تهران", ["Tehran"], ["13", "14", "15", "16", "17", "19"], "21"),
    ("مشهد", ["Mashhad", "Mashad"], "خراسان رضوی", ["Razavi Khorasan", "Khorasan-e Razavi"], ["91"], "51"),
    ("اصفهان", ["Isfahan", "Esfahan"], "اصفهان", ["Isfahan", "Esfahan"], ["81"], "31"),
    ("کرج", ["Karaj"], "البرز", ["Alborz"], ["31"], "26"),
    ("شیراز", ["Shiraz"], "فارس", ["Fars"], ["71"], "71"),
    ("تبریز", ["Tabriz"], "آذربایجان شرقی", ["East Azerbaijan", "Azarbayjan-e Sharghi"], ["51"], "41"),
    ("قم", ["Qom", "Ghom"], "قم", ["Qom", "Ghom"], ["37"], "25"),
    ("اهواز", ["Ahvaz", "Ahwaz"], "خوزستان", ["Khuzestan"], ["61"], "61"),
    ("کرمانشاه", ["Kermanshah"], "کرمانشاه", ["Kermanshah"], ["67"], "83"),
    ("رشت", ["Rasht"], "گیلان", ["Gilan", "Guilan"], ["41"], "13"),
    ("کرمان", ["Kerman"], "کرمان", ["Kerman"], ["76"], "34"),
    ("ارومیه", ["Urmia", "Orumiyeh"], "آذربایجان غربی", ["West Azerbaijan"], ["57"], "44"),
    ("یزد", ["Yazd"], "یزد", ["Yazd"], ["89"], "35"),
    ("همدان", ["Hamadan", "Hamedan"], "همدان", ["Hamadan", "Hamedan"], ["65"], "81"),
    ("اراک", ["Arak"], "مرکزی", ["Markazi"], ["38"], "86"),
]
# (kind, Arabic-script name, Latin spellings); kind k = khiaban, b = bolvar
IR_STREETS = [
    ("k", "ولیعصر", ["Valiasr", "Vali-e Asr", "Vali Asr"]), ("k", "انقلاب", ["Enghelab", "Enqelab"]),
    ("k", "آزادی", ["Azadi"]), ("k", "شریعتی", ["Shariati"]), ("k", "مطهری", ["Motahari", "Motahhari"]),
    ("b", "کشاورز", ["Keshavarz"]), ("k", "فردوسی", ["Ferdowsi", "Ferdosi"]),
    ("k", "جمهوری", ["Jomhouri", "Jomhuri"]), ("k", "امام خمینی", ["Emam Khomeini", "Imam Khomeini"]),
    ("k", "طالقانی", ["Taleghani", "Taleqani"]), ("b", "بهشتی", ["Beheshti"]),
    ("k", "پاسداران", ["Pasdaran"]), ("k", "ستارخان", ["Sattarkhan", "Sattar Khan"]),
    ("k", "چهارباغ", ["Chaharbagh", "Chahar Bagh"]), ("k", "زند", ["Zand"]), ("k", "سعدی", ["Saadi", "Sa'di"]),
    ("k", "حافظ", ["Hafez"]), ("b", "میرداماد", ["Mirdamad"]), ("b", "وکیل آباد", ["Vakilabad", "Vakil Abad"]),
    ("k", "بهار", ["Bahar"]),
]
IR_ALLEYS = [("گلستان", ["Golestan"]), ("نیلوفر", ["Niloufar", "Niloofar"]), ("یاس", ["Yas"]),
             ("لاله", ["Laleh"]), ("بهار", ["Bahar"]), ("شقایق", ["Shaghayegh", "Shaqayeq"]),
             ("سرو", ["Sarv"]), ("نسترن", ["Nastaran"])]

# (city, state, postcode range, landline area code)
DE_CITIES = [
    ("Berlin", "Berlin", (10115, 14199), "30"), ("Hamburg", "Hamburg", (20095, 22769), "40"),
    ("München", "Bayern", (80331, 81929), "89"), ("Köln", "Nordrhein-Westfalen", (50667, 51149), "221"),
    ("Frankfurt am Main", "Hessen", (60306, 60599), "69"),
    ("Stuttgart", "Baden-Württemberg", (70173, 70619), "711"),
    ("Düsseldorf", "Nordrhein-Westfalen", (40210, 40629), "211"), ("Leipzig", "Sachsen", (4103, 4357), "341"),
    ("Dortmund", "Nordrhein-Westfalen", (44135, 44388), "231"), ("Essen", "Nordrhein-Westfalen", (45127, 45359), "201"),
    ("Bremen", "Bremen", (28195, 28779), "421"), ("Dresden", "Sachsen", (1067, 1328), "351"),
    ("Hannover", "Niedersachsen", (30159, 30669), "511"), ("Nürnberg", "Bayern", (90402, 90491), "911"),
    ("Münster", "Nordrhein-Westfalen", (48143, 48167), "251"), ("Lübeck", "Schleswig-Holstein", (23552, 23570), "451"),
]
DE_CITY_ALT = {"München": ["Munich"], "Köln": ["Cologne"], "Nürnberg": ["Nuremberg"],
               "Frankfurt am Main": ["Frankfurt", "Frankfurt a. M.", "Frankfurt/Main"]}
DE_STREETS = ["Hauptstraße", "Bahnhofstraße", "Schulstraße", "Gartenstraße", "Dorfstraße", "Bergstraße",
              "Lindenstraße", "Kirchstraße", "Goethestraße", "Schillerstraße", "Mozartstraße",
              "Friedrichstraße", "Waldstraße", "Ringstraße", "Wiesenweg", "Birkenweg", "Rosenweg",
              "Am Markt", "Marktplatz", "Berliner Straße", "Münchner Straße", "Kölner Straße",
              "Königsallee", "Schloßstraße", "Tulpenweg", "Ahornweg", "Jahnstraße", "Rathausplatz",
              "Breite Straße", "Lange Straße", "Feldstraße", "Brückenstraße", "Mühlenweg"]

# (city, region, postcode range, landline area code)
ES_CITIES = [
    ("Madrid", "Comunidad de Madrid", (28001, 28055), "91"), ("Barcelona", "Cataluña", (8001, 8042), "93"),
    ("Valencia", "Comunidad Valenciana", (46001, 46026), "96"), ("Sevilla", "Andalucía", (41001, 41020), "954"),
    ("Zaragoza", "Aragón", (50001, 50018), "976"), ("Málaga", "Andalucía", (29001, 29018), "952"),
    ("Murcia", "Región de Murcia", (30001, 30012), "968"), ("Palma", "Islas Baleares", (7001, 7015), "971"),
    ("Las Palmas de Gran Canaria", "Canarias", (35001, 35019), "928"), ("Bilbao", "País Vasco", (48001, 48015), "944"),
    ("Alicante", "Comunidad Valenciana", (3001, 3016), "965"), ("Córdoba", "Andalucía", (14001, 14014), "957"),
    ("Valladolid", "Castilla y León", (47001, 47016), "983"), ("Vigo", "Galicia", (36201, 36216), "986"),
    ("Gijón", "Asturias", (33201, 33213), "985"), ("A Coruña", "Galicia", (15001, 15011), "981"),
    ("Granada", "Andalucía", (18001, 18015), "958"), ("Pamplona", "Navarra", (31001, 31016), "948"),
    ("Santander", "Cantabria", (39001, 39012), "942"),
]
ES_CITY_ALT = {"Valencia": ["València"], "Alicante": ["Alacant"], "A Coruña": ["La Coruña"],
               "Palma": ["Palma de Mallorca"], "Islas Baleares": ["Illes Balears"], "Cataluña": ["Catalunya"],
               "País Vasco": ["Euskadi"], "Pamplona": ["Iruña"]}
# (type, rest)
ES_STREETS = [("Calle", "Mayor"), ("Calle", "Real"), ("", "Gran Vía"), ("Avenida", "de la Constitución"),
              ("Calle", "del Carmen"), ("Plaza", "de España"), ("Calle", "San Juan"), ("Calle", "de Alcalá"),
              ("Calle", "Nueva"), ("Calle", "de la Iglesia"), ("Avenida", "de Andalucía"), ("Calle", "del Sol"),
              ("Paseo", "de la Castellana"), ("Calle", "Cervantes"), ("Avenida", "de América"),
              ("Calle", "de Toledo"), ("Calle", "Príncipe"), ("Ronda", "de Valencia"), ("Calle", "de la Paz"),
              ("Avenida", "Diagonal"), ("Calle", "Goya"), ("Calle", "Velázquez"), ("Calle", "Doctor Fleming"),
              ("Calle", "Real de Burgos"), ("Calle", "Ramón y Cajal")]
ES_TYPE_ABBR = {"Calle": ["C/", "Cl.", "C."], "Avenida": ["Avda.", "Av."], "Plaza": ["Pza.", "Pl."],
                "Paseo": ["Pº", "P.º"], "Ronda": ["Rda."]}

# (city, province, postcode range, landline area code, resident-id area code)
CN_CITIES = [
    ("Shanghai", "Shanghai", (200000, 201900), "21", "310104"), ("Beijing", "Beijing", (100000, 102600), "10", "110105"),
    ("Guangzhou", "Guangdong", (510000, 511400), "20", "440106"), ("Shenzhen", "Guangdong", (518000, 518133), "755", "440304"),
    ("Chengdu", "Sichuan", (610000, 611700), "28", "510107"), ("Chongqing", "Chongqing", (400000, 401300), "23", "500103"),
    ("Wuhan", "Hubei", (430000, 430200), "27", "420106"), ("Hangzhou", "Zhejiang", (310000, 311200), "571", "330106"),
    ("Nanjing", "Jiangsu", (210000, 211300), "25", "320106"), ("Tianjin", "Tianjin", (300000, 301900), "22", "120104"),
    ("Xi'an", "Shaanxi", (710000, 710100), "29", "610113"), ("Suzhou", "Jiangsu", (215000, 215200), "512", "320508"),
]
CN_CITY_ALT = {"Xi'an": ["Xian", "Xi An"]}
CN_STREETS = [("Zhongshan", "Lu"), ("Renmin", "Lu"), ("Jiefang", "Lu"), ("Nanjing", "Lu"), ("Huaihai", "Zhonglu"),
              ("Chang'an", "Jie"), ("Jianguo", "Lu"), ("Heping", "Lu"), ("Wenhua", "Lu"), ("Xinhua", "Lu"),
              ("Beijing", "Lu"), ("Dongfeng", "Lu"), ("Yan'an", "Lu"), ("Shennan", "Dadao"), ("Tianhe", "Lu"),
              ("Huangpu", "Dadao"), ("Zhongshan", "Dadao"), ("Wangfujing", "Dajie"), ("Renmin", "Dadao"),
              ("Gongyuan", "Lu"), ("Xueyuan", "Lu"), ("Kexue", "Dadao"), ("Jinrong", "Jie")]
CN_TYPE_EN = {"Lu": ["Road", "Rd."], "Jie": ["Street", "St."], "Dadao": ["Avenue", "Ave."],
              "Dajie": ["Avenue", "Street"], "Zhonglu": ["Middle Road", "Zhong Lu"]}
CN_COMPOUNDS = ["Jinxiu Huayuan", "Lijing Xiaoqu", "Yuhua Jiayuan", "Xingfu Li", "Huating Xiaoqu", "Binjiang Mingyuan"]

# (city, state, ZIP range, area codes)
US_CITIES = [
    ("New York", "NY", (10001, 10282), ["212", "646", "917"]), ("Los Angeles", "CA", (90001, 90089), ["213", "323", "310"]),
    ("Chicago", "IL", (60601, 60661), ["312", "773"]), ("Houston", "TX", (77002, 77099), ["713", "281", "832"]),
    ("Brooklyn", "NY", (11201, 11239), ["718", "347"]), ("Phoenix", "AZ", (85003, 85054), ["602", "480"]),
    ("Philadelphia", "PA", (19102, 19154), ["215", "267"]), ("San Antonio", "TX", (78201, 78266), ["210"]),
    ("San Diego", "CA", (92101, 92199), ["619", "858"]), ("Dallas", "TX", (75201, 75398), ["214", "972", "469"]),
    ("San Jose", "CA", (95110, 95139), ["408"]), ("Austin", "TX", (78701, 78759), ["512", "737"]),
    ("Seattle", "WA", (98101, 98199), ["206"]), ("Denver", "CO", (80202, 80249), ["303", "720"]),
    ("Boston", "MA", (2108, 2137), ["617", "857"]), ("Columbus", "OH", (43201, 43235), ["614"]),
    ("Charlotte", "NC", (28202, 28280), ["704", "980"]), ("Atlanta", "GA", (30303, 30363), ["404", "678"]),
    ("Miami", "FL", (33125, 33199), ["305", "786"]), ("Portland", "OR", (97201, 97239), ["503", "971"]),
    ("Minneapolis", "MN", (55401, 55488), ["612"]),
]
US_STATES = {"NY": "New York", "CA": "California", "IL": "Illinois", "TX": "Texas", "AZ": "Arizona",
             "PA": "Pennsylvania", "WA": "Washington", "CO": "Colorado", "MA": "Massachusetts",
             "OH": "Ohio", "NC": "North Carolina", "GA": "Georgia", "FL": "Florida", "OR": "Oregon",
             "MN": "Minnesota"}
US_STREETS = [("Main", "Street"), ("Oak", "Street"), ("Maple", "Avenue"), ("Park", "Avenue"),
              ("Washington", "Street"), ("Elm", "Street"), ("Cedar", "Lane"), ("Lake", "Drive"),
              ("Hill", "Road"), ("Pine", "Street"), ("Sunset", "Boulevard"), ("Lincoln", "Avenue"),
              ("Church", "Street"), ("Highland", "Avenue"), ("2nd", "Street"), ("3rd", "Avenue"),
              ("Jefferson", "Street"), ("Madison", "Avenue"), ("Walnut", "Street"), ("Cherry", "Lane"),
              ("Forest", "Drive"), ("River", "Road"), ("Spring", "Street"), ("Willow", "Way"),
              ("Franklin", "Street"), ("Meadow", "Lane"), ("Ridge", "Road"), ("Lakeview", "Place")]
EN_TYPE_ABBR = {"Street": ["St", "St."], "Avenue": ["Ave", "Ave."], "Road": ["Rd", "Rd."], "Lane": ["Ln", "Ln."],
                "Drive": ["Dr", "Dr."], "Boulevard": ["Blvd", "Blvd."], "Way": ["Wy"], "Place": ["Pl", "Pl."],
                "Crescent": ["Cres", "Cres."], "Close": ["Cl"], "Gardens": ["Gdns"], "Terrace": ["Terr"]}
US_DIRS = {"N": "North", "S": "South", "E": "East", "W": "West"}

# (city, county, postcode outward codes, landline area code, subscriber length)
GB_CITIES = [
    ("London", "Greater London", ["E1", "E14", "N1", "N7", "NW3", "NW6", "SE1", "SE15", "SW4", "SW11", "W2", "W11", "EC1V", "WC2H"], "20", 8),
    ("Birmingham", "West Midlands", ["B1", "B5", "B13", "B15", "B29"], "121", 7),
    ("Manchester", "Greater Manchester", ["M1", "M4", "M13", "M14", "M20", "M21"], "161", 7),
    ("Glasgow", "Glasgow City", ["G1", "G3", "G12", "G41"], "141", 7),
    ("Leeds", "West Yorkshire", ["LS1", "LS6", "LS8", "LS17"], "113", 7),
    ("Liverpool", "Merseyside", ["L1", "L8", "L15", "L18"], "151", 7),
    ("Bristol", "Bristol", ["BS1", "BS6", "BS8"], "117", 7),
    ("Sheffield", "South Yorkshire", ["S1", "S10", "S11"], "114", 7),
    ("Edinburgh", "City of Edinburgh", ["EH1", "EH3", "EH9", "EH10"], "131", 7),
    ("Newcastle upon Tyne", "Tyne and Wear", ["NE1", "NE2", "NE6"], "191", 7),
    ("Cardiff", "Cardiff", ["CF10", "CF11", "CF24"], "29", 8),
    ("Nottingham", "Nottinghamshire", ["NG1", "NG5", "NG7"], "115", 7),
    ("Oxford", "Oxfordshire", ["OX1", "OX2", "OX4"], "1865", 6),
    ("Cambridge", "Cambridgeshire", ["CB1", "CB2", "CB4"], "1223", 6),
]
GB_CITY_ALT = {"Newcastle upon Tyne": ["Newcastle"]}
GB_STREETS = [("High", "Street"), ("Station", "Road"), ("Church", "Lane"), ("Victoria", "Road"), ("Park", "Road"),
              ("London", "Road"), ("Green", "Lane"), ("Manor", "Road"), ("Church", "Street"), ("Mill", "Lane"),
              ("Queens", "Road"), ("King", "Street"), ("New", "Road"), ("Grange", "Road"), ("Kings", "Road"),
              ("Albert", "Road"), ("The", "Crescent"), ("Springfield", "Road"), ("York", "Road"),
              ("Highfield", "Road"), ("Windsor", "Road"), ("St John's", "Road"), ("Alexandra", "Road"),
              ("Chapel", "Street"), ("Beech", "Close"), ("Orchard", "Gardens"), ("Belmont", "Terrace")]
GB_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

# Mobile prefixes (national significant number starts)
TR_MOBILE = ["501", "505", "506", "507", "530", "531", "532", "533", "534", "535", "536", "537", "538",
             "539", "540", "541", "542", "543", "544", "545", "546", "549", "551", "552", "553", "554",
             "555", "559", "561"]
IR_MOBILE = ["912", "913", "914", "915", "916", "917", "918", "919", "910", "911", "990", "991", "930",
             "933", "935", "936", "937", "938", "939", "901", "902", "903", "905", "920", "921", "922"]
DE_MOBILE = ["151", "152", "155", "157", "159", "160", "162", "163", "170", "171", "172", "173", "174",
             "175", "176", "177", "178", "179"]
CN_MOBILE = ["130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152",
             "153", "155", "156", "157", "158", "159", "166", "176", "177", "178", "180", "181", "182",
             "183", "184", "185", "186", "187", "188", "189", "198", "199"]

EMAIL_DOMAINS = {
    "TR": (["gmail.com", "hotmail.com", "yahoo.com", "outlook.com", "yandex.com", "mynet.com", "icloud.com"], [40, 25, 8, 10, 8, 5, 4]),
    "IR": (["gmail.com", "yahoo.com", "chmail.ir", "outlook.com", "hotmail.com"], [55, 25, 8, 6, 6]),
    "DE": (["gmail.com", "web.de", "gmx.de", "gmx.net", "t-online.de", "outlook.de", "posteo.de", "googlemail.com"], [25, 20, 18, 8, 12, 7, 3, 7]),
    "ES": (["gmail.com", "hotmail.es", "hotmail.com", "yahoo.es", "outlook.es", "telefonica.net"], [50, 15, 10, 8, 12, 5]),
    "CN": (["qq.com", "163.com", "126.com", "sina.com", "gmail.com", "foxmail.com"], [40, 25, 10, 8, 10, 7]),
    "US": (["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "aol.com", "icloud.com", "comcast.net"], [45, 15, 10, 8, 6, 10, 6]),
    "GB": (["gmail.com", "hotmail.co.uk", "yahoo.co.uk", "btinternet.com", "outlook.com", "sky.com", "googlemail.com"], [40, 15, 10, 8, 12, 7, 8]),
}
FAMILY_LOCAL = {"TR": ["{s}ailesi", "aile.{s}"], "IR": ["{s}.family", "khanevadeh.{s}"], "DE": ["familie.{s}", "fam.{s}"],
                "ES": ["familia.{s}", "familia{s}"], "CN": ["{s}jia", "{s}.family"], "EN": ["the{s}s", "{s}.family", "{s}family"]}

COMPANY = {
    "TR": (["Anadolu", "Marmara", "Ege", "Akdeniz", "Yıldız", "Doğuş", "Özgür", "Boğaziçi", "Karadeniz", "Kuzey"],
           ["Lojistik", "İnşaat", "Tekstil", "Gıda", "Yazılım", "Otomotiv", "Enerji", "Danışmanlık"],
           ["A.Ş.", "Ltd. Şti.", "San. ve Tic. A.Ş."], ".com.tr"),
    "IR": (["Pars", "Arian", "Kavir", "Alborz", "Zagros", "Sepahan", "Khazar", "Tous", "Damavand", "Persis"],
           ["Sanat", "Tejarat", "Electric", "Petro", "Daru", "Sakhteman", "Software", "Kala"],
           ["Co.", "Group", "Ltd."], ".ir"),
    "DE": (None, ["Maschinenbau", "Logistik", "Elektrotechnik", "Bau", "Software", "Immobilien", "Autohaus", "Steuerberatung"],
           ["GmbH", "GmbH & Co. KG", "AG", "KG", "e.K."], ".de"),
    "ES": (["Levante", "Iberia", "Mediterránea", "Cantábrica", "del Sur", "Atlántica", "Castellana", "Andaluza"],
           ["Construcciones", "Transportes", "Distribuciones", "Consultoría", "Inmobiliaria", "Servicios", "Alimentación"],
           ["S.L.", "S.A.", "S.L.U."], ".es"),
    "CN": (["Huaxin", "Zhongtai", "Hengda", "Jinlong", "Tianrui", "Xinda", "Dongfang", "Changjiang", "Hongyuan"],
           ["Trading", "Technology", "Electronics", "Logistics", "Industrial", "Pharmaceutical"],
           ["Co., Ltd.", "Co. Ltd", "Group Co., Ltd."], ".com.cn"),
    "US": (["Northwind", "Blue Ridge", "Summit", "Pioneer", "Lakeside", "Redwood", "Evergreen", "Keystone", "Liberty", "Granite"],
           ["Logistics", "Health", "Financial", "Software", "Manufacturing", "Realty", "Consulting"],
           ["Inc.", "LLC", "Corp.", "Group"], ".com"),
    "GB": (["Thames", "Pennine", "Albion", "Crown", "Heritage", "Kingsway", "Mersey", "Severn", "Cotswold"],
           ["Logistics", "Engineering", "Financial", "Software", "Building", "Property", "Consulting"],
           ["Ltd", "Limited", "PLC", "LLP"], ".co.uk"),
}

CULTURE_COUNTRIES = {"TR": "TR", "IR": "IR", "DE": "DE", "ES": "ES", "CN": "CN"}

# Precomputed cumulative weights
W = {}
for _name, _lst in [("TR_MALE", TR_MALE), ("TR_FEMALE", TR_FEMALE), ("TR_SURNAMES", TR_SURNAMES),
                    ("IR_MALE", IR_MALE), ("IR_FEMALE", IR_FEMALE), ("IR_SURNAMES", IR_SURNAMES),
                    ("DE_MALE", DE_MALE), ("DE_FEMALE", DE_FEMALE), ("DE_SURNAMES", DE_SURNAMES),
                    ("ES_MALE", ES_MALE), ("ES_FEMALE", ES_FEMALE), ("ES_SURNAMES", ES_SURNAMES),
                    ("CN_MALE", CN_MALE), ("CN_FEMALE", CN_FEMALE), ("CN_SURNAMES", CN_SURNAMES),
                    ("EN_MALE", EN_MALE), ("EN_FEMALE", EN_FEMALE), ("EN_SURNAMES", EN_SURNAMES),
                    ("TR_CITIES", TR_CITIES), ("IR_CITIES", IR_CITIES), ("DE_CITIES", DE_CITIES),
                    ("ES_CITIES", ES_CITIES), ("CN_CITIES", CN_CITIES), ("US_CITIES", US_CITIES),
                    ("GB_CITIES", GB_CITIES)]:
    W[_name] = (_lst, cum(len(_lst), 0.8 if _name.endswith("CITIES") else 0.9))


def zpick(rng: random.Random, key: str):
    lst, cw = W[key]
    return rng.choices(lst, cum_weights=cw)[0]


# ---------------------------------------------------------------------------
# National ids
# ---------------------------------------------------------------------------

def tckn(rng: random.Random) -> str:
    d = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(8)]
    d10 = ((d[0] + d[2] + d[4] + d[6] + d[8]) * 7 - (d[1] + d[3] + d[5] + d[7])) % 10
    d.append(d10)
    d.append(sum(d) % 10)
    return "".join(map(str, d))


def kodmelli(rng: random.Random) -> str:
    while True:
        d = [rng.randint(0, 9) for _ in range(9)]
        if len(set(d)) > 1:
            break
    s = sum(d[i] * (10 - i) for i in range(9)) % 11
    check = s if s < 2 else 11 - s
    return "".join(map(str, d)) + str(check)


def de_svnr(rng: random.Random, dob: date, surname: str, sex: str) -> str:
    area = rng.choice(["02", "03", "04", "08", "09", "10", "11", "12", "13", "14", "15", "16", "17", "18",
                       "19", "20", "21", "23", "24", "25", "26", "28", "29", "38", "39", "40", "42", "43",
                       "44", "45", "46", "47", "48", "49", "50", "51", "52", "53", "54", "55", "56", "57",
                       "58", "59", "60", "61", "62", "63", "64", "65", "66", "67", "68", "69", "70", "71",
                       "72", "73", "74", "75", "76", "77", "78", "79", "80", "81", "82", "89"])
    letter = strip_accents(surname)[:1].upper() or "X"
    if not ("A" <= letter <= "Z"):
        letter = "X"
    serial = rng.randint(0, 49) if sex == "m" else rng.randint(50, 99)
    body = f"{area}{dob:%d%m%y}"
    nums = body + f"{ord(letter) - 64:02d}" + f"{serial:02d}"
    weights = [2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1]
    total = 0
    for w, c in zip(weights, nums):
        prod = w * int(c)
        total += prod // 10 + prod % 10
    return f"{body}{letter}{serial:02d}{total % 10}"


def dni(rng: random.Random) -> str:
    n = rng.randint(1000000, 79999999)
    return f"{n:08d}" + "TRWAGMYFPDXBNJZSQVHLCKE"[n % 23]


def cn_resident_id(rng: random.Random, dob: date, sex: str) -> str:
    area = rng.choice(CN_CITIES)[4]
    seq = rng.randint(0, 99) * 10 + (rng.choice([1, 3, 5, 7, 9]) if sex == "m" else rng.choice([0, 2, 4, 6, 8]))
    body = f"{area}{dob:%Y%m%d}{seq:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    s = sum(int(c) * w for c, w in zip(body, weights)) % 11
    return body + "10X98765432"[s]


def us_ssn(rng: random.Random) -> str:
    while True:
        area = rng.randint(1, 899)
        if area != 666:
            break
    return f"{area:03d}{rng.randint(1, 99):02d}{rng.randint(1, 9999):04d}"


def gb_nino(rng: random.Random) -> str:
    while True:
        p = rng.choice("ABCEGHJKLMNOPRSTWXYZ") + rng.choice("ABCEGHJKLMNPRSTWXYZ")
        if p not in ("BG", "GB", "NK", "KN", "TN", "NT", "ZZ"):
            break
    return p + digits(rng, 6) + rng.choice("ABCD")


def fmt_ssn(rng: random.Random, country: str, ssn: str) -> str:
    r = rng.random()
    if country == "IR":
        return f"{ssn[:3]}-{ssn[3:9]}-{ssn[9]}" if r < 0.3 else ssn
    if country == "DE":
        return f"{ssn[:2]} {ssn[2:8]} {ssn[8]} {ssn[9:]}" if r < 0.4 else ssn
    if country == "ES":
        return ssn[:8] + "-" + ssn[8] if r < 0.25 else (f"{ssn[:2]}.{ssn[2:5]}.{ssn[5:8]}-{ssn[8]}" if r < 0.35 else ssn)
    if country == "US":
        return f"{ssn[:3]}-{ssn[3:5]}-{ssn[5:]}" if r < 0.75 else ssn
    if country == "GB":
        return f"{ssn[:2]} {ssn[2:4]} {ssn[4:6]} {ssn[6:8]} {ssn[8]}" if r < 0.4 else ssn
    return ssn


def ssn_digit_error(rng: random.Random, ssn: str) -> str:
    pos = [i for i, c in enumerate(ssn) if c.isdigit()]
    i = rng.choice(pos)
    new = rng.choice([d for d in "0123456789" if d != ssn[i]])
    return ssn[:i] + new + ssn[i + 1:]


# ---------------------------------------------------------------------------
# Phones: national significant numbers (NSN) and their written forms
# ---------------------------------------------------------------------------

def new_mobile(rng: random.Random, country: str, city) -> tuple[str, int]:
    """A mobile NSN and the length of its prefix (for grouping)."""
    if country == "TR":
        return rng.choice(TR_MOBILE) + digits(rng, 7, "123456789"), 3
    if country == "IR":
        return rng.choice(IR_MOBILE) + digits(rng, 7), 3
    if country == "DE":
        p = rng.choice(DE_MOBILE)
        n = 8 if p.startswith("15") else rng.choice([7, 8])
        return p + digits(rng, n, "123456789"), 3
    if country == "ES":
        p = "6" if rng.random() < 0.85 else "7" + rng.choice("1234")
        return p + digits(rng, 9 - len(p)), 3
    if country == "CN":
        return rng.choice(CN_MOBILE) + digits(rng, 8), 3
    if country == "US":
        return us_number(rng, rng.choice(city[3])), 3
    # GB
    while True:
        n = "7" + rng.choice("12345789") + digits(rng, 8)
        if not n.startswith("7700900"):
            return n, 4


def us_number(rng: random.Random, area: str) -> str:
    while True:
        exch = digits(rng, 3, "23456789")
        if exch != "555" and exch[1:] != "11":
            return area + exch + digits(rng, 4)


def new_landline(rng: random.Random, country: str, city) -> tuple[str, int]:
    if country == "TR":
        a = rng.choice(city[3])
        return a + digits(rng, 7, "2345678"), 3
    if country == "IR":
        a = city[5]
        return a + digits(rng, 8, "2345678"), 2
    if country == "DE":
        a = city[3]
        return a + digits(rng, 10 - len(a) if len(a) == 2 else 7, "23456789"), len(a)
    if country == "ES":
        a = city[3]
        return a + digits(rng, 9 - len(a), "12345678"), len(a)
    if country == "CN":
        a = city[3]
        return a + digits(rng, 8, "2345678"), len(a)
    if country == "US":
        return us_number(rng, rng.choice(city[3])), 3
    a, sub = city[3], city[4]
    while True:
        s = digits(rng, sub, "78" if a == "20" else "23456789")
        if not (s.startswith("4960") or s.startswith("9460")):
            return a + s, len(a)


def fmt_phone(rng: random.Random, country: str, nsn: str, alen: int, mobile: bool) -> str:
    n = nsn
    a, sub = n[:alen], n[alen:]
    r = rng.random
    if country == "TR":
        b, c, d = sub[:3], sub[3:5], sub[5:]
        f = rng.choices([f"+90{n}", f"+90 {a} {b} {c} {d}", f"0{a} {b} {c} {d}", f"(0{a}) {b}-{c}{d}",
                         f"0{n}", f"0 ({a}) {b} {c} {d}", f"{a} {b} {c}{d}"], [20, 10, 25, 15, 15, 10, 5])[0]
        return f
    if country == "IR":
        if mobile:
            b, c = sub[:3], sub[3:]
            return rng.choices([f"+98{n}", f"+98 {a} {b} {c}", f"0{a} {b} {c}", f"0{n}", f"(0{a}) {b}-{c}",
                                f"0098{n}"], [22, 10, 28, 25, 8, 7])[0]
        b, c = sub[:4], sub[4:]
        return rng.choices([f"+98{n}", f"+98 {a} {b} {c}", f"0{a} {b} {c}", f"(0{a}) {b}{c}", f"0{a}-{b}{c}",
                            f"0{n}"], [15, 10, 25, 15, 15, 20])[0]
    if country == "DE":
        grouped = sub if r() < 0.6 else f"{sub[:len(sub) // 2]} {sub[len(sub) // 2:]}"
        return rng.choices([f"+49{n}", f"+49 {a} {grouped}", f"0{a} {grouped}", f"0{a}/{sub}", f"(0{a}) {grouped}",
                            f"0{a}-{sub}", f"0{n}", f"+49 (0){a} {grouped}"], [20, 12, 22, 14, 8, 6, 12, 6])[0]
    if country == "ES":
        return rng.choices([f"+34{n}", f"+34 {n[:3]} {n[3:6]} {n[6:]}", f"{n[:3]} {n[3:6]} {n[6:]}",
                            f"{n[:3]} {n[3:5]} {n[5:7]} {n[7:]}", n, f"0034 {n}", f"+34 {n[:3]} {n[3:5]} {n[5:7]} {n[7:]}"],
                           [20, 10, 25, 15, 18, 5, 7])[0]
    if country == "CN":
        if mobile:
            return rng.choices([f"+86{n}", f"+86 {n[:3]} {n[3:7]} {n[7:]}", f"{n[:3]} {n[3:7]} {n[7:]}",
                                f"{n[:3]}-{n[3:7]}-{n[7:]}", n, f"0086 {n}", f"+86-{n}"], [15, 10, 20, 12, 35, 4, 4])[0]
        return rng.choices([f"0{a}-{sub}", f"(0{a}) {sub[:4]} {sub[4:]}", f"+86 {a} {sub}", f"+86{n}", f"0{a} {sub}"],
                           [40, 15, 15, 10, 20])[0]
    if country == "US":
        x, y, z = n[:3], n[3:6], n[6:]
        return rng.choices([f"({x}) {y}-{z}", f"{x}-{y}-{z}", f"{x}.{y}.{z}", f"+1{n}", f"1-{x}-{y}-{z}",
                            f"+1 {x} {y} {z}", n, f"+1 ({x}) {y}-{z}"], [30, 25, 8, 12, 5, 8, 7, 5])[0]
    # GB
    if mobile:
        x, y = n[:4], n[4:]
        return rng.choices([f"0{x} {y}", f"+44{n}", f"+44 {x} {y}", f"+44 (0){x} {y}", f"0{n}", f"(0{x}) {y}",
                            f"0{x} {y[:3]} {y[3:]}"], [35, 15, 12, 8, 15, 5, 10])[0]
    if len(sub) == 8:
        sg = f"{sub[:4]} {sub[4:]}"
    elif len(sub) == 7:
        sg = f"{sub[:3]} {sub[3:]}"
    else:
        sg = sub
    return rng.choices([f"0{a} {sg}", f"+44 {a} {sg}", f"(0{a}) {sg}", f"0{n}", f"+44{n}"], [45, 15, 15, 15, 10])[0]


# ---------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------

class Generator:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.seed = seed
        self.used_email: dict[str, int] = {}
        self.used_phone: dict[str, int] = {}
        self.used_ssn: dict[str, int] = {}
        self.companies: dict[str, list] = {}
        self.pid = 0  # internal person number (not the entity number)
        self.kind_counts = {k: 0 for k, _ in KINDS}
        self.kind_counts["full_name_only"] = 0
        self.arabic_records = 0

    # ---- small utilities ---------------------------------------------------

    def unique(self, registry: dict, value: str, owner: int) -> bool:
        if registry is self.used_email:
            value = mailbox(value)
        if registry.get(value, owner) != owner:
            return False
        registry[value] = owner
        return True

    def dob_between(self, min_age: int, max_age: int) -> date:
        lo = REF_DATE.toordinal() - max_age * 365 - max_age // 4
        hi = REF_DATE.toordinal() - min_age * 365 - min_age // 4 - 1
        return date.fromordinal(self.rng.randint(lo, hi))

    def country_of(self, culture: str) -> str:
        if culture == "EN":
            return "US" if self.rng.random() < 0.5 else "GB"
        return culture

    def city_of(self, country: str):
        return zpick(self.rng, f"{country}_CITIES")

    # ---- names ---------------------------------------------------------------

    def new_name(self, p: dict, given=None, surname=None):
        """Fills the culture-specific name fields of p."""
        rng, c, sex = self.rng, p["culture"], p["sex"]
        if c == "TR":
            g = given or zpick(rng, "TR_MALE" if sex == "m" else "TR_FEMALE")
            toks = [g]
            if given is None and rng.random() < 0.15:
                second = zpick(rng, "TR_MALE" if sex == "m" else "TR_FEMALE")
                if second != g:
                    toks.append(second)
            p["given"] = toks
            p["surname"] = surname or zpick(rng, "TR_SURNAMES")
            # married women may keep the maiden name in front of the married one
            p["alt_surname"] = zpick(rng, "TR_SURNAMES") if (sex == "f" and surname is None and rng.random() < 0.08) else None
            if p["alt_surname"] == p["surname"]:
                p["alt_surname"] = None
        elif c == "IR":
            if given is not None:
                entries = [IR_BY_LATIN[given]]
            elif sex == "m" and rng.random() < 0.15:
                a, b = rng.choice(IR_COMPOUNDS)
                entries = [IR_BY_LATIN[a], IR_BY_LATIN[b]]
            else:
                entries = [zpick(rng, "IR_MALE" if sex == "m" else "IR_FEMALE")]
            p["given"] = entries
            p["gidx"] = [self.variant_index(e[1]) for e in entries]
            p["gjoin"] = rng.choices(["", " ", "-"], [50, 40, 10])[0]
            p["surname"] = IR_SUR_BY_LATIN[surname] if isinstance(surname, str) else (surname or zpick(rng, "IR_SURNAMES"))
            p["sidx"] = self.variant_index(p["surname"][1])
            p["seyed"] = sex == "m" and rng.random() < 0.08
        elif c == "DE":
            if given is not None:
                g = given
            elif rng.random() < 0.08:
                g = rng.choice(DE_COMPOUND_M if sex == "m" else DE_COMPOUND_F)
            else:
                g = zpick(rng, "DE_MALE" if sex == "m" else "DE_FEMALE")
            p["given"] = g
            p["given2"] = None
            if given is None and "-" not in g and rng.random() < 0.12:
                g2 = zpick(rng, "DE_MALE" if sex == "m" else "DE_FEMALE")
                if g2 != g:
                    p["given2"] = g2
            if surname is not None:
                p["surname"] = list(surname) if isinstance(surname, list) else [surname]
            else:
                s = zpick(rng, "DE_SURNAMES")
                if rng.random() < 0.06:
                    s2 = zpick(rng, "DE_SURNAMES")
                    p["surname"] = [s, s2] if s2 != s and "-" not in s and "-" not in s2 else [s]
                else:
                    p["surname"] = [s]
            p["title"] = "Dr." if (REF_DATE.year - p["dob"].year > 30 and rng.random() < 0.05) else None
        elif c == "ES":
            if given is not None:
                g = given
            elif rng.random() < 0.3:
                g = rng.choice(ES_MALE_COMPOUND if sex == "m" else ES_FEMALE_COMPOUND)
            else:
                g = zpick(rng, "ES_MALE" if sex == "m" else "ES_FEMALE")
            p["given"] = g
            if surname is not None:
                p["surname"] = list(surname)
            else:
                s1 = zpick(rng, "ES_SURNAMES")
                s2 = zpick(rng, "ES_SURNAMES")
                p["surname"] = [s1, s2]
        elif c == "CN":
            g = given or zpick(rng, "CN_MALE" if sex == "m" else "CN_FEMALE")
            p["given"] = g.split()
            p["gjoin"] = rng.choices(["", " ", "-", "-l", "camel"], [62, 18, 8, 7, 5])[0]
            if surname is not None:
                p["surname"] = next((s for s in CN_SURNAMES if s[0] == surname), [surname]) if isinstance(surname, str) else surname
            else:
                p["surname"] = zpick(rng, "CN_SURNAMES")
            if len(p["surname"]) == 1 or rng.random() < 0.6:
                p["sidx"] = 0
            else:
                p["sidx"] = rng.randrange(1, len(p["surname"]) - (1 if p["surname"][0] == "Lü" else 0))
        else:  # EN
            p["given"] = given or zpick(rng, "EN_MALE" if sex == "m" else "EN_FEMALE")
            p["middle"] = zpick(rng, "EN_MALE" if sex == "m" else "EN_FEMALE") if rng.random() < 0.55 else None
            if p["middle"] == p["given"]:
                p["middle"] = None
            p["surname"] = surname or zpick(rng, "EN_SURNAMES")
        p.setdefault("title", None)
        p.setdefault("suffix", None)

    def variant_index(self, variants: list) -> int:
        if len(variants) == 1:
            return 0
        return 0 if self.rng.random() < 0.65 else self.rng.randrange(1, len(variants))

    def latin_names(self, p: dict) -> tuple[str, str]:
        """ASCII first and last name (for e-mail addresses)."""
        c = p["culture"]
        if c == "TR":
            return ascii_key(tr_ascii(p["given"][0])), ascii_key(tr_ascii(p["surname"]))
        if c == "IR":
            e = p["given"][0]
            first = e[1][p["gidx"][0]]
            if len(p["given"]) == 2 and self.rng.random() < 0.6:
                first += p["given"][1][1][p["gidx"][1]]
            return ascii_key(first), ascii_key(p["surname"][1][p["sidx"]])
        if c == "DE":
            t = DE_EXPAND if self.rng.random() < 0.75 else DE_STRIP
            return ascii_key(p["given"].split("-")[0].translate(t)), ascii_key(p["surname"][0].translate(t))
        if c == "ES":
            return ascii_key(p["given"].split()[0]), ascii_key(p["surname"][0])
        if c == "CN":
            s = p["surname"][p["sidx"]].replace("ü", "v")
            return ascii_key("".join(p["given"])), ascii_key(s)
        return ascii_key(p["given"]), ascii_key(p["surname"])

    # ---- e-mail --------------------------------------------------------------

    def new_email(self, p: dict, domain: str | None = None, work: bool = False) -> str | None:
        rng = self.rng
        first, last = self.latin_names(p)
        yy = f"{p['dob'].year % 100:02d}"
        country = p["country"]
        if domain is None:
            doms, ws = EMAIL_DOMAINS[country]
            domain = rng.choices(doms, ws)[0]
        if work:
            pats = ["{f}.{l}", "{i}.{l}", "{i}{l}", "{f}", "{l}.{f}"]
            pw = [50, 20, 15, 5, 10]
        elif domain == "qq.com":
            pats = ["{qq}"]
            pw = [1]
        else:
            pats = ["{f}.{l}", "{f}{l}", "{f}_{l}", "{i}.{l}", "{i}{l}", "{f}.{l}{yy}", "{f}{l}{yy}", "{l}.{f}",
                    "{f}{yy}", "{l}{i}", "{f}.{l}{n}", "{f}{n}"]
            pw = [20, 12, 5, 8, 6, 10, 10, 5, 6, 4, 8, 6]
        for attempt in range(20):
            pat = rng.choices(pats, pw)[0]
            local = pat.format(f=first, l=last, i=first[:1], yy=yy, n=rng.randint(1, 999),
                               qq=digits(rng, rng.randint(6, 10), "123456789"))
            if attempt >= 2:
                local += str(rng.randint(2, 9999))
            addr = f"{local}@{domain}"
            if self.unique(self.used_email, addr, p["pid"]):
                return addr
        return None

    def new_family_email(self, culture: str, country: str, last: str, owner: int) -> str | None:
        rng = self.rng
        doms, ws = EMAIL_DOMAINS[country]
        for attempt in range(10):
            local = rng.choice(FAMILY_LOCAL[culture]).format(s=last)
            if attempt:
                local += str(rng.randint(1, 99))
            addr = f"{local}@{rng.choices(doms, ws)[0]}"
            if self.unique(self.used_email, addr, owner):
                return addr
        return None

    # ---- phones --------------------------------------------------------------

    def unique_phone(self, make, owner: int):
        for _ in range(50):
            nsn, alen = make()
            if self.unique(self.used_phone, nsn, owner):
                return nsn, alen
        return nsn, alen

    # ---- addresses ---------------------------------------------------------

    def new_address(self, country: str, city=None) -> dict:
        rng = self.rng
        city = city or self.city_of(country)
        a = {"city": city}
        if country == "TR":
            if rng.random() < 0.15:
                a["street"] = (f"{rng.randint(1001, 2999)}.", "S")
            else:
                a["street"] = rng.choice(TR_STREETS)
            a["mah"] = rng.choice(TR_MAHALLE)
            a["flat"] = rng.randint(1, 24) if rng.random() < 0.75 else None
            a["num"] = str(rng.randint(1, 180))
            a["slash"] = rng.random() < 0.3
            a["pc"] = city[2] + f"{rng.randint(1, 98) * 10:03d}"
        elif country == "IR":
            a["street"] = rng.choice(IR_STREETS)
            a["sidx"] = self.variant_index(a["street"][2])
            a["alley"] = rng.choice(IR_ALLEYS) if rng.random() < 0.5 else None
            a["unit"] = (rng.choice(["vahed", "tabagheh"]), rng.randint(1, 12)) if rng.random() < 0.7 else None
            a["num"] = str(rng.randint(1, 250))
            a["pc"] = ir_postcode(rng, rng.choice(city[4]))
            a["cidx"] = self.variant_index(city[1])
        elif country == "DE":
            a["street"] = rng.choice(DE_STREETS)
            n = str(rng.randint(1, 160))
            a["num"] = n + (rng.choice("abc") if rng.random() < 0.08 else "")
            a["extra"] = rng.choice(["2. OG", "Hinterhaus", "App. " + str(rng.randint(1, 40)), "c/o Schmidt", "EG links"]) if rng.random() < 0.12 else None
            a["pc"] = f"{rng.randint(*city[2]):05d}"
        elif country == "ES":
            a["street"] = rng.choice(ES_STREETS)
            a["num"] = str(rng.randint(1, 220))
            a["floor"] = (rng.choice(["Bajo", "1", "2", "3", "4", "5", "6", "7", "8"]), rng.choice(["A", "B", "C", "D", "1", "2", "Izda.", "Dcha."])) if rng.random() < 0.85 else None
            a["pc"] = f"{rng.randint(*city[2]):05d}"
        elif country == "CN":
            a["street"] = rng.choice(CN_STREETS)
            a["num"] = str(rng.randint(1, 999))
            a["unit"] = (rng.choice(CN_COMPOUNDS) if rng.random() < 0.4 else None, rng.randint(1, 30), rng.randint(1, 6),
                         rng.randint(1, 32) * 100 + rng.randint(1, 8))
            a["pc"] = f"{rng.randint(*city[2]) // 10 * 10:06d}"
        elif country == "US":
            name, typ = rng.choice(US_STREETS)
            a["street"] = (rng.choice(["N", "S", "E", "W"]) if rng.random() < 0.2 else "", name, typ)
            a["num"] = str(rng.randint(1, 9899))
            a["apt"] = (rng.choice(["Apt", "Unit", "Suite"]), str(rng.randint(1, 30)) + (rng.choice("ABCD") if rng.random() < 0.4 else "")) if rng.random() < 0.35 else None
            a["pc"] = f"{rng.randint(*city[2]):05d}"
            a["plus4"] = f"{rng.randint(1, 9999):04d}"
            a["abbr"] = rng.random() < 0.6  # the person's usual way of writing it
        else:  # GB
            a["street"] = rng.choice(GB_STREETS)
            a["num"] = str(rng.randint(1, 240))
            a["flat"] = (str(rng.randint(1, 24)) + (rng.choice("AB") if rng.random() < 0.2 else "")) if rng.random() < 0.25 else None
            a["pc"] = f"{rng.choice(city[2])} {rng.randint(1, 9)}{rng.choice(GB_INWARD_LETTERS)}{rng.choice(GB_INWARD_LETTERS)}"
        return a

    # ---- persons -------------------------------------------------------------

    def new_person(self, culture: str, country: str, sex: str, dob: date, unit: str, group: int,
                   given=None, surname=None, addr=None, home=None) -> dict:
        rng = self.rng
        self.pid += 1
        p = {"pid": self.pid, "culture": culture, "country": country, "sex": sex, "dob": dob,
             "unit": unit, "group": group}
        self.new_name(p, given, surname)
        p["addr"] = addr or self.new_address(country)
        p["old_addr"] = None
        city = p["addr"]["city"]
        p["mobile"] = self.unique_phone(lambda: new_mobile(rng, country, city), p["pid"]) if rng.random() < 0.9 else None
        if home is not None:
            p["home"] = home
        else:
            p["home"] = self.unique_phone(lambda: new_landline(rng, country, city), p["pid"]) if rng.random() < 0.3 else None
        p["mobile2"] = None
        p["email"] = self.new_email(p) if rng.random() < 0.93 else None
        p["email2"] = None
        p["family_email"] = None
        p["company"] = self.company_for(culture, country, p) if (rng.random() < 0.35 and REF_DATE.year - dob.year < 68) else None
        p["work_email"] = None
        if p["company"]:
            p["work_email"] = self.new_email(p, domain=p["company"][1], work=True)
        while True:
            if country == "TR":
                ssn = tckn(rng)
            elif country == "IR":
                ssn = kodmelli(rng)
            elif country == "DE":
                ssn = de_svnr(rng, dob, p["surname"][0], sex)
            elif country == "ES":
                ssn = dni(rng)
            elif country == "CN":
                ssn = cn_resident_id(rng, dob, sex)
            elif country == "US":
                ssn = us_ssn(rng)
            else:
                ssn = gb_nino(rng)
            if self.unique(self.used_ssn, ssn, p["pid"]):
                break
        p["ssn"] = ssn
        return p

    def company_for(self, culture: str, country: str, p: dict):
        rng = self.rng
        pool = self.companies.setdefault(country, [])
        if pool and rng.random() < 0.5:
            return rng.choice(pool)
        words_, sectors, suffixes, tld = COMPANY[country if culture == "EN" else culture]
        sector = rng.choice(sectors)
        if culture == "DE":
            base = zpick(rng, "DE_SURNAMES")
            name = f"{base} {sector}"
        elif culture == "ES":
            w = rng.choice(words_)
            name = f"{sector} {w}"
        elif culture == "CN":
            name = f"{rng.choice(CN_CITIES)[0]} {rng.choice(words_)} {sector}"
        else:
            name = f"{rng.choice(words_)} {sector}"
        full = f"{name} {rng.choice(suffixes)}"
        slug = ascii_key(tr_ascii(name.translate(DE_EXPAND)).replace(" ", ""))
        domain = slug + tld
        entry = (full, domain, name)
        pool.append(entry)
        return entry

    # ---- units ---------------------------------------------------------------

    def new_unit(self, group: int) -> list[dict]:
        rng = self.rng
        culture = rng.choice(CULTURES)
        country = self.country_of(culture)
        kind = rng.choices(UNIT_TYPES, UNIT_WEIGHTS)[0]
        if kind == "father_son" and culture not in ("EN", "ES", "DE"):
            kind = "single"
        sex = "m" if rng.random() < 0.5 else "f"
        if kind == "single":
            return [self.new_person(culture, country, sex, self.dob_between(18, 90), "single", group)]
        if kind == "common":
            g, s = rng.choice({"TR": TR_COMMON, "IR": IR_COMMON, "DE": DE_COMMON, "ES": ES_COMMON,
                               "CN": CN_COMMON, "EN": EN_COMMON}[culture])
            sex = "f" if g in ("Ayşe", "Fatma", "Fatemeh", "Zahra", "Sabine", "María", "Carmen", "Na", "Fang", "Jing", "Mary") else "m"
            if culture == "ES":
                s = [s, zpick(rng, "ES_SURNAMES")]
            p = self.new_person(culture, country, sex, self.dob_between(18, 85), "common", group, given=g, surname=s)
            return [p]
        if kind == "twins":
            dob = self.dob_between(18, 70)
            pair = rng.choice({"TR": TR_TWINS, "IR": IR_TWINS, "DE": DE_TWINS, "ES": ES_TWINS,
                               "CN": CN_TWINS, "EN": EN_TWINS}[culture]) if rng.random() < 0.6 else None
            first = self.new_person(culture, country, self.guess_sex(culture, pair[0]) if pair else sex, dob, "twins", group,
                                    given=pair[0] if pair else None)
            second_sex = self.guess_sex(culture, pair[1]) if pair else ("m" if rng.random() < 0.5 else "f")
            second = None
            for _ in range(10):
                second = self.new_person(culture, country, second_sex, dob, "twins", group,
                                         given=pair[1] if pair else None, surname=self.surname_key(first),
                                         addr=first["addr"], home=first["home"])
                if self.given_key(second) != self.given_key(first):
                    break
            self.share_home(first, [second])
            return [first, second]
        if kind == "father_son":
            fdob = self.dob_between(45, 88)
            gap = rng.randint(22, 38)
            sdob_ord = fdob.toordinal() + gap * 365 + rng.randint(0, 364)
            sdob = date.fromordinal(min(sdob_ord, REF_DATE.toordinal() - 18 * 366))
            father = self.new_person(culture, country, "m", fdob, "father_son", group)
            son = self.new_person(culture, country, "m", sdob, "father_son", group,
                                  given=father["given"] if culture != "DE" else father["given"],
                                  surname=self.surname_key(father), addr=father["addr"], home=father["home"])
            if culture == "DE":
                son["given2"] = father["given2"]
            if culture == "EN":
                son["middle"] = father["middle"] if rng.random() < 0.5 else son["middle"]
            father["suffix"] = "sr"
            son["suffix"] = "jr"
            self.share_home(father, [son])
            return [father, son]
        # household
        size = rng.choices([2, 3, 4], [45, 35, 20])[0]
        shares = culture in ("TR", "DE", "EN")
        head_sex = "m" if (culture in ("ES", "IR", "CN") or rng.random() < 0.8) else "f"
        head = self.new_person(culture, country, head_sex, self.dob_between(42, 85), "household", group)
        members = [head]
        addr, home = head["addr"], None
        head_age = REF_DATE.year - head["dob"].year
        with_spouse = size >= 3 and rng.random() < 0.7 or (size == 2 and shares and rng.random() < 0.6)
        taken = [self.given_key(head)]
        if with_spouse:
            spouse_sex = "f" if head_sex == "m" else "m"
            age = max(20, min(90, head_age + rng.randint(-6, 6)))
            spouse = self.new_person(culture, country, spouse_sex, self.dob_between(age, age + 1), "household", group,
                                     surname=self.surname_key(head) if shares else None, addr=addr)
            if culture == "TR" and spouse_sex == "f" and rng.random() < 0.35:
                spouse["alt_surname"] = zpick(rng, "TR_SURNAMES")
            members.append(spouse)
            taken.append(self.given_key(spouse))
        while len(members) < size:
            max_child = max(18, head_age - 20)
            dob = self.dob_between(18, max(19, min(max_child, 60)))
            csex = "m" if rng.random() < 0.5 else "f"
            if culture == "ES":
                mother = members[1] if with_spouse and head_sex == "m" else None
                s = [head["surname"][0], mother["surname"][0] if mother else zpick(rng, "ES_SURNAMES")]
            else:
                s = self.surname_key(head)
            for _ in range(10):
                child = self.new_person(culture, country, csex, dob, "household", group, surname=s, addr=addr)
                if self.given_key(child) not in taken:
                    break
            taken.append(self.given_key(child))
            members.append(child)
        home_nsn = self.unique_phone(lambda: new_landline(rng, country, addr["city"]), head["pid"])
        for m in members:
            m["home"] = home_nsn
        if rng.random() < 0.4:
            fam = self.new_family_email(culture, country, self.latin_names(head)[1], -group)
            for m in members:
                m["family_email"] = fam
        return members

    def share_home(self, first: dict, others: list):
        if first["home"] is None and self.rng.random() < 0.7:
            country, city = first["country"], first["addr"]["city"]
            first["home"] = self.unique_phone(lambda: new_landline(self.rng, country, city), first["pid"])
        for o in others:
            o["home"] = first["home"]

    def guess_sex(self, culture: str, given: str) -> str:
        female = {"TR": TR_FEMALE + ["Eda", "Ece", "Ela"], "IR": [e[1][0] for e in IR_FEMALE],
                  "DE": DE_FEMALE, "ES": ES_FEMALE + ["Juana"], "CN": CN_FEMALE,
                  "EN": EN_FEMALE + ["Danielle", "Joan", "Emma", "Ella", "Sophia"]}[culture]
        return "f" if given in female else "m"

    @staticmethod
    def surname_key(p: dict):
        c = p["culture"]
        if c == "IR":
            return p["surname"]
        if c in ("DE", "ES"):
            return list(p["surname"])
        if c == "CN":
            return p["surname"]
        return p["surname"]

    @staticmethod
    def given_key(p: dict) -> str:
        g = p["given"]
        if p["culture"] == "IR":
            return "|".join(e[1][0] for e in g)
        if isinstance(g, list):
            return " ".join(g)
        return g

    # ---- record rendering -----------------------------------------------------

    def applicable(self, p: dict, kind: str) -> bool:
        c = p["culture"]
        if kind == "nickname":
            return self.nickname_of(p) is not None
        if kind == "dob_swap":
            d = p["dob"]
            return d.day <= 12 and d.month <= 12 and d.day != d.month
        if kind == "surname_variant":
            if c == "ES":
                return True
            if c == "DE":
                return len(p["surname"]) == 2 or "-" in p["surname"][0]
            if c == "TR":
                return bool(p.get("alt_surname"))
            if c == "IR":
                return p["surname"][1][0].endswith(("zadeh", "pour", "nejad"))
            if c == "CN":
                return len(p["surname"]) > 1
            return False
        if kind == "middle_name":
            if c == "TR":
                return len(p["given"]) > 1
            if c == "IR":
                return len(p["given"]) > 1 or p["seyed"]
            if c == "DE":
                return bool(p["given2"]) or "-" in p["given"]
            if c == "ES":
                return " " in p["given"]
            if c == "EN":
                return bool(p["middle"])
            return False
        if kind == "email_other":
            return bool(p["work_email"] or p["family_email"] or p["email"])
        if kind == "email_variant":
            return bool(p["email"])
        return True

    def nickname_of(self, p: dict):
        c = p["culture"]
        if c == "EN":
            return EN_NICK.get(p["given"])
        if c == "DE":
            return DE_NICK.get(p["given"]) if not p["given2"] else None
        if c == "ES":
            g = p["given"]
            if g in ES_NICK:
                return ES_NICK[g]
            first = g.split()[0]
            if " " in g and first not in ("José", "María", "Juan", "Ana"):
                return ES_NICK.get(first)
            return None
        return None

    def choose_kinds(self, p: dict) -> list[str]:
        rng = self.rng
        n = rng.choices(CORRUPTION_COUNT, CORRUPTION_COUNT_W)[0]
        pool = [(k, w) for k, w in KINDS if self.applicable(p, k)]
        chosen = []
        while pool and len(chosen) < n:
            i = rng.choices(range(len(pool)), [w for _, w in pool])[0]
            chosen.append(pool.pop(i)[0])
        return chosen

    def choose_script(self, p: dict) -> str:
        rng, c = self.rng, p["culture"]
        if c == "TR":
            text = " ".join(p["given"]) + p["surname"] + p["addr"]["city"][0]
            if tr_ascii(text) == text:
                return rng.choices(["upper_tr", "upper_naive", "lower"], [60, 30, 10])[0]
            return rng.choices(["ascii", "upper_tr", "upper_naive", "roundtrip", "ascii_upper", "lower"],
                               [45, 18, 10, 14, 9, 4])[0]
        if c == "IR":
            if all(len(e[1]) == 1 for e in p["given"]) and len(p["surname"][1]) == 1 and len(p["given"]) == 1:
                return rng.choices(["arabic", "arabic_ar", "latin_upper"], [45, 40, 15])[0]
            return rng.choices(["arabic", "arabic_ar", "latin_alt", "latin_upper"], [24, 22, 44, 10])[0]
        if c == "DE":
            text = p["given"] + "".join(p["surname"]) + p["addr"]["street"] + p["addr"]["city"][0]
            if text.translate(DE_EXPAND) == text:
                return "upper"
            return rng.choices(["expanded", "stripped", "upper", "upper_expanded"], [50, 15, 20, 15])[0]
        if c == "ES":
            text = p["given"] + "".join(p["surname"])
            if strip_accents(text) == text:
                return rng.choices(["upper", "stripped"], [70, 30])[0]
            return rng.choices(["stripped", "upper", "upper_stripped"], [60, 20, 20])[0]
        if c == "CN":
            if len(p["given"]) == 1 and len(p["surname"]) == 1:
                return "upper_surname"
            return rng.choices(["alt_join", "upper_surname", "alt_join_upper"], [50, 30, 20])[0]
        if "'" in p["surname"] or p["surname"].startswith(("Mc", "Mac")):
            return rng.choices(["apostrophe", "upper", "lower"], [60, 30, 10])[0]
        return rng.choices(["upper", "lower"], [75, 25])[0]

    def latin_transform(self, culture: str, script: str, s: str) -> str:
        """The record's script/case state applied to address text."""
        if not s:
            return s
        if culture == "TR":
            if script in ("ascii", "ascii_upper"):
                s = tr_ascii(s)
            if script in ("upper_naive", "ascii_upper"):
                s = s.upper()
            return s
        if culture == "DE":
            if script in ("expanded", "upper_expanded"):
                s = s.translate(DE_EXPAND)
            elif script == "stripped":
                s = s.translate(DE_STRIP)
            if script in ("upper", "upper_expanded"):
                s = s.upper()
            return s
        if culture == "ES":
            if script in ("stripped", "upper_stripped"):
                s = strip_accents(s)
            if script in ("upper", "upper_stripped"):
                s = s.upper()
            return s
        if script in ("upper", "latin_upper", "alt_join_upper"):
            return s.upper()
        return s

    def render_name(self, p: dict, kinds: list, applied: list, script: str, src: str):
        """Returns (given, surname, full_name_builder_info)."""
        rng, c = self.rng, p["culture"]
        info = {"title": None, "suffix": None}
        if c == "TR":
            toks = list(p["given"])
            s = p["surname"]
            if "middle_name" in kinds and len(toks) > 1:
                toks = [toks[0]] if rng.random() < 0.75 else [toks[1]]
                applied.append("middle_name")
            if "surname_variant" in kinds and p.get("alt_surname"):
                s = f"{p['alt_surname']} {s}"
                applied.append("surname_variant")
            g = " ".join(toks)
            if script == "ascii":
                g, s = tr_ascii(g), tr_ascii(s)
            elif script == "upper_tr":
                s = tr_upper(s)
            elif script == "upper_naive":
                g, s = g.upper(), s.upper()
            elif script == "roundtrip":
                g, s = g.upper().title(), s.upper().title()
            elif script == "ascii_upper":
                g, s = tr_ascii(g).upper(), tr_ascii(s).upper()
            elif script == "lower":
                g, s = g.lower(), s.lower()
            return g, s, info
        if c == "IR":
            entries, idx = list(p["given"]), list(p["gidx"])
            seyed = False
            if "middle_name" in kinds:
                if len(entries) > 1:
                    k = 1 if rng.random() < 0.55 else 0
                    entries, idx = [entries[k]], [idx[k]]
                    applied.append("middle_name")
                elif p["seyed"]:
                    seyed = True
                    applied.append("middle_name")
            sur = p["surname"]
            split_suffix = "surname_variant" in kinds and sur[1][0].endswith(("zadeh", "pour", "nejad"))
            if split_suffix:
                applied.append("surname_variant")
            if script in ("arabic", "arabic_ar"):
                self.arabic_records += 1
                joiner = "" if rng.random() < 0.6 else " "
                g = joiner.join(e[0] for e in entries)
                if seyed:
                    g = "سید " + g
                s = sur[0]
                if split_suffix:
                    s = s.replace(ZWNJ, " ")
                elif ZWNJ in s and rng.random() < 0.3:
                    s = s.replace(ZWNJ, "")
                if script == "arabic_ar":
                    g, s = g.translate(AR_VARIANT), s.translate(AR_VARIANT)
                    if p["sex"] == "f" and g.endswith("ه") and rng.random() < 0.3:
                        g = g[:-1] + "ة"
                return g, s, info
            if script in ("latin_alt", "latin_upper"):
                idx = [rng.randrange(len(e[1])) if len(e[1]) > 1 and rng.random() < 0.8 else i
                       for e, i in zip(entries, idx)]
                sidx = rng.randrange(len(sur[1])) if len(sur[1]) > 1 and rng.random() < 0.8 else p["sidx"]
                join = rng.choice(["", " ", "-"]) if len(entries) > 1 else ""
            else:
                sidx, join = p["sidx"], p["gjoin"]
            parts = [e[1][i] for e, i in zip(entries, idx)]
            if len(parts) > 1:
                g = parts[0] + parts[1].lower() if join == "" else join.join(parts)
            else:
                g = parts[0]
            if seyed:
                g = rng.choice(["Seyed", "Seyyed", "Sayed", "S."]) + " " + g
            s = sur[1][sidx]
            if split_suffix:
                for suf in ("zadeh", "pour", "nejad"):
                    if s.endswith(suf):
                        s = s[: -len(suf)] + rng.choice([" ", "-"]) + (suf.capitalize() if rng.random() < 0.8 else suf)
                        break
            if script == "latin_upper":
                s = s.upper()
                if rng.random() < 0.4:
                    g = g.upper()
            return g, s, info
        if c == "DE":
            g = p["given"]
            g2 = p["given2"]
            sur = list(p["surname"])
            if "nickname" in kinds and self.nickname_of(p):
                g = rng.choice(self.nickname_of(p))
                g2 = None
                applied.append("nickname")
            if "middle_name" in kinds:
                if g2:
                    g2 = None
                    applied.append("middle_name")
                elif "-" in g:
                    g = g.replace("-", " ") if rng.random() < 0.5 else g.split("-")[0]
                    applied.append("middle_name")
            if g2:
                g = f"{g} {g2}"
            if "surname_variant" in kinds and (len(sur) == 2 or "-" in sur[0]):
                parts = sur if len(sur) == 2 else sur[0].split("-")
                s = rng.choices([" ".join(parts), parts[0], parts[1]], [40, 45, 15])[0]
                applied.append("surname_variant")
            else:
                s = "-".join(sur)
            if script in ("expanded", "upper_expanded"):
                g, s = g.translate(DE_EXPAND), s.translate(DE_EXPAND)
            elif script == "stripped":
                g, s = g.translate(DE_STRIP), s.translate(DE_STRIP)
            if script in ("upper", "upper_expanded"):
                s = s.upper()
                if rng.random() < 0.5:
                    g = g.upper()
            info["title"] = p["title"]
            if p["suffix"] and rng.random() < 0.15:
                info["suffix"] = "jun." if p["suffix"] == "jr" else "sen."
            return g, s, info
        if c == "ES":
            g = p["given"]
            s1, s2 = p["surname"]
            if "nickname" in kinds and self.nickname_of(p):
                g = rng.choice(self.nickname_of(p))
                applied.append("nickname")
            elif "middle_name" in kinds and " " in g:
                first, rest = g.split(" ", 1)
                if first == "María" and rng.random() < 0.5:
                    g = rng.choice(["Mª", "M.", "Ma."]) + " " + rest
                elif first == "José" and rng.random() < 0.3:
                    g = f"José {rest[0]}."
                else:
                    g = first
                applied.append("middle_name")
            if "surname_variant" in kinds:
                s = rng.choices([s1, f"{s1}-{s2}", f"{s1} y {s2}"], [75, 15, 10])[0]
                applied.append("surname_variant")
            else:
                s = f"{s1} {s2}"
            if script in ("stripped", "upper_stripped"):
                g, s = strip_accents(g), strip_accents(s)
            if script in ("upper", "upper_stripped"):
                s = s.upper()
                if rng.random() < 0.5:
                    g = g.upper()
            if p["suffix"] == "jr" and rng.random() < 0.05:
                info["suffix"] = "hijo"
            return g, s, info
        if c == "CN":
            syl = p["given"]
            join = p["gjoin"]
            sidx = p["sidx"]
            sur = p["surname"]
            if script in ("alt_join", "alt_join_upper"):
                if len(syl) > 1:
                    join = rng.choice([j for j in ["", " ", "-", "-l", "camel"] if j != join])
                if len(sur) > 1:
                    sidx = rng.randrange(len(sur))
            if "surname_variant" in kinds and len(sur) > 1:
                sidx = rng.choice([i for i in range(len(sur)) if i != sidx])
                applied.append("surname_variant")
            g = cn_given(syl, join)
            s = sur[sidx]
            if script in ("upper_surname", "alt_join_upper"):
                s = s.upper()
                if script == "alt_join_upper" and rng.random() < 0.4:
                    g = g.upper()
            return g, s, info
        # EN
        g = p["given"]
        s = p["surname"]
        if "nickname" in kinds and self.nickname_of(p):
            g = rng.choice(self.nickname_of(p))
            applied.append("nickname")
        if "middle_name" in kinds and p["middle"]:
            g = f"{g} {p['middle'][0]}." if rng.random() < 0.7 else f"{g} {p['middle']}"
            applied.append("middle_name")
        if script == "apostrophe":
            if "'" in s:
                s = rng.choice([s.replace("'", ""), s.replace("'", " "), s.replace("'", "\u2019")])
            else:
                s = s[:3] + s[3:].lower() if s.startswith("Mac") else s[:2] + s[2:].lower()
        elif script == "upper":
            s = s.upper()
            if rng.random() < 0.5:
                g = g.upper()
        elif script == "lower":
            g, s = g.lower(), s.lower()
        if p["suffix"] == "jr" and rng.random() < 0.55:
            info["suffix"] = rng.choice(["Jr", "Jr.", "II"])
        elif p["suffix"] == "sr" and rng.random() < 0.2:
            info["suffix"] = rng.choice(["Sr", "Sr."])
        return g, s, info

    def full_name(self, p: dict, g: str, s: str, info: dict, swap: bool, src: str, script: str) -> str:
        rng, c = self.rng, p["culture"]
        if c == "CN":
            if src in ("billing", "crm"):
                style = rng.choices(["sg", "gs", "SG"], [70, 15, 15])[0]
            else:
                style = rng.choices(["sg", "gs", "SG"], [40, 50, 10])[0]
        elif c == "TR":
            style = rng.choices(["gs", "sg_comma", "SG"], [70, 15, 15])[0]
        elif c == "IR" and script in ("arabic", "arabic_ar"):
            style = "gs"
        else:
            style = rng.choices(["gs", "sg_comma"], [85, 15])[0]
        if swap:
            style = {"gs": "sg", "sg": "gs", "SG": "gs", "sg_comma": "sg"}[style]
        if style == "SG":
            up = tr_upper(s) if c == "TR" else s.upper()
            name = f"{up} {g}"
        elif style == "sg":
            name = f"{s} {g}"
        elif style == "sg_comma":
            name = f"{s}, {g}"
        else:
            name = f"{g} {s}"
        if info.get("suffix"):
            name = f"{name}, {info['suffix']}" if (style == "gs" and rng.random() < 0.2) else f"{name} {info['suffix']}"
        if info.get("title") and style == "gs" and rng.random() < 0.6:
            name = f"{info['title']} {name}"
        return name

    def render_address(self, p: dict, addr: dict, script: str, abbrev: bool, typo_street: bool, applied: list):
        rng, country, c = self.rng, p["country"], p["culture"]
        city = addr["city"]
        if typo_street:
            applied.append("typo_street")
        if abbrev:
            applied.append("address_abbrev")
        a2 = ""
        state = ""
        if country == "TR":
            name, t = addr["street"]
            if typo_street and not name[0].isdigit():
                name = typo(rng, name)
            word, abbrs = TR_TYPE[t]
            a1 = f"{name} {rng.choice(abbrs) if abbrev else word}"
            mah = f"{addr['mah']} {'Mah.' if abbrev and rng.random() < 0.8 else 'Mahallesi'}" if addr["mah"] != "Yeni" else "Yeni Mahalle"
            flat = addr["flat"]
            num = addr["num"]
            if flat and addr["slash"]:
                num = f"{num}/{flat}"
                a2 = mah
            elif flat:
                a2 = f"{mah}, {'D:' + str(flat) if abbrev else 'Daire ' + str(flat)}"
            else:
                a2 = mah
            cityname, state = city[0], city[1]
            a1, a2, cityname, state = (self.latin_transform(c, script, x) for x in (a1, a2, cityname, state))
            return num, a1, a2, cityname, addr["pc"], state
        if country == "IR":
            kind, ar, lat = addr["street"]
            arabic = script in ("arabic", "arabic_ar")
            if arabic:
                head = ("خیابان" if kind == "k" else "بلوار")
                if abbrev and kind == "k":
                    head = "خ"
                a1 = f"{head} {ar}"
                if addr["alley"]:
                    a2 = f"کوچه {addr['alley'][0]}"
                if addr["unit"]:
                    u = f"{'واحد' if addr['unit'][0] == 'vahed' else 'طبقه'} {addr['unit'][1]}"
                    a2 = f"{a2}، {u}" if a2 else u
                cityname, state = city[0], city[2]
                num, pc = addr["num"], addr["pc"]
                if rng.random() < 0.4:
                    num, a2, pc = num.translate(FA_DIGITS), a2.translate(FA_DIGITS), pc.translate(FA_DIGITS)
                if script == "arabic_ar":
                    a1, a2, cityname, state = (x.translate(AR_VARIANT) for x in (a1, a2, cityname, state))
                return num, a1, a2, cityname, pc, state
            sidx = addr["sidx"] if script != "latin_alt" else rng.randrange(len(lat))
            name = lat[sidx]
            if typo_street:
                name = typo(rng, name)
            if kind == "k":
                a1 = rng.choice([f"{name} St.", f"{name} Street", f"{name} Ave.", f"Kh. {name}"]) if abbrev else f"Khiaban-e {name}"
            else:
                a1 = rng.choice([f"{name} Blvd.", f"{name} Boulevard", f"Blvd. {name}"]) if abbrev else f"Bolvar-e {name}"
            if addr["alley"]:
                al = addr["alley"][1][0]
                a2 = f"{al} Alley" if abbrev else f"Kuche-ye {al}"
            if addr["unit"]:
                kind_u, n = addr["unit"]
                u = (f"Unit {n}" if kind_u == "vahed" else f"Floor {n}") if abbrev else (f"Vahed {n}" if kind_u == "vahed" else f"Tabaghe-ye {n}")
                a2 = f"{a2}, {u}" if a2 else u
            cidx = addr["cidx"] if script != "latin_alt" else rng.randrange(len(city[1]))
            cityname = city[1][cidx]
            state = city[3][0] if not abbrev else rng.choice(city[3])
            pc = addr["pc"]
            if rng.random() < 0.3:
                pc = f"{pc[:5]}-{pc[5:]}"
            if script == "latin_upper":
                a1, a2, cityname, state = a1.upper(), a2.upper(), cityname.upper(), state.upper()
            return addr["num"], a1, a2, cityname, pc, state
        if country == "DE":
            st = addr["street"]
            if typo_street:
                st = typo(rng, st)
            if abbrev:
                if "straße" in st:
                    st = st.replace("straße", "str.")
                elif "Straße" in st:
                    st = st.replace("Straße", "Str.")
                elif st.endswith("platz"):
                    st = st[:-5] + "pl."
            num = addr["num"]
            if abbrev and not num.isdigit():
                num = num[:-1] + rng.choice([" ", ""]) + num[-1].upper()
            cityname = city[0]
            if abbrev and cityname in DE_CITY_ALT and rng.random() < 0.5:
                cityname = rng.choice(DE_CITY_ALT[cityname])
            a2 = addr["extra"] or ""
            st, a2, cityname, state = (self.latin_transform(c, script, x) for x in (st, a2, cityname, city[1]))
            return num, st, a2, cityname, addr["pc"], state
        if country == "ES":
            t, rest = addr["street"]
            if typo_street:
                rest = typo(rng, rest)
            if abbrev and t:
                tt = rng.choice(ES_TYPE_ABBR[t])
                r2 = rest
                if rng.random() < 0.5:
                    for part in ("de la ", "del ", "de "):
                        if r2.startswith(part):
                            r2 = r2[len(part):]
                            break
                a1 = f"{tt} {r2}"
            else:
                a1 = f"{t} {rest}" if t else rest
            if addr["floor"]:
                fl, door = addr["floor"]
                if fl == "Bajo":
                    a2 = f"Bajo {door}"
                elif abbrev:
                    a2 = rng.choice([f"{fl}-{door}", f"{fl} {door}", f"Piso {fl}, Puerta {door}"])
                else:
                    a2 = f"{fl}º {door}" if not door.isdigit() else f"{fl}º {door}ª"
            cityname, state = city[0], city[1]
            if abbrev and rng.random() < 0.5:
                cityname = rng.choice(ES_CITY_ALT.get(cityname, [cityname]))
                state = rng.choice(ES_CITY_ALT.get(state, [state]))
            a1, a2, cityname, state = (self.latin_transform(c, script, x) for x in (a1, a2, cityname, state))
            return addr["num"], a1, a2, cityname, addr["pc"], state
        if country == "CN":
            name, t = addr["street"]
            if typo_street:
                name = typo(rng, name)
            if abbrev:
                a1 = rng.choice([f"{name} {rng.choice(CN_TYPE_EN[t])}", f"{name}{t.lower()}"])
            else:
                a1 = f"{name} {t}"
            comp, b, u, r = addr["unit"]
            if abbrev:
                a2 = f"{b}-{u}-{r}" if rng.random() < 0.6 else f"{b} Dong {u} Danyuan {r} Shi"
            else:
                a2 = f"Building {b}, Unit {u}, Room {r}" if rng.random() < 0.7 else f"Room {r}, Building {b}"
            if comp:
                a2 = f"{comp} {a2}" if abbrev else f"{comp}, {a2}"
            cityname = city[0]
            if abbrev and cityname in CN_CITY_ALT:
                cityname = rng.choice(CN_CITY_ALT[cityname])
            state = city[1]
            if script in ("upper_surname", "alt_join_upper") and rng.random() < 0.3:
                a1, a2, cityname, state = a1.upper(), a2.upper(), cityname.upper(), state.upper()
            return addr["num"], a1, a2, cityname, addr["pc"], state
        if country == "US":
            d, name, t = addr["street"]
            if typo_street:
                name = typo(rng, name) if not name[0].isdigit() else name
            short = addr["abbr"] != abbrev  # abbreviation flips the person's usual form
            tw = rng.choice(EN_TYPE_ABBR[t]) if short else t
            dw = d if (short or not d) else US_DIRS[d]
            a1 = f"{dw} {name} {tw}".strip()
            if addr["apt"]:
                k, n = addr["apt"]
                if k == "Apt":
                    a2 = rng.choice([f"Apt {n}", f"Apt. {n}", f"#{n}"]) if abbrev else f"Apt {n}"
                elif k == "Suite":
                    a2 = f"Ste {n}" if abbrev else f"Suite {n}"
                else:
                    a2 = f"#{n}" if abbrev else f"Unit {n}"
            state = US_STATES[city[1]] if abbrev and rng.random() < 0.5 else city[1]
            pc = addr["pc"] + (f"-{addr['plus4']}" if rng.random() < 0.08 else "")
            cityname = city[0]
            out = [addr["num"], a1, a2, cityname, pc, state]
            if script == "upper":
                out = [x.upper() for x in out]
            return tuple(out)
        # GB
        name, t = addr["street"]
        if typo_street and name != "The":
            name = typo(rng, name)
        tw = rng.choice(EN_TYPE_ABBR[t]) if abbrev else t
        a1 = f"{name} {tw}"
        a2 = f"Flat {addr['flat']}" if addr["flat"] else ""
        pc = addr["pc"]
        r = rng.random()
        if r < 0.12:
            pc = pc.replace(" ", "")
        elif r < 0.18:
            pc = pc.lower()
        cityname = city[0]
        if abbrev and cityname in GB_CITY_ALT:
            cityname = GB_CITY_ALT[cityname][0]
        state = city[1]
        out = [addr["num"], a1, a2, cityname, pc, state]
        if script == "upper":
            out = [x.upper() for x in out]
        return tuple(out)

    def render_email(self, p: dict, kinds: list, applied: list, src: str) -> str:
        rng = self.rng
        email = p["email"]
        if p["family_email"] and rng.random() < 0.25:
            email = p["family_email"]
        if "email_other" in kinds:
            options = []
            if p["work_email"]:
                options.append("work")
            if p["family_email"] and email != p["family_email"]:
                options.append("family")
            options.append("second")
            o = rng.choice(options)
            if o == "work":
                email = p["work_email"]
            elif o == "family":
                email = p["family_email"]
            else:
                if p["email2"] is None:
                    p["email2"] = self.new_email(p)
                email = p["email2"]
            applied.append("email_other")
        if not email:
            return ""
        if "email_variant" in kinds and email == p["email"]:
            local, dom = email.split("@")
            opts = ["case", "tag"]
            if dom == "gmail.com":
                opts += ["dots", "dots", "googlemail"]
            o = rng.choice(opts)
            if o == "case":
                if rng.random() < 0.3:
                    email = email.upper()
                else:
                    email = ".".join(x.capitalize() for x in local.split(".")) + "@" + dom.capitalize()
            elif o == "tag":
                tag = {"newsletter": "news", "billing": "shop", "support": "help", "crm": "crm", "survey": "survey"}[src]
                email = f"{local}+{tag}@{dom}"
            elif o == "dots":
                if "." in local:
                    email = local.replace(".", "") + "@" + dom
                else:
                    i = rng.randint(1, max(1, len(local) - 1))
                    email = local[:i] + "." + local[i:] + "@" + dom
            else:
                email = f"{local}@googlemail.com"
            applied.append("email_variant")
        return email

    def render_phone(self, p: dict, kinds: list, applied: list) -> str:
        rng = self.rng
        options = []
        if p["mobile"]:
            options.append(("m", p["mobile"]))
        if p["home"]:
            options.append(("h", p["home"]))
        if not options:
            if "phone_other" not in kinds:
                return ""
        pick = None
        if options:
            pick = options[0] if (len(options) == 1 or rng.random() < 0.7) else options[1]
        if "phone_other" in kinds:
            others = [o for o in options if o is not pick]
            if others:
                pick = others[0]
            else:
                if p["mobile2"] is None:
                    country, city = p["country"], p["addr"]["city"]
                    p["mobile2"] = self.unique_phone(lambda: new_mobile(rng, country, city), p["pid"])
                pick = ("m", p["mobile2"])
            applied.append("phone_other")
        kind, (nsn, alen) = pick
        return fmt_phone(rng, p["country"], nsn, alen, kind == "m")

    def render_dob(self, p: dict, kinds: list, applied: list) -> str:
        rng = self.rng
        d = p["dob"]
        if "dob_swap" in kinds and d.day <= 12 and d.month <= 12 and d.day != d.month:
            applied.append("dob_swap")
            return f"{d.year:04d}-{d.day:02d}-{d.month:02d}"
        s = d.isoformat()
        if "dob_digit" in kinds:
            for _ in range(40):
                i = rng.choices([2, 3, 5, 6, 8, 9], [3, 10, 3, 6, 8, 12])[0]
                new = s[:i] + rng.choice([x for x in "0123456789" if x != s[i]]) + s[i + 1:]
                try:
                    nd = date.fromisoformat(new)
                except ValueError:
                    continue
                if 1900 <= nd.year <= REF_DATE.year - 16:
                    applied.append("dob_digit")
                    return new
            # fall back: last digit of the day, +-1 (always valid for days 10..27)
            nd = date.fromordinal(d.toordinal() + (1 if d.day % 10 != 9 and d.day < 28 else -1))
            applied.append("dob_digit")
            return nd.isoformat()
        return s

    def record(self, p: dict, src: str, dup: bool) -> list[str]:
        rng = self.rng
        prof = PROFILE[src]
        kinds = self.choose_kinds(p) if dup else []
        applied: list[str] = []
        script = self.choose_script(p) if "translit" in kinds else "native"
        if script != "native":
            applied.append("translit")
        elif p["culture"] == "IR" and src in ("crm", "support", "survey") and rng.random() < 0.12:
            # Persian-language forms keep the name in its own script (not a corruption)
            script = "arabic" if rng.random() < 0.7 else "arabic_ar"
        g, s, info = self.render_name(p, kinds, applied, script, src)
        if "typo_name" in kinds:
            arabic = script in ("arabic", "arabic_ar")
            alphabet = PERSIAN_LETTERS if arabic else LATIN
            if rng.random() < 0.5:
                g2 = typo(rng, g, alphabet)
                if g2 != g:
                    g = g2
                    applied.append("typo_name")
            else:
                s2 = typo(rng, s, alphabet)
                if s2 != s:
                    s = s2
                    applied.append("typo_name")
        swap = "name_swap" in kinds
        if swap:
            applied.append("name_swap")
        full_only = rng.random() < prof["full_only"]
        if full_only:
            self.kind_counts["full_name_only"] += 1
            given, surname, full = "", "", self.full_name(p, g, s, info, swap, src, script)
        else:
            if info.get("suffix") and p["culture"] == "EN" and rng.random() < 0.6:
                s = f"{s} {info['suffix']}"
            given, surname, full = (s, g, "") if swap else (g, s, "")

        # address
        addr = p["addr"]
        if "moved_address" in kinds:
            if p["old_addr"] is None:
                same_city = rng.random() < 0.5
                p["old_addr"] = self.new_address(p["country"], addr["city"] if same_city else None)
            addr = p["old_addr"]
            applied.append("moved_address")
        r = rng.random()
        level = "full" if r < prof["addr"][0] else ("city" if r < prof["addr"][0] + prof["addr"][1] else "none")
        if "moved_address" in kinds or "typo_street" in kinds or "address_abbrev" in kinds:
            level = "full"
        num, a1, a2, city, pc, state = self.render_address(p, addr, script, "address_abbrev" in kinds,
                                                           "typo_street" in kinds, applied)
        if level == "city":
            num, a1, a2 = "", "", ""
        elif level == "none":
            num, a1, a2, city, pc, state = "", "", "", "", "", ""
        country = p["country"]

        force = set(kinds)
        email = self.render_email(p, kinds, applied, src) if (rng.random() < prof["email"] or force & {"email_variant", "email_other"}) else ""
        phone = self.render_phone(p, kinds, applied) if (rng.random() < prof["phone"] or "phone_other" in force) else ""
        dob = self.render_dob(p, kinds, applied) if (rng.random() < prof["dob"] or force & {"dob_swap", "dob_digit"}) else ""
        ssn = ""
        if rng.random() < prof["ssn"] or "ssn_digit" in force:
            raw = p["ssn"]
            if "ssn_digit" in force:
                raw = ssn_digit_error(rng, raw)
                applied.append("ssn_digit")
            ssn = fmt_ssn(rng, country, raw)
        company = ""
        if p["company"] and rng.random() < prof["company"]:
            full_c, _, short = p["company"]
            company = short if rng.random() < 0.25 else full_c
            if p["culture"] in ("TR", "DE", "ES"):
                company = self.latin_transform(p["culture"], script, company)
            elif rng.random() < 0.08:
                company = company.upper()
        row = {"source": src, "given_name": given, "surname": surname, "full_name": full, "email": email,
               "phone": phone, "street_number": num, "address_1": a1, "address_2": a2, "suburb": city,
               "postcode": pc, "state": state, "country": country, "date_of_birth": dob, "soc_sec_id": ssn,
               "company": company}
        if "missing_fields" in kinds:
            cands = [k for k in ("email", "phone", "street_number", "address_2", "postcode", "suburb", "state",
                                 "date_of_birth", "company", "soc_sec_id", "country") if row[k]]
            if cands:
                for k in rng.sample(cands, min(len(cands), rng.choice([1, 1, 2, 3]))):
                    row[k] = ""
                applied.append("missing_fields")
        for k in applied:
            self.kind_counts[k] += 1
        return row

    # ---- main loop -------------------------------------------------------------

    def run(self, n: int):
        rng = self.rng
        rows = []
        entity = 0
        group = 0
        per_culture_records = {c: 0 for c in CULTURES}
        per_culture_entities = {c: 0 for c in CULTURES}
        per_country = {}
        per_source = {s: 0 for s in SOURCES}
        rec_hist = {1: 0, 2: 0, 3: 0, 4: 0}
        true_pairs = 0
        hard = {"households": 0, "household_members": 0, "household_pairs": 0, "twin_pairs": 0,
                "father_son_pairs": 0, "common_name_persons": 0, "same_name_distinct_pairs": 0}
        name_counts: dict[tuple, int] = {}
        while len(rows) < n:
            group += 1
            members = self.new_unit(group)
            emitted = []
            for p in members:
                remaining = n - len(rows)
                if remaining <= 0:
                    break
                k = min(remaining, rng.choices(RECORDS_PER_PERSON, RECORDS_PER_PERSON_W)[0])
                eid = entity
                entity += 1
                emitted.append(p)
                for j in range(k):
                    src = rng.choices(SOURCES, SOURCE_WEIGHTS)[0]
                    row = self.record(p, src, dup=j > 0)
                    row["rec_id"] = f"rec-{eid}-org" if j == 0 else f"rec-{eid}-dup-{j - 1}"
                    rows.append(row)
                    per_source[src] += 1
                per_culture_records[p["culture"]] += k
                per_culture_entities[p["culture"]] += 1
                per_country[p["country"]] = per_country.get(p["country"], 0) + k
                rec_hist[k] += 1
                true_pairs += k * (k - 1) // 2
                key = (p["culture"], self.given_key(p), repr(p["surname"]))
                name_counts[key] = name_counts.get(key, 0) + 1
            m = len(emitted)
            if m >= 2:
                unit = emitted[0]["unit"]
                if unit == "household":
                    hard["households"] += 1
                    hard["household_members"] += m
                    hard["household_pairs"] += m * (m - 1) // 2
                elif unit == "twins":
                    hard["twin_pairs"] += 1
                elif unit == "father_son":
                    hard["father_son_pairs"] += 1
            if emitted and emitted[0]["unit"] == "common":
                hard["common_name_persons"] += 1
        hard["same_name_distinct_pairs"] = sum(v * (v - 1) // 2 for v in name_counts.values())
        rng.shuffle(rows)
        counts = dict(self.kind_counts)
        summary = {
            "records": len(rows),
            "entities": entity,
            "entities_with_duplicates": entity - rec_hist[1],
            "true_pairs": true_pairs,
            "records_per_entity": {str(k): v for k, v in rec_hist.items()},
            "records_per_culture": per_culture_records,
            "entities_per_culture": per_culture_entities,
            "records_per_country": dict(sorted(per_country.items())),
            "records_per_source": per_source,
            "corruptions": counts,
            "arabic_script_records": self.arabic_records,
            "hard_negatives": hard,
        }
        return rows, summary


def mailbox(address: str) -> str:
    """The mailbox an address delivers to: Gmail ignores dots and +tags."""
    local, _, domain = address.lower().partition("@")
    local = local.split("+", 1)[0]
    if domain in ("gmail.com", "googlemail.com"):
        return local.replace(".", "") + "@gmail.com"
    return f"{local}@{domain}"


def cn_given(syl: list, join: str) -> str:
    if len(syl) == 1:
        return syl[0].capitalize()
    a, b = syl[0].capitalize(), syl[1].lower()
    if join == "":
        return a + b
    if join == " ":
        return f"{a} {b.capitalize()}"
    if join == "-":
        return f"{a}-{b.capitalize()}"
    if join == "-l":
        return f"{a}-{b}"
    return a + b.capitalize()


def ir_postcode(rng: random.Random, prefix: str) -> str:
    """10 digits; no 0 or 2 among the first five digits, no 5 in the fifth, no 2 after."""
    while True:
        code = prefix + "".join(rng.choice("13456789") for _ in range(4 - len(prefix)))
        code += rng.choice("134679")
        code += "".join(rng.choice("013456789") for _ in range(5))
        if len(set(code[:4])) > 1:
            return code


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, help="number of records to write")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--out", help="output CSV (default customers_N_seedS.csv)")
    args = ap.parse_args(argv)
    if args.n < 1:
        ap.error("N must be positive")
    out = args.out or f"customers_{args.n}_seed{args.seed}.csv"
    started = time.perf_counter()
    rows, summary = Generator(args.seed).run(args.n)
    with open(out, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(COLUMNS)
        for row in rows:
            w.writerow([row[c] for c in COLUMNS])
    summary = {"seed": args.seed, "out": out, **summary}
    meta = (out[:-4] if out.endswith(".csv") else out) + ".meta.json"
    with open(meta, "w", encoding="utf-8") as fh:
        json.dump({**summary, "columns": COLUMNS, "generator": "tools/gen_customers.py",
                   "ground_truth": "records are the same person iff rec_id rec-<entity>-... share <entity>"},
                  fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    print(json.dumps(summary, ensure_ascii=False))
    print(f"wrote {out} and {meta} in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
