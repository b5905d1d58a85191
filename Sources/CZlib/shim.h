#ifndef SEGEL_CZLIB_SHIM_H
#define SEGEL_CZLIB_SHIM_H

#include <zlib.h>

// deflateInit/inflateInit are macros in zlib.h.
static inline int segel_inflateInit(z_streamp strm) { return inflateInit(strm); }
static inline int segel_deflateInit(z_streamp strm, int level) { return deflateInit(strm, level); }

#endif
