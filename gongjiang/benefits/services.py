"""Writes of benefits: loading policies (a file, or the city's form), each change a new version."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from gongjiang.accounts.models import User
from gongjiang.accounts.services import audit_record
from gongjiang.core.models import CertificateType, Domain, Region, SkillLevel

from .models import BenefitPolicy, PolicyBudget, PolicyVersion
from .spec import Known, PolicySpec, specs_from_text


def known_codes() -> Known:
    """The reference codes a policy file may name."""
    return Known(
        levels=frozenset(SkillLevel.objects.values_list("code", flat=True)),
        certificate_types=frozenset(CertificateType.objects.values_list("code", flat=True)),
        regions=frozenset(Region.objects.values_list("code", flat=True)),
        domains=frozenset(Domain.objects.values_list("code", flat=True)),
    )


@dataclass
class LoadResult:
    created: list[str]
    new_versions: list[str]
    unchanged: list[str]
    budgets_changed: list[str]

    def as_json(self) -> dict:
        return {
            "created": self.created,
            "new_versions": self.new_versions,
            "unchanged": self.unchanged,
            "budgets_changed": self.budgets_changed,
        }


def policy_save(*, actor: User | None, spec: PolicySpec) -> str:
    """Create the policy, or add a version when its rules changed; budgets follow the spec.
    Returns "created", "new_version", "budget" or "unchanged"."""
    policy, created = BenefitPolicy.objects.select_for_update().get_or_create(
        code=spec.code,
        defaults={"name": spec.name, "department": spec.department, "mode": spec.mode, "demo": spec.demo},
    )
    latest = policy.versions.order_by("-number").first()
    outcome = "unchanged"
    rules = spec.as_json()
    rules.pop("budget")
    if latest is None or spec.rules_json() != _rules_key(latest.rules):
        PolicyVersion.objects.create(
            policy=policy,
            number=(latest.number + 1) if latest else 1,
            rules=rules,
            effective_from=spec.effective.start,
            effective_to=spec.effective.end,
            created_by=actor if actor is not None and actor.pk else None,
        )
        outcome = "created" if created else "new_version"
    fields = {"name": spec.name, "department": spec.department, "mode": spec.mode, "demo": spec.demo}
    if any(getattr(policy, k) != v for k, v in fields.items()):
        BenefitPolicy.objects.filter(pk=policy.pk).update(**fields)
    current = {b.year: b.amount for b in policy.budgets.all()}
    if current != spec.budget:
        policy.budgets.exclude(year__in=list(spec.budget)).delete()
        for year, amount in spec.budget.items():
            PolicyBudget.objects.update_or_create(policy=policy, year=year, defaults={"amount": amount})
        outcome = "budget" if outcome == "unchanged" else outcome
    if outcome != "unchanged":
        audit_record(
            actor=actor,
            action="policy.%s" % outcome,
            obj=policy,
            changes={"rules": rules, "budget": {str(k): str(v) for k, v in spec.budget.items()}},
        )
    return outcome


def _rules_key(rules: dict) -> str:
    import json

    data = dict(rules)
    data.pop("demo", None)
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


@transaction.atomic
def policies_load(*, actor: User | None, text: str) -> LoadResult:
    """Load a policy file whole: every policy checked first (SpecError, nothing written), then each
    created, versioned or left as it is. Loading the same file twice changes nothing."""
    specs = specs_from_text(text, known=known_codes())
    result = LoadResult([], [], [], [])
    for spec in specs:
        outcome = policy_save(actor=actor, spec=spec)
        {
            "created": result.created,
            "new_version": result.new_versions,
            "unchanged": result.unchanged,
            "budget": result.budgets_changed,
        }[outcome].append(spec.code)
    return result


@transaction.atomic
def entitlements_grant(
    *, on: datetime.date, actor: User | None = None, code: str | None = None
) -> dict[str, int]:
    """免申即享: offer every automatic policy in force on ``on`` to everyone who qualifies and has no
    standing entitlement of it yet (set-based, one statement per policy). Application policies are
    granted only on an approved application. Returns {policy code: offers made}; audited once."""
    from django.db import connection

    from .choices import PolicyMode
    from .engine import grant_sql, version_in_force
    from .selectors import version_spec

    made: dict[str, int] = {}
    policies = BenefitPolicy.objects.filter(mode=PolicyMode.AUTOMATIC).prefetch_related("versions", "budgets")
    if code:
        policies = policies.filter(code=code)
    for policy in policies.order_by("code"):
        version = version_in_force(list(policy.versions.all()), on)
        if version is None:
            continue
        spec = version_spec(version, policy=policy)
        sql, params = grant_sql(policy_id=policy.pk, version_id=version.pk, spec=spec, on=on)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            made[policy.code] = cursor.rowcount
    audit_record(
        actor=actor,
        action="entitlement.grant",
        object_type="benefits.entitlement",
        changes={"on": on, "offers": made},
    )
    return made
