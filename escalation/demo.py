"""Demo support desk: the demo theatre's account manager, an on-call rota, and requests in every state and
language (FR/DE/EN), made through the services as a requester and an agent would."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from hub.models import User
from ticketing.selectors import organisations_of

from .models import OnCallShift, SupportRequest
from .services import desk, escalations, requester
from .services.requests import Draft, submit_request

PHONES = {"support": "+33612340001", "manager": "+33612340002", "operator": "+33612340003"}

REQUESTS = [
    # language, subject, body, channels, then what happens to it
    (
        "de",
        "Einlass: alle Tickets rot",
        (
            "Seit 19:40 zeigt der Scanner am Haupteingang bei jedem "
            "Ticket Rot, draussen wartet eine lange Schlange."
        ),
        ["door_scanning"],
        "new",
    ),
    (
        "fr",
        "La caisse n’encaisse plus",
        (
            "Le terminal de la billetterie refuse toutes les cartes depuis "
            "l’ouverture des portes, nous ne pouvons plus vendre."
        ),
        ["box_office"],
        "escalated",
    ),
    (
        "en",
        "Widget on our website",
        (
            "The booking widget on our site keeps spinning after the "
            "payment step; a couple of customers wrote to us."
        ),
        ["api_widget", "online_shop"],
        "waiting",
    ),
    (
        "fr",
        "Facture d’octobre",
        (
            "Pouvez-vous m’envoyer à nouveau la facture de commission "
            "d’octobre ? Notre comptable ne la trouve pas."
        ),
        ["payouts"],
        "resolved",
    ),
    (
        "de",
        "Rolle für neue Kollegin",
        ("Wie gebe ich einer neuen Kollegin Zugriff auf die Abendkasse, ohne dass sie Auszahlungen sieht?"),
        ["other"],
        "open",
    ),
    (
        "en",
        "Exit passes at the door",
        (
            "How do exit passes work for guests who step out for a smoke? "
            "We want to brief the door team for Friday."
        ),
        ["door_scanning"],
        "closed",
    ),
]


@transaction.atomic
def load(stdout):
    users = {
        name: User.objects.filter(username=name).first()
        for name in ("support", "manager", "operator", "seller")
    }
    if not all(users.values()):
        return
    for name, number in PHONES.items():
        if not users[name].mobile:
            users[name].mobile = number
            users[name].save(update_fields=["mobile"])
    theatre = organisations_of(users["seller"]).order_by("pk").first()
    if theatre and theatre.account_manager_id is None:
        theatre.account_manager = users["manager"]
        theatre.save(update_fields=["account_manager"])
    now = timezone.now()
    if not OnCallShift.objects.filter(ends_at__gt=now).exists():
        OnCallShift.objects.create(
            user=users["support"],
            backup=users["manager"],
            phone=PHONES["support"],
            backup_phone=PHONES["manager"],
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(days=7),
        )
    if SupportRequest.objects.exists() or theatre is None:
        stdout.write("Support desk: demo requests already there.")
        return
    agent, seller = users["support"], users["seller"]
    for language, subject, body, channels, state in REQUESTS:
        request = submit_request(
            requester=seller,
            organisation_id=theatre.pk,
            draft=Draft(
                email=seller.email,
                name=seller.get_full_name(),
                subject=subject,
                body=body,
                language=language,
                channels=channels,
            ),
        )
        if state in ("open", "waiting", "resolved", "closed"):
            desk.claim(actor=agent, request_id=request.pk)
        if state in ("waiting", "resolved", "closed"):
            desk.reply(actor=agent, request_id=request.pk, body=ANSWERS[language], status="waiting")
        if state in ("resolved", "closed"):
            desk.set_status(actor=agent, request_id=request.pk, status="resolved")
        if state == "closed":
            requester.rate(request_id=request.pk, score=5, comment="")
            desk.set_status(actor=agent, request_id=request.pk, status="closed")
        if state == "escalated":
            escalations.escalate(actor=seller, request_id=request.pk, reason=ESCALATION_REASON)
    stdout.write(
        f"Support desk: {len(REQUESTS)} requests for {theatre.account_id}, account manager 'manager', "
        "'support' on call (backup 'manager')."
    )


ANSWERS = {
    "fr": "Bonjour, c’est corrigé de notre côté : pouvez-vous confirmer que tout fonctionne ?",
    "de": "Guten Tag, das ist auf unserer Seite behoben. Können Sie bestätigen, dass alles funktioniert?",
    "en": "Hello, this is fixed on our side: could you confirm that everything works?",
}
ESCALATION_REASON = "Spectacle complet ce soir à 20 h, la billetterie ne peut plus vendre depuis 30 minutes."
