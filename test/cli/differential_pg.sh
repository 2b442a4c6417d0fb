#!/bin/sh
# differential_pg.sh — test/cli/differential.sh on PostgreSQL: the same
# sequence through the HTML forms, the JSON API and the service, each on its
# own database copied from the common start, must leave identical states.
# Uses CHISO_TEST_PG (test/run.sh starts one when it can), else test/pg.sh;
# skips when neither gives a server.
DIFF_ENGINE=pg exec sh "$(dirname "$0")/differential.sh"
