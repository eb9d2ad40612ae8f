#include "daemon/daemon.h"

#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <condition_variable>
#include <csignal>
#include <filesystem>
#include <mutex>
#include <thread>

#include "base/clock.h"
#include "base/log.h"
#include "config/config.h"
#include "daemon/systemd_notifier.h"
#include "daemon/version.h"
#include "db/sqlite_store.h"
#include "web/http_server.h"
#include "web/routes.h"

namespace sambat::daemon {
namespace {

namespace asio = boost::asio;

void LogDiagnostics(const std::vector<config::Diagnostic>& diags) {
  for (const auto& d : diags) {
    if (d.severity == config::Diagnostic::Severity::kError) spdlog::error("config: {}", d.ToString());
    else spdlog::warn("config: {}", d.ToString());
  }
}

// Rules are checked to exist for now; the classifier replaces this with a real load.
Status CheckRules(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Status::NotFound("rules path " + path + " does not exist");
  return Status::Ok();
}

class Daemon {
 public:
  Daemon(config::Config cfg, std::unique_ptr<db::Store> store)
      : cfg_(std::move(cfg)),
        store_(std::move(store)),
        signals_(ioc_, SIGTERM, SIGINT, SIGHUP),
        watchdog_(ioc_),
        server_(ioc_,
                web::ServerOptions{.host = cfg_.http.listen.host, .port = cfg_.http.listen.port},
                web::MakeAppHandler({.store = store_.get(), .rules_loaded = [] { return true; }, .version = kVersion})) {}

  int Run() {
    if (Status s = server_.Start(); !s.ok()) {
      spdlog::error("{}", s.message());
      return 1;
    }
    spdlog::info("sambatd {} listening on {}:{}", kVersion, cfg_.http.listen.host, server_.port());
    WaitForSignal();
    StartWatchdog();
    notifier_.Ready(StatusLine());
    ioc_.run();

    {  // the shutdown deadline thread is no longer needed
      std::lock_guard lock(stop_mu_);
      stopped_ = true;
    }
    stop_cv_.notify_all();
    if (deadline_.joinable()) deadline_.join();
    spdlog::info("sambatd stopped");
    return 0;
  }

 private:
  void WaitForSignal() {
    signals_.async_wait([this](const boost::system::error_code& ec, int sig) {
      if (ec) return;
      if (sig == SIGHUP) {
        Reload();
        WaitForSignal();
      } else {
        Shutdown(sig);
      }
    });
  }

  void Reload() {
    notifier_.Reloading();
    spdlog::info("SIGHUP: reloading {}", cfg_.path);
    auto loaded = config::LoadConfigFile(cfg_.path);
    LogDiagnostics(loaded.diagnostics);
    if (!loaded.ok()) {
      spdlog::error("reload refused: {} has errors; keeping the running configuration", cfg_.path);
    } else if (Status s = CheckRules(loaded.config.rules); !s.ok()) {
      spdlog::error("reload refused: {}; keeping the running rules", s.message());
    } else {
      const config::Config& next = loaded.config;
      if (next.database != cfg_.database) spdlog::warn("database path changed: takes effect after a restart");
      if (next.http.listen.ToString() != cfg_.http.listen.ToString())
        spdlog::warn("http.listen changed: takes effect after a restart");
      SetLogLevel(next.log.level);
      std::string db = cfg_.database;
      auto listen = cfg_.http.listen;
      cfg_ = next;
      cfg_.database = db;
      cfg_.http.listen = listen;
      spdlog::info("reload done");
    }
    notifier_.Ready(StatusLine());
  }

  void Shutdown(int sig) {
    spdlog::info("{}: stopping", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    notifier_.Stopping();
    server_.Stop();
    watchdog_.cancel();
    boost::system::error_code ignored;
    signals_.cancel(ignored);
    // Work in flight finishes and the io_context runs out; past the deadline it is cut short.
    deadline_ = std::thread([this, timeout = cfg_.daemon.shutdown_timeout] {
      std::unique_lock lock(stop_mu_);
      if (!stop_cv_.wait_for(lock, timeout, [this] { return stopped_; })) {
        spdlog::warn("shutdown took longer than {} ms; cutting it short", timeout.count());
        ioc_.stop();
      }
    });
  }

  void StartWatchdog() {
    auto interval = notifier_.WatchdogInterval();
    if (!interval) return;
    watchdog_.expires_after(*interval);
    watchdog_.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      notifier_.Watchdog();  // sent from the loop itself: a stuck loop stops sending it
      StartWatchdog();
    });
  }

  std::string StatusLine() {
    auto pending = store_->CountDrafts("pending");
    auto posts = store_->CountPosts();
    if (!pending.ok() || !posts.ok()) return "database unavailable";
    return std::to_string(*pending) + " drafts pending, " + std::to_string(*posts) + " posts stored";
  }

  config::Config cfg_;
  std::unique_ptr<db::Store> store_;
  asio::io_context ioc_{1};
  asio::signal_set signals_;
  asio::steady_timer watchdog_;
  web::HttpServer server_;
  SystemdNotifier notifier_;
  std::thread deadline_;
  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stopped_ = false;
};

}  // namespace

int RunDaemon(const std::string& config_path) {
  auto loaded = config::LoadConfigFile(config_path);
  SetupLogging(loaded.ok() ? loaded.config.log.level : "info");
  LogDiagnostics(loaded.diagnostics);
  if (!loaded.ok()) {
    spdlog::error("not starting: fix {} (sambatd --config {} check-config lists every problem)",
                  config_path, config_path);
    return 1;
  }
  if (Status s = CheckRules(loaded.config.rules); !s.ok()) {
    spdlog::error("not starting: {}", s.message());
    return 1;
  }
  SystemClock clock;  // outlives the store and the daemon below
  auto store = db::SqliteStore::Open(loaded.config.database, &clock);
  if (!store.ok()) {
    spdlog::error("not starting: {}", store.status().message());
    return 1;
  }
  Daemon daemon(std::move(loaded.config), std::move(*store));
  return daemon.Run();
}

}  // namespace sambat::daemon
