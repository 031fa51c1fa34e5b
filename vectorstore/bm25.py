"""A BM25 index over whole records (title and abstract; bm25s, PyStemmer's English stemmer), kept on
disk.

Records, not chunks, are the documents: a question's words are often spread over several chunks
of one abstract, which a chunk's score cannot see. On SciFact train (`assistant eval beir`):
hybrid nDCG@10 0.734 with chunks (k1 1.2, b 0.75), 0.742 with records (k1 0.9, b 0.75, title
twice) and dense weight 0.4; the details are in `assistant/retrieve.py`.

The index lives under `data_dir/bm25/`, stamped with the store generation it was built from.
`BM25Index.for_store` loads it when the stamp matches and rebuilds (and saves) it when not, so
it is built once per change of the library, never at every start.

Tokens: lower-cased, accents folded, English and Spanish stop words dropped, English stems.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from kernel.errors import StoreError
from kernel.text import tokenize

FORMAT = 3
"""Bumped whenever what is indexed changes (2: records instead of chunks, k1 0.9; 3: "organization"
is no longer "organ"), so old indexes rebuild."""
K1, B = 0.9, 0.75
_DERIVED = ("", "n", "an", "ian", "i", "ni", "ese")


def record_text(record) -> str:
    """What the index reads of a record: its title twice (titles are the densest description of a
    record; every chunk used to repeat it), then its abstract."""
    return f"{record.title}\n{record.title}\n{record.abstract or ''}"


class BM25Index:
    """BM25 scores for every document; `ids[i]` names the document (a record) scored at position
    i."""

    def __init__(self, model, ids: Sequence[str], generation: str = "") -> None:
        self.model = model
        self.ids = list(ids)
        self.generation = generation

    @classmethod
    def build(cls, ids: Sequence[str], texts: Sequence[str], generation: str = "") -> BM25Index:
        if len(ids) != len(texts):
            raise StoreError(
                f"BM25 build: expected one text per id, found {len(texts)} texts for {len(ids)} ids"
            )
        import bm25s

        model = None
        tokens = [tokenize(t) for t in texts]
        if any(tokens):
            model = bm25s.BM25(k1=K1, b=B)
            model.index(tokens, show_progress=False)
        return cls(model, ids, generation)

    def scores(self, query: str) -> np.ndarray:
        """One BM25 score per document, in `ids` order (all zeros when no query term is known)."""
        zeros = np.zeros(len(self.ids), dtype=np.float32)
        if self.model is None:
            return zeros
        ids = self.model.get_tokens_ids(tokenize(query))
        if not ids:
            return zeros
        return np.asarray(self.model.get_scores_from_ids(ids), dtype=np.float32)

    def mentions(self, name: str) -> bool:
        """Whether some indexed record holds every word of `name` (stop words aside), as itself or
        as a derived form: the stem plus "n", "an", "ian", "i", "ni" or "ese" ("Syria": "syrian";
        "Ukraine": "ukrainian"). False for a name with no indexable word."""
        if self.model is None:
            return False
        stems = tokenize(name)
        vocab = self.model.vocab_dict
        return bool(stems) and all(any(stem + end in vocab for end in _DERIVED) for stem in stems)

    def share(self, word: str) -> float:
        """The share of records holding `word`'s stem (0.0 for a stop word or a word no record
        has)."""
        stems = tokenize(word)
        if self.model is None or not stems or not self.ids:
            return 0.0
        i = self.model.vocab_dict.get(stems[0])
        if i is None:
            return 0.0
        indptr = self.model.scores["indptr"]
        return float(indptr[i + 1] - indptr[i]) / len(self.ids)

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
        meta = {
            "format": FORMAT,
            "generation": self.generation,
            "ids": self.ids,
            "empty": self.model is None,
        }
        (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        if folder.exists():
            shutil.rmtree(folder)
        tmp.rename(folder)

    @classmethod
    def load(cls, folder: Path) -> BM25Index:
        folder = Path(folder)
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise StoreError(f"{folder}: cannot read the BM25 index ({exc})") from exc
        if meta.get("format") != FORMAT:
            raise StoreError(
                f"{folder}: BM25 index format {meta.get('format')!r}, expected {FORMAT}"
            )
        model = None
        if not meta.get("empty"):
            import bm25s

            try:
                model = bm25s.BM25.load(str(folder / "model"), show_progress=False, verbosity=0)
            except Exception as exc:  # noqa: BLE001 - any damage to the saved files
                raise StoreError(f"{folder}: cannot load the BM25 index ({exc})") from exc
        return cls(model, meta["ids"], meta.get("generation", ""))

    @staticmethod
    def stamp(folder: Path) -> str | None:
        """The store generation the saved index was built from, or None."""
        try:
            meta = json.loads((Path(folder) / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return meta.get("generation") if meta.get("format") == FORMAT else None

    @classmethod
    def for_store(cls, store, folder: Path, records=None) -> BM25Index:
        """The index of `store`'s records: loaded when its stamp matches `store.generation`, else
        rebuilt and saved."""
        generation = str(store.generation)
        folder = Path(folder)
        if cls.stamp(folder) == generation:
            try:
                return cls.load(folder)
            except StoreError:
                pass  # unreadable: rebuild below
        records = list(store.records()) if records is None else list(records)
        index = cls.build([r.id for r in records], [record_text(r) for r in records], generation)
        try:
            index.save(folder)
        except OSError:
            pass  # a read-only data dir still answers, it just rebuilds next time
        return index
