// The fake disposition pipeline as a program, for the demo: confirmed complaints get a
// ticket number, so the citizen's "tanda terima" reply has one to quote.
//   fake_sink PORT TOKEN        (TOKEN: the bearer token sambatd sends; read from stdin if "-")
// Stops on SIGTERM/SIGINT.
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>

#include "tools/fake_sink/fake_sink.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: fake_sink PORT TOKEN\n";
    return 2;
  }
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);  // the server's threads inherit it; sigwait below takes it
  sambat::testing::FakeSink sink;
  std::string token = argv[2];
  if (token == "-") std::getline(std::cin, token);
  sink.SetToken(token);
  if (!sink.Start(static_cast<uint16_t>(std::atoi(argv[1])))) {
    std::cerr << "fake_sink: cannot listen on 127.0.0.1:" << argv[1] << "\n";
    return 1;
  }
  std::cerr << "fake_sink: " << sink.url() << "\n";
  int sig = 0;
  sigwait(&set, &sig);
  sink.Stop();
  return 0;
}
