"""The navigation bar: every signed-in user can reach the page that changes their password."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["city", "haizhou", "department", "org_operator", "talent", "auditor"])
def test_every_role_finds_change_password_in_the_navigation(client, personas, role):
    client.force_login(getattr(personas, role))
    page = client.get("/", follow=True).content.decode()
    assert 'href="/accounts/password/"' in page
    assert "修改密码" in page
