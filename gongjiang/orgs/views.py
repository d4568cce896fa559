"""Pages for organisations."""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.urls import reverse

from gongjiang.accounts.shortcuts import get_scoped_or_404
from gongjiang.common.listing import ObjectListView
from gongjiang.common.views import form_page

from .filters import OrganisationFilterSet
from .forms import OrganisationForm
from .models import Organisation
from .selectors import organisation_list
from .services import organisation_create, organisation_update
from .tables import OrganisationTable


class OrganisationListView(ObjectListView):
    title = "单位"
    table_class = OrganisationTable
    filterset_class = OrganisationFilterSet
    view_permission = "orgs.view_organisation"
    export_permission = "orgs.export_organisation"
    export_name = "单位"
    create_url_name = "orgs:organisation_create"
    create_permission = "orgs.add_organisation"
    selector = staticmethod(organisation_list)
    extra_actions = (("批量导入", "jobs:import_start", "orgs.add_organisation"),)


@login_required
def organisation_detail(request, pk: int):
    org = get_scoped_or_404(
        Organisation.objects.select_related("region", "domain"), request.user, "view", pk=pk
    )
    context = {
        "org": org,
        "can_edit": Organisation.objects.filter(pk=pk).for_user(request.user, "change").exists(),
    }
    return render(request, "orgs/organisation_detail.html", context)


@login_required
@permission_required("orgs.add_organisation", raise_exception=True)
def organisation_create_view(request):
    return form_page(
        request,
        OrganisationForm(request.POST or None, user=request.user),
        title="登记单位",
        cancel="orgs:organisation_list",
        save=lambda form: organisation_create(actor=request.user, **form.service_kwargs()),
        done=lambda org: reverse("orgs:organisation_detail", args=[org.pk]),
        message=lambda org: "已登记单位：%s" % org.name,
    )


@login_required
def organisation_update_view(request, pk: int):
    org = get_scoped_or_404(Organisation.objects.all(), request.user, "change", pk=pk)
    return form_page(
        request,
        OrganisationForm(request.POST or None, instance=org, user=request.user),
        title="编辑单位：%s" % org.name,
        cancel="orgs:organisation_list",
        save=lambda form: organisation_update(actor=request.user, organisation=org, **form.service_kwargs()),
        done=lambda saved: reverse("orgs:organisation_detail", args=[org.pk]),
    )
