"""The roster import, end to end through the one pipeline, on files people really send."""

import datetime
import io
import re
import zipfile

import pytest
from python_calamine import CalamineWorkbook
from stdnum.cn import ric

from gongjiang.accounts.models import AuditEntry
from gongjiang.jobs import files
from gongjiang.jobs.choices import JobMode, JobStatus
from gongjiang.jobs.tests.helpers import (
    HEADERS,
    command,
    roster_rows,
    run,
    write_csv,
    write_ods,
    write_xls,
    write_xlsx,
)
from gongjiang.orgs.models import Organisation
from gongjiang.talents.models import Certificate, Person
from gongjiang.talents.services import DUPLICATE_ID_MESSAGE, resident_id_digest

pytestmark = pytest.mark.django_db


def error_rows(job):
    with files.decrypted_copy(job.output_file, suffix=".xlsx") as path:
        return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[1:]


def test_xlsx_with_title_rows_imports_persons_certificates_and_new_employer(tmp_path, personas):
    rows = roster_rows(20)
    path = write_xlsx(tmp_path / "花名册.xlsx", rows, title="2026年第三季度技能人才花名册")
    job = run(path, personas.city)
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert job.result["rows"] == 20
    assert job.result["persons_created"] == 20
    assert job.result["certificates_created"] == 20
    assert job.result["organisations_created"] == 1
    person = Person.objects.get(id_digest=resident_id_digest(rows[0][1]))
    assert person.id_number == rows[0][1]
    assert person.employer.uscc == rows[0][5]
    assert person.certificates.get().source == "import"
    high = Person.objects.filter(id_digest__in=[resident_id_digest(r[1]) for r in rows if r[8] != "四级"])
    assert all(p.is_high_skilled and p.high_skilled_since == datetime.date(2026, 3, 1) for p in high)
    assert AuditEntry.objects.filter(action="import.commit", object_id=str(job.pk)).count() == 1


def test_same_file_twice_changes_nothing_the_second_time(tmp_path, personas):
    path = write_csv(tmp_path / "r.csv", roster_rows(30))
    first = run(path, personas.city)
    before = list(Person.objects.order_by("id").values_list("id", "updated_at"))
    second = run(path, personas.city)
    assert first.result["persons_created"] == 30
    assert second.result["persons_created"] == 0
    assert second.result["certificates_created"] == 0
    assert second.result["organisations_created"] == 0
    assert second.result["persons_unchanged"] == 30
    assert second.result["certificates_unchanged"] == 30
    assert list(Person.objects.order_by("id").values_list("id", "updated_at")) == before


def test_all_or_nothing_999_good_and_1_bad_writes_nothing(tmp_path, personas):
    rows = roster_rows(1000)
    rows[500][1] = rows[500][1][:-1] + ("0" if rows[500][1][-1] != "0" else "1")  # break one checksum
    path = write_csv(tmp_path / "r.csv", rows)
    persons, certificates = Person.objects.count(), Certificate.objects.count()
    job = run(path, personas.city)
    assert job.status == JobStatus.REJECTED
    assert job.result["rejected"] == 1
    assert job.result["accepted"] == 999
    assert (Person.objects.count(), Certificate.objects.count()) == (persons, certificates)
    assert not Organisation.objects.filter(uscc=rows[0][5]).exists()
    (row,) = error_rows(job)
    assert row[0] == 502  # header is row 1, so the 501st data row is row 502
    assert "校验位错误" in row[-1]
    valid_only = run(path, personas.city, mode=JobMode.VALID_ONLY)
    assert valid_only.status == JobStatus.SUCCEEDED
    assert Person.objects.count() == persons + 999


def test_dry_run_counts_without_writing(tmp_path, personas):
    path = write_csv(tmp_path / "r.csv", roster_rows(10))
    job = run(path, personas.city, mode=JobMode.DRY_RUN)
    assert job.result["persons_created"] == 10
    assert job.result["certificates_created"] == 10
    assert not Person.objects.filter(id_digest=resident_id_digest(roster_rows(10)[0][1])).exists()


def test_every_date_form_and_aliases_and_full_width(tmp_path, personas):
    headers = [
        "姓名",
        "公民身份号码",
        "县区",
        "单位名称",
        "信用代码",
        "工种",
        "等级",
        "证书号",
        "发证时间",
        "发证单位",
    ]
    base = roster_rows(8, seed=5)
    dates = [
        datetime.date(2024, 5, 1),  # an Excel date cell
        45413,  # an Excel serial number (2024-05-01)
        "2024-05-01",
        "2024/5/1",
        "2024.5.1",
        "2024年5月1日",
        "20240501",
        "２０２４－０５－０１",  # full-width
    ]
    rows = []
    for r, when in zip(base, dates, strict=True):
        rows.append([f" {r[0]} ", r[1], r[3], r[4], r[5], r[6], "三级/高级工", r[9], when, r[11]])
    path = write_xlsx(tmp_path / "dates.xlsx", rows, headers=headers)
    job = run(path, personas.city)
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert job.result["certificates_created"] == 8
    assert set(
        Certificate.objects.filter(number__in=[r[9] for r in base]).values_list("issue_date", flat=True)
    ) == {datetime.date(2024, 5, 1)}
    assert set(
        Certificate.objects.filter(number__in=[r[9] for r in base]).values_list("level_id", flat=True)
    ) == {"GRADE3"}


@pytest.mark.parametrize(
    "level",
    ["学徒工", "初级工", "五级", "中级工", "四级", "高级工", "三级", "技师", "二级", "高级技师", "一级"],
)
def test_level_spellings(tmp_path, personas, level):
    rows = roster_rows(1, seed=11)
    rows[0][7] = "" if level == "学徒工" else rows[0][7]
    rows[0][8] = level
    job = run(write_csv(tmp_path / "l.csv", rows), personas.city)
    if level == "学徒工":
        assert job.result["rejected"] == 1  # no certificate type carries 学徒工
    else:
        assert job.result["accepted"] == 1, job.message


def test_numeric_ids_are_detected_and_never_stored(tmp_path, personas):
    rows = roster_rows(3, seed=3)
    rows[0][1] = float(rows[0][1])  # a number cell: 3.20706199001011E+17
    truncated = next(
        r[1][:15] + "000" for r in roster_rows(50, seed=30) if ric.calc_check_digit(r[1][:15] + "000") != "0"
    )
    rows[1][1] = truncated  # digits lost to a number format
    path = write_xlsx(tmp_path / "n.xlsx", rows)
    job = run(path, personas.city)
    assert job.status == JobStatus.REJECTED
    reasons = [r[-1] for r in error_rows(job)]
    assert len(reasons) == 2
    assert "科学计数法" in reasons[0] or "文本格式" in reasons[0]
    assert "文本格式" in reasons[1] or "校验位" in reasons[1]
    assert Person.objects.filter(name__in=[rows[0][0], rows[1][0]]).count() == 0


def test_gbk_csv(tmp_path, personas):
    path = write_csv(tmp_path / "gbk.csv", roster_rows(5, seed=8), encoding="gbk")
    job = run(path, personas.city)
    assert job.result["persons_created"] == 5
    assert Person.objects.filter(name=roster_rows(5, seed=8)[0][0]).exists()


def test_every_error_in_one_pass_with_row_column_value(tmp_path, personas):
    rows = roster_rows(3, seed=4)
    rows[0][0] = ""
    rows[0][3] = "火星区"
    rows[1][10] = "2024-13-45"
    rows[2][8] = "九级"
    job = run(write_csv(tmp_path / "e.csv", rows), personas.city)
    reasons = {r[0]: r[-1] for r in error_rows(job)}
    assert "姓名" in reasons[2]
    assert "所属县区“火星区”" in reasons[2]
    assert "发证日期“2024-13-45”" in reasons[3]
    assert "技能等级“九级”" in reasons[4]


def test_duplicate_rows_in_one_file_and_conflicting_certificate_numbers(tmp_path, personas):
    rows = roster_rows(3, seed=6)
    duplicate = list(rows[0])
    conflicting = list(rows[1])
    conflicting[8] = "技师" if rows[1][8] != "技师" else "四级"
    job = run(write_csv(tmp_path / "d.csv", [*rows, duplicate, conflicting]), personas.city)
    assert job.status == JobStatus.SUCCEEDED
    assert job.result["certificates_created"] == 3
    assert job.result["certificates_unchanged"] == 1
    assert job.result["conflicts"] == 1
    assert Certificate.objects.filter(number=rows[1][9]).get().level.name != conflicting[8]


def test_same_certificate_number_with_different_data_in_a_second_file(tmp_path, personas):
    rows = roster_rows(2, seed=7)
    run(write_csv(tmp_path / "a.csv", rows), personas.city)
    changed = [list(rows[0])]
    changed[0][10] = "2025-01-01"
    job = run(write_csv(tmp_path / "b.csv", changed), personas.city)
    assert job.result["conflicts"] == 1
    assert job.result["certificates_created"] == 0
    assert Certificate.objects.get(number=rows[0][9]).issue_date == datetime.date(2026, 3, 1)
    with files.decrypted_copy(job.output_file, suffix=".xlsx") as path:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("冲突").to_python()
    assert sheet[1][2] == rows[0][9]


def test_one_persons_rows_across_files_merge_by_id(tmp_path, personas):
    rows = roster_rows(1, seed=9)
    run(write_csv(tmp_path / "a.csv", rows), personas.city)
    second = [list(rows[0])]
    second[0][8], second[0][9], second[0][10] = "高级技师", "Y9999000000000001000001", "2026-08-08"
    job = run(write_csv(tmp_path / "b.csv", second), personas.city)
    person = Person.objects.get(id_digest=resident_id_digest(rows[0][1]))
    assert job.result["persons_created"] == 0
    assert person.certificates.count() == 2
    assert person.highest_level_id == "GRADE1"


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (b"", "empty.xlsx", "empty"),
        (b"%PDF-1.4 not a workbook", "renamed.xlsx", "type"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048, "encrypted.xlsx", "encrypted"),
        ("姓名,身份证号\n".encode("utf-16"), "utf16.csv", "encoding"),
        ("列一,列二,列三\n1,2,3\n".encode(), "unknown.csv", "header"),
        ("姓名,身份证号,所属县区\n".encode(), "headers-only.csv", "no_rows"),
        ("姓名,手机号,工作单位\n张三,13812345678,某公司\n".encode(), "missing-required.csv", "header"),
    ],
)
def test_unusable_files_end_with_a_clear_message_and_write_nothing(tmp_path, personas, content, name, code):
    path = tmp_path / name
    path.write_bytes(content)
    persons = Person.objects.count()
    job = run(path, personas.city)
    assert job.status == JobStatus.FAILED
    assert job.result["code"] == code
    assert job.message
    assert Person.objects.count() == persons


def test_a_hundred_thousand_blank_rows_are_skipped(tmp_path, personas):
    rows = roster_rows(2, seed=12)
    blank = [[""] * len(HEADERS)] * 100_000
    path = write_csv(tmp_path / "blank.csv", [rows[0], *blank, rows[1]])
    job = run(path, personas.city)
    assert job.result["rows"] == 2
    assert job.result["persons_created"] == 2


def test_zip_bomb_refused_through_the_pipeline(tmp_path, personas, settings):
    settings.GONGJIANG_READ_LIMITS = {"max_uncompressed": 10 * 1024 * 1024}
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\x00" * (20 * 1024 * 1024))
    job = run(path, personas.city)
    assert job.status == JobStatus.FAILED
    assert job.result["code"] == "zip_bomb"


def test_file_over_the_size_limit(tmp_path, personas, settings):
    settings.GONGJIANG_READ_LIMITS = {"max_bytes": 1024}
    path = write_csv(tmp_path / "big.csv", roster_rows(50))
    job = run(path, personas.city)
    assert job.result["code"] == "too_large"
    assert "超过上限" in job.message


def test_region_operator_rows_of_another_region_are_rejected(tmp_path, personas):
    rows = roster_rows(2, seed=13)
    rows[1][3] = "赣榆区"
    job = run(write_csv(tmp_path / "s.csv", rows), personas.haizhou, mode=JobMode.VALID_ONLY)
    assert job.result["accepted"] == 1
    assert job.result["rejected"] == 1
    assert "不在您的数据范围内" in error_rows(job)[0][-1]
    assert not Person.objects.filter(id_digest=resident_id_digest(rows[1][1])).exists()


def test_region_operator_cannot_take_over_a_person_of_another_region(tmp_path, personas):
    other = personas.person_ganyu
    rows = roster_rows(1, seed=14)
    rows[0][1] = other.id_number
    job = run(write_csv(tmp_path / "t.csv", rows), personas.haizhou)
    assert job.result["rejected"] == 1
    assert error_rows(job)[0][-1] == DUPLICATE_ID_MESSAGE  # not where the person is
    # The import's audit row counts the records on file it asked about.
    audited = AuditEntry.objects.get(action="import.nothing_written", object_id=str(job.pk))
    assert audited.changes["result"]["refused_existing"] == 1
    other.refresh_from_db()
    assert other.region_id == "320707"


def test_region_operator_cannot_import_an_employer_of_another_region(tmp_path, personas):
    # The person is of 海州 (in scope), the employer a 赣榆 enterprise the form's dropdown never offers.
    rows = roster_rows(2, seed=21)
    rows[1][5] = personas.org_ganyu.uscc
    job = run(write_csv(tmp_path / "e.csv", rows), personas.haizhou, mode=JobMode.VALID_ONLY)
    assert (job.result["accepted"], job.result["rejected"]) == (1, 1)
    report = error_rows(job)[0]
    row, reason = report[0], report[-1]
    assert row == 3
    assert personas.org_ganyu.uscc in report  # the value, as the user typed it
    assert "工作单位" in reason and "数据范围" in reason
    assert not Person.objects.filter(id_digest=resident_id_digest(rows[1][1])).exists()


def test_region_operator_cannot_import_an_employer_of_another_region_by_name(tmp_path, personas):
    rows = roster_rows(1, seed=22)
    rows[0][4], rows[0][5] = personas.org_ganyu.name, ""
    job = run(write_csv(tmp_path / "n.csv", rows), personas.haizhou)
    assert job.result["rejected"] == 1
    assert "数据范围" in error_rows(job)[0][-1]


def test_organisation_operator_imports_only_its_own_staff(tmp_path, personas):
    own = roster_rows(1, seed=15, uscc=personas.org_haizhou.uscc)
    foreign = roster_rows(1, seed=16, uscc=personas.org_ganyu.uscc)
    job = run(write_csv(tmp_path / "o.csv", own + foreign), personas.org_operator, mode=JobMode.VALID_ONLY)
    assert job.result["accepted"] == 1
    assert job.result["rejected"] == 1
    assert Person.objects.get(id_digest=resident_id_digest(own[0][1])).employer == personas.org_haizhou


def test_command_json_exit_codes_and_error_report(tmp_path, personas):
    good = write_csv(tmp_path / "good.csv", roster_rows(3, seed=17))
    code, summary, _ = command("roster", str(good), "--dry-run")
    assert code == 0
    assert summary == {
        "rows": 3,
        "accepted": 3,
        "rejected": 0,
        "persons_created": 3,
        "persons_updated": 0,
        "persons_unchanged": 0,
        "certificates_created": 3,
        "certificates_unchanged": 0,
        "conflicts": 0,
        "organisations_created": 1,
    }
    rows = roster_rows(3, seed=18)
    rows[0][1] = "123"
    bad = write_csv(tmp_path / "bad.csv", rows)
    report = tmp_path / "errors.xlsx"
    code, summary, _ = command("roster", str(bad), "--errors", str(report), "--as", "haizhou")
    assert code == 1
    assert summary["rejected"] == 1
    assert summary["persons_created"] == 0
    assert CalamineWorkbook.from_path(str(report)).get_sheet_by_index(0).to_python()[1][0] == 2
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    code, summary, _ = command("roster", str(junk))
    assert code == 2
    assert "error" in summary


def test_ods_roster_with_notes_in_trailing_columns(tmp_path, personas):
    rows = roster_rows(4, seed=21)
    table = [[*HEADERS, "备注"], *[[*r, "已核对"] for r in rows]]
    job = run(write_ods(tmp_path / "花名册.ods", table[1:], headers=table[0]), personas.city)
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert job.result["persons_created"] == 4


def test_xls_roster_imports_like_xlsx_and_names_the_bad_row(tmp_path, personas):
    """An .xls saved by older office software: the same rows, the same refusals with row and column."""
    rows = roster_rows(5, seed=22)
    rows[3][1] = "320706199013451234"  # no such date of birth
    before = Person.objects.count()
    job = run(write_xls(tmp_path / "花名册.xls", rows), personas.city, mode=JobMode.VALID_ONLY)
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert job.result["accepted"] == 4 and job.result["rejected"] == 1
    assert Person.objects.count() == before + 4
    numbers = set(Certificate.objects.values_list("number", flat=True))
    assert {r[9] for i, r in enumerate(rows) if i != 3} <= numbers and rows[3][9] not in numbers
    reasons = {r[0]: r[-1] for r in error_rows(job)}
    assert list(reasons) == [5] and "身份证号" in reasons[5]


def test_large_file_converted_in_a_second_process_gives_exact_results(tmp_path, personas):
    """Over 1 MB the rows are converted in a forked process: the same rows, errors and merge."""
    from gongjiang.jobs.benchmarks import HEADERS as BENCH_HEADERS
    from gongjiang.jobs.benchmarks import roster_rows as bench_rows
    from gongjiang.jobs.pipeline import BATCH_ROWS, PARALLEL_MIN_BYTES

    rows = [
        ["" if v is None else (v.isoformat() if hasattr(v, "year") else v) for v in r]
        for r in bench_rows(14_000)
    ]
    bad = {2 * BATCH_ROWS + 7: 1, 13_999: 12}  # index in rows → column broken (ID, issue date)
    for index, column in bad.items():
        rows[index][column] = "3.20706199001011E+17" if column == 1 else "2024-13-45"
    # A note column with line breaks inside quoted cells: rows are counted as records, not lines.
    for index, row in enumerate(rows):
        row.append("调入\n原单位：某厂\n" if index % 1000 == 3 else "")
    path = write_csv(tmp_path / "big.csv", rows, headers=[*BENCH_HEADERS, "备注"])
    assert path.stat().st_size >= PARALLEL_MIN_BYTES
    before = Certificate.objects.count()
    job = run(path, personas.city, mode=JobMode.VALID_ONLY)

    good = [r for i, r in enumerate(rows) if i not in bad]
    assert job.result["rows"] == 14_000
    assert job.result["rejected"] == 2
    assert [(r[0], r[-1][:5]) for r in error_rows(job)] == [
        (2 * BATCH_ROWS + 9, "身份证号“"),
        (14_001, "发证日期“"),
    ]
    assert job.result["persons_created"] == len({r[1] for r in good})
    assert job.result["certificates_created"] == len(good)
    assert Certificate.objects.count() - before == len(good)
    rank = {"初级工": 2, "中级工": 3, "高级工": 4, "技师": 5, "高级技师": 6}
    top: dict[str, int] = {}
    for r in good:
        level = r[10].split("/")[-1]
        top[r[1]] = max(top.get(r[1], 0), rank[level])
    sample = list(top.items())[::500]
    persons = {
        p.id_number: p
        for p in Person.objects.filter(id_digest__in=[resident_id_digest(i) for i, _ in sample])
    }
    assert {i: persons[i].highest_level.rank for i, _ in sample} == dict(sample)


def test_large_xlsx_read_by_the_converter_processes_keeps_order_blanks_and_scope(
    tmp_path, personas, settings
):
    """Over 1 MB the forked converters read the loaded sheet themselves, range by range (three of
    them here): blank rows are skipped and not counted, and a region operator's rows are checked
    against the database (a person of another region is refused) with every refusal reported at
    its own row."""
    from gongjiang.jobs.pipeline import BATCH_ROWS, PARALLEL_MIN_BYTES

    settings.GONGJIANG_IMPORT_CONVERTERS = 3

    n = 22_000
    rows = roster_rows(n, seed=21)
    blanks = {BATCH_ROWS - 3, BATCH_ROWS + 500}  # data rows left empty, across a range boundary
    for index in blanks:
        rows[index] = [""] * len(rows[index])
    rows[BATCH_ROWS + 2][1] = personas.person_ganyu.id_number  # a person of 赣榆区
    rows[n - 1][3] = "赣榆区"  # a row outside the operator's region
    path = write_xlsx(tmp_path / "big.xlsx", rows, title="2026年技能人才花名册")
    assert path.stat().st_size >= PARALLEL_MIN_BYTES
    job = run(path, personas.haizhou, mode=JobMode.VALID_ONLY)

    assert job.result["rows"] == n - len(blanks)
    assert job.result["rejected"] == 2
    first_data_row = 4  # title, blank row, header
    assert [(r[0], r[-1]) for r in error_rows(job)] == [
        (first_data_row + BATCH_ROWS + 2, DUPLICATE_ID_MESSAGE),
        (first_data_row + n - 1, "所属县区“赣榆区”：该人员不在您的数据范围内（县区或工作单位不属于您）"),
    ]
    assert job.result["persons_created"] == n - len(blanks) - 2
    personas.person_ganyu.refresh_from_db()
    assert personas.person_ganyu.region_id == "320707"
    assert Person.objects.filter(id_digest=resident_id_digest(rows[n - 2][1]), region_id="320706").exists()


def test_first_load_rebuilds_the_indexes_and_keeps_every_row(tmp_path, personas, settings):
    """A load larger than the tables drops their indexes, unique constraints and foreign keys and
    builds them again afterwards (PostgreSQL); the rows, derived fields, indexes and constraints
    end as with an ordinary import."""
    from django.db import connection

    settings.GONGJIANG_IMPORT_BULK_MIN_ROWS = 100

    def indexes() -> set[str]:
        if connection.vendor != "postgresql":
            return set()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename IN ('talents_person', 'talents_certificate')"
            )
            return {row[0] for row in cursor.fetchall()}

    def constraints() -> set[tuple[str, str]]:
        if connection.vendor != "postgresql":
            return set()
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT conname, pg_get_constraintdef(c.oid) FROM pg_constraint c
                   JOIN pg_class t ON t.oid = c.conrelid
                   WHERE t.relname IN ('talents_person', 'talents_certificate')"""
            )
            return set(cursor.fetchall())

    before, keys_before = indexes(), constraints()
    if connection.vendor == "postgresql":
        assert any("REFERENCES talents_person(id) DEFERRABLE" in d for _n, d in keys_before)
        assert ("person_id_digest_unique", "UNIQUE (id_digest)") in keys_before
    rows = roster_rows(300, seed=9)
    job = run(write_csv(tmp_path / "first.csv", rows), personas.city)
    assert job.result["persons_created"] == 300
    assert job.result["certificates_created"] == 300
    assert indexes() == before
    assert constraints() == keys_before
    high = Person.objects.filter(id_digest__in=[resident_id_digest(r[1]) for r in rows if r[8] != "四级"])
    assert high.count() == sum(1 for r in rows if r[8] != "四级")
    assert all(p.is_high_skilled for p in high)
    again = run(write_csv(tmp_path / "again.csv", rows), personas.city)
    assert again.result["persons_unchanged"] == 300 and again.result["certificates_unchanged"] == 300


def test_error_report_keeps_cells_as_typed_and_is_wide_enough_to_read(tmp_path, personas):
    rows = roster_rows(2, seed=41)
    rows[0][0] = "=1+2"  # the clerk typed this; the row is refused for its phone below
    rows[0][2] = "123"
    rows[0][4] = "连云港港口控股集团有限公司第二港务分公司"
    issued = rows[0][10]
    job = run(write_xlsx(tmp_path / "e.xlsx", rows), personas.city)
    assert job.result["rejected"] == 1
    with files.decrypted_copy(job.output_file, suffix=".xlsx") as path:
        body = path.read_bytes()
    header, row = CalamineWorkbook.from_filelike(io.BytesIO(body)).get_sheet_by_index(0).to_python()[:2]
    cells = dict(zip(header, row, strict=True))
    assert cells["姓名"] == "=1+2"  # a string cell: no apostrophe the clerk never typed
    assert cells["身份证号"] == rows[0][1]
    assert cells["发证日期"] == (issued.date() if isinstance(issued, datetime.datetime) else issued)
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml
    widths = {
        int(m.group(1)) - 1: float(m.group(2))
        for m in re.finditer(r'<col min="(\d+)" max="\d+" width="([\d.]+)"', xml)
    }
    id_col, company_col = header.index("身份证号"), header.index("工作单位")
    assert widths[id_col] >= 20 and widths[company_col] >= 42


def test_number_cells_of_digits_are_their_digits_and_numbers_past_15_digits_are_refused(tmp_path, personas):
    rows = roster_rows(3, seed=43)
    for row in rows:
        row[2] = 15054395418.0  # the phone column left as an ordinary number cell
    rows[0][9] = 200577000000170.0  # 15 digits: exact in a number cell
    rows[1][9] = 2005770000001705.0  # 16 digits: Excel has already changed the last one
    rows[2][9] = "2.00577E+15"  # what a CSV saved from that cell holds
    job = run(write_xlsx(tmp_path / "n.xlsx", rows), personas.city, mode=JobMode.VALID_ONLY)
    assert job.result["accepted"] == 1 and job.result["rejected"] == 2
    person = Person.objects.get(id_digest=resident_id_digest(rows[0][1]))
    assert person.phone == "15054395418"
    assert person.certificates.get().number == "200577000000170"
    assert not Certificate.objects.filter(number__contains=".").exists()
    reasons = {r[2]: r[-1] for r in error_rows(job)}
    assert len(reasons) == 2
    for reason in reasons.values():
        assert "证书编号被表格软件存成了数字（科学计数法）" in reason
        assert "手机号" not in reason


def test_digits_converter_takes_integer_valued_numbers_and_refuses_lossy_ones():
    from django.core.exceptions import ValidationError

    from gongjiang.core import converters

    assert converters.digits(15054395418.0, label="手机号") == "15054395418"
    assert converters.digits(60801, label="职业编码") == "60801"
    assert converters.digits(" 6-18-01 ", label="职业编码") == "6-18-01"
    assert converters.digits(None, label="证书编号") is None
    assert converters.digits(999_999_999_999_999.0, label="证书编号") == "999999999999999"
    for lossy in (1_000_000_000_000_000.0, 2005770000001705, "2.00577E+15", "3.20703200009088e+17"):
        with pytest.raises(ValidationError) as exc:
            converters.digits(lossy, label="证书编号")
        assert "科学计数法" in exc.value.messages[0]
