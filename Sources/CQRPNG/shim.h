#ifndef SEGEL_CQRPNG_SHIM_H
#define SEGEL_CQRPNG_SHIM_H

// libqrencode for the QR symbol, libpng (+zlib) for the PNG export.
#include <qrencode.h>
#include <png.h>

#endif
