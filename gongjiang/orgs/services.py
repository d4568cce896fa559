"""Writes of organisations."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from gongjiang.accounts.models import User
from gongjiang.accounts.scope import ensure_in_scope
from gongjiang.accounts.services import audit_record, model_changes
from gongjiang.core.validators import normalise_uscc

from .models import Organisation
from .signals import organisations_changed

FIELDS = (
    "name",
    "uscc",
    "kind",
    "region_id",
    "domain_id",
    "size",
    "is_chain_leader",
    "is_industry_leader",
    "is_specialised",
    "is_state_owned",
    "address",
    "contact_name",
)


def _snapshot(org: Organisation) -> dict:
    return {f: getattr(org, f) for f in FIELDS}


@transaction.atomic
def organisation_create(*, actor: User, **fields) -> Organisation:
    """Register an organisation; its credit code must be valid and not yet registered."""
    fields["uscc"] = normalise_uscc(fields.get("uscc", ""))
    if Organisation.objects.filter(uscc=fields["uscc"]).exists():
        raise ValidationError({"uscc": "该统一社会信用代码已登记"})
    org = Organisation(**fields)
    org.full_clean()
    org.save()
    ensure_in_scope(org, actor, "add")
    audit_record(actor=actor, action="organisation.create", obj=org, changes=_snapshot(org))
    return org


@transaction.atomic
def organisation_update(*, actor: User, organisation: Organisation, **fields) -> Organisation:
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = _snapshot(org)
    if "uscc" in fields:
        fields["uscc"] = normalise_uscc(fields["uscc"])
        if Organisation.objects.filter(uscc=fields["uscc"]).exclude(pk=org.pk).exists():
            raise ValidationError({"uscc": "该统一社会信用代码已登记"})
    for name, value in fields.items():
        setattr(org, name, value)
    org.full_clean()
    org.save()
    ensure_in_scope(org, actor, "change")
    audit_record(
        actor=actor, action="organisation.update", obj=org, changes=model_changes(before, _snapshot(org))
    )
    organisations_changed.send(sender=Organisation)
    return org
