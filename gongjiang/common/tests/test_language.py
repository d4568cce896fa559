"""The interface is Chinese whatever the browser asks for: a browser set to English still gets the
pager, Django's own form errors and the pages in Chinese."""

import re

import pytest

from gongjiang.orgs.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("accept", ["en-US,en;q=0.9", "de-DE", "zh-CN,zh;q=0.9"])
def test_an_english_browser_gets_chinese(client, personas, accept):
    for i in range(60):  # more than a page of organisations, so the pager shows
        OrganisationFactory(name="分页测试单位%02d" % i, region_id="320706")
    client.force_login(personas.city)
    page = client.get("/orgs/", HTTP_ACCEPT_LANGUAGE=accept).content.decode()
    assert "下一页" in page
    assert not re.search(r">\s*(next|previous)\b", page, flags=re.I)  # the pager's words, as text
    # Django's own message for a required field, from a form the city admin posts empty.
    response = client.post("/plan/funding/budget/", {"amount": ""}, HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode()
    assert "This field is required" not in response.content.decode()
