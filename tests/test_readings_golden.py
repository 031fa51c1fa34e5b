"""How every sample, dev and test question is read (filters, listing, follow-up, search text) is
frozen in tests/data/readings_golden.jsonl; a change of reading must be intended (rewrite the file
with `python -m tests.readings --write` and let the diff show it)."""

import json

from tests.readings import GOLDEN, readings


def test_readings__match_the_frozen_golden_file():
    golden = [
        json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    current = [json.loads(json.dumps(r, ensure_ascii=False, sort_keys=True)) for r in readings()]
    assert len(current) == len(golden)
    changed = [
        (g["set"], g["id"], g["question"]) for g, c in zip(golden, current, strict=True) if g != c
    ]
    assert not changed, f"{len(changed)} readings changed, first: {changed[:3]}"
