"""The one rule that decides which rows a user may touch.

Every list, detail, dropdown, export, count, API call and task reaches scoped rows through
``scope()`` (usually as ``Model.objects.for_user(user, action)``). Each scoped model registers, per
role, the lookup from its rows to what the user is bound to:

    register(Person, {Role.REGION_OPERATOR: "region", Role.ORG_OPERATOR: "employer", Role.TALENT: "user"})

A role missing from its paths sees nothing; ``ALL`` means every row (still permission-checked).
Reference data is registered as such (``register_reference``): permission-checked, never narrowed,
readable by every signed-in user. A model registered neither way is denied to every role but the
city admin: forgetting to register a model closes it, never opens it.
The city admin sees every row of every model it has permission for. ``SYSTEM`` stands for the
platform itself computing city-wide figures (indicators, nightly work): it is never a request's
user, and ``None`` never means "unscoped".
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q, QuerySet

from .choices import Role

ALL = "__all__"
REFERENCE = "__reference__"


class _System:
    """The platform itself (indicators, background recomputation): every row, no permission
    check. Passed explicitly where a selector serves city-wide figures, never from a request."""

    is_authenticated = True
    role = "system"
    pk = None
    region_id = organisation_id = None

    def has_perm(self, perm: str) -> bool:
        return True

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = _System()


class AnyOf(tuple):
    """Several paths, any of which puts a row in scope (e.g. a request seen by the organisation
    that sent it and the one it was sent to): ``AnyOf(("requester", "provider__organisation"))``."""


class ByUser(str):
    """A path bound to the user account itself rather than to the role's binding
    (e.g. ``ByUser("user")`` for rows a user created, such as their own import jobs)."""


# What each role's binding is, as a function of the user.
_BINDING = {
    Role.REGION_OPERATOR: lambda user: user.region_id,
    Role.ORG_OPERATOR: lambda user: user.organisation_id,
    Role.DEPARTMENT: lambda user: user.organisation_id,
    Role.TALENT: lambda user: user.pk,
}


_PATHS: dict[type[models.Model], dict[str, str] | str] = {}


def register(model: type[models.Model], paths: dict[str, str]) -> None:
    """Declare how ``model``'s rows narrow per role (called once, where the model is defined)."""
    _PATHS[model] = dict(paths)


def register_reference(*models_: type[models.Model]) -> None:
    """Declare ``models_`` reference data: readable by every signed-in user, other actions
    permission-checked, never narrowed."""
    for model in models_:
        _PATHS[model] = REFERENCE


def is_registered(model: type[models.Model]) -> bool:
    return model in _PATHS


def perm_name(model: type[models.Model], action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def scope_q(model: type[models.Model], user) -> Q | None:
    """The filter for ``user``'s rows of ``model``; ``Q()`` for all rows, ``None`` for none."""
    if user.role == Role.CITY_ADMIN or user is SYSTEM:
        return Q()
    paths = _PATHS.get(model)
    if paths is None:  # never registered: closed
        return None
    if paths == REFERENCE:  # reference data: permission-checked, never narrowed
        return Q()
    path = paths.get(user.role)
    if path is None:
        return None
    if path == ALL:
        return Q()
    if isinstance(path, ByUser):
        return Q(**{str(path): user.pk})
    binding = _BINDING[user.role](user)
    if binding is None:
        return None
    if isinstance(path, AnyOf):
        q = Q()
        for each in path:
            q |= Q(**{each: binding})
        return q
    return Q(**{path: binding})


def scope(queryset: QuerySet, user, action: str = "view") -> QuerySet:
    """Return the rows of ``queryset`` that ``user`` may ``action``; nothing when in doubt."""
    model = queryset.model
    if user is SYSTEM:
        return queryset
    if user is None or not user.is_authenticated:
        return queryset.none()
    if _PATHS.get(model) == REFERENCE and action == "view":
        # reference data: readable by every signed-in user
        return queryset
    if not user.has_perm(perm_name(model, action)):
        return queryset.none()
    q = scope_q(model, user)
    if q is None:
        return queryset.none()
    if not q:
        return queryset
    return queryset.filter(q).distinct() if _crosses_many(model, q) else queryset.filter(q)


def _crosses_many(model: type[models.Model], q: Q) -> bool:
    """Whether a scope path walks a to-many relation (then rows could repeat)."""
    for child in q.children:
        path = child[0] if isinstance(child, tuple) else ""
        current = model
        for part in path.split("__"):
            try:
                field = current._meta.get_field(part)
            except Exception:
                break
            if field.many_to_many or field.one_to_many:
                return True
            if not field.is_relation:
                break
            current = field.related_model
    return False


class ScopedQuerySet(models.QuerySet):
    def for_user(self, user, action: str = "view") -> QuerySet:
        return scope(self, user, action)


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


class OutOfScope(ValidationError, PermissionDenied):
    """A write outside the actor's scope (or permission): a ValidationError for forms that show it,
    and a PermissionDenied for callers that treat it as one."""


class NotInScope(PermissionDenied):
    """An existing row outside the actor's reach, met inside a service (not a form error: there is
    nothing for the user to correct). Pages answer 404, never 403, so the answer does not say the
    row exists, and the denial is audited (``accounts.middleware.OutOfScopeMiddleware``)."""

    def __init__(self, obj: models.Model, action: str = "view"):
        super().__init__("未找到该记录")
        self.obj, self.action = obj, action


def ensure_in_scope(obj: models.Model, user, action: str) -> None:
    """After a write: the row must still be one the actor may ``action``, else the write is undone
    (the caller's transaction rolls back on the raised error)."""
    if not scope(type(obj)._default_manager.filter(pk=obj.pk), user, action).exists():
        raise OutOfScope("该记录超出了您的数据范围，操作未执行")


def restrict_form_fields(form, user) -> None:
    """Narrow every model dropdown of ``form`` to the choices ``user`` may see (one rule for all)."""
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is not None:
            field.queryset = scope(queryset, user, "view")


def row_in_scope(model: type[models.Model], user, values: dict[str, object]) -> bool:
    """Whether a row not yet saved, with these direct field values, would be in ``user``'s scope
    (imports check each row before writing). Same paths as ``scope()``; direct fields only."""
    if user.role == Role.CITY_ADMIN:
        return True
    paths = _PATHS.get(model)
    if paths is None:
        return False
    if paths == REFERENCE:
        return True
    path = paths.get(user.role)
    if path is None:
        return False
    if path == ALL:
        return True
    if isinstance(path, ByUser):
        return values.get(str(path)) == user.pk
    if isinstance(path, AnyOf):
        binding = _BINDING[user.role](user)
        return binding is not None and any(values.get(each) == binding for each in path if "__" not in each)
    if "__" in path:
        raise ValueError(f"row_in_scope: {model.__name__} path {path!r} is not a direct field")
    binding = _BINDING[user.role](user)
    return binding is not None and values.get(path) == binding


def may(user, obj: models.Model, *actions: str) -> set[str]:
    """Which of ``actions`` ``user`` may take on ``obj`` (the one scope rule, once per action): a
    page asks this once and shows only the buttons it returns."""
    queryset = type(obj)._default_manager.filter(pk=obj.pk)
    return {action for action in actions if scope(queryset, user, action).exists()}
