"""Run the background worker: first remove the clear working files dead processes left and queue
again the jobs a dead worker left running, then run tasks (``jobs/worker.py``): each job in a
child process with a memory limit, transient database failures tried again with backoff, and the
nightly maintenance once a day after 02:00 Beijing time."""

from django.core.management.base import BaseCommand
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks.base import DEFAULT_TASK_QUEUE_NAME

from gongjiang.jobs import files, tasks
from gongjiang.jobs.retry import persist
from gongjiang.jobs.services import jobs_resume_stale
from gongjiang.jobs.worker import MaintainingWorker


class Command(BaseCommand):
    help = "运行后台任务（导入、导出、统计刷新、夜间维护）；启动时清理遗留的临时文件并恢复被中断的任务"

    def add_arguments(self, parser):
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument("--interval", type=float, default=0.5)
        parser.add_argument(
            "--no-nightly", action="store_true", help="不自动运行夜间维护和每小时的审计日志检查点"
        )

    def handle(self, *args, max_tasks, interval, no_nightly=False, **options):
        files.remove_leftovers()
        resumed = persist(jobs_resume_stale)
        if resumed:
            self.stderr.write("已恢复被中断的任务：%s" % ", ".join(map(str, resumed)))
        tasks.ISOLATE = True
        worker = MaintainingWorker(
            queue_names=[DEFAULT_TASK_QUEUE_NAME],
            interval=interval,
            batch=False,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=max_tasks,
            worker_id=f"gongjiang-{__import__('os').getpid()}",
            excluded_queue_names=[],
            nightly=not no_nightly,
        )
        worker.configure_signals()
        worker.run()
