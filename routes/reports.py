"""Reports as the extractor reads them: text (plain, Markdown or HTML) plus publication metadata.

Metadata comes from YAML front matter (the dispatches in `seeds/`), from a seeds/ entry whose
`original` names the file (so the original articles get their dates too), or from the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from routes.errors import RoutesError

SEEDS_DIR = Path(__file__).resolve().parents[1] / "seeds"
MAX_BYTES = 50 * 1024 * 1024
_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)


@dataclass
class Report:
    """One report: its id, text as given (offsets in evidence index this) and publication metadata."""

    id: str
    text: str
    published: date | None
    publisher: str | None = None
    title: str | None = None
    url: str | None = None
    path: str | None = None
    body_offset: int = 0  # where the body starts after front matter (evidence offsets are into `text`)

    def source(self) -> dict[str, Any]:
        return {"report_id": self.id, "published": self.published.isoformat() if self.published else None,
                "publisher": self.publisher, "title": self.title, "url": self.url}


def _parse_date(value: Any, origin: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise RoutesError(f"{origin}: bad publication date {value!r} (expected YYYY-MM-DD)") from None


def seed_metadata(folder: Path = SEEDS_DIR) -> dict[str, dict[str, Any]]:
    """Front matter of every dispatch in seeds/, keyed by the dispatch's id and by its original's file name."""
    out: dict[str, dict[str, Any]] = {}
    if not folder.is_dir():
        return out
    for f in sorted(folder.glob("*.md")):
        m = _FRONT.match(f.read_text(encoding="utf-8"))
        if not m:
            continue
        meta = yaml.safe_load(m.group(1)) or {}
        out[str(meta.get("id", f.stem))] = meta
        if meta.get("original"):
            out[str(meta["original"])] = meta
    return out


def read_report(path: str | Path, *, published: date | None = None, metadata: dict[str, dict[str, Any]] | None = None) -> Report:
    """Read a report file; its date from `published`, its front matter, or the seeds/ metadata."""
    path = Path(path)
    if not path.exists():
        raise RoutesError(f"{path}: no such file")
    if path.is_dir():
        raise RoutesError(f"{path}: is a folder")
    if path.stat().st_size > MAX_BYTES:
        raise RoutesError(f"{path}: larger than {MAX_BYTES // 2**20} MB")
    raw = path.read_bytes()
    if b"\x00" in raw[:8192]:
        raise RoutesError(f"{path}: binary file, not a text report")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RoutesError(f"{path}: not UTF-8 text (byte {exc.start}); convert it with iconv first") from None
    meta: dict[str, Any] = {}
    body_offset = 0
    m = _FRONT.match(text)
    if m:
        try:
            meta = yaml.safe_load(m.group(1)) or {}
        except yaml.YAMLError as exc:
            raise RoutesError(f"{path}: bad front matter ({str(exc).splitlines()[0]})") from None
        body_offset = m.end()
    else:
        meta = (metadata if metadata is not None else seed_metadata()).get(path.name, {})
    pub = published or _parse_date(meta.get("published"), str(path))
    return Report(id=str(meta.get("id") or path.stem), text=text, published=pub, publisher=meta.get("publisher"),
                  title=meta.get("title"), url=meta.get("url") or None, path=str(path), body_offset=body_offset)


def seed_reports(folder: Path = SEEDS_DIR) -> list[Path]:
    """The embedded default input: the dispatches in seeds/."""
    return sorted(p for p in folder.glob("*.md") if p.name.lower() != "readme.md")
