"""The evaluation import KINDs through the one pipeline: good rows, bad rows with Chinese reasons,
all-or-nothing, re-runs, scope."""

import datetime
import io
import random
from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook

from gongjiang.accounts.models import AuditEntry
from gongjiang.common.demo import make_resident_id
from gongjiang.evaluation.choices import BatchStatus, FilingStatus
from gongjiang.evaluation.models import Candidate, Filing
from gongjiang.evaluation.tests.factories import BatchFactory, CandidateFactory, FilingFactory, days_ago
from gongjiang.jobs import files
from gongjiang.jobs.choices import JobMode, JobStatus
from gongjiang.jobs.tests.helpers import command, run, write_csv, write_xlsx
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.tests.factories import OrganisationFactory
from gongjiang.talents.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

FILING_HEADERS = [
    "机构名称",
    "统一社会信用代码",
    "机构类型",
    "可评价职业",
    "可评价等级",
    "有效期起",
    "有效期止",
]
RESULT_HEADERS = ["批次编号", "身份证号", "姓名", "考核结果", "成绩"]


def error_rows(job):
    with files.decrypted_copy(job.output_file, suffix=".xlsx") as path:
        return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[1:]


@pytest.fixture
def institutions(personas):
    school = OrganisationFactory(name="连云港测试技师学院", kind=OrgKind.TECHNICAL_SCHOOL, region_id="320706")
    centre = OrganisationFactory(
        name="连云港测试评价中心", kind=OrgKind.EVALUATION_INSTITUTION, region_id="320707"
    )
    return school, centre


def filing_rows(personas, school, centre):
    return [
        [school.name, school.uscc, "院校", "6-18-02;6-31-01", "高级工;技师", "2026-01-01", "2028-12-31"],
        [
            centre.name,
            centre.uscc,
            "社会培训评价组织",
            "机械热加工人员；水上运输服务人员",
            "中级工（四级）、三级",
            "2026/3/1",
            "2029/2/28",
        ],
        [
            personas.org_haizhou.name,
            personas.org_haizhou.uscc,
            "用人单位",
            "6-18-02",
            "高级技师;特级技师;首席技师",
            datetime.date(2026, 1, 1),
            datetime.date(2030, 12, 31),
        ],
    ]


def test_filings_import_creates_submitted_filings_with_their_scope(tmp_path, personas, institutions):
    school, centre = institutions
    path = write_xlsx(
        tmp_path / "备案.xlsx",
        filing_rows(personas, school, centre),
        headers=FILING_HEADERS,
        title="2026年评价机构备案汇总表",
    )
    job = run(path, personas.city, kind="evaluation_institutions")
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert job.result["filings_created"] == 3
    centre_filing = Filing.objects.get(organisation=centre)
    assert centre_filing.status == FilingStatus.SUBMITTED
    assert centre_filing.submitted_by == personas.city
    assert set(centre_filing.occupations.values_list("code", flat=True)) == {"6-18-02", "4-02-03"}
    assert set(centre_filing.levels.values_list("code", flat=True)) == {"GRADE4", "GRADE3"}
    assert (centre_filing.valid_from, centre_filing.valid_to) == (
        datetime.date(2026, 3, 1),
        datetime.date(2029, 2, 28),
    )
    employer = Filing.objects.get(organisation=personas.org_haizhou)
    assert set(employer.levels.values_list("code", flat=True)) == {"GRADE1", "SPECIAL", "CHIEF"}
    assert AuditEntry.objects.filter(action="import.commit", object_id=str(job.pk)).count() == 1


def test_filings_import_twice_changes_nothing_and_resubmits_a_returned_one(tmp_path, personas, institutions):
    school, centre = institutions
    rows = filing_rows(personas, school, centre)
    path = write_csv(tmp_path / "f.csv", rows, headers=FILING_HEADERS)
    run(path, personas.city, kind="evaluation_institutions")
    again = run(path, personas.city, kind="evaluation_institutions")
    assert (again.result["filings_created"], again.result["filings_unchanged"]) == (0, 3)
    returned = Filing.objects.get(organisation=school)
    returned.status, returned.status_reason = FilingStatus.REJECTED, "职业范围过宽"
    returned.save()
    rows[0][3] = "6-18-02"
    third = run(
        write_csv(tmp_path / "g.csv", rows, headers=FILING_HEADERS),
        personas.city,
        kind="evaluation_institutions",
    )
    assert third.status == JobStatus.SUCCEEDED, third.message
    assert (third.result["filings_updated"], third.result["filings_unchanged"]) == (1, 2)
    returned.refresh_from_db()
    assert returned.status == FilingStatus.SUBMITTED
    assert list(returned.occupations.values_list("code", flat=True)) == ["6-18-02"]


def test_bad_filing_rows_are_listed_with_chinese_reasons_and_nothing_is_written(
    tmp_path, personas, institutions
):
    school, centre = institutions
    rows = filing_rows(personas, school, centre)
    bad = [
        ["未登记单位", "913207067JH4BXKFL3", "用人单位", "6-18-02", "技师", "2026-01-01", "2028-01-01"],
        [centre.name, centre.uscc, "评估公司", "6-18-02", "技师", "2026-01-01", "2028-01-01"],
        [centre.name, centre.uscc, "社会培训评价组织", "6-99-99", "技师", "2026-01-01", "2028-01-01"],
        [centre.name, centre.uscc, "院校", "6-18-02", "技师", "2026-01-01", "2028-01-01"],
        [
            personas.org_ganyu.name,
            personas.org_ganyu.uscc,
            "社会培训评价组织",
            "6-18-02",
            "特级技师",
            "2026-01-01",
            "2028-01-01",
        ],
        [
            personas.org_ganyu.name,
            personas.org_ganyu.uscc,
            "用人单位",
            "6",
            "技师",
            "2026-01-01",
            "2028-01-01",
        ],
        [
            personas.org_ganyu.name,
            personas.org_ganyu.uscc,
            "用人单位",
            "6-18-02",
            "技师",
            "2028-01-01",
            "2026-01-01",
        ],
        [school.name, school.uscc, "院校", "6-18-02", "技师", "2027-01-01", "2029-01-01"],
    ]
    path = write_csv(tmp_path / "f.csv", rows + bad, headers=FILING_HEADERS)
    job = run(path, personas.city, kind="evaluation_institutions")
    assert job.status == JobStatus.REJECTED
    assert job.result["rejected"] == len(bad)
    assert not Filing.objects.exists()
    reasons = {row[0]: row[-1] for row in error_rows(job)}
    assert "单位尚未登记" in reasons[5]
    assert "无法识别的机构类型" in reasons[6]
    assert "无法识别的职业“6-99-99”" in reasons[7]
    assert "院校类评价机构须为职业学校或技工学校" in reasons[8]
    assert "特级技师由企业自主评聘，只能由用人单位备案" in reasons[9]
    assert "是职业大类或中类" in reasons[10]
    assert "有效期止不能早于有效期起" in reasons[11]
    assert "与第2行同一单位同类型备案的有效期重叠" in reasons[12]


def test_an_approved_filing_cannot_be_changed_by_import(tmp_path, personas, institutions):
    school, _centre = institutions
    FilingFactory(
        organisation=school,
        institution_type="school",
        valid_from=datetime.date(2026, 1, 1),
        valid_to=datetime.date(2028, 12, 31),
        occupations=["6-18-02"],
        levels=["GRADE3"],
    )
    rows = [
        [school.name, school.uscc, "院校", "6-18-02;6-31-01", "高级工", "2026-01-01", "2028-12-31"],
        [school.name, school.uscc, "院校", "6-18-02", "技师", "2027-06-01", "2029-12-31"],
    ]
    job = run(
        write_csv(tmp_path / "f.csv", rows, headers=FILING_HEADERS),
        personas.city,
        kind="evaluation_institutions",
    )
    reasons = {row[0]: row[-1] for row in error_rows(job)}
    assert "该备案已审核（已备案），不能通过导入修改" in reasons[2]
    assert "有效期重叠" in reasons[3]
    assert Filing.objects.count() == 1


def test_organisation_operator_imports_only_its_own_filing(tmp_path, personas, institutions):
    school, centre = institutions
    rows = filing_rows(personas, school, centre)
    job = run(
        write_csv(tmp_path / "f.csv", rows, headers=FILING_HEADERS),
        personas.org_operator,
        kind="evaluation_institutions",
        mode=JobMode.VALID_ONLY,
    )
    assert job.result["rejected"] == 2
    assert all("只能为本单位备案" in row[-1] for row in error_rows(job))
    assert list(Filing.objects.values_list("organisation", flat=True)) == [personas.org_haizhou.pk]


def test_filings_import_from_the_command_line(tmp_path, personas, institutions):
    school, centre = institutions
    path = write_csv(tmp_path / "f.csv", filing_rows(personas, school, centre), headers=FILING_HEADERS)
    code, summary, _out = command("evaluation_institutions", str(path), "--as", "city")
    assert code == 0
    assert summary["filings_created"] == 3


# --- evaluation_results -----------------------------------------------------------------------


@pytest.fixture
def batch(personas):
    filing = FilingFactory(organisation=personas.org_haizhou)
    return BatchFactory(filing=filing)


def test_results_import_adds_candidates_and_records_results(tmp_path, personas, batch):
    staff = [PersonFactory(employer=personas.org_haizhou) for _ in range(3)]
    existing = CandidateFactory(batch=batch, person=staff[0])
    rows = [
        [batch.code, staff[0].id_number, staff[0].name, "合格", 91],
        [batch.code.lower(), staff[1].id_number, "", "不合格", "58.5"],
        [str(batch.pk), staff[2].id_number, staff[2].name, "", ""],
    ]
    job = run(
        write_xlsx(tmp_path / "r.xlsx", rows, headers=RESULT_HEADERS),
        personas.org_operator,
        kind="evaluation_results",
    )
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert (
        job.result["candidates_added"],
        job.result["results_updated"],
        job.result["candidates_unchanged"],
    ) == (2, 1, 0)
    existing.refresh_from_db()
    assert (existing.passed, existing.score) == (True, Decimal(91))
    second = Candidate.objects.get(batch=batch, person=staff[1])
    assert (second.passed, second.score) == (False, Decimal("58.5"))
    assert Candidate.objects.get(batch=batch, person=staff[2]).passed is None
    again = run(
        write_xlsx(tmp_path / "r2.xlsx", rows, headers=RESULT_HEADERS),
        personas.org_operator,
        kind="evaluation_results",
    )
    assert (
        again.result["candidates_added"],
        again.result["results_updated"],
        again.result["candidates_unchanged"],
    ) == (0, 0, 3)


def test_bad_result_rows_are_refused_with_chinese_reasons(tmp_path, personas, batch):
    ok = PersonFactory(employer=personas.org_haizhou)
    other_batch = BatchFactory(
        filing=FilingFactory(organisation=personas.org_ganyu, institution_type="social")
    )
    reported = BatchFactory(filing=batch.filing, status=BatchStatus.REPORTED)
    future = BatchFactory(filing=batch.filing, exam_date=days_ago(-10))
    unknown = make_resident_id(random.Random(5))
    rows = [
        [batch.code, ok.id_number, ok.name, "合格", 80],
        ["PC999999", ok.id_number, "", "合格", 80],
        [other_batch.code, ok.id_number, "", "合格", 80],
        ["第三批", ok.id_number, "", "合格", 80],
        [batch.code, "320706199001011234", "", "合格", 80],
        [batch.code, unknown, "", "合格", 80],
        [batch.code, personas.person_ganyu.id_number, "", "合格", 80],
        [reported.code, ok.id_number, "", "合格", 80],
        [future.code, ok.id_number, "", "合格", 80],
        [batch.code, PersonFactory(employer=personas.org_haizhou).id_number, "", "优秀", 80],
        [batch.code, PersonFactory(employer=personas.org_haizhou).id_number, "", "合格", 130],
        [batch.code, PersonFactory(employer=personas.org_haizhou).id_number, "张冒名", "合格", 80],
        [batch.code, ok.id_number, ok.name, "不合格", 10],
        [batch.code, PersonFactory(employer=personas.org_haizhou).id_number, "", "", 70],
    ]
    job = run(
        write_csv(tmp_path / "r.csv", rows, headers=RESULT_HEADERS),
        personas.org_operator,
        kind="evaluation_results",
    )
    assert job.status == JobStatus.REJECTED
    assert not Candidate.objects.exists()
    reasons = {row[0]: row[-1] for row in error_rows(job)}
    assert 2 not in reasons
    assert "批次不存在或不属于本机构" in reasons[3]
    assert "批次不存在或不属于本机构" in reasons[4]
    assert "批次编号应为 PC 加6位数字" in reasons[5]
    assert "身份证号" in reasons[6]
    assert "人才库中没有该身份证号的人员" in reasons[7]
    assert "用人单位评价只面向本单位职工" in reasons[8]
    assert "不能再导入" in reasons[9]
    assert "还没到" in reasons[10]
    assert "无法识别的考核结果" in reasons[11]
    assert "成绩应在0到100之间" in reasons[12]
    assert "姓名与人才库登记的不一致" in reasons[13]
    assert "与第2行是同一批次的同一考生" in reasons[14]
    assert "填写成绩时须同时填写考核结果" in reasons[15]
    assert personas.person_ganyu.name not in reasons[8]


def test_city_may_not_import_results(tmp_path, personas, batch):
    from django.core.exceptions import PermissionDenied

    path = write_csv(
        tmp_path / "r.csv",
        [[batch.code, personas.person_haizhou.id_number, "", "合格", 80]],
        headers=RESULT_HEADERS,
    )
    with pytest.raises(PermissionDenied):
        run(path, personas.city, kind="evaluation_results")


def test_import_page_offers_the_kinds_with_templates_and_chinese_result_labels(
    tmp_path, personas, login, institutions
):
    client = login(personas.city)
    page = client.get("/jobs/import/").content.decode()
    assert "评价机构备案模板" in page
    assert "认定批次考生与结果模板" not in page  # the city reviews results, it does not report them
    template = client.get("/jobs/import/template/evaluation_institutions/")
    assert template.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(template.streaming_content)))
    assert book.get_sheet_by_index(0).to_python()[0][:3] == ["机构名称", "统一社会信用代码", "机构类型"]
    school, centre = institutions
    path = write_csv(tmp_path / "f.csv", filing_rows(personas, school, centre), headers=FILING_HEADERS)
    job = run(path, personas.city, kind="evaluation_institutions")
    assert "新增备案" in client.get("/jobs/%d/" % job.pk).content.decode()
    org_page = login(personas.org_operator).get("/jobs/import/").content.decode()
    assert "认定批次考生与结果模板" in org_page
