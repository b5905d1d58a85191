// RSA key pairs on libcrypto 3's BIGNUM, following FIPS 186-5 Appendix A.1.3
// (probable primes) with the Miller-Rabin test of Appendix B.3.1. See
// include/segel_rsa_keygen.h for why segel does not call EVP_PKEY_generate.

// RSA_set0_* are deprecated in OpenSSL 3.0; see assemble_key.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "segel_crypto.h"

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
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

// The key is assembled as a libcrypto "legacy" RSA key (RSA_set0_*, deprecated in
// 3.0 but supported throughout 3.x) rather than with EVP_PKEY_fromdata: OpenSSL 3.0
// encodes and decodes provider keys through OSSL_ENCODER/OSSL_DECODER contexts
// that are built anew for each call, so X509_set_pubkey and i2d_PUBKEY cost
// ~0.4 ms per key that way and a few microseconds through the legacy ASN.1
// methods. Its one signature goes through RSA_sign on this legacy key
// (rsa_sign.c); any EVP use exports it to the default provider once (cached).
static EVP_PKEY *assemble_key(const BIGNUM *n, const BIGNUM *e, const BIGNUM *d, const BIGNUM *p,
                              const BIGNUM *q, const BIGNUM *dp, const BIGNUM *dq, const BIGNUM *qinv) {
    RSA *rsa = RSA_new();
    EVP_PKEY *key = EVP_PKEY_new();
    BIGNUM *values[8] = { BN_dup(n), BN_dup(e), BN_dup(d), BN_dup(p), BN_dup(q), BN_dup(dp), BN_dup(dq), BN_dup(qinv) };
    int adopted = 0;
    for (int i = 0; i < 8; i++) {
        if (values[i] == NULL) goto fail;
        if (i >= 2) BN_set_flags(values[i], BN_FLG_CONSTTIME);
    }
    if (rsa == NULL || key == NULL) goto fail;
    // Each set0 call takes ownership of its values only when it succeeds.
    if (!RSA_set0_key(rsa, values[0], values[1], values[2])) goto fail;
    adopted = 3;
    if (!RSA_set0_factors(rsa, values[3], values[4])) goto fail;
    adopted = 5;
    if (!RSA_set0_crt_params(rsa, values[5], values[6], values[7])) goto fail;
    adopted = 8;
    if (!EVP_PKEY_assign_RSA(key, rsa)) goto fail;
    return key;
fail:
    for (int i = adopted; i < 8; i++) BN_clear_free(values[i]);
    RSA_free(rsa);
    EVP_PKEY_free(key);
    return NULL;
}

// Pairwise consistency (FIPS 186-5 5.6, SP 800-56B 6.4.1.1): the private-key
// operation with the CRT values the key carries, s = m^d mod n computed as
// RSA_sign does (m^dp mod p, m^dq mod q, Garner with qinv), then the public
// operation s^e mod n must give m back. It runs on the BIGNUMs rather than
// through EVP_PKEY_sign, which would set up RSA blinding (a constant-time
// modular inverse, ~0.45 ms for RSA-2048) for a key whose one real signature
// is made without it (rsa_sign.c). The document signature that follows is
// verified before anything is written (CMSSigner's self-check).
static int pairwise_consistent(const BIGNUM *n, const BIGNUM *e, const BIGNUM *p, const BIGNUM *q,
                               const BIGNUM *dp, const BIGNUM *dq, const BIGNUM *qinv, BN_CTX *ctx) {
    int ok = 0;
    BN_CTX_start(ctx);
    BIGNUM *m = BN_CTX_get(ctx), *m1 = BN_CTX_get(ctx), *m2 = BN_CTX_get(ctx);
    BIGNUM *h = BN_CTX_get(ctx), *s = BN_CTX_get(ctx), *back = BN_CTX_get(ctx);
    if (back == NULL) goto end;
    // A fixed message below n with both top and low bits set.
    if (!BN_set_bit(m, BN_num_bits(n) - 2) || !BN_add_word(m, 0xA5A5A5A5UL)) goto end;
    BN_set_flags(m1, BN_FLG_CONSTTIME);
    BN_set_flags(m2, BN_FLG_CONSTTIME);
    BN_set_flags(h, BN_FLG_CONSTTIME);
    BN_set_flags(s, BN_FLG_CONSTTIME);
    if (!BN_mod(m1, m, p, ctx) || !BN_mod_exp_mont_consttime(m1, m1, dp, p, ctx, NULL)
        || !BN_mod(m2, m, q, ctx) || !BN_mod_exp_mont_consttime(m2, m2, dq, q, ctx, NULL)
        || !BN_mod_sub(h, m1, m2, p, ctx) || !BN_mod_mul(h, h, qinv, p, ctx)
        || !BN_mul(s, h, q, ctx) || !BN_add(s, s, m2)) {
        goto end;
    }
    if (BN_cmp(s, n) >= 0 || !BN_mod_exp(back, s, e, n, ctx)) goto end;
    ok = BN_cmp(back, m) == 0;
end:
    if (h != NULL) BN_clear(h);
    if (s != NULL) BN_clear(s);
    if (m1 != NULL) BN_clear(m1);
    if (m2 != NULL) BN_clear(m2);
    BN_CTX_end(ctx);
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
        if (!pairwise_consistent(n, e, p, q, dp, dq, qinv, ctx)) {
            ERR_raise(ERR_LIB_RSA, RSA_R_PAIRWISE_TEST_FAILURE);
            goto end;
        }
        key = assemble_key(n, e, d, p, q, dp, dq, qinv);
        if (key == NULL) goto end;
    }
end:
    for (size_t i = 0; diff != NULL && i < secret_count; i++) BN_clear(secrets[i]);
    BN_CTX_end(ctx);
    BN_CTX_free(ctx);
    return key;
}
