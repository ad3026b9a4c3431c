"""The support contact data (phone lines, their hours, the weekend rule: C1, C3) for the apps that may not
read the help centre, which keeps it. The help centre registers its reader in ``AppConfig.ready``; the
ticketing engine prints the lines on its emergency sheet (P7).

A reader takes no argument and returns the lines in the operators' order, each with ``country``, ``number``,
``tel``, ``email``, ``time_zone``, ``opens``, ``closes`` and ``weekend_emergency_phone``
(``helpcenter.selectors.SupportLine``)."""

from collections.abc import Callable

_readers: list[Callable] = []


def register_support_lines(read: Callable) -> None:
    if read not in _readers:
        _readers.append(read)


def support_lines() -> list:
    """Every registered reader's lines; none when no app keeps contact data."""
    return [line for read in _readers for line in read()]
