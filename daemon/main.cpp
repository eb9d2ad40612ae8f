#include "daemon/cli.h"

int main(int argc, char** argv) { return sambat::daemon::Main(argc, argv); }
