"""Is an article about foreign investment in China's value-added telecom services, and which kind of news is it.

Every cue word lives once in data/cues.json (topic words in data/topic.json), per language; `vocab(language)`
compiles them for English and Chinese articles (read together, as articles mix them) or for one other language.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from pipelines.kinds import Event
from pipelines.knowledge import load

logger = logging.getLogger(__name__)

EVENTS = tuple(Event)
# Languages read with the full English and Chinese rules; any other language is read with its own cue lists.
BASE = ("en", "zh")

# The names of the rules and cue groups that fired, gathered only while a bench sets a set here
# (bench/extract_eval.py); unset, a rule pays one comparison.
TRACE: set[str] | None = None


def fired(name: str) -> None:
    """Note that the rule `name` decided something (only while TRACE is set)."""
    if TRACE is not None:
        TRACE.add(name)


def cue_groups() -> list[tuple[str, str]]:
    """(group, language) of every cue list in data/cues.json."""
    groups = load("cues.json")["groups"]
    return [(g, lang) for g, langs in groups.items() for lang in langs if not lang.startswith("_")]


def cue_words(group: str, langs: tuple[str, ...] = BASE) -> list[str]:
    """The entries (regular-expression fragments) of a cue group in the given languages (and those under "*",
    which every language shares)."""
    entries = load("cues.json")["groups"][group]
    return [w for lang in (*langs, "*") for w in entries.get(lang, [])]


@lru_cache(maxsize=1024)
def cue_pattern(group: str, langs: tuple[str, ...] = BASE, wrap: str = "{}") -> re.Pattern[str]:
    """One case-insensitive pattern of a cue group (`wrap` places the alternation in a larger pattern).

    >>> bool(cue_pattern("approval").search("The MIIT green-lit 11 firms"))
    True
    """
    return re.compile(wrap.format(alternation(cue_words(group, langs))), re.I)


_LATIN_START = re.compile(r"\\b|(?=[A-Za-zÀ-ÿ])")


def alternation(entries: list[str]) -> str:
    """Cue entries as one group: an entry that starts with a word boundary or a Latin letter starts a word, and the
    word boundary is tested once for all of them (a scan then costs a quarter of the plain alternation).

    >>> alternation([r"\\bapprov", "green light", "获批"])
    '(?:\\\\b(?:approv|green light)|获批)'
    """
    if not entries:
        return "(?!)"
    latin = [_LATIN_START.sub("", e, count=1) for e in entries if _LATIN_START.match(e)]
    other = [e for e in entries if not _LATIN_START.match(e)]
    parts = ([r"\b(?:" + "|".join(latin) + ")"] if latin else []) + other
    return "(?:" + "|".join(parts) + ")"


@cache
def cue_values(name: str, langs: tuple[str, ...] = BASE) -> dict[str, int]:
    """Words that stand for numbers (number words, ordinals) in the given languages, lower case."""
    table = load("cues.json")["values"].get(name, {})
    return {w.lower(): v for lang in langs for w, v in table.get(lang, {}).items()}


def is_base(langs: tuple[str, ...]) -> bool:
    """Whether `langs` are read with the full English and Chinese rules (BASE, or English alone for a text with
    no Chinese in it, which spares the Chinese patterns)."""
    return langs == BASE or langs == ("en",)


def langs_of(language: str | None) -> tuple[str, ...]:
    """The cue languages an article in `language` is read with."""
    lang = (language or "en").lower()[:2]
    return BASE if lang in BASE else (lang,)


_ZH_NUM = r"[一二两三四五六七八九十百]+"


def number_pattern(langs: tuple[str, ...] = BASE) -> str:
    """A number as a language writes it: digits (2,400 / 2.400 / 2천400), number words, Chinese numerals."""
    words = sorted(cue_values("number_words", langs), key=len, reverse=True)
    parts = [r"\d[\d,]*" if is_base(langs) else r"\d{1,3}(?:[.,\s]\d{3})+(?!\d)|\d+(?:천\d*)?"]
    if words:  # tried at word starts only (the boundary is tested once for all of them)
        parts.append(r"\b(?:" + "|".join(re.escape(w) for w in words) + ")")
    if "zh" in langs:
        parts.append(_ZH_NUM)
    return "(?:" + "|".join(parts) + ")"


@dataclass(frozen=True, eq=False)  # one per language set (vocab() is cached): hashed by identity, cheaply
class Vocab:
    """The compiled cue groups of one reading language set (see `vocab`)."""

    langs: tuple[str, ...]
    count: re.Pattern[str]
    approve: re.Pattern[str]
    one_firm: re.Pattern[str]
    not_yet: re.Pattern[str]
    approved_past: re.Pattern[str]
    accepted: re.Pattern[str]
    cumulative: re.Pattern[str]
    weak_total: re.Pattern[str]
    this_batch: re.Pattern[str]
    breakdown: re.Pattern[str]
    recap_before: re.Pattern[str]
    recap_after: re.Pattern[str]
    pilot: re.Pattern[str]
    applicant: re.Pattern[str]
    rule: re.Pattern[str]
    policy: re.Pattern[str]
    total: re.Pattern[str]
    elsewhere: re.Pattern[str]
    china: re.Pattern[str]
    evidence: re.Pattern[str]
    listing: re.Pattern[str]


@cache
def vocab(langs: tuple[str, ...] = BASE) -> Vocab:
    """The cue groups compiled for `langs` (BASE: English and Chinese together).

    A count of firms: "13 foreign-invested companies", "首批13家外资企业", "13 empresas", "13社", "13개 외자 기업";
    also a count told without the noun: "the first batch of 13", "the number approved so far stood at 27".
    """
    num = number_pattern(langs)
    firms = "(?:" + "|".join(cue_words("firm_noun", langs)) + ")"
    batch = "(?:" + "|".join(cue_words("batch_word", langs)) + ")"
    word = r"[\w-]+" if langs in (BASE, ("en",)) else r"[^\s,;.]+"  # Devanagari vowel signs are not \w
    count = (rf"(?<![A-Za-z0-9.])(?<!\d,){num}\s*(?:{word}\s+){{0,3}}?{firms}"
             rf"|\b{batch} (?:of|de|di|da|von) {num}\b(?!\s*(?:percent|%))")
    if is_base(langs):
        count += rf"|\b(?:number|tally|total)\b[^.,;]{{0,80}}?\b(?:at|to|reach\w*)\s+{num}\b"
    return Vocab(
        langs=langs,
        count=re.compile(count, re.I),
        approve=cue_pattern("approval", langs),
        one_firm=cue_pattern("one_firm_reply", langs),
        not_yet=cue_pattern("not_yet", langs),
        approved_past=cue_pattern("approved_past", langs),
        accepted=cue_pattern("applications_accepted", langs),
        cumulative=cue_pattern("running_total", langs),
        weak_total=cue_pattern("weak_total", langs),
        this_batch=cue_pattern("this_batch", langs),
        breakdown=cue_pattern("breakdown", langs, r"^\s*{}"),
        recap_before=cue_pattern("recap_before", langs, r"{}[^,;]{{0,40}}$"),
        recap_after=cue_pattern("recap_after", langs, r"^[^,;]*?{}\s*$"),
        pilot=cue_pattern("pilot", langs),
        applicant=cue_pattern("application", langs),
        rule=cue_pattern("procedure_rule", langs),
        policy=cue_pattern("policy", langs),
        total=cue_pattern("telecom_total", langs),
        elsewhere=cue_pattern("elsewhere", langs),
        china=cue_pattern("china", langs),
        evidence=re.compile(alternation(cue_words("batch_evidence", langs) + cue_words("this_batch", langs))
                            + rf"|\b{batch}\b|\b(?:{'|'.join(re.escape(w) for w in cue_values('ordinals', langs))})\w*\s+{batch}",
                            re.I),
        listing=cue_pattern("list_intro", langs),
    )


# The formula of a ministry's reply approving one firm: "同意你公司...开展...试点".
ONE_FIRM = cue_pattern("one_firm_reply")
# Clause ends inside a sentence: commas that do not sit inside a number ("2,400"), semicolons.
_CLAUSE_END = re.compile(r"(?<!\d),|,(?!\d{3}(?!\d))|;|،")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
# A day of the telling as a weekday or "today": the text is news of that day, whatever years it names as history.
_NEWS_DAY = cue_pattern("news_day")


@dataclass(frozen=True)
class Topic:
    vats: re.Pattern[str]
    services: re.Pattern[str]
    telecom: re.Pattern[str]
    foreign: re.Pattern[str]
    opening: re.Pattern[str]
    opening_weak: re.Pattern[str]
    vats_pilot: re.Pattern[str]
    near_pilot: re.Pattern[str]
    start_year: int


def _words(words: list[str], whole: bool = False) -> re.Pattern[str]:
    """One alternation of the words, longest first; Latin words start at a word boundary (and end at one if `whole`)."""
    ordered = sorted(words, key=len, reverse=True)
    latin = [re.escape(w) + (r"\b" if whole and re.search(r"\w$", w, re.A) else "") for w in ordered if re.match(r"\w", w, re.A)]
    other = [re.escape(w) for w in ordered if not re.match(r"\w", w, re.A)]
    parts = ([r"\b(?:" + "|".join(latin) + ")"] if latin else []) + other
    return re.compile("|".join(parts) or "(?!)", re.I)


@cache
def topic(langs: tuple[str, ...] = BASE) -> Topic:
    """The topic keyword lists of data/topic.json for `langs`, compiled once."""
    raw = load("topic.json")

    def words(key: str) -> list[str]:
        return [w for lang in langs for w in raw[key].get(lang, [])]

    foreign = _words(words("foreign")).pattern + "|" + _words(words("foreign_origin"), whole=True).pattern
    # Approval and licence words are an opening only in a sentence that names the foreign side.
    weak = cue_pattern("approval", langs).pattern + "|" + _words(words("licence")).pattern
    # The pilot named in other words: a pilot word and the services' name close together in one sentence ("pilot
    # approvals for value-added telecom services", "试点...增值电信"), not a "pilot free trade zone".
    pilot = alternation(cue_words("pilot_word", langs)) + r"(?!\w{0,12}\s+free\s+trade)"
    vats = _words(words("vats")).pattern
    near = rf"{pilot}[^.;。\n]{{0,60}}?(?:{vats})|(?:{vats})[^.;。\n]{{0,60}}?{pilot}"
    return Topic(_words(words("vats")), _words(words("vats_services")), _words(words("telecom")), re.compile(foreign, re.I),
                 _words(words("opening")), re.compile(weak, re.I), _words(words("vats_pilot")),
                 re.compile(near, re.I), int(raw["policy_start_year"]))


# Where a sentence ends: a run of 。！？!?।, a line end, or ". " before a capital (not after an initial, "No", "Co", "Ltd");
# written to start with one character class, which the regex engine scans for fast.
_SENTENCE_END = re.compile(r"[。！？!?।\n.](?:(?<=[。！？!?।])[。！？!?।]*|(?<=\n)|(?<=\.)(?<![A-Z]\.)(?<!\b[A-Z][a-z]\.)(?<!\bNo\.)"
                           r"(?<!\bCo\.)(?<!\bLtd\.)(?=\s+[\"'“A-ZА-ЯЁ\u0600-\u06ff]))")


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of sentences: split at 。！？!?। and line ends, and at ". " before a capital letter.

    >>> sentences("Foo Co. Ltd. won. Bar said so!\\n第二句。")
    [(0, 17), (18, 30), (31, 35)]
    """
    spans = []
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() == pos:
            if text[pos] != ".":
                pos = m.end()  # an end mark with no sentence before it belongs to none
            continue
        s, e = pos, m.end()
        pos = e
        while s < e and text[s].isspace():
            s += 1
        if e > s:
            spans.append((s, e))
    if pos < len(text):
        s = pos
        while s < len(text) and text[s].isspace():
            s += 1
        if s < len(text):
            spans.append((s, len(text)))
    return spans


def is_relevant(text: str, title: str = "", latest_year: int | None = None, langs: tuple[str, ...] = BASE,
                dated: bool = True) -> bool:
    """About foreign investment in China's VATS opening: VATS wording, a foreign side and an opening or pilot.

    Approval and licence words alone are not an opening (regulators license carriers everywhere): they count
    only in a sentence that also names the foreign side. "增值电信业务试点" (the VATS pilot) is the opening itself.
    `dated` says that `latest_year` is the publication year, not only the latest year the text names.

    >>> is_relevant("MIIT approved 13 foreign-invested firms for pilot value-added telecom services.")
    True
    >>> is_relevant("The MIIT said 5G base stations grew 30 percent; telecom revenue rose.")
    False
    """
    t = topic(langs)
    v = vocab(langs)
    whole = f"{title}\n{text}"
    # Cheapest first, the same answer: the services' name near a pilot word needs the name somewhere, and the few
    # telecom words are looked for before the many services.
    vats_named = bool(t.vats.search(whole))
    named_pilot = bool(t.vats_pilot.search(whole)) or (vats_named and bool(t.near_pilot.search(whole)))
    vats = named_pilot or vats_named or (bool(t.telecom.search(whole)) and bool(t.services.search(whole)))
    if not vats:
        return False
    # China is named early in nearly every story, so its search stops soon; the other countries' is run only without it.
    china = bool(v.china.search(whole))
    if not china and v.elsewhere.search(whole):
        fired("relevance:other_country")
        return False  # another country's telecom opening ("Vietnam grants ... licence") is not this policy
    if not is_base(langs) and not china:
        return False  # a story in another language names China when it is about China's pilot
    if not named_pilot:
        if not t.foreign.search(whole):
            return False
        if not (t.opening.search(whole) or any(
                t.foreign.search(part) for part in _SENTENCE_CUT.split(whole) if t.opening_weak.search(part))):
            return False
    pilot_told = bool(cue_pattern("pilot_word", langs).search(whole))
    if not dated:
        if latest_year is None and not pilot_told and not any(
                approval_kind(part, langs) in ("batch", "cumulative") for part in _SENTENCE_CUT.split(whole)):
            fired("relevance:undated_without_pilot")
            return False  # no date, no year, no pilot, no firms approved: an opening we cannot place in this policy
        if latest_year is not None and pilot_told and _NEWS_DAY.search(whole):
            latest_year = None  # a pilot told as the news of a weekday: the years it names are history
    if latest_year is not None and latest_year < t.start_year:
        fired("relevance:before_policy")
        return False  # the pilot policy began in 2024: a text that speaks only of earlier years is another story
    return True


_SENTENCE_CUT = re.compile(r"[.。!?！？\n]+")
# A total is stated with a number (digits, or a number written in Chinese before 家).
_STATED = re.compile(r"\d|[一二两三四五六七八九十百千万]+家")


def latest_year(text: str) -> int | None:
    """The latest plausible year written in a text (used when the publication date is unknown)."""
    years = [int(y) for y in _YEAR.findall(text) if 1990 <= int(y) <= 2100]
    return max(years) if years else None


@lru_cache(maxsize=512)  # the classifier, batch facts and figure kinds ask about the same sentences
def count_kinds(sentence: str, v: Vocab | None = None) -> list[tuple[int, int, str]]:
    """Each count of firms in an approval sentence with its kind: "batch" (news), "cumulative" or "recap".

    A count is cumulative when its clause, or a clause just before it that holds no count, has running-total
    words ("截至目前,已有40家"); a recap when it is told as the background ("since the first batch of 13").

    >>> [k for _s, _e, k in count_kinds("再向21家外资企业发出试点批复,连同首批13家,获批企业累计达34家")]
    ['batch', 'recap', 'cumulative']
    """
    v = v or vocab()
    out = []
    bounds = [0] + [m.end() for m in _CLAUSE_END.finditer(sentence)] + [len(sentence) + 1]
    carry = breakdown = False
    k = 0
    matches = list(v.count.finditer(sentence))
    for a, b in zip(bounds, bounds[1:], strict=False):
        clause = sentence[a:b]
        here = []
        while k < len(matches) and matches[k].start() < b:
            here.append(matches[k])
            k += 1
        running = bool(v.cumulative.search(clause))
        if running and here and not v.cumulative.search(v.weak_total.sub(" ", clause)):
            marker = v.this_batch.search(sentence, 0, here[0].start())
            running = not (marker and not v.recap_before.search(sentence[:marker.start()]))
        if out and (v.breakdown.match(clause) or (breakdown and not v.approve.search(clause))):
            breakdown = True  # "其中上海11家,北京6家": every part of the breakdown shares the kind of the whole
            out += [(m.start(), m.end(), out[-1][2]) for m in here]
            continue
        breakdown = False
        for m in here:
            before, after = sentence[a:m.start()], sentence[m.end():b].rstrip(",;")
            if v.recap_before.search(before) or v.recap_after.match(after):
                kind = "recap"
            else:
                kind = "cumulative" if running or carry else "batch"
            out.append((m.start(), m.end(), kind))
        carry = running and not here
    return out


def batch_told(parts: list[str], n: int, langs: tuple[str, ...] = BASE, title: str = "") -> bool:
    """Whether the batch that part `n` tells has batch evidence: a day or a time of the news, a wire's dateline, a
    batch word or an ordinal, in that sentence, the one before or after, or the headline; the firms of the count
    listed right after ("Among the 13 approved companies are ..."); or a headline that tells a batch itself. Without
    any, a count of firms approved is a total ("has approved 166 firms to pilot"), never a batch.

    >>> batch_told(["The MIIT has approved 166 foreign-invested firms for the pilot."], 0)
    False
    >>> batch_told(["The MIIT approved 16 foreign-invested firms for the pilot.", "It said so on Friday."], 0)
    True
    """
    v = vocab(langs)
    near = parts[max(0, n - 1):n + 2] + ([title] if title else [])
    return any(v.evidence.search(p) for p in near) or any(v.listing.search(p) for p in parts[n:n + 3]) \
        or bool(title and approval_kind(title, langs) == "batch")  # the headline announces a batch


@lru_cache(maxsize=512)  # classify and batch_facts ask about the same sentences of an article
def approval_kind(sentence: str, langs: tuple[str, ...] = BASE) -> str | None:
    """What an approval sentence tells: "batch" (firms approved now), "cumulative" (a running total), "recap"
    (an earlier batch told as background), or None when it tells no approval of a count of firms."""
    v = vocab(langs)
    if not (v.approve.search(sentence) and v.pilot.search(sentence)):
        return None
    if v.not_yet.search(sentence) and not v.approved_past.search(sentence):
        return None
    if v.accepted.search(sentence):
        return None
    kinds = {k for _s, _e, k in count_kinds(sentence, v)}
    if "batch" in kinds or (not kinds and v.one_firm.search(sentence)):
        return "batch"
    return "cumulative" if "cumulative" in kinds else "recap" if kinds else None


def classify(text: str, title: str = "", published_year: int | None = None,
             spans: list[tuple[int, int]] | None = None, langs: tuple[str, ...] = BASE) -> tuple[bool, Event]:
    """(relevant, event type) of an article, from its normalised title and text.

    >>> relevant, event = classify("截至目前,已有40家外资企业获得增值电信业务试点批复。")
    >>> relevant, str(event)
    (True, 'cumulative_status')
    """
    dated = published_year is not None
    year = published_year if dated else latest_year(text)
    if not is_relevant(text, title or "", year, langs, dated):
        return False, Event.UNRELATED
    v = vocab(langs)
    parts = ([title] if title else []) + [text[s:e] for s, e in (spans if spans is not None else sentences(text))]
    kinds = set()
    for n, part in enumerate(parts):
        kind = approval_kind(part, langs)
        if kind == "batch" and not (title and n == 0) and not batch_told(parts, n, langs, title):
            fired("event:count_without_batch_evidence")
            kind = "cumulative"  # a headline is news of its day; a sentence needs batch evidence near it
        kinds.add(kind)
        if "batch" in kinds:
            fired("event:batch")
            return True, Event.BATCH_REPORT
    if "cumulative" in kinds:
        fired("event:cumulative")
        return True, Event.CUMULATIVE_STATUS
    lead = ([title] if title else []) + parts[len([title] if title else []):][:1]
    if any(v.total.search(p) and _STATED.search(p) and not v.policy.search(p) for p in lead):
        fired("event:total_in_lead")
        return True, Event.CUMULATIVE_STATUS  # the lead states a total of foreign-invested telecom enterprises
    if any(v.applicant.search(part) and not v.rule.search(part) for part in parts):
        fired("event:applicant")
        return True, Event.APPLICANT_NEWS
    if "recap" in kinds:  # an earlier batch told again, months later: it corroborates that batch
        fired("event:recap")
        return True, Event.BATCH_REPORT
    policy = any(v.policy.search(part) for part in parts)
    total = any(v.total.search(part) and _STATED.search(part) for part in parts)
    if policy or not total:
        return True, Event.POLICY_MILESTONE
    return True, Event.CUMULATIVE_STATUS
