/* Placeholder until record lands; replaced, not extended. */
#include "commands.h"
#include "errmsg.h"

int cmd_record(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	pf_error("not built yet");
	return PF_EXIT_ERROR;
}
