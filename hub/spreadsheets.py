"""Excel exports: openpyxl in write-only mode (constant memory), bold frozen header row, autofilter.

Numbers stay numbers: a column can be given a number format (``number_formats``, one per column, None for
none), so that an amount is a figure the reader's spreadsheet shows with its own decimal and grouping
signs, and sums, rather than text in one language's writing.

Text that a spreadsheet would read as a formula (=, +, -, @ …) is written as text with a leading
apostrophe, so a buyer named ``=cmd()`` can never run anything on the organiser's computer.
"""

import io
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell(sheet, value, number_format):
    if number_format and isinstance(value, int | float | Decimal | date) and not isinstance(value, bool):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = number_format
        return cell
    return safe(value)


def xlsx(
    sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence]]],
    *,
    widths: Sequence[int] = (),
    number_formats: Sequence[str | None] = (),
) -> bytes:
    """One workbook, a sheet per ``(title, headers, rows)``; column i's numbers in ``number_formats[i]``."""
    workbook = Workbook(write_only=True)
    formats = {index: fmt for index, fmt in enumerate(number_formats) if fmt}
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
            sheet.append([_cell(sheet, value, formats.get(index)) for index, value in enumerate(row)])
            last += 1
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{last}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
