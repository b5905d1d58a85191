/*
 * For scripts/bench-publish: the file-system floor of a published site.
 *
 *   replay-tree LIST-A LIST-B DEST
 *
 * Recreates a tree under DEST (which must not exist) from two operation
 * lists, one thread per list, and prints the seconds it took. A list has one
 * operation per line, fields separated by tabs, paths relative to DEST unless
 * absolute:
 *
 *   D <folder>                  mkdir
 *   W <file> <source>           create <file> with the bytes of <source>
 *   L <file> <earlier file>     hard link to a file this replay made
 *   X <file> <external file>    hard link to a file outside DEST
 *
 * Every source is read into memory before the clock starts, so the time is
 * only the system calls that put the same folders, files and links on disk
 * that segel publish puts there, without rendering, hashing or syncing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct op { char kind; char *path; char *other; char *bytes; size_t size; };
struct list { struct op *ops; size_t count; };

static int root;

static void fail(const char *what, const char *path) {
    fprintf(stderr, "replay-tree: %s %s: %s\n", what, path, strerror(errno));
    exit(1);
}

static char *slurp(const char *path, size_t *size) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail("cannot read", path);
    struct stat info;
    if (fstat(fd, &info) != 0) fail("cannot stat", path);
    char *bytes = malloc(info.st_size + 1);
    size_t done = 0;
    while (done < (size_t)info.st_size) {
        ssize_t n = read(fd, bytes + done, info.st_size - done);
        if (n <= 0) fail("cannot read", path);
        done += n;
    }
    close(fd);
    *size = done;
    return bytes;
}

static struct list load(const char *file) {
    FILE *in = fopen(file, "r");
    if (!in) fail("cannot open", file);
    struct list list = { NULL, 0 };
    size_t capacity = 0;
    char *line = NULL;
    size_t length = 0;
    while (getline(&line, &length, in) > 0) {
        line[strcspn(line, "\n")] = 0;
        if (!line[0]) continue;
        if (list.count == capacity) {
            capacity = capacity ? capacity * 2 : 4096;
            list.ops = realloc(list.ops, capacity * sizeof *list.ops);
        }
        struct op *op = &list.ops[list.count++];
        memset(op, 0, sizeof *op);
        op->kind = line[0];
        char *path = strchr(line, '\t');
        if (!path) { fprintf(stderr, "replay-tree: bad line in %s: %s\n", file, line); exit(1); }
        path++;
        char *other = strchr(path, '\t');
        if (other) *other++ = 0;
        op->path = strdup(path);
        op->other = other ? strdup(other) : NULL;
        if (op->kind == 'W') op->bytes = slurp(op->other, &op->size);
    }
    free(line);
    fclose(in);
    return list;
}

static void *run(void *argument) {
    struct list *list = argument;
    for (size_t i = 0; i < list->count; i++) {
        struct op *op = &list->ops[i];
        switch (op->kind) {
        case 'D':
            if (mkdirat(root, op->path, 0777) != 0 && errno != EEXIST) fail("cannot create", op->path);
            break;
        case 'W': {
            int fd = openat(root, op->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
            if (fd < 0) fail("cannot create", op->path);
            size_t done = 0;
            while (done < op->size) {
                ssize_t n = write(fd, op->bytes + done, op->size - done);
                if (n < 0) fail("cannot write", op->path);
                done += n;
            }
            if (close(fd) != 0) fail("cannot close", op->path);
            break;
        }
        case 'L':
            if (linkat(root, op->other, root, op->path, 0) != 0) fail("cannot link", op->path);
            break;
        case 'X':
            if (linkat(AT_FDCWD, op->other, root, op->path, 0) != 0) fail("cannot link", op->path);
            break;
        default:
            fprintf(stderr, "replay-tree: unknown operation %c\n", op->kind);
            exit(1);
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: replay-tree LIST-A LIST-B DEST\n");
        return 2;
    }
    struct list lists[2] = { load(argv[1]), load(argv[2]) };
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    if (mkdir(argv[3], 0777) != 0) fail("cannot create", argv[3]);
    root = open(argv[3], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root < 0) fail("cannot open", argv[3]);
    pthread_t threads[2];
    for (int i = 0; i < 2; i++) pthread_create(&threads[i], NULL, run, &lists[i]);
    for (int i = 0; i < 2; i++) pthread_join(threads[i], NULL);
    clock_gettime(CLOCK_MONOTONIC, &end);
    printf("%.3f\n", (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9);
    return 0;
}
