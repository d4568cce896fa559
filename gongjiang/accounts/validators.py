"""Password rules beyond Django's: three character classes; no username, ID or phone inside."""

import re

from django.core.exceptions import ValidationError


class CharacterClassValidator:
    """At least three of: lower-case letters, upper-case letters, digits, other characters."""

    def validate(self, password: str, user=None) -> None:
        classes = [
            re.search(r"[a-z]", password),
            re.search(r"[A-Z]", password),
            re.search(r"[0-9]", password),
            re.search(r"[^a-zA-Z0-9]", password),
        ]
        if sum(1 for c in classes if c) < 3:
            raise ValidationError(
                "密码须至少包含小写字母、大写字母、数字、符号中的三类", code="password_classes"
            )

    def get_help_text(self) -> str:
        return "密码须至少包含小写字母、大写字母、数字、符号中的三类。"


class NoPersonalDataValidator:
    """The password may not contain the username, or the ID number or phone of the bound person."""

    def validate(self, password: str, user=None) -> None:
        if user is None:
            return
        lowered = password.lower()
        username = (getattr(user, "username", "") or "").lower()
        if len(username) >= 3 and username in lowered:
            raise ValidationError("密码不能包含用户名", code="password_username")
        person = getattr(user, "person", None) if getattr(user, "pk", None) else None
        if person is not None:
            for secret in (person.id_number[-8:], person.id_number[6:14], person.phone):
                if secret and len(secret) >= 6 and secret.lower() in lowered:
                    raise ValidationError("密码不能包含身份证号或手机号", code="password_personal")

    def get_help_text(self) -> str:
        return "密码不能包含用户名、身份证号或手机号。"
