"""The token page: the city admin issues tokens (each shown once) and revokes them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import render

from gongjiang.accounts.shortcuts import get_scoped_or_404
from gongjiang.common.forms import apply_validation_error
from gongjiang.common.listing import ObjectListView
from gongjiang.common.views import form_page

from .filters import ApiTokenFilterSet
from .forms import ApiTokenForm, ApiTokenRevokeForm
from .models import ApiToken
from .selectors import api_token_list
from .services import api_token_create, api_token_revoke
from .tables import ApiTokenTable


class ApiTokenListView(ObjectListView):
    title = "接口令牌"
    table_class = ApiTokenTable
    filterset_class = ApiTokenFilterSet
    view_permission = "api.view_apitoken"
    export_permission = "api.view_apitoken"
    export_name = "接口令牌"
    create_url_name = "apitokens:token_create"
    create_permission = "api.add_apitoken"
    selector = staticmethod(api_token_list)
    extra_actions = (("接口文档", "api:openapi-view", "api.view_apitoken"),)


@login_required
@permission_required("api.add_apitoken", raise_exception=True)
def token_create(request):
    """Issue a token; the answer to the POST is the only place the token is ever shown."""
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = api_token_create(
                actor=request.user,
                user=form.cleaned_data["user"],
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return render(request, "api/token_issued.html", {"token": token, "secret": secret})
    return render(
        request,
        "common/object_form.html",
        {"form": form, "title": "签发接口令牌", "cancel_url": "apitokens:token_list"},
    )


@login_required
def token_revoke(request, pk: int):
    token = get_scoped_or_404(ApiToken.objects.select_related("user"), request.user, "revoke", pk=pk)
    form = ApiTokenRevokeForm(request.POST or None)
    return form_page(
        request,
        form,
        title="撤销接口令牌：%s" % token,
        cancel="apitokens:token_list",
        save=lambda f: api_token_revoke(actor=request.user, token=token, reason=f.cleaned_data["reason"]),
        done=lambda _t: "apitokens:token_list",
        message="令牌已撤销，此后用它调用接口一律被拒绝",
    )
