"""Background tasks of the jobs app: load by id, call the service."""

from django_tasks import task


@task()
def job_run(job_id: int) -> None:
    from .services import job_execute

    job_execute(job_id=job_id)
