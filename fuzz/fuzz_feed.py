"""Fuzz the feed path of ingest.sources: bytes -> sniffing -> feed parsing -> entries -> Articles.

Entry links are answered by an in-memory transport (404), so nothing touches the network.

    python fuzz/fuzz_feed.py [corpus_dir] -max_total_time=20
"""

from __future__ import annotations

import sys
from contextlib import ExitStack
from pathlib import Path

import atheris
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

with atheris.instrument_imports(include=["claimgraph"]):
    from claimgraph.errors import ClaimgraphError
    from claimgraph.ingest import sources
    from claimgraph.records import Article
    from claimgraph.settings import Settings

from _common import check_article, check_error

SETTINGS = Settings(max_feed_entries=20, fetch_timeout=1.0)
CLIENT = httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(404)))


def test_one_input(data: bytes) -> None:
    sources._sniff(data)
    with ExitStack() as stack:
        ctx = sources._Context(SETTINGS, CLIENT, stack)
        for item in sources._guarded("fuzz.xml", lambda: sources._from_feed(data, "fuzz.xml", ctx)):
            if isinstance(item, Article):
                check_article(item)
            else:
                assert isinstance(item.error, ClaimgraphError)
                check_error(item.error)
                assert "\n" not in item.reason, item.reason
                # _guarded turns unexpected exceptions into InputError("unexpected ..."): for
                # the fuzzer those are bugs all the same
                assert "unexpected" not in item.reason, item.reason


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
