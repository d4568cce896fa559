"""The one list page: scoped queryset → filterset → table → page or export.

Every list in the product is an ``ObjectListView`` subclass naming its selector, filterset and
table. The table's columns are also the export's columns, so what is exported is what is shown
(already scoped, filtered and masked).
"""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django_filters.views import FilterView
from django_tables2 import LazyPaginator, SingleTableMixin
from django_tables2.rows import BoundRow

from gongjiang.accounts.services import audit_record

from .excel import iter_csv, write_xlsx
from .forms import bootstrapify

COUNT_CAP = 10_000


class ObjectListView(LoginRequiredMixin, SingleTableMixin, FilterView):
    template_name = "common/object_list.html"
    paginator_class = LazyPaginator  # no COUNT(*) over a million rows per page view
    table_pagination = {"per_page": 50}
    title = ""
    view_permission = ""
    export_permission = ""
    export_name = "export"
    create_url_name = ""
    create_permission = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm(self.view_permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        raise NotImplementedError

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["user"] = self.request.user
        return kwargs

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("export")
        if fmt in ("xlsx", "csv"):
            return self.export(fmt)
        return super().get(request, *args, **kwargs)

    def filtered_queryset(self):
        filterset = self.get_filterset(self.get_filterset_class())
        return filterset.qs if filterset.is_valid() else self.get_queryset().none()

    def export(self, fmt: str):
        user = self.request.user
        if not self.export_permission or not user.has_perm(self.export_permission):
            raise PermissionDenied
        queryset = self.filtered_queryset()
        table = self.get_table_class()(queryset)
        columns = [c for c in table.columns if not c.column.exclude_from_export]
        headers = [str(c.header) for c in columns]
        count = {"rows": 0}

        def rows():
            for record in queryset.iterator(chunk_size=2000):
                count["rows"] += 1
                row = BoundRow(record, table=table)
                yield [row.get_cell_value(c.name) for c in columns]

        filters = {k: v for k, v in self.request.GET.items() if k not in ("export", "page")}
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        filename = f"{self.export_name}-{stamp}.{fmt}"
        if fmt == "csv":

            def stream():
                yield from iter_csv(headers, rows())
                audit_record(
                    actor=user,
                    action="export",
                    object_type=queryset.model._meta.label_lower,
                    changes={"format": fmt, "filters": filters, "rows": count["rows"], "masked": True},
                )

            response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
        handle = write_xlsx(headers, rows(), sheet=self.title or "数据")
        audit_record(
            actor=user,
            action="export",
            object_type=queryset.model._meta.label_lower,
            changes={"format": fmt, "filters": filters, "rows": count["rows"], "masked": True},
        )
        return FileResponse(handle, as_attachment=True, filename=filename)

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
            create_url_name=self.create_url_name
            if self.create_permission and user.has_perm(self.create_permission)
            else "",
            query_string=self.request.GET.urlencode(),
        )
        return context
