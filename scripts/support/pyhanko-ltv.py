#!/usr/bin/env python3
"""Long-term validation of segel-signed PDFs with pyHanko, for segel's tests.

    pyhanko-ltv.py MODE CA.pem FILE.pdf [FILE.pdf ...]

MODE is one of
  embedded  the signature judged at its own timestamp's time (genTime of its
            signatureTimeStampToken) with CA.pem as the only trust root and
            only the certificates and CRLs of the file's DSS; revocation
            information required (hard-fail), nothing fetched.
  fetch     ordinary validation now, fetching allowed and revocation required
            (hard-fail): the certificate's CRL distribution point and caIssuers
            URLs are followed.
  expired   ordinary validation one day after the signer certificate's
            notAfter, no fetching, revocation soft-fail: shows whether the
            signature survives its certificate's expiry without LTV.

Prints one JSON line per file: {"file", "signatures": [{"field", "intact",
"valid", "trusted", "bottom_line", "timestamp_valid", "timestamp_trusted",
"timestamp_time", "error"}]}.
"""
import datetime
import json
import logging
import sys

from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import DocumentSecurityStore, validate_pdf_signature
from pyhanko.sign.validation.generic_cms import extract_tst_data_iter
from pyhanko_certvalidator import ValidationContext

logging.disable(logging.CRITICAL)  # pyHanko logs every failed path; the JSON says enough


def check(mode, sig, root):
    if mode == "embedded":
        token = next(extract_tst_data_iter(sig.signer_info, signed=False), None)
        if token is None:
            raise ValueError("the signature carries no signature timestamp")
        moment = token["encap_content_info"]["content"].parsed["gen_time"].native
        dss = DocumentSecurityStore.read_dss(sig.reader)
        vc = dss.as_validation_context({"trust_roots": [root], "allow_fetching": False,
                                        "revocation_mode": "hard-fail", "moment": moment})
        return validate_pdf_signature(sig, vc, ts_validation_context=vc)
    if mode == "fetch":
        vc = ValidationContext(trust_roots=[root], allow_fetching=True, revocation_mode="hard-fail")
        return validate_pdf_signature(sig, vc)
    if mode == "expired":
        moment = sig.signer_cert.not_valid_after + datetime.timedelta(days=1)
        vc = ValidationContext(trust_roots=[root], allow_fetching=False, revocation_mode="soft-fail",
                               moment=moment)
        return validate_pdf_signature(sig, vc)
    raise SystemExit(f"unknown mode {mode}")


def main() -> int:
    mode = sys.argv[1]
    root = load_cert_from_pemder(sys.argv[2])
    for path in sys.argv[3:]:
        out = []
        with open(path, "rb") as f:
            reader = PdfFileReader(f, strict=False)
            for sig in reader.embedded_regular_signatures:
                item = {"field": sig.field_name}
                try:
                    status = check(mode, sig, root)
                    item.update(intact=bool(status.intact), valid=bool(status.valid),
                                trusted=bool(status.trusted), bottom_line=bool(status.bottom_line))
                    ts = status.timestamp_validity
                    if ts is not None:
                        item.update(timestamp_valid=bool(ts.valid), timestamp_trusted=bool(ts.trusted),
                                    timestamp_time=ts.timestamp.isoformat())
                except Exception as exc:  # reported, not raised: the test decides
                    item["error"] = f"{type(exc).__name__}: {exc}"
                out.append(item)
        print(json.dumps({"file": path, "signatures": out}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
