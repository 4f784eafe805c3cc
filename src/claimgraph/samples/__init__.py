"""Demo articles shipped with claimgraph (package data).

Four invented reports of one contested claim -- that China is shipping drone
engines to Russia -- as four outlets told it over four days, in the three input
styles claimgraph reads:

- ``drone-engines-1.html``  The Northbridge Herald, 2025-03-10: HTML page with
  boilerplate (cookie banner, nav, figure caption, related links, footer) and
  ``<meta>`` title / ``article:published_time`` / ``og:site_name`` / author /
  ``<link rel="canonical">``.
- ``drone-engines-2.txt``   The Calder Post, 2025-03-11: plain text with an
  ``Original url:`` trailer.
- ``drone-engines-3.md``    Harbourline Daily, 2025-03-12: markdown-ish text
  (``# Title``, date line, ``**caption**``, ``<u>link</u>``, hard-wrapped).
- ``drone-engines-4.txt``   The Eastgate Observer, 2025-03-13: plain text with
  a byline.

All people, outlets and the Meridian Wire agency are fictional; countries and
capitals are real so that metonyms (Beijing, Washington, the Kremlin, Brussels,
Astana, the Pentagon) can be exercised. The same four files, with gold
annotations, form the ``drone-engines`` story of ``devset/`` at the repo root.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

SAMPLES: list[dict[str, str]] = [
    {"file": "drone-engines-1.html", "outlet": "The Northbridge Herald", "published": "2025-03-10",
     "url": "https://www.northbridge-herald.example/world/2025/03/10/uk-accuses-china-drone-engines-russia"},
    {"file": "drone-engines-2.txt", "outlet": "The Calder Post", "published": "2025-03-11",
     "url": "https://www.calder-post.example/2025/03/11/china-rejects-drone-engine-claim"},
    {"file": "drone-engines-3.md", "outlet": "Harbourline Daily", "published": "2025-03-12",
     "url": "https://www.harbourline-daily.example/world/2025-03-12/drone-engines-kazakhstan"},
    {"file": "drone-engines-4.txt", "outlet": "The Eastgate Observer", "published": "2025-03-13",
     "url": "https://www.eastgate-observer.example/news/2025/03/13/britain-sanctions-drone-engine-firms"},
]


def sample_paths() -> list[Path]:
    """Paths of the demo articles, in publication order."""
    base = resources.files(__name__)
    return [Path(str(base.joinpath(s["file"]))) for s in SAMPLES]
