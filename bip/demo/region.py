"""The region plan: which units, with names in the right Polish cases, people, sections, unit.yaml."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

from bip.demo import texts, words
from bip.demo.files import yaml_text
from bip.demo.model import (
    RESERVED,
    Section,
    Unit,
)
from bip.demo.names import nip, regon, slug
from bip.doctypes import DOCTYPES

INSTITUTIONS = {
    # flavour → (nominative, genitive, head, head genitive, id prefix) per owner kind
    "ops": {
        "w": ("Gminny Ośrodek Pomocy Społecznej", "Gminnego Ośrodka Pomocy Społecznej", "Kierownik", "Kierownika", "gops"),
        "mw": ("Miejsko-Gminny Ośrodek Pomocy Społecznej", "Miejsko-Gminnego Ośrodka Pomocy Społecznej", "Kierownik",
               "Kierownika", "mgops"),
        "m": ("Miejski Ośrodek Pomocy Społecznej", "Miejskiego Ośrodka Pomocy Społecznej", "Dyrektor", "Dyrektora", "mops"),
        "powiat": ("Powiatowe Centrum Pomocy Rodzinie", "Powiatowego Centrum Pomocy Rodzinie", "Dyrektor", "Dyrektora",
                   "pcpr"),
        "woj": ("Regionalny Ośrodek Polityki Społecznej", "Regionalnego Ośrodka Polityki Społecznej", "Dyrektor",
                "Dyrektora", "rops"),
    },
    "library": {
        "w": ("Gminna Biblioteka Publiczna", "Gminnej Biblioteki Publicznej", "Dyrektor", "Dyrektora", "gbp"),
        "mw": ("Miejsko-Gminna Biblioteka Publiczna", "Miejsko-Gminnej Biblioteki Publicznej", "Dyrektor", "Dyrektora",
               "mgbp"),
        "m": ("Miejska Biblioteka Publiczna", "Miejskiej Biblioteki Publicznej", "Dyrektor", "Dyrektora", "mbp"),
        "powiat": ("Powiatowa Biblioteka Publiczna", "Powiatowej Biblioteki Publicznej", "Dyrektor", "Dyrektora", "pbp"),
        "woj": ("Wojewódzka Biblioteka Publiczna", "Wojewódzkiej Biblioteki Publicznej", "Dyrektor", "Dyrektora", "wbp"),
    },
    "school": {
        "w": ("Szkoła Podstawowa nr {n}", "Szkoły Podstawowej nr {n}", "Dyrektor", "Dyrektora", "sp{n}"),
        "mw": ("Szkoła Podstawowa nr {n}", "Szkoły Podstawowej nr {n}", "Dyrektor", "Dyrektora", "sp{n}"),
        "m": ("Szkoła Podstawowa nr {n}", "Szkoły Podstawowej nr {n}", "Dyrektor", "Dyrektora", "sp{n}"),
        "powiat": ("Zespół Szkół Ponadpodstawowych nr {n}", "Zespołu Szkół Ponadpodstawowych nr {n}", "Dyrektor",
                   "Dyrektora", "zsp{n}"),
        "woj": ("Centrum Kształcenia Zawodowego nr {n}", "Centrum Kształcenia Zawodowego nr {n}", "Dyrektor",
                "Dyrektora", "ckz{n}"),
    },
}

POSTAL_PREFIX = ("66", "66", "66", "67", "69", "66", "69", "66", "66", "68", "68", "67")
EDITOR_ROLES_JST = (
    "inspektor ds. informacji publicznej", "sekretarz", "podinspektor ds. obsługi rady", "informatyk",
    "inspektor ds. zamówień publicznych", "kierownik referatu organizacyjnego", "referent ds. kadr",
)
EDITOR_ROLES_UNIT = ("sekretarz", "główny księgowy", "referent ds. administracyjnych", "dyrektor", "specjalista ds. kadr")
ARCHITECTURE = (
    "Do budynku prowadzi wejście z podjazdem dla osób na wózkach. Na parterze znajduje się toaleta dostosowana "
    "do potrzeb osób z niepełnosprawnościami. Do budynku można wejść z psem asystującym.",
    "Budynek jest dwukondygnacyjny, bez windy. Osoby mające trudności w poruszaniu się są obsługiwane na parterze, "
    "w punkcie obsługi interesantów. Przed budynkiem wyznaczono miejsce parkingowe dla osób z niepełnosprawnościami.",
    "Wejście główne jest dostępne z poziomu chodnika. W budynku jest winda i pętla indukcyjna w kancelarii.",
)


def _genitive_adjective(adjective: str) -> str:
    head, _, last = adjective.rpartition("-")
    cap = "-".join(p.capitalize() for p in head.split("-")) + "-" if head else ""
    return cap + last[:-1].capitalize() + "iego" if last.endswith("i") else cap + last.capitalize()


class Region:
    """The units of the region: kinds, names in the right cases, people, sections, unit.yaml."""

    def __init__(self, out: Path, units: int, pages: int, commits: int | None, seed: int):
        self.out = out
        self.n_units = max(1, units)
        self.n_pages = max(1, pages)
        self.n_commits = max(1, commits if commits is not None else max(units * pages // 10, 50))
        self.rng = random.Random(seed)
        self.units: list[Unit] = []
        self.by_id: dict[str, Unit] = {}
        self.used_names: set[str] = set()
        self.seeds_added: set[str] = set()

    # -- people ------------------------------------------------------------------------------
    def person(self) -> str:
        rng = self.rng
        surname = rng.choice(words.SURNAMES)
        if rng.random() < 0.55:
            if surname.endswith(("ski", "cki", "dzki")):
                surname = surname[:-1] + "a"
            return f"{rng.choice(words.FIRST_NAMES_F)} {surname}"
        return f"{rng.choice(words.FIRST_NAMES_M)} {surname}"

    def editor_entry(self, unit: Unit, roles: tuple[str, ...]) -> tuple[str, str]:
        for _ in range(50):
            name = self.person()
            first, last = name.split(" ", 1)
            email = f"{slug(first)[0]}.{slug(last)}@{unit.domain}"
            if all(email != e for e, _ in unit.editors):
                return email, f"{name}, {self.rng.choice(roles)}"
        raise RuntimeError("no free editor e-mail")  # pragma: no cover - 50 draws of ~7000 names

    # -- units -------------------------------------------------------------------------------
    def plan_units(self) -> None:
        rng = self.rng
        count = self.n_units
        jst_slots = count - 1
        n_jedn = max(count - 95, round(count * 0.25)) if count >= 4 else max(0, count - 3)
        n_jst = jst_slots - n_jedn
        powiaty = list(range(len(words.POWIATY)))
        gminy = {t: [i for i, g in enumerate(words.GMINY) if g[3] == t] for t in ("mnpp", "m", "mw", "w")}
        for group in (powiaty, *gminy.values()):
            rng.shuffle(group)
        categories = [("powiat", powiaty), ("w", gminy["w"]), ("mnpp", gminy["mnpp"]), ("m", gminy["m"]),
                      ("mw", gminy["mw"])]
        order: list[tuple[float, int, str, int]] = []
        for rank, (kind, items) in enumerate(categories):
            for position, item in enumerate(items):
                order.append((position / len(items) if position else -1.0, rank, kind, item))
        order.sort()
        chosen = order[:n_jst]
        self.add_unit(self.wojewodztwo())
        for kind, item in sorted(((k, i) for _, _, k, i in chosen), key=lambda c: (c[0] != "powiat", c[0], c[1])):
            self.add_unit(self.powiat(item) if kind == "powiat" else self.gmina(item))
        rank = {"gmina": 0, "gmina-miejska": 0, "miasto-na-prawach-powiatu": 0, "powiat": 1, "wojewodztwo": 2}
        owners = sorted(self.units, key=lambda u: rank[u.kind])
        flavours = ("ops", "library", "school")
        for index in range(n_jedn):
            owner, round_ = owners[index % len(owners)], index // len(owners)
            flavour = flavours[(index % len(owners) + round_) % 3] if round_ < 3 else "school"
            self.add_unit(self.jednostka(owner, flavour))
        self.plan_sections()

    def add_unit(self, unit: Unit) -> None:
        self.units.append(unit)
        self.by_id[unit.id] = unit

    def unique_id(self, base: str) -> str:
        candidate, n = base, 1
        while candidate in self.by_id or candidate in self.used_names:
            n += 1
            candidate = f"{base}-{n}"
        self.used_names.add(candidate)
        return candidate

    def _base(self, unit_id: str, kind: str, flavour: str, **names: Any) -> Unit:
        rng = self.rng
        powiat = names.pop("powiat", 0)
        unit = Unit(
            id=unit_id, kind=kind, flavour=flavour, powiat=powiat,
            area_code=words.POWIATY[powiat][3],
            postal=f"{POSTAL_PREFIX[powiat]}-{rng.randint(0, 999):03d}",
            street=f"{rng.choice(words.STREETS)} {rng.randint(1, 60)}", number=rng.randint(1000, 9899),
            **names,
        )
        unit.people = {role: self.person() for role in ("head", "deputy", "secretary", "treasurer", "chair")}
        unit.councillors = [self.person() for _ in range(15 if flavour == "jst" else 0)]
        roles = EDITOR_ROLES_JST if flavour == "jst" else EDITOR_ROLES_UNIT
        for _ in range(rng.randint(2, 4)):
            unit.editors.append(self.editor_entry(unit, roles))
        unit.weight = {"wojewodztwo": 3, "miasto-na-prawach-powiatu": 3, "jednostka": 1}.get(kind, 2)
        return unit

    def wojewodztwo(self) -> Unit:
        return self._base(
            self.unique_id("wojewodztwo-lubuskie"), "wojewodztwo", "jst", name="Województwo Lubuskie",
            office="Urząd Marszałkowski Województwa Lubuskiego", head_title="Marszałek Województwa Lubuskiego",
            head_title_gen="Marszałka Województwa Lubuskiego", council="Sejmik Województwa Lubuskiego",
            council_gen="Sejmiku Województwa Lubuskiego", place="Zielona Góra", place_loc="w Zielonej Górze",
            teryt="08", powiat=8,
        )

    def powiat(self, index: int) -> Unit:
        adjective, seat, seat_loc, _, teryt = words.POWIATY[index]
        gen = _genitive_adjective(adjective)
        name = "Powiat " + "-".join(p.capitalize() for p in adjective.split("-"))
        return self._base(
            self.unique_id(f"powiat-{slug(adjective)}"), "powiat", "jst", name=name,
            office=f"Starostwo Powiatowe {seat_loc}", head_title=f"Starosta {name.split(' ', 1)[1]}",
            head_title_gen=f"Starosty {gen}", council=f"Rada Powiatu {gen}", council_gen=f"Rady Powiatu {gen}",
            place=seat, place_loc=seat_loc, teryt=teryt, powiat=index,
        )

    def gmina(self, index: int) -> Unit:
        name, gen, loc, kind, powiat = words.GMINY[index]
        within = [i for i, g in enumerate(words.GMINY) if g[4] == powiat and g[3] != "mnpp"]
        digit = {"m": "1", "w": "2", "mw": "3", "mnpp": "1"}[kind]
        if kind == "mnpp":
            teryt = "0861011" if name.startswith("Gorzów") else "0862011"
            return self._base(
                self.unique_id(f"miasto-{slug(name)}"), "miasto-na-prawach-powiatu", "jst", name=f"Miasto {name}",
                office=f"Urząd Miasta {name}", head_title=f"Prezydent Miasta {name}",
                head_title_gen=f"Prezydenta Miasta {name}", council=f"Rada Miasta {name}",
                council_gen=f"Rady Miasta {name}", place=name, place_loc=loc, teryt=teryt, powiat=powiat,
            )
        teryt = f"{words.POWIATY[powiat][4]}{within.index(index) + 1:02d}{digit}"
        if kind == "m":
            return self._base(
                self.unique_id(f"miasto-{slug(name)}"), "gmina-miejska", "jst", name=f"Gmina Miejska {name}",
                office=f"Urząd Miasta {name}", head_title=f"Burmistrz Miasta {name}",
                head_title_gen=f"Burmistrza Miasta {name}", council=f"Rada Miasta {name}",
                council_gen=f"Rady Miasta {name}", place=name, place_loc=loc, teryt=teryt, powiat=powiat,
            )
        if kind == "mw":
            return self._base(
                self.unique_id(f"gmina-{slug(name)}"), "gmina", "jst", name=f"Gmina {name}",
                office=f"Urząd Miejski {loc}", head_title=f"Burmistrz {gen}", head_title_gen=f"Burmistrza {gen}",
                council=f"Rada Miejska {loc}", council_gen=f"Rady Miejskiej {loc}", place=name, place_loc=loc,
                teryt=teryt, powiat=powiat,
            )
        return self._base(
            self.unique_id(f"gmina-{slug(name)}"), "gmina", "jst", name=f"Gmina {name}",
            office=f"Urząd Gminy {name}", head_title=f"Wójt Gminy {name}", head_title_gen=f"Wójta Gminy {name}",
            council=f"Rada Gminy {name}", council_gen=f"Rady Gminy {name}", place=name, place_loc=loc,
            teryt=teryt, powiat=powiat,
        )

    def jednostka(self, owner: Unit, flavour: str) -> Unit:
        owner_kind = {"wojewodztwo": "woj", "powiat": "powiat", "gmina-miejska": "m",
                      "miasto-na-prawach-powiatu": "m"}.get(owner.kind)
        if owner_kind is None:
            owner_kind = "mw" if owner.office.startswith("Urząd Miejski") else "w"
        nominative, genitive, head, head_gen, prefix = INSTITUTIONS[flavour][owner_kind]
        number = 1
        if "{n}" in nominative:
            number = sum(1 for u in self.units if u.parent == owner.id and u.flavour == flavour) + 1
        key = owner.id.split("-", 1)[1] if "-" in owner.id else owner.id
        name = f"{nominative.format(n=number)} {owner.place_loc}"
        gen = f"{genitive.format(n=number)} {owner.place_loc}"
        if flavour == "school" and self.rng.random() < 0.6:
            patron = self.rng.choice(texts.PATRONS)
            name, gen = f"{nominative.format(n=number)} {patron} {owner.place_loc}", f"{genitive.format(n=number)} {patron} {owner.place_loc}"
        unit = self._base(
            self.unique_id(f"{prefix.format(n=number)}-{key}"), "jednostka", flavour, name=name, office=name,
            head_title=f"{head} {gen}", head_title_gen=f"{head_gen} {gen}",
            council=f"Rada Pedagogiczna {gen}" if flavour == "school" else "",
            council_gen=f"Rady Pedagogicznej {gen}" if flavour == "school" else "",
            place=owner.place, place_loc=owner.place_loc, powiat=owner.powiat, parent=owner.id,
        )
        return unit

    # -- sections ----------------------------------------------------------------------------
    def plan_sections(self) -> None:
        for index, unit in enumerate(self.units):
            candidates = self.section_candidates(unit)
            keep = min(len(candidates), max(2, self.n_pages // 3))
            if keep < len(candidates):
                offset = (index * 3) % len(candidates)
                rotated = candidates[offset:] + candidates[:offset]
                chosen = {id(s) for s in rotated[:keep]}
                candidates = [s for s in candidates if id(s) in chosen]
            unit.sections = candidates

    def section_candidates(self, unit: Unit) -> list[Section]:
        jst = unit.flavour == "jst"
        titles: list[tuple[str, str, str]] = []
        if jst or unit.flavour == "school":
            title = f"Uchwały {unit.council_gen}" if jst else "Uchwały Rady Pedagogicznej"
            titles.append(("uchwala", DOCTYPES["uchwala"].section, title))
        titles.append(("zarzadzenie", DOCTYPES["zarzadzenie"].section, f"Zarządzenia {unit.head_title_gen}"))
        titles.append(("about", "o-urzedzie" if jst else "o-nas", "Informacje o urzędzie" if jst else "O nas"))
        titles.append(("ogloszenie", DOCTYPES["ogloszenie"].section, "Ogłoszenia i komunikaty"))
        titles.append(("zamowienie", DOCTYPES["zamowienie"].section, "Zamówienia publiczne"))
        titles.append(("nabor", DOCTYPES["nabor"].section,
                       "Nabór na wolne stanowiska urzędnicze" if jst else "Oferty pracy"))
        titles.append(("oswiadczenie", DOCTYPES["oswiadczenie"].section, "Oświadczenia majątkowe"))
        titles.append(("protokol", DOCTYPES["protokol"].section,
                       f"Protokoły z sesji {unit.council_gen}" if jst else "Protokoły kontroli"))
        titles.append(("budget", "budzet", "Budżet i finanse"))
        titles.append(("petycja", DOCTYPES["petycja"].section, "Petycje"))
        if jst:
            titles.append(("services", "zalatwianie-spraw", "Załatwianie spraw"))
        titles.append(("news", "aktualnosci", "Aktualności"))
        sections = [Section(folder, title, kind, (n + 1) * 10) for n, (kind, folder, title) in enumerate(titles)]
        for section in sections:
            assert section.folder and section.folder not in RESERVED, section.folder
        return sections

    # -- unit.yaml ---------------------------------------------------------------------------
    def unit_yaml(self, unit: Unit, day: dt.date) -> None:
        rng = self.rng
        head = unit.people["head"]
        data: dict[str, Any] = {"name": unit.name, "kind": unit.kind}
        if unit.parent:
            data["parent"] = unit.parent
        data["address"] = unit.address_line
        data["phone"] = unit.phone
        data["email"] = f"sekretariat@{unit.domain}"
        data["epuap"] = f"/{unit.id.replace('-', '')[:20]}/SkrytkaESP"
        data["nip"] = nip(rng)
        data["regon"] = regon(rng)
        if unit.teryt:
            data["teryt"] = unit.teryt
        data["head"] = f"{head} – {unit.head_title}"
        first_name = unit.editors[0][1].split(",")[0]
        data["editor"] = {"name": first_name, "email": f"bip@{unit.domain}", "phone": unit.phone[:-2] + "11"}
        data["editors"] = dict(unit.editors)
        if unit.kind == "miasto-na-prawach-powiatu":
            data["base_url"] = f"https://bip.{slug(unit.place)}.example"
        if rng.random() < 0.5:
            data["menu"] = [s.folder for s in unit.sections]
        status = rng.choice(("zgodna", "częściowo zgodna", "częściowo zgodna", "niezgodna"))
        accessibility: dict[str, Any] = {
            "status": status, "published": day.isoformat(), "updated": day.isoformat(), "prepared": day.isoformat(),
        }
        if status != "zgodna":
            accessibility["nonconformities"] = rng.sample(words.NONCONFORMITIES, 2)
        accessibility["contact"] = {"name": first_name, "email": f"dostepnosc@{unit.domain}", "phone": data["editor"]["phone"]}
        accessibility["architecture"] = rng.choice(ARCHITECTURE)
        # what the law adds (no random draw: the rest of the corpus stays as it was): the yearly review of 2026,
        # the coordinator and report, the RODO clause's officer, ETR, PJM and text on the unit's main website
        accessibility["reviewed"] = max(day, dt.date(2026, 3, 31)).isoformat()
        accessibility["coordinator"] = {"name": first_name, "email": f"koordynator@{unit.domain}"}
        accessibility["report"] = f"https://{unit.domain}/dostepnosc/raport.pdf"
        data["accessibility"] = accessibility
        data["rodo"] = {"iod": {"name": "Inspektor ochrony danych", "email": f"iod@{unit.domain}"}}
        data["etr"] = f"https://{unit.domain}/dostepnosc/tekst-latwy-do-czytania/"
        data["pjm"] = {"url": f"https://{unit.domain}/dostepnosc/informacje-w-pjm/"}
        data["machine_readable"] = f"https://{unit.domain}/dostepnosc/informacje-o-dzialalnosci.txt"
        unit.data = data

    def unit_yaml_bytes(self, unit: Unit) -> bytes:
        unit.data["editors"] = dict(unit.editors)
        return yaml_text(unit.data).encode()
