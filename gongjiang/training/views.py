"""Pages of training: the public course catalogue (no login), the provider's own entries, subsidy
claims on the one workflow, and enterprises' training records. Thin: selectors read, services write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_filters.views import FilterView

from gongjiang.accounts.shortcuts import get_scoped_or_404
from gongjiang.common.forms import apply_validation_error, bootstrapify
from gongjiang.common.listing import ObjectListView
from gongjiang.common.views import form_page
from gongjiang.workflow.selectors import history, permitted_steps
from gongjiang.workflow.views import step_post

from . import services
from .filters import (
    CatalogueFilterSet,
    CourseFilterSet,
    EnterpriseTrainingFilterSet,
    ProviderFilterSet,
    SharingRequestFilterSet,
    SubsidyClaimFilterSet,
)
from .forms import (
    ChainTrainingForm,
    ClaimForm,
    CourseForm,
    EnterpriseTrainingForm,
    ProviderForm,
    ScheduleForm,
    SharingRequestForm,
    TeacherForm,
)
from .models import Course, EnterpriseTraining, Provider, Schedule, Teacher
from .selectors import (
    claim_detail,
    claim_lines,
    claim_list,
    course_amounts,
    course_catalogue,
    course_list,
    course_public,
    enterprise_training_list,
    provider_list,
    sharing_detail,
    sharing_list,
)
from .tables import (
    CourseTable,
    EnterpriseTrainingTable,
    ProviderTable,
    SharingRequestTable,
    SubsidyClaimTable,
)
from .workflows import CLAIM_WORKFLOW, SHARING_WORKFLOW

# --- the public catalogue -------------------------------------------------------------------------


class CourseCatalogueView(FilterView):
    """培训资源目录: published courses, searchable by domain, occupation, level, region and subsidy;
    no login, one card per course so it reads on a phone."""

    template_name = "training/catalogue.html"
    filterset_class = CatalogueFilterSet
    paginate_by = 20

    def get_queryset(self):
        return course_catalogue()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bootstrapify(context["filter"].form, small=True)
        courses = list(context["object_list"])
        amounts = course_amounts(courses)
        for course in courses:
            course.rates = amounts.get(course.pk)
        context.update(title="职业技能培训资源目录", object_list=courses)
        return context


def course_public_view(request, pk: int):
    course = course_public(pk=pk)
    provider = course.provider
    return render(
        request,
        "training/course_public.html",
        {
            "course": course,
            "provider": provider,
            "amounts": course_amounts([course]).get(course.pk, {}),
            "schedules": list(course.schedules.order_by("starts_on")),
            "teachers": list(provider.teachers.order_by("name")),
            "title": course.name,
        },
    )


# --- a provider's own entries ---------------------------------------------------------------------


class CourseListView(ObjectListView):
    title = "培训课程"
    table_class = CourseTable
    filterset_class = CourseFilterSet
    view_permission = "training.view_course"
    export_permission = "training.view_course"
    export_name = "培训课程"
    create_url_name = "training:course_create"
    create_permission = "training.add_course"
    selector = staticmethod(course_list)
    extra_actions = (
        ("培训机构", "training:provider_list", "training.view_provider", "building"),
        ("补贴申领", "training:claim_list", "training.view_subsidyclaim", "cash-coin"),
        ("企业职工培训", "training:record_list", "training.view_enterprisetraining", "people"),
        ("资源共享", "training:sharing_list", "training.view_sharingrequest", "share"),
        ("公开目录", "training:course_catalogue", "training.view_course", "globe"),
    )


class ProviderListView(ObjectListView):
    title = "培训机构"
    table_class = ProviderTable
    filterset_class = ProviderFilterSet
    view_permission = "training.view_provider"
    export_permission = "training.view_provider"
    export_name = "培训机构"
    create_url_name = "training:provider_create"
    create_permission = "training.add_provider"
    selector = staticmethod(provider_list)
    extra_actions = (("培训课程", "training:course_list", "training.view_course", "journal-text"),)


@login_required
@permission_required("training.add_provider", raise_exception=True)
def provider_create_view(request):
    return form_page(
        request,
        ProviderForm(request.POST or None, user=request.user),
        title="登记培训机构",
        cancel="training:provider_list",
        save=lambda form: _save_provider(request, form),
        done=lambda p: reverse("training:provider_update", args=[p.pk]),
    )


def _save_provider(request, form):
    provider = services.catalogue_save(
        actor=request.user, obj=form.save(commit=False), changed=form.changed_data
    )
    provider.domains.set(form.cleaned_data["domains"])
    return provider


@login_required
def provider_update_view(request, pk: int):
    provider = get_scoped_or_404(Provider.objects.all(), request.user, "change", pk=pk)
    form = ProviderForm(request.POST or None, instance=provider, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            _save_provider(request, form)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "已保存")
            return redirect("training:provider_update", pk=pk)
    return render(
        request,
        "training/provider_form.html",
        {
            "form": form,
            "provider": provider,
            "teachers": list(provider.teachers.select_related("person")),
            "title": provider.name,
        },
    )


@login_required
def teacher_create_view(request, pk: int):
    provider = get_scoped_or_404(Provider.objects.all(), request.user, "change", pk=pk)
    return form_page(
        request,
        TeacherForm(request.POST or None),
        title="新增教师：%s" % provider.name,
        cancel="training:provider_list",
        save=lambda form: services.teacher_save(
            actor=request.user,
            teacher=Teacher(provider=provider, **{f: form.cleaned_data[f] for f in form.Meta.fields}),
            resident_id=form.cleaned_data["resident_id"],
        ),
        done=lambda t: reverse("training:provider_update", args=[pk]),
    )


@login_required
@permission_required("training.add_course", raise_exception=True)
def course_create_view(request):
    return form_page(
        request,
        CourseForm(request.POST or None, user=request.user),
        title="发布培训课程",
        cancel="training:course_list",
        save=lambda form: services.catalogue_save(
            actor=request.user, obj=form.save(commit=False), changed=form.changed_data
        ),
        done=lambda c: reverse("training:course_update", args=[c.pk]),
        message=lambda c: "已保存课程：%s" % c.name,
    )


@login_required
def course_update_view(request, pk: int):
    course = get_scoped_or_404(Course.objects.select_related("provider"), request.user, "change", pk=pk)
    form = CourseForm(request.POST or None, instance=course, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.catalogue_save(
                actor=request.user, obj=form.save(commit=False), changed=form.changed_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "已保存课程：%s" % course.name)
            return redirect("training:course_update", pk=pk)
    return render(
        request,
        "training/course_form.html",
        {"form": form, "course": course, "schedules": list(course.schedules.all()), "title": course.name},
    )


@login_required
def schedule_create_view(request, pk: int):
    course = get_scoped_or_404(Course.objects.all(), request.user, "change", pk=pk)
    return form_page(
        request,
        ScheduleForm(request.POST or None, instance=Schedule(course=course)),
        title="新增开班：%s" % course.name,
        cancel="training:course_list",
        save=lambda form: services.catalogue_save(actor=request.user, obj=form.save(commit=False)),
        done=lambda s: reverse("training:course_update", args=[pk]),
        message="已新增开班",
    )


# --- subsidy claims -------------------------------------------------------------------------------


class SubsidyClaimListView(ObjectListView):
    title = "培训补贴申领"
    table_class = SubsidyClaimTable
    filterset_class = SubsidyClaimFilterSet
    view_permission = "training.view_subsidyclaim"
    export_permission = "training.view_subsidyclaim"
    export_name = "培训补贴申领"
    create_url_name = "training:claim_create"
    create_permission = "training.add_subsidyclaim"
    selector = staticmethod(claim_list)


@login_required
@permission_required("training.add_subsidyclaim", raise_exception=True)
def claim_create_view(request):
    form = ClaimForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            claim = services.claim_submit(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                schedule=form.cleaned_data["schedule"],
                bank_name=form.cleaned_data["bank_name"],
                account=form.cleaned_data["account"],
                trainees=form.cleaned_data["trainees"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            refused = claim.lines.filter(eligible=False).count()
            messages.success(
                request,
                "已提交申领，等待县区审核；%(n)d 名学员中 %(r)d 名不符合条件（原因见下表）"
                % {"n": claim.lines.count(), "r": refused},
            )
            return redirect("training:claim_detail", pk=claim.pk)
    return render(
        request,
        "common/object_form.html",
        {"form": form, "title": "申领培训补贴", "cancel_url": "training:claim_list"},
    )


CLAIM_BUTTONS = ("county_pass", "approve", "return", "reject", "resubmit")


@login_required
def claim_detail_view(request, pk: int):
    claim = claim_detail(user=request.user, pk=pk)
    lines = claim_lines(claim)
    return render(
        request,
        "training/claim_detail.html",
        {
            "claim": claim,
            "lines": lines,
            "eligible": [line for line in lines if line.eligible],
            "refused": [line for line in lines if not line.eligible],
            "total": sum(line.amount for line in lines if line.eligible),
            "steps": permitted_steps(CLAIM_WORKFLOW, claim, request.user, CLAIM_BUTTONS),
            "events": history(claim),
            "title": str(claim),
        },
    )


@login_required
@require_POST
def claim_step_view(request, pk: int, action: str):
    if action not in CLAIM_BUTTONS:
        raise Http404
    claim = claim_detail(user=request.user, pk=pk)
    return step_post(
        request,
        CLAIM_WORKFLOW,
        action,
        lambda reason, files: services.claim_step(
            actor=request.user, claim=claim, action=action, reason=reason, files=files
        ),
        reverse("training:claim_detail", args=[pk]),
    )


# --- enterprise training records ------------------------------------------------------------------


class EnterpriseTrainingListView(ObjectListView):
    title = "企业职工培训"
    table_class = EnterpriseTrainingTable
    filterset_class = EnterpriseTrainingFilterSet
    view_permission = "training.view_enterprisetraining"
    export_permission = "training.export_enterprisetraining"
    export_name = "企业职工培训"
    create_url_name = "training:record_create"
    create_permission = "training.add_enterprisetraining"
    selector = staticmethod(enterprise_training_list)
    extra_actions = (("导入企业培训情况", "jobs:import_start", "training.add_enterprisetraining"),)


@login_required
@permission_required("training.add_enterprisetraining", raise_exception=True)
def record_create_view(request):
    return form_page(
        request,
        EnterpriseTrainingForm(request.POST or None, user=request.user),
        title="填报企业职工培训情况",
        cancel="training:record_list",
        save=lambda form: services.enterprise_training_save(
            actor=request.user, record=form.save(commit=False)
        ),
        done=lambda r: reverse("training:record_update", args=[r.pk]),
    )


@login_required
def record_update_view(request, pk: int):
    record = get_scoped_or_404(
        EnterpriseTraining.objects.select_related("organisation"), request.user, "change", pk=pk
    )
    form = EnterpriseTrainingForm(request.POST or None, instance=record, user=request.user)
    chain_form = ChainTrainingForm(prefix="chain")
    if request.method == "POST" and form.is_valid():
        try:
            services.enterprise_training_save(actor=request.user, record=form.save(commit=False))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "已保存")
            return redirect("training:record_update", pk=pk)
    return render(
        request,
        "training/record_form.html",
        {
            "form": form,
            "chain_form": chain_form,
            "record": record,
            "chain": list(record.chain.select_related("member")),
            "title": str(record),
        },
    )


@login_required
@require_POST
def chain_add_view(request, pk: int):
    record = get_scoped_or_404(
        EnterpriseTraining.objects.select_related("organisation"), request.user, "change", pk=pk
    )
    form = ChainTrainingForm(request.POST, prefix="chain")
    if form.is_valid():
        try:
            services.chain_training_add(
                actor=request.user,
                record=record,
                member_uscc=form.cleaned_data["member_uscc"],
                staff_trained=form.cleaned_data["staff_trained"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已记录产业链企业职工培训")
    else:
        messages.error(request, "请填写链上企业的统一社会信用代码和培训人次")
    return redirect("training:record_update", pk=pk)


# --- sharing requests -----------------------------------------------------------------------------


class SharingRequestListView(ObjectListView):
    title = "培训资源共享申请"
    table_class = SharingRequestTable
    filterset_class = SharingRequestFilterSet
    view_permission = "training.view_sharingrequest"
    export_permission = "training.view_sharingrequest"
    export_name = "培训资源共享申请"
    create_url_name = "training:sharing_create"
    create_permission = "training.add_sharingrequest"
    selector = staticmethod(sharing_list)


@login_required
@permission_required("training.add_sharingrequest", raise_exception=True)
def sharing_create_view(request):
    provider = None
    if request.GET.get("provider", "").isdigit():
        provider = Provider.objects.filter(pk=int(request.GET["provider"]), published=True).first()
    form = SharingRequestForm(request.POST or None, user=request.user, provider=provider)
    return form_page(
        request,
        form,
        title="申请共享培训资源",
        cancel="training:sharing_list",
        save=lambda f: services.sharing_submit(actor=request.user, **f.cleaned_data),
        done=lambda r: reverse("training:sharing_detail", args=[r.pk]),
        message="已提交共享申请，等待共享方答复",
    )


SHARING_BUTTONS = ("accept", "decline", "withdraw")


@login_required
def sharing_detail_view(request, pk: int):
    sharing = sharing_detail(user=request.user, pk=pk)
    steps = permitted_steps(SHARING_WORKFLOW, sharing, request.user, SHARING_BUTTONS)
    if request.user.organisation_id != sharing.requester_id:  # only the requester withdraws
        steps = [s for s in steps if s.name != "withdraw"]
    return render(
        request,
        "training/sharing_detail.html",
        {"sharing": sharing, "steps": steps, "events": history(sharing), "title": str(sharing)},
    )


@login_required
@require_POST
def sharing_step_view(request, pk: int, action: str):
    if action not in SHARING_BUTTONS:
        raise Http404
    sharing = sharing_detail(user=request.user, pk=pk)
    return step_post(
        request,
        SHARING_WORKFLOW,
        action,
        lambda reason, files: services.sharing_step(
            actor=request.user, request=sharing, action=action, reason=reason
        ),
        reverse("training:sharing_detail", args=[pk]),
    )
