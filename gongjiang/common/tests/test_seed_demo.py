"""seed_demo makes realistic, valid data and the demo accounts, and never duplicates."""

import io

import pytest
from django.core.management import call_command

from gongjiang.accounts.models import User
from gongjiang.core.validators import normalise_resident_id
from gongjiang.talents.models import Certificate, Person

pytestmark = pytest.mark.django_db


def test_seed_demo_makes_valid_data_and_accounts():
    call_command("seed_demo", persons=300, password="Gongjiang@2026x", stdout=io.StringIO())
    assert Person.objects.count() == 300
    for person in Person.objects.all():
        assert normalise_resident_id(person.id_number).number == person.id_number
    share = Person.objects.filter(is_high_skilled=True).count() / 300
    assert 0.2 <= share <= 0.45
    assert Person.objects.filter(high_skilled_since__year=2026).exists()
    assert not Certificate.objects.filter(cert_type_id="special_ability", level__isnull=False).exists()
    assert Certificate.objects.filter(status="revoked").exists()
    roles = dict(User.objects.values_list("username", "role"))
    assert roles["city"] == "city_admin"
    assert roles["haizhou"] == "region_operator"
    # 三员分立: three administrators, three accounts.
    assert (roles["auditor"], roles["sysadmin"], roles["secadmin"]) == (
        "auditor",
        "system_admin",
        "security_admin",
    )
    assert User.objects.get(username="ganyu").region_id == "320707"
    assert User.objects.get(username="edu").organisation.name == "连云港市教育局"
    org_user = User.objects.get(username="org")
    talent = Person.objects.get(user__username="talent")
    assert talent.region_id == "320706"
    assert talent.employer == org_user.organisation
    assert User.objects.get(username="city").check_password("Gongjiang@2026x")

    call_command("seed_demo", persons=300, password="Gongjiang@2026y", stdout=io.StringIO())
    assert Person.objects.count() == 300
    assert User.objects.get(username="city").check_password("Gongjiang@2026y")


def test_known_password_refused_outside_demo_mode(settings):
    from django.core.management.base import CommandError

    settings.GONGJIANG_DEMO = False
    with pytest.raises(CommandError):
        call_command("seed_demo", persons=5, password="Gongjiang@2026x", stdout=io.StringIO())


def test_without_password_a_random_one_must_be_changed(settings):
    out = io.StringIO()
    call_command("seed_demo", persons=20, stdout=out)
    assert "首次登录须修改" in out.getvalue()
    assert User.objects.get(username="city").must_change_password
