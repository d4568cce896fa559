"""Organisations: credit-code validation, uniqueness, filters, detail with its people."""

import random
import re

import pytest

from gongjiang.accounts.models import AuditEntry
from gongjiang.common.demo import make_uscc
from gongjiang.orgs.models import Organisation
from gongjiang.orgs.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "name": "连云港新材料有限公司",
        "uscc": make_uscc(random.Random(99)),
        "kind": "enterprise",
        "region": "320706",
    }
    data.update(overrides)
    return data


def test_create_organisation_normalises_code_and_audits(personas, login):
    data = form_data()
    response = login(personas.city).post("/orgs/new/", {**data, "uscc": " " + data["uscc"].lower() + " "})
    org = Organisation.objects.get(name="连云港新材料有限公司")
    assert response.status_code == 302
    assert org.uscc == data["uscc"]
    assert AuditEntry.objects.filter(action="organisation.create", object_id=str(org.pk)).exists()


def test_bad_and_duplicate_credit_codes_refused_in_chinese(personas, login):
    client = login(personas.city)
    bad = client.post("/orgs/new/", form_data(uscc="91320706MA1MJ7L070"))
    assert "校验不通过" in bad.context["form"].errors["uscc"][0]
    dup = client.post("/orgs/new/", form_data(uscc=personas.org_haizhou.uscc))
    assert dup.context["form"].errors["uscc"]
    assert Organisation.objects.filter(name="连云港新材料有限公司").count() == 0


def test_filters_by_flags_kind_and_search(personas, login):
    OrganisationFactory(name="链主甲", is_chain_leader=True)
    OrganisationFactory(name="专精特新乙", is_specialised=True, kind="enterprise")
    OrganisationFactory(name="技工学校丙", kind="technical_school")
    client = login(personas.city)

    def names(params):
        return {row.record.name for row in client.get("/orgs/", params).context["table"].paginated_rows}

    assert names({"is_chain_leader": "true"}) == {"链主甲"}
    assert names({"is_specialised": "true"}) == {"专精特新乙"}
    assert names({"kind": "technical_school"}) == {"技工学校丙"}
    assert names({"q": personas.org_ganyu.uscc}) == {personas.org_ganyu.name}
    assert names({"q": "专精"}) == {"专精特新乙"}


def test_detail_lists_its_people_within_scope(personas, login):
    client = login(personas.city)
    page = client.get(f"/orgs/{personas.org_haizhou.pk}/").content.decode()
    fragment = re.search(r'hx-get="([^"]+)"[^>]*data-testid="staff"', page).group(1)  # loaded by the page
    text = client.get(fragment).content.decode()
    assert personas.person_haizhou.name in text
    assert personas.person_ganyu.name not in text


def test_region_operator_edit_cannot_move_org_out_of_region(personas, login):
    client = login(personas.haizhou)
    org = personas.org_haizhou
    response = client.post(f"/orgs/{org.pk}/edit/", form_data(name=org.name, uscc=org.uscc, region="320707"))
    assert response.status_code == 200
    org.refresh_from_db()
    assert org.region_id == "320706"
