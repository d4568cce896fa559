"""三员分立 (SECURITY.md): system, security and audit administrators are separate accounts; no
account holds two roles; the audit administrator only reads the audit trail; the security
administrator manages accounts and roles and sees no personal data."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from gongjiang.accounts.choices import Role
from gongjiang.accounts.models import AuditEntry, User
from gongjiang.accounts.roles import role_permissions
from gongjiang.accounts.services import account_create, account_update, audit_record
from gongjiang.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def secadmin(db):
    return UserFactory(username="secadmin", role=Role.SECURITY_ADMIN)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (Role.AUDITOR, Role.SECURITY_ADMIN),
        (Role.SECURITY_ADMIN, Role.SYSTEM_ADMIN),
        (Role.SYSTEM_ADMIN, Role.AUDITOR),
        (Role.CITY_ADMIN, Role.AUDITOR),
        (Role.AUDITOR, Role.CITY_ADMIN),
    ],
)
def test_no_account_moves_into_or_out_of_an_administrators_role(secadmin, before, after):
    account = UserFactory(role=before)
    with pytest.raises(ValidationError) as exc:
        account_update(actor=secadmin, user=account, role=after)
    assert "三员分立" in str(exc.value)
    account.refresh_from_db()
    assert account.role == before
    assert not AuditEntry.objects.filter(action="role.change").exists()


def test_nobody_changes_their_own_role(secadmin):
    with pytest.raises(ValidationError):
        account_update(actor=secadmin, user=secadmin, role=Role.CITY_ADMIN)


def test_the_database_refuses_a_superuser_or_a_bound_administrator(personas):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=personas.auditor.pk).update(is_superuser=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=personas.auditor.pk).update(region_id="320706")
    with pytest.raises(ValidationError):
        account_create(actor=personas.city, username="sys2", role=Role.SYSTEM_ADMIN, region_id="320706")


def test_a_superuser_flag_would_be_a_second_role_and_is_refused_by_the_model():
    user = User(username="root", role=Role.SYSTEM_ADMIN, is_superuser=True)
    with pytest.raises(ValidationError):
        user.full_clean()


def test_the_three_administrators_share_no_permission():
    system, security, audit = (
        role_permissions(Role.SYSTEM_ADMIN),
        role_permissions(Role.SECURITY_ADMIN),
        role_permissions(Role.AUDITOR),
    )
    assert not (system & security) and not (system & audit) and not (security & audit)
    assert {p for p in audit if p.startswith("accounts.")} == {"accounts.view_auditentry"}
    assert not any(p.startswith(("talents.", "benefits.", "portal.")) for p in security)
    assert "accounts.view_auditentry" not in system | security


def test_the_audit_administrator_reads_but_cannot_change_the_trail(personas, login):
    entry = audit_record(actor=personas.city, action="stats.refresh", object_type="stats.tally")
    client = login(personas.auditor)
    assert client.get("/accounts/audit/").status_code == 200
    for action in ("add", "change", "delete"):
        assert not personas.auditor.has_perm(f"accounts.{action}_auditentry")
    entry.action = "changed"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    assert client.get("/refdata/").status_code in (302, 403)
    assert client.get("/accounts/users/").status_code == 403


def test_security_admin_opens_an_account_once_shown_password_and_changes_its_role(secadmin, personas, login):
    client = login(secadmin)
    page = client.post(
        "/accounts/users/new/", {"username": "donghai", "role": "region_operator", "region": "320722"}
    )
    assert page.status_code == 200
    password = page.content.decode().split('data-testid="one-time-password">')[1].split("<")[0]
    account = User.objects.get(username="donghai")
    assert account.check_password(password)
    assert (account.role, account.region_id, account.must_change_password) == (
        "region_operator",
        "320722",
        True,
    )
    assert AuditEntry.objects.filter(action="account.create", object_id=str(account.pk)).count() == 1
    assert password not in str(AuditEntry.objects.filter(object_id=str(account.pk)).values_list("changes"))
    response = client.post(
        f"/accounts/users/{account.pk}/edit/",
        {"role": "org_operator", "organisation_uscc": personas.org_haizhou.uscc, "is_active": "on"},
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert (account.role, account.region_id, account.organisation) == (
        "org_operator",
        None,
        personas.org_haizhou,
    )
    change = AuditEntry.objects.get(action="role.change", object_id=str(account.pk))
    assert change.changes["role"] == ["region_operator", "org_operator"]


def test_security_admin_sees_no_personal_data(secadmin, personas, login):
    client = login(secadmin)
    for url in ("/talents/persons/", "/accounts/audit/", "/orgs/", "/benefits/entitlements/", "/jobs/"):
        assert client.get(url).status_code in (403, 404), url
    assert client.get(f"/talents/persons/{personas.person_haizhou.pk}/").status_code == 404
    page = client.get("/accounts/users/").content.decode()
    assert "haizhou" in page
    assert personas.person_haizhou.name not in page
    assert personas.haizhou.first_name not in page  # account holders' names are not shown either
