"""Spreadsheet writing for every export: one place that neutralises formulas and streams.

xlsx is written with xlsxwriter in constant-memory mode (rows flushed as written); CSV is UTF-8
with a BOM so Excel and WPS open it with the right encoding.
"""

from __future__ import annotations

import csv
import datetime
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import IO

import xlsxwriter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Text that a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def cell_text(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float, datetime.date)):
        return value
    return neutralise(str(value))


def write_xlsx(headers: Sequence[str], rows: Iterable[Sequence[object]], *, sheet: str = "数据") -> IO[bytes]:
    """Write rows to an xlsx in a temporary file (constant memory) and return it rewound."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 (handed to the response, which closes it)
    book = xlsxwriter.Workbook(
        out, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    ws = book.add_worksheet(sheet[:31])
    bold = book.add_format({"bold": True, "bg_color": "#DCE6F1"})
    date_fmt = book.add_format({"num_format": "yyyy-mm-dd"})
    text_fmt = book.add_format({"num_format": "@"})
    for col, header in enumerate(headers):
        ws.write_string(0, col, header, bold)
        ws.set_column(col, col, max(10, len(header) * 2 + 2))
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            value = cell_text(value)
            if isinstance(value, datetime.date):
                ws.write_datetime(r, col, datetime.datetime.combine(value, datetime.time()), date_fmt)
            elif isinstance(value, (int, float)):
                ws.write_number(r, col, value)
            else:
                ws.write_string(r, col, value, text_fmt)
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
        writer.writerow(["" if v is None else cell_text(v) for v in row])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")
