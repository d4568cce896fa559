"""Bad list parameters never give a 500: every list page in the URL table, and the public
catalogue, answers a wrong, empty, negative or over-long ``page``/``per_page``/filter id with the
first page (or a Chinese 400), and a page size is capped."""

import pytest
from django.urls import resolve
from django_tables2 import SingleTableMixin

from gongjiang.accounts.tests.test_url_table import TABLE
from gongjiang.common.listing import MAX_PER_PAGE

pytestmark = pytest.mark.django_db

HUGE = "9" * 30


def _list_urls():
    for name, (method, template, _expected) in sorted(TABLE.items()):
        if method != "get" or callable(template) or "{" in template:
            continue
        view = getattr(resolve(template.split("?")[0]).func, "view_class", None)
        if view is not None and issubclass(view, SingleTableMixin):
            yield pytest.param(template, view, id=name)


LIST_URLS = list(_list_urls())

BAD = [
    {"page": ""},
    {"page": "abc"},
    {"page": "-1"},
    {"page": "0"},
    {"page": HUGE},
    {"per_page": ""},
    {"per_page": "-1"},
    {"per_page": "0"},
    {"per_page": "abc"},
    {"per_page": HUGE},
    {"page": HUGE, "per_page": HUGE},
]


def test_the_list_urls_are_found():
    names = {p.id for p in LIST_URLS}
    assert {"talents:person_list", "carriers:carrier_catalogue", "accounts:audit_list"} <= names


@pytest.mark.parametrize(("url", "view"), LIST_URLS)
def test_bad_paging_and_over_long_ids_never_give_500(client, personas, url, view):
    permission = getattr(view, "view_permission", "")
    if permission:
        from gongjiang.accounts.choices import Role
        from gongjiang.accounts.tests.factories import UserFactory

        user = personas.city
        if not user.has_perm(permission):
            user = UserFactory(role=Role.SECURITY_ADMIN)  # the account list
        assert user.has_perm(permission)
        client.force_login(user)
    params = list(BAD)
    params += [{name: HUGE} for name in view.filterset_class.base_filters]
    params += [{name: "-1"} for name in view.filterset_class.base_filters]
    for query in params:
        response = client.get(url, query)
        assert response.status_code in (200, 400), f"{url} {query}: {response.status_code}"
        if response.status_code == 400:
            assert "参数" in response.content.decode()
        else:
            table = response.context["table"]
            assert 1 <= table.paginator.per_page <= MAX_PER_PAGE, f"{url} {query}"
            if "page" in query:
                assert table.page.number == 1, f"{url} {query}"


def test_page_size_is_capped(client, personas):
    client.force_login(personas.city)
    response = client.get("/accounts/audit/", {"per_page": "100000"})
    assert response.status_code == 200
    assert response.context["table"].paginator.per_page == MAX_PER_PAGE


@pytest.mark.parametrize("url", ["/benefits/shortage/", "/carriers/catalogue/"])
@pytest.mark.parametrize("query", [{"year": "9" * 30}, {"year": "-1"}, {"page": "9" * 30, "per_page": "-1"}])
def test_public_catalogues_take_any_parameter_without_500(client, db, url, query):
    assert client.get(url, query).status_code == 200
