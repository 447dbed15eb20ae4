"""Regenerate the docs pages that are derived from the code (problem codes).

Run from the project root: ``python scripts/make_docs.py``. A test fails when the
committed page differs from what this writes, so the page never drifts from the code.
"""

from __future__ import annotations

from pathlib import Path

from laborcli.sheets.problems import catalogue_markdown

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    """Write docs/problem-codes.md."""
    out = ROOT / "docs" / "problem-codes.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(catalogue_markdown(), encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
