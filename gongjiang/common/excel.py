"""Spreadsheet writing for every export: one place that neutralises formulas and streams.

xlsx is written with xlsxwriter in constant-memory mode (rows flushed as written); CSV is UTF-8
with a BOM so Excel and WPS open it with the right encoding.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import functools
import io
import re
import struct
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import quote

import xlsxwriter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Text that a spreadsheet would run as a formula is prefixed with an apostrophe (CSV only:
    an xlsx string cell is never run, so it keeps the text exactly as typed)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def local_datetime(value: datetime.datetime) -> datetime.datetime:
    """A moment as the user reads it: Beijing time (the project's TIME_ZONE), whole seconds, naive."""
    from django.utils import timezone

    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None, microsecond=0)


def cell_value(value: object) -> object:
    """A value as a file holds it: nothing → "", a boolean → 是/否, a moment → Beijing time to the
    second, numbers and dates as themselves, anything else as text (not neutralised)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        return local_datetime(value)
    if isinstance(value, (int, float, datetime.date)):
        return value
    return str(value)


def cell_text(value: object) -> object:
    """``cell_value`` with formulas neutralised (for text a spreadsheet might evaluate)."""
    return neutralise(cell_value(value))


# Digit strings a spreadsheet would turn into a number and so lose: more than 11 digits shows in
# scientific notation and past 15 the last digits become 0; a leading 0 is dropped. Written in CSV
# as ="…", which Excel, WPS and LibreOffice all open as the same text.
# A resident ID ending in X is kept the same way, so every ID in a file looks alike.
_LOSSY_DIGITS = re.compile(r"\d{12,}|0\d+|\d{17}[Xx]")


def csv_cell(value: object) -> object:
    """One CSV field: ``cell_text``, moments as 2026-12-02 16:29:48, long digit strings kept as text."""
    value = cell_value(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, str) and _LOSSY_DIGITS.fullmatch(value):
        return '="%s"' % value
    return neutralise(value)


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: CJK and other wide characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


MIN_WIDTH, MAX_WIDTH = 6, 60


class SheetWriter:
    """Typed cells on one xlsxwriter worksheet: text as string cells (never formulas), numbers as
    numbers, dates as date cells and moments as Beijing date-time cells; each column's width is
    set from the widest thing written in it (``fit``), so that an ID or a company name is not cut."""

    def __init__(self, book: xlsxwriter.Workbook, sheet, *, text_format: dict | None = None):
        self.sheet = sheet
        self.date = book.add_format({"num_format": "yyyy-mm-dd"})
        self.moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self.text = book.add_format(text_format or {"num_format": "@"})
        self.widths: dict[int, int] = {}

    def _seen(self, col: int, width: int) -> None:
        if width > self.widths.get(col, 0):
            self.widths[col] = width

    def write(self, row: int, col: int, value: object, fmt=None) -> None:
        value = cell_value(value)
        if isinstance(value, datetime.datetime):
            self.sheet.write_datetime(row, col, value, fmt or self.moment)
            self._seen(col, 19)
        elif isinstance(value, datetime.date):
            self.sheet.write_datetime(
                row, col, datetime.datetime.combine(value, datetime.time()), fmt or self.date
            )
            self._seen(col, 10)
        elif isinstance(value, (int, float)):
            self.sheet.write_number(row, col, value, fmt)
            self._seen(col, len(f"{value:,}") if isinstance(value, int) else 10)
        else:
            self.sheet.write_string(row, col, value, fmt or self.text)
            self._seen(col, max((display_width(line) for line in value.splitlines()), default=0))

    def fit(self, *, widths: dict[int, int] | None = None) -> None:
        """Set every written column's width (``widths``: fixed widths for some columns)."""
        for col, width in self.widths.items():
            width = (widths or {}).get(col, min(MAX_WIDTH, max(MIN_WIDTH, width + 2)))
            self.sheet.set_column(col, col, width)


def write_xlsx(headers: Sequence[str], rows: Iterable[Sequence[object]], *, sheet: str = "数据") -> IO[bytes]:
    """Write rows to an xlsx in a temporary file (constant memory) and return it rewound."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 (handed to the response, which closes it)
    book = xlsxwriter.Workbook(
        out, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    ws = book.add_worksheet(sheet[:31])
    writer = SheetWriter(book, ws)
    bold = book.add_format({"bold": True, "bg_color": "#DCE6F1"})
    for col, header in enumerate(headers):
        writer.write(0, col, header, bold)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            writer.write(r, col, value)
    writer.fit()  # the column widths are written at close, so after the rows in constant memory too
    ws.freeze_panes(1, 0)
    book.close()
    out.seek(0)
    return out


def iter_csv(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[bytes]:
    """CSV as a stream of encoded chunks, for a streaming response."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def attachment_header(filename: str) -> str:
    """Content-Disposition of a download (RFC 6266): the name in UTF-8 (filename*) for browsers,
    and an ASCII fallback (filename) for clients that do not read it."""
    stem, dot, suffix = filename.rpartition(".")
    ascii_stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem if dot else filename).strip("_-.") or "download"
    fallback = f"{ascii_stem}.{suffix}" if dot else ascii_stem
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


# --- Reading -------------------------------------------------------------------------------
# Files people send: xlsx, xls, ods (python-calamine) and csv (UTF-8 with or without BOM, or
# GB18030/GBK). Every refusal is an UnusableFile with a Chinese message saying what is wrong.

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SPREADSHEET_EXTENSIONS = {".xlsx", ".xlsm", ".xls", ".ods", ".csv"}


class UnusableFile(Exception):
    """The file as a whole cannot be read (exit code 2 of the import command)."""

    def __init__(self, message: str, code: str = "unusable"):
        super().__init__(message)
        self.message = message
        self.code = code

    def __reduce__(self):  # raised in a converter process, re-raised in the importing one
        return type(self), (self.message, self.code)


@dataclass(frozen=True)
class ReadLimits:
    max_bytes: int = 200 * 1024 * 1024
    max_rows: int = 1_100_000
    max_zip_entries: int = 2_000
    max_uncompressed: int = 2 * 1024 * 1024 * 1024
    max_ratio: int = 100  # per entry, once it is over 50 MB uncompressed (real sheets: 5–20)
    # The reader holds a sheet as a dense grid from A1 to its farthest cell, so one cell at XFD8000
    # costs gigabytes: a sheet's declared and real extent are checked before it is read.
    max_columns: int = 256  # IV, the old Excel limit; rosters use about 20
    max_cells: int = 40_000_000  # rows × columns of the grid (about 1.3 GB in the reader)

    @classmethod
    def from_settings(cls) -> ReadLimits:
        from django.conf import settings

        return cls(**getattr(settings, "GONGJIANG_READ_LIMITS", {}))


def _check_zip(path: Path, limits: ReadLimits) -> None:
    """Refuse zip bombs and macro workbooks before any XML is parsed."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise UnusableFile("文件已损坏或不完整，无法作为 Excel 文件打开", "corrupt") from None
    if len(entries) > limits.max_zip_entries:
        raise UnusableFile("文件结构异常（压缩包内文件过多），已拒绝", "zip_bomb")
    total = 0
    for entry in entries:
        name = entry.filename.lower()
        if name.endswith("vbaproject.bin"):
            raise UnusableFile("文件含有宏（VBA），不予接收；请另存为不含宏的 .xlsx 后再上传", "macro")
        total += entry.file_size
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > 50 * 1024 * 1024 and ratio > limits.max_ratio:
            raise UnusableFile("文件解压后体积异常（疑似压缩炸弹），已拒绝", "zip_bomb")
    if total > limits.max_uncompressed:
        raise UnusableFile("文件解压后超过处理上限，已拒绝；请拆分后再上传", "zip_bomb")


def column_number(letters: str) -> int:
    """A1-style column letters as a number (A = 1, XFD = 16384)."""
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_DIMENSION_RE = re.compile(rb'<(?:\w+:)?dimension\s[^>]*?ref="([^"]*)"')
# Plain patterns, no look-around: they run over every byte of a sheet of a million rows.
_ROW_RE = re.compile(rb'row r="([0-9]+)"')
_CELL_REF_RE = re.compile(rb'r="([A-Z]+)([0-9]+)"')
_CHUNK = 1 << 20
_OVERLAP = 256  # longer than any tag the patterns match


@dataclass(frozen=True)
class SheetExtent:
    rows: int
    columns: int


def sheet_extent(path: Path, limits: ReadLimits) -> dict[str, SheetExtent]:
    """Each worksheet's extent, checked before the reader sees it: the declared ``<dimension>``
    and the real one (the farthest column and row any cell or row names, the count of row
    elements), streamed over the XML without parsing it. Raises UnusableFile when either is past
    the platform's limits.

    The farthest column is found in C, not cell by cell: a pattern for "a column past the widest
    so far" is searched, and made again only when it matches (a few times a sheet)."""
    extents = {}
    with zipfile.ZipFile(path) as archive:
        for entry in archive.infolist():
            if not re.fullmatch(r"(?i)xl/worksheets/[^/]+\.xml", entry.filename):
                continue
            rows = columns = row_tags = 0
            digits = 1  # the longest row number a cell reference has shown
            declared = False
            tail = b""
            with archive.open(entry) as fh:
                while block := fh.read(_CHUNK):
                    data = tail + block
                    if not declared and (m := _DIMENSION_RE.search(data)):
                        declared = True
                        _refuse_extent(
                            *_range_extent(m.group(1).decode("ascii", "replace")), limits, "声明的"
                        )
                    pos = 0
                    while m := _beyond(columns, digits).search(data, pos):
                        ref = _CELL_REF_RE.match(data, m.start())
                        if ref is None:  # cut by the chunk's end: seen again with the next one
                            break
                        columns = max(columns, column_number(ref.group(1).decode()))
                        digits = max(digits, len(ref.group(2)))
                        rows = max(rows, int(ref.group(2)))
                        _refuse_extent(rows, columns, limits, "")
                        pos = m.start() + 1
                    for number in _ROW_RE.findall(data):
                        rows = max(rows, int(number[:12]))
                    row_tags += block.count(b"<row") + block.count(b":row")
                    tail = data[-_OVERLAP:]
                    _refuse_extent(max(rows, row_tags), columns, limits, "")
            extents[entry.filename] = SheetExtent(max(rows, row_tags), columns)
    return extents


# BIFF records (.xls) that name a cell by (row, column) in their first four bytes; MULRK and
# MULBLANK (a run of cells in one row) name their last column in their last two bytes.
_BIFF_CELLS = {0x0006, 0x00FD, 0x0203, 0x027E, 0x0201, 0x0205, 0x0204, 0x00D6}
_BIFF_RUNS = {0x00BD, 0x00BE}
_BIFF_DIMENSIONS = 0x0200
_BIFF_FILEPASS = 0x002F  # the workbook is encrypted: the records after it are not readable


def xls_extent(path: Path, limits: ReadLimits) -> SheetExtent:
    """The extent of an .xls workbook (BIFF5/8 in an OLE container), checked before the reader sees
    it: every sheet's declared DIMENSIONS record and the farthest row and column any cell record
    names, read by walking the record headers. Raises UnusableFile past the platform's limits.

    A real .xls stops at 65,536 rows and 256 columns, but the reader builds its grid from what the
    records say: one cell record edited to column 16,383 makes it ask for gigabytes."""
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            name = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)
            if name is None:
                raise UnusableFile("文件中没有工作簿数据，无法作为 .xls 文件读取", "corrupt")
            data = ole.openstream(name).read()
    except UnusableFile:
        raise
    except Exception:
        raise UnusableFile("文件已损坏或格式无法识别，无法读取", "corrupt") from None
    rows = columns = 0
    pos, end = 0, len(data)
    unpack = struct.unpack_from
    while pos + 4 <= end:
        kind, size = unpack("<HH", data, pos)
        body = pos + 4
        pos = body + size
        if pos > end:
            break  # a truncated last record: the reader refuses the file itself
        if kind == _BIFF_FILEPASS:
            raise UnusableFile("文件已加密（设置了打开密码），请取消密码后另存再上传", "encrypted")
        if kind in _BIFF_CELLS and size >= 4:
            row, column = unpack("<HH", data, body)
        elif kind in _BIFF_RUNS and size >= 6:
            row = unpack("<H", data, body)[0]
            column = unpack("<H", data, pos - 2)[0]
        elif kind == _BIFF_DIMENSIONS:
            if size >= 14:  # BIFF8: rows as 32 bits, one past the last
                declared_rows, declared_columns = (
                    unpack("<I", data, body + 4)[0],
                    unpack("<H", data, body + 10)[0],
                )
            elif size >= 10:  # BIFF5
                declared_rows, declared_columns = (
                    unpack("<H", data, body + 2)[0],
                    unpack("<H", data, body + 6)[0],
                )
            else:
                continue
            _refuse_extent(declared_rows, declared_columns, limits, "声明的")
            continue
        else:
            continue
        if row >= rows or column >= columns:
            rows, columns = max(rows, row + 1), max(columns, column + 1)
            _refuse_extent(rows, columns, limits, "")
    return SheetExtent(rows, columns)


# OpenDocument (.ods): rows and cells may say they repeat (``number-rows-repeated``,
# ``number-columns-repeated``); LibreOffice writes the empty rest of a sheet that way, which the
# reader skips, but a repeat before a cell with content puts that cell far away. Tags are found by
# their local name (a literal, which the regex engine finds fast), with any namespace prefix, and
# attribute values may hold '>'.
_ODS_NAME_RE = re.compile(rb"table(?:-row)?(?=[\s/>])")
_ODS_HEAD_RE = re.compile(rb"<(/?)(?:[A-Za-z_][\w.-]*:)?")
_ODS_ATTRIBUTES_RE = re.compile(rb"((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_ODS_CELL_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:covered-)?table-cell(?=[\s/>])")
_ODS_REPEAT_RE = re.compile(rb"number-(?:rows|columns)-repeated\s*=\s*[\"']\s*([0-9]{1,12})")
_ODS_ROW_MAX = 16 * 1024 * 1024  # a row (or an unfinished tag) longer than this is not a roster


def ods_extent(path: Path, limits: ReadLimits) -> SheetExtent:
    """The farthest row and column holding a cell with content in any table of an .ods file (the
    rows and columns the reader's grid spans), streamed over content.xml without parsing it, a row
    at a time. Raises UnusableFile past the platform's limits. Empty repeated rows and cells at the
    end of a sheet do not count (the reader leaves them out too)."""
    rows = columns = 0
    depth = row_at = 0  # tables open; rows passed in the current table
    try:
        with zipfile.ZipFile(path) as archive, archive.open("content.xml") as fh:
            tail = b""
            while block := fh.read(_CHUNK):
                data = tail + block
                done, open_at, body_at, repeat = 0, -1, 0, 1
                for m in _ODS_NAME_RE.finditer(data):
                    start = data.rfind(b"<", done, m.start())
                    head = _ODS_HEAD_RE.fullmatch(data, start, m.start()) if start >= 0 else None
                    if head is None:
                        continue  # the word in text, or an attribute
                    tag = _ODS_ATTRIBUTES_RE.match(data, m.end())
                    if tag is None:
                        break  # cut by the block's end: read again with the next block
                    closing, attributes = head.group(1) == b"/", tag.group(1)
                    empty = attributes.endswith(b"/")
                    if m.end() - m.start() == 5:  # a table
                        if closing:
                            depth = max(0, depth - 1)
                        elif not empty:
                            depth += 1
                            row_at = 0 if depth == 1 else row_at
                        done = tag.end()
                    elif not closing:
                        repeat = _ods_repeat(attributes)
                        if empty:
                            row_at += repeat
                            done = tag.end()
                        else:
                            open_at, body_at = start, tag.end()
                    elif open_at >= 0:
                        used, reach = _ods_row(data[body_at:start])
                        row_at += repeat
                        if used:
                            rows, columns = max(rows, row_at), max(columns, reach)
                            _refuse_extent(rows, columns, limits, "")
                        open_at, done = -1, tag.end()
                # A row the block cut is read again whole with the next block.
                tail = data[open_at:] if open_at >= 0 else data[done:]
                if open_at < 0 and len(tail) > _CHUNK:  # long text between rows: keep a cut tag
                    cut = tail.rfind(b"<")
                    tail = tail[cut:] if cut >= 0 else b""
                if len(tail) > _ODS_ROW_MAX:
                    raise UnusableFile("文件结构异常（单行内容过长），无法作为 .ods 文件读取", "corrupt")
    except UnusableFile:
        raise
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise UnusableFile("文件已损坏或格式无法识别，无法读取", "corrupt") from None
    return SheetExtent(rows, columns)


def _ods_row(body: bytes) -> tuple[bool, int]:
    """Whether a row holds a cell with content, and the column the farthest such cell reaches.
    Without repeats every cell counts, found by counting: the name's occurrences less the usual
    closing tags (another prefix, a covered cell or the word in text over-counts, which is safe)."""
    if b"repeated" not in body:
        cells = body.count(b"table-cell") - body.count(b"</table:table-cell>") - body.count(b"</table-cell>")
        return cells > 0 and (b"value-type" in body or b"formula" in body or b"</" in body), cells
    column = reach = 0
    for m in _ODS_CELL_RE.finditer(body):
        tag = _ODS_ATTRIBUTES_RE.match(body, m.end())
        attributes = tag.group(1) if tag else b""
        column += _ods_repeat(attributes)
        # A cell with content says its type, holds a formula or has elements inside.
        if not attributes.endswith(b"/") or b"value-type" in attributes or b"formula" in attributes:
            reach = column
    return reach > 0, reach


def _ods_repeat(attributes: bytes) -> int:
    m = _ODS_REPEAT_RE.search(attributes)
    return max(1, int(m.group(1))) if m else 1


def _beyond(columns: int, digits: int) -> re.Pattern:
    """Cell references past ``columns`` or with a row number longer than ``digits`` digits."""
    return _beyond_pattern(column_letters(columns) if columns else "", digits)


@functools.lru_cache(maxsize=512)
def _beyond_pattern(top: str, digits: int) -> re.Pattern:
    n = len(top)
    options = [f"[A-Z]{{{n + 1},}}[0-9]"]
    for i, ch in enumerate(top):
        if ch != "Z":
            options.append(f"{top[:i]}[{chr(ord(ch) + 1)}-Z][A-Z]{{{n - i - 1}}}[0-9]")
    options.append(f"[A-Z]+[0-9]{{{digits + 1},}}")
    return re.compile(('r="(?:%s)' % "|".join(options)).encode())


def _range_extent(ref: str) -> tuple[int, int]:
    """(last row, last column) of an A1 range such as ``A1:XFD1048576`` (0 when unreadable)."""
    last = ref.split(":")[-1].replace("$", "").upper()
    m = re.fullmatch(r"([A-Z]{1,4})([0-9]{1,8})", last)
    if not m:
        return 0, 0
    return int(m.group(2)), column_number(m.group(1))


def _refuse_extent(rows: int, columns: int, limits: ReadLimits, declared: str) -> None:
    if rows > limits.max_rows:
        raise UnusableFile(
            "工作表%s范围到第 %d 行，超过 %d 行的上限；请删除多余的行或拆分后再上传"
            % (declared, rows, limits.max_rows),
            "too_many_rows",
        )
    if columns > limits.max_columns:
        raise UnusableFile(
            "工作表%s范围到第 %s 列（第 %d 列），超过 %d 列的上限；请删除表格右侧多余的单元格后再上传"
            % (declared, column_letters(columns), columns, limits.max_columns),
            "too_many_columns",
        )
    if rows and columns and rows * columns > limits.max_cells:
        raise UnusableFile(
            "工作表%s范围为 %d 行 × %d 列，超过可处理的单元格数量上限；请删除多余的行列或拆分后再上传"
            % (declared, rows, columns),
            "too_many_cells",
        )


def _detect_csv_encoding(path: Path) -> tuple[str, int]:
    """UTF-8 (BOM or not) if the whole file decodes as UTF-8, else GB18030 (a superset of GBK)."""
    with path.open("rb") as fh:
        head = fh.read(4)
    if head.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnusableFile("CSV 文件编码为 UTF-16，请另存为 UTF-8 或 GBK 编码的 CSV", "encoding")
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
        lines = 0
        try:
            with path.open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    if b"\x00" in chunk:
                        raise UnusableFile("CSV 文件含有空字符，可能不是文本文件或编码不受支持", "encoding")
                    decoder.decode(chunk)
                    lines += chunk.count(b"\n")
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding, lines
    raise UnusableFile("CSV 文件编码无法识别：只支持 UTF-8 或 GB18030/GBK 编码", "encoding")


def sniff_kind(path: Path, filename: str) -> str:
    """Which reader a file needs, judged by its name and checked against its first bytes."""
    suffix = Path(filename).suffix.lower()
    if suffix not in SPREADSHEET_EXTENSIONS:
        raise UnusableFile(
            "不支持的文件类型“%s”：请上传 .xlsx、.xls、.ods 或 .csv 文件" % (suffix or "无扩展名"), "type"
        )
    with path.open("rb") as fh:
        head = fh.read(8)
    if suffix in (".xlsx", ".xlsm", ".ods"):
        if head.startswith(OLE_MAGIC):
            raise UnusableFile("文件已加密（设置了打开密码），请取消密码后另存再上传", "encrypted")
        if not head.startswith(ZIP_MAGIC):
            raise UnusableFile("文件内容不是 Excel 格式（可能是其他文件改了扩展名）", "type")
        return "zip"
    if suffix == ".xls":
        if not head.startswith(OLE_MAGIC):
            raise UnusableFile("文件内容不是 .xls 格式（可能是其他文件改了扩展名）", "type")
        return "xls"
    return "csv"


def read_rows(
    path: Path | str, *, filename: str | None = None, limits: ReadLimits | None = None
) -> Iterator[tuple[int, list]]:
    """Yield ``(row number as the user sees it, cells)`` for the first sheet of a spreadsheet.

    Cells are str, int, float, bool, date, datetime or None; nothing is interpreted here."""
    return open_rows(path, filename=filename, limits=limits).rows


@dataclass
class OpenedRows:
    rows: Iterator[tuple[int, list]]
    total: int  # rows in the sheet (or lines in the CSV), for progress
    # The same rows again from the first, each call a new iterator: a forked converter process
    # reads its share of the rows itself (a loaded sheet is shared with it, not copied).
    reopen: Callable[[], Iterator[tuple[int, list]]]


def open_rows(
    path: Path | str, *, filename: str | None = None, limits: ReadLimits | None = None
) -> OpenedRows:
    """Check a file and open its first sheet; refusals (UnusableFile) happen here, before any row."""
    path = Path(path)
    filename = filename or path.name
    limits = limits or ReadLimits.from_settings()
    size = path.stat().st_size
    if size == 0:
        raise UnusableFile("文件是空的", "empty")
    if size > limits.max_bytes:
        raise UnusableFile(
            "文件大小 %.1f MB 超过上限 %d MB" % (size / 1048576, limits.max_bytes // 1048576), "too_large"
        )
    kind = sniff_kind(path, filename)
    if kind == "csv":
        encoding, lines = _detect_csv_encoding(path)
        if lines > limits.max_rows:
            raise UnusableFile("文件超过 %d 行的上限，请拆分后再上传" % limits.max_rows, "too_many_rows")
        return OpenedRows(_read_csv(path, encoding), lines, lambda: _read_csv(path, encoding))
    if kind == "zip":
        _check_zip(path, limits)
        if Path(filename).suffix.lower() in (".xlsx", ".xlsm"):
            sheet_extent(path, limits)
        else:
            ods_extent(path, limits)
    else:
        xls_extent(path, limits)
    sheet = _open_sheet(path, limits)
    return OpenedRows(_iter_sheet(sheet), sheet.total_height, lambda: _iter_sheet(sheet))


def _read_csv(path: Path, encoding: str) -> Iterator[tuple[int, list]]:
    with path.open(encoding=encoding, newline="") as fh:
        try:
            for number, row in enumerate(csv.reader(fh), start=1):
                yield number, [cell or None for cell in row]  # every cell is a str
        except csv.Error as exc:
            raise UnusableFile("CSV 文件格式错误：%s" % exc, "csv") from None


def _open_sheet(path: Path, limits: ReadLimits):
    from python_calamine import CalamineWorkbook, PasswordError

    try:
        book = CalamineWorkbook.from_path(str(path))
        if not book.sheet_names:
            raise UnusableFile("工作簿中没有工作表", "empty")
        sheet = book.get_sheet_by_index(0)
    except PasswordError:
        raise UnusableFile("文件已加密（设置了打开密码），请取消密码后另存再上传", "encrypted") from None
    except UnusableFile:
        raise
    except Exception:
        raise UnusableFile("文件已损坏或格式无法识别，无法读取", "corrupt") from None
    if sheet.total_height > limits.max_rows:
        raise UnusableFile("文件超过 %d 行的上限，请拆分后再上传" % limits.max_rows, "too_many_rows")
    return sheet


def _iter_sheet(sheet) -> Iterator[tuple[int, list]]:
    try:
        # iter_rows starts at A1 whatever the used range, so the index is the sheet row.
        for index, row in enumerate(sheet.iter_rows()):
            yield index + 1, [None if cell == "" else cell for cell in row]
    except Exception:
        raise UnusableFile("读取工作表时出错，文件可能已损坏", "corrupt") from None
