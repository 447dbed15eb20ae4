"""Person keys: who a stored row is about, stable across monthly imports.

A valid ID is the person: ``id:`` and the 18-digit ID. Without one, a row is keyed on
where and who it says it is (``nk:`` and a hash of township, village, household, name and
the ID text or birth date as written), so the same unverified person in next month's
sheet gets the same key; the duplicate review links such keys to real persons.
This module is the one place that knows the prefixes.
"""

from __future__ import annotations

import datetime as dt
import hashlib

ID_PREFIX = "id:"
UNVERIFIED_PREFIX = "nk:"


def verified_key(id_number: str) -> str:
    """The key of a person with a valid ID."""
    return ID_PREFIX + id_number


def unverified_key(
    *,
    township: str | None,
    village: str | None,
    household_id: str | None,
    name: str | None,
    id_text: str | None,
    birth: dt.date | None,
) -> str:
    """The key of a row without a valid ID."""
    parts = [
        township or "",
        village or "",
        household_id or "",
        name or "",
        id_text or "",
        birth.isoformat() if isinstance(birth, dt.date) else "",
    ]
    return UNVERIFIED_PREFIX + hashlib.sha1("|".join(parts).encode()).hexdigest()[:20]


def is_person_key(text: str) -> bool:
    """Whether the text has the form of a person key at all (not, say, a bare ID)."""
    return text.startswith((ID_PREFIX, UNVERIFIED_PREFIX))


def is_verified(key: str) -> bool:
    """Whether the key is a valid ID's."""
    return key.startswith(ID_PREFIX)


def id_of(key: str) -> str | None:
    """The ID a verified key holds; None for an unverified key."""
    return key[len(ID_PREFIX) :] if is_verified(key) else None
