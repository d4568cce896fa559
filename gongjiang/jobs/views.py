"""Pages of the jobs app: upload an import, watch its progress, confirm it, download its files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gongjiang.accounts.services import audit_record
from gongjiang.accounts.shortcuts import get_scoped_or_404
from gongjiang.common.excel import attachment_header
from gongjiang.common.listing import ObjectListView

from . import files
from .choices import JobMode, JobStatus, JobType
from .filters import JobFilterSet
from .forms import ImportForm
from .models import Job
from .registry import REGISTRY, kinds_for
from .selectors import ERRORS_SHOWN, job_errors_preview, job_list, maintenance_overview
from .services import import_commit, import_create
from .tables import JobTable
from .template_xlsx import build_template

RESULT_LABELS = {
    "rows": "数据行",
    "accepted": "正确行",
    "rejected": "错误行",
    "persons_created": "新增人员",
    "persons_updated": "更新人员",
    "persons_unchanged": "未变化人员",
    "certificates_created": "新增证书",
    "certificates_unchanged": "未变化证书",
    "conflicts": "冲突证书",
    "organisations_created": "新增单位",
    "organisations_updated": "更新单位",
    "organisations_unchanged": "未变化单位",
    "teachers_created": "新增教师",
    "teachers_updated": "更新教师",
    "teachers_unchanged": "未变化教师",
}


class JobListView(ObjectListView):
    title = "导入导出任务"
    table_class = JobTable
    filterset_class = JobFilterSet
    view_permission = "jobs.view_job"
    selector = staticmethod(job_list)
    # Shown only to a role that may import some KIND (a department can see its export jobs but
    # import nothing: the upload page would answer 403).
    extra_actions = (("上传导入文件", "jobs:import_start", lambda user: bool(kinds_for(user))),)


@login_required
def import_start(request):
    kinds = kinds_for(request.user)
    if not kinds:
        raise PermissionDenied
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        initial={"kind": request.GET.get("kind")},
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = import_create(
            actor=request.user,
            kind=form.cleaned_data["kind"],
            upload=upload,
            filename=upload.name,
            mode=JobMode.DRY_RUN,
        )
        return redirect("jobs:job_detail", pk=job.pk)
    return render(request, "jobs/import_start.html", {"form": form, "kinds": kinds, "title": "批量导入"})


def _job_context(job: Job) -> dict:
    kind = REGISTRY.get(job.kind)
    keys = ["rows", "accepted", "rejected", *(kind.result_keys if kind else [])]
    labels = {**RESULT_LABELS, **(kind.result_labels if kind else {})}
    results = [(labels.get(k, k), job.result.get(k, 0), k) for k in keys if k in job.result]
    children = list(Job.objects.filter(parent=job).order_by("id"))
    return {
        "job": job,
        "kind": kind,
        "results": results,
        "children": children,
        "can_commit": job.job_type == JobType.IMPORT
        and job.mode == JobMode.DRY_RUN
        and job.status == JobStatus.SUCCEEDED
        and job.result.get("accepted", 0) > 0
        and not children,
    }


@login_required
def job_detail(request, pk: int):
    job = get_scoped_or_404(Job.objects.select_related("user", "parent"), request.user, "view", pk=pk)
    context = {**_job_context(job), "title": "任务 #%d" % job.pk}
    context["errors_preview"] = job_errors_preview(job) if job.is_finished else []
    context["errors_shown"] = ERRORS_SHOWN
    return render(request, "jobs/job_detail.html", context)


@login_required
def job_progress(request, pk: int):
    job = get_scoped_or_404(Job.objects.all(), request.user, "view", pk=pk)
    response = render(request, "jobs/_progress.html", {"job": job})
    if job.is_finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"  # show the results once the job is done
    return response


@login_required
@require_POST
def job_commit(request, pk: int):
    job = get_scoped_or_404(Job.objects.all(), request.user, "view", pk=pk)
    try:
        commit = import_commit(actor=request.user, job=job, valid_only=request.POST.get("valid_only") == "1")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("jobs:job_detail", pk=job.pk)
    return redirect("jobs:job_detail", pk=commit.pk)


@login_required
def job_download(request, pk: int):
    job = get_scoped_or_404(Job.objects.all(), request.user, "view", pk=pk)
    if not job.output_file:
        raise Http404
    if job.job_type == JobType.EXPORT:
        name = job.filename
    else:
        name = "错误报告-%s.xlsx" % job.filename.rsplit(".", 1)[0]
    audit_record(actor=request.user, action="job.download", obj=job, changes={"file": name})
    content_type = (
        "text/csv; charset=utf-8"
        if name.endswith(".csv")
        else ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    )
    response = StreamingHttpResponse(files.iter_decrypted(job.output_file), content_type=content_type)
    response["Content-Disposition"] = attachment_header(name)
    return response


@login_required
def import_template(request, kind: str):
    import_kind = REGISTRY.get(kind)
    if import_kind is None or not request.user.has_perm(import_kind.permission):
        raise Http404
    name = "%s模板.xlsx" % import_kind.label
    response = FileResponse(build_template(import_kind), as_attachment=True, filename=name)
    response["Content-Disposition"] = attachment_header(name)
    return response


@login_required
@permission_required("jobs.view_nightlyrun", raise_exception=True)
def maintenance(request):
    """The city admin's view of the platform's own upkeep: the nightly runs and their steps, and
    the background tasks that kept failing."""
    return render(request, "jobs/maintenance.html", maintenance_overview(request.user))
