/* demo.c — the demo data set (demo.h).
 *
 * Everything goes through the store's public functions, exactly as the
 * web pages do it: units and dated relations (q_unit), accounts and roles
 * (q_account), rounds (q_round), councils and tasks (q_council), answers
 * (q_assessment), transitions with what they carry — submission letters,
 * return reasons, recognition by decision, publication — through the
 * assessment service (assess_act, on a simulated date), teams (q_office),
 * evidence files (blob + q_evidence). Answers are generated from the
 * framework's leaves and rule kinds and stored; the service scores the
 * stored answers and fixes the levels the way the pages do — `chiso
 * levels verify` re-checks them through the same path.
 *
 * Speed: one write transaction per school. Passwords are the slow part
 * (argon2id, ~65 ms each, ~220 accounts), so accounts are created first by
 * one thread per CPU, each on its own connection. */
#include "demo.h"
#include "assess.h"
#include "q.h"
#include "q_account.h"
#include "q_assessment.h"
#include "q_council.h"
#include "q_evidence.h"
#include "q_office.h"
#include "q_round.h"
#include "q_submission.h"
#include "q_unit.h"
#include "score_json.h"
#include "util.h"
#include "vn.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DEMO_SEED 0x20250531u
/* Bình Định and Gia Lai became the province of Gia Lai on 1/7/2025
 * (Nghị quyết 202/2025/QH15), administrative code 52, centre at Quy Nhơn.
 * The schools keep their Bình Định addresses; the offices of each date
 * are separate units, so a document is headed by the bodies of its date:
 * the Sở of Gia Lai (code 52000000, the current one) from 1/7/2025, the
 * dissolved Sở of Bình Định (a code of its own: codes are unique) before. */
#define PROVINCE "tỉnh Bình Định"
#define NEW_PROVINCE "tỉnh Gia Lai"
#define SO_CODE "52000000"
#define OLD_SO_CODE "52000001"
#define UBND_TINH_CODE "52000090"
#define OLD_UBND_TINH_CODE "52000091"
#define REFORM_DATE "2025-07-01"        /* district level dissolved */
#define SINCE "2020-08-01"              /* relations before the reform */

/* ---- randomness: splitmix64, one fixed seed ------------------------------ */

typedef struct rng {
	uint64_t s;
} rng;

static uint64_t rnext(rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static int rint_in(rng *r, int lo, int hi) /* inclusive */
{
	return lo + (int)(rnext(r) % (uint64_t)(hi - lo + 1));
}

static double runit(rng *r) { return (double)(rnext(r) >> 11) * (1.0 / 9007199254740992.0); }
static bool rchance(rng *r, double p) { return runit(r) < p; }

static void shuffle(rng *r, int *v, int n)
{
	for (int i = n - 1; i > 0; i--) {
		int j = rint_in(r, 0, i), t = v[i];
		v[i] = v[j];
		v[j] = t;
	}
}

/* ---- dates --------------------------------------------------------------- */

static void date_add(const char *iso, int days, char out[11])
{
	struct tm tm = { 0 };
	int y, m, d;
	if (!vn_parse_date(iso, &y, &m, &d)) fatal("demo: bad date %s", iso);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d + days;
	tm.tm_hour = 12;
	time_t t = timegm(&tm);
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static int ymd(const char *iso)
{
	int y, m, d;
	return vn_parse_date(iso, &y, &m, &d) ? y * 10000 + m * 100 + d : 0;
}

/* ---- names and places ----------------------------------------------------- */

static const char *const streets[] = {
	"Nguyễn Huệ", "Trần Hưng Đạo", "Lê Hồng Phong", "Phan Bội Châu", "Ngô Mây",
	"Tăng Bạt Hổ", "Lý Thường Kiệt", "Nguyễn Thái Học", "Hùng Vương", "Điện Biên Phủ",
	"Tây Sơn", "An Dương Vương", "Chương Dương", "Xuân Diệu", "Trần Phú", "Lê Duẩn",
	"Hoàng Văn Thụ", "Quang Trung", "Bạch Đằng", "Nguyễn Tất Thành", "Võ Thị Sáu",
	"Lạc Long Quân", "Âu Cơ", "Trần Cao Vân",
};

static const char *const hamlets[] = {
	"An Thái", "Xuân Phong", "Trung Lý", "Mỹ Hóa", "Hòa Hội", "Chánh Hữu", "Vinh Thạnh",
	"Phú Gia", "Tân Hòa", "Kim Châu", "Hưng Mỹ", "Đại Hữu", "Liêm Định", "Quảng Tín",
	"Bình Thạnh", "Lộc Thượng", "Thuận Hạnh", "Phước Thiện", "Vĩnh Lợi", "Đông Điền",
};

/* Names schools carry (people of history, writers, heroes). */
static const char *const people[] = {
	"Nguyễn Văn Trỗi", "Lê Lợi", "Trần Phú", "Lê Hồng Phong", "Ngô Mây", "Nguyễn Huệ",
	"Quang Trung", "Bùi Thị Xuân", "Trần Quang Diệu", "Võ Thị Sáu", "Nguyễn Du", "Chu Văn An",
	"Nguyễn Trãi", "Lý Thường Kiệt", "Trần Hưng Đạo", "Hai Bà Trưng", "Nguyễn Bỉnh Khiêm",
	"Đào Duy Từ", "Phan Bội Châu", "Phan Chu Trinh", "Huỳnh Thúc Kháng", "Lê Văn Tám",
	"Kim Đồng", "Nguyễn Thị Minh Khai", "Trần Quốc Toản", "Ngô Quyền", "Lương Thế Vinh",
	"Tô Hiến Thành", "Mạc Đĩnh Chi", "Nguyễn Khuyến", "Nguyễn Đình Chiểu", "Hàm Nghi",
	"Lê Thánh Tông", "Xuân Diệu", "Hàn Mặc Tử", "Đào Tấn", "Tăng Bạt Hổ", "Nguyễn Thái Học",
	"Võ Lai", "Hùng Vương", "Lê Văn Hưu", "Trưng Vương", "Nguyễn Trân", "Nguyễn Diêu",
	"Tây Sơn", "Nguyễn Nhạc", "Phù Đổng", "Lê Lai", "Nguyễn Chí Thanh", "Trần Cao Vân",
	"Phạm Văn Đồng", "Hoàng Hoa Thám", "Nguyễn Công Trứ", "Trần Bình Trọng", "Yết Kiêu",
	"Dã Tượng", "Phạm Hồng Thái", "Lê Thị Hồng Gấm", "Nguyễn Viết Xuân", "Tô Vĩnh Diện",
	"Bế Văn Đàn", "Mai Xuân Thưởng", "Nguyễn Trung Trực", "Đinh Tiên Hoàng", "Lý Tự Trọng",
	"Võ Trứ", "Lê Quý Đôn", "Nguyễn Văn Cừ", "Cù Chính Lan", "Phan Đình Phùng",
	"Trần Quý Cáp", "Nguyễn Hiền", "Lê Văn Thiêm", "Ngô Sĩ Liên", "Lý Công Uẩn",
};

static const char *const preschool_names[] = {
	"Hoa Sen", "Hoa Hồng", "Hoa Mai", "Hoa Lan", "Sơn Ca", "Họa Mi", "Vành Khuyên",
	"Tuổi Thơ", "Bình Minh", "Hướng Dương", "Tuổi Ngọc", "Măng Non", "Hoa Phượng", "Hoa Cúc",
	"Hoa Đào", "Sao Mai", "Hoa Sữa", "Ánh Dương", "Hoa Ngọc Lan", "Búp Sen Hồng",
	"Hoa Thủy Tiên", "Hoa Mười Giờ", "Chim Non", "Hoa Anh Đào",
};

static const char *const private_preschools[] = {
	"Ánh Sao", "Thiên Thần Nhỏ", "Cánh Diều", "Ngôi Sao Nhỏ", "Mặt Trời Bé Con",
};

static const char *const family[] = {
	"Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Đặng", "Bùi", "Đỗ",
	"Hồ", "Ngô", "Dương", "Lý", "Đoàn", "Đinh", "Lương", "Mai", "Tạ", "Nguyễn", "Trần", "Lê",
};
static const char *const middle_m[] = { "Văn", "Minh", "Quốc", "Hữu", "Đức", "Thanh", "Công", "Xuân", "Ngọc" };
static const char *const middle_f[] = { "Thị", "Thị Thu", "Thị Kim", "Ngọc", "Thị Thanh", "Thị Mỹ", "Thị Hồng" };
static const char *const given_m[] = {
	"An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Long", "Minh", "Nam", "Phúc", "Quang",
	"Sơn", "Thành", "Trung", "Tuấn", "Việt", "Khoa", "Lộc", "Tài", "Hiếu",
};
static const char *const given_f[] = {
	"Hà", "Hạnh", "Hương", "Lan", "Linh", "Mai", "Nga", "Phương", "Tâm", "Thảo", "Thủy",
	"Trang", "Vân", "Yến", "Hoa", "Nhung", "Loan", "Oanh", "Diệp", "Quyên",
};

static char *person(rng *r, arena *a)
{
	bool f = rchance(r, 0.62);   /* most teachers are women */
	return arena_printf(a, "%s %s %s", family[rint_in(r, 0, (int)ARRAY_LEN(family) - 1)],
		f ? middle_f[rint_in(r, 0, (int)ARRAY_LEN(middle_f) - 1)]
		  : middle_m[rint_in(r, 0, (int)ARRAY_LEN(middle_m) - 1)],
		f ? given_f[rint_in(r, 0, (int)ARRAY_LEN(given_f) - 1)]
		  : given_m[rint_in(r, 0, (int)ARRAY_LEN(given_m) - 1)]);
}

/* ---- the province --------------------------------------------------------- */

typedef struct district {
	const char *dd;              /* code digits 3–4 */
	const char *kind, *name;     /* "thành phố", "Quy Nhơn" */
	const char *const *wards;    /* "phường Trần Phú" */
	int nwards;
	const char *ubnd[2];         /* who manages its schools from 1/7/2025 */
	/* schools: mầm non (of which private), tiểu học, THCS, TH&THCS — under
	 * the Phòng; THPT, THCS&THPT, GDTX — under the Sở */
	int mn, mn_private, th, thcs, th_thcs, thpt, thcs_thpt, gdtx;
} district;

static const char *const wards_qn[] = {
	"phường Trần Phú", "phường Lê Lợi", "phường Lý Thường Kiệt", "phường Nguyễn Văn Cừ",
	"phường Ngô Mây", "phường Ghềnh Ráng", "phường Quang Trung", "phường Đống Đa",
	"phường Thị Nại", "phường Hải Cảng", "phường Nhơn Bình", "phường Nhơn Phú",
	"phường Bùi Thị Xuân", "phường Trần Quang Diệu", "xã Nhơn Lý", "xã Nhơn Hội", "xã Nhơn Hải",
	"xã Phước Mỹ",
};
static const char *const wards_an[] = {
	"phường Bình Định", "phường Đập Đá", "phường Nhơn Hưng", "phường Nhơn Thành",
	"phường Nhơn Hòa", "xã Nhơn Mỹ", "xã Nhơn Hậu", "xã Nhơn Phong", "xã Nhơn An",
	"xã Nhơn Phúc", "xã Nhơn Khánh", "xã Nhơn Lộc", "xã Nhơn Tân", "xã Nhơn Thọ", "xã Nhơn Hạnh",
};
static const char *const wards_tp[] = {
	"thị trấn Tuy Phước", "thị trấn Diêu Trì", "xã Phước Thắng", "xã Phước Hưng",
	"xã Phước Quang", "xã Phước Hòa", "xã Phước Sơn", "xã Phước Hiệp", "xã Phước Lộc",
	"xã Phước Nghĩa", "xã Phước Thuận", "xã Phước An", "xã Phước Thành",
};
static const char *const wards_pc[] = {
	"thị trấn Ngô Mây", "thị trấn Cát Tiến", "xã Cát Hanh", "xã Cát Tân", "xã Cát Trinh",
	"xã Cát Tài", "xã Cát Khánh", "xã Cát Minh", "xã Cát Thành", "xã Cát Hải", "xã Cát Hưng",
	"xã Cát Nhơn", "xã Cát Lâm", "xã Cát Sơn", "xã Cát Hiệp", "xã Cát Tường", "xã Cát Chánh",
};

/* 200 schools: 57 mầm non, 62 tiểu học, 44 THCS, 22 THPT, 10 liên cấp, 5 GDTX. */
static const district districts[] = {
	{ "10", "thành phố", "Quy Nhơn", wards_qn, (int)ARRAY_LEN(wards_qn),
	  { "phường Quy Nhơn", "phường Quy Nhơn Nam" }, 18, 3, 20, 12, 2, 8, 1, 2 },
	{ "11", "thị xã", "An Nhơn", wards_an, (int)ARRAY_LEN(wards_an),
	  { "phường An Nhơn", "phường An Nhơn Bắc" }, 15, 1, 14, 10, 1, 5, 1, 1 },
	{ "12", "huyện", "Tuy Phước", wards_tp, (int)ARRAY_LEN(wards_tp),
	  { "xã Tuy Phước", "xã Tuy Phước Đông" }, 12, 0, 14, 10, 2, 4, 1, 1 },
	{ "13", "huyện", "Phù Cát", wards_pc, (int)ARRAY_LEN(wards_pc),
	  { "xã Phù Cát", "xã Cát Tiến" }, 12, 0, 14, 12, 1, 5, 1, 1 },
};
#define NDISTRICTS ((int)ARRAY_LEN(districts))

/* "phường Trần Phú" → "Trần Phú" */
static const char *bare(const char *ward)
{
	static const char *const prefixes[] = { "phường ", "xã ", "thị trấn " };
	for (size_t i = 0; i < ARRAY_LEN(prefixes); i++)
		if (!strncmp(ward, prefixes[i], strlen(prefixes[i]))) return ward + strlen(prefixes[i]);
	return ward;
}

/* ASCII letters and digits of the folded text: "Quy Nhơn Nam" → "quynhonnam". */
static char *slug(const char *s, arena *a)
{
	char *f = vn_fold(s);
	char *out = arena_alloc(a, strlen(f) + 1), *o = out;
	for (const char *p = f; *p; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')) *o++ = *p;
	*o = '\0';
	free(f);
	return out;
}

/* The abbreviation in document symbols: "Trường Tiểu học Nguyễn Văn Trỗi"
 * → "THNVT", "Trường THCS Lê Lợi" → "THCSLL". */
static char *abbrev(const char *name, arena *a)
{
	char *out = arena_alloc(a, 24), *o = out;
	char *copy = arena_strdup(a, name);
	bool first = true;
	for (char *w = strtok(copy, " "); w && o - out < 16; w = strtok(NULL, " ")) {
		if (first && (!strcmp(w, "Trường") || !strcmp(w, "Trung"))) {
			first = false;
			if (!strcmp(w, "Trung")) { *o++ = 'T'; *o++ = 'T'; strtok(NULL, " "); }
			continue;
		}
		first = false;
		int upper = 0;
		for (const char *p = w; *p; p++) upper += *p >= 'A' && *p <= 'Z';
		char *f = vn_fold(w);
		if (upper >= 2) {
			for (const char *p = f; *p && o - out < 20; p++)
				if ((*p >= 'a' && *p <= 'z') || *p == '-') *o++ = (char)(*p == '-' ? '-' : *p - 32);
		} else if (f[0] >= 'a' && f[0] <= 'z') {
			*o++ = (char)(f[0] - 32);
		}
		free(f);
	}
	*o = '\0';
	return out;
}

/* ---- the plan: units and who runs them ----------------------------------- */

typedef struct school {
	const char *code, *name, *type, *levels, *address;
	bool is_public;
	int district, ward, ubnd;           /* indexes */
	bool under_so;                      /* THPT, THCS&THPT, GDTX */
	double quality;                     /* 0..1: how far its digital transformation is */
	const char *principal, *head_title;
	int64_t id, principal_acc;
	/* the current round */
	wf_state target;
	bool showcase;
} school;

typedef struct office {
	const char *code, *name, *type, *address, *login, *head;
	int64_t id, acc;
} office;

enum { MAX_SCHOOLS = 256 };

typedef struct plan {
	arena *a;
	rng r;
	school schools[MAX_SCHOOLS];
	int nschools;
	office so, phong[NDISTRICTS], ubnd[NDISTRICTS][2];
	office so_old, ubnd_tinh, ubnd_tinh_old;   /* the Sở of Bình Định until 1/7/2025; the UBND tỉnh */
	/* people */
	struct acc_spec *specs;
	size_t nspecs, capspecs;
	int64_t evaluators[4];
	int64_t council_accs[3];            /* the showcase school's members */
	/* rounds */
	int64_t r24_phong[NDISTRICTS], r24_so, rcur, r24_offices;
	const char *today, *cur_year, *self_due, *report_due, *external_due, *cur_date;
	/* work */
	const demo_opts *o;
	demo_summary *sum;
	buf *err;
} plan;

static const char *pick(rng *r, const char *const *v, size_t n) { return v[rint_in(r, 0, (int)n - 1)]; }

/* The next unused name of a pool (by type), or NULL when all are used. */
static const char *unused(plan *p, const char *const *pool, size_t n, const char *prefix)
{
	int start = rint_in(&p->r, 0, (int)n - 1);
	for (size_t k = 0; k < n; k++) {
		const char *cand = pool[(start + (int)k) % (int)n];
		char *full = arena_printf(p->a, "%s%s", prefix, cand);
		bool taken = false;
		for (int i = 0; i < p->nschools && !taken; i++) taken = !strcmp(p->schools[i].name, full);
		if (!taken) return full;
	}
	return NULL;
}

static bool name_taken(plan *p, const char *name)
{
	for (int i = 0; i < p->nschools; i++)
		if (!strcmp(p->schools[i].name, name)) return true;
	return false;
}

static const char *address(plan *p, const district *dt, int ward)
{
	const char *w = dt->wards[ward];
	if (strncmp(w, "xã ", strlen("xã ")) != 0)
		return arena_printf(p->a, "Số %d %s, %s, %s %s, " PROVINCE, rint_in(&p->r, 2, 280),
			pick(&p->r, streets, ARRAY_LEN(streets)), w, dt->kind, dt->name);
	return arena_printf(p->a, "Thôn %s, %s, %s %s, " PROVINCE,
		pick(&p->r, hamlets, ARRAY_LEN(hamlets)), w, dt->kind, dt->name);
}

static school *add_school(plan *p, int di, char level_digit, int seq, const char *type,
                          const char *name, const char *levels, bool under_so)
{
	const district *dt = &districts[di];
	school *s = &p->schools[p->nschools];
	memset(s, 0, sizeof *s);
	s->code = arena_printf(p->a, "52%s%c%03d", dt->dd, level_digit, seq);
	s->name = name;
	s->type = type;
	s->levels = levels;
	s->district = di;
	s->ward = rint_in(&p->r, 0, dt->nwards - 1);
	s->ubnd = s->ward * 2 / dt->nwards;
	s->under_so = under_so;
	s->is_public = true;
	s->address = address(p, dt, s->ward);
	/* Quality: most schools are well on their way, a few are not; THCS and
	 * THPT lead, as the province's targets expect. */
	double qual = 0.55 + 0.43 * runit(&p->r);
	if (!strcmp(type, "thcs") || !strcmp(type, "thpt")) qual += 0.06;
	if (rchance(&p->r, 0.05)) qual = 0.15 + 0.2 * runit(&p->r);
	s->quality = qual > 0.98 ? 0.98 : qual;
	s->principal = person(&p->r, p->a);
	s->head_title = !strcmp(type, "gdtx") ? "Giám đốc" : "Hiệu trưởng";
	p->nschools++;
	return s;
}

static void plan_schools(plan *p)
{
	for (int di = 0; di < NDISTRICTS; di++) {
		const district *dt = &districts[di];
		bool city = di == 0;
		int seq;
		/* mầm non: level digit 0 */
		seq = 1;
		for (int k = 0; k < dt->mn; k++) {
			const char *name = NULL;
			bool priv = k >= dt->mn - dt->mn_private;
			if (priv) name = unused(p, private_preschools, ARRAY_LEN(private_preschools),
				"Trường Mầm non tư thục ");
			else if (city || rchance(&p->r, 0.3))
				name = unused(p, preschool_names, ARRAY_LEN(preschool_names), "Trường Mầm non ");
			for (int t = 0; !name || name_taken(p, name); t++) {
				const char *w = bare(dt->wards[rint_in(&p->r, 0, dt->nwards - 1)]);
				name = t < 4 ? arena_printf(p->a, "Trường %s %s", t % 2 ? "Mẫu giáo" : "Mầm non", w)
				             : arena_printf(p->a, "Trường Mầm non số %d %s", t / 4 + 1, w);
			}
			school *s = add_school(p, di, '0', seq++, "mam_non", name, NULL, false);
			s->is_public = !priv;
		}
		/* tiểu học: 1 */
		seq = 1;
		for (int k = 0; k < dt->th; k++) {
			const char *name = NULL;
			if (city || rchance(&p->r, 0.4))
				name = unused(p, people, ARRAY_LEN(people), "Trường Tiểu học ");
			for (int n = 1; !name || name_taken(p, name); n++)
				name = arena_printf(p->a, "Trường Tiểu học số %d %s", n,
					bare(dt->wards[rint_in(&p->r, 0, dt->nwards - 1)]));
			add_school(p, di, '1', seq++, "tieu_hoc", name, NULL, false);
		}
		/* THCS: 2 */
		seq = 1;
		for (int k = 0; k < dt->thcs; k++) {
			const char *name = NULL;
			if (!city && rchance(&p->r, 0.6)) {
				name = arena_printf(p->a, "Trường THCS %s",
					bare(dt->wards[rint_in(&p->r, 0, dt->nwards - 1)]));
				if (name_taken(p, name)) name = NULL;
			}
			if (!name) name = unused(p, people, ARRAY_LEN(people), "Trường THCS ");
			for (int n = 1; !name || name_taken(p, name); n++)
				name = arena_printf(p->a, "Trường THCS số %d %s", n, dt->name);
			add_school(p, di, '2', seq++, "thcs", name, NULL, false);
		}
		/* THPT: 3 */
		seq = 1;
		for (int k = 0; k < dt->thpt; k++) {
			const char *name;
			if (city && k == 0) name = "Trường THPT chuyên Lê Quý Đôn";
			else if (!city && k < 2) name = arena_printf(p->a, "Trường THPT số %d %s", k + 1, dt->name);
			else name = unused(p, people, ARRAY_LEN(people), "Trường THPT ");
			for (int n = 3; !name || name_taken(p, name); n++)
				name = arena_printf(p->a, "Trường THPT số %d %s", n, dt->name);
			add_school(p, di, '3', seq++, "thpt", name, NULL, true);
		}
		/* liên cấp: 4 — TH&THCS (Phòng), THCS&THPT (Sở) */
		seq = 1;
		for (int k = 0; k < dt->th_thcs; k++) {
			const char *name = NULL;
			for (int t = 0; !name || name_taken(p, name); t++)
				name = arena_printf(p->a, "Trường TH&THCS %s",
					bare(dt->wards[(rint_in(&p->r, 0, dt->nwards - 1) + t) % dt->nwards]));
			add_school(p, di, '4', seq++, "lien_cap", name, "tieu_hoc,thcs", false);
		}
		for (int k = 0; k < dt->thcs_thpt; k++) {
			const char *name = unused(p, people, ARRAY_LEN(people), "Trường THCS và THPT ");
			for (int n = 1; !name || name_taken(p, name); n++)
				name = arena_printf(p->a, "Trường THCS và THPT số %d %s", n, dt->name);
			add_school(p, di, '4', seq++, "lien_cap", name, "thcs,thpt", true);
		}
		/* GDTX: 5 */
		seq = 1;
		for (int k = 0; k < dt->gdtx; k++) {
			const char *name = city && k == 0 ? "Trung tâm Giáo dục thường xuyên " PROVINCE
				: arena_printf(p->a, "Trung tâm GDNN-GDTX %s %s", dt->kind, dt->name);
			add_school(p, di, '5', seq++, "gdtx", name, NULL, true);
		}
	}
}

/* ---- accounts: created by one thread per CPU ------------------------------ */

typedef struct acc_spec {
	const char *login, *name;
	int64_t *id;                 /* where the id goes */
} acc_spec;

static void want_account(plan *p, const char *login, const char *name, int64_t *id)
{
	if (p->nspecs == p->capspecs) {
		p->capspecs = p->capspecs ? p->capspecs * 2 : 256;
		p->specs = xrealloc(p->specs, p->capspecs * sizeof *p->specs);
	}
	p->specs[p->nspecs++] = (acc_spec){ login, name, id };
}

/* Every demo account has the same password: hash it once (argon2id costs
 * ~55 ms and 64 MiB each time; 221 hashes were most of the demo's time). */
static int create_accounts(plan *p, db *d)
{
	char hash[128];
	if (account_password_hash(DEMO_PASSWORD, hash) != DB_OK) {
		buf_puts(p->err, "không tạo được mã băm mật khẩu");
		return DB_ERROR;
	}
	for (size_t i = 0; i < p->nspecs; i++) {
		acc_spec *s = &p->specs[i];
		if (account_create_hashed(d, 0, s->login, s->name, hash, s->id) != DB_OK) {
			buf_printf(p->err, "tài khoản %s: %s", s->login, db_errmsg(d));
			return DB_ERROR;
		}
	}
	p->sum->accounts = (int)p->nspecs;
	return DB_OK;
}

/* ---- answers generated from the framework's rules ------------------------- */

static const char *const up_to_reasons[] = {
	"Chưa triển khai; đang xây dựng kế hoạch thực hiện",
	"Mới triển khai một phần, chưa thường xuyên",
	"Đã triển khai ở phần lớn các lớp; một số nội dung đang hoàn thiện",
	"Đáp ứng đầy đủ yêu cầu, có minh chứng kèm theo",
};

static const char *const info_texts[] = {
	"Sử dụng hệ thống LMS do Sở GD&ĐT triển khai cho toàn tỉnh",
	"Sử dụng Google Classroom và kho bài giảng điện tử của trường",
	"Sử dụng hệ thống học trực tuyến OLM; học liệu do tổ chuyên môn xây dựng",
	"Chưa triển khai LMS; giáo viên gửi bài qua nhóm Zalo của lớp",
};

/* Does num/den (× 100 for percent) meet the rule's threshold? */
static bool ratio_meets(const fw_rule *ru, q thr, json_int_t num, json_int_t den)
{
	q v = q_make(num, den);
	if (ru->unit == UNIT_PERCENT) v = q_mul(v, q_int(100));
	int c = q_cmp(v, thr);
	return ru->cmp == CMP_LE ? c <= 0 : c >= 0;
}

/* One answer for `leaf` of a unit of type t, good with probability ~p. */
static json_t *gen_answer(rng *r, const fw_node *leaf, unit_type t, double p)
{
	const fw_rule *ru = leaf->rule;
	bool good = rchance(r, p);
	switch (ru->kind) {
	case RULE_GATE:
		return json_boolean(rchance(r, p < 0.3 ? 0.6 : 0.995));
	case RULE_YES_NO:
		return json_boolean(good);
	case RULE_UP_TO: {
		double max = q_to_double(ru->points);
		double f = p + (runit(r) - 0.5) * 0.35;
		f = f < 0 ? 0 : f > 1 ? 1 : f;
		double pts = (double)(int)(f * max * 2 + 0.5) / 2;   /* half points */
		int band = f < 0.25 ? 0 : f < 0.5 ? 1 : f < 0.85 ? 2 : 3;
		return json_pack("{s:f, s:s}", "points", pts, "reason", up_to_reasons[band]);
	}
	case RULE_ALTERNATIVES: {
		/* the options from cheapest to dearest; good takes the dearest */
		size_t best = 0;
		for (size_t i = 1; i < ru->noptions; i++)
			if (q_cmp(ru->options[i].points, ru->options[best].points) > 0) best = i;
		if (good) return json_string(ru->options[best].code);
		if (rchance(r, 0.6) && ru->noptions > 1) return json_string(ru->options[best == 0 ? 1 : 0].code);
		return json_string("none");
	}
	case RULE_TIERED: {
		size_t best = 0;
		for (size_t i = 1; i < ru->noptions; i++)
			if (q_cmp(ru->options[i].points, ru->options[best].points) > 0) best = i;
		if (!good && rchance(r, 0.3)) return json_string("none");
		size_t tier = good ? best : (size_t)rint_in(r, 0, (int)ru->noptions - 1);
		json_t *missing = json_array();
		int nmiss = good ? (rchance(r, 0.7) ? 0 : 1) : rint_in(r, 1, 2);
		for (int k = 0; k < nmiss && (size_t)k < ru->ncomponents; k++)
			json_array_append_new(missing, json_string(ru->components[
				(size_t)rint_in(r, 0, (int)ru->ncomponents - 1)].code));
		/* no repeats */
		for (size_t i = 0; i < json_array_size(missing); i++)
			for (size_t j = i + 1; j < json_array_size(missing);)
				if (json_equal(json_array_get(missing, i), json_array_get(missing, j)))
					json_array_remove(missing, j);
				else j++;
		return json_pack("{s:s, s:o}", "tier", ru->options[tier].code, "missing", missing);
	}
	case RULE_RATIO:
	case RULE_RATIO_BY_TYPE: {
		bool has = ru->kind == RULE_RATIO || ru->type_has_threshold[t];
		if (!has)
			return json_pack("{s:b, s:s}", "met", good, "reason", good
				? "Đạt yêu cầu theo đánh giá của hội đồng, có số liệu minh chứng"
				: "Chưa đạt yêu cầu theo đánh giá của hội đồng");
		q thr = ru->kind == RULE_RATIO ? ru->threshold : ru->type_threshold[t];
		bool pct = ru->unit == UNIT_PERCENT;
		/* percent: e.g. classrooms with a projector / classrooms; a plain
		 * ratio: e.g. pupils in an IT lesson / computers (≤ 3) */
		json_int_t den = pct ? rint_in(r, 18, 85) : rint_in(r, 12, 40);
		json_int_t hi = pct ? den : den * 10;
		double x = q_to_double(thr) * (double)den / (pct ? 100.0 : 1.0);
		double f = good == (ru->cmp == CMP_GE) ? 1.0 + 0.4 * runit(r) : 0.45 + 0.5 * runit(r);
		json_int_t num = (json_int_t)(x * f + 0.5);
		if (num > hi) num = hi;
		if (num < 0) num = 0;
		/* nudge across the threshold exactly, in the direction wanted */
		int dir = (good == (ru->cmp == CMP_GE)) ? 1 : -1;
		for (int k = 0; k < 1000 && ratio_meets(ru, thr, num, den) != good; k++) {
			if ((dir > 0 && num >= hi) || (dir < 0 && num <= 0)) break;
			num += dir;
		}
		return json_pack("{s:I, s:I}", "num", num, "den", den);
	}
	case RULE_COUNT: {
		int min = (int)q_to_double(ru->threshold);
		int v = good ? min + rint_in(r, 0, min + 3) : (min > 0 ? rint_in(r, 0, min - 1) : 0);
		return json_integer(v);
	}
	case RULE_INFO:
		return json_string(info_texts[good ? rint_in(r, 0, 2) : 3]);
	case RULE_DERIVED:
	case RULE_KIND_COUNT:
		break;
	}
	return NULL;
}

/* Answers for every answerable leaf (only a share `coverage` of them when
 * below 1: work in progress), as {code: value}. */
static json_t *gen_answers(rng *r, const framework *fw, unit_type t, double p, double coverage)
{
	json_t *ans = json_object();
	for (size_t i = 0; i < fw->nleaves; i++) {
		const fw_node *leaf = fw->leaves[i];
		if (leaf->rule->kind == RULE_DERIVED) continue;
		if (coverage < 1 && !rchance(r, coverage)) continue;
		json_t *v = gen_answer(r, leaf, t, p);
		if (v) json_object_set_new(ans, leaf->code, v);
	}
	return ans;
}

static const char *const external_reasons[] = {
	"Chưa có minh chứng (văn bản, ảnh chụp) chứng minh đã triển khai thường xuyên",
	"Minh chứng chưa đầy đủ so với mức điểm tự chấm",
	"Số liệu đối chiếu thực tế thấp hơn số liệu nhà trường tự báo cáo",
	"Một số học liệu chưa được tổ chuyên môn thông qua",
};

/* The external team's answer to one item: usually the school's own;
 * sometimes lower, with the reason. *reason is NULL when unchanged. */
static json_t *external_answer(rng *r, const fw_node *leaf, json_t *self, const char **reason)
{
	*reason = NULL;
	if (!rchance(r, 0.12)) return json_incref(self);
	switch (leaf->rule->kind) {
	case RULE_YES_NO:
		if (json_is_true(self)) { *reason = external_reasons[0]; return json_false(); }
		break;
	case RULE_UP_TO: {
		double pts = json_number_value(json_object_get(self, "points"));
		if (pts >= 1) {
			*reason = external_reasons[1];
			double lower = pts - (double)rint_in(r, 1, pts >= 3 ? 3 : 1);
			return json_pack("{s:f, s:s}", "points", lower, "reason", external_reasons[1]);
		}
		break;
	}
	case RULE_RATIO:
	case RULE_RATIO_BY_TYPE: {
		json_t *num = json_object_get(self, "num");
		if (json_is_integer(num) && leaf->rule->cmp == CMP_GE && json_integer_value(num) >= 4) {
			*reason = external_reasons[2];
			return json_pack("{s:I, s:O}", "num", json_integer_value(num) - rint_in(r, 1, 3),
				"den", json_object_get(self, "den"));
		}
		break;
	}
	case RULE_COUNT:
		if (json_integer_value(self) >= 3) {
			*reason = external_reasons[3];
			return json_integer(json_integer_value(self) - rint_in(r, 1, 3));
		}
		break;
	default:
		break;
	}
	return json_incref(self);
}

/* ---- small real files for evidence ----------------------------------------- */

static void pdf_text(buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '(' || *s == ')' || *s == '\\') buf_putc(b, '\\');
		buf_putc(b, (*s >= 32 && *s < 127) ? *s : '?');
	}
}

void demo_pdf(buf *out, const char *title, const char *const *lines, size_t nlines)
{
	buf content;
	buf_init(&content);
	buf_puts(&content, "BT /F1 15 Tf 72 770 Td (");
	pdf_text(&content, title);
	buf_puts(&content, ") Tj /F1 11 Tf");
	for (size_t i = 0; i < nlines; i++) {
		buf_printf(&content, " 0 %d Td (", i == 0 ? -30 : -16);
		pdf_text(&content, lines[i]);
		buf_puts(&content, ") Tj");
	}
	buf_puts(&content, " ET\n");
	size_t off[6];
	buf_reset(out);
	buf_puts(out, "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n");
	off[1] = out->len;
	buf_puts(out, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
	off[2] = out->len;
	buf_puts(out, "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
	off[3] = out->len;
	buf_puts(out, "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
		" /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>\nendobj\n");
	off[4] = out->len;
	buf_puts(out, "4 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>\nendobj\n");
	off[5] = out->len;
	buf_printf(out, "5 0 obj\n<< /Length %zu >>\nstream\n", content.len);
	buf_append(out, content.data, content.len);
	buf_puts(out, "endstream\nendobj\n");
	size_t xref = out->len;
	buf_puts(out, "xref\n0 6\n0000000000 65535 f \n");
	for (int i = 1; i <= 5; i++) buf_printf(out, "%010zu 00000 n \n", off[i]);
	buf_printf(out, "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", xref);
	buf_free(&content);
}

static uint32_t crc32_of(const unsigned char *p, size_t n, uint32_t crc)
{
	static uint32_t table[256];
	if (!table[1])
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;
			for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
	crc = ~crc;
	for (size_t i = 0; i < n; i++) crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static void put_be32(buf *b, uint32_t v)
{
	unsigned char x[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16),
	                       (unsigned char)(v >> 8), (unsigned char)v };
	buf_append(b, (const char *)x, 4);
}

static void png_chunk(buf *out, const char *type, const unsigned char *data, size_t n)
{
	put_be32(out, (uint32_t)n);
	size_t start = out->len;
	buf_append(out, type, 4);
	if (n) buf_append(out, (const char *)data, n);
	put_be32(out, crc32_of((const unsigned char *)out->data + start, n + 4, 0));
}

/* A classroom seen from the back: wall, board with a projected picture,
 * desks. Stored (uncompressed) deflate blocks: no zlib needed. */
void demo_png(buf *out, int w, int h, unsigned seed)
{
	size_t rowlen = (size_t)w * 3 + 1, rawlen = rowlen * (size_t)h;
	unsigned char *raw = xmalloc(rawlen);
	unsigned char tint = (unsigned char)(seed * 37u);
	for (int y = 0; y < h; y++) {
		unsigned char *row = raw + (size_t)y * rowlen;
		row[0] = 0;   /* filter: none */
		for (int x = 0; x < w; x++) {
			unsigned char *px = row + 1 + (size_t)x * 3;
			bool board = y > h / 8 && y < h / 2 && x > w / 5 && x < w * 4 / 5;
			bool picture = board && y > h / 6 && y < h * 5 / 12 && x > w / 4 && x < w * 3 / 4;
			bool desk = y > h * 2 / 3 && ((x / (w / 8 + 1)) % 2 == 0) && (y / (h / 10 + 1)) % 2 == 0;
			if (picture) { px[0] = (unsigned char)(40 + x * 2); px[1] = (unsigned char)(90 + tint / 2); px[2] = 200; }
			else if (board) { px[0] = 235; px[1] = 238; px[2] = 240; }
			else if (desk) { px[0] = 150; px[1] = 100; px[2] = 60; }
			else { px[0] = (unsigned char)(230 - y / 2); px[1] = (unsigned char)(215 - y / 3); px[2] = (unsigned char)(170 + tint / 8); }
		}
	}
	buf z;
	buf_init(&z);
	buf_append(&z, "\x78\x01", 2);
	for (size_t off = 0; off < rawlen;) {
		size_t n = rawlen - off > 65535 ? 65535 : rawlen - off;
		unsigned char hdr[5] = { (unsigned char)(off + n == rawlen), (unsigned char)n,
		                         (unsigned char)(n >> 8), (unsigned char)~n, (unsigned char)(~n >> 8) };
		buf_append(&z, (const char *)hdr, 5);
		buf_append(&z, (const char *)raw + off, n);
		off += n;
	}
	uint32_t a = 1, b = 0;
	for (size_t i = 0; i < rawlen; i++) {
		a = (a + raw[i]) % 65521;
		b = (b + a) % 65521;
	}
	put_be32(&z, (b << 16) | a);
	buf_reset(out);
	buf_append(out, "\x89PNG\r\n\x1a\n", 8);
	unsigned char ihdr[13] = { 0 };
	ihdr[0] = (unsigned char)(w >> 24); ihdr[1] = (unsigned char)(w >> 16);
	ihdr[2] = (unsigned char)(w >> 8); ihdr[3] = (unsigned char)w;
	ihdr[4] = (unsigned char)(h >> 24); ihdr[5] = (unsigned char)(h >> 16);
	ihdr[6] = (unsigned char)(h >> 8); ihdr[7] = (unsigned char)h;
	ihdr[8] = 8;   /* bit depth */
	ihdr[9] = 2;   /* RGB */
	png_chunk(out, "IHDR", ihdr, sizeof ihdr);
	png_chunk(out, "IDAT", (const unsigned char *)z.data, z.len);
	png_chunk(out, "IEND", NULL, 0);
	buf_free(&z);
	free(raw);
}

/* ---- one assessment through the workflow ---------------------------------- */

typedef struct job {
	plan *p;
	db *d;
	school *s;
	int64_t round_id, office_id, office_acc;
	bool current;                 /* the current round (else 2024-2025) */
	const char *self_due;         /* the round's */
	const framework *fw;
	unit_type type;
	int64_t as_id;
	wf_state state;
	json_t *self, *external;      /* answers as written */
	int self_level, external_level;
	score_result *self_score, *ext_score;   /* from the stored answers (assess.c); the job frees */
	json_t *summary;              /* the published result layout (self, then external) */
	char *sent;                   /* the summary a submission carries (self) */
	/* council */
	bool council;
	int64_t members[8];
	int nmembers;
	int64_t secretary_acc;
} job;

static int fail(job *j, int rc, const char *what)
{
	if (!j->p->err->len)
		buf_printf(j->p->err, "%s (%s): %s: %s", j->s->code, j->s->name, what, db_errmsg(j->d));
	return rc ? rc : DB_ERROR;
}

/* Applies an action through the service (assess_act) on `date`, as
 * `actor` acting in capacities `who`: the demo writes as named people on
 * a simulated date, so it states the capacities and the facts itself. */
static int act(job *j, const assess_request *rq, unsigned who, const char *date, const score_result *score,
               const char *summary)
{
	assess_target t = { .id = j->as_id, .score = score, .summary_json = summary };
	t.facts.state = j->state;
	t.facts.actor = who;
	t.facts.today = ymd(date);
	t.facts.council_formed = j->council;
	t.facts.deadline = ymd(j->self_due);
	t.facts.evaluators_assigned = 2;
	wf_result res;
	assess_refusal r = assess_act(j->d, rq, &t, 1, &res);
	if (r != ASSESS_OK && res.refusal != WF_OK) {
		buf_printf(j->p->err, "%s: %s: %s", j->s->code, wf_action_code(rq->action), res.message);
		return DB_EINVAL;
	}
	if (r != ASSESS_OK) return fail(j, DB_ERROR, wf_action_code(rq->action));
	j->state = res.next;
	return DB_OK;
}

static int step(job *j, wf_action a, unsigned who, int64_t actor, const char *date, const score_result *score)
{
	assess_request rq = { .action = a, .account_id = actor };
	return act(j, &rq, who, date, score, NULL);
}

/* Writes answers {code: value} on a side, then scores the full set. */
static int put_answers(job *j, json_t *answers, answer_side side, int64_t actor,
                       json_t *reasons)
{
	const char *code;
	json_t *v;
	json_object_foreach(answers, code, v) {
		char *text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
		const char *reason = reasons ? json_string_value(json_object_get(reasons, code)) : NULL;
		int rc = assessment_answer_put(j->d, actor, j->as_id, code, side, text, reason, NULL, NULL);
		free(text);
		if (rc != DB_OK) return fail(j, rc, "answer");
		j->p->sum->answers++;
	}
	return DB_OK;
}

/* Scores the stored answers of `side` through the service's one path
 * (assess_sheet_*): every generated value must parse and, unless partial,
 * every required item be answered. *keep (may be NULL) receives the score
 * (the caller frees); *summary the published layout. */
static int score(job *j, answer_side side, bool partial, int *level, json_t **summary, score_result **keep)
{
	buf err;
	buf_init(&err);
	arena *a = arena_new();
	assess_sheet sh;
	assess_sheet_init(&sh, j->fw, j->type, a);
	int rc = assess_sheet_load(j->d, &sh, j->as_id, side, NULL, &err);
	score_result *r = rc == DB_OK && !sh.bad ? assess_sheet_score(&sh, POLICY_MIN, &err) : NULL;
	arena_free(a);
	if (r && !partial && r->unanswered) {
		buf_printf(&err, "%zu chỉ tiêu bắt buộc chưa có câu trả lời\n", r->unanswered);
		score_free(r);
		r = NULL;
	}
	if (rc == DB_OK && !r) rc = DB_EINVAL;
	*level = r && r->level ? r->level->level : 0;
	if (rc != DB_OK) {
		buf_printf(j->p->err, "%s: câu trả lời mẫu không hợp lệ: %s", j->s->code, buf_str(&err));
	} else if (summary) {
		/* What a submission carries: the layout of web_school.c's
		 * school_summary_json (framework, points per group, total, level). */
		char ref[160];
		snprintf(ref, sizeof ref, "%s@%d", j->fw->id, j->fw->revision);
		json_t *o = score_summary_json(j->fw, ref, r);
		free(j->sent);
		j->sent = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(o);
		/* What the public sees: the level and the scores per group
		 * (docs/score-json.md without the criteria), as page_office.c
		 * publishes it. */
		json_decref(*summary);
		*summary = score_public_json(r);
	}
	if (keep) {
		score_free(*keep);
		*keep = r;
	} else {
		score_free(r);
	}
	buf_free(&err);
	return rc;
}

static const char *const job_titles[] = {
	"Phó Hiệu trưởng", "Tổ trưởng tổ chuyên môn", "Giáo viên Tin học", "Kế toán",
	"Nhân viên thiết bị, thư viện", "Tổng phụ trách Đội",
};

static int form_council(job *j, const char *decision_date)
{
	plan *p = j->p;
	school *s = j->s;
	bool small = !s->is_public;
	char *num = arena_printf(p->a, "%d/QĐ-%s", rint_in(&p->r, 8, 95), abbrev(s->name, p->a));
	int64_t cid = 0;
	int rc = council_form(j->d, s->principal_acc, j->as_id, small ? "to_cong_tac" : "hoi_dong", num,
		decision_date, &cid);
	if (rc != DB_OK) return fail(j, rc, "council");
	j->council = true;
	p->sum->councils++;
	bool showcase = j->current && s->showcase && !strcmp(s->code, "52101001");
	int n = !j->current ? 4 : showcase ? 6 : small ? 4 : rint_in(&p->r, 5, 7);
	for (int k = 0; k < n; k++) {
		council_post post = k == 0 ? COUNCIL_CHU_TICH : k == 1 ? COUNCIL_PHO_CHU_TICH
			: k == 2 ? COUNCIL_THU_KY : COUNCIL_UY_VIEN;
		int64_t acc = k == 0 ? s->principal_acc : 0;
		if (showcase && k >= 2 && k <= 4) acc = p->council_accs[k - 2];
		const char *title = k == 0 ? s->head_title : job_titles[(k - 1) % (int)ARRAY_LEN(job_titles)];
		int64_t mid = 0;
		rc = council_add_member(j->d, s->principal_acc, cid, acc, acc ? NULL : person(&p->r, p->a),
			title, post, &mid);
		if (rc != DB_OK) return fail(j, rc, "council member");
		j->members[j->nmembers++] = mid;
		if (post == COUNCIL_THU_KY) j->secretary_acc = acc;
	}
	if (!j->current) return DB_OK;
	/* Items: group 1 to the vice-principal and the subject heads (odd
	 * places), group 2 to the secretary and the others (even places). */
	const char *items[8][64];
	size_t nitems[8] = { 0 };
	int odd = 0, even = 0;
	for (size_t i = 0; i < j->fw->nleaves; i++) {
		const fw_node *leaf = j->fw->leaves[i];
		int m;
		if (leaf->group_index == 0) { m = 1 + 2 * (odd++ % (n / 2)); }
		else { m = 2 + 2 * (even++ % ((n - 1) / 2)); }
		if (m >= n) m = n - 1;
		if (nitems[m] < 64) items[m][nitems[m]++] = leaf->code;
	}
	for (int m = 1; m < n; m++) {
		if (!nitems[m]) continue;
		rc = council_assign(j->d, s->principal_acc, j->members[m], items[m], nitems[m]);
		if (rc != DB_OK) return fail(j, rc, "council items");
	}
	return DB_OK;
}

/* The task table of the self-assessment plan (seed 002). */
static int add_tasks(job *j)
{
	plan *p = j->p;
	char due[8][11];
	static const int offset[8] = { -95, -90, -35, -35, -10, -6, 0, 5 };
	for (int k = 0; k < 8; k++) date_add(j->self_due, offset[k], due[k]);
	int y, m, d;
	const char *labels[8];
	for (int k = 0; k < 8; k++) {
		vn_parse_date(due[k], &y, &m, &d);
		labels[k] = k == 2 || k == 3 ? arena_printf(p->a, "Tháng %02d/%d", m, y)
			: arena_printf(p->a, "Trước ngày %02d/%02d/%d", d, m, y);
	}
	const char *gname1 = j->fw->ngroups > 0 ? j->fw->groups[0].title : "nhóm 1";
	const char *gname2 = j->fw->ngroups > 1 ? j->fw->groups[1].title : "nhóm 2";
	const char *to = j->s->under_so || j->current ? "Sở GD&ĐT" : "Phòng GD&ĐT";
	const char *titles[8] = {
		arena_printf(p->a, "Xây dựng Kế hoạch tự đánh giá mức độ chuyển đổi số năm học %s", p->cur_year),
		"Ban hành quyết định thành lập Hội đồng tự đánh giá; phân công nhiệm vụ các thành viên",
		arena_printf(p->a, "Thu thập, lập danh mục minh chứng nhóm tiêu chí 1: %s", gname1),
		arena_printf(p->a, "Thu thập, lập danh mục minh chứng nhóm tiêu chí 2: %s", gname2),
		"Họp Hội đồng, tổng hợp kết quả tự đánh giá; lập biên bản",
		"Ban hành quyết định phê duyệt kết quả tự đánh giá",
		arena_printf(p->a, "Gửi tờ trình đề nghị đánh giá ngoài và báo cáo kết quả về %s", to),
		"Công khai kết quả tự đánh giá trên Cổng thông tin điện tử của nhà trường",
	};
	/* done up to the step the assessment has reached */
	int done;
	switch (j->state) {
	case WF_NOT_STARTED: done = 0; break;
	case WF_DRAFT: done = 2; break;
	case WF_SELF_ASSESSED: done = 5; break;
	case WF_APPROVED:
	case WF_RETURNED: done = 6; break;
	default: done = 8; break;
	}
	static const int owner[8] = { 0, 0, 1, 2, 2, 0, 0, 2 };
	for (int k = 0; k < 8; k++) {
		int64_t part[3] = { j->members[owner[k]], j->members[(owner[k] + 1) % j->nmembers],
		                    j->members[j->nmembers - 1] };
		council_task t = {
			.title = titles[k], .due = due[k], .due_label = labels[k],
			.owner_member_id = j->members[owner[k]],
			.status = k < done ? "done" : k == done ? "doing" : "todo",
			.member_ids = part, .nmembers = part[1] == part[2] ? 2 : 3,
		};
		if (j->state == WF_RETURNED && k == 6)
			t.note = "Đơn vị đánh giá yêu cầu bổ sung minh chứng; đang hoàn thiện hồ sơ";
		int rc = council_task_add(j->d, j->s->principal_acc, j->as_id, &t, NULL);
		if (rc != DB_OK) return fail(j, rc, "task");
		p->sum->tasks++;
	}
	return DB_OK;
}

typedef struct ev_spec {
	const char *item, *item2;
	const char *title, *kind;   /* kind: "KH", "QĐ", "QC" document symbol; NULL photo */
	bool photo, link;
} ev_spec;

static const ev_spec ev_general[] = {
	{ "1.1", NULL, "Kế hoạch tổ chức dạy học trực tuyến", "KH", false, false },
	{ "1.2", NULL, "Quyết định ban hành Quy chế tổ chức dạy học trực tuyến", "QĐ", false, false },
	{ "1.7.1", NULL, "Ảnh chụp phòng học có thiết bị trình chiếu và kết nối Internet", NULL, true, false },
	{ "2.1", NULL, "Quyết định thành lập Ban chỉ đạo ứng dụng CNTT, chuyển đổi số", "QĐ", false, false },
	{ "2.2", "2.3.9", "Kế hoạch ứng dụng CNTT, chuyển đổi số", "KH", false, false },
	{ "1.3.1", NULL, "Hệ thống dạy học trực tuyến của nhà trường", NULL, false, true },
};
static const ev_spec ev_preschool[] = {
	{ "1.1", NULL, "Kế hoạch ứng dụng CNTT trong tổ chức hoạt động giáo dục", "KH", false, false },
	{ "1.2.a", NULL, "Ảnh chụp phòng học thông minh, đồ dùng dạy học số", NULL, true, false },
	{ "2.1", NULL, "Quyết định thành lập bộ phận phụ trách ứng dụng CNTT, chuyển đổi số", "QĐ", false, false },
	{ "2.2", "2.3.b", "Kế hoạch ứng dụng CNTT, chuyển đổi số", "KH", false, false },
};

static int add_evidence(job *j)
{
	plan *p = j->p;
	school *s = j->s;
	bool pre = !strcmp(s->type, "mam_non");
	const ev_spec *specs = pre ? ev_preschool : ev_general;
	size_t n = pre ? ARRAY_LEN(ev_preschool) : ARRAY_LEN(ev_general);
	const char *abbr = abbrev(s->name, p->a);
	char *ascii_name = vn_fold(s->name);
	for (char *c = ascii_name; *c; c++) if (*c >= 'a' && *c <= 'z') *c = (char)(*c - 32);
	buf file;
	buf_init(&file);
	int rc = DB_OK;
	for (size_t k = 0; k < n && rc == DB_OK; k++) {
		const ev_spec *e = &specs[k];
		if (!framework_find(j->fw, e->item)) continue;
		char date[11];
		date_add(j->self_due, -rint_in(&p->r, 60, 100), date);
		const char *items[2] = { e->item, e->item2 };
		evidence ev = {
			.assessment_id = j->as_id,
			/* plans are dated by school year */
			.title = e->kind && !strcmp(e->kind, "KH")
				? arena_printf(p->a, "%s năm học %s", e->title, p->cur_year) : e->title,
			.doc_number = e->kind ? arena_printf(p->a, "%d/%s-%s", rint_in(&p->r, 10, 120), e->kind, abbr) : NULL,
			.doc_date = e->kind ? date : NULL,
			.issuer = e->kind ? s->name : NULL,
			.note = e->photo ? "Ảnh chụp tại các phòng học, kèm danh sách phòng học" : NULL,
			.items = items, .nitems = e->item2 && framework_find(j->fw, e->item2) ? 2 : 1,
		};
		int64_t eid = 0;
		rc = evidence_add(j->d, s->principal_acc, &ev, &eid, NULL, NULL);
		if (rc != DB_OK) { fail(j, rc, "evidence"); break; }
		p->sum->evidence++;
		if (e->link) {
			char *url = arena_printf(p->a, "https://%s.edu.vn/hoc-truc-tuyen", slug(s->name, p->a));
			rc = evidence_add_link(j->d, s->principal_acc, eid, url, "Trang học trực tuyến của trường", NULL);
			if (rc != DB_OK) fail(j, rc, "evidence link");
			continue;
		}
		const char *fname;
		if (e->photo) {
			demo_png(&file, 96, 64, (unsigned)(k * 131 + (size_t)s->id));
			fname = "anh-phong-hoc.png";
		} else {
			char *t = vn_fold(ev.title);
			for (char *c = t; *c; c++) if (*c >= 'a' && *c <= 'z') *c = (char)(*c - 32);
			const char *lines[] = {
				ascii_name,
				arena_printf(p->a, "So: %s   Ngay %s", ev.doc_number, date),
				"(Ban mau cua du lieu trinh dien Chiso - demo data)",
			};
			demo_pdf(&file, t, lines, ARRAY_LEN(lines));
			free(t);
			fname = arena_printf(p->a, "%s.pdf", slug(ev.title, p->a));
		}
		blob_info bi;
		char msg[BLOB_MSG_MAX];
		if (blob_put(p->o->blobs, file.data, file.len, &bi, msg) != BLOB_OK) {
			buf_printf(p->err, "%s: tệp minh chứng: %s", s->code, msg);
			rc = DB_ERROR;
			break;
		}
		rc = evidence_add_file(j->d, s->principal_acc, eid, &bi, fname, NULL);
		if (rc != DB_OK) fail(j, rc, "evidence file");
		else p->sum->files++;
	}
	buf_free(&file);
	free(ascii_name);
	return rc;
}

/* The letter that goes with a submission (tờ trình đề nghị đánh giá ngoài). */
static char *letter(job *j)
{
	plan *p = j->p;
	/* to the office that evaluates it, by its name on the round ("Sở Giáo dục và Đào tạo tỉnh Gia Lai") */
	unit evaluator;
	const char *to = unit_get(j->d, j->office_id, p->a, &evaluator) == DB_OK ? evaluator.name
	               : j->s->under_so || j->current ? "Sở Giáo dục và Đào tạo" : "Phòng Giáo dục và Đào tạo";
	db_clear_error(j->d);
	/* since 1/7/2025 the ward or commune that manages the school too
	 * (issue 11, item 8): it is the school's cấp trên quản lý trực tiếp */
	const char *to_line = j->current && !j->s->under_so
		? arena_printf(p->a, "Kính gửi:\n- %s;\n- %s.", p->ubnd[j->s->district][j->s->ubnd].name, to)
		: arena_printf(p->a, "Kính gửi: %s.", to);
	return arena_printf(p->a,
		"%s\n\n"
		"Căn cứ Kế hoạch tự đánh giá mức độ chuyển đổi số năm học %s, %s đã hoàn thành "
		"việc tự đánh giá theo Bộ chỉ số %s; kết quả tự đánh giá đạt Mức %d.\n\n"
		"%s kính đề nghị %s tổ chức đánh giá ngoài và công nhận mức độ chuyển đổi số "
		"của nhà trường. Hồ sơ gửi kèm: báo cáo kết quả tự đánh giá, danh mục minh chứng, "
		"quyết định phê duyệt kết quả tự đánh giá.",
		to_line, j->current ? p->cur_year : "2024-2025", j->s->name, j->fw->decision_number,
		j->self_level, j->s->name, to);
}

static const char *const return_reasons[] = {
	"Minh chứng tiêu chí 1.7.1 chưa đầy đủ: thiếu danh sách phòng học có thiết bị trình chiếu",
	"Kế hoạch ứng dụng CNTT chưa có chữ ký, đóng dấu; đề nghị bổ sung bản scan",
	"Số liệu giáo viên có tài khoản bồi dưỡng trực tuyến chưa khớp với CSDL ngành",
};

/* Takes one school's assessment of one round to its target state, in one
 * transaction. `when` dates the steps (simulated, for the workflow's
 * deadline rules; the store's timestamps are real). */
static int run_job(job *j, wf_state target, const char *decision_date, const char *submit_date,
                   const char *eval_date)
{
	plan *p = j->p;
	school *s = j->s;
	int rc = db_begin_write(j->d);
	if (rc != DB_OK) return fail(j, rc, "begin");
	arena *a = arena_new();
	assessment as;
	rc = assessment_find(j->d, j->round_id, s->id, a, &as);
	if (rc != DB_OK) { fail(j, rc, "assessment"); goto out; }
	j->as_id = as.id;
	j->state = WF_NOT_STARTED;
	p->sum->assessments++;
	if (target == WF_NOT_STARTED) goto commit;
	int64_t head = s->principal_acc;
	unsigned principal = WF_BY_PRINCIPAL, by_office = WF_BY_OFFICE_ADMIN;

	if ((rc = step(j, WF_START, principal, head, decision_date, NULL))) goto out;
	if ((rc = form_council(j, decision_date))) goto out;

	/* self answers: a draft has some, the rest all */
	double cov = target == WF_DRAFT ? 0.3 + 0.6 * runit(&p->r) : 1;
	j->self = gen_answers(&p->r, j->fw, j->type, s->quality, cov);
	int64_t author = j->secretary_acc ? j->secretary_acc : head;
	if ((rc = put_answers(j, j->self, ANSWER_SELF, author, NULL))) goto out;
	if ((rc = score(j, ANSWER_SELF, target == WF_DRAFT, &j->self_level, &j->summary, &j->self_score))) goto out;
	if (target == WF_DRAFT) goto tasks;

	/* consolidating, approving and submitting fix the self-assessed level */
	if ((rc = step(j, WF_CONSOLIDATE, principal, head, submit_date, j->self_score))) goto out;
	if (target == WF_SELF_ASSESSED) goto tasks;
	if ((rc = step(j, WF_APPROVE, principal, head, submit_date, j->self_score))) goto out;
	if (target == WF_APPROVED) goto tasks;

	/* submit with the letter and the score summary */
	{
		assess_request rq = { .action = WF_SUBMIT, .account_id = head, .letter = letter(j) };
		if ((rc = act(j, &rq, principal, submit_date, j->self_score, j->sent))) goto out;
	}
	if (target == WF_SUBMITTED) goto tasks;

	if (target == WF_RETURNED) {
		char until[11];
		date_add(p->today, rint_in(&p->r, 5, 12), until);
		const char *why = return_reasons[rint_in(&p->r, 0, (int)ARRAY_LEN(return_reasons) - 1)];
		const char *item = framework_find(j->fw, "1.7.1") ? "1.7.1" : j->fw->leaves[0]->code;
		return_item ri = { .item_code = item, .reason = why };
		assess_request rq = { .action = WF_RETURN, .account_id = j->office_acc,
		                      .reason = "Hồ sơ chưa đầy đủ minh chứng; đề nghị nhà trường bổ sung và gửi lại",
		                      .new_deadline = until, .items = &ri, .nitems = 1 };
		if ((rc = act(j, &rq, by_office, p->today, NULL, NULL))) goto out;
		goto tasks;
	}

	/* the external evaluation: two team members, the first leads */
	for (int k = 0; k < 2; k++) {
		int64_t ev = p->evaluators[(s->district + k) % 4];
		rc = round_assign_evaluator(j->d, j->office_acc, j->round_id, s->id, ev, k == 0);
		if (rc != DB_OK) { fail(j, rc, "evaluator"); goto out; }
	}
	if ((rc = step(j, WF_START_EVALUATION, by_office, j->office_acc, eval_date, NULL))) goto out;
	{
		int64_t lead = p->evaluators[s->district % 4];
		double cov2 = target == WF_UNDER_EVALUATION ? 0.25 + 0.6 * runit(&p->r) : 1;
		j->external = json_object();
		json_t *reasons = json_object();
		const char *code;
		json_t *v;
		json_object_foreach(j->self, code, v) {
			if (cov2 < 1 && !rchance(&p->r, cov2)) continue;
			const char *why;
			json_object_set_new(j->external, code, external_answer(&p->r, framework_find(j->fw, code), v, &why));
			if (why) json_object_set_new(reasons, code, json_string(why));
		}
		rc = put_answers(j, j->external, ANSWER_EXTERNAL, lead, reasons);
		json_decref(reasons);
		if (rc) goto out;
	}
	if (target == WF_UNDER_EVALUATION) goto tasks;
	if ((rc = score(j, ANSWER_EXTERNAL, false, &j->external_level, &j->summary, &j->ext_score))) goto out;
	/* finishing fixes the external level */
	if ((rc = step(j, WF_FINISH_EVALUATION, by_office, j->office_acc, eval_date, j->ext_score))) goto out;
	/* recognition and publication are done for the whole round at once */
tasks:
	if (j->current && (rc = add_tasks(j))) goto out;
	if (j->current && s->showcase && (rc = add_evidence(j))) goto out;
commit:
	rc = db_commit(j->d);
	if (rc != DB_OK) {
		fail(j, rc, "commit");
		if (db_tx_depth(j->d)) db_rollback(j->d);
	}
	arena_free(a);
	return rc;
out:
	db_rollback(j->d);
	arena_free(a);
	return rc ? rc : DB_ERROR;
}

/* ---- rounds ----------------------------------------------------------------- */

static const round_target targets[] = {
	{ .kind = "level_share", .level = 2, .share_percent = 100,
	  .label = "Tỉ lệ cơ sở giáo dục đạt Mức 2 trở lên" },
	{ .kind = "level_share", .unit_type = "thcs", .level = 3, .share_percent = 80,
	  .label = "Tỉ lệ trường THCS đạt Mức 3" },
	{ .kind = "level_share", .unit_type = "tieu_hoc", .level = 3, .share_percent = 60,
	  .label = "Tỉ lệ trường tiểu học đạt Mức 3" },
	{ .kind = "indicator", .item_code = "1.7.1", .share_percent = 60,
	  .label = "Tỉ lệ phòng học có thiết bị trình chiếu và kết nối Internet" },
};

/* Which schools a round covers. */
enum { COVER_PRESCHOOL = 1, COVER_LOWER = 2 /* tiểu học, THCS, liên cấp */,
       COVER_UPPER = 4 /* THPT, liên cấp, GDTX */ };

static int open_round(plan *p, db *d, office *of, const char *year, const char *self_due,
                      const char *report_due, const char *external_due, int cover,
                      const char *date, int64_t *id)
{
	const framework *g = fw_catalog_find(p->o->frameworks, "qd4725-2022");
	const framework *m = fw_catalog_find(p->o->frameworks, "q7-mamnon-2023");
	if (!g || !m) {
		buf_puts(p->err, "thiếu bộ chỉ số qd4725-2022 hoặc q7-mamnon-2023 trong thư mục bộ chỉ số");
		return DB_EINVAL;
	}
	char *gr = arena_printf(p->a, "%d", g->revision), *mr = arena_printf(p->a, "%d", m->revision);
	round_framework fws[6];
	size_t n = 0;
	if (cover & COVER_PRESCHOOL) fws[n++] = (round_framework){ "mam_non", m->id, mr };
	if (cover & COVER_LOWER) {
		fws[n++] = (round_framework){ "tieu_hoc", g->id, gr };
		fws[n++] = (round_framework){ "thcs", g->id, gr };
	}
	fws[n++] = (round_framework){ "lien_cap", g->id, gr };
	if (cover & COVER_UPPER) {
		fws[n++] = (round_framework){ "thpt", g->id, gr };
		fws[n++] = (round_framework){ "gdtx", g->id, gr };
	}
	round_row r = {
		.office_unit_id = of->id, .school_year = year,
		.title = arena_printf(p->a, "Đánh giá mức độ chuyển đổi số năm học %s", year),
		.policy = "min", .self_due = self_due, .report_due = report_due, .external_due = external_due,
	};
	int rc = round_open(d, of->acc, &r, fws, n, targets, ARRAY_LEN(targets), id);
	int created = 0;
	if (rc == DB_OK) rc = round_add_units(d, of->acc, *id, date, &created, NULL);
	if (rc != DB_OK) buf_printf(p->err, "đợt đánh giá của %s: %s", of->name, db_errmsg(d));
	p->sum->rounds++;
	return rc;
}

/* The offices' own assessment under 3806 for 2024-2025: the Sở's round
 * for the Phòng it evaluated until 1/7/2025 and for itself (docs/office.md).
 * The framework is the official file as shipped (incomplete: group 1 has
 * no criteria yet), so group 2 is computed from the schools' recognised
 * results and nothing is scored as a whole. */
static int open_office_round(plan *p, db *d)
{
	const framework *f = fw_catalog_find(p->o->frameworks, "qd3806-2024");
	if (!f) {
		buf_puts(p->err, "thiếu bộ chỉ số qd3806-2024 trong thư mục bộ chỉ số");
		return DB_EINVAL;
	}
	char *rev = arena_printf(p->a, "%d", f->revision);
	round_framework fws[2] = { { "phong", f->id, rev }, { "so", f->id, rev } };
	round_row r = {
		.office_unit_id = p->so_old.id, .school_year = "2024-2025",
		.title = "Đánh giá mức độ chuyển đổi số của Sở và các phòng GD&ĐT năm học 2024-2025",
		.policy = "min", .self_due = "2025-06-25", .report_due = "2025-06-28", .external_due = "2025-06-30",
	};
	int created = 0;
	int rc = round_open(d, p->so.acc, &r, fws, 2, NULL, 0, &p->r24_offices);
	if (rc == DB_OK) rc = round_add_units(d, p->so_old.acc, p->r24_offices, "2025-06-25", &created, NULL);
	if (rc != DB_OK) buf_printf(p->err, "đợt đánh giá các phòng GD&ĐT: %s", db_errmsg(d));
	p->sum->rounds++;
	return rc;
}

/* Forms the round's external team by decision (the four evaluators). */
static int form_team(plan *p, db *d, int64_t round_id, office *of, const char *date)
{
	decision dec = {
		.number = arena_printf(p->a, "%d/QĐ-%s", rint_in(&p->r, 100, 990),
			!strcmp(of->type, "so") ? "SGDĐT" : "PGDĐT"),
		.date = date,
		.signer = arena_printf(p->a, "%s — %s", of->head, !strcmp(of->type, "so") ? "Giám đốc" : "Trưởng phòng"),
	};
	int64_t team_id = 0;
	int rc = team_form(d, of->acc, round_id, &dec, &team_id);
	for (int k = 0; rc == DB_OK && k < 4; k++)
		rc = team_set_member(d, of->acc, team_id, p->evaluators[k],
			k == 0 ? TEAM_HEAD : k == 1 ? TEAM_SECRETARY : TEAM_MEMBER);
	if (rc != DB_OK) buf_printf(p->err, "đoàn đánh giá ngoài của %s: %s", of->name, db_errmsg(d));
	return rc;
}

/* Recognises every evaluated assessment of a round by one decision, then
 * publishes those chosen, through the service (assess_act) in one
 * transaction. scores[i]: the external score of ids[i], whose level is
 * recognised. */
static int recognise_round(plan *p, db *d, int64_t round_id, office *of, const char *date,
                           const int64_t *ids, score_result *const *scores, const bool *publish,
                           json_t *const *summaries, size_t n)
{
	if (n == 0) return DB_OK;
	decision dec = {
		.number = arena_printf(p->a, "%d/QĐ-%s", rint_in(&p->r, 100, 990),
			!strcmp(of->type, "so") ? "SGDĐT" : "PGDĐT"),
		.date = date,
		.signer = arena_printf(p->a, "%s — %s", of->head, !strcmp(of->type, "so") ? "Giám đốc" : "Trưởng phòng"),
	};
	assess_target *t = xcalloc(n, sizeof *t);
	for (size_t i = 0; i < n; i++) {
		t[i].id = ids[i];
		t[i].facts.state = WF_EVALUATED;
		t[i].facts.actor = WF_BY_OFFICE_ADMIN;
		t[i].facts.today = ymd(date);
		t[i].score = scores[i];
	}
	wf_result res = { 0 };
	int rc = db_begin_write(d);
	assess_request rq = { .action = WF_RECOGNISE, .account_id = of->acc, .decision = &dec, .issuer = of->id };
	if (rc == DB_OK && assess_act(d, &rq, t, n, &res) != ASSESS_OK) rc = DB_EINVAL;
	assess_request pub = { .action = WF_PUBLISH, .account_id = of->acc };
	for (size_t i = 0; rc == DB_OK && i < n; i++) {
		if (!publish[i]) continue;
		char *snapshot = json_dumps(summaries[i], JSON_COMPACT | JSON_SORT_KEYS);
		t[i].facts.state = WF_RECOGNISED;
		t[i].result_json = snapshot;
		if (assess_act(d, &pub, &t[i], 1, &res) != ASSESS_OK) rc = DB_EINVAL;
		free(snapshot);
	}
	free(t);
	if (rc == DB_OK) rc = db_commit(d);
	else if (db_tx_depth(d)) db_rollback(d);
	if (rc != DB_OK) buf_printf(p->err, "công nhận, công bố (%s, đợt %lld): %s", of->name,
		(long long)round_id, res.message[0] ? res.message : db_errmsg(d));
	return rc;
}

/* ---- the whole thing ----------------------------------------------------------- */

static int save_unit(plan *p, db *d, const char *code, const char *name, const char *type,
                     const char *address, const char *levels, bool is_public, int64_t *id)
{
	unit u = { .code = code, .name = name, .type = type, .address = address, .levels = levels,
	           .is_public = is_public };
	int rc = unit_save(d, 0, &u, id, NULL);
	if (rc != DB_OK) buf_printf(p->err, "đơn vị %s: %s", code, db_errmsg(d));
	return rc;
}

static int relate(plan *p, db *d, int64_t unit_id, unit_rel k, int64_t other, const char *from)
{
	int rc = unit_relate(d, 0, unit_id, k, other, from);
	if (rc != DB_OK) buf_printf(p->err, "quan hệ đơn vị: %s", db_errmsg(d));
	return rc;
}

/* The bodies above the schools on each date: the UBND tỉnh above each
 * Sở; the Sở of Bình Định over its Phòng and upper-secondary schools until
 * 1/7/2025, dissolved then; the Sở of Gia Lai from that day, which the
 * communes report to. */
static int build_province(plan *p, db *d)
{
	office *so = &p->so, *old = &p->so_old;
	office *ut = &p->ubnd_tinh, *uo = &p->ubnd_tinh_old;
	*ut = (office){ UBND_TINH_CODE, "Ủy ban nhân dân " NEW_PROVINCE, "ubnd_tinh",
	                "Số 01 Trần Phú, phường Quy Nhơn, " NEW_PROVINCE, NULL, NULL, 0, 0 };
	*uo = (office){ OLD_UBND_TINH_CODE, "Ủy ban nhân dân " PROVINCE, "ubnd_tinh",
	                "Số 01 Trần Phú, phường Trần Phú, thành phố Quy Nhơn, " PROVINCE, NULL, NULL, 0, 0 };
	int rc = save_unit(p, d, old->code, old->name, old->type, old->address, NULL, true, &old->id);
	if (rc == DB_OK) rc = save_unit(p, d, ut->code, ut->name, ut->type, ut->address, NULL, true, &ut->id);
	if (rc == DB_OK) rc = save_unit(p, d, uo->code, uo->name, uo->type, uo->address, NULL, true, &uo->id);
	p->sum->offices++;
	if (rc == DB_OK) rc = relate(p, d, old->id, UNIT_PARENT, uo->id, SINCE);
	if (rc == DB_OK) rc = unit_unrelate(d, 0, old->id, UNIT_PARENT, REFORM_DATE);
	if (rc == DB_OK) rc = relate(p, d, so->id, UNIT_PARENT, ut->id, REFORM_DATE);
	for (int di = 0; rc == DB_OK && di < NDISTRICTS; di++) {
		office *ph = &p->phong[di];
		/* The Phòng answered to the Sở until the district level was
		 * dissolved on 1/7/2025: its relations end then, kept as history. */
		rc = relate(p, d, ph->id, UNIT_PARENT, old->id, SINCE);
		if (rc == DB_OK) rc = relate(p, d, ph->id, UNIT_EVALUATOR, old->id, SINCE);
		if (rc == DB_OK) rc = unit_unrelate(d, 0, ph->id, UNIT_PARENT, REFORM_DATE);
		if (rc == DB_OK) rc = unit_unrelate(d, 0, ph->id, UNIT_EVALUATOR, REFORM_DATE);
		/* From then on each commune reports its schools' results to the
		 * Sở (issue 11, item 4: its "báo cáo kết quả" in the Sở's inbox). */
		for (int k = 0; rc == DB_OK && k < 2; k++)
			rc = relate(p, d, p->ubnd[di][k].id, UNIT_PARENT, so->id, REFORM_DATE);
	}
	for (int i = 0; rc == DB_OK && i < p->nschools; i++) {
		school *s = &p->schools[i];
		if (!s->under_so) continue;
		rc = relate(p, d, s->id, UNIT_PARENT, old->id, SINCE);
		if (rc == DB_OK) rc = relate(p, d, s->id, UNIT_EVALUATOR, old->id, SINCE);
		if (rc == DB_OK) rc = relate(p, d, s->id, UNIT_PARENT, so->id, REFORM_DATE);
		if (rc == DB_OK) rc = relate(p, d, s->id, UNIT_EVALUATOR, so->id, REFORM_DATE);
	}
	return rc;
}

static int build_units(plan *p, db *d)
{
	int rc = db_begin_write(d);
	if (rc != DB_OK) return rc;
	office *so = &p->so, *old = &p->so_old;
	/* The same people (so.binhdinh) run the merged Sở from its seat in Quy
	 * Nhơn; the account is kept so every guide and test still signs in. */
	*so = (office){ SO_CODE, "Sở Giáo dục và Đào tạo " NEW_PROVINCE, "so",
	                "Số 137 Lê Hồng Phong, phường Quy Nhơn, " NEW_PROVINCE,
	                "so.binhdinh", "Nguyễn Thanh Hùng", 0, 0 };
	rc = save_unit(p, d, so->code, so->name, so->type, so->address, NULL, true, &so->id);
	p->sum->offices++;
	/* the dissolved Sở of Bình Định is created after the schools (below),
	 * so the ids of the units every guide names stay as they were */
	*old = (office){ OLD_SO_CODE, "Sở Giáo dục và Đào tạo " PROVINCE, "so",
	                 "Số 137 Lê Hồng Phong, phường Trần Phú, thành phố Quy Nhơn, " PROVINCE,
	                 "so.binhdinh", "Nguyễn Thanh Hùng", 0, 0 };
	for (int di = 0; rc == DB_OK && di < NDISTRICTS; di++) {
		const district *dt = &districts[di];
		office *ph = &p->phong[di];
		*ph = (office){ arena_printf(p->a, "52%s0000", dt->dd),
		                arena_printf(p->a, "Phòng Giáo dục và Đào tạo %s %s", dt->kind, dt->name),
		                "phong", arena_printf(p->a, "Số %d %s, %s, %s %s, " PROVINCE,
		                	rint_in(&p->r, 10, 200), pick(&p->r, streets, ARRAY_LEN(streets)),
		                	dt->wards[0], dt->kind, dt->name),
		                arena_printf(p->a, "phong.%s", slug(dt->name, p->a)), person(&p->r, p->a), 0, 0 };
		rc = save_unit(p, d, ph->code, ph->name, "phong", ph->address, NULL, true, &ph->id);
		p->sum->offices++;
		for (int k = 0; rc == DB_OK && k < 2; k++) {
			office *ub = &p->ubnd[di][k];
			*ub = (office){ arena_printf(p->a, "52%s90%02d", dt->dd, k + 1),
			                arena_printf(p->a, "Ủy ban nhân dân %s", dt->ubnd[k]), "ubnd_xa",
			                arena_printf(p->a, "%s, " PROVINCE, dt->ubnd[k]),
			                arena_printf(p->a, "ubnd.%s", slug(bare(dt->ubnd[k]), p->a)),
			                person(&p->r, p->a), 0, 0 };
			rc = save_unit(p, d, ub->code, ub->name, "ubnd_xa", ub->address, NULL, true, &ub->id);
			p->sum->ubnd++;
		}
	}
	for (int i = 0; rc == DB_OK && i < p->nschools; i++) {
		school *s = &p->schools[i];
		rc = save_unit(p, d, s->code, s->name, s->type, s->address, s->levels, s->is_public, &s->id);
		unit_type t;
		if (unit_type_parse(s->type, &t)) p->sum->by_type[t]++;
		p->sum->schools++;
		if (rc != DB_OK) break;
		if (s->under_so) {
			continue;   /* after the Sở of Bình Định exists */
		} else {
			/* Before 1/7/2025 the Phòng manages and evaluates; from then on
			 * the UBND xã/phường manages and the Sở evaluates. */
			office *ph = &p->phong[s->district], *ub = &p->ubnd[s->district][s->ubnd];
			rc = relate(p, d, s->id, UNIT_PARENT, ph->id, SINCE);
			if (rc == DB_OK) rc = relate(p, d, s->id, UNIT_EVALUATOR, ph->id, SINCE);
			if (rc == DB_OK) rc = relate(p, d, s->id, UNIT_PARENT, ub->id, REFORM_DATE);
			if (rc == DB_OK) rc = relate(p, d, s->id, UNIT_EVALUATOR, so->id, REFORM_DATE);
		}
	}
	if (rc == DB_OK) rc = build_province(p, d);
	if (rc == DB_OK) return db_commit(d);
	if (!p->err->len) buf_printf(p->err, "%s", db_errmsg(d));
	db_rollback(d);
	return rc;
}

static int grant(plan *p, db *d, int64_t acc, const char *role, int64_t unit_id, int64_t round_id)
{
	int rc = account_grant(d, 0, acc, role, unit_id, round_id, NULL);
	if (rc != DB_OK) buf_printf(p->err, "vai trò %s: %s", role, db_errmsg(d));
	return rc;
}

static void show(plan *p, const char *login, const char *what)
{
	demo_summary *s = p->sum;
	demo_account *grown = arena_alloc(s->mem, (s->nshown + 1) * sizeof *grown);
	if (s->nshown) memcpy(grown, s->shown, s->nshown * sizeof *grown);
	grown[s->nshown++] = (demo_account){ arena_strdup(s->mem, login), arena_strdup(s->mem, what) };
	s->shown = grown;
}

/* The states of the current round's 200 assessments. */
static const struct { wf_state st; int n; } current_mix[] = {
	{ WF_NOT_STARTED, 8 }, { WF_DRAFT, 38 }, { WF_SELF_ASSESSED, 18 }, { WF_APPROVED, 14 },
	{ WF_SUBMITTED, 30 }, { WF_RETURNED, 10 }, { WF_UNDER_EVALUATION, 26 }, { WF_EVALUATED, 20 },
	{ WF_RECOGNISED, 22 }, { WF_PUBLISHED, 14 },
};

/* Schools to try first, each in a given state. */
static const struct { const char *code; wf_state st; const char *what; } showcase[] = {
	{ "52101001", WF_DRAFT, "đang tự đánh giá: hội đồng, nhiệm vụ, minh chứng" },
	{ "52100001", WF_SELF_ASSESSED, "đã tổng hợp, chờ hiệu trưởng phê duyệt" },
	{ "52102001", WF_SUBMITTED, "đã gửi hồ sơ lên Sở" },
	{ "52111001", WF_RETURNED, "bị trả lại để bổ sung, có hạn mới" },
	{ "52103001", WF_UNDER_EVALUATION, "đang được đánh giá ngoài" },
	{ "52112001", WF_PUBLISHED, "đã công nhận và công bố" },
};

static school *find_school(plan *p, const char *code)
{
	for (int i = 0; i < p->nschools; i++)
		if (!strcmp(p->schools[i].code, code)) return &p->schools[i];
	return NULL;
}

/* ---- demo_create, step by step ---------------------------------------------------------- */

/* Dates: the 2024-2025 rounds are fixed; the current one follows today. */
static int plan_dates(plan *p)
{
	const demo_opts *o = p->o;
	demo_summary *sum = p->sum;
	char today[11];
	if (o->today) snprintf(today, sizeof today, "%s", o->today);
	else vn_today_iso(today);
	int y, m, dd;
	if (!vn_parse_date(today, &y, &m, &dd)) {
		buf_printf(p->err, "ngày không hợp lệ '%s'", today);
		return DB_EINVAL;
	}
	int start = m >= 8 ? y : y - 1;
	if (start < 2025) start = 2025;
	p->today = arena_strdup(p->a, today);
	p->cur_year = arena_printf(p->a, "%d-%d", start, start + 1);
	char buf10[11];
	date_add(today, -5, buf10);
	p->self_due = arena_strdup(p->a, buf10);        /* just passed: drafts are overdue */
	date_add(today, 10, buf10);
	p->report_due = arena_strdup(p->a, buf10);
	date_add(today, 25, buf10);
	p->external_due = arena_strdup(p->a, buf10);
	p->cur_date = strcmp(p->self_due, REFORM_DATE) < 0 ? REFORM_DATE : p->self_due;
	sum->current_year = arena_strdup(sum->mem, p->cur_year);
	sum->self_due = arena_strdup(sum->mem, p->self_due);
	sum->report_due = arena_strdup(sum->mem, p->report_due);
	sum->external_due = arena_strdup(sum->mem, p->external_due);
	return DB_OK;
}

/* The accounts: the system administrator (*admin), the offices' heads, the
 * communes' officers, the external evaluators, one school's council and
 * every school's principal. */
static int build_accounts(plan *p, db *d, int64_t *admin)
{
	want_account(p, "admin", "Quản trị hệ thống", admin);
	want_account(p, p->so.login, p->so.head, &p->so.acc);
	for (int di = 0; di < NDISTRICTS; di++) {
		want_account(p, p->phong[di].login, p->phong[di].head, &p->phong[di].acc);
		for (int k = 0; k < 2; k++)
			want_account(p, p->ubnd[di][k].login, person(&p->r, p->a), &p->ubnd[di][k].acc);
	}
	static const char *const ev_logins[4] = { "dgn.tranminhtuan", "dgn.lethithu", "dgn.phamvanhung",
	                                          "dgn.vothihoa" };
	static const char *const ev_names[4] = { "Trần Minh Tuấn", "Lê Thị Thu", "Phạm Văn Hùng",
	                                         "Võ Thị Hoa" };
	for (int k = 0; k < 4; k++) want_account(p, ev_logins[k], ev_names[k], &p->evaluators[k]);
	static const char *const council_logins[3] = { "tk.52101001", "gv.52101001.1", "gv.52101001.2" };
	for (int k = 0; k < 3; k++) want_account(p, council_logins[k], person(&p->r, p->a), &p->council_accs[k]);
	for (int i = 0; i < p->nschools; i++)
		want_account(p, arena_printf(p->a, "ht.%s", p->schools[i].code), p->schools[i].principal,
			&p->schools[i].principal_acc);
	int rc = create_accounts(p, d);
	if (rc == DB_OK) p->so_old.acc = p->so.acc;
	return rc;
}

/* Rounds: 2024-2025 by each Phòng (its schools on 31/5/2025) and by the
 * Sở (its own schools); the current year by the Sở (everyone). */
static int open_rounds(plan *p, db *d)
{
	int rc = DB_OK;
	for (int di = 0; rc == DB_OK && di < NDISTRICTS; di++)
		rc = open_round(p, d, &p->phong[di], "2024-2025", "2025-05-31", "2025-06-10", "2025-06-20",
			COVER_PRESCHOOL | COVER_LOWER, "2025-05-31", &p->r24_phong[di]);
	if (rc == DB_OK) rc = open_round(p, d, &p->so_old, "2024-2025", "2025-05-31", "2025-06-10",
		"2025-06-20", COVER_UPPER, "2025-05-31", &p->r24_so);
	if (rc == DB_OK) rc = open_round(p, d, &p->so, p->cur_year, p->self_due, p->report_due,
		p->external_due, COVER_PRESCHOOL | COVER_LOWER | COVER_UPPER, p->cur_date, &p->rcur);
	if (rc == DB_OK) rc = open_office_round(p, d);
	return rc;
}

static int grant_roles(plan *p, db *d, int64_t admin)
{
	int rc = grant(p, d, admin, "system_admin", 0, 0);
	if (rc == DB_OK) rc = grant(p, d, p->so.acc, "office_admin", p->so.id, 0);
	/* the heads also fill their office's own assessment (3806) */
	if (rc == DB_OK) rc = grant(p, d, p->so.acc, "principal", p->so.id, 0);
	/* and keep the dissolved Sở's 2024-2025 rounds */
	if (rc == DB_OK) rc = grant(p, d, p->so.acc, "office_admin", p->so_old.id, 0);
	if (rc == DB_OK) rc = grant(p, d, p->so.acc, "principal", p->so_old.id, 0);
	for (int di = 0; rc == DB_OK && di < NDISTRICTS; di++) {
		rc = grant(p, d, p->phong[di].acc, "office_admin", p->phong[di].id, 0);
		if (rc == DB_OK) rc = grant(p, d, p->phong[di].acc, "principal", p->phong[di].id, 0);
		for (int k = 0; rc == DB_OK && k < 2; k++)
			rc = grant(p, d, p->ubnd[di][k].acc, "officer", p->ubnd[di][k].id, 0);
	}
	for (int k = 0; rc == DB_OK && k < 4; k++) {
		rc = grant(p, d, p->evaluators[k], "external_evaluator", p->so.id, p->rcur);
		if (rc == DB_OK) rc = grant(p, d, p->evaluators[k], "external_evaluator", p->so_old.id, p->r24_so);
		for (int di = 0; rc == DB_OK && di < NDISTRICTS; di++)
			rc = grant(p, d, p->evaluators[k], "external_evaluator", p->phong[di].id, p->r24_phong[di]);
	}
	for (int i = 0; rc == DB_OK && i < p->nschools; i++)
		rc = grant(p, d, p->schools[i].principal_acc, "principal", p->schools[i].id, 0);
	school *sc = find_school(p, "52101001");
	for (int k = 0; rc == DB_OK && sc && k < 3; k++)
		rc = grant(p, d, p->council_accs[k], "council_member", sc->id, p->rcur);
	return rc;
}

/* The external teams of every round. */
static int form_teams(plan *p, db *d)
{
	int rc = DB_OK;
	for (int di = 0; rc == DB_OK && di < NDISTRICTS; di++)
		rc = form_team(p, d, p->r24_phong[di], &p->phong[di], "2025-06-02");
	if (rc == DB_OK) rc = form_team(p, d, p->r24_so, &p->so_old, "2025-06-02");
	if (rc == DB_OK) {
		char date[11];
		date_add(p->today, -3, date);
		rc = form_team(p, d, p->rcur, &p->so, date);
	}
	return rc;
}

/* The rounds, the roles and the teams, in one write transaction. */
static int build_rounds(plan *p, db *d, int64_t admin)
{
	int rc = db_begin_write(d);
	if (rc) return rc;
	rc = open_rounds(p, d);
	if (rc == DB_OK) rc = grant_roles(p, d, admin);
	if (rc == DB_OK) rc = form_teams(p, d);
	if (rc == DB_OK) return db_commit(d);
	db_rollback(d);
	return rc;
}

/* The assessments a round recognises, gathered while they are run. */
typedef struct recognition {
	int64_t *ids;
	score_result **scores;
	bool *pub;
	json_t **sums;
	size_t n;
} recognition;

static void recognition_init(recognition *rg, int nschools)
{
	rg->ids = xcalloc((size_t)nschools, sizeof *rg->ids);
	rg->scores = xcalloc((size_t)nschools, sizeof *rg->scores);
	rg->pub = xcalloc((size_t)nschools, sizeof *rg->pub);
	rg->sums = xcalloc((size_t)nschools, sizeof *rg->sums);
	rg->n = 0;
}

/* Takes the job's external score and a reference to its summary. */
static void recognition_add(recognition *rg, job *j, bool pub)
{
	rg->ids[rg->n] = j->as_id;
	rg->scores[rg->n] = j->ext_score;
	j->ext_score = NULL;
	rg->pub[rg->n] = pub;
	rg->sums[rg->n] = json_incref(j->summary);
	rg->n++;
}

/* Releases what was gathered, keeping the arrays for the next round. */
static void recognition_clear(recognition *rg)
{
	for (size_t i = 0; i < rg->n; i++) {
		json_decref(rg->sums[i]);
		score_free(rg->scores[i]);
	}
	rg->n = 0;
}

static void recognition_free(recognition *rg)
{
	recognition_clear(rg);
	free(rg->ids);
	free(rg->scores);
	free(rg->pub);
	free(rg->sums);
}

static int recognise(plan *p, db *d, int64_t round_id, office *of, const char *date, const recognition *rg)
{
	return recognise_round(p, d, round_id, of, date, rg->ids, rg->scores, rg->pub, rg->sums, rg->n);
}

static void job_release(job *j)
{
	json_decref(j->self);
	json_decref(j->external);
	json_decref(j->summary);
	free(j->sent);
	score_free(j->self_score);
	score_free(j->ext_score);
}

static const framework *school_framework(plan *p, const school *s)
{
	return fw_catalog_find(p->o->frameworks, !strcmp(s->type, "mam_non") ? "q7-mamnon-2023" : "qd4725-2022");
}

/* One 2024-2025 round (group g: a Phòng's, or the Sở's at NDISTRICTS):
 * every assessment run to evaluated, then recognised (most published) and
 * the round closed. */
static int run_past_round(plan *p, db *d, int g, recognition *rg)
{
	bool so = g == NDISTRICTS;
	office *of = so ? &p->so_old : &p->phong[g];
	int64_t round_id = so ? p->r24_so : p->r24_phong[g];
	int rc = DB_OK;
	for (int i = 0; rc == DB_OK && i < p->nschools; i++) {
		school *s = &p->schools[i];
		if (s->under_so != so || (!so && s->district != g)) continue;
		job j = { .p = p, .d = d, .s = s, .round_id = round_id, .office_id = of->id,
		          .office_acc = of->acc, .self_due = "2025-05-31" };
		unit_type_parse(s->type, &j.type);
		j.fw = school_framework(p, s);
		char sub[11];
		date_add("2025-05-31", -rint_in(&p->r, 1, 20), sub);
		rc = run_job(&j, WF_EVALUATED, "2025-02-20", sub, "2025-06-05");
		if (rc == DB_OK) {
			recognition_add(rg, &j, rchance(&p->r, 0.85));
			p->sum->recognised_2024[j.external_level]++;
		}
		job_release(&j);
	}
	if (rc == DB_OK) rc = recognise(p, d, round_id, of, "2025-06-18", rg);
	recognition_clear(rg);
	if (rc == DB_OK && (rc = round_close(d, of->acc, round_id)) != DB_OK)
		buf_printf(p->err, "kết thúc đợt: %s", db_errmsg(d));
	return rc;
}

/* 2024-2025: every assessment recognised; most published. */
static int run_past_year(plan *p, db *d)
{
	recognition rg;
	recognition_init(&rg, p->nschools);
	int rc = DB_OK;
	for (int g = 0; rc == DB_OK && g <= NDISTRICTS; g++) rc = run_past_round(p, d, g, &rg);
	recognition_free(&rg);
	return rc;
}

/* The state each school's current assessment is taken to: the showcase
 * schools theirs, the others drawn to make current_mix. */
static void assign_current_targets(plan *p)
{
	int order[MAX_SCHOOLS];
	int n = 0;
	for (int i = 0; i < p->nschools; i++) {
		school *s = &p->schools[i];
		for (size_t k = 0; k < ARRAY_LEN(showcase); k++)
			if (!strcmp(s->code, showcase[k].code)) {
				s->showcase = true;
				s->target = showcase[k].st;
			}
		if (!s->showcase) order[n++] = i;
	}
	shuffle(&p->r, order, n);
	int at = 0;
	for (size_t k = 0; k < ARRAY_LEN(current_mix); k++) {
		int want = current_mix[k].n;
		for (size_t c = 0; c < ARRAY_LEN(showcase); c++)
			if (showcase[c].st == current_mix[k].st) want--;
		for (int c = 0; c < want && at < n; c++) p->schools[order[at++]].target = current_mix[k].st;
	}
	while (at < n) p->schools[order[at++]].target = WF_DRAFT;
}

/* One school's assessment of the current round, run to its target (a
 * recognised one to evaluated, then gathered for the recognition). */
static int run_current_school(plan *p, db *d, school *s, recognition *rg)
{
	demo_summary *sum = p->sum;
	s->quality = s->quality + 0.06 > 0.98 ? 0.98 : s->quality + 0.06;
	job j = { .p = p, .d = d, .s = s, .round_id = p->rcur, .office_id = p->so.id,
	          .office_acc = p->so.acc, .current = true, .self_due = p->self_due };
	unit_type_parse(s->type, &j.type);
	j.fw = school_framework(p, s);
	char decided[11], sub[11], ev[11];
	date_add(p->self_due, -90, decided);
	date_add(p->self_due, -rint_in(&p->r, 1, 15), sub);
	date_add(p->today, -rint_in(&p->r, 1, 4), ev);
	wf_state run_to = s->target >= WF_RECOGNISED ? WF_EVALUATED : s->target;
	int rc = run_job(&j, run_to, decided, sub, ev);
	if (rc == DB_OK && s->target >= WF_RECOGNISED) recognition_add(rg, &j, s->target == WF_PUBLISHED);
	if (rc == DB_OK) {
		sum->by_state[s->target]++;
		if (s->target >= WF_SELF_ASSESSED && s->target != WF_NOT_STARTED) sum->self_levels[j.self_level]++;
	}
	job_release(&j);
	return rc;
}

/* The current round: every state of the workflow. */
static int run_current_year(plan *p, db *d)
{
	assign_current_targets(p);
	recognition rg;
	recognition_init(&rg, p->nschools);
	int rc = DB_OK;
	for (int i = 0; rc == DB_OK && i < p->nschools; i++) rc = run_current_school(p, d, &p->schools[i], &rg);
	char rdate[11];
	date_add(p->today, -1, rdate);
	if (rc == DB_OK) rc = recognise(p, d, p->rcur, &p->so, rdate, &rg);
	recognition_free(&rg);
	return rc;
}

/* What to try first. */
static void show_accounts(plan *p)
{
	show(p, "admin", "Quản trị hệ thống");
	show(p, p->so.login, arena_printf(p->a, "Quản trị viên — %s (đợt %s: hộp hồ sơ, đánh giá ngoài, công nhận; "
		"đợt 2024-2025 của Sở và các phòng theo Quyết định 3806)",
		p->so.name, p->cur_year));
	for (int di = 0; di < NDISTRICTS; di++)
		show(p, p->phong[di].login, arena_printf(p->a, "Quản trị viên — %s (giải thể từ 01/07/2025; đợt 2024-2025; "
			"tự đánh giá của phòng theo Quyết định 3806)",
			p->phong[di].name));
	show(p, p->ubnd[0][0].login, arena_printf(p->a, "Cán bộ — %s (quản lý trường từ 01/07/2025; cũng: ubnd.*)",
		p->ubnd[0][0].name));
	for (size_t k = 0; k < ARRAY_LEN(showcase); k++) {
		school *s = find_school(p, showcase[k].code);
		if (s) show(p, arena_printf(p->a, "ht.%s", s->code),
			arena_printf(p->a, "%s — %s: %s", s->head_title, s->name, showcase[k].what));
	}
	show(p, "ht.<mã trường>", arena_printf(p->a, "Hiệu trưởng/Giám đốc của từng trường (%d tài khoản, mã đơn vị 8 chữ số)",
		p->nschools));
	show(p, "tk.52101001", "Thư ký hội đồng tự đánh giá — Trường 52101001 (cũng: gv.52101001.1, gv.52101001.2)");
	show(p, "dgn.tranminhtuan", "Trưởng đoàn đánh giá ngoài của Sở (cũng: dgn.lethithu, dgn.phamvanhung, dgn.vothihoa)");
}

/* The steps, in order: each draws from the one seeded generator, so the
 * order is part of the data set. */
int demo_create(db *d, const demo_opts *o, demo_summary *sum, buf *err)
{
	memset(sum, 0, sizeof *sum);
	sum->mem = arena_new();
	plan *p = xcalloc(1, sizeof *p);
	p->a = arena_new();
	p->r.s = DEMO_SEED;
	p->o = o;
	p->sum = sum;
	p->err = err;
	int64_t admin = 0;
	int rc = plan_dates(p);
	if (rc == DB_OK) {
		plan_schools(p);
		rc = build_units(p, d);
	}
	if (rc == DB_OK) rc = build_accounts(p, d, &admin);
	if (rc == DB_OK) rc = build_rounds(p, d, admin);
	if (rc == DB_OK) rc = run_past_year(p, d);
	if (rc == DB_OK) rc = run_current_year(p, d);
	if (rc == DB_OK) show_accounts(p);
	free(p->specs);
	arena_free(p->a);
	free(p);
	return rc;
}

void demo_summary_free(demo_summary *s)
{
	arena_free(s->mem);
	memset(s, 0, sizeof *s);
}
