import re

from django.db.models import QuerySet

from gongjiang.accounts.models import User
from gongjiang.core.validators import mask_phone, mask_resident_id

from .models import Job


def job_list(*, user: User) -> QuerySet[Job]:
    return Job.objects.for_user(user).select_related("user")


ERRORS_SHOWN = 20

_LONG_NUMBER = re.compile(r"\d{15}[\dXx]{0,3}|1\d{10}")


def job_errors_preview(job: Job, *, limit: int = ERRORS_SHOWN) -> list[tuple[object, str]]:
    """The first ``limit`` rejected rows of an import as (row number, reasons), read from its
    stored error report, so the page shows what the downloadable report holds. Long digit runs
    in the reasons (ID and phone numbers quoted from the file) are masked as everywhere on pages."""
    if job.job_type != "import" or not job.output_file or not job.result.get("rejected"):
        return []
    from gongjiang.common.excel import read_rows

    from . import files

    shown: list[tuple[object, str]] = []
    with files.decrypted_copy(job.output_file, suffix=".xlsx") as path:
        rows = read_rows(path)
        next(rows, None)  # the header row
        for _number, cells in rows:
            if len(shown) >= limit:
                break
            reason = str(cells[-1]) if cells and cells[-1] is not None else ""
            number = cells[0] if cells else ""
            if isinstance(number, float) and number.is_integer():
                number = int(number)  # the report's row numbers come back from the sheet as floats
            shown.append((number, _mask_numbers(reason)))
    return shown


def _mask_numbers(text: str) -> str:
    def mask(match: re.Match) -> str:
        value = match.group(0)
        return mask_phone(value) if len(value) == 11 else mask_resident_id(value)

    return _LONG_NUMBER.sub(mask, text)


def maintenance_overview(user, *, runs: int = 14) -> dict:
    """The last nightly runs with their steps, the failing background tasks (unresolved first) and
    the stuck jobs, in the user's scope (the city admin's)."""
    from django.db.models import Prefetch

    from .models import NightlyRun, NightlyStep, TaskFailure

    recent = list(
        NightlyRun.objects.for_user(user)
        .prefetch_related(Prefetch("steps", queryset=NightlyStep.objects.order_by("id")))
        .order_by("-id")[:runs]
    )
    failures = list(
        TaskFailure.objects.for_user(user).filter(resolved_at__isnull=True).order_by("-last_at")[:100]
    )
    return {"runs": recent, "failures": failures}
