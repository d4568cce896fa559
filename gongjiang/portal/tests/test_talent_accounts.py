"""Operators open personal accounts in bulk: within their scope, only for persons without one,
passwords shown once (in the file) and changed at the first login; audited."""

import io

import pytest
from python_calamine import CalamineWorkbook

from gongjiang.accounts.models import AuditEntry, User
from gongjiang.talents.models import Person
from gongjiang.talents.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_a_county_opens_accounts_for_its_filtered_persons_and_gets_the_passwords_once(
    personas, login, client
):
    fresh = [PersonFactory(name=n, region_id="320706") for n in ("海州甲", "海州乙")]
    PersonFactory(name="赣榆丙", region_id="320707")
    county = login(personas.haizhou)
    page = county.get("/talent-accounts/?region=320706").content.decode()
    assert "<strong>2</strong> 人尚未开通" in page  # the persona already has its account
    response = county.post("/talent-accounts/?region=320706")
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
        .get_sheet_by_index(0)
        .to_python()
    )
    assert rows[0] == ["姓名", "身份证号", "用户名", "初始密码（首次登录须修改）"]
    opened = {row[0]: (row[2], row[3]) for row in rows[1:]}
    assert set(opened) == {"海州甲", "海州乙"}
    for person in fresh:
        person.refresh_from_db()
        user = User.objects.get(pk=person.user_id)
        username, password = opened[person.name]
        assert (user.username, user.role, user.must_change_password) == (username, "talent", True)
        assert user.check_password(password) and password not in user.password
    assert Person.objects.get(name="赣榆丙").user_id is None  # outside the county
    assert AuditEntry.objects.filter(action="talent.accounts_create").count() == 1
    again = county.get("/talent-accounts/?region=320706").content.decode()
    assert "<strong>0</strong> 人尚未开通" in again
    client.logout()
    username, password = opened["海州甲"]
    client.post("/accounts/login/", {"username": username, "password": password})
    landing = client.get("/me/")  # the one-time password is changed first
    assert landing.status_code == 302 and landing["Location"].startswith("/accounts/password")


def test_a_talent_cannot_open_accounts(personas, login):
    assert login(personas.talent).get("/talent-accounts/?region=320706").status_code == 403
