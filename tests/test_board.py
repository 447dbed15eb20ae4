"""The Friday board as a picture (`rank --png`, issue 24): sized for a phone, its figures
the ranking's, drawn in Chinese glyphs and never in boxes (tofu), written whole."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image, ImageDraw

from laborcli.cli.app import main
from laborcli.exports import board, fonts
from laborcli.exports.fonts import CjkFont, FontFace
from tests import small_county as sc
from tests.conftest import Cli

FONT = fonts.system_font()
needs_font = pytest.mark.skipif(
    FONT is None, reason="no Chinese font on this machine (.ci/run installs fonts-noto-cjk)"
)
KNOWN = "转移就业红黑榜"


def _latin_font() -> Path | None:
    """A font file without Chinese (DejaVu or Liberation, which most systems carry)."""
    for p in (
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
        Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
        Path("/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf"),
    ):
        if p.is_file():
            return p
    return None


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> tuple[Cli, Path]:
    """The small county, made once: these tests only read the registry."""
    return sc.made(tmp_path_factory)


def _ink(img: Image.Image, box: tuple[int, int, int, int] | None = None) -> np.ndarray[Any, Any]:
    """Where ink is (not the ground colour of the top-left corner) in ``box``."""
    part = np.asarray(img.crop(box) if box else img)
    differs = part != part[0, 0]
    return differs.any(axis=-1) if differs.ndim == 3 else differs


def _overlap(a: np.ndarray[Any, Any], b: np.ndarray[Any, Any]) -> float:
    """The share of the inked pixels that two drawings have in common (1: the same drawing)."""
    return float((a & b).sum() / max(1, (a | b).sum()))


def _main(cli: Cli, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """laborcli as the console runs it (an error is one line on stderr): exit code, stderr."""
    capsys.readouterr()
    code = main(["--db", cli.db, *args])
    return code, capsys.readouterr().err


def _render(face: CjkFont, text: str, px: int = 60) -> Image.Image:
    img = Image.new("L", (px * (len(text) + 1), px * 2), 0)
    ImageDraw.Draw(img).text((px // 2, px // 2), text, font=face.regular.sized(px), fill=255)
    return img


@needs_font
def test_rank_png_is_a_phone_wide_picture_and_the_table_stays_off_a_cron_log(
    county: tuple[Cli, Path], tmp_path: Path
) -> None:
    cli, pol = county
    out = tmp_path / "红黑榜_{week}.png"
    r = cli("--policy", str(pol), "rank", "--week", sc.WEEK, "--png", str(out))
    assert r.exit_code == 0, r.output
    path = tmp_path / f"红黑榜_{sc.WEEK}.png"
    with Image.open(path) as img:
        assert img.format == "PNG" and img.width == board.WIDTH == 1080
        # Two lists of two under a banner: taller than wide, short enough for one swipe or two.
        assert 1200 < img.height < 2400
    assert "→" in r.stderr and "名次" not in r.stdout  # no table in a log
    assert not list(tmp_path.glob(".*.part*"))


@needs_font
def test_the_board_grows_with_the_lists(county: tuple[Cli, Path], tmp_path: Path) -> None:
    cli, pol = county
    heights = []
    for top in ("1", "2"):
        path = tmp_path / f"top{top}.png"
        assert (
            cli("--policy", str(pol), "rank", "--week", sc.WEEK, "--top", top, "--png", str(path)).exit_code
            == 0
        )
        with Image.open(path) as img:
            heights.append(img.height)
    assert heights[1] - heights[0] == 2 * board.ROW_H


@needs_font
def test_the_board_carries_the_lists_figures_stale_villages_and_the_office(
    county: tuple[Cli, Path], tmp_path: Path
) -> None:
    from laborcli.cli.app import app  # noqa: F401  (the registry below is the CLI's)
    from laborcli.dates import parse_week
    from laborcli.policy import load_policy
    from laborcli.ranking.weekly import rank_week
    from laborcli.registry.engine import open_registry

    cli, pol = county
    policy = load_policy(pol)
    reg = open_registry(cli.db, create=False)
    try:
        with reg.reading() as conn:
            res = rank_week(conn, *parse_week(sc.WEEK, sc.NEW), policy.labour_force, top=policy.ranking.top)
    finally:
        reg.close()
    assert FONT is not None
    texts = board.board_text(res, FONT, policy.county)
    ranked: Any = json.loads(cli("--policy", str(pol), "rank", "--week", sc.WEEK, "--format", "json").stdout)
    lines = {row["list"]: [] for row in ranked["rows"]}
    for row in ranked["rows"]:
        lines[row["list"]].append(row)
    for row in lines["red"] + lines["black"]:
        assert row["village"] in texts
        assert f"{row['value'] * 100:.1f}%" in texts
        assert f"{row['new_transfers']} / {row['target']}" in texts
    middle = [row["village"] for row in lines[None]]
    assert middle and not set(middle) & set(texts)  # only the two lists
    joined = "\n".join(texts)
    assert "测试县" in texts and "测试县人力资源和社会保障局" in texts
    assert "2026年第49周 (11月30日—12月4日)" in texts
    assert "数据未更新" in joined and "乙乡五村 (2026-10-31)" in joined


@needs_font
def test_the_known_string_is_glyphs_not_the_fonts_notdef_boxes() -> None:
    assert FONT is not None
    assert fonts.missing_glyphs(FONT.regular.sized(40), KNOWN + "第48周 1/5 ↑↓–") == []
    real = _render(FONT, KNOWN)
    tofu = _render(FONT, "\U0010fffd" * len(KNOWN))  # the font's .notdef, once per character
    # A box with a cross is one shape seven times; the characters' strokes lie elsewhere.
    assert _ink(real).sum() > 0 and _overlap(_ink(real), _ink(tofu)) < 0.4
    assert _overlap(_ink(tofu), _ink(_render(FONT, "\U0010fffd" * len(KNOWN)))) == 1.0


@needs_font
def test_the_boards_title_is_drawn_in_glyphs_not_in_boxes(
    county: tuple[Cli, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same board drawn once as it is and once with every Chinese character replaced by
    the font's .notdef glyph (same advance, same layout): the title bands must differ."""
    cli, pol = county
    real = tmp_path / "real.png"
    assert cli("--policy", str(pol), "rank", "--week", sc.WEEK, "--png", str(real)).exit_code == 0
    text = board._Painter.text

    def as_tofu(self: Any, x: float, y: float, s: str, *args: Any, **kw: Any) -> None:
        text(self, x, y, "".join("\U0010fffd" if ord(c) > 0x2E80 else c for c in s), *args, **kw)

    monkeypatch.setattr(board._Painter, "text", as_tofu)
    monkeypatch.setattr(board, "check_covers", lambda font, t: None)
    boxes = tmp_path / "tofu.png"
    assert cli("--policy", str(pol), "rank", "--week", sc.WEEK, "--png", str(boxes)).exit_code == 0
    with Image.open(real) as a, Image.open(boxes) as b:
        assert a.size == b.size
        band = (0, 0, board.WIDTH, 300)  # the banner: county, 转移就业红黑榜, the week
        ink_real, ink_tofu = _ink(a.convert("RGB"), band), _ink(b.convert("RGB"), band)
        assert ink_real.sum() > 0 and ink_tofu.sum() > 0
        assert _overlap(ink_real, ink_tofu) < 0.5


def test_no_chinese_font_is_one_line_saying_how_to_get_one(
    county: tuple[Cli, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cli, pol = county
    monkeypatch.setattr(fonts, "system_font", lambda: None)
    out = tmp_path / "b.png"
    code, err = _main(cli, capsys, "--policy", str(pol), "rank", "--week", sc.WEEK, "--png", str(out))
    assert code == 2
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and "fonts-noto-cjk" in lines[0] and "--font" in lines[0], err
    assert "Traceback" not in err and not out.exists()


def test_a_font_without_chinese_is_refused_naming_the_characters_and_the_old_board_stays(
    county: tuple[Cli, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    latin = _latin_font()
    if latin is None:
        pytest.skip("no Latin-only font file on this machine")
    cli, pol = county
    out = tmp_path / "b.png"
    out.write_bytes(b"last week's board")
    code, err = _main(
        cli, capsys, "--policy", str(pol), "rank", "--week", sc.WEEK, "--png", str(out), "--font", str(latin)
    )
    assert code == 2
    assert latin.name in err and "转" in err and "--font" in err and len(err.strip().splitlines()) == 1
    assert out.read_bytes() == b"last week's board"


def test_a_missing_font_file_or_a_non_png_name_is_a_usage_error(
    county: tuple[Cli, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli, _ = county
    code, err = _main(
        cli,
        capsys,
        "rank",
        "--week",
        sc.WEEK,
        "--png",
        str(tmp_path / "b.png"),
        "--font",
        str(tmp_path / "无.ttf"),
    )
    assert code == 2 and "无.ttf" in err
    code, err = _main(cli, capsys, "rank", "--week", sc.WEEK, "--png", str(tmp_path / "b.jpg"))
    assert code == 2 and ".png" in err
    code, err = _main(cli, capsys, "rank", "--week", sc.WEEK, "--font", str(tmp_path / "无.ttf"))
    assert code == 2 and "--png" in err


@needs_font
def test_a_chosen_font_file_is_used(county: tuple[Cli, Path], tmp_path: Path) -> None:
    assert FONT is not None
    cli, pol = county
    out = tmp_path / "b.png"
    r = cli(
        "--policy", str(pol), "rank", "--week", sc.WEEK, "--png", str(out), "--font", str(FONT.regular.path)
    )
    assert r.exit_code == 0, r.output
    assert fonts.chosen_font(FONT.regular.path).regular.index == FONT.regular.index  # the SC face


def test_fontconfig_choice_prefers_noto_sans_cjk_sc_and_its_bold_face() -> None:
    found = [
        ("Noto Serif CJK SC", FontFace(Path("/f/serif.ttc"), 2), "Regular"),
        ("Noto Sans CJK JP", FontFace(Path("/f/sans.ttc"), 0), "Regular"),
        ("Noto Sans CJK SC", FontFace(Path("/f/sans.ttc"), 2), "Regular"),
        ("Noto Sans CJK SC", FontFace(Path("/f/sans-bold.ttc"), 2), "Bold"),
    ]
    got = fonts._from_fontconfig(found)
    assert got == CjkFont(FontFace(Path("/f/sans.ttc"), 2), FontFace(Path("/f/sans-bold.ttc"), 2))
    assert fonts._from_fontconfig([("DejaVu Sans", FontFace(Path("/f/d.ttf")), "Book")]) is None


@needs_font
def test_without_fontconfig_the_known_files_are_searched_for_their_simplified_face(tmp_path: Path) -> None:
    assert FONT is not None
    folder = tmp_path / "Fonts"
    folder.mkdir()
    src = FONT.regular.path
    try:
        (folder / src.name).symlink_to(src)
    except OSError:
        shutil.copy(src, folder / src.name)
    got = fonts._from_known([(tmp_path / "nowhere", "msyh.ttc", None), (folder, src.name, None)])
    assert got is not None and got.regular.path == folder / src.name
    assert "SC" in got.name or "CN" in got.name or got.regular.index == 0
