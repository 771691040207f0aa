/* SPDX-License-Identifier: ISC */
/*
 * -o COLS and the printers: "FORMAT-BYTE COLS\nCELL": the column list
 * parsed by out_init, then one row whose text cells hold CELL (any bytes),
 * printed as a table, JSON, raw or export.
 */
#include "config.h"
#include <stdio.h>
#include "ipctool.h"
#include "output.h"
#include "fuzz.h"

static const struct out_column cols[] = {
	{ "KIND", COL_STR, COL_DEFAULT, NULL },
	{ "KEY", COL_KEY, COL_DEFAULT, NULL },
	{ "ID", COL_NUM, COL_DEFAULT, NULL },
	{ "NAME", COL_STR, COL_DEFAULT, NULL },
	{ "SIZE", COL_SIZE, 0, NULL },
	{ "CTIME", COL_TIME, 0, NULL },
	{ "STATUS", COL_STR, 0, NULL },
	{ "LOCKED", COL_BOOL, 0, NULL },
};
#define NCOLS	(sizeof cols / sizeof cols[0])

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct out	 o;
	const char	*bad = NULL, *nl;
	char		*spec, *cell, *buf = NULL;
	size_t		 len = 0, i, n;
	FILE		*f;

	if (size < 1)
		return 0;
	nl = memchr(data + 1, '\n', size - 1);
	n = nl != NULL ? (size_t)((const uint8_t *)nl - data - 1) : size - 1;
	spec = fuzz_str(data + 1, n);
	cell = nl != NULL ? fuzz_str((const uint8_t *)nl + 1,
	    size - n - 2) : fuzz_str(data, 0);
	if ((f = open_memstream(&buf, &len)) == NULL)
		abort();
	if (out_init(&o, f, (enum out_format)(data[0] % 4), cols, NCOLS,
	    data[0] & 0x80 ? NULL : spec, &bad) == 0) {
		o.headings = !(data[0] & 0x10);
		o.human = data[0] & 0x20;
		out_begin(&o, "objects");
		for (i = 0; i < 2; i++) {
			out_str(&o, 0, cell);
			out_str(&o, 1, "0x00000001");
			out_num(&o, 2, (long long)(size * 7919) - 4000);
			out_str(&o, 3, cell);
			out_unum(&o, 4, (unsigned long long)size << 30);
			out_time(&o, 5, (time_t)size * 86400 * 365);
			if (size & 1)
				out_null(&o, 6);
			else
				out_str(&o, 6, cell);
			out_str(&o, 7, size & 2 ? "true" : "false");
			out_row(&o);
		}
		out_end(&o);
		out_finish(&o);
	} else
		FUZZ_CHECK(bad != NULL);
	fclose(f);
	free(buf);
	free(spec);
	free(cell);
	return 0;
}
