"""python manage.py policies load FILE.json | policies dump [--out FILE.json]

``load`` takes a file of benefit policies whole (the format is in benefits/spec.py): every policy
is checked first and an invalid file changes nothing (exit 2, a Chinese message naming the policy
and the field); a policy whose rules changed becomes a new version; loading the same file twice
changes nothing. The last line is a JSON summary. ``dump`` writes the same format.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from gongjiang.benefits.selectors import policies_dump
from gongjiang.benefits.services import policies_load
from gongjiang.benefits.spec import SpecError


class Command(BaseCommand):
    help = "载入或导出人才待遇政策（JSON）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="载入政策文件（整份校验，任一错误则不写入）")
        load.add_argument("file")
        dump = sub.add_parser("dump", help="导出全部政策的最新版本")
        dump.add_argument("--out", help="写入文件；不填则输出到屏幕")

    def handle(self, *args, action: str, **options):
        if action == "dump":
            text = json.dumps(policies_dump(), ensure_ascii=False, indent=2)
            if options.get("out"):
                Path(options["out"]).write_text(text + "\n", encoding="utf-8")
                self.stdout.write(json.dumps({"policies": len(json.loads(text)), "file": options["out"]}))
            else:
                self.stdout.write(text)
            return
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            self.stderr.write("无法读取政策文件 %s：%s" % (path, exc))
            sys.exit(2)
        try:
            result = policies_load(actor=None, text=text)
        except SpecError as exc:
            self.stderr.write("政策文件 %s 未载入：%s" % (path.name, exc))
            sys.exit(2)
        self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
