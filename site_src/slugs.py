"""ASCII, length-bounded, collision-free slugs that are safe file names on every OS."""

from __future__ import annotations

import hashlib
import re
import unicodedata

MAX_LEN = 60
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def slugify(text: str, *, max_len: int = MAX_LEN, fallback: str = "item") -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_len:
        cut = slug[:max_len]
        slug = cut.rsplit("-", 1)[0] if "-" in cut[max_len // 2 :] else cut
        slug = slug.strip("-")
    if not slug:
        slug = fallback
    if slug in _WINDOWS_RESERVED or slug.split("-")[0] in _WINDOWS_RESERVED and "-" not in slug:
        slug = f"{slug}-{fallback}"
    return slug


def short_hash(text: str, n: int = 6) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:n]


def unique_slugs(items: list[tuple[str, str]], *, taken: set[str] = frozenset()) -> dict[str, str]:
    """Map each (key, text) to a unique slug; a collision gets a suffix hashed from its key.

    Keys are stable identities (arXiv id or normalised title), so the suffix is the same in
    every build whatever else is in the corpus.
    """
    by_slug: dict[str, list[str]] = {}
    for key, text in items:
        by_slug.setdefault(slugify(text, fallback="paper"), []).append(key)
    out: dict[str, str] = {}
    used = set(taken)
    for slug in sorted(by_slug):
        keys = sorted(by_slug[slug])
        for i, key in enumerate(keys):
            candidate = slug if i == 0 and slug not in used else f"{slug}-{short_hash(key)}"
            n = 6
            while candidate in used:
                n += 2
                candidate = f"{slug}-{short_hash(key, n)}"
            used.add(candidate)
            out[key] = candidate
    return out
