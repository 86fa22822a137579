"""core.classify: referral-ask detection, reply meaning, return dates, pre-filters, labelled set."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from core.classify import (
    GMAIL_PREFILTER_TERMS,
    classify_reply,
    classify_sent,
    may_be_ask,
    snippet_rules_out_ask,
)
from core.classify_dates import find_return_date
from core.classify_eval import classify_row, evaluate_rows
from core.classify_intl import looks_foreign
from core.text import visible_text

LABELLED = Path(__file__).resolve().parents[1] / "data" / "labelled"
TODAY = date(2026, 10, 28)  # a Wednesday


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("Would you be willing to put my name forward for the Data Analyst role?", "job_referral"),
        ("Could you vouch for me with the hiring manager at Fabrikam?", "job_referral"),
        ("Do you know anyone at Contoso you could connect me with?", "introduction"),
        ("If a friend ever needs a plumber, please keep me in mind and pass my name along to them.",
         "client_referral"),
        ("Would you write me a short LinkedIn recommendation?", "recommendation"),
        ("Could I list you as a reference for my application?", "recommendation"),
        ("Final round on Thursday - would you mind putting in a good word for me?", "job_referral"),
        ("I am applying for the intern position; would you consider referring me through Airbnb's "
         "employee referral system?", "job_referral"),
        ("Would you be willing to write a one- or two-sentence blurb for the back cover?",
         "recommendation"),
        ("I'm growing my localization business. If any of your friends are launching in Japan, "
         "would you be comfortable recommending me?", "client_referral"),
        ("I wonder whether you could put my name forward to him for the postdoc position.",
         "job_referral"),
        ("I'd really love that RA job. Would you keep me in mind and pass my name along to her when "
         "she starts looking?", "job_referral"),
        ("They have asked for two references who will get a phone call. Will it be okay for you to "
         "take their call?", "recommendation"),
        ("Would you be willing to submit the same letter for these two fellowships as well?",
         "recommendation"),
        ("Would you be willing to give us a line or two about what it's been like working with us?",
         "recommendation"),
        ("If you were happy with your visits, would you consider leaving us a short review on Google?",
         "client_referral"),
        ("who do u know at figma? need a warm intro to someone on growth", "introduction"),
        ("Could you introduce Daichi to her? Even one conversation would mean a great deal.",
         "introduction"),
        ("Would you be comfortable being someone they could call about me?", "recommendation"),
        ("Your daughter bought a house, right? If she wants a cleaner, would you give her my number?",
         "client_referral"),
        ("My editor wants blurbs. Would you consider reading the galley and writing a line or two "
         "we could use on the cover?", "recommendation"),
        ("Could you put her in touch with Anjali? Even one consult would help.", "introduction"),
        ("Would you be able to put Lucy in touch with her? Even a short chat would help.",
         "introduction"),
        ("If you've got room, would you be willing to recommend him to your service manager for the "
         "apprentice spot?", "job_referral"),
        ("We'd be grateful if you'd keep us in mind and continue to refer families who could "
         "benefit.", "client_referral"),
        ("Would you be comfortable being listed as a client reference on our proposals?",
         "recommendation"),
        ("Is this at your cafe? If so, would you mind mentioning me to your boss?", "job_referral"),
        ("Since you can't make it - would you be able to pass along my invite to Dr. Bellini?",
         "introduction"),
        ("My freelance business is big enough that I need a proper accountant. Would you be willing "
         "to introduce me to yours?", "introduction"),
        ("Can you please endorse my name to the crewing manager for the Chief Cook vacancy?",
         "job_referral"),
        ("If any of your buddies need a panel upgrade, tell 'em to give me a holler.",
         "client_referral"),
        ("I've marked the milestone complete on Upwork. Would you mind leaving some feedback and a "
         "public review? A few words about the API migration would help me a lot.",
         "client_referral"),
        ("My friend Tara is applying for the staff accountant opening at your firm. Any chance you "
         "could refer her internally?", "job_referral"),
        ("If you know any other parents whose children are writing WAEC next year, kindly recommend "
         "me to them.", "client_referral"),
        ("I've been applying for junior QA roles. They have a big IT department - if you hear of "
         "anything opening up, I'd be grateful if you mentioned me to whoever does the hiring.",
         "job_referral"),
        ("We served together on the audit committee; would you be willing to serve as one of my "
         "referees?", "recommendation"),
        ("My daughter is applying for the summer programme at your bank. Would it be possible for you "
         "to submit her via the employee referral scheme?", "job_referral"),
    ],
)  # fmt: skip
def test_classify_sent_recognises_asks_without_the_word_refer(body: str, kind: str) -> None:
    d = classify_sent(subject="", body=body)
    assert d.is_ask, d.reason
    assert d.kind == kind
    assert 0.0 <= d.confidence <= 1.0 and d.reason


@pytest.mark.parametrize(
    "body",
    [
        "I just referred you for the role - you should get an email soon.",
        "Maria, meet Tom. Tom is the designer I mentioned. I'll let you two take it from here!",
        "Here is the recommendation I wrote for you on LinkedIn.",
        "Thank you so much for referring me, I really appreciate it.",
        "Refer a friend and earn $50. Unsubscribe at any time.",
        "Could you send a referral to the dermatologist for my son? Our insurance requires it.",
        "Can you recommend a good restaurant near the office?",
        "Could we move our meeting to Thursday at 3pm?",
        "Please find attached invoice #4421 for October.",
        "Thanks! Does Tuesday at 3pm work for a 30-min intro call?",
        "Just submitted you for the STEP internship in our referral tool. Ping me with questions.",
        "Could you add my new account to the GitHub org and connect it to the SSO?",
        "I am happy to refer you for the SDE intern role. Please don't miss the email, otherwise the "
        "referral expires.",
        "If you need a recommendation letter for the exchange, please note the deadline is Dec 1.",
        "Thanks a lot for referring me to the Microsoft recruiter! The call went really well.",
        "Of course I'll be a referee for the Bexley job. Give Neil my mobile number.",
        "Our team is growing! If you know anyone who'd be a great fit, please refer them through the "
        "portal.",
        "Thank you for making the introduction so quickly. I owe you one.",
        "I'm happy to review resumes, do mock interviews, or introduce you to people in my network.",
        "I'd love to write you a LinkedIn recommendation - nothing needed in return.",
        "lmk if u ever need a reference, ur the best intern we ever had",
        "connect w me on linkedin? can't find u in search",
        "You got into Google through a referral, right? How did you actually ask the person?",
        "Please feel free to list me as a reference - I'd be glad to talk about your work.",
        "In section 3 you cite a figure. Do you have a reference for that?",
        "Following up on your intro last month - I met with Sabine again on Friday.",
        "Just posted a recommendation on your LinkedIn profile - let me know if you'd like changes.",
        "I'm writing in response to your request for a reference for Daniel, my law clerk.",
        "MIT would like to talk to us about energy procurement. Could you put someone in touch with "
        "them?",
        "I'm leaving banking and would love your advice. I'm not asking you to refer me anywhere - I "
        "just want to understand the day-to-day.",
        "From Monday, please fill in the new Referral source field in HubSpot for every inbound lead.",
        "Noor - done, just sent the intro to Amit (you're cc'd on the other thread).",
        "Happy to make the intro - I know Sara well. I'll write to her tonight and cc you.",
        "Keiko Sato has listed you as a previous landlord. Our reference check form is attached; "
        "please complete and return it.",
    ],
)
def test_classify_sent_rejects_hard_negatives(body: str) -> None:
    d = classify_sent(subject="", body=body)
    assert not d.is_ask, d.reason
    assert d.kind is None


def test_classify_sent_reason_names_phrase_role_and_company() -> None:
    d = classify_sent(
        subject="Quick favor",
        body="Would you put my name forward for the Senior Data Analyst role at Fabrikam?",
    )
    assert d.is_ask and d.company == "Fabrikam" and d.role == "Senior Data Analyst"
    assert "put my name forward" in d.reason and "Fabrikam" in d.reason


def test_classify_sent_possessive_place_is_no_company() -> None:
    d = classify_sent(
        subject="Would you introduce us?",
        body="It was great catching up at Priya's wedding. Would you be comfortable making an intro?",
    )
    assert d.is_ask and d.company is None
    d = classify_sent(subject="", body="Could you refer me for the cashier job at McDonald's?")
    assert d.company == "McDonald's"


def test_classify_sent_reads_html_and_ignores_quoted_history() -> None:
    html = "<p>Hi!</p><p>Could you <b>refer me</b> for the job?</p>"
    assert classify_sent(subject="", body=html).is_ask
    quoted = (
        "Sounds good, see you Thursday.\n\nOn Mon, Oct 26, 2026 at 9:00 AM Sam <s@example.com> "
        "wrote:\n> Could you refer me for the Backend Engineer role?\n"
    )
    assert not classify_sent(subject="Re: lunch", body=quoted).is_ask


def test_classify_sent_bulk_mail_is_not_an_ask() -> None:
    d = classify_sent(
        subject="Refer us",
        body="Could you refer me to your friends?",
        headers={"List-Unsubscribe": "<mailto:u@example.com>"},
    )
    assert not d.is_ask


@pytest.mark.parametrize(
    ("body", "outcome"),
    [
        ("Of course! I'll put your name forward tomorrow.", "agreed"),
        ("Done - I just submitted your referral.", "done"),
        ("Unfortunately I left the company last year, so I can't refer you.", "declined"),
        ("Happy to! Can you send me your resume and the job ID?", "needs_info"),
        ("Thanks, good to hear from you. Let's catch up soon.", "other"),
    ],
)
def test_classify_reply_human_outcomes(body: str, outcome: str) -> None:
    r = classify_reply(subject="Re: referral", body=body)
    assert r.outcome == outcome, r.reason
    assert r.reason and 0.0 <= r.confidence <= 1.0


@pytest.mark.parametrize(
    ("body", "outcome"),
    [
        # formal and roundabout done
        ("I have taken the liberty of forwarding your note to the head of the unit.", "done"),
        ("The reference went to the admissions office on Monday.", "done"),
        ("The letter has been prepared, signed and sent to the embassy this morning.", "done"),
        ("It is now awaiting your approval on LinkedIn.", "done"),
        ("Both letters have now been submitted through the portals.", "done"),
        ("Amir, posted. Have a look.", "done"),
        ("✅", "done"),
        # passing the request on for someone else to decide is not doing the favour
        (
            "I have forwarded your message to our director for his consideration; I cannot comment "
            "further.",
            "other",
        ),
        # refusals by rule, circumstance or relationship
        ("I regret that as a matter of policy I do not provide endorsements.", "declined"),
        ("Our lawyer has told me not to write letters while the case is open.", "declined"),
        ("We don't really do online reviews, sorry!", "declined"),
        ("nope", "declined"),
        ("It would not be appropriate for me to speak to the panel.", "declined"),
        # formal requests for material
        ("Kindly provide the job description and the deadline.", "needs_info"),
        ("I would be grateful if you could send me your transcript.", "needs_info"),
        # formal and short yes
        ("I consent to act as your referee.", "agreed"),
        ("I shall commend you to her when we meet on Friday.", "agreed"),
        ("ok will intro you two tomorrow", "agreed"),
        # conversation, not a request or a promise
        ("Which bootcamp did you pick in the end?", "other"),
        ("I think you may have the wrong Colleen - I'm in Harrisburg.", "other"),
        ("Of course I remember you! Things are in flux here though.", "other"),
    ],
)
def test_classify_reply_formal_short_and_roundabout(body: str, outcome: str) -> None:
    r = classify_reply(subject="Re: a favour", body=body)
    assert r.outcome == outcome, r.reason


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (
            "I wondered whether you might be comfortable forwarding my CV to the hiring manager.",
            "job_referral",
        ),
        (
            "Would you be willing to put Lucía in touch with Naomi? My daughter would love a mentor.",
            "introduction",
        ),
        (
            "Would you be happy to act as my referee? I've been doing your books for three years.",
            "recommendation",
        ),
        (
            "If you know other parents looking for a piano teacher, could you point them in our direction?",
            "client_referral",
        ),
        (
            "I would be grateful if you would consider recommending Brightwater to peers in the sector.",
            "client_referral",
        ),
    ],
)
def test_classify_sent_asks_found_this_session(body: str, kind: str) -> None:
    d = classify_sent(subject="A favour", body=body)
    assert d.is_ask and d.kind == kind, d.reason


@pytest.mark.parametrize(
    "body",
    [
        "I'd like to refer Callum Reid for the SRE opening (JR-8812). CV attached.",
        "Please connect the standby generator and confirm once the connection has been tested.",
        "I clerked there in 2018 and would be happy to put you in touch with my co-clerks.",
    ],
)
def test_classify_sent_gives_or_means_something_else(body: str) -> None:
    d = classify_sent(subject="Note", body=body)
    assert not d.is_ask, d.reason


def test_classify_reply_short_replies_in_more_languages() -> None:
    cases = {
        "zrobione 👍": "done",
        "tyvärr, det kan jag inte göra": "declined",
        "kirim CV dulu ya": "needs_info",
        "haan pakka, kal tak daal dunga": "agreed",
        "送りました！": "done",
    }
    for body, outcome in cases.items():
        r = classify_reply(subject="Re: referral", body=body)
        assert r.outcome == outcome, (body, r.reason)


def test_a_person_on_leave_who_answers_the_favour_is_not_an_auto_reply() -> None:
    body = (
        "Hi Shreya, congrats! Unfortunately I won't be able to be a reference - I'm on parental "
        "leave from Friday until March. Sorry!"
    )
    assert classify_reply(subject="Re: reference", body=body).outcome == "declined"
    note = "I'm away until 5 Jan with the kids.\n\n--\nThis is an automated vacation response."
    r = classify_reply(subject="Re: thanks", body=note, today=TODAY)
    assert r.outcome == "auto_reply" and r.return_date == date(2027, 1, 5), r.reason


def test_return_date_reads_the_clause_its_cue_closes() -> None:
    text = "Ich bin bis einschließlich 11.12. nicht im Büro und ab dem 14.12. wieder erreichbar."
    assert find_return_date(text, today=TODAY) == date(2026, 12, 14)
    text = "Ich bin bis 4. Dezember weg und bin ab Montag, dem 7. Dezember 2026, wieder im Büro."
    assert find_return_date(text, today=TODAY) == date(2026, 12, 7)
    assert find_return_date("İzindeyim, 1 Aralık'ta döneceğim.", today=TODAY) == date(2026, 12, 1)


@pytest.mark.parametrize(
    ("subject", "body", "kind", "quoted"),
    [
        ("", "I'm trying to reach someone at Saffron Foods about their partnerships team - any chance "
         "you could link us up?", "introduction", "link us up"),
        ("", "Do you know anyone at Stratos Aerospace? would love to pick someone's brain about the "
         "developer experience team", "introduction", "know anyone"),
        ("", "Orchard Software asked for two professional references. Could I list you as one?",
         "recommendation", "list you as a reference"),
        ("", "I'm collecting a couple of testimonials from past clients - would you be willing to "
         "write two or three sentences about the onboarding redesign?", "recommendation",
         "write a few sentences"),
        ("", "Would you be comfortable vouching for me if the hiring manager reaches out?",
         "recommendation", "vouch for me"),
        ("", "If anyone in your network needs copywriting, would you mind sending them my way?",
         "client_referral", "send them my way"),
        ("", "If anyone at Summit Outdoor Co. needs copywriting, would you mention my name?",
         "client_referral", ""),
        ("", "Would it be weird to ask if you'd drop my portfolio in front of the hiring manager?",
         "job_referral", "in front of"),
        ("", "The coding bootcamp wants one reference from a teacher. Would you be ok being mine?",
         "recommendation", ""),
        ("", "I went freelance in May. Could you introduce me to the ops lead at your sister "
         "company? My consulting could help them.", "client_referral", "introduce me"),
        ("", "If your friends ask where the mug is from, pls send them to my online shop!",
         "client_referral", "my shop"),
        ("", "Could you recommend my pottery classes to your book club?", "client_referral", ""),
        ("", "Kindly forward my biodata to concerned HR manager.", "job_referral", ""),
        ("", "If you know the recruiter, a short note from you would make a real difference.",
         "job_referral", "from you"),
        ("", "Could you tell your manager I'm keen on the open designer role?", "job_referral", ""),
        ("", "Please could you introduce my CV to your HR department for the vacancy?",
         "job_referral", ""),
        ("", "Would you recommend me as a freelance editor to the other authors there?",
         "client_referral", ""),
        ("", "Any chance you could post about my bakery in your neighbourhood WhatsApp group?",
         "client_referral", ""),
        ("", "Would you feel comfortable referring patients with back pain to my practice?",
         "client_referral", ""),
        ("", "Could you send a few of your colleagues my card? They asked about the course.",
         "client_referral", ""),
        ("", "Could you see if your recruiter would look at my CV for the analyst opening?",
         "job_referral", ""),
        ("", "Would you vouch for me with Ana? She's hiring for the support lead position.",
         "job_referral", ""),
        ("", "Could you forward my CV internally for the logistics coordinator vacancy?",
         "job_referral", ""),
        ("", "Would your manager be open to a quick chat with me about the open data role?",
         "job_referral", ""),
        ("", "If any of your guests want to order wine, could you forward them my contact?",
         "client_referral", ""),
    ],
)  # fmt: skip
def test_classify_sent_composes_request_with_referral_object(
    subject: str, body: str, kind: str, quoted: str
) -> None:
    d = classify_sent(subject=subject, body=body)
    assert d.is_ask, d.reason
    assert d.kind == kind, d.reason
    assert quoted in d.reason


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        ("Re: Referral for DevOps Engineer at Marigold Media?",
         "Just checking in on this. Happy to send anything that would make it easier."),
        ("Referral to dermatology", "Hi, Dr. Lindqvist's office said I need a referral from my "
         "primary care doctor before they can book me. Could you send it over?"),
        ("", "Could you send me the link to the referral form? My friend wants to apply to your "
         "team and I said I'd refer her."),
        ("", "Could you give me a reference check on Tom Burke? He listed you as his manager."),
        ("", "Could you send them my way? I need the signed contracts back by Monday."),
        ("", "Hey, could you write a few sentences for the product update blog about the new "
         "dashboard?"),
        ("", "Could you write a recommendation for Priya? She's applying to the MBA program and "
         "asked me to reach out."),
        ("Lunch on day 0", "See you at noon by the referrals desk? no wait, the cafe."),
        ("", "Can you tell your friends the party is moved to Saturday?"),
        ("", "Would you recommend our agency's new logo or the old one?"),
        ("", "Happy to put in a good word for you with the recruiter, just send me the link."),
        ("", "Do you know anyone who needs a second-hand sofa? We have to get rid of it."),
        ("", "Is the referral office on the second floor open on Mondays?"),
        ("Happy to be a reference", "Of course - feel free to give them my number. I'll tell them "
         "the truth: you're the best analyst I've managed."),
        ("LinkedIn rec?", "Now that you've left Canopy, would you like me to write you a LinkedIn "
         "recommendation? Just let me know."),
        ("Can I refer my friend?", "I'd like to refer my friend Lucas for the Data Engineer opening."),
        ("Following up on my referral request - update", "No need to do anything anymore - the "
         "recruiter reached out to me directly. Thanks for being willing to help!"),
    ],
)  # fmt: skip
def test_classify_sent_guards_giving_third_party_and_things(subject: str, body: str) -> None:
    d = classify_sent(subject=subject, body=body)
    assert not d.is_ask, d.reason


def test_classify_sent_a_subject_that_asks_carries_a_one_line_body() -> None:
    d = classify_sent(
        subject="can u submit me in the referral portal",
        body="job id R-20331, backend eng. sending cv rn. owe u a coffee",
    )
    assert d.is_ask and d.kind == "job_referral", d.reason
    # ... and the Gmail snippet triage, which never sees the subject, keeps such a body.
    assert not snippet_rules_out_ask("job id R-20331, backend eng. sending cv rn. owe u a coffee")


@pytest.mark.parametrize(
    ("body", "outcome"),
    [
        ("Wrote and uploaded the letter. Fingers crossed for you!", "done"),
        ("The recruiter called me yesterday and I gave you a glowing review.", "done"),
        ("All taken care of. Good luck!", "done"),
        ("I will forward your CV to the HR manager by Monday and put in a good word.", "agreed"),
        ("Sure thing, I'm happy to refer you. Send the CV over and I'll submit it.", "agreed"),
        ("Ok, send me your latest resume and I will forward it.", "needs_info"),
        ("Did you apply for the junior or senior role?", "needs_info"),
        ("I'm swamped until the end of the year and can't take this on. Sorry!", "declined"),
        ("I talked to my friend there and they're not hiring, so I don't think an intro makes "
         "sense. Sorry.", "declined"),
        ("Thanks for reaching out. Things are hectic here; let me see what I can do.", "other"),
        ("Hi Suresh, long time! Still in Chennai? Let's talk on phone this evening.", "other"),
        ("Of course! Send me the flyer and I'll give it to my neighbours.", "agreed"),
        ("Sure, I can be one of your references. Send the form over when you're ready.", "agreed"),
        ("Ok, send me your latest resume and I will forward it.", "needs_info"),
        ("Interesting! How long have you been thinking about it?", "other"),
        ("I've nominated you through the portal, keep an eye on your inbox.", "done"),
        ("I can't, our referral tool is only for roles in my own team.", "declined"),
        ("Happy to help. Kindly send me the one-page note and I will introduce you to her next week.",
         "agreed"),
        ("I would be very happy to act as one of your referees. Please give the board my details.",
         "agreed"),
        ("I should be glad to consider this, but could you first send me an account of your work.",
         "needs_info"),
        ("Before I approach anyone, could you let me have a short note on the scope?", "needs_info"),
        ("I'll ask her, but first tell me your phone number.", "needs_info"),
        ("The flat is lovely. Small matter: could you send someone over to fix the door?", "other"),
        ("Great that she is so set on it. I'll check around and see what I hear.", "other"),
        ("I'd love to hear what is going on over there. Lunch next week?", "other"),
        ("I'll put the referral into Workday tomorrow. You'll get an automated email once it goes "
         "through.", "agreed"),
        ("left it! thanks for the quick turnaround", "done"),
        ("I'm so sorry but I have to pass - a hard rule against blurbs. I'll happily share it.",
         "declined"),
        ("ah she retired last year! so no can do, sorry", "declined"),
        ("Yes, I shall provide the reference. Please send me the essays when convenient.", "agreed"),
        ("Absolutely. Happy to be a reference. Send me the summary so I have the dates straight.",
         "agreed"),
        ("Yes, I would be glad to write for you. I will upload it before I leave; please register "
         "me on the portals.", "agreed"),
        ("So I am going to decline to forward your CV. I hope you understand.", "declined"),
        ("As a policy I do not write LinkedIn recommendations for students.", "declined"),
        ("I'm on the panel, so I have to stay neutral and I can't advocate for any candidate.",
         "declined"),
        ("Aw, I wish! I don't know a soul there, sorry.", "declined"),
        ("I am willing in principle, but I cannot write a letter without knowing the format. Please "
         "send the form.", "needs_info"),
        ("I retired two years ago and I'm not sure who is still there. I will check with old "
         "colleagues.", "other"),
        ("I will be in Hanoi on 10-12 December. Perhaps we can meet there?", "other"),
        ("Done - I submitted Tara through our referral form this morning.", "done"),
        ("happy to, will ping dana today", "agreed"),
        ("fwded ur cv to sarah w a nice note", "done"),
        ("took the reference call yday, went well i think", "done"),
        ("sry cant", "declined"),
        ("ah sorry, we're not allowed to refer for teams outside our org", "declined"),
        ("whats the req # + link", "needs_info"),
        ("It would be my pleasure. Please send me the links; I will make sure the letters are in "
         "before 15 December.", "agreed"),
        ("Letter attached and also sent to Mr Botha at the agency this morning.", "done"),
        ("Intro to Sam just went out, you're cc'd. I don't know the EIP folks well enough, sorry.",
         "done"),
        ("Company policy here prohibits managers from writing public recommendations. Sorry!",
         "declined"),
        ("I'm happy to consider it, but I would need your updated CV and certificate number first.",
         "needs_info"),
        ("Got this, I'm at a workshop all week, I'll read it properly when I'm back.", "other"),
        ("Thursday works, come by around 7 - I'll make the lentil soup you like.", "other"),
        ("Yes, of course, put me down as your referee. I'll fill in the form when it arrives.",
         "agreed"),
        ("I'm not sure who handles vendors now. I'll ask around, but I can't promise anything.",
         "other"),
        ("I would be happy to write letters for both. Please send me your CV; I will submit well "
         "before the 8th.", "agreed"),
        ("Attached you find the reference letter, signed and scanned.", "done"),
        ("Sure yaar. But I need your updated CV first.", "needs_info"),
        ("Yes, I think he would like your work. But please send me first a short description.",
         "needs_info"),
        ("Yes I'll take the call - send HR my cell.", "agreed"),
        ("I am willing to write the letter. Please send me your proposal. Also: is the letter "
         "uploaded by me directly, or do you need a signed PDF?", "needs_info"),
        ("I have considered your request carefully. I must therefore decline, with regret.",
         "declined"),
        ("For your records: the letters for Delft and Imperial were submitted on Friday.", "done"),
        ("I can confirm that the panel chair has been informed of your application.", "done"),
        ("I'm going to hold off on this one, sorry - we're mid-way through another deal.", "declined"),
        ("wish I could but I'm on the tools till March. Ask Shaz.", "declined"),
        ("sure - can you send me your resume as a PDF? the referral form won't let me submit without "
         "one", "needs_info"),
        ("Absolutely. I'll walk her through your numbers when she's back. Send me the brag sheet in "
         "the meantime.", "agreed"),
        ("Happy to help! Our referral form needs her email address and the req ID.", "needs_info"),
        ("We'll both write reviews tonight after dinner, promise!!", "agreed"),
        ("Of course I'll think about it - but first I need your brag sheet and the exact prompt.",
         "needs_info"),
        ("Yes in principle - but send me 3-4 bullets on what you'd like me to highlight.",
         "needs_info"),
        ("Ravi - sorry, I've been buried. Are you still based in Cambridge? We should grab dinner.",
         "other"),
        ("I have a strict no-blurb policy this year after a very bad experience. I'm so sorry.",
         "declined"),
        ("lol I love you but no. It's a first meeting for me too.", "declined"),
        ("I've asked my assistant to send the signed letter to your attorney - it should be in their "
         "inbox already.", "done"),
        ("I can say no, but I won't. Put me down. My EA will find a slot for the call.", "agreed"),
        ("Your resume is on my VP's desk - literally, printed. Recruiter should be in touch.", "done"),
        ("I'd be glad to write for you. I'll submit before the deadline - please make sure each "
         "program has sent me the request link.", "agreed"),
        ("Caleb, don't let your mother tell you the pie is fine. Sure, I'll walk your resume over to "
         "Carol in HR on Monday.", "agreed"),
        ("Tyler, Absolutely, I'd be happy to. Send me the form and I'll get it done before the 10th.",
         "agreed"),
        ("Hi sweetheart, I emailed Jim last night and cc'd you - check your inbox (maybe spam?).",
         "done"),
        ("I've signed and returned the letter to your attorney, with a few edits.", "done"),
        ("Yes, I can likely help. Could you send me your CV and draft statement? Dr. M\nSent from my "
         "mobile.", "needs_info"),
        ("lol i would but i just put in my 2 weeks notice yesterday, sorry!!", "declined"),
        ("I need to decline - I'm still under an advisory agreement.", "declined"),
        ("Fine with me - I'll revise the draft and sign it the first week of December.", "agreed"),
        ("Happy to consider it. Before I decide, please send me:\n- your transcript\n- the list",
         "needs_info"),
    ],
)  # fmt: skip
def test_classify_reply_composed_meanings(body: str, outcome: str) -> None:
    r = classify_reply(subject="Re: favour", body=body)
    assert r.outcome == outcome, r.reason


def test_classify_reply_negated_done_is_not_done() -> None:
    r = classify_reply(subject="Re: x", body="I haven't referred you yet, but I will this week.")
    assert r.outcome == "agreed"


def test_classify_reply_auto_reply_from_headers_with_return_date() -> None:
    r = classify_reply(
        subject="Re: referral",
        body="I am away with limited access to email and back on Monday 3 November.",
        headers={"Auto-Submitted": "auto-replied"},
        today=TODAY,
    )
    assert r.outcome == "auto_reply"
    assert r.return_date == date(2026, 11, 3)
    assert "2026-11-03" in r.reason


def test_classify_reply_auto_reply_from_subject_only() -> None:
    r = classify_reply(subject="Out of Office", body="Back 11/03.", today=TODAY)
    assert r.outcome == "auto_reply" and r.return_date == date(2026, 11, 3)


def test_classify_reply_traveling_human_is_not_auto_reply() -> None:
    r = classify_reply(subject="Re: x", body="I'm traveling this week but will look when I'm back.")
    assert r.outcome != "auto_reply"


def test_classify_reply_bounce_from_headers_and_address() -> None:
    r = classify_reply(
        subject="Delivery Status Notification (Failure)",
        body="Your message wasn't delivered to gone@example.com because the address couldn't be found.",
        headers={"From": "Mail Delivery Subsystem <mailer-daemon@googlemail.com>",
                 "X-Failed-Recipients": "gone@example.com"},
    )  # fmt: skip
    assert r.outcome == "bounce"
    assert r.bounced_address == "gone@example.com"


def test_classify_reply_bounce_from_multipart_report_final_recipient() -> None:
    r = classify_reply(
        subject="Returned mail",
        body="Final-Recipient: rfc822; old@example.org\nAction: failed\nStatus: 5.1.1",
        headers={"Content-Type": "multipart/report; report-type=delivery-status; boundary=x"},
    )
    assert r.outcome == "bounce" and r.bounced_address == "old@example.org"


def test_classify_reply_human_mentioning_delivery_is_not_bounce() -> None:
    r = classify_reply(
        subject="Re: x",
        body="Sorry, your first email could not be delivered to my spam-free inbox? Anyway, happy to help!",
    )
    assert r.outcome != "bounce"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'm back on Monday 3 November.", date(2026, 11, 3)),
        ("Out of the office until 11/03.", date(2026, 11, 3)),
        ("Returning 2026-11-03.", date(2026, 11, 3)),
        ("Ich bin ab dem 4.11. wieder da, zurück am 3.11.", date(2026, 11, 4)),
        ("Ich bin zurück am 3.11.", date(2026, 11, 3)),
        ("I'll be back Nov 3rd.", date(2026, 11, 3)),
        ("Je suis de retour le 3 novembre.", date(2026, 11, 3)),
        ("Back tomorrow.", date(2026, 10, 29)),
        ("Back next Tuesday.", date(2026, 11, 3)),
        ("Away until 14/11.", date(2026, 11, 14)),
        ("Back on January 12, 2027.", date(2027, 1, 12)),
        (
            "12月26日から1月5日まで休暇をいただいております。1月6日より通常業務に戻ります。",
            date(2027, 1, 6),
        ),
        ("我将于2026年11月30日返回办公室。", date(2026, 11, 30)),
        (
            "Je suis absent jusqu'au 2 décembre inclus, et de retour le 3 décembre.",
            date(2026, 12, 3),
        ),
        ("No date in here at all.", None),
    ],
)
def test_find_return_date_common_formats(text: str, expected: date | None) -> None:
    assert find_return_date(text, today=TODAY) == expected


def test_find_return_date_without_year_rolls_forward() -> None:
    assert find_return_date("back on 5 January", today=date(2026, 12, 20)) == date(2027, 1, 5)


def test_may_be_ask_passes_asks_and_rejects_ordinary_mail() -> None:
    assert may_be_ask(subject="Quick favor", snippet="would you put my name forward for")
    assert may_be_ask(subject="", snippet="could you vouch for me with the team")
    assert not may_be_ask(subject="Lunch", snippet="Want to grab lunch on Tuesday?")
    assert not may_be_ask(subject="Q3 numbers", snippet="Revenue was up 12% year over year.")


def _gmail_matches(subject: str, body: str) -> bool:
    """Gmail's whole-word / quoted-phrase semantics for GMAIL_PREFILTER_TERMS joined with OR."""
    norm = " ".join(re.findall(r"[\w']+", f"{subject} {body}".lower()))
    words = set(norm.split())
    for term in GMAIL_PREFILTER_TERMS:
        if term.startswith('"'):
            if re.search(rf"\b{re.escape(term.strip(chr(34)))}\b", norm):
                return True
        elif term in words:
            return True
    return False


def _labelled_rows(*names: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for name in names:
        with (LABELLED / name).open(encoding="utf-8") as fh:
            rows.extend(json.loads(line) for line in fh if line.strip())
    return rows


def test_prefilters_keep_recall_on_labelled_asks() -> None:
    asks = [
        r for r in _labelled_rows(*sorted(p.name for p in LABELLED.glob("*.jsonl")))
        if r["direction"] == "sent" and r["expected"]["is_ask"]  # type: ignore[index]
    ]  # fmt: skip
    assert len(asks) >= 200
    from core.text import html_to_text, looks_like_html

    def plain(b: str) -> str:
        return html_to_text(b, strip_quotes=False) if looks_like_html(b) else b

    snippet_hits = sum(
        may_be_ask(
            subject=str(r["subject"]), snippet=re.sub(r"\s+", " ", plain(str(r["body"])))[:200]
        )
        for r in asks
    )
    # The Gmail q holds English words only (config gmail.prefilter = false reads every sent
    # message instead); asks written in Spanish, French, German, Portuguese, Italian or Dutch
    # (fresh_i) are held to the snippet check alone.
    english = [r for r in asks if not looks_foreign(str(r["body"]).lower())]
    assert len(asks) - len(english) >= 50
    gmail_hits = sum(_gmail_matches(str(r["subject"]), plain(str(r["body"]))) for r in english)
    # A snippet is the first 200 characters: an ask buried after a long catch-up (fresh_c, fresh_k
    # and fresh_o have many by design: "Your gallery is ready! ... and if friends need a
    # photographer...") cannot show there, so the snippet check is the weaker one (0.948 on
    # 2026-11-23, 1,791 of 1,889 asks).
    assert snippet_hits / len(asks) >= 0.94
    assert gmail_hits / len(english) >= 0.99


def test_snippet_rules_out_only_what_it_sees_whole() -> None:
    assert snippet_rules_out_ask("Want to grab lunch on Tuesday? The usual place works for me.")
    # the user's text ends at the quote header; the ask below it is someone else's
    assert snippet_rules_out_ask(
        "Sounds good, see you then. On Tue, Oct 20, 2026 at 9:14 AM Ann <ann@corp.example> "
        "wrote: > could you refer me for the data role?"
    )
    assert not snippet_rules_out_ask("Would you be up for it? It would mean a lot.")  # subject?
    assert not snippet_rules_out_ask("Could you refer me for the data role at Acme?")
    assert not snippet_rules_out_ask("Thanks for the chat about the role. " * 6)  # cut off
    assert not snippet_rules_out_ask(
        "You mentioned Priya on the growth team - would you be open to putting us in touch? "
        "On Tue, Oct 20 Sam wrote: Great meeting you!"
    )


def test_snippet_rules_out_no_labelled_ask_the_classifier_finds() -> None:
    from core.text import html_to_text, looks_like_html

    rows = [
        r for r in _labelled_rows(*sorted(p.name for p in LABELLED.glob("*.jsonl")))
        if r["direction"] == "sent"
    ]  # fmt: skip
    ruled_out = {True: 0, False: 0}
    for r in rows:
        body = str(r["body"])
        plain = html_to_text(body, strip_quotes=False) if looks_like_html(body) else body
        snippet = " ".join(plain.split())[:200]  # what Gmail shows of it
        if snippet_rules_out_ask(snippet):
            is_ask = classify_sent(
                subject=str(r["subject"]), body=visible_text(text=plain, html=None)
            ).is_ask
            ruled_out[is_ask] += 1
    # Known gap: an ask answered inline or below the quote after a complete-looking first line
    # ("Hi Ben, Thanks for hosting, the pizza was A+. > On Sun ... wrote: ... [ask]"); fresh_t
    # has four by design. A snippet cannot tell them from a finished top-posted reply.
    assert ruled_out[True] <= 0.003 * sum(1 for r in rows if r["expected"]["is_ask"])
    non_asks = sum(1 for r in rows if not r["expected"]["is_ask"])
    # It does rule out ordinary mail: 461 of the 1,578 labelled non-asks (29 %) on 2026-11-23
    # (341 of 808 before the formal, long and hard-negative sets W, X, Z and AA came in: the
    # formal, HTML and quoted-history sets hold fewer that a 200-character snippet shows whole).
    assert ruled_out[False] >= 0.25 * non_asks


def test_labelled_set_meets_quality_bar() -> None:
    rows = _labelled_rows(*sorted(p.name for p in LABELLED.glob("*.jsonl")))
    sent = [r for r in rows if r["direction"] == "sent"]
    received = [r for r in rows if r["direction"] == "received"]
    assert len(sent) >= 300 and len(received) >= 250
    rep = evaluate_rows(rows)
    assert rep.ask is not None and rep.ask.f1 >= 0.95
    assert rep.kind_accuracy is not None and rep.kind_accuracy >= 0.9
    assert rep.outcome_macro_f1 is not None and rep.outcome_macro_f1 >= 0.9


def test_classify_row_contract_and_bad_rows() -> None:
    out = classify_row({"id": "1", "direction": "sent", "subject": "s", "body": "refer me please?"})
    assert list(out)[:6] == ["id", "is_ask", "kind", "outcome", "confidence", "reason"]
    assert out["outcome"] is None and isinstance(out["is_ask"], bool)
    out = classify_row({"id": "2", "direction": "received", "subject": "", "body": "Sure!"})
    assert out["is_ask"] is None and out["kind"] is None and out["outcome"] == "agreed"
    with pytest.raises(ValueError, match="direction"):
        classify_row({"id": "3", "direction": "up", "subject": "", "body": ""})
    with pytest.raises(ValueError, match="JSON object"):
        classify_row(["not", "a", "dict"])


def test_gmail_prefilter_query_stays_a_short_get() -> None:
    # googleapiclient turns a list call whose URI passes 2,048 characters into a POST with a
    # method override; keep the encoded query well under that (about 150 left for the rest).
    from urllib.parse import urlencode

    q = "after:1700000000 (" + " OR ".join(GMAIL_PREFILTER_TERMS) + ")"
    assert len(urlencode({"q": q})) <= 1900
    assert len(set(GMAIL_PREFILTER_TERMS)) == len(GMAIL_PREFILTER_TERMS)


def test_classify_reply_bounce_address_from_sendmail_and_localised_notices() -> None:
    sendmail = classify_reply(
        subject="Returned mail: see transcript for details",
        body="----- Transcript of session follows -----\n550 5.1.1 <kb@vantage.example>... "
        "User unknown\n\nFrom: jess.tran@example.com",
        headers={"From": "MAILER-DAEMON@mx.example"},
    )
    assert sendmail.outcome == "bounce" and sendmail.bounced_address == "kb@vantage.example"
    german = classify_reply(
        subject="Unzustellbar: Angebot",
        body="Ihre Nachricht an d.weber@moebel.example konnte nicht zugestellt werden.",
        headers={"From": "postmaster@moebel.example"},
    )
    assert german.outcome == "bounce" and german.bounced_address == "d.weber@moebel.example"
