// The one signature a per-document RSA key makes, without RSA blinding.
//
// Through EVP, libcrypto 3.0 exports a legacy key to the default provider and
// builds base blinding for it (a random r, r^e mod n and a constant-time
// inverse of r mod n): ~0.45 ms of the ~0.75 ms an RSA-2048 signature takes.
// Blinding hides a private-key operation's input from timing measurements
// that an attacker collects over many operations with inputs of their choice.
// A per-document key makes exactly one operation, over the SHA-256 of signed
// attributes the attacker does not choose, and is then discarded (or stored
// encrypted, and any later use of a stored key goes through EVP, blinded), so
// there is nothing to average over. What stays: the exponentiation is the
// constant-time one (BN_FLG_CONSTTIME on d, p, q, dp, dq, qinv; see
// assemble_key), libcrypto checks the CRT result with the public exponent
// before returning it (no faulty-CRT leak of the factors), and CMSSigner
// verifies the signature before it is used.

// RSA_sign and EVP_PKEY_get0_RSA are deprecated in OpenSSL 3.0 (the legacy key
// interface, which per-document keys use; see rsa_keygen.c).
#define OPENSSL_SUPPRESS_DEPRECATED
#include "segel_crypto.h"

#include <openssl/objects.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>

int segel_rsa_sign_sha256_once(EVP_PKEY *key, const unsigned char *message, size_t message_length,
                               unsigned char *signature, size_t *signature_length) {
    if (key == NULL || signature == NULL || signature_length == NULL) return 0;
    RSA *rsa = (RSA *)EVP_PKEY_get0_RSA(key);
    if (rsa == NULL || *signature_length < (size_t)RSA_size(rsa)) return 0;
    unsigned char digest[SHA256_DIGEST_LENGTH];
    if (SHA256(message, message_length, digest) == NULL) return 0;
    RSA_set_flags(rsa, RSA_FLAG_NO_BLINDING);
    unsigned int length = 0;
    int ok = RSA_sign(NID_sha256, digest, sizeof digest, signature, &length, rsa);
    *signature_length = length;
    return ok == 1;
}
