#!/usr/bin/env python3
"""The peer for scripts/bench-batch: what segel batch does, done with pyHanko.

For each PDF: a fresh RSA-2048 (or, with --key-type p256, ECDSA P-256) key, a
leaf certificate from one CA (both with `cryptography`), a visible QR stamp and a
PAdES B-B signature (pyHanko), in a process pool.
Usage: pyhanko_batch.py [--key-type rsa2048|p256] OUT_DIR JOBS FILE.pdf...
"""
import datetime
import os
import sys
import time
from multiprocessing import Pool

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

CA_KEY = None
CA_CERT = None


def make_ca():
    # The same kind of CA as `segel init` makes by default (ECDSA P-256).
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Bench CA")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
            .sign(key, hashes.SHA256()))
    return key, cert


# Per-document key: "rsa2048" (default) or "p256" (--key-type, like segel batch).
KEY_TYPE = "rsa2048"


def init(ca_pem, ca_key_pem, key_type="rsa2048"):
    global CA_KEY, CA_CERT, KEY_TYPE
    KEY_TYPE = key_type
    CA_CERT = x509.load_pem_x509_certificate(ca_pem)
    CA_KEY = serialization.load_pem_private_key(ca_key_pem, None)


def sign_one(args):
    path, out_dir, index = args
    from asn1crypto import keys as asn1_keys, x509 as asn1_x509
    from pyhanko import stamp
    from pyhanko.pdf_utils import text
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata

    key = ec.generate_private_key(ec.SECP256R1()) if KEY_TYPE == "p256" else rsa.generate_private_key(65537, 2048)
    now = datetime.datetime.now(datetime.timezone.utc)
    token = os.urandom(16).hex()
    url = f"https://verify.example.ac.id/v/{token}/"
    leaf = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Dr. Bench Signer")]))
            .issuer_name(CA_CERT.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1095))
            .add_extension(x509.SubjectAlternativeName([x509.UniformResourceIdentifier(url)]), critical=False)
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
            .sign(CA_KEY, hashes.SHA256()))
    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(leaf.public_bytes(serialization.Encoding.DER)),
        signing_key=asn1_keys.PrivateKeyInfo.load(key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
        cert_registry=None)
    signer.cert_registry.register(asn1_x509.Certificate.load(CA_CERT.public_bytes(serialization.Encoding.DER)))
    with open(path, "rb") as f:
        writer = IncrementalPdfFileWriter(f)
        pages = int(writer.root["/Pages"]["/Count"])
        meta = PdfSignatureMetadata(field_name=f"Segel-{index}", subfilter=fields.SigSeedSubFilter.PADES,
                                    md_algorithm="sha256")
        spec = fields.SigFieldSpec(sig_field_name=f"Segel-{index}", on_page=pages - 1, box=(300, 40, 570, 136))
        style = stamp.QRStampStyle(stamp_text="Dr. Bench Signer\n%(ts)s\nScan to verify",
                                   text_box_style=text.TextBoxStyle())
        pdf_signer = signers.PdfSigner(meta, signer=signer, stamp_style=style, new_field_spec=spec)
        out = os.path.join(out_dir, f"signed-{index}.pdf")
        with open(out, "wb") as o:
            pdf_signer.sign_pdf(writer, output=o, appearance_text_params={"url": url})
    return out


def main():
    global KEY_TYPE
    arguments = sys.argv[1:]
    if arguments[:1] == ["--key-type"]:
        KEY_TYPE, arguments = arguments[1], arguments[2:]
    out_dir, jobs, files = arguments[0], int(arguments[1]), arguments[2:]
    key, cert = make_ca()
    ca_pem = cert.public_bytes(serialization.Encoding.PEM)
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    start = time.perf_counter()
    with Pool(jobs, initializer=init, initargs=(ca_pem, key_pem, KEY_TYPE)) as pool:
        outs = pool.map(sign_one, [(p, out_dir, i) for i, p in enumerate(files)])
    elapsed = time.perf_counter() - start
    print(f"{elapsed:.3f} {len(outs)}")


if __name__ == "__main__":
    main()
