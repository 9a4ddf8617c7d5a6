/* Placeholder until this command's issue lands; replaced, not extended. */
#include "commands.h"
#include "errmsg.h"

int cmd_convert(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	pf_error("not built yet");
	return PF_EXIT_ERROR;
}
