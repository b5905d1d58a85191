#ifndef SEGEL_CQRPNG_SHIM_H
#define SEGEL_CQRPNG_SHIM_H

// libqrencode for the QR symbol, libpng (+zlib) for the PNG export.
#include <qrencode.h>
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

// libpng reports errors by longjmp, which Swift cannot catch, so the whole
// write runs here, under setjmp. The encoded file accumulates in a growing
// malloc'd buffer that the caller releases with segel_png_buffer_free.
typedef struct segel_png_buffer {
    unsigned char *data;
    size_t size;
    size_t capacity;
    int failed;
} segel_png_buffer;

static inline void segel_png_append(png_structp png, png_bytep bytes, png_size_t length) {
    segel_png_buffer *buffer = (segel_png_buffer *)png_get_io_ptr(png);
    if (buffer->failed) return;
    if (buffer->size + length > buffer->capacity) {
        size_t capacity = buffer->capacity ? buffer->capacity : 4096;
        while (capacity < buffer->size + length) capacity *= 2;
        unsigned char *grown = (unsigned char *)realloc(buffer->data, capacity);
        if (grown == NULL) {
            buffer->failed = 1;
            png_error(png, "out of memory");
        }
        buffer->data = grown;
        buffer->capacity = capacity;
    }
    memcpy(buffer->data + buffer->size, bytes, length);
    buffer->size += length;
}

static inline void segel_png_flush(png_structp png) { (void)png; }

/// Writes a 1-bit greyscale PNG (ISO/IEC 15948 colour type 0, bit depth 1) of
/// `width` x `height` pixels from packed rows (`row_bytes` each, most
/// significant bit first, 1 = white). No ancillary chunks (no tIME, no text),
/// so equal input gives equal bytes. Returns 0 on success.
static inline int segel_png_write_gray1(const unsigned char *rows, unsigned int width,
                                        unsigned int height, size_t row_bytes,
                                        segel_png_buffer *out) {
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    if (png == NULL) return -1;
    png_infop info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_write_struct(&png, NULL);
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return -1;
    }
    png_set_write_fn(png, out, segel_png_append, segel_png_flush);
    png_set_compression_level(png, 9);
    png_set_IHDR(png, info, width, height, 1, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (unsigned int y = 0; y < height; y++) {
        png_write_row(png, (png_const_bytep)(rows + (size_t)y * row_bytes));
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    return out->failed ? -1 : 0;
}

static inline void segel_png_buffer_free(segel_png_buffer *buffer) {
    free(buffer->data);
    buffer->data = NULL;
    buffer->size = 0;
    buffer->capacity = 0;
}

#endif
