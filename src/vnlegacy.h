/* vnlegacy.h — Vietnamese text in pre-Unicode encodings, as found in old
 * Excel/CSV files: detection and conversion to NFC UTF-8.
 *
 *   TCVN3 (TCVN 5712:1993 "ABC", fonts .VnTime/.VnArial): one byte per
 *         letter, e.g. "Tr\xADêng" = "Trường".
 *   VNI-Windows (fonts VNI-Times…): a base letter followed by one or two
 *         Latin-1 bytes for the marks, e.g. "Tröôøng" = "Trường", "Ñ" = "Đ".
 *   CP1258 (Windows-1258): Latin-1-like with ă â ê ô ơ ư đ and five
 *         combining tone marks.
 *
 * Such text also arrives already "decoded" as Windows-1252: an XLSX cell
 * typed in a .VnTime font holds the UTF-8 text "Tr­êng" (with a soft
 * hyphen), and UTF-8 read twice holds "TrÆ°á»ng". Detection sees through
 * that wrapping and says so (via_cp1252).
 *
 * Pure: no I/O, no iconv — the tables are built in, so the result does
 * not depend on which gconv modules a machine has. */
#ifndef CHISO_VNLEGACY_H
#define CHISO_VNLEGACY_H
#include <stdbool.h>
#include <stddef.h>

typedef enum vn_encoding {
	VN_ENC_UTF8,
	VN_ENC_TCVN3,
	VN_ENC_VNI,
	VN_ENC_CP1258,
	VN_ENC_UNKNOWN,
} vn_encoding;

typedef struct vn_detection {
	vn_encoding enc;
	/* 0..100: the share of the non-ASCII words that read as Vietnamese in
	 * the chosen decoding, lowered when another decoding does nearly as
	 * well. Plain ASCII is UTF-8 with confidence 100. */
	int confidence;
	/* The input was valid UTF-8 whose characters are really the bytes of
	 * enc seen through Windows-1252 (legacy text from an XLSX cell, or
	 * UTF-8 encoded twice when enc is VN_ENC_UTF8). */
	bool via_cp1252;
} vn_detection;

/* "UTF-8", "TCVN3", "VNI", "CP1258" or "unknown". */
const char *vn_encoding_name(vn_encoding enc);

/* Guess how bytes[0..len) encode Vietnamese text. Every plausible reading
 * (UTF-8, TCVN3, VNI, CP1258, and those again after unwrapping 1252) is
 * scored by how many of its words are well-formed Vietnamese syllables
 * (one tone mark, a real vowel cluster, c/ch/p/t only with sắc or nặng;
 * common words such as "trường", "học", "Nguyễn" count extra), minus
 * impossible words and stray symbols. Valid UTF-8 is kept unless its own
 * reading has such garbage and another reading has less — so clean text
 * like "Cô Tô" is never "repaired" into "Cơ Tơ". Plain ASCII is UTF-8.
 * Otherwise the best legacy reading wins; VN_ENC_UNKNOWN (confidence 0)
 * when none reads as Vietnamese. Looks at about the first 256 KiB.
 * Thread-safe, like everything here. */
vn_detection vn_legacy_detect(const char *bytes, size_t len);

/* Decode bytes[0..len) from enc into NFC UTF-8, malloc'd (caller frees).
 * Every byte of a legacy encoding decodes to something (bytes with no
 * character — and NUL — become U+FFFD). TCVN3 fields typed all in capitals
 * with the .VnTimeH font ("TR­êNG") come out in capitals ("TRƯỜNG").
 * VN_ENC_UTF8 returns the NFC of valid UTF-8, or NULL when it is not;
 * VN_ENC_UNKNOWN returns NULL. */
char *vn_legacy_to_utf8(const char *bytes, size_t len, vn_encoding enc);

/* Detect and convert in one step, unwrapping Windows-1252 when detection
 * says so. Stores the detection in *det when det is non-NULL. Returns
 * malloc'd NFC UTF-8, or NULL when the encoding is unknown. */
char *vn_legacy_decode_auto(const char *bytes, size_t len, vn_detection *det);

/* True when word[0..len) (UTF-8, either case, NFC or not) is one
 * well-formed Vietnamese syllable: an optional initial consonant, a valid
 * vowel cluster, an optional final consonant and at most one tone mark,
 * which must be sắc or nặng before c, ch, p or t. The detector's test of
 * "looks Vietnamese"; loanwords and names like "Jrai" fail it. */
bool vn_legacy_is_syllable(const char *word, size_t len);
#endif
