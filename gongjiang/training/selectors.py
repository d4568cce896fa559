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


def training_dashboard(*, region: str | None, year: int) -> dict:
    """For the targets dashboard: trainees claimed for in ``year`` (claims not refused) and those
    whose certificate the registry confirmed, by domain and by provider kind; subsidy granted
    (approved lines) and paid (lines paid in ``year``'s benefits batches) by kind. The whole city
    or one region (the claim's county); read as the platform itself (SYSTEM), two grouped reads."""
    from gongjiang.accounts.scope import SYSTEM, scope
    from gongjiang.benefits.choices import PaymentStatus
    from gongjiang.benefits.models import PaymentLine

    from .choices import LIVE_CLAIM, ProviderKind, SubsidyKind

    lines = scope(ClaimLine.objects.all(), SYSTEM).filter(
        claim__status__in=LIVE_CLAIM, claim__submitted_at__year=year
    )
    paid = scope(PaymentLine.objects.all(), SYSTEM).filter(
        status=PaymentStatus.PAID, batch__month__year=year, entitlement__training_line__isnull=False
    )
    if region:
        lines = lines.filter(Q(claim__region_id=region) | Q(claim__region__parent_id=region))
        paid = paid.filter(
            Q(entitlement__training_line__claim__region_id=region)
            | Q(entitlement__training_line__claim__region__parent_id=region)
        )
    domains: dict[str, list] = {}  # name -> [trainees, certified]
    kinds: dict[str, list] = {}  # provider kind label -> [trainees, certified]
    subsidy = {k.value: [0, 0.0, 0.0] for k in SubsidyKind}  # kind -> [lines granted, granted, paid]
    provider_labels = dict(ProviderKind.choices)
    for r in lines.values(
        "claim__course__domain__name", "claim__course__provider__kind", "claim__kind"
    ).annotate(
        trainees=Count("pk"),
        certified=Count("pk", filter=Q(eligible=True)),
        granted_lines=Count("pk", filter=Q(entitlement__isnull=False)),
        granted=Sum("amount", filter=Q(entitlement__isnull=False)),
    ):
        row = domains.setdefault(r["claim__course__domain__name"], [0, 0])
        row[0] += r["trainees"]
        row[1] += r["certified"]
        row = kinds.setdefault(provider_labels.get(r["claim__course__provider__kind"], "其他"), [0, 0])
        row[0] += r["trainees"]
        row[1] += r["certified"]
        subsidy[r["claim__kind"]][0] += r["granted_lines"]
        subsidy[r["claim__kind"]][1] += float(r["granted"] or 0)
    for r in paid.values("entitlement__training_line__claim__kind").annotate(total=Sum("amount")):
        subsidy[r["entitlement__training_line__claim__kind"]][2] += float(r["total"] or 0)
    return {
        "year": year,
        "by_domain": [{"label": k, "trainees": t, "certified": c} for k, (t, c) in sorted(domains.items())],
        "by_provider_kind": [
            {"label": k, "trainees": t, "certified": c} for k, (t, c) in sorted(kinds.items())
        ],
        "by_kind": [
            {"label": SubsidyKind(k).label, "count": n, "granted": granted, "paid": paid_amount}
            for k, (n, granted, paid_amount) in subsidy.items()
        ],
        "any": bool(domains),
    }


def shareable(*, exclude_organisation: int | None, provider: Provider | None = None):
    """What an organisation may ask to share: published providers other than its own, their
    published courses and shareable teachers (public catalogue data, so not narrowed by scope)."""
    from .models import Teacher

    providers = Provider.objects.filter(published=True).exclude(organisation_id=exclude_organisation)
    if provider is not None:
        providers = providers.filter(pk=provider.pk)
    courses = Course.objects.filter(published=True, provider__in=providers).select_related("provider")
    teachers = Teacher.objects.filter(shareable=True, provider__in=providers).select_related("provider")
    return providers.order_by("name"), courses.order_by("provider__name", "name"), teachers.order_by("name")


def sharing_list(*, user: User, action: str = "view"):
    from .models import SharingRequest

    return SharingRequest.objects.for_user(user, action).select_related(
        "requester", "provider", "course", "teacher"
    )


def sharing_detail(*, user: User, pk: int):
    from .models import SharingRequest

    return get_scoped_or_404(
        SharingRequest.objects.select_related("requester", "provider", "course", "teacher", "submitted_by"),
        user,
        "view",
        pk=pk,
    )
