"""Masking personal identifiers in every output unless the user asks for them."""

from __future__ import annotations

from dataclasses import dataclass

from laborcli.identity.keys import id_of, verified_key


@dataclass(frozen=True, slots=True)
class Mask:
    """How identifiers are shown: masked (the default) or whole (``--show-pii``)."""

    show_pii: bool = False

    def id(self, value: str | None) -> str | None:
        """An ID as 530627********123X."""
        if value is None or self.show_pii:
            return value
        return mask_id(value)

    def key(self, value: str) -> str:
        """A person key: a verified ID's key carries the ID, masked like any ID; the others
        are opaque hashes."""
        ident = None if self.show_pii else id_of(value)
        return value if ident is None else verified_key(mask_id(ident))

    def phone(self, value: str | None) -> str | None:
        """A mobile as 138****5678."""
        if value is None or self.show_pii:
            return value
        return mask_phone(value)


def mask_id(s: str) -> str:
    """First 6 and last 4 characters, * between; short strings mostly hidden."""
    if not s:
        return s
    if len(s) >= 11:
        return s[:6] + "*" * (len(s) - 10) + s[-4:]
    keep = 2 if len(s) >= 4 else 0
    return s[:keep] + "*" * (len(s) - keep)


def mask_phone(s: str) -> str:
    """138****5678 for a mobile; at most the first 3 and last 2 characters otherwise."""
    if not s:
        return s
    if len(s) == 11 and s.isdigit():
        return s[:3] + "****" + s[-4:]
    if len(s) <= 5:  # too short to show both ends and still hide something
        return s[:1] + "*" * (len(s) - 1) if len(s) > 2 else "*" * len(s)
    return s[:3] + "*" * (len(s) - 5) + s[-2:]
