"""Excel exports: openpyxl in write-only mode (constant memory), bold frozen header row, autofilter.

Text that a spreadsheet would read as a formula (=, +, -, @ …) is written as text with a leading
apostrophe, so a buyer named ``=cmd()`` can never run anything on the organiser's computer.
"""

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def xlsx(
    sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence]]], *, widths: Sequence[int] = ()
) -> bytes:
    """One workbook with a sheet per ``(title, headers, rows)``."""
    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        sheet.freeze_panes = "A2"
        for index, width in enumerate(widths or [18] * len(headers), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        header = []
        for name in headers:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        last = 1
        for row in rows:
            sheet.append([safe(value) for value in row])
            last += 1
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{last}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
