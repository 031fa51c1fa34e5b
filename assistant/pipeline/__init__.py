"""The steps of `Assistant.ask_stream`, each a method with a typed input and output.

    read -> scope -> retrieve -> gate -> compose -> guard

- `scope.py`: `read` (check and read the question) and `scope` (the filters it searches within);
- `retrieval.py`: `retrieve` (hybrid search, in English for a Spanish question);
- `gate.py`: `gate` (relevance, the question's focus); `abstain.py`: the abstentions;
- `listing.py`: a question about the library lists every matching record;
- `compose.py`: `compose` (the answerer writes) and `guard` (the citation guard checks);
- `steps.py`: the typed objects passed between them.
"""

from .steps import Asked, Composed, Evidence, Retrieval, Scope

__all__ = ["Asked", "Composed", "Evidence", "Retrieval", "Scope"]
