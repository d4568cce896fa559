"""Reading the files people really send, and refusing the ones that would hurt (SECURITY.md)."""

import csv
import datetime
import io
import re
import resource
import time
import zipfile

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from gongjiang.common.excel import (
    ReadLimits,
    UnusableFile,
    display_width,
    iter_csv,
    neutralise,
    read_rows,
    write_xlsx,
)


def make_xlsx(path, rows):
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    book.close()
    return path


def rows_of(path, **kw):
    return [(n, list(cells)) for n, cells in read_rows(path, **kw)]


def test_xlsx_rows_keep_their_sheet_row_numbers(tmp_path):
    path = make_xlsx(
        tmp_path / "a.xlsx", [[None], ["2026年花名册"], ["姓名", "身份证号"], ["张三", "320706199001011230"]]
    )
    rows = rows_of(path)
    assert rows[0] == (1, [None, None])
    assert rows[1] == (2, ["2026年花名册", None])
    assert rows[-1] == (4, ["张三", "320706199001011230"])


@pytest.mark.parametrize(
    ("encoding", "bom"), [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("gbk", b""), ("gb18030", b"")]
)
def test_csv_in_the_encodings_excel_and_wps_write(tmp_path, encoding, bom):
    path = tmp_path / "r.csv"
    path.write_bytes(bom + "姓名,工种\n张三,焊工\n".encode(encoding))
    assert rows_of(path) == [(1, ["姓名", "工种"]), (2, ["张三", "焊工"])]


def test_csv_in_another_encoding_is_refused(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes("姓名,工种\n张三,焊工\n".encode("utf-16"))
    with pytest.raises(UnusableFile) as exc:
        rows_of(path)
    assert exc.value.code == "encoding"
    assert "UTF-8" in exc.value.message


def test_invalid_bytes_in_neither_encoding_are_refused(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(b"\xff\xfe\xfd,\x80\x80\n")
    with pytest.raises(UnusableFile) as exc:
        rows_of(path)
    assert exc.value.code == "encoding"


def test_empty_file(tmp_path):
    path = tmp_path / "e.xlsx"
    path.write_bytes(b"")
    with pytest.raises(UnusableFile, match="空"):
        rows_of(path)


def test_non_excel_file_renamed_xlsx(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"%PDF-1.7 this is not a workbook")
    with pytest.raises(UnusableFile) as exc:
        rows_of(path)
    assert exc.value.code == "type"


def test_truncated_xlsx(tmp_path):
    good = make_xlsx(tmp_path / "g.xlsx", [["姓名"], ["张三"]]).read_bytes()
    path = tmp_path / "t.xlsx"
    path.write_bytes(good[: len(good) // 2])
    with pytest.raises(UnusableFile) as exc:
        rows_of(path)
    assert exc.value.code == "corrupt"


def test_encrypted_workbook(tmp_path):
    # Excel saves a password-protected .xlsx as an OLE2 container (EncryptionInfo + EncryptedPackage).
    path = tmp_path / "secret.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096)
    with pytest.raises(UnusableFile) as exc:
        rows_of(path)
    assert exc.value.code == "encrypted"
    assert "密码" in exc.value.message


def test_unsupported_extension(tmp_path):
    path = tmp_path / "r.docx"
    path.write_bytes(b"PK\x03\x04whatever")
    with pytest.raises(UnusableFile, match="不支持的文件类型"):
        rows_of(path)


def test_file_over_the_size_limit(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"a,b\n" * 1000)
    with pytest.raises(UnusableFile) as exc:
        rows_of(path, limits=ReadLimits(max_bytes=1000))
    assert exc.value.code == "too_large"


def test_macro_workbook_refused(tmp_path):
    path = tmp_path / "m.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/vbaProject.bin", b"\x00" * 100)
    with pytest.raises(UnusableFile) as exc:
        rows_of(path)
    assert exc.value.code == "macro"


def test_zip_bomb_refused_fast_and_without_inflating(tmp_path):
    """A small .xlsx whose sheet inflates to a gigabyte is refused from the zip directory alone."""
    path = tmp_path / "bomb.xlsx"
    chunk = b"\x00" * (1 << 24)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            for _ in range(64):  # 1 GiB of zeros
                fh.write(chunk)
    assert path.stat().st_size < 5 * 1024 * 1024
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    with pytest.raises(UnusableFile) as exc:
        rows_of(path)
    assert exc.value.code == "zip_bomb"
    assert time.monotonic() - started < 5
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before < 100 * 1024  # KiB


def test_row_limit(tmp_path):
    path = make_xlsx(tmp_path / "r.xlsx", [[i] for i in range(50)])
    with pytest.raises(UnusableFile) as exc:
        rows_of(path, limits=ReadLimits(max_rows=10))
    assert exc.value.code == "too_many_rows"


def test_export_neutralises_formulas_in_xlsx_and_csv():
    assert neutralise('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    for prefix in ("+", "-", "@", "\t", "\r"):
        assert neutralise(prefix + "1").startswith("'")
    handle = write_xlsx(["姓名", "日期"], [["=1+2", datetime.date(2026, 1, 2)], ["张三", None]])
    body = handle.read()
    rows = CalamineWorkbook.from_filelike(io.BytesIO(body)).get_sheet_by_index(0).to_python()
    # In xlsx a string cell is never evaluated: the text stays as typed, with no apostrophe.
    assert rows[1][0] == "=1+2"
    assert "<f>" not in sheet_xml(body)
    assert rows[1][1] == datetime.date(2026, 1, 2)
    text = b"".join(iter_csv(["姓名"], [["=cmd|' /C calc'!A0"], ["@SUM(1)"]])).decode("utf-8-sig")
    assert "\n'=cmd" in text.replace("\r\n", "\n")
    assert "\n'@SUM" in text.replace("\r\n", "\n")


def sheet_xml(body: bytes, index: int = 1) -> str:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return archive.read(f"xl/worksheets/sheet{index}.xml").decode()


def column_widths(body: bytes, index: int = 1) -> dict[int, float]:
    """Column (0-based) → width, from the sheet's <col> elements."""
    return {
        int(m.group(1)) - 1: float(m.group(3))
        for m in re.finditer(r'<col min="(\d+)" max="(\d+)" width="([\d.]+)"', sheet_xml(body, index))
    }


def test_xlsx_columns_are_as_wide_as_their_content_and_dates_are_date_cells():
    company = "连云港港口控股集团有限公司第二港务分公司"  # 20 CJK characters: 40 columns
    moment = datetime.datetime(2026, 12, 2, 8, 29, 48, 344832, tzinfo=datetime.UTC)
    body = write_xlsx(
        ["身份证号", "工作单位", "发证日期", "时间", "序号"],
        [["320703********1234", company, datetime.date(2026, 5, 1), moment, 7]],
    ).read()
    widths = column_widths(body)
    assert widths[0] >= 20  # 18 characters and a margin: not cut to "320703******"
    assert widths[1] >= 42
    assert widths[4] < 10  # a short column stays narrow
    row = CalamineWorkbook.from_filelike(io.BytesIO(body)).get_sheet_by_index(0).to_python()[1]
    assert row[0] == "320703********1234" and row[1] == company
    assert row[2] == datetime.date(2026, 5, 1)
    assert row[3] == datetime.datetime(2026, 12, 2, 16, 29, 48)  # Beijing time, whole seconds
    assert display_width("海州区ab") == 8


def test_csv_writes_beijing_time_yes_no_and_keeps_long_digit_strings_as_text():
    moment = datetime.datetime(2026, 12, 2, 8, 29, 48, 344832, tzinfo=datetime.UTC)
    text = b"".join(
        iter_csv(
            ["时间", "高技能", "身份证号", "证书编号", "手机号", "区号", "公式"],
            [[moment, True, "320703200009088888", "2005770000001705", "15054395418", "0518", "=1+2"]],
        )
    ).decode("utf-8-sig")
    row = next(csv.reader(io.StringIO(text.splitlines()[1])))
    assert row == [
        "2026-12-02 16:29:48",
        "是",
        '="320703200009088888"',
        '="2005770000001705"',
        "15054395418",
        '="0518"',
        "'=1+2",
    ]


def test_every_resident_id_is_kept_as_text_in_csv_whatever_its_last_character():
    from gongjiang.common.excel import csv_cell

    assert csv_cell("320723196909271140") == '="320723196909271140"'
    assert csv_cell("32072319690927114X") == '="32072319690927114X"'
