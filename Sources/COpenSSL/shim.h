#ifndef SEGEL_COPENSSL_SHIM_H
#define SEGEL_COPENSSL_SHIM_H

// libcrypto 3 for segel. Everything Swift cannot import directly (function-like
// macros, stack-of-T helpers) is wrapped here as a prefixed static inline function.

#include <string.h>
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/ess.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/x509_vfy.h>

static inline long segel_BIO_get_mem_data(BIO *bio, char **data) {
    return BIO_get_mem_data(bio, data);
}

static inline void segel_OPENSSL_free(void *ptr) { OPENSSL_free(ptr); }

static inline STACK_OF(X509) *segel_sk_X509_new_null(void) { return sk_X509_new_null(); }
static inline int segel_sk_X509_push(STACK_OF(X509) *stack, X509 *cert) { return sk_X509_push(stack, cert); }
static inline int segel_sk_X509_num(const STACK_OF(X509) *stack) { return sk_X509_num(stack); }
static inline X509 *segel_sk_X509_value(const STACK_OF(X509) *stack, int i) { return sk_X509_value(stack, i); }
static inline void segel_sk_X509_free(STACK_OF(X509) *stack) { sk_X509_free(stack); }
static inline void segel_sk_X509_pop_free(STACK_OF(X509) *stack) { sk_X509_pop_free(stack, X509_free); }

static inline int segel_sk_CMS_SignerInfo_num(STACK_OF(CMS_SignerInfo) *stack) { return sk_CMS_SignerInfo_num(stack); }
static inline CMS_SignerInfo *segel_sk_CMS_SignerInfo_value(STACK_OF(CMS_SignerInfo) *stack, int i) { return sk_CMS_SignerInfo_value(stack, i); }

static inline int segel_sk_X509_CRL_num(const STACK_OF(X509_CRL) *stack) { return sk_X509_CRL_num(stack); }
static inline STACK_OF(X509_CRL) *segel_sk_X509_CRL_new_null(void) { return sk_X509_CRL_new_null(); }
static inline int segel_sk_X509_CRL_push(STACK_OF(X509_CRL) *stack, X509_CRL *crl) { return sk_X509_CRL_push(stack, crl); }
static inline void segel_sk_X509_CRL_free(STACK_OF(X509_CRL) *stack) { sk_X509_CRL_free(stack); }

static inline int segel_sk_X509_REVOKED_num(const STACK_OF(X509_REVOKED) *stack) { return sk_X509_REVOKED_num(stack); }
static inline X509_REVOKED *segel_sk_X509_REVOKED_value(const STACK_OF(X509_REVOKED) *stack, int i) { return sk_X509_REVOKED_value(stack, i); }

static inline int segel_sk_GENERAL_NAME_num(const GENERAL_NAMES *names) { return sk_GENERAL_NAME_num(names); }
static inline GENERAL_NAME *segel_sk_GENERAL_NAME_value(const GENERAL_NAMES *names, int i) { return sk_GENERAL_NAME_value(names, i); }
static inline void segel_GENERAL_NAMES_free(GENERAL_NAMES *names) { GENERAL_NAMES_free(names); }

static inline int segel_sk_X509_ATTRIBUTE_num(const STACK_OF(X509_ATTRIBUTE) *stack) { return sk_X509_ATTRIBUTE_num(stack); }

static inline int segel_EVP_PKEY_id(const EVP_PKEY *pkey) { return EVP_PKEY_get_id(pkey); }
static inline int segel_EVP_PKEY_bits(const EVP_PKEY *pkey) { return EVP_PKEY_get_bits(pkey); }

// Added for the PKI module: building subjectAltName / crlDistributionPoints values.
static inline GENERAL_NAMES *segel_sk_GENERAL_NAME_new_null(void) { return sk_GENERAL_NAME_new_null(); }
static inline int segel_sk_GENERAL_NAME_push(GENERAL_NAMES *names, GENERAL_NAME *name) { return sk_GENERAL_NAME_push(names, name); }
static inline CRL_DIST_POINTS *segel_sk_DIST_POINT_new_null(void) { return sk_DIST_POINT_new_null(); }
static inline int segel_sk_DIST_POINT_push(CRL_DIST_POINTS *points, DIST_POINT *point) { return sk_DIST_POINT_push(points, point); }
static inline int segel_sk_DIST_POINT_num(const CRL_DIST_POINTS *points) { return sk_DIST_POINT_num(points); }
static inline DIST_POINT *segel_sk_DIST_POINT_value(const CRL_DIST_POINTS *points, int i) { return sk_DIST_POINT_value(points, i); }

// X509_NAME_print_ex flags for RFC 4514 output that keeps UTF-8 as UTF-8 instead of \XX escapes.
static inline unsigned long segel_XN_FLAG_RFC4514_UTF8(void) { return XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB; }

// AuthorityInfoAccess (caIssuers) for issued certificates.
static inline AUTHORITY_INFO_ACCESS *segel_sk_ACCESS_DESCRIPTION_new_null(void) { return sk_ACCESS_DESCRIPTION_new_null(); }
static inline int segel_sk_ACCESS_DESCRIPTION_push(AUTHORITY_INFO_ACCESS *stack, ACCESS_DESCRIPTION *item) { return sk_ACCESS_DESCRIPTION_push(stack, item); }
static inline int segel_sk_ACCESS_DESCRIPTION_num(const AUTHORITY_INFO_ACCESS *stack) { return sk_ACCESS_DESCRIPTION_num(stack); }
static inline ACCESS_DESCRIPTION *segel_sk_ACCESS_DESCRIPTION_value(const AUTHORITY_INFO_ACCESS *stack, int i) { return sk_ACCESS_DESCRIPTION_value(stack, i); }

// The parameters of an EncryptedPrivateKeyInfo in the one scheme segel writes
// (PBES2, RFC 8018 §6.2: PBKDF2 with HMAC-SHA256 and a 32-byte key, then
// AES-256-CBC), read with libcrypto's own ASN.1 types, so the key can be
// derived by another library's PBKDF2. Copies the salt (at most 64 bytes),
// the iteration count and the 16-byte IV, and points at the ciphertext;
// returns 0 for any other scheme or shape (the caller then uses PKCS8_decrypt).
static inline int segel_pbes2_sha256_aes256cbc(const X509_SIG *sig, unsigned char *salt, int *salt_length,
                                               long *iterations, unsigned char *iv,
                                               const unsigned char **ciphertext, int *ciphertext_length) {
    const X509_ALGOR *algorithm = NULL;
    const ASN1_OCTET_STRING *encrypted = NULL;
    X509_SIG_get0(sig, &algorithm, &encrypted);
    if (algorithm == NULL || encrypted == NULL || OBJ_obj2nid(algorithm->algorithm) != NID_pbes2
        || algorithm->parameter == NULL || algorithm->parameter->type != V_ASN1_SEQUENCE) return 0;
    // Anything this reads and declines leaves the error queue as it was, for PKCS8_decrypt to judge.
    ERR_set_mark();
    PBE2PARAM *pbe2 = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBE2PARAM), algorithm->parameter);
    int ok = 0, length = 0;
    long count = 0;
    PBKDF2PARAM *kdf = NULL;
    // Parameters are OPTIONAL in an AlgorithmIdentifier: each is checked for presence and type.
    if (pbe2 == NULL || pbe2->keyfunc == NULL || pbe2->encryption == NULL
        || OBJ_obj2nid(pbe2->keyfunc->algorithm) != NID_id_pbkdf2
        || OBJ_obj2nid(pbe2->encryption->algorithm) != NID_aes_256_cbc
        || pbe2->encryption->parameter == NULL || pbe2->encryption->parameter->type != V_ASN1_OCTET_STRING
        || ASN1_TYPE_get_octetstring(pbe2->encryption->parameter, iv, 16) != 16
        || pbe2->keyfunc->parameter == NULL || pbe2->keyfunc->parameter->type != V_ASN1_SEQUENCE) goto done;
    kdf = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBKDF2PARAM), pbe2->keyfunc->parameter);
    if (kdf == NULL || kdf->salt == NULL || kdf->salt->type != V_ASN1_OCTET_STRING || kdf->iter == NULL
        || kdf->prf == NULL || OBJ_obj2nid(kdf->prf->algorithm) != NID_hmacWithSHA256
        || (kdf->keylength != NULL && ASN1_INTEGER_get(kdf->keylength) != 32)) goto done;
    length = ASN1_STRING_length(kdf->salt->value.octet_string);
    count = ASN1_INTEGER_get(kdf->iter);
    if (length < 1 || length > 64 || count < 1 || count > 0x7fffffffL) goto done;
    memcpy(salt, ASN1_STRING_get0_data(kdf->salt->value.octet_string), (size_t)length);
    *salt_length = length;
    *iterations = count;
    *ciphertext = ASN1_STRING_get0_data(encrypted);
    *ciphertext_length = ASN1_STRING_length(encrypted);
    ok = *ciphertext_length > 0 && *ciphertext_length % 16 == 0;
done:
    PBKDF2PARAM_free(kdf);
    PBE2PARAM_free(pbe2);
    ERR_pop_to_mark();
    return ok;
}

#endif
