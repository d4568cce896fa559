"""competition_results through the one pipeline: a real xlsx, good rows merged, every bad row
reported in Chinese and nothing written."""

import random

import pytest
from python_calamine import CalamineWorkbook

from gongjiang.common.demo import make_resident_id
from gongjiang.competitions.choices import ResultStatus
from gongjiang.competitions.models import Result
from gongjiang.competitions.services import event_publish
from gongjiang.honours.services import COMPETITION_TITLES
from gongjiang.jobs import files
from gongjiang.jobs.choices import JobStatus
from gongjiang.jobs.tests.helpers import command, run, write_xlsx
from gongjiang.talents.tests.factories import PersonFactory

from .factories import EventFactory, ResultFactory

pytestmark = pytest.mark.django_db
HEADERS = ["项目编号", "身份证号", "姓名", "名次", "奖项"]


def error_rows(job):
    with files.decrypted_copy(job.output_file, suffix=".xlsx") as path:
        return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[1:]


def test_results_import_records_and_updates_results(tmp_path, personas):
    event = EventFactory()
    a, b, c = (PersonFactory() for _ in range(3))
    existing = ResultFactory(event=event, person=a, award="third", rank=3)
    rows = [
        [event.code, a.id_number, a.name, 1, "一等奖"],
        [event.code.lower(), b.id_number, "", "第2名", "二等奖"],
        [str(event.pk), c.id_number, c.name, "", "优秀奖"],
    ]
    job = run(
        write_xlsx(tmp_path / "r.xlsx", rows, headers=HEADERS), personas.city, kind="competition_results"
    )
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert (job.result["results_added"], job.result["results_updated"], job.result["results_unchanged"]) == (
        2,
        1,
        0,
    )
    existing.refresh_from_db()
    assert (existing.award, existing.rank, existing.status) == ("first", 1, ResultStatus.RECORDED)
    assert Result.objects.get(event=event, person=b).rank == 2
    assert Result.objects.get(event=event, person=c).award == "excellence"
    again = run(
        write_xlsx(tmp_path / "r2.xlsx", rows, headers=HEADERS), personas.city, kind="competition_results"
    )
    assert (
        again.result["results_added"],
        again.result["results_updated"],
        again.result["results_unchanged"],
    ) == (
        0,
        0,
        3,
    )


def test_bad_rows_are_each_reported_and_nothing_is_written(tmp_path, personas):
    event = EventFactory()
    ok = PersonFactory()
    published = ResultFactory(event=event, person=PersonFactory(), award="first")
    event_publish(actor=personas.city, event=event, titles=COMPETITION_TITLES)
    rows = [
        [event.code, ok.id_number, ok.name, 1, "金牌"],
        ["XM999999", ok.id_number, "", 1, "金牌"],
        ["第一项", ok.id_number, "", 1, "金牌"],
        [event.code, "320706199001011234", "", 1, "金牌"],
        [event.code, make_resident_id(random.Random(11)), "", 1, "金牌"],
        [event.code, PersonFactory().id_number, "", "前三", "金牌"],
        [event.code, PersonFactory().id_number, "", 1, "特等奖"],
        [event.code, PersonFactory().id_number, "张冒名", 1, "银牌"],
        [event.code, ok.id_number, "", 2, "银牌"],
        [event.code, published.person.id_number, "", 2, "银牌"],
        [event.code, PersonFactory().id_number, "", 3, ""],
    ]
    job = run(
        write_xlsx(tmp_path / "bad.xlsx", rows, headers=HEADERS), personas.city, kind="competition_results"
    )
    assert job.status == JobStatus.REJECTED
    assert Result.objects.count() == 1
    reasons = {row[0]: row[-1] for row in error_rows(job)}
    assert 2 not in reasons
    assert "竞赛项目不存在或您无权录入其成绩" in reasons[3]
    assert "项目编号应为 XM 加6位数字" in reasons[4]
    assert "身份证号" in reasons[5]
    assert "人才库中没有该身份证号的人员" in reasons[6]
    assert "名次应为正整数" in reasons[7]
    assert "奖项" in reasons[8]
    assert "姓名与人才库登记的不一致" in reasons[9]
    assert "与第2行是同一项目的同一选手" in reasons[10]
    assert "成绩已公布" in reasons[11]
    assert "奖项" in reasons[12]


def test_a_county_operator_may_not_import_results(tmp_path, personas):
    from django.core.exceptions import PermissionDenied

    event = EventFactory()
    path = write_xlsx(
        tmp_path / "r.xlsx", [[event.code, personas.person_haizhou.id_number, "", 1, "金牌"]], headers=HEADERS
    )
    with pytest.raises(PermissionDenied):
        run(path, personas.haizhou, kind="competition_results")


def test_results_import_from_the_command_line(tmp_path, personas):
    event = EventFactory()
    person = PersonFactory()
    path = write_xlsx(
        tmp_path / "r.xlsx", [[event.code, person.id_number, person.name, 1, "一等奖"]], headers=HEADERS
    )
    code, summary, _out = command("competition_results", str(path), "--as", personas.city.username)
    assert code == 0, summary
    assert summary["results_added"] == 1
    assert Result.objects.get(event=event, person=person).award == "first"
