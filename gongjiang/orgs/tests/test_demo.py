"""The demo wage reports: plausible by the same checks as a filed report, deterministic, written
once, and leaving this year's report of the demo ``org`` enterprise for its user to file."""

import pytest

from gongjiang.core.validators import local_today
from gongjiang.orgs.demo import seed_wages
from gongjiang.orgs.models import WageReport
from gongjiang.orgs.selectors import minimum_annual_wage, wage_growth_compliance
from gongjiang.orgs.tests.factories import OrganisationFactory
from gongjiang.orgs.wages import report_problems

pytestmark = pytest.mark.django_db
FIELDS = [f.name for f in WageReport._meta.fields if f.name.endswith(("_count", "_wage"))]


def test_demo_reports_are_plausible_deterministic_and_leave_the_org_its_own_year(personas):
    for i in range(30):
        OrganisationFactory(name=f"演示企业{i}", is_state_owned=i % 5 == 0)
    written = seed_wages(own=personas.org_haizhou)
    year = local_today().year
    assert written == WageReport.objects.count() > 20
    assert set(WageReport.objects.values_list("year", flat=True)) == {year - 1, year}
    for report in WageReport.objects.all():
        values = {name: getattr(report, name) for name in FIELDS}
        assert report_problems(values, minimum=minimum_annual_wage(report.year)) == [], report
    assert list(
        WageReport.objects.filter(organisation=personas.org_haizhou).values_list("year", flat=True)
    ) == [year - 1]
    card = wage_growth_compliance(on=local_today(), region=None)
    assert card["year"] == year and 0 < card["value"] < 1 and card["state_owned_judged"] > 0
    # Run again, it writes nothing; from scratch, it writes the same figures.
    snapshot = sorted(WageReport.objects.values_list("organisation_id", "year", "skilled_avg_wage"))
    assert seed_wages(own=personas.org_haizhou) == 0
    WageReport.objects.all().delete()
    seed_wages(own=personas.org_haizhou)
    assert sorted(WageReport.objects.values_list("organisation_id", "year", "skilled_avg_wage")) == snapshot
