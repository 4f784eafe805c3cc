"""One surface mention (a spaCy span) -> ``Ref``: what kind of actor it names, before context.

``analyse(span, known)`` reads a source mention such as "British Defense Secretary Grant
Shapps", "Shapps", "He", "the Kremlin", "China's embassy in London", "senior anonymous U.S.
officials", "that report" or "he and Xi" and returns a ``Ref`` with the kind (person, place,
org, anon, group, pronoun, anaphor, joint, unknown), the name it carries, and the role and
affiliation read from modifiers and appositions. Pronouns and anaphors are left for
``coref`` to bind; ``known`` holds the article's person names so that "Shapps" is a person.
"""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Span, Token

from . import metonyms
from .anonymous import ANON_NOUNS, anonymous_ref, collective_ref
from .ref import Ref

TITLES = frozenset(["mr", "mrs", "ms", "miss", "dr", "col", "gen", "lt", "sgt", "adm", "maj", "capt", "sir", "dame", "prof", "rep", "sen", "gov", "rev"])
ROLE_WORDS = frozenset(["secretary", "minister", "adviser", "advisor", "spokesman", "spokeswoman", "spokesperson", "president", "chancellor", "director", "ambassador", "chief", "commissioner", "envoy", "official", "officer", "premier", "governor", "senator", "general", "colonel", "head", "leader", "chairman", "chairwoman", "chair", "deputy", "vice", "prime", "foreign", "defense", "defence", "national", "security", "interior", "state", "finance", "trade", "press", "commander", "analyst", "researcher", "lawyer", "mayor", "king", "queen", "pope", "ministry", "commission", "department", "office", "agency", "spokespeople", "representative", "lieutenant", "sergeant", "captain", "admiral", "major", "professor", "economist", "expert", "correspondent", "editor", "reporter", "founder", "executive", "ceo", "manager", "counsel", "judge", "attorney", "prosecutor", "inspector", "detective", "superintendent", "constable", "sheriff", "marshal", "councillor", "councilor", "councilman", "councilwoman", "congressman", "congresswoman", "alderman"])
ORG_NOUNS = frozenset(["ministry", "commission", "department", "office", "agency", "newspaper", "group", "company", "firm", "institute", "centre", "center", "bureau", "council", "service", "wire", "university", "party", "bank", "court", "initiative", "authority", "alliance", "union", "federation", "association", "coalition", "organisation", "organization"])
# the last word of a business's name: "Brannholz Pharma", "Murmur Labs", "Istok Metals", "Acme Ltd"
BUSINESS_WORDS = frozenset(["pharma", "pharmaceuticals", "labs", "laboratories", "contracting", "construction", "metals",
                            "mining", "holdings", "industries", "technologies", "systems", "energy", "airlines",
                            "airways", "motors", "shipping", "logistics", "security", "partners", "foods", "steel",
                            "petroleum", "chemicals", "telecom", "inc", "ltd", "corp", "corporation", "plc", "gmbh",
                            "llc"])
FEMALE = frozenset(["ms", "mrs", "miss", "dame", "spokeswoman", "chairwoman"])
MALE = frozenset(["mr", "sir", "spokesman", "chairman"])
PRONOUNS = {"he": ("m", "sing"), "she": ("f", "sing"), "they": (None, "plur"), "it": (None, "sing"),
            "we": (None, "plur")}
ANAPHOR_NOUNS = frozenset(["report", "agency", "newspaper", "outlet", "paper", "wire", "broadcaster", "bloc", "group", "ministry", "company", "firm", "government", "embassy", "alliance", "organisation", "organization"])
NEWS_NOUNS = ("news agency", "newspaper", "news service", "broadcaster", "wire service", "agency")
INSTITUTIONS = frozenset(["embassy", "ministry", "government", "office", "mission", "consulate", "administration", "cabinet", "army", "military", "navy", "delegation", "presidency", "parliament"])


def low(tok: Token) -> str:
    return tok.text.lower().rstrip(".")


def is_name_token(tok: Token) -> bool:
    """A capitalised proper-name token that is not a role word, title or place."""
    if not tok.text[:1].isupper() or tok.is_stop or not tok.is_alpha:
        return False
    if tok.is_sent_start and tok.pos_ != "PROPN":  # "Officials said ...": capital by position only
        return False
    if tok.ent_type_ in ("DATE", "TIME"):  # "January", "Tuesday"
        return False
    if tok.pos_ not in ("PROPN", "NOUN", "ADJ", "VERB", "X") and tok.ent_type_ != "PERSON":
        return False
    return low(tok) not in ROLE_WORDS and low(tok) not in TITLES and metonyms.lookup(tok.text) is None


def _hyphen_joins(tok: Token) -> bool:
    """``tok`` is a hyphen inside a name ("Dan-Baba", "Jean-Pierre"): written without spaces,
    between two name tokens, the second capitalised. "Kremlin-backed" is not one."""
    if tok.text != "-" or tok.i == 0 or tok.i + 1 >= len(tok.doc):
        return False
    left, right = tok.nbor(-1), tok.nbor(1)
    return not left.whitespace_ and not tok.whitespace_ and (is_name_token(left) or _particle(left)) \
        and is_name_token(right)


# lower-case particles that open the second part of a hyphenated surname ("al-Mutairi", "el-Sayed")
NAME_PARTICLES = frozenset(["al", "el", "ad", "ash", "as", "ibn", "bin", "abu", "ul"])


def _particle(tok: Token) -> bool:
    """``tok`` is a surname particle joined by a hyphen to a name: "al" in "Faisal al-Mutairi"."""
    if tok.lower_ not in NAME_PARTICLES or tok.whitespace_ or tok.i + 2 >= len(tok.doc):
        return False
    hyphen, right = tok.nbor(1), tok.nbor(2)
    return hyphen.text == "-" and not hyphen.whitespace_ and is_name_token(right)


def name_width(run: list[Token]) -> int:
    """Words in a name run, a hyphenated name counting once ("Halima Dan-Baba": 2). A run of
    ``name_runs`` holds a hyphen only where it joins the two name tokens around it."""
    return len(run) - 2 * sum(1 for t in run if t.text == "-")


def name_runs(span: Span) -> list[list[Token]]:
    """Maximal runs of name tokens in a span ("Grant Shapps", "Meridian Wire", "Halima Dan-Baba").
    A hyphen joins two name tokens into one name, or a surname particle to a name after a first
    name ("Faisal al-Mutairi"); a name token before any other hyphen ("Kremlin-backed") ends the
    run without it."""
    runs: list[list[Token]] = []
    cur: list[Token] = []
    for tok in span:
        nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
        ends_before_hyphen = nxt is not None and nxt.text == "-" and not _hyphen_joins(nxt)
        if (is_name_token(tok) and not ends_before_hyphen) or (cur and (_hyphen_joins(tok) or _particle(tok))):
            cur.append(tok)
            continue
        if cur:
            runs.append(cur)
        cur = []
    if cur:
        runs.append(cur)
    return runs


def text_of(tokens: list[Token]) -> str:
    if not tokens:
        return ""
    doc = tokens[0].doc
    return doc[tokens[0].i: tokens[-1].i + 1].text


def _pronoun(span: Span) -> Ref | None:
    words = [t for t in span if not t.is_punct]
    if len(words) == 1 and words[0].text.lower() in PRONOUNS:
        gender, number = PRONOUNS[words[0].text.lower()]
        return Ref("pronoun", words[0].text.lower(), number=number, gender=gender, rule="pronoun")
    return None


def split_and(span: Span) -> list[Span]:
    """'he and Xi' -> ['he', 'Xi']; a span without one inner coordinating 'and' -> []. The 'and'
    must coordinate the mention's head: one inside a modifier ("the Ministry of Human Resources
    and Social Development", "a spokesman for the Ministry of Trade and Industry") is part of a name."""
    cut = [t for t in span if t.lower_ == "and" and t.dep_ == "cc"]
    if len(cut) != 1 or cut[0].i == span.start or cut[0].i == span.end - 1 or cut[0].head.i != span.root.i \
            or _inside_name(cut[0]):
        return []
    doc = span.doc
    return [doc[span.start: cut[0].i], doc[cut[0].i + 1: span.end]]


def _inside_name(conj: Token) -> bool:
    """The 'and' of "Ministry of Fisheries and Ocean Resources": capitalised words on both sides,
    and only capitalised words back to an 'of' that follows a capitalised word. The parser often
    hangs such an 'and' on the body's head; "officials of Britain and France" joins two places."""
    doc = conj.doc
    if conj.i + 1 >= len(doc) or not doc[conj.i + 1].is_title or metonyms.lookup(doc[conj.i + 1].text):
        return False
    k = conj.i - 1
    while k > 0 and doc[k].is_title:
        k -= 1
    return k < conj.i - 1 and doc[k].lower_ == "of" and k > 0 and doc[k - 1].is_title


def _joint(span: Span, known: set[str]) -> Ref | None:
    """'he and Xi', 'Britain and France' -> a joint Ref of the coordinated parts."""
    sides = split_and(span)
    if not sides:
        return None
    parts = (analyse(sides[0], known), analyse(sides[1], known))
    if parts[0].kind == "pronoun" and sides[1][0].lower_ in ("his", "her", "their", "its") \
            and parts[1].kind in ("unknown", "group", "anon"):
        return parts[0]  # 'She and her aides': the person and their own people speak as the person
    if any(p.kind in ("unknown", "anon", "group") for p in parts):
        return None
    return Ref("joint", "", "group", number="plur", rule="coordination", parts=parts)


def _longest_place(tokens: list[Token], i: int) -> tuple[metonyms.Place | None, int]:
    """Longest place name starting at tokens[i] -> (place, tokens used)."""
    for n in (3, 2, 1):
        if i + n <= len(tokens):
            found = metonyms.lookup(text_of(tokens[i: i + n]))
            if found is not None:
                return found, n
    return None, 1


def places_in(tokens: list[Token]) -> list[tuple[metonyms.Place, list[Token]]]:
    out = []
    i = 0
    while i < len(tokens):
        place, n = _longest_place(tokens, i)
        if place is not None:
            out.append((place, tokens[i: i + n]))
        i += n
    return out


def role_of(tokens: list[Token], skip: set[int]) -> str | None:
    """The run of modifier words holding a role word ("Defense Secretary", "spokesman")."""
    runs: list[list[Token]] = [[]]
    for tok in tokens:
        if tok.i in skip or tok.is_punct or tok.pos_ in ("DET", "ADP", "PART", "PRON", "CCONJ", "NUM") \
                or low(tok) in TITLES or tok.text.lower() in ("'s", "born"):
            runs.append([])
            continue
        runs[-1].append(tok)
    for run in runs:
        if any(low(t) in ROLE_WORDS for t in run):
            return text_of(run)
    return None


def extended(span: Span) -> list[Token]:
    """The span plus the appositions of its head inside the same sentence."""
    toks = list(span)
    seen = {t.i for t in toks}
    for tok in span:
        for child in tok.children:
            if child.dep_ == "appos" and child.i not in seen:
                toks += [t for t in child.subtree if t.i not in seen]
                seen |= {t.i for t in child.subtree}
    return sorted(toks, key=lambda t: t.i)


def _gender(tokens: list[Token]) -> str | None:
    words = {low(t) for t in tokens}
    return "f" if words & FEMALE else "m" if words & MALE else None


def _affiliation(tokens: list[Token], name_idx: set[int]) -> tuple[str | None, set[int]]:
    used: set[int] = set()
    aff = None
    for place, toks in places_in([t for t in tokens if t.i not in name_idx]):
        used |= {t.i for t in toks}
        aff = aff or place.name
    if aff is None:
        aff = _org_after(tokens, name_idx)
    return aff, used


def _org_after(tokens: list[Token], name_idx: set[int]) -> str | None:
    """'a spokesman for the Kremlin', 'a researcher at the Harwell Centre ...' -> that body."""
    for tok in tokens:
        if tok.lower_ in ("for", "at", "of") and tok.i not in name_idx:
            obj = [t for t in tok.children if t.dep_ == "pobj"]
            # a body, by name or by kind ("the ministry"); not "owner of the vessel", "head of research"
            if obj and (any(t.pos_ == "PROPN" for t in obj[0].subtree)
                        or obj[0].lemma_.lower() in ORG_NOUNS | INSTITUTIONS):
                sub = [t for t in obj[0].subtree if t.pos_ != "DET"]
                cut = next((k for k, t in enumerate(sub) if t.lower_ in ("in", ",")), len(sub))
                place = metonyms.lookup(text_of(sub[:cut]))
                return place.name if place else text_of(sub[:cut]) or None
    return None


def person_ref(span: Span, run: list[Token], rule: str) -> Ref:
    """A name run inside a mention -> person Ref with role, affiliation and gender."""
    toks = extended(span)
    idx = {t.i for t in run}
    aff, used = _affiliation(toks, idx)
    role = role_of(toks, idx | used)
    return Ref("person", text_of(run), "person", role=role, affiliation=aff,
               gender=_gender(toks), rule=rule)


def _trim(run: list[Token]) -> list[Token]:
    """Keep the PERSON-tagged part of a run ("Detective Superintendent Anna Koivisto")."""
    idx = [k for k, t in enumerate(run) if t.ent_type_ == "PERSON"]
    return run[idx[0]: idx[-1] + 1] if idx else run


def _person(span: Span, known: set[str]) -> Ref | None:
    # a known name the tagger misread ("Vesely" as an adverb after a quote) still counts
    runs = [_trim(r) for r in name_runs(span)] or [[t] for t in span if t.text in known and t.is_title]
    for run in runs:
        if (text_of(run) in known or run[-1].text in known) and not _names_an_org(run):
            return person_ref(span, run, "person name known in article")
    for run in runs:
        if any(t.ent_type_ == "PERSON" for t in run) and not _names_an_org(run):
            return person_ref(span, run, "person name (NER)")
    head_run = next((r for r in runs if span.root in r), None)
    if head_run is not None and name_width(head_run) >= 2 and _who_clause(span) and not _names_an_org(head_run) \
            and metonyms.lookup(text_of(head_run)) is None:
        return person_ref(span, head_run, "name a 'who' clause describes")
    toks = extended(span)
    if span.root.lemma_.lower() in ORG_NOUNS:
        return None
    if not _org_ent(span) and len(runs) == 1 and 2 <= name_width(runs[0]) <= 3 and len(span) <= len(runs[0]) + 1 \
            and not _names_an_org(runs[0]):
        return person_ref(span, runs[0], "bare two- or three-word name, not tagged an organisation")
    for run in runs:
        role = role_of(toks, {t.i for t in run}) or ""
        if metonyms.lookup(text_of(run)) is not None or _names_an_org(run):  # where or which body, not who
            continue
        if name_width(run) >= 2 and (_gender(toks) or set(role.lower().split()) - ORG_NOUNS):
            return person_ref(span, run, "name with a person's role or title")
    return None


_VOICES = frozenset(["spokesperson", "spokesman", "spokeswoman", "office"])


def _office_of(span: Span, known: set[str]) -> Ref | None:
    """'A spokesperson for U.S. Trade Representative Harlan Voss', 'the office of Trade
    Representative Harlan Voss' -> the office of that role ("Office of the U.S. Trade
    Representative"): what a spokesperson or an office says is the office's, not the
    holder's own words. Needs the role before the name; else None."""
    root = span.root
    if root.lemma_.lower() not in _VOICES:
        return None
    for prep in (c for c in root.children if c.dep_ == "prep" and c.lower_ in ("for", "of") and c.i > root.i):
        for obj in (c for c in prep.children if c.dep_ == "pobj"):
            words = [t for t in obj.subtree if not t.is_punct and t.pos_ != "DET"]
            names = [k for k, t in enumerate(words) if is_name_token(t) and (t.ent_type_ == "PERSON" or t.text in known)]
            if not names:  # an untagged name after the role: "Trade Representative | Harlan Voss"
                last_role = max((k for k, t in enumerate(words) if low(t) in ROLE_WORDS), default=-1)
                tail = words[last_role + 1:]
                if not 2 <= len(tail) <= 3 or not all(is_name_token(t) for t in tail):
                    return None
                names = [last_role + 1]
            first = names[0]  # the name starts where the role words end ("... Representative | Harlan Voss")
            while first > 0 and is_name_token(words[first - 1]) and low(words[first - 1]) not in ROLE_WORDS:
                first -= 1
            role = words[:first]
            if not role:
                return None
            if not any(low(t) in ROLE_WORDS for t in role) or low(role[-1]) in TITLES:
                return None
            place = next((p for p in (metonyms.lookup(t.text) for t in role) if p is not None), None)
            name = f"Office of the {text_of(role)}"
            return Ref("org", name, "organization", role=root.lemma_.lower(),
                       affiliation=place.name if place else None, rule=f"speaks for the office: {name}")
    return None


def _names_an_org(run: list[Token]) -> bool:
    """The name modifies an organisation noun ("the Meridian Wire news agency", "the Lowy Institute")
    or ends as a business's name does ("Brannholz Pharma", "Murmur Labs"), also when the business
    word is one a role may hold and so ended the run ("Corvane | Security", as "Security Minister")."""
    last = run[-1]
    head = last.head if last.dep_ in ("compound", "nmod", "poss") else last
    return head.i != last.i and (head.lemma_.lower() in ORG_NOUNS or low(head) in BUSINESS_WORDS) \
        or last.lemma_.lower() in ORG_NOUNS or low(last) in BUSINESS_WORDS


def _possessive_place(span: Span) -> Ref | None:
    """"China's embassy in London", "Kazakhstan's foreign ministry" -> the possessor state; "the
    labour ministry in Kathmandu" -> the state whose capital seats it."""
    root = span.root
    if root.lemma_.lower() not in INSTITUTIONS:
        return None
    for child in root.children:
        if child.dep_ in ("poss", "compound", "amod", "nmod"):
            # within the mention: a headline the parser glued on ("Boat Row \n\n Peru's ...") is not part of it
            place = metonyms.lookup(text_of([t for t in child.subtree if t.i >= span.start]).removesuffix("'s").strip())
            if place is not None:
                return Ref("place", place.name, place.type, rule=place.rule + f" ({root.lemma_} of)")
    if root.lemma_.lower() in _POSTED_ABROAD:  # "the Spanish embassy in Buenos Aires" is not Argentina's
        return None
    for prep in (c for c in root.children if c.dep_ == "prep" and c.lower_ == "in"):
        for obj in (g for g in prep.children if g.dep_ == "pobj"):
            place = metonyms.lookup(text_of(list(obj.subtree)))
            if place is not None:  # "the labour ministry in Kathmandu": seated in its capital
                return Ref("place", place.name, place.type, rule=place.rule + f" ({root.lemma_} in)")
    return None


# institutions that sit in another state's capital: where they are says nothing of whom they speak for
_POSTED_ABROAD = frozenset(["embassy", "consulate", "mission", "delegation"])

# a state's services that speak as themselves, unlike its ministries and embassies (``INSTITUTIONS``):
# news names them by the state's adjective ("the Argentine Coast Guard", "Finnish police")
NATIONAL_BODIES = ("coast guard", "coastguard", "border guard", "border police", "national guard", "police",
                   "air force", "armed forces")


def after_break(span: Span) -> Span:
    """The part of a span after its last line break: a headline the parser glued onto a noun
    chunk ("... Patagonia \n\n Argentina's coast guard") is not part of it."""
    breaks = [t.i for t in span if t.is_space and "\n" in t.text]
    return span.doc[breaks[-1] + 1: span.end] if breaks else span


def national_body(span: Span) -> Ref | None:
    """"Argentina's coast guard", "the Peruvian coast guard" -> the body 'Argentine Coast Guard',
    'Peruvian Coast Guard': a state's service, named by the state's adjective."""
    words = [t for t in after_break(span) if not t.is_punct and t.pos_ != "DET"]
    lowered = [t.lower_ for t in words]
    for body in NATIONAL_BODIES:
        n = len(body.split())
        if lowered[-n:] != body.split() or len(words) == n:
            continue
        place = metonyms.lookup(text_of(words[:-n]))
        if place is None or place.type != "country":
            return None
        name = f"{metonyms.adjective(place.name)} {body.title()}"
        return Ref("org", name, "organization", rule=f"{place.name}'s {body} ({place.rule})")
    return None


def _whole_place(span: Span) -> Ref | None:
    """The whole mention is a place or seat, maybe after place modifiers ("U.S. State Department")."""
    words = [t for t in span if not t.is_punct and t.pos_ != "DET"]
    for i in range(len(words)):
        place = metonyms.lookup(text_of(words[i:]))
        if place is not None and all(metonyms.lookup(t.text) for t in words[:i]):
            return Ref("place", place.name, place.type, rule=place.rule)
    return None


def _anaphor(span: Span) -> Ref | None:
    root = span.root
    dets = {c.lower_ for c in root.children if c.dep_ == "det"}
    if root.lemma_.lower() in ANAPHOR_NOUNS and dets & {"the", "that", "this"} and not name_runs(span):
        return Ref("anaphor", root.lemma_.lower(), rule=f"definite description '{span.text}'")
    return None


def _org_ent(span: Span) -> list[Token]:
    # the body the mention is headed by, not one its relative clause names ("Corvane Security,
    # which was hired by the National Health Authority ...")
    clauses = _clauses(span)
    ents = [e for e in span.ents if e.label_ in ("ORG", "FAC", "NORP") and any(is_name_token(t) for t in e)
            and e.start not in clauses]
    if not ents:
        return []
    # "The" opening a name is tagged a proper noun at times: drop articles by word, too; and the
    # possessive the tagger may take in ("the National Health Authority's chief executive")
    return [t for t in max(ents, key=len) if t.pos_ != "DET" and t.lower_ not in ("the", "a", "an")
            and t.tag_ != "POS" and t.lower_ not in ("'s", "\u2019s")]


_GROUP_PREPS = ("from", "of", "in")


def _people_from(span: Span) -> Ref | None:
    """"Fishermen from the nearby island of Palawan" -> the group 'Palawan fishermen', not
    Palawan: a plural common noun that a name after it places or defines is those people,
    named by the last name run, not that name."""
    root = span.root
    lemma = root.lemma_.lower()
    if root.pos_ != "NOUN" or root.tag_ not in ("NNS", "NNPS") or lemma in ORG_NOUNS or lemma in INSTITUTIONS:
        return None
    for prep in root.children:
        if prep.dep_ != "prep" or prep.lower_ not in _GROUP_PREPS or prep.i < root.i:
            continue
        runs = name_runs(span.doc[prep.i + 1: prep.right_edge.i + 1])
        if not runs:
            continue
        where = text_of(runs[-1])
        place = metonyms.lookup(where)
        label = metonyms.adjective(place.name) if place else where
        return Ref("group", f"{label} {root.lower_}", "group", role=lemma,
                   affiliation=place.name if place else where, number="plur",
                   rule=f"people placed by the name after them: {where}")
    return None


def _who_clause(span: Span) -> bool:
    """'Annelies Verhoef, who chairs the committee': a relative clause on 'who' describes a person."""
    return any(c.dep_ == "relcl" and any(g.lower_ in ("who", "whom") and g.dep_ in ("nsubj", "nsubjpass", "dobj")
                                         for g in c.children)
               for c in span.root.children)


def _clauses(span: Span) -> set[int]:
    """Token indices of the clauses that modify the mention's head ("..., which was hired by X")."""
    return {t.i for c in span.root.children if c.dep_ in ("relcl", "acl") for t in c.subtree}


def _org(span: Span) -> Ref | None:
    runs = name_runs(span)
    if not runs:
        return None
    clauses = _clauses(span)
    outside = [r for r in runs if r[0].i not in clauses]
    if not outside and span.root.lemma_.lower() in ORG_NOUNS:
        return None  # "the company building a stadium in Dammam": a body described, not named
    run = _org_ent(span) or max(outside or runs, key=len)
    head = run[-1].head
    if head.i == run[-1].i + 1 and run[-1].dep_ == "compound" and low(head) in BUSINESS_WORDS:
        run = [*run, head]  # "Halvard | Security": the business word a role may also hold ended the run
    rest = span.text.lower()
    role = next((n for n in NEWS_NOUNS if n in rest), None)
    return Ref("org", text_of(run), "organization", role=role, rule="proper name (organisation)")


def widen(span: Span, known: set[str]) -> Span:
    """The mention to read for a source span that names no one by itself.

    A relative pronoun ("the Pentagon, which had said") stands for the noun it modifies; a
    role without a name takes the name in apposition after it ("the bloc's spokesman,
    Pieter Aalbers,") or, for a person's role, before it ("Vesely, a Czech economist, told")."""
    if len(span) == 1 and span[0].tag_ in ("WDT", "WP") and span[0].head.dep_ == "relcl":
        noun = span[0].head.head
        if noun.pos_ in ("NOUN", "PROPN") and noun.i < span.start:
            return span.doc[noun.left_edge.i: noun.i + 1]
    if _pronoun(span) is not None or any(t.ent_type_ == "PERSON" or t.text in known for t in span):
        return span
    named = [c for c in span.root.children if c.dep_ == "appos" and c.i >= span.end and _proper(c)]
    if named:
        return span.doc[span.start: max(t.i for t in named[0].subtree) + 1]
    if low(span.root) in ROLE_WORDS and not name_runs(span):
        return _name_before(span, known)
    return span


def beside_role(ent: Span) -> bool:
    """A name in apposition with a person's role ("the foreign secretary, Helena Marsh",
    "Helena Marsh, the foreign secretary") is a person's, whatever label the tagger gave it."""
    root = ent.root
    if root.dep_ == "appos" and _person_role(root.head):
        return True
    return any(c.dep_ == "appos" and _person_role(c) for c in root.children)


def _person_role(tok: Token) -> bool:
    return tok.pos_ == "NOUN" and low(tok) in ROLE_WORDS and low(tok) not in ORG_NOUNS \
        and low(tok) not in INSTITUTIONS


# heads of an organisation described before it is named ("a Washington-based research group")
DESCRIBED_ORGS = frozenset(["group", "newspaper", "agency", "company", "firm", "institute", "tank", "organisation", "organization", "outlet", "broadcaster", "paper", "consultancy", "union"])


def description_kind(span: Span) -> str | None:
    """'The lawyer for the captain of the ship' -> 'person', 'a Washington-based research
    group' -> 'organization', 'an independent pharmacologist' -> 'role' (a person the text
    names later with the same role): a source described before it is named; else None.
    Unnamed officials and sources ("a senior official") are anonymous by intent and not included."""
    root = span.root
    if root.pos_ != "NOUN" or any(t.ent_type_ == "PERSON" for t in span):
        return None
    if office_words(span):
        return "office"
    inner = {t.i for c in root.children if c.dep_ == "prep" for t in c.subtree} | _clauses(span)
    if any(is_name_token(t) for t in span if t.i not in inner):
        return None
    dets = {c.lower_ for c in root.children if c.dep_ == "det"}
    lemma = root.lemma_.lower()
    if "the" in dets and _person_role(root) and lemma not in ANON_NOUNS:
        return "person"
    # "a research group"; "the company building the stadium", "the country's largest hospital union":
    # a clause or a superlative that says which one
    definite = "the" in dets or any(c.dep_ == "poss" for c in root.children)
    which = bool(_clauses(span)) or any(c.tag_ == "JJS" for c in root.children)
    if lemma in DESCRIBED_ORGS and (dets & {"a", "an"} or (definite and which)):
        return "organization"
    if dets & {"a", "an"} and lemma not in ANON_NOUNS and lemma not in ORG_NOUNS and lemma not in INSTITUTIONS:
        return "role"  # 'An independent pharmacologist': a person only if named later with the same role
    return None


def office_words(span: Span) -> str:
    """"Spain's foreign minister" -> 'foreign minister': the office a state's possessive names
    (a role noun with its modifiers after a state), which one named person holds; else ''."""
    root = span.root
    poss = next((c for c in root.children if c.dep_ == "poss"), None)
    if poss is None or not _person_role(root) or root.tag_ != "NN":
        return ""
    place = metonyms.lookup(text_of([t for t in poss.subtree if t.i >= span.start]))
    if place is None or place.type != "country":
        return ""
    words = [t.lower_ for t in span if poss.i < t.i <= root.i and t.dep_ != "case" and not t.is_punct]
    return " ".join(words)


def bare_name(span: Span) -> bool:
    """A mention that is a name alone ("Mikael Sundqvist", "the Huaxia Daily"): no role,
    title or apposition with it."""
    words = [t for t in span if not t.is_punct and t.pos_ != "DET"]
    runs = name_runs(span)
    return len(runs) == 1 and len(runs[0]) == len(words) and not any(low(t) in TITLES for t in span) \
        and not any(c.dep_ == "appos" for c in span.root.children)


def _proper(tok: Token) -> bool:
    """The head of an apposition is a proper name ("Pieter Aalbers", "Baltlink Grid")."""
    return tok.pos_ == "PROPN" and tok.ent_type_ in ("PERSON", "ORG") and is_name_token(tok)


def _name_before(span: Span, known: set[str]) -> Span:
    """"Vesely, a Czech economist": the person's name the comma sets the role after."""
    doc, i = span.doc, span.start - 2
    if i < 0 or doc[i + 1].text != "," or span[0].lower_ not in ("a", "an", "the"):
        return span
    first = i
    while first >= 0 and doc[first].is_alpha and doc[first].text[:1].isupper() \
            and (doc[first].text in known or doc[first].ent_type_ == "PERSON"):
        first -= 1
    return doc[first + 1: span.end] if first < i else span


def analyse(span: Span, known: set[str]) -> Ref:
    """A source mention -> Ref (see the module docstring for the kinds)."""
    for step in (_pronoun, _whole_place):
        found = step(span)
        if found is not None:
            return found
    joint = _joint(span, known)
    if joint is not None:
        return joint
    for step2 in (lambda s: _office_of(s, known), lambda s: _person(s, known), national_body, _possessive_place,
                  anonymous_ref, _anaphor, collective_ref, _people_from, _org):
        found = step2(span)
        if found is not None:
            return found
    return Ref("unknown", re.sub(r"(?i)^(the|a|an)\s+", "", span.text.strip()), rule="surface form")


def with_rule(ref: Ref, rule: str) -> Ref:
    return replace(ref, rule=rule)
