"""Pages of the schools app: thin views over selectors and services. Rows come through the scope
rule (``get_scoped_or_404``, the selectors); a role without the permission gets 403, a row outside
the user's scope 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.urls import reverse

from gongjiang.accounts.shortcuts import get_scoped_or_404
from gongjiang.common.listing import ObjectListView
from gongjiang.common.views import form_page
from gongjiang.orgs.models import Organisation
from gongjiang.talents.models import Certificate, Person

from . import services
from .choices import SCHOOL_KINDS, TEACHER_GOAL_PERCENT, TeacherCategory
from .filters import (
    DemonstrationFilterSet,
    MilestoneFilterSet,
    PracticeFilterSet,
    SchoolFilterSet,
    SchoolYearFilterSet,
    TeacherFilterSet,
)
from .forms import (
    DemonstrationForm,
    MilestoneForm,
    PracticeForm,
    SchoolYearForm,
    TeacherCreateForm,
    TeacherUpdateForm,
)
from .models import DemonstrationSchool, EnterprisePractice, Milestone, SchoolYear, Teacher
from .selectors import (
    demonstration_list,
    demonstration_progress,
    dual_certificate_rate,
    milestone_list,
    practice_days_by_year,
    practice_list,
    practice_summary,
    school_list,
    schoolyear_list,
    teacher_list,
    teacher_profile,
    teacher_share,
)
from .tables import (
    DemonstrationTable,
    MilestoneTable,
    PracticeTable,
    SchoolTable,
    SchoolYearTable,
    TeacherTable,
    milestone_state,
    percent,
)

# ---------------------------------------------------------------------------------------------
# Lists


class SchoolListView(ObjectListView):
    title = "职业院校"
    template_name = "schools/school_list.html"
    table_class = SchoolTable
    filterset_class = SchoolFilterSet
    view_permission = "schools.view_teacher"
    export_permission = "schools.export_teacher"
    export_name = "职业院校教师比例"
    selector = staticmethod(school_list)
    extra_actions = (("导入教师名册", "jobs:import_start", "schools.add_teacher"),)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            share=teacher_share(user=user),
            progress=demonstration_progress(user=user),
            dual=dual_certificate_rate(user=user),
            goal_percent=TEACHER_GOAL_PERCENT,
            **kwargs,
        )


class TeacherListView(ObjectListView):
    template_name = "schools/list.html"
    title = "专业课教师和实习指导教师"
    table_class = TeacherTable
    filterset_class = TeacherFilterSet
    view_permission = "schools.view_teacher"
    export_permission = "schools.export_teacher"
    export_name = "教师"
    create_url_name = "schools:teacher_create"
    create_permission = "schools.add_teacher"
    selector = staticmethod(teacher_list)
    extra_actions = (("导入教师名册", "jobs:import_start", "schools.add_teacher"),)


class DemonstrationListView(ObjectListView):
    template_name = "schools/list.html"
    title = "高水平示范性学校"
    table_class = DemonstrationTable
    filterset_class = DemonstrationFilterSet
    view_permission = "schools.view_demonstrationschool"
    export_permission = "schools.export_demonstrationschool"
    export_name = "示范性学校"
    create_url_name = "schools:demonstration_create"
    create_permission = "schools.add_demonstrationschool"
    selector = staticmethod(demonstration_list)


class MilestoneListView(ObjectListView):
    template_name = "schools/list.html"
    title = "示范性学校建设任务"
    table_class = MilestoneTable
    filterset_class = MilestoneFilterSet
    view_permission = "schools.view_milestone"
    export_permission = "schools.export_milestone"
    export_name = "建设任务"
    selector = staticmethod(milestone_list)


class PracticeListView(ObjectListView):
    template_name = "schools/list.html"
    title = "教师企业实践"
    table_class = PracticeTable
    filterset_class = PracticeFilterSet
    view_permission = "schools.view_enterprisepractice"
    export_permission = "schools.export_enterprisepractice"
    export_name = "教师企业实践"
    selector = staticmethod(practice_list)


class SchoolYearListView(ObjectListView):
    template_name = "schools/list.html"
    title = "社会培训与毕业生（学校年度数据）"
    table_class = SchoolYearTable
    filterset_class = SchoolYearFilterSet
    view_permission = "schools.view_schoolyear"
    export_permission = "schools.export_schoolyear"
    export_name = "学校年度数据"
    create_url_name = "schools:schoolyear_create"
    create_permission = "schools.add_schoolyear"
    selector = staticmethod(schoolyear_list)


# ---------------------------------------------------------------------------------------------
# Details


def _can(user, model, pk: int, action: str) -> bool:
    return model.objects.filter(pk=pk).for_user(user, action).exists()


@login_required
@permission_required("schools.view_teacher", raise_exception=True)
def school_detail(request, pk: int):
    user = request.user
    school = get_scoped_or_404(
        Organisation.objects.filter(kind__in=SCHOOL_KINDS).select_related("region"), user, "view", pk=pk
    )
    teachers_url = reverse("schools:teacher_list") + "?school=%d&in_post=true" % school.pk
    demonstration = DemonstrationSchool.objects.filter(school=school).for_user(user).first()
    milestones = list(demonstration.milestones.all()) if demonstration else []
    context = {
        "title": school.name,
        "school": school,
        "share": teacher_share(school=school, user=user),
        "goal_percent": TEACHER_GOAL_PERCENT,
        "by_category": [
            (label, teacher_share(school=school, category=value, user=user))
            for value, label in TeacherCategory.choices
        ],
        "teachers_url": teachers_url,
        "below_url": teachers_url + "&high=false",
        "demonstration": demonstration,
        "milestones": [(m, milestone_state(m)) for m in milestones],
        "years": list(schoolyear_list(user=user).filter(school=school).order_by("-year")),
        "dual": dual_certificate_rate(school=school, user=user),
        "practice_years": practice_summary(school=school, user=user),
        "practices_url": reverse("schools:practice_list") + "?school=%d" % school.pk,
        "can_add_year": user.has_perm("schools.add_schoolyear"),
    }
    return render(request, "schools/school_detail.html", context)


@login_required
def teacher_detail(request, pk: int):
    user = request.user
    teacher = teacher_profile(user=user, pk=pk)
    person = teacher.person
    context = {
        "title": person.name,
        "teacher": teacher,
        "person": person,
        # Certificates through the scope rule: a user who may read the teacher roster but not
        # certificates (a department) sees the highest level only, never certificate numbers.
        "may_view_certificates": user.has_perm("talents.view_certificate"),
        "certificates": Certificate.objects.for_user(user)
        .filter(person=person)
        .select_related("cert_type", "level")
        .order_by("-issue_date"),
        "person_in_scope": _can(user, Person, person.pk, "view"),
        "practice_years": practice_days_by_year(teacher=teacher),
        "practices": teacher.practices.order_by("-start_on"),
        "can_edit": _can(user, Teacher, teacher.pk, "change"),
        "can_add_practice": user.has_perm("schools.add_enterprisepractice"),
    }
    return render(request, "schools/teacher_detail.html", context)


@login_required
def demonstration_detail(request, pk: int):
    user = request.user
    demonstration = get_scoped_or_404(
        DemonstrationSchool.objects.select_related("school", "school__region"), user, "view", pk=pk
    )
    milestones = list(demonstration.milestones.all())
    context = {
        "title": str(demonstration),
        "demonstration": demonstration,
        "milestones": [(m, milestone_state(m)) for m in milestones],
        "can_edit": _can(user, DemonstrationSchool, demonstration.pk, "change"),
        "can_add_milestone": user.has_perm("schools.add_milestone"),
        "can_change_milestone": user.has_perm("schools.change_milestone"),
    }
    return render(request, "schools/demonstration_detail.html", context)


def _detail(request, *, title, back, fields, edit_url=None, parent=None):
    """The plain detail page of a record: its fields, where it belongs, its edit link."""
    return render(
        request,
        "schools/object_detail.html",
        {"title": title, "back": back, "fields": fields, "edit_url": edit_url, "parent": parent},
    )


@login_required
def milestone_detail(request, pk: int):
    milestone = get_scoped_or_404(
        Milestone.objects.select_related("demonstration", "demonstration__school"),
        request.user,
        "view",
        pk=pk,
    )
    label, _colour = milestone_state(milestone)
    return _detail(
        request,
        title="建设任务：%s" % milestone.name,
        back=("建设任务", reverse("schools:milestone_list")),
        parent=(
            str(milestone.demonstration),
            reverse("schools:demonstration_detail", args=[milestone.demonstration_id]),
        ),
        fields=[
            ("学校", milestone.demonstration.school.name),
            ("建设任务", milestone.name),
            ("计划完成日期", milestone.due_on),
            ("实际完成日期", milestone.done_on or "—"),
            ("进度", label),
            ("佐证材料说明", milestone.evidence or "—"),
        ],
        edit_url=reverse("schools:milestone_update", args=[pk])
        if _can(request.user, Milestone, pk, "change")
        else None,
    )


@login_required
def practice_detail(request, pk: int):
    practice = get_scoped_or_404(
        EnterprisePractice.objects.select_related("teacher", "teacher__person", "teacher__school"),
        request.user,
        "view",
        pk=pk,
    )
    teacher = practice.teacher
    return _detail(
        request,
        title="企业实践：%s" % teacher.person.name,
        back=("教师企业实践", reverse("schools:practice_list")),
        parent=(str(teacher), reverse("schools:teacher_detail", args=[teacher.pk])),
        fields=[
            ("教师", teacher.person.name),
            ("学校", teacher.school.name),
            ("实践企业", practice.host_name),
            ("企业统一社会信用代码", practice.host_uscc or "—"),
            ("实践时段", "%s 至 %s" % (practice.start_on, practice.end_on)),
            ("实践天数", "%d 天" % practice.days),
            ("实践内容", practice.content or "—"),
        ],
        edit_url=reverse("schools:practice_update", args=[pk])
        if _can(request.user, EnterprisePractice, pk, "change")
        else None,
    )


@login_required
def schoolyear_detail(request, pk: int):
    row = get_scoped_or_404(SchoolYear.objects.select_related("school"), request.user, "view", pk=pk)
    return _detail(
        request,
        title=str(row),
        back=("学校年度数据", reverse("schools:schoolyear_list")),
        parent=(row.school.name, reverse("schools:school_detail", args=[row.school_id])),
        fields=[
            ("学校", row.school.name),
            ("年度", "%d年" % row.year),
            ("社会培训期数", row.training_sessions),
            ("社会培训人次", row.training_trainees),
            ("社会培训收入（万元）", row.training_income),
            ("毕业生人数", row.graduates),
            ("取得职业技能等级证书的毕业生", row.graduates_certified),
            ("双证率", percent(row.dual_rate)),
        ],
        edit_url=reverse("schools:schoolyear_update", args=[pk])
        if _can(request.user, SchoolYear, pk, "change")
        else None,
    )


# ---------------------------------------------------------------------------------------------
# Forms


@login_required
@permission_required("schools.add_teacher", raise_exception=True)
def teacher_create_view(request):
    form = TeacherCreateForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        title="登记教师",
        cancel="schools:teacher_list",
        save=lambda f: services.teacher_create(actor=request.user, **f.service_kwargs()),
        done=lambda t: reverse("schools:teacher_detail", args=[t.pk]),
    )


@login_required
def teacher_update_view(request, pk: int):
    teacher = get_scoped_or_404(Teacher.objects.select_related("person"), request.user, "change", pk=pk)
    form = TeacherUpdateForm(request.POST or None, instance=teacher, user=request.user)
    return form_page(
        request,
        form,
        title="编辑教师：%s" % teacher.person.name,
        cancel="schools:teacher_list",
        save=lambda f: services.teacher_update(actor=request.user, teacher=teacher, **f.service_kwargs()),
        done=lambda t: reverse("schools:teacher_detail", args=[t.pk]),
    )


@login_required
@permission_required("schools.add_demonstrationschool", raise_exception=True)
def demonstration_create_view(request):
    form = DemonstrationForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        title="登记示范性学校",
        cancel="schools:demonstration_list",
        save=lambda f: services.demonstration_create(actor=request.user, **f.service_kwargs()),
        done=lambda d: reverse("schools:demonstration_detail", args=[d.pk]),
    )


@login_required
def demonstration_update_view(request, pk: int):
    demonstration = get_scoped_or_404(
        DemonstrationSchool.objects.select_related("school"), request.user, "change", pk=pk
    )
    form = DemonstrationForm(request.POST or None, instance=demonstration, user=request.user)
    return form_page(
        request,
        form,
        title="编辑示范性学校：%s" % demonstration.school.name,
        cancel="schools:demonstration_list",
        save=lambda f: services.demonstration_update(
            actor=request.user, demonstration=demonstration, **f.service_kwargs()
        ),
        done=lambda d: reverse("schools:demonstration_detail", args=[d.pk]),
    )


@login_required
@permission_required("schools.add_milestone", raise_exception=True)
def milestone_create_view(request, pk: int):
    demonstration = get_scoped_or_404(
        DemonstrationSchool.objects.select_related("school"), request.user, "view", pk=pk
    )
    form = MilestoneForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        title="添加建设任务：%s" % demonstration.school.name,
        cancel="schools:demonstration_list",
        save=lambda f: services.milestone_create(
            actor=request.user, demonstration=demonstration, **f.service_kwargs()
        ),
        done=lambda m: reverse("schools:demonstration_detail", args=[demonstration.pk]),
    )


@login_required
def milestone_update_view(request, pk: int):
    milestone = get_scoped_or_404(Milestone.objects.all(), request.user, "change", pk=pk)
    form = MilestoneForm(request.POST or None, instance=milestone, user=request.user)
    return form_page(
        request,
        form,
        title="编辑建设任务：%s" % milestone.name,
        cancel="schools:milestone_list",
        save=lambda f: services.milestone_update(
            actor=request.user, milestone=milestone, **f.service_kwargs()
        ),
        done=lambda m: reverse("schools:demonstration_detail", args=[m.demonstration_id]),
    )


@login_required
@permission_required("schools.add_enterprisepractice", raise_exception=True)
def practice_create_view(request, pk: int):
    teacher = get_scoped_or_404(Teacher.objects.select_related("person"), request.user, "view", pk=pk)
    form = PracticeForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        title="登记企业实践：%s" % teacher.person.name,
        cancel="schools:practice_list",
        save=lambda f: services.practice_create(actor=request.user, teacher=teacher, **f.service_kwargs()),
        done=lambda p: reverse("schools:teacher_detail", args=[teacher.pk]),
    )


@login_required
def practice_update_view(request, pk: int):
    practice = get_scoped_or_404(EnterprisePractice.objects.all(), request.user, "change", pk=pk)
    form = PracticeForm(request.POST or None, instance=practice, user=request.user)
    return form_page(
        request,
        form,
        title="编辑企业实践",
        cancel="schools:practice_list",
        save=lambda f: services.practice_update(actor=request.user, practice=practice, **f.service_kwargs()),
        done=lambda p: reverse("schools:practice_detail", args=[p.pk]),
    )


@login_required
@permission_required("schools.add_schoolyear", raise_exception=True)
def schoolyear_create_view(request):
    initial = {"school": request.GET.get("school")}
    form = SchoolYearForm(request.POST or None, initial=initial, user=request.user)
    return form_page(
        request,
        form,
        title="登记学校年度数据",
        cancel="schools:schoolyear_list",
        save=lambda f: services.schoolyear_create(actor=request.user, **f.service_kwargs()),
        done=lambda y: reverse("schools:schoolyear_detail", args=[y.pk]),
    )


@login_required
def schoolyear_update_view(request, pk: int):
    row = get_scoped_or_404(SchoolYear.objects.select_related("school"), request.user, "change", pk=pk)
    form = SchoolYearForm(request.POST or None, instance=row, user=request.user)
    return form_page(
        request,
        form,
        title="编辑学校年度数据：%s" % row,
        cancel="schools:schoolyear_list",
        save=lambda f: services.schoolyear_update(actor=request.user, schoolyear=row, **f.service_kwargs()),
        done=lambda y: reverse("schools:schoolyear_detail", args=[y.pk]),
    )
