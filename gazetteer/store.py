"""The gazetteer: every entry indexed by exact name key, consonant skeleton and fuzzy key; `lookup` ranks.

Ranking = match score (exact 100, skeleton 90, fuzzy = rapidfuzz ratio) plus a prior: inside the
region of interest (Syria by default) first, then importance (population, curated entries, kind).
"""

from __future__ import annotations

import hashlib
import math
import os
import pickle
import tempfile
from collections import defaultdict
from dataclasses import replace
from functools import lru_cache
from typing import Iterable

import platformdirs
from pathlib import Path
from rapidfuzz import fuzz, process

from gazetteer import sources
from gazetteer.normalize import ARTICLES, name_key, skeleton
from gazetteer.place import Candidate, Place

_KIND_PRIOR = {"road": 3.0, "checkpoint": 3.0, "border_crossing": 3.0, "landmark": 2.5, "neighbourhood": 2.0,
               "settlement": 1.0, "country": 2.0, "admin_area": -3.0}
FUZZY_CUTOFF = 86.0
MAX_NAME_WORDS = 7
MIN_SKELETON = 4  # characters of consonant skeleton needed before a skeleton match counts


class Gazetteer:
    """An in-memory gazetteer over Place records."""

    def __init__(self, places: Iterable[Place], demonyms: dict[str, str] | None = None, region: str = "SY"):
        self.by_id: dict[str, Place] = {}
        self.by_key: dict[str, list[str]] = defaultdict(list)
        self.by_skeleton: dict[str, list[str]] = defaultdict(list)
        self.demonyms: dict[str, str] = {name_key(k): v for k, v in (demonyms or {}).items()}
        self.region = region
        self.add(places)

    def add(self, places: Iterable[Place]) -> None:
        """Add entries (e.g. the named places of a loaded OSM extract) and index their names."""
        for p in places:
            self.by_id[p.id] = p
            for n in {p.name, *p.names}:
                key = name_key(n)
                if not key:
                    continue
                if p.id not in self.by_key[key]:
                    self.by_key[key].append(p.id)
                sk = skeleton(key)
                if len(sk.replace(" ", "")) >= MIN_SKELETON and p.id not in self.by_skeleton[sk]:
                    self.by_skeleton[sk].append(p.id)
        self._roads_through: dict[str, list[Place]] = defaultdict(list)
        for p in self.by_id.values():
            for via in (p.road.via if p.kind == "road" and p.road else ()):
                if p not in self._roads_through[via]:
                    self._roads_through[via].append(p)
        self._keys_by_len: dict[tuple[str, int], list[str]] = defaultdict(list)
        self._first_words: dict[str, int] = {}
        self._longest_from: dict[str, int] = {}
        self._key_prefixes: set[str] = set()  # the first words of every longer key ("bab al hawa" → "bab")
        for key in self.by_key:
            self._keys_by_len[(_bucket(key), len(key))].append(key)
            words = key.split()
            self._first_words[words[0]] = max(self._first_words.get(words[0], 0), len(words))
            self._key_prefixes.update(" ".join(words[:n]) for n in range(1, len(words)))
        self._lookup_cached.cache_clear()

    def _fuzzy_keys(self, key: str) -> list[str]:
        """Keys that can reach the fuzzy cutoff against `key`: a length the ratio allows, and the same first
        consonant (transliterations of one name keep it: Khanaser/Khunasir, Athria/Ithriya, Qusayr/Kusayr)."""
        n, b = len(key), _bucket(key)
        lo, hi = int(n * FUZZY_CUTOFF / (200 - FUZZY_CUTOFF)), int(n * (200 - FUZZY_CUTOFF) / FUZZY_CUTOFF) + 1
        return [k for length in range(lo, hi + 1) for k in self._keys_by_len.get((b, length), ())]

    def longest_name_from(self, word: str) -> int:
        """How many words the longest name starting with this word has (0: no name starts with it).

        Lets the mention scanner skip the n-grams that cannot match; an article ("al-") or a word the
        key drops may start a longer name, so those get the maximum. Remembered per word: a report
        repeats its capitalised words.
        """
        n = self._longest_from.get(word)
        if n is None:
            n = self._longest_from[word] = self._longest_name_from(word)
        return n

    def _longest_name_from(self, word: str) -> int:
        key = name_key(word)
        if not key or key in ("the",) or word.lower().rstrip("-") in ARTICLES:
            return MAX_NAME_WORDS
        first = key.split()[0]
        n = self._first_words.get(first, 0)
        return min(MAX_NAME_WORDS, n + 2) if n else 0

    def may_continue(self, key: str) -> bool:
        """False when no phrase that adds words after one whose name key is `key` can have a name's key.

        A longer phrase's key keeps this key's words, except a closing article (dropped once another word
        follows: "bab al" before "hawa") and a lone "the"; so the key, less a closing article, must begin
        some longer name. Lets the mention scanner stop reading words as soon as no name can come of them.
        """
        head, _, last = key.rpartition(" ")
        if last in ARTICLES:
            key = head
        return not key or key == "the" or key in self._key_prefixes

    def roads_through(self, place_id: str) -> list[Place]:
        """The road entries whose `via` list names the place, in entry order."""
        return self._roads_through.get(place_id, [])

    def get(self, place_id: str) -> Place:
        return self.by_id[place_id]

    def prior(self, p: Place) -> float:
        """Importance of an entry independent of the name: region first, then size and kind."""
        region = 6.0 if p.country == self.region else 0.0
        size = math.log10(p.population + 1) / 2 if p.population and p.kind != "admin_area" else 0.0
        curated = 1.5 if p.id.startswith(("cur:", "road:", "cc:")) else 0.0
        return region + size + curated + _KIND_PRIOR.get(p.kind, 0.0)

    def _rank(self, hits: dict[str, tuple[float, str]]) -> list[Candidate]:
        cands = [Candidate(self.by_id[i], s, r, rank=s + self.prior(self.by_id[i])) for i, (s, r) in hits.items()]
        cands.sort(key=lambda c: (-c.rank, c.place.id))
        return cands

    def lookup(self, name: str, *, limit: int = 10, fuzzy: bool = True) -> list[Candidate]:
        """Candidates for a name, best first; empty for names too short or without letters."""
        key = name_key(name)
        if fuzzy and key in self.by_key:  # an exact name is never matched fuzzily: one cache entry serves both
            fuzzy = False
        return list(self._lookup_cached(key, fuzzy)[:limit])

    @lru_cache(maxsize=65536)
    def _lookup_cached(self, key: str, fuzzy: bool) -> tuple[Candidate, ...]:
        """Every candidate for a name key, ranked (remembered per key and kept whole, so that any `limit`
        and every spelling with the same key share one entry)."""
        if len(key.replace(" ", "")) < 2:
            return ()
        hits: dict[str, tuple[float, str]] = {}
        for pid in self.by_key.get(key, ()):
            hits[pid] = (100.0, "exact name")
        if fuzzy and not hits:
            sk = skeleton(key)
            for pid in self.by_skeleton.get(sk, ()) if len(sk.replace(" ", "")) >= MIN_SKELETON else ():
                hits.setdefault(pid, (90.0, f"same consonant skeleton '{sk}'"))
            if len(key) >= 4:
                for other, score, _ in process.extract(key, self._fuzzy_keys(key), scorer=fuzz.ratio, limit=8,
                                                       score_cutoff=FUZZY_CUTOFF):
                    for pid in self.by_key[other]:
                        if pid not in hits or hits[pid][0] < score:
                            hits[pid] = (float(score), f"fuzzy match of '{other}' ({score:.0f}%)")
        return tuple(self._rank(hits))

    def demonym(self, word: str) -> Place | None:
        """The country a demonym ("Syrian", "Turkish") refers to, if it is one."""
        cid = self.demonyms.get(name_key(word))
        return self.by_id.get(cid) if cid else None


def _bucket(key: str) -> str:
    """The first letter of a key's consonant skeleton (or the key's first character)."""
    sk = skeleton(key)
    return sk[0] if sk else key[:1]


def _countries(curated: list[Place], geonames: list[Place]) -> list[Place]:
    """Country entries: curated centroids where written, else the capital's position (noted as such)."""
    have = {p.country for p in curated if p.kind == "country"}
    capitals = {(p.country, p.name): p for p in geonames}
    out = []
    for gid, name, iso, pop, capital in sources.country_rows():
        if iso in have:
            continue
        cap = capitals.get((iso, capital))
        if cap is None:
            continue
        out.append(Place(id=f"cc:{iso}", name=name, kind="country", lat=cap.lat, lon=cap.lon, country=iso,
                         population=int(pop or 0), source=f"GeoNames {gid}; position of its capital {capital}",
                         licence=sources.GEONAMES_LICENCE, note="point is the capital, not a centroid"))
    return out


def _build_default() -> Gazetteer:
    curated, demonyms, aliases = sources.curated_places()
    geonames = list(sources.geonames_places())
    places = curated + geonames + list(sources.neighbourhood_places()) + list(sources.admin_places())
    places += _countries(curated, geonames)
    places = [replace(p, names=p.names + tuple(aliases[p.id])) if p.id in aliases else p for p in places]
    return Gazetteer(places, demonyms)


def _index_cache_path() -> Path:
    """Cache file for the built index, keyed by the data files' and the matching code's content."""
    digest = hashlib.sha256()
    for name in ("curated.yaml", "geonames.json", "aleppo_neighbourhoods.geojson", "syria_admin.json"):
        digest.update(sources.data_path(name).read_bytes())
    for module in ("normalize.py", "store.py", "place.py", "sources.py"):
        digest.update((Path(__file__).parent / module).read_bytes())
    base = os.environ.get("ROUTES_CACHE_DIR")
    folder = Path(base) if base else Path(platformdirs.user_cache_dir("syria-exit-routes"))
    return folder / "gazetteer" / f"{digest.hexdigest()[:24]}.pickle"


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The embedded gazetteer: curated entries, GeoNames, Aleppo neighbourhoods, Syrian admin areas, countries.

    Building the name index takes seconds, so the built index is pickled in the user cache folder and
    reused while neither the data files nor the matching code change.
    """
    path = _index_cache_path()
    if path.exists():
        try:
            with path.open("rb") as fh:
                return pickle.load(fh)
        except Exception:  # a stale or corrupt cache is rebuilt
            path.unlink(missing_ok=True)
    g = _build_default()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(g, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass
    return g
