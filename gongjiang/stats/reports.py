"""The quarterly report for the 人才工作领导小组 as one workbook: every table behind the dashboard,
one sheet each (xlsxwriter; cells neutralised like every export, common/excel.py)."""

from __future__ import annotations

import tempfile
from typing import IO

import xlsxwriter

from gongjiang.common.excel import cell_text

from .selectors import Dashboard, Row


def _share(value: float | None) -> float | str:
    return round(value, 4) if value is not None else ""


def _indicator_value(ind, value):
    if value is None:
        return ""
    return round(value, 4) if ind.target.is_share else round(value)


def report_sheets(board: Dashboard) -> list[tuple[str, list[str], list[list]]]:
    """(sheet name, headers, rows) of every table of the dashboard."""
    where = board.region.name if board.region else "全市（本人数据范围）"
    sheets = [
        (
            "摘要",
            ["内容"],
            [
                [f"连云港市高技能人才工作目标进展（{where}）"],
                [f"数据截至 {board.as_of:%Y-%m-%d %H:%M}" if board.as_of else "尚未生成统计"],
            ]
            + [[line] for line in board.summary],
        ),
        (
            "指标总览",
            ["指标", "数值", "目标", "按进度应达", "与进度差距", "状态", "预计2030年末", "库内口径", "口径"],
            [
                [
                    ind.target.name,
                    _indicator_value(ind, ind.value) if ind.available else "数据待接入",
                    _indicator_value(ind, ind.goal),
                    _indicator_value(ind, ind.pace),
                    _indicator_value(ind, ind.gap),
                    ind.status_label,
                    _indicator_value(ind, ind.projection),
                    _share(ind.parts.get("registry_share")) if "registry_share" in ind.parts else "",
                    ind.definition,
                ]
                for ind in board.indicators
            ],
        ),
        (
            "按县区",
            [
                "县区/功能板块",
                "技能人才（库内）",
                "高技能人才",
                f"技能劳动者官方统计数（{board.official_year or '—'}年）",
                "占比（官方口径）",
                "占比进度值",
                "占比状态",
                "占比（库内口径）",
                "新增高技能人才",
            ],
            [
                [
                    r.label,
                    r.counts.skilled,
                    r.counts.high,
                    r.official or "",
                    _share(r.official_share),
                    _share(r.share_pace),
                    r.share_status_label,
                    _share(r.share),
                    r.counts.new_high,
                ]
                for r in board.regions
            ],
        ),
        (
            "县区按季度新增",
            ["县区/功能板块", *[q.label for q in board.quarters]],
            [[line.label, *[c.value for c in cells]] for line, cells in board.region_quarters],
        ),
        (
            "按月新增",
            ["月份", "新增高技能人才", "累计"],
            [[p.label, p.value, p.cumulative] for p in board.months],
        ),
        (
            "按季度新增",
            ["季度", "新增高技能人才", "累计"],
            [[p.label, p.value, p.cumulative] for p in board.quarters],
        ),
        (
            "按年度新增",
            ["年度", "新增高技能人才", "累计"],
            [[p.label, p.value, p.cumulative] for p in board.years],
        ),
    ]
    for name, first, rows in (
        ("按重点领域", "重点领域", board.domains),
        ("按等级", "最高等级", board.levels),
        ("按职业前20", "职业", board.occupations),
        ("按单位类别", "单位类别", board.employer_kinds),
        ("按单位标识", "单位标识", board.flags),
    ):
        sheets.append(
            (name, [first, "技能人才", "高技能人才", "高技能人才占比", "新增高技能人才"], _rows(rows))
        )
    if board.carriers is not None:
        items = [["类型", i.get("label"), i.get("value")] for i in board.carriers.get("by_type") or []]
        items += [["级别", i.get("label"), i.get("value")] for i in board.carriers.get("by_level") or []]
        sheets.append(("培养载体", ["分组", "类别", "新建载体数"], items))
    if board.teachers is not None:
        sheets.append(
            (
                "专业课教师",
                ["学校", "高级工及以上", "专业课教师总数", "比例"],
                [
                    [i.get("label"), i.get("high"), i.get("total"), _share(i.get("value"))]
                    for i in board.teachers.get("by_school") or []
                ],
            )
        )
    return sheets


def _rows(rows: list[Row]) -> list[list]:
    return [[r.label, r.counts.skilled, r.counts.high, _share(r.share), r.counts.new_high] for r in rows]


def write_report_xlsx(board: Dashboard) -> IO[bytes]:
    """The workbook in a temporary file, rewound."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 (handed to the response, which closes it)
    book = xlsxwriter.Workbook(out, {"strings_to_formulas": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True, "bg_color": "#DCE6F1", "text_wrap": True, "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    for name, headers, rows in report_sheets(board):
        sheet = book.add_worksheet(name[:31])
        for col, header in enumerate(headers):
            sheet.write_string(0, col, header, bold)
            sheet.set_column(col, col, 60 if header in ("口径", "内容") else max(12, len(header) * 2 + 2))
        for r, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                value = cell_text(value)
                if isinstance(value, (int, float)):
                    sheet.write_number(r, col, value)
                else:
                    sheet.write_string(r, col, str(value), wrap)
        sheet.freeze_panes(1, 1)
    book.close()
    out.seek(0)
    return out
