"""Building roster files the way people send them, and running them through the pipeline."""

from __future__ import annotations

import csv
import io
import json
import random
import zipfile
from contextlib import redirect_stdout
from pathlib import Path

import pytest
import xlsxwriter
from django.core.management import call_command

from gongjiang.common.demo import make_name, make_resident_id, make_uscc
from gongjiang.jobs.choices import JobMode
from gongjiang.jobs.models import Job
from gongjiang.jobs.services import import_run_file

HEADERS = [
    "姓名",
    "身份证号",
    "手机号",
    "所属县区",
    "工作单位",
    "统一社会信用代码",
    "职业(工种)",
    "证书类型",
    "技能等级",
    "证书编号",
    "发证日期",
    "发证机构",
]


def roster_rows(n: int, *, seed: int = 1, region: str = "海州区", uscc: str | None = None) -> list[list]:
    rng = random.Random(seed)
    uscc = uscc or make_uscc(rng)
    rows = []
    for i in range(n):
        rows.append(
            [
                make_name(rng),
                make_resident_id(rng),
                "",
                region,
                "连云港测试装备有限公司",
                uscc,
                "焊工",
                "职业技能等级证书",
                rng.choice(["四级", "三级", "技师"]),
                f"Y{seed:04d}{i:017d}",
                "2026-03-01",
                "连云港市技师学院",
            ]
        )
    return rows


def write_csv(
    path: Path, rows: list[list], *, headers=HEADERS, encoding: str = "utf-8-sig", title: str | None = None
) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if title:
        writer.writerow([title])
    writer.writerow(headers)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list], *, headers=HEADERS, title: str | None = None) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    r = 0
    if title:
        sheet.merge_range(0, 0, 0, len(headers) - 1, title)
        r = 2  # a title, then a blank row
    sheet.write_row(r, 0, headers)
    for row in rows:
        r += 1
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if hasattr(value, "year"):
                sheet.write_datetime(r, c, value, date_format)
            elif isinstance(value, (int, float)):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, str(value))
    book.close()
    return path


def write_xls(path: Path, rows: list[list], *, headers=HEADERS) -> Path:
    """A real .xls (BIFF8), as older office software saves it."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("花名册")
    for c, header in enumerate(headers):
        sheet.write(0, c, header)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is not None and value != "":
                sheet.write(r, c, value if isinstance(value, (int, float)) else str(value))
    book.save(str(path))
    return path


def write_ods(path: Path, rows: list[list], *, headers=HEADERS, extra: str = "") -> Path:
    """A minimal OpenDocument spreadsheet (what WPS and LibreOffice save as .ods); ``extra`` is
    raw table XML put after the rows."""
    from xml.sax.saxutils import escape

    cells = "".join(
        "<table:table-row>"
        + "".join(
            '<table:table-cell office:value-type="string"><text:p>%s</text:p></table:table-cell>'
            % escape(str(v))
            for v in row
        )
        + "</table:table-row>"
        for row in [headers, *rows]
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="花名册">{cells}{extra}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED
        )
        z.writestr("META-INF/manifest.xml", manifest)
        z.writestr("content.xml", content)
    return path


def run(path: Path, actor, *, kind: str = "roster", mode: str = JobMode.COMMIT) -> Job:
    return import_run_file(actor=actor, kind=kind, path=path, mode=mode)


def command(*args) -> tuple[int, dict, str]:
    """Run ``manage.py import`` in-process: (exit code, last-line JSON, all output)."""
    out = io.StringIO()
    with redirect_stdout(out), pytest.raises(SystemExit) as exc:
        call_command("import", *args, stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    return exc.value.code, json.loads(text.strip().splitlines()[-1]), text
