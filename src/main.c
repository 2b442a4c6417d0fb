/* main.c — entry point: hands the command line to the command table. */
#include "cmd.h"

int main(int argc, char **argv)
{
	return cmd_main(argc, argv);
}
