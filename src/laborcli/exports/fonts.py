"""A Chinese font on this machine for the pictures laborcli draws (the Friday board).

A picture carries its text as pixels: drawn with a font that lacks a character, the
character is a box (tofu) in every phone that shows it. So the font is looked for among
the ones known to cover simplified Chinese, in order: fontconfig's list where there is
one (Linux), then the usual files of Linux, Windows and macOS; ``--font FILE`` chooses
one. Before a picture is drawn, every character of it is checked against the font's
empty glyph (.notdef): a font that lacks one is refused with a line naming them, and no
font at all is one line saying how to get one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageFont

from laborcli.errors import UsageError
from laborcli.i18n import pick

# Families that cover simplified Chinese, best first (sans-serif before serif: a board read
# on a phone wants strokes of one width).
FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
    "Heiti SC",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "SimSun",
)

# Where the fonts are when there is no fontconfig to ask (Windows, macOS, a minimal Linux):
# (regular, bold) file names under each folder; a collection (.ttc) is searched for its
# simplified-Chinese face.
_WINDOWS = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
KNOWN_FILES: tuple[tuple[Path, str, str | None], ...] = (
    (Path("/usr/share/fonts/opentype/noto"), "NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc"),
    (Path("/usr/share/fonts/noto-cjk"), "NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc"),
    (Path("/usr/share/fonts/google-noto-cjk"), "NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc"),
    (
        Path("/usr/share/fonts/opentype/source-han-sans"),
        "SourceHanSansSC-Regular.otf",
        "SourceHanSansSC-Bold.otf",
    ),
    (
        Path("/usr/share/fonts/adobe-source-han-sans"),
        "SourceHanSansSC-Regular.otf",
        "SourceHanSansSC-Bold.otf",
    ),
    (Path("/usr/share/fonts/truetype/wqy"), "wqy-zenhei.ttc", None),
    (Path("/usr/share/fonts/truetype/wqy"), "wqy-microhei.ttc", None),
    (Path("/usr/share/fonts/wenquanyi/wqy-zenhei"), "wqy-zenhei.ttc", None),
    (_WINDOWS, "msyh.ttc", "msyhbd.ttc"),
    (_WINDOWS, "msyh.ttf", "msyhbd.ttf"),
    (_WINDOWS, "simhei.ttf", None),
    (Path("/System/Library/Fonts"), "PingFang.ttc", None),
    (Path("/System/Library/Fonts"), "STHeiti Medium.ttc", "STHeiti Medium.ttc"),
    (Path("/Library/Fonts"), "Arial Unicode.ttf", None),
)

HOW_TO_GET = (
    "找不到中文字体, 无法生成图片: 请安装 Noto Sans CJK (Debian/Ubuntu: sudo apt-get install fonts-noto-cjk; "
    "其他系统可装思源黑体), 或用 --font 指定一个中文字体文件 (.ttf/.otf/.ttc)",
    "no Chinese font found to draw the picture: install Noto Sans CJK (Debian/Ubuntu: sudo apt-get "
    "install fonts-noto-cjk; elsewhere Source Han Sans), or name a Chinese font file with --font",
)


@dataclass(frozen=True, slots=True)
class FontFace:
    """One face of a font file: the file and its index in a collection (.ttc)."""

    path: Path
    index: int = 0

    def sized(self, px: int) -> ImageFont.FreeTypeFont:
        """The face at ``px`` pixels."""
        return ImageFont.truetype(str(self.path), px, index=self.index)


@dataclass(frozen=True, slots=True)
class CjkFont:
    """The regular face and the bold one (the regular again when the family has none)."""

    regular: FontFace
    bold: FontFace

    @property
    def name(self) -> str:
        """The family and style, as the font file names them."""
        family, style = self.regular.sized(20).getname()
        return f"{family} {style}".strip()


# A code point no font maps (plane 16's last private-use one): drawn, it is the .notdef glyph.
_UNMAPPED = "\U0010fffd"


def missing_glyphs(font: ImageFont.FreeTypeFont, text: str) -> list[str]:
    """The characters of ``text`` that ``font`` would draw as its .notdef glyph (tofu).

    FreeType draws an unmapped character as glyph 0; a character whose bitmap is that
    glyph's bitmap is not in the font. Spaces are left out: they draw nothing either way.
    """
    tofu = _bitmap(font, _UNMAPPED)
    seen: dict[str, bool] = {}
    for ch in text:
        if ch.isspace() or ch in seen:
            continue
        seen[ch] = _bitmap(font, ch) == tofu
    return [ch for ch, missing in seen.items() if missing]


def _bitmap(font: ImageFont.FreeTypeFont, ch: str) -> tuple[tuple[int, int], bytes]:
    mask = font.getmask(ch)
    return mask.size, bytes(mask)


def _fontconfig() -> Iterator[tuple[str, FontFace, str]]:
    """(family, face, style) of each Chinese font fontconfig knows; nothing without it."""
    exe = shutil.which("fc-list")
    if exe is None:
        return
    try:
        p = subprocess.run(
            [exe, "-f", "%{family[0]}|%{style[0]}|%{index}|%{file}\n", ":lang=zh-cn"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return
    for line in p.stdout.splitlines():
        parts = line.split("|", 3)
        if len(parts) == 4 and parts[2].isdigit():
            yield parts[0], FontFace(Path(parts[3]), int(parts[2])), parts[1]


def _from_fontconfig(found: Iterable[tuple[str, FontFace, str]]) -> CjkFont | None:
    faces: dict[tuple[str, str], FontFace] = {}
    for family, face, style in found:
        faces.setdefault((family, style.lower()), face)
    for family in FAMILIES:
        regular = next(
            (f for (fam, st), f in faces.items() if fam == family and st in ("regular", "book")), None
        )
        regular = regular or next((f for (fam, _), f in faces.items() if fam == family), None)
        if regular is not None:
            bold = faces.get((family, "bold"), regular)
            return CjkFont(regular, bold)
    return None


def _simplified_face(path: Path) -> FontFace | None:
    """The face of a file that is simplified Chinese (a collection holds JP, KR, SC...)."""
    try:
        first = ImageFont.truetype(str(path), 20, index=0)
    except OSError:
        return None
    if path.suffix.lower() != ".ttc":
        return FontFace(path, 0)
    fallback = FontFace(path, 0) if not missing_glyphs(first, "红黑榜") else None
    for i in range(12):
        try:
            family = ImageFont.truetype(str(path), 20, index=i).getname()[0] or ""
        except OSError:
            break
        if family.endswith((" SC", " CN", "GB")) or "YaHei" in family or "PingFang SC" in family:
            return FontFace(path, i)
    return fallback


def _from_known(files: Iterable[tuple[Path, str, str | None]]) -> CjkFont | None:
    for folder, regular, bold in files:
        face = _simplified_face(folder / regular) if (folder / regular).is_file() else None
        if face is None:
            continue
        bold_face = _simplified_face(folder / bold) if bold and (folder / bold).is_file() else None
        return CjkFont(face, bold_face or face)
    return None


def system_font() -> CjkFont | None:
    """The best Chinese font on this machine, or None."""
    return _from_fontconfig(_fontconfig()) or _from_known(KNOWN_FILES)


def chosen_font(path: Path) -> CjkFont:
    """The font of ``--font FILE``; its simplified-Chinese face when it is a collection."""
    if not path.is_file():
        raise UsageError(pick(f"--font {path}: 没有这个字体文件", f"--font {path}: no such font file"))
    face = _simplified_face(path)
    if face is None:
        raise UsageError(
            pick(
                f"--font {path}: 不是可用的字体文件 (.ttf/.otf/.ttc)",
                f"--font {path}: not a font file laborcli can use (.ttf/.otf/.ttc)",
            )
        )
    return CjkFont(face, face)


def find_font(path: Path | None = None) -> CjkFont:
    """``--font FILE`` when given, else the machine's; no font is one line saying how to get one."""
    if path is not None:
        return chosen_font(path)
    found = system_font()
    if found is None:
        raise UsageError(pick(*HOW_TO_GET))
    return found


def check_covers(font: CjkFont, text: str) -> None:
    """Refuse a font that would draw some character of ``text`` as a box."""
    missing = missing_glyphs(font.regular.sized(40), text)
    if missing:
        shown = "".join(missing[:20]) + ("…" if len(missing) > 20 else "")
        raise UsageError(
            pick(
                f"字体 {font.regular.path.name} 缺少 {len(missing)} 个字 ({shown}), 图片会显示成方框: "
                "请用 --font 指定一个包含这些字的中文字体",
                f"the font {font.regular.path.name} lacks {len(missing)} characters ({shown}) and would "
                "draw them as boxes: name a Chinese font that has them with --font",
            )
        )
