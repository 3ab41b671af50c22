/*
 * test_read.c: the CSV, JSON Lines and JSON readers: records, lines,
 * raw bytes, bad records, encodings, and identical results whatever
 * the size of the chunks the input arrives in.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kn_private.h"

/* Read everything into one string: a line per record or bad record. */
static char *
dump(const char *data, size_t len, const struct kn_read_opts *o,
    size_t chunk)
{
	struct kn_buf out = KN_BUF_INIT;
	struct kn_reader *rd;
	struct kn_record *r;
	struct kn_error err;
	const char *hw;
	long hline;
	int rc;

	kn_error_clear(&err);
	rd = kn_reader_mem(data, len, "mem", o, &err);
	assert_non_null(rd);
	if (chunk > 0)
		knp_reader_chunk(rd, chunk);
	while ((rc = kn_reader_next(rd, &r, &err)),
	    (hw = kn_reader_header_warning(rd, &hline)) != NULL ?
	    kn_buf_addf(&out, "%ld HEADER %s\n", hline, hw) : 0,
	    rc != KN_READ_END || kn_reader_warning(rd) != NULL) {
		if (rc == KN_READ_END) {
			kn_buf_addf(&out, "END WARN %s\n",
			    kn_reader_warning(rd));
			break;
		}
		if (rc == KN_READ_RECORD) {
			kn_buf_addf(&out, "%ld ", kn_record_line(r));
			kn_record_to_json(r, &out);
			kn_record_free(r);
		} else {
			kn_buf_addf(&out, "%ld BAD %s", err.line, err.text);
			if (rc == KN_READ_FATAL) {
				kn_buf_addc(&out, '\n');
				break;
			}
		}
		if (kn_reader_warning(rd) != NULL)
			kn_buf_addf(&out, " WARN %s", kn_reader_warning(rd));
		kn_buf_addc(&out, '\n');
	}
	kn_reader_close(rd);
	return kn_buf_detach(&out);
}

static void
expect(const char *data, const struct kn_read_opts *o, const char *want)
{
	char *got = dump(data, strlen(data), o, 0);

	assert_string_equal(got, want);
	free(got);
}

static void
test_csv_excel(void **state)
{
	(void)state;
	/* BOM, semicolons, CRLF, a quoted field with a newline and quotes */
	expect("\xEF\xBB\xBFSTT;Đơn vị;Nội dung\r\n"
	    "1;Hạc Thành;\"Đề nghị \"\"gấp\"\"\r\ncấp xe\"\r\n"
	    "\r\n"
	    "2;Sầm Sơn;Kiến nghị\r\n", NULL,
	    "2 {\"STT\":\"1\",\"Đơn vị\":\"Hạc Thành\",\"Nội dung\":"
	    "\"Đề nghị \\\"gấp\\\"\\r\\ncấp xe\"}\n"
	    "5 {\"STT\":\"2\",\"Đơn vị\":\"Sầm Sơn\",\"Nội dung\":"
	    "\"Kiến nghị\"}\n");
}

static void
test_csv_sniff(void **state)
{
	struct kn_read_opts o = { 0 };

	(void)state;
	expect("a\tb\n1\t2\n", NULL, "2 {\"a\":\"1\",\"b\":\"2\"}\n");
	expect("a,b\n\"x;y\",2\n", NULL, "2 {\"a\":\"x;y\",\"b\":\"2\"}\n");
	o.delim = ';';
	expect("a,b;c\n1,2;3\n", &o, "2 {\"a,b\":\"1,2\",\"c\":\"3\"}\n");
}

static void
test_csv_rows(void **state)
{
	(void)state;
	/* too many fields: bad; too few: padded with a warning; empty: skip */
	expect("a,b\n1,2,3\n4\n,\n5,6,,\n", NULL,
	    "2 BAD row has 3 fields, the header has 2 (is a delimiter or a "
	    "quote missing?)\n"
	    "3 {\"a\":\"4\",\"b\":\"\"} WARN row has 1 fields, the header has "
	    "2; the missing ones are taken as empty\n"
	    "5 {\"a\":\"5\",\"b\":\"6\"}\n");
	/* duplicate and empty header names */
	expect("a,a,\n1,2,3\n", NULL,
	    "1 HEADER header: column 2 repeats the name of column 1; it is "
	    "called \"a_2\"\n2 {\"a\":\"1\",\"a_2\":\"2\",\"column_3\":\"3\"}\n");
	/* a header alone still says what is wrong with it */
	expect("\n\na,a\n", NULL, "3 HEADER header: column 2 repeats the name "
	    "of column 1; it is called \"a_2\"\n");
	/* CR-only line ends */
	expect("a,b\r1,2\r3,4", NULL,
	    "2 {\"a\":\"1\",\"b\":\"2\"}\n3 {\"a\":\"3\",\"b\":\"4\"}\n");
}

static void
test_csv_bad(void **state)
{
	struct kn_read_opts o = { 0 };

	(void)state;
	/* one stray quote costs its line, not the rest of the file */
	expect("a,b\n1,\"never closed\n2,3\n4,\"again\n5,6", NULL,
	    "2 BAD a quote opened on this line is never closed; the lines "
	    "after it were read again as rows\n"
	    "3 {\"a\":\"2\",\"b\":\"3\"}\n"
	    "4 BAD a quote opened on this line is never closed; the lines "
	    "after it were read again as rows\n"
	    "5 {\"a\":\"5\",\"b\":\"6\"}\n");
	/* on the last line, nothing to read again */
	expect("a,b\n1,2\n3,\"open", NULL, "2 {\"a\":\"1\",\"b\":\"2\"}\n"
	    "3 BAD the file ends inside a quoted field (a quote is "
	    "missing)\n");
	expect("a,b\nx\xF2y,2\n3,4\n", NULL,
	    "2 BAD invalid UTF-8 (byte 0xF2 at column 2); if the file comes "
	    "from an old Vietnamese system, try --encoding cp1258 or "
	    "--encoding tcvn\n3 {\"a\":\"3\",\"b\":\"4\"}\n");
	{
		const char nul[] = "a,b\n1,x\0y\n3,4\n";
		char *got = dump(nul, sizeof(nul) - 1, NULL, 0);

		assert_string_equal(got, "2 BAD NUL byte in field 2\n"
		    "3 {\"a\":\"3\",\"b\":\"4\"}\n");
		free(got);
	}
	o.max_field = 4;
	expect("a,b\n1,12345\n1,1234\n", &o,
	    "2 BAD field 2 (\"b\") is 5 bytes, over the limit of 4 bytes "
	    "(--max-field)\n3 {\"a\":\"1\",\"b\":\"1234\"}\n");
	o.max_field = 4;
	o.max_record = 8;
	/* An unclosed quote: the reader starts afresh after the limit. */
	expect("a,b\n1,\"1\n2\n3\n4,5\n7,8\n", &o,
	    "2 BAD record is longer than 8 bytes (the limit); is a quote "
	    "missing?\n5 {\"a\":\"4\",\"b\":\"5\"}\n"
	    "6 {\"a\":\"7\",\"b\":\"8\"}\n");
}

static void
test_jsonl(void **state)
{
	(void)state;
	expect("{\"a\":1,\"b\":[1,{\"c\":null}]}\n\n"
	    "{\"a\":\"x\"\n"
	    "[1]\n"
	    "{\"a\":1,\"a\":2}\n"
	    "{\"z\":\"y\",\"a\":true}\r\n", NULL,
	    "1 {\"a\":1,\"b\":[1,{\"c\":null}]}\n"
	    "3 BAD malformed JSON: '}' expected near end of file (column 8)\n"
	    "4 BAD not a JSON object (a record must be {...})\n"
	    "5 BAD malformed JSON: duplicate object key near '\"a\"' "
	    "(column 10)\n"
	    "6 {\"z\":\"y\",\"a\":true}\n");
	/* valid JSON the tools cannot hold, said plainly */
	expect("{\"t\":\"a\\u0000b\"}\n{\"n\":9223372036854775808}\n", NULL,
	    "1 BAD a NUL character (\\u0000) in a string (column 15): text "
	    "cannot hold one\n"
	    "2 BAD a number too large to hold (column 24); an id or a phone "
	    "number belongs in quotes\n");
}

static void
test_json_array(void **state)
{
	struct kn_read_opts o = { 0 };

	(void)state;
	expect("[\n {\"a\": \"]\\\"}\"},\n 7,\n {\"b\": [1,\n 2]}\n]\n", NULL,
	    "2 {\"a\":\"]\\\"}\"}\n"
	    "3 BAD not a JSON object (a record must be {...}) (value 2)\n"
	    "4 {\"b\":[1,2]}\n");
	expect("[{\"a\":1},{\"b\":", NULL,
	    "1 {\"a\":1}\n"
	    "1 BAD the file ends inside this value (truncated?) (value 2)\n"
	    "END WARN the file ends before the closing ']' (truncated?)\n");
	expect("[{\"a\":1}", NULL, "1 {\"a\":1}\nEND WARN the file ends "
	    "before the closing ']' (truncated?)\n");
	/* concatenated pretty objects, forced */
	o.format = KN_FMT_JSON;
	expect("{\n \"a\": 1\n}\n{\"b\": 2}\n", &o,
	    "1 {\"a\":1}\n4 {\"b\":2}\n");
	expect("[]", NULL, "");
}

static void
test_encodings(void **state)
{
	struct kn_read_opts o = { 0 };
	/* "text\nĐề nghị\n" in CP1258: Đ=D0, ề = ê (EA) + grave (CC) */
	const char cp[] = "text\n\xD0\xEA\xCC nghi\xF2\n";

	(void)state;
	o.encoding = "CP1258";
	expect(cp, &o, "2 {\"text\":\"Đề nghị\"}\n");
	/* found by fuzzing: empty input, forced format, an encoding */
	o.format = KN_FMT_JSONL;
	expect("", &o, "");
	o.format = KN_FMT_CSV;
	expect("", &o, "");
	o.encoding = NULL;
	expect("", &o, "");
	/*
	 * A byte CP1258 does not have (0x81) becomes U+FFFD where it
	 * stood, the letter before it (held back by the decoder for a
	 * tone mark) before it, and the first is on line 3.
	 */
	{
		const char bad[] = "text\nok\nabc\x81" "def\nx\x81\n";
		struct kn_reader *rd;
		struct kn_record *r;
		struct kn_error err;
		unsigned long nrep;
		long line;
		char *got;

		o.encoding = "CP1258";
		got = dump(bad, sizeof(bad) - 1, &o, 0);
		assert_string_equal(got, "2 {\"text\":\"ok\"}\n"
		    "3 {\"text\":\"abc\xEF\xBF\xBD" "def\"}\n"
		    "4 {\"text\":\"x\xEF\xBF\xBD\"}\n");
		free(got);
		kn_error_clear(&err);
		rd = kn_reader_mem(bad, sizeof(bad) - 1, "mem", &o, &err);
		assert_non_null(rd);
		while (kn_reader_next(rd, &r, &err) == KN_READ_RECORD)
			kn_record_free(r);
		knp_reader_encoding(rd, &nrep, &line);
		assert_int_equal(nrep, 2);
		assert_int_equal(line, 3);
		kn_reader_close(rd);
		o.encoding = NULL;
	}
	/* UTF-16LE with its mark: "t\n1\n" */
	{
		const char u16[] = "\xFF\xFEt\0\n\0" "1\0\n\0";
		char *got = dump(u16, sizeof(u16) - 1, NULL, 0);

		assert_string_equal(got, "2 {\"t\":\"1\"}\n");
		free(got);
	}
}

/* Every file under tests/, read in every chunk size, gives the same. */
static void
chunk_file(const char *path)
{
	struct stat st;
	FILE *fp;
	char *data, *base, *got;
	size_t n, chunk;

	if (stat(path, &st) == -1 || st.st_size > 16384 || st.st_size == 0)
		return;
	assert_non_null(fp = fopen(path, "rb"));
	data = malloc((size_t)st.st_size);
	n = fread(data, 1, (size_t)st.st_size, fp);
	fclose(fp);
	base = dump(data, n, NULL, 0);
	for (chunk = 1; chunk <= n; chunk++) {
		got = dump(data, n, NULL, chunk);
		if (strcmp(got, base) != 0)
			fail_msg("%s: chunks of %zu bytes differ", path, chunk);
		free(got);
	}
	free(base);
	free(data);
}

static void
walk(const char *dir, int *count)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];
	struct stat st;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		const char *dot = strrchr(e->d_name, '.');

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) == -1)
			continue;
		if (S_ISDIR(st.st_mode))
			walk(path, count);
		else if (strcmp(e->d_name, "input") == 0 || (dot != NULL &&
		    (strcmp(dot, ".csv") == 0 || strcmp(dot, ".json") == 0 ||
		    strcmp(dot, ".jsonl") == 0))) {
			chunk_file(path);
			(*count)++;
		}
	}
	closedir(d);
}

static void
test_chunks(void **state)
{
	int count = 0;

	(void)state;
	walk("tests/cli", &count);
	walk("tests/bad", &count);
	assert_true(count > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_excel),
		cmocka_unit_test(test_csv_sniff),
		cmocka_unit_test(test_csv_rows),
		cmocka_unit_test(test_csv_bad),
		cmocka_unit_test(test_jsonl),
		cmocka_unit_test(test_json_array),
		cmocka_unit_test(test_encodings),
		cmocka_unit_test(test_chunks),
	};

	return cmocka_run_group_tests_name("read", tests, NULL, NULL);
}
