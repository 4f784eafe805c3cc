"""Fill a store with N synthetic attributions (articles, entities, claims, stances, mentions).

    python benchmarks/synthetic_store.py --db bench.db --attributions 1000000

Through the repository's own batched writes, so full-text indexes and constraints are
maintained exactly as in real use. Ten attributions an article; claims of ~50
attributions each; a few thousand entities; a vocabulary of ~2,000 words so search
terms have realistic hit counts. Deterministic for a given size.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import time
from collections.abc import Iterator

from claimgraph.records import Article, ArticleResult, Attribution, Claim, Entity, Mention, Span
from claimgraph.settings import Settings
from claimgraph.store import Repository

PER_ARTICLE = 10
STANCES = ["asserts"] * 5 + ["supports"] * 2 + ["disputes"] * 2 + ["denies", "no_comment"]
CUES = ["said", "told reporters", "according to", "denied", "questioned", "claimed", "added", "warned"]


def vocabulary(rng: random.Random, n: int = 2000) -> list[str]:
    syll = ["ka", "lo", "mer", "tis", "an", "vor", "el", "dun", "ri", "sha", "pol", "gen", "tra", "min", "os"]
    words = {"".join(rng.choice(syll) for _ in range(rng.randint(2, 4))) for _ in range(n * 2)}
    return sorted(words)[:n]


def article(i: int, rng: random.Random, vocab: list[str], n_claims: int, n_entities: int) -> ArticleResult:
    sentences, atts, mentions, ents, claims = [], [], [], {}, {}
    pos = 0
    for j in range(PER_ARTICLE):
        ent = rng.randrange(n_entities)
        name = f"Person {ent}"
        cue = rng.choice(CUES)
        content = " ".join(rng.choice(vocab) for _ in range(rng.randint(8, 20)))
        sent = f"{name} {cue} that {content}."
        s_src, s_cue = pos, pos + len(name) + 1
        s_con = s_cue + len(cue) + 1
        sentences.append(sent)
        text_so_far = " ".join(sentences)
        cid = f"claim-{rng.randrange(n_claims)}"
        key = f"person-{ent}"
        atts.append(Attribution(
            source=Span(s_src, s_src + len(name), name), cue=Span(s_cue, s_cue + len(cue), cue),
            content=Span(s_con, s_con + len(content) + 5, "that " + content), type="indirect",
            source_name=name, source_entity=key, claim=cid, stance=rng.choice(STANCES)))  # type: ignore[arg-type]
        mentions.append(Mention(Span(s_src, s_src + len(name), name), key, "synthetic"))
        ents[key] = Entity(key=key, name=name, type="person", aliases=(name,))
        claims[cid] = Claim(id=cid, label=f"claim {cid}", first_seen="2024-01-01")
        pos = len(text_so_far) + 1
    text = " ".join(sentences)
    digest = hashlib.sha256(f"{i}:{text}".encode()).hexdigest()
    day = 1 + i % 28
    art = Article(id=digest[:16], text=text, content_hash=digest, title=f"Synthetic report {i}",
                  published=f"2024-{1 + i % 12:02d}-{day:02d}", outlet=f"outlet{i % 40}.example",
                  url=f"https://outlet{i % 40}.example/{i}", path=None, paragraphs=((0, len(text)),))
    return ArticleResult(article=art, attributions=tuple(atts), entities=tuple(ents.values()),
                         mentions=tuple(mentions), claims=tuple(claims.values()))


def results(n_articles: int) -> Iterator[ArticleResult]:
    rng = random.Random(7)
    vocab = vocabulary(rng)
    n_claims = max(1, n_articles * PER_ARTICLE // 50)
    n_entities = max(1, n_articles // 20)
    for i in range(n_articles):
        yield article(i, rng, vocab, n_claims, n_entities)


def fill(db: str, attributions: int, batch: int = 500) -> None:
    repo = Repository.open(Settings(db=db).db_url)
    have = repo.counts()["attributions"]
    start = have // PER_ARTICLE
    t = time.perf_counter()
    buf: list[ArticleResult] = []
    for i, r in enumerate(results(attributions // PER_ARTICLE)):
        if i < start:
            continue  # resumable: skip what an earlier run stored
        buf.append(r)
        if len(buf) >= batch:
            repo.add_many(buf)
            buf = []
            done = (i + 1) * PER_ARTICLE
            print(f"\r{done:,} attributions, {time.perf_counter() - t:.0f}s", end="", flush=True)
    if buf:
        repo.add_many(buf)
    print(f"\nstore: {repo.counts()} in {time.perf_counter() - t:.0f}s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--attributions", type=int, default=1_000_000)
    args = ap.parse_args()
    fill(args.db, args.attributions)


if __name__ == "__main__":
    main()
