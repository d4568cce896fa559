"""python manage.py stats_refresh — rebuild the dashboard's aggregates and baseline now."""

from django.core.management.base import BaseCommand

from gongjiang.stats.services import stats_refresh_all


class Command(BaseCommand):
    help = "立即重建目标驾驶舱的统计汇总和基期（2025年末）数据"

    def handle(self, *args, **options):
        state = stats_refresh_all()
        self.stdout.write("统计数据已更新：数据截至 %s，汇总用时 %.2f 秒" % (state.as_of, state.seconds))
