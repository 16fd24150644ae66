"""Copy a `bip demo` corpus into a Hugo site (the reference of benchmarks/build_bench.py).

    python benchmarks/hugo/convert.py CORPUS SITE

- `content/<unit>/**.md` → `SITE/content/<unit>/**.md`, YAML front matter kept; our `type` key is
  renamed `doctype` (Hugo's `type` picks a layout); a folder's `index.md` becomes `_index.md` (Hugo
  treats `index.md` as a leaf bundle); units are top-level sections;
- attachments (PDF, DOCX, …) → `SITE/static/<unit>/…` at the same path, so Hugo copies them as-is;
- `content/<unit>/unit.yaml` → `SITE/data/units/<unit>.yaml` (name, address, head for the metryczka);
- `hugo.toml`, `layouts/` and `static/` of this folder are copied into SITE.

Hugo's `published` front-matter key is one of its publishDate aliases, so `hugo --buildFuture` is
needed (future dates are otherwise skipped).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def convert_text(text: str) -> str:
    if not text.startswith("---"):
        return text
    end = text.find("\n---", 3)
    if end < 0:
        return text
    head = text[:end]
    lines = head.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("type:"):
            lines[i] = "doctype:" + line[len("type:"):]
    return "\n".join(lines) + text[end:]


def target_for(relative: str) -> tuple[str, str]:
    """('content'|'static'|'data', path inside that folder) for a path relative to content/."""
    parts = relative.split("/")
    name = parts[-1]
    if len(parts) == 2 and name == "unit.yaml":
        return "data", f"units/{parts[0]}.yaml"
    if name.endswith(".md"):
        if name == "index.md":
            parts[-1] = "_index.md"
        return "content", "/".join(parts)
    return "static", relative


def convert_file(corpus: Path, site: Path, relative: str) -> None:
    """Convert one file given relative to the corpus's content/ (or remove it if it is gone)."""
    kind, inside = target_for(relative)
    source = corpus / "content" / relative
    target = site / kind / inside
    if not source.exists():
        target.unlink(missing_ok=True)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    if kind == "content":
        target.write_text(convert_text(source.read_text(encoding="utf-8")), encoding="utf-8")
    else:
        shutil.copyfile(source, target)


def setup_site(site: Path) -> None:
    site.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(HERE / "hugo.toml", site / "hugo.toml")
    shutil.copytree(HERE / "layouts", site / "layouts", dirs_exist_ok=True)
    shutil.copytree(HERE / "static", site / "static", dirs_exist_ok=True)


def convert(corpus: Path, site: Path) -> int:
    """Make SITE afresh from CORPUS; returns the number of pages."""
    if site.exists():
        shutil.rmtree(site)
    setup_site(site)
    content = corpus / "content"
    pages = 0
    for dirpath, dirs, files in os.walk(content):
        dirs.sort()
        for name in sorted(files):
            relative = os.path.relpath(os.path.join(dirpath, name), content).replace(os.sep, "/")
            if relative == "region.yaml" or "/" not in relative and name != "index.md":
                continue
            if "/templates/" in f"/{relative}":
                continue
            convert_file(corpus, site, relative)
            pages += name.endswith(".md")
    (site / "content" / "_index.md").write_text("---\ntitle: Regionalny Biuletyn Informacji Publicznej\n---\n")
    return pages


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    count = convert(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"{count} pages converted into {sys.argv[2]}")
