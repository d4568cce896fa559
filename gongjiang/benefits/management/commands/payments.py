"""python manage.py payments batch --month YYYY-MM [--json]

Make the month's payment batch: every instalment due by the month's end that is not yet in a live
line. Run twice for the same month, the second holds only what became due (or failed) since. The
last line is one JSON object: {"batch": ID, "lines": N, "amount": "…"}.
"""

from __future__ import annotations

import datetime
import json
import sys

from django.core.management.base import BaseCommand

from gongjiang.benefits.services import payment_batch_create


class Command(BaseCommand):
    help = "制作月度发放批次"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        batch = sub.add_parser("batch", help="收集截至该月底到期、尚未发放的各期待遇")
        batch.add_argument("--month", required=True, help="月份 YYYY-MM")
        batch.add_argument("--json", action="store_true", help="最后一行输出一个 JSON 对象")

    def handle(self, *args, action: str, **options):
        try:
            month = datetime.date.fromisoformat(options["month"] + "-01")
        except ValueError:
            self.stderr.write("月份“%s”无效，应为 YYYY-MM" % options["month"])
            sys.exit(2)
        batch = payment_batch_create(actor=None, month=month)
        lines = list(batch.lines.values_list("amount", flat=True))
        result = {"batch": batch.pk, "lines": len(lines), "amount": "%.2f" % sum(lines)}
        if not options.get("json"):
            self.stdout.write(
                "已制作 %s 发放批次 #%d：%d 笔，%s 元"
                % (options["month"], batch.pk, len(lines), result["amount"])
            )
        self.stdout.write(json.dumps(result))
