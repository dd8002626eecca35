/* SPDX-License-Identifier: GPL-2.0-or-later */
/* json-assert.h - cmocka assertions on JSON documents, by path. */
#ifndef HVCTL_TEST_JSON_ASSERT_H
#define HVCTL_TEST_JSON_ASSERT_H

#include <stdint.h>
#include <json-c/json.h>

/* Parses TEXT as one JSON document; the test fails if it is not one. */
struct json_object *json_doc(const char *text);
/* The value at PATH ("domains/2/id": member names, array indexes), which
 * must exist (NULL for JSON null). */
struct json_object *jget(struct json_object *j, const char *path);
/* The value at PATH is the string WANT / the number WANT / null. */
void assert_jstr(struct json_object *doc, const char *path, const char *want);
void assert_jnum(struct json_object *doc, const char *path, uint64_t want);
void assert_jnull(struct json_object *doc, const char *path);

#endif
