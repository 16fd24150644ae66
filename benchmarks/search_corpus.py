"""A deterministic synthetic corpus of Polish BIP pages for the search benchmarks.

Titles and sentences follow real BIP patterns; filler words are drawn Zipf-like from simplemma's Polish
word forms so that the vocabulary (and the lemmatizer's cache) behaves like real text.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator

from bip.search.analysis import fold
from bip.search.index import SearchDoc

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]
UNIT_KINDS = ["Gmina", "Miasto", "Powiat", "Gminny Ośrodek Pomocy Społecznej w", "Szkoła Podstawowa w"]
PLACES = ["Dąbrowa", "Zalesie", "Górki", "Łąkowo", "Brzeziny", "Wólka", "Stare Pole", "Żabno", "Olszyny"]
SUBJECTS = [
    "budżetu gminy na rok {y}", "zmian w budżecie gminy na {y} rok", "wieloletniej prognozy finansowej",
    "stawek podatku od nieruchomości", "opłat za gospodarowanie odpadami komunalnymi",
    "miejscowego planu zagospodarowania przestrzennego", "nadania nazwy ulicy", "udzielenia dotacji",
    "regulaminu utrzymania czystości i porządku", "programu współpracy z organizacjami pozarządowymi",
    "zasad wynajmowania lokali mieszkalnych", "przyjęcia sprawozdania z wykonania budżetu",
    "sieci szkół podstawowych", "dopłat do taryfy za wodę", "zbycia nieruchomości gruntowej",
    "statutu sołectwa", "powołania komisji rewizyjnej", "rozpatrzenia petycji mieszkańców",
]
SENTENCES = [
    "Na podstawie art. {n} ust. {k} ustawy z dnia 8 marca 1990 r. o samorządzie gminnym uchwala się, "
    "co następuje.",
    "Wykonanie uchwały powierza się {head} Gminy.",
    "Uchwała wchodzi w życie po upływie 14 dni od dnia ogłoszenia w Dzienniku Urzędowym Województwa.",
    "Dochody budżetu gminy w wysokości {amount} zł, w tym dochody bieżące i majątkowe.",
    "Wydatki budżetowe przeznacza się na inwestycje drogowe, oświatę i pomoc społeczną.",
    "Zamawiający informuje o wyborze najkorzystniejszej oferty w postępowaniu nr ZP.271.{k}.{y}.",
    "Termin składania ofert upływa dnia {date} o godzinie 10:00.",
    "Nabór na wolne stanowisko urzędnicze: inspektor do spraw gospodarki nieruchomościami.",
    "Oświadczenie majątkowe złożone przez radnego za rok {y}.",
    "Protokół z sesji Rady Gminy odbytej w dniu {date}.",
    "Petycja w sprawie remontu drogi gminnej nr {n}{k}.",
    "Ogłoszenie o przetargu ustnym nieograniczonym na sprzedaż nieruchomości położonej w obrębie {place}.",
    "Informacja o wynikach kontroli przeprowadzonej w szkole podstawowej.",
    "Zarządzenie w sprawie powołania komisji przetargowej do przeprowadzenia postępowania.",
    "Stawki podatku od nieruchomości obowiązują od 1 stycznia {y} r.",
]
TYPES = [
    ("uchwala", "Uchwała", "uchwaly", 0.35),
    ("zarzadzenie", "Zarządzenie", "zarzadzenia", 0.25),
    ("ogloszenie", "Ogłoszenie", "ogloszenia", 0.12),
    ("zamowienie", "Zamówienie publiczne", "zamowienia", 0.08),
    ("nabor", "Nabór na stanowisko", "nabory", 0.05),
    ("oswiadczenie", "Oświadczenie majątkowe", "oswiadczenia", 0.07),
    ("protokol", "Protokół", "protokoly", 0.05),
    ("strona", "Strona", "informacje", 0.03),
]


def _vocabulary(size: int, rng: random.Random) -> list[str]:
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    forms = sorted(
        w for w in DefaultDictionaryFactory().get_dictionary("pl") if w.isalpha() and w.islower() and len(w) > 3
    )
    return rng.sample(forms, size)


def corpus(pages: int, units: int = 20, seed: int = 2024, vocabulary: int = 20000) -> Iterator[SearchDoc]:
    """`pages` documents spread over `units` units; the same arguments give the same documents."""
    rng = random.Random(seed)
    words = _vocabulary(vocabulary, rng)
    # Zipf-like: word i is drawn with weight 1/(i+1).
    cumulative = list(itertools.accumulate(1.0 / (i + 1) for i in range(len(words))))
    unit_names = [
        (f"u{i:03d}-{fold(PLACES[i % len(PLACES)]).replace(' ', '-')}",
         f"{UNIT_KINDS[i % len(UNIT_KINDS)]} {PLACES[i % len(PLACES)]}")
        for i in range(units)
    ]
    type_weights = [t[3] for t in TYPES]
    counters: dict[tuple[str, str, int], int] = {}
    for n in range(pages):
        unit_id, unit_name = unit_names[n % units]
        doc_type, label, section, _ = rng.choices(TYPES, type_weights)[0]
        year = rng.randint(2015, 2026)
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        key = (unit_id, doc_type, year)
        counters[key] = counters.get(key, 0) + 1
        seq = counters[key]
        subject = rng.choice(SUBJECTS).format(y=year)
        number = ""
        if doc_type == "uchwala":
            number = f"{rng.choice(ROMAN)}/{seq}/{year}"
            title = f"Uchwała Nr {number} Rady Gminy w sprawie {subject}"
        elif doc_type == "zarzadzenie":
            number = f"{seq}/{year}"
            title = f"Zarządzenie Nr {number} Wójta Gminy w sprawie {subject}"
        elif doc_type == "zamowienie":
            number = f"ZP.271.{seq}.{year}"
            title = f"Przetarg nieograniczony: {rng.choice(['budowa', 'remont', 'przebudowa'])} drogi gminnej"
        else:
            title = f"{label} — {subject}"
        paragraphs = []
        for _ in range(rng.randint(3, 12)):
            sentence = rng.choice(SENTENCES).format(
                n=rng.randint(1, 99), k=rng.randint(1, 9), y=year, date=date, amount=rng.randint(10**5, 10**8),
                head=rng.choice(["Wójtowi", "Burmistrzowi", "Prezydentowi"]), place=rng.choice(PLACES),
            )
            filler = " ".join(rng.choices(words, cum_weights=cumulative, k=rng.randint(10, 40)))
            paragraphs.append(f"{sentence} {filler.capitalize()}.")
        yield SearchDoc(
            unit_id=unit_id,
            unit_name=unit_name,
            url=f"{unit_id}/{section}/{doc_type}-{year}-{seq}/",
            title=title,
            type=doc_type,
            type_label=label,
            number=number,
            date=date if doc_type != "strona" else "",
            text="\n\n".join(paragraphs),
        )
