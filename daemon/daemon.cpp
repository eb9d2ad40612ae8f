#include "daemon/daemon.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <atomic>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <optional>
#include <thread>

#include "base/clock.h"
#include "base/log.h"
#include "base/secret.h"
#include "config/config.h"
#include "connectors/http/curl_transport.h"
#include "daemon/database_lock.h"
#include "daemon/retention_runner.h"
#include "daemon/scheduler.h"
#include "daemon/manual_entry.h"
#include "daemon/metrics_page.h"
#include "daemon/reply_service.h"
#include "daemon/setup.h"
#include "daemon/sources.h"
#include "daemon/systemd_notifier.h"
#include "daemon/version.h"
#include "daemon/webhook_processor.h"
#include "handoff/dispatcher.h"
#include "handoff/open311_status.h"
#include "handoff/sink.h"
#include "db/sqlite_store.h"
#include "web/http_server.h"
#include "web/queue_api.h"
#include "web/routes.h"
#include "web/webhook.h"

namespace sambat::daemon {
namespace {

namespace asio = boost::asio;

void LogDiagnostics(const std::vector<config::Diagnostic>& diags) {
  for (const auto& d : diags) {
    if (d.severity == config::Diagnostic::Severity::kError) spdlog::error("config: {}", d.ToString());
    else spdlog::warn("config: {}", d.ToString());
  }
}

RetentionRunner::Options RetentionFrom(const config::RetentionConfig& r) {
  return {.policy = RetentionPolicyFrom(r), .purge_minute = r.purge_minute};
}

class Daemon {
 public:
  Daemon(config::Config cfg, std::unique_ptr<db::SqliteStore> store, std::shared_ptr<const classifier::Classifier> classifier,
         const Clock* clock)
      : cfg_(std::move(cfg)),
        store_(std::move(store)),
        clock_(clock),
        classifier_(std::move(classifier)),
        http_(connectors::CurlOptions{.proxy = cfg_.network.proxy, .cancel = &stopping_}),
        signals_(ioc_, SIGTERM, SIGINT, SIGHUP),
        watchdog_(ioc_) {}

  int Run() {
    std::vector<std::string> errors;
    sources_ = BuildSources(cfg_, &http_, clock_, &errors);
    for (const auto& e : errors) spdlog::error("{}", e);
    if (!errors.empty()) return 1;
    SetUpWebhook();
    if (!SetUpHandoff()) return 1;
    catalog_ = BuildCatalog(*classifier_.Get());
    if (!SetUpReplies()) return 1;
    SetUpQueueApi();
    // Two handler threads: a login's Argon2id or a slow query never stalls the other connections.
    server_ = std::make_unique<web::HttpServer>(
        ioc_, web::ServerOptions{.host = cfg_.http.listen.host, .port = cfg_.http.listen.port, .handler_threads = 2},
        web::MakeAppHandler({.store = store_.get(),
                             .webhook = webhook_.get(),
                             .api = api_.get(),
                             .rules_loaded = [this] { return classifier_.Get() != nullptr; },
                             .metrics =
                                 [this] {
                                   return RenderMetrics({.registry = &metrics_,
                                                         .store = store_.get(),
                                                         .clock = clock_,
                                                         .webhook_bad_signatures =
                                                             webhook_ ? webhook_->bad_signatures() : 0,
                                                         .sop_limits = SopLimitsFrom(cfg_.sla)});
                                 },
                             .version = kVersion}));
    if (Status s = server_->Start(); !s.ok()) {
      spdlog::error("{}", s.message());
      return 1;
    }
    spdlog::info("sambatd {} listening on {}:{}", kVersion, cfg_.http.listen.host, server_->port());
    StartScheduler();
    if (dispatcher_) dispatcher_->Start();
    if (replies_) replies_->Start();
    retention_ = std::make_unique<RetentionRunner>(store_.get(), clock_, RetentionFrom(cfg_.retention));
    retention_->Restore();
    retention_->Start();
    WaitForSignal();
    StartWatchdog();
    notifier_.Ready(StatusLine());
    ioc_.run();

    if (scheduler_) scheduler_->Stop();
    if (dispatcher_) dispatcher_->Stop();
    if (replies_) replies_->Stop();
    if (retention_) retention_->Stop();
    {
      std::lock_guard lock(stop_mu_);
      stopped_ = true;
    }
    stop_cv_.notify_all();
    if (deadline_.joinable()) deadline_.join();
    spdlog::info("sambatd stopped");
    return 0;
  }

 private:
  void SetUpWebhook() {
    const auto& ig = cfg_.sources.instagram;
    if (!ig.enabled || ig.webhook_app_secret_file.empty()) return;
    auto verify = ReadSecretFile(ig.webhook_verify_token_file, nullptr);
    auto secret = ReadSecretFile(ig.webhook_app_secret_file, nullptr);
    if (!verify.ok() || !secret.ok()) {
      spdlog::error("webhook disabled: {}", !verify.ok() ? verify.status().message() : secret.status().message());
      return;
    }
    webhook_ = std::make_unique<web::WebhookReceiver>(*verify, *secret, store_.get(), [this] {
      if (scheduler_) scheduler_->Wake();
    });
    spdlog::info("Meta webhook receiver on /webhook/meta");
  }

  // The dispatcher delivering confirmations to the pipeline; none when no sink is configured
  // (confirmations then wait in the outbox).
  bool SetUpHandoff() {
    const auto& h = cfg_.handoff;
    if (h.sink.empty()) {
      spdlog::info("handoff: no sink configured; confirmed complaints wait in the outbox");
      return true;
    }
    Secret token;
    if (!h.token_file.empty()) {
      auto t = ReadSecretFile(h.token_file, nullptr);
      if (!t.ok()) {
        spdlog::error("handoff: {}", t.status().message());
        return false;
      }
      token = std::move(*t);
    }
    handoff_http_ = std::make_unique<connectors::CurlTransport>(
        connectors::CurlOptions{.total_timeout = h.timeout, .user_agent = "sambatd-handoff", .cancel = &stopping_});
    handoff::DispatchOptions options;
    if (h.sink == "open311") {
      // GeoReport has no callback: the pipeline's progress is read back between deliveries.
      status_poller_ = std::make_unique<handoff::Open311StatusPoller>(store_.get(), h.url, token, handoff_http_.get(),
                                                                      h.status_poll_interval);
      options.before_pass = [poller = status_poller_.get()](int64_t now) {
        if (auto n = poller->PollIfDue(now); !n.ok()) spdlog::error("open311: {}", n.status().message());
      };
      sink_ = std::make_unique<handoff::Open311Sink>(h.url, std::move(token), h.open311_service_map, handoff_http_.get());
    } else {
      sink_ = std::make_unique<handoff::HttpJsonSink>(h.url, std::move(token), handoff_http_.get());
    }
    dispatcher_ = std::make_unique<handoff::Dispatcher>(
        store_.get(), sink_.get(), clock_, handoff::RetryPolicy{},
        handoff::RandomUnit(), std::move(options));
    spdlog::info("handoff: delivering to {} ({})", connectors::RedactUrl(h.url), h.sink);
    return true;
  }

  // Replies to citizens; none when replies.mode is off (the queue still lists past replies).
  bool SetUpReplies() {
    if (cfg_.replies.mode == "off") return true;
    replies_ = ReplyService::Make(cfg_, store_.get(), clock_, [this](const std::string& code) {
      std::lock_guard lock(catalog_mu_);
      for (const auto& [c, name] : catalog_->opd) {
        if (c == code) return name;
      }
      return code;
    });
    return replies_ != nullptr;
  }

  void SetUpQueueApi() {
    auth_ = std::make_unique<web::Authenticator>(store_.get(), clock_,
                                                 web::AuthOptions{.secure_cookies = cfg_.http.secure_cookies});
    api_ = std::make_unique<web::QueueApi>(web::QueueApiDeps{
        .queue = store_.get(),
        .store = store_.get(),
        .auth = auth_.get(),
        .clock = clock_,
        .catalog = [this] {
          std::lock_guard lock(catalog_mu_);
          return catalog_;
        },
        .manual_entry = [this](const web::ManualPost& post) -> Result<int64_t> {
          auto classifier = classifier_.Get();
          return store_->CreateManualDraft(MakeManualEntry(
              post, *classifier, ToUnixMillis(clock_->Now()),
              {.sla_ms = cfg_.sla.admin_utama.count(), .classify_seconds = &ClassifySeconds()}));
        },
        .outbox = store_.get(),
        .on_confirmed =
            [this] {
              if (dispatcher_) dispatcher_->Wake();
            },
        .sop_limits = SopLimitsFrom(cfg_.sla),
        .replies_mode = cfg_.replies.mode,
        .replies = store_.get(),
        .reply_text_problem =
            [this](const db::OutboxItem& item, const std::string& text) {
              return ReplyTextProblem(store_.get(), cfg_.replies, item, text);
            },
        .on_reply_approved =
            [this] {
              if (replies_) replies_->Wake();
            },
        .recap = store_.get()});
  }

  void StartScheduler() {
    std::vector<Scheduler::Task> tasks;
    IngestOptions ingest{.sla_ms = cfg_.sla.admin_utama.count(), .classify_seconds = &ClassifySeconds()};
    for (size_t i = 0; i < sources_.connectors.size(); ++i) {
      auto* c = sources_.connectors[i].get();
      runners_.push_back(std::make_unique<SourceRunner>(c, store_.get(), &classifier_, clock_, ingest));
      if (c == sources_.instagram) targets_.instagram_runner = runners_.back().get();
      if (c->platform() == "facebook") targets_.facebook_runner = runners_.back().get();
      for (const auto& e : c->endpoints()) tasks.push_back({runners_.back().get(), e, sources_.intervals_ms[i]});
    }
    targets_.instagram = sources_.instagram;
    if (tasks.empty() && !webhook_) {
      spdlog::info("no source is enabled: nothing to poll");
      return;
    }
    scheduler_ = std::make_unique<Scheduler>(
        std::move(tasks), clock_,
        [this](const PollReport& r) {
          CountPoll(r);
          switch (r.kind) {
            case connectors::PollOutcome::Kind::kOk:
              spdlog::info("{}/{}: {} fetched, {} new, {} drafts, {} requests{}{}", r.source, r.endpoint, r.fetched,
                           r.new_posts, r.drafts, r.requests,
                           r.skipped ? ", " + std::to_string(r.skipped) + " unreadable items skipped" : "",
                           r.erased_authors ? ", " + std::to_string(r.erased_authors) + " of erased authors not kept" : "");
              break;
            case connectors::PollOutcome::Kind::kBackoff:
              spdlog::warn("{}/{}: {}; backing off", r.source, r.endpoint, r.message);
              break;
            case connectors::PollOutcome::Kind::kPaused:
              spdlog::error("{}/{} paused until a reload: {}", r.source, r.endpoint, r.message);
              break;
          }
        },
        [this] { ProcessWebhookEvents(store_.get(), targets_); });
    scheduler_->RestoreFrom(store_.get());
    scheduler_->Start();
  }

  Histogram& ClassifySeconds() {
    return metrics_.GetHistogram("sambatd_classification_seconds", "Time to classify one post.", LatencyBuckets());
  }

  // Called from the scheduler's thread after every poll.
  void CountPoll(const PollReport& r) {
    const Labels where{{"source", r.source}, {"endpoint", r.endpoint}};
    metrics_.GetCounter("sambatd_posts_fetched_total", "Posts fetched from the platforms.", where).Add(r.fetched);
    metrics_.GetCounter("sambatd_drafts_created_total", "Drafts created from fetched posts.", where).Add(r.drafts);
    metrics_.GetCounter("sambatd_items_skipped_total", "Items of a platform's answer that could not be read.", where)
        .Add(r.skipped);
    if (r.kind != connectors::PollOutcome::Kind::kOk) {
      Labels l = where;
      l.emplace_back("class", r.kind == connectors::PollOutcome::Kind::kPaused ? "paused" : "backoff");
      metrics_.GetCounter("sambatd_api_errors_total", "Polls that ended in a backoff or a pause.", l).Add();
    }
    if (r.store_seconds > 0) {
      metrics_
          .GetHistogram("sambatd_ingest_batch_seconds", "Time to classify and store one poll's batch (one transaction; classification overlaps the writes).",
                        LatencyBuckets(), where)
          .Observe(r.store_seconds);
    }
  }

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
    } else if (auto next_rules = LoadClassifier(loaded.config.rules); !next_rules) {
      spdlog::error("reload refused: the rules in {} have errors; keeping the running rules", loaded.config.rules);
    } else {
      const config::Config& next = loaded.config;
      if (next.database != cfg_.database) spdlog::warn("database path changed: takes effect after a restart");
      if (next.http.listen.ToString() != cfg_.http.listen.ToString())
        spdlog::warn("http.listen changed: takes effect after a restart");
      // Reply token files are read at each send; the rest of replies.* only at start.
      if (!(next.replies == cfg_.replies)) spdlog::warn("replies.* changed: takes effect after a restart");
      SetLogLevel(next.log.level);
      {
        std::lock_guard lock(catalog_mu_);
        catalog_ = BuildCatalog(*next_rules);
      }
      classifier_.Set(std::move(next_rules));
      if (retention_) retention_->SetOptions(RetentionFrom(next.retention));
      // Sources paused for a person (an expired token) are tried again: the token file may be new.
      if (scheduler_) scheduler_->ResumePaused();
      spdlog::info("reload done");
    }
    notifier_.Ready(StatusLine());
  }

  void Shutdown(int sig) {
    spdlog::info("{}: stopping", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    notifier_.Stopping();
    stopping_ = true;  // abandons HTTP calls in flight; a batch being stored still commits
    server_->Stop();
    watchdog_.cancel();
    boost::system::error_code ignored;
    signals_.cancel(ignored);
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
      notifier_.Status(StatusLine());
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
  MetricsRegistry metrics_;  // before everything that counts into it
  std::unique_ptr<db::SqliteStore> store_;
  const Clock* clock_;
  ClassifierHolder classifier_;
  std::atomic<bool> stopping_{false};
  connectors::CurlTransport http_;
  Sources sources_;
  std::vector<std::unique_ptr<SourceRunner>> runners_;
  WebhookTargets targets_;
  std::unique_ptr<Scheduler> scheduler_;
  std::unique_ptr<web::WebhookReceiver> webhook_;
  std::unique_ptr<connectors::CurlTransport> handoff_http_;
  std::unique_ptr<handoff::Sink> sink_;
  std::unique_ptr<handoff::Open311StatusPoller> status_poller_;
  std::unique_ptr<handoff::Dispatcher> dispatcher_;
  std::unique_ptr<ReplyService> replies_;
  std::unique_ptr<RetentionRunner> retention_;
  std::mutex catalog_mu_;
  std::shared_ptr<const web::QueueCatalog> catalog_;
  std::unique_ptr<web::Authenticator> auth_;
  std::unique_ptr<web::QueueApi> api_;
  asio::io_context ioc_{1};
  asio::signal_set signals_;
  asio::steady_timer watchdog_;
  std::unique_ptr<web::HttpServer> server_;
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
  if (sodium_init() < 0) {
    spdlog::error("not starting: libsodium could not initialise");
    return 1;
  }
  auto classifier = LoadClassifier(loaded.config.rules);
  if (!classifier) {
    spdlog::error("not starting: fix the rules (sambatd rules check {})", loaded.config.rules);
    return 1;
  }
  // One daemon per database, and `sambatd restore` refuses while it runs. Held until exit.
  std::optional<DatabaseLock> db_lock;
  if (loaded.config.database != ":memory:") {
    auto lock = DatabaseLock::TryAcquire(loaded.config.database);
    if (!lock.ok()) {
      spdlog::error("not starting: {} ({})",
                    lock.status().code() == StatusCode::kUnavailable
                        ? "another sambatd (or a restore) is using " + loaded.config.database
                        : "cannot lock the database",
                    lock.status().message());
      return 1;
    }
    db_lock.emplace(std::move(*lock));
  }
  SystemClock clock;  // outlives the store and the daemon below
  auto store = db::SqliteStore::Open(loaded.config.database, &clock);
  if (!store.ok()) {
    spdlog::error("not starting: {}", store.status().message());
    return 1;
  }
  connectors::CurlGlobal curl;
  Daemon daemon(std::move(loaded.config), std::move(*store), std::move(classifier), &clock);
  return daemon.Run();
}

}  // namespace sambat::daemon
