import django_filters

from gongjiang.common.forms import set_empty_labels

from .choices import JobStatus, JobType
from .models import Job


class JobFilterSet(django_filters.FilterSet):
    job_type = django_filters.ChoiceFilter(label="类型", choices=JobType.choices)
    status = django_filters.ChoiceFilter(label="状态", choices=JobStatus.choices)
    filename = django_filters.CharFilter(label="文件名", lookup_expr="contains")

    class Meta:
        model = Job
        fields = ["job_type", "status", "filename"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        set_empty_labels(self)
