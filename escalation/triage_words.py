# ruff: noqa: E501 (word lists read better a line per concept and language than wrapped)
"""The words of the urgency rules (C4), per concept and language; the rules that combine them are in
``escalation.triage``.

An entry is a word or a phrase, entries separated by commas. A word matches any word of the same
Snowball stem in its language (after the help centre's folding and synonyms: ``plante``, ``planté``,
``plantent``), a typo of it (one letter for words of six letters or more, two from nine; same first
letter) or a part of a compound (``Einlasskontrolle``). A word written ``=word`` matches only itself,
folded (its stem would catch other words: ``entre`` for ``entrée``). A phrase matches its words in
order, at most one other word between two of them (``file d'attente``, ``marche très bien``).
Prefer word families to one-off phrases: the rules must read requests nobody has written yet.
"""

WORDS = {
    # --- what the request is about ----------------------------------------------------------------
    "checkin": {  # on-site admission: scanning, the door, the check-in
        "fr": "scanner, scan, scanne, scannage, scannette, douchette, lecteur, flasher, flash, code barre, qr, qrcode, "
        "=entree, =entrees, =entrer, =rentrer, =entrent, =rentrent, =rentre, controle, tourniquet, tourniquets, portique, "
        "porte, portes, portillon, portillons, barriere, barrieres, valider billets, valider billet, valider entrees, validation billets, check in, checkin, acces salle, controle acces, billets refuses, appli scan",
        "de": "scannen, scanner, scan, gescannt, entwerten, entwertung, tickets pruefen, einscannen, einlass, einlassen, eingang, eingaenge, eintritt, "
        "ticketkontrolle, kontrolle, einlasskontrolle, drehkreuz, drehkreuze, schranke, tuer, tueren, "
        "reinkommen, reinlassen, hineinkommen, =rein, barcode, qr, check in, checkin, zutritt, zugangskontrolle",
        "en": "scan, scanner, scanning, scanned, scans, barcode, qr, door, doors, gate, gates, entrance, entry, "
        "turnstile, turnstiles, admission, admit, admitted, check in, checkin, get in, let in, come in, "
        "go in, access control, entering, enter, validate tickets, validate ticket, validating tickets",
    },
    "sales": {  # selling and buying tickets
        "fr": "vente, ventes, vendre, vend, vendu, vendus, achat, achats, acheter, achete, billetterie, boutique, "
        "shop, caisse, caisses, panier, commander, commande, commandes, borne, bornes, kiosque, tpe, "
        "terminal, checkout, reservation, reserver, box office, point vente, comptoir, encaisser, encaissement, achetable",
        "de": "=verkauf, =verkaeufe, =verkaufen, =verkauft, =verkaufte, =verkaufs, =vorverkauf, kaufen, kauf, kaeufe, gekauft, bestellen, "
        "bestellung, bestellungen, ticketshop, shop, onlineshop, kasse, kassen, kassensystem, warenkorb, "
        "buchung, buchungen, buchen, kiosk, terminal, abendkasse, checkout, =ticketverkauf, buchbar, kaufbar, bestellbar",
        "en": "sale, sales, sell, selling, sold, buy, buying, bought, purchase, purchasing, purchases, order, "
        "orders, ordering, checkout, cart, basket, shop, webshop, store, booking, bookings, book, =till, "
        "=pos, kiosk, terminal, box office, ticket office",
    },
    "pay": {  # paying for tickets; about payouts or invoices it is not a sale (see "invoice")
        "fr": "paiement, paiements, payer, paye, debite, carte bancaire, cb, carte credit, transaction, transactions",
        "de": "zahlung, zahlungen, bezahlen, abgebucht, bezahlung, kartenzahlung, zahlen, transaktion, kreditkarte, ec karte",
        "en": "payment, payments, pay, paying, =charged, gets charged, get charged, got charged, card payment, transaction, transactions, credit card, stripe",
    },
    "price": {
        "fr": "prix, code promo, codes promo, coupon, bon reduction, =tarif, =tarifs, montant, montants, =euros, =euro, =cout, =couts, =tarification, debite, debites, preleve",
        "de": "preis, preise, tarif, tarife, berechnet, gutscheincode, rabattcode, aktionscode, gutschein, betrag, betraege, =euro, preisstufe, kategoriepreis, ticketpreis, abgebucht, belastet",
        "en": "price, prices, pricing, rate, rates, promo code, discount code, coupon, voucher, amount, amounts, cost, costs, =euros, =euro, priced, =charged",
    },
    "system": {  # the whole product or site
        "fr": "site, site web, appli, =application, =applications, app, plateforme, back office, backoffice, tableau bord, "
        "systeme, serveur, logiciel, guichet, tout, partout",
        "de": "=seite, =seiten, webseite, website, app, plattform, backoffice, system, server, software, oberflaeche, "
        "dashboard, guichet, alles, ganze, ueberall",
        "en": "site, website, app, application, platform, back office, backoffice, dashboard, system, server, "
        "software, guichet, everything, whole, everywhere",
    },
    "queue": {  # people waiting at the door is the symptom itself
        "fr": "avance pas, avance plus, avancent pas, bouge pas, bouge plus, file attente, queue, bouchon, attendent, attendre, attente, bloques dehors, s entassent, foule",
        "de": "geht nicht voran, bewegt sich nichts, schlange, schlangen, warteschlange, stau, warten, wartet, staut, stauen, gedraenge",
        "en": "not moving, isn t moving, queue, queues, queuing, queueing, line, lines, waiting, wait, crowd, stuck outside, piling up",
    },
    "people": {
        "fr": "gens, public, spectateurs, clients, visiteurs, personnes, monde, dehors, festivaliers",
        "de": "leute, besucher, gaeste, publikum, kunden, menschen, draussen, fans, zuschauer",
        "en": "people, visitors, guests, customers, attendees, audience, fans, outside, crowd, everyone",
    },
    # --- what is wrong ------------------------------------------------------------------------------
    "fail": {  # broken, whatever the object
        "fr": "panne, plante, plantage, crash, crashe, =bloque, =bloquee, =bloquees, =bloques, =bloquent, coince, ko, fige, figee, hs, "
        "hors service, mort, refuse, refuses, rejete, invalide, invalides, impossible, inaccessible, "
        "down, kaput, rien marche, ecran blanc, ecran noir, page blanche, page vide, erreur 500, boucle, tourne vide, non valide, non valable, pas valide, en carafe, laisse passer, laissent passer, grise, grisee, ferme toute seule, ferme tout seul, ferme seule, ferme sans arret, s eteint, redemarre tout seul, inconnu, introuvable, bipe rouge, bipent rouge, ecran rouge, voyant rouge, affiche rouge, en rouge, deja utilise, deja scanne, deja valide, en rade, plus moyen, pas moyen, "
        "echoue, echouent, echec, hors ligne, offline, disparu, disparue, =arrete, =arretee, =arretees, coupe, coupee",
        "de": "kaputt, ausgefallen, ausfall, abgestuerzt, absturz, stuerzt, haengt, =blockiert, ko, ausser betrieb, unbekannt, "
        "gesperrt, steckt fest, stoerung, down, defekt, tot, abgelehnt, ungueltig, unmoeglich, "
        "nicht erreichbar, weisser bildschirm, weisse seite, leere seite, geht gar nichts, streikt, spinnt, offline, "
        "verschwunden, =gestoppt, =stoppt, scheitert, fehlgeschlagen, bricht, abgebrochen, nicht gueltig, =weg, ausgegraut, lehnt ab, lehnen ab, laesst durch, lassen durch, schliesst sich, beendet sich, startet neu, startet staendig, rot an, zeigt rot, zeigen rot, rotes licht, leuchtet rot, abbruch, abbrechen, bereits entwertet, bereits gescannt, bereits verwendet, schon gescannt",
        "en": "broken, down, crash, crashed, crashes, crashing, stuck, =blocked, =blocking, ko, out of service, unknown, not found, frozen, dead, fail, "
        "fails, failed, failing, failure, rejected, rejects, refused, refuses, invalid, impossible, "
        "unable, inaccessible, unreachable, outage, blank screen, blank page, out of order, glitching, jammed, "
        "offline, declined, declines, declining, rejecting, disappeared, vanished, =stopped, freezes, freezing, freeze, not valid, cut off, =gone, greyed out, letting through, lets through, let through, grayed out, closes itself, closes by itself, keeps closing, shuts down, shuts itself, keeps restarting, red light, beeping red, beeps red, shows red, showing red, turns red, in red, already used, already scanned, already checked",
    },
    "problem": {  # a problem reported, weaker than "fail"
        "fr": "probleme, problemes, souci, soucis, bug, bugs, bugue, erreur, erreurs, dysfonctionnement, incident",
        "de": "problem, probleme, fehler, fehlermeldung, bug, bugs, stoerung, schwierigkeiten",
        "en": "problem, problems, issue, issues, bug, bugs, buggy, error, errors, trouble, glitch, malfunction",
    },
    "neg": {
        "fr": "=ne, =n, =pas, =jamais, =rien, =aucun, =aucune, =nul, pas un seul, pas une seule, plus un seul, plus une seule, plus aucun, plus aucune",
        "de": "=nicht, =nichts, =kein, =keine, =keinen, =keiner, =keinem, =keines, =niemand, =niemanden, =niemandem, =nie, =nix, =net, kein einziger, keine einzige, kein einziges",
        "en": "=not, =no, =t, =cant, =cannot, =dont, =doesnt, =didnt, =wont, =isnt, =arent, =never, "
        "=nobody, =noone, =nothing, =none, =couldnt, =wasnt, =hasnt, =havent, =zero, not a single, not one, no single",
    },
    "neg_firm": {  # negations that say a thing cannot happen at all ("no sales", "keine Bestellungen")
        "fr": "=aucun, =aucune, =rien, =zero, personne ne, personne n, pas un seul, pas une seule, plus un seul, plus une seule, plus aucun, plus aucune",
        "de": "=kein, =keine, =keinen, =keiner, =keinem, =keines, =nichts, =niemand, =niemanden, =nix, kein einziger, keine einzige, kein einziges",
        "en": "=no, =nothing, =nobody, =noone, =none, =cant, =cannot, =wont, =couldnt, =zero, not a single, not one, no single, =unable",
    },
    "neg_after_verb": {"fr": "=plus", "de": "=mehr", "en": "=anymore"},  # "marche plus", "geht nicht mehr"
    "action": {  # what a working thing does; negated it is a failure
        "fr": "marche, marchent, fonctionne, fonctionnent, passe, passent, charge, chargent, affiche, ouvre, "
        "ouvrent, accepte, acceptent, lit, lisent, repond, repondent, =pu, pourrait, arrive, arrivent, arrivons, arrivez, reussit, reussissent, peut, peuvent, "
        "peux, pouvons, reconnait, valide, lance, demarre, =va",
        "de": "geht, gehen, funktioniert, funktionieren, klappt, klappen, laedt, laden, laeuft, laufen, "
        "oeffnet, reagiert, liest, lesen, erkennt, akzeptiert, startet, kommt, kommen, moeglich, kann, "
        "koennen, nimmt, durch, laesst, lassen, konnte, konnten",
        "en": "work, works, working, load, loads, loading, =open, =opens, accept, accepts, read, reads, respond, "
        "responds, recognise, recognize, validate, start, starts, go, goes, can, able, possible, through",
    },
    "core": {  # what the whole site or app must do: not doing it is an outage, not a detail
        "fr": "marche, marchent, fonctionne, fonctionnent, charge, chargent, ouvre, ouvrent, repond, repondent, =va, demarre, lance",
        "de": "geht, gehen, funktioniert, funktionieren, klappt, laedt, laden, laeuft, oeffnet, reagiert, startet",
        "en": "work, works, working, load, loads, loading, =open, =opens, respond, responds, start, starts, go, goes",
    },
    "not_a_failure": {  # "I don't know how the scanner works": a negation about the writer, not the thing
        "fr": "correspond, correspondent, sais, savons, comprends, sur, sure, trouve, vois, souviens, besoin, veux, voudrais, pense, "
        "urgent, presse, idee, doute, oublie, recu, recus, recue, recues, comprendre, double verifier, verifier deux fois",
        "de": "entspricht, passt, passen, weiss, wissen, verstehe, verstehen, sicher, finde, finden, sehe, erinnere, brauche, brauchen, "
        "will, glaube, dringend, ahnung, eilig, vergessen, erhalten, bekommen, verstehen, doppelt pruefen, kann kaum erwarten",
        "en": "match, matches, know, understand, sure, find, see, remember, need, want, think, urgent, idea, hurry, "
        "rush, forget, mind, worry, bother, received, receive, got, get, understanding, double check, can t wait, cannot wait, cant wait",
    },
    "wrong": {
        "fr": "faux, fausse, fausses, mauvais, mauvaise, errone, erronee, erronees, incorrect, incorrects, "
        "au lieu, par erreur, a tort, bizarre, aberrant, gratuit, gratuits, zero, double, doubles, deux fois, negatif, tout seul, pas bon, pas bons, pas juste, pas justes",
        "de": "falsch, falsche, falschen, falscher, inkorrekt, fehlerhaft, seltsam, komisch, gratis, kostenlos, "
        "statt, anstatt, anstelle, faelschlicherweise, irrtuemlich, versehentlich, null, doppelt, zweimal, negativ, von selbst, nicht richtig, stimmt nicht, stimmen nicht",
        "en": "instead, by mistake, mistakenly, wrongly, erroneously, wrong, incorrect, weird, strange, free, zero, doubled, double, twice, negative, by itself, "
        "by themselves, not right, messed up, mismatch",
    },
    "slow": {
        "fr": "lent, lente, lents, lentes, lenteur, lenteurs, ralenti, ralentissement, rame, ramer, traine, "
        "mouline, charge longtemps, met minutes, prend minutes, met secondes, prend secondes, mettent minutes, mettent secondes, prennent minutes, prennent secondes",
        "de": "langsam, lahm, traege, verzoegert, verzoegerung, ladezeit, ladezeiten, dauert ewig, "
        "haengt, ruckelt, zaeh, laedt ewig, dauert minuten, braucht minuten, dauert sekunden, braucht sekunden, brauchen minuten, brauchen sekunden, dauern minuten, dauern sekunden",
        "en": "slow, slower, slowly, slowness, sluggish, lag, lags, laggy, lagging, delay, delays, "
        "takes forever, takes ages, spinning, takes minutes, takes seconds, take minutes, take seconds",
    },
    "slow_severe": {  # severe by itself
        "fr": "timeout, time out, delai depasse, inutilisable, repond plus, extremement lent, minutes charger, "
        "erreur 502, erreur 503, erreur 504, sature, saturee, surcharge, ecroule, infini, infinie, eternite",
        "de": "timeout, time out, zeitueberschreitung, unbenutzbar, unbrauchbar, reagiert nicht, ueberlastet, "
        "ewig, ewigkeit, extrem langsam, minuten laden, endlos",
        "en": "timeout, timeouts, time out, timed out, unusable, unresponsive, overloaded, forever, ages, "
        "minutes to load, extremely slow, grinding, endless, endlessly, infinite, eternity",
    },
    "intense": {
        "fr": "du tout, tres, trop, super, hyper, ultra, completement, totalement, extremement, vraiment, grave, partout, "
        "enormement, horriblement, minute, minutes, secondes, met minutes, prend minutes, met secondes, prend secondes, mettent minutes, mettent secondes, prennent minutes, prennent secondes",
        "de": "sehr, extrem, total, voellig, mega, super, echt, wahnsinnig, ueberall, komplett, minute, minuten, sekunden, dauert minuten, braucht minuten, dauert sekunden, braucht sekunden, brauchen minuten, brauchen sekunden, dauern minuten, dauern sekunden",
        "en": "very, super, extremely, really, =totally, completely, so, insanely, unbearably, everywhere, minute, "
        "minutes, seconds, sec, painfully, terribly, takes minutes, takes seconds, take minutes, take seconds",
    },
    "mild": {
        "fr": "peu, quelques, parfois, legerement, leger, occasionnellement, rarement",
        "de": "etwas, bisschen, paar, wenige, manchmal, leicht, gelegentlich, selten",
        "en": "bit, little, few, slightly, sometimes, occasionally, rarely, somewhat",
    },
    # --- what makes it something else than an urgent request ---------------------------------------
    "invoice": {  # money owed between Guichet and the organiser, not sales
        "fr": "facture, factures, facturation, releve, versement, versements, virement, reversement, "
        "=commission, =commissions, avoir, comptabilite, tva, decompte, rapport, rapports, statistiques, stats, export, bilan",
        "de": "rechnung, rechnungen, abrechnung, auszahlung, auszahlungen, ueberweisung, =provision, gutschrift, "
        "quittung, beleg, buchhaltung, mwst, mehrwertsteuer, gebuehrenabrechnung, bericht, berichte, statistik, statistiken, auswertung, export",
        "en": "invoice, invoices, invoicing, statement, statements, =payout, =payouts, transfer, =commission, "
        "billing, receipt, =accounting, vat, remittance, report, reports, reporting, statistics, stats, export, analytics",
    },
    "account": {  # signing in, passwords, the user's own account
        "fr": "mot passe, mdp, identifiant, identifiants, connexion, connecter, compte, profil, adresse mail, "
        "code verification, 2fa",
        "de": "passwort, kennwort, anmelden, anmeldung, einloggen, login, konto, benutzerkonto, profil, "
        "zugangsdaten, verifizierungscode, 2fa",
        "en": "password, login, log in, sign in, signin, account, profile, credentials, username, 2fa, "
        "verification code, email address",
    },
    "feature": {  # wishes and suggestions
        "fr": "suggestion, fonctionnalite, souhaiterions, aimerions, serait bien, serait top, "
        "serait pratique, pourriez ajouter, possible ajouter, evolution, amelioration, demande evolution",
        "de": "vorschlag, funktion, feature, wunsch, waere schoen, waere toll, waere super, waere gut, "
        "koenntet ihr, wuensche, verbesserung, anregung",
        "en": "feature, suggestion, would be nice, would be great, would love, could you add, "
        "please add, wish, enhancement, improvement, request feature, roadmap",
    },
    "if": {"fr": "=si", "de": "=wenn, =ob", "en": "=if, =whether"},  # a hypothesis when asked ("?")
    "why": {"fr": "comment se fait", "de": "wie kommt", "en": "how come"},  # replaces "how"
    "howto": {  # asking how to do something (with "?"): a price of 0 € is then a plan, not a fault
        "fr": "comment, peut on, puis je, pouvons nous, est il possible, possible de, moyen de",
        "de": "=wie, kann man, kann ich, koennen wir, ist es moeglich, moeglich",
        "en": "=how, can i, can we, is it possible, possible to, way to",  # not "how come": that is "why"
    },
    "hypothesis": {  # a hypothesis, asked or not
        "fr": "au cas, en cas, que faire si, que se passe si, si jamais, imaginons",
        "de": "=falls, im fall, was tun wenn, was passiert wenn, angenommen, sollte mal",
        "en": "in case, what if, what happens if, what to do if, suppose, should the, say the",
    },
    "resolved": {
        "fr": "resolu, resolue, =regle, =reglee, =regles, retabli, retablie, remarche, refonctionne, marche nouveau, "
        "fonctionne nouveau, repare, reparee, depanne, rentre ordre, c est bon, tout bon",
        "de": "behoben, geloest, repariert, erledigt, geht wieder, funktioniert wieder, laeuft wieder, "
        "wieder ok, wieder normal, klappt wieder, wieder in ordnung",
        "en": "fixed, resolved, solved, =sorted, repaired, working again, works again, back up, back normal, "
        "back online, all good now, restored",
    },
    "past": {  # a time that is over
        "fr": "hier, =derniere, =dernier, =passe, =passee, =avant-hier, =auparavant, s est passe, avons eu, avions eu, on a eu",
        "de": "gestern, =letzte, =letzten, =letzter, =vergangene, =vergangenen, =vorige, =vorigen, =damals, passiert ist, wir hatten, hatten wir",
        "en": "yesterday, =last, =ago, =previous, =past, what happened, we had, had an issue, had a problem",
    },
    "still": {  # ...but it lasts
        "fr": "toujours, encore, depuis, maintenant, actuellement, moment, en cours, direct",
        "de": "=noch, nur noch, immer noch, noch immer, nach wie vor, =seit, jetzt, gerade, aktuell, momentan, derzeit, wieder",
        "en": "still, since, now, currently, right now, ongoing, again, at the moment",
    },
    "fine_before": {  # "no problem with ...": the next words are fine
        "fr": "pas probleme, pas souci, aucun probleme, aucun souci, sans probleme, sans souci, rien signaler",
        "de": "kein problem, keine probleme, keine fehler, ohne probleme, problemlos, kein fehler",
        "en": "no problem, no problems, no issue, no issues, nothing wrong, without problem, not about",
    },
    "fine_after": {  # "... works fine": the words before are fine
        "fr": "marche bien, marchent bien, fonctionne bien, fonctionnent bien, fonctionne parfaitement, "
        "va bien, est ok, sont ok, nickel, impeccable, parfaitement, sans probleme, sans souci",
        "de": "funktioniert gut, funktioniert einwandfrei, funktioniert problemlos, laeuft gut, laeuft super, "
        "geht gut, ist ok, sind ok, alles gut, alles ok, einwandfrei, tadellos, problemlos",
        "en": "works fine, work fine, working fine, works well, work well, working well, works perfectly, "
        "is fine, are fine, is ok, are ok, all good, perfectly, without problem, no problem",
    },
    "habit": {
        "fr": "normalement, habitude, habituellement",
        "de": "normalerweise, sonst, eigentlich",
        "en": "normally, usually, generally",
    },
    "split": {  # a new thought: what comes after is judged alone
        "fr": "mais, sauf, pourtant, cependant, contre, revanche, sinon, autre",
        "de": "aber, sondern, ausser, jedoch, trotzdem, ansonsten, sonst, andere, anderes",
        "en": "but, except, however, though, otherwise, another, btw, ps",
    },
    "time": {  # what "last" must be about to tell of the past ("last week", not "the last ticket")
        "fr": "=semaine, =mois, =soir, =soiree, =fois, =evenement, =spectacle, =concert, =week-end, =weekend, =samedi, =dimanche, =vendredi, =lundi, =mardi, =mercredi, =jeudi, =nuit, =annee, =saison, =edition, =date",
        "de": "=woche, =monat, =abend, =mal, =veranstaltung, =event, =konzert, =show, =wochenende, =samstag, =sonntag, =freitag, =montag, =dienstag, =mittwoch, =donnerstag, =nacht, =jahr, =saison",
        "en": "=week, =month, =night, =time, =event, =show, =concert, =weekend, =saturday, =sunday, =friday, =monday, =tuesday, =wednesday, =thursday, =year, =season, =festival",
    },
    "tier": {  # price categories: one sold at another's price is a wrong price
        "fr": "enfant, enfants, adulte, adultes, reduit, plein, etudiant, etudiants, senior, seniors, vip, abonne, normal",
        "de": "kind, kinder, kinderpreis, erwachsene, erwachsener, ermaessigt, ermaessigung, vollpreis, student, studenten, senior, vip, normalpreis",
        "en": "child, children, kid, kids, adult, adults, reduced, concession, student, students, senior, seniors, vip, full, member, members",
    },
    "need": {  # "wir brauchen die Kasse nicht mehr": a negated need, not a failure
        "fr": "besoin, necessaire, utiliserons, utilisons",
        "de": "brauchen, brauche, braucht, benoetigen, benoetige, benoetigt, nutzen",
        "en": "need, needs, require, requires, use",
    },
    "free": {  # a price of nothing: wrong where something is sold
        "fr": "gratuit, gratuits, gratuite, gratuites, offert, offerts, trop bas, trop faible, trop faibles, trop bon marche",
        "de": "gratis, kostenlos, umsonst, zu billig, zu niedrig, zu guenstig",
        "en": "free, =freely, too cheap, too low",
    },
    "although": {  # "marked refunded although they are not": a state that contradicts the facts
        "fr": "alors que, alors qu, bien que, bien qu, pourtant",
        "de": "=obwohl, =obgleich, =dabei",
        "en": "even though, although, =whereas",
    },
}

# --- symptoms described rather than named ---------------------------------------------------------------
# Requests rarely say "down" or "en panne": they tell what they see ("the phones just show a spinner",
# "der Kreisel dreht sich", "page grise", "rien ne se passe quand on clique"). These families are grouped by
# meaning (what a stuck, empty, refusing or dead screen looks like; people piling up; a price applied to the
# wrong tickets), in the three languages with colloquial forms, and added to the concepts above.
DESCRIBED = {
    "fail": {
        "fr": "interrompu, interrompue, renvoie a accueil, renvoie vers accueil, renvoient a accueil, ramene a accueil, retour a accueil, retour au panier, reviennent au panier, redirige, redirigent, en liquide, en especes, que du cash, perd la connexion, perdent la connexion, interrompues, avorte, avortee, rond qui tourne, roue qui tourne, tourne en rond, tourne dans le vide, cercle qui tourne, sablier, charge a l infini, charge sans fin, chargement infini, "
        "page grise, ecran gris, =grise, =gris, devient noir, passe au noir, ecran vide, cadre vide, zone vide, reste vide, affiche rien, rien ne se passe, se passe rien, fait rien, "
        "gele, gelee, bug, beug, bugue, buggue, beugue, indisponible, service indisponible, erreur serveur, oups, oops, deconnecte, deconnectes, deconnexion, "
        "pas de connexion, plus de connexion, perd connexion, refusee, refusees, decline, declinee, declinees, chaos, cata, catastrophe, galere, bordel, n importe quoi, en vrac, "
        "ne repond plus, repond plus, ne repond pas, saute, sautent, ni vert ni rouge, tout rouge, passe au rouge, passent au rouge, sont rouges, rien ne part, plus rien ne part, "
        "mains vides, repartent sans, sans leur billet, sans billet, affiche complet, indique complet, complet alors, font signe passer, faisons passer, laissons entrer, on fait entrer",
        "de": "unterbrochen, zurueck auf startseite, zurueck zur startseite, zurueck zum warenkorb, wieder im warenkorb, landen wieder, leitet um, nur bar, bar zahlen, bar bezahlen, nur noch bar, verliert verbindung, verlieren verbindung, verbindung verloren, kreisel, dreht sich, dreht nur, ladekreis, ladekringel, ladebalken, sanduhr, laedt und laedt, =grau, =graue, =grauer, =grauen, schwarzer bildschirm, wird schwarz, =schwarz, "
        "=leer, =leere, =leeres, bleibt leer, passiert nichts, tut sich nichts, nichts passiert, tut nichts, macht nichts, haengt sich auf, eingefroren, friert, friert ein, "
        "stuerzt ab, zickt, buggt, verbuggt, nicht verfuegbar, service unavailable, schiefgelaufen, schief gelaufen, fehlermeldung, abgewiesen, verweigert, chaos, katastrophe, "
        "desaster, im eimer, hinueber, futsch, hakt, stockt, keine verbindung, verbindung weg, getrennt, alles rot, alle rot, nur rot, kommen rot, kommt rot, rot mit, "
        "bereits eingeloest, schon eingeloest, schon benutzt, bereits benutzt, ohne ticket, ohne karte, ohne billett, leer aus, zeigt ausverkauft, ausverkauft obwohl, winken durch, lassen alle rein, winken alle",
        "en": "aborted, interrupted, aborts, sends back, sending back, sent back, back to the homepage, back to the home page, back to the start, back in the basket, back to the basket, back to the cart, redirects, cash only, pay cash, pay in cash, loses connection, losing connection, dropping connection, drops connection, keeps dropping, spinner, spinning wheel, spins, keeps spinning, loading wheel, hourglass, keeps loading, stuck loading, loads forever, goes black, went black, turns black, black screen, "
        "grey screen, gray screen, white screen, =blank, =empty, shows nothing, nothing happens, nothing happened, does nothing, did nothing, not doing anything, "
        "hangs, hanging, =hung, froze, stalls, stalled, unavailable, service unavailable, went wrong, oops, error message, errors out, bounced, bounces, bouncing, borked, busted, "
        "dies, died, keeps dying, kicks out, kicked out, disconnects, disconnected, no connection, lost connection, not connecting, denied, denies, chaos, nightmare, disaster, meltdown, "
        "comes up red, come up red, all red, goes red, flashing red, already redeemed, not syncing, won t sync, without a ticket, without tickets, without their tickets, empty handed, "
        "shows sold out, says sold out, showing sold out, sold out even though, waving people through, waving through, wave through, waving everyone, letting everyone in, let everyone in",
    },
    "checkin": {
        "fr": "deja utilise, deja scanne, deja valide, ni vert ni rouge, font signe passer, faisons passer, laissons entrer, on fait entrer, tous les billets, chaque billet, camera",
        "de": "bereits eingeloest, schon eingeloest, schon benutzt, bereits benutzt, bereits entwertet, bereits gescannt, winken durch, lassen alle rein, winken alle, einlass handys, alle tickets, jedes ticket, kamera, =drin",
        "en": "already used, already scanned, already redeemed, comes up red, come up red, waving people through, waving through, wave through, waving everyone, letting everyone in, let everyone in, been in, every ticket, all tickets, camera",
    },
    "sales": {
        "fr": "widget, bouton acheter, automate, distributeur, distributeurs, machine a billets, bouton achat, lecteur carte, terminal paiement, sans contact, twint, paypal, encaisse, =place, =places, complet alors, affiche complet, plus rien ne part, rien ne part, mains vides",
        "de": "widget, kaufen button, automat, automaten, ticketautomat, ticketautomaten, billettautomat, kaufbutton, kartenleser, kartenterminal, kontaktlos, twint, paypal, =kassa, abendkassa, =loesen, =billett, =billette, zeigt ausverkauft, ausverkauft obwohl, ohne ticket, leer aus",
        "en": "widget, buy button, vending machine, ticket machine, ticket machines, buy tickets, add to cart, card reader, card machine, contactless, apple pay, google pay, paypal, twint, shows sold out, says sold out, sold out even though, empty handed, without a ticket",
    },
    "queue": {
        "fr": "=file, s allonge, allonge, s accumule, s accumulent, patientent, pietinent, cohue, embouteillage, s impatientent",
        "de": "wird laenger, werden laenger, waechst, wachsen, stehen draussen, stehen vor, vor der halle, vor der tuer, vor dem eingang, werden ungeduldig",
        "en": "growing, piling, backed up, backing up, stood outside, standing outside, waiting outside, getting longer, getting impatient, building up",
    },
    "people": {
        "fr": "invites, participants, familles, centaines, foule, benevoles",
        "de": "teilnehmer, hunderte, menge, halle",
        "en": "hundreds, folks, punters, ticket holders, patrons, everybody, crowd",
    },
    "action": {
        "fr": "sort, sortent, imprime, impriment, delivre, part, partent, s affiche, bouge, avance, avancent, synchronise, connecte, =fait",
        "de": "druckt, drucken, zeigt, zeigen, tut, bewegt, synchronisiert, verbindet, schaltet",
        "en": "print, prints, printing, show, shows, come, comes, happen, happens, does, move, moves, sync, syncs, connect, connects, switch, turn, =let",
    },
    "wrong": {
        "fr": "plutot que, a la place, devrait, devraient, cense, censes, sans le vouloir, par accident, brade, brader, bradons, a perte, s applique a chaque, applique a chaque, appliquee a chaque, applique a tous, ancien prix, anciens prix",
        "de": "sollte, sollten, muesste, unabsichtlich, ungewollt, aus versehen, verschleudern, verschleudert, auf jedes, auf alle, alter preis, alte preise, alten preise, vorjahrespreis",
        "en": "rather than, in place of, should be, supposed to, by accident, accidentally, unintentionally, giving away, going out at, applied to single, applied to every, applied to all, old price, old prices, last year s price, last year s prices",
    },
    "slow": {
        "fr": "escargot, mouline, interminable, plombes, une plombe, chargement, rame, traine",
        "de": "schneckentempo, roedelt, rattert, kriecht, zieht sich, dauert und dauert, ladebalken",
        "en": "crawling, churn, churns, churning, crawl, crawls, snail, drags, dragging, loading, load time",
    },
    "intense": {
        "fr": "pour tout le monde, tout le monde, chez tous, tous les clients",
        "de": "fuer alle, bei allen, alle kunden",
        "en": "for everyone, for everybody, for all, all customers, every customer",
    },
    "resolved": {
        "fr": "marchait nouveau, fonctionnait nouveau, a super bien marche, a parfaitement fonctionne, nous a sauves, voulais juste remercier, juste pour dire merci, tout a ete synchronise",
        "de": "lief wieder, liefen wieder, ging wieder, gingen wieder, funktionierte wieder, klappte wieder, super funktioniert, gut funktioniert, prima funktioniert, bestens funktioniert, wollte nur danke, danke sagen, alles synchronisiert, hat uns gerettet",
        "en": "was fine after, were fine after, fine after, kept us going, it all synced, all synced, worked great, worked fine, worked perfectly, saved us, just wanted to say thanks, wanted to say thank, great feature",
    },
    "discount": {  # a reduction: given to everyone, it sells at wrong prices
        "fr": "reduction, reductions, rabais, remise, remises, ristourne, code promo, promo, tarif reduit, tarif etudiant, tarif groupe, justificatif",
        "de": "rabatt, rabatte, ermaessigung, nachlass, aktionscode, rabattcode, gutscheincode, studentenrabatt, gruppentarif, nachweis",
        "en": "discount, discounts, discounted, promo, promo code, reduction, concession, group rate, proof",
    },
    "everyone": {
        "fr": "tout le monde, toutes les commandes, tous les billets, chaque billet, chaque commande, n importe qui, sans justificatif, tous les clients",
        "de": "jeder, jede, jedem, jeden, jedes, alle, allen, jedermann, ohne nachweis, auch ohne",
        "en": "everyone, everybody, every, all orders, all tickets, anyone, anybody, no proof, without proof, regardless",
    },
    "single": {  # one buyer's case (a double charge, a refund): not the sales
        "fr": "un client, une cliente, un acheteur, une acheteuse, un spectateur, une spectatrice, un visiteur, une visiteuse",
        "de": "ein kunde, eine kundin, einem kunden, einer kundin, ein kaeufer, einem kaeufer, eine kaeuferin, ein besucher, eine besucherin",
        "en": "a customer, one customer, a buyer, one buyer, a guest, a visitor, a client",
    },
    "neutral": {  # known words, so that no typo or compound rule reads them as another ("repartent" is not "repariert")
        "fr": "repartent, repartir, telecharger, telecharge, download, charte, couleur, couleurs, police",
        "de": "download, herunterladen, runterladen, heruntergeladen",
        "en": "download, downloads, downloaded, downloading, leave, leaving",
    },
    "still": {  # the doors or the show are minutes away: what is told is happening now
        "fr": "dans min, dans minutes, dans heure, ce soir, commence dans, ouvrent dans, ouvre dans",
        "de": "in minuten, in min, in stunde, heute abend, beginnt in, oeffnet in, gleich los",
        "en": "in minutes, in mins, in min, in an hour, tonight, starts in, doors open, open in",
    },
    "recent": {  # "10 mins ago", "il y a 5 minutes": now, not the past
        "fr": "minute, minutes, min, secondes, instant, tout a l heure",
        "de": "minute, minuten, min, sekunden, vorhin, gerade eben",
        "en": "minute, minutes, min, mins, seconds, secs, moment",
    },
}
for _concept, _by_language in DESCRIBED.items():
    for _language, _text in _by_language.items():
        _old = WORDS.setdefault(_concept, {}).get(_language, "")
        WORDS[_concept][_language] = f"{_old}, {_text}" if _old else _text
