#!/usr/bin/env python3
"""Turns the Surabaya Media Center sample (shared/data) into the labelled JSONL that
`sambatd evaluate` reads: every row is a complaint; `opd` is the Cilacap code its agency maps to
(tests/classifier/data/surabaya_agency_map.csv); rows of unmapped agencies are left out.
Usage: tools/surabaya_to_jsonl.py SAMPLE.csv MAP.csv > OUT.jsonl"""
import csv
import json
import sys

sample, mapping = sys.argv[1], sys.argv[2]
agency = {row["instansi"]: row["code"] for row in csv.DictReader(open(mapping, encoding="utf-8"))}
for row in csv.DictReader(open(sample, encoding="utf-8")):
    code = agency.get(row["instansi"])
    if not code:
        continue
    text = row["keluhan"].replace("\\n", " ")
    print(json.dumps({"id": "sby-" + row["id"], "text": text, "complaint": True, "opd": [code],
                      "kecamatan": None}, ensure_ascii=False))
