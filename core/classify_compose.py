"""Compositional referral-object cues for ``core.classify``: what is being asked for, in any inflection.

Role: ``classify_sent`` scores a sentence as an ask when a REQUEST frame ("could you", "would
you be willing", "any chance", "I'd be grateful if", "?") and a REFERRAL OBJECT occur together
(same sentence, or the object in a sentence right after/before the frame). This module holds the
object side built from small verb x object vocabularies rather than whole phrases, so that
inflections ("vouching for me", "sending them my way") and unseen combinations ("link us up",
"write two or three sentences about the relaunch") are covered by the same rule.

Each cue is ``(kind, weight, anchors, pattern, label)`` exactly like ``core.classify._ASK_CUES``;
``anchors`` are literal substrings one of which must occur before the regex is tried (speed).
Some cues only count when the whole message also names the kind of thing asked for
(``NEEDS_CONTEXT``): "could I list you as one?" is an ask only in a message about references.

Invariants: patterns run on lower-cased text with apostrophes normalised; no pattern is keyed
to one example's wording (each is a verb class x object class); weights above 2.0 mean
"specific" in ``classify_sent``'s sense.
"""

from __future__ import annotations

import re

from core import fastre

__all__ = ["COMPOSED_CUES", "NEEDS_CONTEXT", "REC_THING", "REVIEW_PLATFORMS"]

# Public review sites: a review there brings the writer business (a client referral).
REVIEW_PLATFORMS = (
    r"google|yelp|clutch|trustpilot|tripadvisor|facebook|g2|capterra|the knot|weddingwire|thumbtack|houzz|"
    r"nextdoor|upwork|fiverr|angi|app store|play store|amazon|etsy|zocdoc|healthgrades|avvo"
)

# Verb classes (any inflection: the stem followed by \w*).
_SEND = r"(?:send|sent|pass|forward|point|direct|steer|refer|recommend|route|push|throw)\w*"
_PEOPLE = (
    r"(?:them|anyone|anybody|people|others|friends|colleagues|clients|customers|businesses|patients|students|families|couples|"
    r"companies|contacts|folks|someone|somebody|work|business|projects|leads|gigs|opportunities)"
)
_COUNT = r"(?:a few|a couple of|a couple|a \w+ or two|one or two|two or three|a|one|two|three|four|a handful of|some|\d+(?:\s*-\s*\d+)?|a short few|few)"
_TEXT_UNIT = r"(?:sentences?|lines?|words|paragraphs?|quotes?)"
_ORG_LINK = r"(?:at|on|in|from|over at|inside|within)"

# What the message must name for a context-dependent cue to count (recommendation kind).
REC_THING = fastre.compile(
    r"\b(?:testimonials?|references?|referees?|recommendations?|recommend|endorse\w*|vouch\w*|"
    r"reviews?|linkedin|letters?|blurbs?|(?:back |book |front )?cover|jacket|landing page|quotes? for (?:my|our) (?:site|website|page|portfolio)|portfolio|case stud(?:y|ies)|"
    r"about (?:working with )?(?:me|my work|us)|working (?:together|with (?:me|us))|worked together|background check|(?:confirm|verify) (?:my|that i)|employment verification|previous supervisor|former (?:manager|supervisor|boss))\b"
)

COMPOSED_CUES: list[tuple[str, float, tuple[str, ...], re.Pattern[str], str]] = [
    # --- introduction: joining two people, in any phrasing
    ("introduction", 3.0, ("link", "hook"), fastre.compile(r"\b(?:link|hook)(?:ing)? (?:us|me|the two of us|them and me|me and \w+) up\b|\b(?:link|hook) up (?:with|us)\b"), "link us up"),
    ("introduction", 2.6, ("brain",), fastre.compile(r"\bpick (?:someone|somebody|their|his|her|a \w+|one of \w+|the \w+)(?:'s)? brains?\b"), "pick someone's brain"),
    ("introduction", 2.6, ("conversation", "coffee", "chat", "talk", "speak", "call with"), fastre.compile(r"\b(?:get|start|have|set up|grab|open)\w* (?:a |an )?(?:quick |short |brief |intro |informational )?(?:conversation|coffee|chat|call|talk) (?:going )?with (?:someone|somebody|anyone|anybody|a person|people|the right person|one of)\b"), "a conversation with someone there"),
    ("introduction", 2.6, ("chat", "talk", "speak", "meet"), fastre.compile(r"\b(?:chat|talk|speak|meet)(?:ing)? (?:to|with) (?:someone|somebody|anyone|anybody|a person|people)\b[^.?!]{0,40}\b" + _ORG_LINK + r"\b"), "talk to someone there"),
    ("introduction", 2.6, ("know ",), fastre.compile(r"\bknow (?:anyone|anybody|someone|somebody|people|a person|of anyone)(?: who works| working)? " + _ORG_LINK + r" (?:[a-z0-9&.'-]+ ){0,3}?\w+\s*\?"), "know anyone at the company"),
    ("introduction", 2.4, ("point me",), fastre.compile(r"\bpoint me (?:to|toward|towards|at|in the direction of) (?:a |the |the right |any )?(?:name|names|person|people|someone|somebody|anyone|contact|contacts|right)\b"), "point me to a name"),
    ("introduction", 2.6, ("should", "could", "ought"), fastre.compile(r"\bwho (?:else )?(?:do you think |would you suggest |would you recommend |you think )?(?:i|we) (?:should|could|ought to|might) (?:talk|speak|reach out|meet|contact|get in touch|connect)\b"), "who I should talk to"),
    ("introduction", 2.6, ("my note", "my email", "my message", "my blurb", "my bio", "my intro", "my request"), fastre.compile(r"\b(?:forward|pass|send|shar)\w* (?:along |on )?my (?:note|email|message|blurb|bio|intro|request)(?: along| on)? (?:to|with) [a-z]+"), "forward my note to them"),
    ("introduction", 2.6, ("could talk", "could speak", "could chat", "can talk", "can speak", "can chat", "might talk", "should talk"), fastre.compile(r"\b(?:someone|anyone|somebody|anybody|a person|people) (?:on|at|in|from) (?:your|the|their|[a-z]+) (?:\w+ )?(?:i|we) (?:could|can|might|should) (?:talk|speak|chat)\b"), "someone there I could talk to"),
    ("introduction", 2.6, ("connect me", "connect us", "introduce me", "introduce us"), fastre.compile(r"\b(?:connect|introduce) (?:me|us)\b"), "connect me"),
    ("introduction", 2.6, ("in contact", "in touch"), fastre.compile(r"\bput(?:ting)? (?:the two of us|us two|us both|us|me and \w+|\w+ and me) in (?:touch|contact)\b"), "put us in touch"),
    ("introduction", 2.4, ("chat", "call", "interview", "meeting", "coffee"), fastre.compile(r"\b(?:set(?:ting)? up|arrang\w*|get|getting|have|grab|schedul\w*|organi[sz]\w*|line up|love|like|appreciate)\b[^.?!]{0,15}\b(?:an? |the )?(?:informational|info|intro|introductory|exploratory) (?:chat|call|interview|meeting|coffee)\b"), "an informational chat"),
    ("introduction", 2.4, ("your network",), fastre.compile(r"\b(?:have|know) (?:anyone|anybody|someone|somebody|people|a contact|contacts) in your network\b"), "anyone in your network"),
    ("introduction", 2.6, ("loop", "cc"), fastre.compile(r"\b(?:loop|cc)\w* (?:me|us) in\b|\b(?:loop|cc)\w* (?:him|her|them) (?:in )?(?:and|with) (?:me|us)\b"), "loop me in"),
    ("introduction", 2.6, ("connection", "introduc", "intro"), fastre.compile(r"\b(?:make|making|do|doing|set up|setting up|facilitat\w*|broker\w*) (?:a |an |the )?(?:quick |brief |short |warm |email |e-mail |virtual |double opt-in )*(?:intro|introduction|connection)s?\b(?! (?:slide|slides|deck|video|section|paragraph|page|session|course|class|text|music|song|chapter|offer|rate|price|period))"), "make an introduction"),
    # --- recommendation / reference / testimonial
    ("recommendation", 3.0, ("vouch",), fastre.compile(r"\bvouch(?:ing)? for (?:me|us|my)\b(?![^.?!]{0,60}\b(?:role|position|job|opening|req|posting|spot|vacancy|gig)\b)(?! (?:with|to) (?:the |your |ur |a )?(?:hiring|recruit\w*|manager|team|hr)\b)"), "vouch for me"),
    ("recommendation", 2.6, ("sentence", "line", "word", "paragraph", "quote"), fastre.compile(r"\b(?:writ\w*|jot\w*|put\w* together|draft\w*|say\w*|shar\w*|send\w*|giv\w*|provid\w*|offer\w*) (?:down |up )?(?:me |us )?" + _COUNT + r" (?:short |quick |honest |kind )?" + _TEXT_UNIT + r"\b"), "write a few sentences"),
    ("recommendation", 2.6, ("you as", "you down as"), fastre.compile(r"(?<!who )(?<!they )(?<!she )(?<!he )\b(?:list|put|name|use|include|add|give|provide|offer|submit|count|listing|putting|naming|using|including|adding|giving|providing|offering|submitting|counting) you (?:down )?as (?:one|one of them|one of mine|a referee|a reference|my referee|my reference)\b"), "list you as a reference"),
    ("recommendation", 2.6, (" as one", "be one of them"), fastre.compile(r"\b(?:serve|act|stand|be|being|serving|acting)(?: as)? one(?: of (?:them|those|the two|the three|mine))?\b"), "serve as one of my referees"),
    ("recommendation", 2.6, ("speak to", "speak for", "attest", "talk about my", "speak about my", "speak on my"), fastre.compile(r"\b(?:speak|attest|talk|testify)\w* (?:to|for|about|on) (?:my|me|our)\b"), "speak to my work"),
    ("recommendation", 2.6, ("call you", "contact you", "email you", "reach out to you", "reach you", "ring you"), fastre.compile(r"\b(?:could|can|may|might|would it be (?:ok|okay|alright|fine) if) (?:they|she|he|the recruiter|the company|the employer|someone|them|the school|the landlord) (?:call|contact|email|reach out to|reach|ring) you\b"), "let them call you as a reference"),
    ("recommendation", 2.6, ("your name", "your number", "your contact", "your email", "your details", "your phone", "your info"), fastre.compile(r"\b(?:give|pass|share|provide|send|forward|hand)\w* (?:along |on )?(?:them |him |her |it )?your (?:name|number|contact|email|details|phone|info)\b"), "pass along your details as a reference"),
    ("recommendation", 2.6, ("endors",), fastre.compile(r"\bendors\w* (?:me|my|us|our)\b"), "endorse me"),
    ("recommendation", 2.6, ("recommendation", "reference"), fastre.compile(r"\b(?:recommendation|reference)s? (?:letter|note)s?\b"), "a reference"),
    ("recommendation", 2.6, ("note", "paragraph", "statement", "blurb", "few words"), fastre.compile(r"\bwrit\w* (?:me |up )?(?:a |an )?(?:short |brief |quick |few-line |couple-line )?(?:note|paragraph|statement|blurb|few words) (?:about|on|for) (?:me|my \w+|working with me|our work|the work we|what i|how i)\b"), "write a short note about my work"),
    # --- client referral: sending business the user's way
    ("client_referral", 3.0, ("my way", "our way", "to me", "to us", "my direction"), fastre.compile(r"\b" + _SEND + r" (?:\w+ ){0,2}?" + _PEOPLE + r"\b[^.?!]{0,40}\b(?:my way|our way|to me|to us|in my direction|in our direction)\b"), "send them my way"),
    ("client_referral", 2.6, ("pass", "shar", "mention", "giv", "hand", "drop", "forward", "send"), fastre.compile(r"\b(?:pass|shar|mention|giv|hand|drop|forward|send)\w* (?:along |on )?(?:my|our) (?:name|details|contact(?: details| info)?|card|number|website|site|info|email|link)\b[^.?!]{0,30}\b(?:to|with) (?:anyone|anybody|others|other \w+|friends|colleagues|clients|customers|people|someone|your (?:\w+ )?(?:network|friends?|colleagues?|contacts?|clients|customers|circle|neighbou?rs?)|any \w+|them|him|her)\b"), "pass my name along"),
    ("client_referral", 2.6, ("mention", "tell"), fastre.compile(r"\b(?:mention|tell|recommend)\w* (?:me|us|my (?:work|services|business|studio|practice)|our (?:work|services|business|studio|practice)) to (?:your |any |other )?(?:clients|customers|friends|colleagues|contacts|network|people|peers|anyone|others)\b"), "mention me to your clients"),
    ("client_referral", 2.6, ("if you hear", "if you come across", "if you run into", "if anyone"), fastre.compile(r"\bif (?:you (?:hear of|come across|run into|meet|know of)|anyone (?:in your \w+ )?(?:needs?|asks?|is looking|wants?))\b[^.?!]{0,80}\b(?:needs?|looking for|could use|wants?|my way|to me|my name|my details|about me|about us)\b"), "if you hear of anyone who needs help"),
    ("client_referral", 2.6, ("flyer", "leaflet", "card", "brochure", "page", "website", "site", "listing", "link", "info", "details"), fastre.compile(r"\b(?:shar|pass|hand|post|put|giv|send|forward|circulat)\w* (?:up |out |around |along |on )?(?:my|our) (?:\w+ )?(?:flyer|leaflet|card|brochure|page|website|site|listing|link|info|details)s?\b(?: (?:up |out |around |along |on ))?[^.?!]{0,20}\b(?:with|to|among|around) (?:your |any |other |the )?(?:neighbou?rs|friends|network|colleagues|contacts|clients|customers|people|others|anyone|family|community|group|circle|parents|members|coworkers|co-workers)\b"), "share our flyer with your neighbours"),
    # weight 2.0: also how someone GIVING a reference ends ("feel free to give them my number")
    ("client_referral", 2.0, ("them my", "people my", "anyone my", "folks my", "him my", "her my", "them our", "anyone our"), fastre.compile(r"\b(?:give|gave|giving|pass|passed|passing|hand|handed|handing|share|shared|sharing|send|sent|sending|forward|forwarded)\w* (?:them|him|her|people|anyone|folks) (?:my|our) (?:number|card|details|contact(?: details| info)?|email|website|site|name|info|link)\b"), "give them my number"),
    ("client_referral", 2.6, ("in touch with me", "in touch with us", "in contact with me", "in contact with us"), fastre.compile(r"\bput(?:ting)? (?:them|him|her|people|anyone|folks|those \w+) in (?:touch|contact) with (?:me|us)\b"), "put them in touch with me"),
    ("client_referral", 2.6, ("word to your",), fastre.compile(r"\b(?:a|the|good) word to your (?:friends|network|colleagues|contacts|neighbou?rs|family|clients|peers|circle)\b"), "a word to your friends"),
    ("client_referral", 2.2, ("review",), fastre.compile(r"\b(?:google|yelp|tripadvisor|facebook|trustpilot|g2|clutch|online|verified|written|five-star|5-star) reviews?\b"), "an online review"),
    # A review on a public platform brings business (a client referral); a testimonial or a review
    # for the seller's own site speaks to the work (a recommendation).
    ("client_referral", 2.7, ("review",), fastre.compile(r"\b(?:writ|wrote|left|giv|gave|leav|post|add|drop|do|doing|did)\w* (?:me |us )?(?:a |an |your |some )?(?:[\w-]+ ){0,4}?reviews?\b(?! of\b)[^.?!]{0,60}\b(?:" + REVIEW_PLATFORMS + r"|maps)\b"), "leave a review"),
    ("recommendation", 2.6, ("review", "testimonial"), fastre.compile(r"\b(?:writ|giv|provid|leav|send|do|doing|post|shar)\w* (?:me |us )?(?:a |an |your )(?:\w+ )?(?:review|testimonial)\b(?! of\b)(?![^.?!]{0,60}\b(?:" + REVIEW_PLATFORMS + r"|maps)\b)(?= (?:or|and) (?:a )?testimonial| on (?!the\b)| for (?:us|me|our|my)|[^.?!]{0,50}\b(?:website|site|page|profile|listing|agency|business|studio|testimonial)\b)"), "leave a review"),
    ("recommendation", 2.8, ("form", "survey", "questionnaire", "portal"), fastre.compile(r"\b(?:complet|fill|submit|do|doing|finish|sign)\w*(?: out| in)? (?:the |a |an |my |this )?(?:\w+ )?(?:recommendation|reference|referee|recommender)(?: letter)? (?:form|survey|questionnaire|portal|request)\b"), "complete the recommendation form"),
    ("recommendation", 2.4, ("recommender", "referee"), fastre.compile(r"\b(?:be|being|become) (?:the |an? |my )?(?:\w+ )?(?:recommender|referee)\b"), "be my recommender"),
    ("introduction", 2.6, ("you could", "you can", "you might", "you would", "you'd"), fastre.compile(r"\b(?:a|any|the) (?:contacts?|connections?|names?|person|people|friends?) (?:there|at|on|in|inside)\b[^.?!]{0,40}\byou (?:could|can|might|would|'d) (?:share|pass|introduce|connect|send|point)"), "a contact there you could share"),
    ("job_referral", 2.6, ("your name",), fastre.compile(r"\b(?:use|mention|drop|put down|list|give|include|add|name)\w* your name\b[^.?!]{0,50}\b(?:apply|applying|application|referr\w*|role|position|job|opening)\b"), "use your name in my application"),
    ("job_referral", 3.0, ("in front of", "attention of", "desk", "radar", "top of"), fastre.compile(r"\b(?:drop|put|get|place|pass|slip|send|bring|move)\w* (?:me(?= in front of (?:the |your |a )?(?:hiring|recruit))|my (?:\w+ )?(?:portfolio|resume|résumé|cv|application|name|profile|work)) (?:in front of|to the attention of|on the (?:desk|radar) of|onto the desk of|(?:on |to )?(?:the )?top of (?:the|their) (?:pile|stack|list))\b"), "put my resume in front of the hiring manager"),
    ("job_referral", 2.8, ("my cv", "my resume", "my résumé", "my profile", "linkedin profile", "my application", "my portfolio", "my bio", "particulars", "my reel", "my showreel", "my samples", "my work", "my deck"), fastre.compile(r"\b(?:pass|send|forward|transmit|giv|hand|shar|submit|show|bring|introduc|get)\w* (?:along |on )?(?:my|this) (?:\w+ )?(?:cv|resume|résumé|profile|application|portfolio|biodata|bio-data|bio|particulars|reel|showreel|samples|work|deck) (?:along |on )?(?:to|with) (?:(?:your|the|a|an|concerned|relevant|appropriate|any) )?(?:\w+ )?(?:manager|boss|team|hr|recruiter|recruiting|hiring|lead|director|department|contact|colleague|company|people|person)\b"), "pass my CV to your manager"),
    ("job_referral", 2.6, ("good word",), fastre.compile(r"\b(?:say|put in|give|put) (?:a |some )?(?:good|kind|nice) words? (?:about|for) me\b"), "say a good word about me"),
    ("client_referral", 2.4, ("mention",), fastre.compile(r"\bmention\w* (?:me|us|my (?:name|business|studio|practice|services)|our (?:name|business|studio|practice|services|spa|shop|salon|clinic|restaurant|cafe|agency))\b(?! (?:in|on) (?:the|your|a) (?:meeting|call|report|email|minutes))"), "mention us"),
    ("job_referral", 2.8, ("hat",), fastre.compile(r"\b(?:throw|toss|put)\w* my (?:hat|name) in(?:to)? the (?:ring|hat|mix)\b"), "throw my hat in the ring"),
    ("job_referral", 2.6, ("nominat",), fastre.compile(r"\bnominat\w* me\b(?=[^.?!]{0,60}\b(?:role|position|job|post|opening|referral|vacancy|internship))"), "nominate me for the role"),
    ("recommendation", 2.4, ("nominat",), fastre.compile(r"\bnominat\w* me\b(?![^.?!]{0,60}\b(?:role|position|job|post|opening|referral|vacancy|internship))"), "nominate me"),
    ("introduction", 2.6, ("with me",), fastre.compile(r"\bask (?:him|her|them|[a-z]+) (?:if|whether) (?:he|she|they)(?:'d| would| might| is| are| could)? (?:be )?(?:(?:open|willing|up|happy|available|free)\b[^.?!]{0,40}\b)?(?:call|chat|coffee|meet|talk|speak)\w*\b[^.?!]{0,20}\bwith me\b"), "ask them to talk with me"),
    ("client_referral", 2.4, ("think of us",), fastre.compile(r"\bthink of us\b"), "think of us"),
    ("job_referral", 2.8, ("about me",), fastre.compile(r"\b(?:hiring (?:team|manager|lead|person|folks)|recruit\w*|your (?:manager|boss|lead))\b[^.?!]{0,30}\b(?:heads[- ]up|nudge|word|note|ping|shout|message|email|line|text|dm|mail)\b[^.?!]{0,10}\babout me\b|\b(?:heads[- ]up|nudge|word|note|ping|shout|message|email|line|text|dm) about me\b[^.?!]{0,30}\b(?:hiring|recruit\w*|manager|boss)"), "give the hiring team a heads-up about me"),
    ("job_referral", 2.8, ("my name",), fastre.compile(r"\b(?:drop|mention|pass|give|put|float|slip)\w* my name (?:to|with|in front of|past) (?:the|your|a|an|their)\b"), "drop my name to the manager"),
    ("introduction", 2.4, ("in touch with", "in contact with"), fastre.compile(r"\b(?:get|be|getting) in (?:touch|contact) with (?:the |your |a |an )?(?:\w+ ){0,3}?(?:at|from|of|on|over at)\b"), "get in touch with someone there"),
    ("introduction", 2.8, (" with",), fastre.compile(r"\b(?:get|set up|arrange|find|grab|line up|score)\w* (?:me|us) (?:\w+ ){0,2}?(?:minutes|mins|time|a call|a meeting|a coffee|a chat|an audience|a slot|a conversation) with\b"), "get me time with them"),
    ("recommendation", 2.6, ("things about", "words about"), fastre.compile(r"\b(?:say|write|post|share|put|jot)\w* (?:down )?(?:a few |some |a couple of )?(?:nice|kind|good|positive|great|complimentary) (?:things|words) about (?:me|my)\b"), "say a few nice things about me"),
    ("client_referral", 2.4, ("out my", "out our"), fastre.compile(r"\b(?:hand|give|pass|share|put)\w* out (?:my|our) (?:number|card|cards|details|flyers?|leaflets?|info)\b"), "hand out my number"),
    ("job_referral", 2.8, (" know",), fastre.compile(r"\blet (?:the |your |a )?(?:recruit\w*|hiring manager|hiring team|hr|manager|boss|team lead) know (?:i'?m|i am|that i|about me|me\b|i\b)"), "let the recruiter know about me"),
    ("job_referral", 3.0, ("my application", "my cv", "my resume", "my candidacy"), fastre.compile(r"\b(?:speak|talk|reach out|get in touch|chat)\w* (?:to|with) (?:someone |somebody |anyone |a person |people )?(?:in |at |from )?(?:the )?(?:hr|recruit\w*|hiring)\b[^.?!]{0,40}\bmy (?:application|cv|resume|candidacy)\b"), "speak to HR about my application"),
    ("job_referral", 2.8, ("word in",), fastre.compile(r"\bput (?:a |in a )?(?:good |kind )?word in\b"), "put a word in"),
    ("introduction", 2.6, ("help me",), fastre.compile(r"\bhelp me (?:reach|contact|get to|get hold of|get in touch with|connect with|meet|get a meeting with|get introduced to)\b"), "help me reach them"),
    ("introduction", 2.8, ("my contact", "my details", "my email", "my number", "my info"), fastre.compile(r"\b(?:shar|pass|send|forward|giv)\w* (?:along |on )?my (?:contact|details|email|number|info)(?: details| info)? (?:along |on )?(?:to|with) (?:your (?:friend|colleague|contact|cousin|brother|sister|boss|manager|partner)|him|her|[a-z]+) (?:at|from|in|over at)\b"), "share my contact with your friend there"),
    # --- job referral: getting the user's application in front of someone
    ("job_referral", 2.8, ("about me",), fastre.compile(r"\b(?:tell|telling|mention|mentioning|let) (?:your |the |my )?(?:manager|boss|team lead|lead|hiring manager|hiring person|hiring people|hiring team|recruiter|hr|director|cto|vp|head of \w+)(?: know)? about me\b"), "tell your manager about me"),
    ("job_referral", 3.0, ("flag", "ping", "nudge", "mention"), fastre.compile(r"\b(?:flag|ping|nudge|mention)\w* (?:me|my (?:name|profile|resume|cv|application)) (?:to|with|for) (?:the |your |a )?(?:hiring|recruit\w*|talent|team lead|manager|hr|people)\b"), "flag me to the hiring manager"),
    ("job_referral", 3.0, ("put", "throw", "submit"), fastre.compile(r"\b(?:put|putting|throw|throwing|submit|submitting)\w* (?:my name|me|my (?:profile|resume|cv|application)) (?:forward|up|in for|in the (?:mix|hat|running|pile|system)|in\b(?! the loop| on\b| touch| contact| charge| a\b| the\b| my\b| your\b| front\b))"), "put my name forward"),
    # --- client referral: people sent to the sender's shop/site; the sender's offering recommended to a group
    ("client_referral", 2.6, ("to my", "to our"), fastre.compile(r"\b" + _SEND + r" (?:\w+ ){0,2}?" + _PEOPLE + r"\b[^.?!]{0,30}\bto (?:my|our) (?:\w+ ){0,2}?(?:shop|store|website|site|page|studio|salon|office|business|practice|stall|channel|profile|listing|agency|bakery|clinic|garage|gym|class(?:es)?)\b"), "send them to my shop"),
    ("client_referral", 2.6, ("recommend", "mention"), fastre.compile(r"\b(?:recommend|mention)\w* (?:(?:me|us)(?: as (?:a|an|your) (?:\w+ ){0,2}?\w+)?|(?:my|our) (?!cv\b|resume\b|résumé\b|application\b|profile\b|name\b|candidacy\b)(?:\w+ )?\w+) to (?:(?:your|any|other|the|the other) )?(?:\w+ ){0,3}?(?:clients|customers|friends|colleagues|contacts|network|people|peers|club|group|circle|community|members|neighbou?rs|family|coworkers|co-workers|followers|church|cohort|authors|writers|owners|founders|parents|planners|families|businesses|companies|startups)\b"), "recommend my classes to your club"),
    # --- job referral: a word from the reader to the person hiring
    ("job_referral", 2.8, ("from you",), fastre.compile(r"\b(?:hiring (?:manager|team|lead)|recruit\w*)\b[^.?!]{0,60}\b(?:note|word|message|email|ping|nudge|line|call) from you\b"), "a note from you to the hiring manager"),
    ("job_referral", 2.8, ("tell", "inform"), fastre.compile(r"\b(?:tell|inform|let)\w* (?:the |your |a )?(?:recruit\w*|hiring manager|hiring team|hr|manager|boss|team lead|lead|director|head of \w+)(?: know)?(?: that)? (?:i'?m|i am|i'?d|i would|i have|i'?ve|about me|about my)\b"), "tell your boss I'm interested"),
    # --- client referral: publicity for the sender's offering, contact details handed to a group
    ("client_referral", 2.6, ("about my", "about our", "about us", "about me"), fastre.compile(r"\b(?:post|writ|shar|talk|shout|tweet|blog)\w* (?:\w+ )?about (?:me|us|my|our)\b[^.?!]{0,40}\b(?:in|on|to|with) (?:your|ur|the) (?:\w+ ){0,2}?(?:group|page|feed|newsletter|network|story|stories|channel|community|forum|chat|list|followers|friends)\b"), "post about my business in your group"),
    ("client_referral", 2.4, (" along", " around"), fastre.compile(r"\b(?:pass|send|forward|shar|spread)\w* (?:my|our) (?!cv\b|resume\b|résumé\b|application\b|profile\b|candidacy\b|portfolio\b|biodata\b|note\b|email\b|message\b|request\b|blurb\b|thanks\b|regards\b|apologies\b|best\b)(?:\w+ )?\w+ (?:along|around)\b"), "pass our menu along"),
    ("client_referral", 2.4, (" my number", " my card", " my details", " my contact", " my email", " my website", " my info", " my link", " our number", " our card", " our details", " our website", " our info"), fastre.compile(r"\b(?:give|pass|hand|share|send|forward)\w* (?:a (?:couple|few) of |some of |any of )?(?:your |ur )?(?:neighbou?rs|friends|colleagues|contacts|clients|customers|coworkers|co-workers|family|relatives) (?:my|our) (?:number|card|details|contact(?: details| info)?|email|website|site|info|link)\b"), "give your neighbours my number"),
    # --- job referral: the hiring side looking at the sender's application
    ("job_referral", 2.6, ("with me",), fastre.compile(r"\b(?:manager|boss|team lead|hiring (?:manager|lead|team)|recruit\w*)\b[^.?!]{0,40}\b(?:chat|call|talk|coffee|conversation|meeting|interview)\b[^.?!]{0,10}\bwith me\b"), "a chat with the hiring manager"),
    ("job_referral", 2.8, ("my resume", "my cv", "my résumé", "my application", "my profile", "my portfolio"), fastre.compile(r"\b(?:recruit\w*|hiring (?:manager|team|lead)|hr|manager|boss|team lead)\b[^.?!]{0,20}\b(?:would|could|might|can|will|to)\b[^.?!]{0,15}\b(?:take a (?:quick )?look at|look at|review|consider|see|glance at) my (?:resume|cv|résumé|application|profile|portfolio)\b"), "get the recruiter to look at my resume"),
]  # fmt: skip

# Labels of cues that count only when the message names a reference-type thing (REC_THING).
NEEDS_CONTEXT = frozenset(
    {
        "write a few sentences",
        "write a few sentences about working together",
        "a few lines about working together",
        "take a reference call",
        "list you as a reference",
        "serve as one of my referees",
        "pass along your details as a reference",
    }
)
