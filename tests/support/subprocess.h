// Starts a program as a child process with stdout/stderr in files, for tests of the real binary.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace sambat::testing {

class Subprocess {
 public:
  // Starts `argv` with stdout and stderr redirected to `out_prefix`.out / .err.
  // `stdin_path`: a file to read standard input from (default: /dev/null).
  Subprocess(std::vector<std::string> argv, std::string out_prefix, const std::string& stdin_path = "/dev/null")
      : prefix_(std::move(out_prefix)) {
    pid_ = fork();
    if (pid_ == 0) {
      int in = ::open(stdin_path.c_str(), O_RDONLY);
      dup2(in, 0);
      int out = ::open((prefix_ + ".out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      int err = ::open((prefix_ + ".err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      dup2(out, 1);
      dup2(err, 2);
      std::vector<char*> args;
      for (auto& a : argv) args.push_back(a.data());
      args.push_back(nullptr);
      execv(args[0], args.data());
      _exit(127);
    }
  }
  ~Subprocess() {
    if (pid_ > 0 && !exit_status_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }

  pid_t pid() const { return pid_; }
  void Signal(int sig) { kill(pid_, sig); }

  // The exit code, or 128+signal; nullopt when still running after `timeout`.
  std::optional<int> Wait(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!exit_status_) {
      int st = 0;
      pid_t r = waitpid(pid_, &st, WNOHANG);
      if (r == pid_) {
        exit_status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        break;
      }
      if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return exit_status_;
  }
  bool Running() { return !Wait(std::chrono::milliseconds(0)).has_value(); }

  std::string Stdout() const { return Slurp(prefix_ + ".out"); }
  std::string Stderr() const { return Slurp(prefix_ + ".err"); }

 private:
  static std::string Slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  std::string prefix_;
  pid_t pid_ = -1;
  std::optional<int> exit_status_;
};

// Runs to completion (at most 60 s) and returns the exit status.
inline int RunToEnd(Subprocess& p) {
  auto st = p.Wait(std::chrono::seconds(60));
  return st ? *st : -1;
}

// A port that was free a moment ago.
uint16_t FreePort();

}  // namespace sambat::testing
