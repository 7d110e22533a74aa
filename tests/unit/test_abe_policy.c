// SPDX-License-Identifier: GPL-2.0
/*
 * The CP-ABE policy language: precedence, parentheses, thresholds and the
 * flattening of chains, read through the test's own dump of the tree;
 * the canonical text and its round trip; satisfied() on every attribute
 * subset of small policies (against C expressions) and of random
 * policies (against truth tables the generator computes); every error
 * with its exact message and column; the limits at and past their bounds;
 * key attribute sets.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "abe/policy.h"

/* --- the test's view of a tree --- */

/* "or(a:1,and(b:2,c:3))", "2of(...)": the gates by what they are. */
static size_t dump(const struct cyl_abe_policy_node *node, char *out, size_t size)
{
	size_t len;
	unsigned int i;

	if (!node->n) {
		assert_null(node->child);
		return snprintf(out, size, "%s", node->attr);
	}
	assert_non_null(node->child);
	assert_null(node->attr);
	assert_true(node->n >= 2);
	assert_true(node->k >= 1 && node->k <= node->n);
	if (node->k == 1)
		len = snprintf(out, size, "or(");
	else if (node->k == node->n)
		len = snprintf(out, size, "and(");
	else
		len = snprintf(out, size, "%uof(", node->k);
	for (i = 0; i < node->n; i++) {
		if (i)
			len += snprintf(out + len, size - len, ",");
		len += dump(node->child[i], out + len, size - len);
		assert_true(len < size);
	}
	len += snprintf(out + len, size - len, ")");
	assert_true(len < size);
	return len;
}

/* Leaves numbered in order, and the policy's list the same. */
static void check_leaves(const struct cyl_abe_policy *p,
			 const struct cyl_abe_policy_node *node, size_t *seen)
{
	unsigned int i;

	if (!node->n) {
		assert_int_equal(node->leaf, *seen);
		assert_ptr_equal(p->leaves[*seen], node->attr);
		(*seen)++;
	}
	for (i = 0; i < node->n; i++)
		check_leaves(p, node->child[i], seen);
}

static struct cyl_abe_policy *parse_ok(const char *text)
{
	struct cyl_abe_policy *p = NULL;
	char err[256] = "unset";
	size_t seen = 0;
	int rc;

	rc = cyl_abe_policy_parse(text, &p, err, sizeof(err));
	if (rc)
		fail_msg("%s: %s", text, err);
	assert_string_equal(err, "");
	assert_non_null(p);
	check_leaves(p, p->root, &seen);
	assert_int_equal(seen, p->n_leaves);
	return p;
}

static void assert_dump(const char *text, const char *want)
{
	struct cyl_abe_policy *p = parse_ok(text);
	char got[4096];

	dump(p->root, got, sizeof(got));
	if (strcmp(got, want))
		fail_msg("%s: got %s, want %s", text, got, want);
	cyl_abe_policy_free(p);
}

static void assert_error(const char *text, const char *want)
{
	struct cyl_abe_policy *p = (void *)1;
	char err[512];

	assert_int_equal(cyl_abe_policy_parse(text, &p, err, sizeof(err)), -EINVAL);
	assert_null(p);
	if (strcmp(err, want))
		fail_msg("%.60s: got '%s', want '%s'", text, err, want);
}

/* --- structure --- */

static void test_precedence(void **state)
{
	assert_dump("a:1", "a:1");
	assert_dump("a:1 or b:2 and c:3", "or(a:1,and(b:2,c:3))");
	assert_dump("a:1 and b:2 or c:3", "or(and(a:1,b:2),c:3)");
	assert_dump("a:1 and b:2 or c:3 and d:4", "or(and(a:1,b:2),and(c:3,d:4))");
	assert_dump("a:1 or b:2 and c:3 or d:4", "or(a:1,and(b:2,c:3),d:4)");
	/* Keywords in any case, attributes compared as written. */
	assert_dump("a:1 AND b:2 Or c:3", "or(and(a:1,b:2),c:3)");
	assert_dump("A:1 and a:1 and a:X", "and(A:1,a:1,a:X)");
	/* Attributes may be called like keywords: the ':' decides. */
	assert_dump("and:or or of:and", "or(and:or,of:and)");
	assert_dump("2:3 and 10:x", "and(2:3,10:x)");
	assert_dump("ns.x-y_Z:v/a@b.c-d_E", "ns.x-y_Z:v/a@b.c-d_E");
	/* Whitespace of any kind, none needed next to parentheses. */
	assert_dump("\t a:1\nand\r\nb:2 ", "and(a:1,b:2)");
	assert_dump("(a:1)and(b:2)or(c:3)", "or(and(a:1,b:2),c:3)");
}

static void test_parentheses(void **state)
{
	assert_dump("((a:1))", "a:1");
	assert_dump("a:1 and (b:2 or c:3)", "and(a:1,or(b:2,c:3))");
	assert_dump("(a:1 or b:2) and c:3", "and(or(a:1,b:2),c:3)");
	assert_dump("(a:1 or b:2) and (c:3 or d:4)", "and(or(a:1,b:2),or(c:3,d:4))");
	assert_dump("a:1 and (b:2 or c:3 and (d:4 or e:5))",
		    "and(a:1,or(b:2,and(c:3,or(d:4,e:5))))");
	assert_dump("(a:1 and b:2) or c:3", "or(and(a:1,b:2),c:3)");
}

static void test_thresholds(void **state)
{
	assert_dump("2 of (a:1, b:2, c:3)", "2of(a:1,b:2,c:3)");
	assert_dump("2 OF(a:1,b:2,c:3)", "2of(a:1,b:2,c:3)");
	assert_dump("002 of (a:1, b:2, c:3)", "2of(a:1,b:2,c:3)");
	assert_dump("3 of (a:1, b:2, c:3, d:4)", "3of(a:1,b:2,c:3,d:4)");
	/* k == n is an and, k == 1 an or. */
	assert_dump("3 of (a:1, b:2, c:3)", "and(a:1,b:2,c:3)");
	assert_dump("1 of (a:1, b:2)", "or(a:1,b:2)");
	/* The conditions are whole formulas. */
	assert_dump("2 of (a:1 or b:2, c:3 and d:4, e:5)",
		    "2of(or(a:1,b:2),and(c:3,d:4),e:5)");
	assert_dump("a:1 and 2 of (b:2, c:3, d:4) or e:5",
		    "or(and(a:1,2of(b:2,c:3,d:4)),e:5)");
	assert_dump("2 of (2 of (a:1, b:2, c:3), d:4, e:5)",
		    "2of(2of(a:1,b:2,c:3),d:4,e:5)");
	/* Repeated attributes are separate leaves. */
	assert_dump("2 of (a:1, a:1, b:2)", "2of(a:1,a:1,b:2)");
}

static void test_flattening(void **state)
{
	assert_dump("a:1 and b:2 and c:3", "and(a:1,b:2,c:3)");
	assert_dump("(a:1 and b:2) and (c:3 and d:4)", "and(a:1,b:2,c:3,d:4)");
	assert_dump("a:1 and (b:2 and (c:3 and d:4))", "and(a:1,b:2,c:3,d:4)");
	assert_dump("a:1 or (b:2 or (c:3 or d:4))", "or(a:1,b:2,c:3,d:4)");
	assert_dump("(a:1 or b:2) or c:3 and d:4", "or(a:1,b:2,and(c:3,d:4))");
	/* Thresholds that are ands or ors join their kind. */
	assert_dump("2 of (a:1, b:2) and c:3", "and(a:1,b:2,c:3)");
	assert_dump("1 of (a:1, b:2) or c:3", "or(a:1,b:2,c:3)");
	assert_dump("2 of (a:1 and b:2, c:3)", "and(a:1,b:2,c:3)");
	assert_dump("1 of (a:1 or b:2, c:3)", "or(a:1,b:2,c:3)");
	assert_dump("2 of (a:1, b:2) or c:3", "or(and(a:1,b:2),c:3)");
	/* Not across kinds. */
	assert_dump("(a:1 or b:2) and (c:3 and d:4 or e:5)",
		    "and(or(a:1,b:2),or(and(c:3,d:4),e:5))");
	assert_dump("2 of (a:1, b:2, c:3) and 2 of (d:4, e:5, f:6)",
		    "and(2of(a:1,b:2,c:3),2of(d:4,e:5,f:6))");
}

/* --- the canonical text --- */

static void assert_canonical(const char *text, const char *want)
{
	struct cyl_abe_policy *p = parse_ok(text), *q;
	char a[4096], b[4096];
	char *s, *t;

	s = cyl_abe_policy_to_string(p);
	assert_non_null(s);
	if (strcmp(s, want))
		fail_msg("%s: canonical %s, want %s", text, s, want);
	q = parse_ok(s);
	dump(p->root, a, sizeof(a));
	dump(q->root, b, sizeof(b));
	assert_string_equal(a, b);
	t = cyl_abe_policy_to_string(q);
	assert_string_equal(s, t);
	free(s);
	free(t);
	cyl_abe_policy_free(p);
	cyl_abe_policy_free(q);
}

static void test_canonical(void **state)
{
	assert_canonical("(role:cardiologist and ward:ICU) or role:dpo",
			 "role:cardiologist and ward:ICU or role:dpo");
	assert_canonical("((a:1 or b:2)) AND c:3", "(a:1 or b:2) and c:3");
	assert_canonical("2 OF(a:1,b:2 ,c:3)", "2 of (a:1, b:2, c:3)");
	assert_canonical("3 of (a:1, b:2, c:3)", "a:1 and b:2 and c:3");
	assert_canonical("1 of (a:1, b:2) and c:3", "(a:1 or b:2) and c:3");
	assert_canonical("2 of (a:1 or b:2, c:3, d:4 and (e:5 or f:6))",
			 "2 of (a:1 or b:2, c:3, d:4 and (e:5 or f:6))");
	assert_canonical("a:1 and (2 of (b:2, c:3, d:4))",
			 "a:1 and 2 of (b:2, c:3, d:4)");
	assert_canonical("a:1 and (2 of (b:2, c:3, d:4) or e:5)",
			 "a:1 and (2 of (b:2, c:3, d:4) or e:5)");
	assert_canonical("(a:1 and b:2) or (c:3 and (d:4 or (e:5 or f:6)))",
			 "a:1 and b:2 or c:3 and (d:4 or e:5 or f:6)");
	assert_canonical("  x:y  ", "x:y");
}

/* --- satisfaction --- */

static const char *const abcd[] = { "a:1", "b:2", "c:3", "d:4" };

/* Every subset of a:1 b:2 c:3 d:4 against the C expression @f. */
static void assert_truth(const char *text, bool (*f)(bool a, bool b, bool c, bool d))
{
	struct cyl_abe_policy *p = parse_ok(text);
	const char *set[4];
	unsigned int s, i, n;

	for (s = 0; s < 16; s++) {
		for (i = n = 0; i < 4; i++) {
			if (s >> i & 1)
				set[n++] = abcd[i];
		}
		if (cyl_abe_policy_satisfied(p, set, n) != f(s & 1, s & 2, s & 4, s & 8))
			fail_msg("%s with subset %#x", text, s);
	}
	cyl_abe_policy_free(p);
}

static bool f_or_and(bool a, bool b, bool c, bool d)
{
	return (a && b) || c;
}

static bool f_and_or(bool a, bool b, bool c, bool d)
{
	return a && (b || c);
}

static bool f_two_of_three(bool a, bool b, bool c, bool d)
{
	return a + b + c >= 2;
}

static bool f_three_of_four(bool a, bool b, bool c, bool d)
{
	return a + b + c + d >= 3;
}

static bool f_nested(bool a, bool b, bool c, bool d)
{
	return d && ((a && b) + c + (b || d) >= 2);
}

static bool f_and4(bool a, bool b, bool c, bool d)
{
	return a && b && c && d;
}

static bool f_any(bool a, bool b, bool c, bool d)
{
	return a || b || c || d;
}

static void test_satisfied(void **state)
{
	struct cyl_abe_policy *p;
	const char *one[] = { "A:1" };
	const char *dup[] = { "a:1", "a:1" };

	assert_truth("a:1 and b:2 or c:3", f_or_and);
	assert_truth("a:1 and (b:2 or c:3)", f_and_or);
	assert_truth("2 of (a:1, b:2, c:3)", f_two_of_three);
	assert_truth("3 of (a:1, b:2, c:3, d:4)", f_three_of_four);
	assert_truth("d:4 and 2 of (a:1 and b:2, c:3, b:2 or d:4)", f_nested);
	assert_truth("a:1 and b:2 and c:3 and d:4", f_and4);
	assert_truth("1 of (a:1, b:2, c:3, d:4)", f_any);
	/* Case-sensitive attributes; a repeated one counts once per leaf. */
	p = parse_ok("a:1");
	assert_false(cyl_abe_policy_satisfied(p, one, 1));
	assert_false(cyl_abe_policy_satisfied(p, NULL, 0));
	cyl_abe_policy_free(p);
	p = parse_ok("2 of (a:1, a:1, b:2)");
	assert_true(cyl_abe_policy_satisfied(p, dup, 1));
	cyl_abe_policy_free(p);
	p = parse_ok("a:1 and b:2");
	assert_false(cyl_abe_policy_satisfied(p, dup, 2));
	cyl_abe_policy_free(p);
}

/* --- random policies --- */

#define U	5	/* attributes in the universe */

static const char *const universe[U] = {
	"role:nurse", "ward:ICU", "shift:night", "dept:cardio", "id:x.y@z/w",
};

struct gen {
	uint64_t s;
	char text[8192];
	size_t len;
	const char *leaves[64];
	unsigned int n_leaves;
};

static uint64_t rnd(struct gen *g)
{
	uint64_t z = g->s += 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void out(struct gen *g, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g->len += vsnprintf(g->text + g->len, sizeof(g->text) - g->len, fmt, ap);
	va_end(ap);
	assert_true(g->len < sizeof(g->text));
}

/* Optional whitespace; @need: at least one. */
static void space(struct gen *g, bool need)
{
	static const char *const ws[] = { "", " ", "  ", "\t", "\n" };

	out(g, "%s", ws[rnd(g) % 5]);
	if (need)
		out(g, " ");
}

static void keyword(struct gen *g, const char *kw)
{
	char k[4];
	size_t i;

	for (i = 0; kw[i]; i++)
		k[i] = rnd(g) & 1 ? kw[i] - 'a' + 'A' : kw[i];
	k[i] = '\0';
	out(g, "%s", k);
}

/*
 * A random formula, written with random spacing, case and redundant
 * parentheses; its truth table: bit S is set when the subset S of the
 * universe satisfies it.  @bare_or: an or chain needs no parentheses.
 */
static uint32_t gen_expr(struct gen *g, unsigned int depth, bool bare_or)
{
	uint32_t table[4], t = 0;
	unsigned int kind, n, k, i, s, c;
	bool paren;

	if (!depth || g->n_leaves >= 12 || rnd(g) % 3 == 0) {
		i = rnd(g) % U;
		out(g, "%s", universe[i]);
		g->leaves[g->n_leaves++] = universe[i];
		for (s = 0; s < 1u << U; s++)
			t |= (uint32_t)(s >> i & 1) << s;
		return t;
	}
	kind = rnd(g) % 3;	/* and, or, threshold */
	n = 2 + rnd(g) % 3;
	k = kind == 0 ? n : kind == 1 ? 1 : 1 + rnd(g) % n;
	paren = (kind == 1 && !bare_or) || rnd(g) % 4 == 0;
	if (paren) {
		out(g, "(");
		space(g, false);
	}
	if (kind == 2) {
		out(g, "%u", k);
		space(g, true);
		keyword(g, "of");
		space(g, false);
		out(g, "(");
	}
	for (i = 0; i < n; i++) {
		if (i && kind == 2) {
			space(g, false);
			out(g, ",");
		} else if (i) {
			space(g, true);
			keyword(g, kind ? "or" : "and");
		}
		space(g, i && kind != 2);
		table[i] = gen_expr(g, depth - 1, kind != 0);
	}
	if (kind == 2) {
		space(g, false);
		out(g, ")");
	}
	if (paren) {
		space(g, false);
		out(g, ")");
	}
	for (s = 0; s < 1u << U; s++) {
		for (i = c = 0; i < n; i++)
			c += table[i] >> s & 1;
		t |= (uint32_t)(c >= k) << s;
	}
	return t;
}

static void test_random(void **state)
{
	struct gen g = { .s = 20240611 };
	struct cyl_abe_policy *p, *q;
	const char *set[U];
	char a[8192], b[8192];
	unsigned int round, s, i, n;
	uint32_t table;
	char *canon, *again;

	for (round = 0; round < 2000; round++) {
		g.len = 0;
		g.n_leaves = 0;
		table = gen_expr(&g, 4, true);
		p = parse_ok(g.text);
		assert_int_equal(p->n_leaves, g.n_leaves);
		for (i = 0; i < g.n_leaves; i++)
			assert_string_equal(p->leaves[i], g.leaves[i]);
		for (s = 0; s < 1u << U; s++) {
			for (i = n = 0; i < U; i++) {
				if (s >> i & 1)
					set[n++] = universe[i];
			}
			if (cyl_abe_policy_satisfied(p, set, n) != (table >> s & 1))
				fail_msg("%s with subset %#x", g.text, s);
		}
		canon = cyl_abe_policy_to_string(p);
		q = parse_ok(canon);
		dump(p->root, a, sizeof(a));
		dump(q->root, b, sizeof(b));
		assert_string_equal(a, b);
		again = cyl_abe_policy_to_string(q);
		assert_string_equal(canon, again);
		assert_true(strlen(canon) <= strlen(g.text) + 4 * g.n_leaves);
		free(canon);
		free(again);
		cyl_abe_policy_free(p);
		cyl_abe_policy_free(q);
	}
}

/* --- errors --- */

static void test_errors(void **state)
{
	assert_error("", "policy: column 1: expected an attribute \"name:value\", "
		     "found the end of the text");
	assert_error("   ", "policy: column 4: expected an attribute \"name:value\", "
		     "found the end of the text");
	assert_error("(a:1 and b:2", "policy: column 13: expected \"and\", \"or\" or \")\" "
		     "closing the \"(\" of column 1, found the end of the text");
	assert_error("a:1 and b:2)", "policy: column 12: expected \"and\", \"or\" or the "
		     "end of the text, found \")\"");
	assert_error("(a:1 or b:2)) and c:3", "policy: column 13: expected \"and\", \"or\" "
		     "or the end of the text, found \")\"");
	assert_error("()", "policy: column 2: expected an attribute \"name:value\", "
		     "found \")\"");
	assert_error("and a:1", "policy: column 1: expected an attribute \"name:value\", "
		     "found \"and\"");
	assert_error("a:1 and", "policy: column 8: expected an attribute \"name:value\", "
		     "found the end of the text");
	assert_error("a:1 or or b:2", "policy: column 8: expected an attribute "
		     "\"name:value\", found \"or\"");
	assert_error("a:1 and ()", "policy: column 10: expected an attribute "
		     "\"name:value\", found \")\"");
	assert_error("a:1 b:2", "policy: column 5: expected \"and\", \"or\" or the end "
		     "of the text, found \"b:2\"");
	assert_error("role", "policy: column 1: expected an attribute \"name:value\", "
		     "found \"role\"");
	assert_error("(a:1 or role) and c:3", "policy: column 9: expected an attribute "
		     "\"name:value\", found \"role\"");
	/* Thresholds. */
	assert_error("3 of (a:1, b:2)", "policy: column 1: threshold \"3\" is more than "
		     "its 2 conditions");
	assert_error("a:1 or 4 of (a:1, b:2, c:3)", "policy: column 8: threshold \"4\" "
		     "is more than its 3 conditions");
	assert_error("99999999999999999999 of (a:1, b:2)", "policy: column 1: threshold "
		     "\"99999999999999999999\" is more than its 2 conditions");
	assert_error("0 of (a:1, b:2)", "policy: column 1: a threshold is at least 1, "
		     "found \"0\"");
	assert_error("1 of (a:1)", "policy: column 1: threshold \"1\" has 1 condition, "
		     "it needs at least 2");
	assert_error("2 (a:1, b:2)", "policy: column 3: expected \"of\" after the "
		     "threshold \"2\", found \"(\"");
	assert_error("2", "policy: column 2: expected \"of\" after the threshold \"2\", "
		     "found the end of the text");
	assert_error("2 of a:1", "policy: column 6: expected \"(\" after \"of\", "
		     "found \"a:1\"");
	assert_error("2of (a:1, b:2)", "policy: column 1: expected an attribute "
		     "\"name:value\", found \"2of\"");
	assert_error("of (a:1, b:2)", "policy: column 1: expected an attribute "
		     "\"name:value\", found \"of\"");
	assert_error("2 of (a:1, b:2", "policy: column 15: expected \"and\", \"or\", "
		     "\",\" or \")\" closing the \"(\" of column 6, found the end of the text");
	assert_error("2 of (a:1,, b:2)", "policy: column 11: expected an attribute "
		     "\"name:value\", found \",\"");
	assert_error("2 of (a:1, b:2,)", "policy: column 16: expected an attribute "
		     "\"name:value\", found \")\"");
	assert_error("2 of (a:1 b:2, c:3)", "policy: column 11: expected \"and\", \"or\", "
		     "\",\" or \")\" closing the \"(\" of column 6, found \"b:2\"");
	assert_error("a:1, b:2", "policy: column 4: expected \"and\", \"or\" or the end "
		     "of the text, found \",\"");
	/* Attributes. */
	assert_error("role:car$diologist", "policy: column 9: invalid character \"$\" in "
		     "attribute \"role:car$diologist\"");
	assert_error("2 of (a:1; b:2)", "policy: column 10: invalid character \";\" in "
		     "attribute \"a:1;\"");
	assert_error("x:y:z", "policy: column 4: invalid character \":\" in attribute "
		     "\"x:y:z\"");
	assert_error("ro/le:x", "policy: column 3: invalid character \"/\" in attribute "
		     "\"ro/le:x\"");
	assert_error("role:caf\xc3\xa9", "policy: column 9: invalid character \"\\xc3\" "
		     "in attribute \"role:caf\\xc3\\xa9\"");
	assert_error("a:1 and \"b:2\"", "policy: column 9: invalid character \"\\\"\" in "
		     "attribute \"\\\"b:2\\\"\"");
	assert_error(":x", "policy: column 1: empty attribute name in \":x\"");
	assert_error("a:1 or x:", "policy: column 9: empty attribute value in \"x:\"");
}

/* 64 characters are fine, 65 are not; the quote stops after 48. */
static void test_attribute_lengths(void **state)
{
	char name[70], value[70], text[160], want[256];
	struct cyl_abe_policy *p;

	memset(name, 'n', 65);
	name[65] = '\0';
	memset(value, 'w', 65);
	value[65] = '\0';
	snprintf(text, sizeof(text), "%.64s:v and v:%.64s", name, value);
	p = parse_ok(text);
	assert_int_equal(p->n_leaves, 2);
	assert_int_equal(strlen(p->leaves[0]), 66);
	assert_int_equal(strlen(p->leaves[1]), 66);
	cyl_abe_policy_free(p);

	snprintf(text, sizeof(text), "%s:v", name);
	snprintf(want, sizeof(want), "policy: column 65: attribute name longer than 64 "
		 "characters in \"%.48s...\"", text);
	assert_error(text, want);
	snprintf(text, sizeof(text), "v:%s", value);
	snprintf(want, sizeof(want), "policy: column 67: attribute value longer than 64 "
		 "characters in \"%.48s...\"", text);
	assert_error(text, want);
}

/* --- limits --- */

/* @depth nested "(" around a:1. */
static char *nested(unsigned int depth)
{
	char *s = malloc(2 * depth + 4);
	unsigned int i;

	assert_non_null(s);
	for (i = 0; i < depth; i++)
		s[i] = '(';
	memcpy(s + depth, "a:1", 3);
	for (i = 0; i < depth; i++)
		s[depth + 3 + i] = ')';
	s[2 * depth + 3] = '\0';
	return s;
}

/* 2 of (a:1, 2 of (a:1, ... b:2) ...): @depth thresholds, each one "(". */
static char *nested_thresholds(unsigned int depth, size_t *last_open)
{
	char *s = malloc(17 * depth + 4);
	size_t len = 0;
	unsigned int i;

	assert_non_null(s);
	for (i = 0; i < depth; i++) {
		len += sprintf(s + len, "2 of (a:1, ");
		*last_open = len - 6;
	}
	len += sprintf(s + len, "b:2");
	for (i = 0; i < depth; i++)
		len += sprintf(s + len, ", c:3)");
	return s;
}

/* @n leaves: "a:1 or a:1 or ..." */
static char *many(unsigned int n)
{
	char *s = malloc(7 * n);
	size_t len = 0;
	unsigned int i;

	assert_non_null(s);
	for (i = 0; i < n; i++)
		len += sprintf(s + len, "%sa:1", i ? " or " : "");
	return s;
}

static void test_limits(void **state)
{
	struct cyl_abe_policy *p;
	char *text, want[256];
	size_t open = 0, len, i;

	text = nested(CYL_ABE_POLICY_DEPTH_MAX);
	assert_dump(text, "a:1");
	free(text);
	text = nested(CYL_ABE_POLICY_DEPTH_MAX + 1);
	assert_error(text, "policy: column 33: parentheses nested deeper than 32, "
		     "found \"(\"");
	free(text);
	/* Deep enough to overflow a stack if nothing stopped it. */
	text = nested(1000000);
	assert_error(text, "policy: column 16385: the text is longer than 16384 bytes");
	text[CYL_ABE_POLICY_TEXT_MAX - 1] = '\0';
	assert_error(text, "policy: column 33: parentheses nested deeper than 32, "
		     "found \"(\"");
	free(text);

	text = nested_thresholds(CYL_ABE_POLICY_DEPTH_MAX, &open);
	p = parse_ok(text);
	assert_int_equal(p->n_leaves, 2 * CYL_ABE_POLICY_DEPTH_MAX + 1);
	cyl_abe_policy_free(p);
	free(text);
	text = nested_thresholds(CYL_ABE_POLICY_DEPTH_MAX + 1, &open);
	assert_int_equal(text[open], '(');
	snprintf(want, sizeof(want), "policy: column %zu: parentheses nested deeper "
		 "than 32, found \"(\"", open + 1);
	assert_error(text, want);
	free(text);

	text = many(CYL_ABE_POLICY_LEAVES_MAX);
	p = parse_ok(text);
	assert_int_equal(p->n_leaves, 256);
	assert_int_equal(p->root->n, 256);
	cyl_abe_policy_free(p);
	free(text);
	text = many(CYL_ABE_POLICY_LEAVES_MAX + 1);
	assert_error(text, "policy: column 1793: more than 256 attributes, "
		     "found \"a:1\"");
	free(text);

	/* 16384 bytes are fine, one more is not. */
	text = malloc(CYL_ABE_POLICY_TEXT_MAX + 2);
	assert_non_null(text);
	memset(text, ' ', CYL_ABE_POLICY_TEXT_MAX + 1);
	memcpy(text, "a:1", 3);
	text[CYL_ABE_POLICY_TEXT_MAX] = '\0';
	assert_dump(text, "a:1");
	text[CYL_ABE_POLICY_TEXT_MAX] = ' ';
	text[CYL_ABE_POLICY_TEXT_MAX + 1] = '\0';
	assert_error(text, "policy: column 16385: the text is longer than 16384 bytes");
	free(text);

	/*
	 * A tight "1 of(...)" under the limit whose canonical "... or ..."
	 * is over it: refused, so that every canonical text parses back.
	 */
	text = malloc(CYL_ABE_POLICY_TEXT_MAX + 1);
	assert_non_null(text);
	len = sprintf(text, "1 of(");
	for (i = 0; i < CYL_ABE_POLICY_LEAVES_MAX; i++)
		len += sprintf(text + len, "%sx%03zu:%057d", i ? "," : "", i, 0);
	len += sprintf(text + len, ")");
	assert_int_equal(len, 16133);
	assert_error(text, "policy: the canonical text is 16892 bytes, longer than 16384");
	free(text);
}

static void test_error_buffer(void **state)
{
	struct cyl_abe_policy *p;
	char err[16];

	assert_int_equal(cyl_abe_policy_parse("a:1 and", &p, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "policy: column ");
	assert_int_equal(cyl_abe_policy_parse("a:1 and", &p, NULL, 0), -EINVAL);
	assert_null(p);
	assert_int_equal(cyl_abe_policy_parse("a:1", &p, NULL, 0), 0);
	cyl_abe_policy_free(p);
	cyl_abe_policy_free(NULL);
}

/* --- key attribute sets --- */

static void assert_attrs(const char *text, size_t n, ...)
{
	char **attrs = NULL, err[256];
	size_t got = 99, i;
	va_list ap;
	int rc;

	rc = cyl_abe_attrs_parse(text, &attrs, &got, err, sizeof(err));
	if (rc)
		fail_msg("%s: %s", text, err);
	assert_int_equal(got, n);
	va_start(ap, n);
	for (i = 0; i < n; i++)
		assert_string_equal(attrs[i], va_arg(ap, const char *));
	va_end(ap);
	cyl_abe_attrs_free(attrs, got);
}

static void assert_attrs_error(const char *text, const char *want)
{
	char **attrs = (void *)1, err[256];
	size_t n = 99;

	assert_int_equal(cyl_abe_attrs_parse(text, &attrs, &n, err, sizeof(err)), -EINVAL);
	assert_null(attrs);
	assert_int_equal(n, 0);
	if (strcmp(err, want))
		fail_msg("%.60s: got '%s', want '%s'", text, err, want);
}

static void test_attrs(void **state)
{
	char *text, want[128], **attrs;
	size_t len = 0, i, n;

	assert_attrs("role:cardiologist,ward:ICU", 2, "role:cardiologist", "ward:ICU");
	assert_attrs(" role:cardiologist ,  ward:ICU\t", 2, "role:cardiologist", "ward:ICU");
	assert_attrs("a:1", 1, "a:1");
	assert_attrs("a:1, A:1, a:10, id:u@x/y", 4, "a:1", "A:1", "a:10", "id:u@x/y");

	assert_attrs_error("a:1, b:2, a:1", "attributes: column 11: duplicate attribute "
			   "\"a:1\", first at column 1");
	assert_attrs_error("", "attributes: column 1: expected an attribute "
			   "\"name:value\", found the end of the text");
	assert_attrs_error("a:1,", "attributes: column 5: expected an attribute "
			   "\"name:value\", found the end of the text");
	assert_attrs_error(",a:1", "attributes: column 1: expected an attribute "
			   "\"name:value\", found \",\"");
	assert_attrs_error("a:1,,b:2", "attributes: column 5: expected an attribute "
			   "\"name:value\", found \",\"");
	assert_attrs_error("a:1 b:2", "attributes: column 5: expected \",\" or the end "
			   "of the text, found \"b:2\"");
	assert_attrs_error("a:1, b:$", "attributes: column 8: invalid character \"$\" in "
			   "attribute \"b:$\"");
	assert_attrs_error("a:1,b:2(", "attributes: column 8: invalid character \"(\" in "
			   "attribute \"b:2(\"");
	assert_attrs_error("role", "attributes: column 1: expected an attribute "
			   "\"name:value\", found \"role\"");
	assert_attrs_error("a:1, :x", "attributes: column 6: empty attribute name in "
			   "\":x\"");

	text = malloc(16 * (CYL_ABE_ATTRS_MAX + 1));
	assert_non_null(text);
	for (i = 0; i < CYL_ABE_ATTRS_MAX; i++)
		len += sprintf(text + len, "%sa%zu:x", i ? "," : "", i);
	assert_int_equal(cyl_abe_attrs_parse(text, &attrs, &n, want, sizeof(want)), 0);
	assert_int_equal(n, CYL_ABE_ATTRS_MAX);
	for (i = 0; i < n; i++) {
		sprintf(want, "a%zu:x", i);
		assert_string_equal(attrs[i], want);
	}
	cyl_abe_attrs_free(attrs, n);
	sprintf(want, "attributes: column %zu: more than 256 attributes, "
		"found \"a256:x\"", len + 2);
	sprintf(text + len, ",a256:x");
	assert_attrs_error(text, want);
	free(text);
	text = malloc(CYL_ABE_POLICY_TEXT_MAX + 2);
	assert_non_null(text);
	memset(text, ' ', CYL_ABE_POLICY_TEXT_MAX + 1);
	memcpy(text, "a:1", 3);
	text[CYL_ABE_POLICY_TEXT_MAX + 1] = '\0';
	assert_attrs_error(text, "attributes: column 16385: the text is longer than "
			   "16384 bytes");
	text[CYL_ABE_POLICY_TEXT_MAX] = '\0';
	assert_attrs(text, 1, "a:1");
	free(text);
	cyl_abe_attrs_free(NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_parentheses),
		cmocka_unit_test(test_thresholds),
		cmocka_unit_test(test_flattening),
		cmocka_unit_test(test_canonical),
		cmocka_unit_test(test_satisfied),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_attribute_lengths),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_error_buffer),
		cmocka_unit_test(test_attrs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
