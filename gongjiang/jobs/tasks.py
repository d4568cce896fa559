"""Background tasks of the jobs app: load by id, call the service."""

from django_tasks import task

# Set by ``manage.py worker``: there each job runs in a child process with a memory limit
# (services.job_execute_isolated). Elsewhere (tasks run immediately, tests) in this process.
ISOLATE = False


@task()
def job_run(job_id: int) -> None:
    from .services import job_execute, job_execute_isolated

    if ISOLATE:
        job_execute_isolated(job_id=job_id)
    else:
        job_execute(job_id=job_id)
