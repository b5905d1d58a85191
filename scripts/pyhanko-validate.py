#!/usr/bin/env python3
"""Validate every signature of a PDF with pyHanko and print one JSON object.

Used by segel's tests as an independent validator (and by the benchmarks):
    pyhanko-validate.py CA.pem FILE.pdf [FILE.pdf ...]
Prints one JSON line per file: {"file", "signatures": [{"field", "intact",
"valid", "trusted", "coverage", "modification_level", "docmdp_ok", "error"}],
"error"} and exits 0 (errors are reported per file and per signature, so one
broken signature does not hide the others). One process for many files keeps
Python's start-up cost out of the tests.
"""
import json
import sys

from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext


def validate(path: str, root) -> dict:
    out = []
    with open(path, "rb") as f:
        reader = PdfFileReader(f, strict=False)
        if reader.encrypted:
            reader.decrypt(b"")
        for sig in reader.embedded_signatures:
            item = {"field": sig.field_name}
            try:
                vc = ValidationContext(trust_roots=[root], allow_fetching=False,
                                       revocation_mode="soft-fail")
                status = validate_pdf_signature(sig, vc)
                item.update(
                    intact=bool(status.intact),
                    valid=bool(status.valid),
                    trusted=bool(status.trusted),
                    coverage=status.coverage.name if status.coverage else None,
                    modification_level=(status.modification_level.name
                                        if status.modification_level else None),
                    docmdp_ok=status.docmdp_ok,
                )
            except Exception as exc:  # reported, not raised: the caller decides
                item["error"] = f"{type(exc).__name__}: {exc}"
            out.append(item)
    return {"file": path, "signatures": out}


def main() -> int:
    root = load_cert_from_pemder(sys.argv[1])
    for path in sys.argv[2:]:
        try:
            result = validate(path, root)
        except Exception as exc:
            result = {"file": path, "signatures": [],
                      "error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
