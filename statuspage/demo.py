"""Demo status page: Guichet's own components, 90 days of history with a few resolved incidents, playbooks,
one upcoming maintenance and a few subscribers."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from hub.models import Role

from . import snapshot
from .models import (
    Component,
    ComponentGroup,
    ComponentStatus,
    ComponentStatusChange,
    Incident,
    IncidentComponent,
    IncidentUpdate,
    Playbook,
    Subscriber,
)

ALL = [r.value for r in Role]
SELLERS = [Role.SELLER_ADMIN, Role.BOX_OFFICE]
GROUPS = [
    ("sales", "Ventes", "Verkauf", "Sales"),
    ("venue", "Sur place", "Vor Ort", "At the venue"),
    ("platform", "Plateforme", "Plattform", "Platform"),
]
COMPONENTS = [
    # slug, group, fr, de, en, audience
    ("online-booking", "sales", "Réservation en ligne", "Online-Buchung", "Online booking", SELLERS),
    ("payments", "sales", "Paiements", "Zahlungen", "Payments", [Role.SELLER_ADMIN]),
    (
        "pos",
        "venue",
        "Caisse (POS) et kiosques",
        "Kasse (POS) und Kiosk",
        "Point of sale and kiosks",
        SELLERS,
    ),
    (
        "door-scanning",
        "venue",
        "Contrôle d’accès / App-Scanner",
        "Einlass / App-Scanner",
        "Door scanning / App-Scanner",
        [Role.DOOR_STAFF, Role.SELLER_ADMIN],
    ),
    ("ticket-emails", "platform", "E-mails de billets", "Ticket-E-Mails", "Ticket emails", SELLERS),
    ("back-office", "platform", "Back-office", "Backoffice", "Back office", ALL),
    ("api", "platform", "API", "API", "API", [Role.SELLER_ADMIN]),
]
PLAYBOOKS = [
    (
        "delayed-emails",
        "E-mails retardés : prévenez vos clients",
        "Verspätete E-Mails: Kundschaft informieren",
        "Delayed emails: tell your customers",
        "Informez vos clients sur votre site ou sur place que les confirmations arrivent avec du retard. "
        "Rien n’est perdu : les e-mails sont mis en file d’attente et partent automatiquement dès "
        "que le service "
        "est rétabli. Les billets restent aussi disponibles dans l’espace client.",
        "Informieren Sie Ihre Kundschaft über Ihre Website oder vor Ort, dass Bestätigungen "
        "verspätet ankommen. "
        "Nichts geht verloren: Die E-Mails werden in eine Warteschlange gestellt und automatisch versendet, "
        "sobald der Dienst wiederhergestellt ist. Die Tickets bleiben im Kundenbereich abrufbar.",
        "Tell your customers on your website or on site that confirmations arrive late. Nothing is "
        "lost: emails "
        "are queued and go out automatically as soon as the service is back. Tickets also stay "
        "available in the "
        "customer space.",
    ),
    (
        "slow-pos",
        "Caisse lente : orientez vers la réservation en ligne",
        "Langsame Kasse: auf die Online-Buchung umleiten",
        "Slow point of sale: send visitors to online booking",
        "Affichez le QR code d’achat en ligne préparé pour votre événement (affiche imprimable dans votre "
        "back-office) et invitez les visiteurs à acheter depuis leur téléphone. La caisse continue de vendre "
        "hors ligne et synchronise ses ventes ensuite.",
        "Zeigen Sie den vorbereiteten QR-Code für den Online-Kauf (druckbares Plakat im Backoffice) "
        "und bitten "
        "Sie die Besucher:innen, per Smartphone zu kaufen. Die Kasse verkauft offline weiter und "
        "synchronisiert "
        "danach.",
        "Put up the online-purchase QR code prepared for your event (printable poster in your back "
        "office) and "
        "invite visitors to buy from their phones. The point of sale keeps selling offline and syncs later.",
    ),
    (
        "online-booking-down",
        "Réservation en ligne indisponible : ouvrez caisses et kiosques",
        "Online-Buchung nicht verfügbar: Kassen und Kiosk öffnen",
        "Online booking down: open every point of sale and kiosk",
        "Ouvrez toutes les caisses et aidez les clients à réserver sur les bornes KIOSK (si elles sont "
        "installées). Prévenez votre public sur les réseaux sociaux ou par une signalétique sur place.",
        "Öffnen Sie alle Kassen und helfen Sie der Kundschaft, über das KIOSK-System zu buchen (sofern "
        "vorhanden). Informieren Sie Ihr Publikum über Social Media oder Beschilderung vor Ort.",
        "Open every point of sale and help customers book on the KIOSK stations (where installed). Tell your "
        "audience on social media or with signs on site.",
    ),
    (
        "pos-checkin",
        "Contrôle d’accès perturbé : utilisez l’App-Scanner",
        "Einlass gestört: App-Scanner verwenden",
        "Check-in affected: use the App-Scanner",
        "Tout appareil avec une caméra et un navigateur peut scanner les billets : connectez-vous et ouvrez "
        "l’App-Scanner. En dernier recours, le listing imprimé permet de pointer les entrées à la main.",
        "Jedes Gerät mit Kamera und Browser kann Tickets scannen: anmelden und den App-Scanner öffnen. Als "
        "letzter Ausweg lässt sich der Einlass mit der gedruckten Teilnehmerliste von Hand abhaken.",
        "Any device with a camera and a browser can scan tickets: sign in and open the App-Scanner. "
        "As a last "
        "resort, the printed listing lets you tick entries by hand.",
    ),
]
PAST = [
    # days ago, hours, component, status, impact, title, first message, resolution, playbook
    (
        62,
        2,
        "pos",
        ComponentStatus.PARTIAL,
        "major",
        "Lenteurs des caisses (POS)",
        "Les caisses répondent lentement. Nous analysons la cause.",
        "Les caisses fonctionnent normalement.",
        "slow-pos",
    ),
    (
        35,
        3,
        "ticket-emails",
        ComponentStatus.DEGRADED,
        "minor",
        "E-mails de billets retardés",
        "Les e-mails de billets partent avec du retard ; ils sont en file d’attente.",
        "Tous les e-mails en attente sont partis.",
        "delayed-emails",
    ),
    (
        12,
        1,
        "payments",
        ComponentStatus.MAJOR,
        "critical",
        "Paiements refusés par la banque",
        "Les paiements par carte échouent chez notre banque partenaire.",
        "Les paiements sont de nouveau acceptés.",
        None,
    ),
]


@transaction.atomic
def load(stdout):
    if Component.objects.exists():
        stdout.write("Status page: already loaded.")
        return
    now = timezone.now()
    start = now - timedelta(days=100)
    groups = {}
    for position, (key, fr, de, en) in enumerate(GROUPS):
        groups[key] = ComponentGroup.objects.create(
            name_fr=fr, name_de=de, name_en=en, position=position, created_at=start
        )
    components = {}
    for position, (slug, group, fr, de, en, audience) in enumerate(COMPONENTS):
        component = Component.objects.create(
            slug=slug,
            group=groups[group],
            name_fr=fr,
            name_de=de,
            name_en=en,
            position=position,
            audience=[str(r) for r in audience],
            created_at=start,
            updated_at=start,
        )
        ComponentStatusChange.objects.create(
            component=component, status=ComponentStatus.OPERATIONAL, started_at=start
        )
        components[slug] = component
    playbooks = {}
    for position, (key, tfr, tde, ten, bfr, bde, ben) in enumerate(PLAYBOOKS):
        playbooks[key] = Playbook.objects.create(
            key=key,
            title_fr=tfr,
            title_de=tde,
            title_en=ten,
            body_fr=bfr,
            body_de=bde,
            body_en=ben,
            position=position,
        )
    for days, hours, slug, status, impact, title, first, last, playbook in PAST:
        began = now - timedelta(days=days)
        ended = began + timedelta(hours=hours)
        component = components[slug]
        ComponentStatusChange.objects.create(component=component, status=status, started_at=began)
        ComponentStatusChange.objects.create(
            component=component, status=ComponentStatus.OPERATIONAL, started_at=ended
        )
        incident = Incident.objects.create(
            name=title,
            language="fr",
            status=Incident.Status.RESOLVED,
            impact=impact,
            created_at=began,
            updated_at=ended,
            started_at=began,
            resolved_at=ended,
        )
        IncidentComponent.objects.create(incident=incident, component=component, status=status)
        if playbook:
            incident.playbooks.add(playbooks[playbook])
        IncidentUpdate.objects.create(
            incident=incident,
            status="investigating",
            body=first,
            created_at=began,
            affected_components=[
                {
                    "code": component.code,
                    "name": component.name_fr,
                    "old_status": "operational",
                    "new_status": status,
                }
            ],
        )
        IncidentUpdate.objects.create(incident=incident, status="resolved", body=last, created_at=ended)
    maintenance_start = (now + timedelta(days=5)).replace(hour=5, minute=0, second=0, microsecond=0)
    maintenance = Incident.objects.create(
        kind=Incident.Kind.MAINTENANCE,
        name="Maintenance de l’API et du back-office",
        language="fr",
        name_translations={"de": "Wartung von API und Backoffice", "en": "API and back office maintenance"},
        status=Incident.Status.SCHEDULED,
        impact="none",
        started_at=maintenance_start,
        scheduled_for=maintenance_start,
        scheduled_until=maintenance_start + timedelta(hours=2),
    )
    for slug in ("api", "back-office"):
        IncidentComponent.objects.create(
            incident=maintenance, component=components[slug], status=ComponentStatus.MAINTENANCE
        )
    IncidentUpdate.objects.create(
        incident=maintenance,
        status="scheduled",
        language="fr",
        body="Mise à jour de la base de données. Le back-office et l’API seront indisponibles quelques "
        "minutes.",
        translations={
            "de": "Datenbank-Update. Backoffice und API sind einige Minuten nicht erreichbar.",
            "en": "Database upgrade. The back office and the API will be down for a few minutes.",
        },
    )
    for address, language in (
        ("lea@example.org", "fr"),
        ("jonas@example.org", "de"),
        ("emma@example.org", "en"),
    ):
        Subscriber.objects.create(channel="email", address=address, language=language, confirmed_at=now)
    pos_only = Subscriber.objects.create(
        channel="email", address="caisse@example.org", language="fr", confirmed_at=now
    )
    pos_only.components.add(components["pos"])
    Subscriber.objects.create(channel="sms", address="+33611223344", language="fr", confirmed_at=now)
    transaction.on_commit(snapshot.rebuild)
    stdout.write("Status page: 7 components, 3 past incidents, 1 maintenance scheduled, 5 subscribers.")
