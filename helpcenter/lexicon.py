"""The words of each language the help suggestions know: stop words, and the domain's synonyms."""

STOPWORDS = {
    "fr": """a au aux avec ce ces cet cette comment dans de des du elle en est et il ils je j l la le les leur
        lui ma me mes mon ne nos notre nous on ou par pas pour qu que quel quelle quels quelles qui quoi sa
        se ses son sur ta te tes ton tu un une vos votre vous y c d m n s t etre avoir fait faire faut
        peut puis peux est-ce quand combien pourquoi ai as avez ont suis sont cela ca ça mais donc si
        tout tous toute toutes plus tres bien aussi comme alors encore deja suis es sommes etes serai sera
        serons seront etais etait vais vas va allons allez vont aller peuvent pouvez pouvons dois doit devons
        devez doivent""",
    "de": """der die das den dem des ein eine einen einem einer eines und oder aber ich du er sie es wir ihr
        mich mir dich dir sich uns euch ihm ihn ihnen mein meine meinen meinem meiner dein deine ihre ihren
        unser unsere ist sind bin bist war waren hat habe haben hast wird werden wurde kann koennen kann
        muss muessen soll sollen will wollen zu zum zur im in am an auf aus bei mit nach von vor fuer ueber
        um wie was wer wo wann warum wieso weshalb welche welcher welches nicht kein keine noch schon so
        auch nur mal denn doch ja nein man da dass wenn ob als bis es gibt""",
    "en": """a an the and or but i you he she it we they me my mine your yours our us them their is are was
        were be been being am do does did doing have has had can could should would will shall may might
        must to of in on at by for with from about into over after before how what which who whom when
        where why this that these those there here not no so if then than too very just also any some
        get got""",
}

# Words readers use for the same thing; the first word of a group is the one the index keeps.
SYNONYMS = {
    "fr": [
        "billet ticket tickets billets place places e-billet eticket",
        "commission frais tarif tarifs pourcentage cout couts",
        "vendeur organisateur organisateurs organisme vendeurs",
        "listing liste listings listes",
        "scanner scan scans scanne scannage flasher flasheur",
        "application app appli",
        "telephone portable smartphone mobile",
        "email mail mails courriel courriels e-mail emails",
        "panne incident incidents pannes dysfonctionnement bug bugs plantage",
        "caisse pos caisses comptoir",
        "paiement payer paye reglement regler",
        "versement virement reversement",
        "urgent urgence urgences",
        "horaires heures ouverture joignable",
        "contacter joindre appeler",
        "sortie sortir ressortir",
        "equipe collegue collegues membre membres collaborateur collaborateurs",
        "support assistance sav",
    ],
    "de": [
        "ticket tickets karte karten eintrittskarte eintrittskarten billett",
        "provision gebuehr gebuehren kommission kosten",
        "veranstalter verkaeufer organisator",
        "auszahlung ueberweisung ausschuettung",
        "kasse pos kassensystem kassen",
        "stoerung ausfall panne fehler stoerungen ausfaelle",
        "email mail e-mail mails",
        "handy smartphone mobiltelefon",
        "scannen scanner einscannen scan",
        "liste listing listen",
        "dringend notfall dringlich notfaelle",
        "erreichbar erreichbarkeit oeffnungszeiten sprechzeiten",
        "scheck cheque schecks",
        "team kollege kollegen mitglied mitglieder mitarbeiter",
    ],
    "en": [
        "ticket tickets e-ticket eticket",
        "commission fee fees charge charges",
        "payout payouts paid",
        "organiser organizer seller sellers organisers organizers",
        "till pos register",
        "outage incident down failure outages incidents",
        "email mail e-mail emails",
        "phone smartphone mobile",
        "scan scanning scanner scanned",
        "listing list lists listings",
        "urgent emergency emergencies",
        "hours opening reachable",
        "team colleague colleagues member members",
        "cheque cheques",
    ],
}
