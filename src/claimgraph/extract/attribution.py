"""Attribution building: Doc with ``doc._.cues`` -> ``doc._.attributions`` (list of Attribution).

For each cue, the grammar helpers give content and source token ranges; this module
turns them into character spans, widens content to whole quotations (quotes that run
over several sentences or paragraphs), removes the cue clause from inside it, and
decides the type (direct, indirect, mixed, according_to, no_comment).
"""

from __future__ import annotations

import re
from pathlib import Path

from spacy.tokens import Doc, Token

from ..records import Attribution, AttributionType, Span
from . import grammar, ranking
from .cues import CORE_VERBS, QUOTE_MARKS, Cue, _speaker_start
from .quotes import QuoteIndex

CharRange = tuple[int, int]
DIRECT_SHARE = 0.85  # content this much inside quotes reads as a direct quotation


def char_range(doc: Doc, r: grammar.Range) -> CharRange:
    return doc[r[0]].idx, doc[r[1] - 1].idx + len(doc[r[1] - 1].text)


def _cut(pieces: list[CharRange], hole: CharRange) -> list[CharRange]:
    out: list[CharRange] = []
    for s, e in pieces:
        out.extend(grammar.minus((s, e), hole) if s < hole[1] and hole[0] < e else [(s, e)])
    return out


def widen_to_quotes(pieces: list[CharRange], quotes: QuoteIndex, hole: CharRange) -> list[CharRange]:
    """Grow pieces that start or end inside a quotation to the whole quotation.

    The cue clause (``hole``) is cut out again afterwards: '“A,” he said, “B.”'.
    """
    out = []
    for s, e in pieces:
        for qs, qe in quotes.overlapping(s, e):
            if qs < s and not (qs < hole[0] < s):
                s = qs
            if qe > e and not (e <= hole[0] < qe):
                e = qe
        out.append((s, e))
    return _cut(_merge(out), hole)


_COLON = re.compile(r"[ \t]*:[ \t]*")


def _colon_quotation(text: str, quotes: QuoteIndex, pieces: list[CharRange]) -> list[CharRange]:
    """'said she has the quality the job needs: “Steadiness.”': a quotation the reported
    clause introduces with a colon is part of it."""
    if not pieces:
        return pieces
    s, e = pieces[-1]
    colon = _COLON.match(text, e)
    if colon is None:
        return pieces
    q = quotes.containing(colon.end())
    if q is None or q[0] != colon.end():
        return pieces
    return pieces[:-1] + [(s, q[1])]


def _merge(pieces: list[CharRange]) -> list[CharRange]:
    out: list[CharRange] = []
    for s, e in sorted(pieces):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(e, out[-1][1]))
        else:
            out.append((s, e))
    return out


def _strip(text: str, pieces: list[CharRange]) -> list[CharRange]:
    """Trim blanks and commas at the piece edges; empty pieces vanish."""
    out = []
    for s, e in pieces:
        while s < e and (text[s].isspace() or text[s] in ",;"):
            s += 1
        while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:"):
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _region_before(text: str, quotes: QuoteIndex, pos: int) -> CharRange | None:
    """The quotation that ends right before ``pos`` (only blanks and commas between)."""
    i = pos
    while i > 0 and (text[i - 1].isspace() or text[i - 1] in ",—-"):
        i -= 1
    region = quotes.containing(i - 1) if i > 0 else None
    return region if region is not None and region[1] == i else None


def _region_after(text: str, quotes: QuoteIndex, pos: int) -> CharRange | None:
    """The quotation that starts right after ``pos`` (only blanks, commas or a colon between)."""
    i = pos
    while i < len(text) and (text[i] in " \t\xa0,:" or text[i] == "\n" and text[i - 1] == ":"):
        i += 1
    region = quotes.containing(i) if i < len(text) else None
    return region if region is not None and region[0] == i else None


_JOINED = re.compile(r"[ ,]*(but|and|adding) ")


def _joined_after(text: str, quotes: QuoteIndex, pos: int) -> CharRange | None:
    """'“A,” he said, but “B.”': a quotation joined to the cue clause by a conjunction,
    which belongs to the content."""
    m = _JOINED.match(text, pos)
    region = _region_after(text, quotes, m.end()) if m else None
    return (m.start(1), region[1]) if m and region and region[0] == m.end() else None


def _continues(text: str, quotes: QuoteIndex, pos: int, para_end: int) -> CharRange | None:
    """'“A,” he said. “B.”': a quotation opening the next sentence of the same paragraph,
    unless it ends with a comma inside the marks, which announces a cue of its own."""
    region = _region_after(text, quotes, pos)
    opened = quotes.containing(pos - 1) if pos > 0 else None
    if region is None and opened is not None and pos - 3 <= opened[0] < pos:
        region = opened  # the tokenizer left the opening mark on the cue's sentence
    if region is None or region[0] >= para_end:
        return None
    closing = text[max(region[0], region[1] - 3) : region[1]]
    return None if "," in closing else region


def _opens_quote(quotes: QuoteIndex, pos: int) -> bool:
    region = quotes.containing(pos)
    return region is not None and region[0] == pos


def adjacent_quotes(text: str, quotes: QuoteIndex, hole: CharRange, pieces: list[CharRange], sent_end: int) -> list[CharRange]:
    """Quotations framing the cue clause: '“A?” he asks.' and '“A,” he said, “B.”'."""
    before = _region_before(text, quotes, hole[0])
    after = _region_after(text, quotes, hole[1]) or _joined_after(text, quotes, hole[1])
    if not pieces:
        if before is None or after is not None:
            return [r for r in (before, after) if r]
        pieces = [before]  # '“A?” she said. “B.”': the parse gave the cue no content of its own
    if before is None and pieces and _opens_quote(quotes, pieces[0][0]):
        before = quotes.containing(pieces[0][0])  # '“A” of the plan, he said. “B.”'
    if not before or not all(e <= hole[0] for _, e in pieces):
        return pieces
    if not any(s <= before[0] < e or before[0] <= s < before[1] for s, e in pieces):
        return pieces
    if after:
        return pieces + [after]
    para_end = text.find("\n", sent_end)
    more = _continues(text, quotes, sent_end, para_end if para_end >= 0 else len(text))
    if more is None and para_end >= 0 and not text[sent_end:para_end].strip():
        more = _next_paragraph_quote(text, quotes, para_end)
    return pieces + [more] if more else pieces


def _next_paragraph_quote(text: str, quotes: QuoteIndex, brk: int) -> CharRange | None:
    """'“A,” he said.' then a paragraph that is only '“B.”': the quotation carries on the same
    speaker's words; one followed by a cue of its own ('“B?” Trump said') does not."""
    start = brk
    while start < len(text) and text[start].isspace():
        start += 1
    region = _region_after(text, quotes, start)
    if region is None:
        return None
    end = text.find("\n", region[1])
    rest = text[region[1]:end if end >= 0 else len(text)]
    return region if not any(ch.isalnum() for ch in rest) else None


def _clause_end(doc: Doc, cue: Cue, end_tok: int) -> int:
    """'said Monday in a statement,': run the cue clause on to the next punctuation mark, past
    the commas inside the verb's own phrases ('said at a rally in Dover, Kent, “...”')."""
    i = end_tok
    for child in doc[cue.head].rights:
        phrase = doc[child.i : child.right_edge.i + 1]
        if child.dep_ in ("prep", "npadvmod") and child.i >= i and not any(t.text in QUOTE_MARKS for t in phrase):
            i = child.right_edge.i + 1
    while i < len(doc) and i - end_tok < 6 and not doc[i].is_punct and doc[i].text not in "\"“”":
        i += 1
    return i


def _clip_paragraphs(text: str, quotes: QuoteIndex, pieces: list[CharRange], cue: CharRange) -> list[CharRange]:
    """Content does not cross a paragraph break, except inside a quotation."""
    out = []
    for s, e in pieces:
        cut = text.find("\n", s, e)
        while cut >= 0 and quotes.containing(cut) is None:
            if cut < cue[0]:
                nxt = text.find("\n", cut + 1, e)
                if e <= cue[0] or nxt < 0:  # content before the cue: keep the part next to it
                    s = cut + 1
            else:
                e = cut
                break
            cut = text.find("\n", cut + 1, e)
        out.append((s, e))
    return out


def dedupe(atts: list[Attribution]) -> list[Attribution]:
    """Two cues that claim the same content: keep the outer one ('X is believed to Y, the
    official was quoted as saying' is the official's) or the verb whose clause a colon closes
    ('X issued the following statement: “...”' is X's, not the colon's), else the more
    confident one."""
    kept: list[Attribution] = []
    for att in sorted(atts, key=lambda a: -a.confidence):
        clash = [k for k in kept if _same_content(att, k)]
        if not clash:
            kept.append(att)
        elif all(_inside(k.cue, att.content) or _own_colon(att, k) for k in clash):
            kept = [k for k in kept if k not in clash] + [att]
    return sorted(kept, key=lambda a: a.cue.start)


def drop_covered(atts: list[Attribution]) -> list[Attribution]:
    """'Data shows X rose, according to Y': the 'according to' closing the sentence covers
    the cue before it, whose content ran on into the phrase; that cue is part of what Y
    says, not an attribution of its own. A colon inside another content goes too (``_inner_colon``)."""
    covers = [a for a in atts if a.type == "according_to"]
    return [a for a in atts if not any(
        a.type not in ("according_to", "no_comment") and _inside(a.cue, c.content) and _inside(c.cue, a.content)
        for c in covers) and not _inner_colon(a, atts)]


def _inner_colon(att: Attribution, atts: list[Attribution]) -> bool:
    """'X suggested Y was from the mainland: “He does not know these waters.”': a colon with no
    speaker of its own inside another attribution's content is punctuation of what is reported."""
    return att.cue.text == ":" and att.source is None and any(
        o is not att and o.cue.text != ":" and _inside(att.cue, o.content) for o in atts)


def _own_colon(att: Attribution, other: Attribution) -> bool:
    """``other`` is the colon between ``att``'s cue and its content."""
    return other.cue.text == ":" and att.cue.end <= other.cue.start < att.content.start


NESTED_CONFIDENCE = 0.8  # the ranker's score a nested attribution needs to stand beside its host
NESTED_SHARE = 0.5  # a nested content longer than this share of its host's is the host's duplicate


def _same_content(a: Attribution, b: Attribution) -> bool:
    if b.content.end <= b.content.start:
        return False
    bounds = (a.content.start, a.content.end, b.content.start, b.content.end)
    if _overlap(*bounds) < 0.8:
        return False
    # 'X said the videos show Y, which he said were Z': a confident attribution whose cue and
    # much shorter content sit inside another's content is nested in it, not a duplicate
    inner = b if _inside(b.cue, a.content) else a if _inside(a.cue, b.content) else None
    return inner is None or inner.confidence < NESTED_CONFIDENCE or _overlap(*bounds, longer=True) >= NESTED_SHARE


def _inside(span: Span, outer: Span) -> bool:
    return outer.start <= span.start and span.end <= outer.end


def _overlap(s1: int, e1: int, s2: int, e2: int, longer: bool = False) -> float:
    inter = min(e1, e2) - max(s1, s2)
    size = max(e1 - s1, e2 - s2) if longer else min(e1 - s1, e2 - s2)
    return inter / max(size, 1) if inter > 0 else 0.0


def attribution_type(cue: Cue, content: list[CharRange], quotes: QuoteIndex) -> AttributionType:
    if cue.kind == "according_to":
        return "according_to"
    if cue.kind == "no_comment":
        return "no_comment"
    total = sum(e - s for s, e in content)
    inside = sum(quotes.quoted_share(s, e) * (e - s) for s, e in content)
    share = inside / total if total else 0.0
    if share >= DIRECT_SHARE:
        return "direct"
    return "mixed" if share > 0.25 else "indirect"  # a scare-quoted phrase stays indirect


def _name_after(doc: Doc, i: int) -> grammar.Range:
    while i < len(doc) - 1 and doc[i].is_space:  # '―\xa0Name'
        i += 1
    j = i
    while j < len(doc) and j - i < 5 and (doc[j].pos_ == "PROPN" or doc[j].is_title):
        j += 1
    return i, max(j, i + 1)


def parts(doc: Doc, cue: Cue) -> tuple[list[grammar.Range], grammar.Range | None]:
    """Content token ranges and the source's token range, by cue kind."""
    src: Token | None
    if cue.kind == "dash":
        return [], _name_after(doc, cue.end)
    if cue.kind == "colon":
        start = _speaker_start(doc, cue.head)
        para = doc.user_data["cg_para_ends"][cue.head]
        return [(cue.end, para)], (start, cue.head) if start is not None else None
    if cue.kind == "according_to":
        ranges, src = grammar.according_content(doc, cue)
    elif cue.kind == "no_comment":
        ranges, src = grammar.refusal_parts(doc, cue)
    elif cue.kind == "adverb":
        ranges, src = grammar.adverb_content(doc, cue), None
    elif cue.kind == "noun":
        noun = doc[cue.head]
        src = grammar.noun_agent(noun)
        ranges = grammar.noun_content(doc, cue)
    else:
        sent_start = doc.user_data["cg_sent_starts"][cue.head]
        verb = doc[cue.head]
        inside = grammar.interrupts(verb)  # 'The plan, she said, "is dead" to the unions'
        ranges = grammar.announced(doc, cue, sent_start)
        if ranges and inside and not _closing_quotation(doc, cue, ranges, sent_start):
            ranges = []  # the cue interrupts its content: the quotation after it is only part of it
        surface = None if ranges else grammar.surface_before(doc, cue, sent_start)
        if surface is not None and not _adjacent_complement(doc, cue) and not inside:
            return surface[0] + grammar.extraposed(doc, cue), surface[1]
        raised = grammar.raised(verb)
        src = grammar.agent_of(verb) or (None if raised else grammar.subject_of(verb))
        ranges = grammar.cut_conjoined_cues(doc, cue, ranges or grammar.verb_content(doc, cue))
        if verb.dep_ == "relcl":
            ranges = _cut_main_clause_verb(doc, ranges)
        aside = grammar.said_between_commas(verb)
        if src is not None and aside is not None and src.i == aside.i:
            ranges = grammar.aside_content(verb, src)  # 'Any reading, said Ann Lee, would ...'
        if src is not None and src.dep_ == "nsubjpass" and any(s <= src.i < e for s, e in ranges):
            return ranges, None  # 'X was identified as Y': the passive subject is what is said, the speaker unnamed
        misread = grammar.reduced_relative(verb) if src is None else None
        if misread is not None:
            src, ranges = misread[0], ranges or misread[1]
        if src is None and not raised:  # parses that lost the speaker: before the verb, behind it
            speaker = grammar.noun_before(verb)
            if speaker is not None:
                return ranges, grammar.bare_noun(speaker)
            fronted = grammar.fronted_speaker(verb)
            if fronted is not None:
                return ranges, fronted
            src = grammar.hung_subject(verb) or grammar.clause_for_subject(verb) or grammar.inverted_subject(verb)
    return ranges, grammar.source_range(src) if src is not None else None


def _cut_main_clause_verb(doc: Doc, ranges: list[grammar.Range]) -> list[grammar.Range]:
    """'seized a trawler that it said had been fishing illegally, and escorted it to port': a
    finite verb the parser joined to the reported participle belongs to the main clause; the
    report inside the relative clause ends before it."""
    out = []
    for start, end in ranges:
        cut = next((t.i for t in doc[start:end] if t.dep_ == "conj" and t.tag_ in ("VBD", "VBZ")
                    and t.head.tag_ == "VBG" and start <= t.head.i < t.i - 2
                    and doc[t.i - 1].dep_ == "cc" and doc[t.i - 2].text == ","), None)
        if cut is not None:
            end = cut
            while end > start and (doc[end - 1].dep_ == "cc" or doc[end - 1].is_punct):
                end -= 1
        out.append((start, end))
    return out


def _closing_quotation(doc: Doc, cue: Cue, ranges: list[grammar.Range], sent_start: int) -> bool:
    """'Asked about X, Adelson said, “They have to win.”': the quotation after the cue runs to
    the end of its sentence and nothing before the cue is quoted, so it is the whole content."""
    quotes = doc.user_data.get("cg_quotes")
    if quotes is None or ranges[-1][1] < doc.user_data["cg_sent_ends"][cue.head]:
        return False
    return not any(quotes.containing(t.idx) is not None for t in doc[sent_start:cue.start])


def _adjacent_complement(doc: Doc, cue: Cue) -> bool:
    """A clause right after the cue ('said that ...', 'said the plan ...') wins over the surface pattern."""
    verb = doc[cue.head]
    deps = (*grammar.COMPLEMENTS, "dobj")
    return any(c.dep_ in deps and cue.end <= c.left_edge.i <= cue.end + 1 for c in verb.children)


# Objects that are statements: a negated verb taking one still reports ("did not deny the report").
STATEMENT_NOUNS = frozenset({"assertion", "claim", "accusation", "allegation", "assessment", "report", "charge",
                             "statement", "remark", "comment", "account", "finding", "conclusion", "story", "rumor",
                             "rumour", "suggestion", "view", "position", "denial"})


PLACE_NOUNS = frozenset({"territory", "island", "islands", "reef", "reefs", "sea", "waters", "land", "region",
                         "sovereignty", "shoal", "atoll", "peninsula", "border", "area"})


def territorial_claim(doc: Doc, cue: Cue) -> bool:
    """'Beijing claims the reef', 'claims parts of the Spratly Islands': a claim to a place is
    a stake, not a statement."""
    verb = doc[cue.head]
    if cue.kind != "verb" or verb.lemma_.lower() != "claim":
        return False
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is None:
        return False
    if obj.lower_ in ("part", "parts", "most", "all", "much"):  # 'parts of the islands'
        obj = next((g for p in obj.children if p.dep_ == "prep" for g in p.children if g.dep_ == "pobj"), obj)
    return obj.ent_type_ in ("GPE", "LOC", "FAC") or obj.lemma_.lower() in PLACE_NOUNS


def negated_act(doc: Doc, cue: Cue) -> bool:
    """A negated verb of doing, not saying, whose object is a thing: "did not release any of the
    documents", "has not condemned the strike". It attributes nothing; an article's note that
    evidence was withheld is the evidence component's business, not a statement."""
    if not cue.negated or cue.kind != "verb" or cue.vouched:
        return False
    verb = doc[cue.head]
    if verb.lemma_.lower() in CORE_VERBS:
        return False
    kids = list(verb.children)
    if any(c.dep_ in (*grammar.COMPLEMENTS, "parataxis") for c in kids):
        return False
    objects = [c for c in kids if c.dep_ == "dobj"]
    return bool(objects) and all(o.lemma_.lower() not in STATEMENT_NOUNS for o in objects)


def self_portrait(doc: Doc, cue: Cue) -> bool:
    """'Beijing stayed silent, instead positioning itself as a neutral party': a participle
    tacked onto its subject's clause, whose object is the subject itself, tells how the
    source conducts itself, not what it says."""
    verb = doc[cue.head]
    if cue.kind != "verb" or verb.dep_ not in ("advcl", "conj") or any(c.dep_ in grammar.SUBJECTS for c in verb.children):
        return False
    return any(c.dep_ == "dobj" and c.tag_ == "PRP" and c.lower_.endswith(("self", "selves")) for c in verb.children)


def build(doc: Doc, text: str, cue: Cue, quotes: QuoteIndex) -> Attribution | None:
    """``text`` is ``text``, passed in because spaCy rebuilds it on every access."""
    if negated_act(doc, cue) or territorial_claim(doc, cue) or self_portrait(doc, cue):
        return None
    ranges, src_range = parts(doc, cue)
    trimmed = [t for t in (grammar.trim(doc, r) for r in ranges) if t]
    cue_span = char_range(doc, (cue.start, cue.end))
    hole_tokens = [cue.start, cue.end] + (list(src_range) if src_range else [])
    if src_range and any(cue.end <= s and e <= src_range[0] for s, e in trimmed):
        hole_tokens = [cue.start, cue.end]  # 'After saying X, the man left': the content lies between cue and source
    hole = char_range(doc, (min(hole_tokens), max(hole_tokens)))
    if cue.kind == "no_comment":  # 'X, asked about Y, declined to comment': Y sits between source and cue
        hole = cue_span
    pieces = [char_range(doc, r) for r in trimmed]
    if cue.kind != "colon":  # a colon's content is its paragraph, as is
        pieces = widen_to_quotes(pieces, quotes, hole)  # also 'According to X, “A, B.”'
    if cue.kind not in ("according_to", "colon"):
        if cue.kind != "no_comment":
            wide = (hole[0], char_range(doc, (cue.start, _clause_end(doc, cue, max(hole_tokens))))[1])
            last = doc[doc.user_data["cg_sent_ends"][cue.head] - 1]
            pieces = adjacent_quotes(text, quotes, wide, pieces, last.idx + len(last.text))
        if cue.kind == "dash":
            pieces = pieces[:1]
        elif cue.kind == "verb":
            pieces = _colon_quotation(text, quotes, pieces)
    pieces = _strip(text, _clip_paragraphs(text, quotes, _cut(pieces, cue_span), cue_span))
    if not pieces and cue.kind != "no_comment":
        return None
    content = Span.joined(text, pieces) if pieces else Span(cue_span[1], cue_span[1], "")
    source = Span.of(text, *char_range(doc, src_range)) if src_range else None
    return Attribution(
        cue=Span.of(text, *cue_span),
        content=content,
        type=attribution_type(cue, pieces, quotes),
        source=source,
        negated=cue.negated,
        confidence=round(cue.score, 3),
    )


def _unnamed(doc: Doc, cue: Cue, att: Attribution | None) -> Attribution | None:
    """'Peacekeepers have been accused of X': the passive subject is who is spoken of, and
    with no 'by' phrase the speaker goes unnamed. The subject still marks the cue clause
    (cut from the content) and the ranker, which learned on it, still sees it."""
    if att is None or cue.kind != "verb" or grammar.agent_of(doc[cue.head]) is not None:
        return att
    return att.with_(source=None) if grammar.spoken_of(doc[cue.head]) else att


THRESHOLD = 0.4  # the ranker's score a built attribution needs to be kept


class AttributionBuilder:
    """spaCy component: reads ``doc._.cues``, sets ``doc._.attributions``.

    With a trained ranker each built attribution is scored; those under ``threshold``
    are dropped and the rest carry the score as ``confidence``.
    """

    def __init__(self, model_dir: str | None = None, threshold: float = THRESHOLD) -> None:
        folder = Path(model_dir) if model_dir else ranking.MODEL_DIR
        self.ranker = ranking.load_ranker(str(folder / "ranker.json"))
        self.threshold = threshold

    def _ranked(self, doc: Doc, cue: Cue, att: Attribution | None) -> Attribution | None:
        if att is None or self.ranker is None:
            return att
        p = ranking.rank(self.ranker, ranking.rank_features(doc, cue, att))
        # refusals and required constructions are kept whatever the ranker, which learned
        # PolNeAR's habits, says: PolNeAR has no refusals and annotates 'quoted as' oddly
        keep = p >= self.threshold or cue.kind == "no_comment" or cue.vouched
        return att.with_(confidence=round(p, 3)) if keep else None

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        quotes = doc.user_data.get("cg_quotes") or QuoteIndex(text)
        doc.user_data["cg_sent_ends"] = grammar.sentence_ends(doc)
        doc.user_data["cg_sent_starts"] = grammar.sentence_starts(doc)
        doc.user_data["cg_para_ends"] = grammar.paragraph_ends(doc)
        found = (_unnamed(doc, cue, self._ranked(doc, cue, build(doc, text, cue, quotes))) for cue in doc._.cues)
        doc._.attributions = dedupe(drop_covered([a for a in found if a is not None]))
        return doc
