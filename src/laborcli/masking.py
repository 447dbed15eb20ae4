"""Masking personal identifiers in every output unless the user asks for them."""

from __future__ import annotations

from dataclasses import dataclass

from laborcli.idcard import mask_id, mask_phone


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
        """A person key: ``id:`` keys carry the ID, masked like any ID; others are opaque hashes."""
        if self.show_pii or not value.startswith("id:"):
            return value
        return "id:" + mask_id(value[3:])

    def phone(self, value: str | None) -> str | None:
        """A mobile as 138****5678."""
        if value is None or self.show_pii:
            return value
        return mask_phone(value)
