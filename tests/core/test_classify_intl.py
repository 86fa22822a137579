"""Asks and replies written in Spanish, French, German, Portuguese, Italian and Dutch."""

from __future__ import annotations

import pytest

from core.classify import classify_reply, classify_sent, may_be_ask
from core.classify_intl import looks_foreign


@pytest.mark.parametrize(
    ("subject", "body", "kind"),
    [
        ("Vacante de Data Analyst", "Hola Nuria, he visto que habéis publicado una vacante de Data "
         "Analyst y me encaja muy bien. ¿Me podrías recomendar internamente? Gracias por todo.",
         "job_referral"),
        ("Poste chez Desjardins", "Bonjour Madame, j'ai postulé au poste de conseillère. Pourriez-vous "
         "transmettre mon dossier à la responsable du recrutement ? Merci pour votre aide.",
         "job_referral"),
        ("Stelle bei Roche", "Hallo Lukas, kennst du jemanden bei Roche im Bereich Regulatory Affairs, "
         "den du mir vorstellen könntest? Ich würde mich sehr freuen und danke dir.", "introduction"),
        ("Carta para o mestrado", "Prezada Professora, espero que a senhora esteja bem. A senhora "
         "poderia escrever uma carta de recomendação para mim? Muito obrigado pela atenção.",
         "recommendation"),
        ("Grazie!", "Ciao Elena, grazie per la fiducia. Se è rimasta soddisfatta, mi faresti un grande "
         "favore lasciando una recensione su Google? Il passaparola per noi è molto importante.",
         "client_referral"),
        ("Schilderwerk", "Beste Kees, bedankt voor de opdracht. Mocht u iemand kennen die ook wil laten "
         "schilderen, zou u dan mijn naam willen doorgeven? Met vriendelijke groet.",
         "client_referral"),
    ],
)  # fmt: skip
def test_classify_sent_reads_asks_in_six_languages(subject: str, body: str, kind: str) -> None:
    d = classify_sent(subject=subject, body=body)
    assert d.is_ask, d.reason
    assert d.kind == kind, d.reason


@pytest.mark.parametrize(
    "body",
    [
        "Hola Pablo, esta mañana te he metido como referido en Workday para la vacante. Te debería "
        "llegar un correo. ¡Mucha suerte con todo!",
        "Monsieur le Directeur, par la présente, je tiens à vous recommander chaleureusement M. Traoré, "
        "qui a travaillé avec nous pendant trois ans.",
        "Hoi coach, helaas kan ik donderdag niet trainen. Mijn huisarts heeft me doorverwezen naar een "
        "fysiotherapeut voor mijn hamstring.",
        "Hoi Corinne, ich fahre über Weihnachten ins Engadin. Kannst du mir ein, zwei Bücher empfehlen? "
        "Gern etwas Leichtes, danke dir.",
        "Olá, Juliana! Indique amigos e ganhe 1 mês grátis. Não quer mais receber? Descadastre-se.",
    ],
)
def test_classify_sent_rejects_foreign_non_asks(body: str) -> None:
    d = classify_sent(subject="", body=body)
    assert not d.is_ask, d.reason


@pytest.mark.parametrize(
    ("body", "outcome"),
    [
        ("Lu! Listo, ya la cargué a Tamara en el sistema de referidos. Abrazo, Seba", "done"),
        ("Ich hab der Hausverwaltung heute Vormittag geschrieben und bestätigt, dass Sie immer "
         "pünktlich gezahlt haben. Alles Gute!", "done"),
        ("Olá Tiago, queria muito ajudar-te, mas saí da empresa e não vou conseguir passar o CV. "
         "Boa sorte com isso!", "declined"),
        ("Gentile dott. Rinaldi, prima di procedere, potrebbe inviarmi il curriculum aggiornato e il "
         "codice dell'annuncio? Cordiali saluti", "needs_info"),
        ("Salut Émilie! Ben oui, pas de trouble! Je vais en parler à Olivier et je vous mets en "
         "contact la semaine prochaine.", "agreed"),
    ],
)  # fmt: skip
def test_classify_reply_reads_foreign_replies(body: str, outcome: str) -> None:
    r = classify_reply(subject="Re: favor", body=body, headers={"From": "a@b.example"})
    assert r.outcome == outcome, r.reason


def test_looks_foreign_keeps_english_out_and_may_be_ask_lets_foreign_in() -> None:
    assert not looks_foreign("could you refer me to the team? thanks, i'd really appreciate it")
    assert not looks_foreign("---- forwarded by steven j kean/hou/ees on 08/02/2000 ----")
    snippet = (
        "Hola Irene, gracias otra vez por la cena del sábado, lo pasamos genial. Oye, te quería"
    )
    assert looks_foreign(snippet.lower())
    assert may_be_ask(subject="Una cosa", snippet=snippet)


def test_classify_reply_foreign_bounce_and_return_date() -> None:
    bounce = classify_reply(
        subject="Echec de remise du message",
        body="Votre message n'a pas pu être remis au destinataire suivant : lea@exemple.fr",
        headers={"From": "postmaster@orange.fr"},
    )
    assert bounce.outcome == "bounce" and bounce.bounced_address == "lea@exemple.fr"
    away = classify_reply(
        subject="Ausência do escritório",
        body="Informo que me encontro ausente do escritório, regressando a 4 de dezembro.",
        headers={"From": "antonio@exemplo.pt"},
    )
    assert away.outcome == "auto_reply" and away.return_date is not None
    assert (away.return_date.month, away.return_date.day) == (12, 4)
