"""Loading the ten measures from the policy text: every department the text names, no other."""

import pytest

from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Organisation
from gongjiang.plan.choices import ResponsibilityRole
from gongjiang.plan.models import Measure, Responsibility
from gongjiang.plan.policytext import POLICY_FILE, parse_measures
from gongjiang.plan.services import measures_load

pytestmark = pytest.mark.django_db

# Written out from the policy text by hand (not read from it): the 25 departments it names.
NAMED = {
    "市委办",
    "市委组织部",
    "市发改委",
    "市教育局",
    "市科技局",
    "市工信局",
    "市公安局",
    "市民政局",
    "市财政局",
    "市人社局",
    "市住建局",
    "市交通局",
    "市农业农村局",
    "市商务局",
    "市文广旅局",
    "市卫健委",
    "市退役军人局",
    "市应急管理局",
    "市国资委",
    "市医保局",
    "市总工会",
    "团市委",
    "市妇联",
    "市残联",
    "市工商联",
}
LEADS = {1: "市发改委", 2: "市教育局", 3: "市人社局", 4: "市人社局", 5: "市人社局",
         6: "市人社局", 7: "市人社局", 8: "市委办", 9: "市委组织部", 10: "市人社局"}  # fmt: skip


def test_loading_gives_every_department_named_in_the_text_and_no_other(personas):
    counts = measures_load(actor=personas.city)
    assert counts["measures"] == 10
    assert set(Responsibility.objects.values_list("named_as", flat=True)) == NAMED
    departments = Organisation.objects.filter(kind=OrgKind.DEPARTMENT)
    # the persona's 连云港市教育局 is reused, not duplicated; the counties are not departments
    assert departments.count() == len(NAMED)
    assert departments.filter(name="连云港市教育局").count() == 1
    assert not Responsibility.objects.filter(named_as__contains="县区").exists()
    assert not Responsibility.objects.filter(named_as__contains="管委会").exists()


def test_first_named_department_leads_each_measure(personas):
    measures_load(actor=personas.city)
    leads = dict(
        Responsibility.objects.filter(role=ResponsibilityRole.LEAD).values_list("measure_id", "named_as")
    )
    assert leads == LEADS
    assert Responsibility.objects.filter(measure_id=10).count() == 19
    assert Responsibility.objects.filter(measure_id=2).count() == 3


def test_measures_that_name_the_counties_are_marked():
    assert set(Measure.objects.filter(counties=True).values_list("number", flat=True)) == {1, 2}
    assert Measure.objects.get(number=2).title == "强化院校技能人才培养基础作用"


def test_reloading_keeps_a_lead_the_city_changed_and_adds_nothing(personas):
    from gongjiang.plan.services import responsibility_lead_set

    measures_load(actor=personas.city)
    hrss = Responsibility.objects.get(measure_id=2, named_as="市人社局")
    responsibility_lead_set(actor=personas.city, responsibility=hrss)
    before = Responsibility.objects.count(), Organisation.objects.count()
    measures_load(actor=personas.city)
    assert (Responsibility.objects.count(), Organisation.objects.count()) == before
    assert Responsibility.objects.get(measure_id=2, role=ResponsibilityRole.LEAD).named_as == "市人社局"


def test_a_text_without_ten_measures_is_refused(personas):
    from django.core.exceptions import ValidationError

    text = POLICY_FILE.read_text(encoding="utf-8").replace("十、健全", "健全")
    assert len(parse_measures(text)) == 9
    with pytest.raises(ValidationError):
        measures_load(actor=personas.city, text=text)


def test_city_changes_a_lead_in_reference_data_and_a_measure_keeps_one_lead(client, personas):
    from django.db import IntegrityError, transaction

    measures_load(actor=personas.city)
    hrss = Responsibility.objects.get(measure_id=2, named_as="市人社局")
    client.force_login(personas.city)
    response = client.post(
        "/refdata/plan/responsibility/", {"action": "make_lead", "_selected_action": [hrss.pk]}
    )
    assert response.status_code == 302
    assert list(
        Responsibility.objects.filter(measure_id=2, role="lead").values_list("named_as", flat=True)
    ) == ["市人社局"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Responsibility.objects.filter(measure_id=2, named_as="市教育局").update(role="lead")
