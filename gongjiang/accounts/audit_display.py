"""The audit log's 内容 in Chinese: field names from the audited model (or a short list of the
keys services write that are not fields), values with their choice labels, 是/否, and
"before → after" for changes. Display only: the stored JSON is what the MAC covers."""

from __future__ import annotations

import datetime
import re

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone

# Keys audit rows carry that are not fields of the audited model.
KEY_LABELS = {
    "format": "格式",
    "filters": "筛选条件",
    "rows": "行数",
    "masked": "已脱敏",
    "reason": "事由",
    "status": "状态",
    "kind": "种类",
    "file": "文件",
    "sha256": "SHA-256",
    "size": "大小（字节）",
    "dry_run": "试导入任务",
    "valid_only": "只导入正确的行",
    "queued": "已排队",
    "by": "查找方式",
    "name": "姓名",
    "found": "找到人数",
    "fields": "修改的字段",
    "id_number": "身份证号",
    "note": "意见",
    "level": "级别",
    "on": "日期",
    "grant_amount": "资助金额",
    "mean_score": "专家均分",
    "year": "年度",
    "result": "结果",
    "host": "依托单位",
    "leader": "领办人",
    "batch": "批次",
    "person": "人员",
    "target": "指标",
    "region": "县区",
    "goal": "目标值",
    "username": "用户名",
    "reveal": "含完整证件号",
    "job": "任务",
    "mode": "方式",
    "accepted": "正确行",
    "rejected": "错误行",
    # import results (jobs.views.RESULT_LABELS; accounts sits below jobs, so repeated here)
    "persons_created": "新增人员",
    "persons_updated": "更新人员",
    "persons_unchanged": "未变化人员",
    "certificates_created": "新增证书",
    "certificates_unchanged": "未变化证书",
    "conflicts": "冲突证书",
    "organisations_created": "新增单位",
    "organisations_updated": "更新单位",
    "organisations_unchanged": "未变化单位",
    "teachers_created": "新增教师",
    "teachers_updated": "更新教师",
    "teachers_unchanged": "未变化教师",
}
VALUE_LABELS = {
    "name_tail": "姓名 + 身份证号后四位",
    "xlsx": "Excel",
    "csv": "CSV",
    "roster": "人员与证书花名册",
    "organisations": "单位名录",
    "teachers": "教师名册",
    "carriers": "已认定培养载体",
}
LIMIT = 300
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$")


def _model(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field(model, key: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        return None


def _label(model, key: str) -> str:
    field = _field(model, key)
    if field is not None and hasattr(field, "verbose_name"):
        return str(field.verbose_name)
    return KEY_LABELS.get(key, key)


def _value(model, key: str, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        return "，".join(f"{_label(model, k)}：{_value(model, k, v)}" for k, v in value.items()) or "—"
    if isinstance(value, list):
        return "、".join(_value(model, key, v) for v in value) or "—"
    field = _field(model, key)
    choices = dict(field.flatchoices) if field is not None and getattr(field, "choices", None) else {}
    text = str(value)
    if ISO_DATETIME.match(text):
        # Moments are stored in UTC (ISO 8601); a person reads them in Beijing time, to the second.
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")
    return str(choices.get(value, VALUE_LABELS.get(text, text)))


def describe_changes(object_type: str, changes: dict) -> str:
    """``{"status": ["valid", "revoked"], "reason": "…"}`` on a certificate →
    ``状态：有效 → 已撤销；事由：…``."""
    if not changes:
        return ""
    model = _model(object_type)
    parts = []
    for key, value in changes.items():
        if key == "fields" and isinstance(value, dict):
            parts.extend(_part(model, k, v) for k, v in value.items())
        else:
            parts.append(_part(model, key, value))
    return "；".join(parts)


def _part(model, key: str, value) -> str:
    if isinstance(value, list) and len(value) == 2 and not any(isinstance(v, (list, dict)) for v in value):
        # services write a change as [before, after] (model_changes, workflow status)
        before, after = (_value(model, key, v) for v in value)
        return f"{_label(model, key)}：{before} → {after}"
    return f"{_label(model, key)}：{_value(model, key, value)}"
