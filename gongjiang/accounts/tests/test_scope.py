"""The one scope rule, seen from every URL: inside and outside each user's scope.

A region operator never sees another region's person, certificate or organisation, in lists,
details, forms, exports or actions; an organisation operator sees only its own staff; a talent
only itself. Outside the scope is 404, and the attempt is audited.
"""

import io

import pytest
from python_calamine import CalamineWorkbook

from gongjiang.accounts.models import AuditEntry
from gongjiang.talents.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

DETAIL_URLS = [
    ("/talents/persons/{person}/", "get"),
    ("/talents/persons/{person}/edit/", "get"),
    ("/talents/persons/{person}/reveal/", "post"),
    ("/talents/persons/{person}/certificates/add/", "post"),
    ("/talents/certificates/{certificate}/revoke/", "post"),
    ("/orgs/{org}/", "get"),
    ("/orgs/{org}/edit/", "get"),
]


def _fill(url, person, org):
    return url.format(person=person.pk, certificate=person.certificates.first().pk, org=org.pk)


@pytest.mark.parametrize(("url", "method"), DETAIL_URLS)
def test_region_operator_gets_404_outside_and_200_inside(personas, login, url, method):
    client = login(personas.haizhou)
    data = {"reason": "核对"} if method == "post" else None
    outside = getattr(client, method)(_fill(url, personas.person_ganyu, personas.org_ganyu), data)
    assert outside.status_code == 404
    assert "未找到" in outside.content.decode()
    inside = getattr(client, method)(_fill(url, personas.person_haizhou, personas.org_haizhou), data)
    assert inside.status_code in (200, 302, 422)


@pytest.mark.parametrize(("url", "method"), DETAIL_URLS)
def test_out_of_scope_attempt_is_audited(personas, login, url, method):
    client = login(personas.ganyu)
    before = AuditEntry.objects.filter(action="access.denied").count()
    getattr(client, method)(_fill(url, personas.person_haizhou, personas.org_haizhou), {"reason": "x"})
    entry = AuditEntry.objects.filter(action="access.denied").order_by("-id").first()
    assert AuditEntry.objects.filter(action="access.denied").count() == before + 1
    assert entry.username == "ganyu"
    assert entry.result == "denied"


LISTS = [
    ("/talents/persons/", "person"),
    ("/talents/certificates/", "person"),
    ("/orgs/", "org"),
]


def _names(personas, kind):
    if kind == "person":
        return personas.person_haizhou.name, personas.person_ganyu.name
    return personas.org_haizhou.name, personas.org_ganyu.name


def _export_text(response, fmt):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "csv":
        return body.decode("utf-8-sig")
    book = CalamineWorkbook.from_filelike(io.BytesIO(body))
    rows = book.get_sheet_by_index(0).to_python()
    return "\n".join(",".join(str(c) for c in row) for row in rows)


@pytest.mark.parametrize(("url", "kind"), LISTS)
@pytest.mark.parametrize("fmt", [None, "csv", "xlsx"])
def test_lists_and_exports_hold_only_the_region(personas, login, url, kind, fmt):
    client = login(personas.haizhou)
    response = client.get(url, {"export": fmt} if fmt else {})
    assert response.status_code == 200
    text = _export_text(response, fmt) if fmt else response.content.decode()
    inside, outside = _names(personas, kind)
    assert inside in text
    assert outside not in text


def test_search_by_full_id_outside_scope_finds_nothing(personas, login):
    client = login(personas.haizhou)
    response = client.post("/talents/persons/", {"q": personas.person_ganyu.id_number}, follow=True)
    assert personas.person_ganyu.name not in response.content.decode()
    response = client.post("/talents/persons/", {"q": personas.person_haizhou.id_number}, follow=True)
    assert personas.person_haizhou.name in response.content.decode()


def test_organisation_operator_sees_only_its_own_staff(personas, login):
    stranger = PersonFactory(name="同区他单位", region_id="320706")
    client = login(personas.org_operator)
    text = client.get("/talents/persons/").content.decode()
    assert personas.person_haizhou.name in text
    assert stranger.name not in text
    assert personas.person_ganyu.name not in text
    assert client.get(f"/talents/persons/{stranger.pk}/").status_code == 404
    assert client.get(f"/orgs/{personas.org_ganyu.pk}/").status_code == 404
    assert client.get(f"/orgs/{personas.org_haizhou.pk}/").status_code == 200


def test_talent_sees_only_self(personas, login):
    client = login(personas.talent)
    assert client.get(f"/talents/persons/{personas.person_haizhou.pk}/").status_code == 200
    assert client.get(f"/talents/persons/{personas.person_ganyu.pk}/").status_code == 404
    text = client.get("/talents/persons/").content.decode()
    assert personas.person_ganyu.name not in text


def test_dropdowns_offer_only_in_scope_choices(personas, login):
    client = login(personas.haizhou)
    form = client.get("/talents/persons/new/").context["form"]
    assert list(form.fields["region"].queryset.values_list("code", flat=True)) == ["320706"]
    employers = set(form.fields["employer"].queryset.values_list("pk", flat=True))
    assert personas.org_haizhou.pk in employers
    assert personas.org_ganyu.pk not in employers


def test_region_operator_cannot_create_a_person_in_another_region(personas, login):
    client = login(personas.haizhou)
    response = client.post(
        "/talents/persons/new/",
        {"name": "越权", "id_number": "320707199001011239", "region": "320707"},
    )
    assert response.status_code == 200
    assert "region" in response.context["form"].errors
