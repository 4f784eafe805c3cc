"""Parse-tree helpers for attribution: (Doc, Cue) -> token ranges of content and source.

Pure functions over spaCy tokens, no component plumbing. Token ranges are half-open
(start, end) index pairs; callers turn them into character spans.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from .cues import CORE_VERBS, QUOTE_MARKS, Cue, ing_form, made_by, put_question, withheld_advcl

Range = tuple[int, int]
SUBJECTS = ("nsubj", "nsubjpass", "csubj")
COMPLEMENTS = ("ccomp", "xcomp")
# right dependents that carry what is said when there is no clause ("denied the report")
OBJECTS = ("dobj", "oprd", "attr", "acomp", "dative")
ABOUT_PREPS = frozenset({"about", "of", "on", "that", "for", "over"})
# prepositions that carry what a cue is about when it has no object ('warned against X')
TOPIC_PREPS = frozenset({"about", "of", "on", "for", "over", "against", "to", "at", "by", "into"})
# a cue clause before or inside its content: "..., he said" / "“...,” she added, “...”"
TRAILING_DEPS = ("parataxis", "ccomp", "advcl", "conj", "dep")
# raising and passive belief verbs: the subject belongs to the content
RAISING = frozenset({"believe", "think", "expect", "seem", "appear", "report", "say", "rumor", "know", "allege"})
SOURCE_CUT = ("relcl", "acl", "appos", "punct", "cc", "conj")
CONTRAST_MARKS = frozenset({"while", "whereas", "whilst"})
WH_TAGS = frozenset({"WDT", "WP", "WP$", "WRB"})  # relative and question words
LOOSE_MARKS = (",", "\u2014", "--")  # the marks that set a non-restrictive modifier apart


def sentence_ends(doc: Doc) -> list[int]:
    """For each token, the end index of its sentence (``Token.sent`` rescans the doc), before
    the blank lines the parser leaves at its end: a paragraph break is not in the sentence."""
    def before_blanks(end: int) -> int:
        while end > 0 and doc[end - 1].is_space:
            end -= 1
        return end

    ends = [len(doc)] * len(doc)
    end = before_blanks(len(doc))
    for i in range(len(doc) - 1, -1, -1):
        ends[i] = max(end, i + 1)
        if doc[i].is_sent_start:
            end = before_blanks(i)
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
    if tok.left_edge.i > 0 and doc[tok.left_edge.i - 1].text == ";":
        return True  # a second clause after a semicolon is the writer's, not the source's
    if tok.left_edge.i == 0 or _before_modifier(doc, tok.left_edge.i) not in LOOSE_MARKS:
        return False
    if tok.dep_ == "relcl":
        return first.tag_ in WH_TAGS
    if tok.dep_ == "advcl" and first.lower_ in CONTRAST_MARKS and any(c.dep_ in SUBJECTS for c in tok.children):
        return True  # ', while others called it X': the writer sets a second speaker beside the first
    if tok.lower_ in ("based", "citing", "without", "despite"):  # evidence and framing, not content
        return True
    # a participle opening the modifier; the tagger sometimes calls one a noun ('disputing/NN')
    ing = tok.tag_ == "VBG" or ing_form(tok)
    participle = first.tag_ == "VBG" or (ing and tok.i - first.i <= 1)  # 'instead positioning itself'
    if tok.dep_ == "appos":
        return not _naming_apposition(tok)
    return tok.dep_ in ("advcl", "acl") and participle


def _mark_before(doc: Doc, i: int) -> tuple[str, int]:
    """The token before token ``i`` and its index, looking through a closing quotation mark
    to the punctuation inside it ('“...,” citing' -> ',')."""
    if doc[i - 1].text in QUOTE_MARKS and i > 1 and doc[i - 2].text in LOOSE_MARKS:
        return doc[i - 2].text, i - 2
    return doc[i - 1].text, i - 1


def _before_modifier(doc: Doc, i: int) -> str:
    """The punctuation before token ``i``, looking through a closing quotation mark ('“...,” citing')."""
    return _mark_before(doc, i)[0]


def _naming_apposition(app: Token) -> bool:
    """'her running mate, Tim Kaine', 'differ on trade, the deal and taxes': after a comma, an
    apposition that names its noun or continues a list the parser read as one is part of what
    was said; ', a claim few accept' is the writer's remark."""
    doc = app.doc
    if _before_modifier(doc, app.left_edge.i) != ",":
        return False
    return app.pos_ == "PROPN" or any(c.dep_ in ("cc", "conj") for c in app.children)


def clipped_subtree(tok: Token, depth: int = 8) -> Range:
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
    """Drop punctuation, conjunctions and blank tokens at the edges (keeps quote marks inside):
    a paragraph break after the full stop no longer keeps the stop in the content."""
    s, e = r
    while s < e and _edge_filler(doc[s]):
        s += 1
    while e > s and _edge_filler(doc[e - 1]):
        e -= 1
    return (s, e) if e > s else None


def _edge_filler(tok: Token) -> bool:
    return tok.is_punct and tok.text not in QUOTE_MARKS or tok.dep_ == "cc" or tok.is_space


# Verbs whose object, not subject, does what their infinitive says: 'the attack prompted
# NATO to order', 'the senator forced Stumpf to admit'.
OBJECT_CONTROL = frozenset({"prompt", "lead", "force", "leave", "ask", "urge", "encourage", "persuade", "push",
                            "pressure", "compel", "cause", "drive", "inspire", "convince", "tell", "invite", "spur"})


def controller(verb: Token) -> Token | None:
    """The object that controls an infinitive ('forced Stumpf to admit': Stumpf admits)."""
    if verb.dep_ != "xcomp" or verb.head.lemma_.lower() not in OBJECT_CONTROL:
        return None
    return next((c for c in verb.head.children if c.dep_ == "dobj" and c.i < verb.i), None)


RANKS = frozenset({"first", "only", "last", "second", "third", "next", "latest"})  # 'the first senator to ...'


def subject_of(verb: Token) -> Token | None:
    """The subject, climbing through 'appeared to suggest', 'said ... and added', 'responded
    by saying' (a gerund after a preposition), 'was unable to ... and accuse' and 'was the
    first senator to endorse'; an infinitive after 'forced X', 'prompted X' has X as its
    subject, and a participle after a noun ('a poll showing') the noun, unless the noun is an
    occasion or a moment ('during a speech attacking', 'at one point calling'). 'Y, said X,'
    has X as its subject, and so has a participle right after 'X said,'; a question put to
    someone ('when asked whether') has none."""
    if _asked_unnamed(verb):
        return None
    inverted = said_between_commas(verb)
    if inverted is not None:
        return inverted
    tagged = _after_tag(verb)
    if tagged is not None:
        return tagged
    tok: Token | None = verb
    for _ in range(4):
        if tok is None:
            return None
        subjects = [c for c in tok.children if c.dep_ in SUBJECTS]
        if subjects:
            return _speaker(subjects, tok)
        obj = controller(tok)
        if obj is not None:
            return obj
        if tok.dep_ == "acl" and tok.tag_ == "VBG" and tok.head.pos_ in ("NOUN", "PROPN"):
            host = _medium_host(tok.head)
            if host is None:
                return tok.head  # 'a group backing the senator', 'a poll showing X': the noun acts
            tok = host  # 'Clinton made remarks during a speech attacking X': who gave the speech
            continue
        question = question_put(tok)
        if question is not None and (question.head.i == tok.i or tok.head.i == question.i):
            # 'X, asked about Y, declined': the parser gave X to the question
            return next((c for c in question.children if c.dep_ in SUBJECTS), None)
        if tok.dep_ == "pcomp" and tok.head.dep_ == "prep" and tok.head.head.pos_ in ("VERB", "AUX"):
            tok = tok.head.head
            continue
        if tok.dep_ == "pcomp" and tok.head.dep_ == "prep" and tok.head.head.dep_ in ("advmod", "acomp", "attr") \
                and tok.head.head.head.pos_ in ("VERB", "AUX"):
            tok = tok.head.head.head  # 'stopped short of calling', 'was quick in saying', 'was the most aggressive in denouncing'
            continue
        if tok.i == verb.i and tok.pos_ == "ADJ" and tok.dep_ == "amod" and tok.head.i < tok.i \
                and (tok.head.pos_ == "PROPN" or tok.head.dep_ in SUBJECTS) and verb.doc[tok.i - 1].text in LOOSE_MARKS:
            return tok.head  # 'Republicans, wary of the split, ...': the name or subject the adjective sets off
        if tok.i == verb.i and _speakers_next_act(tok):
            tok = tok.head.head  # 'X said that A would B and called Y Z': the parser joined the cue to B
            continue
        if tok.dep_ == "advcl" and tok.head.dep_ == "ccomp" and _loose_modifier(tok):
            tok = tok.head.head  # 'X said that A happened, disputing reports': X disputes, not A
            continue
        if tok.dep_ == "advcl" and tok.head.dep_ == "acl" and tok.head.left_edge.lower_ == "that" \
                and tok.head.head.dep_ == "dobj" and _loose_modifier(tok):
            tok = tok.head.head.head  # 'X rejected the idea that A would lose, saying ...': X says
            continue
        if tok.dep_ in ("relcl", "acl") and tok.head.dep_ == "attr" and any(c.lower_ in RANKS for c in tok.head.children) \
                and any(c.lower_ == "to" and c.dep_ == "aux" for c in tok.children):
            tok = tok.head.head  # 'X was the first senator to endorse Y': X endorses
            continue
        if tok.dep_ == "xcomp" and tok.head.dep_ == "acomp" and tok.head.pos_ == "ADJ":
            tok = tok.head.head  # 'X was quick to note', 'X will be unable to ... and accuse'
            continue
        tok = tok.head if tok.dep_ in ("xcomp", "conj", "advcl") and tok.head is not tok else None
    return None


def _after_tag(verb: Token) -> Token | None:
    """'“…,” Sanders said, going on to say that …': a participle right after a speech tag and
    its comma, which the parser hung on a clause after it, continues the tagged speaker."""
    doc = verb.doc
    if verb.tag_ != "VBG" or verb.head.i <= verb.i or verb.i < 2 or doc[verb.i - 1].text != ",":
        return None
    tag = doc[verb.i - 2]
    if tag.lemma_.lower() not in SPEECH_VERBS:
        return None
    return next((c for c in tag.children if c.dep_ in ("nsubj", "nsubjpass")), None)


def said_between_commas(verb: Token) -> Token | None:
    """'Any reading of the deal, said Ann Lee, an analyst, would ...': a speech verb set off by
    a comma with a name right after it, and a comma after the name, is an inverted aside. The
    parser gives the verb the sentence's subject; the name is the speaker."""
    doc = verb.doc
    lemma = verb.lemma_.lower()
    if verb.i == 0 or doc[verb.i - 1].text != "," or lemma not in CORE_VERBS or lemma in ADDRESS_VERBS:
        return None  # 'X, told Reuters,': the name after a telling verb is the one told
    if not any(c.dep_ in SUBJECTS and c.i < verb.i for c in verb.children):
        return None
    end = _name_end(doc, verb.i + 1)
    if end == verb.i + 1 or end >= len(doc) or doc[end].text != ",":
        return None
    name = doc[end - 1]
    if name.ent_type_ not in ("PERSON", "ORG") and not (name.head.i == verb.i and name.dep_ in SUBJECTS):
        return None
    return name if name.head.i >= verb.i else None


def aside_content(verb: Token, name: Token) -> list[Range]:
    """What an inverted aside reports: the sentence before the verb's comma and after the
    name's phrase ('Any reading of the deal | would show a deficit')."""
    doc = verb.doc
    subj = next(c for c in verb.children if c.dep_ in SUBJECTS and c.i < verb.i)
    after = name.i + 1 if name.head.i == verb.i else name.right_edge.i + 1
    if after < len(doc) and doc[after].text == ",":
        after += 1
    return [(subj.left_edge.i, verb.i - 1), (after, doc.user_data["cg_sent_ends"][verb.i])]


def _asked_unnamed(verb: Token) -> bool:
    """'X said, when asked whether Y', 'X, asked about Y, said': a question put to X by
    someone the sentence does not name; X answers, X does not ask."""
    return verb.lemma_ == "ask" and verb.dep_ in ("advcl", "acl") and verb.tag_ in ("VBN", "VBD") and not any(
        c.dep_ in (*SUBJECTS, "aux", "auxpass", "dobj", "dative") for c in verb.children)


# media that are occasions, not texts: an ad or a release speaks for itself ('ads attacking X')
OCCASIONS = frozenset({"speech", "interview", "remark", "appearance", "conference", "hearing", "debate", "broadcast"})


# nouns of time, manner and ideas, which never speak: 'had a hard time vetoing', 'at one point calling'
NON_SPEAKERS = frozenset({"time", "point", "attempt", "turn", "effort", "moment", "chance", "opportunity", "notion",
                          "conversation", "rally", "occasion", "day", "night", "week", "hour", "minute"})


def _medium_host(noun: Token) -> Token | None:
    """The verb whose phrase names ``noun`` as where or when it was said ('during a speech', 'in an
    interview', 'made an attempt', 'at one point'): the speaker of a gerund on that noun is the verb's subject."""
    lemma = noun.lemma_.lower()
    if lemma not in OCCASIONS and lemma not in NON_SPEAKERS:
        return None
    if noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ in ("VERB", "AUX"):
        return noun.head.head
    if lemma in NON_SPEAKERS and noun.dep_ in ("dobj", "npadvmod") and noun.head.pos_ in ("VERB", "AUX"):
        return noun.head
    return None


FINITE = frozenset({"VBD", "VBZ", "VBP"})


def noun_before(verb: Token) -> Token | None:
    """'the $20 million experts say it costs', 'X and Y call them Z': a finite cue verb the
    parser left without a subject, whose clause opens right after a noun the parser hung
    elsewhere. That noun is the speaker."""
    verb = _first_conjunct(verb)  # 'X call them Z and describe ...'
    if verb.tag_ not in FINITE or _has_subject(verb):
        return None
    start = _group_start(verb)
    if start == 0:
        return None
    noun = verb.doc[start - 1]
    if noun.pos_ not in ("PROPN", "NOUN", "PRON") or noun.head.i == verb.i or noun.ent_type_ in ("DATE", "TIME"):
        return None
    return noun


def _first_conjunct(verb: Token) -> Token:
    """The first of conjoined verbs, which holds their shared subject."""
    while verb.dep_ == "conj" and verb.head.pos_ == "VERB" and verb.head.i < verb.i:
        verb = verb.head
    return verb


def _has_subject(verb: Token) -> bool:
    return any(c.dep_ in SUBJECTS or c.dep_ == "expl" for c in verb.children)


def _group_start(verb: Token) -> int:
    """Where the verb group opens: its auxiliaries, negation and adverbs just before it."""
    return min([verb.i] + [c.i for c in verb.lefts if c.dep_ in ("aux", "neg", "advmod") and verb.i - c.i <= 3])


def _finite(verb: Token) -> bool:
    """A finite verb, or a participle with a finite auxiliary ('have said')."""
    return verb.tag_ in FINITE or verb.tag_ == "VBN" and any(
        c.dep_ == "aux" and c.tag_ in FINITE for c in verb.children)


def hung_subject(verb: Token) -> Token | None:
    """'In a call with reporters, Col. X, a spokesman, said ...', 'Alarmed by the unrest, Senator
    X said ...': a finite cue verb left without a subject after an opening phrase, whose noun
    phrase the parser hung on that phrase as an apposition or conjunct. The noun phrase that
    starts after a comma and runs up to the comma before the verb is the speaker."""
    verb = _first_conjunct(verb)
    if not _finite(verb) or _has_subject(verb):
        return None
    doc = verb.doc
    start = _group_start(verb)
    if start < 3 or doc[start - 1].text != ",":
        return None
    first = doc.user_data["cg_sent_starts"][verb.i]
    found = [t for t in doc[first:start - 1]
             if t.dep_ in ("appos", "conj") and t.pos_ in ("PROPN", "NOUN") and t.right_edge.i == start - 2
             and t.left_edge.i > first and doc[t.left_edge.i - 1].text == ","
             and t.ent_type_ not in ("DATE", "TIME")]
    return min(found, key=lambda t: t.left_edge.i) if found else None


def clause_for_subject(verb: Token) -> Token | None:
    """'Jeffrey Salkin, a rabbi helping to organize the boycott, said he was alarmed': a long
    description after the name, which the parser read as a clause of its own ('rabbi' a verb)
    reported by the cue. A subjectless cue verb with such a clause before it and its real
    content after it: the subject of the clause before, opening the sentence, is the speaker."""
    verb = _first_conjunct(verb)
    if not _finite(verb) or _has_subject(verb):
        return None
    before = next((c for c in verb.lefts if c.dep_ == "ccomp"), None)
    if before is None or not any(c.dep_ in COMPLEMENTS and c.i > verb.i for c in verb.children):
        return None
    subj = next((c for c in before.children if c.dep_ in SUBJECTS and c.i < before.i), None)
    doc = verb.doc
    if subj is None or subj.left_edge.i != doc.user_data["cg_sent_starts"][verb.i] \
            or subj.i + 1 >= verb.i or doc[subj.i + 1].text != ",":
        return None
    return subj


# verbs whose object is the one addressed, never the speaker
ADDRESS_VERBS = frozenset({"tell", "ask", "warn", "urge", "inform", "assure", "remind", "brief", "advise", "promise"})
SPEECH_VERBS = CORE_VERBS | ADDRESS_VERBS | {"chant", "shout", "yell", "post", "joke", "quip"}


def inverted_subject(verb: Token) -> Token | None:
    """'“We have to wait,” recalled Mr. Rhodes', '“Trump is disgusting,” read one': after the
    quotation, a speech verb with the speaker behind it, which the parser took for an object."""
    # a root 'read' after a quotation is a past tense the tagger took for a bare verb
    if not (_finite(verb) or verb.tag_ == "VB" and verb.dep_ == "ROOT") or verb.lemma_.lower() in ADDRESS_VERBS:
        return None
    if _has_subject(verb):
        return None
    if not any(c.dep_ in COMPLEMENTS and c.i < verb.i for c in verb.children):
        return None
    obj = next((c for c in verb.rights if c.dep_ == "dobj"), None)
    if obj is None:
        return _name_after_verb(verb)
    if obj.pos_ not in ("PROPN", "NOUN", "PRON", "NUM") or obj.left_edge.i > verb.i + 2:
        return None
    return obj


def fronted_speaker(verb: Token) -> Range | None:
    """'Said Ellis: “...”': a speech verb opening its sentence with the speaker's name right
    after it, which the parser took for the verb's head."""
    doc = verb.doc
    if verb.i != doc.user_data["cg_sent_starts"][verb.i] or not verb.is_title \
            or verb.lemma_.lower() not in SPEECH_VERBS and verb.lower_ not in ("said", "says"):  # or tagged a name
        return None
    end = _name_end(doc, verb.i + 1)
    if end == verb.i + 1 or end >= len(doc) or doc[end].text not in (":", ","):
        return None
    return verb.i + 1, end


def _name_end(doc: Doc, start: int) -> int:
    """Where the run of proper-noun tokens from ``start`` ends."""
    end = start
    while end < len(doc) and doc[end].pos_ == "PROPN":
        end += 1
    return end


def _name_after_verb(verb: Token) -> Token | None:
    """'“…,” said Robin Maynard, half joking': the parser made the name the subject of what
    follows. A name right after the verb is the speaker."""
    doc = verb.doc
    j = verb.i + 1
    while j < min(len(doc), verb.i + 3) and doc[j].dep_ in ("det", "amod") and doc[j].head.i > j:
        j += 1
    if j >= len(doc):
        return None
    tok = doc[j]
    while tok.dep_ == "compound" and tok.head.i > tok.i:
        tok = tok.head
    if tok.pos_ != "PROPN" or tok.ent_type_ not in ("PERSON", "ORG", "NORP", "GPE") or tok.head.i == verb.i:
        return None
    return tok


def bare_noun(noun: Token) -> Range:
    """The noun with the compound words right before it: 'harbour engineers'."""
    start = noun.i
    while start > 0 and noun.doc[start - 1].dep_ == "compound" and noun.doc[start - 1].head.i == noun.i:
        start -= 1
    return start, noun.i + 1


def _leading_as(verb: Token) -> Token | None:
    """The 'as' opening the verb's clause ('as an adviser pointed out'), mark or preposition."""
    return next((c for c in verb.lefts if c.lower_ == "as" and c.dep_ in ("prep", "mark")), None)


def _speaker(subjects: list[Token], verb: Token) -> Token:
    """Of several subjects (a misparse of '“A,” B said' gives the quotation's noun one too),
    the first that is not quoted words while the verb is not, and not a relative word."""
    as_ = _leading_as(verb)
    after_as = [s for s in subjects if as_ is not None and s.i > as_.i]
    if len(subjects) > 1 and after_as:  # 'Hawaii, as an adviser pointed out, ...': the speaker follows 'as'
        return after_as[0]
    if as_ is not None and as_.dep_ == "prep" and not after_as and as_.i > 0 and verb.doc[as_.i - 1].text == ",":
        obj = next((c for c in as_.children if c.dep_ == "pobj"), None)
        if obj is not None and obj.right_edge.i + 1 == _group_start(verb):
            return obj  # the same, with the adviser read as the object of 'as'
    named = [s for s in subjects if s.tag_ not in WH_TAGS]
    if named and len(named) < len(subjects):  # 'the reasons that Trump refuses': 'that' and Trump
        subjects = named
    quotes = verb.doc.user_data.get("cg_quotes")
    if len(subjects) == 1 or quotes is None or quotes.containing(verb.idx) is not None:
        return subjects[0]
    return next((s for s in subjects if quotes.containing(s.idx) is None), subjects[0])


def agent_of(verb: Token) -> Token | None:
    """'was criticized by X' -> X."""
    for child in verb.children:
        if child.dep_ == "agent":
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


OPENING_MARKS = frozenset({"\u201c", "\u2018", "'", '"', "`", "``"})  # may open a quoted name: "'Stoic' driver"
# heads that name no one without what follows them: 'those who back her', 'many surveyed'
EMPTY_HEADS = frozenset({"those", "these", "many", "some", "most", "all", "one", "others", "few", "several"})


def source_range(tok: Token) -> Range:
    """The source's noun phrase, without relative clauses, appositions or a time after it
    ('Britain on Thursday imposed ...' -> 'Britain'), except a person's name given in
    apposition ('the campaign chief, Paul Manafort, said')."""
    start, end = tok.left_edge.i, tok.i + 1
    while start < tok.i and (tok.doc[start].is_space or tok.doc[start].is_punct and tok.doc[start].text not in OPENING_MARKS):
        start += 1  # ', Tim Cook', '” Adam Green': a comma or closing mark the parser hung on the name
    name = next((c for c in tok.rights if _named_apposition(tok, c)), None)
    if name is not None:  # 'the campaign chief, Paul Manafort': the name is who speaks
        return start, name.i + 1
    bare = tok.lower_ in EMPTY_HEADS and tok.left_edge.i == tok.i
    joint = tok.pos_ == "PRON" and any(c.dep_ == "cc" for c in tok.rights)
    for child in tok.rights:
        if joint and child.dep_ in ("cc", "conj"):
            end = child.right_edge.i + 1  # 'She and her aides': a pronoun alone is half the source
            continue
        if bare and child.dep_ in ("relcl", "acl") and not _loose_modifier(child):
            end = child.right_edge.i + 1  # 'those who back her opponents': 'those' alone names no one
            continue
        if child.dep_ in SOURCE_CUT or (child.dep_ == "prep" and _when(child)):  # 'on Thursday': when, not who
            break
        end = child.right_edge.i + 1
    return start, end


def _named_apposition(head: Token, child: Token) -> bool:
    """A person's name in apposition to a description ('a spokesman, Gao Ruiming')."""
    return child.dep_ == "appos" and head.pos_ == "NOUN" and child.pos_ == "PROPN" and child.ent_type_ == "PERSON"


def _clause_before(doc: Doc, verb: Token, cue: Cue) -> list[Range]:
    """'“X,” he said' / 'X, officials said': the head clause minus the cue clause."""
    if verb.dep_ not in TRAILING_DEPS or verb.head is verb:
        return []
    if verb.doc[verb.left_edge.i].lower_ in CONTRAST_MARKS:
        return []  # '..., while others called it X': a speaker of its own, not a trailing 'he said'
    own_object = any(c.dep_ == "dobj" for c in verb.children) and not _loose_modifier(verb)
    if verb.dep_ == "advcl" and (verb.head.lemma_ in CORE_VERBS or own_object):
        # 'X said ..., calling the reports "hysteria"', '..., days after she made the allegation':
        # an act with its own object, not a trailing 'X, he said'
        return []
    reported_by = _as_mark(verb) and any(c.dep_ == "agent" for c in verb.children)  # 'as reported by Y'
    if verb.dep_ in ("advcl", "conj") and not reported_by and not any(c.dep_ in SUBJECTS for c in verb.children):
        # 'Bin Laden judged America weak, encouraging the attacks': the cue borrows the head
        # clause's subject as its source, and a source is never inside its own content
        return []
    own = subtree_range(verb)
    clause = _interrupted(verb)
    if clause.i > verb.i:  # 'The plan, he said, will fail': the cue clause interrupts its content
        if _as_parenthetical(verb):
            return minus(subtree_range(verb.head), own)
        core = _interruption(verb) if verb.dep_ == "parataxis" else None
        return minus(subtree_range(clause), core) if core is not None else []
    before = doc[own[0] - 1] if own[0] > 0 else None
    if before is None or not (before.is_punct or before.text in QUOTE_MARKS):
        return []  # 'He thinks that she said X': an embedded cue, not a trailing one
    return minus(subtree_range(verb.head), own)


def _split_root(doc: Doc, verb: Token) -> list[Range]:
    """'These workers, he explained later, were well paid' parsed with the cue as the root:
    the words before the cue clause and the subjectless predicate after it are the content."""
    if verb.head.i != verb.i:
        return []
    subjects = [c for c in verb.lefts if c.dep_ in SUBJECTS]
    start = subjects[0].left_edge.i if subjects else verb.i
    as_ = _leading_as(verb)
    if as_ is not None and as_.i > start and doc[as_.i - 1].text == ",":  # 'Hawaii, as an adviser pointed out, rarely ...'
        start = as_.i
    first = doc.user_data["cg_sent_starts"][verb.i]
    if start - 1 <= first or doc[start - 1].text != ",":
        return []
    topic = next((c for c in verb.lefts if c.left_edge.i == first and c.right_edge.i == start - 2), None)
    if topic is None or topic.pos_ not in ("NOUN", "PROPN", "PRON") or topic.dep_ == "pobj":
        return []  # 'In August, he said, ...': an opening adverbial, not the subject of what follows
    end = _clause_close(verb, len(doc))
    rest = next((c for c in verb.rights if c.left_edge.i == end + 1 and (_finite(c) or _modal(c))
                 and not any(g.dep_ in SUBJECTS for g in c.children)), None)
    if end >= len(doc) or doc[end].text != "," or rest is None:
        return []
    return [(first, start - 1), (end + 1, doc.user_data["cg_sent_ends"][verb.i])]


def _interruption(verb: Token) -> Range | None:
    """', he said,' inside the clause it reports: the cue clause from its subject to its last
    word, with the commas around it, or None when no commas set it off. A clause the parser
    hung on the cue before its subject ('If the vote fails, she argues, there are ...') stays
    with the content."""
    doc = verb.doc
    start = _clause_start(verb)
    end = _clause_close(verb, len(doc))  # 'explained later in the hearing,'
    mark, at = _mark_before(doc, start) if start > 0 else ("", start)
    if mark == ",":
        start = at  # '“The ferry,” the captain said, “will ...”': the comma inside the quotation's close
    if end < len(doc) and doc[end].text == ",":
        end += 1
    if doc[start].text != "," or doc[end - 1].text != ",":
        return None
    return start, end


def _clause_start(verb: Token) -> int:
    """Where the cue verb's own clause opens: its first subject, else its verb group."""
    subjects = [c for c in verb.lefts if c.dep_ in SUBJECTS]
    return subjects[0].left_edge.i if subjects else _group_start(verb)


def _clause_close(verb: Token, stop: int) -> int:
    """The comma that closes the cue verb's clause, searched within the verb's subtree and
    before ``stop``; else where the search ended."""
    end = verb.i + 1
    while end <= verb.right_edge.i and end < stop and verb.doc[end].text != ",":
        end += 1
    return end


def interrupts(verb: Token) -> bool:
    """'The river, the mayor noted, was polluted': the parse puts the cue inside the clause it reports."""
    return verb.dep_ == "parataxis" and _interrupted(verb).i > verb.i and _interruption(verb) is not None


def _interrupted(verb: Token) -> Token:
    """The clause a parenthetical cue sits in: its head, or the verb of that head when the
    parser hung the cue on the clause's subject ('The difference, he said, is that ...')."""
    head = verb.head
    return head.head if verb.dep_ == "parataxis" and head.dep_ in SUBJECTS and head.head.i > verb.i else head


def extraposed(doc: Doc, cue: Cue) -> list[Range]:
    """'It is no surprise, he said, that X' / 'The records indicate, she said, that X': a that-
    clause after a mid-sentence cue finishes the clause before it."""
    verb = doc[cue.head]
    end = _clause_close(verb, cue.end + 6)  # 'said in a telephone interview,'
    if end >= len(doc) or doc[end].text != ",":
        return []
    after = next((c for c in verb.rights if c.dep_ == "ccomp" and c.left_edge.i == end + 1), None)
    if after is None or that_mark(after) is None or doc[after.left_edge.i].lower_ != "that":
        return []
    return [clipped_subtree(after)]


def _as_mark(verb: Token) -> bool:
    return any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children)


def _as_parenthetical(verb: Token) -> bool:
    """'As the auditor noted, the fund is empty': an 'as' clause whose cue has nothing to say
    of its own points at the clause it hangs on ('as she talked about jobs' tells when)."""
    if verb.dep_ != "advcl" or not _as_mark(verb):
        return False
    said = (*OBJECTS, *COMPLEMENTS)
    return not any(c.dep_ in said or c.dep_ == "prep" and c.lower_ in TOPIC_PREPS for c in verb.children)


# prepositions of an act's circumstances, not of what was said: 'during the debate'
CIRCUMSTANCE = frozenset({"during", "after", "before", "since", "until", "amid", "despite", "because", "at"})


def _when(prep: Token) -> bool:
    """'on Tuesday', 'over the weekend': the preposition says when, not what about."""
    return any(g.dep_ == "pobj" and g.ent_type_ in ("DATE", "TIME") for g in prep.children)


# where words were said or written: 'rejected the claim in a ruling', 'said so on Twitter'
MEDIA = frozenset({"statement", "interview", "speech", "ruling", "letter", "tweet", "post", "email", "memo",
                   "op-ed", "column", "editorial", "video", "ad", "release", "remarks", "appearance",
                   "conference", "hearing", "debate", "broadcast", "radio", "television", "twitter", "facebook"})


def _medium(prep: Token) -> bool:
    """'in a statement', 'on Twitter', 'during a hearing': the phrase names where it was said."""
    return prep.lower_ in ("in", "on", "at", "during") and any(
        g.dep_ == "pobj" and (g.lower_ in MEDIA or g.lemma_.lower() in MEDIA) for g in prep.children)


# verbs whose object is whom the words were addressed to: 'told the cheering crowd'
TELL_VERBS = frozenset({"tell", "inform", "assure", "remind", "brief"})
QUOTED_TO_VERBS = TELL_VERBS | {"warn", "ask"}  # 'telling the council, “...”': the quotation after the person addressed
AUDIENCES = frozenset({"crowd", "audience", "rally", "reporter", "journalist", "supporter", "voter", "lawmaker",
                       "member", "delegate", "listener", "viewer", "reader", "student", "worker", "donor",
                       "interviewer", "host", "newspaper", "magazine", "station", "network", "committee",
                       "panel", "gathering", "group", "forum", "conference", "radio", "television", "paper"})


def _addressee(verb: Token, obj: Token) -> bool:
    """``obj`` of a telling verb names whom it was told to, not what was told."""
    if verb.lemma_.lower() not in TELL_VERBS or obj.dep_ not in ("dobj", "dative"):
        return False
    return (obj.pos_ in ("PRON", "PROPN") or obj.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
            or obj.lemma_.lower() in AUDIENCES)


def _bare_clauses(noun: Token) -> list[Token]:
    """'remind the audience he was the only one': a clause with no relative word that the
    parser hung on the audience is what was said."""
    return [r for r in noun.rights if r.dep_ == "relcl" and r.left_edge.tag_ not in WH_TAGS
            and r.left_edge.lower_ != "that"]


def _objects(verb: Token) -> list[Range]:
    """'denied the allegations', 'called Trump “dangerous”', 'talked about jobs'; not the
    audience of 'told the crowd'."""
    rights = [c for c in verb.rights if (c.dep_ in OBJECTS or c.dep_ in COMPLEMENTS) and not _bare_date(c)]
    heard = [c for c in rights if _addressee(verb, c)]
    rights = [c for c in rights if c not in heard] + [r for c in heard for r in _bare_clauses(c)]
    rights += [c for c in verb.rights if c.dep_ == "prep" and c.lower_ in ABOUT_PREPS and not _when(c)]
    if not rights:
        return []
    rights.sort(key=lambda t: t.i)
    end = max(clipped_subtree(c)[1] for c in rights)
    for child in verb.rights:  # 'cited X as an example of Y', 'present X in a speech Friday'
        if child.i <= rights[0].i or child.i < end:
            continue
        if _loose_modifier(child) or child.dep_ != "prep" or _when(child) or child.lower_ in CIRCUMSTANCE or _medium(child):
            break
        tail = _before_inner_cue(child, clipped_subtree(child))
        if not _plain_tail(verb.doc, end, tail):
            break
        end = tail[1]
    return [(rights[0].left_edge.i, end)]


DAY_WORDS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                       "today", "yesterday", "tonight"})


def _bare_date(tok: Token) -> bool:
    """'called Friday for X': a lone day or time the parser took for an object."""
    return tok.lower_ in DAY_WORDS and tok.left_edge.i == tok.right_edge.i == tok.i


def _before_inner_cue(child: Token, tail: Range) -> Range:
    """``child``'s phrase up to the part that holds a cue of its own: 'described the work as
    routine maintenance before later acknowledging that ...' ends at 'maintenance'."""
    doc = child.doc
    inner = min((c.head for c in doc._.cues or () if tail[0] <= c.head < tail[1] and c.head != child.i), default=None)
    if inner is None:
        return tail
    tok, cut = doc[inner], None
    while tok.i != child.i and tok.head.i != tok.i:
        if tok.dep_ in ("prep", "advcl", "acl", "relcl", "conj") and tok.left_edge.i > child.i:
            cut = tok.left_edge.i  # the highest such phrase on the way up
        tok = tok.head
    return (tail[0], cut) if tok.i == child.i and cut is not None else tail


def _plain_tail(doc: Doc, end: int, tail: Range) -> bool:
    """A phrase that may continue an object: no punctuation before it ('..., he said in a
    statement'), no line break in it (a headline's byline) and no cue of its own inside."""
    if any(t.is_punct for t in doc[end : tail[0]]) or "\n" in doc[end : tail[1]].text:
        return False
    return not any(end <= cue.head < tail[1] for cue in doc._.cues or ())


def _after_colon(doc: Doc, cue: Cue) -> list[Range]:
    """'said:' or 'added,' followed by a quotation or a sentence, maybe in the next paragraph.
    Unquoted speech after a colon runs on over the paragraph."""
    i, colon = cue.end, False
    while i < len(doc) and i - cue.end < 3 and (doc[i].text in (":", ",") or doc[i].is_space):
        colon = colon or doc[i].text == ":"
        i += 1
    if i >= len(doc) or i == cue.end and doc[cue.end - 1].text != ":":
        return []
    colon = colon or doc[cue.end - 1].text == ":"
    if doc[i].text not in QUOTE_MARKS and not colon:
        return []
    if colon and doc[i].text not in QUOTE_MARKS:  # 'added: A. B.' runs to the paragraph's end, as a colon cue does
        return [(i, doc.user_data["cg_para_ends"][i])]
    return [(i, doc.user_data["cg_sent_ends"][i])]


def _colon_closing(doc: Doc, cue: Cue, reach: int = 12) -> list[Range]:
    """'issued the following statement: “...”', 'went on to say: “...”', 'worded it more
    carefully: “...”': the cue's clause announces what follows its closing colon."""
    verb = doc[cue.head]
    end = doc.user_data["cg_sent_ends"][cue.head]
    colon = next((i for i in range(cue.end, min(end, cue.end + reach)) if doc[i].text == ":"), None)
    if colon is None or colon + 1 >= len(doc) or any(t.text in QUOTE_MARKS for t in doc[cue.end:colon]):
        return []
    if any(c.dep_ == "ccomp" and cue.end <= c.i < colon for c in verb.children):
        return []  # 'said the plan failed: ...' reports the plan; what follows is the writer's
    if verb.right_edge.i + 1 < colon:
        return []  # the colon closes another clause
    start = colon + 1
    while start < len(doc) and doc[start].is_space:
        start += 1
    return [(start, doc.user_data["cg_sent_ends"][start])] if start < len(doc) else []


def announced(doc: Doc, cue: Cue, sent_start: int) -> list[Range]:
    """'Asked about X, she said: “...”': a quotation or colon after the cue carries the
    content, not the unquoted clause before it (a quotation before it is the framing
    pattern '“A,” he said, “B.”', which the quotation widening handles)."""
    after = _after_colon(doc, cue) or _colon_closing(doc, cue) or _told_quote(doc, cue)
    if not after or any(t.text in QUOTE_MARKS for t in doc[sent_start : cue.start]):
        return []
    start, end = after[0]
    if doc[start].text in QUOTE_MARKS:  # the quotation, not what follows it: '“...,” until ...'
        end = next((t.i + 1 for t in doc[start + 1 : end] if t.text in QUOTE_MARKS), end)
    return [(start, end)]


def _told_quote(doc: Doc, cue: Cue) -> list[Range]:
    """'telling the council, “...”', 'warned reporters: “...”': the quotation after the
    person addressed is what was said to them."""
    verb = doc[cue.head]
    if verb.lemma_ not in QUOTED_TO_VERBS:
        return []
    obj = next((c for c in verb.rights if c.dep_ in ("dobj", "dative") and c.left_edge.i == cue.end), None)
    i = obj.right_edge.i + 1 if obj is not None else cue.end
    if obj is None or i + 1 >= len(doc) or doc[i].text not in (",", ":") or doc[i + 1].text not in QUOTE_MARKS:
        return []
    return [(i + 1, doc.user_data["cg_sent_ends"][i + 1])]


def that_mark(clause: Token) -> Token | None:
    """The 'that' introducing ``clause``, if any."""
    return next((g for g in clause.children if g.dep_ == "mark" and g.lower_ == "that"), None)


def _has_that(clause: Token) -> bool:
    return that_mark(clause) is not None


def _that_clause(tok: Token) -> Token | None:
    return next((c for c in tok.children if c.dep_ in ("acl", "ccomp", "relcl") and _has_that(c)), None)


def _statement_clause(verb: Token) -> list[Range]:
    """'said in a statement that X and that Y': the parse hangs the 'that' clause on the
    statement noun (and the second one on the verb). Only for verbs of saying: 'lends weight
    to the accusation that X' does not say X."""
    if verb.lemma_ not in CORE_VERBS:
        return []
    for prep in (c for c in verb.rights if c.dep_ == "prep"):
        noun = next((g for g in prep.children if g.dep_ == "pobj"), None)
        clause = _that_clause(noun) if noun is not None else None
        if clause is not None:
            end = clipped_subtree(clause)[1]
            more = [c for c in verb.rights if c.dep_ == "conj" and c.i >= end and _has_that(c)]
            return [(clause.left_edge.i, max([end] + [clipped_subtree(c)[1] for c in more]))]
    return []


def reduced_relative(verb: Token) -> tuple[Token, list[Range]] | None:
    """'The agency reported on Tuesday, citing officials, that X': a sentence the parser read
    as a noun phrase ('the agency [that] reported') whose root is the noun. The noun is the
    source, and a 'that' clause hanging on it after the verb is the content."""
    noun = verb.head
    if verb.dep_ != "acl" or noun.i > verb.i or verb.tag_ not in ("VBD", "VBN"):
        return None
    if noun.dep_ != "ROOT":
        # 'X (D), Y's opponent in the race, called for Z': the verb after the closing comma of
        # an apposition, hung on its last noun; the noun the apposition describes is the speaker
        if verb.tag_ == "VBD" and noun.ent_type_ == "PERSON" and noun.i == verb.i - 2 and _relative_before(noun):
            named: Token | None = noun  # 'which the chief executive, Tim Cook, called crap'
        else:
            named = _described_by_apposition(noun)
        if named is None or verb.doc[verb.i - 1].text != ",":
            return None
        noun = named
    clause = next((c for c in noun.rights if c.i > verb.i and _has_that(c)), None)
    return noun, ([clipped_subtree(clause)] if clause is not None else [])


def _relative_before(noun: Token) -> bool:
    """An object relative word ('which', 'whom') opens the clause whose subject phrase ends
    at ``noun``, with no finite verb between them."""
    doc = noun.doc
    for i in range(noun.i - 1, max(noun.i - 12, -1), -1):
        if doc[i].lower_ in ("which", "whom") and doc[i].tag_ in WH_TAGS:
            return True
        if doc[i].tag_ in FINITE or doc[i].text in (".", ";"):
            return False
    return False


def _described_by_apposition(tok: Token) -> Token | None:
    """The subject or root noun whose apposition holds ``tok`` ('X, Y's opponent in the race')."""
    through = False
    for _ in range(6):
        if tok.dep_ in ("ROOT", "nsubj") and tok.pos_ in ("NOUN", "PROPN"):
            return tok if through else None
        if tok.dep_ not in ("pobj", "prep", "appos", "poss", "compound") or tok.head is tok:
            return None
        through = through or tok.dep_ == "appos"
        tok = tok.head
    return None


def _passive_subject(verb: Token) -> list[Range]:
    """'The issue was first reported by the Post': the passive subject is the content; 'Both
    are seen as strong candidates': the subject and what it is seen as."""
    subj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if subj is None:
        return []
    if any(c.dep_ == "agent" for c in verb.children):
        return [clipped_subtree(subj)]
    said = next((c for c in verb.rights if c.dep_ == "oprd" or (c.dep_ == "prep" and _as_phrase(c))), None)
    return [clipped_subtree(subj), subtree_range(said)] if said is not None else []


def _as_phrase(prep: Token) -> bool:
    """'seen as X', not 'as well as'."""
    doc = prep.doc
    return prep.lower_ == "as" and "well" not in (doc[prep.i - 1].lower_, doc[min(prep.i + 1, len(doc) - 1)].lower_)


# verbs whose 'with' names the other side: 'disagrees with her former boss', 'sided with X'
WITH_VERBS = frozenset({"agree", "disagree", "concur", "side", "sympathize", "empathize", "differ", "argue",
                        "clash", "spar", "tussle", "quarrel", "feud", "respond", "reply", "answer", "retort", "counter"})


def _topic_prep(verb: Token, cue: Cue) -> list[Range]:
    """'warned against X', 'pointed to X', 'bristled at X', 'sided with X': a preposition right after the cue;
    'called for the allies to send troops': a for-clause the parser read as an adverbial one."""
    for child in verb.rights:
        topical = child.lower_ in TOPIC_PREPS or child.lower_ == "with" and verb.lemma_ in WITH_VERBS
        if child.dep_ == "prep" and topical and child.i <= cue.end + 1:
            objs = [g for g in child.children if g.dep_ in ("pobj", "pcomp")]
            if objs and not _when(child):
                return [(objs[0].left_edge.i, clipped_subtree(objs[0])[1])]
        if child.dep_ == "advcl" and child.left_edge.i == cue.end and child.left_edge.lower_ == "for" \
                and child.left_edge.dep_ == "mark" and any(c.dep_ in SUBJECTS for c in child.children):
            return [(child.left_edge.i + 1, clipped_subtree(child)[1])]
    return []


# passives whose subject still speaks, hears or holds the view: 'was quoted as saying',
# 'can be heard yelling', 'are convinced that X', 'are split on X'
HOLDER_PASSIVES = frozenset({"quote", "hear", "convince", "persuade", "concern", "worry", "please",
                             "disappoint", "satisfy", "surprise", "alarm", "encourage", "frustrate", "anger",
                             "assure", "split", "divide"})


def spoken_of(verb: Token) -> bool:
    """'Peacekeepers have been accused of X', 'the plan was criticized': the passive subject
    is who or what is spoken of; with no 'by' phrase the speaker goes unnamed."""
    if not any(c.dep_ == "auxpass" for c in verb.children) or verb.lemma_.lower() in HOLDER_PASSIVES:
        return False
    return any(c.dep_ == "nsubjpass" for c in verb.children)


def raised(verb: Token) -> bool:
    """'X is believed to Y', 'X seems to Y': the subject belongs to the content, not the source."""
    deps = {c.dep_ for c in verb.children}
    if verb.lemma_ in ("seem", "appear") and "nsubj" in deps and "xcomp" in deps:
        # 'the plan seems to have failed': the writer's impression; but in 'the minister
        # appeared to suggest that X' the minister still speaks
        comp = next(c for c in verb.children if c.dep_ == "xcomp")
        return not any(c.dep_ == "ccomp" for c in comp.children)
    return verb.lemma_ in RAISING and "nsubjpass" in deps and "xcomp" in deps


def _complement(verb: Token) -> Token | None:
    """The clause a cue takes: its ccomp or xcomp, or a 'that' clause the parser took for an
    adverbial ('reported, citing officials, that X')."""
    comp = next((c for c in verb.children if c.dep_ in COMPLEMENTS), None)
    after = next((c for c in verb.rights if c.dep_ in COMPLEMENTS and c.left_edge.i == verb.i + 1), None)
    if comp is not None and after is not None and comp.i < verb.i \
            and not any(t.text in QUOTE_MARKS for t in verb.doc[comp.left_edge.i : verb.i]):
        comp = after  # 'X — he reported earning Y': the clause the cue opens, not the one before it
    if comp is None:
        bare = verb.lemma_ in CORE_VERBS
        comp = next((c for c in verb.rights if c.dep_ == "advcl" and (_has_that(c) or (bare and _bare_clause(c, verb)))), None)
    return None if comp is not None and comp.dep_ == "xcomp" and comp.i < verb.i else comp


def _modal(verb: Token) -> bool:
    """A verb with a finite auxiliary or a modal ('would resign', 'does not know')."""
    return any(c.dep_ == "aux" and c.tag_ in (*FINITE, "MD") for c in verb.children)


def _bare_clause(clause: Token, verb: Token) -> bool:
    """'said after the vote he would resign': a finite clause with its own subject and no
    subordinating word, which the parser hung on the cue as an adverbial. A 'that' the
    parser took for a relative word ('tweeted in the night that X was ...') opens it too."""
    opener = clause.doc[clause.left_edge.i]
    that = opener.lower_ == "that" and opener.head.i == clause.i and opener.i > verb.i + 1
    linked = any((c.dep_ == "mark" or c.tag_ in WH_TAGS) and not (that and c.i == opener.i)
                 for c in clause.children)
    return (not linked and (_finite(clause) or _modal(clause))
            and any(c.dep_ in SUBJECTS and c.i < clause.i for c in clause.children))


def _run_on(doc: Doc, verb: Token, comp: Token, rng: Range) -> Range:
    """'found that attempts to X were made by Y': the parser split one reported clause into
    two complements of the cue, the second starting where the first ends (a comma or 'and'
    between them at most). The content runs on over the second."""
    if comp.dep_ != "ccomp":
        return rng
    for other in verb.rights:
        because = other.dep_ == "advcl" and doc[other.left_edge.i].lower_ == "because"
        if (other.dep_ != "ccomp" and not because) or other.i <= comp.i or other.left_edge.i < rng[1]:
            continue  # 'said X, because Y': the parser hangs the speaker's reason on the cue
        gap = doc[rng[1] : other.left_edge.i]
        if len(gap) > 2 or any(not (t.text == "," or t.dep_ == "cc") for t in gap):
            break
        rng = (rng[0], clipped_subtree(other)[1])
    return rng


def verb_content(doc: Doc, cue: Cue) -> list[Range]:
    verb = doc[cue.head]
    last = doc[cue.end - 1]
    if last.i != verb.i and last.pos_ == "VERB" and _complement(last) is not None:
        verb = last  # 'was quoted as saying X': X hangs off 'saying'
    comp = _complement(verb)
    if comp is not None and comp.i > verb.i and interrupts(verb):
        return _clause_before(doc, verb, cue)  # 'If it fails, she argues, there are other ways'
    if comp is not None and comp.i > verb.i and verb.dep_ == "parataxis" and verb.head.i < verb.i:
        tail = extraposed(doc, cue)  # 'The mayor is so rash, he said, that no one trusts her'
        if tail:
            return minus(subtree_range(verb.head), subtree_range(verb))[:1] + tail
    if comp is not None:
        rng = _run_on(doc, verb, comp, clipped_subtree(comp))
        mark = that_mark(comp)
        if mark is not None and mark.i > rng[0]:  # ', citing officials, that X': the clause opens at 'that'
            rng = (mark.i, rng[1])
        elif comp.dep_ == "advcl" and mark is None:  # 'said after the vote he would resign': the clause opens at its subject
            subj = next((c for c in comp.children if c.dep_ in SUBJECTS), None)
            rng = (subj.left_edge.i, rng[1]) if subj is not None else rng
        if comp.dep_ == "xcomp" and raised(verb):
            subj = next(c for c in verb.children if c.dep_ in ("nsubjpass", "nsubj"))
            return [subtree_range(subj), rng]  # 'X is believed to be Y'
        return [rng] + (extraposed(doc, cue) if comp.i < verb.i else [])
    if cue.vouched and any(c.dep_ == "dobj" for c in verb.children):
        return _objects(verb)  # 'rejecting a report that X': what is denied is the object
    found = (
        _clause_before(doc, verb, cue) or _split_root(doc, verb) or _statement_clause(verb) or _objects(verb) or _after_colon(doc, cue)
        or _passive_subject(verb) or _topic_prep(verb, cue) or _pro_clause(verb, cue) or _relative_as(verb)
        or _stray_that_clause(verb)
    )  # fmt: skip
    if _framing_only(doc, verb, found):
        return []
    return _with_passive_subject(verb, found)


def _framing_only(doc: Doc, verb: Token, found: list[Range]) -> bool:
    """'“...!” she said on Twitter', '“...?” he asked the mayor': after a quotation, a speech
    verb's lone phrase says where or to whom; the quotation framing finds what was said."""
    if len(found) != 1 or verb.lemma_ not in SPEECH_VERBS or not _after_quotation(verb):
        return False
    start, end = found[0]
    if doc[start].pos_ == "ADP":
        return True
    return verb.lemma_ in ADDRESS_VERBS and not any(t.pos_ in ("VERB", "AUX") for t in doc[start:end])


def _with_passive_subject(verb: Token, found: list[Range]) -> list[Range]:
    """'Two marches are planned for Monday', 'X has been criticized for Y': what a passive cue
    with no agent speaks of is content, before whatever follows the verb. A passive framed as
    a time or condition ('When the work was first reported, ...') is left alone."""
    subj = next((c for c in verb.lefts if c.dep_ == "nsubjpass"), None)
    framed = any(c.dep_ == "mark" or c.tag_ == "WRB" for c in verb.children)
    if subj is None or framed or not spoken_of(verb) or any(c.dep_ == "agent" for c in verb.children):
        return found
    if verb.lemma_.lower() in ADDRESS_VERBS:  # 'X was asked whether Y': X is who was asked, not what
        return found
    head = clipped_subtree(subj)
    return [head] + [r for r in found if r[0] >= head[1]]


def _after_quotation(verb: Token) -> bool:
    """The cue clause opens right after a closing quotation mark: '“...!” the senator said'."""
    doc = verb.doc
    i = _clause_start(verb) - 1
    while i >= 0 and (doc[i].is_space or doc[i].text == ","):
        i -= 1
    return i > 0 and doc[i].text in QUOTE_MARKS


RELATIVE_WORDS = frozenset({"which", "who", "whom", "that"})


def _relative_as(verb: Token) -> list[Range]:
    """'Florida, which he describes as his second home', 'the DNC, which is seen as close to
    her', 'engaging in what critics described as old tricks': the relative word and what it is
    described as."""
    free = verb.dep_ in ("pcomp", "ccomp", "dobj", "pobj")  # 'engaging in what critics described as X'
    if verb.dep_ != "relcl" and not free:
        return []
    words = {"what"} if verb.dep_ != "relcl" else RELATIVE_WORDS
    rel = next((c for c in verb.lefts if c.lower_ in words and c.dep_ in ("dobj", "nsubjpass")), None)
    said = [c for c in verb.rights if c.dep_ in ("oprd", "acomp", "attr") or c.dep_ == "prep" and c.lower_ == "as"]
    if rel is None or not said:
        return []
    return [(rel.i, rel.i + 1), subtree_range(said[0])]


# what opens an aside between a cue and its 'that' clause: 'reported, citing residents, that X'
_ASIDE_OPENERS = frozenset({"citing", "quoting", "according"})


def _stray_that_clause(verb: Token) -> list[Range]:
    """'The remarks came a day after the agency reported, citing residents, that X': the parser
    hung the 'that' clause on a word before the cue. A 'that' clause opening right after the
    cue, or after an aside between commas that cites its sources, is what the cue reports."""
    doc, end = verb.doc, verb.sent.end
    i = verb.i + 1
    if i + 1 < end and doc[i].text == "," and doc[i + 1].lower_ in _ASIDE_OPENERS:
        close = next((k for k in range(i + 2, min(end, i + 20)) if doc[k].text == ","), None)
        if close is None:
            return []
        i = close + 1
    if i >= end or doc[i].lower_ != "that" or doc[i].dep_ != "mark":
        return []
    clause = doc[i].head  # at times the cue's own head: 'reported' an adverbial of 'cancelled'
    if clause.i <= i or clause.i >= end:
        return []
    return [(i, min(clipped_subtree(clause)[1], end))]


PRO_CLAUSES = frozenset({"yes", "no", "so", "otherwise"})


def _pro_clause(verb: Token, cue: Cue) -> list[Range]:
    """'said yes', 'does not think so', 'said as much': words standing for the clause they answer."""
    doc = verb.doc
    if cue.end + 1 < len(doc) and doc[cue.end].lower_ == "as" and doc[cue.end + 1].lower_ == "much":
        return [(cue.end, cue.end + 2)]
    word = next((c for c in verb.rights if c.i == cue.end and c.lower_ in PRO_CLAUSES
                 and c.dep_ in ("intj", "advmod", "dobj", "attr", "ccomp")), None)
    return [(word.i, word.i + 1)] if word is not None else []


def _speakers_next_act(tok: Token) -> bool:
    """A verb the parser conjoined to a reported clause: the speaker's next act ('X said that A
    would B and called Y Z'), unless it shares the clause's perfect or passive auxiliary and so
    the clause's subject ('said investigators had boarded the ship and questioned the crew')."""
    reported = tok.head.dep_ == "ccomp" or tok.head.dep_ == "advcl" and tok.head.left_edge.lower_ == "that"
    if tok.dep_ != "conj" or not reported or tok.head.head.pos_ != "VERB":
        return False  # a 'that' clause the parser hung as an adverbial is still the reported one
    head = tok.head
    shared = head.tag_ == "VBN" and any(c.dep_ in ("aux", "auxpass") and c.lemma_ in ("have", "be") for c in head.children)
    own = any(c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass") for c in tok.children)
    return not (shared and not own and (tok.tag_ == "VBN" or tok.lower_.endswith(("ed", "en"))))


def cut_conjoined_cues(doc: Doc, cue: Cue, ranges: list[Range]) -> list[Range]:
    """'X said that A would B and called Y Z', 'said A but declined to comment': a second cue
    the parser joined to the reported clause is X's next act, not part of what X said."""
    out = []
    for s, e in ranges:
        for other in doc._.cues or ():
            tok = doc[other.head]
            if other.head != cue.head and s < tok.i < e and _speakers_next_act(tok):
                cut = tok.left_edge.i
                while cut > s and (doc[cut - 1].dep_ == "cc" or doc[cut - 1].is_punct):
                    cut -= 1
                e = min(e, cut)
        if e > s:
            out.append((s, e))
    return out


def adverb_content(doc: Doc, cue: Cue) -> list[Range]:
    """'The plan reportedly includes X': the clause the adverb modifies, minus the adverb."""
    adv = doc[cue.head]
    return minus(clipped_subtree(adv.head), (adv.i, adv.i + 1)) if adv.head is not adv else []


def noun_agent(noun: Token) -> Token | None:
    """Whose statement a noun cue is: 'the mayor's claim', 'the decision by the board to X'
    (before a compound: 'the surprise decision by the board'), 'the union claim',
    'European reluctance to X'."""
    kids = list(noun.children)
    by = next((g for c in kids if c.dep_ == "prep" and c.lower_ in ("by", "from") for g in c.children if g.dep_ == "pobj"), None)
    return (
        next((c for c in kids if c.dep_ == "poss"), None) or by or made_by(noun)
        or next((c for c in kids if c.dep_ == "compound"), None)
        or next((c for c in noun.lefts if c.dep_ == "amod" and c.ent_type_ in ("NORP", "GPE", "ORG")), None)
        or _described(noun)
    )  # fmt: skip


def _described(noun: Token) -> Token | None:
    """A noun that describes someone as its maker: 'Ann Lee, a fierce critic of X',
    'Ann Lee is a fierce critic of X', 'A fierce critic of X, Ann Lee said ...'."""
    head = noun.head
    if noun.dep_ == "appos" and head.pos_ in ("PROPN", "PRON", "NOUN"):
        return head
    if noun.dep_ in ("attr", "npadvmod") and head.pos_ in ("VERB", "AUX"):
        if noun.dep_ == "npadvmod" and noun.i > head.i:
            return None
        return next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if noun.dep_ == "pobj" and head.lower_ == "with" and head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX"):
        # 'stirred controversy with an assertion that X', 'responded with chants of X': the
        # subject made the statement it acted with
        return next((c for c in head.head.children if c.dep_ == "nsubj"), None)
    return None


def noun_content(doc: Doc, cue: Cue) -> list[Range]:
    """'a report that X', 'the claim that X'."""
    noun = doc[cue.head]
    clause = _that_clause(noun)
    if clause is None:  # 'its decision to close the pier', 'his promise to cut fares'
        clause = next((c for c in noun.rights if c.dep_ == "acl" and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)), None)
    if clause is not None and clause.i > noun.i:
        return [subtree_range(clause)]
    return _noun_topic(noun) or _copular_statement(noun)


def _copular_statement(noun: Token) -> list[Range]:
    """'Her view is that the pier is safe', 'his advice was to wait': the clause the noun is
    equated with is what it holds."""
    verb = noun.head
    if noun.dep_ != "nsubj" or verb.lemma_ != "be" or verb.i < noun.i:
        return []
    clause = next((c for c in verb.rights if c.dep_ in COMPLEMENTS), None)
    return [clipped_subtree(clause)] if clause is not None else []


# what a statement noun is about: 'criticism of X', 'doubts about X', 'attacks on X',
# 'support for X', 'a backlash against X', 'a row over X'
NOUN_TOPIC_PREPS = frozenset({"of", "about", "on", "for", "against", "over"})


def _noun_topic(noun: Token) -> list[Range]:
    """'the sharp criticism of the plan', 'doubts about the deal': the preposition's object
    right after the noun is what the statement is about."""
    prep = next((c for c in noun.rights if c.dep_ == "prep"), None)
    if prep is None or prep.lower_ not in NOUN_TOPIC_PREPS or prep.i != noun.i + 1 or _when(prep):
        return []
    obj = next((g for g in prep.children if g.dep_ in ("pobj", "pcomp")), None)
    return [(obj.left_edge.i, clipped_subtree(obj)[1])] if obj is not None else []


def according_content(doc: Doc, cue: Cue) -> tuple[list[Range], Token | None]:
    """'X, according to Y' -> the clause around the phrase, and Y."""
    acc = doc[cue.head]
    to = doc[cue.head + 1]
    src = next((c for c in to.children if c.dep_ == "pobj"), None)
    if src is None:
        src = next((c for c in acc.children if c.dep_ == "pobj"), None)
    if src is None:  # 'according to show insiders' with 'show' read as a verb
        src = next((c for c in to.children if c.dep_ == "pcomp" and c.i == to.i + 1), None)
    clause = acc.head if acc.head is not acc else acc
    while clause.dep_ not in ("ROOT",) and clause.head is not clause and clause.pos_ not in ("VERB", "AUX"):
        clause = clause.head
    while clause.dep_ == "ccomp" and acc.i > clause.head.i and _is_cue(doc, clause.head):
        # 'Data shows X rose, according to Y': the phrase closing the sentence covers the
        # whole sentence, not only the clause it was attached to
        clause = clause.head
    own = subtree_range(acc)
    ranges = minus(subtree_range(clause), own)
    if ranges and ranges[-1][0] == own[1] and all(t.pos_ in ("PROPN", "PUNCT", "SPACE") for t in doc[own[1] : ranges[-1][1]]):
        ranges = ranges[:-1]  # 'according to the chair, Ann Lee.': the name the parser hung elsewhere
    if not ranges and src is not None:  # 'According to Y, X.' parsed with X inside the phrase
        comma = next((t for t in doc[src.i + 1 : own[1]] if t.text == ","), None)
        if comma is not None:
            ranges = [(comma.i + 1, own[1])]
    return ranges, src


def _is_cue(doc: Doc, tok: Token) -> bool:
    return any(c.head == tok.i and c.kind == "verb" for c in doc._.cues or ())


TOPIC_HEADS = frozenset({"comment", "response", "respond", "request", "question", "questions", "inquiry"})


def _topic(tokens: list[Token]) -> Token | None:
    """'on X', 'about X', 'in response to X': what the refusal is about."""
    for tok in tokens:
        if tok.dep_ == "prep" and tok.lower_ in ("on", "about", "to", "regarding") and (
            tok.head.lemma_.lower() in TOPIC_HEADS or tok.head.lemma_ in ("decline", "refuse")
        ):
            pobj = next((g for g in tok.children if g.dep_ == "pobj"), None)
            if pobj is not None and pobj.lemma_.lower() not in TOPIC_HEADS and not _when(tok):
                return pobj
    return None


def question_put(verb: Token) -> Token | None:
    """The 'asked about X' clause on ``verb`` or on its subject: the question put to the source."""
    subj = next((c for c in verb.children if c.dep_ in SUBJECTS), None)
    near = [verb.head, *verb.children, *(subj.children if subj is not None else [])]
    return next((c for c in near if c.i != verb.i and put_question(c)), None)


def question_range(question: Token) -> Range:
    """'asked about the pier' up to the comma that closes it."""
    doc = question.doc
    end = question.right_edge.i + 1
    return question.i, next((t.i for t in doc[question.i + 1 : end] if t.text == ","), end)


def refusal_parts(doc: Doc, cue: Cue) -> tuple[list[Range], Token | None]:
    """'X declined to comment on Y' -> Y, X; 'no comment from X on Y' -> Y, X."""
    head = doc[cue.head]
    src = subject_of(head)
    scope = head.head if head.dep_ in ("attr", "dobj", "nsubj") else head
    tokens = list(scope.subtree)
    for tok in tokens:
        if tok.dep_ == "prep" and tok.lower_ == "from" and tok.head.i in range(cue.start, cue.end):
            src = next((g for g in tok.children if g.dep_ == "pobj"), src)
    topic = _topic(tokens)
    if topic is None:  # 'declined to say whether X', 'would not say how X': the question is the topic
        verb = doc[cue.end - 1]
        clause = next((c for c in verb.children if c.dep_ in ("ccomp", "dobj") and c.i >= cue.end), None) or withheld_advcl(verb)
        if clause is not None:
            return [subtree_range(clause)], src
        question = question_put(head)  # 'Asked about X, she declined to comment': what was asked
        return ([question_range(question)] if question is not None else []), src
    return [subtree_range(topic)], src


NP_POS = frozenset({"PROPN", "NOUN", "PRON", "DET", "ADJ", "NUM"})
AFTER_CUE_POS = frozenset({"PROPN", "NOUN", "ADV", "ADP", "DET", "NUM"})  # 'said Wednesday in a statement'


def _np_before(doc: Doc, i: int) -> int | None:
    """Start of the noun phrase that ends right before token ``i`` ('..., Defense Secretary Shapps said')."""
    j = i
    while j > 0 and i - j < 8 and (doc[j - 1].pos_ in NP_POS or doc[j - 1].dep_ == "compound" or doc[j - 1].tag_ == "POS"):
        j -= 1
    return j if j < i and any(t.pos_ in ("PROPN", "NOUN", "PRON") for t in doc[j:i]) else None


def _ends_clause(doc: Doc, cue: Cue) -> bool:
    """The cue closes its clause: only a few adverbials before ',' or '.'."""
    i = cue.end
    while i < len(doc) and i - cue.end < 5 and doc[i].pos_ in AFTER_CUE_POS and not doc[i].is_punct:
        i += 1
    return i >= len(doc) or doc[i].text in (",", ".", ";", "\u2014") or doc[i].is_space


def surface_before(doc: Doc, cue: Cue, sent_start: int) -> tuple[list[Range], Range] | None:
    """'<clause>, <noun phrase> <cue>[ Wednesday],': the content-before pattern read off the
    surface, for the parses that attach the cue somewhere odd."""
    np_start = _np_before(doc, cue.start)
    if np_start is None or np_start - 1 <= sent_start or doc[np_start - 1].text not in (",",) + tuple(QUOTE_MARKS):
        return None
    if not _ends_clause(doc, cue):
        return None
    comma = np_start - 1
    if not any(t.pos_ in ("VERB", "AUX") for t in doc[sent_start:comma]):
        return None  # 'On Monday, X criticized ...': a fronted adverbial, not a statement
    end = comma if doc[comma].text == "," else comma + 1
    if doc[comma].text in QUOTE_MARKS and comma > 0 and doc[comma - 1].text == ",":
        end = comma + 1
    return [(sent_start, end)], (np_start, cue.start)
