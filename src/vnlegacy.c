/* vnlegacy.c — TCVN3, VNI-Windows and CP1258 to NFC UTF-8, and the
 * detector that decides which of them (or UTF-8) some bytes are.
 *
 * Decoders emit base letters and combining marks as they come and let
 * NFC compose them, so "a" + U+0302 + U+0301 becomes "ấ" without a table
 * of every combination. Detection decodes the bytes every plausible way
 * and keeps the decoding whose words are most often real Vietnamese
 * syllables: legacy text decoded the wrong way yields words like "Tröôøng"
 * or "Tr­êng" that no Vietnamese spelling allows. */
#include "vnlegacy.h"
#include "buf.h"
#include "util.h"
#include "vn.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define REPLACEMENT 0xFFFD

/* Combining marks: the three that change a letter, the five tones. */
enum {
	CM_GRAVE = 0x0300, CM_ACUTE = 0x0301, CM_CIRCUMFLEX = 0x0302,
	CM_TILDE = 0x0303, CM_BREVE = 0x0306, CM_HOOK = 0x0309,
	CM_HORN = 0x031B, CM_DOT = 0x0323,
};

const char *vn_encoding_name(vn_encoding enc)
{
	switch (enc) {
	case VN_ENC_UTF8: return "UTF-8";
	case VN_ENC_TCVN3: return "TCVN3";
	case VN_ENC_VNI: return "VNI";
	case VN_ENC_CP1258: return "CP1258";
	case VN_ENC_UNKNOWN: break;
	}
	return "unknown";
}

/* ---- Tables ----------------------------------------------------------- */

/* Windows-1252 at 0x80..0x9F (0: no character). Bytes 0xA0..0xFF are
 * Latin-1, i.e. the code point equals the byte. */
static const uint16_t cp1252_c1[32] = {
	0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
	0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

static uint32_t cp1252(unsigned char b)
{
	if (b < 0x80 || b >= 0xA0) return b;
	return cp1252_c1[b - 0x80] ? cp1252_c1[b - 0x80] : REPLACEMENT;
}

/* TCVN 5712:1993 at 0xA0..0xFF, as glibc's TCVN5712-1 decodes it: the
 * seven capitals ĂÂÊÔƠƯĐ, the lower-case letters with every tone, five
 * combining tones at 0xB0..0xB4, and a few toned capitals of the full set
 * (VN1). The ABC fonts people actually used (VN3, .VnTime) have no
 * toned capitals — all-caps text used the .VnTimeH font over the lower-case
 * codes — so 0x80..0x9F, where VN1 puts more capitals, is read as
 * Windows-1252 (“ ” – … from Word's autocorrect), and C0 controls stay
 * controls, unlike glibc. */
static const uint16_t tcvn3_hi[96] = {
	0x00A0, 0x0102, 0x00C2, 0x00CA, 0x00D4, 0x01A0, 0x01AF, 0x0110, /* A0 */
	0x0103, 0x00E2, 0x00EA, 0x00F4, 0x01A1, 0x01B0, 0x0111, 0x1EB0, /* A8 */
	0x0300, 0x0309, 0x0303, 0x0301, 0x0323, 0x00E0, 0x1EA3, 0x00E3, /* B0 */
	0x00E1, 0x1EA1, 0x1EB2, 0x1EB1, 0x1EB3, 0x1EB5, 0x1EAF, 0x1EB4, /* B8 */
	0x1EAE, 0x1EA6, 0x1EA8, 0x1EAA, 0x1EA4, 0x1EC0, 0x1EB7, 0x1EA7, /* C0 */
	0x1EA9, 0x1EAB, 0x1EA5, 0x1EAD, 0x00E8, 0x1EC2, 0x1EBB, 0x1EBD, /* C8 */
	0x00E9, 0x1EB9, 0x1EC1, 0x1EC3, 0x1EC5, 0x1EBF, 0x1EC7, 0x00EC, /* D0 */
	0x1EC9, 0x1EC4, 0x1EBE, 0x1ED2, 0x0129, 0x00ED, 0x1ECB, 0x00F2, /* D8 */
	0x1ED4, 0x1ECF, 0x00F5, 0x00F3, 0x1ECD, 0x1ED3, 0x1ED5, 0x1ED7, /* E0 */
	0x1ED1, 0x1ED9, 0x1EDD, 0x1EDF, 0x1EE1, 0x1EDB, 0x1EE3, 0x00F9, /* E8 */
	0x1ED6, 0x1EE7, 0x0169, 0x00FA, 0x1EE5, 0x1EEB, 0x1EED, 0x1EEF, /* F0 */
	0x1EE9, 0x1EF1, 0x1EF3, 0x1EF7, 0x1EF9, 0x00FD, 0x1EF5, 0x1ED0, /* F8 */
};

/* Windows-1258 differs from Windows-1252 in these bytes. */
static uint32_t cp1258(unsigned char b)
{
	switch (b) {
	case 0x8A: case 0x8E: case 0x9A: case 0x9E: return REPLACEMENT;
	case 0xC3: return 0x0102;  /* Ă */
	case 0xCC: return CM_GRAVE;
	case 0xD0: return 0x0110;  /* Đ */
	case 0xD2: return CM_HOOK;
	case 0xD5: return 0x01A0;  /* Ơ */
	case 0xDD: return 0x01AF;  /* Ư */
	case 0xDE: return CM_TILDE;
	case 0xE3: return 0x0103;  /* ă */
	case 0xEC: return CM_ACUTE;
	case 0xF0: return 0x0111;  /* đ */
	case 0xF2: return CM_DOT;
	case 0xF5: return 0x01A1;  /* ơ */
	case 0xFD: return 0x01B0;  /* ư */
	case 0xFE: return 0x20AB;  /* ₫ */
	default: return cp1252(b);
	}
}

/* VNI-Windows, read as Windows-1252 bytes. A vowel is written as its base
 * letter followed by at most one mark byte; the mark bytes for capitals
 * are those for lower case minus 0x20 (ù/Ù sắc). ơ ư đ and the toned i
 * and ỵ are single bytes of their own.
 *
 *   tone only (any vowel):  ù sắc  ø huyền  û hỏi  õ ngã  ï nặng
 *   circumflex (a e o):     â  á sắc  à huyền  å hỏi  ã ngã  ä nặng
 *   breve (a):              ê  é sắc  è huyền  ú hỏi  ü ngã  ë nặng
 *   letters:                ô ơ  ö ư  ñ đ  í í  ì ì  æ ỉ  ó ĩ  ò ị  î ỵ
 *
 * so "Tröôøng" is T r ư ơ+huyền n g = "Trường". */
enum { Q_NONE, Q_CIRCUMFLEX, Q_BREVE };

struct vni_mark {
	unsigned char byte;     /* lower-case form */
	unsigned char quality;  /* Q_* */
	uint16_t tone;          /* combining mark, or 0 */
};

static const struct vni_mark vni_marks[] = {
	{0xF9, Q_NONE, CM_ACUTE}, {0xF8, Q_NONE, CM_GRAVE}, {0xFB, Q_NONE, CM_HOOK},
	{0xF5, Q_NONE, CM_TILDE}, {0xEF, Q_NONE, CM_DOT},
	{0xE2, Q_CIRCUMFLEX, 0}, {0xE1, Q_CIRCUMFLEX, CM_ACUTE},
	{0xE0, Q_CIRCUMFLEX, CM_GRAVE}, {0xE5, Q_CIRCUMFLEX, CM_HOOK},
	{0xE3, Q_CIRCUMFLEX, CM_TILDE}, {0xE4, Q_CIRCUMFLEX, CM_DOT},
	{0xEA, Q_BREVE, 0}, {0xE9, Q_BREVE, CM_ACUTE}, {0xE8, Q_BREVE, CM_GRAVE},
	{0xFA, Q_BREVE, CM_HOOK}, {0xFC, Q_BREVE, CM_TILDE}, {0xEB, Q_BREVE, CM_DOT},
};

static const struct vni_mark *vni_mark_of(unsigned char b)
{
	if (b >= 0xC0 && b <= 0xDF) b |= 0x20;   /* capital-height marks */
	for (size_t i = 0; i < ARRAY_LEN(vni_marks); i++)
		if (vni_marks[i].byte == b) return &vni_marks[i];
	return NULL;
}

/* The single-byte VNI letters (lower case; capitals are byte - 0x20). */
static uint32_t vni_letter(unsigned char b)
{
	bool upper = b >= 0xC0 && b <= 0xDF;
	switch (upper ? b | 0x20 : b) {
	case 0xF4: return upper ? 0x01A0 : 0x01A1;  /* Ơ ơ */
	case 0xF6: return upper ? 0x01AF : 0x01B0;  /* Ư ư */
	case 0xF1: return upper ? 0x0110 : 0x0111;  /* Đ đ */
	case 0xED: return upper ? 0x00CD : 0x00ED;  /* Í í */
	case 0xEC: return upper ? 0x00CC : 0x00EC;  /* Ì ì */
	case 0xE6: return upper ? 0x1EC8 : 0x1EC9;  /* Ỉ ỉ */
	case 0xF3: return upper ? 0x0128 : 0x0129;  /* Ĩ ĩ */
	case 0xF2: return upper ? 0x1ECA : 0x1ECB;  /* Ị ị */
	case 0xEE: return upper ? 0x1EF4 : 0x1EF5;  /* Ỵ ỵ */
	default: return 0;
	}
}

/* ---- Decoders --------------------------------------------------------- */

static void put_cp(buf *b, uint32_t cp)
{
	utf8proc_uint8_t u[4];
	utf8proc_ssize_t n = utf8proc_encode_char((utf8proc_int32_t)cp, u);
	buf_append(b, (const char *)u, (size_t)n);
}

static void decode_table(buf *out, const unsigned char *p, size_t len, vn_encoding enc)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = p[i];
		uint32_t cp;
		if (c == 0) cp = REPLACEMENT;
		else if (c < 0x80) { buf_putc(out, (char)c); continue; }
		else if (enc == VN_ENC_CP1258) cp = cp1258(c);
		else cp = c >= 0xA0 ? tcvn3_hi[c - 0xA0] : cp1252(c);
		put_cp(out, cp);
	}
}

static void decode_vni(buf *out, const unsigned char *p, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned char c = p[i++];
		uint32_t letter = vni_letter(c);
		char base = (char)(c | 0x20);
		bool vowel = c < 0x80 && c != 0 && strchr("aeiouy", base);
		bool horned = letter == 0x01A0 || letter == 0x01A1 ||   /* Ơ ơ */
		              letter == 0x01AF || letter == 0x01B0;     /* Ư ư */
		if (c == 0) { put_cp(out, REPLACEMENT); continue; }
		if (!vowel && !horned) {
			put_cp(out, letter ? letter : cp1252(c));
			continue;
		}
		/* A vowel that may carry marks: a e i o u y, or ơ ư. */
		put_cp(out, letter ? letter : c);
		const struct vni_mark *m = i < len ? vni_mark_of(p[i]) : NULL;
		if (!m) continue;
		bool fits = m->quality == Q_NONE ||
		            (m->quality == Q_CIRCUMFLEX && vowel && strchr("aeo", base)) ||
		            (m->quality == Q_BREVE && vowel && base == 'a');
		if (!fits) continue;
		i++;
		if (m->quality == Q_CIRCUMFLEX) put_cp(out, CM_CIRCUMFLEX);
		if (m->quality == Q_BREVE) put_cp(out, CM_BREVE);
		if (m->tone) {
			put_cp(out, m->tone);
		} else if (i < len) {
			/* "aâ" then a separate tone byte: rare, but unambiguous. */
			const struct vni_mark *t = vni_mark_of(p[i]);
			if (t && t->quality == Q_NONE) {
				put_cp(out, t->tone);
				i++;
			}
		}
	}
}

/* Decode without normalising; the caller takes NFC. */
static char *decode_raw(const char *bytes, size_t len, vn_encoding enc)
{
	buf out;
	buf_init(&out);
	if (enc == VN_ENC_VNI) decode_vni(&out, (const unsigned char *)bytes, len);
	else decode_table(&out, (const unsigned char *)bytes, len, enc);
	return buf_take(&out);
}

/* All-caps text in TCVN3 was typed in the .VnTimeH font, which draws the
 * lower-case letter codes as capitals (the ABC set has no toned capitals),
 * so "TRƯỜNG" arrives as "TR­êNG" and decodes to "TRườNG". A field (text
 * between line breaks, tabs and CSV separators) with two or more ASCII
 * capitals, no ASCII lower case and some lower-case Vietnamese letter was
 * typed that way: upper-case all of it. ("Và" alone, one capital, is left
 * as it is: that is how a sentence starts.) */
static bool field_break(utf8proc_int32_t cp)
{
	return cp == '\n' || cp == '\r' || cp == '\t' || cp == ',' || cp == ';' ||
	       cp == '"' || cp == '|';
}

static char *tcvn3_fix_caps(const char *s)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	size_t len = strlen(s), start = 0;
	int upper = 0, lower = 0, vn_lower = 0;
	buf out;
	buf_init(&out);
	for (size_t i = 0; i <= len;) {
		utf8proc_int32_t cp = 0;
		utf8proc_ssize_t k = 1;
		if (i < len) k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
		if (k <= 0) fatal("vnlegacy: decoder produced invalid UTF-8");
		if (i < len && !field_break(cp)) {
			if (cp >= 'A' && cp <= 'Z') upper++;
			else if (cp >= 'a' && cp <= 'z') lower++;
			else if (cp >= 0x80 && utf8proc_toupper(cp) != cp) vn_lower++;
		} else {
			bool caps = upper >= 2 && lower == 0 && vn_lower > 0;
			for (size_t j = start; j < i;) {
				utf8proc_int32_t c;
				utf8proc_ssize_t m = utf8proc_iterate(p + j, (utf8proc_ssize_t)(i - j), &c);
				if (caps) put_cp(&out, (uint32_t)utf8proc_toupper(c));
				else buf_append(&out, s + j, (size_t)m);
				j += (size_t)m;
			}
			if (i < len) buf_append(&out, s + i, (size_t)k);
			start = i + (size_t)k;
			upper = lower = vn_lower = 0;
		}
		i += (size_t)k;
	}
	return buf_take(&out);
}

char *vn_legacy_to_utf8(const char *bytes, size_t len, vn_encoding enc)
{
	switch (enc) {
	case VN_ENC_UTF8: {
		if (!vn_utf8_valid(bytes, len, NULL)) return NULL;
		char *s = xstrndup(bytes, len);
		char *n = vn_nfc(s);
		free(s);
		return n;
	}
	case VN_ENC_TCVN3:
	case VN_ENC_VNI:
	case VN_ENC_CP1258: {
		char *raw = decode_raw(bytes, len, enc);
		char *n = vn_nfc(raw);   /* the decoders emit only valid UTF-8 */
		free(raw);
		if (!n) fatal("vnlegacy: decoder produced invalid UTF-8");
		if (enc == VN_ENC_TCVN3) {
			char *fixed = tcvn3_fix_caps(n);
			free(n);
			n = fixed;
		}
		return n;
	}
	case VN_ENC_UNKNOWN: break;
	}
	return NULL;
}

/* The bytes whose Windows-1252 reading is the valid UTF-8 text s[0..len),
 * malloc'd into *out; false when some character has no byte. C1 controls
 * U+0080..U+009F stand for themselves: that is how Windows and most
 * spreadsheet readers pass on the bytes 1252 leaves undefined. */
static bool unwrap_cp1252(const char *s, size_t len, char **out, size_t *out_len)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	char *r = xmalloc(len + 1);
	size_t n = 0;
	for (size_t i = 0; i < len;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
		if (k <= 0) goto fail;
		i += (size_t)k;
		int byte = -1;
		if (cp < 0x100) {
			byte = cp;
		} else {
			for (int j = 0; j < 32; j++)
				if (cp1252_c1[j] == cp) byte = 0x80 + j;
		}
		if (byte < 0) goto fail;
		r[n++] = (char)byte;
	}
	r[n] = '\0';
	*out = r;
	*out_len = n;
	return true;
fail:
	free(r);
	return false;
}

/* ---- Syllables -------------------------------------------------------- */

static const char *const initials[] = {   /* longest first */
	"ngh", "ng", "nh", "gh", "gi", "kh", "ch", "ph", "th", "tr", "qu",
	"b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x",
};
static const char *const finals[] = { "ng", "nh", "ch", "c", "m", "n", "p", "t" };

/* Vowel clusters (with medial and semivowel glide) of open syllables,
 * and of syllables closed by a final consonant. */
static const char *const open_rimes[] = {
	"a", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
	"ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oa", "oe",
	"oi", "ôi", "ơi", "ua", "uê", "ui", "uy", "ưa", "ưi", "ưu", "uơ",
	"iêu", "yêu", "oai", "oao", "oay", "oeo", "uây", "uôi", "ươi", "ươu",
	"uya", "uyu",
};
static const char *const closed_rimes[] = {
	"a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư",
	"iê", "yê", "uô", "ươ", "oa", "oă", "oe", "oo", "uâ", "uê", "uy", "uyê",
};

static bool in_list(const char *s, size_t n, const char *const *list, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (strlen(list[i]) == n && memcmp(list[i], s, n) == 0) return true;
	return false;
}

/* Tones, numbered in dictionary order; 0 is ngang (no mark). */
static int tone_of(utf8proc_int32_t cm)
{
	switch (cm) {
	case CM_GRAVE: return 1;
	case CM_HOOK: return 2;
	case CM_TILDE: return 3;
	case CM_ACUTE: return 4;
	case CM_DOT: return 5;
	default: return 0;
	}
}

/* Append the lower-case untoned letter (base + quality mark) to u. */
static bool put_letter(char *u, size_t *ul, utf8proc_int32_t base, utf8proc_int32_t q)
{
	const char *s = NULL;
	char one[2] = {(char)base, 0};
	if (q == 0) s = base == 0x0111 ? "đ" : one;
	else if (q == CM_CIRCUMFLEX && base == 'a') s = "â";
	else if (q == CM_CIRCUMFLEX && base == 'e') s = "ê";
	else if (q == CM_CIRCUMFLEX && base == 'o') s = "ô";
	else if (q == CM_BREVE && base == 'a') s = "ă";
	else if (q == CM_HORN && base == 'o') s = "ơ";
	else if (q == CM_HORN && base == 'u') s = "ư";
	if (!s) return false;
	size_t n = strlen(s);
	memcpy(u + *ul, s, n + 1);   /* keeps u NUL-terminated */
	*ul += n;
	return true;
}

static bool is_vowel_letters(const char *s, size_t n)
{
	static const char *const v[] = {"a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"};
	while (n) {
		size_t k = 0;
		for (size_t i = 0; i < ARRAY_LEN(v) && !k; i++) {
			size_t l = strlen(v[i]);
			if (l <= n && memcmp(s, v[i], l) == 0) k = l;
		}
		if (!k) return false;
		s += k, n -= k;
	}
	return true;
}

/* Does the untoned lower-case u split as initial + rime (+ final)? */
static bool rime_ok(const char *u, size_t ul, size_t init, int tone)
{
	const char *r = u + init;
	size_t rl = ul - init;
	size_t fl = 0;
	for (size_t i = 0; i < ARRAY_LEN(finals) && !fl; i++) {
		size_t l = strlen(finals[i]);
		if (l < rl && memcmp(r + rl - l, finals[i], l) == 0) fl = l;
	}
	size_t vl = rl - fl;
	if (vl == 0 || !is_vowel_letters(r, vl)) return false;
	if (!fl) return in_list(r, vl, open_rimes, ARRAY_LEN(open_rimes));
	const char *f = r + vl;
	/* After c ch p t only sắc and nặng: "học", "các"; never "hòc". */
	bool stop = f[0] == 'c' || f[0] == 'p' || f[0] == 't';
	if (stop && tone != 4 && tone != 5) return false;
	return in_list(r, vl, closed_rimes, ARRAY_LEN(closed_rimes));
}

bool vn_legacy_is_syllable(const char *word, size_t len)
{
	char u[32];          /* at most 7 letters of at most 2 bytes */
	size_t ul = 0;
	int letters = 0, tones = 0, tone = 0;
	utf8proc_int32_t base = -1, quality = 0;
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)word;
	for (size_t i = 0; i < len;) {
		utf8proc_int32_t cp, d[8];
		utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
		if (k <= 0) return false;
		i += (size_t)k;
		int last = 0;
		utf8proc_ssize_t nd = utf8proc_decompose_char(cp, d, 8,
			UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD, &last);
		if (nd < 1 || nd > 8) return false;
		for (utf8proc_ssize_t j = 0; j < nd; j++) {
			utf8proc_int32_t c = d[j];
			if (tone_of(c)) {
				if (base < 0) return false;
				tone = tone_of(c);
				tones++;
			} else if (c == CM_CIRCUMFLEX || c == CM_BREVE || c == CM_HORN) {
				if (base < 0 || quality) return false;
				quality = c;
			} else if ((c >= 'a' && c <= 'z' && !strchr("fjwz", (int)c)) || c == 0x0111) {
				if (base >= 0 && !put_letter(u, &ul, base, quality)) return false;
				if (++letters > 7) return false;
				base = c;
				quality = 0;
			} else {
				return false;
			}
		}
	}
	if (base < 0 || !put_letter(u, &ul, base, quality) || tones > 1) return false;
	/* Longest initial first; "gi"/"qu" give the i/u back when nothing
	 * else is left ("gì" is g + ì). */
	for (size_t i = 0; i < ARRAY_LEN(initials); i++) {
		size_t l = strlen(initials[i]);
		if (l <= ul && memcmp(u, initials[i], l) == 0) {
			if (rime_ok(u, ul, l, tone)) return true;
			if (strcmp(initials[i], "gi") == 0) continue;   /* try "g" */
			return false;
		}
	}
	return rime_ok(u, ul, 0, tone);
}

/* ---- Detection -------------------------------------------------------- */

/* Common words of school names, place names and family names. A word
 * found here counts extra: it is what this data is made of. */
static const char *const common_words[] = {
	"trường", "tiểu", "học", "mầm", "giáo", "dục", "đào", "tạo", "sở", "phòng",
	"huyện", "tỉnh", "thành", "phố", "xã", "phường", "quận", "thị", "trấn",
	"lớp", "năm", "ngày", "tháng", "điểm", "số", "tên", "đơn", "vị", "cơ",
	"nguyễn", "trần", "lê", "phạm", "hoàng", "huỳnh", "vũ", "võ", "đặng", "bùi",
	"đỗ", "hồ", "ngô", "dương", "lý", "đông", "tây", "bắc", "hà", "nội", "hải",
	"sơn", "hưng", "bình", "định", "thủy", "thuỷ", "quốc", "dân", "tộc", "nhà",
	"nước", "cộng", "hòa", "hoà", "hội", "chủ", "nghĩa", "độc", "lập", "tự",
	"hạnh", "phúc", "kết", "quả", "đánh", "giá", "tiêu", "chí", "mức", "đạt",
	"chuẩn", "kiểm", "chất", "lượng", "công", "nghệ", "thông", "chuyển", "đổi",
	"việt", "văn", "hóa", "hoá", "cấp", "và",
};

struct score {
	int good;     /* non-ASCII words that are Vietnamese syllables */
	int common;   /* … of which common words */
	int bad;      /* non-ASCII words that are not, and stray symbols */
};

static bool is_common(const char *w, size_t n)
{
	char *s = xstrndup(w, n);
	utf8proc_uint8_t *lower = NULL;
	utf8proc_ssize_t k = utf8proc_map((const utf8proc_uint8_t *)s, 0, &lower,
		UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
	free(s);
	if (k == UTF8PROC_ERROR_NOMEM) fatal("out of memory in utf8proc");
	bool hit = k >= 0 && in_list((const char *)lower, (size_t)k, common_words,
	                             ARRAY_LEN(common_words));
	free(lower);
	return hit;
}

/* Punctuation that legacy files share with Unicode ones and that says
 * nothing about the encoding. */
static bool neutral_symbol(utf8proc_int32_t cp)
{
	switch (cp) {
	case 0x00A0: case 0x2013: case 0x2014: case 0x2018: case 0x2019:
	case 0x201C: case 0x201D: case 0x2022: case 0x2026: case 0x20AB: case 0x20AC:
		return true;
	default:
		return false;
	}
}

static bool wordish(utf8proc_int32_t cp)
{
	utf8proc_category_t c = utf8proc_category(cp);
	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
	       (c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME);
}

static void score_word(struct score *sc, const char *w, size_t n, bool ascii)
{
	if (n == 0 || ascii) return;   /* ASCII reads the same in every encoding */
	if (!vn_legacy_is_syllable(w, n)) {
		sc->bad++;
	} else {
		sc->good++;
		if (is_common(w, n)) sc->common++;
	}
}

/* Score NFC text: words are runs of letters and marks. */
static struct score score_text(const char *s)
{
	struct score sc = {0, 0, 0};
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	size_t len = strlen(s), start = 0, i = 0;
	bool ascii = true;
	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
		if (k <= 0) { sc.bad++; i++; start = i; ascii = true; continue; }
		if (wordish(cp)) {
			if (cp >= 0x80) ascii = false;
		} else {
			score_word(&sc, s + start, i - start, ascii);
			if (cp >= 0x80 && !neutral_symbol(cp)) sc.bad++;
			start = i + (size_t)k;
			ascii = true;
		}
		i += (size_t)k;
	}
	score_word(&sc, s + start, len - start, ascii);
	return sc;
}

static int score_value(struct score sc) { return 2 * sc.good + 2 * sc.common - 3 * sc.bad; }

struct candidate {
	vn_encoding enc;
	bool via_cp1252;
	char *text;
	struct score sc;
	int value;
};

/* Scoring looks at the first 256 KiB or so: enough to judge any file,
 * cut at an ASCII space or line break so no character is split. */
#define SAMPLE_MAX ((size_t)256 * 1024)

static size_t sample_len(const char *bytes, size_t len)
{
	if (len <= SAMPLE_MAX) return len;
	size_t n = SAMPLE_MAX;
	while (n > 0 && bytes[n] != ' ' && bytes[n] != '\n' && bytes[n] != '\r' && bytes[n] != '\t')
		n--;
	if (n) return n;
	/* One enormous word: at least do not split a UTF-8 sequence. */
	n = SAMPLE_MAX;
	while (n > 0 && ((unsigned char)bytes[n] & 0xC0) == 0x80) n--;
	return n;
}

/* Add a decoding unless an earlier candidate already reads the same:
 * Windows-1258 agrees with 1252 on most letters, so unwrapping "Giáo"
 * and reading it as 1258 gives "Giáo" again, which is no rival. */
static void add_candidate(struct candidate *c, size_t *nc, const char *bytes, size_t len,
                          vn_encoding enc, bool via)
{
	char *text = vn_legacy_to_utf8(bytes, len, enc);
	if (!text) return;
	for (size_t i = 0; i < *nc; i++) {
		if (strcmp(c[i].text, text) == 0) {
			free(text);
			return;
		}
	}
	c[*nc].enc = enc;
	c[*nc].via_cp1252 = via;
	c[*nc].text = text;
	c[*nc].sc = score_text(text);
	c[*nc].value = score_value(c[*nc].sc);
	(*nc)++;
}

/* Confidence in candidate best: the share of its non-ASCII words that
 * are Vietnamese, scaled by its lead over the runner-up. */
static int confidence(const struct candidate *c, size_t nc, size_t best)
{
	int second = 0;
	for (size_t i = 0; i < nc; i++)
		if (i != best && c[i].value > second) second = c[i].value;
	struct score sc = c[best].sc;
	if (c[best].value <= 0 || second >= c[best].value) return 0;
	return (int)(100LL * sc.good * (c[best].value - second) /
	             ((long long)(sc.good + sc.bad) * c[best].value));
}

/* c[0] is the UTF-8 reading when utf8 is true. */
static vn_detection choose(const struct candidate *c, size_t nc, bool utf8)
{
	vn_detection det = {VN_ENC_UNKNOWN, 0, false};
	if (utf8 && nc > 0 && c[0].enc == VN_ENC_UTF8 && !c[0].via_cp1252) {
		/* Valid UTF-8 is kept unless it reads as garbage that another
		 * reading repairs: clean UTF-8 such as "Cô Tô" must not become
		 * "Cơ Tơ" because the VNI reading of its bytes also happens to
		 * spell Vietnamese. Legacy bytes almost never form valid UTF-8,
		 * and legacy text wrapped in 1252 always leaves stray symbols or
		 * impossible words in the UTF-8 reading. */
		struct score u = c[0].sc;
		size_t best = 0;
		for (size_t i = 1; i < nc && u.bad > 0; i++)
			if (c[i].value > c[best].value && c[i].sc.bad < u.bad) best = i;
		det.enc = c[best].enc;
		det.via_cp1252 = c[best].via_cp1252;
		if (best != 0) {
			det.confidence = confidence(c, nc, best);
		} else {
			int purity = u.good + u.bad ? 100 * u.good / (u.good + u.bad) : 100;
			det.confidence = purity > 60 ? purity : 60;
		}
		return det;
	}
	size_t best = 0;
	for (size_t i = 1; i < nc; i++)
		if (c[i].value > c[best].value) best = i;
	if (nc == 0 || c[best].value <= 0) return det;   /* nothing reads as Vietnamese */
	det.enc = c[best].enc;
	det.confidence = confidence(c, nc, best);
	return det;
}

vn_detection vn_legacy_detect(const char *bytes, size_t len)
{
	bool ascii = true;
	for (size_t i = 0; i < len && ascii; i++)
		ascii = bytes[i] > 0 && (unsigned char)bytes[i] < 0x80;
	if (ascii) return (vn_detection){VN_ENC_UTF8, 100, false};

	bool utf8 = vn_utf8_valid(bytes, len, NULL);
	size_t n = sample_len(bytes, len);
	struct candidate c[8];
	size_t nc = 0;
	/* Candidates in order of preference: a later one must score strictly
	 * better to win. Valid UTF-8 comes first; legacy bytes almost never
	 * form valid UTF-8 by chance. */
	if (utf8) add_candidate(c, &nc, bytes, n, VN_ENC_UTF8, false);
	add_candidate(c, &nc, bytes, n, VN_ENC_TCVN3, false);
	add_candidate(c, &nc, bytes, n, VN_ENC_VNI, false);
	add_candidate(c, &nc, bytes, n, VN_ENC_CP1258, false);
	char *raw;
	size_t raw_len;
	if (utf8 && unwrap_cp1252(bytes, n, &raw, &raw_len)) {
		if (vn_utf8_valid(raw, raw_len, NULL))
			add_candidate(c, &nc, raw, raw_len, VN_ENC_UTF8, true);
		add_candidate(c, &nc, raw, raw_len, VN_ENC_TCVN3, true);
		add_candidate(c, &nc, raw, raw_len, VN_ENC_VNI, true);
		add_candidate(c, &nc, raw, raw_len, VN_ENC_CP1258, true);
		free(raw);
	}
	vn_detection det = choose(c, nc, utf8);
	for (size_t i = 0; i < nc; i++) free(c[i].text);
	return det;
}

char *vn_legacy_decode_auto(const char *bytes, size_t len, vn_detection *det)
{
	vn_detection d = vn_legacy_detect(bytes, len);
	char *text = NULL;
	if (d.enc != VN_ENC_UNKNOWN && !d.via_cp1252)
		text = vn_legacy_to_utf8(bytes, len, d.enc);
	if (d.via_cp1252) {
		char *raw;
		size_t raw_len;
		if (unwrap_cp1252(bytes, len, &raw, &raw_len)) {
			text = vn_legacy_to_utf8(raw, raw_len, d.enc);
			free(raw);
		}
		if (!text) {
			/* Detection looks at a sample; past it the text has
			 * characters 1252 cannot hold, so it is UTF-8 after all. */
			d = (vn_detection){VN_ENC_UTF8, 50, false};
			text = vn_legacy_to_utf8(bytes, len, VN_ENC_UTF8);
		}
	}
	if (det) *det = d;
	return text;
}
