"""Reading sheet files into rows of cells, with Excel row numbers kept.

A file is read once into memory, hashed, then parsed from those bytes, so the hash names
exactly what was imported even if the file changes meanwhile. The format is chosen by
sniffing the bytes, not by trusting the extension: offices save HTML as ``.xls`` and
rename files freely.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine

from laborcli.errors import InputFileError, UsageError
from laborcli.i18n import pick
from laborcli.sheets.problems import ProblemCode

MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_INFLATED_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 200
MAX_ROWS = 1_100_000
# The cells of a sheet's used range that a reader may materialise (calamine holds every
# cell of the rectangle, filled or not): a county's sheet of MAX_ROWS rows by 45 columns.
MAX_CELLS = 50_000_000

Cell = object


class ExcelError(str):
    """An Excel error value (#N/A, #DIV/0!, #VALUE!, ...) in a cell.

    python-calamine hands error cells over as empty strings, which would turn a broken
    formula into a silently unknown value; the reader puts this marker back in its place.
    """

    __slots__ = ()

    # Never equal to the text it shows: a typed "#N/A" and a broken formula are different
    # cells, also as keys of the dictionaries that validation parses through.
    def __eq__(self, other: object) -> bool:
        return type(other) is ExcelError and str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash(("ExcelError", str.__str__(self)))


_SHEET_REL = re.compile(rb'<sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_REL = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"')
_REL2 = re.compile(rb'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"')
_ERROR_CELL = re.compile(
    rb'<c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*?\bt="e"[^>]*>(?:<f\b[^>]*?(?:/>|>.*?</f>))?<v>([^<]*)</v>', re.S
)


@dataclass(slots=True)
class RawSheet:
    """One sheet's cells; ``rows[i]`` is the row Excel shows as number ``i + 1``."""

    name: str
    rows: list[list[Cell]]
    # Cells whose control characters the reader removed: (row index, column index, the
    # characters removed), for the warnings of the sheet's report.
    cleaned: list[tuple[int, int, str]] = field(default_factory=list)


class PlacedInputError(InputFileError):
    """A file refused for what is at one place in it: its problem names that place."""

    def __init__(
        self, message: str, code: ProblemCode, *, sheet: str, row: int, column: str | None = None
    ) -> None:
        super().__init__(message)
        self.code, self.sheet, self.row, self.column = code, sheet, row, column


@dataclass(slots=True)
class RawBook:
    """A file read into sheets, with the SHA-256 of its bytes."""

    path: Path
    sha256: str
    kind: str
    sheets: list[RawSheet] = field(default_factory=list)


# Files laborcli reads when it finds them in a folder or a quoted glob (a file named
# directly is read whatever its name says: its bytes decide). WPS saves .et as a binary
# workbook of the .xls kind, LibreOffice .ods as OpenDocument; calamine reads both.
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".ods", ".csv")
_READS = "、".join(SUFFIXES)
# Left beside an open workbook by Excel and WPS (~$name.xlsx) and by LibreOffice
# (.~lock.name.ods#): a few bytes naming who has it open, never a sheet.
LOCK_PREFIXES = ("~$", ".~lock.")


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file of a folder or glob that was not read, and why (the JSON's ``skipped``)."""

    path: str
    reason: str

    def as_json(self) -> dict[str, str]:
        """A ``skipped`` entry of docs/json.md#import-validate."""
        return {"path": self.path, "reason": self.reason}


@dataclass(slots=True)
class Collected:
    """The files to read from the command line's paths, and those left out with a reason."""

    files: list[Path] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def skip_reason(path: Path, named: bool = False) -> str | None:
    """Why a file is not read, or None to read it. A lock file is never read, even when
    named (a shell's ``*.xlsx`` names it); other files are read when named directly.
    ``path`` is the file's path inside the folder being read: a file in a hidden folder
    there is hidden too."""
    name = path.name
    if name.startswith(LOCK_PREFIXES):
        return pick(
            "Excel、WPS 或 LibreOffice 打开表格时留下的临时锁文件, 不是表格 (关闭表格后会自动删除), 已跳过",
            "a lock file left by Excel, WPS or LibreOffice while the workbook is open, not a sheet; skipped",
        )
    if named:
        return None
    if any(part.startswith(".") for part in path.parts):
        return pick("隐藏文件, 已跳过", "a hidden file; skipped")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        shown = suffix or pick("无扩展名的", "extension-less")
        return pick(
            f"laborcli 不读取 {shown} 文件 (只读取 {_READS}); 若是村表, 请用 Excel 或 WPS 另存为 .xlsx",
            f"laborcli does not read {shown} files (only {', '.join(SUFFIXES)}); if it is a sheet, save it as .xlsx",
        )
    return None


def collect_files(paths: list[str]) -> Collected:
    """Files named, files in named folders (recursively), and glob patterns, in name order;
    every file of a folder or glob that is not read is listed in ``skipped`` with its reason."""
    got = Collected()

    def take(f: Path, named: bool, inside: Path | None = None) -> None:
        why = skip_reason(f.relative_to(inside) if inside else Path(f.name), named)
        if why is None:
            got.files.append(f)
        else:
            got.skipped.append(Skipped(str(f), why))

    for p in paths:
        path = Path(p)
        if any(ch in p for ch in "*?["):
            matches = sorted(Path().glob(p) if not path.is_absolute() else Path("/").glob(p.lstrip("/")))
            if not matches:
                raise UsageError(pick(f"没有文件匹配 {p}", f"no file matches {p}"))
            for m in matches:
                if m.is_file():
                    take(m, named=False)
        elif path.is_dir():
            before, skipped = len(got.files), len(got.skipped)
            for f in sorted(f for f in path.rglob("*") if f.is_file()):
                take(f, named=False, inside=path)
            if len(got.files) == before:
                left = len(got.skipped) - skipped
                raise UsageError(
                    pick(
                        f"文件夹中没有可读取的表格 ({_READS}): {p}"
                        + (f" (跳过 {left} 个其他文件)" if left else ""),
                        f"no sheet ({', '.join(SUFFIXES)}) in folder {p}"
                        + (f" ({left} other files skipped)" if left else ""),
                    )
                )
        elif path.is_file():
            take(path, named=True)
        else:
            raise UsageError(pick(f"文件不存在: {p}", f"no such file: {p}"))
    seen: set[Path] = set()
    unique = []
    for f in got.files:
        r = f.resolve()
        if r not in seen:
            seen.add(r)
            unique.append(f)
    got.files = unique
    return got


def expand_paths(paths: list[str]) -> list[Path]:
    """The files to read of ``collect_files`` (the skipped ones left out)."""
    return collect_files(paths).files


def sniff(data: bytes) -> str:
    """The real format of a file's bytes: xlsx, ods, xls, html, encrypted, pdf, image, csv
    or empty. A zip is xlsx unless it opens with the OpenDocument ``mimetype`` member."""
    if not data.strip():
        return "empty"
    if data[:4] == b"PK\x03\x04":
        # OpenDocument stores its mimetype first and uncompressed, right after the header.
        if data[30:38] == b"mimetype" and b"opendocument.spreadsheet" in data[38:120]:
            return "ods"
        return "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        if (
            "EncryptedPackage".encode("utf-16-le") in data[:1_000_000]
            or "EncryptedPackage".encode("utf-16-le") in data
        ):
            return "encrypted"
        return "xls"
    if data[:5] == b"%PDF-":
        return "pdf"
    if data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "image"
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<html", b"<!doctype", b"<table", b"<?xml", b"<meta")):
        return "html"
    return "csv"


def file_sha256(path: Path) -> str | None:
    """The SHA-256 of a file's bytes, or None when it cannot be read (read_book says why)."""
    h = hashlib.sha256()
    try:
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    return h.hexdigest()


def read_book(path: Path) -> RawBook:
    """Read a sheet file; raise InputFileError with a one-line reason when it cannot be."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputFileError(_why(path, "文件超过 512 MB", "the file is over 512 MB"))
        data = path.read_bytes()
    except OSError as e:
        raise InputFileError(_why(path, f"无法打开: {e.strerror}", f"cannot open: {e.strerror}")) from e
    digest = hashlib.sha256(data).hexdigest()
    kind = sniff(data)
    book = RawBook(path=path, sha256=digest, kind=kind)
    if kind == "empty":
        raise InputFileError(_why(path, "文件是空的", "the file is empty"))
    if kind == "encrypted":
        raise InputFileError(
            _why(path, "工作簿设置了密码, 请去掉密码后另存", "the workbook is password-protected")
        )
    if kind == "html":
        raise InputFileError(
            _why(
                path,
                "这是另存为 .xls 的网页(HTML), 请用 Excel 打开后另存为 .xlsx",
                "this is a web page (HTML) saved as .xls; save it as .xlsx",
            )
        )
    if kind in _NOT_SHEETS:
        zh, en = _NOT_SHEETS[kind]
        raise InputFileError(_why(path, zh, en))
    xml: dict[str, bytes] = {}
    if kind in ("xlsx", "ods"):
        book.kind = kind = _check_zip(path, data)
        if kind == "xlsx":
            xml = _sheet_xml(data)
            check_extents(path, xml)
    if kind in ("xlsx", "ods", "xls"):
        book.sheets = _read_workbook(path, data, xml)
        # An .xlsx holds control characters only escaped, looked for in its XML; the
        # other formats may hold any.
        if kind != "xlsx" or _may_hold_control_characters(data, xml):
            for sheet in book.sheets:
                remove_control_characters(sheet)
    else:
        if path.suffix.lower() in _WORKBOOK_SUFFIXES:
            raise InputFileError(
                _why(
                    path,
                    "扩展名是 Excel, 内容却不是 Excel 工作簿",
                    "named as Excel but the content is not a workbook",
                )
            )
        book.sheets = [_read_csv(path, data)]
    return book


_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".ods")
# Files that are no sheet at all, whatever their name: what they are (the problem's fix
# says to save the sheet as .xlsx).
_NOT_SHEETS = {
    "pdf": ("这是 PDF 文件, 不是表格", "this is a PDF, not a sheet"),
    "image": ("这是图片, 不是表格", "this is a picture, not a sheet"),
}


def _why(path: Path, zh: str, en: str) -> str:
    return f"{path.name}: {pick(zh, en)}"


def _check_zip(path: Path, data: bytes) -> str:
    """Refuse truncated zips and zip bombs before any XML parser sees them; the workbook's
    kind (xlsx or ods) by the members the zip holds.

    The members' checksums are not tested here: calamine checks those it reads (a bad one
    is reported as a corrupt file), and testing them here would inflate every member twice.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            total = sum(i.file_size for i in infos)
            names = {i.filename for i in infos}
            if total > MAX_INFLATED_BYTES or any(
                i.compress_size and i.file_size / i.compress_size > MAX_RATIO and i.file_size > 50_000_000
                for i in infos
            ):
                raise InputFileError(
                    _why(
                        path,
                        "解压后体积异常 (疑似压缩炸弹), 拒绝读取",
                        "inflates to a suspicious size (zip bomb?); refused",
                    )
                )
            if "xl/workbook.xml" in names:
                return "xlsx"
            # An OpenDocument spreadsheet whose mimetype is not its first member (a tool
            # rewrote the zip) still says what it is there.
            if "content.xml" in names and "mimetype" in names:
                with zf.open("mimetype") as m:
                    if b"opendocument.spreadsheet" in m.read(100):
                        return "ods"
    except zipfile.BadZipFile as e:
        raise InputFileError(
            _why(
                path,
                "文件已损坏或不完整, 不是有效的 .xlsx",
                "the file is corrupt or truncated, not a valid .xlsx",
            )
        ) from e
    raise InputFileError(_why(path, "压缩包中没有 Excel 工作簿", "the zip holds no Excel workbook"))


def _read_workbook(path: Path, data: bytes, xml: dict[str, bytes] | None = None) -> list[RawSheet]:
    """The sheets of an .xlsx, .ods or .xls; ``xml``: an .xlsx's sheets' XML, already inflated."""
    try:
        wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for name in wb.sheet_names:
            sheet = wb.get_sheet_by_name(name)
            if sheet.height > MAX_ROWS:
                raise InputFileError(
                    _why(
                        path,
                        f"工作表 {name} 行数过多 ({sheet.height})",
                        f"sheet {name} has too many rows ({sheet.height})",
                    )
                )
            # skip_empty_area=False keeps leading empty rows, so rows[i] is Excel row i + 1.
            rows: list[list[Cell]] = sheet.to_python(skip_empty_area=False)  # type: ignore[assignment]
            if rows and type(rows[0]) is not list:
                rows = [list(r) for r in rows]
            sheets.append(RawSheet(name=name, rows=rows))
        if data.startswith(b"PK"):
            _restore_error_cells(xml if xml is not None else _sheet_xml(data), sheets)
        return sheets
    except InputFileError:
        raise
    except Exception as e:
        if "checksum" in str(e).lower():
            raise InputFileError(
                _why(path, "文件已损坏 (压缩包校验失败)", "the file is corrupt (bad zip checksum)")
            ) from e
        raise InputFileError(
            _why(
                path,
                f"无法读取工作簿: {str(e).splitlines()[0][:120]}",
                f"cannot read the workbook: {str(e).splitlines()[0][:120]}",
            )
        ) from e


def _restore_error_cells(xml: dict[str, bytes], sheets: list[RawSheet]) -> None:
    """Put Excel error values back where calamine left empty strings (xlsx only).

    Only sheets whose XML holds an error cell (``t="e"``) are scanned, so clean files pay
    one substring search per sheet.
    """
    by_name = {s.name: s for s in sheets}
    for name, text in xml.items():
        sheet = by_name.get(name)
        if sheet is None or b't="e"' not in text:
            continue
        for col, row, value in _ERROR_CELL.findall(text):
            _put(sheet, int(row) - 1, _col_index(col.decode()), ExcelError(value.decode("utf-8", "replace")))


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _put(sheet: RawSheet, i: int, j: int, value: Cell) -> None:
    while len(sheet.rows) <= i:
        sheet.rows.append([])
    row = sheet.rows[i]
    if len(row) <= j:
        row.extend([""] * (j + 1 - len(row)))
    if row[j] in ("", None):
        row[j] = value


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK and GB2312)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def _read_csv(path: Path, data: bytes) -> RawSheet:
    text = decode_text(data)
    if "\x00" in text:
        raise InputFileError(_why(path, "不是文本表格文件", "not a text table (binary content)"))
    sample = "\n".join(text.splitlines()[:20])
    delimiter = ","
    counts = {d: sample.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] > 0 and counts[best] > counts[","] * 2:
        delimiter = best
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows: list[list[Cell]] = [list(r) for r in reader]
    except csv.Error as e:
        if "field limit" not in str(e):
            raise InputFileError(
                _why(path, f"第{reader.line_num}行无法读取: {e}", f"row {reader.line_num}: {e}")
            ) from e
        # A field over csv's limit (128 KB): an unmatched quote, mostly.
        raise PlacedInputError(
            _why(
                path,
                f"第{reader.line_num}行有单元格超过 128 KB",
                f"row {reader.line_num} has a cell over 128 KB",
            ),
            ProblemCode.CELL_TOO_LARGE,
            sheet=path.stem,
            row=reader.line_num,
        ) from e
    if len(rows) > MAX_ROWS:
        raise InputFileError(_why(path, "行数过多", "too many rows"))
    sheet = RawSheet(name=path.stem, rows=rows)
    if _CONTROL.search(text):
        remove_control_characters(sheet)
    return sheet


# What a workbook cannot hold (openpyxl refuses to write them, PostgreSQL refuses NUL in
# text): the C0 control characters but tab, line feed and carriage return.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# How they come in an .xlsx: escaped the way Excel does (_x0001_), or as character
# references; two patterns, each with a literal start, so that the search runs in C.
_ESCAPED_CONTROL = re.compile(rb"_x00[01][0-9a-fA-F]_")
_CONTROL_REFERENCE = re.compile(rb"&#(?:x0*[0-9a-fA-F]|x0*1[0-9a-fA-F]|0*[0-9]|0*[12][0-9]|0*3[01]);")


def _escapes_control(xml: bytes) -> bool:
    return _ESCAPED_CONTROL.search(xml) is not None or _CONTROL_REFERENCE.search(xml) is not None


def _may_hold_control_characters(data: bytes, xml: dict[str, bytes]) -> bool:
    """Whether any text of an .xlsx may hold a control character: its sheets (inline text)
    and shared strings searched in C, so that clean files (nearly all) are not walked cell
    by cell."""
    if any(map(_escapes_control, xml.values())):
        return True
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        try:
            strings = zf.read("xl/sharedStrings.xml")
        except KeyError:
            return False
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
            return True  # calamine read it: look at its cells
    return _escapes_control(strings)


def remove_control_characters(sheet: RawSheet) -> None:
    """Take out of the sheet's text cells the characters a workbook cannot hold, noting
    each cell changed in ``sheet.cleaned``: dropped, never refused, since the text around
    them is what the village typed."""
    search = _CONTROL.search
    for i, row in enumerate(sheet.rows):
        for j, v in enumerate(row):
            if type(v) is str and search(v):
                removed = "".join(dict.fromkeys(_CONTROL.findall(v)))
                row[j] = _CONTROL.sub("", v)
                sheet.cleaned.append((i, j, removed))


def column_letter(j: int) -> str:
    """The letters of 0-based column index j (0 is A, 26 is AA)."""
    out = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        out = chr(65 + r) + out
    return out


# A cell's reference, its letters and row, and the rest of its tag: a tag ending in "/>"
# (<c r="B2" s="1"/>) is formatting only, which calamine does not keep. Anchored on the
# literal ' r="' so that the search runs in C (a row's r holds no letters).
_CELL_REF = re.compile(rb' r="([A-Z]{1,3})([0-9]+)"([^>]*)>')
_WIDE_REF = re.compile(rb' r="([A-Z]{3})([0-9]+)"([^>]*)>')
_TAIL = 1 << 16


def check_extents(path: Path, xml: dict[str, bytes]) -> None:
    """Refuse a sheet whose used range a reader cannot hold, before any reader sees it.

    calamine turns a sheet into the whole rectangle from its first to its last filled cell,
    so one stray cell at XFD1048576 asks it for 17 billion cells, and the process aborts.
    The declared ``<dimension>`` cannot be trusted (it may be too small), so the cells are
    looked at: the last filled row (rows are written in order) from the XML's tail, and the
    columns past ZZ, which clean sheets never reach, from one search in C; only a sheet whose
    rectangle may be too large is scanned cell by cell.
    """
    for name, text in xml.items():
        last_row = _last_filled_row(text)
        wide = [_col_index(c.decode()) for c, _ in _filled(_WIDE_REF.findall(text))]
        width = max(wide) + 1 if wide else 702
        if last_row * width <= MAX_CELLS and last_row <= MAX_ROWS:
            continue
        refs = _filled(_CELL_REF.findall(text))
        if not refs:
            continue
        rows = [int(r) for _, r in refs]
        cols = [_col_index(c.decode()) for c, _ in refs]
        top, bottom, left, right = min(rows), max(rows), min(cols), max(cols)
        cells = (bottom - top + 1) * (right - left + 1)
        if cells <= MAX_CELLS and bottom <= MAX_ROWS:
            continue
        far = max(
            range(len(refs)), key=lambda k: (rows[k], cols[k]) if bottom > MAX_ROWS else (cols[k], rows[k])
        )
        ref = f"{refs[far][0].decode()}{rows[far]}"
        span = f"{column_letter(left)}{top}:{column_letter(right)}{bottom}"
        raise PlacedInputError(
            _why(
                path,
                f"工作表 {name} 的单元格 {ref} 使已用范围成为 {span}, 共 {cells:,} 个单元格",
                f"the cell {ref} of sheet {name} makes its used range {span}, {cells:,} cells",
            ),
            ProblemCode.SHEET_EXTENT,
            sheet=name,
            row=rows[far],
            column=refs[far][0].decode(),
        )


def _filled(refs: list[tuple[bytes, bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The (letters, row) of the cells with content among ``_CELL_REF`` matches."""
    return [(c, r) for c, r, rest in refs if not rest.endswith(b"/")]


def _last_filled_row(xml: bytes) -> int:
    """The row of the last filled cell, read from the end of the sheet's XML."""
    end = len(xml)
    while end > 0:
        start = max(0, end - _TAIL)
        found = _filled(_CELL_REF.findall(xml, start, end))
        if found:
            return max(int(r) for _, r in found)
        if start == 0:
            break
        end = start + 512  # the windows overlap by more than a cell tag is long
    return 0


def _sheet_xml(data: bytes) -> dict[str, bytes]:
    """Each sheet's XML by the sheet's name; a sheet that cannot be found or inflated is
    left out, for calamine to report."""
    out: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = set(zf.namelist())
        try:
            book = zf.read("xl/workbook.xml")
            rels = zf.read("xl/_rels/workbook.xml.rels")
        except (KeyError, zipfile.BadZipFile, OSError, EOFError, zlib.error):
            return out
        targets = {i: t for i, t in _REL.findall(rels)} | {i: t for t, i in _REL2.findall(rels)}
        for raw_name, rid in _SHEET_REL.findall(book):
            target = targets.get(rid, b"").decode("utf-8", "replace").lstrip("/")
            member = target if target.startswith("xl/") else f"xl/{target}"
            if member not in names:
                continue
            try:
                out[html.unescape(raw_name.decode("utf-8", "replace"))] = zf.read(member)
            except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
                continue
    return out
