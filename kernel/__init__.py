"""The shared kernel every layer imports downward: typed records, the error tree, settings, the
offline switches and the text utilities (folding, tokens, sentences, JSONL, fuzzy matching).

Nothing here imports from `vectorstore`, `ingest`, `assistant`, `ui` or `evals`, and nothing heavy
is imported at module level (`kernel.settings` loads pydantic; the rest only the standard library
and rapidfuzz).
"""
