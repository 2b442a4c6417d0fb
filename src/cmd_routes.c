/* cmd_routes.c — `chiso test-routes`: every route of the web application,
 * one "METHOD PATTERN signed-in|public LOAD ACTION" line each (LOAD: what
 * the route declares it loads, web_load_name; ACTION: the authz action it
 * needs on that object, "-" for none), for the security tests
 * (test/cli/web_security.sh requests every /danh-gia/{id}… route as
 * another school) so that a route added later is tested without anyone
 * remembering to. Hidden from the help (test-*). */
#include "cmd.h"
#include "web.h"
#include <stdio.h>

static void print_route(const web_route *r, void *ctx)
{
	(void)ctx;
	/* then the declaration: what it loads and the action it needs on it */
	bool object = r->load >= WEB_LOAD_ASSESSMENT;
	printf("%s %s %s %s %s\n", r->method, r->pattern, (r->flags & WEB_SIGNED_IN) ? "signed-in" : "public",
	       web_load_name(r->load), object ? authz_action_code(r->action) : "-");
}

int cmd_test_routes(int argc, char **argv)
{
	(void)argc; (void)argv;
	web_routes_each(print_route, NULL);
	return EXIT_OK;
}
