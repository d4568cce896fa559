"""The person list writes its rows out in a template (speed, docs/decisions/021); these tests hold
those rows to the PersonTable columns' own rendering and keep django-tables2's per-cell rendering
off the page."""

import datetime
import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django_tables2.rows import BoundRow

from gongjiang.talents.selectors import person_list
from gongjiang.talents.tables import PersonTable
from gongjiang.talents.tests.factories import CertificateFactory, PersonFactory

pytestmark = pytest.mark.django_db


class _GenericPersonTable(PersonTable):
    class Meta(PersonTable.Meta):
        template_name = "django_tables2/bootstrap5.html"


def _rows(table_class, user) -> list[list[str]]:
    request = RequestFactory().get("/talents/persons/")
    request.user = user
    table = table_class(person_list(user=user).order_by("pk"))
    html = Template("{% load django_tables2 %}{% render_table table %}").render(
        Context({"table": table, "request": request})
    )
    body = html.split("<tbody", 1)[1]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)
    return [
        [" ".join(c.split()) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)] for row in rows
    ]


def test_person_table_rows_match_the_table_columns(personas):
    bare = PersonFactory(name="无单位者", region_id="320706", employer=None, domain_id=None)
    full = PersonFactory(
        name="焊工<甲>",
        region_id="320706",
        employer=personas.org_haizhou,
        domain_id="advanced_manufacturing",
        occupation_id="6-18-02",
    )
    CertificateFactory(person=full, level_id="GRADE2", issue_date=datetime.date(2026, 5, 1))
    CertificateFactory(person=bare, level_id="GRADE5", issue_date=datetime.date(2020, 5, 1))
    fast = _rows(PersonTable, personas.city)
    generic = _rows(_GenericPersonTable, personas.city)
    assert len(fast) == len(generic) >= 4
    assert fast == generic
    assert any("焊工&lt;甲&gt;" in cell for row in fast for cell in row)


def test_person_list_page_does_not_render_cell_by_cell(personas, login, monkeypatch):
    for _ in range(5):
        PersonFactory(region_id="320706")
    calls = []
    original = BoundRow.get_cell

    def counting(self, name):
        calls.append(name)
        return original(self, name)

    monkeypatch.setattr(BoundRow, "get_cell", counting)
    response = login(personas.city).get("/talents/persons/")
    assert response.status_code == 200
    assert "海州人员" in response.content.decode()
    assert calls == []


def test_person_list_pager_jumps_to_the_last_page(personas, login):
    for _ in range(120):
        PersonFactory(region_id="320706")
    client = login(personas.city)
    first = client.get("/talents/persons/").content.decode()
    assert 'data-testid="page-last"' in first
    link = re.search(r'href="([^"]*)" data-testid="page-last"', first).group(1).replace("&amp;", "&")
    last = client.get("/talents/persons/" + link)
    assert last.context["table"].page.number == 3  # 122 persons, 50 a page
    assert len(last.context["table"].page.object_list) == 22
    assert 'data-testid="page-last"' not in last.content.decode()
