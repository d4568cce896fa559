"""Carrier pages: declaration form with Chinese errors, the steps on the detail page, scope from
inside and outside, exports, the public catalogue without login."""

import datetime
import io

import pytest
from python_calamine import CalamineWorkbook

from gongjiang.accounts.models import AuditEntry
from gongjiang.carriers.models import Carrier
from gongjiang.carriers.tests.factories import CarrierFactory, RecognisedCarrierFactory, leader_at
from gongjiang.orgs.tests.factories import OrganisationFactory
from gongjiang.workflow.models import Event

pytestmark = pytest.mark.django_db


def form_data(personas, **overrides):
    data = {
        "name": "海州数控技能大师工作室",
        "carrier_type": "skill_master_studio",
        "applied_level": "city",
        "leader": "",
        "region": "320706",
        "domain": "advanced_manufacturing",
        "summary": "数控加工技能传承",
    }
    data.update(overrides)
    return data


def test_organisation_declares_by_leader_id_number(personas, login):
    technician = leader_at("GRADE2", employer=personas.org_haizhou, name="数控技师")
    client = login(personas.org_operator)
    page = client.get("/carriers/new/")
    assert "host" not in page.context["form"].fields  # an organisation declares for itself
    assert "技能大师工作室：可申报市级、省级、国家级，领办人须为技师及以上" in page.content.decode()
    response = client.post("/carriers/new/", form_data(personas, leader=technician.id_number.lower()))
    carrier = Carrier.objects.get(name="海州数控技能大师工作室")
    assert response.status_code == 302
    assert response["Location"] == f"/carriers/{carrier.pk}/"
    assert (carrier.host, carrier.leader, carrier.status) == (
        personas.org_haizhou,
        technician,
        "county_review",
    )
    assert AuditEntry.objects.filter(action="carrier.declare", object_id=str(carrier.pk)).count() == 1


def test_declaration_errors_are_shown_in_chinese_at_their_fields(personas, login):
    senior = leader_at("GRADE3", employer=personas.org_haizhou, name="高级工丙")
    client = login(personas.org_operator)

    bad_id = client.post("/carriers/new/", form_data(personas, leader="320706199001011234"))
    assert "校验" in bad_id.context["form"].errors["leader"][0]
    stranger = client.post("/carriers/new/", form_data(personas, leader=personas.person_ganyu.id_number))
    assert stranger.context["form"].errors["leader"] == [
        "人才库中没有这个身份证号的人员（单位用户只能填写本单位职工），请先登记该人员"
    ]
    too_low = client.post("/carriers/new/", form_data(personas, leader=senior.id_number))
    assert too_low.context["form"].errors["leader"] == [
        "技能大师工作室的领办人须为技师及以上，高级工丙目前的最高有效等级为高级工"
    ]
    county = client.post(
        "/carriers/new/",
        form_data(personas, applied_level="county", leader=personas.person_haizhou.id_number),
    )
    assert county.context["form"].errors["applied_level"] == ["技能大师工作室只能申报：市级、省级、国家级"]
    assert "尚未保存" in county.content.decode()
    assert not Carrier.objects.exists()


def test_city_admin_declares_on_behalf_by_credit_code(personas, login):
    client = login(personas.city)
    data = form_data(
        personas, carrier_type="hs_training_base", name="赣榆港务培训基地", region="320707", host="9132"
    )
    data["leader"] = personas.person_ganyu.id_number
    assert "host" in client.post("/carriers/new/", data).context["form"].errors
    data["host"] = personas.org_ganyu.uscc
    assert client.post("/carriers/new/", data).status_code == 302
    carrier = Carrier.objects.get(name="赣榆港务培训基地")
    assert (carrier.host, carrier.declared_by) == (personas.org_ganyu, personas.city)


def test_county_reviewer_sees_and_takes_the_county_step(personas, login):
    carrier = CarrierFactory(host=personas.org_haizhou)
    client = login(personas.haizhou)
    page = client.get(f"/carriers/{carrier.pk}/")
    assert set(page.context["forms"]) == {"pass", "return", "reject"}
    returned = client.post(f"/carriers/{carrier.pk}/return/", {"return-note": ""})
    assert returned.status_code == 422
    assert returned.context["forms"]["return"].errors["note"] == ["退回补正须写明需要补正的内容"]
    assert Carrier.objects.get(pk=carrier.pk).status == "county_review"
    passed = client.post(f"/carriers/{carrier.pk}/pass/", {"pass-note": "同意推荐"})
    assert passed.status_code == 302
    assert Carrier.objects.get(pk=carrier.pk).status == "city_review"
    text = client.get(f"/carriers/{carrier.pk}/").content.decode()
    assert "县区初审通过" in text and "同意推荐" in text


def test_detail_offers_no_step_to_those_who_do_not_own_it(personas, login):
    carrier = CarrierFactory(host=personas.org_haizhou)
    for user in (personas.org_operator, personas.department, personas.city):
        assert login(user).get(f"/carriers/{carrier.pk}/").context["forms"] == {}


def test_illegal_step_is_refused_on_the_page_and_changes_nothing(personas, login):
    carrier = RecognisedCarrierFactory(host=personas.org_haizhou)
    events = Event.objects.count()
    response = login(personas.city).post(
        f"/carriers/{carrier.pk}/recognise/",
        {"recognise-level": "city", "recognise-recognised_on": "2026-06-01"},
    )
    assert response.status_code == 422
    assert "只有待市级评审的载体可以认定（当前状态：已认定）" in response.content.decode()
    assert Event.objects.count() == events


def test_city_scores_and_recognises_on_the_page(personas, login):
    carrier = CarrierFactory(host=personas.org_haizhou, status="city_review", city_round=1)
    client = login(personas.city)
    for name, score in (("王专家", "88"), ("李专家", "92.5"), ("赵专家", "120")):
        client.post(f"/carriers/{carrier.pk}/score/", {"score-expert_name": name, "score-score": score})
    page = client.get(f"/carriers/{carrier.pk}/")
    assert [s.expert_name for s in page.context["scores"]] == ["王专家", "李专家"]  # 120 refused
    assert str(page.context["score_mean"]) == "90.25"
    refused = client.post(
        f"/carriers/{carrier.pk}/recognise/",
        {"recognise-level": "city", "recognise-recognised_on": datetime.date.today().isoformat()},
    )
    assert "认定前须录入至少3位专家的评分（本轮已录入2位）" in refused.content.decode()
    client.post(f"/carriers/{carrier.pk}/score/", {"score-expert_name": "赵专家", "score-score": "90"})
    done = client.post(
        f"/carriers/{carrier.pk}/recognise/",
        {
            "recognise-level": "city",
            "recognise-recognised_on": datetime.date.today().isoformat(),
            "recognise-grant_amount": "100000",
        },
    )
    assert done.status_code == 302
    carrier.refresh_from_db()
    assert (carrier.status, carrier.level, str(carrier.grant_amount)) == ("recognised", "city", "100000.00")


def test_returned_declaration_is_corrected_and_resubmitted(personas, login):
    carrier = CarrierFactory(
        host=personas.org_haizhou,
        leader=personas.person_haizhou,
        status="returned",
        returned_from="city_review",
    )
    client = login(personas.org_operator)
    form = client.get(f"/carriers/{carrier.pk}/edit/").context["form"]
    assert "当前：%s（%s）" % (personas.person_haizhou.name, personas.person_haizhou.id_masked) in str(
        form["leader"].help_text
    )
    data = form_data(personas, carrier_type="hs_training_base", name="改名后的培训基地")
    assert client.post(f"/carriers/{carrier.pk}/edit/", data).status_code == 302
    assert client.post(f"/carriers/{carrier.pk}/resubmit/", {"resubmit-note": "已补充"}).status_code == 302
    carrier.refresh_from_db()
    assert (carrier.name, carrier.leader, carrier.status) == (
        "改名后的培训基地",
        personas.person_haizhou,
        "city_review",
    )


# --- scope ------------------------------------------------------------------------------------


def test_region_operator_sees_only_its_region_inside_and_outside(personas, login):
    inside = CarrierFactory(host=personas.org_haizhou, name="海州载体")
    outside = CarrierFactory(host=personas.org_ganyu, name="赣榆载体")
    client = login(personas.haizhou)
    text = client.get("/carriers/").content.decode()
    assert "海州载体" in text and "赣榆载体" not in text
    assert client.get(f"/carriers/{inside.pk}/").status_code == 200
    assert client.get(f"/carriers/{outside.pk}/").status_code == 404
    assert client.post(f"/carriers/{outside.pk}/pass/", {}).status_code == 404
    assert Carrier.objects.get(pk=outside.pk).status == "county_review"
    denied = AuditEntry.objects.filter(
        action="access.denied", object_type="carriers.carrier", username="haizhou"
    )
    assert denied.count() == 2


def test_organisation_sees_only_its_own_declarations(personas, login):
    neighbour = OrganisationFactory(region_id="320706")
    own = CarrierFactory(host=personas.org_haizhou, name="本单位载体")
    other = CarrierFactory(host=neighbour, name="同区他单位载体")
    client = login(personas.org_operator)
    text = client.get("/carriers/").content.decode()
    assert "本单位载体" in text and "同区他单位载体" not in text
    assert client.get(f"/carriers/{own.pk}/").status_code == 200
    assert client.get(f"/carriers/{other.pk}/").status_code == 404


def test_department_reads_everything_and_changes_nothing(personas, login):
    carrier = CarrierFactory(host=personas.org_ganyu)
    client = login(personas.department)
    assert client.get(f"/carriers/{carrier.pk}/").status_code == 200
    assert client.get("/carriers/new/").status_code == 403
    for step in ("pass", "return", "reject"):
        assert client.post(f"/carriers/{carrier.pk}/{step}/", {f"{step}-note": "同意"}).status_code == 404
    assert Carrier.objects.get(pk=carrier.pk).status == "county_review"


def _export(response, fmt):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "csv":
        return body.decode("utf-8-sig")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(body)).get_sheet_by_index(0).to_python()
    return "\n".join(",".join(str(c) for c in row) for row in rows)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_is_the_scoped_filtered_list_without_id_numbers(personas, login, fmt):
    inside = CarrierFactory(host=personas.org_haizhou, leader=personas.person_haizhou, name="海州导出载体")
    CarrierFactory(host=personas.org_ganyu, name="赣榆导出载体")
    RecognisedCarrierFactory(
        host=personas.org_haizhou, name="海州已认定载体", carrier_type_id="skill_master_studio"
    )
    text = _export(login(personas.haizhou).get("/carriers/", {"export": fmt, "status": "county_review"}), fmt)
    assert "海州导出载体" in text
    assert "赣榆导出载体" not in text and "海州已认定载体" not in text
    assert inside.leader.name in text
    assert inside.leader.id_number not in text
    assert "待县区初审" in text and "市级（申报）" in text
    assert AuditEntry.objects.filter(action="export", object_type="carriers.carrier").count() == 1


def test_list_filters_and_query_count(personas, login, django_assert_max_num_queries):
    for i in range(30):
        RecognisedCarrierFactory(host=personas.org_haizhou, recognised_on=datetime.date(2025 + i % 2, 3, 1))
    late = CarrierFactory(host=personas.org_haizhou, due_on=datetime.date(2026, 1, 1), name="逾期载体")
    client = login(personas.city)

    def names(params):
        return [row.record.name for row in client.get("/carriers/", params).context["table"].paginated_rows]

    assert names({"overdue": "true"}) == [late.name]
    assert len(names({"toward_target": "true"})) == 15
    assert len(names({"recognised_year": "2025"})) == 15
    with django_assert_max_num_queries(12):
        client.get("/carriers/")


def test_todo_page_shows_overdue_to_the_county(personas, login):
    CarrierFactory(host=personas.org_haizhou, due_on=datetime.date(2026, 1, 1), name="逾期待审载体")
    CarrierFactory(host=personas.org_ganyu, due_on=datetime.date(2026, 1, 1), name="赣榆待审载体")
    text = login(personas.haizhou).get("/carriers/todo/").content.decode()
    assert "逾期待审载体" in text and "赣榆待审载体" not in text
    assert "县区初审" in text and "逾期 1 件" in text


# --- the public catalogue ---------------------------------------------------------------------


def test_catalogue_needs_no_login_and_shows_no_id_numbers(client, personas):
    shown = RecognisedCarrierFactory(
        host=personas.org_haizhou,
        leader=personas.person_haizhou,
        name="公开的工作室",
        carrier_type_id="skill_master_studio",
    )
    CarrierFactory(host=personas.org_haizhou, name="申报中的载体")
    RecognisedCarrierFactory(name="已撤销的载体", status="revoked", revoked_on=datetime.date(2026, 6, 1))
    RecognisedCarrierFactory(name="2025年的基地", recognised_on=datetime.date(2025, 6, 1))
    response = client.get("/carriers/catalogue/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "公开的工作室" in text and "2025年的基地" in text
    assert "申报中的载体" not in text and "已撤销的载体" not in text
    assert shown.leader.name in text
    assert shown.leader.id_number not in text and shown.leader.id_masked not in text
    assert response.context["target_count"] == 1  # 2025 does not count, revoked does not count
    filtered = client.get("/carriers/catalogue/", {"carrier_type": "skill_master_studio"}).content.decode()
    assert "公开的工作室" in filtered and "2025年的基地" not in filtered
    assert "1 / 20 家" in text


def test_leader_name_with_markup_is_escaped_in_the_form_help_text(personas, login):
    leader = personas.person_haizhou
    leader.name = "<img src=x onerror=alert(1)>"
    leader.save(update_fields=["name"])
    carrier = CarrierFactory(
        host=personas.org_haizhou, leader=leader, status="returned", returned_from="city_review"
    )
    page = login(personas.org_operator).get(f"/carriers/{carrier.pk}/edit/").content.decode()
    assert "<img src=x" not in page
    assert "当前：&lt;img src=x onerror=alert(1)&gt;" in page
