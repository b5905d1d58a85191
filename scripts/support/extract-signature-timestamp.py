#!/usr/bin/env python3
"""Write out a PDF signature's RFC 3161 signature timestamp, for `openssl ts -verify`.

    extract-signature-timestamp.py FILE.pdf FIELD OUT_DIR

Writes OUT_DIR/token.der (the signatureTimeStampToken, a DER ContentInfo) and
OUT_DIR/signature.bin (the SignerInfo's signature value, the bytes whose hash
the token certifies, RFC 3161 Appendix A). Exits 1 naming what is missing.
"""
import os
import sys

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.general import find_cms_attribute_iter


def main() -> int:
    path, field, out = sys.argv[1], sys.argv[2], sys.argv[3]
    with open(path, "rb") as f:
        reader = PdfFileReader(f, strict=False)
        for sig in reader.embedded_regular_signatures:
            if sig.field_name != field:
                continue
            tokens = list(find_cms_attribute_iter(sig.signer_info["unsigned_attrs"], "signature_time_stamp_token"))
            if not tokens:
                print(f"{path}: the signature {field} carries no signature timestamp", file=sys.stderr)
                return 1
            with open(os.path.join(out, "token.der"), "wb") as t:
                t.write(tokens[0].dump())
            with open(os.path.join(out, "signature.bin"), "wb") as s:
                s.write(sig.signer_info["signature"].native)
            return 0
    print(f"{path}: no signature field named {field}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
