/* page_admin.h — what the administration pages (page_admin_*.c) share:
 * the area's gate, the scope an administrator works on, the per-object
 * access questions (asked of authz.c) and a few form helpers. Not for
 * other page families. */
#ifndef CHISO_PAGE_ADMIN_H
#define CHISO_PAGE_ADMIN_H

#include "q_account.h"
#include "q_unit.h"
#include "web.h"

/* ---- access ---- */
bool admin_is_system(web *w);
/* The gate of every /quan-tri/ page: false (and a 403 sent) unless the
 * account is an administrator. */
bool admin_gate(web *w);
/* The office whose subtree an office administrator works on (?cq=), 0 for
 * a system administrator. */
int64_t admin_office(web *w);
bool admin_may_manage_unit(web *w, int64_t unit_id, authz_decision *why);
bool admin_may_place_under(web *w, int64_t office_id, authz_decision *why);
bool admin_role_allowed(web *w, authz_action action, int64_t account_id, authz_role role, int64_t unit_id,
                        authz_decision *why);
bool admin_may_account(web *w, int64_t account_id, const role_assignment *roles, size_t n, bool manage,
                       authz_decision *why);

/* ---- form helpers ---- */
/* The declared inputs every list page of the area takes: the office
 * (?cq=, admin_office) and the page (?trang=, admin_in_page). */
#define ADMIN_OFFICE_INPUT { .name = "cq", .type = WEB_IN_ID, .label = "cơ quan" }
#define ADMIN_PAGE_INPUT { .name = "trang", .type = WEB_IN_INT, .min = 1, .max = 100000, .label = "trang" }
/* A date typed as "2025-09-01" or "01/09/2025" (vn_parse_date). */
#define ADMIN_DATE_INPUT(n) { .name = (n), .type = WEB_IN_TEXT, .max = 20, .label = "ngày hiệu lực" }
/* A declared input's text, or dflt. */
const char *admin_in(web *w, const char *name, const char *dflt);
size_t admin_in_page(web *w);
/* A declared date input (ADMIN_DATE_INPUT) as ISO in the arena; NULL when
 * not given or not a date. */
const char *admin_in_date(web *w, const char *name);
const char *admin_selected(bool on);
bool admin_unit_by_ref(web *w, const char *ref, unit *out);
void admin_nav(web *w, const char *here);
void admin_office_datalist(web *w);
const char *admin_unit_label(web *w, int64_t id);

#endif
