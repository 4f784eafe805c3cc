"""Parse-tree helpers for attribution: (Doc, Cue) -> token ranges of content and source.

Pure functions over spaCy tokens, no component plumbing. Token ranges are half-open
(start, end) index pairs; callers turn them into character spans.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from .cues import QUOTE_MARKS, Cue

Range = tuple[int, int]
SUBJECTS = ("nsubj", "nsubjpass", "csubj")
COMPLEMENTS = ("ccomp", "xcomp")
# right dependents that carry what is said when there is no clause ("denied the report")
OBJECTS = ("dobj", "oprd", "attr", "acomp", "dative")
ABOUT_PREPS = frozenset({"about", "of", "on", "that", "for", "over"})
# a cue clause before or inside its content: "..., he said" / "“...,” she added, “...”"
TRAILING_DEPS = ("parataxis", "ccomp", "advcl", "conj", "dep")
# raising and passive belief verbs: the subject belongs to the content
RAISING = frozenset({"believe", "think", "expect", "seem", "appear", "report", "say", "rumor", "know", "allege"})
SOURCE_CUT = ("relcl", "acl", "appos", "punct", "cc", "conj")


def sentence_ends(doc: Doc) -> list[int]:
    """For each token, the end index of its sentence (``Token.sent`` rescans the doc)."""
    ends = [len(doc)] * len(doc)
    end = len(doc)
    for i in range(len(doc) - 1, -1, -1):
        ends[i] = end
        if doc[i].is_sent_start:
            end = i
    return ends


def paragraph_ends(doc: Doc) -> list[int]:
    """For each token, the index where its paragraph ends (the next newline)."""
    ends = [len(doc)] * len(doc)
    end = len(doc)
    for i in range(len(doc) - 1, -1, -1):
        if "\n" in doc[i].text_with_ws:
            end = i + 1 if not doc[i].is_space else i
        ends[i] = end
    return ends


def sentence_starts(doc: Doc) -> list[int]:
    starts, start = [], 0
    for tok in doc:
        if tok.is_sent_start:
            start = tok.i
        starts.append(start)
    return starts


def subtree_range(tok: Token) -> Range:
    return tok.left_edge.i, tok.right_edge.i + 1


def _loose_modifier(tok: Token) -> bool:
    """', which ...', ', contradicting ...': a non-restrictive tail the source did not say."""
    doc = tok.doc
    first = doc[tok.left_edge.i]
    if tok.left_edge.i == 0 or doc[tok.left_edge.i - 1].text not in (",", "\u2014", "--"):
        return False
    if tok.dep_ == "relcl":
        return first.tag_ in ("WDT", "WP", "WRB")
    return tok.dep_ in ("advcl", "acl", "appos") and (first.tag_ == "VBG" or tok.dep_ == "appos")


def clipped_subtree(tok: Token, depth: int = 2) -> Range:
    """A subtree without its loose trailing modifiers, looking ``depth`` levels down."""
    start, end = tok.left_edge.i, tok.i + 1
    for child in tok.rights:
        if _loose_modifier(child):
            break
        end = clipped_subtree(child, depth - 1)[1] if depth > 0 else child.right_edge.i + 1
    return start, end


def minus(outer: Range, inner: Range) -> list[Range]:
    """``outer`` with ``inner`` removed: zero, one or two ranges."""
    out = []
    if inner[0] > outer[0]:
        out.append((outer[0], min(inner[0], outer[1])))
    if inner[1] < outer[1]:
        out.append((max(inner[1], outer[0]), outer[1]))
    return [r for r in out if r[1] > r[0]]


def trim(doc: Doc, r: Range) -> Range | None:
    """Drop punctuation and conjunctions at the edges (keeps quote marks inside)."""
    s, e = r
    while s < e and (doc[s].is_punct and doc[s].text not in QUOTE_MARKS or doc[s].dep_ == "cc"):
        s += 1
    while e > s and (doc[e - 1].is_punct and doc[e - 1].text not in QUOTE_MARKS or doc[e - 1].dep_ == "cc"):
        e -= 1
    return (s, e) if e > s else None


def subject_of(verb: Token) -> Token | None:
    """The subject, climbing through 'appeared to suggest' and 'said ... and added'."""
    tok: Token | None = verb
    for _ in range(3):
        if tok is None:
            return None
        subj = next((c for c in tok.children if c.dep_ in SUBJECTS), None)
        if subj is not None:
            return subj
        tok = tok.head if tok.dep_ in ("xcomp", "conj", "advcl") and tok.head is not tok else None
    return None


def agent_of(verb: Token) -> Token | None:
    """'was criticized by X' -> X."""
    for child in verb.children:
        if child.dep_ == "agent":
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


def source_range(tok: Token) -> Range:
    """The source's noun phrase, without relative clauses and appositions after it."""
    start, end = tok.left_edge.i, tok.i + 1
    for child in tok.rights:
        if child.dep_ in SOURCE_CUT:
            break
        end = child.right_edge.i + 1
    return start, end


def _clause_before(doc: Doc, verb: Token, cue: Cue) -> list[Range]:
    """'“X,” he said' / 'X, officials said': the head clause minus the cue clause."""
    if verb.dep_ not in TRAILING_DEPS or verb.head.i >= verb.i:
        return []
    own = subtree_range(verb)
    before = doc[own[0] - 1] if own[0] > 0 else None
    if before is None or not (before.is_punct or before.text in QUOTE_MARKS):
        return []  # 'He thinks that she said X': an embedded cue, not a trailing one
    return minus(subtree_range(verb.head), own)


def _objects(verb: Token) -> list[Range]:
    """'denied the allegations', 'called Trump “dangerous”', 'talked about jobs'."""
    rights = [c for c in verb.rights if c.dep_ in OBJECTS or c.dep_ in COMPLEMENTS]
    rights += [c for c in verb.rights if c.dep_ == "prep" and c.lower_ in ABOUT_PREPS]
    if not rights:
        return []
    rights.sort(key=lambda t: t.i)
    return [(rights[0].left_edge.i, max(clipped_subtree(c)[1] for c in rights))]


def _after_colon(doc: Doc, cue: Cue) -> list[Range]:
    """'said:' or 'added,' followed by a quotation or a sentence."""
    i = cue.end
    while i < len(doc) and i - cue.end < 2 and doc[i].text in (":", ","):
        i += 1
    if i >= len(doc) or i == cue.end and doc[cue.end - 1].text != ":":
        return []
    if doc[i].text not in QUOTE_MARKS and doc[cue.end - 1].text != ":" and doc[i - 1].text != ":":
        return []
    return [(i, doc.user_data["cg_sent_ends"][i])]


def verb_content(doc: Doc, cue: Cue) -> list[Range]:
    verb = doc[cue.head]
    comp = next((c for c in verb.children if c.dep_ in COMPLEMENTS), None)
    if comp is not None and not (comp.dep_ == "xcomp" and comp.i < verb.i):
        rng = clipped_subtree(comp)
        subj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        if subj is not None and comp.dep_ == "xcomp" and verb.lemma_ in RAISING:
            return [subtree_range(subj), rng]  # 'X is believed to be Y'
        return [rng]
    return _clause_before(doc, verb, cue) or _objects(verb) or _after_colon(doc, cue)


def noun_content(doc: Doc, cue: Cue) -> list[Range]:
    """'a report that X', 'the claim that X'."""
    noun = doc[cue.head]
    for child in noun.rights:
        if child.dep_ in ("acl", "ccomp", "relcl") and any(g.lower_ == "that" and g.dep_ == "mark" for g in child.children):
            return [subtree_range(child)]
    return []


def according_content(doc: Doc, cue: Cue) -> tuple[list[Range], Token | None]:
    """'X, according to Y' -> the clause around the phrase, and Y."""
    acc = doc[cue.head]
    to = doc[cue.head + 1]
    src = next((c for c in to.children if c.dep_ == "pobj"), None)
    if src is None:
        src = next((c for c in acc.children if c.dep_ == "pobj"), None)
    clause = acc.head if acc.head is not acc else acc
    while clause.dep_ not in ("ROOT",) and clause.head is not clause and clause.pos_ not in ("VERB", "AUX"):
        clause = clause.head
    return minus(subtree_range(clause), subtree_range(acc)), src


def refusal_parts(doc: Doc, cue: Cue) -> tuple[list[Range], Token | None]:
    """'X declined to comment on Y' -> Y, X; 'no comment from X' -> (), X."""
    head = doc[cue.head]
    src = subject_of(head)
    for tok in doc[cue.start : min(cue.end + 2, len(doc))]:
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ == "from" and src is None or child.lower_ == "from":
                src = next((g for g in child.children if g.dep_ == "pobj"), src)
            elif child.dep_ == "prep" and child.lower_ in ("on", "about", "to"):
                pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
                if pobj is not None:
                    return [subtree_range(pobj)], src
    return [], src
