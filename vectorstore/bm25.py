"""A BM25 index over chunk texts (bm25s with PyStemmer's English stemmer), kept on disk.

The index lives under `data_dir/bm25/`, stamped with the store generation it was built from.
`BM25Index.for_store` loads it when the stamp matches and rebuilds (and saves) it when not, so
it is built once per change of the library, never at every start.

Tokens: lower-cased, accents folded, English and Spanish stop words dropped, English stems.
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from .errors import StoreError

FORMAT = 1
_TOKEN = re.compile(r"(?u)\b\w\w+\b")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN_PLUS, STOPWORDS_SPANISH

    return frozenset(_fold(w) for w in (*STOPWORDS_EN_PLUS, *STOPWORDS_SPANISH))


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def tokenize(text: str) -> list[str]:
    """The index's tokens for `text` (also used for queries)."""
    stop = _stopwords()
    words = [w for w in _TOKEN.findall(_fold(text)) if w not in stop]
    return _stemmer().stemWords(words) if words else []


class BM25Index:
    """BM25 scores for every chunk; `chunk_ids[i]` names the chunk scored at position i."""

    def __init__(self, model, chunk_ids: Sequence[str], generation: str = "") -> None:
        self.model = model
        self.chunk_ids = list(chunk_ids)
        self.generation = generation

    @classmethod
    def build(cls, chunk_ids: Sequence[str], texts: Sequence[str], generation: str = "") -> "BM25Index":
        if len(chunk_ids) != len(texts):
            raise StoreError(f"BM25 build: expected one text per chunk id, found {len(texts)} texts for {len(chunk_ids)} ids")
        import bm25s

        model = None
        tokens = [tokenize(t) for t in texts]
        if any(tokens):
            model = bm25s.BM25(k1=1.2, b=0.75)
            model.index(tokens, show_progress=False)
        return cls(model, chunk_ids, generation)

    def scores(self, query: str) -> np.ndarray:
        """One BM25 score per chunk, in `chunk_ids` order (all zeros when no query term is known)."""
        zeros = np.zeros(len(self.chunk_ids), dtype=np.float32)
        if self.model is None:
            return zeros
        ids = self.model.get_tokens_ids(tokenize(query))
        if not ids:
            return zeros
        return np.asarray(self.model.get_scores_from_ids(ids), dtype=np.float32)

    # -- persistence -------------------------------------------------------------------------

    def save(self, folder: Path) -> None:
        """Write the index to `folder` atomically enough: a temp folder renamed into place."""
        folder = Path(folder)
        tmp = folder.with_name(folder.name + ".tmp")
        if tmp.exists():
            shutil.rmtree(tmp)
        tmp.mkdir(parents=True)
        if self.model is not None:
            self.model.save(str(tmp / "model"), show_progress=False)
        meta = {"format": FORMAT, "generation": self.generation, "chunk_ids": self.chunk_ids,
                "empty": self.model is None}
        (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        if folder.exists():
            shutil.rmtree(folder)
        tmp.rename(folder)

    @classmethod
    def load(cls, folder: Path) -> "BM25Index":
        folder = Path(folder)
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise StoreError(f"{folder}: cannot read the BM25 index ({exc})") from exc
        if meta.get("format") != FORMAT:
            raise StoreError(f"{folder}: BM25 index format {meta.get('format')!r}, expected {FORMAT}")
        model = None
        if not meta.get("empty"):
            import bm25s

            try:
                model = bm25s.BM25.load(str(folder / "model"), show_progress=False, verbosity=0)
            except Exception as exc:  # noqa: BLE001 - any damage to the saved files
                raise StoreError(f"{folder}: cannot load the BM25 index ({exc})") from exc
        return cls(model, meta["chunk_ids"], meta.get("generation", ""))

    @staticmethod
    def stamp(folder: Path) -> str | None:
        """The store generation the saved index was built from, or None."""
        try:
            meta = json.loads((Path(folder) / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return meta.get("generation") if meta.get("format") == FORMAT else None

    @classmethod
    def for_store(cls, store, folder: Path, chunks=None) -> "BM25Index":
        """The index of `store`'s chunks: loaded when its stamp matches `store.generation`, else rebuilt and saved."""
        generation = str(store.generation)
        folder = Path(folder)
        if cls.stamp(folder) == generation:
            try:
                return cls.load(folder)
            except StoreError:
                pass  # unreadable: rebuild below
        chunks = list(store.chunks()) if chunks is None else list(chunks)
        index = cls.build([c.id for c in chunks], [c.text for c in chunks], generation)
        try:
            index.save(folder)
        except OSError:
            pass  # a read-only data dir still answers, it just rebuilds next time
        return index
