// RSA key pairs on libcrypto 3's BIGNUM, following FIPS 186-5 Appendix A.1.3
// (probable primes) with the Miller-Rabin test of Appendix B.3.1. See
// include/segel_rsa_keygen.h for why segel does not call EVP_PKEY_generate.

#include "segel_crypto.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

// Odd primes 3 ... 32611 divide out about 89% of odd candidates before any
// modular exponentiation (Mertens: 1.12 / ln 32611 of them survive).
#define SMALL_PRIME_COUNT 3500
// Candidates start + 2k for k < SIEVE_SLOTS: 8,192 integers, about eleven
// average prime gaps at 1,024 bits, so a fresh random start is rarely needed.
#define SIEVE_SLOTS 4096
#define PUBLIC_EXPONENT 65537UL
// A bound on fresh random starts per prime; reaching it means the random
// generator is broken, not bad luck.
#define MAX_STARTS 1000

static uint16_t small_primes[SMALL_PRIME_COUNT];
static pthread_once_t small_primes_once = PTHREAD_ONCE_INIT;

static void fill_small_primes(void) {
    int count = 0;
    for (uint32_t candidate = 3; count < SMALL_PRIME_COUNT; candidate += 2) {
        int prime = 1;
        for (int i = 0; i < count && (uint32_t)small_primes[i] * small_primes[i] <= candidate; i++) {
            if (candidate % small_primes[i] == 0) {
                prime = 0;
                break;
            }
        }
        if (prime) small_primes[count++] = (uint16_t)candidate;
    }
}

int segel_rsa_prime_rounds(int bits) {
    // FIPS 186-5 Table B.1 (M-R only, error < 2^-112): 4 rounds for 1024-bit
    // primes, 3 for 1536-bit ones; one more each here.
    return bits >= 3072 ? 4 : 5;
}

// FIPS 186-5 B.3.1 on an odd w > 3 with random bases b in [2, w - 2].
// Returns 1 (probably prime), 0 (composite) or -1 (error).
static int miller_rabin(const BIGNUM *w, int rounds, BN_CTX *ctx) {
    int result = -1;
    BN_MONT_CTX *mont = BN_MONT_CTX_new();
    BN_CTX_start(ctx);
    BIGNUM *w1 = BN_CTX_get(ctx);
    BIGNUM *m = BN_CTX_get(ctx);
    BIGNUM *range = BN_CTX_get(ctx);
    BIGNUM *b = BN_CTX_get(ctx);
    BIGNUM *z = BN_CTX_get(ctx);
    if (mont == NULL || z == NULL) goto end;
    if (!BN_sub(w1, w, BN_value_one())) goto end;
    int a = 1;
    while (!BN_is_bit_set(w1, a)) a++;
    if (!BN_rshift(m, w1, a) || !BN_copy(range, w1) || !BN_sub_word(range, 2)) goto end;
    if (!BN_MONT_CTX_set(mont, w, ctx)) goto end;
    result = 1;
    for (int round = 0; round < rounds && result == 1; round++) {
        if (!BN_priv_rand_range_ex(b, range, 0, ctx) || !BN_add_word(b, 2)
            || !BN_mod_exp_mont(z, b, m, w, ctx, mont)) {
            result = -1;
            break;
        }
        if (BN_is_one(z) || BN_cmp(z, w1) == 0) continue;
        int reached_minus_one = 0;
        for (int j = 1; j < a; j++) {
            if (!BN_mod_sqr(z, z, w, ctx)) {
                result = -1;
                break;
            }
            if (BN_cmp(z, w1) == 0) {
                reached_minus_one = 1;
                break;
            }
            if (BN_is_one(z)) break;
        }
        if (result == 1 && !reached_minus_one) result = 0;
    }
end:
    BN_CTX_end(ctx);
    BN_MONT_CTX_free(mont);
    return result;
}

// A random `bits`-bit prime p with its top two bits set (so p > sqrt(2) *
// 2^(bits - 1), FIPS 186-5 A.1.3 step 4.4) and gcd(p - 1, 65537) = 1.
static int generate_prime(BIGNUM *p, int bits, BN_CTX *ctx) {
    uint8_t sieve[SIEVE_SLOTS];
    int rounds = segel_rsa_prime_rounds(bits * 2);
    int found = 0;
    BN_CTX_start(ctx);
    BIGNUM *start = BN_CTX_get(ctx);
    if (start == NULL) goto end;
    BN_set_flags(start, BN_FLG_CONSTTIME);
    for (int attempt = 0; attempt < MAX_STARTS && !found; attempt++) {
        if (!BN_priv_rand_ex(start, bits, BN_RAND_TOP_TWO, BN_RAND_BOTTOM_ODD, 0, ctx)) goto end;
        memset(sieve, 0, sizeof sieve);
        for (int i = 0; i < SMALL_PRIME_COUNT; i++) {
            BN_ULONG r = small_primes[i];
            BN_ULONG mod = BN_mod_word(start, r);
            if (mod == (BN_ULONG)-1) goto end;
            // start + 2k = 0 (mod r)  <=>  k = -mod * 2^-1 (mod r), and 2^-1 = (r + 1) / 2.
            for (BN_ULONG k = (r - mod) % r * ((r + 1) / 2) % r; k < SIEVE_SLOTS; k += r) sieve[k] = 1;
        }
        // 65537 is prime, so gcd(p - 1, 65537) = 1 unless p = 1 (mod 65537).
        BN_ULONG mod = BN_mod_word(start, PUBLIC_EXPONENT);
        if (mod == (BN_ULONG)-1) goto end;
        for (BN_ULONG k = (1 + PUBLIC_EXPONENT - mod) % PUBLIC_EXPONENT * ((PUBLIC_EXPONENT + 1) / 2) % PUBLIC_EXPONENT;
             k < SIEVE_SLOTS; k += PUBLIC_EXPONENT) {
            sieve[k] = 1;
        }
        for (BN_ULONG k = 0; k < SIEVE_SLOTS; k++) {
            if (sieve[k]) continue;
            if (!BN_copy(p, start) || !BN_add_word(p, 2 * k)) goto end;
            if (BN_num_bits(p) != bits) break;
            int verdict = miller_rabin(p, rounds, ctx);
            if (verdict < 0) goto end;
            if (verdict == 1) {
                found = 1;
                break;
            }
        }
    }
end:
    OPENSSL_cleanse(sieve, sizeof sieve);
    BN_CTX_end(ctx);
    return found;
}

// Clears every value of a parameter array built by OSSL_PARAM_BLD before it is
// freed (OpenSSL 3.0 has no OSSL_PARAM_clear_free).
static void clear_free_params(OSSL_PARAM *params) {
    if (params == NULL) return;
    for (OSSL_PARAM *param = params; param->key != NULL; param++) {
        if (param->data != NULL) OPENSSL_cleanse(param->data, param->data_size);
    }
    OSSL_PARAM_free(params);
}

static EVP_PKEY *assemble_key(const BIGNUM *n, const BIGNUM *e, const BIGNUM *d, const BIGNUM *p,
                              const BIGNUM *q, const BIGNUM *dp, const BIGNUM *dq, const BIGNUM *qinv) {
    EVP_PKEY *key = NULL;
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *context = NULL;
    OSSL_PARAM_BLD *builder = OSSL_PARAM_BLD_new();
    if (builder == NULL) goto end;
    if (!OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_N, n)
        || !OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_E, e)
        || !OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_D, d)
        || !OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_FACTOR1, p)
        || !OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_FACTOR2, q)
        || !OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_EXPONENT1, dp)
        || !OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_EXPONENT2, dq)
        || !OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_COEFFICIENT1, qinv)) {
        goto end;
    }
    params = OSSL_PARAM_BLD_to_param(builder);
    context = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
    if (params == NULL || context == NULL || EVP_PKEY_fromdata_init(context) != 1
        || EVP_PKEY_fromdata(context, &key, EVP_PKEY_KEYPAIR, params) != 1) {
        EVP_PKEY_free(key);
        key = NULL;
    }
end:
    EVP_PKEY_CTX_free(context);
    clear_free_params(params);
    OSSL_PARAM_BLD_free(builder);
    return key;
}

// FIPS 186-5 5.6 / SP 800-56B 6.4.1.1: sign with the new key and verify with it.
static int pairwise_consistent(EVP_PKEY *key) {
    unsigned char digest[32];
    unsigned char signature[512];
    size_t length = sizeof signature;
    int ok = 0;
    for (size_t i = 0; i < sizeof digest; i++) digest[i] = (unsigned char)(0xA5 ^ i);
    EVP_PKEY_CTX *context = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
    if (context == NULL) return 0;
    if (EVP_PKEY_sign_init(context) == 1 && EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PADDING) == 1
        && EVP_PKEY_CTX_set_signature_md(context, EVP_sha256()) == 1
        && EVP_PKEY_sign(context, signature, &length, digest, sizeof digest) == 1
        && EVP_PKEY_verify_init(context) == 1 && EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PADDING) == 1
        && EVP_PKEY_CTX_set_signature_md(context, EVP_sha256()) == 1
        && EVP_PKEY_verify(context, signature, length, digest, sizeof digest) == 1) {
        ok = 1;
    }
    EVP_PKEY_CTX_free(context);
    return ok;
}

EVP_PKEY *segel_rsa_generate_key(int bits) {
    if (bits != 2048 && bits != 3072) {
        ERR_raise(ERR_LIB_RSA, RSA_R_KEY_SIZE_TOO_SMALL);
        return NULL;
    }
    pthread_once(&small_primes_once, fill_small_primes);
    EVP_PKEY *key = NULL;
    BN_CTX *ctx = BN_CTX_secure_new();
    if (ctx == NULL) return NULL;
    BN_CTX_start(ctx);
    BIGNUM *p = BN_CTX_get(ctx), *q = BN_CTX_get(ctx), *n = BN_CTX_get(ctx), *e = BN_CTX_get(ctx);
    BIGNUM *d = BN_CTX_get(ctx), *dp = BN_CTX_get(ctx), *dq = BN_CTX_get(ctx), *qinv = BN_CTX_get(ctx);
    BIGNUM *p1 = BN_CTX_get(ctx), *q1 = BN_CTX_get(ctx), *gcd = BN_CTX_get(ctx), *lcm = BN_CTX_get(ctx);
    BIGNUM *diff = BN_CTX_get(ctx);
    BIGNUM *secrets[] = { p, q, d, dp, dq, qinv, p1, q1, gcd, lcm };
    const size_t secret_count = sizeof secrets / sizeof secrets[0];
    // BN_CTX_get returns NULL from the first failure on, so diff guards them all.
    if (diff == NULL || !BN_set_word(e, PUBLIC_EXPONENT)) goto end;
    for (size_t i = 0; i < secret_count; i++) BN_set_flags(secrets[i], BN_FLG_CONSTTIME);
    int half = bits / 2;
    for (int attempt = 0; attempt < 8 && key == NULL; attempt++) {
        if (!generate_prime(p, half, ctx)) goto end;
        // FIPS 186-5 A.1.3 step 5.5: |p - q| > 2^(nlen/2 - 100).
        do {
            if (!generate_prime(q, half, ctx) || !BN_sub(diff, p, q)) goto end;
            BN_set_negative(diff, 0);
        } while (BN_num_bits(diff) <= half - 100);
        if (!BN_mul(n, p, q, ctx) || BN_num_bits(n) != bits) goto end;
        // d = e^-1 mod lcm(p - 1, q - 1) (FIPS 186-5 A.1.1).
        if (!BN_sub(p1, p, BN_value_one()) || !BN_sub(q1, q, BN_value_one())
            || !BN_gcd(gcd, p1, q1, ctx) || !BN_mul(lcm, p1, q1, ctx) || !BN_div(lcm, NULL, lcm, gcd, ctx)
            || BN_mod_inverse(d, e, lcm, ctx) == NULL) {
            goto end;
        }
        // FIPS 186-5 A.1.1 step 3: d > 2^(nlen/2); otherwise start over (probability ~2^-1024).
        if (BN_num_bits(d) <= half) continue;
        if (!BN_mod(dp, d, p1, ctx) || !BN_mod(dq, d, q1, ctx) || BN_mod_inverse(qinv, q, p, ctx) == NULL) goto end;
        key = assemble_key(n, e, d, p, q, dp, dq, qinv);
        if (key == NULL) goto end;
        if (!pairwise_consistent(key)) {
            EVP_PKEY_free(key);
            key = NULL;
            goto end;
        }
    }
end:
    for (size_t i = 0; diff != NULL && i < secret_count; i++) BN_clear(secrets[i]);
    BN_CTX_end(ctx);
    BN_CTX_free(ctx);
    return key;
}
