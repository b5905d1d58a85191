#!/usr/bin/env python3
"""Changes what a signed PDF shows, in an incremental update, with pyHanko.

    pyhanko-tamper.py IN OUT [--sign-field NAME CERT KEY]

Appends a content stream to the first page that paints a red box over it
(no fonts needed), the way an attacker with a third-party tool would change
a document after its first signature. With --sign-field the same revision
also signs the existing empty signature field NAME with CERT and KEY (PEM,
any key pyHanko can load), so the change sits between two signatures.

The tests use it to show that such a change is reported by segel-verify, and
by pdfsig and pyHanko where they can see it.
"""
import argparse
import sys

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--sign-field", nargs=3, metavar=("NAME", "CERT", "KEY"))
    args = parser.parse_args()
    with open(args.input, "rb") as f:
        writer = IncrementalPdfFileWriter(f, strict=False)
        page = writer.root["/Pages"]["/Kids"][0].get_object()
        stream = generic.StreamObject(stream_data=b"q 1 0 0 rg 60 600 300 120 re f Q\n")
        added = writer.add_object(stream)
        contents = page.raw_get("/Contents")
        if isinstance(contents, generic.ArrayObject):
            contents.append(added)
        else:
            page["/Contents"] = generic.ArrayObject([contents, added])
        writer.update_container(page)
        if args.sign_field:
            from pyhanko.sign import signers
            name, cert, key = args.sign_field
            signer = signers.SimpleSigner.load(key, cert)
            meta = signers.PdfSignatureMetadata(field_name=name)
            with open(args.output, "wb") as out:
                signers.sign_pdf(writer, meta, signer=signer, output=out)
        else:
            with open(args.output, "wb") as out:
                writer.write(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
