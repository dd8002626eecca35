// SPDX-License-Identifier: GPL-2.0-or-later
/* json-assert.c - cmocka assertions on hvctl's JSON output, by path, so the
 * tests check values and types rather than json-c's layout. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <json-c/json.h>

#include "json-assert.h"

/* Parses a JSON document (the test fails if it is not one). */
struct json_object *json_doc(const char *text)
{
	struct json_object *j = json_tokener_parse(text);

	if (!j)
		fail_msg("not a JSON document:\n%s", text);
	return j;
}

/* The value at PATH ("domains/2/id": member names, array indexes), which
 * must exist; *NUL is set when it is JSON null. */
struct json_object *jget(struct json_object *j, const char *path)
{
	char buf[256], *save = NULL, *tok;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (json_object_is_type(j, json_type_array)) {
			size_t i = strtoul(tok, NULL, 10);

			if (i >= json_object_array_length(j))
				fail_msg("%s: no element %zu", path, i);
			j = json_object_array_get_idx(j, i);
		} else if (!json_object_is_type(j, json_type_object) ||
			   !json_object_object_get_ex(j, tok, &j)) {
			fail_msg("%s: no member '%s'", path, tok);
		}
	}
	return j;
}

void assert_jstr(struct json_object *doc, const char *path, const char *want)
{
	struct json_object *j = jget(doc, path);

	if (!json_object_is_type(j, json_type_string) || strcmp(json_object_get_string(j), want))
		fail_msg("%s: want \"%s\", got %s", path, want, json_object_to_json_string(j));
}

void assert_jnum(struct json_object *doc, const char *path, uint64_t want)
{
	struct json_object *j = jget(doc, path);

	if (!json_object_is_type(j, json_type_int) || json_object_get_uint64(j) != want)
		fail_msg("%s: want %llu, got %s", path, (unsigned long long)want,
			 json_object_to_json_string(j));
}

void assert_jnull(struct json_object *doc, const char *path)
{
	struct json_object *j = jget(doc, path);

	if (j)
		fail_msg("%s: want null, got %s", path, json_object_to_json_string(j));
}
