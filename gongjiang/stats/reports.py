"""The quarterly report for the 人才工作领导小组 as one workbook: every table behind the dashboard,
one sheet each (xlsxwriter; cells neutralised like every export, common/excel.py)."""

from __future__ import annotations

import math
import tempfile
from typing import IO

import xlsxwriter
from django.utils import timezone

from gongjiang.common.excel import SheetWriter, cell_value, display_width

from .selectors import Dashboard, Row


class Share(float):
    """A ratio (0.3347): written with a percent format, so it reads 33.47% beside counts."""


def _share(value: float | None) -> Share | str:
    return Share(round(value, 4)) if value is not None else ""


def _indicator_value(ind, value):
    if value is None:
        return ""
    return Share(round(value, 4)) if ind.target.is_share else round(value)


def report_sheets(board: Dashboard) -> list[tuple[str, list[str], list[list]]]:
    """(sheet name, headers, rows) of every table of the dashboard."""
    where = board.region.name if board.region else "全市（本人数据范围）"
    sheets = [
        (
            "摘要",
            ["内容"],
            [
                [f"连云港市高技能人才工作目标进展（{where}）"],
                [
                    f"数据截至 {timezone.localtime(board.as_of):%Y-%m-%d %H:%M}"
                    if board.as_of
                    else "尚未生成统计"
                ],
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
    if board.plan is not None:
        sheets.append(
            (
                "部门任务（按措施）",
                [
                    "措施",
                    "任务数",
                    "已完成任务",
                    "逾期任务",
                    "到期里程碑",
                    "已完成里程碑",
                    "逾期未报进展报告",
                    "未办结督办",
                    f"{board.on.year}年预算（元）",
                    f"{board.on.year}年支出（元）",
                    "资金执行率",
                ],
                [
                    [
                        str(m.measure),
                        m.tasks,
                        m.done,
                        m.overdue_tasks,
                        m.milestones_due,
                        m.milestones_met,
                        m.overdue_reports,
                        m.open_supervisions,
                        float(m.budget),
                        float(m.spent),
                        _share(m.rate),
                    ]
                    for m in board.plan
                ],
            )
        )
    return sheets


def _rows(rows: list[Row]) -> list[list]:
    return [[r.label, r.counts.skilled, r.counts.high, _share(r.share), r.counts.new_high] for r in rows]


WRAP_WIDTH = {"口径": 60, "内容": 90}  # the long text columns: fixed widths, wrapped
MAX_COLUMN = 30  # any other column wraps past this
LINE_HEIGHT = 16  # points per line of 11-point text (CJK glyphs are taller than Latin ones)


def _lines(value: object, width: float) -> int:
    """Lines a wrapped cell takes at ``width`` columns (each paragraph at least one)."""
    text = value if isinstance(value, str) else str(value)
    return sum(max(1, math.ceil(display_width(part) / max(width - 1, 1))) for part in text.split("\n"))


def write_report_xlsx(board: Dashboard) -> IO[bytes]:
    """The workbook in a temporary file, rewound. It prints on A4: landscape, fitted to the page
    width, the header row repeated on every page; wrapped cells get the height their lines need
    (Excel and WPS do not grow a row written by a program), and ratios carry a percent format."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 (handed to the response, which closes it)
    book = xlsxwriter.Workbook(out, {"strings_to_formulas": False, "strings_to_urls": False})
    bold = book.add_format(
        {"bold": True, "bg_color": "#DCE6F1", "text_wrap": True, "valign": "top", "border": 1}
    )
    wrap = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
    number = book.add_format({"num_format": "#,##0", "valign": "top", "border": 1})
    decimal = book.add_format({"num_format": "#,##0.00", "valign": "top", "border": 1})
    percent = book.add_format({"num_format": 10, "valign": "top", "border": 1})  # built-in 0.00%
    for name, headers, rows in report_sheets(board):
        sheet = book.add_worksheet(name[:31])
        writer = SheetWriter(book, sheet, text_format={"text_wrap": True, "valign": "top", "border": 1})
        table = [list(headers), *[[cell_value(v) for v in row] for row in rows]]
        for r, row in enumerate(table):
            for col, value in enumerate(row):
                if r == 0:
                    fmt = bold
                elif isinstance(value, Share):
                    fmt = percent
                elif isinstance(value, float):
                    fmt = decimal
                elif isinstance(value, int):
                    fmt = number
                else:
                    fmt = wrap
                writer.write(r, col, value, fmt)
        widths = {
            col: WRAP_WIDTH.get(header, min(MAX_COLUMN, max(8, writer.widths.get(col, 0) + 2)))
            for col, header in enumerate(headers)
        }
        writer.fit(widths=widths)
        for r, row in enumerate(table):
            lines = max((_lines(v, widths[c]) for c, v in enumerate(row) if isinstance(v, str)), default=1)
            if lines > 1:
                sheet.set_row(r, LINE_HEIGHT * lines)
        sheet.freeze_panes(1, 1)
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)  # one page wide, as many pages tall as needed
        sheet.repeat_rows(0)
        sheet.set_margins(left=0.5, right=0.5, top=0.7, bottom=0.7)
        sheet.set_header(f"&L&9连云港市高技能人才工作进展报告&R&9{name}")
        sheet.set_footer("&C&9第 &P 页，共 &N 页")
    book.close()
    out.seek(0)
    return out
