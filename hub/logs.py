"""Logging helpers named in ``LOGGING`` (hub/settings.py)."""

import logging


class RefusalOnOneLine(logging.Filter):
    """A refused request (403) is one warning line: "Forbidden (Permission denied): /path".

    Django logs a ``PermissionDenied`` with its traceback, which says nothing about the request that the
    line does not, and buries real errors in the log; the refusal is expected behaviour, not a fault.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
