"""Demo status page: Guichet's own components, 90 days of history with a few resolved incidents, playbooks,
one upcoming maintenance and a few subscribers. Everything it names and promises is what Guichet does today.

On a real installation operators set the page up themselves (back office or operator API) instead."""

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
DOOR = [Role.DOOR_STAFF, Role.SELLER_ADMIN, Role.BOX_OFFICE]
GROUPS = [
    ("sales", "Ventes", "Verkauf", "Sales"),
    ("venue", "Sur place", "Vor Ort", "At the venue"),
    ("platform", "Plateforme", "Plattform", "Platform"),
]
# Only what Guichet runs today: no point-of-sale or kiosk software (venues' own tills are not ours).
COMPONENTS = [
    # slug, group, (fr, de, en), (description fr, de, en), audience
    (
        "online-booking",
        "sales",
        ("Réservation en ligne", "Online-Buchung", "Online booking"),
        (
            "Pages des événements et achat des billets",
            "Veranstaltungsseiten und Ticketkauf",
            "Event pages and ticket purchase",
        ),
        SELLERS,
    ),
    (
        "payments",
        "sales",
        ("Paiements", "Zahlungen", "Payments"),
        (
            "Paiement par carte sur la page sécurisée de la banque, remboursements",
            "Kartenzahlung auf der gesicherten Seite der Bank, Erstattungen",
            "Card payment on the bank's secure page, refunds",
        ),
        [Role.SELLER_ADMIN],
    ),
    (
        "door-scanning",
        "venue",
        ("Contrôle d’accès / App-Scanner", "Einlass / App-Scanner", "Door scanning / App-Scanner"),
        (
            "Scan des billets, laissez-passer de sortie, Scan-On-Air et listings",
            "Ticket-Scan, Ausgangspass, Scan-On-Air und Teilnehmerlisten",
            "Ticket scanning, exit passes, Scan-On-Air and listings",
        ),
        DOOR,
    ),
    (
        "ticket-emails",
        "platform",
        ("E-mails de billets", "Ticket-E-Mails", "Ticket emails"),
        (
            "Envoi des billets et des confirmations par e-mail",
            "Versand von Tickets und Bestätigungen per E-Mail",
            "Tickets and confirmations sent by email",
        ),
        SELLERS,
    ),
    (
        "back-office",
        "platform",
        ("Back-office", "Backoffice", "Back office"),
        (
            "Espace vendeur, événements, commandes et versements",
            "Verkäuferbereich, Veranstaltungen, Bestellungen und Auszahlungen",
            "Seller space, events, orders and payouts",
        ),
        ALL,
    ),
    (
        "api",
        "platform",
        ("API", "API", "API"),
        (
            "API des commandes et applications de scan",
            "API für Bestellungen und Scanner-Apps",
            "Orders API and scanner apps",
        ),
        [Role.SELLER_ADMIN],
    ),
]
PLAYBOOKS = [
    # key, (title fr, de, en), (text fr, de, en)
    (
        "first-steps",
        (
            "Premiers réflexes quand quelque chose ne marche pas",
            "Erste Schritte, wenn etwas nicht funktioniert",
            "First steps when something does not work",
        ),
        (
            "1. Regardez cette page de statut : si un incident est en cours, suivez-le ici ou abonnez-vous.\n"
            "2. Vérifiez votre connexion : un autre site s’ouvre-t-il ? Essayez le Wi-Fi et les données "
            "mobiles.\n"
            "3. Rechargez la page, ou fermez et rouvrez le navigateur ou l’application, puis "
            "reconnectez-vous.\n"
            "4. Essayez un autre appareil ou un autre navigateur.\n"
            "5. Toujours bloqué ? Contactez le support (page « Nous contacter » du centre d’aide) en "
            "indiquant : ce qui se passe, les canaux de vente concernés et l’identifiant de votre compte, "
            "l’heure à laquelle c’est arrivé, les références de réservation ou les liens, et des captures "
            "d’écran, vidéos ou messages d’erreur. Si l’entrée ou la vente est bloquée, appelez.",
            "1. Sehen Sie auf dieser Statusseite nach: Läuft eine Störung, verfolgen Sie sie hier oder "
            "abonnieren Sie sie.\n"
            "2. Prüfen Sie Ihre Verbindung: Öffnet sich eine andere Website? Versuchen Sie WLAN und mobile "
            "Daten.\n"
            "3. Laden Sie die Seite neu oder schließen und öffnen Sie Browser bzw. App und melden Sie sich "
            "neu an.\n"
            "4. Versuchen Sie ein anderes Gerät oder einen anderen Browser.\n"
            "5. Immer noch blockiert? Kontaktieren Sie den Support (Seite „Kontakt“ im Hilfe-Center) mit: "
            "Beschreibung des Problems, betroffene Verkaufskanäle und Ihre Konto-ID, Zeitpunkt, "
            "Buchungsnummern oder Links sowie Screenshots, Videos oder Fehlermeldungen. Ist der Einlass "
            "oder der Verkauf blockiert, rufen Sie an.",
            "1. Look at this status page: if an incident is under way, follow it here or subscribe.\n"
            "2. Check your connection: does another website open? Try Wi-Fi and mobile data.\n"
            "3. Reload the page, or close and reopen the browser or the app, and sign in again.\n"
            "4. Try another device or another browser.\n"
            "5. Still stuck? Contact support (the help centre's “Contact us” page) with: what happens, the "
            "sales channels concerned and your account ID, when it happened, booking references or links, "
            "and screenshots, videos or error messages. If entry or sales are blocked, call.",
        ),
    ),
    (
        "delayed-emails",
        (
            "E-mails retardés : prévenez vos clients",
            "Verspätete E-Mails: Kundschaft informieren",
            "Delayed emails: tell your customers",
        ),
        (
            "Informez vos clients sur votre site ou sur place que les confirmations arrivent avec du retard. "
            "Rien n’est perdu : les e-mails sont mis en file d’attente et partent automatiquement dès que le "
            "service est rétabli. Les billets restent aussi disponibles dans l’espace client "
            "« Mes billets ».",
            "Informieren Sie Ihre Kundschaft über Ihre Website oder vor Ort, dass Bestätigungen verspätet "
            "ankommen. Nichts geht verloren: Die E-Mails werden in eine Warteschlange gestellt und "
            "automatisch versendet, sobald der Dienst wiederhergestellt ist. Die Tickets bleiben im "
            "Kundenbereich „Meine Tickets“ abrufbar.",
            "Tell your customers on your website or on site that confirmations arrive late. Nothing is lost: "
            "emails are queued and go out automatically as soon as the service is back. Tickets also stay "
            "available in the “My tickets” customer space.",
        ),
    ),
    (
        "queue-to-online",
        (
            "Caisse lente ou hors ligne : continuez à vendre, orientez vers l’achat en ligne",
            "Kasse langsam oder offline: weiterverkaufen, auf den Online-Kauf umleiten",
            "POS slow or offline: keep selling, send visitors to online purchase",
        ),
        (
            "La caisse Guichet (/pos/) continue de vendre : hors ligne, elle vend les places mises de côté "
            "pour la station, imprime les billets avec leur QR code et synchronise seule au retour du "
            "réseau ; une vente s’imprime tout de suite et part en arrière-plan, un serveur lent ne "
            "bloque donc pas la file. Si la file s’allonge quand même, affichez l’affiche QR code de votre "
            "événement (onglet "
            "« Affiche QR » de l’événement dans le back-office, à imprimer en A4) : le code ouvre la page de "
            "vente, et les visiteurs achètent depuis leur téléphone.",
            "Die Guichet-Kasse (/pos/) verkauft weiter: Offline verkauft sie die für die Station "
            "zurückgelegten Plätze, druckt die Tickets mit QR-Code und synchronisiert von selbst, sobald das "
            "Netz zurück ist; ein Verkauf wird sofort gedruckt und im Hintergrund gesendet, ein langsamer "
            "Server hält die Schlange also nicht auf. Wird die Schlange trotzdem lang, hängen Sie das "
            "QR-Plakat Ihrer Veranstaltung aus (Reiter „QR-Plakat“ der Veranstaltung im Backoffice, A4 zum "
            "Ausdrucken): Der Code öffnet die Verkaufsseite, und die Besucher:innen kaufen per Smartphone.",
            "The Guichet POS (/pos/) keeps selling: offline it sells the seats set aside for the station, "
            "prints the tickets with their QR codes and syncs by itself when the network is back; a sale "
            "prints at once and is sent in the background, so a slow server does not hold up the queue. If "
            "the queue still grows, put up your event's QR poster (the event's “QR poster” tab in the back "
            "office, printed on A4): the code opens the sale page, and visitors buy from their phones.",
        ),
    ),
    (
        "online-booking-down",
        (
            "Réservation en ligne indisponible : vendez sur place et prévenez votre public",
            "Online-Buchung nicht verfügbar: vor Ort verkaufen und Publikum informieren",
            "Online booking down: sell on site and tell your audience",
        ),
        (
            "Ouvrez tous vos guichets sur la caisse Guichet (/pos/) et vos bornes en libre-service : ils "
            "vendent les mêmes places que le site, sans survente. "
            "Prévenez votre public sur les réseaux sociaux, sur votre site ou par une signalétique sur place "
            "que la vente en ligne reprendra dès le rétablissement du service (suivez-le sur cette page). "
            "Les billets déjà achetés restent valables et se scannent normalement à l’entrée.",
            "Öffnen Sie alle Kassen mit der Guichet-Kasse (/pos/) und Ihre Selbstbedienungs-Kioske: Sie "
            "verkaufen dieselben Plätze wie die Website, ohne Überbuchung. "
            "Informieren Sie Ihr Publikum über Social Media, Ihre Website oder Beschilderung vor Ort, dass "
            "der Online-Verkauf weitergeht, sobald der Dienst wiederhergestellt ist (verfolgen Sie es auf "
            "dieser Seite). Bereits gekaufte Tickets bleiben gültig und werden am Einlass normal gescannt.",
            "Open all your counters on the Guichet POS (/pos/) and your self-service kiosks: they sell the "
            "same seats as the website, never oversold. "
            "Tell your audience on social media, on your website or with signs on site that online sales "
            "resume as soon as the service is back (follow it on this page). Tickets already bought stay "
            "valid and are scanned at the door as usual.",
        ),
    ),
    (
        "door-scanning-fallback",
        (
            "Contrôle d’accès perturbé : App-Scanner et listing",
            "Einlass gestört: App-Scanner und Teilnehmerliste",
            "Check-in affected: App-Scanner and listing",
        ),
        (
            "Si un appareil de scan flanche, tout appareil avec une caméra et un navigateur peut scanner : "
            "connectez-vous et ouvrez l’App-Scanner. Si le scan est indisponible, pointez les entrées à la "
            "main sur le listing (Excel ou version imprimable, « Récupérer vos listings ») : téléchargez-le "
            "avant l’ouverture des portes.",
            "Fällt ein Scan-Gerät aus, kann jedes Gerät mit Kamera und Browser scannen: anmelden und den "
            "App-Scanner öffnen. Ist das Scannen nicht verfügbar, haken Sie den Einlass von Hand auf der "
            "Teilnehmerliste ab (Excel oder Druckversion unter „Teilnehmerlisten abrufen“): laden Sie sie "
            "vor Einlassbeginn herunter.",
            "If a scanning device fails, any device with a camera and a browser can scan: sign in and open "
            "the App-Scanner. If scanning is unavailable, tick entries by hand on the listing (Excel or "
            "printable, under “Get your listings”): download it before the doors open.",
        ),
    ),
]
PAST = [
    # days ago, hours, component, status, impact, playbook, then each text in French, German and English:
    # title, first message, resolution
    (
        62,
        2,
        "door-scanning",
        ComponentStatus.PARTIAL,
        "major",
        "door-scanning-fallback",
        (
            "Scans lents à l’entrée",
            "Langsame Scans am Einlass",
            "Slow scans at the door",
        ),
        (
            "Les scans de billets répondent lentement. Nous analysons la cause.",
            "Ticket-Scans reagieren langsam. Wir untersuchen die Ursache.",
            "Ticket scans are responding slowly. We are looking into the cause.",
        ),
        (
            "Les scans répondent normalement.",
            "Die Scans reagieren wieder normal.",
            "Scans are responding normally again.",
        ),
    ),
    (
        35,
        3,
        "ticket-emails",
        ComponentStatus.DEGRADED,
        "minor",
        "delayed-emails",
        (
            "E-mails de billets retardés",
            "Ticket-E-Mails verspätet",
            "Ticket emails delayed",
        ),
        (
            "Les e-mails de billets partent avec du retard ; ils sont en file d’attente.",
            "Ticket-E-Mails werden verspätet versendet; sie stehen in der Warteschlange.",
            "Ticket emails are going out late; they are queued.",
        ),
        (
            "Tous les e-mails en attente sont partis.",
            "Alle wartenden E-Mails sind versendet.",
            "All queued emails have been sent.",
        ),
    ),
    (
        12,
        1,
        "payments",
        ComponentStatus.MAJOR,
        "critical",
        None,
        (
            "Paiements refusés par la banque",
            "Zahlungen von der Bank abgelehnt",
            "Payments declined by the bank",
        ),
        (
            "Les paiements par carte échouent chez notre banque partenaire.",
            "Kartenzahlungen schlagen bei unserer Partnerbank fehl.",
            "Card payments are failing at our partner bank.",
        ),
        (
            "Les paiements sont de nouveau acceptés.",
            "Zahlungen werden wieder angenommen.",
            "Payments are being accepted again.",
        ),
    ),
]


def _translations(texts: tuple[str, str, str]) -> dict:
    """The German and English of a (fr, de, en) text, as incidents keep them beside the French original."""
    return {"de": texts[1], "en": texts[2]}


@transaction.atomic
def load(stdout):
    if Component.objects.exists():
        stdout.write("Status page: already loaded.")
        return
    now = timezone.now()
    start = now - timedelta(days=100)
    groups = {}
    for position, (slug, fr, de, en) in enumerate(GROUPS):
        groups[slug] = ComponentGroup.objects.create(
            slug=slug, name_fr=fr, name_de=de, name_en=en, position=position, created_at=start
        )
    components = {}
    for position, (slug, group, names, descriptions, audience) in enumerate(COMPONENTS):
        component = Component.objects.create(
            slug=slug,
            group=groups[group],
            **dict(zip(("name_fr", "name_de", "name_en"), names, strict=True)),
            **dict(zip(("description_fr", "description_de", "description_en"), descriptions, strict=True)),
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
    for position, (key, titles, bodies) in enumerate(PLAYBOOKS):
        playbooks[key] = Playbook.objects.create(
            key=key,
            **dict(zip(("title_fr", "title_de", "title_en"), titles, strict=True)),
            **dict(zip(("body_fr", "body_de", "body_en"), bodies, strict=True)),
            position=position,
        )
    for days, hours, slug, status, impact, playbook, title, first, last in PAST:
        began = now - timedelta(days=days)
        ended = began + timedelta(hours=hours)
        component = components[slug]
        ComponentStatusChange.objects.create(component=component, status=status, started_at=began)
        ComponentStatusChange.objects.create(
            component=component, status=ComponentStatus.OPERATIONAL, started_at=ended
        )
        incident = Incident.objects.create(
            name=title[0],
            language="fr",
            name_translations=_translations(title),
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
            body=first[0],
            language="fr",
            translations=_translations(first),
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
        IncidentUpdate.objects.create(
            incident=incident,
            status="resolved",
            body=last[0],
            language="fr",
            translations=_translations(last),
            created_at=ended,
        )
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
    door_only = Subscriber.objects.create(
        channel="email", address="controle@example.org", language="fr", confirmed_at=now
    )
    door_only.components.add(components["door-scanning"])
    Subscriber.objects.create(channel="sms", address="+33611223344", language="fr", confirmed_at=now)
    transaction.on_commit(snapshot.rebuild)
    stdout.write(
        f"Status page: {len(COMPONENTS)} components, {len(PLAYBOOKS)} playbooks, {len(PAST)} past incidents, "
        "1 maintenance scheduled, 5 subscribers."
    )
