"""Personal data at rest: no clear ID or phone in any stored row, nor in the audit trail."""

import re

import pytest
from django.db import connection
from stdnum.cn import ric

from gongjiang.talents.models import Person
from gongjiang.talents.services import PersonData, person_create

pytestmark = pytest.mark.django_db

ID_RE = re.compile(r"\d{17}[\dX]")
PHONE_RE = re.compile(r"1[3-9]\d{9}")


def _dump_all_tables() -> str:
    """Every text value of every table, as a database dump would hold it."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            for row in cursor.fetchall():
                parts.extend(str(v) for v in row if v is not None)
    return "\n".join(parts)


def test_database_holds_no_clear_id_or_phone(personas):
    person = person_create(
        actor=personas.city,
        data=PersonData(name="王明", region_id="320706", id_number="320706199001011230", phone="13912345678"),
    )
    dump = _dump_all_tables()
    assert "320706199001011230" not in dump
    assert "13912345678" not in dump
    for candidate in ID_RE.findall(dump):
        assert not ric.is_valid(candidate), "a valid ID number is stored in clear"
    stored = Person.objects.get(pk=person.pk)
    assert stored.id_number == "320706199001011230"
    assert stored.phone == "13912345678"
    assert stored.id_masked == "320706********1230"


def test_reveal_audit_row_holds_no_full_number(personas, login):
    client = login(personas.city)
    person = personas.person_haizhou
    response = client.post(f"/talents/persons/{person.pk}/reveal/", {"reason": "核对身份"})
    assert person.id_number in response.content.decode()
    dump = _dump_all_tables()
    assert person.id_number not in dump
    assert person.phone not in dump
