// Polls `done` every 20 ms until it holds or `timeout` passes (tests that watch another
// process or thread); the last answer.
#pragma once

#include <chrono>
#include <thread>

namespace sambat::testing {

template <typename F>
bool WaitFor(F done, std::chrono::milliseconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

}  // namespace sambat::testing
