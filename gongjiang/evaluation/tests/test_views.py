"""The evaluation pages as users drive them: scope inside and outside, filters, exports, forms
with Chinese messages, workflow buttons, and query counts that do not grow with the rows."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from python_calamine import CalamineWorkbook

from gongjiang.accounts.models import AuditEntry
from gongjiang.evaluation.choices import BatchStatus, FilingStatus, InstitutionType
from gongjiang.evaluation.models import Batch, Filing
from gongjiang.evaluation.tests.factories import (
    AppointmentFactory,
    BatchFactory,
    CandidateFactory,
    FilingFactory,
    days_ago,
)
from gongjiang.talents.models import Certificate
from gongjiang.talents.tests.factories import CertificateFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    """One institution in 海州 (the org operator's) and one in 赣榆, each with a batch, a candidate
    and an appointment."""
    inside = FilingFactory(organisation=personas.org_haizhou, levels=["GRADE2", "GRADE1", "SPECIAL"])
    outside = FilingFactory(organisation=personas.org_ganyu, institution_type=InstitutionType.SOCIAL)
    batch_in = BatchFactory(filing=inside, name="海州焊工技师认定")
    batch_out = BatchFactory(filing=outside, name="赣榆焊工技师认定", status=BatchStatus.REPORTED)
    cand_in = CandidateFactory(batch=batch_in, person=personas.person_haizhou)
    cand_out = CandidateFactory(batch=batch_out, person=personas.person_ganyu, passed=True)
    appointment_in = AppointmentFactory(filing=inside, person=personas.person_haizhou)
    appointment_out = AppointmentFactory(
        filing=FilingFactory(
            organisation=personas.org_ganyu,
            levels=["SPECIAL"],
            valid_from=days_ago(2000),
            valid_to=days_ago(1500),
        ),
        person=personas.person_ganyu,
    )
    return {
        "filing": (inside, outside),
        "batch": (batch_in, batch_out),
        "candidate": (cand_in, cand_out),
        "appointment": (appointment_in, appointment_out),
    }


DETAILS = [
    ("/evaluation/filings/{filing}/", "get"),
    ("/evaluation/filings/{filing}/edit/", "get"),
    ("/evaluation/batches/{batch}/", "get"),
    ("/evaluation/appointments/{appointment}/", "get"),
]


def _url(template, world, side):
    return template.format(**{k: v[side].pk for k, v in world.items()})


@pytest.mark.parametrize(("template", "method"), DETAILS)
def test_region_operator_opens_own_region_and_gets_404_with_audit_outside(
    personas, world, login, template, method
):
    client = login(personas.haizhou)
    before = AuditEntry.objects.filter(action="access.denied").count()
    outside = client.get(_url(template, world, 1))
    assert outside.status_code == 404
    assert AuditEntry.objects.filter(action="access.denied", username="haizhou").count() == before + 1
    if "edit" not in template:  # counties read, they do not edit
        inside = client.get(_url(template, world, 0))
        assert inside.status_code == 200


@pytest.mark.parametrize(("template", "method"), DETAILS)
def test_organisation_sees_only_its_own(personas, world, login, template, method):
    client = login(personas.org_operator)
    assert client.get(_url(template, world, 1)).status_code == 404
    assert client.get(_url(template, world, 0)).status_code == 200


LISTS = [
    ("/evaluation/filings/", "海州测试机械有限公司", "赣榆测试港务有限公司"),
    ("/evaluation/batches/", "海州焊工技师认定", "赣榆焊工技师认定"),
    ("/evaluation/candidates/", "海州人员", "赣榆人员"),
    ("/evaluation/appointments/", "海州人员", "赣榆人员"),
]


def _export_text(response, fmt):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "csv":
        return body.decode("utf-8-sig")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(body)).get_sheet_by_index(0).to_python()
    return "\n".join(",".join(str(c) for c in row) for row in rows)


@pytest.mark.parametrize(("url", "inside", "outside"), LISTS)
@pytest.mark.parametrize("who", ["haizhou", "org_operator"])
@pytest.mark.parametrize("fmt", [None, "csv", "xlsx"])
def test_lists_and_exports_hold_only_the_scope(personas, world, login, url, inside, outside, who, fmt):
    client = login(getattr(personas, who))
    response = client.get(url, {"export": fmt} if fmt else {})
    assert response.status_code == 200
    text = _export_text(response, fmt) if fmt else response.content.decode()
    assert inside in text
    assert outside not in text
    if fmt:
        assert AuditEntry.objects.filter(action="export", username=getattr(personas, who).username).exists()


def test_city_sees_every_institution(personas, world, login):
    text = login(personas.city).get("/evaluation/filings/").content.decode()
    assert "海州测试机械有限公司" in text and "赣榆测试港务有限公司" in text


def test_candidate_export_masks_id_numbers(personas, world, login):
    response = login(personas.city).get("/evaluation/candidates/", {"export": "csv"})
    text = _export_text(response, "csv")
    assert personas.person_haizhou.id_number not in text
    assert personas.person_haizhou.id_masked in text


@pytest.mark.parametrize("url", [row[0] for row in LISTS])
def test_department_and_talent_have_no_evaluation_pages(personas, login, url):
    assert login(personas.department).get(url).status_code == 403
    assert login(personas.talent).get(url).status_code == 403


def _names(response):
    return {str(row.record) for row in response.context["table"].paginated_rows}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "reported"}, {"赣榆焊工技师认定"}),
        ({"institution": "海州测试"}, {"海州焊工技师认定"}),
        ({"region": "320707"}, {"赣榆焊工技师认定"}),
        ({"level": "GRADE2"}, {"海州焊工技师认定", "赣榆焊工技师认定"}),
    ],
)
def test_batch_filters(personas, world, login, params, expected):
    response = login(personas.city).get("/evaluation/batches/", params)
    assert {n.split(" ", 1)[1] for n in _names(response)} == expected


def test_batch_search_by_code(personas, world, login):
    batch = world["batch"][1]
    response = login(personas.city).get("/evaluation/batches/", {"q": batch.code})
    assert _names(response) == {str(batch)}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"institution_type": "social"}, {"赣榆测试港务有限公司"}),
        ({"level": "GRADE3"}, {"赣榆测试港务有限公司"}),
        ({"level": "SPECIAL", "in_force": "true"}, {"海州测试机械有限公司"}),
        ({"in_force": "true"}, {"海州测试机械有限公司", "赣榆测试港务有限公司"}),
        ({"in_force": "false"}, {"赣榆测试港务有限公司"}),
        ({"q": "赣榆测试"}, {"赣榆测试港务有限公司"}),
    ],
)
def test_filing_filters(personas, world, login, params, expected):
    response = login(personas.city).get("/evaluation/filings/", params)
    assert {str(r.record.organisation) for r in response.context["table"].paginated_rows} == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"result": "pass"}, {"赣榆人员"}),
        ({"result": "none"}, {"海州人员"}),
        ({"q": "赣榆"}, {"赣榆人员"}),
        ({"batch_status": "planned"}, {"海州人员"}),
    ],
)
def test_candidate_filters(personas, world, login, params, expected):
    response = login(personas.city).get("/evaluation/candidates/", params)
    assert {r.record.person.name for r in response.context["table"].paginated_rows} == expected


def test_candidate_search_by_full_id_number(personas, world, login):
    client = login(personas.city)
    response = client.post("/evaluation/candidates/", {"q": personas.person_ganyu.id_number}, follow=True)
    assert {r.record.person.name for r in response.context["table"].paginated_rows} == {"赣榆人员"}


@pytest.mark.parametrize(
    ("url", "factory"),
    [
        (
            "/evaluation/filings/",
            lambda p, i: FilingFactory(
                organisation=p.org_haizhou,
                institution_type="social" if i % 2 else "school",
                status="withdrawn",
            ),
        ),
        (
            "/evaluation/batches/",
            lambda p, i: CandidateFactory(
                batch=BatchFactory(filing=FilingFactory(organisation=p.org_haizhou, status="withdrawn"))
            ),
        ),
        (
            "/evaluation/candidates/",
            lambda p, i: CandidateFactory(
                batch=BatchFactory(filing=FilingFactory(organisation=p.org_haizhou, status="withdrawn"))
            ),
        ),
        (
            "/evaluation/appointments/",
            lambda p, i: AppointmentFactory(
                filing=FilingFactory(organisation=p.org_haizhou, status="withdrawn")
            ),
        ),
    ],
)
def test_list_queries_do_not_grow_with_rows(personas, login, url, factory):
    client = login(personas.city)
    factory(personas, 0)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(1, 8):
        factory(personas, i)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["table"].paginated_rows) >= 8
    assert len(many) == len(few)


# --- forms and workflow buttons -------------------------------------------------------------


def test_city_files_for_an_organisation_by_credit_code(personas, login):
    client = login(personas.city)
    response = client.post(
        "/evaluation/filings/new/",
        {
            "uscc": personas.org_ganyu.uscc,
            "institution_type": "social",
            "occupations": ["6-18-02"],
            "levels": ["GRADE3", "GRADE2"],
            "valid_from": "2026-01-01",
            "valid_to": "2028-12-31",
        },
    )
    filing = Filing.objects.get()
    assert response.status_code == 302
    assert response["Location"] == "/evaluation/filings/%d/" % filing.pk
    assert (filing.organisation, filing.status) == (personas.org_ganyu, FilingStatus.SUBMITTED)


def test_filing_form_shows_chinese_errors_at_their_fields(personas, login):
    client = login(personas.city)
    response = client.post(
        "/evaluation/filings/new/",
        {
            "uscc": "91320706MA1XXXXXX0",
            "institution_type": "social",
            "levels": ["GRADE3", "SPECIAL"],
            "valid_from": "2026-06-01",
            "valid_to": "2026-01-01",
        },
    )
    form = response.context["form"]
    assert "统一社会信用代码" in form.errors["uscc"][0]
    assert "有效期止不能早于有效期起" in form.errors["valid_to"][0]
    assert form.errors["occupations"]
    assert not Filing.objects.exists()
    response = client.post(
        "/evaluation/filings/new/",
        {
            "uscc": personas.org_ganyu.uscc,
            "institution_type": "social",
            "occupations": ["6-18-02"],
            "levels": ["GRADE3", "SPECIAL"],
            "valid_from": "2026-01-01",
            "valid_to": "2027-01-01",
        },
    )
    assert "特级技师由企业自主评聘，只能由用人单位备案" in response.context["form"].errors["levels"][0]
    assert "特级技师由企业自主评聘" in response.content.decode()


def test_org_operator_files_without_naming_the_organisation(personas, login):
    client = login(personas.org_operator)
    page = client.get("/evaluation/filings/new/")
    assert "uscc" not in page.context["form"].fields
    client.post(
        "/evaluation/filings/new/",
        {
            "institution_type": "employer",
            "occupations": ["6-18-02"],
            "levels": ["GRADE2"],
            "valid_from": "2026-01-01",
            "valid_to": "2028-01-01",
        },
    )
    assert Filing.objects.get().organisation == personas.org_haizhou


def test_batch_form_refuses_an_occupation_outside_the_filing_at_the_field(personas, login):
    FilingFactory(organisation=personas.org_haizhou)
    response = login(personas.org_operator).post(
        "/evaluation/batches/new/",
        {"name": "维修工认定", "occupation": "6-31-01", "level": "GRADE2", "exam_date": "2026-12-20"},
    )
    assert "不在本机构备案的评价范围内" in response.context["form"].errors["occupation"][0]
    assert not Batch.objects.exists()


def test_candidate_added_by_id_number_on_the_batch_page(personas, world, login):
    batch = world["batch"][0]
    other = PersonFactory(employer=personas.org_haizhou, name="新考生")
    client = login(personas.org_operator)
    response = client.post(
        "/evaluation/batches/%d/candidates/add/" % batch.pk, {"id_number": other.id_number}
    )
    assert response.status_code == 302
    assert batch.candidates.filter(person=other).exists()
    response = client.post("/evaluation/batches/%d/candidates/add/" % batch.pk, {"id_number": "123"})
    assert response.status_code == 422
    assert "身份证号应为18位" in response.content.decode()


def test_results_page_records_and_reports(personas, world, login):
    batch = world["batch"][0]
    candidate = world["candidate"][0]
    client = login(personas.org_operator)
    response = client.post(
        "/evaluation/batches/%d/results/" % batch.pk,
        {"result_%d" % candidate.pk: "pass", "score_%d" % candidate.pk: "101"},
    )
    assert response.status_code == 422
    assert "成绩应在0到100之间" in response.content.decode()
    client.post(
        "/evaluation/batches/%d/results/" % batch.pk,
        {"result_%d" % candidate.pk: "pass", "score_%d" % candidate.pk: "86"},
    )
    candidate.refresh_from_db()
    assert (candidate.passed, candidate.score) == (True, Decimal(86))
    response = client.post("/evaluation/batches/%d/report/" % batch.pk, follow=True)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.REPORTED
    assert "结果已上报" in response.content.decode()


def test_illegal_button_press_shows_the_refusal_and_changes_nothing(personas, world, login):
    batch = world["batch"][0]  # planned
    response = login(personas.city).post("/evaluation/batches/%d/publish/" % batch.pk, follow=True)
    assert "只有已上报的结果可以公布发证（当前状态：计划中）" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PLANNED


def test_workflow_buttons_follow_state_and_role(personas, world, login):
    batch = world["batch"][1]  # reported, 赣榆
    city = login(personas.city).get("/evaluation/batches/%d/" % batch.pk)
    assert [m["action"] for m in city.context["moves"]] == ["return", "publish"]
    ganyu = world["filing"][1]
    page = login(personas.city).get("/evaluation/filings/%d/" % ganyu.pk)
    assert [m["action"] for m in page.context["moves"]] == ["suspend", "withdraw"]


def test_city_publishes_from_the_page_and_the_certificate_appears_on_the_profile(personas, world, login):
    batch = world["batch"][1]
    client = login(personas.city)
    client.post("/evaluation/batches/%d/publish/" % batch.pk)
    certificate = Certificate.objects.get(source="evaluation")
    profile = client.get("/talents/persons/%d/" % personas.person_ganyu.pk).content.decode()
    assert certificate.number in profile


def test_unknown_workflow_action_is_404(personas, world, login):
    batch = world["batch"][0]
    assert login(personas.city).post("/evaluation/batches/%d/delete/" % batch.pk).status_code == 404


def test_appointment_form_shows_the_prerequisite_refusal(personas, login):
    FilingFactory(organisation=personas.org_haizhou, levels=["GRADE1", "SPECIAL"])
    person = PersonFactory(employer=personas.org_haizhou)
    CertificateFactory(person=person, level_id="GRADE2")
    response = login(personas.org_operator).post(
        "/evaluation/appointments/new/",
        {
            "id_number": person.id_number,
            "level": "SPECIAL",
            "occupation": "6-18-02",
            "appointed_on": "2026-10-01",
        },
    )
    errors = response.context["form"].errors["id_number"][0]
    assert "聘任特级技师须持有有效的高级技师（或更高等级）证书" in errors


def test_city_records_an_appointment_from_its_page(personas, world, login):
    appointment = world["appointment"][0]
    CertificateFactory(person=appointment.person, level_id="GRADE1", issue_date=datetime.date(2018, 1, 1))
    response = login(personas.city).post("/evaluation/appointments/%d/confirm/" % appointment.pk, follow=True)
    appointment.refresh_from_db()
    assert appointment.certificate.level_id == "SPECIAL"
    assert appointment.certificate.number in response.content.decode()
