"""403, 404 and 500 are Chinese pages in the site's layout, with DEBUG on (the demo) or off."""

import pytest
from django.urls import path

from gongjiang import urls as project_urls

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("secret detail /srv/path SELECT 1")


urlpatterns = [*project_urls.urlpatterns, path("boom/", _boom)]
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500


def _is_site_page(body: str) -> bool:
    return "连云港市高技能人才工作平台" in body and 'data-testid="error-page"' in body


@pytest.mark.parametrize("debug", [True, False])
def test_unknown_url_shows_the_chinese_404_page(client, personas, settings, debug):
    settings.DEBUG = debug
    client.force_login(personas.haizhou)
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert _is_site_page(body)
    assert "未找到该页面或记录" in body
    assert "URLconf" not in body and "healthz" not in body  # no list of the URL patterns
    assert "Page not found" not in body


@pytest.mark.parametrize("debug", [True, False])
def test_out_of_scope_record_shows_the_chinese_404_page(client, personas, settings, debug):
    settings.DEBUG = debug
    client.force_login(personas.haizhou)
    response = client.get(f"/talents/persons/{personas.person_ganyu.pk}/")
    assert response.status_code == 404
    assert _is_site_page(response.content.decode())


@pytest.mark.parametrize("debug", [True, False])
def test_a_page_the_role_may_not_use_shows_the_chinese_403_page(client, personas, settings, debug):
    settings.DEBUG = debug
    client.force_login(personas.department)
    response = client.get("/talents/persons/")
    body = response.content.decode()
    assert response.status_code == 403
    assert _is_site_page(body)
    assert "您没有权限访问此页面" in body
    assert "Forbidden" not in body


def test_reference_data_admin_answers_a_signed_in_non_admin_with_the_403_page(client, personas):
    client.force_login(personas.haizhou)
    response = client.get("/refdata/", follow=True)
    body = response.content.decode()
    assert response.status_code == 403
    assert _is_site_page(body)
    assert "Django" not in body and "username" not in body


def test_reference_data_admin_sends_a_visitor_to_the_product_login(client):
    response = client.get("/refdata/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")


def test_reference_data_admin_still_opens_for_the_city_admin(client, personas):
    client.force_login(personas.city)
    assert client.get("/refdata/").status_code == 200
    assert client.get("/refdata/login/").status_code == 302


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("debug", [True, False])
def test_an_error_shows_the_chinese_500_page_without_details(client, personas, settings, debug):
    settings.DEBUG = debug
    client.raise_request_exception = False
    client.force_login(personas.haizhou)
    response = client.get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert _is_site_page(body)
    assert "系统暂时出错" in body
    assert "secret detail" not in body and "Traceback" not in body


def test_a_failed_csrf_check_shows_the_chinese_403_page(personas):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.haizhou)
    response = client.post("/talents/persons/new/", {})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()
