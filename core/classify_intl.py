"""Referral asks and reply meanings written in Spanish, French, German, Portuguese, Italian or Dutch.

Role: the English rules in ``core.classify`` see nothing in "¿Podrías pasarle mi CV a la
responsable?" or "Könnten Sie mir ein Empfehlungsschreiben schreiben?". This module is their
second opinion for mail that reads as one of these six languages: a request frame ("podrías",
"pourriez-vous", "könnten Sie", "você poderia", "potresti", "zou je") in the same sentence as a
cue for a kind of ask, unless the sentence gives, thanks, or is about medicine, a product
programme or a thing ("un buen restaurante"). Replies get the same treatment: done, declined,
needs_info and agreed phrasings.

Invariants:
- Pure functions over lower-cased text with apostrophes normalised (as ``core.classify``
  prepares it); never raise.
- ``looks_foreign`` is the gate and is cheap: it counts function words of the six languages in
  the first 1,500 characters and wants at least three distinct ones, and more than the English
  function words there. English mail never reaches the other patterns, so English precision and
  throughput are unchanged.
- Each cue is a verb class x object class of its language, not one message's wording.
"""

from __future__ import annotations

import re

from core import fastre

__all__ = ["intl_ask", "intl_reply", "looks_foreign"]


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_FOREIGN_WORDS = _wordset(
    # es
    "que por para una los las del pero muy también gracias usted el en con te lo está sí "
    # fr
    "je vous nous avec pour dans mais très merci votre notre est une des les le du et pas sur qui tu "
    # de
    "ich und nicht mit sie ist für auf bitte dass wir ihr ihnen eine einen der die das den dem bei aus nur "
    "noch auch kein keine mir dir dich mich ein zu von wie aber sehr schon gerne leider "
    # pt
    "você não com muito obrigado obrigada uma seu sua mas os do da no na em pra "
    # it
    "il che della sono ma grazie questo molto anche di per non mi ti ci gli "
    # nl
    "het een niet ik je jij met voor maar ook bedankt graag groet van dat op zijn er wel nog"
)
# Words that are no English word and no common name or header token: one must occur.
_FOREIGN_ONLY = _wordset(
    "que por para pero muy gracias usted también está je vous nous avec pour dans mais très merci votre "
    "ich und nicht mit ist für auf bitte dass wir ihnen você não muito obrigado obrigada che della sono "
    "grazie questo molto anche het een niet ik voor maar ook bedankt graag"
)
_ENGLISH_WORDS = _wordset("the and you to of for that with would could your this have are my it")
_TO_SPACE = str.maketrans({c: " " for c in ".,;:!?¿¡()[]{}\"'«»“”‘’/\\<>|*_-–—\n\t"})


def looks_foreign(low: str) -> bool:
    """True when ``low`` reads as Spanish, French, German, Portuguese, Italian or Dutch."""
    words = low[:1500].translate(_TO_SPACE).split()
    if _FOREIGN_ONLY.isdisjoint(words):
        return False
    found = [w for w in words if w in _FOREIGN_WORDS]
    if len(set(found)) < 3:
        return False
    return len(found) > 2 * sum(1 for w in words if w in _ENGLISH_WORDS)


_REQUEST = fastre.compile(
    r"\?|"
    # es
    r"\b(?:podr[ií]as?|puedes|podés|puede usted|te importar[ií]a|le importar[ií]a|ser[ií]a posible|ser[ií]as? tan amable|"
    r"(?:te|le|les|se lo|se la) agradecer[ií]a|agradecer[ií]a|quer[ií]a pedir(?:te|le)?|(?:te|le) quer[ií]a pedir|quisiera pedir|"
    r"me gustar[ií]a pedir|por favor|estar[ií]as? dispuest[oa]|te animar[ií]as|me ayudar[ií]as|me echar[ií]as|no dud\w+|"
    r"me (?:ayudar[ií]a|alegrar[ií]a)|nos (?:ayudar[ií]a|vendr[ií]a)|un (?:pequeño |gran )?favor)\b|"
    # fr
    r"\b(?:pourriez|pourrais|peux-tu|pouvez-vous|accepteriez|accepterais|acceptiez|accepter de|serait-il possible|serais-tu|"
    r"seriez-vous|auriez-vous|voudriez-vous|voudrais-tu|je vous serais|je te serais|serais (?:très |vraiment )?(?:honoré|reconnaissant)e?|"
    r"me permets de vous demander|voulais te demander|voulais vous demander|aimerais te demander|aimerais vous demander|"
    r"s'il te pla[iî]t|s'il vous pla[iî]t|svp|n'h[ée]sit\w+|g[êe]nez-vous pas|(?:m|nous) aiderait|un (?:petit |grand )?service)\b|"
    # de
    r"\b(?:könnten|könntest|kannst du|können sie|würden sie|würdest du|wäre es möglich|wären sie (?:bereit|so)|wärst du (?:bereit|so)|"
    r"wäre (?:ich )?(?:ihnen|dir) (?:sehr )?dankbar|bitte|darf ich|dürfte ich|dürfen sie|darfst du|hättest du|hätten sie|"
    r"würde (?:ich )?mich (?:sehr |riesig )?freuen|sei so (?:gut|nett|lieb)|zögern sie nicht|zögere nicht|(?:mir|uns) (?:sehr )?helfen würde|gefallen)\b|"
    # pt
    r"\b(?:poderia|poderias|podes|pode me|pode|você pode|seria possível|ficaria (?:muito )?(?:grat[oa]|feliz)|agradeceria|"
    r"se importaria|te importarias|toparia|topa|gostaria de (?:te |lhe )?pedir|queria (?:te |lhe )?pedir|queria perguntar(?:-te|-lhe)?|"
    r"consegues|consegue|conseguirias|não hesite|ajudaria|um (?:grande )?favor)\b|"
    # it
    r"\b(?:potresti|potrebbe|puoi|sarebbe possibile|(?:le|ti) sarei (?:molto )?grat[oa]|saresti disposto|sarebbe disposto|"
    r"saresti disponibile|sarebbe disponibile|ti andrebbe|per favore|per cortesia|vorrei chiederti|vorrei chiederle|"
    r"(?:le|ti) chiederei|non esit\w+|mi faresti|mi farebbe|aiuterebbe|favore|sarei felice|pure)\b|"
    # nl
    r"\b(?:zou je|zou u|zou jij|kun je|kunt u|wil je|wilt u|zou het mogelijk|ben je bereid|bent u bereid|"
    r"alsjeblieft|alstublieft|ik zou het (?:erg |zeer )?waarderen|mag ik|mocht (?:u|je)|aarzel niet|zou (?:me|ons) (?:erg |enorm )?helpen|plezier doen)\b"
)
# "If you know anyone who...": a condition that makes the next clause a request.
_IF_ANYONE = fastre.compile(
    r"\b(?:si|wenn|falls|se|als|mocht)\b[^.?!]{0,80}\b(?:alguien|algún|alguna|algum|alguma|alguém|quelqu'un|des (?:amis|voisins|personnes)|"
    r"jemand\w*|qualcuno|qualche|iemand|vecinos?|voisins?|amigos?|amis|amici|amiche|freunde|vrienden|conocidos?|collègues|kollegen|colleghi|collega's)\b"
)
_POSS = r"(?:mi|mis|mon|ma|mes|meu|minha|meus|o meu|a minha|il mio|la mia|mein\w*|mijn|notre|nos|nuestro|nuestra|nosso|nossa|o nosso|nostro|nostra|il nostro|unser\w*|onze|ons|su|sa|son|seu|sua|ihren|seinen|hun|zijn|haar)"
_NAME_THING = (
    r"(?:cv|c\.v\.|curr[ií]culum|curriculum|currículo|lebenslauf|bewerbung\w*|dossier|candidatur[ae]|kandidatuur|sollicitatie|"
    r"nombre|nom|namen?|nome|nominativo|naam|n[uú]mero|numéro|nummer|numero|contact\w*|contato|kontakt\w*|coordonnées|gegevens|"
    r"tarjeta|carte|karte|kaart|biglietto|perfil|profil|profiel|profilo|correo|mail)"
)
_PASS_VERB = (
    r"(?:pas\w*|transmet\w*|transmettre|donn\w*|dar(?:le|les)?|d[êá](?:-lhe|-lhes)?|gib|geben|weiter\w*|inoltr\w*|gir\w*|"
    r"encaminh\w*|repass\w*|envi\w*|mand\w*|hac\w* llegar|fa(?:re|i|te) (?:il|el)|door\w*|geef|geven|faire suivre|relay\w*|vermeld\w*|segnal\w*|"
    r"erwähn\w*|mencion\w*|mentionn\w*|menzion\w*|noem\w*)"
)
_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "write",
        fastre.compile(
            r"\b(?:escrib\w*|redact\w*|redig\w*|écri\w*|rédig\w*|schreib\w*|auszustellen|ausstellen|verfass\w*|escrev\w*|"
            r"scriv\w*|schrijv\w*|schrijf\w*|sign\w*|firm\w*|unterschreib\w*|assin\w*)\b[^.?!]{0,40}"
            r"\b(?:carta|cartas|lettre|lettres|schreiben|brief|lettera|recomm?endaç\w+|recomm?endaci\w+|recommandation|empfehlung\w*|"
            r"aanbeveling|referencia|référence|referenz|referentie|righe|líneas|lignes|zeilen|regels|una|uma|een|eine|einen|une|uno|esa|essa|cette|quella)\b|"
            r"\bcarta de (?:recomm?endaci[oó]n|referencia|recomm?enda[cç][aã]o|refer[eê]ncia)\b|\blettre de (?:recommandation|référence)\b|"
            r"\bempfehlungsschreiben\b|\blettera di (?:raccomandazione|referenze|presentazione)\b|\baanbevelingsbrief\b|\breferentiebrief\b|"
            r"\b(?:ser|seja|être|servir de|fare da|als|como|comme|come) (?:mi |mis |ma |mon |une de mes |un de mes |minha |uma das minhas |mia |mijn |una de mis |uno de mis )?(?:referencias?|références?|référents?|refer[eê]ncias?|referenten?|referentie|referenz|referenze)\b|"
            r"\b(?:schreiben|brief|lettre|carta|lettera|bestätigung|verklaring)\b[^.?!]{0,20}\b(?:auszustellen|ausstellen|zu schreiben|te schrijven)\b|"
            r"\b(?:recomm?endaci[oó]n|recommandation|empfehlung|recomm?enda[cç][aã]o|raccomandazione|aanbeveling)\b[^.?!]{0,30}\blinkedin\b|"
            r"\blinkedin\b[^.?!]{0,40}\b(?:recomm?endaci[oó]n|recommandation|empfehlung|recomm?enda[cç][aã]o|raccomandazione|aanbeveling)\b|"
            r"\b(?:testimonio|témoignage|depoimento|testimonianza|phrase d'accroche|quatrième de couverture|frase para la contraportada)\b"
        ),
    ),
    (
        "review",
        fastre.compile(
            r"\b(?:dej\w*|laiss\w*|hinterl\w*|schreib\w*|deix\w*|lasci\w*|achterla\w*|schrijv\w*|escrib\w*|écri\w*|post\w*|publi\w*|"
            r"mettre|poner|dar|geben|abgeben)\b[^.?!]{0,40}\b(?:reseñas?|avis|bewertung\w*|rezension\w*|avalia[cç][aã]o|avalia[cç][õo]es|"
            r"recension[ei]|reviews?|opini[oó]n|valoraci[oó]n|beoordeling)\b|"
            r"\b(?:reseñas?|avis|bewertung\w*|rezension\w*|avalia[cç][aã]o|recension[ei]|reviews?|opini[oó]n|valoraci[oó]n|beoordeling)\b"
            r"[^.?!]{0,30}\b(?:google|yelp|tripadvisor|facebook|mariages\.net|matrimonio\.com|bodas\.net|casamentos|houzz|trustpilot|nuestra página|notre page|unserer seite)\b"
        ),
    ),
    (
        "introduce",
        fastre.compile(
            r"\bme (?:\w+ ){1,2}?(?:present|apresent|conect|pon\w* en contacto)\w*|"
            r"\b(?:presentar(?:me|nos|le|les|mi|ci|gli)?|present(?:e|es|a|ara|aras|ases|áramos)|me present\w*|preséntame|conect\w*|"
            r"pon\w* en contacto|poner(?:me|nos) en contacto|contactar(?:me|nos) con|"
            r"présent\w*|mettre en (?:contact|relation|lien)|mettiez en (?:contact|relation)|introduire auprès|"
            r"vorstell\w*|vorzustellen|kontakt\w* (?:\w+ ){0,3}(?:herstell\w*|herzustellen|vermittel\w*)|bekannt (?:zu )?mach\w*|vernetz\w*|"
            r"apresent\w*|colocar em contato|p[ôo]r(?:-me)? em contacto|fazer a ponte|"
            r"mett\w* in contatto|farmi conoscere|"
            r"voorstell\w*|voor te stellen|in contact (?:te )?brengen|introduc\w*|koppel\w*)\b"
            r"(?! (?:mi|ma|mon|minha|meine|mijn|la|una|une|uma) (?:candidatur\w*|kandidatuur|bewerbung|solicitud|proyecto|projet))"
        ),
    ),
    (
        "pass",
        fastre.compile(
            rf"\b{_PASS_VERB}\b[^.?!]{{0,40}}\b{_POSS} (?:\w+ )?{_NAME_THING}\b|"
            rf"\b{_POSS} (?:\w+ )?{_NAME_THING}\b[^.?!]{{0,60}}\b(?:weiter\w*|erwähn\w*|vermeld\w*|door\w*|zu geben|te geven|te sturen|weiterzu\w*)\b|"
            r"\b(?:parl\w* de (?:moi|nous)|hablar(?:les|le)? de (?:mí|nosotros)|falar de (?:mim|nós)|parlare di (?:me|noi)|"
            r"(?:erzähl\w*|sag\w*) (?:\w+ ){0,3}von (?:mir|uns)|vertel\w* (?:\w+ ){0,3}over (?:mij|ons)|fare il nostro nome|"
            r"faire connaître|darme a conocer|me faire connaître|nos faire connaître)\b"
        ),
    ),
    (
        "recommend_me",
        fastre.compile(
            r"\bme (?:\w+ ){0,2}?(?:recomm?end|refer|indic|coopt)\w*|"
            r"\b(?:me recomiend\w*|me recomm?end\w*|recomm?endarme|recomiéndame|recomm?endarnos|nos recomiend\w*|nos recomm?end\w*|"
            r"me refier\w*|referirme|me refir\w*|"
            r"me recommand\w*|nous recommand\w*|recommandez-(?:moi|nous)|me coopt\w*|cooptation|"
            r"mich (?:\w+ ){0,3}(?:weiter)?empfehl\w*|uns (?:\w+ ){0,3}(?:weiter)?empfehl\w*|weiterempfehl\w*|weiterzuempfehlen|"
            r"me indic\w*|indicar-me|indica-me|nos indic\w*|me recomm?end\w*|"
            r"raccomandarmi|segnalarmi|consigliarci|consigliarmi|mi (?:\w+ )?(?:raccomand|segnal|consigl)\w*|ci (?:\w+ )?consigl\w*|"
            r"(?:mij|me|ons) (?:\w+ ){0,3}(?:aanbevelen|aan te bevelen|aanraden|voordragen|voor te dragen))\b|"
            r"\b(?:recomm?endaci[oó]n interna|recommandation interne|mitarbeiterempfehlung|indicaç[aã]o|programa de indicaç[aã]o|referral interno|"
            r"interne referral|enchufe|cunha|goed woordje|buona parola|bon mot|gutes wort|buena palabra|palavrinha)\b"
        ),
    ),
    (
        "know_anyone",
        fastre.compile(
            r"\b(?:conoces|conozcas|conoce|conocés|conozca|sabes de|sabe de|connais|connaissez|connaîtriez|connaîtrais|kennst|kennen sie|"
            r"jemanden kenn\w*|conhece|conheces|conhecer|souber de|souberes de|conosci|conosce|conoscesse|ken je|ken jij|kent u|kennen)\b"
            r"[^.?!]{0,40}\b(?:alguien|alguno|alguna|algún|quelqu'un|des personnes|d'autres|jemand\w*|alguém|algum|alguma|qualcuno|"
            r"iemand|bedrijven|personnes|gens|mensen|persone|pessoas|personas|leute|otros|outros|altri|anderen)\b"
        ),
    ),
)
_CLIENT_WORDS = fastre.compile(
    r"\b(?:clientes?|negocio|servicios?|cliente|clients?|entreprise|prestations?|kunden|mandant\w*|kanzlei|betrieb|atelier|büro|"
    r"negócio|servi[cç]os?|clienti|attività|klanten|opdrachten|bedrijf|zzp|freelance\w*|autónom[oa]|autonome|selbstständig\w*|"
    r"necesit\w+|besoin|brauch\w*|such\w*|precis\w+|bisogno|nodig|zoek\w*|interesad\w+|intéress\w+|interessier\w+|interessad\w+|interessat\w+)\b"
)
_JOB_WORDS = fastre.compile(
    r"\b(?:vacante|puesto|oferta de empleo|empleo|laburo|búsqueda|poste|candidature|emploi|recrutement|stelle|stellenanzeige|"
    r"bewerbung\w*|vaga|emprego|candidatura|posizione|annuncio|selezione|vacature|functie|sollicitatie|kandidatuur|"
    r"hiring manager|recrut\w+|recruiting|rrhh|recursos humanos|ressources humaines|personalabteilung|recursos humanos|"
    r"risorse umane|hr|internamente|intern|interne)\b"
)
_TALK_WORDS = fastre.compile(
    r"\b(?:charlar|hablar con|conversar|café|parler avec|échanger avec|sprechen|austauschen|kaffee|conversar|bater um papo|papo|"
    r"parlare con|chiacchier\w*|praten|koffie|kennismaken|presentar\w*|présent\w*|vorstell\w*|apresent\w*|presentar\w*|voorstell\w*|"
    r"contact\w*|kontakt\w*|contato|contatto|conect\w*|mentor\w*|consejo|conseils|rat|conselho|consiglio|advies)\b"
)

_NEGATIVE = fastre.compile(
    # giving, introducing, writing it for someone else
    r"\b(?:te he (?:recomm?endado|metido|presentado|referido)|ya te (?:recomm?endé|referí|presenté)|os presento|les presento|te presento a|"
    r"je vous présente|je te présente|je vous recommande chaleureusement|je tiens à vous recommander|par la présente|"
    r"ich habe (?:dich|sie|ihn) (?:\w+ )?empfohlen|darf ich (?:euch|ihnen) \w+ vorstellen|ich stelle euch|"
    r"indiquei (?:você|voce|vc)|(?:estou|tô|to) conectando|apresento-lhe|apresento a você|vi presento|ti presento|ho segnalato|"
    r"ik stel jullie voor|mag ik (?:jullie|u) voorstellen|ik heb je (?:\w+ )?aanbevolen)\b|"
    # thanks for what was done
    r"\b(?:gracias por (?:presentarme|recomm?endarme|ponerme|la recomm?endación|la carta)|merci (?:pour|de) (?:m'avoir|ta recommandation|votre recommandation|la lettre)|"
    r"danke für (?:die|deine|ihre) (?:empfehlung|vermittlung|vorstellung)|obrigad[oa] pel[oa] (?:indicação|carta|recomm?endação|apresentação)|"
    r"grazie per (?:la segnalazione|la lettera|avermi)|bedankt voor (?:de|je|uw) (?:aanbeveling|introductie|referentie))\b|"
    # medicine
    r"\b(?:derivad[oa]|médico|médecin|überweisung|hausarzt|facharzt|ärztin|arzt|encaminhamento médico|huisarts|doorverwezen|"
    r"fysiotherapeut|kinésithérapeute|fisioterapeuta|physiotherapeut|specialista)\b|"
    # recruiters, employment certificates
    r"\b(?:dar uma olhada|echar(?:le)? un vistazo|jeter un (?:coup d'|petit coup d')?(?:œil|oeil)|einen blick|dare un'occhiata|"
    r"een blik werpen|(?:relire|revisar|corrigir|überarbeiten|nakijken) (?:mon|mi|meu|o meu|meinen|mijn)|retour sur mon)\b|"
    r"\b(?:je suis recrut\w+|soy reclutador\w*|sou recrutador\w*|un de nos clients recherche|arbeitszeugnis)\b|"
    # a thing to recommend
    r"\b(?:recom\w*|recomm\w*|empfehl\w*|consigl\w*|aanbevel\w*|aanrad\w*|indic\w*|suggér\w*|suger\w*|tipp\w*)\b[^.?!]{0,30}"
    r"\b(?:libros?|restaurantes?|livres?|bücher|buch|restaurant|livros?|ristorant[ei]|trattori[ae]|pizzeri[ae]|boeken|boek|fontanero|plombier|handwerker|"
    r"encanador|idraulico|loodgieter|steuerberater\w*|hotel\w*|película|film|série|serie)\b"
)
# Referral programmes and newsletters: the whole message is marketing.
_NEWSLETTER = fastre.compile(
    r"\b(?:descadastre|darse de baja|désabonner|se désinscrire|abmelden|afmelden|uitschrijven|cancella l'iscrizione|"
    r"cancelar (?:la )?suscripci[oó]n)\b|"
    r"\b(?:programa de referidos|parrainage|parrainez|empfehlungsprogramm|freunde werben|indique amigos)\b"
    r"[\s\S]{0,300}\b(?:gan[ae]|ganhe|gagnez|erhalten sie|bonus|prämie|descuento|desconto|réduction|gratis|grátis|gratuit)\b"
)


def _kind_for(cue: str, text: str) -> str:
    if cue == "write":
        return "recommendation"
    if cue == "review":
        return "client_referral"
    if cue == "introduce":
        return "introduction"
    jobs = len(_JOB_WORDS.findall(text))
    clients = len(_CLIENT_WORDS.findall(text))
    if cue == "know_anyone":
        if clients > jobs and not _TALK_WORDS.search(text):
            return "client_referral"
        return "introduction" if _TALK_WORDS.search(text) or not jobs else "job_referral"
    return "job_referral" if jobs >= clients and jobs else "client_referral"


def intl_ask(subject: str, low: str) -> tuple[str, str, float] | None:
    """(kind, phrase, confidence) of an ask in ``low`` (a foreign-language message), or None."""
    body = low[:6000]
    if _NEGATIVE.search(subject) or _NEWSLETTER.search(body):
        return None
    whole = subject + "\n" + body
    sentences = [x for x in re.split(r"(?<=[.!?;:])\s+|\n", body) if x.strip()]
    for i, sentence in enumerate(sentences):
        if _NEGATIVE.search(sentence):
            continue
        framed = (
            _REQUEST.search(sentence) is not None
            or _IF_ANYONE.search(sentence) is not None
            or (
                i + 1 < len(sentences)
                and _REQUEST.search(sentences[i + 1]) is not None
                and len(sentences[i + 1]) < 80
            )
        )
        if not framed:
            continue
        for cue, pat in _CUES:
            m = pat.search(sentence)
            if m is None:
                continue
            if cue == "know_anyone" and not (_REQUEST.search(sentence) or "?" in sentence):
                continue
            return _kind_for(cue, whole), m.group(0), 0.75
    # The subject may name the favour ("Carta de recomm?endación para el máster") while the body
    # carries only the request ("¿Estaría usted dispuesto a escribirme una?").
    for cue, pat in _CUES:
        m = pat.search(subject)
        if m and cue in ("write", "introduce", "recommend_me") and _REQUEST.search(body):
            return _kind_for(cue, whole), m.group(0), 0.65
    return None


_REPLY: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "done",
        fastre.compile(
            r"\bya (?:te |le |lo |la |les )?(?:he )?\w+(?:é|ó)\b|\bya est[aá](?: hecho)?\b|^\s*(?:hecho|listo)\b|\blisto,|"
            r"\b(?:cargué|subí|envié|mandé|reenvié|escribí|recomm?endé|presenté)\b|"
            r"\bc'est fait\b|\bj'ai (?:bien )?(?:\w+ ){0,3}(?:transmis|envoyé|fait suivre|recommandé|écrit|présenté|parlé|publié|déposé|"
            r"téléversé|soumis|glissé|relayé)\b|\bvoilà qui est fait\b|"
            r"\berledigt\b|\b(?:habe|hab) (?:ich )?(?:[\w-]+ ){0,10}(?:weitergeleitet|empfohlen|übergeben|geschickt|eingereicht|geschrieben|vorgestellt|"
            r"abgeschickt|hochgeladen|gesendet|verschickt)\b|\b(?:ist|wurde|sind) (?:\w+ )?(?:eingereicht|verschickt|hochgeladen|raus)\b|"
            r"\b(?:acabei de|je viens d[e']|acabo de|acabamos de|ho appena|abbiamo appena|ik heb net|ich habe (?:gerade|eben|soeben))\b|\bjá (?:te |lhe |o |a )?(?:\w+ )?(?:indiquei|enviei|mandei|encaminhei|passei|apresentei|escrevi|falei|publiquei)\b|"
            r"\b(?:publiquei|enviei|encaminhei|indiquei|le adjunto|te adjunto)\b|^\s*(?:feito|pronto)\b|"
            r"\bfatto\b|\b(?:ho|abbiamo) (?:già )?(?:\w+ ){0,2}(?:inoltrato|segnalato|inviato|scritto|presentato|girato|parlato|caricato|mandato)\b|"
            r"\bdi aver (?:\w+ ){0,2}(?:caricato|inviato|inoltrato|scritto|segnalato)\b|"
            r"\bgedaan\b|\b(?:ik )?heb (?:\w+ ){0,12}(?:gezet|achtergelaten|doorgestuurd|aanbevolen|ingediend|geschreven|voorgesteld|verstuurd|aangedragen|"
            r"gestuurd|geplaatst|doorgegeven)\b|"
            # short replies in Polish, Swedish, Turkish, Hindi-English, Indonesian, Japanese
            r"\b(?:zrobione|wysłał[ae]m|przesłał[ae]m|poleciłe[mś]|skickat|fixat|jag har (?:\w+ ){0,3}(?:skickat|rekommenderat|vidarebefordrat)|"
            r"ilettim|hallettim|gönderdim|yolladım|önerdim|ho gaya|kar diya|daal diya|bhej diya|"
            r"(?:udah|sudah) (?:aku |saya |gue )?(?:submit|kirim|refer|masukin)\w*)\b|"
            r"送りました|送信しました|提出しました|推薦しました|紹介しました|完了しました"
        ),
    ),
    (
        "declined",
        fastre.compile(
            r"\b(?:lo siento|lamentablemente|desafortunadamente|no puedo|no me es posible|no voy a poder|te tengo que decir que no|"
            r"no quiero generar expectativas|no corresponde|dessverre|kan (?:derfor )?ikke|inhabil|ya no trabajo|malheureusement|je ne peux pas|je ne pourrai pas|désolée?|je dois décliner|décliner votre demande|au regret de|"
            r"je préfère ne pas|je ne suis pas (?:la bonne personne|à l'aise)|leider|kann ich (?:\w+ )?nicht|nicht möglich|tut mir leid|"
            r"ich muss (?:da |leider )?passen|keine falschen hoffnungen|infelizmente|não posso|não vou (?:poder|conseguir)|não consigo|"
            r"sinto muito|lamento|já não (?:trabalho|estou|tenho)|purtroppo|non posso|non potrò|non riesco|mi dispiace|non me la sento|"
            r"preferisco di no|prefiero no|prefiro não|preferisco non|möchte (?:ich )?lieber nicht|nada personal|nada pessoal|rien de personnel|"
            r"nichts persönliches|niente di personale|niets persoonlijks|helaas|kan ik (?:\w+ )?niet|het spijt me|ik moet (?:helaas )?passen|liever niet|"
            r"niestety|nie mogę|nie dam rady|tyvärr|kan jag inte|kan inte|yapamam|maalesef|kusura bakma|"
            r"nahi ho payega|nahi kar (?:sakta|sakti|paunga|paungi)|nahi hoga|(?:gak|nggak|enggak|tidak|ga) bisa)\b|"
            r"難しいです|できません|無理です|ちょっと難しい"
        ),
    ),
    (
        "needs_info",
        fastre.compile(
            r"\b(?:envíame|envíeme|mándame|mándeme|pásame|me (?:puedes|podrías|podés|podría|puede) (?:enviar|mandar|pasar)|"
            r"(?:podría|podrías|puede|puedes) enviarme|que me env[ií]e|"
            r"envoie-moi|envoyez-moi|m'envoyer|m'envoyez|me faire parvenir|me transmettre|"
            r"mir (?:\w+ ){0,4}(?:schicken|senden|zukommen lassen|mailen)|schick(?:e|en sie)? mir|senden sie mir|"
            r"me (?:mandar|enviar|manda|mande|envia|envie|passar|passa)|mandar-me|enviar-me|manda-me|envia-me|"
            r"inviarmi|mandarmi|girarmi|inviami|mandami|mi (?:invii|mandi|giri|puoi mandare|può mandare|potrebbe inviare)|"
            r"(?:me|mij) (?:[\w-]+ ){0,4}(?:sturen|toesturen|mailen|meesturen)|meesturen|stuur (?:me|mij))\b|"
            r"\b(?:qu[eé] puesto|cu[aá]l es el|quel poste|quelle offre|welche stelle|qual (?:é a )?vaga|quale posizione|welke vacature|"
            r"vacaturenummer|stellennummer|número da vaga|c[oó]digo de (?:la|referencia)|codice (?:di riferimento|dell'annuncio)|"
            r"référence de l'offre|preciso d[oa] (?:link|curr[ií]culo|cv|c[oó]digo|vaga)|wyślij|prześlij|podeślij|skicka (?:mig )?(?:länken|cv|ditt|din)|gönderir misin|yollar mısın|"
            r"bhej (?:de|do|dena|dijiye)|bhejo|kirim (?:cv|link|resume|lowongan)\w*|kirimin)\b|"
            r"送ってもらえ|送ってください|送ってくれ"
        ),
    ),
    (
        "agreed",
        fastre.compile(
            r"\b(?:claro(?: que sí)?|por supuesto|con gusto|encantad[oa]|cuenta con(?:migo|ello)|lo hago|me encargo|"
            r"avec plaisir|bien sûr|volontiers|pas de problème|pas de trouble|je m'en occupe|compte sur moi|"
            r"gerne|natürlich|selbstverständlich|mache ich|kein problem|ich kümmere mich|"
            r"com certeza|com prazer|pode deixar|conta comigo|"
            r"volentieri|certamente|ma certo|certo che|ci penso io|con piacere|ti do una mano|"
            r"graag|natuurlijk|uiteraard|geen probleem|komt goed|doe ik|ik regel het)\b|"
            r"\b(?:je vais|j'vais|vou|voy a|ich werde|wir werden|ik ga|ik zal|we gaan|je|ich|ik|io|yo|eu)(?: \w+){0,3}? "
            r"(?:parl\w*|transm\w*|envo\w*|présent\w*|recommand\w*|habl\w*|pas(?:o|ar|arle|arlo|sar)|envi\w*|present\w*|recomm?end\w*|red\w*|"
            r"sprech\w*|weiterleit\w*|empfehl\w*|vorstell\w*|fal(?:o|ar)|indic\w*|inoltr\w*|segnal\w*|sprek\w*|doorsturen|doorstuur|"
            r"voorstell\w*|aanbevel\w*|vrag\w*|frag\w*|demand\w*|pregunt\w*|pergunt\w*|chied\w*|schreib\w*|escrib\w*|écri\w*|scriv\w*|"
            r"schrijv\w*|escrev\w*|mets en contact|metto in contatto|pongo en contacto|in contact breng)\b|"
            r"\b(?:le parlo di te|ti metto in contatto|vi metto in contatto|je vous mets en contact|je te mets en contact|te presento|"
            r"faço|farei|lo dico|glielo dico|regel ik|komt in orde|jasne|oczywiście|zrobię|wrzucę|självklart|fixar det|ordnar det|"
            r"tabii(?: ki)?|hallederim|yaparım|pakka|kar dunga|daal dunga|bhej dunga|kar doonga|oke siap|siap|"
            r"nanti (?:malam |sore |siang )?(?:aku|saya|gue))\b|了解|承知しました|やっておきます|かしこまりました"
        ),
    ),
)
# The material gates the decision: "antes de comprometerme, ¿podría enviarme su CV?"
_PRECONDITION = fastre.compile(
    r"\b(?:antes de|avant de|bevor (?:ich|wir)|voordat (?:ik|we)|prima di|primeiro|d'abord|zuerst|eerst|primero)\b"
)


def intl_reply(low: str) -> tuple[str, str] | None:
    """(outcome, phrase) for a foreign-language human reply, or None when nothing is said."""
    head = low[:3000]
    found = {outcome: m for outcome, pat in _REPLY if (m := pat.search(head))}
    if not found:
        return None
    if "done" in found:
        return "done", found["done"].group(0)
    if "declined" in found:
        return "declined", found["declined"].group(0)
    if "needs_info" in found:
        if "agreed" in found and not _PRECONDITION.search(head) and "?" not in head:
            return "agreed", found["agreed"].group(0)
        return "needs_info", found["needs_info"].group(0)
    return "agreed", found["agreed"].group(0)
