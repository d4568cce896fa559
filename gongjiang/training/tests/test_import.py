"""The ``enterprise_training`` import KIND: real xlsx files through the one pipeline."""

import datetime
from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook

from gongjiang.jobs import files
from gongjiang.jobs.choices import JobStatus
from gongjiang.jobs.tests.helpers import run, write_xlsx
from gongjiang.training.models import EnterpriseTraining

pytestmark = pytest.mark.django_db
HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "年度",
    "已建立职工教育培训制度",
    "纳入企业发展规划",
    "列入经营者任期目标",
    "向职代会报告日期",
    "培训初级工人次",
    "培训中级工人次",
    "培训高级工人次",
    "培训技师及以上人次",
    "职工教育经费支出（元）",
]


def error_rows(job):
    with files.decrypted_copy(job.output_file, suffix=".xlsx") as path:
        return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[1:]


def test_records_import_and_a_second_file_updates_them(tmp_path, personas):
    org = personas.org_haizhou
    rows = [[org.uscc, org.name, "2025", "是", "是", "否", "2025-12-20", 40, 30, 12, 3, "185000.50"]]
    job = run(
        write_xlsx(tmp_path / "培训.xlsx", rows, headers=HEADERS),
        personas.org_operator,
        kind="enterprise_training",
    )
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert job.result["records_created"] == 1
    record = EnterpriseTraining.objects.get(organisation=org, year=2025)
    assert (record.has_training_system, record.in_development_plan, record.in_manager_targets) == (
        True,
        True,
        False,
    )
    assert record.congress_report_on == datetime.date(2025, 12, 20)
    assert (record.trained_total, record.education_fund) == (85, Decimal("185000.50"))
    rows[0][5] = "是"
    rows[0][9] = 20
    again = run(
        write_xlsx(tmp_path / "培训2.xlsx", rows, headers=HEADERS),
        personas.org_operator,
        kind="enterprise_training",
    )
    assert again.result["records_updated"] == 1
    record.refresh_from_db()
    assert (record.in_manager_targets, record.trained_advanced) == (True, 20)


def test_a_bad_row_names_its_column_and_the_file_changes_nothing(tmp_path, personas):
    mine, other = personas.org_haizhou, personas.org_ganyu
    rows = [
        [mine.uscc, mine.name, "2025", "是", "是", "是", "", 1, 1, 1, 1, "100"],
        [other.uscc, other.name, "2025", "是", "是", "是", "", 1, 1, 1, 1, "100"],  # another county's
        [mine.uscc, mine.name, "二〇二五", "也许", "是", "是", "", -3, 1, 1, 1, "很多"],
    ]
    job = run(
        write_xlsx(tmp_path / "培训.xlsx", rows, headers=HEADERS),
        personas.haizhou,
        kind="enterprise_training",
    )
    assert job.status == JobStatus.REJECTED
    assert not EnterpriseTraining.objects.exists()
    reasons = {r[0]: r[-1] for r in error_rows(job)}
    assert "该企业尚未登记或不在您的数据范围内" in reasons[3]
    assert "年度应为四位年份" in reasons[4]
    assert "请填写“是”或“否”" in reasons[4]
    assert "人次应为不小于 0 的整数" in reasons[4]
    assert "金额应为数字" in reasons[4]
