"""Seeded synthetic mailboxes for the emulators, the benchmarks and the demo, with ground truth.

``generate_mailbox`` builds a provider-neutral ``Mailbox`` (see ``mailbox.py``) that looks like a
real person's mail: mostly ordinary sent mail (work notes, scheduling, replies, invoices, personal
notes), received noise (newsletters, notifications, colleagues), a share of referral asks of the
four kinds, hard negatives that look like asks but are not, and the replies an ask draws (agreed,
done, declined, needs_info, auto_reply, bounce, other), the user's nudges and thank-yous.

``load_demo_mailbox`` loads the bundled demo mailbox (one per provider) that
``scripts/make_demo_mailbox.py`` writes with ``build_demo_mailbox``; at ``DEMO_TODAY`` every digest
section has something in it.

Invariants (checked by tests/connectors/test_generator.py):
- Deterministic: the same arguments give the same mailbox, byte for byte.
- ``sent`` is exactly the number of messages with direction "sent".
- Messages are in time order; ids are ``m000001``…, thread keys ``t00001``… by first appearance.
- Every date is aware UTC, inside ``[start, start + days)``; within a thread dates strictly
  increase, and every ``in_reply_to`` names an earlier message of the same thread whose id ends
  ``references``. Message-IDs are unique, ``<hex>@mail.<sender domain>`` without brackets.
- Addresses are lower-case. A reply in an ask thread comes from the person asked, except a bounce,
  which comes from a mailer-daemon/postmaster and names the failed address and an SMTP status.

Ground truth (``Truth``):
- A sent message that opens an ask thread has ``is_ask=True``, its ``kind`` and, when the text
  names one, the target ``company``. Every other sent message (ordinary mail, hard negatives, the
  user's nudges, answers and thank-yous inside an ask thread) has ``is_ask=False``.
- A received message in an ask thread that answers it carries ``outcome``; received messages
  elsewhere carry no truth.
"""

from __future__ import annotations

import gzip
import html as html_lib
import importlib.resources
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from connectors.emulators.mailbox import FixtureMessage, Mailbox, Person, Truth

__all__ = [
    "ASK_KINDS",
    "DEMO_TODAY",
    "OUTCOMES",
    "build_demo_mailbox",
    "demo_file_name",
    "generate_mailbox",
    "load_demo_mailbox",
]

ASK_KINDS: tuple[str, ...] = ("job_referral", "introduction", "recommendation", "client_referral")
OUTCOMES: tuple[str, ...] = (
    "agreed",
    "done",
    "declined",
    "needs_info",
    "auto_reply",
    "bounce",
    "other",
)

#: The demo's fixed "today": a Wednesday, early afternoon in New York.
DEMO_TODAY: datetime = datetime(2026, 11, 18, 13, 0, tzinfo=ZoneInfo("UTC"))
UTC = ZoneInfo("UTC")
#: A ``_Step.return_date`` meaning "a few days after the auto-reply is sent".
RELATIVE_RETURN = date(1970, 1, 1)

# ---------------------------------------------------------------------------------------------
# Vocabulary. Fictional people and companies; combined at random so phrasing varies widely.
# ---------------------------------------------------------------------------------------------

FIRST_NAMES = (
    "Aisha", "Ben", "Carmen", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jamal",
    "Keiko", "Liam", "Maya", "Noah", "Olga", "Priya", "Quentin", "Rosa", "Sanjay", "Tessa",
    "Umar", "Valeria", "Wes", "Xin", "Yusuf", "Zoe", "Andre", "Bianca", "Chidi", "Dana",
    "Emeka", "Fiona", "Gabriel", "Hannah", "Ivan", "Julia", "Kofi", "Lena", "Marcus", "Nadia",
    "Oscar", "Paula", "Rafael", "Sofia", "Tom", "Uma", "Victor", "Wendy", "Yara", "Zane",
    "Mei", "Arjun", "Chloe", "Diego", "Erin", "Felix", "Gwen", "Hector", "Isla", "Jonah",
)  # fmt: skip
LAST_NAMES = (
    "Abbott", "Banerjee", "Castillo", "Dubois", "Eriksen", "Fitzgerald", "Goldberg", "Haddad",
    "Ibrahim", "Jensen", "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov",
    "Quinn", "Reyes", "Schmidt", "Tanaka", "Ueda", "Vasquez", "Whitaker", "Xu", "Yilmaz",
    "Zhang", "Alvarez", "Brennan", "Chowdhury", "Delgado", "Ellison", "Ferreira", "Gallagher",
    "Holm", "Iyer", "Jovanovic", "Kim", "Lombardi", "Mensah", "Novak", "O'Brien", "Park",
    "Rossi", "Sato", "Thompson", "Umeh", "Varga", "Walsh", "Young", "Zimmerman",
)  # fmt: skip
COMPANIES: tuple[tuple[str, str], ...] = (
    ("Northwind Analytics", "northwindanalytics.com"), ("Globex Systems", "globexsystems.io"),
    ("Brightline Health", "brightlinehealth.com"), ("Quillfeather", "quillfeather.co"),
    ("Tidewater Robotics", "tidewaterrobotics.com"), ("Lumen & Vale", "lumenvale.com"),
    ("Copperleaf Bank", "copperleafbank.com"), ("Hollowbrook Games", "hollowbrook.gg"),
    ("Stratos Aerospace", "stratos-aero.com"), ("Pinecrest Labs", "pinecrestlabs.ai"),
    ("Bluefin Logistics", "bluefinlogistics.com"), ("Marigold Media", "marigoldmedia.com"),
    ("Ironclad Security", "ironcladsec.io"), ("Saffron Foods", "saffronfoods.com"),
    ("Vantage Point Capital", "vantagepointcap.com"), ("Orchard Software", "orchardsoftware.dev"),
    ("Keystone Energy", "keystone-energy.com"), ("Nimbus Cloudworks", "nimbuscloudworks.com"),
    ("Redwood Learning", "redwoodlearning.org"), ("Helix Biotherapeutics", "helixbio.com"),
    ("Cobalt Payments", "cobaltpay.com"), ("Summit Outdoor Co.", "summitoutdoor.co"),
    ("Fernhill Architects", "fernhillarch.com"), ("Atlas Freight", "atlasfreight.net"),
    ("Mosaic Health Partners", "mosaichp.com"), ("Driftwood Studios", "driftwoodstudios.tv"),
    ("Parallax Data", "parallaxdata.io"), ("Evergreen Insurance", "evergreenins.com"),
    ("Silverline Telecom", "silverlinetel.com"), ("Kestrel Ventures", "kestrel.vc"),
)  # fmt: skip
PERSONAL_DOMAINS = (
    "gmail.com",
    "outlook.com",
    "yahoo.com",
    "icloud.com",
    "fastmail.com",
    "proton.me",
)
ROLES = (
    "Senior Product Manager", "Data Scientist", "Backend Engineer", "Staff Software Engineer",
    "UX Researcher", "Product Designer", "Engineering Manager", "Marketing Manager",
    "Financial Analyst", "Customer Success Lead", "DevOps Engineer", "Technical Writer",
    "Solutions Architect", "Program Manager", "Data Engineer", "Account Executive",
    "Machine Learning Engineer", "Operations Manager", "Content Strategist", "QA Lead",
    "Frontend Engineer", "Business Analyst", "Head of Growth", "Security Engineer",
)  # fmt: skip
TEAMS = (
    "platform", "payments", "growth", "data", "design systems", "infrastructure", "mobile",
    "research", "partnerships", "risk", "analytics", "developer experience", "brand",
)  # fmt: skip
FIELDS = ("product", "data science", "design", "engineering", "marketing", "operations", "finance")
TOPICS = (
    "their recommendation engine", "the new checkout flow", "climate risk models",
    "developer tooling", "the mobile rewrite", "pricing experiments", "clinical data pipelines",
    "their open-source SDK", "the fraud team", "supply-chain forecasting",
)  # fmt: skip
PROJECTS = (
    "the Q3 migration", "the onboarding redesign", "the Atlas dashboard", "the pricing study",
    "the data warehouse project", "the brand refresh", "the API launch", "the hackathon",
    "the customer research sprint", "the billing rewrite", "the website relaunch",
)  # fmt: skip
PROGRAMS = (
    "the MBA program at Wharton", "the data science fellowship", "the Fulbright program",
    "the leadership program at my new company", "a master's in HCI", "the Insight fellowship",
)  # fmt: skip
SERVICES = (
    ("brand design", "brand designer"), ("bookkeeping", "bookkeeper"),
    ("web development", "web developer"), ("UX audits", "UX consultant"),
    ("data analytics", "analytics consultant"), ("copywriting", "copywriter"),
    ("product strategy", "product consultant"), ("photography", "photographer"),
)  # fmt: skip
SKILLS = (
    "SQL",
    "product strategy",
    "Python",
    "user research",
    "stakeholder management",
    "roadmapping",
)
EVENTS = ("the meetup", "Priya's wedding", "the conference", "the alumni mixer", "the offsite")
CITIES = ("Boston", "Austin", "Denver", "Chicago", "Seattle", "Toronto", "Brooklyn", "Atlanta")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
HOURS = ("9:30", "10", "11", "noon", "1", "2:30", "3", "4", "4:30")

# ---------------------------------------------------------------------------------------------
# Ask phrasing. Each template is formatted with the slots of ``_Slots``; an item that names a
# company says so, so the ground truth records the company only when the text states it.
# ---------------------------------------------------------------------------------------------

GREETINGS = (
    "Hi {first},", "Hey {first}!", "Dear {first},", "Hello {first},", "{first} —", "Hi {first}",
    "Good morning {first},", "Dear {first} {last},", "Hey {first},", "Hi there {first},", "",
)  # fmt: skip
OPENERS = (
    "Hope you're doing well.", "I hope this note finds you well.", "Long time no see!",
    "It was great catching up at {event} last month.", "Congrats on the new role, by the way!",
    "Hope the fall is treating you well.", "Thanks again for the coffee last week.",
    "I know you're slammed, so I'll keep this short.", "Hope all is well with you and the family.",
    "Saw your post about {topic} — really interesting stuff.", "It's been a while!", "", "",
)  # fmt: skip
CONTEXTS = (
    "As you might have heard, I'm looking for my next role after {months} great years at {old_company}.",
    "I've been job hunting since my team at {old_company} was restructured in the summer.",
    "I'm exploring a move into {field} and have been talking to a few teams.",
    "I've been freelancing for a while, but I'm ready to go back full time.",
    "I just wrapped up my contract at {old_company} and I'm looking at what's next.",
    "", "", "",
)  # fmt: skip

# (template, names company)
JOB_ASKS: tuple[tuple[str, bool], ...] = (
    ("I'm applying for the {role} role at {company} and was wondering if you'd be willing to refer me.", True),
    ("I saw that {company} has an opening for a {role} (job ID {job_id}). Would you be comfortable submitting an employee referral for me?", True),
    ("Would you put my name forward for the {role} position on your team?", False),
    ("Any chance you could flag my application to the hiring manager for the {role} opening at {company}?", True),
    ("Could you vouch for me for the {role} opening at {company}? I think I'd be a strong fit.", True),
    ("I'd be really grateful if you could pass my resume along to the recruiter for the {role} role.", False),
    ("Is {company} hiring right now? If there's a {role} opening, would you mind referring me internally?", True),
    ("If you think I'd be a fit, could you submit me through your internal referral portal for {role} (req {job_id})?", False),
    ("quick favor — could you refer me for the {role} job at {company}? here's the link: {url}", True),
    ("Would you keep me in mind and pass my name along if anything opens up on the {team} team at {company}?", True),
    ("Would you be open to recommending me for the {role} position? A word from you would carry a lot of weight with the hiring team.", False),
    ("{company} is at the top of my list, and I noticed the {role} posting. Would you be willing to put in a good word for me?", True),
    ("I'm hoping to get my application for {role} in front of someone at {company}. Would you be able to submit it as a referral? I know referrals get looked at first.", True),
    ("Could I ask you to refer me for {role}? I applied online but I think it went into a black hole.", False),
    ("would you be up for referring me to {company}? totally fine if not", True),
    ("Would you be willing to forward my resume to the hiring manager for the {role} role and put in a word for me?", False),
    ("I am writing to ask whether you would be willing to recommend me internally for the {role} vacancy at {company}.", True),
    ("Would you be comfortable telling the recruiting team you know me? I've applied for {role} and a word from an insider would help.", False),
)  # fmt: skip
INTRO_ASKS: tuple[tuple[str, bool], ...] = (
    ("Do you know anyone at {company} you could connect me with? I'm exploring {field} roles there.", True),
    ("Would you be willing to introduce me to {target}? I'd love to hear about {target_first}'s work on {topic} at {company}.", True),
    ("I noticed you're connected with {target} on LinkedIn. Would you be comfortable making an intro?", False),
    ("Could you connect me with someone on the {team} team at {company}?", True),
    ("Would you mind making a quick email introduction to {target}? Happy to write a blurb you can forward.", False),
    ("If you know anyone in {field} at {company}, I'd be grateful for an introduction.", True),
    ("Could you put me in touch with {target}? I'm told {target_first} is the person to talk to about {topic}.", False),
    ("I'm trying to get a conversation going with someone at {company} about their {team} team — any chance you could link us up?", True),
    ("Do you know anyone hiring in {field} in {city}? I'd love an intro if someone comes to mind.", False),
    ("would you introduce me to your friend {target_first} at {company}? you mentioned they're growing the {team} team", True),
    ("Since you worked with {target} at {company}, would you feel comfortable connecting the two of us?", True),
    ("I would be most grateful if you could introduce me to a colleague of yours in {field} at {company}.", True),
    ("do you know anyone at {company}? would love to pick someone's brain about the {team} team", True),
)  # fmt: skip
REC_ASKS: tuple[tuple[str, bool], ...] = (
    ("Would you be willing to write me a LinkedIn recommendation? We worked together on {project} and I think you saw my work up close.", False),
    ("{company} asked for two professional references. Could I list you as one? They'd likely call in the next week or so.", True),
    ("Would you be open to being a reference for me? I'm in the final round for a {role} role.", False),
    ("I'm applying to {program} and need a letter of recommendation. Would you be willing to write one? The deadline is {deadline}.", False),
    ("Could you write a short testimonial about our work on {project} that I can use on my website?", False),
    ("Would you be comfortable vouching for me if the hiring manager at {company} reaches out?", True),
    ("Would you mind writing a few lines of recommendation on LinkedIn about my {skill} work?", False),
    ("Can I put you down as a reference for the {role} role at {company}?", True),
    ("I'm collecting a couple of testimonials from past clients — would you be willing to write two or three sentences about {project}?", False),
    ("The recruiter at {company} asked whether a former manager could speak to my work. Would you be willing to take a short reference call?", True),
    ("Could you write a recommendation letter for me? It would mean a lot coming from you.", False),
    ("Would you be willing to serve as a professional reference for me? It's for a {role} position.", False),
    ("could you vouch for me? {company} wants to talk to someone I've worked with", True),
)  # fmt: skip
CLIENT_ASKS: tuple[tuple[str, bool], ...] = (
    ("If you know anyone else who could use help with {service}, I'd be grateful if you'd pass my name along.", False),
    ("I'm taking on a couple of new clients in {month}. If anyone in your network needs {service}, would you mind sending them my way?", False),
    ("Would you keep me in mind and pass my name along to anyone who needs {service}?", False),
    ("Most of my work comes through word of mouth, so if you were happy with {project}, I'd really appreciate an introduction to anyone who might need something similar.", False),
    ("Know anyone who needs a {service_person}? I'd love a referral.", False),
    ("If a colleague mentions needing {service}, could you share my contact info with them?", False),
    ("If anyone at {company} needs {service}, would you mention my name? I'd love to work with more teams there.", True),
    ("Now that {project} is live, I have some room on my calendar — if you hear of anyone looking for a {service_person}, please send them my way!", False),
    ("It would mean a lot if you'd recommend my {service} services to friends or colleagues who might need them.", False),
    ("If you've been happy with my work, I'd be grateful if you would mention me to anyone who might need {service}.", False),
    ("Do you know any other teams who could use a {service_person}? An introduction would mean a lot.", False),
)  # fmt: skip
ASK_TEMPLATES: dict[str, tuple[tuple[str, bool], ...]] = {
    "job_referral": JOB_ASKS,
    "introduction": INTRO_ASKS,
    "recommendation": REC_ASKS,
    "client_referral": CLIENT_ASKS,
}
ASK_DETAILS: dict[str, tuple[str, ...]] = {
    "job_referral": (
        "I've attached my resume, and here's the posting: {url}",
        "Happy to send a short blurb you can forward.",
        "The posting closes on {deadline}, so there's a bit of time.",
        "I've spent the last {months} years doing very similar work, so I think it's a good match.",
        "I can send over my resume and a couple of lines on why I'm interested.",
        "Here's the link: {url}",
        "", "", "",
    ),
    "introduction": (
        "I'm happy to write a short forwardable note about myself.",
        "Even fifteen minutes on the phone with them would be really helpful.",
        "I'm not asking for a job, just trying to understand how the team works.",
        "", "", "",
    ),
    "recommendation": (
        "I can send you a few bullet points to jog your memory if that helps.",
        "It doesn't need to be long — a few sentences would be perfect.",
        "I'll send the details of who might call and when.",
        "", "",
    ),
    "client_referral": (
        "I've attached a one-page overview you can forward.",
        "My site has a few case studies: {url}",
        "", "",
    ),
}  # fmt: skip
CLOSERS = (
    "Thanks so much!", "Thanks in advance.", "Totally understand if it's not a good time.",
    "Really appreciate it.", "No pressure at all if you'd rather not.", "Let me know either way!",
    "Thank you for considering it.", "I'd owe you one!", "Thanks for thinking about it.", "", "",
)  # fmt: skip
SIGN_OFFS = (
    "Best,\n{me}", "Thanks,\n{me}", "— {me}", "Cheers,\n{me}", "Warmly,\n{me}", "{me}",
    "Best regards,\n{me_full}\n{phone}", "All the best,\n{me_full}", "Thank you,\n{me_full}",
    "Talk soon,\n{me}",
)  # fmt: skip
ASK_SUBJECTS: dict[str, tuple[str, ...]] = {
    "job_referral": (
        "Referral for {role} at {company}?", "Quick favor", "{role} opening at {company}",
        "Question about {company}", "A favor to ask", "Hi from {me}", "Could you help?",
        "{company} — {role} ({job_id})", "Coffee + a small ask", "long shot", "Job at {company}",
        "checking in", "{role} role",
    ),
    "introduction": (
        "Intro to {target}?", "Connecting with someone at {company}", "Introduction request",
        "Anyone at {company}?", "Quick question", "Would you introduce us?", "A small favor",
    ),
    "recommendation": (
        "LinkedIn recommendation?", "Reference request", "Would you be a reference?",
        "Letter of recommendation", "Testimonial?", "A favor — reference for {company}",
        "Quick ask", "Recommendation",
    ),
    "client_referral": (
        "Thank you + a small favor", "Taking on new clients", "Wrapping up", "Spread the word?",
        "Thanks for a great project", "Checking in", "Quick note",
    ),
}  # fmt: skip

# ---------------------------------------------------------------------------------------------
# Replies to asks, by outcome.
# ---------------------------------------------------------------------------------------------

# Replies that fit any kind of ask, then the ones that only fit one kind.
REPLIES: dict[str, tuple[str, ...]] = {
    "agreed": (
        "Happy to! I'll take care of it this week.",
        "For you, anything. I'll get on it today.",
        "sure, will do!",
        "Of course. Give me a few days and I'll get back to you.",
        "Absolutely — happy to help. Expect something from me early next week.",
    ),
    "done": (
        "Done! Let me know if you need anything else.",
        "All taken care of. Good luck!",
        "Just did it — fingers crossed for you!",
    ),
    "declined": (
        "I'm swamped until the end of the year and can't take this on. Sorry!",
        "I'm going to have to pass on this one, sorry. Hope you understand.",
        "Unfortunately I can't help with this right now.",
    ),
    "needs_info": (
        "Happy to help. What exactly would you like me to say?",
        "Sure — can you send me a few more details first?",
        "Can you remind me which projects we overlapped on? It's been a while.",
    ),
    "other": (
        "Let me think about it and get back to you.",
        "Got it. I'm traveling this week but I'll look at this when I'm back.",
        "Ha, great to hear from you! How's the family?",
        "Let's talk on the phone — can you call me tomorrow afternoon?",
        "Saw this — will reply properly tonight.",
        "Interesting! I didn't know you were looking. Let's grab coffee and talk.",
        "Thanks for reaching out. Things are hectic here; let me see what I can do.",
    ),
}  # fmt: skip
KIND_REPLIES: dict[str, dict[str, tuple[str, ...]]] = {
    "job_referral": {
        "agreed": (
            "Happy to refer you! I'll put your name in this week.",
            "Of course — I'll submit the referral tomorrow morning.",
            "sure, will do! just need to find the referral link",
            "Definitely, I'll flag your application to the hiring manager by Friday.",
        ),
        "done": (
            "Done — I submitted the referral through our portal. You should get an email from the recruiter soon.",
            "All set! I referred you for the role; it should show up as an employee referral.",
            "I forwarded your resume to the hiring manager with a strong note. Good luck!",
            "Just put your name in. Our recruiting team usually responds within a week.",
        ),
        "declined": (
            "I'm sorry, but our company policy only lets me refer people I've worked with directly.",
            "Unfortunately we're in a hiring freeze, so a referral wouldn't go anywhere right now.",
            "Wish I could help, but I left {company} in the spring.",
            "I have to pass on this one — I've already referred someone else for that role.",
        ),
        "needs_info": (
            "Sure — can you send me your resume and the job ID?",
            "Which role exactly? There are a few open ones on the site.",
            "Could you send me the link to the posting? I can't find it on our careers page.",
            "Do you have an updated resume? The one I have is from 2022.",
        ),
    },
    "introduction": {
        "agreed": (
            "Yes! Happy to make the intro. Give me a day or two.",
            "Of course, I'll reach out to {target_first} today and see if they're open to it.",
            "Sure, I'll ask around on the {team} team and connect you with someone.",
        ),
        "done": (
            "I just introduced you two by email — check your inbox.",
            "Intro sent! {target_first} said they'd be glad to chat.",
            "I connected you with a friend on the {team} team; she'll reach out next week.",
        ),
        "declined": (
            "Sorry, I'm not comfortable making that intro; we're not that close.",
            "I don't really know anyone there anymore, sorry! I've been gone almost two years.",
            "I'd rather not reach out to {target_first} right now — it's a sensitive time there.",
        ),
        "needs_info": (
            "Before I reach out, could you send a short blurb about yourself I can forward?",
            "What would you want to talk to them about? I want to frame it right.",
            "Sure — is this about a job, or more of an informational chat?",
        ),
    },
    "recommendation": {
        "agreed": (
            "Sure thing, I'd be glad to be a reference. Give them my cell.",
            "Absolutely. Let me write something up this weekend.",
            "Definitely — happy to vouch for you. Will do it by Friday.",
            "Of course you can list me as a reference.",
        ),
        "done": (
            "Just posted the recommendation on your LinkedIn profile. Let me know if you want any changes!",
            "I sent the reference form back to them this morning. Good luck!",
            "Wrote and uploaded the letter. Fingers crossed for you!",
            "Finished the testimonial, it's below. Feel free to edit for length.",
            "The recruiter called me yesterday and I gave you a glowing review.",
        ),
        "declined": (
            "I'd rather not — I don't feel I know your work well enough to vouch for it.",
            "I'm sorry, but our HR only lets managers confirm dates and titles for references.",
            "I don't think I'm the right person for this; someone who managed you would be better.",
        ),
        "needs_info": (
            "When's the deadline, and who should the letter be addressed to?",
            "Can you send me a few bullet points about what you'd like me to highlight?",
            "Who will be calling me, and roughly when?",
        ),
    },
    "client_referral": {
        "agreed": (
            "Of course I'll pass your name along. I have someone in mind already.",
            "Happy to spread the word — you did great work for us.",
            "Will do! I'll mention you at our next leadership meeting.",
        ),
        "done": (
            "Passed your name along to my friend at {company}; she said she'd reach out next week.",
            "I forwarded your info to two people in my network who were looking for help with {service}.",
            "I mentioned you to our sister company and gave them your email.",
        ),
        "declined": (
            "I don't really know anyone who needs {service} at the moment, sorry!",
            "We keep our vendor list confidential, so I can't share names, sorry.",
        ),
        "needs_info": (
            "Sure! What kinds of projects are you looking for, and what's your rate?",
            "Happy to. Do you have a one-pager I could forward?",
        ),
    },
}  # fmt: skip
KIND_ANSWERS: dict[str, tuple[str, ...]] = {
    "job_referral": (
        "Here you go — my resume is attached, and the job ID is {job_id}.",
        "It's the {role} role: {url}. Resume attached. Thanks again!",
    ),
    "introduction": (
        "Of course! Here's a short blurb: I'm a {role} with {months} years of experience in {field}, most recently at {old_company}.",
        "Mostly an informational chat — I'd love to learn how the {team} team works.",
    ),
    "recommendation": (
        "The deadline is {deadline}; it can be addressed to the admissions committee.",
        "We worked together on {project} — I led the analysis and you were my manager.",
    ),
    "client_referral": (
        "Attached is a one-pager. I'm looking for {service} projects of a month or two.",
        "Here's my one-pager and a couple of case studies: {url}",
    ),
}  # fmt: skip
REPLY_GREETINGS = ("Hi {me},", "Hey {me}!", "{me} —", "Hi {me}", "Hello {me},", "", "", "Hey,")
REPLY_SIGN_OFFS = (
    "{first}",
    "Best,\n{first}",
    "- {first}",
    "Cheers,\n{first}",
    "",
    "Thanks,\n{first}",
)
SIGNATURES = (
    "--\n{full}\n{title} | {company}\n{phone}",
    "{full}\n{title}, {company}",
    "Sent from my iPhone",
    "--\n{full}",
    "{full} | {title}\n{company} · {company_domain}",
)  # fmt: skip
OOO_TEXTS_DATED = (
    "I'm out of the office until {date} with limited access to email. For urgent matters please contact {colleague}.",
    "Thank you for your email. I am currently on annual leave and will return on {date}.",
    "I'm on parental leave until {date}. I'll respond to your message when I'm back.",
    "Auto-reply: I'm traveling through {date} and will respond when I return.",
    "I am out of the office and will be back on {date}. I will have no access to email during this time.",
    "Thanks for your note! I'm away until {date} and checking email only occasionally.",
    "I'm attending a conference and will be back in the office {date}. Expect a delayed response.",
)  # fmt: skip
OOO_TEXTS_UNDATED = (
    "I'm currently out of the office with limited access to email and will reply as soon as I can.",
    "I am away from my desk at the moment. Your email is important to me and I will respond shortly.",
    "Thanks for reaching out! I'm on vacation and will get back to you when I return.",
)  # fmt: skip
# A contact's message that the user answers with an ask.
PRELUDES = (
    ("Catching up", "Great running into you at {event}! How's the search going?"),
    ("Congrats!", "Congrats on wrapping up {project}! What's next for you?"),
    ("Anything I can do?", "Hey {me}, saw you're open to work — let me know if I can help."),
    ("Long time", "Hope you're well! Are you still in {city}? We should catch up."),
    ("Re: coffee", "Was great to see you last week. Let's not wait another year!"),
    ("Thanks!", "Thanks again for all your work on {project}. The team loves it."),
)  # fmt: skip
NUDGES = (
    "Hi {first}, just bumping this up in case it got buried.",
    "Following up on my note below — any thoughts?",
    "Gentle nudge on this one. No worries if the timing isn't right!",
    "Circling back on this — the posting closes soon, so I wanted to check in.",
    "Hi {first}, wanted to follow up on my email from last week. Thanks!",
    "Just checking in on this. Happy to send anything that would make it easier.",
    "bumping this :) totally understand if you're busy",
)  # fmt: skip
THANKS = (
    "Thank you so much, {first}! Really appreciate it.",
    "Thanks a ton — I'll keep you posted on how it goes.",
    "You're the best. Thank you!",
    "Thanks {first}, this means a lot.",
    "Really grateful for your help. I'll let you know what happens!",
)  # fmt: skip
THANKS_DECLINED = (
    "Totally understand — thanks for letting me know!",
    "No worries at all, thanks for the quick reply.",
    "That makes sense. Thanks anyway, {first}!",
)  # fmt: skip
# ---------------------------------------------------------------------------------------------
# Ordinary mail and hard negatives.
# ---------------------------------------------------------------------------------------------

WORK_SUBJECTS = (
    "Notes from today's sync", "{project_cap} update", "Action items", "Draft for review",
    "Re: {project_cap} timeline", "Budget question", "Slides for {weekday}", "Quick question",
    "Weekly update", "Follow-ups from the workshop", "Q{quarter} planning", "Updated numbers",
    "Feedback on the proposal", "Contract draft", "Vendor comparison", "Hiring plan",
)  # fmt: skip
WORK_LINES = (
    "- {first_other} will own the migration checklist.",
    "- We agreed to push the launch by a week.",
    "- Numbers for {month} are in the shared sheet.",
    "- I'll send the revised deck by {weekday}.",
    "- Open question: do we need legal review for the new terms?",
    "- Design review moved to {weekday} at {hour}.",
    "- The dashboard is live; please flag anything that looks off.",
    "- Budget is approved for the pilot.",
    "Attached is the latest version of the doc with your comments addressed.",
    "Can you take a look at section 3 before {weekday}?",
    "I think we should scope this down to the two highest-impact items.",
    "The client signed off on the mockups, so we're good to start building.",
    "Let's keep the retro to 30 minutes this time.",
    "I updated the forecast with the new churn numbers.",
    "FYI the vendor is raising prices in {month}.",
    "Could you send me the final copy when it's ready?",
)  # fmt: skip
SCHEDULING = (
    ("Can we move our call?", "Something came up — could we move our call to {weekday} at {hour}?"),
    ("Time to chat next week?", "Do you have 30 minutes next week? {weekday} or {weekday2} afternoon works for me."),
    ("Rescheduling", "Sorry to do this, but I need to reschedule our meeting. Does {weekday} at {hour} work?"),
    ("Coffee?", "Want to grab coffee {weekday}? I'm free after {hour}."),
    ("Confirming {weekday}", "Just confirming we're on for {weekday} at {hour}. I'll send a calendar invite."),
    ("Dentist appointment", "Confirming my appointment on {weekday} at {hour}. Thanks!"),
)  # fmt: skip
PERSONAL = (
    ("Dinner {weekday}?", "Are you two free for dinner {weekday}? We could try the new place on Main St."),
    ("Photos from the weekend", "Here are the photos from the weekend! The one by the lake is my favorite."),
    ("Happy birthday!", "Happy birthday {first}!! Hope you have a great day and someone bakes you a cake."),
    ("Book you mentioned", "What was the name of that book you mentioned? The one about the lighthouse keeper."),
    ("Moving day", "Thanks again for helping with the move. Pizza is on me next time."),
    ("Flight details", "I land at 6:40 on {weekday}, flight UA {flight}. See you soon!"),
    ("Soccer schedule", "The new soccer schedule is attached. Games are {weekday} mornings this season."),
    ("Re: the cabin", "Count us in for the cabin weekend. We'll bring the board games."),
)  # fmt: skip
INVOICES = (
    ("Invoice #{invoice} — {month}", "Hi {first},\n\nAttached is invoice #{invoice} for {month} ({amount}). Payment terms are net 30.\n\nThanks,\n{me}"),
    ("Invoice {invoice} for {project}", "Hello {first},\n\nPlease find attached invoice {invoice} for {project}: {amount}, due in 30 days.\n\nBest,\n{me}"),
    ("Payment reminder: invoice #{invoice}", "Hi {first}, a friendly reminder that invoice #{invoice} ({amount}) is now past due. Let me know if you need it resent."),
    ("Receipt for your payment", "Thanks {first}, I received your payment of {amount}. Receipt attached."),
)  # fmt: skip
# Hard negatives: sent mail that talks about referrals, introductions or recommendations but is
# not the user asking for one.
NEGATIVES: tuple[tuple[str, str], ...] = (
    ("Referral submitted", "Hi {first},\n\nI just submitted a referral for you for the {role} role in our system — you should get an email from the recruiter this week. Good luck!\n\n{me}"),
    ("Happy to refer you", "Hey {first}, of course I'll refer you. Send me your resume and the job link and I'll put it in today."),
    ("Intro: {first} <> {other_first}", "{first}, meet {other_first}. {other_first} is a {role} at {company} and is looking for advice on {topic}. I'll let you two take it from here!\n\n{me}"),
    ("Introduction", "Hi both — {first}, I'd like to introduce you to {other_first}, who I worked with at {old_company}. I think you'd have a lot to talk about. Moving myself to bcc."),
    ("Your LinkedIn recommendation", "Hi {first}, I just wrote the recommendation for you on LinkedIn — let me know if you'd like me to change anything."),
    ("Reference letter", "Dear {first},\n\nAttached is the reference letter for {other_first} that you asked for. I recommend them without reservation.\n\nSincerely,\n{me_full}"),
    ("Thank you!", "Thank you so much for referring me to {company}! I had the first interview today and it went really well."),
    ("Thanks for the intro", "Thanks again for introducing me to {other_first} — we had a great conversation yesterday."),
    ("Re: Referral bonus", "Did the referral bonus for {other_first} ever come through? HR said it would be in the {month} paycheck."),
    ("Referral to dermatology", "Hi, Dr. {last}'s office said I need a referral from my primary care doctor before they can book me. Could you send it over? My date of birth is on file."),
    ("Specialist referral", "Hello, I'm following up on the referral to the orthopedic specialist. Has it been faxed over yet?"),
    ("Dinner recommendations?", "We're going to be in {city} next weekend — any restaurant recommendations? Something casual."),
    ("Can you recommend a plumber?", "Our kitchen sink is leaking again. Can you recommend a good plumber? The last one never called back."),
    ("Recommend a good accountant?", "Do you have an accountant you'd recommend for taxes this year? Ours retired."),
    ("Referral code", "Do you still have that referral code for the meal kit thing? Want to try it."),
    ("Thank you for the interview", "Dear {first},\n\nThank you for taking the time to speak with me about the {role} position today. I enjoyed learning about the {team} team.\n\nBest regards,\n{me_full}"),
    ("Application for {role}", "Dear hiring team,\n\nPlease find attached my resume and cover letter for the {role} position (job ID {job_id}).\n\nSincerely,\n{me_full}"),
    ("Following up on my application", "Hi {first}, I applied for the {role} role two weeks ago and wanted to check on the status of my application. Thanks!"),
    ("Re: your recommendation", "Thanks for the recommendation on LinkedIn, {first}! I'll return the favor this week."),
    ("Book recommendations", "Here are the book recommendations I promised: The Overstory, Piranesi, and A Gentleman in Moscow."),
    ("Testimonial received", "Thanks for the lovely testimonial, {first}! I've added it to the website."),
)  # fmt: skip
# Asks other people send the user, and the user's answers: about referrals, never the user's ask.
ASKED_OF_USER = (
    ("Referral?", "Hi {me}! I saw {company} is hiring a {role}. Would you be willing to refer me?"),
    ("Intro request", "Hey {me}, do you know anyone at {company}? I'd love an intro to the {team} team."),
    ("Reference", "Hi {me}, could I list you as a reference for a {role} role? They may call next week."),
    ("LinkedIn recommendation", "Would you write me a quick LinkedIn recommendation? Happy to return the favor."),
)  # fmt: skip
ANSWERS_TO_ASKS = (
    "Happy to refer you! Send me your resume and the job link and I'll put it in today.",
    "Done — I submitted the referral. You should hear from the recruiter soon.",
    "Of course, list me as a reference. My cell is the best way to reach me.",
    "Sorry, I don't know anyone there anymore. Good luck though!",
    "Sure! I'll introduce you to {other_first} later today.",
    "Just posted your recommendation. Let me know if you want any changes.",
    "I'd rather not refer for that team, but happy to look at your resume.",
)  # fmt: skip
NEWSLETTERS = (
    ("Refer a friend, get $50", "Love {company}? Refer a friend and you'll both get $50 off your next order. Share your referral link today!", "news@{domain}"),
    ("Our employee referral program is back", "Know someone great? Refer them for an open role and earn a $2,000 referral bonus when they're hired.", "talent@{domain}"),
    ("This week in {field}", "Top stories: hiring trends, salary data and five interview tips recruiters swear by.", "digest@{domain}"),
    ("Jobs you may be interested in", "{role} at {company}\n{role2} at {company2}\nSee all jobs matching your preferences.", "jobs-noreply@{domain}"),
    ("Your weekly summary", "You had 14 profile views this week. 3 people viewed your resume.", "notifications@{domain}"),
    ("Webinar: getting referred", "Join our webinar on how to ask for a referral without making it awkward. Thursday at noon.", "events@{domain}"),
    ("Your order has shipped", "Good news! Your order #{invoice} is on its way.", "orders@{domain}"),
    ("Statement available", "Your {month} statement is now available online.", "alerts@{domain}"),
)  # fmt: skip
INBOX_NOTES = (
    ("Quick question", "Hi {me}, do you have the latest version of the deck? I can't find it in the drive."),
    ("Re: {project_cap} timeline", "I think we can hit the date if we cut scope on the reporting piece. Thoughts?"),
    ("Lunch?", "Lunch {weekday}? There's a new ramen place near the office."),
    ("Can you refer me?", "Hi {me}! I saw {company} is hiring a {role}. Would you be willing to refer me? Totally fine if not."),
    ("Intro request", "Hey {me}, do you know anyone at {company}? I'd love an intro to someone on the {team} team."),
    ("Notes from the call", "Thanks for the call today. Summary: we'll send the proposal by {weekday} and regroup next week."),
    ("Invitation: team offsite", "You're invited to the team offsite on {weekday}. Please RSVP by Friday."),
    ("Your interview with {company}", "Hi {me}, thanks for applying! We'd like to schedule a 30-minute call with the hiring manager. Does {weekday} at {hour} work?"),
)  # fmt: skip
USER_REPLIES = (
    "Thanks, {first} — sounds good.",
    "Got it, will do.",
    "Yes, {weekday} works for me.",
    "Thanks for sending this! I'll take a look tonight.",
    "Sounds great, see you then.",
    "Happy to help — I'll reply with details tomorrow.",
    "Just sent it over. Let me know if it doesn't come through.",
    "Perfect, thank you!",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Contact:
    first: str
    last: str
    email: str
    company: str | None
    domain: str
    title: str

    @property
    def person(self) -> Person:
        return Person(email=self.email, name=f"{self.first} {self.last}")

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"


@dataclass(slots=True)
class _Draft:
    """A message under construction; ids and thread keys are assigned once all are in order."""

    thread: int
    message_id: str
    sender: Person
    to: tuple[Person, ...]
    subject: str
    date: datetime
    direction: str
    text: str | None
    html: str | None = None
    cc: tuple[Person, ...] = ()
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    headers: dict[str, str] = field(default_factory=dict)
    truth: Truth = field(default_factory=Truth)
    plain: str = ""  # the text as written, for quoting even when only HTML is served


@dataclass(frozen=True, slots=True)
class _Step:
    """One step of a scripted ask thread: who acts, and how long after the previous message."""

    action: str  # "reply" | "nudge" | "thanks" | "answer"
    delay: timedelta
    outcome: str | None = None  # for "reply"
    return_date: date | None = None  # for an auto_reply; None = an undated out-of-office


def _suffix(day: int) -> str:
    if 11 <= day % 100 <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


class _Builder:
    """Holds the random source, the owner, the contact pool and the drafts of one mailbox."""

    def __init__(
        self, *, seed: int, owner: Person, time_zone: str, start: datetime, end: datetime
    ) -> None:
        self.rng = random.Random(seed)
        self.owner = Person(email=owner.email.lower(), name=owner.name)
        self.owner_domain = self.owner.email.rsplit("@", 1)[-1]
        full = owner.name or self.owner.email.split("@")[0].replace(".", " ").title()
        self.me_full = full
        self.me = full.split()[0]
        self.zone = ZoneInfo(time_zone)
        self.start = start.astimezone(UTC)
        self.end = end.astimezone(UTC)
        self.drafts: list[_Draft] = []
        self.threads = 0
        self.used_ids: set[str] = set()
        self.used_emails: set[str] = {self.owner.email}
        self.used_names: set[tuple[str, str]] = set()
        self.phone = f"({self.rng.randint(201, 989)}) 555-{self.rng.randint(100, 9999):04d}"
        self.old_company = self.rng.choice(COMPANIES)[0]
        self.contacts: list[_Contact] = []
        # Which mail system writes bounces: 0 Gmail, 1 Exchange Online, 2 Postfix.
        self.bounce_styles: tuple[int, ...] = (0, 1, 2)

    # -- people ------------------------------------------------------------------------------

    def make_contacts(self, count: int) -> None:
        for _ in range(count):
            self.contacts.append(self.new_contact())

    def new_contact(self, *, company: tuple[str, str] | None = None) -> _Contact:
        rng = self.rng
        while True:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            # Distinct people have distinct names while the name space allows it.
            if (first, last) in self.used_names and len(self.used_names) < 2000:
                continue
            plain = last.lower().replace("'", "")
            if company is None and rng.random() < 0.3:
                domain, company_name = rng.choice(PERSONAL_DOMAINS), None
                local = rng.choice(
                    (
                        f"{first.lower()}.{plain}",
                        f"{first.lower()}{plain}{rng.randint(1, 99)}",
                        f"{first[0].lower()}{plain}",
                        f"{first.lower()}_{plain[:4]}",
                    )
                )
            else:
                company_name, domain = company or rng.choice(COMPANIES)
                local = rng.choice(
                    (f"{first.lower()}.{plain}", f"{first[0].lower()}{plain}", first.lower())
                )
            email = f"{local}@{domain}"
            if email not in self.used_emails:
                self.used_emails.add(email)
                self.used_names.add((first, last))
                title = rng.choice(ROLES) if company_name else ""
                return _Contact(first, last, email, company_name, domain, title)

    # -- ids and time ------------------------------------------------------------------------

    def new_thread(self) -> int:
        self.threads += 1
        return self.threads

    def message_id(self, sender: Person) -> str:
        domain = sender.email.rsplit("@", 1)[-1]
        while True:
            candidate = f"{self.rng.getrandbits(80):020x}@mail.{domain}"
            if candidate not in self.used_ids:
                self.used_ids.add(candidate)
                return candidate

    def business_time(self, day: date, *, late: bool = False) -> datetime:
        """A UTC instant on ``day`` in business hours of the owner's zone (evening if ``late``)."""
        hour = (
            self.rng.randint(19, 22)
            if late
            else self.rng.choice((8, 9, 9, 10, 10, 11, 11, 12, 13, 14, 14, 15, 15, 16, 16, 17, 18))
        )
        local = datetime.combine(day, time(hour, self.rng.randint(0, 59), self.rng.randint(0, 59)))
        return local.replace(tzinfo=self.zone).astimezone(UTC)

    def random_time(self) -> datetime:
        """A business-hours-ish instant in ``[start, end)``: mostly weekdays, some evenings."""
        span = (self.end - self.start).total_seconds()
        for _ in range(20):
            moment = self.start + timedelta(seconds=self.rng.random() * span)
            day = moment.astimezone(self.zone).date()
            if day.weekday() >= 5 and self.rng.random() < 0.85:
                continue
            candidate = self.business_time(day, late=self.rng.random() < 0.08)
            if self.start <= candidate < self.end:
                return candidate
        return self.start + timedelta(seconds=self.rng.random() * span)

    def later(self, moment: datetime, delay: timedelta) -> datetime:
        """``moment + delay`` moved into business hours when it lands at night or on a weekend,
        always strictly after ``moment``."""
        target = moment + delay
        local = target.astimezone(self.zone)
        if delay >= timedelta(hours=6) and (local.weekday() >= 5 or not 8 <= local.hour < 19):
            day = local.date()
            if local.hour >= 19:
                day += timedelta(days=1)
            while day.weekday() >= 5:
                day += timedelta(days=1)
            target = self.business_time(day)
        elif delay >= timedelta(hours=1) and local.hour < 7:  # nobody answers at 3 a.m.
            target = self.business_time(local.date())
        return max(target, moment + timedelta(minutes=self.rng.randint(2, 9)))

    def business_days_later(self, moment: datetime, days: int) -> datetime:
        day = moment.astimezone(self.zone).date()
        while days > 0:
            day += timedelta(days=1)
            if day.weekday() < 5:
                days -= 1
        return max(self.business_time(day), moment + timedelta(minutes=5))

    # -- text --------------------------------------------------------------------------------

    def slots(self, contact: _Contact, **extra: str) -> dict[str, str]:
        rng = self.rng
        company, domain = rng.choice(COMPANIES)
        if contact.company and rng.random() < 0.7:
            company, domain = contact.company, contact.domain
        while company == self.old_company:
            company, domain = rng.choice(COMPANIES)
        company2 = rng.choice(COMPANIES)[0]
        other = rng.choice(self.contacts) if self.contacts else contact
        service, service_person = rng.choice(SERVICES)
        weekday, weekday2 = rng.sample(WEEKDAYS, 2)
        project = rng.choice(PROJECTS)
        deadline_day = rng.randint(1, 28)
        values = {
            "first": contact.first,
            "last": contact.last,
            "me": self.me,
            "me_full": self.me_full,
            "phone": self.phone,
            "company": company,
            "domain": domain,
            "company2": company2,
            "role": rng.choice(ROLES),
            "role2": rng.choice(ROLES),
            "team": rng.choice(TEAMS),
            "field": rng.choice(FIELDS),
            "topic": rng.choice(TOPICS),
            "project": project,
            "project_cap": project[0].upper() + project[1:],
            "program": rng.choice(PROGRAMS),
            "service": service,
            "service_person": service_person,
            "skill": rng.choice(SKILLS),
            "event": rng.choice(EVENTS),
            "city": rng.choice(CITIES),
            "month": rng.choice(MONTHS),
            "months": str(rng.randint(2, 9)),
            "weekday": weekday,
            "weekday2": weekday2,
            "hour": rng.choice(HOURS),
            "quarter": str(rng.randint(1, 4)),
            "job_id": f"{rng.choice(('R', 'JR', 'REQ-', ''))}{rng.randint(10000, 99999)}",
            "url": f"https://careers.{domain}/jobs/{rng.randint(1000, 9999)}",
            "deadline": f"{rng.choice(MONTHS)} {deadline_day}{_suffix(deadline_day)}",
            "target": other.full,
            "target_first": other.first,
            "first_other": other.first,
            "other_first": other.first,
            "old_company": self.old_company,
            "invoice": str(rng.randint(1000, 9999)),
            "amount": f"${rng.randint(4, 120) * 125:,}.00",
            "flight": str(rng.randint(100, 2999)),
        }
        values.update(extra)
        return values

    def pick(self, options: Sequence[str], values: dict[str, str]) -> str:
        return self.rng.choice(options).format(**values)

    def compose(self, parts: Sequence[str]) -> str:
        """Join non-empty paragraphs with blank lines."""
        return "\n\n".join(p.strip() for p in parts if p.strip())

    def to_html(self, text: str) -> str:
        paragraphs = [
            html_lib.escape(p, quote=False).replace("\n", "<br>") for p in text.split("\n\n")
        ]
        style = self.rng.choice(
            (
                '<div dir="ltr">{}</div>',
                '<html><body style="font-family: Calibri, sans-serif">{}</body></html>',
                "<div>{}</div>",
            )
        )
        return style.format("".join(f"<p>{p}</p>" for p in paragraphs))

    def signature(self, contact: _Contact) -> str:
        template = self.rng.choice(SIGNATURES)
        if contact.company is None:
            template = self.rng.choice(("Sent from my iPhone", "--\n{full}", ""))
        return template.format(
            full=contact.full,
            title=contact.title,
            company=contact.company or "",
            company_domain=contact.domain,
            phone=f"+1 {self.rng.randint(201, 989)} 555 {self.rng.randint(1000, 9999)}",
        )

    def quote(self, parent: _Draft, *, outlook: bool) -> str:
        body = parent.plain
        local = parent.date.astimezone(self.zone)
        sender = parent.sender
        if outlook:
            to = "; ".join(p.name or p.email for p in parent.to)
            head = self.rng.choice(
                ("-----Original Message-----", "________________________________")
            )
            return (
                f"{head}\nFrom: {sender.name} <{sender.email}>\n"
                f"Sent: {local:%A, %B} {local.day}, {local:%Y %I:%M %p}\nTo: {to}\n"
                f"Subject: {parent.subject}\n\n{body}"
            )
        stamp = f"{local:%a, %b} {local.day}, {local:%Y} at {local:%I:%M %p}".replace(" 0", " ")
        quoted = "\n".join(f"> {line}" if line else ">" for line in body.splitlines())
        return f"On {stamp} {sender.name} <{sender.email}> wrote:\n{quoted}"

    # -- messages ----------------------------------------------------------------------------

    def add(self, draft: _Draft) -> _Draft | None:
        """Keep ``draft`` when it falls before the end of the mailbox; ``None`` otherwise."""
        if not self.start <= draft.date < self.end:
            return None
        self.drafts.append(draft)
        return draft

    def sent(
        self,
        thread: int,
        to: Sequence[Person],
        *,
        subject: str,
        text: str,
        at: datetime,
        parent: _Draft | None = None,
        truth: Truth | None = None,
        html: bool = False,
        cc: Sequence[Person] = (),
    ) -> _Draft | None:
        return self.add(
            _Draft(
                thread=thread,
                message_id=self.message_id(self.owner),
                sender=self.owner,
                to=tuple(to),
                cc=tuple(cc),
                subject=subject,
                date=at,
                direction="sent",
                text=None if html and self.rng.random() < 0.5 else text,
                html=self.to_html(text) if html else None,
                in_reply_to=parent.message_id if parent else None,
                references=(*parent.references, parent.message_id) if parent else (),
                truth=truth or Truth(is_ask=False),
                plain=text,
            )
        )

    def received(
        self,
        thread: int,
        sender: Person,
        *,
        subject: str,
        text: str,
        at: datetime,
        parent: _Draft | None = None,
        truth: Truth | None = None,
        headers: dict[str, str] | None = None,
        html: bool = False,
        cc: Sequence[Person] = (),
    ) -> _Draft | None:
        return self.add(
            _Draft(
                thread=thread,
                message_id=self.message_id(sender),
                sender=sender,
                to=(self.owner,),
                cc=tuple(cc),
                subject=subject,
                date=at,
                direction="received",
                text=text,
                html=self.to_html(text) if html else None,
                in_reply_to=parent.message_id if parent else None,
                references=(*parent.references, parent.message_id) if parent else (),
                headers=headers or {},
                truth=truth or Truth(),
                plain=text,
            )
        )

    # -- asks --------------------------------------------------------------------------------

    def ask_text(self, kind: str, values: dict[str, str]) -> tuple[str, str, str | None, bool]:
        """(subject, body, company named or None, html?) of a fresh ask of ``kind``."""
        rng = self.rng
        template, _ = rng.choice(ASK_TEMPLATES[kind])
        core = template.format(**values)
        core = core[0].upper() + core[1:] if rng.random() < 0.85 else core
        subject = self.pick(ASK_SUBJECTS[kind], values)
        style = rng.random()
        if style < 0.2:  # short and casual
            body = self.compose(
                (
                    rng.choice(("hey {first}", "hi {first}!", "{first},", "")).format(**values),
                    core,
                    rng.choice(("thx!", "thanks!!", "- {me}", "")).format(**values),
                )
            )
        else:
            parts = [
                self.pick(GREETINGS, values),
                self.pick(OPENERS, values),
                self.pick(CONTEXTS, values) if kind != "client_referral" else "",
                core,
                self.pick(ASK_DETAILS[kind], values),
                self.pick(CLOSERS, values),
                self.pick(SIGN_OFFS, values),
            ]
            if style > 0.8:  # long: an extra paragraph of context
                parts.insert(
                    3,
                    self.pick(
                        (
                            "I've been focusing on {topic}, and most of my recent work at {old_company} was on {project}.",
                            "A bit of background: I spent {months} years in {field}, most recently leading {project}.",
                            "I've been following {company} for a while and really like what the {team} team is doing.",
                        ),
                        values,
                    ),
                )
            body = self.compose(parts)
        # The truth names the company only when the ask states it (``slots`` keeps the user's
        # former employer distinct from it, so a mention is always the target).
        company = values["company"] if values["company"] in f"{subject}\n{body}" else None
        return subject, body, company, rng.random() < 0.15

    def ask_thread(
        self,
        kind: str,
        moment: datetime,
        *,
        steps: Sequence[_Step],
        contact: _Contact | None = None,
        prelude: bool = False,
        html: bool | None = None,
    ) -> int:
        """Write an ask and the thread that follows from ``steps``; returns its sent count.

        With ``prelude`` the contact wrote first and the ask is the user's reply in that thread.
        """
        rng = self.rng
        contact = contact or rng.choice(self.contacts)
        bounce = any(s.outcome == "bounce" for s in steps)
        recipient = contact.person
        if bounce:  # the ask went to a mistyped or dead address
            local, domain = contact.email.split("@")
            bad = rng.choice((local[:-1] + local[-1] * 2, local.replace(".", ""), local + "1"))
            recipient = Person(email=f"{bad}@{domain}", name=contact.full)
        values = self.slots(contact)
        subject, body, company, as_html = self.ask_text(kind, values)
        html = as_html if html is None else html
        thread = self.new_thread()
        opener: _Draft | None = None
        if prelude and not bounce:
            first_subject, first_text = (self.pick((t,), values) for t in rng.choice(PRELUDES))
            opener = self.received(
                thread,
                contact.person,
                subject=first_subject,
                text=first_text,
                at=moment - timedelta(hours=rng.uniform(1, 60)),
            )
            if opener is not None:
                subject = _re(first_subject)
                body = f"{body}\n\n{self.quote(opener, outlook=rng.random() < 0.3)}"
                company = values["company"] if values["company"] in body else None
        ask = self.sent(
            thread,
            (recipient,),
            subject=subject,
            text=body,
            at=moment,
            html=html,
            parent=opener,
            truth=Truth(is_ask=True, kind=kind, company=company),
        )
        if ask is None:
            return 0
        count = 1
        last: _Draft = ask
        last_sent: _Draft = ask
        for step in steps:
            at = self.later(last.date, step.delay)
            made: _Draft | None
            if step.action == "reply":
                assert step.outcome is not None
                made = self.reply(
                    thread,
                    kind,
                    contact=contact,
                    recipient=recipient,
                    parent=last_sent,
                    step=step,
                    at=at,
                    values=values,
                )
            else:
                options = {"nudge": NUDGES, "thanks": THANKS, "answer": KIND_ANSWERS[kind]}[
                    step.action
                ]
                if step.action == "thanks" and last.truth.outcome == "declined":
                    options = THANKS_DECLINED
                text = self.compose(
                    (
                        self.pick(options, values),
                        self.pick(("{me}", "Thanks,\n{me}", "", "- {me}"), values),
                    )
                )
                if rng.random() < 0.5:
                    text = f"{text}\n\n{self.quote(last, outlook=rng.random() < 0.3)}"
                made = self.sent(
                    thread, (recipient,), subject=_re(subject), text=text, at=at, parent=last
                )
                if made is not None:
                    count += 1
                    last_sent = made
            if made is None:
                break
            last = made
        return count

    def reply(
        self,
        thread: int,
        kind: str,
        *,
        contact: _Contact,
        recipient: Person,
        parent: _Draft,
        step: _Step,
        at: datetime,
        values: dict[str, str],
    ) -> _Draft | None:
        rng = self.rng
        outcome = step.outcome or "other"
        truth = Truth(outcome=outcome)
        if outcome == "bounce":
            return self.bounce(thread, recipient, parent=parent, at=at)
        if outcome == "auto_reply":
            return self.auto_reply(thread, contact, parent=parent, step=step, at=at)
        text = self.compose(
            (
                self.pick(REPLY_GREETINGS, values),
                self.pick(REPLIES[outcome] + KIND_REPLIES[kind].get(outcome, ()) * 2, values),
                self.pick(REPLY_SIGN_OFFS, values),
                self.signature(contact) if rng.random() < 0.4 else "",
            )
        )
        if rng.random() < 0.55:
            text = f"{text}\n\n{self.quote(parent, outlook=rng.random() < 0.35)}"
        cc: tuple[Person, ...] = ()
        if outcome == "done" and kind == "introduction" and rng.random() < 0.6:
            cc = (rng.choice(self.contacts).person,)
        return self.received(
            thread,
            contact.person,
            subject=_re(parent.subject),
            text=text,
            at=at,
            parent=parent,
            truth=truth,
            html=rng.random() < 0.12,
            cc=cc,
        )

    def auto_reply(
        self, thread: int, contact: _Contact, *, parent: _Draft, step: _Step, at: datetime
    ) -> _Draft | None:
        rng = self.rng
        back = step.return_date
        if back == RELATIVE_RETURN:  # a few days to two weeks after the auto-reply
            back = at.astimezone(self.zone).date() + timedelta(days=rng.randint(3, 16))
            while back.weekday() >= 5:
                back += timedelta(days=1)
        if back is None:
            text = rng.choice(OOO_TEXTS_UNDATED)
        else:
            formats = (
                f"{back:%A, %B} {back.day}",
                f"{back.month}/{back.day}",
                f"{back.day} {back:%b %Y}",
                f"{back:%B} {back.day}{_suffix(back.day)}",
                f"{back:%Y-%m-%d}",
                f"{back:%a} {back.month}/{back.day}/{back:%y}",
                f"{back:%A} the {back.day}{_suffix(back.day)}",
            )
            text = rng.choice(OOO_TEXTS_DATED).format(
                date=rng.choice(formats), colleague=rng.choice(self.contacts).email
            )
        text = self.compose((text, self.signature(contact) if rng.random() < 0.5 else ""))
        headers = {"Auto-Submitted": "auto-replied"}
        if rng.random() < 0.6:
            headers["X-Autoreply"] = "yes"
        if rng.random() < 0.4:
            headers["Precedence"] = "bulk"
        subject = rng.choice(
            (
                f"Automatic reply: {parent.subject}",
                f"Out of Office: {parent.subject}",
                _re(parent.subject),
                f"Auto: {parent.subject}",
            )
        )
        return self.received(
            thread,
            contact.person,
            subject=subject,
            text=text,
            at=at,
            parent=parent,
            truth=Truth(outcome="auto_reply"),
            headers=headers,
        )

    def bounce(
        self, thread: int, recipient: Person, *, parent: _Draft, at: datetime
    ) -> _Draft | None:
        rng = self.rng
        address = recipient.email
        domain = address.rsplit("@", 1)[-1]
        style = rng.choice(self.bounce_styles)
        if style == 0:
            sender = Person(email="mailer-daemon@googlemail.com", name="Mail Delivery Subsystem")
            subject = "Delivery Status Notification (Failure)"
            text = (
                f"** Address not found **\n\nYour message wasn't delivered to {address} because the "
                "address couldn't be found, or is unable to receive mail.\n\nThe response from the "
                f"remote server was:\n550 5.1.1 The email account that you tried to reach does not exist. "
                f"Please try double-checking the recipient's email address for typos."
            )
        elif style == 1:
            sender = Person(email=f"postmaster@{self.owner_domain}", name="Microsoft Outlook")
            subject = f"Undeliverable: {parent.subject}"
            text = (
                f"Your message to {address} couldn't be delivered.\n\n{address.split('@')[0]} wasn't "
                f"found at {domain}.\n\nDiagnostic information for administrators:\n\nRemote Server "
                f"returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'"
            )
        else:
            sender = Person(
                email=f"mailer-daemon@mail.{self.owner_domain}", name="Mail Delivery System"
            )
            subject = "Undelivered Mail Returned to Sender"
            text = (
                f"This is the mail system at host mail.{self.owner_domain}.\n\nI'm sorry to have to "
                "inform you that your message could not\nbe delivered to one or more recipients.\n\n"
                f"<{address}>: host mx1.{domain}[203.0.113.{rng.randint(2, 250)}] said: 550 5.1.1 "
                f"<{address}>: Recipient address rejected: User unknown (in reply to RCPT TO command)"
            )
        headers = {
            "Content-Type": "multipart/report; report-type=delivery-status",
            "Auto-Submitted": "auto-replied",
        }
        if rng.random() < 0.5:
            headers["X-Failed-Recipients"] = address
        return self.received(
            thread,
            sender,
            subject=subject,
            text=text,
            at=at,
            parent=parent,
            truth=Truth(outcome="bounce"),
            headers=headers,
        )

    def random_steps(self, scenario: str) -> list[_Step]:
        """A plausible random history for an ask; ``scenario`` is "none", "nudged" or an outcome."""
        rng = self.rng

        def hours(lo: float, hi: float) -> timedelta:
            return timedelta(hours=rng.uniform(lo, hi))

        def bdays(lo: int, hi: int) -> timedelta:
            return timedelta(days=rng.randint(lo, hi) * 7 / 5, hours=rng.uniform(-3, 3))

        steps: list[_Step] = []
        if scenario == "none":
            return steps
        if scenario == "nudged" or rng.random() < 0.15:
            steps.append(_Step("nudge", bdays(5, 9)))
            if scenario == "nudged":
                if rng.random() < 0.4:
                    steps.append(_Step("nudge", bdays(5, 9)))
                return steps
        outcome = scenario
        if outcome == "auto_reply":
            back = RELATIVE_RETURN if rng.random() < 0.75 else None
            steps.append(_Step("reply", timedelta(minutes=rng.randint(1, 20)), "auto_reply", back))
            if rng.random() < 0.5:
                steps.append(
                    _Step(
                        "reply",
                        bdays(4, 12),
                        rng.choice(("agreed", "done", "declined", "needs_info")),
                    )
                )
                steps.extend(self.after_reply(steps[-1].outcome or ""))
            return steps
        if outcome == "bounce":
            steps.append(_Step("reply", timedelta(minutes=rng.randint(1, 5)), "bounce"))
            return steps
        steps.append(_Step("reply", hours(1, 72), outcome))
        steps.extend(self.after_reply(outcome))
        return steps

    def after_reply(self, outcome: str) -> list[_Step]:
        rng = self.rng
        steps: list[_Step] = []
        if outcome == "needs_info":
            if rng.random() < 0.8:
                steps.append(_Step("answer", timedelta(hours=rng.uniform(1, 30))))
                if rng.random() < 0.6:
                    steps.append(
                        _Step(
                            "reply",
                            timedelta(hours=rng.uniform(4, 72)),
                            rng.choice(("agreed", "done")),
                        )
                    )
                    if rng.random() < 0.6:
                        steps.append(_Step("thanks", timedelta(hours=rng.uniform(1, 20))))
        elif outcome == "agreed":
            if rng.random() < 0.5:
                steps.append(_Step("thanks", timedelta(hours=rng.uniform(1, 20))))
            if rng.random() < 0.4:
                steps.append(_Step("reply", timedelta(days=rng.uniform(1, 6)), "done"))
                if rng.random() < 0.6:
                    steps.append(_Step("thanks", timedelta(hours=rng.uniform(1, 20))))
        elif outcome in ("done", "declined") and rng.random() < 0.6:
            steps.append(_Step("thanks", timedelta(hours=rng.uniform(1, 20))))
        elif outcome == "other" and rng.random() < 0.4:
            steps.append(
                _Step(
                    "reply",
                    timedelta(days=rng.uniform(1, 8)),
                    rng.choice(("agreed", "declined", "done")),
                )
            )
        return steps

    # -- everything else ---------------------------------------------------------------------

    def ordinary_sent(self) -> int:
        """One ordinary sent message (maybe replying to, or followed by, received mail)."""
        rng = self.rng
        contact = rng.choice(self.contacts)
        values = self.slots(contact)
        thread = self.new_thread()
        moment = self.random_time()
        roll = rng.random()
        if roll < 0.3:  # reply in a thread someone else started
            subject, first_text = (self.pick((s,), values) for s in rng.choice(INBOX_NOTES))
            start = moment - timedelta(hours=rng.uniform(0.2, 30))
            if start < self.start:
                start, moment = moment, self.later(moment, timedelta(hours=rng.uniform(0.2, 30)))
            parent = self.received(
                thread, contact.person, subject=subject, text=first_text, at=start
            )
            text = self.compose(
                (self.pick(USER_REPLIES, values), self.pick(("{me}", "", "- {me}"), values))
            )
            if rng.random() < 0.6:
                text = (
                    f"{text}\n\n{self.quote(parent, outlook=rng.random() < 0.3)}"
                    if parent
                    else text
                )
            made = self.sent(
                thread, (contact.person,), subject=_re(subject), text=text, at=moment, parent=parent
            )
            return 1 if made else self.ordinary_sent()
        if roll < 0.6:
            subject = self.pick(WORK_SUBJECTS, values)
            lines = [self.pick(WORK_LINES, values) for _ in range(rng.randint(1, 4))]
            text = self.compose(
                (
                    self.pick(("Hi {first},", "Team,", "{first} —", "Hi all,", ""), values),
                    "\n".join(lines),
                    self.pick(("Thanks,\n{me}", "{me}", "Best,\n{me}"), values),
                )
            )
        elif roll < 0.78:
            subject, text = (self.pick((s,), values) for s in rng.choice(SCHEDULING))
        elif roll < 0.9:
            subject, text = (self.pick((s,), values) for s in rng.choice(PERSONAL))
        else:
            subject, text = (self.pick((s,), values) for s in rng.choice(INVOICES))
        cc = (rng.choice(self.contacts).person,) if rng.random() < 0.15 else ()
        made = self.sent(
            thread,
            (contact.person,),
            subject=subject,
            text=text,
            at=moment,
            html=rng.random() < 0.1,
            cc=cc,
        )
        if made is not None and rng.random() < 0.3:
            reply = self.compose(
                (
                    self.pick(USER_REPLIES, values).replace(contact.first, self.me),
                    self.pick(("{first}", ""), values),
                )
            )
            self.received(
                thread,
                contact.person,
                subject=_re(subject),
                text=reply,
                at=self.later(moment, timedelta(hours=rng.uniform(0.5, 48))),
                parent=made,
            )
        return 1

    def negative(self) -> int:
        """A hard negative: sent mail about referrals/intros/recommendations that asks for none."""
        rng = self.rng
        contact = rng.choice(self.contacts)
        values = self.slots(contact)
        if rng.random() < 0.3:  # someone asks the user; the user answers
            thread = self.new_thread()
            subject, text = (self.pick((t,), values) for t in rng.choice(ASKED_OF_USER))
            moment = self.random_time()
            first = self.received(
                thread,
                contact.person,
                subject=subject,
                text=text,
                at=moment - timedelta(hours=rng.uniform(0.5, 40)),
            )
            answer = self.compose(
                (self.pick(ANSWERS_TO_ASKS, values), self.pick(("{me}", "- {me}", ""), values))
            )
            if first is not None and rng.random() < 0.6:
                answer = f"{answer}\n\n{self.quote(first, outlook=rng.random() < 0.3)}"
            made = self.sent(
                thread,
                (contact.person,),
                subject=_re(subject),
                text=answer,
                at=moment,
                parent=first,
            )
            return 1 if made else 0
        subject, text = (self.pick((s,), values) for s in rng.choice(NEGATIVES))
        made = self.sent(
            self.new_thread(),
            (contact.person,),
            subject=subject,
            text=text,
            at=self.random_time(),
            html=rng.random() < 0.1,
        )
        return 1 if made else 0

    def inbox_noise(self) -> None:
        rng = self.rng
        values = self.slots(rng.choice(self.contacts))
        thread = self.new_thread()
        if rng.random() < 0.6:
            subject, text, sender = (self.pick((s,), values) for s in rng.choice(NEWSLETTERS))
            headers = {
                "List-Unsubscribe": f"<mailto:unsubscribe@{values['domain']}>",
                "Precedence": "bulk",
            }
            if rng.random() < 0.5:
                headers["List-Id"] = f"<news.{values['domain']}>"
            person = Person(email=sender, name=values["company"])
            self.received(
                thread,
                person,
                subject=subject,
                text=text,
                at=self.random_time(),
                headers=headers,
                html=rng.random() < 0.7,
            )
        else:
            contact = rng.choice(self.contacts)
            subject, text = (self.pick((s,), values) for s in rng.choice(INBOX_NOTES))
            self.received(thread, contact.person, subject=subject, text=text, at=self.random_time())

    # -- output ------------------------------------------------------------------------------

    def mailbox(self, time_zone: str) -> Mailbox:
        order = sorted(range(len(self.drafts)), key=lambda i: (self.drafts[i].date, i))
        thread_keys: dict[int, str] = {}
        messages: list[FixtureMessage] = []
        for number, index in enumerate(order, start=1):
            d = self.drafts[index]
            key = thread_keys.setdefault(d.thread, f"t{len(thread_keys) + 1:05d}")
            messages.append(
                FixtureMessage(
                    id=f"m{number:06d}",
                    thread=key,
                    message_id=d.message_id,
                    sender=d.sender,
                    to=d.to,
                    cc=d.cc,
                    subject=d.subject,
                    date=d.date.replace(microsecond=0),
                    direction=d.direction,
                    text=d.text,
                    html=d.html,
                    in_reply_to=d.in_reply_to,
                    references=d.references,
                    headers=d.headers,
                    truth=d.truth,
                )
            )
        return Mailbox(owner=self.owner, time_zone=time_zone, messages=messages)


def _re(subject: str) -> str:
    return subject if subject.lower().startswith("re:") else f"Re: {subject}"


def _check_args(sent: int, days: int, *, ask_share: float, start: datetime, time_zone: str) -> None:
    if sent < 0:
        raise ValueError("sent must be zero or more; pass the number of sent messages to generate.")
    if days < 1:
        raise ValueError("days must be at least 1; pass how many days the mailbox spans.")
    if not 0.0 <= ask_share <= 1.0:
        raise ValueError("ask_share must be between 0 and 1, e.g. 0.02 for 2% of sent mail.")
    if start.tzinfo is None:
        raise ValueError(
            "start must be timezone-aware; pass e.g. datetime(2026, 9, 1, tzinfo=UTC)."
        )
    try:
        ZoneInfo(time_zone)
    except (KeyError, ValueError) as exc:
        raise ValueError(
            f"Unknown time zone {time_zone!r}; pass an IANA name such as 'America/New_York'."
        ) from exc


def _default_owner() -> Person:
    return Person(email="alex.morgan@gmail.com", name="Alex Morgan")


def generate_mailbox(
    *,
    seed: int,
    sent: int,
    start: datetime,
    days: int,
    owner: Person | None = None,
    time_zone: str = "America/New_York",
    ask_share: float = 0.02,
) -> Mailbox:
    """A synthetic mailbox with exactly ``sent`` sent messages over ``days`` days from ``start``.

    About ``ask_share`` of the sent messages open referral asks (all four kinds, cycling so each
    appears); every reply meaning appears once there are at least nine asks. About 8% are hard
    negatives; the rest ordinary mail. Received mail is roughly one per sent message.
    """
    _check_args(sent, days, ask_share=ask_share, start=start, time_zone=time_zone)
    builder = _Builder(
        seed=seed,
        owner=owner or _default_owner(),
        time_zone=time_zone,
        start=start,
        end=start + timedelta(days=days),
    )
    builder.make_contacts(max(40, min(2000, sent // 8)))
    _fill(builder, sent=sent, asks=round(sent * ask_share), negatives=round(sent * 0.08))
    for _ in range(round(sent * 0.5)):
        builder.inbox_noise()
    return builder.mailbox(time_zone)


_COVER = (
    "none",
    "agreed",
    "done",
    "declined",
    "needs_info",
    "auto_reply",
    "bounce",
    "other",
    "nudged",
)
_WEIGHTS: dict[str, float] = {
    "none": 0.35, "nudged": 0.1, "agreed": 0.14, "done": 0.1, "declined": 0.07,
    "needs_info": 0.07, "auto_reply": 0.07, "bounce": 0.04, "other": 0.06,
}  # fmt: skip


def _fill(builder: _Builder, *, sent: int, asks: int, negatives: int) -> None:
    """Add asks, then hard negatives, then ordinary mail until exactly ``sent`` are sent."""
    rng = builder.rng
    total = 0
    names, weights = list(_WEIGHTS), list(_WEIGHTS.values())
    for index in range(asks):
        if total >= sent:
            break
        scenario = _COVER[index] if index < len(_COVER) else rng.choices(names, weights)[0]
        kind = ASK_KINDS[index % 4]
        moment = builder.random_time()
        steps = builder.random_steps(scenario)
        # Keep within budget: an ask thread may not use more sent messages than are left.
        budget = sent - total
        mine = 1 + sum(1 for s in steps if s.action != "reply")
        if mine > budget:
            steps = [s for s in steps if s.action == "reply"][:1]
        total += builder.ask_thread(kind, moment, steps=steps, prelude=rng.random() < 0.12)
    for _ in range(negatives):
        if total >= sent:
            break
        total += builder.negative()
    while total < sent:
        total += builder.ordinary_sent()


# ---------------------------------------------------------------------------------------------
# The bundled demo mailbox.
# ---------------------------------------------------------------------------------------------

DEMO_OWNERS: dict[str, tuple[Person, int]] = {
    "gmail": (Person(email="sam.rivera.demo@gmail.com", name="Sam Rivera"), 7101),
    "graph": (Person(email="sam@riverastudio.example", name="Sam Rivera"), 7202),
}
DEMO_DAYS = 92
DEMO_SENT = 320


def demo_file_name(provider: str) -> str:
    return f"demo_{provider}.json.gz"


def build_demo_mailbox(provider: str, *, today: datetime = DEMO_TODAY) -> Mailbox:
    """The demo mailbox of ``provider``: a job seeker's three months of mail up to ``today``.

    Besides ordinary mail and hard negatives it holds scripted asks so that at ``today`` every
    digest section has something: follow-ups due, thank-yous owed, a question waiting, a bounce,
    an out-of-office back soon, an ask already nudged once, and asks still waiting.
    """
    if provider not in DEMO_OWNERS:
        raise ValueError(
            f"Unknown demo provider {provider!r}; use one of: {', '.join(DEMO_OWNERS)}."
        )
    owner, seed = DEMO_OWNERS[provider]
    time_zone = "America/New_York"
    start = today - timedelta(days=DEMO_DAYS)
    builder = _Builder(seed=seed, owner=owner, time_zone=time_zone, start=start, end=today)
    builder.make_contacts(70)
    builder.bounce_styles = (0,) if provider == "gmail" else (1,)
    zone = builder.zone
    today_local = today.astimezone(zone).date()

    def bdays_ago(n: int) -> datetime:
        day = today_local
        while n > 0:
            day -= timedelta(days=1)
            if day.weekday() < 5:
                n -= 1
        return builder.business_time(day)

    def next_bday(n: int) -> date:
        day = today_local
        while n > 0:
            day += timedelta(days=1)
            if day.weekday() < 5:
                n -= 1
        return day

    h = timedelta(hours=1)
    d = timedelta(days=1)
    # (kind, business days ago, steps): each line is one digest situation at ``today``.
    script: list[tuple[str, int, list[_Step]]] = [
        # follow-ups due today: asked 6-8 business days ago, no reply
        ("job_referral", 7, []),
        ("introduction", 6, []),
        ("recommendation", 8, []),
        # already nudged once, still silent; second nudge due
        ("job_referral", 15, [_Step("nudge", 7 * d)]),
        # nudged once, then they agreed: thank-you owed
        ("introduction", 14, [_Step("nudge", 8 * d), _Step("reply", 20 * h, "agreed")]),
        # thank-yous owed
        ("job_referral", 4, [_Step("reply", 5 * h, "agreed")]),
        ("recommendation", 9, [_Step("reply", 2 * d, "done")]),
        ("client_referral", 5, [_Step("reply", 26 * h, "declined")]),
        # a question waiting for the user
        ("job_referral", 3, [_Step("reply", 22 * h, "needs_info")]),
        # a bounce
        ("introduction", 2, [_Step("reply", 3 * timedelta(minutes=1), "bounce")]),
        # out of office, back the next business day
        ("recommendation", 4, [_Step("reply", 4 * timedelta(minutes=1), "auto_reply", next_bday(1))]),
        # an undated out-of-office
        ("client_referral", 3, [_Step("reply", 9 * timedelta(minutes=1), "auto_reply", None)]),
        # a reply that is none of the above
        ("introduction", 3, [_Step("reply", 30 * h, "other")]),
        # waiting: asked recently, follow-up due in the future
        ("job_referral", 1, []),
        ("client_referral", 2, []),
        ("recommendation", 0, []),
        # history: finished and thanked
        ("job_referral", 40, [_Step("reply", 6 * h, "agreed"), _Step("thanks", 2 * h), _Step("reply", 3 * d, "done"), _Step("thanks", 3 * h)]),
        ("introduction", 35, [_Step("reply", 1 * d, "needs_info"), _Step("answer", 3 * h), _Step("reply", 2 * d, "done"), _Step("thanks", 1 * h)]),
        ("client_referral", 50, [_Step("reply", 2 * d, "declined"), _Step("thanks", 4 * h)]),
        ("recommendation", 28, [_Step("reply", 5 * timedelta(minutes=1), "auto_reply", RELATIVE_RETURN), _Step("reply", 8 * d, "agreed"), _Step("thanks", 5 * h)]),
    ]  # fmt: skip
    total = 0
    people = builder.rng.sample(builder.contacts, len(script))  # one ask per person
    for (kind, ago, steps), person in zip(script, people, strict=True):
        moment = bdays_ago(ago) if ago else today - timedelta(hours=builder.rng.uniform(2, 4))
        prelude = kind == "client_referral" and ago == 2  # a client wrote first
        html = ago in (6, 3)  # two asks written in a rich-text editor
        total += builder.ask_thread(
            kind, moment, steps=steps, contact=person, prelude=prelude, html=html
        )
    _fill(builder, sent=DEMO_SENT - total, asks=0, negatives=30)
    for _ in range(DEMO_SENT // 2):
        builder.inbox_noise()
    return builder.mailbox(time_zone)


def load_demo_mailbox(provider: str = "gmail") -> Mailbox:
    """The bundled demo mailbox of ``provider`` ("gmail" or "graph")."""
    if provider not in DEMO_OWNERS:
        raise ValueError(
            f"Unknown demo provider {provider!r}; use one of: {', '.join(DEMO_OWNERS)}."
        )
    resource = importlib.resources.files("connectors.emulators.data").joinpath(
        demo_file_name(provider)
    )
    data = json.loads(gzip.decompress(resource.read_bytes()).decode("utf-8"))
    return Mailbox.from_json(data)
