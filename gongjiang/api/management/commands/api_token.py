"""python manage.py api_token create --user USERNAME [--expires DAYS] [--name TEXT]

Issues an API token acting as USERNAME, signed by the city admin platform account; the token is
printed once, on the last line, and only its digest is kept. ``api_token revoke ID`` revokes one.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from gongjiang.accounts.choices import Role
from gongjiang.accounts.models import User
from gongjiang.api.models import ApiToken
from gongjiang.api.services import api_token_create, api_token_revoke


def _issuer() -> User:
    """The account the command acts as: the platform's own city-admin account, unable to log in."""
    actor, _ = User.objects.get_or_create(
        username="system-api-token",
        defaults={"role": Role.CITY_ADMIN, "first_name": "命令行签发令牌", "is_active": False},
    )
    actor.is_active = True  # permission checks need an active user; the account cannot log in
    actor.set_unusable_password()
    return actor


class Command(BaseCommand):
    help = "签发或撤销接口令牌（create 的最后一行输出令牌本身，只显示这一次）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="签发令牌")
        create.add_argument("--user", required=True, help="令牌代表的账号（用户名）")
        create.add_argument("--expires", type=int, help="有效天数；不填为长期有效")
        create.add_argument("--name", default="", help="用途")
        revoke = sub.add_parser("revoke", help="撤销令牌")
        revoke.add_argument("id", type=int, help="令牌编号")

    def handle(self, *args, action, **options):
        if action == "create":
            try:
                user = User.objects.get(username__iexact=options["user"])
            except User.DoesNotExist:
                raise CommandError("用户不存在：%s" % options["user"]) from None
            try:
                token, secret = api_token_create(
                    actor=_issuer(), user=user, name=options["name"] or "命令行签发", days=options["expires"]
                )
            except ValidationError as exc:
                raise CommandError("；".join(exc.messages)) from None
            expires = token.expires_at.isoformat() if token.expires_at else "长期"
            self.stderr.write(
                "令牌 #%d 代表 %s，有效期至 %s；只显示这一次：" % (token.pk, user.username, expires)
            )
            self.stdout.write(secret)
        else:
            try:
                token = ApiToken.objects.get(pk=options["id"])
            except ApiToken.DoesNotExist:
                raise CommandError("令牌不存在：%s" % options["id"]) from None
            try:
                api_token_revoke(actor=_issuer(), token=token)
            except ValidationError as exc:
                raise CommandError("；".join(exc.messages)) from None
            self.stdout.write("已撤销令牌 #%d" % token.pk)
