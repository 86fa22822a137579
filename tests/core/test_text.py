"""core.text: visible text of plain, HTML and MIME mail; never raises on malformed input."""

from __future__ import annotations

from core.text import html_to_text, looks_like_html, parse_mime, visible_text


def test_visible_text_strips_on_wrote_quote() -> None:
    body = (
        "Sure, happy to help.\n\nOn Tue, Oct 27, 2026 at 9:14 AM Maria <maria@example.com> wrote:\n"
        "> Could you refer me?\n> Thanks\n"
    )
    assert visible_text(text=body, html=None) == "Sure, happy to help."


def test_visible_text_strips_wrapped_on_wrote_header() -> None:
    body = (
        "Works for me.\n\nOn Mon, Aug 19, 2013 at 2:36 AM, Some One via Meta <\n"
        "info@example.org> wrote:\n\n> quoted\n"
    )
    assert visible_text(text=body, html=None) == "Works for me."


def test_visible_text_strips_outlook_original_message() -> None:
    body = (
        "Done, I referred you.\n\n-----Original Message-----\nFrom: Sam\nSent: Monday\n"
        "To: Maria\nSubject: referral\n\nCould you refer me?"
    )
    assert visible_text(text=body, html=None) == "Done, I referred you."


def test_visible_text_strips_outlook_header_block_without_separator() -> None:
    body = (
        "Yes.\n\nFrom: Sam Smith <sam@example.com>\nSent: 26 October 2026 16:02\nTo: Maria\n"
        "Subject: RE: hello\n\nolder text"
    )
    assert visible_text(text=body, html=None) == "Yes."


def test_visible_text_strips_german_quote_header() -> None:
    body = "Gerne!\n\nAm 26.10.2026 um 16:02 schrieb Sam <sam@example.com>:\n> Kannst du?"
    assert visible_text(text=body, html=None) == "Gerne!"


def test_visible_text_strips_signature_and_mobile_footer() -> None:
    body = "I'll do it tonight.\n\nSent from my iPhone"
    assert visible_text(text=body, html=None) == "I'll do it tonight."
    body2 = "I'll do it tonight.\n\n-- \nSam Example\n+1 555 0100"
    assert visible_text(text=body2, html=None) == "I'll do it tonight."


def test_visible_text_keeps_sent_from_sentence_that_is_not_a_footer() -> None:
    body = "Here it is.\n\nSent from my desk, which is much easier than my phone."
    assert "Sent from my desk" in visible_text(text=body, html=None)


def test_visible_text_keeps_bottom_posted_reply() -> None:
    body = "On Mon, Jan 1, 2026 at 9:00 AM Sam <sam@example.com> wrote:\n> question?\n\nMy answer."
    assert visible_text(text=body, html=None) == "My answer."


def test_visible_text_removes_gmail_html_quote() -> None:
    html = (
        '<div dir="ltr">Happy to <b>refer</b> you!</div>'
        '<div class="gmail_quote"><div>On Mon, Sam wrote:</div><blockquote>old</blockquote></div>'
    )
    assert visible_text(text=None, html=html) == "Happy to refer you!"


def test_visible_text_removes_outlook_html_reply_block() -> None:
    html = (
        "<html><body><p>Yes, will do.</p><div id='appendonsend'></div><hr>"
        "<div id='divRplyFwdMsg'><b>From:</b> Sam<br><b>Sent:</b> Monday</div><p>old text</p>"
        "</body></html>"
    )
    assert visible_text(text=None, html=html) == "Yes, will do."


def test_visible_text_prefers_text_part_and_detects_html_in_text() -> None:
    assert visible_text(text="plain words", html="<p>html words</p>") == "plain words"
    assert visible_text(text="<p>only <i>html</i></p>", html=None) == "only html"
    assert visible_text(text=None, html=None) == ""


def test_visible_text_is_idempotent() -> None:
    body = "Hi,\n\nThanks!\n\nOn Tue, Oct 27, 2026 at 9:14 AM X <x@example.com> wrote:\n> q"
    once = visible_text(text=body, html=None)
    assert visible_text(text=once, html=None) == once


def test_html_to_text_breaks_blocks_and_drops_scripts() -> None:
    out = html_to_text("<p>one</p><p>two<br>three</p><script>bad()</script>", strip_quotes=False)
    assert out.split("\n") == ["one", "", "two", "three"]
    assert looks_like_html("<div>x</div>") and not looks_like_html("a < b and c > d")


def test_parse_mime_multipart_alternative() -> None:
    raw = (
        b"From: Sam <sam@example.com>\r\nTo: m@example.com\r\nSubject: =?utf-8?q?Caf=C3=A9?=\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n"
        b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHello there\r\n\r\n"
        b"On Mon, Jan 1, 2026 at 9:00 AM M <m@example.com> wrote:\r\n> old\r\n"
        b"--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Hello there</p>\r\n--b--\r\n"
    )
    mail = parse_mime(raw)
    assert mail.subject == "Café"
    assert mail.headers["from"] == "Sam <sam@example.com>"
    assert mail.visible == "Hello there"
    assert mail.html is not None and "<p>" in mail.html


def test_parse_mime_never_raises_on_garbage() -> None:
    for raw in (b"", b"\xff\xfe\x00garbage", b"Content-Type: multipart/mixed\r\n\r\nno boundary",
                b"Subject: x\r\nContent-Type: text/plain; charset=no-such-charset\r\n\r\n\xe9t\xe9"):  # fmt: skip
        mail = parse_mime(raw)
        assert isinstance(mail.visible, str)


def test_parse_mime_unknown_charset_replaced() -> None:
    raw = b"Subject: x\r\nContent-Type: text/plain; charset=x-bogus\r\n\r\nna\xefve"
    assert parse_mime(raw).visible.startswith("na")


def test_parse_mime_delivery_report_keeps_status_fields() -> None:
    raw = (
        b"From: MAILER-DAEMON@mx.example.org\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        b"MIME-Version: 1.0\r\n"
        b"Content-Type: multipart/report; report-type=delivery-status; boundary=r\r\n\r\n"
        b"--r\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        b"--r\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.org\r\n\r\n"
        b"Final-Recipient: rfc822; gone@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        b"--r--\r\n"
    )
    mail = parse_mime(raw)
    assert mail.content_type == "multipart/report"
    assert mail.text is not None and "gone@example.com" in mail.text


def test_visible_text_survives_pathological_nesting() -> None:
    html = "<div>" * 3000 + "deep words" + "</div>" * 3000
    assert "deep words" in visible_text(text=None, html=html)


def test_a_closing_legal_disclaimer_is_not_the_writers_text() -> None:
    body = (
        "Dear Siobhan,\n\nYes, I would be glad to write for you.\n\nBest wishes,\nMargaret\n"
        "Dr Margaret Whitcombe | Senior Lecturer\n"
        "This e-mail and any attachments are confidential. If you are not the intended recipient "
        "you are not able to read it. The University is unable to accept liability for viruses.\n"
    )
    out = visible_text(text=body, html=None)
    assert "glad to write" in out and "liability" not in out and "not able" not in out
    # a one-word line that merely says "disclaimer" stays (reply-parsing fixture behaviour)
    assert "disclaimer" in visible_text(text="message\n\ndisclaimer", html=None)


def test_an_address_in_angle_brackets_is_not_an_html_tag() -> None:
    bounce = "<p.kowalczyk@mechatron.pl>: host mx.mechatron.pl said: 554 5.7.1 rejected"
    assert not looks_like_html(bounce)
    assert looks_like_html("<p class='x'>hi</p>") and looks_like_html("<br/>")
