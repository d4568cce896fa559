"""python manage.py bench <name> [options]

Benchmarks live in each app's ``benchmarks.py`` as ``BENCHMARKS = {"name": function}``; a
function takes the remaining command-line arguments and returns a dict. Progress goes to stderr;
the last line on stdout is one JSON object.
"""

import importlib
import json
import sys

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError


def discover() -> dict:
    found = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("gongjiang."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.benchmarks")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.benchmarks":
                raise
            continue
        found.update(getattr(module, "BENCHMARKS", {}))
    return found


class Command(BaseCommand):
    help = "运行基准测试；最后一行输出 JSON"

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("args", nargs="*")

    def run_from_argv(self, argv):
        # Options after the name belong to the benchmark (e.g. --rows N), not to this command.
        self._bench_argv = argv[3:]
        argv = argv[:3]
        super().run_from_argv(argv)

    def handle(self, *args, name, **options):
        benchmarks = discover()
        if name not in benchmarks:
            raise CommandError("未知的基准测试“%s”，可用：%s" % (name, "、".join(sorted(benchmarks)) or "无"))
        argv = getattr(self, "_bench_argv", list(args))
        result = benchmarks[name](argv)
        sys.stdout.write(json.dumps(result, ensure_ascii=False, default=str) + "\n")
