"""The Problematic Paper Screener's tortured phrases, from the JSON that
torturedcheck redistributes to the TSV that build_tortured.py reads.

The JSON (`src/data/tortured-phrases.json` of giladfeldman/torturedcheck)
holds {"phrases": [{"tortured": ..., "correct": ...}, ...]} in the list's
order. The TSV has the header `tortured<TAB>expected` and one pair a line,
lowercased, in the same order, each field written as it is: the list's own
backslashes and quotes (`\\"information technology (it)\\"`) stay, as
build_tortured.py judges them, so the TSV is not CSV-quoted.
"""
import json

HEADER = "tortured\texpected\n"


def tsv_of_json(text, name="<json>"):
    """The TSV text of a torturedcheck JSON document. A field holding a tab
    or a line break cannot be written as a TSV field: ValueError naming the
    pair."""
    phrases = json.loads(text)["phrases"]
    lines = [HEADER]
    for number, pair in enumerate(phrases):
        tortured, correct = pair["tortured"].lower(), pair["correct"].lower()
        for field in (tortured, correct):
            if any(c in field for c in "\t\r\n"):
                raise ValueError(f"{name}: phrase {number} ({tortured!r}) holds a tab or line break")
        lines.append(f"{tortured}\t{correct}\n")
    return "".join(lines)
