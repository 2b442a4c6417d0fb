/* page_admin_fw_edit.h — the rule editor of a framework draft
 * (/quan-tri/bo-chi-so/{id}/sua, page_admin_fw_edit.c); its routes are
 * at the end of page_admin_framework_routes (page_admin_frameworks.c). */
#ifndef CHISO_PAGE_ADMIN_FW_EDIT_H
#define CHISO_PAGE_ADMIN_FW_EDIT_H
#include "web.h"

/* National frameworks are the system administrators' (authz.c:
 * AUTHZ_MANAGE_FRAMEWORKS); false with the reason in why. */
bool may_publish_frameworks(web *w, authz_decision *why);

extern const web_input fw_edit_view_inputs[];
extern const web_input fw_edit_save_inputs[];
/* The card of the drafts not yet published, each with its editor link
 * (on /quan-tri/bo-chi-so, for those who may publish). */
void fw_edit_drafts_card(web *w);
void fw_edit_get(web *w);        /* GET  /quan-tri/bo-chi-so/{id}/sua */
void fw_edit_post(web *w);       /* POST /quan-tri/bo-chi-so/{id}/sua */
#endif
