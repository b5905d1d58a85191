#ifndef SEGEL_CRYPTO_H
#define SEGEL_CRYPTO_H

#include <stddef.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

// Hot paths of segel in C on libcrypto 3.

// ---- RSA key generation (rsa_keygen.c)
//
// RSA key generation for segel's per-document keys, on libcrypto 3's BIGNUM.
//
// OpenSSL 3.0 tests every prime candidate it keeps with 64 Miller-Rabin rounds
// (bn_mr_min_checks); FIPS 186-5 Appendix B.3 (Table B.1) asks for 4 rounds for
// the 1024-bit primes of an RSA-2048 modulus and 3 for 1536-bit ones (error
// probability below 2^-112 for random candidates, Damgard-Landrock-Pomerance).
// This generator follows FIPS 186-5 A.1.3 with one more round than the table
// asks, a sieve by the first 3,500 odd primes before any exponentiation, and a
// pairwise-consistency check (private then public operation) at the end. It is about five times faster
// than EVP_PKEY_generate on OpenSSL 3.0 and three times faster than BoringSSL.

// Returns a new RSA key pair with modulus length `bits` (2048 or 3072) and
// public exponent 65537, or NULL when anything fails (the error queue says
// what). The caller owns the key.
EVP_PKEY *segel_rsa_generate_key(int bits);

// Miller-Rabin rounds with random bases that segel_rsa_generate_key runs on
// each prime of a `bits`-bit modulus (exposed for the tests).
int segel_rsa_prime_rounds(int bits);

// ---- The signature of a single-use RSA key (rsa_sign.c)

// PKCS#1 v1.5 signature with SHA-256 over `message` by an RSA key that makes
// no other private-key operation (a per-document key), without RSA blinding;
// see rsa_sign.c for why that is sound and what protection stays. The key
// must be a legacy RSA key (as segel_rsa_generate_key makes). Returns 1 and
// sets `*signature_length`, or 0 (the error queue may say why).
// `*signature_length` must be at least the modulus size on entry.
int segel_rsa_sign_sha256_once(EVP_PKEY *key, const unsigned char *message, size_t message_length,
                               unsigned char *signature, size_t *signature_length);

// ---- PBKDF2 and PKCS#8 decryption (pbkdf2.c)
//
// OpenSSL 3.0 runs every PBKDF2 iteration through the provider HMAC, about
// 150 ns of dispatch around two SHA-256 compressions. Unlocking a key with
// 600,000 iterations (segel's default, OWASP 2023) costs ~0.17 s that way and
// ~0.08 s with the inner and outer HMAC states computed once and each iteration
// reduced to two SHA256_Transform calls (RFC 2104 section 4's precomputation).

// PBKDF2-HMAC-SHA256 (RFC 8018 section 5.2). Returns 1, or 0 on bad arguments.
int segel_pbkdf2_hmac_sha256(const unsigned char *password, size_t password_length,
                             const unsigned char *salt, size_t salt_length,
                             unsigned long iterations, unsigned char *out, size_t out_length);

// Decrypts a PKCS#8 EncryptedPrivateKeyInfo (RFC 5958) like PKCS8_decrypt.
// PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC (what segel writes) is done
// here; any other scheme is handed to PKCS8_decrypt unchanged. Returns NULL on
// a wrong passphrase or an unusable structure (the error queue says which).
PKCS8_PRIV_KEY_INFO *segel_pkcs8_decrypt(const X509_SIG *encrypted, const char *passphrase, int length);

// ---- Bytes (bytes.c)

// 1 when `needle` occurs in `haystack` (memmem), else 0.
int segel_contains_bytes(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length);

#endif
