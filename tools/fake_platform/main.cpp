// The fake platform server as a program, for the demo:
//   fake_platform FEED.jsonl PORT [RELEASE_PER_SECOND]
//   fake_platform --synthetic N PORT     (N X mentions, all visible; for the ingestion benchmark)
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
  const bool synthetic = std::string(argv[1]) == "--synthetic";
  if (synthetic) {
    opts.page_size = 100;
    opts.x_rate_limit = 1 << 30;
    opts.port = static_cast<uint16_t>(std::atoi(argv[3]));
  }
  sambat::fake::FakePlatform fake(ioc, opts);
  if (synthetic) {
    // Realistic mixes of complaints and chatter, 200-odd bytes each, one second apart.
    static const char* kTexts[] = {
        "@pemkabcilacap jalan desa %d di kec Kroya rusak parah, lubangnya makin besar, tolong segera diperbaiki sebelum ada korban",
        "selamat pagi cilacap %d, semoga hari ini lancar dan sehat selalu buat semua warga, jangan lupa sarapan ya",
        "sampah di pasar Sidareja sudah %d hari tidak diangkut, baunya sampai ke rumah warga, mohon DLH segera bertindak",
        "promo spesial %d: diskon 50 persen semua menu di warung kami dekat alun-alun, buruan sebelum kehabisan kak",
        "lampu PJU di jalan raya Kesugihan mati sudah %d minggu, gelap sekali kalau malam, rawan kecelakaan dan begal",
    };
    const long n = std::atol(argv[2]);
    const int64_t start = 1'700'000'000'000;
    char buf[400];
    for (long i = 0; i < n; ++i) {
      sambat::fake::FeedItem f;
      f.platform = "x";
      f.endpoint = "mentions";
      f.created_at = start + i * 1000;
      f.id = std::to_string(static_cast<unsigned long long>(f.created_at - 1288834974657LL) << 22);
      std::snprintf(buf, sizeof buf, kTexts[i % 5], static_cast<int>(i % 97));
      f.text = buf;
      f.author_id = std::to_string(1000 + i % 5000);
      fake.Add(std::move(f));
    }
  } else if (auto s = fake.LoadJsonl(argv[1]); !s.ok()) {
    std::cerr << s.message() << "\n";
    return 1;
  }
  if (auto s = fake.Start(); !s.ok()) {
    std::cerr << s.message() << "\n";
    return 1;
  }
  const long per_second = argc > 3 ? std::atol(argv[3]) : 3;
  long visible = synthetic ? static_cast<long>(fake.size()) : static_cast<long>(fake.size()) / 3;
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
