"""Free-text citations matched against the catalog: the parser lives in `assistant.references`.

The citation guard checks an LLM's "Title (Year)" and author-year references with the same
parser that `assistant eval` uses for other systems' answers, so it sits in the assistant layer
(imports point evals -> assistant); this module keeps the evals' import path.
"""

from __future__ import annotations

from assistant.references import *  # noqa: F401,F403 - the public names, re-exported
from assistant.references import __all__, split_entry  # noqa: F401
