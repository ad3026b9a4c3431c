"""Admission at the door (T8–T10): one short transaction decides, whatever the number of scanners.

The ticket row is locked while the decision is taken, so four scanners reading one ticket at the same
instant give exactly one admission. Every attempt is written as a ``Scan``; a client nonce makes a retried
request return the first answer instead of a false RED. The rule is written once, as four SQL parts (find and
lock the ticket, decide, change its presence, log the scan): PostgreSQL chains them into one statement (one
round trip, no BEGIN/COMMIT); other databases run them as three statements in a transaction.
"""

import functools
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from hub import ratelimit, tokens
from hub.audit import log_action
from hub.db import prepared_cursor

from ..audit import Action
from ..models import Allotment, Category, Event, Organisation, Presence, Scan, ScanDevice, Station, Ticket
from ..permissions import require_manager, require_member

R = Scan.Result
TICKET_NUMBER = re.compile(r"^[A-Z0-9]{8}-\d{1,3}$")
SECRET_IN_URL = re.compile(r"/t/([A-Za-z0-9_-]{16,64})/?")
UNKNOWN_CODES_PER_MINUTE = 30
ONE_STATEMENT_VENDORS = frozenset({"postgresql"})  # databases that run the four parts as one statement


@dataclass(frozen=True)
class Outcome:
    result: str
    ticket: Ticket | None = None
    first_scan_at: datetime | None = None
    first_gate: str = ""
    scan_id: int | None = None
    station: str = ""  # the box-office station that sold the ticket offline (result OFFLINE)

    @property
    def green(self) -> bool:
        return self.result in (R.ADMITTED, R.EXITED)


class TooManyUnknownCodes(Exception):
    """This device read too many codes that are no ticket: it is slowed down."""


def extract_code(raw: str) -> str:
    """The secret in what a scanner read (a ticket URL or a bare secret)."""
    raw = (raw or "").strip()
    found = SECRET_IN_URL.search(raw)
    return found.group(1) if found else raw[:64]


def ticket_number(raw: str) -> str | None:
    """The ticket number typed by hand (any case, spaces around), or None when it is not one."""
    number = (raw or "").strip().upper()
    return number if TICKET_NUMBER.match(number) else None


def _answer(result: str, ticket: Ticket | None, organisation_id: int, scan_id: int | None) -> Outcome:
    """What the scanner is told; nothing is shown of another organisation's ticket."""
    if ticket is not None and ticket.event.organisation_id != organisation_id:
        ticket = None
    station = ""
    if result == R.OFFLINE and ticket is not None:  # rare: the one more query stays off the usual path
        station = Station.objects.filter(allotments__order__tickets=ticket.pk).values_list("name", flat=True)[
            0
        ]
    return Outcome(
        result,
        ticket,
        ticket.first_entry_at if ticket else None,
        ticket.first_entry_gate if ticket else "",
        scan_id,
        station,
    )


def redeem(
    *,
    code: str,
    direction: str,
    organisation_id: int,
    gate: str = "",
    device: ScanDevice | None = None,
    user=None,
    nonce: str | None = None,
    event_id: int | None = None,
    by_number: bool = False,
) -> Outcome:
    """Admit (``entry``) or let out (``exit``) the holder of ``code`` for ``organisation_id``.

    ``code`` is a ticket's secret (what its QR code carries). Only signed-in door staff typing on the scan
    page may look a ticket up by its number (``by_number``): the number is printed on the ticket, so
    the scanner API and QR codes need the secret."""
    values = {
        **CONSTANTS,
        "code": code[:64],
        "direction": direction,
        "organisation": organisation_id,
        "event": event_id,
        "gate": gate[:64],
        "device": device.pk if device else None,
        "user": user.pk if getattr(user, "is_authenticated", False) else None,
        "nonce": nonce or None,
        "now": timezone.now(),
    }
    field = "number" if by_number else "secret"
    try:
        if connection.vendor in ONE_STATEMENT_VENDORS:
            return _redeem_in_one_statement(field, values)
        return _redeem(field, values)
    except RetriedNonce:  # this attempt was already answered (a retry, or the same request twice at once)
        scan = Scan.objects.select_related("ticket__event", "ticket__category").get(nonce=nonce)
        return _answer(scan.result, scan.ticket, scan.organisation_id, scan.pk)


class RetriedNonce(Exception):
    """An earlier request with the same nonce already decided (raised inside the transaction to undo it)."""


# The rule, written once. Both paths run these statements: PostgreSQL chains them in a single statement,
# elsewhere they run one after the other in a transaction. They are written out because the ORM would
# spend longer building them than the database spends running them; only model table names are formatted in.
TICKET_COLUMNS = (
    "t.id, t.number, t.first_name, t.last_name, t.status, t.presence, t.first_entry_at, t.first_entry_gate,"
    " t.event_id, t.category_id, e.organisation_id, e.time_zone, e.title_fr, e.title_de, e.title_en,"
    " c.name_fr, c.name_de, c.name_en"
)
FIND = (  # the ticket with its event and category, locked until the end of the transaction
    "SELECT {columns} FROM {ticket} t JOIN {event} e ON e.id = t.event_id"
    " JOIN {category} c ON c.id = t.category_id WHERE t.{field} = %(code)s{lock}"
)
DECIDE = """SELECT found.*, CASE
        WHEN found.organisation_id <> %(organisation)s
            OR found.event_id <> COALESCE(%(event)s, found.event_id) THEN %(wrong_event)s
        WHEN found.status = %(reserved)s AND EXISTS (SELECT 1 FROM {ticket} h
                JOIN {allotment} a ON a.order_id = h.order_id WHERE h.id = found.id) THEN
            CASE WHEN found.presence = %(inside)s THEN %(already_inside)s ELSE %(offline)s END
        WHEN found.status <> %(valid)s THEN %(cancelled)s
        WHEN %(direction)s = %(exit)s THEN
            CASE WHEN found.presence = %(inside)s THEN %(exited)s ELSE %(not_inside)s END
        WHEN found.presence = %(inside)s THEN %(already_inside)s
        ELSE %(admitted)s
    END AS result
    FROM found"""
CHANGE = """UPDATE {ticket} AS t SET
        presence = CASE WHEN d.result = %(admitted)s THEN %(inside)s ELSE %(out)s END,
        presence_changed_at = %(now)s,
        first_entry_at = CASE WHEN d.result = %(admitted)s AND first_entry_at IS NULL
            THEN %(now)s ELSE first_entry_at END,
        first_entry_gate = CASE WHEN d.result = %(admitted)s AND first_entry_at IS NULL
            THEN %(gate)s ELSE first_entry_gate END
    FROM {decided} AS d
    WHERE t.id = d.id AND d.result IN (%(admitted)s, %(exited)s)
    RETURNING first_entry_at, first_entry_gate"""
LOG = """INSERT INTO {scan} (organisation_id, ticket_id, code, direction, result, previous_presence, gate,
        device_id, user_id, nonce, created_at)
    SELECT CAST(%(organisation)s AS bigint), d.id, CASE WHEN d.id IS NULL THEN %(code)s ELSE '' END,
        %(direction)s, COALESCE(d.result, %(unknown)s), COALESCE(d.presence, ''), %(gate)s,
        CAST(%(device)s AS bigint), CAST(%(user)s AS bigint), %(nonce)s, %(now)s
    FROM (SELECT 1) AS one LEFT JOIN {decided} AS d ON TRUE WHERE TRUE
    ON CONFLICT (nonce) WHERE nonce IS NOT NULL DO NOTHING
    RETURNING id"""
ONE_STATEMENT = """WITH found AS ({find}), decided AS ({decide}),
    changed AS ({change}),
    scanned AS ({log})
SELECT (SELECT id FROM scanned), d.result, c.first_entry_at, c.first_entry_gate, {decided_columns}
FROM (SELECT 1) AS one LEFT JOIN decided d ON TRUE LEFT JOIN changed c ON TRUE"""
# What the change and the log read of the decision when it was taken by an earlier statement.
DECIDED_ROW = (
    "(SELECT CAST(%(id)s AS bigint) AS id, CAST(%(result)s AS varchar(16)) AS result,"
    " CAST(%(presence)s AS varchar(8)) AS presence)"
)
CONSTANTS = {  # the placeholders of the codes above, named after their values
    code.value: code.value
    for code in (*R, *Ticket.Status, Presence.INSIDE, Presence.OUT, Scan.Direction.EXIT)
}


@functools.cache
def _statements(vendor: str, field: str) -> dict[str, str]:
    """The statements for a ticket looked up by ``field``, built once per kind of database."""
    tables = {m.__name__.lower(): m._meta.db_table for m in (Ticket, Event, Category, Scan, Allotment)}
    decide = DECIDE.format(**tables)
    lock = " FOR UPDATE OF t" if connection.features.has_select_for_update_of else ""
    find = FIND.format(columns=TICKET_COLUMNS, field=field, lock=lock, **tables)
    return {
        "one_statement": ONE_STATEMENT.format(
            find=find,
            decide=decide,
            change=CHANGE.format(decided="(SELECT id, result FROM decided)", **tables),
            log=LOG.format(decided="decided", **tables),
            decided_columns=re.sub(r"\b[tec]\.", "d.", TICKET_COLUMNS),
        ),
        "decide": f"WITH found AS ({find}) {decide}",
        "change": CHANGE.format(decided=DECIDED_ROW, **tables),
        "log": LOG.format(decided=DECIDED_ROW, **tables),
    }


def _datetime(value):
    """A datetime read by raw SQL: PostgreSQL gives it aware, SQLite as UTC text."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


def _ticket(row) -> Ticket:
    """A ticket with its event and category from the columns of ``TICKET_COLUMNS``."""
    pk, number, first, last, status, presence, first_at, first_gate, event_id, category_id, *rest = row
    organisation_id, time_zone, title_fr, title_de, title_en, name_fr, name_de, name_en = rest
    ticket = Ticket(
        id=pk,
        number=number,
        first_name=first,
        last_name=last,
        status=status,
        presence=presence,
        first_entry_at=_datetime(first_at),
        first_entry_gate=first_gate,
    )
    ticket.event = Event(
        id=event_id,
        organisation_id=organisation_id,
        time_zone=time_zone,
        title_fr=title_fr,
        title_de=title_de,
        title_en=title_en,
    )
    ticket.category = Category(
        id=category_id, event_id=event_id, name_fr=name_fr, name_de=name_de, name_en=name_en
    )
    return ticket


@transaction.atomic
def _redeem(field: str, values: dict) -> Outcome:
    """The statements one after the other in a transaction (SQLite; PostgreSQL too in the tests)."""
    statements = _statements(connection.vendor, field)
    values = {**values, "now": connection.ops.adapt_datetimefield_value(values["now"])}
    with connection.cursor() as cursor:
        cursor.execute(statements["decide"], values)
        row = cursor.fetchone()
        ticket, result = (_ticket(row[:-1]), row[-1]) if row else (None, R.UNKNOWN)
        decided = {
            "id": ticket.pk if ticket else None,
            "result": result if ticket else None,
            "presence": ticket.presence if ticket else None,
        }
        if result in (R.ADMITTED, R.EXITED):
            cursor.execute(statements["change"], {**values, **decided})
            first_entry_at, ticket.first_entry_gate = cursor.fetchone()
            ticket.first_entry_at = _datetime(first_entry_at)
        cursor.execute(statements["log"], {**values, **decided})
        inserted = cursor.fetchone()
    if inserted is None:
        raise RetriedNonce
    return _answer(result, ticket, values["organisation"], inserted[0])


def _redeem_in_one_statement(field: str, values: dict) -> Outcome:
    """PostgreSQL: find, decide, change and log in a single statement, committed on its own.

    A retry with the same nonce finds the ticket already in the state the first attempt left it in, so it
    changes nothing; its scan row conflicts on the nonce and the first answer is returned instead."""
    statement = _statements(connection.vendor, field)["one_statement"]
    with prepared_cursor() as cursor:  # planned once per connection
        cursor.execute(statement, values)
        scan_id, result, first_entry_at, first_entry_gate, *ticket_columns = cursor.fetchone()
    if scan_id is None:
        raise RetriedNonce
    ticket = _ticket(ticket_columns) if ticket_columns[0] is not None else None
    if ticket is not None and first_entry_at is not None:
        ticket.first_entry_at, ticket.first_entry_gate = first_entry_at, first_entry_gate
    return _answer(result or R.UNKNOWN, ticket, values["organisation"], scan_id)


def note_unknown(device_or_user_key: str) -> None:
    """Count codes that are no ticket; past the limit, the scanner is refused for a minute."""
    if not ratelimit.hit("scan-unknown", device_or_user_key, limit=UNKNOWN_CODES_PER_MINUTE, window=60):
        raise TooManyUnknownCodes


@transaction.atomic
def undo_admission(*, actor, scan_id: int) -> Ticket:
    """Door staff take back an admission made by mistake: the ticket is as it was before."""
    scan = Scan.objects.select_for_update(of=("self",)).select_related("ticket__event").get(pk=scan_id)
    if scan.result != R.ADMITTED or scan.undone_at:
        raise ValidationError(_("Only an admission can be undone, and only once."))
    require_member(actor, scan.ticket.event.organisation)
    ticket = Ticket.objects.select_for_update().get(pk=scan.ticket_id)
    if ticket.presence != Presence.INSIDE:
        raise ValidationError(_("This ticket has been scanned again since: nothing to undo."))
    ticket.presence = scan.previous_presence or Presence.ABSENT
    ticket.presence_changed_at = timezone.now()
    if ticket.first_entry_at == scan.created_at:
        ticket.first_entry_at, ticket.first_entry_gate = None, ""
    ticket.save(update_fields=["presence", "presence_changed_at", "first_entry_at", "first_entry_gate"])
    scan.undone_at = timezone.now()
    scan.save(update_fields=["undone_at"])
    log_action(actor, Action.SCAN_UNDONE, ticket, {"scan": scan.pk, "back_to": ticket.presence})
    return ticket


@transaction.atomic
def admit_offline(*, actor, scan_id: int) -> Outcome:
    """Door staff let in the holder of a ticket sold offline at a station and not synced yet (the scan
    ``scan_id`` said so): it is admitted like any ticket, and becomes an ordinary one when its sale syncs."""
    scan = Scan.objects.select_for_update(of=("self",)).get(pk=scan_id, result=R.OFFLINE)
    ticket = Ticket.objects.select_for_update().select_related("event", "category").get(pk=scan.ticket_id)
    require_member(actor, ticket.event.organisation)
    if ticket.status != Ticket.Status.RESERVED or ticket.presence == Presence.INSIDE:
        raise ValidationError(_("This ticket is not waiting to be let in: scan it again."))
    now = timezone.now()
    admitted = Scan.objects.create(
        organisation_id=scan.organisation_id,
        ticket=ticket,
        direction=Scan.Direction.ENTRY,
        result=R.ADMITTED,
        previous_presence=ticket.presence,
        gate=scan.gate,
        user=actor,
        created_at=now,
    )
    ticket.presence, ticket.presence_changed_at = Presence.INSIDE, now
    if ticket.first_entry_at is None:
        ticket.first_entry_at, ticket.first_entry_gate = now, scan.gate
    ticket.save(update_fields=["presence", "presence_changed_at", "first_entry_at", "first_entry_gate"])
    log_action(actor, Action.SCAN_OFFLINE_ADMITTED, ticket, {"scan": admitted.pk})
    return Outcome(R.ADMITTED, ticket, ticket.first_entry_at, ticket.first_entry_gate, admitted.pk)


@transaction.atomic
def set_presence(*, actor, ticket: Ticket, presence: str) -> Ticket:
    """Scan-On-Air: staff correct where someone is by hand (audited, and logged as a scan)."""
    require_member(actor, ticket.event.organisation)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status != Ticket.Status.VALID:
        raise ValidationError(_("Only a valid ticket has a presence."))
    before = ticket.presence
    if before == presence:
        return ticket
    now = timezone.now()
    ticket.presence = Presence(presence)
    ticket.presence_changed_at = now
    if presence == Presence.INSIDE and ticket.first_entry_at is None:
        ticket.first_entry_at = now
    ticket.save(update_fields=["presence", "presence_changed_at", "first_entry_at"])
    Scan.objects.create(
        organisation_id=ticket.event.organisation_id,
        ticket=ticket,
        direction=Scan.Direction.MANUAL,
        result=R.CHANGED,
        previous_presence=before,
        user=actor,
        created_at=now,
    )
    log_action(actor, Action.PRESENCE_CHANGED, ticket, {"before": before, "after": presence})
    return ticket


DEVICE_PREFIX = "gsd_"


@transaction.atomic
def create_device(*, actor, organisation: Organisation, name: str) -> tuple[ScanDevice, str]:
    """A scanner token for one organisation; the raw token is shown once."""
    require_manager(actor, organisation)
    raw = tokens.new_raw(DEVICE_PREFIX)
    device = ScanDevice.objects.create(
        organisation=organisation,
        name=name,
        token_digest=tokens.digest(raw),
        prefix=raw[:10],
        created_by=actor,
    )
    log_action(actor, Action.SCAN_DEVICE_CREATED, organisation, {"name": name, "prefix": device.prefix})
    return device, raw


@transaction.atomic
def revoke_device(*, actor, device: ScanDevice) -> None:
    require_manager(actor, device.organisation)
    if device.revoked_at is None:
        device.revoked_at = timezone.now()
        device.save(update_fields=["revoked_at"])
        _devices.pop(device.token_digest, None)
        log_action(
            actor,
            Action.SCAN_DEVICE_REVOKED,
            device.organisation,
            {"name": device.name, "prefix": device.prefix},
        )


DEVICE_CACHE_SECONDS = 2.0
_devices: dict[str, tuple[float, ScanDevice]] = {}


def device_for_token(raw: str) -> ScanDevice | None:
    """The live device behind a token. A worker remembers a device for two seconds (a revocation takes
    effect within that time everywhere, at once in the process that revoked it); its last use is noted
    at most once a minute."""
    if not raw.startswith(DEVICE_PREFIX):
        return None
    digest = tokens.digest(raw)
    cached = _devices.get(digest)
    if cached and time.monotonic() - cached[0] < DEVICE_CACHE_SECONDS:
        return cached[1]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, organisation_id, last_used_at FROM {ScanDevice._meta.db_table}"  # noqa: S608
            " WHERE token_digest = %s AND revoked_at IS NULL",
            [digest],
        )
        row = cursor.fetchone()
    if row is None:
        _devices.pop(digest, None)
        return None
    device = ScanDevice(id=row[0], organisation_id=row[1], last_used_at=_datetime(row[2]))
    now = timezone.now()
    if device.last_used_at is None or (now - device.last_used_at).total_seconds() > 60:
        ScanDevice.objects.filter(pk=device.pk).update(last_used_at=now)
    _devices[digest] = (time.monotonic(), device)
    return device
