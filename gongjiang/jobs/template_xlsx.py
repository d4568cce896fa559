"""The downloadable template of an import KIND: headers, drop-downs, text columns, instructions."""

from __future__ import annotations

import tempfile
from typing import IO

import xlsxwriter

from .registry import ImportKind

DATA_ROWS = 5_000


def build_template(kind: ImportKind) -> IO[bytes]:
    out = tempfile.TemporaryFile()  # noqa: SIM115 (handed to the response, which closes it)
    book = xlsxwriter.Workbook(out, {"strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet(kind.label[:31])
    guide = book.add_worksheet("填写说明")
    options = book.add_worksheet("选项")
    header = book.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1})
    required = book.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1, "font_color": "#9C0006"})
    text = book.add_format({"num_format": "@"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    bold = book.add_format({"bold": True})
    option_col = 0
    for col, column in enumerate(kind.columns):
        sheet.write_string(0, col, column.header, required if column.required else header)
        sheet.set_column(col, col, column.width, text if column.text_format else None)
        if column.help:
            sheet.write_comment(0, col, column.help, {"x_scale": 2, "y_scale": 1.5})
        if column.choices:
            values = list(column.choices())
            options.write_string(0, option_col, column.header, bold)
            for r, value in enumerate(values, start=1):
                options.write_string(r, option_col, value)
            letter = xlsxwriter.utility.xl_col_to_name(option_col)
            sheet.data_validation(
                1,
                col,
                DATA_ROWS,
                col,
                {
                    "validate": "list",
                    "source": f"=选项!${letter}$2:${letter}${len(values) + 1}",
                    "error_title": "请从列表中选择",
                    "error_message": "%s 只能填写下拉列表中的值" % column.header,
                },
            )
            option_col += 1
    sheet.freeze_panes(1, 0)
    options.hide()
    guide.set_column(0, 0, 22)
    guide.set_column(1, 1, 80)
    guide.write_string(0, 0, kind.label + " 导入模板", bold)
    row = 2
    for line in kind.instructions:
        guide.write_string(row, 0, "说明", bold)
        guide.write_string(row, 1, line, wrap)
        row += 1
    row += 1
    guide.write_string(row, 0, "列名", bold)
    guide.write_string(row, 1, "要求（红色表头为必填；也接受括号中的别名）", bold)
    for column in kind.columns:
        row += 1
        note = ("必填。" if column.required else "") + column.help
        if column.aliases:
            note += "（别名：%s）" % "、".join(column.aliases)
        guide.write_string(row, 0, column.header)
        guide.write_string(row, 1, note, wrap)
    book.close()
    out.seek(0)
    return out
