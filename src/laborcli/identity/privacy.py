"""Masking personal identifiers in every output unless the user asks for them."""

from __future__ import annotations

import re
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


# A run of digits (an X may end it), allowing the spaces, dashes and invisible characters
# that villages type inside IDs and phone numbers.
_DIGIT_RUN = re.compile(r"\d(?:[\s\-\u200b-\u200d\u2060\ufeff]*[\dXx])*")
_RUN_GAPS = re.compile(r"[\s\-\u200b-\u200d\u2060\ufeff]")
_ID_FORM = re.compile(r"\d{17}[\dXx]|\d{15}")
_MOBILE = re.compile(r"((?:\+?86)?)(1[3-9]\d{9})")
# Within a run that is not one identifier as a whole (a date and a phone side by side).
_PLAIN = re.compile(r"(?<!\d)(?:\d{15,19}[Xx]?|1[3-9]\d{9})(?![\dXx])")


def mask_identifiers(text: str) -> str:
    """``text`` with whatever looks like an ID or a mobile number masked, wherever it was
    typed: 15 or 18 characters of an ID (spaces inside or not), or any 15 to 19 digits (a
    bank card too), as an ID; an 11-digit mobile as a phone. For values of columns that are
    not meant to hold identifiers (an ID typed into 出生日期), whose problems would
    otherwise show it whole."""
    if sum(ch.isdigit() for ch in text) < 11:  # most values: nothing to look for
        return text
    return _DIGIT_RUN.sub(_mask_run, text)


def _mask_run(m: re.Match[str]) -> str:
    run = m.group()
    digits = _RUN_GAPS.sub("", run)
    if _ID_FORM.fullmatch(digits):
        return mask_id(digits)
    mobile = _MOBILE.fullmatch(digits)
    if mobile:
        return mobile.group(1) + mask_phone(mobile.group(2))
    return _PLAIN.sub(lambda p: mask_phone(p.group()) if len(p.group()) == 11 else mask_id(p.group()), run)
