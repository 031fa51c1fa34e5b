"""Today's readings of every sample, dev and test question, frozen in
tests/data/readings_golden.jsonl.

    # after an intended change in how questions are read:
    PYTHONPATH=. python -m tests.readings --write

`tests/test_readings_golden.py` compares the current readings with the file, so moving the reading
code cannot change a reading unnoticed; an intended change shows as a diff of the file.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "data" / "readings_golden.jsonl"
SETS = ("sample", "dev", "test")


def library_facets() -> dict[str, list]:
    from ingest import iter_library_files, merge_records, parse_path

    records = [r for p in iter_library_files([ROOT / "data" / "library"]) for r in parse_path(p)]
    recs = merge_records(records).records
    return {
        "years": sorted({r.year for r in recs if r.year is not None}),
        "regions": sorted({v for r in recs for v in r.regions}, key=str.casefold),
        "countries": sorted({v for r in recs for v in r.countries}, key=str.casefold),
        "categories": sorted({v for r in recs for v in r.categories}, key=str.casefold),
        "authors": sorted({v for r in recs for v in r.authors}, key=str.casefold),
    }


def readings() -> list[dict]:
    from assistant.reading import read

    facets = library_facets()
    out = []
    for name in SETS:
        items = [
            json.loads(line)
            for line in (ROOT / "evals" / "questions" / f"{name}.jsonl")
            .read_text(encoding="utf-8")
            .splitlines()
            if line.strip()
        ]
        by_id = {i["id"]: i for i in items}
        for item in items:
            history, parent = [], item.get("follow_up_of")
            while parent:
                history.insert(0, by_id[parent]["question"])
                parent = by_id[parent].get("follow_up_of")
            plan = read(item["question"], history, facets)
            filters = asdict(plan.filters)
            data = {
                "question": plan.question,
                "query": plan.query,
                "filters": {k: v for k, v in filters.items() if v not in (None, (), [])},
                "flags": {"listing": plan.listing, "follow_up": plan.follow_up},
                "topic": plan.topic,
                "english": plan.english,
                "spanish": plan.spanish,
            }
            out.append({"set": name, "id": item["id"], **data})
    return out


def main(argv: list[str]) -> int:
    lines = [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in readings()]
    if "--write" in argv:
        GOLDEN.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {len(lines)} readings to {GOLDEN}")
    else:
        print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
