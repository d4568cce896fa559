"""The roster import journey: upload a file in the page, watch the progress bar reach 100%, read
the dry-run counts, download the error report, import the valid rows, find an imported person.
A real django-tasks-db worker runs in a thread of the test process, as `manage.py worker` would."""

import re

import pytest
from playwright.sync_api import expect
from python_calamine import CalamineWorkbook

from gongjiang.jobs.models import Job
from gongjiang.jobs.tests.helpers import roster_rows, write_xlsx

pytestmark = pytest.mark.django_db(transaction=True)


def test_upload_dry_run_error_report_commit_and_find(page, log_in, live_personas, worker, tmp_path):
    rows = roster_rows(3000, seed=77)
    rows[10][1] = rows[10][1][:-1] + ("0" if rows[10][1][-1] != "0" else "1")  # wrong checksum
    rows[20][8] = "九级"  # no such level
    people = len({r[1] for i, r in enumerate(rows) if i not in (10, 20)})
    path = write_xlsx(tmp_path / "三季度花名册.xlsx", rows, title="2026年第三季度技能人才花名册")
    log_in("city")

    page.get_by_role("navigation").get_by_role("link", name="导入导出").click()
    page.get_by_role("link", name="上传导入文件").click()
    page.get_by_label("数据种类").select_option(label="人员与证书花名册")
    page.get_by_label("文件").set_input_files(str(path))
    page.get_by_role("button", name="上传并试导入").click()
    page.wait_for_url(re.compile(r"/jobs/\d+/$"))

    progress = page.get_by_test_id("job-progress")
    expect(progress).to_be_visible()
    expect(page.get_by_test_id("job-percent")).to_have_text("100%", timeout=60_000)
    results = page.get_by_test_id("job-results")
    expect(results.locator("tr[data-key=rows] td")).to_have_text("3000", timeout=10_000)
    expect(results.locator("tr[data-key=rejected] td")).to_have_text("2")
    expect(results.locator("tr[data-key=persons_created] td")).to_have_text(str(people))
    expect(page.get_by_test_id("job-message")).to_contain_text("数据库未作修改")

    with page.expect_download() as download_info:
        page.get_by_test_id("download").click()
    report = CalamineWorkbook.from_path(str(download_info.value.path()))
    errors = report.get_sheet_by_index(0).to_python()[1:]
    assert [int(r[0]) for r in errors] == [14, 24]  # title, blank, header: data starts on row 4
    assert "校验位错误" in errors[0][-1]
    assert "九级" in errors[1][-1]

    page.get_by_test_id("commit-valid-only").click()
    page.wait_for_url(re.compile(r"/jobs/\d+/$"))
    expect(page.get_by_test_id("job-percent")).to_have_text("100%", timeout=60_000)
    expect(page.get_by_test_id("job-message")).to_contain_text("导入完成", timeout=10_000)
    assert Job.objects.filter(mode="valid_only", status="succeeded").count() == 1

    page.get_by_role("navigation").get_by_role("link", name="人才库").click()
    page.get_by_label("姓名或身份证号").fill(rows[0][1])
    page.get_by_role("button", name="查询").click()
    expect(page.locator("table tbody tr")).to_have_count(1)
    expect(page.locator("table tbody tr").first).to_contain_text(rows[0][0])
