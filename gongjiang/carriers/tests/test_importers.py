"""The carriers import KIND through the one pipeline: good files (xlsx, CSV), bad rows with their
Chinese reasons, conflicts, idempotency, permission."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from python_calamine import CalamineWorkbook

from gongjiang.accounts.models import AuditEntry
from gongjiang.carriers.models import Carrier
from gongjiang.carriers.selectors import carriers_toward_target_count
from gongjiang.carriers.tests.factories import RecognisedCarrierFactory, leader_at
from gongjiang.jobs import files
from gongjiang.jobs.choices import JobStatus
from gongjiang.jobs.tests.helpers import command, run, write_csv, write_xlsx
from gongjiang.workflow.models import Event

pytestmark = pytest.mark.django_db

HEADERS = [
    "载体名称",
    "载体类型",
    "认定级别",
    "依托单位统一社会信用代码",
    "领办人身份证号",
    "领办人姓名",
    "所属县区",
    "重点领域",
    "认定日期",
    "首次认定日期",
    "资助金额（元）",
]


def error_rows(job):
    with files.decrypted_copy(job.output_file, suffix=".xlsx") as path:
        return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[1:]


@pytest.fixture
def rows(personas):
    technician = leader_at("GRADE2", employer=personas.org_haizhou, name="技师甲")
    org, ganyu = personas.org_haizhou, personas.org_ganyu
    return [
        ["海州数控技能大师工作室", "技能大师工作室", "省级", org.uscc, technician.id_number, "技师甲",
         "海州区", "先进制造业", datetime.date(2026, 6, 1), "2024-05-01", "300000"],
        ["海州焊接培训基地", "高技能人才培训基地", "市级", org.uscc, personas.person_haizhou.id_number, "",
         "海州", "先进制造业", "2026/3/15", "", "100,000元"],
        ["赣榆乡村工匠工作站", "乡村工匠工作站", "县级", ganyu.uscc, personas.person_ganyu.id_number, "",
         "320707", "农业农村", "2025年4月1日", "", ""],
    ]  # fmt: skip


def test_good_xlsx_registers_recognised_carriers_with_history(tmp_path, personas, rows):
    job = run(
        write_xlsx(tmp_path / "载体.xlsx", rows, headers=HEADERS, title="已认定培养载体名单"),
        personas.city,
        kind="carriers",
    )
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert job.result["carriers_created"] == 3
    studio = Carrier.objects.get(name="海州数控技能大师工作室")
    assert (studio.status, studio.level, studio.source) == ("recognised", "province", "import")
    assert studio.first_recognised_on == studio.city_level_since == datetime.date(2024, 5, 1)
    assert studio.recognised_on == datetime.date(2026, 6, 1)
    assert studio.grant_amount == Decimal("300000")
    base = Carrier.objects.get(name="海州焊接培训基地")
    assert (base.region_id, base.grant_amount, base.first_recognised_on) == (
        "320706",
        Decimal("100000"),
        datetime.date(2026, 3, 15),
    )
    station = Carrier.objects.get(name="赣榆乡村工匠工作站")
    assert (station.level, station.city_level_since) == ("county", None)
    event = Event.objects.get(carrier=studio)
    assert (event.action, event.actor, event.to_status) == ("import", personas.city, "recognised")
    # the upgraded studio was first recognised in 2024, so only the 2026 base counts
    assert carriers_toward_target_count(on=datetime.date(2026, 11, 24)) == 1
    assert AuditEntry.objects.filter(action="import.commit", object_id=str(job.pk)).count() == 1


def test_same_csv_twice_changes_nothing_the_second_time(tmp_path, personas, rows):
    path = write_csv(tmp_path / "载体.csv", rows, headers=HEADERS, encoding="gbk")
    assert run(path, personas.city, kind="carriers").result["carriers_created"] == 3
    second = run(path, personas.city, kind="carriers")
    assert second.result == {
        **second.result,
        "carriers_created": 0,
        "carriers_unchanged": 3,
        "carrier_conflicts": 0,
    }
    assert Carrier.objects.count() == 3
    assert Event.objects.count() == 3


def test_bad_rows_are_reported_in_chinese_and_nothing_is_written(tmp_path, personas, rows):
    senior = leader_at("GRADE3", employer=personas.org_haizhou, name="高级工乙")
    good = rows[1]
    bad = [
        ["甲", "技能工作坊", "市级", *good[3:]],
        ["乙", "高技能人才培训基地", "县级", *good[3:]],
        ["丙", "高技能人才培训基地", "市级", "91320706MA1MJ7L07X", *good[4:]],
        ["丁", *good[1:4], good[4][:-1] + ("0" if good[4][-1] != "0" else "1"), *good[5:]],
        ["戊", *good[1:4], "11010519491231002X", *good[5:]],
        ["己", *good[1:5], "别人", *good[6:]],
        ["庚", "技能大师工作室", "市级", good[3], senior.id_number, "", *good[6:]],
        ["辛", *good[1:8], "2026-01-01", "2026-02-01", ""],
        ["壬", *good[1:8], "2099-01-01", "", ""],
        ["癸", *good[1:10], "十万"],
        ["", *good[1:6], "", "", *good[8:]],
    ]
    before = Carrier.objects.count()
    job = run(
        write_xlsx(tmp_path / "bad.xlsx", [rows[0], *bad], headers=HEADERS), personas.city, kind="carriers"
    )
    assert job.status == JobStatus.REJECTED
    assert (job.result["accepted"], job.result["rejected"]) == (1, 11)
    assert Carrier.objects.count() == before
    reasons = {row[1]: row[-1] for row in error_rows(job)}
    assert "载体类型“技能工作坊”：无法识别的载体类型" in reasons["甲"]
    assert "认定级别“县级”：高技能人才培训基地不能认定为县级" in reasons["乙"]
    assert "依托单位统一社会信用代码" in reasons["丙"] and "校验" in reasons["丙"]
    assert "领办人身份证号" in reasons["丁"] and "校验位错误" in reasons["丁"]
    assert reasons["戊"] == "领办人身份证号：人才库中没有这个身份证号的人员，请先登记该人员"
    assert reasons["己"] == "领办人姓名：“别人”与人才库登记的姓名不一致"
    assert reasons["庚"] == "领办人：技能大师工作室的领办人须为技师及以上"
    assert "首次认定日期“2026-02-01”：首次认定日期不能晚于认定日期" in reasons["辛"]
    assert "认定日期“2099-01-01”：日期晚于今天，请核对" in reasons["壬"]
    assert "资助金额（元）“十万”：资助金额应为数字（单位：元）" in reasons["癸"]
    assert reasons[""] == "载体名称：载体名称不能为空；所属县区：所属县区不能为空；重点领域：重点领域不能为空"


def test_a_carrier_already_registered_differently_is_a_conflict_not_overwritten(tmp_path, personas, rows):
    existing = RecognisedCarrierFactory(
        name="海州焊接培训基地",
        host=personas.org_haizhou,
        leader=personas.person_haizhou,
        level="city",
        recognised_on=datetime.date(2025, 3, 15),
    )
    job = run(write_csv(tmp_path / "c.csv", rows[1:2], headers=HEADERS), personas.city, kind="carriers")
    assert job.status == JobStatus.SUCCEEDED
    assert (job.result["carriers_created"], job.result["carrier_conflicts"]) == (0, 1)
    existing.refresh_from_db()
    assert existing.recognised_on == datetime.date(2025, 3, 15)
    with files.decrypted_copy(job.output_file, suffix=".xlsx") as path:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("冲突").to_python()
    assert sheet[1][-1] == "同一类型、依托单位和领办人的载体已登记（已认定）且内容不同，未覆盖"


def test_revoked_host_is_locked_out_in_imports_too(tmp_path, personas, rows):
    RecognisedCarrierFactory(
        host=personas.org_haizhou,
        recognised_on=datetime.date(2022, 1, 1),
        status="revoked",
        revoked_on=datetime.date(2025, 6, 1),
    )
    job = run(write_csv(tmp_path / "c.csv", rows[1:2], headers=HEADERS), personas.city, kind="carriers")
    assert job.status == JobStatus.REJECTED
    assert error_rows(job)[0][-1] == "依托单位的同类载体已于2025-06-01被撤销，2028-06-01前不得再次认定"


def test_only_the_city_admin_imports_recognised_carriers(tmp_path, personas, rows):
    path = write_csv(tmp_path / "c.csv", rows, headers=HEADERS)
    for user in (personas.haizhou, personas.org_operator, personas.department):
        with pytest.raises(PermissionDenied):
            run(path, user, kind="carriers")
    assert not Carrier.objects.exists()


def test_import_command_exit_codes(tmp_path, personas, rows):
    good = write_csv(tmp_path / "good.csv", rows, headers=HEADERS)
    code, summary, _ = command("carriers", str(good), "--dry-run", "--as", "city")
    assert (code, summary["carriers_created"]) == (0, 3)
    assert not Carrier.objects.exists()
    bad = write_csv(tmp_path / "bad.csv", [rows[0], ["x", "未知类型", *rows[0][2:]]], headers=HEADERS)
    code, summary, _ = command("carriers", str(bad), "--as", "city")
    assert (code, summary["rejected"]) == (1, 1)


def test_import_page_template_and_result_labels(tmp_path, personas, rows, login):
    client = login(personas.city)
    assert "已认定的培养载体" in client.get("/jobs/import/").content.decode()
    template = client.get("/jobs/import/template/carriers/")
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(template.getvalue())).get_sheet_by_index(0).to_python()
    assert "领办人身份证号" in str(sheet[:3])
    job = run(write_csv(tmp_path / "c.csv", rows, headers=HEADERS), personas.city, kind="carriers")
    text = client.get(f"/jobs/{job.pk}/").content.decode()
    assert '<th class="ps-3 fw-normal">新增载体</th><td class="text-end pe-3 fw-semibold">3</td>' in text
    assert client.get("/jobs/import/template/carriers/").status_code == 200
    assert login(personas.haizhou).get("/jobs/import/template/carriers/").status_code == 404
