"""Sentences and their features: what the category model reads.

A template is judged sentence by sentence (Meta: any promotional sentence makes
the whole template marketing), so the text of every component is cut into
sentences with their character offsets, and each sentence becomes a small set of
named features:

* words, lightly stemmed, with variables, prices, percentages,
  codes and times folded into placeholders (``<var>``, ``<money>`` …) so the
  model learns shapes rather than sample values;
* adjacent word pairs (with sentence start and end), learned like the words;
* the first content word, because mood carries the category: "Add a dessert",
  "Pair it with …" sell, "Reply 1 to confirm" serves;
* cue families from small hand-written lexicons (a customer event, a fact about
  a price already paid, lapsed custom, novelty, a pitch), so a word the corpus
  never used still lands in the right family;
* the promotional signals of ``signals.py`` and the transaction anchor;
* context: whether the template mentions any transaction at all and whether an
  earlier sentence already did (a cross-sell is usually appended after one);
* beside the named features, a sentence vector (``vectors.py``): what the
  sentence means, for wording no lexicon lists.

No Django; a 1,024-character body takes a few milliseconds.
"""

import re
from dataclasses import dataclass, field
from itertools import pairwise

from . import signals, vectors

# Abbreviations whose full stop does not end a sentence.
_ABBREVIATIONS = ("dr", "mr", "mrs", "ms", "st", "no", "vs", "approx", "e.g", "i.e", "etc")
_BOUNDARY_RE = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n+")
_TOKEN_RE = re.compile(
    r"(?P<var>\{\{\s*\w+\s*\}\})"
    r"|(?P<money>[$€£₹¥]\s?\d[\d.,]*|\d[\d.,]*\s?(?:usd|eur|gbp|dollars|euros|pounds)\b)"
    r"|(?P<pct>\d[\d.,]*\s?%)"
    r"|(?P<time>\b\d{1,2}(?::\d{2})?\s?(?:am|pm)\b|\b\d{1,2}:\d{2}\b)"
    r"|(?P<code>\b(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{4,}\b)"
    r"|(?P<num>\d[\d.,]*)"
    r"|(?P<word>[^\W\d_]+(?:['’][^\W\d_]+)?)"
    r"|(?P<punct>[?!])",
    re.IGNORECASE,
)
_SKIP_FIRST = frozenset(
    {"hi", "hello", "hey", "dear", "<var>", "and", "also", "plus", "so", "oh", "ok", "psst"}
)

# Cue families. Kept short and literal: each entry is a phrase matched on whole
# words, or a stem ending in '*' that matches any ending. They generalise the
# corpus to words it lacks.
_LEXICON: dict[str, tuple[str, ...]] = {
    # Something that happened (or is set to happen) to the customer's own
    # transaction or account, in the forms a notice uses.
    "event": (
        "confirmed",
        "received",
        "shipped",
        "delivered",
        "processed",
        "approved",
        "declined",
        "charged",
        "paid",
        "refunded",
        "issued",
        "cancelled",
        "canceled",
        "completed",
        "complete",
        "credited",
        "collected",
        "scheduled",
        "booked",
        "activated",
        "published",
        "delayed",
        "postponed",
        "moved",
        "changed",
        "changing",
        "expired",
        "expires",
        "expire",
        "renewed",
        "renews",
        "dispatched",
        "arrived",
        "arriving",
        "arrive",
        "reached",
        "detected",
        "signed",
        "submitted",
        "waived",
        "transferred",
        "uploaded",
        "rescheduled",
        "diverted",
        "closed",
        "ready",
        "due",
        "applied",
        "redeemed",
        "sent",
        "placed",
        "released",
        "returned",
        "accepted",
        "rejected",
        "failed",
        "updated",
    ),
    # Words that place a price or offer inside something already done.
    "done": (
        "was applied",
        "were applied",
        "been applied",
        "you applied",
        "you chose",
        "you selected",
        "you booked",
        "you requested",
        "you asked",
        "as requested",
        "as you requested",
        "as ordered",
        "as booked",
        "you bought",
        "you paid",
        "you were charged",
        "was redeemed",
        "was used",
        "included in your",
        "includes the",
        "reflects",
        "qualified for",
        "you qualified",
        "entitled to",
        "locked in",
        "after your",
        "from your",
        "on your plan",
        "on your contract",
        "could not be applied",
    ),
    # The customer has been away or is running out.
    "lapse": (
        "miss you",
        "haven't seen you",
        "haven't heard from",
        "haven't ordered",
        "haven't visited",
        "haven't been in",
        "haven't booked",
        "not seen you",
        "while since",
        "it's been",
        "time to restock",
        "time to reorder",
        "time to book",
        "time to top up",
        "time for a",
        "misses you",
        "been a while",
        "long time",
        "since your last",
        "last visit",
        "dormant",
        "inactive",
        "rusty",
        "running low",
        "run out",
        "runs out",
        "almost finished",
        "might be time",
        "time for your next",
        "welcome you back",
        "come back",
        "back on track",
        "pick up where you left off",
        "still thinking",
        "still available",
        "left a few",
        "left in your",
        "you looked at",
        "you viewed",
        "you searched",
        "you saved",
        "you started",
        "but didn't finish",
        "last year",
        "last season",
        "due for a",
        "with us again",
        "again this",
        "since you last",
        "since you left",
        "you last",
        "log back in",
        "back in to",
    ),
    # Something new or newly available from the business.
    "novelty": (
        "new arrival*",
        "new in",
        "our new",
        "all-new",
        "brand new",
        "new season",
        "new range",
        "new menu",
        "new vintage",
        "new flavour*",
        "new service*",
        "new feature*",
        "in the shop",
        "in store",
        "now available",
        "now also",
        "now offer*",
        "now stock*",
        "now serv*",
        "now run*",
        "is in",
        "are in",
        "back on",
        "is back in",
        "are back in",
        "back for",
        "in stock",
        "has a new",
        "new book",
        "reopen*",
        "introduc*",
        "latest",
        "launch*",
        "arrived",
        "has arrived",
        "have arrived",
        "just in",
        "just landed",
        "this season",
        "season",
        "collection",
        "lineup",
        "programme",
        "available again",
        "openings",
        "slots open",
    ),
    # A pitch: asks the customer to take up something they have not ordered.
    "pitch": (
        "add",
        "pair",
        "upgrad*",
        "switch",
        "extend your",
        "complete the look",
        "discover",
        "explor*",
        "grab",
        "treat yourself",
        "treat them",
        "treat your",
        "protect your new",
        "protect it",
        "meet the new",
        "meet our",
        "restart",
        "rejoin",
        "reactivat*",
        "unlock",
        "stock up",
        "restock*",
        "reorder*",
        "order again",
        "buy it again",
        "order your next",
        "book your next",
        "subscrib*",
        "join*",
        "spread the cost",
        "make it special",
        "pre-order",
        "check out",
        "brows*",
        "have a look",
        "take a look",
        "ask about",
        "why not",
        "would love",
        "you may also",
        "you might",
        "also enjoyed",
        "often pick",
        "also bought",
        "also chose",
        "also picked",
        "frequently bought",
        "goes well with",
        "goes perfectly with",
        "pairs well",
        "complete your",
        "matching",
        "you'll love",
        "you will love",
        "make the most of",
        "add-on",
        "many drivers",
        "customers who",
        "readers of",
        "teams on",
        "put it to work",
        "come and",
        "come in",
        "bring a friend",
        "perfect for",
        "peace of mind",
        "skip the queue",
        "on us",
        "on the house",
        "shall we",
        "could be waiting",
        # Something else on sale, offered in the passive or as news.
        "can be added",
        "can be bought",
        "can be booked",
        "can be ordered",
        "can be done",
        "can be arranged",
        "can be upgraded",
        "is available with",
        "are available with",
        "tap away",
        "did you know",
        "we also",
        "also offer*",
        "also deliver*",
        "also sell*",
        "also stock*",
        "we stock",
        "partner rates",
        "partner*",
        "same visit",
        "can include",
        "can be switched on",
        "can still be added",
        "fancy",
        "with our",
        "protects you",
        "cashback",
        "premium",
        "has places",
        "places left",
        "spaces left",
        "starts soon",
        "start soon",
        "second trip",
        "members get",
    ),
    # An operational notice: a time, place or service changes for the customer.
    "notice": (
        "late",
        "delay*",
        "cancel*",
        "moved",
        "moves",
        "changing",
        "closed",
        "closes",
        "instead of",
        "postpon*",
        "divert*",
        "replaced",
        "running",
        "out of service",
        "interrupt*",
        "maintenance",
        "due to",
        "because of",
        "because",
        "results",
        "result",
        "report",
        "limit",
        "reached",
        "left this month",
        "remaining",
        "usage",
        "expires",
        "expired",
        "out of order",
        "disrupt*",
        "power cut",
        "outage",
        "picked up",
        "weather",
        "storm",
        "heads up",
        "reminder",
        "planned",
        "temporarily",
        "unavailable",
        "suspended",
        "resum*",
        "restored",
        "back up",
        "until further notice",
        "inconvenience",
        "sorry",
    ),
}


_PLAIN_WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def plain_words(text: str) -> list[str]:
    """Lower-case words as written (no stemming), for matching the lexicon."""
    return _PLAIN_WORD_RE.findall(text.lower().replace("’", "'"))


def _lexicon_index() -> tuple[dict, dict]:
    """Lexicon phrases indexed by their first word (or, for a one-word stem, by the
    stem), so a sentence is matched in one pass over its words instead of one
    regular-expression scan per family: validate's latency budget is 5 ms."""
    by_word: dict[str, list] = {}
    by_stem: dict[str, list] = {}
    for family, phrases in _LEXICON.items():
        for phrase in phrases:
            stem = phrase.endswith("*")
            words = tuple(plain_words(phrase.rstrip("*")))
            index = by_stem if stem and len(words) == 1 else by_word
            index.setdefault(words[0], []).append((family, words, stem))
    return by_word, by_stem


_BY_WORD, _BY_STEM = _lexicon_index()
_LONGEST_STEM = max(len(k) for k in _BY_STEM)


# A pitch, a lapse or news under a negation ("no need to come back", "you won't
# need to add anything") says what will not happen.
_NEGATORS = frozenset({"no", "not", "never", "without", "don't", "won't", "needn't"})
_NEGATABLE = frozenset({"pitch", "lapse", "novelty"})


def families(words: list[str]) -> set[str]:
    """The cue families whose phrases occur in ``words`` (from ``plain_words``)."""
    found: set[str] = set()
    for i, word in enumerate(words):
        candidates = list(_BY_WORD.get(word, ()))
        for k in range(1, min(len(word), _LONGEST_STEM) + 1):
            candidates.extend(_BY_STEM.get(word[:k], ()))
        negated = i and bool(_NEGATORS.intersection(words[max(0, i - 3) : i]))
        for family, phrase, stem in candidates:
            if family in found or (negated and family in _NEGATABLE):
                continue
            segment = words[i : i + len(phrase)]
            if len(segment) < len(phrase) or segment[:-1] != list(phrase[:-1]):
                continue
            last, wanted = segment[-1], phrase[-1]
            if last.startswith(wanted) if stem else last == wanted:
                found.add(family)
    return found


_YOU_WORDS = frozenset({"you", "your", "yours", "you're", "you've", "you'll", "you'd"})
_WE_WORDS = frozenset({"we", "our", "we're", "we've", "we'll", "ours"})
_PITCH_FAMILIES = ("lex:pitch", "lex:lapse", "lex:novelty", "imp:selling")


# A sentence is only called promotional when something nameable points that way:
# a signal, a cue family, a selling verb, or a template that is about the business
# alone. A high score from ordinary words alone ("Have a good trip.") is not enough,
# and every flag can say what it saw.
_CUES = (
    "sig:",
    "lex:pitch",
    "lex:novelty",
    "lex:lapse",
    "imp:selling",
    "ctx:bare",
    "ctx:no_anchor",
    "we_only",
    "short_question",
    "btn:shop_url",
)


def has_cue(features: list[str]) -> bool:
    return any(f.startswith(_CUES) for f in features)


@dataclass
class Sentence:
    component: str
    start: int
    end: int
    text: str
    features: list[str] = field(default_factory=list)
    anchored: bool = False
    vector: tuple[float, ...] = ()


def _stem(word: str) -> str:
    """A crude, deterministic suffix stripper: enough to fold 'shipped', 'ships'
    and 'shipping' together without a language library."""
    if len(word) > 5 and word.endswith("ies"):
        return word[:-3] + "y"
    for suffix, keep in (("ing", 5), ("ed", 4), ("es", 5), ("s", 3)):
        if len(word) > keep and word.endswith(suffix) and not word.endswith("ss"):
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]  # shipp -> ship, planned -> plan
    return word


# The first content word as a command: selling verbs versus the verbs of a
# transactional instruction ("Reply 1 to confirm", "Bring your ID").
_SELLING_VERBS = frozenset(
    _stem(w)
    for w in (
        "add",
        "adding",
        "pair",
        "try",
        "upgrade",
        "switch",
        "complete",
        "discover",
        "explore",
        "treat",
        "grab",
        "restart",
        "rejoin",
        "reactivate",
        "unlock",
        "stock",
        "restock",
        "reorder",
        "buy",
        "shop",
        "get",
        "join",
        "subscribe",
        "spread",
        "protect",
        "make",
        "browse",
        "visit",
        "come",
        "learn",
        "find",
        "ask",
        "put",
        "place",
        "earn",
        "save",
        "share",
        "tell",
        "follow",
        "refer",
        "claim",
        "celebrate",
        "indulge",
        "experience",
        "taste",
        "order",
        "book",
        "reserve",
        "start",
        "pick",
        "plan",
        "gift",
        "surprise",
        "give",
        "say",
        "win",
        "rent",
        "hire",
        "swap",
        "fill",
        "invite",
        "escape",
        "relax",
        "travel",
        "dine",
    )
)
_SERVICE_VERBS = frozenset(
    _stem(w)
    for w in (
        "reply",
        "call",
        "contact",
        "bring",
        "show",
        "log",
        "sign",
        "download",
        "tap",
        "activate",
        "update",
        "pay",
        "return",
        "keep",
        "cancel",
        "remember",
        "enter",
        "present",
        "arrive",
        "confirm",
        "review",
        "verify",
        "open",
        "view",
        "track",
        "let",
        "reset",
        "ignore",
        "note",
        "leave",
        "wait",
        "boil",
        "please",
        "check",
        "allow",
        "expect",
        "do",
        "don't",
        "choose",
        "select",
        "send",
        "submit",
        "provide",
        "upload",
        "print",
        "scan",
        "charge",
        "sorry",
    )
)


def split_sentences(text: str, component: str) -> list[Sentence]:
    """Sentences of one component's text, each with its offsets in that text."""
    out = []
    start = 0
    for boundary in _BOUNDARY_RE.finditer(text):
        before = text[start : boundary.start()].rstrip(".!?\"')] ")
        last_word = before.rsplit(None, 1)[-1].lower() if before.split() else ""
        if boundary.group(0).strip(" \t") == "" and last_word.rstrip(".") in _ABBREVIATIONS:
            continue
        _append(out, text, start, boundary.start(), component)
        start = boundary.end()
    _append(out, text, start, len(text), component)
    return out


def _append(out: list, text: str, start: int, end: int, component: str) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    out.append(Sentence(component, start + lead, start + lead + len(stripped), stripped))


def tokens(text: str) -> list[str]:
    out = []
    for match in _TOKEN_RE.finditer(text):
        kind = match.lastgroup
        if kind == "word":
            out.append(_stem(match.group(0).lower().replace("’", "'")))
        elif kind == "punct":
            out.append("<q>" if match.group(0) == "?" else "<excl>")
        else:
            out.append(f"<{kind}>")
    return out


def featurise(sentences: list[Sentence], buttons: list[dict]) -> list[Sentence]:
    """Fill in each sentence's features (and anchor), using the whole template as
    context. Buttons come last as sentences of their own."""
    for index, button in enumerate(buttons):
        text = (button.get("text") or "").strip()
        if text:
            sentence = Sentence(f"buttons[{index}]", 0, len(text), text)
            url = button.get("url") or ""
            sentence.features = ["btn", f"btn:{button.get('type') or 'unknown'}"]
            if url and signals.SHOP_URL_RE.search(url):
                sentence.features.append("btn:shop_url")
            sentences.append(sentence)
    plain = [plain_words(sentence.text) for sentence in sentences]
    found = [families(words) for words in plain]
    addressed = [bool(_YOU_WORDS.intersection(words)) for words in plain]
    for sentence in sentences:
        sentence.anchored = bool(signals.TRANSACTION_RE.search(sentence.text))
    any_anchor = any(s.anchored for s in sentences)
    # A template that names no transaction, never addresses the customer and
    # reports no change or event is talking about the business: a promotion.
    bare = not any_anchor and not any(
        you or "notice" in fams or "event" in fams
        for you, fams in zip(addressed, found, strict=True)
    )
    for sentence, words_as_written, fams, you in zip(
        sentences, plain, found, addressed, strict=True
    ):
        words = tokens(sentence.text)
        feats = sentence.features
        feats.append("bias")
        feats.extend(f"w:{w}" for w in words)
        feats.extend(f"lex:{family}" for family in fams)
        content = [w for w in words if w not in _SKIP_FIRST and not w.startswith("<")]
        if content:
            feats.append(f"first:{content[0]}")
            # "Order confirmed" is a headline, not a command.
            if content[0] in _SELLING_VERBS and "event" not in fams:
                feats.append("imp:selling")
            elif content[0] in _SERVICE_VERBS:
                feats.append("imp:service")
        if words and words[-1] == "<q>" and len(words) <= 6:
            feats.append("short_question")
        feats.extend(f"sig:{kind}" for kind in signals.kinds_in(sentence.text))
        # A commercial word inside a fact about the customer's own transaction ("the
        # discount you applied") is not a pitch; the same word anywhere else is.
        fact = "done" in fams or "event" in fams
        cues = [f for f in feats if f.startswith("sig:") or f in _PITCH_FAMILIES]
        feats.extend(f"{cue}|{'fact' if fact else 'nofact'}" for cue in cues)
        if cues and not fact:
            feats.append("cue|nofact")
        if sentence.anchored:
            feats.append("anchor")
        if you:
            feats.append("you")
        if _WE_WORDS.intersection(words_as_written):
            feats.append("we")
            if not you and not sentence.anchored:
                # The business talking about itself, not about the customer's affairs.
                feats.append("we_only")
        if not any_anchor:
            feats.append("ctx:no_anchor")
            if not you:
                feats.append("ctx:no_anchor|not_addressed")
        if bare:
            feats.append("ctx:bare")
        # Word pairs carry what single words cannot: "you left" and "left your" are
        # a lapse, "is confirmed" a fact. They are held back as hard as words, and
        # added last so the cue scans above need not walk past them.
        bounded = ["<s>", *words, "</s>"]
        feats.extend(f"bi:{a}_{b}" for a, b in pairwise(bounded))
        sentence.features = sorted(set(feats))
    for sentence, vector in zip(sentences, vectors.embed([s.text for s in sentences]), strict=True):
        sentence.vector = vector
    return sentences


def template_sentences(components: list[dict]) -> list[Sentence]:
    """Every sentence of a template (header, body, footer, then buttons) with features."""
    sentences: list[Sentence] = []
    buttons: list[dict] = []
    for component in components:
        kind = component.get("type")
        if kind in ("header", "body", "footer") and component.get("text"):
            sentences.extend(split_sentences(component["text"], kind))
        elif kind == "buttons":
            buttons = list(component.get("buttons") or [])
    return featurise(sentences, buttons)
