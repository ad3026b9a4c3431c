"""Status page components named in a message ("la caisse", "der Scanner", "emails"), as Rasa entities.

Words are folded like the help centre's search (accents and umlauts written out) and matched whole, or as
the start of a longer word for the longer ones ("Scanners", "Kassensystem"). Only slugs the status page
knows are answered about (``answers.status``); unknown ones are dropped there.
"""

import re

from helpcenter.selectors import fold

LEXICON = {
    "pos": (
        "caisse",
        "caisses",
        "kasse",
        "kassen",
        "kassa",
        "pos",
        "till",
        "tills",
        "box office",
        "boxoffice",
        "abendkasse",
        "tageskasse",
        "point de vente",
        "guichet de vente",
        "cash desk",
        "point of sale",
    ),
    "kiosk": ("kiosk", "kiosks", "kiosque", "kiosques", "borne", "bornes", "automat", "ticketautomat"),
    "door-scanning": (
        "scan",
        "scans",
        "scanner",
        "scanners",
        "scanning",
        "scanne",
        "scannen",
        "douchette",
        "douchettes",
        "controle d acces",
        "controle",
        "einlass",
        "eingang",
        "entree",
        "entrees",
        "door",
        "doors",
        "gate",
        "gates",
        "app scanner",
        "appli de controle",
        "qr",
        "scan on air",
    ),
    "ticket-emails": ("email", "emails", "e mail", "e mails", "mail", "mails", "courriel", "courriels"),
    "payments": (
        "paiement",
        "paiements",
        "payment",
        "payments",
        "zahlung",
        "zahlungen",
        "carte bancaire",
        "karte",
        "kreditkarte",
        "card payment",
        "cards",
        "twint",
        "bezahlen",
        "payer",
    ),
    "online-booking": (
        "shop",
        "onlineshop",
        "ticketshop",
        "boutique",
        "billetterie en ligne",
        "vente en ligne",
        "online",
        "site",
        "website",
        "webseite",
        "checkout",
        "reservation",
        "reservations",
        "buchung",
        "booking",
        "bookings",
        "online buchung",
    ),
    "back-office": ("back office", "backoffice", "back offices", "espace vendeur", "dashboard", "admin"),
    "api": ("api", "widget", "widgets", "webhook", "webhooks"),
}
PREFIX_MIN = 5  # a lexicon word this long also matches the start of a longer word
_TERMS = sorted(
    ((term, slug) for slug, terms in LEXICON.items() for term in terms), key=lambda pair: -len(pair[0])
)
_PATTERN = re.compile(
    "|".join(rf"\b{re.escape(term)}{'[a-z]*' if len(term) >= PREFIX_MIN else ''}\b" for term, _ in _TERMS)
)
_SLUG_OF = dict(_TERMS)


def _slug(found: str) -> str:
    if found in _SLUG_OF:
        return _SLUG_OF[found]
    return next(slug for term, slug in _TERMS if len(term) >= PREFIX_MIN and found.startswith(term))


def find_components(text: str) -> list[dict]:
    """Rasa entities ``component`` for each component named in ``text`` (positions in the folded text)."""
    folded = re.sub(r"[^a-z0-9]+", " ", fold(text or ""))
    entities, seen = [], set()
    for match in _PATTERN.finditer(folded):
        slug = _slug(match[0])
        if slug not in seen:
            seen.add(slug)
            entities.append(
                {
                    "entity": "component",
                    "value": slug,
                    "start": match.start(),
                    "end": match.end(),
                    "text": match[0],
                    "extractor": "guichet",
                }
            )
    return entities
