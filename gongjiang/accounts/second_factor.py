"""The second factor (SECURITY.md 身份鉴别): TOTP with one-time recovery codes, through django-otp.

Who needs it is one rule (``second_factor_required``): the city admin, the three administrators
(system, security, audit) and anyone whose role may reveal full ID numbers or pay money. With
``GONGJIANG_OTP_REQUIRED`` (on whenever DEBUG is off) such an account reaches nothing but the
enrol and verify pages until it has proved its second factor in this session; otherwise the
factor is offered, and asked for at sign-in once enrolled.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .choices import ADMIN_ROLES, Role
from .models import User
from .services import audit_record

RECOVERY_CODES = 10
_PERMISSIONS_NEEDING_IT = ("talents.reveal_person", "benefits.pay_entitlement")


def second_factor_required(user: User) -> bool:
    """Whether ``user``'s account must have a second factor (the one rule)."""
    if not user.is_authenticated:
        return False
    if user.role == Role.CITY_ADMIN or user.role in ADMIN_ROLES:
        return True
    return any(user.has_perm(p) for p in _PERMISSIONS_NEEDING_IT)


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def totp_enrol_start(*, actor: User) -> TOTPDevice:
    """The authenticator to be confirmed: a fresh unconfirmed TOTP device (an earlier unconfirmed
    one is replaced, so an abandoned QR code stops working)."""
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    return TOTPDevice.objects.create(user=actor, name="身份验证器", confirmed=False)


@transaction.atomic
def totp_enrol_confirm(*, actor: User, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the authenticator by a code it shows; the account's earlier devices and recovery
    codes are replaced. Returns the new recovery codes (shown once, then only their use counts)."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=actor, confirmed=False)
    if not device.verify_token(_digits(token)):
        raise ValidationError({"token": "验证码不正确或已过期，请输入身份验证器上当前显示的 6 位数字"})
    TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save()
    StaticDevice.objects.filter(user=actor).delete()
    recovery = StaticDevice.objects.create(user=actor, name="恢复码", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=recovery, token=c) for c in codes])
    audit_record(actor=actor, action="otp.enrol", obj=actor, changes={"recovery_codes": RECOVERY_CODES})
    return codes


def second_factor_check(*, actor: User, token: str):
    """The device that accepts ``token`` (an authenticator code or an unused recovery code, which
    is then used up), or None. Each try is audited; django-otp throttles repeated failures."""
    token = token.strip().replace(" ", "")
    for device in devices_for_user(actor, confirmed=True):
        if device.verify_is_allowed()[0] and device.verify_token(
            _digits(token) if isinstance(device, TOTPDevice) else token
        ):
            recovery = isinstance(device, StaticDevice)
            action = "otp.recovery_used" if recovery else "otp.verify"
            left = device.token_set.count() if recovery else None
            audit_record(actor=actor, action=action, obj=actor, changes={"left": left} if recovery else {})
            return device
    audit_record(actor=actor, action="otp.failed", obj=actor, result="denied")
    return None


def _digits(token: str) -> str:
    return "".join(ch for ch in token if ch.isdigit())
