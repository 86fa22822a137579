"""Return dates stated in out-of-office replies.

Role: find the day a person says they are back ("back on Monday 3 November", "until 11/03",
"returning 2026-11-03", "zurück am 3.11.", "I'll be back Nov 3rd", "de retour le 3 novembre",
"back tomorrow", "back next Tuesday") and turn it into a ``datetime.date``.

Invariants:
- Pure; the reference day is passed in (``today``), never read from a clock.
- A date without a year is the next such day on or after ``today`` (an OOO message talks about
  the future); a stated date more than a year away or before ``today - 7 days`` is rejected.
- Numeric dates: ``d.m.`` with dots is day-first (German/European); ``a/b`` is month-first unless
  the first number is over 12 or the message reads as European (German/French/Dutch words).
- Never raises; returns None when no date can be read.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from core import fastre

__all__ = ["find_return_date"]

_MONTHS = {
    # English, German, French, Spanish, Dutch, Italian month names and abbreviations
    "jan": 1, "january": 1, "januar": 1, "janvier": 1, "enero": 1, "januari": 1, "gennaio": 1, "jän": 1,
    "feb": 2, "february": 2, "februar": 2, "février": 2, "fevrier": 2, "febrero": 2, "februari": 2, "febbraio": 2,
    "mar": 3, "march": 3, "märz": 3, "maerz": 3, "mars": 3, "marzo": 3, "maart": 3, "mär": 3,
    "apr": 4, "april": 4, "avril": 4, "abril": 4, "aprile": 4,
    "may": 5, "mai": 5, "mayo": 5, "mei": 5, "maggio": 5, "maj": 5,
    "jun": 6, "june": 6, "juni": 6, "juin": 6, "junio": 6, "giugno": 6,
    "jul": 7, "july": 7, "juli": 7, "juillet": 7, "julio": 7, "luglio": 7,
    "aug": 8, "august": 8, "août": 8, "aout": 8, "agosto": 8, "augustus": 8, "augusti": 8,
    "sep": 9, "sept": 9, "september": 9, "septembre": 9, "septiembre": 9, "settembre": 9,
    "oct": 10, "october": 10, "oktober": 10, "octobre": 10, "octubre": 10, "okt": 10, "ottobre": 10,
    "nov": 11, "november": 11, "novembre": 11, "noviembre": 11,
    "dec": 12, "december": 12, "dezember": 12, "décembre": 12, "decembre": 12, "diciembre": 12, "dez": 12,
    "dicembre": 12,
    "janeiro": 1, "fevereiro": 2, "março": 3, "marco": 3, "maio": 5, "junho": 6, "julho": 7, "setembro": 9,
    "outubro": 10, "novembro": 11, "dezembro": 12,
    "stycznia": 1, "lutego": 2, "marca": 3, "kwietnia": 4, "maja": 5, "czerwca": 6, "lipca": 7,
    "sierpnia": 8, "września": 9, "października": 10, "listopada": 11, "grudnia": 12,
    "ocak": 1, "şubat": 2, "nisan": 4, "mayıs": 5, "haziran": 6, "temmuz": 7, "ağustos": 8, "eylül": 9,
    "ekim": 10, "kasım": 11, "aralık": 12,
}  # fmt: skip
_WEEKDAYS = {
    "monday": 0, "mon": 0, "montag": 0, "lundi": 0, "lunes": 0, "maandag": 0,
    "tuesday": 1, "tue": 1, "tues": 1, "dienstag": 1, "mardi": 1, "martes": 1, "dinsdag": 1,
    "wednesday": 2, "wed": 2, "mittwoch": 2, "mercredi": 2, "miércoles": 2, "woensdag": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "donnerstag": 3, "jeudi": 3, "jueves": 3,
    "donderdag": 3,
    "friday": 4, "fri": 4, "freitag": 4, "vendredi": 4, "viernes": 4, "vrijdag": 4,
    "saturday": 5, "sat": 5, "samstag": 5, "samedi": 5, "sábado": 5, "zaterdag": 5,
    "sunday": 6, "sun": 6, "sonntag": 6, "dimanche": 6, "domingo": 6, "zondag": 6,
}  # fmt: skip

# Words that introduce the return day, in several languages.
_CUE = fastre.compile(
    r"\b(back|return(?:ing)?|returns|until|till|til|through|thru|in the office|available again|"
    r"reachable again|resume|zurück|wieder|bis|ab|de retour|jusqu'au|jusqu’au|retour|à partir du|"
    r"hasta|regreso|vuelvo|tot|terug|fino al|rientro)\b",
    re.IGNORECASE,
)
_STRONG_CUE = fastre.compile(
    r"\b(back|return(?:ing|s)?|resumes?|resuming|available again|reachable again|zurück|wieder|"
    r"de retour|retour|à partir du|regreso|vuelvo|de vuelta|retorno|volto|terug|weer|tillbaka|rientr\w*|again|reincorpor\w*|regress\w*|"
    r"regres\w*|volver[eé]|(?:reply|respond|answer) from|dönece\w*|dönüş\w*|zurückkehr\w*|retornar\w*|retomar\w*|wracam|wrócę|powr[oó]t\w*|re-?opens?|reopening)\b",
    re.IGNORECASE,
)
_TRAILING = frozenset({"wieder", "again", "zurück", "terug", "weer"})
_MONTH_RE = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_WD_RE = "|".join(sorted((re.escape(w) for w in _WEEKDAYS), key=len, reverse=True))
_EURO_HINT = fastre.compile(
    r"\b(zurück|bis|ich|abwesend|urlaub|retour|jusqu|absent|congé|terug|afwezig|hasta|vacaciones)\b",
    re.IGNORECASE,
)

_ISO = fastre.compile(r"\b(20\d\d)-(\d{1,2})-(\d{1,2})\b")
_DOTTED = fastre.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{2,4})?(?!\d)")
_SLASHED = fastre.compile(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\b")
_DAY_MONTH = fastre.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th|er|\.|°|º)?(?:\s*|-)(?:of\s+|de\s+)?({_MONTH_RE})\.?(?:(?:\s*,?\s*|-)(\d{{4}}))?\b",
    re.IGNORECASE,
)
_MONTH_DAY = fastre.compile(
    rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:\s*,?\s*(\d{{4}}))?",
    re.IGNORECASE,
)
_WEEKDAY = fastre.compile(
    rf"\b(next\s+|this\s+|nächsten\s+|kommenden\s+)?({_WD_RE})\b", re.IGNORECASE
)
_RELATIVE = fastre.compile(
    r"\b(tomorrow|morgen|demain|mañana|the day after tomorrow|next week|nächste woche|"
    r"la semaine prochaine|in (\d+|two|three|a few) (days|weeks))\b",
    re.IGNORECASE,
)


def _fix_year(month: int, day: int, year: int | None, today: date) -> date | None:
    try:
        if year is not None:
            if year < 100:
                year += 2000
            return date(year, month, day)
        d = date(today.year, month, day)
        if d < today - timedelta(days=7):
            d = date(today.year + 1, month, day)
        return d
    except ValueError:
        return None


def _plausible(d: date | None, today: date) -> bool:
    return d is not None and today - timedelta(days=7) <= d <= today + timedelta(days=400)


def _date_in(segment: str, today: date, *, euro: bool) -> date | None:
    """The first date written in ``segment`` (already cut to just after a cue word)."""
    candidates: list[tuple[int, date]] = []
    for m in _ISO.finditer(segment):
        d = _fix_year(int(m.group(2)), int(m.group(3)), int(m.group(1)), today)
        if d:
            candidates.append((m.start(), d))
    for m in _DOTTED.finditer(segment):
        y = int(m.group(3)) if m.group(3) else None
        d = _fix_year(int(m.group(2)), int(m.group(1)), y, today)
        if d:
            candidates.append((m.start(), d))
    for m in _SLASHED.finditer(segment):
        a, b = int(m.group(1)), int(m.group(2))
        y = int(m.group(3)) if m.group(3) else None
        month, day = (b, a) if (euro or a > 12) else (a, b)
        d = _fix_year(month, day, y, today)
        if not _plausible(d, today) and a <= 12 and b <= 12:
            # "returning 10/12/2026" from a British sender: October is past, 10 December is not.
            d = _fix_year(day, month, y, today)
        if d:
            candidates.append((m.start(), d))
    for m in _DAY_MONTH.finditer(segment):
        y = int(m.group(3)) if m.group(3) else None
        d = _fix_year(_MONTHS[m.group(2).lower()], int(m.group(1)), y, today)
        if d:
            candidates.append((m.start(), d))
    for m in _MONTH_DAY.finditer(segment):
        y = int(m.group(3)) if m.group(3) else None
        d = _fix_year(_MONTHS[m.group(1).lower()], int(m.group(2)), y, today)
        if d:
            candidates.append((m.start(), d))
    if candidates:
        candidates.sort(key=lambda c: c[0])
        return candidates[0][1]
    rel = _RELATIVE.search(segment)
    if rel:
        m = rel
        word = m.group(1).lower()
        if word in ("tomorrow", "morgen", "demain", "mañana"):
            return today + timedelta(days=1)
        if word == "the day after tomorrow":
            return today + timedelta(days=2)
        if "week" in word or "semaine" in word or "woche" in word:
            if m.group(2):
                n = {"two": 2, "three": 3, "a few": 3}.get(m.group(2)) or int(m.group(2))
                unit = 7 if "week" in (m.group(3) or "") else 1
                return today + timedelta(days=n * unit)
            return today + timedelta(days=7 - today.weekday())
        if m.group(2):
            n = {"two": 2, "three": 3, "a few": 3}.get(m.group(2)) or int(m.group(2))
            unit = 7 if "week" in (m.group(3) or "") else 1
            return today + timedelta(days=n * unit)
    wdm = _WEEKDAY.search(segment)
    if wdm:
        wd = _WEEKDAYS[wdm.group(2).lower()]
        delta = (wd - today.weekday()) % 7 or 7
        return today + timedelta(days=delta)
    return None


# Japanese/Chinese: "1月6日（水）より通常業務に戻ります", "我将于12月1日返回办公室" - the date comes
# before the verb of returning.
_CJK_RETURN = fastre.compile(
    r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日(?:(?!\d+\s*月)[^。\n]){0,24}?"
    r"(?:戻|復帰|出社|出勤|通常業務|返信|回来|返回|回到|上班|恢复)"
)


def find_return_date(text: str, *, today: date) -> date | None:
    """The day the writer of an out-of-office message says they are back, or None.

    A cue that names the return ("back", "resume", "wieder", "de retour") wins over one that
    names the last day away ("until", "bis"): "bis 04.12. nicht im Büro. Ab dem 07.12. bin ich
    wieder erreichbar" is back on 7 December."""
    euro = _EURO_HINT.search(text) is not None
    if "月" in text:
        for m in _CJK_RETURN.finditer(text):
            y = int(m.group(1)) if m.group(1) else None
            d = _fix_year(int(m.group(2)), int(m.group(3)), y, today)
            if _plausible(d, today):
                return d
    for cue in _STRONG_CUE.finditer(text):
        d = None
        if cue.group(0).lower() in _TRAILING:
            # "Ab dem 07.12. bin ich wieder erreichbar": the date may come before the cue word.
            # Only the clause the cue closes: "bis 11.12. nicht im Büro und ab dem 14.12. wieder",
            # "afwezig tot en met 27 november en weer aanwezig op 30 november".
            before = re.split(
                r"(?<!\d)[.!?]\s+(?=[A-Z])|\n|\s(?:and|und|en|et|y|e|but|aber|mais|maar|pero|ma)\s",
                text[max(0, cue.start() - 60) : cue.start()],
            )
            d = _date_in(before[-1], today, euro=euro)
        if not _plausible(d, today):
            d = _date_in(text[cue.end() : cue.end() + 60], today, euro=euro)
        if _plausible(d, today):
            return d
    for cue in _CUE.finditer(text):
        segment = text[cue.end() : cue.end() + 60]
        d = _date_in(segment, today, euro=euro)
        if _plausible(d, today):
            return d
    # No cue word ("Out of office 3-7 November"): the first date of the first line.
    first = text.strip().split("\n", 1)[0][:160]
    d = _date_in(first, today, euro=euro)
    return d if _plausible(d, today) else None
