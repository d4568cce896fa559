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


def _list_file(rows):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongjiang.common.excel import write_xlsx

    content = write_xlsx(("序号", "姓名", "身份证号", "工作单位"), rows, sheet="名单").read()
    return SimpleUploadedFile("开通名单.xlsx", content)


def test_accounts_opened_from_an_uploaded_list_all_or_nothing(personas, login):
    first, second = (PersonFactory(name=n, region_id="320706") for n in ("名单甲", "名单乙"))
    other = PersonFactory(name="赣榆丁", region_id="320707")
    county = login(personas.haizhou)
    bad = _list_file(
        [
            (1, "名单甲", first.id_number, "某公司"),
            (2, "名单乙", "320706199001011234", ""),  # checksum wrong
            (3, "赣榆丁", other.id_number, ""),  # outside the county
            (4, "名单丙", second.id_number, ""),  # another name
        ]
    )
    page = county.post("/talent-accounts/", {"list": bad}, follow=True).content.decode()
    assert "文件“开通名单.xlsx”有 3 处错误，未开通任何账号" in page
    assert "第3行“身份证号”列“320***********1234”" in page
    assert "第4行：人才库中（您的数据范围内）没有该身份证号的人员" in page
    assert "第5行“姓名”列“名单丙”：与人才库中该身份证号的姓名不一致" in page
    assert other.id_number not in page
    assert not Person.objects.filter(pk__in=[first.pk, second.pk], user__isnull=False).exists()
    good = _list_file(
        [
            (1, "名单甲", first.id_number, ""),
            (2, "名单乙", second.id_number, ""),
            (3, "海州人员", personas.person_haizhou.id_number, ""),  # has an account: skipped
        ]
    )
    response = county.post("/talent-accounts/", {"list": good})
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
        .get_sheet_by_index(0)
        .to_python()
    )
    assert sorted(row[0] for row in rows[1:]) == ["名单乙", "名单甲"]
    assert Person.objects.filter(pk__in=[first.pk, second.pk], user__isnull=False).count() == 2
    again = county.post(
        "/talent-accounts/", {"list": _list_file([(1, "名单甲", first.id_number, "")])}, follow=True
    )
    assert "所列人员都已开通个人账号" in again.content.decode()
