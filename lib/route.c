/*
 * route.c: the routing table, the priority phrases and the router that
 * gives a record its department, priority and due date.
 *
 * Texts are cut into syllables once per record.  Each syllable is kept
 * twice: folded ("chay"), and with its marks in a canonical form where
 * the vowel marks stay on their letter and the tone goes to the end
 * ("cha'y" for cháy, "cha.y" for chạy), so that the old and the new tone
 * placement (hoà, hòa) give the same key.  A phrase is looked up by its
 * first folded syllable in a hash map and compared syllable by syllable.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "kn_private.h"
#include "kn/route.h"
#include "kn/workdays.h"

/* ==== syllables with their marks ==== */

enum { CP_DROP, CP_SYL, CP_SEP, CP_STOP };

#define CP_TABLE 0x2100
#define CP_FOLD 8
#define CP_MARK 12

struct cpinfo {
	unsigned char	 cls;		/* CP_* */
	unsigned char	 flen, mlen;
	char		 tone;		/* 0, or the tone's sign */
	char		 fold[CP_FOLD];	/* folded letters */
	char		 mark[CP_MARK];	/* letters with their vowel marks */
};

static struct cpinfo cptab[CP_TABLE];
static int cptab_ready;

/* The sign of a combining tone mark, or 0. */
static char
tone_sign(utf8proc_int32_t cp)
{
	switch (cp) {
	case 0x0301: case 0x0341: return '\'';	/* sắc */
	case 0x0300: case 0x0340: return '`';	/* huyền */
	case 0x0309: return '?';		/* hỏi */
	case 0x0303: return '~';		/* ngã */
	case 0x0323: return '.';		/* nặng */
	}
	return 0;
}

/* The sign of a combining vowel mark, or 0. */
static char
vowel_sign(utf8proc_int32_t cp)
{
	switch (cp) {
	case 0x0302: return '^';		/* â ê ô */
	case 0x0306: return '(';		/* ă */
	case 0x031B: return '+';		/* ơ ư */
	}
	return 0;
}

static void
cp_compute(long cp, struct cpinfo *ci)
{
	utf8proc_int32_t cps[8];
	utf8proc_ssize_t n, k;
	utf8proc_category_t cat;
	unsigned char tmp[4];
	int last = 0;

	memset(ci, 0, sizeof(*ci));
	if (cp < 0x80) {
		if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') ||
		    (cp >= 'A' && cp <= 'Z')) {
			ci->cls = CP_SYL;
			ci->fold[0] = ci->mark[0] =
			    (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
			ci->flen = ci->mlen = 1;
		} else if (cp == '.' || cp == '!' || cp == '?' || cp == ';' ||
		    cp == '\n' || cp == '\r')
			ci->cls = CP_STOP;
		else
			ci->cls = CP_SEP;
		return;
	}
	if (cp == 0x2026 || cp == 0x2029 || cp == 0x2028 || cp == 0x85) {
		ci->cls = CP_STOP;	/* … and line or paragraph breaks */
		return;
	}
	cat = utf8proc_category((utf8proc_int32_t)cp);
	if (cat == UTF8PROC_CATEGORY_CC || cat == UTF8PROC_CATEGORY_CF) {
		ci->cls = CP_DROP;
		return;
	}
	if ((cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_SO) ||
	    cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
	    cat == UTF8PROC_CATEGORY_ZP) {
		ci->cls = CP_SEP;
		return;
	}
	ci->cls = CP_SYL;
	n = utf8proc_decompose_char((utf8proc_int32_t)cp, cps, 8,
	    UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_COMPAT, &last);
	if (n < 0 || n > 8)
		return;
	for (k = 0; k < n; k++) {
		utf8proc_ssize_t m;
		char s;

		if (cps[k] == 0x0110 || cps[k] == 0x0111) {	/* Đ đ */
			if (ci->flen + 1 > CP_FOLD || ci->mlen + 2 > CP_MARK)
				break;
			ci->fold[ci->flen++] = 'd';
			ci->mark[ci->mlen++] = 'd';
			ci->mark[ci->mlen++] = '-';
			continue;
		}
		if ((s = tone_sign(cps[k])) != 0) {
			if (ci->tone == 0)
				ci->tone = s;
			continue;
		}
		if ((s = vowel_sign(cps[k])) != 0) {
			if (ci->mlen + 1 > CP_MARK)
				break;
			ci->mark[ci->mlen++] = s;
			continue;
		}
		cat = utf8proc_category(cps[k]);
		if (cat == UTF8PROC_CATEGORY_MN ||
		    cat == UTF8PROC_CATEGORY_MC || cat == UTF8PROC_CATEGORY_ME)
			continue;	/* a mark Vietnamese does not use */
		m = utf8proc_encode_char(cps[k], tmp);
		if (ci->flen + m > CP_FOLD || ci->mlen + m > CP_MARK)
			break;
		memcpy(ci->fold + ci->flen, tmp, (size_t)m);
		memcpy(ci->mark + ci->mlen, tmp, (size_t)m);
		ci->flen += (unsigned char)m;
		ci->mlen += (unsigned char)m;
	}
}

static void
cptab_init(void)
{
	long cp;

	for (cp = 0; cp < CP_TABLE; cp++)
		cp_compute(cp, &cptab[cp]);
	cptab_ready = 1;
}

struct syl {
	uint32_t	 fo, fl;	/* the folded form in scan.f */
	uint32_t	 mo, ml;	/* the marked form in scan.m */
	uint32_t	 sent;		/* the sentence it is in */
	unsigned char	 marked;	/* it carries a Vietnamese mark */
	unsigned char	 letter;	/* it has a letter (not only digits) */
};

/* The syllables of a text; reused from record to record. */
struct scan {
	struct kn_buf	 f, m;
	struct syl	*s;
	size_t		 n, cap;
	size_t		 nletter, nmarked;
	uint32_t	 sent;
	int		 open;		/* a syllable is being read */
	char		 tone;
};

static void
scan_reset(struct scan *sc)
{
	kn_buf_reset(&sc->f);
	kn_buf_reset(&sc->m);
	sc->n = sc->nletter = sc->nmarked = 0;
	sc->sent = 0;
	sc->open = 0;
	sc->tone = 0;
}

static void
scan_free(struct scan *sc)
{
	kn_buf_free(&sc->f);
	kn_buf_free(&sc->m);
	free(sc->s);
	memset(sc, 0, sizeof(*sc));
}

static int
scan_close(struct scan *sc)
{
	struct syl *y;
	size_t i;

	if (!sc->open)
		return 0;
	sc->open = 0;
	y = &sc->s[sc->n];
	if (sc->tone != 0 && kn_buf_addc(&sc->m, sc->tone) == -1)
		return -1;
	y->fl = (uint32_t)(sc->f.len - y->fo);
	y->ml = (uint32_t)(sc->m.len - y->mo);
	y->marked = sc->tone != 0 || y->ml != y->fl ||
	    memcmp(sc->f.data + y->fo, sc->m.data + y->mo, y->fl) != 0;
	y->letter = 0;
	for (i = 0; i < y->fl; i++) {
		unsigned char c = (unsigned char)sc->f.data[y->fo + i];

		if (!(c >= '0' && c <= '9')) {
			y->letter = 1;
			break;
		}
	}
	sc->nletter += y->letter;
	sc->nmarked += y->marked;
	sc->tone = 0;
	sc->n++;
	return 0;
}

static int
scan_open(struct scan *sc)
{
	struct syl *y;

	if (sc->n == sc->cap) {
		size_t cap = sc->cap ? sc->cap * 2 : 64;

		if ((y = realloc(sc->s, cap * sizeof(*y))) == NULL)
			return -1;
		sc->s = y;
		sc->cap = cap;
	}
	y = &sc->s[sc->n];
	y->fo = (uint32_t)sc->f.len;
	y->mo = (uint32_t)sc->m.len;
	y->sent = sc->sent;
	sc->open = 1;
	sc->tone = 0;
	return 0;
}

/* End the sentence: what follows is in the next one. */
static int
scan_stop(struct scan *sc)
{
	if (scan_close(sc) == -1)
		return -1;
	if (sc->n > 0 && sc->s[sc->n - 1].sent == sc->sent)
		sc->sent++;
	return 0;
}

/* Append the syllables of valid UTF-8 s. */
static int
scan_add(struct scan *sc, const char *s, size_t len)
{
	struct cpinfo tmp;
	const struct cpinfo *ci;
	size_t i = 0;
	long cp;
	int n;

	if (!cptab_ready)
		cptab_init();
	/* Offsets are 32-bit; a record is far smaller than that. */
	if (len > UINT32_MAX / 4 || sc->f.len > UINT32_MAX / 4)
		return -1;
	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			ci = &cptab[(unsigned char)s[i]];
			i++;
		} else {
			n = kn_utf8_decode(s + i, len - i, &cp);
			i += (size_t)n;
			if (cp < CP_TABLE)
				ci = &cptab[cp];
			else {
				cp_compute(cp, &tmp);
				ci = &tmp;
			}
		}
		switch (ci->cls) {
		case CP_DROP:
			continue;
		case CP_SEP:
			if (scan_close(sc) == -1)
				return -1;
			continue;
		case CP_STOP:
			if (scan_stop(sc) == -1)
				return -1;
			continue;
		}
		if (ci->flen == 0) {
			/* A combining mark: it belongs to the open syllable. */
			if (!sc->open)
				continue;
			if (ci->mlen > 0 && kn_buf_add(&sc->m, ci->mark,
			    ci->mlen) == -1)
				return -1;
			if (ci->tone != 0 && sc->tone == 0)
				sc->tone = ci->tone;
			continue;
		}
		if (!sc->open && scan_open(sc) == -1)
			return -1;
		if (kn_buf_add(&sc->f, ci->fold, ci->flen) == -1 ||
		    kn_buf_add(&sc->m, ci->mark, ci->mlen) == -1)
			return -1;
		if (ci->tone != 0 && sc->tone == 0)
			sc->tone = ci->tone;
	}
	return scan_close(sc);
}

/*
 * A text is written with diacritics when at least a quarter of its
 * syllables with letters carry a mark.  Real texts are either (most
 * syllables of Vietnamese carry one) or not at all; the quarter leaves
 * room for codes, names and acronyms.
 */
static int
scan_accented(const struct scan *sc)
{
	return sc->nletter > 0 && sc->nmarked * 4 >= sc->nletter;
}

static int
syl_fold_eq(const struct scan *a, size_t i, const struct scan *b, size_t j)
{
	return a->s[i].fl == b->s[j].fl && memcmp(a->f.data + a->s[i].fo,
	    b->f.data + b->s[j].fo, a->s[i].fl) == 0;
}

static int
syl_mark_eq(const struct scan *a, size_t i, const struct scan *b, size_t j)
{
	return a->s[i].ml == b->s[j].ml && memcmp(a->m.data + a->s[i].mo,
	    b->m.data + b->s[j].mo, a->s[i].ml) == 0;
}

/* ==== phrase sets ==== */

struct phrase {
	struct scan	 sc;
	int		 accented;	/* written with diacritics */
	int		 kind;		/* what it is for: set by the owner */
	size_t		 tag;		/* which rule, for the routing table */
	long		 line;
	char		*text;
};

struct bucket {
	size_t		*idx;
	size_t		 n, cap;
};

struct pset {
	struct phrase	*p;
	size_t		 n, cap;
	struct kn_map	*first;		/* first folded syllable -> bucket */
};

struct match {
	size_t		 phrase;
	size_t		 start, end;	/* syllables [start, end) */
};

struct matches {
	struct match	*m;
	size_t		 n, cap;
};

static void
pset_free(struct pset *ps)
{
	size_t i;

	for (i = 0; i < ps->n; i++) {
		scan_free(&ps->p[i].sc);
		free(ps->p[i].text);
	}
	free(ps->p);
	if (ps->first != NULL) {
		for (i = 0; i < kn_map_count(ps->first); i++) {
			struct bucket *b = kn_map_value_at(ps->first, i);

			if (b != NULL)
				free(b->idx);
			free(b);
		}
		kn_map_free(ps->first);
	}
	memset(ps, 0, sizeof(*ps));
}

/*
 * Add a phrase; its index, or -1: out of memory (*why "") or not a
 * phrase (*why says why).
 */
static long
pset_add(struct pset *ps, const char *text, int kind, size_t tag, long line,
    const char **why)
{
	struct phrase *p;
	struct bucket *b;
	void **slot;
	size_t i;

	*why = "";
	if (ps->first == NULL && (ps->first = kn_map_new()) == NULL)
		return -1;
	if (ps->n == ps->cap) {
		size_t cap = ps->cap ? ps->cap * 2 : 32;

		if ((p = realloc(ps->p, cap * sizeof(*p))) == NULL)
			return -1;
		ps->p = p;
		ps->cap = cap;
	}
	p = &ps->p[ps->n];
	memset(p, 0, sizeof(*p));
	if (scan_add(&p->sc, text, strlen(text)) == -1 ||
	    (p->text = strdup(text)) == NULL) {
		scan_free(&p->sc);
		free(p->text);
		return -1;
	}
	if (p->sc.n == 0 || p->sc.s[p->sc.n - 1].sent != 0) {
		*why = p->sc.n == 0 ? "has no letters" :
		    "spans a sentence break (. ! ? ;)";
		scan_free(&p->sc);
		free(p->text);
		return -1;
	}
	for (i = 0; i < p->sc.n; i++)
		p->accented |= p->sc.s[i].marked;
	p->kind = kind;
	p->tag = tag;
	p->line = line;
	if ((slot = kn_map_slot(ps->first, p->sc.f.data + p->sc.s[0].fo,
	    p->sc.s[0].fl, NULL)) == NULL)
		goto nomem;
	if ((b = *slot) == NULL) {
		if ((b = calloc(1, sizeof(*b))) == NULL)
			goto nomem;
		*slot = b;
	}
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 4, *idx;

		if ((idx = realloc(b->idx, cap * sizeof(*idx))) == NULL)
			goto nomem;
		b->idx = idx;
		b->cap = cap;
	}
	b->idx[b->n++] = ps->n;
	return (long)ps->n++;
nomem:
	scan_free(&p->sc);
	free(p->text);
	return -1;
}

/* Take back the phrase pset_add added last. */
static void
pset_pop(struct pset *ps)
{
	struct phrase *p = &ps->p[ps->n - 1];
	struct bucket *b;

	b = kn_map_get(ps->first, p->sc.f.data + p->sc.s[0].fo,
	    p->sc.s[0].fl);
	if (b != NULL && b->n > 0 && b->idx[b->n - 1] == ps->n - 1)
		b->n--;
	scan_free(&p->sc);
	free(p->text);
	ps->n--;
}

/* Phrase p matches the text at syllable i. */
static int
phrase_at(const struct phrase *p, const struct scan *sc, size_t i,
    int accented)
{
	size_t k, n = p->sc.n;

	if (i + n > sc->n || sc->s[i].sent != sc->s[i + n - 1].sent)
		return 0;
	for (k = 0; k < n; k++) {
		if (!syl_fold_eq(&p->sc, k, sc, i + k))
			return 0;
		if (accented && p->accented &&
		    !syl_mark_eq(&p->sc, k, sc, i + k))
			return 0;
	}
	return 1;
}

/* Every match of the phrases of ps in sc, in text order. */
static int
pset_scan(const struct pset *ps, const struct scan *sc, struct matches *out)
{
	const struct bucket *b;
	int accented = scan_accented(sc);
	size_t i, j;

	out->n = 0;
	if (ps->first == NULL)
		return 0;
	for (i = 0; i < sc->n; i++) {
		b = kn_map_get(ps->first, sc->f.data + sc->s[i].fo,
		    sc->s[i].fl);
		if (b == NULL)
			continue;
		for (j = 0; j < b->n; j++) {
			const struct phrase *p = &ps->p[b->idx[j]];

			if (!phrase_at(p, sc, i, accented))
				continue;
			if (out->n == out->cap) {
				size_t cap = out->cap ? out->cap * 2 : 16;
				struct match *m;

				if ((m = realloc(out->m, cap * sizeof(*m))) ==
				    NULL)
					return -1;
				out->m = m;
				out->cap = cap;
			}
			out->m[out->n].phrase = b->idx[j];
			out->m[out->n].start = i;
			out->m[out->n].end = i + p->sc.n;
			out->n++;
		}
	}
	return 0;
}

/*
 * Wherever phrase a matches, phrase b does too: b's syllables are a run
 * of a's, with the same marks when b is written with them.
 */
static int
phrase_implies(const struct phrase *a, const struct phrase *b)
{
	size_t o, k;

	if (b->accented && !a->accented)
		return 0;
	for (o = 0; o + b->sc.n <= a->sc.n; o++) {
		for (k = 0; k < b->sc.n; k++)
			if (!syl_fold_eq(&b->sc, k, &a->sc, o + k) ||
			    (b->accented && !syl_mark_eq(&b->sc, k, &a->sc,
			    o + k)))
				break;
		if (k == b->sc.n)
			return 1;
	}
	return 0;
}

/* ==== priorities ==== */

static const char *const prio_names[] = { "normal", "high", "urgent" };

const char *
kn_priority_name(int prio)
{
	if (prio < 0 || prio > KN_PRIO_URGENT)
		return "normal";
	return prio_names[prio];
}

int
kn_priority_parse(const char *s)
{
	int i;

	for (i = 0; i <= KN_PRIO_URGENT; i++)
		if (strcmp(s, prio_names[i]) == 0)
			return i;
	return -1;
}

/* The kinds of priority.csv beyond the priorities themselves. */
enum { PK_NONE = 16, PK_PREVENTION, PK_RISK, PK_NEGATION };

struct kn_priorities {
	struct pset	 ps;
	struct scan	 sc;
	struct matches	 mt;
};

static int
prio_kind_parse(const char *s)
{
	int p;

	if ((p = kn_priority_parse(s)) == KN_PRIO_URGENT || p == KN_PRIO_HIGH)
		return p;
	if (strcmp(s, "none") == 0)
		return PK_NONE;
	if (strcmp(s, "prevention") == 0)
		return PK_PREVENTION;
	if (strcmp(s, "risk") == 0)
		return PK_RISK;
	if (strcmp(s, "negation") == 0)
		return PK_NEGATION;
	return -1;
}

static const char *
prio_kind_name(int kind)
{
	switch (kind) {
	case PK_NONE: return "none";
	case PK_PREVENTION: return "prevention";
	case PK_RISK: return "risk";
	case PK_NEGATION: return "negation";
	}
	return kn_priority_name(kind);
}

/* Two phrases are the same when their syllables and marks are. */
static int
phrase_same(const struct phrase *a, const struct phrase *b)
{
	return a->sc.n == b->sc.n && a->accented == b->accented &&
	    phrase_implies(a, b);
}

struct kn_priorities *
kn_priorities_load(const char *path, struct kn_problems *probs,
    struct kn_error *err)
{
	static const char *const req[] = { "phrase", "priority", NULL };
	struct kn_buf p = KN_BUF_INIT;
	struct kn_priorities *pr;
	struct kn_table t;
	const char *why;
	size_t i, j;

	if ((pr = calloc(1, sizeof(*pr))) == NULL) {
		kn_error_set(err, KN_ENOMEM, path, 0, "out of memory");
		return NULL;
	}
	if (path == NULL)
		kn_data_path(&p, "priority.csv");
	else
		kn_buf_adds(&p, path);
	if (kn_table_load(&t, kn_buf_str(&p), req, err) == -1) {
		kn_buf_free(&p);
		free(pr);
		return NULL;
	}
	for (i = 0; i < t.n; i++) {
		struct kn_record *r = t.rows[i];
		const char *ph = kn_record_strz(r, "phrase");
		const char *ks = kn_record_strz(r, "priority");
		long line = kn_record_line(r);
		int kind = prio_kind_parse(ks);
		long k;

		/* A bad row is reported whole, then skipped. */
		if (kind == -1 && knp_problem(probs, err, t.path, line,
		    "priority \"%s\" is not one of urgent, high, none, "
		    "prevention, risk, negation", ks) == -1)
			goto fail;
		if ((k = pset_add(&pr->ps, ph, kind, 0, line, &why)) == -1) {
			if (*why == '\0')
				goto nomem;
			if (knp_problem(probs, err, t.path, line,
			    "phrase \"%s\" %s", ph, why) == -1)
				goto fail;
			continue;
		}
		if (kind == -1) {
			pset_pop(&pr->ps);
			continue;
		}
		for (j = 0; j < (size_t)k; j++) {
			const struct phrase *a = &pr->ps.p[j], *b =
			    &pr->ps.p[k];
			int ka = a->kind, kb = b->kind;

			if (!phrase_same(a, b))
				continue;
			if (ka == kb || (ka <= KN_PRIO_URGENT &&
			    kb <= KN_PRIO_URGENT) || ka == PK_NONE ||
			    kb == PK_NONE) {
				if (knp_problem(probs, err, t.path, line,
				    "phrase \"%s\" is already on line %ld "
				    "(as %s)", ph, a->line,
				    prio_kind_name(a->kind)) == -1)
					goto fail;
				pset_pop(&pr->ps);
				break;
			}
		}
	}
	kn_table_free(&t);
	kn_buf_free(&p);
	return pr;
nomem:
	kn_error_set(err, KN_ENOMEM, kn_buf_str(&p), 0, "out of memory");
fail:
	kn_table_free(&t);
	kn_buf_free(&p);
	kn_priorities_free(pr);
	return NULL;
}

void
kn_priorities_free(struct kn_priorities *pr)
{
	if (pr == NULL)
		return;
	pset_free(&pr->ps);
	scan_free(&pr->sc);
	free(pr->mt.m);
	free(pr);
}

size_t
kn_priorities_count(const struct kn_priorities *pr)
{
	return pr->ps.n;
}

/*
 * A context phrase c comes before match m, in its sentence, with at most
 * window syllables between them.
 */
static int
context_before(const struct scan *sc, const struct match *c,
    const struct match *m, size_t window)
{
	return c->end <= m->start && m->start - c->end <= window &&
	    sc->s[c->start].sent == sc->s[m->start].sent;
}

/* The priority of the text in sc; why gets the deciding phrase. */
static int
prio_of_scan(struct kn_priorities *pr, const struct scan *sc,
    struct kn_buf *why)
{
	const struct phrase *best = NULL;
	struct matches *mt = &pr->mt;
	size_t i, j;
	int level = KN_PRIO_NORMAL;

	if (pset_scan(&pr->ps, sc, mt) == -1)
		return -1;
	for (i = 0; i < mt->n; i++) {
		const struct match *m = &mt->m[i];
		const struct phrase *p = &pr->ps.p[m->phrase];
		int lvl = p->kind;

		if (lvl != KN_PRIO_URGENT && lvl != KN_PRIO_HIGH)
			continue;
		for (j = 0; j < mt->n && lvl > KN_PRIO_NORMAL; j++) {
			const struct match *c = &mt->m[j];
			int kind = pr->ps.p[c->phrase].kind;

			if (kind == PK_NONE && c->start <= m->start &&
			    c->end >= m->end)
				lvl = KN_PRIO_NORMAL;
			else if (kind == PK_PREVENTION &&
			    context_before(sc, c, m, KN_PRIO_WINDOW))
				lvl = KN_PRIO_NORMAL;
			else if (kind == PK_NEGATION &&
			    context_before(sc, c, m, KN_PRIO_NEG_WINDOW))
				lvl = KN_PRIO_NORMAL;
		}
		for (j = 0; j < mt->n && lvl > KN_PRIO_NORMAL; j++) {
			const struct match *c = &mt->m[j];

			if (pr->ps.p[c->phrase].kind == PK_RISK &&
			    context_before(sc, c, m, KN_PRIO_WINDOW)) {
				lvl--;
				break;
			}
		}
		if (lvl > level) {
			level = lvl;
			best = p;
		}
	}
	if (why != NULL && best != NULL && kn_buf_adds(why, best->text) == -1)
		return -1;
	return level;
}

static int
scan_record_text(struct scan *sc, const char *title, const char *text)
{
	scan_reset(sc);
	if (title != NULL && scan_add(sc, title, strlen(title)) == -1)
		return -1;
	if (scan_stop(sc) == -1)
		return -1;
	if (text != NULL && scan_add(sc, text, strlen(text)) == -1)
		return -1;
	return 0;
}

int
kn_priorities_assess(struct kn_priorities *pr, const char *title,
    const char *text, struct kn_buf *why)
{
	if (scan_record_text(&pr->sc, title, text) == -1)
		return -1;
	return prio_of_scan(pr, &pr->sc, why);
}

/* ==== departments ==== */

struct kn_departments {
	char	**code, **name;
	size_t	 n;
};

struct kn_departments *
kn_departments_load(const char *path, struct kn_problems *probs,
    struct kn_error *err)
{
	static const char *const req[] = { "code", "name", NULL };
	struct kn_buf p = KN_BUF_INIT;
	struct kn_departments *d;
	struct kn_table t;
	size_t i;

	if (path == NULL)
		kn_data_path(&p, "departments.csv");
	else
		kn_buf_adds(&p, path);
	if (kn_table_load(&t, kn_buf_str(&p), req, err) == -1) {
		kn_buf_free(&p);
		return NULL;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL ||
	    (d->code = calloc(t.n + 1, sizeof(*d->code))) == NULL ||
	    (d->name = calloc(t.n + 1, sizeof(*d->name))) == NULL)
		goto nomem;
	for (i = 0; i < t.n; i++) {
		struct kn_record *r = t.rows[i];
		const char *code = kn_record_strz(r, "code");
		const char *name = kn_record_strz(r, "name");

		if (*code == '\0' || *name == '\0') {
			if (knp_problem(probs, err, t.path, kn_record_line(r),
			    "a department needs a code and a name") == -1)
				goto fail;
			continue;
		}
		if (kn_departments_find(d, code) >= 0) {
			if (knp_problem(probs, err, t.path, kn_record_line(r),
			    "department code \"%s\" is repeated", code) == -1)
				goto fail;
			continue;
		}
		if ((d->code[d->n] = strdup(code)) == NULL ||
		    (d->name[d->n] = strdup(name)) == NULL)
			goto nomem;
		d->n++;
	}
	/* Rows all bad have been reported; none at all is an error. */
	if (d->n == 0 && (probs == NULL || t.n == 0)) {
		kn_error_set(err, KN_EDATA, t.path, 0, "no departments");
		goto fail;
	}
	kn_table_free(&t);
	kn_buf_free(&p);
	return d;
nomem:
	kn_error_set(err, KN_ENOMEM, kn_buf_str(&p), 0, "out of memory");
	if (d != NULL && d->code != NULL && d->name != NULL) {
		/* the row being copied, not yet counted */
		free(d->code[d->n]);
		free(d->name[d->n]);
		d->code[d->n] = d->name[d->n] = NULL;
	}
fail:
	kn_table_free(&t);
	kn_buf_free(&p);
	kn_departments_free(d);
	return NULL;
}

void
kn_departments_free(struct kn_departments *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++) {
		free(d->code[i]);
		free(d->name[i]);
	}
	free(d->code);
	free(d->name);
	free(d);
}

size_t
kn_departments_count(const struct kn_departments *d)
{
	return d->n;
}

int
kn_departments_find(const struct kn_departments *d, const char *code)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (strcmp(d->code[i], code) == 0)
			return (int)i;
	return -1;
}

const char *
kn_departments_code(const struct kn_departments *d, size_t i)
{
	return d->code[i];
}

const char *
kn_departments_name(const struct kn_departments *d, size_t i)
{
	return d->name[i];
}

/* ==== the routing table ==== */

#define TYPE_XA		1
#define TYPE_PHUONG	2

struct list {
	char	**v;
	size_t	 n;
};

struct rule {
	long		 line;
	struct list	 fields;	/* empty: any */
	struct list	 communes;	/* empty: any */
	int		 types;		/* TYPE_* bits; 0: any */
	int		 prios;		/* 1 << priority bits; 0: any */
	size_t		*alts;		/* phrases of the router's pset */
	size_t		 nalts;
	char		*dept;
	int		 dept_idx;	/* -1: unknown */
	int		 sla;		/* -1: by default */
	int		 set_prio;	/* -1: as the phrases say */
	int		 bad;		/* a condition could not be read */
};

static const char *const route_columns[] = {
	"field", "commune_code", "commune_type", "text", "priority",
	"department", "sla_days", "set_priority", "note", NULL
};

struct kn_router {
	char			*path;		/* as opened, for messages */
	char			*base;		/* its base name: route_rule */
	struct rule		*rules;
	size_t			 nrules;
	struct pset		 texts;		/* every rule's text phrases */
	unsigned char		*hit;		/* per phrase of texts */
	struct kn_fields	*fields;
	struct kn_departments	*depts;
	struct kn_priorities	*prios;
	struct kn_calendar	*cal;
	struct kn_communes	*communes;	/* only if a rule needs it */
	int			 calendar_days;
	struct kn_route_problem	*probs;
	size_t			 nprobs, nfatal;
	unsigned char		 warned[300];	/* years reported, from 1900 */
	int			 warned_other;	/* one outside those reported */
	struct scan		 sc;
	struct matches		 mt;
	struct kn_buf		 tmp;
};

static void
list_free(struct list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int
list_has(const struct list *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return 1;
	return 0;
}

/* a is a subset of b. */
static int
list_within(const struct list *a, const struct list *b)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (!list_has(b, a->v[i]))
			return 0;
	return 1;
}

/*
 * Split "a | b|c" into its trimmed items.  -1: out of memory (*why "")
 * or an empty item (*why says so).
 */
static int
split_alts(const char *s, struct list *out, const char **why)
{
	const char *p = s, *q, *e;
	char **v;

	*why = "";
	out->v = NULL;
	out->n = 0;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0')
		return 0;
	for (;;) {
		if ((q = strchr(p, '|')) == NULL)
			q = p + strlen(p);
		for (e = q; e > p && (e[-1] == ' ' || e[-1] == '\t'); e--)
			;
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		if (e == p) {
			*why = "has an empty alternative (between \"|\")";
			goto fail;
		}
		if ((v = realloc(out->v, (out->n + 1) * sizeof(*v))) == NULL)
			goto fail;
		out->v = v;
		if ((out->v[out->n] = knp_strndup(p, (size_t)(e - p))) == NULL)
			goto fail;
		out->n++;
		if (*q == '\0')
			break;
		p = q + 1;
	}
	return 0;
fail:
	list_free(out);
	return -1;
}

static void
rule_free(struct rule *r)
{
	list_free(&r->fields);
	list_free(&r->communes);
	free(r->alts);
	free(r->dept);
}

/* A rule with no condition at all. */
static int
rule_catchall(const struct rule *r)
{
	return !r->bad && r->fields.n == 0 && r->communes.n == 0 &&
	    r->types == 0 && r->prios == 0 && r->nalts == 0;
}

/* The type bit of a folded type name, or 0. */
static int
type_bit(const char *s)
{
	struct kn_buf k = KN_BUF_INIT;
	int t = 0;

	if (kn_text_key(&k, s, strlen(s)) == 0) {
		if (strcmp(kn_buf_str(&k), "xa") == 0)
			t = TYPE_XA;
		else if (strcmp(kn_buf_str(&k), "phuong") == 0)
			t = TYPE_PHUONG;
	}
	kn_buf_free(&k);
	return t;
}

static int
add_problem(struct kn_router *rt, const char *source, long line, int fatal,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int
add_problem(struct kn_router *rt, const char *source, long line, int fatal,
    const char *fmt, ...)
{
	struct kn_route_problem *p;
	va_list ap;

	if ((p = realloc(rt->probs, (rt->nprobs + 1) * sizeof(*p))) == NULL)
		return -1;
	rt->probs = p;
	p = &rt->probs[rt->nprobs++];
	snprintf(p->source, sizeof(p->source), "%s", source);
	p->line = line;
	p->fatal = fatal;
	va_start(ap, fmt);
	vsnprintf(p->text, sizeof(p->text), fmt, ap);
	va_end(ap);
	rt->nfatal += fatal != 0;
	return 0;
}

/* A problem another data file's loader found (struct kn_problems). */
static int
add_file_problem(void *arg, const struct kn_error *e)
{
	return add_problem(arg, e->source, e->line, 1, "%s", e->text);
}

/*
 * Split the value of column col of row into l; an empty alternative
 * is a problem of the row and leaves l empty.  1 when read, 0 after a
 * problem, -1 when out of memory.
 */
static int
row_list(struct kn_router *rt, const struct kn_record *row, const char *col,
    struct list *l)
{
	const char *why, *v = kn_record_strz(row, col);

	if (split_alts(v, l, &why) == 0)
		return 1;
	if (*why == '\0')
		return -1;
	return add_problem(rt, rt->path, kn_record_line(row), 1,
	    "%s \"%s\" %s", col, v, why) == -1 ? -1 : 0;
}

/*
 * Parse one row of the table into r.  A bad value is a fatal problem of
 * the table, and the row is read on, so that every problem of the line
 * is listed; a condition that could not be read marks the rule bad.
 * -1 and err only when out of memory.
 */
static int
rule_parse(struct kn_router *rt, const struct kn_record *row,
    struct rule *r, struct kn_error *err)
{
	struct list l = { NULL, 0 };
	const char *why, *s;
	size_t i;
	long line = kn_record_line(row);
	int rc;

	memset(r, 0, sizeof(*r));
	r->line = line;
	r->sla = r->set_prio = r->dept_idx = -1;
	if ((rc = row_list(rt, row, "field", &r->fields)) == -1)
		goto nomem;
	r->bad |= rc == 0;
	if ((rc = row_list(rt, row, "commune_code", &r->communes)) == -1)
		goto nomem;
	r->bad |= rc == 0;
	if ((rc = row_list(rt, row, "commune_type", &l)) == -1)
		goto nomem;
	r->bad |= rc == 0;
	for (i = 0; i < l.n; i++) {
		int t = type_bit(l.v[i]);

		if (t == 0) {
			r->bad = 1;
			if (add_problem(rt, rt->path, line, 1, "commune_type "
			    "\"%s\" is neither \"xã\" nor \"phường\"",
			    l.v[i]) == -1)
				goto nomem;
		}
		r->types |= t;
	}
	list_free(&l);
	if ((rc = row_list(rt, row, "priority", &l)) == -1)
		goto nomem;
	r->bad |= rc == 0;
	for (i = 0; i < l.n; i++) {
		int p = kn_priority_parse(l.v[i]);

		if (p == -1) {
			r->bad = 1;
			if (add_problem(rt, rt->path, line, 1, "priority "
			    "\"%s\" is not one of urgent, high, normal",
			    l.v[i]) == -1)
				goto nomem;
			continue;
		}
		r->prios |= 1 << p;
	}
	list_free(&l);
	if ((rc = row_list(rt, row, "text", &l)) == -1)
		goto nomem;
	r->bad |= rc == 0;
	if (l.n > 0 && (r->alts = calloc(l.n, sizeof(*r->alts))) == NULL)
		goto nomem;
	for (i = 0; i < l.n; i++) {
		long k = pset_add(&rt->texts, l.v[i], 0, rt->nrules, line,
		    &why);

		if (k == -1) {
			if (*why == '\0')
				goto nomem;
			r->bad = 1;
			if (add_problem(rt, rt->path, line, 1, "text \"%s\" "
			    "%s", l.v[i], why) == -1)
				goto nomem;
			continue;
		}
		r->alts[r->nalts++] = (size_t)k;
	}
	list_free(&l);
	s = kn_record_strz(row, "department");
	while (*s == ' ')
		s++;
	if (*s == '\0') {
		if (add_problem(rt, rt->path, line, 1,
		    "a rule needs a department code") == -1)
			goto nomem;
	} else {
		if ((r->dept = strdup(s)) == NULL)
			goto nomem;
		for (i = strlen(r->dept); i > 0 && r->dept[i - 1] == ' '; i--)
			r->dept[i - 1] = '\0';
	}
	s = kn_record_strz(row, "sla_days");
	if (*s != '\0') {
		const char *q;
		long v = 0;

		for (q = s; *q >= '0' && *q <= '9' && v <= KN_SLA_MAX; q++)
			v = v * 10 + (*q - '0');
		if (*q != '\0' || v > KN_SLA_MAX) {
			if (add_problem(rt, rt->path, line, 1, "sla_days "
			    "\"%s\" is not a number of days from 0 to %d", s,
			    KN_SLA_MAX) == -1)
				goto nomem;
		} else
			r->sla = (int)v;
	}
	s = kn_record_strz(row, "set_priority");
	if (*s != '\0' && (r->set_prio = kn_priority_parse(s)) == -1 &&
	    add_problem(rt, rt->path, line, 1, "set_priority \"%s\" is not "
	    "one of urgent, high, normal", s) == -1)
		goto nomem;
	return 0;
nomem:
	kn_error_set(err, KN_ENOMEM, rt->path, line, "out of memory");
	list_free(&l);
	rule_free(r);
	memset(r, 0, sizeof(*r));
	return -1;
}

/* Edit distance of two short codes, for "did you mean". */
static size_t
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, d[33], prev, cur;

	if (la > 32 || lb > 32)
		return 99;
	for (j = 0; j <= lb; j++)
		d[j] = j;
	for (i = 1; i <= la; i++) {
		prev = d[0];
		d[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t sub = prev +
			    ((a[i - 1] | 32) != (b[j - 1] | 32));

			cur = d[j];
			d[j] = sub;
			if (d[j - 1] + 1 < d[j])
				d[j] = d[j - 1] + 1;
			if (cur + 1 < d[j])
				d[j] = cur + 1;
			prev = cur;
		}
	}
	return d[lb];
}

/* Append ' (did you mean "x"?)' when a known code is close to s. */
static void
suggest(struct kn_buf *b, const char *s, const char *const *known, size_t n)
{
	size_t i, best = 3, bi = n;

	for (i = 0; i < n; i++) {
		size_t d = distance(s, known[i]);

		if (d < best) {
			best = d;
			bi = i;
		}
	}
	kn_buf_reset(b);
	if (bi < n)
		kn_buf_addf(b, " (did you mean \"%s\"?)", known[bi]);
}

/* The communes rule r admits, as far as they can be compared. */
static int
commune_admits(const struct kn_router *rt, const struct rule *r,
    const struct kn_commune *u)
{
	if (r->communes.n > 0 && !list_has(&r->communes, u->code))
		return 0;
	if (r->types != 0 && !(r->types & type_bit(u->type)))
		return 0;
	return 1;
}

/* Every record rule l admits on the commune, rule e admits too. */
static int
commune_covers(const struct kn_router *rt, const struct rule *e,
    const struct rule *l)
{
	size_t i, n;

	if (e->communes.n == 0 && e->types == 0)
		return 1;
	if (l->communes.n == 0 && l->types == 0)
		return 0;
	if (rt->communes == NULL)
		return 0;
	/* An unknown code is a problem of its own, not a shadow. */
	for (i = 0; i < l->communes.n; i++)
		if (kn_communes_by_code(rt->communes, l->communes.v[i]) == NULL)
			return 0;
	n = kn_communes_count(rt->communes);
	for (i = 0; i < n; i++) {
		const struct kn_commune *u = kn_communes_at(rt->communes, i);

		if (commune_admits(rt, l, u) && !commune_admits(rt, e, u))
			return 0;
	}
	return 1;
}

/* Earlier rule e matches every record later rule l would. */
static int
rule_covers(const struct kn_router *rt, const struct rule *e,
    const struct rule *l)
{
	size_t i, j;

	if (e->fields.n > 0 && (l->fields.n == 0 ||
	    !list_within(&l->fields, &e->fields)))
		return 0;
	if (e->prios != 0 && (l->prios == 0 || (l->prios & ~e->prios) != 0))
		return 0;
	if (!commune_covers(rt, e, l))
		return 0;
	if (e->nalts == 0)
		return 1;
	if (l->nalts == 0)
		return 0;
	for (i = 0; i < l->nalts; i++) {
		for (j = 0; j < e->nalts; j++)
			if (phrase_implies(&rt->texts.p[l->alts[i]],
			    &rt->texts.p[e->alts[j]]))
				break;
		if (j == e->nalts)
			return 0;
	}
	return 1;
}

/* Find what is wrong with the table, beyond its syntax. */
static int
check_table(struct kn_router *rt)
{
	struct kn_buf hint = KN_BUF_INIT;
	const char **fcodes = NULL;
	size_t i, j, k, nf = rt->fields->n;
	size_t nd = kn_departments_count(rt->depts);
	const struct rule *last;
	int rc = -1;

	if ((fcodes = calloc(nf + nd + 1, sizeof(*fcodes))) == NULL)
		return -1;
	for (i = 0; i < nf; i++)
		fcodes[i] = rt->fields->f[i].code;
	for (i = 0; i < rt->nrules; i++) {
		struct rule *r = &rt->rules[i];

		for (j = 0; j < r->fields.n; j++)
			if (kn_fields_find(rt->fields, r->fields.v[j]) < 0) {
				suggest(&hint, r->fields.v[j], fcodes, nf);
				if (add_problem(rt, rt->path, r->line, 1,
				    "unknown field code \"%s\" (not in "
				    "fields.csv)%s", r->fields.v[j],
				    kn_buf_str(&hint)) == -1)
					goto out;
			}
		for (j = 0; j < r->communes.n; j++)
			if (rt->communes != NULL && kn_communes_by_code(
			    rt->communes, r->communes.v[j]) == NULL &&
			    add_problem(rt, rt->path, r->line, 1, "unknown "
			    "commune code \"%s\" (not in communes.csv)",
			    r->communes.v[j]) == -1)
				goto out;
		/* A rule without one is a problem of its own. */
		if (r->dept != NULL)
			r->dept_idx = kn_departments_find(rt->depts, r->dept);
		if (r->dept != NULL && r->dept_idx < 0) {
			for (k = 0; k < nd; k++)
				fcodes[nf + k] = kn_departments_code(rt->depts,
				    k);
			suggest(&hint, r->dept, fcodes + nf, nd);
			if (add_problem(rt, rt->path, r->line, 1, "unknown "
			    "department code \"%s\" (not in departments.csv)"
			    "%s", r->dept, kn_buf_str(&hint)) == -1)
				goto out;
		}
		/* What a bad condition would have matched is unknown. */
		for (j = 0; j < i && !r->bad; j++)
			if (!rt->rules[j].bad &&
			    rule_covers(rt, &rt->rules[j], r)) {
				if (add_problem(rt, rt->path, r->line, 0,
				    "rule never matches: the rule on line %ld "
				    "takes every record it would",
				    rt->rules[j].line) == -1)
					goto out;
				break;
			}
	}
	last = &rt->rules[rt->nrules - 1];
	if (!rule_catchall(last)) {
		if (add_problem(rt, rt->path, last->line, 1, "the last rule "
		    "is not a catch-all: end the table with a rule that has "
		    "no condition, only a department") == -1)
			goto out;
	} else {
		for (i = 0; i < nf; i++) {
			const char *code = rt->fields->f[i].code;

			for (j = 0; j + 1 < rt->nrules; j++) {
				const struct rule *r = &rt->rules[j];

				if (r->fields.n == 0 || list_has(&r->fields,
				    code))
					break;
			}
			if (j + 1 == rt->nrules && add_problem(rt, rt->path,
			    last->line, 0, "field \"%s\" has no rule: only "
			    "this catch-all routes it", code) == -1)
				goto out;
		}
	}
	rc = 0;
out:
	kn_buf_free(&hint);
	free(fcodes);
	return rc;
}

static int
needs_communes(const struct kn_router *rt)
{
	size_t i;

	for (i = 0; i < rt->nrules; i++)
		if (rt->rules[i].communes.n > 0 || rt->rules[i].types != 0)
			return 1;
	return 0;
}

#define COLUMNS	"the columns are field, commune_code, commune_type, text, " \
		"priority, department, sla_days, set_priority, note"

/* Read the routing table. */
static int
load_table(struct kn_router *rt, struct kn_error *err)
{
	struct kn_table t;
	const char *const *c;
	size_t i, k;

	if (kn_table_load(&t, rt->path, NULL, err) == -1)
		return -1;
	if (t.n == 0) {
		kn_error_set(err, KN_EDATA, rt->path, 0, "no rules");
		goto fail;
	}
	/*
	 * Every row has the header's keys: check the columns once.  An
	 * unknown column is a problem, and the rows are read on; without
	 * a department column there is nothing to read (the first unknown
	 * column is likely its misspelling).
	 */
	for (k = 0; k < kn_record_len(t.rows[0]); k++) {
		const char *key = kn_record_key_at(t.rows[0], k);

		for (c = route_columns; *c != NULL; c++)
			if (strcmp(*c, key) == 0)
				break;
		if (*c != NULL)
			continue;
		if (!kn_record_has(t.rows[0], "department")) {
			kn_error_set(err, KN_EDATA, rt->path, 1,
			    "unknown column \"%s\" (%s)", key, COLUMNS);
			goto fail;
		}
		if (add_problem(rt, rt->path, 1, 1, "unknown column \"%s\" "
		    "(%s)", key, COLUMNS) == -1) {
			kn_error_set(err, KN_ENOMEM, rt->path, 0,
			    "out of memory");
			goto fail;
		}
	}
	if (!kn_record_has(t.rows[0], "department")) {
		kn_error_set(err, KN_EDATA, rt->path, 1,
		    "no \"department\" column");
		goto fail;
	}
	if ((rt->rules = calloc(t.n, sizeof(*rt->rules))) == NULL) {
		kn_error_set(err, KN_ENOMEM, rt->path, 0, "out of memory");
		goto fail;
	}
	for (i = 0; i < t.n; i++) {
		if (rule_parse(rt, t.rows[i], &rt->rules[i], err) == -1)
			goto fail;
		rt->nrules++;
	}
	kn_table_free(&t);
	return 0;
fail:
	kn_table_free(&t);
	return -1;
}

struct pkey {
	long	 line;
	size_t	 i;
};

static int
cmp_pkey(const void *a, const void *b)
{
	const struct pkey *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/*
 * Put the routing table's problems in line order: those of its values,
 * found row by row, then those of its rules, found rule by rule, come
 * together line by line, in the order found within a line.  The other
 * files' problems come first, as read.
 */
static int
sort_problems(struct kn_router *rt)
{
	struct kn_route_problem *tmp;
	struct pkey *key;
	size_t first, i, n;

	for (first = 0; first < rt->nprobs &&
	    strcmp(rt->probs[first].source, rt->path) != 0; first++)
		;
	if ((n = rt->nprobs - first) < 2)
		return 0;
	if ((key = calloc(n, sizeof(*key))) == NULL)
		return -1;
	if ((tmp = calloc(n, sizeof(*tmp))) == NULL) {
		free(key);
		return -1;
	}
	for (i = 0; i < n; i++) {
		key[i].line = rt->probs[first + i].line;
		key[i].i = first + i;
	}
	qsort(key, n, sizeof(*key), cmp_pkey);
	for (i = 0; i < n; i++)
		tmp[i] = rt->probs[key[i].i];
	memcpy(rt->probs + first, tmp, n * sizeof(*tmp));
	free(key);
	free(tmp);
	return 0;
}

struct kn_router *
kn_router_new(const struct kn_router_opts *o, struct kn_error *err)
{
	struct kn_problems probs;
	struct kn_router *rt;
	struct kn_buf p = KN_BUF_INIT;
	const char *slash;

	if ((rt = calloc(1, sizeof(*rt))) == NULL)
		goto nomem;
	rt->calendar_days = o->calendar_days;
	if (o->routes == NULL)
		kn_data_path(&p, "routes.csv");
	else
		kn_buf_adds(&p, o->routes);
	if ((rt->path = kn_buf_detach(&p)) == NULL)
		goto nomem;
	slash = strrchr(rt->path, '/');
	if ((rt->base = strdup(slash != NULL ? slash + 1 : rt->path)) == NULL)
		goto nomem;
	/*
	 * The bad rows of the other tables are problems of the router, so
	 * that all are listed at once; the good rows are loaded.
	 */
	probs.add = add_file_problem;
	probs.arg = rt;
	probs.n = 0;
	if ((rt->fields = kn_fields_load(o->fields, err)) == NULL ||
	    (rt->depts = kn_departments_load(o->departments, &probs,
	    err)) == NULL ||
	    (rt->prios = kn_priorities_load(o->priorities, &probs,
	    err)) == NULL ||
	    (rt->cal = kn_calendar_load(o->holidays, &probs, err)) == NULL)
		goto fail;
	if (load_table(rt, err) == -1)
		goto fail;
	if (needs_communes(rt)) {
		if (o->communes == NULL)
			kn_data_path(&p, "communes.csv");
		else
			kn_buf_adds(&p, o->communes);
		rt->communes = kn_communes_load(kn_buf_str(&p), err);
		kn_buf_free(&p);
		if (rt->communes == NULL)
			goto fail;
	}
	if (rt->texts.n > 0 &&
	    (rt->hit = calloc(rt->texts.n, 1)) == NULL)
		goto nomem;
	if (check_table(rt) == -1)
		goto nomem;
	if (sort_problems(rt) == -1)
		goto nomem;
	return rt;
nomem:
	kn_error_set(err, KN_ENOMEM, NULL, 0, "out of memory");
fail:
	kn_buf_free(&p);
	kn_router_free(rt);
	return NULL;
}

void
kn_router_free(struct kn_router *rt)
{
	size_t i;

	if (rt == NULL)
		return;
	for (i = 0; i < rt->nrules; i++)
		rule_free(&rt->rules[i]);
	free(rt->rules);
	pset_free(&rt->texts);
	free(rt->hit);
	kn_fields_free(rt->fields);
	kn_departments_free(rt->depts);
	kn_priorities_free(rt->prios);
	kn_calendar_free(rt->cal);
	kn_communes_free(rt->communes);
	free(rt->probs);
	scan_free(&rt->sc);
	free(rt->mt.m);
	kn_buf_free(&rt->tmp);
	free(rt->path);
	free(rt->base);
	free(rt);
}

const char *
kn_router_table(const struct kn_router *rt)
{
	return rt->path;
}

size_t
kn_router_rules(const struct kn_router *rt)
{
	return rt->nrules;
}

size_t
kn_router_problems(const struct kn_router *rt, int *nfatal)
{
	if (nfatal != NULL)
		*nfatal = (int)rt->nfatal;
	return rt->nprobs;
}

const struct kn_route_problem *
kn_router_problem(const struct kn_router *rt, size_t i)
{
	return i < rt->nprobs ? &rt->probs[i] : NULL;
}

/* The record's commune, from its code or else its name. */
static const struct kn_commune *
record_commune(struct kn_router *rt, const struct kn_record *rec)
{
	const struct kn_commune *u = NULL;
	const char *name;

	kn_buf_reset(&rt->tmp);
	if (kn_record_text(rec, "commune_code", &rt->tmp) > 0 &&
	    (u = kn_communes_by_code(rt->communes, kn_buf_str(&rt->tmp))) !=
	    NULL)
		return u;
	if ((name = kn_record_str(rec, "commune")) != NULL && *name != '\0' &&
	    kn_communes_resolve(rt->communes, name, &u, NULL) !=
	    KN_MATCH_NONE && u != NULL)
		return u;
	return NULL;
}

static int
rule_matches(struct kn_router *rt, const struct rule *r, const char *field,
    const struct kn_commune *u, int prio)
{
	size_t i;

	if (r->fields.n > 0 && !list_has(&r->fields, field))
		return 0;
	if (r->communes.n > 0 || r->types != 0) {
		if (u == NULL || !commune_admits(rt, r, u))
			return 0;
	}
	if (r->prios != 0 && !(r->prios & (1 << prio)))
		return 0;
	if (r->nalts == 0)
		return 1;
	for (i = 0; i < r->nalts; i++)
		if (rt->hit[r->alts[i]])
			return 1;
	return 0;
}

/* The due date, and the years it went through the calendar lacks. */
static void
due_date(struct kn_router *rt, const struct kn_record *rec,
    struct kn_route *out)
{
	struct kn_error derr;
	const char *s;
	long day, due;
	int y, y1, y2, m, d;

	kn_buf_reset(&rt->tmp);
	if (kn_record_text(rec, "submitted", &rt->tmp) <= 0) {
		out->flags |= KN_ROUTE_NO_DATE;
		return;
	}
	s = kn_buf_str(&rt->tmp);
	while (*s == ' ')
		s++;
	if (*s == '\0') {
		out->flags |= KN_ROUTE_NO_DATE;
		return;
	}
	kn_error_clear(&derr);
	if (kn_date_parse(s, &day, &derr) == -1) {
		out->flags |= derr.code == KN_ERANGE ? KN_ROUTE_FAR_DATE :
		    KN_ROUTE_BAD_DATE;
		return;
	}
	if (rt->calendar_days) {
		kn_date_format(day + out->sla_days, out->due);
		return;
	}
	due = kn_workdays_due(rt->cal, day, out->sla_days);
	kn_date_format(due, out->due);
	kn_date_to_ymd(day, &y1, &m, &d);
	kn_date_to_ymd(due, &y2, &m, &d);
	for (y = y1; y <= y2; y++) {
		if (kn_calendar_covers(rt->cal, y))
			continue;
		out->flags |= KN_ROUTE_UNCOVERED;
		if (y >= 1900 && y < 1900 + (int)sizeof(rt->warned)) {
			if (rt->warned[y - 1900])
				continue;
			rt->warned[y - 1900] = 1;
		} else if (rt->warned_other++ > 0)
			continue;
		if (out->n_new_years < 4)
			out->new_years[out->n_new_years++] = y;
	}
}

int
kn_router_route(struct kn_router *rt, const struct kn_record *rec,
    struct kn_route *out, struct kn_error *err)
{
	const struct kn_commune *u = NULL;
	const struct rule *r = NULL;
	const char *field;
	size_t i;
	int prio;

	memset(out, 0, sizeof(*out));
	if (scan_record_text(&rt->sc, kn_record_str(rec, "title"),
	    kn_record_str(rec, "text")) == -1 ||
	    (prio = prio_of_scan(rt->prios, &rt->sc, NULL)) == -1)
		goto nomem;
	out->priority_text = prio;
	field = kn_record_str(rec, "field");
	if (field == NULL || *field == '\0')
		out->flags |= KN_ROUTE_NO_FIELD;
	else if (kn_fields_find(rt->fields, field) < 0)
		out->flags |= KN_ROUTE_UNKNOWN_FIELD;
	if (out->flags & (KN_ROUTE_NO_FIELD | KN_ROUTE_UNKNOWN_FIELD)) {
		r = &rt->rules[rt->nrules - 1];
	} else {
		if (rt->texts.n > 0) {
			if (pset_scan(&rt->texts, &rt->sc, &rt->mt) == -1)
				goto nomem;
			memset(rt->hit, 0, rt->texts.n);
			for (i = 0; i < rt->mt.n; i++)
				rt->hit[rt->mt.m[i].phrase] = 1;
		}
		if (rt->communes != NULL)
			u = record_commune(rt, rec);
		for (i = 0; i < rt->nrules; i++)
			if (rule_matches(rt, &rt->rules[i], field, u, prio)) {
				r = &rt->rules[i];
				break;
			}
		if (r == NULL)	/* only when the table has no catch-all */
			r = &rt->rules[rt->nrules - 1];
	}
	out->rule_line = r->line;
	snprintf(out->rule, sizeof(out->rule), "%s:%ld", rt->base, r->line);
	if (r->dept_idx >= 0) {
		out->department = kn_departments_name(rt->depts,
		    (size_t)r->dept_idx);
		out->department_code = kn_departments_code(rt->depts,
		    (size_t)r->dept_idx);
	} else
		out->department = out->department_code = r->dept;
	out->priority = r->set_prio >= 0 ? r->set_prio : prio;
	if (r->sla >= 0)
		out->sla_days = r->sla;
	else if (field != NULL && (strcmp(field, "finance") == 0 ||
	    strcmp(field, "equipment") == 0))
		out->sla_days = KN_SLA_LONG;
	else
		out->sla_days = KN_SLA_DEFAULT;
	if (out->priority == KN_PRIO_URGENT && out->sla_days > KN_SLA_URGENT)
		out->sla_days = KN_SLA_URGENT;
	due_date(rt, rec, out);
	return 0;
nomem:
	kn_error_set(err, KN_ENOMEM, kn_record_source(rec), kn_record_line(rec),
	    "out of memory");
	return -1;
}

int
kn_route_apply(const struct kn_route *rt, struct kn_record *rec)
{
	const char *st = kn_record_str(rec, "status");
	int has_status = st != NULL && *st != '\0';

	if (kn_record_set_str(rec, "department", rt->department) == -1 ||
	    kn_record_set_str(rec, "department_code", rt->department_code) ==
	    -1 ||
	    kn_record_set_str(rec, "priority", kn_priority_name(rt->priority))
	    == -1 ||
	    kn_record_set_str(rec, "due", rt->due) == -1)
		return -1;
	if (!has_status && kn_record_set_str(rec, "status", "open") == -1)
		return -1;
	return kn_record_set_str(rec, "route_rule", rt->rule);
}
