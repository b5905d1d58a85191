// Byte search for PKI's self-checks (memmem is a GNU extension Swift's Glibc
// module does not expose).
#define _GNU_SOURCE
#include <string.h>

#include "segel_crypto.h"

int segel_contains_bytes(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length) {
    if (needle_length == 0) return 1;
    if (haystack == NULL || needle == NULL) return 0;
    return memmem(haystack, haystack_length, needle, needle_length) != NULL;
}
