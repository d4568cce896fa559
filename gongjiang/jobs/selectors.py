from django.db.models import QuerySet

from gongjiang.accounts.models import User

from .models import Job


def job_list(*, user: User) -> QuerySet[Job]:
    return Job.objects.for_user(user).select_related("user")
