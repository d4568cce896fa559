"""Sharing requests between organisations on the one workflow: both sides see the request, only
the provider's organisation answers, only the requester withdraws; others cannot see it."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from gongjiang.accounts.scope import OutOfScope
from gongjiang.accounts.tests.factories import UserFactory
from gongjiang.training.models import SharingRequest
from gongjiang.training.services import sharing_step, sharing_submit
from gongjiang.workflow.selectors import history, todo_for

from .factories import CourseFactory, ProviderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def parties(personas):
    ganyu_user = UserFactory(username="ganyu-org", role="org_operator", organisation=personas.org_ganyu)
    provider = ProviderFactory(organisation=personas.org_haizhou, name="海州焊接培训学校")
    return ganyu_user, provider


def _ask(user, provider, **over):
    data = {
        "provider": provider,
        "resource": "course",
        "course": CourseFactory(provider=provider),
        "teacher": None,
        "needed_from": datetime.date(2027, 1, 4),
        "needed_to": datetime.date(2027, 1, 8),
        "note": "为本企业职工开设一期焊工高级工培训",
    }
    data.update(over)
    return sharing_submit(actor=user, **data)


def test_both_sides_see_it_the_provider_accepts_and_the_history_records_it(client, personas, parties):
    ganyu_user, provider = parties
    request = _ask(ganyu_user, provider)
    for user in (ganyu_user, personas.org_operator, personas.haizhou, personas.ganyu, personas.city):
        assert SharingRequest.objects.for_user(user).filter(pk=request.pk).exists(), user
    outsider = UserFactory(username="other-org", role="org_operator", organisation=personas.department_org)
    client.force_login(outsider)
    assert client.get("/training/sharing/%d/" % request.pk).status_code == 404
    colleague = UserFactory(username="ganyu-org-2", role="org_operator", organisation=personas.org_ganyu)
    with pytest.raises(ValidationError, match="申请人不能答复本人提交的共享申请"):
        sharing_step(actor=ganyu_user, request=request, action="accept")
    with pytest.raises(OutOfScope):  # nor does a colleague on the requester's side
        sharing_step(actor=colleague, request=request, action="accept")
    assert [i.obj for i in todo_for(user=colleague)] == []
    assert [i.obj for i in todo_for(user=personas.org_operator)] == [request]
    client.force_login(personas.org_operator)
    page = client.get("/training/sharing/%d/" % request.pk).content.decode()
    assert 'data-testid="step-accept"' in page and 'data-testid="step-withdraw"' not in page
    done = sharing_step(actor=personas.org_operator, request=request, action="accept")
    assert done.status == "accepted"
    assert [e.action for e in history(done)] == ["submit", "accept"]


def test_only_the_requester_withdraws_and_a_decline_needs_a_reason(personas, parties):
    ganyu_user, provider = parties
    request = _ask(ganyu_user, provider)
    with pytest.raises(OutOfScope):
        sharing_step(actor=personas.org_operator, request=request, action="withdraw")
    with pytest.raises(ValidationError):
        sharing_step(actor=personas.org_operator, request=request, action="decline")
    assert sharing_step(actor=ganyu_user, request=request, action="withdraw").status == "withdrawn"


def test_a_request_must_name_what_the_provider_offers(personas, parties):
    ganyu_user, provider = parties
    other = ProviderFactory(organisation=personas.department_org)
    with pytest.raises(ValidationError) as caught:
        _ask(ganyu_user, provider, course=CourseFactory(provider=other))
    assert caught.value.message_dict == {"course": ["请选择该机构已发布的课程"]}
    with pytest.raises(ValidationError) as caught:
        _ask(personas.org_operator, provider)
    assert caught.value.message_dict == {"provider": ["不能向本单位的机构申请共享"]}
