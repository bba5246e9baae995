/* The libcsv baseline for scripts/bench: parses a CSV file with libcsv and nothing else (strict
 * RFC 4180, 64 KiB reads, callbacks that only count), and prints rows, fields and bytes. */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>

struct counts { size_t fields, rows, field_bytes; };

static void field_ended(void *field, size_t len, void *data) {
    struct counts *c = data;
    c->fields++;
    c->field_bytes += len;
    (void)field;
}

static void row_ended(int terminator, void *data) {
    ((struct counts *)data)->rows++;
    (void)terminator;
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: csvparse FILE.csv\n"); return 2; }
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) { perror(argv[1]); return 1; }
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) return 1;
    static char buf[65536];
    struct counts c = {0, 0, 0};
    size_t total = 0;
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        total += (size_t)n;
        if (csv_parse(&p, buf, (size_t)n, field_ended, row_ended, &c) != (size_t)n) {
            fprintf(stderr, "csvparse: %s\n", csv_strerror(csv_error(&p)));
            return 1;
        }
    }
    if (n < 0) { perror(argv[1]); return 1; }
    if (csv_fini(&p, field_ended, row_ended, &c) != 0) {
        fprintf(stderr, "csvparse: %s\n", csv_strerror(csv_error(&p)));
        return 1;
    }
    csv_free(&p);
    printf("rows %zu fields %zu bytes %zu\n", c.rows, c.fields, total);
    return 0;
}
