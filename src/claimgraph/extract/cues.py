"""Cue finding: a parsed spaCy Doc -> ``doc._.cues`` (list of Cue, in text order).

A cue is the reporting expression of an attribution: a verb of speech, belief or
report ("said", "is believed to", "was quoted as saying"), "according to", a refusal
("declined to comment", "no immediate comment"), or a colon introducing a quote.
Which lemmas count as cues is learned from PolNeAR (``model/cues.json``: for each
lemma, how often it heads a gold cue); the grammar around them is rules on the parse.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from spacy.tokens import Doc, Token

from .quotes import QuoteIndex

CueKind = Literal["verb", "noun", "according_to", "no_comment", "colon", "dash", "adverb"]
MODEL_DIR = Path(__file__).parent / "model"

# Lemmas that head a cue often enough in news to trust without a learned lexicon.
CORE_VERBS = frozenset(
    ["say", "tell", "add", "write", "report", "announce", "claim", "argue", "believe", "think", "deny", "insist", "warn", "note", "explain", "state", "suggest", "acknowledge", "admit", "confirm", "reveal", "predict", "tweet", "reject", "allege", "assert", "contend", "declare", "maintain", "recall", "reply", "respond", "stress", "testify", "vow"]
)
# "declined to comment", "refused to comment", "no immediate comment"
REFUSAL_VERBS = frozenset({"decline", "refuse"})
COMMENT_WORDS = frozenset({"comment", "comments", "respond", "response"})
# 'declined to say whether ...', 'would not say how ...', 'declined to name them': withholding
WITHHOLD_VERBS = frozenset({"say", "name", "give", "discuss", "disclose", "elaborate", "identify", "specify",
                            "detail", "reveal", "confirm", "answer", "speculate"})
WH_WORDS = frozenset({"whether", "if", "how", "what", "who", "whom", "which", "when", "where", "why"})
QUOTE_MARKS = frozenset(['"', "\u201c", "\u201d", "''"])
DASHES = frozenset({"\u2015", "\u2014", "--", "-"})


@dataclass(frozen=True, slots=True)
class Cue:
    """Token indices: ``head`` anchors the grammar, [start, end) is the cue's text."""

    head: int
    start: int
    end: int
    kind: CueKind
    score: float = 1.0
    negated: bool = False
    vouched: bool = False  # found by a grammar rule the brief requires; rankers must not drop it


@lru_cache(maxsize=4)
def load_lexicon(path: str, min_rate: float, min_count: int) -> dict[str, float]:
    """lemma|POS -> cue rate, keeping entries that clear the thresholds."""
    file = Path(path)
    if not file.exists():
        return {f"{v}|VERB": 0.5 for v in CORE_VERBS}
    raw: dict[str, list[int]] = json.loads(file.read_text())
    out = {}
    for key, (n_cue, n_seen) in raw.items():
        rate = n_cue / max(n_seen, 1)
        if n_cue >= min_count and rate >= min_rate:
            out[key] = rate
    return out




def is_candidate(tok: Token, lexicon: dict[str, float]) -> bool:
    return f"{tok.lemma_.lower()}|{tok.pos_}" in lexicon


def cue_features(tok: Token, quoted: bool, rate: float) -> list[str]:
    """Sparse features of a candidate cue head: the word, its grammar, its neighbourhood."""
    lemma, doc = tok.lemma_.lower(), tok.doc
    prev_ = doc[tok.i - 1].lower_ if tok.i > 0 else "<s>"
    next_ = doc[tok.i + 1].lower_ if tok.i + 1 < len(doc) else "</s>"
    subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    feats = [
        "bias", f"l={lemma}", f"lp={lemma}|{tok.pos_}", f"ld={lemma}|{tok.dep_}", f"t={tok.tag_}",
        f"d={tok.dep_}", f"hd={tok.head.lemma_.lower()}|{tok.dep_}", f"q={quoted}", f"lq={lemma}|{quoted}",
        f"p={prev_}", f"n={next_}", f"ln={lemma}|{next_}", f"rate={min(int(rate * 10), 9)}",
        f"s={subj.pos_ if subj is not None else None}", f"sl={subj.lower_ if subj is not None and subj.pos_ == 'PRON' else '-'}",
        f"sent1={tok.is_sent_start}", f"ent={subj.ent_type_ if subj is not None else '-'}",
        f"lt={lemma}|{tok.tag_}", f"lp_={lemma}|{prev_}", f"ls={lemma}|{subj.ent_type_ or subj.pos_ if subj is not None else '-'}",
        f"hp={tok.head.pos_}|{tok.dep_}", f"lhd={lemma}|{tok.head.lemma_.lower()}|{tok.dep_}",
    ]  # fmt: skip
    deps = []
    for child in tok.children:
        deps.append(child.dep_)
        feats.append(f"c={child.dep_}")
        feats.append(f"lc={lemma}|{child.dep_}")
        if child.dep_ in ("aux", "neg") and child.i < tok.i:
            feats.append(f"a={child.lower_}")
        elif child.dep_ in ("xcomp", "ccomp", "prep", "dobj", "mark", "acl"):
            feats.append(f"lcw={lemma}|{child.dep_}|{child.lemma_.lower()}")
            feats.append(f"cw={child.dep_}|{child.lemma_.lower()}")
    feats.append(f"ldeps={lemma}|{'+'.join(sorted(set(deps) & _FRAME_DEPS))}")
    feats.append(f"deps={'+'.join(sorted(set(deps) & _FRAME_DEPS))}")
    return feats


_FRAME_DEPS = frozenset({"ccomp", "xcomp", "dobj", "nsubj", "nsubjpass", "agent", "prep", "dative", "parataxis", "acl", "relcl"})


def _verb_phrase(tok: Token) -> tuple[int, int, bool]:
    """The cue's extent: the verb with its auxiliaries, negation and particles."""
    start, end, negated = tok.i, tok.i + 1, False
    for child in tok.children:
        if child.dep_ in ("aux", "auxpass", "neg") and child.i < tok.i and tok.i - child.i <= 3:
            start = min(start, child.i)
            negated = negated or child.dep_ == "neg"
        elif child.dep_ == "prt" and child.i == end:
            end = child.i + 1
    return start, end, negated


def _quoted_as(tok: Token) -> int | None:
    """'was quoted as saying': the cue runs on to the speech verb. 'describes himself as
    antiabortion' has no verb after 'as': the cue is the verb alone."""
    doc = tok.doc
    for child in tok.children:
        near = child.dep_ in ("advcl", "prep", "xcomp") and 0 < child.i - tok.i <= 3
        if not near:
            continue
        if child.lower_ == "as" and child.i + 1 < len(doc) and doc[child.i + 1].tag_ == "VBG":
            return child.i + 2
        if child.lower_ != "as" and doc[tok.i + 1].lower_ == "as" and child.pos_ == "VERB":
            return child.i + 1
    return None


def according_to(doc: Doc, i: int) -> Cue | None:
    if doc[i].lower_ == "according" and i + 1 < len(doc) and doc[i + 1].lower_ == "to":
        return Cue(i, i, i + 2, "according_to")
    return None


def refusal(doc: Doc, tok: Token) -> Cue | None:
    """'declined to comment', 'did not respond to requests for comment', 'no immediate comment'."""
    if tok.lemma_ in REFUSAL_VERBS:
        for child in tok.children:
            if child.dep_ == "xcomp" and child.lemma_ in COMMENT_WORDS | WITHHOLD_VERBS:
                start, _, _ = _verb_phrase(tok)
                return Cue(tok.i, start, child.i + 1, "no_comment", negated=True)
    if tok.lemma_ in WITHHOLD_VERBS and tok.pos_ == "VERB" and _withheld_question(tok):
        start, end, negated = _verb_phrase(tok)
        if negated:  # 'did not say how the military knew', 'would not say whether ...'
            return Cue(tok.i, start, end, "no_comment", negated=True)
    if tok.lemma_ in ("respond", "return", "reply", "comment") and tok.pos_ == "VERB":
        start, end, negated = _verb_phrase(tok)
        if negated:
            return Cue(tok.i, start, max(end, _requests_end(tok)), "no_comment", negated=True)
    if tok.lemma_ == "reach" and tok.pos_ == "VERB" and _for_comment(tok):
        start, _, negated = _verb_phrase(tok)
        if negated:  # 'could not be reached for comment': the source gave no comment
            return Cue(tok.i, start, tok.i + 3, "no_comment", negated=True)
    if tok.lower_ == "comment" and tok.pos_ == "NOUN":
        dets = [c for c in tok.children if c.lower_ == "no"]
        if dets:
            return Cue(tok.i, dets[0].i, tok.i + 1, "no_comment", negated=True)
    return None


_ASKING_NOUNS = frozenset({"request", "question", "inquiry", "enquiry"})


def _requests_end(verb: Token) -> int:
    """'did not respond to requests for comment [on the report]': the cue runs through the
    request ('to requests for comment'), so that 'requests' is not read as a cue of its own and
    what follows is the topic. Returns the end token index, or 0 when the verb has no such object."""
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "to" and c.i == verb.i + 1):
        for obj in (g for g in prep.children if g.dep_ == "pobj" and g.lemma_.lower() in _ASKING_NOUNS):
            end = obj.i + 1
            for_ = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ == "for" and c.i == end), None)
            comment = next((g for g in for_.children if g.dep_ == "pobj" and g.lower_ in COMMENT_WORDS), None) \
                if for_ is not None else None
            return comment.i + 1 if comment is not None else end
    return 0


def _for_comment(verb: Token) -> bool:
    """'reached for comment': 'for' right after the verb, then a comment word."""
    doc = verb.doc
    if verb.i + 2 >= len(doc) or doc[verb.i + 1].lower_ != "for" or doc[verb.i + 1].head.i != verb.i:
        return False
    return doc[verb.i + 2].lower_ in COMMENT_WORDS


def _withheld_question(verb: Token) -> bool:
    """The verb's clause is an open question ('how ...', 'whether ...'), not a statement. The
    parser may take 'when ...' right after the verb for a time ('has not said when X')."""
    for child in verb.children:
        if child.dep_ in ("ccomp", "dobj", "xcomp") and child.i > verb.i:
            first = verb.doc[child.left_edge.i]
            return first.lower_ in WH_WORDS
    return withheld_advcl(verb) is not None


def withheld_advcl(verb: Token) -> Token | None:
    """'has not said when they would vote': the question parsed as an adverbial clause."""
    doc = verb.doc
    return next((c for c in verb.rights if c.dep_ == "advcl" and c.left_edge.i == verb.i + 1
                 and doc[c.left_edge.i].lower_ in WH_WORDS), None)


DENIALS = frozenset({"deny", "reject", "dismiss", "dispute", "refute", "rebut", "contest"})
RAISING = frozenset({"believe", "think", "expect", "say", "report", "rumor", "know", "allege", "understand"})
REPORT_ADVERBS = frozenset({"reportedly", "allegedly", "purportedly", "supposedly"})
# statement nouns whose maker the sentence names: 'an accusation made by X that Y'
ACCUSATION_NOUNS = frozenset({"accusation", "allegation", "assertion", "claim", "charge", "suggestion", "contention"})


def ing_form(tok: Token) -> bool:
    """A lower-case '-ing' word: a participle, whatever the tagger called it ('disputing/NN')."""
    return tok.is_lower and tok.text.endswith("ing")


def _verb_lemma(tok: Token) -> str | None:
    """The verb's lemma; for a clause-opening participle the tagger took for a noun
    ('disputing/NN reports'), the verb it is made from."""
    if tok.pos_ == "VERB":
        return tok.lemma_
    if tok.dep_ in ("advcl", "acl", "xcomp", "pcomp") and ing_form(tok):
        stem = tok.text[:-3]
        return next((v for v in (stem, stem + "e") if v in DENIALS), None)
    return None


def construction_cue(tok: Token) -> Cue | None:
    """Cues the grammar alone vouches for, whatever the classifier thinks:
    a denial with an object ('rejected the claim that ...'), a passive belief or report
    verb with a 'to' clause ('is believed to'), a report after its clause that the parser
    hung on the noun before it (``_trailing_report``), 'was quoted as saying', a reporting
    adverb ('reportedly')."""
    deps = {c.dep_ for c in tok.children}
    denial = _verb_lemma(tok) in DENIALS and bool(deps & {"dobj", "ccomp"})
    raised = tok.pos_ == "VERB" and tok.lemma_ in RAISING and {"auxpass", "xcomp"} <= deps
    if denial or raised or _trailing_report(tok) or _relative_report(tok):
        start, end, negated = _verb_phrase(tok)
        return Cue(tok.i, start, end, "verb", score=0.6, negated=negated, vouched=True)
    if tok.lemma_ == "quote" and "auxpass" in deps and _quoted_as(tok):  # 'was quoted as saying'
        start, _, negated = _verb_phrase(tok)
        return Cue(tok.i, start, _quoted_as(tok) or tok.i + 1, "verb", score=0.8, negated=negated, vouched=True)
    if tok.lower_ in REPORT_ADVERBS:
        return Cue(tok.i, tok.i, tok.i + 1, "adverb", score=0.6, vouched=True)
    if tok.pos_ == "NOUN" and tok.lemma_ in ACCUSATION_NOUNS and made_by(tok) is not None and any(
            c.dep_ in ("acl", "ccomp", "relcl") and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)
            for c in tok.rights):
        return Cue(tok.i, tok.i, tok.i + 1, "noun", score=0.6, vouched=True)
    return None


def _relative_report(tok: Token) -> bool:
    """'a trawler that it said had been fishing illegally': a report inside a relative clause whose
    reported clause has the relative word as its missing subject."""
    if tok.dep_ != "relcl" or tok.lemma_ not in ("say", "claim", "allege", "report") or tok.tag_ not in ("VBD", "VBZ"):
        return False
    kids = list(tok.children)
    rel = any(c.lower_ in ("that", "which", "who") and c.i < tok.i for c in kids)
    speaker = any(c.dep_ == "nsubj" and c.lower_ not in ("that", "which", "who") for c in kids)
    gap = [c for c in kids if c.dep_ == "ccomp" and c.i > tok.i and not any(g.dep_ in ("nsubj", "nsubjpass", "expl")
                                                                           for g in c.children)]
    return rel and speaker and bool(gap)


def _trailing_report(tok: Token) -> bool:
    """'X is happening, the news agency reported on Wednesday': a finite 'said' or
    'reported' right after the noun phrase that follows the reported clause's comma.
    The parser may hang such a verb on that noun as a clause of its own, even as a
    participle ('the agency [that was] reported'); with no 'by' phrase, object or
    subject of its own the verb can only be the report."""
    if tok.lemma_ not in ("say", "report") or tok.tag_ not in ("VBD", "VBZ", "VBN") or tok.dep_ not in ("acl", "relcl"):
        return False
    noun = tok.head
    own = {c.dep_ for c in tok.children} | {c.lower_ for c in tok.children if c.dep_ == "prep"}
    if noun.i != tok.i - 1 or noun.pos_ not in ("NOUN", "PROPN") or own & {"dobj", "ccomp", "nsubj", "agent", "by"}:
        return False
    left = noun.left_edge.i
    return left > 1 and tok.doc[left - 1].text == "," and not tok.doc[left - 2].is_punct


def made_by(noun: Token) -> Token | None:
    """'an accusation made on Monday by the minister': who made the statement the noun names."""
    return next((g for c in noun.rights if c.dep_ == "acl" and c.tag_ == "VBN"
                 for a in c.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"), None)


def _speaker_start(doc: Doc, i: int) -> int | None:
    """Start of a short name that opens its paragraph and ends at token ``i``."""
    j = i
    while j > 0 and i - j < 4 and "\n" not in doc[j - 1].text_with_ws and doc[j - 1].text not in QUOTE_MARKS:
        j -= 1
    at_start = j == 0 or "\n" in doc[j - 1].text_with_ws or doc[j - 1].text in QUOTE_MARKS
    names = all(t.pos_ in ("PROPN", "PRON") or t.is_upper or t.is_title for t in doc[j:i])
    return j if at_start and names and i > j else None


# words a page opens a section with before a colon; never a speaker
SECTION_LABELS = frozenset({
    "background", "analysis", "context", "update", "updated", "correction", "clarification", "editor 's note",
    "editor's note", "note", "related", "read more", "see also", "watch", "video", "photo", "photos", "opinion",
    "explainer", "timeline", "factbox", "fact box", "key points", "summary", "breaking", "live", "more", "the latest",
})


def colon_cue(doc: Doc, tok: Token) -> Cue | None:
    """'Smith: “We will win.”', a transcript's 'WALLACE: ...', a headline's 'Poll: ...'."""
    if tok.text != ":" or tok.i + 1 >= len(doc) or tok.i == 0:
        return None
    start = _speaker_start(doc, tok.i)
    if start is not None and " ".join(t.lower_ for t in doc[start:tok.i]) in SECTION_LABELS:
        return None  # 'Background: ...', 'Editor's note: ...': the page's section, not a speaker
    if start is not None:
        # a transcript's 'WALLACE:' label is a speaker for certain; 'Poll:' may be a headline
        label = all(t.is_upper and t.is_alpha for t in doc[start : tok.i])
        return Cue(tok.i, tok.i, tok.i + 1, "colon", score=0.8 if label else 0.7, vouched=label)
    if doc[tok.i + 1].text in QUOTE_MARKS and doc[tok.i - 1].pos_ in ("PROPN", "NOUN", "PRON"):
        return Cue(tok.i, tok.i, tok.i + 1, "colon", score=0.6)
    return None


def dash_cue(doc: Doc, tok: Token, quotes: QuoteIndex) -> Cue | None:
    """'“We will win.” ― Jane Doe': a dash between a quotation and a name."""
    if tok.text not in DASHES:
        return None
    after = next((t for t in doc[tok.i + 1 : tok.i + 3] if not t.is_space), None)  # '―\xa0Name'
    prev = next((t for t in reversed(doc[max(tok.i - 2, 0) : tok.i]) if not t.is_space), None)
    if after is None or prev is None or (after.pos_ != "PROPN" and not after.is_title):
        return None
    if prev.text in QUOTE_MARKS and quotes.containing(prev.idx) is not None:
        return Cue(tok.i, tok.i, tok.i + 1, "dash", score=0.7)
    return None


@lru_cache(maxsize=4)
def load_weights(path: str) -> dict[str, float] | None:
    file = Path(path)
    return json.loads(file.read_text()) if file.exists() else None


class CueScorer:
    """Probability that a candidate token heads a cue: logistic regression over cue_features."""

    def __init__(self, lexicon: dict[str, float], weights: dict[str, float] | None, threshold: float) -> None:
        self.lexicon, self.weights, self.threshold = lexicon, weights, threshold

    def __call__(self, tok: Token, quoted: bool) -> float | None:
        rate = self.lexicon.get(f"{tok.lemma_.lower()}|{tok.pos_}")
        if rate is None:
            return None
        if self.weights is None:  # no trained model: trust the lexicon alone
            return rate if rate >= self.threshold else None
        z = sum(self.weights.get(f, 0.0) for f in cue_features(tok, quoted, rate))
        p = 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))
        return p if p >= self.threshold else None


def verb_cue(tok: Token, score: float | None) -> Cue | None:
    if score is None:
        return None
    rate = score
    if tok.pos_ in ("NOUN", "ADV"):
        return Cue(tok.i, tok.i, tok.i + 1, "noun" if tok.pos_ == "NOUN" else "adverb", score=rate)
    start, end, negated = _verb_phrase(tok)
    end = _quoted_as(tok) or end
    return Cue(tok.i, start, end, "verb", score=rate, negated=negated)


def find_cues(doc: Doc, scorer: CueScorer, quotes: QuoteIndex) -> list[Cue]:
    """Every cue in the doc; one cue per head token, spans never overlap."""
    cues: list[Cue] = []
    taken: set[int] = set()
    for tok in doc:
        if tok.i in taken:
            continue
        cue = according_to(doc, tok.i) or refusal(doc, tok) or colon_cue(doc, tok) or dash_cue(doc, tok, quotes)
        cue = cue or construction_cue(tok) or verb_cue(tok, scorer(tok, quotes.containing(tok.idx) is not None))
        if cue is None or any(i in taken for i in range(cue.start, cue.end)):
            continue
        cues.append(cue)
        taken.update(range(cue.start, cue.end))
    return [c for c in cues if not _citing(doc, c, cues) and not put_question(doc[c.head])
            and not anonymity_request(doc[c.head])]


def anonymity_request(tok: Token) -> bool:
    """'They asked not to be named', 'who requested anonymity': how a source is kept unnamed,
    not something it said."""
    if tok.lemma_ not in ("ask", "request"):
        return False
    return any(c.dep_ == "dobj" and c.lemma_ == "anonymity" for c in tok.children) or any(
        c.dep_ == "xcomp" and c.lemma_ in ("name", "identify") and any(g.dep_ == "auxpass" for g in c.children)
        for c in tok.children)


def put_question(tok: Token) -> bool:
    """'Asked about the pier, the mayor declined to comment', 'The mayor, asked about the
    pier, said ...': the question put to the source, not something the source said.
    The parser may give such an 'asked' the sentence's subject; a comma between them shows
    it does not belong to it."""
    if tok.lemma_ != "ask" or tok.tag_ not in ("VBN", "VBD") or tok.dep_ not in ("advcl", "acl", "ROOT"):
        return False
    if any(c.dep_ in ("mark", "aux", "auxpass", "dobj", "dative") for c in tok.children):
        return False  # 'when she asked about ...', 'had asked', 'asked him': someone asking
    doc = tok.doc
    after_comma = tok.i > 0 and doc[tok.i - 1].text == ","
    if tok.dep_ == "ROOT":  # 'X, asked about Y, declined' read as 'X asked about Y'
        return after_comma and any(c.dep_ in ("dep", "conj") and c.pos_ == "VERB" and doc[c.i - 1].text == ","
                                   for c in tok.rights)
    if tok.dep_ == "advcl" and tok.head.i < tok.i:
        return False
    subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subj is None and tok.tag_ == "VBN" or after_comma


def _citing(doc: Doc, cue: Cue, cues: list[Cue]) -> bool:
    """'the report said, citing officials': the participle names whom the source cites
    (the evidence component records it); it is not an attribution of its own."""
    tok = doc[cue.head]
    if tok.lower_ == "citing" and tok.dep_ in ("advcl", "acl", "xcomp", "conj"):
        return True  # '..., citing officials': always whom a report rests on
    return tok.lemma_ == "cite" and tok.dep_ in ("advcl", "xcomp", "conj") and any(c.head == tok.head.i for c in cues)


THRESHOLD = 0.2  # the classifier's probability a candidate needs to be a cue
MIN_RATE = 0.02  # lemmas that head a gold cue less often than this are never candidates


class CueFinder:
    """spaCy component: sets ``doc._.cues``."""

    def __init__(self, model_dir: str | None = None, threshold: float = THRESHOLD, min_rate: float = MIN_RATE) -> None:
        folder = Path(model_dir) if model_dir else MODEL_DIR
        lexicon = load_lexicon(str(folder / "cues.json"), min_rate, 2)
        weights = load_weights(str(folder / "cue_classifier.json"))
        self.scorer = CueScorer(lexicon, weights, threshold if weights else max(threshold, 0.2))

    def __call__(self, doc: Doc) -> Doc:
        quotes = QuoteIndex(doc.text)
        doc.user_data["cg_quotes"] = quotes  # the attribution component reuses it
        doc._.cues = find_cues(doc, self.scorer, quotes)
        return doc
