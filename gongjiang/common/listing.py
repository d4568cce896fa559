"""The one list page: scoped queryset → filterset → table → page or export.

Every list in the product is an ``ObjectListView`` subclass naming its selector, filterset and
table. The table's columns are also the export's columns, so what is exported is what is shown
(already scoped, filtered and masked).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import PageNotAnInteger
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_filters.views import FilterView
from django_tables2 import LazyPaginator, SingleTableMixin
from django_tables2.rows import BoundRow

from gongjiang.accounts.services import audit_record
from gongjiang.core.validators import reason_is_given
from gongjiang.jobs.services import export_create
from gongjiang.talents.selectors import id_search_token, looks_like_resident_id

from .excel import attachment_header, iter_csv, write_xlsx
from .forms import bootstrapify
from .middleware import current_request_context, request_context

COUNT_CAP = 10_000
# The most rows one page shows (?per_page= beyond it is capped; the audit log at 10^6 rows on one
# page took 16 s). Exports are not pages: they stream every row.
MAX_PER_PAGE = 200
# A page number beyond which no list reaches (an offset past 10^9 rows): treated as "not a page".
MAX_PAGE_OFFSET = 1_000_000_000

# A drill-down from a figure elsewhere (the dashboard) carries the figure as shown and the page
# to return to; the list page says so and links back. Not filters: never exported or audited.
DRILL_PARAMS = ("drill", "back")
NOT_FILTERS = ("export", "page", "reveal", "reason", "sort", *DRILL_PARAMS)


def drill_url(url: str, *, figure: str, back: str) -> str:
    """``url`` (a filtered list) marked as the rows behind ``figure`` on the page ``back``."""
    return url + ("&" if "?" in url else "?") + urlencode({"drill": figure, "back": back})


def drill_context(request, filterset) -> dict | None:
    """What the drill-down banner says: the figure, the filters that define it, where to return."""
    figure = (request.GET.get("drill") or "").strip()[:40]
    if not figure:
        return None
    back = request.GET.get("back") or ""
    if not (back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts=None)):
        back = "/"
    return {
        "figure": figure,
        "back": back,
        "back_label": "返回目标驾驶舱" if back.startswith("/stats/") else "返回",
        "filters": describe_filters(filterset),
    }


def describe_filters(filterset) -> list[tuple[str, str]]:
    """(label, value as shown) of each filter in use, in Chinese."""
    if filterset is None or not filterset.is_valid():
        return []
    described = []
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, "", [], ()):
            continue
        field = filterset.form.fields[name]
        label = str(field.label or name)
        if isinstance(value, bool):
            text = "是" if value else "否"
        elif hasattr(value, "isoformat"):
            text = value.isoformat()
        else:
            choices = dict(getattr(field, "choices", None) or []) if not hasattr(field, "queryset") else {}
            text = str(choices.get(value, choices.get(str(value), value)))
        described.append((label, text))
    return described


INLINE_EXPORT_ROWS = 2_000  # larger exports run as background jobs with a progress bar


class ListPaginator(LazyPaginator):
    """No COUNT(*) over a million rows per page view, yet the pager can jump to the end:
    ``?page=last`` counts the (filtered) rows once, when asked. A page size outside 1 … MAX_PER_PAGE
    is brought inside it, and a page number no list reaches is the first page, not a 500."""

    def __init__(self, object_list, per_page, *args, **kwargs):
        super().__init__(object_list, min(max(int(per_page), 1), MAX_PER_PAGE), *args, **kwargs)

    def validate_number(self, number):
        if number == "last":
            return max(1, math.ceil(len(self.object_list) / self.per_page))
        number = super().validate_number(number)
        if (number - 1) * self.per_page > MAX_PAGE_OFFSET:
            raise PageNotAnInteger("页码无效")
        return number


class ObjectListView(LoginRequiredMixin, SingleTableMixin, FilterView):
    template_name = "common/object_list.html"
    paginator_class = ListPaginator
    table_pagination = {"per_page": 50}
    title = ""
    export_source = True  # jobs.services.export_view_class accepts only such classes
    selector = None  # function(*, user) -> the user's scoped queryset
    view_permission = ""
    export_permission = ""
    reveal_permission = ""  # who may export personal numbers unmasked (with a reason)
    export_name = "export"
    create_url_name = ""
    create_permission = ""
    # (label, url name, permission[, icon]): the permission is a name or a function of the user, so
    # a button shows only when the page behind it will open. Links to the import page show the
    # upload icon; others name their own (Bootstrap Icons) or get a plain arrow.
    extra_actions: tuple[tuple, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm(self.view_permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return type(self).selector(user=self.request.user)

    def get_table_pagination(self, table):
        paginate = super().get_table_pagination(table)
        if paginate is not False and self.request.GET.get("page") == "last":
            paginate["page"] = "last"  # RequestConfig passes on only numbers
        return paginate

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["user"] = self.request.user
        return kwargs

    def post(self, request, *args, **kwargs):
        """The filter form is posted here and redirected to the list's address: a full resident ID
        typed into a search box never appears in a URL (the browser's history, the server's access
        log); it travels on as its keyed digest (``talents.selectors.id_search_token``)."""
        return redirect(request.path + _tokenised_query(request.POST, drop=("csrfmiddlewaretoken",)))

    def get(self, request, *args, **kwargs):
        if any(looks_like_resident_id(v) for v in request.GET.values()):
            # A hand-made or old link: answer with the address without the number.
            return redirect(request.path + _tokenised_query(request.GET))
        fmt = request.GET.get("export")
        if fmt in ("xlsx", "csv"):
            return self.export(fmt)
        return super().get(request, *args, **kwargs)

    @classmethod
    def export_plan(cls, *, user, params: dict, reveal: bool = False) -> ExportPlan:
        """What an export of this list with these filters writes: headers and a row generator.
        The same for an inline download and a background job."""
        if not cls.export_permission or not user.has_perm(cls.export_permission):
            raise PermissionDenied
        if reveal and not (cls.reveal_permission and user.has_perm(cls.reveal_permission)):
            raise PermissionDenied
        base = cls.selector(user=user)
        filterset = cls.filterset_class(data=params, queryset=base, user=user)
        queryset = filterset.qs if filterset.is_valid() else base.none()
        table = cls.table_class(queryset)
        table.reveal = reveal
        columns = [c for c in table.columns if not c.column.exclude_from_export]
        headers = [str(c.header) for c in columns]
        # Booleans, dates and moments go to the file as themselves (是/否, date cells, Beijing
        # time), not as the text the page renders ("True", "2026-05-01"), unless the table says
        # how to export the column (value_<name>).
        raw = {
            c.name
            for c in columns
            if isinstance(c.column, (tables.BooleanColumn, tables.DateColumn, tables.DateTimeColumn))
            and not hasattr(table, f"value_{c.name}")
        }

        def cell(bound: BoundRow, record, column):
            if column.name not in raw:
                return bound.get_cell_value(column.name)
            value = column.accessor.resolve(record, quiet=True)
            if isinstance(column.column, tables.BooleanColumn):
                return bool(value) if value is not None else None
            return value if value is not None else column.default

        def rows():
            for record in queryset.iterator(chunk_size=2000):
                bound = BoundRow(record, table=table)
                yield [cell(bound, record, c) for c in columns]

        return ExportPlan(cls.export_name, queryset.model._meta.label_lower, headers, queryset, rows)

    def export(self, fmt: str):
        request = self.request
        user = request.user
        reveal = request.GET.get("reveal") == "1"
        reason = (request.GET.get("reason") or "").strip()
        if reveal and not reason_is_given(reason):
            messages.error(request, "导出完整身份证号和手机号须填写事由")
            return redirect(request.path + "?" + _without(request.GET, "export", "reveal", "reason"))
        params = {k: v for k, v in request.GET.items() if k not in NOT_FILTERS}
        plan = self.export_plan(user=user, params=params, reveal=reveal)
        if plan.queryset.order_by()[: INLINE_EXPORT_ROWS + 1].count() > INLINE_EXPORT_ROWS:
            job = export_create(
                actor=user, kind=self.export_kind(), fmt=fmt, params=params, reveal=reveal, reason=reason
            )
            messages.info(request, "导出数据较多，已转入后台生成，完成后可在本页下载")
            return redirect("jobs:job_detail", pk=job.pk)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        filename = f"{self.export_name}-{stamp}.{fmt}"
        counter = _Counter(plan.rows())
        ctx = current_request_context()  # the CSV is audited while streaming, after the view returned

        def audit():
            audit_record(
                actor=user,
                action="export",
                object_type=plan.object_type,
                changes={
                    "format": fmt,
                    "filters": params,
                    "rows": counter.count,
                    "masked": not reveal,
                    "reason": reason,
                },
            )

        if fmt == "csv":

            def stream():
                yield from iter_csv(plan.headers, counter)
                with request_context(ctx):
                    audit()

            response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = attachment_header(filename)
            return response
        handle = write_xlsx(plan.headers, counter, sheet=self.title or "数据")
        audit()
        response = FileResponse(handle, as_attachment=True, filename=filename)
        response["Content-Disposition"] = attachment_header(filename)
        return response

    def permitted_actions(self, user) -> list[tuple[str, str, str]]:
        """(label, URL, icon) of the extra buttons ``user`` may follow."""
        actions = []
        for label, name, perm, *icon in self.extra_actions:
            allowed = perm(user) if callable(perm) else user.has_perm(perm)
            if allowed:
                default = "upload" if name == "jobs:import_start" else "arrow-right-circle"
                actions.append((label, reverse(name), icon[0] if icon else default))
        return actions

    @classmethod
    def export_kind(cls) -> str:
        return f"{cls.__module__}.{cls.__qualname__}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = context.get("filter")
        if filterset is not None:
            bootstrapify(filterset.form, small=True)
        qs = filterset.qs if filterset is not None and filterset.is_valid() else self.get_queryset()
        total = qs.order_by()[: COUNT_CAP + 1].count()
        user = self.request.user
        context.update(
            title=self.title,
            total=min(total, COUNT_CAP),
            total_capped=total > COUNT_CAP,
            can_export=bool(self.export_permission) and user.has_perm(self.export_permission),
            can_reveal_export=bool(self.reveal_permission) and user.has_perm(self.reveal_permission),
            create_url_name=self.create_url_name
            if self.create_permission and user.has_perm(self.create_permission)
            else "",
            extra_actions=self.permitted_actions(user),
            query_string=_without(self.request.GET, "export", "page", "reveal", "reason"),
            filter_params=[
                (k, v) for k, v in self.request.GET.items() if k not in ("export", "page", "reveal", "reason")
            ],
            drill=drill_context(self.request, filterset),
        )
        return context


@dataclass
class ExportPlan:
    name: str
    object_type: str
    headers: list[str]
    queryset: object
    rows: Callable[[], Iterator[list]]


class _Counter:
    def __init__(self, rows):
        self.rows = rows
        self.count = 0

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            yield row


def _tokenised_query(query, drop: tuple[str, ...] = ()) -> str:
    """``?…`` of the non-empty values of ``query``, full resident IDs replaced by search tokens."""
    params = [
        (key, id_search_token(value.strip()))
        for key, values in query.lists()
        if key not in drop
        for value in values
        if value.strip()
    ]
    return "?" + urlencode(params) if params else ""


def _without(query, *keys) -> str:
    copy = query.copy()
    for key in keys:
        copy.pop(key, None)
    return copy.urlencode()
