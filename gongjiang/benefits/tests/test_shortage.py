"""The shortage catalogue: imported through the one pipeline, public without login, and read by
``shortage_only`` policies."""

import pytest

from gongjiang.benefits.models import ShortageOccupation
from gongjiang.jobs.tests.helpers import run, write_csv

pytestmark = pytest.mark.django_db
HEADERS = ["年度", "职业（工种）", "最低等级", "重点领域"]


def test_the_catalogue_imports_updates_and_shows_without_login(tmp_path, personas, client):
    path = write_csv(
        tmp_path / "目录.csv",
        [["2026", "6-18-02", "中级工", "先进制造业"], ["2026年", "6-31-01", "三级", ""]],
        headers=HEADERS,
    )
    job = run(path, personas.city, kind="shortage_occupations")
    assert job.result["shortage_created"] == 2
    assert set(ShortageOccupation.objects.values_list("occupation_id", "min_level_id")) == {
        ("6-18-02", "GRADE4"),
        ("6-31-01", "GRADE3"),
    }
    again = write_csv(tmp_path / "目录2.csv", [["2026", "6-18-02", "高级工", ""]], headers=HEADERS)
    assert run(again, personas.city, kind="shortage_occupations").result["shortage_updated"] == 1
    assert ShortageOccupation.objects.get(occupation_id="6-18-02").min_level_id == "GRADE3"
    page = client.get("/benefits/shortage/").content.decode()
    assert "2026年" in page and "6-18-02" in page and "高级工" in page


def test_a_bad_catalogue_row_says_what_and_where(tmp_path, personas):
    path = write_csv(tmp_path / "目录.csv", [["二〇二六", "没有这个职业", "九级", ""]], headers=HEADERS)
    job = run(path, personas.city, kind="shortage_occupations")
    assert job.status == "rejected"
    assert not ShortageOccupation.objects.exists()
