// The fake platform server as a program, for the demo:
//   fake_platform FEED.jsonl PORT [RELEASE_PER_SECOND]
// Serves the feed's first third at once, then releases more items every second, so the demo
// shows drafts arriving. Stops on SIGTERM/SIGINT.
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <csignal>
#include <iostream>

#include "tools/fake_platform/fake_platform.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: fake_platform FEED.jsonl PORT [RELEASE_PER_SECOND]\n";
    return 2;
  }
  boost::asio::io_context ioc{1};
  sambat::fake::FakePlatform::Options opts;
  opts.page_size = 20;  // the demo pages like the real APIs do
  opts.port = static_cast<uint16_t>(std::atoi(argv[2]));
  sambat::fake::FakePlatform fake(ioc, opts);
  if (auto s = fake.LoadJsonl(argv[1]); !s.ok()) {
    std::cerr << s.message() << "\n";
    return 1;
  }
  if (auto s = fake.Start(); !s.ok()) {
    std::cerr << s.message() << "\n";
    return 1;
  }
  const long per_second = argc > 3 ? std::atol(argv[3]) : 3;
  long visible = static_cast<long>(fake.size()) / 3;
  fake.SetVisible(visible);
  std::cout << fake.port() << std::endl;  // the caller reads the port from the first line
  boost::asio::steady_timer timer(ioc);
  std::function<void()> tick = [&] {
    timer.expires_after(std::chrono::seconds(1));
    timer.async_wait([&](const boost::system::error_code& ec) {
      if (ec) return;
      visible = std::min<long>(visible + per_second, static_cast<long>(fake.size()));
      fake.SetVisible(visible);
      tick();
    });
  };
  tick();
  boost::asio::signal_set signals(ioc, SIGTERM, SIGINT);
  signals.async_wait([&](const boost::system::error_code&, int) {
    timer.cancel();
    fake.Stop();
  });
  ioc.run();
  return 0;
}
