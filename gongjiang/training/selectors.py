"""Reads of training: the public catalogue (published entries only, no user), scoped lists for
signed-in users, claims with their lines, and the dashboard's aggregates."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Sum

from gongjiang.accounts.models import User
from gongjiang.accounts.shortcuts import get_scoped_or_404

from .models import ClaimLine, Course, EnterpriseTraining, Provider, SubsidyClaim, SubsidyRate

_COURSE_RELATED = ("provider", "provider__region", "occupation", "level", "domain", "certificate_type")


def course_catalogue() -> QuerySet[Course]:
    """Published courses of published providers, as the public catalogue shows them. Public by
    policy (措施三: shared training resources), so not narrowed by any user's scope."""
    return (
        Course.objects.filter(published=True, provider__published=True)
        .select_related(*_COURSE_RELATED)
        .order_by("domain__sort_order", "provider__name", "name")
    )


def course_public(*, pk: int) -> Course:
    """One published course with its classes still to come and its provider's teachers; 404 else."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(course_catalogue().prefetch_related("provider__domains"), pk=pk)


def course_amounts(courses) -> dict[int, dict[str, object]]:
    """What each course's certificate earns under each kind of subsidy (from the subsidy table)."""
    keys = {(c.subsidy_class, c.level_id) for c in courses if c.subsidy_class}
    if not keys:
        return {}
    rates = {
        (r.kind, r.subsidy_class, r.level_id): r
        for r in SubsidyRate.objects.filter(
            subsidy_class__in={k[0] for k in keys}, level_id__in={k[1] for k in keys}
        )
    }
    out = {}
    for course in courses:
        if course.subsidy_class:
            out[course.pk] = {
                kind: rates.get((kind, course.subsidy_class, course.level_id))
                for kind in ("vocational", "upgrade")
            }
    return out


def course_list(*, user: User, action: str = "view") -> QuerySet[Course]:
    return Course.objects.for_user(user, action).select_related(*_COURSE_RELATED)


def provider_list(*, user: User, action: str = "view") -> QuerySet[Provider]:
    return (
        Provider.objects.for_user(user, action)
        .select_related("organisation", "region")
        .annotate(course_count=Count("courses"))
    )


def claim_list(*, user: User, action: str = "view") -> QuerySet[SubsidyClaim]:
    return (
        SubsidyClaim.objects.for_user(user, action)
        .select_related("claimant", "region", "course", "schedule")
        .annotate(
            line_count=Count("lines"),
            eligible_count=Count("lines", filter=Q(lines__eligible=True)),
            eligible_amount=Sum("lines__amount", filter=Q(lines__eligible=True)),
        )
    )


def claim_detail(*, user: User, pk: int) -> SubsidyClaim:
    return get_scoped_or_404(
        SubsidyClaim.objects.select_related(
            "claimant", "region", "course__occupation", "course__level", "schedule", "submitted_by"
        ),
        user,
        "view",
        pk=pk,
    )


def claim_lines(claim: SubsidyClaim) -> list[ClaimLine]:
    return list(
        claim.lines.select_related("entitlement", "certificate")
        .prefetch_related("entitlement__lines")
        .order_by("row_no")
    )


def enterprise_training_list(*, user: User, action: str = "view") -> QuerySet[EnterpriseTraining]:
    return (
        EnterpriseTraining.objects.for_user(user, action)
        .select_related("organisation", "organisation__region")
        .annotate(chain_count=Count("chain"))
    )
