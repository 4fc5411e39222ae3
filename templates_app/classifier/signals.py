"""The hand-written promotional signals and the transaction anchor.

Meta's rule (META.md §3): utility is a non-promotional update about a transaction
or account the user already started; *any* promotional content — offers,
discounts, coupon codes, urgency, calls to a new purchase, cross-sell and upsell,
re-engagement, newsletters, launches, invitations, generic greetings, buttons to
shop pages — makes the template marketing. Authentication is a one-time code and
nothing else.

Each signal is a regular expression with a reason and a rewrite suggestion. They
do two jobs: they are features of the sentence model (``text.py``), and when a
sentence is judged promotional they point at the exact phrase that makes it so,
with offsets. A signal that fires inside a sentence the model reads as a fact
about the customer's own transaction ("the discount you applied") is not reported.
"""

import re
from dataclasses import dataclass

_VAR = r"\{\{\d+\}\}"
_MONEY = rf"(?:[$€£₹]\s?\d[\d.,]*|\d[\d.,]*\s?(?:usd|eur|gbp|dollars|euros)|{_VAR})"


@dataclass(frozen=True)
class Signal:
    kind: str
    weight: int
    pattern: re.Pattern
    reason: str
    suggestion: str
    # The same pattern without IGNORECASE, for text already lower-cased: Python's
    # re is two to three times faster that way, and validate has a 5 ms budget.
    lowered: re.Pattern | None = None


def _signal(kind, weight, patterns, reason, suggestion, flags=re.IGNORECASE):
    joined = "|".join(f"(?:{p})" for p in patterns)
    lowered = re.compile(joined) if flags == re.IGNORECASE else None
    return Signal(kind, weight, re.compile(joined, flags), reason, suggestion, lowered)


def _lowered(text: str) -> str | None:
    """``text`` lower-cased, when that keeps every offset (a few characters, such
    as 'İ', lower-case to two)."""
    lower = text.lower()
    return lower if len(lower) == len(text) else None


def _matcher(signal: Signal, text: str, lower: str | None) -> tuple[re.Pattern, str]:
    if signal.lowered is not None and lower is not None:
        return signal.lowered, lower
    return signal.pattern, text


# "No need to come back", "you won't be charged a fee": a selling phrase under a
# negation states what will not happen; it is not a pitch.
_NEGATED_RE = re.compile(
    r"\b(?:no need to|not|never|no|without|don't|do not|won't|will not|needn't)"
    r"(?:\s+[\w']+){0,2}\s+$",
    re.IGNORECASE,
)


def negated(text: str, start: int) -> bool:
    """Whether the phrase at ``start`` sits under a negation a few words before it."""
    return bool(_NEGATED_RE.search(text[max(0, start - 30) : start]))


def _matches(signal: Signal, text: str, lower: str | None):
    pattern, subject = _matcher(signal, text, lower)
    for match in pattern.finditer(subject):
        if match.end() > match.start() and not negated(text, match.start()):
            yield match


def kinds_in(text: str) -> set[str]:
    """The kinds of the signals that occur in ``text`` (not under a negation)."""
    lower = _lowered(text)
    return {signal.kind for signal in SIGNALS if next(_matches(signal, text, lower), None)}


SIGNALS: tuple[Signal, ...] = (
    _signal(
        "discount",
        3,
        [
            r"\b(?:up to\s+)?\d{1,3}\s?%\s?(?:off|discount)\b",
            r"\bsave\s+(?:big|up to|\d{1,3}\s?%|" + _MONEY + r"|\d+\s+months?)",
            # Not "memorandum of sale", "for sale", "point of sale": a sale the customer is in.
            # The look-behinds run only after the literal matched, which keeps this fast.
            r"\b(?:sale(?<!\bof sale)(?<!\bfor sale)|discounts?|discounted|clearance|half[- ]price"
            r"|bogo)\b",
            r"\b(?:black friday|cyber monday)\b",
            r"\b(?:2|two)[- ]for[- ](?:1|one)\b",
            r"\bbuy (?:one|1|2|two)\b[^.!?]{0,20}\bget\b",
            r"\bprice (?:drop|reduction)\b",
            r"\bprices? [^.!?]{0,40}\b(?:went down|have dropped|dropped|fell|is lower|are lower)\b",
            r"\bdeals?\b",
            r"\bspecial (?:member )?(?:price|financing|rate)\b",
        ],
        "A discount or sale is promotional: Meta classifies any template that carries "
        "one as marketing.",
        "Remove the discount; announce offers in a separate marketing template.",
    ),
    _signal(
        "coupon",
        3,
        [
            r"\b(?i:promo|coupon|discount|voucher)\s+(?i:code)\b(?:\s+(?:[A-Z0-9]{3,}|"
            + _VAR
            + r"))?"
            r"(?!(?:\s+(?:[A-Z0-9]{3,}|" + _VAR + r"))?\s+(?i:was|has been|is)\s+"
            r"(?i:applied|redeemed|used))",
            r"\b(?i:use|with|enter|apply)\s+(?i:the\s+)?(?i:code)\s+[A-Z][A-Z0-9]{2,}\b",
        ],
        "A coupon or promo code invites a new purchase, which makes the template marketing.",
        "Drop the code from this update; send codes only in marketing templates.",
        flags=0,
    ),
    _signal(
        "offer",
        3,
        [
            r"\b(?:exclusive|special|seasonal|limited[- ]time|member[- ]only|weekend)\s+"
            r"(?:offers?|deals?|gifts?|prices?|discounts?)\b",
            # Not a bid or a document the customer is waiting for ("an offer of {{1}} on
            # your listing", "your job offer", "mortgage offer {{1}}").
            r"\boffer(?<!\bjob offer)(?<!\bmortgage offer)(?<!\bloan offer)(?<!\bcontract offer)s?\b"
            r"(?!\s+(?:of|on|from|letter|document|number|#|" + _VAR + r"))",
            r"\bfree\s+(?:shipping|delivery|gift|dessert|drinks?|test drive|session|treatment|"
            r"whitening(?: session)?|month|upgrade|sample)\b",
            r"\bget\b[^.!?]{0,25}\bfree\b",
            r"\b(?:a|one|\d+)\s+months?\s+free\b",
            r"\bfor free\b",
            r"\b(?:welcome|sign-?up|joining|switching|cash) bonus\b",
            r"\bget\s+(?:" + _MONEY + r"|\d+)\s+(?:credit|off|back)\b",
            r"\b(?:win|prizes?|giveaway|rewards?)\b",
            r"\b(?:treat yourself|as a thank[- ]you)\b",
            r"\bgift is waiting\b",
        ],
        "A free extra, gift, reward or offer is promotional content.",
        "Leave the offer out; keep the message to the facts of the customer's transaction.",
    ),
    _signal(
        "urgency",
        2,
        [
            r"\b(?:hurry|last chance|act (?:now|fast)|don'?t miss(?: out)?)\b",
            r"\b(?:ends|ending)\s+(?:tonight|today|soon|at midnight|on\s+"
            + _VAR
            + r"|"
            + _VAR
            + r")",
            r"\b(?:offer|deal|sale|promotion)\s+(?:ends|expires)\b",
            r"\bexpires? (?:soon|tonight)\b",
            r"\bbefore (?:they(?:'re| are)|it'?s) gone\b",
            r"\b(?:sells?|sold) out\b",
            r"\bwhile (?:stocks|supplies) last\b",
            r"\blimited (?:time|availability|seats|stock|spots)\b",
            r"\bonly \d+ (?:days?|hours?|left)\b",
            r"\b\d+ days left\b",
            r"\b(?:this weekend|today|tonight) only\b",
            r"\bbefore they expire\b",
        ],
        "Urgency ('hurry', 'ends soon', 'limited time') pushes a purchase; Meta treats it "
        "as marketing.",
        'State dates plainly ("due on 3 May") without pressure to buy.',
    ),
    _signal(
        "call_to_buy",
        3,
        [
            r"\b(?:shop|buy|order|book|reserve)\s+(?:now|today|online)\b",
            r"\bshop\s+(?:our|the|all|new)\b",
            r"\b(?:book|schedule)\s+your\s+next\b",
            r"\b(?:sign up|subscribe|enrol|enroll|register)\b[^.!?]{0,20}\b(?:today|now|for free)\b",
            r"\bsign up\b",
            r"\b(?:reserve|save|book)\s+your\s+(?:table|spot|seat|place|space)\b(?!\s+(?:is|was|has))",
            r"(?=[borsBORS])(?:^|(?<=\bso )|(?<=\band )|(?<=[,;:] ))(?:book|order|buy|reserve|shop)\b"
            r"[^.!?]{0,30}\b(?:now|today)\b",
            r"\b(?:renew|upgrade)\s+(?:now|today|to)\b",
            r"\b(?:pre-?order|stock up)\b",
            r"\bcomplete your purchase\b",
            r"\bgrab (?:it|them|yours|one)\b",
            r"\bbe (?:among )?the first\b",
            r"\b(?:visit|come to) our (?:store|shop|showroom|website)\b",
            r"\btake a look\b",
            r"\bwant to try\b",
        ],
        "An invitation to make a new purchase or booking ('shop now', 'book now', "
        "'upgrade') is marketing.",
        "Only link to what the customer needs for this transaction, e.g. 'Track your "
        "order' or 'Manage booking'.",
    ),
    _signal(
        "cross_sell",
        3,
        [
            r"\byou (?:might|may|will|'ll)?\s*(?:also )?(?:like|love|enjoy)\b",
            r"\bwe think you'?ll love\b",
            r"\b(?:recommended for you|picked|our picks|bestsellers?|best sellers?)\b",
            r"\b(?:matching|complementary) (?:accessories|items|products)\b",
            r"\badd (?:a|an|more|another)\b[^.!?]{0,40}\b(?:for|items|to your)\b",
            r"\bwhile you(?:'re| are)? (?:here|wait(?:ing)?)\b",
            r"\b(?:explore|browse|discover|check out)\s+(?:our|the|all)\b",
            r"\bpremium (?:plans?|features?|membership|account|tier|package|support)\b",
            r"\blooking for (?:a|an|something)\b",
            r"\bask us about\b",
            r"\bour new\b",
            r"\b(?:new(?<!\ba new)|latest) (?:arrivals?|collection|styles?|products?|features?|menu)\b",
            r"\b(?:our|the|season's|latest|spring|summer|autumn|fall|winter|holiday) collection\b",
            r"\b(?:our|the|latest) \w+ collection\b",
        ],
        "Cross-selling or up-selling other products turns a transactional update into marketing.",
        "Remove the product suggestions; this template should only describe the "
        "customer's own order, booking or account.",
    ),
    _signal(
        "re_engagement",
        3,
        [
            r"\bwe miss(?:ed)? you\b",
            r"\bcome back\b",
            r"\bit'?s been (?:a while|\d+ (?:days|weeks|months))\b",
            r"\bhaven'?t seen you\b",
            r"\byou left (?:something|\w+ items?|items?) in your (?:cart|basket|bag)\b",
            r"\bback in (?:stock|your size|store)\b",
            r"\b(?:in|from) your (?:cart|basket|bag|wishlist)\b",
            r"\byour (?:cart|basket) (?:is|still)\b",
            r"\b(?:match|matches|matching) your (?:saved )?search(?:es)?\b",
            r"\b(?:you|you've) (?:liked|viewed|looked at|searched for|saved)\b",
            r"\bwishlist\b",
            r"\bstill (?:thinking|interested)\b",
            r"\bhaven'?t (?:used|visited|ordered|shopped|logged in)\b",
            r"\bsince your last (?:visit|order|purchase)\b",
        ],
        "Re-engagement ('we miss you', abandoned carts, back-in-stock) is marketing even "
        "when the customer asked for it.",
        "Send re-engagement as a marketing template, not as utility.",
    ),
    _signal(
        "newsletter",
        3,
        [
            r"\bnewsletter\b",
            r"\bblog(?: post)?\b",
            r"\bfollow us\b",
            r"\b(?:tips|inspiration|stories)\b",
            r"\b(?:read|learn) more\b",
            r"\bwebinars?\b",
        ],
        "Newsletters and content (blog posts, tips, social media) are marketing.",
        "Move editorial content to a marketing template or your newsletter.",
    ),
    _signal(
        "launch",
        3,
        [
            r"\bintroducing\b",
            r"\ball-new\b",
            r"\bjust (?:dropped|launched|arrived|landed)\b",
            r"\b(?:is|are) (?:finally )?here\b",
            r"\blaunch(?:es|ed|ing)?\b",
            r"\bcoming soon\b",
            r"\bnew on the menu\b",
            r"\bwhat'?s new\b",
        ],
        "Product or feature launches are announcements, which Meta classifies as marketing.",
        "Announce launches in a marketing template.",
    ),
    _signal(
        "invitation",
        3,
        [
            r"\byou(?:'re| are) invited\b",
            r"\bjoin (?:us|our)\b",
            r"\brsvp\b",
            r"\bsave (?:your|a) (?:spot|seat|date)\b",
            r"\bopen for (?:enrol?ment|registration|bookings)\b",
        ],
        "Event invitations and membership drives are marketing.",
        "Send invitations as marketing; utility may only confirm an event the customer "
        "already booked.",
    ),
    _signal(
        "referral_survey",
        3,
        [
            r"\brefer (?:a|your) friends?\b",
            r"\btell (?:your|a) friends?\b",
            r"\bshare your (?:link|code)\b",
            r"\benter to win\b",
            r"\bwhat you think of (?:our|us)\b",
            r"\b(?:our|this|a) (?:\d+-minute )?survey\b",
            r"\brate (?:us|your experience)\b[^.!?]{0,40}\b(?:get|win|off|free)\b",
        ],
        "Referral asks and surveys not tied to the transaction are marketing.",
        "Ask only about this specific order or visit, with nothing offered in return.",
    ),
    _signal(
        "loyalty",
        2,
        [
            r"\bloyalty (?:points|programme|program|rewards)\b",
            r"\b(?:earn|double|bonus) points\b",
            r"\bredeem\b",
            r"\bpoints on every\b",
        ],
        "Promoting a loyalty programme or points is marketing.",
        "Report a points balance only as part of a transaction receipt, without asking "
        "to spend it.",
    ),
    _signal(
        "promo_price",
        2,
        [
            r"\b(?:now )?(?:only|just)\s+" + _MONEY,
            r"\bfrom\s+" + _MONEY + r"\s+(?:per|a|/)\s*(?:night|month|person|day)\b",
            r"\bfor (?:just|only)\b",
        ],
        "A price presented as a bargain ('only $9') is promotional.",
        "State the amount the customer owes or paid, without selling language.",
    ),
    _signal(
        "greeting",
        2,
        [
            r"\bhappy (?:holidays|birthday|new year|easter|diwali|eid|\w+ day)\b",
            r"\bseason'?s greetings\b",
            r"\bmerry christmas\b",
            r"\bwishing you\b",
            r"\bhope you(?:'re| are) (?:having|doing|well)\b",
            r"\bthanks? (?:you )?for being (?:part|a|our)\b",
            r"\bwelcome to the family\b",
            r"\bthank you for choosing us\b",
        ],
        "A greeting with no transaction in it is marketing.",
        "Tie the message to the customer's order, booking or account, or send it as marketing.",
    ),
)

# A reference to something the customer already started: the heart of utility.
TRANSACTION_RE = re.compile(
    r"\b(?:your|the|this)\s+(?:\w+\s+)?(?:order|package|parcel|delivery|shipment|booking|"
    r"reservation|appointment|payment|invoice|bill|statement|account|card|subscription|plan|"
    r"plan's|refund|return|ticket|tickets|application|policy|prescription|transfer|flight|stay|"
    r"class|document|request|loan|warranty|car|table|password|device|balance|coverage|cover|"
    r"gift card|repair|claim|visit|treatment|service|login|verification|phone number|"
    r"seat|data limit|installation)s?\b|\bpayment of\b|\b(?:is|are|was|were|has been|have been)\s+"
    r"(?:booked|scheduled|confirmed|cancelled|canceled|delivered|dispatched|shipped|declined|"
    r"received|processed|approved)\b|\b(?:order|invoice|booking|ticket|policy|account|flight|transfer)\s+"
    r"(?:#|no\.?\s*|number\s+)?" + _VAR + r"|\b(?:verification|login|security|one-time|"
    r"confirmation) (?:code|number)\b|\bcode is\b",
    re.IGNORECASE,
)

SHOP_URL_RE = re.compile(
    r"/(?:shop|sale|sales|deals?|offers?|promo\w*|new|collections?|picks|best\w*|wishlist|"
    r"cart|catalog\w*|store|products?|blog)(?:[/?#]|$)",
    re.IGNORECASE,
)
SHOP_BUTTON_RE = re.compile(
    r"\b(?:shop|buy|order now|book now|see collection|view picks|browse|read more|learn more|"
    r"what's new|see offers?|get offer|claim|sign up|return to cart|subscribe)\b",
    re.IGNORECASE,
)
URL_IN_TEXT_RE = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
CODE_WORDS_RE = re.compile(r"\b(?:code|otp|passcode|pin|verification|verify)\b", re.IGNORECASE)
POSITIONAL_VAR_RE = re.compile(_VAR)


@dataclass
class Finding:
    component: str
    start: int
    end: int
    phrase: str
    signal: Signal


def scan(text: str, component: str) -> list[Finding]:
    found = []
    lower = _lowered(text)
    for signal in SIGNALS:
        for match in _matches(signal, text, lower):
            start, end = match.start(), match.end()
            found.append(Finding(component, start, end, text[start:end], signal))
    # Overlapping matches explain the same words once: keep the strongest, then
    # the longest, then the earliest.
    found.sort(key=lambda f: (-f.signal.weight, -(f.end - f.start), f.start))
    kept: list[Finding] = []
    for finding in found:
        if all(finding.end <= k.start or finding.start >= k.end for k in kept):
            kept.append(finding)
    kept.sort(key=lambda f: f.start)
    return kept


def _texts(components: list[dict]) -> list[tuple[str, str]]:
    out = []
    for component in components:
        kind = component.get("type")
        if kind in ("header", "body", "footer") and component.get("text"):
            out.append((kind, component["text"]))
    return out


def buttons_of(components: list[dict]) -> list[dict]:
    for component in components:
        if component.get("type") == "buttons":
            return list(component.get("buttons") or [])
    return []


def authentication_problems(components: list[dict], body: str) -> list[str]:
    """Meta's authentication templates are a one-time code and nothing else."""
    problems = []
    variables = set(POSITIONAL_VAR_RE.findall(body))
    if len(variables) != 1:
        problems.append(
            f"An authentication template carries exactly one variable, the code; this body has "
            f"{len(variables)}."
        )
    if not CODE_WORDS_RE.search(body):
        problems.append("An authentication template must say it is a one-time/verification code.")
    if URL_IN_TEXT_RE.search(body):
        problems.append("Authentication templates may not contain URLs in the body.")
    if any(c.get("type") == "header" for c in components):
        problems.append("Authentication templates have no header.")
    buttons = buttons_of(components)
    if len(buttons) > 1:
        problems.append("Authentication templates have at most one (copy-code) button.")
    if len(body) > 300:
        problems.append("Keep an authentication message short: the code, its expiry, a warning.")
    return problems


SHOP_BUTTON = Signal(
    "shop_button",
    3,
    re.compile(r"$^"),
    "A button that leads to a shop, offer or content page invites a new purchase.",
    "Use buttons that serve this transaction only ('Track order', 'Manage booking'), or none.",
)
