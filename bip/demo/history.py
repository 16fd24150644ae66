"""The history: a plan of commits over the units, then one `git fast-import` stream."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bip.demo import texts
from bip.demo.attachments import Attachments
from bip.demo.documents import SECTION_WEIGHTS, Builders
from bip.demo.files import yaml_text
from bip.demo.model import (
    ADMIN,
    END,
    FUTURE_EMBARGO,
    GITIGNORE,
    IMPORT_FROM,
    REGION_NAME,
    REGION_URL,
    RESERVED,
    START,
    Doc,
    Section,
    Unit,
)
from bip.demo.names import polish_date, roman, short, slug, warsaw_offset
from bip.demo.region import ARCHITECTURE, EDITOR_ROLES_JST, EDITOR_ROLES_UNIT, Region
from bip.demo.writing import Context, bullet, paragraphs, table
from bip.doctypes import DOCTYPES

if TYPE_CHECKING:
    from bip.demo.gitwriter import TreeWriter


@dataclass
class Op:
    kind: str  # boot | add | batch | edit | status | rename | delete | draft | publish | embargo | embargo_future
    #            | attachment | editor
    units: list[Unit]
    size: int = 1  # documents added by a batch
    unmapped: bool = False  # committed from an e-mail the unit's `editors` does not know
    draft: Doc | None = None  # for draft: the page it made
    source: Op | None = None  # for publish: the draft operation


DELTA = {"add": 1, "draft": 1, "embargo": 1, "embargo_future": 1, "delete": -1}
OP_WEIGHTS = {
    "add": 40, "batch": 6, "edit": 18, "status": 10, "rename": 5, "delete": 5, "draft": 3, "embargo": 2,
    "attachment": 5, "editor": 2,
}
Change = tuple[str, str, bytes | None]  # ("M" | "D", repository path, data)


class Demo(Builders, Region):
    """One corpus: units, a plan of commits, the fast-import stream, the checked-out tree."""

    def __init__(self, out: Path, units: int, pages: int, commits: int | None, seed: int):
        super().__init__(out, units, pages, commits, seed)  # Region: sizes, the random source, the units
        self.attachments = Attachments(seed)
        self.commits_written = 0
        self.tree: dict[str, bytes] = {}  # the repository's files after the last commit
        self.writer: TreeWriter | None = None  # gets each commit's changes, to write the working tree

    # -- structural pages --------------------------------------------------------------------
    def home(self, unit: Unit, day: dt.date) -> Doc:
        data = unit.data
        rows = [("Adres", data["address"]), ("Telefon", data["phone"]), ("E-mail", data["email"]),
                ("Elektroniczna skrzynka podawcza", data["epuap"]), ("NIP", data["nip"]), ("REGON", data["regon"])]
        parent = self.by_id.get(unit.parent or "")
        body = paragraphs(
            f"Witamy w Biuletynie Informacji Publicznej – {unit.name}.",
            f"{unit.head_title}: {unit.people['head']}." + (f" Organ prowadzący: {parent.name}." if parent else ""),
            table(("Dane", "Wartość"), rows),
            "## Działy biuletynu",
            bullet([f"[{s.title}]({s.folder}/index.md)" for s in unit.sections]),
            "Biuletyn Informacji Publicznej jest urzędowym publikatorem teleinformatycznym. Strona główna BIP: "
            "[www.bip.gov.pl](https://www.bip.gov.pl).",
        )
        doc = Doc("index.md", "strona", unit.name, {}, body, pinned=True, label="stronę główną", day=day)
        doc.common = {"created": day.isoformat()}
        return doc

    def section_page(self, unit: Unit, section: Section, day: dt.date) -> Doc:
        intro = {
            "about": "Podstawowe informacje o podmiocie: struktura, godziny pracy i dane kontaktowe.",
            "budget": "Budżet, plany finansowe i sprawozdania z ich wykonania.",
            "services": "Karty usług: jakie dokumenty złożyć, ile kosztuje załatwienie sprawy i jak długo trwa.",
            "news": "Bieżące informacje i komunikaty.",
        }.get(section.kind, f"{DOCTYPES[section.kind].plural} publikowane przez: {unit.name}."
              if section.kind in DOCTYPES else "")
        body = paragraphs(intro, "Dokumenty w tym dziale są uporządkowane od najnowszych. Starsze, nieaktualne "
                          "informacje są dostępne w archiwum biuletynu.")
        doc = Doc(f"{section.folder}/index.md", "strona", section.title, {}, body, pinned=True,
                  label=f"stronę działu „{section.title}”", day=day)
        doc.common = {"created": day.isoformat(), "weight": section.weight}
        return doc

    # -- registering documents ---------------------------------------------------------------
    def put(self, unit: Unit, doc: Doc, changes: list[Change], files: bool = True) -> None:
        for segment in doc.path[:-3].split("/"):
            assert segment not in RESERVED, doc.path
        unit.docs[doc.path] = doc
        unit.used.add(doc.path[:-3])
        changes.append(("M", f"content/{unit.id}/{doc.path}", doc.text()))
        if files:
            for name, _, data in doc.files:
                unit.used.add("file:" + doc.file_path(name))
                changes.append(("M", f"content/{unit.id}/{doc.file_path(name)}", data))

    def update(self, unit: Unit, doc: Doc, changes: list[Change]) -> None:
        """Write a changed page and any attachment not yet in the tree."""
        changes.append(("M", f"content/{unit.id}/{doc.path}", doc.text()))
        for name, _, data in doc.files:
            path = doc.file_path(name)
            if "file:" + path not in unit.used:
                unit.used.add("file:" + path)
                changes.append(("M", f"content/{unit.id}/{path}", data))

    def pick_section(self, unit: Unit, kinds: tuple[str, ...] | None = None) -> Section | None:
        options = [s for s in unit.sections if s.folder not in unit.exhausted and (kinds is None or s.kind in kinds)]
        if not options:
            return None
        return self.rng.choices(options, weights=[SECTION_WEIGHTS[s.kind] for s in options])[0]

    def new_doc(self, unit: Unit, day: dt.date, imported: bool, now_day: dt.date,
                kinds: tuple[str, ...] | None = None) -> Doc | None:
        """A document of one of `kinds` if the unit has such a section, else of any kind."""
        for _ in range(len(unit.sections) + 1):
            section = self.pick_section(unit, kinds) or self.pick_section(unit)
            if section is None:
                return None
            doc = self.build(unit, section, day, imported, now_day)
            if doc is not None:
                return doc
        return None

    def movable(self, unit: Unit, types: tuple[str, ...] | None = None) -> list[Doc]:
        return [d for d in unit.docs.values() if not d.pinned and not d.pending and (types is None or d.type in types)]

    # -- planning ----------------------------------------------------------------------------
    def plan(self) -> list[Op]:
        rng, units, count = self.rng, self.units, self.n_commits
        boots = len(units) if count >= len(units) + 12 else max(1, min(len(units), count // 2))
        groups = [units[i * len(units) // boots:(i + 1) * len(units) // boots] for i in range(boots)]
        if boots < len(units):
            admin = (ADMIN[1], f"{ADMIN[0]}, administrator Regionalnego BIP")
            for unit in units:
                unit.editors.insert(0, admin)
        window = max(boots, int(count * 0.3))
        positions = [0, *sorted(rng.sample(range(1, window), boots - 1))]
        ops: list[Op | None] = [None] * count
        booted: list[tuple[int, Unit]] = []
        for position, group in zip(positions, groups, strict=True):
            ops[position] = Op("boot", group)
            booted += [(position, u) for u in group]
        free = [p for p in range(count) if ops[p] is None]
        kinds: dict[int, str] = {}
        if free:
            kinds[free[0]] = "draft"
        required = ["rename", "delete", "status", "embargo", "embargo_future", "attachment", "edit", "editor", "batch"]
        extra_future = max(0, count // 600 - 1)
        rest = free[1:]
        for position, kind in zip(rng.sample(rest, min(len(rest), len(required) + extra_future)),
                                  required + ["embargo_future"] * extra_future, strict=False):
            kinds[position] = kind
        forced = set(kinds)  # kept even when a unit has no room for more pages
        names, weights = list(OP_WEIGHTS), list(OP_WEIGHTS.values())
        for position in free:
            kinds.setdefault(position, rng.choices(names, weights=weights)[0])
        unmapped = set(rng.sample(free, round(len(free) * 0.02))) if free else set()
        delta = {u.id: 0 for u in units}
        structural = {u.id: 1 + len(u.sections) for u in units}
        room = {u.id: max(0, self.n_pages - structural[u.id] - 3) for u in units}
        eligible: list[Unit] = []
        cumulative: list[float] = []
        pending_boots = sorted(booted, key=lambda b: b[0])
        drafts: dict[int, tuple[Unit, Op]] = {}
        for position in range(count):
            while pending_boots and pending_boots[0][0] < position:
                unit = pending_boots.pop(0)[1]
                eligible.append(unit)
                cumulative.append((cumulative[-1] if cumulative else 0) + unit.weight)
            if ops[position] is not None:
                continue
            kind = kinds[position]
            if position in drafts:
                unit, draft_op = drafts.pop(position)
                ops[position] = Op("publish", [unit], unmapped=position in unmapped, source=draft_op)
                continue
            unit = rng.choices(eligible, cum_weights=cumulative)[0]
            size = rng.randint(3, 8) if kind == "batch" else 1
            change = DELTA.get(kind, 0) * size if kind != "batch" else size
            if change > 0 and delta[unit.id] + change > room[unit.id] and position not in forced:
                kind, change = "edit", 0
            delta[unit.id] += change
            op = Op(kind, [unit], size, unmapped=position in unmapped)
            ops[position] = op
            if kind == "draft":
                later = position + rng.randint(1, 25)
                while later < count and (ops[later] is not None or later in drafts):
                    later += 1
                if later < count:
                    drafts[later] = (unit, op)
        for unit in units:
            unit.boot_docs = max(0, self.n_pages - structural[unit.id] - delta[unit.id])
        return [op for op in ops if op is not None]

    def times(self) -> list[tuple[int, int]]:
        """(UTC seconds, offset seconds) of each commit: strictly increasing, in office hours where there is room."""
        rng = self.rng
        start, span = START.timestamp(), (END - START).total_seconds()
        slot = span / self.n_commits
        out: list[tuple[int, int]] = []
        previous = 0
        for index in range(self.n_commits):
            moment = start + slot * (index + rng.random() * 0.9)
            utc = dt.datetime.fromtimestamp(moment, dt.UTC)
            offset = warsaw_offset(utc)
            if slot >= 86_400:
                local = utc + dt.timedelta(seconds=offset)
                minutes = rng.randint(7 * 60 + 30, 15 * 60 + 30)
                local = local.replace(hour=minutes // 60, minute=minutes % 60, second=rng.randint(0, 59))
                moment = (local - dt.timedelta(seconds=offset)).timestamp()
            seconds = max(int(moment), previous + 60)
            seconds = min(seconds, int(END.timestamp()) - (self.n_commits - index))
            seconds = max(seconds, previous + 1)
            previous = seconds
            out.append((seconds, warsaw_offset(dt.datetime.fromtimestamp(seconds, dt.UTC))))
        return out

    # -- executing operations ----------------------------------------------------------------
    def author(self, op: Op) -> tuple[str, str]:
        if op.kind == "boot" and len(op.units) > 1:
            return ADMIN
        unit = op.units[0]
        mapped = [e for e in unit.editors if e[0] != ADMIN[1]] or unit.editors
        email, entry = mapped[0] if self.rng.random() < 0.45 else self.rng.choice(mapped)
        name = entry.split(",", 1)[0]
        if op.unmapped:  # an editor committing from a private address: the registry warns about it
            first, last = name.split(" ", 1)
            email = f"{slug(first)}.{slug(last)}@poczta.example"
        return name, email

    def execute(self, op: Op, when: dt.datetime) -> tuple[str, list[Change]]:
        changes: list[Change] = []
        day = when.date()
        if op.kind == "boot":
            for unit in op.units:
                self.boot(unit, day, changes)
            if len(op.units) == 1:
                return f"Uruchomiono BIP: {op.units[0].name} – przeniesiono treści z dotychczasowego serwisu", changes
            return f"Uruchomiono serwisy BIP kolejnych podmiotów ({len(op.units)})", changes
        unit = op.units[0]
        handler: Callable[[Op, Unit, dt.datetime, list[Change]], str | None] = getattr(self, "op_" + op.kind)
        message = handler(op, unit, when, changes)
        if message is None or not changes:
            changes.clear()
            message = self.op_add(op, unit, when, changes)
        if message is None or not changes:  # a unit with nothing left to add: touch its home page
            changes.clear()
            message = self.edit_pinned(unit, day, changes)
        return message, changes

    def boot(self, unit: Unit, day: dt.date, changes: list[Change]) -> None:
        rng = self.rng
        self.unit_yaml(unit, day)
        changes.append(("M", f"content/{unit.id}/unit.yaml", self.unit_yaml_bytes(unit)))
        self.put(unit, self.home(unit, day), changes)
        for section in unit.sections:
            self.put(unit, self.section_page(unit, section, day), changes)
        if unit.kind == "wojewodztwo" and any(s.kind == "news" for s in unit.sections):
            self.put(unit, self.seed_doc(unit, "seed_lubuski_e_urzad.txt", day), changes)
        last = max(IMPORT_FROM, day - dt.timedelta(days=30))
        span = (last - IMPORT_FROM).days
        days = sorted(IMPORT_FROM + dt.timedelta(days=rng.randint(0, span)) for _ in range(unit.boot_docs))
        # every section gets a document first (a section with only its index page is no example), then by weight
        firsts = rng.sample(range(len(days)), min(len(days), len(unit.sections)))
        section_of = dict(zip(firsts, rng.sample(unit.sections, len(firsts)), strict=True))
        for index, doc_day in enumerate(days):
            section = section_of.get(index)
            doc = self.build(unit, section, doc_day, True, day) if section else None
            doc = doc or self.new_doc(unit, doc_day, True, day)
            if doc is not None:
                self.put(unit, doc, changes)

    def seed_doc(self, unit: Unit, name: str, day: dt.date) -> Doc:
        """A real text of the marshal's office (bip/demo/seeds/*.txt), kept verbatim."""
        text = (Path(__file__).parent / "seeds" / name).read_text(encoding="utf-8")
        title, _, body = text.strip().partition("\n")
        self.seeds_added.add(name)
        if name == "seed_petycja_2024_01.txt":
            title = "Petycja nr 2024/01 w sprawie automatyzacji procesów w urzędzie (RPA) – odpowiedź"
            doc = Doc(self.unique(unit, DOCTYPES["petycja"].section, "petycja-nr-2024-01"), "petycja", title,
                      {"submitted": "2024-05-08", "subject": "automatyzacji procesów w urzędzie (RPA)",
                       "status": "rozpatrzona", "answer_date": "2024-05-20"},
                      paragraphs("## Odpowiedź na petycję", text.strip()), label="odpowiedź na petycję nr 2024/01",
                      day=dt.date(2024, 5, 20))
            doc.common = {"created": "2024-05-20"}
            return doc
        doc = Doc(self.unique(unit, "aktualnosci", slug(title, 60)), "strona", title.strip(), {}, body.strip(),
                  label=f"artykuł „{short(title.strip(), 60)}”", day=day)
        if name == "seed_lubuski_e_urzad_2.txt":
            doc.common = {"created": "2020-05-22"}
        return doc

    def due_seed(self, unit: Unit, day: dt.date) -> Doc | None:
        if unit.kind != "wojewodztwo":
            return None
        kinds = {s.kind for s in unit.sections}
        for name, since, kind in (("seed_lubuski_e_urzad_2.txt", dt.date(2020, 5, 22), "news"),
                                  ("seed_petycja_2024_01.txt", dt.date(2024, 5, 21), "petycja")):
            if name not in self.seeds_added and day >= since and kind in kinds:
                return self.seed_doc(unit, name, day)
        return None

    def recent(self, day: dt.date) -> dt.date:
        return day - dt.timedelta(days=self.rng.randint(0, 10))

    def op_add(self, op: Op, unit: Unit, when: dt.datetime, changes: list[Change]) -> str | None:
        day = when.date()
        doc = self.due_seed(unit, day) or self.new_doc(unit, self.recent(day), False, day)
        if doc is None:
            return None
        self.put(unit, doc, changes)
        return self.added_message(doc)

    def added_message(self, doc: Doc) -> str:
        subject = doc.title.split(" w sprawie ", 1)[1] if " w sprawie " in doc.title else ""
        if doc.type in ("uchwala", "zarzadzenie"):
            return f"Dodano {doc.label} w sprawie {subject}"
        if doc.type == "zamowienie":
            return f"Ogłoszono postępowanie {doc.own['reference']}: {doc.title.rsplit(' – ', 1)[0]}"
        if doc.type == "nabor":
            return f"Ogłoszono nabór na stanowisko {doc.own['position']}"
        if doc.type == "petycja":
            return f"Opublikowano {doc.label} w sprawie {doc.own['subject']}"
        return f"Dodano {doc.label}"

    def op_batch(self, op: Op, unit: Unit, when: dt.datetime, changes: list[Change]) -> str | None:
        day = when.date()
        section = self.pick_section(unit, ("uchwala",)) or self.pick_section(unit, ("oswiadczenie",)) \
            or self.pick_section(unit)
        if section is None:
            return None
        adopted = self.recent(day)
        added = []
        for _ in range(op.size):
            doc = self.build(unit, section, adopted, False, day)
            if doc is None:
                break
            self.put(unit, doc, changes)
            added.append(doc)
        if not added:
            return None
        if section.kind == "uchwala" and unit.flavour == "jst":
            return f"Dodano uchwały podjęte na {roman(self.session(unit, adopted)[0])} sesji {unit.council_gen} ({len(added)})"
        if section.kind == "oswiadczenie":
            return f"Opublikowano oświadczenia majątkowe złożone w {day.year} r. ({len(added)})"
        return f"Dodano dokumenty w dziale „{section.title}” ({len(added)})"

    def edit_pinned(self, unit: Unit, day: dt.date, changes: list[Change]) -> str:
        doc = self.rng.choice([d for d in unit.docs.values() if d.pinned])
        note = Context(self, unit, day).fill(self.rng.choice(texts.EDIT_NOTES))
        doc.body += f"\n\n*Aktualizacja z {polish_date(day)}:* {note}"
        self.update(unit, doc, changes)
        if doc.path == "index.md":
            return "Aktualizacja danych kontaktowych na stronie głównej"
        return f"Aktualizacja opisu działu „{doc.title}”"

    def op_edit(self, op: Op, unit: Unit, when: dt.datetime, changes: list[Change]) -> str | None:
        rng, day = self.rng, when.date()
        docs = self.movable(unit)
        if not docs or rng.random() < 0.2:
            return self.edit_pinned(unit, day, changes)
        doc = rng.choice(docs)
        note = Context(self, unit, day).fill(rng.choice(texts.EDIT_NOTES))
        if doc.type == "zamowienie":
            doc.body += (f"\n\n## Wyjaśnienia treści SWZ ({polish_date(day)})\n\n"
                         "Zamawiający udzielił odpowiedzi na pytania wykonawców. Termin składania ofert nie ulega zmianie.")
            message = f"Aktualizacja ogłoszenia o zamówieniu {doc.own['reference']}: wyjaśnienia treści SWZ"
        else:
            doc.body += f"\n\n*Aktualizacja z {polish_date(day)}:* {note}"
            message = {
                "ogloszenie": f"Aktualizacja ogłoszenia „{short(doc.title, 70)}”",
                "uchwala": f"Korekta omyłki pisarskiej: {short(doc.title, 80)}",
                "zarzadzenie": f"Korekta omyłki pisarskiej: {short(doc.title, 80)}",
                "nabor": f"Aktualizacja ogłoszenia o naborze na stanowisko {doc.own.get('position', '')}",
            }.get(doc.type, f"Aktualizacja strony „{short(doc.title, 70)}”")
        self.update(unit, doc, changes)
        return message

    def op_status(self, op: Op, unit: Unit, when: dt.datetime, changes: list[Change]) -> str | None:
        rng, day = self.rng, when.date()
        docs = self.movable(unit)
        rng.shuffle(docs)
        for doc in docs:
            status = doc.own.get("status")
            due = dt.date.fromisoformat(str(doc.own.get("deadline", "9999-12-31"))[:10])
            if doc.type == "zamowienie" and status == "w toku" and due < day:
                self.settle_zamowienie(unit, doc, day)
                message = f"Zmiana statusu zamówienia {doc.own['reference']} na „{doc.own['status']}”"
            elif doc.type == "nabor" and status == "w toku" and due < day:
                self.settle_nabor(unit, doc, day)
                message = f"Zmiana statusu naboru na stanowisko {doc.own['position']} na „{doc.own['status']}”"
            elif doc.type == "petycja" and status == "w toku" and doc.day < day - dt.timedelta(days=14):
                self.settle_petycja(unit, doc, day)
                message = f"Dodano odpowiedź na {doc.label}"
            elif (doc.type == "uchwala" and status == "obowiązująca" and unit.latest_uchwala
                  and doc.own["number"] != unit.latest_uchwala and doc.day < day - dt.timedelta(days=30)):
                doc.own["status"] = rng.choice(("uchylona", "zmieniona"))
                doc.own["repealed_by"] = f"Uchwała Nr {unit.latest_uchwala}"
                message = f"Zmiana statusu uchwały Nr {doc.own['number']} na „{doc.own['status']}”"
            else:
                continue
            self.update(unit, doc, changes)
            return message
        return None

    def op_rename(self, op: Op, unit: Unit, when: dt.datetime, changes: list[Change]) -> str | None:
        rng = self.rng
        docs = self.movable(unit)
        if not docs:
            return None
        doc = rng.choice(docs)
        old_path, old_files = doc.path, [doc.file_path(f[0]) for f in doc.files]
        year_folder = f"{doc.folder}/{doc.day.year}"
        moved = False
        if "/" not in doc.folder and doc.folder and f"{year_folder}/{doc.stem}" not in unit.used:
            targets = [f"{year_folder}/{f[0]}" for f in doc.files]
            if all("file:" + t not in unit.used for t in targets):
                doc.path, moved = f"{year_folder}/{doc.stem}.md", True
        if not moved:
            extra = slug(doc.title.split(" w sprawie ", 1)[-1], 40)
            doc.path = self.unique(unit, doc.folder, f"{doc.stem}-{extra}" if extra not in doc.stem else f"{doc.stem}-{doc.day.year}")
        del unit.docs[old_path]
        if rng.random() < 0.6:
            doc.common.setdefault("aliases", []).append(old_path[:-3])
        changes.append(("D", f"content/{unit.id}/{old_path}", None))
        if moved:
            for path in old_files:
                changes.append(("D", f"content/{unit.id}/{path}", None))
        self.put(unit, doc, changes, files=moved)
        if moved:
            return f"Przeniesiono stronę „{short(doc.title, 70)}” do folderu {doc.folder}"
        return f"Zmieniono adres strony „{short(doc.title, 70)}”"

    def op_delete(self, op: Op, unit: Unit, when: dt.datetime, changes: list[Change]) -> str | None:
        docs = self.movable(unit, ("ogloszenie", "strona", "nabor")) or self.movable(unit)
        if len(docs) < 2:
            return None
        doc = self.rng.choice(docs)
        del unit.docs[doc.path]
        changes.append(("D", f"content/{unit.id}/{doc.path}", None))
        for name, _, _ in doc.files:
            changes.append(("D", f"content/{unit.id}/{doc.file_path(name)}", None))
        if doc.type == "ogloszenie":
            return "Usunięto nieaktualne ogłoszenie"
        if doc.type == "nabor":
            return f"Usunięto nieaktualne ogłoszenie o naborze na stanowisko {doc.own['position']}"
        if doc.type == "strona":
            return f"Usunięto nieaktualną stronę „{short(doc.title, 70)}”"
        return f"Usunięto zdublowany dokument: {short(doc.title, 80)}"

    def op_draft(self, op: Op, unit: Unit, when: dt.datetime, changes: list[Change]) -> str | None:
        day = when.date()
        doc = self.new_doc(unit, self.recent(day), False, day, ("ogloszenie", "news", "zarzadzenie"))
        if doc is None:
            return None
        doc.common.pop("published", None)
        doc.common["draft"] = True
        doc.pending = True
        op.draft = doc
        self.put(unit, doc, changes)
        return f"Przygotowano {doc.label} (szkic, nieopublikowany)"

    def op_publish(self, op: Op, unit: Unit, when: dt.datetime, changes: list[Change]) -> str | None:
        doc = op.source.draft if op.source else None
        if doc is None or unit.docs.get(doc.path) is not doc:
            return None
        doc.common.pop("draft", None)
        doc.common["published"] = when.date().isoformat()
        doc.pending = False
        self.update(unit, doc, changes)
        return f"Opublikowano {doc.label}"

    def embargoed(self, unit: Unit, when: dt.datetime, publish_at: str, changes: list[Change]) -> Doc | None:
        day = when.date()
        doc = self.new_doc(unit, self.recent(day), False, day, ("ogloszenie", "news"))
        if doc is None:
            return None
        doc.common.pop("published", None)
        doc.common["publish_at"] = publish_at
        self.put(unit, doc, changes)
        return doc

    def op_embargo(self, op: Op, unit: Unit, when: dt.datetime, changes: list[Change]) -> str | None:
        start = when.date() + dt.timedelta(days=self.rng.randint(1, 10))
        doc = self.embargoed(unit, when, self.deadline(start, "08:00"), changes)
        if doc is None:
            return None
        return f"Dodano {doc.label} – publikacja od {start.strftime('%d.%m.%Y')} (embargo)"

    def op_embargo_future(self, op: Op, unit: Unit, when: dt.datetime, changes: list[Change]) -> str | None:
        doc = self.embargoed(unit, when, FUTURE_EMBARGO, changes)
        if doc is None:
            return None
        doc.pending = True  # stays embargoed: never edited, moved or deleted
        return f"Przygotowano {doc.label} – publikacja wstrzymana do odwołania (embargo)"

    def op_attachment(self, op: Op, unit: Unit, when: dt.datetime, changes: list[Change]) -> str | None:
        rng, day = self.rng, when.date()
        docs = [d for d in self.movable(unit) if d.files]
        if not docs:
            return None
        doc = rng.choice(docs)
        roll = rng.random()
        if roll < 0.4:
            entry = rng.choice(doc.files)
            _, _, entry[2] = self.attachments.make("pdf", entry[0], entry[1],
                                                   [unit.name, f"Wersja z dnia {polish_date(day)}"], doc.body)
            changes.append(("M", f"content/{unit.id}/{doc.file_path(entry[0])}", entry[2]))
            return f"Zaktualizowano załącznik „{short(entry[1], 70)}”"
        if roll < 0.6 and len(doc.files) >= 2:
            name, title, _ = doc.files.pop()
            changes.append(("D", f"content/{unit.id}/{doc.file_path(name)}", None))
            self.update(unit, doc, changes)
            return f"Usunięto nieaktualny załącznik „{short(title, 60)}” ze strony „{short(doc.title, 60)}”"
        self.attach(unit, doc, f"{doc.stem}-uzupelnienie.pdf", f"Uzupełnienie z dnia {polish_date(day)}",
                    [doc.title], "document")
        self.update(unit, doc, changes)
        return f"Dodano załącznik do strony „{short(doc.title, 70)}”"

    def op_editor(self, op: Op, unit: Unit, when: dt.datetime, changes: list[Change]) -> str | None:
        day = when.date().isoformat()
        if self.rng.random() < 0.5:
            roles = EDITOR_ROLES_JST if unit.flavour == "jst" else EDITOR_ROLES_UNIT
            unit.editors.append(self.editor_entry(unit, roles))
            message = f"Dodano redaktora BIP: {unit.editors[-1][1].split(',')[0]}"
        else:
            unit.data["accessibility"]["updated"] = day
            unit.data["accessibility"]["reviewed"] = day
            message = "Aktualizacja deklaracji dostępności"
        changes.append(("M", f"content/{unit.id}/unit.yaml", self.unit_yaml_bytes(unit)))
        return message

    # -- the stream --------------------------------------------------------------------------
    def region_files(self) -> list[Change]:
        contact = {"name": "Administrator regionalnego BIP", "email": "dostepnosc@bip.lubuskie.example",
                   "phone": "+48 68 456 52 00"}
        accessibility = {  # the portal's own deklaracja dostępności
            "status": "zgodna", "published": START.date().isoformat(), "prepared": START.date().isoformat(),
            "reviewed": "2026-03-31", "contact": contact, "coordinator": contact,
            "report": f"{REGION_URL}/raport-o-stanie-zapewniania-dostepnosci.pdf", "architecture": ARCHITECTURE[0],
        }
        region = yaml_text({"name": REGION_NAME, "base_url": REGION_URL, "accessibility": accessibility}).encode()
        return [("M", ".gitignore", GITIGNORE), ("M", "content/region.yaml", region)]

    def stream(self) -> Iterator[bytes]:
        ops = self.plan()
        for index, (op, (seconds, offset)) in enumerate(zip(ops, self.times(), strict=True)):
            local = dt.datetime.fromtimestamp(seconds + offset, dt.UTC).replace(tzinfo=None)
            message, changes = self.execute(op, local)
            if index == 0:
                changes = self.region_files() + changes
            name, email = self.author(op)
            ident = f"{name} <{email}> {seconds} +{offset // 3600:02d}00\n"
            text = (message + "\n").encode()
            parts = [b"commit refs/heads/main\n", f"author {ident}committer {ident}".encode(),
                     b"data %d\n" % len(text), text]
            for _, path, payload in changes:
                if payload is None:
                    del self.tree[path]
                    parts.append(f"D {path}\n".encode())
                else:
                    self.tree[path] = payload
                    parts.append(f"M 100644 inline {path}\ndata {len(payload)}\n".encode())
                    parts.append(payload)
                    parts.append(b"\n")
            parts.append(b"\n")
            if self.writer is not None:
                self.writer.queue.put([(path, payload) for _, path, payload in changes])
            self.commits_written += 1
            yield b"".join(parts)
        yield b"done\n"
