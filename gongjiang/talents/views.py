"""Pages of the talent database: thin views over selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gongjiang.accounts.shortcuts import get_scoped_or_404
from gongjiang.common.forms import apply_validation_error
from gongjiang.common.listing import ObjectListView
from gongjiang.competitions.selectors import person_results
from gongjiang.honours.selectors import person_honours
from gongjiang.orgs.models import Organisation

from .filters import CertificateFilterSet, PersonFilterSet
from .forms import CertificateForm, PersonForm, RevealForm, RevokeForm
from .models import Certificate, Person
from .selectors import certificate_list, high_skilled_certificate, person_list, person_profile
from .services import certificate_create, certificate_revoke, person_create, person_reveal, person_update
from .tables import CertificateTable, PersonTable


class PersonListView(ObjectListView):
    title = "人才库"
    table_class = PersonTable
    filterset_class = PersonFilterSet
    view_permission = "talents.view_person"
    export_permission = "talents.export_person"
    export_name = "人员"
    reveal_permission = "talents.reveal_person"
    create_url_name = "talents:person_create"
    create_permission = "talents.add_person"
    selector = staticmethod(person_list)
    extra_actions = (
        ("批量导入", "jobs:import_start", "talents.add_person"),
        ("开通个人账号", "portal:talent_accounts", "talents.change_person", "person-plus"),
    )


class CertificateListView(ObjectListView):
    title = "证书"
    table_class = CertificateTable
    filterset_class = CertificateFilterSet
    view_permission = "talents.view_certificate"
    export_permission = "talents.export_certificate"
    export_name = "证书"
    reveal_permission = "talents.reveal_person"
    selector = staticmethod(certificate_list)


def _profile_context(request, person: Person, certificate_form: CertificateForm | None = None) -> dict:
    user = request.user
    in_scope = Person.objects.filter(pk=person.pk)
    can_add = user.has_perm("talents.add_certificate") and in_scope.for_user(user, "add").exists()
    if certificate_form is None and can_add:
        certificate_form = CertificateForm(user=user, person=person)
    certificates = list(person.certificates.all())
    introduced_at = (
        sum(1 for c in certificates if c.issue_date <= person.introduced_on) if person.introduced_on else None
    )
    made_high = high_skilled_certificate(person, certificates)
    return {
        "person": person,
        "certificates": certificates,
        "made_high_pk": made_high.pk if made_high else None,
        "made_high_later": bool(made_high and person.high_skilled_since != made_high.issue_date),
        "introduced_at": introduced_at,
        "can_reveal": in_scope.for_user(user, "reveal").exists(),
        "can_edit": in_scope.for_user(user, "change").exists(),
        "can_revoke": user.has_perm("talents.revoke_certificate"),
        "certificate_form": certificate_form if can_add else None,
        "reveal_form": RevealForm(),
        "honours": person_honours(user=user, person=person),
        "competition_results": person_results(user=user, person=person),
    }


@login_required
def person_detail(request, pk: int):
    person = person_profile(user=request.user, pk=pk)
    return render(request, "talents/person_detail.html", _profile_context(request, person))


@login_required
@permission_required("talents.add_person", raise_exception=True)
def person_create_view(request):
    form = PersonForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            person = person_create(actor=request.user, data=form.to_data())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "已登记人员：%s" % person.name)
            return redirect("talents:person_detail", pk=person.pk)
    return render(request, "talents/person_form.html", {"form": form, "title": "登记人员"})


@login_required
def person_update_view(request, pk: int):
    person = get_scoped_or_404(Person.objects.all(), request.user, "change", pk=pk)
    form = PersonForm(request.POST or None, instance=person, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            person_update(actor=request.user, person=person, data=form.to_data())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "已保存")
            return redirect("talents:person_detail", pk=person.pk)
    return render(
        request,
        "talents/person_form.html",
        {"form": form, "title": "编辑人员：%s" % person.name, "person": person},
    )


@login_required
@require_POST
def person_reveal_view(request, pk: int):
    person = get_scoped_or_404(Person.objects.all(), request.user, "reveal", pk=pk)
    form = RevealForm(request.POST)
    if not form.is_valid():
        return render(request, "talents/_reveal.html", {"person": person, "form": form}, status=422)
    revealed = person_reveal(actor=request.user, person=person, reason=form.cleaned_data["reason"])
    return render(request, "talents/_reveal.html", {"person": person, "revealed": revealed})


@login_required
@require_POST
def certificate_add_view(request, pk: int):
    person = get_scoped_or_404(Person.objects.all(), request.user, "add", pk=pk)
    if not request.user.has_perm("talents.add_certificate"):
        raise Http404
    form = CertificateForm(request.POST, user=request.user, person=person)
    if form.is_valid():
        try:
            certificate_create(actor=request.user, person=person, **form.service_kwargs())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "已添加证书 %s" % form.cleaned_data["number"])
            return redirect("talents:person_detail", pk=person.pk)
    person = person_profile(user=request.user, pk=pk)
    context = _profile_context(request, person, certificate_form=form)
    context["open_certificate_form"] = True
    return render(request, "talents/person_detail.html", context, status=422)


@login_required
@require_POST
def certificate_revoke_view(request, pk: int):
    certificate = get_scoped_or_404(Certificate.objects.all(), request.user, "revoke", pk=pk)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            certificate_revoke(
                actor=request.user, certificate=certificate, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "证书 %s 已撤销" % certificate.number)
    else:
        messages.error(request, "撤销证书须填写原因（至少2个字）")
    return redirect("talents:person_detail", pk=certificate.person_id)


@login_required
def organisation_staff(request, org_pk: int):
    """The staff of an organisation, as the organisation's page shows them (htmx fragment): the
    persons the user may see whose employer it is. The organisation itself must be in scope."""
    org = get_scoped_or_404(Organisation.objects.all(), request.user, "view", pk=org_pk)
    staff = person_list(user=request.user).filter(employer=org)
    return render(
        request,
        "talents/_organisation_staff.html",
        {
            "org": org,
            "staff_table": PersonTable(staff[:50], exclude=("employer",)),
            "staff_count": staff.count(),
        },
    )
