"""Build the labelled evaluation set (sent.jsonl, received.jsonl) from hand-written messages.

Every message below was written for this set (none copied from a corpus). Each distinct message
is used once, wrapped in one of several presentations chosen by a seeded RNG: bare, with a
greeting and sign-off, as HTML, with quoted history or an Outlook header block under it, with a
signature block, in lower-case casual style. Names, companies and roles are drawn from small
lists. The output follows the `reftrack classify` input contract plus an ``expected`` object:
sent -> {"is_ask": bool, "kind": str|null}; received -> {"outcome": str, "return_date"?: str}.

Run: ``python tests/data/labelled/build_labelled.py`` (deterministic; rewrites sent.jsonl,
received.jsonl and holdout.jsonl). holdout2..holdout13.jsonl were written by hand directly as
JSONL, one round at a time, each AFTER the rules had been tuned on the earlier files, and each
scored once before any further change (first-run scores are in the issue note).
"""

from __future__ import annotations

import html
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
NAMES = [
    "Maria",
    "Tom",
    "Priya",
    "Kenji",
    "Olu",
    "Sarah",
    "Diego",
    "Anna",
    "Wei",
    "Fatima",
    "Lars",
    "Chloe",
]
ME = ["Sam", "Alex", "Jordan", "Nadia", "Ravi", "Elena"]
COMPANIES = [
    "Fabrikam",
    "Contoso",
    "Northwind",
    "Tailspin Toys",
    "Globex",
    "Initech",
    "Umbrella Health",
    "Wayfarer Labs",
    "Acme Corp",
    "Lumen Data",
]
ROLES = [
    "Senior Data Analyst",
    "Product Designer",
    "Backend Engineer",
    "Engineering Manager",
    "Marketing Lead",
    "ML Engineer",
    "Account Executive",
    "QA Engineer",
]

# ---------------------------------------------------------------------------------------------
# SENT: asks. (kind, subject, body)
# ---------------------------------------------------------------------------------------------
ASKS: list[tuple[str, str, str]] = [
    # job referral — explicit
    (
        "job_referral",
        "Referral for {role} at {company}",
        "I saw that {company} is hiring a {role}. Would you be willing to refer me? I've attached my resume and the job link.",
    ),
    (
        "job_referral",
        "Quick favor?",
        "Hope all is well! I'm applying for the {role} position at {company} and was wondering if you'd be comfortable giving me a referral.",
    ),
    (
        "job_referral",
        "{role} opening",
        "Would you mind putting my name forward for the {role} opening on your team? I think my background in analytics fits well.",
    ),
    (
        "job_referral",
        "Re: catching up",
        "Also, since you're at {company} now: could you put in a good word for me with the hiring manager for the {role} role?",
    ),
    (
        "job_referral",
        "job at {company}",
        "hey! saw the {role} posting at {company}. any chance you could refer me? totally fine if not",
    ),
    (
        "job_referral",
        "Request for an employee referral",
        "Dear {name},\nI am writing to ask whether you would consider submitting an employee referral on my behalf for the {role} vacancy (req 48213) at {company}.",
    ),
    (
        "job_referral",
        "Your team is hiring!",
        "I noticed your team just opened a {role} role. If you think I'd be a fit, could you pass my resume along to the recruiter?",
    ),
    (
        "job_referral",
        "{company}",
        "Would you be open to referring me for the {role} job? I applied through the website but referrals seem to get much more attention.",
    ),
    (
        "job_referral",
        "Hello from an old colleague",
        "It's been a while! I'm looking for my next role and {company} is at the top of my list. Would you be willing to vouch for me for the {role} position?",
    ),
    (
        "job_referral",
        "Referral request",
        "Kindly refer me for the {role} position at {company}. Job ID: 2231-B. Resume attached. Thanks a lot in advance.",
    ),
    (
        "job_referral",
        "position at your company",
        "Dear {name}, I hope you are fine. I want to request you for referral in your company for {role} post. I have 4 years experience. Please do the needful.",
    ),
    (
        "job_referral",
        "Quick ask",
        "Could you forward my CV to the hiring team for the {role} role? I'd really appreciate it.",
    ),
    (
        "job_referral",
        "Re: {company} role",
        "Thanks for the info on the team! Would you feel comfortable submitting me through the internal referral portal? Happy to send anything you need.",
    ),
    (
        "job_referral",
        "a small favour",
        "I'm interested in the {role} position at {company}. Would it be possible for you to recommend me for it internally?",
    ),
    (
        "job_referral",
        "Following up on our chat",
        "As we discussed at the meetup, I'd love to be considered for the {role} opening. Could you refer me, or let me know who I should contact?",
    ),
    (
        "job_referral",
        "",
        "Is there any chance you could put me forward for the {role} role at {company}? No pressure at all.",
    ),
    (
        "job_referral",
        "Referral?",
        "Would you be able to refer me to {company}? There's a {role} role that matches what I've been doing for the last three years.",
    ),
    (
        "job_referral",
        "{role} @ {company}",
        "I know you're busy so I'll keep it short: I'm applying to {company} for {role}, and a referral from you would mean a lot. Would you be up for it?",
    ),
    (
        "job_referral",
        "Can you help?",
        "I'm trying to get my application in front of the right people at {company}. Could you get my resume to the hiring manager for the {role} position?",
    ),
    (
        "job_referral",
        "Job opening at {company}",
        "Good morning {name}, I have seen there is opening for {role} in {company}. Can you kindly refer my profile? I am sharing my CV with this mail.",
    ),
    (
        "job_referral",
        "Remember me?",
        "We worked together at Globex back in 2019. I'm now looking to join {company} as a {role}, and I was hoping you might be able to refer me.",
    ),
    (
        "job_referral",
        "Re: lunch",
        "Great seeing you yesterday! As promised, here's the link to the {role} job. If you could submit a referral for me that would be amazing.",
    ),
    (
        "job_referral",
        "Hiring at {company}?",
        "If your team has any openings for a {role}, please keep me in mind and pass my name along to whoever is hiring.",
    ),
    (
        "job_referral",
        "Application for {role}",
        "I just applied for the {role} position at {company}. Would you be willing to flag my application to the recruiter? It would really help.",
    ),
    (
        "job_referral",
        "Question",
        "Do you think you could refer me for the {role} role? I've been following {company} for years and would love to be part of it.",
    ),
    (
        "job_referral",
        "Referral for the {role} position",
        "<p>Hi {name},</p><p>I came across the <b>{role}</b> position at {company}. Would you be willing to <i>refer me</i>? My resume is attached.</p>",
    ),
    (
        "job_referral",
        "Job",
        "Bonjour {name}, I apply to {company} for {role} job. If possible, can you give referral for me? It will help me very much.",
    ),
    (
        "job_referral",
        "{company} {role} — referral",
        "I'd be grateful if you could refer me for the {role} opening. I've pulled together a short summary of my experience below to make it easy.",
    ),
    (
        "job_referral",
        "checking in",
        "Any chance you'd be willing to put my name in for the {role} role at {company}? I hear internal candidates get looked at first.",
    ),
    (
        "job_referral",
        "Referral ask",
        "I'm reaching out to ask if you could refer me for the {role} position. I completely understand if you're not comfortable doing so.",
    ),
    (
        "job_referral",
        "Hi from {me}",
        "Would you consider passing my profile on to the {company} recruiting team for the {role} role? I think I'd be a strong fit.",
    ),
    (
        "job_referral",
        "An opportunity at {company}",
        "I was wondering if you could help me get referred for the {role} opening at {company}. I'm happy to jump on a call first.",
    ),
    (
        "job_referral",
        "Referral",
        "Hi {name}! Long time. I'm applying for {role} at {company}, would you mind referring me? Here's the posting: https://jobs.example.com/8812",
    ),
    (
        "job_referral",
        "Help with an application",
        "I'd really appreciate it if you could refer me for the {role} role. I know a referral from a current employee carries a lot of weight.",
    ),
    (
        "job_referral",
        "ML role",
        "Could you submit my resume for the {role} req on your team? I've attached the latest version.",
    ),
    (
        "job_referral",
        "Internship referral",
        "I'm a final-year student applying for the summer internship at {company}. Would you be willing to refer me? I can send my transcript and CV.",
    ),
    (
        "job_referral",
        "Re: Re: hello",
        "Thanks for getting back to me! If it's not too much to ask, could you put me forward for the {role} role when you get a chance?",
    ),
    (
        "job_referral",
        "Hi {name}",
        "Hi {name}, I hope you are doing well. I am looking for a change and found {role} role in {company}. Could you please refer me for this? Thanks and regards",
    ),
    (
        "job_referral",
        "{company}",
        "Would you be able to pass my resume to your hiring manager? I'm applying for the {role} position and would love a warm handoff.",
    ),
    (
        "job_referral",
        "question about {company}",
        "I'm applying for the {role} role. Would you be comfortable recommending me to the hiring team? I know we only overlapped for a year.",
    ),
    # introduction
    (
        "introduction",
        "Intro to {company}?",
        "Do you know anyone at {company} on the data team who you could connect me with? I'm exploring a move there.",
    ),
    (
        "introduction",
        "Could you introduce me?",
        "I noticed you're connected with {name} at {company}. Would you be open to introducing me? I'd love to learn about their work.",
    ),
    (
        "introduction",
        "Quick intro request",
        "Would you mind making an introduction to your friend who runs product at {company}? I've drafted a short blurb below you can forward.",
    ),
    (
        "introduction",
        "Re: coffee",
        "Loved our chat. You mentioned your cousin works in hiring at {company}. Could you put me in touch with her?",
    ),
    (
        "introduction",
        "Connection",
        "Hey, would you be able to connect me with someone on the {company} design team? Even a quick email intro would be great.",
    ),
    (
        "introduction",
        "Intro?",
        "any chance you could intro me to the founders of {company}? no worries if not",
    ),
    (
        "introduction",
        "Introduction to {name}",
        "Dear colleague, I would be grateful if you could introduce me to {name}, who I understand leads engineering at {company}.",
    ),
    (
        "introduction",
        "Warm intro",
        "Would you be comfortable making a warm introduction between me and the head of talent at {company}? Happy to send a forwardable note.",
    ),
    (
        "introduction",
        "",
        "Do you happen to know anyone at {company}? I'd really appreciate an intro if so.",
    ),
    (
        "introduction",
        "Favor to ask",
        "I'm trying to reach someone in partnerships at {company}. If you know the right person, could you point me to them or loop me in?",
    ),
    (
        "introduction",
        "Meeting your colleague",
        "<div>Hi {name},</div><div>Could you introduce me to your colleague on the {company} platform team? I'd love 15 minutes of their time.</div>",
    ),
    (
        "introduction",
        "hello",
        "You know everyone in the Berlin startup scene - could you connect me to a few founders who are hiring {role}s?",
    ),
    (
        "introduction",
        "Request",
        "I am hoping you can introduce me with the hiring manager for {role} at {company}. Please let me know if I can provide anything.",
    ),
    (
        "introduction",
        "Intro to your VP",
        "Would it be possible to get an introduction to your VP of Engineering? I'd like to ask about the {role} team.",
    ),
    (
        "introduction",
        "Re: Conference",
        "It was great meeting you at the conference. Would you be willing to put me in contact with the recruiting lead at {company}?",
    ),
    (
        "introduction",
        "Contact at {company}",
        "Is there someone at {company} you'd be comfortable introducing me to? I'm keen to learn how their analytics team works before applying.",
    ),
    (
        "introduction",
        "Quick question",
        "Since you used to work at {company}, would you be willing to introduce me to anyone still on the team there?",
    ),
    (
        "introduction",
        "introduction",
        "Could you please introduce me to Mr. {name} from {company}? I want to discuss the possibility of joining his team.",
    ),
    (
        "introduction",
        "Looking for a connection",
        "Do you know anybody at {company} who'd be willing to chat with me? If so, could you make the connection?",
    ),
    (
        "introduction",
        "Introduce me to {name}?",
        "I saw {name} is your former manager. Would you be open to a quick email introduction? I've pasted a forwardable blurb below.",
    ),
    # recommendation
    (
        "recommendation",
        "LinkedIn recommendation",
        "Would you be willing to write me a short LinkedIn recommendation? You saw my work on the migration project up close.",
    ),
    (
        "recommendation",
        "Reference",
        "I'm in the final round for a {role} role at {company} and they've asked for references. Would you be willing to be one of mine?",
    ),
    (
        "recommendation",
        "Letter of recommendation",
        "Dear Professor {name}, I am applying to graduate programs this fall and would be honored if you could write a letter of recommendation for me.",
    ),
    (
        "recommendation",
        "Reference request",
        "Could I list you as a reference for my application to {company}? They may call you next week.",
    ),
    (
        "recommendation",
        "A favor",
        "If you have a few minutes, would you mind writing a recommendation on my LinkedIn profile? Happy to return the favor.",
    ),
    (
        "recommendation",
        "Testimonial",
        "We loved working with your team this year. Would you be open to writing a short testimonial we could put on our website?",
    ),
    (
        "recommendation",
        "reference?",
        "hey! would you be ok being a reference for me? the recruiter at {company} wants two names by friday",
    ),
    (
        "recommendation",
        "Recommendation letter for visa",
        "I need a recommendation letter from a former manager for my visa application. Would you be able to write one? I can send a draft.",
    ),
    (
        "recommendation",
        "Could you vouch for me?",
        "{company} asked for a professional reference. Could you speak to my work on the billing team when they reach out?",
    ),
    (
        "recommendation",
        "Re: reference",
        "Thanks for offering earlier! Could you serve as a reference for me? The hiring manager is {name} and will email you.",
    ),
    (
        "recommendation",
        "Endorsement",
        "I'm applying for a grant and need a letter of support from a collaborator. Would you consider writing one for me?",
    ),
    (
        "recommendation",
        "Small ask",
        "Would you be willing to endorse my skills and leave a recommendation on LinkedIn? It would really help with my job search.",
    ),
    (
        "recommendation",
        "Recommendation",
        "<p>Dear {name},</p><p>I am applying for the MBA program and would be <b>grateful</b> if you could provide a <b>letter of recommendation</b>.</p>",
    ),
    (
        "recommendation",
        "Reference for {company}",
        "They've asked me to provide three references. I'd be grateful if you'd agree to be one - it would just be a 15 minute phone call.",
    ),
    (
        "recommendation",
        "LinkedIn",
        "Could you write a few lines about working with me on LinkedIn? A recommendation from a former manager would carry a lot of weight.",
    ),
    (
        "recommendation",
        "Quick one",
        "Would you be happy for me to put you down as a referee? The agency might ring you this week.",
    ),
    (
        "recommendation",
        "Need your help",
        "Dear {name}, I request you to kindly give me reference letter for my new job application. I will be very thankful.",
    ),
    (
        "recommendation",
        "Review",
        "If you were happy with the project, would you mind leaving us a short testimonial? Two or three sentences would be perfect.",
    ),
    (
        "recommendation",
        "Recommendation request",
        "As my former supervisor, would you be comfortable writing a recommendation for my application to the {role} program?",
    ),
    (
        "recommendation",
        "reference check",
        "{company} is doing reference checks for the {role} offer. Would it be okay if I gave them your name and number?",
    ),
    # client referral
    (
        "client_referral",
        "Thank you + a small ask",
        "It was a pleasure working on your rebrand. If you know anyone else who needs a designer, I'd be grateful if you passed my name along.",
    ),
    (
        "client_referral",
        "Growing my practice",
        "Most of my clients come from referrals. If you know other founders who could use help with bookkeeping, please send them my way!",
    ),
    (
        "client_referral",
        "Quick favor",
        "I'm taking on two new clients next quarter. If anyone in your network needs a fractional CFO, would you mind recommending me?",
    ),
    (
        "client_referral",
        "Referrals",
        "Would you be willing to refer other businesses to us? We offer a month free to anyone you send our way.",
    ),
    (
        "client_referral",
        "Keep me in mind",
        "If you hear of a company that's struggling with their data pipeline, I'd really appreciate it if you'd mention my consulting services.",
    ),
    (
        "client_referral",
        "Happy client?",
        "If you've been happy with our work, the best compliment is a referral. Do you know anyone who could benefit from our photography?",
    ),
    (
        "client_referral",
        "",
        "hey - if any of your friends need a web developer, send them my way? would really help me out this month",
    ),
    (
        "client_referral",
        "Project wrap-up",
        "Now that the project is wrapped, could you pass my details on to other teams at {company} that might need similar work?",
    ),
    (
        "client_referral",
        "Spreading the word",
        "I'm growing my coaching practice and would love your help spreading the word. Could you share my website with anyone who might benefit?",
    ),
    (
        "client_referral",
        "A request",
        "Word of mouth is how my studio grows. If you know anyone looking for an architect, would you be willing to pass my name along to them?",
    ),
    (
        "client_referral",
        "New services",
        "<p>We've just launched our audit service. If you know other companies that <b>need</b> a security review, could you refer them to us?</p>",
    ),
    (
        "client_referral",
        "Thanks for the business",
        "Thank you for trusting us with your move. If you know anybody else who needs movers, we'd be grateful for a referral.",
    ),
    (
        "client_referral",
        "Recommend me?",
        "Could you recommend my tutoring services to other parents at the school? I have a few spots open this term.",
    ),
    (
        "client_referral",
        "Following up",
        "If any of your colleagues need translation work, would you be comfortable passing along my contact details?",
    ),
    (
        "client_referral",
        "Small favor",
        "Know any other restaurants that need a new website? I'd love an introduction to anyone you think could use my help.",
    ),
]

# SENT: not asks (hard negatives)
NON_ASKS: list[tuple[str, str]] = [
    (
        "Referred you!",
        "I just referred you for the {role} role at {company}. You should get an email from Workday soon.",
    ),
    (
        "Intro: {name} <> {me}",
        "{name}, meet {me}. {me} is a fantastic designer looking at {company}. I'll let you two take it from here!",
    ),
    (
        "Your recommendation",
        "Here is the recommendation I wrote for you on LinkedIn - let me know if you'd like any changes.",
    ),
    (
        "Thank you!",
        "Thank you so much for referring me to {company}. I really appreciate you taking the time.",
    ),
    (
        "Thanks for the intro",
        "Thanks for introducing me to {name}! We had a great call this morning.",
    ),
    (
        "Join our referral program",
        "Refer a friend and earn $50 credit for every friend who signs up. Unsubscribe at any time.",
    ),
    (
        "Referral to dermatologist",
        "Hi Dr. {name}, could you send a referral to the dermatologist for my son? Our insurance requires it.",
    ),
    (
        "Dinner?",
        "Can you recommend a good restaurant near the office for Friday? Something with vegetarian options.",
    ),
    (
        "Meeting next week",
        "Could we move our meeting to Thursday at 3pm? Let me know if that works for you.",
    ),
    (
        "Invoice #4421",
        "Please find attached invoice #4421 for October. Payment is due within 30 days.",
    ),
    (
        "Project update",
        "The migration is 80% complete. We expect to finish by the end of next week.",
    ),
    ("Re: Resume", "Sure, send me your resume and I'll refer you for the role."),
    ("Congrats!", "Congrats on the new job at {company}! They're lucky to have you."),
    (
        "Happy to be a reference",
        "Of course, I'd be happy to serve as a reference for you. Feel free to give them my number.",
    ),
    ("Lunch", "Want to grab lunch on Tuesday? I'm free after noon."),
    ("Quarterly numbers", "Attached are the Q3 numbers. Revenue was up 12% year over year."),
    (
        "Recommendation",
        "I highly recommend {name} for the {role} role. She was the strongest analyst on my team.",
    ),
    ("Book recs?", "Any book recommendations for the long flight? I finished the one you lent me."),
    (
        "Connecting you two",
        "I wanted to introduce you to {name}, who runs recruiting at {company}. I think you two should talk.",
    ),
    ("Re: referral", "Thanks for the referral! The client signed yesterday."),
    (
        "Hotel",
        "Could you recommend a hotel near the conference venue? Budget is around $200/night.",
    ),
    ("Plumber", "Do you know a good plumber? Our kitchen sink is leaking again."),
    (
        "Re: question",
        "The job ID is 2231-B and the hiring manager is {name}. Let me know if you need anything else.",
    ),
    (
        "Application status",
        "I applied for the {role} role two weeks ago and wanted to check on the status of my application.",
    ),
    (
        "Informational interview",
        "Would you be open to a 20-minute call to tell me about your career path at {company}? I'm curious how you moved into product.",
    ),
    ("Happy birthday!", "Happy birthday! Hope you have a wonderful day with the family."),
    (
        "Referral bonus payout",
        "HR confirmed that the referral bonus for {name} will be paid in the November payroll.",
    ),
    (
        "Our referral program is live",
        "We're excited to announce our new customer referral program: give $20, get $20. Share your link today!",
    ),
    (
        "Physio referral",
        "My GP gave me a referral to a physiotherapist. Can you check if the clinic is covered by our insurance?",
    ),
    ("Re: reference", "I've submitted the reference form for {name}. Good luck with the offer!"),
    (
        "Doc review",
        "Could you review the attached contract draft by Friday? Comments in the margins are fine.",
    ),
    ("Travel", "My flight lands at 6pm, so I'll be at the hotel around 7."),
    ("Re: intro", "Thanks {name}! Moving you to bcc. {me}, would Tuesday at 10 work for a call?"),
    (
        "Candidate for your team",
        "I'd like to refer my former colleague {name} for your {role} opening. Her resume is attached.",
    ),
    ("Re: hiring", "We're not hiring for that role right now, but I'll keep your resume on file."),
    ("Vacation", "I'll be out next week, so please send anything urgent to {name}."),
    (
        "Quick update",
        "Just wanted to let you know I got the job at {company}! Thanks again for all your help along the way.",
    ),
    (
        "Webinar invite",
        "Join us for a webinar on hiring trends on March 3. Register here. To unsubscribe, click here.",
    ),
    ("Podcast", "Can you recommend a podcast about product management? I have a long commute now."),
    (
        "Recommendation letter attached",
        "Attached is the letter of recommendation for {name}'s graduate application. Let me know if anything else is needed.",
    ),
    ("Rent", "Transferred the rent for November. Let me know when you receive it."),
    (
        "Re: your question",
        "Yes, {company} does sponsor visas for the {role} position, as far as I know.",
    ),
    ("Team offsite", "Please fill in the poll for the offsite dates by Wednesday."),
    (
        "Feedback on the deck",
        "Great deck! Slide 7 could use a clearer chart, otherwise it's ready.",
    ),
    (
        "Re: your application",
        "Thank you for applying to {company}. We will review your application and get back to you within two weeks.",
    ),
    (
        "Would love your advice",
        "I'm thinking about moving from consulting into product. Would you have 15 minutes to share how you made the switch?",
    ),
    (
        "Referral from Dr. {name}",
        "Dr. {name} referred me to your clinic for a follow-up MRI. Could you let me know the next available appointment?",
    ),
    (
        "Re: Intro",
        "Thanks so much for connecting us, {name}! I'll follow up with {company} directly.",
    ),
    (
        "Recommendations for Lisbon",
        "Heading to Lisbon next month - any recommendations for neighborhoods to stay in?",
    ),
    ("Order confirmation", "Your order #55121 has shipped and will arrive on Thursday."),
    ("Password reset", "Can you reset my VPN password? I'm locked out after the update."),
    (
        "LinkedIn",
        "I wrote you a LinkedIn recommendation this morning - it should show up once you accept it.",
    ),
    ("Re: can you refer me?", "Done - I submitted your referral this morning. Fingers crossed!"),
    (
        "Reconnecting",
        "It's been ages since the Globex days! I'd love to catch up over coffee when you're in town.",
    ),
    ("Congratulations on the promotion", "So happy to see you made director. Well deserved!"),
    (
        "Thanks for being a reference",
        "Thank you for being a reference for me - I got the offer from {company}!",
    ),
    (
        "Follow up on your application",
        "Following up on my application for the {role} position submitted on October 3. I remain very interested.",
    ),
    (
        "Candidates",
        "Do you have any candidates for the {role} position? We'd like to fill it before Q1.",
    ),
    (
        "Re: Referral request",
        "I'm sorry, I don't know the team at {company} well enough to refer you, but I wish you the best.",
    ),
    (
        "Expense report",
        "Please approve my expense report for the Chicago trip. Receipts are attached.",
    ),
    (
        "Meet {name}",
        "Hi both - {name}, this is {me}, who I mentioned is looking at {role} roles. {me}, {name} leads the analytics team at {company}. I'll let you take it from here.",
    ),
    (
        "Re: references",
        "My references are {name} (former manager) and Chris Lee (colleague). Their contact details are below.",
    ),
    (
        "Referral",
        "{name} referred me to you - she said you might be looking for a {role}. I've attached my portfolio in case it's useful.",
    ),
    ("Dentist", "Can you recommend a good dentist in the area? Mine just retired."),
    (
        "recommendations for laptops",
        "Any recommendation for a laptop for data science under $2000?",
    ),
    (
        "Next steps",
        "Thanks for the interview today. I enjoyed learning about the {role} team and look forward to hearing about next steps.",
    ),
    ("Schedule", "Can you send me your availability for next week so we can schedule the kickoff?"),
    (
        "Re: intro request",
        "Happy to introduce you to {name}. I'll send a separate email to both of you now.",
    ),
    ("Wedding", "We're so excited to see you at the wedding! The RSVP deadline is May 1."),
    ("Your invoice", "Hi, could you resend the invoice with our new billing address? Thanks!"),
    (
        "Re: the job",
        "I forwarded your resume to the hiring manager yesterday. She said she'll reach out this week.",
    ),
    ("Standup notes", "Yesterday: finished the API. Today: writing tests. Blockers: none."),
    (
        "Hiring update",
        "We're hiring a {role}! Check out the posting on our careers page and share it with your network.",
    ),
    (
        "Newsletter: October",
        "This month: our referral program doubled, three new hires, and the office move. Read more on our blog. Unsubscribe.",
    ),
    (
        "Re: Recommendation",
        "I posted the recommendation on your profile - thanks for asking, it was a pleasure to write.",
    ),
    (
        "Specialist",
        "Can you refer me to a cardiologist? My doctor said I need to see a specialist for the palpitations.",
    ),
    ("Restaurant", "Could you recommend somewhere for our anniversary dinner? Somewhere quiet."),
    ("Re: quick question", "Yes, I can confirm the meeting at 2pm tomorrow in room 4B."),
    ("Offer accepted", "I accepted the offer from {company} today. Start date is January 8!"),
    ("Volunteer", "Would you be able to volunteer at the food bank on Saturday morning?"),
    ("Thanks again", "Thanks again for putting my name forward - I have the interview on Monday!"),
    (
        "Checking in",
        "Just checking in to see how you're doing after the move. Hope the new place is great.",
    ),
    ("Re: Re: catch up", "Sounds good, see you Thursday at the usual place."),
    (
        "Candidate referral",
        "Please find attached the CV of {name}, whom I am referring for the {role} position at {company}.",
    ),
    (
        "Resume feedback",
        "Could you take a look at my resume and tell me what you'd change? I'm applying for {role} roles.",
    ),
    (
        "Reference provided",
        "I spoke with the recruiter from {company} today and gave you a glowing reference.",
    ),
    ("Contractor", "Can you recommend a contractor for a bathroom remodel? Ours fell through."),
    ("Budget", "The budget for Q4 is approved. Let's discuss allocation on Monday."),
    ("Re: hello", "Great to hear from you! Yes, I'm still at {company}, the team is growing fast."),
    ("Job search advice", "What job boards would you suggest for {role} roles in Berlin?"),
    (
        "Re: recommendation",
        "I'd be glad to write you a recommendation - send me a few bullet points on what to highlight.",
    ),
    ("Tickets", "I got us two tickets for the game on Sunday. Can you drive?"),
    (
        "Re: referral program",
        "Does our referral program pay out for contractors, or only full-time hires?",
    ),
    (
        "Interview prep",
        "Could you do a mock interview with me this weekend? I have the {company} onsite on Tuesday.",
    ),
    (
        "Shared folder",
        "I've shared the folder with the design files. Let me know if you can't access it.",
    ),
    ("Re: thanks", "Anytime! Let me know how the interview goes."),
    ("Feedback", "Would you be willing to give feedback on my portfolio before I send it out?"),
    ("Bug report", "The export button throws a 500 error when the report has more than 10k rows."),
    ("Re: Re: project", "Sounds good. I'll send the revised scope tomorrow."),
]

# ---------------------------------------------------------------------------------------------
# RECEIVED: replies (outcome, body[, headers, subject, return_date])
# ---------------------------------------------------------------------------------------------
REPLIES: list[tuple[str, str]] = [
    ("agreed", "Happy to refer you! Let me look at the posting and I'll submit it this week."),
    ("agreed", "Of course! I'll put your name forward tomorrow morning."),
    ("agreed", "Sure thing, I'd be glad to introduce you to {name}. Give me a couple of days."),
    (
        "agreed",
        "Absolutely, I'd be honored to write you a recommendation. I'll get to it this weekend.",
    ),
    ("agreed", "Yes, happy to be a reference. Feel free to give them my email."),
    ("agreed", "sure, will do!"),
    ("agreed", "No problem at all. I'll reach out to the hiring manager on Monday."),
    ("agreed", "I'd be happy to help. Let me ping the recruiter and see what the process is."),
    ("agreed", "Count me in - I'll write something up for LinkedIn this week."),
    (
        "agreed",
        "Great to hear from you! I can definitely refer you, I'll do it after my vacation next week.",
    ),
    ("agreed", "Yes of course. I will introduce you by email later today."),
    (
        "agreed",
        "Happy to pass your name along to anyone who needs a designer. I know a couple of people already.",
    ),
    ("agreed", "For sure, I'll mention you to the team lead when we meet on Thursday."),
    ("agreed", "I'll gladly serve as a reference. Good luck with the final round!"),
    ("agreed", "Definitely! Let me talk to {name} and I'll loop you in."),
    (
        "agreed",
        "<div>Hi!</div><div>Of course, I'd be happy to refer you. I'll do it tonight.</div>",
    ),
    ("agreed", "You got it. I'll send the intro once I'm back at my desk."),
    ("agreed", "Yes, I can do that. Will get it done by Friday."),
    ("agreed", "That's no problem, I will recommend you to my colleagues."),
    ("agreed", "Sounds good - I'll put in a word with the hiring manager."),
    ("agreed", "My pleasure. I'll write the letter and send it to the admissions office directly."),
    ("agreed", "Ok, I will refer you. Give me some days please."),
    ("agreed", "I'd love to help. I'll reach out to my contact at {company} this afternoon."),
    ("agreed", "Happy to do it! I'll draft something and share it with you before posting."),
    ("agreed", "Sure - I'm happy to vouch for you. Let them know they can call me."),
    ("agreed", "With pleasure! I'll keep you in mind and send anyone I meet your way."),
    ("agreed", "Yep, totally. I'll submit you through our portal tomorrow."),
    ("agreed", "Of course, happy to help a former teammate. I'll take care of it this week."),
    ("agreed", "Glad to help. I'll send an intro email to both of you shortly."),
    ("agreed", "I'd be glad to. I'll put something together this weekend."),
    (
        "done",
        "Done! I just submitted your referral. You should get an email from our recruiting team soon.",
    ),
    ("done", "I've referred you for the {role} role. Fingers crossed!"),
    ("done", "Just sent an intro email to {name} - you should see it in your inbox."),
    ("done", "I posted the recommendation on your LinkedIn profile this morning."),
    (
        "done",
        "I forwarded your resume to the hiring manager and told her to expect your application.",
    ),
    ("done", "Referral submitted ✅ Good luck!"),
    (
        "done",
        "Hi both, {name} meet {me}. {me} is the designer I mentioned. I'll let you two connect.",
    ),
    ("done", "The letter has been uploaded to the portal. Let me know if they need anything else."),
    ("done", "I spoke to the team lead yesterday and passed along your CV."),
    ("done", "Already did it! Your referral is in the system now."),
    ("done", "I just put your name in for the role. The recruiter will reach out."),
    ("done", "I've written the reference and emailed it to {company} HR."),
    (
        "done",
        "Looping in {name} here, who runs the data team at {company}. {name}, {me} is the person I told you about.",
    ),
    ("done", "I went ahead and submitted you through Greenhouse. You'll get an automated email."),
    ("done", "I passed your details to my friend at {company}, he said he'll email you this week."),
    ("done", "Recommendation is live on your profile now."),
    ("done", "<p>Done - I referred you this morning.</p><p>Good luck!</p>"),
    ("done", "I gave them your name and number yesterday. Expect a call."),
    ("done", "Just finished the reference call with {company}. It went well, I think!"),
    (
        "done",
        "I mentioned you to two of our clients who need bookkeeping; they have your email now.",
    ),
    ("done", "Have referred your profile for the {role} position. You will receive mail from HR."),
    ("done", "I dropped your resume in the referral portal. Let's see what happens."),
    ("done", "Introduced you to {name} on LinkedIn - check your messages."),
    ("done", "Sent! The testimonial is in your inbox, feel free to edit it."),
    ("done", "I already submitted the referral form for you. HR confirmed they received it."),
    (
        "declined",
        "Unfortunately I don't think I can refer you - I don't know your work well enough.",
    ),
    ("declined", "I'm sorry, but our company policy doesn't allow referrals for contractors."),
    ("declined", "I'm afraid I left {company} last year, so I can't help with a referral there."),
    ("declined", "I'd rather not, to be honest. I haven't worked with you closely enough."),
    ("declined", "Sorry, I'm not able to be a reference right now."),
    ("declined", "Thanks for thinking of me, but I'll have to pass on this one."),
    (
        "declined",
        "We have a hiring freeze, so referrals aren't being accepted at the moment. Sorry!",
    ),
    ("declined", "I don't really know anyone at {company}, sorry. Wish I could help."),
    ("declined", "Unfortunately I'm no longer at {company}, so I won't be able to introduce you."),
    (
        "declined",
        "I don't feel comfortable writing a recommendation since we only worked together for a month.",
    ),
    ("declined", "Sorry, I can't do that. Referrals are limited to people I've directly managed."),
    ("declined", "I'm not the right person for this, I'm afraid. I barely know the team."),
    (
        "declined",
        "Regrettably I must decline, I'm already a reference for another candidate for the same role.",
    ),
    ("declined", "I wish I could help, but I'm not in a position to refer anyone right now."),
    ("declined", "Hmm, I don't think that's a good idea right now. Maybe in a few months."),
    (
        "declined",
        "Unfortunately our team isn't hiring and I don't have contacts in other departments.",
    ),
    ("declined", "Sorry {me}, I cannot refer you as I have only been here 2 weeks."),
    ("declined", "I'm going to pass - I don't have the bandwidth to write a letter this month."),
    (
        "declined",
        "<div>Unfortunately, I don't feel I know your work well enough to recommend you.</div>",
    ),
    ("declined", "Sorry, I'm not comfortable introducing you to my manager."),
    ("needs_info", "Happy to help! Can you send me your resume and the job ID?"),
    ("needs_info", "Which role are you applying for? There are a few open on our team."),
    ("needs_info", "Sure - could you send me a short blurb about yourself that I can forward?"),
    ("needs_info", "What would you like me to highlight in the recommendation?"),
    ("needs_info", "Can you share the link to the posting? I can't find it on our careers page."),
    ("needs_info", "Before I refer you, can you send me your updated CV?"),
    ("needs_info", "When is the deadline for the letter? And where should I send it?"),
    (
        "needs_info",
        "I need a few more details - what team is the role on and who is the hiring manager?",
    ),
    ("needs_info", "Could you send me a couple of bullet points on the projects we did together?"),
    ("needs_info", "Send me the req number and I'll take a look."),
    ("needs_info", "What's the job ID? Our referral tool needs it."),
    (
        "needs_info",
        "Could you tell me a bit more about what you're looking for before I make the intro?",
    ),
    (
        "needs_info",
        "Sure, but what kind of clients are you looking for? I want to send the right people.",
    ),
    ("needs_info", "Do you have a forwardable email I can send to {name}?"),
    ("needs_info", "Please share your resume in PDF, the portal doesn't take Word files."),
    (
        "needs_info",
        "Can you remind me which project we worked on together? I want the reference to be specific.",
    ),
    ("needs_info", "Happy to. Which email address should the reference go to?"),
    ("needs_info", "<p>Can you send me the job link and your CV? I'll take it from there.</p>"),
    ("needs_info", "what's the role exactly? and is it the Berlin or London office?"),
    ("needs_info", "Could you draft the recommendation and send it to me? I'll edit and post it."),
    ("other", "Thanks for reaching out! Let me think about it and get back to you."),
    ("other", "Great to hear from you! How have you been? It's been ages."),
    ("other", "Got it, thanks."),
    ("other", "I'm traveling this week but will look at this when I'm back."),
    ("other", "Interesting - I didn't know you were looking. Let's catch up soon."),
    ("other", "Let me check with HR on how referrals work for that team first."),
    ("other", "Thanks! I'll see what I can find out."),
    ("other", "Congrats on the new chapter! I'll take a look."),
    ("other", "Hey, good to hear from you. Busy week here, will reply properly soon."),
    ("other", "Received, thanks."),
    ("other", "I'll have a think about who might be a good fit."),
    ("other", "Noted. Talk soon."),
    ("other", "Thanks for the update, let's talk next week."),
    ("other", "I'm not sure yet - the team is reorganizing. I'll let you know."),
    ("other", "Interesting role! How did you hear about it?"),
]

AUTO_REPLIES: list[tuple[str, str, dict[str, str], str | None]] = [
    (
        "Automatic reply: {subject}",
        "I am out of the office until Monday 3 November with limited access to email. I will respond when I return.",
        {"Auto-Submitted": "auto-replied"},
        "2026-11-03",
    ),
    (
        "Out of Office",
        "Thank you for your email. I'm currently on vacation and will be back on 11/03. For urgent matters please contact {name}.",
        {},
        "2026-11-03",
    ),
    (
        "Abwesenheitsnotiz: {subject}",
        "Vielen Dank für Ihre Nachricht. Ich bin bis 3.11. nicht im Büro und bin ab dem 4.11. wieder erreichbar.",
        {"Auto-Submitted": "auto-replied"},
        "2026-11-03",
    ),
    (
        "Auto: {subject}",
        "I'm away at a conference, returning 2026-11-05.",
        {"X-Autoreply": "yes"},
        "2026-11-05",
    ),
    (
        "Re: {subject}",
        "This is an automatic reply. I'll be back Nov 3rd and will get back to you then.",
        {"Precedence": "auto_reply"},
        "2026-11-03",
    ),
    (
        "Out of office",
        "I'm on parental leave until January 12, 2027. Please reach out to {name} in the meantime.",
        {},
        "2027-01-12",
    ),
    (
        "Automatic reply: {subject}",
        "Hi, I'm out of the office with no access to email. I'll reply when I'm back.",
        {"Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All"},
        None,
    ),
    (
        "Réponse automatique : {subject}",
        "Je suis absent jusqu'au 3 novembre. Je vous répondrai à mon retour.",
        {"Auto-Submitted": "auto-replied"},
        "2026-11-03",
    ),
    (
        "Away until Friday",
        "Thanks for your message. I am away until Friday with limited access to email.",
        {},
        "2026-10-30",
    ),
    (
        "Re: {subject}",
        "I'm currently out of the office and will return on Monday, November 9th.",
        {"Auto-Submitted": "auto-replied"},
        "2026-11-09",
    ),
    (
        "Out of Office: {subject}",
        "I am travelling on business until 14/11 and will respond on my return.",
        {},
        "2026-11-14",
    ),
    (
        "Automatische Antwort: {subject}",
        "Ich bin bis zum 10. November im Urlaub.",
        {"Auto-Submitted": "auto-replied"},
        "2026-11-10",
    ),
    (
        "Autoreply",
        "I'm off sick today and will be back tomorrow.",
        {"X-Autoreply": "yes"},
        "2026-10-29",
    ),
    (
        "Automatic reply: {subject}",
        "<p>I'm out of office until <b>November 20</b>.</p><p>For urgent issues, contact {name}.</p>",
        {"Auto-Submitted": "auto-replied"},
        "2026-11-20",
    ),
    (
        "Vacation reply",
        "I'm on holiday until 2 Dec and checking email only occasionally.",
        {"Precedence": "bulk", "Auto-Submitted": "auto-replied"},
        "2026-12-02",
    ),
]

BOUNCES: list[tuple[str, str, dict[str, str], str]] = [
    (
        "Undeliverable: {subject}",
        "Delivery has failed to these recipients or groups:\n\n{addr}\nThe email address you entered couldn't be found.",
        {
            "From": "postmaster@outlook.com",
            "Content-Type": "multipart/report; report-type=delivery-status",
        },
        "{addr}",
    ),
    (
        "Delivery Status Notification (Failure)",
        "Address not found\n\nYour message wasn't delivered to {addr} because the address couldn't be found, or is unable to receive mail.",
        {
            "From": "Mail Delivery Subsystem <mailer-daemon@googlemail.com>",
            "X-Failed-Recipients": "{addr}",
        },
        "{addr}",
    ),
    (
        "Mail delivery failed: returning message to sender",
        "This message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its recipients. This is a permanent error. The following address(es) failed:\n\n  {addr}\n    SMTP error from remote mail server after RCPT TO:<{addr}>:\n    550 5.1.1 User unknown",
        {"From": "Mail Delivery System <Mailer-Daemon@mx.example.net>"},
        "{addr}",
    ),
    (
        "Undelivered Mail Returned to Sender",
        "This is the mail system at host mx.example.org.\n\nI'm sorry to have to inform you that your message could not be delivered to one or more recipients.\n\n<{addr}>: host mx.example.com said: 550 5.1.1 <{addr}>: Recipient address rejected: User unknown",
        {
            "From": "MAILER-DAEMON@example.org (Mail Delivery System)",
            "Auto-Submitted": "auto-replied",
        },
        "{addr}",
    ),
    (
        "failure notice",
        "Hi. This is the qmail-send program at example.com.\nI'm afraid I wasn't able to deliver your message to the following addresses.\nThis is a permanent error; I've given up. Sorry it didn't work out.\n\n<{addr}>:\nmailbox unavailable",
        {"From": "MAILER-DAEMON@example.com"},
        "{addr}",
    ),
    (
        "Returned mail: see transcript for details",
        "----- The following addresses had permanent fatal errors -----\n<{addr}>\n    (reason: 550 Host unknown)",
        {
            "From": "Mail Delivery Subsystem <MAILER-DAEMON@example.org>",
            "Content-Type": "multipart/report; report-type=delivery-status; boundary=xyz",
        },
        "{addr}",
    ),
    (
        "Message not delivered",
        "Your message to {addr} couldn't be delivered. The recipient's mailbox is full.\n\nFinal-Recipient: rfc822; {addr}\nAction: failed\nStatus: 5.2.2",
        {
            "From": "postmaster@example.com",
            "Content-Type": "multipart/report; report-type=delivery-status",
        },
        "{addr}",
    ),
    (
        "Unzustellbar: {subject}",
        "Die Nachricht konnte nicht an folgende Empfänger zugestellt werden:\n{addr}\nFinal-Recipient: rfc822;{addr}\nAction: failed\nStatus: 5.1.1",
        {
            "From": "postmaster@firma.de",
            "Content-Type": "multipart/report; report-type=delivery-status",
        },
        "{addr}",
    ),
]


def _fill(s: str, r: random.Random, ctx: dict[str, str]) -> str:
    return s.format(**ctx)


def _ctx(r: random.Random) -> dict[str, str]:
    name = r.choice(NAMES)
    return {
        "name": name,
        "me": r.choice(ME),
        "company": r.choice(COMPANIES),
        "role": r.choice(ROLES),
        "subject": "Referral for the role",
        "addr": f"{name.lower()}.{r.choice(['smith', 'lee', 'garcia', 'khan'])}@{r.choice(['example.com', 'contoso.com', 'mail.example.org'])}",
    }


QUOTES = [
    "\n\nOn Tue, Oct 27, 2026 at 9:14 AM {name} <{lname}@example.com> wrote:\n> Hi {me}, great to hear from you!\n> Let me know how things are going.\n",
    "\n\n-----Original Message-----\nFrom: {name} <{lname}@example.com>\nSent: Monday, October 26, 2026 4:02 PM\nTo: {me}\nSubject: Re: catching up\n\nGood to hear from you, we should get coffee soon.\n",
    "\n\n________________________________\nFrom: {name}\nSent: 26 October 2026 16:02\nTo: {me}\nSubject: RE: hello\n\nThanks, talk soon.\n",
    "\n\nAm 26.10.2026 um 16:02 schrieb {name} <{lname}@example.com>:\n> Danke, bis bald.\n",
]
SIGS = [
    "\n\n-- \n{me} Example\nSenior Analyst | +1 555 0100\nlinkedin.com/in/example",
    "\n\nSent from my iPhone",
    "\n\nBest,\n{me}\n\n{me} Example | Product Designer\nhttps://portfolio.example.com",
]
GREETS = ["Hi {name},\n\n", "Hey {name}!\n\n", "Dear {name},\n\n", "{name} -\n\n", ""]
CLOSES = [
    "\n\nThanks so much,\n{me}",
    "\n\nBest regards,\n{me}",
    "\n\nCheers,\n{me}",
    "\n\nThank you!",
    "",
]


def _present(body: str, r: random.Random, ctx: dict[str, str], *, allow_html: bool = True) -> str:
    ctx = {**ctx, "lname": ctx["name"].lower()}
    if body.lstrip().startswith("<"):
        return body.format(**ctx)
    style = r.choice(["bare", "greet", "greet", "quote", "sig", "html", "casual", "outlook"])
    text = body.format(**ctx)
    if style in ("greet", "quote", "sig", "html", "outlook"):
        text = r.choice(GREETS).format(**ctx) + text + r.choice(CLOSES).format(**ctx)
    if style == "sig":
        text += r.choice(SIGS).format(**ctx)
    if style == "quote":
        text += r.choice(QUOTES[:1] + QUOTES[3:]).format(**ctx)
    if style == "outlook":
        text += r.choice(QUOTES[1:3]).format(**ctx)
    if style == "casual":
        text = text.lower()
    if style == "html" and allow_html:
        paras = [f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in text.split("\n\n")]
        quote = (
            '<div class="gmail_quote"><div dir="ltr">On Mon, Oct 26, 2026 at 4:02 PM '
            f"{ctx['name']} wrote:</div><blockquote>Earlier message about something else.</blockquote></div>"
        )
        text = f'<html><body><div dir="ltr">{"".join(paras)}</div>{quote}</body></html>'
    return text


def build() -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    r = random.Random(20261123)
    sent: list[dict[str, object]] = []
    for i, (kind, subj, body) in enumerate(ASKS):
        for rep in range(2):
            ctx = _ctx(r)
            sent.append({
                "id": f"s-ask-{i:03d}-{rep}",
                "direction": "sent",
                "subject": subj.format(**ctx),
                "body": _present(body, r, ctx),
                "expected": {"is_ask": True, "kind": kind},
            })  # fmt: skip
    for i, (subj, body) in enumerate(NON_ASKS):
        for rep in range(2):
            ctx = _ctx(r)
            sent.append({
                "id": f"s-neg-{i:03d}-{rep}",
                "direction": "sent",
                "subject": subj.format(**ctx),
                "body": _present(body, r, ctx),
                "expected": {"is_ask": False, "kind": None},
            })  # fmt: skip
    recv: list[dict[str, object]] = []
    for i, (outcome, body) in enumerate(REPLIES):
        for rep in range(2 if outcome != "other" else 1):
            ctx = _ctx(r)
            recv.append({
                "id": f"r-{outcome}-{i:03d}-{rep}",
                "direction": "received",
                "subject": "Re: " + r.choice(["Referral for the role", "Quick favor", "Intro request", "Reference", "Hello"]),
                "body": _present(body, r, ctx),
                "expected": {"outcome": outcome},
            })  # fmt: skip
    for i, (subj, body, headers, ret) in enumerate(AUTO_REPLIES):
        ctx = _ctx(r)
        recv.append({
            "id": f"r-auto-{i:03d}",
            "direction": "received",
            "subject": subj.format(**ctx),
            "body": body.format(**ctx),
            "headers": headers,
            "today": "2026-10-28",
            "expected": {"outcome": "auto_reply", "return_date": ret},
        })  # fmt: skip
    for i, (subj, body, headers, addr) in enumerate(BOUNCES):
        for rep in range(2):
            ctx = _ctx(r)
            recv.append({
                "id": f"r-bounce-{i:03d}-{rep}",
                "direction": "received",
                "subject": subj.format(**ctx),
                "body": body.format(**ctx),
                "headers": {k: v.format(**ctx) for k, v in headers.items()},
                "expected": {"outcome": "bounce", "bounced_address": addr.format(**ctx)},
            })  # fmt: skip
    return sent, recv


# ---------------------------------------------------------------------------------------------
# A second, smaller set written AFTER the rules were tuned on the sets above and scored once
# before any further change: the honest estimate of how the rules generalise. (Written in a
# different voice: longer, more indirect, more non-native phrasing, different hard negatives.)
# ---------------------------------------------------------------------------------------------
HOLDOUT_SENT: list[tuple[str, str, bool, str | None]] = [
    (
        "Thinking of applying to Contoso",
        "Hi Mei,\n\nI've been eyeing the Solutions Architect opening at Contoso for a while now. Since you've been there three years, I was hoping you might be able to submit my name through your employee referral system? Totally understand if that's awkward.\n\nThanks,\nJon",
        True,
        "job_referral",
    ),
    (
        "Hello!",
        "Rahul bhai, hope all good. One request - my cousin said your company Infosys has openings for java developer. Can you please forward my resume to your HR? It will be big help.",
        True,
        "job_referral",
    ),
    (
        "Pizza Friday",
        "Who's in for pizza on Friday? I'll order from the place on 5th street.",
        False,
        None,
    ),
    (
        "Favor",
        "Would you be willing to put me up for the analyst program at Goldman? Applications close on the 15th and a recommendation from an alum helps a lot.",
        True,
        "job_referral",
    ),
    (
        "re: the opening",
        "thanks for flagging the opening!! would you be down to refer me? i can send my resume tonight",
        True,
        "job_referral",
    ),
    (
        "New role at Fabrikam",
        "Hi Priya, congratulations on the new role at Fabrikam! Let me know if you ever want to grab coffee and swap notes.",
        False,
        None,
    ),
    (
        "Could you connect us?",
        "Hi Ben, you mentioned you went to school with the CTO of Northwind. Would you feel comfortable connecting the two of us? I'd love to pitch our data tool to them.",
        True,
        "introduction",
    ),
    (
        "Intro to Dana?",
        "Dana's name came up when I was talking to Leo about climate startups. If you're close with her, would you mind making an intro? A short email would be perfect.",
        True,
        "introduction",
    ),
    (
        "Meet Rosa",
        "Hi Chris, meet Rosa - she's the engineer I told you about. Rosa, Chris runs infrastructure at Globex. I'll step aside!",
        False,
        None,
    ),
    (
        "Reference for my rental application",
        "Hi Mrs. Patel, I'm applying for an apartment and the landlord asks for a previous landlord reference. Would you be willing to be my reference? They will just call you for five minutes.",
        True,
        "recommendation",
    ),
    (
        "Grad school",
        "Professor Okafor, I hope your semester is going well. I'm applying to PhD programs in December and wanted to ask whether you would be willing to write a letter in support of my application.",
        True,
        "recommendation",
    ),
    (
        "LinkedIn",
        "Hey Sara! I just wrote you a recommendation on LinkedIn, hope it helps with the search.",
        False,
        None,
    ),
    (
        "A quick LinkedIn ask",
        "It was so great working with you on the launch. If you have a moment, a short LinkedIn recommendation from you would mean a lot as I start looking for my next role.",
        True,
        "recommendation",
    ),
    (
        "Thanks for the work together",
        "Thanks for being such a great client this year! As a small business, I rely on word of mouth - if any of your friends are planning a kitchen renovation, I'd be honored if you'd pass along my number.",
        True,
        "client_referral",
    ),
    (
        "Partnership",
        "We're offering 20% off our consulting services this month. Book a call at the link below.",
        False,
        None,
    ),
    (
        "Following up on the referral",
        "Hi Omar, just following up on my message from last week about the referral for the PM role. No rush - I just wanted to make sure it didn't get buried.",
        True,
        "job_referral",
    ),
    (
        "Appointment",
        "Hi, my doctor said I need a referral to see an orthopedic surgeon. Could you please fax it to the clinic on Main Street?",
        False,
        None,
    ),
    (
        "Dinner spots",
        "We're visiting Chicago next weekend. Can you recommend any deep dish places that aren't too touristy?",
        False,
        None,
    ),
    (
        "Vendor invoice",
        "Invoice 2026-118 is attached. Could you please process it before month end?",
        False,
        None,
    ),
    (
        "Team meeting moved",
        "Heads up: the weekly sync moves to 11am starting next week.",
        False,
        None,
    ),
    (
        "Question about Initech",
        "Hey Ana, I'm interviewing at Initech next week. Do you know anyone on the platform team who might be open to a quick chat? An intro would be amazing.",
        True,
        "introduction",
    ),
    (
        "RE: catching up",
        "So good to hear from you! By the way, my team at Umbrella is hiring a data engineer. Do you know anyone who might be interested? Please send them my way.",
        False,
        None,
    ),
    (
        "referral",
        "Dear Sir, I am Ankit, fresher from NIT. I saw job posting for Graduate Engineer Trainee in your esteemed organisation. Kindly refer me for the same, I am attaching resume. Regards",
        True,
        "job_referral",
    ),
    (
        "Can I use you as a reference?",
        "Quick question - I'm in the last stage with Tailspin and they want two references. Would it be ok if I gave them your contact info?",
        True,
        "recommendation",
    ),
    (
        "Thank you note",
        "Thank you so much for the reference you gave me - the recruiter said it was glowing!",
        False,
        None,
    ),
    (
        "our referral program",
        "As a valued customer you can now earn rewards by inviting friends. Share your personal referral link and get a free month.",
        False,
        None,
    ),
    (
        "Hiring for my team",
        "I'm hiring two backend engineers. If you know anyone good, could you forward them the job post?",
        False,
        None,
    ),
    (
        "Keep me in mind?",
        "Hi Lena, I'm back on the market after the layoffs. If anything opens up on your team or you hear of a role that fits a senior designer, I'd be grateful if you'd keep me in mind and mention my name.",
        True,
        "job_referral",
    ),
    (
        "freelance availability",
        "Hi Marco, I have some availability opening up in March. If you come across anyone who needs a copywriter, feel free to point them in my direction!",
        True,
        "client_referral",
    ),
    (
        "Congrats on the funding!",
        "Huge congrats on the Series A! Let me know if I can ever help with hiring.",
        False,
        None,
    ),
    (
        "Advice on switching careers",
        "I'm exploring a move into UX research and would love to hear how you made the switch. Would you have 20 minutes in the next couple of weeks?",
        False,
        None,
    ),
    (
        "Support letter",
        "Dear Dr. Kim, our lab is applying for an NSF grant and the program requires letters of collaboration. Could you provide a brief letter confirming your participation?",
        True,
        "recommendation",
    ),
    (
        "Re: Referral for Sam",
        "I'm happy to refer Sam for the role - I've attached his CV and my notes from working with him.",
        False,
        None,
    ),
    (
        "Bitte um Empfehlung",
        "Hallo Jonas, I hope it's OK that I write in English. Could you recommend me to your manager for the open Werkstudent position? I sent my CV last week.",
        True,
        "job_referral",
    ),
    (
        "an ask",
        "Hey! Random ask: your partner works at Acme, right? Think they'd be open to passing my resume to their recruiting team?",
        True,
        "job_referral",
    ),
    (
        "Introduction: Kai <> Mara",
        "Kai, I'd like you to meet Mara, who is building a fintech startup in Lagos. Mara, Kai is an angel investor focused on Africa. Over to you both!",
        False,
        None,
    ),
    (
        "Testimonial?",
        "Now that the website is live, would you be up for writing a couple of sentences about the experience of working with us? We'd feature it on our homepage.",
        True,
        "recommendation",
    ),
    ("Moving update", "We finally moved into the new house! Come visit when you can.", False, None),
    (
        "Please share with your network",
        "If you've enjoyed working with me, the best thing you can do is tell a friend. I'm looking for two more bookkeeping clients this spring.",
        True,
        "client_referral",
    ),
    (
        "Your reference for Amy",
        "Thanks for agreeing to be Amy's reference. The recruiter will call you on Tuesday.",
        False,
        None,
    ),
]

HOLDOUT_RECEIVED: list[tuple[str, str, dict[str, str], str, str | None]] = [
    (
        "Re: Favor",
        "Hey! For you, anything :) I'll send it over to our recruiter first thing Monday.",
        {},
        "agreed",
        None,
    ),
    (
        "Re: Intro to Dana?",
        "Of course - I'll write to Dana tonight and cc you.",
        {},
        "agreed",
        None,
    ),
    (
        "Re: referral",
        "Done. You're in the system as my referral, watch for an email from Lever.",
        {},
        "done",
        None,
    ),
    (
        "Re: Thinking of applying to Contoso",
        "Just put you in! The referral went to the hiring manager directly.",
        {},
        "done",
        None,
    ),
    (
        "Re: Grad school",
        "I would be delighted to write a letter for you. Please send me your statement of purpose and the list of programs with deadlines.",
        {},
        "needs_info",
        None,
    ),
    (
        "Re: Could you connect us?",
        "Ben here - honestly I don't know him that well anymore, so I'd rather not make that intro. Sorry!",
        {},
        "declined",
        None,
    ),
    (
        "Re: an ask",
        "She left Acme in the spring, so that won't work, sorry :(",
        {},
        "declined",
        None,
    ),
    (
        "Re: Favor",
        "Which posting is it? There are three analyst programs right now.",
        {},
        "needs_info",
        None,
    ),
    ("Re: LinkedIn", "Posted! Check your profile :)", {}, "done", None),
    (
        "Re: Testimonial?",
        "Here you go: 'Working with the team was a delight - fast, thoughtful and on budget.' Feel free to edit.",
        {},
        "done",
        None,
    ),
    (
        "Re: Keep me in mind?",
        "Sorry to hear about the layoffs! I'll definitely keep you in mind.",
        {},
        "agreed",
        None,
    ),
    (
        "Re: Hello!",
        "Ok bhai, send me your latest resume and I will forward it.",
        {},
        "needs_info",
        None,
    ),
    (
        "Re: referral",
        "Thanks for your mail. We regret to inform you that we cannot process referrals through email.",
        {},
        "declined",
        None,
    ),
    (
        "Re: Question about Initech",
        "Nice to hear from you! Good luck with the interview next week.",
        {},
        "other",
        None,
    ),
    (
        "Re: Support letter",
        "Sure, can you send me a template or the points the NSF wants covered?",
        {},
        "needs_info",
        None,
    ),
    (
        "Automatic reply: Favor",
        "Thank you for your message. I am on annual leave returning Tuesday 10 November 2026 and will reply then.",
        {"Auto-Submitted": "auto-replied"},
        "auto_reply",
        "2026-11-10",
    ),
    (
        "Out of office - back 4 Nov",
        "I'm out with limited email. Back 4 Nov.",
        {},
        "auto_reply",
        "2026-11-04",
    ),
    (
        "Abwesend",
        "Ich bin bis einschließlich 06.11.2026 nicht im Büro. Ihre E-Mail wird nicht weitergeleitet.",
        {"X-Autoreply": "yes"},
        "auto_reply",
        "2026-11-06",
    ),
    (
        "Undeliverable: Favor",
        "Your message to lena@oldcompany.example couldn't be delivered.\nlena wasn't found at oldcompany.example.\n\nRemote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'",
        {"Content-Type": "multipart/report; report-type=delivery-status"},
        "bounce",
        None,
    ),
    (
        "Mail delivery failed",
        "The following message to <omar@example.net> was undeliverable.\nThe reason for the problem:\n5.1.0 - Unknown address error 550-'mailbox unavailable'",
        {"From": "postmaster@example.net"},
        "bounce",
        None,
    ),
    (
        "Re: Can I use you as a reference?",
        "Of course! Tell them to call me any afternoon.",
        {},
        "agreed",
        None,
    ),
    (
        "Re: freelance availability",
        "Will do! Actually my sister might need one - I'll pass your details along.",
        {},
        "agreed",
        None,
    ),
    (
        "Re: Question about Initech",
        "Let me think about who would be best placed and get back to you.",
        {},
        "other",
        None,
    ),
    (
        "Re: Following up on the referral",
        "So sorry for the delay!! I submitted it just now, you should get an email.",
        {},
        "done",
        None,
    ),
    (
        "Re: Reference for my rental application",
        "Happy to, but could you remind me the dates you rented from us?",
        {},
        "needs_info",
        None,
    ),
    (
        "Re: Bitte um Empfehlung",
        "Hi, leider kann ich das nicht machen - I'm not on that team and don't know the manager. Sorry!",
        {},
        "declined",
        None,
    ),
    (
        "Re: Intro to Dana?",
        "Hi Dana, I want to introduce you to Sam, who is building a climate data startup. Sam, Dana is the best person I know in this space. I'll let you take it from here.",
        {},
        "done",
        None,
    ),
    ("Re: Thanks for the work together", "You're welcome! It was a pleasure.", {}, "other", None),
    (
        "Re: A quick LinkedIn ask",
        "I'm not really comfortable writing LinkedIn recommendations, sorry - it's a personal policy.",
        {},
        "declined",
        None,
    ),
    ("Re: Favor", "Let me see what I can do - I'll ask around this week.", {}, "agreed", None),
]


def build_holdout() -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    sent = [
        {"id": f"h-s-{i:03d}", "direction": "sent", "subject": subj, "body": body,
         "expected": {"is_ask": ask, "kind": kind}}
        for i, (subj, body, ask, kind) in enumerate(HOLDOUT_SENT)
    ]  # fmt: skip
    recv: list[dict[str, object]] = []
    for i, (subj, body, headers, outcome, ret) in enumerate(HOLDOUT_RECEIVED):
        exp: dict[str, object] = {"outcome": outcome}
        if outcome == "auto_reply":
            exp["return_date"] = ret
        recv.append({"id": f"h-r-{i:03d}", "direction": "received", "subject": subj, "body": body,
                     "headers": headers, "today": "2026-10-28", "expected": exp})  # fmt: skip
    return sent, recv


def main() -> None:
    sent, recv = build()
    h_sent, h_recv = build_holdout()
    for name, rows in (
        ("sent.jsonl", sent),
        ("received.jsonl", recv),
        ("holdout.jsonl", h_sent + h_recv),
    ):
        with (HERE / name).open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(
        f"sent: {len(sent)} ({sum(1 for s in sent if s['expected']['is_ask'])} asks), received: {len(recv)}"
    )  # type: ignore[index]


if __name__ == "__main__":
    main()
