/* cmd_routes.c — `chiso test-routes`: every route of the web application,
 * one "METHOD PATTERN signed-in|public" line each, for the security tests
 * (test/cli/web_security.sh requests every /danh-gia/{id}… route as
 * another school) so that a route added later is tested without anyone
 * remembering to. Hidden from the help (test-*). */
#include "cmd.h"
#include "web.h"
#include <stdio.h>

static void print_route(const web_route *r, void *ctx)
{
	(void)ctx;
	printf("%s %s %s\n", r->method, r->pattern, (r->flags & WEB_SIGNED_IN) ? "signed-in" : "public");
}

int cmd_test_routes(int argc, char **argv)
{
	(void)argc; (void)argv;
	web_routes_each(print_route, NULL);
	return EXIT_OK;
}
