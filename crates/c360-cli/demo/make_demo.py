#!/usr/bin/env python3
"""Generates demo.jsonl, the c360 demo data set, next to this script.

    python3 make_demo.py            # writes demo.jsonl and prints a summary

The data is synthetic but shaped like real exports: about 120 people, each
seen by one to four source systems (a Stripe-like "billing", a Mailchimp-like
"newsletter", a hand-kept "crm-sheet" and a Zendesk-like "support"), with the
duplicates, messy spellings and over-merge traps a customer hub has to handle.
Everything is derived from one fixed random seed, so the output is the same on
every run (standard library only; Python 3.11).

After writing, the script reads the file back and validates it: every line is
JSON, required fields are present, activities reference records of their own
source, ids are unique, phone numbers normalize to the intended E.164 numbers,
and the people are recoverable by the deterministic rules (shared canonical
e-mail, E.164 phone with compatible given names, cross-reference; role
mailboxes never link) without two people ever ending up together.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import string
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

SEED = 360
rng = random.Random(SEED)

OUTPUT = Path(__file__).resolve().parent / "demo.jsonl"

START = datetime(2024, 1, 1, tzinfo=timezone.utc)
END = datetime(2026, 11, 1, tzinfo=timezone.utc)  # exclusive
TARGET_PEOPLE = 120

BILLING, NEWSLETTER, CRM, SUPPORT = "billing", "newsletter", "crm-sheet", "support"
SOURCES = [BILLING, NEWSLETTER, CRM, SUPPORT]

KINDS = [
    "order", "invoice_paid", "refund", "subscription_started", "subscription_cancelled",
    "ticket_opened", "ticket_solved", "csat_rating", "nps_response",
    "email_open", "email_click", "email_message",
]
MONEY_KINDS = {"order", "invoice_paid", "refund"}
SCORE_RANGES = {"nps_response": (0, 10), "csat_rating": (1, 5)}


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------

def ts(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def rand_time(lo: datetime, hi: datetime) -> datetime:
    """A random second in [lo, hi), during plausible waking hours (UTC)."""
    if hi <= lo:
        hi = lo + timedelta(hours=1)
    span = int((hi - lo).total_seconds())
    moment = lo + timedelta(seconds=rng.randrange(span))
    return moment.replace(hour=rng.randint(6, 21))


def clamp(moment: datetime) -> datetime:
    latest = END - timedelta(minutes=1)
    return min(max(moment, START), latest)


def dt(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=timezone.utc)


def add_months(moment: datetime, months: int) -> datetime:
    month0 = moment.month - 1 + months
    year = moment.year + month0 // 12
    month = month0 % 12 + 1
    day = min(moment.day, 28)
    return moment.replace(year=year, month=month, day=day)


def weighted(options):
    """options: list of (value, weight)."""
    values = [value for value, _ in options]
    weights = [weight for _, weight in options]
    return rng.choices(values, weights=weights, k=1)[0]


def alnum(n: int) -> str:
    return "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(n))


_used_ids: set[str] = set()


def unique(make) -> str:
    while True:
        value = make()
        if value not in _used_ids:
            _used_ids.add(value)
            return value


# ASCII transliteration for e-mail local parts.
GERMAN_ASCII = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
PLAIN_ASCII = {"ß": "ss", "ı": "i", "İ": "I", "ø": "o", "æ": "ae", "đ": "d", "ł": "l"}


def to_ascii(text: str, german: bool) -> str:
    table = GERMAN_ASCII if german else {}
    out = []
    for ch in text:
        if ch in table:
            out.append(table[ch])
        elif ch in PLAIN_ASCII:
            out.append(PLAIN_ASCII[ch])
        else:
            decomposed = unicodedata.normalize("NFKD", ch)
            out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
    return "".join(out)


def slug(text: str, german: bool = False) -> str:
    return re.sub(r"[^a-z0-9]", "", to_ascii(text, german).lower())


PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

# --------------------------------------------------------------------------
# Name, place and company pools
# --------------------------------------------------------------------------

NAMES = {
    "DE": {
        "given": ["Jürgen", "Günter", "Jörg", "Björn", "Sören", "Klaus", "Stefan", "Thomas", "Lukas",
                  "Maximilian", "Felix", "Tobias", "Anna", "Jana", "Käthe", "Lena", "Sophie", "Marie",
                  "Ursula", "Hannelore", "Katrin", "Jülide", "Franziska", "Dörte", "Annegret", "Malte"],
        "family": ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Schulz",
                   "Hoffmann", "Groß", "Krüger", "Schäfer", "Köhler", "Strauß", "Jäger", "Böhm",
                   "Lößner", "Neumann", "Hübner", "Wolff", "Brandt", "Vogel", "Zimmermann", "Roßbach"],
    },
    "US": {
        "given": ["James", "Michael", "Emily", "Ashley", "Christopher", "Jessica", "Daniel", "Sarah",
                  "Matthew", "Olivia", "Ethan", "Madison", "Tyler", "Brandon", "Megan", "Kevin",
                  "Rachel", "Marcus", "Hannah", "Jordan", "Priya", "Diego"],
        "family": ["Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
                   "Anderson", "Taylor", "Moore", "O'Brien", "Nguyen", "Patel", "Robinson",
                   "Ramirez", "Kowalski", "Goldberg", "Washington", "Sullivan"],
    },
    "GB": {
        "given": ["Oliver", "George", "Harry", "Charlotte", "Amelia", "Isla", "Siobhan", "Niamh",
                  "Callum", "Rhys", "Imogen", "Harriet", "Alistair", "Fiona", "Priya", "Tom"],
        "family": ["Davies", "Evans", "Roberts", "Walker", "Wright", "Thompson", "Hughes", "Edwards",
                   "Green", "Hall", "Clarke", "Jackson", "Wood", "Harris", "McDonald", "O'Neill",
                   "Fitzgerald", "Khan"],
    },
    "TR": {
        "given": ["Ahmet", "Mehmet", "Mustafa", "Emre", "Burak", "Oğuz", "İsmail", "Çağrı", "Zeynep",
                  "Elif", "Ayşe", "Fatma", "Büşra", "Şule", "Gülşen", "Irmak", "İpek", "Ilgın",
                  "Selin", "Barış", "Tuğba", "Doğan"],
        "family": ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk", "Aydın", "Özdemir",
                   "Arslan", "Doğru", "Kılıç", "Aslan", "Çetin", "Kara", "Koç", "Kurt", "Özkan",
                   "Şimşek", "Güneş", "Işık", "Erdoğan", "Ünal"],
    },
    "ES": {
        "given": ["José", "María", "Begoña", "Íñigo", "Lucía", "Álvaro", "Sofía", "Javier", "Nuria",
                  "Pilar", "Raúl", "Inés", "Ramón", "Ángela", "Sergio", "Carmen", "Montserrat",
                  "Jordi", "Aitor", "Rocío"],
        "family": ["García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez",
                   "Pérez", "Muñoz", "Jiménez", "Ibáñez", "Núñez", "Castaño", "Peña", "Ortiz",
                   "Ruiz", "Echeverría", "Vidal"],
    },
    # Iran and China: (romanized, native script) pairs.
    "IR": {
        "given": [("Ali", "علی"), ("Reza", "رضا"), ("Mohammad", "محمد"), ("Hossein", "حسین"),
                  ("Mehdi", "مهدی"), ("Amir", "امیر"), ("Sara", "سارا"), ("Maryam", "مریم"),
                  ("Fatemeh", "فاطمه"), ("Zahra", "زهرا"), ("Neda", "ندا"), ("Parisa", "پریسا"),
                  ("Shirin", "شیرین"), ("Leila", "لیلا"), ("Arash", "آرش"), ("Dariush", "داریوش")],
        "family": [("Rezaei", "رضایی"), ("Ahmadi", "احمدی"), ("Hosseini", "حسینی"),
                   ("Mohammadi", "محمدی"), ("Karimi", "کریمی"), ("Moradi", "مرادی"),
                   ("Jafari", "جعفری"), ("Hashemi", "هاشمی"), ("Rahimi", "رحیمی"),
                   ("Sadeghi", "صادقی"), ("Tehrani", "تهرانی"), ("Kazemi", "کاظمی")],
    },
    "CN": {
        "given": [("Xiaoming", "小明"), ("Wei", "伟"), ("Fang", "芳"), ("Na", "娜"), ("Lei", "磊"),
                  ("Jing", "静"), ("Yang", "洋"), ("Min", "敏"), ("Jie", "杰"), ("Li", "丽"),
                  ("Hao", "浩"), ("Yan", "燕"), ("Zihan", "子涵"), ("Yuxuan", "宇轩")],
        "family": [("Wang", "王"), ("Li", "李"), ("Zhang", "张"), ("Liu", "刘"), ("Chen", "陈"),
                   ("Yang", "杨"), ("Huang", "黄"), ("Zhao", "赵"), ("Wu", "吴"), ("Zhou", "周"),
                   ("Ouyang", "欧阳")],
    },
}

COUNTRY_WEIGHTS = [("DE", 25), ("US", 19), ("GB", 12), ("TR", 14), ("ES", 12), ("IR", 10), ("CN", 8)]

COUNTRY_META = {
    "DE": {"cc": "49", "currency": "EUR", "lang": "de", "names": ["DE", "Deutschland", "Germany"]},
    "US": {"cc": "1", "currency": "USD", "lang": "en", "names": ["US", "USA", "United States"]},
    "GB": {"cc": "44", "currency": "GBP", "lang": "en", "names": ["GB", "UK", "United Kingdom"]},
    "TR": {"cc": "90", "currency": "TRY", "lang": "tr", "names": ["TR", "Türkiye", "Turkey"]},
    "ES": {"cc": "34", "currency": "EUR", "lang": "es", "names": ["ES", "España", "Spain"]},
    "IR": {"cc": "98", "currency": "EUR", "lang": "fa", "names": ["IR", "Iran", "ایران"]},
    "CN": {"cc": "86", "currency": "USD", "lang": "zh", "names": ["CN", "China", "中国"]},
}

# city, region, postal codes, landline area code (national, no trunk 0), streets.
CITIES = {
    "DE": [
        ("Berlin", "Berlin", ["10115", "10119", "10405", "10435", "10997", "12047", "13353"], "30",
         ["Torstraße", "Kastanienallee", "Schönhauser Allee", "Karl-Marx-Allee", "Oranienstraße",
          "Bergmannstraße"]),
        ("Hamburg", "Hamburg", ["20354", "20249", "22765", "20099"], "40",
         ["Große Bleichen", "Eppendorfer Weg", "Osterstraße", "Lange Reihe"]),
        ("München", "Bayern", ["80331", "80469", "80802", "81667"], "89",
         ["Leopoldstraße", "Sendlinger Straße", "Maximilianstraße", "Weißenburger Straße"]),
        ("Köln", "Nordrhein-Westfalen", ["50667", "50672", "50674", "50937"], "221",
         ["Aachener Straße", "Ehrenstraße", "Zülpicher Straße", "Severinstraße"]),
        ("Frankfurt am Main", "Hessen", ["60316", "60594", "60311"], "69",
         ["Berger Straße", "Schweizer Straße", "Kaiserstraße"]),
        ("Leipzig", "Sachsen", ["04103", "04109", "04275"], "341",
         ["Karl-Liebknecht-Straße", "Gottschedstraße", "Könneritzstraße"]),
    ],
    "US": [
        ("San Francisco", "CA", ["94103", "94110", "94114", "94107"], "415",
         ["Market St", "Valencia St", "Mission St", "Folsom St"]),
        ("New York", "NY", ["10001", "10011", "10003", "10027"], "212",
         ["Broadway", "W 23rd St", "Lexington Ave", "Amsterdam Ave"]),
        ("Boston", "MA", ["02116", "02115", "02130"], "617",
         ["Beacon St", "Boylston St", "Centre St"]),
        ("Chicago", "IL", ["60601", "60614", "60622"], "312",
         ["N Michigan Ave", "W Randolph St", "N Milwaukee Ave"]),
        ("Seattle", "WA", ["98101", "98103", "98122"], "206",
         ["Pike St", "2nd Ave", "N 45th St"]),
        ("Austin", "TX", ["78701", "78704", "78751"], "512",
         ["S Congress Ave", "E 6th St", "Guadalupe St"]),
    ],
    "GB": [
        ("London", "", ["NW1 6XE", "N1 2UN", "SE1 7PB", "E2 8AA", "SW9 8LF"], "20 7946",
         ["Baker Street", "Camden High Street", "Upper Street", "Bermondsey Street",
          "Columbia Road"]),
        ("Manchester", "", ["M1 4BT", "M3 2BY", "M20 2RN"], "161 496",
         ["Deansgate", "Oxford Road", "Wilmslow Road"]),
        ("Edinburgh", "Scotland", ["EH2 2BY", "EH1 1SG", "EH6 6QU"], "131 496",
         ["Rose Street", "Leith Walk", "Broughton Street"]),
        ("Bristol", "", ["BS1 5TR", "BS7 8NB", "BS8 1QU"], "117 496",
         ["Park Street", "Gloucester Road", "Whiteladies Road"]),
    ],
    "TR": [
        ("İstanbul", "Kadıköy", ["34710", "34728"], "216", ["Bağdat Caddesi", "Moda Caddesi"]),
        ("İstanbul", "Beşiktaş", ["34340", "34357"], "212", ["Nispetiye Caddesi", "Barbaros Bulvarı"]),
        ("İstanbul", "Beyoğlu", ["34433"], "212", ["İstiklal Caddesi"]),
        ("Ankara", "Çankaya", ["06680", "06690"], "312", ["Tunalı Hilmi Caddesi", "Atatürk Bulvarı"]),
        ("İzmir", "Konak", ["35220", "35250"], "232", ["Kıbrıs Şehitleri Caddesi", "Cumhuriyet Bulvarı"]),
    ],
    "ES": [
        ("Madrid", "Comunidad de Madrid", ["28014", "28004", "28010", "28045"], "91",
         ["Calle de Alcalá", "Calle de Fuencarral", "Calle de Atocha", "Calle de Serrano"]),
        ("Barcelona", "Cataluña", ["08013", "08007", "08012"], "93",
         ["Carrer de Mallorca", "Passeig de Gràcia", "Carrer de Verdi"]),
        ("Valencia", "Comunidad Valenciana", ["46004", "46002"], "96",
         ["Carrer de Colón", "Carrer de la Pau"]),
        ("Sevilla", "Andalucía", ["41004", "41003"], "95", ["Calle Sierpes", "Calle Feria"]),
        ("Bilbao", "País Vasco", ["48009", "48001"], "94",
         ["Gran Vía de Don Diego López de Haro", "Calle Ledesma"]),
    ],
    "IR": [
        ("Tehran", "Tehran", ["1966934531", "1591634311", "1419733111"], "21",
         [("Valiasr St.", "خیابان ولیعصر"), ("Enghelab St.", "خیابان انقلاب"),
          ("Shariati St.", "خیابان شریعتی")]),
        ("Isfahan", "Isfahan", ["8173913455", "8174673441"], "31",
         [("Chaharbagh Abbasi St.", "خیابان چهارباغ عباسی")]),
        ("Shiraz", "Fars", ["7134814336", "7193635511"], "71", [("Zand Blvd.", "بلوار زند")]),
    ],
    "CN": [
        ("Beijing", "Beijing", ["100022", "100027"], "10",
         [("Jianguo Road, Chaoyang District", "朝阳区建国路"), ("Gongti North Road, Chaoyang District", "朝阳区工体北路")]),
        ("Shanghai", "Shanghai", ["200120", "200040"], "21",
         [("Century Avenue, Pudong New Area", "浦东新区世纪大道"), ("Nanjing West Road, Jing'an District", "静安区南京西路")]),
        ("Shenzhen", "Guangdong", ["518057", "518048"], "755",
         [("Shennan Avenue, Nanshan District", "南山区深南大道")]),
        ("Hangzhou", "Zhejiang", ["310012"], "571", [("Wensan Road, Xihu District", "西湖区文三路")]),
    ],
}
NATIVE_CITY = {"Tehran": "تهران", "Isfahan": "اصفهان", "Shiraz": "شیراز",
               "Beijing": "北京", "Shanghai": "上海", "Shenzhen": "深圳", "Hangzhou": "杭州"}

# name, domain, country (with a few renamed companies: old name, new name).
COMPANIES = [
    ("Acme GmbH", "acme-gmbh.de", "DE"),
    ("Nordlicht Design GmbH", "nordlicht-design.de", "DE"),
    ("Weiß Logistik AG", "weiss-logistik.de", "DE"),
    ("Bäckerei Groß e.K.", "baeckerei-gross.de", "DE"),
    ("Redwood Coffee Co.", "redwoodcoffee.com", "US"),
    ("Hudson & Pine LLC", "hudsonpine.com", "US"),
    ("Brightline Analytics Inc.", "brightline.io", "US"),
    ("Thames Ledger Ltd", "thamesledger.co.uk", "GB"),
    ("Kestrel Studio Ltd", "kestrelstudio.co.uk", "GB"),
    ("Anadolu Yazılım A.Ş.", "anadoluyazilim.com.tr", "TR"),
    ("Boğaziçi Tekstil Ltd. Şti.", "bogazicitekstil.com.tr", "TR"),
    ("Costa Brava Viajes S.L.", "costabravaviajes.es", "ES"),
    ("Peñalver Arquitectos S.L.P.", "penalverarquitectos.es", "ES"),
    ("Parsian Tech", "parsiantech.ir", "IR"),
    ("Shenzhen Xinghe Technology Co., Ltd.", "xinghetech.cn", "CN"),
]
COMPANY_BY_NAME = {name: (name, domain, country) for name, domain, country in COMPANIES}
RENAMED = {  # current name -> the name the old records still carry
    "Brightline Analytics Inc.": "Brightline Data LLC",
    "Acme GmbH": "ACME Software & Service GmbH",
    "Kestrel Studio Ltd": "Kestrel Design Studio",
}

PROVIDERS = {
    "DE": [("gmx.de", 5), ("web.de", 4), ("t-online.de", 3), ("gmail.com", 5), ("posteo.de", 1),
           ("outlook.de", 1)],
    "US": [("gmail.com", 8), ("yahoo.com", 3), ("outlook.com", 3), ("icloud.com", 2),
           ("hotmail.com", 1)],
    "GB": [("gmail.com", 5), ("outlook.com", 2), ("btinternet.com", 2), ("yahoo.co.uk", 2),
           ("hotmail.co.uk", 1)],
    "TR": [("gmail.com", 8), ("hotmail.com", 4), ("yandex.com.tr", 1), ("outlook.com", 1)],
    "ES": [("gmail.com", 7), ("hotmail.es", 3), ("yahoo.es", 1), ("telefonica.net", 1)],
    "IR": [("gmail.com", 7), ("yahoo.com", 3), ("chmail.ir", 1)],
    "CN": [("qq.com", 5), ("163.com", 3), ("gmail.com", 2), ("126.com", 1)],
}

# --------------------------------------------------------------------------
# Phones: E.164 generation and the many ways sources write them
# --------------------------------------------------------------------------

_used_phones: set[str] = set()


def _digits(n: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(n))


def _us_subscriber() -> str:
    while True:
        exchange = f"{rng.randint(2, 9)}{rng.randrange(10)}{rng.randrange(10)}"
        if exchange == "555" or exchange[1:] == "11":
            continue
        return exchange + _digits(4)


def new_phone(country: str, kind: str, area: str = "") -> tuple[str, list[int]]:
    """Returns (E.164, grouping of the national significant number)."""
    while True:
        if country == "DE":
            if kind == "mobile":
                prefix = rng.choice(["151", "152", "157", "160", "170", "171", "172", "173",
                                     "175", "176", "177", "178", "179"])
                rest = _digits(7 if prefix == "160" else 8)
                nsn, groups = prefix + rest, [3, len(rest)]
            else:
                rest = str(rng.randint(2, 9)) + _digits(7 if len(area) == 2 else 6)
                nsn, groups = area + rest, [len(area), len(rest)]
        elif country == "US":
            nsn, groups = area + _us_subscriber(), [3, 3, 4]
        elif country == "GB":
            if kind == "mobile":
                prefix = rng.choice(["7400", "7412", "7501", "7712", "7723", "7747", "7768",
                                     "7800", "7816", "7903", "7950", "7961", "7973", "7984"])
                nsn, groups = prefix + _digits(6), [4, 6]
            else:  # Ofcom's drama ranges: 020 7946 0xxx, 0161 496 0xxx, ...
                code, exchange = area.split()
                nsn = code + exchange + "0" + _digits(3)
                groups = [2, 4, 4] if code == "20" else [3, 3, 4]
        elif country == "TR":
            if kind == "mobile":
                prefix = rng.choice(["530", "532", "533", "535", "536", "537", "541", "542",
                                     "543", "505", "506", "555"])
                nsn = prefix + str(rng.randint(2, 9)) + _digits(6)
            else:
                nsn = area + str(rng.randint(3, 6)) + _digits(6)
            groups = [3, 3, 2, 2]
        elif country == "ES":
            if kind == "mobile":
                nsn, groups = "6" + _digits(8), [3, 3, 3]
            else:
                nsn, groups = area + str(rng.randint(2, 7)) + _digits(6), [2, 3, 2, 2]
        elif country == "IR":
            if kind == "mobile":
                prefix = rng.choice(["912", "919", "935", "936", "939", "901", "910", "921"])
                nsn, groups = prefix + _digits(7), [3, 3, 4]
            else:
                nsn, groups = area + str(rng.randint(2, 8)) + _digits(7), [2, 4, 4]
        elif country == "CN":
            if kind == "mobile":
                prefix = rng.choice(["138", "139", "136", "150", "158", "186", "188", "135"])
                nsn, groups = prefix + _digits(8), [3, 4, 4]
            else:
                nsn = area + str(rng.randint(5, 8)) + _digits(7)
                groups = [len(area), 4, 4]
        else:
            raise ValueError(country)
        e164 = "+" + COUNTRY_META[country]["cc"] + nsn
        if e164 not in _used_phones:
            _used_phones.add(e164)
            return e164, groups


@dataclass
class Phone:
    e164: str
    country: str
    groups: list[int]

    @property
    def cc(self) -> str:
        return COUNTRY_META[self.country]["cc"]

    @property
    def nsn(self) -> str:
        return self.e164[1 + len(self.cc):]

    def parts(self) -> list[str]:
        out, pos = [], 0
        for size in self.groups:
            out.append(self.nsn[pos:pos + size])
            pos += size
        return out

    def fmt(self, style: str) -> str:
        p, cc = self.parts(), self.cc
        if self.country == "US":
            area, exch, line = p
            return {
                "e164": self.e164,
                "intl": f"+1 {area} {exch} {line}",
                "intl_dash": f"+1-{area}-{exch}-{line}",
                "intl_paren": f"+1 ({area}) {exch}-{line}",
                "00": f"001 {area} {exch} {line}",
                "national": f"({area}) {exch}-{line}",
                "national_dash": f"{area}-{exch}-{line}",
                "national_dots": f"{area}.{exch}.{line}",
                "national_one": f"1-{area}-{exch}-{line}",
                "trunk": f"+1 ({area}) {exch}-{line}",
                "persian": self.e164,
            }[style]
        trunk_ok = self.country in ("DE", "GB", "TR", "IR", "CN")
        if style == "e164":
            return self.e164
        if style == "intl":
            return f"+{cc} " + " ".join(p)
        if style == "intl_dash":
            return f"+{cc}-" + "-".join(p)
        if style == "intl_paren":
            return f"+{cc} ({p[0]}) " + " ".join(p[1:])
        if style == "00":
            return f"00{cc} " + " ".join(p)
        if style == "trunk" and trunk_ok:
            return f"+{cc} (0){p[0]} " + "".join(p[1:]) if self.country == "DE" else \
                f"+{cc} (0){p[0]} " + " ".join(p[1:])
        if style == "persian":
            return (f"+{cc} " + " ".join(p)).translate(PERSIAN_DIGITS)
        return f"+{cc} " + " ".join(p)


def phone_style(country: str, source: str) -> str:
    """How a source writes a number; non-US numbers always carry the country code
    because the hub reads numbers without one as US numbers (its default region)."""
    if country == "US":
        if source == CRM:
            return weighted([("national", 5), ("national_dash", 3), ("national_dots", 2),
                             ("national_one", 1)])
        if source == SUPPORT:
            return weighted([("intl_paren", 3), ("national", 3), ("e164", 2)])
        return weighted([("e164", 3), ("intl", 2)])
    if source == CRM:
        options = [("00", 4), ("intl", 3), ("intl_dash", 1)]
        if country == "TR":
            options.append(("intl_paren", 2))
        if country in ("DE", "GB", "TR"):
            options.append(("trunk", 3))
        if country == "IR":
            options.append(("persian", 2))
        return weighted(options)
    if source == SUPPORT:
        options = [("e164", 4), ("intl_dash", 2), ("intl", 2)]
        if country in ("DE", "GB"):
            options.append(("trunk", 1))
        return weighted(options)
    return weighted([("e164", 3), ("intl", 3)])


# --------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------

@dataclass
class Address:
    line1: str
    line2: str
    city: str
    region: str
    postal_code: str
    country: str

    def as_json(self, country_label: str | None = None) -> dict:
        raw = {"line1": self.line1, "line2": self.line2, "city": self.city,
               "region": self.region, "postal_code": self.postal_code,
               "country": country_label or self.country}
        return {k: v for k, v in raw.items() if v}


@dataclass
class Person:
    pid: int
    country: str
    given: str
    family: str
    given_native: str = ""
    family_native: str = ""
    email: str = ""            # the primary address, in its plain lower-case form
    work_email: str = ""       # a second address some sources know instead
    mobile: Phone | None = None
    landline: Phone | None = None
    city: tuple | None = None
    address: Address | None = None
    old_address: Address | None = None
    company: str = ""
    birth_date: str = ""
    sources: list[str] = field(default_factory=list)
    features: set[str] = field(default_factory=set)
    role_email: str = ""       # a shared mailbox this person uses in one source
    role_source: str = ""
    email_styles: dict[str, str] = field(default_factory=dict)
    records: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))

    @property
    def native(self) -> bool:
        return bool(self.given_native)

    @property
    def german(self) -> bool:
        return self.country == "DE"


_used_emails: set[str] = set()


def canonical_email(raw: str) -> str:
    """Mirrors c360's default canonicalization (lower case, no +tag, gmail dots)."""
    address = raw.strip().lower()
    local, domain = address.rsplit("@", 1)
    domain = domain.rstrip(".")
    if domain == "googlemail.com":
        domain = "gmail.com"
    if "+" in local and not local.startswith("+"):
        local = local.split("+", 1)[0]
    if domain == "gmail.com":
        local = local.replace(".", "")
    return f"{local}@{domain}"


def claim_email(make) -> str:
    for attempt in range(50):
        value = make(attempt)
        if canonical_email(value) not in _used_emails:
            _used_emails.add(canonical_email(value))
            return value
    raise RuntimeError("could not find a free e-mail address")


def personal_email(p: Person) -> str:
    domain = weighted(PROVIDERS[p.country])
    g, f = slug(p.given, p.german), slug(p.family, p.german)
    yy = str(rng.randint(60, 99) if rng.random() < 0.5 else rng.randint(0, 5)).zfill(2)

    def make(attempt: int) -> str:
        if domain == "qq.com":
            return f"{rng.randint(10000000, 3999999999)}@qq.com"
        pattern = rng.choice(["g.f", "g.f", "gf", "g1f", "g.fyy", "g_f", "f.g", "gyy", "g1.f"])
        local = {
            "g.f": f"{g}.{f}", "gf": f"{g}{f}", "g1f": f"{g[0]}{f}", "g.fyy": f"{g}.{f}{yy}",
            "g_f": f"{g}_{f}", "f.g": f"{f}.{g}", "gyy": f"{g}{f[:2]}{yy}", "g1.f": f"{g[0]}.{f}",
        }[pattern]
        if attempt:
            local += str(rng.randint(1, 99))
        return f"{local}@{domain}"

    return claim_email(make)


def company_email(p: Person, domain: str) -> str:
    g, f = slug(p.given, p.german), slug(p.family, p.german)

    def make(attempt: int) -> str:
        local = rng.choice([f"{g}.{f}", f"{g[0]}.{f}", f"{g}", f"{g[0]}{f}"])
        if attempt:
            local = f"{g}.{f}{attempt}"
        return f"{local}@{domain}"

    return claim_email(make)


_people: list[Person] = []


def make_person(country: str | None = None, given=None, family=None, company: str | None = None,
                city_name: str | None = None, email: str | None = None) -> Person:
    country = country or weighted(COUNTRY_WEIGHTS)
    pool = NAMES[country]
    explicit_family = family is not None
    given = given or rng.choice(pool["given"])
    family = family or rng.choice(pool["family"])
    p = Person(pid=len(_people) + 1, country=country, given="", family="")
    if isinstance(given, tuple):
        p.given, p.given_native = given
        p.family, p.family_native = family
    else:
        p.given, p.family = given, family
        if country == "ES" and not explicit_family and rng.random() < 0.5:  # two surnames
            second = rng.choice([n for n in pool["family"] if n != family])
            p.family = f"{family} {second}"
    cities = CITIES[country]
    p.city = next(c for c in cities if c[0] == city_name) if city_name else rng.choice(cities)
    p.address = make_address(p, p.city)
    if company is None and rng.random() < 0.3:
        candidates = [c for c in COMPANIES if c[2] == country
                      and c[0] not in ("Nordlicht Design GmbH", "Costa Brava Viajes S.L.")]
        company = rng.choice(candidates)[0] if candidates else ""
    p.company = company or ""
    if email:
        _used_emails.add(canonical_email(email))
    if p.company and rng.random() < 0.35:
        p.email = email or company_email(p, COMPANY_BY_NAME[p.company][1])
    else:
        p.email = email or personal_email(p)
    if p.company and not p.email.endswith(COMPANY_BY_NAME[p.company][1]) and rng.random() < 0.5:
        p.work_email = company_email(p, COMPANY_BY_NAME[p.company][1])
    p.mobile = make_phone(country, "mobile", p.city[3])
    if rng.random() < 0.2:
        p.landline = make_phone(country, "landline", p.city[3])
    if rng.random() < 0.5:
        year = rng.randint(1948, 2003)
        p.birth_date = date(year, rng.randint(1, 12), rng.randint(1, 28)).isoformat()
    _people.append(p)
    return p


def make_phone(country: str, kind: str, area: str) -> Phone:
    e164, groups = new_phone(country, kind, area)
    return Phone(e164=e164, country=country, groups=groups)


def make_address(p: Person, city: tuple) -> Address:
    name, region, postcodes, _area, streets = city
    postal = rng.choice(postcodes)
    number = rng.randint(1, 240)
    line2 = ""
    if p.country == "DE":
        line1 = f"{rng.choice(streets)} {number}{rng.choice(['', '', '', 'a', 'b'])}"
        line2 = weighted([("", 6), ("Hinterhaus", 1), ("3. OG", 1), ("c/o " + rng.choice(NAMES["DE"]["family"]), 1)])
    elif p.country == "US":
        line1 = f"{rng.randint(10, 4999)} {rng.choice(streets)}"
        line2 = weighted([("", 5), (f"Apt {rng.randint(1, 24)}{rng.choice('ABCD')}", 3),
                          (f"Suite {rng.randint(1, 9)}00", 1)])
    elif p.country == "GB":
        line1 = f"{number} {rng.choice(streets)}"
        line2 = weighted([("", 5), (f"Flat {rng.randint(1, 12)}", 2)])
    elif p.country == "TR":
        line1 = f"{rng.choice(streets)} No: {number} D: {rng.randint(1, 24)}"
    elif p.country == "ES":
        line1 = f"{rng.choice(streets)}, {number}"
        line2 = f"{rng.randint(1, 8)}º {rng.choice('ABCD')}" if rng.random() < 0.7 else ""
    elif p.country == "IR":
        street = rng.choice(streets)
        if p.native and rng.random() < 0.6:
            line1 = f"{street[1]}، پلاک {str(number).translate(PERSIAN_DIGITS)}"
            return Address(line1, "", NATIVE_CITY[name], "", postal, "IR")
        line1 = f"{street[0]}, No. {number}"
    elif p.country == "CN":
        street = rng.choice(streets)
        if rng.random() < 0.5:
            return Address(f"{street[1]}{number}号", "", NATIVE_CITY[name], "", postal, "CN")
        line1 = f"No. {number} {street[0]}"
    else:
        raise ValueError(p.country)
    return Address(line1, line2, name, region, postal, p.country)


# --------------------------------------------------------------------------
# Cast: hand-made people first (README examples and traps), then random ones
# --------------------------------------------------------------------------

def build_cast() -> dict[str, Person]:
    special: dict[str, Person] = {}

    # The well-known example: billing, crm-sheet, support.
    ada = make_person("GB", "Ada", "Lovelace", company="", city_name="London",
                      email="ada@lovelace.example.org")
    _used_emails.add("ada.lovelace@lovelace.example.org")
    ada.company = "Analytical Engines Ltd"
    ada.landline = Phone("+442079460018", "GB", [2, 4, 4])
    _used_phones.add(ada.landline.e164)
    ada.mobile = None
    ada.work_email = ""
    ada.address = Address("12 St James's Square", "", "London", "", "SW1Y 4JH", "GB")
    ada.old_address = Address("10 Great Cumberland Place", "", "London", "", "W1H 7AL", "GB")
    ada.birth_date = "1815-12-10"
    ada.sources = [BILLING, CRM, SUPPORT]
    ada.features |= {"ada"}
    special["ada"] = ada

    # Three showcase people in all four sources.
    jw = make_person("DE", "Jürgen", "Weiß", company="Weiß Logistik AG", city_name="Hamburg",
                     email="juergen.weiss@gmail.com")
    jw.work_email = company_email(jw, "weiss-logistik.de")
    jw.sources = list(SOURCES)
    jw.features |= {"moved", "showcase"}
    jw.email_styles = {BILLING: "plain", NEWSLETTER: "dots", CRM: "case_plus", SUPPORT: "googlemail"}
    special["jw"] = jw

    zy = make_person("TR", "Zeynep", "Yıldız", company="Anadolu Yazılım A.Ş.", city_name="İstanbul",
                     email="zeynep.yildiz@outlook.com")
    zy.work_email = "zeynep@anadoluyazilim.com.tr"
    _used_emails.add(zy.work_email)
    zy.sources = list(SOURCES)
    zy.features |= {"alt_email_support", "showcase"}
    special["zy"] = zy

    ar = make_person("IR", ("Ali", "علی"), ("Rezaei", "رضایی"), company="Parsian Tech",
                     city_name="Tehran", email="ali.rezaei@gmail.com")
    ar.sources = list(SOURCES)
    ar.features |= {"native_crm", "persian_phone", "showcase"}
    special["ar"] = ar

    wx = make_person("CN", ("Xiaoming", "小明"), ("Wang", "王"), company="", city_name="Shenzhen",
                     email="wang.xiaoming@163.com")
    wx.sources = [BILLING, CRM, SUPPORT]
    wx.features |= {"native_crm"}
    special["wx"] = wx

    # Company renamed: old name lives on in the crm sheet.
    for company in ("Brightline Analytics Inc.", "Acme GmbH", "Kestrel Studio Ltd"):
        country = COMPANY_BY_NAME[company][2]
        person = make_person(country, company=company)
        person.sources = [BILLING, CRM] + ([NEWSLETTER] if rng.random() < 0.5 else [])
        person.features |= {"renamed_company"}

    # Trap 1: four people at Nordlicht Design share info@ as their only support e-mail.
    for index, (given, family) in enumerate([("Sören", "Brandt"), ("Käthe", "Vogel"),
                                              ("Malte", "Hübner"), ("Dörte", "Lößner")]):
        person = make_person("DE", given, family, company="Nordlicht Design GmbH",
                             city_name="Hamburg")
        person.role_email, person.role_source = "info@nordlicht-design.de", SUPPORT
        person.sources = [BILLING, SUPPORT] if index < 2 else [SUPPORT]
        if index == 2:
            person.sources = [CRM, SUPPORT]
        person.features |= {"role_trap"}
        person.work_email = ""
        special[f"nordlicht{index}"] = person

    # Trap 2: three travel agents write info@costabravaviajes.es into the crm sheet.
    for index, (given, family) in enumerate([("Montserrat", "Vidal Peña"), ("Jordi", "Ruiz"),
                                              ("Rocío", "Castaño Ortiz")]):
        person = make_person("ES", given, family, company="Costa Brava Viajes S.L.",
                             city_name="Barcelona")
        person.role_email, person.role_source = "info@costabravaviajes.es", CRM
        person.sources = [[CRM, BILLING], [CRM], [CRM, SUPPORT]][index]
        person.features |= {"role_trap"}
        person.work_email = ""
        special[f"costa{index}"] = person

    # Households: same family name, different given names, one landline.
    klaus = make_person("DE", "Klaus", "Becker", company="", city_name="Berlin")
    monika = make_person("DE", "Monika", "Becker", company="", city_name="Berlin")
    klaus.landline = make_phone("DE", "landline", "30")
    monika.landline = klaus.landline
    monika.address = klaus.address
    klaus.mobile = None
    klaus.sources, monika.sources = [BILLING, CRM], [CRM, NEWSLETTER, SUPPORT]
    klaus.features |= {"household", "landline_only"}
    monika.features |= {"household"}

    michael = make_person("US", "Michael", "Carter", company="", city_name="Boston")
    jennifer = make_person("US", "Jennifer", "Carter", company="", city_name="Boston")
    michael.landline = make_phone("US", "landline", "617")
    jennifer.landline = michael.landline
    jennifer.address = michael.address
    michael.sources, jennifer.sources = [SUPPORT, NEWSLETTER], [BILLING, SUPPORT]
    michael.features |= {"household", "landline_only"}
    jennifer.features |= {"household"}
    special.update(klaus=klaus, monika=monika, michael=michael, jennifer=jennifer)

    # Everyone else.
    while len(_people) < TARGET_PEOPLE:
        person = make_person()
        roll = rng.random()
        k = 4 if roll < 0.24 else 3 if roll < 0.63 else 2 if roll < 0.97 else 1
        weights = {BILLING: 0.78, NEWSLETTER: 0.75, CRM: 0.62, SUPPORT: 0.62}
        chosen: list[str] = []
        while len(chosen) < k:
            options = [(s, w) for s, w in weights.items() if s not in chosen]
            chosen.append(weighted(options))
        person.sources = [s for s in SOURCES if s in chosen]
        if rng.random() < 0.22:
            person.features.add("moved")
        if person.native and CRM in person.sources and rng.random() < 0.7:
            person.features.add("native_crm")
        if person.work_email and SUPPORT in person.sources and len(person.sources) > 1 \
                and rng.random() < 0.6:
            person.features.add("alt_email_support")
        if CRM in person.sources and rng.random() < 0.07:
            person.features.add("crm_duplicate")
        if SUPPORT in person.sources and len(person.sources) > 1 and rng.random() < 0.04:
            person.features.add("support_duplicate")
    for person in _people:
        if "moved" in person.features and person.old_address is None:
            other_city = rng.choice(CITIES[person.country])
            person.old_address = make_address(person, other_city)
    return special


# --------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------

def email_variant(address: str, source: str, style: str | None = None,
                  person: Person | None = None) -> str:
    local, domain = address.split("@", 1)
    if style is None and person is not None:
        style = person.email_styles.get(source)
    if style is None:
        options = [("plain", 6)]
        if source == CRM:
            options += [("case", 4), ("plus", 2), ("case_plus", 1)]
        if source == BILLING:
            options += [("case", 1)]
        if source == SUPPORT:
            options += [("case", 2), ("plus", 1)]
        if source == NEWSLETTER:
            options += [("plus", 1)]
        if domain == "gmail.com" and source != BILLING:
            options += [("dots", 3), ("googlemail", 1)]
        style = weighted(options)
    if style == "case_plus":
        return email_variant(email_variant(address, source, "case"), source, "plus")
    if style == "case":
        pieces = re.split(r"([._])", local)
        local = "".join(piece.capitalize() for piece in pieces)
        domain = domain.split(".")[0].capitalize() + domain[len(domain.split(".")[0]):]
    elif style == "plus":
        tag = {CRM: "crm", BILLING: "billing", SUPPORT: "support", NEWSLETTER: "news"}[source]
        local = f"{local}+{tag}"
    elif style == "dots":  # Gmail ignores dots: people write them or not
        if "." in local:
            local = local.replace(".", "")
        elif person is not None:
            given = slug(person.given, person.german)
            if local.startswith(given) and len(local) > len(given) + 1:
                local = given + "." + local[len(given):]
    elif style == "googlemail":
        domain = "googlemail.com"
    return f"{local}@{domain}"


def crm_full_name(p: Person, native: bool) -> str:
    if native and p.country == "IR":
        title = rng.choice(["", "", "آقای " if p.given in ("Ali", "Reza", "Mohammad", "Hossein",
                                                            "Mehdi", "Amir", "Arash", "Dariush")
                            else "خانم "])
        return f"{title}{p.given_native} {p.family_native}"
    if native and p.country == "CN":
        return f"{p.family_native}{p.given_native}"
    g, f = p.given, p.family
    female = g in ("Anna", "Jana", "Käthe", "Lena", "Sophie", "Marie", "Ursula", "Hannelore",
                   "Katrin", "Jülide", "Franziska", "Dörte", "Annegret", "Monika")
    forms = [
        (f"{g} {f}", 3),
        (f"{f.upper()}, {g}", 3),
        (f"{f.lower()}, {g.lower()}", 1),
        (f"dr. {g.lower()} {f.lower()}", 1),
        (f"{g} {f.upper()}", 2),
        (f"  {g}  {f} ", 1),
        (f"{f}, {g}", 2),
    ]
    if p.country == "DE":
        forms.append((f"{'Frau' if female else 'Herr'} {g} {f}", 2))
    if p.country == "TR":
        forms.append((f"{g.upper()} {f.upper()}", 1))
    if p.country == "ES":
        forms.append((f"{g} {f.split()[0]}", 2))
    if p.country == "CN":
        forms.append((f"{f.upper()}, {g}", 2))
    return weighted(forms)


def country_label(p: Person, source: str) -> str:
    if source == CRM:
        return rng.choice(COUNTRY_META[p.country]["names"])
    return p.country


def updated(lo: datetime, hi: datetime) -> str:
    return ts(rand_time(lo, hi))


_crm_row = iter(range(2, 10_000))
_support_id = 3812700001


def next_support_id() -> str:
    global _support_id
    value = str(_support_id)
    _support_id += rng.randint(1, 37)
    return value


def primary_phone(p: Person) -> Phone | None:
    if "household" in p.features:
        return p.landline
    return p.mobile or p.landline


def add_record(p: Person, record: dict) -> dict:
    record = {k: v for k, v in record.items() if v not in ("", None, [], {})}
    record = {"type": "record", **record}
    p.records[record["source"]].append(record)
    return record


def billing_record(p: Person) -> dict:
    ext = "cus_NffrFeUfNV2Hib" if "ada" in p.features else unique(lambda: "cus_" + alnum(14))
    if "ada" in p.features:
        _used_ids.add(ext)
    phone = primary_phone(p)
    phones = [phone.fmt(phone_style(p.country, BILLING))] if phone and (
        rng.random() < 0.85 or "landline_only" in p.features or "ada" in p.features
        or "role_trap" in p.features) else []
    company = p.company
    address = p.address
    email = p.email
    if "ada" in p.features:
        phones = ["+44 20 7946 0018"]
    elif not p.features & {"alt_email_support", "showcase", "xref_only"} and p.work_email \
            and rng.random() < 0.25:
        email = p.work_email  # invoices go to the office; the phone still links
        phones = phones or [phone.fmt("e164")]
    record = {
        "source": BILLING, "external_id": ext,
        "given_name": p.given, "family_name": p.family,
        "emails": [email_variant(email, BILLING, person=p)] if "ada" not in p.features else [email],
        "phones": phones,
        "addresses": [address.as_json()],
        "company": company,
        "updated_at": "2026-03-01T10:00:00Z" if "ada" in p.features
        else updated(dt(2025, 6, 1), dt(2026, 10, 25)),
        "attributes": {"currency": COUNTRY_META[p.country]["currency"].lower(),
                       "preferred_locales": COUNTRY_META[p.country]["lang"],
                       "tax_exempt": "none",
                       **({"vat_id": vat_id(p)} if company and p.country in ("DE", "ES") else {})},
    }
    if p.native and rng.random() < 0.3:
        record["full_name"] = f"{p.given} {p.family}"
    return add_record(p, record)


def vat_id(p: Person) -> str:
    return {"DE": "DE" + _digits(9), "ES": "ESB" + _digits(8)}[p.country]


def newsletter_record(p: Person) -> dict:
    address = email_variant(p.email, NEWSLETTER, person=p)
    lower = address.lower()
    ext = unique(lambda: "mc_" + alnum(10)) if rng.random() < 0.1 else hashlib.md5(
        lower.encode()).hexdigest()
    _used_ids.add(ext)
    opted = rand_time(START, dt(2026, 6, 1))
    status = weighted([("subscribed", 85), ("unsubscribed", 10), ("cleaned", 2)])
    attributes = {
        "member_rating": str(weighted([(1, 1), (2, 3), (3, 4), (4, 3), (5, 2)])),
        "status": status,
        "language": COUNTRY_META[p.country]["lang"],
        "timestamp_opt": ts(opted),
    }
    if status != "subscribed":
        attributes["unsubscribed_at"] = ts(rand_time(opted + timedelta(days=30),
                                                 opted + timedelta(days=500)))
    if rng.random() < 0.3:
        attributes["tags"] = rng.choice(["customers", "webinar-2025", "trial", "customers,beta"])
    given, family = p.given, p.family
    if p.native and p.country == "IR" and rng.random() < 0.35:
        given, family = p.given_native, p.family_native
    record = {
        "source": NEWSLETTER, "external_id": ext,
        "given_name": given if rng.random() < 0.92 else "",
        "family_name": family if rng.random() < 0.8 else "",
        "emails": [address],
        "updated_at": ts(clamp(max(opted, rand_time(dt(2025, 1, 1), dt(2026, 10, 1))))),
        "attributes": attributes,
    }
    return add_record(p, record)


def crm_record(p: Person, duplicate: bool = False) -> dict:
    ext = f"CRM-{next(_crm_row):04d}"
    native = "native_crm" in p.features and not duplicate
    emails, phones = [], []
    phone = primary_phone(p)
    if "ada" in p.features:
        emails, phones = ["Ada.Lovelace@lovelace.example.org"], ["0044 20 7946 0018"]
    elif p.role_source == CRM:
        emails = [p.role_email]
        if len(p.sources) > 1 and phone:
            phones = [phone.fmt(phone_style(p.country, CRM))]
    elif "xref_only" in p.features:
        emails = [p.work_email] if p.work_email else []
    else:
        if native or rng.random() < 0.85 or not phone:
            emails = [email_variant(p.email, CRM, person=p)]
        if phone and (not emails or rng.random() < 0.7 or "landline_only" in p.features):
            style = "persian" if "persian_phone" in p.features else phone_style(p.country, CRM)
            phones = [phone.fmt(style)]
        if duplicate:  # a second row someone typed in later: usually just a phone
            emails = emails if not phones else []
    address = p.address
    stamp_hi = dt(2026, 6, 30)
    if p.old_address is not None and (rng.random() < 0.75 or "ada" in p.features):
        address, stamp_hi = p.old_address, dt(2025, 3, 1)
    company = p.company
    if company in RENAMED:
        company = RENAMED[company]
    if "ada" in p.features:
        company = "Analytical Engine Co."
    record = {
        "source": CRM, "external_id": ext,
        "full_name": crm_full_name(p, native) if "ada" not in p.features else "Lovelace, Ada",
        "emails": emails,
        "phones": phones,
        "addresses": [address.as_json(country_label(p, CRM))] if rng.random() < 0.8
        or "ada" in p.features else [],
        "company": company if rng.random() < 0.9 else "",
        "birth_date": p.birth_date if rng.random() < 0.6 or "ada" in p.features else "",
        "updated_at": "2024-05-14T09:12:00Z" if "ada" in p.features
        else (updated(START, stamp_hi) if rng.random() < 0.8 else None),
        "attributes": {
            "owner": rng.choice(["Jana", "Mert", "Lucía", "Sam", "Niloofar"]),
            "segment": "B2B" if company else "B2C",
            **({"notes": rng.choice(CRM_NOTES[p.country])} if rng.random() < 0.4 else {}),
            **({"notes": "Met at Babbage's soirée; wants the analytics add-on"}
               if "ada" in p.features else {}),
        },
    }
    return add_record(p, record)


CRM_NOTES = {
    "DE": ["Rückruf erwünscht", "Kunde seit 2019", "bitte nur per E-Mail", "Messe Köln 2025"],
    "US": ["Met at SaaStr", "Prefers phone", "Renewal risk", "Referred by Hudson & Pine"],
    "GB": ["Prefers e-mail", "Asked about VAT invoices", "Call after 3pm"],
    "TR": ["Türkçe iletişim tercih ediyor", "Fatura adresi değişti", "Demo istedi"],
    "ES": ["Prefiere WhatsApp", "Cliente desde 2020", "Pidió factura con NIF"],
    "IR": ["ترجیح تماس تلفنی", "Prefers Persian invoices", "Referred by Parsian Tech"],
    "CN": ["偏好微信联系", "Needs fapiao", "Met at CES"],
}


def support_record(p: Person, duplicate: bool = False) -> dict:
    ext = next_support_id()
    phone = primary_phone(p)
    emails, phones = [], []
    if "ada" in p.features:
        emails, phones = ["Ada+support@Lovelace.example.org"], ["+44 (0)20 7946 0018"]
    elif p.role_source == SUPPORT:
        emails = [p.role_email]
        if len(p.sources) > 1 and phone:
            phones = [phone.fmt(phone_style(p.country, SUPPORT))]
    elif duplicate or "alt_email_support" in p.features:
        emails = [email_variant(p.work_email or p.email, SUPPORT)]
        phones = [phone.fmt(phone_style(p.country, SUPPORT))]
    else:
        emails = [email_variant(p.email, SUPPORT, person=p)]
        if phone and (rng.random() < 0.5 or "household" in p.features):
            phones = [phone.fmt(phone_style(p.country, SUPPORT))]
    if p.native and p.country == "IR" and "native_crm" not in p.features and rng.random() < 0.5 \
            and emails and not duplicate:
        name = f"{p.given_native} {p.family_native}"
    elif p.native and p.country == "CN" and rng.random() < 0.5:
        name = f"{p.family} {p.given}"  # pinyin in Chinese order
    else:
        name = rng.choice([f"{p.given} {p.family}", f"{p.given} {p.family}", p.given])
    if p.role_source == SUPPORT or "household" in p.features:
        name = f"{p.given} {p.family}"
    if duplicate:
        name = f"{p.given} {p.family}"
    record = {
        "source": SUPPORT, "external_id": ext,
        "full_name": name,
        "emails": emails,
        "phones": phones,
        "company": p.company if rng.random() < 0.6 else "",
        "updated_at": ts(rand_time(dt(2024, 6, 1), dt(2026, 10, 25))) if rng.random() < 0.85
        else None,
        "attributes": {
            "locale": {"de": "de", "en": "en-US" if p.country == "US" else "en-GB", "tr": "tr",
                       "es": "es", "fa": "fa", "zh": "zh-CN"}[COUNTRY_META[p.country]["lang"]],
            "role": "end-user",
            **({"organization": p.company} if p.company else {}),
            **({"tags": rng.choice(["vip", "beta", "enterprise"])} if rng.random() < 0.15 else {}),
            **({"time_zone": TIMEZONES[p.country]}),
        },
    }
    return add_record(p, record)


TIMEZONES = {"DE": "Europe/Berlin", "US": "America/New_York", "GB": "Europe/London",
             "TR": "Europe/Istanbul", "ES": "Europe/Madrid", "IR": "Asia/Tehran",
             "CN": "Asia/Shanghai"}


def build_records() -> None:
    # A few billing customers store their crm-sheet row id (Stripe metadata).
    xref_candidates = [p for p in _people if BILLING in p.sources and CRM in p.sources
                       and not p.features & {"ada", "role_trap", "household", "native_crm"}]
    xref = rng.sample(xref_candidates, 7)
    for index, person in enumerate(xref):
        person.features.add("xref")
        if index < 2 and person.work_email:
            person.features.add("xref_only")  # the crm row shares nothing else
    for source in SOURCES:
        people = [p for p in _people if source in p.sources]
        rng.shuffle(people)
        for person in people:
            if source == BILLING:
                billing_record(person)
            elif source == NEWSLETTER:
                newsletter_record(person)
            elif source == CRM:
                crm_record(person)
            else:
                support_record(person)
                if "support_duplicate" in person.features and person.work_email:
                    support_record(person, duplicate=True)
        if source == CRM:  # rows someone added again further down the sheet
            for person in people:
                if "crm_duplicate" in person.features:
                    crm_record(person, duplicate=True)
    for person in xref:
        crm_row = person.records[CRM][0]["external_id"]
        person.records[BILLING][0]["cross_references"] = [{"source": CRM, "external_id": crm_row}]
        person.records[BILLING][0]["attributes"]["metadata.crm_row"] = crm_row
    for person in _people:
        repair(person)


def repair(p: Person) -> None:
    """Makes sure a person's records connect: random choices can leave a record
    sharing nothing with the others (a crm row with only a phone no other source
    has). Prefer adding the phone to a connected record; else add the e-mail."""
    records = [r for source in SOURCES for r in p.records.get(source, [])]
    phone = primary_phone(p)

    def has_phone(record: dict) -> bool:
        return bool(phone) and phone.e164 in {phone_e164(x) for x in record.get("phones", [])}

    def add_phone(have: list[dict], lack: list[dict]) -> bool:
        holders = [r for r in have if has_phone(r)]
        for target in lack:
            if target["source"] != NEWSLETTER and any(
                    compatible(given_key(target), given_key(h)) for h in holders):
                style = phone_style(p.country, target["source"])
                target.setdefault("phones", []).append(phone.fmt(style))
                return True
        return False

    def add_email(group: list[dict]) -> bool:
        canonical = canonical_email(p.email)
        if any(canonical_email(e) == canonical for r in group for e in r.get("emails", [])):
            return False
        for record in group:
            if not (p.role_email and p.role_email in record.get("emails", [])):
                record.setdefault("emails", []).append(
                    email_variant(p.email, record["source"], person=p))
                return True
        return False

    for _ in range(20):
        groups = components(records)
        if len(groups) <= 1:
            return
        groups.sort(key=len, reverse=True)
        a, b = groups[0], groups[1]
        if add_phone(a, b) or add_phone(b, a) or add_email(b) or add_email(a):
            continue
        break
    raise RuntimeError(f"cannot connect the records of {p.given} {p.family}")


def link_keys(record: dict) -> tuple[set, set]:
    """(keys that link outright, phone keys that need compatible names)."""
    strong, phones = set(), set()
    for email in record.get("emails", []):
        canonical = canonical_email(email)
        if canonical.split("@")[0] not in ROLE_LOCAL_PARTS:
            strong.add("email:" + canonical)
    for phone in record.get("phones", []):
        phones.add("phone:" + str(phone_e164(phone)))
    strong.add(f"ref:{record['source']}:{record['external_id']}")
    for ref in record.get("cross_references", []):
        strong.add(f"ref:{ref['source']}:{ref['external_id']}")
    return strong, phones


def links(a: dict, b: dict) -> bool:
    strong_a, phones_a = link_keys(a)
    strong_b, phones_b = link_keys(b)
    if strong_a & strong_b:
        return True
    return bool(phones_a & phones_b) and compatible(given_key(a), given_key(b))


def components(records: list[dict]) -> list[list[dict]]:
    groups: list[list[dict]] = []
    seen: set[int] = set()
    for start in range(len(records)):
        if start in seen:
            continue
        seen.add(start)
        queue, group = [start], []
        while queue:
            i = queue.pop()
            group.append(records[i])
            for j in range(len(records)):
                if j not in seen and links(records[i], records[j]):
                    seen.add(j)
                    queue.append(j)
        groups.append(group)
    return groups


# --------------------------------------------------------------------------
# Activities
# --------------------------------------------------------------------------

ACTIVITIES: list[dict] = []

PLANS = {"Starter": 1900, "Pro": 4900, "Business": 14900}
PLAN_PRICES = {
    "EUR": PLANS, "USD": {"Starter": 2000, "Pro": 5200, "Business": 16000},
    "GBP": {"Starter": 1600, "Pro": 4200, "Business": 12900},
    "TRY": {"Starter": 69900, "Pro": 179900, "Business": 549900},
}
INTERVAL_FACTOR = {1: 1, 3: 3, 12: 10}


def activity(source: str, ext: str, record: dict, kind: str, moment: datetime, *,
             amount: int | None = None, currency: str | None = None, score: int | None = None,
             summary: str = "", attributes: dict | None = None) -> bool:
    """Adds an activity; one that would happen after the data set's end is dropped."""
    if moment >= END:
        return False
    line = {
        "type": "activity", "source": source, "external_id": ext,
        "record_external_id": record["external_id"], "kind": kind,
        "occurred_at": ts(max(moment, START)),
    }
    if amount is not None:
        line["amount"] = {"amount_minor": amount, "currency": currency}
    if score is not None:
        line["score"] = score
    if summary:
        line["summary"] = summary
    if attributes:
        line["attributes"] = attributes
    ACTIVITIES.append(line)
    return True


CANCEL_REASONS = ["too_expensive", "switched_service", "missing_features", "unused",
                  "customer_service"]


def billing_activities(p: Person, record: dict) -> None:
    currency = COUNTRY_META[p.country]["currency"]
    prices = PLAN_PRICES[currency]
    if "ada" in p.features:
        plan, interval, start = "Pro", 3, dt(2025, 4, 2, 9, 30)
    else:
        if rng.random() < 0.12:  # one-off customers: a workshop or a setup fee
            for _ in range(rng.randint(1, 2)):
                moment = rand_time(START, END)
                price = rng.choice([9900, 24900, 49000]) * (30 if currency == "TRY" else 1)
                activity(BILLING, unique(lambda: "in_1" + alnum(23)), record, "invoice_paid",
                         moment, amount=price, currency=currency,
                         summary=rng.choice(["Onboarding workshop", "Setup fee", "Data import"]),
                         attributes={"number": f"{alnum(8).upper()}-{rng.randint(1, 9):04d}"})
            return
        plan = weighted([("Starter", 4), ("Pro", 5), ("Business", 2)])
        interval = weighted([(1, 3), (3, 3), (12, 4)])
        lo = {1: dt(2026, 3, 1), 3: dt(2025, 6, 1), 12: START}[interval]
        start = rand_time(lo, dt(2026, 9, 1))
    sub_id = "sub_1" + alnum(23)
    price = prices[plan] * INTERVAL_FACTOR[interval]
    activity(BILLING, unique(lambda: "evt_1" + alnum(23)), record, "subscription_started",
             start, summary=plan,
             attributes={"subscription": sub_id, "interval": {1: "month", 3: "quarter",
                                                              12: "year"}[interval]})
    cancel_at = None
    if "ada" not in p.features and rng.random() < 0.16:
        cancel_at = rand_time(start + timedelta(days=20), END)
    invoice_number = alnum(8).upper()
    moment, count = start, 0
    invoices = []
    while moment < END and (cancel_at is None or moment < cancel_at):
        count += 1
        ext = unique(lambda: "in_1" + alnum(23))
        invoices.append((ext, moment))
        activity(BILLING, ext, record, "invoice_paid", moment + timedelta(minutes=rng.randint(1, 90)),
                 amount=price, currency=currency, summary=f"{plan} plan, invoice {invoice_number}-{count:04d}",
                 attributes={"subscription": sub_id, "number": f"{invoice_number}-{count:04d}"})
        moment = add_months(moment, interval)
    if cancel_at is not None:
        reason = rng.choice(CANCEL_REASONS)
        activity(BILLING, unique(lambda: "evt_1" + alnum(23)), record, "subscription_cancelled",
                 cancel_at, summary=f"{plan} cancelled ({reason.replace('_', ' ')})",
                 attributes={"subscription": sub_id, "cancellation_reason": reason})
    if invoices and rng.random() < 0.2:
        ext_invoice, when = rng.choice(invoices)
        partial = rng.random() < 0.4
        activity(BILLING, unique(lambda: "re_3" + alnum(23)), record, "refund",
                 when + timedelta(days=rng.randint(1, 20)),
                 amount=price // 2 if partial else price, currency=currency,
                 summary="Partial refund: downgrade" if partial else "Refund: duplicate charge",
                 attributes={"invoice": ext_invoice})


CAMPAIGNS = []


def build_campaigns() -> None:
    subjects = [
        "January product update", "Webinar: clean customer data", "Spring sale 2024",
        "New: Persian & Turkish invoices", "Summer release notes", "Customer story: Weiß Logistik",
        "Autumn webinar series", "Black Friday: 30% off Pro", "Year in review 2024",
        "Frühjahrs-Update 2025", "New integrations: Stripe & Zendesk", "Spring sale 2025",
        "Security update", "Summer release 2025", "NPS results & what we changed",
        "Black Friday 2025", "Year in review 2025", "Roadmap 2026", "Spring sale 2026",
        "Summer release 2026", "Webinar: golden records explained", "Autumn update 2026",
    ]
    moment = dt(2024, 1, 16, 8, 0)
    for subject in subjects:
        CAMPAIGNS.append(("cmp_" + alnum(10).lower(), moment, subject))
        moment = add_months(moment, rng.choice([1, 1, 2, 2])) + timedelta(days=rng.randint(-5, 5))
        if moment >= dt(2026, 10, 20):
            break


def newsletter_activities(p: Person, record: dict) -> None:
    attrs = record["attributes"]
    opted = datetime.strptime(attrs["timestamp_opt"], "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=timezone.utc)
    stop = END
    if "unsubscribed_at" in attrs:
        stop = datetime.strptime(attrs["unsubscribed_at"], "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=timezone.utc)
    rating = int(attrs["member_rating"])
    p_open = 0.045 + 0.06 * rating
    short = record["external_id"][-8:]
    for campaign_id, sent, subject in CAMPAIGNS:
        if sent < opted or sent >= stop or rng.random() > p_open:
            continue
        opened = sent + timedelta(minutes=rng.randint(3, 60 * 48))
        opened_ok = activity(NEWSLETTER, f"{campaign_id}-open-{short}", record, "email_open",
                             opened, summary=f"Opened “{subject}”",
                             attributes={"campaign_id": campaign_id})
        if opened_ok and rng.random() < 0.25 + 0.05 * rating:
            url = rng.choice(["https://example.com/pricing", "https://example.com/blog",
                              "https://example.com/webinar", "https://example.com/changelog"])
            activity(NEWSLETTER, f"{campaign_id}-click-{short}", record, "email_click",
                     opened + timedelta(seconds=rng.randint(5, 600)),
                     summary=f"Clicked {url} in “{subject}”",
                     attributes={"campaign_id": campaign_id, "url": url})


TICKET_SUBJECTS = {
    "en": ["Cannot download invoice PDF", "How do I export my data?", "Charged twice this month",
           "Please update my billing address", "Login link expired", "Feature request: dark mode",
           "API rate limit errors", "Cancel my subscription"],
    "de": ["Rechnung doppelt abgebucht", "Rechnungsadresse ändern", "Passwort zurücksetzen klappt nicht",
           "Export nach Excel fehlerhaft", "Frage zur Umsatzsteuer"],
    "tr": ["Şifremi sıfırlayamıyorum", "Fatura adresi güncellenmeli", "Ödeme iki kez çekildi",
           "Türkçe fatura talebi"],
    "es": ["No puedo cambiar mi plan", "Factura con NIF incorrecto", "Error al exportar datos",
           "¿Cómo cancelo la suscripción?"],
    "fa": ["مشکل در ورود به حساب", "درخواست فاکتور رسمی", "Invoice currency question"],
    "zh": ["无法下载发票", "如何导出数据？", "Need a fapiao for last invoice"],
}
NPS_COMMENTS = {
    "promoter": {
        "en": ["Love it, saves us hours every week", "Great support team", "Does exactly what we need"],
        "de": ["Sehr zufrieden, klare Empfehlung", "Super Support, schnelle Antworten"],
        "tr": ["Çok memnunum, herkese tavsiye ederim", "Harika destek ekibi"],
        "es": ["¡Muy contenta con el servicio!", "Fácil de usar y rápido"],
        "fa": ["خیلی راضی هستم", "پشتیبانی عالی"],
        "zh": ["非常好用", "客服很专业"],
    },
    "passive": {
        "en": ["Good, but reporting could be better", "Fine for now, pricing is steep"],
        "de": ["Ganz okay, aber die App ist manchmal langsam", "Gut, Export könnte besser sein"],
        "tr": ["Fena değil, raporlar geliştirilebilir"],
        "es": ["Está bien, pero echo de menos más integraciones"],
        "fa": ["خوبه ولی گزارش‌ها کامل نیست"],
        "zh": ["还可以，希望有更多中文文档"],
    },
    "detractor": {
        "en": ["Billing mistakes two months in a row", "Too expensive for what it does"],
        "de": ["Zu teuer, Support antwortet zu langsam"],
        "tr": ["Fatura hataları çok can sıkıcı"],
        "es": ["Demasiados errores en las facturas"],
        "fa": ["قیمت خیلی بالاست"],
        "zh": ["价格太贵了"],
    },
}
CSAT_COMMENTS = {5: "Quick and helpful", 4: "Solved, thanks", 3: "Took a while",
                 2: "Had to explain twice", 1: "Not solved at all"}

_ticket_id = 45017


def support_activities(p: Person, record: dict) -> None:
    global _ticket_id
    lang = COUNTRY_META[p.country]["lang"]
    created = rand_time(START, dt(2026, 9, 1))
    tickets = weighted([(0, 2), (1, 5), (2, 3), (3, 1)])
    if "ada" in p.features:
        tickets = 1
    for _ in range(tickets):
        _ticket_id += rng.randint(1, 60)
        tid = str(_ticket_id)
        subject = rng.choice(TICKET_SUBJECTS[lang] + TICKET_SUBJECTS["en"][:2])
        if "ada" in p.features:
            subject = "Export to CSV drops the Bernoulli column"
        opened = rand_time(created, END - timedelta(days=2))
        channel = rng.choice(["email", "web", "chat"])
        activity(SUPPORT, f"{tid}-opened", record, "ticket_opened", opened, summary=subject,
                 attributes={"ticket_id": tid, "channel": channel,
                             "priority": weighted([("normal", 6), ("high", 2), ("low", 1)])})
        if rng.random() < 0.88 or "ada" in p.features:
            solved = opened + timedelta(minutes=rng.randint(20, 60 * 24 * 6))
            done = activity(SUPPORT, f"{tid}-solved", record, "ticket_solved", solved,
                            summary=f"Solved: {subject}", attributes={"ticket_id": tid})
            if done and (rng.random() < 0.5 or "ada" in p.features):
                score = 5 if "ada" in p.features else weighted(
                    [(5, 8), (4, 5), (3, 2), (2, 1), (1, 1)])
                activity(SUPPORT, f"{tid}-csat", record, "csat_rating",
                         solved + timedelta(hours=rng.randint(1, 48)), score=score,
                         summary=CSAT_COMMENTS[score], attributes={"ticket_id": tid})
    if rng.random() < 0.4 or "ada" in p.features:
        score = 10 if "ada" in p.features else weighted([(s, w) for s, w in zip(
            range(11), [1, 1, 1, 2, 2, 3, 4, 8, 10, 10, 9])])
        bucket = "promoter" if score >= 9 else "passive" if score >= 7 else "detractor"
        comments = NPS_COMMENTS[bucket].get(lang, NPS_COMMENTS[bucket]["en"])
        comment = rng.choice(comments)
        if "ada" in p.features:
            comment = "Marvellous: it computes our Bernoulli numbers flawlessly"
        activity(SUPPORT, unique(lambda: f"nps-{rng.randint(100000, 999999)}"), record,
                 "nps_response", rand_time(dt(2024, 3, 1), END), score=score, summary=comment,
                 attributes={"survey": rng.choice(["NPS 2024-H2", "NPS 2025-H1", "NPS 2025-H2",
                                                   "NPS 2026-H1"])})


def build_activities() -> None:
    build_campaigns()
    for person in _people:
        for source, records in person.records.items():
            for index, record in enumerate(records):
                if index > 0 and rng.random() < 0.6:
                    continue  # duplicate rows rarely get their own history
                if source == BILLING:
                    billing_activities(person, record)
                elif source == NEWSLETTER:
                    newsletter_activities(person, record)
                elif source == SUPPORT:
                    support_activities(person, record)
    ACTIVITIES.sort(key=lambda a: (a["occurred_at"], a["source"], a["external_id"]))


# --------------------------------------------------------------------------
# Output and validation
# --------------------------------------------------------------------------

HEADER = [
    "# c360 demo data set: about 120 synthetic people from DE, US, GB, TR, ES, IR and CN seen by",
    "# four sources (billing = Stripe-like, newsletter = Mailchimp-like, crm-sheet = hand-kept",
    "# spreadsheet, support = Zendesk-like), with realistic duplicates, messy names and phones,",
    "# and over-merge traps (shared info@ mailboxes, a household landline). All names, e-mails",
    "# and numbers are made up. Generated by make_demo.py (fixed seed); edit that, not this file.",
]


RECORD_ORDER = ["type", "source", "external_id", "given_name", "family_name", "full_name", "emails",
                "phones", "addresses", "company", "birth_date", "cross_references", "updated_at",
                "attributes"]


def write_file() -> None:
    records = [{k: r[k] for k in RECORD_ORDER if k in r}
               for source in SOURCES for p in _people for r in p.records.get(source, [])]
    order = {s: i for i, s in enumerate(SOURCES)}
    records.sort(key=lambda r: (order[r["source"]], r["external_id"]))
    with OUTPUT.open("w", encoding="utf-8", newline="\n") as out:
        for line in HEADER:
            out.write(line + "\n")
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
        for line in ACTIVITIES:
            out.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")


RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ROLE_LOCAL_PARTS = {"info", "support", "sales", "admin", "contact", "office", "hello", "billing",
                    "kontakt", "iletisim", "bilgi", "team", "service"}
HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "prof", "herr", "frau", "sr", "sra", "senor",
              "senora", "bay", "bayan", "اقای", "خانم"}


def phone_e164(raw: str) -> str | None:
    """Mirrors the hub's cleaning: Persian digits, (0), 00 prefix; default region US."""
    text = raw.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")).replace("(0)", "").strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    digits = re.sub(r"\D", "", text)
    if text.startswith("+"):
        return "+" + digits
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return "+1" + digits if len(digits) == 10 else None


def key(text: str) -> str:
    text = text.replace("İ", "i").replace("ı", "i").replace("ß", "ss").replace("آ", "ا")
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def given_key(record: dict) -> str:
    if record.get("given_name"):
        return key(record["given_name"])
    full = record.get("full_name", "")
    if "," in full:
        family, given = full.split(",", 1)
        words = given.split()
    else:
        words = full.split()
        if len(words) == 1 and re.fullmatch(r"[\u4e00-\u9fff]+", words[0]):
            return key(words[0][2:] if words[0].startswith("欧阳") else words[0][1:])
        words = words[:-1] if len(words) > 1 else words
    while len(words) > 1 and key(words[0]) in HONORIFICS:
        words = words[1:]
    return key(" ".join(words))


def compatible(a: str, b: str) -> bool:
    if not a or not b:
        return True

    def agree(x: str, y: str) -> bool:
        shorter, longer = sorted((x, y), key=len)
        return shorter == longer or (longer.startswith(shorter)
                                     and (len(shorter) == 1 or len(shorter) >= 3))

    return agree(a, b) or agree(a.split()[0], b.split()[0])


def validate() -> dict:
    problems: list[str] = []
    records: dict[tuple, dict] = {}
    activities: dict[tuple, dict] = {}
    comment_lines = 0
    for number, text in enumerate(OUTPUT.read_text(encoding="utf-8").splitlines(), 1):
        if text.startswith("#"):
            comment_lines += 1
            continue
        if not text.strip():
            problems.append(f"line {number}: blank")
            continue
        try:
            line = json.loads(text)
        except json.JSONDecodeError as error:
            problems.append(f"line {number}: not JSON ({error})")
            continue
        where = f"line {number}"
        kind = line.get("type")
        for name in ("source", "external_id"):
            if not isinstance(line.get(name), str) or not line[name].strip():
                problems.append(f"{where}: missing {name}")
        k = (line.get("source"), line.get("external_id"))
        if kind == "record":
            if line["source"] not in SOURCES:
                problems.append(f"{where}: unknown source")
            if k in records:
                problems.append(f"{where}: duplicate record {k}")
            records[k] = line
            if not (line.get("full_name") or line.get("given_name") or line.get("emails")
                    or line.get("phones")):
                problems.append(f"{where}: identifies no one")
            for value in line.values():
                if value in ("", [], {}, None):
                    problems.append(f"{where}: empty field kept")
            for email in line.get("emails", []):
                if not EMAIL.match(email):
                    problems.append(f"{where}: bad e-mail {email!r}")
            for phone in line.get("phones", []):
                if phone_e164(phone) is None:
                    problems.append(f"{where}: phone {phone!r} has no country code")
            if "updated_at" in line and not RFC3339.match(line["updated_at"]):
                problems.append(f"{where}: bad updated_at")
            if "birth_date" in line:
                date.fromisoformat(line["birth_date"])
            for ref in line.get("cross_references", []):
                if set(ref) != {"source", "external_id"}:
                    problems.append(f"{where}: bad cross-reference")
            for attr in line.get("attributes", {}).values():
                if not isinstance(attr, str):
                    problems.append(f"{where}: non-string attribute")
        elif kind == "activity":
            if k in activities:
                problems.append(f"{where}: duplicate activity {k}")
            activities[k] = line
            if line.get("kind") not in KINDS:
                problems.append(f"{where}: unknown kind")
            if not RFC3339.match(line.get("occurred_at", "")):
                problems.append(f"{where}: bad occurred_at")
            elif not ts(START) <= line["occurred_at"] < ts(END):
                problems.append(f"{where}: occurred_at out of range")
            has_amount = "amount" in line
            if has_amount != (line["kind"] in MONEY_KINDS):
                problems.append(f"{where}: amount presence wrong for {line['kind']}")
            if has_amount:
                money = line["amount"]
                if not isinstance(money.get("amount_minor"), int) or money.get("currency") not in (
                        "EUR", "USD", "TRY", "GBP"):
                    problems.append(f"{where}: bad amount")
            if line["kind"] in SCORE_RANGES:
                low, high = SCORE_RANGES[line["kind"]]
                if not isinstance(line.get("score"), int) or not low <= line["score"] <= high:
                    problems.append(f"{where}: bad score")
            elif "score" in line:
                problems.append(f"{where}: score on a {line['kind']}")
            if line["kind"] == "subscription_started" and line.get("summary") not in PLANS:
                problems.append(f"{where}: subscription_started summary is not a plan")
        else:
            problems.append(f"{where}: unknown type {kind!r}")
    for k, line in activities.items():
        if (line["source"], line["record_external_id"]) not in records:
            problems.append(f"activity {k}: references a missing record")
    for k, line in records.items():
        for ref in line.get("cross_references", []):
            if (ref["source"], ref["external_id"]) not in records:
                problems.append(f"record {k}: cross-reference to a missing record")

    # Ground truth: each person's records must connect through identifiers the
    # hub links on, and no two people may connect.
    owner = {(r["source"], r["external_id"]): p.pid
             for p in _people for rs in p.records.values() for r in rs}
    for p in _people:
        for source, rs in p.records.items():
            for r in rs:
                e164s = [phone_e164(x) for x in r.get("phones", [])]
                intended = {x.e164 for x in (p.mobile, p.landline) if x}
                if any(e not in intended for e in e164s):
                    problems.append(f"{p.given} {p.family}: phone does not normalize as intended")
    parent = {k: k for k in records}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    by_key: dict[str, list] = defaultdict(list)
    for k, line in records.items():
        strong, phones = link_keys(line)
        for name in strong | phones:
            by_key[name].append(k)
    for members in by_key.values():
        for a in members:
            for b in members:
                if a < b and links(records[a], records[b]):
                    parent[find(a)] = find(b)
    clusters: dict[tuple, set] = defaultdict(set)
    for k in records:
        clusters[find(k)].add(owner[k])
    mixed = [c for c in clusters.values() if len(c) > 1]
    people_clusters = Counter(next(iter(c)) for c in clusters.values() if len(c) == 1)
    split = [pid for pid, n in people_clusters.items() if n > 1]
    for c in mixed:
        problems.append(f"people {sorted(c)} would be merged together")
    for pid in split:
        person = _people[pid - 1]
        problems.append(f"{person.given} {person.family} is split over {people_clusters[pid]} clusters")
    if problems:
        print("\n".join(problems[:40]), file=sys.stderr)
        raise SystemExit(f"validation failed: {len(problems)} problem(s)")
    return {"records": records, "activities": activities, "comments": comment_lines}


def main() -> None:
    special = build_cast()
    build_records()
    build_activities()
    write_file()
    checked = validate()
    records, activities = checked["records"], checked["activities"]

    total_lines = len(OUTPUT.read_text(encoding="utf-8").splitlines())
    print(f"wrote {OUTPUT} ({total_lines} lines: {checked['comments']} comments, "
          f"{len(records)} records, {len(activities)} activities); validation passed")
    print(f"people: {len(_people)}")
    coverage = Counter(len(p.records) for p in _people)
    print("people by number of sources: " + ", ".join(
        f"{n}: {coverage[n]}" for n in sorted(coverage)))
    print("records per source:")
    per_source = Counter(k[0] for k in records)
    for source in SOURCES:
        print(f"  {source:<11} {per_source[source]}")
    print("activities per kind:")
    per_kind = Counter(a["kind"] for a in activities.values())
    for kind in KINDS:
        if per_kind[kind]:
            print(f"  {kind:<23} {per_kind[kind]}")
    print("example people with records in 3+ sources (for the README):")
    for name in ("jw", "zy", "ar"):
        person = special[name]
        assert len(person.records) >= 3, name
        print(f"  {person.email}  ({person.given} {person.family}: "
              f"{', '.join(s for s in SOURCES if s in person.records)})")
    ada = special["ada"]
    print("Ada Lovelace:")
    for source in SOURCES:
        for record in ada.records.get(source, []):
            print(f"  {source}:{record['external_id']}  emails={record.get('emails')} "
                  f"phones={record.get('phones')}")


if __name__ == "__main__":
    main()
