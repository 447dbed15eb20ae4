"""Make the README's pictures from sample_data/: the Friday board and the dashboard.

    python scripts/make_screenshots.py            # writes docs/红黑榜.png and docs/dashboard.png
    python scripts/make_screenshots.py --out DIR  # elsewhere (to look at them)

The sample county (sample_data/, made by scripts/make_sample_data.py) is imported into a
registry in a temporary folder with its targets and openings, under a policy naming it
(云岭县, its 人社局). Then, with the installed laborcli as an officer runs it:
`rank --week 2026-W49 --png` (the week holding 2026-11-30) and `export html --as-of
2026-11-30 --split-by township`, whose index.html headless Chromium photographs at a
desktop width (--width, default 1280) and as tall as --height. Needs chromium (Debian:
apt-get install chromium) and a Chinese font (fonts-noto-cjk); exit 2 without them.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
POLICY = '[county]\nname = "云岭县"\noffice = "云岭县人力资源和社会保障局"\n'
AS_OF, WEEK = "2026-11-30", "2026-W49"


def laborcli(*args: str, ok: tuple[int, ...] = (0,)) -> None:
    """Run the installed laborcli; stop on failure with its own message."""
    p = subprocess.run([sys.executable, "-m", "laborcli", "--quiet", *args], capture_output=True, text=True)
    if p.returncode not in ok:
        sys.exit(f"laborcli {' '.join(args)}: exit {p.returncode}\n{p.stderr}")


def shrink(path: Path) -> None:
    """A palette PNG: screenshots of flat colours lose nothing and weigh a third."""
    with Image.open(path) as img:
        small = img.convert("RGB").quantize(
            colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
    small.save(path, optimize=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--out", type=Path, default=ROOT / "docs", help="Folder for the pictures (default docs/)."
    )
    ap.add_argument("--width", type=int, default=1280, help="The browser's width in CSS pixels.")
    ap.add_argument("--height", type=int, default=2600, help="How much of the page to photograph.")
    ap.add_argument("--keep", type=Path, help="Also keep the dashboard folder here.")
    a = ap.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("make_screenshots: needs chromium (apt-get install chromium)", file=sys.stderr)
        return 2
    a.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        policy = t / "policy.toml"
        policy.write_text(POLICY, encoding="utf-8")
        base = ("--db", str(t / "sample.db"), "--policy", str(policy))
        # The sample's sheets are messy on purpose: rows refused are exit 1.
        laborcli(*base, "import", *sorted(str(p) for p in SAMPLE.glob("2026-*")), ok=(0, 1))
        laborcli(
            *base, "targets", "import", str(next(SAMPLE.glob("*年度转移就业任务.xlsx"))), "--year", "2026"
        )
        laborcli(*base, "demand", "import", str(next(SAMPLE.glob("企业用工需求登记表_*.xlsx"))), ok=(0, 1))
        board = a.out / "红黑榜.png"
        laborcli(*base, "rank", "--week", WEEK, "--png", str(board))
        dash = t / "看板"
        laborcli(*base, "export", "html", str(dash), "--as-of", AS_OF, "--split-by", "township")
        shot = a.out / "dashboard.png"
        p = subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--window-size={a.width},{a.height}",
                f"--screenshot={shot}",
                (dash / "index.html").as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        if p.returncode != 0 or not shot.is_file():
            print(f"make_screenshots: chromium failed\n{p.stderr[-2000:]}", file=sys.stderr)
            return 1
        shrink(shot)
        shrink(board)
        if a.keep:
            shutil.rmtree(a.keep, ignore_errors=True)
            shutil.copytree(dash, a.keep)
    for path in (board, shot):
        with Image.open(path) as img:
            print(f"wrote {path} ({img.width}×{img.height}, {path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
