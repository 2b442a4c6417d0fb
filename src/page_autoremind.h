/* page_autoremind.h — automatic reminders on pages (issue 16, item 12):
 * each round's settings on its overview (POST /dot/{id}/nhac-tu-dong) and
 * the SMTP server on the administration page "Gửi thư" (/quan-tri/thu).
 * Routes: page_autoremind_routes (web.h). */
#ifndef CHISO_PAGE_AUTOREMIND_H
#define CHISO_PAGE_AUTOREMIND_H
#include "web_office.h"

/* The round's "Nhắc hạn tự động" card: its settings, a form for whoever
 * manages the round. */
void autoremind_round_section(web *w, const round_view *v, bool manage);
/* Can reminders be sent: the page's SMTP server or the environment's? */
bool web_mail_configured(web *w);
/* "chưa cấu hình gửi thư": the fix for a system administrator, whom to ask
 * for anyone else (a paragraph). */
void web_mail_unconfigured_note(web *w);
#endif
