"""Searching the person list: a masked or partial ID alone finds nobody and says how to search;
a name with the ID's last four finds that person within the searcher's scope, audited."""

import pytest

from gongjiang.accounts.models import AuditEntry
from gongjiang.core.validators import mask_resident_id
from gongjiang.talents.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def names(response):
    return sorted(row.record.name for row in response.context["table"].paginated_rows)


def _id_ending(prefix: str, tail: str) -> str:
    """A valid ID number starting with ``prefix`` (address code) and ending with ``tail``."""
    from stdnum.cn import ric

    for day in range(1, 29):
        body = f"{prefix}199001{day:02d}{tail[:3]}"
        if ric.calc_check_digit(body + "0") == tail[3]:
            return body + tail[3]
    raise AssertionError("no such date")


@pytest.fixture
def namesakes(personas):
    """Two 张伟 in 海州 and one in 赣榆 whose ID ends as the first one's."""
    first = PersonFactory(name="张伟", region_id="320706", id_number=_id_ending("320703", "1814"))
    second = PersonFactory(name="张伟", region_id="320706", id_number=_id_ending("320706", "0020"))
    ganyu = PersonFactory(name="张伟", region_id="320707", id_number=_id_ending("320722", "1814"))
    return {"first": first, "second": second, "ganyu": ganyu}


@pytest.mark.parametrize("text", ["320703********1814", "1814", "3207031990"])
def test_a_masked_or_partial_id_alone_finds_nobody_and_says_how_to_search(personas, namesakes, login, text):
    response = login(personas.city).get("/talents/persons/", {"q": text})
    body = response.content.decode()
    assert names(response) == []
    assert 'data-testid="search-hint"' in body
    assert "完整的 18 位身份证号" in body and "姓名 + 身份证号后四位" in body


@pytest.mark.parametrize("text", ["张伟 1814", "张伟1814", " 张伟  320703********1814 "])
def test_name_and_last_four_find_the_person(personas, namesakes, login, text):
    response = login(personas.haizhou).get("/talents/persons/", {"q": text})
    rows = list(response.context["table"].paginated_rows)
    assert [row.record.pk for row in rows] == [namesakes["first"].pk]
    assert 'data-testid="search-hint"' not in response.content.decode()


def test_name_and_last_four_stay_within_scope(personas, namesakes, login):
    response = login(personas.ganyu).get("/talents/persons/", {"q": "张伟 1814"})
    assert [row.record.pk for row in response.context["table"].paginated_rows] == [namesakes["ganyu"].pk]
    response = login(personas.org_operator).get("/talents/persons/", {"q": "张伟 1814"})
    assert names(response) == []


def test_the_masked_id_compares_its_first_six_too(personas, namesakes, login):
    masked = mask_resident_id(_id_ending("320724", "1814"))
    response = login(personas.city).get("/talents/persons/", {"q": f"张伟 {masked}"})
    assert names(response) == []


def test_a_name_and_last_four_search_is_audited_without_the_digits(personas, namesakes, login):
    client = login(personas.haizhou)
    before = AuditEntry.objects.count()
    client.get("/talents/persons/", {"q": "张伟 1814"})
    entries = list(AuditEntry.objects.order_by("id")[before:])
    assert [(e.action, e.user_id) for e in entries] == [("person.search", personas.haizhou.pk)]
    assert entries[0].changes["name"] == "张伟" and entries[0].changes["found"] == 1
    assert "1814" not in str(entries[0].changes)


def test_a_name_prefix_search_is_unchanged(personas, namesakes, login):
    response = login(personas.city).get("/talents/persons/", {"q": "张"})
    assert names(response) == ["张伟", "张伟", "张伟"]
    assert 'data-testid="search-hint"' not in response.content.decode()
