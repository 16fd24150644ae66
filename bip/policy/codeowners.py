"""A CODEOWNERS file (GitHub and GitLab syntax) from the same policy: a unit's folder is owned by its
editors and the administrators, everything else by the administrators."""

from __future__ import annotations

from .model import Person, Policy

HEADER = ("# Utworzony poleceniem `bip policy codeowners` z content/region.yaml (administrators) i\n"
          "# content/*/unit.yaml (editors). Nie edytuj ręcznie: zmień zasady i utwórz plik ponownie.\n")


def owner(person: Person) -> str:
    """`@user` when the person has a forge user name, else the e-mail (both forges accept one)."""
    return f"@{person.forge}" if person.forge else person.email


def codeowners(policy: Policy, units: dict[str, dict[str, Person]]) -> str:
    admins = sorted({owner(p) for p in policy.administrators.values()})
    lines = [HEADER, *([f"* {' '.join(admins)}\n"] if admins else [])]
    for unit_id, editors in sorted(units.items()):
        owners = sorted({owner(p) for p in editors.values()}) + [a for a in admins
                                                                 if a not in {owner(p) for p in editors.values()}]
        if owners:
            lines.append(f"/content/{unit_id}/ {' '.join(owners)}\n")
    return "".join(lines)
