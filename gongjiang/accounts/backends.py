"""Authentication against the user table, permissions from the role table (roles.py)."""

from django.contrib.auth.backends import ModelBackend

from .roles import role_permissions


class RoleBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous:
            return set()
        return set(role_permissions(user_obj.role))

    def get_user_permissions(self, user_obj, obj=None):
        return self.get_all_permissions(user_obj, obj)

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def has_perm(self, user_obj, perm, obj=None):
        return user_obj.is_active and perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj, app_label):
        return any(p.startswith(app_label + ".") for p in self.get_all_permissions(user_obj))


def lockout_username(request, credentials: dict | None = None) -> str:
    """The username lock-out counts under (django-axes ``AXES_USERNAME_CALLABLE``): trimmed and
    case-folded, because usernames are unique case-insensitively and log in in any case, so
    ``GANYU`` and ``ganyu`` are one account with one count."""
    from django.conf import settings

    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        value = credentials.get(field)
    else:
        value = getattr(request, "data", request.POST).get(field) if request is not None else None
    return (value or "").strip().casefold()
