#!/usr/bin/env python3
"""Extends a signed PDF the way a long-term-validation tool does, with pyHanko.

    pyhanko-extend.py IN OUT --ca CA.pem --crl CRL.der [--dss] [--timestamp TSA.pem TSA-KEY.pem]
                      [--timestamp-at ISO-8601] [--sign CERT KEY] [--widget noview-print|toggle-noview|action|additional-actions]

--dss        adds a /DSS revision (PAdES B-LT) for the last signature, with the
             CA certificate and the CRL given (no network).
--timestamp  then adds a document timestamp (PAdES B-LTA) made by pyHanko's own
             local time-stamper with the given TSA certificate and key.
--timestamp-at  gives the time-stamper a fixed clock (its genTime), e.g. a day
             before the seal's claimed signing time.
--sign       signs IN itself (PAdES, SHA-256) with CERT and KEY instead; with
             --timestamp the signature carries a signatureTimeStampToken.
--widget     makes the timestamp's field first, in the same revision, with a
             widget no document timestamp should have (a page-sized appearance
             with NoView and Print or ToggleNoView, or an action): the
             timestamp itself is still pyHanko's own, so only the shape is wrong.

The tests use it to show that files legitimately extended after the seal stay
VALID under the rules that refuse everything else a later revision could add.
"""
import argparse
import sys

from asn1crypto import crl as asn1_crl
from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.validation import add_validation_info
from pyhanko_certvalidator import ValidationContext


def add_widget(writer, name, variant):
    """A signature field whose widget covers the first page, shaped as `variant`."""
    from pyhanko.pdf_utils import generic
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field
    append_signature_field(writer, SigFieldSpec(name, box=(0, 0, 595, 842), empty_field_appearance=True))
    for reference in writer.root["/AcroForm"]["/Fields"]:
        field = reference.get_object()
        if field.get("/T") != name:
            continue
        if variant == "noview-print":
            field["/F"] = generic.NumberObject(32 | 4)
        elif variant == "toggle-noview":
            field["/F"] = generic.NumberObject(256 | 32)
        elif variant == "action":
            field["/F"] = generic.NumberObject(2)
            field["/A"] = generic.DictionaryObject({
                generic.NameObject("/S"): generic.NameObject("/URI"),
                generic.NameObject("/URI"): generic.TextStringObject("https://attacker.example/")})
        elif variant == "additional-actions":
            field["/F"] = generic.NumberObject(2)
            field["/AA"] = generic.DictionaryObject({
                generic.NameObject("/E"): generic.DictionaryObject({
                    generic.NameObject("/S"): generic.NameObject("/JavaScript"),
                    generic.NameObject("/JS"): generic.TextStringObject("app.alert('x')")})})
        writer.update_container(field)
        return
    raise RuntimeError("the new field was not found")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--ca", required=True)
    parser.add_argument("--crl", required=True)
    parser.add_argument("--dss", action="store_true")
    parser.add_argument("--timestamp", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--timestamp-at")
    parser.add_argument("--sign", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--widget", choices=["noview-print", "toggle-noview", "action", "additional-actions"])
    args = parser.parse_args()

    ca = load_cert_from_pemder(args.ca)
    with open(args.crl, "rb") as f:
        crl = asn1_crl.CertificateList.load(f.read())
    roots = [ca]
    tsa_cert = None
    if args.timestamp:
        tsa_cert = load_cert_from_pemder(args.timestamp[0])
        roots.append(tsa_cert)
    context = ValidationContext(trust_roots=roots, crls=[crl], allow_fetching=False)

    with open(args.input, "rb") as f:
        data = f.read()
    if args.dss:
        import io
        reader = PdfFileReader(io.BytesIO(data))
        signature = reader.embedded_signatures[-1]
        out = io.BytesIO()
        add_validation_info(signature, context, output=out)
        data = out.getvalue()
    timestamper = None
    if args.timestamp:
        fixed = None
        if args.timestamp_at:
            from datetime import datetime
            fixed = datetime.fromisoformat(args.timestamp_at)
        timestamper = DummyTimeStamper(tsa_cert=tsa_cert, tsa_key=load_private_key_from_pemder(args.timestamp[1], passphrase=None),
                                       fixed_dt=fixed)
    if args.sign:
        import io
        from pyhanko.sign.fields import SigSeedSubFilter
        signer = signers.SimpleSigner(signing_cert=load_cert_from_pemder(args.sign[0]),
                                      signing_key=load_private_key_from_pemder(args.sign[1], passphrase=None),
                                      cert_registry=None)
        meta = signers.PdfSignatureMetadata(field_name="Signature1", md_algorithm="sha256",
                                            subfilter=SigSeedSubFilter.PADES)
        out = io.BytesIO()
        signers.PdfSigner(meta, signer, timestamper=timestamper).sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data)), output=out)
        with open(args.output, "wb") as f:
            f.write(out.getvalue())
        return
    if args.timestamp:
        import io
        writer = IncrementalPdfFileWriter(io.BytesIO(data))
        field_name = None
        if args.widget:
            field_name = "Timestamp1"
            add_widget(writer, field_name, args.widget)
        stamper = signers.PdfTimeStamper(timestamper, field_name=field_name)
        out = io.BytesIO()
        stamper.timestamp_pdf(writer, "sha256", validation_context=context, output=out)
        data = out.getvalue()
    with open(args.output, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # one line for the test log, not a trace
        print(f"pyhanko-extend: {type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)
