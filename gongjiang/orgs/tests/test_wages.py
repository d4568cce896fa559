"""Enterprises' wage reports (措施七): growth and compliance against the previous year's report,
the plausibility checks in the form and in the import, scope, inspection samples, and the
dashboard's 技能人才工资增幅 figure held to a recomputation from the report rows."""

import datetime
import json
import random
from io import StringIO

import pytest
from django.core.management import call_command
from python_calamine import CalamineWorkbook

from gongjiang.accounts.models import AuditEntry
from gongjiang.accounts.scope import SYSTEM
from gongjiang.jobs import files
from gongjiang.jobs.choices import JobStatus
from gongjiang.jobs.tests.helpers import run, write_csv, write_xlsx
from gongjiang.orgs import wages
from gongjiang.orgs.models import WageReport, WageSample
from gongjiang.orgs.selectors import wage_compliance, wage_growth_compliance, wage_report_list
from gongjiang.orgs.services import wage_sample_draw
from gongjiang.orgs.tests.factories import OrganisationFactory, wage_report

pytestmark = pytest.mark.django_db

ON = datetime.date(2026, 6, 30)


def statuses(year: int) -> dict[str, object]:
    """Enterprise name → complies (True / False / None = not judged) of ``year``'s reports."""
    return {r.organisation.name: r.complies for r in wage_report_list(user=SYSTEM).filter(year=year)}


@pytest.fixture
def crafted(personas):
    """Six 海州 / 赣榆 enterprises with 2024 and 2025 reports crafted to each case."""
    make = OrganisationFactory
    equal = make(name="增幅相同", region_id="320706")  # both +5%: not below, complies
    short = make(name="技能增幅低", region_id="320706", is_state_owned=True)  # +3% < +5%
    ahead = make(name="技能增幅高", region_id="320707", is_state_owned=True)  # +10% > +2%
    first = make(name="首次报送", region_id="320707")  # no 2024 report: not judged
    nobody = make(name="上年无技能人才", region_id="320707")  # no skilled workers in 2024: not judged
    fell = make(name="工资下降", region_id="320707")  # staff −2%, skilled −1%: complies
    wage_report(equal, 2024, staff=80000, skilled=70000)
    wage_report(equal, 2025, staff=84000, skilled=73500)
    wage_report(short, 2024, staff=100000, skilled=90000)
    wage_report(short, 2025, staff=105000, skilled=92700)
    wage_report(ahead, 2024, staff=60000, skilled=50000)
    wage_report(ahead, 2025, staff=61200, skilled=55000)
    wage_report(first, 2025, staff=70000, skilled=65000)
    wage_report(nobody, 2024, staff=50000, skilled=0, skilled_n=0, high_skilled_count=0)
    wage_report(nobody, 2025, staff=52000, skilled=56000)
    wage_report(fell, 2024, staff=100000, skilled=80000)
    wage_report(fell, 2025, staff=98000, skilled=79200)
    return {"equal": equal, "short": short, "ahead": ahead, "first": first, "nobody": nobody, "fell": fell}


def test_growth_and_compliance_on_crafted_reports(crafted):
    assert statuses(2025) == {
        "增幅相同": True,
        "技能增幅低": False,
        "技能增幅高": True,
        "首次报送": None,
        "上年无技能人才": None,
        "工资下降": True,
    }
    # The first year of every enterprise is never judged.
    assert set(statuses(2024).values()) == {None}
    assert wages.growth(73500, 70000) == pytest.approx(0.05)
    assert wages.growth(56000, None) is None
    assert wages.growth(56000, 0) is None


def test_compliance_counts_state_owned_enterprises_separately(crafted):
    summary = wage_compliance(user=SYSTEM, year=2025)
    assert summary["total"] == {
        "reported": 6,
        "judged": 4,
        "complying": 3,
        "annuity": 0,
        "short": 1,
        "not_judged": 2,
        "share": 0.75,
    }
    assert (summary["state_owned"]["judged"], summary["state_owned"]["complying"]) == (2, 1)
    assert summary["state_owned"]["share"] == 0.5
    assert (summary["other"]["judged"], summary["other"]["complying"], summary["other"]["share"]) == (
        2,
        2,
        1.0,
    )


def test_dashboard_figure_equals_a_recomputation_from_the_report_rows(crafted):
    def recomputed(region=None):
        rows = {(r.organisation_id, r.year): r for r in WageReport.objects.select_related("organisation")}
        judged = complying = 0
        for (org, year), r in rows.items():
            prev = rows.get((org, year - 1))
            if year != 2025 or (region and r.organisation.region_id != region):
                continue
            if prev is None or not (
                r.skilled_count and prev.skilled_count and r.staff_count and prev.staff_count
            ):
                continue
            judged += 1
            complying += r.skilled_avg_wage / prev.skilled_avg_wage >= r.staff_avg_wage / prev.staff_avg_wage
        return complying / judged

    city = wage_growth_compliance(on=ON, region=None)
    assert city["year"] == 2025
    assert city["value"] == pytest.approx(recomputed()) == 0.75
    assert (city["judged"], city["complying"], city["short"]) == (4, 3, 1)
    ganyu = wage_growth_compliance(on=ON, region="320707")
    assert ganyu["value"] == pytest.approx(recomputed("320707")) == 1.0
    assert ganyu["judged"] == 2
    # Before any year has two reports to compare there is no figure, and it is not made up.
    assert wage_growth_compliance(on=datetime.date(2024, 12, 31), region=None)["value"] is None


def test_indicators_json_carries_the_wage_growth_figure(crafted):
    out = StringIO()
    call_command("indicators", "--json", "--on", ON.isoformat(), stdout=out)
    entry = json.loads(out.getvalue().strip().splitlines()[-1])["wage_growth"]
    assert entry["available"] is True
    assert entry["value"] == 0.75
    assert (entry["year"], entry["judged"], entry["complying"], entry["short"]) == (2025, 4, 3, 1)
    assert entry["state_owned_share"] == 0.5


def test_dashboard_drill_down_lists_exactly_the_judged_enterprises(crafted, personas, login):
    client = login(personas.city)
    url = wage_growth_compliance(on=ON, region=None)["url"]
    names = {row.record.organisation.name for row in client.get(url).context["table"].paginated_rows}
    assert names == {"增幅相同", "技能增幅低", "技能增幅高", "工资下降"}
    short = wage_growth_compliance(on=ON, region=None)["short_url"]
    assert [r.record.organisation.name for r in client.get(short).context["table"].paginated_rows] == [
        "技能增幅低"
    ]


def test_a_county_sees_only_its_region_and_an_enterprise_only_its_own(crafted, personas, login):
    def names(user, params=None):
        rows = login(user).get("/orgs/wages/", params or {}).context["table"].paginated_rows
        return {row.record.organisation.name for row in rows}

    assert names(personas.ganyu) == {"技能增幅高", "首次报送", "上年无技能人才", "工资下降"}
    assert names(personas.haizhou) == {"增幅相同", "技能增幅低"}
    own = wage_report(personas.org_haizhou, 2025, staff=70000, skilled=72000)
    assert names(personas.org_operator) == {personas.org_haizhou.name}
    other = WageReport.objects.get(organisation=crafted["ahead"], year=2025)
    assert login(personas.haizhou).get(f"/orgs/wages/{other.pk}/").status_code == 404
    assert login(personas.org_operator).get(f"/orgs/wages/{other.pk}/").status_code == 404
    assert login(personas.org_operator).get(f"/orgs/wages/{own.pk}/").status_code == 200
    assert AuditEntry.objects.filter(action="access.denied", object_id=str(other.pk)).count() == 2


def form_data(organisation, **overrides):
    data = {
        "organisation": organisation.pk,
        "year": "2025",
        "staff_count": "120",
        "staff_avg_wage": "76000",
        "skilled_count": "80",
        "skilled_avg_wage": "78000",
        "high_skilled_count": "30",
        "high_skilled_avg_wage": "92000",
        "principal_count": "1",
        "principal_avg_wage": "150000",
        "senior_title_count": "",
        "senior_title_avg_wage": "",
        "has_annuity": "on",
    }
    data.update(overrides)
    return data


def test_an_organisation_files_its_own_report_and_cannot_file_for_another(personas, login):
    client = login(personas.org_operator)
    # Whatever enterprise is posted, an organisation user files for its own.
    response = client.post("/orgs/wages/new/", form_data(personas.org_ganyu))
    report = WageReport.objects.get()
    assert response.status_code == 302
    assert report.organisation == personas.org_haizhou
    assert (report.skilled_avg_wage, report.has_annuity, report.senior_title_count) == (78000, True, 0)
    assert AuditEntry.objects.filter(action="wagereport.create", object_id=str(report.pk)).exists()
    # Filing the same year again corrects the report, it does not add a second one.
    client.post("/orgs/wages/new/", form_data(personas.org_haizhou, skilled_avg_wage="79000"))
    assert WageReport.objects.get().skilled_avg_wage == 79000
    assert AuditEntry.objects.filter(action="wagereport.update", object_id=str(report.pk)).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "skilled_avg_wage",
            "20000",
            "技能人才人均年工资 20,000 元低于江苏省最低工资标准折合的年工资 24,120 元",
        ),
        ("high_skilled_count", "81", "高技能人才人数不能多于技能人才人数"),
        ("skilled_count", "121", "技能人才人数不能多于职工人数"),
        ("staff_count", "-5", "人数不能为负数"),
        ("staff_avg_wage", "-76000", "人均年工资不能为负数"),
        ("skilled_avg_wage", "", "已填技能人才人数，须填写其人均年工资"),
        ("principal_count", "31", "特级技师、首席技师人数不能多于高技能人才人数"),
    ],
)
def test_the_form_refuses_an_implausible_report_with_the_reason(personas, login, field, value, message):
    response = login(personas.city).post(
        "/orgs/wages/new/", form_data(personas.org_haizhou, **{field: value})
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in e for e in errors[field]), errors
    assert not WageReport.objects.exists()


def test_a_zero_headcount_has_no_average_and_is_not_judged(personas, login):
    client = login(personas.city)
    data = form_data(
        personas.org_haizhou,
        year="2024",
        skilled_count="0",
        skilled_avg_wage="",
        high_skilled_count="0",
        high_skilled_avg_wage="",
        principal_count="0",
        principal_avg_wage="",
    )
    assert client.post("/orgs/wages/new/", data).status_code == 302
    assert client.post("/orgs/wages/new/", form_data(personas.org_haizhou)).status_code == 302
    assert statuses(2025) == {personas.org_haizhou.name: None}
    # An average wage for a group of no one is refused rather than silently kept.
    bad = client.post("/orgs/wages/new/", {**data, "skilled_avg_wage": "50000"})
    assert "技能人才人数为 0，不应填写人均年工资" in bad.context["form"].errors["skilled_avg_wage"][0]


HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "年度",
    "职工人数",
    "职工人均年工资",
    "技能人才人数",
    "技能人才人均年工资",
    "高技能人才人数",
    "高技能人才人均年工资",
    "特级技师首席技师人数",
    "特级技师首席技师人均年工资",
    "正高级职称人员人数",
    "正高级职称人员人均年工资",
    "已建立企业年金",
]


def row(org, year=2025, **overrides):
    values = {
        "staff_count": 200,
        "staff_avg_wage": 81000,
        "skilled_count": 120,
        "skilled_avg_wage": 83000,
        "high_skilled_count": 40,
        "high_skilled_avg_wage": 99000,
    }
    values.update(overrides)
    return [
        org.uscc,
        org.name,
        str(year),
        values["staff_count"],
        values["staff_avg_wage"],
        values["skilled_count"],
        values["skilled_avg_wage"],
        values["high_skilled_count"],
        values["high_skilled_avg_wage"],
        "",
        "",
        "",
        "",
        "是",
    ]


def error_rows(job):
    with files.decrypted_copy(job.output_file, suffix=".xlsx") as path:
        return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[1:]


def test_import_files_and_replaces_reports_by_enterprise_and_year(tmp_path, personas):
    wage_report(personas.org_haizhou, 2024, staff=78000, skilled=79000)
    path = write_xlsx(
        tmp_path / "工资.xlsx",
        [row(personas.org_haizhou, 2024), row(personas.org_haizhou), row(personas.org_ganyu)],
        headers=HEADERS,
    )
    job = run(path, personas.city, kind="wage_reports")
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert (job.result["wage_reports_created"], job.result["wage_reports_updated"]) == (2, 1)
    assert WageReport.objects.get(organisation=personas.org_haizhou, year=2024).staff_avg_wage == 81000
    assert WageReport.objects.get(organisation=personas.org_ganyu, year=2025).has_annuity is True
    assert WageReport.objects.get(organisation=personas.org_ganyu, year=2025).submitted_by == personas.city


def test_import_refuses_implausible_rows_with_row_column_and_value(tmp_path, personas):
    org = personas.org_haizhou
    path = write_csv(
        tmp_path / "工资.csv",
        [
            row(org),
            row(org, 2024, staff_avg_wage=18000),
            row(personas.org_ganyu, high_skilled_count=130),
            row(personas.org_ganyu, 2024, skilled_count=201),
            row(personas.org_ganyu, 2023, staff_count=-3),
        ],
        headers=HEADERS,
    )
    job = run(path, personas.city, kind="wage_reports")
    assert job.status == JobStatus.REJECTED
    assert not WageReport.objects.exists()  # nothing half-written: the good first row neither
    # Each refusal names the row, the column and the value, then the reason.
    found = {int(r[0]): r[-1] for r in error_rows(job)}
    assert found[3].startswith(
        "职工人均年工资“18000”：职工人均年工资 18,000 元低于江苏省最低工资标准折合的年工资 24,120 元"
    )
    assert found[4] == "高技能人才人数“130”：高技能人才人数不能多于技能人才人数"
    assert found[5] == "技能人才人数“201”：技能人才人数不能多于职工人数"
    assert found[6].startswith("职工人数“") and "-3" in found[6]  # the report neutralises a leading minus
    assert found[6].endswith("”：人数不能为负数")
    assert set(found) == {3, 4, 5, 6}


def test_a_county_imports_only_its_own_enterprises(tmp_path, personas):
    path = write_csv(
        tmp_path / "工资.csv", [row(personas.org_haizhou), row(personas.org_ganyu)], headers=HEADERS
    )
    job = run(path, personas.haizhou, kind="wage_reports")
    assert job.status == JobStatus.REJECTED
    (refused,) = error_rows(job)
    assert (refused[0], refused[-1]) == (
        3,
        "统一社会信用代码“%s”：该企业不在您的数据范围内" % personas.org_ganyu.uscc,
    )


def test_a_sample_of_the_short_list_is_recorded_repeatable_and_audited(crafted, personas):
    more = [OrganisationFactory(name=f"未达标{i}", region_id="320706") for i in range(5)]
    for org in more:
        wage_report(org, 2024, staff=80000, skilled=80000)
        wage_report(org, 2025, staff=88000, skilled=80000)
    sample = wage_sample_draw(actor=personas.city, year=2025, size=3)
    population = sorted(
        WageReport.objects.filter(year=2025, organisation__in=[*more, crafted["short"]]).values_list(
            "pk", flat=True
        )
    )
    assert (sample.population, sample.size, sample.drawn_by) == (6, 3, personas.city)
    drawn = sorted(sample.reports.values_list("pk", flat=True))
    assert drawn == sorted(random.Random(sample.seed).sample(population, 3))
    entry = AuditEntry.objects.get(action="wagesample.draw", object_id=str(sample.pk))
    assert entry.changes["seed"] == sample.seed and entry.changes["reports"] == drawn
    # A county draws from its own enterprises only, and its sample says so.
    ganyu_short = wage_report(
        OrganisationFactory(name="赣榆未达标", region_id="320707"), 2024, staff=1e5, skilled=1e5
    )
    wage_report(ganyu_short.organisation, 2025, staff=110000, skilled=100000)
    county = wage_sample_draw(actor=personas.ganyu, year=2025, size=5)
    assert (county.region_id, county.population, county.size) == ("320707", 1, 1)
    assert set(county.reports.values_list("organisation__name", flat=True)) == {"赣榆未达标"}


def test_a_county_with_no_short_enterprise_is_told_so(crafted, personas, login):
    response = login(personas.ganyu).post(
        "/orgs/wages/samples/draw/", {"year": "2025", "size": "2"}, follow=True
    )
    assert "没有工资增幅未达标的企业" in response.content.decode()
    assert not WageSample.objects.exists()


def test_compliance_page_shows_the_short_list_and_state_owned_line(crafted, personas, login):
    page = login(personas.city).get("/orgs/wages/compliance/?year=2025").content.decode()
    assert "技能增幅低" in page
    assert 'data-testid="compliance-state_owned"' in page
    assert "50.0%" in page  # 国有企业: 1 of 2 comply
    assert 'data-testid="compliance-region-320707"' in page


def test_the_dashboard_card_shows_the_share_and_a_county_its_own(crafted, personas, login):
    city = login(personas.city).get("/stats/")
    card = city.context["board"].indicator("wage_growth")
    assert (card.value, card.parts["judged"], card.parts["complying"]) == (0.75, 4, 3)
    html = city.content.decode()
    assert 'data-testid="wage-short"' in html and "?year=2025&amp;judged=true" in html
    assert "未全部达标" in html  # the goal is every reporting enterprise
    ganyu = login(personas.ganyu).get("/stats/").context["board"].indicator("wage_growth")
    assert (ganyu.value, ganyu.parts["judged"], ganyu.parts["state_owned_judged"]) == (1.0, 2, 1)
    haizhou = login(personas.haizhou).get("/stats/").context["board"].indicator("wage_growth")
    assert (haizhou.value, haizhou.parts["judged"], haizhou.parts["short"]) == (0.5, 2, 1)


def test_a_county_exports_its_short_list_with_growth_as_numbers(crafted, personas, login):
    import io

    response = login(personas.haizhou).get(
        "/orgs/wages/", {"year": "2025", "complies": "false", "export": "xlsx"}
    )
    table = CalamineWorkbook.from_filelike(
        io.BytesIO(b"".join(response.streaming_content))
    ).get_sheet_by_index(0)
    header, *rows = table.to_python()
    assert len(rows) == 1
    record = dict(zip(header, rows[0], strict=True))
    assert record["企业"] == "技能增幅低" and record["国有"] == "是"
    assert (record["职工工资增幅"], record["技能人才工资增幅"], record["增幅达标"]) == (0.05, 0.03, "未达标")
    assert AuditEntry.objects.get(action="export", object_type="orgs.wagereport").changes["rows"] == 1


def test_the_import_command_takes_a_county_file(tmp_path, personas):
    from gongjiang.jobs.tests.helpers import command

    path = write_csv(tmp_path / "工资.csv", [row(personas.org_haizhou)], headers=HEADERS)
    code, summary, _out = command("wage_reports", str(path), "--as", "haizhou")
    assert code == 0, summary
    assert WageReport.objects.get().organisation == personas.org_haizhou


def test_the_list_reads_a_fixed_number_of_queries_however_many_reports(crafted, personas, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(personas.city)
    with CaptureQueriesContext(connection) as few:
        client.get("/orgs/wages/")
    for i in range(15):
        org = OrganisationFactory(name=f"更多企业{i}")
        wage_report(org, 2024, staff=80000, skilled=80000)
        wage_report(org, 2025, staff=84000, skilled=85000)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/orgs/wages/")
    assert response.context["total"] == 41
    assert len(many) == len(few)


def test_an_enterprise_page_links_to_its_wage_reports(crafted, personas, login):
    page = login(personas.haizhou).get(f"/orgs/{crafted['short'].pk}/").content.decode()
    assert f'href="/orgs/wages/?q={crafted["short"].uscc}" data-testid="wage-reports"' in page
    rows = (
        login(personas.haizhou)
        .get("/orgs/wages/", {"q": crafted["short"].uscc})
        .context["table"]
        .paginated_rows
    )
    assert [(r.record.organisation.name, r.record.year) for r in rows] == [
        ("技能增幅低", 2025),
        ("技能增幅低", 2024),
    ]


def test_only_an_enterprise_user_may_open_the_wage_form(personas, login):
    from gongjiang.accounts.tests.factories import UserFactory

    school = OrganisationFactory(name="测试技工学校", kind="technical_school")
    operator = UserFactory(username="school", role="org_operator", organisation=school)
    assert login(operator).get("/orgs/wages/new/").status_code == 403
    assert login(personas.org_operator).get("/orgs/wages/new/").status_code == 200


def test_a_county_corrects_a_report_but_not_its_enterprise_or_year(crafted, personas, login):
    report = WageReport.objects.get(organisation=crafted["short"], year=2025)
    data = form_data(crafted["ahead"], year="2024", skilled_avg_wage="95000", high_skilled_count="10")
    data.update(
        staff_avg_wage="105000", skilled_count="60", staff_count="100", high_skilled_avg_wage="100000"
    )
    response = login(personas.haizhou).post(f"/orgs/wages/{report.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    report.refresh_from_db()
    assert (report.organisation, report.year, report.skilled_avg_wage) == (crafted["short"], 2025, 95000)
    assert statuses(2025)["技能增幅低"] is True  # +5.6% ≥ +5%
    entry = AuditEntry.objects.get(action="wagereport.update", object_id=str(report.pk))
    assert "skilled_avg_wage" in entry.changes
    # Another county's report cannot be corrected, whatever is posted.
    other = WageReport.objects.get(organisation=crafted["ahead"], year=2025)
    assert login(personas.haizhou).post(f"/orgs/wages/{other.pk}/edit/", data).status_code == 404
