"""The public catalogue: filters combine, only published entries show, and a provider edits only
its own entries (pages and services)."""

import pytest

from gongjiang.accounts.scope import OutOfScope
from gongjiang.training.models import Course
from gongjiang.training.services import catalogue_save

from .factories import CourseFactory, ProviderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(personas):
    haizhou = ProviderFactory(
        organisation=personas.org_haizhou, name="海州焊接培训学校", kind="private_provider"
    )
    ganyu = ProviderFactory(organisation=personas.org_ganyu, name="赣榆港口技工学校", kind="technical_school")
    return {
        "weld3": CourseFactory(
            provider=haizhou, name="焊工高级工", occupation_id="6-18-02", level_id="GRADE3"
        ),
        "weld4": CourseFactory(
            provider=haizhou, name="焊工中级工", occupation_id="6-18-02", level_id="GRADE4"
        ),
        "weld_free": CourseFactory(
            provider=haizhou, name="焊工体验课", occupation_id="6-18-02", level_id="GRADE3", subsidy_class=""
        ),
        "port3": CourseFactory(
            provider=ganyu,
            name="港口装卸高级工",
            occupation_id="4-02-05",
            level_id="GRADE3",
            domain_id="transportation",
        ),
        "draft": CourseFactory(provider=haizhou, name="未发布的课程", published=False),
    }


def names(response) -> set[str]:
    return {c.name for c in response.context["object_list"]}


def test_the_catalogue_needs_no_login_and_shows_only_published_courses(client, catalogue):
    response = client.get("/training/catalogue/")
    assert names(response) == {"焊工高级工", "焊工中级工", "焊工体验课", "港口装卸高级工"}
    assert "2500 元（演示）" in response.content.decode()  # class A 高级工, demo table


@pytest.mark.parametrize(
    "query, expected",
    [
        ("domain=advanced_manufacturing", {"焊工高级工", "焊工中级工", "焊工体验课"}),
        ("domain=advanced_manufacturing&level=GRADE3", {"焊工高级工", "焊工体验课"}),
        ("domain=advanced_manufacturing&level=GRADE3&subsidised=true", {"焊工高级工"}),
        ("occupation=6-18&subsidised=false", {"焊工体验课"}),
        ("occupation=4-02-05&region=320707", {"港口装卸高级工"}),
        ("occupation=4-02-05&region=320706", set()),
        ("level=GRADE3&provider_kind=technical_school", {"港口装卸高级工"}),
        ("q=海州焊接&level=GRADE4", {"焊工中级工"}),
    ],
)
def test_catalogue_filters_combine(client, catalogue, query, expected):
    assert names(client.get("/training/catalogue/?" + query)) == expected


def test_an_unpublished_course_has_no_public_page(client, catalogue):
    assert client.get("/training/catalogue/%d/" % catalogue["draft"].pk).status_code == 404
    page = client.get("/training/catalogue/%d/" % catalogue["weld3"].pk)
    assert page.status_code == 200 and "海州焊接培训学校" in page.content.decode()


def test_a_provider_edits_only_its_own_courses(client, personas, catalogue):
    client.force_login(personas.org_operator)  # the 海州 organisation
    own, other = catalogue["weld3"], catalogue["port3"]
    assert client.get("/training/courses/%d/" % other.pk).status_code == 404
    response = client.post(
        "/training/courses/%d/" % other.pk, {"name": "改名", "provider": other.provider_id}
    )
    assert response.status_code == 404
    assert Course.objects.get(pk=other.pk).name == "港口装卸高级工"
    form = client.get("/training/courses/%d/" % own.pk).context["form"]
    assert list(form.fields["provider"].queryset) == [own.provider]  # cannot move it to another's
    data = {k: v for k, v in form.initial.items() if v is not None and k != "id"}
    data.update(name="焊工高级工（周末班）", published="on")
    assert client.post("/training/courses/%d/" % own.pk, data).status_code == 302
    assert Course.objects.get(pk=own.pk).name == "焊工高级工（周末班）"
    # posting its own course onto another's provider is refused by the form's scoped dropdown
    data["provider"] = other.provider_id
    assert client.post("/training/courses/%d/" % own.pk, data).status_code == 200
    assert Course.objects.get(pk=own.pk).provider_id == own.provider_id


def test_the_service_refuses_a_course_outside_the_actors_scope(personas, catalogue):
    other = catalogue["port3"]
    other.name = "越权修改"
    with pytest.raises(OutOfScope):
        catalogue_save(actor=personas.org_operator, obj=other)
    moved = catalogue["weld3"]
    moved.provider = other.provider
    with pytest.raises(OutOfScope):  # after the write the row must still be the actor's
        catalogue_save(actor=personas.org_operator, obj=moved)
    assert Course.objects.get(pk=moved.pk).provider.name == "海州焊接培训学校"


def test_the_county_reads_its_regions_courses_only(client, personas, catalogue):
    client.force_login(personas.haizhou)
    listed = {row.record.name for row in client.get("/training/courses/").context["table"].rows}
    assert listed == {"焊工高级工", "焊工中级工", "焊工体验课", "未发布的课程"}
