"""Run the background worker: first remove the clear working files dead processes left and queue
again the jobs a dead worker left running, then hand over to django-tasks-db's worker loop. Each
job runs in a child process with a memory limit (``jobs.services.job_execute_isolated``)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from gongjiang.jobs import files, tasks
from gongjiang.jobs.services import jobs_resume_stale


class Command(BaseCommand):
    help = "运行后台任务（导入、导出）；启动时清理遗留的临时文件并恢复被中断的任务"

    def add_arguments(self, parser):
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument("--interval", type=float, default=0.5)

    def handle(self, *args, max_tasks, interval, **options):
        files.remove_leftovers()
        resumed = jobs_resume_stale()
        if resumed:
            self.stderr.write("已恢复被中断的任务：%s" % ", ".join(map(str, resumed)))
        tasks.ISOLATE = True
        kwargs = {"interval": interval, "reload": False}
        if max_tasks:
            kwargs["max_tasks"] = max_tasks
        call_command("db_worker", **kwargs)
