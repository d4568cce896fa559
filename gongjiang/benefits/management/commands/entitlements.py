"""python manage.py entitlements --json [--on DATE] [--policy CODE]

Who qualifies for each benefit policy in force on DATE (default today), evaluated by the engine
without writing anything. The last line is one JSON object: {"CODE": {"eligible": N, "amount":
"12345.00"}, …}, the amount being the sum of the full amounts (all instalments).
"""

from __future__ import annotations

import datetime
import json
import sys

from django.core.management.base import BaseCommand
from django.utils import timezone

from gongjiang.benefits.selectors import entitlements_summary


class Command(BaseCommand):
    help = "按政策计算符合条件的人数和金额（只计算，不写入）"

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="最后一行输出一个 JSON 对象")
        parser.add_argument("--on", help="评估日期 YYYY-MM-DD，默认今天")
        parser.add_argument("--policy", help="只计算这一个政策代码")

    def handle(self, *args, **options):
        on = timezone.localdate()
        if options.get("on"):
            try:
                on = datetime.date.fromisoformat(options["on"])
            except ValueError:
                self.stderr.write("日期“%s”无效，应为 YYYY-MM-DD" % options["on"])
                sys.exit(2)
        result = {
            code: s.as_json() for code, s in entitlements_summary(on=on, code=options.get("policy")).items()
        }
        if options.get("policy") and not result:
            self.stderr.write("政策“%s”不存在或在 %s 未生效" % (options["policy"], on))
            sys.exit(2)
        if not options.get("json"):
            for code, s in result.items():
                self.stdout.write("%s：%d 份，%s 元" % (code, s["eligible"], s["amount"]))
        self.stdout.write(json.dumps(result, ensure_ascii=False))
