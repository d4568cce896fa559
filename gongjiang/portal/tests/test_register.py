"""Talent self-registration: name + full ID + one certificate number + password; one refusal for
any mismatch; one account per person; a lock per ID after five mismatches; a limit per address."""

import pytest
from django.test import override_settings

from gongjiang.accounts.models import AuditEntry, User
from gongjiang.portal.services import REGISTER_REFUSAL

pytestmark = pytest.mark.django_db

PASSWORD = "Gj-Register-2026!"


def _form(person, **overrides):
    data = {
        "name": person.name,
        "id_number": person.id_number,
        "certificate_number": person.certificates.first().number,
        "username": "worker_01",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    return {**data, **overrides}


def _post(client, data, **extra):
    return client.post("/register/", data, **extra)


def test_holder_registers_lands_on_own_home_and_is_audited(client, personas):
    person = personas.person_ganyu
    response = _post(client, _form(person))
    assert response.status_code == 302 and response["Location"] == "/me/"
    person.refresh_from_db()
    user = User.objects.get(username="worker_01")
    assert person.user == user and user.role == "talent" and user.check_password(PASSWORD)
    assert person.name in client.get("/me/").content.decode()
    audit = AuditEntry.objects.get(action="talent.register")
    assert audit.user == user and person.id_number not in str(audit.changes)


def test_wrong_id_checksum_is_a_field_error_and_creates_nothing(client, personas):
    person = personas.person_ganyu
    bad = person.id_number[:17] + ("0" if person.id_number[17] != "0" else "1")
    response = _post(client, _form(person, id_number=bad))
    assert response.status_code == 422
    assert "身份证号校验位错误" in response.content.decode()
    assert not User.objects.filter(username="worker_01").exists()


@pytest.mark.parametrize(
    "change",
    [
        lambda p, personas: {"certificate_number": "NOT-A-NUMBER"},
        lambda p, personas: {
            "certificate_number": personas.person_haizhou.certificates.first().number
        },  # someone else's
        lambda p, personas: {"name": "别人"},
    ],
    ids=["wrong certificate number", "someone else's certificate", "wrong name"],
)
def test_any_mismatch_gets_the_same_refusal(client, personas, change):
    person = personas.person_ganyu
    response = _post(client, _form(person, **change(person, personas)))
    assert response.status_code == 422
    page = response.content.decode()
    assert REGISTER_REFUSAL in page
    person.refresh_from_db()
    assert person.user is None and not User.objects.filter(username="worker_01").exists()
    assert AuditEntry.objects.get(action="talent.register_refused").changes == {"why": "mismatch"}


def test_revoked_certificate_does_not_open_an_account(client, personas):
    person = personas.person_ganyu
    person.certificates.update(status="revoked")
    assert REGISTER_REFUSAL in _post(client, _form(person)).content.decode()


def test_already_registered_person_cannot_open_a_second_account(client, personas):
    person = personas.person_haizhou  # bound to the talent persona
    response = _post(client, _form(person))
    assert response.status_code == 422
    assert "您已开通个人账号" in response.content.decode()
    person.refresh_from_db()
    assert person.user == personas.talent and not User.objects.filter(username="worker_01").exists()


def test_password_may_not_contain_the_id_number(client, personas):
    person = personas.person_ganyu
    weak = "Aa!" + person.id_number[-8:] + "xyz"
    response = _post(client, _form(person, password1=weak, password2=weak))
    assert response.status_code == 422
    assert "密码不能包含身份证号或手机号" in response.content.decode()
    person.refresh_from_db()
    assert person.user is None and not User.objects.filter(username="worker_01").exists()


@override_settings(GONGJIANG_REGISTER_LIMIT_PER_HOUR=50)
def test_five_mismatches_lock_the_id_even_with_the_right_answer(client, personas):
    person = personas.person_ganyu
    for n in range(5):
        # From different addresses: the lock is per ID number, not per address.
        response = _post(client, _form(person, certificate_number="WRONG"), REMOTE_ADDR="10.0.0.%d" % n)
        assert response.status_code == 422
    response = _post(client, _form(person), REMOTE_ADDR="10.0.1.1")
    assert response.status_code == 429
    assert "注册尝试过于频繁" in response.content.decode()
    person.refresh_from_db()
    assert person.user is None
    assert AuditEntry.objects.filter(action="talent.register_refused", changes__why="locked").count() == 1


@override_settings(GONGJIANG_REGISTER_LIMIT_PER_HOUR=2)
def test_attempts_per_address_are_limited(client, personas):
    person = personas.person_ganyu
    assert _post(client, _form(person, name="甲")).status_code == 422
    assert _post(client, _form(person, name="乙")).status_code == 422
    response = _post(client, _form(person))
    assert response.status_code == 429 and int(response["Retry-After"]) <= 3600
    person.refresh_from_db()
    assert person.user is None
