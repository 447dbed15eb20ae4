"""The Friday red and black lists as a picture for a phone (`rank --png 红黑榜.png`).

A WeChat group previews a picture, not a workbook: the board is 1080 pixels wide (a
phone's screen, shown at a third of that in CSS pixels, so no text is under 28 px), as
tall as its lists. From the top: the county and the week (2026年第48周 (11月23日—11月27日)),
what it is ranked on, the red list then the black list (rank, place, completion or
transfer rate, new transfers and target, last week's rank), which villages are ranked on
an old sheet (``roster.submissions.STALE_LABEL``, as the handout says it), the places not
ranked, and the issuing office. The figures are ``ranking.weekly.rank_week``'s, as the
table and the handout show them.

Text is drawn with a Chinese font found on the machine (``exports.fonts``); every
character is checked against the font before anything is drawn, so the board never
carries boxes. It is drawn twice: once to measure (how tall), once to paint.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from laborcli.dates import last_month_end
from laborcli.exports.fonts import CjkFont, check_covers
from laborcli.exports.ranking import REASONS, week_title
from laborcli.policy import CountyInfo
from laborcli.ranking.weekly import Ranking, RankRow
from laborcli.roster.submissions import STALE_LABEL
from laborcli.sheets.safe import whole_file

WIDTH = 1080
MARGIN = 44
RED, BLACK, INK, GREY, LINE = "#C00000", "#1A1A1A", "#222222", "#666666", "#D9D9D9"
RED_ROW, RED_ROW_2, BLACK_ROW, BLACK_ROW_2 = "#FDECEC", "#FAD9D9", "#F2F2F2", "#E6E6E6"
ROW_H = 112
STALE = STALE_LABEL[0]
# Columns: (header, x of the cell's left edge, width); the place takes what is left.
_RANK_W, _VALUE_W, _COUNT_W, _PREV_W = 110, 200, 210, 150


@dataclass(slots=True)
class _Painter:
    """Draws from the top down; without an image it only measures (and notes the text)."""

    font: CjkFont
    draw: ImageDraw.ImageDraw | None = None
    y: int = 0
    texts: list[str] = field(default_factory=list)
    _cache: dict[tuple[bool, int], ImageFont.FreeTypeFont] = field(default_factory=dict)

    def face(self, px: int, bold: bool = False) -> ImageFont.FreeTypeFont:
        key = (bold, px)
        if key not in self._cache:
            self._cache[key] = (self.font.bold if bold else self.font.regular).sized(px)
        return self._cache[key]

    def width(self, text: str, px: int, bold: bool = False) -> float:
        return self.face(px, bold).getlength(text)

    def fit(self, text: str, px: int, room: float, bold: bool = False, least: int = 26) -> int:
        """The size at which ``text`` fits ``room`` pixels, no smaller than ``least``."""
        while px > least and self.width(text, px, bold) > room:
            px -= 2
        return px

    def text(
        self,
        x: float,
        y: float,
        text: str,
        px: int,
        fill: str = INK,
        bold: bool = False,
        anchor: str = "lm",
    ) -> None:
        self.texts.append(text)
        if self.draw is not None:
            self.draw.text((x, y), text, font=self.face(px, bold), fill=fill, anchor=anchor)

    def box(self, xy: tuple[float, float, float, float], fill: str, radius: int = 0) -> None:
        if self.draw is not None:
            self.draw.rounded_rectangle(xy, radius=radius, fill=fill)

    def rule(self, y: float, fill: str = LINE) -> None:
        if self.draw is not None:
            self.draw.line((MARGIN, y, WIDTH - MARGIN, y), fill=fill, width=2)

    def wrapped(self, text: str, px: int, fill: str = INK, gap: int = 10, indent: int = 0) -> None:
        """A paragraph across the page, broken where it would pass the margin."""
        room = WIDTH - 2 * MARGIN - indent
        for line in _wrap(text, lambda s: self.width(s, px), room):
            self.text(MARGIN + indent, self.y + px // 2, line, px, fill)
            self.y += px + gap


def _wrap(text: str, measure: Callable[[str], float], room: float) -> Iterator[str]:
    """Lines of ``text`` no wider than ``room``, broken where ``_tokens`` allows."""
    line = ""
    for token in _tokens(text):
        if line and measure(line + token) > room:
            yield line.rstrip()
            line = token.lstrip()
        else:
            line += token
    if line:
        yield line


_KEEP, _END = "\x02", "\x03"  # around what must stay on one line: a place and its sheet's date
_NO_START = set("、，。；：,.;:)）%")
_NO_END = set("(（")


def _kept(text: str) -> str:
    """``text`` never broken across lines by ``wrapped``."""
    return f"{_KEEP}{text}{_END}"


def _tokens(text: str) -> Iterator[str]:
    """Pieces between which a line may break: after a space, and before or after a Chinese
    character, but never inside a ``_kept`` span, before closing or after opening punctuation."""
    atoms: list[str] = []
    for i, part in enumerate(text.replace(_END, _KEEP).split(_KEEP)):
        if i % 2:  # inside a kept span: one atom
            atoms.append(part)
        else:
            atoms.extend(part)
    piece = ""
    for atom in atoms:
        if piece and atom and _may_break(piece[-1], atom[0]):
            yield piece
            piece = ""
        piece += atom
    if piece:
        yield piece


def _may_break(a: str, b: str) -> bool:
    if b in _NO_START or a in _NO_END:
        return False
    return a == " " or ord(a) > 0x2E80 or ord(b) > 0x2E80


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.1f}%"


def _previous(r: RankRow) -> tuple[str, str, str]:
    """Last week's rank and the move: ("3", "↑2", colour); a place new to the list is 新."""
    if r.previous_rank is None:
        return "新", "", GREY
    d = r.previous_rank - r.rank
    if d > 0:
        return str(r.previous_rank), f"↑{d}", RED
    if d < 0:
        return str(r.previous_rank), f"↓{-d}", "#1F5FA8"
    return str(r.previous_rank), "–", GREY


def _banner(p: _Painter, res: Ranking, county: CountyInfo) -> None:
    top = p.y
    height = 300 if county.name else 236
    p.box((0, top, WIDTH, top + height), RED)
    y = top + 58
    if county.name:
        px = p.fit(county.name, 46, WIDTH - 2 * MARGIN, bold=True)
        p.text(WIDTH / 2, y, county.name, px, "#FFFFFF", bold=True, anchor="mm")
        y += 80
    p.text(WIDTH / 2, y + 6, "转移就业红黑榜", 80, "#FFFFFF", bold=True, anchor="mm")
    y += 104
    title = week_title(res)
    p.text(WIDTH / 2, y, title, p.fit(title, 40, WIDTH - 2 * MARGIN), "#FFFFFF", anchor="mm")
    p.y = top + height + 34


def _basis(p: _Painter, res: Ranking) -> None:
    label = "完成率" if res.metric == "completion" else "转移就业率"
    places = "个村 (社区)" if res.by == "village" else "个乡镇"
    line = f"统计截至 {res.as_of.month}月{res.as_of.day}日 (周五) · 按{label}排名 · 参加排名 {len(res.rows)} {places}"
    p.text(MARGIN, p.y + 17, line, p.fit(line, 32, WIDTH - 2 * MARGIN), GREY)
    p.y += 60


def _list(p: _Painter, res: Ranking, rows: list[RankRow], red: bool) -> None:
    """One list: its band, the column heads and a row per place."""
    colour = RED if red else BLACK
    name = "红榜" if red else "黑榜"
    k = len(rows)
    p.box((MARGIN, p.y, WIDTH - MARGIN, p.y + 84), colour, radius=14)
    p.text(MARGIN + 28, p.y + 42, name, 50, "#FFFFFF", bold=True)
    which = f"前 {k} 名" if red else f"后 {k} 名"
    p.text(WIDTH - MARGIN - 28, p.y + 42, which, 36, "#FFFFFF", anchor="rm")
    p.y += 84 + 10
    value_head = "完成率" if res.metric == "completion" else "转移率"
    count_head = "新增/任务" if res.metric == "completion" else "新增转移"
    place_head = "村 (社区)" if res.by == "village" else "乡镇"
    x_rank, x_place = MARGIN, MARGIN + _RANK_W
    x_prev = WIDTH - MARGIN - _PREV_W
    x_count = x_prev - _COUNT_W
    x_value = x_count - _VALUE_W
    hy = p.y + 22
    p.text(x_rank + _RANK_W / 2, hy, "名次", 28, GREY, anchor="mm")
    p.text(x_place + 12, hy, place_head, 28, GREY)
    p.text(x_value + _VALUE_W - 12, hy, value_head, 28, GREY, anchor="rm")
    p.text(x_count + _COUNT_W - 12, hy, count_head, 28, GREY, anchor="rm")
    p.text(x_prev + _PREV_W - 12, hy, "上周", 28, GREY, anchor="rm")
    p.y += 48
    if not rows:
        p.text(MARGIN + 20, p.y + 40, "本周无", 34, GREY)
        p.y += 80
    for i, r in enumerate(rows):
        top, mid = p.y, p.y + ROW_H / 2
        ground = (RED_ROW if i % 2 == 0 else RED_ROW_2) if red else (BLACK_ROW if i % 2 == 0 else BLACK_ROW_2)
        p.box((MARGIN, top, WIDTH - MARGIN, top + ROW_H - 6), ground, radius=10)
        p.text(x_rank + _RANK_W / 2, mid, str(r.rank), 50, colour, bold=True, anchor="mm")
        room = x_value - x_place - 24
        if res.by == "village" and r.village:
            p.text(x_place + 12, mid - 18, r.village, p.fit(r.village, 42, room, bold=True), INK, bold=True)
            under = r.township + (f" · {STALE}" if r.stale else "")
            p.text(x_place + 12, mid + 28, under, p.fit(under, 28, room), RED if r.stale else GREY)
        else:
            y = mid - 18 if r.stale else mid
            p.text(x_place + 12, y, r.township, p.fit(r.township, 42, room, bold=True), INK, bold=True)
            if r.stale:
                p.text(x_place + 12, mid + 28, STALE, 28, RED)
        p.text(x_value + _VALUE_W - 12, mid, _pct(r.value), 44, colour, bold=True, anchor="rm")
        if res.metric == "completion":
            count = f"{r.new_transfers} / {r.target if r.target is not None else '—'}"
        else:
            count = str(r.new_transfers)
        p.text(x_count + _COUNT_W - 12, mid, count, p.fit(count, 38, _COUNT_W - 16), INK, anchor="rm")
        rank, move, tint = _previous(r)
        p.text(x_prev + _PREV_W - 12, mid - 18, rank, 36, INK, anchor="rm")
        if move:
            p.text(x_prev + _PREV_W - 12, mid + 26, move, 28, tint, anchor="rm")
        p.y += ROW_H
    p.y += 30


def _notes(p: _Painter, res: Ranking) -> None:
    """Which places stand on an old sheet, and which were not ranked."""
    due = last_month_end(res.as_of)
    p.rule(p.y)
    p.y += 26
    stale = [r for r in res.rows if r.stale]
    if stale:
        names = "、".join(
            _kept(
                f"{r.township}{r.village or ''} ({r.sheet_as_of.isoformat() if r.sheet_as_of else '无花名册'})"
            )
            for r in stale
        )
        p.wrapped(f"⚠ {STALE}: 尚无 {due.year}年{due.month}月 的花名册, 按旧表排名: {names}", 30, RED)
    elif res.rows:
        p.wrapped(
            f"各{'村' if res.by == 'village' else '乡镇'}均已报送 {due.year}年{due.month}月 的花名册。",
            30,
            GREY,
        )
    if res.unranked:
        names = "、".join(
            _kept(f"{u['township']}{u['village'] or ''} ({REASONS.get(str(u['reason']), str(u['reason']))})")
            for u in res.unranked
        )
        p.wrapped(f"未排名: {names}", 28, GREY)
    if res.metric == "completion":
        p.wrapped("完成率 = 本年新增转移就业人数 ÷ 年度任务; 相同时新增多者在前。", 28, GREY)
    p.y += 10


def _footer(p: _Painter, res: Ranking, county: CountyInfo) -> None:
    p.y += 16
    if county.office:
        px = p.fit(county.office, 36, WIDTH - 2 * MARGIN, bold=True)
        p.text(WIDTH - MARGIN, p.y + 18, county.office, px, INK, bold=True, anchor="rm")
        p.y += 56
    d = res.as_of
    p.text(WIDTH - MARGIN, p.y + 17, f"{d.year}年{d.month}月{d.day}日", 32, INK, anchor="rm")
    p.y += 70


def _paint(p: _Painter, res: Ranking, county: CountyInfo) -> None:
    _banner(p, res, county)
    _basis(p, res)
    _list(p, res, res.red, True)
    _list(p, res, res.black, False)
    _notes(p, res)
    _footer(p, res, county)


def board_text(res: Ranking, font: CjkFont, county: CountyInfo | None = None) -> list[str]:
    """The texts the board carries, top to bottom: what a reader of the picture reads."""
    measure = _Painter(font)
    _paint(measure, res, county or CountyInfo())
    return measure.texts


def draw_board(res: Ranking, font: CjkFont, county: CountyInfo | None = None) -> Image.Image:
    """The board as an image, 1080 pixels wide; refused before drawing when the font lacks
    a character of it (``fonts.check_covers``)."""
    county = county or CountyInfo()
    measure = _Painter(font)
    _paint(measure, res, county)
    check_covers(font, "".join(measure.texts))
    img = Image.new("RGB", (WIDTH, measure.y), "#FFFFFF")
    _paint(_Painter(font, ImageDraw.Draw(img)), res, county)
    return img


def write_board(res: Ranking, path: Path, font: CjkFont, county: CountyInfo | None = None) -> None:
    """Draw the board and write it to ``path`` as PNG, whole or not at all."""
    img = draw_board(res, font, county)
    with whole_file(path) as tmp:
        img.save(tmp, format="PNG", optimize=True)
