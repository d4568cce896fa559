"""python manage.py plan_load

Load (or reload) the ten measures and their responsible departments from the policy text in
``gongjiang/plan/data/policy.txt`` (departments missing from the organisations are created)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from gongjiang.plan.services import measures_load


class Command(BaseCommand):
    help = "从政策文本载入十条措施及其责任部门"

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(measures_load(actor=None), ensure_ascii=False))
