"""Documents of each kind (uchwały, zarządzenia, ogłoszenia, zamówienia …) with their front matter and texts."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from bip.demo import texts, words
from bip.demo.attachments import Attachments
from bip.demo.model import (
    IMPORT_FROM,
    RESERVED,
    Doc,
    Section,
    Unit,
)
from bip.demo.names import money, polish_date, roman, short, slug, warsaw_offset
from bip.demo.writing import Context, bullet, is_female, paragraphs, table

SECTION_WEIGHTS = {
    "uchwala": 8.0, "zarzadzenie": 6.0, "ogloszenie": 4.0, "zamowienie": 3.0, "nabor": 2.0, "oswiadczenie": 3.0,
    "protokol": 2.0, "petycja": 1.0, "about": 1.0, "budget": 1.5, "services": 2.0, "news": 3.0,
}
TERMS = (dt.date(2014, 12, 1), dt.date(2018, 11, 19), dt.date(2024, 5, 7))


class Builders:
    """Documents of each kind; mixed into Generator (uses self.rng, self.units)."""

    rng: random.Random
    attachments: Attachments  # its own random generator: the attachments' kinds do not change the pages
    units: list[Unit]
    person: Callable[[], str]  # Region.person

    # -- shared ------------------------------------------------------------------------------
    def unique(self, unit: Unit, folder: str, stem: str) -> str:
        stem = stem.strip("-")[:70].rstrip("-") or "strona"
        candidate, n = stem, 1
        while True:
            path = f"{folder}/{candidate}.md" if folder else f"{candidate}.md"
            if path[:-3] not in unit.used and candidate not in RESERVED:
                return path
            n += 1
            candidate = f"{stem}-{n}"

    def attach(self, unit: Unit, doc: Doc, name: str, title: str, lines: list[str], profile: str = "pdf",
               scan: str = "pismo") -> None:
        """A file of a kind the profile allows (bip.demo.attachments), named `name` with that kind's extension."""
        name, title, data = self.attachments.make(profile, name, title, [unit.name, *lines], doc.body, scan)
        base, n = name, 1
        while "file:" + doc.file_path(name) in unit.used or any(f[0] == name for f in doc.files):
            n += 1
            stem, _, ext = base.rpartition(".")
            name = f"{stem}-{n}.{ext}"
        doc.files.append([name, title, data])

    def dates(self, day: dt.date, imported: bool, now_day: dt.date) -> dict[str, Any]:
        """created / published of a new document: imported ones keep their original publication date."""
        common: dict[str, Any] = {"created": day.isoformat()}
        if imported:
            common["published"] = min(day + dt.timedelta(days=self.rng.randint(0, 7)), now_day).isoformat()
        elif self.rng.random() < 0.5:
            common["published"] = now_day.isoformat()
        return common

    def session(self, unit: Unit, day: dt.date) -> tuple[int, str]:
        start = max(t for t in TERMS if t <= day) if day >= TERMS[0] else TERMS[0]
        months = (day.year - start.year) * 12 + day.month - start.month
        return months + 1, start.isoformat()

    def official(self, unit: Unit) -> tuple[str, str]:
        """(person, position) of someone who files an asset declaration."""
        rng = self.rng
        what = {"gmina": "Gminy", "gmina-miejska": "Miasta", "miasto-na-prawach-powiatu": "Miasta",
                "powiat": "Powiatu", "wojewodztwo": "Województwa"}.get(unit.kind)
        if what is None:
            return unit.people["head"], unit.head_title
        roll = rng.random()
        if roll < 0.2:
            return unit.people["head"], unit.head_title
        if roll < 0.3:
            return unit.people["deputy"], f"Zastępca {unit.head_title_gen}"
        if roll < 0.4:
            return unit.people["secretary"], f"Sekretarz {what}"
        if roll < 0.5:
            return unit.people["treasurer"], f"Skarbnik {what}"
        person = rng.choice(unit.councillors)
        return person, f"{'Radna' if is_female(person) else 'Radny'} {unit.council_gen}"

    # -- document types ----------------------------------------------------------------------
    def build(self, unit: Unit, section: Section, day: dt.date, imported: bool, now_day: dt.date) -> Doc | None:
        maker: Callable[[Unit, Section, dt.date, bool, dt.date], Doc | None] = getattr(self, "doc_" + section.kind)
        return maker(unit, section, day, imported, now_day)

    def doc_uchwala(self, unit: Unit, section: Section, day: dt.date, imported: bool, now_day: dt.date) -> Doc:
        rng = self.rng
        ctx = Context(self, unit, day)
        if unit.flavour == "school":
            school_year = day.year if day.month >= 9 else day.year - 1
            k = unit.next(f"uchwala-{school_year}")
            number = f"{k}/{school_year}/{school_year + 1}"
            ctx["year"], ctx["next_year"] = str(school_year), str(school_year + 1)
            subject = ctx.fill(rng.choice(texts.UCHWALA_SUBJECTS_SCHOOL))
            basis = texts.LEGAL_BASIS["jednostka"]
        else:
            session, term = self.session(unit, day)
            unit.counters[f"uchwala-{term}"] = unit.counters.get(f"uchwala-{term}", 0) + rng.randint(1, 3)
            number = f"{roman(session)}/{unit.counters[f'uchwala-{term}']}/{day.year}"
            subject = ctx.fill(rng.choice(texts.UCHWALA_SUBJECTS))
            basis = texts.LEGAL_BASIS.get(unit.kind, texts.LEGAL_BASIS["gmina"])
        own: dict[str, Any] = {"number": number, "adopted": day.isoformat(), "status": "obowiązująca"}
        if imported and rng.random() < 0.2:
            own["status"] = rng.choice(("uchylona", "zmieniona"))
            later = day + dt.timedelta(days=rng.randint(60, 400))
            later_session, _ = self.session(unit, later)
            own["repealed_by"] = f"Uchwała Nr {roman(later_session)}/{rng.randint(1, 300)}/{later.year}"
        prawo_miejscowe = unit.flavour == "jst" and rng.random() < 0.35
        if prawo_miejscowe:
            own["journal"] = f"Dz. Urz. Woj. Lubuskiego z {day.year} r. poz. {rng.randint(100, 3500)}"
        chair = unit.people["chair"]
        body = [
            f"Na podstawie {ctx.fill(basis)} {unit.council or 'Rada'} uchwala, co następuje:",
            f"**§ 1.** {rng.choice(texts.UCHWALA_PARAGRAPHS)}",
        ]
        if "budżet" in subject or "Prognozy" in subject:
            body.append("Zestawienie kwot zawiera poniższa tabela.")
            rows = rng.sample(words.BUDGET_ROWS, rng.randint(3, 6))
            body.append(table(("Dział", "Rozdział", "Paragraf", "Treść", "Kwota (zł)"),
                              [(*r[:3], r[3], money(rng.randint(5_000, 4_000_000) + rng.randint(0, 99) / 100))
                               for r in rows]))
        body.append(f"**§ 2.** {rng.choice(texts.UCHWALA_PARAGRAPHS)}")
        body.append("**§ 3.** Wykonanie uchwały powierza się organowi wykonawczemu.")
        body.append("**§ 4.** Uchwała wchodzi w życie " + (
            "po upływie 14 dni od dnia ogłoszenia w Dzienniku Urzędowym Województwa Lubuskiego." if prawo_miejscowe
            else "z dniem podjęcia."))
        body.append(f"{'Przewodnicząca' if is_female(chair) else 'Przewodniczący'} {unit.council_gen or 'Rady'}  \n"
                    f"{chair}")
        doc = Doc(self.unique(unit, f"{section.folder}/{day.year}", f"uchwala-nr-{slug(number)}"), "uchwala",
                  f"Uchwała Nr {number} w sprawie {subject}", own, paragraphs(*body), label=f"uchwałę Nr {number}",
                  day=day)
        doc.common = self.dates(day, imported, now_day)
        if rng.random() < 0.4:
            stem = doc.stem
            self.attach(unit, doc, f"zalaczniki/{stem}.pdf", f"Uchwała Nr {number} – wersja do druku (PDF)",
                        [f"Uchwała Nr {number}", f"w sprawie {subject}", polish_date(day)])
        unit.latest_uchwala = number
        return doc

    def doc_zarzadzenie(self, unit: Unit, section: Section, day: dt.date, imported: bool, now_day: dt.date) -> Doc:
        rng = self.rng
        ctx = Context(self, unit, day)
        key = f"zarzadzenie-{day.year}"
        unit.counters[key] = unit.counters.get(key, 0) + rng.randint(1, 4)
        number = f"{unit.counters[key]}/{day.year}"
        ctx["reference"] = f"ZP.271.{rng.randint(1, 30)}.{day.year}"
        pool = texts.ZARZADZENIE_SUBJECTS if unit.flavour == "jst" else texts.ZARZADZENIE_SUBJECTS_UNIT
        subject = ctx.fill(rng.choice(pool))
        own: dict[str, Any] = {"number": number, "adopted": day.isoformat(), "status": "obowiązująca"}
        if imported and rng.random() < 0.1:
            own["status"] = "uchylona"
        head = unit.people["head"]
        body = [
            f"Na podstawie przepisów ustawy oraz regulaminu organizacyjnego {unit.head_title} zarządza, co następuje:",
            f"**§ 1.** Zarządzenie dotyczy {subject}.",
        ]
        if "komisji" in subject or "zespołu" in subject:
            members = [(self.person_of(unit), role) for role in ("przewodniczący", "sekretarz", "członek", "członek")]
            body.append("W skład komisji wchodzą:\n\n" + bullet([f"{p} – {r}" for p, r in members], ordered=True))
        body.append(f"**§ 2.** {rng.choice(texts.ZARZADZENIE_PARAGRAPHS)}")
        body.append("**§ 3.** Zarządzenie wchodzi w życie z dniem podpisania.")
        body.append(f"{unit.head_title}  \n{head}")
        doc = Doc(self.unique(unit, f"{section.folder}/{day.year}", f"zarzadzenie-nr-{slug(number)}"), "zarzadzenie",
                  f"Zarządzenie Nr {number} {unit.head_title_gen} w sprawie {subject}", own, paragraphs(*body),
                  label=f"zarządzenie Nr {number}", day=day)
        doc.common = self.dates(day, imported, now_day)
        if rng.random() < 0.3:
            self.attach(unit, doc, f"{doc.stem}-zalacznik.pdf",
                        f"Załącznik do zarządzenia Nr {number}", [f"Zarządzenie Nr {number}", subject], "document")
        return doc

    def person_of(self, unit: Unit) -> str:
        return self.person()

    def doc_ogloszenie(self, unit: Unit, section: Section, day: dt.date, imported: bool, now_day: dt.date) -> Doc:
        rng = self.rng
        ctx = Context(self, unit, day)
        pool = texts.OGLOSZENIA if unit.flavour == "jst" else texts.OGLOSZENIA_UNIT
        title_t, sentences = rng.choice(pool)
        title = ctx.fill(title_t)
        body = [ctx.fill(s) for s in sentences]
        if "odpadów" in title:
            body.append(table(("Miejscowość", "Termin odbioru"),
                              [(ctx.fill("{village}"), polish_date(day + dt.timedelta(days=7 * n)))
                               for n in range(1, rng.randint(3, 6))]))
        body.append(ctx.fill(rng.choice(texts.GENERIC_SENTENCES)))
        doc = Doc(self.unique(unit, section.folder, slug(title, 60)), "ogloszenie", title, {}, paragraphs(*body),
                  label=f"ogłoszenie „{short(title, 60)}”", day=day)
        doc.common = self.dates(day, imported, now_day)
        if "deadline_text" in ctx and rng.random() < 0.6:
            doc.common["valid_until"] = (day + dt.timedelta(days=rng.randint(30, 90))).isoformat()
        if rng.random() < 0.3:
            self.attach(unit, doc, f"{doc.stem}-zalacznik.pdf", f"{short(title, 80)} – załącznik",
                        [title], "document")
        return doc

    def deadline(self, day: dt.date, hour: str) -> str:
        offset = warsaw_offset(dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)) // 3600
        return f"{day.isoformat()}T{hour}:00+0{offset}:00"

    def doc_zamowienie(self, unit: Unit, section: Section, day: dt.date, imported: bool, now_day: dt.date) -> Doc:
        rng = self.rng
        ctx = Context(self, unit, day)
        k = unit.next(f"zp-{day.year}")
        reference = f"ZP.271.{k}.{day.year}" if unit.flavour == "jst" else f"DA.26.{k}.{day.year}"
        if unit.flavour == "jst":
            subject = ctx.fill(rng.choice(words.TENDER_SUBJECTS))
        else:
            subject = "Zamówienie na " + ctx.fill("{supply}")
        procedure = rng.choice(texts.PROCEDURES[:3] if unit.flavour == "jst" else texts.PROCEDURES[3:4])
        due = day + dt.timedelta(days=rng.randint(14, 35))
        own: dict[str, Any] = {"reference": reference, "procedure": procedure, "deadline": self.deadline(due, "10:00"),
                               "status": "w toku"}
        body = [
            f"{unit.office} zaprasza do składania ofert w postępowaniu o udzielenie zamówienia publicznego "
            f"prowadzonym w trybie: {procedure}, na zadanie pn. **„{subject}”**.",
            table(("Informacja", "Treść"), [
                ("Zamawiający", f"{unit.name}, {unit.address_line}"), ("Znak sprawy", reference),
                ("Tryb postępowania", procedure), ("Termin składania ofert", f"{polish_date(due)}, godz. 10:00"),
                ("Otwarcie ofert", f"{polish_date(due)}, godz. 10:30"), ("Wadium", f"{ctx['wadium']} zł"),
            ]),
            "Postępowanie prowadzone jest przy użyciu [Platformy e-Zamówienia](https://ezamowienia.gov.pl). "
            f"Identyfikator postępowania: ocds-148610-{rng.getrandbits(32):08x}.",
            "## Przedmiot zamówienia",
            " ".join(ctx.fill(s) for s in rng.sample(texts.ZAMOWIENIE_SENTENCES, 3)),
        ]
        doc = Doc(self.unique(unit, section.folder, slug(reference)), "zamowienie", f"{subject} – {reference}", own,
                  paragraphs(*body), label=f"ogłoszenie o zamówieniu {reference}", day=day)
        doc.common = self.dates(day, imported, now_day)
        stem = doc.stem
        self.attach(unit, doc, f"{stem}-swz.pdf", "Specyfikacja warunków zamówienia (SWZ)", [reference, subject],
                    "document")
        if rng.random() < 0.3:
            self.attach(unit, doc, f"{stem}-formularz-ofertowy.pdf", "Załącznik nr 1 – formularz ofertowy", [reference],
                        "form")
        if imported and due < now_day:
            self.settle_zamowienie(unit, doc, min(due + dt.timedelta(days=rng.randint(5, 30)), now_day))
        return doc

    def settle_zamowienie(self, unit: Unit, doc: Doc, day: dt.date) -> None:
        rng = self.rng
        stem = doc.stem
        reference = doc.own["reference"]
        if rng.random() < 0.8:
            offers = [(str(n), f"{rng.choice(words.COMPANY_STEMS)} Sp. z o.o.",
                       money(rng.randint(80_000, 5_000_000) + rng.randint(0, 99) / 100)) for n in range(1, rng.randint(2, 5))]
            best = min(offers, key=lambda o: float(o[2].replace(" ", "").replace(",", ".")))
            doc.own["status"] = "rozstrzygnięte"
            doc.own["result"] = f"Wybrano ofertę nr {best[0]}: {best[1]}, cena brutto {best[2]} zł"
            doc.body += "\n\n" + paragraphs(
                "## Informacja o wyborze najkorzystniejszej oferty",
                f"W dniu {polish_date(day)} dokonano wyboru najkorzystniejszej oferty. Wybrano ofertę nr {best[0]} "
                f"złożoną przez wykonawcę {best[1]} z ceną brutto {best[2]} zł.",
                table(("Nr oferty", "Wykonawca", "Cena brutto (zł)"), offers),
            )
            if rng.random() < 0.6:
                self.attach(unit, doc, f"{stem}-wybor-oferty.pdf", "Informacja o wyborze najkorzystniejszej oferty",
                            [reference, doc.own["result"]], scan="pismo")
        else:
            doc.own["status"] = "unieważnione"
            doc.own["result"] = ("Postępowanie unieważniono na podstawie art. 255 pkt 3 ustawy Pzp: cena "
                                 "najkorzystniejszej oferty przewyższa kwotę przeznaczoną na sfinansowanie zamówienia")
            doc.body += "\n\n" + paragraphs("## Unieważnienie postępowania", doc.own["result"] + ".")
            if rng.random() < 0.6:
                self.attach(unit, doc, f"{stem}-uniewaznienie.pdf", "Informacja o unieważnieniu postępowania",
                            [reference])
        doc.common["valid_until"] = (day + dt.timedelta(days=rng.randint(60, 180))).isoformat()

    def doc_nabor(self, unit: Unit, section: Section, day: dt.date, imported: bool, now_day: dt.date) -> Doc:
        rng = self.rng
        ctx = Context(self, unit, day)
        position = rng.choice(words.POSITIONS_OFFICE if unit.flavour == "jst" else words.POSITIONS_UNIT)
        k = unit.next(f"nabor-{day.year}")
        reference = f"OR.2110.{k}.{day.year}"
        due = day + dt.timedelta(days=rng.randint(10, 21))
        own: dict[str, Any] = {"position": position, "deadline": self.deadline(due, "15:00"), "status": "w toku"}
        body = [
            f"{unit.office} ogłasza nabór na wolne stanowisko: **{position}** ({ctx['department']}), "
            f"wymiar czasu pracy: {rng.choice(('pełny etat', '1/2 etatu', '3/4 etatu'))}.",
            "## Wymagania niezbędne", bullet(rng.sample(texts.NABOR_REQUIRED, 4)),
            "## Wymagania dodatkowe", bullet(rng.sample(texts.NABOR_EXTRA, 3)),
            "## Zakres zadań", bullet(rng.sample(texts.NABOR_TASKS, 4)),
            "## Wymagane dokumenty", bullet(list(texts.NABOR_DOCUMENTS), ordered=True),
            "## Termin i miejsce składania dokumentów",
            f"Dokumenty należy składać do dnia {polish_date(due)} do godz. 15:00 w kancelarii, {unit.address_line}, "
            f"lub przez ePUAP, z dopiskiem „Nabór na stanowisko {position}, {reference}”.",
            "W miesiącu poprzedzającym datę upublicznienia ogłoszenia wskaźnik zatrudnienia osób niepełnosprawnych, "
            "w rozumieniu przepisów o rehabilitacji zawodowej i społecznej, był niższy niż 6%.",
        ]
        title = f"Nabór na stanowisko {position} ({reference})"
        doc = Doc(self.unique(unit, section.folder, f"nabor-{slug(position, 40)}-{k}-{day.year}"), "nabor", title, own,
                  paragraphs(*body), label=f"ogłoszenie o naborze na stanowisko {position}", day=day)
        doc.common = self.dates(day, imported, now_day)
        if rng.random() < 0.4:
            self.attach(unit, doc, f"{doc.stem}-kwestionariusz.pdf",
                        "Kwestionariusz osobowy dla osoby ubiegającej się o zatrudnienie", [reference], "form")
        if imported and due < now_day:
            self.settle_nabor(unit, doc, min(due + dt.timedelta(days=rng.randint(5, 20)), now_day))
        return doc

    def settle_nabor(self, unit: Unit, doc: Doc, day: dt.date) -> None:
        rng = self.rng
        if rng.random() < 0.85:
            person = self.person_of(unit)
            doc.own["status"] = "rozstrzygnięte"
            doc.own["result"] = f"Wybrano: {person}, zam. {rng.choice(words.VILLAGES)}"
        else:
            doc.own["status"] = "unieważnione"
            doc.own["result"] = "Nabór nie został rozstrzygnięty: brak kandydatów spełniających wymagania formalne"
        doc.body += "\n\n" + paragraphs("## Informacja o wyniku naboru",
                                        f"{polish_date(day)}: {doc.own['result']}.")
        if rng.random() < 0.6:
            self.attach(unit, doc, f"{doc.stem}-wynik.pdf", "Informacja o wyniku naboru",
                        [doc.own["position"], doc.own["result"]])
        doc.common["valid_until"] = (day + dt.timedelta(days=rng.randint(60, 120))).isoformat()

    def doc_oswiadczenie(self, unit: Unit, section: Section, day: dt.date, imported: bool, now_day: dt.date) -> Doc:
        rng = self.rng
        person, position = self.official(unit)
        kind = rng.choice(("roczne", "roczne", "roczne", "początkowe", "końcowe"))
        year = day.year - 1 if kind == "roczne" else day.year  # an annual one is filed by 30 April of the next year
        label = {"roczne": f"za {year} r.", "początkowe": f"początkowe, {year} r.", "końcowe": f"końcowe, {year} r."}[kind]
        title = f"Oświadczenie majątkowe – {person}, {position} ({label})"
        body = paragraphs(
            f"Oświadczenie majątkowe złożone przez: {person} ({position}). Rodzaj oświadczenia: {kind}.",
            table(("Osoba", "Stanowisko lub funkcja", "Rok", "Rodzaj"), [(person, position, str(year), kind)]),
            "Oświadczenie udostępniono z wyłączeniem informacji o adresie zamieszkania składającego oraz o miejscu "
            "położenia nieruchomości, na podstawie przepisów ustawy o samorządzie.",
        )
        doc = Doc(self.unique(unit, f"{section.folder}/{year}", f"{slug(person)}-{slug(kind)}"), "oswiadczenie",
                  title, {}, body, label=f"oświadczenie majątkowe: {person} ({label})", day=day)
        doc.own = {"person": person, "position": position, "year": year, "kind": kind}
        doc.common = self.dates(day, imported, now_day)
        self.attach(unit, doc, f"{doc.stem}.pdf", f"Oświadczenie majątkowe – {person} (PDF)",
                    [person, position, label], "declaration", "oswiadczenie")
        return doc

    def doc_protokol(self, unit: Unit, section: Section, day: dt.date, imported: bool, now_day: dt.date) -> Doc:
        rng = self.rng
        if unit.flavour == "jst":
            number, _ = self.session(unit, day)
            session = f"{roman(number)} sesja {unit.council_gen}"
            title = f"Protokół z {roman(number)} sesji {unit.council_gen} z dnia {polish_date(day)}"
            votes = []
            for n in range(1, rng.randint(3, 7)):
                against, abstained = rng.randint(0, 3), rng.randint(0, 2)
                votes.append((f"Projekt uchwały nr {n}", str(rng.randint(8, 15 - against - abstained)), str(against),
                              str(abstained)))
            body = paragraphs(
                f"{roman(number)} sesja {unit.council_gen} odbyła się {polish_date(day)} w sali narad, "
                f"{unit.address_line}. Obrady otwarto o godz. 10:00.",
                "Porządek obrad:", bullet(list(texts.AGENDA), ordered=True), "## Wyniki głosowań",
                table(("Głosowanie", "Za", "Przeciw", "Wstrzymało się"), votes),
                f"Obrady zakończono o godz. {rng.randint(12, 16)}:{rng.choice(('05', '20', '35', '50'))}.",
            )
            stem = f"protokol-z-{slug(roman(number))}-sesji"
        else:
            controller = rng.choice(words.CONTROLLERS)
            session = f"Kontrola przeprowadzona przez {controller}"
            title = f"Protokół kontroli z dnia {polish_date(day)}"
            body = paragraphs(f"Kontrolę przeprowadził zespół kontrolny (kontrolujący: {controller}).",
                              "## Ustalenia", rng.choice(texts.CONTROL_FINDINGS))
            stem = f"protokol-kontroli-{day.isoformat()}"
        doc = Doc(self.unique(unit, f"{section.folder}/{day.year}", stem), "protokol", title, {}, body,
                  label=f"protokół z dnia {polish_date(day)}", day=day)
        doc.own = {"session": session, "date": day.isoformat()}
        doc.common = self.dates(day, imported, now_day)
        if rng.random() < 0.5:
            self.attach(unit, doc, f"{doc.stem}.pdf", f"{title} (PDF)", [title])
        return doc

    def doc_petycja(self, unit: Unit, section: Section, day: dt.date, imported: bool, now_day: dt.date) -> Doc:
        rng = self.rng
        ctx = Context(self, unit, day)
        k = unit.next(f"petycja-{day.year}")
        subject = ctx.fill(rng.choice(words.PETITION_SUBJECTS))
        petitioner = ctx.fill(rng.choice(texts.PETITIONERS))
        body = paragraphs(
            table(("Informacja", "Treść"), [("Data złożenia", polish_date(day)), ("Podmiot wnoszący", petitioner),
                                            ("Przedmiot petycji", subject)]),
            "## Treść petycji",
            f"Wnoszący zwraca się z prośbą w sprawie {subject}. " + " ".join(rng.sample(texts.PETITION_PARAGRAPHS, 2)),
        )
        doc = Doc(self.unique(unit, section.folder, f"petycja-nr-{k}-{day.year}"), "petycja",
                  f"Petycja nr {k}/{day.year} w sprawie {subject}", {}, body, label=f"petycję nr {k}/{day.year}", day=day)
        doc.own = {"submitted": day.isoformat(), "subject": subject, "status": "w toku"}
        doc.common = self.dates(day, imported, now_day)
        if rng.random() < 0.3:
            self.attach(unit, doc, f"{doc.stem}.pdf", "Petycja – skan (PDF)", [subject], "scan", "petycja")
        answer = day + dt.timedelta(days=rng.randint(20, 90))
        if imported and answer < now_day:
            self.settle_petycja(unit, doc, answer)
        return doc

    def settle_petycja(self, unit: Unit, doc: Doc, day: dt.date) -> None:
        rng = self.rng
        doc.own["status"] = "rozpatrzona" if rng.random() < 0.85 else "pozostawiona bez rozpatrzenia"
        doc.own["answer_date"] = day.isoformat()
        answer = (Context(self, unit, day).fill(rng.choice(texts.PETITION_ANSWERS))
                  if doc.own["status"] == "rozpatrzona"
                  else "Petycję pozostawiono bez rozpatrzenia, ponieważ nie zawierała danych wymaganych ustawą o petycjach.")
        doc.body += "\n\n" + paragraphs("## Sposób załatwienia petycji", f"{polish_date(day)}: {answer}")

    # -- plain pages -------------------------------------------------------------------------
    def plain(self, unit: Unit, section: Section, title: str, body: str, day: dt.date, imported: bool,
              now_day: dt.date, stem: str = "") -> Doc:
        doc = Doc(self.unique(unit, section.folder, stem or slug(title, 60)), "strona", title, {}, body,
                  label=f"stronę „{short(title, 60)}”", day=day)
        doc.common = self.dates(day, imported, now_day)
        return doc

    def doc_about(self, unit: Unit, section: Section, day: dt.date, imported: bool, now_day: dt.date) -> Doc | None:
        rng = self.rng
        pages = texts.ABOUT_PAGES_JST if unit.flavour == "jst" else texts.ABOUT_PAGES_UNIT
        left = [(t, k) for t, k in pages if f"{section.folder}/{slug(t)}" not in unit.used]
        if not left:
            unit.exhausted.add(section.folder)
            return None
        title, kind = left[0]
        ctx = Context(self, unit, day)
        if kind == "structure":
            rows = [(d, self.person_of(unit), str(rng.randint(1, 40)), f"{unit.phone[:-2]}{rng.randint(10, 99)}")
                    for d in rng.sample(words.DEPARTMENTS, 6)]
            body = paragraphs(f"Strukturę organizacyjną określa regulamin organizacyjny nadany zarządzeniem "
                              f"{unit.head_title_gen}.",
                              table(("Komórka organizacyjna", "Kierownik", "Pokój", "Telefon"), rows))
        elif kind == "hours":
            body = table(("Dzień", "Godziny pracy"), [("Poniedziałek", "8:00–16:00"), ("Wtorek – czwartek", "7:30–15:30"),
                                                      ("Piątek", "7:30–14:30")])
        elif kind == "contact":
            body = bullet([f"Adres: {unit.address_line}", f"Telefon: {unit.phone}",
                           f"E-mail: [sekretariat@{unit.domain}](mailto:sekretariat@{unit.domain})",
                           f"Elektroniczna skrzynka podawcza: /{unit.id.replace('-', '')[:20]}/SkrytkaESP"])
        elif kind == "council" and unit.councillors:
            body = table(("Lp.", "Imię i nazwisko", "Funkcja"),
                         [(str(n), p, "przewodniczący" if n == 1 else "radny") for n, p in
                          enumerate([unit.people["chair"], *unit.councillors[:14]], 1)])
        elif kind == "officials":
            body = bullet([f"{unit.head_title}: {unit.people['head']}", f"Zastępca: {unit.people['deputy']}",
                           f"Sekretarz: {unit.people['secretary']}", f"Skarbnik: {unit.people['treasurer']}"])
        elif kind == "units":
            children = [u.name for u in self.units if u.parent == unit.id] or ["Brak jednostek organizacyjnych."]
            body = bullet(children)
        elif kind == "rodo":
            body = bullet([ctx.fill(s) for s in texts.RODO_SENTENCES])
        elif kind == "epuap":
            body = paragraphs("Pisma w postaci elektronicznej można składać przez elektroniczną skrzynkę podawczą "
                              f"na platformie [ePUAP](https://epuap.gov.pl): /{unit.id.replace('-', '')[:20]}/SkrytkaESP.",
                              "Urzędowe poświadczenie przedłożenia jest wysyłane automatycznie.")
        else:
            body = paragraphs(f"{title} – tekst jednolity.", ctx.fill(rng.choice(texts.GENERIC_SENTENCES)))
        doc = self.plain(unit, section, title, body, day, imported, now_day, slug(title))
        if kind == "statute":
            self.attach(unit, doc, f"{slug(title)}.pdf", f"{title} – tekst jednolity (PDF)", [title])
        return doc

    def doc_budget(self, unit: Unit, section: Section, day: dt.date, imported: bool, now_day: dt.date) -> Doc | None:
        rng = self.rng
        for year in range(max(IMPORT_FROM.year, day.year - 8), day.year + 1):
            for kind in ("plan", "report"):
                issued = dt.date(year, 1, 20) if kind == "plan" else dt.date(year + 1, 4, 25)
                title = (f"Budżet na {year} rok" if unit.flavour == "jst" else f"Plan finansowy na {year} rok") \
                    if kind == "plan" else f"Sprawozdanie z wykonania budżetu za {year} rok"
                if issued > day or f"{section.folder}/{slug(title)}" in unit.used:
                    continue
                rows = rng.sample(words.BUDGET_ROWS, rng.randint(4, 8))
                amounts = [rng.randint(10_000, 3_000_000) for _ in rows]
                columns = ("Dział", "Rozdział", "Treść", "Plan (zł)") + (("Wykonanie (zł)",) if kind == "report" else ())
                body = paragraphs(
                    f"{title}: zestawienie wydatków według klasyfikacji budżetowej.",
                    table(columns, [(r[0], r[1], r[3], money(a)) + ((money(a * rng.uniform(0.7, 1.0)),)
                                                                  if kind == "report" else ())
                                    for r, a in zip(rows, amounts, strict=True)]),
                    f"Razem: {money(sum(amounts))} zł.",
                )
                doc = self.plain(unit, section, title, body, issued, imported, now_day, slug(title))
                if kind == "report" or rng.random() < 0.3:
                    self.attach(unit, doc, f"{slug(title)}.pdf", f"{title} (PDF)", [title], "document")
                return doc
        unit.exhausted.add(section.folder)
        return None

    def doc_services(self, unit: Unit, section: Section, day: dt.date, imported: bool, now_day: dt.date) -> Doc | None:
        rng = self.rng
        left = [s for s in words.SERVICES if f"{section.folder}/{slug(s, 60)}" not in unit.used]
        if not left:
            unit.exhausted.add(section.folder)
            return None
        service = left[0]
        ctx = Context(self, unit, day)
        body = paragraphs(
            "## Wymagane dokumenty", bullet(rng.sample(texts.SERVICE_DOCS, 3)),
            "## Opłaty", table(("Czynność", "Opłata"), [("Wydanie decyzji lub zaświadczenia", f"{rng.choice((0, 17, 82, 105))} zł"),
                                                         ("Pełnomocnictwo", "17 zł")]),
            "## Termin załatwienia sprawy", rng.choice(("Do 7 dni.", "Do 30 dni, w sprawach szczególnie "
                                                        "skomplikowanych do 60 dni.", "Niezwłocznie.")),
            "## Miejsce złożenia dokumentów", ctx.fill("{department}, pokój nr {room}, {address_line}."),
            "## Tryb odwoławczy", "Od decyzji przysługuje odwołanie do Samorządowego Kolegium Odwoławczego "
            "w Zielonej Górze za pośrednictwem organu, który wydał decyzję, w terminie 14 dni od dnia jej doręczenia.",
        )
        doc = self.plain(unit, section, service, body, day, imported, now_day, slug(service, 60))
        if rng.random() < 0.3:
            self.attach(unit, doc, f"{slug(service, 50)}-wniosek.pdf", f"Wniosek – {short(service, 60)} (formularz)",
                        [service], "form")
        return doc

    def doc_news(self, unit: Unit, section: Section, day: dt.date, imported: bool, now_day: dt.date) -> Doc:
        rng = self.rng
        ctx = Context(self, unit, day)
        title_t, sentences = rng.choice(texts.NEWS if unit.flavour == "jst" else texts.NEWS_UNIT)
        title = ctx.fill(title_t)
        body = [ctx.fill(s) for s in sentences]
        if "Harmonogram" in title:
            body.append(table(("Miesiąc", "Odpady zmieszane", "Odpady segregowane"),
                              [(texts.MONTHS_GEN[m][:3], f"{rng.randint(1, 14)}, {rng.randint(15, 28)}", str(rng.randint(1, 28)))
                               for m in range(0, 12, 3)]))
        doc = self.plain(unit, section, title, paragraphs(*body), day, imported, now_day, slug(title, 60))
        if rng.random() < 0.2:
            self.attach(unit, doc, f"{doc.stem}.pdf", f"{short(title, 80)} (PDF)", [title], "table")
        return doc
