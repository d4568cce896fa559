"""Pages of benefits: thin views over selectors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from gongjiang.talents.selectors import person_profile

from .selectors import person_benefits


@login_required
def person_eligibility(request, pk: int):
    """The benefits a person (in the user's scope) qualifies for today, each condition with its
    reason; loaded into the person's page (htmx fragment). Outside the scope: 404."""
    person = person_profile(user=request.user, pk=pk)
    on = timezone.localdate()
    return render(
        request,
        "benefits/_person_eligibility.html",
        {"person": person, "on": on, "rows": person_benefits(person=person, on=on, user=request.user)},
    )
