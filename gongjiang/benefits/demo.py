"""Demo benefits: the shipped demo policies (marked 演示) and today's 免申即享 offers."""

from __future__ import annotations

from pathlib import Path

from django.utils import timezone

from .models import BenefitPolicy
from .services import entitlements_grant, policies_load

DEMO_POLICIES = Path(__file__).parent / "demo_policies.json"


def seed_benefits() -> dict[str, int]:
    """Load the demo policies once and make today's offers (idempotent: a second run adds none)."""
    if not BenefitPolicy.objects.exists():
        policies_load(actor=None, text=DEMO_POLICIES.read_text(encoding="utf-8"))
    return entitlements_grant(on=timezone.localdate())
