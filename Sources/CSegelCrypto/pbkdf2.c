// PBKDF2-HMAC-SHA256 with precomputed HMAC states, and PKCS#8 decryption on
// top of it. See include/segel_crypto.h for why.

// SHA256_Transform and SHA256_CTX are deprecated in OpenSSL 3.0 but remain the
// only public access to a single compression with the CPU's SHA extensions.
#define OPENSSL_SUPPRESS_DEPRECATED

#include "segel_crypto.h"

#include <openssl/asn1.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pkcs12.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <stdint.h>
#include <string.h>

static void store_be32(unsigned char *out, uint32_t value) {
    out[0] = (unsigned char)(value >> 24);
    out[1] = (unsigned char)(value >> 16);
    out[2] = (unsigned char)(value >> 8);
    out[3] = (unsigned char)value;
}

static void store_state(unsigned char *out, const SHA256_CTX *context) {
    for (int i = 0; i < 8; i++) store_be32(out + 4 * i, context->h[i]);
}

int segel_pbkdf2_hmac_sha256(const unsigned char *password, size_t password_length,
                             const unsigned char *salt, size_t salt_length,
                             unsigned long iterations, unsigned char *out, size_t out_length) {
    if (iterations == 0 || out_length == 0 || (password == NULL && password_length > 0)
        || (salt == NULL && salt_length > 0)) {
        return 0;
    }
    unsigned char key[SHA256_CBLOCK] = {0};
    unsigned char pad[SHA256_CBLOCK];
    unsigned char u[SHA256_DIGEST_LENGTH], t[SHA256_DIGEST_LENGTH], counter[4];
    // One SHA-256 block holding a 32-byte message that follows a 64-byte key
    // block: the message, 0x80, zeros, and the bit length 96 * 8 = 0x300.
    unsigned char block[SHA256_CBLOCK] = {0};
    block[SHA256_DIGEST_LENGTH] = 0x80;
    block[SHA256_CBLOCK - 2] = 0x03;
    SHA256_CTX inner, outer, context;

    // RFC 2104: keys longer than the block are hashed first.
    if (password_length > SHA256_CBLOCK) {
        SHA256(password, password_length, key);
    } else if (password_length > 0) {
        memcpy(key, password, password_length);
    }
    for (int i = 0; i < SHA256_CBLOCK; i++) pad[i] = key[i] ^ 0x36;
    SHA256_Init(&inner);
    SHA256_Update(&inner, pad, sizeof pad);
    for (int i = 0; i < SHA256_CBLOCK; i++) pad[i] = key[i] ^ 0x5c;
    SHA256_Init(&outer);
    SHA256_Update(&outer, pad, sizeof pad);

    size_t produced = 0;
    for (uint32_t index = 1; produced < out_length; index++) {
        // U_1 = HMAC(P, S || INT(index))
        context = inner;
        SHA256_Update(&context, salt, salt_length);
        store_be32(counter, index);
        SHA256_Update(&context, counter, sizeof counter);
        SHA256_Final(u, &context);
        context = outer;
        SHA256_Update(&context, u, sizeof u);
        SHA256_Final(u, &context);
        memcpy(t, u, sizeof t);
        // U_j = HMAC(P, U_{j-1}): one compression from each precomputed state.
        for (unsigned long j = 1; j < iterations; j++) {
            memcpy(block, u, sizeof u);
            context = inner;
            SHA256_Transform(&context, block);
            store_state(block, &context);
            context = outer;
            SHA256_Transform(&context, block);
            store_state(u, &context);
            for (size_t k = 0; k < sizeof t; k++) t[k] ^= u[k];
        }
        size_t take = out_length - produced < sizeof t ? out_length - produced : sizeof t;
        memcpy(out + produced, t, take);
        produced += take;
    }
    OPENSSL_cleanse(key, sizeof key);
    OPENSSL_cleanse(pad, sizeof pad);
    OPENSSL_cleanse(u, sizeof u);
    OPENSSL_cleanse(t, sizeof t);
    OPENSSL_cleanse(block, sizeof block);
    OPENSSL_cleanse(&inner, sizeof inner);
    OPENSSL_cleanse(&outer, sizeof outer);
    OPENSSL_cleanse(&context, sizeof context);
    return 1;
}

// The PBES2 parameters segel writes, or 0 when the structure is anything else.
typedef struct {
    unsigned char salt[64];
    size_t salt_length;
    unsigned long iterations;
    unsigned char iv[16];
} pbes2_aes256_parameters;

static int read_pbes2_aes256(const X509_ALGOR *algorithm, pbes2_aes256_parameters *out) {
    int ok = 0;
    PBE2PARAM *pbe2 = NULL;
    PBKDF2PARAM *kdf = NULL;
    if (OBJ_obj2nid(algorithm->algorithm) != NID_pbes2) return 0;
    pbe2 = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBE2PARAM), algorithm->parameter);
    if (pbe2 == NULL || OBJ_obj2nid(pbe2->keyfunc->algorithm) != NID_id_pbkdf2
        || OBJ_obj2nid(pbe2->encryption->algorithm) != NID_aes_256_cbc) {
        goto end;
    }
    kdf = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBKDF2PARAM), pbe2->keyfunc->parameter);
    // An absent PRF means HMAC-SHA1 (RFC 8018 A.2): not this path.
    if (kdf == NULL || kdf->prf == NULL || OBJ_obj2nid(kdf->prf->algorithm) != NID_hmacWithSHA256
        || kdf->salt == NULL || kdf->salt->type != V_ASN1_OCTET_STRING) {
        goto end;
    }
    if (kdf->keylength != NULL) {
        long length = ASN1_INTEGER_get(kdf->keylength);
        if (length != 32) goto end;
    }
    long iterations = ASN1_INTEGER_get(kdf->iter);
    const ASN1_OCTET_STRING *salt = kdf->salt->value.octet_string;
    if (iterations <= 0 || salt->length <= 0 || (size_t)salt->length > sizeof out->salt) goto end;
    if (ASN1_TYPE_get_octetstring(pbe2->encryption->parameter, out->iv, sizeof out->iv) != (int)sizeof out->iv) {
        goto end;
    }
    memcpy(out->salt, salt->data, (size_t)salt->length);
    out->salt_length = (size_t)salt->length;
    out->iterations = (unsigned long)iterations;
    ok = 1;
end:
    PBKDF2PARAM_free(kdf);
    PBE2PARAM_free(pbe2);
    return ok;
}

PKCS8_PRIV_KEY_INFO *segel_pkcs8_decrypt(const X509_SIG *encrypted, const char *passphrase, int length) {
    const X509_ALGOR *algorithm = NULL;
    const ASN1_OCTET_STRING *ciphertext = NULL;
    pbes2_aes256_parameters parameters;
    X509_SIG_get0(encrypted, &algorithm, &ciphertext);
    if (algorithm == NULL || ciphertext == NULL || length < 0 || !read_pbes2_aes256(algorithm, &parameters)) {
        return PKCS8_decrypt(encrypted, passphrase, length);
    }
    PKCS8_PRIV_KEY_INFO *info = NULL;
    unsigned char key[32];
    int plain_length = 0, final_length = 0;
    unsigned char *plain = OPENSSL_malloc((size_t)ciphertext->length + 16);
    EVP_CIPHER_CTX *cipher = EVP_CIPHER_CTX_new();
    if (plain == NULL || cipher == NULL
        || !segel_pbkdf2_hmac_sha256((const unsigned char *)passphrase, (size_t)length, parameters.salt,
                                     parameters.salt_length, parameters.iterations, key, sizeof key)) {
        goto end;
    }
    if (EVP_DecryptInit_ex(cipher, EVP_aes_256_cbc(), NULL, key, parameters.iv) != 1
        || EVP_DecryptUpdate(cipher, plain, &plain_length, ciphertext->data, ciphertext->length) != 1) {
        goto end;
    }
    if (EVP_DecryptFinal_ex(cipher, plain + plain_length, &final_length) != 1) {
        ERR_raise(ERR_LIB_EVP, EVP_R_BAD_DECRYPT);
        goto end;
    }
    plain_length += final_length;
    const unsigned char *cursor = plain;
    info = d2i_PKCS8_PRIV_KEY_INFO(NULL, &cursor, plain_length);
    if (info != NULL && cursor != plain + plain_length) {
        PKCS8_PRIV_KEY_INFO_free(info);
        info = NULL;
    }
end:
    EVP_CIPHER_CTX_free(cipher);
    OPENSSL_cleanse(key, sizeof key);
    OPENSSL_cleanse(&parameters, sizeof parameters);
    if (plain != NULL) OPENSSL_clear_free(plain, (size_t)ciphertext->length + 16);
    return info;
}
