// The command line: `sambatd [--config FILE] SUBCOMMAND ...`.
#pragma once

namespace sambat::daemon {

// Parses argv and runs the subcommand; returns the process exit status.
int Main(int argc, char** argv);

}  // namespace sambat::daemon
