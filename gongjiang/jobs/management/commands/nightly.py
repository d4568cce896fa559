"""Run the nightly maintenance now: every registered step, each on its own; the run is recorded."""

import json as jsonlib

from django.core.management.base import BaseCommand, CommandError

from gongjiang.jobs.nightly import STEPS, nightly_run


class Command(BaseCommand):
    help = (
        "运行夜间维护（证书到期失效、刷新派生字段、校验审计日志并写检查点、清理临时文件、重新评估待遇资格等）"
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="以 JSON 输出每个步骤的结果")
        parser.add_argument("--step", action="append", choices=sorted(STEPS), help="只运行这些步骤")

    def handle(self, *args, json: bool = False, step=None, **options):
        run = nightly_run(trigger="command", only=step)
        steps = list(run.steps.all())
        if json:
            self.stdout.write(
                _dumps(
                    {
                        "run": run.pk,
                        "ok": run.ok,
                        "steps": [
                            {
                                "name": s.name,
                                "ok": s.ok,
                                "result": s.result,
                                "message": s.message,
                                "seconds": s.seconds,
                            }
                            for s in steps
                        ],
                    }
                )
            )
        else:
            for s in steps:
                mark = "完成" if s.ok else "失败"
                detail = s.message if not s.ok else "，".join(f"{k}={v}" for k, v in s.result.items())
                self.stdout.write(f"{s.label}（{s.name}）：{mark} {detail}")
        if not run.ok:
            raise CommandError("夜间维护有步骤失败：%s" % "、".join(s.name for s in steps if not s.ok))


def _dumps(data) -> str:
    return jsonlib.dumps(data, ensure_ascii=False, default=str)
