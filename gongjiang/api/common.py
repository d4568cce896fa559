"""What every endpoint of the API shares: the error body, cursor pagination, filters from the
pages' FilterSets, and bounded ids."""

from __future__ import annotations

from typing import Annotated, Any

from django.db.models import QuerySet
from ninja import Field, Path, Schema

# Ids in paths and filters: positive and within what every database stores.
MAX_ID = 2**53
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]


class RowError(Schema):
    row: int | None = Field(
        None, description="出错的行（提交的 rows 中的序号，从 1 开始）；非逐行错误为 null"
    )
    field: str | None = Field(None, description="出错的字段；无法归到某个字段时为 null")
    reason: str = Field(..., description="原因（中文）")


class ErrorOut(Schema):
    detail: str = Field(..., description="错误说明（中文）")
    errors: list[RowError] = Field(default_factory=list)


# The answers any authenticated endpoint may give besides its own.
AUTH_ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 413: ErrorOut, 422: ErrorOut, 429: ErrorOut}
READ_ERRORS: dict[int, Any] = {**AUTH_ERRORS, 403: ErrorOut, 404: ErrorOut}


def error(detail: str, errors: list[dict] | None = None) -> dict:
    return {"detail": detail, "errors": errors or []}


class InvalidQuery(Exception):
    """Query parameters a FilterSet (or the cursor) refused: answered 422 with the fields."""

    def __init__(self, errors: list[dict]):
        super().__init__("invalid query")
        self.errors = errors


def filtered(filterset_class, params: dict[str, Any], *, queryset: QuerySet, user) -> QuerySet:
    """The page's FilterSet over ``queryset`` (already scoped) with the API's query parameters;
    values the page's form refuses are a 422 naming the field."""
    data = {}
    for key, value in params.items():
        if value is None:
            continue
        data[key] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    filterset = filterset_class(data=data, queryset=queryset, user=user)
    if not filterset.is_valid():
        raise InvalidQuery(
            [
                {"row": None, "field": field, "reason": "；".join(messages)}
                for field, messages in filterset.errors.items()
            ]
        )
    return filterset.qs


def paginate(queryset: QuerySet, *, cursor: str | None, limit: int) -> tuple[list, str | None]:
    """A page of ``queryset`` in id order after ``cursor`` (the last id of the page before):
    stable while rows are added, and cheap however deep. Returns (rows, next cursor or None)."""
    after = 0
    if cursor:
        if not cursor.isdigit() or len(cursor) > 16:
            raise InvalidQuery([{"row": None, "field": "cursor", "reason": "翻页游标无效"}])
        after = int(cursor)
    rows = list(queryset.filter(pk__gt=after).order_by("pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (str(rows[-1].pk) if more and rows else None)


def list_page(request, query, *, filterset_class, queryset: QuerySet, out) -> dict:
    """One page of a list endpoint: the page's filters over the scoped ``queryset``, in id order
    after the query's cursor, each row shown through ``out.of``."""
    params = query.dict(exclude={"cursor", "limit"})
    rows, cursor = paginate(
        filtered(filterset_class, params, queryset=queryset, user=request.user),
        cursor=query.cursor,
        limit=query.limit,
    )
    return {"items": [out.of(row) for row in rows], "next_cursor": cursor}


class PageQuery(Schema):
    cursor: str | None = Field(None, max_length=16, description="上一页返回的 next_cursor；第一页不填")
    limit: int = Field(50, ge=1, le=200, description="每页条数（1—200）")
